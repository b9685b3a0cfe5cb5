"""HTML reader: a page's main content, without the site around it.

1. Encoding: `framingclf.readers._encoding` (byte-order mark, UTF-8, the declared
   charset, charset-normalizer); front matter and HTTP headers before the markup are
   taken off (`_front_matter`), the front matter's title kept as the last choice.
2. Markup that would make the parser crawl is defused first, in one linear pass: the
   attributes of any tag longer than `MAX_TAG` characters are dropped (libxml2 checks
   attributes pairwise, so a tag with 200,000 of them would take minutes). Pages over
   `MAX_HTML` bytes are refused.
3. Main content: trafilatura (a maintained boilerplate remover, chosen over jusText and
   an lxml walker by `benchmarks/html_extractors.py`: it keeps more of the prose and
   lets through less navigation, on generated pages and real council pages) gives
   headings, paragraphs, lists and tables. A `<div>` of text only (8 words or more)
   beside a `<p>` or a `<summary>` is given to it as a paragraph, since trafilatura
   drops such text (GOV.UK inset text, a details expander's body). A table of 3 rows or
   fewer with a cell holding two blocks or more lays out a page: its cells' blocks are
   read as blocks; other tables are read as `_blocks.table_raws` says (the values of a
   cover sheet or glossary that say something are paragraphs under their labels; a
   description list's terms and descriptions are read the same way);
   a paragraph holding blank lines (`<br><br>`, as older editors parted paragraphs) is
   read as the paragraphs they part; lines a paragraph breaks with `<br>` are items of a
   list when they read as items set one to a line (`_blocks.broken_lines`), else its
   lines; a bold run opening a
   paragraph that reads as a title (`_blocks.run_in_title`: "<b>Summary:</b> The ...")
   is a label over it.
   Its minimum length is set to nothing, so a short page is read rather than replaced by
   all of the page's text. It keeps headings only inside containers it knows (`<main>`,
   an id or class saying "content"), so the page's headings it dropped are put back
   where they stand among what it read (a committee system's page lost every section).
   When it finds nothing (very short pages), or under half the words of the page's
   paragraphs and list items outside navigation, headers and footers (it took one
   section for the whole: one whose id starts "primary", as WordPress names its main
   area), an lxml walker reads `<main>` (or the body, when `<main>` holds under half of
   those words: a `<main>` opened inside a section, which the parser closes with it)
   without scripts, navigation, headers, footers, asides, forms and hidden elements.
   `<embed>` tags are taken out first, what follows them kept (trafilatura lost the text
   after one), and so are notes' raised numbers (`<sup>1</sup>`). Both drop buttons, so
   before either reads the page an accordion's section titles set in buttons
   (`aria-expanded`, `aria-controls` or an accordion's class, over a panel of text)
   become headings; and the page's one `<h1>`, when set in a banner above the main
   content, heads what is read.
4. Pages: CSS page breaks (`page-break-before: always`, `break-before: page`, and the
   `-after` forms) count pages; each block gets the page its text first appears on.
5. Title: `<h1>`, else `<title>` less the site name after " | ", " - " or " – ", else
   `og:title` (see `framingclf.readers._titles`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from framingclf.errors import DocumentReadError
from framingclf.readers._blocks import (
    _finish,
    _Raw,
    broken_lines,
    run_in_label,
    table_raws,
)
from framingclf.readers._cleaning import RAISED_NOTE, collapse_whitespace
from framingclf.readers._common import _sha256
from framingclf.readers._document import Document
from framingclf.readers._encoding import declared_charset, decode
from framingclf.readers._front_matter import split_front_matter
from framingclf.readers._titles import choose_title

MAX_TAG = 8192
MAX_HTML = 64 * 1024 * 1024
_LONG_TAG = re.compile(rf"<([A-Za-z][\w:-]{{0,40}})[^>]{{{MAX_TAG},}}>")
_BREAK_BEFORE = re.compile(r"(?:page-break-before\s*:\s*always|break-before\s*:\s*page)", re.I)
_BREAK_AFTER = re.compile(r"(?:page-break-after\s*:\s*always|break-after\s*:\s*page)", re.I)
_HEADING_LEVEL = re.compile(r"h([1-6])")
_INLINE = {"a", "abbr", "b", "strong", "i", "em", "span", "small", "sub", "sup", "br",
           "code", "q", "cite", "mark", "u", "time", "data", "dfn", "kbd", "s", "del", "ins"}
_TEI_BLOCKS = {"p", "head", "list", "item", "quote", "table", "row", "cell"}  # trafilatura's
_SHARE = 0.5  # of the page's paragraph words, below which a main content is a part only


def read_html(path: str | Path, *, sha256: str | None = None) -> Document:
    """Read the main text of an HTML page (rules in this module's docstring)."""
    path = Path(path)
    sha256 = _sha256(path, sha256)
    if path.stat().st_size > MAX_HTML:
        raise DocumentReadError(
            f"{path}: HTML page of {path.stat().st_size / 2**20:,.0f} MB, over the "
            f"{MAX_HTML // 2**20} MB framingclf reads; save the article itself, or split it")
    given_title, html = _decode_html(path.read_bytes(), path)
    root = _buttons_as_headings(_without_embeds_or_note_numbers(_parse(html, path)))
    blocks = _finish(_with_page_heading(root, _main_raws(root)))
    if not blocks:
        raise DocumentReadError(f"{path}: HTML page has no main text; save the page itself, "
                                "not a frame or redirect")
    n_pages = _assign_pages(root, blocks)
    title = choose_title(path, [*_title_candidates(root), given_title], blocks)
    return Document(path=str(path), sha256=sha256, title=title, blocks=blocks,
                    n_pages=n_pages, format="html")


def _decode_html(data: bytes, path: Path) -> tuple[str | None, str]:
    """The title its front matter gives, if any, and the page's text: its bytes decoded,
    without front matter or HTTP headers, tags too long to parse safely shortened."""
    title, text = split_front_matter(decode(data, path, declared_charset(data)), http=True)
    return title, _LONG_TAG.sub(r"<\1>", text)


def _parse(html: str, path: Path):
    import lxml.etree
    import lxml.html

    html = re.sub(r"^\s*<\?xml[^>]{0,200}\?>", "", html)
    if not html.strip():
        raise DocumentReadError(f"{path}: HTML page has no text; nothing to read")
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DocumentReadError(f"{path}: HTML cannot be parsed ({exc}); save the page "
                                "again from a browser") from None


def _title_candidates(root) -> list[str | None]:
    h1 = root.xpath("string(//h1[1])")
    page_title = root.findtext(".//title") or ""
    site_cut = re.split(r"\s+[|\-–—]\s+", page_title.strip())[0] if page_title else None
    og_title = root.xpath("string(//meta[@property='og:title']/@content)")
    return [collapse_whitespace(h1) or None, site_cut, og_title or None]


def _main_raws(root) -> list[_Raw]:
    """trafilatura's main content, unless it holds under half the words of the page's
    paragraphs and list items outside its navigation, headers and footers (it took one
    section for the whole: a section whose id starts "primary", a `<main>` the parser
    closed early); then the walker's, when that holds more."""
    raws = _trafilatura_blocks(root)
    body = _stripped(root.find("body") if root.find("body") is not None else root)
    if _raw_words(raws) >= _SHARE * _prose_words(body):
        return _with_dropped_headings(body, raws)
    walked = _walker_blocks(root)
    return walked if _raw_words(walked) > _raw_words(raws) else raws


def _without_embeds_or_note_numbers(root):
    """`root` without its `<embed>` tags (an embedded PDF or player), what follows them
    kept: the parser takes the text after an embed for its content, which trafilatura
    then drops to the end of its paragraph; and without the raised numbers that call
    notes (`<sup>1</sup>`, `<sup><a href="#fn1">[1]</a></sup>`), which would be glued to
    the word before them ("contributing1")."""
    for element in list(root.iter("embed")):
        element.drop_tag()
    for element in list(root.iter("sup")):
        if RAISED_NOTE.fullmatch(collapse_whitespace(element.text_content())):
            element.drop_tree()
    return root


_TOGGLE_CLASS = re.compile(r"accordion|collaps|toggle|expand|disclosure", re.I)
_NOT_A_TITLE = re.compile(r"^(?:show|hide|open|close|expand|collapse)(?: all)?(?: sections?)?$"
                          r"|^(?:menu|search|close|back|next|previous|print|share|accept|reject)"
                          r"\b", re.I)
_TITLE_WORDS = 20  # a toggle's label longer than this is not an accordion section's title


def _buttons_as_headings(root):
    """`root` with the buttons that title an accordion's sections made headings: a
    `<button>` of text only that opens a panel (`aria-expanded` or `aria-controls`, or an
    accordion's class) followed by a panel of 8 words or more. Trafilatura and the walker
    both drop buttons, and with them the section titles a reader sees above each panel.
    A button inside a heading becomes that heading's text; a bare one a heading a level
    below the heading before it, or at the level of the section title before it."""
    level, titles = 1, 0  # the last heading's level; the last section title's, if any since
    for element in list(root.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HEADINGS:
            level, titles = _HEADINGS[tag], 0
            continue
        if tag != "button" or not _titles_panel(element):
            continue
        parent = element.getparent()
        if parent is not None and parent.tag in _HEADINGS:
            element.tag = "span"
            titles = _HEADINGS[parent.tag]
        else:
            titles = titles or min(6, level + 1)
            element.tag = f"h{titles}"
        for name in ("type", "aria-expanded", "aria-controls", "class"):
            element.attrib.pop(name, None)
    return root


def _titles_panel(button) -> bool:
    """Whether `button` is an accordion section's title over its panel (`_buttons_as_headings`)."""
    text = collapse_whitespace(button.text_content())
    if (not text or len(text.split()) > _TITLE_WORDS or _NOT_A_TITLE.match(text)
            or any(isinstance(child.tag, str) and child.tag not in _INLINE
                   for child in button.iter() if child is not button)):
        return False
    if button.get("aria-expanded") is None and button.get("aria-controls") is None \
            and not _TOGGLE_CLASS.search(button.get("class", "")):
        return False
    holder = button.getparent() if button.getparent() is not None and \
        button.getparent().tag in _HEADINGS else button
    panel = holder.getnext()
    while panel is not None and not isinstance(panel.tag, str):
        panel = panel.getnext()
    return panel is not None and len(panel.text_content().split()) >= 8


def _with_page_heading(root, raws: list[_Raw]) -> list[_Raw]:
    """`raws` under the page's one `<h1>` when the main content left it out (a heading set
    in a banner above `<main>`), so that passages carry it as their first heading; not
    when it sits in a header, navigation or footer (a site's name)."""
    h1s = root.xpath("//body//h1")
    if len(h1s) != 1 or any(parent.tag in ("header", "nav", "footer")
                            or parent.get("role", "") in ("banner", "navigation")
                            for parent in h1s[0].iterancestors()):
        return raws
    text = collapse_whitespace(h1s[0].text_content())
    if not text or len(text.split()) > _TITLE_WORDS or any(
            raw.kind == "heading" and _key(" ".join(raw.items[0])) == _key(text)
            for raw in raws):
        return raws
    return [_Raw([[text]], 1, "heading", level=1), *raws]


def _with_dropped_headings(body, raws: list[_Raw]) -> list[_Raw]:
    """`raws` with the page's headings that trafilatura dropped put back where they stand
    among them: it keeps headings only inside containers it knows (`<main>`, "content"),
    so a committee system's or an older CMS's page lost all its sections. A heading goes
    back when it stands among the raws read, or just before the first (three words or
    fewer between them); never after the last."""
    text, headings = _text_with_headings(body)
    kept = {_key(" ".join(raw.items[0])) for raw in raws if raw.kind == "heading"}
    missing = [h for h in headings
               if _key(h[2]) not in kept and len(h[2].split()) <= _TITLE_WORDS]
    if not missing:
        return raws
    at, found = 0, []  # where each raw's opening words stand in the page's text (or None)
    for raw in raws:
        probe = " ".join(" ".join(raw.items[0] if raw.items else []).split()[:6])
        where = text.find(probe, at) if probe else -1
        found.append(where if where >= 0 else None)
        at = where if where >= 0 else at
    places = [place for place in found if place is not None]
    if not places:
        return raws
    first, last = min(places), max(places)
    missing = [h for h in missing if h[0] < last and (
        h[0] >= first or len(text[h[0] + len(h[2]):first].split()) <= 3)]
    out: list[_Raw] = []
    for raw, place in zip(raws, found):
        while missing and place is not None and missing[0][0] < place:
            _, level, heading = missing.pop(0)
            out.append(_Raw([[heading]], 1, "heading", level=level))
        out.append(raw)
    return out


def _key(text: str) -> str:
    """`text`'s letters and digits, lowercased: a heading trafilatura kept matches the
    page's, whatever hidden separators or spacing one of them holds."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _text_with_headings(body) -> tuple[str, list[tuple[int, int, str]]]:
    """The text of `body` with its whitespace collapsed, and its headings as (where the
    heading starts in that text, level, text), in document order."""
    parts: list[str] = []
    size = 0
    headings: list[tuple[int, int, str]] = []

    def add(piece: str | None) -> None:
        nonlocal size
        words = " ".join((piece or "").split())
        if words:
            parts.append(words)
            size += len(words) + 1

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HEADINGS:
            heading = collapse_whitespace(element.text_content())
            if heading:
                headings.append((size, _HEADINGS[tag], heading))
            add(element.text_content())
            return
        add(element.text)
        for child in element:
            walk(child)
            add(child.tail)

    walk(body)
    return " ".join(parts), headings


def _raw_words(raws: list[_Raw]) -> int:
    return sum(len(line.split()) for raw in raws if raw.kind != "heading"
               for item in raw.items for line in item)


def _prose_words(element) -> int:
    """Words of the paragraphs and list items in `element` (not inside one another)."""
    return sum(len(node.text_content().split()) for node in element.iter("p", "li")
               if not any(parent.tag in ("p", "li") for parent in node.iterancestors()))


# --------------------------------------------------------------------------- trafilatura

def _trafilatura_blocks(root) -> list[_Raw]:
    """Raw blocks of the main content trafilatura finds (empty if it finds none)."""
    import copy

    import trafilatura

    if isinstance(root, str):
        root = _parse(root, Path("<html>"))
    found = trafilatura.bare_extraction(
        _text_divs_as_paragraphs(copy.deepcopy(root)), include_tables=True, include_comments=False,
        include_images=False, include_links=False, include_formatting=True,
        favor_recall=True, deduplicate=False, with_metadata=False, config=_config())
    body = getattr(found, "body", None)
    if body is None:
        return []
    raws: list[_Raw] = []
    for element in body:
        raws.extend(_trafilatura_raws(element))
    return raws


def _text_divs_as_paragraphs(root):
    """`root` with each `<div>` holding only text and inline markup (8 words or more)
    beside a `<p>` or a `<summary>` made a `<p>`: trafilatura drops such text (GOV.UK
    inset text, the body of a `<details>`), though a reader sees a paragraph."""
    for div in list(root.iter("div")):
        parent = div.getparent()
        if (parent is not None and any(child.tag in ("p", "summary") for child in parent)
                and not any(isinstance(child.tag, str) and child.tag not in _INLINE
                            for child in div.iter() if child is not div)
                and len(div.text_content().split()) >= 8):
            div.tag = "p"
    return root


@lru_cache(maxsize=1)
def _config():
    """trafilatura's settings, with no minimum length: a short page is read, not replaced
    by the whole page's text (trafilatura's fallback for pages under 250 characters)."""
    from trafilatura.settings import use_config

    config = use_config()
    for key in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE", "MIN_EXTRACTED_COMM_SIZE",
                "MIN_OUTPUT_COMM_SIZE"):
        config.set("DEFAULT", key, "1")
    return config


def _text_of(element, breaks: str = " ", blank: bool = False) -> str:
    """An element's text in document order, line breaks as `breaks`, a space after a
    block inside it (a quotation's paragraph before who said it); with `blank`, the
    empty lines two breaks in a row make are kept."""
    parts: list[str] = []

    def walk(node) -> None:
        if node.tag == "lb":
            parts.append(breaks)
        elif node.text:
            parts.append(node.text.replace("\n", " "))  # only <br> breaks a line
        for child in node:
            walk(child)
            if child.tail:
                parts.append((" " if child.tag in _TEI_BLOCKS else "")
                             + child.tail.replace("\n", " "))

    walk(element)
    return "\n".join(collapse_whitespace(" ".join(line.split()))
                     for line in "".join(parts).split("\n") if line.strip() or blank)


def _trafilatura_raws(element) -> list[_Raw]:
    tag = element.tag
    if tag == "head":
        level = _HEADING_LEVEL.fullmatch(element.get("rend", ""))
        text = _text_of(element)
        return [_Raw([[text]], 1, "heading", level=int(level.group(1)) if level else 2)] \
            if text else []
    if tag == "list" and element.get("rend") == "dl":  # terms and their descriptions
        return table_raws(_term_rows((item.get("rend", "")[:2], _text_of(item))
                                     for item in element.iter("item")))
    if tag == "list":
        items = [[text] for text in _list_items(element, "item", {"list"}, _text_of)]
        return [_Raw(items, 1, "list")] if items else []
    if tag == "table":
        if _layout_table(element):  # a page laid out in a table: its cells' blocks
            return [raw for cell in element.iter("cell") for raw in _cell_raws(cell)]
        return table_raws([[_text_of(cell) for cell in row.iter("cell")]
                           for row in element.iter("row")])
    if tag in ("graphic", "ref") and not _text_of(element):
        return []
    parts = _paragraphs(_text_of(element, "\n", blank=True).split("\n"))
    if len(parts) > 1:  # paragraphs parted by blank lines (<br><br>), as old editors wrote
        return [raw for lines in parts for raw in _line_raws(lines)]
    lines = parts[0] if parts else [""]
    if len(lines) >= 3:
        return broken_lines(lines)
    if not lines[0]:
        return []
    label = run_in_label(_bold_lead(element), lines)  # "<b>Summary:</b> The ..."
    return [*([label] if label is not None else []), _Raw([lines], 1, "paragraph")]


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """`lines` parted at blank ones, the blank ones left out."""
    parts: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            parts[-1].append(line)
        elif parts[-1]:
            parts.append([])
    return [part for part in parts if part]


def _line_raws(lines: list[str]) -> list[_Raw]:
    """A paragraph's lines as raws: items when three or more read as items one to a line
    (`_blocks.broken_lines`), else one paragraph."""
    return broken_lines(lines) if len(lines) >= 3 else [_Raw([lines], 1, "paragraph")]


def _layout_table(table) -> bool:
    """Whether a table lays out a page rather than holding data: at most 3 rows, one cell
    holding two blocks or more (paragraphs, headings, lists), as older council sites
    were built."""
    rows = list(table.iter("row"))
    return len(rows) <= 3 and any(
        sum(child.tag in _TEI_BLOCKS for child in cell) >= 2 for cell in table.iter("cell"))


def _cell_raws(cell) -> list[_Raw]:
    """A layout table's cell as blocks: its paragraphs, headings and lists, or its text."""
    if not any(child.tag in _TEI_BLOCKS for child in cell):
        text = _text_of(cell)
        return [_Raw([[text]], 1, "paragraph")] if text else []
    return [raw for child in cell for raw in _trafilatura_raws(child)]


def _bold_lead(element) -> str:
    """The bold text (trafilatura's `<hi rend="#b">`) opening a paragraph, if any."""
    if (element.text or "").strip() or not len(element):
        return ""
    first = element[0]
    if first.tag != "hi" or "b" not in first.get("rend", ""):
        return ""
    return collapse_whitespace(" ".join("".join(first.itertext()).split()))


# --------------------------------------------------------------------------- lxml walker

_DROP_TAGS = {"script", "style", "noscript", "template", "svg", "canvas", "iframe",
              "object", "embed", "nav", "aside", "form", "button", "select", "input",
              "textarea", "dialog", "menu", "footer", "link", "meta", "head", "header"}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog",
               "alertdialog", "menu", "menubar"}
_DROP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|breadcrumbs?|skip-?link|sr-only|visually-hidden|"
    r"share|social|sidebar|navbar|menu|pagination|newsletter|feedback|footer|header)"
    r"(?:$|[\s_-])", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "pre", "address",
               "figure", "figcaption", "dl", "dt", "dd", "li", "tr", "caption", "hr",
               "fieldset", "details", "summary", "body", "html", "center"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


def _walker_blocks(root) -> list[_Raw]:
    """Raw blocks of `<main>` (else the body) read like a browser lays them out."""

    if isinstance(root, str):
        root = _parse(root, Path("<html>"))
    body = _stripped(root.find("body") if root.find("body") is not None else root)
    main = next(iter(root.xpath("//main|//*[@role='main']")), None)
    if main is not None:  # unless the parser closed it early, holding a part of the page
        main = _stripped(main)
        if _prose_words(main) < _SHARE * _prose_words(body):
            main = None
    main = main if main is not None else body
    raws: list[_Raw] = []
    buffer: list[str] = []
    for event, item in _events(main):
        if event == "text":
            buffer.append(item.replace("\n", " "))  # only <br> breaks a line
            continue
        tag = item.tag if isinstance(item.tag, str) else ""
        if tag == "br":
            buffer.append("\n")
        elif tag in _HEADINGS or tag in _WHOLE or tag in _BLOCK_TAGS:
            _flush(buffer, raws)
            if event == "start" and (tag in _HEADINGS or tag in _WHOLE):
                raws.extend(_structured(item, tag))
    _flush(buffer, raws)
    return raws


def _flush(buffer: list[str], raws: list) -> None:
    lines = [collapse_whitespace(" ".join(line.split())) for line in "".join(buffer).split("\n")]
    buffer.clear()
    for part in _paragraphs(lines):
        raws.extend(_line_raws(part))


_WHOLE = {"ul", "ol", "table", "dl"}


def _events(root: Any) -> Iterator[tuple[str, Any]]:
    """("start", element), ("text", string) and ("end", element) in document order;
    headings, lists and tables are not walked inside."""
    stack: list[tuple[str, Any]] = [("start", root)]
    while stack:
        event, item = stack.pop()
        yield event, item
        if event != "start":
            continue
        tag = item.tag if isinstance(item.tag, str) else ""
        if item.tail and item is not root:
            stack.append(("text", item.tail))
        stack.append(("end", item))
        if tag in _HEADINGS or tag in _WHOLE:
            continue
        stack.extend(("start", child) for child in reversed(item))
        if item.text and isinstance(item.tag, str):
            stack.append(("text", item.text))


def _term_rows(entries) -> list[list[str]]:
    """A description list's ("dt" or "dd", text) entries as table rows: each term with
    its description (a second description, a row of its own)."""
    rows: list[list[str]] = []
    for kind, text in entries:
        if kind == "dd" and rows and len(rows[-1]) == 1 and rows[-1][0]:
            rows[-1].append(text)
        else:
            rows.append([text] if kind == "dt" else ["", text])
    return rows


def _structured(element, tag: str) -> list[_Raw]:
    if tag in _HEADINGS:
        text = collapse_whitespace(element.text_content())
        return [_Raw([[text]], 1, "heading", level=_HEADINGS[tag])] if text else []
    if tag == "table":
        return table_raws([[collapse_whitespace(cell.text_content())
                            for cell in row.xpath("./td|./th")]
                           for row in element.xpath(".//tr")])
    if tag == "dl":
        return table_raws(_term_rows((child.tag, collapse_whitespace(child.text_content()))
                                     for child in element if child.tag in ("dt", "dd")))
    items = [[text] for text in _list_items(
        element, "li", {"ul", "ol"}, lambda li: collapse_whitespace(li.text_content()))]
    return [_Raw(items, 1, "list")] if items else []


def _list_items(element, item_tag: str, list_tags: set[str], text_of) -> list[str]:
    """A list's items in reading order, each without the lists nested in it, which follow
    it as items of their own (a sub-item read once, not glued into its parent too)."""
    import copy

    found: list[str] = []
    for item in element:
        if item.tag != item_tag:
            continue
        own = copy.deepcopy(item)
        nested = [node for node in own.iter() if node is not own and node.tag in list_tags
                  and not any(up.tag in list_tags for up in node.iterancestors()
                              if up is not own and own in up.iterancestors())]
        for node in nested:
            _cut_keeping_tail(node)
        text = text_of(own)
        if text:
            found.append(text)
        for node in nested:
            found.extend(_list_items(node, item_tag, list_tags, text_of))
    return found


def _cut_keeping_tail(node) -> None:
    """Take `node` out of its parent, its tail text kept in its place (after a space)."""
    parent, tail = node.getparent(), (node.tail or "").strip()
    if tail:
        before = node.getprevious()
        if before is not None:
            before.tail = f"{before.tail or ''} {tail}"
        else:
            parent.text = f"{parent.text or ''} {tail}"
    parent.remove(node)


def _stripped(element):
    """A copy of `element` without its boilerplate (`_strip_boilerplate`)."""
    import copy

    element = copy.deepcopy(element)
    _strip_boilerplate(element)
    return element


def _strip_boilerplate(root) -> None:
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            doomed.append(element)  # comments and processing instructions
            continue
        style = element.get("style", "").replace(" ", "").lower()
        if (element.tag in _DROP_TAGS or element.get("role", "").lower() in _DROP_ROLES
                or element.get("hidden") is not None
                or element.get("aria-hidden", "").lower() == "true"
                or "display:none" in style or "visibility:hidden" in style
                or _DROP_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}")):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


# --------------------------------------------------------------------------- pages

def _assign_pages(root, blocks) -> int:
    """Pages at CSS page breaks: each block on the page where its text first appears."""
    breaks = [el for el in root.iter() if isinstance(el.tag, str)
              and (_BREAK_BEFORE.search(el.get("style", "")) or
                   _BREAK_AFTER.search(el.get("style", "")))]
    if not breaks:
        return 1
    marker = "\u241e"  # a page mark, in a copy of the text only
    for element in breaks:
        if _BREAK_BEFORE.search(element.get("style", "")):
            element.text = marker + (element.text or "")
        if _BREAK_AFTER.search(element.get("style", "")):
            element.tail = marker + (element.tail or "")
    pages = [" ".join(text.split()) for text in root.text_content().split(marker)]
    pages = [text for text in pages if text]
    page = 1
    for block in blocks:
        probe = " ".join(block.text.split()[:6])
        for k in range(page - 1, len(pages)):
            if probe in pages[k]:
                page = k + 1
                break
        block.page = block.page_end = page
    return max(page, len(pages))
