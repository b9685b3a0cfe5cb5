"""The audit with its shipped passage model, on small made-up documents (one pair per
check, with different answers), the CLI command and the documents-table columns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framingclf.auditing import CHECKS, audit
from framingclf.cli import app
from framingclf.tables import AUDIT_COLUMNS


def document(name: str, *sections: tuple[str, list[str]]) -> pd.DataFrame:
    """A made-up document's passages table: (heading, passages) per section."""
    rows = [(heading, text) for heading, texts in sections for text in texts]
    return pd.DataFrame({
        "doc_id": name, "passage_id": [f"{name}-{i:04d}" for i in range(len(rows))],
        "path": f"papers/{name}.pdf", "page_start": [1 + i // 3 for i in range(len(rows))],
        "section": [f"Board paper > {heading}" for heading, _ in rows], "kind": "prose",
        "text": [text for _, text in rows]})


BACKGROUND = ("1. Background", [
    "This paper updates the Board on its programme on health inequalities and asks members "
    "to note the next steps.",
    "The Board has a duty under the Health and Care Act 2022 to have regard to the need to "
    "reduce inequalities in access to services and in outcomes."])


def verdict(frame: pd.DataFrame, check: str) -> str:
    table = audit(frame).set_index("check")
    return table.at[check, "verdict"]


def test_definition():
    defined = document("a", ("1. What we mean", [
        "In this paper, health inequalities are the systematic, avoidable and unfair "
        "differences in health between groups of people, which follow the unequal "
        "distribution of income, housing and power."]), BACKGROUND)
    partial = document("b", ("1. What we mean", [
        "For this strategy, health inequalities are the differences in health and in access "
        "to services between groups of residents, including those with protected "
        "characteristics under the Equality Act 2010."]), BACKGROUND)
    assert verdict(defined, "definition") == "yes"
    assert verdict(partial, "definition") == "partly"
    assert verdict(document("c", BACKGROUND), "definition") == "no"


def test_context():
    linked = document("a", BACKGROUND, ("2. Context", [
        "The cost of living crisis is harming our residents' health: GPs report more "
        "patients with anxiety and depression linked to debt, and children admitted with "
        "asthma from cold, damp homes they cannot afford to heat."]))
    unlinked = document("b", BACKGROUND, ("2. Context", [
        "The number of households claiming Universal Credit in the borough has doubled since "
        "2019, and the food bank gave out 9,000 parcels last year against 5,000 in 2019."]))
    assert verdict(linked, "context") == "yes"
    assert verdict(unlinked, "context") == "partly"
    assert verdict(document("c", BACKGROUND), "context") == "no"


def test_measure():
    one = document("a", BACKGROUND, ("2. Who is affected", [
        "Using the Index of Multiple Deprivation 2019, 48,000 residents, 22% of the borough's "
        "population, live in neighbourhoods in the most deprived quintile nationally.",
        "Emergency admissions for COPD in IMD quintile 1 are three times those in quintile 5."]))
    two = document("b", BACKGROUND, ("2. Who is affected", [
        "Emergency admissions for COPD in IMD quintile 1 are three times those in quintile 5.",
        "Pupils eligible for free school meals are less likely to reach a good level of "
        "development at the end of reception than their classmates."]))
    assert verdict(one, "measure") == "yes"
    assert verdict(two, "measure") == "no"


CONDITIONS = [
    ("3. Cancer", ["Uptake of bowel screening in IMD quintile 1 is 48% against 67% in quintile "
                   "5, and more cancers there are diagnosed late."]),
    ("4. Cardiovascular disease", ["Hypertension detection is lowest in practices serving "
                                   "the most deprived quintile."]),
    ("5. Diabetes", ["Fewer people with diabetes in quintile 1 receive all eight care "
                     "processes."]),
    ("6. Mental health", ["People with serious mental illness in the most deprived areas "
                          "are less likely to have an annual physical health check."]),
]
PEOPLE = [
    ("3. Money and work", ["Debt, insecure work and low pay run through every part of our "
                           "residents' health, across all conditions."]),
    ("4. Homes", ["Cold, damp and overcrowded homes harm the health of children and older "
                  "people in the private rented sector."]),
    ("5. Neighbourhoods", ["Residents of the Riverside estates develop several long-term "
                           "conditions ten years earlier than people elsewhere."]),
    ("6. Early years", ["Children growing up in poverty start school behind their peers, "
                        "and this shapes their health for life."]),
]


def test_siloed():
    assert verdict(document("a", BACKGROUND, *CONDITIONS), "siloed") == "yes"
    assert verdict(document("b", BACKGROUND, *PEOPLE), "siloed") == "no"


def test_pilots():
    pilots = document("a", BACKGROUND, ("2. Actions", [
        "A twelve-month pilot of outreach health checks will run in two practices, funded "
        "from non-recurrent winter monies.",
        "A toolkit for practices on registering homeless patients has been circulated.",
        "We will explore a test-and-learn approach to social prescribing, subject to a "
        "successful bid."]))
    sustained = document("b", BACKGROUND, ("2. Actions", [
        "From April, £4.2m of the recurrent baseline is allocated to the four places by a "
        "formula weighted by need, with a named executive lead for each.",
        "The three-year delivery plan sets targets for each place, reported quarterly to "
        "the Board.",
        "Income maximisation advice is now commissioned recurrently in every practice."]))
    assert verdict(pilots, "pilots") == "yes"
    assert verdict(sustained, "pilots") == "no"


def test_progress_claims():
    claim = ("1. Summary", ["The programme has made good progress this year, and we are on "
                            "track to narrow the gap in life expectancy."])
    worse = ("2. Figures", ["Life expectancy for men in the most deprived quintile fell from "
                            "75.1 to 74.3 years, and the gap with the least deprived widened "
                            "from 8.2 to 9.0 years."])
    better = ("3. More figures", ["Smoking prevalence in quintile 1 fell from 29% to 24% "
                                  "between 2019 and 2023, narrowing the gap with quintile 5."])
    assert verdict(document("a", claim, worse), "progress_claims") == "yes"
    assert verdict(document("b", claim, worse, better), "progress_claims") == "partly"
    assert verdict(document("c", BACKGROUND, worse), "progress_claims") == "no"


def test_deficit_labels():
    labels = document("a", BACKGROUND, ("2. Priorities", [
        "Vulnerable groups will be prioritised for the outreach service.",
        "Hard to reach families will be offered home visits."]))
    rejected = document("b", BACKGROUND, ("2. Priorities", [
        "We no longer describe residents as 'hard to reach': services have been hard for "
        "them to use.", "Uptake in the most deprived quintile is 46%."]))
    assert verdict(labels, "deficit_labels") == "yes"
    assert verdict(rejected, "deficit_labels") == "no"


def test_every_verdict_carries_checkable_evidence():
    frame = document("a", BACKGROUND, *CONDITIONS)
    table = audit(frame)
    assert list(table["check"]) == list(CHECKS)
    ids = set(frame["passage_id"])
    for row in table.itertuples():
        assert row.evidence
        assert set(row.passage_ids) <= ids
        for passage_id in row.passage_ids:
            assert passage_id in row.evidence
        if row.verdict == "no" and not row.passage_ids:
            assert "Looked for" in row.evidence or "No named measure" in row.evidence


@pytest.fixture(scope="module")
def results(tmp_path_factory, tiny_model_dir):
    import framingclf

    folder = tmp_path_factory.mktemp("docs")
    text = ("# Health inequalities report\n\n## 2. Actions\n\n"
            "A twelve-month pilot of outreach health checks will run in two practices, "
            "funded from non-recurrent winter monies.\n\n"
            "Vulnerable groups will be prioritised, and hard to reach families will be "
            "offered home visits by the health visiting team.\n")
    (folder / "paper.md").write_text(text, "utf-8")
    out = tmp_path_factory.mktemp("results")
    framingclf.score_documents([folder], tiny_model_dir, out=out, progress="none")
    return out


def test_score_documents_adds_the_audit_to_the_documents_table(results, tiny_model_dir):
    import framingclf

    documents = framingclf.load_results(results).documents
    assert documents.loc[0, "audit_deficit_labels"] == "partly"  # one passage
    assert documents.loc[0, "audit_pilots"] == "yes"
    assert set(AUDIT_COLUMNS) <= set(documents.columns)
    source = framingclf.load_results(results).documents.loc[0, "path"]
    off = framingclf.score_documents([source], tiny_model_dir, progress="none", audit=False)
    assert off.documents[list(AUDIT_COLUMNS)].isna().all().all()
    one = framingclf.score_document(source, tiny_model_dir)
    assert one.documents.loc[0, "audit_pilots"] == "yes"


def test_cli_audit_writes_a_csv(results, tmp_path):
    out = tmp_path / "audit.csv"
    outcome = CliRunner().invoke(app, ["audit", str(results), "-o", str(out)])
    assert outcome.exit_code == 0, outcome.output
    table = pd.read_csv(out)
    assert list(table.columns) == ["document", "doc_id", "check", "verdict", "confidence",
                                   "evidence", "passage_ids"]
    assert table["document"].unique().tolist() == ["paper.md"]
    assert isinstance(json.loads(table.loc[0, "passage_ids"]), list)
    assert "deficit_labels" in outcome.output


def test_cli_audit_errors_are_one_line(tmp_path):
    outcome = CliRunner().invoke(app, ["audit", str(tmp_path / "none"), "-o",
                                       str(tmp_path / "a.csv")])
    assert outcome.exit_code == 1
    assert outcome.output.strip().startswith("Error: ")
    assert "no such folder" in outcome.output
    assert len(outcome.output.strip().splitlines()) == 1
    outcome = CliRunner().invoke(app, ["audit", str(tmp_path), "-o", str(Path(tmp_path)
                                                                         / "a.txt")])
    assert outcome.exit_code == 1


def test_audit_over_worker_processes_gives_the_same_table(monkeypatch):
    """Documents audited in two processes give the table one process gives, in order."""
    from framingclf.auditing.columns import _audit

    rows = []
    for d in range(5):
        texts = ["A pilot of outreach checks funded from one-off winter monies.",
                 "Vulnerable groups and hard to reach families will be offered visits.",
                 f"Life expectancy is {70 + d} years in the most deprived decile."][: 1 + d % 3]
        rows += [{"doc_id": f"doc{d}", "passage_id": f"doc{d}-{i}", "text": t,
                  "path": f"/in/doc{d}.md", "kind": "prose"} for i, t in enumerate(texts)]
    frame = pd.DataFrame(rows)
    monkeypatch.setattr("framingclf.auditing.columns.PARALLEL_FROM", 2)
    one = _audit(frame, None, jobs=1)
    two = _audit(frame, None, jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert one["doc_id"].drop_duplicates().tolist() == [f"doc{d}" for d in range(5)]
