"""Label audit by confident learning: list passages whose label the data itself doubts.

Out-of-fold probabilities come from cross-validation grouped by document (the model never
sees the passage's own document). Following Northcutt et al.'s confident learning, each
class j gets a threshold t_j, the mean out-of-fold probability of j over passages labelled
j. A passage labelled i is a likely error when some other class j has p_j >= t_j and
p_j > p_i; candidates are ranked by the margin p_j - p_i. The list is for people to read:
corrections they accept go to corpora/annotation/audit.jsonl and are applied by
build_corpus.py. Run from the repo root:

    python corpora/scripts/audit_labels.py [--top 150]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from framingclf import LABELS, FramingClassifier
from framingclf.corpus import read_corpus
from framingclf.evaluate import grouped_cross_validation

ROOT = Path(__file__).resolve().parents[1]


def likely_errors(proba: np.ndarray, given: np.ndarray) -> list[tuple[int, int, float]]:
    """(row, suggested class index, margin) for confident-learning label-error candidates."""
    thresholds = np.array([proba[given == j, j].mean() if (given == j).any() else 1.0
                           for j in range(proba.shape[1])])
    out = []
    for row, (p, i) in enumerate(zip(proba, given)):
        above = [j for j in range(len(p)) if j != i and p[j] >= thresholds[j] and p[j] > p[i]]
        if above:
            j = max(above, key=lambda k: p[k])
            out.append((row, j, float(p[j] - p[i])))
    return sorted(out, key=lambda t: -t[2])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=150)
    parser.add_argument("--out", default=str(ROOT / "annotation" / "audit-candidates.jsonl"))
    args = parser.parse_args()
    corpus = read_corpus(ROOT / "framing-corpus.jsonl")
    labels = corpus["label"].to_numpy(dtype=object)
    _, proba = grouped_cross_validation(FramingClassifier(), corpus["text"].tolist(), labels,
                                        corpus["doc_id"].astype(str).to_numpy())
    given = np.array([LABELS.index(x) for x in labels])
    candidates = likely_errors(proba, given)
    print(f"{len(candidates)} candidates of {len(corpus)} passages "
          f"({len(candidates) / len(corpus):.1%}); writing the top {args.top}")
    with open(args.out, "w", encoding="utf-8") as fh:
        for row, j, margin in candidates[: args.top]:
            record = corpus.iloc[row]
            fh.write(json.dumps({
                "id": record["id"], "doc_type": record["doc_type"], "text": record["text"],
                "label": record["label"], "suggested": LABELS[j], "margin": round(margin, 3),
                "p_label": round(float(proba[row, given[row]]), 3),
                "p_suggested": round(float(proba[row, j]), 3),
            }, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
