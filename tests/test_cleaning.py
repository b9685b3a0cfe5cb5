import pytest

from framingclf.readers._cleaning import (
    Vocabulary,
    bullet_item,
    clean_line,
    collapse_whitespace,
    find_running_lines,
    fix_ligatures,
    is_page_number,
    join_lines,
    remove_invisible,
    running_key,
)


def test_ligatures_become_letters():
    assert fix_ligatures("\ufb01nance \ufb02ow e\ufb00ect o\ufb03ce") == \
        "finance flow effect office"


def test_invisible_characters_are_removed():
    assert remove_invisible("inequal\u00adities\u200b in\ufeff\x07 health\ttoday") == \
        "inequalities in health today"


def test_whitespace_collapses_to_single_spaces():
    assert collapse_whitespace("  damp \u00a0 homes\u2009and\t\tcold  ") == "damp homes and cold"


def test_clean_line_keeps_a_final_soft_hyphen_for_joining():
    assert clean_line("  \ufb01nancial inequal\u00ad") == "financial inequal\u00ad"
    assert join_lines([clean_line("inequal\u00ad"), clean_line("ities remain")]) == \
        "inequalities remain"


@pytest.mark.parametrize(("line", "cleaned"), [
    ("Key priorities include:-", "Key priorities include:"),
    ("The board is asked to: – ", "The board is asked to:"),
    ("Ratio 3:-1 in the table", "Ratio 3:-1 in the table"),
    ("Time: 10:30 - 11:00", "Time: 10:30 - 11:00")])
def test_clean_line_reads_a_colon_and_dash_at_the_end_as_a_colon(line, cleaned):
    assert clean_line(line) == cleaned


@pytest.mark.parametrize(("line", "item"), [
    ("• Maternity continuity of carer", "• Maternity continuity of carer"),
    ("\u25aa  Smoking in pregnancy", "• Smoking in pregnancy"),
    ("\uf0b7 Wingdings bullet", "• Wingdings bullet"),
    ("- Markdown item", "• Markdown item"),
    ("* Markdown item", "• Markdown item"),
    ("– dash item", "• dash item"),
    ("-5% change in admissions", None),
    ("Deprivation - an overview", None),
    ("1. Purpose", None),
])
def test_bullet_items(line, item):
    assert bullet_item(line) == item


@pytest.mark.parametrize(("line", "cleaned"), [
    ("\uf095 approve the plan;", "\u2022 approve the plan;"),  # OpenSymbol, LibreOffice
    ("\uf0a7  note the report", "\u2022 note the report"),  # Wingdings, Word
    ("\uf0d8 arrow item", "\u2022 arrow item"),
    ("see the \uf0e0 arrow", "see the \uf0e0 arrow"),  # inside a line: left as it is
    ("\uf095approve", "\uf095approve"),  # not before a space: not a bullet
])
def test_a_symbol_fonts_glyph_opening_a_line_is_a_bullet(line, cleaned):
    assert clean_line(line) == cleaned
    if cleaned.startswith("\u2022"):
        assert bullet_item(clean_line(line)) == cleaned


@pytest.mark.parametrize(("line", "expected"), [
    ("3", True), ("- 12 -", True), ("Page 4", True), ("Page 4 of 40", True),
    ("page 12 / 40", True), ("4/40", True), ("(7)", True), ("iv", True), ("xii", True),
    ("2023", False), ("12.5%", False), ("Table 3", False), ("Page one", False),
    ("3 Housing", False), ("Civic", False),
])
def test_page_numbers(line, expected):
    assert is_page_number(line) is expected


def test_running_key_ignores_digits_and_case():
    assert running_key("Page 3  of 10") == running_key("PAGE 4 of 10") == "page # of #"


def test_running_lines_repeat_on_enough_pages():
    pages = [["Brackenford Trust Board", "Page 1 of 4"],
             ["Brackenford Trust Board", "Page 2 of 4", "Item 7 summary"],
             ["Brackenford Trust Board", "Page 3 of 4"],
             ["Page 4 of 4", "Item 7 summary"]]
    assert find_running_lines(pages) == {"brackenford trust board", "page # of #",
                                          "item # summary"}
    assert find_running_lines(pages, min_share=0.7) == {"brackenford trust board",
                                                        "page # of #"}
    assert find_running_lines([["Only page"]]) == set()


def test_running_lines_count_a_page_once():
    pages = [["Header", "Header"], ["Body"], ["Other"], ["More"], ["Last"]]
    assert find_running_lines(pages) == set()


def test_join_lines_rejoins_broken_words():
    assert join_lines(["the health inequal-", "ities gap"]) == "the health inequalities gap"


def test_join_lines_keeps_hyphens_of_compounds_and_before_capitals():
    assert join_lines(["a long-", "term plan"], Vocabulary("a long-term plan")) == \
        "a long-term plan"
    assert join_lines(["non-", "English speakers"]) == "non-English speakers"
    assert join_lines(["pre-", "and post-natal care"]) == "pre- and post-natal care"
    assert join_lines(["costs –", "which rose"]) == "costs – which rose"
    assert join_lines(["", "  one ", "two"]) == "one two"


def test_invisible_characters_include_lone_surrogates():
    assert clean_line("health\ud800 gap\udfff") == "health gap"


@pytest.mark.parametrize(("left", "right", "mended"), [
    ("or", "ganisations", "organisations"),  # hyphenation
    ("im", "portant", "important"),
    ("refer", "rals", "referrals"),
    ("self", "harm", "self-harm"),  # a compound prefix
    ("off", "licences", "off-licences"),
    ("multi", "morbidity", "multi-morbidity"),
    ("working", "age", "working-age"),  # a compound second part
    ("community", "led", "community-led"),
    ("non", "English", "non-English"),  # a capital after the hyphen
    ("statistics/english-indices", "of-deprivation", "statistics/english-indices-of-deprivation"),
    ("wellbe", "ing", "wellbeing"),  # written whole elsewhere
    ("care", "givers", "care-givers"),  # written hyphenated elsewhere
    ("housing", "support", "housing-support"),  # both words of the document
    ("ex", "plained", "explained"),  # an English word whose second part is not one
    ("part", "nership", "partnership"),
    ("over", "view", "overview"),  # ... or whose first part is no prefix kept apart
    ("under", "stand", "understand"),
    ("ex", "smokers", "ex-smokers"),  # ... but a prefix before a word stays a compound
    ("co", "operation", "co-operation"),
    ("follow", "up", "follow-up"),
    ("owner", "occupiers", "owner-occupiers"),  # two English words, no word joined
])
def test_vocabulary_mends_line_end_hyphens_by_the_compound_rule(left, right, mended):
    vocabulary = Vocabulary("Our wellbeing plan. The care-givers met. Housing needs support "
                            "now. An or\ufffeganisation, refer-\nrals.")
    assert vocabulary.mend(left, right) == mended


def test_vocabulary_ignores_words_cut_at_line_ends():
    vocabulary = Vocabulary("the referrals from refer-\nrals and or\ufffeganisations")
    assert vocabulary.has("referrals") and not vocabulary.has("rals")
    assert not vocabulary.has("ganisations") and not vocabulary.has("refer")


def test_mend_markers_inside_a_line():
    assert Vocabulary().mend_markers("the or\ufffeganisations and self\ufffeharm") == \
        "the organisations and self-harm"
