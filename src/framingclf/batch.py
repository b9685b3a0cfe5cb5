"""Scoring documents: files and folders to passage, document and error tables.

A file that cannot be read becomes one row of the errors table; the rest are scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from framingclf.errors import FramingError, InvalidInputError
from framingclf.labels import FRAMINGS, NONE
from framingclf.readers import READABLE_SUFFIXES, read_document
from framingclf.scoring import PROBA_COLUMNS, default_model, score_texts
from framingclf.segment import segment


@dataclass
class ScoreResult:
    """The three tables of a scoring run."""

    passages: pd.DataFrame
    documents: pd.DataFrame
    errors: pd.DataFrame

    def save(self, out_dir: str | Path, fmt: str = "csv") -> list[Path]:
        """Write passages, documents and errors tables to `out_dir` as csv or jsonl."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in ("passages", "documents", "errors"):
            frame = getattr(self, name)
            target = out / f"{name}.{fmt}"
            tmp = target.with_suffix(target.suffix + ".tmp")
            if fmt == "csv":
                frame.to_csv(tmp, index=False)
            elif fmt == "jsonl":
                frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
            else:
                raise InvalidInputError(f"format {fmt!r}; expected 'csv' or 'jsonl'")
            tmp.replace(target)  # never leave a half-written table behind
            written.append(target)
        return written


def iter_input_files(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """The files to score: each file given, and the readable files inside each folder."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in READABLE_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not files:
                raise InvalidInputError(
                    f"{path}: folder holds no readable documents "
                    f"({', '.join(sorted(READABLE_SUFFIXES))})"
                )
            yield from files
        elif path.exists():
            yield path
        else:
            raise InvalidInputError(f"{path}: no such file or folder")


def document_summary(passages: pd.DataFrame) -> dict:
    """Counts, framing shares among framing passages, share of none, upstream index."""
    labels = passages["label"]
    framing = labels[labels != NONE]
    row = {"n_passages": len(passages), "n_framing": len(framing),
           "share_none": float((labels == NONE).mean()) if len(labels) else np.nan}
    for label in FRAMINGS:
        row[f"share_{label}"] = float((framing == label).mean()) if len(framing) else np.nan
    positions = passages["position"].dropna()
    row["upstream_index"] = float(positions.mean()) if len(positions) else np.nan
    return row


def score_documents(inputs: Iterable[str | Path] | str | Path, model=None,
                    *, min_words: int = 8, max_words: int = 160) -> ScoreResult:
    """Read, segment and score every document; unreadable files go to `errors`."""
    files = list(iter_input_files(inputs))
    model = default_model() if model is None else model
    passage_frames, documents, errors = [], [], []
    for path in files:
        try:
            document = read_document(path)
        except FramingError as exc:
            errors.append({"path": str(path), "stage": "read",
                           "error": type(exc).__name__, "message": str(exc)})
            continue
        passages = segment(document, min_words=min_words, max_words=max_words)
        scored = score_texts([p.text for p in passages], model)
        scored.insert(0, "doc_id", document.doc_id)
        scored.insert(1, "path", document.path)
        scored.insert(2, "passage_id", [p.passage_id for p in passages])
        scored.insert(3, "page_start", [p.page_start for p in passages])
        scored.insert(4, "page_end", [p.page_end for p in passages])
        scored.insert(5, "char_start", [p.char_start for p in passages])
        scored.insert(6, "char_end", [p.char_end for p in passages])
        scored.insert(7, "heading", [" > ".join(p.heading_path) for p in passages])
        passage_frames.append(scored)
        documents.append({"doc_id": document.doc_id, "path": document.path,
                          "title": document.title, "n_pages": document.n_pages,
                          "format": document.format,
                          "date": document.metadata.get("date", ""),
                          "organisation": document.metadata.get("organisation", ""),
                          **document_summary(scored)})
    columns = ["doc_id", "path", "passage_id", "page_start", "page_end", "char_start",
               "char_end", "heading", "text",
               "label", "confidence", *PROBA_COLUMNS, "position", "review", "flag"]
    passages_table = (pd.concat(passage_frames, ignore_index=True) if passage_frames
                      else pd.DataFrame(columns=columns))
    return ScoreResult(
        passages=passages_table,
        documents=pd.DataFrame(documents),
        errors=pd.DataFrame(errors, columns=["path", "stage", "error", "message"]),
    )

