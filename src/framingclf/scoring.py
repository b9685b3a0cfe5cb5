"""Scoring: passages to labels, and a document to its passage and document tables.

`score_texts` scores a list of passages. `score_document` reads one file, cuts it into
passages and scores them, returning the same three tables as a batch run
(`framingclf.batch.score_documents` runs exactly this, document by document, over
folders). Both take the model as a fitted `FramingClassifier`, a model directory, or
None for the shipped model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framingclf.errors import InvalidInputError
from framingclf.labels import CONTINUUM, LABELS, NONE
from framingclf.tables import LABELLED_KINDS, PART_COLUMNS, PROBA_COLUMNS, ScoreResult
from framingclf.validation import check_texts

#: Default confidence below which a passage is marked for human review.
REVIEW_BELOW = 0.5


def predict_proba(model: Any, texts: Sequence[str]) -> np.ndarray:
    """Probabilities with columns in `LABELS` order (zeros for classes the model lacks);
    a blank text gets all zeros rather than a guess."""
    proba = np.zeros((len(texts), len(LABELS)))
    filled = np.array([bool(t.strip()) for t in texts], dtype=bool)
    if filled.any():
        scored = model.predict_proba([t for t, f in zip(texts, filled) if f])
        columns = np.array([LABELS.index(label) for label in model.classes_], dtype=np.intp)
        proba[np.ix_(np.flatnonzero(filled), columns)] = scored
    return proba


def label_columns(proba: np.ndarray, review_below: float | None = REVIEW_BELOW) -> dict:
    """The label, confidence, probability, position, review and flag columns for rows of
    probabilities (all-zero rows are blank texts: label none, confidence 0, flag empty)."""
    empty = ~proba.any(axis=1)
    labels = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    labels[empty] = NONE
    confidence = np.where(empty, 0.0, proba.max(axis=1))
    threshold = -1.0 if review_below is None else review_below
    return {
        "label": labels, "confidence": confidence,
        **{column: values for column, values in zip(PROBA_COLUMNS, proba.T)},
        "position": pd.array([CONTINUUM.get(label) for label in labels], dtype="Int64"),
        "review": (confidence < threshold) & ~empty,
        "flag": np.where(empty, "empty", None),  # type: ignore[call-overload]
    }


def score_texts(texts: Iterable[str], model: Any = None, *, explain: bool = False,
                review_below: float | None = REVIEW_BELOW) -> pd.DataFrame:
    """Score passages; return one row per text, in order (a pandas Series keeps its index).

    Columns: ``text``, ``label`` (the most probable), ``confidence`` (its calibrated
    probability), ``p_<label>`` for every label, ``position`` (0 = healthcare-access to
    3 = structural-politics; empty for ``none``), ``review`` (confidence below
    `review_below`: read it yourself rather than trust the label; None disables it) and
    ``flag`` (``"empty"`` for a blank text, scored ``none`` with confidence 0 rather
    than guessed). With ``explain=True``, ``cues`` lists the words of each passage that
    most favoured its label (see `framingclf.explanations`). `model`: a fitted model, a model
    directory, or None for the shipped model.
    """
    if isinstance(texts, Mapping):
        raise InvalidInputError(
            f"texts: expected a list or Series of passages, got a {type(texts).__name__} "
            "(its keys would be scored); pass list(d.values()) or a Series")
    index = texts.index if isinstance(texts, pd.Series) else None
    texts = check_texts(texts)
    from framingclf.persistence import resolve_model

    model = resolve_model(model)
    frame = pd.DataFrame({"text": texts, **label_columns(predict_proba(model, texts),
                                                         review_below)})
    if explain:
        from framingclf.explanations import explain_many

        frame["cues"] = explain_many(model, texts)
    if index is not None:
        frame.index = index
    return frame


def document_passages(documents: Sequence[tuple[Any, Sequence[Any]]], model: Any,
                      model_id: str) -> list[pd.DataFrame]:
    """Score the passages of several read documents in one call to the model; return
    each document's passage rows (the `PART_COLUMNS` of the passages table). Only
    passages of a labelled kind (prose, lists) are scored; the others keep an empty
    label."""
    from framingclf.lexicon import default_lexicon

    rows = [_passage_frame(document, passages, model_id) for document, passages in documents]
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    if len(frame):
        labelled = frame["kind"].isin(LABELLED_KINDS).to_numpy()
        texts = frame.loc[labelled, "text"].tolist()
        columns = label_columns(predict_proba(model, texts))
        for column, values in columns.items():
            frame[column] = pd.Series(values, index=frame.index[labelled])
        frame["review"] = frame["review"].fillna(False).astype(bool)
        frame["deficit_terms"] = default_lexicon().find_all(frame["text"].tolist())
    out, start = [], 0
    for piece in rows:
        out.append(frame.iloc[start:start + len(piece)].reindex(columns=PART_COLUMNS)
                   .reset_index(drop=True))
        start += len(piece)
    return out


def _passage_frame(document: Any, passages: Sequence[Any], model_id: str) -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": document.doc_id,
        "passage_id": [p.passage_id for p in passages],
        "page_start": [p.page_start for p in passages],
        "page_end": [p.page_end for p in passages],
        "char_start": [p.char_start for p in passages],
        "char_end": [p.char_end for p in passages],
        "section": [" > ".join(p.heading_path) for p in passages],
        "kind": [getattr(p, "kind", "prose") for p in passages],
        "text": [p.text for p in passages],
        "model": model_id,
    }, columns=["doc_id", "passage_id", "page_start", "page_end", "char_start", "char_end",
                "section", "kind", "text", "model"])


def score_document(path: str | Path, model: Any = None, *, min_words: int | None = None,
                   max_words: int | None = None, audit: bool = True) -> ScoreResult:
    """Read, segment and score one document; return its passages and document tables
    (with the document audit's verdicts unless `audit` is False; see `framingclf.audit`).
    `min_words`, `max_words`: the segmenter's passage limits (None: its defaults).

    A document that cannot be read raises `DocumentReadError` saying why (batch scoring
    turns the same error into a row of the errors table and goes on).
    """
    from framingclf.inputs import normalise_metadata, source_metadata
    from framingclf.persistence import resolve_model
    from framingclf.readers import read_document
    from framingclf.segment import MAX_WORDS, MIN_WORDS, segment

    model = resolve_model(model)
    document = read_document(path, metadata=False)
    passages = segment(document, min_words=min_words or MIN_WORDS,
                       max_words=max_words or MAX_WORDS)
    (part,) = document_passages([(document, passages)], model, model.fingerprint()[:12])
    from framingclf.batch._assemble import document_tables

    metadata = normalise_metadata({**document.metadata, **source_metadata(path)})
    record = {"title": document.title, "format": document.format,
              "n_pages": document.n_pages}
    passages_table, document_row = document_tables(str(path), document.sha256, record,
                                                   metadata, part, [])
    result = ScoreResult(passages=passages_table, documents=pd.DataFrame([document_row]),
                         errors=pd.DataFrame())
    if audit:
        from framingclf.auditing.columns import with_audit

        result = with_audit(result)
    return result
