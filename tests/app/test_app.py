"""AppTest of the dashboard's pages, each run on its own, and of the router (``app.py``).

* every page of the dashboard helper runs without exception or ``st.error`` for every review
  year, in Vietnamese and in English, and with a commune filter; the other pages (map, data,
  reports, planning) draw in both languages (their own tests: ``test_<page>_page.py``);
* the overview's figures equal povlib's on the same data; a click on a bar of the ranking
  (the chart's selection callback) opens that commune, or that district on the province data;
* a link with query parameters restores the filters (and bad values are reported, not guessed,
  and shown as text); the URL follows the widgets;
* names and ID numbers are masked unless the role allows, and the role is never written to the URL;
* the router: every page ends with the synthetic-data note and the attribution, the filters
  survive a page switch.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import povlib
from povlib import views
from povlib.i18n import fmt_int, fmt_pct, t
from povlib.indicator_basis import shared_note
from povlib.measures import rates
from povlib.privacy import mask_ids, mask_names
from povlib.sorting import vi_sorted
from povlib.transitions import flow_table
from tests.support.apptest import ROOT, assert_ok, click_chart_points, open_page, open_via_router, signed_in
from ui.escape import md_escape
from ui.nav import PAGES

#: review years run for every page: the first, the last on the 2019 units, the first on the 2020 units,
#: 2021 (both standards), the first under Decree 07/2021, the first on the 2025 units and the latest
YEARS = (2016, 2019, 2020, 2021, 2022, 2025, 2026)
COMMUNE = "02023"          # Xã Xuân Lạc (a unit until 30/06/2025: the tests that pick it open a year before)
COMMUNE_NAME = "Xã Xuân Lạc"
RANKING = "overview_ranking"  # key of the overview's ranking chart

#: pages of the dashboard helper: full matrix (every year × vi/en, commune filter)
FULL_MATRIX = ["app_pages/overview.py", "app_pages/deprivations.py", "app_pages/trends.py", "app_pages/households.py"]
#: every page of the app (the others are drawn in vi and en here, and tested in test_<page>_page.py)
ALL_PAGES = [p for p, *_ in PAGES]
TITLE_KEY = {p: key for p, _url, key, _icon in PAGES}
OTHER_PAGES = [p for p in ALL_PAGES if p not in FULL_MATRIX]


def header(at: AppTest) -> str:
    return at.header[0].value if len(at.header) else ""


@pytest.fixture(scope="module")
def panel():
    return views.with_flows(povlib.load_demo())


# --- every page × every year × language ------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", FULL_MATRIX)
def test_page_runs_every_year(page, lang):
    at = open_page(page, lang=lang)
    for year in YEARS:
        at.selectbox(key="f_year").set_value(year)
        at.run()
        assert_ok(at, f"{page} {lang} {year}")
        assert header(at) == t(TITLE_KEY[page], lang)
        scope_line = at.caption[0].value
        assert t("app.scope.year", lang, year=year) in scope_line
        assert at.query_params.get("year") == str(year)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_router_draws_the_synthetic_note_and_attribution_on_every_page(lang, tmp_path, monkeypatch):
    """Through app.py (the router): every page ends with the synthetic-data note and the attribution
    (signed in as an officer with an empty store of its own: the data page opens for an account that imports)."""
    monkeypatch.setenv("POVLIB_STORE", str(tmp_path / "store"))
    at = open_via_router("app_pages/overview.py", signed_in("district_officer", "06"), lang=lang)
    for page, *_ in PAGES:
        at.switch_page(page)
        at.run()
        assert_ok(at, page)
        assert header(at) == t(TITLE_KEY[page], lang), page
        captions = " ".join(c.value for c in at.caption)
        assert t("general.synthetic_note", lang) in captions, page
        assert t("general.attribution", lang) in captions, page


@pytest.mark.parametrize("page", FULL_MATRIX)
def test_page_with_commune_filter(page):
    at = open_page(page, communes=COMMUNE, year="2018")
    assert_ok(at, page)
    assert at.session_state["f_communes"] == [COMMUNE]
    assert COMMUNE_NAME in at.caption[0].value
    # and a group filter on top
    at.selectbox(key="f_group").set_value("ethnic_minority")
    at.run()
    assert_ok(at, page + " + group")
    assert t("group.ethnic_minority", "vi") in at.caption[0].value


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", OTHER_PAGES)
def test_other_pages_draw(page, lang):
    # the language as the sidebar's switch left it: the data page does not draw the filters (it works
    # without a loadable dataset), it reads the language chosen in the sidebar
    at = open_page(page, state={"f_lang": lang}, lang=lang)  # no exception, no st.error
    assert header(at) == t(TITLE_KEY[page], lang)


def test_every_page_is_listed_with_ascii_url():
    for path, url, key, _icon in PAGES:
        assert (ROOT / path).exists(), path
        assert url.isascii() and re.fullmatch(r"[a-z_]+", url), url
        assert Path(path).stem == url
        t(key, "vi"), t(key, "en")  # titles exist in both languages


# --- the overview equals povlib ------------------------------------------------------------------
def _metric(at: AppTest, label_start: str):
    for m in at.metric:
        if m.label.startswith(label_start):
            return m
    raise AssertionError(f"no metric {label_start!r} in {[m.label for m in at.metric]}")


@pytest.mark.parametrize("communes", ["", COMMUNE])
@pytest.mark.parametrize("year", [2017, 2019])
def test_overview_figures_equal_povlib(panel, year, communes):
    query = {"year": str(year)}
    if communes:
        query["communes"] = communes
    at = open_page("app_pages/overview.py", **query)
    assert_ok(at, "overview")
    rows = panel if not communes else panel[panel["commune_code"].astype(str) == communes]
    r = rates(rows[rows["year"] == year]).iloc[0]
    lang = "vi"
    assert _metric(at, t("measure.households", lang)).value == f"{fmt_int(r['households'])} hộ"
    poor = _metric(at, t("status.poor", lang) + ":")
    assert poor.value == fmt_pct(r["poor_rate"])
    assert poor.label == t("ov.count_label", lang, status=t("status.poor", lang), n=fmt_int(r["poor"]))
    near = _metric(at, t("status.near_poor", lang) + ":")
    assert near.value == fmt_pct(r["near_poor_rate"])
    assert near.label == t("ov.count_label", lang, status=t("status.near_poor", lang), n=fmt_int(r["near_poor"]))
    assert _metric(at, t("via.income", lang)).value == f"{fmt_int(r['income_poor'])} hộ"
    assert _metric(at, t("via.deprivation", lang)).value == f"{fmt_int(r['deprivation_poor'])} hộ"
    # change against the previous year, in points and households
    p = rates(rows[rows["year"] == year - 1]).iloc[0]
    d_hh = int(r["poor"] - p["poor"])
    assert f"{'−' if d_hh < 0 else '+'}{fmt_int(abs(d_hh))} hộ" in poor.delta
    # escaped / newly poor equal the official flow table (moves between communes are joins); newly arising
    # includes the poor households formed or moved in, as the summary form counts them
    ft = flow_table(povlib.load_demo(), by="commune_code", status="poor")
    ft = ft[ft["year"] == year]
    if communes:
        ft = ft[ft["commune_code"].astype(str) == communes]
    assert _metric(at, t("flow.escaped_poverty", lang)).value == f"{fmt_int(ft['escaped'].sum())} hộ"
    newly = _metric(at, t("ov.newly_and_re", lang))
    assert newly.value == f"{fmt_int(ft['newly_arising'].sum() + ft['re_entered'].sum() + ft['joined'].sum())} hộ"


def test_overview_2019_district_rate_is_published_figure():
    at = open_page("app_pages/overview.py", year="2019")
    assert _metric(at, t("status.poor", "vi") + ":").value == "15,86 %"


def test_overview_first_year_has_no_flows():
    at = open_page("app_pages/overview.py", year="2016")
    assert_ok(at, "overview 2016")
    assert any("2016" in i.value for i in at.info)
    labels = [m.label for m in at.metric]
    assert t("flow.escaped_poverty", "vi") not in labels


def test_overview_show_all_clears_commune():
    at = open_page("app_pages/overview.py", communes=COMMUNE, year="2019")
    assert len(at.success) == 1 and COMMUNE_NAME in at.success[0].value
    at.button(key="overview_show_all").click()
    at.run()
    assert_ok(at, "show all")
    assert at.session_state["f_communes"] == []
    assert "communes" not in at.query_params


@pytest.mark.parametrize("year", [2019, 2025, 2026])
def test_overview_ranking_has_a_bar_for_every_commune_of_the_year(panel, year):
    """After the 2025 reform the communes have no district: the ranking still has every one of them (it was
    empty for 2025 and 2026, the district being a grouping key with no value)."""
    at = open_page("app_pages/overview.py", year=str(year))
    charts = [c for c in at.get("plotly_chart") if getattr(c, "key", None) == RANKING]
    assert len(charts) == 1
    bars = [tr for tr in json.loads(charts[0].proto.spec)["data"] if tr["type"] == "bar"]
    rows = panel[panel["year"] == year]
    names = set(rows["commune_name"].astype(str))
    assert len(names) >= 8
    assert sorted(y for tr in bars for y in tr["y"]) == sorted(names)
    assert sorted(at.session_state["_overview_rank_codes"]) == sorted(rows["commune_code"].astype(str).unique())


def test_overview_ranking_click_opens_the_commune():
    """A click on a bar: the chart's selection event runs the page's callback, which sets the commune filter."""
    at = open_page("app_pages/overview.py", year="2019")
    assert at.session_state["f_communes"] == [] and not at.success
    # what the frontend sends when a bar is clicked: the point with its customdata (code first)
    click_chart_points(at, RANKING, [{"point_index": 2, "customdata": [COMMUNE, COMMUNE_NAME]}])
    assert_ok(at, "after click")
    assert at.session_state["f_communes"] == [COMMUNE]
    assert at.query_params.get("communes") == COMMUNE
    assert len(at.success) == 1 and COMMUNE_NAME in at.success[0].value


def test_overview_ranking_click_without_customdata_uses_the_bar_order():
    """A point without customdata: the callback takes the code of the bar at that index of the ranking."""
    at = open_page("app_pages/overview.py", year="2019")
    codes = at.session_state["_overview_rank_codes"]
    click_chart_points(at, RANKING, [{"point_index": 5}])
    assert_ok(at, "after click")
    assert at.session_state["f_communes"] == [codes[5]]
    assert at.query_params.get("communes") == codes[5]


def test_overview_ranking_click_on_the_province_opens_the_district():
    at = open_page("app_pages/overview.py", dataset="bac-kan", year="2019")
    assert t("ov.ranking.district", "vi") in [s.value for s in at.subheader]
    click_chart_points(at, RANKING, [{"point_index": 0, "customdata": ["064", "Huyện Chợ Đồn"]}])
    assert_ok(at, "after click")
    assert at.session_state["f_district"] == "064" and at.session_state["f_communes"] == []
    assert at.query_params.get("district") == "064"
    assert t("ov.ranking.commune", "vi") in [s.value for s in at.subheader]


# --- query parameters ---------------------------------------------------------------------------
def test_query_params_restore_filters():
    at = open_page("app_pages/trends.py", year="2017", communes="02020,02023", group="ethnic_minority",
                   lang="en", dataset="cho-don")
    assert at.session_state["f_year"] == 2017
    assert at.session_state["f_communes"] == ["02020", "02023"]
    assert at.session_state["f_group"] == "ethnic_minority"
    assert at.session_state["f_lang"] == "en"
    assert header(at) == "Trends"
    # the URL after the run reproduces the same view
    q = at.query_params
    assert q.get("year") == "2017" and q.get("communes") == "02020,02023"
    assert q.get("group") == "ethnic_minority" and q.get("lang") == "en" and q.get("dataset") == "cho-don"


def test_router_keeps_the_filters_across_a_page_switch():
    at = open_via_router("app_pages/trends.py", year="2017", communes="02020,02023", group="ethnic_minority",
                         lang="en")
    assert header(at) == "Trends"
    at.switch_page("app_pages/households.py")
    at.run()
    assert_ok(at, "households")
    assert at.session_state["f_communes"] == ["02020", "02023"]
    assert at.session_state["f_year"] == 2017 and at.session_state["f_group"] == "ethnic_minority"
    assert at.query_params.get("communes") == "02020,02023"
    assert header(at) == "Household list"


def test_url_follows_widgets():
    at = open_page("app_pages/overview.py", year="2019")
    at.selectbox(key="f_year").set_value(2018)
    at.multiselect(key="f_communes").set_value(["02023"])
    at.radio(key="f_lang").set_value("en")
    at.run()
    assert at.query_params.get("year") == "2018"
    assert at.query_params.get("communes") == "02023"
    assert at.query_params.get("lang") == "en"
    at.multiselect(key="f_communes").set_value([])
    at.radio(key="f_lang").set_value("vi")
    at.run()
    assert "communes" not in at.query_params and "lang" not in at.query_params


def test_bad_query_params_are_reported_not_guessed():
    at = open_page("app_pages/overview.py", year="2031", communes="02020,99999", group="aliens")
    assert at.session_state["f_year"] == max(povlib.load_demo()["year"])   # latest year, with a warning
    assert at.session_state["f_communes"] == ["02020"]                      # a commune of that year
    assert at.session_state["f_group"] == "all"
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "year=2031" in warnings and "99999" in warnings and "group=aliens" in warnings


def test_link_parameters_shown_literally_and_role_not_settable():
    """Text from a link never becomes Markdown (no image fetched, no link) and cannot set the role."""
    at = open_page("app_pages/overview.py", year="![x](https://evil.example/p.png)",
                   group="[bấm vào đây](https://evil.example)", role="officer", f_role="officer")
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 2, warnings
    for w in warnings:
        assert "](" not in w and "![" not in w, w      # no image, no link
        assert "evil\\.example" in w                   # the value is still shown
        assert "https://evil" not in w                 # ... but not as a bare (auto-linked) address
    assert at.session_state["f_role"] == "viewer"


def test_english_switch_translates_navigation_and_numbers():
    at = open_page("app_pages/overview.py", year="2019", lang="en")
    poor = _metric(at, "Poor:")
    assert poor.value == "15.86%"
    assert header(at) == "Overview"


# --- privacy --------------------------------------------------------------------------------------
def test_households_masked_by_default_and_role_not_in_url(panel):
    at = open_page("app_pages/households.py", communes=COMMUNE, year="2019")
    df = at.dataframe[0].value
    names = df[t("hh.col.head_name", "vi")]
    ids = df[t("hh.col.id_number", "vi")]
    assert names.str.fullmatch(r"(\w\*\*\* ?)+").all()
    assert ids.str.contains(r"\*{5,}").all()
    real = set(panel.loc[(panel["year"] == 2019) & (panel["commune_code"].astype(str) == COMMUNE), "head_name"])
    assert not set(names) & real
    at.selectbox(key="f_role").set_value("officer")
    at.run()
    df2 = at.dataframe[0].value
    assert set(df2[t("hh.col.head_name", "vi")]) <= real
    assert "role" not in at.query_params and "officer" not in str(at.query_params)


def test_households_list_matches_povlib(panel):
    at = open_page("app_pages/households.py", communes=COMMUNE, year="2019")
    df = at.dataframe[0].value
    rows = panel[(panel["year"] == 2019) & (panel["commune_code"].astype(str) == COMMUNE)]
    r = rates(rows).iloc[0]
    assert len(df) == r["poor"] + r["near_poor"]
    flows = df[t("hh.col.flow", "vi")]
    assert (flows == f"{t('flow.re_poor', 'vi')} 2019").sum() == int(rows["re_poor"].sum())
    # the page filter on status
    at.button_group(key="hh_status").set_value(["poor"])
    at.run()
    assert len(at.dataframe[0].value) == r["poor"]
    assert len(at.get("download_button")) == 2


# --- views and privacy (pure) ----------------------------------------------------------------------
def test_masking_examples():
    import pandas as pd

    assert mask_names(pd.Series(["Hoàng Văn Tùng"])).tolist() == ["H*** V*** T***"]
    assert mask_ids(pd.Series(["006084501781"])).tolist() == ["006*******81"]
    assert mask_ids(pd.Series(["123"])).tolist() == ["***"]


def test_transition_counts_cover_every_household(panel):
    tr = views.transition_counts(panel, 2018, 2019)
    n18 = int((panel["year"] == 2018).sum())
    n19 = int((panel["year"] == 2019).sum())
    assert tr.loc[tr["from_status"] != "absent", "households"].sum() == n18
    assert tr.loc[tr["to_status"] != "absent", "households"].sum() == n19
    poor_to = tr[(tr["from_status"] == "poor") & (tr["to_status"].isin(["near_poor", "non_poor"]))]
    assert poor_to["households"].sum() == int(panel.loc[panel["year"] == 2019, "escaped_poverty"].sum())


def test_standards_in_years_flags_mixed_standards(panel):
    assert views.standards_in_years(panel) == ["QD59_2015", "ND07_2021"]   # Decree 07/2021 from the 2022 review
    assert views.standards_in_years(panel[panel["year"] <= 2021]) == ["QD59_2015"]
    mixed = panel[panel["year"] <= 2021].copy()
    mixed["standard"] = mixed["standard"].astype(str).where(mixed["year"] < 2019, "ND07_2021")
    assert views.standards_in_years(mixed) == ["QD59_2015", "ND07_2021"]


def test_whatif_standard_warns():
    at = open_page("app_pages/overview.py", standard="ND07_2021", year="2019")
    from povlib import standards

    expected = t("app.whatif_standard", "vi", std=standards.get("ND07_2021").name("vi"),
                 own=standards.get("QD59_2015").name("vi"))
    assert expected in [w.value for w in at.warning]
    # the 2019 review asked about 8 of the 12 indicators of Decree 07/2021: the what-if counts those
    shared = shared_note("ND07_2021", "QD59_2015", "vi")
    assert "8/12" in shared and ":material/info: " + shared in [c.value for c in at.caption]


def test_select_rows_group_and_district(panel):
    r = views.select_rows(panel, years=(2019,), group="ethnic_minority")
    assert len(r) == int(((panel["year"] == 2019) & panel["ethnic_minority"]).sum())
    r = views.select_rows(panel, years=(2019,), group="urban")
    assert (r["area"].astype(str) == "urban").all() and len(r) > 0
    # to 2024 the district's rows; from 2025 (no district) the new communes' households of the former district
    own = (panel["district_code"].astype(str) == "064") | (
        panel["district_code"].isna() & (panel["former_district_code"].astype(str) == "064"))
    assert len(views.select_rows(panel, district="064")) == int(own.sum()) < len(panel)
    assert len(views.select_rows(panel, district="999")) == 0


# --- the province data (built by the test session if missing, see tests/conftest.py) ---------------------
def test_province_drills_down_district_to_commune():
    at = open_page("app_pages/overview.py", dataset="bac-kan", year="2019")
    assert at.session_state["f_district"] == ""
    assert t("ov.ranking.district", "vi") in [s.value for s in at.subheader]
    at.selectbox(key="f_district").set_value("064")
    at.run()
    assert_ok(at, "bac-kan district")
    assert t("ov.ranking.commune", "vi") in [s.value for s in at.subheader]
    assert at.query_params.get("district") == "064"
    opts = at.multiselect(key="f_communes").options
    assert len(opts) == 22


@pytest.mark.parametrize("page", ["app_pages/deprivations.py", "app_pages/trends.py", "app_pages/households.py"])
def test_province_pages_with_a_district(page):
    at = open_page(page, dataset="bac-kan", year="2019", district="064")
    assert at.session_state["f_district"] == "064"
    assert len(at.multiselect(key="f_communes").options) == 22


#: the pages that draw the province's units (every one but help, data and the account pages)
UNIT_PAGES = ["app_pages/overview.py", "app_pages/deprivations.py", "app_pages/trends.py", "app_pages/map.py",
              "app_pages/planning.py", "app_pages/reports.py", "app_pages/households.py", "app_pages/compare.py"]


@pytest.mark.parametrize("page", UNIT_PAGES)
def test_province_pages_after_the_2025_reform(page):
    """The province's reviews after 1 July 2025 have no districts: each page opens on the last year (2026,
    the default) and on 2025 without an error (the deprivations page failed with a KeyError looking for the
    indicators of its district × indicator matrix, and the overview ranked no district)."""
    at = open_page(page, dataset="bac-kan")
    assert at.session_state["f_year"] == 2026
    at.selectbox(key="f_year").set_value(2025)
    at.run()
    assert_ok(at, f"{page} 2025")


def test_province_reports_of_a_former_district_after_the_reform():
    """A district chosen in 2026 is a former district: its report is the new communes' (it was an error)."""
    at = open_page("app_pages/reports.py", dataset="bac-kan", district="064")
    assert at.session_state["f_year"] == 2026 and at.session_state["f_district"] == "064"
    # the units offered are the report's: the communes of 2026 with households of the former district (two
    # of them only in part), not the 22 communes of 2019
    p = povlib.load_demo("bac-kan")
    cur = p[(p["year"] == 2026) & (p["former_district_code"].astype(str) == "064")]
    whole, *units = at.selectbox(key="rep_unit").options
    assert set(units) == set(cur["commune_name"].astype(str)) and len(units) == 8
    assert whole == t("report.page.whole", "vi", name=t("app.scope.former_district", "vi", name="Huyện Chợ Đồn"))


