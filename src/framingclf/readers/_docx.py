"""DOCX reader: a Word file's body, read from its XML parts with zipfile and lxml.

Only the parts that hold text are unpacked (document, styles, footnotes, endnotes, core
properties), each within a budget of `MAX_UNPACKED` bytes in all, so a zip bomb is a clear
error rather than gigabytes in memory; XML entities are never expanded. Rules:

- The body is read in order: paragraphs, tables and content controls (also those around
  a table's rows or cells); a control still showing its prompt is skipped. Running
  headers and footers live in other parts and are never read; deleted text is skipped.
- Headings: "Title" (level 1), "Subtitle" (2), "Heading N" (N) and outline levels, by
  style or inherited; "TOC Heading" is a heading. Where a document uses no heading
  styles, a short paragraph (at most 12 words, not ending like a sentence) all in bold
  or all in capitals is a heading (level 2), and such a line run into a paragraph by a
  line break is split off as one. A bold run opening a paragraph in regular type that
  reads as a title (`_blocks.run_in_title`: "Summary: The ...") is a label over it, a
  heading of `LABEL_LEVEL`; bold emphasis ("DO NOT include ...") stays in its sentence.
- Lists: list styles (not "List Paragraph", a list only where Word numbers it), numbered
  paragraphs and bullets or item numbers typed by hand ("•<tab>...", "1.<tab>damp
  ..."); consecutive items make one list. Word's
  automatic numbers are not in the text, and are not added. A paragraph Word numbers
  like a section ("%1.%2": the 2.1, 2.2 of report templates), a short one in bold (a
  numbered heading) and one of a paragraph's length (two sentences or 40 words) are not
  list items but paragraphs and headings (`word/numbering.xml` says how each level is
  numbered; bullets are always items).
- A plain paragraph starting with a lowercase word after a paragraph or list item that
  stops without . ! ? : or ; goes on with it: Enter was pressed mid-sentence. Lines a
  paragraph breaks by hand (Shift+Enter) are items of a list when they read as items
  set one to a line (`_blocks.broken_lines`), else its lines.
- Kinds: caption styles give captions, "TOC N" styles and paragraphs inside a table of
  contents (a content control or a TOC field) give contents.
- Tables: one row per line, cells parted by " | "; a one-column table is a layout box,
  read as paragraphs. In a table of labels and values (two cells a row, short labels or
  a form's questions: a report's cover sheet, a glossary, an impact assessment; a
  quarter of its rows may hold more cells, as a header set across a layout table does)
  a value that says something (six words or more, mostly lowercase) is read as its cell's
  paragraphs, headed by its label, and so is a label set across the table over such a
  value set across the row below; a value naming the paper, its people or its meeting
  ("Report title", "Author") stays in the table, however long; in other
  tables such cells (an action, a commitment) go to a list after the table (a cell of
  two sentences or more, or 40 words, to a paragraph of its own), unless a third of the
  cells are figures.
- Text boxes are read once, after the paragraph they are anchored in: the drawing's own
  text, never its `mc:Fallback` copy. A short box (under 80 words: a call-out) has no
  headings, so its title does not head the text after it.
- Footnotes and endnotes become footnote blocks after the paragraph that cites them (after
  the list, when the paragraph leads into one).
- Pages are counted at Word's last rendered page breaks when the file has them (files
  saved by Word), else at explicit page and section breaks.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from framingclf.errors import DocumentReadError
from framingclf.readers._blocks import (
    _CLOSERS,
    LABEL_LEVEL,
    NUMBERED_ITEM,
    _finish,
    _Raw,
    broken_lines,
    label_above,
    labels_and_values,
    names_a_thing,
    run_in_label,
    stands_alone,
    states,
    table_raws,
)
from framingclf.readers._cleaning import bullet_item, collapse_whitespace
from framingclf.readers._common import _sha256
from framingclf.readers._document import Document
from framingclf.readers._titles import choose_title

MAX_UNPACKED = 200 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TXBX = _W + "txbxContent"
_INLINE_CONTAINERS = {_W + tag for tag in ("hyperlink", "smartTag", "ins", "fldSimple",
                                           "customXml", "sdtContent", "sdt", "dir", "bdo",
                                           "moveTo")}
_BLOCK_CONTAINERS = {_W + tag for tag in ("customXml", "ins", "moveTo")}
_DRAWINGS = {_W + "drawing", _W + "pict", _W + "object"}
_TERMINAL = (".", "!", "?", ";", ",")
_RUN_ON = re.compile(r"[a-z][a-z'’-]*(?:[ ,]|$)")
_SIMPLE = {"tab": " ", "ptab": " ", "noBreakHyphen": "-"}


def read_docx(path: str | Path, *, sha256: str | None = None) -> Document:
    """Read a Word .docx file's body (rules in this module's docstring)."""
    path = Path(path)
    sha256 = _sha256(path, sha256)
    parts = _unpack(path)
    styles = _Styles(parts.get("word/styles.xml"))
    notes = {**_notes(parts.get("word/footnotes.xml"), "footnote"),
             **_notes(parts.get("word/endnotes.xml"), "endnote")}
    body = parts["word/document.xml"].find(f"{_W}body")
    if body is None:
        raise DocumentReadError(f"{path}: Word file without a document body; open it in "
                                "Word and save it again as .docx")
    rendered = next(body.iter(f"{_W}lastRenderedPageBreak"), None) is not None
    walker = _Walker(styles, notes, rendered, _numbering(parts.get("word/numbering.xml")))
    walker.walk(body)
    walker.flush_notes()
    blocks = _finish(walker.raws)
    if not blocks:
        raise DocumentReadError(f"{path}: no text in this Word file (it may hold only images "
                                "or be blank); nothing to read")
    opening = next((b.text for b in blocks if b.page == 1 and b.kind in ("heading", "paragraph")
                    and len(b.text.split()) <= 20 and not b.text.endswith(".")), None)
    title = choose_title(path, [_core_title(parts.get("docProps/core.xml")), walker.title,
                                opening], blocks)
    return Document(path=str(path), sha256=sha256, title=title, blocks=blocks,
                    n_pages=walker.page, format="docx")


# --------------------------------------------------------------------------- parts

_PARTS = ("word/document.xml", "word/styles.xml", "word/footnotes.xml", "word/endnotes.xml",
          "word/numbering.xml", "docProps/core.xml")


def _unpack(path: Path) -> dict:
    """The parsed XML parts the reader uses, within the unpacking budget."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    damaged = (f"{path}: damaged Word file ({{}}); open it in Word and save it again as "
               ".docx, or download it again")
    parts, budget = {}, MAX_UNPACKED
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if _PARTS[0] not in names:
                raise DocumentReadError(damaged.format("no word/document.xml"))
            for name in (n for n in _PARTS if n in names):
                info = archive.getinfo(name)
                if info.file_size > budget:
                    raise DocumentReadError(
                        f"{path}: {name} unpacks to {info.file_size / 2**20:,.0f} MB, more "
                        f"than the {MAX_UNPACKED // 2**20} MB framingclf unpacks from a "
                        "Word file (a damaged file or a zip bomb); open it in Word and "
                        "save it again, or remove large embedded content")
                with archive.open(info) as handle:
                    data = handle.read(info.file_size)
                budget -= len(data)
                parts[name] = etree.fromstring(data, parser)
    except DocumentReadError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError,
            ValueError, etree.XMLSyntaxError) as exc:
        raise DocumentReadError(damaged.format(f"{type(exc).__name__}: {exc}")) from None
    return parts


