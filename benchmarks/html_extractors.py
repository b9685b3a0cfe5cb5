"""Which boilerplate remover reads HTML pages best: trafilatura, jusText or an lxml walker.

Each extractor reads generated pages (main text known, wrapped in site chrome of six
kinds: semantic `<nav>`/`<footer>`, `<div>` soup with menus, cookie and share banners,
an article with a list, a table, related links and comments, a short page with a big
footer, and a book page with sidebars) and, when given, a folder of real pages with
reference paragraphs (`--items`, as in `benchmarks/reading.py`). Reported per extractor:

- coverage: the share of the main text's words found in its output (a multiset);
- leakage: the share of boilerplate lines found in its output (on real pages, the lines
  of three or more words inside `<nav>`, `<header>`, `<footer>`, `<aside>` and elements
  whose class or id names a menu, header, footer, sidebar or breadcrumbs, outside and
  around `<main>`);
- reference: reference paragraphs found (90% of their words in one block);
- seconds for all pages.

    python benchmarks/html_extractors.py [--folder ../shared/realdocs/docs] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from reading import ITEMS, words

MAIN = [
    "Children in the most deprived wards are twice as likely to be admitted to hospital "
    "with asthma as children in the least deprived wards.",
    "Damp and overcrowded homes make these admissions more likely, and the council will "
    "inspect privately rented homes in the east of the borough first.",
    "Life expectancy for men in Riverside is nine years shorter than in Hillcrest, and "
    "the gap has widened since 2015.",
    "We will work with housing associations, schools and GP practices to find families "
    "who need help with heating costs before the winter.",
    "Uptake of bowel screening is lowest among men in their fifties living in the most "
    "deprived neighbourhoods, so outreach will start there.",
    "The board is asked to note the progress made and to agree the priorities for the "
    "coming year set out in section four of this report.",
]
CHROME = {
    "semantic": ("<header><a href='/'>Kelbeck Council home</a><form><input name='q'>"
                 "<button>Search the site</button></form></header><nav><ul><li>Bins and "
                 "recycling</li><li>Council tax bands</li><li>Parking permits</li></ul></nav>",
                 "<aside><h3>Related pages</h3><ul><li>Adult social care contacts</li></ul>"
                 "</aside><footer><p>Copyright Kelbeck Council all rights reserved</p>"
                 "<p>Accessibility statement and privacy notice</p></footer>"),
    "div-soup": ("<div id='top'><div class='logo'>Glenarrow Borough</div><ul class='links'>"
                 "<li><a href='/a'>Planning applications online</a></li><li><a href='/b'>"
                 "Report a pothole today</a></li></ul></div><div class='wrap'>",
                 "</div><div id='bottom'><div>Glenarrow Borough Council, Civic Centre, "
                 "High Street</div><div>Follow us on social media channels</div></div>"),
    "banners": ("<div class='cookie-banner'><p>We use cookies to improve your experience "
                "on this website.</p><button>Accept all cookies</button></div><a "
                "class='skip-link' href='#c'>Skip to main content</a><ol "
                "class='breadcrumb'><li>Home page</li><li>Health and wellbeing topics</li>"
                "</ol>", "<div class='share'>Share this page on social networks</div><div "
                "class='newsletter'><p>Sign up to our weekly email newsletter</p></div>"),
    "article": ("<div class='masthead'>Brackenford Health News</div><article>",
                "</article><section class='related'><h2>You might also like</h2><ul><li>"
                "Ten tips for a healthier winter season</li><li>New opening hours for the "
                "leisure centre pool</li></ul></section><section id='comments'><h2>Leave a "
                "comment</h2><p>Comments are moderated before they appear here</p>"
                "</section>"),
    "short": ("", "<div class='footer'>" + "".join(
        f"<a href='/{k}'>Footer link number {k} for services</a> " for k in range(40))
        + "</div>"),
    "book": ("<nav class='sidebar'><ul><li>Chapter one introduction</li><li>Chapter two "
             "background literature</li></ul></nav><div class='toolbar'>Edit this page "
             "Report an issue</div><main>", "</main><nav class='page-navigation'><a>"
             "Previous chapter summary</a><a>Next chapter methods</a></nav>"),
}


def make_page(kind: str) -> tuple[str, list[str], list[str]]:
    """An HTML page of `kind`, its main paragraphs and its boilerplate lines."""
    head, tail = CHROME[kind]
    body = ["<h1>Health inequalities in the borough</h1>"]
    paragraphs = [f"{a} {b}" for a, b in zip(MAIN, MAIN[1:] + MAIN[:1])]  # two sentences
    body += [f"<p>{text}</p>" for text in paragraphs[:3]]
    if kind == "article":
        body.append("<ul>" + "".join(f"<li>{text}</li>" for text in MAIN[3:5]) + "</ul>")
        body.append(f"<p>{paragraphs[5]}</p>")
        main = paragraphs[:3] + MAIN[3:5] + paragraphs[5:]
    elif kind != "short":
        body += [f"<p>{text}</p>" for text in paragraphs[3:]]
        main = paragraphs
    else:
        main = paragraphs[:3]
    html = (f"<!DOCTYPE html><html><head><title>Health inequalities | {kind}</title></head>"
            f"<body>{head}{''.join(body)}{tail}</body></html>")
    from lxml import html as lxml_html

    chrome = lxml_html.fromstring(f"<div>{head}{tail}</div>")
    lines = [" ".join(t.split()) for t in chrome.itertext() if len(t.split()) >= 3]
    return html, main, lines


def extract_trafilatura(html: str) -> list[str]:
    from framingclf.readers._html import _trafilatura_blocks

    return [raw.items[0][0] if raw.kind != "list" else " ".join(i[0] for i in raw.items)
            for raw in _trafilatura_blocks(html)]


def extract_justext(html: str) -> list[str]:
    import justext

    return [p.text for p in justext.justext(html.encode("utf-8"),
                                            justext.get_stoplist("English"))
            if p.class_type == "good"]


def extract_lxml(html: str) -> list[str]:
    from framingclf.readers._html import _walker_blocks

    return [" ".join(line for item in raw.items for line in item)
            for raw in _walker_blocks(html)]


def extract_framingclf(html: str) -> list[str]:
    """What the reader uses: trafilatura, or the walker when trafilatura took a part of
    the page for the whole."""
    from framingclf.readers._html import _main_raws, _parse

    return [" ".join(line for item in raw.items for line in item)
            for raw in _main_raws(_parse(html, Path("<html>")))]


EXTRACTORS = {"trafilatura": extract_trafilatura, "jusText": extract_justext,
              "lxml walker": extract_lxml, "framingclf": extract_framingclf}


def score(blocks: list[str], main: list[str], boilerplate: list[str]) -> tuple[float, float]:
    found = Counter(w for block in blocks for w in words(block))
    need = Counter(w for text in main for w in words(text))
    coverage = sum((need & found).values()) / max(1, sum(need.values()))
    joined = " ".join(" ".join(blocks).split())
    leaked = sum(line in joined for line in boilerplate) / max(1, len(boilerplate))
    return coverage, leaked


_CHROME_XPATH = ("//nav|//header|//footer|//aside|//*[@role='navigation' or @role='banner' "
                 "or @role='contentinfo']|//*[re:test(concat(@class, ' ', @id), "
                 "'(^|[ _-])(menu|nav|navbar|footer|header|sidebar|breadcrumbs?|toolbar)"
                 "($|[ _-])', 'i')]")


def chrome_lines(html: str) -> list[str]:
    """Lines of at least three words inside a real page's navigation, header, footer,
    asides and menus: what a reader skips."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html)
    found = [element for element in root.xpath(
        _CHROME_XPATH, namespaces={"re": "http://exslt.org/regular-expressions"})
        if not element.xpath(".//main|ancestor::main|.//*[@role='main']")]
    lines = {" ".join(t.split()) for element in found for t in element.itertext()}
    return sorted(line for line in lines if len(line.split()) >= 3)


