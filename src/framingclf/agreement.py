"""Agreement between coders: Cohen's and Fleiss' kappa, Krippendorff's alpha, Gwet's AC1,
per-label agreement, the confusion between two coders, and bootstrap intervals that
resample documents.

Data are a units × coders table (`pandas.DataFrame` or 2-D array): one row per coded
unit (passage), one column per coder, missing codings as NaN. `codings_matrix` builds
it from the tidy codings table of `framingclf.codings`; `with_model_coder` adds the
model's labels as one more coder, so a model can be measured against people in the
same terms as people against each other.

Krippendorff's alpha follows Krippendorff (2011), "Computing Krippendorff's
alpha-reliability": a coincidence matrix over pairable values (units coded at least
twice), and a difference function per level of measurement. For ``level="ordinal"``
values are ranked by `order` (framingclf's framings run from access to politics).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from framingclf.errors import InvalidInputError
from framingclf.labels import FRAMINGS, LABELS, NONE

LEVELS = ("nominal", "ordinal")


# -- the units × coders table ------------------------------------------------------------
def codings_matrix(codings: pd.DataFrame, *, unit_col: str = "unit_id",
                   coder_col: str = "coder", label_col: str = "label") -> pd.DataFrame:
    """The tidy codings table as units × coders (NaN where a coder did not code a unit).

    A coder who coded one unit twice is an error naming the unit (resolve it first).
    """
    for column in (unit_col, coder_col, label_col):
        if column not in codings.columns:
            raise InvalidInputError(f"codings: column {column!r} missing; found "
                                    f"{list(codings.columns)}; name it with the *_col options")
    repeated = codings.duplicated([unit_col, coder_col], keep=False)
    if repeated.any():
        row = codings[repeated].iloc[0]
        raise InvalidInputError(
            f"codings: coder {row[coder_col]!r} coded unit {row[unit_col]!r} more than "
            f"once ({int(repeated.sum())} such rows); keep one coding per coder and unit")
    wide = codings.pivot(index=unit_col, columns=coder_col, values=label_col)
    wide.columns.name = None
    return wide


def with_model_coder(matrix: pd.DataFrame, texts: Sequence[str], model: Any = None,
                     name: str | None = None) -> pd.DataFrame:
    """`matrix` with one more column: the model's label for each unit's text.

    `model` is a fitted model, a model directory or None (the shipped model); the
    column is named ``model:<fingerprint 12>`` unless `name` is given.
    """
    from framingclf.persistence import resolve_model
    from framingclf.scoring import score_texts

    model = resolve_model(model)
    if len(texts) != len(matrix):
        raise InvalidInputError(f"texts: {len(texts)} texts for {len(matrix)} units; pass "
                                "one text per row of the matrix")
    labels = score_texts(list(texts), model)["label"].to_numpy()
    return matrix.assign(**{name or f"model:{model.fingerprint()[:12]}": labels})


def _values(data: Any) -> np.ndarray:
    """Data as a 2-D object array with None for missing codings."""
    frame = pd.DataFrame(data)
    if frame.ndim != 2 or frame.shape[1] < 2:
        raise InvalidInputError(f"data: expected a units × coders table with at least two "
                                f"coders, got shape {frame.shape}")
    array = frame.to_numpy(dtype=object, copy=True)
    missing = pd.isna(frame).to_numpy()
    array[missing] = None
    return array


def _counts(array: np.ndarray, categories: Sequence) -> np.ndarray:
    """Units × categories: how many coders gave each unit each category."""
    index = {value: i for i, value in enumerate(categories)}
    counts = np.zeros((len(array), len(categories)))
    for u, row in enumerate(array):
        for value in row:
            if value is not None:
                counts[u, index[value]] += 1
    return counts


def _categories(array: np.ndarray, categories: Sequence | None = None) -> list:
    seen = {v for v in array.ravel() if v is not None}
    if categories is None:
        known = [label for label in LABELS if label in seen]
        return known + sorted(seen - set(known), key=str)
    unknown = seen - set(categories)
    if unknown:
        raise InvalidInputError(f"data: value(s) {sorted(map(str, unknown))} are not among "
                                f"the categories {list(categories)}")
    return list(categories)


# -- two coders ----------------------------------------------------------------------------
def _pair(a: Sequence | np.ndarray, b: Sequence | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    array = _values(pd.DataFrame({"a": list(a), "b": list(b)}))
    both = np.array([x is not None and y is not None for x, y in array])
    if not both.any():
        raise InvalidInputError("the two coders share no coded unit")
    return array[both, 0], array[both, 1]


def cohen_kappa(a: Sequence | np.ndarray, b: Sequence | np.ndarray) -> float:
    """Cohen's kappa between two coders over the units both coded."""
    x, y = _pair(a, b)
    categories = _categories(np.column_stack([x, y]))
    n = len(x)
    observed = float(np.mean(x == y))
    expected = sum((x == c).sum() * (y == c).sum() for c in categories) / (n * n)
    return 1.0 if expected == 1 else float((observed - expected) / (1 - expected))


