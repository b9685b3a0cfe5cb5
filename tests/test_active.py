"""What to code next: uncertain, diverse, capped per document, predictions pre-filled."""

import json
import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from typer.testing import CliRunner

from framingclf import active
from framingclf.cli import app
from framingclf.codings import import_codings
from framingclf.errors import InvalidInputError

from .conftest import TINY

runner = CliRunner()


def test_margin_is_the_gap_between_the_top_two():
    proba = np.array([[0.5, 0.4, 0.1], [0.9, 0.05, 0.05]])
    assert active.margins(proba) == pytest.approx([0.1, 0.85])


def test_select_prefers_uncertain_rows_and_caps_documents():
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(5), size=200)
    features = sp.csr_matrix(rng.random((200, 30)))
    docs = np.repeat(np.arange(20), 10)
    picks = active.select(proba, features, docs, n=20, per_document=2)
    assert len(picks) == 20 and picks["index"].is_unique
    assert pd.Series(docs[picks["index"]]).value_counts().max() <= 2
    margin = active.margins(proba)
    # every pick is among the POOL_FACTOR * n least certain
    assert margin[picks["index"]].max() <= np.sort(margin)[active.POOL_FACTOR * 20 - 1]
    plain = active.select(proba, features, None, n=20, diversity=False, per_document=None)
    assert list(plain["index"]) == list(np.argsort(margin, kind="stable")[:20])


def test_select_spreads_over_clusters():
    # two tight groups of near-identical rows; the five most uncertain are all in group a
    a = np.tile([1.0, 0.0, 0.0], (5, 1)) + 1e-3 * np.arange(5)[:, None]
    b = np.tile([0.0, 1.0, 0.0], (50, 1)) + 1e-3 * np.arange(50)[:, None]
    features = sp.csr_matrix(np.vstack([a, b]))
    certainty = np.concatenate([np.linspace(0, 0.04, 5), np.linspace(0.05, 0.9, 50)])
    proba = np.column_stack([0.5 + certainty / 2, 0.5 - certainty / 2])
    diverse = active.select(proba, features, n=2, per_document=None)
    assert sorted(diverse["index"] >= 5) == [False, True]  # one from each group
    narrow = active.select(proba, features, n=2, per_document=None, diversity=False)
    assert (narrow["index"] < 5).all()


def test_queue_prefills_the_model_label_and_excludes_coded(tiny_model):
    pool = pd.DataFrame({"text": [t for t, _ in TINY] + ["   "],
                         "doc_id": [f"d{i % 3}" for i in range(len(TINY) + 1)]})
    picks = active.queue(pool, tiny_model, n=6, per_document=2,
                         exclude=[TINY[0][0].upper()])
    assert len(picks) == 6 and picks["doc_id"].value_counts().max() <= 2
    assert TINY[0][0] not in set(picks["text"])
    assert (picks["label"] == tiny_model.predict(picks["text"].tolist())).all()
    assert list(picks["rank"]) == list(range(1, 7))
    assert (picks["model"] == tiny_model.fingerprint()[:12]).all()


def test_stability_and_stopping(tiny_model):
    texts = [t for t, _ in TINY]
    assert active.stability(tiny_model, tiny_model, texts) == 1.0
    assert active.should_stop([0.9, 0.995, 0.991, 0.999])
    assert not active.should_stop([0.995, 0.98, 0.999])
    assert not active.should_stop([0.999, 0.999])


def test_queue_says_when_the_cap_leaves_too_few(tiny_model):
    pool = pd.DataFrame({"text": [t for t, _ in TINY], "doc_id": ["a"] * 8 + ["b"] * 7})
    with pytest.warns(UserWarning, match="only 4 of the 10 passages"):
        picks = active.queue(pool, tiny_model, n=10, per_document=2)
    assert len(picks) == 4


def test_queue_refuses_an_empty_pool(tiny_model):
    with pytest.raises(InvalidInputError, match="no uncoded passages"):
        active.queue(["  "], tiny_model)


@pytest.mark.parametrize("to,suffix,fmt", [("labelstudio", "json", "labelstudio"),
                                           ("prodigy", "jsonl", "prodigy"),
                                           ("doccano", "jsonl", "doccano"),
                                           ("xlsx", "xlsx", "xlsx")])
def test_cli_queue_writes_tasks_a_tool_reads(to, suffix, fmt, tmp_path, tiny_model_dir):
    pool = tmp_path / "pool.jsonl"
    pool.write_text("".join(json.dumps({"text": t, "doc_id": f"d{i % 4}"}) + "\n"
                            for i, (t, _) in enumerate(TINY)), "utf-8")
    out = tmp_path / f"next.{suffix}"
    result = runner.invoke(app, ["queue", str(pool), "-n", "5", "--to", to, "-o", str(out),
                                 "--model", str(tiny_model_dir), "--previous-model",
                                 str(tiny_model_dir)])
    assert result.exit_code == 0, result.output
    said = re.search(r"Chose 5 passages from (\d) document\(s\)", result.output)
    assert said, result.output
    assert "kappa 1.000" in result.output
    table = import_codings(out, fmt, predictions=True)
    assert len(table) == 5 and set(table["label"]) <= {y for _, y in TINY}
    assert table["doc_id"].nunique() == int(said.group(1))


def test_cli_queue_bad_format_is_one_line(tmp_path, tiny_model_dir):
    result = runner.invoke(app, ["queue", str(tmp_path), "--to", "pdf", "-o",
                                 str(tmp_path / "x")])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: --to 'pdf'")
