"""Codings in a table: CSV, Excel (.xlsx) or JSON Lines, one coding per row.

Columns are named by the caller (``text``, ``label``, ``coder``, ``doc_id`` and
``unit_id`` by default); only the text and label columns are required. An Excel
workbook is read from its ``passages`` sheet when it has one (as `framingclf export
--to xlsx` writes it), else from its first sheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from framingclf._files import iter_jsonl
from framingclf.codings._table import Collected, records_to_codings
from framingclf.corpus import raise_problems
from framingclf.errors import CorpusFormatError

#: The sheet of a workbook read first, when present.
SHEET = "passages"


def read_csv(path: Path) -> Iterator[tuple[int, str, dict]]:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame()
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CorpusFormatError(f"{path}: not a readable CSV file ({exc}); save it as "
                                "UTF-8 CSV with a header row") from None
    for i, record in enumerate(frame.to_dict("records")):
        yield i + 2, f"line {i + 2}", record  # line 1 is the header


def read_xlsx(path: Path) -> Iterator[tuple[int, str, dict]]:
    from zipfile import BadZipFile

    try:
        with pd.ExcelFile(path, engine="openpyxl") as sheets:
            name = SHEET if SHEET in sheets.sheet_names else sheets.sheet_names[0]
            frame = pd.read_excel(sheets, sheet_name=name, dtype=object)
    except (BadZipFile, OSError, ValueError, KeyError) as exc:
        raise CorpusFormatError(f"{path}: not a readable Excel workbook ({exc}); save it "
                                "as .xlsx") from None
    for i, record in enumerate(frame.to_dict("records")):
        yield i + 2, f"sheet {name!r} row {i + 2}", record


def read_jsonl(path: Path) -> Iterator[tuple[int, str, dict]]:
    for line, record in iter_jsonl(path, CorpusFormatError):
        yield line, f"line {line}", record


READERS = {"csv": read_csv, "xlsx": read_xlsx, "jsonl": read_jsonl}


def collect(path: Path, fmt: str, *, text_col: str = "text", label_col: str = "label",
            coder_col: str = "coder", doc_col: str = "doc_id", unit_col: str = "unit_id",
            coder: str | None = None) -> Collected:
    """The codings of a table file, its columns checked before its rows."""
    records = list(READERS[fmt](path))
    columns = {key for _, _, record in records if isinstance(record, dict) for key in record}
    missing = [c for c in (text_col, label_col) if c not in columns]
    if records and missing:
        raise_problems(path, [f"column(s) {missing} missing; found {sorted(columns)}; name "
                              "the text and label columns with text_col= / label_col= (CLI "
                              "--text-col, --label-col)"])
    return records_to_codings(records, text_col=text_col, label_col=label_col,
                              coder_col=coder_col, doc_col=doc_col, unit_col=unit_col,
                              coder=coder)
