"""HTML reader (lxml): the page's main content, without boilerplate."""

from __future__ import annotations

import re
from pathlib import Path

from framingclf.errors import DocumentReadError
from framingclf.readers._blocks import _finish, _Raw
from framingclf.readers._cleaning import collapse_whitespace
from framingclf.readers._common import _sha256
from framingclf.readers._document import Document
from framingclf.readers._text import _decode_text
from framingclf.readers._titles import choose_title

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
    return Document(path=str(path), sha256=sha256, title=choose_title(path, [title], blocks),
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

