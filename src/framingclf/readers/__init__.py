"""Readers: a PDF, Word, HTML, text or Markdown file into a clean, page-numbered `Document`.

`read_document(path)` checks that the path is a regular file (a FIFO, device or broken
link is an error, never opened), then chooses the reader by the file's content (`sniff`),
not its extension: a `.pdf` that holds text is read as text, a `.txt` that holds a PDF as
a PDF. Every reader gives `Block`s with a kind (heading, paragraph, list, table, caption,
footnote, contents, reference or fragment), pages and heading paths; the rules live with
each reader:

- `_pdf` (pypdfium2) measures each line (effective font size, baseline, extent, bold,
  rotation), and `_layout` groups lines into blocks by their geometry and sorts out
  headings, lists, tables, footnotes, contents pages, chart labels and run-on paragraphs;
- `_docx` reads a Word file's XML (text boxes once, footnotes, tables, contents), with
  bounded unpacking;
- `_html` takes a page's main content with trafilatura;
- `_text` reads plain text, and `_markdown` renders Markdown with markdown-it-py;
- `_encoding` decodes text (byte-order marks, UTF-16 without one, declared charsets,
  charset-normalizer), `_cleaning` cleans lines and mends hyphens, `_blocks` finishes
  every reader's blocks the same way (captions, references and contents by their text,
  heading paths), and `_titles` picks a sane title.

Files that cannot be read raise `DocumentReadError` naming the file (and page where it
helps), what was found and what to do (an unexpected failure inside a reader too, so a
batch always gets one clear row): missing, empty, blank or special files, damaged
or truncated PDFs, password-protected PDFs, PDFs without a text layer (scans: run OCR
first), damaged or oversized Word files (zip bombs), oversized text and HTML,
unsupported formats (old .doc, spreadsheets, images, archives, binaries) and text in no
encoding that can be told.
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


def read_document(path: str | Path, *, metadata: bool = True,
                  sha256: str | None = None) -> Document:
    """Read a PDF, DOCX, HTML, text or Markdown file, or raise `DocumentReadError` saying why.

    The format is chosen by content (`sniff`). Metadata from a manifest or folder names
    (see `framingclf.inputs`) is added, and a manifest's `title` replaces the file's
    own; ``metadata=False`` leaves both out, giving only what the content says (batch
    scoring caches results by content and adds the metadata of each path itself).
    `sha256`: the file's content hash when the caller has it, so the file is not read
    twice for it.
    """
    path = Path(path)
    head, found, size = _probe(path, hash_it=sha256 is None)
    sha256 = sha256 or found
    if size == 0:
        raise DocumentReadError(f"{path}: empty file (0 bytes); nothing to score — "
                                "download or export it again")
    kind = sniff(path, head)
    try:
        document = _READERS[kind](path, sha256=sha256)
    except (DocumentReadError, MemoryError):
        raise
    except RecursionError:
        raise DocumentReadError(f"{path}: nested too deeply to read (a damaged or "
                                "machine-made file); save it again from its program") from None
    except Exception as exc:  # a reader's bug must still give one clear row
        raise DocumentReadError(
            f"{path}: could not be read as {kind.upper()} ({type(exc).__name__}: {exc}); "
            "open and save it again, and please report this to framingclf's developers "
            "with the file if you can share it") from exc
    if not metadata:
        return document
    from framingclf.inputs import source_metadata

    source = source_metadata(path)
    title = source.pop("title", None)
    document.metadata.update(source)
    if title:
        document.title = title
    return document



_READERS = {"pdf": read_pdf, "docx": read_docx, "html": read_html, "text": read_text}
