"""The work of batch scoring, as done in a worker: documents in, plain tables out.

`score_chunk` reads, segments and scores a few documents and returns for each a small
dict holding its record and a DataFrame of passage rows, never spaCy Docs or
`Document`s, which are slow to pickle and large to hold. The passages of a chunk go
through the model in one call (scores are per passage, so chunking changes no number).
The model travels as a `ModelRef`: the model directory when it is on disk, else its
pickled bytes; each process loads it once and keeps it by fingerprint.

Each document is read under a time limit (``timeout`` seconds, where the platform has
SIGALRM and the worker runs in its main thread): a document that takes longer becomes
an error row and the worker goes on with the next.
"""

from __future__ import annotations

import pickle
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from framingclf.errors import DocumentReadError, FramingError, ModelLoadError

_MODELS: dict[str, Any] = {}
_CACHE_LOCK = threading.Lock()
# Threaded workers (dask's default) share one process: pdfium is not thread-safe, and
# they share one model. Uncontended, and so free, in worker processes.
_READ_LOCK = threading.Lock()
_SCORE_LOCK = threading.Lock()


class DocumentTimeout(DocumentReadError):
    """A document took longer to read than the run's time limit."""


@dataclass(frozen=True)
class ModelRef:
    """How a worker finds the model: the shipped one, a directory, or pickled bytes."""

    fingerprint: str
    directory: str | None = None
    payload: bytes | None = None

    @classmethod
    def of(cls, model: Any) -> ModelRef:
        """A reference carrying `model` itself, pickled once here."""
        return cls(model.fingerprint(),
                   payload=pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))

    def load(self) -> Any:
        """The model, loaded once per process (the last one used is kept)."""
        with _CACHE_LOCK:
            model = _MODELS.get(self.fingerprint)
            if model is None:
                model = self._load()
                if model.fingerprint() != self.fingerprint:
                    raise ModelLoadError(
                        f"{self.directory or 'model'}: fingerprint "
                        f"{model.fingerprint()[:12]} differs from the one the run was "
                        f"started with ({self.fingerprint[:12]}); was the model changed "
                        "during the run? Start the run again")
                _MODELS.clear()
                _MODELS[self.fingerprint] = model
            return model

    def _load(self) -> Any:
        if self.payload is not None:
            return pickle.loads(self.payload)
        from framingclf.persistence import resolve_model

        return resolve_model(self.directory)


@contextmanager
def time_limit(seconds: float | None, path: str) -> Iterator[None]:
    """Raise `DocumentTimeout` in this thread if the block runs longer than `seconds`
    (where SIGALRM exists and this is the main thread; else no limit)."""
    usable = (hasattr(signal, "SIGALRM")
              and threading.current_thread() is threading.main_thread())
    if not seconds or not usable:
        yield
        return

    def expire(signum, frame):
        raise DocumentTimeout(f"{path}: reading took longer than {seconds:g} s, the time "
                              "limit; the file may be malformed or very large. Check it, or "
                              "raise the limit with --timeout")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def score_chunk(items: list[tuple[str, str]], model: Any, model_id: str, *,
                min_words: int, max_words: int, timeout: float | None = None) -> list[dict]:
    """Score the documents `items` (path, SHA-256) with `model` (or a `ModelRef`), whose
    fingerprint's first 12 hex digits are `model_id`; one dict each.

    A scored document gives ``{"path", "sha256", "title", "n_pages", "format",
    "metadata", "summary", "table"}``; one that fails gives ``{"path", "sha256",
    "error": {"stage", "error", "message"}, "cache"}``, where ``cache`` is true for
    framingclf's own errors (the same content fails the same way every time).
    """
    from framingclf.readers import read_document
    from framingclf.segment import segment

    if isinstance(model, ModelRef):
        model = model.load()
    results: list[dict | None] = []
    pending: list[tuple[int, str, Any, list]] = []  # index in results, path, doc, passages
    for path, sha256 in items:
        stage = "read"
        try:
            with _READ_LOCK, time_limit(timeout, path):
                document = read_document(path, metadata=False, sha256=sha256)
                stage = "segment"
                passages = segment(document, min_words=min_words, max_words=max_words)
        except Exception as exc:  # one bad file must not stop a run
            results.append(_error(path, sha256, stage, exc))
            continue
        pending.append((len(results), path, document, passages))
        results.append(None)
    try:
        _score(pending, model, model_id, results)
    except Exception:
        for entry in pending:  # find the document that fails, and score the others
            try:
                _score([entry], model, model_id, results)
            except Exception as exc:
                results[entry[0]] = _error(entry[1], entry[2].sha256, "score", exc)
    return [r for r in results if r is not None]


def _score(group: list[tuple[int, str, Any, list]], model: Any, model_id: str,
           results: list[dict | None]) -> None:
    from joblib import parallel_config

    from framingclf.profiles import summarise
    from framingclf.scoring import document_passages

    # the work is spread over documents: nothing inside a worker fans out again (under
    # joblib's dask backend a nested Parallel would queue behind the workers waiting)
    with _SCORE_LOCK, parallel_config(backend="sequential"):
        tables = document_passages([(doc, passages) for _, _, doc, passages in group],
                                   model, model_id)
    for (index, path, document, _), table in zip(group, tables):
        results[index] = {
            "path": str(path), "sha256": document.sha256, "title": document.title,
            "n_pages": document.n_pages, "format": document.format,
            "metadata": dict(document.metadata), "summary": summarise(table),
            "table": table}


def _error(path: str, sha256: str | None, stage: str, exc: Exception) -> dict:
    return {"path": str(path), "sha256": sha256,
            "error": {"stage": stage, "error": type(exc).__name__, "message": str(exc)},
            "cache": isinstance(exc, FramingError) and not isinstance(exc, DocumentTimeout)}
