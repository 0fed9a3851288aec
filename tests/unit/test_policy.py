"""Support policies: data file, eligibility counts, budget arithmetic, double counting, ND07 rules
(the command line ``plan``: ``tests/cli/test_cli_plan.py``)."""
from __future__ import annotations

import dataclasses
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from povlib import classify_households
from povlib.errors import PovlibInputError
from povlib.i18n import t
from povlib.planning import (
    Intervention,
    PolicyOverrides,
    Scenario,
    budget,
    budget_summary,
    build_plan,
    commune_totals,
    detect_edits,
    difficult_status,
    eligibility,
    eval_amount,
    grants_by_commune,
    load_difficult_communes,
    load_policies,
    parameter_editor_table,
    policies_to_toml,
    policy_editor_table,
    save_overrides,
    save_policies,
)
from povlib.planning import overrides as overrides_module
from povlib.sorting import vi_sorted
from povlib.transitions import household_flows

YEAR = 2019


@pytest.fixture(scope="module")
def pol():
    return load_policies()


@pytest.fixture(scope="module")
def difficult():
    return load_difficult_communes()


@pytest.fixture(scope="module")
def plan(demo, pol, difficult):
    return budget(eligibility(demo, pol, year=YEAR, difficult=difficult), pol)


# --- the data files ------------------------------------------------------------------------------
def test_policies_file_has_the_documented_policies(pol):
    ids = {p.id for p in pol.policies}
    assert {"health_insurance_poor", "health_insurance_near_poor", "learning_cost", "tuition_exemption_poor",
            "electricity", "housing_loan", "credit_poor", "credit_near_poor", "credit_recently_escaped",
            "settop_box"} <= ids
    for p in pol.policies:
        assert p.name("vi") and p.name("en") and p.name("vi") != p.name("en") and p.legal_basis and p.source
        assert not p.name_vi  # the shipped names are in the catalog, not in the file
    assert pol.district_note("en").startswith("Chợ Đồn is not") and pol.title("vi")


def test_own_policies_file_writes_the_names_the_catalog_lacks(pol, tmp_path):
    own = dataclasses.replace(pol.policy("settop_box"), id="radio_gift", name_vi="Tặng radio", name_en="Radio gift")
    ps = dataclasses.replace(pol, id="", policies=(*pol.policies, own))
    path = tmp_path / "own.toml"
    save_policies(ps, path)
    text = path.read_text(encoding="utf-8")
    assert 'name_en = "Radio gift"' in text and "name_vi" not in text.split("radio_gift")[0]
    again = load_policies(path)
    assert again.policy("radio_gift").name("en") == "Radio gift"
    assert again.policy("settop_box").name("en") == pol.policy("settop_box").name("en")
    assert again.title("en") == "" and again.district_note("vi") == ""
    path.write_text(text.replace('name_vi = "Tặng radio"\n', ""), encoding="utf-8")
    with pytest.raises(PovlibInputError, match="name_vi"):
        load_policies(path)


def test_health_insurance_premium_is_computed_from_base_salary_and_rate(pol):
    assert pol.unit_amount("health_insurance_poor") == 804_600  # 4.5 % × 1,490,000 × 12
    assert pol.policy("health_insurance_near_poor").state_share_percent == 70
    higher = pol.with_parameters({"base_salary": 1_600_000})
    assert higher.unit_amount("health_insurance_poor") == 864_000


def test_unconfirmed_amounts_are_flagged(pol):
    assert pol.amount_confirmed("health_insurance_poor")
    assert not pol.amount_confirmed("learning_cost")
    # the electricity formula is confirmed but the tariff parameter is not
    assert pol.policy("electricity").confirmed and not pol.amount_confirmed("electricity")
    assert pol.unit_amount("tuition_exemption_poor") is None and not pol.amount_confirmed("tuition_exemption_poor")


def test_formula_is_exact_and_safe():
    assert eval_amount("a * b / 100 * 12", {"a": 1_490_000, "b": 4.5}) == 804_600
    with pytest.raises(PovlibInputError):
        eval_amount("__import__('os').system('true')", {})
    with pytest.raises(PovlibInputError):
        eval_amount("a * 2", {})


def test_save_round_trips_and_is_written_only_on_save(pol, tmp_path):
    path = tmp_path / "policies.toml"
    edited = pol.with_amounts({"learning_cost": 150_000})
    assert not path.exists()
    save_policies(edited, path)
    again = load_policies(path)
    assert again.unit_amount("learning_cost") == 150_000
    assert dataclasses.replace(again, source_file="") == dataclasses.replace(edited, source_file="")
    # editing a copy does not touch the bundled file
    assert load_policies().unit_amount("learning_cost") == 100_000


