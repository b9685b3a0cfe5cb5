"""Render the sample documents: corpora/document-sources/*.txt into corpora/documents/.

    python corpora/scripts/make_documents.py

Each source is plain text written here, with pages at form feeds; its ground truth (one
labelled line per paragraph, with its page) is in corpora/document-sources/truth/. This
script lays each source out as a real document would be, keeping every source page on
one page so the truth's page numbers hold:

- PDF (fpdf2, most documents): a running header and footer and a page number on every
  page, headings in larger bold type, bulleted lists, tables drawn as tables, and in two
  documents a page set in two columns.
- DOCX (python-docx): Title and Heading styles, List Bullet items, a Table Grid table,
  a running header and a footer with a page-number field, page breaks.
- HTML: a council web page with a skip link, site header, navigation, cookie banner,
  breadcrumbs, share links, a footer and scripts around the `<main>` text; source pages
  end at CSS page breaks.

It also writes corpora/documents/manifest.csv (title, date, organisation and type of
each document). Output is reproducible: fixed dates, fixed ids and ordered ZIP entries
give byte-identical files on every run. Requires the `test` extra (fpdf2).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from fpdf import FPDF, FontFace

from framingclf.readers import Block, parse_text

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "corpora" / "document-sources"
OUT = ROOT / "corpora" / "documents"
FIXED_TIME = dt.datetime(2024, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)

# How each document is laid out, and the metadata the manifest gives it.
LAYOUT = {
    "01-brackenford-board-2023": dict(
        format="pdf", type="trust board papers", date="2023-03-30",
        organisation="Brackenford and Lowmere Hospitals NHS Foundation Trust",
        header=("Brackenford and Lowmere Hospitals NHS Foundation Trust",
                "Board of Directors (public), 30 March 2023"),
        footer="page_of"),
    "02-dunmere-eastfold-icb-strategy-2024": dict(
        format="pdf", type="ICB strategy", date="2024-04",
        organisation="NHS Dunmere and Eastfold Integrated Care Board",
        header=("NHS Dunmere and Eastfold ICB", "Fairer Health 2024-2029"),
        footer="number", justify=True),
    "03-wexcombe-jsna-poverty-housing-2019": dict(
        format="pdf", type="JSNA chapter", date="2019-11", organisation="Wexcombe Council",
        header=("Wexcombe Joint Strategic Needs Assessment", "Chapter 7"),
        footer="title_number"),
    "04-millbrook-dph-annual-report-2018": dict(
        format="pdf", type="DPH annual report", date="2018-12",
        organisation="Millbrook City Council",
        header=("Director of Public Health Annual Report 2018", "Millbrook City Council"),
        footer="dashes", justify=True, two_column_pages={5, 7}),
    "05-bryn-afon-cabinet-cost-of-living-2022": dict(
        format="docx", type="council cabinet report", date="2022-10",
        organisation="Bryn Afon County Borough Council",
        header=("Bryn Afon County Borough Council", "Cabinet, October 2022")),
    "06-glenarrow-public-health-strategy-2021": dict(
        format="html", type="public health strategy", date="2021-09",
        organisation="Glenarrow Health and Social Care Partnership"),
    "07-kelbeck-health-scrutiny-minutes-2016": dict(
        format="pdf", type="scrutiny committee minutes", date="2016-07-12",
        organisation="Kelbeck Metropolitan Borough Council",
        header=("Kelbeck Metropolitan Borough Council",
                "Health Overview and Scrutiny Committee, 12 July 2016"),
        footer="page"),
    "08-marlstone-lifestyle-action-plan-2012": dict(
        format="pdf", type="lifestyle action plan", date="2012-05",
        organisation="Marlstone Borough Council",
        header=("Healthy Marlstone Action Plan 2012-2015", "Marlstone Borough Council"),
        footer="page_of", two_column_pages={4}),
}

# The core PDF fonts are Windows-1252; the one character of the sources outside it:
PDF_CHARS = str.maketrans({"\u2212": "\u2013"})


class Source:
    """A source document: its title lines and its blocks by page."""

    def __init__(self, path: Path) -> None:
        self.stem = path.stem
        text = path.read_text("utf-8")
        self.title_lines = [line.strip() for line in text.split("\n\n", 1)[0].split("\n")]
        document = parse_text(text)
        blocks = document.blocks
        if blocks and blocks[0].text == " ".join(self.title_lines):
            blocks = blocks[1:]
        truth = SOURCES / "truth" / f"{self.stem}.jsonl"
        passages = {json.loads(line)["text"] for line in truth.read_text("utf-8").splitlines()}
        for block in blocks:  # a paragraph the truth leaves out is a long heading
            if block.kind == "paragraph" and block.text not in passages:
                block.kind, block.level = "heading", 1
        self.n_pages = document.n_pages
        self.pages: list[list[Block]] = [[] for _ in range(self.n_pages)]
        for block in blocks:
            self.pages[block.page - 1].append(block)


def table_rows(block: Block) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split(" | ")]
            for line in block.text.split("\n")]


def list_items(block: Block) -> list[str]:
    return [re.sub(r"^•\s*", "", line) for line in block.text.split("\n")]


def is_list(block: Block) -> bool:
    return block.text.startswith("• ")


# --------------------------------------------------------------------------- PDF

class BoardPaperPDF(FPDF):
    """A4 pages with a running header, a footer with the page number, and body styles."""

    def __init__(self, layout: dict, title: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.layout, self.doc_title = layout, title
        self.core_fonts_encoding = "windows-1252"
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_creation_date(FIXED_TIME)
        self.set_title(title)
        self.set_author(layout["organisation"])
        self.set_producer("framingclf make_documents.py")

    def header(self) -> None:
        left, right = self.layout["header"]
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.set_xy(20, 10)
        self.cell(85, 4, left)
        self.cell(85, 4, right, align="R")
        self.set_draw_color(150, 150, 150)
        self.line(20, 15, 190, 15)
        self.set_text_color(0, 0, 0)
        self.set_y(22)

    def footer(self) -> None:
        style = self.layout["footer"]
        self.set_y(-14)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        number = self.page_no()
        if style == "page_of":
            self.cell(0, 4, f"Page {number} of {{nb}}", align="C")
        elif style == "number":
            self.cell(0, 4, str(number), align="R")
        elif style == "dashes":
            self.cell(0, 4, f"- {number} -", align="C")
        elif style == "page":
            self.cell(0, 4, f"Page {number}", align="C")
        else:  # title_number
            self.cell(150, 4, self.doc_title[:90])
            self.cell(20, 4, str(number), align="R")
        self.set_text_color(0, 0, 0)


def pdf_text(text: str) -> str:
    return text.translate(PDF_CHARS)


def render_pdf(source: Source, layout: dict, target: Path) -> None:
    pdf = BoardPaperPDF(layout, source.title_lines[0])
    align = "J" if layout.get("justify") else "L"
    for number, blocks in enumerate(source.pages, start=1):
        pdf.add_page()
        if number == 1:
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(0, 8, pdf_text(source.title_lines[0]), new_x="LMARGIN",
                           new_y="NEXT")
            pdf.ln(2)
            pdf.set_font("Helvetica", "", 12)
            for line in source.title_lines[1:]:
                pdf.multi_cell(0, 6, pdf_text(line), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
        if number in layout.get("two_column_pages", ()):
            render_pdf_columns(pdf, blocks, align)
        else:
            for block in blocks:
                render_pdf_block(pdf, block, align)
        if pdf.page != number:
            raise SystemExit(f"{source.stem}: source page {number} overflows its PDF page")
    pdf.output(str(target))


def heading_font(pdf: FPDF, level: int) -> float:
    size = {1: 13, 2: 11}.get(level, 10)
    pdf.set_font("Helvetica", "B", size)
    return size


def render_pdf_block(pdf: FPDF, block: Block, align: str) -> None:
    if block.kind == "heading":
        size = heading_font(pdf, block.level)
        pdf.ln(2)
        pdf.multi_cell(0, size * 0.5, pdf_text(block.text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    elif block.kind == "table":
        render_pdf_table(pdf, table_rows(block))
    elif is_list(block):
        pdf.set_font("Helvetica", "", 10)
        for item in list_items(block):
            pdf.set_x(24)
            pdf.cell(5, 5, "\u2022")
            pdf.multi_cell(0, 5, pdf_text(item), align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    else:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, pdf_text(block.text), align=align, new_x="LMARGIN",
                       new_y="NEXT")
        pdf.ln(3)


def render_pdf_table(pdf: FPDF, rows: list[list[str]]) -> None:
    n = max(len(row) for row in rows)
    lengths = [max(len(row[i]) if i < len(row) else 0 for row in rows) for i in range(n)]
    widths = [max(12.0, length) for length in lengths]
    pdf.set_font("Helvetica", "", 8.5)
    pdf.ln(1)
    with pdf.table(col_widths=widths, line_height=4.5, padding=1.2,
                   text_align=["LEFT"] + ["RIGHT"] * (n - 1),
                   headings_style=FontFace(emphasis="BOLD"), first_row_as_headings=True
                   ) as table:
        for row in rows:
            cells = table.row()
            for value in row + [""] * (n - len(row)):
                cells.cell(pdf_text(value))
    pdf.ln(4)


def render_pdf_columns(pdf: FPDF, blocks: list[Block], align: str) -> None:
    """The page's blocks set in two columns (fpdf2 writes one column, then the other)."""
    with pdf.text_columns(ncols=2, gutter=8, text_align=align, line_height=1.4,
                          balance=True) as cols:
        for block in blocks:
            if block.kind == "heading":
                heading_font(pdf, block.level)
                with cols.paragraph(text_align="L", top_margin=2, bottom_margin=2) as par:
                    par.write(text=pdf_text(block.text))
            elif block.kind == "table":
                raise SystemExit("tables are not set on two-column pages")
            else:
                pdf.set_font("Helvetica", "", 10)
                items = ["\u2022 " + item for item in list_items(block)] if is_list(block) \
                    else [block.text]
                for item in items:
                    with cols.paragraph(bottom_margin=3) as par:
                        par.write(text=pdf_text(item))
    pdf.set_font("Helvetica", "", 10)


