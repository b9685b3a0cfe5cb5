"""Codings from a REFI-QDA project (.qdpx, or its project.qde): NVivo, ATLAS.ti,
MAXQDA and QualCoder export and import this standard.

Each coding of a text selection (in a text source, or in the text representation of a
PDF source) becomes one row: the text is the selection
(``text[startPosition:endPosition]``, positions in Unicode code points, end exclusive,
as QualCoder reads them), the label the name of the code mapped through `labels`, the
coder the name of the user who made the coding, the document the text source's name
and the unit the source and the selection's positions. Codes with no mapping that are
not framingclf labels are an error listing them; map a code to None to leave it out.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from framingclf.codings._table import Coding, Collected
from framingclf.errors import CorpusFormatError

NS = "urn:QDA-XML:project:1.0"
_Q = f"{{{NS}}}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _open(path: Path) -> tuple[etree._Element, Callable[[str], bytes]]:
    """The project's root element and a function reading ``internal://`` files."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                if "project.qde" not in names:
                    raise CorpusFormatError(f"{path}: no project.qde in the archive; is this "
                                            "a REFI-QDA .qdpx export?")
                root = etree.fromstring(archive.read("project.qde"), _parser())
                files = {n.removeprefix("sources/"): archive.read(n) for n in names
                         if n.startswith("sources/") and n.endswith(".txt")}
            return root, files.__getitem__
        root = etree.parse(str(path), _parser()).getroot()
    except etree.XMLSyntaxError as exc:
        raise CorpusFormatError(f"{path}: project.qde is not well-formed XML ({exc}); "
                                "export the project again") from None
    folder = path.parent / "sources"
    return root, lambda name: (folder / name).read_bytes()


def _users(root: etree._Element) -> dict[str, str]:
    return {u.get("guid"): u.get("name") or u.get("guid")
            for u in root.iter(f"{_Q}User")}


def _codes(root: etree._Element) -> dict[str, str]:
    book = root.find(f"{_Q}CodeBook")
    return {} if book is None else {c.get("guid"): c.get("name")
                                    for c in book.iter(f"{_Q}Code")}


def _source_text(source: etree._Element, read: Callable[[str], bytes], where: str) -> str:
    content = source.find(f"{_Q}PlainTextContent")
    if content is not None:
        return content.text or ""
    reference = source.get("plainTextPath") or ""
    if not reference.startswith("internal://"):
        raise CorpusFormatError(f"{where}: plainTextPath {reference!r} is not inside the "
                                "project (internal://...); export the project with its sources")
    name = reference.removeprefix("internal://")
    try:
        return read(name).decode("utf-8")
    except (KeyError, OSError):
        raise CorpusFormatError(f"{where}: its text sources/{name} is missing from the "
                                "project") from None
    except UnicodeDecodeError:
        raise CorpusFormatError(f"{where}: sources/{name} is not UTF-8 text") from None


def collect(path: Path, *, labels: dict | None = None) -> Collected:
    """The codings of the text sources of a REFI-QDA project (see the module docstring)."""
    root, read = _open(path)
    if root.tag != f"{_Q}Project":
        raise CorpusFormatError(f"{path}: root element {root.tag!r}; expected a REFI-QDA "
                                f"Project in namespace {NS}")
    users, codes = _users(root), _codes(root)
    unmapped = sorted({name for name in codes.values() if labels is None or name not in labels})
    found, number = Collected(), 0
    for source in root.iter(f"{_Q}TextSource", f"{_Q}Representation"):
        owner = source.getparent() if source.tag == f"{_Q}Representation" else source
        name = source.get("name") or owner.get("name") or source.get("guid")
        text = _source_text(source, read, f"{path}: text source {name!r}")
        for selection in source.iter(f"{_Q}PlainTextSelection"):
            start, end = selection.get("startPosition"), selection.get("endPosition")
            for coding in selection.iter(f"{_Q}Coding"):
                number += 1
                where = f"coding {number} (source {name!r}, {start}-{end})"
                ref = coding.find(f"{_Q}CodeRef")
                target = None if ref is None else ref.get("targetGUID")
                if target not in codes:
                    found.problems.append(f"{where}: refers to code {target!r}, which is not "
                                          "in the codebook")
                    continue
                span = _span(text, start, end)
                if span is None:
                    found.problems.append(f"{where}: positions outside the text "
                                          f"(0-{len(text)}) or reversed")
                    continue
                user = coding.get("creatingUser") or selection.get("creatingUser")
                found.codings.append(Coding(
                    row=number, where=where, text=span, label=codes[target],
                    coder=users.get(user, user), doc_id=name,
                    unit_id=f"{source.get('guid')}:{start}-{end}"))
    _check_codes(path, found, unmapped)
    return found


def _span(text: str, start: object, end: object) -> str | None:
    try:
        first, last = int(str(start)), int(str(end))
    except ValueError:
        return None
    return text[first:last] if 0 <= first <= last <= len(text) else None


def _check_codes(path: Path, found: Collected, unmapped: list[str]) -> None:
    """Raise when codings use codes that are neither mapped nor framingclf labels."""
    from framingclf.labels import LABELS

    used = {c.label for c in found.codings}
    unknown = [name for name in unmapped if name in used and name not in LABELS]
    if unknown:
        raise CorpusFormatError(
            f"{path}: codes {unknown} are not framingclf labels; map each to a label or to "
            "None with labels={'code name': 'label', ...} (CLI --map 'code name=label', "
            "or --map 'code name=' to leave it out)")
