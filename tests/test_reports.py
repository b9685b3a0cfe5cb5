import html
import re
import shutil
import subprocess
import tempfile

import pandas as pd
import pytest
from typer.testing import CliRunner

from framingclf import ScoreResult
from framingclf.cli import app
from framingclf.errors import InvalidInputError
from framingclf.labels import LABELS
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


@pytest.fixture()
def report_html(tmp_path):
    out = build_report(make_result(tmp_path), tmp_path / "out" / "report.html")
    return out.read_text("utf-8")


def test_report_is_self_contained(report_html):
    tags = re.findall(r"<(?:script|link|img|iframe|source|style)\b[^>]*>", report_html, re.I)
    for tag in tags:
        assert not re.search(r"(?:src|href)\s*=\s*['\"]?\s*(?:https?:)?//", tag, re.I), tag
    assert "@import" not in report_html and not re.search(r"url\(\s*['\"]?https?:",
                                                          report_html)
    assert "<link" not in report_html  # styles inline
    assert report_html.count("data:image/png;base64,") >= 5  # 3 document plots + 2 strips
    assert "<script>" in report_html and "<style>" in report_html


def test_every_passage_is_there_escaped_and_linked(report_html):
    for text, _label, confidence, _page in TEXTS:
        assert html.escape(text) in report_html
        assert f"{confidence:.2f}" in report_html
    assert "<b>every winter</b>" not in report_html  # passage text is escaped
    assert report_html.count("class='passage") == len(TEXTS)
    assert len(re.findall(r"data-label='healthcare-access'", report_html)) == 2
    assert report_html.count("<span class='flag'>review</span><a class='page'") == 2
    assert report_html.count("class='passage needs-review'") == 2
    assert re.search(r"href='\.\./docs/board\.txt#page=2'", report_html)
    assert re.search(r"href='\.\./docs/strategy\.txt#page=3'", report_html)
    assert "Board papers, March" in report_html and "Fairer Health Strategy" in report_html
    assert "cues: screening, deprived" in report_html
    assert "deficit labels: vulnerable people, hard to reach" in report_html
    assert "PDF files are not read" in report_html  # unreadable files listed


def test_filter_controls_are_present(report_html):
    for label in LABELS:
        assert f"name='label' value='{label}' checked" in report_html
    for control in ("id='only-review'", "id='search'", "id='shown'", "id='all-labels'",
                    "id='no-labels'"):
        assert control in report_html
    assert 'querySelectorAll("input[name=label]")' in report_html


def test_profiles_overall_and_per_document(report_html):
    assert "<h3>All passages</h3>" in report_html
    assert "id='documents'" in report_html
    assert "href='#doc-1e5a0000aaaa0001'" in report_html
    assert "†" in report_html  # groups this small are flagged, never bare numbers


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
    assert all(html.escape(t) in page for t, *_ in TEXTS)
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
    missing = runner.invoke(app, ["report", str(tmp_path / "nope"), "-o", str(out)])
    assert missing.exit_code == 1
    assert missing.output.strip().startswith(f"Error: {tmp_path / 'nope'}: no such folder")


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed")
def test_report_renders_and_filters_in_chromium(tmp_path):
    page = build_report(make_result(tmp_path), tmp_path / "report.html").read_text("utf-8")
    script = ("<script>document.querySelector(\"input[value=none]\").click();"
              "document.getElementById('only-review').click();</script></body>")
    (tmp_path / "filtered.html").write_text(page.replace("</body>", script), "utf-8")
    done = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tempfile.mkdtemp()}", "--dump-dom",
         (tmp_path / "filtered.html").as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r'id="shown">2<', done.stdout), "the filter script did not run"
