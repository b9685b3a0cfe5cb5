"""Plots of scored passages and profiles that never say more than the data do.

Every function takes a tidy DataFrame (a profile table from `framingclf.profiles`, the
documents table, or passages), draws with matplotlib and returns the `Axes` it drew on.
Without ``ax=`` it makes a `matplotlib.figure.Figure` of its own, outside pyplot, so
nothing is shown or kept by side effect: in Jupyter show ``ax.figure``, in a script
``ax.figure.savefig("shares.png")``.

What every plot does:

- its title's second line says how many documents and passages it stands on;
- documents are named by title, never by id or hash, and every axis is labelled;
- estimates come with their bootstrap intervals; groups with few framing passages
  (``few_passages``) or resting on fewer than `MIN_DOCUMENTS` documents are drawn
  hollow with dashed intervals and marked in the tick label;
- `plot_trend` joins two periods with a line only when each rests on at least
  `MIN_DOCUMENTS` documents: one document a year is not a trend.

Colours are `framingclf.labels.COLORS`, the same in every plot and report.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framingclf.errors import InvalidInputError
from framingclf.labels import COLORS, FRAMINGS, LABELS, NONE
from framingclf.profiles import MIN_DOCUMENTS, MIN_FRAMING, check_columns

if TYPE_CHECKING:  # matplotlib is imported when a plot is drawn, so that the guards and
    # names below (which reports share) cost no matplotlib import
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

#: Colours for groups (series): neutral, never mistaken for a framing's colour.
SERIES_COLORS = ("#222222", "#D55E00", "#56B4E9", "#7F7F7F", "#882255", "#44AA99")

#: Readable names of the usual grouping columns, for axis labels.
AXIS_NAMES = {"doc_id": "document", "title": "document", "path": "document",
              "organisation": "organisation", "doc_type": "document type", "year": "year",
              "date": "date"}

_INTERVAL = ["upstream_index", "upstream_low", "upstream_high"]


# -- shared helpers -----------------------------------------------------------------------
def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained").add_subplot()


def _table(data, what: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, Sequence) and not isinstance(data, str):
        return pd.DataFrame(list(data))
    raise InvalidInputError(f"{what}: expected a DataFrame, got {type(data).__name__}")


def _shorten(name: str, width: int = 48) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def axis_name(by: str | None) -> str:
    return AXIS_NAMES.get(by or "", (by or "group").replace("_", " "))


def group_names(table: pd.DataFrame, by: str | None, what: str) -> list[str]:
    """Names for the rows: the `by` column, with documents named by their title (else
    file name), never by id; repeated names numbered."""
    if by is None:
        names = [str(v) for v in table.index]
    else:
        check_columns(table, [by], what)
        column = by
        if by == "doc_id":
            column = next((c for c in ("title", "path") if c in table.columns), by)
        values = table[column].where(table[column].notna(), table[by])
        names = [str(v).rsplit("/", 1)[-1] if column == "path" else str(v) for v in values]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def stands_on(table: pd.DataFrame) -> tuple[int | None, int | None]:
    """How many documents and passages a table rests on (None where it cannot say)."""
    attrs = table.attrs
    documents = attrs.get("n_documents")
    passages = attrs.get("n_passages")
    if documents is None:
        if "n_documents" in table.columns:
            documents = int(pd.to_numeric(table["n_documents"], errors="coerce").sum())
        elif "doc_id" in table.columns:
            documents = int(table["doc_id"].nunique())
    if passages is None and "n_passages" in table.columns:
        passages = int(pd.to_numeric(table["n_passages"], errors="coerce").sum())
    return documents, passages


def _title(ax: Axes, title: str, documents: int | None, passages: int | None) -> None:
    counts = [f"{n:,} {word}{'s' if n != 1 else ''}" for n, word in
              ((documents, "document"), (passages, "passage")) if n is not None]
    ax.set_title(title + ("\n" + " · ".join(counts) if counts else ""), fontsize=10)


def caveat_flags(table: pd.DataFrame, per_document: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per row: few framing passages; resting on fewer than `MIN_DOCUMENTS` documents
    (not asked of rows that are documents)."""
    few = (table["few_passages"].astype(bool).to_numpy() if "few_passages" in table.columns
           else np.zeros(len(table), dtype=bool))
    if per_document or "n_documents" not in table.columns:
        return few, np.zeros(len(table), dtype=bool)
    docs = pd.to_numeric(table["n_documents"], errors="coerce").fillna(0).to_numpy()
    return few, docs < MIN_DOCUMENTS


