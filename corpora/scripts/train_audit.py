"""Train the audit's passage model on the audit corpus' train passages and ship it.

Reads the train batches corpora/audit/raw/{T,U,W,X}-passages.jsonl (the only data it
trains on), measures the design by grouped cross-validation over the train documents
(passage tags, and the audit's verdicts on the rendered train documents against their
answers), fits it on all train passages and saves it, with its metrics, config and model card, to
models/framingclf-audit-v1. The held-out documents are not read.

Run from the repo root: python corpora/scripts/train_audit.py [--folds 6]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "audit"

#: The design chosen by cross-validation over the train documents
#: (benchmarks/audit_designs.py): word n-grams and pattern counts, balanced classes.
PARAMS = {"text": True, "patterns": True, "C": 8.0, "class_weight": "balanced"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "framingclf-audit-v1")
    parser.add_argument("--folds", type=int, default=6)
    args = parser.parse_args(argv)

    from framingclf._files import sha256_file
    from framingclf.auditing.corpus import batch_files, read_documents, read_passages
    from framingclf.auditing.evaluation import (
        check_metrics,
        compare,
        cross_validate,
        passage_metrics,
    )
    from framingclf.auditing.model import save_tagger
    from framingclf.auditing.tagger import PassageTagger
    from framingclf.auditing.tags import TAGS
    from framingclf.batch import score_documents

    started = time.perf_counter()
    passages = read_passages(CORPUS, "train")
    documents = read_documents(CORPUS, "train")
    targets = passages[list(TAGS)]
    scored = score_documents([CORPUS / "documents" / "train"], progress="none",
                             audit=False).passages
    proba, table = cross_validate(lambda: PassageTagger(**PARAMS), passages, targets, scored,
                                  folds=args.folds)
    metrics = {
        "grouped_cv": {"folds": args.folds, "documents": int(documents["doc_id"].nunique()),
                       "passages": len(passages),
                       "tags": passage_metrics(proba, targets),
                       "checks": check_metrics(compare(table, documents)),
                       "answers": sorted(documents["answers_source"].unique())},
    }
    tagger = PassageTagger(**PARAMS).fit(passages, targets)
    files = batch_files(CORPUS, "train", "passages")
    corpus = {path.name: sha256_file(path) for path in files}
    save_tagger(tagger, args.out, corpus_sha256=corpus, metrics=metrics,
                config={"params": PARAMS,
                        "trained_on": [f"corpora/audit/raw/{path.name}" for path in files],
                        "tags": list(TAGS)},
                card=model_card(metrics))
    print(f"trained on {len(passages)} passages of {documents['doc_id'].nunique()} documents "
          f"in {time.perf_counter() - started:.0f}s; saved to {args.out}")
    print(json.dumps({c: {k: m[k] for k in ("precision", "recall", "accuracy", "kappa")}
                      for c, m in metrics["grouped_cv"]["checks"].items()
                      if c != "calibration"}, indent=1))
    return 0


def model_card(metrics: dict) -> str:
    """The model card: what the model is for, what it was trained on, how well it does."""
    cv = metrics["grouped_cv"]
    tag_rows = "\n".join(f"| `{tag}` | {m['support']} | {m['precision']} | {m['recall']} | "
                         f"{m['f1']} |" for tag, m in cv["tags"].items())
    check_rows = "\n".join(
        f"| `{check}` | {m['precision']} | {m['recall']} | {m['accuracy']} | {m['kappa']} |"
        for check, m in cv["checks"].items() if check != "calibration")
    return f"""# framingclf-audit-v1: the document audit's passage model

**What it does.** Gives each passage of a document a probability for each tag of the
audit codebook (corpora/audit/CODEBOOK.md): definition, definition_partial, context,
measure, scale, condition, cross_cutting, pilot, sustained, progress_claim, worsening,
improving, deficit. `framingclf.auditing.audit` turns the tags, with the transparent
patterns of `framingclf/data/audit/`, into seven verdicts per document.

**Model.** For each tag a logistic regression (balanced classes, C=8) over the TF-IDF
of word 1-2-grams of framingclf's normalised tokens and the log-counts of the audit's
pattern lists. Saved with skops; loading checks the SHA-256 in manifest.json and
trusts only scikit-learn, NumPy, SciPy and four framingclf types.

**Trained on.** The {cv['passages']} tagged passages of the {cv['documents']} `train`
documents of the audit corpus (corpora/audit/raw/, batches T, U, W and X): fictional board
papers, strategies and reports written for the purpose. Never on the held-out documents.

**Grouped cross-validation ({cv['folds']} folds over train documents).** Passage tags:

| tag | passages | precision | recall | F1 |
|---|---|---|---|---|
{tag_rows}

Document verdicts (a check fires on `yes` or `partly`; answers: {', '.join(cv['answers'])}):

| check | precision | recall | accuracy | κ |
|---|---|---|---|---|
{check_rows}

Held-out figures are in benchmarks/results/audit_eval.json and the README.

**Limits.** Written documents in the register of English, Scottish, Welsh and Northern
Irish health and local-government papers; a small corpus (hundreds of passages), so
unusual phrasing of a definition, a claim or a trend can be missed: read the evidence.
"""


if __name__ == "__main__":
    sys.exit(main())
