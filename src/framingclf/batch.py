"""Scoring documents: files, folders or a manifest to passage, document and error tables.

`score_documents` reads, segments and scores every document, in this process or spread
over worker processes (joblib's loky, or a dask.distributed cluster through joblib's
dask backend). Parallel work is over documents, never inside spaCy: workers take
chunks of a few documents, load the model once each, and send back plain tables.

With an output folder, each document's results are written as soon as they arrive, as
one part keyed by the file's content hash and the model (see `framingclf.parts`), and
the tables are then built from the parts in the order of the sorted input paths: the
same inputs give identical tables however many workers ran, and a run interrupted and
resumed gives exactly the tables of an uninterrupted one. A file that cannot be read
becomes one row of the errors table; the rest are scored. A file whose content repeats
an earlier one is scored once, under the first path (the others are listed in the
document's ``duplicate_paths``).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from framingclf.documents import manifest_entries, source_metadata
from framingclf.errors import FramingError, InvalidInputError, ModelLoadError
from framingclf.labels import FRAMINGS
from framingclf.parts import (
    PART_SCHEMA,
    TABLE_FORMATS,
    FolderStore,
    MemoryStore,
    write_atomic,
)
from framingclf.progress import Progress, resolve_mode
from framingclf.readers import READABLE_SUFFIXES, content_hash
from framingclf.workers import ModelRef, document_summary, score_chunk

__all__ = ["ScoreResult", "document_summary", "iter_input_files", "score_documents"]

#: Where the work runs when `jobs` asks for more than this process.
BACKENDS = ("loky", "dask")

#: A chunk (one task for a worker) holds at most this many documents or bytes: enough
#: to spread the model's per-call cost, few enough that the workers stay balanced and
#: an interruption loses little.
CHUNK_DOCUMENTS = 4
CHUNK_BYTES = 1 << 20

#: Metadata columns of both tables, when known.
META_COLUMNS = ("organisation", "date", "year", "doc_type")
_DOC_TYPE_KEYS = ("doc_type", "type", "document_type")
_YEAR = re.compile(r"^((?:19|20)\d\d)")

ERROR_COLUMNS = ["path", "stage", "error", "message"]
DOCUMENT_COLUMNS = [
    "doc_id", "path", "title", "format", "n_pages", *META_COLUMNS, "n_passages",
    "n_framing", "share_none", *(f"share_{label}" for label in FRAMINGS), "upstream_index",
    "upstream_low", "upstream_high", "deficit_rate", "n_deficit_terms", "few_passages",
    "duplicate_paths", "model"]


@dataclass
class ScoreResult:
    """The three tables of a scoring run: passages, documents and errors."""

    passages: pd.DataFrame
    documents: pd.DataFrame
    errors: pd.DataFrame

    def save(self, out_dir: str | Path, fmt: str = "csv") -> list[Path]:
        """Write the passages, documents and errors tables to `out_dir` as csv, jsonl or
        parquet, each written completely or not at all."""
        if fmt not in TABLE_FORMATS:
            raise InvalidInputError(f"format {fmt!r}; expected one of {list(TABLE_FORMATS)}")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in ("passages", "documents", "errors"):
            frame = getattr(self, name)
            target = out / f"{name}.{fmt}"
            if fmt == "parquet":
                data = pa.Table.from_pandas(frame, preserve_index=False)
            else:  # streamed to the file, never held whole as text
                data = partial(_write_text, frame, fmt)
            write_atomic(target, data)  # never leave a half-written table behind
            written.append(target)
        return written


def _write_text(frame: pd.DataFrame, fmt: str, fh) -> None:
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
    if fmt == "csv":
        frame.to_csv(text, index=False)
    else:
        frame.to_json(text, orient="records", lines=True, force_ascii=False)
    text.flush()
    text.detach()  # leave `fh` open for write_atomic to sync and close


@dataclass
class _Input:
    """A file to score, its metadata, and what the run learned about it."""

    path: Path
    metadata: dict
    sha256: str | None = None
    error: dict | None = None           # it could not even be hashed
    first: _Input | None = None         # an earlier input with the same content
    duplicates: list[str] = field(default_factory=list)


def iter_input_files(inputs: Iterable[str | Path] | str | Path, *,
                     exclude: str | Path | None = None) -> Iterator[Path]:
    """The files to score: each file given, and the readable files inside each folder
    (hidden files and folders, and the folder `exclude`, left out)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    skip = Path(exclude).resolve() if exclude is not None else None
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in READABLE_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts)
                           and not (skip and p.resolve().is_relative_to(skip)))
            if not files:
                raise InvalidInputError(
                    f"{path}: folder holds no readable documents "
                    f"({', '.join(sorted(READABLE_SUFFIXES))})"
                )
            yield from files
        elif path.exists():
            yield path
        else:
            raise InvalidInputError(f"{path}: no such file or folder")


