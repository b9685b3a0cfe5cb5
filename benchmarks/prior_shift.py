"""Labels for a set's own label mix: does `quantify.adjust_to_set` label passages better?

The corpus is balanced; a council's or trust's papers are not (few passages frame
inequality structurally). `adjust_to_set` re-weights each passage's probabilities from
the training mix to the mix EM estimates for the set. This measures what that does to
the labels, without using real text to choose anything:

1. Out-of-fold probabilities of the shipped configuration on the corpus, from folds
   grouped by document and from leave-one-register-out folds (as in
   `benchmarks/quantification.py`).
2. Sets of 30, 100, 300 and 1,000 passages drawn from them (by label, with
   replacement; `adjust_to_set` itself leaves sets under 100 alone) at three mixes:
   the corpus' own (no shift: the adjustment should change little); random mixes
   (Dirichlet, all parameters 1); and an illustrative mix of local papers as the
   research describes them (mostly access and `none`, some lifestyle and determinants,
   3% structural-politics; written here, not fitted to any labelled set).
   Accuracy, Cohen's kappa and macro-F1, as given and adjusted, averaged over 200 sets
   each, with the 95% interval of the mean difference.
3. The final check on real text, each set adjusted as a whole: real-dev (146 passages)
   and realdocs-dev (200 paragraphs of 16 documents), with paired bootstrap intervals
   of the differences (over passages, and over documents for realdocs-dev).

    python benchmarks/prior_shift.py

Writes benchmarks/results/prior_shift.json.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, f1_score

import framingclf
from framingclf.corpus import read_corpus, read_eval_set
from framingclf.evaluate import expected_calibration_error
from framingclf.labels import LABELS
from framingclf.quantify import adjust_probabilities, adjust_to_set, estimate_shares, train_prior

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quantification import SHARED, corpus_folds, out_of_fold  # the same out-of-fold probabilities

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "prior_shift.json"
SIZES = (30, 100, 300, 1000)
DRAWS = 200
# LABELS order: healthcare-access, lifestyle, social-determinants, structural-politics, none
LOCAL_PAPERS = np.array([0.30, 0.15, 0.15, 0.03, 0.37])


def scores(target: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Accuracy, kappa and macro-F1 (over the labels present in either)."""
    return np.array([np.mean(predicted == target), cohen_kappa_score(target, predicted),
                     f1_score(target, predicted, average="macro", zero_division=0)])


