"""PDF page layout: measured lines into the blocks a reader sees, by their geometry.

The rules, in the order `_flow.pdf_blocks` applies them (1-3 and 8 over the whole
document, in `_flow`; 4-7 page by page, here):

1. Text: pdfium's hyphen markers are mended by the document's own words
   (`Vocabulary.mend`), U+001F (pdfium's "fi" ligature in some fonts) becomes "fi", and
   every line is cleaned.
2. Running heads and feet: lines in the outer 8% of the page's longer side (so a
   landscape page among portrait ones keeps the same margins) that repeat, digits aside,
   on at least 40% of the pages (and two), and page numbers there, are dropped; so are
   the cells of such a line that repeat (a spread's two heads read as one line whose
   right half changes), with its folios ("4 5"). A table row cut by a page break, going
   on at the top of the next page (under the table's header row, if it is repeated; a
   cell of the row stops mid-sentence, and a line at the top starts in lowercase), gets
   back the lines above the next row: added to its cells when the row was one line, else
   moved under it. Without a repeated header this needs a table plain on the page and a
   row of three columns or more, so that text set in columns is left alone
   (`_flow._rejoin_split_rows`).
3. Sizes: the body size is the commonest effective size (by characters); each size's line
   pitch is the commonest baseline step between consecutive lines of that size.
4. Pieces of one line (pdfium splits a line at a superscript or a style run) are joined
   when they share a baseline and touch; pieces on one baseline parted by a gap are
   cells. A line starting where a cell (not the first) of the row just above starts, one
   pitch below it, carries on that cell (a value wrapping in its column). A row whose
   first cell starts in lowercase one pitch under an open line of a paragraph, at its
   left edge, is that paragraph's last line beside a label far to its right: the two
   part. A bold run opening a paragraph in regular type (after a gap, a short line or a
   line ending in ":"), of up to 8 words read as a title (no sentence ending inside, a
   stop only without a verb or pronoun, the rest opening with a capital unless the title
   ends in ":" or "."; not a caption's "Figure 1:"), is a line of its own: a run-in
   title, read as a label ("Gender", "Summary:").
5. Lines become boxes in pdfium's order: a new box starts at a change of size or of
   rotation, from bold to regular (or the reverse after a sentence), at a step up the
   page or a gap wider than 1.3 pitches, at a bullet (not a dash carrying on a sentence)
   or a paragraph number after a short or finished line ("3.2 The ..."), at a line
   indented under a short one ending in ":" (items under their lead-in), at a list
   number or letter before a lowercase word ("1. to reduce ...", "(b) the ...", not in
   bold) after a lead-in, an item or a finished sentence, at an outdent (unless the
   lines are set right or centred: never under a bullet or a flush left edge), and after
   a short line ending a sentence (the last line of a paragraph: short by 3 ems and by
   more than the next line's first word, which would have fit), before an indented one
   (text set right or centred has neither; justified text under a flush left edge does)
   or before a step a quarter of the size wider than the box's own (paragraphs spaced a
   little apart; also after a short line not ending a sentence: entries of a list
   without full stops), and after a short first line over a line a little larger or smaller
   (over 3%: a subtitle or date line), and after the last of fields set a line each
   ("Venue: Town Hall" ended short, then text that is no field: an agenda's or cover
   sheet's fields over the text); at a caption's opening ("Figure 3:", "Source:")
   after a finished or short line, and after a caption's finished sentence;
   and after a line that runs on over cells starting on the next line's baseline (a
   merged row naming a section of a table, above the first cell of a row). A drop cap (a
   capital alone, twice the text's size or more) goes back to the front of the paragraph
   starting in lowercase just to its right.
6. Kinds: a box with cells is a table, and so are boxes side by side (one starting
   within the height of the one before it, to its right); a row's name wrapping in a
   table's first column, drawn apart from the row's values, goes back into the row. A
   table of labels and values (a report's cover sheet, as `_blocks.labels_and_values`
   says, its labels at the table's left edge) gives each value that says something as a
   paragraph under its label, read as a heading; so do labels that wrap in their own
   column beside their values, top-aligned or centred on them (`_mark_labels`). In other
   tables the cells that say something (six words or more, mostly lowercase: a
   commitment, an action, an indicator) are read as a list after the table, a cell an
   item (a cell of two sentences or more, or 40 words, as a paragraph of its own), and
   the rest (names, dates, codes) stays in the table; rotated text is a fragment; a
   bullet starts a list, and so do lines that end, twice or more, where the next line's
   first word would have fitted (a slide's points set one to a line,
   `_mark_line_items`), and so do paragraphs numbered 1, 2, 3 ... (or a, b, c ...)
   straight after a lead-in ending in ":", whatever the case of their first words
   (`_numbered_lists`); a figure set large ("4,200", "1 in 3") and the smaller text
   starting in lowercase just below it are one closed paragraph (`_join_figures`); a
   short box (at most 3 lines and 14 words, with letters, not ending like a sentence or
   on a dash; a question of over 10 words only in type 1.5 times the body's or larger)
   set at least 12% larger than the body, or all in bold, or a single numbered line
   ("1.2 The approach"), is a heading, unless it is in body type a form's field ("Decision Number:
   24/00115") or a lead-in ending in ":" of six words or more or with a verb or pronoun
   ("34. The group will have:", "2.1 Cabinet is asked to:"), or in any type a
   conjunction alone ("AND"), a statement opening with a figure ("500+ referrals a
   month") or with "…", a line with a sentence ending inside it, or a short line just
   below a quotation (who said it), so a whole sentence in bold or large type stays
   prose (but a bold line of up to 7 words with a full stop and no common verb or
   pronoun, "Data and outcomes.", is a heading styled with a stop); boxes of short lines
   (3 words or fewer each) that do not end a sentence are fragments (diagram and chart
   labels). Small text at the foot of a page, below the body text and starting with a
   number or a mark, is a footnote. On a page titled "Contents" the boxes after the
   title, and any box of dot leaders, are contents.
7. Order: a heading drawn after the text below it (above everything before it on its
   page, by half its size or more) is put back in front; one drawn after the boxes it
   heads (each box since the first of them below it, none in a column to its left, nor,
   for a heading in a narrow column of its own, wholly to its right: a case study's
   title drawn last, a left sidebar's) goes back in front of them. Then each box, in drawing
   order, goes in front of the first box already placed wholly below it that shares most
   of its width (a pull quote at the foot of a page, drawn first, goes after the columns
   above it; one drawn last in the middle of a column goes between that column's parts;
   the next box in its band to its right goes along with it: a row of statistics drawn
   last); otherwise drawing order stands.
8. Run-ons: a paragraph that does not end a sentence continues in the next paragraph of
   the same size, past a column or page break and anything in between (notes, captions,
   labels, pull quotes, a page holding only a chart), when that one starts in lowercase
   (not an item's letter, "b) The ..."; a list's last item goes on the same way, and a
   finished list between, a sidebar's, is passed over, as are finished paragraphs set
   in the column apart from its text on the same page, a case study's box, and up to a
   page of chart labels; a caption never goes on), or when
   the first ends on a lowercase word or a comma, no heading stands between them and the
   first's last line left no room for the next one's first word (a numbered list goes on
   the same way, "... where it finds an error, i.e." / "a) that ..."), but not into a
   line of one or two words such as a code in the next cell ("SO1"); a paragraph (or a
   bold run-in heading) stopping one line above a box in the same column goes on in it,
   and so do narrow lines starting in lowercase (a flowchart box's bold title and its
   text: one sentence); a list going on at the top of the next page takes its items, and
   a numbered list its next numbers. A short name never runs on into the cell beside it,
   top-aligned with it (an agenda item's name and its discussion in minutes kept in a
   table). A short paragraph set apart in size whose words run in the body text is a
   pull quote, a fragment.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from framingclf.readers._blocks import (
    _CAPTION,
    _CLOSERS,
    INNER_END,
    ITEM_WORDS,
    NUMBERED_ITEM,
    SENTENCE_INSIDE,
    ends_open,
    is_row_label,
    labels_and_values,
    of_figures,
    run_in_title,
    says_as_a_sentence,
    stands_alone,
    states,
)
from framingclf.readers._cleaning import (
    bullet_item,
)

_CONTENTS_TITLE = re.compile(r"(?:table of )?contents?", re.I)
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d+$|…\s*\d+$")
_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_].*[^\W\d_]")
_MARKER_CELL = re.compile(  # a bullet or a list or section number: "1.", "3.2", "(a)", "iv."
    r"\d{1,3}(?:\.\d{1,3}){0,3}[.)]|\d{1,3}(?:\.\d{1,3}){1,3}|\(?[a-zA-Z][.)]|\([a-zA-Z]\)"
    r"|\(?[ivxlc]{1,4}[.)]|[\u2022\u25cf\u25aa\u25a0\u25e6\u25cb\u2023\u2043\u2219\u00b7"
    r"\uf0b7\uf0a7\-\u2013*]")
# a section or paragraph number: "3.2 The board", "1.1.1 KCC", "31.The"
_SECTION = re.compile(r"\d{1,2}(?:\.\d{1,2}){1,3}\.?\s*[A-Z]|\d{1,2}\.\s*[A-Z]")
# a form's field and its value, not a heading: "Decision Number: 24/00115", "Date: 12/03/25"
_FIELD = re.compile(r"[^:]{1,40}:\s*[\d/.\-\s]+$")
# a line opening with a field's label of up to four words (and a note in brackets):
# "Date: Thursday 14 March", "General Post (not legal proceedings): NHS England, ..."
_FIELD_LINE = re.compile(r"[A-Z][\w’'/&-]*(?: [\w’'/&-]+){0,3}(?: \([^()]{1,60}\))? ?:\s+\S")
_FOOTNOTE_START = re.compile(r"^(?:\d{1,3}\s?\S|[*†‡§¹²³])")
_OPEN_QUOTES, _CLOSE_QUOTES = "“\"‘'", "”\"’'"
_CONNECTIVES = frozenset({"AND", "OR", "AND/OR"})
# a statement that opens with a figure (money, a share, "1 in 4", a count before a word),
# not with a year or a section number: a call-out, not a heading
_STATEMENT_OF_FIGURES = re.compile(
    r"[£$€]\d|\d[\d,.]*(?:%|\+|\s+(?:in|out of)\s+\d)|(?!(?:19|20)\d\d\b)\d[\d,]*\s+[a-z]")
_FIGURE_STARTS = frozenset("£$€~<>+0123456789")
_FIGURE_TEXT = re.compile(r"^[£$€~<>+]?\d")  # a figure set large: "4,200", "1 in 3", "£3.5m"
_WORD_ALLOWANCE = 1.15  # a first word is this much wider than the line's mean per character
_ITEM_STARTS = frozenset("(0123456789abcdefghijklmnopqrstuvwxyz")
_LIST_NUMBER = re.compile(r"\(?(\d{1,2}|[a-z])[.)]\s+\S")  # "1. ", "2) ", "(a) "
_BULLET_STARTS = frozenset("\u2022\u25cf\u25aa\u25a0\u25e6\u25cb\u2023\u2043\u2219\u00b7"
                           "\u27a2\u25ba\u25b6\u2713\u2714\u2756\uf0b7\uf0a7\uf076\uf0d8"
                           "\uf0fc\uf06e\uf0a8-*\u2013\u2014o")


@dataclass(slots=True)
class Line:
    """One line of a PDF page: text, start and end, baselines (PDF points, upwards)."""

    text: str
    x0: float
    x1: float
    y: float  # baseline of the first row
    y_last: float  # baseline of the last row (pdfium joins rows it de-hyphenated)
    size: float  # effective font size
    bold: bool = False
    rotated: bool = False
    cells: list[str] | None = None  # set when the line is a table row
    cell_x: list[float] | None = None  # each cell's left edge
    below: dict[int, list[str]] | None = None  # lines a cell (by index) runs on to
    lead: str = ""  # a bold run at the start of a line set in regular type ("Gender")


@dataclass(slots=True)
class Page:
    """A PDF page's measured lines."""

    number: int
    lines: list[Line]
    width: float
    height: float
    has_images: bool = False


