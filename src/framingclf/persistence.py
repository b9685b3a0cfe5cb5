"""Saving and loading models as auditable directories.

A model directory holds:

- ``model.skops``: the fitted `FramingClassifier` (or an `EnsembleClassifier` or
  `EmbeddingClassifier`, see `model_types`) in skops' format, which stores no
  pickled code; loading trusts only the types listed in `TRUSTED_TYPES`;
- ``manifest.json``: the file's SHA-256, the model's fingerprint, the versions of
  framingclf, scikit-learn, spaCy and Python it was saved with, the labels, the
  parameters, the hash of the training corpus and the keys of its passages;
- optionally ``metrics.json``, ``config.json`` and ``MODEL_CARD.md`` beside it.

`load_model` checks the hash and the types before any of the file is turned into
objects, and warns when the versions differ from the running ones.
"""

from __future__ import annotations

import json
import platform
import warnings
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from framingclf._files import sha256_file, write_json
from framingclf._resources import default_model_dir
from framingclf._version import __version__
from framingclf.errors import InvalidInputError, ModelLoadError, ModelVersionWarning

MODEL_FILE = "model.skops"
MANIFEST_FILE = "manifest.json"
FORMAT = "framingclf-model"
FORMAT_VERSION = 1

#: Types outside scikit-learn, NumPy and SciPy that a framingclf model may contain.
TRUSTED_TYPES = (
    "framingclf.classifier.FramingClassifier",
    "framingclf.embeddings.EmbeddingClassifier",
    "framingclf.embeddings.SentenceEmbedder",
    "framingclf.ensemble.EnsembleClassifier",
    "framingclf.features.TokenCharVectorizer",
    "framingclf.features.TokenNgramVectorizer",
    "framingclf.spacy_pipeline.SpacyPreprocessor",
)


def model_types() -> tuple[type[Any], ...]:
    """The model classes framingclf saves and loads (embedding weights are never saved:
    an `EmbeddingClassifier` finds them in their installed package)."""
    from framingclf.classifier import FramingClassifier
    from framingclf.embeddings import EmbeddingClassifier
    from framingclf.ensemble import EnsembleClassifier

    return FramingClassifier, EnsembleClassifier, EmbeddingClassifier


def _is_fitted(model: Any) -> bool:
    """Whether `model`, one of `model_types()`, carries its fitted attributes."""
    from framingclf.classifier import FramingClassifier
    from framingclf.embeddings import EmbeddingClassifier

    if isinstance(model, FramingClassifier):
        return hasattr(model, "pipeline_")
    if isinstance(model, EmbeddingClassifier):
        return hasattr(model, "model_") and hasattr(model, "classes_")
    return hasattr(model, "estimators_") and hasattr(model, "classes_")


def versions() -> dict[str, str]:
    """The versions of framingclf, scikit-learn, spaCy and Python running."""
    import sklearn
    import spacy

    return {
        "framingclf": __version__,
        "scikit-learn": sklearn.__version__,
        "spacy": spacy.__version__,
        "python": platform.python_version(),
    }


