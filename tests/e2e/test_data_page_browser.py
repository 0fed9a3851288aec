"""The data page in headless Chromium: upload a review file with a bad row, import the valid rows."""
from __future__ import annotations

from povlib.intake import Store
from tests.support.browser import NEEDS_CHROMIUM, add_account, sign_in, start_server, stop_server
from tests.support.intake_files import col, csv_bytes, edit, write

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group


def test_data_page_upload_errors_valid_only_import(tmp_path, browser):
    """Upload a file with one bad row: the problem is listed in Vietnamese with its row; the import
    button stays disabled until 'Chỉ nạp các dòng hợp lệ' is ticked and a name given; then the
    valid rows become version 1 of the store."""
    st_path = tmp_path / "store"
    bad = write(tmp_path, "xa_loi.csv", csv_bytes(rows=edit(**{f"r1_{col('Khu vực')}": "Miền núi"})))
    add_account(st_path, "can.bo", "mat-khau-dai-1", "district_officer", "06")  # the data page needs an account
    proc, url = start_server(env={"POVLIB_STORE": str(st_path)})
    try:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="vi-VN")
        pg = ctx.new_page()
        sign_in(pg, url, "can.bo", "mat-khau-dai-1")
        pg.get_by_test_id("stSidebarNav").get_by_role("link", name="Dữ liệu").click()
        pg.get_by_text("Tệp hộ gia đình (bắt buộc)").wait_for(timeout=60_000)
        pg.locator("input[type=file]").first.set_input_files(str(bad))
        pg.get_by_text("Khu vực 'Miền núi' không hợp lệ").wait_for(state="attached", timeout=60_000)  # canvas grid: hidden cell
        assert pg.get_by_text("Đọc 3 dòng hộ: 2 dòng hợp lệ, 1 dòng bị loại; 1 lỗi.").count() == 1
        go = pg.get_by_role("button", name="Nạp dữ liệu")
        assert go.is_disabled()
        pg.get_by_text("Người nạp: ").first.wait_for(timeout=30_000)  # the signed-in account, not a typed name
        pg.get_by_test_id("stCheckbox").get_by_text("Chỉ nạp các dòng hợp lệ").click()
        pg.wait_for_function("() => !Array.from(document.querySelectorAll('button')).find("
                             "b => b.innerText.includes('Nạp dữ liệu')).disabled", timeout=30_000)
        pg.get_by_role("button", name="Nạp dữ liệu").click()
        pg.get_by_text("Đã nạp 2 hộ vào phiên bản 1").wait_for(timeout=60_000)
        assert pg.locator('[data-testid="stException"]').count() == 0
        ctx.close()
    finally:
        stop_server(proc)
    st = Store(st_path)
    assert st.latest_version() == 1
    assert sorted(st.load()["household_id"]) == ["H001", "H003"]
    assert st.versions().loc[0, "imported_by"] == "can.bo"  # the account that signed in
