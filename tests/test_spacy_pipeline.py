import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from framingclf.errors import InvalidInputError
from framingclf.spacy_pipeline import SpacyPreprocessor, build_nlp, clean_text


@pytest.fixture(scope="module")
def pre():
    return SpacyPreprocessor()


def test_components_are_registered_and_versioned():
    for name in ("framingclf_numbers_v1", "framingclf_terms_v1", "framingclf_negation_v1"):
        assert Language.has_factory(name)
    assert build_nlp(negation=True).pipe_names == [
        "framingclf_lookup_lemmatizer_v1", "framingclf_terms_v1", "framingclf_numbers_v1",
        "framingclf_negation_v1"]


def test_numbers_become_placeholders(pre):
    (out,) = pre.transform(["The £500k grant rose 12.5% in 2019/20 to 1,234 places, 8 per cent"])
    assert out == ["the", "__money__", "grant", "rise", "__pct__", "in", "__year__",
                           "to", "__num__", "place", "__pct__"]


def test_terms_are_merged(pre):
    (out,) = pre.transform(["Universal Credit, the cost-of-living crisis and Core20PLUS5."])
    assert out == ["universal_credit", "the", "cost_of_living_crisis", "and",
                           "core20plus5"]


def test_negation_marks_scope_until_clause_end(pre):
    negating = SpacyPreprocessor(negation=True)
    (out,) = negating.transform(["This is not a lifestyle choice, it is poverty."])
    assert out == ["this", "be", "not", "not_a", "not_lifestyle", "not_choice", "it",
                           "be", "poverty"]


def test_components_can_be_switched_off():
    plain = SpacyPreprocessor(numbers=False, terms=False)
    (out,) = plain.transform(["Not 12% of universal credit claimants"])
    assert out == ["not", "12", "of", "universal", "credit", "claimant"]


def test_clean_text_normalises_quotes_ligatures_soft_hyphens():
    assert clean_text("don\u2019t \ufb01nd hy\u00adphen \u2013 x") == "don't find hyphen - x"


def test_bare_string_is_refused(pre):
    with pytest.raises(InvalidInputError, match="got a single str; wrap it in a list"):
        pre.transform("a passage")


def test_non_string_item_is_named(pre):
    with pytest.raises(InvalidInputError, match=r"texts\[1\]: expected str, got NoneType"):
        pre.transform(["fine", None])


def test_preprocessor_pickles_without_its_pipeline(pre):
    import pickle

    pre.transform(["warm up"])
    clone = pickle.loads(pickle.dumps(pre))
    assert "_nlp" not in clone.__dict__
    assert clone.transform(["Smoking rates fell"]) == pre.transform(["Smoking rates fell"])


def test_unknown_spacy_pipeline_gives_clear_error():
    from framingclf.errors import FramingError

    with pytest.raises(FramingError, match="not installed; use pipeline='blank'"):
        build_nlp("xx_no_such_pipeline")


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200) | st.sampled_from(['£5m and 12% of universal credit in 2019/20',
                                                 "the ccg's 1,234 places"]))
def test_fast_tokens_equal_spans(pre, text):
    from framingclf.spacy_pipeline import clean_text, doc_to_spans, doc_to_tokens

    doc = pre.nlp(clean_text(text).lower())
    assert doc_to_tokens(doc) == [norm for norm, _, _ in doc_to_spans(doc)]


@pytest.fixture(scope="module")
def lemmatizers():
    import spacy

    theirs = spacy.blank("en")
    theirs.add_pipe("lemmatizer", config={"mode": "lookup"})
    theirs.initialize()
    ours = spacy.blank("en")
    ours.add_pipe("framingclf_lookup_lemmatizer_v1")
    return ours, theirs


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120) | st.sampled_from([
    "children were running to the wider determinants; housing is worse",
    "the ccg's budgets went down and people didn't smoke",
]))
def test_lookup_lemmatizer_equals_spacys(lemmatizers, text):
    ours, theirs = lemmatizers
    text = text.lower()
    assert [t.lemma_ for t in ours(text)] == [t.lemma_ for t in theirs(text)]
