"""The report's data: the passages and documents tables as one compact JSON blob.

Passages go column by column (one array per field), with documents, sections, kinds
and labels stored once and referred to by index: at 11,000 passages the blob is mostly
the passages' own text.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from framingclf.errors import InvalidInputError
from framingclf.labels import FRAMINGS, LABELS
from framingclf.tables import AUDIT_COLUMNS, DOCUMENT_SCHEMA, LABELLED_KINDS, ScoreResult

#: Passage columns a report needs; the others of the passages table are used when there.
REQUIRED = ("doc_id", "path", "page_start", "text", "label", "confidence", "review")

#: The columns of the corrections file a reviewer downloads, in order: ``label`` is the
#: reviewer's label, ``model_label`` the model's; ``framingclf train`` reads text and
#: label, ``framingclf import`` text, label, coder and doc_id.
CORRECTION_COLUMNS = ("passage_id", "doc_id", "path", "page_start", "text", "label",
                      "model_label", "confidence", "coder", "memo")

#: The columns of the filtered passages table a reader exports.
EXPORT_COLUMNS = ("passage_id", "doc_id", "title", "path", "organisation", "date",
                  "page_start", "page_end", "section", "kind", "label", "confidence",
                  "review", "deficit_terms", "text")

#: The documents table's columns a document's panel shows by default, in order; every
#: column the table carries beyond its schema (an audit's, say) follows them.
PANEL_COLUMNS = ("title", "path", "organisation", "date", "doc_type", "format", "n_pages",
                 "n_passages", "n_labelled", "n_framing", "share_none",
                 *(f"share_{label}" for label in FRAMINGS), "upstream_index",
                 "upstream_low", "upstream_high", "deficit_rate", "n_deficit_terms",
                 "unfinished_rate", "few_passages", "duplicate_paths")

_META = ("organisation", "date", "year", "doc_type")


def prepare_passages(results: ScoreResult) -> pd.DataFrame:
    """The passages with every document's title and metadata filled in from the
    documents table where the passages lack them, and a boolean ``review``."""
    passages = results.passages.copy()
    missing = [c for c in REQUIRED if c not in passages.columns]
    if missing:
        raise InvalidInputError(
            f"report: column(s) {missing} not in the passages table; it has "
            f"{list(passages.columns)}; score documents with framingclf.score_documents")
    from framingclf.profiles import check_single_model

    check_single_model(passages)
    documents = results.documents
    if len(documents) and "doc_id" in documents.columns:
        first = documents.drop_duplicates("doc_id").set_index("doc_id")
        for column in ("title", *_META):
            if column in first.columns:
                known = passages["doc_id"].map(first[column])
                passages[column] = passages[column].where(passages[column].notna(), known)
    names = passages["path"].map({p: Path(str(p)).name for p in passages["path"].dropna()
                                  .unique()}).fillna("")
    titles = passages["title"].where(passages["title"].notna(), "").astype(str)
    passages["title"] = titles.where(titles.str.strip() != "", names)
    passages["review"] = passages["review"].astype(bool)
    return passages.reset_index(drop=True)


def _cell(value: object) -> object:
    """A value as JSON can hold it: None for missing, plain numbers, lists of str."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else round(float(value), 4)
    return str(value)


def _column(frame: pd.DataFrame, column: str, digits: int = 4) -> list:
    """A column as JSON values; numeric columns in one pass, not cell by cell."""
    if column not in frame.columns:
        return [None] * len(frame)
    values = frame[column]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64").round(digits)
        whole = bool(((numbers % 1) == 0).all()) if numbers.notna().any() else False
        cast = int if whole or pd.api.types.is_integer_dtype(values) else float
        return [None if v != v else cast(v) for v in numbers.tolist()]
    return [_cell(v) for v in values.tolist()]


def _codes(values: pd.Series, known: Sequence[str] | None = None) -> tuple[list, list[int]]:
    """Values as indexes into a list of their distinct values (missing: -1)."""
    text = values.astype(object).where(values.notna(), None)
    if known is None:
        codes, uniques = pd.factorize(text.map(str, na_action="ignore"), sort=True)
        return [str(v) for v in uniques], codes.tolist()
    return list(known), pd.Index(list(known)).get_indexer(text).tolist()


def passage_payload(passages: pd.DataFrame, doc_index: dict[str, int]) -> dict:
    """The passages, column by column (see the module docstring)."""
    sections, section_codes = _codes(passages["section"] if "section" in passages else
                                     pd.Series([None] * len(passages), dtype=object))
    kinds, kind_codes = _codes(passages["kind"])
    _, label_codes = _codes(passages["label"], LABELS)
    ids = passages["passage_id"].where(passages["passage_id"].notna(), None).tolist() \
        if "passage_id" in passages else [None] * len(passages)
    ids = [str(v) if v is not None else f"{d}-{i}"
           for i, (v, d) in enumerate(zip(ids, passages["doc_id"]))]
    payload = {
        "doc": [doc_index[str(d)] for d in passages["doc_id"]],
        "id": ids, "page": _column(passages, "page_start"),
        "page_end": _column(passages, "page_end"), "section": section_codes,
        "sections": sections, "kind": kind_codes, "kinds": kinds,
        "labelled_kinds": list(LABELLED_KINDS), "label": label_codes, "labels": list(LABELS),
        "confidence": _column(passages, "confidence", digits=3),
        "review": [int(bool(v)) for v in passages["review"]],
        "deficit": _column(passages, "deficit_terms") if "deficit_terms" in passages
        else [[] for _ in range(len(passages))],
        "text": [str(t) if isinstance(t, str) else "" for t in passages["text"]],
    }
    if "cues" in passages.columns:
        payload["cues"] = _column(passages, "cues")
    return payload