def confusion(a: Sequence | np.ndarray, b: Sequence | np.ndarray, *,
              names: tuple[str, str] = ("a", "b"),
              labels: Sequence[str] | None = None) -> pd.DataFrame:
    """How the two coders' labels cross: rows `a`, columns `b`, over units both coded."""
    x, y = _pair(a, b)
    categories = labels or _categories(np.column_stack([x, y]))
    table = pd.crosstab(pd.Categorical(x, categories), pd.Categorical(y, categories),
                        dropna=False)
    table.index.name, table.columns.name = names
    return table


# -- several coders --------------------------------------------------------------------------
def percent_agreement(data: Any) -> float:
    """The share of agreeing pairs of codings within units coded at least twice."""
    counts = _counts(array := _values(data), _categories(array))
    m = counts.sum(axis=1)
    keep = m >= 2
    pairs = (m[keep] * (m[keep] - 1)).sum()
    if not pairs:
        raise InvalidInputError("data: no unit was coded by two coders")
    return float((counts[keep] * (counts[keep] - 1)).sum() / pairs)


def fleiss_kappa(data: Any) -> float:
    """Fleiss' kappa, for any number of coders per unit (units coded once are left out)."""
    array = _values(data)
    counts = _counts(array, _categories(array))
    m = counts.sum(axis=1)
    counts, m = counts[m >= 2], m[m >= 2]
    if not len(m):
        raise InvalidInputError("data: no unit was coded by two coders")
    observed = float(np.mean((counts * (counts - 1)).sum(axis=1) / (m * (m - 1))))
    shares = counts.sum(axis=0) / m.sum()
    expected = float((shares ** 2).sum())
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def gwet_ac1(data: Any, categories: Sequence | None = None) -> float:
    """Gwet's AC1: chance agreement from how far category use is from uniform, so a
    dominant category does not drive it down as it does kappa. `categories`: the
    possible values (default: those observed)."""
    array = _values(data)
    categories = _categories(array, categories)
    q = len(categories)
    counts = _counts(array, categories)
    m = counts.sum(axis=1)
    rated, paired = m >= 1, m >= 2
    if not paired.any():
        raise InvalidInputError("data: no unit was coded by two coders")
    observed = float(np.mean((counts[paired] * (counts[paired] - 1)).sum(axis=1)
                             / (m[paired] * (m[paired] - 1))))
    shares = (counts[rated] / m[rated, None]).mean(axis=0)
    expected = float((shares * (1 - shares)).sum() / (q - 1)) if q > 1 else 1.0
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def krippendorff_alpha(data: Any, level: str = "nominal",
                       order: Sequence | None = None) -> float:
    """Krippendorff's alpha for a units × coders table, missing codings as NaN.

    `level` is ``"nominal"`` or ``"ordinal"``. Ordinal ranks values by `order`: by
    default framingclf's framings (access to politics) for labels, or sorted values
    for numbers; ``none`` has no rank, so leave it out (``data.replace("none",
    np.nan)``) or pass an `order` that places it.
    """
    if level not in LEVELS:
        raise InvalidInputError(f"level={level!r}; expected one of {list(LEVELS)}")
    array = _values(data)
    categories = _ordered(array, order) if level == "ordinal" else _categories(array)
    counts = _counts(array, categories)
    m = counts.sum(axis=1)
    counts, m = counts[m >= 2], m[m >= 2]
    if not len(m):
        raise InvalidInputError("data: no unit was coded by two coders")
    # coincidences: within each unit, every ordered pair of codings, weighted 1/(m-1)
    coincidence = np.einsum("uc,uk->ck", counts / (m - 1)[:, None], counts)
    coincidence -= np.diag((counts / (m - 1)[:, None]).sum(axis=0))
    totals = coincidence.sum(axis=1)
    n = totals.sum()
    delta = _difference(totals, level)
    expected = (np.outer(totals, totals) * delta).sum()
    if expected == 0:
        return 1.0
    return float(1 - (n - 1) * (coincidence * delta).sum() / expected)


def _ordered(array: np.ndarray, order: Sequence | None) -> list:
    seen = {v for v in array.ravel() if v is not None}
    if order is None:
        if seen <= set(FRAMINGS):
            order = list(FRAMINGS)
        elif NONE in seen and seen <= set(LABELS):
            raise InvalidInputError(
                "ordinal alpha: 'none' has no place on the continuum from access to "
                "politics; leave it out (data.replace('none', np.nan)) or pass order=[...]")
        else:
            try:
                order = sorted(seen)
            except TypeError:
                raise InvalidInputError("ordinal alpha: values of mixed types cannot be "
                                        "ranked; pass order=[...]") from None
    return _categories(array, order)


