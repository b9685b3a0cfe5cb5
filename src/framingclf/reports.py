"""The HTML report: one self-contained file an analyst can open, filter and send on.

`report(results, out_path)` writes profiles (overall, per document and per
organisation, document type or year when the passages carry them), the plots, and every
passage colour-coded by label with its confidence, marked when it needs review,
filterable by label, and linked to its document and page. Styles, script and plots
(base64 PNG) are inline: the file needs no network and no other file, except the
documents themselves for the links.
"""

from __future__ import annotations

import base64
import html
import os
import warnings
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from framingclf.errors import InvalidInputError
from framingclf.labels import COLORS, DESCRIPTIONS, FRAMINGS, LABELS, NONE
from framingclf.lexicon import DeficitLexicon
from framingclf.profiles import MIN_FRAMING, compare, profile
from framingclf.scoring import REVIEW_BELOW
from framingclf.tables import ScoreResult, load_results

#: Passage columns a report needs; others (title, heading, organisation, year,
#: doc_type, model, cues, deficit_terms) are shown when present.
REQUIRED = ("doc_id", "path", "page_start", "text", "label", "confidence", "review")

#: Grouping columns profiled side by side when present with more than one value.
GROUP_COLUMNS = ("organisation", "doc_type", "year")

#: Documents beyond this many get no page strip (the report would grow large).
MAX_STRIPS = 40


def report(results: ScoreResult | str | Path, out_path: str | Path, *,
                 title: str | None = None, n_boot: int = 1000, seed: int = 0) -> Path:
    """Write the HTML report of `results` (a `ScoreResult`, or a folder written by
    `ScoreResult.save`) to `out_path`; return its path."""
    source = None
    if not isinstance(results, ScoreResult):
        source = Path(results)
        results = load_results(source)
    out_path = Path(out_path)
    passages = _prepare_passages(results)
    page = _Report(passages, results, out_path, source, n_boot, seed).render(
        title or "framingclf report" + (f": {source.name}" if source else ""))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out_path)
    return out_path


def _prepare_passages(results: ScoreResult) -> pd.DataFrame:
    passages = results.passages.copy()
    missing = [c for c in REQUIRED if c not in passages.columns]
    if missing:
        raise InvalidInputError(
            f"report: column(s) {missing} not in the passages table; it has "
            f"{list(passages.columns)}; score documents with framingclf.score_documents")
    documents = results.documents
    titles = {}
    if len(documents) and {"doc_id", "title"} <= set(documents.columns):
        titles = dict(zip(documents["doc_id"].astype(str), documents["title"]))
    passages["title"] = [t if isinstance(t, str) and t else
                         (titles.get(str(d)) or Path(str(p)).name)
                         for t, d, p in zip(passages["title"], passages["doc_id"],
                                            passages["path"])]
    if len(documents) and "doc_id" in documents.columns:  # metadata read from the documents
        extra = [c for c in (*GROUP_COLUMNS, "date") if c in documents.columns
                 and passages[c].isna().all() and documents[c].notna().any()]
        passages = passages.drop(columns=extra)
        if extra:
            meta = documents.drop_duplicates("doc_id").set_index("doc_id")[extra]
            for column in extra:
                values = passages["doc_id"].map(meta[column])
                passages[column] = values.where(values.astype(str).str.strip() != "")
    if "year" not in passages.columns and "date" in passages.columns:
        passages["year"] = pd.to_numeric(
            passages["date"].astype(str).str.extract(r"^((?:19|20)\d\d)")[0],
            errors="coerce").astype("Int64")
    passages["title"] = passages["title"].fillna("").astype(str)
    empty_title = passages["title"].str.strip() == ""
    passages.loc[empty_title, "title"] = passages.loc[empty_title, "path"].map(
        lambda p: Path(str(p)).name)
    if "deficit_terms" not in passages.columns:
        passages["deficit_terms"] = DeficitLexicon().find_all(
            passages["text"].fillna("").astype(str).tolist())
    passages["review"] = passages["review"].astype(bool)
    return passages.reset_index(drop=True)


def _png(fig) -> str:
    from framingclf.plots import figure_png

    data = base64.b64encode(figure_png(fig)).decode("ascii")
    return f"data:image/png;base64,{data}"


def _fmt(value, kind: str = "num") -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "–"
    if kind == "pct":
        return f"{value:.0%}"
    if kind == "int":
        return f"{int(value)}"
    if isinstance(value, (float, np.floating)):
        return f"{value:.2f}"
    return html.escape(str(value))


