"""The model card: what a trained model is, what it was trained on, and how well it did,
written from the numbers `framingclf train` measured (retraining rewrites it).

The card is built with skops' model-card tooling (`skops.card.Card`): sections,
metric tables and plots, rendered as Markdown.
"""

from __future__ import annotations

from pathlib import Path

from framingclf.labels import DESCRIPTIONS, LABELS

_SHORT = {"healthcare-access": "access", "lifestyle": "lifestyle",
          "social-determinants": "determinants", "structural-politics": "politics",
          "none": "none"}


def save_reliability_diagrams(metrics: dict, out_dir: Path) -> list[Path]:
    """Write reliability diagrams (grouped CV, and each held-out set) as PNGs."""
    from framingclf.plots import figure_png, plot_reliability

    written = []
    sets = {"grouped_cv": metrics.get("grouped_cv"),
            "stratified_cv": metrics.get("stratified_cv"),
            **{f"heldout-{Path(k).stem}": v for k, v in metrics.get("heldout", {}).items()}}
    for name, result in sets.items():
        if result and result.get("reliability"):
            path = Path(out_dir) / f"reliability-{name}.png"
            path.write_bytes(figure_png(plot_reliability(result)))
            written.append(path)
    return written


def _per_class(result: dict) -> dict[str, list]:
    rows = [result["per_class"][label] for label in LABELS]
    return {"label": list(LABELS),
            "precision": [f"{m['precision']:.3f}" for m in rows],
            "recall": [f"{m['recall']:.3f}" for m in rows],
            "F1": [f"{m['f1']:.3f}" for m in rows],
            "support": [m["support"] for m in rows]}


def _confusion(result: dict) -> dict[str, list]:
    labels = result["confusion"]["labels"]
    table = {"true \\ predicted": [_SHORT[x] for x in labels]}
    for j, label in enumerate(labels):
        table[_SHORT[label]] = [row[j] for row in result["confusion"]["matrix"]]
    return table


def _reliability(result: dict) -> dict[str, list]:
    bins = [b for b in result.get("reliability", []) if b["n"]]
    return {"confidence bin": [f"{b['low']:.2f}–{b['high']:.2f}" for b in bins],
            "passages": [b["n"] for b in bins],
            "mean confidence": [f"{b['confidence']:.3f}" for b in bins],
            "accuracy": [f"{b['accuracy']:.3f}" for b in bins]}


def _intervals(result: dict) -> str:
    ci = result.get("intervals")
    if not ci:
        return ""
    return (f" Intervals ({ci['method']}): macro-F1 {ci['macro_f1'][0]:.3f}–"
            f"{ci['macro_f1'][1]:.3f}, accuracy {ci['accuracy'][0]:.3f}–"
            f"{ci['accuracy'][1]:.3f}, ECE {ci['ece'][0]:.3f}–{ci['ece'][1]:.3f}.")


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
            f"(C={params.get('C')}, class weights {params.get('class_weight')})"
            + _pooling(params) + ". "
            + (f"Calibration: {calibration}." if calibration else
               f"Temperature-scaled probabilities (temperature {temperature:.3f}, fitted on "
               "out-of-fold scores)."))


def _pooling(params: dict) -> str:
    """What the classifier adds to the regression: naive Bayes pooling, short passages."""
    added = []
    if params.get("nb_weight"):
        added.append(f"plus the log-probabilities (weight {params['nb_weight']:g}) of a "
                     f"complement naive Bayes model on the word n-grams (alpha "
                     f"{params.get('nb_alpha')}), pooled into one linear model")
    if params.get("short_words"):
        added.append(f"passages under {params['short_words']} words drawn toward the "
                     "corpus' label shares in proportion to their length")
    return "".join(f"; {part}" for part in added)


def _titled(card, key: str) -> None:
    """skops titles a table or plot section by its whole key; keep its last part."""
    card.select(key).title = key.rsplit("/", 1)[-1]


def _measured(card, section: str, result: dict, text: str, plot: str | None) -> None:
    card.add(**{section: text})
    tables = {"Per label": _per_class(result),
              "Confusion (rows true, columns predicted)": _confusion(result)}
    if result.get("reliability"):
        tables["Reliability"] = _reliability(result)
    for name, table in tables.items():
        card.add_table(**{f"{section}/{name}": table})
        _titled(card, f"{section}/{name}")
    if plot:
        card.add_plot(alt_text="Reliability diagram", **{f"{section}/Reliability diagram": plot})
        _titled(card, f"{section}/Reliability diagram")


def _cross_validation(card, top: str, metrics: dict) -> None:
    """The card's cross-validation section: what was done, exactly, and the scores."""
    key = "grouped_cv" if "grouped_cv" in metrics else "stratified_cv"
    if key not in metrics:
        card.add(**{f"{top}/Cross-validation": "Not done: "
                    f"{metrics.get('cv_skipped', 'not run')}."})
        return
    cv = metrics[key]
    title = "grouped by document" if key == "grouped_cv" else "NOT grouped by document"
    method = cv.get("method", f"{cv['n_splits']} folds")
    _measured(card, f"{top}/Cross-validation {title} ({cv['n_splits']} folds)", cv,
              f"Method: {method}. Macro-F1 **{cv['macro_f1']:.3f}**, accuracy "
              f"{cv['accuracy']:.3f}, expected calibration error {cv['ece']:.3f}."
              + _intervals(cv) + " Reliability (out-of-fold): when the model says *p*, it "
              "is right about *p* of the time if the two columns agree.",
              f"reliability-{key}.png")


