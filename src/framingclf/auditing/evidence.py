"""Evidence a person can check: the passages and sentences behind each verdict.

Every verdict names the passages that decided it (their ids and pages) and quotes the
sentence of each that carries the tag: the sentence holding the tag's pattern (a
definition sentence, a named measure, a deficit label, a figure moving the tag's way,
or the most matches of the tag's list), else the sentence the passage model scores
highest for the tag. A ``no`` says what was looked for, and the nearest miss when there
was one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framingclf.auditing.checks import CHECKS, NO, PARTLY, YES
from framingclf.auditing.patterns import AuditPatterns, Hit, definition_sentences, split_sentences
from framingclf.auditing.trends import figure_trends

if TYPE_CHECKING:  # the tagger's module imports scikit-learn and spaCy
    from framingclf.auditing.tagger import PassageTagger

#: Passages quoted per tag in a verdict's evidence.
QUOTED = 3
_LONGEST = 220


@dataclass
class DocumentTags:
    """One document's passages and what the audit found in them."""

    passages: pd.DataFrame  # passage_id, page_start, heading, text (reset index)
    proba: np.ndarray  # (passages, tags)
    tagger: PassageTagger  # the fitted tagger, to find a tag's sentence
    patterns: AuditPatterns
    decided: dict[str, np.ndarray]  # tag -> bool (passages), the tags the rules read
    held: dict[str, np.ndarray]  # tag -> bool (passages), what the patterns allow
    measures: list[list[Hit]]  # named measures per passage (hit.cue: the measure's name)
    measure_names: list[str]  # the names in the document, in order of first use
    deficit: list[list[Hit]]  # deficit labels per passage
    _sentences: dict[tuple[int, str], str] = field(default_factory=dict)

    def p(self, tag: str) -> np.ndarray:
        return self.proba[:, self.tagger.tags_.index(tag)]

    def sentence(self, i: int, tag: str) -> str:
        """The sentence of passage `i` that carries `tag`."""
        key = (i, tag)
        if key not in self._sentences:
            text = str(self.passages.at[i, "text"])
            found = self._pattern_sentence(i, tag, text)
            if found is None:
                sentences = split_sentences(text) or [text]
                found = sentences[0]
                if len(sentences) > 1:
                    frame = pd.DataFrame({"text": sentences,
                                          "heading": self.passages.at[i, "heading"]})
                    column = self.tagger.predict_proba(frame)[:, self.tagger.tags_.index(tag)]
                    found = sentences[int(np.argmax(column))]
            self._sentences[key] = found
        return self._sentences[key]

    def _pattern_sentence(self, i: int, tag: str, text: str) -> str | None:
        """The sentence holding the tag's pattern: a definition sentence, a named measure,
        a deficit label, a figure moving the tag's way, or the most matches of the tag's
        list; None when no sentence holds one."""
        if tag in ("definition", "definition_partial"):
            whole, part = definition_sentences(self.patterns, text)
            chosen = whole if tag == "definition" else part
            return chosen[0] if chosen else None
        if tag in ("worsening", "improving"):
            moving = [s for kind, s in figure_trends(self.patterns, text) if kind == tag]
            if moving:
                return moving[0]
        sentences = split_sentences(text)
        hits = {"measure": self.measures[i], "deficit": self.deficit[i]}.get(tag)
        if hits is not None:
            return next((s for s in sentences if any(h.text in s for h in hits)), None)
        if tag not in self.patterns.lists:
            return None
        counts = [self.patterns.count(tag, s) for s in sentences]
        return sentences[int(np.argmax(counts))] if any(counts) else None

    def uses(self, i: int, name: str) -> bool:
        """Whether passage `i` names the measure `name`."""
        return any(hit.cue == name for hit in self.measures[i])

    def naming(self, i: int, name: str) -> str:
        """The sentence of passage `i` that names the measure `name`."""
        hits = [hit.text for hit in self.measures[i] if hit.cue == name]
        sentences = split_sentences(str(self.passages.at[i, "text"]))
        found = next((s for s in sentences if any(h in s for h in hits)), None)
        return found or self.sentence(i, "measure")


def quote(doc: DocumentTags, i: int, tag: str, sentence: str | None = None) -> str:
    """``<passage id> (p. <page>): "<sentence>"`` (by default the sentence carrying `tag`)."""
    row = doc.passages.loc[i]
    sentence = " ".join((sentence or doc.sentence(i, tag)).split())
    if len(sentence) > _LONGEST:
        sentence = sentence[:_LONGEST].rsplit(" ", 1)[0] + " ..."
    page = row["page_start"]
    where = f" (p. {int(page)})" if pd.notna(page) else ""
    return f'{row["passage_id"]}{where}: "{sentence}"'


def strongest(doc: DocumentTags, tag: str, among: np.ndarray | None = None,
              limit: int = QUOTED) -> list[int]:
    """The passages decided `tag` (or those in `among`), most probable first."""
    mask = doc.decided[tag] if among is None else among
    order = np.argsort(-doc.p(tag), kind="stable")
    return [int(i) for i in order if mask[i]][:limit]


def _nearest(doc: DocumentTags, tag: str, floor: float = 0.2) -> list[int]:
    """The most probable passage for `tag` when none was decided, if any is near."""
    if not len(doc.passages):
        return []
    i = int(np.argmax(doc.p(tag)))
    return [i] if doc.p(tag)[i] >= floor else []


