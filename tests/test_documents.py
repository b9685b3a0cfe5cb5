import re
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framingclf.errors import DocumentReadError
from framingclf.readers import Block, Document, parse_text, read_document
from framingclf.segment import LABELLED_KINDS, segment, split_sentences, stops_mid_sentence

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


def test_segment_gives_every_block_a_kind_and_labels_only_prose_and_lists():
    passages = segment(parse_text(SAMPLE), min_words=6)
    kinds = [(p.kind, p.text[:24]) for p in passages]
    assert kinds == [
        ("fragment", "Kestrel Valley NHS Found"), ("heading", "1. Introduction"),
        ("prose", "This report updates the "), ("caption", "Table 1"),
        ("table", "Measure | Q1 | Q2\nRTT 18"), ("heading", "2. Elective recovery"),
        ("heading", "2.1 Waiting lists"), ("prose", "Patients from the most d"),
        ("list", "First bullet about outre")]
    labelled = [p for p in passages if p.kind in LABELLED_KINDS]
    assert [p.kind for p in labelled] == ["prose", "prose", "list"]
    # a short sentence joins the paragraph before it under the same heading
    assert labelled[1].text.endswith("least deprived. Short note.")
    assert labelled[2].text == ("First bullet about outreach clinics in the east of the borough"
                                "\nSecond bullet about interpreters for patients who need them")
    assert [p.position for p in passages] == list(range(len(passages)))
    assert all(p.passage_id == f"{p.doc_id}-{p.position:04d}" for p in passages)
    assert labelled[1].heading_path == ("2. Elective recovery", "2.1 Waiting lists")


def test_a_lead_in_and_its_list_are_one_passage():
    doc = parse_text("Housing\n\nThe council will do three things this winter:\n\n"
                     "- inspect private rented homes\n- fund loft insulation\n"
                     "- open warm spaces in libraries\n")
    passages = segment(doc)
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "Housing"),
        ("list", "The council will do three things this winter:\ninspect private rented "
                 "homes\nfund loft insulation\nopen warm spaces in libraries")]
    assert doc.text[passages[1].char_start:passages[1].char_end].startswith("The council")


def test_fragments_are_short_non_sentences_labels_and_rows():
    doc = parse_text("Deprivation decile\n\n2565 4018 8975 112 NA\n\n"
                     "Ethnic Group:\nBlack or Black British\n\nWe will act now.\n\n"
                     "Children in the poorest wards wait longest for dental care and the gap "
                     "is growing every year\n")
    passages = segment(doc)
    assert [p.kind for p in passages] == ["heading", "fragment", "fragment", "prose"]
    assert passages[-1].text.startswith("We will act now. Children")


def test_short_sentence_tails_and_short_lists_without_a_lead_in_are_fragments():
    # columns flattened out of order before the file reached us leave the tails of
    # sentences whose starts are elsewhere, and diagram labels set as list items
    blocks = [Block("Our strategy", 1, "heading"), Block("and to live nationally.", 1),
              Block("A city where everyone", 1, "list"),
              Block("Our plan covers the whole city and every age.", 1),
              Block("Short lists need a lead-in:", 1),
              Block("fund loft insulation", 1, "list")]
    doc = Document("x.md", "ab" * 32, "T", blocks, 1)
    assert [(p.kind, p.text) for p in segment(doc)] == [
        ("heading", "Our strategy"), ("fragment", "and to live nationally."),
        ("fragment", "A city where everyone"),
        ("prose", "Our plan covers the whole city and every age."),
        ("list", "Short lists need a lead-in:\nfund loft insulation")]


def test_data_dictionary_lines_are_fragments_sentences_with_equals_are_not():
    texts = ["sum_multi_gen = n households with at least one person from each age group "
             "sharing a household",
             "carer_rate - = carer_count*100/total GP population in the ward for the year "
             "being counted",
             "Life expectancy = a measure the council reports every year, and the gap between "
             "wards is growing."]
    doc = Document("x.docx", "ab" * 32, "T", [Block(text, 1) for text in texts], 1)
    assert [p.kind for p in segment(doc)] == ["fragment", "fragment", "prose"]