class _Report:
    """Builds the page's sections from the prepared passages table."""

    def __init__(self, passages: pd.DataFrame, results: ScoreResult, out_path: Path,
                 source: Path | None, n_boot: int, seed: int):
        self.passages = passages
        self.results = results
        self.out_dir = out_path.resolve().parent
        self.bases = [Path.cwd()] + ([source.resolve().parent, source.resolve()]
                                     if source else [])
        self.options = {"n_boot": n_boot, "seed": seed}
        self._hrefs: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------------------
    def href(self, path: str) -> str:
        """A link to a document that works from the report's folder when the file is
        found, else the path as written."""
        if path not in self._hrefs:
            target = Path(path)
            if not target.is_absolute():
                target = next((b / target for b in self.bases if (b / target).exists()), target)
            if target.is_absolute() and target.exists():
                try:
                    link = Path(os.path.relpath(target, self.out_dir)).as_posix()
                except ValueError:  # another drive on Windows
                    link = target.as_uri()
                    self._hrefs[path] = link
                    return link
            else:
                link = target.as_posix()
            self._hrefs[path] = quote(link)
        return self._hrefs[path]

    def profiles(self, by=None) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            if by is None:
                return profile(self.passages, None, **self.options)
            return compare(self.passages, by, **self.options)

    # -- sections ------------------------------------------------------------------------
    def render(self, title: str) -> str:
        p = self.passages
        n_docs = p["doc_id"].nunique()
        errors = self.results.errors
        meta = [f"{n_docs} document(s)", f"{len(p)} passages",
                f"{int(p['review'].sum())} marked for review",
                f"{len(errors)} unreadable file(s)"]
        if "model" in p.columns and p["model"].notna().any():
            meta.append("model " + ", ".join(map(str, p["model"].dropna().unique())))
        meta.append("generated " + datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
        body = [
            f"<header><h1>{html.escape(title)}</h1>"
            f"<p class='meta'>{' · '.join(html.escape(m) for m in meta)}</p>"
            "<nav><a href='#overview'>Overview</a> <a href='#documents'>Documents</a> "
            "<a href='#passages'>Passages</a>"
            + (" <a href='#errors'>Unreadable files</a>" if len(errors) else "")
            + "</nav></header>",
            self.overview(),
            self.documents_section(),
            self.passages_section(),
        ]
        if len(errors):
            body.append(self.errors_section(errors))
        return (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + f"<script>{_JS}</script></body></html>\n"
        )

    def legend(self) -> str:
        rows = "".join(
            f"<tr><td><span class='badge' style='background:{COLORS[label]}'>{label}</span>"
            f"</td><td>{html.escape(DESCRIPTIONS[label])}</td></tr>" for label in LABELS)
        return f"<table class='legend'>{rows}</table>"

    def overview(self) -> str:
        overall = self.profiles()
        parts = [
            "<section id='overview'><h2>Overview</h2>", self.legend(),
            "<div class='note'><p><b>How to read this.</b> Each passage has the label the "
            "model found most probable and its <b>confidence</b>, the calibrated probability "
            "of that label: of passages shown at 0.8, about 8 in 10 should be right. "
            f"Passages below {REVIEW_BELOW:.2f} are marked <span class='flag'>review</span>: "
            "read them rather than trust the label. Shares count framing passages only "
            "(<code>none</code> is reported apart). The <b>upstream index</b> is the mean "
            "position of framing passages from 0 (healthcare-access) to 3 "
            "(structural-politics), with a 95% bootstrap interval that resamples whole "
            "documents (a single document's passages); over two or three documents it is "
            "too narrow to trust. Groups with fewer than "
            f"{MIN_FRAMING} framing passages are marked †: read their interval, not the "
            "number. Every number carries the model's own errors.</p></div>",
            "<h3>All passages</h3>", _profile_table(overall, []),
        ]
        n_documents = self.passages["doc_id"].nunique()
        for column in GROUP_COLUMNS:
            if column not in self.passages.columns:
                continue
            n_groups = self.passages[column].nunique()
            # a grouping with one document per group repeats the documents' table, except
            # years, which are drawn over time
            if n_groups > 1 and (n_groups < n_documents or column == "year"):
                table = self.profiles(column)
                parts += [f"<h3>By {html.escape(column)}</h3>",
                          _profile_table(table, [column], relative=True)]
                if column == "year":
                    fig = _plots().plot_continuum(table, "year",
                                                  title="Upstream index by year")
                    parts.append(_figure(fig, "Upstream index by year with intervals"))
        parts.append("</section>")
        return "\n".join(parts)

    def per_document(self) -> pd.DataFrame:
        table = self.profiles("doc_id")
        first = self.passages.drop_duplicates("doc_id").set_index("doc_id")
        table["title"] = table["doc_id"].map(first["title"])
        table["path"] = table["doc_id"].map(first["path"])
        order = {d: i for i, d in enumerate(first.index)}
        return table.sort_values("doc_id", key=lambda s: s.map(order)).reset_index(drop=True)

    def documents_section(self) -> str:
        table = self.per_document()
        self.doc_profiles = table.set_index("doc_id")
        plots = _plots()
        shares = plots.plot_shares(table, "title", title="Framing shares per document")
        everything = plots.plot_shares(table, "title", include_none=True,
                                       title="All passages, none included")
        continuum = plots.plot_continuum(table, "title", title="Upstream index per document")
        shown = table.assign(title=[f"<a href='#doc-{html.escape(str(d))}'>"
                                    f"{html.escape(t)}</a>"
                                    for d, t in zip(table["doc_id"], table["title"])])
        return "\n".join([
            "<section id='documents'><h2>Documents</h2>",
            _profile_table(shown, ["title"], escape=False),
            "<div class='figures'>",
            _figure(shares, "Stacked framing shares per document"),
            _figure(everything, "Shares of all passages per document, none included"),
            _figure(continuum, "Upstream index per document with bootstrap intervals"),
            "</div></section>",
        ])

    def passages_section(self) -> str:
        p = self.passages
        counts = p["label"].value_counts()
        boxes = "".join(
            f"<label class='chip' style='border-color:{COLORS[label]}'>"
            f"<input type='checkbox' name='label' value='{label}' checked> "
            f"<span class='swatch' style='background:{COLORS[label]}'></span>{label} "
            f"<span class='count'>{int(counts.get(label, 0))}</span></label>"
            for label in LABELS)
        controls = (
            "<div class='filters' id='filters'><div class='row'>"
            f"<span class='what'>Show labels:</span>{boxes}"
            "<button type='button' id='all-labels'>all</button>"
            "<button type='button' id='no-labels'>none</button></div><div class='row'>"
            "<label><input type='checkbox' id='only-review'> only passages marked "
            "<span class='flag'>review</span></label>"
            "<input type='search' id='search' placeholder='search text…' "
            "aria-label='search passages'>"
            f"<span class='shown'>showing <b id='shown'>{len(p)}</b> of {len(p)}</span>"
            "</div></div>")
        docs = [self.document_block(doc_id, group)
                for doc_id, group in p.groupby("doc_id", sort=False)]
        return "\n".join(["<section id='passages'><h2>Passages</h2>", controls, *docs,
                          "</section>"])

    def document_block(self, doc_id, group: pd.DataFrame) -> str:
        first = group.iloc[0]
        path = str(first["path"])
        href = self.href(path)
        row = self.doc_profiles.loc[doc_id] if doc_id in self.doc_profiles.index else None
        summary = ""
        if row is not None:
            interval = (f" [{_fmt(row['upstream_low'])}–{_fmt(row['upstream_high'])}]"
                        if pd.notna(row["upstream_low"]) else "")
            summary = (f"{int(row['n_passages'])} passages, {int(row['n_framing'])} framing; "
                       f"none {_fmt(row['share_none'], 'pct')}; upstream index "
                       f"{_fmt(row['upstream_index'])}{interval}"
                       + (" †" if row["few_passages"] else ""))
        meta = [html.escape(str(first[c])) for c in GROUP_COLUMNS
                if c in group.columns and pd.notna(first[c])]
        strip = ""
        position = list(self.doc_profiles.index).index(doc_id) if row is not None else 0
        if position < MAX_STRIPS:
            fig = _plots().plot_page_strip(group, title="")
            strip = _figure(fig, f"Page strip of {first['title']}: framing of each passage "
                            "by page", css="strip")
        elif position == MAX_STRIPS:
            strip = (f"<p class='muted'>Page strips are drawn for the first {MAX_STRIPS} "
                     "documents only.</p>")
        items = "".join(self.passage_item(r, href) for r in group.itertuples(index=False))
        return (
            f"<article class='doc' id='doc-{html.escape(str(doc_id))}'>"
            f"<h3>{html.escape(str(first['title']))}</h3>"
            f"<p class='docmeta'><a href='{html.escape(href)}'>{html.escape(path)}</a>"
            + (" · " + " · ".join(meta) if meta else "")
            + (f"<br>{summary}" if summary else "")
            + f" · <span class='doc-shown'>{len(group)}</span> shown</p>"
            f"{strip}<div class='list'>{items}</div></article>")

    def passage_item(self, row, href: str) -> str:
        data = row._asdict()
        label = data["label"] if data["label"] in COLORS else NONE
        confidence = float(data["confidence"]) if pd.notna(data["confidence"]) else 0.0
        review = bool(data["review"])
        page = data.get("page_start")
        page_link = ""
        if page is not None and pd.notna(page):
            page_link = (f"<a class='page' href='{html.escape(href)}#page={int(page)}'>"
                         f"p. {int(page)}</a>")
        heading = data.get("section")
        if isinstance(heading, str) and heading.strip():  # the nearest heading; all on hover
            heading = (f"<span class='heading' title='{html.escape(heading)}'>"
                       f"{html.escape(heading.split(' > ')[-1])}</span>")
        else:
            heading = ""
        tags = []
        terms = data.get("deficit_terms")
        if isinstance(terms, (list, tuple, np.ndarray)) and len(terms):
            tags.append("deficit labels: " + ", ".join(html.escape(str(t)) for t in terms))
        cues = data.get("cues")
        if isinstance(cues, (list, tuple, np.ndarray)) and len(cues):
            tags.append("cues: " + ", ".join(html.escape(str(t)) for t in cues))
        if isinstance(data.get("flag"), str) and data["flag"]:
            tags.append("flag: " + html.escape(data["flag"]))
        return (
            f"<div class='passage{' needs-review' if review else ''}' data-label='{label}' "
            f"data-review='{int(review)}' style='border-left-color:{COLORS[label]}'>"
            f"<div class='phead'><span class='badge' style='background:{COLORS[label]}'>"
            f"{label}</span><span class='conf' title='calibrated probability of the label'>"
            f"<span class='bar'><span style='width:{confidence * 100:.0f}%;"
            f"background:{COLORS[label]}'></span></span>{confidence:.2f}</span>"
            + ("<span class='flag'>review</span>" if review else "")
            + f"{page_link}{heading}</div>"
            f"<p>{html.escape(str(data['text']))}</p>"
            + (f"<p class='tags'>{' · '.join(tags)}</p>" if tags else "")
            + "</div>")

    def errors_section(self, errors: pd.DataFrame) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(str(r.get('path', '')))}</td>"
            f"<td>{html.escape(str(r.get('message', r.get('error', ''))))}</td></tr>"
            for r in errors.to_dict("records"))
        return ("<section id='errors'><h2>Unreadable files</h2><table class='profile'>"
                f"<tr><th>file</th><th>why</th></tr>{rows}</table></section>")


