"""The held-out real passages must never enter the repository (their text belongs to
their authors, and a model that has seen them can no longer be measured by them)."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_DEV = ROOT.parent / "shared" / "eval" / "real-dev.jsonl"
SKIP_DIRS = {".git", ".venv", "results", "__pycache__", ".pytest_cache", ".ruff_cache",
             ".hypothesis", "build", "dist"}
TEXT_SUFFIXES = {".py", ".md", ".txt", ".json", ".jsonl", ".csv", ".ipynb", ".html", ".toml",
                 ".cfg", ".yaml", ".yml"}


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.skipif(not REAL_DEV.is_file(), reason="../shared/eval/real-dev.jsonl not present")
def test_no_real_dev_passage_is_in_the_repo():
    snippets = []
    for line in REAL_DEV.read_text("utf-8").splitlines():
        text = _normal(json.loads(line)["text"])
        middle = len(text) // 2
        snippets.append(text[max(0, middle - 30): middle + 30])
    leaks = []
    for path in ROOT.rglob("*"):
        if (path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file()
                or SKIP_DIRS & set(path.relative_to(ROOT).parts)):
            continue
        content = _normal(path.read_text("utf-8", errors="ignore"))
        leaks += [f"{path.relative_to(ROOT)}: …{s}…" for s in snippets if s in content]
    assert not leaks, "real-dev text found in the repo:\n" + "\n".join(leaks[:10])
