"""Shared fixtures: a tiny inline corpus (three passages a label) and a model fitted on it,
and where the real evaluation data beside the repository is (`SHARED`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from framingclf import FramingClassifier

ROOT = Path(__file__).resolve().parents[1]
#: Real text kept beside the repository, never in it: ../shared, or $FRAMINGCLF_SHARED.
SHARED = Path(os.environ.get("FRAMINGCLF_SHARED") or ROOT.parent / "shared")
REAL_DEV = SHARED / "eval" / "real-dev.jsonl"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real text not found at {SHARED} (set FRAMINGCLF_SHARED)")


def pytest_report_header(config) -> str:
    found = "found" if SHARED.is_dir() else "NOT FOUND: the tests on real text will skip"
    return f"framingclf real text (../shared): {SHARED} {found}"


TINY = [
    ("More people in the poorest wards are waiting over 18 weeks for hospital treatment.",
     "healthcare-access"),
    ("Uptake of cervical screening is lowest among women from deprived neighbourhoods.",
     "healthcare-access"),
    ("We will run outreach clinics so that homeless people can register with a GP.",
     "healthcare-access"),
    ("Smoking and poor diet drive much of the gap in heart disease.", "lifestyle"),
    ("Our campaign encourages residents to make healthy choices and walk more.", "lifestyle"),
    ("Alcohol misuse and physical inactivity are the main modifiable risk factors.", "lifestyle"),
    ("Damp, overcrowded housing and low income make children ill.", "social-determinants"),
    ("Good work, decent pay and secure homes are the building blocks of health.",
     "social-determinants"),
    ("Children growing up in poverty start school behind their peers.", "social-determinants"),
    ("A decade of austerity and welfare reform has widened health inequalities.",
     "structural-politics"),
    ("Inequality is a political choice produced by tax and benefit policy.",
     "structural-politics"),
    ("Cuts to local government funding fell hardest on the poorest places.",
     "structural-politics"),
    ("The minutes of the previous meeting were approved as a correct record.", "none"),
    ("The Board is asked to note the finance report for month six.", "none"),
    ("Apologies were received from the Director of Estates.", "none"),
]


@pytest.fixture(scope="session")
def tiny_corpus():
    texts = [t for t, _ in TINY]
    labels = [y for _, y in TINY]
    groups = [f"d{i % 5}" for i in range(len(TINY))]
    return texts, labels, groups


@pytest.fixture(scope="session")
def tiny_model(tiny_corpus):
    texts, labels, groups = tiny_corpus
    return FramingClassifier(min_df=1, calibration_cv=3).fit(texts, labels, groups=groups)


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_model, tmp_path_factory):
    return tiny_model.save(tmp_path_factory.mktemp("models") / "tiny")