def _difference(totals: np.ndarray, level: str) -> np.ndarray:
    """The squared difference between every two values (Krippendorff's delta²)."""
    k = len(totals)
    if level == "nominal":
        return 1.0 - np.eye(k)
    cumulative = np.concatenate([[0.0], np.cumsum(totals)])
    delta = np.zeros((k, k))
    for c in range(k):
        for g in range(c + 1, k):
            between = cumulative[g + 1] - cumulative[c] - (totals[c] + totals[g]) / 2
            delta[c, g] = delta[g, c] = between ** 2
    return delta


def per_label(data: Any) -> pd.DataFrame:
    """For each label: how often coders used it, specific (positive) agreement (of the
    pairs of codings of a unit in which either coder used the label, the share in which
    both did) and Fleiss' kappa of the label against all others."""
    array = _values(data)
    categories = _categories(array)
    counts = _counts(array, categories)
    m = counts.sum(axis=1)
    counts, m = counts[m >= 2], m[m >= 2]
    rows = []
    for k, label in enumerate(categories):
        both = (counts[:, k] * (counts[:, k] - 1)).sum()
        either = (counts[:, k] * (m - 1)).sum()
        binary = np.where(array == label, 1,
                          np.where(pd.isna(array), None, 0))  # type: ignore[call-overload]
        try:
            kappa = fleiss_kappa(binary)
        except InvalidInputError:
            kappa = np.nan
        rows.append({"label": label, "codings": int(counts[:, k].sum()),
                     "specific_agreement": both / either if either else np.nan,
                     "kappa": kappa})
    return pd.DataFrame(rows)


# -- intervals -----------------------------------------------------------------------------
def bootstrap_ci(data: Any, statistic: Callable[[Any], float], groups: Sequence | None = None,
                 *, n_boot: int = 1000, ci: float = 0.95, seed: int = 0
                 ) -> tuple[float, float, float]:
    """`statistic(data)` and a percentile bootstrap interval that resamples `groups`
    (documents: passages of one document are not independent), or units if None."""
    frame = pd.DataFrame(data).reset_index(drop=True)
    estimate = statistic(frame)
    keys = np.asarray(groups if groups is not None else frame.index, dtype=object)
    if len(keys) != len(frame):
        raise InvalidInputError(f"groups: {len(keys)} values for {len(frame)} units")
    members = pd.Series(np.arange(len(frame))).groupby(keys).indices
    blocks = list(members.values())
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        chosen = rng.integers(len(blocks), size=len(blocks))
        rows = np.concatenate([blocks[i] for i in chosen])
        try:
            draws.append(statistic(frame.iloc[rows]))
        except InvalidInputError:
            continue
    if not draws:
        return estimate, np.nan, np.nan
    low, high = np.nanpercentile(draws, [(1 - ci) / 2 * 100, (1 + ci) / 2 * 100])
    return estimate, float(low), float(high)


def summary(matrix: pd.DataFrame, groups: Sequence | None = None, *, n_boot: int = 1000,
            seed: int = 0) -> pd.DataFrame:
    """Every coefficient, with a bootstrap interval over `groups` (documents): percent
    agreement, Fleiss' kappa, Krippendorff's alpha (nominal; ordinal over the framings,
    ``none`` left out), Gwet's AC1, and Cohen's kappa for each pair of coders."""
    framings_only = matrix.where(matrix != NONE)
    measures: dict[str, tuple[Any, Callable]] = {
        "percent agreement": (matrix, percent_agreement),
        "Fleiss' kappa": (matrix, fleiss_kappa),
        "Krippendorff's alpha (nominal)": (matrix, krippendorff_alpha),
        "Krippendorff's alpha (ordinal, framings only)": (
            framings_only, lambda d: krippendorff_alpha(d, "ordinal")),
        "Gwet's AC1": (matrix, gwet_ac1),
    }
    for a, b in combinations(matrix.columns, 2):
        measures[f"Cohen's kappa {a} / {b}"] = (
            matrix[[a, b]], lambda d: cohen_kappa(d.iloc[:, 0], d.iloc[:, 1]))
    rows = []
    for name, (data, statistic) in measures.items():
        try:
            value, low, high = bootstrap_ci(data, statistic, groups, n_boot=n_boot, seed=seed)
        except InvalidInputError:
            value, low, high = np.nan, np.nan, np.nan
        units = int((pd.DataFrame(data).notna().sum(axis=1) >= 2).sum())
        rows.append({"measure": name, "value": value, "low": low, "high": high,
                     "units": units})
    return pd.DataFrame(rows)
