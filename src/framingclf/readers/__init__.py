"""Readers: a PDF, Word, HTML, text or Markdown file into a clean, page-numbered `Document`.

`read_document(path)` chooses the reader by the file's content (`sniff`), not its
extension: a `.pdf` that holds text is read as text, a `.txt` that holds a PDF as a PDF.
Every reader gives blocks (paragraphs, headings, tables) with pages and heading paths,
cleaned by `framingclf.readers._cleaning`. Rules by format:

- PDF (pypdfium2): read page by page, each page closed before the next, so memory does
  not grow with pdfium's pages. Text comes in pdfium's order, which is the order the
  producer wrote it: Word, LibreOffice, InDesign and LaTeX write a column at a time, so
  two-column pages come out in reading order; a producer that writes across the columns
  line by line gives two-cell rows, which the table rule keeps out of passages. Lines
  start a new block after a vertical gap wider than the page's usual line spacing, a jump
  back up the page (a new column), a change of font size or a bullet. Lines at the top or
  bottom of pages (the outer 8% of the page) that repeat, digits aside, on at least 40% of
  the pages (running headers and footers), and page numbers there, are dropped.
  A short block (at most 3 lines, 25 words, no closing full stop) set larger than the body
  text, or all in bold, is a heading; its level is the rank of its font size. A paragraph
  cut by a page or column break is rejoined when it does not end a sentence and the next
  part starts in lowercase (or the first part, not a list, ends on a lowercase word).
- DOCX (python-docx): body paragraphs in order; "Title", "Subtitle" and "Heading N" styles
  (or an outline level) are headings; list paragraphs are bullet items; the table of contents is
  skipped; running headers and footers live outside the body and are never read. Pages
  are counted at Word's last rendered page breaks when the file has them (files saved by
  Word), else at explicit page and section breaks.
- HTML (lxml): the `<main>` element (else `role="main"`, a lone `<article>`, or `<body>`)
  without scripts, styles, navigation, asides, forms, footers, hidden elements, cookie and
  consent banners, breadcrumbs and share links (by tag, ARIA role, or class/id); `<header>`
  is dropped unless it is inside `<main>` or `<article>`. Pages are counted at CSS page
  breaks (`page-break-before: always`, `break-before: page` and their `-after` forms).
- Plain text and Markdown: pages at form feeds (as pdftotext writes them), blocks at blank
  lines, headings by Markdown `#` or by shape (short, no closing full stop, or numbered
  like "2.1 Waiting lists"); a page's first and last lines are dropped when they repeat
  (digits aside) on 40% of the pages, or are page numbers.
  Encoding: UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark.

The table rule, for every format: a table becomes one `table` block (cells joined by
" | ", rows by newlines) that stays in `Document.text` but is never a passage; in board
papers tables are mostly figures whose framing is carried by the prose around them. A
table of a single column is a layout box, and its paragraphs are read as paragraphs. In
PDFs a table is a block most of whose lines sit in separate runs with wide gaps (a row),
step back up the page or start well right of the block's left edge (cells written one
after another); in text, a block whose lines mostly hold " | ".

Files that cannot be read raise `DocumentReadError` naming the file (and page) and what
to do: missing or empty files, damaged or truncated PDFs (no `%%EOF` in the last 1,024
bytes), password-protected PDFs, PDFs without a text layer (scans: run OCR first),
unsupported formats (old .doc, spreadsheets, images, archives, binaries) and text that is
not UTF-8 or UTF-16.
"""

from __future__ import annotations

from pathlib import Path

from framingclf.errors import DocumentReadError
from framingclf.readers._common import (
    HTML_SUFFIXES,
    READABLE_SUFFIXES,
    SUPPORTED,
    TEXT_SUFFIXES,
    _probe,
    content_hash,
    sniff,
)
from framingclf.readers._document import Block, Document
from framingclf.readers._docx import read_docx
from framingclf.readers._html import read_html
from framingclf.readers._pdf import read_pdf
from framingclf.readers._text import parse_text, read_text

__all__ = [
    "HTML_SUFFIXES",
    "READABLE_SUFFIXES",
    "SUPPORTED",
    "TEXT_SUFFIXES",
    "Block",
    "Document",
    "content_hash",
    "parse_text",
    "read_document",
    "read_docx",
    "read_html",
    "read_pdf",
    "read_text",
    "sniff",
]


def read_document(path: str | Path, *, metadata: bool = True) -> Document:
    """Read a PDF, DOCX, HTML, text or Markdown file, or raise `DocumentReadError` saying why.

    The format is chosen by content (`sniff`). Metadata from a manifest or folder names
    (see `framingclf.documents`) is added, and a manifest's `title` replaces the file's
    own; ``metadata=False`` leaves both out, giving only what the content says (batch
    scoring caches results by content and adds the metadata of each path itself).
    """
    path = Path(path)
    head, sha256, size = _probe(path)
    if size == 0:
        raise DocumentReadError(f"{path}: empty file (0 bytes); nothing to score — "
                                "download or export it again")
    kind = sniff(path, head)
    document = _READERS[kind](path, sha256=sha256)
    if not metadata:
        return document
    from framingclf.documents import source_metadata

    found = source_metadata(path)
    title = found.pop("title", None)
    document.metadata.update(found)
    if title:
        document.title = title
    return document



_READERS = {"pdf": read_pdf, "docx": read_docx, "html": read_html, "text": read_text}
