"""The report's summary chart as inline SVG: each group's upstream index with its
interval, one row per group, drawn straight into the page (no matplotlib, no image).

The rules are `framingclf.plots`' own: groups with few framing passages or resting on
fewer than `MIN_DOCUMENTS` documents are hollow with dashed intervals and say so, and
for years a line joins two rows only where `plots.joinable` allows it.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from framingclf.labels import COLORS, FRAMINGS
from framingclf.plots import caveat_flags, caveat_text, group_names, joinable, stands_on

WIDTH, LEFT, RIGHT, ROW, TOP = 760, 250, 24, 24, 44


def _x(value: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (value + 0.2) / (len(FRAMINGS) - 0.6)


def _row(y: float, name: str, values: tuple[float, float, float], weak: bool) -> list[str]:
    estimate, low, high = values
    parts = [f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(name)}</text>']
    if not (np.isnan(low) or np.isnan(high)):
        dash = ' stroke-dasharray="4 3"' if weak else ""
        parts.append(f'<line x1="{_x(low):.1f}" x2="{_x(high):.1f}" y1="{y:.1f}" '
                     f'y2="{y:.1f}" stroke="#222" stroke-width="1.6"{dash}/>')
    if not np.isnan(estimate):
        fill = "#fff" if weak else "#222"
        parts.append(f'<circle cx="{_x(estimate):.1f}" cy="{y:.1f}" r="4.5" fill="{fill}" '
                     f'stroke="#222" stroke-width="1.4"><title>{escape(name)}: '
                     f'{estimate:.2f} [{low:.2f}–{high:.2f}]</title></circle>')
    return parts


def interval_chart(table: pd.DataFrame, by: str, title: str, *, time: bool = False) -> str:
    """An SVG chart of the upstream index of each row of a profile table (`compare` by
    `by`), with intervals; `time` joins adjacent rows (years) that `joinable` allows."""
    if time:
        table = table.sort_values(by)
    names = group_names(table, by, "report")
    few, thin = caveat_flags(table, False)
    docs = pd.to_numeric(table["n_documents"], errors="coerce").fillna(0).astype(int)
    values = table[["upstream_index", "upstream_low", "upstream_high"]].astype(float).to_numpy()
    joins = joinable(docs.to_numpy()) if time else np.zeros(max(len(table) - 1, 0), bool)
    notes = ["upstream index (mean position) with 95% bootstrap interval",
             *caveat_text(few, thin).splitlines()]
    if time and not joins.any():
        notes.append("no trend drawn: no two adjacent years have enough documents each")
    bottom = TOP + ROW * len(table)
    height = bottom + 30 + 13 * len(notes)
    documents, passages = stands_on(table)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="12" '
             f'role="img" aria-label="{escape(title)}">',
             f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" font-size="13">'
             f'{escape(title)}</text><text x="{WIDTH / 2}" y="32" text-anchor="middle" '
             f'fill="#666">{documents or 0:,} documents · {passages or 0:,} passages</text>']
    for i, framing in enumerate(FRAMINGS):
        parts.append(f'<line x1="{_x(i):.1f}" x2="{_x(i):.1f}" y1="{TOP - 6}" y2="{bottom}" '
                     f'stroke="#ddd"/><text x="{_x(i):.1f}" y="{bottom + 16}" '
                     f'text-anchor="middle" fill="{COLORS[framing]}">{i} {framing}</text>')
    ys = [TOP + ROW * (r + 0.5) for r in range(len(table))]
    for j in np.flatnonzero(joins):
        parts.append(f'<line x1="{_x(values[j, 0]):.1f}" y1="{ys[j]:.1f}" '
                     f'x2="{_x(values[j + 1, 0]):.1f}" y2="{ys[j + 1]:.1f}" '
                     'stroke="#888" stroke-width="1.2" class="trend"/>')
    for r, (name, n_docs) in enumerate(zip(names, docs)):
        label = name + (f" ({n_docs} doc{'s' if n_docs != 1 else ''})" if thin[r] else "")
        parts += _row(ys[r], label + (" †" if few[r] else ""), tuple(values[r]),
                      bool(few[r] or thin[r]))
    for k, note in enumerate(notes):
        parts.append(f'<text x="{LEFT}" y="{bottom + 36 + 13 * k}" fill="#444" '
                     f'font-size="11">{escape(note)}</text>')
    return "".join(parts) + "</svg>"
