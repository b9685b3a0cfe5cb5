"""Importing codings: every format into one tidy table, with errors naming file and row."""

import json
import zipfile

import pandas as pd
import pytest

from framingclf.codings import CODINGS_SCHEMA, consensus, detect_format, import_codings
from framingclf.corpus import passage_key
from framingclf.errors import CorpusFormatError, InvalidInputError


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def test_csv_with_own_column_names_and_label_mapping(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"passage": ["Smoking harms.", "Damp homes.", "Minutes approved."],
                  "code": ["lifestyle", "Housing", "none"], "who": ["ann", "ann", "bob"],
                  "document": ["d1", "d1", "d2"]}).to_csv(path, index=False)
    table = import_codings(path, text_col="passage", label_col="code", coder_col="who",
                           doc_col="document", labels={"Housing": "social-determinants"})
    assert list(table.columns) == list(CODINGS_SCHEMA)
    assert table["label"].tolist() == ["lifestyle", "social-determinants", "none"]
    assert table["coder"].tolist() == ["ann", "ann", "bob"]
    assert table["doc_id"].tolist() == ["d1", "d1", "d2"]
    assert table["row"].tolist() == [2, 3, 4]  # file lines, after the header
    assert table["unit_id"][0] == passage_key("smoking  HARMS.")


def test_bad_rows_are_all_named_with_file_and_line(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"text": ["ok text", "", "fine", "also fine"],
                  "label": ["none", "none", "housing", "lifestyle"]}).to_csv(path, index=False)
    with pytest.raises(CorpusFormatError) as info:
        import_codings(path)
    message = str(info.value)
    assert message.startswith(f"{path}: line 3: empty or missing text")
    assert "line 4: unknown label 'housing'" in message and "--map" in message


def test_missing_column_says_what_was_found(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"body": ["x"], "label": ["none"]}).to_csv(path, index=False)
    with pytest.raises(CorpusFormatError, match=r"column\(s\) \['text'\] missing; found "
                                                r"\['body', 'label'\]"):
        import_codings(path)


def test_unlabelled_rows_and_dropped_codes_are_skipped_and_counted(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"text": ["a b", "c d", "e f"], "label": ["none", "", "memo"]}).to_csv(
        path, index=False)
    table = import_codings(path, labels={"memo": None})
    assert len(table) == 1 and table.attrs["skipped"] == 2


def test_mapping_to_an_unknown_label_is_refused(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"text": ["a b"], "label": ["x"]}).to_csv(path, index=False)
    with pytest.raises(InvalidInputError, match="map to unknown labels"):
        import_codings(path, labels={"x": "housing"})


def test_xlsx_reads_the_passages_sheet(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "c.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"about": ["this workbook"]}).to_excel(writer, sheet_name="notes",
                                                           index=False)
        pd.DataFrame({"text": ["Smoking harms.", "Bad"], "label": ["lifestyle", "nope"]}
                     ).to_excel(writer, sheet_name="passages", index=False)
    with pytest.raises(CorpusFormatError, match="sheet 'passages' row 3: unknown label 'nope'"):
        import_codings(path)


def test_jsonl_bad_line_is_named(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "a", "label": "none"}\nnot json\n', "utf-8")
    with pytest.raises(CorpusFormatError, match="line 2: not valid JSON"):
        import_codings(path)


def _labelstudio_task(task_id, text, *annotations, doc="d1"):
    return {"id": task_id, "data": {"text": text, "doc_id": doc}, "annotations": [
        {"completed_by": {"id": who, "email": f"{who}@example.org"}, "was_cancelled": False,
         "result": [{"from_name": "label", "to_name": "text", "type": "choices",
                     "value": {"choices": [label]}}]} for who, label in annotations]}


