"""Segmentation: a document's blocks into passages, the unit framingclf labels.

Rules: each paragraph is a passage. Headings and tables are not passages (headings
are kept as each passage's heading path; tables in these documents are mostly
figures). A paragraph of fewer than `min_words` words is joined to the next paragraph
(or, at the end, the previous one). A paragraph of more than `max_words` words is cut
at sentence ends into windows of at most `max_words` words (a single longer sentence
stays whole).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy

from framingclf.documents import Block, Document


@dataclass
class Passage:
    """A passage with everything needed to find it again in its source."""

    passage_id: str
    doc_id: str
    position: int
    text: str
    page_start: int
    page_end: int
    heading_path: tuple[str, ...]


@lru_cache(maxsize=1)
def _sentencizer():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[str]:
    return [s.text.strip() for s in _sentencizer()(text).sents if s.text.strip()]


def _windows(text: str, max_words: int) -> list[str]:
    if len(text.split()) <= max_words:
        return [text]
    windows, current, size = [], [], 0
    for sentence in split_sentences(text):
        n = len(sentence.split())
        if current and size + n > max_words:
            windows.append(" ".join(current))
            current, size = [], 0
        current.append(sentence)
        size += n
    if current:
        windows.append(" ".join(current))
    return windows


def segment(document: Document, *, min_words: int = 8, max_words: int = 160) -> list[Passage]:
    """Cut a document into passages by the rules in this module's docstring."""
    merged: list[tuple[str, int, int, tuple[str, ...]]] = []
    pending: list[Block] = []
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        pending.append(block)
        if sum(len(b.text.split()) for b in pending) >= min_words:
            merged.append((" ".join(b.text for b in pending), pending[0].page,
                           pending[-1].page, pending[-1].heading_path))
            pending = []
    if pending:
        text = " ".join(b.text for b in pending)
        if merged:
            last = merged.pop()
            merged.append((last[0] + " " + text, last[1], pending[-1].page, last[3]))
        else:
            merged.append((text, pending[0].page, pending[-1].page, pending[-1].heading_path))
    passages = []
    for text, first, last, heading_path in merged:
        for window in _windows(text, max_words):
            position = len(passages)
            passages.append(Passage(
                passage_id=f"{document.doc_id}-{position:04d}", doc_id=document.doc_id,
                position=position, text=window, page_start=first, page_end=last,
                heading_path=heading_path,
            ))
    return passages
