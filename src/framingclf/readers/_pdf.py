"""PDF reader (pypdfium2): each page's lines with their geometry; `_layout` makes the blocks.

Pages are read one at a time, each closed before the next, so memory does not grow with
the page count. pdfium gives a page's text as lines in the producer's order (rows it
de-hyphenated come joined at a U+FFFE marker). For each line a few pdfium calls, never one
per character, give where it starts and ends, its baseline, its effective font size and
whether it is rotated or bold, all taken at a letter near the line's middle (away from a
larger first word or a superscript). The effective size is the font size times the scale
of the character's matrix, so text set with ``Tf 1`` and scaled by the text matrix, as
InDesign and PDFMaker write it, reads at its printed size; bold is a weight of 540 or
more, or a bold font name (word processors' PDFs often describe a bold font with weight
400, so a heading set in body type would read as the start of its paragraph). These
rules use a few more calls where they apply:

- a page shown rotated (/Rotate 90, 180 or 270: a landscape table drawn sideways, a
  scan's text layer) has its objects turned, in memory, as they are seen, so that its
  lines read upright; so does a page most of whose characters (60%) run sideways or
  upside down without /Rotate (a landscape appendix printed on a portrait page);
- a line holding a U+FFFE marker after which the text goes on more than 24 points higher
  up the page is two lines, parted after the marker: a word hyphenated at the foot of a
  column whose end is at the top of the next ("plan-" / "ning"), which pdfium joins;
- superscript numbers fused to words ("England11", "18311", "research29,30") are removed
  when their characters sit raised above the line's baseline (not a figure's decimals
  or thousands: "25.9", "1,234");
- a line in regular type whose first letter is bold has its bold run measured (up to 60
  characters): a run-in title ("Gender There were ...", "Summary: The ..."), which
  `_layout` may part from its paragraph;
- on a page whose text is mostly invisible (an OCR layer over a scan), lines from 30%
  below to 15% above the page's commonest size take that size: OCR sets a line's size
  from its letters' height, which swings that much between lines of one paragraph;
- a line much wider than its characters need (15% more than the page's usual width per
  character, or any line on a page whose usual line is spread out) may hold runs parted
  by wide gaps: its cells (pdfium's text rectangles, cut at gaps over 1.5 times the font
  size) make it a table row; on a page with such rows, so may a line starting where
  their cells start and running past where the next one starts (a row whose cells are
  full reads no wider than prose).

Errors name the file (and page): truncated files (no ``%%EOF`` in the last 1,024 bytes),
damaged files, passwords, unsupported security, no pages, and pages without a text layer.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

from framingclf.errors import DocumentReadError
from framingclf.readers._cleaning import clean_line, colon_end, is_plain
from framingclf.readers._common import _sha256
from framingclf.readers._document import Document
from framingclf.readers._flow import pdf_blocks
from framingclf.readers._layout import _MARKER_CELL, Line, Page, _same_line
from framingclf.readers._titles import choose_title

_EOF_WINDOW = 1024
_WORD_CHAR = re.compile(r"[^\W_]")
# Digits fused to a word or closing punctuation (not a number's decimals or thousands,
# "25.9", "1,234"), or 1-2 digits after a 4-digit number.
_SUPERSCRIPT = re.compile(
    r"(?:(?<=[^\W\d_])|(?<![0-9][.,])(?<=[.,;:)\]’”]))\d{1,3}(?:,\d{1,3})*(?=[\s.,;:)\]]|$)"
    r"|(?<=\d{4})\d{1,2}(?=[\s.,;:)\]]|$)")
_DIGIT = re.compile(r"[0-9]").search
_HYPHEN_MARK = re.compile("[\ufffe\x02]")  # pdfium's mark of a hyphen it joined lines at
_COLUMN_JUMP = 24.0  # points up the page from a hyphen to its word's end: another column
_SPREAD = 0.52  # ems of width per character above which a page's lines are all checked
_LEAD_REACH = 60  # characters: a bold run opening a line further than this is no run-in
_SIDEWAYS = 0.6  # share of a page's characters in sideways text above which the page is turned
_INVISIBLE = 3  # pdfium's text render mode for invisible text (an OCR layer)
_OCR_SWING = (0.3, 0.15)  # how far an OCR line's size strays below and above its paragraph's


def read_pdf(path: str | Path, *, sha256: str | None = None) -> Document:
    """Read a PDF page by page with pypdfium2 (rules in this module's docstring)."""
    import pypdfium2 as pdfium

    path = Path(path)
    sha256 = _sha256(path, sha256)
    _check_pdf_end(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _pdf_open_error(path, exc) from None
    pages: list[Page] = []
    try:
        for index in range(len(pdf)):
            pages.append(_read_page(pdf, index, path))
        info = pdf.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError as exc:
        raise DocumentReadError(f"{path}: damaged PDF ({exc}); open it in a viewer and save "
                                "a new copy") from None
    finally:
        pdf.close()
    _check_text(path, pages)
    blocks, largest = pdf_blocks(pages)
    blank = [page.number for page in pages if not page.lines]
    metadata = {"pages_without_text": blank} if blank else {}
    title = choose_title(path, [info.get("Title"), largest], blocks)
    return Document(path=str(path), sha256=sha256, title=title, blocks=blocks,
                    n_pages=len(pages), metadata=metadata, format="pdf")


def _check_pdf_end(path: Path) -> None:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - _EOF_WINDOW))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise DocumentReadError(f"{path}: truncated PDF (no %%EOF end marker: the file was "
                                "cut short); download or copy it again")


