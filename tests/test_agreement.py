import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from framingclf import agreement
from framingclf.errors import InvalidInputError

N = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": four observers,
# twelve units, values 1-5, missing codings blank. Published: nominal 0.743, ordinal 0.815.
KRIPPENDORFF = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]).T

# Fleiss (1971) as commonly reproduced: ten subjects, fourteen raters, five categories,
# counts per category; kappa 0.210.
FLEISS = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
          [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
          [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]


def test_krippendorff_published_example():
    assert round(agreement.krippendorff_alpha(KRIPPENDORFF), 3) == 0.743
    assert round(agreement.krippendorff_alpha(KRIPPENDORFF, level="ordinal"), 3) == 0.815


def test_krippendorff_accepts_a_frame_and_ignores_a_unit_coded_once():
    frame = pd.DataFrame(KRIPPENDORFF, columns=list("ABCD"))
    assert agreement.krippendorff_alpha(frame) == agreement.krippendorff_alpha(frame.iloc[:11])


def test_ordinal_alpha_on_framings_ranks_them_from_access_to_politics():
    near = pd.DataFrame({"a": ["healthcare-access", "lifestyle", "social-determinants",
                               "structural-politics"] * 3,
                         "b": ["lifestyle", "lifestyle", "social-determinants",
                               "structural-politics"] * 3})
    far = near.assign(b=["structural-politics", "lifestyle", "social-determinants",
                         "structural-politics"] * 3)
    # the same number of disagreements, but a neighbouring one costs less
    assert agreement.krippendorff_alpha(near, "nominal") == pytest.approx(
        agreement.krippendorff_alpha(far, "nominal"))
    assert agreement.krippendorff_alpha(near, "ordinal") > agreement.krippendorff_alpha(
        far, "ordinal")


def test_ordinal_alpha_refuses_none_without_an_order():
    data = pd.DataFrame({"a": ["none", "lifestyle"], "b": ["none", "lifestyle"]})
    with pytest.raises(InvalidInputError, match="'none' has no place"):
        agreement.krippendorff_alpha(data, "ordinal")


def test_perfect_agreement_is_one_and_level_is_checked():
    data = pd.DataFrame({"a": list("xyzx"), "b": list("xyzx")})
    assert agreement.krippendorff_alpha(data) == 1.0
    assert agreement.fleiss_kappa(data) == 1.0
    with pytest.raises(InvalidInputError, match="level='interval'"):
        agreement.krippendorff_alpha(data, level="interval")


@pytest.mark.parametrize("seed", range(5))
def test_cohen_kappa_matches_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    a = rng.choice(["healthcare-access", "lifestyle", "none"], 60)
    b = np.where(rng.random(60) < 0.6, a, rng.choice(["healthcare-access", "lifestyle",
                                                     "none"], 60))
    assert agreement.cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_cohen_kappa_uses_units_both_coded():
    a = ["x", "y", None, "x"]
    b = ["x", "y", "x", np.nan]
    assert agreement.cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(["x", "y"],
                                                                          ["x", "y"]))


def test_fleiss_kappa_published_example():
    rows = [np.repeat(np.arange(5), counts) for counts in FLEISS]
    assert round(agreement.fleiss_kappa(np.array(rows, dtype=object)), 3) == 0.210


def test_gwet_ac1_two_coders_by_hand():
    # 2x2 table: both x 40, both y 30, x/y 20, y/x 10 -> pa 0.7, pi_x 0.55, pe 0.495
    a = ["x"] * 40 + ["y"] * 30 + ["x"] * 20 + ["y"] * 10
    b = ["x"] * 40 + ["y"] * 30 + ["y"] * 20 + ["x"] * 10
    pe = 2 * 0.55 * 0.45
    expected = (0.7 - pe) / (1 - pe)
    assert agreement.gwet_ac1(pd.DataFrame({"a": a, "b": b})) == pytest.approx(expected)


def test_per_label_and_confusion():
    a = ["x", "x", "y", "y", "z"]
    b = ["x", "y", "y", "y", "z"]
    table = agreement.per_label(pd.DataFrame({"a": a, "b": b})).set_index("label")
    assert table.loc["x", "specific_agreement"] == pytest.approx(2 / 3)  # 2*1 / (2+1)
    assert table.loc["z", "specific_agreement"] == 1.0
    assert table.loc["y", "codings"] == 5
    matrix = agreement.confusion(a, b, names=("ann", "bob"))
    assert matrix.loc["x", "y"] == 1 and matrix.loc["y", "y"] == 2
    assert matrix.index.name == "ann" and matrix.columns.name == "bob"


def test_bootstrap_resamples_documents():
    rng = np.random.default_rng(0)
    a = rng.choice(list("xyz"), 200)
    b = np.where(rng.random(200) < 0.7, a, rng.choice(list("xyz"), 200))
    data = pd.DataFrame({"a": a, "b": b})
    docs = np.repeat(np.arange(20), 10)
    value, low, high = agreement.bootstrap_ci(data, agreement.fleiss_kappa, docs, n_boot=200)
    assert low < value < high
    same = agreement.bootstrap_ci(data, agreement.fleiss_kappa, docs, n_boot=200)
    assert same == (value, low, high)  # seeded


def test_codings_matrix_and_model_as_coder(tiny_model):
    codings = pd.DataFrame({
        "unit_id": ["u1", "u1", "u2", "u2", "u3"],
        "coder": ["ann", "bob", "ann", "bob", "ann"],
        "label": ["lifestyle", "lifestyle", "none", "lifestyle", "none"],
    })
    matrix = agreement.codings_matrix(codings)
    assert list(matrix.columns) == ["ann", "bob"] and pd.isna(matrix.loc["u3", "bob"])
    texts = ["Smoking drives the gap.", "The minutes were approved.", "Apologies received."]
    with_model = agreement.with_model_coder(matrix, texts, tiny_model)
    assert with_model.columns[-1] == f"model:{tiny_model.fingerprint()[:12]}"
    table = agreement.summary(with_model, n_boot=50)
    assert "Cohen's kappa ann / bob" in set(table["measure"])
    with pytest.raises(InvalidInputError, match="coded unit 'u1' more than once"):
        agreement.codings_matrix(pd.concat([codings, codings.iloc[:1]]))