@pytest.fixture(scope="module")
def store_b2_only(tmp_path_factory, demo) -> Path:
    """The 2026 review of one commune, three households of it given with a score B only, on the 12-indicator
    scale of Decree 07/2021 (110)."""
    import pandas as pd

    from povlib import intake as pio
    from povlib import standards
    from povlib.intake import Store

    d = demo[(demo["year"] == 2026) & (demo["commune_code"].astype(str) == "02020")].head(40).copy()
    first = d.index[:3]
    for c in standards.get("ND07_2021").indicator_ids:
        d[c] = d[c].astype("Int8")
        d.loc[first, c] = pd.NA
    d["b2_score"] = d["b2_score"].astype("Float64")
    d.loc[first, "b2_score"] = 110
    res = pio.read_intake(pio.export_to_template(d, standard="ND07_2021"), file_name="b2.xlsx")
    assert res.ok, res.errors.head()
    path = tmp_path_factory.mktemp("store_b2")
    Store(path).import_intake(res, imported_by="Kiểm thử")
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_standard_the_data_cannot_be_read_under_is_a_message(lang, store_b2_only, monkeypatch):
    """Households given with a score B only on the 12-indicator scale (110): re-scored under the 2016–2020
    standard (at most 100) they are refused – their indicators are not known, so the ones both standards
    share cannot be counted. Every page said only "error redacted"; now the sidebar says why and stays usable."""
    import streamlit as st

    from tests.support.apptest import errors, new_page

    monkeypatch.setenv("POVLIB_STORE", str(store_b2_only))
    st.cache_data.clear()
    at = new_page("app_pages/overview.py", signed_in("district_officer", "06"), dataset="store:ra-soat",
                  year="2026", standard="QD59_2015", lang=lang)
    at.run()
    assert not at.exception
    (err,) = errors(at)
    assert t("app.standard_failed", lang, std="§", msg="§").split("§")[0] in err
    assert r"b2\_score" in err  # the column named, escaped for markdown
    from ui.filters import K_STANDARD, widget_key

    at.selectbox(key=widget_key(K_STANDARD, lang)).set_value("auto")
    at.run()
    assert_ok(at, "back to the standard of each year")


