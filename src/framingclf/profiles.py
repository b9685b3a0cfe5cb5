"""Profiles: how a document, organisation or period frames health inequalities.

For each group of scored passages: the share of each framing among framing passages,
the share of ``none``, the continuum (upstream) index, the mean position from
healthcare-access = 0 to structural-politics = 3, with a bootstrap interval, the
deficit-label rate, and the share of labelled passages that stop mid-sentence (a sign
that the text was read badly, which the ``caution`` says in words).

Intervals come from `scipy.stats.bootstrap` (percentile method) over whole documents
when a group holds several, since passages of one document share an author, a purpose
and a template and are not independent; a group of one document resamples its passages,
and its interval describes that document only. Groups with few framing passages or few
documents are flagged (``few_passages``, ``few_documents``) and say why in words
(``caution``), so that no number travels without its caveat.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from framingclf.errors import InvalidInputError
from framingclf.labels import CONTINUUM, FRAMINGS, NONE
from framingclf.lexicon import DeficitLexicon

#: Groups with fewer framing passages than this are flagged `few_passages`.
MIN_FRAMING = 20

#: Groups whose labelled passages stop mid-sentence this often or more get a caution:
#: documents read well stay at about a tenth or less (`benchmarks/reading.py`).
MAX_UNFINISHED = 0.2

#: Groups spanning fewer documents than this are flagged `few_documents`: resampling
#: two or three documents gives only a handful of distinct draws, so the interval is
#: narrower than the real uncertainty. Plots draw no trend through periods with fewer.
MIN_DOCUMENTS = 5

_POSITIONS = np.array([CONTINUUM[label] for label in FRAMINGS], dtype=float)


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


def _framing_statistics(*counts: np.ndarray, axis: int = -1) -> np.ndarray:
    """Shares of the four framings and the upstream index from per-unit framing counts
    (one array per framing, units along `axis`): what the bootstrap recomputes."""
    totals = np.stack([c.sum(axis=axis) for c in counts])  # framings x ...
    n = totals.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = totals / n
        index = np.tensordot(_POSITIONS, totals, axes=1) / n
    return np.concatenate([shares, index[None]])


def framing_interval(counts: np.ndarray, n_boot: int = 1000, ci: float = 0.95,
                     seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimates and percentile bootstrap intervals of the four framing shares and the
    upstream index (five values each), from `counts`: one row per unit (a document, or
    a passage), one column per framing. Units without framing passages are left out;
    fewer than two units give no interval (NaN)."""
    from scipy.stats import bootstrap

    counts = np.asarray(counts, dtype=float).reshape(-1, len(FRAMINGS))
    counts = counts[counts.sum(axis=1) > 0]
    if not len(counts):
        nan = np.full(len(FRAMINGS) + 1, np.nan)
        return nan, nan.copy(), nan.copy()
    estimate = _framing_statistics(*counts.T)
    if len(counts) < 2 or n_boot < 1:
        nan = np.full_like(estimate, np.nan)
        return estimate, nan, nan.copy()
    result = bootstrap(tuple(counts.T), _framing_statistics, paired=True, vectorized=True,
                       n_resamples=n_boot, confidence_level=ci, method="percentile",
                       rng=np.random.default_rng(seed))
    low, high = result.confidence_interval
    return estimate, np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def upstream_interval(positions_by_unit: list[np.ndarray], n_boot: int = 1000,
                      ci: float = 0.95, seed: int = 0) -> tuple[float, float, float]:
    """Mean position and a percentile bootstrap interval, resampling units (documents)
    or, when there is one unit, its passages."""
    units = [np.asarray(u, dtype=int) for u in positions_by_unit if len(u)]
    if len(units) == 1:
        units = [np.array([p]) for p in units[0]]
    counts = np.array([np.bincount(u, minlength=len(FRAMINGS)) for u in units]).reshape(
        -1, len(FRAMINGS))
    estimate, low, high = framing_interval(counts, n_boot, ci, seed)
    return float(estimate[-1]), float(low[-1]), float(high[-1])