class _Box:
    """Lines grouped as one block of a page, with the block's extent kept up to date."""

    __slots__ = ("bottom", "broke", "closed", "extra", "inner_left", "items", "kind", "left",
                 "lines", "page", "page_end", "right", "size", "top")

    def __init__(self, line: Line, page: int) -> None:
        self.lines = [line]
        self.page, self.page_end, self.kind = page, 0, "paragraph"
        self.size = line.size
        self.top, self.bottom, self.left, self.right = line.y, line.y_last, line.x0, line.x1
        self.inner_left = float("inf")  # the left edge of the lines after the first
        self.broke = False  # starts a page or column
        self.closed = False  # whole as it stands (a figure and its caption): never runs on
        self.extra: list[str] = []  # lines of paragraphs run on into it
        self.items: list[list[str]] = []  # a list of table cells: each cell's lines

    def add(self, line: Line) -> None:
        self.lines.append(line)
        if line.y > self.top:
            self.top = line.y
        if line.y_last < self.bottom:
            self.bottom = line.y_last
        if line.x0 < self.inner_left:
            self.inner_left = line.x0
            self.left = min(self.left, line.x0)
        if line.x1 > self.right:
            self.right = line.x1

    def text(self) -> str:
        return " ".join([*(line.text for line in self.lines), *self.extra])


