"""Training a model on a labelled corpus, with grouped cross-validation and a model card.

`train_model` is what `framingclf train` runs: it reads and validates the corpus,
measures the configuration by cross-validation (grouped by document whenever the
corpus names documents), fits on the whole corpus, scores any held-out evaluation
sets, and saves the model with its metrics, config, card and the keys of its training
passages (so `evaluate` can tell when it is shown them again). Same corpus and seed give
the same model fingerprint.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import clone

from framingclf.classifier import FramingClassifier
from framingclf.corpus import corpus_sha256, read_corpus, read_eval_set
from framingclf.errors import CorpusFormatError
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
    text_col: str = "text",
    label_col: str = "label",
    doc_col: str | None = None,
    calibrate_by: str = "register",
    n_boot: int = 1000,
    selection: str | Path | None = None,
) -> tuple[FramingClassifier, dict]:
    """Fit a `FramingClassifier` on `corpus`; save to `out_dir` if given.

    Documents come from `doc_col` (default: ``doc_id`` when the corpus has it). With
    them, cross-validation holds out whole documents and the calibration folds keep
    each document together; without, both use stratified folds of passages, and the
    metrics and model card say so. Returns the model and its metrics: corpus counts,
    cross-validation (``grouped_cv`` or ``stratified_cv``, with ``method`` saying what
    was done and intervals over documents), leave-one-register-out cross-validation
    (``register_cv``, when the corpus has ``doc_type``: train on every register of
    `framingclf.corpus.REGISTERS` but one, test on it), the calibration, and one entry
    per evaluation file in `eval_paths` (absent files are listed under ``skipped``).

    `calibrate_by` "register" fits the temperature on folds that each hold out whole
    registers, so that confidence is calibrated for writing unlike the training text (what
    real documents are to a model trained on an authored corpus); "document" on folds of
    whole documents. Without ``doc_type`` or documents, it falls back to what there is.
    `selection`, the JSON benchmarks/select_model.py writes, adds how the configuration
    was chosen to the model card.
    """
    from framingclf.corpus import passage_key
    from framingclf.evaluate import document_groups

    chosen = _read_selection(selection)

    frame = read_corpus(corpus, text_column=text_col, label_column=label_col)
    check_one_label_per_passage(frame, corpus)
    texts, labels = frame["text"].tolist(), frame["label"].to_numpy(dtype=object)
    groups = document_groups(frame, doc_col, corpus)
    estimator = FramingClassifier(**{"random_state": random_state, **(params or {})})
    metrics: dict = {"corpus": {
        "path": Path(corpus).name, "sha256": corpus_sha256(corpus), "n_passages": len(frame),
        "n_documents": len(set(groups)) if groups is not None else None,
        "document_column": (doc_col or "doc_id") if groups is not None else None,
        "label_counts": {label: int((labels == label).sum()) for label in LABELS}}}
    registers = _registers(frame)
    calibration_groups = registers if calibrate_by == "register" else None
    metrics.update(_cross_validation(estimator, texts, labels, groups, cv_splits,
                                     random_state, n_boot, calibration_groups))
    if registers is not None:
        metrics["register_cv"], proba = grouped_cross_validation(
            estimator, texts, labels, registers, n_splits=len(set(registers)),
            random_state=random_state, n_boot=n_boot, calibration_groups=registers)
        metrics["register_cv"]["method"] = (
            f"leave one register out: {len(set(registers))} folds, each holding out every "
            "document of one register")
        metrics["register_cv"]["by_register"] = _by_register(proba, labels, registers)
    model = clone(estimator).fit(texts, labels, groups=groups,
                                 calibration_groups=calibration_groups)
    metrics["fingerprint"] = model.fingerprint()
    metrics["temperature"] = model.temperature_
    metrics["calibration"] = calibration_method(model, groups, calibration_groups)
    metrics["heldout"], metrics["skipped"] = _heldout(model, eval_paths, n_boot)
    if out_dir is not None:
        config = {"params": estimator.get_params(), "cv_splits": cv_splits,
                  "random_state": random_state, "corpus": Path(corpus).name,
                  "columns": {"text": text_col, "label": label_col,
                              "document": metrics["corpus"]["document_column"]}}
        from framingclf.model_card import model_card, save_reliability_diagrams

        model.save(out_dir, corpus_sha256=metrics["corpus"]["sha256"], metrics=metrics,
                   config=config,
                   card=model_card(Path(out_dir).name, metrics, config,
                                   chosen),
                   training_keys=[passage_key(t) for t in texts])
        save_reliability_diagrams(metrics, Path(out_dir))
    return model, metrics


def _read_selection(path: str | Path | None) -> dict | None:
    """The results of benchmarks/select_model.py, for the model card's selection table."""
    if path is None:
        return None
    try:
        selection = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusFormatError(f"{path}: cannot read the model selection results ({exc}); "
                                "pass the JSON that benchmarks/select_model.py wrote") from exc
    if not isinstance(selection, dict) or not isinstance(selection.get("families"), dict):
        raise CorpusFormatError(f"{path}: no 'families' table of model selection results; "
                                "pass the JSON that benchmarks/select_model.py wrote")
    return selection


