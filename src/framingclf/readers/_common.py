"""What every reader shares before reading: a file's first bytes, hash and size, and its
format by content (`sniff`)."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
import zlib
from pathlib import Path

from framingclf.errors import DocumentReadError
from framingclf.readers._encoding import bom_encoding, utf16_without_bom
from framingclf.readers._front_matter import split_front_matter

SUPPORTED = "PDF, Word (.docx), HTML, plain text and Markdown"
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
READABLE_SUFFIXES = frozenset({".pdf", ".docx", *HTML_SUFFIXES, *TEXT_SUFFIXES})
# Text content is read as text under these extensions (a lying document extension
# included); under any other (.csv, .json, ...) it is data, not a document.
_TEXT_OK_SUFFIXES = READABLE_SUFFIXES | {"", ".doc", ".odt", ".rtf"}
_HEAD_BYTES = 65536


def sniff(path: str | Path, head: bytes | None = None) -> str:
    """The reader for a file by its content: "pdf", "docx", "html" or "text".

    Raises `DocumentReadError` for content framingclf cannot read, naming what it is.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if head is None:
        head = _probe(path)[0]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    for magic, what, todo in _UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            raise _unsupported(path, what, todo)
    sample = _text_sample(head)
    if sample is None:
        raise _unsupported(path, "a binary file", "pass the document itself")
    if _looks_like_html(sample, suffix):
        return "html"
    if suffix in _TEXT_OK_SUFFIXES:
        return "text"
    raise _unsupported(path, f"a {suffix} file (data, not a document)",
                       "if it is prose, save it as .txt")



# --------------------------------------------------------------------------- probing

_UNSUPPORTED_MAGIC = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office 97-2003 file (.doc, .xls or .ppt)",
     "open it in Word and save it as .docx or PDF"),
    (b"{\\rtf", "an RTF file", "open it in Word and save it as .docx or PDF"),
    (b"\x89PNG", "an image (PNG)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"\xff\xd8\xff", "an image (JPEG)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"GIF8", "an image (GIF)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"II*\x00", "an image (TIFF)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"MM\x00*", "an image (TIFF)", "run OCR first (e.g. tesseract or ocrmypdf)"),
    (b"\x1f\x8b", "a gzip archive", "unpack it and pass the documents inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and pass the documents inside"),
    (b"Rar!", "a RAR archive", "unpack it and pass the documents inside"),
]


def _unsupported(path: Path, what: str, todo: str) -> DocumentReadError:
    return DocumentReadError(f"{path}: {what}, which framingclf cannot read (it reads "
                             f"{SUPPORTED}); {todo}")


def check_regular_file(path: Path) -> None:
    """Raise `DocumentReadError` unless `path` is a regular file (followed through links),
    without opening it: opening a FIFO would wait for a writer for ever."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise DocumentReadError(f"{path}: broken symbolic link (it points to "
                                    f"{os.readlink(path)!r}, which does not exist); fix or "
                                    "remove the link") from None
        raise DocumentReadError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise DocumentReadError(f"{path}: cannot be read ({exc.strerror}); check its "
                                "permissions") from None
    if stat.S_ISDIR(mode):
        raise DocumentReadError(f"{path}: is a folder; pass files, or the folder to "
                                "`framingclf score` which reads its files")
    if not stat.S_ISREG(mode):
        what = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket"
                if stat.S_ISSOCK(mode) else "a device")
        raise DocumentReadError(f"{path}: is {what}, not a file; framingclf reads only "
                                "regular files, so pass the document itself")


def _probe(path: Path, hash_it: bool = True) -> tuple[bytes, str, int]:
    """The first bytes, SHA-256 (when `hash_it`: a batch has hashed the file already)
    and size of a file, read in chunks (never whole)."""
    check_regular_file(path)
    digest = hashlib.sha256()
    try:  # opened without blocking, and checked again, in case a FIFO took the file's place
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            check_regular_file(path)
        with open(descriptor, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
            if not hash_it:
                return head, "", os.fstat(handle.fileno()).st_size
            digest.update(head)
            size = len(head)
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        raise DocumentReadError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise DocumentReadError(f"{path}: is a folder; pass files, or the folder to "
                                "`framingclf score` which reads its files") from None
    except OSError as exc:
        raise DocumentReadError(f"{path}: cannot be read ({exc.strerror}); check its "
                                "permissions") from None
    return head, digest.hexdigest(), size


def content_hash(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as its `Document.sha256` will be; raises
    `DocumentReadError` when the file cannot be read."""
    return _probe(Path(path))[1]


def _sha256(path: Path, sha256: str | None) -> str:
    return sha256 or _probe(path)[1]


def _text_sample(head: bytes) -> str | None:
    """The start of the file as text, or None if it looks binary."""
    encoding = bom_encoding(head) or utf16_without_bom(head)
    if encoding is not None and encoding != "utf-8-sig":
        return head[:4096].decode(encoding, errors="ignore")
    sample = head[:4096]
    controls = sum(byte < 9 or 13 < byte < 32 for byte in sample if byte != 12)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        return None
    return sample.decode("utf-8", errors="ignore")


def _looks_like_html(sample: str, suffix: str) -> bool:
    start = sample.lstrip("\ufeff \t\r\n")[:4096].lower()
    if start.startswith(("<!doctype html", "<html")):
        return True
    if suffix in HTML_SUFFIXES:  # after front matter or HTTP headers (`_front_matter`)
        start = split_front_matter(start, http=True)[1].lstrip().lower()
    return start.startswith("<") and (
        suffix in HTML_SUFFIXES or any(tag in start for tag in ("<html", "<body", "<head")))


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = ""
            if "mimetype" in names:
                with archive.open("mimetype") as handle:  # never the whole entry
                    mimetype = handle.read(100).decode("ascii", "ignore")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError,
            KeyError, ValueError) as exc:
        raise DocumentReadError(
            f"{path}: damaged or truncated ZIP-based file such as .docx ({exc}); open it "
            "in Word and save it again, or download it again") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise _unsupported(path, "an Excel workbook", "save the prose you want as .docx")
    if "ppt/presentation.xml" in names:
        raise _unsupported(path, "a PowerPoint file", "save it as PDF")
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise _unsupported(path, "an OpenDocument file (.odt, .ods or .odp)",
                           "save it as .docx or PDF")
    raise _unsupported(path, "a ZIP archive", "unzip it and pass the documents inside")
