"""Vectorizers over the normalised tokens, with per-token caches.

`TokenNgramVectorizer` gives the word n-gram TF-IDF of scikit-learn's `TfidfVectorizer`
over space-separated tokens (same vocabulary and weights), looking each distinct token
and pair up once instead of rebuilding every n-gram string on every call.

Character n-grams inside normalised tokens, computed once per distinct token.

Character n-grams let a model link "deprivation" with "deprived" and "politically" with
"political", and shrug off typos and broken hyphenation; on real text they were the
largest single gain measured (benchmarks/results/compare_models.json). scikit-learn's
``analyzer="char_wb"`` regenerates and looks up every n-gram of every word of every
passage in Python. `TokenCharVectorizer` gives the same kind of features (n-grams of
each space-padded token) but maps each distinct token to its feature indices once and
reuses them, so transforming costs about one dictionary lookup per token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted


def token_ngrams(token: str, min_n: int, max_n: int) -> list[str]:
    """The character n-grams of " token ", as scikit-learn's char_wb makes them."""
    padded = f" {token} "
    grams = []
    for n in range(min_n, max_n + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def _tokens(doc: str | list[str]) -> list[str]:
    """A document's tokens: a list as it is, a string split at white space."""
    return doc.split() if isinstance(doc, str) else doc


def _document_frequency_vocabulary(docs_grams, n_docs: int, min_df, max_df) -> dict[str, int]:
    """Sorted vocabulary of the grams within the document-frequency bounds."""
    df: Counter[str] = Counter()
    for grams in docs_grams:
        df.update(set(grams))
    low = min_df if isinstance(min_df, int) else min_df * n_docs
    high = max_df if isinstance(max_df, int) else max_df * n_docs
    kept = sorted(g for g, count in df.items() if low <= count <= high)
    return {g: i for i, g in enumerate(kept)}


def _csr(rows: list[np.ndarray], n_features: int) -> sp.csr_matrix:
    """Count matrix from each document's feature indices (repeats add up)."""
    empty = np.empty(0, dtype=np.int64)
    indices = np.concatenate(rows) if rows else empty
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    matrix = sp.csr_matrix((np.ones(len(indices)), indices, indptr),
                           shape=(len(rows), n_features))
    matrix.sum_duplicates()
    return matrix


class _TokenTfidf(TransformerMixin, BaseEstimator):
    """What the token vectorizers share: fit via fit_transform, TF-IDF weighting of
    counts from `_counts`, feature names, and a cache that is never pickled."""

    def fit(self, X: Iterable[str | list[str]], y: object = None):
        self.fit_transform(X)
        return self

    def transform(self, X: Iterable[str | list[str]]) -> sp.csr_matrix:
        check_is_fitted(self, "vocabulary_")
        return self._tfidf(self._counts([_tokens(doc) for doc in X]))

    def _tfidf(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """`TfidfTransformer.transform` of the fitted weights, in place on `counts` (a
        matrix this vectorizer made, so there is nothing to copy): the same numbers
        without the copy and the product with a diagonal matrix that took most of it."""
        tfidf = self.tfidf_
        counts = counts.astype(np.float64, copy=False)
        if tfidf.sublinear_tf:
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
        if tfidf.use_idf:
            counts.data *= tfidf.idf_[counts.indices]
        if tfidf.norm is not None:
            normalize(counts, norm=tfidf.norm, copy=False)
        return counts

    def _weight(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        return self.tfidf_.fit_transform(counts)

    @property
    def idf_(self) -> np.ndarray:
        return self.tfidf_.idf_

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "vocabulary_")
        names = np.empty(len(self.vocabulary_), dtype=object)
        for gram, i in self.vocabulary_.items():
            names[i] = gram
        return names

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_cache", None)
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class TokenNgramVectorizer(_TokenTfidf):
    """TF-IDF of word n-grams (n = 1 or 2) over space-separated tokens.

    Equal to ``TfidfVectorizer(token_pattern=r"\\S+", lowercase=False, ...)`` with the same
    `ngram_range`, `min_df`, `max_df` and `sublinear_tf`, but caches the feature index of
    each distinct token and token pair.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), min_df: int | float = 2,
                 max_df: int | float = 1.0, sublinear_tf: bool = True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.sublinear_tf = sublinear_tf

    def _grams(self, tokens: list[str]) -> list[str]:
        low, high = self.ngram_range
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), high + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def fit_transform(self, X: Iterable[str | list[str]], y: object = None) -> sp.csr_matrix:
        low, high = self.ngram_range
        if high > 2 or low < 1:
            raise ValueError(f"ngram_range {self.ngram_range}: supported are (1, 1), (1, 2) "
                             "and (2, 2)")
        docs = [_tokens(doc) for doc in X]
        self.vocabulary_ = _document_frequency_vocabulary(
            (self._grams(tokens) for tokens in docs), len(docs), self.min_df, self.max_df)
        return self._weight(self._counts(docs))

    def _counts(self, docs: list[list[str]]) -> sp.csr_matrix:
        cache = self.__dict__.setdefault("_cache", {})
        low, high = self.ngram_range
        rows = []
        for tokens in docs:
            found = self._indices(tokens, cache) if low == 1 else []
            if high == 2:
                found += self._indices(pairwise(tokens), cache)
            rows.append(np.array([i for i in found if i >= 0], dtype=np.int64))
        return _csr(rows, len(self.vocabulary_))

    def _indices(self, grams, cache: dict) -> list[int]:
        """The vocabulary index of each token or token pair (-1 if absent), cached."""
        vocabulary, out = self.vocabulary_, []
        for gram in grams:
            index = cache.get(gram)
            if index is None:
                index = vocabulary.get(gram if isinstance(gram, str) else " ".join(gram), -1)
                if len(cache) < 1_000_000:
                    cache[gram] = index
            out.append(index)
        return out


class TokenCharVectorizer(_TokenTfidf):
    """TF-IDF of character n-grams within the space-separated tokens of each document.

    Parameters mirror `TfidfVectorizer`: `ngram_range` of n-gram lengths, `min_df`
    (documents an n-gram must occur in, as a count or a fraction), `sublinear_tf`.
    """

    def __init__(self, ngram_range: tuple[int, int] = (3, 5), min_df: int | float = 2,
                 sublinear_tf: bool = True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def fit_transform(self, X: Iterable[str | list[str]], y: object = None) -> sp.csr_matrix:
        docs = [_tokens(doc) for doc in X]
        min_n, max_n = self.ngram_range
        self.vocabulary_ = _document_frequency_vocabulary(
            ([g for token in set(_tokens(doc)) for g in token_ngrams(token, min_n, max_n)]
             for doc in docs), len(docs), self.min_df, 1.0)
        return self._weight(self._counts(docs))

    def _token_indices(self, token: str) -> np.ndarray:
        cache = self.__dict__.setdefault("_cache", {})
        indices = cache.get(token)
        if indices is None:
            min_n, max_n = self.ngram_range
            vocabulary = self.vocabulary_
            indices = np.fromiter((vocabulary[g] for g in token_ngrams(token, min_n, max_n)
                                   if g in vocabulary), dtype=np.int64)
            if len(cache) < 500_000:
                cache[token] = indices
        return indices

    def _counts(self, docs: list[list[str]]) -> sp.csr_matrix:
        """Documents x tokens times tokens x n-grams: each distinct token's n-grams are
        looked up once per batch, and sparse multiplication adds them up per document.
        Indices are sorted, so a document's scores do not depend on its batch."""
        positions: dict[str, int] = {}
        rows = [np.fromiter((positions.setdefault(token, len(positions)) for token in doc),
                            dtype=np.int64, count=len(doc)) for doc in docs]
        token_counts = _csr(rows, len(positions))
        grams = _csr([self._token_indices(token) for token in positions],
                     len(self.vocabulary_))
        counts = (token_counts @ grams).tocsr()
        counts.sort_indices()  # the product's order follows the batch; scores must not
        return counts