class _Pitch:
    """The usual baseline step for a font size: the commonest step between consecutive
    lines of that size (the smaller on a tie); with fewer than three such steps, at most
    the body's pitch scaled to the size."""

    def __init__(self, pages: list[Page], body: float) -> None:
        found: Counter[tuple[int, int]] = Counter()
        for page in pages:
            for a, b in pairwise(page.lines):
                size = a.size
                step = a.y_last - b.y
                if 0.6 * size < step < 2.5 * size and -0.5 < size - b.size < 0.5:
                    found[(round(size * 2), round(step * 2))] += 1
        self.steps: dict[float, Counter] = {}
        for (size, step), count in found.items():
            self.steps.setdefault(size / 2, Counter())[step / 2] = count
        self.body = body
        counts = self.steps.get(body)
        self.base = self._mode(counts) if counts else 1.2 * body
        self.memo: dict[float, float] = {}

    @staticmethod
    def _mode(counts: Counter) -> float:
        return min(counts, key=lambda value: (-counts[value], value))

    def __call__(self, size: float) -> float:
        found = self.memo.get(size)
        if found is None:
            counts = self.steps.get(round(size * 2) / 2)
            scaled = self.base * size / self.body
            if not counts:
                found = scaled
            elif sum(counts.values()) >= 3:
                found = self._mode(counts)
            else:
                found = min(self._mode(counts), scaled)
            self.memo[size] = found
        return found


# --------------------------------------------------------------------------- one page

def _page_boxes(page: Page, body: float, pitch: _Pitch) -> list[_Box]:
    boxes: list[_Box] = []
    page.lines = _part_run_ins(_part_tails(page.lines, pitch), pitch)
    starts: dict[int, list[float]] = {}  # where lines and cells start, by baseline
    for line in page.lines:
        for x in line.cell_x or [line.x0]:
            starts.setdefault(round(line.y), []).append(x)
    for line in page.lines:
        if boxes and _runs_on_in_cell(boxes[-1], line, pitch):
            continue
        if not boxes or _starts_new(boxes[-1], line, pitch) \
                or _spans_cells(boxes[-1].lines[-1], line, starts):
            boxes.append(_Box(line, page.number))
        else:
            boxes[-1].add(line)
    boxes = _drop_caps(boxes)
    for k, box in enumerate(boxes):
        box.kind = "label" if box.lines[0].lead == box.lines[0].text else _kind(box, body)
        if box.kind == "paragraph" and len(box.lines) >= 3:
            lead_in = boxes[k - 1] if k else None
            _mark_line_items(box, 1 if lead_in is not None and lead_in.kind == "paragraph"
                             and lead_in.lines[-1].text.endswith(":")
                             and box.left > lead_in.left + box.size else 2)
    boxes = _join_figures(boxes)
    _mark_attributions(boxes)
    _mark_side_by_side(boxes)
    _mark_labels(boxes)
    boxes = _split_statements(_merge_boxes(_numbered_lists(_fold_row_names(boxes))))
    _mark_contents(boxes)
    _mark_footnotes(boxes, body, page.height)
    boxes = _top_down(_headings_first(boxes))
    last = None  # a table's extent says nothing of where the text before it ended
    for box in boxes:
        box.broke = last is None or box.top > last.bottom + box.size
        if box.kind != "table":
            last = box
    return boxes


def _drop_caps(boxes: list[_Box]) -> list[_Box]:
    """A drop cap (a capital letter alone, set at least twice the text's size) goes back
    to the front of the paragraph whose first line starts just to its right, level with
    its top, in lowercase ("E" + "very winter, ...")."""
    caps = [box for box in boxes if len(box.lines) == 1 and len(box.lines[0].text) == 1
            and box.lines[0].text.isupper()]
    for cap in caps:
        size = cap.size
        for box in boxes:
            first = box.lines[0]
            if (box is not cap and first.text[:1].islower() and 2 * box.size <= size
                    and cap.top <= first.y <= cap.top + size
                    and cap.right - 0.1 * size <= first.x0 <= cap.right + 0.5 * size):
                first.text = cap.lines[0].text + first.text
                box.left = min(box.left, cap.left)
                boxes = [other for other in boxes if other is not cap]
                break
    return boxes


