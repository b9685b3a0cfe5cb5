"""Training a model on a labelled corpus, with grouped cross-validation and a model card.

`train_model` is what `framingclf train` runs: it reads and validates the corpus,
measures the configuration by cross-validation grouped by document, fits on the whole
corpus, scores any held-out evaluation sets, and saves the model with its metrics,
config and card. Same corpus and seed give the same model fingerprint.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import clone

from framingclf.classifier import FramingClassifier
from framingclf.corpus import corpus_sha256, read_corpus
from framingclf.evaluate import evaluate, grouped_cross_validation, proba_in_label_order
from framingclf.labels import LABELS


def worst_errors(model, texts: Sequence[str], labels: Sequence[str], ids: Sequence[str],
                 n: int = 20) -> list[dict]:
    """The `n` misclassified passages the model was most confident about, by id (texts
    are left out: held-out sets belong to their authors and stay outside the repo)."""
    proba = proba_in_label_order(model, texts)
    predicted = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    wrong = [i for i in range(len(texts)) if predicted[i] != labels[i]]
    wrong.sort(key=lambda i: -proba[i].max())
    return [{"id": ids[i], "label": labels[i], "predicted": predicted[i],
             "confidence": round(float(proba[i].max()), 3)}
            for i in wrong[:n]]


def train_model(
    corpus: str | Path,
    out_dir: str | Path | None = None,
    *,
    params: dict | None = None,
    cv_splits: int = 5,
    eval_paths: Sequence[str | Path] = (),
    random_state: int = 0,
    text_column: str = "text",
    label_column: str = "label",
) -> tuple[FramingClassifier, dict]:
    """Fit a `FramingClassifier` on `corpus`; save to `out_dir` if given.

    Returns the model and its metrics: corpus counts, grouped cross-validation (when
    the corpus has ``doc_id``), and one entry per evaluation file in `eval_paths`
    (files that do not exist are skipped and listed under ``skipped``).
    """
    frame = read_corpus(corpus, text_column=text_column, label_column=label_column)
    texts, labels = frame["text"].tolist(), frame["label"].to_numpy(dtype=object)
    groups = frame["doc_id"].astype(str).to_numpy() if "doc_id" in frame else None
    estimator = FramingClassifier(**{"random_state": random_state, **(params or {})})
    metrics: dict = {
        "corpus": {
            "path": Path(corpus).name,
            "sha256": corpus_sha256(corpus),
            "n_passages": len(frame),
            "n_documents": len(set(groups)) if groups is not None else None,
            "label_counts": {label: int((labels == label).sum()) for label in LABELS},
        }
    }
    if groups is not None and len(set(groups)) >= cv_splits:
        cv_metrics, _ = grouped_cross_validation(estimator, texts, labels, groups,
                                                 n_splits=cv_splits, random_state=random_state)
        metrics["grouped_cv"] = cv_metrics
    model = clone(estimator).fit(texts, labels, groups=groups)
    metrics["fingerprint"] = model.fingerprint()
    metrics["temperature"] = model.temperature_
    metrics["heldout"], metrics["skipped"] = {}, []
    for eval_path in eval_paths:
        eval_path = Path(eval_path)
        if not eval_path.is_file():
            metrics["skipped"].append(eval_path.name)
            continue
        held = read_corpus(eval_path)
        ids = held["id"].astype(str).tolist() if "id" in held else [str(i) for i in held.index]
        result = evaluate(model, held["text"].tolist(), held["label"].tolist())
        result["worst_errors"] = worst_errors(model, held["text"].tolist(),
                                              held["label"].tolist(), ids)
        metrics["heldout"][eval_path.name] = result
    if out_dir is not None:
        config = {"params": estimator.get_params(), "cv_splits": cv_splits,
                  "random_state": random_state, "corpus": Path(corpus).name}
        from framingclf.model_card import model_card, save_reliability_diagrams

        model.save(out_dir, corpus_sha256=metrics["corpus"]["sha256"], metrics=metrics,
                   config=config, card=model_card(Path(out_dir).name, metrics, config))
        save_reliability_diagrams(metrics, Path(out_dir))
    return model, metrics
