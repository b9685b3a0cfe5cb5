"""Where a scoring run keeps each document's results: in memory, or a results folder.

A results folder (``framingclf score --out DIR``) holds::

    DIR/run.json                          the model's fingerprint, settings, table format
    DIR/parts/<sha256>-<model>.parquet    one part per document, by content and model
    DIR/passages.<fmt>, documents.<fmt>, errors.<fmt>   the tables, built from the parts

A part is written to a temporary file, flushed to disk and renamed into place, so it is
complete or absent: an interrupted run (Ctrl-C, kill -9, power loss) loses at most the
documents in flight. A part is trusted only if it parses and its own record (content
hash, model, settings, row count) matches the run. A folder holding another model's
results, or results scored with other settings, is refused unless ``force``, which
deletes them: tables from two models must never mix.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from framingclf.errors import InvalidInputError
from framingclf.scoring import PROBA_COLUMNS

RUN_FILE = "run.json"
PARTS_DIR = "parts"
FORMAT = "framingclf-results"
FORMAT_VERSION = 1
TABLES = ("passages", "documents", "errors")
TABLE_FORMATS = ("parquet", "csv", "jsonl")
_META_KEY = b"framingclf"
_STALE_TMP_SECONDS = 60  # a part is written in milliseconds: older temp files are dead

#: The columns of a part, as a worker returns them (`framingclf.workers.PASSAGE_COLUMNS`).
PART_SCHEMA = pa.schema(
    [("doc_id", pa.string()), ("passage_id", pa.string()), ("page_start", pa.int64()),
     ("page_end", pa.int64()), ("char_start", pa.int64()), ("char_end", pa.int64()),
     ("heading", pa.string()), ("text", pa.string()), ("label", pa.string()),
     ("confidence", pa.float64()), *[(c, pa.float64()) for c in PROBA_COLUMNS],
     ("position", pa.int64()), ("review", pa.bool_()), ("flag", pa.string()),
     ("deficit_terms", pa.list_(pa.string())), ("model", pa.string())])


@dataclass
class Part:
    """One document's results: its record (path, hash, title, pages, summary, or the
    error) and its passages."""

    record: dict
    table: pa.Table

    @property
    def error(self) -> dict | None:
        return self.record.get("error")


def make_part(payload: dict, model: str, settings: dict) -> Part:
    """A part from a worker's result (`framingclf.workers.score_chunk`)."""
    from framingclf import __version__

    record = {k: v for k, v in payload.items() if k != "columns"}
    record.update(model=model, settings=settings, framingclf=__version__)
    columns = payload.get("columns")
    if columns is None:
        table = PART_SCHEMA.empty_table()
    else:
        table = pa.table({f.name: pa.array(columns[f.name], type=f.type)
                          for f in PART_SCHEMA}, schema=PART_SCHEMA)
    record["n_passages_written"] = table.num_rows
    return Part(record, table)


class MemoryStore:
    """Parts kept in memory, for a run without an output folder."""

    def __init__(self, model: str, settings: dict):
        self.model, self.settings = model, settings
        self._parts: dict[str, Part] = {}

    def has(self, sha256: str) -> bool:
        return sha256 in self._parts

    def get(self, sha256: str) -> Part | None:
        return self._parts.get(sha256)

    def put(self, payload: dict) -> Part:
        part = make_part(payload, self.model, self.settings)
        if payload.get("error") is None or payload.get("cache"):
            self._parts[payload["sha256"]] = part
        return part