def _part_tails(lines: list[Line], pitch: _Pitch) -> list[Line]:
    """A paragraph's last line that shares its baseline with text far to its right (a
    label in a diagram beside it: "was referred to the MDT ... Listened &") is parted
    from that text, rather than read as a table row: its first piece starts in lowercase
    under an open line of the paragraph, at the same left edge and one pitch below."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        size = line.size
        if (prev is None or not line.cells or not line.cell_x or prev.cells
                or not line.cells[0][:1].islower() or abs(prev.x0 - line.x0) > 0.5 * size
                or abs(prev.size - size) > 0.1 * size or not prev.text
                or not 0.5 * size <= prev.y_last - line.y <= 1.3 * pitch(size)
                or _ends_sentence(prev.text)):
            out.append(line)
            continue
        first, rest = line.cells[0], line.cells[1:]
        width = (prev.x1 - prev.x0) / len(prev.text) * len(first)
        out.append(Line(first, line.x0, min(line.x0 + width, line.cell_x[1]), line.y,
                        line.y_last, size, line.bold))
        out.append(Line(" ".join(rest), line.cell_x[1], line.x1, line.y, line.y_last, size,
                        line.bold, cells=rest if len(rest) > 1 else None,
                        cell_x=line.cell_x[1:] if len(rest) > 1 else None))
    return out


def _part_run_ins(lines: list[Line], pitch: _Pitch) -> list[Line]:
    """A bold run opening a paragraph set in regular type, short and read as a title
    ("Gender There were ...", "Recommendation: The board ..."), is a line of its own in
    bold before the paragraph: a run-in heading. Only at a paragraph's start (the first
    line of the page, after a gap, a short line, or a line ending in ":"); so is a
    glossary's term set apart from its text like a cell (wider than the hanging indent
    the text's other lines keep), though not a form's label ending in ":"."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        lead, size = line.lead, line.size
        rest = line.text[len(lead):].strip()
        if (lead and rest and line.text.startswith(lead)
                and (not line.cells or (len(line.cells) == 2 and line.cells[0] == lead
                                        and not lead.endswith(":")))
                and run_in_title(lead, rest) and (
                    prev is None or prev.y_last - line.y > 1.3 * pitch(size)
                    or abs(prev.x0 - line.x0) > size or prev.text.endswith(":")
                    or (_ends_sentence(prev.text)
                        and line.x1 - prev.x1 > _first_word_width(line)))):
            width = (line.x1 - line.x0) * len(lead) / len(line.text)
            out.append(Line(lead, line.x0, line.x0 + width, line.y, line.y, size, True,
                            lead=lead))  # read as a label: see `_kind`
            out.append(Line(rest, line.x0, line.x1, line.y, line.y_last, size, False))
        else:
            out.append(line)
    return out


def _runs_on_in_cell(box: _Box, line: Line, pitch: _Pitch) -> bool:
    """Whether `line` carries on a cell (not the first) of the table row just above it, as
    a cover sheet's summary wraps in its column; if so it is added to that cell."""
    row = box.lines[-1]
    size = row.size
    if (row.cell_x is None or line.cells is not None or line.rotated
            or abs(line.size - size) > 0.1 * size
            or not 0.5 * size <= row.y_last - line.y <= 1.3 * pitch(size)):
        return False
    column = next((k for k, x in enumerate(row.cell_x) if k and abs(line.x0 - x) < 0.5 * size),
                  None)
    if column is None:
        return False
    row.below = row.below or {}
    row.below.setdefault(column, []).append(line.text)
    row.y_last = line.y_last
    box.bottom = min(box.bottom, line.y_last)
    box.right = max(box.right, line.x1)
    return True


def row_cells(line: Line) -> list[str]:
    """A table row's cells, each with the lines it runs on to."""
    below = line.below or {}
    return [" ".join([cell, *below.get(k, [])]) for k, cell in enumerate(line.cells or [])]


def _same_line(prev: Line, line: Line) -> bool:
    """Join `line` to `prev` if it is a piece of the same line (same baseline, to its right,
    about the same size): touching pieces as text, pieces parted by a gap as cells."""
    if (prev.rotated or line.rotated or abs(line.y - prev.y) > 0.3 * prev.size
            or abs(line.size - prev.size) > 0.25 * prev.size or line.x0 < prev.x0):
        return False
    touching = line.x0 - prev.x1 < 0.8 * prev.size or _MARKER_CELL.fullmatch(prev.text)
    if prev.cells is None and line.cells is None and touching:
        sep = "" if line.text[0] in ",.;:)]’”" else " "
        prev.text = prev.text + sep + line.text
    else:
        prev.cells = [*(prev.cells or [prev.text]), *(line.cells or [line.text])]
        prev.cell_x = [*(prev.cell_x or [prev.x0]), *(line.cell_x or [line.x0])]
        prev.text = f"{prev.text} {line.text}"
    prev.x1 = max(prev.x1, line.x1)
    return True


def _ends_sentence(text: str) -> bool:
    """Whether `text` ends like a sentence; "i.e." and "e.g." announce more of it."""
    end = text.rstrip(_CLOSERS)
    return end.endswith((".", "!", "?")) and end[-4:].lower() not in ("i.e.", "e.g.")


def _is_bullet(text: str) -> bool:
    """A bullet glyph, or a list number or letter before a lowercase word ("1. to
    reduce ...", "(b) the ..."); a number before a capital starts a numbered paragraph."""
    if text[:1] in _BULLET_STARTS:
        return bullet_item(text) is not None
    return text[:1] in _ITEM_STARTS and NUMBERED_ITEM.match(text) is not None


