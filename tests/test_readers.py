"""Readers: formats chosen by content, DOCX, HTML, text and Markdown from fixtures made
here (each with its truth), encodings, and any bytes giving a document or a clear error.
PDF layouts are in test_pdf_reading.py, hostile inputs in test_hostile_inputs.py."""

import io
import re
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from framingclf import score_documents
from framingclf.errors import DocumentReadError
from framingclf.readers import read_document, sniff
from framingclf.segment import segment

BODY = ("Patients from the most deprived neighbourhoods wait longer for planned care, and "
        "the trust will report waiting times by deprivation quintile from April. ")


@pytest.fixture()
def board_pdf(tmp_path):
    pdf = FPDF(format="A4")
    for page in range(1, 4):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 7, f"{page}. Section {page}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, f"Paragraph A of page {page}. " + BODY * 2,
                       new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "board.pdf"
    pdf.output(str(path))
    return path


# --- extensions that lie, unsupported and unreadable files ---------------------------------

def test_content_decides_the_reader_not_the_extension(board_pdf, tmp_path):
    pdf_as_txt = tmp_path / "really-a-pdf.txt"
    pdf_as_txt.write_bytes(board_pdf.read_bytes())
    assert sniff(pdf_as_txt) == "pdf"
    assert read_document(pdf_as_txt).n_pages == 3
    text_as_pdf = tmp_path / "really-text.pdf"
    text_as_pdf.write_text("Minutes\n\nThe committee discussed fuel poverty and cold homes.\n")
    doc = read_document(text_as_pdf)
    assert doc.format == "text" and "fuel poverty" in doc.text
    html_as_docx = tmp_path / "page.docx"
    html_as_docx.write_text("<html><body><p>Cold homes harm health.</p></body></html>")
    assert read_document(html_as_docx).format == "html"


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "an Office 97-2003 file (.doc, .xls or .ppt), which framingclf cannot read (it reads "
     "PDF, Word (.docx), HTML, plain text and Markdown); open it in Word and save it as "
     ".docx or PDF"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "an image (PNG), which framingclf"),
    ("letter.rtf", b"{\\rtf1\\ansi hello}", "an RTF file"),
    ("book.xlsx", _zip({"[Content_Types].xml": "x", "xl/workbook.xml": "x"}),
     "an Excel workbook"),
    ("notes.odt", _zip({"mimetype": "application/vnd.oasis.opendocument.text"}),
     "an OpenDocument file"),
    ("bundle.zip", _zip({"a.txt": "x"}), "a ZIP archive, which framingclf cannot read"),
    ("data.gz", b"\x1f\x8b\x08\x00" + b"\0" * 50, "a gzip archive"),
    ("table.csv", b"a,b\n1,2\n", "a .csv file (data, not a document)"),
    ("blob.bin", bytes(range(256)), "a binary file"),
    ("broken.docx", b"PK\x03\x04" + b"\0" * 64, "damaged or truncated ZIP-based file"),
])
def test_unsupported_formats_say_what_they_are(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentReadError, match=re.escape(f"{path}: ") + ".*" +
                       re.escape(message)):
        read_document(path)


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.html", "empty.md"])
def test_zero_byte_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(DocumentReadError, match=re.escape(f"{path}: empty file (0 bytes)")):
        read_document(path)


def test_folder_and_missing_file(tmp_path):
    with pytest.raises(DocumentReadError, match="is a folder"):
        read_document(tmp_path)
    with pytest.raises(DocumentReadError, match="no such file; check the path"):
        read_document(tmp_path / "absent.pdf")


# --- encodings ---------------------------------------------------------------------------

TEXT = "Caf\u00e9 culture, \u00a3 spent on cold homes and the \u2018warm spaces\u2019 scheme."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                                      "utf-16-be", "utf-32"])
def test_unicode_text_with_or_without_a_byte_order_mark(tmp_path, encoding):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert read_document(path).text == TEXT


def test_single_byte_text_is_decoded_by_charset_normalizer(tmp_path):
    path = tmp_path / "latin.txt"
    text = ("The \u00a3 spent on housing repairs fell by a fifth, and the caf\u00e9s in "
            "the market hall closed early.")
    path.write_bytes(text.encode("cp1252"))
    assert read_document(path).text == text


def test_html_declaring_one_charset_and_saved_in_another(tmp_path):
    main = "<p>Child poverty costs \u00a3 millions and harms health in the east.</p>"
    lying = tmp_path / "lying.html"  # says windows-1252, saved as UTF-8
    lying.write_bytes(f"<html><head><meta charset='windows-1252'></head><body>{main}"
                      "</body></html>".encode())
    assert "\u00a3 millions" in read_document(lying).text
    latin = tmp_path / "latin.html"  # says UTF-8, saved as windows-1252
    latin.write_bytes(f"<html><head><meta charset='utf-8'></head><body>{main}"
                      "</body></html>".encode("cp1252"))
    assert "\u00a3 millions" in read_document(latin).text


@pytest.mark.parametrize("opening", [
    '<section id="intro">',  # trafilatura takes a section whose id starts "primary" for all
    '<section id="intro"><main>',  # a <main> the parser closes with the first section
])
def test_html_main_content_that_is_one_section_of_the_page_is_not_taken_for_it(
        tmp_path, opening):
    sentence = ("Practices in each network share staff and budgets so that patients in the "
                "{} can be seen closer to home.")
    sections = "".join(f'<section id="{name}"><h2>{name.title()}</h2><p>'
                       f'{sentence.format(name)}</p></section>'
                       for name in ("primary_care", "outcomes", "housing", "schools"))
    path = tmp_path / "profile.html"
    path.write_text(f"<html><body><header><nav><a href='/'>Home</a></nav></header>{opening}"
                    f"<h1>Health profile</h1><p>{sentence.format('borough')}</p></section>"
                    f"{sections}</main></body></html>", "utf-8")
    prose = [p.text for p in segment(read_document(path)) if p.kind == "prose"]
    assert prose == [sentence.format(name) for name in
                     ("borough", "primary_care", "outcomes", "housing", "schools")]


def test_html_text_set_straight_in_a_div_beside_paragraphs_is_kept(tmp_path):
    # GOV.UK's inset text and the body of a details expander: a div of text, no <p>
    path = tmp_path / "guidance.html"
    path.write_text(
        "<html><body><main><p>People in the most deprived parts of the district are more "
        "likely to be admitted after a fall, even after allowing for age.</p>"
        "<div class='govuk-inset-text'>Areas that pooled housing, public health and primary "
        "care data found the people at risk two years sooner.</div><details><summary>Help "
        "with setting priorities</summary><div class='govuk-details__text'>If your area has "
        "not done this before, begin with the outcomes residents care about most.</div>"
        "</details><p>You can refer yourself by calling the community health trust, or ask "
        "your GP to refer you.</p></main></body></html>", "utf-8")
    prose = [p.text[:14] for p in segment(read_document(path)) if p.kind == "prose"]
    assert prose == ["People in the ", "Areas that poo", "If your area h", "You can refer "]


# a paragraph making a page long enough for trafilatura; without it, the walker reads it
_LONGER = ("<p>Men in the most deprived wards of the borough live nine years fewer than men "
           "in the least deprived, and spend more of those years in poor health.</p>")


@pytest.mark.parametrize("intro", [_LONGER, ""])
def test_html_accordion_titles_and_a_banner_heading_head_their_text(tmp_path, intro):
    # section titles set in buttons (inside a heading, or bare with aria-expanded) and
    # the page's <h1> in a banner above <main>: dropped with the buttons and the banner
    path = tmp_path / "inequalities.html"
    path.write_text(
        "<html><body><header><a href='/'>Anytown Council</a></header><div class='hero'>"
        f"<h1>Health inequalities</h1></div><main>{intro}"
        "<button class='govuk-accordion__show-all' aria-expanded='false'>Show all "
        "sections</button><div class='accordion'><h3><button type='button' "
        "aria-expanded='false' aria-controls='one'>Why they happen</button></h3><div "
        "id='one'><p>Income, housing, education and work shape the chances people have to "
        "live healthy lives.</p></div><button class='accordion' aria-expanded='false'>What "
        "we are doing</button><div class='panel'><p>We are making it easier for people in "
        "the east of the borough to see a GP.</p></div></div></main></body></html>", "utf-8")
    passages = {p.text[:10]: (p.kind, p.heading_path) for p in segment(read_document(path))}
    assert passages["Income, ho"] == ("prose", ("Health inequalities", "Why they happen"))
    assert passages["We are mak"] == ("prose", ("Health inequalities", "What we are doing"))
    assert "Show all s" not in passages
    if intro:
        assert passages["Men in the"] == ("prose", ("Health inequalities",))


def test_html_text_after_an_embed_is_kept_and_notes_numbers_dropped(tmp_path):
    path = tmp_path / "post.html"
    path.write_text(f"<html><body><main>{_LONGER}<p>The slides are shown here <embed "
                    "src='slides.pdf'> and the full report is on the needs assessment page."
                    "</p><p>Seven domains contributing<sup id='r1'><a href='#fn1'>1</a></sup> "
                    "to the index are weighted.</p></main></body></html>", "utf-8")
    text = read_document(path).text
    assert "the full report is on the needs assessment page" in text
    assert "Seven domains contributing to the index are weighted." in text


