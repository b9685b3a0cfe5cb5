"""Real text kept beside the repository must never enter it: the held-out passages and the
paragraphs of real documents (their text belongs to their authors, and a model that has
seen them can no longer be measured by them)."""

import json
from pathlib import Path

import pytest

from .conftest import REAL_DEV, SHARED

REALDOCS_DEV = SHARED / "eval" / "realdocs-dev" / "items.jsonl"

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".git", ".venv", "results", "__pycache__", ".pytest_cache", ".ruff_cache",
             ".hypothesis", "build", "dist"}
TEXT_SUFFIXES = {".py", ".md", ".txt", ".json", ".jsonl", ".csv", ".ipynb", ".html", ".toml",
                 ".cfg", ".yaml", ".yml"}


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _snippets(path: Path) -> list[tuple[str, ...]]:
    """Three 50-character stretches (at a quarter, half and three quarters) of each
    passage of a JSON Lines file: a passage has leaked where two of them are found, while
    a phrase both quote (statutory wording, a report's title) matches only one."""
    snippets = []
    for line in path.read_text("utf-8").splitlines():
        text = _normal(json.loads(line)["text"])
        snippets.append(tuple(text[max(0, len(text) * k // 4 - 25): len(text) * k // 4 + 25]
                              for k in (1, 2, 3)))
    return snippets


@pytest.mark.parametrize("source", [REAL_DEV, REALDOCS_DEV], ids=["real-dev", "realdocs-dev"])
def test_no_real_passage_is_in_the_repo(source):
    if not source.is_file():
        pytest.skip(f"{source} not present")
    snippets = _snippets(source)
    leaks = []
    for path in ROOT.rglob("*"):
        if (path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file()
                or SKIP_DIRS & set(path.relative_to(ROOT).parts)):
            continue
        content = _normal(path.read_text("utf-8", errors="ignore"))
        leaks += [f"{path.relative_to(ROOT)}: …{parts[1]}…" for parts in snippets
                  if sum(part in content for part in parts) >= 2]
    assert not leaks, f"text of {source.name} found in the repo:\n" + "\n".join(leaks[:10])
