"""Measuring the audit against known answers, and cross-validating its passage model.

A check *fires* on a document when it finds something there: a verdict of ``yes`` or
``partly`` (a definition, context, a measure, siloing, pilots, contradicted claims,
deficit labels, whole or in part), against ``no``. Precision is the share of the
documents it fires on where the answer is ``yes`` or ``partly`` too, recall the share
of those it fires on. Firing is what a reader acts on (there is something to read in
the evidence); the three-way accuracy and Cohen's κ say how well ``yes`` and
``partly`` are told apart as well. Confidence intervals are percentile bootstraps over
documents.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score
from sklearn.model_selection import GroupKFold

from framingclf.auditing.checks import CHECKS

#: The verdicts counted as the check firing.
FIRES: tuple[str, ...] = ("yes", "partly")


def compare(table: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """The audit's verdicts beside the known answers: one row per document and check,
    with ``key`` (the document's file name without suffix, the corpus' doc_id),
    ``check``, ``verdict``, ``answer`` and ``confidence``. `answers` has a ``doc_id``
    column and one column per check."""
    pairs = table.assign(key=table["document"].map(lambda d: Path(str(d)).stem))
    known = answers.melt(id_vars="doc_id", value_vars=list(CHECKS), var_name="check",
                         value_name="answer").rename(columns={"doc_id": "key"})
    merged = pairs.merge(known, on=["key", "check"], how="inner")
    return merged[["key", "check", "verdict", "answer", "confidence"]]


def _scores(verdict: np.ndarray, answer: np.ndarray) -> dict[str, float]:
    fired, positive = np.isin(verdict, FIRES), np.isin(answer, FIRES)
    hits = float((fired & positive).sum())
    return {
        "precision": hits / fired.sum() if fired.any() else np.nan,
        "recall": hits / positive.sum() if positive.any() else np.nan,
        "accuracy": float((verdict == answer).mean()),
        "kappa": _kappa(answer, verdict),
    }


def _kappa(answer: np.ndarray, verdict: np.ndarray) -> float:
    if len(set(answer) | set(verdict)) < 2:
        return np.nan
    return float(cohen_kappa_score(answer, verdict, labels=["no", "partly", "yes"]))


def check_metrics(pairs: pd.DataFrame, n_boot: int = 2000, seed: int = 0) -> dict:
    """Per check: precision and recall of firing, three-way accuracy and κ, each with a
    95% bootstrap interval over documents; and the calibration of the confidences."""
    rng = np.random.default_rng(seed)
    out: dict[str, dict] = {}
    for check in CHECKS:
        rows = pairs[pairs["check"] == check]
        verdict, answer = rows["verdict"].to_numpy(), rows["answer"].to_numpy()
        if not len(rows):
            continue
        point = _scores(verdict, answer)
        draws = [_scores(verdict[i], answer[i])
                 for i in rng.integers(0, len(rows), size=(n_boot, len(rows)))]
        out[check] = {"n": len(rows), "n_fired": int(np.isin(verdict, FIRES).sum()),
                      "n_positive": int(np.isin(answer, FIRES).sum())}
        for name, value in point.items():
            values = np.array([d[name] for d in draws], dtype=float)
            low, high = (np.nanpercentile(values, [2.5, 97.5]) if np.isfinite(values).any()
                         else (np.nan, np.nan))
            out[check][name] = _round(value)
            out[check][f"{name}_ci"] = [_round(low), _round(high)]
    out["calibration"] = calibration(pairs)
    return out


def calibration(pairs: pd.DataFrame, bins: int = 10) -> dict:
    """How well the confidences match how often the verdict is right: expected
    calibration error over `bins` equal-width bins, the mean confidence and accuracy."""
    confidence = pairs["confidence"].to_numpy(dtype=float)
    right = (pairs["verdict"] == pairs["answer"]).to_numpy(dtype=float)
    which = np.clip((confidence * bins).astype(int), 0, bins - 1)
    ece = sum(abs(right[which == b].mean() - confidence[which == b].mean())
              * (which == b).mean() for b in range(bins) if (which == b).any())
    return {"ece": _round(ece), "mean_confidence": _round(confidence.mean()),
            "accuracy": _round(right.mean())}


def _round(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 3)


def passage_metrics(proba: np.ndarray, targets: pd.DataFrame, threshold: float = 0.5) -> dict:
    """Per tag: precision, recall and F1 of the passage model at `threshold`, and the
    number of tagged passages."""
    out = {}
    for k, tag in enumerate(targets.columns):
        predicted, truth = proba[:, k] >= threshold, targets[tag].to_numpy() == 1
        hits = float((predicted & truth).sum())
        precision = hits / predicted.sum() if predicted.any() else np.nan
        recall = hits / truth.sum() if truth.any() else np.nan
        f1 = 2 * hits / (predicted.sum() + truth.sum()) if predicted.any() or truth.any() \
            else np.nan
        out[tag] = {"precision": _round(precision), "recall": _round(recall),
                    "f1": _round(f1), "support": int(truth.sum())}
    return out


def cross_validate(make_tagger, passages: pd.DataFrame, targets: pd.DataFrame,
                   documents: pd.DataFrame, folds: int = 6, **audit_options
                   ) -> tuple[np.ndarray, pd.DataFrame]:
    """Grouped cross-validation over documents: for each fold, a tagger from
    `make_tagger()` is fitted on the other documents' tagged `passages` and scores the
    fold's tagged passages and audits the fold's scored documents (`documents`: a
    passages table of a scoring run, whose file names are the corpus' doc_ids).
    Returns the out-of-fold tag probabilities and the audit table of every document."""
    from framingclf.auditing.run import audit

    groups = passages["doc_id"].to_numpy()
    names = documents["path"].map(lambda p: Path(str(p)).stem)
    proba = np.zeros((len(passages), len(targets.columns)))
    tables = []
    for train, test in GroupKFold(n_splits=folds).split(passages, targets, groups):
        tagger = make_tagger().fit(passages.iloc[train], targets.iloc[train])
        proba[test] = tagger.predict_proba(passages.iloc[test])
        held = set(groups[test])
        tables.append(audit(documents[names.isin(held)], tagger, **audit_options))
    return proba, pd.concat(tables, ignore_index=True)
