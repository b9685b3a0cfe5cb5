"""Scoring passages: one tidy row per text with label, probabilities and confidence."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from framingclf.evaluate import proba_in_label_order
from framingclf.labels import CONTINUUM, LABELS, NONE
from framingclf.persistence import default_model_dir, load_model
from framingclf.validation import check_texts

#: Probability columns of a score table, one per label, in `LABELS` order.
PROBA_COLUMNS: tuple[str, ...] = tuple(f"p_{label}" for label in LABELS)


@lru_cache(maxsize=1)
def _shipped_model():
    return load_model(default_model_dir())


def default_model():
    """The shipped model, loaded once per process."""
    return _shipped_model()


#: Default confidence below which a passage is marked for human review.
REVIEW_BELOW = 0.5


def score_texts(texts: Iterable[str], model=None, *, explain: bool = False,
                review_below: float | None = REVIEW_BELOW) -> pd.DataFrame:
    """Score passages; return one row per text, in order.

    Columns: ``text``, ``label`` (the most probable), ``confidence`` (its calibrated
    probability), ``p_<label>`` for every label, ``position`` (0 = healthcare-access to
    3 = structural-politics; empty for ``none``), ``review`` (confidence below
    `review_below`: read it yourself rather than trust the label; None disables it) and
    ``flag`` (``"empty"`` for a blank text, scored ``none`` with confidence 0 rather
    than guessed). With ``explain=True``, ``cues`` lists the five features that most
    favoured the label over the runner-up (see `framingclf.explain`).
    """
    texts = check_texts(texts)
    model = default_model() if model is None else model
    empty = np.array([not t.strip() for t in texts], dtype=bool)
    proba = np.zeros((len(texts), len(LABELS)))
    filled = [t for t, e in zip(texts, empty) if not e]
    if filled:
        proba[~empty] = proba_in_label_order(model, filled)
    labels = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    labels[empty] = NONE
    frame = pd.DataFrame({"text": texts, "label": labels,
                          "confidence": np.where(empty, 0.0, proba.max(axis=1))})
    for column, values in zip(PROBA_COLUMNS, proba.T):
        frame[column] = values
    frame["position"] = pd.array([CONTINUUM.get(label) for label in labels], dtype="Int64")
    threshold = -1.0 if review_below is None else review_below
    frame["review"] = (frame["confidence"] < threshold) & ~empty
    frame["flag"] = np.where(empty, "empty", None)
    if explain:
        from framingclf.explain import explain_many

        frame["cues"] = explain_many(model, texts)
    return frame
