"""Batch scoring: pages per second on 1 and 2 workers against a floor, and peak memory.

Documents: the six sample PDFs of corpora/documents copied to 50 (and 500) files, each
made distinct by a trailing PDF comment, so every file is a new content hash scored in
full (the text is unchanged). Everything below runs in one invocation, with the shipped
model.

Speed, on the 50 documents, in rounds that take turns (best of `--repeats`, since the
machine is shared):

- floor: raw pypdfium2 text extraction (open; per page: text page, `get_text_range`,
  close) plus spaCy `blank("en")` with the lookup lemmatizer over each page's text, on one
  process and on two (warm joblib loky workers, files spread over them);
- end to end: `score_documents(folder, out=tmp, fmt="csv")` with `jobs=1` (this process)
  and `jobs=2` (warm loky workers that have loaded the model: the steady state of a long
  run): read, segment, score, deficit terms, parts written, tables built and written,
  and the document audit (which runs in the main process once the documents are scored);
  and the same with `audit=False`;
- cold: the `framingclf score` command in a fresh process, with imports, model loading and
  worker start-up, on `--jobs 1` and `--jobs 2`;
- stages: where one process's time goes (read, segment, model, the rest).

Targets: end to end on 2 workers >= 1.7x on 1; end to end >= 0.7x the floor.

Memory: `framingclf score DIR --out OUT --jobs 2 --quiet` on 50 and on 500 documents,
each in a fresh process; the peak of the summed resident memory of the process and its
workers, sampled every 20 ms (psutil). Target: 500 documents within 10% of 50.

    python benchmarks/bench_batch.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pypdfium2 as pdfium
import spacy
from joblib import Parallel, delayed

import framingclf
from framingclf.readers import read_document
from framingclf.scoring import score_texts
from framingclf.segment import segment

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "bench_batch.json"
SAMPLES = sorted((ROOT / "corpora" / "documents").glob("*.pdf"))
_NLP = []


def make_documents(folder: Path, n: int) -> Path:
    """`n` distinct PDFs: the sample PDFs in turn, each with a trailing comment."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        source = SAMPLES[i % len(SAMPLES)]
        (folder / f"{i:04d}-{source.stem}.pdf").write_bytes(
            source.read_bytes() + f"% copy {i}\n".encode())
    return folder


def floor_file(path: Path) -> int:
    """Raw text extraction and the bare lookup lemmatizer; the number of pages."""
    if not _NLP:
        nlp = spacy.blank("en")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        _NLP.append(nlp)
    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        n_pages = len(pdf)
    finally:
        pdf.close()
    for _ in _NLP[0].pipe(texts):
        pass
    return n_pages


def floor(paths: list[Path], jobs: int) -> int:
    if jobs == 1:
        return sum(floor_file(path) for path in paths)
    # from the module, not __main__: workers import it, rather than receive a pickled copy
    # with this process's spaCy pipeline in every task
    from bench_batch import floor_file as task

    return sum(Parallel(n_jobs=jobs, backend="loky")(delayed(task)(p) for p in paths))


def end_to_end(folder: Path, jobs: int, audit: bool = True) -> int:
    with tempfile.TemporaryDirectory() as out:
        result = framingclf.score_documents(folder, out=Path(out) / "results", fmt="csv",
                                            jobs=jobs, progress="none", audit=audit)
    return int(result.documents["n_pages"].sum())


def best_of(repeats: int, runs: dict) -> dict:
    """Best seconds of each run over `repeats` rounds, taking turns within each round."""
    times: dict = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def stages(paths: list[Path], repeats: int) -> dict:
    """Seconds one process spends reading, segmenting and scoring (model only): the best
    of `repeats` passes for each."""
    model = framingclf.load_model()
    best = {"read_document_s": [], "segment_s": [], "model_s": []}
    for _ in range(repeats):
        read = seg = score = 0.0
        for path in paths:
            t0 = time.perf_counter()
            document = read_document(path, metadata=False)
            t1 = time.perf_counter()
            passages = segment(document)
            t2 = time.perf_counter()
            score_texts([p.text for p in passages], model)
            t3 = time.perf_counter()
            read, seg, score = read + t1 - t0, seg + t2 - t1, score + t3 - t2
        for name, value in zip(best, (read, seg, score)):
            best[name].append(value)
    return {name: round(min(values), 3) for name, values in best.items()}


