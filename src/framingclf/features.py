"""Character n-grams inside normalised tokens, computed once per distinct token.

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

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer
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


class TokenCharVectorizer(TransformerMixin, BaseEstimator):
    """TF-IDF of character n-grams within the space-separated tokens of each document.

    Parameters mirror `TfidfVectorizer`: `ngram_range` of n-gram lengths, `min_df`
    (documents an n-gram must occur in, as a count or a fraction), `sublinear_tf`.
    """

    def __init__(self, ngram_range: tuple[int, int] = (3, 5), min_df: int | float = 2,
                 sublinear_tf: bool = True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def fit(self, X: Iterable[str], y: object = None) -> TokenCharVectorizer:
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Iterable[str], y: object = None) -> sp.csr_matrix:
        docs = list(X)
        min_n, max_n = self.ngram_range
        df: Counter[str] = Counter()
        for doc in docs:
            grams = set()
            for token in set(doc.split()):
                grams.update(token_ngrams(token, min_n, max_n))
            df.update(grams)
        threshold = self.min_df if isinstance(self.min_df, int) else self.min_df * len(docs)
        kept = sorted(g for g, count in df.items() if count >= threshold)
        self.vocabulary_ = {g: i for i, g in enumerate(kept)}
        counts = self._counts(docs)
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        return self.tfidf_.fit_transform(counts)

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        check_is_fitted(self, "vocabulary_")
        return self.tfidf_.transform(self._counts(list(X)))

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

    def _counts(self, docs: list[str]) -> sp.csr_matrix:
        empty = np.empty(0, dtype=np.int64)
        rows, lengths = [], []
        lookup = self._token_indices
        for doc in docs:
            parts = [lookup(token) for token in doc.split()]
            row = np.concatenate(parts) if parts else empty
            rows.append(row)
            lengths.append(len(row))
        indices = np.concatenate(rows) if rows else empty
        indptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        data = np.ones(len(indices), dtype=np.float64)
        matrix = sp.csr_matrix((data, indices, indptr), shape=(len(docs), len(self.vocabulary_)))
        matrix.sum_duplicates()
        return matrix

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
