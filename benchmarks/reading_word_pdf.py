"""How well framingclf reads PDFs made by a word processor, against the Word file itself.

Most board papers reach analysts as PDFs exported from Word. This benchmark takes the
real DOCX files of a folder, exports each to PDF with LibreOffice (`soffice --headless
--convert-to pdf`, into a temporary folder that is deleted afterwards), and asks of the
PDF what the Word file states exactly: its paragraphs. The reference is every body or
table-cell paragraph of the DOCX (python-docx) with 8 words or more that ends like a
sentence; a paragraph is found when 90% or more of its words (as a multiset) sit inside
one labelled passage (`reading.found_items`). Reading the DOCX itself is the ceiling.
For the PDF it also reports the measures of `benchmarks/reading.py`.

    python benchmarks/reading_word_pdf.py [FOLDER] [--json PATH]

FOLDER defaults to ../shared/realdocs/docs. Without LibreOffice it says so and stops.
Only numbers are written, never document text.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reading import found_items, measure_file

from framingclf.readers import read_document
from framingclf.segment import LABELLED_KINDS, segment

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT.parent / "shared" / "realdocs" / "docs"


def paragraphs(path: Path) -> list[dict]:
    """The DOCX's own paragraphs (body and table cells) that are sentences of 8+ words."""
    import docx

    document = docx.Document(str(path))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        found += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    texts = [" ".join(text.split()) for text in found]
    return [{"text": text} for text in dict.fromkeys(texts)
            if len(text.split()) >= 8 and text.rstrip("\"'”’)]").endswith((".", "!", "?"))]


def labelled(path: Path) -> list:
    return [p for p in segment(read_document(path, metadata=False)) if p.kind in LABELLED_KINDS]


def export(path: Path, folder: Path, soffice: str) -> Path:
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    str(path)], check=True, capture_output=True, timeout=300)
    return folder / (path.stem + ".pdf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", default=FOLDER)
    parser.add_argument("--json", type=Path, help="write the numbers here")
    args = parser.parse_args(argv)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) is not installed: nothing to export; "
              "e.g. apt-get install libreoffice-writer")
        return 0
    paths = sorted(args.folder.glob("*.docx"))
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            pdf = export(path, Path(tmp), soffice)
            reference = paragraphs(path)
            measured = measure_file(pdf, [])
            rows[path.name] = {
                "pages": measured["pages"], "paragraphs": len(reference),
                "found_docx": found_items(reference, labelled(path)),
                "found_pdf": found_items(reference, labelled(pdf)),
                **{key: measured[key] for key in ("coverage", "fragments", "mid_sentence",
                                                  "over_200", "duplicates")}}
    total = {key: sum(row[key] for row in rows.values())
             for key in ("pages", "paragraphs", "found_docx", "found_pdf")}
    print(f"{'file':<58}{'pages':>6}{'paras':>7}{'docx':>7}{'pdf':>7}{'cover':>7}{'mid':>7}")
    for name, row in [*rows.items(), ("OVERALL", total)]:
        extra = (f"{row['coverage']:>7.3f}{row['mid_sentence']:>7.3f}"
                 if "coverage" in row and row["coverage"] is not None else "")
        print(f"{name[:57]:<58}{row['pages']:>6}{row['paragraphs']:>7}{row['found_docx']:>7}"
              f"{row['found_pdf']:>7}{extra}")
    if args.json:
        rounded = {name: {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
                   for name, row in rows.items()}
        args.json.write_text(json.dumps({"files": rounded, "overall": total}, indent=2) + "\n",
                             "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