def _starts_new(box: _Box, line: Line, pitch: _Pitch) -> bool:
    """Whether `line` starts a new box after `box` (rule 5 of the module docstring)."""
    lines = box.lines
    prev = lines[-1]
    size = prev.size
    if (line.rotated or prev.rotated or abs(line.size - size) > 0.1 * size
            or (line.cells is None) != (prev.cells is None)):
        return True
    step = prev.y_last - line.y
    if step < 0.5 * size or step > (2.2 if line.cells else 1.3) * pitch(size):
        return True
    if line.bold != prev.bold and ((prev.bold and len(lines) <= 3) or _ends_sentence(prev.text)
                                   or prev.text.endswith(":")):
        return True
    if line.text[0] in _BULLET_STARTS and _is_bullet(line.text) and not _dash_runs_on(prev, line):
        return True
    if line.text[0] in _ITEM_STARTS and not line.bold and _is_bullet(line.text) and (
            _ends_sentence(prev.text) or prev.text.endswith((":", ";"))
            or _is_bullet(lines[0].text)):
        return True  # a numbered item after a lead-in or an item, not inside a sentence
    right = max(line.x1, box.right)
    if _CAPTION.match(line.text) and (_ends_sentence(prev.text) or prev.x1 < right - 3 * size):
        return True  # "Figure 3: ...", "Source: ..." after a finished or short line
    if _CAPTION.match(lines[0].text) and _ends_sentence(prev.text):
        return True  # a caption ends with its sentence: what follows is the text again
    if line.text[0].isdigit() and _SECTION.match(line.text) and (
            prev.x1 < right - 3 * size or _ends_sentence(prev.text)
            or (len(lines) == 1 and _SECTION.match(prev.text))):
        return True  # a numbered paragraph or section after a short or finished line
    left = box.inner_left if len(lines) > 1 else prev.x0
    aligned = (abs(line.x1 - prev.x1) < 0.5 * size
               or abs(line.x1 + line.x0 - prev.x1 - prev.x0) < size)
    flush = len(lines) > 1 and all(abs(other.x0 - left) < 0.1 * size
                                   for other in (lines[1:] if len(lines) > 2 else lines))
    if line.x0 < left - size and (flush or not aligned or _is_bullet(lines[0].text)):
        return True  # an outdent, unless set right or centred (a flush edge or a bullet is not)
    if prev.text.endswith(":") and line.x0 > left + size and not aligned \
            and right - prev.x1 > _first_word_width(line):
        return True  # items indented under their lead-in (a short line: not wrapped)
    room = right - prev.x1
    short = room > 3 * size and room > _first_word_width(line)
    spaced = len(lines) > 1 and step > lines[-2].y_last - prev.y + 0.25 * size
    if short and _FIELD_LINE.match(prev.text) and not _FIELD_LINE.match(line.text):
        return True  # the last of the fields set a line each ("Venue: ..."), ended short
    if not _ends_sentence(prev.text):
        # a short line alone over a line a little larger or smaller (a subtitle or a date
        # line over the text), or a short one before a step a little wider than the
        # box's own (entries of a list without full stops, spaced apart)
        return short and ((len(lines) == 1 and abs(line.size - size) > 0.03 * size)
                          or spaced)
    if spaced:
        return True  # a step a little wider than the box's own: paragraphs spaced apart
    return short or (len(lines) > 1 and line.x0 > left + 0.8 * size and (flush or not aligned))


def _spans_cells(prev: Line, line: Line, starts: dict[int, list[float]]) -> bool:
    """Whether `prev` runs on over cells that start on `line`'s baseline, to the right of
    `line`: `prev` spans the table (a merged row naming a section of it) and `line`
    starts the first cell of the row below, a new box."""
    size = line.size
    return any(line.x1 + size < x < prev.x1 - size
               for y in (round(line.y) - 1, round(line.y), round(line.y) + 1)
               for x in starts.get(y, ()))


def _mark_line_items(box: _Box, breaks: int = 2) -> None:
    """A paragraph whose lines end where the next line's first word would have fitted,
    `breaks` times or more (two; one when it is indented under a lead-in ending in ":"),
    is items set one to a line without bullets (a slide's points, a lead-in and its items,
    a list whose bullets are drawn as shapes): its lines become list items, a line that
    reaches the right edge going on into the next only when that starts in lowercase or
    it ends open (a joining word, a comma, or a sentence ends there), never after a
    colon. Only lines starting at one left edge, no sentence ending inside a line
    (prose), and items of four words or more on average (not an address or a diagram's
    labels)."""
    lines, size = box.lines, box.size
    if any(abs(line.x0 - box.left) > 0.5 * size or SENTENCE_INSIDE.search(line.text)
           for line in lines):
        return  # not one left edge, or prose: a sentence ends inside a line
    hard = [box.right - a.x1 > 3 * size and box.right - a.x1 > _first_word_width(b)
            for a, b in pairwise(lines)]
    if sum(hard) < breaks:
        return
    items = [[lines[0].text]]
    for broke, prev, line in zip(hard, lines, lines[1:]):
        if broke or prev.text.endswith(":") or not (
                line.text[:1].islower() or ends_open(prev.text) or _ends_sentence(prev.text)):
            items.append([])
        items[-1].append(line.text)
    if sum(len(" ".join(item).split()) for item in items) >= ITEM_WORDS * len(items):
        box.items = items


def _first_word_width(line: Line) -> float:
    """About how wide `line`'s first word and a space are, from its width per character
    (a little more, as capitals and wide letters start words): where it would have fit at
    the end of the line before, that line ended its paragraph; where not, it wrapped."""
    word = line.text.split(None, 1)[0]
    return _WORD_ALLOWANCE * (len(word) + 1) * (line.x1 - line.x0) / len(line.text)


def _dash_runs_on(prev: Line, line: Line) -> bool:
    """A dash opening a line after one that stops mid-sentence carries the sentence on
    ("... in the GP register" / "- potentially pointing to ..."): it is not a bullet."""
    return line.text[0] in "-\u2013\u2014" and not (
        _ends_sentence(prev.text) or prev.text.endswith(":") or _is_bullet(prev.text))


def _kind(box: _Box, body: float) -> str:
    lines = box.lines
    if any(line.cells for line in lines):
        return "table"
    if all(line.rotated for line in lines):
        return "fragment"
    first = lines[0]
    if _is_bullet(first.text) and (first.text[0] in _BULLET_STARTS or not first.bold):
        return "list"  # a bold numbered line is a heading, whatever the case of its words
    text = box.text()
    if lines[-1].text[-1:].isdigit() and _DOT_LEADER.search(lines[-1].text):
        return "contents"
    if _looks_heading(box, text, body):
        return "heading"
    if len(lines) > 1 and all(len(line.text.split()) <= 3 for line in lines) \
            and not _ends_sentence(text):
        return "fragment"
    return "paragraph"


