"""Inter-annotator agreement between the authors' labels and the independent second pass.

Reads corpora/framing-corpus.jsonl (columns annotator_1, annotator_2) and writes
corpora/annotation/agreement.json: raw agreement, Cohen's kappa and Krippendorff's alpha
(nominal) overall, per label (one label against the rest), per boundary (passages both
annotators put on either side of one pair of labels), per author batch, for corpus v2
(batches J onwards, codebook 2.0) overall and per register, and the confusion.
Run from the repo root: python corpora/scripts/agreement.py
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["healthcare-access", "lifestyle", "social-determinants", "structural-politics", "none"]


def cohen_kappa(a: list[str], b: list[str]) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def krippendorff_alpha_nominal(a: list[str], b: list[str]) -> float:
    """Two coders, every unit coded by both: alpha = 1 - D_o / D_e over pairable values."""
    values = Counter(a) + Counter(b)
    total = sum(values.values())
    disagree_observed = sum(x != y for x, y in zip(a, b)) * 2 / total
    squares = sum(v * v for v in values.values())
    disagree_expected = (total * total - squares) / (total * (total - 1))
    return 1 - disagree_observed / disagree_expected if disagree_expected else 1.0


def scores(a: list[str], b: list[str]) -> dict:
    return {"n": len(a), "agreement": round(sum(x == y for x, y in zip(a, b)) / len(a), 4),
            "cohen_kappa": round(cohen_kappa(a, b), 4),
            "krippendorff_alpha": round(krippendorff_alpha_nominal(a, b), 4)}


def main() -> int:
    rows = [json.loads(line) for line in open(ROOT / "framing-corpus.jsonl", encoding="utf-8")]
    rows = [r for r in rows if r.get("annotator_2")]
    a = [r["annotator_1"] for r in rows]
    b = [r["annotator_2"] for r in rows]
    result = {"overall": scores(a, b), "per_label": {}, "per_boundary": {}, "by_batch": {}}
    for label in LABELS:
        result["per_label"][label] = scores([(x == label and "yes") or "no" for x in a],
                                            [(y == label and "yes") or "no" for y in b])
    for first, second in itertools.combinations(LABELS, 2):
        pair = [(x, y) for x, y in zip(a, b) if {x, y} <= {first, second}]
        if pair:
            result["per_boundary"][f"{first} | {second}"] = scores(*map(list, zip(*pair)))
    second = [r for r in rows if r["id"][0] >= "J"]  # corpus v2: batches J onwards
    if second:
        result["corpus_v2"] = scores([r["annotator_1"] for r in second],
                                     [r["annotator_2"] for r in second])
        result["corpus_v2_by_register"] = {
            register: scores([r["annotator_1"] for r in second if r["register"] == register],
                             [r["annotator_2"] for r in second if r["register"] == register])
            for register in sorted({r["register"] for r in second})}
    for batch in sorted({r["id"][0] for r in rows}):
        sub = [r for r in rows if r["id"][0] == batch]
        result["by_batch"][batch] = scores([r["annotator_1"] for r in sub],
                                           [r["annotator_2"] for r in sub])
    result["confusion"] = {"rows_annotator_1_columns_annotator_2": LABELS,
                           "matrix": [[sum(x == i and y == j for x, y in zip(a, b))
                                       for j in LABELS] for i in LABELS]}
    out = ROOT / "annotation" / "agreement.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["overall"]), "->", out.relative_to(ROOT.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
