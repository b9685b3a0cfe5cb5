"""The whole path, file -> passages -> labels, scored against the sample documents' truth.

For each rendered document in corpora/documents/ (PDF, DOCX, HTML), and for the plain-text
source it was rendered from (corpora/document-sources/), this reads, segments and labels
the document with the shipped model, then matches every truth paragraph
(corpora/document-sources/truth/) to the passage that holds most of its word trigrams.
A paragraph is found when that passage holds at least half of them; its predicted label
is that passage's label (a paragraph not found counts as wrong). Reported: macro-F1 and
accuracy over all paragraphs, and per document accuracy, coverage (paragraphs found),
page agreement (the truth page within the passage's pages) and passages matching no
truth paragraph. The source row shows what reading the real formats costs.

    python benchmarks/eval_documents.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

import framingclf
from framingclf.readers import READABLE_SUFFIXES, read_document
from framingclf.segment import segment

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "corpora" / "documents"
SOURCES = ROOT / "corpora" / "document-sources"
OUT = ROOT / "benchmarks" / "results" / "eval_documents.json"
MIN_OVERLAP = 0.5


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    n = 3 if len(words) >= 3 else 1
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def evaluate(path: Path, truth: list[dict], model) -> dict:
    document = read_document(path)
    passages = segment(document)
    labels = (framingclf.score_texts([p.text for p in passages], model)["label"].tolist()
              if passages else [])
    passage_shingles = [shingles(p.text) for p in passages]
    rows, used = [], set()
    for paragraph in truth:
        target = shingles(paragraph["text"])
        overlaps = [len(target & s) / max(1, len(target)) for s in passage_shingles]
        best = max(range(len(overlaps)), key=overlaps.__getitem__) if overlaps else None
        found = best is not None and overlaps[best] >= MIN_OVERLAP
        if found:
            used.add(best)
        passage = passages[best] if found else None
        rows.append({
            "truth": paragraph["label"], "labels": paragraph.get("labels", [paragraph["label"]]),
            "predicted": labels[best] if found else "(not found)", "found": found,
            "page_ok": found and passage.page_start <= paragraph["page"] <= passage.page_end,
        })
    n = len(rows)
    return {
        "file": path.name, "format": document.format, "pages": document.n_pages,
        "passages": len(passages), "paragraphs": n,
        "accuracy": round(sum(r["predicted"] == r["truth"] for r in rows) / n, 3),
        "accuracy_any_label": round(sum(r["predicted"] in r["labels"] for r in rows) / n, 3),
        "coverage": round(sum(r["found"] for r in rows) / n, 3),
        "page_agreement": round(sum(r["page_ok"] for r in rows) / n, 3),
        "passages_without_truth": len(passages) - len(used),
        "_rows": rows,
    }


def summarise(results: list[dict]) -> dict:
    rows = [row for result in results for row in result.pop("_rows")]
    truth = [r["truth"] for r in rows]
    predicted = [r["predicted"] for r in rows]
    return {
        "paragraphs": len(rows),
        "macro_f1": round(f1_score(truth, predicted, labels=list(framingclf.LABELS),
                                   average="macro", zero_division=0), 3),
        "accuracy": round(accuracy_score(truth, predicted), 3),
        "coverage": round(sum(r["found"] for r in rows) / len(rows), 3),
        "page_agreement": round(sum(r["page_ok"] for r in rows) / len(rows), 3),
        "documents": results,
    }


def main() -> None:
    model = framingclf.load_model()
    rendered, sources = [], []
    for path in sorted(DOCUMENTS.iterdir()):
        if path.suffix.lower() not in READABLE_SUFFIXES:
            continue
        truth_file = SOURCES / "truth" / f"{path.stem}.jsonl"
        truth = [json.loads(line) for line in truth_file.read_text("utf-8").splitlines()]
        rendered.append(evaluate(path, truth, model))
        sources.append(evaluate(SOURCES / f"{path.stem}.txt", truth, model))
    report = {"model": "framingclf.load_model() (shipped)", "min_overlap": MIN_OVERLAP,
              "rendered": summarise(rendered), "sources": summarise(sources)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(f"{'document':46} {'fmt':5} {'acc':>5} {'src':>5} {'cover':>5} {'pages':>5} "
          f"{'extra':>5}")
    for doc, src in zip(report["rendered"]["documents"], report["sources"]["documents"]):
        print(f"{doc['file']:46} {doc['format']:5} {doc['accuracy']:5.2f} {src['accuracy']:5.2f} "
              f"{doc['coverage']:5.2f} {doc['page_agreement']:5.2f} "
              f"{doc['passages_without_truth']:5d}")
    for name in ("rendered", "sources"):
        part = report[name]
        print(f"{name}: {part['paragraphs']} paragraphs, macro-F1 {part['macro_f1']:.3f}, "
              f"accuracy {part['accuracy']:.3f}, coverage {part['coverage']:.3f}, "
              f"page agreement {part['page_agreement']:.3f}")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
