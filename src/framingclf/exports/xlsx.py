"""An Excel workbook of a scoring run: passages, documents and errors, one sheet each,
the header row frozen and filters on.

In the passages sheet the model's label is ``predicted`` and ``label`` starts as a copy
of it, for a coder to correct from a drop-down of the labels; `framingclf import` reads
the ``label`` column of the ``passages`` sheet back.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framingclf._files import write_atomic
from framingclf.labels import LABELS

#: The first columns of the passages sheet, in this order (the rest follow).
FIRST = ("doc_id", "passage_id", "title", "page_start", "page_end", "section", "kind", "text",
         "label", "predicted", "confidence", "review")
_WIDTHS = {"text": 90, "title": 30, "section": 30, "label": 20, "predicted": 20}


def _cell(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def passages_sheet(passages: pd.DataFrame) -> pd.DataFrame:
    """The passages with the model's label as ``predicted`` and ``label`` to correct."""
    frame = passages.rename(columns={"label": "predicted"})
    frame["label"] = frame["predicted"]
    first = [c for c in FIRST if c in frame.columns]
    return frame[[*first, *(c for c in frame.columns if c not in first)]]


def _sheet(book, title: str, frame: pd.DataFrame) -> object:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = _WIDTHS.get(column, 14)
        if column == "text":
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def _label_dropdown(sheet, frame: pd.DataFrame) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if "label" not in frame.columns or not len(frame):
        return
    letter = get_column_letter(list(frame.columns).index("label") + 1)
    check = DataValidation(type="list", formula1='"' + ",".join(LABELS) + '"',
                           allow_blank=True, showErrorMessage=True,
                           errorTitle="Not a framingclf label",
                           error="Choose one of: " + ", ".join(LABELS))
    sheet.add_data_validation(check)
    check.add(f"{letter}2:{letter}{len(frame) + 1}")


def write_xlsx(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write `tables` (name -> frame; ``passages`` gets the label column to correct)
    as sheets of one workbook."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        if name == "passages":
            frame = passages_sheet(frame)
        sheet = _sheet(book, name, frame)
        if name == "passages":
            _label_dropdown(sheet, frame)
    write_atomic(Path(path), book.save)
    return Path(path)
