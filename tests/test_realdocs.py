"""Reading the real public documents kept beside the repository (../shared/realdocs).

They are other people's documents, never copied here: these tests only read them and
check properties every reading must have. Without the folder they skip, saying why.
"""


import pytest

from framingclf.readers import READABLE_SUFFIXES, read_document
from framingclf.readers._titles import title_problem
from framingclf.segment import LABELLED_KINDS, segment, split_sentences

from .conftest import SHARED

REALDOCS = SHARED / "realdocs" / "docs"
PATHS = sorted(p for p in REALDOCS.glob("*") if p.suffix.lower() in READABLE_SUFFIXES) \
    if REALDOCS.is_dir() else []

pytestmark = [
    pytest.mark.skipif(not PATHS, reason=f"the real documents are not here ({REALDOCS} is "
                                         "absent): they are kept beside the repository, "
                                         "never in it"),
    pytest.mark.slow,  # reading all of them takes a few seconds
]


@pytest.fixture(scope="module")
def readings():
    return {path.name: (doc := read_document(path, metadata=False), segment(doc))
            for path in PATHS}


def test_every_real_document_reads_with_a_sane_title(readings):
    for name, (doc, passages) in readings.items():
        assert passages, name
        assert title_problem(doc.title, name) is None, name


def test_no_labelled_passage_over_200_words_unless_one_sentence(readings):
    for name, (_, passages) in readings.items():
        for passage in passages:
            if passage.kind in LABELLED_KINDS and len(passage.text.split()) > 200:
                assert passage.kind == "prose" and len(split_sentences(passage.text)) == 1, name


def test_no_heading_reads_as_a_long_sentence(readings):
    for name, (_, passages) in readings.items():
        for passage in passages:
            if passage.kind == "heading":
                words = passage.text.split()
                assert len(words) < 15 or not passage.text.endswith((".", "!", "?")), name


def test_passages_lie_in_the_text_in_order(readings):
    for name, (doc, passages) in readings.items():
        ends = [p.char_end for p in passages]
        assert [p.char_start for p in passages] == sorted(p.char_start for p in passages), name
        assert all(p.char_start < p.char_end <= len(doc.text) for p in passages), name
        assert ends == sorted(ends), name
