"""Finding what to score: folders, manifests, metadata, and entries that are not documents."""

import pytest

from framingclf.inputs import ManifestError, find_inputs, normalise_metadata, source_metadata
from framingclf.readers import read_document

# --- metadata from manifests and folder names ------------------------------------------------

def test_metadata_from_folder_names(tmp_path):
    folder = tmp_path / "organisation=Kelbeck Council" / "2016-07"
    folder.mkdir(parents=True)
    path = folder / "minutes.txt"
    path.write_text("Minutes\n\nThe committee met and discussed the damp housing report.\n")
    assert source_metadata(path) == {"organisation": "Kelbeck Council", "date": "2016-07"}
    assert read_document(path).metadata["organisation"] == "Kelbeck Council"


def test_manifest_gives_title_date_organisation(tmp_path):
    (tmp_path / "papers").mkdir()
    path = tmp_path / "papers" / "board.txt"
    path.write_text("Board\n\nThe Board is asked to note the report on waiting lists.\n")
    (tmp_path / "manifest.csv").write_text(
        "file,title,date,organization,type\n"
        "papers/board.txt,Board papers March,2023-03-30,Brackenford Trust,board papers\n"
        "other.txt,Other,2020,Elsewhere,\n", "utf-8")
    doc = read_document(path)
    assert doc.title == "Board papers March"
    assert doc.metadata == {"date": "2023-03-30", "organisation": "Brackenford Trust",
                            "doc_type": "board papers"}


def test_manifest_without_file_column_is_a_clear_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Some text about housing and health in the borough.\n")
    (tmp_path / "manifest.csv").write_text("name,title\na.txt,A\n")
    with pytest.raises(ManifestError, match=r"manifest.csv: no 'file' column"):
        read_document(path)


def test_find_inputs_sorts_and_accounts_for_everything(tmp_path):
    (tmp_path / "b.txt").write_text("Second document about waiting lists in the east.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("# A\n\nFirst document about damp homes.\n")
    (tmp_path / ".hidden.txt").write_text("never listed")
    (tmp_path / "notes.xlsx").write_bytes(b"PK")
    found = find_inputs(tmp_path)
    assert [i.path.name for i in found.inputs] == ["b.txt", "a.md"]
    assert [(e["path"], e["error"]) for e in found.errors] == [
        (str(tmp_path / "notes.xlsx"), "UnsupportedFormat")]


def test_metadata_is_normalised():
    assert normalise_metadata({"type": "minutes", "date": "2019-04-01"}) == {
        "doc_type": "minutes", "date": "2019-04-01", "year": 2019}
    assert normalise_metadata({"year": "n/a"}) == {}