def _documents_per_row(table: pd.DataFrame) -> list[int]:
    if "n_documents" not in table.columns:
        return [1] * len(table)
    return pd.to_numeric(table["n_documents"], errors="coerce").fillna(0).astype(int).tolist()


def _mark(name: str, few: bool, thin: bool, n_docs: int) -> str:
    name = _shorten(name)
    if thin:
        name += f" ({int(n_docs)} doc{'s' if int(n_docs) != 1 else ''})"
    return name + (" †" if few else "")


def caveat_text(few: np.ndarray, thin: np.ndarray, hollow: bool = True) -> str:
    notes = []
    if few.any():
        notes.append(f"† fewer than {MIN_FRAMING} framing passages: unstable")
    if thin.any():
        notes.append(f"(k docs): fewer than {MIN_DOCUMENTS} documents: interval too narrow")
    if hollow and (few.any() or thin.any()):
        notes.append("hollow, dashed: read the interval, not the dot")
    return "\n".join(notes)


def _point(ax: Axes, x: float, y: float, low: float, high: float, color: str, weak: bool,
           vertical: bool) -> None:
    """One estimate with its interval; `vertical`: the value runs along y."""
    if not (np.isnan(low) or np.isnan(high)):
        xs, ys = ([x, x], [low, high]) if vertical else ([low, high], [y, y])
        ax.plot(xs, ys, color=color, linewidth=1.5, linestyle="--" if weak else "-")
    ax.plot([x], [y], marker="o", markersize=6, color=color, linestyle="none",
            markerfacecolor="white" if weak else color)


def _continuum_axis(ax: Axes, axis: str) -> None:
    """The framing names, in their colours, on the continuum axis (0 to 3)."""
    sep = " " if axis == "y" else "\n"
    ticks = [f"{i}{sep}{label}" for i, label in enumerate(FRAMINGS)]
    grid: Axis
    if axis == "y":
        ax.set_yticks(range(len(FRAMINGS)), ticks)
        ax.set_ylim(-0.2, len(FRAMINGS) - 0.8)
        labels, grid = ax.get_yticklabels(), ax.yaxis
    else:
        ax.set_xticks(range(len(FRAMINGS)), ticks)
        ax.set_xlim(-0.2, len(FRAMINGS) - 0.8)
        labels, grid = ax.get_xticklabels(), ax.xaxis
    for tick, label in zip(labels, FRAMINGS):
        tick.set_color(COLORS[label])
        tick.set_fontsize(8)
    grid.grid(True, color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)


def _legend(ax: Axes, own: bool, where: str = "lower center", **kwargs) -> None:
    """A legend outside the axes: on the figure we made (below it, or at its right),
    else inside the axes the caller gave us."""
    options = dict(frameon=False, fontsize=8, handlelength=1.2, columnspacing=1.0) | kwargs
    if own:
        ax.figure.legend(loc=f"outside {where}", **options)  # type: ignore[call-overload]
    else:
        ax.legend(loc="best", **options)


