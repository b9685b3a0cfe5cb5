"""Codings from doccano's text-classification export (JSON Lines).

Each line is one passage: ``{"text": ..., "label": ["lifestyle"], ...}``. A project
exported per annotator comes as a zip of ``<user>.jsonl`` files: each file's name is
its coder. A line with no label is skipped (not yet coded); more than one label is an
error, as framingclf gives each passage one framing.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from framingclf._files import iter_jsonl
from framingclf.codings._table import Coding, Collected
from framingclf.errors import CorpusFormatError


def _files(path: Path) -> Iterator[tuple[str, str | None, Iterator[tuple[int, object]]]]:
    """(name for messages, coder, lines) of a .jsonl file or of each .jsonl in a zip."""
    if not zipfile.is_zipfile(path):
        yield str(path), None, iter_jsonl(path, CorpusFormatError)
        return
    with zipfile.ZipFile(path) as archive:
        members = sorted(n for n in archive.namelist() if n.endswith(".jsonl"))
        if not members:
            raise CorpusFormatError(f"{path}: a zip without .jsonl files; export the doccano "
                                    "project as JSONL")
        for name in members:
            text = archive.read(name).decode("utf-8")
            yield f"{path}:{name}", PurePosixPath(name).stem, _lines(f"{path}:{name}", text)


def _lines(name: str, text: str) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(io.StringIO(text), start=1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusFormatError(f"{name}: line {number}: not valid JSON ({exc.msg}); "
                                        "fix or remove the line") from None


def _label(value: object) -> tuple[object, str | None]:
    """The one label of a line (a list of one, or a bare string)."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, list) and len(value) == 1:
        return value[0], None
    if isinstance(value, list) and len(value) > 1:
        return None, f"{len(value)} labels {value}; expected one label per passage"
    return None, None


def collect(path: Path, *, text_col: str = "text", label_col: str = "label",
            doc_col: str = "doc_id", unit_col: str = "id", coder: str | None = None
            ) -> Collected:
    """The codings of a doccano export (see the module docstring)."""
    found = Collected()
    multiple = zipfile.is_zipfile(path)
    for name, file_coder, lines in _files(path):
        for number, record in lines:
            where = f"{name}: line {number}" if multiple else f"line {number}"
            if not isinstance(record, dict):
                found.problems.append(f"{where}: expected a JSON object")
                continue
            label, problem = _label(record.get(label_col))
            if problem:
                found.problems.append(f"{where}: {problem}")
            elif label is None:
                found.skipped += 1
            else:
                meta = record.get("meta")
                if not isinstance(meta, dict):
                    meta = {}
                unit = record.get(unit_col, meta.get(unit_col))
                found.codings.append(Coding(
                    row=number, where=where, text=record.get(text_col), label=label,
                    coder=file_coder or record.get("user", coder),
                    doc_id=record.get(doc_col, meta.get(doc_col)),
                    unit_id=None if unit is None else str(unit)))
    return found