@pytest.mark.parametrize("outro", [_LONGER, ""])
def test_html_nested_list_items_are_read_once_in_order(tmp_path, outro):
    path = tmp_path / "priorities.html"
    path.write_text(
        "<html><body><main><p>The board agreed these priorities:</p><ul><li>The best start "
        "in life, including:<ul><li>health visitor contacts</li><li>free school meals</li>"
        "</ul></li><li>Easier access to a GP</li><li>Warmer homes, by:<ol><li>insulating "
        f"council homes</li></ol></li></ul>{outro}</main></body></html>", "utf-8")
    lists = [p.text for p in segment(read_document(path)) if p.kind == "list"]
    assert lists == ["The board agreed these priorities:\nThe best start in life, including:\n"
                     "health visitor contacts\nfree school meals\nEasier access to a GP\n"
                     "Warmer homes, by:\ninsulating council homes"]


def test_html_headings_trafilatura_drops_outside_containers_it_knows_are_put_back(tmp_path):
    # a committee system's page: no <main>, no "content" id, so trafilatura kept only
    # the paragraphs; a heading after the text read (a related-links box) stays out
    sections = "".join(
        f"<h3>{name}</h3><p>The cabinet agreed that the {name.lower()} should be reviewed "
        "with residents of the estates most affected by the cost of living.</p>"
        for name in ("Housing plan", "Transport plan", "Leisure plan"))
    path = tmp_path / "decision.html"
    path.write_text(
        "<html><body><nav><h2>Site menu</h2><a href='/'>Home</a></nav><div id='modgov'>"
        "<div class='mgSubTitle'><h2>Decisions on the estates</h2></div><div class="
        f"'mgContent'>{sections}</div><h4>Related links</h4></div></body></html>", "utf-8")
    passages = [(p.kind, p.heading_path) for p in segment(read_document(path))]
    top = "Decisions on the estates"
    assert passages == [("heading", (top,)), ("heading", (top, "Housing plan")),
                        ("prose", (top, "Housing plan")), ("heading", (top, "Transport plan")),
                        ("prose", (top, "Transport plan")), ("heading", (top, "Leisure plan")),
                        ("prose", (top, "Leisure plan"))]


def test_html_page_laid_out_in_a_table_and_a_quotes_attribution(tmp_path):
    # an older council site: the page's content in one cell of a layout table, beside a
    # navigation cell; and a news story's quotation, its paragraph then who said it
    path = tmp_path / "old-site.html"
    path.write_text(
        "<html><body><table><tr><td><a href='/'>Home</a></td><td>"
        "<h2>Who falls most</h2><p>People in the most deprived parts of the district are "
        "more likely to be admitted after a fall, even after allowing for age.</p>"
        "<ul><li>a strength and balance class</li><li>grab rails at home</li></ul>"
        "<p>You can refer yourself by calling the community health trust, or ask your "
        "GP to refer you.</p></td></tr></table></body></html>", "utf-8")
    passages = [(p.kind, p.text) for p in segment(read_document(path))]
    assert ("heading", "Who falls most") in passages
    assert ("list", "a strength and balance class\ngrab rails at home") in passages
    assert any(text.startswith("You can refer yourself") and text.endswith("refer you.")
               for kind, text in passages if kind == "prose")
    quoted = tmp_path / "news.html"
    quoted.write_text(
        "<html><body><article><p>People in the most deprived parts of the district are more "
        "likely to be admitted after a fall, even after allowing for age.</p><blockquote>"
        "<p>Nobody should have to choose between heating and eating this winter.</p>"
        "<cite>A resident</cite></blockquote><p>You can refer yourself by calling the "
        "community health trust, or ask your GP to refer you.</p></article></body></html>",
        "utf-8")
    assert any(text.endswith("this winter. A resident")
               for text in (p.text for p in segment(read_document(quoted))))


# --- plain text and Markdown -----------------------------------------------------------------

def test_markdown_headings_lists_tables_bold_lines_and_links(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "# Fairer Kelbeck\n\n**Key findings**\n\n"
        "**Children in the poorest wards are twice as likely to be admitted with asthma.**\n\n"
        "The **committee** read the [housing report](https://example.org/r) on damp "
        "homes.\n\n"
        "| Ward | Poverty |\n|---|---|\n| East | 31% |\n| West | 12% |\n\n"
        "The board will:\n\n- inspect rented homes\n- fund insulation\n  in older homes\n\n"
        "![map](map.png)\n\n12\n", "utf-8")
    doc = read_document(path)
    assert doc.format == "markdown" and doc.title == "Fairer Kelbeck"
    assert [(p.kind, p.text) for p in segment(doc)] == [
        ("heading", "Fairer Kelbeck"), ("heading", "Key findings"),
        ("prose", "Children in the poorest wards are twice as likely to be admitted with "
                  "asthma."),
        ("prose", "The committee read the housing report on damp homes."),
        ("table", "Ward | Poverty\nEast | 31%\nWest | 12%"),
        ("list", "The board will:\ninspect rented homes\nfund insulation in older homes")]


def test_a_long_caption_labelled_figure_n_colon_is_a_caption_however_long(tmp_path):
    detail = " ".join(["Bars show the rate per 1,000 residents in each decile, with 95% "
                       "confidence intervals from the binomial distribution."] * 6)
    path = tmp_path / "figures.md"
    path.write_text(f"Figure 2: (left) Rates of contact by deprivation decile. {detail}\n\n"
                    f"Figure 3 Rates by ward and year. {detail}\n", "utf-8")
    kinds = [p.kind for p in segment(read_document(path))]
    assert kinds[0] == "caption"  # over 80 words, labelled "Figure 2:"
    assert "caption" not in kinds[1:]  # as long, with no mark after its number: prose


def test_markdown_cover_table_values_are_paragraphs_under_their_labels(tmp_path):
    path = tmp_path / "paper.md"
    path.write_text("# Board paper\n\n| Item | Detail |\n|---|---|\n"
                    "| Purpose | To approve outreach clinics for people who miss appointments. |\n"
                    "| Author | Jane Smith |\n", "utf-8")
    assert [(p.kind, p.text, p.heading_path) for p in segment(read_document(path))] == [
        ("heading", "Board paper", ("Board paper",)),
        ("table", "Item | Detail", ("Board paper",)),
        ("heading", "Purpose", ("Board paper", "Purpose")),
        ("prose", "To approve outreach clinics for people who miss appointments.",
         ("Board paper", "Purpose")),
        ("table", "Author | Jane Smith", ("Board paper", "Purpose"))]


def test_markdown_from_a_pdf_converter_loose_bold_and_broken_paragraphs(tmp_path):
    path = tmp_path / "converted.md"
    path.write_text("**Our priorities **\n\nWe will work with schools, GP practices and\n\n"
                    "housing associations to reach families before winter.\n\n7\n", "utf-8")
    doc = read_document(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Our priorities"),
        ("paragraph", "We will work with schools, GP practices and housing associations to "
                      "reach families before winter.")]


def test_markdown_from_a_pdf_converter_marks_it_leaves_behind(tmp_path):
    """What PDF-to-Markdown converters write: items numbered in bold or marked with a
    glyph, a bold heading on the line above its text, a footer repeated on every page
    inside sentences, deletions struck through, `<br>` and merged cells in tables, and a
    year ending a sentence alone on a line (an empty numbered item to CommonMark)."""
    footer = "Annual Review of Local Services 2024"
    path = tmp_path / "converted.md"
    path.write_text(
        "The recommendations are:\n\n**1.** The council to promote the national\n"
        "weather plan.\n\n**2. **Partners to map heat risk.\n\n"
        "The report focuses on:\n\n\u21ea How heat affects\nhealth in the city.\n"
        "\u21ea What is already happening.\n\n"
        "**Rising temperatures**\nThe city has warmed since\n\n1884.\n\n"
        f"Boards should act on local conditions, extending\n\n{footer}\n\n"
        "activity beyond anchor approaches.\n\n"
        f"The group includes ~~eight~~ seven partners, and\n\n{footer}\n\n"
        f"more will join.\n\nWe will report each year to the board.\n\n{footer}\n\n"
        "|Summary|Col2|\n|---|---|\n|Agreed in<br>March by partners|Agreed in<br>March by "
        "partners|\n", "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("list", "The recommendations are:\nThe council to promote the national weather "
                 "plan.\nPartners to map heat risk."),
        ("list", "The report focuses on:\nHow heat affects health in the city.\n"
                 "What is already happening."),
        ("heading", "Rising temperatures"),
        ("prose", "The city has warmed since 1884."),
        ("prose", "Boards should act on local conditions, extending activity beyond "
                  "anchor approaches."),
        ("prose", "The group includes seven partners, and more will join."),
        ("prose", "We will report each year to the board."),
        ("table", "Summary | Col2\nAgreed in March by partners")]


