"""Intake of the communes' review files: reading, validation, import command, round trip.

Classes of bad input covered by ``test_bad_input_is_refused`` (each asserts the Vietnamese
message, the spreadsheet row number, the column, that ``python -m povlib import`` exits
non-zero and that the store is unchanged – same versions, same files, same data):

 1. empty file (0 bytes)                         -> empty_file
 2. header row but no data row                   -> empty_file
 3. file over the size limit                     -> too_large
 4. unsupported file type (.txt)                 -> bad_format
 5. unreadable spreadsheet (.xlsx that is not)   -> unreadable
 6. missing required column                      -> missing_column
 7. unknown column                               -> unknown_column
 8. two headers for the same column              -> duplicate_column
 9. wrong type (text in a number column)         -> wrong_type
10. wrong yes/no value                           -> wrong_type
11. out-of-range value (household size 0)        -> out_of_range
12. out-of-range indicator (2)                   -> out_of_range
13. B2 score not a multiple of 10                -> not_multiple
14. blank required cell                          -> missing_value
15. invalid area                                 -> bad_area
16. unknown commune code                         -> unknown_commune
17. commune name that does not match the code    -> commune_name_mismatch
18. duplicate household id in the file           -> duplicate_id
19. household id already recorded for another commune that year (store) -> id_other_commune
20. neither income nor B1 score                  -> no_income
21. B2 score contradicting the indicators        -> b2_mismatch
22. year different from --year                   -> year_mismatch
23. member whose household is missing           -> orphan_member
24. member born after the review year            -> born_after_review
25. household size different from its member rows -> member_count_mismatch
26. indicator contradicting the member file      -> contradicts_members
27. CSV row with more cells than the header      -> too_many_fields
28. review year without a poverty standard       -> no_standard

Other tests: Vietnamese / English / unaccented headers, UTF-8, UTF-8 BOM and Windows-1258
CSV, XLSX row numbers, ``--valid-only`` (valid rows stored, rejected rows in the report),
member-derived indicators at the age boundaries, template regeneration, and the round
trip demo -> template -> import -> same classification and same report tables.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import povlib
from povlib import intake as pio
from povlib.cli import main as cli
from povlib.i18n import t
from povlib.intake import Store, schema
from povlib.intake import read as intake_read

HEAD = ["Mã hộ", "Năm rà soát", "Mã xã", "Tên xã", "Thôn/bản", "Khu vực", "Số nhân khẩu",
        "Thu nhập bình quân (đồng/người/tháng)", "Điểm B1", "Điểm B2",
        "Trình độ giáo dục của người lớn", "Tình trạng đi học của trẻ em", "Tiếp cận các dịch vụ y tế",
        "Bảo hiểm y tế", "Chất lượng nhà ở", "Diện tích nhà ở bình quân đầu người", "Nguồn nước sinh hoạt",
        "Hố xí/nhà tiêu hợp vệ sinh", "Sử dụng dịch vụ viễn thông", "Tài sản phục vụ tiếp cận thông tin",
        "Dân tộc thiểu số"]
ROWS = [
    ["H001", "2019", "02020", "Thị trấn Bằng Lũng", "Tổ 1", "Thành thị", "4", "850000", "150", "30",
     "1", "0", "0", "1", "0", "0", "1", "0", "0", "0", "Có"],
    ["H002", "2019", "02020", "Thị trấn Bằng Lũng", "Tổ 2", "Thành thị", "3", "2500000", "300", "0",
     "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "Không"],
    ["H003", "2019", "02023", "Xã Xuân Lạc", "Bản Nà", "Nông thôn", "5", "650000", "110", "20",
     "0", "0", "0", "1", "1", "0", "0", "0", "0", "0", "Có"],
]
MEMBER_HEAD = ["Mã hộ", "STT thành viên", "Năm sinh", "Giới tính", "Đang đi học", "Trình độ học vấn cao nhất",
               "Có thẻ BHYT", "Ốm đau không đi khám chữa bệnh"]


def csv_bytes(head=HEAD, rows=ROWS, encoding="utf-8") -> bytes:
    lines = [",".join(head)] + [",".join(r) for r in rows]
    text = "\n".join(lines) + "\n"
    if encoding == "cp1258":
        return pio.encode_cp1258(text)
    return text.encode(encoding)


def edit(rows=ROWS, **cells):
    """Copy of ``rows`` with cells replaced: key 'r<i>_<header index>' -> value."""
    out = [list(r) for r in rows]
    for k, v in cells.items():
        i, j = k[1:].split("_")
        out[int(i)][int(j)] = v
    return out


def col(name):
    return HEAD.index(name)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.fixture
def store(tmp_path):
    """A store holding one version: household H900 of commune 02026 in 2019."""
    st = Store(tmp_path / "store")
    base = [["H900", "2019", "02026", "Xã Nam Cường", "Bản Khuổi", "Nông thôn", "2", "600000", "100", "0",
             "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "Có"]]
    r = pio.read_intake(csv_bytes(rows=base), file_name="base.csv")
    assert r.ok, r.errors
    st.import_intake(r, imported_by="Tổ công tác")
    return st


def snapshot(st: Store):
    files = sorted(str(p.relative_to(st.path)) for p in st.path.rglob("*") if p.is_file())
    return files, st.versions().to_dict("list"), st.load()


# (id, files {name: bytes}, extra CLI args, check, file, row, column, message fragment)
def _cases(tmp_path):
    big = b"x" * 10
    members_ok = [["H001", "1", "1990", "Nam", "Không", "3", "Có", "Không"]]
    C = []
    C.append(("empty_file", {"h.csv": b""}, [], "empty_file", "h.csv", None, "", "Tệp rỗng"))
    C.append(("header_only", {"h.csv": csv_bytes(rows=[])}, [], "empty_file", "h.csv", None, "", "Tệp rỗng"))
    C.append(("too_large", {"h.csv": big}, [], "too_large", "h.csv", None, "", "Tệp quá lớn"))
    C.append(("bad_format", {"h.txt": csv_bytes()}, [], "bad_format", "h.txt", None, "", "không được hỗ trợ"))
    C.append(("unreadable", {"h.xlsx": b"PK\x03\x04 not really a workbook"}, [], "unreadable", "h.xlsx", None, "",
              "Không đọc được tệp"))
    j = col("Mã xã")
    C.append(("missing_column", {"h.csv": csv_bytes([h for i, h in enumerate(HEAD) if i != j],
                                                    [[v for i, v in enumerate(r) if i != j] for r in ROWS])},
              [], "missing_column", "h.csv", 1, "Mã xã", "Thiếu cột bắt buộc 'Mã xã'"))
    C.append(("unknown_column", {"h.csv": csv_bytes(HEAD + ["Ghi chú"], [r + ["x"] for r in ROWS])}, [],
              "unknown_column", "h.csv", 1, "Ghi chú", "không có trong mẫu biểu"))
    C.append(("duplicate_column", {"h.csv": csv_bytes(HEAD + ["Household ID"], [r + [r[0]] for r in ROWS])}, [],
              "duplicate_column", "h.csv", 1, "Household ID", "trùng nội dung với cột 'Mã hộ'"))
    C.append(("wrong_type", {"h.csv": csv_bytes(rows=edit(**{f"r1_{col('Số nhân khẩu')}": "ba"}))}, [],
              "wrong_type", "h.csv", 3, "Số nhân khẩu", "phải là một số nguyên"))
    C.append(("wrong_bool", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Dân tộc thiểu số')}": "Tày"}))}, [],
              "wrong_type", "h.csv", 4, "Dân tộc thiểu số", "phải là Có/Không hoặc 1/0"))
    C.append(("out_of_range", {"h.csv": csv_bytes(rows=edit(**{f"r0_{col('Số nhân khẩu')}": "0"}))}, [],
              "out_of_range", "h.csv", 2, "Số nhân khẩu", "nằm ngoài khoảng cho phép (1–50)"))
    C.append(("indicator_range", {"h.csv": csv_bytes(rows=edit(**{f"r1_{col('Bảo hiểm y tế')}": "2"}))}, [],
              "out_of_range", "h.csv", 3, "Bảo hiểm y tế", "nằm ngoài khoảng cho phép (0–1)"))
    C.append(("not_multiple", {"h.csv": csv_bytes(rows=edit(**{f"r0_{col('Điểm B2')}": "35"}))}, [],
              "not_multiple", "h.csv", 2, "Điểm B2", "phải là bội số của 10"))
    C.append(("missing_value", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Thôn/bản')}": ""}))}, [],
              "missing_value", "h.csv", 4, "Thôn/bản", "bị bỏ trống"))
    C.append(("bad_area", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Khu vực')}": "Miền núi"}))}, [],
              "bad_area", "h.csv", 4, "Khu vực", "chỉ nhận 'Nông thôn' hoặc 'Thành thị'"))
    C.append(("unknown_commune", {"h.csv": csv_bytes(rows=edit(**{f"r1_{col('Mã xã')}": "99999"}))}, [],
              "unknown_commune", "h.csv", 3, "Mã xã", "không có trong danh mục"))
    C.append(("commune_name", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Tên xã')}": "Xã Nam Cường"}))}, [],
              "commune_name_mismatch", "h.csv", 4, "Tên xã", "không khớp với mã xã"))
    C.append(("duplicate_id", {"h.csv": csv_bytes(rows=edit(**{"r2_0": "H001"}))}, [],
              "duplicate_id", "h.csv", 4, "Mã hộ", "bị trùng trong tệp"))
    C.append(("id_other_commune", {"h.csv": csv_bytes(rows=edit(**{"r1_0": "H900"}))}, [],
              "id_other_commune", "h.csv", 3, "Mã hộ", "đã được ghi nhận cho xã 02026 Xã Nam Cường"))
    C.append(("no_income", {"h.csv": csv_bytes(rows=edit(**{f"r0_{col('Điểm B1')}": "",
                                                              f"r0_{col('Thu nhập bình quân (đồng/người/tháng)')}": ""}))},
              [], "no_income", "h.csv", 2, "Thu nhập bình quân (đồng/người/tháng)", "Thiếu cả thu nhập"))
    C.append(("b2_mismatch", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Điểm B2')}": "40"}))}, [],
              "b2_mismatch", "h.csv", 4, "Điểm B2", "không bằng 10 điểm"))
    C.append(("year_mismatch", {"h.csv": csv_bytes()}, ["--year", "2018"], "year_mismatch", "h.csv", 2,
              "Năm rà soát", "khác với năm đã chọn 2018"))
    C.append(("orphan_member", {"h.csv": csv_bytes(), "m.csv": csv_bytes(MEMBER_HEAD, members_ok + [
        ["H777", "1", "1980", "Nữ", "Không", "2", "Có", "Không"]])}, [], "orphan_member", "m.csv", 3, "Mã hộ",
        "không có trong tệp hộ"))
    C.append(("born_after_review", {"h.csv": csv_bytes(), "m.csv": csv_bytes(MEMBER_HEAD, [
        ["H001", "1", "2021", "Nam", "Không", "0", "Có", "Không"]])}, [], "born_after_review", "m.csv", 2,
        "Năm sinh", "sau năm rà soát"))
    C.append(("member_count", {"h.csv": csv_bytes(), "m.csv": csv_bytes(MEMBER_HEAD, members_ok)}, [],
              "member_count_mismatch", "h.csv", 2, "Số nhân khẩu", "khác số thành viên"))
    four = [["H001", str(i), "1970", "Nam", "Không", "3", "Có", "Không"] for i in range(1, 5)]
    C.append(("contradicts_members", {"h.csv": csv_bytes(), "m.csv": csv_bytes(MEMBER_HEAD, four)}, [],
              "contradicts_members", "h.csv", 2, "Trình độ giáo dục của người lớn", "mâu thuẫn"))
    long = [",".join(r) for r in ROWS]
    long[1] = long[1].replace("Tổ 2", "Tổ 2,Bản Nà")  # an unquoted comma inside a value
    C.append(("too_many_fields", {"h.csv": ("\n".join([",".join(HEAD), *long]) + "\n").encode()}, [],
              "too_many_fields", "h.csv", 3, f"#{len(HEAD) + 1}", "nhiều ô hơn số cột tiêu đề"))
    C.append(("no_standard", {"h.csv": csv_bytes(rows=edit(**{"r0_1": "2027"}))}, [],
              "no_standard", "h.csv", 2, "Năm rà soát", "Không có chuẩn nghèo nào áp dụng cho năm rà soát 2027"))
    return C


CASE_IDS = [c[0] for c in _cases(Path("."))]


def test_at_least_12_classes_listed():
    doc = __doc__
    listed = [line for line in doc.splitlines() if line.strip()[:3].rstrip(".").strip().isdigit()]
    assert len(listed) >= 12
    assert len(set(CASE_IDS)) >= 12


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_bad_input_is_refused(case_id, tmp_path, store, monkeypatch, capsys):
    case = next(c for c in _cases(tmp_path) if c[0] == case_id)
    _, files, extra, check, fname, row, column, fragment = case
    if case_id == "too_large":
        monkeypatch.setattr(intake_read, "MAX_FILE_BYTES", 5)
    paths = {n: write(tmp_path, n, b) for n, b in files.items()}
    hh = next(p for n, p in paths.items() if n.startswith("h"))
    mem = paths.get("m.csv")
    year = int(extra[1]) if extra else None

    r = pio.read_intake(hh, mem, year=year, store=store)
    assert not r.ok
    hit = r.errors[(r.errors["check"] == check) & (r.errors["file"] == fname)]
    assert len(hit), r.errors[["file", "row", "column", "check", "message_vi"]].to_string()
    at = hit[hit["row"].isna()] if row is None else hit[hit["row"] == row]
    assert len(at), hit.to_string()
    e = at.iloc[0]
    assert e["column"] == column
    assert fragment in e["message_vi"], e["message_vi"]
    assert e["message_en"] and e["message_en"] != e["message_vi"]

    before = snapshot(store)
    args = ["import", str(hh), "--store", str(store.path), "--by", "Kiểm thử", *extra]
    if mem is not None:
        args += ["--members", str(mem)]
    rc = cli(args)
    err = capsys.readouterr().err
    assert rc != 0
    assert fragment in err
    after = snapshot(store)
    assert before[0] == after[0]  # no file added, none removed
    assert before[1] == after[1]
    pd.testing.assert_frame_equal(before[2], after[2])


def test_valid_only_imports_valid_rows_and_reports_rejected(tmp_path, store, capsys):
    bad = edit(**{f"r1_{col('Số nhân khẩu')}": "0"})
    hh = write(tmp_path, "h.csv", csv_bytes(rows=bad))
    report = tmp_path / "loi.xlsx"
    assert cli(["import", str(hh), "--store", str(store.path), "--by", "A"]) == 1
    assert store.latest_version() == 1
    rc = cli(["import", str(hh), "--store", str(store.path), "--by", "A", "--valid-only",
              "--errors-out", str(report)])
    assert rc == 0
    assert store.latest_version() == 2
    data = store.load()
    assert sorted(data["household_id"]) == ["H001", "H003", "H900"]
    info = store.versions().iloc[-1]
    assert (info["rows_in_file"], info["rows_imported"], info["rows_rejected"]) == (3, 2, 1)
    wb = openpyxl.load_workbook(report, read_only=True)
    sheets = wb.sheetnames
    assert sheets[0] == "Danh sách lỗi" and "Các dòng bị loại" in sheets
    rejected = [r for r in wb["Các dòng bị loại"].iter_rows(values_only=True)]
    assert any("H002" in [str(c) for c in r] for r in rejected)
    errs = [r for r in wb["Danh sách lỗi"].iter_rows(values_only=True)]
    assert any("nằm ngoài khoảng cho phép" in str(c) for r in errs for c in r)


def test_structural_errors_block_valid_only(tmp_path, store):
    hh = write(tmp_path, "h.csv", csv_bytes(HEAD + ["Ghi chú"], [r + ["x"] for r in ROWS]))
    assert cli(["import", str(hh), "--store", str(store.path), "--by", "A", "--valid-only"]) == 1
    assert store.latest_version() == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_encodings(encoding):
    r = pio.read_intake(csv_bytes(encoding=encoding), file_name="x.csv")
    assert r.ok, r.errors
    v = r.valid
    assert v["village"].tolist() == ["Tổ 1", "Tổ 2", "Bản Nà"]
    assert v["commune_name"].tolist() == ["Thị trấn Bằng Lũng", "Thị trấn Bằng Lũng", "Xã Xuân Lạc"]
    assert v["area"].tolist() == ["urban", "urban", "rural"]
    assert v["ethnic_minority"].tolist() == [True, False, True]
    if encoding == "cp1258":
        raw = csv_bytes(encoding=encoding)
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert r.encoding == "cp1258"


def test_semicolon_csv_and_english_and_unaccented_headers():
    en = [schema.header_lookup("household")[schema.header_key(h)] for h in HEAD]
    specs = {s.name: s for s in schema.columns("household")}
    english = [specs[n].en for n in en]
    unaccented = ["MA HO", "nam ra soat", "ma_xa", "Ten xa", "thon ban", "KHU VUC", "so nhan khau",
                  "thu nhap", "diem b1", "diem b2"] + en[10:]
    for head in (english, unaccented, en):
        r = pio.read_intake(csv_bytes(head), file_name="x.csv")
        assert r.ok, (head, r.errors)
        assert len(r.valid) == 3
    text = csv_bytes().decode().replace(",", ";")
    r = pio.read_intake(text.encode(), file_name="x.csv")
    assert r.ok and len(r.valid) == 3


def test_year_from_argument_and_code_without_leading_zero():
    j = HEAD.index("Năm rà soát")
    head = [h for i, h in enumerate(HEAD) if i != j]
    rows = [[v for i, v in enumerate(r) if i != j] for r in ROWS]
    rows[0][head.index("Mã xã")] = "2020"  # Excel dropped the leading zero
    r = pio.read_intake(csv_bytes(head, rows), file_name="x.csv")
    assert not r.ok and r.errors["check"].tolist() == ["missing_column"]
    r = pio.read_intake(csv_bytes(head, rows), file_name="x.csv", year=2019)
    assert r.ok, r.errors
    assert r.valid["year"].tolist() == [2019] * 3
    assert r.valid["gso_code_2019"].tolist()[0] == "02020"
    assert r.valid["standard"].tolist() == ["QD59_2015"] * 3


def test_xlsx_row_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in edit(**{f"r2_{col('Khu vực')}": "Đồi"}):
        ws.append([int(v) if v.isdigit() and not v.startswith("0") else v for v in r])
    p = tmp_path / "x.xlsx"
    wb.save(p)
    r = pio.read_intake(p)
    assert r.errors[["row", "column", "check"]].values.tolist() == [[4, "Khu vực", "bad_area"]]
    assert r.n_rejected == 1 and len(r.valid) == 2
    assert r.valid["gso_code_2019"].tolist() == ["02020", "02020"]


def test_error_report_downloads_neutralise_formulas():
    rows = edit(**{f"r0_{col('Khu vực')}": "=HYPERLINK(\"x\")"})
    r = pio.read_intake(csv_bytes(rows=rows), file_name="x.csv")
    csv = pio.errors_to_csv_bytes(r).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    assert "Nội dung lỗi" in csv.splitlines()[0]
    xl = pio.errors_to_xlsx_bytes(r)
    wb = openpyxl.load_workbook(io.BytesIO(xl))
    vals = [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c is not None]
    assert not any(isinstance(v, str) and v.startswith("=") for v in vals)


# ------------------------------------------------------------------------------------------
# member file
# ------------------------------------------------------------------------------------------
def test_member_derivation_boundaries():
    """Each rule at its boundary (review year 2019)."""
    m = pd.DataFrame({
        "household_id": ["A", "A", "B", "C", "D", "E", "F", "G", "H"],
        "year": [2019] * 9,
        # A: 15 years old born 2004, not in school, no lower-secondary -> adult_education
        # B: born 1985 (before 1986) -> not adult_education; C: aged 14 -> not adult (but child)
        # D: aged 5 not in school -> child; E: aged 15 not in school -> not child (adult though edu 2)
        # F: ill, untreated; G: aged 6 no insurance -> health_insurance; H: aged 5 no insurance -> not
        "birth_year": [2004, 1990, 1985, 2005, 2014, 2004, 1970, 2013, 2014],
        "in_school": [0, 1, 0, 0, 0, 0, 0, 1, 1],
        "education_level": [1, 3, 0, 1, 0, 2, 3, 0, 0],
        "has_health_insurance": [1, 1, 1, 1, 1, 1, 1, 0, 0],
        "ill_untreated": [0, 0, 0, 0, 0, 0, 1, 0, 0],
    })
    d = pio.derive_person_indicators(m).set_index("household_id")
    expect = {
        "A": (1, 0, 0, 0), "B": (0, 0, 0, 0), "C": (0, 1, 0, 0), "D": (0, 1, 0, 0), "E": (0, 0, 0, 0),
        "F": (0, 0, 1, 0), "G": (0, 0, 0, 1), "H": (0, 0, 0, 0),
    }
    for hid, vals in expect.items():
        assert tuple(d.loc[hid, list(pio.PERSON_INDICATORS)]) == vals, hid
    assert d.loc["A", "member_rows"] == 2


def test_member_file_fills_person_indicators(tmp_path):
    person = ["Trình độ giáo dục của người lớn", "Tình trạng đi học của trẻ em", "Tiếp cận các dịch vụ y tế",
              "Bảo hiểm y tế"]
    keep = [i for i, h in enumerate(HEAD) if h not in person and h != "Điểm B2"]
    head = [HEAD[i] for i in keep]
    rows = [[r[i] for i in keep] for r in ROWS]
    members = [
        ["H001", "1", "1960", "Nam", "Không", "1", "Có", "Không"],
        ["H001", "2", "1995", "Nữ", "Không", "1", "Có", "Không"],   # adult education
        ["H001", "3", "2010", "Nam", "Có", "1", "Không", "Không"],  # no insurance, aged 9
        ["H001", "4", "2012", "Nữ", "Có", "0", "Có", "Không"],
        ["H002", "1", "1980", "Nam", "Không", "3", "Có", "Không"],
        ["H002", "2", "1982", "Nữ", "Không", "3", "Có", "Có"],      # ill untreated
        ["H002", "3", "2011", "Nam", "Không", "1", "Có", "Không"],  # child not in school
        ["H003", "1", "1950", "Nam", "Không", "0", "Có", "Không"],
        ["H003", "2", "1955", "Nữ", "Không", "0", "Có", "Không"],
        ["H003", "3", "1985", "Nam", "Không", "1", "Có", "Không"],
        ["H003", "4", "1988", "Nữ", "Không", "3", "Có", "Không"],
        ["H003", "5", "2016", "Nam", "Có", "0", "Có", "Không"],
    ]
    hh = write(tmp_path, "h.csv", csv_bytes(head, rows, encoding="cp1258"))
    mem = write(tmp_path, "m.csv", csv_bytes(MEMBER_HEAD, members, encoding="cp1258"))
    r = pio.read_intake(hh, mem)
    assert r.ok, r.errors[["file", "row", "column", "check", "message_vi"]].to_string()
    v = r.valid.set_index("household_id")
    assert tuple(v.loc["H001", list(pio.PERSON_INDICATORS)]) == (1, 0, 0, 1)
    assert tuple(v.loc["H002", list(pio.PERSON_INDICATORS)]) == (0, 1, 1, 0)
    assert tuple(v.loc["H003", list(pio.PERSON_INDICATORS)]) == (0, 0, 0, 0)
    panel = povlib.classify_households(r.valid)
    assert panel["deprivation_count"].tolist() == [3, 2, 1]
    assert r.member_file_name == "m.csv" and len(r.member_checksum) == 64


def test_member_rules_are_data_with_source():
    rules = schema.member_rules("QD59_2015")
    assert "59/2015" in rules["legal_source"]
    assert rules["adult_education"]["born_from"] == 1986
    assert rules["child_schooling"]["max_age_exclusive"] == 15
    assert rules["health_insurance"]["min_age"] == 6


# ------------------------------------------------------------------------------------------
# template and round trip
# ------------------------------------------------------------------------------------------
def test_templates_regenerate(tmp_path):
    paths = pio.write_templates(tmp_path)
    for p in paths:
        new = openpyxl.load_workbook(p)
        committed = openpyxl.load_workbook(pio.TEMPLATE_DIR / p.name)
        assert new.sheetnames == committed.sheetnames
        for a, b in zip(new.worksheets, committed.worksheets):
            assert [c.value for c in a[1]] == [c.value for c in b[1]], "committed template is stale: run python -m povlib template"
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames == ["Hộ gia đình", "Hướng dẫn"]
    head = [c.value for c in wb.worksheets[0][1]]
    assert head[:3] == ["Mã hộ", "Năm rà soát", "Mã xã"]
    assert all(h in head for h in HEAD)
    # a blank template is an empty file, not a broken one
    r = pio.read_intake(paths[0])
    assert r.errors["check"].tolist() == ["empty_file"]
    notes = [r for r in wb["Hướng dẫn"].iter_rows(values_only=True) if r[2] == "year"][0]
    assert "2016–2030" in notes[4]
    # the header mapping has no ambiguity
    assert schema.header_lookup("household") and schema.header_lookup("member")


def _same_classification(a: pd.DataFrame, b: pd.DataFrame) -> None:
    key = ["year", "household_id"]
    a = a.sort_values(key).reset_index(drop=True)
    b = b.sort_values(key).reset_index(drop=True)
    assert a["household_id"].tolist() == b["household_id"].tolist()
    for c in ("status", "poor_via"):
        assert a[c].astype("string").fillna("-").tolist() == b[c].astype("string").fillna("-").tolist(), c
    assert np.array_equal(a["deprivation_count"].to_numpy(), b["deprivation_count"].to_numpy())


def test_round_trip_xlsx_one_year(demo, tmp_path):
    d = demo[demo["year"] == 2019]
    p = tmp_path / "cho_don_2019.xlsx"
    pio.export_to_template(d, p)
    st = Store(tmp_path / "store")
    assert cli(["import", str(p), "--store", str(st.path), "--by", "Phòng LĐ-TB&XH"]) == 0
    back = st.load_panel()
    assert len(back) == len(d)
    _same_classification(back, d)
    raw_cols = [c for c in pio.STORE_COLUMNS if c in d]
    a = back.sort_values("household_id")[raw_cols].reset_index(drop=True)
    b = d.sort_values("household_id")[raw_cols].reset_index(drop=True)
    for c in raw_cols:
        assert a[c].astype("string").tolist() == b[c].astype("string").tolist(), c


def test_round_trip_full_panel_same_reports(demo, tmp_path):
    """Whole demo panel -> template CSV (Windows-1258) -> store -> same classification and reports."""
    from povlib import measures, reports, transitions

    p = tmp_path / "cho_don.csv"
    pio.export_to_template(demo, p, fmt="csv", encoding="cp1258")
    st = Store(tmp_path / "store")
    r = pio.read_intake(p, store=st)
    assert r.ok, r.errors.head()
    st.import_intake(r, imported_by="Phòng LĐ-TB&XH")
    back = st.load_panel()
    _same_classification(back, demo)
    by = ["year", "gso_code_2019"]
    ra = measures.rates(back, by).sort_values(by).reset_index(drop=True)
    rb = measures.rates(demo, by).sort_values(by).reset_index(drop=True)
    pd.testing.assert_frame_equal(ra, rb, check_dtype=False, check_categorical=False)
    fa = transitions.flow_table(back).sort_values(["gso_code_2019", "year"]).reset_index(drop=True)
    fb = transitions.flow_table(demo).sort_values(["gso_code_2019", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(fa, fb, check_dtype=False, check_categorical=False)
    for status in ("poor", "near_poor"):
        sa = reports.summary_table(back, 2019, status=status)
        sb = reports.summary_table(demo, 2019, status=status)
        pd.testing.assert_frame_equal(sa.reset_index(drop=True), sb.reset_index(drop=True), check_dtype=False,
                                      check_categorical=False)


def test_upload_limit_matches_streamlit_config():
    import tomllib

    cfg = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["maxUploadSize"] == pio.MAX_FILE_MB


def test_data_page_versions_and_undo(tmp_path, monkeypatch):
    """AppTest: the page lists the stored versions in Vietnamese and undoes one (with a name)."""
    testing = pytest.importorskip("streamlit.testing.v1")
    st_path = tmp_path / "store"
    monkeypatch.setenv("POVLIB_STORE", str(st_path))
    store = Store(st_path)
    r = pio.read_intake(csv_bytes(), file_name="xa.csv")
    store.import_intake(r, imported_by="Nguyễn Thị Hoa")
    r2 = pio.read_intake(csv_bytes(rows=ROWS[:1]), file_name="xa_sua.csv")
    store.import_intake(r2, imported_by="Nguyễn Thị Hoa")
    at = testing.AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value == "Dữ liệu"
    table = next(d.value for d in at.dataframe if "Phiên bản" in d.value.columns)
    assert table["Phiên bản"].tolist() == [2, 1]
    assert table["Người nạp"].tolist() == ["Nguyễn Thị Hoa"] * 2
    undo = next(b for b in at.button if b.label == t("intake.page.undo"))
    assert undo.disabled  # no name yet
    at.text_input(key="in_by").input("Trưởng phòng").run()
    at.selectbox(key="in_undo_pick").select(2).run()
    next(b for b in at.button if b.label == t("intake.page.undo")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.latest_version() == 3
    assert sorted(store.load()["household_id"]) == ["H001", "H002", "H003"]
    v = store.versions()
    assert v["imported_by"].tolist()[-1] == "Trưởng phòng" and bool(v["undone"].tolist()[1])


@pytest.mark.parametrize("name", ["povlib.intake", "povlib.intake.checks", "povlib.intake.layout",
                                  "povlib.intake.members", "povlib.intake.problems", "povlib.intake.read",
                                  "povlib.intake.review", "povlib.intake.schema", "povlib.intake.staged",
                                  "povlib.intake.store", "povlib.intake.templates", "povlib.intake.values"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_csv_blank_lines_keep_spreadsheet_row_numbers():
    text = csv_bytes().decode()
    lines = text.splitlines()
    text = "\n".join([lines[0], lines[1], "", lines[2], lines[3].replace("Nông thôn", "Rừng")]) + "\n"
    r = pio.read_intake(text.encode(), file_name="x.csv")
    assert r.errors[["row", "column", "check"]].values.tolist() == [[5, "Khu vực", "bad_area"]]


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium not installed")
def test_data_page_in_browser_upload_errors_valid_only_import(tmp_path):
    """Upload a file with one bad row: the problem is listed in Vietnamese with its row; the import
    button stays disabled until 'Chỉ nạp các dòng hợp lệ' is ticked and a name given; then the
    valid rows become version 1 of the store."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parents[2]
    port = next(p for p in range(8630, 8640) if socket.socket().connect_ex(("127.0.0.1", p)) != 0)
    st_path = tmp_path / "store"
    bad = write(tmp_path, "xa_loi.csv", csv_bytes(rows=edit(**{f"r1_{col('Khu vực')}": "Miền núi"})))
    log = open(tmp_path / "streamlit.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "POVLIB_STORE": str(st_path)})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(180):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            pg = b.new_page(viewport={"width": 1400, "height": 1600})
            pg.goto(f"{url}/data")
            pg.get_by_text("Tệp hộ gia đình (bắt buộc)").wait_for(timeout=60_000)
            pg.locator("input[type=file]").first.set_input_files(str(bad))
            pg.get_by_text("Khu vực 'Miền núi' không hợp lệ").wait_for(state="attached", timeout=60_000)  # canvas grid: hidden cell
            assert pg.get_by_text("Đọc 3 dòng hộ: 2 dòng hợp lệ, 1 dòng bị loại; 1 lỗi.").count() == 1
            go = pg.get_by_role("button", name="Nạp dữ liệu")
            assert go.is_disabled()
            pg.get_by_label("Người nạp (họ tên)").fill("Trần Văn Minh")
            pg.keyboard.press("Enter")
            pg.get_by_test_id("stCheckbox").get_by_text("Chỉ nạp các dòng hợp lệ").click()
            pg.wait_for_function("() => !Array.from(document.querySelectorAll('button')).find("
                                 "b => b.innerText.includes('Nạp dữ liệu')).disabled", timeout=30_000)
            pg.get_by_role("button", name="Nạp dữ liệu").click()
            pg.get_by_text("Đã nạp 2 hộ vào phiên bản 1").wait_for(timeout=60_000)
            assert pg.locator('[data-testid="stException"]').count() == 0
            b.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    st = Store(st_path)
    assert st.latest_version() == 1
    assert sorted(st.load()["household_id"]) == ["H001", "H003"]
    assert st.versions().loc[0, "imported_by"] == "Trần Văn Minh"
