"""Which way a document's own figures move: worse or better for the disadvantaged group.

A figure's direction comes from its numbers ("from 58.1% to 53.4%", "49.8%, down from
52.1%") or from its verb ("rose by 14%", "widened"); whether that is worse or better
comes from the measure nearest before it: higher is better for uptake or life
expectancy (``metric_good.txt``), worse for admissions, deaths or a gap
(``metric_bad.txt``). Clauses about the comparison group ("..., while in the rest of
the borough it rose") are skipped. A gap given now and as it was before ("89%
against 95%; in February the gap was 14 points", "a gap of 6.2 years. In 2008-10 the
gap was 5.6 years") is worse when it has grown. Figures given as a series of periods
with their values, as tables are flattened into text ("2019/20, 11.2%; 2022/23, 13.9%",
"2011-13, 45.1% and 66.8%; 2013-15, 48.9% and 67.3%") are read by `series_trends`: one
value a period moves like a figure; two values a period are the group and its
comparison, worse when the distance between them has grown. The lists are in
``framingclf/data/audit/``.
"""

from __future__ import annotations

import re
from itertools import pairwise

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
#: A series: its label, start and end in the text, and the values of each period.
_Series = tuple[str, int, int, list[tuple[float, ...]]]
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
#: A period of a series: a year, financial year or span, with any quarter or month.
_PERIOD = re.compile(rf"\b(?:(?:quarter|q)\s?[1-4],?\s+|(?:{_MONTHS})\s+)?"
                     r"((?:19|20)\d\d)(?:\s?[/-]\s?(?:(?:19|20)?\d\d))?\b"
                     r"(?!\s?(?:%|per cent))", re.IGNORECASE)
_VALUE_IN = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(?:%|per cent|years?)?\s+in\s+"
                       r"((?:19|20)\d\d(?:[/-]\d\d(?:\d\d)?)?)\b", re.IGNORECASE)
_VALUE = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?![\w/-])")
#: What may stand between a period and its values: a few words or a note in brackets.
_BETWEEN = re.compile(r"^[\s,:;]*(?:\([^)]{0,30}\)\s*|[a-z]+\s+){0,3}[\s,:]*$",
                      re.IGNORECASE)


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


def series_trends(patterns: AuditPatterns, text: str) -> list[tuple[str, str]]:
    """(``worsening`` or ``improving``, the series) for each series of periods with one
    or two values each in `text` (module docstring). A series runs while its periods go
    forward; what is said before its first period names its group (a comparison group
    is skipped) and, with the text before it, its measure."""
    out = []
    for label, start, end, values in [*_series(text), *_values_first(text)]:
        first, last = values[0], values[-1]
        if len(first) == 1 and (_about_comparison(patterns, label)
                                or _names_comparison(label)):
            continue
        if len(first) == 2:
            then, now = abs(first[0] - first[1]), abs(last[0] - last[1])
            kind = None if now == then else (WORSE if now > then else BETTER)
        else:
            polarity = (clause_polarity(patterns, label, len(label))
                        or clause_polarity(patterns, text[:start], start))
            direction = (last[0] > first[0]) - (last[0] < first[0])
            kind = (None if not polarity or not direction
                    else WORSE if direction * polarity < 0 else BETTER)
        if kind:
            out.append((kind, text[start:end].strip()))
    return out


def _series(text: str) -> tuple[_Series, ...]:
    """(label, start, end, values per period) of each series of 2+ periods in `text`
    whose periods each carry the same number (one or two) of values."""
    periods = list(_PERIOD.finditer(text))
    runs: list[list[tuple[re.Match, tuple[float, ...]]]] = [[]]
    for k, match in enumerate(periods):
        stop = periods[k + 1].start() if k + 1 < len(periods) else len(text)
        values = _values_after(text[match.end():stop])
        if values is None:
            runs.append([])
            continue
        run = runs[-1]
        if run and (match.group(0).lower() <= run[-1][0].group(0).lower()
                    or len(values) != len(run[-1][1])):
            runs.append(run := [])
        run.append((match, values))
    out = []
    previous_end = 0
    for run in runs:
        if len(run) < 2:
            continue
        start = run[0][0].start()
        label = text[previous_end:start]
        label = label[label.rfind(". ") + 1:]
        end = run[-1][0].end() + len(text[run[-1][0].end():].split(";")[0].split(". ")[0])
        out.append((label.strip(), start, end, [values for _, values in run]))
        previous_end = end
    return tuple(out)


def _values_after(segment: str) -> tuple[float, ...] | None:
    """The one or two values a period carries: numbers right after it, parted by "and",
    ";" or ","; None when there are none, or more than two."""
    head = re.split(r"\.\s|\.$", segment, maxsplit=1)[0]
    numbers = list(_VALUE.finditer(head))
    if not numbers or not _BETWEEN.match(head[:numbers[0].start()]) or len(numbers) > 2:
        return None
    if len(numbers) == 2 and not re.fullmatch(
            r"\s*(?:%|per cent|years?|points?)?\s*(?:,|;|and)\s*",
            head[numbers[0].end():numbers[1].start()], re.IGNORECASE):
        numbers = numbers[:1]
    return tuple(float(n.group(1).replace(",", "")) for n in numbers)


def _values_first(text: str) -> list[_Series]:
    """Series written value first ("28% in 2016/17, 24% in 2018/19"), within a sentence,
    as `_series` gives them."""
    out: list[_Series] = []
    for sentence in re.finditer(r"[^.]+(?:\.(?=\d)[^.]*)*", text):
        found = list(_VALUE_IN.finditer(sentence.group(0)))
        if len(found) >= 2 and all(a.group(2) < b.group(2) for a, b in pairwise(found)):
            offset = sentence.start()
            label = sentence.group(0)[:found[0].start()].strip()
            out.append((label, offset + found[0].start(), offset + found[-1].end(),
                        [(float(m.group(1).replace(",", "")),) for m in found]))
    return out


def _names_comparison(label: str) -> bool:
    """A series' label naming only a comparison group ("least deprived quintile",
    "ICB", "borough average", "all others")."""
    lowered = label.lower()
    if re.search(r"\b(?:most deprived|quintile 1|decile 1|core ?20)\b", lowered):
        return False
    return bool(re.search(r"\b(?:least deprived|quintile 5|decile 10|all others|average|"
                          r"rest of(?: the)? \w+|(?:board|borough|city|county|district|trust|"
                          r"icb|ccg|area|england|wales|scotland|national(?:ly)?)"
                          r"(?: area| average| wide| total| as a whole)?)\W*$", lowered))


def figure_trends(patterns: AuditPatterns, text: str) -> list[tuple[str, str]]:
    """(``worsening`` or ``improving``, sentence) for each figure of `text` whose
    direction and measure can be told, skipping figures for the comparison group, for
    each gap given now and before (`gap_then_and_now`), and for each series of periods
    (`series_trends`). Remembered by `patterns` with its matches: the features and the
    rules both ask it of every passage."""
    return list(patterns.remembered("figure_trends", text, _figure_trends))


def _figure_trends(patterns: AuditPatterns, text: str) -> tuple[tuple[str, str], ...]:
    out = gap_then_and_now(text) + series_trends(patterns, text)
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
    return tuple(out)


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
