"""povlib.export: formula neutralisation, CSV with BOM, formatted xlsx, atomic writes."""
from __future__ import annotations

import io
import os

import numpy as np
import openpyxl
import pandas as pd
import pytest

from povlib.export import (
    neutralise_formulas,
    neutralise_text,
    safe_sheet_name,
    to_csv_bytes,
    to_xlsx_bytes,
    write_bytes_atomic,
)

EVIL = ['=HYPERLINK("http://x.example","bấm")', "+1", "-2", "@x", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


def _frame():
    return pd.DataFrame({
        "village": pd.Series(EVIL + ["Bản Nà Pài", None], dtype="str"),
        "n": np.arange(len(EVIL) + 2, dtype=np.int64) - 3,
        "rate %": np.linspace(-1.5, 20.25, len(EVIL) + 2),
        "obj": pd.Series(["=a", 1, 2.5, None, "ok", "-x", True, "b", "c"], dtype=object),
        "cat": pd.Categorical(["=SUM(A1)"] + ["Thôn 1"] * (len(EVIL) + 1)),
    })


def test_neutralise_marks_every_formula_prefix_and_keeps_numbers():
    df = _frame()
    before = df.copy(deep=True)
    out = neutralise_formulas(df)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert out["village"].tolist()[: len(EVIL)] == ["'" + v for v in EVIL]
    assert out["village"].iloc[-2] == "Bản Nà Pài"
    assert pd.isna(out["village"].iloc[-1])
    pd.testing.assert_series_equal(out["n"], df["n"])
    pd.testing.assert_series_equal(out["rate %"], df["rate %"])
    assert out["obj"].tolist()[:3] == ["'=a", 1, 2.5]
    assert out["obj"].iloc[5] == "'-x" and out["obj"].iloc[6] is True
    assert str(out["cat"].iloc[0]) == "'=SUM(A1)"
    assert neutralise_text(-2) == -2 and neutralise_text("a=b") == "a=b"


def test_neutralise_column_labels():
    df = pd.DataFrame({"=evil": [1], "ok": [2]})
    assert list(neutralise_formulas(df).columns) == ["'=evil", "ok"]


def test_csv_has_bom_and_inert_cells():
    df = _frame()
    raw = to_csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype={"village": str})
    cells = back["village"].dropna().tolist()
    assert "Bản Nà Pài" in cells
    for v in cells:
        assert v[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert back["n"].tolist() == df["n"].tolist()  # numbers are not prefixed
    assert not raw.decode("utf-8-sig").splitlines()[1].startswith("=")


def test_csv_flattens_multiindex_header():
    cols = pd.MultiIndex.from_tuples([("Xã", ""), ("Đầu năm", "Số hộ"), ("Đầu năm", "Trong đó DTTS")])
    df = pd.DataFrame([["Bằng Lũng", 10, 4]], columns=cols)
    header = to_csv_bytes(df).decode("utf-8-sig").splitlines()[0]
    assert header == "Xã,Đầu năm – Số hộ,Đầu năm – Trong đó DTTS"


def test_xlsx_titles_header_freeze_formats_and_inert_text():
    df = _frame()
    data = to_xlsx_bytes({"Danh sách": df}, ["Danh sách hộ", "Huyện Chợ Đồn – năm 2019", "Đơn vị tính: hộ"],
                         notes=["Dữ liệu minh họa"], total_rows={"Danh sách": [len(df) - 1]})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Danh sách"]
    assert ws["A1"].value == "Danh sách hộ" and ws["A1"].font.b
    assert ws["A2"].value == "Huyện Chợ Đồn – năm 2019"
    assert ws["A3"].value == "Đơn vị tính: hộ"
    assert [c.value for c in ws[5]] == ["village", "n", "rate %", "obj", "cat"]
    assert all(c.font.b for c in ws[5])
    assert ws.freeze_panes == "A6"
    for r in range(6, 6 + len(EVIL)):
        cell = ws.cell(r, 1)
        assert cell.data_type == "s" and cell.value.startswith("'")
    # no cell anywhere is a formula
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f"
    assert ws["B6"].value == -3 and ws["B6"].number_format == "#,##0"
    assert ws["C6"].value == pytest.approx(-1.5) and ws["C6"].number_format == "0.00"
    last = 5 + len(df)
    assert ws.cell(last, 2).font.b  # total row bold
    assert ws.cell(last + 2, 1).value == "Dữ liệu minh họa"
    assert ws.column_dimensions["A"].width >= 8


def test_xlsx_multiindex_header_is_merged():
    cols = pd.MultiIndex.from_tuples([("Xã", ""), ("Đầu năm", "Số hộ"), ("Đầu năm", "DTTS"), ("Cuối năm", "Tỷ lệ %")])
    df = pd.DataFrame([["A", 1, 2, 3.5], ["Tổng cộng", 3, 4, 5.25]], columns=cols)
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"x": df}, ["T"], freeze_cols=1)))
    ws = wb["x"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:C3"} <= merged
    assert ws.freeze_panes == "B5"
    assert ws["B4"].value == "Số hộ" and ws["D5"].number_format == "0.00"


def test_sheet_names_are_valid_and_unique():
    assert safe_sheet_name("a/b:c*?[x]") == "a-b-c---x-"
    long = "Hộ nghèo theo chỉ số thiếu hụt và nhóm đối tượng"
    n1 = safe_sheet_name(long)
    n2 = safe_sheet_name(long, [n1])
    assert len(n1) <= 31 and len(n2) <= 31 and n1 != n2
    data = to_xlsx_bytes({long: pd.DataFrame({"a": [1]}), long + "!": pd.DataFrame({"a": [2]})})
    assert len(openpyxl.load_workbook(io.BytesIO(data)).sheetnames) == 2


def test_write_bytes_atomic(tmp_path):
    p = tmp_path / "sub" / "r.xlsx"
    write_bytes_atomic(p, b"one")
    write_bytes_atomic(p, b"two")
    assert p.read_bytes() == b"two"
    assert [f for f in os.listdir(p.parent) if f.endswith(".tmp")] == []


def test_write_bytes_atomic_keeps_old_file_on_failure(tmp_path):
    p = tmp_path / "r.csv"
    write_bytes_atomic(p, b"old")


    with pytest.raises(TypeError):
        write_bytes_atomic(p, "not bytes")  # type: ignore[arg-type]
    assert p.read_bytes() == b"old"
    assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")] == []
