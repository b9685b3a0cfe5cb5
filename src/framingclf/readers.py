"""Readers: a PDF, Word, HTML, text or Markdown file into a clean, page-numbered `Document`.

`read_document(path)` chooses the reader by the file's content (`sniff`), not its
extension: a `.pdf` that holds text is read as text, a `.txt` that holds a PDF as a PDF.
Every reader gives blocks (paragraphs, headings, tables) with pages and heading paths,
cleaned by `framingclf.cleaning`. Rules by format:

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

import ctypes
import hashlib
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from framingclf.cleaning import (
    bullet_item,
    clean_line,
    collapse_whitespace,
    find_running_lines,
    hyphenated_words,
    is_page_number,
    join_lines,
    running_key,
)
from framingclf.documents import Block, Document, assign_heading_paths
from framingclf.errors import DocumentReadError

SUPPORTED = "PDF, Word (.docx), HTML, plain text and Markdown"
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
READABLE_SUFFIXES = frozenset({".pdf", ".docx", *HTML_SUFFIXES, *TEXT_SUFFIXES})
# Text content is read as text under these extensions (a lying document extension
# included); under any other (.csv, .json, ...) it is data, not a document.
_TEXT_OK_SUFFIXES = READABLE_SUFFIXES | {"", ".doc", ".odt", ".rtf"}
_HEAD_BYTES = 65536
_EOF_WINDOW = 1024
_TERMINAL = (".", "!", "?", ":", ";")
_CLOSERS = "\"'”’)]"


def read_document(path: str | Path, *, metadata: bool = True,
                  sha256: str | None = None) -> Document:
    """Read a PDF, DOCX, HTML, text or Markdown file, or raise `DocumentReadError` saying why.

    The format is chosen by content (`sniff`). Metadata from a manifest or folder names
    (see `framingclf.documents`) is added, and a manifest's `title` replaces the file's
    own; ``metadata=False`` leaves both out, giving only what the content says (batch
    scoring caches results by content and adds the metadata of each path itself).
    """
    from framingclf.inputs import source_metadata

    path = Path(path)
    head, found_sha256, size = _probe(path, hash_it=sha256 is None)
    sha256 = sha256 or found_sha256
    if size == 0:
        raise DocumentReadError(f"{path}: empty file (0 bytes); nothing to score — "
                                "download or export it again")
    kind = sniff(path, head)
    document = _READERS[kind](path, sha256=sha256)
    if not metadata:
        return document
    found = source_metadata(path)
    title = found.pop("title", None)
    document.metadata.update(found)
    if title:
        document.title = title
    return document


def sniff(path: str | Path, head: bytes | None = None) -> str:
    """The reader for a file by its content: "pdf", "docx", "html" or "text".

    Raises `DocumentReadError` for content framingclf cannot read, naming what it is.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if head is None:
        head = _probe(path)[0]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    for magic, what, todo in _UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            raise _unsupported(path, what, todo)
    sample = _text_sample(head)
    if sample is None:
        raise _unsupported(path, "a binary file", "pass the document itself")
    if _looks_like_html(sample, suffix):
        return "html"
    if suffix in _TEXT_OK_SUFFIXES:
        return "text"
    raise _unsupported(path, f"a {suffix} file (data, not a document)",
                       "if it is prose, save it as .txt")


# --------------------------------------------------------------------------- probing

_UNSUPPORTED_MAGIC = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office 97-2003 file (.doc, .xls or .ppt)",
     "open it in Word and save it as .docx or PDF"),
    (b"{\\rtf", "an RTF file", "open it in Word and save it as .docx or PDF"),
    (b"\x89PNG", "an image (PNG)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"\xff\xd8\xff", "an image (JPEG)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"GIF8", "an image (GIF)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"II*\x00", "an image (TIFF)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"MM\x00*", "an image (TIFF)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"\x1f\x8b", "a gzip archive", "unpack it and pass the documents inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and pass the documents inside"),
    (b"Rar!", "a RAR archive", "unpack it and pass the documents inside"),
]


def _unsupported(path: Path, what: str, todo: str) -> DocumentReadError:
    return DocumentReadError(f"{path}: {what}, which framingclf cannot read (it reads "
                             f"{SUPPORTED}); {todo}")


