"""Standards are data: both built-in standards, and a third one added as a file."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from povlib import PovlibInputError, classify_households, standards


def test_builtin_standards():
    q = standards.get("QD59_2015")
    assert [i.id for i in q.indicators] == ["adult_education", "child_schooling", "health_access", "health_insurance",
                                           "housing_quality", "living_area", "water_source", "latrine", "telecom",
                                           "info_assets"]
    assert len(q.dimensions) == 5 and q.deprivation_cutoff == 3 and q.income_only_poor
    assert (q.scores["rural"].poor, q.scores["rural"].near_poor, q.scores["urban"].poor, q.scores["urban"].near_poor) == (120, 150, 140, 175)
    n = standards.get("ND07_2021")
    assert len(n.indicators) == 12 and len(n.dimensions) == 6 and not n.income_only_poor
    assert n.lines["rural"].poor == 1_500_000 and n.lines["urban"].average == 3_000_000
    assert standards.standard_for_year(2019) is q and standards.standard_for_year(2023) is n
    assert q.indicator("latrine").label("vi") == "Hố xí/nhà tiêu hợp vệ sinh"


def _with_own_labels(text: str) -> str:
    """The built-in file with the labels a standard of one's own writes (it has no catalog keys)."""
    text = text.replace('id = "QD59_2015"', 'id = "QD59_2015"\nname_vi = "Chuẩn riêng"\nname_en = "Own standard"')
    return re.sub(r'^(id = "([a-z_]+)")$', r'\1\nlabel_vi = "vi \2"\nlabel_en = "en \2"', text, flags=re.M)


def test_third_standard_is_a_data_change(tmp_path):
    text = _with_own_labels((standards.RULES_DIR / "QD59_2015.toml").read_text(encoding="utf-8"))
    text = text.replace('id = "QD59_2015"', 'id = "BK_LOCAL_2019"').replace("poor = 700_000", "poor = 800_000")
    f = tmp_path / "local.toml"
    f.write_text(text, encoding="utf-8")
    std = standards.load_file(f)
    try:
        assert standards.get("BK_LOCAL_2019") is std
        df = pd.DataFrame({"area": ["rural"], "income": [750_000], "b2_score": [0]})
        assert classify_households(df, "QD59_2015").loc[0, "status"] == "near_poor"
        assert classify_households(df, "BK_LOCAL_2019").loc[0, "status"] == "poor"
        # no catalog keys for this standard: the labels written in its file are used
        assert std.name("en") == "Own standard" and std.indicator("latrine").label("vi") == "vi latrine"
        assert std.dimension_of("latrine").label("en") == "en water_sanitation"
        assert std.indicator("latrine").definition("en") == ""
    finally:
        standards._REGISTRY.pop("BK_LOCAL_2019", None)


def test_builtin_labels_come_from_the_catalog_and_an_own_file_needs_labels(tmp_path):
    q = standards.get("QD59_2015")
    assert q.name("en") == "Multidimensional poverty standard 2016–2020"
    assert q.indicator("latrine").label("en") == "Hygienic latrine" and q.indicator("latrine").label_en == ""
    assert q.indicator("latrine").definition("vi") == "Không sử dụng hố xí/nhà tiêu hợp vệ sinh"
    text = (standards.RULES_DIR / "QD59_2015.toml").read_text(encoding="utf-8")
    f = tmp_path / "unlabelled.toml"
    f.write_text(text.replace('id = "QD59_2015"', 'id = "NO_LABELS"'), encoding="utf-8")
    with pytest.raises(PovlibInputError, match="label_vi"):
        standards.load_file(f, register_it=False)


def test_invalid_standard_file(tmp_path):
    text = (standards.RULES_DIR / "QD59_2015.toml").read_text(encoding="utf-8")
    f = tmp_path / "bad.toml"
    f.write_text(text.replace("near_poor = 1_000_000", "near_poor = 500_000"), encoding="utf-8")
    with pytest.raises(PovlibInputError, match="rural"):
        standards.load_file(f, register_it=False)
