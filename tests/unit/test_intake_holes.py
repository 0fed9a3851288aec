"""Bounded intake (issue 15, item 5): the smaller holes: a control character (NUL) in a cell; full-width ``＝`` at the start
of an exported cell; ``h1`` / ``Ｈ1`` beside ``H1``; a blank ``--by``; temporary files left by a
killed import; a file in another encoding; a malformed workbook.
"""
from __future__ import annotations

import io
import os
import time

import openpyxl
import pandas as pd
import pytest

from povlib import intake as pio
from povlib.cli import main as cli
from povlib.errors import PovlibInputError
from povlib.export import neutralise_formulas, neutralise_text, to_csv_bytes, to_xlsx_bytes
from povlib.intake import Store, limits
from tests.support.hostile_files import (
    HEAD,
    ROW,
    assert_unchanged,
    base_store,
    base_xlsx,
    csv_bytes,
    rezip,
    snapshot,
)


@pytest.fixture
def store(tmp_path):
    return base_store(tmp_path / "store")


# ------------------------------------------------------------------------------------ item 5: holes
def test_control_character_in_a_cell_is_refused(tmp_path, store):
    rows = [ROW, ["H2", "2019", "02020", "Bản\x00Nà", "Thành thị", "4", "130", "30"],
            ["H3", "2019", "02020", "Tổ\u202e 3", "Thành thị", "4", "130", "30"]]
    r = pio.read_intake(csv_bytes(rows), file_name="xa.csv")
    got = r.errors[["file", "row", "column", "check", "value"]].values.tolist()
    assert got == [["xa.csv", 3, "Thôn/bản", "control_char", "Bản\\x00Nà"],
                   ["xa.csv", 4, "Thôn/bản", "control_char", "Tổ\\u202e 3"]]
    assert "ký tự điều khiển" in r.errors["message_vi"].iloc[0] and r.file_ok
    assert r.valid["household_id"].tolist() == ["H1"]
    # in a workbook (OOXML writes it _x0000_) too
    xl = rezip(base_xlsx(), lambda x: x.replace("<t>Tổ 1</t>".encode(), "<t>Bản_x0000_Nà</t>".encode()))
    r = pio.read_intake(xl, file_name="xa.xlsx")
    assert r.errors[["row", "column", "check"]].values.tolist() == [[2, "Thôn/bản", "control_char"]]
    # nothing with a control character reaches the store, even with --valid-only
    path = tmp_path / "xa.csv"
    path.write_bytes(csv_bytes(rows))
    assert cli(["import", str(path), "--store", str(store.path), "--by", "A", "--valid-only"]) == 0
    assert not store.load()["village"].astype(str).str.contains("[\x00-\x1f\u202e]").any()


def test_tab_and_line_breaks_in_a_cell_are_kept():
    rows = [["H1", "2019", "02020", '"Tổ 1\nngõ 2"', "Thành thị", "4", "130", "30"]]
    r = pio.read_intake(csv_bytes(rows), file_name="xa.csv")
    assert r.ok and r.valid["village"].tolist() == ["Tổ 1\nngõ 2"]


@pytest.mark.parametrize("text", ["＝1+1", "＋84 912", "－2", "＠SUM(A1)", "﹦HYPERLINK(x)", "﹢1"],
                         ids=["eq", "plus", "minus", "at", "small_eq", "small_plus"])
def test_full_width_formula_starters_are_neutralised(text):
    assert neutralise_text(text) == "'" + text
    df = pd.DataFrame({"village": [text, "Bản Nà"], "n": [1, 2]})
    assert neutralise_formulas(df)["village"].tolist() == ["'" + text, "Bản Nà"]
    assert neutralise_formulas(df.astype({"village": "category"}))["village"].tolist() == ["'" + text, "Bản Nà"]
    assert ("'" + text) in to_csv_bytes(df).decode("utf-8-sig")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"x": df})))
    assert "'" + text in [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row]


def test_household_ids_differing_in_case_or_width_are_one_id(tmp_path):
    rows = [ROW, ["h1", *ROW[1:]], ["Ｈ1", *ROW[1:]], ["H2", *ROW[1:]]]
    r = pio.read_intake(csv_bytes(rows), file_name="xa.csv")
    dup = r.errors[r.errors["check"] == "duplicate_id"]
    assert dup[["row", "value"]].values.tolist() == [[2, "H1"], [3, "h1"], [4, "Ｈ1"]]
    assert "không phân biệt chữ hoa, chữ thường và chữ toàn khổ" in dup["message_vi"].iloc[1]
    assert r.valid["household_id"].tolist() == ["H2"]
    # stored as compared; an id of an older store spelled otherwise is still the same household
    r = pio.read_intake(csv_bytes([["ｈ7", *ROW[1:]]]), file_name="xa.csv")
    assert r.ok and r.valid["household_id"].tolist() == ["H7"]
    st = Store(tmp_path / "s")
    old = pio.to_store(pio.read_intake(csv_bytes([["H9", "2019", "02026", "Bản", "Nông thôn", "2", "100", "0"]]),
                                       file_name="cu.csv").households).assign(household_id="h9")
    st.import_table(old, file_name="cu.csv", checksum="", imported_by="A")
    r = pio.read_intake(csv_bytes([["H9", *ROW[1:]]]), file_name="xa.csv", store=st)
    assert r.errors["check"].tolist() == ["id_other_commune"]
    with pytest.raises(PovlibInputError):
        st.import_table(pio.to_store(r.households), file_name="xa.csv", checksum="", imported_by="A")


