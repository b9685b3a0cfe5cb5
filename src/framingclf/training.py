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
from framingclf.labels import DESCRIPTIONS, LABELS


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
        model.save(out_dir, corpus_sha256=metrics["corpus"]["sha256"], metrics=metrics,
                   config=config, card=model_card(Path(out_dir).name, metrics, config))
        save_reliability_diagrams(metrics, Path(out_dir))
    return model, metrics


def save_reliability_diagrams(metrics: dict, out_dir: Path) -> list[Path]:
    """Write reliability diagrams (grouped CV, and each held-out set) as PNGs."""
    from framingclf.plots import figure_png, plot_reliability

    written = []
    sets = {"grouped_cv": metrics.get("grouped_cv"),
            **{f"heldout-{Path(k).stem}": v for k, v in metrics.get("heldout", {}).items()}}
    for name, result in sets.items():
        if result and result.get("reliability"):
            path = out_dir / f"reliability-{name}.png"
            path.write_bytes(figure_png(plot_reliability(result["reliability"])))
            written.append(path)
    return written


def _metrics_table(result: dict) -> str:
    rows = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label in LABELS:
        m = result["per_class"][label]
        rows.append(f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
                    f"| {m['support']} |")
    return "\n".join(rows)


def _confusion(result: dict) -> str:
    labels = result["confusion"]["labels"]
    short = {"healthcare-access": "access", "lifestyle": "lifestyle",
             "social-determinants": "determinants", "structural-politics": "politics",
             "none": "none"}
    rows = ["| true \\ predicted | " + " | ".join(short[x] for x in labels) + " |",
            "|---" * (len(labels) + 1) + "|"]
    for label, counts in zip(labels, result["confusion"]["matrix"]):
        rows.append(f"| {short[label]} | " + " | ".join(str(c) for c in counts) + " |")
    return "\n".join(rows)


def _reliability(result: dict) -> str:
    rows = ["| confidence bin | passages | mean confidence | accuracy |", "|---|---|---|---|"]
    for b in result.get("reliability", []):
        if b["n"]:
            rows.append(f"| {b['low']:.1f}–{b['high']:.1f} | {b['n']} | {b['confidence']:.3f} "
                        f"| {b['accuracy']:.3f} |")
    return "\n".join(rows)


def describe_model(params: dict, temperature: float) -> str:
    """One paragraph saying what the fitted pipeline does, from its parameters."""
    components = [name for name, on in (("number placeholders", params.get("numbers")),
                                        ("multi-word domain terms", params.get("terms")),
                                        ("negation marking", params.get("negation"))) if on]
    pipeline = params.get("pipeline", "blank")
    nlp = ("spaCy's blank English tokenizer with the lookup lemmatizer" if pipeline == "blank"
           else f"the spaCy pipeline {pipeline}")
    features = f"word {tuple(params.get('ngram_range', (1, 2)))}-gram TF-IDF"
    if params.get("char_ngram_range"):
        features += (f" and character {tuple(params['char_ngram_range'])}-gram TF-IDF within "
                     "the normalised tokens")
    listed = " and ".join([", ".join(components[:-1]), components[-1]] if len(components) > 1
                          else components)
    return (f"Preprocessing: {nlp}" + (f", with framingclf's {listed}" if listed else "")
            + f". Features: {features}. Model: multinomial logistic regression "
            f"(C={params.get('C')}, class weights {params.get('class_weight')}), with "
            f"temperature-scaled probabilities (temperature {temperature:.3f}, fitted on "
            "out-of-fold scores grouped by document).")


def model_card(name: str, metrics: dict, config: dict) -> str:
    """A model card a person can read: use, data, measured performance, limits."""
    corpus = metrics["corpus"]
    lines = [
        f"# Model card: {name}",
        "",
        "framingclf labels passages of UK health and local-government documents by how they "
        "frame health inequalities. This card is written by `framingclf train` from the "
        "numbers it measured; retraining rewrites it.",
        "",
        "## Labels",
        "",
        *[f"- `{label}`: {DESCRIPTIONS[label]}" for label in LABELS],
        "",
        "## Model",
        "",
        describe_model(config["params"], metrics["temperature"]),
        "",
        f"Parameters: `{config['params']}`",
        f"Fingerprint: `{metrics['fingerprint']}`",
        "",
        "## Training data",
        "",
        f"`{corpus['path']}` (SHA-256 `{corpus['sha256'][:16]}…`): {corpus['n_passages']} "
        f"passages from {corpus['n_documents']} documents. Label counts: "
        + ", ".join(f"{k} {v}" for k, v in corpus["label_counts"].items()) + ".",
        "",
    ]
    if "grouped_cv" in metrics:
        cv = metrics["grouped_cv"]
        lines += [
            f"## Cross-validation grouped by document ({cv['n_splits']} folds)",
            "",
            f"Macro-F1 **{cv['macro_f1']:.3f}**, accuracy {cv['accuracy']:.3f}, expected "
            f"calibration error {cv['ece']:.3f}. No document has passages in both the "
            "training and the test side of a fold.",
            "",
            _metrics_table(cv), "", _confusion(cv), "",
            "Reliability (out-of-fold): when the model says *p*, it is right about *p* of "
            "the time if the two columns agree.", "", _reliability(cv), "",
            "![Reliability diagram, grouped cross-validation](reliability-grouped_cv.png)", "",
        ]
    for eval_name, result in metrics.get("heldout", {}).items():
        lines += [
            f"## Held-out real text: `{eval_name}`",
            "",
            f"{result['n']} real, human-written passages the model never saw. Macro-F1 "
            f"**{result['macro_f1']:.3f}**, accuracy {result['accuracy']:.3f}, ECE "
            f"{result['ece']:.3f}.",
            "", _metrics_table(result), "", _confusion(result), "",
            f"![Reliability diagram, {eval_name}](reliability-heldout-{Path(eval_name).stem}.png)",
            "",
        ]
    lines += [
        "## Intended use and limits",
        "",
        "- For measuring how documents frame health inequalities at scale and for finding "
        "passages to read; not for judging an organisation on a single passage.",
        "- Trained on a corpus written for framingclf in the registers of NHS, local "
        "government, parliamentary, think-tank, academic and news documents (see "
        "`corpora/DATASHEET.md`); real documents differ, and the held-out real-text scores "
        "above are the better guide to accuracy on them.",
        "- `structural-politics` and `social-determinants` are the hardest boundary: "
        "a passage naming a policy as context, not as a cause, is easily over-read.",
        "- Probabilities are calibrated on the training corpus; on real text they tend to be "
        "over-confident when the wording is far from the corpus. Read low-confidence "
        "passages yourself.",
        "",
    ]
    return "\n".join(lines)