def save_model(
    model: Any,
    path: str | Path,
    *,
    corpus_sha256: str | None = None,
    metrics: dict | None = None,
    config: dict | None = None,
    card: str | None = None,
    training_keys: Sequence[str] | None = None,
) -> Path:
    """Save a fitted model (one of `model_types()`: a `FramingClassifier`, or an
    `EnsembleClassifier` or `EmbeddingClassifier`) to directory `path` (created if
    needed).

    `training_keys` (`framingclf.corpus.passage_key` of each training passage) go in
    the manifest, so that evaluation can count passages the model has seen."""
    if not isinstance(model, model_types()):
        raise TypeError(f"expected a FramingClassifier (or an EnsembleClassifier or "
                        f"EmbeddingClassifier), got {type(model).__name__}")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    import skops.io as sio

    model_path = path / MODEL_FILE
    sio.dump(model, model_path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "file": MODEL_FILE,
        "sha256": sha256_file(model_path),
        "fingerprint": model.fingerprint(),
        "versions": versions(),
        "labels": list(model.classes_),
        "params": model.get_params(),
        "temperature": getattr(model, "temperature_", None),
        "n_features": getattr(model, "n_features_", None),
        "trusted_types": list(TRUSTED_TYPES),
        "corpus_sha256": corpus_sha256,
    }
    if training_keys is not None:
        manifest["training_passages"] = {
            "key": "framingclf.corpus.passage_key: SHA-256 of the NFKC, case-folded, "
                   "space-collapsed text, 16 hex digits",
            "keys": sorted(set(training_keys))}
    write_json(path / MANIFEST_FILE, manifest)
    if metrics is not None:
        write_json(path / "metrics.json", metrics)
    if config is not None:
        write_json(path / "config.json", config)
    if card is not None:
        (path / "MODEL_CARD.md").write_text(card, "utf-8")
    return path