def _probe(path: Path, hash_it: bool = True) -> tuple[bytes, str, int]:
    """The first bytes, SHA-256 (when `hash_it`) and size of a file, read in chunks."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
            if not hash_it:
                return head, "", os.fstat(handle.fileno()).st_size
            digest.update(head)
            size = len(head)
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        raise DocumentReadError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise DocumentReadError(f"{path}: is a folder; pass files, or the folder to "
                                "`framingclf score` which reads its files") from None
    except OSError as exc:
        raise DocumentReadError(f"{path}: cannot be read ({exc.strerror}); check its "
                                "permissions") from None
    return head, digest.hexdigest(), size


def content_hash(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as its `Document.sha256` will be; raises
    `DocumentReadError` when the file cannot be read."""
    return _probe(Path(path))[1]


def _sha256(path: Path, sha256: str | None) -> str:
    return sha256 or _probe(path)[1]


def _text_sample(head: bytes) -> str | None:
    """The start of the file as text, or None if it looks binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[:4096].decode("utf-16", errors="ignore")
    sample = head[:4096]
    controls = sum(byte < 9 or 13 < byte < 32 for byte in sample if byte != 12)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        return None
    return sample.decode("utf-8", errors="ignore")


def _looks_like_html(sample: str, suffix: str) -> bool:
    start = sample.lstrip("\ufeff \t\r\n")[:4096].lower()
    if start.startswith(("<!doctype html", "<html")):
        return True
    return start.startswith("<") and (
        suffix in HTML_SUFFIXES or any(tag in start for tag in ("<html", "<body", "<head")))


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = (archive.read("mimetype")[:100].decode("ascii", "ignore")
                        if "mimetype" in names else "")
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise DocumentReadError(
            f"{path}: damaged or truncated ZIP-based file such as .docx ({exc}); open it "
            "in Word and save it again, or download it again") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise _unsupported(path, "an Excel workbook", "save the prose you want as .docx")
    if "ppt/presentation.xml" in names:
        raise _unsupported(path, "a PowerPoint file", "save it as PDF")
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise _unsupported(path, "an OpenDocument file (.odt, .ods or .odp)",
                           "save it as .docx or PDF")
    raise _unsupported(path, "a ZIP archive", "unzip it and pass the documents inside")


# --------------------------------------------------------------------------- shared steps

@dataclass
class _Raw:
    """A block before cleaning: items of wrapped lines (one item unless it is a list)."""

    items: list[list[str]]
    page: int
    kind: str = "paragraph"  # "paragraph", "heading", "table" or "list" (a bulleted list)
    level: int = 0
    page_end: int = 0
    after_break: bool = False  # starts a page or column: may continue the paragraph before
    size: float = 0.0  # font size of a PDF heading, ranked into `level` at the end


def _finish(raws: Iterable[_Raw], keep_hyphens: set[str] | frozenset = frozenset(),
            *, cleaned: bool = False) -> list[Block]:
    """Clean and join raw blocks' lines; rejoin paragraphs broken by a page or column.

    `cleaned` says the lines have been through `clean_line` already.
    """
    clean = (lambda line: line) if cleaned else clean_line
    blocks: list[Block] = []
    for raw in raws:
        if raw.kind == "table":
            text = "\n".join(clean(line) for item in raw.items for line in item)
            text = "\n".join(line for line in text.split("\n") if line)
        else:
            items = [join_lines([clean(line) for line in item], keep_hyphens)
                     for item in raw.items]
            if raw.kind == "list":
                items = [bullet_item(item) or "• " + item for item in items if item]
            text = "\n".join(item for item in items if item)
        if not text:
            continue
        page_end = max(raw.page, raw.page_end)
        previous = blocks[-1] if blocks else None
        if (raw.after_break and raw.kind == "paragraph" and previous is not None
                and previous.kind == "paragraph" and _continues(previous.text, text)):
            previous.text = join_lines([previous.text, text], keep_hyphens)
            previous.page_end = page_end
            continue
        kind = "paragraph" if raw.kind == "list" else raw.kind
        blocks.append(Block(text, raw.page, kind, level=raw.level, page_end=page_end))
    return assign_heading_paths(blocks)


def _continues(before: str, after: str) -> bool:
    """Whether `after` (starting a page or column) goes on with the paragraph `before`.

    Yes when `before` does not end a sentence and either `after` starts in lowercase or
    `before` is prose (not a list) ending on a lowercase word ("... quintile from").
    """
    if before.rstrip(_CLOSERS).endswith(_TERMINAL):
        return False
    last = before.split()[-1] if before.split() else ""
    return after[:1].islower() or (not before.startswith("• ") and last[:1].islower())


def _title(blocks: list[Block], path: Path, embedded: str | None = None) -> str:
    """The embedded title if it is not a file name, else the first heading, else the stem."""
    if embedded:
        embedded = collapse_whitespace(embedded)
        junk = (not embedded or embedded.lower() in {"untitled", "title", "document"}
                or embedded.lower().startswith("microsoft word - ")
                or re.search(r"\.(docx?|pdf|pptx?|odt|rtf|html?)$", embedded, re.I))
        if not junk:
            return embedded[:200]
    heading = next((b.text for b in blocks if b.kind == "heading"), None)
    return (heading or path.stem)[:200]


# --------------------------------------------------------------------------- PDF

@dataclass(slots=True)
class _Line:
    text: str
    x0: float
    top: float  # baseline of the line's first row (PDF points, upwards)
    bottom: float  # baseline of its last row (pdfium joins rows it de-hyphenated)
    size: float
    bold: bool = False
    cells: list[str] | None = None  # set when the line is a table row


@dataclass(slots=True)
class _Page:
    lines: list[_Line]
    height: float
    has_images: bool = False
    edges: list[int] = field(default_factory=list)  # indices of top/bottom lines


def read_pdf(path: str | Path, *, sha256: str | None = None) -> Document:
    """Read a PDF page by page with pypdfium2 (rules in the module docstring)."""
    import pypdfium2 as pdfium

    path = Path(path)
    sha256 = _sha256(path, sha256)
    _check_pdf_end(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _pdf_open_error(path, exc) from None
    pages: list[_Page] = []
    try:
        for index in range(len(pdf)):
            pages.append(_read_pdf_page(pdf, index, path))
        info = pdf.get_metadata_dict(skip_empty=True)
    finally:
        pdf.close()
    n_pages = len(pages)
    if n_pages == 0:
        raise DocumentReadError(f"{path}: PDF has no pages; export it again")
    blank = [i + 1 for i, page in enumerate(pages) if not page.lines]
    if len(blank) == n_pages:
        if any(page.has_images for page in pages):
            raise DocumentReadError(
                f"{path}: no text layer (its {n_pages} page(s) are images, as in a scan); "
                "run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and read the result")
        raise DocumentReadError(f"{path}: no text on any of its {n_pages} page(s); "
                                "nothing to read")
    blocks = _pdf_blocks(pages)
    metadata = {"pages_without_text": blank} if blank else {}
    return Document(path=str(path), sha256=sha256, title=_title(blocks, path, info.get("Title")),
                    blocks=blocks, n_pages=n_pages, metadata=metadata, format="pdf")


def _check_pdf_end(path: Path) -> None:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - _EOF_WINDOW))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise DocumentReadError(f"{path}: truncated PDF (no %%EOF end marker: the file was "
                                "cut short); download or copy it again")


def _pdf_open_error(path: Path, exc: Exception) -> DocumentReadError:
    code = getattr(exc, "err_code", None)
    if code == 4:
        return DocumentReadError(
            f"{path}: password-protected PDF; save an unprotected copy (e.g. `qpdf --decrypt "
            "--password=PASSWORD in.pdf out.pdf`) and read that")
    if code == 5:
        return DocumentReadError(f"{path}: PDF uses an unsupported security handler; save "
                                 "an unprotected copy and read that")
    return DocumentReadError(f"{path}: damaged PDF, pdfium cannot open it ({exc}); download "
                             "it again, or open it in a PDF viewer and save a new copy")


def _read_pdf_page(pdf, index: int, path: Path) -> _Page:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise DocumentReadError(f"{path}: page {index + 1}: cannot be read ({exc}); open the "
                                "PDF in a viewer and save a new copy") from None
    try:
        height = page.get_height()
        textpage = page.get_textpage()
        try:
            lines = _pdf_lines(textpage, height)
        finally:
            textpage.close()
        has_images = False
        if not lines:
            has_images = any(True for _ in page.get_objects(
                filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
    finally:
        page.close()
    return _Page(lines, height, has_images)


def _pdf_lines(textpage, height: float) -> list[_Line]:
    """The page's lines in pdfium's order, with position, font size and table cells.

    Kept to a few pdfium calls a line: bold is looked up only where a heading can start
    (after a gap, or after a bold line), and cells only outside the page's margins.
    """
    import pypdfium2.raw as pdfium_c

    text = textpage.get_text_range()
    if not text.strip():
        return []
    raw = textpage.raw
    same_index = len(text) == pdfium_c.FPDFText_CountChars(raw)
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    rect_refs = [ctypes.byref(v) for v in (left, top, right, bottom)]
    to_char, origin = pdfium_c.FPDFText_GetCharIndexFromTextIndex, pdfium_c.FPDFText_GetCharOrigin
    font_size, count_rects = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_CountRects
    get_rect = pdfium_c.FPDFText_GetRect
    margin = 0.08 * height
    lines: list[_Line] = []
    offset = 0
    for line in text.split("\r\n"):  # pdfium ends every line with CR LF
        line_start, offset = offset, offset + len(line) + 2
        stripped = line.strip()
        if not stripped:
            continue
        start = line_start + len(line) - len(line.lstrip())
        end = start + len(stripped) - 1
        if "\n" in stripped or "\r" in stripped:  # a bare break inside the text itself
            stripped = stripped.replace("\n", " ").replace("\r", " ")
        first, last = (start, end) if same_index else (to_char(raw, start), to_char(raw, end))
        if first < 0 or last < first:
            first, last = start, end
        origin(raw, first, x_ref, y_ref)
        x0, y_first = x.value, y.value
        y_last = y_first
        if "\ufffe" in stripped:  # rows pdfium joined: the last row's baseline
            origin(raw, last, x_ref, y_ref)
            y_last = y.value
        size = font_size(raw, first) or 10.0
        entry = _Line(stripped, x0, y_first, y_last, size)
        n_rects = count_rects(raw, first, last - first + 1)
        if n_rects > 1 and margin < y_first < height - margin:
            rects = []
            for k in range(n_rects):
                get_rect(raw, k, *rect_refs)
                rects.append((left.value, top.value, right.value, bottom.value))
            entry.cells = _table_cells(raw, stripped, start, rects, size, same_index)
        prev = lines[-1] if lines else None
        if prev is None or prev.bold or prev.bottom - y_first > 1.5 * size:
            entry.bold = _is_bold(raw, first)
        lines.append(entry)
    return lines


def _table_cells(raw, text: str, start: int, rects: list[tuple], size: float,
                 same_index: bool) -> list[str] | None:
    """Cell texts if the line's first row sits in runs parted by wide gaps, else None.

    `start` is the line's index in the page text; `same_index` says that text indices
    are pdfium's char indices (else they are translated).
    """
    import pypdfium2.raw as pdfium_c

    first_top, first_bottom = rects[0][1], rects[0][3]
    row = sorted((r for r in rects if first_bottom - 1 <= (r[1] + r[3]) / 2 <= first_top + 1),
                 key=lambda r: r[0])
    starts = []  # where each cell after the first begins
    right = row[0][2]
    for left, top, r_right, bottom in row[1:]:
        if left - right > 1.5 * size:
            starts.append((left, (top + bottom) / 2))
        right = max(right, r_right)
    if not starts or "\ufffe" in text:
        return None
    cuts = [0]
    for x, y in starts:
        index = pdfium_c.FPDFText_GetCharIndexAtPos(raw, x + 0.5, y, size / 2, size / 2)
        if index >= 0 and not same_index:
            index = pdfium_c.FPDFText_GetTextIndexFromCharIndex(raw, index)
        if not cuts[-1] < index - start < len(text):
            return None
        cuts.append(index - start)
    cells = [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)])]
    if bullet_item(cells[0] + " x") == "• x" or re.fullmatch(r"\(?\w{1,3}[.)]", cells[0]):
        return None  # a bullet or list number set apart from its text
    return cells


def _is_bold(raw, index: int) -> bool:
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600:
        return True
    flags = ctypes.c_int()
    buffer = ctypes.create_string_buffer(128)
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, 128, ctypes.byref(flags))
    name = buffer.value.decode("latin-1", "ignore").lower()
    return bool(flags.value & (1 << 18)) or any(w in name for w in ("bold", "black", "heavy"))


def _pdf_blocks(pages: list[_Page]) -> list[Block]:
    """Drop running lines and page numbers, group lines into blocks, classify and clean."""
    for page in pages:
        for line in page.lines:
            if "\ufffe" in line.text:  # rows pdfium joined at a hyphen it removed
                *broken, last = line.text.split("\ufffe")
                line.text = "\n".join([*(clean_line(row + "-") for row in broken),
                                       clean_line(last)])
            else:
                line.text = clean_line(line.text)
        order = sorted(range(len(page.lines)), key=lambda i: page.lines[i].top)
        zone = 0.08 * page.height  # running heads and feet sit in the outer 8%
        page.edges = [i for i in {*order[:2], *order[-2:]}
                      if page.lines[i].top < zone or page.lines[i].top > page.height - zone]
    running = find_running_lines([[p.lines[i].text for i in p.edges] for p in pages])
    sizes: Counter = Counter()
    for page in pages:
        drop = {i for i in page.edges
                if is_page_number(page.lines[i].text) or running_key(page.lines[i].text)
                in running}
        page.lines = [line for i, line in enumerate(page.lines) if i not in drop]
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    raws = [raw for number, page in enumerate(pages, start=1)
            for raw in _group_lines(page.lines, number, body)]
    sizes_seen = sorted({raw.size for raw in raws if raw.kind == "heading"}, reverse=True)
    for raw in raws:
        if raw.kind == "heading":
            raw.level = sizes_seen.index(raw.size) + 1
    broken = any(line.text.endswith("-") or "-\n" in line.text
                 for page in pages for line in page.lines)
    keep = hyphenated_words("\n".join(line.text for page in pages for line in page.lines)
                            ) if broken else frozenset()
    return _finish(raws, keep, cleaned=True)


# First characters of lines that may be bullets (see `cleaning.bullet_item`).
_BULLET_STARTS = frozenset("\u2022\u25cf\u25aa\u25a0\u25e6\u25cb\u2023\u2043\u2219\u00b7"
                           "\u27a2\u25ba\u25b6\u2713\u2714\u2756\uf0b7\uf0a7\uf076\uf0d8"
                           "\uf0fc\uf06e\uf0a8-*\u2013\u2014 ")


def _group_lines(lines: list[_Line], page: int, body: float) -> list[_Raw]:
    """Lines of one page into raw blocks (headings, tables, list items, paragraphs)."""
    pitch = _line_spacing(lines, body)
    groups: list[tuple[list[_Line], bool]] = []
    current: list[_Line] = []
    current_is_list = False
    after_break = True
    widest, last_row = 0, ""
    for line in lines:
        if current:
            prev = current[-1]
            gap = prev.bottom - line.top
            usual = pitch(prev.size)
            jumped = gap < -2 * usual
            is_item = line.text[:1] in _BULLET_STARTS and bullet_item(line.text) is not None
            in_list = current_is_list
            rows = prev.cells is not None and line.cells is not None
            new = (jumped or gap > (3 if rows else 1.3) * usual
                   or abs(line.size - prev.size) >= 1.0
                   or (is_item and not in_list)
                   or (in_list and not is_item and line.x0 <= current[0].x0 + 1)
                   # a short last line ending a sentence ends the paragraph
                   or (not in_list and len(current) > 1 and len(last_row) < 0.7 * widest
                       and last_row.rstrip(_CLOSERS).endswith((".", "!", "?"))))
            if new:
                groups.append((current, after_break))
                current, after_break, widest = [], jumped, 0
        if not current:
            current_is_list = (line.text[:1] in _BULLET_STARTS
                               and bullet_item(line.text) is not None)
        current.append(line)
        rows = line.text.split("\n") if "\n" in line.text else [line.text]
        widest, last_row = max(widest, *map(len, rows)), rows[-1]
    if current:
        groups.append((current, after_break))
    raws: list[_Raw] = []
    for group, broke in groups:
        for raw in _classify(group, page, body, broke):
            if raw.kind == "table" and raws and raws[-1].kind == "table":
                raws[-1].items[0].extend(raw.items[0])  # rows split by padding: one table
            else:
                raws.append(raw)
    return raws


def _line_spacing(lines: list[_Line], body: float):
    """A function giving the page's usual baseline-to-baseline spacing for a font size.

    For each size, the commonest spacing between consecutive lines of that size (the
    smaller on a tie); for a size with fewer than three such pairs, at most the body
    spacing scaled to the size, since two lines may be two paragraphs.
    """
    by_size: dict[float, Counter] = {}
    for a, b in pairwise(lines):
        spacing = a.bottom - b.top
        if abs(a.size - b.size) < 0.5 and 0 < spacing < 2.5 * a.size:
            size = round(a.size * 2) / 2
            counts = by_size.get(size)
            if counts is None:
                counts = by_size[size] = Counter()
            counts[round(spacing * 2) / 2] += 1

    def mode(counts: Counter) -> float:
        return min(counts, key=lambda value: (-counts[value], value))

    base = mode(by_size[body]) if body in by_size else 1.2 * body

    memo: dict[float, float] = {}

    def spacing(size: float) -> float:
        if size not in memo:
            counts = by_size.get(round(size * 2) / 2)
            scaled = base * size / body
            memo[size] = (scaled if not counts else mode(counts)
                          if sum(counts.values()) >= 3 else min(mode(counts), scaled))
        return memo[size]

    return spacing


def _classify(group: list[_Line], page: int, body: float, after_break: bool) -> list[_Raw]:
    left = min(line.x0 for line in group)
    tabular, moved_up, has_cells = 0, False, False
    for i, line in enumerate(group):
        up = i > 0 and line.top > group[i - 1].bottom + 0.5
        moved_up |= up
        has_cells |= line.cells is not None
        tabular += (line.cells is not None or up or (line.x0 > left + 4 * line.size
                                                     and bullet_item(line.text) is None))
    if tabular * 2 >= len(group) and (has_cells or moved_up):
        rows = [" | ".join(line.cells) if line.cells else line.text.replace("\n", "")
                for line in group]
        return [_Raw([rows], page, "table")]
    if bullet_item(group[0].text) is not None:
        items: list[list[str]] = []
        for line in group:
            if bullet_item(line.text) is not None or not items:
                items.append([])
            items[-1].extend(line.text.split("\n"))
        return [_Raw(items, page, "list")]
    texts = [row for line in group for row in line.text.split("\n")]
    words = sum(len(t.split()) for t in texts)
    size = group[0].size
    looks_heading = (len(group) <= 3 and words <= 25 and not texts[-1].endswith((".", ","))
                     and (size >= body + 0.9 or (all(line.bold for line in group)
                                                 and size >= body - 0.5)))
    if looks_heading:
        return [_Raw([[" ".join(texts)]], page, "heading", size=round(size * 2) / 2)]
    return [_Raw([texts], page, "paragraph", after_break=after_break)]


# --------------------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: str | Path, *, sha256: str | None = None) -> Document:
    """Read a Word .docx file's body (rules in the module docstring)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    path = Path(path)
    sha256 = _sha256(path, sha256)
    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError,
            OSError) as exc:
        raise DocumentReadError(f"{path}: damaged Word file ({exc}); open it in Word and "
                                "save it again as .docx") from None
    body = word.element.body
    reader = _DocxReader(
        styles=_docx_style_levels(word),
        rendered=next(body.iter(f"{_W}lastRenderedPageBreak"), None) is not None)
    reader.walk(body)
    blocks = _finish(reader.raws)
    title = word.core_properties.title or next(
        (" ".join(r.items[0]) for r in reader.raws if r.kind == "heading" and r.level == 1
         and r.page == 1), None)
    return Document(path=str(path), sha256=sha256, title=_title(blocks, path, title),
                    blocks=blocks, n_pages=reader.page, format="docx")