def evidence(doc: DocumentTags, check: str, verdict: int) -> tuple[str, list[str]]:
    """The evidence text of `check`'s `verdict`, and the ids of the passages it cites."""
    text, cited = _EXPLAIN[check](doc, check, verdict)
    ids = list(dict.fromkeys(str(doc.passages.at[i, "passage_id"]) for i in cited))
    return text, ids


def _lines(doc: DocumentTags, label: str, tag: str, chosen: list[int]) -> str:
    return f"{label}: " + " | ".join(quote(doc, i, tag) for i in chosen)


def _looked_for(doc: DocumentTags, check: str, tags: tuple[str, ...]) -> tuple[str, list[int]]:
    text = f"Looked for {CHECKS[check].looked_for}; none found in {len(doc.passages)} passages."
    cited = []
    for tag in tags:
        near = _nearest(doc, tag)
        if near:
            i = near[0]
            text += f" Nearest ({tag}, probability {doc.p(tag)[i]:.2f}): {quote(doc, i, tag)}"
            cited.append(i)
    return text, cited


def _explain_definition(doc: DocumentTags, check: str, verdict: int
                        ) -> tuple[str, list[int]]:
    if verdict == NO:
        return _looked_for(doc, check, ("definition", "definition_partial"))
    tag, label = (("definition", "Defines health inequalities") if verdict == YES
                  else ("definition_partial", "Defines them in part"))
    chosen = strongest(doc, tag)
    return _lines(doc, label, tag, chosen), chosen


def _explain_context(doc: DocumentTags, check: str, verdict: int) -> tuple[str, list[int]]:
    if verdict == NO:
        return _looked_for(doc, check, ("context",))
    linked = doc.decided["context"] & doc.decided["context_linked"]
    chosen = strongest(doc, "context", among=linked if verdict == YES else None)
    label = ("Links present drivers to health" if verdict == YES
             else "Names present drivers without linking them to health")
    return _lines(doc, label, "context", chosen), chosen


def _explain_deficit(doc: DocumentTags, check: str, verdict: int) -> tuple[str, list[int]]:
    if verdict == NO:
        return _looked_for(doc, check, ("deficit",))
    every = strongest(doc, "deficit", limit=len(doc.passages))
    words = sorted({hit.cue for i in every for hit in doc.deficit[i]})
    label = f"{len(every)} passage(s) with deficit labels ({', '.join(map(repr, words))})"
    chosen = every[:QUOTED]
    return _lines(doc, label, "deficit", chosen), chosen


def _explain_measure(doc: DocumentTags, check: str, verdict: int) -> tuple[str, list[int]]:
    tagged = [int(i) for i in np.flatnonzero(doc.decided["measure"])]
    used = [name for name in doc.measure_names if any(doc.uses(i, name) for i in tagged)]
    scale = strongest(doc, "scale", limit=1)
    parts, cited = [], []
    for name in used:
        first = next(i for i in tagged if doc.uses(i, name))
        parts.append(f"Measure {name}: " + quote(doc, first, "measure", doc.naming(first, name)))
        cited.append(first)
    if not used:
        parts.append(f"No named measure of deprivation (looked for "
                     f"{CHECKS['measure'].looked_for})")
    elif len(used) > 1:
        parts.append(f"{len(used)} measures side by side ({', '.join(used)})")
    if scale:
        parts.append(_lines(doc, "Population scale", "scale", scale))
        cited += scale
    else:
        parts.append("No count of the people affected")
    return ". ".join(parts), cited


def _explain_share(doc: DocumentTags, check: str, verdict: int) -> tuple[str, list[int]]:
    """siloed and pilots: the counts of the two kinds of passage, and examples."""
    first, second = CHECKS[check].tags
    a, b = int(doc.decided[first].sum()), int(doc.decided[second].sum())
    if a + b == 0:
        return _looked_for(doc, check, (first,))
    names = {"condition": "condition", "cross_cutting": "people or shared-cause",
             "pilot": "pilot or one-off", "sustained": "sustained, funded"}
    text = (f"{a} {names[first]} passage(s) against {b} {names[second]} "
            f"({a / (a + b):.0%} {names[first]})")
    major, minor = (first, second) if verdict != NO else (second, first)
    cited = strongest(doc, major)
    parts = [text, _lines(doc, f"e.g. {names[major]}", major, cited)] if cited else [text]
    other = strongest(doc, minor, limit=1)
    if other and verdict == PARTLY:
        parts.append(_lines(doc, f"and {names[minor]}", minor, other))
        cited = cited + other
    return ". ".join(parts), cited


def _explain_progress(doc: DocumentTags, check: str, verdict: int) -> tuple[str, list[int]]:
    claims = strongest(doc, "progress_claim")
    worse, better = strongest(doc, "worsening", limit=2), strongest(doc, "improving", limit=2)
    if not claims:
        return _looked_for(doc, check, ("progress_claim",))
    parts = [_lines(doc, "Claims progress", "progress_claim", claims)]
    parts.append(_lines(doc, "Figures worsening", "worsening", worse) if worse
                 else "No figures showing a gap widening")
    if better:
        parts.append(_lines(doc, "Figures improving", "improving", better))
    return ". ".join(parts), claims + worse + better


_EXPLAIN = {"definition": _explain_definition, "context": _explain_context,
            "measure": _explain_measure, "siloed": _explain_share, "pilots": _explain_share,
            "progress_claims": _explain_progress, "deficit_labels": _explain_deficit}
