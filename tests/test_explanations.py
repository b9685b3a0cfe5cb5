import numpy as np
import pandas as pd
import pytest

from framingclf import score_texts
from framingclf.explanations import explain, similar_passages

from .conftest import TINY

PASSAGE = "Damp, overcrowded housing and low income make children ill; not their choices."


def test_contributions_sum_to_the_decision_values(tiny_model):
    e = explain(tiny_model, PASSAGE)
    decision = tiny_model.decision_function([PASSAGE])[0]
    for c, cls in enumerate(tiny_model.classes_):
        assert e.terms[cls].sum() + e.intercept[cls] == pytest.approx(decision[c])
        assert e.decision[cls] == pytest.approx(decision[c])
    proba = tiny_model.predict_proba([PASSAGE])[0]
    assert [e.proba[c] for c in tiny_model.classes_] == pytest.approx(proba)
    assert e.label == tiny_model.predict([PASSAGE])[0]


def test_contrast_is_label_minus_runner_up(tiny_model):
    e = explain(tiny_model, PASSAGE)
    np.testing.assert_allclose(e.terms["contrast"], e.terms[e.label] - e.terms[e.runner_up])
    top = e.top(3)
    assert (top["contrast"].head(1) > 0).all()
    assert e.cues(2) == top[top["kind"] == "words"]["feature"].head(2).tolist()


def test_html_highlights_cue_words(tiny_model):
    e = explain(tiny_model, PASSAGE)
    page = e._repr_html_()
    assert "<mark" in page and e.label in page and "overcrowded" in page


def test_similar_passages_finds_the_same_text_first(tiny_model):
    corpus = pd.DataFrame({"text": [t for t, _ in TINY], "label": [y for _, y in TINY]})
    found = similar_passages(tiny_model, TINY[6][0], corpus, n=3)
    assert len(found) == 3
    assert found.loc[0, "text"] == TINY[6][0]
    assert found.loc[0, "similarity"] == pytest.approx(1.0)
    assert found["similarity"].is_monotonic_decreasing


def test_score_texts_explain_and_review(tiny_model):
    table = score_texts([PASSAGE, ""], tiny_model, explain=True, review_below=0.99)
    assert isinstance(table.loc[0, "cues"], list) and table.loc[0, "cues"]
    assert table.loc[1, "cues"] == []
    assert bool(table.loc[0, "review"]) == bool(table.loc[0, "confidence"] < 0.99)
    assert not table.loc[1, "review"]
    assert not score_texts([PASSAGE], tiny_model, review_below=None)["review"].any()
