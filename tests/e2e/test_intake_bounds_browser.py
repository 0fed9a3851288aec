"""Hostile uploads on the data page in a real browser: the server keeps answering (issue 15, item 1).

Each hostile workbook (a 5 KB file with one cell at XFD1048576; 20 MB of whitespace padding in
~20 KB) is uploaded on *Dữ liệu* against ``streamlit run app.py``; the page shows its
Vietnamese structural-error alert, and ``/_stcore/health`` still answers ``ok`` (before the bounded
intake, the first of them aborted the whole server). Marker ``browser`` (this folder); uses
Debian's ``/usr/bin/chromium`` like the other browser tests.
"""
from __future__ import annotations

import io
import os
import urllib.request
import zipfile
from pathlib import Path

from tests.support.browser import NEEDS_CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu", "Điểm B1", "Điểm B2"]
ROW = ["H1", "2019", "02020", "Tổ 1", "Thành thị", "4", "130", "30"]

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group


def _workbook(change) -> bytes:
    """A small valid workbook whose first sheet's XML ``change`` rewrites."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(HEAD)
    wb.active.append(ROW)
    buf = io.BytesIO()
    wb.save(buf)
    zin, out = zipfile.ZipFile(buf), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in zin.infolist():
            part = zin.read(info.filename)
            z.writestr(info.filename, change(part) if info.filename == "xl/worksheets/sheet1.xml" else part)
    return out.getvalue()


def _health(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


def test_hostile_uploads_leave_the_server_answering(tmp_path, browser):
    """Uploads of hostile workbooks on the data page: the Vietnamese message, and the server keeps answering."""
    from povlib.i18n import t
    from tests.support.browser import add_account, sign_in, start_server, stop_server

    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    files = {"o_xa.xlsx": _workbook(lambda x: x.replace(b"</sheetData>", far)),
             "dem.xlsx": _workbook(lambda x: x.replace(b"</row>", b"</row>" + b" " * 20_000_000, 1))}
    for name, data in list(files.items()):
        files[name] = tmp_path / name
        files[name].write_bytes(data)
    add_account(tmp_path / "store", "can.bo", "mat-khau-dai-1", "district_officer", "06")  # the page needs one
    proc, url = start_server(env={**os.environ, "POVLIB_STORE": str(tmp_path / "store")})
    try:
        for name, path in files.items():
            pg = browser.new_page(viewport={"width": 1400, "height": 1600})
            sign_in(pg, url, "can.bo", "mat-khau-dai-1")
            pg.get_by_test_id("stSidebarNav").get_by_role("link", name=t("app.page.data", "vi")).click()
            pg.get_by_text(t("intake.page.upload_household", "vi")).wait_for(timeout=60_000)
            pg.locator("input[type=file]").first.set_input_files(str(path))
            pg.get_by_text(t("intake.page.file_errors", "vi")).wait_for(timeout=120_000)
            assert pg.locator('[data-testid="stException"]').count() == 0, name
            assert _health(url), name
            assert proc.poll() is None, name
            pg.close()
    finally:
        stop_server(proc)
    assert not (tmp_path / "store" / "versions").exists()  # nothing stored (store/access: the account)
