import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from framingclf import FramingClassifier
from framingclf.errors import InvalidInputError, UnknownLabelError


def test_predict_and_proba(tiny_model, tiny_corpus):
    texts, labels, _ = tiny_corpus
    proba = tiny_model.predict_proba(texts)
    assert proba.shape == (len(texts), 5)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(tiny_model.classes_) == sorted(set(labels))
    # the model fits its own training data
    assert (tiny_model.predict(texts) == np.asarray(labels)).mean() >= 0.9


def test_predict_is_argmax_of_decision_and_proba(tiny_model):
    texts = ["Cuts to benefits cause poverty", "Waiting times for GP appointments"]
    decision = tiny_model.decision_function(texts)
    proba = tiny_model.predict_proba(texts)
    assert (decision.argmax(1) == proba.argmax(1)).all()
    assert (tiny_model.classes_[proba.argmax(1)] == tiny_model.predict(texts)).all()


@pytest.mark.parametrize("chars", [(3, 5), None])
@pytest.mark.parametrize("binary", [False, True])
def test_block_scores_equal_the_pipelines(tiny_corpus, chars, binary):
    """Scoring feature block by feature block gives the stacked pipeline's numbers."""
    texts, labels, _ = tiny_corpus
    if binary:
        labels = ["none" if y == "none" else "lifestyle" for y in labels]
    model = FramingClassifier(min_df=1, char_ngram_range=chars, calibration=None)
    model.fit(texts, labels)
    tokens = model.preprocess([*texts, "An unseen passage about housing and cuts"])
    stacked = model.pipeline_[1:].decision_function(tokens)
    if stacked.ndim == 1:
        stacked = np.column_stack([np.zeros_like(stacked), stacked])
    np.testing.assert_allclose(model._scores(tokens), stacked, rtol=1e-10, atol=1e-10)


def test_clone_and_params_roundtrip():
    model = FramingClassifier(C=3.0, negation=False)
    params = model.get_params()
    assert params["C"] == 3.0 and params["negation"] is False
    copy = clone(model)
    assert copy.get_params() == params
    copy.set_params(C=1.0, ngram_range=(1, 1))
    assert copy.C == 1.0 and model.C == 3.0


def test_declares_string_input():
    tags = FramingClassifier().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_inside_a_pipeline(tiny_corpus):
    texts, labels, _ = tiny_corpus
    pipe = Pipeline([("strip", FunctionTransformer(lambda xs: [x.strip() for x in xs])),
                     ("framing", FramingClassifier(min_df=1, calibration=None))])
    pipe.fit(texts, labels)
    assert pipe.predict(texts[:2]).shape == (2,)


def test_grid_search_and_cross_val_score(tiny_corpus):
    texts, labels, _ = tiny_corpus
    cv = KFold(3, shuffle=True, random_state=0)
    grid = GridSearchCV(FramingClassifier(min_df=1, calibration=None),
                        {"C": [1.0, 10.0]}, cv=cv, scoring="accuracy")
    grid.fit(texts, labels)
    assert grid.best_params_["C"] in (1.0, 10.0)
    scores = cross_val_score(FramingClassifier(min_df=1, calibration=None), texts, labels, cv=cv)
    assert scores.shape == (3,)


def test_same_seed_same_model(tiny_corpus):
    texts, labels, groups = tiny_corpus
    a = FramingClassifier(min_df=1, random_state=7).fit(texts, labels, groups=groups)
    b = FramingClassifier(min_df=1, random_state=7).fit(texts, labels, groups=groups)
    assert a.fingerprint() == b.fingerprint()
    c = FramingClassifier(min_df=1, C=1.0, random_state=7).fit(texts, labels, groups=groups)
    assert c.fingerprint() != a.fingerprint()


def test_temperature_is_positive_and_used(tiny_model, tiny_corpus):
    from scipy.special import softmax

    texts, labels, groups = tiny_corpus
    assert tiny_model.temperature_ > 0 and tiny_model.temperature_ != 1.0
    long = [t for t in texts if len(t.split()) >= 12]
    expected = softmax(tiny_model.decision_function(long) / tiny_model.temperature_, axis=1)
    np.testing.assert_allclose(tiny_model.predict_proba(long), expected)
    raw = FramingClassifier(min_df=1, calibration=None).fit(texts, labels, groups=groups)
    assert raw.temperature_ == 1.0


def test_short_passages_are_shrunk_towards_the_prior(tiny_model):
    long, short = tiny_model.predict_proba(["Damp, overcrowded housing and low income make "
                                            "children ill across the borough.",
                                            "Housing."])
    assert short.max() < long.max()
    np.testing.assert_allclose(short.sum(), 1.0)
    prior = tiny_model.prior_
    assert np.abs(short - prior).max() < np.abs(long - prior).max()
    assert tiny_model.predict(["Housing."])[0] == tiny_model.classes_[short.argmax()]
    off = FramingClassifier(min_df=1, calibration_cv=3, short_words=None)
    assert off.get_params()["short_words"] is None


def test_fingerprint_ignores_float_noise_but_not_a_change(tiny_model):
    import copy

    model = copy.deepcopy(tiny_model)
    weights = model.pipeline_.named_steps["model"].coef_
    weights += 1e-12
    assert model.fingerprint() == tiny_model.fingerprint()
    weights += 1e-3
    assert model.fingerprint() != tiny_model.fingerprint()


def test_fit_errors_say_what_to_do(tiny_corpus):
    texts, labels, _ = tiny_corpus
    with pytest.raises(InvalidInputError, match="got a single str"):
        FramingClassifier().fit("one passage", ["none"])
    with pytest.raises(UnknownLabelError, match=r"y\[1\]: unknown label 'policy'"):
        FramingClassifier().fit(texts[:3], ["none", "policy", "none"])
    with pytest.raises(InvalidInputError, match="X has 3 passages but y has 2 labels"):
        FramingClassifier().fit(texts[:3], labels[:2])
    with pytest.raises(InvalidInputError, match="one label only"):
        FramingClassifier().fit(texts[:3], ["none"] * 3)


def test_unfitted_model_raises_sklearn_not_fitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        FramingClassifier().predict(["text"])
