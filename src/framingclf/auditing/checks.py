"""The seven checks and the codebook's rules from passage tags to a document's answer.

Each check asks one question of a whole document and answers ``yes``, ``partly`` or
``no`` from the tags of its passages (corpora/audit/CODEBOOK.md, section 2). The rules
here take the tags as boolean arrays of shape (draws, passages), so that the same code
gives the answer for the tags the model decides and for many random draws of them (how
`framingclf.audit` measures its confidence).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

#: Answers, in order of their codes (0, 1, 2).
VERDICTS: tuple[str, ...] = ("no", "partly", "yes")
NO, PARTLY, YES = range(3)

Tags = Mapping[str, np.ndarray]  # tag -> bool array (draws, passages)


@dataclass(frozen=True)
class Check:
    """One question of the audit: what it asks, the passage tags it reads, what a `no`
    means was looked for, and the verdict a critic counts as a finding."""

    name: str
    question: str
    tags: tuple[str, ...]
    looked_for: str
    finding: str
    rule: Callable[..., np.ndarray]


def _any(tags: Tags, tag: str) -> np.ndarray:
    return tags[tag].any(axis=1)  # type: ignore[return-value]


def definition_rule(tags: Tags, measures: np.ndarray) -> np.ndarray:
    """yes: a `definition` passage; partly: only `definition_partial`; no: neither."""
    return np.where(_any(tags, "definition"), YES,
                    np.where(_any(tags, "definition_partial"), PARTLY, NO))


def context_rule(tags: Tags, measures: np.ndarray) -> np.ndarray:
    """yes: a `context` passage linking a present driver to health (``context_linked``:
    it names a health outcome or condition); partly: `context` passages that only name
    a driver; no: none."""
    linked = (tags["context"] & tags["context_linked"]).any(axis=1)
    return np.where(linked, YES, np.where(_any(tags, "context"), PARTLY, NO))


def distinct_measures(tags: Tags, measures: np.ndarray) -> np.ndarray:
    """How many distinct named measures the `measure` passages use, per draw.
    `measures` is (passages, measure names), True where a passage names a measure."""
    if measures.shape[1] == 0:
        return np.zeros(tags["measure"].shape[0], dtype=int)
    used = tags["measure"].astype(float) @ measures.astype(float)
    return (used > 0).sum(axis=1)


def measure_rule(tags: Tags, measures: np.ndarray) -> np.ndarray:
    """yes: one measure throughout and a `scale` passage; partly: one measure without
    scale, or scale with two or more measures; no: two or more without scale, or none."""
    n = distinct_measures(tags, measures)
    scale = _any(tags, "scale")
    return np.where((n == 1) & scale, YES,
                    np.where((n == 1) | ((n >= 2) & scale), PARTLY, NO))


def share_rule(numerator: str, other: str) -> Callable[..., np.ndarray]:
    """yes when at least 75% of the `numerator` + `other` passages are `numerator`, no at
    most 25% (or none of either) and strictly between 25% and 30% (codebook 1.1), partly
    from 30% to under 75% with at least two of each; with fewer, the larger side decides
    (yes from half up)."""

    def rule(tags: Tags, measures: np.ndarray) -> np.ndarray:
        a, b = tags[numerator].sum(axis=1), tags[other].sum(axis=1)
        n = a + b
        share = np.divide(a, n, out=np.zeros(len(a), dtype=float), where=n > 0)
        between = (share >= 0.30) & (share < 0.75) & (a >= 2) & (b >= 2)
        return np.where(between, PARTLY, np.where((n > 0) & (share >= 0.5), YES, NO))

    rule.__doc__ = share_rule.__doc__
    return rule


def progress_rule(tags: Tags, measures: np.ndarray) -> np.ndarray:
    """yes: a progress claim with worsening figures and no improving ones; partly: a
    claim with both; no: no claim, or a claim its figures support."""
    claim, worse, better = (_any(tags, t) for t in ("progress_claim", "worsening", "improving"))
    return np.where(claim & worse & ~better, YES, np.where(claim & worse & better, PARTLY, NO))


def deficit_rule(tags: Tags, measures: np.ndarray) -> np.ndarray:
    """yes: two or more `deficit` passages; partly: one; no: none."""
    n = tags["deficit"].sum(axis=1)
    return np.where(n >= 2, YES, np.where(n == 1, PARTLY, NO))


_CHECKS = (
    Check("definition", "Does the document say what it means by health inequalities?",
          ("definition", "definition_partial"),
          "a sentence saying what health inequalities means ('health inequalities are "
          "...', 'by health inequalities we mean ...'), ideally as avoidable, unfair or "
          "systematic differences between groups", "no", definition_rule),
    Check("context", "Does it name the wider conditions driving them now?",
          ("context", "context_linked"),
          "a present driver named as a trend or cause: cuts to local government or public "
          "health, welfare reform and benefit changes, falling real incomes, rising "
          "poverty, the cost of living, insecure work, the housing crisis", "yes",
          context_rule),
    Check("measure", "Does it use one consistent measure of who is affected, with a "
          "population scale?", ("measure", "scale"),
          "a named measure of deprivation (IMD, Core20, SIMD, WIMD, NIMDM, income "
          "deprivation, free school meals, a local index) and a count of the people "
          "affected", "no", measure_rule),
    Check("siloed", "Is it organised by condition rather than by people and shared causes?",
          ("condition", "cross_cutting"),
          "passages (and headings) treating inequality condition by condition (cancer, "
          "diabetes, mental health, ...) against passages about people and shared causes",
          "yes", share_rule("condition", "cross_cutting")),
    Check("pilots", "Does it rest on pilots, toolkits and one-off projects rather than "
          "funded, sustained, whole-system action?", ("pilot", "sustained"),
          "pilots, toolkits, test-and-learn, one-off or non-recurrent money, small projects "
          "against recurrent budgets, need-weighted allocations, named leads and targets",
          "yes", share_rule("pilot", "sustained")),
    Check("progress_claims", "Does it claim progress that its own figures contradict?",
          ("progress_claim", "worsening", "improving"),
          "a claim of progress ('good progress', 'on track') beside the document's own "
          "figures showing a gap widening", "yes", progress_rule),
    Check("deficit_labels", "Does it describe groups as 'vulnerable', 'hard to reach' and "
          "the like?", ("deficit",),
          "groups described by a lack or a risk ('vulnerable', 'hard to reach', 'at risk', "
          "'deprived communities', 'complex needs', 'left behind')", "yes", deficit_rule),
)

#: The checks by name, in the audit's order.
CHECKS: dict[str, Check] = {check.name: check for check in _CHECKS}
