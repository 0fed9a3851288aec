"""AppTest of the dashboard on real (imported) data – issue 10 items 1 to 6.

* odd data: an empty version among others, filters that select no household in a year, a dataset of
  one commune: a Vietnamese message or a working page, never a traceback; the data page always opens;
* the heading names what is shown (place, dataset and version, year); the default dataset is the
  office's choice (settings beside the store), never the last import; the user's choice is kept;
* the link's parameters are warned about once, on the first load, and never after a dataset switch;
* after an import the page says so without the red "file has errors"; version times in local time;
* no table the reports page or the data page shows (nor the report files) has None/nan/NaT/<NA>;
* a language switch gives the sidebar selects labels in the new language in the same run.
"""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from povlib import intake as pio
from povlib.i18n import fmt_datetime, t
from povlib.reports import KINDS, build_report
from tests.support import apptest as _apptest
from tests.support.apptest import assert_ok, signed_in


def _signed(state: dict | None) -> dict:
    """Imported data need a sign-in: a province officer of Bắc Kạn when a test store is in use."""
    import os

    return {**(signed_in("district_officer", "06") if os.environ.get("POVLIB_STORE") else {}), **(state or {})}


def new_page(page: str, state: dict | None = None, **query) -> AppTest:
    return _apptest.new_page(page, _signed(state), **query)


def open_page(page: str, state: dict | None = None, **query) -> AppTest:
    return _apptest.open_page(page, _signed(state), **query)


def open_via_router(page: str, state: dict | None = None, **query) -> AppTest:
    return _apptest.open_via_router(page, _signed(state), **query)
from tests.support.intake_files import HEAD, ROWS, csv_bytes
from ui.escape import md_escape
from ui.nav import PAGES

ALL_PAGES = [p for p, *_ in PAGES]
BAD = re.compile(r"^\s*(None|nan|NaN|NaT|<NA>|null)\s*$")


def _store(tmp_path, monkeypatch, *csvs: str):
    """A store with one import per CSV text, bound to the app through $POVLIB_STORE.

    The view caches are keyed on (dataset, version), the same in every test's store: emptied here.
    """
    import streamlit as st

    store = pio.Store(tmp_path / "store")
    for text in csvs:
        store.import_intake(pio.read_intake(text.encode(), file_name="xa.csv"), imported_by="test")
    monkeypatch.setenv("POVLIB_STORE", str(store.path))
    st.cache_data.clear()
    return store


@pytest.fixture(autouse=True)
def _fresh_caches():
    import streamlit as st

    yield
    st.cache_data.clear()  # the next test (another store, the same dataset keys) computes again


SMALL = ("Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
         "H1,2018,02020,Tổ 1,Thành thị,4,130,30\n"
         "H2,2018,02023,Bản A,Nông thôn,3,100,0\nH2,2019,02023,Bản A,Nông thôn,3,100,0\n"
         "H3,2019,02023,Bản A,Nông thôn,5,140,20\n")


def _one_commune_rows(year: str = "2020") -> list[list[str]]:
    rows = [list(r) for r in ROWS]
    for i, r in enumerate(rows):
        r[0], r[1], r[2], r[3] = f"X{i}", year, "02023", "Xã Xuân Lạc"
    return rows


@pytest.fixture()
def one_commune(tmp_path, monkeypatch):
    """The issue's case: a file of 3 households of one commune, reviewed in 2020."""
    return _store(tmp_path, monkeypatch, csv_bytes(HEAD, _one_commune_rows()).decode())


def _infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def _scope(at: AppTest) -> str:
    return at.caption[0].value if len(at.caption) else ""


# --- item 1: odd data ---------------------------------------------------------------------------------
def test_filters_that_select_nothing_keep_the_footer_of_imported_data(tmp_path, monkeypatch):
    """Through the router: the message, and no 'synthetic data' note under imported data."""
    _store(tmp_path, monkeypatch, SMALL)
    at = open_via_router("app_pages/trends.py", dataset="store:ra-soat", year="2019", communes="02020")
    assert t("app.no_rows_year", "vi", year=2019) in _infos(at)
    captions = " ".join(c.value for c in at.caption)
    assert t("general.attribution", "vi") in captions
    assert t("general.synthetic_note", "vi") not in captions


