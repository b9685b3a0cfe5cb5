"""Deficit-label language: terms that name groups by a lack or a risk.

Studies of local health systems find inequalities framed through labels on groups
("vulnerable", "hard to reach", "at risk", "deprived", "disadvantaged") more than through
the processes that produce them. `DeficitLexicon` finds these terms in passages from an
editable list (``framingclf/data/deficit_terms.txt`` by default), longest match first,
so "most deprived" counts once, not also as "deprived".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from framingclf._resources import term_list
from framingclf.validation import check_texts


def default_deficit_terms() -> tuple[str, ...]:
    """The packaged list of deficit terms (``framingclf/data/deficit_terms.txt``)."""
    return term_list("deficit_terms")


class DeficitLexicon:
    """Find deficit labels in text. `terms` defaults to the packaged list."""

    def __init__(self, terms: Iterable[str] | None = None):
        self.terms = tuple(default_deficit_terms() if terms is None else terms)
        ordered = sorted({t.lower().strip() for t in self.terms if t.strip()}, key=len,
                         reverse=True)
        parts = [r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", t))
                 for t in ordered]
        self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])",
                                   re.IGNORECASE) if parts else None

    def find(self, text: str) -> list[str]:
        """The deficit terms in `text`, lower-cased and with single spaces, in order."""
        if self._pattern is None:
            return []
        return [" ".join(re.split(r"[\s\-]+", m.group(0).lower()))
                for m in self._pattern.finditer(text)]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term) of each deficit term in `text`, as `find` names them."""
        if self._pattern is None:
            return []
        return [(m.start(), m.end(), " ".join(re.split(r"[\s\-]+", m.group(0).lower())))
                for m in self._pattern.finditer(text)]

    def find_all(self, texts: Iterable[str]) -> list[list[str]]:
        return [self.find(text) for text in check_texts(texts)]


@lru_cache(maxsize=1)
def default_lexicon() -> DeficitLexicon:
    """A `DeficitLexicon` of the packaged terms, built once per process."""
    return DeficitLexicon()
