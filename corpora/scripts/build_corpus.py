"""Build corpora/framing-corpus.jsonl from the authors' batches and the second pass.

Inputs (all in the repo):
- corpora/raw/*.jsonl: the authors' documents, cut into passages, with their labels
  (annotator 1);
- corpora/annotation/second-pass/*.jsonl: an independent second labelling of the same
  passages by annotators who did not see the first label (annotator 2), if present;
- corpora/annotation/adjudication/*.jsonl: the adjudicated label (and reason) of each
  passage where the two disagreed, if present;
- corpora/annotation/audit.jsonl: corrections from the label audit, if present;
- corpora/annotation/relabel-2.0-*.jsonl: the review of codebook-1.0 passages under
  codebook 2.0 (a changed label with its reason; reviewed passages count as 2.0).

Output: corpora/framing-corpus.jsonl (or the path given), sorted by id, one passage per
line. Run from the repo root: python corpora/scripts/build_corpus.py [OUT]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from framingclf.corpus import register_of

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("id", "text", "label", "labels", "doc_id", "doc_title", "doc_type", "organisation",
        "organisation_type", "region", "year", "position", "shape", "kinds")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> int:
    second = {}
    for path in sorted((ROOT / "annotation" / "second-pass").glob("*.jsonl")):
        for row in read_jsonl(path):
            second[row["id"]] = row
    adjudicated = {}
    for path in sorted((ROOT / "annotation" / "adjudication").glob("*.jsonl")):
        adjudicated.update({row["id"]: row for row in read_jsonl(path)})
    audit = ROOT / "annotation" / "audit.jsonl"
    corrections = {row["id"]: row for row in read_jsonl(audit)} if audit.is_file() else {}
    relabelled = {}  # codebook 2.0 review of 1.0 passages (the override file applies last)
    for path in sorted((ROOT / "annotation").glob("relabel-2.0-*.jsonl"),
                       key=lambda p: p.stem.endswith("override")):
        relabelled.update({row["id"]: row for row in read_jsonl(path)})
    rows = []
    for path in sorted((ROOT / "raw").glob("*.jsonl")):
        for raw in read_jsonl(path):
            row = {key: raw.get(key) for key in KEYS}
            row["text"] = " ".join(row["text"].split("\n")).strip() if "•" not in row["text"] \
                else row["text"].strip()
            row["annotator_1"] = raw["label"]
            row["annotator_2"] = second.get(raw["id"], {}).get("label")
            if raw["id"] in adjudicated:
                decision = adjudicated[raw["id"]]
                row["label"] = decision["label"]
                row["labels"] = decision.get("labels") or [decision["label"]]
                row["adjudicated"] = True
                row["adjudication_reason"] = decision.get("reason")
            else:
                row["adjudicated"] = False
            if raw["id"] in corrections:
                fix = corrections[raw["id"]]
                row["label"], row["labels"] = fix["label"], fix.get("labels") or [fix["label"]]
                row["audit_note"] = fix.get("reason")
            review = relabelled.get(raw["id"])
            if review is not None:  # reviewed under codebook 2.0
                raw = {**raw, "codebook": "2.0"}
                if review.get("changed"):
                    row["label"], row["labels"] = review["label"], review["labels"]
                    row["relabel_reason"] = review.get("reason")
            if row["label"] not in row["labels"]:
                row["labels"] = [row["label"], *[x for x in row["labels"] if x != "none"]]
            row["source"] = f"written for framingclf (author batch {path.stem})"
            row["codebook"] = raw.get("codebook") or "1.0"
            row["register"] = register_of(row["doc_type"])
            rows.append(row)
    rows.sort(key=lambda r: r["id"])
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "framing-corpus.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} passages to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
