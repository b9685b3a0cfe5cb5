import numpy as np
import pandas as pd
import pytest

from framingclf.errors import InvalidInputError
from framingclf.lexicon import DeficitLexicon
from framingclf.profiles import (
    MIN_DOCUMENTS,
    compare,
    framing_interval,
    profile,
    summarise,
    upstream_interval,
)

PASSAGES = pd.DataFrame({
    "doc_id": ["a", "a", "a", "a", "b", "b", "b", "b"],
    "org": ["x", "x", "x", "x", "y", "y", "y", "y"],
    "label": ["healthcare-access", "lifestyle", "none", "structural-politics",
              "social-determinants", "none", "none", "healthcare-access"],
    "text": ["the most deprived wards", "vulnerable people smoke", "minutes", "cuts",
             "damp homes", "people at risk", "apologies", "GP access"],
})


def test_profile_numbers_by_hand():
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
    assert "2 framing passages (fewer than 20)" in y["caution"]
    assert y["caution"].startswith("1 document: the interval resamples its passages")


def test_interval_contains_estimate_and_resamples_documents():
    units = [np.array([0, 0, 1]), np.array([3, 3]), np.array([2, 2, 2, 1])]
    estimate, low, high = upstream_interval(units, n_boot=2000, seed=1)
    assert estimate == pytest.approx(14 / 9)
    assert low <= estimate <= high and low < high
    assert all(np.isnan(v) for v in upstream_interval([], 10))


def test_compare_reports_difference_from_all():
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
    table = profile(three_docs)
    assert bool(table.loc[0, "few_documents"])
    assert f"3 documents (fewer than {MIN_DOCUMENTS})" in table.loc[0, "caution"]
    assert table.attrs == {"n_passages": 8, "n_documents": 3}


def test_share_intervals_resample_documents_and_contain_the_estimates():
    counts = np.array([[5, 0, 1, 0], [0, 4, 2, 1], [2, 2, 2, 2], [1, 0, 6, 3]])
    estimate, low, high = framing_interval(counts, n_boot=500, seed=0)
    totals = counts.sum(axis=0)
    np.testing.assert_allclose(estimate[:4], totals / totals.sum())
    assert np.all(low <= estimate + 1e-12) and np.all(estimate <= high + 1e-12)
    again = framing_interval(counts, n_boot=500, seed=0)
    np.testing.assert_array_equal(again[1], low)  # seeded
    table = profile(PASSAGES.assign(doc_id=["a", "b"] * 4))
    for label in ("healthcare-access", "structural-politics"):
        row = table.iloc[0]
        assert row[f"share_{label}_low"] <= row[f"share_{label}"] <= row[f"share_{label}_high"]


def test_one_document_resamples_its_passages_and_summarise_keeps_its_keys():
    one = PASSAGES[PASSAGES["doc_id"] == "a"]
    row = summarise(one)
    assert list(row) == ["n_passages", "n_labelled", "n_framing", "share_none",
                         "share_healthcare-access", "share_lifestyle",
                         "share_social-determinants", "share_structural-politics",
                         "upstream_index", "upstream_low", "upstream_high", "deficit_rate",
                         "n_deficit_terms", "unfinished_rate", "few_passages"]
    assert row["upstream_low"] < row["upstream_index"] < row["upstream_high"]
    unlabelled = one.assign(label=[None, "lifestyle", None, None])
    assert np.isnan(summarise(unlabelled)["upstream_low"])  # one passage: no interval


def test_profiles_by_document_carry_titles():
    titled = PASSAGES.assign(title=["Board papers"] * 4 + [None] * 4,
                             path=["x/a.pdf"] * 4 + ["y/b.pdf"] * 4)
    table = profile(titled, "doc_id")
    assert table["title"].tolist() == ["Board papers", "b.pdf"]
    assert not table["caution"].str.contains("1 document").any()  # documents are units


def test_unfinished_passages_are_counted_and_a_document_full_of_them_is_cautioned():
    finished = ["People in the east wait longer for a GP.", "Damp homes make children ill.",
                "The board will:\nopen clinics in the east\noffer interpreters"]
    unfinished = ["Increase uptake SO3", "The board will:\nopen clinics in the east and"]
    frame = pd.DataFrame({"doc_id": ["a"] * 3 + ["b"] * 3,
                          "label": ["healthcare-access", "social-determinants",
                                    "healthcare-access"] * 2,
                          "kind": ["prose", "prose", "list"] * 2,
                          "text": [*finished, finished[0], *unfinished]})
    table = profile(frame, "doc_id").set_index("doc_id")
    assert table.loc["a", "unfinished_rate"] == 0.0
    assert table.loc["b", "unfinished_rate"] == pytest.approx(2 / 3)
    assert "stop mid-sentence" not in table.loc["a", "caution"]
    assert "67% of its labelled passages stop mid-sentence" in table.loc["b", "caution"]
    assert np.isnan(summarise(frame.drop(columns="text"))["unfinished_rate"])
