"""Baselines a user might pick instead of framingclf, with the estimator interface that
`framingclf.evaluate.grouped_cross_validation` needs (fit / predict_proba / classes_).

- `plain_tfidf_lr()`: scikit-learn only, no spaCy: TF-IDF(1,2) + logistic regression.
- `SpacyTextcatBow`: spaCy's own `textcat` with the bag-of-words architecture
  (TextCatBOW.v3, unigrams and bigrams), trained on the same passages.
"""

from __future__ import annotations

import random

import numpy as np
import spacy
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from spacy.training import Example
from spacy.util import minibatch


def plain_tfidf_lr(C: float = 10.0):
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(C=C, max_iter=5000, class_weight="balanced"),
    )


class SpacyTextcatBow(ClassifierMixin, BaseEstimator):
    """spaCy textcat (bag of words, exclusive classes) as a scikit-learn classifier."""

    def __init__(self, epochs: int = 12, ngram_size: int = 2, batch_size: int = 32,
                 dropout: float = 0.2, random_state: int = 0):
        self.epochs = epochs
        self.ngram_size = ngram_size
        self.batch_size = batch_size
        self.dropout = dropout
        self.random_state = random_state

    def fit(self, X, y):
        spacy.util.fix_random_seed(self.random_state)
        self.classes_ = np.unique(np.asarray(y, dtype=object))
        nlp = spacy.blank("en")
        textcat = nlp.add_pipe("textcat", config={"model": {
            "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
            "ngram_size": self.ngram_size, "no_output_layer": False, "length": 262144}})
        for label in self.classes_:
            textcat.add_label(label)
        examples = [Example.from_dict(nlp.make_doc(text.lower()),
                                      {"cats": {c: float(c == label) for c in self.classes_}})
                    for text, label in zip(X, y)]
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(self.random_state)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=self.batch_size):
                nlp.update(batch, sgd=optimizer, drop=self.dropout)
        self.nlp_ = nlp
        return self

    def predict_proba(self, X):
        docs = self.nlp_.pipe([text.lower() for text in X])
        return np.array([[doc.cats[c] for c in self.classes_] for doc in docs])

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
