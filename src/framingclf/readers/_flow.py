"""PDF document flow: measured pages into the document's blocks, across pages.

`pdf_blocks` runs the steps in the order of `_layout`'s docstring: text prepared,
running lines dropped and table rows cut by a page break rejoined for the whole
document, sizes and pitches measured over it, each page laid out by `_layout`, then
what crosses pages and columns: paragraphs that run on, pull quotes repeating the body
text, and the blocks out (headings ranked by size into levels), finished by `_blocks`.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from framingclf.readers._blocks import (
    _CAPTION,
    _CLOSERS,
    LABEL_LEVEL,
    NUMBERED_ITEM,
    SENTENCE_INSIDE,
    _finish,
    _Raw,
)
from framingclf.readers._cleaning import (
    Vocabulary,
    clean_line,
    find_running_lines,
    is_page_number,
    running_key,
)
from framingclf.readers._document import Block
from framingclf.readers._layout import (
    _FIELD_LINE,
    _LIST_NUMBER,
    Line,
    Page,
    _Box,
    _ends_sentence,
    _first_word_width,
    _is_bullet,
    _nth_marker,
    _page_boxes,
    _Pitch,
    row_cells,
)


def pdf_blocks(pages: list[Page]) -> tuple[list[Block], str | None]:
    """The document's blocks, and the largest text on its first page (a title candidate)."""
    vocabulary = _prepare_text(pages)
    first_lines = list(pages[0].lines) if pages else []
    _drop_running_lines(pages)
    _rejoin_split_rows(pages)
    body = _body_size(pages)
    pitch = _Pitch(pages, body)
    boxes: list[_Box] = []
    for page in pages:
        boxes.extend(_page_boxes(page, body, pitch))
    largest = _largest(boxes, [line for line in first_lines if line not in pages[0].lines])
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
        zone = 0.08 * max(page.height, page.width)  # a landscape page keeps its margins
        order = sorted(range(len(page.lines)), key=lambda i: page.lines[i].y)
        edges.append([i for i in {*order[:2], *order[-2:]}
                      if page.lines[i].y < zone or page.lines[i].y > page.height - zone])
    running = find_running_lines([[text for i in idx for text in _edge_texts(p.lines[i])]
                                  for p, idx in zip(pages, edges)])
    for page, idx in zip(pages, edges):
        drop = {i for i in idx if _page_numbers(page.lines[i].text)
                or running_key(page.lines[i].text) in running
                or not _trim_running_cells(page.lines[i], running)}
        if drop:
            page.lines = [line for i, line in enumerate(page.lines) if i not in drop]


def _page_numbers(text: str) -> bool:
    """A page number, or two (a spread's facing pages: "4 5")."""
    parts = text.split()
    return is_page_number(text) or (len(parts) == 2 and all(map(is_page_number, parts)))


def _edge_texts(line: Line) -> list[str]:
    """A line at a page's edge, and its long cells: on a spread of two facing pages,
    pdfium reads both halves' running heads as one line whose right half changes."""
    return [line.text, *(cell for cell in line.cells or () if len(cell) >= _RUNNING_CELL)]


def _trim_running_cells(line: Line, running: set[str]) -> bool:
    """`line` without its cells that are running heads, and then its page numbers
    (a spread's head and folio in one line); whether anything is left of it."""
    if not line.cells or not line.cell_x:
        return True
    heads = [len(cell) >= _RUNNING_CELL and running_key(cell) in running for cell in line.cells]
    numbers = [is_page_number(cell) for cell in line.cells]
    if not any(heads) and not all(numbers):
        return True  # a contents entry's page number at the foot stays with its entry
    kept = [(cell, x) for cell, x, head, number in zip(line.cells, line.cell_x, heads, numbers)
            if not (head or number)]
    if len(kept) < len(line.cells):
        line.cells = [cell for cell, _ in kept] if len(kept) > 1 else None
        line.cell_x = [x for _, x in kept] if len(kept) > 1 else None
        line.text = " ".join(cell for cell, _ in kept)
        if kept:
            line.x0 = kept[0][1]
    return bool(kept)


