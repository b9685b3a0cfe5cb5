"""`FramingClassifier`: raw passages in, calibrated framing probabilities out.

One fitted object carries the whole path: spaCy preprocessing, TF-IDF features and a
multinomial logistic regression, as the steps of a scikit-learn `Pipeline`
(``pipeline_``). Probabilities are calibrated by temperature scaling fitted on
out-of-fold decision values (grouped by document when `groups` is given), which keeps
the predicted label and the linear model's weights unchanged, so explanations read the
very numbers that decide.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from framingclf.errors import InvalidInputError
from framingclf.features import TokenCharVectorizer, TokenNgramVectorizer
from framingclf.labels import check_label
from framingclf.spacy_pipeline import SpacyPreprocessor
from framingclf.validation import check_texts


class PassageModelMixin:
    """What framingclf's passage classifiers share: they take strings (scikit-learn's
    tags say so) and save to a model directory."""

    def save(self, path: str | Path, **info: Any) -> Path:
        """Save to directory `path` (see `framingclf.persistence.save_model`)."""
        from framingclf.persistence import save_model

        return save_model(self, path, **info)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class FramingClassifier(PassageModelMixin, ClassifierMixin, BaseEstimator):
    """Label passages by how they frame health inequalities.

    Parameters
    ----------
    pipeline : spaCy pipeline for preprocessing: ``"blank"`` (default, offline) or the
        name of an installed spaCy package.
    numbers, terms, negation : switch the framingclf spaCy components on or off.
    ngram_range, min_df, max_df, sublinear_tf : word n-gram TF-IDF options (n-grams of
        the normalised tokens, n up to 2; see `framingclf.features`).
    char_ngram_range : add character n-grams within the normalised tokens, of this range
        of lengths (see `framingclf.features`), or None for word n-grams only.
    C : inverse regularisation strength of the logistic regression.
    nb_weight : weight of a complement naive Bayes model on the word n-grams, pooled with
        the logistic regression in log-probability space (a product of the two experts).
        Both are linear in the features, so the pool is one linear model: the
        regression's weights plus `nb_weight` times naive Bayes' log-probabilities, which
        explanations and fingerprints read as before. 0 switches it off.
    nb_alpha : additive smoothing of the naive Bayes model.
    class_weight : passed to the logistic regression ("balanced" or None).
    calibration : "temperature" (default) or None for the raw softmax.
    calibration_cv : folds for the out-of-fold decision values used to calibrate.
    short_words : a passage of fewer normalised words than this has little evidence: its
        probabilities are shrunk towards the training prior in proportion (a one-word
        "Deprivation." is not 87% anything). None switches this off. The label is then
        the most probable class after shrinking; decision values (and explanations) are
        unchanged.
    random_state : seed for the calibration folds; training is otherwise deterministic.
    """

    def __init__(
        self,
        pipeline: str = "blank",
        numbers: bool = True,
        terms: bool = True,
        negation: bool = False,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | float = 2,
        max_df: int | float = 1.0,
        sublinear_tf: bool = True,
        char_ngram_range: tuple[int, int] | None = (3, 5),
        C: float = 3.0,
        nb_weight: float = 1.0,
        nb_alpha: float = 0.1,
        class_weight: str | None = "balanced",
        calibration: str | None = "temperature",
        calibration_cv: int = 5,
        short_words: int | None = 8,
        random_state: int | None = 0,
    ):
        self.pipeline = pipeline
        self.numbers = numbers
        self.terms = terms
        self.negation = negation
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.sublinear_tf = sublinear_tf
        self.char_ngram_range = char_ngram_range
        self.C = C
        self.nb_weight = nb_weight
        self.nb_alpha = nb_alpha
        self.class_weight = class_weight
        self.calibration = calibration
        self.calibration_cv = calibration_cv
        self.short_words = short_words
        self.random_state = random_state

    # -- building -------------------------------------------------------------------
    def _make_preprocessor(self) -> SpacyPreprocessor:
        return SpacyPreprocessor(
            pipeline=self.pipeline, numbers=self.numbers, terms=self.terms,
            negation=self.negation,
        )

    def _make_features(self) -> TokenNgramVectorizer | FeatureUnion:
        low, high = self.ngram_range
        words = TokenNgramVectorizer(ngram_range=(low, high), min_df=self.min_df,
                                     max_df=self.max_df, sublinear_tf=self.sublinear_tf)
        if self.char_ngram_range is None:
            return words
        char_low, char_high = self.char_ngram_range
        chars = TokenCharVectorizer(ngram_range=(char_low, char_high),
                                    min_df=self.min_df, sublinear_tf=self.sublinear_tf)
        return FeatureUnion([("words", words), ("chars", chars)])

    def _make_model(self) -> LogisticRegression:
        # newton-cg reaches the same optimum as lbfgs here in a tenth of the time
        # (5 Newton steps against ~75 quasi-Newton ones on the shipped corpus)
        return LogisticRegression(
            C=self.C, class_weight=self.class_weight, solver="newton-cg", max_iter=1000,
            random_state=self.random_state,
        )

    # -- fitting --------------------------------------------------------------------
    def fit(
        self, X: Iterable[str], y: Sequence[str], groups: Sequence[object] | None = None,
        calibration_groups: Sequence[object] | None = None,
    ) -> FramingClassifier:
        """Fit on passages `X` with labels `y`.

        The temperature is fitted on out-of-fold scores: folds keep each of `groups`
        (e.g. document ids) whole; with `calibration_groups` (e.g. registers: families of
        document types), each fold holds out one of those instead, so that confidence is
        calibrated for writing unlike anything trained on, which is what real documents
        are to a model trained on an authored corpus.
        """
        texts, labels = check_training_data(X, y)
        preprocessor = self._make_preprocessor()
        tokens = preprocessor.fit_transform(texts)
        folds = groups if calibration_groups is None else calibration_groups
        self.temperature_ = self._fit_temperature(tokens, labels, folds)
        head = self._fit_head(tokens, labels)
        self.pipeline_ = Pipeline([("preprocess", preprocessor), *head.steps])
        self.classes_ = head.named_steps["model"].classes_
        self.prior_ = np.array([np.mean(labels == c) for c in self.classes_])
        self.n_features_ = len(self.get_feature_names_out())
        return self

    def _fit_head(self, tokens: list[list[str]], labels: np.ndarray) -> Pipeline:
        """Features and the linear model on them (pooled with naive Bayes, if asked)."""
        features = self._make_features()
        X = features.fit_transform(tokens)
        model = self._make_model().fit(X, labels)
        if self.nb_weight:
            words = features.transformer_list[0][1] if isinstance(features, FeatureUnion) \
                else features
            n_words = len(words.vocabulary_)
            bayes = ComplementNB(alpha=self.nb_alpha).fit(X[:, :n_words], labels)
            log_prob = bayes.feature_log_prob_
            if model.coef_.shape[0] == 1:  # binary: one score, class 1 against class 0
                log_prob = log_prob[1:] - log_prob[:1]
            model.coef_[:, :n_words] += self.nb_weight * log_prob
        return Pipeline([("features", features), ("model", model)])

    def _fit_temperature(self, tokens, labels, groups) -> float:
        cv = calibration_folds(labels, groups, calibration=self.calibration,
                               n_folds=self.calibration_cv, random_state=self.random_state)
        if cv is None:
            return 1.0
        classes = np.unique(labels)
        # a fold that missed a class gives it the lowest score
        scores = np.full((len(tokens), len(classes)), -1e4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            for train, test in cv.split(tokens, labels, groups):
                head = self._fit_head([tokens[i] for i in train], labels[train])
                columns = np.searchsorted(classes, head.classes_)
                decision = _as_logits(head.decision_function([tokens[i] for i in test]))
                scores[np.ix_(test, columns)] = np.clip(decision, -1e4, 1e4)
        target = np.searchsorted(classes, labels)
        # how the model errs on documents it has not seen, for corrected label shares
        # (framingclf.quantify); rows true, columns predicted, in `classes_` order
        self.confusion_ = np.zeros((len(classes), len(classes)))
        np.add.at(self.confusion_, (target, scores.argmax(axis=1)), 1)
        return fit_temperature(scores, target)

    # -- predicting -----------------------------------------------------------------
    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Per-class scores of the linear model (before calibration), shape (n, k)."""
        check_is_fitted(self, "pipeline_")
        tokens = self.pipeline_.named_steps["preprocess"].transform(check_texts(X, "X"))
        return self._scores(tokens)

    def _scores(self, tokens: list[list[str]]) -> np.ndarray:
        """The linear model's scores of preprocessed passages, as logits.

        The same numbers as the pipeline's ``decision_function``, computed one feature
        block at a time (X_words @ W_words + X_chars @ W_chars + b): stacking the blocks
        into one sparse matrix, and validating it, took a third of the scoring time.
        """
        model = self.pipeline_.named_steps["model"]
        coef = model.coef_
        scores = np.tile(model.intercept_, (len(tokens), 1))
        offset = 0
        for _, vectorizer in _vectorizers(self.pipeline_.named_steps["features"]):
            block = vectorizer.transform(tokens)
            width = block.shape[1]
            scores += np.asarray(block @ coef[:, offset:offset + width].T)
            offset += width
        return _as_logits(scores[:, 0] if coef.shape[0] == 1 else scores)

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Calibrated probability of each class in `classes_`, shape (n, k): the softmax
        of the decision values over the temperature, shrunk towards the training prior
        for passages shorter than `short_words`."""
        check_is_fitted(self, "pipeline_")
        tokens = self.pipeline_.named_steps["preprocess"].transform(check_texts(X, "X"))
        scores = self._scores(tokens)
        proba = softmax(scores / self.temperature_, axis=1)
        prior = getattr(self, "prior_", np.full(len(self.classes_), 1 / len(self.classes_)))
        return shrink_towards_prior(proba, [len(t) for t in tokens], self.short_words, prior)

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The most probable class of each passage (after any shrinking of short ones)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    # -- inspecting -----------------------------------------------------------------
    def preprocess(self, X: Iterable[str]) -> list[list[str]]:
        """The normalised tokens the features are computed from, one list per passage."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.named_steps["preprocess"].transform(X)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The names of the model's features (word n-grams, then character n-grams)."""
        check_is_fitted(self, "pipeline_")
        return self.pipeline_.named_steps["features"].get_feature_names_out()

    def fingerprint(self) -> str:
        """SHA-256 over what the model computes: its vocabulary, classes and settings
        that change a score, and its fitted numbers (idf, weights, temperature, prior)
        to 6 decimals.

        Equal fingerprints mean the same model, whatever the file's bytes; retraining on
        the same data and configuration gives the same fingerprint, though floating-point
        arithmetic differs in its last digits between machines.
        """
        check_is_fitted(self, "pipeline_")
        model = self.pipeline_.named_steps["model"]
        arrays = [model.coef_, model.intercept_, np.asarray([self.temperature_]),
                  getattr(self, "prior_", np.zeros(0))]
        arrays += [v.idf_ for _, v in _vectorizers(self.pipeline_.named_steps["features"])]
        return rounded_digest(["\n".join(self.get_feature_names_out()),
                               "\n".join(self.classes_), repr((self.short_words,))], arrays)

    def explain(self, text: str):
        """Why `text` got its label: see `framingclf.explanations.explain`."""
        from framingclf.explanations import explain

        return explain(self, text)