def _core_title(core) -> str | None:
    if core is None:
        return None
    found = core.find("{http://purl.org/dc/elements/1.1/}title")
    return found.text if found is not None else None


class _Styles:
    """Paragraph styles: heading level, kind ("list", "toc", "caption" or "") and bold."""

    def __init__(self, root) -> None:
        self.raw: dict[str, tuple] = {}
        self.default = "Normal"
        for style in (root.iter(f"{_W}style") if root is not None else ()):
            if style.get(f"{_W}type") != "paragraph":
                continue
            style_id = style.get(f"{_W}styleId", "")
            if style.get(f"{_W}default") in ("1", "true"):
                self.default = style_id
            name = style.find(f"{_W}name")
            based = style.find(f"{_W}basedOn")
            outline = style.find(f"{_W}pPr/{_W}outlineLvl")
            self.raw[style_id] = (
                (name.get(f"{_W}val", "") if name is not None else "").lower(),
                based.get(f"{_W}val") if based is not None else None,
                _int(outline.get(f"{_W}val")) if outline is not None else None,
                _is_on(style.find(f"{_W}rPr/{_W}b")))
        self.memo: dict[str, tuple[int, str, bool]] = {}

    def get(self, style_id: str | None) -> tuple[int, str, bool]:
        style_id = style_id or self.default
        if style_id not in self.memo:
            self.memo[style_id] = self._resolve(style_id, 0)
        return self.memo[style_id]

    def _resolve(self, style_id: str | None, depth: int) -> tuple[int, str, bool]:
        if style_id not in self.raw or depth > 8:
            return 0, "", False
        name, based, outline, bold = self.raw[style_id]
        heading = re.fullmatch(r"heading (\d)", name)
        if name == "title" or name == "toc heading":
            return 1, "", bold
        if name == "subtitle":
            return 2, "", bold
        if heading or (outline is not None and outline < 9):
            return (int(heading.group(1)) if heading else outline + 1), "", bold
        if name.startswith("toc"):
            return 0, "toc", bold
        if "caption" in name:
            return 0, "caption", bold
        if name.startswith("list") and name != "list paragraph":
            return 0, "list", bold  # "List Paragraph" is only a list where Word numbers it
        level, kind, inherited = self._resolve(based, depth + 1)
        return level, kind, bold or inherited


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _is_on(element) -> bool:
    return element is not None and element.get(f"{_W}val", "true") not in ("false", "0", "off")


