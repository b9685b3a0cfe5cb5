import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framingclf import LABELS, score_texts
from framingclf.errors import InvalidInputError
from framingclf.scoring import PROBA_COLUMNS

FIXTURE_OK = [HealthCheck.function_scoped_fixture]
SAMPLE = ["Smoking rates remain high", "Benefit cuts deepened poverty", "",
          "Apologies were received", "GP waiting times are longest in deprived areas"]


def test_score_table_shape(tiny_model):
    table = score_texts(SAMPLE, tiny_model)
    assert list(table.columns) == ["text", "label", "confidence", *PROBA_COLUMNS, "position",
                                   "review", "flag"]
    assert len(table) == len(SAMPLE)
    assert table["text"].tolist() == SAMPLE
    assert set(table["label"]) <= set(LABELS)
    filled = table[table["flag"].isna()]
    np.testing.assert_allclose(filled[list(PROBA_COLUMNS)].sum(axis=1), 1.0)
    np.testing.assert_allclose(filled["confidence"], filled[list(PROBA_COLUMNS)].max(axis=1))


def test_empty_text_is_flagged_none(tiny_model):
    table = score_texts(["   ", "Poverty harms health"], tiny_model)
    first = table.iloc[0]
    assert first["label"] == "none" and first["confidence"] == 0.0 and first["flag"] == "empty"
    assert pd.isna(first["position"])
    assert pd.isna(table.iloc[1]["flag"])


def test_position_follows_continuum(tiny_model):
    table = score_texts(SAMPLE, tiny_model)
    for label, position in zip(table["label"], table["position"]):
        if label == "none":
            assert pd.isna(position)
        else:
            assert position == LABELS.index(label)


def test_bare_string_and_non_strings(tiny_model):
    with pytest.raises(InvalidInputError, match="wrap it in a list"):
        score_texts("a passage", tiny_model)
    with pytest.raises(InvalidInputError, match=r"texts\[0\]: expected str, got int"):
        score_texts([3], tiny_model)


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURE_OK)
@given(st.permutations(SAMPLE))
def test_batch_order_changes_no_score(tiny_model, order):
    base = score_texts(SAMPLE, tiny_model).set_index("text")
    shuffled = score_texts(list(order), tiny_model).set_index("text")
    pd.testing.assert_frame_equal(base.loc[SAMPLE], shuffled.loc[SAMPLE])


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(st.lists(st.text(), min_size=1, max_size=4))
def test_any_unicode_scores_cleanly(tiny_model, texts):
    table = score_texts(texts, tiny_model)
    assert len(table) == len(texts)
    assert table["confidence"].between(0, 1).all()


def test_a_series_keeps_its_index(tiny_model):
    texts = pd.Series(["Damp homes harm children", "Apologies were received"], index=[10, 3])
    table = score_texts(texts, tiny_model)
    assert table.index.tolist() == [10, 3]
    assert table["text"].tolist() == texts.tolist()


def test_a_dict_is_refused_rather_than_its_keys_scored(tiny_model):
    with pytest.raises(InvalidInputError, match=r"got a dict \(its keys would be scored\)"):
        score_texts({"a": "Damp homes harm children"}, tiny_model)


def test_a_model_directory_is_accepted(tiny_model, tiny_model_dir):
    by_path = score_texts(["Damp homes harm children"], str(tiny_model_dir))
    by_object = score_texts(["Damp homes harm children"], tiny_model)
    pd.testing.assert_frame_equal(by_path, by_object)


def test_score_document_gives_the_batch_tables(tiny_model, tmp_path):
    from framingclf import score_document, score_documents

    path = tmp_path / "paper.md"
    path.write_text("# Housing\n\nDamp and overcrowded homes make children ill in the east "
                    "of the borough.\n\n# Minutes\n\nApologies were received from the Director "
                    "of Estates and the minutes were approved.\n", "utf-8")
    one = score_document(path, tiny_model)
    batch = score_documents([path], tiny_model, progress="none")
    pd.testing.assert_frame_equal(one.passages, batch.passages)
    pd.testing.assert_frame_equal(one.documents, batch.documents)
    assert one.passages["section"].tolist()[0] == "Housing"
