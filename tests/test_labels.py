import pytest

from framingclf import LABELS
from framingclf.errors import UnknownLabelError
from framingclf.labels import CONTINUUM, DESCRIPTIONS, FRAMINGS, check_label


def test_labels_in_continuum_order():
    assert FRAMINGS == ("healthcare-access", "lifestyle", "social-determinants",
                        "structural-politics")
    assert LABELS == (*FRAMINGS, "none")
    assert [CONTINUUM[f] for f in FRAMINGS] == [0, 1, 2, 3]
    assert "none" not in CONTINUUM
    assert set(DESCRIPTIONS) == set(LABELS)


def test_check_label_names_where():
    assert check_label("lifestyle") == "lifestyle"
    with pytest.raises(UnknownLabelError, match=r"^row 3: unknown label 'Lifestyle'; expected"):
        check_label("Lifestyle", "row 3")
