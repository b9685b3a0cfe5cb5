import json
import shutil
import warnings

import numpy as np
import pytest
import skops.io as sio
from sklearn.preprocessing import FunctionTransformer

from framingclf import load_model
from framingclf.errors import ModelLoadError, ModelVersionWarning
from framingclf.persistence import MANIFEST_FILE, MODEL_FILE, sha256_file


def edit_manifest(model_dir, change) -> None:
    """Apply `change` to a copied model's manifest in place."""
    manifest = json.loads((model_dir / MANIFEST_FILE).read_text())
    change(manifest)
    (model_dir / MANIFEST_FILE).write_text(json.dumps(manifest))


PASSAGES = ["Poor housing harms health", "Screening uptake is low", "The board noted the report"]


def test_save_load_identical_probabilities(tiny_model, tiny_model_dir):
    loaded = load_model(tiny_model_dir)
    np.testing.assert_array_equal(loaded.predict_proba(PASSAGES),
                                  tiny_model.predict_proba(PASSAGES))
    assert loaded.fingerprint() == tiny_model.fingerprint()


def test_manifest_records_versions_and_hashes(tiny_model_dir):
    manifest = json.loads((tiny_model_dir / MANIFEST_FILE).read_text())
    assert set(manifest["versions"]) >= {"framingclf", "scikit-learn", "spacy"}
    assert manifest["sha256"] == sha256_file(tiny_model_dir / MODEL_FILE)
    assert len(manifest["fingerprint"]) == 64


def test_tampered_file_is_refused(tiny_model_dir, tmp_path):
    target = shutil.copytree(tiny_model_dir, tmp_path / "m")
    data = bytearray((target / MODEL_FILE).read_bytes())
    data[-30] ^= 0xFF
    (target / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match=r"does not match the manifest.*Refusing to load"):
        load_model(target)


def test_unknown_types_are_refused_before_loading(tiny_model_dir, tmp_path):
    target = shutil.copytree(tiny_model_dir, tmp_path / "m")
    sio.dump(FunctionTransformer(func=print), target / MODEL_FILE)  # code we never trust
    edit_manifest(target, lambda m: m.update(sha256=sha256_file(target / MODEL_FILE)))
    with pytest.raises(ModelLoadError, match=r"types framingclf does not trust: builtins\.print"):
        load_model(target)


def test_version_mismatch_warns(tiny_model_dir, tmp_path):
    target = shutil.copytree(tiny_model_dir, tmp_path / "m")
    edit_manifest(target, lambda m: m["versions"].update({"scikit-learn": "0.1"}))
    with pytest.warns(ModelVersionWarning, match=r"saved with scikit-learn 0.1 \(running"):
        load_model(target)


def test_newer_format_is_refused(tiny_model_dir, tmp_path):
    target = shutil.copytree(tiny_model_dir, tmp_path / "m")
    edit_manifest(target, lambda m: m.update(format_version=99))
    with pytest.raises(ModelLoadError, match="newer than this framingclf reads"):
        load_model(target)


def test_missing_directory_and_manifest(tmp_path):
    with pytest.raises(ModelLoadError, match="no such model directory"):
        load_model(tmp_path / "nope")
    with pytest.raises(ModelLoadError, match="not a framingclf model directory"):
        load_model(tmp_path)


def test_shipped_model_loads_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = load_model()
    assert list(model.classes_) == sorted(model.classes_)