# --------------------------------------------------------------------------- DOCX

def render_docx(source: Source, layout: dict, target: Path) -> None:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    section = document.sections[0]
    left, right = layout["header"]
    header = section.header.paragraphs[0]
    header.text = f"{left}\t\t{right}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field.append(OxmlElement("w:r"))
    field[0].append(OxmlElement("w:t"))
    field[0][0].text = "1"
    footer._p.append(field)
    for number, blocks in enumerate(source.pages, start=1):
        if number == 1:
            document.add_paragraph(source.title_lines[0], style="Title")
            for line in source.title_lines[1:]:
                document.add_paragraph(line, style="Subtitle")
        else:
            document.add_page_break()
        for block in blocks:
            if block.kind == "heading":
                document.add_heading(block.text, level=min(block.level, 3))
            elif block.kind == "table":
                rows = table_rows(block)
                n = max(len(row) for row in rows)
                table = document.add_table(rows=len(rows), cols=n, style="Table Grid")
                for r, row in enumerate(rows):
                    for c, value in enumerate(row):
                        cell = table.cell(r, c)
                        cell.text = value
                        if r == 0:
                            cell.paragraphs[0].runs[0].bold = True
            elif is_list(block):
                for item in list_items(block):
                    document.add_paragraph(item, style="List Bullet")
            else:
                document.add_paragraph(block.text)
    properties = document.core_properties
    properties.title = source.title_lines[0]
    properties.author = properties.last_modified_by = layout["organisation"]
    properties.created = properties.modified = FIXED_TIME.replace(tzinfo=None)
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(fixed_zip(buffer.getvalue()))


