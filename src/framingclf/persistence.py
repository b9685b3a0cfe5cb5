"""Saving and loading models as auditable directories.

A model directory holds:

- ``model.skops``: the fitted `FramingClassifier` in skops' format, which stores no
  pickled code; loading trusts only the types listed in `TRUSTED_TYPES`;
- ``manifest.json``: the file's SHA-256, the model's fingerprint, the versions of
  framingclf, scikit-learn, spaCy and Python it was saved with, the labels, the
  parameters, and the hash of the training corpus;
- optionally ``metrics.json``, ``config.json`` and ``MODEL_CARD.md`` beside it.

`load_model` checks the hash and the types before any of the file is turned into
objects, and warns when the versions differ from the running ones.
"""

from __future__ import annotations

import hashlib
import json
import platform
import warnings
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import skops.io as sio

from framingclf.errors import ModelLoadError, ModelVersionWarning

MODEL_FILE = "model.skops"
MANIFEST_FILE = "manifest.json"
FORMAT = "framingclf-model"
FORMAT_VERSION = 1
DEFAULT_MODEL = "framingclf-uk-v1"

#: Types outside scikit-learn, NumPy and SciPy that a framingclf model may contain.
TRUSTED_TYPES = (
    "framingclf.classifier.FramingClassifier",
    "framingclf.features.TokenCharVectorizer",
    "framingclf.features.TokenNgramVectorizer",
    "framingclf.preprocess.SpacyPreprocessor",
)


def _versions() -> dict[str, str]:
    import sklearn
    import spacy

    from framingclf import __version__

    return {
        "framingclf": __version__,
        "scikit-learn": sklearn.__version__,
        "spacy": spacy.__version__,
        "python": platform.python_version(),
    }


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", "utf-8")


def save_model(
    model: Any,
    path: str | Path,
    *,
    corpus_sha256: str | None = None,
    metrics: dict | None = None,
    config: dict | None = None,
    card: str | None = None,
) -> Path:
    """Save a fitted `FramingClassifier` to directory `path` (created if needed)."""
    from framingclf.classifier import FramingClassifier

    if not isinstance(model, FramingClassifier):
        raise TypeError(f"expected a FramingClassifier, got {type(model).__name__}")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    model_path = path / MODEL_FILE
    sio.dump(model, model_path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "file": MODEL_FILE,
        "sha256": sha256_file(model_path),
        "fingerprint": model.fingerprint(),
        "versions": _versions(),
        "labels": list(model.classes_),
        "params": model.get_params(),
        "temperature": model.temperature_,
        "n_features": model.n_features_,
        "trusted_types": list(TRUSTED_TYPES),
        "corpus_sha256": corpus_sha256,
    }
    _write_json(path / MANIFEST_FILE, manifest)
    if metrics is not None:
        _write_json(path / "metrics.json", metrics)
    if config is not None:
        _write_json(path / "config.json", config)
    if card is not None:
        (path / "MODEL_CARD.md").write_text(card, "utf-8")
    return path


def default_model_dir() -> Path:
    """Where the shipped model lives: inside the installed wheel, or the repo's models/."""
    packaged = resources.files("framingclf").joinpath("models", DEFAULT_MODEL)
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "models" / DEFAULT_MODEL


def read_manifest(path: str | Path) -> dict:
    """The manifest of the model directory `path`, checked for format."""
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
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelLoadError(f"{manifest_path}: not a framingclf model manifest")
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
    or that holds types outside scikit-learn, NumPy, SciPy and `TRUSTED_TYPES`. Warns
    (`ModelVersionWarning`) when saved with other versions than those running.
    """
    path = Path(path) if path is not None else default_model_dir()
    manifest = read_manifest(path)
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
    unknown = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if unknown:
        raise ModelLoadError(
            f"{model_path}: holds types framingclf does not trust: {', '.join(unknown)}; "
            "refusing to load it. Only load models from sources you trust, and retrain"
        )
    _warn_versions(path, manifest.get("versions", {}))
    return sio.load(model_path, trusted=list(untrusted))


def _warn_versions(path: Path, saved: dict) -> None:
    running = _versions()
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