# -- the plots ------------------------------------------------------------------------------
def plot_shares(profiles: pd.DataFrame, by: str | None = None, *,
                include_none: bool = False, ax: Axes | None = None,
                title: str | None = None) -> Axes:
    """Stacked horizontal bars of framing shares, one per row of a profile table (from
    `framingclf.profiles.profile` or `compare`) or of the documents table, named by
    column `by` (documents by their title).

    By default the bars split the framing passages among the four framings; with
    ``include_none=True`` all labelled passages, ``none`` included. Groups flagged
    ``few_passages`` are marked †. For intervals on the shares, see `plot_compare`.
    """
    table = _table(profiles, "plot_shares")
    share_columns = [f"share_{label}" for label in FRAMINGS]
    check_columns(table, share_columns + (["share_none"] if include_none else []),
                  "plot_shares")
    names = group_names(table, by, "plot_shares")
    labels = list(LABELS) if include_none else list(FRAMINGS)
    shares = table[share_columns].astype(float).fillna(0.0).to_numpy()
    if include_none:
        none = table["share_none"].astype(float).fillna(0.0).to_numpy()
        shares = np.column_stack([shares * (1 - none)[:, None], none])
    few, _ = caveat_flags(table, True)
    count = "n_labelled" if include_none else "n_framing"
    ticks = [_shorten(name) + (f" (n={int(table[count].iloc[i])})" if count in table.columns
                               else "") + (" †" if few[i] else "")
             for i, name in enumerate(names)]
    own = ax is None
    ax = _axes(ax, (9, 1.6 + 0.42 * len(table)))
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
    xlabel = "share of labelled passages" if include_none else "share of framing passages"
    caveats = caveat_text(few, np.zeros_like(few), hollow=False)
    ax.set_xlabel(xlabel + (f"\n{caveats}" if caveats else ""))
    ax.set_ylabel(axis_name(by))
    _legend(ax, own, ncol=len(labels))
    _title(ax, title or "Framing shares", *stands_on(table))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_continuum(profiles: pd.DataFrame, by: str | None = None, *, hue: str | None = None,
                   ax: Axes | None = None, title: str | None = None) -> Axes:
    """Each group's upstream index (0 = healthcare-access … 3 = structural-politics) with
    its bootstrap interval, one row per group (documents, organisations, document
    types). Colours follow `hue` when given. For change over time, use `plot_trend`."""
    table = _table(profiles, "plot_continuum")
    check_columns(table, _INTERVAL + ([hue] if hue else []), "plot_continuum")
    names = group_names(table, by, "plot_continuum")
    few, thin = caveat_flags(table, by in ("doc_id", "title", "path"))
    estimate, low, high = (table[c].astype(float).to_numpy() for c in _INTERVAL)
    series = table[hue].astype(str).to_numpy() if hue else np.full(len(table), "")
    palette = {name: SERIES_COLORS[s % len(SERIES_COLORS)]
               for s, name in enumerate(dict.fromkeys(series))}
    own = ax is None
    ax = _axes(ax, (8, 1.8 + 0.42 * len(table)))
    for r in range(len(table)):
        _point(ax, estimate[r], r, low[r], high[r], palette[series[r]], few[r] or thin[r],
               vertical=False)
    docs = _documents_per_row(table)
    ax.set_yticks(range(len(table)), [_mark(n, f, t, d) for n, f, t, d in
                                      zip(names, few, thin, docs)])
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_ylabel(axis_name(by))
    _continuum_axis(ax, "x")
    caveats = caveat_text(few, thin)
    ax.set_xlabel("upstream index (mean position) with 95% bootstrap interval"
                  + (f"\n{caveats}" if caveats else ""))
    if hue:
        from matplotlib.patches import Patch

        _legend(ax, own, "right upper", title=axis_name(hue),
                handles=[Patch(color=c, label=n) for n, c in palette.items()])
    _title(ax, title or f"Upstream index by {axis_name(by)}", *stands_on(table))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def joinable(n_documents: Sequence[float], min_documents: int = MIN_DOCUMENTS) -> np.ndarray:
    """For periods in time order, whether each may be joined to the next by a line: both
    rest on at least `min_documents` documents (the trend guard, shared with reports)."""
    enough = np.asarray(n_documents, dtype=float) >= min_documents
    return enough[:-1] & enough[1:]


def _trend_series(ax: Axes, rows: pd.DataFrame, time: str, color: str, label: str,
                  min_documents: int) -> int:
    """One series over time: intervals at every period, a line only between adjacent
    periods that both rest on `min_documents` documents. Returns the segments drawn."""
    rows = rows.sort_values(time)
    x = rows[time].astype(float).to_numpy()
    estimate, low, high = (rows[c].astype(float).to_numpy() for c in _INTERVAL)
    docs = pd.to_numeric(rows["n_documents"], errors="coerce").fillna(0).to_numpy()
    few = (rows["few_passages"].astype(bool).to_numpy() if "few_passages" in rows.columns
           else np.zeros(len(rows), dtype=bool))
    enough = docs >= min_documents
    segments = 0
    for start in np.flatnonzero(joinable(docs, min_documents)):
        span = slice(start, start + 2)
        ax.plot(x[span], estimate[span], color=color, linewidth=1.2,
                label=label if label and not segments else None)
        ax.fill_between(x[span], low[span], high[span], color=color, alpha=0.12,
                        linewidth=0)
        segments += 1
    for i in range(len(rows)):
        _point(ax, x[i], estimate[i], low[i], high[i], color, few[i] or not enough[i],
               vertical=True)
        if not enough[i]:
            ax.annotate(f"{int(docs[i])} doc{'s' if docs[i] != 1 else ''}",
                        (x[i], estimate[i]), textcoords="offset points", xytext=(5, 4),
                        fontsize=7, color=color)
    if label and not segments:
        ax.plot([], [], marker="o", color=color, linestyle="none", label=label)
    return segments