def simulate(proba: np.ndarray, target: np.ndarray, mix: str, size: int,
             base: np.ndarray, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    by_label = [np.flatnonzero(target == k) for k in range(len(LABELS))]
    given, adjusted = [], []
    for _ in range(DRAWS):
        shares = {"corpus": base, "random": None, "local-papers": LOCAL_PAPERS}[mix]
        if shares is None:
            shares = rng.dirichlet(np.ones(len(LABELS)))
        counts = rng.multinomial(size, shares)
        rows = np.concatenate([rng.choice(by_label[k], n) for k, n in enumerate(counts)])
        sample = proba[rows]
        moved = adjust_probabilities(sample, estimate_shares(sample, "em", train_prior=base),
                                     base)
        given.append(scores(target[rows], sample.argmax(axis=1)))
        adjusted.append(scores(target[rows], moved.argmax(axis=1)))
    given_, adjusted_ = np.array(given), np.array(adjusted)
    diff = adjusted_ - given_
    half = 1.96 * diff.std(axis=0, ddof=1) / np.sqrt(len(diff))
    out = {}
    for k, name in enumerate(("accuracy", "kappa", "macro_f1")):
        out[name] = {"given": round(float(given_[:, k].mean()), 4),
                     "adjusted": round(float(adjusted_[:, k].mean()), 4),
                     "diff": round(float(diff[:, k].mean()), 4),
                     "ci95": [round(float(diff[:, k].mean() - half[k]), 4),
                              round(float(diff[:, k].mean() + half[k]), 4)]}
    return out


def corpus_part(model) -> dict:
    c = corpus_folds(ROOT / "corpora" / "framing-corpus.jsonl", model)
    base = train_prior(model)
    out: dict = {}
    for name, split in (("grouped_cv", c.folds), ("loro", c.loro)):
        proba = out_of_fold(c.tokens, c.labels, model, split)
        out[name] = {mix: {str(size): simulate(proba, c.target, mix, size, base, seed=size)
                           for size in SIZES}
                     for mix in ("corpus", "random", "local-papers")}
    return out


def paired(target: np.ndarray, given: np.ndarray, adjusted: np.ndarray,
           units: np.ndarray, n_boot: int = 1000) -> dict:
    """Paired bootstrap of the differences in accuracy, kappa and macro-F1 over units."""
    rng = np.random.default_rng(0)
    names = sorted(set(units))
    rows = [np.flatnonzero(units == name) for name in names]
    draws = []
    for pick in rng.integers(0, len(rows), size=(n_boot, len(rows))):
        idx = np.concatenate([rows[i] for i in pick])
        draws.append(scores(target[idx], adjusted[idx]) - scores(target[idx], given[idx]))
    low, high = np.quantile(np.array(draws), [0.025, 0.975], axis=0)
    point = scores(target, adjusted) - scores(target, given)
    return {name: {"diff": round(float(point[k]), 4),
                   "ci95": [round(float(low[k]), 4), round(float(high[k]), 4)]}
            for k, name in enumerate(("accuracy", "kappa", "macro_f1"))}


def real_part(model) -> dict:
    sets = {}
    real_dev = SHARED / "eval" / "real-dev.jsonl"
    if real_dev.is_file():
        frame = read_corpus(real_dev)
        sets["real-dev"] = (frame, np.arange(len(frame)))
    folder = SHARED / "eval" / "realdocs-dev"
    if (folder / "gold.jsonl").is_file():
        frame = read_eval_set(folder).sort_values("id", kind="stable").reset_index(drop=True)
        sets["realdocs-dev"] = (frame, frame["doc_id"].to_numpy(dtype=object))
    out = {}
    for name, (frame, units) in sets.items():
        scored = framingclf.score_texts(frame["text"].tolist(), model)
        adjusted = adjust_to_set(scored, model)
        target = np.array([LABELS.index(label) for label in frame["label"]])
        row = {"n": len(frame), "set_shares": adjusted.attrs["set_shares"],
               "true_shares": dict(zip(LABELS, np.round(np.bincount(
                   target, minlength=len(LABELS)) / len(target), 3).tolist()))}
        for key, table in (("given", scored), ("adjusted", adjusted)):
            predicted = np.array([LABELS.index(label) for label in table["label"]])
            proba = table[[f"p_{label}" for label in LABELS]].to_numpy(float)
            accuracy, kappa, macro = scores(target, predicted)
            row[key] = {"accuracy": round(float(accuracy), 4), "kappa": round(float(kappa), 4),
                        "macro_f1": round(float(macro), 4),
                        "ece": round(expected_calibration_error(proba, predicted == target), 4),
                        "shares": dict(zip(LABELS, np.round(np.bincount(
                            predicted, minlength=len(LABELS)) / len(predicted), 3).tolist()))}
        given = np.array([LABELS.index(label) for label in scored["label"]])
        moved = np.array([LABELS.index(label) for label in adjusted["label"]])
        row["difference"] = paired(target, given, moved, np.asarray(units))
        out[name] = row
    return out


def main() -> int:
    model = framingclf.load_model()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        report = {"model": model.fingerprint()[:12], "draws": DRAWS,
                  "local_papers_mix": dict(zip(LABELS, LOCAL_PAPERS.tolist())),
                  "real": real_part(model), "corpus": corpus_part(model)}
    OUT.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    summary = pd.DataFrame(
        [{"folds": folds, "mix": mix, "size": size,
          **{f"{m} diff": v[m]["diff"] for m in ("accuracy", "kappa", "macro_f1")}}
         for folds, mixes in report["corpus"].items() for mix, sizes in mixes.items()
         for size, v in sizes.items()])
    print(summary.to_string(index=False))
    print(json.dumps(report["real"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
