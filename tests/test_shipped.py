"""The shipped model and corpus: they load, check clean, and get clear passages right."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import framingclf
from framingclf.cli import app
from framingclf.corpus import check_corpus, read_corpus

from .conftest import REAL_DEV

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "framing-corpus.jsonl"

CLEAR = {
    "healthcare-access": [
        "Uptake of breast screening is lowest among women living in our most deprived "
        "neighbourhoods, so we will offer evening clinics and a mobile unit.",
        "Patients who need an interpreter wait longer for a GP appointment and are less "
        "likely to be referred for diagnostic tests.",
    ],
    "lifestyle": [
        "Smoking remains the biggest driver of the gap in life expectancy, so the stop "
        "smoking service will offer vapes and nicotine replacement to every smoker.",
        "We want residents to eat more healthily, drink less alcohol and be physically "
        "active for at least 150 minutes a week.",
    ],
    "social-determinants": [
        "Children growing up in cold, damp and overcrowded homes are more likely to be "
        "admitted to hospital with asthma and respiratory infections.",
        "Secure, well-paid work is one of the strongest protections for good health, and "
        "long-term unemployment is linked to depression and early death.",
    ],
    "structural-politics": [
        "A decade of austerity, cuts to local government and welfare reform have widened "
        "health inequalities; these are the result of political choices in Westminster.",
        "The two-child limit and the benefit freeze were policy decisions that pushed "
        "hundreds of thousands of children into poverty.",
    ],
    "none": [
        "The minutes of the meeting held on 12 March were agreed as an accurate record.",
        "The Board is asked to note the month 9 financial position and approve the capital "
        "plan.",
    ],
}


@pytest.fixture(scope="module")
def shipped():
    return framingclf.load_model()


@pytest.mark.parametrize("label", list(CLEAR))
def test_shipped_model_gets_clear_passages(shipped, label):
    table = framingclf.score_texts(CLEAR[label], shipped)
    assert table["label"].tolist() == [label] * len(CLEAR[label])


def test_default_model_is_the_shipped_one(shipped):
    assert framingclf.persistence.resolve_model(None).fingerprint() == shipped.fingerprint()


def test_shipped_corpus_checks_clean():
    report = check_corpus(CORPUS)
    assert report.ok, report.problems[:5]
    assert report.near_duplicate_rate < 0.01
    assert report.n_passages >= 3000 and min(report.label_counts.values()) >= 450
    assert report.n_documents >= 250 and len(report.doc_type_counts) >= 10


def test_corpus_check_cli_passes_on_shipped_corpus():
    result = CliRunner().invoke(app, ["corpus", "check", str(CORPUS)])
    assert result.exit_code == 0, result.output


def test_corpus_check_names_rows_of_a_corrupted_copy(tmp_path):
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines()[:50]]
    rows[3]["label"] = "politics"
    rows[7]["text"] = ""
    rows[9]["id"] = rows[2]["id"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    result = CliRunner().invoke(app, ["corpus", "check", str(bad)])
    assert result.exit_code == 1
    assert "line 4: unknown label 'politics'" in result.output
    assert "line 8: empty or missing text" in result.output
    assert f"line 10: duplicate id '{rows[2]['id']}' (first on line 3)" in result.output


def test_corpus_check_flags_exact_duplicates(tmp_path):
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines()[:20]]
    rows[15]["text"] = rows[4]["text"].upper()
    bad = tmp_path / "dup.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    report = check_corpus(bad)
    assert report.exact_duplicates == [(4, 15)]
    assert not report.ok and "row 16" in report.problems[0]


@pytest.mark.skipif(not REAL_DEV.is_file(), reason=f"{REAL_DEV} not present")
def test_shipped_model_on_real_text_keeps_its_floor(shipped):
    """A regression floor well below the measured score (see the model card)."""
    from framingclf.evaluate import evaluate

    held = read_corpus(REAL_DEV)
    result = evaluate(shipped, held["text"].tolist(), held["label"].tolist())
    assert result["macro_f1"] >= 0.65


@pytest.mark.slow
def test_retraining_on_the_corpus_is_reproducible():
    """Same corpus, same seed: the same model, fingerprint for fingerprint."""
    corpus = read_corpus(CORPUS)
    texts, labels = corpus["text"].tolist(), corpus["label"].tolist()
    groups = corpus["doc_id"].tolist()
    first = framingclf.FramingClassifier(random_state=0).fit(texts, labels, groups=groups)
    second = framingclf.FramingClassifier(random_state=0).fit(texts, labels, groups=groups)
    assert first.fingerprint() == second.fingerprint()
    assert first.temperature_ == second.temperature_
