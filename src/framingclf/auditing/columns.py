"""The audit in the documents table: one column per check holding its verdict."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framingclf.tables import AUDIT_COLUMNS, ScoreResult


def with_audit(result: ScoreResult, model: Any = None, jobs: int = 1) -> ScoreResult:
    """`result` with the documents table's ``audit_<check>`` columns filled with each
    document's verdicts (`framingclf.auditing.audit`; `model`: its passage model).

    With `jobs` > 1 the documents are audited in that many worker processes (each
    document's verdicts depend on its own passages only, so the table is the same);
    pass `model` as a directory or None there, which each worker loads once, rather
    than as an object, which is copied to every task."""
    documents = result.documents.drop(columns=list(AUDIT_COLUMNS), errors="ignore")
    if len(result.passages) and len(documents):
        table = _audit(result.passages, model, jobs)
        wide = table.pivot(index="doc_id", columns="check", values="verdict")
        wide.columns = [f"audit_{check}" for check in wide.columns]
        documents = documents.merge(wide, how="left", left_on="doc_id", right_index=True)
    return ScoreResult(passages=result.passages, documents=documents, errors=result.errors)


#: Fewer documents than this are audited in this process: a worker's first audit loads
#: the model and spaCy (about a second), which a few documents do not repay.
PARALLEL_FROM = 40


def _audit(passages: pd.DataFrame, model: Any, jobs: int) -> pd.DataFrame:
    """The audit table of `passages`, in document order, over `jobs` processes."""
    from framingclf.auditing.run import audit

    doc_ids = passages["doc_id"].drop_duplicates().tolist()
    if jobs <= 1 or len(doc_ids) < max(2, PARALLEL_FROM):
        return audit(passages, model)
    from joblib import Parallel, delayed

    # contiguous runs of documents, about equal in passages, one per task
    sizes = passages.groupby("doc_id", sort=False).size().reindex(doc_ids).to_numpy()
    n_tasks = min(len(doc_ids), 4 * jobs)
    bounds = np.searchsorted(np.cumsum(sizes), np.linspace(0, sizes.sum(), n_tasks + 1)[1:-1])
    runs = [run for run in np.split(np.asarray(doc_ids, dtype=object), bounds) if len(run)]
    parts = Parallel(n_jobs=jobs, backend="loky")(
        delayed(audit)(passages[passages["doc_id"].isin(set(run))], model) for run in runs)
    return pd.concat(parts, ignore_index=True)