def reference_found(blocks: list[str], items: list[dict]) -> int:
    bags = [Counter(words(block)) for block in blocks]
    found = 0
    for item in items:
        need = Counter(words(item["text"]))
        if any(sum((need & bag).values()) >= 0.9 * sum(need.values()) for bag in bags):
            found += 1
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--items", type=Path, default=ITEMS if ITEMS.exists() else None)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    pages = [make_page(kind) for kind in CHROME]
    real = sorted(args.folder.glob("*.htm*")) if args.folder else []
    items = ([json.loads(line) for line in args.items.read_text("utf-8").splitlines()
              if line.strip()] if args.items and args.items.exists() else [])
    report = {}
    for name, extract in EXTRACTORS.items():
        start = time.process_time()
        scores = [score(extract(html), main, lines) for html, main, lines in pages]
        found = total = 0
        real_leaks = []
        for path in real:
            from framingclf.readers._html import _decode_html

            html = _decode_html(path.read_bytes(), path)[1]
            blocks = extract(html)
            mine = [item for item in items if item.get("doc") == path.name]
            found, total = found + reference_found(blocks, mine), total + len(mine)
            real_leaks.append(score(blocks, [], chrome_lines(html))[1])
        report[name] = {
            "coverage": round(sum(c for c, _ in scores) / len(scores), 4),
            "coverage_min": round(min(c for c, _ in scores), 4),
            "leakage": round(sum(leak for _, leak in scores) / len(scores), 4),
            "real_leakage": round(sum(real_leaks) / max(1, len(real_leaks)), 4),
            "reference_found": found, "reference_items": total,
            "seconds": round(time.process_time() - start, 3)}
    for name, row in report.items():
        print(f"{name:12s} " + "  ".join(f"{k} {v}" for k, v in row.items()))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main(sys.argv[1:])