def _list_inputs(inputs, exclude: Path | None) -> list[_Input]:
    """Every file to score with its metadata, sorted by path; a `.csv` input is a
    manifest, whose files are scored and whose columns are their metadata."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = list(inputs)
    if not inputs:
        raise InvalidInputError("nothing to score: give files, folders or a manifest (.csv)")
    files: dict[str, Path] = {}
    listed: dict[str, dict] = {}
    for item in inputs:
        path = Path(item)
        if path.suffix.lower() == ".csv" and not path.is_dir():
            for file, metadata in manifest_entries(path):
                key = os.path.abspath(file)
                files.setdefault(key, file)
                listed[key] = metadata
        else:
            for file in iter_input_files([path], exclude=exclude):
                files.setdefault(os.path.abspath(file), file)
    found = []
    for key, path in files.items():
        metadata = {**source_metadata(path), **listed.get(key, {})}
        found.append(_Input(path, _normalise(metadata)))
    return sorted(found, key=lambda i: i.path.as_posix())


def _normalise(metadata: dict) -> dict:
    """Metadata with the document type under `doc_type` and the year from the date."""
    metadata = dict(metadata)
    for key in _DOC_TYPE_KEYS:
        value = metadata.pop(key, None)
        if value and "doc_type" not in metadata:
            metadata["doc_type"] = value
    match = _YEAR.match(str(metadata.get("date", "")))
    if match and "year" not in metadata:
        metadata["year"] = int(match.group(1))
    elif "year" in metadata:
        try:
            metadata["year"] = int(metadata["year"])
        except (TypeError, ValueError):
            metadata.pop("year")
    return metadata


def _resolve_model(model, *, need_object: bool, portable: bool) -> tuple[Any, ModelRef]:
    """The model object (when this process scores) and how workers find it."""
    from framingclf.persistence import default_model_dir, load_model, read_manifest
    from framingclf.scoring import default_model

    shipped = default_model_dir()
    if model is None or isinstance(model, (str, Path)):
        directory = shipped if model is None else Path(model)
        fingerprint = read_manifest(directory)["fingerprint"]
        is_shipped = model is None
        obj = None
        if need_object or (portable and not is_shipped):
            obj = default_model() if is_shipped else load_model(directory)
    else:
        if not hasattr(model, "fingerprint"):
            raise InvalidInputError(f"model: expected a FramingClassifier or a model "
                                    f"directory, got {type(model).__name__}")
        obj, fingerprint, directory = model, model.fingerprint(), None
        try:
            is_shipped = fingerprint == read_manifest(shipped)["fingerprint"]
        except ModelLoadError:  # no shipped model here: this one travels by itself
            is_shipped = False
    if is_shipped:
        ref = ModelRef(fingerprint, shipped=True)
    elif directory is not None and not portable:
        ref = ModelRef(fingerprint, directory=str(directory))
    else:  # a model in memory, or a cluster whose machines may not see the directory
        ref = ModelRef.of(obj, fingerprint)
    return obj, ref


def _chunks(items: list[_Input]) -> list[list[tuple[str, str]]]:
    chunks, current, size = [], [], 0
    for item in items:
        try:
            nbytes = item.path.stat().st_size
        except OSError:
            nbytes = 0
        if current and (len(current) >= CHUNK_DOCUMENTS or size + nbytes > CHUNK_BYTES):
            chunks.append(current)
            current, size = [], 0
        current.append((str(item.path), item.sha256))
        size += nbytes
    if current:
        chunks.append(current)
    return chunks


def _dask_client(scheduler):
    try:
        from distributed import Client, get_client
    except ImportError:
        raise InvalidInputError("backend 'dask' needs dask.distributed; install it with "
                                "pip install 'framingclf[dask]'") from None
    if scheduler is None:
        try:
            return get_client(), False
        except ValueError:
            raise InvalidInputError(
                "backend 'dask' needs a scheduler: pass its address (--scheduler "
                "tcp://HOST:8786), or connect a dask Client in this session first") from None
    if isinstance(scheduler, str):
        try:
            return Client(scheduler, timeout="20s"), True
        except (OSError, TimeoutError) as exc:
            raise InvalidInputError(f"dask scheduler {scheduler}: cannot connect ({exc}); "
                                    "check the address and that the scheduler is running"
                                    ) from None
    return scheduler, False  # a Client


def _run(chunks, model, ref: ModelRef, model_id: str, settings: dict, workers: int,
         backend: str, client) -> Iterator[list[dict]]:
    """Each chunk's results, as they finish (in order when in this process)."""
    if workers == 1 and backend == "loky":
        for chunk in chunks:
            yield score_chunk(chunk, model, model_id, **settings)
        return
    from joblib import Parallel, delayed, parallel_config

    tasks = (delayed(score_chunk)(chunk, ref, model_id, **settings) for chunk in chunks)
    # chunks are batches already: one per task; at most two waiting per worker
    options = dict(n_jobs=workers, return_as="generator_unordered", batch_size=1,
                   pre_dispatch="2*n_jobs")
    if backend == "dask":
        with parallel_config(backend="dask", client=client):
            yield from Parallel(**options)(tasks)
    else:
        # joblib's default executor settings, so that workers are shared with other
        # joblib calls in the session rather than restarted (and the model reloaded)
        yield from Parallel(backend="loky", **options)(tasks)


