"""Shares and set-level relabelling (`framingclf.quantify`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framingclf.errors import InvalidInputError
from framingclf.labels import LABELS
from framingclf.quantify import (
    adjust_probabilities,
    adjust_to_set,
    estimate_shares,
    train_prior,
)
from framingclf.scoring import label_columns
from framingclf.tables import PROBA_COLUMNS

ACCESS, POLITICS = LABELS.index("healthcare-access"), LABELS.index("structural-politics")


def _table(proba: np.ndarray, model) -> pd.DataFrame:
    """A passages table as scoring writes it, for rows of probabilities."""
    frame = pd.DataFrame({"text": [f"passage {i}" for i in range(len(proba))],
                          "kind": "prose", **label_columns(proba)})
    frame["model"] = model.fingerprint()[:12]
    return frame


def _row(access: float, politics: float) -> list[float]:
    row = [0.0] * len(LABELS)
    rest = (1.0 - access - politics) / (len(LABELS) - 2)
    for k in range(len(LABELS)):
        row[k] = access if k == ACCESS else politics if k == POLITICS else rest
    return row


def test_em_finds_the_mix_of_a_set_and_counts_are_exact():
    # 80 passages the model puts at 0.9 access, 20 at 0.9 politics: the set is mostly access
    proba = np.array([_row(0.9, 0.025)] * 80 + [_row(0.025, 0.9)] * 20)
    em = estimate_shares(proba, "em")
    assert em[ACCESS] > 0.75 and em[POLITICS] < 0.25
    assert estimate_shares(proba, "cc")[ACCESS] == pytest.approx(0.8)
    assert estimate_shares(proba, "pcc").sum() == pytest.approx(1.0)


def test_adjust_to_set_tips_borderline_passages_towards_the_sets_mix(tiny_model):
    base = train_prior(tiny_model)
    # a set of clear access passages, and one the model finds a close call for politics
    proba = np.array([_row(0.92, 0.02)] * 120 + [_row(0.40, 0.45)])
    passages = _table(proba, tiny_model)
    assert passages["label"].iloc[-1] == "structural-politics"
    adjusted = adjust_to_set(passages, tiny_model)
    assert adjusted["label"].iloc[-1] == "healthcare-access"
    shares = adjusted.attrs["set_shares"]
    assert shares["healthcare-access"] > 0.9 and set(shares) == set(LABELS)
    # the row's new probabilities are Bayes' rule from the training mix to the set's
    expected = adjust_probabilities(proba[-1:], np.array([shares[label] for label in LABELS]),
                                    base)
    got = adjusted[list(PROBA_COLUMNS)].iloc[-1].to_numpy(float)
    np.testing.assert_allclose(got, expected[0], atol=1e-3)
    assert adjusted["confidence"].iloc[-1] == pytest.approx(got.max())
    assert adjusted["position"].iloc[-1] == 0
    assert not passages.equals(adjusted)  # the input is not changed in place
    # review follows the new confidence; None turns it off, as in score_texts
    assert adjusted["review"].tolist() == (adjusted["confidence"] < 0.5).tolist()
    top = float(adjusted["confidence"].max())
    strict = adjust_to_set(passages, tiny_model, review_below=top)["review"]
    assert strict.any() and strict.tolist() == (adjusted["confidence"] < top).tolist()
    assert not adjust_to_set(passages, tiny_model, review_below=None)["review"].any()
    assert passages["label"].iloc[-1] == "structural-politics"


def test_a_set_at_the_training_mix_keeps_its_labels(tiny_model):
    base = train_prior(tiny_model)
    rng = np.random.default_rng(0)
    # passages whose probabilities average to the training mix: nothing to adjust
    rows = []
    for k in range(len(LABELS)):
        for _ in range(20):
            row = np.full(len(LABELS), 0.1 / (len(LABELS) - 1))
            row[k] = 0.9
            rows.append(row)
    proba = np.array(rows)[rng.permutation(len(rows))]
    assert np.allclose(proba.mean(axis=0), base, atol=0.02)
    passages = _table(proba, tiny_model)
    adjusted = adjust_to_set(passages, tiny_model)
    assert adjusted["label"].tolist() == passages["label"].tolist()


def test_unlabelled_and_blank_rows_are_left_alone(tiny_model):
    proba = np.array([_row(0.92, 0.02)] * 120 + [_row(0.40, 0.45), [0.0] * len(LABELS)])
    passages = _table(proba, tiny_model)
    heading = passages.iloc[[0]].assign(kind="heading", label=None, confidence=np.nan,
                                        **{c: np.nan for c in PROBA_COLUMNS})
    passages = pd.concat([passages, heading], ignore_index=True)
    adjusted = adjust_to_set(passages, tiny_model)
    assert adjusted["flag"].iloc[-2] == "empty" and adjusted["label"].iloc[-2] == "none"
    assert adjusted["confidence"].iloc[-2] == 0
    assert pd.isna(adjusted["label"].iloc[-1]) and pd.isna(adjusted["confidence"].iloc[-1])


def test_small_sets_are_returned_unchanged_with_a_warning(tiny_model):
    passages = _table(np.array([_row(0.92, 0.02)] * 10 + [_row(0.40, 0.45)]), tiny_model)
    with pytest.warns(UserWarning, match="11 labelled passages, fewer than 100"):
        adjusted = adjust_to_set(passages, tiny_model)
    assert adjusted.equals(passages) and adjusted.attrs["set_shares"] is None
    assert adjust_to_set(passages, tiny_model, min_passages=5)["label"].iloc[-1] \
        == "healthcare-access"


def test_passages_of_another_model_are_refused(tiny_model):
    passages = _table(np.array([_row(0.92, 0.02)] * 120), tiny_model)
    with pytest.raises(InvalidInputError, match="scored by model 0123456789ab"):
        adjust_to_set(passages.assign(model="0123456789ab"), tiny_model)
    mixed = passages.assign(model=["0123456789ab"] * 60 + ["ba9876543210"] * 60)
    with pytest.raises(InvalidInputError, match="2 different models"):
        adjust_to_set(mixed, tiny_model)
    with pytest.raises(InvalidInputError, match="p_structural-politics"):
        adjust_to_set(passages.drop(columns="p_structural-politics"), tiny_model)


def test_train_prior_is_in_label_order(tiny_model):
    prior = train_prior(tiny_model)
    assert prior.sum() == pytest.approx(1.0)
    for label, share in zip(tiny_model.classes_, tiny_model.prior_):
        assert prior[LABELS.index(label)] == pytest.approx(share)
