"""The 2027 review under Decree 351/2025 on the pages: its template on *Dữ liệu*, every page on a store of it.

A store holds one 2027 review of two communes of the district demo (the 2025 units), imported through
:mod:`povlib.intake` from the Decree 351/2025 template with its 12 indicators. Every page runs on it without
an exception or an error; the deprivations page shows the 12 indicators and states the rule of the standard
(one income line and the cutoff; no income-only branch).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st

from povlib import intake as pio
from povlib import standards
from povlib.i18n import fmt_int, fmt_pct, t
from povlib.indicator_basis import shared_note
from povlib.intake import Store
from tests.support.apptest import assert_ok, new_page, open_page, signed_in
from ui.nav import PAGES

ND351 = standards.get("ND351_2025")
CODES = ("01933", "02020")  # two communes of the district demo in 2026 (the 2025 units)


@pytest.fixture(scope="module")
def store_2027(tmp_path_factory, demo) -> Path:
    d = demo[(demo["year"] == 2026) & demo["commune_code"].astype(str).isin(CODES)].copy()
    d = d.groupby("commune_code", observed=True).head(120)
    rng = np.random.default_rng(351)
    d = d.assign(year=2027, standard="ND351_2025", b1_score=pd.NA, b2_score=pd.NA,
                 waste_treatment=pd.array(rng.integers(0, 2, len(d)), dtype="Int8"),
                 digital_services=pd.array(rng.integers(0, 2, len(d)), dtype="Int8"))
    res = pio.read_intake(pio.export_to_template(d, standard="ND351_2025"), file_name="ra_soat_2027.xlsx")
    assert res.ok, res.errors.head()
    path = tmp_path_factory.mktemp("store_2027")
    Store(path).import_intake(res, imported_by="Kiểm thử")
    return path


@pytest.fixture()
def on_store(store_2027, monkeypatch):
    monkeypatch.setenv("POVLIB_STORE", str(store_2027))
    st.cache_data.clear()  # the view caches are keyed on the dataset and its version, not on the store's folder
    yield store_2027
    st.cache_data.clear()


def test_data_page_offers_a_template_per_standard(tmp_path, monkeypatch):
    monkeypatch.setenv("POVLIB_STORE", str(tmp_path / "store"))
    at = open_page("app_pages/data.py", signed_in("district_officer", "06"))
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Hộ gia đình 2016–2021", "Hộ gia đình 2022–2026", "Hộ gia đình 2027–2030",
                      "Thành viên hộ (mọi năm)"]
    note = (t("intake.page.template_provisional_note", "vi", standard=ND351.name("vi")) + " "
            + t("intake.page.template_income_note", "vi"))
    assert note in [c.value for c in at.caption]


@pytest.mark.parametrize("page", [p for p, *_ in PAGES])
def test_every_page_on_a_2027_review(on_store, page):
    at = new_page(page, signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert_ok(at, page)


def test_deprivations_of_2027_count_the_12_indicators_and_state_the_rule(on_store, store_2027):
    at = new_page("app_pages/deprivations.py", signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert_ok(at, "deprivations")
    labels = [ND351.indicator(i).label("vi") for i in ND351.indicator_ids]
    by_indicator = next(d.value for d in at.dataframe if "Chỉ số" in d.value.columns)
    assert by_indicator["Chỉ số"].tolist() == labels
    n = len(Store(store_2027).load_panel())
    assert t("dep.count_note_one_line", "vi", n=fmt_int(n, "vi"), k=3) in [c.value for c in at.caption]
    assert not [c.value for c in at.caption if "đến chuẩn cận nghèo" in c.value]  # Decision 59/2015's rule


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_scope_line_of_communes_without_a_district_names_them_by_count(on_store, lang):
    """Data imported after the 2025 reform carry no district: the page says what it shows (it said
    "Địa bàn  cũ", a former district with no name)."""
    at = new_page("app_pages/overview.py", signed_in("district_officer", "06"), dataset="store:ra-soat", lang=lang).run()
    assert_ok(at, "overview")
    scope = at.caption[0].value
    assert scope.startswith(t("app.scope.communes", lang, n=2) + " · "), scope
    assert scope.endswith(t("app.scope.year", lang, year=2027)), scope


@pytest.fixture(scope="module")
def store_partial(tmp_path_factory, demo) -> Path:
    """The 2026 review of both communes, the 2027 review of one (the other's file not imported yet)."""
    d26 = demo[(demo["year"] == 2026) & demo["commune_code"].astype(str).isin(CODES)]
    d26 = d26.groupby("commune_code", observed=True).head(120)
    d27 = d26[d26["commune_code"].astype(str) == CODES[1]].assign(
        year=2027, standard="ND351_2025", b1_score=pd.NA, b2_score=pd.NA,
        waste_treatment=pd.array([0] * 120, dtype="Int8"), digital_services=pd.array([0] * 120, dtype="Int8"))
    path = tmp_path_factory.mktemp("store_partial")
    for d, std, name in ((d26, "ND07_2021", "2026.xlsx"), (d27, "ND351_2025", "2027.xlsx")):
        res = pio.read_intake(pio.export_to_template(d, standard=std), file_name=name)
        assert res.ok, res.errors.head()
        Store(path).import_intake(res, imported_by="Kiểm thử")
    return path


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/trends.py", "app_pages/reports.py"])
def test_a_year_without_some_communes_says_so_and_compares_on_those_with_data(store_partial, monkeypatch, page):
    monkeypatch.setenv("POVLIB_STORE", str(store_partial))
    st.cache_data.clear()
    at = new_page(page, signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert_ok(at, page)
    warning = t("app.not_reviewed", "vi", year=2027, prev=2026, count="1 xã, phường", units="Xã Đồng Phúc")
    assert warning in [w.value for w in at.warning]
    if page.endswith("overview.py"):
        households = next(m for m in at.metric if m.label == t("measure.households", "vi"))
        assert households.value == "120 hộ" and households.delta == t("ov.delta_hh", "vi", n="±0")
        assert ":material/hourglass_top: " + t("ov.prev_on_reviewed", "vi", prev=2026, year=2027) in \
            [c.value for c in at.caption]
    if page.endswith("reports.py"):
        note = t("report.note.not_reviewed", "vi", year=2027, prev=2026, count="1 xã, phường", units="Xã Đồng Phúc")
        assert any(note in c.value.replace("\\", "") for c in at.caption), [c.value for c in at.caption]
    st.cache_data.clear()


def test_the_overview_across_the_change_of_standard_colours_no_change_and_says_why(store_partial, monkeypatch):
    """2026 under Decree 07/2021, 2027 under Decree 351/2025: a change is neither good nor bad (grey), and the
    flows say that most of the change comes from the change of standard, as the trends page does."""
    monkeypatch.setenv("POVLIB_STORE", str(store_partial))
    st.cache_data.clear()
    at = new_page("app_pages/overview.py", signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert_ok(at, "overview")
    rates = [m for m in at.metric if m.label.startswith(("Hộ nghèo", "Hộ cận nghèo"))]
    assert len(rates) == 2 and all(m.proto.color == m.proto.GRAY for m in rates)
    note = t("tr.flows_break_note", "vi", year=2027, prev=2026, before=standards.short_name("ND07_2021", "vi"),
             after=standards.short_name("ND351_2025", "vi"))
    assert ":material/warning: " + note in [c.value for c in at.caption]
    st.cache_data.clear()
    # within one standard the colours stay (the demo, 2018 → 2019)
    demo = new_page("app_pages/overview.py", dataset="cho-don", year="2019").run()
    poor = next(m for m in demo.metric if m.label.startswith("Hộ nghèo"))
    assert poor.proto.color != poor.proto.GRAY
    assert not [c for c in demo.caption if "đo theo chuẩn khác" in c.value]


def test_the_planning_whatif_offers_only_measures_on_the_standards_indicators(on_store):
    at = new_page("app_pages/planning.py", signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert_ok(at, "planning")
    keys = {c.key for c in at.checkbox}
    assert "wi_info" not in keys and {"wi_water", "wi_latrine"} <= keys  # no means-of-information indicator in 2027
    demo = new_page("app_pages/planning.py", dataset="cho-don", year="2019").run()
    assert "wi_info" in {c.key for c in demo.checkbox}


def test_one_review_year_and_a_provinces_own_standard_are_said_plainly(on_store):
    at = new_page("app_pages/trends.py", signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert t("tr.one_year_note", "vi", year=2027) in [c.value for c in at.caption]  # not "2027–2027"
    help_page = new_page("app_pages/help.py", signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    local = standards.get("DN_ND07_local_example")
    labels = [e.label for e in help_page.expander]
    assert standards.display_name(local, "vi") in labels and not [x for x in labels if "rà soát )" in x]


@pytest.mark.parametrize(("dataset", "year", "group"), [("bac-kan", "2025", "urban"), ("cho-don", "2020", "all")])
def test_no_commune_reads_as_missing_in_a_complete_demo(dataset, year, group):
    """The towns that became rural in 2025 have no urban households, and Phong Huân was divided in 2020: neither
    is a file not yet imported (the warning named them, and the overview compared on fewer communes)."""
    at = new_page("app_pages/overview.py", dataset=dataset, year=year, group=group).run()
    assert_ok(at, "overview")
    assert not [w.value for w in at.warning if w.value.startswith(f"Năm {year} chưa có dữ liệu của")]
    assert not [c.value for c in at.caption if t("ov.prev_on_reviewed", "vi", prev=int(year) - 1, year=year) in c.value]


def test_under_a_whatif_standard_both_years_are_measured_alike(store_partial, monkeypatch):
    """With a standard chosen in the sidebar both reviews are classified under it: no break, colours as usual."""
    monkeypatch.setenv("POVLIB_STORE", str(store_partial))
    st.cache_data.clear()
    at = new_page("app_pages/overview.py", signed_in("district_officer", "06"), dataset="store:ra-soat",
                  standard="ND351_2025").run()
    assert_ok(at, "overview")
    assert not [c for c in at.caption if "đo theo chuẩn khác" in c.value]
    st.cache_data.clear()


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/deprivations.py", "app_pages/households.py",
                                  "app_pages/map.py", "app_pages/reports.py", "app_pages/planning.py"])
def test_the_2027_review_under_the_2022_standard_counts_the_shared_indicators(store_partial, monkeypatch, page):
    """The 2027 rows give Decree 351/2025's indicators and no score B: the sidebar's what-if under Decree 07/2021
    counts the ten indicators both standards share (it was refused with an error on every page) and says so."""
    monkeypatch.setenv("POVLIB_STORE", str(store_partial))
    st.cache_data.clear()
    at = new_page(page, signed_in("district_officer", "06"), dataset="store:ra-soat", year="2027",
                  standard="ND07_2021").run()
    assert_ok(at, page)
    shared = shared_note("ND07_2021", "ND351_2025", "vi")
    assert "10/12" in shared and ":material/info: " + shared in [c.value for c in at.caption]
    st.cache_data.clear()


def test_the_trends_charts_mark_a_year_still_being_imported(store_partial, monkeypatch):
    """2027 has one of the two communes of 2026: the rates charts carry a band and a label on 2027 saying the
    area is not complete (the total line joined it to 2026 as if it were)."""
    import json

    monkeypatch.setenv("POVLIB_STORE", str(store_partial))
    st.cache_data.clear()
    at = new_page("app_pages/trends.py", signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert_ok(at, "trends")
    figs = [json.loads(ch.proto.spec) for ch in at.get("plotly_chart")]
    label = t("chart.partial_year", "vi", count="1 xã, phường")
    marked = [f for f in figs if any(s.get("name") == "partial_year" and s["x0"] < 2027 < s["x1"]
                                     for s in f["layout"].get("shapes", []))
              and label in f["layout"]["xaxis"]["ticktext"][-1] and f["layout"]["xaxis"]["ticktext"][0] == "2026"]
    assert len(marked) == len(figs) >= 2  # the total's rates and the communes' lines
    st.cache_data.clear()
    complete = new_page("app_pages/trends.py", dataset="cho-don").run()
    assert not [s for ch in complete.get("plotly_chart") for s in json.loads(ch.proto.spec)["layout"].get("shapes", [])
                if s.get("name") == "partial_year"]


def test_the_household_list_under_a_whatif_names_the_deprivations_it_counted(store_partial, monkeypatch):
    """2026 (Decree 07/2021) under Decree 351/2025: the list's count and names are the ten shared indicators the
    status was decided on (it named and counted *telecom* and *information access* beside a status that did not)."""
    from povlib.panel import classify_panel

    monkeypatch.setenv("POVLIB_STORE", str(store_partial))
    st.cache_data.clear()
    at = new_page("app_pages/households.py", signed_in("district_officer", "06"), dataset="store:ra-soat",
                  year="2026", standard="ND351_2025").run()
    assert_ok(at, "households")
    table = next(d.value for d in at.dataframe if t("hh.col.deprivation_count", "vi") in d.value.columns)
    panel = classify_panel(Store(store_partial).load_panel(), "ND351_2025")
    cur = panel[panel["year"] == 2026].set_index("household_id")
    hid = table[t("hh.col.household_id", "vi")]
    assert table[t("hh.col.deprivation_count", "vi")].tolist() == cur.loc[hid, "deprivation_count"].tolist()
    named = " ".join(table[t("hh.col.deprivations", "vi")])
    nd07 = standards.get("ND07_2021")
    assert nd07.indicator("telecom").label("vi") not in named and nd07.indicator("latrine").label("vi") in named
    st.cache_data.clear()


def _in_2022_form(d: pd.DataFrame) -> bytes:
    """Rows of 2027 as a file in the 2022–2025 form (its 12 indicators and score B, no standard column)."""
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(pio.export_to_template(d, standard="ND07_2021")))
    ws = wb.worksheets[0]
    ws.delete_cols([c.value for c in ws[1]].index("Chuẩn nghèo") + 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _store_of(path: Path, files: list[tuple[bytes, str]]) -> Path:
    for data, name in files:
        res = pio.read_intake(data, file_name=name)
        assert res.ok, res.errors.head()
        Store(path).import_intake(res, imported_by="Kiểm thử")
    return path


@pytest.fixture(scope="module")
def store_2022_form(tmp_path_factory, demo) -> Path:
    """The 2027 review of two communes in the 2022–2025 form: 10 of Decree 351/2025's indicators are given, its
    two new ones are not."""
    d = demo[(demo["year"] == 2026) & demo["commune_code"].astype(str).isin(CODES)]
    d = d.groupby("commune_code", observed=True).head(60).assign(year=2027)
    return _store_of(tmp_path_factory.mktemp("store_2022_form"), [(_in_2022_form(d), "ra_soat_2027_mau_cu.xlsx")])


def test_a_2027_file_in_the_2022_form_shows_the_shares_of_the_indicators_it_gives(store_2022_form, monkeypatch):
    """The deprivations page said only that every household was reviewed with a score B (nothing shown); the ten
    indicators the form asked are known: their shares are shown, and the page names the two that are not."""
    monkeypatch.setenv("POVLIB_STORE", str(store_2022_form))
    st.cache_data.clear()
    at = new_page("app_pages/deprivations.py", signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert_ok(at, "deprivations")
    missing = "; ".join(ND351.indicator(i).label("vi") for i in ("waste_treatment", "digital_services"))
    assert any(t("dep.partial", "vi", n="120", k=10, total=12, std=ND351.name("vi"), missing=missing) == i.value
               for i in at.info), [i.value for i in at.info]
    table = next(d.value for d in at.dataframe if "Chỉ số" in d.value.columns)
    given = [i for i in ND351.indicator_ids if i not in ("waste_treatment", "digital_services")]
    assert table["Chỉ số"].tolist() == [ND351.indicator(i).label("vi") for i in given]
    rows = Store(store_2022_form).load_panel()
    assert table["Tất cả hộ"].iloc[-1] == fmt_pct(float(rows["latrine"].mean()), "vi", 1)
    for page in ("app_pages/overview.py", "app_pages/map.py", "app_pages/households.py", "app_pages/reports.py"):
        assert_ok(new_page(page, signed_in("district_officer", "06"), dataset="store:ra-soat").run(), page)
    # the map's commune panel: the ten shares, not "every household reviewed with the score only"
    at = new_page("app_pages/map.py", {**signed_in("district_officer", "06"), "map_part": "profile"},
                  dataset="store:ra-soat", communes=CODES[1]).run()
    assert_ok(at, "map profile")
    assert f"**{t('map.profile', 'vi', n=10)}**" in [m.value for m in at.markdown]
    assert ":material/info: " + t("map.profile_partial", "vi", k=10, total=12, std=ND351.name("vi"), missing=missing) \
        in [c.value for c in at.caption]
    assert not [i for i in at.info if i.value == t("map.profile_b2_only_all", "vi", n="60")]
    assert [c for c in at.get("plotly_chart") if c.key == "map_profile_chart"]
    # the report by indicator: the ten rows, and a note naming the two without data (it was refused)
    at = new_page("app_pages/reports.py", signed_in("district_officer", "06"), dataset="store:ra-soat",
                  report="indicators").run()
    assert_ok(at, "reports")
    note = t("report.note.indicators_not_given", "vi", k=10, total=12, std=ND351.name("vi"), missing=missing)
    assert any(note in c.value.replace("\\", "") for c in at.caption), [c.value for c in at.caption]
    assert not [w for w in at.warning if w.value.startswith("240 hộ") or "không có bảng theo chỉ số" in w.value]
    st.cache_data.clear()


@pytest.fixture(scope="module")
def stores_of_two_forms(tmp_path_factory, demo) -> dict[str, Path]:
    """2027 with one commune in the 2022–2025 form (10 indicators) and the other either in the 2027 form (all 12:
    ``mixed``) or with score B only (``b_only``)."""
    d = demo[(demo["year"] == 2026) & demo["commune_code"].astype(str).isin(CODES)]
    d = d.groupby("commune_code", observed=True).head(60).assign(year=2027)
    old, new = d[d["commune_code"].astype(str) == CODES[0]], d[d["commune_code"].astype(str) == CODES[1]]
    rng = np.random.default_rng(7)
    full = new.assign(standard="ND351_2025", b1_score=pd.NA, b2_score=pd.NA,
                      waste_treatment=pd.array(rng.integers(0, 2, len(new)), dtype="Int8"),
                      digital_services=pd.array(rng.integers(0, 2, len(new)), dtype="Int8"))
    b_only = pio.export_to_template(new.assign(standard="ND351_2025"), standard="ND351_2025", fmt="csv")
    import csv
    import io
    rows = list(csv.reader(io.StringIO(b_only.decode("utf-8-sig"))))
    inds = {ND351.indicator(i).label("vi") for i in ND351.indicator_ids}
    keep = [j for j, h in enumerate(rows[0]) if h not in inds]
    b_only = "\n".join(",".join(r[j] for j in keep) for r in rows).encode()
    return {"mixed": _store_of(tmp_path_factory.mktemp("mixed"), [
                (_in_2022_form(old), "cu.xlsx"), (pio.export_to_template(full, standard="ND351_2025"), "moi.xlsx")]),
            "b_only": _store_of(tmp_path_factory.mktemp("b_only"), [(_in_2022_form(old), "cu.xlsx"),
                                                                     (b_only, "diem_b.csv")])}


@pytest.mark.parametrize("kind", ["mixed", "b_only"])
def test_a_year_of_two_forms_reads_alike_on_every_indicator_view(stores_of_two_forms, kind, monkeypatch):
    """One figure for one area whichever view shows it: the deprivations page, the report by indicator and the
    map's panel of either commune count the same households (the panel of the commune in the 2022 form counted
    its 10 indicators over every row giving them, the page only rows with all 12). Beside a commune with score B
    only, the page says how many households it leaves out."""
    from povlib.geo.profile import unit_profile
    from povlib.reports.indicators import indicator_table
    from povlib.views import deprivation_summary, partial_shares

    p = Store(stores_of_two_forms[kind]).load_panel()
    y = p[p["year"] == 2027]
    page = partial_shares(y, "ND351_2025") if kind == "b_only" else None
    share = (page["table"] if page else deprivation_summary(y, "ND351_2025")["table"]).set_index("indicator")
    report = indicator_table(y).set_index("indicator")
    assert len(share) == len(report) == (10 if kind == "b_only" else 12)
    want = float(share.loc["latrine", "share_all"])
    for code in CODES:
        panel = unit_profile(p, code, 2027).indicators.set_index("indicator")
        assert len(panel) == len(share) and float(panel.loc["latrine", "parent_share"]) == pytest.approx(want)
    deprived = report.loc["latrine", ["poor", "near_poor"]].sum()
    counted = report.attrs["households"]["poor"] + report.attrs["households"]["near_poor"]
    rows = y[y[list(share.index)].notna().all(axis=1)]
    assert counted == int(rows["status"].astype(str).isin(["poor", "near_poor"]).sum())
    assert deprived == int(rows.loc[rows["status"].astype(str).isin(["poor", "near_poor"]), "latrine"].sum())
    monkeypatch.setenv("POVLIB_STORE", str(stores_of_two_forms[kind]))
    st.cache_data.clear()
    at = new_page("app_pages/deprivations.py", signed_in("district_officer", "06"), dataset="store:ra-soat").run()
    assert_ok(at, "deprivations")
    infos = [i.value for i in at.info]
    if kind == "b_only":
        assert t("dep.partial_others", "vi", n="60") in infos
    else:
        assert t("dep.b2_only", "vi", n="60", m="60") in infos
    st.cache_data.clear()


def test_the_whatif_note_names_only_the_indicators_the_rows_do_not_give(store_2022_form, monkeypatch):
    """The 2027 rows in the 2022–2025 form carry *telecom* and *information access*: under Decree 07/2021 nothing
    is missing (the note said those two were), under Decision 59/2015 only its two indicators no form since 2022
    asks (the note listed *telecom* too), and the household list counts what the what-if counts."""
    from povlib.panel import classify_panel

    monkeypatch.setenv("POVLIB_STORE", str(store_2022_form))
    qd59 = standards.get("QD59_2015")
    for std, missing in (("ND07_2021", None), ("QD59_2015", ("health_access", "info_assets"))):
        st.cache_data.clear()
        at = new_page("app_pages/households.py", signed_in("district_officer", "06"), dataset="store:ra-soat",
                      standard=std).run()
        assert_ok(at, std)
        notes = [c.value for c in at.caption if "được đếm trên" in c.value]
        if missing is None:
            assert not notes, notes
        else:
            labels = "; ".join(qd59.indicator(i).label("vi") for i in missing)
            assert notes and notes[0].endswith(t("standards.whatif_shared", "vi", std=qd59.name("vi"),
                                                 own=ND351.name("vi"), n=8, total=10, missing=labels)), notes
        table = next(d.value for d in at.dataframe if t("hh.col.deprivation_count", "vi") in d.value.columns)
        cur = classify_panel(Store(store_2022_form).load_panel(), std).set_index("household_id")
        hid = table[t("hh.col.household_id", "vi")]
        assert table[t("hh.col.deprivation_count", "vi")].tolist() == cur.loc[hid, "deprivation_count"].tolist()
    st.cache_data.clear()
