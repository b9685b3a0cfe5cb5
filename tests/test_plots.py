import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from framingclf.errors import InvalidInputError
from framingclf.evaluate import expected_calibration_error, reliability_table
from framingclf.labels import COLORS, FRAMINGS, LABELS
from framingclf.plots import (
    figure_png,
    plot_continuum,
    plot_page_strip,
    plot_reliability,
    plot_shares,
)
from framingclf.profiles import profile

PASSAGES = pd.DataFrame({
    "doc_id": ["a"] * 6 + ["b"] * 4,
    "path": ["a.txt"] * 6 + ["b.txt"] * 4,
    "title": ["Board papers"] * 6 + ["Health strategy"] * 4,
    "organisation": ["Trust"] * 6 + ["Council"] * 4,
    "year": [2019] * 6 + [2023] * 4,
    "page_start": [1, 1, 2, 3, 3, 3, 1, 2, 2, 4],
    "label": ["none", "healthcare-access", "lifestyle", "none", "structural-politics",
              "healthcare-access", "social-determinants", "none", "lifestyle",
              "structural-politics"],
    "text": ["minutes", "GP access", "smoking", "finance", "austerity", "screening uptake",
             "damp homes", "apologies", "diet", "cuts"],
    "confidence": [0.9, 0.8, 0.45, 0.95, 0.7, 0.6, 0.85, 0.99, 0.4, 0.75],
    "review": [False, False, True, False, False, False, False, False, True, False],
})


@pytest.fixture(scope="module")
def profiles():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # tiny groups: few_passages
        return profile(PASSAGES, "title")


def bar_colors(ax):
    return [to_hex(p.get_facecolor()) for p in ax.patches]


def test_shares_stack_one_bar_per_group(profiles):
    fig = plot_shares(profiles, "title")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == len(profiles) * len(FRAMINGS)
    assert set(bar_colors(ax)) == {COLORS[label].lower() for label in FRAMINGS}
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].startswith("Board papers (n=4)") and ticks[0].endswith("†")
    widths = np.array([p.get_width() for p in ax.patches]).reshape(len(FRAMINGS), -1)
    np.testing.assert_allclose(widths.sum(axis=0), 1.0)  # each bar fills the framings


def test_shares_with_none_split_all_passages(profiles):
    fig = plot_shares(profiles, "title", include_none=True)
    ax = fig.axes[0]
    assert len(ax.patches) == len(profiles) * len(LABELS)
    widths = np.array([p.get_width() for p in ax.patches]).reshape(len(LABELS), -1)
    np.testing.assert_allclose(widths.sum(axis=0), 1.0)
    np.testing.assert_allclose(widths[-1], profiles["share_none"])
    assert "(n=6)" in ax.get_yticklabels()[0].get_text()  # all passages counted


def test_missing_columns_are_named_with_the_available_ones(profiles):
    with pytest.raises(InvalidInputError, match=r"\['organisation'\] not in the table; "
                       r"it has \['title'"):
        plot_shares(profiles, "organisation")
    with pytest.raises(InvalidInputError, match=r"plot_shares: column\(s\) \['share_lifestyle'"):
        plot_shares(profiles.drop(columns="share_lifestyle"), "title")
    with pytest.raises(InvalidInputError, match=r"plot_continuum: column\(s\) \['upstream_low'"):
        plot_continuum(profiles.drop(columns="upstream_low"), "title")
    with pytest.raises(InvalidInputError, match=r"\['page_start'\] not in the table"):
        plot_page_strip(PASSAGES.drop(columns="page_start"), "a")
    with pytest.raises(InvalidInputError, match=r"\['accuracy'\] not in the table"):
        plot_reliability([{"low": 0, "high": 1, "n": 1, "confidence": 0.5}])


def test_continuum_across_groups_draws_interval_and_estimate(profiles):
    fig = plot_continuum(profiles, "title")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        f"{i}\n{label}" for i, label in enumerate(FRAMINGS)]
    points = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(points) == len(profiles)
    np.testing.assert_allclose([line.get_xdata()[0] for line in points],
                               profiles["upstream_index"])
    whiskers = [line for line in ax.lines if line.get_marker() in ("None", "", None)]
    assert len(whiskers) == len(profiles)  # every group has an interval
    assert all(line.get_markerfacecolor() == "white" for line in points)  # few passages


def test_continuum_over_time_has_one_line_per_hue():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = profile(PASSAGES, ["year", "organisation"])
    fig = plot_continuum(table, "year", hue="organisation", title="Over time")
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("year") and ax.get_title() == "Over time"
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["Council", "Trust"]


def test_page_strip_one_cell_per_passage_in_label_colours():
    fig = plot_page_strip(PASSAGES, "a")
    ax = fig.axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    one = PASSAGES[PASSAGES["doc_id"] == "a"]
    assert len(cells) == len(one)
    assert [to_hex(c.get_facecolor()) for c in cells] == [COLORS[x].lower() for x in one["label"]]
    assert [c.get_hatch() for c in cells] == ["////" if r else None for r in one["review"]]
    assert [c.get_x() + c.get_width() / 2 for c in cells] == pytest.approx(one["page_start"])
    assert ax.get_title() == "Board papers"
    by_title = plot_page_strip(PASSAGES, "Health strategy").axes[0]
    assert len(by_title.patches) == 4


def test_page_strip_needs_one_document():
    with pytest.raises(InvalidInputError,
                       match=r"holds 2 documents; pass doc= one of \['a', 'b'\]"):
        plot_page_strip(PASSAGES)
    with pytest.raises(InvalidInputError, match="no document 'zzz'"):
        plot_page_strip(PASSAGES, "zzz")
    single = PASSAGES[PASSAGES["doc_id"] == "b"]
    assert isinstance(plot_page_strip(single), Figure)


def test_reliability_diagram_from_reliability_table():
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(5), size=300)
    correct = rng.random(300) < proba.max(axis=1)
    table = reliability_table(proba, correct)
    fig = plot_reliability(table)
    ax = fig.axes[0]
    filled = [row for row in table if row["n"]]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(filled)
    assert [b.get_height() for b in bars] == pytest.approx([r["accuracy"] for r in filled])
    ece = expected_calibration_error(proba, correct)
    assert f"ECE {ece:.3f}" in ax.get_title()
    assert isinstance(plot_reliability(pd.DataFrame(table)), Figure)


def test_draws_into_a_given_axes_and_renders_png(profiles):
    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert plot_shares(profiles, "title", ax=left) is fig
    assert plot_continuum(profiles, "title", ax=right) is fig
    assert len(left.patches) == len(profiles) * len(FRAMINGS)
    assert figure_png(fig).startswith(b"\x89PNG")


def test_no_pyplot_state_is_touched():
    code = (
        "import sys, warnings; warnings.simplefilter('ignore')\n"
        "import pandas as pd\n"
        "from framingclf.plots import plot_shares, plot_page_strip, figure_png\n"
        "from framingclf.profiles import profile\n"
        "p = pd.DataFrame({'doc_id': ['a'] * 3, 'page_start': [1, 2, 2], 'text': ['x'] * 3,\n"
        "                  'label': ['lifestyle', 'none', 'healthcare-access']})\n"
        "figure_png(plot_shares(profile(p, 'doc_id'), 'doc_id'))\n"
        "figure_png(plot_page_strip(p))\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