def plot_trend(profiles: pd.DataFrame, time: str = "year", *, hue: str | None = None,
               min_documents: int = MIN_DOCUMENTS, ax: Axes | None = None,
               title: str | None = None) -> Axes:
    """The upstream index over time (a profile table by `time`, or by `time` and `hue`)
    with its interval at every period. Two adjacent periods are joined by a line only
    when each rests on at least `min_documents` documents; thinner periods are hollow
    points labelled with their number of documents, and when no two periods qualify
    the plot says that there is no trend to draw."""
    table = _table(profiles, "plot_trend")
    check_columns(table, [time, "n_documents", *_INTERVAL] + ([hue] if hue else []),
                  "plot_trend")
    if not pd.api.types.is_numeric_dtype(table[time]):
        raise InvalidInputError(f"plot_trend: column {time!r} holds {table[time].dtype} "
                                "values; expected numbers (e.g. a year); for groups use "
                                "plot_continuum")
    table = table[table[time].notna()]
    own = ax is None
    ax = _axes(ax, (8, 4.8))
    groups = table.groupby(hue, sort=False) if hue else [("", table)]
    segments = sum(_trend_series(ax, rows, time, SERIES_COLORS[s % len(SERIES_COLORS)],
                                 str(name if not isinstance(name, tuple) else name[0]),
                                 min_documents)
                   for s, (name, rows) in enumerate(groups))
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    note = (f"lines join periods of at least {min_documents} documents each; hollow: fewer"
            if segments else f"no trend drawn: no two adjacent periods have {min_documents} "
            "or more documents each")
    ax.set_xlabel(f"{axis_name(time)}\n{note}")
    ax.set_ylabel("upstream index (mean position)")
    _continuum_axis(ax, "y")
    if hue:
        _legend(ax, own, "right upper", title=axis_name(hue))
    _title(ax, title or f"Upstream index by {axis_name(time)}", *stands_on(table))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_compare(profiles: pd.DataFrame, by: str, *, ax: Axes | None = None,
                 title: str | None = None) -> Axes:
    """Each framing's share per group (organisations, say) with its bootstrap interval,
    side by side: from a profile table (`profile` or `compare`), which carries the
    share intervals."""
    table = _table(profiles, "plot_compare")
    columns = [f"share_{f}{end}" for f in FRAMINGS for end in ("", "_low", "_high")]
    check_columns(table, columns, "plot_compare")
    names = group_names(table, by, "plot_compare")
    few, thin = caveat_flags(table, by in ("doc_id", "title", "path"))
    own = ax is None
    ax = _axes(ax, (9, 4.5))
    width = 0.8 / max(len(table), 1)
    docs = _documents_per_row(table)
    for r in range(len(table)):
        color = SERIES_COLORS[r % len(SERIES_COLORS)]
        for j, framing in enumerate(FRAMINGS):
            x = j - 0.4 + width * (r + 0.5)
            share, low, high = (float(table[f"share_{framing}{end}"].iloc[r])
                                for end in ("", "_low", "_high"))
            _point(ax, x, share, low, high, color, few[r] or thin[r], vertical=True)
        ax.plot([], [], marker="o", linestyle="none", color=color,
                label=_mark(names[r], few[r], thin[r], docs[r]))
    ax.set_xticks(range(len(FRAMINGS)), FRAMINGS)
    for tick, framing in zip(ax.get_xticklabels(), FRAMINGS):
        tick.set_color(COLORS[framing])
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_ylabel("share of framing passages (95% interval)")
    caveats = caveat_text(few, thin)
    ax.set_xlabel("framing" + (f"\n{caveats}" if caveats else ""))
    _legend(ax, own, "right upper", title=axis_name(by))
    _title(ax, title or f"Framing shares by {axis_name(by)}", *stands_on(table))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_page_strip(passages: pd.DataFrame, doc: str | None = None, *,
                    ax: Axes | None = None, title: str | None = None) -> Axes:
    """Where each framing sits in one document: a column per page, its passages in
    reading order from the top, each a cell coloured by its label (hatched when marked
    ``review``, white for passages that carry no label). Columns have one height,
    however many passages a page holds. `doc` picks the document by ``doc_id``,
    ``path`` or ``title`` and may be left out when the table holds one document."""
    from matplotlib.patches import Patch, Rectangle

    table = _table(passages, "plot_page_strip")
    check_columns(table, ["label", "page_start"], "plot_page_strip")
    table = _one_document(table, doc)
    pages = pd.to_numeric(table["page_start"], errors="coerce").fillna(1).astype(int)
    n_pages = int(pages.max()) if len(pages) else 1
    review = (table["review"].astype(bool).to_numpy() if "review" in table.columns
              else np.zeros(len(table), dtype=bool))
    row_in_page = pages.groupby(pages).cumcount().to_numpy()
    per_page = pages.map(pages.value_counts()).to_numpy()
    own = ax is None
    ax = _axes(ax, (min(3 + 0.35 * n_pages, 16), 3.2))
    for page, row, count, label, marked in zip(pages, row_in_page, per_page, table["label"],
                                               review):
        labelled = isinstance(label, str) and label in COLORS
        ax.add_patch(Rectangle((page - 0.42, row / count), 0.84, 0.92 / count,
                               facecolor=COLORS[label] if labelled else "white",
                               hatch="////" if marked else None,
                               edgecolor="white" if labelled else "#bbbbbb", linewidth=0.6))
    ax.set_xlim(0.4, n_pages + 0.6)
    ax.set_ylim(1.0, 0.0)
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    ax.set_yticks([])
    ax.set_xlabel("page")
    ax.set_ylabel("passages, in reading order ↓", fontsize=8)
    handles = [Patch(facecolor=COLORS[label], label=label) for label in LABELS]
    if review.any():
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="////",
                             label="review"))
    _legend(ax, own, handles=handles, ncol=len(handles), fontsize=7)
    name = title if title is not None else _document_name(table)
    _title(ax, _shorten(name, 90) or "Page strip", 1, len(table))
    ax.spines[["top", "right", "left"]].set_visible(False)
    return ax


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
    for key in ("title", "path"):
        if key in table.columns and len(table) and pd.notna(table[key].iloc[0]):
            value = str(table[key].iloc[0])
            return value.rsplit("/", 1)[-1] if key == "path" else value
    return ""