def test_province_former_district_offers_every_commune_its_rows_reach():
    """2026, former district 064: the sidebar offers the communes whose households the pages count for it,
    the two that straddle 061 and 063 included (the ranking showed 01933, a click on it was dropped)."""
    from povlib.columns import in_district

    p = povlib.load_demo("bac-kan")
    cur = p[p["year"] == 2026]
    want = set(cur.loc[in_district(cur, "064"), "commune_code"].astype(str))
    assert {"01933", "02014"} <= want
    at = open_page("app_pages/overview.py", dataset="bac-kan", district="064")
    options = at.multiselect(key="f_communes").options
    assert set(options) == {str(n) for n in cur.loc[in_district(cur, "064"), "commune_name"].unique()}
    assert options == vi_sorted(options) and options[:3] == ["Xã Bạch Thông", "Xã Chợ Đồn", "Xã Đồng Phúc"]
    at = open_page("app_pages/overview.py", dataset="bac-kan", district="064", communes="01933")
    assert at.session_state["f_communes"] == ["01933"]


def test_a_year_change_lets_go_of_a_code_that_names_another_unit():
    """Codes were reused across the reforms: 02020 is Xã Chợ Đồn in 2026 and Thị trấn Bằng Lũng in 2020. Chosen
    in 2026, it is let go when the year becomes 2020, with a toast naming both units (the filter kept it and
    showed the other unit under the same code); a unit that stays the same is kept."""
    at = open_page("app_pages/overview.py", dataset="bac-kan", year="2026", communes="02020")
    at.selectbox(key="f_year").set_value(2020)
    at.run()
    assert_ok(at, "2026 -> 2020")
    assert at.session_state["f_communes"] == []
    toast = t("app.commune_other_unit", "vi", code="02020", before=2026, old="Xã Chợ Đồn", year=2020,
              new="Thị trấn Bằng Lũng")
    assert [x.proto.body for x in at.get("toast")] == [md_escape(toast)]
    at = open_page("app_pages/overview.py", year="2016", communes="02035")
    at.selectbox(key="f_year").set_value(2019)
    at.run()
    assert at.session_state["f_communes"] == ["02035"] and not at.get("toast")