def _rejoin_split_rows(pages: list[Page]) -> None:
    """A table row that a page break cut goes on at the top of the next page (under the
    table's header row, when it is repeated there): when a cell of the row stops without
    ending a sentence and a line at the top of the next page starts in lowercase, the
    lines above the next row go back to the row: into its cells when the row was one
    line, else each under the last line of its column, one line's pitch below the row
    (the row's lines at the foot of the page parted into a line per cell first). Without
    a repeated header the page must show the table (two rows of three cells or more in
    its columns), the cut row span three columns, what goes back two, and the next row
    start below it, so that text set in columns is never taken for a table."""
    for prev, page in pairwise(pages):
        found = _cut_row(prev, page) if prev.lines and page.lines else None
        if found is None:
            continue
        cut, top, below, lefts, repeated = found
        size = below[0].size
        count, next_found = _next_row(below, lefts[0], size)
        ids = {id(line) for line in below[:count]}
        moved = [line for line in page.lines if id(line) in ids]  # in the producer's order
        if not moved or not (repeated or (next_found and _columns_used(moved, lefts) >= 2)):
            continue
        page.lines = [line for line in page.lines if id(line) not in ids]
        foot = min(line.y for line in prev.lines)
        row = cut[0] if len(cut) == 1 else None
        if row is not None and row.cells and row.cell_x and len(row.cells) == len(lefts):
            _extend_cells(row, moved, lefts)
            continue
        cut_ids = {id(line) for line in cut}  # the row's own rows of cells, a cell a line
        prev.lines = [piece for line in prev.lines
                      for piece in (_by_cell(line) if id(line) in cut_ids else [line])]
        pitch = _cell_pitch(prev.lines, size)
        shifts: dict[int, float] = {}  # by column: its pieces go on one pitch under it
        for piece in (piece for line in moved for piece in _by_cell(line)):
            at = max((k for k, other in enumerate(prev.lines)
                      if abs(other.x0 - piece.x0) < piece.size), default=-1)
            column = round(prev.lines[at].x0) if at >= 0 else -1
            if column not in shifts:
                bottom = prev.lines[at].y if at >= 0 and prev.lines[at].y <= top + 0.3 * size \
                    else foot + pitch
                shifts[column] = piece.y - (bottom - pitch)
            piece.y -= shifts[column]
            piece.y_last -= shifts[column]
            prev.lines.insert(at + 1 if at >= 0 else len(prev.lines), piece)


def _cut_row(prev: Page, page: Page
             ) -> tuple[list[Line], float, list[Line], list[float], bool] | None:
    """The row cut at the foot of `prev` and the lines at the top of `page` that may go on
    with it: (the row's lines, its first baseline, the lines of `page` from the top, the
    table's column edges, whether the header row is repeated), or None."""
    first = max(page.lines, key=lambda line: line.y)
    size = first.size
    foot = min(line.y for line in prev.lines)
    repeated = bool(first.cells and first.cell_x
                    and any(line.cells == first.cells for line in prev.lines))
    if repeated:
        lefts = list(first.cell_x or [])
        below = [line for line in page.lines if line.y < first.y - 0.3 * size]
    else:
        lefts = _columns([line for line in prev.lines if line.y <= foot + 2 * size])
        below = list(page.lines)
    if not lefts or not below:
        return None
    top = _row_top(prev.lines, lefts[0], size, foot)
    cut = [line for line in prev.lines if line.y <= top + 0.3 * size]
    columns = _columns(cut)
    if not repeated:
        lefts = columns
        if _table_rows(prev.lines, lefts) < 2:
            return None  # without a header, the table must show on the page: its rows
    if len(columns) < (2 if repeated else 3):
        return None  # one column: a paragraph going on, for the run-ons
    below.sort(key=lambda line: -line.y)
    head = [line for line in below if line.y > below[0].y - 0.3 * size]
    if all(_ends_sentence(line.text) for line in cut) \
            or not any(line.text[:1].islower() for line in head) \
            or not all(any(abs(line.x0 - left) < size for left in lefts) for line in head):
        return None
    return cut, top, below, lefts, repeated


