"""Segmentation: a document's blocks into passages, each with a kind.

Every block becomes at least one passage, so the passages table can show (and trace)
everything read; only the kinds in `LABELLED_KINDS` (prose and lists) are labelled and
counted. Kinds:

- `prose`: a paragraph; `list`: a list with its lead-in (items on their own lines);
- `heading`, `table`, `caption`, `footnote`, `contents`, `reference`: blocks the reader
  gave those kinds, kept whole;
- `fragment`: a paragraph that is not a sentence (does not end with . ! or ?) and has
  fewer than twice `min_words` words, or reads as a label or a row of figures (most of its
  words capitalised, a third of them numbers, or three parts or more set apart by " | ",
  a masthead's strapline): chart labels, axis ticks, diagram boxes,
  legends, notes, name and address lines, table rows the layout did not show as a table;
  so is a data dictionary line ("carer_rate = carer_count*100/total") that is not a
  sentence, a typeset formula (a quarter of its letters mathematical symbols), a
  paragraph under `min_words` words that starts in lowercase (the tail of a sentence
  whose start is elsewhere: "nationally."), and a list of fewer words, with no lead-in,
  that does not end like a sentence.

Rules:

- A paragraph ending with ":" right before a list is that list's lead-in: one `list`
  passage, the lead-in then each item on its own line.
- A short sentence (fewer than `min_words` words) joins the next paragraph under the same
  heading, or else the previous one; joined paragraphs are parted by one space.
- A prose passage over `max_words` words (by more than a fifth, so a paragraph just over
  stays whole) is cut at sentence ends into the fewest pieces of at most `max_words`
  words, as even as possible; a longer sentence stays whole unless it is over four times
  `max_words`, when it is cut between words (so no text, however long, reaches spaCy
  whole). A list over `max_words` words is cut between items in the same way; a block
  of another kind only when it is over four times `max_words` words, between words.
- `paragraph_id` names the block a passage starts in (document id, "p" and the block's
  index): the pieces of one long paragraph share it. `passage_id` is the document id and
  the passage's position, so the same file and settings give the same ids on every run.
- `char_start`/`char_end` locate each passage in `Document.text` (a passage of joined
  paragraphs spans the blank lines between them); `page_start`/`page_end` are its pages.
  Each passage carries the heading path of the block it starts in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from framingclf.readers import Block, Document
from framingclf.readers._cleaning import NOTE_MARK
from framingclf.tables import LABELLED_KINDS  # noqa: F401  (the kinds that are labelled)

#: Passage kinds, in the order of the module docstring.
KINDS = ("prose", "list", "heading", "table", "caption", "footnote", "contents", "reference",
         "fragment")
#: Passage length limits, in words: shorter sentences join a neighbour, longer passages
#: are cut at sentence ends (see the module docstring).
MIN_WORDS, MAX_WORDS = 6, 150

_CLOSERS = "\"'”’)]"
_OPENERS = "\"'“‘(["
_NUMBER = re.compile(r"[(£$€]?[\d:.,%–-]+[)%]?|NA|N/A|-|–|\*")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9£$€•])")
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "prof", "st", "no",
                            "vs", "cf", "approx", "fig", "al", "inc", "ltd", "co", "nos",
                            "para", "paras", "ref", "vol", "pp", "p", "ch", "sec", "min"})
_DEFINITION = re.compile(r"[\w.]+(?:\s*[-–])?\s*=\s")  # "name = what it counts"
_MATHS = re.compile("[\U0001d400-\U0001d7ff]")  # mathematical letters and digits
_LONGEST_SENTENCE = 4  # times max_words: a longer "sentence" is cut between words
_FINISHED = re.compile(r"[.!?:;][\"'”’)\]]*(?:\s*\[\d+\])?$|\[\d+\]$")
_JOINING = frozenset({"and", "or", "the", "of", "to", "in", "for", "with", "a", "an", "by",
                      "from", "on", "at", "as", "that", "which", "but"})


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
    kind: str = "prose"
    paragraph_id: str = ""


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`: cut after . ! or ? (and closing quotes or brackets) before
    a space and a capital, digit or bullet, except after common abbreviations."""
    return [text[start:end] for start, end in _sentence_spans(text)]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        word = text[max(0, match.start() - 8):match.start()].rsplit(None, 1)[-1:]
        if word and word[0].lower().lstrip("(") in _ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            a += piece.index(stripped)
            out.append((a, a + len(stripped)))
    return out


def stops_mid_sentence(text: str, kind: str = "prose") -> bool:
    """Whether a labelled passage stops mid-sentence: prose not ending with . ! ? : or ;
    (closing quotes, brackets or a citation "[3]" aside), or a list whose last item ends
    on a comma, a dash or a joining word ("and", "of"). Many of these in one document
    mean its text reads badly: slide bullets, form fields, or columns flattened out of
    order before the file reached framingclf."""
    text = text.rstrip()
    if kind == "list":
        words = text.split()
        return text.endswith((",", "-")) or (bool(words) and words[-1].lower() in _JOINING)
    return not _FINISHED.search(text)