def test_province_after_the_reform_ranks_and_maps_its_communes():
    """After 2025 the province's units are its communes: the overview ranks them (2019: the 8 districts) and
    the deprivations page draws the commune × indicator matrix."""
    at = open_page("app_pages/overview.py", dataset="bac-kan")
    subheaders = [s.value for s in at.subheader]
    assert t("ov.ranking.commune", "vi") in subheaders and t("ov.ranking.district", "vi") not in subheaders
    communes_2026 = povlib.load_demo("bac-kan").query("year == 2026")["commune_code"].nunique()
    assert len(at.dataframe[0].value) == communes_2026 > 30
    at.selectbox(key="f_year").set_value(2019)
    at.run()
    assert t("ov.ranking.district", "vi") in [s.value for s in at.subheader]
    assert len(at.dataframe[0].value) == 8
    dep = open_page("app_pages/deprivations.py", dataset="bac-kan")
    assert t("dep.heatmap", "vi") in [s.value for s in dep.subheader]
    assert t("app.no_rows", "vi") not in [i.value for i in dep.info]
    (heatmap,) = [json.loads(c.proto.spec) for c in dep.get("plotly_chart") if c.key == "dep_heatmap"]
    assert len(heatmap["data"][0]["y"]) == communes_2026  # one row per commune