def test_markdown_footnotes_and_cell_marks_between_a_sentences_halves(tmp_path):
    path = tmp_path / "converted.md"
    path.write_text(
        "Rates in the poorest areas were double and survival remained lower\n\n\n"
        "_1_ _National dashboard_\n_2_ _Deaths by age (August 2021)_\n\n\n7\n\n\n"
        "after adjusting for age and sex.\n\nThe Board will meet in private\n\n**N**\n\n"
        "due to the nature of the business.\n\nIt had already acted by:\n\n-\n\n"
        "Cutting costs while keeping standards high.\n\n-\n\nWorking with partners.\n",
        "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("prose", "Rates in the poorest areas were double and survival remained lower "
                  "after adjusting for age and sex."),
        ("footnote", "1 National dashboard 2 Deaths by age (August 2021)"),
        ("prose", "The Board will meet in private due to the nature of the business."),
        ("fragment", "N"),
        ("list", "It had already acted by:\nCutting costs while keeping standards high.\n"
                 "Working with partners.")]


def test_markdown_lead_ins_said_again_are_not_running_lines(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("".join(f"## Priority {n}\n\nTo achieve this, we will:\n\n- act {n}\n\n"
                            for n in (1, 2, 3)), "utf-8")
    lists = [p.text for p in segment(read_document(path)) if p.kind == "list"]
    assert lists == [f"To achieve this, we will:\nact {n}" for n in (1, 2, 3)]


def test_notes_under_a_references_heading_are_references(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("Waits are longest in the east of the borough.\n\n## References\n\n"
                    "_1_ _Office for Health Improvement. Local profiles. 2024._\n", "utf-8")
    assert [p.kind for p in segment(read_document(path))] == ["prose", "heading", "reference"]


def test_a_downloads_name_and_how_to_work_a_chart_are_not_prose(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><main><h2>Falls</h2><p>Falls are the commonest cause of "
                    "injury in people over seventy-five in the county.</p><p><i class='fa'></i> "
                    "<a href='f.pdf'>Falls report - Spring 2019, PDF document.</a></p>"
                    "<p>Hip fractures by district (XLSX, 40KB)</p><p>Use the drop down menu below "
                    "to select a different area.</p></main></body></html>",
                    "utf-8")
    assert [p.kind for p in segment(read_document(path))] == [
        "heading", "prose", "fragment", "fragment", "fragment"]


def test_a_strapline_of_parts_set_apart_by_bars_is_not_prose(tmp_path):
    path = tmp_path / "newsletter.md"
    path.write_text("# Healthy Ravensby\n\nAutumn 2025 | Issue 14 | News from the public "
                    "health team at Ravensby Borough Council\n\nThe new health hubs opened "
                    "in three wards this autumn, and more are planned for next year.\n",
                    "utf-8")
    assert [p.kind for p in segment(read_document(path))] == ["heading", "fragment", "prose"]


def test_markdown_items_and_sentences_cut_at_blank_lines(tmp_path):
    path = tmp_path / "converted.md"
    path.write_text(
        "4. As a result, the panel made six proposals, which the\n\nCouncil has accepted "
        "in full.\n\nPoint 2: More training is needed in every team to improve outcomes for "
        "residents,"
        "\n\n\nPoint 3: The old office duplicates work done elsewhere.\n\nSchool data "
        "included the share of children achieving a good level of development\n\n[39]; "
        "the rest came from the council.\n", "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("list", "As a result, the panel made six proposals, which the Council has "
                 "accepted in full."),
        ("prose", "Point 2: More training is needed in every team to improve outcomes for "
                  "residents,"),
        ("prose", "Point 3: The old office duplicates work done elsewhere."),
        ("prose", "School data included the share of children achieving a good level of "
                  "development [39]; the rest came from the council.")]


def test_markdown_converted_line_by_line_keeps_a_title_on_a_line_alone_apart(tmp_path):
    lines = ["We are the health and care partnership", "for the five places of the county and",
             "its people, working with councils", "Data sources", "Housing data came from",
             "the council and the census of", "2021 and the survey of", "homes in the",
             "county, and benefits data from", "the department for work and", "pensions."]
    path = tmp_path / "easy.md"
    path.write_text("\n\n".join(lines) + "\n", "utf-8")
    texts = [p.text for p in segment(read_document(path))]
    assert texts[0] == " ".join(lines[:3])
    assert texts[-1] == " ".join(lines[4:])


@pytest.mark.parametrize("name", ["paper.md", "paper.txt"])
def test_a_plain_title_on_the_line_above_its_text_is_a_heading(tmp_path, name):
    path = tmp_path / name
    path.write_text("Data analysis\nA simple analysis was carried out, and where possible "
                    "the data were split\nby age group and by ward.\n", "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("heading", "Data analysis"),
        ("prose", "A simple analysis was carried out, and where possible the data were "
                  "split by age group and by ward.")]


def test_a_heading_over_a_list_that_reads_as_its_lead_in_is_one(tmp_path):
    path = tmp_path / "minutes.md"
    path.write_text("## RESOLVED - That the Board:\n\n- note the progress made;\n"
                    "- ask for a report in March.\n\n## Key findings:\n\n"
                    "- Waits are longest in the east.\n- Uptake is lowest in the north.\n",
                    "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("list", "RESOLVED - That the Board:\nnote the progress made;\n"
                 "ask for a report in March."),
        ("heading", "Key findings:"),
        ("list", "Waits are longest in the east.\nUptake is lowest in the north.")]


@pytest.mark.parametrize("stamp", ["00:00:{:02d}.000 ", "[00:{:02d}] "])
def test_a_transcripts_timestamps_and_sound_cues_are_dropped(tmp_path, stamp):
    lines = ["Good morning and welcome to the health scrutiny board. We", "[Music]",
             "are recording this meeting. Thank you, chair. I wanted to",
             "ask about waiting times in the east of the city."]
    path = tmp_path / "meeting.txt"
    path.write_text("\n".join(stamp.format(4 * k) + line for k, line in enumerate(lines)),
                    "utf-8")
    assert [p.text for p in segment(read_document(path))] == [
        "Good morning and welcome to the health scrutiny board. We are recording this "
        "meeting. Thank you, chair. I wanted to ask about waiting times in the east of the "
        "city."]


def test_a_transcripts_speaker_turns_are_paragraphs(tmp_path):
    path = tmp_path / "board.txt"
    path.write_text(
        "CHAIR: Welcome to the board. We will move straight on to item four.\n"
        "CLLR PATEL: Thank you. The gap in life expectancy between the east and the west\n"
        "of the borough seems to have widened again.\n"
        "Sarah Jones (Director of Public Health): The cost of living has hit the same wards "
        "hardest.\n\nThe committee noted the report: the figures\nwill follow.\n", "utf-8")
    assert [p.text for p in segment(read_document(path))] == [
        "CHAIR: Welcome to the board. We will move straight on to item four.",
        "CLLR PATEL: Thank you. The gap in life expectancy between the east and the west of "
        "the borough seems to have widened again.",
        "Sarah Jones (Director of Public Health): The cost of living has hit the same wards "
        "hardest.",
        "The committee noted the report: the figures will follow."]


@pytest.mark.parametrize("matter", [
    "---\nlayout: single\ntitle: 'Coastal health'\ntags:\n  - jsna\n  - coast\ntoc: true\n---\n",
    "+++\ntitle = \"Coastal health\"\ndraft = false\n+++\n"])
def test_markdown_front_matter_is_not_text_and_gives_the_title(tmp_path, matter):
    path = tmp_path / "coast.md"
    path.write_text(f"{matter}\nA third of residents live in coastal towns, where health is "
                    "worse than inland.\n", "utf-8")
    doc = read_document(path)
    assert doc.title == "Coastal health"
    assert [p.text for p in segment(doc)] == [
        "A third of residents live in coastal towns, where health is worse than inland."]


def test_markdown_opening_with_a_rule_over_prose_keeps_its_text(tmp_path):
    path = tmp_path / "notes.md"
    text = "Coastal towns have worse health than inland ones, for reasons of work and housing."
    path.write_text(f"---\n{text}\n\n---\n\nMore follows here about the data.\n", "utf-8")
    assert text in read_document(path).text