def test_a_typeset_formula_is_a_fragment_and_a_sentence_naming_a_symbol_prose():
    italic = {ch: chr(0x1D44E + ord(ch) - ord("a")) for ch in "abcdefgijklmnopqrstuvwxyz"}

    def maths(word: str) -> str:
        return "".join(italic.get(ch, ch) for ch in word)
    texts = [f"log({maths('y')}) = {maths('b')}0 + {maths('b')}1 {maths('time')} + "
             f"{maths('b')}2 {maths('age')} + {maths('b')}3 {maths('sex')} + "
             f"log({maths('pop')}) for each area and month in the study",
             f"Here {maths('t')} is the month of the study, counted from January 2019 "
             "onwards, and the model is fitted to every area."]
    doc = Document("x.pdf", "ab" * 32, "T", [Block(text, 1) for text in texts], 1)
    assert [p.kind for p in segment(doc)] == ["fragment", "prose"]


def test_long_paragraph_is_cut_at_sentences_into_even_pieces_of_one_paragraph():
    sentence = "Poverty shapes health in many ways across the life course. "
    doc = parse_text("Title\n\n" + sentence * 40)  # 400 words
    passages = [p for p in segment(doc, max_words=150) if p.kind == "prose"]
    assert [len(p.text.split()) for p in passages] == [130, 140, 130]
    assert len({p.paragraph_id for p in passages}) == 1
    assert passages[0].paragraph_id == f"{doc.doc_id}-p0001"


def test_long_list_is_cut_between_items_into_even_pieces():
    item = "- fund advice on benefits and debt in every family hub in the borough this year\n"
    doc = parse_text("Title\n\nThe council will:\n\n" + item * 12)  # 3 + 12 x 16 words
    passages = [p for p in segment(doc, max_words=150) if p.kind == "list"]
    assert [p.text.count("\n") + 1 for p in passages] == [7, 6]  # not 10 and 3


def test_a_council_reports_background_documents_are_references():
    doc = parse_text("Background documents\n\nReport to Cabinet, 13 March 2024: public health "
                     "grant allocations and the conditions attached to them.\n\nRavensby joint "
                     "strategic needs assessment: healthy weight chapter, October 2024.\n")
    assert [p.kind for p in segment(doc)] == ["heading", "reference", "reference"]


def test_text_of_any_length_is_cut_before_it_could_reach_spacy():
    word_soup = ("inequality " * 300_000).strip()  # 3.3 million characters, no sentence end
    for heading, kind in [("Observations", "prose"), ("References", "reference")]:
        passages = segment(parse_text(f"{heading}\n\n{word_soup}"), max_words=150)
        assert {p.kind for p in passages[1:]} == {kind}
        assert max(len(p.text) for p in passages) < 10_000
        assert sum(len(p.text.split()) for p in passages) == 300_001


words = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1,
                max_size=8)
paragraphs = st.lists(words, min_size=1, max_size=40).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(paragraphs, min_size=1, max_size=12))
def test_segmentation_loses_and_duplicates_no_words(paras):
    text = "\n\n".join(p + "." for p in paras)
    doc = parse_text(text)
    source = [w for b in doc.blocks if b.kind in ("paragraph", "fragment")
              for w in b.text.split()]  # a row of figures reads as a fragment
    passages = segment(doc, min_words=5, max_words=30)
    assert [w for p in passages for w in p.text.split()] == source
    assert [p.passage_id for p in segment(parse_text(text), min_words=5, max_words=30)] == \
        [p.passage_id for p in passages]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.txt", b"", "empty file (0 bytes)"),
    ("blank.txt", b" \n\t\n\f  \n", "no text (the file holds only blank space"),
    ("paper.txt", b"%PDF-1.7\n...", "truncated PDF (no %%EOF end marker"),
    ("blob.txt", b"\x00\x01\x02binary", "a binary file, which framingclf cannot read"),
    ("sheet.xyz", b"hello", "a .xyz file (data, not a document)"),
])
def test_bad_files_get_clear_errors(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentReadError, match=re.escape(message)):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(DocumentReadError, match="no such file"):
        read_document(tmp_path / "gone.txt")


# --- the data model: cleaned text and offsets ---------------------------------------------

def test_document_text_and_block_offsets():
    doc = parse_text(SAMPLE)
    assert doc.text.startswith("Kestrel Valley NHS Foundation Trust")
    for block in doc.blocks:
        assert doc.text[block.char_start:block.char_end] == block.text
    assert "\n\n" in doc.text and "\f" not in doc.text


def test_document_built_from_blocks_lays_out_text():
    doc = Document("x.txt", "ab" * 32, "T", [Block("One", 1), Block("Two", 2, "heading")], 2)
    assert doc.text == "One\n\nTwo"
    assert [(b.char_start, b.char_end, b.page_end) for b in doc.blocks] == [(0, 3, 1), (5, 8, 2)]


