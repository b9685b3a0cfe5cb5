"""Compare framingclf configurations and baselines on the same folds and real passages.

For each candidate: cross-validation grouped by document on the training corpus (same
folds for all), and macro-F1 on ../shared/eval/real-dev.jsonl (skipped if absent; never
trained on). Writes benchmarks/results/compare_models.json and prints a table.

    python benchmarks/compare_models.py [--only NAME ...] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from framingclf import FramingClassifier
from framingclf.corpus import read_corpus
from framingclf.evaluate import evaluate, grouped_cross_validation

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from baselines import SpacyTextcatBow, plain_tfidf_lr  # noqa: E402

REAL_DEV = HERE.parent.parent / "shared" / "eval" / "real-dev.jsonl"

CANDIDATES = {
    "framingclf-default": lambda: FramingClassifier(),
    "framingclf-words-only": lambda: FramingClassifier(char_ngram_range=None),
    "framingclf-no-numbers": lambda: FramingClassifier(numbers=False),
    "framingclf-no-terms": lambda: FramingClassifier(terms=False),
    "framingclf-negation": lambda: FramingClassifier(negation=True),
    "framingclf-C3": lambda: FramingClassifier(C=3.0),
    "framingclf-C30": lambda: FramingClassifier(C=30.0),
    "framingclf-chars-2-5": lambda: FramingClassifier(char_ngram_range=(2, 5)),
    "baseline-tfidf-lr": plain_tfidf_lr,
    "baseline-spacy-textcat-bow": lambda: SpacyTextcatBow(),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--corpus", default=str(HERE.parent / "corpora" / "framing-corpus.jsonl"))
    parser.add_argument("--out", default=str(HERE / "results" / "compare_models.json"))
    args = parser.parse_args()
    corpus = read_corpus(args.corpus)
    texts, labels = corpus["text"].tolist(), corpus["label"].to_numpy(dtype=object)
    groups = corpus["doc_id"].astype(str).to_numpy()
    real = read_corpus(REAL_DEV) if REAL_DEV.is_file() else None
    results = {}
    for name, make in CANDIDATES.items():
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        cv, _ = grouped_cross_validation(make(), texts, labels, groups)
        row = {"cv_macro_f1": cv["macro_f1"], "cv_ece": cv["ece"],
               "cv_per_class_f1": {k: v["f1"] for k, v in cv["per_class"].items()}}
        if real is not None:
            model = make()
            if isinstance(model, FramingClassifier):
                model.fit(texts, labels, groups=groups)
            else:
                model.fit(texts, labels)
            held = evaluate(model, real["text"].tolist(), real["label"].tolist())
            row.update(real_macro_f1=held["macro_f1"], real_ece=held["ece"],
                       real_per_class_f1={k: v["f1"] for k, v in held["per_class"].items()})
        row["seconds"] = round(time.perf_counter() - start, 1)
        results[name] = row
        print(f"{name:<30} cv {row['cv_macro_f1']:.3f}  real "
              f"{row.get('real_macro_f1', np.nan):.3f}  "
              + " ".join(f"{v:.2f}" for v in row.get("real_per_class_f1", {}).values())
              + f"  ({row['seconds']}s)", flush=True)
    out = Path(args.out)
    previous = json.loads(out.read_text()) if out.is_file() else {}
    previous.update(results)
    out.write_text(json.dumps(previous, indent=2) + "\n")


if __name__ == "__main__":
    main()
