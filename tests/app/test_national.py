"""The app on the national dataset (*Toàn quốc (minh họa)*): every page under AppTest on a tiny national sample
(``generate --scope vietnam``, three provinces), figures equal to a direct query of the Parquet files, the
household list of one commune only, and no page ever reading the whole household table."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from povlib.cli import main
from povlib.i18n import fmt_int, fmt_pct, t
from povlib.query.source import HOUSEHOLD_FILES, DuckDBSource
from tests.support.apptest import assert_ok, click_chart_points, new_page, open_page, open_via_router

PROVINCES = ("11", "19", "33")
SCALE = "0.003"
PAGES = ("overview", "map", "deprivations", "trends", "households", "reports", "planning", "compare", "help")


@pytest.fixture(scope="session")
def national(tmp_path_factory) -> str:
    """A national sample of three provinces, 2025 and 2026, built by the command line."""
    out = tmp_path_factory.mktemp("national") / "vn"
    assert main(["generate", "--scope", "vietnam", "--out", str(out), "--provinces", ",".join(PROVINCES),
                 "--scale", SCALE]) == 0
    return str(out)


def direct(root: str, sql: str) -> pd.DataFrame:
    """``sql`` over the sample's files with DuckDB alone (``t``: the households), not through povlib."""
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{root}/{HOUSEHOLD_FILES}', hive_partitioning = true, "
                "hive_types = {'year': 'INTEGER', 'province_code': 'VARCHAR'})")
    return con.execute(sql).df()


@pytest.fixture
def spy(national, monkeypatch):
    """The national folder as the app's, and a record of every way a page could read household rows:
    pandas' Parquet reader, the panel loaders, and each query sent to the national source."""
    import povlib
    import ui.cache

    monkeypatch.setenv("POVLIB_NATIONAL", national)
    seen: dict[str, list] = {"read_parquet": [], "load_demo": [], "load_panel": [], "queries": []}

    def record(name, fn):
        def wrapper(*a, **k):
            seen[name].append(a)
            return fn(*a, **k)
        return wrapper

    monkeypatch.setattr(pd, "read_parquet", record("read_parquet", pd.read_parquet))
    monkeypatch.setattr(povlib, "load_demo", record("load_demo", povlib.load_demo))
    monkeypatch.setattr(ui.cache, "load_panel", record("load_panel", ui.cache.load_panel))
    sql = DuckDBSource.sql
    monkeypatch.setattr(DuckDBSource, "sql", lambda self, q: (seen["queries"].append(q), sql(self, q))[1])
    return seen


def _national_page(page: str, **query) -> object:
    at = new_page(f"app_pages/{page}.py", dataset="vietnam", year="2026", **query).run()
    assert_ok(at, page)
    return at


def _rows_read(seen) -> list[str]:
    """Queries that return household rows (``SELECT *``): each must name one commune."""
    return [q for q in seen["queries"] if q.lstrip().upper().startswith("SELECT *")]


def _never_whole_table(seen) -> None:
    assert not seen["read_parquet"] and not seen["load_demo"]
    assert not [a for a in seen["load_panel"] if a and a[0] == "vietnam"]
    for q in _rows_read(seen):
        assert "commune_code IN (" in q and "province_code IN (" in q, q


def test_dataset_offered_only_when_built(national, monkeypatch, tmp_path):
    from ui import cache

    assert "vietnam" in [d.key for d in cache.datasets_in(str(tmp_path / "store"), national)]
    assert "vietnam" not in [d.key for d in cache.datasets_in(str(tmp_path / "store"), str(tmp_path / "none"))]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_on_the_whole_country(spy, page):
    at = _national_page(page)
    if page == "households":  # this needs one commune's households
        assert any("chọn một tỉnh và một xã" in i.value for i in at.info), page
    elif page == "planning":  # the plan from household profiles; the what-if needs one commune
        assert at.metric and any("chọn một xã ở thanh bên" in i.value for i in at.info)
    elif page == "reports":  # the summary form of the country, by province
        assert any("Báo cáo toàn quốc" in c.value for c in at.caption)
    elif page == "compare":  # the provinces, side by side once two are chosen
        assert any("tỉnh, thành phố để đặt cạnh nhau" in i.value for i in at.info)
    _never_whole_table(spy)