def _table_rows(lines: list[Line], lefts: list[float]) -> int:
    """How many lines are rows of cells of three or more, each cell at one of `lefts`."""
    return sum(1 for line in lines if line.cells and line.cell_x and len(line.cells) >= 3
               and all(any(abs(x - left) < line.size for left in lefts)
                       for x in line.cell_x))


def _columns(lines: list[Line]) -> list[float]:
    """The left edges the lines' cells start at, those within a line's size merged."""
    size = max((line.size for line in lines), default=10.0)
    merged: list[float] = []
    for x in sorted(x for line in lines for x in (line.cell_x or [line.x0])):
        if not merged or x - merged[-1] >= size:
            merged.append(x)
    return merged


def _columns_used(lines: list[Line], lefts: list[float]) -> int:
    """How many of the column edges `lefts` some cell of `lines` starts at."""
    starts = [x for line in lines for x in (line.cell_x or [line.x0])]
    size = max((line.size for line in lines), default=10.0)
    return sum(1 for left in lefts if any(abs(x - left) < size for x in starts))


def _row_top(lines: list[Line], first_left: float, size: float, foot: float) -> float:
    """The first baseline of the last row on a page: the top of the run of lines of the
    first column that reaches down to the foot of the page (the foot if none does)."""
    column = sorted(line.y for line in lines if abs(line.x0 - first_left) < size)
    if not column or column[0] > foot + 1.6 * size:
        return foot
    top = column[0]
    for y in column[1:]:
        if y - top > 1.6 * size:
            break
        top = y
    return top


def _cell_pitch(lines: list[Line], size: float) -> float:
    """The commonest step between consecutive lines of one column (1.2 sizes if none)."""
    steps = Counter(round(a.y - b.y, 1) for a, b in pairwise(lines)
                    if abs(a.x0 - b.x0) < size and 0.9 * size < a.y - b.y < 1.8 * size)
    return steps.most_common(1)[0][0] if steps else 1.2 * size


def _by_cell(line: Line) -> list[Line]:
    """A row of cells as one line per cell (each at its cell's left edge), else the line."""
    if not (line.cells and line.cell_x):
        return [line]
    rights = [*line.cell_x[1:], line.x1]
    return [Line(text, left, right, line.y, line.y_last, line.size, line.bold, line.rotated)
            for text, left, right in zip(line.cells, line.cell_x, rights)]


def _extend_cells(row: Line, lines: list[Line], lefts: list[float]) -> None:
    """Each piece of `lines` (a line, or each cell of a row of cells) added to the cell of
    `row` whose column it starts in."""
    cells = list(row.cells or [])
    for piece in (piece for line in lines for piece in _by_cell(line)):
        column = max((k for k, left in enumerate(lefts) if left <= piece.x0 + piece.size),
                     default=0)
        cells[column] = f"{cells[column]} {piece.text}".strip()
    row.cells = cells
    row.text = " ".join(cells)


def _next_row(below: list[Line], first_left: float, size: float) -> tuple[int, bool]:
    """How many of the lines at the top of a page (from the top) go on the cut row, and
    whether a next row was found: the lines above the first line of the first column
    that starts the next row (after the first column's own run-on lines), or, with no
    next row, the lines up to the first gap between lines wider than two lines."""
    first_column = [line for line in below if abs(line.x0 - first_left) < size]
    next_top = None
    for k, line in enumerate(first_column):
        if k == 0 and line.text[:1].islower():
            continue
        if k > 0 and first_column[k - 1].y - line.y <= 1.6 * size and \
                first_column[0].text[:1].islower():
            continue
        next_top = line.y
        break
    if next_top is None:
        count = 1
        while count < len(below) and below[count - 1].y - below[count].y <= 2 * size:
            count += 1
        return count, False
    return sum(1 for line in below if line.y > next_top + 0.3 * size), True