def _notes(root, kind: str) -> dict[tuple[str, str], str]:
    """(kind, id) -> the text of each footnote or endnote, separators and empties left out."""
    found = {}
    for note in (root.iter(f"{_W}{kind}") if root is not None else ()):
        if note.get(f"{_W}type") in ("separator", "continuationSeparator",
                                     "continuationNotice"):
            continue
        texts = []
        for p in note.iter(f"{_W}p"):
            inline = _Inline()
            inline.read(p)
            texts.append(collapse_whitespace(" ".join("".join(inline.text).split())))
        text = " ".join(t for t in texts if t)
        if text:
            found[(kind, note.get(f"{_W}id", ""))] = text
    return found


# --------------------------------------------------------------------------- paragraphs

class _Inline:
    """A paragraph's runs: text, page breaks, bold, text boxes, notes cited, fields."""

    def __init__(self, rendered: bool = True) -> None:
        self.text: list[str] = []
        self.rendered = rendered
        self.breaks = 0  # page breaks seen (counted by the walker)
        self.breaks_before_text: int | None = None  # page breaks before the first text
        self.bold = True  # every run with text is bold
        self.lead: list[str] = []  # the bold runs before the first regular text
        self.leading = True  # no regular text yet
        self.boxes: list = []
        self.notes: list[tuple[str, str]] = []
        self.fields: list[str] = []  # "begin", "end" and instructions, in order

    def read(self, element, style_bold: bool = False) -> None:
        for node in element:
            tag = node.tag
            if tag == f"{_W}r":
                self._run(node, style_bold)
            elif tag in _INLINE_CONTAINERS:
                if tag != f"{_W}sdt" or node.find(f"{_W}sdtPr/{_W}showingPlcHdr") is None:
                    self.read(node, style_bold)  # not a control showing its prompt
            elif tag == f"{_MC}AlternateContent":
                choice = node.find(f"{_MC}Choice")
                if choice is not None:
                    self.read(choice, style_bold)

    def _run(self, run, style_bold: bool) -> None:
        props = run.find(f"{_W}rPr")
        bold = style_bold if props is None or props.find(f"{_W}b") is None \
            else _is_on(props.find(f"{_W}b"))
        for node in run:
            tag = node.tag[len(_W):] if node.tag.startswith(_W) else node.tag
            if tag == "t":
                if node.text:
                    self._add_text(node.text, bold)
            elif tag in _SIMPLE:
                self.text.append(_SIMPLE[tag])
            elif tag in ("br", "cr"):
                self._break(node)
            elif node.tag in _DRAWINGS or node.tag == f"{_MC}AlternateContent":
                self._boxes(node)
            else:
                self._mark(tag, node)

    def _mark(self, tag: str, node) -> None:
        """Page breaks, notes cited and field codes in a run."""
        if tag == "lastRenderedPageBreak":
            self.breaks += self.rendered
        elif tag in ("footnoteReference", "endnoteReference"):
            self.notes.append((tag[:-9], node.get(f"{_W}id", "")))
        elif tag == "fldChar":
            self.fields.append(node.get(f"{_W}fldCharType", ""))
        elif tag == "instrText":
            self.fields.append((node.text or "").strip())

    def _add_text(self, text: str, bold: bool) -> None:
        self.text.append(text)
        self.bold &= bold or not text.strip()
        if self.leading:
            if bold or not text.strip():
                self.lead.append(text)
            else:
                self.leading = False
        if self.breaks_before_text is None and text.strip():
            self.breaks_before_text = self.breaks

    def _break(self, node) -> None:
        if node.get(f"{_W}type") == "page":
            self.breaks += not self.rendered
        elif node.get(f"{_W}type") != "column":
            self.text.append("\n")

    def _boxes(self, node) -> None:
        if node.tag == f"{_MC}AlternateContent":
            node = node.find(f"{_MC}Choice")
            if node is None:
                return
        for box in node.iter(_TXBX):
            if not any(a.tag == _TXBX or a.tag == f"{_MC}Fallback"
                       for a in box.iterancestors()):
                self.boxes.append(box)