def test_an_empty_version_among_others_says_so_and_the_other_versions_open(tmp_path, monkeypatch):
    store = _store(tmp_path, monkeypatch, SMALL)
    store.undo(1, imported_by="test")                                    # version 2: empty
    store.import_intake(pio.read_intake(SMALL.encode(), file_name="xa.csv"), imported_by="test")  # 3
    at = new_page("app_pages/overview.py", dataset="store:ra-soat", version="2").run()
    assert not at.exception and not at.error
    assert any(t("app.empty_dataset", "vi", dataset=t("app.dataset.store", "vi", name="ra-soat")) in i
               for i in _infos(at)), _infos(at)
    at.selectbox(key="f_version").set_value("3").run()
    assert_ok(at, "version 3")
    assert at.header[0].value == t("app.page.overview", "vi")


@pytest.mark.parametrize("page", ALL_PAGES)
def test_filters_that_select_no_household_in_the_year_give_a_message(tmp_path, monkeypatch, page):
    """Commune 02020 was reviewed in 2018 only: in 2019 the filters select nothing. Every page says so
    (the data page opens as usual)."""
    _store(tmp_path, monkeypatch, SMALL)
    at = new_page(page, dataset="store:ra-soat", year="2019", communes="02020").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if page == "app_pages/data.py":
        assert at.header[0].value == t("intake.page.title", "vi")
    else:
        assert t("app.no_rows_year", "vi", year=2019) in _infos(at)
        at.selectbox(key="f_year").set_value(2018).run()               # another year: the page draws
        assert_ok(at, page)
        assert t("app.no_rows_year", "vi", year=2018) not in _infos(at)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_draws_a_dataset_of_one_commune(one_commune, page):
    """Issue 10 items 1 and 2: 3 households of Xã Xuân Lạc, 2020 (the first and only year)."""
    at = new_page(page, dataset="store:ra-soat").run()
    assert not at.exception, [e.value for e in at.exception]
    # the map says why it cannot draw 2020 (commune codes reused after the 2020 mergers): a message
    allowed = [t("map.layer_failed", "vi", msg=md_escape(t("geo.year_after_layer", "vi", year=2020)))]  # escaped markdown
    assert [e.value for e in at.error if e.value not in allowed] == []
    if page != "app_pages/data.py":
        assert _scope(at) == "Xã Xuân Lạc · " + t("app.scope.store_version", "vi", version="1") + " · Năm 2020"


def test_the_heading_names_the_demo_and_the_place():
    at = open_page("app_pages/overview.py", year="2019")
    assert _scope(at) == "Huyện Chợ Đồn · Dữ liệu minh họa · Năm 2019"
    at.radio(key="f_lang").set_value("en").run()
    assert _scope(at) == "Huyện Chợ Đồn · Demonstration data · Year 2019"


# --- item 2: the default dataset ------------------------------------------------------------------------
def test_an_import_is_not_the_default_the_office_chooses_it_on_the_data_page(one_commune):
    at = open_page("app_pages/overview.py")
    assert at.session_state["f_dataset"] == "cho-don"               # the import did not take over
    viewer = _apptest.new_page("app_pages/data.py", signed_in("viewer", username="xem")).run()
    assert not viewer.exception and [w.value for w in viewer.warning]  # a viewer: no right to the data page
    assert not [b for b in viewer.button if b.key == "in_default_go"]  # and cannot change the default
    data = open_page("app_pages/data.py")                              # a province officer (signed in)
    data.selectbox(key="in_default_vi").set_value("store:ra-soat").run()
    data.button(key="in_default_go").click().run()
    assert_ok(data, "set default")
    assert pio.default_dataset(one_commune.path) == "store:ra-soat"
    assert (one_commune.path / "settings.json").exists()
    name = md_escape(t("app.dataset.store", "vi", name="ra-soat"))
    assert any(name in m.value for m in data.markdown), [m.value for m in data.markdown]
    at = open_page("app_pages/overview.py")                           # a new session opens it
    assert at.session_state["f_dataset"] == "store:ra-soat"
    assert at.query_params.get("dataset") == "store:ra-soat"


def test_the_chosen_dataset_is_kept_for_the_session_and_in_the_url(one_commune):
    at = open_page("app_pages/overview.py")
    at.selectbox(key="f_dataset").set_value("store:ra-soat").run()
    assert_ok(at)
    assert at.query_params.get("dataset") == "store:ra-soat"
    at.run()
    assert at.session_state["f_dataset"] == "store:ra-soat" and at.session_state["f_year"] == 2020


