"""Hostile and odd review files for the bounded-intake tests (issue 15, items 1 and 5), built in memory,
and the store helpers that check a refused import left the store as it was."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from povlib import intake as pio
from povlib.intake import Store, limits

HEAD = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu", "Điểm B1", "Điểm B2"]
ROW = ["H1", "2019", "02020", "Tổ 1", "Thành thị", "4", "130", "30"]


# ------------------------------------------------------------------------------------ file builders
def csv_bytes(rows, head=HEAD) -> bytes:
    return ("\n".join(",".join(r) for r in [head, *rows]) + "\n").encode("utf-8")


def base_xlsx(rows=(ROW,)) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, sheet=lambda x: x, extra: dict | None = None, level: int = 9) -> bytes:
    """The workbook with its first sheet's XML changed by ``sheet`` (and ``extra`` parts added)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = sheet(part)
            z.writestr(info.filename, part)
        for name, part in (extra or {}).items():
            z.writestr(name, part)
    return out.getvalue()


def with_rows(xml: bytes):
    return lambda x: x.replace(b"</sheetData>", xml + b"</sheetData>")


def far_cell() -> bytes:
    return rezip(base_xlsx(), with_rows(b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'))


def far_column() -> bytes:
    return rezip(base_xlsx(), lambda x: x.replace(b'</row><row r="2"', b'<c r="XFD1" t="n"><v>1</v></c></row><row r="2"', 1))


def far_row() -> bytes:
    return rezip(base_xlsx(), with_rows(b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'))


def far_dimension() -> bytes:
    return rezip(base_xlsx(), lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', x))


def far_without_references() -> bytes:
    """Cells written without ``r``: 101 cells in a row put the last one in column 101."""
    cells = b'<c t="n"><v>1</v></c>' * (limits.MAX_COLUMNS + 1)
    return rezip(base_xlsx(), with_rows(b"<row>" + cells + b"</row>"))


def whitespace_padding() -> bytes:
    """20 MB of spaces inside the sheet: ~20 KB compressed."""
    return rezip(base_xlsx(), lambda x: x.replace(b"</row>", b"</row>" + b" " * 20_000_000, 1))


def identical_rows() -> bytes:
    """The data row repeated down to one row past the limit (~2 MB compressed)."""
    row = (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>H1</t></is></c><c r="B%d" t="n"><v>2019</v></c>'
           b'<c r="C%d" t="inlineStr"><is><t>02020</t></is></c></row>')
    body = b"".join(row % (r, r, r, r) for r in range(3, limits.MAX_ROWS + 3))
    return rezip(base_xlsx(), with_rows(body))


def huge_cell() -> bytes:
    """A village name of 40,000 characters (Excel allows 32,767)."""
    return rezip(base_xlsx(), lambda x: x.replace("<t>Tổ 1</t>".encode(), b"<t>" + b"x" * 40_000 + b"</t>"))


def huge_cell_bomb() -> bytes:
    """One cell of 5,000,000 characters: a part compressed ~1000:1."""
    return rezip(base_xlsx(), lambda x: x.replace("<t>Tổ 1</t>".encode(), b"<t>" + b"x" * 5_000_000 + b"</t>"))


def too_many_parts() -> bytes:
    return rezip(base_xlsx(), extra={f"xl/media/p{i}.bin": b"x" for i in range(limits.MAX_ARCHIVE_PARTS)})


def csv_too_many_rows() -> bytes:
    """One row past the limit, each row a single cell (~400 KB)."""
    return csv_bytes([["x"]] * (limits.MAX_ROWS + 1))


def csv_too_many_columns() -> bytes:
    head = HEAD + [f"c{i}" for i in range(limits.MAX_COLUMNS)]
    return csv_bytes([ROW + ["x"] * limits.MAX_COLUMNS], head)


def csv_huge_cell() -> bytes:
    return csv_bytes([[*ROW[:3], "x" * 40_000, *ROW[4:]]])


#: id -> (file name, builder, check, row, column, value, fragment of the Vietnamese message)
HOSTILE = {
    "far_cell": ("xa.xlsx", far_cell, "too_many_columns", None, "", "XFD1048576", "có dữ liệu ở ô XFD1048576"),
    "far_column": ("xa.xlsx", far_column, "too_many_columns", None, "", "XFD1", "vượt giới hạn 100 cột"),
    "far_row": ("xa.xlsx", far_row, "too_many_rows", None, "", "A1048576", "có dữ liệu đến dòng 1.048.576"),
    "far_dimension": ("xa.xlsx", far_dimension, "sheet_dimension", None, "", "A1:XFD1048576",
                      "khai báo vùng dữ liệu A1:XFD1048576"),
    "far_without_references": ("xa.xlsx", far_without_references, "too_many_columns", None, "", "CW3",
                               "vượt giới hạn 100 cột"),
    "whitespace_padding": ("xa.xlsx", whitespace_padding, "archive_ratio", None, "", "xl/worksheets/sheet1.xml",
                           "bom nén"),
    "identical_rows": ("xa.xlsx", identical_rows, "too_many_rows", None, "", "A200002",
                       "vượt giới hạn 200.000 dòng dữ liệu"),
    "huge_cell": ("xa.xlsx", huge_cell, "cell_too_long", 2, "D", "40000", "vượt giới hạn 32.767 ký tự"),
    "huge_cell_bomb": ("xa.xlsx", huge_cell_bomb, "archive_ratio", None, "", "xl/worksheets/sheet1.xml",
                       "bom nén"),
    "too_many_parts": ("xa.xlsx", too_many_parts, "archive_parts", None, "", None, "vượt giới hạn 1.000 thành phần"),
    "csv_too_many_rows": ("xa.csv", csv_too_many_rows, "too_many_rows", None, "", "200002",
                          "vượt giới hạn 200.000 dòng dữ liệu"),
    "csv_too_many_columns": ("xa.csv", csv_too_many_columns, "too_many_columns", None, "", "CW1",
                             "vượt giới hạn 100 cột"),
    "csv_huge_cell": ("xa.csv", csv_huge_cell, "cell_too_long", 2, "D", "40000", "vượt giới hạn 32.767 ký tự"),
}


def base_store(path: Path) -> Store:
    """A store at ``path`` holding one household imported from ``base.csv``."""
    st = Store(path)
    st.import_intake(pio.read_intake(csv_bytes([["H900", "2019", "02026", "Bản Khuổi", "Nông thôn", "2", "100", "0"]]),
                                     file_name="base.csv"), imported_by="Tổ công tác")
    return st


def snapshot(st: Store):
    files = sorted((str(p.relative_to(st.path)), p.stat().st_size) for p in st.path.rglob("*") if p.is_file())
    return files, st.versions().to_dict("list"), st.load()


def assert_unchanged(before, st: Store) -> None:
    after = snapshot(st)
    assert before[0] == after[0] and before[1] == after[1]
    pd.testing.assert_frame_equal(before[2], after[2])
