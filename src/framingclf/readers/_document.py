"""The data model a reader produces: a `Document` of `Block`s.

A `Document` holds its source path, content hash, title, format, metadata and `Block`s
(paragraphs, headings, tables) with page numbers and heading paths. `Document.text` is
the cleaned full text, the blocks joined by blank lines; each block's `char_start` and
`char_end` locate it there, and passages carry offsets into the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BLOCK_SEPARATOR = "\n\n"


@dataclass
class Block:
    """A paragraph, heading or table of a document, with where it stands.

    `page` is where the block starts and `page_end` where it ends (a paragraph can run
    over a page break). `char_start`/`char_end` locate it in `Document.text`.
    """

    text: str
    page: int
    kind: str = "paragraph"  # "paragraph", "heading" or "table"
    heading_path: tuple[str, ...] = ()
    level: int = 0
    page_end: int = 0
    char_start: int = 0
    char_end: int = 0

    def __post_init__(self) -> None:
        self.page_end = max(self.page_end, self.page)


@dataclass
class Document:
    """A read document: where it came from, its hash, title, metadata, blocks and text."""

    path: str
    sha256: str
    title: str
    blocks: list[Block]
    n_pages: int
    metadata: dict = field(default_factory=dict)
    format: str = "text"
    text: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        parts, offset = [], 0
        for block in self.blocks:
            block.char_start, block.char_end = offset, offset + len(block.text)
            parts.append(block.text)
            offset = block.char_end + len(BLOCK_SEPARATOR)
        self.text = BLOCK_SEPARATOR.join(parts)

    @property
    def doc_id(self) -> str:
        """Stable id: the first 16 hex digits of the content hash."""
        return self.sha256[:16]


def assign_heading_paths(blocks: list[Block]) -> list[Block]:
    """Set each block's heading path from the headings (and their levels) before it."""
    headings: list[tuple[int, str]] = []
    for block in blocks:
        if block.kind == "heading":
            level = max(block.level, 1)
            headings = [h for h in headings if h[0] < level] + [(level, block.text)]
        block.heading_path = tuple(text for _, text in headings)
    return blocks