class FolderStore:
    """Parts in ``out/parts``, one parquet file per document, written atomically."""

    def __init__(self, out: str | Path, model: str, settings: dict, *, force: bool = False):
        self.out = Path(out)
        self.parts = self.out / PARTS_DIR
        self.model, self.settings = model, settings
        self._check(force)
        self.parts.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temporaries()

    # -- the folder as a whole ----------------------------------------------------------
    def _check(self, force: bool) -> None:
        if self.out.exists() and not self.out.is_dir():
            raise InvalidInputError(f"{self.out}: is a file; --out needs a folder")
        problem = self._foreign()
        if problem is None:
            return
        if not force:
            raise InvalidInputError(
                f"{self.out}: {problem}; the tables of two models or settings must not mix. "
                "Pass --force (force=True) to delete them and score afresh, or choose "
                "another --out folder")
        shutil.rmtree(self.parts, ignore_errors=True)
        for name in TABLES:
            for fmt in TABLE_FORMATS:
                (self.out / f"{name}.{fmt}").unlink(missing_ok=True)
        (self.out / RUN_FILE).unlink(missing_ok=True)

    def _foreign(self) -> str | None:
        """Why the folder's results are not this run's to extend, or None if they are."""
        run_file = self.out / RUN_FILE
        if run_file.is_file():
            try:
                run = json.loads(run_file.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                return f"{RUN_FILE} cannot be read ({exc})"
            if not isinstance(run, dict) or run.get("format") != FORMAT:
                return f"{RUN_FILE} is not a framingclf run file"
            if run.get("model") != self.model:
                return (f"holds results of model {str(run.get('model'))[:12]}, not of the "
                        f"model scoring now ({self.model[:12]})")
            if run.get("settings") != self.settings:
                return (f"holds results scored with settings {run.get('settings')}, not "
                        f"{self.settings}")
            return None
        found = _table_model(self.out)
        if found is not None and found != self.model[:12]:
            return (f"holds a passages table of model {found}, not of the model scoring "
                    f"now ({self.model[:12]})")
        return None

    def start(self, fmt: str) -> None:
        """Record the run (model, settings, table format) before any part is written."""
        self._write_run({"status": "running", "tables": fmt})

    def finish(self, fmt: str, counts: dict) -> None:
        """Drop tables of other formats; record the run as complete."""
        for name in TABLES:
            for other in TABLE_FORMATS:
                if other != fmt:
                    (self.out / f"{name}.{other}").unlink(missing_ok=True)
        self._write_run({"status": "complete", "tables": fmt, **counts})

    def _write_run(self, extra: dict) -> None:
        from framingclf import __version__

        run = {"format": FORMAT, "format_version": FORMAT_VERSION, "model": self.model,
               "settings": self.settings, "framingclf": __version__, **extra}
        self.out.mkdir(parents=True, exist_ok=True)
        write_atomic(self.out / RUN_FILE,
                     (json.dumps(run, indent=2, sort_keys=True) + "\n").encode("utf-8"))

    def _remove_stale_temporaries(self) -> None:
        now = time.time()
        for tmp in self.parts.glob(".*.tmp"):
            try:
                if now - tmp.stat().st_mtime > _STALE_TMP_SECONDS:
                    tmp.unlink()
            except OSError:
                pass

    # -- parts --------------------------------------------------------------------------
    def path(self, sha256: str) -> Path:
        return self.parts / f"{sha256}-{self.model[:12]}.parquet"

    def has(self, sha256: str) -> bool:
        """Whether a complete, trusted part of this content exists (reads only its footer)."""
        try:
            meta = pq.read_metadata(self.path(sha256))
        except (OSError, pa.ArrowException):
            return False
        return self._trusted(_record(meta.metadata), sha256, meta.num_rows)

    def get(self, sha256: str) -> Part | None:
        try:
            table = pq.read_table(self.path(sha256), schema=None)
        except (OSError, pa.ArrowException):
            return None
        record = _record(table.schema.metadata)
        if not self._trusted(record, sha256, table.num_rows):
            return None
        return Part(record, table.replace_schema_metadata(None))

    def put(self, payload: dict) -> Part:
        part = make_part(payload, self.model, self.settings)
        if payload.get("error") is None or payload.get("cache"):
            table = part.table.replace_schema_metadata(
                {_META_KEY: json.dumps(part.record, sort_keys=True, default=str)})
            write_atomic(self.path(payload["sha256"]), table)
        return part

    def _trusted(self, record: dict | None, sha256: str, n_rows: int) -> bool:
        from framingclf import __version__

        if (not record or record.get("sha256") != sha256 or record.get("model") != self.model
                or record.get("settings") != self.settings
                or record.get("n_passages_written") != n_rows):
            return False
        # a failure is retried after an upgrade, which may have fixed the reader
        return record.get("error") is None or record.get("framingclf") == __version__


def _record(metadata: dict | None) -> dict | None:
    try:
        return json.loads(metadata[_META_KEY]) if metadata else None
    except (KeyError, ValueError):
        return None


def _table_model(folder: Path) -> str | None:
    """The model named in the first row of a passages table in `folder`, if any."""
    import pandas as pd

    try:
        if (folder / "passages.parquet").is_file():
            frame = pd.read_parquet(folder / "passages.parquet", columns=["model"])
        elif (folder / "passages.csv").is_file():
            frame = pd.read_csv(folder / "passages.csv", nrows=1, dtype=str)
        elif (folder / "passages.jsonl").is_file():
            with open(folder / "passages.jsonl", encoding="utf-8") as fh:
                frame = pd.DataFrame([json.loads(fh.readline() or "{}")])
        else:
            return None
    except Exception:  # an unreadable old table says nothing about its model
        return None
    if "model" not in frame.columns or not len(frame) or pd.isna(frame["model"].iloc[0]):
        return None
    return str(frame["model"].iloc[0])


def write_atomic(target: Path, data: bytes | pa.Table | Callable[[BinaryIO], None]) -> None:
    """Write `data` to `target` completely or not at all: bytes, an Arrow table (as
    parquet) or a function writing to a binary file, into a temporary file beside it,
    flushed to disk, then renamed over it."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            if isinstance(data, pa.Table):
                pq.write_table(data, fh)
            elif callable(data):
                data(fh)
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
