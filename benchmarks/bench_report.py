"""Size, time and memory of the HTML report, and whether a large one works in a browser.

Builds results tables of about 11,000 passages (the sample documents scored once and
copied 32 times; and, where ``../shared/realdocs`` is present, the real development
documents copied to 11,000 passages) and of 100,000 passages, saves each as a results
folder, and in a fresh process per folder measures:

- ``seconds``: `framingclf.report(folder, out)` (reading the tables included), and
  ``ratio_to_csv``: that time over writing the same passages table as CSV with pandas
  (the baseline, timed in the same process just before);
- ``peak_mb``: the process's peak resident memory (``VmHWM``, Linux), and
  ``peak_over_load``: that over a process that only reads the tables;
- ``megabytes``: the report file's size.

With selenium, Debian's chromium and chromedriver installed, the 100,000-passage report
is also opened headless: seconds until it is ready, to filter by a label, and to search.

    python benchmarks/bench_report.py [--skip-browser]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import framingclf
from framingclf.tables import ScoreResult

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs" / "docs"

CHILD = """
import json, sys, time
start = time.perf_counter()
import pandas as pd
from framingclf.tables import load_results
folder, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
result = load_results(folder)
row = {}
if mode == "report":
    from framingclf import report
    begin = time.perf_counter()
    result.passages.to_csv(out + ".baseline.csv", index=False)
    row["baseline_seconds"] = time.perf_counter() - begin
    begin = time.perf_counter()
    report(folder, out)
    row["seconds"] = time.perf_counter() - begin
row["process_seconds"] = time.perf_counter() - start
# VmHWM: this process's own peak (ru_maxrss would include the parent's at fork)
status = open("/proc/self/status").read().split("VmHWM:")[1]
row["peak_mb"] = int(status.split()[0]) / 1024
print(json.dumps(row))
"""


def _renamed(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """Copy `k` of a table: new document ids, paths and titles."""
    frame = frame.copy()
    frame["doc_id"] = frame["doc_id"].str.slice(0, 12) + f"{k:04d}"
    frame["path"] = [f"copy{k:04d}/{Path(path).name}" for path in frame["path"]]
    frame["title"] = frame["title"].astype(str) + f" (copy {k + 1})"
    return frame


def copies(result: ScoreResult, n_passages: int) -> ScoreResult:
    """`result` repeated until it holds `n_passages` passages, each copy a document set of
    its own (new ids, paths and titles)."""
    passages, documents, k = [], [], 0
    while sum(len(part) for part in passages) < n_passages:
        part = _renamed(result.passages, k)
        part["passage_id"] = (part["doc_id"] + "-"
                              + part["passage_id"].str.rsplit("-", n=1).str[-1])
        passages.append(part)
        documents.append(_renamed(result.documents, k))
        k += 1
    table = pd.concat(passages, ignore_index=True).iloc[:n_passages]
    kept = set(table["doc_id"])
    docs = pd.concat(documents, ignore_index=True)
    return ScoreResult(passages=table, documents=docs[docs["doc_id"].isin(kept)],
                       errors=result.errors)


def measure(folder: Path, out: Path) -> dict:
    def child(mode: str) -> dict:
        done = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(out), mode],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    load = child("load")
    row = child("report")
    return {"passages": None, "seconds": round(row["seconds"], 2),
            "ratio_to_csv": round(row["seconds"] / row["baseline_seconds"], 1),
            "process_seconds": round(row["process_seconds"], 2),
            "peak_mb": round(row["peak_mb"]), "load_only_peak_mb": round(load["peak_mb"]),
            "peak_over_load": round(row["peak_mb"] / load["peak_mb"], 2),
            "megabytes": round(out.stat().st_size / 1e6, 2)}


def browser(page: Path) -> dict | None:
    """Seconds to open, filter and search the report in headless chromium, or None."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver_path):
        return None
    options = Options()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={tempfile.mkdtemp()}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)

    def shown() -> int:
        return int(driver.find_element("id", "shown").text.replace(",", ""))

    def timed(action, ready) -> float:
        start = time.perf_counter()
        action()
        while not ready():
            time.sleep(0.02)
        return round(time.perf_counter() - start, 2)

    try:
        driver.set_page_load_timeout(300)
        opened = timed(lambda: driver.get(page.as_uri()),
                       lambda: driver.execute_script("return document.body.dataset.ready"))
        total = shown()
        filtered = timed(lambda: driver.find_element("id", "f-label-lifestyle").click(),
                         lambda: shown() < total)
        search = driver.find_element("id", "f-search")
        searched = timed(lambda: search.send_keys("housing"), lambda: shown() < total)
        return {"passages": total, "open_seconds": opened, "filter_seconds": filtered,
                "search_seconds": searched, "shown_after_search": shown()}
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    model = framingclf.load_model()
    sets = {}
    samples = framingclf.score_documents(ROOT / "corpora" / "documents", model,
                                         progress="none")
    sets["samples_x32"] = copies(samples, 32 * len(samples.passages))
    if REALDOCS.is_dir():
        real = framingclf.score_documents(REALDOCS, model, progress="none")
        sets["realdocs_to_11000"] = copies(real, 11_000)
    sets["samples_to_100000"] = copies(samples, 100_000)
    results = {}
    for name, result in sets.items():
        folder = work / name
        result.save(folder)
        row = measure(folder, work / f"{name}.html")
        row["passages"] = len(result.passages)
        row["documents"] = len(result.documents)
        results[name] = row
        print(name, row, flush=True)
    if not args.skip_browser:
        results["browser_100000"] = browser(work / "samples_to_100000.html")
        print("browser", results["browser_100000"])
    results["targets"] = {"11000_seconds": 10, "11000_megabytes": 5, "11000_peak_mb": 300}
    results["load_average"] = [round(x, 1) for x in os.getloadavg()]  # seconds inflate with it
    out = ROOT / "benchmarks" / "results" / "bench_report.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
