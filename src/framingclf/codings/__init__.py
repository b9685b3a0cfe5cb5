"""Codings from the tools coders use, as one tidy table.

`import_codings(path)` reads CSV, Excel, JSON Lines, Label Studio, doccano, Prodigy and
REFI-QDA (NVivo, ATLAS.ti, MAXQDA, QualCoder) files into one table with a row per
coding: ``text``, ``label``, ``coder``, ``doc_id``, ``unit_id`` (the passage coded:
several coders of one passage share it), ``source`` (the file) and ``row`` (where in
it). Every label is checked against `framingclf.LABELS` after an optional mapping from
the tool's names; a bad row is an error naming the file and the row.

`consensus` turns several coders' codings into one label per passage for training;
`framingclf.agreement` measures how far the coders agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from framingclf.codings._table import CODINGS_SCHEMA, LabelMap, build, consensus, save_codings
from framingclf.errors import CorpusFormatError

#: Formats `import_codings` reads.
FORMATS: tuple[str, ...] = ("csv", "xlsx", "jsonl", "labelstudio", "doccano", "prodigy",
                            "refi")

__all__ = ["CODINGS_SCHEMA", "FORMATS", "consensus", "detect_format", "import_codings",
           "save_codings"]

_BY_SUFFIX = {".csv": "csv", ".xlsx": "xlsx", ".json": "labelstudio", ".qdpx": "refi",
              ".qde": "refi", ".zip": "doccano"}


def detect_format(path: str | Path) -> str:
    """The format of a codings file, from its suffix and, for JSON Lines, its first
    record (Prodigy's ``answer``/``accept``, doccano's list of labels, else a table)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix not in (".jsonl", ".ndjson"):
        raise CorpusFormatError(f"{path}: cannot tell the format from {suffix!r}; pass one "
                                f"of {', '.join(FORMATS)} (CLI --from FORMAT)")
    first = _first_record(path)
    if isinstance(first, dict):
        if {"answer", "accept", "_input_hash", "_task_hash"} & set(first):
            return "prodigy"
        if isinstance(first.get("label"), list):
            return "doccano"
    return "jsonl"


def _first_record(path: Path) -> object:
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip():
                try:
                    return json.loads(line)
                except json.JSONDecodeError:
                    return None
    return None


def import_codings(path: str | Path, fmt: str | None = None, *,
                   labels: LabelMap | None = None, text_col: str = "text",
                   label_col: str = "label", coder_col: str = "coder",
                   doc_col: str = "doc_id", unit_col: str = "unit_id",
                   coder: str | None = None, from_name: str | None = None,
                   predictions: bool = False) -> pd.DataFrame:
    """Read codings from `path` into the tidy codings table (see the module docstring).

    `fmt`: one of `FORMATS`, or None to tell from the file. `labels` maps the tool's
    label or code names to framingclf's (a name mapped to None is left out); the
    ``*_col`` options name the columns (tables) or keys (JSON) holding each field;
    `coder` names the coder where the file does not. Label Studio only: `from_name`
    (the choices control) and `predictions` (read the tasks' predictions too, as coder
    ``model:<version>``). Rows skipped on purpose (cancelled, rejected, ignored,
    unlabelled, codes mapped to None) are counted in ``.attrs["skipped"]``.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusFormatError(f"{path}: no such file; pass a codings file exported from "
                                "your coding tool")
    fmt = detect_format(path) if fmt is None else fmt
    try:
        found = _collect(path, fmt, labels=labels, text_col=text_col, label_col=label_col,
                         coder_col=coder_col, doc_col=doc_col, unit_col=unit_col,
                         coder=coder, from_name=from_name, predictions=predictions)
    except UnicodeDecodeError as exc:
        raise CorpusFormatError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                "save it as UTF-8") from None
    return build(path, found, labels)


def _collect(path: Path, fmt: str, *, labels, text_col, label_col, coder_col, doc_col,
             unit_col, coder, from_name, predictions):
    from framingclf.codings import doccano, labelstudio, prodigy, refi, tabular

    if fmt in tabular.READERS:
        return tabular.collect(path, fmt, text_col=text_col, label_col=label_col,
                               coder_col=coder_col, doc_col=doc_col, unit_col=unit_col,
                               coder=coder)
    if fmt == "labelstudio":
        return labelstudio.collect(path, text_col=text_col, doc_col=doc_col,
                                   from_name=from_name, predictions=predictions)
    if fmt == "doccano":
        return doccano.collect(path, text_col=text_col, label_col=label_col, doc_col=doc_col,
                               coder=coder)
    if fmt == "prodigy":
        return prodigy.collect(path, text_col=text_col, doc_col=doc_col, coder=coder)
    if fmt == "refi":
        return refi.collect(path, labels=dict(labels or {}))
    raise CorpusFormatError(f"{path}: unknown codings format {fmt!r}; expected one of "
                            f"{', '.join(FORMATS)}")
