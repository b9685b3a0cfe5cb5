"""Readers: every format from fixtures made here, and every kind of bad input."""

import io
import re
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from framingclf import score_documents
from framingclf.errors import DocumentReadError
from framingclf.readers import read_document, sniff
from framingclf.segment import segment

BODY = ("Patients from the most deprived neighbourhoods wait longer for planned care, and "
        "the trust will report waiting times by deprivation quintile from April. ")


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


def _save(pdf: FPDF, path):
    pdf.output(str(path))
    return path


@pytest.fixture()
def board_pdf(tmp_path):
    pdf = _pdf(_Paper)
    for page in range(1, 4):
        pdf.add_page()
        _para(pdf, f"{page}. Section {page}", size=14, style="B")
        _para(pdf, f"Paragraph A of page {page}. " + BODY * 2)
        _para(pdf, f"Paragraph B of page {page}. " + BODY)
    return _save(pdf, tmp_path / "board.pdf")


# --- PDF ----------------------------------------------------------------------------------

def test_pdf_pages_headings_and_paragraphs(board_pdf):
    doc = read_document(board_pdf)
    assert (doc.format, doc.n_pages) == ("pdf", 3)
    headings = [(b.text, b.page) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("1. Section 1", 1), ("2. Section 2", 2), ("3. Section 3", 3)]
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert [b.page for b in paragraphs] == [1, 1, 2, 2, 3, 3]
    assert paragraphs[2].text == "Paragraph A of page 2. " + (BODY * 2).strip()
    assert paragraphs[2].heading_path == ("2. Section 2",)
    assert doc.title == "1. Section 1"


def test_pdf_running_header_footer_and_page_numbers_are_removed(board_pdf):
    doc = read_document(board_pdf)
    assert "Kestrel Valley" not in doc.text and "Board of Directors" not in doc.text
    assert not re.search(r"Page \d", doc.text)
    assert all(not p.text.startswith("Kestrel") for p in segment(doc))


def test_pdf_page_number_alone_is_removed_even_on_one_page(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY)
    pdf.set_y(-15)
    pdf.cell(0, 5, "- 1 -", align="C")
    doc = read_document(_save(pdf, tmp_path / "one.pdf"))
    assert doc.text == BODY.strip()


def test_pdf_table_is_a_table_block_not_a_passage(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, BODY)
    with pdf.table(col_widths=(60, 20, 20)) as table:
        for row in [("Measure", "Q1", "Q2"), ("RTT within 18 weeks", "58.7%", "59.3%"),
                    ("Four-hour standard", "66.1%", "68.9%")]:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(4)
    _para(pdf, "After the table. " + BODY)
    doc = read_document(_save(pdf, tmp_path / "table.pdf"))
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [t.text for t in tables] == [
        "Measure | Q1 | Q2\nRTT within 18 weeks | 58.7% | 59.3%\n"
        "Four-hour standard | 66.1% | 68.9%"]
    assert not any("58.7%" in p.text for p in segment(doc))


