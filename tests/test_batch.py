"""Batch scoring: folders and manifests to tables, resumable, parallel, on dask."""

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import framingclf
from framingclf import FramingClassifier, load_results, readers, score_documents
from framingclf.batch import _plan, _workers
from framingclf.batch._progress import Progress
from framingclf.cli import app
from framingclf.errors import FramingError, InvalidInputError
from framingclf.labels import FRAMINGS, LABELS
from framingclf.reports import report as build_report
from framingclf.tables import RUN_FILE

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "documents"
SUBSET = ["01-brackenford-board-2023.pdf", "05-bryn-afon-cabinet-cost-of-living-2022.docx",
          "06-glenarrow-public-health-strategy-2021.html",
          "07-kelbeck-health-scrutiny-minutes-2016.pdf"]
TABLES = ("passages", "documents", "errors")
runner = CliRunner()


@pytest.fixture()
def docs(tmp_path):
    """Four sample documents (PDF, DOCX, HTML) and the samples' manifest."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in [*SUBSET, "manifest.csv"]:
        shutil.copy(SAMPLES / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def other_model(tiny_corpus):
    """A second tiny model, with another fingerprint."""
    texts, labels, groups = tiny_corpus
    return FramingClassifier(min_df=1, calibration_cv=3, C=1.0).fit(texts, labels,
                                                                    groups=groups)


def files_of(out: Path, fmt: str = "csv") -> dict[str, bytes]:
    return {name: (out / f"{name}.{fmt}").read_bytes() for name in TABLES}


def assert_same(a, b) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def quiet(**kwargs):
    return {"progress": "none", **kwargs}


# --- end to end ----------------------------------------------------------------------------

def test_end_to_end_on_sample_documents(docs, tmp_path):
    model = framingclf.load_model()
    out = tmp_path / "out"
    result = score_documents(docs, model, out=out, **quiet())
    p, d = result.passages, result.documents
    assert list(d["path"]) == [str(docs / name) for name in SUBSET]  # sorted by path
    assert list(d["format"]) == ["pdf", "docx", "html", "pdf"]
    assert result.errors.empty
    assert list(p.columns[:8]) == ["doc_id", "passage_id", "path", "title", "organisation",
                                   "date", "year", "doc_type"]
    for column in ["page_start", "page_end", "char_start", "char_end", "section", "kind", "text",
                   "label", "confidence", *(f"p_{label}" for label in LABELS), "position",
                   "review", "flag", "deficit_terms", "model"]:
        assert column in p.columns, column
    assert (p["model"] == model.fingerprint()[:12]).all()
    assert all(isinstance(terms, list) for terms in p["deficit_terms"])
    assert p["deficit_terms"].map(len).sum() > 0
    cabinet = d.set_index("format").loc["docx"]  # metadata from the folder's manifest
    assert cabinet["organisation"] == "Bryn Afon County Borough Council"
    assert cabinet["year"] == 2022 and cabinet["doc_type"] == "council cabinet report"
    assert cabinet["title"].startswith("Report to Cabinet: Cost of Living")
    shares = d[[f"share_{label}" for label in FRAMINGS]].sum(axis=1)
    assert shares.round(9).eq(1).all()
    assert ((d["upstream_low"] <= d["upstream_index"])
            & (d["upstream_index"] <= d["upstream_high"])).all()
    assert d["n_passages"].tolist() == p.groupby("doc_id", sort=False).size().tolist()
    assert d["n_pages"].gt(0).all() and 0 <= d["deficit_rate"].min()
    run = json.loads((out / RUN_FILE).read_text())
    assert run["model"] == model.fingerprint() and run["status"] == "complete"
    assert run["tables"] == "csv" and len(list((out / "parts").glob("*.parquet"))) == 4
    loaded = load_results(out)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(result, name),
                                      check_dtype=False)
    # the in-memory call for notebooks gives the same tables
    assert_same(score_documents(docs, model, **quiet()), result)


def test_rerun_gives_identical_files(docs, tmp_path, tiny_model):
    score_documents(docs, tiny_model, out=tmp_path / "a", fmt="csv", **quiet())
    score_documents(docs, tiny_model, out=tmp_path / "b", fmt="csv", **quiet())
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


def test_report_works_on_score_output(docs, tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    done = runner.invoke(app, ["score", str(docs), "--out", str(out), "--model",
                               str(tiny_model_dir), "--format", "jsonl", "--quiet"])
    assert done.exit_code == 0, done.output
    assert done.output == ""
    page = build_report(out, tmp_path / "report.html").read_text("utf-8")
    result = load_results(out)
    from .test_reports import report_data

    data = report_data(page)
    assert len(data["passages"]["text"]) == len(result.passages)
    assert "Bryn Afon County Borough Council" in data["documents"]["organisation"]
    assert "By year" in page


# --- resuming ------------------------------------------------------------------------------

def crash_after(monkeypatch, n: int) -> list:
    """Make the n+1-th document read raise KeyboardInterrupt, as Ctrl-C would."""
    read, calls = readers.read_document, []

    def reading(path, **kwargs):
        calls.append(path)
        if len(calls) > n:
            raise KeyboardInterrupt
        return read(path, **kwargs)

    monkeypatch.setattr(readers, "read_document", reading)
    return calls


def test_resume_after_a_crash_gives_the_uninterrupted_result(docs, tmp_path, tiny_model,
                                                             monkeypatch):
    monkeypatch.setattr(_plan, "CHUNK_DOCUMENTS", 1)
    out = tmp_path / "out"
    crash_after(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        score_documents(docs, tiny_model, out=out, fmt="csv", **quiet())
    assert len(list((out / "parts").glob("*.parquet"))) == 2
    with pytest.raises(InvalidInputError, match=r"has not finished.*--resume"):
        load_results(out)
    # a part torn by a power cut, and a temporary file left by kill -9, are not trusted
    torn = sorted((out / "parts").glob("*.parquet"))[0]
    torn.write_bytes(torn.read_bytes()[:300])
    (out / "parts" / f".{torn.name}.999.1.tmp").write_bytes(b"PAR1")
    monkeypatch.undo()
    monkeypatch.setattr(_plan, "CHUNK_DOCUMENTS", 1)
    calls = crash_after(monkeypatch, 99)
    resumed = score_documents(docs, tiny_model, out=out, fmt="csv", resume=True, **quiet())
    assert len(calls) == 3  # the torn one and the two never scored
    clean = score_documents(docs, tiny_model, out=tmp_path / "clean", fmt="csv", **quiet())
    assert_same(resumed, clean)
    assert files_of(out) == files_of(tmp_path / "clean")


def test_kill_9_mid_run_then_resume(docs, tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    script = f"""
import time
from framingclf import readers
from framingclf.batch import _plan, score_documents
_plan.CHUNK_DOCUMENTS = 1
read, calls = readers.read_document, []
def reading(path, **kwargs):
    calls.append(path)
    if len(calls) > 2:
        time.sleep(300)
    return read(path, **kwargs)
