"""Pages per second of reading PDFs into passages, against raw pypdfium2, and memory.

Speed: on the sample PDFs in corpora/documents/, in the same run, (a) raw pypdfium2 text
extraction (open, then for each page: text page, `get_text_range`, close) and (b)
`framingclf.readers.read_document` + `framingclf.segment.segment` (line geometry and
effective font sizes, layout, cleaning, headers and footers, kinds, sentence windows).
The result is the ratio b/a, with a target of >= 0.8; best of `--repeats` rounds of CPU
time (`time.process_time`, steadier than wall time on a shared machine). For the real
documents in ../shared/realdocs, see `benchmarks/reading.py`.

Memory: for generated PDFs of 100 and 1,000 pages (a running header and footer and about
300 words a page), in a fresh process: the peak of Python allocations (tracemalloc)
during read + segment, the size of the text kept, and the process's peak resident memory
before the read and its peak during it (pdfium's own allocations are not seen by
tracemalloc; the process reads a 10-page sample first, so imports and warm-up are in
"before"; on Linux the peak is reset just before the read).

    python benchmarks/bench_ingest.py [--repeats 9]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pypdfium2 as pdfium

from framingclf.readers import read_document
from framingclf.segment import segment

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "bench_ingest.json"
WORDS = ("Children growing up in the most deprived wards are more likely to live in damp, "
         "overcrowded homes, and the gap in healthy life expectancy has widened since 2010. ")


def raw_pdfium(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def framingclf_path(path: Path) -> int:
    document = read_document(path)
    segment(document)
    return document.n_pages


def best_of(repeats: int, funcs: dict, paths: list[Path]) -> tuple[dict, int]:
    """Best time of each function over `repeats` rounds, taking turns within each round."""
    times: dict = {name: [] for name in funcs}
    pages = 0
    for _ in range(repeats):
        for name, func in funcs.items():
            start = time.process_time()
            pages = sum(func(path) for path in paths)
            times[name].append(time.process_time() - start)
    return {name: min(values) for name, values in times.items()}, pages


def make_pdf(path: Path, n_pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    for number in range(1, n_pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(0, 5, f"Benchmark Council - Annual report - page {number}",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 10, f"{number}. Section {number}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for _ in range(3):
            pdf.multi_cell(0, 5, WORDS * 3, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        pdf.set_y(-15)
        pdf.cell(0, 5, str(number), align="C")
    pdf.output(str(path))


def measure_memory(path: Path) -> dict:
    """Run in a fresh process: tracemalloc peak and peak RSS of read + segment."""
    sample = ROOT / "corpora" / "documents" / "07-kelbeck-health-scrutiny-minutes-2016.pdf"
    segment(read_document(sample))  # warm up pdfium and spaCy on a 10-page document
    rss_before = _current_rss_mb()
    _reset_peak_rss()
    tracemalloc.start()
    document = read_document(path)
    passages = segment(document)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = _peak_rss_mb()
    return {"pages": document.n_pages, "passages": len(passages),
            "text_mb": round(len(document.text.encode("utf-8")) / 1e6, 2),
            "tracemalloc_peak_mb": round(peak / 1e6, 1),
            "rss_before_mb": rss_before, "rss_peak_mb": rss_peak,
            "rss_growth_mb": round(rss_peak - rss_before, 1)}


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    raise KeyError(field)


def _current_rss_mb() -> float:
    try:
        return _status_mb("VmRSS")
    except (OSError, KeyError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _reset_peak_rss() -> None:
    try:  # Linux: writing 5 to clear_refs resets the peak (VmHWM) to the current size
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_rss_mb() -> float:
    try:
        return _status_mb("VmHWM")
    except (OSError, KeyError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--measure-memory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_memory:
        print(json.dumps(measure_memory(args.measure_memory)))
        return

    paths = sorted((ROOT / "corpora" / "documents").glob("*.pdf"))
    framingclf_path(paths[0])  # warm up: imports, spaCy's sentencizer
    raw_pdfium(paths[0])
    seconds, pages = best_of(args.repeats, {
        "raw": raw_pdfium, "ours": framingclf_path,
        "read": lambda path: read_document(path).n_pages}, paths)
    raw_seconds, ours_seconds, read_seconds = seconds["raw"], seconds["ours"], seconds["read"]
    speed = {
        "files": len(paths), "pages": pages,
        "raw_pypdfium2_pages_per_s": round(pages / raw_seconds),
        "read_document_pages_per_s": round(pages / read_seconds),
        "read_document_and_segment_pages_per_s": round(pages / ours_seconds),
        "ratio": round(raw_seconds / ours_seconds, 2),
        "target_ratio": 0.8,
    }
    memory = {}
    with tempfile.TemporaryDirectory() as folder:
        for n_pages in (100, 1000):
            path = Path(folder) / f"{n_pages}.pdf"
            make_pdf(path, n_pages)
            result = subprocess.run([sys.executable, __file__, "--measure-memory", str(path)],
                                    capture_output=True, text=True, check=True)
            memory[f"{n_pages}_pages"] = json.loads(result.stdout)
    report = {"speed": speed, "memory": memory,
              "pypdfium2": pdfium.PYPDFIUM_INFO.version if hasattr(pdfium, "PYPDFIUM_INFO")
              else None}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
