import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from framingclf.features import TokenCharVectorizer, token_ngrams

DOCS = ["poverty harm health", "deprived area deprivation", "a universal_credit cut",
        "health poverty politics", "x"]


def test_token_ngrams_match_char_wb():
    assert token_ngrams("ab", 3, 4) == [" ab", "ab ", " ab "]
    assert token_ngrams("x", 3, 5) == [" x "]


def _same_as_sklearn(docs, min_df):
    ours = TokenCharVectorizer(ngram_range=(2, 4), min_df=min_df).fit(docs)
    theirs = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=min_df,
                             sublinear_tf=True, lowercase=False).fit(docs)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    np.testing.assert_allclose(ours.transform(docs).toarray(), theirs.transform(docs).toarray())


def test_same_features_and_weights_as_sklearn_char_wb():
    _same_as_sklearn(DOCS, 1)
    _same_as_sklearn(DOCS, 2)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="abcde_", min_size=1, max_size=6), min_size=1,
                         max_size=6).map(" ".join), min_size=2, max_size=6))
def test_same_as_sklearn_on_any_tokens(docs):
    _same_as_sklearn(docs, 1)


def test_unknown_tokens_and_empty_documents():
    vectorizer = TokenCharVectorizer(min_df=1).fit(DOCS)
    matrix = vectorizer.transform(["", "zzzz qqq"])
    assert matrix.shape == (2, len(vectorizer.vocabulary_)) and matrix.nnz == 0


def test_cache_is_not_pickled():
    vectorizer = TokenCharVectorizer(min_df=1).fit(DOCS)
    vectorizer.transform(DOCS)
    assert vectorizer.__dict__.get("_cache")
    restored = pickle.loads(pickle.dumps(vectorizer))
    assert "_cache" not in restored.__dict__
    np.testing.assert_allclose(restored.transform(DOCS).toarray(),
                               vectorizer.transform(DOCS).toarray())


def _same_words_as_sklearn(docs, ngram_range, min_df, max_df=1.0):
    from framingclf.features import TokenNgramVectorizer

    ours = TokenNgramVectorizer(ngram_range=ngram_range, min_df=min_df, max_df=max_df).fit(docs)
    theirs = TfidfVectorizer(token_pattern=r"(?u)\S+", lowercase=False, ngram_range=ngram_range,
                             min_df=min_df, max_df=max_df, sublinear_tf=True).fit(docs)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    for batch in (docs, docs[::-1], ["unseen words here", ""]):
        np.testing.assert_allclose(ours.transform(batch).toarray(),
                                   theirs.transform(batch).toarray())


def test_word_ngrams_equal_sklearn():
    for ngram_range in [(1, 1), (1, 2), (2, 2)]:
        _same_words_as_sklearn(DOCS + DOCS[:2], ngram_range, 1)
        _same_words_as_sklearn(DOCS + DOCS[:2], ngram_range, 2, max_df=0.9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "c", "d", "__num__", "x_y"]),
                         min_size=1, max_size=8).map(" ".join), min_size=2, max_size=6))
def test_word_ngrams_equal_sklearn_on_any_tokens(docs):
    _same_words_as_sklearn(docs, (1, 2), 1)


def test_a_documents_row_does_not_depend_on_its_batch():
    """Same row, same order of indices, alone or among others: the model's sums then run
    in the same order, so a resumed batch scores a document to the last bit as a fresh one."""
    vectorizer = TokenCharVectorizer(min_df=1).fit(DOCS)
    together = vectorizer.transform(list(reversed(DOCS)))[::-1]
    for i, doc in enumerate(DOCS):
        alone = vectorizer.transform([doc])
        assert np.array_equal(alone.indices, together[i].indices)
        assert np.array_equal(alone.data, together[i].data)
