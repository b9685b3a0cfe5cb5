"""The audit's passage model (fit, save, load, refuse), its corpus reader, and the
agreement script, on small data made here."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framingclf.auditing.corpus import read_documents, read_passages
from framingclf.auditing.model import load_tagger, resolve_tagger, save_tagger
from framingclf.auditing.tagger import PassageTagger
from framingclf.errors import CorpusFormatError, InvalidInputError, ModelLoadError

ROOT = Path(__file__).resolve().parents[1]

TINY = pd.DataFrame({
    "heading": ["Cancer", "Cancer", "Our approach", "Our approach", "Funding", "Funding"],
    "text": ["A pilot of lung checks will run for twelve months.",
             "A toolkit for practices has been circulated.",
             "Recurrent funding of £2m a year with a named lead and targets.",
             "The baseline budget is weighted by need, reported quarterly.",
             "Vulnerable groups and hard to reach residents will be prioritised.",
             "The minutes of the last meeting were approved."],
})
Y = pd.DataFrame({"pilot": [1, 1, 0, 0, 0, 0], "sustained": [0, 0, 1, 1, 0, 0],
                  "deficit": [0, 0, 0, 0, 1, 0], "never": [0, 0, 0, 0, 0, 0]})


@pytest.fixture(scope="module")
def tagger():
    return PassageTagger(min_df=1, C=10.0).fit(TINY, Y)


def test_tagger_learns_and_predicts_one_column_per_tag(tagger):
    proba = tagger.predict_proba(TINY)
    assert proba.shape == (6, 4)
    assert tagger.tags_ == ["pilot", "sustained", "deficit", "never"]
    assert proba[0, 0] > proba[2, 0] and proba[2, 1] > proba[0, 1]
    assert np.all(proba[:, 3] < 1e-9)  # a tag never seen: never
    assert tagger.predict(TINY).shape == (6, 4)


def test_tagger_takes_a_list_of_texts(tagger):
    assert tagger.predict_proba(["A small pilot.", "Recurrent funding."]).shape == (2, 4)


def test_tagger_refuses_bad_input():
    with pytest.raises(InvalidInputError, match="single string"):
        PassageTagger().fit("one passage", Y)
    with pytest.raises(InvalidInputError, match="6 passages but Y has 2 rows"):
        PassageTagger(min_df=1).fit(TINY, Y.head(2))
    with pytest.raises(InvalidInputError, match="text or pattern features"):
        PassageTagger(text=False, patterns=False).fit(TINY, Y)


def test_save_then_load_gives_identical_probabilities(tagger, tmp_path):
    path = save_tagger(tagger, tmp_path / "audit", metrics={"x": 1}, card="# card")
    loaded = load_tagger(path)
    np.testing.assert_array_equal(loaded.predict_proba(TINY), tagger.predict_proba(TINY))
    manifest = json.loads((path / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == "framingclf-audit-model"
    assert manifest["tags"] == tagger.tags_
    assert resolve_tagger(path) is resolve_tagger(path)  # loaded once per process


def test_a_changed_file_is_refused(tagger, tmp_path):
    path = save_tagger(tagger, tmp_path / "audit")
    with open(path / "model.skops", "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ModelLoadError, match="does not match the manifest"):
        load_tagger(path)


def test_a_framing_model_is_not_an_audit_model(tiny_model_dir):
    with pytest.raises(ModelLoadError, match="not a framingclf-audit-model manifest"):
        load_tagger(tiny_model_dir)
    with pytest.raises(ModelLoadError, match="no such audit model directory"):
        load_tagger(tiny_model_dir / "missing")
    with pytest.raises(InvalidInputError, match="expected a fitted PassageTagger"):
        resolve_tagger(42)


def test_untrusted_types_are_refused(tagger, tmp_path):
    import skops.io as sio

    from framingclf._files import sha256_file

    path = save_tagger(tagger, tmp_path / "audit")
    sio.dump({"model": tagger, "extra": Path("x")}, path / "model.skops")
    manifest = json.loads((path / "manifest.json").read_text("utf-8"))
    manifest["sha256"] = sha256_file(path / "model.skops")
    (path / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(ModelLoadError, match="types framingclf does not trust"):
        load_tagger(path)


# -- the audit corpus -----------------------------------------------------------------

def _corpus(root: Path, answers: dict | None = None, tags: list[str] | None = None) -> Path:
    raw = root / "raw"
    raw.mkdir(parents=True)
    passage = {"doc_id": "T001", "position": 1, "heading": "1. Background",
               "text": "Universal Credit reached the town in 2018.",
               "tags": tags if tags is not None else ["context"], "measures": [],
               "note": "unlinked: no link to health"}
    (raw / "T-passages.jsonl").write_text(json.dumps(passage) + "\n", "utf-8")
    planned = {"definition": "no", "context": "partly", "measure": "no", "siloed": "no",
               "pilots": "no", "progress_claims": "no", "deficit_labels": "no"}
    document = {"doc_id": "T001", "split": "train", "title": "A paper",
                "answers": answers or planned}
    (raw / "T-documents.jsonl").write_text(json.dumps(document) + "\n", "utf-8")
    return root


def test_read_passages_gives_one_column_per_tag(tmp_path):
    frame = read_passages(_corpus(tmp_path))
    assert frame.loc[0, "context"] == 1 and frame.loc[0, "context_linked"] == 0
    assert frame.loc[0, "definition"] == 0


def test_planned_answers_until_adjudicated_ones_exist(tmp_path):
    root = _corpus(tmp_path)
    assert read_documents(root).loc[0, "answers_source"] == "planned"
    adjudicated = {"definition": "no", "context": "yes", "measure": "no", "siloed": "no",
                   "pilots": "no", "progress_claims": "no", "deficit_labels": "no"}
    (root / "answers.jsonl").write_text(json.dumps(
        {"doc_id": "T001", "split": "train", "answers": adjudicated}) + "\n", "utf-8")
    documents = read_documents(root)
    assert documents.loc[0, "answers_source"] == "adjudicated"
    assert documents.loc[0, "context"] == "yes"


def test_bad_corpus_rows_name_file_and_line(tmp_path):
    root = _corpus(tmp_path / "a", tags=["pilots"])
    with pytest.raises(CorpusFormatError, match=r"T-passages\.jsonl: line 1: unknown tags"):
        read_passages(root)
    root = _corpus(tmp_path / "b", answers={"definition": "maybe"})
    with pytest.raises(CorpusFormatError, match=r"line 1: answer for 'definition' is 'maybe'"):
        read_documents(root)
    with pytest.raises(CorpusFormatError, match="not found; pass the audit corpus folder"):
        read_passages(tmp_path / "nowhere")


def _agreement_module():
    spec = importlib.util.spec_from_file_location(
        "audit_agreement", ROOT / "corpora" / "scripts" / "audit_agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_agreement_skips_what_is_not_second_coded(tmp_path):
    module = _agreement_module()
    root = _corpus(tmp_path)
    (root / "raw" / "V-passages.jsonl").write_text("", "utf-8")
    (root / "raw" / "V-documents.jsonl").write_text("", "utf-8")
    assert module.agreement(root)["second_coding"] == {"T": "absent", "V": "absent"}
    second = root / "second-coding"
    second.mkdir()
    answers = {"definition": "no", "context": "yes", "measure": "no", "siloed": "no",
               "pilots": "no", "progress_claims": "no", "deficit_labels": "no"}
    (second / "T.jsonl").write_text(
        json.dumps({"doc_id": "T001", "position": 1, "tags": ["context", "measure"]}) + "\n"
        + json.dumps({"doc_id": "T001", "answers": answers}) + "\n", "utf-8")
    result = module.agreement(root)
    assert result["second_coding"] == {"T": "present", "V": "absent"}
    split = result["splits"]["T"]
    assert split["documents"] == 1 and split["passages"] == 1
    assert split["checks"]["context"]["agreement"] == 0.0  # partly against yes
    assert split["checks"]["definition"]["agreement"] == 1.0
    assert split["tags"]["measure"]["agreement"] == 0.0


def test_cohen_kappa_of_the_agreement_script():
    module = _agreement_module()
    assert module.cohen_kappa(["yes", "no", "yes", "no"], ["yes", "no", "yes", "no"]) == 1.0
    assert module.cohen_kappa(["yes", "yes"], ["yes", "yes"]) is None
    assert module.cohen_kappa(["yes", "no", "yes", "no"], ["no", "yes", "no", "yes"]) == -1.0