def test_passages_carry_char_offsets_into_the_text():
    doc = parse_text(SAMPLE)
    for passage in segment(doc, min_words=8):
        span = doc.text[passage.char_start:passage.char_end]
        assert span.startswith(passage.text.split()[0]) and span.endswith(passage.text[-5:])


# --- segmentation properties -------------------------------------------------------------

sentence = st.lists(words, min_size=1, max_size=14).map(lambda ws: " ".join(ws) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=8).map(" ".join)
bullets = st.lists(sentence, min_size=1, max_size=4).map(
    lambda items: "\n".join("• " + item for item in items))
table = st.just("Measure | Q1 | Q2\nWaiting | 10 | 12")
heading = st.sampled_from(["1. Introduction", "2.1 Waiting lists", "## Housing", "Summary"])
block = st.one_of(paragraph, paragraph, bullets, table, heading)
page = st.lists(block, min_size=1, max_size=6).map("\n\n".join)
document_text = st.lists(page, min_size=1, max_size=3).map("\n\f".join)


@settings(max_examples=60, deadline=None)
@given(document_text, st.integers(1, 12), st.integers(5, 60))
def test_passages_cover_the_cleaned_text_exactly_once(text, min_words, max_words):
    try:
        doc = parse_text(text)
    except DocumentReadError:  # every line a running header, footer or page number
        assume(False)
    passages = segment(doc, min_words=min_words, max_words=max_words)
    # joined back, the passages are the blocks: nothing lost, nothing repeated
    assert [w for p in passages for w in p.text.split()] == \
        [w for b in doc.blocks for w in b.text.split()]
    # no labelled passage is over max_words words (and a fifth) unless it is one sentence
    for passage in passages:
        if passage.kind == "prose" and len(passage.text.split()) > max_words + max_words // 5:
            assert len(split_sentences(passage.text)) == 1
    # their spans are in order, do not overlap, and each holds exactly its passage's text
    paragraphs = doc.blocks
    for before, after in pairwise(passages):
        assert before.char_end <= after.char_start
    for passage in passages:
        inside = [doc.text[max(b.char_start, passage.char_start):min(b.char_end,
                                                                     passage.char_end)]
                  for b in paragraphs
                  if b.char_start < passage.char_end and b.char_end > passage.char_start]
        assert " ".join(inside).split() == passage.text.split()
        assert passage.page_start <= passage.page_end
    # every character of every paragraph lies in some passage's span
    for b in paragraphs:
        assert any(p.char_start <= b.char_start and b.char_end <= p.char_end for p in passages) \
            or all(any(p.char_start <= i < p.char_end for p in passages)
                   for i in range(b.char_start, b.char_end) if not doc.text[i].isspace())


@settings(max_examples=25, deadline=None)
@given(document_text)
def test_passage_ids_are_stable_and_unique(text):
    try:
        parse_text(text)
    except DocumentReadError:  # every line a running header, footer or page number
        assume(False)
    first = [p.passage_id for p in segment(parse_text(text))]
    again = [p.passage_id for p in segment(parse_text(text))]
    assert first == again
    assert len(set(first)) == len(first)


def test_ids_depend_on_content_not_path(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "copy.md"
    a.write_text(SAMPLE, "utf-8")
    b.write_bytes(a.read_bytes())
    ids_a = [p.passage_id for p in segment(read_document(a))]
    assert ids_a == [p.passage_id for p in segment(read_document(a))]
    assert [p.doc_id for p in segment(read_document(b))][:1] == [ids_a[0][:16]]


@pytest.mark.parametrize(("text", "kind", "unfinished"), [
    ("Waits are longer in the east.", "prose", False),
    ("The board asked for a report (see annex).", "prose", False),
    ("Key priorities include:", "prose", False),
    ("Deprivation is the strongest driver of need [12]", "prose", False),
    ("Our vision: make health and wellbeing better than any partner can alone", "prose", True),
    ("Increase in physical activity in over 50s SO3,SO4", "prose", True),
    ("The plan will:\nopen clinics\noffer interpreters", "list", False),
    ("The plan will:\nopen clinics in the east, and", "list", True),
    ("The plan will:\nreport waits by deprivation of", "list", True),
])
def test_stops_mid_sentence(text, kind, unfinished):
    assert stops_mid_sentence(text, kind) is unfinished