def score_documents(
    inputs: Iterable[str | Path] | str | Path,
    model=None,
    *,
    out: str | Path | None = None,
    fmt: str = "parquet",
    jobs: int | None = None,
    backend: str = "loky",
    scheduler=None,
    resume: bool = False,
    force: bool = False,
    progress: str | bool | None = "auto",
    min_words: int = 8,
    max_words: int = 160,
) -> ScoreResult:
    """Read, segment and score every document; return passages, documents and errors.

    `inputs`: files, folders (their readable files, recursively) and manifests (`.csv`
    with a ``file`` column; the files it lists are scored, its other columns become
    metadata). `model`: a fitted model, a model directory, or None for the shipped one.

    With `out`, each document's results are saved as it finishes and the tables are
    written there as `fmt` (parquet, csv or jsonl); ``resume=True`` skips documents
    already scored there; a folder holding another model's results is refused unless
    ``force=True``. `jobs` worker processes share the documents (-1: all cores; default
    1, or all of the cluster's with ``backend="dask"``, which runs on the dask.distributed
    scheduler at `scheduler`: an address or a Client). `progress`: "auto" (a bar on a
    terminal, else a line on stderr every 30 s), "bar", "log" or "none".
    """
    if fmt not in TABLE_FORMATS:
        raise InvalidInputError(f"format {fmt!r}; expected one of {list(TABLE_FORMATS)}")
    if backend not in BACKENDS:
        raise InvalidInputError(f"backend {backend!r}; expected one of {list(BACKENDS)}")
    if scheduler is not None and backend != "dask":
        raise InvalidInputError("a scheduler is for backend 'dask'; add --backend dask")
    if jobs is not None and (not isinstance(jobs, int) or jobs == 0):
        raise InvalidInputError(f"jobs={jobs!r}; expected a whole number of workers, or -1 "
                                "for all cores")
    if resume and out is None:
        raise InvalidInputError("resume needs the output folder of the run to resume (out)")
    mode = resolve_mode(progress)
    settings = {"min_words": int(min_words), "max_words": int(max_words)}
    items = _list_inputs(inputs, Path(out) if out is not None else None)

    if backend == "dask":
        client, owned = _dask_client(scheduler)
        workers = jobs or -1
    else:
        from joblib import effective_n_jobs

        client, owned = None, False
        workers = effective_n_jobs(jobs or 1)
    try:
        in_process = backend == "loky" and workers == 1
        model_obj, ref = _resolve_model(model, need_object=in_process,
                                        portable=backend == "dask")
        model_id = ref.fingerprint[:12]
        if out is None:
            store = MemoryStore(ref.fingerprint, settings)
        else:
            store = FolderStore(out, ref.fingerprint, settings, force=force)
            store.start(fmt)
        todo, resumed = _plan(items, store if resume else None)
        chunks = _chunks(todo)
        if backend == "loky":
            workers = max(1, min(workers, len(chunks)))
            if workers == 1 and model_obj is None:
                model_obj, ref = _resolve_model(model, need_object=True, portable=False)
        by_path = {str(item.path): item for item in todo}
        fresh_errors: dict[str, dict] = {}
        shown = workers if workers > 0 else "all"
        with Progress(mode, len(todo), resumed=resumed, workers=shown) as bar:
            try:
                for results in _run(chunks, model_obj, ref, model_id, settings, workers,
                                    backend, client):
                    for payload in results:
                        _keep(payload, store, by_path, fresh_errors, bar)
            except Exception as exc:
                if type(exc).__name__ != "TerminatedWorkerError":  # loky's, via joblib
                    raise
                raise FramingError(_worker_died(exc, out)) from None
    finally:
        if owned:
            client.close()
    result = _assemble(items, store, fresh_errors, model_id)
    if out is not None:
        result.save(out, fmt)
        store.finish(fmt, {"documents": len(result.documents),
                           "passages": len(result.passages), "errors": len(result.errors)})
    return result


