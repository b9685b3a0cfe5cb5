"""PDF reading: layouts made here with fpdf2 or hand-written content streams, each with its
truth (sizes from the text matrix, columns, headings, call-outs, contents, footnotes,
charts, superscripts, hyphenation, running heads, tables)."""

import re
import zlib

import pytest
from fpdf import FPDF
from PIL import Image

from framingclf.errors import DocumentReadError
from framingclf.readers import read_document
from framingclf.segment import LABELLED_KINDS, segment

BODY = ("Patients from the most deprived neighbourhoods wait longer for planned care, and "
        "the trust will report waiting times by deprivation quintile from April. ")
SENTENCES = [
    "Children in the most deprived wards are twice as likely to be admitted with asthma.",
    "Damp and overcrowded homes make these admissions more likely than anywhere else.",
    "The council will inspect privately rented homes in the east of the borough first.",
    "Life expectancy for men in Riverside is nine years shorter than in Hillcrest.",
    "We will work with schools and GP practices to find families who need help.",
    "Uptake of bowel screening is lowest among men living in the poorest areas.",
]


class _Paper(FPDF):
    """A4 pages with a running header and a 'Page N of M' footer."""

    def header(self):
        self.set_font("Helvetica", "", 8)
        self.cell(90, 5, "Kestrel Valley NHS Foundation Trust")
        self.cell(0, 5, "Board of Directors", align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")


def _pdf(cls=FPDF) -> FPDF:
    pdf = cls(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(20, 20, 20)
    pdf.set_font("Helvetica", size=10)
    return pdf


def _para(pdf: FPDF, text: str, *, size: float = 10, style: str = "") -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: FPDF, rows: list[tuple[str, ...]], col_widths: tuple[int, ...]) -> None:
    with pdf.table(col_widths=col_widths) as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value)


def _save(pdf: FPDF, path):
    pdf.output(str(path))
    return path


def _kinds(path):
    return [(p.kind, p.text) for p in segment(read_document(path))]


def _line_kinds(path, lines: list[str]):
    """The passages of a page written line by line (one cell a line, no wrapping)."""
    pdf = _pdf()
    pdf.add_page()
    for line in lines:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    return _kinds(_save(pdf, path))


def _stream_pdf(path, content: str, *, width: int = 595, height: int = 842,
                bold_weight: int | None = None):
    """A one-page PDF whose page is the content stream `content`: fonts F1 (Helvetica)
    and F2 (Helvetica-Bold), written by hand so any text matrix can be used. With
    `bold_weight`, F2 is a bold font whose descriptor gives that weight (as word
    processors' PDFs often say 400 for a bold font)."""
    stream = zlib.compress(content.encode("latin-1"))
    bold = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
            b"/Encoding /WinAnsiEncoding >>")
    if bold_weight is not None:
        bold = (b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+LiberationSans-Bold "
                b"/Encoding /WinAnsiEncoding /FontDescriptor 7 0 R >>")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Resources << "
         "/Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>").encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        bold,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
    ]
    if bold_weight is not None:
        objects.append(b"<< /Type /FontDescriptor /FontName /ABCDEF+LiberationSans-Bold "
                       b"/Flags 32 /FontWeight %d /FontBBox [0 -200 1000 900] "
                       b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 "
                       b"/StemV 80 >>" % bold_weight)
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _text_lines(lines: list[tuple[str, float, str]], *, x: float = 72, size: float = 11) -> str:
    """Content for (font, baseline, text) lines, each its own text object at `x`."""
    return "".join(f"BT /{font} {size} Tf {x} {y} Td ({text}) Tj ET " for font, y, text in lines)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def _matrix_text(lines: list[tuple[str, float, float, float, str]]) -> str:
    """Content for (text, size, x, baseline, font) lines, each set as `Tf 1` scaled by
    the text matrix, as InDesign and PDFMaker write them."""
    ops = ["BT"]
    for text, size, x, y, font in lines:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"/{font} 1 Tf {size} 0 0 {size} {x} {y} Tm ({escaped}) Tj")
    ops.append("ET")
    return "\n".join(ops)


def _rows(rows: list[str], x: float, top: float, step: float = 13) -> list[tuple]:
    """`_matrix_text` lines for `rows` of 10-point text at `x`, `step` apart from `top`."""
    return [(row, 10, x, top - step * k, "F1") for k, row in enumerate(rows)]


def _two_columns(left: str, right: str, top: float) -> list[tuple]:
    """`_matrix_text` lines of two columns of 10-point text, wrapped at 40 characters."""
    return [*_rows(_wrap(left, 40), 72, top, 14), *_rows(_wrap(right, 40), 320, top, 14)]


# --- effective size, paragraphs from geometry, headings ------------------------------------

def test_font_size_from_the_text_matrix_and_paragraphs_from_line_geometry(tmp_path):
    """`Tf 1` with the size in `Tm`: pdfium reports size 1.0 for every line; the reader
    takes the effective size, finds the 22 pt heading and rebuilds two paragraphs from
    the line spacing (14 pt within a paragraph, 28 pt between them)."""
    first = " ".join(SENTENCES[:3])
    second = " ".join(SENTENCES[3:])
    lines = [("Housing and health", 22, 72, 760, "F2")]
    y = 720.0
    for paragraph in (first, second):
        for row in _wrap(paragraph, 80):
            lines.append((row, 10.5, 72, y, "F1"))
            y -= 14
        y -= 14
    path = _stream_pdf(tmp_path / "indesign.pdf", _matrix_text(lines))
    doc = read_document(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Housing and health"), ("paragraph", first), ("paragraph", second)]
    assert doc.title == "Housing and health"
    assert [p.kind for p in segment(doc)] == ["heading", "prose", "prose"]


def test_two_column_page_reads_column_by_column_and_rejoins_the_run_on(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    texts = [f"Column paragraph {n} opens here. " + BODY * 3 for n in range(1, 5)]
    with pdf.text_columns(ncols=2, gutter=10, balance=True) as cols:
        for text in texts:
            with cols.paragraph(bottom_margin=3) as par:
                par.write(text=text)
    doc = read_document(_save(pdf, tmp_path / "columns.pdf"))
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == [t.strip() for t in texts]


def test_two_columns_in_hand_written_stream_with_a_paragraph_over_the_break(tmp_path):
    first = _wrap(" ".join(SENTENCES[:3]), 40)
    second = _wrap(" ".join(SENTENCES[3:]), 40)
    lines = [(row, 10, 60, 700 - 13 * k, "F1") for k, row in enumerate(first)]
    top = 700 - 13 * len(first) - 13  # a blank line, then the second paragraph
    lines += [(row, 10, 60, top - 13 * k, "F1") for k, row in enumerate(second[:2])]
    lines += [(row, 10, 320, 700 - 13 * k, "F1") for k, row in enumerate(second[2:])]
    doc = read_document(_stream_pdf(tmp_path / "cols.pdf", _matrix_text(lines)))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", " ".join(first)), ("paragraph", " ".join(second))]


def test_a_point_ending_short_without_a_full_stop_does_not_run_on_into_the_next_column(
        tmp_path):
    # slide points in two boxes: the left one ends on a short line with no full stop,
    # where the right box's first word would have fitted; it ended there
    left = ["An evaluation partner is on board to test our impact",
            "and help us learn as we expand"]
    right = ["All registered people in the city have a health risk",
             "score, used to target outreach and response."]
    lines = [*_rows(left, 60, 500), *_rows(right, 320, 560)]
    doc = read_document(_stream_pdf(tmp_path / "points.pdf", _matrix_text(lines)))
    assert [b.text for b in doc.blocks] == [" ".join(left), " ".join(right)]


def test_a_paragraphs_last_line_beside_a_diagrams_label_stays_in_the_paragraph(tmp_path):
    # a case study on a slide: the paragraph's last line shares its baseline with the
    # label of an oval in the diagram to its right
    story = ["Mr K is in his eighties and recently lost his wife, whom he",
             "had cared for over many years, and he lives alone in a flat",
             "near the town centre. His GP was worried that he was",
             "not eating properly, which was affecting his diabetes, and he"]
    lines = [(row, 12, 40, 500 - 16 * k, "F1") for k, row in enumerate(story)]
    lines += [("was referred to the team.", 12, 40, 436, "F1"),
              ("Listened and", 12, 420, 436, "F1"), ("observed", 12, 420, 420, "F1")]
    doc = read_document(_stream_pdf(tmp_path / "story.pdf", _matrix_text(lines),
                                    width=720, height=540))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", " ".join([*story, "was referred to the team."])),
        ("fragment", "Listened and observed")]


def test_bold_sentence_is_prose_and_a_short_bold_line_a_heading(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Key messages", size=14, style="B")
    callout = ("Health inequalities in the borough are widening, and the gap in healthy life "
               "expectancy between the richest and poorest wards is now eighteen years.")
    _para(pdf, callout, size=14, style="B")
    _para(pdf, BODY * 2)
    kinds = _kinds(_save(pdf, tmp_path / "callout.pdf"))
    assert kinds == [("heading", "Key messages"), ("prose", callout),
                     ("prose", (BODY * 2).strip())]


def test_a_bold_run_in_title_is_a_label_and_bold_emphasis_stays_in_its_sentence(tmp_path):
    # LaTeX's run-in paragraph titles and Word's bold lead-ins: the title in bold, then
    # the paragraph in regular type on the same line
    first = ["There were slight differences in requests between boys and girls before",
             "the pandemic, and the gap widened after it in every age band."]
    second = ["include any name or address in the free text sections of the form, as",
              "they are shared with the panel."]
    content = (
        "BT /F2 10 Tf 72 700 Td (Gender) Tj ET "
        f"BT /F1 10 Tf 112 700 Td ({first[0]}) Tj ET "
        f"BT /F1 10 Tf 72 686 Td ({first[1]}) Tj ET "
        "BT /F2 10 Tf 72 650 Td (DO NOT) Tj ET "
        f"BT /F1 10 Tf 116 650 Td ({second[0]}) Tj ET "
        f"BT /F1 10 Tf 72 636 Td ({second[1]}) Tj ET ")
    doc = read_document(_stream_pdf(tmp_path / "run-in.pdf", content))
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 9, "Gender"), ("paragraph", 0, " ".join(first)),
        ("paragraph", 0, "DO NOT " + " ".join(second))]