def _check_text(path: Path, pages: list[Page]) -> None:
    n_pages = len(pages)
    if n_pages == 0:
        raise DocumentReadError(f"{path}: PDF has no pages; export it again")
    if any(page.lines for page in pages):
        return
    if any(page.has_images for page in pages):
        raise DocumentReadError(
            f"{path}: no text layer (its {n_pages} page(s) are images, as in a scan); "
            "run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) and read the result")
    raise DocumentReadError(f"{path}: no text on any of its {n_pages} page(s); "
                            "nothing to read")


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


def _read_page(pdf, index: int, path: Path) -> Page:
    """One page's lines; pdfium's page and text page are closed before returning."""
    import pypdfium2.raw as pdfium_c

    page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
    if not page:
        raise DocumentReadError(f"{path}: page {index + 1}: cannot be read (pdfium error "
                                f"{pdfium_c.FPDF_GetLastError()}); open the PDF in a viewer "
                                "and save a new copy")
    try:
        width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        rotation = pdfium_c.FPDFPage_GetRotation(page)
        if rotation in (1, 2, 3):
            _turn_upright(page, rotation)
        textpage = pdfium_c.FPDFText_LoadPage(page)
        try:
            lines, turn = _page_lines(textpage) if textpage else ([], 0)
            if turn:  # the page's text runs sideways: read it as the page turned shows it
                pdfium_c.FPDFText_ClosePage(textpage)
                _turn_upright(page, turn)
                textpage = pdfium_c.FPDFText_LoadPage(page)
                lines = _page_lines(textpage)[0] if textpage else []
                if turn != 2:
                    width, height = height, width
        finally:
            if textpage:
                pdfium_c.FPDFText_ClosePage(textpage)
        has_images = not lines and _has_images(page)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    return Page(index + 1, lines, width, height, has_images)


def _turn_upright(page, rotation: int) -> None:
    """Turn a page shown rotated (/Rotate 90, 180 or 270) so that its objects sit as they
    are seen, in memory only: a landscape table drawn sideways and rotated for display
    then reads as upright lines instead of rotated labels."""
    import pypdfium2.raw as pdfium_c

    box = pdfium_c.FS_RECTF()
    pdfium_c.FPDF_GetPageBoundingBox(page, box)
    matrix = {1: (0, -1, 1, 0, -box.bottom, box.right),  # quarter turns clockwise
              2: (-1, 0, 0, -1, box.right, box.top),
              3: (0, 1, -1, 0, box.top, -box.left)}[rotation]
    for k in range(pdfium_c.FPDFPage_CountObjects(page)):
        pdfium_c.FPDFPageObj_Transform(pdfium_c.FPDFPage_GetObject(page, k), *matrix)
    pdfium_c.FPDFPage_SetRotation(page, 0)