def _docx_style_levels(word) -> dict[str, tuple[int, str]]:
    """Style id -> (heading level or 0, "list", "toc" or "" for other styles)."""
    levels = {}
    for style in word.styles:
        if getattr(style, "type", None) != 1:  # WD_STYLE_TYPE.PARAGRAPH
            continue
        level, kind, current = 0, "", style
        for _ in range(6):
            if current is None:
                break
            name = (current.name or "").lower()
            match = re.fullmatch(r"heading (\d)", name)
            outline = current.element.find(f"{_W}pPr/{_W}outlineLvl")
            if name == "title":
                level = 1
            elif name == "subtitle":
                level = 2
            elif match:
                level = int(match.group(1))
            elif outline is not None and outline.get(f"{_W}val", "9").isdigit() \
                    and int(outline.get(f"{_W}val")) < 9:
                level = int(outline.get(f"{_W}val")) + 1
            if name.startswith(("list", "toc")):
                kind = "toc" if name.startswith("toc") else "list"
            if level or kind:
                break
            current = current.base_style
        levels[style.style_id] = (level, kind)
    return levels


class _DocxReader:
    """Walks a Word body in order, counting pages and collecting raw blocks."""

    def __init__(self, styles: dict, rendered: bool) -> None:
        self.styles, self.rendered = styles, rendered
        self.page, self.raws, self.in_list = 1, [], False

    def walk(self, parent) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                self.paragraph(child)
            elif tag == f"{_W}tbl":
                self.table(child)
            elif tag == f"{_W}sdt":
                gallery = child.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
                if gallery is not None and "contents" in gallery.get(f"{_W}val", "").lower():
                    self.count_breaks(child)  # the table of contents: skipped
                    continue
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    self.walk(content)

    def paragraph(self, p) -> None:
        ppr = p.find(f"{_W}pPr")
        style = ppr.find(f"{_W}pStyle") if ppr is not None else None
        level, kind = self.styles.get(style.get(f"{_W}val") if style is not None else
                                      "Normal", (0, ""))
        if ppr is not None:
            before = ppr.find(f"{_W}pageBreakBefore")
            if not self.rendered and before is not None and \
                    before.get(f"{_W}val", "true") not in ("false", "0"):
                self.page += 1
            outline = ppr.find(f"{_W}outlineLvl")
            if outline is not None and outline.get(f"{_W}val", "9").isdigit():
                value = int(outline.get(f"{_W}val"))
                level = value + 1 if value < 9 else 0
            if ppr.find(f"{_W}numPr") is not None and not kind:
                kind = "list"
        text, first_page = self.text(p)
        if text.strip() and kind != "toc":
            previous = self.raws[-1] if self.raws else None
            if kind == "list" and not level and previous is not None \
                    and previous.kind == "list" and self.in_list:
                previous.items.append([text])  # consecutive list paragraphs: one list
                previous.page_end = self.page
            else:
                block_kind = "heading" if level else ("list" if kind == "list" else "paragraph")
                self.raws.append(_Raw([[text]], first_page, block_kind, level=level,
                                      page_end=self.page))
            self.in_list = kind == "list" and not level
        section = ppr.find(f"{_W}sectPr") if ppr is not None else None
        if section is not None and not self.rendered:
            kind_el = section.find(f"{_W}type")
            if kind_el is None or kind_el.get(f"{_W}val") != "continuous":
                self.page += 1

    def text(self, element) -> tuple[str, int]:
        """The element's text and the page where it starts; page breaks are counted."""
        parts, first_page = [], None
        for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr",
                                 f"{_W}noBreakHyphen", f"{_W}lastRenderedPageBreak"):
            tag = node.tag
            if tag == f"{_W}t":
                if node.text:
                    first_page = first_page or self.page
                    parts.append(node.text)
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}lastRenderedPageBreak":
                self.page += self.rendered
            elif tag == f"{_W}br" and node.get(f"{_W}type") == "page":
                self.page += not self.rendered
            else:
                parts.append(" ")
        return "".join(parts), first_page or self.page

    def count_breaks(self, element) -> None:
        self.text(element)

    def table(self, tbl) -> None:
        rows = tbl.findall(f"{_W}tr")
        if max((len(row.findall(f"{_W}tc")) for row in rows), default=0) <= 1:
            for row in rows:  # a one-column table is a layout box: read its paragraphs
                for cell in row.findall(f"{_W}tc"):
                    self.walk(cell)
            return
        start, lines = self.page, []
        for row in rows:
            cells = []
            for cell in row.findall(f"{_W}tc"):
                texts = [self.text(p)[0] for p in cell.iter(f"{_W}p")]
                cells.append(collapse_whitespace(" ".join(texts)))
            if any(cells):
                lines.append(" | ".join(cells))
        if lines:
            self.raws.append(_Raw([lines], start, "table", page_end=self.page))
            self.in_list = False


