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


# --- faults found by fault testing: each fails without its fix --------------------------------

def test_a_manifest_of_another_model_is_refused(tiny_model_dir, tmp_path):
    """Two different models must never write results under one id: the fingerprint in
    the manifest is checked against the loaded model's own."""
    target = shutil.copytree(tiny_model_dir, tmp_path / "m")
    edit_manifest(target, lambda m: m.update(fingerprint="0" * 64))
    with pytest.raises(ModelLoadError, match=r"fingerprint .* is not the one its manifest "
                                             r"records \(000000000000\)"):
        load_model(target)


def test_a_file_holding_another_estimator_is_refused(tiny_model_dir, tmp_path):
    from sklearn.linear_model import LogisticRegression

    target = shutil.copytree(tiny_model_dir, tmp_path / "m")
    other = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    sio.dump(other, target / MODEL_FILE)
    edit_manifest(target, lambda m: m.update(sha256=sha256_file(target / MODEL_FILE)))
    with pytest.raises(ModelLoadError, match="holds a LogisticRegression, not a fitted "
                                             "FramingClassifier"):
        load_model(target)


def test_a_file_skops_cannot_rebuild_is_a_load_error(tiny_model_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("object arrays cannot be loaded")

    monkeypatch.setattr(sio, "load", broken)
    with pytest.raises(ModelLoadError, match=r"cannot be loaded \(ValueError: object arrays"):
        load_model(tiny_model_dir)


def test_a_model_file_path_says_to_pass_the_directory(tiny_model_dir):
    with pytest.raises(ModelLoadError, match="is a file; pass the model's directory"):
        load_model(tiny_model_dir / MODEL_FILE)


def test_resolve_model_takes_a_model_a_directory_or_none(tiny_model, tiny_model_dir):
    from framingclf.errors import InvalidInputError
    from framingclf.persistence import resolve_model

    assert resolve_model(tiny_model) is tiny_model
    loaded = resolve_model(str(tiny_model_dir))
    assert loaded.fingerprint() == tiny_model.fingerprint()
    assert resolve_model(tiny_model_dir) is loaded  # loaded once per process
    with pytest.raises(InvalidInputError, match="got dict; load one with"):
        resolve_model({"model": 1})


def test_shipped_model_dir_found_through_one_name_joinpaths(monkeypatch, tmp_path):
    # Python 3.10's Traversable.joinpath (zip imports, namespace packages) takes one name
    from importlib import resources

    from framingclf import _resources

    class OneName:
        def __init__(self, path):
            self.path = path

        def joinpath(self, child):
            return OneName(self.path / child)

        def is_dir(self):
            return self.path.is_dir()

        def __str__(self):
            return str(self.path)

    packaged = tmp_path / "models" / _resources.DEFAULT_MODEL
    packaged.mkdir(parents=True)
    monkeypatch.setattr(resources, "files", lambda name: OneName(tmp_path))
    assert _resources.default_model_dir() == packaged