def test_labelstudio_keeps_several_annotators_as_coders(tmp_path):
    tasks = [_labelstudio_task(7, "Smoking harms.", (1, "lifestyle"), (2, "lifestyle")),
             _labelstudio_task(8, "Damp homes.", (1, "social-determinants"), (2, "none"))]
    tasks[1]["annotations"].append({"completed_by": 3, "was_cancelled": True, "result": []})
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks), "utf-8")
    assert detect_format(path) == "labelstudio"
    table = import_codings(path)
    assert table["coder"].tolist() == ["1@example.org", "2@example.org"] * 2
    assert table["unit_id"].tolist() == ["7", "7", "8", "8"]
    assert table.attrs["skipped"] == 1


def test_labelstudio_problems_name_the_task(tmp_path):
    task = _labelstudio_task(9, "Two choices.", (1, "none"))
    task["annotations"][0]["result"][0]["value"]["choices"] = ["none", "lifestyle"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([_labelstudio_task(1, "ok", (1, "none")), task]), "utf-8")
    with pytest.raises(CorpusFormatError, match=r"task 2 \(id 9\): 2 choices"):
        import_codings(path)
    path.write_text(json.dumps([{"id": 1, "data": {"body": "x"}}]), "utf-8")
    with pytest.raises(CorpusFormatError, match=r"no 'text' in its data \(keys \['body'\]\)"):
        import_codings(path)


def test_doccano_jsonl_and_per_user_zip(tmp_path):
    rows = [{"id": 1, "text": "Smoking harms.", "label": ["lifestyle"]},
            {"id": 2, "text": "Not yet coded.", "label": []}]
    path = _jsonl(tmp_path / "doccano.jsonl", rows)
    assert detect_format(path) == "doccano"
    table = import_codings(path)
    assert table["label"].tolist() == ["lifestyle"] and table.attrs["skipped"] == 1
    archive = tmp_path / "project.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ann.jsonl", json.dumps(rows[0]) + "\n")
        z.writestr("bob.jsonl", json.dumps({**rows[0], "label": ["none"]}) + "\n")
    table = import_codings(archive)
    assert table["coder"].tolist() == ["ann", "bob"]
    assert table["unit_id"].tolist() == ["1", "1"]
    _jsonl(path, [{"text": "x", "label": ["none", "lifestyle"]}])
    with pytest.raises(CorpusFormatError, match="line 1: 2 labels"):
        import_codings(path)


def test_prodigy_choice_and_binary_answers(tmp_path):
    rows = [
        {"text": "Smoking harms.", "accept": ["lifestyle"], "answer": "accept",
         "_annotator_id": "ds-ann", "_input_hash": 11},
        {"text": "Damp homes.", "label": "social-determinants", "answer": "accept",
         "_annotator_id": "ds-ann", "meta": {"doc_id": "d2"}},
        {"text": "Cuts.", "label": "lifestyle", "answer": "reject"},
        {"text": "Skip me.", "accept": ["none"], "answer": "ignore"},
    ]
    path = _jsonl(tmp_path / "prodigy.jsonl", rows)
    assert detect_format(path) == "prodigy"
    table = import_codings(path)
    assert table["label"].tolist() == ["lifestyle", "social-determinants"]
    assert table["unit_id"][0] == "11" and table["doc_id"][1] == "d2"
    assert table.attrs["skipped"] == 2
    _jsonl(path, [{"text": "x", "answer": "maybe", "accept": ["none"]}])
    with pytest.raises(CorpusFormatError, match="line 1: answer 'maybe'"):
        import_codings(path)


QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
 <Users><User guid="11111111-1111-4111-8111-111111111111" name="Ann"/></Users>
 <CodeBook><Codes>
  <Code guid="22222222-2222-4222-8222-222222222222" name="Access" isCodable="true"/>
  <Code guid="33333333-3333-4333-8333-333333333333" name="Memo" isCodable="true">
   <Code guid="44444444-4444-4444-8444-444444444444" name="none" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Sources><TextSource guid="55555555-5555-4555-8555-555555555555" name="Board paper"
   plainTextPath="internal://55555555-5555-4555-8555-555555555555.txt">
  <PlainTextSelection guid="66666666-6666-4666-8666-666666666666" startPosition="0"
    endPosition="10" creatingUser="11111111-1111-4111-8111-111111111111">
   <Coding guid="77777777-7777-4777-8777-777777777777">
    <CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="88888888-8888-4888-8888-888888888888" startPosition="12"
    endPosition="20">
   <Coding guid="99999999-9999-4999-8999-999999999999"
     creatingUser="11111111-1111-4111-8111-111111111111">
    <CodeRef targetGUID="44444444-4444-4444-8444-444444444444"/></Coding>
   <Coding guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa">
    <CodeRef targetGUID="33333333-3333-4333-8333-333333333333"/></Coding>
  </PlainTextSelection>
 </TextSource></Sources>
