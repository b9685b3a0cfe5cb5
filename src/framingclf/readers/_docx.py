"""DOCX reader (python-docx): the body's paragraphs, headings, lists and tables in order."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from framingclf.errors import DocumentReadError
from framingclf.readers._cleaning import collapse_whitespace
from framingclf.readers._common import _finish, _Raw, _sha256, _title
from framingclf.readers._document import Document

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

