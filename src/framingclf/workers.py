"""The work of batch scoring, as done in a worker: documents in, plain tables out.

`score_chunk` reads, segments and scores a few documents and returns for each a plain
dict (columns as lists, numbers and strings), never spaCy Docs or `Document`s, which
are slow to pickle and large to hold. The passages of a chunk go through the model in
one call (scores are per passage, so chunking changes no number). The model travels as
a `ModelRef`: the model directory when it is on disk, else its pickled bytes; each
process loads it once and keeps it by fingerprint, so a worker never reloads it per
document.
"""

from __future__ import annotations

import pickle
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from joblib import parallel_config

from framingclf.errors import FramingError, ModelLoadError
from framingclf.labels import CONTINUUM, FRAMINGS, NONE
from framingclf.lexicon import DeficitLexicon
from framingclf.profiles import MIN_FRAMING, upstream_interval
from framingclf.readers import read_document
from framingclf.scoring import PROBA_COLUMNS, score_texts
from framingclf.segment import segment

#: Passage columns a worker returns, in order (the batch adds path and metadata).
PASSAGE_COLUMNS: tuple[str, ...] = (
    "doc_id", "passage_id", "page_start", "page_end", "char_start", "char_end", "heading",
    "text", "label", "confidence", *PROBA_COLUMNS, "position", "review", "flag",
    "deficit_terms", "model")


@dataclass(frozen=True)
class ModelRef:
    """How a worker finds the model: the shipped one, a directory, or pickled bytes."""

    fingerprint: str
    directory: str | None = None
    payload: bytes | None = None
    shipped: bool = False

    @classmethod
    def of(cls, model: Any, fingerprint: str) -> ModelRef:
        """A reference carrying `model` itself, pickled once here."""
        return cls(fingerprint, payload=pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))

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
        from framingclf.persistence import default_model_dir, load_model

        if self.shipped:  # where this machine has it
            from framingclf.scoring import default_model

            return default_model()
        return load_model(self.directory or default_model_dir())


_MODELS: dict[str, Any] = {}
_CACHE_LOCK = threading.Lock()
# Threaded workers (dask's default) share one process: pdfium is not thread-safe, and
# they share one model. Uncontended, and so free, in worker processes.
_READ_LOCK = threading.Lock()
_SCORE_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _lexicon() -> DeficitLexicon:
    return DeficitLexicon()


def score_chunk(items: list[tuple[str, str | None]], model: Any, model_id: str, *,
                min_words: int = 8, max_words: int = 160) -> list[dict]:
    """Score the documents `items` (path, expected SHA-256) with `model` (or a `ModelRef`),
    whose fingerprint's first 12 hex digits are `model_id`; one plain dict each.

    A scored document gives ``{"path", "sha256", "title", "n_pages", "format",
    "metadata", "summary", "columns"}``; one that fails gives ``{"path", "sha256",
    "error": {"stage", "error", "message"}, "cache"}``, where ``cache`` is true for
    framingclf's own errors (the same content fails the same way every time).
    """
    if isinstance(model, ModelRef):
        model = model.load()
    results: list[dict | None] = []
    pending: list[tuple[int, tuple, list]] = []  # index in results, (path, document), passages
    for path, sha256 in items:
        stage = "read"
        try:
            with _READ_LOCK:
                document = read_document(path, metadata=False)
            stage = "segment"
            passages = segment(document, min_words=min_words, max_words=max_words)
        except Exception as exc:  # one bad file must not stop a run
            results.append(_error(path, sha256, stage, exc))
            continue
        pending.append((len(results), (path, document), passages))
        results.append(None)

    def run(group: list[tuple[int, tuple, list]]) -> None:
        texts = [p.text for _, _, passages in group for p in passages]
        # the work is spread over documents: nothing inside a worker fans out again (under
        # joblib's dask backend a nested Parallel, e.g. a FeatureUnion's, would queue on
        # the cluster behind the workers waiting for it)
        with _SCORE_LOCK, parallel_config(backend="sequential"):
            scored = score_texts(texts, model)
        found = _lexicon().find_all(texts)
        start = 0
        for index, (path, document), passages in group:
            end = start + len(passages)
            results[index] = _scored(path, document, passages, scored.iloc[start:end],
                                     found[start:end], model_id)
            start = end

    try:
        run(pending)
    except Exception:
        for entry in pending:  # find the document that fails, and score the others
            try:
                run([entry])
            except Exception as exc:
                path, document = entry[1]
                results[entry[0]] = _error(path, document.sha256, "score", exc)
    return results


def _error(path, sha256: str | None, stage: str, exc: Exception) -> dict:
    return {"path": str(path), "sha256": sha256,
            "error": {"stage": stage, "error": type(exc).__name__, "message": str(exc)},
            "cache": isinstance(exc, FramingError)}


def _scored(path: str, document, passages: list, scored, deficit_terms: list[list[str]],
            model_id: str) -> dict:
    labels = scored["label"].tolist()
    columns = {
        "doc_id": [document.doc_id] * len(passages),
        "passage_id": [p.passage_id for p in passages],
        "page_start": [p.page_start for p in passages],
        "page_end": [p.page_end for p in passages],
        "char_start": [p.char_start for p in passages],
        "char_end": [p.char_end for p in passages],
        "heading": [" > ".join(p.heading_path) for p in passages],
        "text": [p.text for p in passages],
        "label": labels,
        "confidence": scored["confidence"].tolist(),
        **{c: scored[c].tolist() for c in PROBA_COLUMNS},
        "position": [CONTINUUM.get(label) for label in labels],
        "review": scored["review"].tolist(),
        "flag": [f if isinstance(f, str) else None for f in scored["flag"]],
        "deficit_terms": deficit_terms,
        "model": [model_id] * len(passages),
    }
    return {"path": str(path), "sha256": document.sha256, "title": document.title,
            "n_pages": document.n_pages, "format": document.format,
            "metadata": dict(document.metadata), "columns": columns,
            "summary": document_summary(labels, deficit_terms)}


def document_summary(labels: list[str], deficit_terms: list[list[str]] | None = None,
                     *, n_boot: int = 1000, seed: int = 0) -> dict:
    """One document's numbers: passage counts, framing shares among framing passages,
    share of none, upstream index with a bootstrap interval over its passages, and
    deficit-label rate (share of passages with a deficit term) and their count."""
    labels = list(labels)
    framing = [label for label in labels if label != NONE]
    row: dict = {"n_passages": len(labels), "n_framing": len(framing),
                 "share_none": (len(labels) - len(framing)) / len(labels) if labels
                 else np.nan}
    for label in FRAMINGS:
        row[f"share_{label}"] = framing.count(label) / len(framing) if framing else np.nan
    positions = np.array([CONTINUUM[label] for label in framing], dtype=float)
    estimate, low, high = upstream_interval([positions], n_boot=n_boot, seed=seed)
    row.update(upstream_index=estimate, upstream_low=low, upstream_high=high)
    if deficit_terms is not None:
        counts = [len(terms) for terms in deficit_terms]
        row["deficit_rate"] = (sum(c > 0 for c in counts) / len(counts) if counts
                               else np.nan)
        row["n_deficit_terms"] = sum(counts)
    row["few_passages"] = len(framing) < MIN_FRAMING
    return row