def cli(folder: Path, jobs: int, *, sample: bool = False) -> dict:
    """Run `framingclf score` in a fresh process; its seconds and peak tree RSS."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "framingclf", "score", str(folder), "--out",
                   str(Path(out) / "results"), "--jobs", str(jobs), "--quiet"]
        start = time.perf_counter()
        proc = psutil.Popen(command)
        peak, most = 0, 1
        while proc.poll() is None:
            if sample:
                try:
                    tree = [proc, *proc.children(recursive=True)]
                    rss = sum(p.memory_info().rss for p in tree if p.is_running())
                    peak, most = max(peak, rss), max(most, len(tree))
                except psutil.Error:
                    pass
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        if proc.returncode:
            raise SystemExit(f"{' '.join(command)} exited with {proc.returncode}")
    found = {"seconds": round(seconds, 2)}
    if sample:
        found.update(peak_rss_mb=round(peak / 1e6, 1), processes=most)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        docs50 = make_documents(Path(tmp) / "50", 50)
        docs500 = make_documents(Path(tmp) / "500", 500)
        paths = sorted(docs50.glob("*.pdf"))

        # warm up: imports, the model in this process, two loky workers with the model
        pages = end_to_end(docs50, 1)
        end_to_end(docs50, 2)
        floor(paths, 1)
        floor(paths, 2)
        seconds = best_of(args.repeats, {
            "floor_1": lambda: floor(paths, 1), "floor_2": lambda: floor(paths, 2),
            "ours_1": lambda: end_to_end(docs50, 1), "ours_2": lambda: end_to_end(docs50, 2),
            "no_audit_1": lambda: end_to_end(docs50, 1, audit=False),
            "no_audit_2": lambda: end_to_end(docs50, 2, audit=False)})
        rate = {name: pages / s for name, s in seconds.items()}
        speed = {
            "files": len(paths), "pages": pages,
            "floor_pages_per_s": {"1": round(rate["floor_1"]), "2": round(rate["floor_2"])},
            "end_to_end_pages_per_s": {"1": round(rate["ours_1"]), "2": round(rate["ours_2"])},
            "scaling_2_over_1": round(rate["ours_2"] / rate["ours_1"], 2),
            "floor_scaling_2_over_1": round(rate["floor_2"] / rate["floor_1"], 2),
            "ratio_to_floor": {"1": round(rate["ours_1"] / rate["floor_1"], 2),
                               "2": round(rate["ours_2"] / rate["floor_2"], 2)},
            "without_audit": {
                "pages_per_s": {"1": round(rate["no_audit_1"]), "2": round(rate["no_audit_2"])},
                "scaling_2_over_1": round(rate["no_audit_2"] / rate["no_audit_1"], 2),
                "ratio_to_floor": {"1": round(rate["no_audit_1"] / rate["floor_1"], 2),
                                   "2": round(rate["no_audit_2"] / rate["floor_2"], 2)}},
            "target_scaling": 1.7, "target_ratio": 0.7,
        }
        split = stages(paths, args.repeats)
        split["audit_s"] = round(seconds["ours_1"] - seconds["no_audit_1"], 3)
        split["rest_s"] = round(seconds["ours_1"] - sum(split.values()), 3)
        split["end_to_end_s"] = round(seconds["ours_1"], 3)
        split["floor_s"] = round(seconds["floor_1"], 3)

        cold = {}
        for jobs in (1, 2):
            run = min((cli(docs50, jobs) for _ in range(2)), key=lambda r: r["seconds"])
            cold[str(jobs)] = {**run, "pages_per_s": round(pages / run["seconds"])}
        cold["scaling_2_over_1"] = round(cold["1"]["seconds"] / cold["2"]["seconds"], 2)

        memory = {}
        for n, folder in ((50, docs50), (500, docs500)):
            run = cli(folder, 2, sample=True)
            memory[str(n)] = {**run, "pages": pages * n // 50,
                              "pages_per_s": round(pages * n // 50 / run["seconds"])}
        memory["ratio_500_over_50"] = round(memory["500"]["peak_rss_mb"]
                                            / memory["50"]["peak_rss_mb"], 3)
        memory["target_ratio"] = 1.10
    report = {
        "speed": speed, "stages_one_process": split, "cold": cold, "memory": memory,
        "machine": {"cpus": os.cpu_count(),
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "model": framingclf.load_model().fingerprint()[:12],
        "pypdfium2": getattr(getattr(pdfium, "PYPDFIUM_INFO", None), "version", None),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
