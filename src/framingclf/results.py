"""Reading back a results folder written by `ScoreResult.save` (or ``framingclf score``).

`load_results(dir)` returns the same `ScoreResult` that was saved: passages, documents
and errors tables, from csv, jsonl or parquet files, with ids kept as text, list
columns (``cues``, ``deficit_terms``, ``duplicate_paths``) turned back into lists and
``position`` and ``year`` as nullable integers. In a folder written by ``framingclf
score``, the format its run file names is read; the ``parts/`` it keeps for ``--resume``
are not needed.
"""

from __future__ import annotations

import ast
import json
import warnings
from pathlib import Path

import pandas as pd

from framingclf.batch import ScoreResult
from framingclf.errors import InvalidInputError

#: Table formats `load_results` reads, by file suffix.
FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet")

#: Columns read as text whatever they look like (a doc_id such as "1e10..." is no number).
TEXT_COLUMNS = ("doc_id", "path", "passage_id", "title", "heading", "text", "label", "flag",
                "organisation", "doc_type", "date", "format", "model", "stage", "error",
                "message")

#: Columns holding lists, which csv stores as their Python repr.
LIST_COLUMNS = ("cues", "deficit_terms", "duplicate_paths")

#: Whole-number columns that may be empty.
INT_COLUMNS = ("position", "year")


def _find(folder: Path, name: str) -> Path | None:
    """`name` in the format the folder's run file names, else the newest of
    `name`.csv / .jsonl / .parquet in `folder`, if any."""
    preferred = _run(folder).get("tables")
    if preferred in FORMATS and (folder / f"{name}.{preferred}").is_file():
        return folder / f"{name}.{preferred}"
    found = [folder / f"{name}.{fmt}" for fmt in FORMATS if (folder / f"{name}.{fmt}").is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def _run(folder: Path) -> dict:
    """The run file ``framingclf score`` leaves in its output folder, or {}."""
    from framingclf.parts import RUN_FILE

    try:
        run = json.loads((folder / RUN_FILE).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return run if isinstance(run, dict) else {}


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        header = pd.read_csv(path, nrows=0).columns
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    dtypes = {c: str for c in header if c in TEXT_COLUMNS}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    for column in LIST_COLUMNS:
        if column in frame.columns:
            frame[column] = [_parse_list(v, path, column) for v in frame[column]]
    return frame


def _parse_list(value, path: Path, column: str) -> list:
    if isinstance(value, list):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return []
    try:
        parsed = ast.literal_eval(str(value))
    except (ValueError, SyntaxError):
        raise InvalidInputError(f"{path}: column {column!r} holds {str(value)[:40]!r}, "
                                "not a list; rewrite the table with ScoreResult.save") from None
    return list(parsed) if isinstance(parsed, (list, tuple)) else [parsed]


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InvalidInputError(f"{path}: line {line_no}: not valid JSON ({exc.msg})"
                                        ) from None
    return pd.DataFrame(rows)


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        frame = _read_csv(path)
    elif path.suffix == ".jsonl":
        frame = _read_jsonl(path)
    else:
        try:
            frame = pd.read_parquet(path)
        except ImportError:
            raise InvalidInputError(f"{path}: reading parquet needs pyarrow; pip install "
                                    "pyarrow, or save the results as csv or jsonl") from None
        for column in LIST_COLUMNS:
            if column in frame.columns:
                frame[column] = [list(v) if v is not None else [] for v in frame[column]]
    if "review" in frame.columns:
        frame["review"] = frame["review"].map(_as_bool).astype(bool)
    for column in INT_COLUMNS:
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value) if pd.notna(value) else False


def load_results(folder: str | Path) -> ScoreResult:
    """Read the passages, documents and errors tables in `folder` into a `ScoreResult`.

    Each table may be csv, jsonl or parquet (the newest wins if several are present).
    The passages table is required; a missing documents or errors table is read as empty.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInputError(f"{folder}: no such folder; pass the folder written by "
                                "`framingclf score --out`")
    passages_path = _find(folder, "passages")
    if passages_path is None and _run(folder).get("status") == "running":
        raise InvalidInputError(
            f"{folder}: the scoring run writing here has not finished (it was stopped, or is "
            "still running); run the same `framingclf score` command with --resume to "
            "finish it")
    if passages_path is None:
        present = sorted(p.name for p in folder.iterdir())[:10]
        raise InvalidInputError(
            f"{folder}: no passages table (passages.csv, .jsonl or .parquet); found "
            f"{present}; pass the folder written by `framingclf score --out`")
    if _run(folder).get("status") == "running":
        warnings.warn(f"{folder}: these tables are from an earlier run; the latest run here "
                      "has not finished (run it again with --resume)", UserWarning, stacklevel=2)
    tables = {"passages": _read(passages_path)}
    for name in ("documents", "errors"):
        path = _find(folder, name)
        tables[name] = _read(path) if path is not None else pd.DataFrame()
    if tables["errors"].columns.empty:  # an empty jsonl file keeps no column names
        tables["errors"] = pd.DataFrame(columns=["path", "stage", "error", "message"])
    missing = [c for c in ("label", "text") if c not in tables["passages"].columns]
    if missing and len(tables["passages"].columns):
        raise InvalidInputError(
            f"{passages_path}: column(s) {missing} not in the table; it has "
            f"{list(tables['passages'].columns)}; is this a framingclf passages table?")
    return ScoreResult(**tables)
