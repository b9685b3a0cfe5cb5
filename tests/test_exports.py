"""Exports: every format written from a scored batch and read back with the same labels;
REFI-QDA files valid against the standard's schemas."""

import json
import zipfile

import pytest

from framingclf import score_documents
from framingclf.codings import import_codings
from framingclf.errors import InvalidInputError
from framingclf.exports import FORMATS, export
from framingclf.exports.refi import guid, source_texts

from .conftest import SHARED

etree = pytest.importorskip("lxml.etree")
SCHEMA_DIR = SHARED / "schemas" / "refi-qda"
needs_refi_schemas = pytest.mark.skipif(
    not SCHEMA_DIR.is_dir(), reason=f"REFI-QDA schemas not found at {SCHEMA_DIR}")
SUFFIX = {"qdpx": "qdpx", "qdc": "qdc", "labelstudio": "json", "doccano": "jsonl",
          "prodigy": "jsonl", "xlsx": "xlsx"}
IMPORT_AS = {"qdpx": "refi", "labelstudio": "labelstudio", "doccano": "doccano",
             "prodigy": "prodigy", "xlsx": "xlsx"}


@pytest.fixture(scope="module")
def result(tiny_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    (folder / "a.txt").write_text(
        "Report\n\nDamp homes and low pay harm the health of children in the borough, "
        "naïvely ☃ ignored.\n\nThe minutes of the last meeting were approved as a true "
        "record.\n\nSmoking and poor diet drive much of the gap in heart disease here.\n",
        "utf-8")
    (folder / "b.txt").write_text("Plan\n\nCuts to local government funding fell hardest "
                                  "on the poorest places in the county.\n", "utf-8")
    return score_documents(folder, tiny_model, progress="none")


@pytest.mark.parametrize("fmt", sorted(IMPORT_AS))
def test_export_then_import_gives_the_same_labels(fmt, result, tiny_model, tmp_path):
    path = export(result, fmt, tmp_path / f"out.{SUFFIX[fmt]}", model=tiny_model)
    table = import_codings(path, IMPORT_AS[fmt], predictions=True)
    assert table["label"].tolist() == result.labelled["label"].tolist()
    assert table["text"].tolist() == result.labelled["text"].tolist()


def test_every_format_is_exported_identically_twice(result, tiny_model, tmp_path):
    for fmt in FORMATS:
        if fmt == "xlsx":
            continue  # openpyxl stamps the workbook with the time it was written
        first = export(result, fmt, tmp_path / f"1.{SUFFIX[fmt]}", model=tiny_model)
        second = export(result, fmt, tmp_path / f"2.{SUFFIX[fmt]}", model=tiny_model)
        assert first.read_bytes() == second.read_bytes(), fmt


@needs_refi_schemas
def test_qdpx_is_valid_and_holds_the_passages_at_their_positions(result, tiny_model,
                                                                 tmp_path):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "Project-mrt2019.xsd")))
    path = export(result, "qdpx", tmp_path / "out.qdpx", model=tiny_model)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
        schema.assertValid(root)
        sources = {n: z.read(n).decode("utf-8") for n in z.namelist() if n != "project.qde"}
    fingerprint = tiny_model.fingerprint()[:12]
    (user,) = root.findall("q:Users/q:User", ns)
    assert user.get("name") == f"framingclf {fingerprint}"
    codes = {c.get("guid"): c for c in root.iterfind(".//q:CodeBook//q:Code", ns)}
    assert {c.get("name") for c in codes.values()} == set(result.passages["label"].dropna()) \
        | {"healthcare-access", "lifestyle", "social-determinants", "structural-politics",
           "none"}
    assert all(c.get("color").startswith("#") for c in codes.values())
    labelled = result.labelled.set_index("passage_id")
    seen = 0
    for source in root.iterfind(".//q:TextSource", ns):
        text = sources["sources/" + source.get("plainTextPath").removeprefix("internal://")]
        for selection in source.iterfind("q:PlainTextSelection", ns):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            row = labelled.loc[selection.get("name")]
            assert text[start:end] == row["text"]  # code points, end exclusive
            target = selection.find("q:Coding/q:CodeRef", ns).get("targetGUID")
            assert codes[target].get("name") == row["label"]
            description = selection.find("q:Description", ns).text
            assert f"confidence {row['confidence']:.3f}" in description
            assert "p. 1" in description and "cues: " in description
            assert selection.find("q:Coding", ns).get("creatingUser") == user.get("guid")
            seen += 1
    assert seen == len(result.labelled)


@needs_refi_schemas
def test_qdc_is_a_valid_codebook_sharing_the_project_guids(tmp_path, result):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "Codebook.xsd")))
    path = export(result, "qdc", tmp_path / "codes.qdc")
    root = etree.fromstring(path.read_bytes())
    schema.assertValid(root)
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert names == ["healthcare-access", "lifestyle", "social-determinants",
                     "structural-politics", "none"]
    assert root.find("{*}Codes/{*}Code").get("guid") == guid("code", "healthcare-access")


def test_source_texts_offsets_are_exact_for_any_text():
    import pandas as pd

    passages = pd.DataFrame({"doc_id": ["d", "d", "e"], "passage_id": ["1", "2", "3"],
                             "text": ["Émoji 😀 here", "next\tone", "other doc"]})
    texts, positions = source_texts(passages)
    for row in positions.itertuples():
        expected = passages.set_index("passage_id").loc[row.passage_id, "text"]
        assert texts[row.doc_id][row.start:row.end] == expected


def test_labelstudio_tasks_carry_predictions_and_a_config(result, tmp_path):
    path = export(result, "labelstudio", tmp_path / "tasks.json")
    tasks = json.loads(path.read_text("utf-8"))
    prediction = tasks[0]["predictions"][0]
    assert prediction["model_version"] == result.passages["model"][0]
    assert prediction["score"] == pytest.approx(result.labelled["confidence"].iloc[0])
    assert tasks[0]["data"]["page_start"] == 1
    config = (tmp_path / "tasks-config.xml").read_text("utf-8")
    assert '<Choices name="label" toName="text"' in config


def test_xlsx_workbook_has_three_sheets_frozen_filtered_and_a_label_to_correct(result,
                                                                              tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = export(result, "xlsx", tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["passages", "documents", "errors"]
    sheet = book["passages"]
    header = [c.value for c in sheet[1]]
    assert {"label", "predicted", "confidence"} <= set(header)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    (check,) = sheet.data_validations.dataValidation
    assert "structural-politics" in check.formula1


def test_cues_need_the_model_that_scored(result, tmp_path):
    from framingclf import FramingClassifier

    from .conftest import TINY

    other = FramingClassifier(min_df=1, calibration=None, C=1.0).fit(
        [t for t, _ in TINY], [y for _, y in TINY])
    with pytest.raises(InvalidInputError, match="not by the model given"):
        export(result, "qdpx", tmp_path / "x.qdpx", model=other)
    export(result, "qdpx", tmp_path / "x.qdpx", model=other, cues=False)  # no cues: fine
    with pytest.raises(InvalidInputError, match="format 'pdf'"):
        export(result, "pdf", tmp_path / "x.pdf")
