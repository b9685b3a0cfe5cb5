"""The result tables: passages, documents and errors, their columns, and saving them.

This module is the one owner of the tables' schemas. Everything that makes or reads
them (`score_document`, batch scoring, `load_results`, profiles, reports, exports) takes
the column names and types from here.

- **passages**: one row per passage of every readable document, in reading order, with
  where it comes from (path, title, organisation, date, page, section), its `kind`
  (only ``prose`` and ``list`` passages are labelled; the others keep an empty label)
  and the model's label, confidence and probabilities;
- **documents**: one row per readable document, with its framing shares and upstream
  index;
- **errors**: one row per input that could not be scored, naming the file, the stage
  and what to do.

A results folder holds the three tables in one format (csv, jsonl or parquet). They are
replaced as a set: written into a staging folder, marked complete, then moved into
place, so a kill at any moment leaves either the old set or the new one (the next run,
or `load_results`, finishes a move that was cut short).
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framingclf._files import write_atomic
from framingclf.errors import InvalidInputError
from framingclf.labels import FRAMINGS, LABELS

#: Table formats, by file suffix.
FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet")
#: The format written when none is asked for, by the library and the CLI alike.
DEFAULT_FORMAT = "csv"
TABLES: tuple[str, ...] = ("passages", "documents", "errors")

#: Probability columns, one per label, in `LABELS` order.
PROBA_COLUMNS: tuple[str, ...] = tuple(f"p_{label}" for label in LABELS)

#: Passage kinds that get a label; every other kind is kept with an empty label.
LABELLED_KINDS: tuple[str, ...] = ("prose", "list")

#: Metadata of a document that its passages repeat, for filtering and joining.
META_COLUMNS: tuple[str, ...] = ("organisation", "date", "year", "doc_type")

# column -> type: "str", "int" (nullable), "float", "bool" or "list" (of str)
PASSAGE_SCHEMA: dict[str, str] = {
    "doc_id": "str", "passage_id": "str", "path": "str", "title": "str",
    "organisation": "str", "date": "str", "year": "int", "doc_type": "str",
    "page_start": "int", "page_end": "int", "char_start": "int", "char_end": "int",
    "section": "str", "kind": "str", "text": "str", "label": "str", "confidence": "float",
    **{c: "float" for c in PROBA_COLUMNS}, "position": "int", "review": "bool",
    "flag": "str", "deficit_terms": "list", "model": "str",
}
#: The columns a document's part holds (the rest come from its path and metadata).
PART_COLUMNS: tuple[str, ...] = tuple(
    c for c in PASSAGE_SCHEMA if c not in ("path", "title", *META_COLUMNS))

#: The document audit's verdicts (yes, partly, no), one column per check of
#: `framingclf.auditing.CHECKS`, added by `score_documents` unless asked not to.
AUDIT_COLUMNS: tuple[str, ...] = tuple(f"audit_{check}" for check in (
    "definition", "context", "measure", "siloed", "pilots", "progress_claims",
    "deficit_labels"))

DOCUMENT_SCHEMA: dict[str, str] = {
    "doc_id": "str", "path": "str", "title": "str", "format": "str", "n_pages": "int",
    "organisation": "str", "date": "str", "year": "int", "doc_type": "str",
    "n_passages": "int", "n_labelled": "int", "n_framing": "int", "share_none": "float",
    **{f"share_{label}": "float" for label in FRAMINGS}, "upstream_index": "float",
    "upstream_low": "float", "upstream_high": "float", "deficit_rate": "float",
    "n_deficit_terms": "int", "unfinished_rate": "float", "few_passages": "bool",
    "duplicate_paths": "list",
    "model": "str", **{column: "str" for column in AUDIT_COLUMNS},
}
ERROR_SCHEMA: dict[str, str] = {"path": "str", "stage": "str", "error": "str",
                                "message": "str"}
#: Columns a passages table may carry beyond the schema, with their types.
OPTIONAL_COLUMNS: dict[str, str] = {"cues": "list"}
SCHEMAS: dict[str, dict[str, str]] = {"passages": PASSAGE_SCHEMA,
                                      "documents": DOCUMENT_SCHEMA, "errors": ERROR_SCHEMA}

#: The file a scoring run keeps in its output folder (model, settings, status, format).
RUN_FILE = "run.json"
_STAGING = ".tables-staging"
_COMMITTED = "COMMITTED"


def typed(frame: pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    """`frame` with the schema's columns first, in order (missing ones added empty), each
    of its type; columns outside the schema (extra metadata) kept after them."""
    frame = frame.copy()
    for column, kind in schema.items():
        values = frame[column] if column in frame.columns else pd.Series(
            [None] * len(frame), index=frame.index, dtype=object)
        frame[column] = _as_type(values, kind)
    extra = [c for c in frame.columns if c not in schema]
    for column in extra:
        if column in OPTIONAL_COLUMNS:
            frame[column] = _as_type(frame[column], OPTIONAL_COLUMNS[column])
    return frame[[*schema, *extra]].reset_index(drop=True)


def _as_type(values: pd.Series, kind: str) -> pd.Series:
    if str(values.dtype) == _DTYPES.get(kind):
        return values  # already of its type (a worker's rows, typed once)
    if kind == "int":
        return pd.to_numeric(values, errors="coerce").astype("Int64")
    if kind == "float":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if kind == "bool":
        return values.map(_as_bool).astype(bool)
    if kind == "list":
        return values.map(_as_list)
    return values.map(lambda v: None if _missing(v) else str(v)).astype(object)


#: The dtype each numeric kind ends as, for columns that are already of it.
_DTYPES = {"int": "Int64", "float": "float64", "bool": "bool"}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return False if _missing(value) else bool(value)


def _as_list(value: object) -> list:
    """A list cell: a list or array as it is; in csv, JSON text."""
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            raise InvalidInputError(f"a list column holds {value[:40]!r}, which is not a "
                                    "JSON list; rewrite the table with ScoreResult.save"
                                    ) from None
        return list(parsed) if isinstance(parsed, list) else [parsed]
    if _missing(value):
        return []
    return list(value)  # type: ignore[call-overload]


def empty(name: str) -> pd.DataFrame:
    """An empty table with the columns and types of `name`."""
    return typed(pd.DataFrame(), SCHEMAS[name])


@dataclass
class ScoreResult:
    """The three tables of a scoring run: passages, documents and errors."""

    passages: pd.DataFrame
    documents: pd.DataFrame
    errors: pd.DataFrame

    def __post_init__(self) -> None:
        passages = self.passages
        if "section" not in passages.columns and "heading" in passages.columns:
            passages = passages.rename(columns={"heading": "section"})  # framingclf 0.1
        if "kind" not in passages.columns:  # a table made by hand: every passage is prose
            passages = passages.assign(kind="prose")
        if "deficit_terms" not in passages.columns and "text" in passages.columns:
            from framingclf.lexicon import default_lexicon

            passages = passages.assign(deficit_terms=default_lexicon().find_all(
                passages["text"].fillna("").astype(str).tolist()))
        self.passages = passages
        for name in TABLES:
            setattr(self, name, typed(getattr(self, name), SCHEMAS[name]))

    @property
    def labelled(self) -> pd.DataFrame:
        """The passages that carry a label (prose and lists)."""
        return self.passages[self.passages["kind"].isin(LABELLED_KINDS)
                             & self.passages["label"].notna()]

    def save(self, out_dir: str | Path, fmt: str = DEFAULT_FORMAT) -> list[Path]:
        """Write the three tables to `out_dir` as csv, jsonl or parquet, replacing any
        earlier set as a whole (see the module docstring)."""
        check_format(fmt)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        recover(out)
        staging = out / _STAGING
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for name in TABLES:
            write_atomic(staging / f"{name}.{fmt}", _writer(getattr(self, name), fmt))
        write_atomic(staging / _COMMITTED, fmt.encode("ascii"))
        recover(out)
        return [out / f"{name}.{fmt}" for name in TABLES]

    @classmethod
    def load(cls, folder: str | Path) -> ScoreResult:
        """Read the tables written by `save` (or ``framingclf score``) in `folder`."""
        return load_results(folder)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInputError(f"format {fmt!r}; expected one of {list(FORMATS)}")
    return fmt


def recover(out: Path) -> None:
    """Finish a replacement of the tables that was cut short, or drop one that never
    completed: after this, `out` holds one complete set."""
    staging = out / _STAGING
    if not staging.is_dir():
        return
    marker = staging / _COMMITTED
    if marker.is_file():
        fmt = marker.read_text("ascii").strip()
        for name in TABLES:
            moved = staging / f"{name}.{fmt}"
            if moved.is_file():
                moved.replace(out / f"{name}.{fmt}")
        for name in TABLES:  # tables of another format belong to the older set
            for other in FORMATS:
                if other != fmt:
                    (out / f"{name}.{other}").unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _writer(frame: pd.DataFrame, fmt: str):
    """A function writing `frame` in `fmt` to a binary file."""

    def write(fh) -> None:
        if fmt == "parquet":
            frame.to_parquet(fh, index=False)
            return
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        if fmt == "csv":
            lists = [c for c in frame.columns if _is_list_column(frame, c)]
            frame.assign(**{c: frame[c].map(json.dumps) for c in lists}).to_csv(
                text, index=False)
        else:
            frame.to_json(text, orient="records", lines=True, force_ascii=False)
        text.flush()
        text.detach()  # leave `fh` open for write_atomic to sync and close

    return write


def _is_list_column(frame: pd.DataFrame, column: str) -> bool:
    kind = {**PASSAGE_SCHEMA, **DOCUMENT_SCHEMA, **OPTIONAL_COLUMNS}.get(column)
    if kind == "list":
        return True
    return frame[column].dtype == object and frame[column].map(
        lambda v: isinstance(v, list)).any()


def concat(frames: Sequence[pd.DataFrame], name: str) -> pd.DataFrame:
    """Tables of one kind, end to end, with that kind's schema."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty(name)
    return typed(pd.concat(frames, ignore_index=True), SCHEMAS[name])