@pytest.mark.parametrize("preamble", [
    "---\nlayout: single\ntitle: 'Early years needs assessment'\n---\n",  # Jekyll source
    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"])  # curl -i
def test_html_after_front_matter_or_http_headers_with_br_paragraphs(tmp_path, preamble):
    path = tmp_path / "post.html"
    path.write_text(
        f"{preamble}<p>A good start in life lays the foundations for health in later life."
        "<br />\n<br />\nThe unit reviewed the evidence and spoke with families across "
        "the county.<br />\n<br />\nThe recommendations are set out in a summary.</p>",
        "utf-8")
    doc = read_document(path)
    assert doc.format == "html"
    assert [p.text for p in segment(doc)] == [
        "A good start in life lays the foundations for health in later life.",
        "The unit reviewed the evidence and spoke with families across the county.",
        "The recommendations are set out in a summary."]
    if preamble.startswith("---"):
        assert doc.title == "Early years needs assessment"


def test_markdown_sub_items_stay_in_the_list_of_the_item_leading_into_them(tmp_path):
    path = tmp_path / "scope.md"
    path.write_text("The scope of the board covers:\n\n* interoperability standards\n"
                    "* a catalogue of standards, including:\n\n  - clinical terms\n"
                    "  - message formats\n\nThe board meets each quarter.\n", "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("list", "The scope of the board covers:\ninteroperability standards\n"
                 "a catalogue of standards, including:\nclinical terms\nmessage formats"),
        ("prose", "The board meets each quarter.")]


def test_pandoc_markup_and_footnotes_in_markdown(tmp_path):
    # pandoc's docx-to-Markdown and Quarto's output: fenced divs, attributes, raw HTML
    # (a folded code cell's switch), a code cell's output, footnotes
    path = tmp_path / "board.md"
    path.write_text(
        "# Introduction{#toc-introduction}\n\n::: {custom-style=\"Body Text\"}\nThe board "
        "noted the [Director of Public Health]{.underline} annual report on child poverty."
        "[^1]\n:::\n\n::: {.cell}\n`<details>\n<summary>`{=html}Code`</summary>`{=html}"
        "\n\n```r\nlibrary(spatstat)\n```\n\n```{=html}\n</details>\n```\n"
        "::: {.cell-output .cell-output-stderr}\n    Warning: package 'spatstat' was built "
        "under R version 4.3.3\n:::\n:::\n\nLife expectancy fell in the most deprived "
        "areas.<sup>3</sup>\n\n[^1]: Joint Health and Wellbeing Strategy, page 4.\n", "utf-8")
    passages = [(p.kind, p.text) for p in segment(read_document(path))]
    assert ("heading", "Introduction") in passages
    assert ("prose", "The board noted the Director of Public Health annual report on child "
                     "poverty.") in passages
    assert ("prose", "Life expectancy fell in the most deprived areas.") in passages
    assert ("footnote", "Joint Health and Wellbeing Strategy, page 4.") in passages
    assert not any("Warning" in text or "details" in text or text == "Code"
                   for kind, text in passages)


def test_markdown_code_output_indented_under_fenced_code_is_not_prose(tmp_path):
    # Quarto's GitHub Markdown: a code cell fenced, its output indented four spaces
    output = ("    Warning: the size argument is deprecated as of version 3.4.0, so please "
              "use the linewidth argument instead.\n")
    path = tmp_path / "datapack.md"
    path.write_text(f"```r\nlibrary(spatstat)\n```\n\n{output}\nOur categories are:\n\n"
                    "- access to services, and\n\n    the experience of patients\n"
                    "- health-related behaviours\n", "utf-8")
    passages = [(p.kind, p.text) for p in segment(read_document(path))]
    assert ("list", "Our categories are:\naccess to services, and the experience of "
                    "patients") in passages  # a list's indented text is not code
    assert not any("Warning" in text for kind, text in passages if kind in ("prose", "list"))
    plain = tmp_path / "converted.md"  # no fenced code: indentation is the converter's
    plain.write_text(f"Intro line of the page.\n\n{output}", "utf-8")
    assert any("Warning" in p.text for p in segment(read_document(plain)))


def test_markdown_folded_code_cells_switch_is_not_text(tmp_path):
    # GitHub Markdown from Quarto: each folded code cell says "Code" in a <details>; a
    # dozen of them made the file look converted line by line, gluing paragraphs on
    cells = "".join("<details>\n<summary>Code</summary>\n\n```r\nx <- 1\n```\n\n"
                    "</details>\n\n" for _ in range(10))
    path = tmp_path / "datapack.md"
    path.write_text(f"{cells}We analyse the data in these categories:\n\n- Resources\n"
                    "- Access\n\nFor further information please contact the team.\n", "utf-8")
    passages = [(p.kind, p.text) for p in segment(read_document(path))]
    assert ("prose", "For further information please contact the team.") in passages
    assert not any(text == "Code" for _, text in passages)


def test_markdown_lists_of_links_or_downloads_are_not_labelled(tmp_path):
    path = tmp_path / "early-years.md"
    path.write_text(
        "- [Introduction](#introduction)\n- [ICB overview](#icb-overview)\n\nChildren in "
        "the most deprived wards are less likely to be ready for school.\n\n"
        "- [Community engagement](a.pdf) (PDF, 6.4Mb)\n- [Needs assessment](b.pdf) (PDF, "
        "1.1Mb)\n\nRead more:\n\n* [Marmot Review 10 years on](https://example.org/m)\n"
        "* [Fair Society, Healthy Lives](https://example.org/f)\n\nOur partners are:\n\n"
        "- [Anytown Council](https://anytown.gov.uk), which leads on housing\n- the "
        "integrated care board\n", "utf-8")
    assert [p.kind for p in segment(read_document(path))] == [
        "contents", "prose", "fragment", "fragment", "fragment", "list"]


@pytest.mark.parametrize("mark", ["[12]", "\u00b9", "[3, 4]"])
def test_a_short_sentence_ending_on_a_notes_mark_is_prose(tmp_path, mark):
    path = tmp_path / "key.txt"
    path.write_text(f"Smoking is most common in manual jobs.{mark}\n", "utf-8")
    assert [p.kind for p in segment(read_document(path))] == ["prose"]


def test_markdown_without_headings_of_its_own_reads_title_lines_as_headings(tmp_path):
    # plain text saved as .md: its headings are lines set alone, as in a .txt file
    path = tmp_path / "minutes.md"
    path.write_text("Adopting standards\n\nThe board discussed whether to adopt a standard "
                    "used in England.\n\nAny other business\n\nThe minutes were agreed.\n",
                    "utf-8")
    assert [(p.kind, p.heading_path) for p in segment(read_document(path))] == [
        ("heading", ("Adopting standards",)), ("prose", ("Adopting standards",)),
        ("heading", ("Any other business",)), ("prose", ("Any other business",))]


@pytest.mark.parametrize("suffix", [".md", ".txt"])
@pytest.mark.parametrize("marks", [("a.", "b.", "c."), ("(i)", "(ii)", "(iii)"),
                                   ("A  ", "B  ", "C  ")])
def test_paragraphs_lettered_in_turn_are_one_list_with_their_lead_in(tmp_path, suffix, marks):
    items = [f"{mark} {text}" for mark, text in zip(marks, (
        "Pay £150 for repairs to the community centre.", "Give £90 to the food bank.",
        "Spend £45 on the hall in March."))]
    path = tmp_path / f"minutes{suffix}"
    path.write_text("The council approved these payments:\n\n" + "\n\n".join(items)
                    + "\n\nThe clerk will report in May.\n", "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("list", "\n".join(["The council approved these payments:",
                            *(" ".join(item.split()) for item in items)])),
        ("prose", "The clerk will report in May.")]


def test_a_forms_questions_head_their_answers_and_tick_boxes_are_not_prose(tmp_path):
    first = "How will the proposal affect health inequalities and disadvantage?"
    second = "Which groups could be affected?"
    path = tmp_path / "eia.txt"
    path.write_text(
        f"{first}\n\nSmoking is the largest cause of the gap in life expectancy, so more "
        f"quits in deprived areas will narrow it.\n\n{second}\n\n\u2612 Age \u2612 "
        "Disability \u2610 Race \u2610 Sex\n\nWhy does this matter to residents? Because "
        "it is where the gap starts.\n", "utf-8")
    assert [(p.kind, p.heading_path) for p in segment(read_document(path))] == [
        ("heading", (first,)), ("prose", (first,)), ("heading", (second,)),
        ("fragment", (second,)), ("prose", (second,))]


def _text_kinds(path, text: str) -> list[str]:
    """The kinds of the passages of `text` written to `path` and read."""
    path.write_text(text, "utf-8")
    return [p.kind for p in segment(read_document(path))]


def test_a_key_to_ratings_is_a_caption_and_fields_a_fragment(tmp_path):
    assert _text_kinds(tmp_path / "plan.md",
                       "Date: Thursday 14 March 2024  \nVenue: Committee Room 1, Town Hall  \n"
                       "Contact: Democratic Services, 01632 960 412\n\nKey: Red = not on "
                       "track, action needed; Amber = some risk to delivery; Green = on "
                       "track.\n\nMembers of the public are welcome to attend this meeting.\n"
                       ) == ["fragment", "caption", "prose"]


def test_statistic_tiles_captions_are_not_prose(tmp_path):
    assert _text_kinds(tmp_path / "profile.txt",
                       "71.3    38%    1 in 3    2x\n\nyears of male life expectancy, below "
                       "the borough average\nof children in Year 6 are overweight or obese"
                       "\n\n£24k 41% 14 median household income, the lowest in the borough"
                       "\n\nNorthgate has some of the poorest health outcomes in the borough."
                       "\n") == ["fragment", "fragment", "fragment", "prose"]