def _has_images(page) -> bool:
    import pypdfium2.raw as pdfium_c

    for k in range(pdfium_c.FPDFPage_CountObjects(page)):
        kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, k))
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            return True
    return False


def _page_text(textpage) -> tuple[str, int]:
    """The page's text (as `get_text_range` gives it) and pdfium's character count."""
    import pypdfium2.raw as pdfium_c

    n_chars = pdfium_c.FPDFText_CountChars(textpage)
    if n_chars <= 0:
        return "", 0
    buffer = ctypes.create_string_buffer(2 * (n_chars + 1))
    written = pdfium_c.FPDFText_GetText(textpage, 0, n_chars,
                                        ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    data = buffer.raw[:2 * max(written - 1, 0)]
    return data.decode("utf-16-le", errors="replace"), n_chars


@lru_cache(maxsize=1)
def _calls() -> SimpleNamespace:
    """pdfium's per-character functions with plain pointer arguments (addresses as
    integers), which ctypes converts faster than pypdfium2's typed pointers."""
    import pypdfium2.raw as pdfium_c

    def fast(func, restype, *argtypes):
        function = type(func)(ctypes.cast(func, ctypes.c_void_p).value)
        function.restype, function.argtypes = restype, argtypes
        return function

    p, i, d = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
    return SimpleNamespace(
        origin=fast(pdfium_c.FPDFText_GetCharOrigin, i, p, i, p, p),
        font_size=fast(pdfium_c.FPDFText_GetFontSize, d, p, i),
        matrix=fast(pdfium_c.FPDFText_GetMatrix, i, p, i, p),
        box=fast(pdfium_c.FPDFText_GetCharBox, i, p, i, p, p, p, p),
        weight=fast(pdfium_c.FPDFText_GetFontWeight, i, p, i),
        font_info=fast(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong, p, i, p, ctypes.c_ulong, p),
        char_index=fast(pdfium_c.FPDFText_GetCharIndexFromTextIndex, i, p, i))


def _letter_near_middle(text: str) -> int:
    """The index of a letter at or after the middle of `text` (else before it, else a
    character that is not a space): a line's size and weight are taken there, away from
    a larger first word or a superscript."""
    middle = len(text) // 2
    for index in range(middle, min(len(text), middle + 12)):
        if text[index].isalpha():
            return index
    for index in range(middle - 1, max(-1, middle - 24), -1):
        if text[index].isalpha():
            return index
    if text[middle].isspace():  # no letter ("9.6 9.4"), and a space pdfium inserted
        # between text objects has no font of its own: take a character before it
        return next((i for i in range(middle, -1, -1) if not text[i].isspace()), 0)
    return middle


def _page_lines(textpage) -> tuple[list[Line], int]:
    """The page's lines in pdfium's order, with their geometry (module docstring), and the
    quarter turns clockwise (1 to 3) that would make upright the sideways or upside-down
    text holding most of the page's characters (0 when most are upright)."""
    text, n_chars = _page_text(textpage)
    if not text.strip():
        return [], 0
    chars = _Chars(textpage, len(text) == n_chars)
    lines = chars.lines(text)
    if _invisible(textpage, n_chars):
        _even_sizes(lines)
    turn, count = max(chars.turns.items(), key=lambda item: item[1], default=(0, 0))
    return lines, turn if count > _SIDEWAYS * sum(len(line.text) for line in lines) else 0


def _invisible(textpage, n_chars: int) -> bool:
    """Whether most of a page's text is drawn invisible (render mode 3): an OCR text layer
    over a scanned image, from Tesseract or ocrmypdf (sampled at up to 9 characters)."""
    import pypdfium2.raw as pdfium_c

    modes = []
    for index in range(0, n_chars, max(1, n_chars // 8)):
        found = pdfium_c.FPDFText_GetTextObject(textpage, index)
        if found:
            modes.append(pdfium_c.FPDFTextObj_GetTextRenderMode(found))
    return bool(modes) and sum(mode == _INVISIBLE for mode in modes) > 0.5 * len(modes)


def _even_sizes(lines: list[Line]) -> None:
    """An OCR layer's lines at one size where they are body text: OCR sets each line's size
    from the height of its letters, which in one paragraph swings a quarter below its
    size (no capitals or ascenders) and a seventh above (`_OCR_SWING`), so lines within
    that band of the page's commonest size take that size; headings set a fifth larger
    or more, and smaller text, keep their own."""
    below, above = _OCR_SWING
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size)] += len(line.text)
    if not weights:
        return
    body = max(weights, key=lambda size: (sum(w for s, w in weights.items()
                                               if -below * size <= s - size <= above * size),
                                          size))
    for line in lines:
        if -below * body <= line.size - body <= above * body:
            line.size = float(body)


class _Chars:
    """pdfium's per-character calls for one text page, with reused ctypes buffers."""

    def __init__(self, textpage, same_index: bool) -> None:
        import pypdfium2.raw as pdfium_c

        self.c, self.textpage, self.same_index = pdfium_c, textpage, same_index
        self.fast = _calls()
        self.raw = ctypes.cast(textpage, ctypes.c_void_p).value
        self.values = (ctypes.c_double * 4)()
        base = ctypes.addressof(self.values)
        self.slots = [base + 8 * k for k in range(4)]
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_address = ctypes.addressof(self.matrix)
        self.name, self.flags = ctypes.create_string_buffer(128), ctypes.c_int()
        self.name_address = ctypes.addressof(self.name)
        self.flags_address = ctypes.addressof(self.flags)
        self.bold_fonts: dict[bytes, bool] = {}
        self.turns: Counter[int] = Counter()  # characters of sideways text, by quarter turn

    def index(self, text_index: int) -> int:
        if self.same_index:
            return text_index
        found = self.fast.char_index(self.raw, text_index)
        return found if found >= 0 else text_index

    def y(self, index: int) -> float:
        self.fast.origin(self.raw, index, self.slots[0], self.slots[1])
        return self.values[1]

    def bold_by_name(self, index: int) -> bool:
        """Bold by the font's name or flags (cached by name), whatever weight it claims."""
        self.fast.font_info(self.raw, index, self.name_address, 128, self.flags_address)
        key = self.name.value
        found = self.bold_fonts.get(key)
        if found is None:
            name = key.decode("latin-1", "ignore").lower()
            found = self.bold_fonts[key] = bool(self.flags.value & (1 << 18)) or any(
                word in name for word in ("bold", "black", "heavy", "semibold", "demi"))
        return found

    def lines(self, text: str) -> list[Line]:
        """Every line of the page's `text`, measured; pieces of one line joined."""
        measured: list[tuple[Line, int, str]] = []
        offset = 0
        for row in text.split("\r\n"):  # pdfium ends every line with CR LF
            start, offset = offset, offset + len(row) + 2
            stripped = row.strip()
            if not stripped:
                continue
            if len(stripped) != len(row):
                start += len(row) - len(row.lstrip())
            if "\n" in stripped or "\r" in stripped:  # a bare break in the text itself
                stripped = stripped.replace("\n", " ").replace("\r", " ")
            for piece, at in self.rows(stripped, start):
                measured.append((self.line(piece, at), at, piece))
        self.find_cells(measured)
        out: list[Line] = []
        for line, _, _ in measured:
            prev = out[-1] if out else None
            if prev is None or abs(line.y - prev.y) > 0.3 * prev.size \
                    or not _same_line(prev, line):
                out.append(line)
        return out

    def rows(self, text: str, start: int) -> list[tuple[str, int]]:
        """`text` (at text index `start`) parted after each hyphen marker whose word
        goes on higher up the page: pdfium joins a word hyphenated at the foot of a
        column with its end at the top of the next one ("plan-" / "ning") into one line,
        which would span both columns."""
        if "\ufffe" not in text and "\x02" not in text:
            return [(text, start)]
        pieces, begin = [], 0
        for match in _HYPHEN_MARK.finditer(text, 1, len(text) - 1):
            cut = match.end()
            above = self.y(self.index(start + cut)) - self.y(self.index(start + cut - 2))
            if above > _COLUMN_JUMP:
                pieces.append((text[begin:cut], start + begin))
                begin = cut
        pieces.append((text[begin:], start + begin))
        return pieces

    def find_cells(self, measured: list[tuple[Line, int, str]]) -> None:
        """Cells of lines much wider, for their characters, than the page's usual line."""
        spreads = sorted((line.x1 - line.x0) / (len(text) * line.size)
                         for line, _, text in measured if len(text) >= 6 and not line.rotated)
        if not spreads:
            return
        usual = spreads[len(spreads) // 2]
        # on a page whose usual line is itself spread out (a wide font, or rows of cells)
        # every line is looked at
        factor = 1.15 if usual < _SPREAD else 0.0
        edges: list[float] = []  # where the cells of the rows found start
        for line, start, text in measured:
            if (len(text) >= 6 and not line.rotated
                    and line.x1 - line.x0 > (factor * usual * len(text) + 2) * line.size):
                self.set_cells(line, start, text)
                edges.extend(line.cell_x or ())
        if len(edges) < 2:
            return
        # a row whose cells are full reads no wider than prose: on a page with a table,
        # a line starting where a cell starts and running past where the next one
        # starts is looked at too
        edges = sorted(set(round(x) for x in edges))
        for line, start, text in measured:
            if line.cells is None and len(text) >= 6 and not line.rotated and any(
                    abs(line.x0 - a) < 0.5 * line.size and line.x1 > b + line.size
                    for a, b in pairwise(edges)):
                self.set_cells(line, start, text)

    def set_cells(self, line: Line, start: int, text: str) -> None:
        found = self.cells(text, start, line.size)
        if found:
            line.cells = [clean_line(cell.replace("\x1f", "fi")) for cell in found[0]]
            line.cell_x = found[1]

    def line(self, text: str, start: int) -> Line:
        """A line of `text` starting at text index `start`, measured (module docstring)."""
        fast, raw, values, slots = self.fast, self.raw, self.values, self.slots
        lead = 0
        if not text[0].isalnum():  # a bullet or a quote: measure the first word instead
            word = _WORD_CHAR.search(text)
            lead = word.start() if word else 0
        first, last = start + lead, start + len(text) - 1
        half = len(text) // 2
        middle = start + (half if text[half].isalpha() else _letter_near_middle(text))
        if not self.same_index:
            first, last, middle = self.index(first), self.index(last), self.index(middle)
        fast.origin(raw, first, slots[0], slots[1])
        x0, y = values[0], values[1]
        size, rotated = fast.font_size(raw, middle), False
        if fast.matrix(raw, middle, self.matrix_address):
            m = self.matrix
            size *= math.sqrt(abs(m.a * m.d - m.b * m.c)) or 1.0
            rotated = abs(m.b) + abs(m.c) > 0.1 * (abs(m.a) + abs(m.d))
            if rotated and abs(m.b) > 2 * abs(m.a):  # running up (1) or down (3) the page
                self.turns[1 if m.b > 0 else 3] += len(text)
            elif m.a < 0 and abs(m.a) > 2 * abs(m.b):  # upside down
                self.turns[2] += len(text)
        size = size or 10.0
        fast.box(raw, last, *slots)  # left, right, bottom, top
        x1 = values[1] if values[1] > x0 else x0
        weight = fast.weight(raw, middle)
        bold = weight >= 540 or self.bold_by_name(middle)
        y_last = self.y(last) if ("\ufffe" in text or "\x02" in text) else y
        line = Line(text, x0, x1, y, y_last, size, bold, rotated)
        opening = text[lead:lead + 1]
        if not bold and not rotated and (opening.isupper() or opening.isdigit()) and (
                fast.weight(raw, first) >= 540 or self.bold_by_name(first)):
            line.lead = self.bold_lead(text, start)  # a run-in title opens with a capital
        if not rotated and _DIGIT(text) and _SUPERSCRIPT.search(text, lead):
            line.text = self.drop_superscripts(text, start, y, size)
        if not is_plain(line.text) and "\ufffe" not in text and "\x02" not in text:
            line.text = clean_line(line.text.replace("\x1f", "fi"))
        else:
            line.text = colon_end(line.text)
        return line

    def bold_lead(self, text: str, start: int) -> str:
        """The bold run opening a line set in regular type (a run-in heading: "Gender",
        "Recommendation:"), if it stops within its first 60 characters, else ""."""
        weight, raw = self.fast.weight, self.raw
        for i in range(min(len(text), _LEAD_REACH)):
            if text[i].isspace():
                continue
            index = self.index(start + i)
            if weight(raw, index) < 540 and not self.bold_by_name(index):
                return text[:i].strip()
        return ""

    def drop_superscripts(self, text: str, start: int, baseline: float, size: float) -> str:
        """`text` without digit runs whose characters sit raised above the baseline."""
        pieces, kept = [], 0
        for match in _SUPERSCRIPT.finditer(text):
            raised = all(self.y(self.index(start + i)) - baseline > 0.2 * size
                         for i in (match.start(), match.end() - 1))
            if raised:
                pieces.append(text[kept:match.start()])
                kept = match.end()
        if not kept:
            return text
        pieces.append(text[kept:])
        return "".join(pieces)

    def cells(self, text: str, start: int, size: float) -> tuple[list[str], list[float]] | None:
        """The line's cells and their left edges, if its first row sits in runs parted by
        wide gaps, else None."""
        c, textpage = self.c, self.textpage
        first = self.index(start)
        count = self.index(start + len(text) - 1) - first + 1
        n_rects = c.FPDFText_CountRects(textpage, first, count)
        if n_rects < 2 or "\ufffe" in text:
            return None
        left, top, right, bottom = (ctypes.c_double() for _ in range(4))
        rects = []
        for k in range(n_rects):
            c.FPDFText_GetRect(textpage, k, left, top, right, bottom)
            rects.append((left.value, top.value, right.value, bottom.value))
        first_top, first_bottom = rects[0][1], rects[0][3]
        row = sorted((r for r in rects if first_bottom - 1 <= (r[1] + r[3]) / 2 <= first_top + 1),
                     key=lambda r: r[0])
        cuts, lefts, edge = [0], [row[0][0]], row[0][2]
        for r_left, r_top, r_right, r_bottom in row[1:]:
            if r_left - edge > 1.5 * size:
                index = c.FPDFText_GetCharIndexAtPos(textpage, r_left + 0.5,
                                                    (r_top + r_bottom) / 2, size / 2, size / 2)
                if index >= 0 and not self.same_index:
                    index = c.FPDFText_GetTextIndexFromCharIndex(textpage, index)
                if not cuts[-1] < index - start < len(text):
                    return None
                cuts.append(index - start)
                lefts.append(r_left)
            edge = max(edge, r_right)
        if len(cuts) < 2:
            return None
        cells = [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)])]
        if len(cells) == 2 and _MARKER_CELL.fullmatch(cells[0]):
            return None  # a bullet or a number set apart from its text, not a cell (with
            # more cells after it, a row's reference: "2.1 | Publish ... | Director ...")
        return cells, lefts