# --- imported data from povlib.intake.store (B1/B2 scores only, no per-indicator columns) ----------------
@pytest.fixture()
def small_store(tmp_path, monkeypatch):
    from povlib import intake as pio
    csv = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
    csv += "H1,2018,02020,Tổ 1,Thành thị,4,130,30\nH1,2019,02020,Tổ 1,Thành thị,4,190,30\n"
    csv += "H2,2018,02023,Bản A,Nông thôn,3,100,0\nH2,2019,02023,Bản A,Nông thôn,3,100,0\n"
    csv += "H3,2019,02023,Bản A,Nông thôn,5,140,20\n"
    store = pio.Store(tmp_path)
    store.import_intake(pio.read_intake(csv.encode(), file_name="xa.csv"), imported_by="test")
    monkeypatch.setenv("POVLIB_STORE", str(tmp_path))
    return store


@pytest.mark.parametrize("page", FULL_MATRIX)
def test_pages_run_on_imported_store_data(small_store, page):
    from ui import cache

    cache.datasets_in.clear()
    at = open_page(page, signed_in("district_officer", "06"), dataset="store:ra-soat", year="2019")
    assert at.session_state["f_dataset"] == "store:ra-soat"
    assert at.session_state["f_version"] == "1"
    assert at.query_params.get("version") == "1"
    captions = " ".join(c.value for c in at.caption)
    assert t("general.synthetic_note", "vi") not in captions   # real (imported) data: no demo note
    if page == "app_pages/overview.py":
        poor = _metric(at, t("status.poor", "vi") + ":")
        assert poor.label == t("ov.count_label", "vi", status=t("status.poor", "vi"), n="1")
        assert poor.value == fmt_pct(1 / 3)
    cache.datasets_in.clear()


