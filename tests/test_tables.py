"""The result tables: one schema, types kept through every format, replaced as a set."""

import json

import pandas as pd
import pytest

from framingclf.errors import InvalidInputError
from framingclf.tables import (
    PASSAGE_SCHEMA,
    ScoreResult,
    empty,
    load_results,
    recover,
    typed,
)


def small_result() -> ScoreResult:
    passages = pd.DataFrame({
        "doc_id": ["1e50000000000001", "1e50000000000001"], "passage_id": ["p-0", "p-1"],
        "path": ["a.pdf", "a.pdf"], "text": ["Damp homes harm children.", "Contents"],
        "kind": ["prose", "heading"], "label": ["social-determinants", None],
        "confidence": [0.9, None], "page_start": [1, 1], "year": [2020, 2020],
        "deficit_terms": [["deprived"], []], "review": [False, False]})
    documents = pd.DataFrame({"doc_id": ["1e50000000000001"], "path": ["a.pdf"],
                              "title": ["A"], "duplicate_paths": [["b.pdf"]]})
    errors = pd.DataFrame([{"path": "c.pdf", "stage": "read", "error": "DocumentReadError",
                            "message": "c.pdf: empty"}])
    return ScoreResult(passages, documents, errors)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_every_format_round_trips_with_types(tmp_path, fmt):
    result = small_result()
    result.save(tmp_path, fmt)
    loaded = load_results(tmp_path)
    for name in ("passages", "documents", "errors"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(result, name))
    assert loaded.passages["doc_id"].iloc[0] == "1e50000000000001"  # not a float
    assert loaded.passages["deficit_terms"].iloc[0] == ["deprived"]
    assert list(loaded.labelled["passage_id"]) == ["p-0"]


def test_lists_in_csv_are_json(tmp_path):
    small_result().save(tmp_path, "csv")
    first = pd.read_csv(tmp_path / "passages.csv", dtype=str)["deficit_terms"].iloc[0]
    assert json.loads(first) == ["deprived"]


def test_typed_orders_columns_and_keeps_extra_ones():
    frame = typed(pd.DataFrame({"committee": ["x"], "text": ["t"], "year": ["2019"]}),
                  PASSAGE_SCHEMA)
    assert list(frame.columns) == [*PASSAGE_SCHEMA, "committee"]
    assert frame["year"].dtype == "Int64" and frame["year"].iloc[0] == 2019
    assert list(empty("errors").columns) == ["path", "stage", "error", "message"]


def test_a_replacement_cut_short_is_finished_or_dropped(tmp_path):
    """After a kill between the moves, passages and documents of two runs never sit
    side by side: a committed set is moved in, an uncommitted one dropped."""
    old = small_result()
    old.save(tmp_path, "csv")
    new = small_result()
    new.documents["title"] = ["New title"]
    staging = tmp_path / ".tables-staging"
    new.save(tmp_path / "elsewhere", "csv")
    staging.mkdir()
    for name in ("passages", "documents", "errors"):
        (staging / f"{name}.csv").write_bytes((tmp_path / "elsewhere" / f"{name}.csv")
                                              .read_bytes())
    (staging / "passages.csv").replace(tmp_path / "passages.csv")  # one move done, then kill
    recover(tmp_path)  # not committed: the half-moved set stays as it was found
    assert not staging.exists()
    staging.mkdir()
    for name in ("documents", "errors"):
        (staging / f"{name}.csv").write_bytes((tmp_path / "elsewhere" / f"{name}.csv")
                                              .read_bytes())
    (staging / "COMMITTED").write_text("csv")
    assert load_results(tmp_path).documents["title"].tolist() == ["New title"]
    assert not staging.exists()


def test_save_leaves_no_temporary_files(tmp_path):
    small_result().save(tmp_path, "parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "documents.parquet", "errors.parquet", "passages.parquet"]


def test_a_folder_without_tables_says_what_to_pass(tmp_path):
    with pytest.raises(InvalidInputError, match="no passages table"):
        load_results(tmp_path)
