"""Reading the audit corpus (``corpora/audit/``): tagged passages and document answers.

The corpus holds, per author batch (``T``, ``U``, ``W``, ``X`` train; ``V`` held out),
``raw/<B>-passages.jsonl`` (one passage a line: ``doc_id``, ``position``, ``heading``,
``text``, ``tags``, ``measures``, ``note``) and ``raw/<B>-documents.jsonl`` (one document
a line, with the authors' planned ``answers``). A split is the union of its batches.
Adjudicated answers, once they exist, are in ``answers.jsonl`` (``doc_id``, ``split``,
``answers``) and take precedence.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framingclf._files import iter_jsonl
from framingclf.auditing.checks import CHECKS, VERDICTS
from framingclf.auditing.tags import TAGS, passage_targets
from framingclf.errors import CorpusFormatError

SPLITS = {"train": ("T", "U", "W", "X"), "heldout": ("V",)}
PASSAGE_FIELDS = ("doc_id", "position", "heading", "text", "tags")


def read_passages(root: str | Path, split: str = "train") -> pd.DataFrame:
    """The tagged passages of `split`: doc_id, position, heading, text, tags, measures,
    note, one 0/1 column per passage tag (`framingclf.auditing.tags.TAGS`) and
    ``context_linked``."""
    rows = []
    for path, line_no, row in _read(Path(root), split, "passages"):
        missing = [f for f in PASSAGE_FIELDS if f not in row]
        if missing:
            raise CorpusFormatError(f"{path}: line {line_no}: fields {missing} missing; each "
                                    f"passage needs {list(PASSAGE_FIELDS)}")
        unknown = sorted(set(row["tags"]) - set(TAGS) - {"context_linked"})
        if unknown:
            raise CorpusFormatError(f"{path}: line {line_no}: unknown tags {unknown}; the "
                                    f"codebook's tags are {list(TAGS)}")
        rows.append({**row, "measures": list(row.get("measures") or []),
                     "note": row.get("note") or ""})
    frame = pd.DataFrame(rows)
    return pd.concat([frame, passage_targets(frame)], axis=1)


def read_documents(root: str | Path, split: str = "train") -> pd.DataFrame:
    """The documents of `split` with their answers (one column per check) and
    ``answers_source``: ``adjudicated`` (from answers.jsonl) or ``planned`` (the
    authors' plan, used while answers.jsonl does not hold the document)."""
    root = Path(root)
    adjudicated = read_answers(root)
    rows = []
    for path, line_no, row in _read(root, split, "documents"):
        answers = adjudicated.get(row.get("doc_id"))
        source = "adjudicated" if answers is not None else "planned"
        answers = answers if answers is not None else row.get("answers")
        _check_answers(answers, path, line_no)
        rows.append({key: value for key, value in row.items() if key not in ("answers",
                                                                               "evidence")}
                    | {check: answers[check] for check in CHECKS}
                    | {"answers_source": source})
    return pd.DataFrame(rows)


def read_answers(root: str | Path) -> dict[str, dict]:
    """Adjudicated answers by doc_id, from ``answers.jsonl`` ({} while it is absent)."""
    path = Path(root) / "answers.jsonl"
    if not path.is_file():
        return {}
    out = {}
    for line_no, row in iter_jsonl(path, CorpusFormatError):
        if "doc_id" not in row or "answers" not in row:
            raise CorpusFormatError(f"{path}: line {line_no}: expected 'doc_id' and "
                                    "'answers'")
        _check_answers(row["answers"], path, line_no)
        out[row["doc_id"]] = row["answers"]
    return out


def _check_answers(answers: object, path: Path, line_no: int) -> None:
    if not isinstance(answers, dict):
        raise CorpusFormatError(f"{path}: line {line_no}: 'answers' is not an object of "
                                f"check: verdict")
    for check in CHECKS:
        if answers.get(check) not in VERDICTS:
            raise CorpusFormatError(
                f"{path}: line {line_no}: answer for {check!r} is {answers.get(check)!r}; "
                f"expected one of {list(VERDICTS)}")


def batch_files(root: str | Path, split: str, part: str) -> list[Path]:
    """The ``raw/<B>-<part>.jsonl`` files of `split`'s batches that exist (the first
    batch must)."""
    if split not in SPLITS:
        raise CorpusFormatError(f"split {split!r}; expected one of {list(SPLITS)}")
    paths = [Path(root) / "raw" / f"{batch}-{part}.jsonl" for batch in SPLITS[split]]
    if not paths[0].is_file():
        raise CorpusFormatError(f"{paths[0]}: not found; pass the audit corpus folder "
                                "(corpora/audit)")
    return [path for path in paths if path.is_file()]


def _read(root: Path, split: str, part: str):
    for path in batch_files(root, split, part):
        for line_no, row in iter_jsonl(path, CorpusFormatError):
            yield path, line_no, row
