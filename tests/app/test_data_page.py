"""AppTest of the "Dữ liệu" page: the stored versions and undo, bad uploads, a store that cannot be written
(uploading and importing in a browser: ``tests/e2e/test_data_page_browser.py``)."""
from __future__ import annotations

from povlib import intake as pio
from povlib.i18n import t
from povlib.intake import Store
from povlib.intake.read import SUFFIXES
from tests.support.apptest import assert_ok, open_page, signed_in
from tests.support.intake_files import ROWS, csv_bytes, damaged_files, household_header
from ui.escape import md_escape


def data_page(monkeypatch, store_path):
    monkeypatch.setenv("POVLIB_STORE", str(store_path))
    return open_page("app_pages/data.py", signed_in("district_officer", "06"))  # an officer of the province


def test_data_page_versions_and_undo(tmp_path, monkeypatch):
    """The page lists the stored versions in Vietnamese and undoes one, in the name of the signed-in
    account (never a name typed into the page)."""
    st_path = tmp_path / "store"
    store = Store(st_path)
    r = pio.read_intake(csv_bytes(), file_name="xa.csv")
    store.import_intake(r, imported_by="Nguyễn Thị Hoa")
    r2 = pio.read_intake(csv_bytes(rows=ROWS[:1]), file_name="xa_sua.csv")
    store.import_intake(r2, imported_by="Nguyễn Thị Hoa")
    at = data_page(monkeypatch, st_path)
    assert at.header[0].value == "Dữ liệu"
    table = next(d.value for d in at.dataframe if "Phiên bản" in d.value.columns)
    assert table["Phiên bản"].tolist() == [2, 1]
    assert table["Người nạp"].tolist() == ["Nguyễn Thị Hoa"] * 2
    assert not at.text_input  # who imports is not typed in
    who = md_escape("Người dùng district.06 (district.06)")
    assert t("intake.page.importer", name=who) in [c.value for c in at.caption]
    at.selectbox(key="in_undo_pick").select(2).run()
    next(b for b in at.button if b.label == t("intake.page.undo")).click().run()
    assert_ok(at, "undo")
    assert store.latest_version() == 3
    assert sorted(store.load()["household_id"]) == ["H001", "H002", "H003"]
    v = store.versions()
    assert v["imported_by"].tolist()[-1] == "Người dùng district.06 (district.06)" and bool(v["undone"].tolist()[1])


def test_data_page_bad_uploads_get_a_message(tmp_path, monkeypatch):
    at = data_page(monkeypatch, tmp_path / "store")
    for name, data in damaged_files(household_header()).items():
        at.file_uploader(key="in_hh").set_value((name, data, "application/octet-stream")).run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert [e.value for e in at.error] == [t("intake.page.file_errors", "vi")], name
        shown = at.dataframe[0].value
        assert len(shown) >= 1 and shown["Tệp"].eq(name).all(), name
        assert at.button(key="in_go").disabled


def test_data_page_store_not_writable_gives_message(tmp_path, monkeypatch, demo):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "versions").write_text("x")  # the versions folder cannot be created
    at = data_page(monkeypatch, tmp_path / "store")
    df = demo[demo["commune_code"].isin(["02020", "02023"]) & (demo["year"] == 2019)].head(5)
    at.file_uploader(key="in_hh").set_value(("h.csv", pio.export_to_template(df, fmt="csv"), "text/csv")).run()
    assert not at.button(key="in_go").disabled
    at.button(key="in_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Không đọc/ghi được tệp" in e.value and "versions" in e.value for e in at.error), \
        [e.value for e in at.error]


def test_data_page_accepts_what_the_reader_reads(tmp_path, monkeypatch):
    """The uploaders take the file types of the intake's own list (`povlib.intake.read.SUFFIXES`), not a
    second list in the page that forgot ``.xlsm``."""
    at = data_page(monkeypatch, tmp_path / "store")
    for key in ("in_hh", "in_mem"):
        assert list(at.file_uploader(key=key).proto.type) == list(SUFFIXES) == [".csv", ".xlsx", ".xlsm"]


def test_data_page_says_what_an_import_replaces(tmp_path, monkeypatch):
    """An import replaces the stored households of its communes' review years (the store's rule): the page says
    so before (how many, of which commune and year) and after, never silently (a sweep of the command line found
    a 1-row file replacing 30 households with only "Đã nạp 1 hộ")."""
    st_path = tmp_path / "store"
    Store(st_path).import_intake(pio.read_intake(csv_bytes(), file_name="xa.csv"), imported_by="Nguyễn Thị Hoa")
    at = data_page(monkeypatch, st_path)
    assert not at.warning  # nothing chosen: nothing to replace
    at.file_uploader(key="in_hh").set_value(("sua.csv", csv_bytes(rows=ROWS[:1]), "text/csv")).run()
    assert_ok(at, "upload")
    pair = t("intake.pair", code="02020", year=2019)
    assert [w.value for w in at.warning] == [t("intake.will_replace", n="2", pairs=pair, valid="1")]
    at.button(key="in_go").click().run()
    assert_ok(at, "import")
    assert any(t("intake.replaced", n="2", version=2) in s.value for s in at.success), [s.value for s in at.success]
    assert Store(st_path).version().rows_replaced == 2
    assert sorted(Store(st_path).load()["household_id"]) == ["H001", "H003"]


def test_data_page_new_commune_replaces_nothing(tmp_path, monkeypatch):
    st_path = tmp_path / "store"
    Store(st_path).import_intake(pio.read_intake(csv_bytes(rows=ROWS[2:]), file_name="xa.csv"), imported_by="Hoa")
    at = data_page(monkeypatch, st_path)
    at.file_uploader(key="in_hh").set_value(("moi.csv", csv_bytes(rows=ROWS[:1]), "text/csv")).run()
    assert_ok(at, "upload")
    assert not at.warning
    at.button(key="in_go").click().run()
    assert not any(t("intake.replaced", n="0", version=2) in s.value for s in at.success)
    assert Store(st_path).version().rows_replaced == 0
