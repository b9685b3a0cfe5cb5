"""Codings from a Label Studio JSON export (a list of tasks with their annotations).

Each task's ``data`` holds the text (key `text_col`) and, optionally, the document id
(`doc_col`); each annotation that was not cancelled is one coding, by its annotator
(``completed_by``: an e-mail when the export has it, else the user id). The label is
the single choice of the project's ``<Choices>`` control (named by `from_name` when the
project has several). With ``predictions=True`` the tasks' predictions are read as well,
each as the codings of a coder ``model:<model_version>`` (as `framingclf export --to
labelstudio` writes them), so a model can be compared with the people who corrected it.
"""

from __future__ import annotations

import json
from pathlib import Path

from framingclf.codings._table import Coding, Collected
from framingclf.errors import CorpusFormatError


def _load(path: Path) -> list:
    try:
        tasks = json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorpusFormatError(f"{path}: not a Label Studio JSON export ({exc}); export "
                                "the project as JSON (not JSON-MIN or CSV)") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise CorpusFormatError(f"{path}: expected a list of tasks, got "
                                f"{type(tasks).__name__}; export the project as JSON")
    return tasks


def _coder(annotation: dict) -> str | None:
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        user = user.get("email") or user.get("id")
    return None if user is None else str(user)


def _choice(results: list, from_name: str | None, where: str) -> tuple[object, str | None]:
    """The single choice among `results`, or (None, problem)."""
    choices = [r for r in results if isinstance(r, dict) and r.get("type") == "choices"]
    names = sorted({str(r.get("from_name")) for r in choices})
    if from_name is not None:
        choices = [r for r in choices if r.get("from_name") == from_name]
    elif len(names) > 1:
        return None, (f"{where}: choices from several controls {names}; name the one "
                      "holding the framing with from_name= (CLI --from-name)")
    if not choices:
        return None, f"{where}: no choice made" + (f" in {from_name!r}" if from_name else "")
    values = (choices[0].get("value") or {}).get("choices") or []
    if len(choices) > 1 or len(values) != 1:
        return None, f"{where}: {len(values)} choices; expected exactly one label per passage"
    return values[0], None


def collect(path: Path, *, text_col: str = "text", doc_col: str = "doc_id",
            from_name: str | None = None, predictions: bool = False) -> Collected:
    """The codings of the tasks in a Label Studio export (see the module docstring)."""
    found = Collected()
    for number, task in enumerate(_load(path), start=1):
        where = f"task {number}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            found.problems.append(f"{where}: not a task (no 'data' object)")
            continue
        where += f" (id {task.get('id')})" if "id" in task else ""
        data = task["data"]
        if text_col not in data:
            found.problems.append(f"{where}: no {text_col!r} in its data (keys "
                                  f"{sorted(data)}); name the text with text_col= (CLI "
                                  "--text-col)")
            continue
        unit = str(task.get("id", number))
        coders = [(a, _coder(a)) for a in task.get("annotations") or []
                  if isinstance(a, dict) and not a.get("was_cancelled")]
        found.skipped += sum(1 for a in task.get("annotations") or []
                             if isinstance(a, dict) and a.get("was_cancelled"))
        if predictions:
            coders += [(p, f"model:{p.get('model_version', '')}")
                       for p in task.get("predictions") or [] if isinstance(p, dict)]
        for annotation, coder in coders:
            label, problem = _choice(annotation.get("result") or [], from_name, where)
            if problem:
                found.problems.append(problem)
                continue
            found.codings.append(Coding(row=number, where=where, text=data.get(text_col),
                                        label=label, coder=coder, doc_id=data.get(doc_col),
                                        unit_id=unit))
    return found
