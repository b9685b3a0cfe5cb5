"""Training end to end: the same column options on train and evaluate, grouped CV whenever
documents are known (and the card saying what was done), and overlap warnings."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from framingclf.cli import app
from framingclf.corpus import passage_key
from framingclf.errors import CorpusFormatError, OverlapWarning
from framingclf.evaluate import evaluate_file
from framingclf.training import train_model

from .conftest import TINY

runner = CliRunner()


@pytest.fixture()
def codings_csv(tmp_path):
    path = tmp_path / "codings.csv"
    pd.DataFrame({"passage": [t for t, _ in TINY], "code": [y for _, y in TINY],
                  "document": [f"doc{i % 5}" for i in range(len(TINY))]}).to_csv(
        path, index=False)
    return path


def test_grouped_cv_with_any_document_column_and_the_card_says_so(codings_csv, tmp_path):
    out = tmp_path / "m"
    _, metrics = train_model(codings_csv, out, cv_splits=3, text_col="passage",
                             label_col="code", doc_col="document", n_boot=50)
    cv = metrics["grouped_cv"]
    assert cv["grouped"] and cv["n_groups"] == 5 and cv["n_splits"] == 3
    assert "grouped by document" in cv["method"]
    assert set(cv["intervals"]) >= {"macro_f1", "ece", "f1_lifestyle"}
    card = (out / "MODEL_CARD.md").read_text("utf-8")
    assert "## Cross-validation grouped by document (3 folds)" in card
    assert "from 5 documents (column `document`)" in card
    assert "complement naive Bayes" in card and "Model selection" not in card
    assert "grouped by document (GroupKFold)" in metrics["calibration"]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert passage_key(TINY[0][0]) in manifest["training_passages"]["keys"]


def test_without_documents_cv_is_stratified_and_the_card_warns(codings_csv, tmp_path):
    out = tmp_path / "m"
    _, metrics = train_model(codings_csv, out, cv_splits=3, text_col="passage",
                             label_col="code", n_boot=0)
    assert "grouped_cv" not in metrics
    assert "not grouped by document" in metrics["stratified_cv"]["method"]
    card = (out / "MODEL_CARD.md").read_text("utf-8")
    assert "NOT grouped by document" in card and "no document column" in card


def test_a_named_document_column_must_exist(codings_csv):
    with pytest.raises(CorpusFormatError, match="document column 'doc' missing"):
        train_model(codings_csv, text_col="passage", label_col="code", doc_col="doc")


def test_codings_of_several_coders_need_one_label_per_passage(tmp_path):
    path = tmp_path / "codings.jsonl"
    rows = [{"text": t, "label": y, "coder": c, "unit_id": str(i), "doc_id": "d"}
            for i, (t, y) in enumerate(TINY) for c in ("ann", "bob")]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    with pytest.raises(CorpusFormatError, match="15 passages are coded more than once"):
        train_model(path)


def test_evaluate_counts_overlap_with_the_training_passages(codings_csv, tmp_path):
    out = tmp_path / "m"
    train_model(codings_csv, out, cv_splits=3, text_col="passage", label_col="code",
                doc_col="document", n_boot=0)
    mixed = tmp_path / "mixed.csv"
    frame = pd.read_csv(codings_csv).iloc[:4]
    frame.loc[0, "passage"] = "  " + frame.loc[0, "passage"].upper() + " "  # same passage
    frame.loc[1, "passage"] = "Fuel poverty leaves families choosing between heat and food."
    frame.to_csv(mixed, index=False)
    with pytest.warns(OverlapWarning, match="3 of 4 passages"):
        result = evaluate_file(mixed, out, text_col="passage", label_col="code",
                               doc_col="document", n_boot=20)
    assert result["overlap"]["n"] == 3
    assert "intervals" in result and "confusion" in result


def test_cli_train_and_evaluate_take_the_same_column_options(codings_csv, tmp_path):
    out = tmp_path / "m"
    columns = ["--text-col", "passage", "--label-col", "code", "--doc-col", "document"]
    result = runner.invoke(app, ["train", str(codings_csv), "-o", str(out), "--cv", "3",
                                 *columns])
    assert result.exit_code == 0, result.output
    assert "Cross-validation: 3 folds grouped by document" in result.output
    result = runner.invoke(app, ["evaluate", str(codings_csv), "-m", str(out), *columns])
    assert result.exit_code == 0, result.output
    assert "Warning: " in result.output and "15 of 15 passages (100%)" in result.output
    assert "Confusion (rows true, columns predicted)" in result.output
    old = runner.invoke(app, ["evaluate", str(codings_csv), "-m", str(out),
                              "--text-column", "passage", "--label-column", "code"])
    assert old.exit_code == 0, old.output


def test_evaluate_without_documents_resamples_passages_and_says_so(tiny_model, tiny_corpus):
    from framingclf.evaluate import evaluate

    texts, labels, _ = tiny_corpus
    result = evaluate(tiny_model, texts, labels, n_boot=50)
    assert result["intervals"]["method"].startswith("percentile bootstrap over 15 passages")
    assert "too narrow" in result["intervals"]["method"]
    assert "intervals" not in evaluate(tiny_model, texts, labels, n_boot=0)


def test_the_card_shows_the_model_selection_it_is_given(codings_csv, tmp_path):
    selection = tmp_path / "select.json"
    selection.write_text(json.dumps({"families": {"words-lr": {
        "best": "words-lr-C3", "grouped_cv": 0.81, "loro": 0.79}}, "shipped": "Chosen."}))
    out = tmp_path / "m"
    train_model(codings_csv, out, cv_splits=3, text_col="passage", label_col="code",
                doc_col="document", n_boot=0, selection=selection,
                params={"nb_weight": 0.0})
    card = (out / "MODEL_CARD.md").read_text("utf-8")
    assert "Model selection" in card and "words-lr-C3" in card and "0.790" in card
    assert "naive Bayes" not in card


def test_unreadable_selection_results_fail_before_training(codings_csv, tmp_path):
    bad = tmp_path / "select.json"
    bad.write_text("[1, 2]")
    with pytest.raises(CorpusFormatError, match=r"select\.json: no 'families' table"):
        train_model(codings_csv, tmp_path / "m", text_col="passage", label_col="code",
                    selection=bad)
