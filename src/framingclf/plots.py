"""Plots of scored passages and profiles, as matplotlib `Figure` objects.

Each function builds a `matplotlib.figure.Figure` without touching pyplot's global
state, so nothing is shown by side effect: a notebook displays the returned figure, a
script saves it (``fig.savefig("shares.png")``). Pass ``ax=`` to draw into an axes of
your own figure instead. Colours are `framingclf.labels.COLORS`, the same in every plot
and report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from framingclf.errors import InvalidInputError
from framingclf.labels import COLORS, FRAMINGS, LABELS, NONE
from framingclf.profiles import MIN_FRAMING, check_columns

#: Colours for groups (series) in the continuum plot: neutral, so they are never
#: mistaken for a framing's colour.
SERIES_COLORS = ("#222222", "#D55E00", "#56B4E9", "#7F7F7F", "#882255", "#44AA99")


def _figure_and_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _legend(fig: Figure, ax: Axes, own: bool, **kwargs) -> None:
    """A one-row legend: below the figure when we made it (so long tick labels cannot
    push it off the edge), else above the axes."""
    options = dict(frameon=False, fontsize=8, handlelength=1.2, columnspacing=1.0) | kwargs
    if own:
        fig.legend(loc="outside lower center", **options)
    else:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), **options)


def _table(data, what: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, Sequence) and not isinstance(data, str):
        return pd.DataFrame(list(data))
    raise InvalidInputError(f"{what}: expected a DataFrame, got {type(data).__name__}")


def _title(ax: Axes, title: str | None) -> None:
    if title:
        ax.set_title(title, fontsize=10)


def _group_names(table: pd.DataFrame, by: str | None, what: str) -> list[str]:
    """Names for the rows: the `by` column, or the index when `by` is None."""
    if by is None:
        return [str(v) for v in table.index]
    check_columns(table, [by], what)
    return [str(v) for v in table[by]]


def _shorten(name: str, width: int = 48) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def plot_shares(profiles: pd.DataFrame, by: str | None = None, *,
                include_none: bool = False, ax: Axes | None = None,
                title: str | None = None) -> Figure:
    """Stacked horizontal bars of framing shares, one bar per row of a profile table
    (from `framingclf.profiles.profile` or `compare`), named by column `by`.

    By default the bars split the framing passages among the four framings. With
    ``include_none=True`` they split all passages, ``none`` included, so a board
    paper that is mostly procedure looks it. Groups flagged ``few_passages`` are marked
    with a dagger.
    """
    table = _table(profiles, "plot_shares")
    share_columns = [f"share_{label}" for label in FRAMINGS]
    check_columns(table, share_columns + (["share_none"] if include_none else []),
                   "plot_shares")
    names = _group_names(table, by, "plot_shares")
    labels = list(LABELS) if include_none else list(FRAMINGS)
    shares = table[share_columns].astype(float).fillna(0.0).to_numpy()
    if include_none:
        none = table["share_none"].astype(float).fillna(0.0).to_numpy()
        shares = np.column_stack([shares * (1 - none)[:, None], none])
    ticks = []
    for i, name in enumerate(names):
        tick = _shorten(name)
        count = "n_passages" if include_none else "n_framing"
        if count in table.columns:
            tick += f" (n={int(table[count].iloc[i])})"
        if "few_passages" in table.columns and bool(table["few_passages"].iloc[i]):
            tick += " †"
        ticks.append(tick)
    own = ax is None
    fig, ax = _figure_and_axes(ax, (9, 1.2 + 0.42 * len(table)))
    y = np.arange(len(table))
    left = np.zeros(len(table))
    for j, label in enumerate(labels):
        ax.barh(y, shares[:, j], left=left, color=COLORS[label], label=label, height=0.75,
                edgecolor="white", linewidth=0.5)
        for k, (start, width) in enumerate(zip(left, shares[:, j])):
            if width >= 0.08:
                ax.text(start + width / 2, k, f"{width:.0%}", ha="center", va="center",
                        fontsize=8, color="white" if label != NONE else "black")
        left += shares[:, j]
    ax.set_yticks(y, ticks)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    xlabel = "share of all passages" if include_none else "share of framing passages"
    if "few_passages" in table.columns and table["few_passages"].astype(bool).any():
        xlabel += f"\n† fewer than {MIN_FRAMING} framing passages: shares are unstable"
    ax.set_xlabel(xlabel)
    _legend(fig, ax, own, ncol=len(labels))
    _title(ax, title)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _style_continuum_axis(ax: Axes, axis: str) -> None:
    """Put the framing names, in their colours, on the continuum axis (0 to 3)."""
    set_ticks = ax.set_yticks if axis == "y" else ax.set_xticks
    set_lim = ax.set_ylim if axis == "y" else ax.set_xlim
    sep = " " if axis == "y" else "\n"
    set_ticks(range(len(FRAMINGS)), [f"{i}{sep}{label}" for i, label in enumerate(FRAMINGS)])
    set_lim(-0.2, len(FRAMINGS) - 0.8)
    tick_labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    for tick, label in zip(tick_labels, FRAMINGS):
        tick.set_color(COLORS[label])
        tick.set_fontsize(8)
    grid = ax.yaxis if axis == "y" else ax.xaxis
    grid.grid(True, color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)


def plot_continuum(profiles: pd.DataFrame, by: str | None = None, *, hue: str | None = None,
                   ax: Axes | None = None, title: str | None = None) -> Figure:
    """The continuum (upstream) index of each group with its bootstrap interval.

    Reads ``upstream_index``, ``upstream_low`` and ``upstream_high`` from a profile
    table. A numeric `by` (e.g. ``year``) is drawn over time as a line, one per value
    of `hue` (e.g. ``organisation``); otherwise one point and whisker per group.
    Groups flagged ``few_passages`` are drawn hollow: read their interval, not the dot.
    """
    table = _table(profiles, "plot_continuum")
    check_columns(table, ["upstream_index", "upstream_low", "upstream_high"]
                   + ([hue] if hue else []), "plot_continuum")
    names = _group_names(table, by, "plot_continuum")
    few = (table["few_passages"].astype(bool).to_numpy() if "few_passages" in table.columns
           else np.zeros(len(table), dtype=bool))
    estimate = table["upstream_index"].astype(float).to_numpy()
    low = table["upstream_low"].astype(float).to_numpy()
    high = table["upstream_high"].astype(float).to_numpy()
    over_time = by is not None and pd.api.types.is_numeric_dtype(table[by])
    if over_time:
        fig, ax = _figure_and_axes(ax, (8, 4.5))
        x_all = table[by].astype(float).to_numpy()
        series = table[hue].astype(str).to_numpy() if hue else np.full(len(table), "")
        for s, name in enumerate(dict.fromkeys(series)):
            rows = np.flatnonzero(series == name)
            rows = rows[np.argsort(x_all[rows])]
            color = SERIES_COLORS[s % len(SERIES_COLORS)]
            x = x_all[rows]
            ax.plot(x, estimate[rows], color=color, linewidth=1.2, label=name or None)
            ax.fill_between(x, low[rows], high[rows], color=color, alpha=0.12, linewidth=0)
            for r in rows:
                _point(ax, x_all[r], estimate[r], low[r], high[r], color, few[r], "y")
        ax.set_xlabel(by)
        ax.xaxis.get_major_locator().set_params(integer=True)
        _style_continuum_axis(ax, "y")
        ax.set_ylabel("upstream index (mean position)")
        if hue:
            ax.legend(title=hue, fontsize=8, frameon=False)
    else:
        fig, ax = _figure_and_axes(ax, (8, 1.4 + 0.42 * len(table)))
        series = table[hue].astype(str).to_numpy() if hue else np.full(len(table), "")
        palette = {name: SERIES_COLORS[s % len(SERIES_COLORS)]
                   for s, name in enumerate(dict.fromkeys(series))}
        for r in range(len(table)):
            _point(ax, estimate[r], r, low[r], high[r], palette[series[r]], few[r], "x")
        ticks = [_shorten(n) + (" †" if f else "") for n, f in zip(names, few)]
        ax.set_yticks(range(len(table)), ticks)
        ax.set_ylim(len(table) - 0.5, -0.5)
        _style_continuum_axis(ax, "x")
        ax.set_xlabel("upstream index (mean position), with bootstrap interval")
        if hue:
            ax.legend(handles=[Patch(color=c, label=n) for n, c in palette.items()],
                      title=hue, fontsize=8, frameon=False)
    if few.any():
        ax.set_xlabel(ax.get_xlabel() + f"\nhollow{' / †' if not over_time else ''}: fewer "
                      f"than {MIN_FRAMING} framing passages; read the interval")
    _title(ax, title)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _point(ax: Axes, a: float, b: float, low: float, high: float, color: str, few: bool,
           value_axis: str) -> None:
    """One estimate with its interval; `value_axis` is the axis the index runs along."""
    has_interval = not (np.isnan(low) or np.isnan(high))
    style = dict(marker="o", markersize=6, color=color,
                 markerfacecolor="white" if few else color, linestyle="none")
    if value_axis == "x":  # a is the index, b the row
        if has_interval:
            ax.plot([low, high], [b, b], color=color, linewidth=1.5)
        ax.plot([a], [b], **style)
    else:  # a is the time, b the index
        if has_interval:
            ax.plot([a, a], [low, high], color=color, linewidth=1.5)
        ax.plot([a], [b], **style)


def plot_page_strip(passages: pd.DataFrame, doc: str | None = None, *,
                    ax: Axes | None = None, title: str | None = None) -> Figure:
    """Where each framing sits in one document: a column per page, a cell per passage
    (in reading order, top down) coloured by its label; passages marked ``review`` are
    hatched. `doc` picks the document by ``doc_id``, ``path`` or ``title`` and may be
    left out when the table holds one document."""
    table = _table(passages, "plot_page_strip")
    check_columns(table, ["label", "page_start"], "plot_page_strip")
    table = _one_document(table, doc)
    pages = pd.to_numeric(table["page_start"], errors="coerce").fillna(1).astype(int)
    n_pages = int(pages.max()) if len(pages) else 1
    if "n_pages" in table.columns and pd.notna(table["n_pages"].max()):
        n_pages = max(n_pages, int(table["n_pages"].max()))
    review = (table["review"].astype(bool).to_numpy() if "review" in table.columns
              else np.zeros(len(table), dtype=bool))
    row_in_page = pages.groupby(pages).cumcount().to_numpy()
    depth = int(row_in_page.max()) + 1 if len(table) else 1
    own = ax is None
    fig, ax = _figure_and_axes(ax, (min(3 + 0.5 * n_pages, 16), 1.8 + 0.22 * depth))
    for page, row, label, marked in zip(pages, row_in_page, table["label"], review):
        ax.add_patch(Rectangle((page - 0.42, row), 0.84, 0.9,
                               facecolor=COLORS.get(label, "#000000"),
                               hatch="////" if marked else None,
                               edgecolor="white", linewidth=0.6))
    ax.set_xlim(0.4, n_pages + 0.6)
    ax.set_ylim(depth + 0.1, -0.1)
    ax.set_xticks(range(1, n_pages + 1))
    ax.set_yticks([])
    ax.set_xlabel("page")
    ax.set_ylabel("passages ↓", fontsize=8)
    handles = [Patch(facecolor=COLORS[label], label=label) for label in LABELS]
    if review.any():
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="////",
                             label="review"))
    _legend(fig, ax, own, handles=handles, ncol=len(handles), fontsize=7)
    name = title if title is not None else _document_name(table)
    _title(ax, _shorten(name, 100) if name else None)
    ax.spines[["top", "right", "left"]].set_visible(False)
    return fig


def _one_document(table: pd.DataFrame, doc: str | None) -> pd.DataFrame:
    keys = [c for c in ("doc_id", "path", "title") if c in table.columns]
    if doc is None:
        if not keys or table[keys[0]].nunique() <= 1:
            return table
        ids = table[keys[0]].drop_duplicates().astype(str).tolist()
        raise InvalidInputError(
            f"plot_page_strip: the table holds {len(ids)} documents; pass doc= one of "
            f"{ids[:10]}" + (" …" if len(ids) > 10 else ""))
    for key in keys:
        chosen = table[table[key].astype(str) == str(doc)]
        if len(chosen):
            return chosen
    if not keys:
        raise InvalidInputError(
            f"plot_page_strip: doc={doc!r} given but the table has no doc_id, path or title "
            f"column; it has {list(table.columns)}")
    ids = table[keys[0]].drop_duplicates().astype(str).tolist()
    raise InvalidInputError(
        f"plot_page_strip: no document {doc!r} in the table (looked in {keys}); "
        f"it holds {ids[:10]}" + (" …" if len(ids) > 10 else ""))


def _document_name(table: pd.DataFrame) -> str:
    for key in ("title", "path", "doc_id"):
        if key in table.columns and len(table) and pd.notna(table[key].iloc[0]):
            return str(table[key].iloc[0])
    return ""


def plot_reliability(table: Sequence[dict] | pd.DataFrame, *, ax: Axes | None = None,
                     title: str | None = None) -> Figure:
    """Reliability diagram from `framingclf.evaluate.reliability_table`: accuracy
    against mean confidence per confidence bin, with the diagonal a calibrated model
    would follow, the number of passages per bin and the expected calibration error."""
    frame = _table(table, "plot_reliability")
    check_columns(frame, ["low", "high", "n", "confidence", "accuracy"], "plot_reliability")
    frame = frame.astype({"low": float, "high": float, "n": int})
    filled = frame[frame["n"] > 0].astype({"confidence": float, "accuracy": float})
    fig, ax = _figure_and_axes(ax, (5, 5))
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1,
            label="perfectly calibrated")
    width = (filled["high"] - filled["low"]).to_numpy()
    ax.bar(filled["low"], filled["accuracy"], width=width, align="edge", color="#0072B2",
           alpha=0.75, edgecolor="white", label="accuracy")
    ax.plot(filled["confidence"], filled["accuracy"], "o", color="#D55E00", markersize=4,
            label="bin at its mean confidence")
    for _, row in filled.iterrows():
        ax.text((row["low"] + row["high"]) / 2, min(row["accuracy"] + 0.02, 0.97),
                f"n={int(row['n'])}", ha="center", fontsize=6, color="#333333")
    total = filled["n"].sum()
    ece = (float((filled["n"] * (filled["accuracy"] - filled["confidence"]).abs()).sum()
                 / total) if total else float("nan"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("confidence (predicted probability of the label)")
    ax.set_ylabel("accuracy")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.set_title(title or f"Reliability (ECE {ece:.3f}, n={total})", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (for reports and tests)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