# --- item 3: warnings about the link --------------------------------------------------------------------
def test_a_dataset_switch_chooses_a_valid_year_without_a_warning(one_commune):
    """The demo opened on 2016, a year the imported data (2020 only) lack: switching to them picks their latest
    year silently; switching back keeps 2020 (the demo has it), with no warning either."""
    at = open_page("app_pages/overview.py", dataset="cho-don", year="2016")
    assert not at.sidebar.warning
    at.selectbox(key="f_dataset").set_value("store:ra-soat").run()
    assert_ok(at)
    assert at.session_state["f_year"] == 2020
    assert not [w.value for w in at.sidebar.warning]
    at.selectbox(key="f_dataset").set_value("cho-don").run()
    assert_ok(at)
    assert at.session_state["f_year"] == 2020
    assert not [w.value for w in at.sidebar.warning]


def test_a_bad_link_parameter_is_warned_about_until_the_view_changes():
    at = open_page("app_pages/overview.py", year="2031")
    assert "year=2031" in " ".join(w.value for w in at.sidebar.warning)
    at.run()                                                           # the same view: still said
    assert "year=2031" in " ".join(w.value for w in at.sidebar.warning)
    at.selectbox(key="f_year").set_value(2017).run()                   # the user moved on: gone
    assert not at.sidebar.warning
    at.selectbox(key="f_year").set_value(2019).run()
    assert not at.sidebar.warning


