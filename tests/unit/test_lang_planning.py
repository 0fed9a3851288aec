"""Issue 10 item 7, planning: the formula in words in the interface's language (the rules keep the machine
formula); units and sources of the parameters in English in the English interface."""
from __future__ import annotations

from povlib import planning
from povlib.i18n import t
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