def _n_words(text: str) -> int:
    return len(text.split())


def _is_sentence(text: str) -> bool:
    """Whether `text` ends like a sentence, a note's mark after its stop aside."""
    return NOTE_MARK.sub("", text.rstrip()).rstrip(_CLOSERS).endswith((".", "!", "?"))


def _is_formula(text: str) -> bool:
    """Whether a quarter or more of the letters are mathematical symbols (U+1D400 to
    U+1D7FF, the italic letters of typeset equations): a formula, not prose."""
    if _MATHS.search(text) is None:
        return False
    maths = len(_MATHS.findall(text))
    return maths >= 0.25 * sum(1 for ch in text if ch.isalpha())


def _is_label(text: str) -> bool:
    """Whether most words are capitalised, or a third are numbers (a label or a row), or
    it is three parts or more set apart by " | " (a masthead's "Autumn 2025 | Issue 14 |
    News from ...")."""
    if text.count(" | ") >= 2:
        return True
    words = text.split()
    lettered = [w for w in words if any(ch.isalpha() for ch in w)]
    numbers = sum(1 for w in words if _NUMBER.fullmatch(w))
    capitals = sum(1 for w in lettered if w.lstrip(_OPENERS)[:1].isupper())
    return numbers >= len(words) / 3 or capitals >= 0.6 * max(len(lettered), 1)


# A piece is (block index, start, end): a stretch of one block's text.
_Piece = tuple[int, int, int]