def _unit_counts(labels: pd.Series, units: pd.Series | None) -> np.ndarray:
    """Framing counts per document (rows), or per passage when there is one document."""
    codes = pd.Index(FRAMINGS).get_indexer(labels.astype(object))
    framing = codes >= 0
    codes = codes[framing]
    if units is None:
        return np.eye(len(FRAMINGS))[codes]
    unit_codes, uniques = pd.factorize(units.to_numpy()[framing])
    if len(uniques) < 2:
        return np.eye(len(FRAMINGS))[codes]
    counts = np.zeros((len(uniques), len(FRAMINGS)))
    np.add.at(counts, (unit_codes, codes), 1)
    return counts


def summarise(group: pd.DataFrame, n_boot: int = 1000, ci: float = 0.95,
              seed: int = 0, *, share_intervals: bool = False) -> dict:
    """The framing numbers of a set of passages (a document, an organisation, a year).

    Passages without a label (headings, tables, captions and other kinds that are not
    labelled) count in ``n_passages`` only. Shares are among framing passages; the
    upstream index is their mean continuum position, with a bootstrap interval that
    resamples whole documents when `group` has a ``doc_id`` column with several, else
    passages. ``deficit_rate`` is the share of labelled passages with a deficit term;
    ``unfinished_rate`` the share that stop mid-sentence (`segment.stops_mid_sentence`).
    With `share_intervals`, each share gets ``_low`` and ``_high`` columns too.
    """
    labelled = group[group["label"].notna() & (group["label"].astype(str) != "")]
    labels = labelled["label"]
    framing = labels[labels != NONE]
    row = {"n_passages": len(group), "n_labelled": len(labelled), "n_framing": len(framing),
           "share_none": float((labels == NONE).mean()) if len(labels) else np.nan}
    units = labelled["doc_id"] if "doc_id" in labelled.columns else None
    estimate, low, high = framing_interval(_unit_counts(labels, units), n_boot, ci, seed)
    for i, label in enumerate(FRAMINGS):
        row[f"share_{label}"] = float(estimate[i])
        if share_intervals:
            row[f"share_{label}_low"], row[f"share_{label}_high"] = float(low[i]), float(high[i])
    row.update(upstream_index=float(estimate[-1]), upstream_low=float(low[-1]),
               upstream_high=float(high[-1]))
    counts = labelled["deficit_terms"].map(len) if "deficit_terms" in labelled else \
        pd.Series(0, index=labelled.index)
    row["deficit_rate"] = float((counts > 0).mean()) if len(labelled) else np.nan
    row["n_deficit_terms"] = int(counts.sum())
    row["unfinished_rate"] = _unfinished_rate(labelled)
    row["few_passages"] = len(framing) < MIN_FRAMING
    return row


def _unfinished_rate(labelled: pd.DataFrame) -> float:
    """The share of labelled passages that stop mid-sentence (NaN without their text)."""
    if "text" not in labelled.columns or not len(labelled):
        return np.nan
    from framingclf.segment import stops_mid_sentence

    kinds = labelled["kind"] if "kind" in labelled.columns else pd.Series("prose",
                                                                          index=labelled.index)
    return float(np.mean([stops_mid_sentence(str(text), str(kind))
                          for text, kind in zip(labelled["text"], kinds)]))


def caution(row: dict, per_document: bool = False) -> str:
    """In words, why a group's numbers need care ("" when they need none)."""
    notes = []
    n_docs = row.get("n_documents")
    if n_docs is not None and not per_document:
        if n_docs == 1:
            notes.append("1 document: the interval resamples its passages and describes "
                         "that document, not the group")
        elif n_docs < MIN_DOCUMENTS:
            notes.append(f"{n_docs} documents (fewer than {MIN_DOCUMENTS}): too few to "
                         "resample; the interval is narrower than the real uncertainty")
    if row.get("few_passages"):
        notes.append(f"{row['n_framing']} framing passages (fewer than {MIN_FRAMING}): "
                     "shares and index are unstable")
    unfinished = row.get("unfinished_rate")
    if unfinished is not None and unfinished >= MAX_UNFINISHED:
        notes.append(f"{unfinished:.0%} of its labelled passages stop mid-sentence (slide "
                     "bullets, form fields, or columns flattened out of order): read them "
                     "before trusting the shares")
    return "; ".join(notes)


