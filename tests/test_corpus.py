import json

import pytest

from framingclf.corpus import read_corpus, read_eval_set
from framingclf.errors import CorpusFormatError

ROWS = [
    {"id": "a1", "text": "Damp homes harm children", "label": "social-determinants",
     "labels": ["social-determinants"], "doc_id": "a"},
    {"id": "a2", "text": "The minutes were approved", "label": "none", "labels": ["none"],
     "doc_id": "a"},
    {"id": "b1", "text": "Cuts widened the gap", "label": "structural-politics",
     "labels": ["structural-politics", "social-determinants"], "doc_id": "b"},
]


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_reads_jsonl(tmp_path):
    frame = read_corpus(write(tmp_path / "c.jsonl", ROWS))
    assert frame["label"].tolist() == ["social-determinants", "none", "structural-politics"]
    assert "_line" not in frame


def test_reads_csv_with_renamed_columns(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("body,code,labels\nPoverty harms,social-determinants,social-determinants|"
                    "structural-politics\n", encoding="utf-8")
    frame = read_corpus(path, text_column="body", label_column="code")
    assert frame.loc[0, "labels"] == ["social-determinants", "structural-politics"]


@pytest.mark.parametrize(("change", "message"), [
    ({"label": "politics"}, "line 2: unknown label 'politics'"),
    ({"text": "  "}, "line 2: empty or missing text"),
    ({"id": "a1"}, "line 2: duplicate id 'a1' (first on line 1)"),
    ({"labels": ["lifestyle"]}, "line 2: primary label 'none' is not in labels"),
])
def test_bad_rows_are_named(tmp_path, change, message):
    rows = [dict(r) for r in ROWS]
    rows[1].update(change)
    with pytest.raises(CorpusFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_corpus(write(tmp_path / "c.jsonl", rows))


def test_missing_columns_and_bad_json(tmp_path):
    with pytest.raises(CorpusFormatError, match=r"column\(s\) \['label'\] missing; found"):
        read_corpus(write(tmp_path / "c.jsonl", [{"text": "x"}]))
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "label": "none"}\n{oops\n')
    with pytest.raises(CorpusFormatError, match="line 2: not valid JSON"):
        read_corpus(path)
    with pytest.raises(CorpusFormatError, match=r"unsupported corpus format '\.xml'"):
        (tmp_path / "c.xml").write_text("<x/>")
        read_corpus(tmp_path / "c.xml")


def test_an_eval_set_folder_joins_items_and_gold_on_id(tmp_path):
    write(tmp_path / "items.jsonl", [{"id": "x1", "doc": "a.pdf", "text": "Damp homes"},
                                     {"id": "x2", "doc": "b.pdf", "text": "Minutes agreed"}])
    write(tmp_path / "gold.jsonl", [{"id": "x2", "label": "none"},
                                    {"id": "x1", "label": "social-determinants"}])
    frame = read_eval_set(tmp_path).set_index("id")
    assert frame.loc["x1", "label"] == "social-determinants"
    assert frame.loc["x2", "doc_id"] == "b.pdf" and len(frame) == 2


def test_an_eval_set_folder_names_what_is_wrong(tmp_path):
    write(tmp_path / "items.jsonl", [{"id": "x1", "text": "Damp homes"}])
    with pytest.raises(CorpusFormatError, match=r"no gold\.jsonl"):
        read_eval_set(tmp_path)
    write(tmp_path / "gold.jsonl", [{"id": "x1", "label": "damp"}])
    with pytest.raises(CorpusFormatError, match=r"gold\.jsonl.*damp"):
        read_eval_set(tmp_path)
    write(tmp_path / "gold.jsonl", [{"id": "zz", "label": "none"}])
    with pytest.raises(CorpusFormatError, match=r"no id of items\.jsonl"):
        read_eval_set(tmp_path)