def _plots():
    from framingclf import plots

    return plots


def _figure(fig, caption: str, css: str = "") -> str:
    return (f"<figure class='{css}'><img alt='{html.escape(caption)}' src='{_png(fig)}'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _profile_table(table: pd.DataFrame, keys: list[str], *, escape: bool = True,
                   relative: bool = False) -> str:
    """A profile table as HTML: counts, shares, none, index with interval, deficit rate."""
    head = [*keys, "passages", "framing", *FRAMINGS, "none", "upstream index",
            *(["vs all"] if relative else []), "deficit-label rate"]
    cells = []
    for row in table.to_dict("records"):
        interval = (f" <span class='muted'>[{_fmt(row['upstream_low'])}–"
                    f"{_fmt(row['upstream_high'])}]</span>"
                    if pd.notna(row["upstream_low"]) else "")
        few = " <span title='fewer than the minimum of framing passages'>†</span>" \
            if row.get("few_passages") else ""
        values = [(str(row[k]) if not escape else html.escape(str(row[k]))) for k in keys]
        values += [_fmt(row["n_passages"], "int"), _fmt(row["n_framing"], "int") + few]
        values += [_fmt(row[f"share_{label}"], "pct") for label in FRAMINGS]
        values += [_fmt(row["share_none"], "pct"), _fmt(row["upstream_index"]) + interval]
        if relative:
            values.append(f"{row['upstream_vs_all']:+.2f}" if pd.notna(row["upstream_vs_all"])
                          else "–")
        values.append(_fmt(row["deficit_rate"], "pct"))
        cells.append("<tr>" + "".join(
            f"<td class='key'>{v}</td>" if i < len(keys) else f"<td>{v}</td>"
            for i, v in enumerate(values)) + "</tr>")
    header = "".join(
        f"<th><span class='swatch' style='background:{COLORS[h]}'></span>{h}</th>"
        if h in COLORS else f"<th{' class=key' if i < len(keys) else ''}>{html.escape(h)}</th>"
        for i, h in enumerate(head))
    return (f"<div class='scroll'><table class='profile'><tr>{header}</tr>"
            f"{''.join(cells)}</table></div>")


