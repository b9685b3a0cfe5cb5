"""The spaCy component: from a blank pipeline after install, batches, disk, scoring."""

import subprocess
import sys

import pytest
import spacy
from spacy.training import Example

from framingclf.cues import cues
from framingclf.explanations import explain
from framingclf.labels import LABELS
from framingclf.spacy_component import FramingComponent

from .conftest import TINY


def assert_top_cues(model, text, words, n=5):
    """`words` are the `n` word features of highest contrast in `explain` (ties in any
    order)."""
    terms = explain(model, text).terms
    terms = terms[(terms["kind"] == "words") & (terms["contrast"] > 0)]
    contrast = dict(zip(terms["feature"], terms["contrast"]))
    best = sorted(contrast.values(), reverse=True)[:n]
    assert [contrast[w] for w in words] == pytest.approx(best)


@pytest.fixture()
def nlp(tiny_model_dir):
    nlp = spacy.blank("en")
    nlp.add_pipe("framingclf", config={"model": str(tiny_model_dir)})
    return nlp


def test_sets_cats_for_every_label_and_the_framing(nlp, tiny_model):
    text = "Smoking and poor diet drive much of the gap in heart disease."
    doc = nlp(text)
    assert set(doc.cats) == set(LABELS)
    assert sum(doc.cats.values()) == pytest.approx(1.0)
    framing = doc._.framing
    assert framing.label == max(doc.cats, key=doc.cats.get) == tiny_model.predict([text])[0]
    assert framing.confidence == pytest.approx(doc.cats[framing.label])
    assert_top_cues(tiny_model, text, framing.cues)


def test_pipe_gives_what_one_doc_at_a_time_gives(nlp):
    texts = [t for t, _ in TINY]
    piped = [doc.cats for doc in nlp.pipe(texts, batch_size=4)]
    single = [nlp(t).cats for t in texts]
    for a, b in zip(piped, single):
        assert a == pytest.approx(b)


def test_to_disk_and_spacy_load_keep_the_model(nlp, tmp_path):
    text = "Damp, overcrowded housing and low income make children ill."
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded(text).cats == pytest.approx(nlp(text).cats)
    assert loaded.get_pipe("framingclf").model.fingerprint() == \
        nlp.get_pipe("framingclf").model.fingerprint()


def test_to_disk_with_a_model_object(tiny_model, tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("framingclf")
    nlp.replace_pipe("framingclf", "framingclf")  # fresh, then hand it a model object
    nlp.get_pipe("framingclf")._model = tiny_model
    nlp.get_pipe("framingclf")._source = tiny_model
    nlp.to_disk(tmp_path / "p")
    assert spacy.load(tmp_path / "p").get_pipe("framingclf").model.fingerprint() == \
        tiny_model.fingerprint()


def test_textcat_scoring_with_spacy(nlp):
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": {k: float(k == y) for k in LABELS}})
                for t, y in TINY]
    scores = nlp.evaluate(examples)
    assert 0.0 <= scores["cats_score"] <= 1.0
    assert set(scores["cats_f_per_type"]) == set(LABELS)
    assert scores["cats_macro_f"] == pytest.approx(scores["cats_score"])


def test_batch_cues_match_explanations(tiny_model):
    texts = [t for t, _ in TINY] + [""]
    batch = cues(tiny_model, texts)
    assert batch[-1] == []
    for text, words in zip(texts[:-1], batch):
        assert_top_cues(tiny_model, text, words)


def test_component_is_a_plain_object_too(tiny_model):
    component = FramingComponent(model=tiny_model, cues=0)
    doc = component(spacy.blank("en")("The Board noted the finance report."))
    assert doc._.framing.cues == []


def test_registered_through_the_entry_point_without_an_import(tiny_model_dir):
    code = ("import spacy; nlp = spacy.blank('en'); "
            f"nlp.add_pipe('framingclf', config={{'model': {str(tiny_model_dir)!r}}}); "
            "doc = nlp('Cuts to council funding widened the gap.'); "
            "print(doc._.framing.label)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in LABELS
