"""PDF reader (pypdfium2): lines with position and size, grouped into blocks."""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from framingclf.errors import DocumentReadError
from framingclf.readers._cleaning import (
    bullet_item,
    clean_line,
    find_running_lines,
    hyphenated_words,
    is_page_number,
    running_key,
)
from framingclf.readers._common import _CLOSERS, _finish, _Raw, _sha256, _title
from framingclf.readers._document import Block, Document

_EOF_WINDOW = 1024


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

