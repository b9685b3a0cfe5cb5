"""Passages as annotation tasks, the model's label pre-filled for a coder to check:
Label Studio (tasks with ``predictions``), doccano and Prodigy (JSON Lines).

Each writer takes a passages table (`ScoreResult.labelled`, or the queue of passages
to code next) and writes one task per row, carrying where the passage comes from
(document, pages, section) and the model's confidence.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from framingclf._files import write_atomic
from framingclf.exports._common import context, model_id
from framingclf.labels import DESCRIPTIONS, LABELS

#: The names Label Studio's labelling config and the tasks agree on.
FROM_NAME, TO_NAME = "label", "text"


def label_config() -> str:
    """A Label Studio labelling config for framingclf's labels (one choice per passage),
    matching the tasks `write_labelstudio` writes."""
    choices = "\n".join(f'    <Choice value="{label}" hint="{DESCRIPTIONS[label]}"/>'
                        for label in LABELS)
    return (f'<View>\n  <Text name="{TO_NAME}" value="$text"/>\n'
            f'  <Choices name="{FROM_NAME}" toName="{TO_NAME}" choice="single" '
            f'showInline="false">\n{choices}\n  </Choices>\n</View>\n')


def _lines(items: list[dict]) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items
                   ).encode("utf-8")


def write_labelstudio(passages: pd.DataFrame, path: str | Path) -> Path:
    """Label Studio tasks (JSON) with the model's label as a prediction
    (``model_version`` its fingerprint, ``score`` its confidence), and the labelling
    config beside them as ``<name>-config.xml``."""
    path = Path(path)
    version = model_id(passages)
    tasks = []
    for _, row in passages.iterrows():
        data = {"text": row["text"], **context(row)}
        result = [{"from_name": FROM_NAME, "to_name": TO_NAME, "type": "choices",
                   "value": {"choices": [row["label"]]}}]
        tasks.append({"data": data, "predictions": [{
            "model_version": version, "score": data.get("confidence"), "result": result}]})
    write_atomic(path, (json.dumps(tasks, ensure_ascii=False, indent=1) + "\n").encode())
    write_atomic(config_path(path), label_config().encode("utf-8"))
    return path


def config_path(path: Path) -> Path:
    """Where `write_labelstudio` puts the labelling config for tasks at `path`."""
    return path.with_name(f"{path.stem}-config.xml")


def write_doccano(passages: pd.DataFrame, path: str | Path) -> Path:
    """doccano text-classification JSONL: ``text``, ``label`` (a list of one, the
    model's) and the passage's context, which doccano keeps as metadata."""
    items = [{"text": row["text"], "label": [row["label"]], **context(row)}
             for _, row in passages.iterrows()]
    write_atomic(Path(path), _lines(items))
    return Path(path)


def write_prodigy(passages: pd.DataFrame, path: str | Path) -> Path:
    """Prodigy choice tasks (for ``textcat.manual --exclusive``): every label an
    option, the model's one pre-selected in ``accept``, the context in ``meta``."""
    options = [{"id": label, "text": label} for label in LABELS]
    items = [{"text": row["text"], "options": options, "accept": [row["label"]],
              "meta": context(row)} for _, row in passages.iterrows()]
    write_atomic(Path(path), _lines(items))
    return Path(path)
