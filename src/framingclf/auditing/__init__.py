"""The document audit: the questions a critic asks of a board paper, with evidence.

>>> from framingclf.auditing import audit
>>> audit(result)  # doctest: +SKIP  (a ScoreResult, or a results folder)

Seven checks, each a yes/no question answered ``yes``, ``partly`` or ``no`` for every
document (`CHECKS`): ``definition``, ``context``, ``measure``, ``siloed``, ``pilots``,
``progress_claims`` and ``deficit_labels``. Each is a small detector over the document's
passages: a passage model trained on the audit corpus' tagged passages
(`framingclf.auditing.tagger`, shipped in ``models/framingclf-audit-v1``) with the
transparent patterns of ``framingclf/data/audit/`` (`framingclf.auditing.patterns`), and
then the codebook's rules from passage tags to the document's answer
(`framingclf.auditing.checks`; corpora/audit/CODEBOOK.md). Every verdict comes with a
confidence and with evidence: the passages, pages and sentences that decided it.

Modules: `checks` (the questions and rules), `tags` (the passage tags), `patterns` and
`trends` (the transparent patterns, and which way figures move), `tagger` (the passage
model), `model` (saving and loading it), `evidence`, `run` (`audit`), `columns` (the
verdicts as documents-table columns), `corpus` (reading the audit corpus) and
`evaluation` (measuring the audit against known answers).
"""

from framingclf.auditing.checks import CHECKS, VERDICTS
from framingclf.auditing.run import COLUMNS, audit, write_audit

__all__ = ["CHECKS", "COLUMNS", "VERDICTS", "audit", "write_audit"]
