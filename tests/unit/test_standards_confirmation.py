"""Per-field confirmation of the standards' values, Decree 351/2025 as data, and local standards (issue 12 item 3)."""
from __future__ import annotations

import re

import pytest

from povlib import PovlibInputError, standards
from povlib.i18n import t

LOCAL = "DN_ND07_local_example"


def test_nd351_as_data():
    s = standards.get("ND351_2025")
    assert s.review_years == (2027, 2028, 2029, 2030) and not s.income_only_poor and s.deprivation_cutoff == 3
    assert {a: (s.lines[a].poor, s.lines[a].near_poor) for a in ("rural", "urban")} == {
        "rural": (2_200_000, 2_200_000), "urban": (2_800_000, 2_800_000)}
    assert len(s.dimensions) == 6 and len(s.indicators) == 12
    nd07 = set(standards.get("ND07_2021").indicator_ids)
    assert nd07 - set(s.indicator_ids) == {"telecom", "info_access"}
    assert set(s.indicator_ids) - nd07 == {"waste_treatment", "digital_services"}
    assert s.dimension_of("waste_treatment").id == s.dimension_of("latrine").id
    assert s.scores == {}  # the score thresholds of 2027-2030 are not known: none invented


def test_nd351_confirmed_and_unconfirmed_values():
    s = standards.get("ND351_2025")
    assert s.lines["rural"].confirmed and s.lines["urban"].confirmed  # published lines
    assert s.confirmed["income_only_poor"] and s.confirmed["deprivation_cutoff"]  # published rule structure
    un = set(s.unconfirmed)
    assert {f"indicators.{i}" for i in s.indicator_ids} <= un  # the annex was not read
    assert {f"definitions.{i}" for i in s.indicator_ids} <= un
    assert {f"dimensions.{d.id}" for d in s.dimensions} <= un
    assert "points_per_deprivation" in un
    assert not {"lines.rural", "lines.urban", "income_only_poor", "deprivation_cutoff"} & un
    assert s.provisional


def test_qd59_and_nd07_are_not_provisional_but_their_definition_wording_is_unconfirmed():
    for sid in ("QD59_2015", "ND07_2021"):
        s = standards.get(sid)
        assert not s.provisional and standards.provisional_note(s) == ""
        assert s.unconfirmed == [f"definitions.{i}" for i in s.indicator_ids]  # wording unconfirmed (rules doc)
        assert all(s.lines[a].confirmed and s.scores[a].confirmed for a in ("rural", "urban"))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_provisional_note_and_badge(lang):
    note = standards.provisional_note("ND351_2025", lang)
    name = standards.get("ND351_2025").name(lang)
    assert name in note and t("standards.field.indicators", lang) in note
    assert t("standards.field.lines", lang) not in note  # the lines are confirmed
    assert standards.display_name("ND351_2025", lang) == t("standards.provisional.badge", lang, name=name)
    assert standards.display_name("QD59_2015", lang) == standards.get("QD59_2015").name(lang)
    local = standards.provisional_note(LOCAL, lang)
    assert t("standards.field.lines", lang) in local and t("standards.field.legal_source", lang) in local


def test_a_file_without_flags_still_loads_and_is_provisional(tmp_path):
    """Backward compatibility: a rules file written before the flags loads; nothing in it counts as confirmed."""
    text = (standards.RULES_DIR / "ND07_2021.toml").read_text(encoding="utf-8")
    text = text.split("[confirmed]")[0] + "[lines.rural]" + text.split("[lines.rural]", 1)[1]
    text = "\n".join(ln for ln in text.splitlines() if not ln.startswith(("confirmed", "definition_confirmed")))
    text = text.replace('id = "ND07_2021"', 'id = "OLD_FILE"\nname_vi = "Cũ"\nname_en = "Old"')
    # an own standard writes its labels (dimension and indicator ids are lower case)
    text = re.sub(r'^(id = "([a-z_]+)")$', r'\1\nlabel_vi = "x \2"\nlabel_en = "x \2"', text, flags=re.M)
    assert not re.search(r"^\w*confirmed", text, flags=re.M)
    f = tmp_path / "old.toml"
    f.write_text(text, encoding="utf-8")
    s = standards.load_file(f, register_it=False)
    assert s.lines["rural"].poor == 1_500_000 and len(s.indicators) == 12
    assert s.provisional and {"lines.rural", "scores.urban", "legal_source", "indicators.latrine"} <= set(s.unconfirmed)


def test_a_flag_must_be_true_or_false(tmp_path):
    text = (standards.RULES_DIR / "QD59_2015.toml").read_text(encoding="utf-8")
    f = tmp_path / "bad.toml"
    f.write_text(text.replace("poor = 700_000\n", 'poor = 700_000\n', 1).replace(
        "near_poor = 1_000_000\naverage = 1_500_000\nconfirmed = true", 'near_poor = 1_000_000\naverage = 1_500_000\nconfirmed = "yes"'),
        encoding="utf-8")
    with pytest.raises(PovlibInputError, match="confirmed"):
        standards.load_file(f, register_it=False)


def test_local_example_is_registered_and_builds_on_decree_07():
    assert LOCAL in standards.available()
    s = standards.get(LOCAL)
    base = standards.get("ND07_2021")
    assert s.base == "ND07_2021" and s.legal_source and "Đồng Nai" in s.legal_source
    assert (s.lines["rural"].poor, s.lines["urban"].poor, s.deprivation_cutoff) == (2_000_000, 2_500_000, 2)
    assert s.indicator_ids == base.indicator_ids and not s.income_only_poor
    assert s.indicator("latrine").label("vi") == base.indicator("latrine").label("vi")  # labels through the base
    assert s.name("vi") != base.name("vi") and s.review_years == ()
    assert s.scores == {}  # own lines: the base's score thresholds are not inherited
    assert s.provisional and not s.lines["rural"].confirmed
    assert all(standards.standard_for_year(y).id != LOCAL for y in (2022, 2025))


def test_an_office_adds_its_own_local_standard(tmp_path):
    f = tmp_path / "BK_local.toml"
    f.write_text('id = "BK_local"\nbase = "ND07_2021"\nname_vi = "Chuẩn Bắc Kạn"\nname_en = "Bắc Kạn standard"\n'
                 'legal_source = "Nghị quyết X"\n[confirmed]\nlegal_source = true\n', encoding="utf-8")
    s = standards.load_file(f)
    try:
        assert standards.get("BK_local") is s
        base = standards.get("ND07_2021")
        # nothing but the name and source written: lines, scores and rules (and their flags) are the base's
        assert s.lines == base.lines and s.scores == base.scores and s.deprivation_cutoff == 3
        assert not s.provisional
    finally:
        standards._REGISTRY.pop("BK_local", None)


def test_a_local_standard_names_a_known_base_and_its_own_name(tmp_path):
    f = tmp_path / "x.toml"
    f.write_text('id = "X"\nbase = "NOPE"\nname_vi = "x"\nname_en = "x"\n', encoding="utf-8")
    with pytest.raises(PovlibInputError, match="NOPE"):
        standards.load_file(f, register_it=False)
    f.write_text('id = "X"\nbase = "ND07_2021"\n', encoding="utf-8")
    with pytest.raises(PovlibInputError, match="name_vi"):
        standards.load_file(f, register_it=False)