def test_imported_data_is_the_default_dataset_once_the_office_chooses_it(small_store):
    """Issue 10 item 2: an import does not make itself the default (the demo stays); once the office
    chose the imported data as its default (data page), a link without ?dataset opens its latest version."""
    from povlib.intake import set_default_dataset
    from ui import cache

    cache.datasets_in.clear()
    at = open_page("app_pages/overview.py", signed_in("viewer"), year="2019")  # imported data: signed in
    assert at.session_state["f_dataset"] == "cho-don"
    set_default_dataset("store:ra-soat", small_store.path)
    at = open_page("app_pages/overview.py", signed_in("viewer"), year="2019")
    assert at.session_state["f_dataset"] == "store:ra-soat"
    assert at.session_state["f_version"] == "1"
    cache.datasets_in.clear()


@pytest.mark.parametrize("page", [p for p, *_ in PAGES])
def test_every_page_survives_a_store_whose_imports_were_all_undone(small_store, page):
    """Issue 10 item 1: import, then undo: the latest version is empty. Every page says so in Vietnamese
    (the data page opens as usual); before, every page failed with IndexError in ui/filters.py."""
    from ui import cache

    small_store.undo(1, imported_by="test")
    cache.datasets_in.clear()
    at = open_page(page, signed_in("district_officer", "06"), dataset="store:ra-soat")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    label = next(d.label("vi") for d in cache.available_datasets() if d.key == "store:ra-soat")
    infos = [i.value for i in at.info]
    if page == "app_pages/data.py":
        assert header(at) == t("intake.page.title", "vi")
    else:
        assert t("app.empty_dataset", "vi", dataset=label) in infos, infos
    cache.datasets_in.clear()


