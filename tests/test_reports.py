import re
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from framingclf import ScoreResult
from framingclf.cli import app
from framingclf.errors import InvalidInputError
from framingclf.labels import LABELS
from framingclf.reports import CORRECTION_COLUMNS, decode
from framingclf.reports import report as build_report
from framingclf.tables import load_results

TEXTS = [
    ("Uptake of bowel screening is lowest in our most deprived neighbourhoods.",
     "healthcare-access", 0.81, 1),
    ("Residents are encouraged to make healthy choices & stop smoking.", "lifestyle", 0.42, 1),
    ("Damp, overcrowded homes make children ill <b>every winter</b>.", "social-determinants",
     0.9, 2),
    ("A decade of cuts to local government widened the gap.", "structural-politics", 0.66, 3),
    ("The minutes of the previous meeting were approved.", "none", 0.97, 1),
    ("Vulnerable people in hard to reach groups wait longest for a GP.", "healthcare-access",
     0.47, 2),
]


def make_result(tmp_path) -> ScoreResult:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name in ("board.txt", "strategy.txt"):
        (docs / name).write_text("text", "utf-8")
    rows = []
    for i, (text, label, confidence, page) in enumerate(TEXTS):
        doc = "1e5a0000aaaa0001" if i < 3 else "00ff00ff00ff00ff"  # "1e5..." looks like a float
        row = {"doc_id": doc, "path": str(docs / ("board.txt" if i < 3 else "strategy.txt")),
               "passage_id": f"{doc}-{i}", "page_start": page, "page_end": page,
               "heading": "Item 7" if i % 2 else "", "text": text, "label": label,
               "confidence": confidence}
        for other in LABELS:
            row[f"p_{other}"] = confidence if other == label else (1 - confidence) / 4
        row.update(position=None, review=confidence < 0.5, flag=None,
                   cues=["screening", "deprived"] if i == 0 else [])
        rows.append(row)
    passages = pd.DataFrame(rows)
    documents = pd.DataFrame({"doc_id": ["1e5a0000aaaa0001", "00ff00ff00ff00ff"],
                              "path": [rows[0]["path"], rows[3]["path"]],
                              "title": ["Board papers, March", "Fairer Health Strategy"]})
    errors = pd.DataFrame([{"path": str(docs / "scan.pdf"), "stage": "read",
                            "error": "DocumentReadError", "message": "PDF files are not read"}])
    return ScoreResult(passages=passages, documents=documents, errors=errors)