def test_blank_name_is_refused_for_undo_and_import(tmp_path, store, capsys):
    before = snapshot(store)
    with pytest.raises(PovlibInputError):
        store.undo(1, imported_by="   ")
    assert cli(["undo", "1", "--store", str(store.path), "--by", "   "]) == 2
    assert "không được để trống" in capsys.readouterr().err
    path = tmp_path / "xa.csv"
    path.write_bytes(csv_bytes([ROW]))
    assert cli(["import", str(path), "--store", str(store.path), "--by", " \t "]) == 2
    assert_unchanged(before, store)
    assert cli(["undo", "1", "--store", str(store.path), "--by", "  Trưởng phòng "]) == 0
    assert store.versions()["imported_by"].tolist()[-1] == "Trưởng phòng"


def test_stale_temporary_files_are_cleaned_safely(tmp_path, store):
    import fcntl

    parts = store.parts_dir
    old = time.time() - limits.STALE_TEMP_SECONDS - 60
    stale = parts / ".tmp-killed.parquet"
    stale.write_bytes(b"half a part")
    stale_version = store.versions_dir / ".tmp-killed.json"
    stale_version.write_text("{")
    fresh = parts / ".tmp-fresh.parquet"
    fresh.write_bytes(b"being written")
    held = parts / ".tmp-held.parquet"
    held.write_bytes(b"a slow import")
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    link = parts / ".tmp-link.parquet"
    link.symlink_to(outside)
    for p in (stale, stale_version, held):
        os.utime(p, (old, old))
    os.utime(link, (old, old), follow_symlinks=False)
    fd = os.open(held, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a live import holds it
    try:
        path = tmp_path / "xa.csv"
        path.write_bytes(csv_bytes([ROW]))
        assert cli(["import", str(path), "--store", str(store.path), "--by", "A"]) == 0
        assert not stale.exists() and not stale_version.exists()
        assert fresh.exists() and held.exists() and link.is_symlink() and outside.read_text() == "keep"
    finally:
        os.close(fd)
    assert [p.name for p in store.clean_stale_temp()] == [held.name]
    assert store.latest_version() == 2 and sorted(store.load()["household_id"]) == ["H1", "H900"]


def test_file_in_another_encoding_is_named_as_such():
    # a VNI file read as Windows-1258: 'Maõ hoä' for 'Mã hộ' – one message, not a column list
    vni = ["Maõ hoä", "Naêm raø soaùt", "Maõ xaõ", "Thoân/baûn", "Khu vöïc", "Soá nhaân khaåu", "Ñieåm B1", "Ñieåm B2"]
    data = ("\n".join([",".join(vni), "H1,2019,02020,To 1,Thanh thi,4,130,30"]) + "\n").encode("cp1252")
    r = pio.read_intake(data, file_name="xa.csv")
    assert r.errors["check"].tolist() == ["bad_encoding_headers"] and not r.file_ok
    assert "không được lưu bằng mã UTF-8 hoặc Windows-1258" in r.errors["message_vi"].iloc[0]
    assert "CSV UTF-8" in r.errors["message_vi"].iloc[0]
    # UTF-16 without its byte-order mark
    r = pio.read_intake(csv_bytes([ROW]).decode().encode("utf-16-le"), file_name="xa.csv")
    assert r.errors["check"].tolist() == ["bad_encoding"]
    assert r.errors["message_vi"].iloc[0].startswith("Không đọc được tệp: tệp có vẻ không được lưu bằng mã UTF-8")
    # bytes that are neither UTF-8 nor Windows-1258
    r = pio.read_intake(csv_bytes([ROW]) + b"\x81\x8a", file_name="xa.csv")
    assert r.errors["check"].tolist() == ["bad_encoding"]
    # a header that is only unknown (no foreign letter) is still an unknown column
    r = pio.read_intake(csv_bytes([ROW + ["x"]], HEAD + ["Ghi chú"]), file_name="xa.csv")
    assert r.errors["check"].tolist() == ["unknown_column"]


@pytest.mark.parametrize("data", [
    b"PK\x03\x04 not a workbook",
    bytes(range(256)) * 20,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # an old .xls / a password-protected workbook
], ids=["zip_header_only", "binary", "ole2"])
def test_malformed_workbook_gets_a_vietnamese_sentence(data):
    r = pio.read_intake(data, file_name="xa.xlsx")
    assert r.errors["check"].tolist() == ["not_xlsx"]
    vi = r.errors["message_vi"].iloc[0]
    assert vi.startswith("Không đọc được tệp: đây không phải bảng tính .xlsx hợp lệ") and "Error" not in vi


def test_broken_sheet_xml_gets_a_vietnamese_sentence():
    data = rezip(base_xlsx(), lambda x: x.replace(b"</sheetData>", b"<row r='9'><c r='A9' t='s'><v>x</v></row>"))
    r = pio.read_intake(data, file_name="xa.xlsx")
    e = r.errors.iloc[0]
    assert e["check"] == "unreadable" and not r.file_ok
    assert e["message_vi"].startswith("Không đọc được tệp. Hãy mở tệp bằng Excel") and "Error" not in e["message_vi"]
    assert "Error" in e["message_en"]  # the reader's own words, for support, in English only


def test_each_repeated_id_names_another_row_of_it():
    """The first row of a repeated id named itself ("dòng 2 … xuất hiện lần đầu ở dòng 2"): now every row names
    another row holding the id – the first row the second, the others the first."""
    rows = [ROW, ["H2", *ROW[1:]], ["h1", *ROW[1:]], ["H1", *ROW[1:]]]
    r = pio.read_intake(csv_bytes(rows), file_name="xa.csv")
    dup = r.errors[r.errors["check"] == "duplicate_id"].sort_values("row")
    assert dup["row"].tolist() == [2, 4, 5]
    assert [m.rsplit("cũng có ở dòng ", 1)[1].split(")")[0] for m in dup["message_vi"]] == ["4", "2", "2"]
    assert "also on row 4" in dup["message_en"].iloc[0]
