"""Cleaning: the small steps that turn extracted lines into clean text.

Each step is one function, used by the readers in this package:

- `fix_ligatures`: typographic ligatures (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ, ﬅ, ﬆ) become their letters.
- `remove_invisible`: soft hyphens, zero-width characters, byte-order marks and control
  characters are removed (tabs become spaces).
- `collapse_whitespace`: runs of spaces (including no-break and thin spaces) become one.
- `bullet_item`: a line opening with a bullet glyph (•, ●, ▪, ◦, -, *, –, Wingdings
  bullets, ...) is a list item; it is written with one `• ` prefix.
- `is_page_number`: "3", "- 3 -", "Page 3", "Page 3 of 40", "3/40", "iv" alone on a line.
- `find_running_lines`: lines at the top or bottom of pages that repeat (digits ignored,
  so "Page 3 of 40" and "Page 4 of 40" are one line) on at least 40% of the pages, and
  on at least two, are running headers and footers; the readers drop them.
- `join_lines`: the wrapped lines of one paragraph become one line. A word broken by a
  hyphen at a line end is rejoined without the hyphen when the next line starts with a
  lowercase letter ("inequal-" + "ities"); the hyphen stays when the next line starts
  otherwise ("non-" + "English"), when the hyphenated word appears unbroken elsewhere
  in the same document ("long-" + "term" where "long-term" occurs), and before "and" or
  "or" ("pre-" + "and post-natal").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}
_LIGATURE_TABLE = str.maketrans(LIGATURES)

# Soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM, noncharacters (pdfium
# marks hyphens it removed with U+FFFE) and the C0 controls except tab, newline, form feed.
_INVISIBLE = re.compile(
    "[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\uffff\x00-\x08\x0b\x0e-\x1f\x7f]")
_PLAIN = re.compile(r"(?:[!-~]| (?! ))*")  # printable ASCII, no runs of spaces: nothing to do
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# Bullet glyphs, including Symbol/Wingdings bullets that PDFs map to the private use area.
_BULLET = re.compile(
    "^\\s*(?:[\u2022\u25cf\u25aa\u25a0\u25e6\u25cb\u2023\u2043\u2219\u00b7\u27a2\u25ba"
    "\u25b6\u2713\u2714\u2756\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8]\\s*"
    "|[-*\u2013\u2014]\\s+)(?=\\S)"
)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+\d{1,4}|[-–—(\[]?\s*\d{1,3}\s*[-–—)\]]?)(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^(?=[ivxlc])(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")  # i to xcix
_DIGITS = re.compile(r"\d+")
_BROKEN_WORD = re.compile(r"([^\W\d_]+)-$")
_HYPHENATED = re.compile(r"\b[^\W\d_]+(?:-[^\W\d_]+)+\b")
_KEEP_HYPHEN_BEFORE = {"and", "or", "to"}


def fix_ligatures(text: str) -> str:
    """Expand typographic ligatures, which PDFs often keep as one character."""
    return text.translate(_LIGATURE_TABLE)


def remove_invisible(text: str) -> str:
    """Drop soft hyphens, zero-width characters and control characters; tabs become spaces."""
    return _INVISIBLE.sub("", text.replace("\t", " "))


def collapse_whitespace(line: str) -> str:
    """One space for any run of spaces, no-break or thin spaces; no spaces at the ends."""
    return _SPACES.sub(" ", line).strip()


def clean_line(line: str) -> str:
    """Ligatures, invisible characters and whitespace: the steps every line gets.

    A soft hyphen ending the line (U+00AD, or pdfium's marker for one) is kept as U+00AD so
    that `join_lines` can rejoin the broken word; anywhere else it is dropped.
    """
    if _PLAIN.fullmatch(line):
        return line.strip()
    soft_end = line.rstrip().endswith(("\u00ad", "\x02"))
    line = collapse_whitespace(remove_invisible(fix_ligatures(line)))
    return line + "\u00ad" if soft_end and line else line


def bullet_item(line: str) -> str | None:
    """The item's text with a `• ` prefix if `line` opens with a bullet, else None."""
    match = _BULLET.match(line)
    return None if match is None else "• " + line[match.end():].strip()


def is_page_number(line: str) -> bool:
    """Whether `line` is only a page number ("3", "- 3 -", "Page 3 of 40", "iv")."""
    line = line.strip()
    return bool(_PAGE_NUMBER.match(line) or _ROMAN.match(line))


def running_key(line: str) -> str:
    """The form in which repeated headers and footers are compared: digits ignored."""
    return _DIGITS.sub("#", collapse_whitespace(line).lower())


def find_running_lines(edge_lines: Sequence[Iterable[str]], *,
                       min_share: float = 0.4) -> set[str]:
    """Running headers and footers: `running_key`s seen on enough pages.

    `edge_lines` holds, for each page, the lines at its top and bottom. A key counts once
    a page; it is running when it occurs on at least `min_share` of the pages and on at
    least two of them.
    """
    n_pages = len(edge_lines)
    if n_pages < 2:
        return set()
    counts = Counter(key for lines in edge_lines
                     for key in {running_key(line) for line in lines if line.strip()})
    needed = max(2, math.ceil(min_share * n_pages))
    return {key for key, count in counts.items() if count >= needed}


def hyphenated_words(text: str) -> set[str]:
    """Hyphenated words written whole on a line ("long-term"), lowercased."""
    return {word.lower() for word in _HYPHENATED.findall(text)}


def join_lines(lines: Sequence[str], keep_hyphens: set[str] | frozenset = frozenset()) -> str:
    """Join the wrapped lines of one paragraph, rejoining words broken at line ends.

    `keep_hyphens` holds the document's own hyphenated words (`hyphenated_words`), whose
    hyphen is kept when they are broken at a line end.
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if out.endswith("\u00ad"):
            out = out[:-1] + line
            continue
        broken = _BROKEN_WORD.search(out, max(0, len(out) - 64)) if out[-1] == "-" else None
        if broken is None:
            out = f"{out} {line}"
            continue
        next_word = re.match(r"[^\W\d_]+", line)
        stem = out[:broken.end(1)]
        if next_word is None or not line[0].islower():
            out = f"{stem}-{line}"
        elif (f"{broken.group(1)}-{next_word.group(0)}".lower() in keep_hyphens
              or next_word.group(0) in _KEEP_HYPHEN_BEFORE):
            sep = " " if next_word.group(0) in _KEEP_HYPHEN_BEFORE else ""
            out = f"{stem}-{sep}{line}"
        else:
            out = f"{stem}{line}"
    return out.rstrip("\u00ad")