</Project>
"""
SOURCE = "Ünïcode ☃x\n\nminutes."


def _qdpx(path, qde=QDE, text=SOURCE):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
        z.writestr("sources/55555555-5555-4555-8555-555555555555.txt", text.encode("utf-8"))
    return path


def test_refi_qdpx_with_code_mapping(tmp_path):
    path = _qdpx(tmp_path / "p.qdpx")
    table = import_codings(path, labels={"Access": "healthcare-access", "Memo": None})
    assert table["label"].tolist() == ["healthcare-access", "none"]
    assert table["text"].tolist() == [SOURCE[0:10], SOURCE[12:20]]  # code points, end excl.
    assert table["text"][0] == "Ünïcode ☃x"
    assert table["coder"].tolist() == ["Ann", "Ann"]
    assert table["doc_id"].tolist() == ["Board paper"] * 2
    assert table.attrs["skipped"] == 1


def test_refi_reads_the_text_representation_of_a_pdf_source(tmp_path):
    pdf = QDE.replace('<TextSource guid="55555555-5555-4555-8555-555555555555" name="Board paper"',
                      '<PDFSource guid="bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb" name="Board paper">'
                      '<Representation guid="55555555-5555-4555-8555-555555555555"'
                      ).replace("</TextSource>", "</Representation></PDFSource>")
    path = _qdpx(tmp_path / "p.qdpx", pdf)
    table = import_codings(path, labels={"Access": "healthcare-access", "Memo": None})
    assert table["doc_id"].tolist() == ["Board paper"] * 2
    assert table["text"][0] == SOURCE[0:10]


def test_refi_unmapped_codes_are_listed(tmp_path):
    path = _qdpx(tmp_path / "p.qdpx")
    with pytest.raises(CorpusFormatError, match=r"codes \['Access', 'Memo'\] are not "
                                                "framingclf labels"):
        import_codings(path)


def test_refi_bad_positions_and_missing_source(tmp_path):
    path = _qdpx(tmp_path / "p.qdpx", QDE.replace('endPosition="20"', 'endPosition="99"'))
    with pytest.raises(CorpusFormatError, match=r"coding 2 \(source 'Board paper', 12-99\): "
                                                "positions outside the text"):
        import_codings(path, labels={"Access": "healthcare-access", "Memo": None})
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", QDE)
    with pytest.raises(CorpusFormatError, match="is missing from the project"):
        import_codings(path, labels={"Access": "healthcare-access", "Memo": None})


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(CorpusFormatError, match="no such file"):
        import_codings(tmp_path / "absent.csv")
    odd = tmp_path / "codes.txt"
    odd.write_text("x")
    with pytest.raises(CorpusFormatError, match="cannot tell the format"):
        import_codings(odd)


def test_consensus_takes_the_majority_and_prefers_on_ties():
    codings = pd.DataFrame({
        "text": ["a"] * 3 + ["b"] * 2, "unit_id": ["u1"] * 3 + ["u2"] * 2,
        "coder": ["ann", "bob", "cat", "ann", "bob"],
        "label": ["lifestyle", "lifestyle", "none", "none", "lifestyle"],
        "doc_id": "d", "source": "s", "row": 1})
    table = consensus(codings)
    assert table["label"].tolist() == ["lifestyle"] and table.attrs["ties_dropped"] == 1
    assert table["agreement"].iloc[0] == pytest.approx(2 / 3)
    assert consensus(codings, prefer="bob")["label"].tolist() == ["lifestyle", "lifestyle"]
