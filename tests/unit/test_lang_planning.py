"""Issue 10 item 7, planning: the formula in words in the interface's language (the rules keep the machine
formula); units and sources of the parameters in English in the English interface."""
from __future__ import annotations

from povlib import planning
from povlib.i18n import t
from povlib.planning.policy_table import formula_text
from povlib.planning.sheets import parameters_sheet, policies_sheet


def test_formula_shown_in_words_not_code():
    ps = planning.load_policies()
    for lang in ("vi", "en"):
        col = policies_sheet(ps, lang)[t("plan.col.formula", lang)]
        shown = [f for f in col if f]
        assert shown and not any("_" in f or "*" in f for f in shown), shown
    vi = policies_sheet(ps, "vi")[t("plan.col.formula", "vi")].iloc[0]
    assert vi == "Mức lương cơ sở × Mức đóng bảo hiểm y tế (% lương cơ sở) ÷ 100 × 12"
    assert ps.policy("health_insurance_poor").amount_formula == "base_salary * health_insurance_rate_percent / 100 * 12"


def test_parameter_units_and_sources_in_english():
    ps = planning.load_policies()
    en = parameters_sheet(ps, "en")
    units = en[t("plan.col.param_unit", "en")].tolist()
    assert "VND/month" in units and not any("đồng" in u or "tháng" in u for u in units), units
    assert not any(s.startswith("Giả định") or "Nghị định" in s for s in en[t("plan.col.source", "en")]), en
    vi = parameters_sheet(ps, "vi")
    assert "đồng/tháng" in vi[t("plan.col.param_unit", "vi")].tolist()


def test_policy_sources_in_english():
    """The policies table's sources follow the interface language (catalog ``policy.<id>.source``)."""
    from povlib.planning.policy_table import policy_table

    ps = planning.load_policies()
    en = policy_table(ps, "en")["source"].tolist()
    assert en and not any("đồng" in s or "chưa xác nhận" in s or "Giả định" in s for s in en), en
    assert any("804,600 VND" in s for s in en)
    vi = policy_table(ps, "vi")["source"].tolist()
    assert any("804.600 đồng" in s for s in vi)


def test_policy_legal_basis_in_the_interface_language():
    """The legal basis in English in the English interface ("Nghị định 86/2015/NĐ-CP", "Ngân hàng Chính sách xã
    hội" were shown there: sweeps of the exports and of the national pages); Vietnamese as the rules file has it."""
    import re

    from povlib.planning.policy_table import policy_table

    ps = planning.load_policies()
    en = policy_table(ps, "en")["legal_basis"].tolist()
    assert "Decree 86/2015/NĐ-CP" in en and "Vietnam Bank for Social Policies" in en, en
    # only the documents' own numbers keep Vietnamese letters (NĐ-CP, QĐ-TTg)
    assert not any(re.search(r"[ăâđêôơưạ-ỹ]", re.sub(r"\d+/\d+/(NĐ-CP|QĐ-TTg)", "", s, flags=re.I)) for s in en), en
    assert policy_table(ps, "vi")["legal_basis"].tolist() == [p.legal_basis for p in ps.policies]
    assert policies_sheet(ps, "en")[t("plan.col.legal_basis", "en")].tolist() == en


def test_projection_sources_give_the_formula_in_words():
    """The 2027 projection's table said "Tính theo công thức base_salary * health_insurance_rate_percent …"."""
    import pandas as pd

    from povlib.planning import project_plan
    from povlib.planning.projection_sheets import amounts_table
    from tests.unit.test_plan_projection import _hh

    df = pd.DataFrame([_hh(2_000_000, "rural", 3, "near_poor")]).assign(household_id=["a"])
    pp = project_plan(df, 2026, planning.load_policies(overrides=None), difficult=None)
    ps = planning.load_policies()
    for lang in ("vi", "en"):
        sources = amounts_table(pp, lang)[t("plan.proj.col.source", lang)].tolist()
        words = formula_text(ps, "health_insurance_poor", lang)
        assert words and "_" not in words and "*" not in words, words
        assert t("plan.proj.formula_source", lang, formula=words) in sources, sources
        assert not any("base_salary" in s or " * " in s for s in sources), sources
    assert formula_text(ps, "learning_cost", "vi") == ""  # an amount, not a formula
