"""The support plan of a review uses the amounts of its plan year (review year + 1), as the projection does.

The shipped policy set holds the 2020 plan's amounts and a ``[[periods]]`` entry with those of 2026–2030.
A plan from the 2026 review (the 2027 plan) or the 2027 review used the 2020 amounts marked confirmed
(base salary 1.490.000, health insurance 804.600 a person); it now uses the period's, the others carried
forward and marked unconfirmed, and says so. An officer's saved amount wins over the period's.
"""
from __future__ import annotations

import pandas as pd

from povlib import planning
from povlib.i18n import t
from povlib.planning import PolicyOverrides, build_plan, plan_policies


def _rows(demo: pd.DataFrame, year: int) -> pd.DataFrame:
    return planning.with_earlier_reviews(demo, demo[demo["year"] == year])


def test_the_plan_of_the_2026_review_uses_the_2027_amounts(demo):
    dated = plan_policies(2026, overrides=None)
    assert (dated.year, dated.period.id) == (2027, "2026_2030")
    b = build_plan(_rows(demo, 2026), 2026)
    ps = b.policies
    assert ps.parameter_values["base_salary"] == 2_340_000 == dated.policies.parameter_values["base_salary"]
    params = b.sheets[t("plan.sheet.parameters", "vi")].set_index(t("plan.col.parameter", "vi"))
    base = next(q for q in ps.parameters if q.id == "base_salary").label("vi")
    assert params.loc[base, t("plan.col.value", "vi")] == 2_340_000
    # the health insurance of the poor at 4,5 % of the 2027 base salary, 12 months: 1.263.600 a person
    hi = b.budget[b.budget["policy_id"] == "health_insurance_poor"]
    assert (hi["unit_amount"] == 1_263_600).all() and (hi["budget"] == hi["funded_units"] * 1_263_600).all()
    notes = b.notes
    assert t("plan.note.period", "vi", year=2027, period="2026–2030", start="01/01/2026", end="31/12/2030") in notes
    carried = [n for n in notes if n.startswith(t("plan.proj.note.carried", "vi", year=2027, n=0, items="")[:20])]
    assert len(carried) == 1 and str(len(dated.carried)) in carried[0]


def test_the_plan_of_the_2019_review_keeps_the_sets_own_amounts(demo):
    b = build_plan(_rows(demo, 2019), 2019)
    assert b.policies.parameter_values["base_salary"] == 1_490_000
    assert not [n for n in b.notes if "giai đoạn 2026–2030" in n]


def test_an_officers_amount_wins_and_is_not_called_carried(monkeypatch):
    dated = plan_policies(2026, overrides=None)
    carried_policy = next(c.split(":", 1)[1] for c in dated.carried if c.startswith("policy:"))
    ov = PolicyOverrides(amounts={carried_policy: 123_000})
    monkeypatch.setattr(planning.overrides, "read_overrides", lambda *a, **k: ov)
    got = plan_policies(2026)
    assert got.policies.unit_amount(carried_policy) == 123_000
    assert f"policy:{carried_policy}" not in got.carried and len(got.carried) == len(dated.carried) - 1


def test_the_sets_district_is_named_where_the_rows_have_no_districts(demo):
    """Imported rows after the 2025 reform carry no district: the note named the set's district by its code."""
    rows = demo[demo["year"] == 2026].assign(district_code=pd.NA, district_name=pd.NA)
    rows.loc[rows.index[:50], "former_district_code"] = "061"  # some households of another former district
    b = build_plan(rows, 2026)
    warning = [n for kind, n in b.notices if kind == "warning" and "Chợ Đồn không phải huyện nghèo" in n]
    assert len(warning) == 1 and "được lập cho Huyện Chợ Đồn (cũ)" in warning[0], warning


def test_the_projection_keeps_the_officers_and_the_sessions_amounts(demo):
    """The projection tab applies the plan year's period, then the values that differ from the shipped rules
    (before, the period overwrote them: the budget tab said 300.000 and the projection 150.000)."""
    own = plan_policies(2026, overrides=None).policies.with_overrides(PolicyOverrides(amounts={"learning_cost": 300_000}))
    pp = planning.project_plan(_rows(demo, 2026), 2026, own, difficult=None)
    assert pp.policies.policies.unit_amount("learning_cost") == 300_000
    assert "policy:learning_cost" not in pp.policies.carried
    assert pp.policies.policies.parameter_values["base_salary"] == 2_340_000  # the period's, as before
    plain = planning.project_plan(_rows(demo, 2026), 2026, planning.load_policies(overrides=None), difficult=None)
    assert plain.policies.policies.unit_amount("learning_cost") == dated_amount("learning_cost")


def dated_amount(pid: str) -> int:
    return plan_policies(2026, overrides=None).policies.unit_amount(pid)


def test_policies_given_without_their_period_get_no_period_note(demo):
    """A plan on other policies (``--policies FILE``, or the 2020 rules given as such) says nothing of the
    2026–2030 period it does not use."""
    b = build_plan(_rows(demo, 2026), 2026, policies=planning.load_policies(overrides=None))
    assert not [n for n in b.notes if "2026–2030" in n]
    assert b.policies.parameter_values["base_salary"] == 1_490_000


def test_the_poverty_branch_column_follows_the_classification(demo):
    """Rows of 2024 (Decree 07/2021) classified under Decision 59/2015 (a what-if) have income-poor households:
    the column stays although the indicators shown are the rows' own standard's."""
    from povlib import views
    from povlib.panel import classify_panel
    from povlib.views.households import household_list

    p = views.with_flows(classify_panel(demo, "QD59_2015", keep_existing=True))
    rows = p[p["year"] == 2024]
    assert (rows["poor_via"] == "income").any()
    assert "Diện nghèo" in household_list(rows, "ND07_2021").columns


def test_a_measure_on_an_abolished_indicator_is_said_not_to_apply(demo):
    """The command line's scenario (and the page's, under a what-if standard) with the TV/radio measure under
    Decree 351/2025: its indicator does not exist, so no household is reached and the plan says why."""
    from povlib.planning import scenario_from_dict

    sc = scenario_from_dict({"interventions": [{"kind": "info_assets"}, {"kind": "water"}]}, "kịch bản")
    rows = _rows(demo, 2026)
    b = build_plan(rows, 2026, scenario=sc, standard="ND351_2025")
    off = [n for kind, n in b.notices if kind == "warning" and "không áp dụng được theo" in n]
    assert len(off) == 1 and "Chuẩn nghèo đa chiều giai đoạn 2026–2030" in off[0]
    b = build_plan(rows, 2026, scenario=sc)  # Decree 07/2021 has the indicator
    assert not [n for kind, n in b.notices if "không áp dụng được theo" in n]