def test_overview_ranks_the_provinces_as_a_direct_query(spy, national):
    at = _national_page("overview")
    table = at.dataframe[-1].value
    want = direct(national, "SELECT province_code, COUNT(*) AS hh, SUM(CASE WHEN status = 'poor' THEN 1 ELSE 0 END) "
                            "AS poor FROM t WHERE year = 2026 GROUP BY province_code")
    want["rate"] = want["poor"] / want["hh"]
    want = want.sort_values(["rate", "province_code"], ascending=[False, True]).reset_index(drop=True)
    assert len(table) == len(PROVINCES)
    assert table.iloc[:, 2].tolist() == [fmt_int(v) for v in want["hh"]]  # households
    assert table.iloc[:, 3].tolist() == [fmt_int(v) for v in want["poor"]]  # poor
    assert table.iloc[:, 4].tolist() == [fmt_pct(v) for v in want["rate"]]  # poverty rate
    total = direct(national, "SELECT COUNT(*) AS n FROM t WHERE year = 2026")["n"].iloc[0]
    assert any(m.value.startswith(fmt_int(total)) for m in at.metric)
    assert "Xếp hạng các tỉnh, thành phố" in [s.value for s in at.subheader]
    _never_whole_table(spy)


def test_click_on_a_province_opens_it(spy):
    at = _national_page("overview")
    click_chart_points(at, "overview_ranking", [{"point_index": 0, "customdata": ["19", "Tỉnh Thái Nguyên"]}])
    assert_ok(at, "after click")
    assert at.session_state["f_district"] == "19"
    assert "Xếp hạng các xã" in [s.value for s in at.subheader]
    _never_whole_table(spy)


def test_router_and_footer_on_the_national_dataset(spy):
    at = open_via_router("app_pages/overview.py", dataset="vietnam", year="2026")
    captions = " ".join(c.value for c in at.caption)
    assert "Dữ liệu minh họa toàn quốc" in captions and "Vietnamese Provinces Database" in captions
    at.switch_page("app_pages/map.py")
    at.run()
    assert_ok(at, "map via the router")
    _never_whole_table(spy)


@pytest.mark.parametrize("page", ("overview", "map", "deprivations", "trends"))
def test_pages_in_english(spy, page):
    at = _national_page(page, lang="en", district="19")
    assert at.selectbox(key="f_district__en").label == "Province"
    _never_whole_table(spy)


def _whatif_rows(root: str, standard: str) -> pd.DataFrame:
    """The sample's rows re-classified under ``standard`` by pandas (:func:`povlib.panel.classify_panel`)."""
    from povlib.panel import classify_panel

    return classify_panel(direct(root, "SELECT * FROM t"), standard)


