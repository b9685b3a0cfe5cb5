"""What to score: files, folders and manifests, and each document's metadata.

`find_inputs` turns what a user names (files, folders, manifest CSVs) into the sorted
list of documents to read, and accounts for every other entry it meets as an error row:
a broken link, a FIFO or device, a file in a format framingclf does not read, a
manifest that cannot be parsed. Nothing found is dropped silently, and one bad entry
never stops the rest.

Metadata (`date`, `organisation`, `title`, `doc_type` and any other column) comes from,
nearest first:

- a `manifest.csv` in the document's folder or a folder above it, with a `file` column
  (the path relative to the manifest's folder); the nearest manifest that lists the
  file wins;
- folder names: `key=value` folders (`organisation=Kelbeck Council/date=2016-07/...`)
  give that key; a folder named like a date (`2016`, `2016-07`, `2016-07-12`) gives
  `date`. The folder nearest the file wins.

A manifest can also be the list of what to score (a `.csv` among the inputs, or
``framingclf score --manifest``): then each row's file must exist.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from framingclf.errors import InvalidInputError

#: The file suffixes read as documents (the reader itself goes by content).
READABLE_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".xhtml", ".txt", ".text",
                               ".md", ".markdown"})
MANIFEST_NAME = "manifest.csv"

_DATE_FOLDER = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_YEAR = re.compile(r"^((?:19|20)\d\d)")
_ALIASES = {"organization": "organisation", "org": "organisation", "type": "doc_type",
            "document_type": "doc_type"}


@dataclass
class Input:
    """A document to score and its metadata."""

    path: Path
    metadata: dict = field(default_factory=dict)


@dataclass
class Found:
    """What `find_inputs` found: the documents to score, and error rows for the rest."""

    inputs: list[Input]
    errors: list[dict]


class ManifestError(InvalidInputError):
    """A manifest CSV cannot be read or has a bad row."""


def error_row(path: str | Path, stage: str, exc: Exception | str, kind: str = "") -> dict:
    """One row of the errors table."""
    error = kind or (type(exc).__name__ if isinstance(exc, Exception) else "InputError")
    return {"path": str(path), "stage": stage, "error": error, "message": str(exc)}


def find_inputs(inputs: Iterable[str | Path] | str | Path, *,
                exclude: str | Path | None = None) -> Found:
    """The documents named by `inputs` (files, folders searched recursively, manifest
    CSVs), sorted by path, each with its metadata; and one error row per entry that
    cannot be scored. Hidden files and folders, and the folder `exclude` (an output
    folder inside an input folder), are left out."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = list(inputs)
    if not inputs:
        raise InvalidInputError("nothing to score: give files, folders or a manifest (.csv)")
    skip = Path(exclude).resolve() if exclude is not None else None
    files: dict[str, Path] = {}
    listed: dict[str, dict] = {}
    errors: list[dict] = []
    for item in inputs:
        _collect(Path(item), skip, files, listed, errors)
    found = []
    for key, path in files.items():
        problem = _not_a_file(path) if key in listed else None
        if problem is not None:  # listed in a manifest, but not there
            errors.append(error_row(path, "find", problem, "NotARegularFile"))
            continue
        metadata = source_metadata(path, errors)
        found.append(Input(path, normalise_metadata({**metadata, **listed.get(key, {})})))
    found.sort(key=lambda i: i.path.as_posix())
    errors.sort(key=lambda row: row["path"])
    return Found(found, errors)


def _collect(path: Path, skip: Path | None, files: dict[str, Path], listed: dict[str, dict],
             errors: list[dict]) -> None:
    """Add what one input names: a manifest's files, a folder's documents, or a file."""
    if path.suffix.lower() == ".csv" and path.is_file():
        for file, metadata in manifest_entries(path):
            key = os.path.abspath(file)
            files.setdefault(key, file)
            listed[key] = metadata
    elif path.is_dir():
        _walk(path, skip, files, errors)
    else:
        problem = _not_a_file(path)
        if problem is None:
            files.setdefault(os.path.abspath(path), path)
        elif not path.exists() and not path.is_symlink():
            raise InvalidInputError(f"{path}: no such file or folder")
        else:
            errors.append(error_row(path, "find", problem, "NotARegularFile"))


def _walk(folder: Path, skip: Path | None, files: dict[str, Path], errors: list[dict]) -> None:
    """Collect the documents under `folder`; every other entry becomes an error row."""
    before = len(files) + len(errors)
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not (skip and (here / d).resolve() == skip))
        for name in sorted(names):
            path = here / name
            if name.startswith(".") or name == MANIFEST_NAME:
                continue
            problem = _not_a_file(path)
            if problem is not None:
                errors.append(error_row(path, "find", problem, "NotARegularFile"))
            elif path.suffix.lower() in READABLE_SUFFIXES:
                files.setdefault(os.path.abspath(path), path)
            else:
                errors.append(error_row(
                    path, "find", f"{path}: a {path.suffix or 'suffix-less'} file, which "
                    "framingclf does not read (it reads PDF, Word .docx, HTML, text and "
                    "Markdown); convert it, or move it out of the folder", "UnsupportedFormat"))
    if len(files) + len(errors) == before:
        raise InvalidInputError(f"{folder}: folder holds no documents (it reads "
                                f"{', '.join(sorted(READABLE_SUFFIXES))})")


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a document file (without opening it), or None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"{path}: a broken link (its target {os.readlink(path)} does not exist)"
        return f"{path}: no such file"
    except OSError as exc:
        return f"{path}: cannot be examined ({exc.strerror})"
    if stat.S_ISREG(mode):
        return None
    what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"{path}: {what}, not a document file; remove it from the input"


