"""The tidy codings table: one row per coding of one unit (passage) by one coder.

Every importer builds it through `build`, so every format is checked the same way: a
label outside `framingclf.LABELS` (after the user's mapping), an empty text or a
malformed row is an error naming the file and the row, all problems at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from framingclf.corpus import passage_key, raise_problems
from framingclf.labels import LABELS
from framingclf.tables import typed

#: The columns of the codings table, and their types.
CODINGS_SCHEMA: dict[str, str] = {
    "text": "str", "label": "str", "coder": "str", "doc_id": "str", "unit_id": "str",
    "source": "str", "row": "int",
}

#: A mapping from the names a tool uses to framingclf's labels; None drops a code.
LabelMap = Mapping[str, "str | None"]


@dataclass
class Coding:
    """One coding as an importer read it, before checking. `where` names its place in
    the file for messages ("line 4", "task 2 (id 17)")."""

    row: int
    where: str
    text: object
    label: object
    coder: object = None
    doc_id: object = None
    unit_id: object = None


@dataclass
class Collected:
    """What an importer found: codings, problems (malformed rows) and skipped ones."""

    codings: list[Coding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _optional(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _map_label(label: object, labels: LabelMap | None) -> tuple[bool, object]:
    """(keep, label) after the user's mapping; a name mapped to None is dropped."""
    if labels is not None and isinstance(label, str) and label in labels:
        mapped = labels[label]
        return mapped is not None, mapped
    return True, label.strip() if isinstance(label, str) else label


def build(path: str | Path, found: Collected, labels: LabelMap | None = None) -> pd.DataFrame:
    """The checked codings table from what an importer found, or `CorpusFormatError`
    naming `path` and every bad row. A row without a label is not coded yet: it is
    skipped and counted, as are names the mapping sends to None."""
    _check_mapping(labels)
    problems, rows, skipped = list(found.problems), [], found.skipped
    for coding in found.codings:
        keep, label = _map_label(coding.label, labels)
        if not keep or _optional(label) is None:  # left out, or not coded yet
            skipped += 1
            continue
        text = _text(coding.text)
        if text is None:
            problems.append(f"{coding.where}: empty or missing text")
        if label not in LABELS:
            problems.append(f"{coding.where}: unknown label {label!r}; expected one of "
                            f"{', '.join(LABELS)} (map other names with labels={{...}}, "
                            "CLI --map NAME=LABEL)")
        if text is None or label not in LABELS:
            continue
        rows.append({"text": text, "label": label, "coder": _optional(coding.coder),
                     "doc_id": _optional(coding.doc_id),
                     "unit_id": _optional(coding.unit_id) or passage_key(text),
                     "source": str(path), "row": coding.row})
    if problems:
        raise_problems(path, problems)
    if not rows:
        raise_problems(path, ["no codings found; expected at least one coded passage"
                              + (f" ({skipped} skipped)" if skipped else "")])
    frame = typed(pd.DataFrame(rows), CODINGS_SCHEMA)
    frame.attrs["skipped"] = skipped
    return frame


def _check_mapping(labels: LabelMap | None) -> None:
    from framingclf.errors import InvalidInputError

    if labels is None:
        return
    bad = {k: v for k, v in labels.items() if v is not None and v not in LABELS}
    if bad:
        raise InvalidInputError(f"labels: {bad} map to unknown labels; map each name to one "
                                f"of {', '.join(LABELS)} (or None to drop it)")


def consensus(codings: pd.DataFrame, *, prefer: str | None = None) -> pd.DataFrame:
    """One row per unit: the label most of its coders gave. A tie goes to coder `prefer`
    when they coded the unit, else the unit is dropped (counted in
    ``.attrs["ties_dropped"]``). Columns as the codings table, coder ``"consensus"``,
    plus ``n_coders`` and ``agreement`` (the share of the unit's coders who gave the
    label)."""
    rows, ties = [], 0
    for _, unit in codings.groupby("unit_id", sort=False):
        counts = unit["label"].value_counts()
        top = counts[counts == counts.iloc[0]].index.tolist()
        if len(top) > 1:
            preferred = unit.loc[unit["coder"] == prefer, "label"].tolist() if prefer else []
            if not preferred or preferred[0] not in top:
                ties += 1
                continue
            top = preferred[:1]
        first = unit.iloc[0]
        rows.append({**first.to_dict(), "label": top[0], "coder": "consensus",
                     "n_coders": int(unit["coder"].nunique(dropna=False)),
                     "agreement": float(counts[top[0]] / len(unit))})
    frame = typed(pd.DataFrame(rows, columns=[*CODINGS_SCHEMA, "n_coders", "agreement"]),
                  CODINGS_SCHEMA)
    frame.attrs["ties_dropped"] = ties
    return frame


def save_codings(codings: pd.DataFrame, path: str | Path) -> Path:
    """Write a codings table as JSON Lines (readable with ``import_codings(path)``)."""
    from framingclf._files import write_atomic

    path = Path(path)
    text = codings.to_json(orient="records", lines=True, force_ascii=False)
    write_atomic(path, text.encode("utf-8"))
    return path


def records_to_codings(records: Iterable[tuple[int, str, dict]], *, text_col: str,
                       label_col: str, coder_col: str, doc_col: str, unit_col: str,
                       coder: str | None) -> Collected:
    """Codings from rows of a table (csv, xlsx, jsonl): (row number, where, record)."""
    found = Collected()
    for row, where, record in records:
        if not isinstance(record, dict):
            found.problems.append(f"{where}: expected an object with {text_col!r} and "
                                  f"{label_col!r}, got {type(record).__name__}")
            continue
        found.codings.append(Coding(
            row=row, where=where, text=record.get(text_col), label=record.get(label_col),
            coder=record.get(coder_col, coder), doc_id=record.get(doc_col),
            unit_id=record.get(unit_col)))
    return found