def test_a_whatif_standard_reclassifies_the_country(spy, national):
    """Decree 351/2025 over the 2026 review: the ranking of provinces is the pandas re-classification's, the
    page says which standard it shows, and the what-if's summaries are saved beside the files."""
    from povlib.query import summary

    at = _national_page("overview", standard="ND351_2025")
    assert any("Nghị định 351/2025" in w.value or "2026–2030" in w.value for w in at.warning)
    rows = _whatif_rows(national, "ND351_2025")
    now = rows[rows["year"] == 2026]
    g = now.groupby("province_code").agg(hh=("status", "size"), poor=("status", lambda s: int((s == "poor").sum())))
    g["rate"] = g["poor"] / g["hh"]
    g = g.reset_index().sort_values(["rate", "province_code"], ascending=[False, True])
    reviewed = direct(national, "SELECT COUNT(*) AS n FROM t WHERE year = 2026 AND status = 'poor'")["n"].iloc[0]
    assert int(g["poor"].sum()) != int(reviewed)  # the what-if changes the figures (else this could not tell)
    table = at.dataframe[-1].value
    assert table.iloc[:, 3].tolist() == [fmt_int(v) for v in g["poor"]]  # poor, by the engine's re-classification
    assert table.iloc[:, 4].tolist() == [fmt_pct(v) for v in g["rate"]]
    assert summary.is_current(national, "ND351_2025")
    _never_whole_table(spy)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_under_a_whatif_standard(spy, page):
    """Decree 351/2025 on the country: every page draws (the deprivation measures with the review's own
    indicators, which the new standard's two new ones are not among), saying it shows a what-if."""
    at = _national_page(page, standard="ND351_2025", district="19")
    assert not at.error, [e.value for e in at.error]
    if page in ("overview", "map", "deprivations", "trends", "compare"):
        assert any("351/2025" in w.value or "2026–2030" in w.value for w in at.warning), page
    _never_whole_table(spy)


def test_province_drill_down_ranks_its_communes(spy, national):
    at = _national_page("overview", district="19")
    table = at.dataframe[-1].value
    n = direct(national, "SELECT COUNT(DISTINCT commune_code) AS n FROM t WHERE year = 2026 AND province_code = '19'")
    assert len(table) == int(n["n"].iloc[0])
    assert "Xếp hạng các xã" in [s.value for s in at.subheader]
    # the sidebar's commune filter offers only that province's communes
    codes = set(direct(national, "SELECT DISTINCT commune_code FROM t WHERE province_code = '19'")["commune_code"])
    assert len(at.multiselect(key="f_communes").options) == len(codes)
    _never_whole_table(spy)


def test_deprivations_of_a_province_by_the_query_layer(spy, national):
    from povlib import standards

    at = _national_page("deprivations", district="19")
    std = standards.get("ND07_2021")
    known = " AND ".join(f"{i} IS NOT NULL" for i in std.indicator_ids)
    d = direct(national, f"SELECT COUNT(*) AS n FROM t WHERE year = 2026 AND province_code = '19' AND {known} "
                         "AND deprivation_count >= 3")
    n = direct(national, f"SELECT COUNT(*) AS n FROM t WHERE year = 2026 AND province_code = '19' AND {known}")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ thiếu hụt đa chiều (H)"] == fmt_pct(d["n"].iloc[0] / n["n"].iloc[0])
    _never_whole_table(spy)


def test_trends_flows_of_the_country(spy, national):
    keys = set()
    for part in ("rates", "flows", "sankey"):  # the page draws one part at a time
        at = new_page("app_pages/trends.py", {"tr_section": part}, dataset="vietnam", year="2026").run()
        assert_ok(at, part)
        keys |= {c.key for c in at.get("plotly_chart")}
    assert {"tr_rates", "tr_units", "tr_flows_poor", "tr_sankey"} <= keys
    _never_whole_table(spy)


def test_map_of_provinces_then_communes_with_attribution(spy):
    at = _national_page("map")
    assert len(at.dataframe[0].value) == len(PROVINCES)  # provinces with data, in the map's table
    assert any("Vietnamese Provinces Database" in c.value for c in at.caption)
    at = _national_page("map", district="19")
    assert len(at.dataframe[0].value) > 50  # the communes of Thái Nguyên
    _never_whole_table(spy)


def test_households_of_one_commune_only(spy, national):
    code = direct(national, "SELECT commune_code FROM t WHERE province_code = '19' AND year = 2026 AND status = 'poor' "
                            "GROUP BY commune_code ORDER BY COUNT(*) DESC, commune_code LIMIT 1")["commune_code"].iloc[0]
    at = _national_page("households", district="19", communes=code)
    want = direct(national, f"SELECT COUNT(*) AS n FROM t WHERE year = 2026 AND commune_code = '{code}' "
                            "AND status IN ('poor', 'near_poor')")["n"].iloc[0]
    assert any(m.value.startswith(f"**{fmt_int(want)}**") or fmt_int(want) in m.value for m in at.markdown)
    reads = _rows_read(spy)
    assert reads and all(f"commune_code IN ('{code}')" in q for q in reads)
    _never_whole_table(spy)