def fixed_zip(data: bytes) -> bytes:
    """The same ZIP with fixed timestamps, so that the file is byte-identical each run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 6, 1, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- HTML

HTML_HEAD = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<style>
body {{ font-family: Arial, sans-serif; margin: 0; color: #0b0c0c; }}
.site-header {{ background: #005eb8; color: #fff; padding: 1em; }}
.cookie-banner {{ background: #f3f2f1; padding: 1em; }}
main {{ max-width: 48em; margin: 0 auto; padding: 1em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #b1b4b6; padding: .3em; }}
.page-break {{ page-break-before: always; }}
</style>
<script>
window.dataLayer = window.dataLayer || [];
function gtag(){{dataLayer.push(arguments);}}
</script>
</head>
<body>
<a class="skip-link" href="#main-content">Skip to main content</a>
<div class="cookie-banner" id="cookie-consent" role="region" aria-label="Cookies on this site">
  <h2>Cookies on {site}</h2>
  <p>We use some essential cookies to make this website work. We would also like to set
  analytics cookies to understand how you use the site and improve our services.</p>
  <button type="button">Accept analytics cookies</button>
  <button type="button">Reject analytics cookies</button>
  <a href="/cookies">View cookies policy</a>
</div>
<header class="site-header" role="banner">
  <a href="/" class="logo">{site}</a>
  <form class="search" action="/search"><label for="q">Search</label>
  <input id="q" name="q"><button>Search</button></form>
</header>
<nav class="primary-navigation" aria-label="Main menu">
  <ul><li><a href="/services">Services</a></li><li><a href="/health">Health and
  wellbeing</a></li><li><a href="/news">News</a></li><li><a href="/contact">Contact us</a>
  </li></ul>
</nav>
<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="/health">Health and wellbeing</a></li><li>Public health strategy</li></ol></nav>
<main id="main-content">
"""

