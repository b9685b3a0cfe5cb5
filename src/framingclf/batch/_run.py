"""`score_documents`: files, folders or manifests to passage, document and error tables.

A run is planned (`_plan`), its chunks are scored in this process or by worker
processes (joblib's loky, or a dask.distributed cluster through joblib's dask backend),
each document's results are kept as they arrive (`_store`), and the tables are built
from them in input order (`_assemble`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from framingclf.batch._assemble import assemble
from framingclf.batch._plan import chunks, plan
from framingclf.batch._progress import Progress, resolve_mode
from framingclf.batch._store import FolderStore, MemoryStore
from framingclf.batch._workers import ModelRef, score_chunk
from framingclf.errors import FramingError, InvalidInputError
from framingclf.inputs import find_inputs
from framingclf.segment import MAX_WORDS, MIN_WORDS
from framingclf.tables import DEFAULT_FORMAT, ScoreResult, check_format

#: Where the work runs when `jobs` asks for more than this process.
BACKENDS = ("loky", "dask")
#: Seconds a document may take to read before it becomes an error row.
DEFAULT_TIMEOUT = 120.0


def score_documents(
    inputs: Iterable[str | Path] | str | Path,
    model: Any = None,
    *,
    out: str | Path | None = None,
    fmt: str = DEFAULT_FORMAT,
    jobs: int | None = None,
    backend: str = "loky",
    scheduler: Any = None,
    resume: bool = False,
    force: bool = False,
    progress: str | bool | None = "auto",
    timeout: float | None = DEFAULT_TIMEOUT,
    min_words: int = MIN_WORDS,
    max_words: int = MAX_WORDS,
    audit: bool = True,
) -> ScoreResult:
    """Read, segment and score every document; return passages, documents and errors.

    `inputs`: files, folders (their documents, recursively) and manifests (`.csv` with a
    ``file`` column; the files it lists are scored, its other columns become metadata).
    `model`: a fitted model, a model directory, or None for the shipped one.

    With `out`, each document's results are saved as it finishes and the tables are
    written there as `fmt` (csv, jsonl or parquet); ``resume=True`` skips documents
    already scored there; a folder holding another model's results is refused unless
    ``force=True``. `jobs` worker processes share the documents (-1: all cores; default
    1, or all of the cluster's with ``backend="dask"``, which runs on the dask.distributed
    scheduler at `scheduler`: an address or a Client). `timeout`: seconds a document may
    take to read (None: no limit). `progress`: "auto" (a bar on a terminal or in
    Jupyter, else a line on stderr every 30 s), "bar", "log" or "none".

    Every input is accounted for: a document is in the documents table or the errors
    table, and so is every file found in a folder that is not a document.

    `audit`: add the document audit's verdicts to the documents table (one
    ``audit_<check>`` column per check; see `framingclf.audit`).
    """
    _check_options(fmt, backend, scheduler, jobs, resume, out, timeout)
    if audit:  # load the audit's model now: a broken one fails the run before, not after
        from framingclf.auditing.model import resolve_tagger

        resolve_tagger()  # cached: auditing in this process reuses it
    mode = resolve_mode(progress)
    settings = {"min_words": int(min_words), "max_words": int(max_words)}
    found = find_inputs(inputs, exclude=out)
    client, owned, workers = _executor(backend, scheduler, jobs)
    try:
        model_obj, ref = _resolve(model, in_process=backend == "loky" and workers == 1,
                                  portable=backend == "dask")
        model_id = ref.fingerprint[:12]
        store: MemoryStore
        if out is None:
            store = MemoryStore(ref.fingerprint, settings)
        else:
            store = FolderStore(out, ref.fingerprint, settings, force=force)
            store.start(fmt)
        items, todo, resumed = plan(found.inputs, store if resume else None)
        work = chunks(todo)
        if backend == "loky":
            workers = max(1, min(workers, len(work)))
            if workers == 1 and model_obj is None:
                model_obj = ref.load()
        fresh_errors: dict[str, dict] = {}
        known_errors = len(found.errors) + sum(item.error is not None for item in items)
        options = {**settings, "timeout": timeout}
        with Progress(mode, len(todo), resumed=resumed, workers=workers if workers > 0
                      else "all", errors=known_errors) as bar:
            for results in _run(work, model_obj, ref, model_id, options, workers, backend,
                                client, out):
                for payload in results:
                    _keep(payload, store, fresh_errors, bar)
    finally:
        if owned:
            client.close()
    result = assemble(items, store, fresh_errors, found.errors)
    if audit:
        from framingclf.auditing.columns import with_audit

        # the shipped model by reference: worker processes load it once each
        result = with_audit(result, None, jobs=workers if backend == "loky" else 1)
    if isinstance(store, FolderStore):
        result.save(store.out, fmt)
        store.finish(fmt, {"documents": len(result.documents),
                           "passages": len(result.passages), "errors": len(result.errors)})
    return result


def _check_options(fmt, backend, scheduler, jobs, resume, out, timeout) -> None:
    check_format(fmt)
    if backend not in BACKENDS:
        raise InvalidInputError(f"backend {backend!r}; expected one of {list(BACKENDS)}")
    if scheduler is not None and backend != "dask":
        raise InvalidInputError("a scheduler is for backend 'dask'; add --backend dask")
    if jobs is not None and (not isinstance(jobs, int) or jobs == 0):
        raise InvalidInputError(f"jobs={jobs!r}; expected a whole number of workers, or -1 "
                                "for all cores")
    if resume and out is None:
        raise InvalidInputError("resume needs the output folder of the run to resume (out)")
    if timeout is not None and not timeout > 0:
        raise InvalidInputError(f"timeout={timeout!r}; expected a number of seconds > 0, "
                                "or None for no limit")


def _executor(backend: str, scheduler: Any, jobs: int | None) -> tuple[Any, bool, int]:
    """The dask client (and whether this run made it) and the number of workers."""
    if backend == "dask":
        client, owned = _dask_client(scheduler)
        return client, owned, jobs or -1
    from joblib import effective_n_jobs

    return None, False, effective_n_jobs(jobs or 1)


def _resolve(model: Any, *, in_process: bool, portable: bool) -> tuple[Any, ModelRef]:
    """The model object (when this process scores, or it must travel) and how workers
    find it. A model directory's fingerprint is checked where the model is loaded."""
    from framingclf.persistence import read_manifest, resolve_model, resolve_model_dir

    directory = resolve_model_dir(model)
    if directory is None or in_process or portable:
        obj = resolve_model(model)
        ref = (ModelRef.of(obj) if directory is None or portable
               else ModelRef(obj.fingerprint(), directory=str(directory)))
        return obj, ref
    return None, ModelRef(read_manifest(directory)["fingerprint"], directory=str(directory))