def read_manifest(path: str | Path, fmt: str = FORMAT) -> dict:
    """The manifest of the model directory `path`, checked for format (`fmt`)."""
    path = Path(path)
    if not path.is_dir():
        raise ModelLoadError(
            f"{path}: no such model directory; pass a directory written by "
            "`framingclf train` or model.save(), or omit it to use the shipped model"
        )
    manifest_path = path / MANIFEST_FILE
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except FileNotFoundError:
        raise ModelLoadError(
            f"{path}: no {MANIFEST_FILE}; this is not a framingclf model directory "
            "(retrain it with `framingclf train`)"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelLoadError(
            f"{manifest_path}: not valid JSON ({exc}); restore or retrain"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != fmt:
        raise ModelLoadError(f"{manifest_path}: not a {fmt} manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelLoadError(
            f"{path}: model format {version!r} is newer than this framingclf reads "
            f"({FORMAT_VERSION}); upgrade framingclf or retrain the model"
        )
    return manifest


def load_model(path: str | Path | None = None) -> Any:
    """Load a model directory; with no argument, the default model shipped with framingclf.

    Refuses, before building any object, a file whose SHA-256 differs from its manifest
    or that holds types outside scikit-learn, NumPy, SciPy and `TRUSTED_TYPES`; after
    loading, anything but a fitted model of `model_types()` whose fingerprint is the
    manifest's. Warns (`ModelVersionWarning`) when saved with other versions than those
    running.
    """
    path = Path(path) if path is not None else default_model_dir()
    if path.is_file():
        raise ModelLoadError(
            f"{path}: is a file; pass the model's directory (the folder holding "
            f"{MODEL_FILE} and {MANIFEST_FILE}), as written by `framingclf train` or "
            "model.save()")
    manifest = read_manifest(path)
    model = load_verified(path, manifest, TRUSTED_TYPES)
    return _checked(model, manifest, path / manifest.get("file", MODEL_FILE))


def load_verified(path: Path, manifest: dict, trusted_types: tuple[str, ...]) -> Any:
    """The object in the skops file a model directory's manifest names, after checking
    its SHA-256 against the manifest and its types against scikit-learn, NumPy, SciPy
    and `trusted_types`, before any of it is built; warns when it was saved with other
    versions than those running."""
    import skops.io as sio

    model_path = path / manifest.get("file", MODEL_FILE)
    if not model_path.is_file():
        raise ModelLoadError(f"{model_path}: model file missing; restore it or retrain")
    actual = sha256_file(model_path)
    if actual != manifest.get("sha256"):
        raise ModelLoadError(
            f"{model_path}: SHA-256 {actual[:12]}… does not match the manifest's "
            f"{str(manifest.get('sha256'))[:12]}…; the file was changed after saving. "
            "Refusing to load it: restore the original or retrain"
        )
    try:
        untrusted = sio.get_untrusted_types(file=model_path)
    except Exception as exc:  # a corrupt archive
        raise ModelLoadError(f"{model_path}: cannot be read as a skops file ({exc})") from None
    unknown = sorted(set(untrusted) - set(trusted_types))
    if unknown:
        raise ModelLoadError(
            f"{model_path}: holds types framingclf does not trust: {', '.join(unknown)}; "
            "refusing to load it. Only load models from sources you trust, and retrain"
        )
    _warn_versions(path, manifest.get("versions", {}))
    try:
        return sio.load(model_path, trusted=list(untrusted))
    except Exception as exc:  # well-formed archive, content skops cannot rebuild
        raise ModelLoadError(f"{model_path}: cannot be loaded ({type(exc).__name__}: {exc}); "
                             "retrain the model with this version of framingclf") from None


def _checked(model: Any, manifest: dict, model_path: Path) -> Any:
    """`model` if it is a fitted model of `model_types()` with the manifest's
    fingerprint."""
    if not isinstance(model, model_types()) or not _is_fitted(model):
        raise ModelLoadError(f"{model_path}: holds a {type(model).__name__}, not a fitted "
                             "FramingClassifier; save models with model.save() or "
                             "`framingclf train`")
    fingerprint = model.fingerprint()
    if fingerprint != manifest.get("fingerprint"):
        raise ModelLoadError(
            f"{model_path}: the model's fingerprint {fingerprint[:12]} is not the one its "
            f"manifest records ({str(manifest.get('fingerprint'))[:12]}); the manifest "
            "belongs to another model. Refusing to load it: restore both files, or retrain")
    return model


@lru_cache(maxsize=2)
def _load_cached(path: str, manifest_mtime_ns: int) -> Any:
    return load_model(path)


def resolve_model_dir(model: Any) -> Path | None:
    """The directory a `model` argument names (None: the shipped model), or None when
    `model` is a model object."""
    if model is None:
        return default_model_dir()
    if isinstance(model, (str, Path)):
        return Path(model)
    return None


def resolve_model(model: Any = None) -> Any:
    """The model a `model` argument means: None for the shipped model, a model
    directory (loaded once per process while its manifest is unchanged), or a fitted
    model, returned as it is. Anything else is refused, saying what arrived."""
    directory = resolve_model_dir(model)
    if directory is not None:
        manifest = directory / MANIFEST_FILE
        try:
            mtime = manifest.stat().st_mtime_ns
        except OSError:
            return load_model(directory)  # raises the clear error
        return _load_cached(str(directory.resolve()), mtime)
    if callable(getattr(model, "predict_proba", None)) and hasattr(model, "classes_") \
            and callable(getattr(model, "fingerprint", None)):
        return model
    raise InvalidInputError(
        f"model: expected a fitted FramingClassifier, a model directory or None (the "
        f"shipped model), got {type(model).__name__}; load one with framingclf.load_model")


def _warn_versions(path: Path, saved: dict) -> None:
    running = versions()
    differ = [
        f"{name} {saved.get(name)} (running {running[name]})"
        for name in ("framingclf", "scikit-learn", "spacy")
        if saved.get(name) != running[name]
    ]
    if differ:
        warnings.warn(
            f"{path}: saved with {', '.join(differ)}; scores may differ slightly. "
            "Retrain with `framingclf train` to remove this warning",
            ModelVersionWarning,
            stacklevel=3,
        )


def model_info(path: str | Path | None = None) -> dict:
    """What `framingclf info` shows: the model's directory, manifest and, when saved
    beside it, its metrics; read without loading the model."""
    directory = Path(path) if path is not None else default_model_dir()
    manifest = read_manifest(directory)
    metrics_path = directory / "metrics.json"
    metrics = {}
    if metrics_path.is_file():
        try:
            metrics = json.loads(metrics_path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError):
            metrics = {}
    return {"path": str(directory), "manifest": manifest, "metrics": metrics}
