import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framingclf import DocumentReadError
from framingclf.documents import parse_text, read_document
from framingclf.segment import segment

SAMPLE = (
    "Kestrel Valley NHS Foundation Trust\nBoard of Directors\nMarch 2023\n\n"
    "1. Introduction\n\n"
    "This report updates the Board on the trust's work to reduce health inequalities "
    "in access to planned care.\n\n"
    "Table 1\n\n"
    "Measure | Q1 | Q2\nRTT 18 weeks | 61% | 63%\n\n"
    "\f2. Elective recovery\n\n"
    "2.1 Waiting lists\n\n"
    "Patients from the most deprived quintile wait on average two weeks longer for "
    "hip and knee surgery than those from the least deprived.\n\n"
    "Short note.\n\n"
    "• First bullet about outreach clinics in the east of the borough\n"
    "• Second bullet about interpreters for patients who need them\n"
)


def test_pages_headings_and_tables():
    doc = parse_text(SAMPLE)
    assert doc.n_pages == 2
    kinds = [(b.kind, b.page) for b in doc.blocks]
    assert ("table", 1) in kinds
    waiting = next(b for b in doc.blocks if b.text.startswith("Patients from"))
    assert waiting.page == 2
    assert waiting.heading_path == ("2. Elective recovery", "2.1 Waiting lists")


def test_segment_joins_fragments_skips_tables_and_keeps_pages():
    passages = segment(parse_text(SAMPLE), min_words=8)
    texts = [p.text for p in passages]
    assert not any("RTT 18 weeks" in t for t in texts)
    assert any(t.endswith("least deprived. Short note. • First bullet about outreach clinics "
                          "in the east of the borough\n• Second bullet about interpreters for "
                          "patients who need them") for t in texts) or any(
        t.startswith("Short note.") for t in texts)
    assert [p.position for p in passages] == list(range(len(passages)))
    assert all(p.passage_id.startswith(p.doc_id) for p in passages)


def test_long_paragraph_is_windowed_at_sentences():
    sentence = "Poverty shapes health in many ways across the life course. "
    doc = parse_text("Title\n\n" + sentence * 40)
    passages = segment(doc, max_words=50)
    assert len(passages) > 1
    assert all(len(p.text.split()) <= 50 for p in passages)


words = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1,
                max_size=8)
paragraphs = st.lists(words, min_size=1, max_size=40).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(paragraphs, min_size=1, max_size=12))
def test_segmentation_loses_and_duplicates_no_words(paras):
    text = "\n\n".join(p + "." for p in paras)
    doc = parse_text(text)
    source = [w for b in doc.blocks if b.kind == "paragraph" for w in b.text.split()]
    passages = segment(doc, min_words=5, max_words=30)
    assert [w for p in passages for w in p.text.split()] == source
    assert [p.passage_id for p in segment(parse_text(text), min_words=5, max_words=30)] == \
        [p.passage_id for p in passages]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.txt", b"", "empty file (0 bytes)"),
    ("latin.txt", "caf\u00e9 d\u00e9j\u00e0".encode("latin-1"), "not UTF-8 text (byte 0xe9"),
    ("paper.txt", b"%PDF-1.7\n...", "PDF files are not read by this version"),
    ("blob.txt", b"\x00\x01\x02binary", "binary files are not read"),
    ("sheet.xyz", b"hello", ".xyz (unknown) files are not read"),
])
def test_bad_files_get_clear_errors(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentReadError, match=re.escape(message)):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(DocumentReadError, match="no such file"):
        read_document(tmp_path / "gone.txt")
