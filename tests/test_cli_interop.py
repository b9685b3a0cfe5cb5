"""The import, export and agree commands: thin calls, one-line errors."""

import json

import pytest
from typer.testing import CliRunner

from framingclf import score_documents
from framingclf.cli import app
from framingclf.codings import import_codings

from .conftest import TINY

runner = CliRunner()


def _labelstudio(path, second_differs=(0,)):
    tasks = []
    for i, (text, label) in enumerate(TINY):
        other = "none" if i in second_differs and label != "none" else label
        tasks.append({"id": i + 1, "data": {"text": text, "doc_id": f"d{i % 5}"},
                      "annotations": [
                          {"completed_by": 1, "result": [{"type": "choices", "from_name": "l",
                                                           "value": {"choices": [label]}}]},
                          {"completed_by": 2, "result": [{"type": "choices", "from_name": "l",
                                                           "value": {"choices": [other]}}]}]})
    path.write_text(json.dumps(tasks), "utf-8")
    return path


def test_import_writes_the_tidy_table_and_a_consensus(tmp_path):
    source = _labelstudio(tmp_path / "ls.json")
    out = tmp_path / "codings.jsonl"
    result = runner.invoke(app, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Read 30 codings of 15 passages by 2 coder(s)" in result.output
    assert len(import_codings(out)) == 30
    result = runner.invoke(app, ["import", str(source), "-o", str(out), "--consensus",
                                 "--prefer", "1"])
    assert result.exit_code == 0, result.output
    table = import_codings(out)
    assert table["label"].tolist() == [y for _, y in TINY]


def test_import_errors_are_one_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("text,label\nSmoking harms.,smoking\n", "utf-8")
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: line 2: unknown label 'smoking'")
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "o.jsonl"),
                                 "--map", "smoking=lifestyle"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "o.jsonl"),
                                 "--map", "smoking"])
    assert result.exit_code == 1 and "expected NAME=LABEL" in result.output


def test_agree_prints_coefficients_per_label_and_confusion(tmp_path, tiny_model_dir):
    source = _labelstudio(tmp_path / "ls.json", second_differs=(0, 3, 6))
    result = runner.invoke(app, ["agree", str(source), "--boot", "50"])
    assert result.exit_code == 0, result.output
    for text in ("Krippendorff's alpha (nominal)", "Gwet's AC1", "Cohen's kappa 1 / 2",
                 "Per label:", "Confusion:", "intervals resample 5 documents"):
        assert text in result.output
    with_model = runner.invoke(app, ["agree", str(source), "--boot", "20", "--model",
                                     str(tiny_model_dir)])
    assert with_model.exit_code == 0, with_model.output
    assert "Cohen's kappa 1 / model:" in with_model.output


def test_export_command(tmp_path, tiny_model, tiny_model_dir):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Report\n\nDamp homes and low pay harm the health of "
                                "children in the borough.\n", "utf-8")
    score_documents(docs, tiny_model, out=tmp_path / "results", progress="none")
    out = tmp_path / "tasks.json"
    result = runner.invoke(app, ["export", str(tmp_path / "results"), "--to", "labelstudio",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "tasks-config.xml" in result.output
    result = runner.invoke(app, ["export", str(tmp_path / "results"), "--to", "qdpx", "-o",
                                 str(tmp_path / "x.qdpx"), "--model", str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", str(tmp_path / "results"), "--to", "pdf", "-o",
                                 str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and result.output.startswith("Error: format 'pdf'")


@pytest.mark.parametrize("command", ["import", "export", "agree", "queue", "train",
                                     "evaluate"])
def test_help_names_the_shared_options(command):
    result = runner.invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    if command in ("import", "agree", "train", "evaluate"):
        assert "--text-col" in result.output and "--doc-col" in result.output
