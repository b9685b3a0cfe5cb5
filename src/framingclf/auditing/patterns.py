"""The audit's transparent patterns: editable lists of regular expressions.

Each list lives in ``framingclf/data/audit/<cue>.txt``, one regular expression per line
(case-insensitive, matched at word boundaries, ``#`` starting a comment), so an analyst
can read exactly what a check looks for and change it. The lists serve twice: as
features of the passage model (`PatternFeatures`, which keeps the lists it was trained
with) and, read afresh at audit time, to find the sentences that decide a verdict, the
names of deprivation measures, and deficit labels.

``measures.txt`` is different: each line is ``name: regex``, and patterns sharing a
name are one measure (IDACI and IDAOPI are both income deprivation).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from framingclf._resources import term_list
from framingclf.errors import InvalidInputError

#: The pattern lists, by cue (file ``data/audit/<cue>.txt``).
CUES: tuple[str, ...] = (
    "definition", "definition_fair", "definition_equality", "context", "context_health",
    "measure_reference", "scale", "condition", "cross_cutting", "pilot", "sustained",
    "progress_claim", "worsening", "improving", "metric_good", "metric_bad", "metric_gap",
    "change_up",
    "change_down", "comparison", "inequality", "figure_words", "deficit_people",
    "deficit_rejected",
)
MEASURES = "measures"
#: Cues also looked for in a passage's heading (a condition heading, a people heading).
HEADING_CUES: tuple[str, ...] = ("condition", "cross_cutting")
_QUOTES = "'\"\u2018\u201c"


@dataclass(frozen=True)
class Hit:
    """One match of a cue in a text: the cue (or measure name), where, and what."""

    cue: str
    start: int
    end: int
    text: str


def packaged_lists() -> dict[str, tuple[str, ...]]:
    """The packaged pattern lists, by cue (with ``measures``)."""
    return {cue: term_list(f"audit/{cue}") for cue in (*CUES, MEASURES)}


def _compile(cue: str, patterns: Sequence[str]) -> re.Pattern | None:
    """One regular expression matching any of `patterns` as whole words; None when there
    are none."""
    return _combined(cue, patterns) if patterns else None


def _combined(cue: str, patterns: Sequence[str]) -> re.Pattern:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InvalidInputError(
                f"audit pattern list {cue!r}: {pattern!r} is not a regular expression "
                f"({exc}); fix the line in framingclf/data/audit/{cue}.txt or the list "
                "passed in") from None
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w-])",
                      re.IGNORECASE)


def _measure_lines(lines: Iterable[str]) -> list[tuple[str, str]]:
    out = []
    for line in lines:
        name, sep, pattern = line.partition(": ")
        if not sep or not name.strip() or not pattern.strip():
            raise InvalidInputError(
                f"audit measure list: {line!r} is not 'name: regular expression'; write "
                "each line as e.g. 'IMD: index of multiple deprivation'")
        out.append((name.strip(), pattern.strip()))
    return out


T = TypeVar("T")
_MISSING = object()

#: (cue, text) pairs whose matches an `AuditPatterns` remembers before starting afresh.
_MEMO_SIZE = 100_000


class AuditPatterns:
    """Find the audit's cues in text. `lists` maps cue to regular expressions; cues not
    given take the packaged list (see the module docstring)."""

    def __init__(self, lists: Mapping[str, Iterable[str]] | None = None):
        given = {cue: tuple(patterns) for cue, patterns in (lists or {}).items()}
        unknown = sorted(set(given) - {*CUES, MEASURES})
        if unknown:
            raise InvalidInputError(f"audit patterns: unknown lists {unknown}; expected "
                                    f"some of {[*CUES, MEASURES]}")
        packaged = packaged_lists()
        self.lists = {cue: given.get(cue, packaged[cue]) for cue in (*CUES, MEASURES)}
        self._regex = {cue: _compile(cue, self.lists[cue]) for cue in CUES}
        measure_lines = _measure_lines(self.lists[MEASURES])
        self._measures = [(name, _combined(MEASURES, [pattern]))
                          for name, pattern in measure_lines]
        self._any_measure = _compile(MEASURES, [pattern for _, pattern in measure_lines])

    def _matches(self, cue: str, text: str) -> tuple[Hit, ...]:
        """`cue`'s matches in `text`, remembered: the features, the rules and the
        evidence all ask of the same passages, and scanning is most of the audit's time."""
        return self.remembered(cue, text, lambda patterns, t: patterns._scan(cue, t))

    def _scan(self, cue: str, text: str) -> tuple[Hit, ...]:
        regex = self._regex[cue]
        return () if regex is None else tuple(
            Hit(cue, m.start(), m.end(), m.group(0)) for m in regex.finditer(text))

    def remembered(self, name: str, text: str, compute: Callable[[AuditPatterns, str], T]
                   ) -> T:
        """``compute(self, text)``, remembered under `name` (a cue's matches, or a
        reading of a passage, such as its figures' trends, that several steps ask for)."""
        memo = self.__dict__.setdefault("_memo", {})
        found = memo.get((name, text), _MISSING)
        if found is _MISSING:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            found = memo[(name, text)] = compute(self, text)
        return found

    def find(self, cue: str, text: str) -> list[Hit]:
        """The matches of `cue`'s list in `text`, in order."""
        return list(self._matches(cue, text))

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_memo", None)
        return state

    def count(self, cue: str, text: str) -> int:
        return len(self._matches(cue, text))

    def measures(self, text: str) -> list[Hit]:
        """The named measures in `text` (the hit's cue is the measure's name), longest
        match first where two overlap."""
        if self._any_measure is None or not self._any_measure.search(text):
            return []  # most passages name no measure: one scan instead of one per measure
        found = [Hit(name, m.start(), m.end(), m.group(0)) for name, regex in self._measures
                 for m in regex.finditer(text)]
        found.sort(key=lambda h: (h.start, h.start - h.end))
        kept: list[Hit] = []
        for hit in found:
            if not kept or hit.start >= kept[-1].end:
                kept.append(hit)
        return kept

    def health_link(self, text: str) -> list[Hit]:
        """Words linking a passage to health: health outcomes (``context_health.txt``)
        or conditions (``condition.txt``)."""
        return sorted(self.find("context_health", text) + self.find("condition", text),
                      key=lambda h: h.start)

    def deficit(self, text: str, lexicon=None) -> list[Hit]:
        """Deficit labels on groups (the hit's cue is the lexicon's term): the deficit
        lexicon's terms that label people (``deficit_people.txt``), except those quoted or
        described to reject them (``deficit_rejected.txt``): "the most deprived quintile"
        and "food is hard to reach" are not labels on people."""
        if lexicon is None:
            from framingclf.lexicon import default_lexicon

            lexicon = default_lexicon()
        people, rejected = self._regex["deficit_people"], self._regex["deficit_rejected"]
        hits = []
        for start, end, term in lexicon.spans(text):
            if start and text[start - 1] in _QUOTES:
                continue
            if rejected is not None and rejected.search(text[max(0, start - 40):start]):
                continue
            if people is not None and not self._about_people(people, text, start, end, term):
                continue
            hits.append(Hit(term, start, end, text[start:end]))
        return hits

    @staticmethod
    def _about_people(people: re.Pattern, text: str, start: int, end: int, term: str) -> bool:
        """Whether a deficit term labels people: it names them ("vulnerable groups"), is
        followed by them, perhaps after one word ("vulnerable older people"), or, except
        for "deprived" and "disadvantaged" (which otherwise name places), follows them
        closely ("these patients are hard to reach") or stands for them ("the most
        vulnerable")."""
        after = text[end:end + 40].lstrip(" -")
        if people.search(term) or people.match(after) or people.match(after.split(" ", 1)[-1]):
            return True
        if "depriv" in term or "disadvantag" in term:
            return False
        before = text[max(0, start - 60):start]
        return people.search(before) is not None or before.lower().endswith("the ")


