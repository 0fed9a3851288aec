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
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
HEAD = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu", "Điểm B1", "Điểm B2"]
ROW = ["H1", "2019", "02020", "Tổ 1", "Thành thị", "4", "130", "30"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]


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


def test_hostile_uploads_leave_the_server_answering(tmp_path):
    from playwright.sync_api import sync_playwright

    from povlib.i18n import t

    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    files = {"o_xa.xlsx": _workbook(lambda x: x.replace(b"</sheetData>", far)),
             "dem.xlsx": _workbook(lambda x: x.replace(b"</row>", b"</row>" + b" " * 20_000_000, 1))}
    for name, data in list(files.items()):
        files[name] = tmp_path / name
        files[name].write_bytes(data)
    port = next(p for p in range(8640, 8650) if socket.socket().connect_ex(("127.0.0.1", p)) != 0)
    log = open(tmp_path / "streamlit.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "POVLIB_STORE": str(tmp_path / "store")})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(180):
            if _health(url):
                break
            time.sleep(0.5)
        assert _health(url)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            for name, path in files.items():
                pg = b.new_page(viewport={"width": 1400, "height": 1600})
                pg.goto(f"{url}/data")
                pg.get_by_text(t("intake.page.upload_household", "vi")).wait_for(timeout=60_000)
                pg.locator("input[type=file]").first.set_input_files(str(path))
                pg.get_by_text(t("intake.page.file_errors", "vi")).wait_for(timeout=120_000)
                assert pg.locator('[data-testid="stException"]').count() == 0, name
                assert _health(url), name
                assert proc.poll() is None, name
                pg.close()
            b.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert not (tmp_path / "store").exists()
