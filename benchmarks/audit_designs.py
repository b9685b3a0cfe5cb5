"""Choose the audit's passage-model design by grouped cross-validation over the train
documents of the audit corpus (never by the held-out score).

Each design family is fitted, fold by fold, on the tagged passages of the other train
documents, and audits the rendered train documents of its fold (scored with the
shipped framing model). Reported per family: passage-tag F1 and, per check, precision
and recall of firing, three-way accuracy and κ, with bootstrap intervals; the
calibration of the verdicts' confidences. Results: benchmarks/results/audit_designs.json.

    python benchmarks/audit_designs.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "audit"
OUT = ROOT / "benchmarks" / "results" / "audit_designs.json"

#: The families tried: word n-grams alone, pattern counts alone, both (the shipped one).
FAMILIES: dict[str, dict] = {
    "text": {"text": True, "patterns": False, "C": 10.0, "class_weight": "balanced"},
    "patterns": {"text": False, "patterns": True, "C": 8.0, "class_weight": "balanced"},
    "text+patterns (shipped)": {"text": True, "patterns": True, "C": 8.0,
                                "class_weight": "balanced"},
    "text+patterns, C=1 unweighted": {"text": True, "patterns": True, "C": 1.0},
}


def main() -> int:
    from framingclf.auditing.corpus import read_documents, read_passages
    from framingclf.auditing.evaluation import (
        check_metrics,
        compare,
        cross_validate,
        passage_metrics,
    )
    from framingclf.auditing.tagger import PassageTagger
    from framingclf.auditing.tags import TAGS
    from framingclf.batch import score_documents

    passages = read_passages(CORPUS, "train")
    documents = read_documents(CORPUS, "train")
    targets = passages[list(TAGS)]
    scored = score_documents([CORPUS / "documents" / "train"], progress="none",
                             audit=False).passages
    results = {"answers": sorted(documents["answers_source"].unique()), "families": {}}
    for name, params in FAMILIES.items():
        started = time.perf_counter()
        proba, table = cross_validate(lambda p=params: PassageTagger(**p), passages, targets,
                                      scored)
        checks = check_metrics(compare(table, documents))
        results["families"][name] = {"params": params, "seconds": round(
            time.perf_counter() - started, 1), "tags": passage_metrics(proba, targets),
            "checks": checks}
        summary = ", ".join(f"{c} P {m['precision']} R {m['recall']} acc {m['accuracy']}"
                            for c, m in checks.items() if c != "calibration")
        print(f"{name}: {summary}; ECE {checks['calibration']['ece']}", flush=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
