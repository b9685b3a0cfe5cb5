"""Measuring a model: macro-F1, per-class scores, confusion, calibration, grouped CV."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

from framingclf.labels import LABELS


def expected_calibration_error(proba: np.ndarray, correct: np.ndarray, n_bins: int = 15) -> float:
    """ECE of the top-class probability: the mean |accuracy - confidence| over equal-width
    confidence bins, weighted by the share of passages in each bin."""
    confidence = np.asarray(proba).max(axis=1)
    correct = np.asarray(correct, dtype=float)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(ece)


def reliability_table(proba: np.ndarray, correct: np.ndarray, n_bins: int = 15) -> list[dict]:
    """Per confidence bin: range, passages, mean confidence and accuracy (for diagrams)."""
    confidence = np.asarray(proba).max(axis=1)
    correct = np.asarray(correct, dtype=float)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    rows = []
    for b in range(n_bins):
        mask = bins == b
        rows.append({
            "low": b / n_bins, "high": (b + 1) / n_bins, "n": int(mask.sum()),
            "confidence": float(confidence[mask].mean()) if mask.any() else None,
            "accuracy": float(correct[mask].mean()) if mask.any() else None,
        })
    return rows


def classification_metrics(y_true: ArrayLike, y_pred: ArrayLike,
                           proba: np.ndarray | None = None) -> dict:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion
    matrix (rows true, columns predicted, in `LABELS` order); ECE if `proba` given
    (its columns in `LABELS` order)."""
    y_true, y_pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    present = [label for label in LABELS if label in set(y_true)]
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=list(LABELS), zero_division=0
    )
    result = {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro",
                                   zero_division=0)),
        "per_class": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(LABELS, precision, recall, f1, support)
        },
        "confusion": {
            "labels": list(LABELS),
            "matrix": confusion_matrix(y_true, y_pred, labels=list(LABELS)).tolist(),
        },
    }
    if proba is not None:
        correct = np.asarray(y_true == y_pred)
        result["ece"] = expected_calibration_error(proba, correct)
        result["reliability"] = reliability_table(proba, correct)
    return result


def proba_in_label_order(model, texts: Sequence[str]) -> np.ndarray:
    """`model.predict_proba` with columns in `LABELS` order (zeros for absent classes)."""
    from framingclf.scoring import predict_proba

    return predict_proba(model, list(texts))


def evaluate(model, texts: Sequence[str], labels: Sequence[str]) -> dict:
    """Score a fitted model on labelled passages."""
    proba = proba_in_label_order(model, texts)
    predicted = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    return classification_metrics(labels, predicted, proba)


def grouped_cross_validation(estimator, texts: Sequence[str], labels: ArrayLike,
                             groups: ArrayLike, n_splits: int = 5,
                             random_state: int = 0) -> tuple[dict, np.ndarray]:
    """Cross-validate with whole groups (documents) held out together.

    Returns the metrics over all out-of-fold predictions, and those predictions'
    probabilities (columns in `LABELS` order).
    """
    texts = list(texts)
    labels = np.asarray(labels, dtype=object)
    groups = np.asarray(groups, dtype=object)
    try:
        cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
        splits = list(cv.split(texts, labels, groups))
    except ValueError:
        splits = list(GroupKFold(n_splits=n_splits).split(texts, labels, groups))
    proba = np.zeros((len(texts), len(LABELS)))
    for train, test in splits:
        model = clone(estimator)
        train_texts = [texts[i] for i in train]
        if "groups" in inspect.signature(model.fit).parameters:
            model.fit(train_texts, labels[train], groups=groups[train])
        else:  # a plain scikit-learn pipeline, e.g. a baseline
            model.fit(train_texts, labels[train])
        proba[test] = proba_in_label_order(model, [texts[i] for i in test])
    predicted = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    metrics = classification_metrics(labels, predicted, proba)
    metrics["n_splits"] = len(splits)
    metrics["n_groups"] = len(set(groups))
    return metrics, proba


def evaluate_file(path: str | Path, model=None, *, text_column: str = "text",
                  label_column: str = "label") -> dict:
    """Score `model` (a model, a directory or None for the shipped one) on a labelled
    file (JSON Lines or CSV, read by `framingclf.corpus.read_corpus`)."""
    from framingclf.corpus import read_corpus
    from framingclf.persistence import resolve_model

    frame = read_corpus(path, text_column=text_column, label_column=label_column)
    return evaluate(resolve_model(model), frame["text"].tolist(), frame["label"].tolist())
