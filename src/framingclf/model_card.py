"""The model card: what a trained model is, what it was trained on, and how well it did,
written from the numbers `framingclf train` measured (retraining rewrites it)."""

from __future__ import annotations

from pathlib import Path

from framingclf.labels import DESCRIPTIONS, LABELS


def save_reliability_diagrams(metrics: dict, out_dir: Path) -> list[Path]:
    """Write reliability diagrams (grouped CV, and each held-out set) as PNGs."""
    from framingclf.plots import figure_png, plot_reliability

    written = []
    sets = {"grouped_cv": metrics.get("grouped_cv"),
            "stratified_cv": metrics.get("stratified_cv"),
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


def _intervals(result: dict) -> str:
    ci = result.get("intervals")
    if not ci:
        return ""
    return (f" Intervals ({ci['method']}): macro-F1 {ci['macro_f1'][0]:.3f}–"
            f"{ci['macro_f1'][1]:.3f}, accuracy {ci['accuracy'][0]:.3f}–"
            f"{ci['accuracy'][1]:.3f}, ECE {ci['ece'][0]:.3f}–{ci['ece'][1]:.3f}.")


def _cross_validation(metrics: dict) -> list[str]:
    """The card's cross-validation section: what was done, exactly, and the scores."""
    key = "grouped_cv" if "grouped_cv" in metrics else "stratified_cv"
    if key not in metrics:
        why = metrics.get("cv_skipped", "not run")
        return ["## Cross-validation", "", f"Not done: {why}.", ""]
    cv = metrics[key]
    title = "grouped by document" if key == "grouped_cv" else "NOT grouped by document"
    method = cv.get("method", f"{cv['n_splits']} folds")
    return [
        f"## Cross-validation {title} ({cv['n_splits']} folds)", "",
        f"Method: {method}.", "",
        f"Macro-F1 **{cv['macro_f1']:.3f}**, accuracy {cv['accuracy']:.3f}, expected "
        f"calibration error {cv['ece']:.3f}." + _intervals(cv), "",
        _metrics_table(cv), "", _confusion(cv), "",
        "Reliability (out-of-fold): when the model says *p*, it is right about *p* of "
        "the time if the two columns agree.", "", _reliability(cv), "",
        f"![Reliability diagram, cross-validation](reliability-{key}.png)", "",
    ]


def describe_model(params: dict, temperature: float, calibration: str | None = None) -> str:
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
            f"(C={params.get('C')}, class weights {params.get('class_weight')}). "
            + (f"Calibration: {calibration}." if calibration else
               f"Temperature-scaled probabilities (temperature {temperature:.3f}, fitted on "
               "out-of-fold scores)."))


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
        describe_model(config["params"], metrics["temperature"], metrics.get("calibration")),
        "",
        f"Parameters: `{config['params']}`",
        f"Fingerprint: `{metrics['fingerprint']}`",
        "",
        "## Training data",
        "",
        f"`{corpus['path']}` (SHA-256 `{corpus['sha256'][:16]}…`): {corpus['n_passages']} "
        + (f"passages from {corpus['n_documents']} documents (column "
           f"`{corpus.get('document_column', 'doc_id')}`). " if corpus["n_documents"]
           else "passages, with no document column: nothing could be grouped by document. ")
        + "Label counts: "
        + ", ".join(f"{k} {v}" for k, v in corpus["label_counts"].items()) + ".",
        "",
    ]
    lines += _cross_validation(metrics)
    for eval_name, result in metrics.get("heldout", {}).items():
        lines += [
            f"## Held-out real text: `{eval_name}`",
            "",
            f"{result['n']} passages the model was not trained on. Macro-F1 "
            f"**{result['macro_f1']:.3f}**, accuracy {result['accuracy']:.3f}, ECE "
            f"{result['ece']:.3f}." + _intervals(result),
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