def plot_reliability(result: dict | Sequence[dict] | pd.DataFrame, *, ax: Axes | None = None,
                     title: str | None = None) -> Axes:
    """Reliability diagram: accuracy against mean confidence per confidence bin, with
    the diagonal a calibrated model would follow and the passages per bin.

    `result` is a metrics dict from `framingclf.evaluate` (its ``reliability`` bins, and
    its ``ece`` in the title), or the bins alone (`framingclf.evaluate.reliability_table`).
    The expected calibration error is framingclf.evaluate's, never recomputed here.
    """
    metrics = result if isinstance(result, dict) else {}
    frame = _table(metrics.get("reliability", []) if metrics else result, "plot_reliability")
    check_columns(frame, ["low", "high", "n", "confidence", "accuracy"], "plot_reliability")
    frame = frame.astype({"low": float, "high": float, "n": int})
    filled = frame[frame["n"] > 0].astype({"confidence": float, "accuracy": float})
    ax = _axes(ax, (5, 5.4))
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1,
            label="perfectly calibrated")
    width = (filled["high"] - filled["low"]).to_numpy()
    ax.bar(filled["low"], filled["accuracy"], width=width, align="edge", color="#0072B2",
           alpha=0.75, edgecolor="white", label="accuracy")
    ax.plot(filled["confidence"], filled["accuracy"], "o", color="#D55E00", markersize=4,
            label="bin at its mean confidence")
    for row in filled.itertuples(index=False):
        ax.text((row.low + row.high) / 2, min(row.accuracy + 0.02, 0.97), f"n={row.n}",
                ha="center", fontsize=6, color="#333333")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("confidence (predicted probability of the label)")
    ax.set_ylabel("accuracy (share of passages labelled right)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    name = title or "Reliability"
    if metrics.get("ece") is not None:
        name += f" (ECE {metrics['ece']:.3f})"
    _title(ax, name, metrics.get("n_groups"), int(filled["n"].sum()))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _figure(plot: Axes | Figure) -> Figure:
    """The figure to save: an Axes' own, or for an Axes on a subfigure the whole figure
    holding it (a subfigure cannot be saved on its own)."""
    from matplotlib.figure import Figure

    if isinstance(plot, Figure):
        return plot
    figure = plot.figure
    return figure if isinstance(figure, Figure) else figure.figure


def figure_png(plot: Axes | Figure, dpi: int = 110) -> bytes:
    """A plot (its Axes or Figure) as PNG bytes."""
    buffer = io.BytesIO()
    _figure(plot).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def figure_svg(plot: Axes | Figure) -> str:
    """A plot (its Axes or Figure) as an SVG document whose text stays text (small, and
    searchable in a report)."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "framingclf"}):
        _figure(plot).savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
