"""Shares an analyst can trust: how much of a set of passages takes each label.

Counting predicted labels ("classify and count") is biased: a model that reads 8% of
passages as structural-politics where 5% are reports 8%, and the bias grows as the set
differs from the training corpus. These estimators correct for it:

- ``"pcc"``: probabilistic classify and count, the mean of the calibrated probabilities;
- ``"acc"``: adjusted classify and count, solving ``counts = M' shares`` for the shares,
  with ``M`` the model's confusion rates P(predicted j | true i) measured out of fold
  (grouped by document) when it was trained;
- ``"em"``: the expectation-maximisation prior adjustment of Saerens, Latinne and
  Decaestecker (2002): re-weights each passage's probabilities by the ratio of the set's
  estimated prior to the training prior until the prior stops changing.

`estimate_shares` gives the shares of all labels; `share_intervals` bootstraps them over
documents. benchmarks/quantification.py measures which is closest on held-out documents.

`adjust_to_set` goes one step further, for passages rather than shares: it relabels a
scored set of passages for the label mix EM estimates for that set. The corpus the model
learnt from is balanced (14% of it structural-politics), while a council's or
trust's papers rarely frame inequality structurally; at the corpus' mix, borderline
passages tip towards the rare labels. benchmarks/prior_shift.py measures the effect.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from framingclf.errors import InvalidInputError
from framingclf.labels import LABELS
from framingclf.scoring import REVIEW_BELOW, label_columns
from framingclf.tables import PROBA_COLUMNS

METHODS = ("cc", "pcc", "acc", "em")


def estimate_shares(proba: np.ndarray, method: str = "em", *,
                    confusion: np.ndarray | None = None,
                    train_prior: np.ndarray | None = None, max_iter: int = 100,
                    tol: float = 1e-6) -> np.ndarray:
    """The share of each label (columns of `proba`, in `LABELS` order) among the rows.

    `confusion` (rows true, columns predicted, counts or rates) is needed for "acc";
    `train_prior` (the label shares the model was trained on) for "em", where it
    defaults to uniform.
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or not len(proba):
        return np.full(proba.shape[-1] if proba.ndim == 2 else len(LABELS), np.nan)
    if method == "cc":
        return np.bincount(proba.argmax(axis=1), minlength=proba.shape[1]) / len(proba)
    if method == "pcc":
        return proba.mean(axis=0)
    if method == "acc":
        if confusion is None:
            raise InvalidInputError("method 'acc' needs the model's confusion matrix")
        return _adjusted_count(estimate_shares(proba, "cc"), np.asarray(confusion, float))
    if method == "em":
        return _em_prior(proba, train_prior, max_iter, tol)
    raise InvalidInputError(f"method {method!r}; expected one of {list(METHODS)}")


def _adjusted_count(observed: np.ndarray, confusion: np.ndarray) -> np.ndarray:
    """Shares s >= 0 summing to 1 with ``rates.T @ s`` nearest the observed counts."""
    totals = confusion.sum(axis=1, keepdims=True)
    rates = np.divide(confusion, totals, out=np.zeros_like(confusion), where=totals > 0)
    shares, _ = nnls(rates.T, observed)
    total = shares.sum()
    return shares / total if total > 0 else observed


def _em_prior(proba: np.ndarray, train_prior: np.ndarray | None, max_iter: int,
              tol: float) -> np.ndarray:
    k = proba.shape[1]
    base = np.full(k, 1 / k) if train_prior is None else np.asarray(train_prior, float)
    base = np.clip(base, 1e-9, None)
    prior = proba.mean(axis=0)
    for _ in range(max_iter):
        weighted = proba * (prior / base)
        weighted /= np.clip(weighted.sum(axis=1, keepdims=True), 1e-12, None)
        updated = weighted.mean(axis=0)
        if np.abs(updated - prior).max() < tol:
            return updated
        prior = updated
    return prior


def adjust_probabilities(proba: np.ndarray, prior: np.ndarray,
                         train_prior: np.ndarray | None = None) -> np.ndarray:
    """Probabilities re-weighted from the training prior to `prior` (Bayes' rule)."""
    proba = np.asarray(proba, float)
    base = (np.full(proba.shape[1], 1 / proba.shape[1]) if train_prior is None
            else np.clip(np.asarray(train_prior, float), 1e-9, None))
    weighted = proba * (np.asarray(prior, float) / base)
    return weighted / np.clip(weighted.sum(axis=1, keepdims=True), 1e-12, None)


