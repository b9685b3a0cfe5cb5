import numpy as np
import pandas as pd
import pytest

from framingclf.errors import InvalidInputError
from framingclf.lexicon import DeficitLexicon
from framingclf.profiles import compare, profile, upstream_interval

PASSAGES = pd.DataFrame({
    "doc_id": ["a", "a", "a", "a", "b", "b", "b", "b"],
    "org": ["x", "x", "x", "x", "y", "y", "y", "y"],
    "label": ["healthcare-access", "lifestyle", "none", "structural-politics",
              "social-determinants", "none", "none", "healthcare-access"],
    "text": ["the most deprived wards", "vulnerable people smoke", "minutes", "cuts",
             "damp homes", "people at risk", "apologies", "GP access"],
})


def test_profile_numbers_by_hand():
    with pytest.warns(UserWarning, match="fewer than 20 framing passages"):
        table = profile(PASSAGES, "org").set_index("org")
    x = table.loc["x"]
    assert (x["n_passages"], x["n_framing"], x["n_documents"]) == (4, 3, 1)
    assert x["share_none"] == 0.25
    assert x["share_healthcare-access"] == pytest.approx(1 / 3)
    assert x["share_social-determinants"] == 0.0
    assert x["upstream_index"] == pytest.approx((0 + 1 + 3) / 3)  # positions 0, 1, 3
    assert x["n_deficit_terms"] == 2 and x["deficit_rate"] == 0.5
    y = table.loc["y"]
    assert y["upstream_index"] == pytest.approx((2 + 0) / 2)
    assert y["deficit_rate"] == 0.25 and bool(y["few_passages"])


def test_interval_contains_estimate_and_resamples_documents():
    units = [np.array([0, 0, 1]), np.array([3, 3]), np.array([2, 2, 2, 1])]
    estimate, low, high = upstream_interval(units, n_boot=2000, seed=1)
    assert estimate == pytest.approx(14 / 9)
    assert low <= estimate <= high and low < high
    assert all(np.isnan(v) for v in upstream_interval([], 10))


def test_compare_reports_difference_from_all():
    with pytest.warns(UserWarning):
        table = compare(PASSAGES, "org")
    overall = (0 + 1 + 3 + 2 + 0) / 5
    np.testing.assert_allclose(table["upstream_vs_all"], table["upstream_index"] - overall)


def test_bad_input_is_named():
    with pytest.raises(InvalidInputError, match=r"column\(s\) \['year'\] not in the table"):
        profile(PASSAGES, "year")
    mixed = PASSAGES.assign(model=["m1"] * 4 + ["m2"] * 4)
    with pytest.raises(InvalidInputError, match="scored by 2 different models"):
        profile(mixed)


def test_lexicon_longest_match_and_variants():
    lexicon = DeficitLexicon()
    found = lexicon.find("The most deprived, hard-to-reach and at risk groups; Vulnerable people")
    assert found == ["most deprived", "hard to reach", "at risk groups", "vulnerable people"]
    assert lexicon.find("Deprivation and vulnerability are processes") == []
    assert DeficitLexicon(["left behind"]).find("towns left-behind by policy") == ["left behind"]
    assert DeficitLexicon([]).find("vulnerable") == []


def test_groups_of_few_documents_are_flagged():
    three_docs = PASSAGES.assign(doc_id=["a", "a", "b", "b", "c", "c", "c", "c"])
    with pytest.warns(UserWarning, match="span only 2 to 4 documents"):
        table = profile(three_docs)
    assert bool(table.loc[0, "few_documents"])