class _Segmenter:
    """Builds the passages of one document (rules in the module docstring)."""

    def __init__(self, document: Document, min_words: int, max_words: int) -> None:
        self.document, self.blocks = document, document.blocks
        self.min_words, self.max_words = min_words, max_words
        self.passages: list[Passage] = []
        self.doc_id = document.doc_id
        self.words = [_n_words(block.text) for block in document.blocks]

    def run(self) -> list[Passage]:
        groups = self._groups()
        for kind, pieces in groups:
            if kind == "prose":
                for window in self._windows(pieces):
                    self._add("prose", window)
            elif kind == "list":
                for window in self._list_windows(pieces):
                    self._add("list", window)
            else:
                index, start, end = pieces[0]
                for piece in self._cut_long(index, start, end):
                    self._add(kind, [piece])
        return self.passages

    def _kind(self, index: int, block: Block) -> str:
        if block.kind == "paragraph":
            text = block.text
            if not _is_sentence(text) and (self.words[index] < 2 * self.min_words
                                           or _is_label(text) or _DEFINITION.match(text)):
                return "fragment"
            if self.words[index] < self.min_words and text[:1].islower():
                return "fragment"  # the tail of a sentence whose start is elsewhere
            if _is_formula(text):
                return "fragment"
            return "prose"
        return block.kind if block.kind in KINDS else "prose"

    def _groups(self) -> list[tuple[str, list[_Piece]]]:
        """Blocks as (kind, pieces): lead-ins joined to lists, short sentences to prose."""
        groups: list[tuple[str, list[_Piece]]] = []
        pending: list[_Piece] = []  # short sentences waiting for the next prose
        lead_in = False  # the last group is a lead-in waiting for its list
        for index, block in enumerate(self.blocks):
            kind = self._kind(index, block)
            piece = (index, 0, len(block.text))
            if kind == "list" and lead_in:
                groups[-1][1].append(piece)
                lead_in = False
                continue
            if kind == "list" and self.words[index] < self.min_words \
                    and not _is_sentence(block.text):
                kind = "fragment"  # a few words set as a list: a diagram's labels
            lead_in = block.kind == "paragraph" and self._is_lead_in(index)
            if lead_in:
                kind = "list"
            elif kind == "prose" and self.words[index] < self.min_words:
                if self._joins_next(index):
                    pending.append(piece)
                    continue
                if self._joins_previous(groups, pending, index):
                    groups[-1][1].append(piece)
                    continue
            if kind in ("prose", "list"):
                groups.append((kind, [*pending, piece]))
            else:
                groups.extend([("prose", pending)] if pending else [])
                groups.append((kind, [piece]))
            pending = []
        if pending:
            groups.append(("prose", pending))
        return groups

    def _is_lead_in(self, index: int) -> bool:
        blocks = self.blocks
        return (blocks[index].text.rstrip().endswith(":") and index + 1 < len(blocks)
                and blocks[index + 1].kind == "list")

    def _joins_next(self, index: int) -> bool:
        blocks = self.blocks
        if index + 1 >= len(blocks):
            return False
        after = blocks[index + 1]
        return after.kind == "paragraph" and after.heading_path == blocks[index].heading_path

    def _joins_previous(self, groups: list, pending: list, index: int) -> bool:
        if not groups or pending or groups[-1][0] != "prose":
            return False
        return self.blocks[groups[-1][1][-1][0]].heading_path == self.blocks[index].heading_path

    def _windows(self, pieces: list[_Piece]) -> list[list[_Piece]]:
        """Prose pieces as one window, or cut at sentence ends into even windows."""
        total = sum(self.words[i] if a == 0 and b == len(self.blocks[i].text)
                    else _n_words(self.blocks[i].text[a:b]) for i, a, b in pieces)
        if total <= self.max_words + self.max_words // 5:  # "about" max_words: whole
            return [pieces]
        sentences = []
        for i, a, b in pieces:
            text = self.blocks[i].text
            for start, end in _sentence_spans(text[a:b]):
                sentences.extend(self._cut_long(i, a + start, a + end))
        return [_merge(window) for window in self._even(sentences, total)]

    def _even(self, pieces: list[_Piece], total: int) -> list[list[_Piece]]:
        """`pieces` (sentences or list items) in order, in the fewest windows of at most
        `max_words` words (a piece longer stands alone), as even in size as can be."""
        pieces_left = math.ceil(total / self.max_words)
        target, left = total / pieces_left, total
        windows: list[list[_Piece]] = []
        current: list[_Piece] = []
        size = 0
        for piece in pieces:
            n = _n_words(self.blocks[piece[0]].text[piece[1]:piece[2]])
            if current and (size + n > self.max_words or size + n / 2 > target):
                windows.append(current)
                left -= size
                pieces_left = max(1, pieces_left - 1)
                target = left / pieces_left
                current, size = [], 0
            current.append(piece)
            size += n
        if current:
            windows.append(current)
        return windows

    def _cut_long(self, index: int, start: int, end: int) -> list[_Piece]:
        """A sentence, or pieces of `max_words` words if it is over the longest allowed."""
        text = self.blocks[index].text
        limit = _LONGEST_SENTENCE * self.max_words
        if end - start <= 2 * limit or _n_words(text[start:end]) <= limit:
            return [(index, start, end)]
        spans = [m.span() for m in re.finditer(r"\S+", text[start:end])]
        step = self.max_words
        return [(index, start + spans[k][0], start + spans[min(k + step, len(spans)) - 1][1])
                for k in range(0, len(spans), step)]

    def _list_windows(self, pieces: list[_Piece]) -> list[list[_Piece]]:
        """A lead-in and list as one window, or cut between items into even windows."""
        items: list[_Piece] = []
        for i, a, b in pieces:
            text, offset = self.blocks[i].text, a
            for line in text[a:b].split("\n"):
                if line.strip():
                    items.append((i, offset, offset + len(line)))
                offset += len(line) + 1
        total = sum(_n_words(self.blocks[i].text[a:b]) for i, a, b in items)
        if total <= self.max_words:
            return [_merge(items, "\n")]
        return [_merge(window, "\n") for window in self._even(items, total)]

    def _add(self, kind: str, pieces: list[_Piece]) -> None:
        blocks, doc_id, position = self.blocks, self.doc_id, len(self.passages)
        index, start, end = pieces[0]
        first = last = blocks[index]
        if len(pieces) == 1:
            text = first.text if start == 0 and end == len(first.text) else first.text[start:end]
            pages = (first.page, first.page_end)
        else:
            last, end = blocks[pieces[-1][0]], pieces[-1][2]
            text = ("\n" if kind == "list" else " ").join(
                blocks[i].text[a:b] for i, a, b in pieces)
            pages = (min(blocks[i].page for i, _, _ in pieces),
                     max(blocks[i].page_end for i, _, _ in pieces))
        self.passages.append(Passage(
            f"{doc_id}-{position:04d}", doc_id, position, text, pages[0], pages[1],
            first.heading_path, first.char_start + start, last.char_start + end,
            kind, f"{doc_id}-p{index:04d}"))


def _merge(window: list[_Piece], sep: str = " ") -> list[_Piece]:
    """Consecutive stretches of one block become one stretch of its text."""
    merged: list[_Piece] = []
    for index, start, end in window:
        if merged and merged[-1][0] == index and sep == " ":
            merged[-1] = (index, merged[-1][1], end)
        else:
            merged.append((index, start, end))
    return merged


def segment(document: Document, *, min_words: int = MIN_WORDS,
            max_words: int = MAX_WORDS) -> list[Passage]:
    """Cut a document into passages of every kind, by the rules in this module's docstring."""
    return _Segmenter(document, min_words, max_words).run()