def many_passages(tmp_path, n: int, per_document: int = 40) -> ScoreResult:
    """`n` passages of the sample texts over n / per_document documents of 4 organisations
    and 6 years (for scale tests)."""
    base = make_result(tmp_path).passages
    rows = base.iloc[[i % len(base) for i in range(n)]].reset_index(drop=True)
    docs = [f"{i // per_document:016x}" for i in range(n)]
    rows = rows.assign(doc_id=docs, passage_id=[f"{d}-{i}" for i, d in enumerate(docs)],
                       path=[f"docs/{d}.pdf" for d in docs],
                       title=[f"Paper {d[-4:]}" for d in docs],
                       organisation=[f"Org {int(d, 16) % 4}" for d in docs],
                       year=[2018 + int(d, 16) % 6 for d in docs],
                       page_start=[1 + (i % per_document) // 5 for i in range(n)])
    return ScoreResult(passages=rows, documents=pd.DataFrame(), errors=pd.DataFrame())


def report_data(page: str) -> dict:
    """The data the page's script renders."""
    return decode(page)


@pytest.fixture()
def report_html(tmp_path):
    out = build_report(make_result(tmp_path), tmp_path / "out" / "report.html")
    return out.read_text("utf-8")


def test_report_is_self_contained(report_html):
    tags = re.findall(r"<(?:script|link|img|iframe|source|style|object)\b[^>]*>", report_html,
                      re.I)
    for tag in tags:
        assert not re.search(r"(?:src|href|data)\s*=", tag, re.I), tag
    assert "@import" not in report_html and not re.search(r"url\(\s*['\"]?https?:",
                                                          report_html)
    assert "<img" not in report_html and "data:image" not in report_html  # no raster images
    assert "<script>" in report_html and "<style>" in report_html


def test_every_passage_is_in_the_data_once(report_html):
    data = report_data(report_html)
    passages, documents = data["passages"], data["documents"]
    assert passages["text"] == [text for text, *_ in TEXTS]
    assert [passages["labels"][i] for i in passages["label"]] == [y for _, y, *_ in TEXTS]
    assert passages["confidence"] == [c for *_, c, _ in TEXTS]
    assert passages["page"] == [p for *_, p in TEXTS]
    assert passages["review"] == [int(c < 0.5) for *_, c, _ in TEXTS]
    assert passages["cues"][0] == ["screening", "deprived"]
    assert passages["deficit"][5] == ["vulnerable people", "hard to reach"]
    assert documents["title"] == ["Board papers, March", "Fairer Health Strategy"]
    assert documents["href"] == ["../docs/board.txt", "../docs/strategy.txt"]
    assert data["correction_columns"] == list(CORRECTION_COLUMNS)
    assert "<b>every winter</b>" not in report_html  # text never reaches the page as HTML
    assert "PDF files are not read" in report_html  # unreadable files listed


def test_text_cannot_break_out_of_the_data_blob(tmp_path):
    result = make_result(tmp_path)
    result.passages.loc[0, "text"] = "</script><script>alert(1)</script> & more"
    page = build_report(result, tmp_path / "r.html").read_text("utf-8")
    assert "<script>alert(1)" not in page
    assert report_data(page)["passages"]["text"][0].startswith("</script><script>alert(1)")


def test_filter_and_review_controls_are_present(report_html):
    for control in ("f-labels", "f-kinds", "f-cmin", "f-cmax", "f-org", "f-doc", "f-review",
                    "f-search", "f-reset", "shown", "export-csv", "coder",
                    "download-corrections", "corrections-count", "passage-rows"):
        assert f'id="{control}"' in report_html, control


def test_profiles_overall_and_caveats(report_html):
    assert "<h3>All passages</h3>" in report_html
    assert "framing passages (fewer than 20)" in report_html  # the caution column says why
    assert "†" in report_html


def test_document_panels_show_extra_columns(tmp_path):
    result = make_result(tmp_path)
    result.documents["audit_coverage"] = [0.93, 0.71]
    page = build_report(result, tmp_path / "r.html").read_text("utf-8")
    documents = report_data(page)["documents"]
    assert "audit_coverage" in documents["columns"]
    column = documents["columns"].index("audit_coverage")
    assert [row[column] for row in documents["rows"]] == [0.93, 0.71]
    chosen = build_report(result, tmp_path / "r2.html", document_columns=["title", "n_pages"])
    assert report_data(chosen.read_text("utf-8"))["documents"]["columns"] == ["title", "n_pages"]
    with pytest.raises(InvalidInputError, match=r"document_columns \['nope'\] not in"):
        build_report(result, tmp_path / "r3.html", document_columns=["nope"])


def test_years_of_one_document_draw_no_trend(tmp_path):
    result = many_passages(tmp_path, 240, per_document=40)  # 6 documents, 6 years
    page = build_report(result, tmp_path / "r.html").read_text("utf-8")
    assert "By year" in page and "no trend drawn" in page
    assert 'class="trend"' not in page
    assert page.count("<svg") <= 3  # a few summary plots, nothing per document
    enough = many_passages(tmp_path, 1200, per_document=20)  # 10 documents a year
    page = build_report(enough, tmp_path / "r2.html").read_text("utf-8")
    assert page.count('class="trend"') == 5 and "no trend drawn" not in page


def test_reports_need_no_matplotlib(tmp_path):
    make_result(tmp_path).save(tmp_path / "results")
    code = ("import sys\nfrom framingclf import report\n"
            f"report({str(tmp_path / 'results')!r}, {str(tmp_path / 'r.html')!r})\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_an_11000_passage_report_is_small(tmp_path):
    result = many_passages(tmp_path, 11_000)
    page = build_report(result, tmp_path / "r.html")
    assert page.stat().st_size < 1_000_000  # these texts repeat; real text: see benchmarks
    data = report_data(page.read_text("utf-8"))
    assert len(data["passages"]["text"]) == 11_000
    with pytest.raises(InvalidInputError, match="not a framingclf report"):
        decode("<html></html>")


def test_templates_ship_with_the_package():
    from importlib.resources import files

    templates = files("framingclf.reports").joinpath("templates")
    for name in ("report.html.j2", "report.css", "report.js"):
        assert templates.joinpath(name).is_file(), name


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_load_results_round_trip(tmp_path, fmt):
    result = make_result(tmp_path)
    folder = tmp_path / "results"
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
        folder.mkdir()
        for name in ("passages", "documents", "errors"):
            getattr(result, name).to_parquet(folder / f"{name}.parquet")
    else:
        result.save(folder, fmt)
    loaded = load_results(folder)
    p = loaded.passages
    assert list(p["doc_id"].unique()) == ["1e5a0000aaaa0001", "00ff00ff00ff00ff"]
    assert p["review"].tolist() == result.passages["review"].tolist()
    assert p["cues"].iloc[0] == ["screening", "deprived"] and p["cues"].iloc[1] == []
    assert p["text"].tolist() == result.passages["text"].tolist()
    assert p["page_start"].tolist() == [1, 1, 2, 3, 1, 2]
    assert loaded.documents["title"].tolist() == ["Board papers, March",
                                                  "Fairer Health Strategy"]
    assert len(loaded.errors) == 1


def test_report_from_a_results_folder_and_empty_errors(tmp_path):
    result = make_result(tmp_path)
    result.errors = result.errors.iloc[0:0]
    result.save(tmp_path / "results")
    out = build_report(tmp_path / "results", tmp_path / "report.html")
    page = out.read_text("utf-8")
    assert report_data(page)["passages"]["text"] == [t for t, *_ in TEXTS]
    assert "Unreadable files" not in page
    assert "framingclf report: results" in page


def test_bad_input_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidInputError, match="no such folder"):
        load_results(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInputError, match="no passages table"):
        load_results(tmp_path / "empty")
    result = make_result(tmp_path)
    result.passages = result.passages.drop(columns="page_start")
    with pytest.raises(InvalidInputError, match=r"\['page_start'\] not in the passages table"):
        build_report(result, tmp_path / "r.html")
    mixed = make_result(tmp_path)
    mixed.passages["model"] = ["m1"] * 3 + ["m2"] * 3
    with pytest.raises(InvalidInputError, match="scored by 2 different models"):
        build_report(mixed, tmp_path / "r.html")


def test_cli_report(tmp_path):
    make_result(tmp_path).save(tmp_path / "results")
    runner = CliRunner()
    out = tmp_path / "report.html"
    done = runner.invoke(app, ["report", str(tmp_path / "results"), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == f"Wrote {out}"
    assert out.is_file()
    chosen = runner.invoke(app, ["report", str(tmp_path / "results"), "-o", str(out),
                                 "--document-column", "title", "--document-column", "n_pages",
                                 "--page-size", "20"])
    assert chosen.exit_code == 0, chosen.output
    data = report_data(out.read_text("utf-8"))
    assert data["documents"]["columns"] == ["title", "n_pages"] and data["page_size"] == 20
    assert "audit" not in data
    audited = runner.invoke(app, ["report", str(tmp_path / "results"), "-o", str(out),
                                  "--audit"])
    assert audited.exit_code == 0, audited.output
    assert len(report_data(out.read_text("utf-8"))["audit"]) == 2
    missing = runner.invoke(app, ["report", str(tmp_path / "nope"), "-o", str(out)])
    assert missing.exit_code == 1
    assert missing.output.strip().startswith(f"Error: {tmp_path / 'nope'}: no such folder")


def test_an_audited_result_shows_each_documents_audit_with_its_evidence(tmp_path):
    result = make_result(tmp_path)
    plain = report_data(build_report(result, tmp_path / "plain.html").read_text("utf-8"))
    assert "audit" not in plain  # not audited when scored: no audit unless asked
    result.documents["audit_deficit_labels"] = ["yes", "no"]
    data = report_data(build_report(result, tmp_path / "r.html").read_text("utf-8"))
    ids = set(data["passages"]["id"])
    assert len(data["audit"]) == len(data["documents"]["rows"]) == 2
    for checks in data["audit"]:
        assert [c[0] for c in checks] == ["definition", "context", "measure", "siloed",
                                          "pilots", "progress_claims", "deficit_labels"]
        for _check, verdict, confidence, evidence, cited in checks:
            assert verdict in {"yes", "partly", "no"} and 0 <= confidence <= 1 and evidence
            assert set(cited) <= ids
    strategy = dict((c[0], c) for c in data["audit"][1])["deficit_labels"]
    assert strategy[1] != "no" and strategy[4] == ["00ff00ff00ff00ff-5"]  # "hard to reach"
    off = report_data(build_report(result, tmp_path / "off.html", audit=False)
                      .read_text("utf-8"))
    assert "audit" not in off


def test_a_report_can_relabel_for_the_sets_mix_and_says_so(tmp_path, tiny_model):
    result = many_passages(tmp_path, 300)
    plain = report_data(build_report(result, tmp_path / "plain.html").read_text("utf-8"))
    out = build_report(result, tmp_path / "mix.html", set_mix=True, model=tiny_model)
    page = out.read_text("utf-8")
    assert "Labels adjusted for this set's own label mix" in page
    assert re.search(r"estimated as healthcare-access \d+%, lifestyle \d+%", page)
    adjusted = report_data(page)
    assert adjusted["passages"]["confidence"] != plain["passages"]["confidence"]  # relabelled
    assert "own label mix" not in (tmp_path / "plain.html").read_text("utf-8")
    # a set too small to estimate its mix is reported as scored, and the page claims nothing
    with pytest.warns(UserWarning, match="fewer than 100"):
        small = build_report(make_result(tmp_path), tmp_path / "small.html", set_mix=True,
                             model=tiny_model)
    assert "own label mix" not in small.read_text("utf-8")


def test_cli_report_set_mix(tmp_path, tiny_model_dir):
    many_passages(tmp_path, 200).save(tmp_path / "results")
    out = tmp_path / "report.html"
    done = CliRunner().invoke(app, ["report", str(tmp_path / "results"), "-o", str(out),
                                    "--set-mix", "--model", str(tiny_model_dir)])
    assert done.exit_code == 0, done.output
    assert "own label mix" in out.read_text("utf-8")
