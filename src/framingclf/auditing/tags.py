"""The audit codebook's passage tags (corpora/audit/CODEBOOK.md, section 1).

A passage gets every tag that applies, or none; the passage model predicts each. The
`context` check also asks whether a `context` passage links its driver to health (the
codebook answers ``yes`` for such a passage, ``partly`` when every context passage is
"unlinked", which the corpus records in the passage's note): the audit answers that
with a pattern (`framingclf.auditing.patterns.AuditPatterns.health_link`), and the corpus'
``context_linked`` column is there to measure it.
"""

from __future__ import annotations

import pandas as pd

#: The codebook's tags, in its order.
CODEBOOK_TAGS: tuple[str, ...] = (
    "definition", "definition_partial", "context", "measure", "scale", "condition",
    "cross_cutting", "pilot", "sustained", "progress_claim", "worsening", "improving",
    "deficit",
)
#: The tags the passage model predicts.
TAGS: tuple[str, ...] = CODEBOOK_TAGS

DESCRIPTIONS: dict[str, str] = {
    "definition": "says what health inequalities means: systematic, avoidable, unfair "
                  "differences between groups",
    "definition_partial": "part of a definition: differences between groups, with no word "
                          "on why they are unfair, or run together with equality duties",
    "context": "names a wider condition driving inequality now (cuts, welfare reform, "
               "incomes, poverty, cost of living)",
    "measure": "identifies who is affected by a named measure of deprivation",
    "scale": "says how many people, or what share of the population, are affected",
    "condition": "treats inequality within one disease, clinical area or service",
    "cross_cutting": "treats inequality by the people affected or by shared causes",
    "pilot": "rests action on pilots, toolkits, one-off money, small projects",
    "sustained": "commits funded, recurrent, whole-system action with leads and targets",
    "progress_claim": "claims progress or improvement on inequalities",
    "worsening": "figures showing a gap widening or a disadvantaged group's outcomes "
                 "getting worse",
    "improving": "figures showing a gap narrowing or outcomes improving",
    "deficit": "describes groups by a lack or a risk ('vulnerable', 'hard to reach')",
}


def passage_targets(passages: pd.DataFrame) -> pd.DataFrame:
    """One 0/1 column per tag in `TAGS` from a ``tags`` column of lists, and
    ``context_linked`` from the ``note`` column (a context passage noted "unlinked" does
    not link its driver to health)."""
    tags = passages["tags"].map(set)
    notes = (passages["note"] if "note" in passages.columns
             else pd.Series("", index=passages.index)).fillna("").astype(str)
    out = {tag: tags.map(lambda t, tag=tag: int(tag in t)) for tag in CODEBOOK_TAGS}
    unlinked = notes.str.lower().str.startswith("unlinked")
    out["context_linked"] = ((tags.map(lambda t: "context" in t) & ~unlinked)
                             | tags.map(lambda t: "context_linked" in t)).astype(int)
    return pd.DataFrame({tag: out[tag] for tag in (*TAGS, "context_linked")},
                        index=passages.index)