_CSS = """
:root{--ink:#1d1d1f;--muted:#666;--line:#e3e3e3;--bg:#fafafa}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:var(--ink);margin:0 auto;max-width:1200px;padding:0 24px 48px}
header{border-bottom:1px solid var(--line);margin-bottom:8px}
h1{font-size:26px;margin:24px 0 4px}h2{font-size:21px;margin:32px 0 8px;
border-bottom:2px solid var(--ink);padding-bottom:2px}h3{font-size:17px;margin:20px 0 6px}
nav a{margin-right:14px}.meta,.muted,.docmeta{color:var(--muted)}.meta{margin:0 0 6px}
a{color:#0a58a8}
.note{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:2px 14px;
margin:12px 0;font-size:14px}
.badge{display:inline-block;color:#fff;border-radius:3px;padding:0 7px;font-size:12px;
font-weight:600;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;
vertical-align:baseline}
table.legend td{padding:2px 10px 2px 0;font-size:14px}
.scroll{overflow-x:auto}
table.profile{border-collapse:collapse;font-size:13px;margin:6px 0 12px}
table.profile th,table.profile td{border-bottom:1px solid var(--line);padding:4px 8px;
text-align:right;white-space:nowrap;vertical-align:top}
table.profile td.key{text-align:left;white-space:normal;min-width:14em;max-width:26em}
table.profile th{background:var(--bg);font-weight:600;white-space:normal;vertical-align:bottom;
max-width:8.5em}
table.profile th.key{text-align:left}
figure{margin:12px 0}figure img{max-width:100%;height:auto;border:1px solid var(--line)}
figcaption{font-size:13px;color:var(--muted)}
figure.strip img{border:none}figure.strip figcaption{display:none}
.filters{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);
padding:8px 0;margin-bottom:8px}
.filters .row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:3px 0}
.filters .what{font-weight:600}
.chip{border:2px solid;border-radius:14px;padding:1px 10px;font-size:13px;cursor:pointer;
user-select:none}.chip .count{color:var(--muted)}
.filters button{font:inherit;font-size:13px;padding:1px 10px;border:1px solid #bbb;
border-radius:4px;background:#fff;cursor:pointer}
#search{font:inherit;font-size:14px;padding:2px 8px;border:1px solid #bbb;border-radius:4px;
min-width:16em}.shown{color:var(--muted);font-size:14px;margin-left:auto}
.doc{margin-top:18px}.doc h3{margin-bottom:0}.docmeta{font-size:13px;margin:2px 0 4px}
.passage{border-left:6px solid;padding:6px 12px;margin:6px 0;background:var(--bg);
border-radius:0 4px 4px 0}
.passage p{margin:4px 0}
.passage.needs-review{background:repeating-linear-gradient(135deg,#fff8e6,#fff8e6 10px,
#fdf1d6 10px,#fdf1d6 20px)}
.phead{display:flex;flex-wrap:wrap;gap:10px;align-items:center;font-size:13px}
.conf{display:inline-flex;align-items:center;gap:4px;font-variant-numeric:tabular-nums}
.bar{display:inline-block;width:60px;height:8px;background:#e0e0e0;border-radius:4px;
overflow:hidden}.bar span{display:block;height:100%}
.flag{display:inline-block;background:#fff3cd;border:1px solid #e0a800;color:#7a5b00;
border-radius:3px;padding:0 6px;font-size:12px;font-weight:600}
.heading{color:var(--muted)}.page{font-weight:600}
.tags{font-size:12px;color:var(--muted)}
[hidden]{display:none!important}
"""

_JS = """
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=label]"));
  var onlyReview = document.getElementById("only-review");
  var search = document.getElementById("search");
  var items = Array.prototype.slice.call(document.querySelectorAll(".passage"));
  var shown = document.getElementById("shown");
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var q = search.value.trim().toLowerCase();
    var n = 0;
    items.forEach(function (el) {
      var show = on[el.dataset.label] && (!onlyReview.checked || el.dataset.review === "1")
        && (!q || el.textContent.toLowerCase().indexOf(q) >= 0);
      el.hidden = !show;
      if (show) { n += 1; }
    });
    document.querySelectorAll(".doc").forEach(function (doc) {
      var k = doc.querySelectorAll(".passage:not([hidden])").length;
      doc.querySelector(".doc-shown").textContent = k;
      doc.hidden = k === 0;
    });
    shown.textContent = n;
  }
  function setAll(value) { boxes.forEach(function (b) { b.checked = value; }); apply(); }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  onlyReview.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("all-labels").addEventListener("click", function () { setAll(true); });
  document.getElementById("no-labels").addEventListener("click", function () { setAll(false); });
})();
"""
