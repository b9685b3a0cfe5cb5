"""Profiles: how a document, organisation or period frames health inequalities.

For each group of scored passages: the share of each framing among framing passages,
the share of ``none``, the continuum (upstream) index, the mean position from
healthcare-access = 0 to structural-politics = 3, with a bootstrap interval, and the
deficit-label rate. Intervals resample whole documents when a group holds several
(passages of one document are not independent), else passages. Groups with few
framing passages are flagged and warned about, never reported as a bare number.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from framingclf.errors import InvalidInputError
from framingclf.labels import CONTINUUM, FRAMINGS, NONE
from framingclf.lexicon import DeficitLexicon

#: Groups with fewer framing passages than this are flagged `few_passages`.
MIN_FRAMING = 20

#: Groups spanning fewer documents than this are flagged `few_documents`: resampling
#: two or three documents gives only a handful of distinct draws, so the interval is
#: narrower than the real uncertainty.
MIN_DOCUMENTS = 5


def check_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidInputError(
            f"{what}: column(s) {missing} not in the table; it has {list(frame.columns)}"
        )


def check_single_model(passages: pd.DataFrame) -> None:
    """Refuse tables that mix passages scored by different models."""
    if "model" in passages.columns and passages["model"].nunique(dropna=True) > 1:
        models = sorted(passages["model"].dropna().unique())
        raise InvalidInputError(
            f"passages were scored by {len(models)} different models ({', '.join(models)}); "
            "profiles would mix their scales. Rescore everything with one model, or "
            "profile each model's rows separately"
        )


def upstream_interval(positions_by_unit: list[np.ndarray], n_boot: int = 1000,
                      ci: float = 0.95, seed: int = 0) -> tuple[float, float, float]:
    """Mean position and a percentile bootstrap interval, resampling units (documents)
    or, when there is one unit, its passages."""
    units = [u for u in positions_by_unit if len(u)]
    if not units:
        return np.nan, np.nan, np.nan
    rng = np.random.default_rng(seed)
    if len(units) == 1:
        units = [np.array([p]) for p in units[0]]
    sums = np.array([u.sum() for u in units], dtype=float)
    counts = np.array([len(u) for u in units], dtype=float)
    estimate = sums.sum() / counts.sum()
    if len(units) < 2:
        return float(estimate), np.nan, np.nan
    draws = rng.integers(0, len(units), size=(n_boot, len(units)))
    boot = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
    alpha = (1 - ci) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha])
    return float(estimate), float(low), float(high)


def summarise(group: pd.DataFrame, n_boot: int = 1000, ci: float = 0.95,
              seed: int = 0) -> dict:
    """The framing numbers of a set of passages (a document, an organisation, a year).

    Passages without a label (headings, tables, captions and other kinds that are not
    labelled) count in ``n_passages`` only. Shares are among framing passages; the
    upstream index is their mean continuum position, with a bootstrap interval that
    resamples whole documents when `group` has a ``doc_id`` column with several, else
    passages. ``deficit_rate`` is the share of labelled passages with a deficit term.
    """
    labelled = group[group["label"].notna()]
    labels = labelled["label"]
    framing = labels[labels != NONE]
    row = {"n_passages": len(group), "n_labelled": len(labelled), "n_framing": len(framing),
           "share_none": float((labels == NONE).mean()) if len(labels) else np.nan}
    for label in FRAMINGS:
        row[f"share_{label}"] = float((framing == label).mean()) if len(framing) else np.nan
    positions = labels.map(CONTINUUM)
    if "doc_id" in labelled.columns:
        units = [p.dropna().to_numpy(dtype=float)
                 for _, p in positions.groupby(labelled["doc_id"])]
    else:
        units = [positions.dropna().to_numpy(dtype=float)]
    estimate, low, high = upstream_interval(units, n_boot, ci, seed)
    row.update(upstream_index=estimate, upstream_low=low, upstream_high=high)
    counts = labelled["deficit_terms"].map(len) if "deficit_terms" in labelled else \
        pd.Series(0, index=labelled.index)
    row["deficit_rate"] = float((counts > 0).mean()) if len(labelled) else np.nan
    row["n_deficit_terms"] = int(counts.sum())
    row["few_passages"] = len(framing) < MIN_FRAMING
    return row


def _group_row(group: pd.DataFrame, n_boot: int, ci: float, seed: int) -> dict:
    row = summarise(group, n_boot, ci, seed)
    if "doc_id" in group.columns:
        n_docs = int(group["doc_id"].nunique())
        row = {"n_documents": n_docs, **row, "few_documents": 1 < n_docs < MIN_DOCUMENTS}
    return row


def profile(passages: pd.DataFrame, by: str | Sequence[str] | None = None, *,
            n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
            lexicon: DeficitLexicon | None = None) -> pd.DataFrame:
    """One row per group of `passages` (all of them when `by` is None): counts, framing
    shares among framing passages, share of none, upstream index with a `ci` bootstrap
    interval, deficit-label rate (share of passages with at least one deficit term) and
    count, and `few_passages` where fewer than `MIN_FRAMING` framing passages."""
    by = [by] if isinstance(by, str) else list(by or [])
    check_columns(passages, ["label", *by], "profile")
    check_single_model(passages)
    frame = passages.copy()
    if "deficit_terms" not in frame.columns:
        check_columns(frame, ["text"], "profile (to count deficit terms)")
        frame["deficit_terms"] = (lexicon or DeficitLexicon()).find_all(frame["text"].tolist())
    if by:
        rows = [{**dict(zip(by, key if isinstance(key, tuple) else (key,))),
                 **_group_row(group, n_boot, ci, seed)}
                for key, group in frame.groupby(by, sort=True, dropna=False)]
    else:
        rows = [_group_row(frame, n_boot, ci, seed)]
    table = pd.DataFrame(rows)
    if "few_documents" in table and table["few_documents"].any():
        warnings.warn(
            f"{int(table['few_documents'].sum())} group(s) span only 2 to {MIN_DOCUMENTS - 1} "
            "documents; their intervals resample too few documents and understate the "
            "uncertainty", UserWarning, stacklevel=2)
    few = table[table["few_passages"]]
    if len(few):
        names = ", ".join(str(tuple(r[b] for b in by)) if by else "all"
                          for _, r in few.head(5).iterrows())
        warnings.warn(
            f"{len(few)} group(s) have fewer than {MIN_FRAMING} framing passages ({names}); "
            "their shares and index are unstable: read the intervals, not the numbers",
            UserWarning, stacklevel=2)
    return table


def compare(passages: pd.DataFrame, by: str | Sequence[str], **kwargs) -> pd.DataFrame:
    """Profiles of groups side by side (e.g. by organisation, year, document type), with
    each group's upstream index relative to all passages (``upstream_vs_all``)."""
    table = profile(passages, by, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        overall = profile(passages, None, **kwargs)["upstream_index"].iloc[0]
    table["upstream_vs_all"] = table["upstream_index"] - overall
    return table
