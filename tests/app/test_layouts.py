"""Every page, report and export on each documented layout of review files, and on a mixture (issue 15, item 2).

A review file carries the 10 indicator columns or the B2 score instead (``data/templates/README.md``).
Three stores are built through :mod:`povlib.intake` from template-shaped files of two communes of the demo:

* ``indicators`` – both communes with every indicator (the template, filled in);
* ``b2``         – both communes with the B2 score and no indicator column at all;
* ``mixed``      – commune A with the indicators, commune B in the template with the indicator cells left
                   blank and the B2 score filled in.

Every page runs under AppTest on each store (``?dataset=store:ra-soat``) without an exception or an error,
saying in so many words what it cannot show for households reviewed with the B2 score only; the figures by
indicator are those of the households that have them. Reports of every kind and the plan workbook are built
on each store too.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

streamlit_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = streamlit_testing.AppTest

import streamlit as st  # noqa: E402

import povlib  # noqa: E402
from povlib import geo, planning, views  # noqa: E402
from povlib import intake as pio  # noqa: E402
from povlib.errors import PovlibInputError  # noqa: E402
from povlib.export import to_csv_bytes, to_xlsx_bytes  # noqa: E402
from povlib.i18n import fmt_int, t  # noqa: E402
from povlib.intake import Store  # noqa: E402
from povlib.reports import KINDS, build_report  # noqa: E402
from tests.support.apptest import from_file as apptest_from_file  # noqa: E402
from tests.support.apptest import signed_in
from ui.nav import PAGES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
YEAR = 2019
A, B = "02032", "02029"          # Xã Tân Lập (indicators in the mixture), Xã Đồng Lạc (B2 only in the mixture)
PER_COMMUNE = 150                # households of each commune taken from the demo (every year they were reviewed)
LAYOUTS = ("indicators", "b2", "mixed")
ALL_PAGES = [p for p, *_ in PAGES]
IND_IDS = povlib.standards.get("QD59_2015").indicator_ids
IND_HEADERS = [s.vi for s in pio.template_columns() if s.kind == "indicator"]


# --- the stores ----------------------------------------------------------------------------------
def _households(demo: pd.DataFrame, code: str) -> pd.DataFrame:
    # the reviews under Decision 59/2015 (its template of 10 indicators), on the 2019 units
    d = demo[(demo["commune_code"] == code) & (demo["year"] <= YEAR)]
    ids = sorted(d["household_id"].unique())[:PER_COMMUNE]
    return d[d["household_id"].isin(ids)]


def _b2_file(d: pd.DataFrame) -> bytes:
    """A review file with the B2 score instead of the indicator columns (none of them in the file)."""
    text = pio.export_to_template(d, fmt="csv", encoding="utf-8")
    table = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False)
    return table.drop(columns=IND_HEADERS).to_csv(index=False).encode("utf-8")


def _files(layout: str, a: pd.DataFrame, b: pd.DataFrame) -> list[tuple[str, bytes]]:
    if layout == "indicators":
        return [("a.xlsx", pio.export_to_template(a)), ("b.xlsx", pio.export_to_template(b))]
    if layout == "b2":
        return [("a.csv", _b2_file(a)), ("b.csv", _b2_file(b))]
    blank = b.assign(**{c: pd.NA for c in IND_IDS})  # the template with blank indicator cells, B2 filled in
    return [("a.xlsx", pio.export_to_template(a)), ("b.xlsx", pio.export_to_template(blank))]


@pytest.fixture(scope="module")
def stores(tmp_path_factory, demo) -> dict[str, Path]:
    a, b = _households(demo, A), _households(demo, B)
    out = {}
    for layout in LAYOUTS:
        path = tmp_path_factory.mktemp(f"store_{layout}")
        store = Store(path)
        for name, data in _files(layout, a, b):
            res = pio.read_intake(data, file_name=name, store=store)
            assert res.ok, res.errors.head()
            store.import_intake(res, imported_by="Kiểm thử")
        out[layout] = path
    return out


@pytest.fixture(scope="module")
def panels(stores) -> dict[str, pd.DataFrame]:
    return {layout: views.with_flows(Store(path).load_panel()) for layout, path in stores.items()}


def _b2_rows(panel: pd.DataFrame) -> np.ndarray:
    return ~povlib.panel.indicator_rows(panel, "QD59_2015")


def test_the_stores_hold_the_layouts(panels):
    for layout, p in panels.items():
        b2 = _b2_rows(p)
        in_b = (p["commune_code"].astype(str) == B).to_numpy()
        expect = {"indicators": np.zeros(len(p), bool), "b2": np.ones(len(p), bool), "mixed": in_b}[layout]
        assert (b2 == expect).all(), layout
    assert not set(IND_IDS) & set(panels["b2"].columns)   # the B2 files had no indicator column at all
    assert set(IND_IDS) <= set(panels["mixed"].columns)   # the mixture: blank cells in the B2 commune
    # the same households, the same status whatever the layout (B2 = 10 × the number of deprivations)
    ref = panels["indicators"].sort_values(["year", "household_id"])
    for layout in ("b2", "mixed"):
        got = panels[layout].sort_values(["year", "household_id"])
        assert got["status"].astype(str).tolist() == ref["status"].astype(str).tolist()
        assert got["deprivation_count"].tolist() == ref["deprivation_count"].tolist()


# --- every page on every layout ------------------------------------------------------------------
#: the store whose figures the app's caches hold (None: unknown, as at the start of this module)
_CACHED_STORE: list[Path | None] = [None]


@pytest.fixture(autouse=True, scope="module")
def _caches_unknown_at_start():
    _CACHED_STORE[0] = None


def open_page(page: str, store: Path, monkeypatch, state: dict | None = None, **query) -> AppTest:
    monkeypatch.setenv("POVLIB_STORE", str(store))
    # the view caches are keyed on the dataset and its version, not on the store's folder (one per server):
    # a page of another store than the last one starts with empty caches (the tests of this module run one
    # after another, and the first one clears)
    if _CACHED_STORE[0] != store:
        st.cache_data.clear()
        st.cache_resource.clear()
        _CACHED_STORE[0] = store
    at = apptest_from_file(str(ROOT / page), default_timeout=TIMEOUT)
    for k, v in signed_in("district_officer", "06").items():  # imported data need a sign-in
        at.session_state[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.query_params["dataset"] = "store:ra-soat"
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert_ok(at, f"{page} {query}")
    return at


def assert_ok(at: AppTest, context: str) -> None:
    assert not at.exception, f"{context}: {[e.value for e in at.exception]}"
    assert not at.error, f"{context}: st.error shown: {[e.value for e in at.error]}"


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def _year(panel: pd.DataFrame, year: int = YEAR) -> pd.DataFrame:
    return panel[panel["year"] == year]


@pytest.mark.parametrize("page", ALL_PAGES)
@pytest.mark.parametrize("layout", LAYOUTS)  # the store changes last: the tests of one store share its caches
def test_every_page_runs_on_every_layout(page, layout, stores, monkeypatch):
    at = open_page(page, stores[layout], monkeypatch)
    if page == "app_pages/data.py":  # the data page lists the versions (it needs no dataset of its own)
        table = next(d.value for d in at.dataframe if t("intake.ver.version") in d.value.columns)
        assert table[t("intake.ver.version")].tolist() == [2, 1]
    else:
        assert at.session_state["f_dataset"] == "store:ra-soat"


def _texts_for(layout: str, panels, lang: str = "vi") -> dict[str, str | None]:
    """The messages each page must show about households reviewed with the B2 score only (None: no message)."""
    y = _year(panels[layout])
    b2 = _b2_rows(y)
    n, m = int(b2.sum()), int((~b2).sum())
    listed = b2 & y["status"].astype(str).isin(["poor", "near_poor"]).to_numpy()
    if not n:
        return dict.fromkeys(("deprivations", "households", "map", "planning"))
    return {
        "deprivations": (t("dep.b2_only_all", lang, n=fmt_int(n, lang)) if not m else
                         t("dep.b2_only", lang, n=fmt_int(n, lang), m=fmt_int(m, lang))),
        "households": t("hh.b2_only", lang, n=fmt_int(int(listed.sum()), lang)),
        "map": t("map.b2_only", lang, n=fmt_int(n, lang)),
        "planning": t("plan.wi.b2_only", lang, n=fmt_int(n, lang)),
    }


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", ["deprivations", "households", "map", "planning"])
@pytest.mark.parametrize("layout", LAYOUTS)  # the store changes last
def test_pages_say_what_they_cannot_show(page, layout, lang, stores, panels, monkeypatch):
    at = open_page(f"app_pages/{page}.py", stores[layout], monkeypatch, lang=lang)
    expected = _texts_for(layout, panels, lang)[page]
    said = [i for i in infos(at) if any(w in i for w in ("B2", "điểm B", "score B"))]
    assert said == ([expected] if expected else []), said


def test_deprivation_figures_are_those_of_the_households_with_indicators(panels):
    """In the mixture, every figure by indicator equals that of commune A alone (B has no indicators)."""
    y = _year(panels["mixed"])
    only_a = y[y["commune_code"].astype(str) == A]
    got, ref = views.deprivation_summary(y, "QD59_2015"), views.deprivation_summary(only_a, "QD59_2015")
    assert (got["H"], got["A"], got["M0"]) == (ref["H"], ref["A"], ref["M0"])
    pd.testing.assert_frame_equal(got["table"], ref["table"])
    pd.testing.assert_frame_equal(got["count_dist"], ref["count_dist"])
    assert got["households"] == len(y) and got["with_indicators"] == len(only_a)
    assert got["b2_only"] == len(y) - len(only_a)
    groups = views.group_comparison(y, "QD59_2015").set_index("group")
    assert groups.loc["all", "households"] == len(y) and groups.loc["all", "with_indicators"] == len(only_a)
    assert groups.loc["all", "M0"] == ref["M0"]
    m = views.unit_indicator_matrix(y, "QD59_2015")
    assert list(m.index) == [only_a["commune_name"].iloc[0]]
    # B2 only: nothing by indicator, said so, and no figure made up
    b2 = views.deprivation_summary(_year(panels["b2"]), "QD59_2015")
    assert b2["with_indicators"] == 0 and b2["b2_only"] == b2["households"] and np.isnan(b2["M0"])
    assert views.unit_indicator_matrix(_year(panels["b2"]), "QD59_2015").empty


def test_household_list_marks_b2_only_rows_and_exports(panels):
    y = _year(panels["mixed"])
    hl = views.household_list(y, "QD59_2015", min_deprivations=1)
    in_b = hl[t("general.commune")] == _year(panels["mixed"]).query("commune_code == @B")["commune_name"].iloc[0]
    assert (hl.loc[in_b, t("hh.col.deprivations")] == t("hh.b2_only_cell")).all()
    assert not (hl.loc[~in_b, t("hh.col.deprivations")] == t("hh.b2_only_cell")).any()
    assert hl.attrs["b2_only"] == int(in_b.sum()) > 0
    # the number of deprivations of a B2 row is its B2 score's: the same as with the indicators
    ref = views.household_list(_year(panels["indicators"]), "QD59_2015", min_deprivations=1)
    col = t("hh.col.deprivation_count")
    assert sorted(hl[col]) == sorted(ref[col])
    assert to_csv_bytes(hl).startswith(b"\xef\xbb\xbf") and to_xlsx_bytes({"x": hl}, ["T"])[:2] == b"PK"


def test_map_layer_and_profile_on_every_layout(panels):
    for layout, p in panels.items():
        m = geo.unit_measures(p, YEAR)
        layer = geo.join_measures(geo.boundaries("cho-don"), m, year=YEAR)
        expect_b2 = int(_b2_rows(_year(p)).sum())
        assert layer.attrs["b2_only"] == expect_b2
        by = m.set_index("code")
        for code in (A, B):
            known = layout == "indicators" or (layout == "mixed" and code == A)
            assert np.isnan(by.loc[code, "M0"]) != known, (layout, code)
            prof = geo.unit_profile(p, code, YEAR)
            assert prof.indicators["unit_share"].isna().all() != known
            assert prof.indicators.attrs["b2_only"] == (0 if known else len(_year(p).query("commune_code == @code")))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_map_panel_of_each_commune(layout, stores, panels, monkeypatch):
    for code in (A, B):
        at = open_page("app_pages/map.py", stores[layout], monkeypatch, state={"map_part": "profile"},  # the profile part
                       communes=code, measure="M0")
        known = layout == "indicators" or (layout == "mixed" and code == A)
        n = len(_year(panels[layout]).query("commune_code == @code"))
        profile_msg = t("map.profile_b2_only_all", "vi", n=fmt_int(n))
        assert (profile_msg in infos(at)) != known


@pytest.mark.parametrize("layout", LAYOUTS)
def test_page_controls_on_every_layout(layout, stores, monkeypatch):
    at = open_page("app_pages/deprivations.py", stores[layout], monkeypatch)
    if layout != "b2":  # B2 only: the page stops after saying why (test_pages_say_what_they_cannot_show)
        at.radio(key="dep_mode").set_value("censored").run()
        at.radio(key="dep_among").set_value("poor").run()
        assert_ok(at, "deprivations controls")
    at = open_page("app_pages/households.py", stores[layout], monkeypatch)
    at.slider(key="hh_min_dep").set_value(3).run()
    assert_ok(at, "households min deprivations")
    at = open_page("app_pages/planning.py", stores[layout], monkeypatch)
    for key in ("wi_hi", "wi_water", "wi_latrine", "wi_housing", "wi_info"):
        at.checkbox(key=key).check()
    at.run()
    assert_ok(at, "planning what-if")
    for kind, unit in (("indicators", ""), ("groups", ""), ("posting", A), ("posting", B)):
        at = open_page("app_pages/reports.py", stores[layout], monkeypatch, report=kind, **({"unit": unit} if unit else {}))
        if kind == "indicators" and layout == "b2":
            n = len(_year(Store(stores[layout]).load()))
            assert [w.value for w in at.warning] == [t("report.warn.b2_only_all", "vi", n=fmt_int(n))]


@pytest.mark.parametrize("standard", ["QD59_2015", "ND07_2021"])
@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_with_a_chosen_standard_on_the_mixture(page, standard, stores, monkeypatch):
    """The sidebar's standard reclassifies every row; rows without indicators keep their B2 score."""
    open_page(page, stores["mixed"], monkeypatch, standard=standard)


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/deprivations.py", "app_pages/households.py",
                                  "app_pages/trends.py"])