def test_bad_amounts_are_refused(pol):
    with pytest.raises(PovlibInputError):
        pol.with_amounts({"learning_cost": -5})
    with pytest.raises(PovlibInputError):
        pol.with_amounts({"learning_cost": 1.5})
    with pytest.raises(PovlibInputError):
        pol.with_amounts({"health_insurance_poor": 1})  # formula-based: edit parameters
    with pytest.raises(PovlibInputError):
        pol.with_amounts({"no_such_policy": 1})


def test_broken_policies_file_names_the_policy(pol, tmp_path):
    text = policies_to_toml(pol).replace('kind = "exemption"', 'kind = "gift"', 1)
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PovlibInputError) as err:
        load_policies(path)
    assert "tuition_exemption_poor" in str(err.value) and "gift" in str(err.value)


def test_difficult_communes_file_is_marked_unconfirmed(difficult):
    assert len(difficult) == 22
    assert difficult["commune_code"].str.fullmatch(r"\d{5}").all()
    assert not difficult["confirmed"].any()
    assert difficult["extremely_difficult"].any()


# --- eligibility = direct counts -------------------------------------------------------------------
def test_eligibility_equals_direct_counts(demo, plan):
    y = demo[demo["year"] == YEAR]
    poor = y["status"] == "poor"
    near = y["status"] == "near_poor"
    rural = y["area"] == "rural"
    rec = household_flows(demo).loc[y.index, "recently_escaped"] & ~poor
    for pid, mask in {
        "health_insurance_poor": poor,
        "health_insurance_near_poor": near,
        "electricity": poor,
        "housing_loan": poor & rural,
        "credit_near_poor": near,
        "credit_recently_escaped": rec & ~near,
        "settop_box": poor | near,
    }.items():
        direct_hh = mask.groupby(y["commune_code"].astype(str), observed=True).sum()
        direct_pp = y["members"].where(mask, 0).groupby(y["commune_code"].astype(str), observed=True).sum()
        got = plan[plan["policy_id"] == pid].set_index("commune_code")
        assert (got["households"] == direct_hh.reindex(got.index)).all(), pid
        assert (got["people"] == direct_pp.reindex(got.index)).all(), pid
    assert plan.loc[plan["policy_id"] == "settop_box", "households"].sum() == int((poor | near).sum())


def test_health_insurance_double_counting_rule(demo, plan, difficult):
    """Everyone living in an extremely difficult commune is already covered, whatever their ethnicity
    (docs/poverty-rules.md §4; issue 9 item 3 – the rule used to leave out ethnic minorities only)."""
    y = demo[demo["year"] == YEAR]
    ed = set(difficult.loc[difficult["extremely_difficult"], "commune_code"])
    covered = y["commune_code"].astype(str).isin(ed)
    poor = y["status"] == "poor"
    got = plan[plan["policy_id"] == "health_insurance_poor"]
    assert got["already_covered"].sum() == y.loc[poor & covered, "members"].sum() > 0
    assert got["funded_units"].sum() == y.loc[poor & ~covered, "members"].sum()
    # without the list, nobody is "already covered"
    assert (got["funded_units"] == got["units"] - got["already_covered"]).all()
    outside = got[~got["commune_code"].isin(ed)]
    assert (outside["already_covered"] == 0).all()
    # other policies are not affected by the health-insurance rule
    assert (plan.loc[plan["policy_id"] == "electricity", "already_covered"] == 0).all()


