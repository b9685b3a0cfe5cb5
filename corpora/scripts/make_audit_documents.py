"""Render the audit corpus' documents as Markdown, one file per document.

Inputs: corpora/audit/raw/*-documents.jsonl and *-passages.jsonl (the authors' documents,
cut into passages under section headings). Output: corpora/audit/documents/<split>/
<doc_id>.md, the document as a reader sees it: its title, then each section heading
once, then its passages as paragraphs (a list passage keeps one item per line, as a
Markdown list). Run from the repo root: python corpora/scripts/make_audit_documents.py
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "audit"


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def render(document: dict, passages: list[dict]) -> str:
    """One document as Markdown."""
    lines = [f"# {document['title']}", "",
             f"{document['organisation']}, {document['year']}", ""]
    heading = None
    for passage in sorted(passages, key=lambda p: p["position"]):
        if passage.get("heading") and passage["heading"] != heading \
                and passage["heading"] != document["title"]:
            heading = passage["heading"]
            lines += [f"## {heading}", ""]
        text = passage["text"].strip()
        parts = text.split("\n")
        if len(parts) > 1:  # a lead-in with its items
            lines += [parts[0], "", *[f"- {item.strip().lstrip('•-').strip()}"
                                      for item in parts[1:] if item.strip()], ""]
        else:
            lines += [text, ""]
    return "\n".join(lines)


def main() -> int:
    passages: dict[str, list[dict]] = defaultdict(list)
    for path in sorted((ROOT / "raw").glob("*-passages.jsonl")):
        for row in read_jsonl(path):
            passages[row["doc_id"]].append(row)
    n = 0
    for path in sorted((ROOT / "raw").glob("*-documents.jsonl")):
        for document in read_jsonl(path):
            out = ROOT / "documents" / document["split"] / f"{document['doc_id']}.md"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(render(document, passages[document["doc_id"]]), "utf-8")
            n += 1
    print(f"wrote {n} documents under {ROOT.relative_to(ROOT.parents[1]) / 'documents'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
