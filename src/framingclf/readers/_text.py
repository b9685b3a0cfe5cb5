"""Plain text and Markdown reader: pages at form feeds, blocks at blank lines."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from framingclf.errors import DocumentReadError
from framingclf.readers._blocks import _finish, _Raw
from framingclf.readers._cleaning import (
    Vocabulary,
    bullet_item,
    clean_line,
    find_running_lines,
    is_page_number,
    running_key,
)
from framingclf.readers._document import Document

_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)(?=\S)(.+?)(?<=\S)\1")


def read_text(path: str | Path, *, sha256: str | None = None) -> Document:
    """Read a plain text or Markdown file (UTF-8, or UTF-16 with a byte-order mark)."""
    path = Path(path)
    data = path.read_bytes()
    text = _decode_text(data, path)
    markdown = path.suffix.lower() in {".md", ".markdown"}
    return parse_text(text, path=str(path), sha256=sha256 or hashlib.sha256(data).hexdigest(),
                      markdown=markdown)


def _decode_text(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16, else an error naming the byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentReadError(f"{path}: damaged UTF-16 text; re-save the file as "
                                    "UTF-8") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DocumentReadError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}, "
            f"line {line}); re-save the file as UTF-8") from None


def parse_text(text: str, *, path: str = "<text>", sha256: str | None = None,
               markdown: bool = False) -> Document:
    """Text into a `Document`: pages at form feeds, blocks at blank lines.

    Running headers and footers (lines repeated at the top or bottom of pages) and page
    numbers are dropped; `markdown` also strips links and emphasis marks.
    """
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [[clean_line(line) for line in page.split("\n")] for page in text.split("\f")]
    edges = []
    for lines in pages:
        filled = [i for i, line in enumerate(lines) if line]
        edges.append(sorted({*filled[:1], *filled[-1:]}))  # a page's first and last lines
    running = find_running_lines([[lines[i] for i in idx] for lines, idx in zip(pages, edges)])
    raws: list[_Raw] = []
    for page_no, (lines, idx) in enumerate(zip(pages, edges), start=1):
        for i in idx:
            if is_page_number(lines[i]) or running_key(lines[i]) in running:
                lines[i] = ""
        first = True
        for chunk in re.split(r"\n\s*\n", "\n".join(lines)):
            chunk_lines = [line for line in chunk.split("\n") if line]
            if markdown:
                chunk_lines = [_MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", line))
                               for line in chunk_lines]
            if chunk_lines:
                raws.extend(_text_block(chunk_lines, page_no, after_break=first))
                first = False
    blocks = _finish(raws, Vocabulary(text))
    title = raws[0].items[0][0] if raws else Path(path).stem
    return Document(path=path, sha256=sha256, title=title[:200], blocks=blocks,
                    n_pages=len(pages), format="markdown" if markdown else "text")


def _text_block(lines: list[str], page: int, *, after_break: bool) -> list[_Raw]:
    if sum(" | " in line or line.startswith("|") for line in lines) >= max(1, len(lines) // 2):
        return [_Raw([lines], page, "table")]
    if len(lines) == 1:
        level = _heading_level(lines[0])
        if level:
            return [_Raw([[_MD_HEADING.sub(r"\2", lines[0])]], page, "heading", level=level)]
    if bullet_item(lines[0]) is not None:
        items: list[list[str]] = []
        for line in lines:
            if bullet_item(line) is not None or not items:
                items.append([])
            items[-1].append(line)
        return [_Raw(items, page, "list")]
    return [_Raw([lines], page, "paragraph", after_break=after_break)]


def _heading_level(line: str) -> int:
    """0 if `line` is not a heading, else its level (numbering depth or '#' count)."""
    md = _MD_HEADING.match(line)
    if md:
        return len(md.group(1))
    ends_like_prose = line.endswith((".", ",", ";", ":"))
    if len(line) > 90 or (ends_like_prose and not _NUMBERED_HEADING.match(line)):
        return 0
    numbered = _NUMBERED_HEADING.match(line)
    if numbered:
        return numbered.group(1).count(".") + 1 if len(line.split()) <= 12 else 0
    words = line.split()
    if len(words) <= 10 and not line.endswith((".", "?", "!")) and line[:1].isupper() \
            and bullet_item(line) is None:
        return 1
    return 0

