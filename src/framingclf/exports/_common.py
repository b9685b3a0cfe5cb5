"""What the export formats share: the labelled passages, the model's id, cues, and the
fields each task carries so a coder can find the passage in its document."""

from __future__ import annotations

from typing import Any

import pandas as pd

from framingclf.errors import InvalidInputError


def model_id(passages: pd.DataFrame) -> str:
    """The one model (12 hex digits of its fingerprint) that scored `passages`."""
    models = sorted(passages["model"].dropna().astype(str).unique()) \
        if "model" in passages.columns else []
    if len(models) > 1:
        raise InvalidInputError(f"passages were scored by {len(models)} models "
                                f"({', '.join(models)}); export each model's passages "
                                "separately")
    return models[0] if models else "unknown"


def with_cues(passages: pd.DataFrame, model: Any = None, n: int = 5) -> pd.DataFrame:
    """`passages` with a ``cues`` column: kept when the table has one, else computed
    with `model` (a model, a directory or None for the shipped one), which must be the
    model that scored them."""
    if "cues" in passages.columns and passages["cues"].map(bool).any():
        return passages
    from framingclf.cues import cues
    from framingclf.persistence import resolve_model

    model = resolve_model(model)
    wanted = model_id(passages)
    if wanted not in ("unknown", model.fingerprint()[:12]):
        raise InvalidInputError(
            f"the passages were scored by model {wanted}, not by the model given "
            f"({model.fingerprint()[:12]}), so its cues would not explain their labels; "
            "pass the model that scored them (--model DIR), or leave cues out (--no-cues)")
    texts = passages["text"].fillna("").astype(str).tolist()
    return passages.assign(cues=cues(model, texts, n=n))


def _value(value: object) -> object:
    """A cell as plain JSON: None for missing, Python numbers, lists as they are."""
    if isinstance(value, list):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


#: Passage fields every task carries, when the table has them.
CONTEXT = ("doc_id", "passage_id", "title", "path", "organisation", "date", "page_start",
           "page_end", "section", "confidence", "model", "cues")


def context(row: pd.Series) -> dict:
    """Where a passage comes from and what the model said, for a task's metadata."""
    return {key: _value(row[key]) for key in CONTEXT
            if key in row.index and _value(row[key]) is not None}


def pages(row: pd.Series) -> str:
    """"p. 3" or "pp. 3-4" (empty when unknown)."""
    start, end = _value(row.get("page_start")), _value(row.get("page_end"))
    if start is None:
        return ""
    return f"p. {start}" if end in (None, start) else f"pp. {start}-{end}"
