"""Segmentation: a document's blocks into passages, the unit framingclf labels.

Rules:

- Each paragraph block is a passage. Headings and tables are not passages: headings
  become each passage's heading path, and tables (in board papers mostly figures) stay
  in `Document.text` only.
- A paragraph of fewer than `min_words` words (a lone figure, a "The Board is asked to:")
  is joined to the next paragraph, or, at the end of the document, to the previous one.
  Joined paragraphs are separated by one space in the passage's text.
- A passage of more than `max_words` words is cut at sentence ends (spaCy's
  sentencizer) into windows of at most `max_words` words; a single longer sentence stays
  whole.
- Every character of every paragraph block is in exactly one passage, in order.
  `char_start`/`char_end` locate the passage in `Document.text`: the span from its first
  to its last character (a passage of joined paragraphs spans the blank lines, and any
  heading or table, between them). `page_start`/`page_end` are the pages it covers.
- `passage_id` is the document id (from the content hash) and the passage's position,
  so the same file and settings give the same ids on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy

from framingclf.readers import Block, Document


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
    char_start: int
    char_end: int


@lru_cache(maxsize=1)
def _sentencizer():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped (spaCy's rule-based sentencizer)."""
    return [text[start:end] for start, end in _sentence_spans(text)]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for sentence in _sentencizer()(text).sents:
        stripped = sentence.text.strip()
        if stripped:
            start = sentence.start_char + sentence.text.index(stripped)
            spans.append((start, start + len(stripped)))
    return spans


def _n_words(text: str) -> int:
    return len(text.split())


# A piece is (block, start, end): a stretch of one block's text, offsets within the block.
_Piece = tuple[Block, int, int]


def _windows(group: list[Block], max_words: int) -> list[list[_Piece]]:
    """A group of blocks as one window, or cut at sentence ends into several."""
    whole = [(block, 0, len(block.text)) for block in group]
    if sum(_n_words(block.text) for block in group) <= max_words:
        return [whole]
    sentences = [(block, start, end) for block in group
                 for start, end in _sentence_spans(block.text)]
    windows: list[list[_Piece]] = []
    current: list[_Piece] = []
    size = 0
    for piece in sentences:
        n = _n_words(piece[0].text[piece[1]:piece[2]])
        if current and size + n > max_words:
            windows.append(current)
            current, size = [], 0
        current.append(piece)
        size += n
    if current:
        windows.append(current)
    return [_merge_pieces(window) for window in windows]


def _merge_pieces(window: list[_Piece]) -> list[_Piece]:
    """Consecutive sentences of one block become one stretch of its text."""
    merged: list[_Piece] = []
    for block, start, end in window:
        if merged and merged[-1][0] is block:
            merged[-1] = (block, merged[-1][1], end)
        else:
            merged.append((block, start, end))
    return merged


def segment(document: Document, *, min_words: int = 8, max_words: int = 160) -> list[Passage]:
    """Cut a document into passages by the rules in this module's docstring."""
    groups: list[tuple[list[Block], tuple[str, ...]]] = []  # blocks, heading path
    pending: list[Block] = []
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        pending.append(block)
        if sum(_n_words(b.text) for b in pending) >= min_words:
            groups.append((pending, block.heading_path))
            pending = []
    if pending:  # a short end joins the passage before it, keeping that one's headings
        if groups:
            groups[-1] = (groups[-1][0] + pending, groups[-1][1])
        else:
            groups.append((pending, pending[-1].heading_path))
    passages = []
    for group, heading_path in groups:
        for window in _windows(group, max_words):
            blocks = [block for block, _, _ in window]
            position = len(passages)
            passages.append(Passage(
                passage_id=f"{document.doc_id}-{position:04d}", doc_id=document.doc_id,
                position=position,
                text=" ".join(block.text[start:end] for block, start, end in window),
                page_start=min(block.page for block in blocks),
                page_end=max(block.page_end for block in blocks),
                heading_path=heading_path,
                char_start=window[0][0].char_start + window[0][1],
                char_end=window[-1][0].char_start + window[-1][2],
            ))
    return passages
