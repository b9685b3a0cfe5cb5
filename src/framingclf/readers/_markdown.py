"""Markdown rendered to blocks with markdown-it-py (CommonMark with GitHub tables).

- `#` headings are headings; so is a line opening with a bold title and going on with a
  dash and who presents it (`**7. Street furniture** — Frank Reid`, as minutes set an
  item); a paragraph that is only bold (`**Key findings**`) is a
  heading when it is short (at most 12 words, with letters) and not a sentence, else
  prose (a pull quote or a bold key message); a bold run opening a paragraph that reads
  as a title (`_blocks.run_in_title`: `**Summary:** The ...`) is a label over it;
- lists are lists, one item per line (nested items follow their parent), but a list of
  links alone is a contents list (links to the page's anchors) or a fragment; tables are
  tables (rows on lines, cells parted by " | "; cells that say something are read as
  `_blocks.table_raws` says; `<br>` in a cell is a space, and a cell merged across
  columns, which converters write in each, is read once);
- what PDF converters leave: items numbered in bold (`**1.** The ...`) or marked with a
  bullet glyph (`• The ...`, `⇪ How ...`; not in text converted line by line, where the
  item goes on in the blocks after it) are list items, and so is a bullet alone on a
  line with the text after it; a bold first line over more lines is a heading when it
  reads as one, and so is a short plain one reading as a title ("Data analysis") over a
  line twice as long starting with a capital; one-line paragraphs of two words or more
  written 3 times or more, not ending like a sentence or a lead-in, are running headers
  or footers, dropped so the sentences they cut join; struck-through text (`~~...~~`, a
  tracked deletion) is left out; a number alone on a line ("1884.", an empty numbered
  item to CommonMark) is kept; a paragraph all in italics opening with a number
  (`_1_ _Source ..._`) is a footnote, and footnotes or a cell's mark of one or two
  letters (`**N**`) between the halves of a sentence go after it;
- marks are dropped: emphasis (also bold written "**text **", with a space before the
  closing mark, as PDF converters write it), code spans, link syntax (the link text
  stays), images, inline HTML and backslash escapes;
- paragraphs that are only a page number (PDF conversions leave them) are dropped, and a
  paragraph that stops mid-sentence continues in the next one when that starts in
  lowercase or the first ends on a comma or a joining word; in text converted line by
  line (most paragraphs a single line stopping mid-sentence), also when the first ends on
  a lowercase word;
- lines a paragraph breaks by hand (two spaces or a backslash ending a line) are items
  of a list when they read as items set one to a line (`_blocks.broken_lines`), as in
  Word and HTML;
- code blocks are fragments, and so, in Markdown that fences its code, are blocks
  indented four spaces outside lists (a code cell's output, as Quarto writes it: reading
  strips indentation); block quotes and HTML blocks are read as paragraphs;
- in Markdown with no headings of its own (plain text saved as .md), a one-line
  paragraph that would be a heading in plain text is one.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise

from framingclf.readers._blocks import (
    _DOWNLOAD,
    _Raw,
    broken_lines,
    ends_open,
    plain_heading_level,
    run_in_label,
    says_as_a_sentence,
    table_raws,
)
from framingclf.readers._cleaning import RAISED_NOTE, collapse_whitespace, is_page_number

_TERMINAL = (".", "!", "?", ",", ";")
# "**Key message **": a space before the closing mark, which CommonMark does not close
_LOOSE_STRONG = re.compile(r"(\*\*|__|\*)(\S[^*_\n]*?)\s+\1(?=\s|$|[.,;:])")
_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_].*[^\W\d_]")
_SENTENCE_INSIDE_TITLE = re.compile(r"[.!?]\s")
_PRESENTER = re.compile(r"[-–—]\s*[A-Z][^.!?]*$")  # "— Frank Reid (for Peter Agate)"


_HARD_BREAK = "\x0b"  # a hard line break ("  " or "\\" at a line's end) in inline text
# "**1.** The council ...", "**3. **For health ...": an item number in bold, as PDF
# converters write a numbered list; "⇪ How ...", "• The ...", "✓ ...": a bullet glyph
# opening a line. Both are rewritten as Markdown list markers before parsing.
_BOLD_NUMBER = re.compile(r"(?m)^([ \t]*)(?:\*\*|__)(\d{1,2}[.)])[ \t]*(?:\*\*|__)[ \t]*(?=\S)")
_GLYPH_BULLET = re.compile(
    "(?m)^([ \t]*)[\u2022\u25cf\u25aa\u25a0\u25e6\u25cb\u2023\u2043\u2219\u27a2\u27a4"
    "\u25ba\u25b6\u2713\u2714\u2756\u21ea\uf0b7\uf0a7\uf0d8\ufffd][ \t]+(?=\\S)")
_BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
# "-" alone on a line, its item's text after a blank line: one item
_BARE_BULLET = re.compile(r"(?m)^([ \t]*)[-*+][ \t]*\n(?:[ \t]*\n)+(?=[ \t]*[^\s\-*+])")
_NOTE = re.compile(r"\d{1,3} +\S")  # a note's number, then its text
_SUP = re.compile(r"</?sup\s*>", re.I)
_REPEATS = 3  # a one-line paragraph written this often is a running header or footer


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


# Pandoc's and Quarto's own syntax: fenced divs (":::" lines, a code cell's output in
# one), attributes ("{#intro}", "{.underline}", a raw "`<div>`{=html}"), and footnotes
_DIV_FENCE = re.compile(r"^[ \t]*:{3,}[ \t]*(\{[^}\n]*\}|[\w-]+)?[ \t]*$")
_ATTRIBUTED_SPAN = re.compile(r"\[([^\]\n]+)\]\{[.#][^{}\n]*\}")
_ATTRIBUTES = re.compile(r"`[^`\n]*`\{=\w+\}|[ \t]*\{(?:[#.][\w:.-]+[ \t]*)+[^{}\n]*\}")
# raw output for one format ("```{=html}" blocks, "`<summary>`{=html}" spans), and the
# "Code" switch of a folded code cell, which Quarto writes as raw HTML
_RAW_BLOCK = re.compile(r"(?ms)^[ \t]*```+[ \t]*\{=\w+\}[ \t]*\n.*?^[ \t]*```+[ \t]*$")
_CODE_SWITCH = re.compile(r"`<details>\s*<summary>`\{=html\}[^`\n]{0,40}`</summary>`\{=html\}")
_FOLD_SWITCH = re.compile(r"<summary>\s*(?:code|show code|hide code)\s*</summary>", re.I)
_RAW_SPAN = re.compile(r"`[^`]{0,300}`\{=\w+\}")
_NOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*)$")
_NOTE_CALL = re.compile(r"\[\^[^\]\s]+\](?!:)")


def _pandoc_markup(text: str) -> tuple[str, list[str]]:
    """`text` without pandoc's fenced divs and attributes (and without a code cell's
    output, in a div of class "cell-output": not the author's text), and its footnotes'
    texts ("[^1]: ..."), taken out with the marks that call them."""
    if ":::" not in text and "{" not in text and "[^" not in text:
        return text, []
    if "{=" in text:
        text = _RAW_SPAN.sub("", _CODE_SWITCH.sub("", _RAW_BLOCK.sub("", text)))
    out: list[str] = []
    notes: list[str] = []
    outputs = 0  # open output divs, whose closing fence closes a code block
    depth = 0
    for line in text.split("\n"):
        fence = _DIV_FENCE.match(line)
        if fence:
            if fence[1] is not None:  # an opening fence
                depth += 1
                if "cell-output" in fence[1] and not outputs:
                    outputs = depth
            elif depth:
                if outputs == depth:
                    outputs = 0
                depth -= 1
            out.append("")  # a fence ends the block before it: no lazy line runs on
            continue
        if outputs:
            continue  # a code cell's output, not the author's text
        note = _NOTE_DEFINITION.match(line)
        if note:
            notes.append(note[2])
            continue
        out.append(_ATTRIBUTES.sub("", _ATTRIBUTED_SPAN.sub(r"\1", _NOTE_CALL.sub("", line))))
    return "\n".join(out), [note for note in notes if note.strip()]


_LIST_LINE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+\S")


def fence_indented_code(text: str) -> str:
    """In Markdown that fences its code (```, as notebooks and Quarto write it), blocks
    indented four spaces after a blank line and not inside a list (a code cell's output)
    fenced as well: reading strips every line's indentation, which would make them prose."""
    if "```" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    k, listed = 0, False  # whether the text above the blank lines is a list's
    while k < len(lines):
        line = lines[k]
        if line.startswith(("    ", "\t")) and line.strip() and out and not out[-1].strip() \
                and not listed:
            block = []
            while k < len(lines) and (lines[k].startswith(("    ", "\t")) or not lines[k].strip()):
                block.append(lines[k])
                k += 1
            while block and not block[-1].strip():
                block.pop()
                k -= 1
            out.extend(["```", *(line[4:] if line.startswith("    ") else line[1:]
                                 for line in block), "```"])
            continue
        if line.strip():
            listed = bool(_LIST_LINE.match(line)) or (listed and line[:1].isspace())
        out.append(line)
        k += 1
    return "\n".join(out)


def markdown_raws(text: str) -> list[_Raw]:
    """The raw blocks of a Markdown document."""
    text, notes = _pandoc_markup(_FOLD_SWITCH.sub("", text))
    text = _BARE_BULLET.sub(r"\1- ", _BOLD_NUMBER.sub(r"\1\2 ", text))
    line_by_line = _line_by_line(text)
    if not line_by_line:  # there, a glyph's item goes on in the blocks after it
        text = _GLYPH_BULLET.sub(r"\1- ", text)
    tokens = _parser().parse(_LOOSE_STRONG.sub(r"\1\2\1", text))
    raws: list[_Raw] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            line = _inline(tokens[i + 1])[0].replace(_HARD_BREAK, " ")
            if line:
                raws.append(_Raw([[line]], 1, "heading", level=int(token.tag[1:])))
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            i = _list(tokens, i, raws)
        elif kind == "table_open":
            i = _table(tokens, i, raws)
        elif kind == "paragraph_open":
            _paragraph(tokens[i + 1], raws)
            i += 3
        elif kind in ("fence", "code_block"):
            lines = [collapse_whitespace(line) for line in token.content.split("\n")]
            if any(lines):
                raws.append(_Raw([[line for line in lines if line]], 1, "fragment"))
            i += 1
        elif kind == "html_block":
            _html_block(token.content, raws)
            i += 1
        else:
            i += 1
    raws = _notes_aside(_drop_running(raws))
    _mark_wrapped(raws)
    if not line_by_line and not any(raw.kind == "heading" for raw in raws):
        _plain_headings(raws)
    for note in notes:
        line = _inline(_parser().parseInline(note)[0])[0].replace(_HARD_BREAK, " ")
        if line:
            raws.append(_Raw([[line]], 1, "footnote"))
    return raws


def _notes_aside(raws: list[_Raw]) -> list[_Raw]:
    """Footnotes (and cells of fewer than three letters) between a paragraph stopping
    mid-sentence and its rest starting in lowercase, where a converted PDF's page ended,
    go after the rest, so that the sentence joins up."""
    def aside(raw: _Raw) -> bool:
        return raw.kind == "footnote" or (raw.kind == "fragment" and sum(
            ch.isalpha() for item in raw.items for line in item for ch in line) < 3)

    def stops_open(raw: _Raw) -> bool:
        return raw.kind == "paragraph" and not raw.items[-1][-1].rstrip(
            "\"'”’)] ").endswith((".", "!", "?", ":"))

    out: list[_Raw] = []
    waiting: list[_Raw] = []
    for raw in raws:
        if aside(raw) and (waiting or (out and stops_open(out[-1]))):
            waiting.append(raw)
            continue
        if waiting and not (raw.kind == "paragraph" and raw.items[0][0][:1].islower()):
            out.extend(waiting)
            waiting = []
        out.append(raw)
    return out + waiting


def _line_by_line(text: str) -> bool:
    """Whether `text` was converted line by line: of 10 or more blocks (parted by blank
    lines), most are a single line stopping mid-sentence (see `_mark_wrapped`)."""
    blocks = [block.strip() for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    open_lines = sum("\n" not in block and not block.rstrip("*_ \"'”’)]").endswith(
        (".", "!", "?", ":")) for block in blocks)
    return len(blocks) >= 10 and open_lines > 0.5 * len(blocks)


def _plain_headings(raws: list[_Raw]) -> None:
    """In Markdown without headings of its own (plain text saved as .md, Word text pasted
    in), a one-line paragraph that reads as a heading in plain text (`_blocks.
    plain_heading_level`), without a verb or pronoun, over a paragraph, list or table
    starting with a capital is a heading."""
    for raw, after in pairwise(raws):
        if raw.kind == "paragraph" and len(raw.items) == 1 and len(raw.items[0]) == 1 \
                and after.kind in ("paragraph", "list", "table") \
                and after.items and after.items[0] and after.items[0][0][:1].isupper():
            line = raw.items[0][0]
            level = plain_heading_level(line)
            if level and not says_as_a_sentence(line.split()):
                raw.kind, raw.level = "heading", level


def _drop_running(raws: list[_Raw]) -> list[_Raw]:
    """Without one-line paragraphs of two words or more, not ending like a sentence or a
    lead-in, written `_REPEATS` times or more (a converted PDF's running header or
    footer, "Annual Review 2024"), so that the sentence they cut in two is joined again."""
    def key(raw: _Raw) -> str | None:
        if raw.kind != "paragraph" or len(raw.items) != 1 or len(raw.items[0]) != 1:
            return None
        text = raw.items[0][0].lower()
        if text.rstrip("\"'”’)] ").endswith((".", "!", "?", ":")):
            return None  # a sentence or a lead-in said again ("We will:"), not furniture
        return text if len(text.split()) >= 2 and _LETTERS.search(text) else None

    counts = Counter(key(raw) for raw in raws)
    return [raw for raw in raws if (found := key(raw)) is None or counts[found] < _REPEATS]


def _mark_wrapped(raws: list[_Raw]) -> None:
    """In text converted line by line (most paragraphs one line, stopping mid-sentence),
    a paragraph continues past a line that ends on a lowercase word, as across a page;
    a title on a line alone before a capital (`_plain_title`) neither goes on nor takes
    the next line."""
    paragraphs = [raw for raw in raws if raw.kind == "paragraph"]
    open_lines = sum(len(raw.items[0]) == 1 and not raw.items[0][0].rstrip("\"'”’)]").endswith(
        (".", "!", "?", ":")) for raw in paragraphs)
    if len(paragraphs) >= 10 and open_lines > 0.5 * len(paragraphs):
        titles = [_plain_title(raw) and after.kind == "paragraph" and after.items[0][0][:1]
                  .isupper() for raw, after in pairwise(raws)] + [False]
        for k, raw in enumerate(raws):  # a title on a line alone ("Data sources") stays so
            if raw.kind == "paragraph" and not titles[k] and not (k and titles[k - 1]):
                raw.after_break = True


def _plain_title(raw: _Raw) -> bool:
    """Whether `raw` is one short line that reads as a title (`_title_line`)."""
    return (raw.kind == "paragraph" and len(raw.items) == 1 and len(raw.items[0]) == 1
            and _title_line(raw.items[0][0]))


def _title_line(text: str) -> bool:
    """Whether a line not in bold reads as a title: up to five words, opening with a
    capital, without a sentence's end, a joining word's or a verb or pronoun."""
    words = text.split()
    return (0 < len(words) <= 5 and text[:1].isupper() and not ends_open(text)
            and not text.rstrip("\"'”’)]").endswith((*_TERMINAL, ":"))
            and not says_as_a_sentence(words))


def _inline(token) -> tuple[str, bool, str, str]:
    """An inline token's text (line breaks as newlines), whether it is all bold, the bold
    text opening it (before the first text outside bold), and its first line when that
    is all bold and more lines follow (a heading set on the line above its paragraph).
    Struck-through text (`~~...~~`, a tracked deletion) and notes' numbers set raised
    (`<sup>3</sup>`) are left out; `<br>` is a hard line break."""
    parts: list[str] = []
    depth, outside, lead, struck, raised = 0, False, "", 0, False
    first_line, first_outside = None, False
    for child in token.children or []:
        kind = child.type
        if kind == "s_open":
            struck += 1
        elif kind == "s_close":
            struck = max(0, struck - 1)
        elif struck:
            continue
        elif kind == "strong_open":
            depth += 1
        elif kind == "strong_close":
            depth = max(0, depth - 1)
        elif kind == "html_inline" and _SUP.fullmatch(child.content.strip()):
            raised = not child.content.startswith("</")
        elif kind in ("text", "code_inline"):
            if raised and RAISED_NOTE.fullmatch(child.content.strip()):
                continue  # a note's number set raised ("<sup>3</sup>"), as PDF's are dropped
            parts.append(child.content.replace("**", "").replace("__", ""))
            if depth == 0 and child.content.strip() and not outside:
                lead = "".join(parts[:-1]).strip()
            outside |= depth == 0 and bool(child.content.strip())
        elif kind in ("softbreak", "hardbreak") or (
                kind == "html_inline" and _BREAK_TAG.fullmatch(child.content.strip())):
            if first_line is None:
                first_line, first_outside = "".join(parts), outside
            parts.append("\n" if kind == "softbreak" else _HARD_BREAK)
    bold_only = not outside and any(part.strip() for part in parts)
    head = (first_line or "").strip()
    bold_head = head if head and not first_outside and outside else ""
    return "".join(parts), bold_only, lead, bold_head


def _paragraph(token, raws: list[_Raw]) -> None:
    text, bold, lead, bold_head = _inline(token)
    if text.count(_HARD_BREAK) >= 2:  # lines broken by hand: items, or one paragraph
        broken = [collapse_whitespace(" ".join(part.split()))
                  for part in text.split(_HARD_BREAK)]
        for raw in broken_lines(broken):
            raw.loose = raw.kind == "paragraph"
            raws.append(raw)
        return
    lines = [collapse_whitespace(line) for line in text.replace(_HARD_BREAK, "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines or (len(lines) == 1 and is_page_number(lines[0])):
        return
    joined = " ".join(lines)
    if bold and _bold_title(joined):
        raws.append(_Raw([[joined]], 1, "heading", level=6))
        return
    if len(lines) == 1 and lead and _bold_title(lead) and _PRESENTER.match(
            joined[len(lead):].strip()) and len(joined.split()) <= 15:
        # "**7. Street furniture** — Frank Reid": an agenda item's title and who presents it
        raws.append(_Raw([[joined]], 1, "heading", level=6))
        return
    if bold and not _LETTERS.search(joined):  # "**N**": a cell's mark, no words
        raws.append(_Raw([[joined]], 1, "fragment"))
        return
    if _NOTE.match(joined) and _all_emphasised(token):  # "_1_ _National Dashboard_"
        raws.append(_Raw([lines], 1, "footnote"))
        return
    if len(lines) > 1 and ((lines[0] == collapse_whitespace(bold_head) and _bold_title(lines[0]))
                           or (_title_line(lines[0]) and lines[1][:1].isupper()
                               and len(lines[0]) < 0.5 * len(lines[1]))):
        # "**Housing**" or "Data analysis" on the line above its text
        raws.append(_Raw([[lines[0]]], 1, "heading", level=6))
        lines, lead = lines[1:], ""
    label = run_in_label(lead, lines)  # "**Summary:** The ..."
    if label is not None:
        raws.append(label)
    raws.append(_Raw([lines], 1, "paragraph", loose=True))


def _all_emphasised(token) -> bool:
    """Whether every word of an inline token is in italics (a converted footnote)."""
    depth, words = 0, False
    for child in token.children or []:
        if child.type == "em_open":
            depth += 1
        elif child.type == "em_close":
            depth = max(0, depth - 1)
        elif child.type == "text" and child.content.strip():
            if depth == 0:
                return False
            words = True
    return words


def _bold_title(text: str) -> bool:
    """Whether bold `text` reads as a heading: short, with letters, not a sentence (a
    title styled with a stop, 2 to 7 words opening with a capital, without a verb or
    pronoun, is one: "Village mower.", as in PDFs)."""
    words = text.split()
    if len(words) > 12 or _LETTERS.search(text) is None:
        return False
    end = text.rstrip("\"'”’)]")
    if end.endswith(".") and not end.endswith("..") and 2 <= len(words) <= 7 \
            and text[:1].isupper():
        return not says_as_a_sentence(words) and not _SENTENCE_INSIDE_TITLE.search(end[:-1])
    return not end.endswith(_TERMINAL)


def _list(tokens, i: int, raws: list[_Raw]) -> int:
    """Read a list (with the lists inside it) from token `i`; return the next index. A
    numbered list with no text is a number alone on a line ("1884." ending a sentence):
    read as a paragraph going on from the one before when that stops on a word."""
    items: list[list[str]] = []
    numbers: list[str] = []
    targets: list[str | None] = []  # each item's link target when it is only a link
    depth = 0
    while i < len(tokens):
        kind = tokens[i].type
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                break
        elif kind == "list_item_open" and tokens[i].info:
            numbers.append(tokens[i].info + tokens[i].markup)
        elif kind == "inline":
            text = _inline(tokens[i])[0].replace(_HARD_BREAK, "\n")
            lines = [collapse_whitespace(line) for line in text.split("\n")]
            if any(lines):
                items.append([line for line in lines if line])
                targets.append(_link_only(tokens[i]))
        i += 1
    if items and all(target is not None for target in targets):
        # links alone: a contents list of the page's anchors, or links elsewhere
        anchors = all(str(target).startswith("#") for target in targets)
        raws.append(_Raw(items, 1, "contents" if anchors else "fragment"))
    elif items:
        raws.append(_Raw(items, 1, "list"))
    elif numbers:
        # a line the converter parted: it goes on with a sentence stopping on a word
        raws.append(_Raw([[" ".join(numbers)]], 1, "paragraph", after_break=True))
    return i + 1


def _link_only(token) -> str | None:
    """The target of the link that is all of an inline token's text (but for a file's
    type and size: "(PDF, 2MB)"), else None."""
    target, depth, outside = None, 0, []
    for child in token.children or []:
        if child.type == "link_open":
            depth += 1
            target = target if target is not None else str(child.attrs.get("href", ""))
        elif child.type == "link_close":
            depth = max(0, depth - 1)
        elif child.type in ("text", "code_inline") and not depth:
            outside.append(child.content)
    rest = "".join(outside).strip()
    return target if not rest or _DOWNLOAD.fullmatch(rest) else None


def _table(tokens, i: int, raws: list[_Raw]) -> int:
    rows: list[list[str]] = []
    cells: list[str] = []
    while i < len(tokens) and tokens[i].type != "table_close":
        kind = tokens[i].type
        if kind == "inline":
            text = _inline(tokens[i])[0].replace(_HARD_BREAK, " ").replace("\n", " ")
            cells.append(collapse_whitespace(text))
        elif kind == "tr_close":  # a cell merged across columns is written in each: once
            rows.append([cell for k, cell in enumerate(cells)
                         if not (k and cell and cell == cells[k - 1])])
            cells = []
        i += 1
    raws.extend(table_raws(rows))
    return i + 1


def _html_block(content: str, raws: list[_Raw]) -> None:
    import lxml.etree
    import lxml.html

    try:
        text = lxml.html.fromstring(content).text_content()
    except (ValueError, lxml.etree.ParserError):  # nothing lxml can read: no prose
        return
    text = collapse_whitespace(" ".join(text.split()))
    if text:
        raws.append(_Raw([[text]], 1, "paragraph"))