def _documents_frame(passages: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per document with passages, in reading order: the documents table's row
    where there is one, else its numbers summarised from its passages."""
    frame = passages.drop_duplicates("doc_id")[["doc_id", "path", "title", *[
        c for c in _META if c in passages.columns]]]
    if len(documents) and "doc_id" in documents.columns:
        known = documents.drop_duplicates("doc_id").drop(
            columns=["path", "title", *[c for c in _META if c in frame.columns]],
            errors="ignore")
        frame = frame.merge(known, on="doc_id", how="left")
        if "n_passages" in frame.columns and frame["n_passages"].notna().all():
            return frame
    from framingclf.profiles import summarise

    summary = pd.DataFrame([{"doc_id": doc_id, **summarise(group)}
                            for doc_id, group in passages.groupby("doc_id", sort=False)])
    frame = frame.drop(columns=[c for c in summary.columns if c != "doc_id"], errors="ignore")
    return frame.merge(summary, on="doc_id", how="left")


def _panel_columns(frame: pd.DataFrame, chosen: Sequence[str] | None) -> list[str]:
    if chosen is not None:
        unknown = [c for c in chosen if c not in frame.columns]
        if unknown:
            raise InvalidInputError(
                f"report: document_columns {unknown} not in the documents table; it has "
                f"{list(frame.columns)}")
        return list(chosen)
    extra = [c for c in frame.columns if c not in DOCUMENT_SCHEMA]  # e.g. an audit's
    return [c for c in PANEL_COLUMNS if c in frame.columns] + extra


def document_payload(passages: pd.DataFrame, documents: pd.DataFrame, out_path: Path,
                     source: Path | None, columns: Sequence[str] | None
                     ) -> tuple[dict, dict[str, int]]:
    """The documents with passages, row by row, with the columns their panels show and
    a link to each file; and each doc_id's row number."""
    frame = _documents_frame(passages, documents)
    shown = _panel_columns(frame, columns)
    links = _Links(out_path, source)
    n_review = passages.groupby("doc_id", sort=False)["review"].sum()
    payload = {
        "columns": shown,
        "rows": [[_cell(v) for v in row] for row in frame[shown].itertuples(index=False)],
        "doc_id": frame["doc_id"].astype(str).tolist(),
        "title": frame["title"].astype(str).tolist(),
        "path": frame["path"].astype(str).tolist(),
        "organisation": _column(frame, "organisation"), "date": _column(frame, "date"),
        "shares": _rows(frame, [f"share_{label}" for label in FRAMINGS]),
        "index": _rows(frame, ["upstream_index", "upstream_low", "upstream_high"]),
        "n_pages": _column(frame, "n_pages"),
        "n_review": [int(n_review.get(d, 0)) for d in frame["doc_id"]],
        "href": [links.href(str(p)) for p in frame["path"]],
    }
    return payload, {d: i for i, d in enumerate(payload["doc_id"])}


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    return [[_cell(v) for v in row] for row in frame.reindex(columns=columns).itertuples(
        index=False)]


class _Links:
    """Links to documents that work from the report's folder when the file is found,
    else the path as written."""

    def __init__(self, out_path: Path, source: Path | None):
        self.out_dir = out_path.resolve().parent
        self.bases = [Path.cwd()] + ([source.resolve().parent, source.resolve()]
                                     if source else [])

    def href(self, path: str) -> str:
        target = Path(path)
        if not target.is_absolute():
            target = next((b / target for b in self.bases if (b / target).exists()), target)
        if not (target.is_absolute() and target.exists()):
            return quote(target.as_posix())
        try:
            return quote(Path(os.path.relpath(target, self.out_dir)).as_posix())
        except ValueError:  # another drive on Windows
            return target.as_uri()


def audited(documents: pd.DataFrame) -> bool:
    """Whether scoring audited these documents: a verdict in any audit column."""
    columns = [c for c in AUDIT_COLUMNS if c in documents.columns]
    return bool(columns) and bool(documents[columns].notna().to_numpy().any())


def audit_payload(passages: pd.DataFrame, doc_index: dict[str, int]) -> list[list]:
    """Each document's audit, in the documents' row order: one row per check of
    [check, verdict, confidence, evidence, ids of the passages the evidence cites]."""
    from framingclf.auditing import audit

    table = audit(passages)
    rows: list[list] = [[] for _ in doc_index]
    for record in table.itertuples(index=False):
        at = doc_index.get(str(record.doc_id))
        if at is not None:
            rows[at].append([record.check, record.verdict, _cell(record.confidence),
                             record.evidence, [str(i) for i in record.passage_ids]])
    return rows


def report_id(passages: pd.DataFrame) -> str:
    """A short id for the set of passages a report shows: where a reviewer's
    corrections to it are kept in the browser."""
    import hashlib

    ids = passages["passage_id"].astype(str) if "passage_id" in passages else passages["text"]
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()[:12]


def encode(data: dict) -> str:
    """`data` as gzip-compressed JSON in base64, for a ``<script>`` element: passages'
    text compresses about threefold, which keeps an 11,000-passage report near 2 MB.
    The page's script inflates it with the browser's own DecompressionStream."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return base64.b64encode(gzip.compress(raw.encode("utf-8"), compresslevel=5,
                                          mtime=0)).decode("ascii")


def decode(page: str) -> dict:
    """The data of a report page written by `framingclf.report` (for tests and tools)."""
    found = re.search(r'<script type="application/gzip;base64" id="report-data">(.*?)</script>',
                      page, re.S)
    if found is None:
        raise InvalidInputError("not a framingclf report: its data element is missing")
    return json.loads(gzip.decompress(base64.b64decode(found.group(1))).decode("utf-8"))