@pytest.mark.parametrize("page", ("deprivations", "trends", "reports", "planning", "map"))
def test_pages_on_one_commune(spy, national, page):
    code = direct(national, "SELECT MIN(commune_code) AS c FROM t WHERE province_code = '33'")["c"].iloc[0]
    _national_page(page, district="33", communes=code)
    _never_whole_table(spy)


def test_open_page_without_dataset_param_keeps_the_demo(spy):
    at = open_page("app_pages/overview.py")
    assert at.selectbox(key="f_dataset").value == "cho-don"


@pytest.mark.parametrize("page", ["overview", "map", "deprivations", "trends"])
def test_pages_of_every_household_answer_from_the_commune_summaries(spy, national, page):
    """The country's figures of every household come from the saved commune summaries: once they are
    built, the page sends the engine no query over the households (a column list at most)."""
    import streamlit as st

    import ui.cache
    from povlib.query import summary

    src = ui.cache.national_source(national, ui.cache.national_files(national))
    assert src.summaries is not None and src.summaries.fingerprint == summary.fingerprint(national)
    assert summary.load(national) is not None  # saved beside the households
    st.cache_data.clear()
    spy["queries"].clear()
    _national_page(page)
    assert [q for q in spy["queries"] if "WHERE 1 = 0" not in q] == []


def test_first_open_of_changed_files_builds_and_saves_the_summaries(national, tmp_path, monkeypatch):
    """A national folder whose summaries are missing (new data) or stale (changed files) gets them on its first
    open, behind a spinner, saved for the next server; the page then draws as usual."""
    import shutil

    from povlib.query import summary

    root = tmp_path / "vn"
    shutil.copytree(national, root, ignore=shutil.ignore_patterns(summary.FOLDER))
    monkeypatch.setenv("POVLIB_NATIONAL", str(root))
    assert not summary.is_current(root)
    import streamlit as st

    said = []
    real = st.spinner
    monkeypatch.setattr(st, "spinner", lambda text="", **k: (said.append(text), real(text, **k))[1])
    at = _national_page("overview")
    assert t("nat.summaries.building", "vi") in said  # the wait is explained
    assert summary.is_current(root) and summary.load(root) is not None
    assert any("Xếp hạng các tỉnh, thành phố" == s.value for s in at.subheader)
    said.clear()
    _national_page("overview")
    assert t("nat.summaries.building", "vi") not in said  # saved: no wait, no spinner


def test_files_generated_again_while_the_server_runs_are_read_again(tmp_path, monkeypatch):
    """A national dataset written again under a running server: the next page run forgets the cached tables and
    the old summaries (a toast says so) and shows the new files' figures, not the old ones."""
    from povlib.query import summary

    root = tmp_path / "vn"
    assert main(["generate", "--scope", "vietnam", "--out", str(root), "--provinces", "19", "--scale", "0.002"]) == 0
    monkeypatch.setenv("POVLIB_NATIONAL", str(root))

    def poor_metric(at) -> str:
        return next(m.label for m in at.metric if m.label.startswith("Hộ nghèo"))

    at = _national_page("overview")
    before = direct(str(root), "SELECT COUNT(*) AS n FROM t WHERE year = 2026 AND status = 'poor'")["n"].iloc[0]
    assert poor_metric(at) == f"Hộ nghèo: {fmt_int(before)} hộ"
    # the 2026 file rewritten: ten more poor households (as a corrected review would be)
    f = next((root / "year=2026").glob("province_code=19/*.parquet"))
    df = pd.read_parquet(f)
    df["status"] = df["status"].astype(str)
    flip = df.index[df["status"] == "non_poor"][:10]
    df.loc[flip, "status"] = "poor"
    df.to_parquet(f, index=False)
    assert not summary.is_current(root)
    at = _national_page("overview")
    assert poor_metric(at) == f"Hộ nghèo: {fmt_int(before + 10)} hộ"
    assert [x.value for x in at.toast] == [t("nat.files_changed", "vi")]
    assert summary.is_current(root)  # built again for the new files
    at = _national_page("overview")  # nothing changed since: no toast, the same figures
    assert not at.toast and poor_metric(at) == f"Hộ nghèo: {fmt_int(before + 10)} hộ"