def _worker_died(exc: Exception, out) -> str:
    codes = re.search(r"exit codes of the workers are \{([^}]*)\}", str(exc))
    what = f" (exit codes {codes.group(1)})" if codes else ""
    todo = (f"the finished documents are saved in {out}: run again with --resume"
            if out is not None else "run again with out= to keep finished documents")
    return (f"a worker process died while scoring{what}, from a crash or too little memory; "
            f"{todo}, with fewer jobs if memory ran out")


def _plan(items: list[_Input], resume_from) -> tuple[list[_Input], int]:
    """Hash every input; return those to score (not repeats, not already scored) and
    the number already scored."""
    seen: dict[str, _Input] = {}
    todo, resumed = [], 0
    for item in items:
        try:
            item.sha256 = content_hash(item.path)
        except FramingError as exc:
            item.error = {"stage": "hash", "error": type(exc).__name__, "message": str(exc)}
            continue
        first = seen.get(item.sha256)
        if first is not None:
            item.first = first
            first.duplicates.append(str(item.path))
            continue
        seen[item.sha256] = item
        if resume_from is not None and resume_from.has(item.sha256):
            resumed += 1
        else:
            todo.append(item)
    return todo, resumed


def _keep(payload: dict, store, by_path: dict, fresh_errors: dict, bar: Progress) -> None:
    """Store one document's results as it arrives; count it."""
    item = by_path.get(payload["path"])
    if item is not None and payload["sha256"] and payload["sha256"] != item.sha256:
        item.sha256 = payload["sha256"]  # the file changed since it was hashed
    store.put(payload)
    error = payload.get("error")
    if error is not None and not payload.get("cache"):
        fresh_errors[payload["path"]] = error
    columns = payload.get("columns") or {}
    bar.update(pages=payload.get("n_pages", 0), passages=len(columns.get("text", ())),
               errors=int(error is not None))