def test_a_glossary_term_wider_than_its_hanging_indent_heads_its_whole_text(tmp_path):
    # the term in bold, its text on the same line after a wide gap (read as cells), the
    # text's other lines at the hanging indent, left of where its first line started
    body = ["Poor housing is one of the main causes of ill health in these wards. Cold homes",
            "increase the risk of respiratory illness and harm the mental health of families."]
    lines = ["The official measure of deprivation for small areas in",
             "England, combining seven domains into a single",
             "score. Areas are ranked from most to least deprived."]
    content = (
        f"BT /F1 10 Tf 72 740 Td ({body[0]}) Tj ET BT /F1 10 Tf 72 726 Td ({body[1]}) Tj ET "
        "BT /F2 10 Tf 72 700 Td (Index of Multiple Deprivation \\(IMD\\)) Tj ET "
        f"BT /F1 10 Tf 345 700 Td ({lines[0]}) Tj ET "
        f"BT /F1 10 Tf 180 686 Td ({lines[1]}) Tj ET "
        f"BT /F1 10 Tf 180 672 Td ({lines[2]}) Tj ET ")
    doc = read_document(_stream_pdf(tmp_path / "glossary.pdf", content))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", " ".join(body)), ("heading", "Index of Multiple Deprivation (IMD)"),
        ("paragraph", " ".join(lines))]


def test_fields_set_a_line_each_are_not_glued_to_the_text_after_them(tmp_path):
    # an agenda's or a cover sheet's fields, set tight over its opening text
    pdf = _pdf()
    pdf.add_page()
    fields = ["Date: Thursday 14 March 2024", "Time: 2.00 pm",
              "Venue: Committee Room 1, Town Hall, Southford",
              "Contact: Democratic Services, 01632 960 412"]
    for field in fields:
        pdf.cell(0, 5, field, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, "Members of the public are welcome to attend this meeting. The "
                         "meeting will be webcast live and a recording will be available on "
                         "the council's website for six months.", new_x="LMARGIN", new_y="NEXT")
    kinds = _kinds(_save(pdf, tmp_path / "agenda.pdf"))
    assert kinds == [("fragment", "\n".join(fields)),
                     ("prose", "Members of the public are welcome to attend this meeting. The "
                               "meeting will be webcast live and a recording will be available "
                               "on the council's website for six months.")]


def test_a_rows_reference_number_opening_its_cells_is_a_cell_not_a_bullet(tmp_path):
    # an action plan's row ("2.1 | Publish a damp | Director of | Sep 2023 | Green"), its
    # cells' other lines on the next page: it was read as a heading over the page's text
    body = ["Poor housing is one of the main causes of ill health in these wards. Cold homes",
            "increase the risk of respiratory illness and harm the mental health of families."]
    cells = [(52, "2.1"), (137, "Publish a damp"), (222, "Director of"), (307, "Sep 2023"),
             (392, "Green"), (476, "The protocol")]
    content = (f"BT /F1 10 Tf 72 740 Td ({body[0]}) Tj ET BT /F1 10 Tf 72 726 Td ({body[1]}) Tj"
               " ET " + " ".join(f"BT /F1 9 Tf {x} 100 Td ({text}) Tj ET" for x, text in cells))
    doc = read_document(_stream_pdf(tmp_path / "plan.pdf", content))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", " ".join(body)),
        ("table", "2.1 | Publish a damp | Director of | Sep 2023 | Green | The protocol")]


def test_an_ocr_layers_swinging_line_sizes_keep_a_paragraph_whole(tmp_path):
    # an OCR text layer: invisible text (3 Tr), each line sized by its letters' height
    lines = [("Poor housing is one of the main causes of ill health in these", 11.0),
             ("wards. Cold and damp homes increase the risk of respiratory", 13.6),
             ("illness and harm the mental health of the families who live", 10.2),
             ("in them, and the council will act on the worst of them first.", 12.9)]
    content = "".join(f"BT 3 Tr /F1 {size} Tf 72 {700 - 16 * k} Td ({text}) Tj ET "
                      for k, (text, size) in enumerate(lines))
    content += "BT 3 Tr /F1 20 Tf 72 760 Td (Housing and health) Tj ET "
    doc = read_document(_stream_pdf(tmp_path / "scan.pdf", content))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Housing and health"),
        ("paragraph", " ".join(text for text, _ in lines))]


def test_a_long_question_in_large_type_is_a_heading(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY * 2)
    question = "What demographic variation do we have in our data on carers?"  # 11 words
    _para(pdf, question, size=20)
    _para(pdf, BODY * 2)
    kinds = _kinds(_save(pdf, tmp_path / "question.pdf"))
    assert kinds[1] == ("heading", question)


def test_a_bold_title_with_a_full_stop_is_a_heading_and_a_short_bold_sentence_prose(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY * 2)
    _para(pdf, "Data and outcomes.", style="B")
    _para(pdf, BODY * 2)
    _para(pdf, "We will act now.", style="B")
    _para(pdf, BODY * 2)
    kinds = [kind for kind, _ in _kinds(_save(pdf, tmp_path / "titles.pdf"))]
    assert kinds == ["prose", "heading", "prose", "prose"]  # the short sentence joins on


@pytest.mark.parametrize(("rotate", "shown"), [(90, True), (180, True), (270, True),
                                               (90, False), (270, False)])
