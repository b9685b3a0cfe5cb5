"""The framing taxonomy: the labels, their order on the continuum, and what they mean.

Every other module, report and plot takes the labels from here. The four framings run
from downstream (services) to upstream (politics), after Raphael's (2011) seven
discourses of the social determinants of health as grouped by McMahon (2022).
"""

from __future__ import annotations

#: The four framings, downstream to upstream. Their index is the continuum position.
FRAMINGS: tuple[str, ...] = (
    "healthcare-access",
    "lifestyle",
    "social-determinants",
    "structural-politics",
)

#: The label for passages with no view on the cause or remedy of unequal health.
NONE = "none"

#: Every label a passage can take, framings first in continuum order.
LABELS: tuple[str, ...] = (*FRAMINGS, NONE)

#: One line per label, for reports, plots and `framingclf info`.
DESCRIPTIONS: dict[str, str] = {
    "healthcare-access": "access to, uptake of and experience of health services; "
    "targeting people in need of care",
    "lifestyle": "individual behaviours and risk factors: smoking, diet, activity, "
    "alcohol, 'healthy choices'",
    "social-determinants": "living and working conditions: housing, income, work, "
    "education, early years, environment",
    "structural-politics": "the policies, politics, economic structures and power that "
    "distribute those conditions",
    "none": "no framing: procedure, finance, governance, performance without an "
    "inequalities angle",
}

#: One colour per label, shared by plots and reports (colour-blind-safe Okabe-Ito hues).
COLORS: dict[str, str] = {
    "healthcare-access": "#0072B2",
    "lifestyle": "#E69F00",
    "social-determinants": "#009E73",
    "structural-politics": "#CC79A7",
    "none": "#999999",
}

#: Position on the downstream (0) to upstream (3) continuum; `none` has no position.
CONTINUUM: dict[str, int] = {label: i for i, label in enumerate(FRAMINGS)}


def check_label(value: object, where: str = "") -> str:
    """Return `value` if it is a known label, else raise `UnknownLabelError`."""
    from framingclf.errors import UnknownLabelError

    if isinstance(value, str) and value in LABELS:
        return value
    prefix = f"{where}: " if where else ""
    raise UnknownLabelError(
        f"{prefix}unknown label {value!r}; expected one of {', '.join(LABELS)}"
    )
