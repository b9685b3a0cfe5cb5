import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from framingclf.errors import InvalidInputError
from framingclf.evaluate import expected_calibration_error, reliability_table
from framingclf.labels import COLORS, FRAMINGS, LABELS
from framingclf.plots import (
    figure_png,
    figure_svg,
    plot_compare,
    plot_continuum,
    plot_page_strip,
    plot_reliability,
    plot_shares,
    plot_trend,
)
from framingclf.profiles import MIN_DOCUMENTS, profile

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
    return profile(PASSAGES, "title")


def many_documents(n_docs: int, years: list[int]) -> pd.DataFrame:
    """`n_docs` documents of 25 passages each, spread over `years` in turn."""
    rng = np.random.default_rng(0)
    rows = []
    for d in range(n_docs):
        for k in range(25):
            rows.append({"doc_id": f"{d:016x}", "title": f"Strategy {d}",
                         "year": years[d % len(years)], "organisation": f"Org {d % 3}",
                         "page_start": 1 + k // 5, "label": rng.choice(LABELS),
                         "text": "x", "review": False})
    return pd.DataFrame(rows)


def bar_colors(ax):
    return [to_hex(p.get_facecolor()) for p in ax.patches]


def test_shares_stack_one_bar_per_group(profiles):
    ax = plot_shares(profiles, "title")
    assert isinstance(ax, Axes) and isinstance(ax.figure, Figure)
    assert len(ax.patches) == len(profiles) * len(FRAMINGS)
    assert set(bar_colors(ax)) == {COLORS[label].lower() for label in FRAMINGS}
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].startswith("Board papers (n=4)") and ticks[0].endswith("†")
    widths = np.array([p.get_width() for p in ax.patches]).reshape(len(FRAMINGS), -1)
    np.testing.assert_allclose(widths.sum(axis=0), 1.0)  # each bar fills the framings


def test_shares_with_none_split_all_passages(profiles):
    ax = plot_shares(profiles, "title", include_none=True)
    assert len(ax.patches) == len(profiles) * len(LABELS)
    widths = np.array([p.get_width() for p in ax.patches]).reshape(len(LABELS), -1)
    np.testing.assert_allclose(widths.sum(axis=0), 1.0)
    np.testing.assert_allclose(widths[-1], profiles["share_none"])
    assert "(n=6)" in ax.get_yticklabels()[0].get_text()  # all labelled passages counted


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
    ax = plot_continuum(profiles, "title")
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        f"{i}\n{label}" for i, label in enumerate(FRAMINGS)]
    points = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(points) == len(profiles)
    np.testing.assert_allclose([line.get_xdata()[0] for line in points],
                               profiles["upstream_index"])
    whiskers = [line for line in ax.lines if line.get_marker() in ("None", "", None)]
    assert len(whiskers) == len(profiles)  # every group has an interval
    assert all(line.get_markerfacecolor() == "white" for line in points)  # few passages


def test_every_plot_says_what_it_stands_on(profiles):
    for ax in (plot_shares(profiles, "title"), plot_continuum(profiles, "title"),
               plot_compare(profiles, "title"), plot_page_strip(PASSAGES, "a")):
        title = ax.get_title()
        assert "document" in title and "passage" in title, title
        assert ax.get_xlabel() and ax.get_ylabel() is not None
    assert plot_shares(profiles, "title").get_title().endswith("2 documents · 10 passages")
    assert plot_page_strip(PASSAGES, "a").get_title().endswith("1 document · 6 passages")


def test_documents_are_named_by_title_never_by_id():
    table = profile(PASSAGES, "doc_id")
    ax = plot_continuum(table, "doc_id")
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].startswith("Board papers") and ticks[1].startswith("Health strategy")
    assert ax.get_ylabel() == "document"
    shares = plot_shares(table, "doc_id")
    assert all(not t.get_text().startswith(("a ", "b ")) for t in shares.get_yticklabels())


def test_few_documents_are_hollow_and_dashed_however_the_flags_are_set():
    table = profile(many_documents(6, [2020]), "organisation")  # 2 documents each
    table = table.drop(columns=["few_documents"])  # the guard reads the counts itself
    ax = plot_continuum(table, "organisation")
    points = [line for line in ax.lines if line.get_marker() == "o"]
    assert all(line.get_markerfacecolor() == "white" for line in points)
    whiskers = [line for line in ax.lines if line.get_marker() in ("None", "", None)]
    assert whiskers and all(line.get_linestyle() == "--" for line in whiskers)
    assert all("(2 docs)" in t.get_text() for t in ax.get_yticklabels())


