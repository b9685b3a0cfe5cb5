"""Agreement between the audit corpus' authors and its blind second coders.

Reads the authors' codes (corpora/audit/raw/<batch>-passages.jsonl and -documents.jsonl)
and the second coding (corpora/audit/second-coding/<batch>.jsonl: passage lines with
``doc_id``, ``position`` and ``tags``; document lines with ``doc_id`` and ``answers``; a
document line may also carry its passages in a ``passages`` list), and writes
corpora/audit/agreement.json: per check, Cohen's κ and raw agreement on the documents'
answers (yes, partly, no); per tag, κ and agreement on the passages (tag present or
not), over the documents and passages both coded. What is not there yet (a split not
second-coded, a document without answers) is skipped and counted, never guessed.

Run from the repo root: python corpora/scripts/audit_agreement.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

AUDIT = Path(__file__).resolve().parents[1] / "audit"
#: Author batches: T, U, W and X are train, V held out (those whose files exist are read)
SPLITS = ("T", "U", "W", "X", "V")
CHECKS = ("definition", "context", "measure", "siloed", "pilots", "progress_claims",
          "deficit_labels")
TAGS = ("definition", "definition_partial", "context", "measure", "scale", "condition",
        "cross_cutting", "pilot", "sustained", "progress_claim", "worsening", "improving",
        "deficit")


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}: line {line_no}: not valid JSON ({exc.msg}); fix "
                                 "or remove the line") from None
    return rows


def cohen_kappa(a: list[str], b: list[str]) -> float | None:
    """Cohen's κ of two coders over the same units (None when undefined: no units, or
    both coders always giving one and the same code)."""
    n = len(a)
    if not n:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    if expected >= 1:
        return None
    return round((observed - expected) / (1 - expected), 4)


def scores(a: list[str], b: list[str]) -> dict:
    return {"n": len(a), "agreement": round(sum(x == y for x, y in zip(a, b)) / len(a), 4)
            if a else None, "cohen_kappa": cohen_kappa(a, b)}


def authors(split: str, root: Path) -> tuple[dict, dict]:
    """The authors' answers by doc_id and tags by (doc_id, position)."""
    answers = {row["doc_id"]: row.get("answers", {})
               for row in read_jsonl(root / "raw" / f"{split}-documents.jsonl")}
    tags = {(row["doc_id"], row["position"]): set(row.get("tags", []))
            for row in read_jsonl(root / "raw" / f"{split}-passages.jsonl")}
    return answers, tags


def second(split: str, root: Path) -> tuple[dict, dict] | None:
    """The second coder's answers and passage tags, or None while the file is absent."""
    path = root / "second-coding" / f"{split}.jsonl"
    if not path.is_file():
        return None
    answers, tags = {}, {}
    for row in read_jsonl(path):
        for passage in [row, *row.get("passages", [])]:
            if "position" in passage and "tags" in passage:
                tags[(passage.get("doc_id", row.get("doc_id")), passage["position"])] = \
                    set(passage["tags"])
        if isinstance(row.get("answers"), dict):
            answers[row["doc_id"]] = row["answers"]
    return answers, tags


def compare(first: tuple[dict, dict], other: tuple[dict, dict]) -> dict:
    """Per check on the documents both answered, per tag on the passages both tagged."""
    (answers_a, tags_a), (answers_b, tags_b) = first, other
    out: dict = {"checks": {}, "tags": {}}
    for check in CHECKS:
        docs = sorted(d for d in answers_a if check in answers_a[d]
                      and check in answers_b.get(d, {}))
        out["checks"][check] = scores([answers_a[d][check] for d in docs],
                                      [answers_b[d][check] for d in docs])
    both = sorted(set(tags_a) & set(tags_b))
    for tag in TAGS:
        out["tags"][tag] = scores([str(tag in tags_a[k]) for k in both],
                                  [str(tag in tags_b[k]) for k in both])
    out["documents"] = len(set(answers_a) & set(answers_b))
    out["passages"] = len(both)
    out["not_second_coded"] = {"documents": len(set(answers_a) - set(answers_b)),
                               "passages": len(set(tags_a) - set(tags_b))}
    return out


def agreement(root: Path = AUDIT) -> dict:
    """The agreement of every split that has a second coding (and of all of them)."""
    result: dict = {"splits": {}, "second_coding": {}}
    pooled_a: tuple[dict, dict] = ({}, {})
    pooled_b: tuple[dict, dict] = ({}, {})
    for split in SPLITS:
        if not (root / "raw" / f"{split}-documents.jsonl").is_file():
            continue
        other = second(split, root)
        result["second_coding"][split] = "absent" if other is None else "present"
        if other is None:
            continue
        first = authors(split, root)
        result["splits"][split] = compare(first, other)
        for pooled, part in ((pooled_a, first), (pooled_b, other)):
            pooled[0].update(part[0])
            pooled[1].update(part[1])
    if result["splits"]:
        result["all"] = compare(pooled_a, pooled_b)
    return result


def main() -> int:
    result = agreement()
    out = AUDIT / "agreement.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    present = [s for s, state in result["second_coding"].items() if state == "present"]
    if not present:
        print(f"no second coding yet (looked for {AUDIT / 'second-coding'}/<batch>.jsonl); "
              f"wrote {out}")
        return 0
    summary = result["all"]
    print(f"second coding of {', '.join(present)}: {summary['documents']} documents, "
          f"{summary['passages']} passages; wrote {out}")
    for check, m in summary["checks"].items():
        print(f"  {check:<16} kappa {m['cohen_kappa']}  agreement {m['agreement']}  n {m['n']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
