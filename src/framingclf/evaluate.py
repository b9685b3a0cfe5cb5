"""Measuring a model: macro-F1, per-class scores, confusion, calibration, bootstrap
intervals over documents, cross-validation (grouped by document whenever documents are
known), and the overlap of an evaluation set with the model's training passages."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold, StratifiedKFold

from framingclf.errors import OverlapWarning
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


def evaluate(model, texts: Sequence[str], labels: Sequence[str],
             groups: Sequence[object] | np.ndarray | None = None, *,
             n_boot: int = 1000) -> dict:
    """Score a fitted model on labelled passages, with bootstrap intervals that resample
    `groups` (documents), or passages when None (see `bootstrap_intervals`)."""
    proba = proba_in_label_order(model, texts)
    predicted = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    result = classification_metrics(labels, predicted, proba)
    if n_boot:
        result["intervals"] = bootstrap_intervals(
            labels, proba, groups if groups is not None else np.arange(len(proba)),
            n_boot=n_boot, unit="documents" if groups is not None else
            "passages (no documents given: too narrow where a document's passages are alike)")
    return result


def _scores(true: np.ndarray, proba: np.ndarray, n_bins: int = 15) -> np.ndarray:
    """Accuracy, macro-F1 (over the labels present), ECE and per-label F1, from label
    indices and probabilities: a fast core for the bootstrap."""
    k = proba.shape[1]
    pred = proba.argmax(axis=1)
    counts = np.bincount(true * k + pred, minlength=k * k).reshape(k, k)
    tp = np.diag(counts).astype(float)
    support, predicted = counts.sum(axis=1), counts.sum(axis=0)
    denominator = support + predicted
    f1 = np.divide(2 * tp, denominator, out=np.zeros(k), where=denominator > 0)
    correct = (pred == true).astype(float)
    return np.concatenate([[correct.mean(), f1[support > 0].mean(),
                            expected_calibration_error(proba, correct, n_bins)], f1])


def bootstrap_intervals(labels: Sequence[str] | np.ndarray, proba: np.ndarray,
                        groups: Sequence[object] | np.ndarray,
                        *, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                        unit: str = "documents") -> dict:
    """Percentile intervals for accuracy, macro-F1, ECE and each label's F1, resampling
    whole documents (`groups`): passages of one document are not independent, so
    resampling passages would give intervals too narrow."""
    index = {label: i for i, label in enumerate(LABELS)}
    true = np.array([index[label] for label in labels], dtype=int)
    blocks = list(pd.Series(np.arange(len(true))).groupby(
        np.asarray(groups, dtype=object)).indices.values())
    rng = np.random.default_rng(seed)
    draws = np.array([_scores(true[rows], proba[rows]) for rows in (
        np.concatenate([blocks[i] for i in rng.integers(len(blocks), size=len(blocks))])
        for _ in range(n_boot))])
    low, high = np.percentile(draws, [(1 - ci) / 2 * 100, (1 + ci) / 2 * 100], axis=0)
    names = ["accuracy", "macro_f1", "ece", *(f"f1_{label}" for label in LABELS)]
    return {"method": f"percentile bootstrap over {len(blocks)} {unit}, {n_boot} draws, "
                      f"{ci:.0%}",
            **{name: [float(lo), float(hi)] for name, lo, hi in zip(names, low, high)}}


def _splits(labels: np.ndarray, groups: np.ndarray | None, n_splits: int,
            random_state: int) -> tuple[list, str]:
    """The folds and a sentence saying how they were made."""
    if groups is None:
        cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
        return list(cv.split(labels, labels)), (
            f"{n_splits} stratified folds of passages (StratifiedKFold, shuffled, seed "
            f"{random_state}), not grouped by document: passages of one document can be on "
            "both sides of a fold, which flatters the score")
    try:
        cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
        splits = list(cv.split(labels, labels, groups))
        how = f"StratifiedGroupKFold, shuffled, seed {random_state}"
    except ValueError:
        splits = list(GroupKFold(n_splits=n_splits).split(labels, labels, groups))
        how = "GroupKFold"
    return splits, (f"{n_splits} folds grouped by document ({how}) over "
                    f"{len(set(groups))} documents: no document has passages on both sides "
                    "of a fold")


def grouped_cross_validation(estimator, texts: Sequence[str], labels: ArrayLike,
                             groups: ArrayLike | None, n_splits: int = 5,
                             random_state: int = 0, n_boot: int = 1000,
                             calibration_groups: ArrayLike | None = None
                             ) -> tuple[dict, np.ndarray]:
    """Cross-validate with whole groups (documents) held out together; with `groups`
    None, stratified folds of passages (and the metrics say so, under ``method``).
    `calibration_groups` (e.g. registers) go to each fold's `fit`, for its calibration.

    Returns the metrics over all out-of-fold predictions (with bootstrap intervals over
    the groups), and those predictions' probabilities (columns in `LABELS` order).
    """
    texts = list(texts)
    labels = np.asarray(labels, dtype=object)
    groups = None if groups is None else np.asarray(groups, dtype=object)
    calibration = (None if calibration_groups is None
                   else np.asarray(calibration_groups, dtype=object))
    splits, method = _splits(labels, groups, n_splits, random_state)
    proba = out_of_fold_proba(estimator, texts, labels, groups, splits,
                              calibration_groups=calibration)
    predicted = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    metrics = classification_metrics(labels, predicted, proba)
    metrics["method"] = method
    metrics["grouped"] = groups is not None
    metrics["n_splits"] = len(splits)
    metrics["n_groups"] = len(set(groups)) if groups is not None else None
    if n_boot:
        metrics["intervals"] = bootstrap_intervals(
            labels, proba, groups if groups is not None else np.arange(len(labels)),
            n_boot=n_boot, unit="documents" if groups is not None else "passages")
    return metrics, proba


def out_of_fold_proba(estimator, texts: Sequence[str], labels: ArrayLike,
                      groups: ArrayLike | None,
                      splits: Sequence[tuple[np.ndarray, np.ndarray]], *,
                      calibration_groups: ArrayLike | None = None) -> np.ndarray:
    """Probabilities (columns in `LABELS` order) of each passage from a clone of
    `estimator` fitted on the other part of its split (`groups` and any
    `calibration_groups` passed to a `fit` that takes them); `splits` are (train, test)
    index arrays, e.g. grouped folds or leave-one-register-out."""
    texts = list(texts)
    labels = np.asarray(labels, dtype=object)
    groups = None if groups is None else np.asarray(groups, dtype=object)
    calibration = (None if calibration_groups is None
                   else np.asarray(calibration_groups, dtype=object))
    proba = np.zeros((len(texts), len(LABELS)))
    for train, test in splits:
        model = clone(estimator)
        train_texts = [texts[i] for i in train]
        if "groups" in inspect.signature(model.fit).parameters:
            options = {} if calibration is None else {
                "calibration_groups": calibration[train]}
            model.fit(train_texts, labels[train],
                      groups=None if groups is None else groups[train], **options)
        else:  # a plain scikit-learn pipeline, e.g. a baseline
            model.fit(train_texts, labels[train])
        proba[test] = proba_in_label_order(model, [texts[i] for i in test])
    return proba


def evaluate_file(path: str | Path, model=None, *, text_col: str = "text",
                  label_col: str = "label", doc_col: str | None = None,
                  n_boot: int = 1000) -> dict:
    """Score `model` (a model, a directory or None for the shipped one) on a labelled
    file (JSON Lines or CSV, read by `framingclf.corpus.read_corpus`).

    With a document column (`doc_col`, or ``doc_id`` when present) the result has
    bootstrap intervals over documents. ``overlap`` counts the passages the model was
    trained on (from the keys its manifest keeps), and an `OverlapWarning` says so:
    scores on them measure memory, not accuracy.
    """
    from framingclf.corpus import read_corpus
    from framingclf.persistence import resolve_model

    frame = read_corpus(path, text_column=text_col, label_column=label_col)
    groups = document_groups(frame, doc_col, path)
    texts = frame["text"].tolist()
    result = evaluate(resolve_model(model), texts, frame["label"].tolist(), groups,
                      n_boot=n_boot)
    result["overlap"] = training_overlap(path, texts, model)
    share = (result["overlap"] or {}).get("share")
    if share:
        warnings.warn(
            f"{path}: {result['overlap']['n']} of {len(texts)} passages ({share:.0%}) are in "
            "the model's training set; scores on them say how well it remembers, not how "
            "well it labels new text. Evaluate on passages it was not trained on",
            OverlapWarning, stacklevel=2)
    return result


def document_groups(frame: pd.DataFrame, doc_col: str | None, path: object) -> np.ndarray | None:
    """The document of each passage: column `doc_col` (an error naming the file when
    missing), or ``doc_id`` when `doc_col` is None and the file has it, else None."""
    from framingclf.errors import CorpusFormatError

    if doc_col is None:
        doc_col = "doc_id" if "doc_id" in frame.columns else None
        if doc_col is None:
            return None
    if doc_col not in frame.columns:
        raise CorpusFormatError(f"{path}: document column {doc_col!r} missing; found "
                                f"{list(frame.columns)}; name it with --doc-col")
    values = frame[doc_col]
    if values.isna().any() or (values.astype(str).str.strip() == "").any():
        line = int(values.isna().to_numpy().argmax()) + 1
        raise CorpusFormatError(f"{path}: passage {line} has no {doc_col!r}; give every "
                                "passage its document, or leave out the document column")
    return values.astype(str).to_numpy()


def training_overlap(path: str | Path, texts: Sequence[str], model=None) -> dict | None:
    """How many of `texts` the model (a directory, or None for the shipped one) was
    trained on: ``{"n", "share", "method"}``, or None for a model object (no manifest)."""
    from framingclf.corpus import corpus_sha256, passage_key
    from framingclf.persistence import read_manifest, resolve_model_dir

    directory = resolve_model_dir(model)
    if directory is None:
        return None
    manifest = read_manifest(directory)
    keys = (manifest.get("training_passages") or {}).get("keys")
    if keys:
        known = set(keys)
        n = sum(passage_key(t) in known for t in texts)
        method = "passage keys in the model's manifest"
    elif manifest.get("corpus_sha256"):
        n = len(texts) if corpus_sha256(path) == manifest["corpus_sha256"] else 0
        method = "the training file's SHA-256 (this model keeps no passage keys)"
    else:
        return None
    return {"n": n, "share": n / len(texts) if texts else 0.0, "method": method}
