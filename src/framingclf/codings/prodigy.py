"""Codings from Prodigy text-classification annotations (JSON Lines, ``db-out``).

Two kinds of task are read. Choice tasks (``textcat.manual``) carry ``options`` and
``accept``, the ids chosen: one id is the label. Binary tasks (``textcat.teach``,
``mark``) carry one ``label`` and the coder's ``answer``: an accepted task is a coding
of that label; a rejected one says only what the passage is not, and is skipped, as
are tasks answered ``ignore``. The coder is ``_annotator_id`` (else ``_session_id``).
"""

from __future__ import annotations

from pathlib import Path

from framingclf._files import iter_jsonl
from framingclf.codings._table import Coding, Collected
from framingclf.errors import CorpusFormatError

ANSWERS = ("accept", "reject", "ignore")


def _label(task: dict) -> tuple[object, str | None]:
    """(label or None to skip, problem)."""
    answer = task.get("answer", "accept")
    if answer not in ANSWERS:
        return None, f"answer {answer!r}; expected one of {list(ANSWERS)}"
    if answer != "accept":
        return None, None
    if "accept" in task:
        chosen = task["accept"]
        if not isinstance(chosen, list) or len(chosen) > 1:
            return None, f"accept {chosen!r}; expected one chosen label per passage"
        return (chosen[0] if chosen else None), None
    if "label" in task:
        return task["label"], None
    return None, "neither 'accept' nor 'label'; is this a text-classification task?"


def collect(path: Path, *, text_col: str = "text", doc_col: str = "doc_id",
            coder: str | None = None) -> Collected:
    """The codings of a Prodigy export (see the module docstring)."""
    found = Collected()
    for number, task in iter_jsonl(path, CorpusFormatError):
        where = f"line {number}"
        if not isinstance(task, dict):
            found.problems.append(f"{where}: expected a JSON object")
            continue
        label, problem = _label(task)
        if problem:
            found.problems.append(f"{where}: {problem}")
            continue
        if label is None:
            found.skipped += 1
            continue
        meta = task.get("meta")
        if not isinstance(meta, dict):
            meta = {}
        unit = task.get("_input_hash")
        found.codings.append(Coding(
            row=number, where=where, text=task.get(text_col), label=label,
            coder=task.get("_annotator_id") or task.get("_session_id") or coder,
            doc_id=task.get(doc_col, meta.get(doc_col)),
            unit_id=None if unit is None else str(unit)))
    return found
