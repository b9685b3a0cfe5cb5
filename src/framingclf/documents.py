"""Documents: the data model a reader produces, and where a document's metadata comes from.

`Document` and `Block` (the data model a reader produces) live in
`framingclf.readers` and are re-exported here.

Metadata (`date`, `organisation` and any other column) comes from, nearest first:

- a `manifest.csv` in the document's folder or a folder above it, with a `file` column
  (the path relative to the manifest's folder) and any of `title`, `date`,
  `organisation`; the nearest manifest that lists the file wins;
- folder names: `key=value` folders (`organisation=Kelbeck Council/date=2016-07/...`)
  give that key; a folder named like a date (`2016`, `2016-07`, `2016-07-12`) gives
  `date`. The folder nearest the file wins.

A manifest can also be the list of what to score (`manifest_entries`, used by
``framingclf score --manifest``): each row's file must exist.

Readers live in `framingclf.readers`.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from framingclf.errors import DocumentReadError, InvalidInputError
from framingclf.readers._document import (  # noqa: F401  (re-exported)
    BLOCK_SEPARATOR,
    Block,
    Document,
    assign_heading_paths,
)

_DATE_FOLDER = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ALIASES = {"organization": "organisation", "org": "organisation"}


def source_metadata(path: str | Path) -> dict:
    """Metadata for `path` from folder names and the nearest manifest that lists it."""
    path = Path(path).absolute()
    metadata: dict = {}
    for folder in reversed(path.parents[:-1]):  # farthest first, so the nearest wins
        name = folder.name
        if "=" in name:
            key, _, value = name.partition("=")
            key = _ALIASES.get(key.strip().lower(), key.strip().lower())
            if key and value.strip():
                metadata[key] = value.strip()
        elif _DATE_FOLDER.match(name):
            metadata["date"] = name
    for folder in path.parents:
        manifest = folder / "manifest.csv"
        if manifest.is_file():
            rows = _read_manifest(str(manifest), manifest.stat().st_mtime_ns)
            row = rows.get(path.relative_to(folder).as_posix())
            if row is not None:
                metadata.update(row)
                break
    return metadata


def _manifest_records(manifest: Path, error: type[Exception]) -> list[tuple[int, str, dict]]:
    """(line, file, metadata) for each row of a manifest CSV, keys normalised; `error`
    is the exception raised for an unreadable file or a missing 'file' column."""
    try:
        with open(manifest, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip().lower() for c in reader.fieldnames or []]
            if "file" not in columns:
                raise error(
                    f"{manifest}: no 'file' column (found {columns}); add a 'file' column "
                    "with each document's path relative to the manifest's folder")
            records = []
            for record in reader:
                row = {_ALIASES.get(k.strip().lower(), k.strip().lower()): (v or "").strip()
                       for k, v in record.items() if k is not None}
                name = row.pop("file").replace("\\", "/").removeprefix("./")
                records.append((reader.line_num, name, {k: v for k, v in row.items() if v}))
            return records
    except FileNotFoundError:
        raise error(f"{manifest}: no such manifest; check the path") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise error(f"{manifest}: manifest cannot be read ({exc}); save it as a UTF-8 CSV "
                    "with a 'file' column") from None


@lru_cache(maxsize=32)
def _read_manifest(manifest: str, mtime_ns: int) -> dict[str, dict]:
    """A manifest's rows by file; `mtime_ns` is part of the cache key only."""
    return {name: metadata
            for _, name, metadata in _manifest_records(Path(manifest), DocumentReadError)}


def manifest_entries(manifest: str | Path) -> list[tuple[Path, dict]]:
    """The files a manifest lists (paths relative to its folder, or absolute), each with
    its row's metadata; raise `InvalidInputError` naming the line of any problem."""
    manifest = Path(manifest)
    entries, missing = [], []
    for line, name, metadata in _manifest_records(manifest, InvalidInputError):
        if not name:
            raise InvalidInputError(f"{manifest}: line {line}: empty 'file'; fill it in or "
                                    "remove the row")
        path = manifest.parent / name
        if not path.is_file():
            missing.append((line, name))
        entries.append((path, metadata))
    if missing:
        shown = ", ".join(f"line {line}: {name!r}" for line, name in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise InvalidInputError(
            f"{manifest}: {len(missing)} listed file(s) not found in "
            f"{manifest.parent} ({shown}{more}); fix the paths or remove the rows")
    if not entries:
        raise InvalidInputError(f"{manifest}: lists no files; add one row per document "
                                "with its path in the 'file' column")
    return entries