# --- item 4: after an import; times -------------------------------------------------------------------
def test_after_an_import_only_the_success_is_shown_and_times_are_local(tmp_path, monkeypatch):
    store = _store(tmp_path, monkeypatch)
    rows = [list(r) for r in ROWS]
    rows[2][5] = "Rừng"                                               # one row with a bad area
    at = open_page("app_pages/data.py")
    at.file_uploader(key="in_hh").set_value(("xa.csv", csv_bytes(rows=rows), "text/csv")).run()
    assert [e.value for e in at.error] == [t("intake.page.has_errors", "vi")]
    at.checkbox(key="in_valid_only").check().run()
    at.button(key="in_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]                  # no red "file has errors" left
    assert [s.value for s in at.success] == [t("intake.page.imported", "vi", n="2", version=1, total="2")]
    info = store.version(1)
    table = next(d.value for d in at.dataframe if t("intake.ver.created_at", "vi") in d.value.columns)
    shown = table[t("intake.ver.created_at", "vi")].iloc[0]
    assert shown == fmt_datetime(info.created_at, "vi") and re.fullmatch(r"\d\d:\d\d ngày \d\d/\d\d/\d{4}", shown)


def test_local_time_format():
    assert fmt_datetime("2026-12-02T07:05:00+00:00", "vi") == "14:05 ngày 02/12/2026"
    assert fmt_datetime("2026-12-02T07:05:00+00:00", "en") == "2 Dec 2026, 14:05"
    assert fmt_datetime("2026-12-31T17:00:00+00:00", "vi") == "00:00 ngày 01/01/2027"


# --- item 5: no None, nan or NaT on screen or in the files ---------------------------------------------
def _shown_cells(el) -> list[str]:
    """What the browser shows in each cell of an ``st.dataframe``: a missing raw value shows as ``None``
    whatever a Styler says (seen in Chromium); else the Styler's display value when it gives one (a
    non-empty text), else the raw value."""
    raw = el.value
    shown = [["None" if (v is None or (not isinstance(v, str) and pd.isna(v))) else str(v) for v in row]
             for row in raw.astype(object).itertuples(index=False)]
    disp = el.proto.arrow_data.styler.display_values if el.proto.HasField("arrow_data") else b""
    if disp:
        dv = pa.ipc.open_stream(disp).read_all().to_pandas()
        for i in range(min(len(dv), len(shown))):
            for j in range(min(dv.shape[1], len(shown[i]))):
                v = dv.iat[i, j]
                if isinstance(v, str) and v != "" and shown[i][j] != "None":
                    shown[i][j] = v
    return [c for row in shown for c in row] + [str(c) for c in raw.columns]


def _bad_cells(at: AppTest) -> list[str]:
    return [c for el in [*at.dataframe, *at.table] for c in _shown_cells(el) if BAD.match(c)]


@pytest.mark.parametrize("kind", ["summary", "indicators", "groups", "posting"])
def test_report_tables_on_screen_show_no_none(one_commune, kind):
    """First-year imported data: no start-of-year figures; the first row of the table by indicator has
    no percentage. The cells say '–'."""
    at = open_page("app_pages/reports.py", dataset="store:ra-soat")
    at.button_group(key="rep_kind").set_value(kind).run()
    if kind == "posting":  # a commune's list
        at.selectbox(key="rep_unit").set_value("02023").run()
    assert_ok(at, kind)
    assert at.dataframe or at.table, kind
    assert not _bad_cells(at), (kind, _bad_cells(at)[:5])


def test_report_tables_of_the_demo_show_no_none():
    at = open_page("app_pages/reports.py", year="2016")
    for kind in ("summary", "indicators"):
        at.button_group(key="rep_kind").set_value(kind).run()
        assert not _bad_cells(at), (kind, _bad_cells(at)[:5])


def test_report_files_hold_no_none(one_commune):
    panel = one_commune.load_panel()
    for kind in KINDS:
        b = build_report(panel, 2020, kind, lang="vi", show_names=True)
        for name, data in (b.csv_files() if b.sheets else {}).items():
            text = data.decode("utf-8-sig")
            cells = [c for line in text.splitlines() for c in line.split(",")]
            assert not [c for c in cells if BAD.match(c)], (kind, name)
        for name, df in b.sheets.items():  # no text cell says None/nan (a missing number is a blank cell)
            texts = [v for v in df.to_numpy().ravel() if isinstance(v, str)]
            assert not [v for v in texts if BAD.match(v)], (kind, name)


def test_problem_list_of_a_blank_template_shows_no_none(tmp_path, monkeypatch):
    """A blank template (a header and no row): a problem of the whole file, whose 'Dòng' is a dash."""
    _store(tmp_path, monkeypatch)
    at = open_page("app_pages/data.py")
    blank = (pio.TEMPLATE_DIR / "household_template.xlsx").read_bytes()
    at.file_uploader(key="in_hh").set_value(("mau.xlsx", blank, "application/octet-stream")).run()
    assert not at.exception
    assert at.dataframe
    assert not _bad_cells(at), _bad_cells(at)[:5]
    row_col = t("intake.col.row", "vi")
    problems = next(d.value for d in at.dataframe if row_col in d.value.columns)
    assert "–" in problems[row_col].tolist()


def test_preview_of_a_file_without_income_shows_no_none(tmp_path, monkeypatch):
    _store(tmp_path, monkeypatch)
    at = open_page("app_pages/data.py")
    at.file_uploader(key="in_hh").set_value(("xa.csv", SMALL.encode(), "text/csv")).run()
    assert_ok(at)
    assert len(at.dataframe) >= 1
    assert not _bad_cells(at), _bad_cells(at)[:5]


# --- item 6: the language switch ---------------------------------------------------------------------
def test_sidebar_selects_follow_the_language_in_the_same_run():
    """Streamlit keeps a keyed select's element across runs (the browser then keeps its old labels):
    the translated selects get another element in the new language, with the value carried over."""
    at = open_page("app_pages/overview.py", group="ethnic_minority")
    before = {k: at.selectbox(key=k).id for k in ("f_dataset", "f_standard", "f_group", "f_role")}
    at.radio(key="f_lang").set_value("en").run()
    assert_ok(at)
    boxes = {b.label: b for b in at.sidebar.selectbox}
    group = boxes[t("app.group", "en")]
    assert group.id != before["f_group"]
    assert group.value == "ethnic_minority" and group.format_func("ethnic_minority") == t("group.ethnic_minority", "en")
    role = boxes[t("app.role", "en")]
    assert role.id != before["f_role"] and role.format_func(role.value) == t("app.role.viewer", "en")
    assert boxes[t("app.dataset", "en")].id != before["f_dataset"]
    assert boxes[t("general.standard", "en")].id != before["f_standard"]
    assert at.session_state["f_group"] == "ethnic_minority"
    group.set_value("female_head").run()
    at.radio(key="f_lang").set_value("vi").run()
    assert_ok(at)
    assert at.selectbox(key="f_group").id == before["f_group"]
    assert at.selectbox(key="f_group").value == "female_head"
    assert at.query_params.get("group") == "female_head"
