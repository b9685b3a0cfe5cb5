"""Building the result tables from the documents' parts, in the order of the inputs."""

from __future__ import annotations

import pandas as pd

from framingclf.batch._plan import Planned
from framingclf.tables import META_COLUMNS, ScoreResult, concat


def document_tables(path: str, sha256: str, record: dict, metadata: dict,
                    part: pd.DataFrame, duplicates: list[str]) -> tuple[pd.DataFrame, dict]:
    """One document's passage rows (with its path, title and metadata) and its row of
    the documents table."""
    from framingclf.profiles import summarise

    metadata = {**record.get("metadata", {}), **metadata}
    title = metadata.pop("title", None) or record.get("title")
    known = {key: metadata.pop(key, None) for key in META_COLUMNS}
    summary = record.get("summary") or summarise(part)
    row = {"doc_id": sha256[:16], "path": path, "title": title,
           "format": record.get("format"), "n_pages": record.get("n_pages"), **known,
           **summary, "duplicate_paths": list(duplicates),
           "model": part["model"].iloc[0] if len(part) else record.get("model", "")[:12],
           **{key: metadata[key] for key in sorted(metadata)}}
    passages = part.assign(path=path, title=title, **known)
    return passages, row


def assemble(items: list[Planned], store, fresh_errors: dict, find_errors: list[dict]
             ) -> ScoreResult:
    """The tables, from the parts, in the order of the sorted input paths."""
    tables, documents, errors = [], [], list(find_errors)
    failed: dict[str, tuple[dict, str]] = {}  # content not scored: its error, and where
    for item in items:
        if item.error is not None:
            errors.append({"path": str(item.path), **item.error})
            continue
        if item.first is not None:
            if item.first.sha256 in failed:
                error, source = failed[item.first.sha256]
                errors.append(_error_row(item, error, source))
            continue
        part = store.get(item.sha256)
        if part is None or part.error is not None:
            error, source = _failure(item, part, fresh_errors)
            failed[str(item.sha256)] = (error, source)
            errors.append(_error_row(item, error, source))
            continue
        passages, row = document_tables(str(item.path), str(item.sha256), part.record,
                                        dict(item.metadata), part.table, item.duplicates)
        tables.append(passages)
        documents.append(row)
    errors.sort(key=lambda row: row["path"])
    return ScoreResult(passages=concat(tables, "passages"),
                       documents=pd.DataFrame(documents), errors=pd.DataFrame(errors))


def _failure(item: Planned, part, fresh_errors: dict) -> tuple[dict, str]:
    if part is not None:
        return part.error, part.record.get("path", "")
    error = fresh_errors.get(str(item.path)) or {
        "stage": "assemble", "error": "MissingResults",
        "message": f"{item.path}: its results are missing or damaged; run again with "
                   "--resume to score it again"}
    return error, str(item.path)


def _error_row(item: Planned, error: dict, source: str) -> dict:
    message = str(error.get("message", ""))
    if source and source != str(item.path):  # the same content failed under another path
        message = message.replace(source, str(item.path))
    return {"path": str(item.path), "stage": error.get("stage"), "error": error.get("error"),
            "message": message}
