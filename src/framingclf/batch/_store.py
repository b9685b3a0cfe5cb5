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
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framingclf._files import write_atomic, write_json
from framingclf._version import __version__
from framingclf.errors import InvalidInputError
from framingclf.tables import (
    FORMATS,
    PART_COLUMNS,
    PASSAGE_SCHEMA,
    RUN_FILE,
    TABLES,
    read_run,
    recover,
    typed,
)

PARTS_DIR = "parts"
FORMAT = "framingclf-results"
FORMAT_VERSION = 2
_META_KEY = b"framingclf"
_STALE_TMP_SECONDS = 60  # a part is written in milliseconds: older temp files are dead
_PART_SCHEMA = {c: PASSAGE_SCHEMA[c] for c in PART_COLUMNS}


@dataclass
class Part:
    """One document's results: its record (path, hash, title, pages, summary, or the
    error) and its passage rows."""

    record: dict
    table: pd.DataFrame

    @property
    def error(self) -> dict | None:
        return self.record.get("error")


def make_part(payload: dict, model: str, settings: dict) -> Part:
    """A part from a worker's result (`framingclf.batch._workers.score_chunk`)."""
    record = {k: v for k, v in payload.items() if k != "table"}
    record.update(model=model, settings=settings, framingclf=__version__)
    table = payload.get("table")
    table = typed(table if table is not None else pd.DataFrame(), _PART_SCHEMA)
    record["n_passages_written"] = len(table)
    return Part(record, table)


def _keep(payload: dict) -> bool:
    """Whether a result is worth keeping: a scored document, or one of framingclf's own
    read errors (the same content fails the same way every time)."""
    return payload.get("error") is None or bool(payload.get("cache"))


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
        if _keep(payload):
            self._parts[payload["sha256"]] = part
        return part


class FolderStore(MemoryStore):
    """Parts in ``out/parts``, one parquet file per document, written atomically (and
    kept in memory too, so the tables are built without reading them back)."""

    def __init__(self, out: str | Path, model: str, settings: dict, *, force: bool = False):
        super().__init__(model, settings)
        self.out = Path(out)
        self.parts = self.out / PARTS_DIR
        self._check(force)
        self.parts.mkdir(parents=True, exist_ok=True)
        recover(self.out)
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
            for fmt in FORMATS:
                (self.out / f"{name}.{fmt}").unlink(missing_ok=True)
        (self.out / RUN_FILE).unlink(missing_ok=True)

    def _foreign(self) -> str | None:
        """Why the folder's results are not this run's to extend, or None if they are."""
        if (self.out / RUN_FILE).is_file():
            run = read_run(self.out)
            if run.get("format") != FORMAT:
                return f"{RUN_FILE} is not a framingclf run file of this version"
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
        """Record the run as complete."""
        self._write_run({"status": "complete", "tables": fmt, **counts})

    def _write_run(self, extra: dict) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        write_json(self.out / RUN_FILE, {
            "format": FORMAT, "format_version": FORMAT_VERSION, "model": self.model,
            "settings": self.settings, "framingclf": __version__, **extra})

    def _remove_stale_temporaries(self) -> None:
        now = time.time()
        for folder in (self.parts, self.out):
            for tmp in folder.glob(".*.tmp"):
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
        if super().has(sha256):
            return True
        import pyarrow.parquet as pq

        try:
            meta = pq.read_metadata(self.path(sha256))
        except Exception:  # missing or damaged: score it again
            return False
        return self._trusted(_record(meta.metadata), sha256, meta.num_rows)

    def get(self, sha256: str) -> Part | None:
        part = super().get(sha256)
        if part is not None:
            return part
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(self.path(sha256))
        except Exception:  # missing or damaged: reported as missing results
            return None
        record = _record(table.schema.metadata)
        if record is None or not self._trusted(record, sha256, table.num_rows):
            return None
        return Part(record, typed(table.replace_schema_metadata(None).to_pandas(),
                                  _PART_SCHEMA))

    def put(self, payload: dict) -> Part:
        part = super().put(payload)
        if _keep(payload):
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(part.table, preserve_index=False)
            table = table.replace_schema_metadata(
                {_META_KEY: json.dumps(part.record, sort_keys=True, default=str)})
            write_atomic(self.path(payload["sha256"]), lambda fh: pq.write_table(table, fh))
        return part

    def _trusted(self, record: dict | None, sha256: str, n_rows: int) -> bool:
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
    """The model named in a passages table in `folder` (one without a run file), if any."""
    from framingclf.tables import read_table

    for fmt in FORMATS:
        path = folder / f"passages.{fmt}"
        if path.is_file():
            try:
                models = read_table(path, "passages")["model"].dropna()
            except Exception:  # an unreadable old table says nothing about its model
                return None
            return str(models.iloc[0]) if len(models) else None
    return None
