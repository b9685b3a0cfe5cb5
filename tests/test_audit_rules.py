"""The audit's rules, patterns and evidence, with a passage model whose answers the test
chooses (so each check's logic is tested on its own)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from framingclf.auditing import CHECKS, COLUMNS, audit
from framingclf.auditing.checks import NO, PARTLY, YES
from framingclf.auditing.patterns import AuditPatterns, default_patterns, has_figure
from framingclf.auditing.tags import TAGS
from framingclf.auditing.trends import figure_trends
from framingclf.errors import InvalidInputError
from framingclf.tables import AUDIT_COLUMNS


class FakeTagger:
    """A passage model that gives a tag probability 0.95 when the passage contains
    "[tag]", and 0.02 otherwise."""

    tags_: ClassVar[list[str]] = list(TAGS)

    def predict_proba(self, X) -> np.ndarray:
        texts = X["text"].tolist()
        return np.array([[0.95 if f"[{tag}]" in text else 0.02 for tag in TAGS]
                         for text in texts]).reshape(len(texts), len(TAGS))


def passages(*texts: str, doc: str = "d1", sections: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": doc, "passage_id": [f"{doc}-{i:04d}" for i in range(len(texts))],
        "path": f"/data/{doc}.pdf", "page_start": [i + 1 for i in range(len(texts))],
        "section": sections or ["Report > 1. Background"] * len(texts), "kind": "prose",
        "text": list(texts)})


def verdicts(frame: pd.DataFrame) -> dict[str, str]:
    table = audit(frame, FakeTagger())
    return dict(zip(table["check"], table["verdict"]))


def rule(check: str, **counts) -> int:
    """The verdict of `check` for one document with the given numbers of passages per
    tag (each tag on its own passages)."""
    n = max(1, sum(counts.values()))
    tags = {tag: np.zeros((1, n), dtype=bool) for tag in (*TAGS, "context_linked")}
    start = 0
    for tag, count in counts.items():
        tags[tag][0, start:start + count] = True
        start += count if tag not in ("context_linked",) else 0
    return int(CHECKS[check].rule(tags, np.zeros((n, 0), dtype=bool))[0])


@pytest.mark.parametrize(("counts", "expected"), [
    ({"condition": 3, "cross_cutting": 1}, YES),  # 75%
    ({"condition": 2, "cross_cutting": 1}, YES),  # 67%, but only one of the other: larger side
    ({"condition": 2, "cross_cutting": 2}, PARTLY),
    ({"condition": 2, "cross_cutting": 5}, NO),  # 29%: strictly between 25% and 30% (1.1)
    ({"condition": 3, "cross_cutting": 7}, PARTLY),  # 30%
    ({"condition": 5, "cross_cutting": 2}, PARTLY),  # 71%: strictly between 70% and 75%
    ({"condition": 1, "cross_cutting": 3}, NO),  # 25%
    ({"condition": 1, "cross_cutting": 2}, NO),  # one only: the larger side decides
    ({}, NO),
])
def test_share_rule_thresholds(counts, expected):
    assert rule("siloed", **counts) == expected


@pytest.mark.parametrize(("counts", "expected"), [
    ({"progress_claim": 1, "worsening": 1}, YES),
    ({"progress_claim": 1, "worsening": 1, "improving": 1}, PARTLY),
    ({"progress_claim": 1, "improving": 2}, NO),
    ({"worsening": 3}, NO),
])
def test_progress_rule(counts, expected):
    assert rule("progress_claims", **counts) == expected


@pytest.mark.parametrize(("counts", "expected"), [
    ({"definition": 1, "definition_partial": 1}, YES), ({"definition_partial": 2}, PARTLY),
    ({}, NO)])
def test_definition_rule(counts, expected):
    assert rule("definition", **counts) == expected


@pytest.mark.parametrize(("counts", "expected"), [
    ({"deficit": 2}, YES), ({"deficit": 1}, PARTLY), ({}, NO)])
def test_deficit_rule(counts, expected):
    assert rule("deficit_labels", **counts) == expected


def test_measure_rule_counts_distinct_named_measures_of_measure_passages():
    # passages: 0 names IMD, 1 names IMD, 2 names FSM but is not a measure passage
    measures = np.array([[True, False], [True, False], [False, True]])
    tags = {tag: np.zeros((1, 3), dtype=bool) for tag in (*TAGS, "context_linked")}
    tags["measure"][0, :2] = True
    assert CHECKS["measure"].rule(tags, measures)[0] == PARTLY  # one measure, no scale
    tags["scale"][0, 0] = True
    assert CHECKS["measure"].rule(tags, measures)[0] == YES
    tags["measure"][0, 2] = True  # now FSM too, side by side, with scale
    assert CHECKS["measure"].rule(tags, measures)[0] == PARTLY
    tags["scale"][0, 0] = False
    assert CHECKS["measure"].rule(tags, measures)[0] == NO


def test_audit_table_has_one_row_per_document_and_check():
    frame = pd.concat([passages("Nothing to see here at all today.", doc="a"),
                       passages("Nor here, the minutes were approved.", doc="b")])
    table = audit(frame, FakeTagger())
    assert list(table.columns) == list(COLUMNS)
    assert len(table) == 2 * len(CHECKS)
    assert set(table["verdict"]) == {"no"}
    assert table["document"].tolist()[:1] == ["a.pdf"]
    assert ((table["confidence"] >= 0) & (table["confidence"] <= 1)).all()


def test_definition_evidence_quotes_the_defining_sentence_with_id_and_page():
    frame = passages(
        "The Board met in March. Health inequalities are avoidable and unfair differences "
        "in health between groups of people. They follow income. [definition]",
        "Other business was noted.")
    row = audit(frame, FakeTagger()).set_index("check").loc["definition"]
    assert row["verdict"] == "yes"
    assert "d1-0000 (p. 1)" in row["evidence"]
    assert "Health inequalities are avoidable and unfair" in row["evidence"]
    assert "The Board met in March" not in row["evidence"]
    assert row["passage_ids"] == ["d1-0000"]


def test_no_says_what_was_looked_for():
    row = audit(passages("The minutes were approved as a correct record."),
                FakeTagger()).set_index("check").loc["context"]
    assert row["verdict"] == "no"
    assert row["evidence"].startswith("Looked for a present driver")
    assert row["passage_ids"] == []


def test_context_linked_to_health_by_pattern():
    unlinked = passages("[context] Universal Credit full service reached the town in 2018.")
    linked = passages("[context] Universal Credit has cut incomes, and GPs see more "
                      "depression and anxiety.")
    assert verdicts(unlinked)["context"] == "partly"
    assert verdicts(linked)["context"] == "yes"


def test_deficit_passage_needs_a_deficit_label():
    assert verdicts(passages("[deficit] People on low incomes wait longer."))[
        "deficit_labels"] == "no"
    two = passages("[deficit] Vulnerable groups will be prioritised.",
                   "[deficit] Hard to reach families will be offered outreach.")
    assert verdicts(two)["deficit_labels"] == "yes"


def test_worsening_needs_a_figure():
    claim = passages("[progress_claim] We are on track to close the gap.",
                     "[worsening] The gap got worse in 2021.")
    assert verdicts(claim)["progress_claims"] == "no"
    figures = passages("[progress_claim] We are on track to close the gap.",
                       "[worsening] Uptake in quintile 1 fell from 61% to 55% in 2021.")
    assert verdicts(figures)["progress_claims"] == "yes"


def test_figure_tags_are_held_to_their_figures():
    """A worsening tag needs a figure, and not one the patterns read the other way."""
    held = passages("[progress_claim] We are pleased to report good progress on the gap.",
                    "[worsening] Uptake in the most deprived quintile rose from 61% to 68%.",
                    "[worsening] The gap is wider than we would like.")
    assert verdicts(held)["progress_claims"] == "no"
    kept = passages("[progress_claim] We are pleased to report good progress on the gap.",
                    "[worsening] Uptake in the most deprived quintile fell from 68% to 61%.")
    assert verdicts(kept)["progress_claims"] == "yes"


def test_measure_check_names_the_measures_side_by_side():
    frame = passages("[measure] Residents of IMD quintile 1 wait longer.",
                     "[measure] Pupils eligible for free school meals do worse.")
    row = audit(frame, FakeTagger()).set_index("check").loc["measure"]
    assert row["verdict"] == "no"
    assert "2 measures side by side (IMD, FSM)" in row["evidence"]
    assert "No count of the people affected" in row["evidence"]


def test_siloed_evidence_counts_both_kinds():
    frame = passages("[condition] Cancer screening uptake is lower.",
                     "[condition] Diabetes care processes lag.",
                     "[condition] Mental health referrals rose.",
                     "[cross_cutting] Poverty drives all of these.")
    row = audit(frame, FakeTagger()).set_index("check").loc["siloed"]
    assert row["verdict"] == "yes"
    assert row["evidence"].startswith("3 condition passage(s) against 1 people or shared-cause "
                                      "(75% condition)")


def test_audit_is_deterministic_and_independent_of_document_order():
    a = passages("[pilot] A pilot will run.", "[sustained] Recurrent funding.", doc="a")
    b = passages("[condition] Cancer waits.", "[deficit] Vulnerable people.", doc="b")
    first = audit(pd.concat([a, b]), FakeTagger())
    second = audit(pd.concat([b, a]), FakeTagger())
    key = ["doc_id", "check"]
    pd.testing.assert_frame_equal(first.sort_values(key).reset_index(drop=True),
                                  second.sort_values(key).reset_index(drop=True))


def test_confidence_falls_when_a_passage_is_uncertain():
    class Unsure(FakeTagger):
        def predict_proba(self, X):
            proba = super().predict_proba(X)
            proba[:, TAGS.index("deficit")] = 0.55
            return proba

    frame = passages("Vulnerable people are a priority.")
    sure = audit(passages("[deficit] Vulnerable people are a priority."), FakeTagger())
    unsure = audit(frame, Unsure())
    confidence = {name: t.set_index("check").at["deficit_labels", "confidence"]
                  for name, t in (("sure", sure), ("unsure", unsure))}
    assert confidence["sure"] > 0.9
    assert 0.4 < confidence["unsure"] < 0.7


def test_headings_are_read_as_sections_not_passages():
    frame = passages("Cancer", "[condition] Screening uptake is lower.")
    frame["kind"] = ["heading", "prose"]
    table = audit(frame, FakeTagger())
    assert "d1-0000" not in [i for ids in table["passage_ids"] for i in ids]


def test_audit_refuses_what_is_not_a_passages_table():
    with pytest.raises(InvalidInputError, match="columns \\['doc_id'\\] missing"):
        audit(pd.DataFrame({"text": ["a"]}), FakeTagger())
    with pytest.raises(InvalidInputError, match="no such folder"):
        audit("/nonexistent/results", FakeTagger())


def test_documents_table_has_one_audit_column_per_check():
    assert AUDIT_COLUMNS == tuple(f"audit_{check}" for check in CHECKS)


# -- patterns -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Using the Index of Multiple Deprivation 2019, 40,000 residents ...", ["IMD"]),
    ("Under the Scottish Index of Multiple Deprivation, quintile 1 ...", ["SIMD"]),
    ("the Income domain of the English Indices of Deprivation shows", ["income deprivation"]),
    ("IDACI and IDAOPI both rank the same streets", ["income deprivation"] * 2),
    ("Delivery of Core20PLUS5 continues.", []),
    ("Our Core20 population numbers 83,000.", ["Core20"]),
    ("pupils eligible for free school meals", ["FSM"]),
])
def test_named_measures(text, expected):
    assert [hit.cue for hit in default_patterns().measures(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Outreach to vulnerable groups and hard to reach families.",
     ["vulnerable groups", "hard to reach"]),
    ("Uptake in the most deprived quintile is 46%.", []),
    ("We work with our most deprived communities.", ["most deprived"]),
    ("We no longer call residents 'hard to reach'.", []),
    ("We have stopped describing them as hard to reach.", []),
])
def test_deficit_labels(text, expected):
    assert [hit.cue for hit in default_patterns().deficit(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Uptake in quintile 1 fell from 61% to 55%, while elsewhere it rose.", ["worsening"]),
    ("Admissions in quintile 1 fell from 12.1 to 9.8 per 1,000.", ["improving"]),
    ("The gap in life expectancy widened from 7.9 to 8.6 years.", ["worsening"]),
    ("Life expectancy was 73.4 years, a gap of 7.5 years, up from 6.8 years.", ["worsening"]),
    ("The gap has not narrowed and remains at 9 points.", []),
    ("The gap is narrowing.", []),  # a claim, not a figure
])
def test_figure_trends(text, expected):
    assert [kind for kind, _ in figure_trends(default_patterns(), text)] == expected


def test_has_figure_ignores_years():
    assert not has_figure("In 2014/15 good progress was made.")
    assert has_figure("Uptake rose to 74%.")


def test_a_bad_pattern_names_its_list():
    with pytest.raises(InvalidInputError, match=r"'pilot'.*not a regular expression"):
        AuditPatterns({"pilot": ["pilot("]})
    with pytest.raises(InvalidInputError, match="unknown lists \\['pilots'\\]"):
        AuditPatterns({"pilots": ["x"]})
    with pytest.raises(InvalidInputError, match="'name: regular expression'"):
        AuditPatterns({"measures": ["IMD index of multiple deprivation"]})


def test_own_patterns_change_what_is_found():
    patterns = AuditPatterns({"measures": ["Local: ward need score"]})
    assert [h.cue for h in patterns.measures("by ward need score and IMD")] == ["Local"]


@pytest.mark.parametrize(("text", "expected"), [
    # one value a period: the measure says which way is worse
    ("Under-18 conceptions per 1,000, most deprived decile: 2016/17, 31.5; 2018/19, 33.0; "
     "2020/21, 36.2.", ["worsening"]),
    ("Flu vaccine uptake, over-65s in IMD quintile 1: winter 2019/20, 61%; "
     "winter 2021/22, 66%.", ["improving"]),
    ("Smoking prevalence in the poorest fifth: 31% in 2015, 26% in 2019.", ["improving"]),
    # two values a period: the group and its comparison, worse as they move apart
    ("Healthy life expectancy, most and least deprived tenths: 2010-12, 52.0 and 70.5 years; "
     "2016-18, 51.1 and 71.0 years.", ["worsening"]),
    ("Breast screening coverage, Core20 and all others: 2021, 58% and 71%; 2023, 63% and "
     "72%.", ["improving"]),
    # a series for the comparison group alone is not read
    ("Admissions per 1,000: county average, 2019, 88; 2022, 79.", []),
    # periods without values, and counts of activity, are not series
    ("The plan for 2024-2029 was adopted in 2024 and reviewed in 2025 by 14 partners.", []),
])
def test_series_of_periods_are_read(text, expected):
    from framingclf.auditing.trends import series_trends

    assert [kind for kind, _ in series_trends(default_patterns(), text)] == expected