def test_a_printed_web_pages_cookie_notice_and_feedback_prompt_are_not_prose(tmp_path):
    assert _text_kinds(tmp_path / "printed.txt",
                       "We use some essential cookies to make this website work. We would "
                       "also like to set analytics cookies.\n\nWas this page helpful? Yes No"
                       "\n\nChildren who eat cookies and sweets every day have more tooth "
                       "decay.\n") == ["fragment", "fragment", "prose"]


def test_one_question_alone_is_a_call_outs_title_and_stays_prose(tmp_path):
    path = tmp_path / "strategy.txt"
    path.write_text("Why this matters\n\nMost of what makes us healthy happens outside the "
                    "health service.\n\nDid you know?\n\nMen in the most deprived wards live "
                    "nine years less.\n\nThe cost of living has made things harder.\n",
                    "utf-8")
    assert {p.heading_path for p in segment(read_document(path))} == {("Why this matters",)}


def test_markdown_agenda_item_title_with_its_presenter_is_a_heading(tmp_path):
    path = tmp_path / "minutes.md"
    title = "8. Planning - Frank Reid (for Dave Horkan in his absence)"
    path.write_text("# Minutes\n\n**_8.    Planning_** - Frank Reid (for Dave Horkan in his "
                    "absence)\n\n"
                    " Work will begin in the next period to treat the village notice board.\n"
                    "\n**Note** — this is emphasis, not a title, and the sentence goes on.\n",
                    "utf-8")
    assert [(p.kind, p.heading_path[-1:]) for p in segment(read_document(path))][1:] == [
        ("heading", (title,)), ("prose", (title,)), ("prose", (title,))]


def test_markdown_bold_title_styled_with_a_stop_is_a_heading(tmp_path):
    path = tmp_path / "minutes.md"
    path.write_text("**_Village Mower._**\n\nHas been serviced at a cost of £150 by a local "
                    "firm.\n\n**We will act on it.**\n\nThe parish will review it.\n", "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("heading", "Village Mower."),
        ("prose", "Has been serviced at a cost of £150 by a local firm."),
        ("prose", "We will act on it. The parish will review it.")]  # a sentence, not a title


def test_running_lines_and_page_numbers_in_text_with_form_feeds(tmp_path):
    path = tmp_path / "notes.md"
    pages = [f"Kelbeck Council minutes\n\n# Item {n}\n\nThe **committee** read the "
             f"[housing report](https://example.org/{n}) on damp homes.\n\n{n}" for n in (1, 2)]
    path.write_text("\f".join(pages), "utf-8")
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == [
        "Item 1", "The committee read the housing report on damp homes.",
        "Item 2", "The committee read the housing report on damp homes."]


# --- DOCX ---------------------------------------------------------------------------------

def _docx(path, *, rendered_breaks: bool = False):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Bryn Afon Council - Cabinet"
    document.sections[0].footer.paragraphs[0].text = "Page 1"
    document.add_paragraph("Cost of living report", style="Title")
    document.add_heading("1. Purpose", level=1)
    document.add_paragraph("This report sets out the council's response to rising energy "
                           "and food prices.")
    document.add_heading("1.1 Background", level=2)
    document.add_paragraph("Outreach advice sessions in the valleys", style="List Bullet")
    document.add_paragraph("Warm spaces in libraries", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("Measure", "2021", "2022"), ("Households helped", "410", "1,250")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Table 1: Households helped by the scheme", style="Caption")
    box = document.add_table(rows=1, cols=1)
    box.cell(0, 0).text = "Recommendation: Cabinet is asked to approve the programme."
    if rendered_breaks:
        paragraph = document.add_paragraph()
        paragraph.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))
        paragraph.add_run("Second page text about fuel poverty and health.")
    else:
        document.add_page_break()
        document.add_paragraph("Second page text about fuel poverty and health.")
    document.save(str(path))
    return path


_RUN_INS = (("Summary:", "The health of people in the borough is not improving as we "
                         "would wish."),
            ("DO NOT", "include any names in the free text sections of the form."),
            ("Please note:", "we are updating this page, so check back soon for reports."))


def _run_in_file(path):
    """`_RUN_INS` as paragraphs opening with a bold run, in the format `path` names."""
    if path.suffix == ".docx":
        document = docx.Document()
        for lead, rest in _RUN_INS:
            paragraph = document.add_paragraph()
            paragraph.add_run(lead).bold = True
            paragraph.add_run(" " + rest)
        document.save(str(path))
    elif path.suffix == ".md":
        path.write_text("".join(f"**{lead}** {rest}\n\n" for lead, rest in _RUN_INS), "utf-8")
    else:
        paragraphs = "".join(f"<p><b>{lead}</b> {rest}</p>" for lead, rest in _RUN_INS)
        path.write_text(f"<html><body><main>{paragraphs}</main></body></html>", "utf-8")
    return path


@pytest.mark.parametrize("name", ["run-in.docx", "run-in.md", "run-in.html"])
def test_a_bold_run_in_title_is_a_label_and_bold_emphasis_stays(tmp_path, name):
    doc = read_document(_run_in_file(tmp_path / name))
    assert [(b.kind, b.level, b.text[:16]) for b in doc.blocks] == [
        ("heading", 9, "Summary:"), ("paragraph", 0, "The health of pe"),
        ("paragraph", 0, "DO NOT include a"), ("paragraph", 0, "Please note: we ")]


def test_docx_tracked_changes_read_as_accepted(tmp_path):
    # a paragraph with a deletion and an insertion still marked: the text as accepted
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    paragraph = document.add_paragraph("Applications to the fund rose by ")
    paragraph._p.append(parse_xml(f'<w:del {ns} w:id="1" w:author="A"><w:r><w:delText>12'
                                  '</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:ins {ns} w:id="2" w:author="A"><w:r><w:t>18</w:t>'
                                  '</w:r></w:ins>'))
    paragraph.add_run(" per cent in the year to March.")
    document.save(str(tmp_path / "tracked.docx"))
    assert read_document(tmp_path / "tracked.docx").text == (
        "Applications to the fund rose by 18 per cent in the year to March.")


def test_docx_headings_lists_tables_captions_and_pages(tmp_path):
    doc = read_document(_docx(tmp_path / "cabinet.docx"))
    assert (doc.format, doc.n_pages, doc.title) == ("docx", 2, "Cost of living report")
    assert [(b.kind, b.text, b.page) for b in doc.blocks] == [
        ("heading", "Cost of living report", 1),
        ("heading", "1. Purpose", 1),
        ("paragraph", "This report sets out the council's response to rising energy and food "
                      "prices.", 1),
        ("heading", "1.1 Background", 1),
        ("list", "Outreach advice sessions in the valleys\nWarm spaces in libraries", 1),
        ("table", "Measure | 2021 | 2022\nHouseholds helped | 410 | 1,250", 1),
        ("caption", "Table 1: Households helped by the scheme", 1),
        ("paragraph", "Recommendation: Cabinet is asked to approve the programme.", 1),
        ("paragraph", "Second page text about fuel poverty and health.", 2),
    ]
    assert doc.blocks[4].heading_path == ("1. Purpose", "1.1 Background")
    assert "Bryn Afon Council" not in doc.text and "Page 1" not in doc.text


def test_docx_counts_words_last_rendered_page_breaks(tmp_path):
    doc = read_document(_docx(tmp_path / "saved-by-word.docx", rendered_breaks=True))
    assert doc.n_pages == 2 and doc.blocks[-1].page == 2


_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')


def _text_box_run(text: str, title: str = ""):
    """A run holding a text box as Word writes it: the drawing, and a VML fallback copy
    (with `title`, a paragraph in bold before the text)."""
    heading = f"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{title}</w:t></w:r></w:p>" if title else ""
    content = (f"<w:txbxContent>{heading}<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
               "</w:txbxContent>")
    return parse_xml(
        f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        f'<a:graphic><a:graphicData><wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp>'
        f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>'
        f'<w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>'
        f'</mc:AlternateContent></w:r>')


def _add_footnotes(path, notes: dict[int, str]) -> None:
    body = "".join(f'<w:footnote w:id="{key}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
                   "</w:footnote>" for key, text in notes.items())
    part = (f'<w:footnotes {_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
            f"<w:separator/></w:r></w:p></w:footnote>{body}</w:footnotes>")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/footnotes.xml", part)


def test_docx_call_outs_title_heads_only_its_box(tmp_path):
    document = docx.Document()
    document.add_heading("Why this matters", level=1)
    anchor = document.add_paragraph("Most of what makes us healthy happens outside the "
                                    "health service.")
    anchor._p.append(_text_box_run("Men in our most deprived wards live 9.8 years less.",
                                   title="Life expectancy gap"))
    question = document.add_paragraph("Most of the gap comes from heart disease and cancer.")
    question._p.append(_text_box_run("One child in four grows up in poverty in the borough.",
                                     title="Did you know?"))
    document.add_paragraph("The cost of living crisis has made things harder for families.")
    path = tmp_path / "call-out.docx"
    document.save(str(path))
    passages = [(p.kind, p.heading_path, p.text[:12]) for p in segment(read_document(path))]
    assert passages[-1] == ("prose", ("Why this matters",), "The cost of ")
    assert ("fragment", ("Why this matters",), "Life expecta") in passages
    assert ("fragment", ("Why this matters",), "Did you know") in passages


