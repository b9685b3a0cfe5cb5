"""The report's overview: profiles of all passages and of each grouping, with their
intervals and caveats, and a few summary plots as inline SVG (from `framingclf.plots`,
so the report draws with the same guards as a notebook)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from framingclf.labels import COLORS, DESCRIPTIONS, FRAMINGS, LABELS
from framingclf.profiles import MIN_DOCUMENTS, MIN_FRAMING, compare, profile
from framingclf.scoring import REVIEW_BELOW

#: Grouping columns profiled side by side when the passages carry more than one value.
GROUP_COLUMNS = ("organisation", "doc_type", "year")

#: Groups beyond this many get a table but no plot (a plot of hundreds says nothing).
MAX_PLOTTED = 30


def _number(value: Any, kind: str = "num") -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "–"
    if kind == "pct":
        return f"{value:.0%}"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "signed":
        return f"{value:+.2f}"
    return f"{value:.2f}"


def profile_rows(table: pd.DataFrame, key: str | None) -> list[dict]:
    """A profile table's rows, formatted for the page."""
    rows = []
    for row in table.to_dict("records"):
        interval = ("" if pd.isna(row["upstream_low"]) else
                    f"{_number(row['upstream_low'])}–{_number(row['upstream_high'])}")
        rows.append({
            "key": "all passages" if key is None else str(row[key]),
            "documents": _number(row.get("n_documents"), "int"),
            "passages": _number(row["n_passages"], "int"),
            "framing": _number(row["n_framing"], "int"),
            "shares": [_number(row[f"share_{f}"], "pct") for f in FRAMINGS],
            "none": _number(row["share_none"], "pct"),
            "index": _number(row["upstream_index"]), "interval": interval,
            "vs_all": _number(row["upstream_vs_all"], "signed") if "upstream_vs_all" in row
            else "", "deficit": _number(row["deficit_rate"], "pct"),
            "caution": row.get("caution", ""), "few": bool(row.get("few_passages")),
        })
    return rows


def _figures(column: str, table: pd.DataFrame) -> list[dict]:
    from framingclf.plots import axis_name
    from framingclf.reports._svg import interval_chart

    if len(table) > MAX_PLOTTED:
        return []
    name = axis_name(column)
    if column == "year":
        caption = (f"Upstream index by year with intervals; a line joins two years only "
                   f"when each rests on {MIN_DOCUMENTS} or more documents")
    else:
        caption = f"Upstream index by {name} with bootstrap intervals"
    svg = interval_chart(table, column, f"Upstream index by {name}", time=column == "year")
    return [{"svg": svg, "caption": caption}]


def overview(passages: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0) -> dict:
    """What the overview section shows: the legend, the reading notes' numbers, the
    profile of all passages and of each grouping with more than one value."""
    overall = profile(passages, None, n_boot=n_boot, seed=seed)
    n_documents = passages["doc_id"].nunique()
    groups = []
    for column in GROUP_COLUMNS:
        if column not in passages.columns:
            continue
        values = passages[column].dropna()
        if values.nunique() < 2 or (values.nunique() >= n_documents and column != "year"):
            continue  # one group, or one per document (the documents table says it)
        frame = passages[passages[column].notna()]
        if column == "year":
            frame = frame.assign(year=pd.to_numeric(frame["year"], errors="coerce"))
        table = compare(frame, column, n_boot=n_boot, seed=seed)
        groups.append({"column": column, "name": column.replace("_", " "),
                       "rows": profile_rows(table, column),
                       "figures": _figures(column, table)})
    return {
        "legend": [{"label": label, "color": COLORS[label],
                    "description": DESCRIPTIONS[label]} for label in LABELS],
        "framings": [{"label": f, "color": COLORS[f]} for f in FRAMINGS],
        "review_below": f"{REVIEW_BELOW:.2f}", "min_framing": MIN_FRAMING,
        "min_documents": MIN_DOCUMENTS, "overall": profile_rows(overall, None),
        "groups": groups,
    }
