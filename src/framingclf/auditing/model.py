"""Saving and loading the audit's passage model, as an auditable directory.

Like framingclf's framing model (`framingclf.persistence`): ``model.skops`` (skops'
format, no pickled code; loading trusts only scikit-learn, NumPy, SciPy and the types
in `TRUSTED_TYPES`), ``manifest.json`` (the file's SHA-256, checked before loading,
the versions it was saved with, its tags and parameters, the training corpus' hash),
and ``metrics.json``, ``config.json`` and ``MODEL_CARD.md`` beside it.
"""

from __future__ import annotations

import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from framingclf._files import sha256_file, write_json
from framingclf._resources import AUDIT_MODEL, default_model_dir
from framingclf.errors import InvalidInputError, ModelLoadError

FORMAT = "framingclf-audit-model"
FORMAT_VERSION = 1
MODEL_FILE = "model.skops"

#: Types outside scikit-learn, NumPy and SciPy that the audit's model may contain.
TRUSTED_TYPES: tuple[str, ...] = (
    "framingclf.auditing.tagger.PassageTagger",
    "framingclf.auditing.patterns.PatternFeatures",
    "framingclf.features.TokenNgramVectorizer",
    "framingclf.spacy_pipeline.SpacyPreprocessor",
)


def save_tagger(tagger: Any, path: str | Path, *, corpus_sha256: dict | None = None,
                metrics: dict | None = None, config: dict | None = None,
                card: str | None = None) -> Path:
    """Save a fitted `PassageTagger` to directory `path` (created if needed)."""
    import skops.io as sio

    from framingclf.auditing.tagger import PassageTagger
    from framingclf.persistence import versions

    if not isinstance(tagger, PassageTagger) or not hasattr(tagger, "coef_"):
        raise InvalidInputError(f"expected a fitted PassageTagger, got {type(tagger).__name__}")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    sio.dump(tagger, path / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    params = {k: v for k, v in tagger.get_params().items() if k != "lists"}
    write_json(path / "manifest.json", {
        "format": FORMAT, "format_version": FORMAT_VERSION, "file": MODEL_FILE,
        "sha256": sha256_file(path / MODEL_FILE), "versions": versions(),
        "tags": list(tagger.tags_), "params": params, "trusted_types": list(TRUSTED_TYPES),
        "corpus_sha256": corpus_sha256,
    })
    for name, content in (("metrics.json", metrics), ("config.json", config)):
        if content is not None:
            write_json(path / name, content)
    if card is not None:
        (path / "MODEL_CARD.md").write_text(card, "utf-8")
    return path


def load_tagger(path: str | Path | None = None) -> Any:
    """Load an audit model directory; with no argument, the one shipped with framingclf.
    Refuses a file whose SHA-256 differs from its manifest or that holds types
    framingclf does not trust, before building any object."""
    from framingclf.auditing.tagger import PassageTagger
    from framingclf.persistence import load_verified, read_manifest

    path = Path(path) if path is not None else default_model_dir(AUDIT_MODEL)
    if path.is_file():
        raise ModelLoadError(f"{path}: is a file; pass the audit model's directory (the "
                             f"folder holding {MODEL_FILE} and manifest.json)")
    if not path.is_dir():
        raise ModelLoadError(f"{path}: no such audit model directory; pass a directory "
                             "written by corpora/scripts/train_audit.py, or omit it to "
                             "use the shipped one")
    manifest = read_manifest(path, fmt=FORMAT)
    tagger = load_verified(path, manifest, TRUSTED_TYPES)
    if not isinstance(tagger, PassageTagger) or not hasattr(tagger, "coef_"):
        raise ModelLoadError(f"{path / MODEL_FILE}: holds a {type(tagger).__name__}, not a "
                             "fitted PassageTagger; retrain it with "
                             "corpora/scripts/train_audit.py")
    return tagger


@lru_cache(maxsize=2)
def _load_cached(path: str, manifest_mtime_ns: int) -> Any:
    return load_tagger(path)


def resolve_tagger(model: Any = None) -> Any:
    """The passage model a `model` argument means: None for the shipped one, a model
    directory (loaded once per process while its manifest is unchanged), or a fitted
    `PassageTagger`, returned as it is."""
    if model is None or isinstance(model, (str, Path)):
        path = Path(model) if model is not None else default_model_dir(AUDIT_MODEL)
        try:
            mtime = (path / "manifest.json").stat().st_mtime_ns
        except OSError:
            return load_tagger(path)  # raises the clear error
        return _load_cached(str(path.resolve()), mtime)
    if callable(getattr(model, "predict_proba", None)) and hasattr(model, "tags_"):
        return model
    raise InvalidInputError(
        f"model: expected a fitted PassageTagger, an audit model directory or None (the "
        f"shipped one), got {type(model).__name__}")
