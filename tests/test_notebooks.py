"""The notebooks in notebooks/ run top to bottom, as an analyst would run them.

Each is executed with nbclient in a python3 kernel from its own folder; any cell error
fails the test, and so does any warning a cell prints. Outputs must be stripped in git, so
the stored notebooks are checked too.
"""

import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install "
                               "'framingclf[test]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install "
                               "'framingclf[test]')")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (pip install "
                    "'framingclf[test]')")


def test_the_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01-quickstart.ipynb", "02-compare-organisations.ipynb",
        "03-train-on-your-codings.ipynb", "04-code-train-export.ipynb", "05-audit.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, (
                f"{path.name}: outputs are not stripped; clear them before committing")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebooks write only to a temp dir
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    warned = [f"cell {i}: {o.get('text', '')[:300]}" for i, c in enumerate(notebook.cells)
              if c.cell_type == "code" for o in c.outputs if o.output_type == "stream"
              and re.search(r"Warning\b|warnings\.warn|ipywidgets", o.get("text", ""))]
    assert not warned, f"{path.name} printed warnings:\n" + "\n".join(warned)
    images = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert images, f"{path.name}: no figure was displayed"
