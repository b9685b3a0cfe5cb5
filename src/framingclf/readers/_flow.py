"""PDF document flow: measured pages into the document's blocks, across pages.

`pdf_blocks` runs the steps in the order of `_layout`'s docstring: text prepared and
running lines dropped for the whole document, sizes and pitches measured over it, each
page laid out by `_layout`, then what crosses pages and columns: paragraphs that run on,
pull quotes repeating the body text, and the blocks out (headings ranked by size into
levels), finished by `_blocks`.
"""

from __future__ import annotations

from collections import Counter

from framingclf.readers._blocks import _CLOSERS, LABEL_LEVEL, _finish, _Raw
from framingclf.readers._cleaning import (
    Vocabulary,
    clean_line,
    find_running_lines,
    is_page_number,
    running_key,
)
from framingclf.readers._document import Block
from framingclf.readers._layout import (
    _NUMBERED_ITEM,
    Page,
    _Box,
    _ends_sentence,
    _is_bullet,
    _page_boxes,
    _Pitch,
    row_cells,
)


def pdf_blocks(pages: list[Page]) -> tuple[list[Block], str | None]:
    """The document's blocks, and the largest text on its first page (a title candidate)."""
    vocabulary = _prepare_text(pages)
    _drop_running_lines(pages)
    body = _body_size(pages)
    pitch = _Pitch(pages, body)
    boxes: list[_Box] = []
    for page in pages:
        boxes.extend(_page_boxes(page, body, pitch))
    largest = _largest(boxes)
    boxes = _join_runons(boxes, pitch)
    _mark_repeats(boxes, body)
    raws = [_to_raw(box) for box in boxes]
    sizes = sorted({raw.size for raw in raws if raw.kind == "heading" and not raw.level},
                   reverse=True)
    for raw in raws:
        if raw.kind == "heading" and not raw.level:
            raw.level = sizes.index(raw.size) + 1
    return _finish(raws, vocabulary, cleaned=True), largest


# --------------------------------------------------------------------------- text

def _prepare_text(pages: list[Page]) -> Vocabulary | None:
    """Mend pdfium's hyphen markers by the document's words; other lines came cleaned."""
    everything = "\n".join(line.text for page in pages for line in page.lines)
    if not ("\ufffe" in everything or "\x02" in everything or "-\n" in everything):
        return None
    vocabulary = Vocabulary(everything)
    for page in pages:
        for line in page.lines:
            text = line.text
            if "\ufffe" in text or "\x02" in text:
                soft = text.endswith(("\ufffe", "\x02"))
                text = vocabulary.mend_markers(text.rstrip("\ufffe\x02")) + ("\x02" * soft)
                line.text = clean_line(text.replace("\x1f", "fi"))
        page.lines = [line for line in page.lines if line.text]
    return vocabulary


def _drop_running_lines(pages: list[Page]) -> None:
    edges = []
    for page in pages:
        zone = 0.08 * page.height
        order = sorted(range(len(page.lines)), key=lambda i: page.lines[i].y)
        edges.append([i for i in {*order[:2], *order[-2:]}
                      if page.lines[i].y < zone or page.lines[i].y > page.height - zone])
    running = find_running_lines([[p.lines[i].text for i in idx] for p, idx in zip(pages, edges)])
    for page, idx in zip(pages, edges):
        drop = {i for i in idx if is_page_number(page.lines[i].text)
                or running_key(page.lines[i].text) in running}
        if drop:
            page.lines = [line for i, line in enumerate(page.lines) if i not in drop]


def _body_size(pages: list[Page]) -> float:
    sizes: Counter = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _largest(boxes: list[_Box]) -> str | None:
    """The largest text on the first page, if it is short and not a sentence."""
    first = [box for box in boxes if box.page == 1 and box.kind in ("heading", "paragraph")
             and len(box.text().split()) <= 20 and not _ends_sentence(box.text())]
    if not first:
        return None
    return max(first, key=lambda box: box.size).text()


# --------------------------------------------------------------------------- run-ons

_SKIPPABLE = {"footnote", "caption", "fragment", "table", "paragraph", "contents"}
_NAME_WORDS = 15  # at most, in the name of a row beside its next cell (an agenda item)


def _join_runons(boxes: list[_Box], pitch: _Pitch) -> list[_Box]:
    out: list[_Box] = []
    for box in boxes:
        target = None
        if box.kind == "paragraph":
            target = _just_above(out, box, pitch) or _runs_on_from(out, box)
        elif (box.kind == "list" and out and out[-1].kind == "paragraph" and _open(out[-1])
              and _NUMBERED_ITEM.match(box.lines[0].text)
              and abs(out[-1].size - box.size) <= 0.1 * box.size):
            target = out[-1]  # "... where it finds an error, i.e." / "a) that ...": one sentence
        if target is None:
            out.append(box)
        else:
            if target.kind != "list":
                target.kind = "paragraph"
            target.extra.extend(line.text for line in box.lines)
            target.extra.extend(box.extra)
            target.page_end = max(target.page_end, box.page)
    return out


