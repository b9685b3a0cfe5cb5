"""Plain text and Markdown reader.

Files are decoded by `framingclf.readers._encoding` (byte-order mark, UTF-16 without one,
UTF-8, charset-normalizer); files over `MAX_TEXT` bytes are refused, blank ones are a
"no text" error. Front matter (a YAML or TOML block opening the file) is taken off and
its title is the document's first choice (`_front_matter`). Markdown (`.md`,
`.markdown`) is rendered by `_markdown`. Plain text:

- a transcript (a third of its lines opening with a timestamp, "00:01:50.880 ") loses
  its timestamps and sound cues ("[Music]"), so its sentences join up;
- pages at form feeds (as pdftotext writes them); a page's first and last lines are
  dropped when they repeat (digits aside) on 40% of the pages, or are page numbers;
- blocks at blank lines, and a block opening with a speaker's name or label and holding
  another ("CHAIR: ...", "Cllr Ahmed: ...") at each of them; a block whose lines mostly
  hold " | " is a table; a block opening with a bullet is a list (a line without a bullet
  continues the item above);
- a one-line block is a heading when it is short and not a sentence (at most 10 words,
  starting with a capital, not ending in . ? ! , ; or :), or numbered like a section
  ("2.1 Waiting lists"); its level is its numbering depth, else 1; so is a block's first
  line of that kind, without a verb or pronoun, over a line twice as long starting with
  a capital ("Data analysis" over its text);
- a paragraph that stops mid-sentence continues in the next block when that one starts
  in lowercase, or (across a page) when the first ends on a lowercase word.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from framingclf.errors import DocumentReadError
from framingclf.readers._blocks import _finish, _Raw, plain_heading_level, says_as_a_sentence
from framingclf.readers._cleaning import (
    Vocabulary,
    bullet_item,
    clean_line,
    find_running_lines,
    is_page_number,
    running_key,
)
from framingclf.readers._document import Document
from framingclf.readers._encoding import decode
from framingclf.readers._front_matter import split_front_matter
from framingclf.readers._titles import choose_title

MAX_TEXT = 64 * 1024 * 1024
_TIME = r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)?\]?"
_TIMESTAMP = re.compile(rf"(?m)^[ \t]*{_TIME}(?:[ \t]*-->[ \t]*{_TIME})?(?:[ \t]+|$)")
_SOUND = (r"[ \t]*\[(?:music|applause|laughter|inaudible|silence|crosstalk|noise|"
          r"no audio)\]")
_CUE = re.compile(_SOUND, re.I)
_CUE_LINE = re.compile(rf"^{_SOUND}[ \t]*\n", re.I | re.M)
_SPEAKER = re.compile(r"^[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|of|and|for|the)){0,5}"
                      r"(?:[ \t]*\([^()\n]{1,80}\))?:[ \t]+\S")
# Markdown's hard line break, two spaces ending a line of text before another: written as
# its other form, a backslash, which cleaning the line keeps
_SPACES_BREAK = re.compile(r"(?<=\S)[ \t]{2,}\n(?=[ \t]*\S)")


def read_text(path: str | Path, *, sha256: str | None = None) -> Document:
    """Read a plain text or Markdown file (rules in this module's docstring)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_TEXT:
        raise DocumentReadError(f"{path}: text file of {size / 2**20:,.0f} MB, over the "
                                f"{MAX_TEXT // 2**20} MB framingclf reads; split it into "
                                "smaller files")
    data = path.read_bytes()
    text = decode(data, path)
    markdown = path.suffix.lower() in {".md", ".markdown"}
    return parse_text(text, path=str(path), sha256=sha256 or hashlib.sha256(data).hexdigest(),
                      markdown=markdown)


def parse_text(text: str, *, path: str = "<text>", sha256: str | None = None,
               markdown: bool = False) -> Document:
    """Text (or Markdown) into a `Document`, by the rules in this module's docstring."""
    text = re.sub("[\ud800-\udfff]", "", text) if not text.isascii() else text
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    given_title, text = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _untimed(text)
    if markdown:
        from framingclf.readers._markdown import fence_indented_code, markdown_raws

        pages = _pages(_SPACES_BREAK.sub("\\\\\n", fence_indented_code(text)))
        raws, n_pages = markdown_raws("\n\n".join("\n".join(page) for page in pages)), len(pages)
    else:
        raws, n_pages = _plain_raws(text)
    blocks = _finish(raws, Vocabulary(text))
    if not blocks:
        raise DocumentReadError(f"{path}: no text (the file holds only blank space, page "
                                "numbers or markup); nothing to read")
    first = next((b.text for b in blocks if b.kind in ("heading", "paragraph")), None)
    level_one = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    title = choose_title(path, [given_title, level_one,
                                first if first and len(first.split()) <= 20 else None], blocks)
    return Document(path=path, sha256=sha256, title=title, blocks=blocks, n_pages=n_pages,
                    format="markdown" if markdown else "text")


def _untimed(text: str) -> str:
    """A transcript's text without the timestamps opening its lines ("00:01:50.880 ",
    "[12:03] ", a subtitle file's "00:00:01,000 --> 00:00:04,000") and its sound cues
    ("[Music]", "[Laughter]"), when a third or more of its lines open with one."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines or sum(bool(_TIMESTAMP.match(line)) for line in lines) < len(lines) / 3:
        return text
    return _CUE.sub("", _CUE_LINE.sub("", _TIMESTAMP.sub("", text)))


def _pages(text: str) -> list[list[str]]:
    """The text's pages (at form feeds) as cleaned lines, running lines and page numbers
    at the pages' edges blanked."""
    pages = [[clean_line(line) for line in page.split("\n")] for page in text.split("\f")]
    edges = []
    for lines in pages:
        filled = [i for i, line in enumerate(lines) if line]
        edges.append(sorted({*filled[:1], *filled[-1:]}))  # a page's first and last lines
    running = find_running_lines([[lines[i] for i in idx] for lines, idx in zip(pages, edges)])
    for lines, idx in zip(pages, edges):
        for i in idx:
            if is_page_number(lines[i]) or running_key(lines[i]) in running:
                lines[i] = ""
    return pages


def _plain_raws(text: str) -> tuple[list[_Raw], int]:
    pages = _pages(text)
    raws: list[_Raw] = []
    for page_no, lines in enumerate(pages, start=1):
        first = True
        for chunk in re.split(r"\n\s*\n", "\n".join(lines)):
            chunk_lines = [line for line in chunk.split("\n") if line]
            if len(chunk_lines) > 1 and _titles(chunk_lines[0], chunk_lines[1]):
                raws.append(_text_block(chunk_lines[:1], page_no, after_break=first))
                chunk_lines, first = chunk_lines[1:], False
            for turn in _turns(chunk_lines):
                raws.append(_text_block(turn, page_no, after_break=first))
                first = False
    return raws, len(pages)


def _turns(lines: list[str]) -> list[list[str]]:
    """A block's lines parted at each line opening with a speaker's name or label
    ("CHAIR: ...", "Sarah Jones (Director of Public Health): ...") when it opens with one
    and holds another: a transcript's or minutes' turns, each a paragraph."""
    starts = [k for k, line in enumerate(lines) if _SPEAKER.match(line)]
    if len(starts) < 2 or starts[0] != 0:
        return [lines] if lines else []
    return [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)])]


def _text_block(lines: list[str], page: int, *, after_break: bool) -> _Raw:
    if sum(" | " in line or line.startswith("|") for line in lines) >= max(1, len(lines) // 2):
        return _Raw([lines], page, "table")
    if len(lines) == 1:
        level = plain_heading_level(lines[0])
        if level:
            return _Raw([lines], page, "heading", level=level)
    if bullet_item(lines[0]) is not None:
        items: list[list[str]] = []
        for line in lines:
            if bullet_item(line) is not None or not items:
                items.append([])
            items[-1].append(line)
        return _Raw(items, page, "list")
    return _Raw([lines], page, "paragraph", after_break=after_break, loose=True)


def _titles(line: str, below: str) -> bool:
    """Whether `line` is a heading set on the line above its text ("Data analysis" over
    "A simple analysis was ..."): a heading by `_blocks.plain_heading_level`, without a verb or
    pronoun, under half as long as the line below, which starts with a capital."""
    return (bool(plain_heading_level(line)) and not says_as_a_sentence(line.split())
            and len(line) < 0.5 * len(below) and below[:1].isupper())