def test_the_data_page_opens_through_the_router_on_an_emptied_store(small_store):
    """Issue 10 item 1: through app.py (sidebar drawn first) the data page always opens."""
    from ui import cache

    small_store.undo(1, imported_by="test")
    cache.datasets_in.clear()
    at = open_via_router("app_pages/data.py", signed_in("district_officer", "06"), dataset="store:ra-soat")
    assert not at.exception, [e.value for e in at.exception]
    assert header(at) == t("intake.page.title", "vi")
    cache.datasets_in.clear()


def test_household_list_exports_keep_masking_and_vietnamese(panel):
    import io

    import openpyxl

    from povlib.export import to_csv_bytes, to_xlsx_bytes

    rows = views.select_rows(panel, years=(2019,), communes=(COMMUNE,))
    hh = views.household_list(rows, "QD59_2015")
    csv = to_csv_bytes(hh)
    assert csv.startswith(b"\xef\xbb\xbf")
    text = csv.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Mã hộ,Họ tên chủ hộ,Số CCCD/CMND")
    real_names = set(rows["head_name"])
    assert not any(name in text for name in real_names)
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"Danh sách hộ": hh}, ["DANH SÁCH HỘ"])))
    ws = wb.active
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Mã hộ" in values and not (set(values) & real_names)