HTML_FOOT = """</main>
<div class="share-links"><p>Share this page: <a href="#">Facebook</a> <a href="#">X</a>
<a href="#">Email</a></p></div>
<aside class="related"><h2>Related content</h2><ul><li><a href="/jsna">Joint Strategic
Needs Assessment</a></li><li><a href="/hwb">Health and Wellbeing Board</a></li></ul></aside>
<footer class="site-footer">
  <p>Was this page helpful? <a href="/feedback">Tell us</a></p>
  <ul><li><a href="/accessibility">Accessibility statement</a></li>
  <li><a href="/privacy">Privacy notice</a></li><li><a href="/cookies">Cookies</a></li></ul>
  <p>&copy; {site} 2021. All rights reserved.</p>
</footer>
<script src="/assets/site.js"></script>
<script>gtag('config', 'G-0000000000');</script>
</body>
</html>
"""


def render_html(source: Source, layout: dict, target: Path) -> None:
    esc = html.escape
    site = layout["organisation"]
    parts = [HTML_HEAD.format(title=esc(source.title_lines[0]), site=esc(site))]
    parts.append(f"<h1>{esc(source.title_lines[0])}</h1>\n")
    parts.extend(f'<p class="lede">{esc(line)}</p>\n' for line in source.title_lines[1:])
    for number, blocks in enumerate(source.pages, start=1):
        if number > 1:
            parts.append('<div class="page-break" style="page-break-before: always"></div>\n')
        for block in blocks:
            if block.kind == "heading":
                level = min(block.level + 1, 6)
                parts.append(f"<h{level}>{esc(block.text)}</h{level}>\n")
            elif block.kind == "table":
                rows = table_rows(block)
                head = "".join(f"<th>{esc(c)}</th>" for c in rows[0])
                body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                               for row in rows[1:])
                parts.append(f"<table>\n<thead><tr>{head}</tr></thead>\n"
                             f"<tbody>{body}</tbody>\n</table>\n")
            elif is_list(block):
                items = "".join(f"<li>{esc(item)}</li>" for item in list_items(block))
                parts.append(f"<ul>{items}</ul>\n")
            else:
                parts.append(f"<p>{esc(block.text)}</p>\n")
    parts.append(HTML_FOOT.format(site=esc(site)))
    target.write_text("".join(parts), "utf-8")


# --------------------------------------------------------------------------- main

RENDERERS = {"pdf": render_pdf, "docx": render_docx, "html": render_html}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for path in sorted(SOURCES.glob("*.txt")):
        layout = LAYOUT[path.stem]
        source = Source(path)
        target = OUT / f"{path.stem}.{layout['format']}"
        RENDERERS[layout["format"]](source, layout, target)
        rows.append({"file": target.name, "title": source.title_lines[0],
                     "date": layout["date"], "organisation": layout["organisation"],
                     "type": layout["type"]})
        print(f"{target.relative_to(ROOT)}: {source.n_pages} pages", file=sys.stderr)
    with open(OUT / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
