"""Label shares on held-out documents: are corrected estimates closer to the truth than
counting predicted labels?

On the training corpus, 5-fold cross-validation grouped by document gives each passage
out-of-fold probabilities from a model that never saw its document (the shipped model's
configuration; the temperature of each test fold fitted on the other folds' out-of-fold
scores, as `FramingClassifier` does). Shares of the five labels are estimated by
`framingclf.quantify` (cc, pcc, acc with the other folds' confusion, em with their prior)
and compared with the true shares (mean absolute error over labels, averaged over the
units) for every held-out document and for sets of four documents of one register (an
organisation's papers, say); and, from leave-one-register-out folds, for each register
as a whole, scored by a model that never saw it: the largest shifts in label mix.

Then, as a final check on real text, the shipped model on the 200 labelled paragraphs of
16 real documents (../shared/eval/realdocs-dev), per document and overall.

    python benchmarks/quantification.py [--corpus PATH]

Writes benchmarks/results/quantification.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from scipy.special import softmax
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline

import framingclf
from framingclf.classifier import fit_temperature
from framingclf.corpus import read_corpus, read_eval_set, register_of
from framingclf.labels import LABELS
from framingclf.quantify import METHODS, estimate_shares, train_prior
from framingclf.scoring import predict_proba

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRAMINGCLF_SHARED") or ROOT.parent / "shared")
OUT = ROOT / "benchmarks" / "results" / "quantification.json"


def corpus_folds(path, model) -> SimpleNamespace:
    """The corpus read for out-of-fold scoring: `labels`, `target` (their `LABELS`
    indices), `docs`, `registers`, `tokens` (the model's preprocessing), 5 `folds`
    grouped by document and the leave-one-register-out folds `loro`."""
    corpus = read_corpus(path)
    labels = corpus["label"].to_numpy(dtype=object)
    docs = corpus["doc_id"].astype(str).to_numpy()
    registers = np.array([register_of(t) for t in corpus["doc_type"]], dtype=object)
    tokens = model.pipeline_.named_steps["preprocess"].transform(corpus["text"].tolist())
    return SimpleNamespace(
        labels=labels, target=np.array([LABELS.index(label) for label in labels]),
        docs=docs, registers=registers, tokens=tokens,
        folds=list(StratifiedGroupKFold(5, shuffle=True, random_state=0)
                   .split(tokens, labels, docs)),
        loro=[(np.flatnonzero(registers != r), np.flatnonzero(registers == r))
              for r in sorted(set(registers))])


def true_shares(labels: np.ndarray) -> np.ndarray:
    return np.array([np.mean(labels == label) for label in LABELS])


def out_of_fold(tokens, labels, model, folds) -> np.ndarray:
    """Out-of-fold calibrated probabilities (columns in `LABELS` order): each test
    fold scored by a model fitted on the others, its temperature fitted on the other
    folds' out-of-fold scores."""
    head_steps = model.pipeline_.steps[1:]
    scores = np.zeros((len(tokens), len(LABELS)))
    from sklearn.base import clone

    for train, test in folds:
        head = Pipeline([(name, clone(step)) for name, step in head_steps])
        head.fit([tokens[i] for i in train], labels[train])
        cols = [LABELS.index(c) for c in head.classes_]
        scores[np.ix_(test, cols)] = head.decision_function([tokens[i] for i in test])
    target = np.array([LABELS.index(label) for label in labels])
    proba = np.zeros_like(scores)
    for _, test in folds:
        rest = np.setdiff1d(np.arange(len(tokens)), test)
        temperature = fit_temperature(scores[rest], target[rest])
        proba[test] = softmax(scores[test] / temperature, axis=1)
    return proba


def errors_by_unit(proba, target, units, folds, min_passages: int) -> dict:
    """Mean absolute share error of each method over the units (sets of passages)."""
    predicted = proba.argmax(axis=1)
    fold_of = np.zeros(len(target), dtype=int)
    for k, (_, test) in enumerate(folds):
        fold_of[test] = k
    result: dict = {method: [] for method in METHODS}
    for unit in sorted(set(units)):
        rows = np.flatnonzero(units == unit)
        if len(rows) < min_passages:
            continue
        truth = true_shares(np.asarray(LABELS, dtype=object)[target[rows]])
        others = ~np.isin(fold_of, np.unique(fold_of[rows]))
        confusion = np.zeros((len(LABELS), len(LABELS)))
        np.add.at(confusion, (target[others], predicted[others]), 1)
        prior = true_shares(np.asarray(LABELS, dtype=object)[target[others]])
        for method in METHODS:
            estimate = estimate_shares(proba[rows], method, confusion=confusion,
                                       train_prior=prior)
            result[method].append(float(np.abs(estimate - truth).mean()))
    return {method: {"mae": round(float(np.mean(v)), 4), "units": len(v)}
            for method, v in result.items() if v}


def realdocs(model) -> dict | None:
    folder = SHARED / "eval" / "realdocs-dev"
    if not (folder / "gold.jsonl").is_file():
        return None
    frame = read_eval_set(folder)
    proba = predict_proba(model, frame["text"].tolist())
    labels = frame["label"].to_numpy(dtype=object)
    docs = frame["doc_id"].to_numpy(dtype=object)
    metrics = None
    if getattr(model, "confusion_", None) is not None:  # to `LABELS` order
        order = [list(model.classes_).index(label) for label in LABELS]
        metrics = model.confusion_[np.ix_(order, order)]
    out: dict = {"overall": {}, "per_document_mae": {}}
    truth = true_shares(labels)
    prior = train_prior(model)
    for method in METHODS:
        if method == "acc" and metrics is None:
            continue
        est = estimate_shares(proba, method, confusion=metrics, train_prior=prior)
        out["overall"][method] = {"mae": round(float(np.abs(est - truth).mean()), 4),
                                  "shares": dict(zip(LABELS, np.round(est, 3).tolist()))}
        per_doc = [float(np.abs(estimate_shares(proba[docs == d], method, confusion=metrics,
                                                train_prior=prior)
                                - true_shares(labels[docs == d])).mean())
                   for d in sorted(set(docs))]
        out["per_document_mae"][method] = round(float(np.mean(per_doc)), 4)
    out["true_shares"] = dict(zip(LABELS, np.round(truth, 3).tolist()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT / "corpora" / "framing-corpus.jsonl"))
    args = parser.parse_args()
    model = framingclf.load_model()
    c = corpus_folds(args.corpus, model)
    labels, target, docs, registers = c.labels, c.target, c.docs, c.registers
    tokens, folds, loro = c.tokens, c.folds, c.loro
    proba = out_of_fold(tokens, labels, model, folds)
    proba_loro = out_of_fold(tokens, labels, model, loro)
    # sets of four held-out documents of one register: an organisation's papers
    sets = np.empty(len(docs), dtype=object)
    for register in sorted(set(registers)):
        names = sorted(set(docs[registers == register]))
        for k, name in enumerate(names):
            sets[docs == name] = f"{register}-{k // 4}"
    report = {
        "corpus": Path(args.corpus).name, "passages": len(target),
        "documents": errors_by_unit(proba, target, docs, folds, min_passages=8),
        "sets_of_four_documents": errors_by_unit(proba, target, sets, folds, 20),
        # each register scored by a model that never saw it: the largest shifts in mix
        "registers_left_out": errors_by_unit(proba_loro, target, registers, loro, 100),
        "realdocs_dev": realdocs(model),
    }
    OUT.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