def test_a_page_drawn_sideways_reads_upright(tmp_path, rotate, shown):
    # a landscape page as some tools write it: a portrait page with /Rotate, its text
    # drawn turned so that it is upright when shown (`shown`), or the same page without
    # /Rotate, to be turned by its reader; read upright, not as rotated labels
    text = ("Patients from the most deprived neighbourhoods wait longer for planned care, and "
            "the trust will report waiting times by deprivation quintile from April. Families "
            "in temporary accommodation will be offered a health visitor contact within four "
            "weeks of arriving.")
    place = {90: lambda k: (0, 1, -1, 0, 100 + 14 * k, 72),  # text matrix, line k
             180: lambda k: (-1, 0, 0, -1, 523, 72 + 14 * k),
             270: lambda k: (0, -1, 1, 0, 495 - 14 * k, 770)}[rotate]
    content = "BT /F1 11 Tf\n" + "\n".join(
        "{} {} {} {} {} {} Tm ({}) Tj".format(*place(k), line)
        for k, line in enumerate(_wrap(text, 80))) + "\nET"
    path = _stream_pdf(tmp_path / "rotated.pdf", content)
    if shown:
        path.write_bytes(path.read_bytes().replace(
            b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 595 842] /Rotate %d" % rotate))
    assert _kinds(path) == [("prose", text)]


def test_heading_drawn_after_its_text_is_read_first(tmp_path):
    body = _wrap(" ".join(SENTENCES), 80)
    lines = [(row, 10, 72, 600 - 14 * k, "F1") for k, row in enumerate(body)]
    lines.append(("Foreword", 30, 72, 700, "F2"))  # drawn last, printed on top
    doc = read_document(_stream_pdf(tmp_path / "opener.pdf", _matrix_text(lines)))
    assert [(b.kind, b.heading_path) for b in doc.blocks] == [
        ("heading", ("Foreword",)), ("paragraph", ("Foreword",))]


def test_a_headings_top_level_with_the_page_title_stays_in_its_column(tmp_path):
    # the right column's heading sits a point above the page's title in the left column:
    # it heads the right column, not the page
    lines = [("Priority 1: Starting well", 20, 72, 700, "F2"),
             *_two_columns(" ".join(SENTENCES[:3]), " ".join(SENTENCES[3:]), 660),
             ("What families told us", 13, 320, 701, "F2")]
    doc = read_document(_stream_pdf(tmp_path / "title.pdf", _matrix_text(lines)))
    assert [(b.kind, b.text[:10]) for b in doc.blocks] == [
        ("heading", "Priority 1"), ("paragraph", "Children i"), ("heading", "What famil"),
        ("paragraph", SENTENCES[3][:10])]


def test_a_case_studys_title_drawn_after_its_text_heads_it(tmp_path):
    # the body fills the top of the page; a case study below it is set in two columns,
    # and its title, above it, is drawn last (as InDesign writes a text frame on top)
    intro = _wrap(" ".join(SENTENCES[:2]), 80)
    lines = [(row, 10, 72, 760 - 14 * k, "F1") for k, row in enumerate(intro)]
    lines += _two_columns(
        "The trial offers lung scans in mobile units in supermarkets, where people in "
        "deprived areas shop, and has found cancers early. Smokers are offered help to "
        "quit, and a thousand have finished a course so far.",
        "A retired printer was invited by his GP to the unit in the car park of the "
        "supermarket near his home. He had an early cancer removed and is now well, and he "
        "tells his friends to go.", 600)
    lines.append(("Case study: lung screening", 16, 72, 630, "F2"))
    doc = read_document(_stream_pdf(tmp_path / "case.pdf", _matrix_text(lines)))
    assert [(b.kind, b.text[:12], b.heading_path) for b in doc.blocks] == [
        ("paragraph", "Children in ", ()),
        ("heading", "Case study: ", ("Case study: lung screening",)),
        ("paragraph", "The trial of", ("Case study: lung screening",)),
        ("paragraph", "A retired pr", ("Case study: lung screening",))]


def test_a_pull_quote_drawn_first_at_the_foot_is_read_after_the_columns_above_it(tmp_path):
    # as InDesign may write it: the quote's frame at the foot of the page, spanning both
    # columns, comes first in the content stream; the two columns follow
    quote = _wrap('"The clinic in the library meant I could see a nurse without taking '
                  'a day off work, and that is why I went."', 60)
    lines = [(row, 14, 90, 260 - 18 * k, "F1") for k, row in enumerate(quote)]
    lines += _two_columns(
        "Waiting times for community services are longest in the east of the borough, "
        "where fewer practices offer evening appointments. The board will fund two new "
        "clinics there this year.",
        "Residents told us that opening hours matter more than distance. The clinics will "
        "open late on two evenings a week, and people can book them online or by phone.",
        700)
    doc = read_document(_stream_pdf(tmp_path / "quote.pdf", _matrix_text(lines)))
    assert [b.text[:12] for b in doc.blocks] == ["Waiting time", "Residents to",
                                                 '"The clinic ']


def test_a_pull_quote_drawn_last_in_a_column_is_read_between_its_parts(tmp_path):
    # the quote is set in the middle of the left column and drawn last; the sentence it
    # interrupts goes on below it, and the right column must not come between
    top = ["Physical inactivity is almost as common as it was ten",
           "years ago, and the share rises sharply with age and with"]
    bottom = ["disability. Residents told us that cost and safety after",
              "dark were the main barriers to being active."]
    right = ["Loneliness cuts across all three priorities, and groups",
             "were clear that transport matters as much as services."]
    lines = [*_rows(top, 60, 700), *_rows(bottom, 60, 600), *_rows(right, 320, 700)]
    lines.append(('"If the bus stopped at six, so did my social life."', 14, 60, 650, "F1"))
    doc = read_document(_stream_pdf(tmp_path / "mid-quote.pdf", _matrix_text(lines)))
    assert [b.text[:16] for b in doc.blocks] == [
        "Physical inactiv", '"If the bus stop', "Loneliness cuts "]
    assert doc.blocks[0].text == " ".join([*top, *bottom])


def test_a_left_sidebar_heading_drawn_last_stays_over_its_own_column(tmp_path):
    # the main column on the right is drawn first; the sidebar on the left, with its
    # heading, after it: the heading must not go in front of the main column's text
    first = ["Most children in the borough are healthy, happy and doing well at",
             "school, but too many start school behind their classmates."]
    second = ["Health visitors saw nearly all new babies within a fortnight of",
              "birth, but fewer families came back for the later reviews."]
    lines = [*[(row, 11, 221, 757 - 17 * k, "F1") for k, row in enumerate(first)],
             *[(row, 11, 221, 700 - 17 * k, "F1") for k, row in enumerate(second)],
             ("At a glance", 13, 55, 746, "F2"), ("40%", 30, 55, 709, "F2"),
             ("rise in referrals to mental", 9, 55, 695, "F1"),
             ("health services in three years", 9, 55, 683, "F1")]
    doc = read_document(_stream_pdf(tmp_path / "sidebar.pdf", _matrix_text(lines)))
    texts = [b.text[:11] for b in doc.blocks]
    assert texts.index("At a glance") == texts.index("40% rise in") - 1
    assert texts.index("Most childr") < texts.index("Health visi")


def test_a_row_of_statistics_drawn_last_stays_together_above_the_columns(tmp_path):
    # a ward profile: two columns, then a row of three statistic boxes above them, drawn
    # last; each box must not be read in front of whichever column lies under it
    lines = _two_columns(
        "Millbeck has almost a quarter more children than the borough as a whole, and "
        "far fewer older residents. Its population grew by a tenth in ten years, mostly "
        "through families moving into newly converted flats near the station.",
        "Life expectancy for both men and women is well below the borough averages. Most "
        "of the gap comes from deaths from heart disease, lung cancer and respiratory "
        "illness in people under seventy-five.", 540)
    for x, figure, caption in ((72, "31%", "of children live in low-income families"),
                               (190, "1 in 5", "adults smoke, the most of any ward"),
                               (330, "8.4 years", "less life expectancy for men")):
        lines.append((figure, 20, x, 650, "F2"))
        lines += [(row, 9, x, 634 - 11 * k, "F1") for k, row in enumerate(_wrap(caption, 24))]
    doc = read_document(_stream_pdf(tmp_path / "profile.pdf", _matrix_text(lines)))
    assert [b.text[:8] for b in doc.blocks] == ["31% of c", "1 in 5 a", "8.4 year",
                                                "Millbeck", "Life exp"]


def test_a_drop_cap_goes_back_to_the_front_of_its_paragraph(tmp_path):
    # a magazine's three-line drop cap, drawn after the paragraph it opens
    first = ["very winter, between sixty and ninety more", "people die in the borough than at",
             "other times of the year, most of them aged"]
    rest = ["over seventy-five, and most of heart and lung disease rather",
            "than from the cold itself, which is why warm homes matter."]
    lines = [*_rows(first, 100, 617, 14), *_rows(rest, 56, 575, 14),
             ("E", 60, 56, 585, "F2")]
    doc = read_document(_stream_pdf(tmp_path / "drop-cap.pdf", _matrix_text(lines)))
    assert [b.text for b in doc.blocks] == ["E" + " ".join([*first, *rest])]


def test_a_sentence_goes_on_past_a_finished_list_between_its_halves(tmp_path):
    # the sentence stops above a sidebar's list in the left column and goes on at the top
    # of the right column
    text = ["We asked residents about keeping warm last winter. Almost",
            "half said they had turned the heating down to save money, and"]
    items = ["- Advice on energy bills and benefits.", "- Grants for loft insulation."]
    right = ["one in five said they had gone without food to pay their",
             "energy bills, most of them people on prepayment meters."]
    lines = [*_rows(text, 72, 700), *_rows(items, 72, 640), *_rows(right, 320, 700)]
    doc = read_document(_stream_pdf(tmp_path / "sidebar.pdf", _matrix_text(lines)))
    assert [b.kind for b in doc.blocks] == ["paragraph", "list"]
    assert doc.blocks[0].text == " ".join([*text, *right])


def test_a_sentence_goes_on_past_a_case_study_box_set_in_its_column(tmp_path):
    # a shaded box, indented and a point smaller than the body, drawn after the body text;
    # its finished paragraphs must not stop the sentence it interrupts from joining up
    top = ["There is good evidence that controls on the price and availability of",
           "alcohol are among the most effective population"]
    bottom = ["measures of all, although most of the powers to use them sit nationally."]
    box = [("Case study: a licensing pilot", 12, 68, 520, "F2"),
           *[(row, 10, 68, 505 - 13 * k, "F1") for k, row in enumerate(
               ["Two wards used their licensing policy to limit late sales.",
                "Admissions for alcohol fell by a sixth in two years."])]]
    lines = [*_rows(top, 57, 560, 15), *_rows(bottom, 57, 440, 15), *box]
    doc = read_document(_stream_pdf(tmp_path / "box.pdf", _matrix_text(lines)))
    assert doc.blocks[0].text == " ".join([*top, *bottom])
    assert [b.text[:10] for b in doc.blocks[1:]] == ["Case study", "Two wards "]


def test_a_sentence_goes_on_past_a_chart_of_many_labels_on_its_page(tmp_path):
    # a chart of ten labels, each its own box, drawn after the text between the halves
    # of a paragraph
    top = ["Each year the child measurement programme weighs children in reception",
           "and year six. Rates in two wards are around twice those"]
    bottom = ["in the least deprived wards, and the gap has widened since 2015."]
    labels = [(label, 8, 107 + 37 * k, 640 - 21 * k, "F1") for k, label in enumerate(
        ["Per cent", "30", "North", "20", "East", "10", "South", "0", "West", "Ward"])]
    lines = [*_rows(top, 57, 700, 14), *_rows(bottom, 57, 400, 14), *labels]
    doc = read_document(_stream_pdf(tmp_path / "chart.pdf", _matrix_text(lines)))
    prose = [b.text for b in doc.blocks if b.kind == "paragraph" and len(b.text) > 40]
    assert prose == [" ".join([*top, *bottom])]


def test_a_paragraph_after_a_bullet_item_starting_further_left_is_not_the_item(tmp_path):
    # the item and the paragraph after it happen to share their midpoint, as centred
    # lines would: the bullet says the line further left is not the item's
    measure = FPDF(unit="pt")
    measure.set_font("Helvetica", size=10)
    item = "- Questions from two providers about the transfer of staff."
    # the item is measured from its first word; centres meet when the widths so agree
    target = 80 + measure.get_string_width("- ") + 80 + measure.get_string_width(item) - 124
    words, paragraph = iter(("Officers have answered each point in the specification for "
                             "the new service and a full report of the consultation is "
                             "published today").split()), ""
    while measure.get_string_width(paragraph + ".") < target - 8:
        paragraph = f"{paragraph} {next(words)}".strip()
    lines = [(item, 10, 80, 600, "F1"), (paragraph + ".", 10, 62, 586, "F1")]
    doc = read_document(_stream_pdf(tmp_path / "after-item.pdf", _matrix_text(lines)))
    assert [b.kind for b in doc.blocks] == ["list", "paragraph"]


def test_an_attribution_a_connective_and_a_figure_statement_are_not_headings(tmp_path):
    lines = [("Our priorities", 20, 72, 780, "F2"),
             ('"The clinic was close to home, so I went."', 16, 72, 740, "F1"),
             ("John, Leeds", 11, 72, 720, "F2"),  # who said it, in bold
             ("The board will fund clinics where uptake of screening is lowest.", 10, 72,
              690, "F1"),
             ("AND", 11, 72, 670, "F2"),  # between two criteria of a form
             ("The patient must live in the area served by the trust.", 10, 72, 650, "F1"),
             ("500+ referrals a month and rising", 18, 72, 610, "F2"),
             ("... fewer than 1 in 20 sent on to social care", 18, 72, 585, "F2")]
    doc = read_document(_stream_pdf(tmp_path / "callouts.pdf", _matrix_text(lines)))
    assert [b.kind for b in doc.blocks if b.kind == "heading"] == ["heading"]
    assert all(b.heading_path == ("Our priorities",) for b in doc.blocks)


def test_running_header_footer_and_page_numbers_are_removed(tmp_path):
    pdf = _pdf(_Paper)
    for page in range(1, 4):
        pdf.add_page()
        _para(pdf, f"{page}. Section {page}", size=14, style="B")
        _para(pdf, f"Paragraph A of page {page}. " + BODY * 2)
    doc = read_document(_save(pdf, tmp_path / "board.pdf"))
    assert "Kestrel Valley" not in doc.text and "Board of Directors" not in doc.text
    assert not re.search(r"Page \d", doc.text)
    headings = [(b.text, b.page) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("1. Section 1", 1), ("2. Section 2", 2), ("3. Section 3", 3)]


def test_a_running_header_is_removed_from_a_landscape_page_too(tmp_path):
    # the header sits 54 points from the top: inside 8% of a portrait page's height, not
    # of a landscape page's
    pdf = _pdf(_Paper)
    pdf.set_top_margin(16)
    for page, orientation in enumerate(["P", "P", "L"], start=1):
        pdf.add_page(orientation=orientation)
        _para(pdf, f"{page}. Section {page}", size=14, style="B")
        _para(pdf, f"Paragraph A of page {page}. " + BODY * 2)
    assert "Kestrel Valley" not in read_document(_save(pdf, tmp_path / "wide.pdf")).text


def test_a_spreads_running_heads_and_page_numbers_are_removed(tmp_path):
    # two facing pages on each sheet: pdfium reads both halves' heads as one line, whose
    # right half changes from sheet to sheet, and both folios as "4 5"
    pdf = FPDF(orientation="L", format="A3")
    pdf.set_auto_page_break(False)
    for sheet in range(1, 4):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.text(20, 12, "Ravensby Joint Health and Wellbeing Strategy 2025 to 2030")
        pdf.text(320, 12, ("Starting well", "Living well", "Ageing well")[sheet - 1])
        pdf.text(20, 290, str(2 * sheet + 2))
        pdf.text(395, 290, str(2 * sheet + 3))
        pdf.set_font("Helvetica", size=10)
        for x in (20, 220):
            pdf.set_xy(x, 30)
            pdf.multi_cell(180, 5, BODY * 3)
    doc = read_document(_save(pdf, tmp_path / "spreads.pdf"))
    assert "Ravensby Joint" not in doc.text
    assert not [b for b in doc.blocks if re.fullmatch(r"\d+\W+\d+", b.text)]


# --- kinds: contents, footnotes, charts, captions, tables, lists ---------------------------

def test_contents_page_with_dot_leaders(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Contents", size=16, style="B")
    for title, page in [("Introduction", 3), ("Housing and health", 7), ("Next steps", 12)]:
        pdf.cell(0, 6, f"{title} {'.' * 40} {page}", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    _para(pdf, "Introduction", size=16, style="B")
    _para(pdf, BODY * 2)
    passages = segment(read_document(_save(pdf, tmp_path / "toc.pdf")))
    assert [p.kind for p in passages] == ["heading", "contents", "heading", "prose"]
    assert "Housing and health" in passages[1].text


def test_footnotes_at_the_foot_of_the_page(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY * 3)
    pdf.set_y(-40)
    pdf.set_font("Helvetica", "", 7)
    pdf.cell(0, 4, "1 Office for National Statistics, Health state life expectancies, 2023.",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 4, "2 Kestrel Valley joint strategic needs assessment, chapter 4.",
             new_x="LMARGIN", new_y="NEXT")
    kinds = _kinds(_save(pdf, tmp_path / "notes.pdf"))
    assert [k for k, _ in kinds] == ["prose", "footnote"]
    assert kinds[1][1].startswith("1 Office for National Statistics")


def test_chart_labels_ticks_and_caption_are_not_labelled(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY * 2)
    pdf.set_font("Helvetica", "", 8)
    for k, tick in enumerate(["0", "25", "50", "75", "100"]):
        pdf.text(30, 150 - 15 * k, tick)
    for k, label in enumerate(["Most deprived", "Quintile 2", "Quintile 3", "Least deprived"]):
        pdf.text(45 + 35 * k, 160, label)
    with pdf.rotation(90, 22, 120):
        pdf.text(22, 120, "Rate per 1,000")
    pdf.set_y(170)
    _para(pdf, "Figure 3: Emergency admissions by deprivation quintile, 2022", size=9)
    _para(pdf, "Source: Hospital Episode Statistics", size=8)
    passages = segment(read_document(_save(pdf, tmp_path / "chart.pdf")))
    labelled = [p.text for p in passages if p.kind in LABELLED_KINDS]
    assert labelled == [(BODY * 2).strip()]
    kinds = {p.kind for p in passages}
    assert "caption" in kinds and kinds <= {"prose", "fragment", "table", "caption"}


def test_table_is_a_table_passage_never_labelled(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY)
    _table(pdf, [("Measure", "Q1", "Q2"), ("RTT within 18 weeks", "58.7%", "59.3%"),
                 ("Four-hour standard", "66.1%", "68.9%")], (60, 20, 20))
    pdf.ln(4)
    _para(pdf, "After the table. " + BODY)
    kinds = _kinds(_save(pdf, tmp_path / "table.pdf"))
    assert kinds == [
        ("prose", BODY.strip()),
        ("table", "Measure | Q1 | Q2\nRTT within 18 weeks | 58.7% | 59.3%\n"
                  "Four-hour standard | 66.1% | 68.9%"),
        ("prose", "After the table. " + BODY.strip())]


def test_columns_written_across_the_page_become_table_rows(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    for n in range(8):  # a producer writing both columns' lines in one pass
        pdf.cell(80, 5, f"left column line {n} about housing")
        pdf.cell(0, 5, f"right column line {n} about income", new_x="LMARGIN", new_y="NEXT")
    kinds = _kinds(_save(pdf, tmp_path / "interleaved.pdf"))
    assert [k for k, _ in kinds] == ["table"]


def test_statements_in_table_cells_are_labelled_as_a_list_the_rest_stays_a_table(tmp_path):
    # a slide's table of commitments: the commitments are what an analyst reads
    commitments = ("Support families on low incomes to claim the benefits they are entitled to",
                   "Offer stop smoking support in every family hub in the county")
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY)
    _table(pdf, [("What we have committed to", "Led by", "Timescale"),
                 (commitments[0], "Family hubs lead", "March 2026"),
                 (commitments[1], "Public health", "2025")], (70, 30, 25))
    pdf.ln(4)
    _para(pdf, "After the table. " + BODY)
    kinds = _kinds(_save(pdf, tmp_path / "commitments.pdf"))
    labelled = [text for kind, text in kinds if kind in LABELLED_KINDS]
    assert ("list", "\n".join(commitments)) in kinds
    assert not any(word in text for text in labelled
                   for word in ("Led by", "Timescale", "March 2026", "Family hubs lead"))
    tables = "\n".join(text for kind, text in kinds if kind == "table")
    assert "What we have committed to | Led by | Timescale" in tables and "March 2026" in tables


def _cell_rows(rows: list[tuple[str, ...]], columns: tuple[int, ...]) -> str:
    """Content for table rows written cell by cell (row names over two lines)."""
    lines, y = [], 700
    for row in rows:
        name = _wrap(row[0], 32)
        lines += [(part, 10, columns[0], y - 12 * k, "F1") for k, part in enumerate(name)]
        lines += [(cell, 10, x, y, "F1") for cell, x in zip(row[1:], columns[1:])]
        y -= 12 * len(name) + 8
    return _matrix_text(lines)


def _values_under_labels(pdf: FPDF, path, rows: list[tuple[str, str]]) -> list[tuple]:
    """The PDF's passages (kind, text, section), having checked that its first two rows'
    values are prose, each under its label read as a heading."""
    kinds = [(p.kind, p.text, p.heading_path) for p in segment(read_document(_save(pdf, path)))]
    assert kinds[:4] == [passage for label, value in rows[:2]
                         for passage in (("heading", label, (label,)), ("prose", value, (label,)))]
    return kinds


def test_a_cover_sheet_reads_each_value_that_says_something_under_its_label(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Report to the Board", size=16, style="B")
    rows = [("Purpose", "To approve the second phase of the outreach programme for people "
                        "who miss hospital appointments, and to note its early results."),
            ("Health inequalities", "The programme works in the neighbourhoods "
                                    "where poor housing and low incomes concentrate "
                                    "ill health, with the council's debt advice."),
            ("Report author", "Jane Smith")]
    for label, value in rows:  # a label's column, and its value wrapping in the next
        y = pdf.get_y()
        pdf.set_xy(20, y)
        pdf.cell(58, 5, label)
        pdf.set_xy(80, y)
        pdf.multi_cell(100, 5, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(4)
    _para(pdf, "The Board last considered the programme in September 2024.")
    doc = read_document(_save(pdf, tmp_path / "cover.pdf"))
    assert [(b.kind, b.text, b.heading_path[1:]) for b in doc.blocks] == [
        ("heading", "Report to the Board", ()),
        ("heading", "Purpose", ("Purpose",)),
        ("paragraph", rows[0][1], ("Purpose",)),
        ("heading", "Health inequalities", ("Health inequalities",)),
        ("paragraph", rows[1][1], ("Health inequalities",)),
        ("table", "Report author | Jane Smith", ("Health inequalities",)),
        ("paragraph", "The Board last considered the programme in September 2024.",
         ("Health inequalities",))]


def test_a_cover_sheet_whose_labels_wrap_in_a_narrow_column(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    rows = [("Purpose of the report", "To approve the second phase of the outreach programme "
                                      "for people who miss hospital appointments."),
            ("Impact on health inequalities", "The programme works in the neighbourhoods "
                                              "where poor housing and low incomes "
                                              "concentrate ill health."),
            ("Report author", "Jane Smith")]
    for label, value in rows:  # each label wraps in its column, drawn before its value
        y = pdf.get_y()
        pdf.set_xy(20, y)
        pdf.multi_cell(28, 5, label)
        bottom = pdf.get_y()
        pdf.set_xy(60, y)
        pdf.multi_cell(120, 5, value)
        pdf.set_y(max(bottom, pdf.get_y()) + 3)
    _values_under_labels(pdf, tmp_path / "cover.pdf", rows)


def test_a_cover_sheet_whose_labels_are_centred_on_their_values(tmp_path):
    # a Word cover sheet whose label column is set to centre vertically: each label sits
    # level with the middle of its value, below the value's first line
    pdf = _pdf()
    pdf.add_page()
    rows = [("Purpose of the report", "This report sets out the progress of the plan for "
                                      "the first half of the year, including the work with "
                                      "primary care to reach people in the most deprived "
                                      "neighbourhoods who wait longest for treatment."),
            ("Executive summary", "Waiting lists remain longest for patients in the most "
                                  "deprived fifth of postcodes. The Trust now prioritises "
                                  "them within clinical priority groups and has opened two "
                                  "diagnostic hubs where uptake of screening is lowest."),
            ("Report author", "Jane Smith")]
    for label, value in rows:  # drawn cell by cell, label first, as Word exports them
        top = pdf.get_y()
        height = 5 * len(pdf.multi_cell(70, 5, value, dry_run=True, output="LINES"))
        pdf.set_xy(20, top + height / 2 - 2.5)
        pdf.cell(50, 5, label)
        pdf.set_xy(80, top)
        pdf.multi_cell(70, 5, value)
        pdf.set_y(top + height + 3)
    _para(pdf, "The rest of the paper describes each programme in turn.")
    kinds = _values_under_labels(pdf, tmp_path / "cover.pdf", rows)
    assert kinds[4][0] == "table" and kinds[4][1] == "Report author | Jane Smith"


def test_minutes_in_a_table_keep_each_items_name_out_of_its_discussion(tmp_path):
    # minutes kept in a Word table (item, discussion, action), cells top-aligned, set as
    # Word sets them (11 pt on single spacing): an item's name that wraps in its narrow
    # column is not the start of the discussion beside it
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Minutes of the Health and Wellbeing Board, 14 January 2025", size=14)
    pdf.set_font("Helvetica", size=11)
    rows = [("2. Minutes of the last meeting", "The minutes of the meeting held on 12 "
             "November 2024 were agreed as a correct record, with one change: the date of "
             "the next development session is 3 March, not 3 February.", ""),
            ("3. Director of Public Health annual report", "The Director of Public Health "
             "presented her annual report on the cost of living. She said that the rise in "
             "food and fuel prices had hit the lowest-income households hardest.",
             "DPH to report back in July")]
    for row in rows:
        top, bottom = pdf.get_y(), pdf.get_y()
        for x, width, text in zip((20, 65, 150), (40, 80, 40), row):
            pdf.set_xy(x, top)
            pdf.multi_cell(width, 4.5, text)
            bottom = max(bottom, pdf.get_y())
        pdf.set_y(bottom + 3)
    texts = [p.text for p in segment(read_document(_save(pdf, tmp_path / "minutes.pdf")))]
    assert rows[0][1] in texts and rows[1][1] in texts
    assert "Director of Public Health annual report" in texts


def test_a_table_row_cut_by_a_page_break_is_joined_under_the_repeated_header(tmp_path):
    # an action log exported from Word: the last row's first line ends page 1, and its
    # cells go on at the top of page 2, under the header row Word repeats there
    header = ("Action", "Lead", "Update")
    columns = (20, 70, 115)

    def row(y: float, texts: tuple[str, ...]) -> None:
        for x, text in zip(columns, texts):
            if text:
                pdf.set_xy(x, y)
                pdf.cell(40, 4.5, text)

    pdf = _pdf()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    row(30, header)
    done = "Clinics are running in four of the six networks and uptake has risen."
    row(38, ("Open evening clinics", "Head of Primary Care", done))
    row(270, ("Publish waiting", "Director of", "The first report has been delayed"))
    pdf.add_page()
    row(30, header)
    rest = [("list data by", "Performance", "because ethnicity is missing from a fifth"),
            ("deprivation", "", "of the records, and a data quality plan will"),
            ("", "", "be brought to the April meeting.")]
    for k, texts in enumerate(rest):
        row(38 + 4.5 * k, texts)
    row(60, ("Extend case-finding", "Chief Pharmacist", "Thirty pharmacies have signed up."))
    passages = segment(read_document(_save(pdf, tmp_path / "actions.pdf")))
    texts = [p.text for p in passages]
    whole = ("The first report has been delayed because ethnicity is missing from a fifth of "
             "the records, and a data quality plan will be brought to the April meeting.")
    # the row's statements, whole, among its table's statements (the table's list)
    found = next(p for p in passages if whole in p.text.split("\n"))
    assert (found.kind, found.page_start) == ("list", 1)
    assert "Publish waiting list data by deprivation" in found.text.split("\n")
    assert not any(p.kind == "heading" and p.text == "Performance" for p in passages)
    assert any("Director of Performance" in t for t in texts)
    assert "Thirty pharmacies have signed up." in " ".join(texts)


@pytest.mark.parametrize("repeated_header", [True, False])
def test_a_table_row_of_several_lines_cut_by_a_page_break_is_joined(tmp_path,
                                                                     repeated_header):
    # as Word draws a table, cell by cell: the last row's cells have two lines each on
    # page 1 and go on at the top of page 2, under the header row if Word repeats it
    columns = (20, 80, 125)

    def cell(x: float, y: float, lines: list[str]) -> None:
        for k, text in enumerate(lines):
            pdf.set_xy(x, y + 4.5 * k)
            pdf.cell(40, 4.5, text)

    def row(y: float, cells: list[list[str]]) -> None:
        for x, lines in zip(columns, cells):
            cell(x, y, lines)

    header = [["Action"], ["Lead"], ["Update"]]
    pdf = _pdf()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    row(30, header)
    row(38, [["Evening clinics"], ["Head of Care"], ["Running in four networks."]])
    row(48, [["Health checks"], ["Head of Care"], ["Offered in every practice."]])
    row(262, [["Publish waiting list", "data by deprivation"], ["Director of"],
              ["The first report has been delayed", "because ethnicity is missing from"]])
    pdf.add_page()
    if repeated_header:
        row(30, header)
    row(38, [["and ethnicity"], ["Performance"],
             ["a fifth of the records, and a data", "quality plan will be brought to the",
              "April meeting."]])
    row(60, [["Extend case-finding"], ["Chief Pharmacist"],
             ["Thirty pharmacies have signed up."]])
    passages = segment(read_document(_save(pdf, tmp_path / "actions.pdf")))
    whole = ("The first report has been delayed because ethnicity is missing from a fifth of "
             "the records, and a data quality plan will be brought to the April meeting.")
    found = [p for p in passages if whole in p.text.split("\n")]
    assert len(found) == 1 and found[0].page_start == 1
    assert any("Publish waiting list data by deprivation and ethnicity" in p.text
               for p in passages)
    assert any("Director of Performance" in " ".join(p.text.split()) for p in passages)
    assert not any(p.kind == "heading" for p in passages)


def test_text_in_three_columns_is_not_taken_for_a_table_cut_by_a_page(tmp_path):
    # a newsletter page in three columns whose last column stops mid-sentence at the
    # foot and goes on at the top of the next page: no line may move between pages
    sentence = ("Residents told us that the cost of travel to appointments is a barrier "
                "for older people without a car. ")
    pdf = _pdf()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    for page in (1, 2):
        pdf.add_page()
        for k, x in enumerate((20, 82, 144)):
            pdf.set_xy(x, 30)
            body = sentence * 12
            if page == 1 and k == 2:
                body = body + "The council will now look at"
            if page == 2 and k == 0:
                body = "how buses serve the hospital sites. " + body
            if page == 2 and k == 1:
                body = "Page two has its own findings on housing. " + body
            pdf.multi_cell(56, 4.5, body)
    passages = segment(read_document(_save(pdf, tmp_path / "columns.pdf")))
    own = [p for p in passages if "Page two has its own findings" in p.text]
    assert own and all(p.page_start == 2 for p in own)
    joined = [p for p in passages if "The council will now look at how buses" in p.text]
    assert joined and joined[0].page_start == 1  # the run-ons join it, as before


def test_a_rating_beside_its_progress_is_not_a_label_when_other_cells_stand_left(tmp_path):
    # an action plan (action, lead, rating, progress): the rating and the first line of
    # the progress sit on one baseline like a label and its value, but the row's action
    # and lead stand to their left, so the rating is a cell, not a heading
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Delivery plan: quarterly update", size=14, style="B")
    pdf.set_font("Helvetica", size=11)
    progress = ["Letters are now sent", "in eight languages, and", "the remaining two will",
                "follow in May."]
    rows = [(["Translate letters", "into ten languages"], ["Head of Patient", "Experience"],
             "Green", progress),
            (["Open a walk-in clinic", "for homeless people"], ["Deputy Director", "of Nursing"],
             "Amber", ["A site has been found", "by the day centre, but", "recruiting a nurse",
                       "has been slower."])]
    y = 40
    for action, lead, rating, lines in rows:
        for x, cell in ((20, action), (62, lead)):
            for k, text in enumerate(cell):
                pdf.set_xy(x, y + 4.5 * k)
                pdf.cell(40, 4.5, text)
        pdf.set_xy(104, y)
        pdf.cell(20, 4.5, rating)
        for k, text in enumerate(lines):
            pdf.set_xy(145, y + 4.5 * k)
            pdf.cell(45, 4.5, text)
        y += 4.5 * len(lines) + 4
    passages = segment(read_document(_save(pdf, tmp_path / "plan.pdf")))
    assert [p.text for p in passages if p.kind == "heading"] == [
        "Delivery plan: quarterly update"]
    said = " ".join(progress)
    found = [p for p in passages if said in p.text]
    assert found and found[0].kind in ("prose", "list")


def test_a_row_spanning_the_table_stays_out_of_the_cell_below_it(tmp_path):
    # a merged row naming a section of an action plan, straight above a row of cells
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Delivery plan: quarterly update", size=14, style="B")
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(20, 40)
    pdf.cell(120, 4.5, "Priority 1: fair access to services")
    for k, text in enumerate(["Translate letters into", "the ten most spoken", "languages"]):
        pdf.set_xy(20, 44.5 + 4.5 * k)
        pdf.cell(40, 4.5, text)
    for k, text in enumerate(["Head of Patient", "Experience"]):
        pdf.set_xy(70, 44.5 + 4.5 * k)
        pdf.cell(40, 4.5, text)
    texts = [p.text for p in segment(read_document(_save(pdf, tmp_path / "plan.pdf")))]
    assert "Priority 1: fair access to services" in texts
    assert "Translate letters into the ten most spoken languages" in texts


def test_a_table_of_figures_keeps_its_long_row_names_and_commitments_come_out(tmp_path):
    figures = [("Male life expectancy gap between the most and least deprived deciles",
                "9.6", "9.4"),
               ("Children living in low income families in the borough, as a share",
                "21.4%", "17.0%")]
    commitments = [("Support families on low incomes to claim the benefits they are owed",
                    "Family hubs", "March 2026"),
                   ("Offer stop smoking support in every family hub in the county",
                    "Public health", "2025")]
    for rows, table_of_figures in ((figures, True), (commitments, False)):
        path = _stream_pdf(tmp_path / "cells.pdf", _cell_rows(rows, (60, 300, 400)))
        kinds = _kinds(path)
        labelled = " ".join(text for kind, text in kinds if kind in LABELLED_KINDS)
        assert {kind for kind, _ in kinds} == ({"table"} if table_of_figures
                                               else {"table", "list"})
        assert all((row[0] in labelled) != table_of_figures for row in rows)
        assert not any(cell in labelled for row in rows for cell in row[1:])


def test_a_table_row_whose_cells_are_full_is_still_split_into_cells(tmp_path):
    # under prose set wide, a row whose cells are nearly full is no wider, for its
    # characters, than a line of prose: it is found by starting where a cell starts
    body = _wrap(" ".join(SENTENCES * 2), 85)
    lines = [(row, 10, 54, 760 - 14 * k, "F2") for k, row in enumerate(body)]
    top = 760 - 14 * len(body) - 30
    for x, cell in zip((54, 240, 355, 440), ("Action", "Lead", "Timescale", "Measure")):
        lines.append((cell, 9, x, top, "F2"))
    for x, cell in zip((54, 240, 355, 440), ("Agree a primary care pathway for the",
                                             "Integrated Care Boards", "Subject to funds",
                                             "Pathway agreed and waiting times")):
        lines.append((cell, 9, x, top - 18, "F1"))
    doc = read_document(_stream_pdf(tmp_path / "full-row.pdf", _matrix_text(lines)))
    assert not any("Boards Subject" in b.text for b in doc.blocks)
    assert any(b.kind == "table" and "Integrated Care Boards" in b.text for b in doc.blocks)


def test_a_row_name_wrapping_apart_from_its_values_stays_in_the_table(tmp_path):
    # a table of figures set by LaTeX: a long row name wraps in the first column and its
    # values are drawn after it, on its first baseline
    rows = [("Referral source", "2021", "2022"), ("Carer or relative", "278", "295"),
            ("Community paediatrics", "223", "22")]
    lines = [(cell, 10, x, 700 - 14 * k, "F1") for k, row in enumerate(rows)
             for cell, x in zip(row, (72, 340, 400))]
    lines += [("Community mental health team for children and", 10, 72, 658, "F1"),
              ("young people", 10, 72, 646, "F1"), ("102", 10, 340, 658, "F1"),
              ("28", 10, 400, 658, "F1"), ("Courts", 10, 72, 632, "F1"),
              ("5", 10, 340, 632, "F1"), ("7", 10, 400, 632, "F1")]
    doc = read_document(_stream_pdf(tmp_path / "figures.pdf", _matrix_text(lines)))
    assert [b.kind for b in doc.blocks] == ["table"]
    assert "Community mental health team for children and young people | 102 | 28" \
        in doc.blocks[0].text


def test_list_item_running_on_over_a_page_break_is_one_item(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Over the next year the board will:")
    pdf.set_y(262)  # the last item starts at the foot of the page and runs on overleaf
    pdf.cell(5, 5, "\u2022")
    pdf.cell(0, 5, "run outreach clinics for people who have not seen a GP, and", new_x="LMARGIN",
             new_y="NEXT")
    pdf.add_page()
    _para(pdf, "offer them an appointment in the same week.")
    kinds = _kinds(_save(pdf, tmp_path / "runon_list.pdf"))
    assert kinds == [("list", "Over the next year the board will:\nrun outreach clinics for people "
                              "who have not seen a GP, and offer them an appointment in the same "
                              "week.")]


def _chart(pdf: FPDF, caption: str) -> None:
    """Ticks, axis labels and a caption in the body's size, as a chart's page has them."""
    pdf.set_font("Helvetica", "", 9)
    for k, tick in enumerate(["0", "10", "20", "30", "40", "50", "60", "70"]):
        pdf.text(30, 150 - 12 * k, tick)
    for k, label in enumerate(["Age 12", "Age 16", "Age 20", "Age 24"]):
        pdf.text(45 + 35 * k, 160, label)
    pdf.set_y(170)
    _para(pdf, caption)


def test_a_sentence_runs_on_past_a_page_holding_only_a_chart(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY)
    pdf.set_y(262)
    pdf.cell(0, 5, "Missing areas were given decile 5, the median decile for 11 to 25 year old",
             new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    _chart(pdf, "Figure 5: Patients still in contact with the service a year later, by age. "
                "Confidence intervals are shown.")
    pdf.add_page()
    _para(pdf, "residents of the city in the 2019 population estimates.")
    labelled = [(p.kind, p.text) for p in segment(read_document(_save(pdf, tmp_path / "r.pdf")))
                if p.kind in LABELLED_KINDS]
    assert labelled == [("prose", BODY.strip()),
                        ("prose", "Missing areas were given decile 5, the median decile for "
                                  "11 to 25 year old residents of the city in the 2019 "
                                  "population estimates.")]


def test_a_caption_left_open_at_a_pages_foot_does_not_take_the_next_page(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY)
    _chart(pdf, "Figure 1: Registered carers as a share of the adult population of the city "
                "(a) and registered carers by sex as a share of all men and all women (b)")
    pdf.add_page()
    _para(pdf, "When we split patients by age band we see the largest differences in the "
               "share registered as carers.")
    kinds = [(p.kind, p.text) for p in segment(read_document(_save(pdf, tmp_path / "c.pdf")))
             if p.kind in ("prose", "caption")]
    assert kinds == [
        ("prose", BODY.strip()),
        ("caption", "Figure 1: Registered carers as a share of the adult population of the "
                    "city (a) and registered carers by sex as a share of all men and all "
                    "women (b)"),
        ("prose", "When we split patients by age band we see the largest differences in the "
                  "share registered as carers.")]


def test_a_list_going_on_over_a_page_break_is_one_list_and_o_marks_an_item(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "The panel may decide:")
    pdf.set_y(255)  # the first items at the foot of the page, the rest overleaf
    for item in ("\u2022 to approve funding for the treatment requested",
                 "\u2022 to decline funding on one of two grounds:",
                 "o that it has too little information to decide"):
        pdf.cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.cell(0, 5, "o that the request does not meet the criteria of the policy",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, "\u2022 to refer the case to a specialist for advice", new_x="LMARGIN",
             new_y="NEXT")
    kinds = _kinds(_save(pdf, tmp_path / "over.pdf"))
    assert kinds == [("list", "The panel may decide:\nto approve funding for the treatment "
                              "requested\nto decline funding on one of two grounds:\nthat it "
                              "has too little information to decide\nthat the request does not "
                              "meet the criteria of the policy\nto refer the case to a "
                              "specialist for advice")]


def test_a_short_line_ending_a_sentence_wraps_when_the_next_word_would_not_fit(tmp_path):
    # ragged right, as Word sets it: "analysis." stops 3-4 ems short of the longest line,
    # but "Denominators" would not have fit there, so the paragraph goes on; "We" would
    # have, so the line before it ended a paragraph
    kinds = _line_kinds(tmp_path / "ragged.pdf", [
        "We drew on open data on age, sex and ethnicity for analysis.",
        "Denominators for the look-back analyses came from yearly population",
        "estimates for each of the six years that the study covered.",
        "We also linked each household to the deprivation of its small area."])
    assert kinds == [
        ("prose", "We drew on open data on age, sex and ethnicity for analysis. Denominators "
                  "for the look-back analyses came from yearly population estimates for each "
                  "of the six years that the study covered."),
        ("prose", "We also linked each household to the deprivation of its small area.")]


def test_a_code_in_the_next_cell_does_not_end_the_open_sentence(tmp_path):
    # a slide table drawn cell by cell: the outcome code sits up at the row's top, to the
    # right of a measure that stops without a full stop; it is not the sentence going on
    content = (_text_lines([
        ("F1", 700, "Staff in the family hub understand the money worries of the families they"),
        ("F1", 686, "see and are able to connect them to appropriate support within the network")])
        + _text_lines([("F1", 760, "SO1")], x=500))
    assert _kinds(_stream_pdf(tmp_path / "code.pdf", content)) == [
        ("prose", "Staff in the family hub understand the money worries of the families they see "
                  "and are able to connect them to appropriate support within the network"),
        ("fragment", "SO1")]


def test_a_figure_set_large_is_read_with_the_caption_below_it(tmp_path):
    # an infographic's key figures: each number with the small text under it is one
    # statement; the numbers are not headings and the captions are not one paragraph
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY)
    figures = [("4,200", "households live in cold, damp homes with someone who has a "
                         "long-term health condition"),
               ("1 in 3", "callers to the advice services in the borough had never asked "
                          "for help of any kind before")]
    for k, (figure, caption) in enumerate(figures):
        pdf.set_font("Helvetica", "B", 24)
        pdf.text(20 + 90 * k, 80, figure)
        pdf.set_font("Helvetica", "", 8)
        pdf.set_xy(20 + 90 * k, 83)
        pdf.multi_cell(70, 4, caption)
    pdf.set_xy(20, 110)
    _para(pdf, BODY)
    kinds = _kinds(_save(pdf, tmp_path / "figures.pdf"))
    assert kinds == [("prose", BODY.strip()),
                     *(("prose", f"{figure} {caption}") for figure, caption in figures),
                     ("prose", BODY.strip())]


def test_points_set_one_to_a_line_without_bullets_are_a_list(tmp_path):
    # a slide's points: each line stops where the next line's first word would have fit
    points = ["Men in the most deprived wards live ten years less than in the least",
              "Smoking explains about a third of the gap in life expectancy between the richest "
              "and poorest",
              "Child poverty after housing costs has risen in every ward since 2015",
              "Waiting times for mental health care are longest in the east"]
    assert _line_kinds(tmp_path / "points.pdf", points) == [("list", "\n".join(points))]
    items = ["damp and cold homes are making their children ill",
             "bus routes to the hospital were cut, so appointments are missed",
             "they want advice on money in places they already go"]
    lead_in = "At the spring events held in each of the six wards, residents told us that:"
    assert _line_kinds(tmp_path / "lead_in.pdf", [lead_in, *items]) == [
        ("list", "\n".join([lead_in, *items]))]
    # one left edge, items of four words or more, no sentence ending inside a line: an
    # address, or prose whose lines happen to stop short, is not a list
    assert [kind for kind, _ in _line_kinds(tmp_path / "address.pdf", [
        "Glenarrow Council", "Civic Centre, High Street", "Glenarrow GL1 2AB"])] == ["fragment"]
    prose = _line_kinds(tmp_path / "prose.pdf", [
        "The board agreed the plan. It will fund the service in",
        "Leeds and Bradford from April, and report on its reach",
        "Families in temporary housing will be offered a visit"])
    assert [kind for kind, _ in prose] == ["prose"]


def test_items_indented_under_a_lead_in_with_bullets_drawn_as_shapes_are_a_list(tmp_path):
    # a web page printed to PDF: the bullets are drawn, not written, so only the indent
    # and the short line ending the first item show where the items part
    rows = [("Our sources of data on carers were:", 72),
            ("Primary care records, from appointments or registrations, where a", 100),
            ("clinician noted that a patient was an unpaid carer,", 100),
            ("Adult social care records, marking contacts between people and the", 100),
            ("council, assessments and packages of support.", 100)]
    lines = [(text, 10, x, 700 - 14 * k, "F1") for k, (text, x) in enumerate(rows)]
    doc = read_document(_stream_pdf(tmp_path / "printed.pdf", _matrix_text(lines)))
    passages = segment(doc)
    assert [(p.kind, p.text.count("\n")) for p in passages] == [("list", 2)]


def test_a_line_ending_in_i_e_runs_on_into_the_next(tmp_path):
    kinds = _line_kinds(tmp_path / "ie.pdf", [
        "Where the panel finds an error in the decision, i.e.",
        "a) the evidence was not weighed or the criteria were misread, it will refer the",
        "case back to the board."])
    assert kinds == [("prose", "Where the panel finds an error in the decision, i.e. a) the "
                               "evidence was not weighed or the criteria were misread, it will "
                               "refer the case back to the board.")]


def test_a_caption_set_without_spacing_does_not_take_the_next_paragraph(tmp_path):
    # a figure's title and source set in the body's spacing, as a word processor's default
    # style does, with the text going on straight after: the caption ends with its sentence
    kinds = _line_kinds(tmp_path / "caption.pdf", [
        "These are national decisions, but their effects are felt in our wards.",
        "Figure 3: Children living in poverty after housing costs, by ward",
        "Source: Department for Work and Pensions, children in low income families.",
        "The council has put welfare rights advisers in every family hub, and last year",
        "they helped families claim two million pounds in benefits they were owed."])
    assert kinds == [
        ("prose", "These are national decisions, but their effects are felt in our wards."),
        ("caption", "Figure 3: Children living in poverty after housing costs, by ward "
                    "Source: Department for Work and Pensions, children in low income "
                    "families."),
        ("prose", "The council has put welfare rights advisers in every family hub, and last "
                  "year they helped families claim two million pounds in benefits they were "
                  "owed.")]


def test_a_heading_in_body_size_is_bold_by_its_fonts_name_when_its_weight_says_400(tmp_path):
    # Word and LibreOffice PDFs often describe their bold fonts with weight 400: the name
    # ("...-Bold") says it, and "Background" is a heading, not the start of the paragraph
    content = _text_lines([
            ("F2", 720, "Background"),
            ("F1", 706, "The Health and Wellbeing Board agreed in March that the council "
                        "should lead the plan."),
            ("F2", 680, "Recommendations"),
            ("F1", 666, "Cabinet is asked to approve the plan and its three priorities.")])
    path = _stream_pdf(tmp_path / "weight.pdf", content, bold_weight=400)
    passages = segment(read_document(path))
    assert [(p.kind, p.text, p.heading_path[-1]) for p in passages] == [
        ("heading", "Background", "Background"),
        ("prose", "The Health and Wellbeing Board agreed in March that the council should "
                  "lead the plan.", "Background"),
        ("heading", "Recommendations", "Recommendations"),
        ("prose", "Cabinet is asked to approve the plan and its three priorities.",
         "Recommendations")]


def test_a_forms_field_in_bold_is_not_a_heading(tmp_path):
    # "Decision Number: 24/00115" in bold body type names a field, not a section
    content = _text_lines([
            ("F2", 720, "Decision Number: 24/00115"),
            ("F1", 690, "The Health and Wellbeing Board agreed in March that the council "
                        "should lead the plan.")])
    passages = segment(read_document(_stream_pdf(tmp_path / "field.pdf", content)))
    assert [(p.kind, p.heading_path) for p in passages] == [("fragment", ()), ("prose", ())]


def test_a_bold_title_running_into_a_flowcharts_narrow_lines_is_one_sentence(tmp_path):
    # a flowchart's box: "Assessment of" in bold, going on in narrow regular lines; read
    # as the one sentence it is, not as a heading over a fragment
    lines = [("F2", 700, "Assessment of"), ("F1", 687, "the degree of"),
             ("F1", 674, "needs, and why"), ("F1", 661, "help is sought")]
    content = _text_lines(lines, x=190)
    passages = segment(read_document(_stream_pdf(tmp_path / "flow.pdf", content)))
    assert [(p.text, p.heading_path) for p in passages] == [
        ("Assessment of the degree of needs, and why help is sought", ())]


def test_lead_in_and_bullets_make_one_list_passage(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Over the next year the board will:")
    for item in ("run outreach clinics in the east of the borough",
                 "offer interpreters at every appointment",
                 "report waiting times by deprivation quintile"):
        pdf.cell(5, 5, "\u2022")
        pdf.multi_cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
    kinds = _kinds(_save(pdf, tmp_path / "list.pdf"))
    assert kinds == [("list", "Over the next year the board will:\nrun outreach clinics in the "
                              "east of the borough\noffer interpreters at every appointment\n"
                              "report waiting times by deprivation quintile")]


def test_numbered_items_after_a_lead_in_make_one_list_and_a_bold_number_a_heading(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "5. Priorities", style="B")
    _para(pdf, "Our priorities for the year are:")
    for item in ("1. to cut waits for patients from the most deprived areas;",
                 "2. to work with the councils on housing and income; and",
                 "3. to report progress to the Board every six months."):
        pdf.cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
    kinds = _kinds(_save(pdf, tmp_path / "numbered.pdf"))
    assert kinds == [("heading", "5. Priorities"),
                     ("list", "Our priorities for the year are:\n1. to cut waits for patients "
                              "from the most deprived areas;\n2. to work with the councils on "
                              "housing and income; and\n3. to report progress to the Board "
                              "every six months.")]


def test_items_numbered_before_capitals_after_a_lead_in_are_one_list_not_headings(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, " ".join(SENTENCES))
    _para(pdf, "These data were used to define the following outcomes:")
    for item in ("1. Emergency admissions for self-harm, eating disorders and other mental "
                 "health problems, from the hospital episode records. (From SUS)",
                 "2. Any referrals to mental health services. (From MHSDS)",
                 "3. Any contacts with mental health services. (From MHSDS)"):
        _para(pdf, item)
    _para(pdf, "Appendix B gives the codes used to define each outcome.")
    kinds = [kind for kind, _ in _kinds(_save(pdf, tmp_path / "outcomes.pdf"))]
    assert kinds == ["prose", "list", "prose"]


def test_a_numbered_list_going_on_over_a_page_keeps_its_items(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, " ".join(SENTENCES * 2))
    _para(pdf, "I am making four recommendations to the council and its partners:")
    _para(pdf, "1. The council should extend the family hub model to every ward.")
    _para(pdf, "2. The board should fund two more mental health support teams.")
    pdf.add_page()
    _para(pdf, "3. Maternity services should agree a single infant feeding pathway.")
    _para(pdf, "4. Schools should take part in supervised toothbrushing from next year.")
    _para(pdf, "I will report on progress against each of these in next year's report.")
    kinds = _kinds(_save(pdf, tmp_path / "recommendations.pdf"))
    assert [kind for kind, _ in kinds] == ["prose", "list", "prose"]
    assert kinds[1][1].count("\n") == 4  # the lead-in and four items


def test_a_short_numbered_lead_in_with_lettered_items_is_a_list_not_a_heading(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, " ".join(SENTENCES * 2))
    _para(pdf, "2.1 Cabinet is asked to:")
    for item in ("(a) Approve the public health grant allocation for the coming year.",
                 "(b) Approve the new weight management service for adults.",
                 "(c) Note the results of the consultation with residents."):
        _para(pdf, item)
    kinds = _kinds(_save(pdf, tmp_path / "asked.pdf"))
    assert [kind for kind, _ in kinds] == ["prose", "list"]


def _paragraph_kinds(path, paragraphs: list) -> list[tuple[str, str]]:
    """The passages of a PDF of `paragraphs` set one after another: each a text, a (text,
    size, style) for a heading, or None for a page break."""
    pdf = _pdf()
    pdf.add_page()
    for paragraph in paragraphs:
        if paragraph is None:
            pdf.add_page()
        elif isinstance(paragraph, tuple):
            _para(pdf, paragraph[0], size=paragraph[1], style=paragraph[2])
        else:
            _para(pdf, paragraph)
    return _kinds(_save(pdf, path))


def test_a_numbered_heading_after_lettered_items_is_not_their_next_item(tmp_path):
    # "4. Implications" after (a) (b) (c): the fourth marker in numbers, not letters
    kinds = _paragraph_kinds(tmp_path / "implications.pdf", [
        "3.1 Cabinet is asked to:",
        "(a) Approve the public health grant allocation for the coming year.",
        "(b) Approve the new weight management service for adults.",
        "(c) Note the results of the consultation with residents.",
        ("4. Implications", 14, "B"), " ".join(SENTENCES)])
    assert [kind for kind, _ in kinds] == ["list", "heading", "prose"]
    assert kinds[1][1] == "4. Implications"


@pytest.mark.parametrize("markers", [("a.", "b.", "c."), ("i.", "ii.", "iii.")])
def test_items_marked_with_a_letter_or_roman_number_and_a_stop_are_a_list(tmp_path, markers):
    kinds = _paragraph_kinds(tmp_path / "asked.pdf", [
        "The Health and Wellbeing Board is asked to:",
        *(f"{marker} {item}" for marker, item in zip(markers, (
            "note the increase in emergency admissions for asthma among children;",
            "support the proposal to prioritise families with young children; and",
            "agree to receive a further report in the spring.")))])
    assert [kind for kind, _ in kinds] == ["list"]
    assert kinds[0][1].count("\n") == 3


def test_items_opening_with_a_sum_are_list_items(tmp_path):
    kinds = _paragraph_kinds(tmp_path / "sums.pdf", [
        "That Cabinet approves the fund as set out in Appendix A, including:",
        "(i) £1.4 million for free school meal holiday vouchers;",
        "(ii) £0.9 million for a crisis fund run by the welfare rights team; and",
        "(iii) £0.8 million for energy vouchers given out through food banks."])
    assert [kind for kind, _ in kinds] == ["list"]
    assert kinds[0][1].count("\n") == 3


def test_lettered_items_going_on_over_a_page_stay_in_their_list(tmp_path):
    kinds = _paragraph_kinds(tmp_path / "resolved.pdf", [
        " ".join(SENTENCES * 2), "RESOLVED - That the Board:",
        "(a) notes the update and the continuing fall in life expectancy;",
        "(b) endorses the proposal to adopt the Marmot principles; and", None,
        "(c) asks the Director of Public Health to report back in July.", " ".join(SENTENCES)])
    assert [kind for kind, _ in kinds] == ["prose", "list", "prose"]
    assert kinds[1][1].count("\n") == 3


def test_sub_items_and_the_items_after_them_stay_in_their_list(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "The Health and Wellbeing Board is asked to:")
    _para(pdf, "1. note the progress made since the alliance was set up in 2022;")
    _para(pdf, "2. approve the delivery plan, in particular:")
    pdf.set_left_margin(30)
    _para(pdf, "a) the focus on routine and manual workers and on people with a serious "
               "mental illness; and")
    _para(pdf, "b) the measures of smoking in pregnancy;")
    pdf.set_left_margin(20)
    _para(pdf, "3. agree that each partner will name a senior sponsor for the plan.")
    kinds = _kinds(_save(pdf, tmp_path / "nested.pdf"))
    assert [kind for kind, _ in kinds] == ["list"]
    assert kinds[0][1].count("\n") == 5


def test_a_numbered_line_with_a_sentence_ending_inside_it_is_not_a_heading(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, " ".join(SENTENCES))
    _para(pdf, "4. Referrals are counted once. (See Appendix B)")
    _para(pdf, "5. Outcomes")
    kinds = _kinds(_save(pdf, tmp_path / "numbered-line.pdf"))
    assert [kind for kind, _ in kinds] == ["prose", "fragment", "heading"]


def test_a_numbered_paragraph_leading_into_bullets_is_their_lead_in_not_a_heading(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Outcomes of screening", style="B")
    _para(pdf, "34. The screening group will have the following outcomes available to them:")
    for item in ("\u2022 the request meets a commissioning policy and goes no further",
                 "\u2022 the request goes on to the panel for a decision"):
        pdf.cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
    kinds = _kinds(_save(pdf, tmp_path / "lead_in.pdf"))
    assert kinds == [("heading", "Outcomes of screening"),
                     ("list", "The screening group will have the following outcomes available "
                              "to them:\nthe request meets a commissioning policy and goes no "
                              "further\nthe request goes on to the panel for a decision")]


# --- characters: hyphens, ligatures, superscripts -------------------------------------------

def test_line_end_hyphens_mended_by_the_compound_rule(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    for row in ("We will reduce health inequal-", "ities and rates of self-",
                "harm in the long-", "term, a long-term commitment."):
        pdf.cell(0, 5, row, new_x="LMARGIN", new_y="NEXT")
    doc = read_document(_save(pdf, tmp_path / "hyphens.pdf"))
    assert doc.text == ("We will reduce health inequalities and rates of self-harm in the "
                        "long-term, a long-term commitment.")


def test_superscript_citation_numbers_are_removed(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.write(5, "Life expectancy is lowest in the north of England")
    pdf.char_vpos = "SUP"
    pdf.write(5, "11")
    pdf.char_vpos = "LINE"
    pdf.write(5, " and the gap has widened since 1831")
    pdf.char_vpos = "SUP"
    pdf.write(5, "2")
    pdf.char_vpos = "LINE"
    pdf.write(5, ", as many studies show.")
    doc = read_document(_save(pdf, tmp_path / "sup.pdf"))
    assert doc.text == ("Life expectancy is lowest in the north of England and the gap has "
                        "widened since 1831, as many studies show.")


def test_a_word_hyphenated_across_a_column_break_keeps_its_item_in_order(tmp_path):
    # pdfium joins "plan-" at the foot of the left column and "ning" at the top of the
    # right into one line spanning both: item 2 must stay before items 3 and 4
    left = ["Our recommendations are set out below.", "1. Give carers a named contact in every",
            "ward and at every practice in the city.", "2. Talk to carers before discharge and",
            "involve them in plan-"]
    right = ["ning discharge from the start.", "3. Offer every young carer a break at",
             "least once in each school holiday.", "4. Publish what we spend on carers",
             "each year, ward by ward."]
    lines = [*_rows(left, 65, 160, 13), *_rows(right, 306, 740, 13)]
    doc = read_document(_stream_pdf(tmp_path / "columns.pdf", _matrix_text(lines)))
    assert [b.text[:10] for b in doc.blocks] == [
        "Our recomm", "Give carer", "Talk to ca", "Offer ever", "Publish wh"]
    assert "involve them in planning discharge from the start." in doc.text


def test_paragraphs_spaced_a_little_apart_in_a_narrow_column_are_two(tmp_path):
    # a newsletter box: lines 13 points apart, paragraphs 16.5 apart (under 1.3 pitches),
    # the first paragraph's last line too full for the next one's first word
    first = ["Flu and COVID-19 vaccines are free for", "older people and for health and care",
             "workers in the borough, and for carers."]
    second = ["Children aged two and three can have", "the flu vaccine as a nasal spray."]
    lines = [*[(row, 9.5, 224, 640 - 13.05 * k, "F1") for k, row in enumerate(first)],
             *[(row, 9.5, 224, 613.9 - 16.5 - 13.05 * k, "F1")
               for k, row in enumerate(second)]]
    doc = read_document(_stream_pdf(tmp_path / "box.pdf", _matrix_text(lines)))
    assert [b.text for b in doc.blocks] == [" ".join(first), " ".join(second)]


def test_entries_without_full_stops_spaced_a_little_apart_are_apart(tmp_path):
    # a newsletter's diary: each entry's first line in bold, its last short, no full
    # stops, entries 15.9 points apart against 13.05 between lines
    entries = [("Tuesday 7 October – Flu vaccine", ["drop-in at the Quayside Community",
                                                    "Centre, 10am to 2pm"]),
               ("Monday 3 November –", ["Menopause café, St Luke's church", "hall, 7pm to 8pm"]),
               ("Saturday 11 October – Family fun", ["day and health checks, Hollin",
                                                     "Bank Park, 11am to 3pm"])]
    lines, y = [], 683.6
    for bold, rest in entries:
        for k, row in enumerate([bold, *rest]):
            lines.append((row.replace("–", "\x96"), 9.5, 396.5, y - 13.05 * k,  # WinAnsi
                          "F2" if k == 0 else "F1"))
        y -= 13.05 * len(rest) + 15.9
    doc = read_document(_stream_pdf(tmp_path / "diary.pdf", _matrix_text(lines)))
    assert [b.text for b in doc.blocks] == [" ".join([bold, *rest]) for bold, rest in entries]


def test_a_first_line_indent_after_a_full_justified_line_starts_a_paragraph(tmp_path):
    # book style: no space between paragraphs, a first-line indent; justified lines all
    # end at the same edge, so the indent is what parts them
    measure = FPDF(unit="pt")
    measure.set_font("Helvetica", size=10.5)
    rows = [(51, "Routine data on deaths, admissions and the use of services in every ward"),
            (51, "were read with the views of residents and of the staff who work there, and"),
            (51, "they show where the next ten years of effort should be directed first."),
            (68, "We drew on three kinds of evidence for this review, and on the advice of")]
    content = ""
    for k, (x, text) in enumerate(rows):  # word spacing stretches each line to x = 415
        spacing = (415 - x - measure.get_string_width(text)) / text.count(" ")
        content += f"BT /F1 10.5 Tf {spacing:.3f} Tw {x} {700 - 14.5 * k} Td ({text}) Tj ET "
    doc = read_document(_stream_pdf(tmp_path / "book.pdf", content))
    assert [b.text[:12] for b in doc.blocks] == ["Routine data", "We drew on t"]


def test_a_date_line_a_little_smaller_than_the_text_under_it_is_not_its_first_line(tmp_path):
    # a subtitle at 11 points, one line above an introduction set at 11.5
    intro = ["This needs assessment describes the health and wellbeing of the people",
             "in the borough who look after a relative or friend without being paid."]
    lines = [("Unpaid carers: health needs assessment 2025", 20, 65, 750, "F2"),
             ("Public Health Intelligence Team | March 2025", 11, 65, 707, "F1"),
             *[(row, 11.5, 65, 685.3 - 17.2 * k, "F1") for k, row in enumerate(intro)]]
    doc = read_document(_stream_pdf(tmp_path / "subtitle.pdf", _matrix_text(lines)))
    assert [b.text for b in doc.blocks][1:] == [
        "Public Health Intelligence Team | March 2025", " ".join(intro)]


def test_a_raised_decimal_figure_keeps_its_decimals(tmp_path):
    # chart labels "25.5" and "25.9" on one line, the second set 1.7 points higher
    content = ("BT /F1 8 Tf 100 500 Td (25.5) Tj ET BT /F1 8 Tf 130 501.7 Td (25.9) Tj ET "
               "BT /F1 10 Tf 72 700 Td (Rates of obesity by ward in the borough, 2023.) Tj ET")
    doc = read_document(_stream_pdf(tmp_path / "labels.pdf", content))
    assert "25.5 25.9" in doc.text


def test_unit_separator_is_the_fi_ligature(tmp_path):
    path = _stream_pdf(tmp_path / "lig.pdf", _matrix_text(
        [("Groups identi\x1fed as at risk will bene\x1ft from outreach.", 10, 72, 700, "F1")]))
    assert read_document(path).text == "Groups identified as at risk will benefit from outreach."


# --- titles and errors ------------------------------------------------------------------------

def test_title_from_metadata_else_largest_text_never_junk(tmp_path):
    pdf = _pdf()
    pdf.set_title("Microsoft Word - draft_v3.docx")
    pdf.add_page()
    _para(pdf, "Contents", size=12, style="B")
    _para(pdf, "Fairer Health in Kestrel Valley", size=24, style="B")
    _para(pdf, BODY)
    assert read_document(_save(pdf, tmp_path / "a.pdf")).title == \
        "Fairer Health in Kestrel Valley"
    pdf = _pdf()
    pdf.set_title("Joint Health and Wellbeing Strategy 2024-2030")
    pdf.add_page()
    _para(pdf, BODY)
    assert read_document(_save(pdf, tmp_path / "b.pdf")).title == \
        "Joint Health and Wellbeing Strategy 2024-2030"
    pdf = _pdf()
    pdf.set_title("www.kestrelvalley.gov.uk")
    pdf.add_page()
    _para(pdf, BODY)
    assert read_document(_save(pdf, tmp_path / "jsna_chapter-4.pdf")).title == \
        "Jsna chapter 4"


def test_a_row_of_statistics_set_large_is_neither_title_nor_heading(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Health in Northgate ward", size=16, style="B")
    _para(pdf, BODY)
    _para(pdf, "71.3    38%    1 in 3    2x", size=26, style="B")
    _para(pdf, "CORE20 PLUS 5", size=14, style="B")
    _para(pdf, BODY)
    doc = read_document(_save(pdf, tmp_path / "profile.pdf"))
    assert doc.title == "Health in Northgate ward"
    assert [(p.kind, p.heading_path[-1]) for p in segment(doc)] == [
        ("heading", "Health in Northgate ward"), ("prose", "Health in Northgate ward"),
        ("fragment", "Health in Northgate ward"), ("heading", "CORE20 PLUS 5"),
        ("prose", "CORE20 PLUS 5")]


def _running_head(text: str, size: float, style: str = "") -> type[FPDF]:
    """A4 pages (an FPDF class) opening with `text` as a running head of one line."""

    class Headed(FPDF):
        def header(self):
            self.set_font("Helvetica", style, size)
            self.cell(0, 0.45 * size, text, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

    return Headed


def test_a_title_set_large_as_a_running_head_is_the_title(tmp_path):
    pdf = _pdf(_running_head("Director of Public Health Annual Report", 20, "B"))
    pdf.set_top_margin(8)  # the head within the page's top 8%
    for page in range(2):
        pdf.add_page()
        _para(pdf, "Our priorities for 2024 to 2027" if not page else "Where we are now",
              size=15, style="B")
        _para(pdf, BODY * 2)
    doc = read_document(_save(pdf, tmp_path / "dph.pdf"))
    assert doc.title == "Director of Public Health Annual Report"
    assert "Annual Report" not in doc.text  # still dropped from the text as a running head


def test_a_numbered_heading_can_be_the_title(tmp_path):
    # "5. Implications": a section's number, not a sentence ending inside the line
    pdf = _pdf(_running_head("Cabinet agenda item seven", 8))
    pdf.set_top_margin(8)
    for page in range(2):
        pdf.add_page()
        if not page:
            _para(pdf, "5. Implications", size=16, style="B")
        _para(pdf, BODY)
    assert read_document(_save(pdf, tmp_path / "extract.pdf")).title == "5. Implications"


def test_a_letters_subject_heading_is_its_title_before_its_address(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    for line in ("Cllr Jane Morris", "Chair, Health Scrutiny Committee", "Town Hall"):
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    _para(pdf, "Dear Councillor Morris,")
    _para(pdf, "Closure of Eastfield walk-in centre", style="B")
    _para(pdf, BODY)
    assert read_document(_save(pdf, tmp_path / "letter.pdf")).title == \
        "Closure of Eastfield walk-in centre"


def test_password_protected(tmp_path):
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    _para(pdf, BODY)
    path = _save(pdf, tmp_path / "locked.pdf")
    with pytest.raises(DocumentReadError, match=r"locked.pdf: password-protected PDF; save an "
                                                r"unprotected copy"):
        read_document(path)


def test_image_only_asks_for_ocr(tmp_path):
    pdf = _pdf()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (120, 80), 200), x=20, y=20, w=120)
    path = _save(pdf, tmp_path / "scan.pdf")
    with pytest.raises(DocumentReadError, match=r"scan.pdf: no text layer .*2 page.*run OCR "
                                                r"first"):
        read_document(path)


def test_blank_pages(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    path = _save(pdf, tmp_path / "blank.pdf")
    with pytest.raises(DocumentReadError, match="no text on any of its 1 page"):
        read_document(path)


def test_truncated_and_corrupt(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY)
    data = _save(pdf, tmp_path / "good.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentReadError, match=r"cut.pdf: truncated PDF .*download or copy "
                                                r"it again"):
        read_document(cut)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")
    with pytest.raises(DocumentReadError, match=r"broken.pdf: damaged PDF, pdfium cannot open "
                                                r"it"):
        read_document(broken)


@pytest.mark.filterwarnings("ignore:The total page count")
def test_pdf_of_1000_pages_is_read_page_by_page(tmp_path):
    pdf = _pdf(_Paper)
    for page in range(1, 1001):
        pdf.add_page()
        pdf.cell(0, 5, f"Paragraph on page {page} about damp housing and child health in the "
                       "borough.", new_x="LMARGIN", new_y="NEXT")
    doc = read_document(_save(pdf, tmp_path / "long.pdf"))
    assert doc.n_pages == 1000
    assert [b.page for b in doc.blocks if b.kind == "paragraph"] == list(range(1, 1001))
    assert "Kestrel" not in doc.text and "Page 1000" not in doc.text
