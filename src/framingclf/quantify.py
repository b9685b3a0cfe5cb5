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
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import nnls

from framingclf.errors import InvalidInputError
from framingclf.labels import LABELS

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
