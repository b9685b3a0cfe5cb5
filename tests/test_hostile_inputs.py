"""Hostile inputs a reader must turn into one clear `DocumentReadError` naming the file, or
read in bounded time: special files, zip bombs, damaged deflate streams, pathological
HTML, huge and blank files, text of any length, lone surrogates."""

import os
import re
import threading
import time
import zipfile

import docx
import pytest

from framingclf.errors import DocumentReadError
from framingclf.readers import _docx, _html, _text, content_hash, parse_text, read_document
from framingclf.segment import segment

SENTENCE = "Children in the poorest wards wait longest for dental care. "


def _read_within(path, seconds: float):
    """read_document(path) in a thread that must finish within `seconds`."""
    outcome: dict = {}

    def run():
        try:
            outcome["document"] = read_document(path)
        except Exception as exc:  # the test looks at what was raised
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"reading {path} took more than {seconds} s"
    return outcome


# --- special files ------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_an_error_and_never_opened(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome = _read_within(fifo, 5)
    assert isinstance(outcome["error"], DocumentReadError)
    assert str(outcome["error"]) == (f"{fifo}: is a FIFO (named pipe), not a file; framingclf "
                                     "reads only regular files, so pass the document itself")
    with pytest.raises(DocumentReadError, match="FIFO"):
        content_hash(fifo)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_a_device_is_an_error():
    with pytest.raises(DocumentReadError, match=r"^/dev/null: is a device, not a file"):
        read_document("/dev/null")


def test_a_broken_symbolic_link_says_where_it_points(tmp_path):
    link = tmp_path / "report.pdf"
    link.symlink_to(tmp_path / "moved-away.pdf")
    with pytest.raises(DocumentReadError, match=re.escape(
            f"{link}: broken symbolic link (it points to '{tmp_path / 'moved-away.pdf'}', "
            "which does not exist); fix or remove the link")):
        read_document(link)


# --- DOCX: zip bombs and damaged deflate streams --------------------------------------------

def _word_file(path, paragraphs: int = 3):
    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph(SENTENCE * 3)
    document.save(str(path))
    return path


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path, monkeypatch):
    path = tmp_path / "bomb.docx"
    source = _word_file(tmp_path / "source.docx")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/document.xml":  # 8 MB of spaces, a few KB packed
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * 8_000_000)
            new.writestr(item, data)
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(_docx, "MAX_UNPACKED", 4 * 1024 * 1024)
    with pytest.raises(DocumentReadError, match=re.escape(
            f"{path}: word/document.xml unpacks to 8 MB, more than the 4 MB framingclf "
            "unpacks from a Word file (a damaged file or a zip bomb)")):
        read_document(path)


def test_docx_damaged_deflate_stream_names_the_file(tmp_path):
    path = _word_file(tmp_path / "damaged.docx", paragraphs=40)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k in range(start + 20, start + min(info.compress_size, 400), 7):
        data[k] ^= 0x5A  # scramble the compressed bytes, leave the headers
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentReadError, match=re.escape(f"{path}: damaged Word file (")):
        read_document(path)


def test_docx_without_text_is_a_no_text_error(tmp_path):
    path = tmp_path / "empty-body.docx"
    docx.Document().save(str(path))
    with pytest.raises(DocumentReadError, match=r"empty-body.docx: no text in this Word file"):
        read_document(path)


# --- HTML -------------------------------------------------------------------------------------

def test_html_tag_with_200000_attributes_is_read_in_bounded_time(tmp_path):
    attributes = " ".join(f'data-a{k}="x"' for k in range(200_000))
    path = tmp_path / "attributes.html"
    path.write_text(f"<html><body><div {attributes}><p>{SENTENCE * 3}</p></div></body></html>")
    start = time.perf_counter()
    outcome = _read_within(path, 30)
    assert time.perf_counter() - start < 30
    assert outcome["document"].text == (SENTENCE * 3).strip()


def test_deeply_nested_html_is_read_or_refused_in_bounded_time(tmp_path):
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div>" * 50_000 + f"<p>{SENTENCE}</p>" +
                    "</div>" * 50_000 + "</body></html>")
    outcome = _read_within(path, 30)
    if "error" in outcome:
        assert isinstance(outcome["error"], DocumentReadError)
        assert str(outcome["error"]).startswith(f"{path}: ")


def test_huge_html_and_text_are_refused_with_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(_html, "MAX_HTML", 1000)
    monkeypatch.setattr(_text, "MAX_TEXT", 1000)
    page = tmp_path / "huge.html"
    page.write_text(f"<html><body><p>{SENTENCE * 40}</p></body></html>")
    with pytest.raises(DocumentReadError, match=r"huge.html: HTML page of 0 MB, over the 0 MB"):
        read_document(page)
    text = tmp_path / "huge.txt"
    text.write_text(SENTENCE * 40)
    with pytest.raises(DocumentReadError, match=r"huge.txt: text file of 0 MB, over the 0 MB "
                                                r"framingclf reads; split it"):
        read_document(text)


# --- text of any length, blank text, lone surrogates --------------------------------------------

def test_text_over_a_million_characters_is_read_and_cut_for_spacy(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Dental care\n\n" + SENTENCE * 20_000)  # 1.2 million characters
    document = read_document(path)
    passages = segment(document)
    assert len(document.text) > 1_000_000
    assert max(len(p.text) for p in passages) < 2_000
    assert sum(len(p.text.split()) for p in passages) == len(document.text.split())


@pytest.mark.parametrize(("name", "data"), [
    ("blank.txt", b"   \n\n\t \n"), ("blank.md", b"\n\n12\n\n![map](map.png)\n"),
    ("blank.html", b"<html><body><div>   </div><script>x()</script></body></html>"),
])
def test_blank_files_are_a_no_text_error(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentReadError, match=re.escape(f"{path}: ") + r".*no (main )?text"):
        read_document(path)


def test_lone_surrogates_are_cleaned():
    doc = parse_text("Damp homes\ud800 harm children.\n\nThe gap\udfff is widening.")
    assert doc.text == "Damp homes harm children.\n\nThe gap is widening."
    doc.text.encode("utf-8")  # storable


def test_damaged_utf16_names_the_file(tmp_path):
    path = tmp_path / "broken16.txt"
    path.write_bytes(b"\xff\xfe" + "Damp homes".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(DocumentReadError, match=re.escape(f"{path}: damaged UTF-16 text")):
        read_document(path)


def test_an_unexpected_failure_inside_a_reader_is_still_one_clear_error(tmp_path, monkeypatch):
    import framingclf.readers as readers

    def broken(path, *, sha256=None):
        raise ValueError("unexpected token")

    monkeypatch.setitem(readers._READERS, "text", broken)
    path = tmp_path / "notes.txt"
    path.write_text(SENTENCE)
    with pytest.raises(DocumentReadError, match=re.escape(
            f"{path}: could not be read as TEXT (ValueError: unexpected token); open and "
            "save it again, and please report this")):
        read_document(path)