def test_group_comparison_matches_af(panel):
    rows = views.select_rows(panel, years=(2019,))
    g = views.group_comparison(rows, "QD59_2015").set_index("group")
    summary = views.deprivation_summary(rows, "QD59_2015")
    assert g.loc["all", "H"] == pytest.approx(summary["H"])
    assert g.loc["all", "M0"] == pytest.approx(summary["M0"])
    em = rows[rows["ethnic_minority"]]
    assert g.loc["ethnic_minority", "households"] == len(em)
    assert g.loc["ethnic_minority", "poor_rate"] == pytest.approx(rates(em).iloc[0]["poor_rate"])
    assert g.loc["rural", "households"] + g.loc["urban", "households"] == len(rows)


def test_overview_arrows_of_a_ward_after_the_reform_compare_its_own_territory():
    """Phường Bắc Kạn (01843 from 1 July 2025) was formed of four communes; in 2024 the code 01843 was one of
    them (Phường Phùng Chí Kiên, 1.216 households). The arrows compared 5.472 households with that one ward
    (+4.256); they compare them with the households of the four (the registry's predecessors) and say so."""
    from povlib.units import predecessors

    p = povlib.load_demo("bac-kan")
    before = {k.code for k in predecessors(("01843", 2025), 2024)}
    assert len(before) == 4
    prev = int(((p["year"] == 2024) & p["commune_code"].astype(str).isin(before)).sum())
    now = int(((p["year"] == 2025) & (p["commune_code"].astype(str) == "01843")).sum())
    at = open_page("app_pages/overview.py", dataset="bac-kan", year="2025", communes="01843")
    assert at.metric[0].value == f"{fmt_int(now)} hộ"
    assert at.metric[0].delta == f"+{fmt_int(now - prev)} hộ", (at.metric[0].delta, now, prev)
    captions = " ".join(c.value for c in at.caption)
    assert t("ov.prev_on_units", "vi", prev=2024, year=2025) in captions
    # a commune of two former districts is taken whole, whichever district is chosen
    whole = int(((p["year"] == 2025) & (p["commune_code"].astype(str) == "01933")).sum())
    for district in ("061", "064"):
        at = open_page("app_pages/overview.py", dataset="bac-kan", year="2025", communes="01933", district=district)
        assert at.metric[0].value == f"{fmt_int(whole)} hộ", (district, at.metric[0].value)
    # a commune whose unit did not change says nothing of it
    at = open_page("app_pages/overview.py", dataset="bac-kan", year="2019", communes="02023")
    assert t("ov.prev_on_units", "vi", prev=2018, year=2019) not in " ".join(c.value for c in at.caption)


def test_communes_in_vietnamese_order_after_the_reform():
    """After the 2025 reform codes were reused, and three lists followed the codes or their first names: the
    trends page's table of rates (code points: "Phường Vạn Xuân" before "Phường Đức Xuân"), the compare
    page's columns (01843 was Phùng Chí Kiên before it was Bắc Kạn) and the what-if communes of planning."""
    from povlib.sorting import vi_sorted

    at = open_page("app_pages/trends.py", dataset="bac-kan", year="2026", lang="en")
    names = list(at.dataframe[-1].value.index)
    assert len(names) > 30 and names == vi_sorted(names), names[:6]
    at = open_page("app_pages/planning.py", dataset="bac-kan", year="2026", lang="en")
    for key in ("wi_housing_communes", "wi_water_communes"):
        shown = at.multiselect(key=key).options
        assert len(shown) > 30 and shown == vi_sorted(shown), (key, shown[:6])
    at = open_page("app_pages/compare.py", dataset="bac-kan", year="2025", communes="01843,01840")
    at.multiselect(key="cmp_codes").set_value(["01843", "01840"]).run()
    assert_ok(at, "compare")
    assert list(at.dataframe[0].value.columns[1:]) == ["Phường Bắc Kạn", "Phường Đức Xuân"]