def _assemble(items: list[_Input], store, fresh_errors: dict, model_id: str) -> ScoreResult:
    """The tables, from the parts, in the order of the sorted input paths."""
    tables, documents, errors = [], [], []
    failed: dict[str, tuple[dict, str]] = {}  # content not scored: its error, and where
    for item in items:
        if item.error is not None:
            errors.append({"path": str(item.path), **item.error})
            continue
        if item.first is not None:
            if item.first.sha256 in failed:
                error, source = failed[item.first.sha256]
                errors.append(_error_row(item, error, source))
            continue
        part = store.get(item.sha256)
        if part is None or part.error is not None:
            if part is not None:
                error, source = part.error, part.record.get("path", "")
            else:
                error = fresh_errors.get(str(item.path)) or {
                    "stage": "assemble", "error": "MissingResults",
                    "message": f"{item.path}: its results are missing or damaged; run "
                               "again with --resume to score it again"}
                source = str(item.path)
            failed[item.sha256] = (error, source)
            errors.append(_error_row(item, error, source))
            continue
        metadata = {**part.record.get("metadata", {}), **item.metadata}
        title = metadata.pop("title", None) or part.record.get("title")
        known = {key: metadata.pop(key, None) for key in META_COLUMNS}
        documents.append({
            "doc_id": item.sha256[:16], "path": str(item.path), "title": title,
            "format": part.record.get("format"), "n_pages": part.record.get("n_pages"),
            **known, **part.record.get("summary", {}),
            "duplicate_paths": list(item.duplicates), "model": model_id,
            **{key: metadata[key] for key in sorted(metadata)}})
        tables.append(_with_metadata(part.table, str(item.path), known))
    return ScoreResult(passages=_passages_frame(tables), documents=_documents_frame(documents),
                       errors=pd.DataFrame(errors, columns=ERROR_COLUMNS))


def _error_row(item: _Input, error: dict, source: str) -> dict:
    message = str(error.get("message", ""))
    if source and source != str(item.path):  # the same content failed under another path
        message = message.replace(source, str(item.path))
    return {"path": str(item.path), "stage": error.get("stage"), "error": error.get("error"),
            "message": message}


_PASSAGE_META = [("path", pa.string()), ("organisation", pa.string()), ("date", pa.string()),
                 ("year", pa.int64()), ("doc_type", pa.string())]


def passage_schema() -> pa.Schema:
    """The passages table's columns and types, in order."""
    fields = list(PART_SCHEMA)
    return pa.schema([fields[0], *[pa.field(n, t) for n, t in _PASSAGE_META], *fields[1:]])


def _with_metadata(table: pa.Table, path: str, known: dict) -> pa.Table:
    n = table.num_rows
    values = {"path": path, **known}
    extra = {name: pa.array([values.get(name)] * n, type=kind) for name, kind in _PASSAGE_META}
    schema = passage_schema()
    return pa.table({f.name: extra[f.name] if f.name in extra else table.column(f.name)
                     for f in schema}, schema=schema)


def _passages_frame(tables: list[pa.Table]) -> pd.DataFrame:
    table = pa.concat_tables(tables) if tables else passage_schema().empty_table()
    frame = table.to_pandas()
    for column in ("position", "year"):
        frame[column] = frame[column].astype("Int64")
    frame["deficit_terms"] = [list(terms) for terms in frame["deficit_terms"]]
    return frame


def _documents_frame(rows: list[dict]) -> pd.DataFrame:
    extra = sorted({key for row in rows for key in row} - set(DOCUMENT_COLUMNS))
    frame = pd.DataFrame(rows, columns=[*DOCUMENT_COLUMNS, *extra])
    frame["year"] = frame["year"].astype("Int64")
    return frame