def test_docx_text_box_read_once_and_footnotes_as_footnote_passages(tmp_path):
    document = docx.Document()
    document.add_heading("Carers", level=1)
    anchor = document.add_paragraph("Unpaid carers in the most deprived areas report worse "
                                    "health than other carers.")
    reference = OxmlElement("w:r")
    mark = OxmlElement("w:footnoteReference")
    mark.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}id", "1")
    reference.append(mark)
    anchor._p.append(reference)
    anchor._p.append(_text_box_run("Contact or referral when the carer asks for help."))
    document.add_paragraph("A second paragraph about respite care and its funding.")
    path = tmp_path / "carers.docx"
    document.save(str(path))
    _add_footnotes(path, {1: "Carers UK, State of Caring survey 2022."})
    doc = read_document(path)
    assert [(p.kind, p.text) for p in segment(doc)] == [
        ("heading", "Carers"),
        ("prose", "Unpaid carers in the most deprived areas report worse health than other "
                  "carers."),
        ("prose", "Contact or referral when the carer asks for help."),
        ("footnote", "Carers UK, State of Caring survey 2022."),
        ("prose", "A second paragraph about respite care and its funding.")]


def test_docx_typed_bullets_and_a_list_paragraph_without_numbers(tmp_path):
    document = docx.Document()
    document.add_paragraph("The panel heard from:")
    document.add_paragraph("\u2022\tparents and carers at two evening sessions")
    document.add_paragraph("\u2022\thead teachers from six special schools")
    document.add_paragraph("Operators said the contracts are too short. They want five years "
                           "to invest in vehicles.", style="List Paragraph")  # no numbers
    document.add_paragraph("The committee agreed to look at:")
    document.add_paragraph("1.\tdamp and mould in council homes")
    document.add_paragraph("2.\tthe use of bed and breakfast for families")
    path = tmp_path / "typed.docx"
    document.save(str(path))
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("list", "The panel heard from:\nparents and carers at two evening sessions\n"
                 "head teachers from six special schools"),
        ("prose", "Operators said the contracts are too short. They want five years to invest "
                  "in vehicles."),
        ("list", "The committee agreed to look at:\n1. damp and mould in council homes\n"
                 "2. the use of bed and breakfast for families")]


def _sdt(inner: str, prompt: bool = False) -> str:
    """A content control around `inner` (showing its prompt, with `prompt`)."""
    shown = "<w:showingPlcHdr/>" if prompt else ""
    return f"<w:sdt><w:sdtPr>{shown}</w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>"


def _tc(text: str, extra: str = "") -> str:
    return f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r>{extra}</w:p></w:tc>"


def test_docx_forms_controls_and_notes_in_cells_are_read(tmp_path):
    # rows in a repeating-section control, a control showing its prompt, a footnote cited
    # in a cell, and a text box in a cell (its fallback copy not read again)
    document = docx.Document()
    document.add_paragraph("The project team will complete these actions:")
    note = '<w:r><w:footnoteReference w:id="1"/></w:r>'
    box = etree.tostring(_text_box_run("On track")).decode()
    rows = "".join(f"<w:tr>{_tc(action)}{_tc(lead)}</w:tr>" for action, lead in (
        ("Offer longer appointments at every hub for people who need them", "Hub manager"),
        ("Publish the hub locations and bus routes in easy read", "Communications")))
    table = parse_xml(
        f"<w:tbl {_NS}><w:tr>{_tc('Action')}{_tc('Lead')}</w:tr>{_sdt(rows)}<w:tr>"
        f"{_tc('Waiting lists were cut by a fifth in the first year of the hubs', note)}"
        f"{_sdt(_tc('Enter the name of the lead officer'), prompt=True)}</w:tr><w:tr>"
        f"{_tc('Status')}<w:tc><w:p>{box}</w:p></w:tc></w:tr></w:tbl>")
    document.element.body.insert(len(document.element.body) - 1, table)
    path = tmp_path / "form.docx"
    document.save(str(path))
    _add_footnotes(path, {1: "Figure for 2024/25 is provisional."})
    passages = [(p.kind, p.text) for p in segment(read_document(path))]
    text = " ".join(t for _, t in passages)
    assert "Offer longer appointments at every hub" in text
    assert "Publish the hub locations" in text
    assert "Enter the name" not in text
    assert ("footnote", "Figure for 2024/25 is provisional.") in passages
    assert text.count("On track") == 1


def test_docx_contents_styles_and_headings_by_their_look(tmp_path):
    document = docx.Document()
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Table of contents", style="TOC Heading")
    for entry in ("1 Introduction\t3", "2 Housing and health\t7"):
        document.add_paragraph(entry, style="toc 1")
    caps = document.add_paragraph("INTRODUCTION")
    assert caps.text == "INTRODUCTION"
    bold = document.add_paragraph()
    bold.add_run("Why this matters").bold = True
    document.add_paragraph("Damp homes make children ill, and the poorest families live in "
                           "the oldest housing.")
    styled = document.add_paragraph("The Chair is to be appointed by the board from amongst "
                                    "the non-executive members.", style="Heading 2")
    assert styled.style.name == "Heading 2"
    path = tmp_path / "toc.docx"
    document.save(str(path))
    kinds = [(b.kind, b.text) for b in read_document(path).blocks]
    assert kinds == [
        ("heading", "Table of contents"), ("contents", "1 Introduction 3"),
        ("contents", "2 Housing and health 7"), ("heading", "INTRODUCTION"),
        ("heading", "Why this matters"),
        ("paragraph", "Damp homes make children ill, and the poorest families live in the "
                      "oldest housing."),
        ("paragraph", "The Chair is to be appointed by the board from amongst the "
                      "non-executive members.")]


def _table_rows(document, rows):
    table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            for k, paragraph in enumerate(value.split("\n")):  # a cell's paragraphs
                cell = table.cell(r, c)
                (cell.paragraphs[0] if k == 0 else cell.add_paragraph()).text = paragraph
    return table


def test_docx_forms_and_cover_sheets_questions_and_labels_set_across(tmp_path):
    # an impact assessment's questions (numbered or not) over their answers; a cover
    # sheet's label set across the table over its text; a long report title stays a field
    document = docx.Document()
    answer = ("We used the tobacco control profiles and the provider's data on quits by "
              "postcode and age.")
    risk = "The main risk is that the service reaches people who were already going to quit."
    _table_rows(document, [("1. What evidence have you used?", answer),
                           ("2. What are the risks?", risk)])
    _table_rows(document, [("What evidence have you used?", answer)])
    table = _table_rows(document, [
        ("Report title", "Core20PLUS5: progress in the five clinical areas and next steps "
                         "for the year"),
        ("Author", "Dr Priya Natarajan"), ("Executive summary", ""),
        ("This paper reports progress against the approach in the first two years of the "
         "board.", "")])
    for row in table.rows[2:]:
        row.cells[0].merge(row.cells[1])
    path = tmp_path / "forms.docx"
    document.save(str(path))
    passages = [(p.kind, p.heading_path[-1:], p.text) for p in segment(read_document(path))]
    assert passages == [
        ("heading", ("1. What evidence have you used?",), "1. What evidence have you used?"),
        ("prose", ("1. What evidence have you used?",), answer),
        ("heading", ("2. What are the risks?",), "2. What are the risks?"),
        ("prose", ("2. What are the risks?",), risk),
        ("heading", ("What evidence have you used?",), "What evidence have you used?"),
        ("prose", ("What evidence have you used?",), answer),
        ("table", ("What evidence have you used?",),
         "Report title | Core20PLUS5: progress in the five clinical areas and next steps for "
         "the year\nAuthor | Dr Priya Natarajan"),
        ("heading", ("Executive summary",), "Executive summary"),
        ("prose", ("Executive summary",), "This paper reports progress against the approach "
                                          "in the first two years of the board.")]


def test_docx_layout_table_with_a_header_row_set_across_keeps_its_sections(tmp_path):
    # a council template: a header row of four cells, then a label and its text a row
    document = docx.Document()
    first = "The fund has been renewed for a sixth round, to run until March 2026."
    second = "Demand for crisis support remains high in the east of the borough."
    table = _table_rows(document, [
        ("Report to", "Cabinet", "Date", "12 June 2025"),
        ("Background", f"{first}\n{second}"),
        ("Equality", "An equality impact assessment has been completed and is attached."),
        ("Contact", "Democratic Services")])
    for row in table.rows[1:]:  # each text across the three cells to the label's right
        row.cells[1].merge(row.cells[3])
    path = tmp_path / "layout.docx"
    document.save(str(path))
    passages = [(p.kind, p.heading_path[-1:], p.text) for p in segment(read_document(path))]
    assert ("prose", ("Background",), first) in passages
    assert ("prose", ("Background",), second) in passages
    assert ("prose", ("Equality",), "An equality impact assessment has been completed and "
                                    "is attached.") in passages


