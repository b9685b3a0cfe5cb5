"""The document audit on the held-out documents of the audit corpus, and on the samples.

Scores the 45 held-out documents (corpora/audit/documents/heldout/*.md) with the shipped
framing model (`framingclf.score_documents`), audits them with the shipped audit model,
and compares the verdicts with the held-out answers (corpora/audit/answers.jsonl when
it holds them, else the authors' planned answers; the JSON says which). Per check:
precision and recall of the check firing (``yes`` or ``partly`` against ``no``; see
`framingclf.auditing.evaluation`), three-way accuracy and Cohen's κ, with 95% bootstrap
intervals over documents, and the calibration of the confidences.

With ``--families``, each design family of benchmarks/audit_designs.py is also
trained on the train passages and measured here once, for the record (the design was
chosen by cross-validation on the train documents, not by these figures).
With ``--samples``, the eight sample documents (corpora/documents) are audited and
the table written to benchmarks/results/audit_samples.md for the README.

Results: benchmarks/results/audit_eval.json.

    python benchmarks/audit_eval.py [--families] [--samples]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "audit"
RESULTS = ROOT / "benchmarks" / "results"
TARGETS = {"precision": 0.85, "recall": 0.75}


def heldout(scored, answers, model=None) -> tuple[dict, float]:
    from framingclf.auditing import audit
    from framingclf.auditing.evaluation import check_metrics, compare

    started = time.perf_counter()
    table = audit(scored, model)
    seconds = time.perf_counter() - started
    return check_metrics(compare(table, answers)), seconds


def families(scored, answers) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from audit_designs import FAMILIES

    from framingclf.auditing.corpus import read_passages
    from framingclf.auditing.tagger import PassageTagger
    from framingclf.auditing.tags import TAGS

    passages = read_passages(CORPUS, "train")
    out = {}
    for name, params in FAMILIES.items():
        tagger = PassageTagger(**params).fit(passages, passages[list(TAGS)])
        out[name] = {"params": params, "checks": heldout(scored, answers, tagger)[0]}
        print(f"{name}: " + ", ".join(
            f"{c} P {m['precision']} R {m['recall']}" for c, m in out[name]["checks"].items()
            if c != "calibration"), flush=True)
    return out


def markdown(checks: dict) -> str:
    """The README's table: per check, P and R of firing, accuracy and κ, with CIs."""
    def cell(m: dict, key: str) -> str:
        low, high = m[f"{key}_ci"]
        return f"{m[key]:.2f} ({low:.2f}–{high:.2f})"

    rows = ["| check | precision | recall | accuracy (3-way) | κ |", "|---|---|---|---|---|"]
    for check, m in checks.items():
        if check != "calibration":
            rows.append(f"| `{check}` | {cell(m, 'precision')} | {cell(m, 'recall')} | "
                        f"{cell(m, 'accuracy')} | {cell(m, 'kappa')} |")
    return "\n".join(rows)


def samples() -> str:
    """The audit of the eight sample documents, as a Markdown table (verdict and
    confidence per check)."""
    import framingclf
    from framingclf.auditing import CHECKS, audit

    documents = ROOT / "corpora" / "documents"
    result = framingclf.score_documents([documents / "manifest.csv"], progress="none",
                                        audit=False)
    table = audit(result)
    wide = table.pivot(index="document", columns="check", values="verdict")
    conf = table.pivot(index="document", columns="check", values="confidence")
    rows = ["| document | " + " | ".join(f"`{c}`" for c in CHECKS) + " |",
            "|---|" + "---|" * len(CHECKS)]
    for name in sorted(wide.index):
        rows.append(f"| {name} | " + " | ".join(
            f"{wide.at[name, c]} ({conf.at[name, c]:.2f})" for c in CHECKS) + " |")
    (RESULTS / "audit_samples.csv").write_text(table.to_csv(index=False), "utf-8")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", action="store_true")
    parser.add_argument("--samples", action="store_true")
    args = parser.parse_args(argv)

    import framingclf
    from framingclf.auditing.corpus import read_documents

    answers = read_documents(CORPUS, "heldout")
    started = time.perf_counter()
    result = framingclf.score_documents([CORPUS / "documents" / "heldout"], progress="none",
                                        audit=False)
    scoring = time.perf_counter() - started
    checks, seconds = heldout(result, answers)
    out = {
        "documents": len(result.documents), "passages": len(result.passages),
        "answers": sorted(answers["answers_source"].unique()),
        "definition": "a check fires on yes or partly; precision and recall of firing "
                      "against answers of yes or partly; accuracy and kappa over yes, "
                      "partly and no; 95% percentile bootstrap over documents (2000)",
        "targets": TARGETS,
        "seconds": {"scoring": round(scoring, 1), "audit": round(seconds, 1),
                    "audit_per_document": round(seconds / max(1, len(result.documents)), 3)},
        "shipped": checks,
        "met": {c: bool(m["precision"] >= TARGETS["precision"]
                        and m["recall"] >= TARGETS["recall"])
                for c, m in checks.items() if c != "calibration"},
    }
    print(markdown(checks))
    print(f"calibration: {checks['calibration']}")
    if args.families:
        out["families"] = families(result, answers)
    else:  # keep the families measured by an earlier run, saying so
        earlier = RESULTS / "audit_eval.json"
        if earlier.is_file():
            previous = json.loads(earlier.read_text("utf-8"))
            if "families" in previous:
                out["families"] = previous["families"]
                out["families_note"] = previous.get(
                    "families_note", "measured by an earlier run of this script")
    (RESULTS / "audit_eval.json").write_text(json.dumps(out, indent=2) + "\n", "utf-8")
    (RESULTS / "audit_eval.md").write_text(markdown(checks) + "\n", "utf-8")
    if args.samples:
        table = samples()
        (RESULTS / "audit_samples.md").write_text(table + "\n", "utf-8")
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