def test_pupils_are_estimated_or_taken_from_a_column(demo, pol):
    y = demo[demo["year"] == YEAR]
    est = eligibility(y, pol, difficult=None)
    row = est[est["policy_id"] == "learning_cost"]
    assert row["units_estimated"].all()
    share = pol.parameter_values["pupils_per_member"]
    poor_members = y.loc[y["status"] == "poor"].groupby(y["commune_code"].astype(str), observed=True)["members"].sum()
    expected = np.floor(poor_members * share + 0.5).astype(int)
    assert (row.set_index("commune_code")["units"] == expected.reindex(row["commune_code"]).to_numpy()).all()
    with_col = y.assign(pupils=(y["members"] // 3).astype(int))
    got = eligibility(with_col, pol, difficult=None)
    lc = got[got["policy_id"] == "learning_cost"]
    assert not lc["units_estimated"].any()
    assert lc["units"].sum() == with_col.loc[with_col["status"] == "poor", "pupils"].sum()


# --- budget arithmetic ------------------------------------------------------------------------------
def test_budget_is_count_times_amount_times_share(plan, pol):
    for pid in plan["policy_id"].unique():
        rows = plan[plan["policy_id"] == pid]
        amount = pol.unit_amount(pid)
        p = pol.policy(pid)
        if amount is None:
            assert rows["budget"].isna().all()
            continue
        expected = rows["funded_units"] * amount * p.periods * p.state_share_percent / 100
        assert (rows["budget"].astype("int64") == expected.round().astype("int64")).all(), pid
    hi = plan[plan["policy_id"] == "health_insurance_near_poor"]
    assert (hi["budget"].astype("int64") == hi["funded_units"] * 563_220).all()  # 70 % of 804,600
    el = plan[plan["policy_id"] == "electricity"]
    assert (el["budget"].astype("int64") == el["funded_units"] * 30 * 1678 * 12).all()


def test_edited_amount_changes_budget_only_for_that_policy(demo, pol, plan):
    edited = pol.with_amounts({"learning_cost": 200_000})
    b2 = budget(eligibility(demo, edited, year=YEAR), edited)
    lc1 = plan.loc[plan["policy_id"] == "learning_cost", "budget"].astype("int64").to_numpy()
    lc2 = b2.loc[b2["policy_id"] == "learning_cost", "budget"].astype("int64").to_numpy()
    assert (lc2 == 2 * lc1).all()
    others = plan["policy_id"] != "learning_cost"
    pd.testing.assert_series_equal(plan.loc[others, "budget"].reset_index(drop=True),
                                   b2.loc[b2["policy_id"] != "learning_cost", "budget"].reset_index(drop=True))


def test_commune_totals_keep_lending_apart(plan):
    tot = commune_totals(plan, total_label="Tổng cộng")
    assert tot.iloc[-1]["commune_name"] == "Tổng cộng"
    body = tot.iloc[:-1]
    grants = plan.loc[~plan["lending"], "budget"].fillna(0).astype("int64").sum()
    lending = plan.loc[plan["lending"], "budget"].fillna(0).astype("int64").sum()
    assert body["grant_budget"].sum() == grants == tot.iloc[-1]["grant_budget"]
    assert body["lending_volume"].sum() == lending == tot.iloc[-1]["lending_volume"]
    assert (body["grant_budget_confirmed"] <= body["grant_budget"]).all()
    assert tot.iloc[-1]["policies_without_amount"] == 2  # the two tuition policies


# --- standards --------------------------------------------------------------------------------------
def _nd07_frame() -> pd.DataFrame:
    from povlib import standards

    ids = standards.get("ND07_2021").indicator_ids
    rows = [  # income (rural line 1,500,000), deprivations, members
        (1_200_000, 0, 3),  # income below the line, no deprivation: near-poor under ND07 (poor under QD59)
        (1_500_000, 3, 4),  # at the line with 3: poor
        (1_500_000, 2, 5),  # at the line with 2: near-poor
        (1_500_001, 6, 2),  # above the line: neither, however deprived
        (600_000, 1, 6),    # very low income, 1 deprivation: near-poor (no income-only branch)
    ]
    data = {"household_id": [f"h{i}" for i in range(len(rows))], "commune_code": ["02020"] * len(rows),
            "commune_name": ["X"] * len(rows), "area": ["rural"] * len(rows),
            "income": [r[0] for r in rows], "members": [r[2] for r in rows], "ethnic_minority": [False] * len(rows)}
    for j, c in enumerate(ids):
        data[c] = [1 if j < r[1] else 0 for r in rows]
    return pd.DataFrame(data)


def test_nd07_rules_apply_to_eligibility(pol):
    df = _nd07_frame()
    c = classify_households(df, "ND07_2021")
    assert c["status"].astype(str).tolist() == ["near_poor", "poor", "near_poor", "non_poor", "near_poor"]
    b = budget(eligibility(c, pol, difficult=None), pol).set_index("policy_id")
    assert b.loc["health_insurance_poor", "households"] == 1
    assert b.loc["health_insurance_poor", "people"] == 4
    assert b.loc["health_insurance_near_poor", "people"] == 3 + 5 + 6
    assert b.loc["health_insurance_near_poor", "budget"] == 14 * 563_220
    # the same households under QD59 (rural poor line 700,000) give other counts
    q = classify_households(df.drop(columns=["employment", "dependants", "nutrition", "info_access"]).assign(
        health_access=0, telecom=0, info_assets=0), "QD59_2015")
    assert q["status"].astype(str).tolist()[4] == "poor"  # income-poor under QD59
    bq = budget(eligibility(q, pol, difficult=None), pol).set_index("policy_id")
    assert bq.loc["health_insurance_poor", "people"] == 6


def test_deprived_in_indicator_target_group(pol):
    df = classify_households(_nd07_frame(), "ND07_2021")
    p = dataclasses.replace(pol.policy("settop_box"), id="tv_for_info_deprived", groups=("deprived:info_access",))
    ps = dataclasses.replace(pol, policies=(p,))
    e = eligibility(df, ps, difficult=None)
    assert int(e["households"].sum()) == int((df["info_access"] == 1).sum())


def test_single_year_without_flows_flags_recently_escaped_unknown(demo, pol):
    y = demo[demo["year"] == YEAR].drop(columns=["year"])
    e = eligibility(y, pol, difficult=None)
    assert e.attrs["recently_escaped_known"] is False
    assert e.loc[e["policy_id"] == "credit_recently_escaped", "households"].sum() == 0


def test_several_years_need_a_year(demo, pol):
    with pytest.raises(PovlibInputError):
        eligibility(demo, pol)
    with pytest.raises(PovlibInputError):
        eligibility(demo, pol, year=1999)


# --- overrides: the shipped rules stay, an officer's values apply on top --------------------------------
def test_overrides_hold_only_the_changed_values_and_keep_confirmed(tmp_path):
    rules = load_policies(overrides=None)
    target = tmp_path / "overrides.toml"
    edited = rules.with_parameters({"base_salary": 1_600_000}).with_amounts({"learning_cost": 150_000,
                                                                             "settop_box": None})
    save_overrides(edited, target, rules=rules)
    text = target.read_text(encoding="utf-8")
    assert "base_salary = 1600000" in text and "learning_cost = 150000" in text and "settop_box" in text
    assert "health_insurance_rate_percent" not in text and "housing_loan" not in text
    again = load_policies(overrides=target)
    assert again == edited
    assert again.overrides == PolicyOverrides({"base_salary": 1_600_000}, {"learning_cost": 150_000, "settop_box": None})
    assert again.unit_amount("settop_box") is None and again.unit_amount("health_insurance_poor") == 864_000
    # every value keeps the confirmed marking of the rule it replaces
    assert [p.confirmed for p in again.parameters] == [p.confirmed for p in rules.parameters]
    assert [p.confirmed for p in again.policies] == [p.confirmed for p in rules.policies]
    # the shipped rules are untouched; saving the rules themselves removes the override
    assert load_policies(overrides=None).unit_amount("learning_cost") == 100_000
    save_overrides(rules, target, rules=rules)
    assert not target.exists()


def test_default_loading_applies_the_officers_overrides_file(tmp_path, monkeypatch):
    target = tmp_path / "overrides.toml"
    monkeypatch.setattr(overrides_module, "OVERRIDES_FILE", target)
    assert not len(load_policies().overrides)
    target.write_text("[amounts]\nlearning_cost = 120000\n", encoding="utf-8")
    assert load_policies().unit_amount("learning_cost") == 120_000
    assert load_policies(overrides=None).unit_amount("learning_cost") == 100_000
    target.write_text("[amounts]\nno_such_policy = 1\n", encoding="utf-8")
    with pytest.raises(PovlibInputError) as err:
        load_policies()
    assert "overrides.toml" in str(err.value) and "no_such_policy" in str(err.value)
    target.write_text("[amounts]\nlearning_cost = \"much\"\n", encoding="utf-8")
    with pytest.raises(PovlibInputError):
        load_policies()


def test_save_overrides_refuses_changes_beyond_values(tmp_path):
    rules = load_policies(overrides=None)
    other = dataclasses.replace(rules.policy("learning_cost"), state_share_percent=50)
    changed = dataclasses.replace(rules, policies=tuple(other if p.id == "learning_cost" else p for p in rules.policies))
    with pytest.raises(PovlibInputError):
        save_overrides(changed, tmp_path / "overrides.toml", rules=rules)
    assert not (tmp_path / "overrides.toml").exists()


# --- what the planning page computes (povlib.planning, pure) --------------------------------------------
def test_detect_edits_reads_the_editor_tables(pol):
    tab, par = policy_editor_table(pol), parameter_editor_table(pol)
    amounts = dict(zip(tab["policy_id"], tab[t("plan.col.unit_amount")]))
    values = dict(zip(par["param_id"], par[t("plan.col.value")]))
    assert detect_edits(pol, amounts, values).n_changes == 0  # the tables as filled: no edit
    amounts.update(learning_cost=150_000.0, health_insurance_poor=1.0, tuition_exemption_poor=50_000.0,
                   settop_box=pd.NA)
    values.update(base_salary=1_600_000.0, health_insurance_rate_percent=5.0, pupils_per_member=float("nan"))
    e = detect_edits(pol, amounts, values)
    assert e.amounts == {"learning_cost": 150_000.0, "tuition_exemption_poor": 50_000.0, "settop_box": None}
    assert e.parameters == {"base_salary": 1_600_000, "health_insurance_rate_percent": 5.0}
    assert isinstance(e.parameters["base_salary"], int) and isinstance(e.parameters["health_insurance_rate_percent"], float)
    assert e.ignored_formula == ["health_insurance_poor"] and e.n_changes == 5
    ps = e.apply_to(pol)
    assert ps.unit_amount("learning_cost") == 150_000 and ps.unit_amount("settop_box") is None
    assert ps.unit_amount("health_insurance_poor") == round(1_600_000 * 5 / 100 * 12)


def test_editor_tables_flag_unconfirmed_values(pol):
    tab = policy_editor_table(pol)
    assert tab.columns[0] == "policy_id" and str(tab[t("plan.col.unit_amount")].dtype) == "Float64"
    status = dict(zip(tab["policy_id"], tab[t("plan.col.confirmed")]))
    assert status["health_insurance_poor"] == t("plan.confirmed") and status["learning_cost"].startswith("⚠")
    assert tab.set_index("policy_id").loc["tuition_exemption_poor", t("plan.col.unit_amount")] is pd.NA
    par = parameter_editor_table(pol)
    assert par.columns[0] == "param_id" and par[t("plan.col.value")].tolist() == [float(p.value) for p in pol.parameters]


def test_budget_summary_is_the_total_row(plan):
    s = budget_summary(plan)
    tot = commune_totals(plan, total_label="x").iloc[-1]
    assert (s.grant_budget, s.grant_budget_confirmed, s.lending_volume, s.hi_already_covered,
            s.policies_without_amount) == tuple(int(tot[c]) for c in ("grant_budget", "grant_budget_confirmed",
                                                                      "lending_volume", "hi_already_covered",
                                                                      "policies_without_amount"))
    assert s.policies_without_amount == 2 and s.lending_volume > 0


def test_grants_by_commune_feed_the_budget_chart(plan, pol):
    g = grants_by_commune(plan, pol, "en")
    assert int(g["budget"].sum()) == budget_summary(plan).grant_budget
    lending = {p.id for p in pol.policies if p.is_lending}
    assert not set(g["policy_id"]) & lending and "tuition_exemption_poor" not in set(g["policy_id"])
    order = [p.id for p in pol.policies if p.id in set(g["policy_id"])]
    assert list(dict.fromkeys(g["policy_id"])) == order
    assert g.loc[g["policy_id"] == "learning_cost", "policy"].iloc[0] == "Learning-cost support"


def test_difficult_status_names_the_listed_and_missing_communes(difficult):
    s = difficult_status(difficult, ["02023", "02020", "99999", "99998"])
    listed = difficult.loc[difficult["extremely_difficult"], "commune_name"].tolist()
    assert not s.confirmed and s.listed_names == vi_sorted(listed) and s.missing == 2  # Vietnamese order
    assert difficult_status(difficult.assign(confirmed=True)).confirmed


def test_plan_bundle_sheets_titles_notes(demo):
    y = demo[demo["year"] == YEAR]
    b = build_plan(y, YEAR, policies=load_policies(overrides=None), scope_label="Chợ Đồn", synthetic=True)
    assert list(b.sheets) == ["Tổng hợp theo xã", "Tổng hợp chính sách", "Theo xã và chính sách", "Chính sách",
                              "Tham số"]
    assert b.whatif is None and "2019" in b.titles[0] and not any("khác văn bản gốc" in n for n in b.notes)
    wb = openpyxl.load_workbook(io.BytesIO(b.to_xlsx()))
    assert wb.sheetnames[0] == "Tổng hợp theo xã"
    sc = Scenario("W", (Intervention("water", ("02023",)),), amounts={"learning_cost": 150_000})
    b2 = build_plan(y, YEAR, policies=load_policies(overrides=None), scenario=sc)
    assert len(b2.sheets) == 7 and b2.whatif is not None and b2.policies.unit_amount("learning_cost") == 150_000
    assert any("khác văn bản gốc" in n and "150.000" in n for n in b2.notes)