def test_docx_cover_sheet_values_are_prose_under_their_labels(tmp_path):
    document = docx.Document()
    document.add_heading("Report to the Board", level=1)
    _table_rows(document, [
        ("Title of report", "Core20PLUS5 update"),
        ("Purpose", "To update the Board on the programme and seek approval for phase two."),
        ("Impact on health inequalities",
         "The programme works in neighbourhoods where poor housing and low\n"
         "incomes concentrate ill health.\nIt also opens evening clinics for shift workers."),
        ("Report author", "Jane Smith, Director of Strategy")])
    document.add_heading("Background", level=2)
    document.add_paragraph("The Board last considered the programme in September.")
    path = tmp_path / "cover.docx"
    document.save(str(path))
    blocks = [(b.kind, b.text, b.heading_path[1:]) for b in read_document(path).blocks]
    assert blocks == [
        ("heading", "Report to the Board", ()),
        ("table", "Title of report | Core20PLUS5 update", ()),
        ("heading", "Purpose", ("Purpose",)),
        ("paragraph", "To update the Board on the programme and seek approval for phase two.",
         ("Purpose",)),
        ("heading", "Impact on health inequalities", ("Impact on health inequalities",)),
        ("paragraph", "The programme works in neighbourhoods where poor housing and low "
                      "incomes concentrate ill health.", ("Impact on health inequalities",)),
        ("paragraph", "It also opens evening clinics for shift workers.",
         ("Impact on health inequalities",)),
        ("table", "Report author | Jane Smith, Director of Strategy",
         ("Impact on health inequalities",)),
        ("heading", "Background", ("Background",)),
        ("paragraph", "The Board last considered the programme in September.", ("Background",))]


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _outline_numbering(document) -> str:
    """A numbering definition as report templates use: headings "1.", paragraphs "1.1",
    items "(a)"; returns its numId."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for ilvl, fmt, text in ((0, "decimal", "%1."), (1, "decimal", "%1.%2"),
                                (2, "lowerLetter", "(%3)")))
    numbering.insert(0, parse_xml(f'<w:abstractNum {_W_NS} w:abstractNumId="90">{levels}'
                                  "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {_W_NS} w:numId="90"><w:abstractNumId w:val="90"/>'
                               "</w:num>"))
    return "90"


def _numbered(document, text: str, ilvl: int, num_id: str, *, bold: bool = False):
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = bold
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {_W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_docx_paragraphs_word_numbers_like_sections_are_paragraphs_not_a_list(tmp_path):
    # Word's numbering button on a report template: "1. Purpose" (bold), "1.1 This ...",
    # "(a) approves ...": headings, paragraphs and items, not one long list
    document = docx.Document()
    num = _outline_numbering(document)
    _numbered(document, "Purpose of the report", 0, num, bold=True)
    _numbered(document, "This report seeks approval for the use of the Household Support "
                        "Fund.", 1, num)
    _numbered(document, "It also sets out the Warm Homes programme for private renters.", 1,
              num)
    _numbered(document, "Recommendations", 0, num, bold=True)
    _numbered(document, "That Cabinet:", 1, num)
    _numbered(document, "approves the allocation of the fund; and", 2, num)
    _numbered(document, "notes the equality impact assessment.", 2, num)
    path = tmp_path / "cabinet.docx"
    document.save(str(path))
    assert [(p.kind, p.text) for p in segment(read_document(path))] == [
        ("heading", "Purpose of the report"),
        ("prose", "This report seeks approval for the use of the Household Support Fund."),
        ("prose", "It also sets out the Warm Homes programme for private renters."),
        ("heading", "Recommendations"),
        ("list", "That Cabinet:\napproves the allocation of the fund; and\n"
                 "notes the equality impact assessment.")]


def test_docx_statements_in_a_grid_go_to_a_list_and_a_table_of_figures_stays(tmp_path):
    document = docx.Document()
    _table_rows(document, [
        ("Action", "Lead", "By"),
        ("Offer very brief advice on smoking at every contact", "Director of Public Health",
         "March 2026"),
        ("Open a second community diagnostic hub in the east", "ICB", "2027")])
    _table_rows(document, [
        ("Indicator", "Most deprived", "Least deprived"),
        ("Healthy life expectancy at birth for women in the county", "58.2", "70.1"),
        ("Smoking prevalence among adults in routine and manual jobs", "24.5%", "9.8%")])
    path = tmp_path / "plan.docx"
    document.save(str(path))
    assert [(b.kind, b.text) for b in read_document(path).blocks] == [
        ("table", "Action | Lead | By\nDirector of Public Health | March 2026\nICB | 2027"),
        ("list", "Offer very brief advice on smoking at every contact\n"
                 "Open a second community diagnostic hub in the east"),
        ("table", "Indicator | Most deprived | Least deprived\n"
                  "Healthy life expectancy at birth for women in the county | 58.2 | 70.1\n"
                  "Smoking prevalence among adults in routine and manual jobs | 24.5% | 9.8%")]


def test_docx_minutes_in_a_table_give_each_discussion_its_own_paragraph(tmp_path):
    document = docx.Document()
    discussion = ("The committee discussed the waiting list for community dental care. "
                  "Members asked why families in the east wait longest for an appointment.")
    figure = ("Take-up has been slower than planned, with 140 homes improved against a target "
              "of 250. We are writing to every landlord.")  # a sentence ending on a figure
    _table_rows(document, [
        ("Item", "Discussion", "Action"),
        ("4", discussion, "Report in March"),
        ("5", "The committee noted the update on the outreach clinics", "None"),
        ("", figure, "None")])
    path = tmp_path / "minutes.docx"
    document.save(str(path))
    assert [(b.kind, b.text) for b in read_document(path).blocks] == [
        ("table", "Item | Discussion | Action\n4 | Report in March\n5 | None\n| None"),
        ("paragraph", discussion),
        ("list", "The committee noted the update on the outreach clinics"),
        ("paragraph", figure)]


def test_docx_paragraph_broken_by_enter_mid_sentence_is_rejoined(tmp_path):
    document = docx.Document()
    document.add_paragraph("The ICB will review its duties by:", style="List Bullet")
    document.add_paragraph("ensuring that appropriate mechanisms are in", style="List Bullet")
    document.add_paragraph("place to hear representations from residents of the most "
                           "deprived")  # Enter pressed twice inside one sentence
    document.add_paragraph("wards and to answer them within the prescribed time.")
    document.add_paragraph("publishing its decisions.", style="List Bullet")
    document.add_paragraph("Cold homes make children ill and")
    document.add_paragraph("c) the board will report each year.")  # an item, not a run-on
    document.add_paragraph("age_group = the age band of the carer")  # a glossary entry
    path = tmp_path / "broken.docx"
    document.save(str(path))
    assert [(b.kind, b.text) for b in read_document(path).blocks] == [
        ("list", "The ICB will review its duties by:\n"
                 "ensuring that appropriate mechanisms are in place to hear representations "
                 "from residents of the most deprived wards and to answer them within the "
                 "prescribed time.\npublishing its decisions."),
        ("paragraph", "Cold homes make children ill and"),
        ("list", "c) the board will report each year."),  # an item typed by hand
        ("paragraph", "age_group = the age band of the carer")]


# --- HTML ---------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Strategy | Council</title>
<style>p {{ color: red; }}</style><script>var tracking = "cookie";</script></head>
<body><a class="skip-link" href="#m">Skip to main content</a>
<div id="cookie-banner"><p>We use cookies on this website.</p><button>Accept</button></div>
<header><a href="/">Glenarrow Council home</a></header>
<nav><ul><li>Bins</li><li>Council tax</li></ul></nav>
{main}
<aside>Related pages</aside><footer><p>Copyright Glenarrow Council</p></footer>
<script>gtag('config');</script></body></html>"""

MAIN = """<main id="m"><h1>Fairer Glenarrow</h1>
<p>Child poverty costs \xa3 millions and <b>harms</b> health in the east of the city, where
one child in three grows up in a household below the poverty line.</p>
<h2>Housing</h2><p>The council will act on housing first:</p>
<ul><li>Warmer homes for private renters</li><li>More social housing</li></ul>
<table><tr><th>Ward</th><th>Poverty</th></tr><tr><td>East</td><td>31%</td></tr></table>
<div style="page-break-before: always"></div>
<p>The second page says income <br>and work matter most for the health of families.</p>
<div class="share-links">Share this page</div></main>"""