def _body_size(pages: list[Page]) -> float:
    sizes: Counter = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _largest(boxes: list[_Box], running: list[Line]) -> str | None:
    """The largest text on the first page, if it is short and not a sentence: a heading
    before other text of its size (a letter's subject, not its address); a running head
    dropped from the page when it is set larger still (a report's title repeated at the
    top of every page)."""
    first = [box for box in boxes if box.page == 1 and box.kind in ("heading", "paragraph")
             and len(box.text().split()) <= 20 and not _ends_sentence(box.text())
             and not SENTENCE_INSIDE.search(box.text())]
    best = max(first, key=lambda box: (box.size, box.kind == "heading"), default=None)
    heads = [line for line in running if len(line.text.split()) <= 20 and not line.cells
             and sum(ch.isalpha() for ch in line.text) >= 3 and not _ends_sentence(line.text)
             and not SENTENCE_INSIDE.search(line.text)]
    head = max(heads, key=lambda line: line.size, default=None)
    if head is not None and (best is None or head.size > 1.2 * best.size):
        return head.text
    return best.text() if best is not None else None


# --------------------------------------------------------------------------- run-ons

_RUNNING_CELL = 15  # characters: a shorter cell ("Yes", "Green") is never a running head
_SKIPPABLE = {"footnote", "caption", "fragment", "table", "paragraph", "contents"}
_RUN_ON_REACH = 24  # boxes looked back over from a page's top: a page of a chart
_NAME_WORDS = 15  # at most, in the name of a row beside its next cell (an agenda item)


