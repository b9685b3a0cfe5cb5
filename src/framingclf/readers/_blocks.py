"""Finishing: every reader's raw blocks into clean `Block`s with kinds and heading paths.

A reader gives `_Raw` blocks: wrapped lines (items of them for a list), a page and a
kind. Finishing, the same for every format:

- lines are cleaned (unless the reader did it) and joined, mending words broken at line
  ends (`Vocabulary`); a list keeps each item on its own line, without its bullet; a
  table keeps each row on its own line, cells parted by " | ";
- a heading that reads as a sentence (over 20 words, or 8 or more ending in . or !) is a
  paragraph: styles and sizes are misused for body text; one of figures mostly (a row
  of statistics set large: "71.3 38% 1 in 3") is a fragment;
- paragraph numbers are dropped ("3.2 The board", "31.The purpose": the text starts at
  "The"), as a reader skips them;
- a paragraph cut by a page break (`after_break`, from text formats) is rejoined when it
  does not end a sentence and the next part starts in lowercase, or the first part ends
  on a lowercase word; one cut at a blank line (`loose`) when the next part starts in
  lowercase or the first ends on a comma or a joining word ("and", "of", "the", ...);
- paragraphs lettered in turn ("a. ...", "(b) ...", "(ii) ...") are one list;
- a list goes on in the list after it when its last item leads into it ("..., including:"
  over sub-items a reader set apart) or that list's first item takes its next number
  ("3. agree ..." after "2. approve ..., in particular:" and its sub-items);
- a form's placeholder prompts ("Click here to enter text.", "Choose an item.") are
  dropped: Word prints them in fields left empty;
- kinds by text: a paragraph opening "Figure 3:", "Table 2.", "Chart 1 Title",
  "Source:", "Sources:", "Note:" or "Key:" (and under 80 words, or 200 after "Figure 3:" or
  "Table 2." with its mark) is a caption; one ending in dot
  leaders and a page number is a contents entry; the blocks under a heading "References",
  "Bibliography", "Endnotes", "Notes", "Sources", "Citations", "Further reading",
  "Useful links" or "Background documents" (a council report's; down to the next heading
  as high) are references, as are numbered
  entries citing a year with a link, a DOI or "et al."; the short blocks under a
  "Contents" heading, up to the first prose paragraph, are contents; small type read as
  footnotes under a references heading is the reference list;
- fragments: a short paragraph naming a download ("Falls report, PDF document.", "...
  (PDF, 2MB)") or telling how to work a page's chart or menu ("Use the drop down menu
  below to ...", "Click on a bar to ...", "If you cannot see the map, ..."); a list of
  downloads; a form's tick boxes ("☒ Age ☐ Disability"); fields set a line each
  ("Date: ...", "Venue: ..."); a website's cookie notice or feedback prompt, printed with
  its page; statistic tiles' captions;
- questions alone, under 15 words, are headings over their answers where a document
  sets two or more of them (a form's prompts, a page of questions), at the level of the
  question headings among them;
- a heading ending in ":" over a list is the list's lead-in, a paragraph, when it reads as
  part of a sentence (a finite verb, a pronoun, "that" or "the": "RESOLVED - That the
  Board:", "We will:");
- each block's heading path is the headings (by level) above it.

Tables of text formats (DOCX, HTML, Markdown) are read by `table_raws`: in a table of
labels and values, a value that says something is a paragraph under its label (read as a
heading of `LABEL_LEVEL`); in other tables such cells go to a list after the table, or to
a paragraph of their own when they `stand_alone`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from framingclf.readers._cleaning import (
    NOTE_MARK,
    Vocabulary,
    bullet_item,
    clean_line,
    join_lines,
)
from framingclf.readers._document import Block, assign_heading_paths
from framingclf.readers._titles import mostly_figures

KINDS = ("heading", "paragraph", "list", "table", "caption", "footnote", "contents",
         "reference", "fragment")
_TERMINAL = (".", "!", "?", ":", ";")
_JOINING = frozenset({"and", "or", "the", "of", "to", "in", "for", "with", "a", "an", "by",
                      "from", "on", "at", "as", "that", "which", "but", "our", "their"})
_CLOSERS = "\"'”’)]"
ITEM_WORDS = 4  # items set one to a line are this long on average, or an address's lines
# a sentence ending inside a line: prose, not a list's item ("April. Families", "a target
# of 250. We"; not a section's number, "5. Implications")
SENTENCE_INSIDE = re.compile(r"(?:[a-z%)]|\d{2})[.!?][”’\"')]?\s+[A-Z]")
_NUMBERED_HEADING = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?\s+\S")
_THREE_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_].*[^\W\d_]")
_PARAGRAPH_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){1,3}\.?|\d{1,2}\.)\s*(?=[A-Z“\"‘(])")
_PROMPT = re.compile(r"(?i)\b(?:click or tap|click|tap)(?: here)? to enter (?:a )?(?:text|date)"
                     r"\.?|\bchoose an item\.?")
_CAPTION = re.compile(
    r"^(?:(?i:figure|fig\.?|table|chart|graph|map|diagram|box|exhibit|image|infographic)"
    r"\s*[A-Z]?\d+(?:[.-]\d+)*[a-z]?\s*(?:[:.|\-–—]|$|\s+(?=[A-Z(‘“\"]))"
    r"|(?i:(?:data\s+)?sources?|notes?|key|legend)\s*:)")
_LABELLED = re.compile(  # "Figure 2: ...", "Table 3. ...": a caption however long
    r"(?i:figure|fig\.?|table|chart|graph|map|diagram|exhibit)\s*[A-Z]?\d+(?:[.-]\d+)*[a-z]?"
    r"\s*[:.|]\s")
_LONG_CAPTION = 200  # words: a caption so labelled runs up to this
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d+$|…\s*\d+$|\t\s*\d+$")
_REFERENCE_HEADINGS = {"references", "reference list", "reference", "bibliography",
                       "endnotes", "end notes", "notes", "footnotes", "sources", "citations",
                       "works cited", "further reading", "useful links", "sources of data",
                       "data sources", "references and notes", "background documents",
                       "background papers", "list of background papers"}
_CONTENTS_HEADINGS = {"contents", "table of contents", "content"}
_NUMBERED_ENTRY = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}[.)]?)\s+\S")
_FIGURE = re.compile(r"[(£$€<>~+–-]?\d[\d,.:/–-]*[%)pkmb]?", re.I)
_ITEM_MARK = re.compile(r"\(?\d{1,2}[.)]")
_YEAR = re.compile(r"(?:19|20)\d\d(?:[/–-]\d{2,4})?")
_SENTENCE_BREAK = re.compile(r"[a-z0-9%)][.!?][\"'”’)\]]*\s+[\"'“‘(]?[A-Z]")
_CITATION = re.compile(r"\b(?:19|20)\d{2}\b.*(?:https?://|www\.|doi|et al)|"
                       r"(?:https?://|www\.|doi|et al).*\b(?:19|20)\d{2}\b", re.I)


SENTENCE_WORDS = frozenset(  # common finite verbs and pronouns: a sentence, not a title
    "is are was were be been being will would can could should must may might shall has "
    "have had do does did need needs i we you he she it they this these there".split())
# a download's name: "..., PDF document.", "... (PDF, 2MB)", "Excel spreadsheet"
_DOWNLOAD = re.compile(r"(?i)(?:\b(?:pdf|excel|word|csv|powerpoint|odt|ods)\s+(?:document|"
                       r"spreadsheet|file|version|format)|\((?:pdf|xlsx?|docx?|csv|pptx?|"
                       r"odt|ods)\b[^()]{0,20}\))[\s.]*$")
# how to work an interactive page: "Use the drop down menu below to ...", "Click on a bar"
_INSTRUCTION = re.compile(
    r"(?i)(?:please\s+)?(?:if\s+you\s+(?:cannot|can't|can\s+not|are\s+unable\s+to)\s+"
    r"(?:see|view)\s+(?:the|this)\s+(?:map|chart|graph|dashboard|video|visuali[sz]ation)\b|"
    r"use\s+the\s+(?:drop[- ]?down|menu|filters?|slider|buttons?|tabs?|"
    r"map|chart)|click\s+(?:on|here|the|a|an|any)\b|hover\s+(?:over|on)\b|"
    r"scroll\s+(?:down|up|to)\b|tap\s+(?:on|the)\b|select\s+(?:a|an|the)\s+\w+(?:\s+\w+)?"
    r"\s+from\s+the\b)")
_CITATION_START = re.compile(r"\[\d{1,3}(?:[,–-]\s?\d{1,3})*\]")  # "[39]; 2) level 2 ..."
_ITEM_LABEL = re.compile(r"([A-Z][a-z]+) \d{1,3}[a-z]?\b")  # "Finding 7", "Point 3"
_ASIDES = frozenset({"please", "note", "nb", "n.b"})  # bold openings of a sentence, not titles
INNER_END = re.compile(r"[a-z]{2}[.!?] +[A-Z(]")  # a sentence ending inside a line


def says_as_a_sentence(words: list[str]) -> bool:
    """Whether any of `words` is a common finite verb or pronoun (`SENTENCE_WORDS`):
    "We will act." is a sentence, "Data and outcomes." a title."""
    return any(word.lower().strip(".,:;") in SENTENCE_WORDS for word in words)


def run_in_title(text: str, rest: str) -> bool:
    """Whether a bold run opening a paragraph in regular type, before `rest`, is a run-in
    title ("Gender There were ...", "Summary: The ..."): up to 8 words with letters, no
    sentence ending inside, a full stop only without a verb or pronoun, not a caption's
    "Figure 1:" nor an aside opening a sentence ("Please note:", "NB:"), and the rest
    opening a sentence (with a capital unless the title ends in ":" or ".": "DO NOT
    include ..." is emphasis)."""
    words = text.split()
    if not 0 < len(words) <= 8 or not rest or sum(ch.isalpha() for ch in text) < 3 \
            or INNER_END.search(text) or _CAPTION.match(text):
        return False
    if words[0].lower().strip(".:") in _ASIDES:
        return False  # "Please note: we are ...": the sentence's own opening
    if text.endswith((":", ".")):
        opens = rest[0].isalnum() or rest[0] in "(\"'‘“"
    else:
        opens = rest[0].isupper() or rest[0].isdigit()
    return opens and not (text.endswith(".") and says_as_a_sentence(words))


def run_in_label(lead: str, lines: list[str], page: int = 1) -> _Raw | None:
    """The bold run `lead` opening `lines` as a label (a heading of `LABEL_LEVEL`) to go
    before its paragraph, taken off the first line, when it reads as a run-in title
    (`run_in_title`: "Summary: The ..."); else None, and `lines` as they were."""
    if not lead or "\n" in lead or not lines or not lines[0].startswith(lead):
        return None
    rest = lines[0][len(lead):].strip()
    if not run_in_title(lead, rest):
        return None
    lines[0] = rest
    return _Raw([[lead]], page, "heading", level=LABEL_LEVEL, page_end=page)


def states(text: str) -> bool:
    """Whether a cell says something: six words or more, mostly in lowercase, not a row
    of figures (a commitment or an action in a slide's table, not a name or a date)."""
    words = text.split()
    lettered = [word for word in words if word[:1].isalpha()]
    lower = sum(1 for word in lettered if word[:1].islower())
    return len(lettered) >= 6 and lower >= 0.5 * len(lettered) and len(lettered) >= 0.6 * len(words)


def stands_alone(text: str) -> bool:
    """Whether a cell that says something says it at a paragraph's length (two sentences
    or more, or 40 words: a minute's discussion, a report's finding): it is read as a
    paragraph of its own, not as an item of the list of its table's statements."""
    return len(text.split()) >= 40 or bool(_SENTENCE_BREAK.search(text))


def of_figures(cells: list[str]) -> bool:
    """Whether a third of the cells (or more) start with a figure, years aside: a table of
    indicators, whose row names stay beside their values."""
    figures = 0
    for cell in cells:
        parts = cell.split(maxsplit=1)
        first = parts[0] if parts else ""
        if len(parts) > 1 and _ITEM_MARK.fullmatch(first) and any(ch.isalpha() for ch in parts[1]):
            continue  # a numbered label ("3. What evidence ...?", "1. Do nothing")
        figures += bool(_FIGURE.fullmatch(first)) and not _YEAR.fullmatch(first)
    return figures >= max(1.0, len(cells) / 3)


@dataclass
class _Raw:
    """A block before finishing: items of wrapped lines (one item unless it is a list)."""

    items: list[list[str]]
    page: int
    kind: str = "paragraph"  # one of KINDS
    level: int = 0
    page_end: int = 0
    after_break: bool = False  # starts a page: may continue the paragraph before
    loose: bool = False  # a block of text split at blank lines: may continue mid-sentence
    size: float = 0.0  # font size of a PDF heading, ranked into `level` by the reader


#: The level of a table's label read as a heading: below every other heading.
LABEL_LEVEL = 9


def labels_and_values(rows: list[list[str]]) -> bool:
    """Whether a table pairs labels (most of its first cells) with values, some of which
    say something: a report's cover sheet, a glossary; a label may also head the value
    in the row below, both set across the table (`label_above`)."""
    pairs = [row for row in rows if len(row) == 2]
    labels = [label for label, _ in pairs if label]
    return (bool(pairs) and all(len(row) <= 2 for row in rows)
            and sum(map(is_row_label, labels)) >= 0.8 * len(labels)
            and (any(states(value) for _, value in pairs)
                 or any(label_above(row, below) for row, below in pairwise(rows))))


def label_above(row: list[str], below: list[str]) -> bool:
    """Whether a row of one cell is a label over the value in the row of one cell below
    it ("Executive summary" set across a cover sheet over its text)."""
    return len(row) == 1 and len(below) == 1 and is_row_label(row[0]) and states(below[0])


def is_row_label(text: str) -> bool:
    """A name for what follows: at most 15 words, not a sentence or a statement; or a
    form's question (at most 25 words ending in "?": "3. What evidence have you used?")."""
    words = text.split()
    if text.rstrip(_CLOSERS).endswith("?"):
        return len(words) <= 25
    return (len(words) <= 15 and not states(text)
            and not text.rstrip(_CLOSERS).endswith((".", "!")))


# a cover sheet's labels whose values name the paper, its people or its meeting, whatever
# their length ("Report title", "Subject", "Author", "Report of", "Meeting date")
_NAMING_LABEL = re.compile(
    r"^(?:report |paper |document )?(?:title|subject|name\b.*|author.*|report of|"
    r"presented by|prepared by|sponsor.*|lead (?:officer|director)|contact.*|from|to|"
    r"meeting.*|date.*|ward.*|cabinet member.*|portfolio.*)$", re.I)


def names_a_thing(label: str) -> bool:
    """Whether a table's label asks for a name, not a statement (`_NAMING_LABEL`): its
    value stays in the table, however long ("Report title | Core20PLUS5: progress in
    the five clinical areas and next steps")."""
    return bool(_NAMING_LABEL.match(label.strip().rstrip(":").strip()))


def broken_lines(lines: list[str], page: int = 1, page_end: int = 0) -> list[_Raw]:
    """A paragraph whose lines were broken by hand (Shift+Enter in Word, `<br>` on a
    page): a list when they are items set one to a line without bullets, else one
    paragraph. Items: two or more after a lead-in ending in ":", or three or more lines
    starting with a capital or a figure; none ending like a sentence or open (a comma, a
    joining word), no sentence ending inside a line, four words or more on average (not
    an address)."""
    lines = [line for line in lines if line.strip()]
    lead = lines[0] if lines and lines[0].rstrip().endswith(":") else None
    items = lines[1:] if lead else lines
    if (len(items) >= (2 if lead else 3)
            and sum(len(item.split()) for item in items) >= ITEM_WORDS * len(items)
            and not any(SENTENCE_INSIDE.search(line) for line in lines)
            and all(_is_item(item, after_lead=lead is not None) for item in items)):
        raws = [_Raw([[lead]], page, "paragraph", page_end=page_end)] if lead else []
        return [*raws, _Raw([[item] for item in items], page, "list", page_end=page_end)]
    return [_Raw([lines], page, "paragraph", page_end=page_end)]


def _is_item(line: str, *, after_lead: bool) -> bool:
    """Whether a hand-broken line reads as an unpunctuated item of a list."""
    line = line.rstrip()
    return bool(line) and (after_lead or not line[:1].islower()) and not (
        line.rstrip(_CLOSERS).endswith((".", "!", "?")) or ends_open(line))


def ends_open(text: str) -> bool:
    """Whether `text` stops on a comma, a dash or a joining word ("and", "of"): its
    sentence goes on in the next line."""
    words = text.split()
    return text.rstrip().endswith((",", "-", "\u2013")) or (
        bool(words) and words[-1].lower() in _JOINING)


def table_raws(rows: list[list[str]], page: int = 1, page_end: int = 0) -> list[_Raw]:
    """A table's rows (their cells' texts) as raw blocks. In a table of labels and values,
    a value that says something is a paragraph headed by its label; in another table the
    cells that say something (an action, a commitment) go to a list after it (or, if
    they `stand_alone`, to paragraphs), unless a third of the other cells are figures.
    The rest stays a table, a row a line."""
    out: list[_Raw] = []
    lines: list[str] = []

    def add_table() -> None:
        if lines:
            out.append(_Raw([lines[:]], page, "table", page_end=page_end))
            lines.clear()

    if labels_and_values(rows):
        label = ""
        for k, row in enumerate(rows):
            if k + 1 < len(rows) and label_above(row, rows[k + 1]):
                label = row[0]
            elif (len(row) == 2 and states(row[1]) and not names_a_thing(row[0])) or (
                    len(row) == 1 and states(row[0])):
                add_table()
                label = row[0] if len(row) == 2 else label
                if label:
                    out.append(_Raw([[label]], page, "heading", level=LABEL_LEVEL,
                                    page_end=page_end))
                out.append(_Raw([[row[-1]]], page, "paragraph", page_end=page_end))
                label = ""
            elif any(row):
                lines.append(" | ".join(row))
        add_table()
        return out
    said = [[states(text) for text in row] for row in rows]
    rest = [text for row, row_said in zip(rows, said)
            for text, stated in zip(row, row_said) if not stated]
    take = any(map(any, said)) and not of_figures(rest)
    statements: list[str] = []
    for row, row_said in zip(rows, said):
        if take:
            statements += [text for text, stated in zip(row, row_said) if stated]
            row = [text for text, stated in zip(row, row_said) if not stated]
        if any(row):
            lines.append(" | ".join(row))
    add_table()
    for text in statements:  # short ones make a list; long ones are paragraphs
        if stands_alone(text):
            out.append(_Raw([[text]], page, "paragraph", page_end=page_end))
        elif out and out[-1].kind == "list":
            out[-1].items.append([text])
        else:
            out.append(_Raw([[text]], page, "list", page_end=page_end))
    return out


def plain_heading_level(line: str) -> int:
    """0 if a line set alone in plain text is not a heading, else its level (its numbering
    depth, or 1): short (10 words, or 12 numbered like a section: "2.1 Waiting lists"),
    with letters, starting with a capital, not a bullet, and not ending in . ? ! , ; or :
    (a note's mark aside)."""
    numbered = _NUMBERED_HEADING.match(line)
    if len(line) > 90 or NOTE_MARK.sub("", line).endswith((".", ",", ";", ":", "!", "?")) \
            or not _THREE_LETTERS.search(line):
        return 0
    if numbered:
        return numbered.group(1).count(".") + 1 if len(line.split()) <= 12 else 0
    if len(line.split()) <= 10 and line[:1].isupper() and bullet_item(line) is None:
        return 1
    return 0


def _finish(raws: Iterable[_Raw], vocabulary: Vocabulary | None = None,
            *, cleaned: bool = False) -> list[Block]:
    """Raw blocks into finished blocks (rules in this module's docstring).

    `cleaned` says the lines have been through `clean_line` already.
    """
    blocks: list[Block] = []
    for raw in raws:
        text = _text(raw, vocabulary, cleaned)
        if not text:
            continue
        page_end = max(raw.page, raw.page_end)
        previous = blocks[-1] if blocks else None
        if (raw.kind == "paragraph" and previous is not None
                and previous.kind in ("paragraph", "list") and (raw.after_break or raw.loose)
                and _continues(previous.text.rsplit("\n", 1)[-1], text, raw.after_break)):
            # a paragraph, or a list's last item ("4. ... which the" / "Council has ...")
            head, _, last = previous.text.rpartition("\n")
            joined = join_lines([last, text], vocabulary)
            previous.text = f"{head}\n{joined}" if head else joined
            previous.page_end = page_end
            continue
        if raw.kind == "list" and previous is not None and previous.kind == "list" \
                and _goes_on(previous.text, text):
            previous.text = f"{previous.text}\n{text}"  # sub-items, or the items after them
            previous.page_end = page_end
            continue
        kind = raw.kind
        if kind == "heading" and _reads_as_sentence(text):
            kind = "paragraph"
        elif kind == "heading" and raw.level != LABEL_LEVEL and mostly_figures(text):
            kind = "fragment"  # a row of statistics set large, heading nothing
        if kind in ("paragraph", "fragment", "heading") and _CAPTION.match(text) \
                and len(text.split()) < (_LONG_CAPTION if _LABELLED.match(text) else 80):
            kind = "caption"
        elif kind == "paragraph" and _dot_leader(text):
            kind = "contents"
        elif kind == "paragraph" and len(text.split()) <= 25 and (
                _DOWNLOAD.search(text) or _INSTRUCTION.match(text)):
            kind = "fragment"  # a file's link, or how to work a page's chart or menu
        elif kind == "list" and all(_DOWNLOAD.search(item) for item in text.split("\n")):
            kind = "fragment"  # a list of files to download
        elif kind in ("paragraph", "list") and all(map(_field, text.split("\n"))) and not (
                previous is not None and previous.text.rstrip(_CLOSERS).endswith(":")):
            kind = "fragment"  # a meeting's or a form's fields ("Date: ...", "Venue: ...")
        elif kind in ("paragraph", "list") and _tiles(text, previous):
            kind = "fragment"  # statistics' captions ("71.3" / "years: male life ...")
        elif kind in ("paragraph", "list", "heading") and len(text.split()) <= 80 \
                and _SITE_NOTICE.search(text):
            kind = "fragment"  # a website's cookie notice or feedback prompt, printed with it
        if kind in ("paragraph", "list") and len(_CHECKBOX.findall(text)) >= 2:
            kind = "fragment"  # a form's tick boxes ("☒ Age ☐ Disability ...")
        blocks.append(Block(text, raw.page, kind, level=raw.level, page_end=page_end))
    return assign_heading_paths(_section_kinds(_lead_ins(_questions(_lettered_lists(blocks)))))


# what a website says about itself: a cookie notice ("We use some essential cookies to
# make this website work"), a feedback prompt ("Was this page helpful?")
_SITE_NOTICE = re.compile(
    r"(?i)\bcookies?\b.{0,120}\b(?:website|this site|our site|your device|browser|"
    r"analytics)\b|\b(?:website|this site|our site)\b.{0,120}\bcookies?\b|"
    r"^(?:was this page (?:helpful|useful)|is this page useful|accept (?:all )?cookies)")
_CHECKBOX = re.compile("[\u2610\u2611\u2612\u25a1\u2717\u2718]")  # not ✓ or ■: bullets too


_FIELD_LABEL = re.compile(r"^([A-Z][\w’'/&()-]*(?: [\w’'/&()-]+){0,4}) ?:\s+(\S.*)$")


def _field(line: str) -> bool:
    """Whether a line is a field and its value: a label of up to five words, then a short
    value that says nothing ("Date: Thursday 14 March", "Venue: Town Hall")."""
    found = _FIELD_LABEL.match(line)
    return found is not None and len(found[2].split()) <= 12 and not states(found[2]) \
        and not _SENTENCE_BREAK.search(found[2])


def _tiles(text: str, previous: Block | None) -> bool:
    """Whether a block holds statistic tiles' captions: opening with three figures ("£24k
    41% 14 5,200 median household income, ..."), or lines mostly starting in lowercase
    after a fragment or table opening with figures (`mostly_figures`: "71.3 38% 1 in 3"
    over "years: male life expectancy ...", "of children in Year 6 ...")."""
    words = text.split(maxsplit=3)
    if len(words) > 3 and all(any(ch.isdigit() for ch in word) for word in words[:3]):
        return True
    lines = text.split("\n")
    if previous is None or previous.kind not in ("fragment", "table", "paragraph") \
            or sum(line[:1].islower() for line in lines) <= 0.5 * len(lines):
        return False
    if previous.kind == "paragraph":  # a row of figures alone, set as a paragraph
        return len(previous.text) <= 80 and mostly_figures(previous.text)
    return mostly_figures(" ".join(previous.text.split("\n", 1)[0].replace("|", " ").split()[:4]))


def _questions(blocks: list[Block]) -> list[Block]:
    """Questions alone (`_question_alone`), when a document sets two or more questions
    over their answers (a form's prompts, a page of questions, some set as headings),
    are headings at the level of the question heading before them, else labels; a
    question alone in a document of none is a call-out's title or a rhetorical
    question, and stays a paragraph."""
    found = {id(block) for block in blocks
             if block.kind == "paragraph" and _question_alone(block.text)}
    asked = sum(block.kind == "heading" and block.text.rstrip(_CLOSERS).endswith("?")
                for block in blocks)
    if not found or len(found) + asked < 2:
        return blocks
    level = LABEL_LEVEL
    for block in blocks:
        if block.kind == "heading" and block.text.rstrip(_CLOSERS).endswith("?"):
            level = block.level or LABEL_LEVEL
        elif id(block) in found:
            block.kind, block.level = "heading", level
    return blocks


def _question_alone(text: str) -> bool:
    """Whether a paragraph is one question of under 15 words (longer, it reads as a
    sentence), which a form or a page of questions sets over its answer ("3. What
    evidence have you used?")."""
    return (text.rstrip(_CLOSERS).endswith("?") and len(text.split()) < 15
            and "\n" not in text and not _SENTENCE_BREAK.search(text)
            and not _LETTERED.match(text)  # "a) What ...?": an item of lettered questions
            and "?" not in text.rstrip(_CLOSERS)[:-1])


_LETTERED = re.compile(r"^\(?([a-zA-Z]|[ivx]{1,4})[.)]\s+\S")
_BARE_LETTER = re.compile(r"^([A-Z])\s+(?=[A-Z][a-z])")  # "B  Enable all children ..."
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


def _lettered_lists(blocks: list[Block]) -> list[Block]:
    """Paragraphs lettered a, b, c ... (or numbered i, ii, iii ...) one after another, as
    text formats write a motion's or minutes' items ("a. £150 for ...", "(b) The ..."),
    are one list, each item a line."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if block.kind == "paragraph" and previous is not None \
                and previous.kind in ("paragraph", "list") \
                and _next_letter(previous.text.rsplit("\n", 1)[-1], block.text):
            previous.kind = "list"
            previous.text = f"{previous.text}\n{block.text}"
            previous.page_end = max(previous.page_end, block.page_end)
            continue
        out.append(block)
    return out


def _next_letter(above: str, text: str) -> bool:
    """Whether `text` is lettered (or numbered in roman) next after `above`."""
    first, second = _LETTERED.match(above), _LETTERED.match(text)
    if first is None or second is None:  # a capital alone, set apart: "A   Give every ..."
        first, second = _BARE_LETTER.match(above), _BARE_LETTER.match(text)
        return first is not None and second is not None and ord(second[1]) == ord(first[1]) + 1
    return _follows(first[1], second[1])


def _follows(a: str, b: str) -> bool:
    """Whether item mark `b` comes next after `a` (letters, or roman numbers)."""
    if a in _ROMAN and b in _ROMAN:
        return _ROMAN.index(b) == _ROMAN.index(a) + 1
    return len(a) == len(b) == 1 and a.islower() == b.islower() and ord(b) == ord(a) + 1


_ITEM_NUMBER = re.compile(r"^\(?(\d{1,2})[.)]\s")
#: An item's number or letter before a lowercase word or a sum, typed or printed: "1.",
#: "2)", "(3)", "a)", "b.", "(b)", "iv)", "ii." ("1. to reduce ...", "(i) £1.4 million")
NUMBERED_ITEM = re.compile(
    r"(?:\d{1,2}[.)]|\(\d{1,2}\)|\(?[a-z]\)|[a-z]\.|\(?(?:i{1,3}|iv|vi{0,3}|ix|x)\)"
    r"|(?:i{1,3}|iv|vi{0,3}|ix|x)\.)\s+[a-z£$€]")


def _goes_on(above: str, text: str) -> bool:
    """Whether list `text` goes on the list `above`: its last item leads into it ("...,
    including:" over sub-items), or its first item takes the next number or letter (the
    items after a sub-list: "3. agree ..." after "2. approve ..., in particular:" and its
    own; "(c) ..." after "(b) ..." over a page break)."""
    if above.rsplit("\n", 1)[-1].rstrip(_CLOSERS).endswith(":"):
        return True
    first = _ITEM_NUMBER.match(text)
    numbers = [int(found[1]) for line in above.split("\n") if (found := _ITEM_NUMBER.match(line))]
    if first is not None and bool(numbers) and int(first[1]) == max(numbers) + 1:
        return True
    lettered = [line for line in above.split("\n") if _LETTERED.match(line)]
    return bool(lettered) and _next_letter(lettered[-1], text)  # "(c) ..." after "(b) ..."


def _lead_ins(blocks: list[Block]) -> list[Block]:
    """A heading ending in ":" over a list that reads as part of a sentence ("RESOLVED -
    That the Board:", "We will:") is the list's lead-in: a paragraph, which segmenting
    keeps with its items; "Key findings:" stays a heading."""
    for block, after in pairwise(blocks):
        if block.kind == "heading" and after.kind == "list" \
                and block.text.rstrip(_CLOSERS).endswith(":"):
            words = [word.lower().strip(".,:;–-") for word in block.text.split()]
            if says_as_a_sentence(words) or {"that", "the"} & set(words):
                block.kind = "paragraph"
    return blocks


def _text(raw: _Raw, vocabulary: Vocabulary | None, cleaned: bool) -> str:
    clean = (lambda line: line) if cleaned else clean_line
    if raw.kind == "table":
        rows = (_unprompted(clean(line)) for item in raw.items for line in item)
        return "\n".join(row for row in rows if row.strip(" |"))
    items = [_unprompted(join_lines([clean(line) for line in item], vocabulary))
             for item in raw.items]
    if raw.kind == "list":
        items = [_unnumbered((bullet_item(item) or "• " + item)[2:]) for item in items if item]
    elif raw.kind == "paragraph":
        items = [_unnumbered(item) for item in items]
    return "\n".join(item for item in items if item)


def _unprompted(text: str) -> str:
    """`text` without a form's placeholder prompts ("Click here to enter text."), which
    Word prints in fields left empty: they are not the document's words."""
    if "nter " not in text and "hoose an item" not in text:
        return text
    return " ".join(_PROMPT.sub(" ", text).split())


def _reads_as_sentence(text: str) -> bool:
    """A "heading" over 20 words, or of 8 or more ending like a sentence, is prose."""
    n_words = len(text.split())
    return n_words > 20 or (n_words >= 8 and text.rstrip(_CLOSERS).endswith((".", "!")))


def _unnumbered(text: str) -> str:
    """`text` without a paragraph number at its start ("3.2 The" -> "The")."""
    if not text[:1].isdigit():
        return text
    match = _PARAGRAPH_NUMBER.match(text)
    return text[match.end():] if match else text


def _dot_leader(text: str) -> bool:
    return text[-1:].isdigit() and _DOT_LEADER.search(text[-200:]) is not None


def _continues(before: str, after: str, page_break: bool) -> bool:
    """Whether `after` goes on with the paragraph `before`: yes when `before` stops
    mid-sentence and `after` starts in lowercase or with a citation ("[39]; ..."), or,
    across a page, `before` ends on a lowercase word; within a page, on a comma or a
    joining word; never into the next of a run of labelled items ("Point 3: ...")."""
    if before.rstrip(_CLOSERS).endswith(_TERMINAL):
        return False
    last = before.split()[-1] if before.split() else ""
    if after[:1].islower() or _CITATION_START.match(after):
        return True
    labels = _ITEM_LABEL.match(before), _ITEM_LABEL.match(after)
    if labels[0] and labels[1] and labels[0].group(1) == labels[1].group(1):
        return False  # "Point 2: ... residents," / "Point 3: ...": the next item
    if page_break:
        return last[:1].islower()
    return before.endswith(",") or last.lower() in _JOINING


def _heading_key(text: str) -> str:
    return " ".join(re.sub(r"^[\d.\s]+|[^\w\s]", " ", text.lower()).split())


def _section_kinds(blocks: list[Block]) -> list[Block]:
    """References under a references heading, contents under a contents heading, and
    numbered citation entries anywhere."""
    section: tuple[str, int] | None = None  # ("reference" or "contents", heading level)
    for block in blocks:
        if block.kind == "heading":
            key = _heading_key(block.text)
            level = max(block.level, 1)
            if key in _REFERENCE_HEADINGS:
                section = ("reference", level)
            elif key in _CONTENTS_HEADINGS:
                section = ("contents", level)
            elif section is not None and level <= section[1]:
                section = None
            continue
        if block.kind not in ("paragraph", "list", "fragment", "caption", "footnote") or (
                block.kind == "footnote" and (section is None or section[0] != "reference")):
            continue  # small type under "References" is the list, not a page's notes
        if section is not None and section[0] == "contents" and _is_prose(block):
            section = None
        if section is not None:
            block.kind = section[0]
        elif block.kind == "paragraph" and _NUMBERED_ENTRY.match(block.text) \
                and len(block.text.split()) <= 80 and _CITATION.search(block.text):
            block.kind = "reference"
    return blocks


def _is_prose(block: Block) -> bool:
    return (block.kind == "paragraph" and len(block.text.split()) >= 12
            and block.text.rstrip(_CLOSERS).endswith((".", "!", "?")))