def _looks_heading(box: _Box, text: str, body: float) -> bool:
    if box.size < 1.12 * body and not (box.size >= 0.9 * body
                                       and (all(line.bold for line in box.lines)
                                            or (len(box.lines) == 1 and _SECTION.match(text)))):
        return False
    words = text.split()
    if len(box.lines) > 3 or not words or len(words) > 14 or text[:1].islower():
        return False
    if _LETTERS.search(text) is None or (box.size < 1.12 * body and _FIELD.match(text)):
        return False  # no letters, or a form's field in body type
    if box.size < 1.12 * body and not box.lines[0].bold and text.endswith(":") and (
            len(words) >= 6 or says_as_a_sentence(words)):
        return False  # a numbered paragraph leading into a list ("2.1 Cabinet is asked to:")
    if (len(words) == 1 and text.upper() in _CONNECTIVES) or text.startswith(("…", "...")) \
            or (len(words) >= 4 and _STATEMENT_OF_FIGURES.match(text)):
        return False  # "AND" between criteria; "500+ referrals a month and rising", "… and"
    if INNER_END.search(text):
        return False  # a sentence ends inside it: "Any referrals. (Extracted from SUS)"
    end = text.rstrip(_CLOSERS)
    if end.endswith(".") and not end.endswith("..") and _titled_with_a_stop(box, words):
        return True  # "Data and outcomes." in bold on its own line
    return not (end.endswith((".", ",", ";", "!", "–", "—", " -"))  # a dash: it goes on
                or (end.endswith("?") and len(words) > 10 and box.size < 1.5 * body))


def _titled_with_a_stop(box: _Box, words: list[str]) -> bool:
    """A bold line of a few words with a full stop and nothing a sentence needs (no
    finite verb or pronoun of the common kinds): a heading styled with a stop."""
    return (len(box.lines) == 1 and box.lines[0].bold and len(words) <= 7
            and not says_as_a_sentence(words))


def _mark_attributions(boxes: list[_Box]) -> None:
    """A short line in heading type just below a quotation is who said it ("John,
    Leeds"), not a heading over the text that follows."""
    for a, b in pairwise(boxes):
        if b.kind != "heading":
            continue
        quote = a.text().strip()
        if (quote[:1] in _OPEN_QUOTES and quote[-1:] in _CLOSE_QUOTES
                and len(b.text().split()) <= 12 and 0 < a.bottom - b.top <= 3 * a.size):
            b.kind = "fragment"


def _join_figures(boxes: list[_Box]) -> list[_Box]:
    """A figure set large ("4,200", "1 in 3", "£3.5m": one line of at most four words,
    with a digit) with the smaller text just below it that starts in lowercase ("households
    in cold, damp homes") is one statement, as an infographic's reader takes it: one
    closed paragraph in the caption's size, never run on into its neighbours."""
    out: list[_Box] = []
    taken: set[int] = set()
    for i, box in enumerate(boxes):
        if i in taken:
            continue
        text = box.lines[0].text
        caption = _figure_caption(box, boxes, taken) if len(box.lines) == 1 and not box.extra \
            and text[:1] in _FIGURE_STARTS and _FIGURE_TEXT.match(text) \
            and len(text.split()) <= 4 else None
        if caption is not None:
            taken.add(caption)
            below = boxes[caption]
            for line in below.lines:
                box.add(line)
            box.extra.extend(below.extra)
            box.size, box.kind, box.closed = below.size, "paragraph", True
        out.append(box)
    return out


def _figure_caption(figure: _Box, boxes: list[_Box], taken: set[int]) -> int | None:
    """The index of the box captioning `figure` from just below it, if any."""
    for k, box in enumerate(boxes):
        if (k not in taken and box is not figure and box.kind in ("paragraph", "fragment")
                and figure.size >= 1.25 * box.size and box.lines[0].text[:1].islower()
                and 0 < figure.bottom - box.top <= 2 * figure.size
                and box.left < figure.right and figure.left < box.right):
            return k
    return None


def _mark_side_by_side(boxes: list[_Box]) -> None:
    """Boxes standing side by side in one band of the page are table cells."""
    for a, b in pairwise(boxes):
        if a.kind == "heading" or b.kind == "heading" or len(a.lines) > 4 or len(b.lines) > 4 \
                or a.closed or b.closed:
            continue
        if _beside(a, b) and abs(a.size - b.size) < 0.2 * a.size:
            a.kind = b.kind = "table"


def _mark_labels(boxes: list[_Box]) -> None:
    """Labels and values standing side by side (a cover sheet whose labels wrap in their
    column): a short label with nothing to its left, and to its right, top-aligned or
    centred on it (as a cell set to centre vertically puts it), a box that says something
    with nothing to its right, are a "label" and its value (a paragraph), where a page has
    two such pairs or more, their labels in one column and their values in another."""
    pairs = []
    for i, (a, b) in enumerate(pairwise(boxes)):
        tolerance = 0.5 * a.size
        if (a.kind in ("table", "fragment", "paragraph") and b.kind != "heading"
                and (abs(b.top - a.top) <= tolerance
                     or abs(a.top + a.bottom - b.top - b.bottom) <= 2 * tolerance)
                and b.left >= a.right + tolerance
                and abs(a.size - b.size) < 0.2 * a.size and is_row_label(a.text())
                and states(b.text())
                and not (i > 0 and _beside(boxes[i - 1], a))
                and not (i + 2 < len(boxes) and _beside(b, boxes[i + 2]))):
            pairs.append((a, b))
    if (len(pairs) >= 2 and max(a.left for a, _ in pairs) - min(a.left for a, _ in pairs)
            < pairs[0][0].size
            and max(b.left for _, b in pairs) - min(b.left for _, b in pairs)
            < pairs[0][1].size):
        for a, b in pairs:
            a.kind, b.kind = "label", "paragraph"


def _beside(a: _Box, b: _Box) -> bool:
    """Whether `b` starts in `a`'s band of the page, to its right."""
    tolerance = 0.5 * a.size
    return a.bottom - tolerance <= b.top <= a.top + tolerance and b.left >= a.right - tolerance


