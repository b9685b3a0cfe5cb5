"""`EnsembleClassifier`: the weighted mean of several framing models' calibrated
probabilities.

The default pairs the TF-IDF `FramingClassifier` with an `EmbeddingClassifier` on
sentence embeddings (``pip install "framingclf[embed]"``): two views of a passage that
err in different places. Each member is calibrated on its own out-of-fold scores; the
mean of calibrated probabilities stays close to calibrated. The ensemble has the
`fit(X, y, groups)`, `predict_proba`, `classes_` and `fingerprint()` that scoring, batch
scoring, persistence and evaluation use.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from framingclf.classifier import PassageModelMixin, check_training_data, rounded_digest
from framingclf.errors import InvalidInputError
from framingclf.validation import check_texts


def default_members() -> list[tuple[str, Any]]:
    """The TF-IDF model and a logistic regression on all-MiniLM-L6-v2 embeddings."""
    from framingclf.classifier import FramingClassifier
    from framingclf.embeddings import EmbeddingClassifier

    return [("tfidf", FramingClassifier()), ("embedding", EmbeddingClassifier())]


class EnsembleClassifier(PassageModelMixin, ClassifierMixin, BaseEstimator):
    """Average the calibrated probabilities of several framing models.

    Parameters
    ----------
    estimators : (name, estimator) pairs, each with `fit(X, y[, groups])` and
        `predict_proba`; None (default) means `default_members()`. They are cloned and
        fitted on the same passages; ``estimators_`` holds the fitted ones.
    weights : one non-negative weight a member (None: equal weights).
    """

    def __init__(self, estimators: Sequence[tuple[str, Any]] | None = None,
                 weights: Sequence[float] | None = None):
        self.estimators = estimators
        self.weights = weights

    def _members(self) -> list[tuple[str, Any]]:
        members = list(default_members() if self.estimators is None else self.estimators)
        names = [name for name, _ in members]
        if not members or len(set(names)) != len(names):
            raise InvalidInputError(f"estimators: expected (name, estimator) pairs with "
                                    f"distinct names, got names {names}")
        return members

    def _weights(self, n: int) -> np.ndarray:
        weights = np.ones(n) if self.weights is None else np.asarray(self.weights, float)
        if weights.shape != (n,) or (weights < 0).any() or weights.sum() <= 0:
            raise InvalidInputError(f"weights: expected {n} non-negative numbers, not all "
                                    f"zero, one per estimator; got {self.weights!r}")
        return weights / weights.sum()

    def fit(self, X: Iterable[str], y: Sequence[str],
            groups: Sequence[object] | None = None,
            calibration_groups: Sequence[object] | None = None) -> EnsembleClassifier:
        """Fit a clone of every member on passages `X`, labels `y` and, for members
        whose `fit` takes them, `groups` (document ids for grouped calibration) and
        `calibration_groups` (e.g. registers, see `FramingClassifier.fit`)."""
        texts, labels = check_training_data(X, y)
        members = self._members()
        self.weights_ = self._weights(len(members))
        self.estimators_ = []
        for name, estimator in members:
            fitted = clone(estimator)
            accepts = inspect.signature(fitted.fit).parameters
            options = {key: value for key, value in (("groups", groups),
                                                     ("calibration_groups", calibration_groups))
                       if value is not None and key in accepts}
            fitted.fit(texts, labels, **options)
            self.estimators_.append((name, fitted))
        self.classes_ = np.unique(labels)
        return self

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """The weighted mean of the members' probabilities, columns in `classes_`."""
        check_is_fitted(self, "estimators_")
        texts = check_texts(X, "X")
        proba = np.zeros((len(texts), len(self.classes_)))
        for weight, (_, member) in zip(self.weights_, self.estimators_):
            columns = np.searchsorted(self.classes_, member.classes_)
            proba[:, columns] += weight * member.predict_proba(texts)
        return proba

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The most probable class of each passage."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def fingerprint(self) -> str:
        """SHA-256 over the members' names and fingerprints and the weights."""
        check_is_fitted(self, "estimators_")
        texts = [f"{name}:{member.fingerprint()}" for name, member in self.estimators_]
        return rounded_digest(["\n".join(texts), "\n".join(self.classes_)], [self.weights_])
