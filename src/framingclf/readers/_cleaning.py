"""Cleaning: the small steps that turn extracted lines into clean text.

Each step is one function, used by the readers in this package:

- `fix_ligatures`: typographic ligatures (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ, ﬅ, ﬆ) become their letters.
- `remove_invisible`: soft hyphens, zero-width characters, byte-order marks, lone
  surrogates and control characters are removed (tabs become spaces); `is_plain` tells
  the lines (printable ASCII) that need none of this.
- `collapse_whitespace`: runs of spaces (including no-break and thin spaces) become one.
- `clean_line` runs those three, and reads a symbol font's glyph opening a line before a
  space (Symbol, Wingdings, OpenSymbol: PDFs map them to U+F020-U+F0FF) as "•".
- `bullet_item`: a line opening with a bullet glyph (•, ●, ▪, ◦, -, *, –, Wingdings
  bullets, Word's "o" before a capital, ...) is a list item; it is written with one `• `
  prefix.
- `is_page_number`: "3", "- 3 -", "Page 3", "Page 3 of 40", "3/40", "iv" alone on a line.
- `find_running_lines`: lines at the top or bottom of pages that repeat (digits ignored,
  so "Page 3 of 40" and "Page 4 of 40" are one line) on at least 40% of the pages, and
  on at least two, are running headers and footers; the readers drop them.
- `join_lines`: the wrapped lines of one paragraph become one line, mending words broken
  at a line end by a hyphen (or pdfium's U+FFFE / U+0002 marker, written here as U+00AD).
- `Vocabulary.mend`: whether a hyphen at a line end splits one word ("or-" + "ganisations")
  or joins a compound ("self-" + "harm"). Nearest evidence first: the hyphenated form
  written whole elsewhere in the document keeps the hyphen; the joined form written whole
  elsewhere drops it; so does a joined form that is an English word (spaCy's lemma
  lookup table, its forms and lemmas) when the second part is not one ("ex-" +
  "plained", "part-" + "nership") or the first is not a prefix British English keeps
  apart ("over-" + "view"; but "non-" + "smokers"); addresses ("/", "www", "http") and
  parts already hyphenated keep it; a compound prefix ("self", "multi", "non", ...) or
  second part ("based", "led", "term", ...) keeps it, as does a second part starting
  with a capital or a digit; two parts that are both words of the document (each at
  least 3 letters, the first at least 4), or both English words that make none joined
  ("owner-" + "occupiers"), keep it; otherwise the hyphen is dropped, since line-end
  hyphenation is the commoner case in justified text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}
_LIGATURE_TABLE = str.maketrans(LIGATURES)

# Soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM, noncharacters (pdfium
# marks hyphens it removed with U+FFFE), lone surrogates (which no file can store) and the
# C0 controls except tab, newline, form feed.
#: A note's number as it is set raised (`<sup>1</sup>`, `<sup>[2, 3]</sup>`, `<sup>*</sup>`).
RAISED_NOTE = re.compile(r"\[?\(?\d{1,3}(?:[,–-]\s?\d{1,3})*\)?\]?|[*†‡§]")
#: A note's mark after a sentence's stop: "[12]", "[3, 4]", "¹²", "<sup>3</sup>".
NOTE_MARK = re.compile(r"(?:\s*\[\d{1,3}(?:[,–-]\s?\d{1,3})*\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+"
                       r"|<sup>\s*\d{1,3}\s*</sup>)+$")
_INVISIBLE = re.compile(
    "[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\uffff\ud800-\udfff"
    "\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# A glyph of a symbol font (Symbol, Wingdings, OpenSymbol: PDFs map them to the private
# use area, U+F020-U+F0FF) opening a line before a space is a bullet: read as "•".
_COLON_DASH = re.compile(r":\s?[-–]\s*$")
_SYMBOL_BULLET = re.compile("^[\uf020-\uf0ff](?=\\s)")
# Bullet glyphs, including Symbol/Wingdings bullets that PDFs map to the private use area.
_BULLET = re.compile(
    "^\\s*(?:[\u2022\u25cf\u25aa\u25a0\u25e6\u25cb\u2023\u2043\u2219\u00b7\u27a2\u25ba"
    "\u25b6\u2713\u2714\u2756\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8]\\s*"
    "|[-*\u2013\u2014]\\s+|o\\s+(?=[A-Za-z]))(?=\\S)"
)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+\d{1,4}|[-–—(\[]?\s*\d{1,3}\s*[-–—)\]]?)(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^(?=[ivxlc])(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")  # i to xcix
_DIGITS = re.compile(r"\d+")
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


def is_plain(line: str) -> bool:
    """Printable ASCII without runs of spaces: a line with nothing to clean but its ends."""
    return line.isascii() and line.isprintable() and "  " not in line


def clean_line(line: str) -> str:
    """Ligatures, invisible characters and whitespace: the steps every line gets.

    A colon and dash ending the line (":-") is a colon. A soft hyphen ending the line
    (U+00AD, or pdfium's marker for one) is kept as U+00AD so that `join_lines` can
    rejoin the broken word; anywhere else it is dropped.
    """
    line = colon_end(line)
    if is_plain(line):
        return line.strip()
    soft_end = line.rstrip().endswith(("\u00ad", "\x02"))
    line = collapse_whitespace(remove_invisible(fix_ligatures(line)))
    line = _SYMBOL_BULLET.sub("\u2022", line)
    return line + "\u00ad" if soft_end and line else line


def colon_end(line: str) -> str:
    """`line` with a colon and dash at its end (":-", British for a colon leading into a
    list) read as a colon."""
    return _COLON_DASH.sub(":", line) if ":" in line[-4:] else line


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


_WORDS = re.compile(r"[^\W\d_]+")
_COMPOUND_FIRST = frozenset({
    "self", "multi", "non", "co", "cross", "well", "long", "short", "high", "low", "full", "off",
    "part", "anti", "inter", "post", "pre", "semi", "mid", "ex", "all", "half", "under",
    "over", "sub", "socio", "cost", "place", "evidence", "community", "health", "user",
    "person", "patient", "age", "life", "near", "real", "year", "one", "two", "three",
})
# prefixes British English keeps apart with a hyphen before a word ("non-smokers")
_HYPHEN_PREFIXES = frozenset({"non", "co", "pre", "anti", "multi", "semi", "sub", "self",
                              "cross", "socio", "ex", "inter", "post", "mid", "de", "re"})
_COMPOUND_SECOND = frozenset({
    "based", "led", "related", "driven", "term", "year", "years", "old", "level", "wide",
    "specific", "focused", "focussed", "centred", "centered", "making", "being", "care",
    "age", "aged", "friendly", "free", "owned", "run", "funded", "sensitive", "informed",
    "income", "scale", "quality", "risk", "up", "out", "on", "off", "in", "time", "going",
    "morbidity", "morbidities", "harm", "poisoning", "esteem", "management",
})


class Vocabulary:
    """A document's words, to decide whether a line-end hyphen splits a word or a compound.

    Words are looked up in the document's text when asked (and remembered), so building a
    vocabulary costs one pass of `str.lower`. A word counts where it stands whole: not
    inside a longer word, nor cut at a line end by a hyphen or a pdfium marker. The rules
    are in this module's docstring (`Vocabulary.mend`).
    """

    def __init__(self, text: str = "") -> None:
        self.text = text.lower()
        self.known: dict[str, bool] = {}

    def has(self, word: str) -> bool:
        """Whether `word` (lowercase) stands whole somewhere in the text."""
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = self._search(word)
        return found

    def _search(self, word: str) -> bool:
        text, end = self.text, len(word)
        index = text.find(word)
        while index >= 0:
            before = text[index - 1] if index else " "
            after = text[index + end] if index + end < len(text) else " "
            cut_before = before == "\n" and text[index - 2:index - 1] in ("-", "\u00ad")
            if not (before.isalnum() or after.isalnum() or before in _MARKS or after in _MARKS
                    or cut_before or (after == "-" and text[index + end + 1:index + end + 2]
                                      in ("\n", ""))):
                return True
            index = text.find(word, index + 1)
        return False

    def mend(self, left: str, right: str) -> str:
        """`left` and `right` (the text either side of a line-end hyphen) as one word."""
        head = _WORDS.findall(left)
        tail = _WORDS.match(right)
        if not head or tail is None:
            return f"{left}-{right}"
        first, second = head[-1].lower(), tail.group(0).lower()
        keep = self.has(f"{first}-{second}")
        if not keep and (self.has(first + second) or self._english(first, second)):
            return left + right
        known = english_words()
        keep = (keep or re.search(r"/|www|http|\w-\w", left + right, re.I) is not None
                or first in _COMPOUND_FIRST or second in _COMPOUND_SECOND
                or not right[:1].islower()
                or (len(first) >= 4 and len(second) >= 3
                    and self.has(first) and self.has(second))
                or (len(first) >= 3 and len(second) >= 3 and first in known
                    and second in known))  # "owner-" + "occupiers": no word joined
        return f"{left}-{right}" if keep else left + right

    @staticmethod
    def _english(first: str, second: str) -> bool:
        """Whether `first` + `second` is an English word split by hyphenation: a word of
        spaCy's table whose second part is not a word ("ex-" + "plained", "part-" +
        "nership"), or is one after a first part that is not a prefix British English
        keeps apart ("over-" + "view", "under-" + "stand"; but "non-" + "smokers",
        "co-" + "operation" and "follow-" + "up" go on to the rules below)."""
        known = english_words()
        return first + second in known and (second not in known or (
            first not in _HYPHEN_PREFIXES and second not in _COMPOUND_SECOND))

    def mend_markers(self, line: str) -> str:
        """Mend pdfium's hyphen markers (U+FFFE, U+0002) inside a line."""
        return _MARKER.sub(lambda m: self.mend(m.group(1), m.group(2)), line)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English word forms and their lemmas, from spacy-lookups-data's lemma table (the one
    the pipeline lemmatises with; about 45k words, read once in about 30 ms): a word split
    at a line end that the document does not decide is joined when it makes one of these."""
    import gzip
    import json
    from importlib import resources

    try:
        path = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
        with path.open("rb") as handle:
            table = json.loads(gzip.decompress(handle.read()))
    except (ImportError, OSError, ValueError):  # no tables: the document alone decides
        return frozenset()
    return frozenset(word.lower() for pair in table.items() for word in pair)


_MARKS = frozenset("\ufffe\x02\u00ad")
_MARKER = re.compile("(\\S*)[\ufffe\x02](\\S*)")
_EMPTY = Vocabulary()


def join_lines(lines: Sequence[str], vocabulary: Vocabulary | None = None) -> str:
    """Join the wrapped lines of one paragraph, mending words broken at line ends.

    A line ending in U+00AD (a soft hyphen, or pdfium's line-end marker kept by
    `clean_line`) or in a hyphen after a letter is mended by `vocabulary` (`Vocabulary`)
    when the next line starts in lowercase; a hyphen before another start stays, without a
    space ("non-" + "English"), as does one before "and", "or" or "to" ("pre- and post-").
    """
    if not any(line.endswith(("-", "\u00ad")) for line in lines[:-1]):
        return " ".join(line for line in (line.strip() for line in lines) if line).rstrip("\u00ad")
    vocabulary = vocabulary or _EMPTY
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        soft = out.endswith("\u00ad")
        if not soft and not (out.endswith("-") and len(out) > 1 and out[-2].isalpha()):
            out = f"{out} {line}"
            continue
        stem = out[:-1]
        first = line.split(" ", 1)[0]
        if first.lower() in _KEEP_HYPHEN_BEFORE and not soft:
            out = f"{stem}- {line}"
        elif line[:1].islower() or soft:
            cut = stem.rfind(" ") + 1
            out = stem[:cut] + vocabulary.mend(stem[cut:], first) + line[len(first):]
        else:
            out = f"{stem}-{line}"
    return out.rstrip("\u00ad")
