"""`PassageTagger`: the audit's passage model, one probability per codebook tag.

For each tag, a logistic regression (its weights kept in ``coef_`` and ``intercept_``,
one row per tag) over two kinds of features: TF-IDF of word n-grams
of the passage's normalised tokens (framingclf's spaCy preprocessing and token
vectorizer) and the counts of the audit's transparent patterns
(`framingclf.auditing.patterns.PatternFeatures`). It is trained on the audit corpus'
``train`` passages (corpora/scripts/train_audit.py) and shipped in
``models/framingclf-audit-v1``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from framingclf.auditing.patterns import PatternFeatures, passage_columns
from framingclf.errors import InvalidInputError
from framingclf.features import TokenNgramVectorizer
from framingclf.spacy_pipeline import SpacyPreprocessor

_CERTAIN = 30.0  # the intercept of a tag always (or never) seen in training


class PassageTagger(BaseEstimator):
    """Multi-label passage tagger: passages in, one probability per tag out.

    Parameters
    ----------
    text : use TF-IDF of word n-grams of the passage's tokens.
    patterns : use the counts of the audit's pattern lists.
    heading : add the words of the passage's heading to its text features.
    ngram_range, min_df : options of the word n-gram TF-IDF.
    pattern_weight : scale of the pattern features against the TF-IDF ones.
    C, class_weight : options of each tag's logistic regression.
    lists : pattern lists to use instead of the packaged ones (cue -> regexes).
    """

    def __init__(self, text: bool = True, patterns: bool = True, heading: bool = False,
                 ngram_range: tuple[int, int] = (1, 2), min_df: int | float = 2,
                 pattern_weight: float = 1.0, C: float = 1.0,
                 class_weight: str | None = None,
                 lists: Mapping[str, Sequence[str]] | None = None):
        self.text = text
        self.patterns = patterns
        self.heading = heading
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.pattern_weight = pattern_weight
        self.C = C
        self.class_weight = class_weight
        self.lists = lists

    def fit(self, X, Y: pd.DataFrame) -> PassageTagger:
        """Fit on passages `X` (a DataFrame with ``text`` and ``heading``, or a list of
        texts) and `Y`, a DataFrame with one 0/1 column per tag."""
        if not self.text and not self.patterns:
            raise InvalidInputError("PassageTagger needs text or pattern features (or both)")
        if not isinstance(Y, pd.DataFrame):
            raise InvalidInputError("Y: expected a DataFrame with one 0/1 column per tag")
        texts, _ = passage_columns(X)
        if len(texts) != len(Y):
            raise InvalidInputError(f"X has {len(texts)} passages but Y has {len(Y)} rows")
        self.tags_ = [str(tag) for tag in Y.columns]
        if self.text:
            low, high = self.ngram_range
            self.text_ = Pipeline([
                ("spacy", SpacyPreprocessor()),
                ("tfidf", TokenNgramVectorizer(ngram_range=(low, high),
                                               min_df=self.min_df)),
            ]).fit(self._texts(X))
        if self.patterns:
            self.patterns_ = PatternFeatures(self.lists).fit(X)
        features = self._features(X)
        weights = [self._fit_one(features, Y[tag].to_numpy().astype(int)) for tag in self.tags_]
        self.coef_ = np.vstack([w for w, _ in weights])
        self.intercept_ = np.array([b for _, b in weights])
        return self

    def _fit_one(self, features: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, float]:
        """One tag's logistic regression: its weights and intercept."""
        if len(np.unique(y)) < 2:  # a tag never (or always) seen: that, whatever the text
            return np.zeros(features.shape[1]), _CERTAIN if y.any() else -_CERTAIN
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000)
        model.fit(features, y)
        return model.coef_[0], float(model.intercept_[0])

    def _texts(self, X) -> list[str]:
        texts, headings = passage_columns(X)
        if not self.heading:
            return texts
        return [f"{h}. {t}" if h else t for t, h in zip(texts, headings)]

    def _features(self, X) -> sp.csr_matrix:
        parts = []
        if self.text:
            parts.append(self.text_.transform(self._texts(X)))
        if self.patterns:
            parts.append(self.patterns_.transform(X) * self.pattern_weight)
        return sp.hstack(parts, format="csr")

    def predict_proba(self, X) -> np.ndarray:
        """The probability of each tag (columns in `tags_` order) for each passage: the
        logistic function of each tag's weighted features."""
        check_is_fitted(self, "coef_")
        texts, _ = passage_columns(X)
        if not texts:
            return np.zeros((0, len(self.tags_)))
        scores = self._features(X) @ self.coef_.T + self.intercept_
        return expit(np.asarray(scores))

    def predict(self, X, threshold: float = 0.5) -> pd.DataFrame:
        """The tags (True/False, one column per tag) at probability `threshold`."""
        return pd.DataFrame(self.predict_proba(X) >= threshold, columns=self.tags_)