def test_trend_draws_no_line_through_thin_years():
    thin = profile(many_documents(4, [2019, 2020, 2021, 2022]), "year")  # 1 document a year
    ax = plot_trend(thin, "year")
    assert not [line for line in ax.lines if len(line.get_xdata()) == 2 and
                line.get_linestyle() == "-" and line.get_xdata()[0] != line.get_xdata()[1]]
    assert "no trend drawn" in ax.get_xlabel()
    thick = profile(many_documents(4 * MIN_DOCUMENTS, [2019, 2020, 2021, 2022]), "year")
    ax = plot_trend(thick, "year")
    segments = [line for line in ax.lines if len(line.get_xdata()) == 2
                and line.get_xdata()[0] != line.get_xdata()[1]]
    assert len(segments) == 3  # 2019-20, 2020-21, 2021-22
    assert "no trend" not in ax.get_xlabel()
    mixed = thick[thick["year"] != 2020]
    mixed = pd.concat([mixed, thin[thin["year"] == 2020]]).sort_values("year")
    ax = plot_trend(mixed, "year")
    segments = [line for line in ax.lines if len(line.get_xdata()) == 2
                and line.get_xdata()[0] != line.get_xdata()[1]]
    assert [tuple(s.get_xdata()) for s in segments] == [(2021.0, 2022.0)]
    with pytest.raises(InvalidInputError, match="expected numbers"):
        plot_trend(thin.assign(year=thin["year"].astype(str)), "year")


def test_trend_by_hue_and_compare_with_intervals():
    passages = many_documents(12, [2020, 2021])
    by = profile(passages, ["year", "organisation"])
    ax = plot_trend(by, "year", hue="organisation", title="Over time")
    assert ax.get_title().startswith("Over time\n12 documents")
    labels = sorted(t.get_text() for t in ax.figure.legends[0].get_texts())
    assert labels == ["Org 0", "Org 1", "Org 2"]
    compared = profile(passages, "organisation")
    ax = plot_compare(compared, "organisation")
    points = [line for line in ax.lines if line.get_marker() == "o" and len(line.get_xdata())]
    assert len(points) == 3 * len(FRAMINGS)
    np.testing.assert_allclose(sorted(p.get_ydata()[0] for p in points), sorted(
        compared[[f"share_{f}" for f in FRAMINGS]].to_numpy().ravel()))


def test_page_strip_one_cell_per_passage_in_label_colours():
    ax = plot_page_strip(PASSAGES, "a")
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    one = PASSAGES[PASSAGES["doc_id"] == "a"]
    assert len(cells) == len(one)
    assert [to_hex(c.get_facecolor()) for c in cells] == [COLORS[x].lower() for x in one["label"]]
    assert [c.get_hatch() for c in cells] == ["////" if r else None for r in one["review"]]
    assert [c.get_x() + c.get_width() / 2 for c in cells] == pytest.approx(one["page_start"])
    assert ax.get_title().startswith("Board papers")
    by_title = plot_page_strip(PASSAGES, "Health strategy")
    assert len(by_title.patches) == 4


def test_page_strip_keeps_its_height_for_a_long_page():
    long = pd.DataFrame({"label": ["none", "lifestyle"] * 2000, "page_start": 1})
    ax = plot_page_strip(long)
    assert ax.figure.get_size_inches()[1] < 4
    assert len(figure_png(ax, dpi=50)) < 200_000


def test_page_strip_needs_one_document():
    with pytest.raises(InvalidInputError,
                       match=r"holds 2 documents; pass doc= one of \['a', 'b'\]"):
        plot_page_strip(PASSAGES)
    with pytest.raises(InvalidInputError, match="no document 'zzz'"):
        plot_page_strip(PASSAGES, "zzz")
    single = PASSAGES[PASSAGES["doc_id"] == "b"]
    assert isinstance(plot_page_strip(single), Axes)


def test_reliability_diagram_from_reliability_table():
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(5), size=300)
    correct = rng.random(300) < proba.max(axis=1)
    table = reliability_table(proba, correct)
    ax = plot_reliability(table)
    filled = [row for row in table if row["n"]]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(filled)
    assert [b.get_height() for b in bars] == pytest.approx([r["accuracy"] for r in filled])
    assert "ECE" not in ax.get_title()  # bins alone: no ECE computed here
    ece = expected_calibration_error(proba, correct)
    with_metrics = plot_reliability({"reliability": table, "ece": ece, "n_groups": 7})
    assert f"ECE {ece:.3f}" in with_metrics.get_title()
    assert "7 documents · 300 passages" in with_metrics.get_title()
    assert isinstance(plot_reliability(pd.DataFrame(table)), Axes)


def test_draws_into_a_given_axes_and_renders_png(profiles):
    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert plot_shares(profiles, "title", ax=left) is left
    assert plot_continuum(profiles, "title", ax=right) is right
    assert len(left.patches) == len(profiles) * len(FRAMINGS)
    assert figure_png(fig).startswith(b"\x89PNG")
    svg = figure_svg(left)
    assert svg.lstrip().startswith("<?xml") and "Board papers" in svg  # text stays text


def test_an_axes_on_a_subfigure_renders_its_whole_figure(profiles):
    # a subfigure cannot be saved on its own: its Axes render the figure holding it
    fig = Figure()
    left, right = fig.subfigures(1, 2)
    plot_shares(profiles, "title", ax=left.add_subplot())
    ax = plot_continuum(profiles, "title", ax=right.add_subplot())
    assert figure_png(ax).startswith(b"\x89PNG")
    assert "Board papers" in figure_svg(ax)


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