readers.read_document = reading
score_documents({str(docs)!r}, {str(tiny_model_dir)!r}, out={str(out)!r}, fmt="csv",
                      progress="none")
"""
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("parts/*.parquet"))) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, "no parts written"
            time.sleep(0.05)
    finally:
        proc.kill()  # SIGKILL: no cleanup of any kind
        proc.wait()
    assert len(list(out.glob("parts/*.parquet"))) == 2
    resumed = score_documents(docs, tiny_model_dir, out=out, fmt="csv", resume=True, **quiet())
    clean = score_documents(docs, tiny_model_dir, out=tmp_path / "clean", fmt="csv", **quiet())
    assert_same(resumed, clean)
    assert files_of(out) == files_of(tmp_path / "clean")


def test_resume_takes_new_metadata_without_rescoring(docs, tmp_path, tiny_model, monkeypatch):
    out = tmp_path / "out"
    score_documents(docs, tiny_model, out=out, **quiet())
    manifest = docs / "manifest.csv"
    manifest.write_text(manifest.read_text("utf-8").replace("Wexcombe Council", "W")
                        .replace("Kelbeck Metropolitan Borough Council", "Kelbeck MBC"),
                        "utf-8")
    calls = crash_after(monkeypatch, 0)  # any read would fail
    result = score_documents(docs, tiny_model, out=out, resume=True, **quiet())
    assert calls == []
    assert "Kelbeck MBC" in set(result.passages["organisation"])


# --- bad input -----------------------------------------------------------------------------

def test_a_broken_file_is_one_errors_row(docs, tmp_path, tiny_model, monkeypatch):
    pdf = (docs / SUBSET[0]).read_bytes()
    (docs / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (docs / "empty.txt").write_bytes(b"")
    (docs / "also-empty.txt").write_bytes(b"")  # the same (empty) content
    out = tmp_path / "out"
    result = score_documents(docs, tiny_model, out=out, fmt="csv", **quiet())
    assert len(result.documents) == 4
    errors = result.errors
    assert list(errors["path"]) == [str(docs / n) for n in
                                    ("also-empty.txt", "empty.txt", "truncated.pdf")]
    assert set(errors["stage"]) == {"read"}
    assert set(errors["error"]) == {"DocumentReadError"}
    for path, message in zip(errors["path"], errors["message"]):
        assert message.startswith(f"{path}: ")
    assert "truncated.pdf" in (out / "errors.csv").read_text()
    # the failures are remembered: a resumed run does not read them again
    calls = crash_after(monkeypatch, 0)
    again = score_documents(docs, tiny_model, out=out, fmt="csv", resume=True, **quiet())
    assert calls == []
    assert_same(again, result)


def test_repeated_content_is_scored_once(docs, tiny_model):
    shutil.copy(docs / SUBSET[0], docs / "zz-copy.pdf")
    result = score_documents(docs, tiny_model, **quiet())
    assert len(result.documents) == 4 and result.documents["doc_id"].is_unique
    first = result.documents.iloc[0]
    assert first["duplicate_paths"] == [str(docs / "zz-copy.pdf")]


def test_missing_paths_and_empty_folders(tmp_path, tiny_model):
    with pytest.raises(InvalidInputError, match=r"nope: no such file or folder"):
        score_documents([tmp_path / "nope"], tiny_model, **quiet())
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInputError, match=r"empty: folder holds no documents"):
        score_documents(tmp_path / "empty", tiny_model, **quiet())
    with pytest.raises(InvalidInputError, match="nothing to score"):
        score_documents([], tiny_model, **quiet())


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"fmt": "xlsx"}, "format 'xlsx'"),
    ({"backend": "ray"}, "backend 'ray'"),
    ({"jobs": 0}, "jobs=0"),
    ({"resume": True}, "resume needs the output folder"),
    ({"scheduler": "tcp://localhost:8786"}, "a scheduler is for backend 'dask'"),
    ({"progress": "loud"}, "progress='loud'"),
])
def test_bad_options_are_clear_errors(docs, tiny_model, kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        score_documents(docs, tiny_model, **{"progress": "none", **kwargs})


def test_manifest_lists_what_to_score(docs, tmp_path, tiny_model):
    manifest = tmp_path / "list.csv"
    manifest.write_text("file,organization,date,type,committee\n"
                        f"docs/{SUBSET[3]},Kelbeck,2016-07-12,minutes,scrutiny\n"
                        f"docs/{SUBSET[1]},Bryn Afon,,cabinet report,\n", "utf-8")
    result = score_documents(manifest, tiny_model, **quiet())
    d = result.documents
    assert list(d["path"]) == [str(docs / SUBSET[1]), str(docs / SUBSET[3])]
    assert list(d["organisation"]) == ["Bryn Afon", "Kelbeck"]
    assert list(d["doc_type"]) == ["cabinet report", "minutes"]
    assert d["year"].tolist() == [2022, 2016]  # a blank date keeps the folder manifest's
    assert d["committee"].tolist()[1] == "scrutiny"
    assert set(result.passages["organisation"]) == {"Bryn Afon", "Kelbeck"}


@pytest.mark.parametrize(("text", "message"), [
    ("name,title\na.pdf,A\n", r"no 'file' column \(found \['name', 'title'\]\)"),
    ("file,title\n", "lists no files"),
    ("file,title\n{first},A\nB,C,D\n", r"line 3: 3 fields where the header has 2"),
    ("file,title\n,A\n", "line 2: empty 'file'"),
])
def test_manifest_errors(docs, tmp_path, tiny_model, text, message):
    manifest = tmp_path / "list.csv"
    manifest.write_text(text.format(first=SUBSET[0]), "utf-8")
    with pytest.raises(InvalidInputError, match=message):
        score_documents(manifest, tiny_model, **quiet())


def test_a_listed_file_that_is_missing_is_one_error_row(docs, tmp_path, tiny_model):
    manifest = tmp_path / "list.csv"
    manifest.write_text(f"file,title\ndocs/{SUBSET[0]},A\nmissing.pdf,B\n", "utf-8")
    result = score_documents(manifest, tiny_model, **quiet())
    assert list(result.documents["title"]) == ["A"]
    assert list(result.errors["path"]) == [str(tmp_path / "missing.pdf")]
    assert result.errors["message"].iloc[0].endswith("missing.pdf: no such file")


def test_a_bad_folder_manifest_is_one_error_row_and_the_documents_are_scored(docs, tiny_model):
    (docs / "manifest.csv").write_text("name,title\na.pdf,A\n", "utf-8")
    result = score_documents(docs, tiny_model, **quiet())
    assert len(result.documents) == 4
    assert list(result.errors["path"]) == [str(docs / "manifest.csv")]
    assert result.errors["stage"].iloc[0] == "manifest"
    assert "no 'file' column" in result.errors["message"].iloc[0]
    (docs / "manifest.csv").write_text(f'file,title\n{SUBSET[0]},"A\n', "utf-8")
    result = score_documents(docs, tiny_model, **quiet())
    assert len(result.documents) == 4 and len(result.errors) == 1


def test_every_entry_of_a_folder_is_accounted_for(docs, tiny_model):
    os.mkfifo(docs / "pipe.pdf")
    (docs / "gone.pdf").symlink_to(docs / "nowhere.pdf")
    (docs / "slides.pptx").write_bytes(b"PK")
    result = score_documents(docs, tiny_model, timeout=30, **quiet())
    assert len(result.documents) == 4
    errors = result.errors.set_index("path")
    assert "a broken link" in errors.loc[str(docs / "gone.pdf"), "message"]
    assert "a named pipe (FIFO)" in errors.loc[str(docs / "pipe.pdf"), "message"]
    assert errors.loc[str(docs / "slides.pptx"), "error"] == "UnsupportedFormat"


def test_a_document_over_the_time_limit_is_one_error_row(docs, tiny_model, monkeypatch):
    read = readers.read_document

    def slow(path, **kwargs):
        if str(path).endswith(".docx"):
            time.sleep(5)
        return read(path, **kwargs)

    monkeypatch.setattr(readers, "read_document", slow)
    started = time.monotonic()
    result = score_documents(docs, tiny_model, timeout=0.5, **quiet())
    assert time.monotonic() - started < 5
    assert len(result.documents) == 3
    (row,) = result.errors.itertuples()
    assert row.error == "DocumentTimeout" and "longer than 0.5 s" in row.message


def test_another_models_folder_is_refused_unless_force(docs, tmp_path, tiny_model,
                                                       other_model):
    out = tmp_path / "out"
    score_documents(docs, tiny_model, out=out, **quiet())
    old, new = tiny_model.fingerprint()[:12], other_model.fingerprint()[:12]
    with pytest.raises(InvalidInputError,
                       match=f"holds results of model {old}, not of the model scoring now "
                             f"\\({new}\\)"):
        score_documents(docs, other_model, out=out, resume=True, **quiet())
    result = score_documents(docs, other_model, out=out, force=True, **quiet())
    assert set(result.passages["model"]) == {new}
    assert all(p.name.endswith(f"-{new}.parquet") for p in (out / "parts").iterdir())
    assert json.loads((out / RUN_FILE).read_text())["model"] == other_model.fingerprint()


def test_a_plain_table_of_another_model_is_refused(docs, tmp_path, tiny_model, other_model):
    out = tmp_path / "out"
    score_documents(docs, tiny_model, out=out, fmt="csv", **quiet())
    shutil.rmtree(out / "parts")
    (out / RUN_FILE).unlink()
    with pytest.raises(InvalidInputError, match="holds a passages table of model"):
        score_documents(docs, other_model, out=out, **quiet())


def test_the_output_folder_inside_the_inputs_is_not_scored(docs, tiny_model):
    out = docs / "results"
    score_documents(docs, tiny_model, out=out, **quiet())
    (out / "report.html").write_text("<main><p>A report is not a board paper to score "
                                     "again.</p></main>", "utf-8")
    result = score_documents(docs, tiny_model, out=out, resume=True, **quiet())
    assert len(result.documents) == 4


def test_tables_of_an_earlier_run_are_read_with_a_warning(docs, tmp_path, tiny_model,
                                                          monkeypatch):
    out = tmp_path / "out"
    score_documents(docs, tiny_model, out=out, **quiet())
    crash_after(monkeypatch, 0)
    (docs / "new.txt").write_text("Damp homes make children ill across the borough.\n")
    with pytest.raises(KeyboardInterrupt):
        score_documents(docs, tiny_model, out=out, resume=True, **quiet())
    with pytest.warns(UserWarning, match="tables are from an earlier run"):
        assert len(load_results(out).documents) == 4


def test_tables_of_another_format_are_replaced(docs, tmp_path, tiny_model):
    out = tmp_path / "out"
    score_documents(docs, tiny_model, out=out, fmt="csv", **quiet())
    score_documents(docs, tiny_model, out=out, fmt="jsonl", resume=True, **quiet())
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "documents.jsonl", "errors.jsonl", "passages.jsonl", RUN_FILE]


# --- parallel ------------------------------------------------------------------------------

def test_two_workers_give_the_same_tables(docs, tmp_path, tiny_model, monkeypatch):
    monkeypatch.setattr(_plan, "CHUNK_DOCUMENTS", 1)  # four tasks, so both workers work
    one = score_documents(docs, tiny_model, out=tmp_path / "one", fmt="csv", **quiet())
    crash_after(monkeypatch, 0)  # a read in this process would fail: the workers read
    two = score_documents(docs, tiny_model, out=tmp_path / "two", fmt="csv", jobs=2,
                          **quiet())
    assert_same(one, two)
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_dask_local_cluster_gives_the_same_tables(docs, tiny_model, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(_plan, "CHUNK_DOCUMENTS", 1)
    local = score_documents(docs, tiny_model, **quiet())
    with distributed.LocalCluster(processes=False, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        remote = score_documents(docs, tiny_model, backend="dask",
                                 scheduler=cluster.scheduler_address, **quiet())
    assert_same(local, remote)


def test_dask_without_a_scheduler_says_what_to_do(docs, tiny_model):
    pytest.importorskip("distributed")
    with pytest.raises(InvalidInputError, match="backend 'dask' needs a scheduler"):
        score_documents(docs, tiny_model, backend="dask", **quiet())


def test_workers_load_the_model_once_and_return_plain_data(docs, tiny_model):
    ref = _workers.ModelRef.of(tiny_model)
    assert ref.load() is ref.load()
    items = [(str(docs / SUBSET[0]), "a" * 64), (str(docs / "nope.pdf"), "b" * 64)]
    done = _workers.score_chunk(items, ref, "m", min_words=8, max_words=160)
    assert [sorted(d) for d in done] == [
        ["format", "metadata", "n_pages", "path", "sha256", "summary", "table", "title"],
        ["cache", "error", "path", "sha256"]]
    assert isinstance(done[0]["table"], pd.DataFrame) and len(done[0]["table"])


class _DiesWhenLoaded:
    """A "model" whose unpickling kills the worker process, as a segfault would."""

    classes_ = LABELS

    def predict_proba(self, texts):
        raise AssertionError("never called in this process")

    def fingerprint(self):
        return "d" * 64

    def __reduce__(self):
        return (os._exit, (3,))


def test_a_dying_worker_is_one_clear_error(docs, tmp_path, monkeypatch):
    monkeypatch.setattr(_plan, "CHUNK_DOCUMENTS", 1)
    out = tmp_path / "out"
    with pytest.raises(FramingError) as caught:
        score_documents(docs, _DiesWhenLoaded(), out=out, jobs=2, **quiet())
    message = str(caught.value)
    assert message.startswith("a worker process died while scoring (exit codes EXIT(3)")
    assert message.endswith(
        f"), from a crash or too little memory; the finished documents are saved in {out}: "
        "run again with --resume, with fewer jobs if memory ran out")
    assert "\n" not in message


def test_progress_lines_when_not_on_a_terminal():
    stream = io.StringIO()
    with Progress("log", 2, resumed=1, workers=2, stream=stream, every=0) as bar:
        bar.update(pages=10, passages=40)
        bar.update(pages=5, passages=20, errors=1)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "framingclf: scoring 2 document(s) with 2 worker(s); 1 already scored"
    assert lines[2].startswith("framingclf: 2/2 documents (1 error(s)), 15 pages, "
                               "60 passages; ")
    assert lines[-1].startswith("framingclf: scored 2 document(s) (15 pages, 60 passages, "
                                "1 error(s)) in 0:00:00")


def test_progress_bar_on_a_terminal():
    stream = io.StringIO()
    stream.isatty = lambda: True
    with Progress("bar", 1, stream=stream) as bar:
        bar.update(pages=3, passages=9)
    assert "1/1" in stream.getvalue() and "pages/s" in stream.getvalue()


# --- the command line ----------------------------------------------------------------------

def test_cli_scores_a_folder(docs, tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    done = runner.invoke(app, ["score", str(docs), "--out", str(out), "--model",
                               str(tiny_model_dir), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    assert "Scored 4 document(s)" in done.output
    assert f"Wrote {out / 'passages.csv'}" in done.output
    assert (out / "passages.csv").is_file() and (out / "documents.csv").is_file()


@pytest.mark.parametrize(("args", "line"), [
    (["--format", "xlsx"], "Error: format 'xlsx'; expected one of ['csv', 'jsonl', 'parquet']"),
    (["--backend", "spark"], "Error: backend 'spark'; expected one of ['loky', 'dask']"),
    (["--scheduler", "tcp://h:1"], "Error: a scheduler is for backend 'dask'; "
                                   "add --backend dask"),
    (["--resume", "--jobs", "0"], "Error: jobs=0; expected a whole number of workers, or -1 "
                                  "for all cores"),
])
def test_cli_bad_options_are_one_error_line(docs, tmp_path, tiny_model_dir, args, line):
    done = runner.invoke(app, ["score", str(docs), "--out", str(tmp_path / "o"), "--model",
                               str(tiny_model_dir), *args])
    assert done.exit_code == 1
    assert done.output.strip() == line


def test_cli_nothing_to_score(tmp_path):
    done = runner.invoke(app, ["score", "--out", str(tmp_path / "o")])
    assert done.exit_code == 1
    assert done.output.strip() == ("Error: nothing to score; give files or folders, or "
                                   "--manifest FILE.csv")


def test_cli_refuses_another_models_folder(docs, tmp_path, tiny_model, tiny_model_dir,
                                           other_model):
    out = tmp_path / "out"
    score_documents(docs, other_model, out=out, **quiet())
    done = runner.invoke(app, ["score", str(docs), "--out", str(out), "--model",
                               str(tiny_model_dir)])
    assert done.exit_code == 1
    assert done.output.strip() == (
        f"Error: {out}: holds results of model {other_model.fingerprint()[:12]}, not of the "
        f"model scoring now ({tiny_model.fingerprint()[:12]}); the tables of two models or "
        "settings must not mix. Pass --force (force=True) to delete them and score afresh, "
        "or choose another --out folder")
    done = runner.invoke(app, ["score", str(docs), "--out", str(out), "--model",
                               str(tiny_model_dir), "--force", "--quiet"])
    assert done.exit_code == 0, done.output


def test_cli_manifest_errors(docs, tmp_path, tiny_model_dir):
    manifest = tmp_path / "list.csv"
    manifest.write_text("name,title\na.pdf,A\n", "utf-8")
    done = runner.invoke(app, ["score", "--manifest", str(manifest), "--out",
                               str(tmp_path / "o"), "--model", str(tiny_model_dir)])
    assert done.exit_code == 1
    assert done.output.strip() == (
        f"Error: {manifest}: no 'file' column (found ['name', 'title']); add a 'file' column "
        "with each document's path relative to the manifest's folder")


def test_cli_interrupt_says_how_to_resume(docs, tmp_path, tiny_model_dir, monkeypatch):
    crash_after(monkeypatch, 1)
    out = tmp_path / "out"
    done = runner.invoke(app, ["score", str(docs), "--out", str(out), "--model",
                               str(tiny_model_dir), "--quiet"])
    assert done.exit_code == 130
    assert done.output.strip() == (f"Interrupted: finished documents are saved in {out}; run "
                                   "the same command with --resume to go on from there")


def test_a_lost_dask_scheduler_is_one_clear_error(docs, tiny_model):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=1,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    cluster.close()  # the scheduler goes away under the client
    try:
        with pytest.raises(FramingError, match="the dask cluster failed"):
            score_documents(docs, tiny_model, backend="dask", scheduler=client, **quiet())
    finally:
        client.close()


def test_the_progress_count_includes_every_error(docs, tmp_path, tiny_model, monkeypatch):
    from framingclf.batch import _run

    (docs / "empty.txt").write_bytes(b"")
    manifest = tmp_path / "list.csv"
    manifest.write_text(f"file\ndocs/{SUBSET[0]}\ndocs/empty.txt\ngone.pdf\n", "utf-8")
    stream = io.StringIO()

    class Captured(Progress):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "stream": stream})

    monkeypatch.setattr(_run, "Progress", Captured)
    result = score_documents(manifest, tiny_model, progress="log")
    assert len(result.errors) == 2
    assert "2 error(s)" in stream.getvalue().splitlines()[-1]