_LIMITS = """\
- For measuring how documents frame health inequalities at scale and for finding passages
  to read; not for judging an organisation on a single passage.
- Trained on a corpus written for framingclf in the registers of NHS, local government,
  parliamentary, think-tank, academic, news and guidance documents (see
  `corpora/DATASHEET.md`); real documents differ, and the held-out real-text scores above
  are the better guide to accuracy on them: they are lower than cross-validation.
- Confidence is calibrated for writing unlike the training registers, but real text is
  harder still: on it the model is over-confident (its ECE on real passages is several
  times that of cross-validation). Read passages marked `review`, and the passages behind
  any figure you publish.
- `structural-politics` and `social-determinants` are the hardest boundary, then `none`
  against `healthcare-access` in service and analysis text. Real local documents rarely
  frame inequality structurally, so a model trained on a balanced corpus over-counts
  `structural-politics` in them: for shares, use the corrected estimates of
  `framingclf.quantify` and read the intervals."""


def _register_cv(card, top: str, metrics: dict) -> None:
    """Leave-one-register-out: the proxy for writing the model has never seen."""
    result = metrics.get("register_cv")
    if not result:
        return
    by = result.get("by_register", {})
    _measured(card, f"{top}/Leave one register out ({result['n_splits']} folds)", result,
              f"Method: {result.get('method')}. Macro-F1 **{result['macro_f1']:.3f}**, "
              f"accuracy {result['accuracy']:.3f}, ECE {result['ece']:.3f}."
              + _intervals(result) + " By held-out register (macro-F1): "
              + ", ".join(f"{k} {v:.3f}" for k, v in by.items()) + ".", None)


def _selection(card, top: str, selection: dict | None) -> None:
    """How the configuration was chosen: every family on the same folds."""
    if not selection:
        return
    families = selection.get("families", {})
    real = sorted({k for row in families.values() for k in row
                   if k in ("real-dev", "realdocs-dev")})
    table: dict[str, list] = {"family": [], "best": [], "grouped CV": [], "LORO": [],
                              **{f"{k} (check)": [] for k in real}}
    for family, row in families.items():
        table["family"].append(family)
        table["best"].append(row.get("best") or " + ".join(row.get("members", [])))
        table["grouped CV"].append(f"{row['grouped_cv']:.3f}")
        table["LORO"].append(f"{row['loro']:.3f}")
        for k in real:
            table[f"{k} (check)"].append(f"{row[k]:.3f}" if k in row else "")
    section = f"{top}/Model selection"
    card.add(**{section: "Candidates were compared on the training corpus only, on the same "
                "folds: cross-validation grouped by document, and leave-one-register-out "
                "(train on all registers but one, test on it). The configuration is chosen "
                "by the mean of the two; the real passages are a final check, reported once "
                "per family and never used to choose (benchmarks/select_model.py). "
                + selection.get("shipped", "")})
    card.add_table(**{f"{section}/Families": table})
    _titled(card, f"{section}/Families")


def model_card(name: str, metrics: dict, config: dict, selection: dict | None = None) -> str:
    """A model card a person can read, as Markdown: use, data, measured performance,
    limits (built with `skops.card.Card`); `selection`, the results of
    benchmarks/select_model.py, adds how the configuration was chosen."""
    from skops.card import Card

    corpus = metrics["corpus"]
    top = f"Model card: {name}"
    card = Card(model=None, template=None, model_diagram=False)
    card.add(**{
        top: "framingclf labels passages of UK health and local-government documents by "
             "how they frame health inequalities. This card is written by `framingclf "
             "train` from the numbers it measured; retraining rewrites it.",
        f"{top}/Labels": "\n".join(f"- `{label}`: {DESCRIPTIONS[label]}" for label in LABELS),
        f"{top}/Model": describe_model(config["params"], metrics["temperature"],
                                       metrics.get("calibration"))
        + f"\n\nParameters: `{config['params']}`\n\nFingerprint: "
          f"`{metrics['fingerprint']}`",
        f"{top}/Training data": (
            f"`{corpus['path']}` (SHA-256 `{corpus['sha256'][:16]}…`): "
            f"{corpus['n_passages']} "
            + (f"passages from {corpus['n_documents']} documents (column "
               f"`{corpus.get('document_column', 'doc_id')}`). " if corpus["n_documents"]
               else "passages, with no document column: nothing could be grouped by "
                    "document. ")
            + "Label counts: " + ", ".join(f"{k} {v}" for k, v in
                                         corpus["label_counts"].items()) + "."),
    })
    _cross_validation(card, top, metrics)
    _register_cv(card, top, metrics)
    _selection(card, top, selection)
    for eval_name, result in metrics.get("heldout", {}).items():
        _measured(card, f"{top}/Held-out text: {eval_name}", result,
                  f"{result['n']} passages the model was not trained on. "
                  f"Macro-F1 **{result['macro_f1']:.3f}**, accuracy {result['accuracy']:.3f}, "
                  f"ECE {result['ece']:.3f}." + _intervals(result),
                  f"reliability-heldout-{Path(eval_name).stem}.png")
    card.add(**{f"{top}/Intended use and limits": _LIMITS})
    return card.render() + "\n"