def _group_row(group: pd.DataFrame, n_boot: int, ci: float, seed: int,
               per_document: bool) -> dict:
    row = summarise(group, n_boot, ci, seed, share_intervals=True)
    if "doc_id" in group.columns:
        n_docs = int(group["doc_id"].nunique())
        row = {"n_documents": n_docs, **row, "few_documents": 1 < n_docs < MIN_DOCUMENTS}
    row["caution"] = caution(row, per_document)
    return row


def _document_names(frame: pd.DataFrame) -> pd.Series:
    """A readable name per passage's document: its title, else its file name."""
    names = pd.Series("", index=frame.index, dtype=object)
    for column in ("path", "title"):  # the title wins where there is one
        if column in frame.columns:
            values = frame[column].map(lambda v: "" if v is None or v != v else str(v))
            if column == "path":
                values = values.map(lambda p: Path(p).name if p else "")
            names = values.where(values.str.strip() != "", names)
    return names


def profile(passages: pd.DataFrame, by: str | Sequence[str] | None = None, *,
            n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
            lexicon: DeficitLexicon | None = None) -> pd.DataFrame:
    """One row per group of `passages` (all of them when `by` is None): counts (of
    documents, passages, labelled and framing passages), framing shares among framing
    passages with `ci` bootstrap intervals, share of none, upstream index with its
    interval, deficit-label rate and count, the share of labelled passages that stop
    mid-sentence, the flags ``few_passages`` (fewer than `MIN_FRAMING` framing passages)
    and ``few_documents`` (2 to `MIN_DOCUMENTS` - 1 documents), and ``caution``, saying in
    words what to be careful of.

    Grouped by ``doc_id``, each row also carries the document's ``title``. The table's
    ``attrs`` hold the totals it stands on (``n_documents``, ``n_passages``), which the
    plots print.
    """
    by = [by] if isinstance(by, str) else list(by or [])
    check_columns(passages, ["label", *by], "profile")
    check_single_model(passages)
    frame = passages.copy()
    if "deficit_terms" not in frame.columns:
        check_columns(frame, ["text"], "profile (to count deficit terms)")
        frame["deficit_terms"] = (lexicon or DeficitLexicon()).find_all(frame["text"].tolist())
    per_document = "doc_id" in by
    if by:
        rows = []
        for key, group in frame.groupby(by, sort=True, dropna=False):
            row = dict(zip(by, key if isinstance(key, tuple) else (key,)))
            if per_document and "title" not in by:
                row["title"] = _document_names(group).iloc[0] if len(group) else ""
            rows.append({**row, **_group_row(group, n_boot, ci, seed, per_document)})
    else:
        rows = [_group_row(frame, n_boot, ci, seed, per_document)]
    table = pd.DataFrame(rows)
    table.attrs.update(n_passages=len(frame))
    if "doc_id" in frame.columns:
        table.attrs.update(n_documents=int(frame["doc_id"].nunique()))
    return table


def compare(passages: pd.DataFrame, by: str | Sequence[str], **kwargs) -> pd.DataFrame:
    """Profiles of groups side by side (e.g. by organisation, year, document type), with
    each group's upstream index relative to all passages (``upstream_vs_all``)."""
    table = profile(passages, by, **kwargs)
    positions = passages["label"].map(CONTINUUM).dropna()
    overall = float(positions.mean()) if len(positions) else np.nan
    table["upstream_vs_all"] = table["upstream_index"] - overall
    return table
