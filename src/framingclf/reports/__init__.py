"""The HTML report: one self-contained file to read, filter, correct and send on.

`report(results, out_path)` writes a single HTML file that needs no network and no other
file: the profiles (overall and by organisation, document type and year, each with its
bootstrap interval and its caveats), a few summary plots as inline SVG, a panel per
document (every column of the documents table, a page strip drawn as inline SVG, and
the document's audit with its evidence, linked to the passages it cites),
and every passage. The passages travel as one blob of JSON (gzip-compressed, in base64,
inflated by the browser itself) that a small script renders a page at a time, so the
file stays small and opens at 100,000 passages.

In the page a reader can filter passages by label, kind, confidence, organisation,
document and text; export the filtered table as CSV; and, as a reviewer, change a label
and add a memo, then download the corrections as a CSV (`CORRECTION_COLUMNS`) that
``framingclf train`` and ``framingclf import`` read. Corrections are kept in the
browser's storage for that report until downloaded or cleared.

The page is built from jinja2 templates shipped in ``framingclf/reports/templates``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from framingclf._files import write_atomic
from framingclf.labels import COLORS, FRAMINGS
from framingclf.reports._data import (
    CORRECTION_COLUMNS,
    EXPORT_COLUMNS,
    REQUIRED,
    audit_payload,
    audited,
    decode,
    document_payload,
    encode,
    passage_payload,
    prepare_passages,
    report_id,
)
from framingclf.reports._overview import overview
from framingclf.tables import DOCUMENT_SCHEMA, ScoreResult, load_results

__all__ = ["CORRECTION_COLUMNS", "EXPORT_COLUMNS", "REQUIRED", "decode", "report"]

#: Passages shown per page of the passages table (the reader can change it).
PAGE_SIZE = 50


def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("framingclf.reports", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                       lstrip_blocks=True)


def report(results: ScoreResult | str | Path, out_path: str | Path, *,
           title: str | None = None, document_columns: Sequence[str] | None = None,
           page_size: int = PAGE_SIZE, n_boot: int = 1000, seed: int = 0,
           audit: bool | None = None, set_mix: bool = False, model: Any = None) -> Path:
    """Write the HTML report of `results` (a `ScoreResult`, or a folder written by
    ``framingclf score`` or `ScoreResult.save`) to `out_path`; return its path.

    `document_columns`: the columns of the documents table each document's panel shows,
    in order (default: the usual ones, then every column the documents table carries
    beyond its schema, such as an audit's). `n_boot` and `seed` set the bootstrap of
    the group profiles. `audit`: show each document's audit in its panel, every verdict
    with its evidence and links to the passages it cites (default: when the documents
    were audited as they were scored, i.e. the documents table holds verdicts).
    `set_mix`: relabel the passages for the label mix of the whole set first
    (`framingclf.quantify.adjust_to_set`, with `model`, the model that scored them; None
    for the shipped model); the page says so and gives the estimated mix.
    """
    source = None
    if not isinstance(results, ScoreResult):
        source = Path(results)
        results = load_results(source)
    set_shares = None
    if set_mix:
        from framingclf.quantify import adjust_to_set

        adjusted = adjust_to_set(results.passages, model)
        set_shares = adjusted.attrs["set_shares"]
        results = ScoreResult(passages=adjusted, documents=results.documents,
                              errors=results.errors)
    out_path = Path(out_path)
    passages = prepare_passages(results)
    documents, doc_index = document_payload(passages, results.documents, out_path, source,
                                            document_columns)
    data = {"passages": passage_payload(passages, doc_index), "documents": documents,
            "page_size": int(page_size), "colors": COLORS, "framings": list(FRAMINGS),
            "report_id": report_id(passages), "schema_columns": list(DOCUMENT_SCHEMA),
            "correction_columns": list(CORRECTION_COLUMNS),
            "export_columns": list(EXPORT_COLUMNS)}
    if audit is None:
        audit = audited(results.documents)
    if audit:  # the verdicts are in the table, the evidence is not: the audit runs again
        data["audit"] = audit_payload(passages, doc_index)
    name = title or "framingclf report" + (f": {source.name}" if source else "")
    errors = results.errors.fillna("").to_dict("records")
    page = _environment().get_template("report.html.j2").render(
        title=name, overview=overview(passages, n_boot=n_boot, seed=seed), errors=errors,
        n_documents=len(documents["rows"]), n_passages=len(passages),
        n_review=int(passages["review"].sum()),
        models=sorted(passages["model"].dropna().astype(str).unique()),
        set_shares=set_shares,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        data=encode(data))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out_path, page.encode("utf-8"))
    return out_path
