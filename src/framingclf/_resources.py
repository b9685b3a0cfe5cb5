"""Package data: the shipped model, the training corpus and the editable term lists.

Each lives inside the installed wheel, or, in an editable install, in the repository
(`models/`, `corpora/`); the functions here are the one place that knows where.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

#: The name of the model shipped with framingclf (a folder under `models/`).
DEFAULT_MODEL = "framingclf-uk-v1"

_REPO = Path(__file__).resolve().parents[2]


#: The passage model of `framingclf.audit`, shipped beside it.
AUDIT_MODEL = "framingclf-audit-v1"


def default_model_dir(name: str = DEFAULT_MODEL) -> Path:
    """Where a shipped model lives (by default the framing model): inside the installed
    wheel, or the repo's models/."""
    # one name per joinpath: Python 3.10's Traversable (e.g. in a zip) takes only one
    packaged = resources.files("framingclf").joinpath("models").joinpath(name)
    if packaged.is_dir():
        return Path(str(packaged))
    return _REPO / "models" / name


def default_corpus_path() -> Path:
    """The labelled corpus shipped with framingclf: inside the wheel, or the repo's."""
    packaged = Path(__file__).resolve().parent / "data" / "framing-corpus.jsonl"
    if packaged.is_file():
        return packaged
    return _REPO / "corpora" / "framing-corpus.jsonl"


@lru_cache(maxsize=8)
def term_list(name: str) -> tuple[str, ...]:
    """The entries of a packaged list (``framingclf/data/<name>.txt``): one per line,
    ``#`` starting a comment, blank lines ignored."""
    text = resources.files("framingclf").joinpath(f"data/{name}.txt").read_text("utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(line for line in lines if line)
