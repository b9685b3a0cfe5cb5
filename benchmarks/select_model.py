"""Choose the shipped model by what predicts text it has not seen.

Every candidate (a feature set, a model family and its hyperparameters) is measured on
the training corpus only, two ways, on the same folds for all:

- **grouped CV**: 5 folds with whole documents held out (StratifiedGroupKFold);
- **leave-one-register-out** (LORO): train on every register but one and test on it,
  for each of the corpus' registers (`framingclf.corpus.REGISTERS`): the closest proxy
  for writing the model has never seen.

The selection score is the mean of the two macro-F1s (LORO pooled over its folds); the
best of each family is then fitted on the whole corpus and checked once on the real
passages beside the repository (../shared/eval/real-dev.jsonl, and the paragraphs of real
documents in ../shared/eval/realdocs-dev), which are never used to choose. Text goes
through spaCy once; candidates differ only in the features and model on top.

    python benchmarks/select_model.py [--corpus PATH] [--only FAMILY ...] [--quick]

Writes benchmarks/results/select_model.json (scores only, no text).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from framingclf.corpus import read_corpus, read_eval_set, register_of
from framingclf.features import TokenCharVectorizer, TokenNgramVectorizer
from framingclf.labels import LABELS
from framingclf.spacy_pipeline import SpacyPreprocessor

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRAMINGCLF_SHARED") or ROOT.parent / "shared")
OUT = ROOT / "benchmarks" / "results" / "select_model.json"


def words(min_df=2):
    return TokenNgramVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True)


def words_chars(min_df=2):
    return FeatureUnion([("words", words(min_df)),
                         ("chars", TokenCharVectorizer((3, 5), min_df=min_df))])


def logistic(C, weight="balanced"):
    return LogisticRegression(C=C, class_weight=weight, solver="newton-cg", max_iter=1000)


#: family -> {candidate name: (features factory, model factory)}
FAMILIES = {
    "words-lr": {f"words-lr-C{C}": (words, lambda C=C: logistic(C)) for C in (3, 10, 30, 100)},
    "words+chars-lr": {f"words+chars-lr-C{C}": (words_chars, lambda C=C: logistic(C))
                       for C in (10, 30, 3)},
    "words-svm": {f"words-svm-C{C}": (words, lambda C=C: LinearSVC(C=C, class_weight="balanced"))
                  for C in (0.1, 0.3)},
    "words-sgd-elasticnet": {
        f"words-sgd-a{a}": (words, lambda a=a: SGDClassifier(
            loss="log_loss", penalty="elasticnet", alpha=a, l1_ratio=0.15,
            class_weight="balanced", max_iter=50, tol=1e-4, random_state=0))
        for a in (1e-5, 3e-5)},
    "words-cnb": {f"words-cnb-a{a}": (words, lambda a=a: ComplementNB(alpha=a))
                  for a in (0.1, 0.3)},
}
#: probability-averaged ensembles of the best candidate of each family named
ENSEMBLES = {"ensemble-lr+cnb": ("words+chars-lr", "words-cnb"),
             "ensemble-lr+words": ("words+chars-lr", "words-lr")}


def scores(model, X) -> np.ndarray:
    """Per-class scores to average across an ensemble: probabilities where the model
    has them, else a softmax of its decision values."""
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)
    d = model.decision_function(X)
    e = np.exp(d - d.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_predict(make, tokens, labels, splits) -> np.ndarray:
    """Out-of-fold class scores (columns in `LABELS` order)."""
    out = np.zeros((len(tokens), len(LABELS)))
    for train, test in splits:
        head = make()
        head.fit([tokens[i] for i in train], labels[train])
        cols = [LABELS.index(c) for c in head.classes_]
        out[np.ix_(test, cols)] = scores(head, [tokens[i] for i in test])
    return out


def macro_f1(labels, proba) -> float:
    predicted = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    return float(f1_score(labels, predicted, labels=list(LABELS), average="macro"))


def per_register(labels, proba, registers) -> dict:
    predicted = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)]
    return {r: round(float(f1_score(labels[registers == r], predicted[registers == r],
                                    labels=list(LABELS), average="macro")), 3)
            for r in sorted(set(registers))}


def make_head(features, model):
    return lambda: Pipeline([("features", features()), ("model", model())])


def real_sets() -> dict[str, tuple[list[str], np.ndarray]]:
    """The real passages beside the repository (texts, labels), when present (never in
    it): real-dev, and realdocs-dev's adjudicated paragraphs."""
    sets = {}
    real_dev = SHARED / "eval" / "real-dev.jsonl"
    if real_dev.is_file():
        frame = read_corpus(real_dev)
        sets["real-dev"] = (frame["text"].tolist(), frame["label"].to_numpy(dtype=object))
    folder = SHARED / "eval" / "realdocs-dev"
    if (folder / "items.jsonl").is_file() and (folder / "gold.jsonl").is_file():
        frame = read_eval_set(folder).sort_values("id", kind="stable")
        sets["realdocs-dev"] = (frame["text"].tolist(), frame["label"].to_numpy(dtype=object))
    return sets


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT / "corpora" / "framing-corpus.jsonl"))
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--quick", action="store_true", help="first candidate of a family")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    corpus = read_corpus(args.corpus)
    labels = corpus["label"].to_numpy(dtype=object)
    groups = corpus["doc_id"].astype(str).to_numpy()
    registers = np.array([register_of(t) for t in corpus["doc_type"]], dtype=object)
    prep = SpacyPreprocessor()
    started = time.perf_counter()
    tokens = prep.transform(corpus["text"].tolist())
    print(f"{len(tokens)} passages, {len(set(groups))} documents, registers "
          f"{dict(zip(*np.unique(registers, return_counts=True)))}; spaCy "
          f"{time.perf_counter() - started:.0f}s", flush=True)
    cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    grouped = list(cv.split(tokens, labels, groups))
    loro = [(np.flatnonzero(registers != r), np.flatnonzero(registers == r))
            for r in sorted(set(registers))]
    real = real_sets()
    real_tokens = {name: (prep.transform(texts), y) for name, (texts, y) in real.items()}
    results: dict = {"corpus": {"path": Path(args.corpus).name, "n": len(tokens),
                                "documents": len(set(groups))},
                     "candidates": {}, "families": {}}
    oof: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for family, candidates in FAMILIES.items():
        if args.only and family not in args.only:
            continue
        best = None
        for i, (name, (features, model)) in enumerate(candidates.items()):
            if args.quick and i:
                break
            t = time.perf_counter()
            make = make_head(features, model)
            p_cv = cross_predict(make, tokens, labels, grouped)
            p_loro = cross_predict(make, tokens, labels, loro)
            row = {"grouped_cv": round(macro_f1(labels, p_cv), 4),
                   "loro": round(macro_f1(labels, p_loro), 4),
                   "loro_by_register": per_register(labels, p_loro, registers)}
            row["selection"] = round((row["grouped_cv"] + row["loro"]) / 2, 4)
            row["seconds"] = round(time.perf_counter() - t, 1)
            results["candidates"][name] = row
            oof[name] = (p_cv, p_loro)
            print(f"  {name:<28} cv {row['grouped_cv']:.3f}  loro {row['loro']:.3f}  "
                  f"({row['seconds']}s)", flush=True)
            if best is None or row["selection"] > results["candidates"][best]["selection"]:
                best = name
        if best is None:
            continue
        features, model = candidates[best]
        fitted = make_head(features, model)()
        fitted.fit(tokens, labels)
        final = {"best": best, **results["candidates"][best]}
        for set_name, (X, y) in real_tokens.items():
            proba = np.zeros((len(X), len(LABELS)))
            proba[:, [LABELS.index(c) for c in fitted.classes_]] = scores(fitted, X)
            final[set_name] = round(macro_f1(y, proba), 4)
            results.setdefault("_fitted", {}).setdefault(best, {})[set_name] = proba
        results["families"][family] = final
        print(f"{family}: best {best}  " + "  ".join(
            f"{k} {v}" for k, v in final.items() if k in real_tokens), flush=True)
    fitted_best = results.setdefault("_fitted", {})
    for name, members in ENSEMBLES.items():
        bests = [results["families"].get(f, {}).get("best") for f in members]
        if not all(b in oof for b in bests):
            continue
        p_cv = np.mean([oof[b][0] for b in bests], axis=0)
        p_loro = np.mean([oof[b][1] for b in bests], axis=0)
        row = {"members": bests, "grouped_cv": round(macro_f1(labels, p_cv), 4),
               "loro": round(macro_f1(labels, p_loro), 4),
               "loro_by_register": per_register(labels, p_loro, registers)}
        row["selection"] = round((row["grouped_cv"] + row["loro"]) / 2, 4)
        for set_name, (_, y) in real_tokens.items():
            proba = np.mean([fitted_best[b][set_name] for b in bests], axis=0)
            row[set_name] = round(macro_f1(y, proba), 4)
        results["families"][name] = row
        print(f"{name}: cv {row['grouped_cv']:.3f} loro {row['loro']:.3f}  " + "  ".join(
            f"{k} {row[k]}" for k in real_tokens), flush=True)
    results.pop("_fitted", None)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