def _dask_client(scheduler: Any) -> tuple[Any, bool]:
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


def _run(work, model, ref: ModelRef, model_id: str, options: dict, workers: int,
         backend: str, client, out) -> Iterator[list[dict]]:
    """Each chunk's results, as they finish (in order when in this process)."""
    if workers == 1 and backend == "loky":
        for chunk in work:
            yield score_chunk(chunk, model, model_id, **options)
        return
    from joblib import Parallel, delayed, parallel_config

    tasks = (delayed(score_chunk)(chunk, ref, model_id, **options) for chunk in work)
    # chunks are batches already: one per task; at most two waiting per worker
    settings = dict(n_jobs=workers, return_as="generator_unordered", batch_size=1,
                    pre_dispatch="2*n_jobs")
    try:
        if backend == "dask":
            with parallel_config(backend="dask", client=client):
                yield from Parallel(**settings)(tasks)
        else:
            # joblib's default executor, shared with other joblib calls in the session
            # rather than restarted (and the model reloaded)
            yield from Parallel(backend="loky", **settings)(tasks)
    except (FramingError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise FramingError(_lost_workers(exc, backend, out)) from None


def _lost_workers(exc: Exception, backend: str, out) -> str:
    todo = (f"the finished documents are saved in {out}: run again with --resume"
            if out is not None else "run again with out= to keep finished documents")
    if type(exc).__name__ == "TerminatedWorkerError":  # loky's, via joblib
        codes = re.search(r"exit codes of the workers are \{([^}]*)\}", str(exc))
        what = f" (exit codes {codes.group(1)})" if codes else ""
        return (f"a worker process died while scoring{what}, from a crash or too little "
                f"memory; {todo}, with fewer jobs if memory ran out")
    where = "the dask cluster" if backend == "dask" else "the worker processes"
    return (f"scoring stopped: {where} failed ({type(exc).__name__}: {exc}); {todo} once "
            "the cause is fixed")


def _keep(payload: dict, store, fresh_errors: dict, bar: Progress) -> None:
    """Store one document's results as it arrives; count it."""
    store.put(payload)
    error = payload.get("error")
    if error is not None and not payload.get("cache"):
        fresh_errors[payload["path"]] = error
    table = payload.get("table")
    bar.update(pages=payload.get("n_pages", 0) or 0,
               passages=len(table) if table is not None else 0,
               errors=int(error is not None))
