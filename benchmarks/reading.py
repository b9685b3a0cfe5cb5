"""How well framingclf reads a folder of real documents, measured against raw extraction.

For each file (PDF, DOCX, HTML, text, Markdown) and overall:

- coverage: the share of the raw engine's prose words that reach labelled passages
  (kinds in `framingclf.segment.LABELLED_KINDS`). The raw engine is pypdfium2's
  `get_text_range` for PDFs (lines repeated on at least half the pages removed), every
  body and table paragraph for DOCX (python-docx), the `<p>` and `<li>` elements for
  HTML, and the file's lines (link targets removed) for text and Markdown, without the
  prompts Word prints in empty form fields ("Click here to enter text."). Its prose
  words are the words of its sentences: runs of 8+ words ending in . ! or ?, most of
  them lowercase words. Words are matched as a multiset (a word found once is used once).
- fragments: labelled passages under 6 words; mid_sentence: labelled prose passages not
  ending like a sentence (. ! ? : ;, closing quotes or brackets aside), and lists ending
  on a comma or a joining word; both as shares of labelled passages.
- broken: labelled passages that stop mid-sentence where the text plainly goes on: they
  end on a comma, a dash or a joining word ("and", "of"), or the next passage starts in
  lowercase. Unpunctuated statements that are whole (a slide's points, a table's
  commitments, a flowchart's steps) count under mid_sentence but not here: this is the
  share a reader would call cut.
- over_200: share of labelled passages over 200 words.
- sentence_headings: headings of 15+ words that end like a sentence.
- duplicates: share of labelled passages that repeat an earlier one more often than the
  raw text repeats them (duplicates the reading made, such as a text box read twice);
  repeats: share of labelled passages repeating an earlier one at all (a constitution
  repeats its clauses for each kind of member, a form its instructions).
- rejected_title: 1 when the title is empty, "contents", a domain or address, the file's
  name, or junk (fewer than 3 letters, or over 200 characters).
- speed (PDFs): raw pypdfium2 extraction time / read_document + segment time, best of
  `--repeats` rounds taken in turn in the same run, in CPU time (`time.process_time`,
  steadier than wall time on a shared machine).
- reference: with `--items` (default ../shared/eval/realdocs-dev/items.jsonl when it
  exists), how many reference paragraphs a careful reader extracted are found inside one
  labelled passage (90% or more of their words, as a multiset).

Only numbers are written, never document text:

    python benchmarks/reading.py ../shared/realdocs/docs --json \
        benchmarks/results/reading-realdocs.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

from framingclf.readers import READABLE_SUFFIXES, read_document
from framingclf.readers._blocks import _PROMPT
from framingclf.segment import segment, stops_mid_sentence

try:
    from framingclf.segment import LABELLED_KINDS
except ImportError:  # before passages had kinds
    LABELLED_KINDS = frozenset({"prose", "list"})

ROOT = Path(__file__).resolve().parents[1]
ITEMS = ROOT.parent / "shared" / "eval" / "realdocs-dev" / "items.jsonl"
_WORD = re.compile(r"[^\W_]+")
_TRAILING_DIGITS = re.compile(r"^([^\W\d_]{2,})\d{1,3}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_REJECTED = {"contents", "table of contents", "untitled", "title", "document", "index"}
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.I)
_FILE_NAME = re.compile(r"\.(?:pdf|docx?|html?|md|txt|pptx?|xlsx?)$|^microsoft word - ", re.I)


# --------------------------------------------------------------------------- words

def words(text: str) -> list[str]:
    """Lowercased words, NFKC-normalised, with citation digits fused to a word dropped."""
    text = unicodedata.normalize("NFKC", text.replace("\x1f", "fi")).lower()
    return [_TRAILING_DIGITS.sub(r"\1", w) for w in _WORD.findall(text)]


def reading_words(text: str) -> Counter:
    """A passage's words, plus its hyphenated words written joined ("self-harm": selfharm)."""
    counts = Counter(words(text))
    counts.update(w for w in words(re.sub(r"(?<=\w)-(?=\w)", "", text)) if w not in counts)
    return counts


def prose_words(text: str) -> list[str]:
    """The words of the sentences of `text` that look like running prose."""
    found = []
    text = text.replace("\x1f", "fi")  # pdfium's "fi" ligature: str.split() would part it
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        tokens = sentence.split()
        if len(tokens) < 8 or not sentence.rstrip("\"'”’)]").endswith((".", "!", "?")):
            continue
        lower = sum(bool(re.fullmatch(r"[a-z][a-z'’-]*[,;:]?", t)) for t in tokens)
        if lower >= 0.5 * len(tokens):
            found.extend(words(sentence))
    return found


# --------------------------------------------------------------------------- raw engines

def _repair(line: str) -> str:
    return line.replace("\ufffe\r\n", "").replace("\x02\r\n", "")