class _Walker:
    """Walks a Word body in order, counting pages and collecting raw blocks."""

    def __init__(self, styles: _Styles, notes: dict, rendered: bool,
                 numbering: dict[tuple[str, str], tuple[str, str]] | None = None) -> None:
        self.styles, self.notes, self.rendered = styles, notes, rendered
        self.numbering = numbering or {}
        self.page, self.in_list = 1, False
        self.raws: list[_Raw] = []
        self.title: str | None = None
        self.toc_depth, self.field_depth = -1, 0
        self.pending_notes: list[str] = []  # notes cited, placed after the list or paragraph

    def flush_notes(self) -> None:
        """Place the notes cited so far, as footnote blocks."""
        for text in self.pending_notes:
            self.raws.append(_Raw([[text]], self.page, "footnote"))
        self.pending_notes = []

    def walk(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == f"{_W}p":
                self.paragraph(child)
            elif tag == f"{_W}tbl":
                self.table(child)
            elif tag == f"{_W}sdt":
                self.content_control(child)
            elif tag in _BLOCK_CONTAINERS:
                self.walk(child)
            elif tag == f"{_MC}AlternateContent":
                choice = child.find(f"{_MC}Choice")
                if choice is not None:
                    self.walk(choice)

    def content_control(self, sdt) -> None:
        content = sdt.find(f"{_W}sdtContent")
        if content is None or sdt.find(f"{_W}sdtPr/{_W}showingPlcHdr") is not None:
            return  # a control showing its prompt ("Describe any risk ..."), not filled in
        gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
        is_toc = gallery is not None and "contents" in gallery.get(f"{_W}val", "").lower()
        start = len(self.raws)
        self.walk(content)
        if is_toc:
            for raw in self.raws[start:]:
                if raw.kind != "heading":
                    raw.kind = "contents"

    def paragraph(self, p) -> None:
        ppr = p.find(f"{_W}pPr")
        style = ppr.find(f"{_W}pStyle") if ppr is not None else None
        level, kind, style_bold = self.styles.get(
            style.get(f"{_W}val") if style is not None else None)
        if ppr is not None:
            level, kind = self._paragraph_properties(ppr, level, kind)
        inline = _Inline(self.rendered)
        inline.read(p, style_bold)
        in_toc = self._fields(inline.fields)
        first_page = self.page + (inline.breaks_before_text or 0)
        self.page += inline.breaks
        text = "".join(inline.text)
        if kind == "list" and ppr is not None and self._numbered_paragraph(ppr, text,
                                                                           inline.bold):
            kind = ""
        if text.strip():
            if in_toc or kind == "toc":
                kind = "contents"
            lead = "" if inline.bold else "".join(inline.lead).strip()
            self._add(text, level, kind, inline.bold, first_page, lead)
        for box in inline.boxes:
            start = len(self.raws)
            self.walk(box)
            _untitle_call_out(self.raws[start:])
        self.pending_notes.extend(self.notes[note] for note in inline.notes if note in self.notes)
        self._section_break(ppr)

    def _paragraph_properties(self, ppr, level: int, kind: str) -> tuple[int, str]:
        before = ppr.find(f"{_W}pageBreakBefore")
        if not self.rendered and _is_on(before):
            self.page += 1
        outline = ppr.find(f"{_W}outlineLvl")
        value = _int(outline.get(f"{_W}val")) if outline is not None else None
        if value is not None:
            level = value + 1 if value < 9 else 0
        if ppr.find(f"{_W}numPr") is not None and not kind and not level:
            kind = "list"
        return level, kind

    def _numbered_paragraph(self, ppr, text: str, bold: bool) -> bool:
        """Whether a paragraph Word numbers is a numbered paragraph or heading rather than
        a list's item: numbered like a section ("%1.%2": 2.1, 2.2, as report templates
        number their paragraphs), a short line in bold (a numbered heading), or a
        paragraph's length (two sentences or more, or 40 words). Bullets are items."""
        number = ppr.find(f"{_W}numPr")
        if number is None:
            return False
        ilvl, num_id = number.find(f"{_W}ilvl"), number.find(f"{_W}numId")
        key = (num_id.get(f"{_W}val", "") if num_id is not None else "",
               ilvl.get(f"{_W}val", "0") if ilvl is not None else "0")
        fmt, pattern = self.numbering.get(key, ("", ""))
        if fmt == "bullet" or key[0] == "0":  # numId 0: numbering taken off
            return False
        line = collapse_whitespace(text)
        return (pattern.count("%") >= 2 or (bold and _pseudo_heading(line, True))
                or stands_alone(line))

    def _fields(self, fields: list[str]) -> bool:
        """Track field nesting; whether this paragraph is inside a table of contents."""
        inside = self.toc_depth >= 0
        for field in fields:
            if field == "begin":
                self.field_depth += 1
            elif field == "end":
                if self.field_depth == self.toc_depth:
                    self.toc_depth = -1
                self.field_depth = max(0, self.field_depth - 1)
            elif field.upper().startswith("TOC") and self.toc_depth < 0:
                self.toc_depth = self.field_depth
                inside = True
        return inside

    def _add(self, text: str, level: int, kind: str, bold: bool, page: int,
             lead: str = "") -> None:
        lines = [line for line in (collapse_whitespace(t) for t in text.split("\n")) if line]
        if not lines:
            return
        label = run_in_label(lead, lines, page) \
            if not level and kind not in ("list", "contents", "caption") else None
        if label is not None:  # a run-in title in bold ("Summary: The ..."): a label over it
            self.flush_notes()
            self.raws.append(label)
            self.in_list = False
        if not kind and not level and (bullet_item(lines[0]) is not None
                                       or NUMBERED_ITEM.match(lines[0])):
            kind = "list"  # a bullet or an item number typed by hand ("•<tab>...", "1.<tab>to")
        if kind != "list":
            self.flush_notes()
        if level:
            heading = " ".join(lines)
            self.title = self.title or (heading if level == 1 and page == 1 else None)
            self.raws.append(_Raw([[heading]], page, "heading", level=level, page_end=self.page))
            self.in_list = False
            return
        if kind not in ("list", "contents", "caption"):
            if len(lines) > 1 and _pseudo_heading(lines[0], bold=False):
                self.raws.append(_Raw([[lines.pop(0)]], page, "heading", level=2,
                                      page_end=page))
            elif len(lines) == 1 and _pseudo_heading(lines[0], bold):
                self.raws.append(_Raw([lines], page, "heading", level=2, page_end=self.page))
                self.in_list = False
                return
        previous = self.raws[-1] if self.raws else None
        if kind == "list" and self.in_list and previous is not None and previous.kind == "list":
            previous.items.append(lines)
            previous.page_end = self.page
        elif not kind and previous is not None and previous.kind in ("paragraph", "list") \
                and _runs_on(previous.items[-1][-1], lines[0]):
            previous.items[-1].extend(lines)  # Enter pressed mid-sentence
            previous.page_end = self.page
            return
        elif not kind and len(lines) >= 3:  # lines broken by hand: items, or one paragraph
            self.raws.extend(broken_lines(lines, page, self.page))
        else:
            self.raws.append(_Raw([lines], page, kind or "paragraph", page_end=self.page))
        self.in_list = kind == "list"

    def _section_break(self, ppr) -> None:
        section = ppr.find(f"{_W}sectPr") if ppr is not None else None
        if section is not None and not self.rendered:
            kind = section.find(f"{_W}type")
            if kind is None or kind.get(f"{_W}val") != "continuous":
                self.page += 1

    def table(self, tbl) -> None:
        rows = [_children(row, "tc") for row in _children(tbl, "tr")]
        if max(map(len, rows), default=0) <= 1:
            for cells in rows:  # a one-column table is a layout box: read its paragraphs
                for cell in cells:
                    self.walk(cell)
            return
        self.flush_notes()
        start = self.page
        read = [[self._cell(cell) for cell in cells] for cells in rows]
        texts = [[text for text, _ in row] for row in read]
        pairs = [row for row in texts if len(row) <= 2]
        if labels_and_values(texts) or (len(pairs) >= 0.75 * len(texts)
                                        and labels_and_values(pairs)):
            # labels and values, give or take a row of more cells (a header set across)
            self._labelled_table(rows, read)
        else:
            self.page += sum(breaks for row in read for _, breaks in row)
            self.raws.extend(table_raws(texts, start, self.page))
            for kind in ("footnote", "endnote"):  # notes cited in the cells, after the table
                self.pending_notes.extend(
                    self.notes[(kind, ref.get(f"{_W}id", ""))]
                    for ref in tbl.iter(f"{_W}{kind}Reference")
                    if (kind, ref.get(f"{_W}id", "")) in self.notes)
            self.flush_notes()
        self.in_list = False

    def _labelled_table(self, rows: list, read: list[list[tuple[str, int]]]) -> None:
        """A table of labels and values (`table_raws`), each value that says something
        read as its cell's paragraphs (and lists), so that a cover sheet's summary keeps
        its paragraphs; lines a narrow cell broke by hand are rejoined."""
        start = self.page
        lines: list[str] = []
        label_row = None  # a row of one cell, a label, over a row of one cell saying something
        for k, (cells, row) in enumerate(zip(rows, read)):
            below = read[k + 1] if k + 1 < len(read) else []
            if label_above([text for text, _ in row], [text for text, _ in below]):
                label_row = row[0]
                continue
            said = (len(row) == 2 and states(row[1][0]) and not names_a_thing(row[0][0])) \
                or (len(row) == 1 and states(row[0][0]))
            if said:
                if lines:
                    self.raws.append(_Raw([lines], start, "table", page_end=self.page))
                label, breaks = row[0] if len(row) == 2 else (label_row or ("", 0))
                label_row = None
                self.page += breaks
                if label:
                    self.raws.append(_Raw([[label]], self.page, "heading", level=LABEL_LEVEL,
                                          page_end=self.page))
                self.in_list = False
                first = len(self.raws)
                self.walk(cells[-1])
                for raw in self.raws[first:]:
                    raw.loose = True
                    if raw.kind == "heading":  # a subheading in the value: its row's only
                        raw.level = LABEL_LEVEL
                self.flush_notes()
                start, lines = self.page, []
            else:
                self.page += sum(breaks for _, breaks in row)
                if any(text for text, _ in row):
                    lines.append(" | ".join(text for text, _ in row))
        if lines:
            self.raws.append(_Raw([lines], start, "table", page_end=self.page))

    def _cell(self, cell) -> tuple[str, int]:
        """A cell's text on one line, and the page breaks in it."""
        texts, breaks = [], 0
        for p in cell.iter(f"{_W}p"):
            if any(up.tag == f"{_MC}Fallback" or (up.tag == f"{_W}sdt" and up.find(
                    f"{_W}sdtPr/{_W}showingPlcHdr") is not None) for up in p.iterancestors()):
                continue  # a text box's second copy, for older readers; a control's prompt
            inline = _Inline(self.rendered)
            inline.read(p)
            breaks += inline.breaks
            texts.append("".join(inline.text))
        return collapse_whitespace(" ".join(" ".join(texts).split())), breaks


def _children(element, name: str) -> list:
    """`element`'s children named `name` (rows of a table, cells of a row), also those a
    content control or custom XML wraps (a form's repeating section, a control over a
    cell), in order."""
    found = []
    for child in element:
        if child.tag == f"{_W}{name}":
            found.append(child)
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                found.extend(_children(content, name))
    return found


def _runs_on(before: str, after: str) -> bool:
    """Whether a paragraph starting with `after` goes on with the sentence that ends the
    paragraph or list item `before`: it starts with a lowercase word (not an item letter
    "c)", an identifier "age_group" or a definition "total = ...") and `before` does not
    end with . ! ? : or ;."""
    return (_RUN_ON.match(after) is not None and " = " not in after[:40]
            and not before.rstrip(_CLOSERS).endswith((".", "!", "?", ":", ";")))


_CALL_OUT_WORDS = 80  # a text box holding fewer words is a call-out set beside the text


def _untitle_call_out(raws: list[_Raw]) -> None:
    """A short text box's headings ("Life expectancy gap") title the box only: as headings
    they would head the text after the box too, so they are read as fragments (a
    call-out's title), its text staying under the section around it; so is a first line
    of under six words over more text ("Did you know?")."""
    words = sum(len(line.split()) for raw in raws for item in raw.items for line in item)
    if words < _CALL_OUT_WORDS:
        for raw in raws:
            if raw.kind == "heading" and raw.level != LABEL_LEVEL:
                raw.kind, raw.level = "fragment", 0
        first = raws[0] if len(raws) > 1 else None
        if first is not None and first.kind == "paragraph" and len(first.items) == 1 \
                and len(first.items[0]) == 1 and len(first.items[0][0].split()) < 6:
            first.kind = "fragment"  # "Did you know?": the box's title, set as text


def _numbering(root) -> dict[tuple[str, str], tuple[str, str]]:
    """(numId, level) -> (format, level text) of the file's numbering definitions:
    ("bullet", "•"), ("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "(%3)")."""
    if root is None:
        return {}
    abstract: dict[str, dict[str, tuple[str, str]]] = {}
    for definition in root.iter(f"{_W}abstractNum"):
        levels = abstract.setdefault(definition.get(f"{_W}abstractNumId", ""), {})
        for lvl in definition.iter(f"{_W}lvl"):
            fmt, text = lvl.find(f"{_W}numFmt"), lvl.find(f"{_W}lvlText")
            levels[lvl.get(f"{_W}ilvl", "0")] = (
                fmt.get(f"{_W}val", "") if fmt is not None else "",
                text.get(f"{_W}val", "") if text is not None else "")
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for num in root.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        levels = abstract.get(ref.get(f"{_W}val", "") if ref is not None else "", {})
        for ilvl, value in levels.items():
            found[(num.get(f"{_W}numId", ""), ilvl)] = value
    return found


def _pseudo_heading(line: str, bold: bool) -> bool:
    """A short line, not a sentence, in bold or all capitals: a heading by its look."""
    words = line.split()
    letters = [ch for ch in line if ch.isalpha()]
    if not words or len(words) > 12 or len(letters) < 3:
        return False
    if line.rstrip("\"'”’)]").endswith(_TERMINAL):
        return False
    return bold or all(ch.isupper() for ch in letters)