def normalise_metadata(metadata: dict) -> dict:
    """Metadata with the document type under `doc_type` and the year from the date."""
    metadata = {_ALIASES.get(k, k): v for k, v in metadata.items()}
    match = _YEAR.match(str(metadata.get("date", "")))
    if match and "year" not in metadata:
        metadata["year"] = int(match.group(1))
    elif "year" in metadata:
        try:
            metadata["year"] = int(metadata["year"])
        except (TypeError, ValueError):
            metadata.pop("year")
    return metadata


def source_metadata(path: str | Path, errors: list[dict] | None = None) -> dict:
    """Metadata for `path` from folder names and the nearest manifest that lists it.

    A manifest that cannot be read is reported once in `errors` (when given; else
    raised as `ManifestError`) and its metadata left out."""
    path = Path(path).absolute()
    return {**_folder_metadata(path), **_manifest_metadata(path, errors)}


def _folder_metadata(path: Path) -> dict:
    """Metadata from `key=value` and date-like folder names, the nearest winning."""
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
    return metadata


def _manifest_metadata(path: Path, errors: list[dict] | None) -> dict:
    """The row of the nearest manifest that lists `path`, or {}."""
    for folder in path.parents:
        manifest = folder / MANIFEST_NAME
        if not manifest.is_file():
            continue
        try:
            rows = _read_manifest(str(manifest), manifest.stat().st_mtime_ns)
        except ManifestError as exc:
            if errors is None:
                raise
            row = error_row(manifest, "manifest", exc)
            if row not in errors:
                errors.append(row)
            continue
        found = rows.get(path.relative_to(folder).as_posix())
        if found is not None:
            return found
    return {}


def _manifest_records(manifest: Path) -> list[tuple[int, str, dict]]:
    """(line, file, metadata) for each row of a manifest CSV, keys normalised; raises
    `ManifestError` naming the line of the first problem."""
    try:
        with open(manifest, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle, strict=True)
            columns = [c.strip().lower() for c in reader.fieldnames or []]
            if "file" not in columns:
                raise ManifestError(
                    f"{manifest}: no 'file' column (found {columns}); add a 'file' column "
                    "with each document's path relative to the manifest's folder")
            records = []
            try:
                for record in reader:
                    records.append(_manifest_row(manifest, reader.line_num, record))
            except csv.Error as exc:
                raise ManifestError(f"{manifest}: line {reader.line_num}: not valid CSV "
                                    f"({exc}); fix the line or remove it") from None
            return records
    except FileNotFoundError:
        raise ManifestError(f"{manifest}: no such manifest; check the path") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ManifestError(f"{manifest}: manifest cannot be read ({exc}); save it as a "
                            "UTF-8 CSV with a 'file' column") from None


def _manifest_row(manifest: Path, line: int, record: dict) -> tuple[int, str, dict]:
    if None in record:  # more fields than the header names
        raise ManifestError(f"{manifest}: line {line}: {len(record) - 1 + len(record[None])} "
                            f"fields where the header has {len(record) - 1}; quote values "
                            "that contain commas")
    row = {_ALIASES.get(k.strip().lower(), k.strip().lower()): (v or "").strip()
           for k, v in record.items()}
    name = row.pop("file").replace("\\", "/").removeprefix("./")
    return line, name, {k: v for k, v in row.items() if v}


@lru_cache(maxsize=32)
def _read_manifest(manifest: str, mtime_ns: int) -> dict[str, dict]:
    """A manifest's rows by file; `mtime_ns` is part of the cache key only."""
    return {name: metadata for _, name, metadata in _manifest_records(Path(manifest))}


def manifest_entries(manifest: str | Path) -> list[tuple[Path, dict]]:
    """The files a manifest lists (paths relative to its folder, or absolute), each with
    its row's metadata; raise `ManifestError` naming the line of any problem with the
    manifest itself. A listed file that does not exist is left to the caller (it
    becomes an error row of the run, the others are scored)."""
    manifest = Path(manifest)
    entries = []
    for line, name, metadata in _manifest_records(manifest):
        if not name:
            raise ManifestError(f"{manifest}: line {line}: empty 'file'; fill it in or "
                                "remove the row")
        entries.append((manifest.parent / name, metadata))
    if not entries:
        raise ManifestError(f"{manifest}: lists no files; add one row per document "
                            "with its path in the 'file' column")
    return entries