@lru_cache(maxsize=1)
def default_patterns() -> AuditPatterns:
    """The packaged patterns, compiled once per process."""
    return AuditPatterns()


def heading_of(section: object) -> str:
    """The innermost heading of a passage's section path ("Org > 2. Cancer" -> "2. Cancer")."""
    if not isinstance(section, str):
        return ""
    return section.rsplit(" > ", 1)[-1].strip()


class PatternFeatures(TransformerMixin, BaseEstimator):
    """Pattern counts as features: log(1 + hits) of each cue in a passage's text, of the
    heading cues in its heading, and a few combinations (a definition sentence with or
    without its fairness words, named measures, deficit labels).

    Takes a DataFrame with ``text`` and ``heading`` columns (or a list of texts). The
    lists are copied at `fit`, so a saved model keeps the patterns it was trained with.
    """

    def __init__(self, lists: Mapping[str, Sequence[str]] | None = None):
        self.lists = lists

    def fit(self, X, y: object = None) -> PatternFeatures:
        patterns = AuditPatterns(self.lists)
        self.lists_ = {cue: list(values) for cue, values in patterns.lists.items()}
        return self

    @property
    def patterns(self) -> AuditPatterns:
        cached = self.__dict__.get("_patterns")
        if cached is None:
            cached = self.__dict__["_patterns"] = AuditPatterns(self.lists_)
        return cached

    def _cues(self) -> list[str]:
        """The cues counted: those of the lists kept at `fit`."""
        return [cue for cue in self.lists_ if cue != MEASURES]

    def feature_names(self) -> list[str]:
        return [*self._cues(), *(f"heading_{c}" for c in HEADING_CUES), "definition_whole",
                "definition_part", "measure_named", "deficit", "figures_worsening",
                "figures_improving"]

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(self.feature_names(), dtype=object)

    def transform(self, X) -> sp.csr_matrix:
        texts, headings = passage_columns(X)
        rows = [self._row(text, heading) for text, heading in zip(texts, headings)]
        return sp.csr_matrix(np.log1p(np.asarray(rows, dtype=float).reshape(
            len(rows), len(self.feature_names()))))

    def _row(self, text: str, heading: str) -> list[int]:
        p = self.patterns
        counts = [p.count(cue, text) for cue in self._cues()]
        heads = [p.count(cue, heading) for cue in HEADING_CUES]
        whole, part = definition_sentences(p, text)
        from framingclf.auditing.trends import WORSE, figure_trends

        trends = [kind for kind, _ in figure_trends(p, text)]
        return [*counts, *heads, len(whole), len(part), len(p.measures(text)),
                len(p.deficit(text)), trends.count(WORSE), len(trends) - trends.count(WORSE)]

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_patterns", None)
        return state


