"""REFI-QDA exports: a project (.qdpx) and a codebook (.qdc) that NVivo, ATLAS.ti,
MAXQDA and QualCoder import.

The project holds one text source per document, its text rebuilt from the document's
passages in reading order, joined by blank lines (`source_texts`), so the position of
every passage in it is exact; the framingclf labels as codes with their colours; and,
for each labelled passage, a selection coded with its label by a user named after the
model and its fingerprint, described by its confidence, pages, cues and passage id.
Positions count Unicode code points from 0, end exclusive (``text[start:end]`` is the
passage; QualCoder reads them so). Every GUID is a version-5 UUID of what it names and
the zip's entries carry a fixed date, so exporting the same tables again gives the
same bytes.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import pandas as pd
from lxml import etree

from framingclf._files import write_atomic
from framingclf._version import __version__
from framingclf.exports._common import model_id, pages
from framingclf.labels import COLORS, DESCRIPTIONS, LABELS
from framingclf.tables import LABELLED_KINDS

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: The namespace of framingclf's GUIDs (a version-5 UUID of the name "framingclf").
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "framingclf")
#: What separates passages in a rebuilt source text.
SEPARATOR = "\n\n"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def guid(*parts: object) -> str:
    """A deterministic GUID for what `parts` name."""
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(str(p) for p in parts)))


def source_texts(passages: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame]:
    """Each document's text rebuilt from its passages, and every passage's position in
    it: ``doc_id``, ``passage_id``, ``start``, ``end`` (code points, end exclusive)."""
    texts, rows = {}, []
    for doc_id, group in passages.groupby("doc_id", sort=False):
        parts, position = [], 0
        for row in group.itertuples():
            text = str(row.text)
            rows.append({"doc_id": doc_id, "passage_id": row.passage_id, "start": position,
                         "end": position + len(text)})
            parts.append(text)
            position += len(text) + len(SEPARATOR)
        texts[str(doc_id)] = SEPARATOR.join(parts)
    return texts, pd.DataFrame(rows, columns=["doc_id", "passage_id", "start", "end"])


def _codes(parent: etree._Element, ns: str) -> None:
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    for label in LABELS:
        code = etree.SubElement(codes, f"{{{ns}}}Code", guid=guid("code", label), name=label,
                                isCodable="true", color=COLORS[label])
        etree.SubElement(code, f"{{{ns}}}Description").text = DESCRIPTIONS[label]


def codebook_xml() -> bytes:
    """The framingclf labels as a REFI-QDA codebook (.qdc)."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS},
                         origin=f"framingclf {__version__}")
    _codes(root, CODEBOOK_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_qdc(path: str | Path) -> Path:
    """Write the codebook to `path`."""
    write_atomic(Path(path), codebook_xml())
    return Path(path)


def _description(row: pd.Series, start: int, end: int) -> str:
    parts = [f"framingclf label {row['label']}, confidence {float(row['confidence']):.3f}"]
    if pages(row):
        parts.append(pages(row))
    cues = row.get("cues")
    if isinstance(cues, list) and cues:
        parts.append("cues: " + ", ".join(map(str, cues)))
    parts.append(f"passage {row['passage_id']}; characters {start}-{end} of this source")
    return "; ".join(parts)


def project_xml(passages: pd.DataFrame, documents: pd.DataFrame, model_name: str,
                name: str = "framingclf export") -> tuple[bytes, dict[str, str]]:
    """The project.qde and the text of each source (by file name) for `passages`."""
    q = f"{{{PROJECT_NS}}}"
    fingerprint = model_id(passages)
    user = guid("user", fingerprint)
    root = etree.Element(f"{q}Project", nsmap={None: PROJECT_NS}, name=name,
                         origin=f"framingclf {__version__}", creatingUserGUID=user)
    users = etree.SubElement(root, f"{q}Users")
    etree.SubElement(users, f"{q}User", guid=user, name=f"{model_name} {fingerprint}")
    _codes(etree.SubElement(root, f"{q}CodeBook"), PROJECT_NS)
    texts, positions = source_texts(passages)
    files = {}
    if texts:
        sources = etree.SubElement(root, f"{q}Sources")
        titles = dict(zip(documents["doc_id"], documents["title"])) if len(documents) else {}
        for doc_id, group in passages.groupby("doc_id", sort=False):
            source_guid = guid("source", doc_id)
            files[f"{source_guid}.txt"] = texts[str(doc_id)]
            source = etree.SubElement(
                sources, f"{q}TextSource", guid=source_guid,
                name=str(titles.get(doc_id) or group["path"].iloc[0] or doc_id),
                plainTextPath=f"internal://{source_guid}.txt", creatingUser=user)
            etree.SubElement(source, f"{q}Description").text = (
                f"{group['path'].iloc[0]} (framingclf document {doc_id}): its passages in "
                "reading order, joined by blank lines.")
            _selections(source, group, positions[positions["doc_id"] == doc_id],
                        fingerprint, user)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          pretty_print=True), files


def _selections(source, group: pd.DataFrame, positions: pd.DataFrame, fingerprint: str,
                user: str) -> None:
    q = f"{{{PROJECT_NS}}}"
    where = positions.set_index("passage_id")
    labelled = group[group["kind"].isin(LABELLED_KINDS) & group["label"].isin(LABELS)]
    for _, row in labelled.iterrows():
        start, end = (int(v) for v in where.loc[row["passage_id"], ["start", "end"]])
        selection = etree.SubElement(
            source, f"{q}PlainTextSelection", guid=guid("selection", fingerprint,
                                                          row["passage_id"]),
            name=str(row["passage_id"]), startPosition=str(start), endPosition=str(end),
            creatingUser=user)
        etree.SubElement(selection, f"{q}Description").text = _description(row, start, end)
        coding = etree.SubElement(selection, f"{q}Coding", guid=guid(
            "coding", fingerprint, row["passage_id"]), creatingUser=user)
        etree.SubElement(coding, f"{q}CodeRef", targetGUID=guid("code", row["label"]))


def write_qdpx(passages: pd.DataFrame, documents: pd.DataFrame, path: str | Path, *,
               model_name: str = "framingclf") -> Path:
    """Write a .qdpx project (a zip of project.qde and sources/<guid>.txt)."""
    project, files = project_xml(passages, documents, model_name)

    def write(fh) -> None:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in [("project.qde", project),
                               *((f"sources/{k}", v.encode("utf-8"))
                                 for k, v in sorted(files.items()))]:
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)

    write_atomic(Path(path), write)
    return Path(path)