def _vectorizers(features) -> list[tuple[str, TokenNgramVectorizer | TokenCharVectorizer]]:
    if isinstance(features, FeatureUnion):
        return list(features.transformer_list)
    return [("words", features)]


def _as_logits(scores: np.ndarray) -> np.ndarray:
    """Binary models give one score column; make it two so softmax applies."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        return np.column_stack([np.zeros_like(scores), scores])
    return scores


def fit_temperature(logits: np.ndarray, target: np.ndarray) -> float:
    """The temperature T minimising the log loss of softmax(logits / T) on `target`."""

    def nll(log_t: float) -> float:
        logp = log_softmax(logits / np.exp(log_t), axis=1)
        return -float(np.mean(logp[np.arange(len(target)), target]))

    result = minimize_scalar(nll, bounds=(-4.0, 4.0), method="bounded")
    return float(np.exp(result.x))


# -- helpers shared with framingclf.embeddings and framingclf.ensemble ---------------------
def check_training_data(X: Iterable[str], y: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Passages and labels to fit on, or `InvalidInputError` saying what is wrong (the
    checks `FramingClassifier.fit` makes)."""
    texts = check_texts(X, "X")
    labels = np.asarray([check_label(v, f"y[{i}]") for i, v in enumerate(y)], dtype=object)
    if len(labels) != len(texts):
        raise InvalidInputError(
            f"X has {len(texts)} passages but y has {len(labels)} labels; "
            "pass one label per passage"
        )
    if len(set(labels)) < 2:
        raise InvalidInputError(
            f"y holds one label only ({labels[0] if len(labels) else 'none at all'}); "
            "training needs passages of at least two labels"
        )
    return texts, labels


