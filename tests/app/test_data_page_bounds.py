"""AppTest of the data page (*Dữ liệu*) with hostile and oversized uploads (issue 15, items 1 and 5).

A hostile workbook uploaded on the page is read by the bounded worker: the page shows the
Vietnamese message naming the file (no exception, nothing stored); the limits are stated in
Vietnamese above the upload fields, from the same constants as the command line; a blank name
never imports nor undoes.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from povlib.i18n import fmt_int, t
from povlib.intake import Store, limits
from tests.support.apptest import from_file as apptest_from_file
from tests.support.apptest import signed_in

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu", "Điểm B1", "Điểm B2"]
ROW = ["H1", "2019", "02020", "Tổ 1", "Thành thị", "4", "130", "30"]


def far_cell_xlsx() -> bytes:
    """A 5 KB workbook with one cell at XFD1048576 (the reader would allocate 512 GiB)."""
    wb = openpyxl.Workbook()
    wb.active.append(HEAD)
    wb.active.append(ROW)
    buf = io.BytesIO()
    wb.save(buf)
    zin, out = zipfile.ZipFile(buf), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"</sheetData>",
                                    b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')
            z.writestr(info.filename, part)
    return out.getvalue()


def data_page(monkeypatch, store_path: Path):
    monkeypatch.setenv("POVLIB_STORE", str(store_path))
    at = apptest_from_file(str(ROOT / "app_pages" / "data.py"), default_timeout=120)
    for k, v in signed_in("district_officer", "06").items():  # an officer of the province
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_hostile_workbook_upload_shows_the_vietnamese_message(tmp_path, monkeypatch):
    at = data_page(monkeypatch, tmp_path / "store")
    caption = t("intake.page.limits", "vi", max_bytes=fmt_int(limits.MAX_FILE_BYTES, "vi"), max_mb=limits.MAX_FILE_MB,
                max_rows=fmt_int(limits.MAX_ROWS, "vi"), max_columns=fmt_int(limits.MAX_COLUMNS, "vi"),
                max_chars=fmt_int(limits.MAX_CELL_CHARS, "vi"))
    assert caption in [c.value for c in at.caption] and "50.000.000 byte" in caption
    at.file_uploader(key="in_hh").set_value(("xa_hong.xlsx", far_cell_xlsx(), "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("intake.page.file_errors", "vi")]
    shown = at.dataframe[0].value
    assert shown[t("intake.col.file", "vi")].tolist() == ["xa_hong.xlsx"]
    msg = shown[t("intake.col.message", "vi")].iloc[0]
    assert msg.startswith("Không đọc tệp: có dữ liệu ở ô XFD1048576") and "vượt giới hạn 100 cột" in msg
    assert at.button(key="in_go").disabled
    # nothing stored: the checked rows wait only in the store's tmp/ (removed once abandoned)
    assert Store(tmp_path / "store").versions().empty
    assert not [p for p in (tmp_path / "store").rglob("*") if p.is_file() and
                not {"tmp", "access"} & set(p.relative_to(tmp_path / "store").parts)]  # access/: the accounts
    # the server (this process) carries on: a good file right after is read
    good = ("\n".join(",".join(r) for r in (HEAD, ROW)) + "\n").encode()
    at.file_uploader(key="in_hh").set_value(("xa.csv", good, "text/csv")).run()
    assert not at.exception and not at.error and at.success


def test_page_and_command_line_refuse_the_same_bytes_with_the_same_message(tmp_path, monkeypatch, capsys):
    from povlib.cli import main as cli

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    data = ("\n".join(",".join(r) for r in (HEAD, ROW, ROW)) + "\n").encode()
    assert len(data) > 100
    at = data_page(monkeypatch, tmp_path / "store")
    at.file_uploader(key="in_hh").set_value(("xa.csv", data, "text/csv")).run()
    assert not at.exception
    page_msg = at.dataframe[0].value[t("intake.col.message", "vi")].iloc[0]
    assert page_msg.startswith("Tệp quá lớn")
    path = tmp_path / "xa.csv"
    path.write_bytes(data)
    assert cli(["import", str(path), "--store", str(tmp_path / "store"), "--by", "A"]) == 1
    assert page_msg in capsys.readouterr().err