def passage_columns(X) -> tuple[list[str], list[str]]:
    """The texts and headings of passages given as a DataFrame (``text``, optional
    ``heading``) or a list of texts."""
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise InvalidInputError(f"passages: a 'text' column is needed; found "
                                    f"{list(X.columns)}")
        texts = X["text"].fillna("").astype(str).tolist()
        headings = (X["heading"].fillna("").astype(str).tolist() if "heading" in X.columns
                    else [""] * len(texts))
        return texts, headings
    if isinstance(X, str):
        raise InvalidInputError("passages: expected a list of texts or a DataFrame, got a "
                                "single string; wrap it in a list")
    texts = ["" if t is None else str(t) for t in X]
    return texts, [""] * len(texts)


def definition_sentences(patterns: AuditPatterns, text: str) -> tuple[list[str], list[str]]:
    """Sentences of `text` that define health inequalities: those that say they are
    unfair, avoidable or systematic (whole), and the others (part)."""
    whole: list[str] = []
    part: list[str] = []
    if not patterns.find("definition", text):
        return whole, part
    sentences = split_sentences(text)
    for i, sentence in enumerate(sentences):
        if patterns.find("definition", sentence):
            # "... are systematic differences ... They are avoidable, and so unjust."
            fair = patterns.find("definition_fair", " ".join(sentences[i:i + 2]))
            (whole if fair else part).append(sentence)
    return whole, part


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'(\u2018\u201c])|\n+")


_FIGURE = re.compile(r"(?<![\w/-])(?!(?:19|20)\d\d\b)\d[\d,.]*(?!\d)")


def has_figure(text: str, patterns: AuditPatterns | None = None) -> bool:
    """Whether `text` holds a figure: a number that is not a year, or a figure in words
    (``figure_words.txt``: "rose by a third", "between 2005 and 2013")."""
    if _FIGURE.search(text) is not None:
        return True
    return bool((patterns or default_patterns()).find("figure_words", text))


def split_sentences(text: str) -> list[str]:
    """The sentences (and list items) of `text`: cut after ., !, ? or ; before a capital
    or a figure, and at line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