def check_one_label_per_passage(frame, path: str | Path) -> None:
    """Refuse a codings table in which several coders coded one passage: training needs
    one label per passage (take `framingclf.codings.consensus` or one coder's)."""
    if not {"unit_id", "coder"} <= set(frame.columns):
        return
    repeated = frame["unit_id"].duplicated()
    if repeated.any():
        raise CorpusFormatError(
            f"{path}: {int(repeated.sum())} passages are coded more than once (by "
            f"{frame['coder'].nunique()} coders); train on one label per passage: "
            "`framingclf import ... --consensus` or keep one coder's rows")


def _registers(frame) -> np.ndarray | None:
    """Each passage's register, from ``doc_type``, when the corpus has two or more."""
    from framingclf.corpus import register_of

    if "doc_type" not in frame.columns:
        return None
    registers = np.array([register_of(t) for t in frame["doc_type"]], dtype=object)
    return registers if len(set(registers)) >= 2 else None


def _by_register(proba: np.ndarray, labels: np.ndarray, registers: np.ndarray) -> dict:
    """Macro-F1 of each held-out register, from the out-of-fold probabilities."""
    from sklearn.metrics import f1_score

    predicted = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    return {r: round(float(f1_score(labels[registers == r], predicted[registers == r],
                                    average="macro")), 4) for r in sorted(set(registers))}


def _cross_validation(estimator, texts, labels, groups, cv_splits: int, random_state: int,
                      n_boot: int, calibration_groups=None) -> dict:
    """``{"grouped_cv": ...}`` or ``{"stratified_cv": ...}``, or ``{"cv_skipped": why}``."""
    if groups is not None:
        n_splits = min(cv_splits, len(set(groups)))
        key = "grouped_cv"
    else:
        n_splits = min(cv_splits, int(min(np.unique(labels, return_counts=True)[1])))
        key = "stratified_cv"
    if n_splits < 2:
        few = "documents" if groups is not None else "passages of the rarest label"
        return {"cv_skipped": f"too few {few} for two folds"}
    result, _ = grouped_cross_validation(estimator, texts, labels, groups, n_splits=n_splits,
                                         random_state=random_state, n_boot=n_boot,
                                         calibration_groups=calibration_groups)
    if n_splits < cv_splits:
        result["method"] += f" (asked for {cv_splits} folds; there are too few for more)"
    return {key: result}


def calibration_method(model: FramingClassifier, groups, calibration_groups=None) -> str:
    """One sentence saying how the model's probabilities were calibrated."""
    if model.calibration is None:
        return "none: probabilities are the logistic regression's softmax"
    folds = model.calibration_cv
    kind = ("each holding out whole registers (GroupKFold over registers)"
            if calibration_groups is not None else
            "grouped by document (GroupKFold)" if groups is not None else "stratified")
    return (f"temperature scaling (T = {model.temperature_:.3f}) fitted on out-of-fold "
            f"decision values from up to {folds} folds {kind}, so no passage calibrates "
            "the scores of the model that saw it")


def _heldout(model, eval_paths, n_boot: int) -> tuple[dict, list]:
    from framingclf.evaluate import document_groups

    heldout, skipped = {}, []
    for eval_path in eval_paths:
        eval_path = Path(eval_path)
        if not (eval_path.is_file() or (eval_path / "gold.jsonl").is_file()):
            skipped.append(eval_path.name)
            continue
        held = read_eval_set(eval_path)
        ids = held["id"].astype(str).tolist() if "id" in held else [str(i) for i in held.index]
        result = evaluate(model, held["text"].tolist(), held["label"].tolist(),
                          document_groups(held, None, eval_path), n_boot=n_boot)
        result["worst_errors"] = worst_errors(model, held["text"].tolist(),
                                              held["label"].tolist(), ids)
        heldout[eval_path.name] = result
    return heldout, skipped