def _open(box: _Box) -> bool:
    """Whether a box's text stops without ending a sentence."""
    text = box.extra[-1] if box.extra else box.lines[-1].text
    return not (_ends_sentence(text) or text.rstrip(_CLOSERS).endswith((":", ";")))


def _just_above(out: list[_Box], box: _Box, pitch: _Pitch) -> _Box | None:
    """A recent box of the same size that stops mid-sentence one line above `box`, in the
    same column (a paragraph the drawing order cut, or a bold run-in heading)."""
    lower = box.lines[0].text[:1].islower()
    for prev in reversed(out[-6:]):
        if prev.kind == "label":  # a table's label: what follows is its own cell
            return None
        if (prev.page == box.page and not prev.extra
                and (prev.kind == "paragraph" or (lower and prev.kind == "heading"))
                and abs(prev.size - box.size) <= 0.1 * box.size
                and 0.5 * box.size < prev.bottom - box.top <= 1.45 * pitch(box.size)
                and abs(prev.lines[-1].x0 - box.lines[0].x0) < box.size and _open(prev)):
            return prev
    return None


def _runs_on_from(out: list[_Box], box: _Box) -> _Box | None:
    """The earlier paragraph `box` continues (rule 8 of the module docstring), if any."""
    lower = box.lines[0].text[:1].islower()
    if not (lower or box.broke):
        return None
    heading_between = False
    for prev in reversed(out[-6:]):
        if lower and prev.kind == "list" and abs(prev.size - box.size) <= 0.1 * box.size:
            return prev if _open(prev) else None  # a list item going on past a break
        if prev.kind == "paragraph" and abs(prev.size - box.size) <= 0.1 * box.size:
            if not _open(prev) or _cell_beside(prev, box):
                return None
            text = prev.extra[-1] if prev.extra else prev.lines[-1].text
            last = text.split()[-1] if text.split() else ""
            joinable = lower or (not heading_between and (
                last[:1].islower() or text.endswith(",") or len(prev.lines) > 1))
            return prev if joinable else None
        heading_between |= prev.kind == "heading"
        if prev.kind not in _SKIPPABLE and not (lower and prev.kind == "heading"):
            return None
    return None


def _cell_beside(prev: _Box, box: _Box) -> bool:
    """Whether `box` is the next cell of `prev`'s row: top-aligned with it, to its right,
    after a short name ("2. Minutes of the last meeting" beside its discussion), rather
    than the rest of `prev` in the next column."""
    return (prev.page == box.page and not prev.extra and len(prev.lines) <= 3
            and abs(prev.top - box.top) <= 0.5 * box.size and box.left > prev.right
            and len(prev.text().split()) <= _NAME_WORDS)


def _mark_repeats(boxes: list[_Box], body: float) -> None:
    """Pull quotes: short paragraphs set apart in size whose words run in the body text of
    their page or the pages either side."""
    key = lambda text: " ".join(text.lower().split())  # noqa: E731
    quotes = [box for box in boxes if box.kind == "paragraph" and abs(box.size - body) > 0.1 * body
              and 8 <= sum(len(line.text.split()) for line in box.lines) <= 60]
    if not quotes:
        return
    by_page: dict[int, list[str]] = {}
    for box in boxes:
        if box.kind == "paragraph" and abs(box.size - body) <= 0.1 * body:
            by_page.setdefault(box.page, []).append(box.text())
    for box in quotes:
        near = " | ".join(text for page in (box.page - 1, box.page, box.page + 1)
                          for text in by_page.get(page, ()))
        if key(box.text()).strip("\"'“”‘’ ") in key(near):
            box.kind = "fragment"


# --------------------------------------------------------------------------- output

def _to_raw(box: _Box) -> _Raw:
    page_end = max(box.page, box.page_end)
    if box.kind == "table":
        rows = [" | ".join(row_cells(line)) if line.cells else line.text for line in box.lines]
        return _Raw([rows], box.page, "table", page_end=page_end)
    if box.kind == "label":  # a table's label over its value
        return _Raw([[box.text()]], box.page, "heading", level=LABEL_LEVEL, page_end=page_end)
    if box.items:  # table cells read as a list
        cells = [*box.items[:-1], box.items[-1] + box.extra]
        return _Raw(cells, box.page, "list", page_end=page_end)
    if box.kind == "list":
        items: list[list[str]] = []
        for line in box.lines:
            if _is_bullet(line.text) or not items:
                items.append([])
            items[-1].append(line.text)
        if box.extra:
            items[-1].extend(box.extra)
        return _Raw(items, box.page, "list", page_end=page_end)
    lines = [line.text for line in box.lines] + box.extra
    if box.kind == "heading":
        return _Raw([[" ".join(lines)]], box.page, "heading", page_end=page_end,
                    size=round(box.size * 2) / 2)
    return _Raw([lines], box.page, box.kind, page_end=page_end)
