"""The same figures agree on every page, and follow the legal rules.

Each page draws what a povlib function returns; these tests call those
functions as the pages do (the ``ui.cache`` wrappers only add caching) and
check that the poor / near-poor counts and rates, the flows (thoát nghèo,
nghèo phát sinh, tái nghèo), income-poor vs deprivation-poor and the planning
eligibility agree, for the district and for a few communes, in 2018 and 2019.

Run: ``python -m pytest tests/unit/test_consistency.py -q`` (the pages themselves under a what-if or
mixed standards: ``tests/app/test_standards_pages.py``)
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import povlib
from povlib import geo, planning, reports, views
from povlib.i18n import t
from povlib.measures import rates
from povlib.transitions import flow_table, household_flows

YEARS = (2018, 2019)
COMMUNES = ("01849",)  # filled in by the fixture below with 3 real codes


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return povlib.load_demo()


@pytest.fixture(scope="module")
def app_panel(panel) -> pd.DataFrame:
    """What ``ui.cache.load_panel`` holds: the classified panel with per-household flows by commune."""
    return views.with_flows(panel, keys=("commune_code",))


@pytest.fixture(scope="module")
def communes(panel) -> list[str]:
    """Three communes: the town (urban), the poorest and a middle one in 2019."""
    r = rates(panel[panel["year"] == 2019], by="commune_code").sort_values("poor_rate")
    codes = r["commune_code"].astype(str).tolist()
    return [codes[0], codes[len(codes) // 2], codes[-1]]


@pytest.fixture(scope="module")
def policies():
    return planning.load_policies()


def _truth(panel: pd.DataFrame, year: int, commune: str | None = None) -> dict:
    """Reference figures straight from the classified rows (status, poor_via) and a
    from-first-principles flow count over the household histories."""
    p = panel if commune is None else panel[panel["commune_code"].astype(str) == commune]
    cur = p[p["year"] == year]
    st = cur["status"].astype(str)
    prev_year = max(y for y in p["year"].unique() if y < year)
    prev = p[p["year"] == prev_year].set_index("household_id")["status"].astype(str)
    now = cur.set_index("household_id")["status"].astype(str)
    both = now.index.intersection(prev.index)
    ever_poor = set(p.loc[(p["year"] < year) & (p["status"].astype(str) == "poor"), "household_id"])
    entered = [h for h in both if prev[h] != "poor" and now[h] == "poor"]
    # formed, split off or moved in and poor: newly arising, as the summary form counts them
    joined_poor = int(sum(now[h] == "poor" for h in now.index.difference(prev.index)))
    return {
        "households": len(cur),
        "poor": int((st == "poor").sum()),
        "near_poor": int((st == "near_poor").sum()),
        "income_poor": int(((st == "poor") & (cur["poor_via"].astype(str) == "income")).sum()),
        "deprivation_poor": int(((st == "poor") & (cur["poor_via"].astype(str) == "deprivation")).sum()),
        "escaped_poverty": int(sum(prev[h] == "poor" and now[h] != "poor" for h in both)),
        "newly_poor": int(sum(h not in ever_poor for h in entered)) + joined_poor,
        "joined_poor": joined_poor,
        "re_poor": int(sum(h in ever_poor for h in entered)),
        "escaped_near_poverty": int(sum(prev[h] == "near_poor" and now[h] == "non_poor" for h in both)),
    }


# --- legal vocabulary, from first principles ----------------------------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_flows_follow_the_report_vocabulary(panel, app_panel, communes, year):
    for c in (None, *communes):
        rows = app_panel if c is None else views.select_rows(app_panel, communes=[c])
        fig = views.overview_figures(rows, year)
        truth = _truth(panel, year, c)
        for k, v in truth.items():
            assert fig[k] == v, (c, year, k)


def test_poverty_rate_of_the_district_matches_the_published_figure(app_panel):
    fig = views.overview_figures(app_panel, 2019)
    assert round(fig["poor_rate"] * 100, 2) == 15.86
    assert fig["income_poor"] + fig["deprivation_poor"] == fig["poor"]


def test_recently_escaped_means_escaped_within_three_reviews(app_panel):
    """hộ mới thoát nghèo: escaped in this or one of the two previous reviews, not poor now."""
    p = app_panel
    esc_years = p.loc[p["escaped_poverty"], ["household_id", "year"]]
    cur = p[p["year"] == 2019]
    window = set(esc_years.loc[esc_years["year"].between(2017, 2019), "household_id"])
    expect = cur["household_id"].isin(window) & (cur["status"].astype(str) != "poor")
    assert (cur["recently_escaped"].to_numpy() == expect.to_numpy()).all()
    assert cur["recently_escaped"].sum() > 0


# --- overview == reports == map == trends == ranking ---------------------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_district_figures_agree_across_pages(panel, app_panel, year):
    fig = views.overview_figures(app_panel, year)
    r = rates(panel[panel["year"] == year]).iloc[0]
    for k in ("households", "poor", "near_poor", "income_poor", "deprivation_poor"):
        assert fig[k] == int(r[k])
    assert fig["poor_rate"] == pytest.approx(float(r["poor_rate"]))

    # reports page: build_report on the whole panel (ui.cache.view_report)
    b = reports.build_report(app_panel, year, "all")
    poor = b.tables[next(k for k, v in b.keys.items() if v == "summary_poor")]
    near = b.tables[next(k for k, v in b.keys.items() if v == "summary_near_poor")]
    tp = poor[poor["row_kind"] == "total"].iloc[0]
    tn = near[near["row_kind"] == "total"].iloc[0]
    assert int(tp["households"]) == fig["households"]
    assert int(tp["end"]) == fig["poor"] and int(tn["end"]) == fig["near_poor"]
    assert float(tp["end_rate"]) == pytest.approx(fig["poor_rate"])
    assert float(tn["end_rate"]) == pytest.approx(fig["near_poor_rate"])
    assert int(tp["start"]) == fig["prev_poor"] and int(tn["start"]) == fig["prev_near_poor"]
    assert int(tp["escaped"]) == fig["escaped_poverty"]
    assert int(tp["newly_arising"]) == fig["newly_poor"]
    assert int(tp["re_entered"]) == fig["re_poor"]
    assert int(tn["escaped"]) == fig["escaped_near_poverty"]
    assert int(tn["newly_arising"]) == fig["newly_near_poor"]
    assert int(tn["re_entered"]) == fig["re_near_poor"]
    # the printed identity end = start − escaped (− to poor) + re-entered + newly arising (formed or moved in
    # included) − moved out / no longer existing
    for t_ in (tp, tn):
        assert int(t_["end"]) == (int(t_["start"]) - int(t_["escaped"]) - int(t_["to_poor"]) + int(t_["re_entered"])
                                  + int(t_["newly_arising"]) - int(t_["left"]))
        assert int(t_["joined"]) <= int(t_["newly_arising"])
    # groups and indicator sheets: income-poor vs deprivation-poor
    g = b.tables[next(k for k, v in b.keys.items() if v == "groups")]
    gt = g[g["row_kind"] == "total"].iloc[0]
    for k in ("households", "poor", "near_poor", "income_poor", "deprivation_poor"):
        assert int(gt[k]) == fig[k]
    ind = b.tables[next(k for k, v in b.keys.items() if v == "indicators")]
    assert ind.attrs["households"] == {k: fig[k] for k in ("poor", "income_poor", "deprivation_poor", "near_poor")}

    # map page: unit_measures summed over communes and at district level
    m = geo.unit_measures(app_panel, year)
    assert int(m["households"].sum()) == fig["households"]
    assert int(m["poor"].sum()) == fig["poor"] and int(m["near_poor"].sum()) == fig["near_poor"]
    md = geo.unit_measures(app_panel, year, by="district_code").iloc[0]
    assert float(md["poor_rate"]) == pytest.approx(fig["poor_rate"])

    # trends page: the whole-selection line and the flow table
    tr = views.rates_trend(app_panel).set_index("year").loc[year]
    assert (int(tr["households"]), int(tr["poor"]), int(tr["near_poor"])) == \
        (fig["households"], fig["poor"], fig["near_poor"])
    fl = views.flow_counts(app_panel).set_index("year").loc[year]
    for code in views.FLOW_CODES:
        assert int(fl[code]) == fig[code], code

    # overview ranking (district level) and the province flow table
    rk = views.unit_ranking(app_panel[app_panel["year"] == year], "district").iloc[0]
    assert (int(rk["poor"]), int(rk["near_poor"])) == (fig["poor"], fig["near_poor"])
    ft = flow_table(panel, by=[], status="poor").set_index("year").loc[year]
    assert (int(ft["escaped"]), int(ft["newly_arising"] + ft["joined"]), int(ft["re_entered"]), int(ft["end"])) == \
        (fig["escaped_poverty"], fig["newly_poor"], fig["re_poor"], fig["poor"])


@pytest.mark.parametrize("year", YEARS)
def test_commune_figures_agree_across_pages(app_panel, communes, year):
    rk = views.unit_ranking(app_panel[app_panel["year"] == year], "commune").set_index("code")
    m = geo.unit_measures(app_panel, year).set_index("code")
    trend = views.rates_trend(app_panel, "commune")
    trend = trend[trend["year"] == year].set_index("code")
    b = reports.build_report(app_panel, year, "summary")
    poor = b.tables[next(k for k, v in b.keys.items() if v == "summary_poor")]
    poor = poor[poor["row_kind"] == "unit"].set_index("code")
    for c in communes:
        rows = views.select_rows(app_panel, communes=[c])
        fig = views.overview_figures(rows, year)
        for src in (rk.loc[c], m.loc[c], trend.loc[c]):
            assert (int(src["households"]), int(src["poor"]), int(src["near_poor"])) == \
                (fig["households"], fig["poor"], fig["near_poor"]), c
            assert float(src["poor_rate"]) == pytest.approx(fig["poor_rate"])
        u = poor.loc[c]
        assert (int(u["households"]), int(u["end"]), int(u["escaped"]), int(u["newly_arising"]),
                int(u["re_entered"])) == (fig["households"], fig["poor"], fig["escaped_poverty"],
                                          fig["newly_poor"], fig["re_poor"]), c
        # the reports page restricted to the commune (its own selector)
        bc = reports.build_report(app_panel, year, "summary", commune=c)
        tc = bc.tables[next(k for k, v in bc.keys.items() if v == "summary_poor")]
        tc = tc[tc["row_kind"] == "total"].iloc[0]
        assert (int(tc["end"]), int(tc["escaped"]), int(tc["newly_arising"]), int(tc["re_entered"])) == \
            (fig["poor"], fig["escaped_poverty"], fig["newly_poor"], fig["re_poor"]), c
        # the public posting list of the commune (reports page), with and without escaped households
        for inc in (False, True):
            pl = reports.posting_list(app_panel, year, commune=c, include_escaped=inc)
            assert ((pl["status"] == "poor").sum(), (pl["status"] == "near_poor").sum()) == \
                (fig["poor"], fig["near_poor"]), (c, inc)
            # newly poor on the form = resident newly poor + poor households formed or moved in
            newly = (pl["flow"] == "newly_poor") | ((pl["flow"] == "joined") & (pl["status"] == "poor"))
            assert (newly.sum(), (pl["flow"] == "re_poor").sum()) == (fig["newly_poor"], fig["re_poor"]), (c, inc)
        esc = (pl["status"] == "escaped") | ((pl["status"] == "near_poor") & (pl["flow"] == "escaped_poverty"))
        assert int(esc.sum()) == fig["escaped_poverty"], c
        assert int((pl["status"] == "escaped_near").sum()) == fig["escaped_near_poverty"], c
        # the map's commune panel (villages add up to the commune)
        prof = geo.unit_profile(app_panel, c, year)
        assert int(prof.villages["poor"].sum()) == fig["poor"]
        # the trends page flow bars of the commune
        fl = views.flow_counts(rows).set_index("year").loc[year]
        for code in views.FLOW_CODES:
            assert int(fl[code]) == fig[code], (c, code)


# --- planning eligibility follows the same lists -------------------------------------------------
@pytest.mark.parametrize("year", YEARS)
def test_planning_eligibility_counts_the_same_households(app_panel, communes, policies, year):
    # ui.cache.plan_rows(scope, year): the rows in view and the earlier reviews of the same households
    rows = planning.with_earlier_reviews(app_panel, views.select_rows(app_panel, years=(year,)))
    elig = planning.eligibility(rows, policies, year=year, by=None, difficult=None)
    e = elig.set_index("policy_id")
    fig = views.overview_figures(app_panel, year)
    cur = app_panel[app_panel["year"] == year]
    assert int(e.loc["electricity", "households"]) == fig["poor"]
    assert int(e.loc["credit_near_poor", "households"]) == fig["near_poor"]
    assert int(e.loc["health_insurance_poor", "people"]) == int(cur.loc[cur["status"] == "poor", "members"].sum())
    # hộ mới thoát nghèo now near-poor borrow at the near-poor rate (povlib/rules/policies/policies.toml)
    rec = cur["recently_escaped"] & (cur["status"].astype(str) == "non_poor")
    assert int(e.loc["credit_recently_escaped", "households"]) == int(rec.sum()) > 0
    # the CLI plans from the bare panel (flows computed inside): same counts
    elig_cli = planning.eligibility(povlib.load_demo(), policies, year=year, by=None, difficult=None)
    pd.testing.assert_frame_equal(elig_cli.reset_index(drop=True), elig.reset_index(drop=True))
    # per commune
    ec = planning.eligibility(rows, policies, year=year, difficult=None)
    for c in communes:
        f_c = views.overview_figures(views.select_rows(app_panel, communes=[c]), year)
        hit = ec[(ec["commune_code"] == c) & (ec["policy_id"] == "electricity")]
        assert int(hit["households"].iloc[0]) == f_c["poor"]


# --- a what-if standard (ND07_2021) picked in the dashboard --------------------------------------
@pytest.fixture(scope="module")
def nd07_panel(panel) -> pd.DataFrame:
    """``ui.cache.load_panel(dataset, standard='ND07_2021')``."""
    q = povlib.classify_households(panel, standard="ND07_2021")
    return pd.concat([q, household_flows(q, keys=("commune_code",))], axis=1)


def test_nd07_reclassification_has_no_income_only_poor(nd07_panel):
    cur = nd07_panel[nd07_panel["year"] == 2019]
    fig = views.overview_figures(nd07_panel, 2019)
    assert fig["income_poor"] == 0 and fig["deprivation_poor"] == fig["poor"] > 0
    st = cur["status"].astype(str).to_numpy()
    line = np.where(cur["area"].astype(str) == "urban", 2_000_000, 1_500_000)
    within = cur["income"].to_numpy() <= line
    d = cur["deprivation_count"].to_numpy()
    assert ((st == "poor") == (within & (d >= 3))).all()
    assert ((st == "near_poor") == (within & (d < 3))).all()


def test_map_measures_under_nd07_on_data_with_the_old_indicators(nd07_panel):
    """The demo carries the 10 indicators of QĐ 59 only: the map still shows the
    reclassified rates (deprivation measures from the data's own indicators)."""
    m = geo.unit_measures(nd07_panel, 2019, standard="ND07_2021")
    fig = views.overview_figures(nd07_panel, 2019)
    assert int(m["poor"].sum()) == fig["poor"] and int(m["near_poor"].sum()) == fig["near_poor"]
    assert m["H"].notna().all()
    assert m.attrs["indicator_standard"] == "QD59_2015"
    code = str(m["code"].iloc[0])
    prof = geo.unit_profile(nd07_panel, code, 2019, standard="ND07_2021")
    assert len(prof.indicators) == 10


def test_standards_in_years_flags_mixed_years(panel):
    """The trends page warns when the years shown were measured under different standards."""
    assert views.standards_in_years(panel) == ["QD59_2015", "ND07_2021"]  # the demo: Decree 07/2021 from 2022
    panel = panel[panel["year"] <= 2019]
    assert views.standards_in_years(panel) == ["QD59_2015"]
    later = panel[panel["year"] == 2019].assign(year=np.int16(2022), standard="ND07_2021")
    mixed = pd.concat([panel, later], ignore_index=True)
    assert views.standards_in_years(mixed, [2019, 2022]) == ["QD59_2015", "ND07_2021"]
    assert views.standards_in_years(mixed, [2018, 2019]) == ["QD59_2015"]
    tr = views.rates_trend(mixed)
    assert tr.set_index("year").loc[2022, "standard"] == "ND07_2021"


def test_overview_figures_name_the_standards_compared(panel):
    """The overview's changes since the previous review must know whether both years share a standard."""
    assert views.overview_figures(panel, 2019)["standards"] == ["QD59_2015"]
    later = panel[panel["year"] == 2019].assign(year=np.int16(2022), standard="ND07_2021")
    mixed = pd.concat([panel, later], ignore_index=True)
    assert views.overview_figures(mixed, 2022)["standards"] == ["QD59_2015", "ND07_2021"]


def test_planning_what_if_under_nd07_counts_the_closed_gaps(nd07_panel, policies):
    """Planning page with ND07_2021 picked on QĐ 59 data: closing a gap lowers the deprivation count
    the reclassification uses (the indicators both standards share), so households are lifted."""
    rows = views.select_rows(nd07_panel, years=(2019,))
    sc = planning.scenario_from_dict({"interventions": [{"kind": "health_insurance"}]}, "test")
    res = planning.run_scenario(rows, sc, policies, year=2019, standard="ND07_2021")
    tot = res.total.iloc[0]
    fig = views.overview_figures(nd07_panel, 2019)
    assert int(tot["poor_base"]) == fig["poor"] and int(tot["near_poor_base"]) == fig["near_poor"]
    cur = rows
    within = cur["income"].to_numpy() <= np.where(cur["area"].astype(str) == "urban", 2_000_000, 1_500_000)
    d = cur["deprivation_count"].to_numpy() - (cur["health_insurance"].to_numpy() == 1)
    assert int(tot["poor_scen"]) == int((within & (d >= 3)).sum()) < fig["poor"]
    assert int(tot["lifted"]) == fig["poor"] - int(tot["poor_scen"])


def test_file_size_in_messages_has_no_english_decimal_point(tmp_path, monkeypatch):
    """'Tệp quá lớn (0.0 MB)' read wrongly in Vietnamese: sizes are whole megabytes, rounded up."""
    from povlib import intake as pio
    from povlib.intake import limits as intake_limits

    monkeypatch.setattr(intake_limits, "MAX_FILE_BYTES", 5)
    f = tmp_path / "h.csv"
    f.write_bytes(b"x" * 10)
    r = pio.read_intake(f, None, year=2019)
    msg = r.errors.loc[r.errors["check"] == "too_large", "message_vi"].iloc[0]
    assert "(1 MB)" in msg and not re.search(r"\d\.\d", msg), msg


@pytest.mark.parametrize("year", YEARS)
def test_group_filter_and_deprivations_page_agree_with_reports(app_panel, year):
    """Ethnic-minority households: overview with the group filter == the report's DTTS columns;
    the deprivations page counts the same poor and near-poor households."""
    em = views.overview_figures(views.select_rows(app_panel, group="ethnic_minority"), year)
    for status, key in (("poor", "summary_poor"), ("near_poor", "summary_near_poor")):
        b = reports.build_report(app_panel, year, "summary")
        tab = b.tables[next(k for k, v in b.keys.items() if v == key)]
        tot = tab[tab["row_kind"] == "total"].iloc[0]
        assert int(tot["em_households"]) == em["households"]
        assert int(tot["end_em"]) == em[status]
        assert float(tot["end_em_rate"]) == pytest.approx(em[f"{status}_rate"])
    cur = views.select_rows(app_panel, years=(year,))
    dep = views.deprivation_summary(cur, "QD59_2015")
    by_status = dep["count_dist"].groupby("status")["households"].sum()
    fig = views.overview_figures(app_panel, year)
    assert int(by_status["poor"]) == fig["poor"] and int(by_status["near_poor"]) == fig["near_poor"]
    hh = views.household_list(cur, "QD59_2015")
    assert len(hh) == fig["poor"] + fig["near_poor"]
    flow_col = hh[t("hh.col.flow", "vi")]
    for code in ("newly_poor", "re_poor", "newly_near_poor"):
        assert int((flow_col == f"{t(f'flow.{code}', 'vi')} {year}").sum()) <= fig[code]
    for code in ("newly_poor", "re_poor"):  # a poor household's label is its entry into poverty
        # households formed or moved in keep their own label; the figure counts them as newly poor
        joined = fig["joined_poor"] if code == "newly_poor" else 0
        assert int((flow_col == f"{t(f'flow.{code}', 'vi')} {year}").sum()) == fig[code] - joined, code
    comp = views.group_comparison(cur, "QD59_2015").set_index("group")
    assert float(comp.loc["all", "poor_rate"]) == pytest.approx(fig["poor_rate"])
    assert float(comp.loc["ethnic_minority", "poor_rate"]) == pytest.approx(em["poor_rate"])


def test_plan_workbook_notes_use_vietnamese_decimals(panel):
    """The pupils estimate note of the plan workbook (command line and page download): '0,20', not '0.2'."""
    from povlib.planning import build_plan

    data = build_plan(panel[panel["year"] == 2019], 2019, lang="vi").to_xlsx()
    import io as _io

    import openpyxl

    wb = openpyxl.load_workbook(_io.BytesIO(data))
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "nên lấy số nhân khẩu" in c.value]
    assert texts and all("0,20" in s and "0.2" not in s for s in texts), texts


