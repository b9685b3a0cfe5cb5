"""Cue words for many passages at once: for each passage, the word features that most
favoured its label over the runner-up.

These are the cues of `framingclf.explanations.Explanation.cues`, read from the linear
model in the same way (a feature's value times the difference of the two classes'
weights), but for a whole batch with one transform and the feature names built once per
model: `explain_many` rebuilds every feature name for every passage, about 80 ms a
passage with the shipped model, which exports of thousands of passages and the spaCy
component cannot afford.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.pipeline import FeatureUnion


@lru_cache(maxsize=4)
def _word_names(fingerprint: str, features: Any) -> tuple[np.ndarray, np.ndarray]:
    """(names without their "words__" prefix, mask of word features) of a model."""
    names = np.asarray(features.get_feature_names_out(), dtype=object)
    if not isinstance(features, FeatureUnion):
        return names, np.ones(len(names), dtype=bool)
    words = np.array([str(n).startswith("words__") for n in names])
    return np.array([str(n).split("__", 1)[1] for n in names], dtype=object), words


def cues(model: Any, texts: Sequence[str], n: int = 5) -> list[list[str]]:
    """The top `n` cue words of each passage (an empty list for a blank one)."""
    texts = list(texts)
    out: list[list[str]] = [[] for _ in texts]
    filled = [i for i, t in enumerate(texts) if t.strip()]
    if not filled or n <= 0:
        return out
    features = model.pipeline_.named_steps["features"]
    linear = model.pipeline_.named_steps["model"]
    names, is_word = _word_names(model.fingerprint(), features)
    x = features.transform(model.preprocess([texts[i] for i in filled])).tocsr()
    coef, intercept = linear.coef_, linear.intercept_
    if coef.shape[0] == 1:  # binary: class 0 scores 0, as decision_function has it
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.array([0.0, intercept[0]])
    decision = np.asarray(x @ coef.T) + intercept
    top_two = np.argsort(-decision, axis=1, kind="stable")[:, :2]
    for row, i in enumerate(filled):
        start, end = x.indptr[row], x.indptr[row + 1]
        idx, values = x.indices[start:end], x.data[start:end]
        label, runner_up = top_two[row]
        contrast = values * (coef[label, idx] - coef[runner_up, idx])
        keep = is_word[idx] & (contrast > 0)
        order = np.argsort(-contrast[keep], kind="stable")[:n]
        out[i] = [str(name) for name in names[idx[keep][order]]]
    return out