def raw_pdf_pages(path: Path) -> list[list[str]]:
    """Each page's lines as pypdfium2 gives them (hyphen markers mended)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            text = re.sub("[\ufffe\x02]\r?\n?", "", text)
            pages.append(text.split("\r\n"))
        return pages
    finally:
        pdf.close()


def raw_pdf(path: Path) -> str:
    """Raw text of a PDF without lines repeated on at least half of its pages."""
    pages = raw_pdf_pages(path)
    key = lambda line: re.sub(r"\d+", "#", " ".join(line.split()).lower())  # noqa: E731
    counts = Counter(k for lines in pages for k in {key(line) for line in lines if line.strip()})
    repeated = ({k for k, n in counts.items() if n >= len(pages) / 2} if len(pages) > 1
                else set())
    return "\n\n".join(" ".join(line for line in lines if key(line) not in repeated)
                       for lines in pages)


def raw_docx(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n\n".join(texts)


def raw_html(path: Path) -> str:
    import lxml.html

    root = lxml.html.fromstring(path.read_bytes())
    return "\n\n".join(" ".join(el.text_content().split()) for el in root.iter("p", "li"))


def raw_text(path: Path) -> str:
    text = path.read_text("utf-8", errors="replace")
    return re.sub(r"\]\([^)]*\)", "]", text)


def raw_engine_text(path: Path, fmt: str) -> str:
    """The raw engine's text of `path`, without the placeholder prompts Word prints in
    empty form fields ("Click here to enter text."): they are not the author's words."""
    engine = {"pdf": raw_pdf, "docx": raw_docx, "html": raw_html}.get(fmt, raw_text)
    return _PROMPT.sub(" ", engine(path))


def raw_words(text: str) -> list[str]:
    """The prose words of a raw engine's text (see `prose_words`)."""
    return [w for block in re.split(r"\n\s*\n", text) for w in prose_words(block)]


def duplicates(labelled: list, raw_text: str) -> tuple[int, int]:
    """(made by reading, all): labelled passages repeating an earlier one, and of those
    the repeats beyond what the raw text itself repeats (by their first ten words)."""
    raw = f" {' '.join(words(raw_text))} "
    counts = Counter(" ".join(p.text.lower().split()) for p in labelled)
    made = repeats = 0
    for text, count in counts.items():
        if count > 1:
            key = " ".join(words(text)[:10])
            repeats += count - 1
            made += max(0, count - max(1, raw.count(f" {key} ")))
    return made, repeats


# --------------------------------------------------------------------------- measures

def title_problem(title: str, path: Path) -> str | None:
    """Why a title breaks the rules, or None."""
    text = " ".join((title or "").split())
    if sum(ch.isalpha() for ch in text) < 3 or len(text) > 200:
        return "junk"
    if text.lower().strip(" .:") in _REJECTED:
        return "contents"
    if _DOMAIN.match(text):
        return "domain"
    if _FILE_NAME.search(text) or text == path.stem or text == path.name:
        return "file name"
    return None


def mid_sentence(passage) -> bool:
    return stops_mid_sentence(passage.text, getattr(passage, "kind", "prose"))


_JOINING_END = re.compile(r"(?:[,\-–—]|\b(?:and|or|the|of|to|in|for|with|a|an|by|from|on|at|"
                          r"as|that|which|but|our|their))$", re.I)


def broken(passages: list, index: int) -> bool:
    """Whether labelled passage `index` stops mid-sentence where its text plainly goes on."""
    passage = passages[index]
    if not mid_sentence(passage):
        return False
    if _JOINING_END.search(passage.text.rstrip()):
        return True
    following = next((p for p in passages[index + 1:] if getattr(p, "kind", "") != "heading"),
                     None)
    return following is not None and following.text[:1].islower()


def coverage(raw: list[str], labelled: list) -> float | None:
    if not raw:
        return None
    available = Counter()
    for passage in labelled:
        available.update(reading_words(passage.text))
    found = 0
    for word in raw:
        if available[word] > 0:
            available[word] -= 1
            found += 1
    return found / len(raw)


def found_items(items: list[dict], labelled: list) -> int:
    """How many reference paragraphs sit (90%+ of their words) inside one passage."""
    bags = [reading_words(p.text) for p in labelled]
    found = 0
    for item in items:
        need = Counter(words(item["text"]))
        total = sum(need.values())
        if total and any(sum((need & bag).values()) >= 0.9 * total for bag in bags):
            found += 1
    return found