def test_html_main_text_without_boilerplate(tmp_path):
    path = tmp_path / "strategy.html"
    path.write_bytes(PAGE.format(main=MAIN).encode("cp1252"))
    doc = read_document(path)
    assert (doc.format, doc.n_pages, doc.title) == ("html", 2, "Fairer Glenarrow")
    assert [(b.kind, b.text, b.page) for b in doc.blocks] == [
        ("heading", "Fairer Glenarrow", 1),
        ("paragraph", "Child poverty costs \u00a3 millions and harms health in the east of the "
                      "city, where one child in three grows up in a household below the "
                      "poverty line.", 1),
        ("heading", "Housing", 1),
        ("paragraph", "The council will act on housing first:", 1),
        ("list", "Warmer homes for private renters\nMore social housing", 1),
        ("table", "Ward | Poverty\nEast | 31%", 1),
        ("paragraph", "The second page says income and work matter most for the health of "
                      "families.", 2),
    ]
    for boilerplate in ("cookies", "Skip to", "Bins", "Copyright", "Related", "Share",
                        "gtag", "color"):
        assert boilerplate not in doc.text


def test_html_short_page_without_main_drops_the_site(tmp_path):
    path = tmp_path / "page.htm"
    body = "<div><h2>Health</h2><p>Damp homes make children ill.</p></div>"
    path.write_text(PAGE.format(main=body).replace("windows-1252", "utf-8"), "utf-8")
    doc = read_document(path)
    assert [b.text for b in doc.blocks][-1] == "Damp homes make children ill."
    assert not any(word in doc.text for word in ("Skip", "Bins", "Copyright", "cookies"))
    assert doc.title == "Strategy"  # no <h1>: the page's <title>, less the site name


def test_html_cover_sheet_table_values_are_paragraphs_under_their_labels(tmp_path):
    path = tmp_path / "paper.html"
    main = ("<main><h1>Board paper</h1><p>This paper asks the Board to approve the plan.</p>"
            "<table><tr><th>Purpose</th><td>To approve the second phase of the outreach "
            "programme for people who miss appointments.</td></tr>"
            "<tr><th>Author</th><td>Jane Smith</td></tr></table>"
            "<p>The rest of the paper gives the detail.</p></main>")
    path.write_text(PAGE.format(main=main).replace("windows-1252", "utf-8"), "utf-8")
    blocks = [(b.kind, b.text, b.heading_path) for b in read_document(path).blocks]
    assert blocks[2:5] == [
        ("heading", "Purpose", ("Board paper", "Purpose")),
        ("paragraph", "To approve the second phase of the outreach programme for people "
                      "who miss appointments.", ("Board paper", "Purpose")),
        ("table", "Author | Jane Smith", ("Board paper", "Purpose"))]


@pytest.mark.parametrize("main", [
    "<main><h1>Stop smoking service</h1><p>Our free service helps people who smoke to quit, "
    "with trained advisers in every part of the borough.</p>{dl}</main>",
    "<div><h1>Stop smoking service</h1>{dl}</div>"])  # long page (trafilatura), short one
def test_html_description_list_terms_head_their_descriptions(tmp_path, main):
    dl = ("<dl><dt>Who can use it</dt><dd>Anyone who lives or works in the borough and "
          "wants to stop smoking can refer themselves.</dd><dt>Phone</dt><dd>01234 567890</dd>"
          "</dl>")
    path = tmp_path / "service.html"
    path.write_text(PAGE.format(main=main.format(dl=dl)).replace("windows-1252", "utf-8"),
                    "utf-8")
    blocks = [(b.kind, b.text, b.heading_path[-1:]) for b in read_document(path).blocks]
    assert blocks[-3:] == [
        ("heading", "Who can use it", ("Who can use it",)),
        ("paragraph", "Anyone who lives or works in the borough and wants to stop smoking can "
                      "refer themselves.", ("Who can use it",)),
        ("table", "Phone | 01234 567890", ("Who can use it",))]


def test_form_placeholder_prompts_are_not_read(tmp_path):
    # Word prints a prompt in each field left empty; it is not the document's text
    document = docx.Document()
    document.add_paragraph("Please describe why the treatment is needed for this patient: "
                           "Click or tap here to enter text.")
    document.add_paragraph("Click here to enter a date.")
    document.add_paragraph("Proposed start: Choose an item.")
    path = tmp_path / "form.docx"
    document.save(str(path))
    assert [(b.kind, b.text) for b in read_document(path).blocks] == [
        ("paragraph", "Please describe why the treatment is needed for this patient:"),
        ("paragraph", "Proposed start:")]


BROKEN_ITEMS = ["Improve access to primary care in the east of the borough",
                "Reduce smoking among pregnant women in the most deprived wards",
                "Work with landlords to improve the worst private rented homes"]
BROKEN_EXPECTED = [
    ("list", "Our priorities for the coming year are:\n" + "\n".join(BROKEN_ITEMS)),
    ("fragment", "Civic Centre High Street Glenarrow GL1 2AB"),
    ("prose", "Cold homes make children ill and the poorest families live in the oldest "
              "housing, where repairs wait longest.")]


@pytest.mark.parametrize("main", ["<main><h1>Our priorities</h1><p>The board agreed these "
                                  "priorities after a year of work with residents and "
                                  "partners across the borough.</p>{body}</main>",
                                  "<div>{body}</div>"])  # long page (trafilatura), short one
def test_html_lines_broken_with_br_are_items_when_they_read_as_items(tmp_path, main):
    body = ("<p>Our priorities for the coming year are:<br>" + "<br>".join(BROKEN_ITEMS)
            + "</p><p>Civic Centre<br>High Street<br>Glenarrow GL1 2AB</p>"
            "<p>Cold homes make children ill and<br>the poorest families live in the oldest"
            "<br>housing, where repairs wait longest.</p>")
    path = tmp_path / "priorities.html"
    path.write_text(PAGE.format(main=main.format(body=body)).replace("windows-1252", "utf-8"),
                    "utf-8")
    kinds = [(p.kind, p.text) for p in segment(read_document(path))]
    assert kinds[-3:] == BROKEN_EXPECTED


@pytest.mark.parametrize("hard_break", ["  ", "\\"])
def test_markdown_lines_broken_by_hand_are_items_when_they_read_as_items(tmp_path, hard_break):
    lines = (["Our priorities for the coming year are:", *BROKEN_ITEMS],
             ["Civic Centre", "High Street", "Glenarrow GL1 2AB"],
             ["Cold homes make children ill and", "the poorest families live in the oldest",
              "housing, where repairs wait longest."])
    path = tmp_path / "priorities.md"
    path.write_text("\n\n".join((hard_break + "\n").join(group) for group in lines) + "\n",
                    "utf-8")
    assert [(p.kind, p.text) for p in segment(read_document(path))] == BROKEN_EXPECTED


def test_html_source_line_ends_are_not_line_breaks():
    # in the page's source a paragraph may wrap anywhere; only <br> breaks a line, on
    # trafilatura's path and on the walker's (pages too short for trafilatura)
    from framingclf.readers._html import _trafilatura_blocks, _walker_blocks

    lines = ["Housing is the first of our priorities for the year",
             "Children in damp homes are admitted with asthma most often",
             "Our partners will report to the board on it in March"]
    page = f"<html><body><main><p>{chr(10).join(lines)}</p></main></body></html>"
    for raws in (_walker_blocks(page), _trafilatura_blocks(page)):
        assert [(raw.kind, " ".join(raw.items[0])) for raw in raws] == [
            ("paragraph", " ".join(lines))]
        assert len(raws[0].items[0]) == 1


def test_docx_lines_broken_by_hand_are_items_when_they_read_as_items(tmp_path):
    document = docx.Document()
    for lines in (["Our priorities for the coming year are:", *BROKEN_ITEMS],
                  ["Civic Centre", "High Street", "Glenarrow GL1 2AB"],
                  ["Cold homes make children ill and", "the poorest families live in the oldest",
                   "housing, where repairs wait longest."]):
        paragraph = document.add_paragraph(lines[0])
        for line in lines[1:]:
            paragraph.add_run().add_break()
            paragraph.add_run(line)
    path = tmp_path / "priorities.docx"
    document.save(str(path))
    assert [(p.kind, p.text) for p in segment(read_document(path))] == BROKEN_EXPECTED


# --- any bytes: a document or a clear error ----------------------------------------------

@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["", "%PDF-1.4\n", "PK\x03\x04", "<html><body>", "\ufeff", "\f", "# "]),
       st.binary(max_size=300), st.sampled_from([".txt", ".pdf", ".docx", ".html", ".md", ""]))
def test_any_bytes_give_a_document_or_a_clear_error(tmp_path, prefix, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(prefix.encode("utf-8") + data)
    try:
        doc = read_document(path)
    except DocumentReadError as exc:
        assert str(exc).startswith(f"{path}: ")
    else:
        segment(doc)


# --- batches ------------------------------------------------------------------------------

def test_score_documents_reads_every_format(tmp_path, board_pdf, tiny_model):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "board.pdf").write_bytes(board_pdf.read_bytes())
    _docx(folder / "cabinet.docx")
    (folder / "strategy.html").write_bytes(PAGE.format(main=MAIN).encode("cp1252"))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    result = score_documents(folder, tiny_model)
    assert sorted(result.documents["format"]) == ["docx", "html", "pdf"]
    assert list(result.errors["path"]) == [str(folder / "scan.pdf")]
    assert {"char_start", "char_end"} <= set(result.passages.columns)
    assert (result.passages["char_end"] > result.passages["char_start"]).all()