def test_pdf_two_column_page_reads_column_by_column(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    texts = [f"Column paragraph {n} opens here. " + BODY * 3 for n in range(1, 5)]
    with pdf.text_columns(ncols=2, gutter=10, balance=True) as cols:
        for text in texts:
            with cols.paragraph(bottom_margin=3) as par:
                par.write(text=text)
    doc = read_document(_save(pdf, tmp_path / "columns.pdf"))
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    # pdfium keeps the order fpdf2 wrote (left column, then right); the paragraph that
    # runs from the foot of the left column to the top of the right one is rejoined
    assert paragraphs == [t.strip() for t in texts]


def test_pdf_columns_written_across_the_page_become_table_rows(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    for n in range(8):  # a producer writing both columns' lines in one pass
        pdf.cell(80, 5, f"left column line {n} about housing")
        pdf.cell(0, 5, f"right column line {n} about income", new_x="LMARGIN", new_y="NEXT")
    doc = read_document(_save(pdf, tmp_path / "interleaved.pdf"))
    assert [b.kind for b in doc.blocks] == ["table"]
    assert segment(doc) == []


def test_pdf_hyphenation_bullets_and_headings_in_bold(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _para(pdf, "Summary of progress", style="B")
    pdf.cell(0, 5, "We will reduce health inequal-", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, "ities through a long-", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, "term plan, a long-term commitment.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for item in ("First item about outreach clinics", "Second item about interpreters"):
        pdf.cell(5, 5, "\u2022")
        pdf.multi_cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
    doc = read_document(_save(pdf, tmp_path / "clean.pdf"))
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert kinds == [
        ("heading", "Summary of progress"),
        ("paragraph", "We will reduce health inequalities through a long-term plan, a "
                      "long-term commitment."),
        ("paragraph", "• First item about outreach clinics\n• Second item about interpreters"),
    ]


def test_pdf_password_protected(tmp_path):
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    _para(pdf, BODY)
    path = _save(pdf, tmp_path / "locked.pdf")
    with pytest.raises(DocumentReadError, match=r"locked.pdf: password-protected PDF; save an "
                                                r"unprotected copy"):
        read_document(path)


def test_pdf_image_only_asks_for_ocr(tmp_path):
    pdf = _pdf()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (120, 80), 200), x=20, y=20, w=120)
    path = _save(pdf, tmp_path / "scan.pdf")
    with pytest.raises(DocumentReadError, match=r"scan.pdf: no text layer .*2 page.*run OCR "
                                                r"first"):
        read_document(path)


def test_pdf_blank_pages(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    path = _save(pdf, tmp_path / "blank.pdf")
    with pytest.raises(DocumentReadError, match="no text on any of its 1 page"):
        read_document(path)


def test_pdf_truncated_and_corrupt(board_pdf, tmp_path):
    data = board_pdf.read_bytes()
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
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert [b.page for b in paragraphs] == list(range(1, 1001))
    assert "Kestrel" not in doc.text and "Page 1000" not in doc.text


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


def test_text_encodings(tmp_path):
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Caf\u00e9 culture and cold homes in the borough.".encode("utf-16"))
    assert read_document(utf16).text == "Caf\u00e9 culture and cold homes in the borough."
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"First line\nThe \xa3 spent on housing")
    with pytest.raises(DocumentReadError, match=r"latin.txt: not UTF-8 text \(byte 0xa3 at "
                                                r"offset 15, line 2\); re-save the file as UTF-8"):
        read_document(latin)


def test_markdown_links_emphasis_and_running_lines_in_text(tmp_path):
    path = tmp_path / "notes.md"
    pages = [f"Kelbeck Council minutes\n\n# Item {n}\n\nThe **committee** read the "
             f"[housing report](https://example.org/{n}) on damp homes.\n\n{n}" for n in (1, 2)]
    path.write_text("\f".join(pages), "utf-8")
    doc = read_document(path)
    assert doc.format == "markdown"
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


def test_docx_headings_lists_tables_and_pages(tmp_path):
    doc = read_document(_docx(tmp_path / "cabinet.docx"))
    assert (doc.format, doc.n_pages, doc.title) == ("docx", 2, "Cost of living report")
    blocks = [(b.kind, b.text, b.page) for b in doc.blocks]
    assert blocks == [
        ("heading", "Cost of living report", 1),
        ("heading", "1. Purpose", 1),
        ("paragraph", "This report sets out the council's response to rising energy and food "
                      "prices.", 1),
        ("heading", "1.1 Background", 1),
        ("paragraph", "• Outreach advice sessions in the valleys\n• Warm spaces in libraries", 1),
        ("table", "Measure | 2021 | 2022\nHouseholds helped | 410 | 1,250", 1),
        ("paragraph", "Recommendation: Cabinet is asked to approve the programme.", 1),
        ("paragraph", "Second page text about fuel poverty and health.", 2),
    ]
    assert doc.blocks[4].heading_path == ("1. Purpose", "1.1 Background")
    assert "Bryn Afon Council" not in doc.text and "Page 1" not in doc.text


def test_docx_counts_words_last_rendered_page_breaks(tmp_path):
    doc = read_document(_docx(tmp_path / "saved-by-word.docx", rendered_breaks=True))
    assert doc.n_pages == 2 and doc.blocks[-1].page == 2


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
<p>Child poverty costs \xa3 millions and <b>harms</b> health in the east of the city.</p>
<h2>Housing</h2><ul><li>Warmer homes for private renters</li><li>More social housing</li></ul>
<table><tr><th>Ward</th><th>Poverty</th></tr><tr><td>East</td><td>31%</td></tr></table>
<table role="presentation"><tr><td><p>A boxed call to action on fair work.</p></td></tr></table>
<div style="page-break-before: always"></div>
<p>The second page says income <br>and work matter most.</p>
<div class="share-links">Share this page</div></main>"""


def test_html_main_text_without_boilerplate(tmp_path):
    path = tmp_path / "strategy.html"
    path.write_bytes(PAGE.format(main=MAIN).encode("cp1252"))
    doc = read_document(path)
    assert (doc.format, doc.n_pages, doc.title) == ("html", 2, "Fairer Glenarrow")
    assert [(b.kind, b.text, b.page) for b in doc.blocks] == [
        ("heading", "Fairer Glenarrow", 1),
        ("paragraph", "Child poverty costs \u00a3 millions and harms health in the east of the "
                      "city.", 1),
        ("heading", "Housing", 1),
        ("paragraph", "• Warmer homes for private renters\n• More social housing", 1),
        ("table", "Ward | Poverty\nEast | 31%", 1),
        ("paragraph", "A boxed call to action on fair work.", 1),
        ("paragraph", "The second page says income and work matter most.", 2),
    ]
    for boilerplate in ("cookies", "Skip to", "Bins", "Copyright", "Related", "Share",
                        "gtag", "color"):
        assert boilerplate not in doc.text


def test_html_without_main_drops_site_header(tmp_path):
    path = tmp_path / "page.htm"
    body = "<div><h2>Health</h2><p>Damp homes make children ill.</p></div>"
    path.write_text(PAGE.format(main=body).replace("windows-1252", "utf-8"), "utf-8")
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == ["Health", "Damp homes make children ill."]
    assert doc.title == "Strategy"  # no <h1>: the page's <title>, less the site name


def test_html_undecodable_without_charset(tmp_path):
    path = tmp_path / "bad.html"
    path.write_bytes(b"<html><body><p>\xa3 spent</p></body></html>")
    with pytest.raises(DocumentReadError, match="not UTF-8 text"):
        read_document(path)


# --- any bytes: a document or a clear error ----------------------------------------------

@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["", "%PDF-1.4\n", "PK\x03\x04", "<html><body>", "\ufeff", "\f"]),
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
