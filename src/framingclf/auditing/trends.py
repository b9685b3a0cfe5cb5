"""Which way a document's own figures move: worse or better for the disadvantaged group.

A figure's direction comes from its numbers ("from 58.1% to 53.4%", "49.8%, down from
52.1%") or from its verb ("rose by 14%", "widened"); whether that is worse or better
comes from the measure nearest before it: higher is better for uptake or life
expectancy (``metric_good.txt``), worse for admissions, deaths or a gap
(``metric_bad.txt``). Clauses about the comparison group ("..., while in the rest of
the borough it rose") are skipped. A gap given now and as it was before ("89%
against 95%; in February the gap was 14 points", "a gap of 6.2 years. In 2008-10 the
gap was 5.6 years") is worse when it has grown. The lists are in
``framingclf/data/audit/``.
"""

from __future__ import annotations

import re

from framingclf.auditing.patterns import AuditPatterns, split_sentences

_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
_FROM_TO = re.compile(rf"\bfrom {_NUMBER}\b[^.;]{{0,40}}?\bto {_NUMBER}\b", re.IGNORECASE)
_NOW_FROM = re.compile(rf"{_NUMBER}\s*(?:%|per cent|years|weeks|points)?,? "
                       rf"(?:up|down) from {_NUMBER}\b", re.IGNORECASE)
_CLAUSES = re.compile(r",\s+|;\s+|\s+(?=(?:while|whereas|against)\b)", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DIGIT = re.compile(r"\d")
_NEGATED = re.compile(r"\b(?:not|n't|never)\s+(?:\w+\s+)?$", re.IGNORECASE)
_UNIT = r"\s*(%|per cent| years?| weeks?| points?)"
_GAP_NOW = re.compile(rf"\ba (?:gap|difference) of {_NUMBER}", re.IGNORECASE)
_PAIR_NOW = re.compile(rf"\b{_NUMBER}{_UNIT}[^.;]{{0,120}}?\bagainst {_NUMBER}",
                       re.IGNORECASE)
_GAP_THEN = re.compile(rf"\b(?:gap|difference) was {_NUMBER}|\bfigures were {_NUMBER}"
                       rf"(?:{_UNIT})? and {_NUMBER}", re.IGNORECASE)
WORSE, BETTER = "worsening", "improving"


def clause_direction(patterns: AuditPatterns, clause: str) -> int:
    """+1 when the clause's figure goes up, -1 down, 0 when it cannot be told."""
    for regex in (_FROM_TO, _NOW_FROM):
        match = regex.search(clause)
        if match and not any(_YEAR.match(g) for g in match.groups()):
            a, b = (float(g.replace(",", "")) for g in match.groups())
            if regex is _NOW_FROM:
                a, b = b, a
            if a != b:
                return 1 if b > a else -1
    up, down = (_said(patterns, cue, clause) for cue in ("change_up", "change_down"))
    if up and (not down or up[0].start < down[0].start):
        return 1
    return -1 if down else 0


def clause_polarity(patterns: AuditPatterns, clause: str, before: int) -> int:
    """+1 if the clause's measure is one where higher is better, -1 where higher is worse
    (a gap, or admissions, deaths ...), 0 if it names none: a gap said before position
    `before` (where the change is said) first, else the measure nearest before it, else
    the first after it."""
    if any(h.start < before for h in patterns.find("metric_gap", clause)):
        return -1
    found = sorted([(h.start, -h.end, 1) for h in patterns.find("metric_good", clause)]
                   + [(h.start, -h.end, -1) for h in patterns.find("metric_bad", clause)])
    outer, end = [], -1  # drop a measure inside a longer one ("no obvious decay")
    for start, neg_end, sign in found:
        if -neg_end > end:
            outer.append((start, sign))
            end = max(end, -neg_end)
        elif start >= end:
            outer.append((start, sign))
    earlier = [sign for start, sign in outer if start < before]
    if earlier:
        return earlier[-1]
    if outer:
        return outer[0][1]
    return -1 if patterns.find("metric_gap", clause) else 0


def gap_then_and_now(text: str) -> list[tuple[str, str]]:
    """(``worsening`` or ``improving``, sentence) for a gap given now and as it was
    before: worse when it has grown."""
    out = []
    for then in _GAP_THEN.finditer(text):
        if then.group(1) is not None:
            before = float(then.group(1).replace(",", ""))
        else:
            before = abs(float(then.group(2)) - float(then.group(4)))
        now = _gap_before(text[:then.start()])
        if now is not None and now != before:
            sentence = next((s for s in split_sentences(text) if then.group(0) in s),
                            then.group(0))
            out.append((WORSE if now > before else BETTER, sentence))
    return out


def _gap_before(text: str) -> float | None:
    """The last gap given in `text`: "a gap of N", or "A ... against B" (same unit)."""
    gaps = list(_GAP_NOW.finditer(text))
    pairs = [m for m in _PAIR_NOW.finditer(text) if not m.group(2).strip() == "points"]
    last = max(gaps + pairs, key=lambda m: m.end(), default=None)
    if last is None:
        return None
    if last.re is _GAP_NOW:
        return float(last.group(1).replace(",", ""))
    return abs(float(last.group(1).replace(",", "")) - float(last.group(3).replace(",", "")))


def figure_trends(patterns: AuditPatterns, text: str) -> list[tuple[str, str]]:
    """(``worsening`` or ``improving``, sentence) for each figure of `text` whose
    direction and measure can be told, skipping figures for the comparison group, and
    for each gap given now and before (`gap_then_and_now`)."""
    out = gap_then_and_now(text)
    for sentence in split_sentences(text):
        if not _DIGIT.search(sentence):  # "the gap is narrowing" is a claim, not a figure
            continue
        polarity = 0  # a clause naming no measure reads the one before ("..., up from 6.8")
        for clause in _CLAUSES.split(sentence):
            clause = clause.strip()
            if not clause or _about_comparison(patterns, clause):
                continue
            polarity = clause_polarity(patterns, clause,
                                       _change_position(patterns, clause)) or polarity
            direction = clause_direction(patterns, clause)
            if direction and polarity:
                out.append((WORSE if direction * polarity < 0 else BETTER, sentence))
    return out


def _said(patterns: AuditPatterns, cue: str, clause: str) -> list:
    """The cue's matches not negated ("has not narrowed" says no change)."""
    return [h for h in patterns.find(cue, clause)
            if not _NEGATED.search(clause[max(0, h.start - 12):h.start])]


def _about_comparison(patterns: AuditPatterns, clause: str) -> bool:
    hits = patterns.find("comparison", clause)
    return bool(hits) and hits[0].start == 0


def _change_position(patterns: AuditPatterns, clause: str) -> int:
    """Where the clause's change is said: its first change word or "from"."""
    starts = [h.start for cue in ("change_up", "change_down") for h in patterns.find(cue, clause)]
    match = _FROM_TO.search(clause) or _NOW_FROM.search(clause)
    if match:
        starts.append(match.start())
    return min(starts) if starts else len(clause)
