"""Markdown rendered to blocks with markdown-it-py (CommonMark with GitHub tables).

- `#` headings are headings; a paragraph that is only bold (`**Key findings**`) is a
  heading when it is short (at most 12 words, with letters) and not a sentence, else
  prose (a pull quote or a bold key message); a bold run opening a paragraph that reads
  as a title (`_blocks.run_in_title`: `**Summary:** The ...`) is a label over it;
- lists are lists, one item per line (nested items follow their parent), and tables are
  tables (rows on lines, cells parted by " | "; cells that say something are read as
  `_blocks.table_raws` says);
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
- code blocks are fragments; block quotes and HTML blocks are read as paragraphs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from framingclf.readers._blocks import _Raw, broken_lines, run_in_label, table_raws
from framingclf.readers._cleaning import collapse_whitespace, is_page_number

_TERMINAL = (".", "!", "?", ",", ";")
# "**Key message **": a space before the closing mark, which CommonMark does not close
_LOOSE_STRONG = re.compile(r"(\*\*|__|\*)(\S[^*_\n]*?)\s+\1(?=\s|$|[.,;:])")
_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_].*[^\W\d_]")


_HARD_BREAK = "\x0b"  # a hard line break ("  " or "\\" at a line's end) in inline text


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def markdown_raws(text: str) -> list[_Raw]:
    """The raw blocks of a Markdown document."""
    tokens = _parser().parse(_LOOSE_STRONG.sub(r"\1\2\1", text))
    raws: list[_Raw] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            line = _inline(tokens[i + 1])[0]
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
    _mark_wrapped(raws)
    return raws


def _mark_wrapped(raws: list[_Raw]) -> None:
    """In text converted line by line (most paragraphs one line, stopping mid-sentence),
    a paragraph continues past a line that ends on a lowercase word, as across a page."""
    paragraphs = [raw for raw in raws if raw.kind == "paragraph"]
    open_lines = sum(len(raw.items[0]) == 1 and not raw.items[0][0].rstrip("\"'”’)]").endswith(
        (".", "!", "?", ":")) for raw in paragraphs)
    if len(paragraphs) >= 10 and open_lines > 0.5 * len(paragraphs):
        for raw in paragraphs:
            raw.after_break = True


def _inline(token) -> tuple[str, bool, str]:
    """An inline token's text (line breaks as newlines), whether it is all bold, and the
    bold text opening it (before the first text outside bold)."""
    parts: list[str] = []
    depth, outside, lead = 0, False, ""
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            depth += 1
        elif kind == "strong_close":
            depth = max(0, depth - 1)
        elif kind in ("text", "code_inline"):
            parts.append(child.content.replace("**", "").replace("__", ""))
            if depth == 0 and child.content.strip() and not outside:
                lead = "".join(parts[:-1]).strip()
            outside |= depth == 0 and bool(child.content.strip())
        elif kind == "softbreak":
            parts.append("\n")
        elif kind == "hardbreak":
            parts.append(_HARD_BREAK)
    bold_only = not outside and any(part.strip() for part in parts)
    return "".join(parts), bold_only, lead


def _paragraph(token, raws: list[_Raw]) -> None:
    text, bold, lead = _inline(token)
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
    if (bold and len(joined.split()) <= 12 and _LETTERS.search(joined)
            and not joined.rstrip("\"'”’)]").endswith(_TERMINAL)):
        raws.append(_Raw([[joined]], 1, "heading", level=6))
        return
    label = run_in_label(lead, lines)  # "**Summary:** The ..."
    if label is not None:
        raws.append(label)
    raws.append(_Raw([lines], 1, "paragraph", loose=True))


def _list(tokens, i: int, raws: list[_Raw]) -> int:
    """Read a list (with the lists inside it) from token `i`; return the next index."""
    items: list[list[str]] = []
    depth = 0
    while i < len(tokens):
        kind = tokens[i].type
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                break
        elif kind == "inline":
            lines = [collapse_whitespace(line) for line in _inline(tokens[i])[0].split("\n")]
            if any(lines):
                items.append([line for line in lines if line])
        i += 1
    if items:
        raws.append(_Raw(items, 1, "list"))
    return i + 1


def _table(tokens, i: int, raws: list[_Raw]) -> int:
    rows: list[list[str]] = []
    cells: list[str] = []
    while i < len(tokens) and tokens[i].type != "table_close":
        kind = tokens[i].type
        if kind == "inline":
            cells.append(collapse_whitespace(_inline(tokens[i])[0].replace("\n", " ")))
        elif kind == "tr_close":
            rows.append(cells)
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