def _fold_row_names(boxes: list[_Box]) -> list[_Box]:
    """A row's name wrapping in a table's first column, drawn apart from the row's values
    ("Community mental health team (child and adolescent" / "mental health)", then "102 28
    NA" on its first or last baseline, to its right), goes back into the row as its
    first cell: it is no statement of the table's, to be read as a list."""
    out: list[_Box] = []
    for i, box in enumerate(boxes):
        row = boxes[i + 1].lines[0] if i + 1 < len(boxes) else None
        if (row is not None and (row.cells or of_figures([row.text]))
                and out and out[-1].kind == "table"
                and boxes[i + 1].kind == "table" and box.kind in ("paragraph", "fragment",
                                                                    "table")
                and not any(line.cells for line in box.lines)
                and len(box.lines) <= 3 and not box.extra and row.x0 > box.right
                and min(abs(row.y - box.top), abs(row.y - box.bottom)) <= 0.5 * box.size):
            row.cells = [box.text(), *(row.cells or [row.text])]
            row.cell_x = [box.left, *(row.cell_x or [row.x0])]
            row.below = {k + 1: cell for k, cell in (row.below or {}).items()}
            row.text, row.x0 = " ".join(row.cells), box.left
            boxes[i + 1].left = min(boxes[i + 1].left, box.left)
            continue
        out.append(box)
    return out


def _numbered_lists(boxes: list[_Box]) -> list[_Box]:
    """Paragraphs numbered 1, 2, 3 ... (or a, b, c ...) one after another, straight after
    a lead-in ending in ":", are the items of one list, whatever the case of their first
    words ("1. Emergency admissions for self-harm ..."), not numbered paragraphs or
    headings."""
    out: list[_Box] = []
    i = 0
    while i < len(boxes):
        box = boxes[i]
        out.append(box)
        i += 1
        if box.kind not in ("paragraph", "fragment") or not box.text().endswith(":"):
            continue
        run: list[_Box] = []
        style = ""  # "1" or "a": how the first item is numbered, which the rest follow
        while i + len(run) < len(boxes):
            item = boxes[i + len(run)]
            found = _LIST_NUMBER.match(item.lines[0].text)
            style = style or (found[1][:1] if found else "")
            if (item.kind not in ("paragraph", "heading", "list") or found is None
                    or found[1] != _nth_marker(style, len(run))):
                break
            run.append(item)
        if len(run) >= 2:
            first = run[0]
            first.kind = "list"
            first.items = [[*(line.text for line in item.lines), *item.extra] for item in run]
            first.extra = []
            for item in run[1:]:
                for line in item.lines:
                    first.add(line)
            out.append(first)
            i += len(run)
    return out


def _nth_marker(first: str, n: int) -> str:
    """The marker of a list's item `n` (from 0), numbered like `first` ("1" or "a")."""
    return str(n + 1) if first.isdigit() else chr(ord("a") + n)


def _merge_boxes(boxes: list[_Box]) -> list[_Box]:
    """Consecutive table boxes become one table (and its statements a list after it, see
    `_table`); consecutive list items become one list."""
    out: list[_Box] = []
    i = 0
    while i < len(boxes):
        box = boxes[i]
        if box.kind == "table":
            j = i + 1
            while j < len(boxes) and boxes[j].kind == "table":
                j += 1
            out.extend(_table(boxes[i:j]))
            i = j
            continue
        prev = out[-1] if out else None
        if prev is not None and box.kind == prev.kind == "list" and not prev.items:
            for line in box.lines:
                prev.add(line)
        else:
            out.append(box)
        i += 1
    return out


def _table(cells: list[_Box]) -> list[_Box]:
    """Side-by-side cells as one table; unless it is a table of figures, the cells that
    say something are taken out of it as a list after it."""
    says = [_is_statement(cell) for cell in cells]
    statements = [cell for cell, said in zip(cells, says) if said]
    rest = [cell for cell, said in zip(cells, says) if not said]
    if not statements or of_figures([cell.text() for cell in rest]):
        statements, rest = [], cells
    out = []
    if rest:
        for cell in rest[1:]:
            for line in cell.lines:
                rest[0].add(line)
        out.append(rest[0])
    out.extend(_statement_boxes(statements))
    return out


def _is_statement(box: _Box) -> bool:
    """A table cell that says something (`states`), standing as a box of its own."""
    return not any(line.cells for line in box.lines) and states(box.text())


def _split_statements(boxes: list[_Box]) -> list[_Box]:
    """Tables of labels and values (pieces on one baseline, as a cover sheet): a value
    that says something becomes a paragraph under its label. Other tables: statement
    cells of rows go to the list after their table, the rest of each row staying in it."""
    out: list[_Box] = []
    for box in boxes:
        if box.kind != "table":
            out.append(box)
            continue
        rows = [row_cells(line) if line.cells else [line.text] for line in box.lines]
        if labels_and_values(rows) and all(line.x0 < box.left + line.size
                                           for line in box.lines if line.cells):
            out.extend(_labelled_values(box, rows))
            continue
        out.append(box)
        says = [[states(cell) for cell in cells] for cells in rows]
        if not any(any(said) for line, said in zip(box.lines, says) if line.cells) \
                or of_figures([cell for cells, said in zip(rows, says)
                                for cell, stated in zip(cells, said) if not stated]):
            continue
        found: list[_Box] = []
        for line, cells, said in zip(box.lines, rows, says):
            if line.cells and any(said):
                found += [_cell_box(line, k, box.page) for k, stated in enumerate(said) if stated]
                line.cells = [cell for cell, stated in zip(cells, said) if not stated] or None
                line.text, line.below = " ".join(line.cells or [""]), None
        box.lines = [line for line in box.lines if line.text]
        out.extend(_statement_boxes(found))
    return [box for box in out if box.lines]


def _labelled_values(box: _Box, rows: list[list[str]]) -> list[_Box]:
    """A table of labels and values (`_blocks.labels_and_values`) as boxes: a value that
    says something is a paragraph after its label (a "label" box, read as a heading of
    `LABEL_LEVEL`); the other rows stay in tables between them."""
    out: list[_Box] = []
    table: _Box | None = None
    for line, cells in zip(box.lines, rows):
        if line.cells and len(cells) == 2 and states(cells[1]):
            table = None
            if line.cells[0]:
                label = _Box(Line(line.cells[0], line.x0, line.x0, line.y, line.y, line.size,
                                  line.bold), box.page)
                label.kind = "label"
                out.append(label)
            out.append(_cell_box(line, 1, box.page))
        elif table is None:
            table = _Box(line, box.page)
            table.kind = "table"
            out.append(table)
        else:
            table.add(line)
    return out


