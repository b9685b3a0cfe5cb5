"""Progress in a terminal, a script's log and Jupyter, without warnings."""

import io

import pytest

from framingclf.batch._progress import Progress, in_jupyter, resolve_mode


def test_auto_is_a_bar_on_a_terminal_and_lines_in_a_log():
    log = io.StringIO()
    assert resolve_mode("auto", log) == "log"
    log.isatty = lambda: True
    assert resolve_mode(True, log) == "bar"
    assert resolve_mode(False, log) == resolve_mode(None, log) == "none"
    assert not in_jupyter()


def test_the_terminal_bar_counts_documents_and_rates():
    stream = io.StringIO()
    with Progress("bar", 2, stream=stream) as bar:
        bar.update(pages=3, passages=9)
        bar.update(pages=1, passages=2, errors=1)
    text = stream.getvalue()
    assert "2/2" in text and "pages/s" in text and "1 error(s)" in text


def test_a_jupyter_kernel_gets_a_bar_and_no_warning(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed")
    code = ("import warnings; warnings.simplefilter('always')\n"
            "from framingclf.batch._progress import Progress, resolve_mode\n"
            "mode = resolve_mode('auto')\n"
            "with Progress(mode, 3) as bar:\n"
            "    for _ in range(3):\n"
            "        bar.update(pages=2, passages=5)\n"
            "print('mode', mode)\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "mode bar" in text
    assert "warn" not in text.lower() and "ipywidgets" not in text, text
