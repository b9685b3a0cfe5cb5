"""A scoring run's labels, out to the tools coders use.

`export(result, fmt, path)` writes a `ScoreResult` (or the folder `framingclf score`
wrote) as a REFI-QDA project (``qdpx``) or codebook (``qdc``) for NVivo, ATLAS.ti,
MAXQDA and QualCoder; Label Studio, doccano or Prodigy tasks with the model's labels
pre-filled; or an Excel workbook (``xlsx``). `framingclf.codings.import_codings` reads
each of them back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from framingclf.errors import InvalidInputError
from framingclf.exports.refi import write_qdc, write_qdpx
from framingclf.exports.tasks import write_doccano, write_labelstudio, write_prodigy
from framingclf.exports.xlsx import write_xlsx

#: Formats `export` writes.
FORMATS: tuple[str, ...] = ("qdpx", "qdc", "labelstudio", "doccano", "prodigy", "xlsx")

__all__ = ["FORMATS", "export", "write_doccano", "write_labelstudio", "write_prodigy",
           "write_qdc", "write_qdpx", "write_xlsx"]

_TASKS = {"labelstudio": write_labelstudio, "doccano": write_doccano,
          "prodigy": write_prodigy}


def export(result: Any, fmt: str, path: str | Path, *, model: Any = None,
           cues: bool = True, model_name: str = "framingclf") -> Path:
    """Write `result` (a `ScoreResult` or a results folder) as `fmt` to `path`.

    ``qdpx``: one text source per document, a coding per labelled passage by the user
    ``<model_name> <fingerprint>``; with `cues`, each coding's description lists the
    words that most favoured its label, taken from the table's ``cues`` column or
    computed with `model` (the model that scored it: a model, a directory, or None for
    the shipped one). Task formats hold the labelled passages; ``xlsx`` every table.
    """
    from framingclf.tables import ScoreResult, load_results

    if fmt not in FORMATS:
        raise InvalidInputError(f"format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not isinstance(result, ScoreResult):
        result = load_results(result)
    if fmt == "qdc":
        return write_qdc(path)
    if fmt == "xlsx":
        return write_xlsx({"passages": result.passages, "documents": result.documents,
                           "errors": result.errors}, path)
    if fmt in _TASKS:
        return _TASKS[fmt](result.labelled, path)
    passages = result.passages
    if cues and len(result.labelled):
        from framingclf.exports._common import with_cues

        labelled = with_cues(result.labelled, model)
        passages = passages.assign(cues=labelled["cues"].reindex(passages.index))
    return write_qdpx(passages, result.documents, path, model_name=model_name)