def read_run(folder: Path) -> dict:
    """The run file a scoring run leaves in its output folder, or {}."""
    try:
        run = json.loads((folder / RUN_FILE).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return run if isinstance(run, dict) else {}


def _find(folder: Path, name: str, preferred: object) -> Path | None:
    """`name` in the format the run file names, else the newest of its formats."""
    if preferred in FORMATS and (folder / f"{name}.{preferred}").is_file():
        return folder / f"{name}.{preferred}"
    found = [folder / f"{name}.{fmt}" for fmt in FORMATS if (folder / f"{name}.{fmt}").is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def read_table(path: Path, name: str) -> pd.DataFrame:
    """One table file (csv, jsonl or parquet) with the types of table `name`."""
    if path.suffix == ".csv":
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        except pd.errors.EmptyDataError:
            frame = pd.DataFrame()
    elif path.suffix == ".jsonl":
        from framingclf._files import iter_jsonl

        frame = pd.DataFrame([row for _, row in iter_jsonl(path, InvalidInputError)])
    else:
        frame = pd.read_parquet(path)
    return typed(frame, SCHEMAS[name])


def load_results(folder: str | Path) -> ScoreResult:
    """Read the passages, documents and errors tables in `folder` into a `ScoreResult`.

    Each table may be csv, jsonl or parquet (the run file's format first, else the
    newest). The passages table is required; a missing documents or errors table is
    read as empty.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInputError(f"{folder}: no such folder; pass the folder written by "
                                "`framingclf score --out`")
    recover(folder)
    run = read_run(folder)
    paths = {name: _find(folder, name, run.get("tables")) for name in TABLES}
    unfinished = run.get("status") == "running"
    if paths["passages"] is None:
        if unfinished:
            raise InvalidInputError(
                f"{folder}: the scoring run writing here has not finished (it was stopped, "
                "or is still running); run the same `framingclf score` command with "
                "--resume to finish it")
        present = sorted(p.name for p in folder.iterdir())[:10]
        raise InvalidInputError(
            f"{folder}: no passages table (passages.csv, .jsonl or .parquet); found "
            f"{present}; pass the folder written by `framingclf score --out`")
    if unfinished:
        import warnings

        warnings.warn(f"{folder}: these tables are from an earlier run; the latest run here "
                      "has not finished (run it again with --resume)", UserWarning,
                      stacklevel=2)
    raw = pd.read_csv(paths["passages"], nrows=0) if paths["passages"].suffix == ".csv" \
        else None
    if raw is not None and len(raw.columns) and not {"label", "text"} <= set(raw.columns):
        raise InvalidInputError(
            f"{paths['passages']}: columns 'label' and 'text' not in the table; it has "
            f"{list(raw.columns)}; is this a framingclf passages table?")
    return ScoreResult(**{name: read_table(path, name) if path is not None else empty(name)
                          for name, path in paths.items()})
