"""The audit in the documents table: one column per check holding its verdict."""

from __future__ import annotations

from typing import Any

from framingclf.tables import AUDIT_COLUMNS, ScoreResult


def with_audit(result: ScoreResult, model: Any = None) -> ScoreResult:
    """`result` with the documents table's ``audit_<check>`` columns filled with each
    document's verdicts (`framingclf.auditing.audit`; `model`: its passage model)."""
    from framingclf.auditing.run import audit

    documents = result.documents.drop(columns=list(AUDIT_COLUMNS), errors="ignore")
    if len(result.passages) and len(documents):
        table = audit(result, model)
        wide = table.pivot(index="doc_id", columns="check", values="verdict")
        wide.columns = [f"audit_{check}" for check in wide.columns]
        documents = documents.merge(wide, how="left", left_on="doc_id", right_index=True)
    return ScoreResult(passages=result.passages, documents=documents, errors=result.errors)
