"""Documents: reading a file into page-numbered blocks of text.

`read_document(path)` returns a `Document`: its path, content hash, title and a list of
`Block`s (paragraphs, headings, tables) with page numbers and heading paths. Plain text
and Markdown are read here; pages are split at form feeds (as pdftotext writes them).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from framingclf.errors import DocumentReadError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


@dataclass
class Block:
    """A paragraph, heading or table of a document, with where it stands."""

    text: str
    page: int
    kind: str = "paragraph"  # "paragraph", "heading" or "table"
    heading_path: tuple[str, ...] = ()
    level: int = 0


@dataclass
class Document:
    """A read document: where it came from, its hash, title, metadata and blocks."""

    path: str
    sha256: str
    title: str
    blocks: list[Block]
    n_pages: int
    metadata: dict = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        """Stable id: the first 16 hex digits of the content hash."""
        return self.sha256[:16]


def read_document(path: str | Path) -> Document:
    """Read a document file into blocks, or raise `DocumentReadError` saying why not."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DocumentReadError(f"{path}: is a folder; pass files, or the folder to "
                                "`framingclf score` which reads its files") from None
    except OSError as exc:
        raise DocumentReadError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data:
        raise DocumentReadError(f"{path}: empty file (0 bytes); nothing to score")
    kind = sniff(data, path.suffix.lower())
    if kind != "text":
        raise DocumentReadError(
            f"{path}: {kind} files are not read by this version of framingclf; "
            "convert it to plain text (e.g. pdftotext) or pass .txt/.md files"
        )
    text = decode_text(data, path)
    return parse_text(text, path=str(path), sha256=hashlib.sha256(data).hexdigest())


def sniff(data: bytes, suffix: str) -> str:
    """The file's kind from its first bytes (not only its extension)."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.startswith(b"PK\x03\x04"):
        return "DOCX/ZIP"
    if data[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "HTML"
    if b"\x00" in data[:4096]:
        return "binary"
    if suffix and suffix not in TEXT_SUFFIXES:
        return f"{suffix} (unknown)" if suffix not in {".csv", ".tsv"} else "text"
    return "text"


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else a clear error naming the offending byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentReadError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8"
        ) from None


def _is_table(lines: list[str]) -> bool:
    return sum(" | " in line or line.startswith("|") for line in lines) >= max(1, len(lines) // 2)


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
    if len(words) <= 10 and not line.endswith((".", "?", "!")) and line[:1].isupper():
        return 1
    return 0


def parse_text(text: str, *, path: str = "<text>", sha256: str | None = None) -> Document:
    """Split text into blocks: pages at form feeds, blocks at blank lines."""
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    for page_no, page in enumerate(pages, start=1):
        for raw in re.split(r"\n\s*\n", page):
            lines = [line.strip() for line in raw.split("\n") if line.strip()]
            if not lines:
                continue
            if _is_table(lines):
                blocks.append(Block("\n".join(lines), page_no, "table", _path(headings)))
                continue
            level = _heading_level(lines[0]) if len(lines) == 1 else 0
            if level:
                title = _MD_HEADING.sub(r"\2", lines[0])
                headings = [h for h in headings if h[0] < level] + [(level, title)]
                blocks.append(Block(title, page_no, "heading", _path(headings), level))
                continue
            bulleted = lines[0].startswith(("•", "- ", "* "))
            joined = "\n".join(lines) if bulleted else " ".join(lines)
            blocks.append(Block(joined, page_no, "paragraph", _path(headings)))
    title = next((b.text for b in blocks if b.text), Path(path).stem)
    return Document(path=path, sha256=sha256, title=title[:200], blocks=blocks,
                    n_pages=len(pages))


def _path(headings: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(title for _, title in headings)