def test_units_of_the_same_rate_share_their_rank(spy, national):
    """Communes of the same poverty rate were numbered one after another by name (71 communes at 0 %
    ranked 22 to 92, the message "rank 24 of 92"): they share the rank 1 + the number of higher rates, and the
    message says the commune is tied."""
    at = _national_page("overview", district="19")
    table = at.dataframe[-1].value
    rate = direct(national, "SELECT commune_code, AVG(CASE WHEN status = 'poor' THEN 1.0 ELSE 0 END) AS r "
                            "FROM t WHERE year = 2026 AND province_code = '19' GROUP BY commune_code")["r"]
    zero = int((rate == 0).sum())
    assert zero > 1  # the sample has tied communes
    ranks = table[table.columns[0]].astype(int).tolist()
    assert ranks.count(len(ranks) - zero + 1) == zero, ranks  # every 0 % commune: the same rank
    code = direct(national, "SELECT commune_code, SUM(CASE WHEN status = 'poor' THEN 1 ELSE 0 END) AS p "
                            "FROM t WHERE year = 2026 AND province_code = '19' GROUP BY commune_code "
                            "HAVING p = 0 ORDER BY commune_code LIMIT 1")["commune_code"].iloc[0]
    at = _national_page("overview", district="19", communes=str(code))
    said = " ".join(s.value for s in at.success)
    assert f"đồng hạng {len(ranks) - zero + 1}/{len(ranks)} với {zero - 1} đơn vị khác" in said, said


def test_a_link_to_a_commune_without_its_province_opens_the_province(spy, national):
    """``?dataset=vietnam&communes=<code>`` showed the commune's figures under the ranking of the provinces (a
    sweep of the national pages): a commune is shown inside its province."""
    code = direct(national, "SELECT MIN(commune_code) AS c FROM t WHERE province_code = '33'")["c"].iloc[0]
    at = _national_page("overview", communes=code)
    assert at.session_state["f_district"] == "33" and at.session_state["f_communes"] == [code]
    assert at.query_params.get("district") == "33"


def test_communes_are_chosen_within_a_province(spy, national):
    """With every province in view the commune filter offers none (it says to choose a province): a commune kept
    from another dataset, or chosen before "all provinces", no longer mixes one commune into the country's view."""
    code = direct(national, "SELECT MIN(commune_code) AS c FROM t WHERE province_code = '19'")["c"].iloc[0]
    at = _national_page("overview", district="19", communes=code)
    assert at.session_state["f_communes"] == [code]
    at.selectbox(key="f_district").set_value("").run()  # every province
    assert_ok(at, "all provinces")
    box = at.multiselect(key="f_communes")
    assert box.options == [] and box.value == [] and box.placeholder == t("app.pick_province_first")
    assert "communes" not in at.query_params


def test_help_on_the_country_asks_for_a_commune_for_its_example(spy, national):
    """The help page said the country's data had no household with every indicator (they all have them): its
    worked example is computed on one commune, and it says so."""
    at = _national_page("help")
    infos = [i.value for i in at.info]
    assert t("help.example.pick_commune", "vi") in infos and t("help.example.none", "vi") not in infos
    code = direct(national, "SELECT MIN(commune_code) AS c FROM t WHERE province_code = '33'")["c"].iloc[0]
    at = _national_page("help", district="33", communes=code)
    infos = [i.value for i in at.info]
    assert t("help.example.pick_commune", "vi") not in infos and t("help.example.none", "vi") not in infos
