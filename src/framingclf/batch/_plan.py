"""Planning a run: hash each input once, set aside repeated content and documents
already scored, and cut the rest into chunks for the workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from framingclf._files import sha256_file
from framingclf.inputs import Input

#: A chunk (one task for a worker) holds at most this many documents or bytes: enough
#: to spread the model's per-call cost, few enough that the workers stay balanced and
#: an interruption loses little.
CHUNK_DOCUMENTS = 4
CHUNK_BYTES = 1 << 20


@dataclass
class Planned:
    """An input file with what planning learned about it."""

    path: Path
    metadata: dict
    sha256: str | None = None
    error: dict | None = None           # it could not even be hashed
    first: Planned | None = None        # an earlier input with the same content
    duplicates: list[str] = field(default_factory=list)
    size: int = 0


def plan(inputs: list[Input], done) -> tuple[list[Planned], list[Planned], int]:
    """Every input planned (in order), those to score (not repeats, not already scored
    in `done`, a store or None) and the number already scored."""
    items = [Planned(i.path, i.metadata) for i in inputs]
    seen: dict[str, Planned] = {}
    todo, resumed = [], 0
    for item in items:
        try:
            item.sha256 = sha256_file(item.path)
            item.size = item.path.stat().st_size
        except OSError as exc:
            item.error = {"stage": "read", "error": "DocumentReadError",
                          "message": f"{item.path}: cannot be read ({exc.strerror or exc}); "
                                     "check that it exists and its permissions"}
            continue
        first = seen.get(item.sha256)
        if first is not None:
            item.first = first
            first.duplicates.append(str(item.path))
            continue
        seen[item.sha256] = item
        if done is not None and done.has(item.sha256):
            resumed += 1
        else:
            todo.append(item)
    return items, todo, resumed


def chunks(items: list[Planned]) -> list[list[tuple[str, str]]]:
    """(path, sha256) lists of at most `CHUNK_DOCUMENTS` documents or `CHUNK_BYTES`."""
    out: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    size = 0
    for item in items:
        if current and (len(current) >= CHUNK_DOCUMENTS or size + item.size > CHUNK_BYTES):
            out.append(current)
            current, size = [], 0
        current.append((str(item.path), str(item.sha256)))
        size += item.size
    if current:
        out.append(current)
    return out