# --------------------------------------------------------------------------- HTML

_HTML_DROP_TAGS = {"script", "style", "noscript", "template", "svg", "canvas", "iframe",
                   "object", "embed", "nav", "aside", "form", "button", "select", "input",
                   "textarea", "dialog", "menu", "footer", "link", "meta", "head"}
_HTML_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary",
                    "dialog", "alertdialog", "menu", "menubar"}
_HTML_DROP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|breadcrumbs?|skip-?link|sr-only|visually-hidden|"
    r"share|social|sidebar|navbar|menu|pagination|newsletter|feedback)(?:$|[\s_-])", re.I)
_HTML_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "blockquote", "pre",
                    "address", "figure", "figcaption", "dl", "dt", "dd", "ul", "ol", "li",
                    "tr", "td", "th", "caption", "thead", "tbody", "tfoot", "hr", "fieldset",
                    "details", "summary", "body", "html", "center", "table"}
_HTML_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BREAK_BEFORE = re.compile(r"(?:page-break-before\s*:\s*always|break-before\s*:\s*page)", re.I)
_BREAK_AFTER = re.compile(r"(?:page-break-after\s*:\s*always|break-after\s*:\s*page)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def read_html(path: str | Path, *, sha256: str | None = None) -> Document:
    """Read the main text of an HTML page (rules in the module docstring)."""
    import lxml.etree
    import lxml.html

    path = Path(path)
    sha256 = _sha256(path, sha256)
    data = path.read_bytes()
    text = _decode_html(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DocumentReadError(f"{path}: HTML cannot be parsed ({exc}); save the page "
                                "again from a browser") from None
    page_title = root.findtext(".//title") or ""
    og_title = root.xpath("string(//meta[@property='og:title']/@content)")
    main = _html_main(root)
    _strip_boilerplate(main, keep_header=main.tag in ("main", "article")
                       or main.get("role") == "main")
    walker = _HtmlWalker()
    walker.walk(main)
    walker.flush()
    blocks = _finish(walker.raws)
    if not blocks:
        raise DocumentReadError(f"{path}: HTML page has no main text; save the page itself, "
                                "not a frame or redirect")
    h1 = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    title = h1 or og_title or page_title.split(" | ")[0]
    return Document(path=str(path), sha256=sha256, title=_title(blocks, path, title),
                    blocks=blocks, n_pages=walker.page, format="html")


def _decode_html(data: bytes, path: Path) -> str:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return _decode_text(data, path)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return _decode_text(data, path)


def _html_main(root):
    for query in ("//main", "//*[@role='main']"):
        found = root.xpath(query)
        if found:
            return found[0]
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    body = root.find("body")
    return body if body is not None else root


def _strip_boilerplate(root, *, keep_header: bool) -> None:
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            doomed.append(element)  # comments and processing instructions
            continue
        tag = element.tag.lower()
        style = element.get("style", "").replace(" ", "").lower()
        if (tag in _HTML_DROP_TAGS or (tag == "header" and not keep_header)
                or element.get("role", "").lower() in _HTML_DROP_ROLES
                or element.get("hidden") is not None
                or element.get("aria-hidden", "").lower() == "true"
                or "display:none" in style or "visibility:hidden" in style
                or _HTML_DROP_CLASS.search(" ".join([element.get("class", ""),
                                                     element.get("id", "")]))):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


class _HtmlWalker:
    """Walks the main element like a browser lays it out: block elements start blocks."""

    def __init__(self) -> None:
        self.raws: list[_Raw] = []
        self.buffer: list[str] = []
        self.context = ["paragraph"]
        self.page = 1

    def flush(self) -> None:
        text = collapse_whitespace(" ".join("".join(self.buffer).split()))
        self.buffer = []
        if text:
            self.raws.append(_Raw([[text]], self.page, self.context[-1]))

    def walk(self, element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        style = element.get("style", "")
        if _BREAK_BEFORE.search(style):
            self.flush()
            self.page += 1
        if tag in _HTML_HEADINGS:
            self.flush()
            text = collapse_whitespace(element.text_content())
            if text:
                self.raws.append(_Raw([[text]], self.page, "heading",
                                      level=_HTML_HEADINGS[tag]))
        elif tag == "table" and not _layout_table(element):
            self.flush()
            self.table(element)
        elif tag == "br":
            self.buffer.append(" ")
        elif tag in ("ul", "ol") and "item" not in self.context:
            self.flush()  # one list (with any lists inside it) is one block
            start = len(self.raws)
            self.context.append("item")
            self.children(element)
            self.flush()
            self.context.pop()
            inside = self.raws[start:]
            if inside and all(raw.kind == "item" for raw in inside):
                self.raws[start:] = [_Raw([raw.items[0] for raw in inside], inside[0].page,
                                          "list", page_end=inside[-1].page)]
        elif tag in _HTML_BLOCK_TAGS:
            self.flush()
            self.context.append("item" if tag == "li" or self.context[-1] == "item"
                                else "paragraph")
            self.children(element)
            self.flush()
            self.context.pop()
        else:
            self.children(element)
        if _BREAK_AFTER.search(style):
            self.flush()
            self.page += 1

    def children(self, element) -> None:
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.buffer.append(child.tail)

    def table(self, table) -> None:
        lines = [collapse_whitespace(c) for c in table.xpath("./caption//text()")]
        lines = [" ".join(line for line in lines if line)] if any(lines) else []
        for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            cells = [collapse_whitespace(cell.text_content()) for cell in row.xpath("./td|./th")]
            if any(cells):
                lines.append(" | ".join(cells))
        if lines:
            self.raws.append(_Raw([lines], self.page, "table"))


def _layout_table(table) -> bool:
    if table.get("role", "").lower() in ("presentation", "none"):
        return True
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    return max((len(row.xpath("./td|./th")) for row in rows), default=0) <= 1


# --------------------------------------------------------------------------- text

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
    blocks = _finish(raws, hyphenated_words(text))
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


_READERS = {"pdf": read_pdf, "docx": read_docx, "html": read_html, "text": read_text}