def share_intervals(proba: np.ndarray, units: Sequence[object], method: str = "em", *,
                    n_boot: int = 500, ci: float = 0.95, seed: int = 0,
                    **options) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimated shares with percentile bootstrap intervals, resampling whole `units`
    (documents: their passages are not independent). Returns estimate, low, high."""
    proba = np.asarray(proba, float)
    unit_of = np.asarray(units, dtype=object)
    estimate = estimate_shares(proba, method, **options)
    names = list(dict.fromkeys(unit_of.tolist()))
    if len(names) < 2:
        nan = np.full_like(estimate, np.nan)
        return estimate, nan, nan
    rows = [np.flatnonzero(unit_of == name) for name in names]
    rng = np.random.default_rng(seed)
    draws = np.array([estimate_shares(proba[np.concatenate([rows[i] for i in pick])],
                                      method, **options)
                      for pick in rng.integers(0, len(rows), size=(n_boot, len(rows)))])
    alpha = (1 - ci) / 2
    return estimate, np.quantile(draws, alpha, axis=0), np.quantile(draws, 1 - alpha, axis=0)


#: Fewest labelled passages `adjust_to_set` adjusts: below this the estimated mix is noise.
MIN_PASSAGES = 100


def adjust_to_set(passages: pd.DataFrame, model: Any = None, *,
                  min_passages: int = MIN_PASSAGES,
                  review_below: float | None = REVIEW_BELOW) -> pd.DataFrame:
    """The passages table relabelled for the label mix of this set of passages.

    EM (Saerens et al. 2002) estimates the set's label shares from the labelled passages'
    probabilities; each passage's probabilities are then re-weighted from the shares the
    model was trained on to those, and its label, confidence, ``p_*``, position and
    review (below `review_below`, as in `score_texts`) recomputed. A passage's label then
    depends on the rest of the set: adjust a whole collection (an organisation's papers,
    a batch), not a document at a time, and compare sets adjusted the same way. `model`
    is the model that scored the passages (None: the shipped model), for the shares it
    was trained on. Sets with fewer than `min_passages` labelled passages are returned
    unchanged, with a warning. The estimated shares are in ``result.attrs["set_shares"]``.
    """
    from framingclf.persistence import resolve_model
    from framingclf.profiles import check_columns, check_single_model

    check_columns(passages, ["label", *PROBA_COLUMNS], "passages")
    check_single_model(passages)
    model = resolve_model(model)
    _check_same_model(passages, model)
    out = passages.copy()
    proba = out[list(PROBA_COLUMNS)].to_numpy(dtype=float, na_value=0.0)
    rows = np.flatnonzero(out["label"].notna().to_numpy() & proba.any(axis=1))
    if len(rows) < min_passages:
        warnings.warn(f"adjust_to_set: {len(rows)} labelled passages, fewer than "
                      f"{min_passages}; labels left as the model gave them (adjust a larger "
                      "set, such as all of an organisation's papers)", stacklevel=2)
        out.attrs["set_shares"] = None
        return out
    base = train_prior(model)
    shares = estimate_shares(proba[rows], "em", train_prior=base)
    adjusted = adjust_probabilities(proba[rows], shares, base)
    index = out.index[rows]
    for column, values in label_columns(adjusted, review_below).items():
        if column in out.columns and column != "flag":
            out.loc[index, column] = pd.Series(values, index=index)
    out.attrs["set_shares"] = dict(zip(LABELS, shares.round(4).tolist()))
    return out


def train_prior(model: Any) -> np.ndarray:
    """The label shares `model` was trained on, in `LABELS` order (uniform if unknown)."""
    prior = getattr(model, "prior_", None)
    if prior is None:
        return np.full(len(LABELS), 1 / len(LABELS))
    out = np.zeros(len(LABELS))
    for label, share in zip(model.classes_, prior):
        out[LABELS.index(label)] = share
    return out


def _check_same_model(passages: pd.DataFrame, model: Any) -> None:
    if "model" not in passages.columns or not passages["model"].notna().any():
        return
    scored_by = str(passages["model"].dropna().iloc[0])
    fingerprint = model.fingerprint()
    if re.fullmatch(r"[0-9a-f]{12,64}", scored_by) and not fingerprint.startswith(scored_by):
        raise InvalidInputError(
            f"passages were scored by model {scored_by}, but the model given is "
            f"{fingerprint[:12]}; pass the model that scored them (model=...)")