def _join_runons(boxes: list[_Box], pitch: _Pitch) -> list[_Box]:
    out: list[_Box] = []
    for box in boxes:
        target = None
        if out and _next_numbered_item(out[-1], box):
            out[-1].items.append([*(line.text for line in box.lines), *box.extra])
            for line in box.lines:  # a numbered list going on: "3. The housing service ..."
                out[-1].add(line)
            out[-1].page_end = max(out[-1].page_end, box.page)
            continue
        if box.kind == "paragraph" and not box.closed:
            target = _just_above(out, box, pitch) or _runs_on_from(out, box)
        elif box.kind == "fragment" and box.lines[0].text[:1].islower():
            # narrow lines going on from a bold run-in title just above ("Assessment of"
            # / "the degree of needs, ..." in a flowchart's box): one sentence
            target = _just_above(out, box, pitch)
        elif (box.kind == "list" and box.broke and out and out[-1].kind == "list"
              and out[-1].page < box.page and not out[-1].extra and not out[-1].items
              and not box.items and abs(out[-1].size - box.size) <= 0.1 * box.size
              and _is_bullet(box.lines[0].text)):
            out[-1].lines.extend(box.lines)  # a list going on over the page: more items
            out[-1].page_end = max(out[-1].page_end, box.page)
            continue
        elif (box.kind == "list" and out and out[-1].kind == "paragraph" and _open(out[-1])
              and NUMBERED_ITEM.match(box.lines[0].text)
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


def _next_numbered_item(items: _Box, box: _Box) -> bool:
    """Whether `box` (a paragraph or heading) is the next item of the numbered list
    `items` (from `_layout._numbered_lists`), past a page or column break or not."""
    if not items.items or box.kind not in ("paragraph", "heading") \
            or abs(items.size - box.size) > 0.1 * box.size:
        return False
    last = _LIST_NUMBER.match(items.items[-1][0])
    found = _LIST_NUMBER.match(box.lines[0].text)
    return last is not None and found is not None \
        and found[1] == _nth_marker(last[1][:1], len(items.items))


def _open(box: _Box) -> bool:
    """Whether a box's text stops without ending a sentence."""
    text = box.extra[-1] if box.extra else box.lines[-1].text
    return not (box.closed or _ends_sentence(text) or text.rstrip(_CLOSERS).endswith((":", ";")))


def _just_above(out: list[_Box], box: _Box, pitch: _Pitch) -> _Box | None:
    """A recent box of the same size that stops mid-sentence one line above `box`, in the
    same column (a paragraph the drawing order cut, or a bold run-in heading); before a
    capital, a size a little different (over 3%) is a subtitle or date line, not that."""
    lower = box.lines[0].text[:1].islower()
    for prev in reversed(out[-6:]):
        if prev.kind == "label":  # a table's label: what follows is its own cell
            return None
        if not lower and _FIELD_LINE.match(prev.lines[-1].text) \
                and not _CAPTION.match(prev.lines[-1].text):
            return None  # fields set a line each ("Contact: ..."): the text after is not theirs
        if (prev.page == box.page and not prev.extra
                and (prev.kind == "paragraph" or (lower and prev.kind == "heading"))
                and abs(prev.size - box.size) <= (0.1 if lower else 0.03) * box.size
                and 0.5 * box.size < prev.bottom - box.top <= 1.45 * pitch(box.size)
                and abs(prev.lines[-1].x0 - box.lines[0].x0) < box.size and _open(prev)):
            return prev
    return None


def _runs_on_from(out: list[_Box], box: _Box) -> _Box | None:
    """The earlier paragraph `box` continues (rule 8 of the module docstring), if any."""
    text = box.lines[0].text
    lower = text[:1].islower() and not _LIST_NUMBER.match(text)  # "b) The ...": an item
    if not (lower or box.broke):
        return None
    if not lower and len(box.lines) == 1 and len(text.split()) < 3 \
            and not _ends_sentence(text):
        return None  # a code or a name in the next cell ("SO1"), not the sentence going on
    heading_between = passed_box = False
    # over up to a page of chart labels and a caption (a lowercase start), else 6 boxes;
    # back onto an earlier page only past a page or column break
    for k, prev in enumerate(reversed(out[-(_RUN_ON_REACH if lower else 6):])):
        if k >= 6 and not box.broke and prev.page != box.page:
            return None
        if lower and prev.kind == "list" and abs(prev.size - box.size) <= 0.1 * box.size:
            if _open(prev):
                return prev  # a list item going on past a break
            continue  # a finished list between (a sidebar's): the sentence is further back
        if prev.kind == "paragraph" and abs(prev.size - box.size) <= 0.1 * box.size \
                and not _CAPTION.match(prev.lines[0].text) \
                and any(ch.isalpha() for ch in prev.lines[-1].text):  # not a chart's tick
            if lower and not _open(prev) and _set_in(prev, box):
                passed_box = True
                continue  # a box set in the column (a case study): the sentence is further back
            if not _open(prev) or _cell_beside(prev, box) \
                    or (passed_box and len(prev.lines) < 2 and len(prev.text().split()) < 6):
                return None  # finished, a name beside, or a label past the box (a tick box)
            text = prev.extra[-1] if prev.extra else prev.lines[-1].text
            last = text.split()[-1] if text.split() else ""
            joinable = lower or (not heading_between and (
                last[:1].islower() or text.endswith(",") or len(prev.lines) > 1)
                and not _room_left(prev, box))
            return prev if joinable else None
        heading_between |= prev.kind == "heading"
        if prev.kind not in _SKIPPABLE and not (lower and prev.kind == "heading"):
            return None
    return None


def _set_in(prev: _Box, box: _Box) -> bool:
    """Whether finished `prev` is set in `box`'s column apart from its text, on the same
    page: its left edge indented or outdented by more than a letter's size, or its size
    another (a case study or call-out box drawn after the text it interrupts)."""
    return prev.page == box.page and not box.broke and (
        abs(prev.left - box.left) > box.size or abs(prev.size - box.size) > 0.05 * box.size)


def _room_left(prev: _Box, box: _Box) -> bool:
    """Whether `box`'s first word would have fitted at the end of `prev`'s last line
    (of several), so that line ended its paragraph: a slide's point, a name, a
    reference, a cell; a paragraph going on in the next column fills its last line."""
    return len(prev.lines) > 1 and not prev.extra \
        and prev.right - prev.lines[-1].x1 > _first_word_width(box.lines[0])


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
