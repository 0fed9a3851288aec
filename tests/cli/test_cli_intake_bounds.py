"""The import commands as a separate process (issue 15, items 1 and 5).

``python -m povlib import`` on a hostile workbook: exit status 1, the Vietnamese message naming
the file (English with ``--lang en``), no traceback, the store unchanged; ``undo --by "   "``:
exit status 2, no version written.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from povlib import intake as pio
from povlib.intake import Store

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu", "Điểm B1", "Điểm B2"]
ROW = ["H1", "2019", "02020", "Tổ 1", "Thành thị", "4", "130", "30"]


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "povlib", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300)


def padded_xlsx() -> bytes:
    """20 MB of spaces inside the sheet, ~20 KB on disk: a compression bomb."""
    wb = openpyxl.Workbook()
    wb.active.append(HEAD)
    wb.active.append(ROW)
    buf = io.BytesIO()
    wb.save(buf)
    zin, out = zipfile.ZipFile(buf), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"</row>", b"</row>" + b" " * 20_000_000, 1)
            z.writestr(info.filename, part)
    return out.getvalue()


def snapshot(st: Store):
    return sorted((str(p.relative_to(st.path)), p.stat().st_size) for p in st.path.rglob("*") if p.is_file())


def test_import_of_a_hostile_workbook_exits_1_with_the_message(tmp_path):
    st = Store(tmp_path / "store")
    good = ("\n".join(",".join(r) for r in (HEAD, ROW)) + "\n").encode()
    st.import_intake(pio.read_intake(good, file_name="xa.csv"), imported_by="A")
    before = snapshot(st)
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(padded_xlsx())
    r = run("import", str(bomb), "--store", str(st.path), "--by", "Kiểm thử")
    assert r.returncode == 1, r.stderr
    assert "bom.xlsx" in r.stderr and "bom nén" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = run("--lang", "en", "import", str(bomb), "--store", str(st.path), "--by", "Kiểm thử")
    assert r.returncode == 1 and "zip bomb" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert snapshot(st) == before


def test_undo_with_a_blank_name_is_refused(tmp_path):
    st = Store(tmp_path / "store")
    good = ("\n".join(",".join(r) for r in (HEAD, ROW)) + "\n").encode()
    st.import_intake(pio.read_intake(good, file_name="xa.csv"), imported_by="A")
    r = run("undo", "1", "--store", str(st.path), "--by", "   ")
    assert r.returncode == 2 and "--by" in r.stderr and "không được để trống" in r.stderr, r.stderr
    assert st.latest_version() == 1