def measure_file(path: Path, items: list[dict]) -> dict:
    document = read_document(path, metadata=False)
    passages = segment(document)
    labelled = [p for p in passages if getattr(p, "kind", "prose") in LABELLED_KINDS]
    n = len(labelled)
    n_words = [len(p.text.split()) for p in labelled]
    raw_text = raw_engine_text(path, document.format)
    made, repeats = duplicates(labelled, raw_text)
    headings = [p.text for p in passages if getattr(p, "kind", "") == "heading"]
    headings += [b.text for b in document.blocks if b.kind == "heading"] if not headings else []
    share = (lambda count: count / n if n else 0.0)  # noqa: E731
    row = {
        "format": document.format, "pages": document.n_pages,
        "passages": len(passages), "labelled": n,
        "coverage": coverage(raw_words(raw_text), labelled),
        "fragments": share(sum(w < 6 for w in n_words)),
        "mid_sentence": share(sum(mid_sentence(p) for p in labelled)),
        "broken": share(sum(broken(passages, i) for i, p in enumerate(passages)
                            if getattr(p, "kind", "prose") in LABELLED_KINDS)),
        "over_200": share(sum(w > 200 for w in n_words)),
        "sentence_headings": sum(len(h.split()) >= 15 and h.rstrip("\"'”’)]").endswith(
            (".", "!", "?")) for h in headings),
        "duplicates": share(made), "repeats": share(repeats),
        "rejected_title": int(title_problem(document.title, path) is not None),
        "kinds": dict(Counter(getattr(p, "kind", "prose") for p in passages)),
    }
    if items:
        row["reference_items"] = len(items)
        row["reference_found"] = found_items(items, labelled)
    return row


# --------------------------------------------------------------------------- speed

def raw_pdfium(path: Path) -> None:
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        pdf.close()


def reading(path: Path) -> None:
    segment(read_document(path, metadata=False))


def speed(paths: list[Path], repeats: int) -> dict[str, tuple[float, float]]:
    """Best raw and framingclf seconds per PDF, the two taking turns in each round."""
    best = {path.name: [float("inf"), float("inf")] for path in paths}
    for path in paths[:1]:
        raw_pdfium(path)
        reading(path)  # warm up imports
    for _ in range(repeats):
        for path in paths:
            for slot, func in enumerate((raw_pdfium, reading)):
                start = time.process_time()
                func(path)
                best[path.name][slot] = min(best[path.name][slot], time.process_time() - start)
    return {name: (raw, ours) for name, (raw, ours) in best.items()}


# --------------------------------------------------------------------------- report

_COLUMNS = ["coverage", "fragments", "mid_sentence", "broken", "over_200", "sentence_headings",
            "duplicates", "rejected_title", "speed", "reference"]


def overall(rows: dict[str, dict], raw_total: float, ours_total: float) -> dict:
    labelled = sum(r["labelled"] for r in rows.values())
    weighted = lambda key: (sum(r[key] * r["labelled"] for r in rows.values()) / labelled  # noqa: E731
                            if labelled else 0.0)
    covered = [r for r in rows.values() if r["coverage"] is not None]
    total = {"files": len(rows), "labelled": labelled,
             "coverage": (sum(r["coverage"] * r["raw_words"] for r in covered)
                          / max(1, sum(r["raw_words"] for r in covered))),
             "coverage_min": min((r["coverage"] for r in covered), default=None),
             "fragments": weighted("fragments"), "mid_sentence": weighted("mid_sentence"),
             "broken": weighted("broken"),
             "over_200": weighted("over_200"), "duplicates": weighted("duplicates"),
             "repeats": weighted("repeats"),
             "sentence_headings": sum(r["sentence_headings"] for r in rows.values()),
             "rejected_title": sum(r["rejected_title"] for r in rows.values()),
             "speed": raw_total / ours_total if ours_total else None}
    if any("reference_items" in r for r in rows.values()):
        total["reference_items"] = sum(r.get("reference_items", 0) for r in rows.values())
        total["reference_found"] = sum(r.get("reference_found", 0) for r in rows.values())
    return total


def _cell(row: dict, key: str) -> str:
    if key == "reference":
        return (f"{row['reference_found']}/{row['reference_items']}"
                if row.get("reference_items") else "")
    value = row.get(key)
    if value is None:
        return ""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def print_table(rows: dict[str, dict], total: dict) -> None:
    print("file".ljust(44) + "".join(c[:9].rjust(10) for c in _COLUMNS))
    for name, row in [*rows.items(), ("OVERALL", total)]:
        print(name[:43].ljust(44) + "".join(_cell(row, c).rjust(10) for c in _COLUMNS))


def _rounded(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="write the numbers here")
    parser.add_argument("--items", type=Path, default=ITEMS if ITEMS.exists() else None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    paths = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in READABLE_SUFFIXES)
    items: list[dict] = []
    if args.items and args.items.exists():
        items = [json.loads(line) for line in args.items.read_text("utf-8").splitlines()
                 if line.strip()]
    rows = {}
    for path in paths:
        row = measure_file(path, [i for i in items if i.get("doc") == path.name])
        row["raw_words"] = len(raw_words(raw_engine_text(path, row["format"])))
        rows[path.name] = row
    times = speed([p for p in paths if rows[p.name]["format"] == "pdf"], args.repeats)
    for name, (raw, ours) in times.items():
        rows[name]["speed"] = raw / ours
    total = overall(rows, sum(t[0] for t in times.values()), sum(t[1] for t in times.values()))
    print_table(rows, total)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {"files": _rounded(rows), "overall": _rounded(total),
                  "pypdfium2": getattr(pdfium, "V_PYPDFIUM2", None)}
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
