import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framingclf import score_texts
from framingclf.explanations import (
    add_cues,
    explain,
    is_cue_word,
    similar_passages,
    stop_words,
)

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


def test_word_weights_add_up_to_the_features_contrast(tiny_model):
    e = explain(tiny_model, PASSAGE)
    assert e.words["contrast"].sum() == pytest.approx(e.terms["contrast"].sum())
    assert set(e.terms["kind"]) == {"words", "chars"}  # character n-grams are attributed too
    for row in e.words.itertuples():
        assert e.text[row.start:row.end] == row.word


def test_cues_are_surface_words_never_stop_words_or_lemmas(tiny_model):
    text = "Outcomes are worse for children in damp, overcrowded housing."
    e = explain(tiny_model, text)
    forms = e.words.set_index("word")["norm"]
    assert forms["worse"] == "wrong" and forms["children"] == "child"  # lemmas inside
    cues = e.cues(20) + e.cues(20, toward=False)
    assert cues and all(cue in text for cue in cues)
    assert "child" not in cues and "wrong" not in cues
    assert not {cue.lower() for cue in cues} & stop_words()


def test_cues_follow_the_text_as_given(tiny_model):
    text = "Damp\u00ad homes and the families\u2019 low income make children ill."
    e = explain(tiny_model, text)
    assert e.text == text
    assert all(cue in text for cue in e.cues(10))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(
    "the poorest homes are worse and it was not their choices income of a cuts by smoking "
    "to GP waiting damp children being 12% £5m Universal Credit".split()), min_size=1,
    max_size=25))
def test_no_cue_is_a_stop_word_or_absent_from_its_passage(tiny_model, words):
    text = " ".join(words)
    e = explain(tiny_model, text)
    for cue in e.cues(50) + e.cues(50, toward=False):
        assert cue in text and is_cue_word(cue) and cue.lower() not in stop_words()


def test_html_highlights_cue_words(tiny_model):
    e = explain(tiny_model, PASSAGE)
    page = e._repr_html_()
    assert "<mark" in page and e.label in page and "overcrowded</mark>" in page
    assert ">and</mark>" not in page  # stop words are never highlighted


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
    assert table.loc[0, "cues"] == explain(tiny_model, PASSAGE).cues(5)
    assert table.loc[1, "cues"] == []
    assert bool(table.loc[0, "review"]) == bool(table.loc[0, "confidence"] < 0.99)
    assert not table.loc[1, "review"]
    assert not score_texts([PASSAGE], tiny_model, review_below=None)["review"].any()


def test_add_cues_for_the_report(tiny_model):
    passages = pd.DataFrame({"text": [PASSAGE, "Table 3 | 12 | 14", TINY[9][0]],
                             "label": ["social-determinants", None, "structural-politics"],
                             "kind": ["prose", "table", "prose"],
                             "review": [False, False, True]})
    table = add_cues(passages, tiny_model)
    assert table["cues"][0] == explain(tiny_model, PASSAGE).cues(5)
    assert table["cues"][1] == [] and table["cues"][2]
    only_review = add_cues(passages, tiny_model, where=passages["review"])
    assert only_review["cues"][0] == [] and only_review["cues"][2] == table["cues"][2]
    assert "cues" not in passages.columns  # the input is left as it was
