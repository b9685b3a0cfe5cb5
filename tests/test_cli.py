import json

import pytest
from typer.testing import CliRunner

from framingclf.cli import app

from .conftest import TINY

runner = CliRunner()


@pytest.fixture()
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Report\n\nDamp homes and low pay harm the health of "
                                  "children in the borough.\n\nThe minutes of the last "
                                  "meeting were approved as a true record.\n", "utf-8")
    (folder / "broken.txt").write_bytes(b"")
    return folder


def test_score_writes_tables_and_reports_errors(docs, tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    result = runner.invoke(app, ["score", str(docs), "--out", str(out), "--model",
                                 str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert "Scored 1 document(s), 3 passages (2 labelled); 1 error(s)." in result.output
    for name in ("passages", "documents", "errors"):
        assert (out / f"{name}.csv").is_file()
    assert "broken.txt" in (out / "errors.csv").read_text()


def test_score_names_documents_whose_passages_stop_mid_sentence(docs, tmp_path, tiny_model_dir):
    statements = ["More people in the east of the borough are supported to live well at home "
                  "with the right care", "Families on low incomes are helped to claim the "
                  "benefits they are owed through the advice service in every library"]
    (docs / "slides.txt").write_text("\n\n".join(statements) + "\n", "utf-8")
    result = runner.invoke(app, ["score", str(docs), "--out", str(tmp_path / "out"), "--model",
                                 str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    assert "Read with care: in 1 document(s)" in result.output
    assert "see unfinished_rate): slides.txt\n" in result.output  # a.txt reads well


def test_score_missing_path_is_one_error_line(tmp_path, tiny_model_dir):
    result = runner.invoke(app, ["score", str(tmp_path / "nope"), "--out", str(tmp_path / "o"),
                                 "--model", str(tiny_model_dir)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope'}: no such file or folder"


def test_missing_model_is_one_error_line(docs, tmp_path):
    result = runner.invoke(app, ["score", str(docs), "--out", str(tmp_path / "o"), "--model",
                                 str(tmp_path / "nomodel")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'nomodel'}: no such model directory")
    assert "Traceback" not in result.output


def test_train_evaluate_info(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": str(i), "text": t, "label": y,
                                          "doc_id": f"d{i % 5}"}) + "\n"
                              for i, (t, y) in enumerate(TINY)), "utf-8")
    model_dir = tmp_path / "m"
    result = runner.invoke(app, ["train", str(corpus), "-o", str(model_dir), "--cv", "3",
                                 "--eval", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 0, result.output
    assert "Skipped evaluation file absent.jsonl: not found" in result.output
    assert (model_dir / "MODEL_CARD.md").is_file() and (model_dir / "metrics.json").is_file()
    result = runner.invoke(app, ["evaluate", str(corpus), "--model", str(model_dir)])
    assert result.exit_code == 0 and "macro-F1" in result.output
    result = runner.invoke(app, ["info", "--model", str(model_dir)])
    assert result.exit_code == 0 and "structural-politics" in result.output


def test_train_bad_corpus_names_the_line(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "x", "label": "none"}\n{"text": "y", "label": "nonsense"}\n')
    result = runner.invoke(app, ["train", str(corpus), "-o", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {corpus}: line 2: unknown label 'nonsense'")