def test_b2_commune_alone_and_earlier_year(page, stores, monkeypatch):
    open_page(page, stores["mixed"], monkeypatch, communes=B, year="2017")
    open_page(page, stores["b2"], monkeypatch, year="2016", group="ethnic_minority")


# --- reports and the plan workbook on every layout -----------------------------------------------------
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("kind", KINDS)
def test_reports_of_every_kind(kind, layout, panels):
    p = panels[layout]
    n_b2 = int(_b2_rows(_year(p)).sum())
    for commune in (None, A):
        b = build_report(p, YEAR, kind, commune=commune)
        n = n_b2 if commune is None else (n_b2 if layout == "b2" else 0)
        if kind in ("indicators", "all") and layout == "b2":
            assert "indicators" not in b.keys.values()
            assert b.warnings == [t("report.warn.b2_only_all", "vi", n=fmt_int(len(_year(p)) if commune is None
                                                                          else len(_year(p).query("commune_code == @A"))))]
        if kind == "indicators" and layout == "b2":
            with pytest.raises(PovlibInputError, match="chỉ với tổng điểm thiếu hụt"):
                b.to_xlsx()
            continue
        assert b.to_xlsx()[:2] == b"PK"
        assert all(b.to_csv(name).startswith(b"\xef\xbb\xbf") for name in b.sheets)
        if kind in ("indicators", "all") and layout != "b2":
            tab = b.tables[t("report.sheet.indicators")]
            assert tab.attrs["unknown"] == n
            notes = b.notes[t("report.sheet.indicators")]
            assert (t("report.note.indicators_unknown", "vi", n=fmt_int(n)) in notes) == bool(n)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_plan_workbook_with_a_scenario(layout, panels):
    p = panels[layout]
    sc = planning.scenario_from_dict({"name": "x", "interventions": [
        {"kind": "health_insurance"}, {"kind": "water"}, {"kind": "latrine"}, {"kind": "housing", "n": 5},
        {"kind": "info_assets"}]}, "test")
    rows = planning.with_earlier_reviews(p, _year(p))
    for standard in (None, "ND07_2021"):
        bundle = planning.build_plan(rows, YEAR, scenario=sc, standard=standard, scope_label="Kiểm thử")
        assert bundle.to_xlsx()[:2] == b"PK"
        n = int(_b2_rows(_year(p)).sum())
        note = t("plan.wi.b2_only", "vi", n=fmt_int(n))
        assert (note in bundle.notes) == bool(n)
        res = bundle.whatif
        assert res.b2_only == n
        by = res.by_unit.set_index("commune_code")
        if layout == "mixed":  # no intervention reaches the commune without indicators
            assert by.loc[B, "reached"] == 0 and by.loc[B, "lifted"] == 0 and by.loc[B, "cost"] == 0
            assert by.loc[A, "reached"] > 0
        if layout == "b2":
            assert int(res.total["reached"].iloc[0]) == 0