def calibration_folds(labels: np.ndarray, groups, *, calibration: str | None, n_folds: int,
                      random_state: int | None):
    """The folds to fit a temperature on (keeping `groups` whole when given), or None
    for no calibration: `calibration` None, or too few passages or groups (warned)."""
    if calibration is None:
        return None
    if calibration != "temperature":
        raise InvalidInputError(
            f"calibration={calibration!r}; expected 'temperature' or None"
        )
    if groups is not None:
        n_splits = min(n_folds, len(set(groups)))
        cv = GroupKFold(n_splits=n_splits) if n_splits >= 2 else None
    else:
        _, counts = np.unique(labels, return_counts=True)
        n_splits = min(n_folds, int(counts.min()))
        cv = (StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
              if n_splits >= 2 else None)
    if cv is None:
        warnings.warn("too few passages or groups to calibrate; probabilities are the "
                      "uncalibrated softmax (temperature 1)", stacklevel=4)
    return cv


def calibration_temperature(model, X, labels: np.ndarray, groups, *, calibration: str | None,
                            n_folds: int, random_state: int | None) -> float:
    """The temperature for `model`'s decision values, fitted on out-of-fold scores of
    `X` (folds keep `groups` whole when given); 1.0 when `calibration` is None or the
    data are too few to fold."""
    cv = calibration_folds(labels, groups, calibration=calibration, n_folds=n_folds,
                           random_state=random_state)
    if cv is None:
        return 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # folds may miss a rare class
        warnings.simplefilter("ignore", RuntimeWarning)
        scores = cross_val_predict(clone(model), X, labels, groups=groups, cv=cv,
                                   method="decision_function")
    classes = np.unique(labels)
    # a fold that missed a class fills its column with the lowest float: clip it
    scores = np.clip(_as_logits(scores), -1e4, 1e4)
    target = np.searchsorted(classes, labels)
    return fit_temperature(scores, target)


def shrink_towards_prior(proba: np.ndarray, n_words: Sequence[int], short_words: int | None,
                         prior: np.ndarray) -> np.ndarray:
    """Probabilities of passages with fewer than `short_words` words moved towards
    `prior` in proportion to how short they are (None: unchanged)."""
    if not short_words:
        return proba
    weight = np.minimum(1.0, np.asarray(n_words, dtype=float) / short_words)[:, None]
    return weight * proba + (1 - weight) * prior[None, :]


def rounded_digest(texts: Sequence[str], arrays: Sequence[np.ndarray]) -> str:
    """SHA-256 over `texts` and `arrays` rounded to 6 decimals (the fingerprint of a
    model: equal for equal models whatever float noise a retrain adds)."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
    for array in arrays:
        rounded = np.ascontiguousarray(array, dtype=np.float64).round(6) + 0.0  # no -0.0
        digest.update(rounded.tobytes())
    return digest.hexdigest()