def test_report_note_on_households_without_indicators_groups_thousands(panel):
    """'1.500 hộ …' in the indicator sheet's note, not '1500'."""
    cur = panel[panel["year"] == 2019].copy()
    cur["adult_education"] = cur["adult_education"].astype("float64")
    cur.iloc[:1500, cur.columns.get_loc("adult_education")] = np.nan
    b = reports.build_report(cur, 2019, "indicators")
    notes = " ".join(b.notes[next(iter(b.notes))])
    assert "1.500" in notes and "1500" not in notes, notes


def test_plan_workbook_under_a_what_if_standard_says_so(nd07_panel):
    """Planning with ND07_2021 picked on a QĐ 59 review: the workbook says these are not the official lists."""
    import io as _io

    import openpyxl

    from povlib.planning import build_plan

    data = build_plan(nd07_panel, 2019, standard="ND07_2021", lang="vi").to_xlsx()
    wb = openpyxl.load_workbook(_io.BytesIO(data))
    texts = [c.value for row in wb.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("không phải số liệu chính thức" in s for s in texts), texts[:5]
    data = build_plan(nd07_panel, 2019, lang="vi").to_xlsx()  # the review's own standard: no such note
    wb = openpyxl.load_workbook(_io.BytesIO(data))
    texts = [c.value for row in wb.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("không phải số liệu chính thức" in s for s in texts)