def _cell_box(line: Line, k: int, page: int) -> _Box:
    """Cell `k` of a table row as a paragraph box, with the lines it runs on to."""
    x0 = line.cell_x[k] if line.cell_x and k < len(line.cell_x) else line.x0
    cell = _Box(Line(line.cells[k] if line.cells else line.text, x0, line.x1, line.y,
                     line.y_last, line.size, line.bold), page)
    cell.extra = list((line.below or {}).get(k, []))
    return cell


def _statement_boxes(cells: list[_Box]) -> list[_Box]:
    """Statement cells in order: runs of short ones as lists, a cell that stands alone
    (`_blocks.stands_alone`) as a paragraph."""
    out: list[_Box] = []
    run: list[_Box] = []
    for cell in [*cells, None]:
        if cell is not None and not stands_alone(cell.text()):
            run.append(cell)
            continue
        if run:
            out.append(_cell_list(run))
            run = []
        if cell is not None:
            cell.kind = "paragraph"
            out.append(cell)
    return out


def _cell_list(cells: list[_Box]) -> _Box:
    """Statement cells as one list box, a cell an item."""
    box = cells[0]
    box.kind = "list"
    box.items = [[*(line.text for line in box.lines), *box.extra]]
    box.extra = []
    for cell in cells[1:]:
        box.items.append([*(line.text for line in cell.lines), *cell.extra])
        for line in cell.lines:
            box.add(line)
    return box


def _mark_contents(boxes: list[_Box]) -> None:
    """On a page titled "Contents", the boxes after the title, no larger than it and not
    prose, are its entries."""
    title = next((box for box in boxes if len(box.lines) == 1 and len(box.lines[0].text) < 20
                  and _CONTENTS_TITLE.fullmatch(box.lines[0].text.strip(" :"))), None)
    if title is None:
        return
    title.kind = "heading"
    for box in boxes[boxes.index(title) + 1:]:
        text = box.text()
        if box.size <= title.size * 1.05 and not (
                box.kind == "paragraph" and len(text.split()) >= 12 and _ends_sentence(text)):
            box.kind = "contents"


def _mark_footnotes(boxes: list[_Box], body: float, height: float) -> None:
    body_boxes = [box for box in boxes if box.kind in ("paragraph", "list")
                  and box.size >= 0.95 * body]
    floor = min((box.bottom for box in body_boxes), default=height)
    started = False
    for box in sorted(boxes, key=lambda b: -b.top):
        if box.kind not in ("paragraph", "fragment") or box.size > 0.92 * body or box.closed \
                or box.top >= floor or box.top > 0.35 * height:
            continue
        if started or _FOOTNOTE_START.match(box.lines[0].text):
            box.kind, started = "footnote", True


def _headings_first(boxes: list[_Box]) -> list[_Box]:
    """A heading drawn after everything below it on the page goes back in front, and one
    drawn after the boxes it heads (a case study's title drawn after its text: every box
    since the first of them below it, none in a column to its left) goes back in front of
    them."""
    out: list[_Box] = []
    highest = float("-inf")  # the highest top of the boxes so far
    for box in boxes:
        if box.kind == "heading" and out and highest < box.bottom - 0.5 * box.size:
            out.insert(0, box)  # above everything so far (not on the same baseline)
        elif box.kind == "heading" and out and _heads(box, out[-1]):
            start = len(out) - 1
            while start > 0 and _heads(box, out[start - 1]):
                start -= 1
            out.insert(start, box)
        else:
            out.append(box)
        highest = max(highest, box.top)
    return out


def _top_down(boxes: list[_Box]) -> list[_Box]:
    """Boxes in drawing order, except that a box goes in front of the first box already
    placed that lies wholly below it and shares most of the narrower one's width (unless
    one placed after that lies wholly above it): a pull quote or call-out at the foot of
    a page, drawn first, goes after the columns above it, and one drawn last in the
    middle of a column goes between that column's parts. A box moved so, followed in
    drawing order by one in its band to its right (a row of statistics drawn last),
    keeps that one next to it."""
    out: list[_Box] = []
    extents: list[tuple[float, float, float, float, float, float]] = []
    moved: int | None = None  # where the box drawn last was moved to
    for box in boxes:
        mine = (box.left, box.right, box.top, box.bottom, 0.5 * box.size,
                0.5 * (box.right - box.left))
        at = None
        if moved is not None and _band_goes_on(extents[moved], mine):
            at = moved + 1
        elif any(_over(mine, other) for other in extents):
            at = next(k for k, other in enumerate(extents) if _over(mine, other))
        if at is not None and (any(_over(other, mine) for other in extents[at:])
                               or any(_over(mine, other) for other in extents[:at])):
            at = None
        if at is None:
            out.append(box)
            extents.append(mine)
            moved = None
        else:
            out.insert(at, box)
            extents.insert(at, mine)
            moved = at
    return out


def _band_goes_on(a: tuple, b: tuple) -> bool:
    """Whether extent `b` starts within `a`'s band of the page, to its right."""
    return a[3] - a[4] <= b[2] <= a[2] + a[4] and b[0] >= a[1] - a[4]


def _over(a: tuple, b: tuple) -> bool:
    """Whether extent `a` (left, right, top, bottom, half size, half width) lies wholly
    above `b` and shares most of the narrower one's width."""
    if a[3] < b[2] + min(a[4], b[4]):
        return False
    return min(a[1], b[1]) - max(a[0], b[0]) > min(a[5], b[5])


def _heads(heading: _Box, box: _Box) -> bool:
    """Whether `box` lies below `heading`, not in a column to its left, nor in one wholly
    to its right when the heading sits in a narrow column of its own (a sidebar's)."""
    return (box.top < heading.bottom - 0.5 * box.size and box.right > heading.left + heading.size
            and not (box.left > heading.right + heading.size
                     and heading.right - heading.left < 0.4 * (box.right - heading.left)))


