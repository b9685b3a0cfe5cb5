"""Titles: the first sane candidate a reader offers, else the humanised file name.

Each reader passes its candidates nearest first: the document's metadata (a PDF's Title,
a DOCX's core properties), then what the page shows (the largest text on a PDF's first
page, a heading before other text of its size, and a running head when it is set larger
than the rest: a report's title repeated atop every page; an HTML page's `<h1>` and
`<title>` less the site name; a Title-styled paragraph; a front matter's title),
and last the first heading. A candidate is rejected (`title_problem`) when it is:

- junk: fewer than 3 letters once whitespace is collapsed;
- "contents" (or "table of contents", "index") or a placeholder ("untitled", "title",
  "document", "PowerPoint Presentation", "Slide 1", "Microsoft Word - ...");
- the name of a section rather than of the document ("Introduction", "1. Summary",
  "Foreword", "Background", ...);
- figures: two words or more, and over half, are figures (a row of statistics set large);
- a domain or web address ("www.leeds.gov.uk", "https://...");
- a file name: one with a document extension, or the file's own name or stem.

A title longer than 200 characters is cut at a word. With no sane candidate the title is
the file name humanised: separators become spaces and the first letter a capital
("leeds-unpaid-carers-2023.pdf" gives "Leeds unpaid carers 2023").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from framingclf.readers._document import Block

MAX_TITLE = 200
_PLACEHOLDERS = {"contents", "table of contents", "index", "untitled", "title", "document",
                 "powerpoint presentation", "presentation", "slide", "new document",
                 "untitled document", "word document", "pdf", "home", "report title",
                 "title of report", "paper title", "title of paper", "subject"}
_SECTION_NAMES = {"introduction", "summary", "executive summary", "foreword", "background",
                  "overview", "abstract", "preface", "acknowledgements", "acknowledgments",
                  "purpose", "recommendations", "appendix", "glossary", "references"}
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:[/:?#]\S*)?$", re.I)
_FILE_NAME = re.compile(r"\.(?:pdf|docx?|dotx?|html?|md|markdown|txt|rtf|odt|pptx?|xlsx?|"
                        r"csv|indd|ai)$|^microsoft (?:word|powerpoint) - |^slide \d+$", re.I)


def title_problem(title: str | None, path: str | Path | None = None) -> str | None:
    """Why `title` cannot be a document's title ("junk", "contents", "placeholder",
    "section name", "figures", "domain", "file name"), or None when it can."""
    text = " ".join((title or "").split())
    if sum(ch.isalpha() for ch in text) < 3:
        return "junk"
    lowered = text.lower().strip(" .:")
    if lowered in ("contents", "table of contents", "index"):
        return "contents"
    if lowered in _PLACEHOLDERS:
        return "placeholder"
    if re.sub(r"^[\d.\s]+", "", lowered) in _SECTION_NAMES:
        return "section name"
    if mostly_figures(text):
        return "figures"
    if _DOMAIN.match(text):
        return "domain"
    if _FILE_NAME.search(text):
        return "file name"
    if path is not None and text in (Path(path).name, Path(path).stem):
        return "file name"
    return None


def mostly_figures(text: str) -> bool:
    """Whether two or more words of `text`, and more than half, are figures (a digit and
    at most one letter: "71.3", "38%", "2x", "£24k"): a row of statistics set large ("71.3
    38% 1 in 3 2x"), not a title or a heading ("CORE20 PLUS 5", "11.Training", "1. Section
    1" are: a section's number opening it is not counted)."""
    words = re.sub(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+", "", text).split()
    figures = sum(any(ch.isdigit() for ch in word) and sum(ch.isalpha() for ch in word) <= 1
                  for word in words)
    return figures >= 2 and figures > 0.5 * len(words)


def humanise(path: str | Path) -> str:
    """A file name as a title: separators as spaces, the first letter a capital."""
    text = " ".join(re.sub(r"[_\-.+]+", " ", Path(path).stem).split())
    if not text:
        return "Untitled document"
    return text[:1].upper() + text[1:]


def _cut(text: str) -> str:
    if len(text) <= MAX_TITLE:
        return text
    return text[:MAX_TITLE].rsplit(" ", 1)[0]


def choose_title(path: str | Path, candidates: Iterable[str | None],
                 blocks: Sequence[Block] = ()) -> str:
    """The first sane candidate, then the first heading, else the humanised file name."""
    heading = next((block.text for block in blocks if block.kind == "heading"), None)
    for candidate in [*candidates, heading]:
        if candidate and title_problem(candidate, path) is None:
            return _cut(" ".join(candidate.split()))
    return humanise(path)
