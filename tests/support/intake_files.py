"""Sample review files for the intake tests (unit, command line, data page, browser).

Classes of bad input (:func:`bad_input_cases`): each is refused by ``povlib.intake.read_intake`` with a
Vietnamese message, the spreadsheet row number and the column (``tests/unit/test_intake.py``), by
``python -m povlib import`` with a non-zero exit and the store unchanged (``tests/cli/test_cli_intake.py``):

 1. empty file (0 bytes)                         -> empty_file
 2. header row but no data row                   -> empty_file
 3. file over the size limit                     -> too_large
 4. unsupported file type (.txt)                 -> bad_format
 5. unreadable spreadsheet (.xlsx that is not)   -> not_xlsx
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
28. review year without a poverty standard (2031) -> no_standard

and :func:`damaged_files`: files that are no table at all (garbage, empty, blank lines).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from povlib import intake as pio
from povlib.intake import Store

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


def base_store(path: Path) -> Store:
    """A store holding one version: household H900 of commune 02026 in 2019."""
    st = Store(path)
    base = [["H900", "2019", "02026", "Xã Nam Cường", "Bản Khuổi", "Nông thôn", "2", "600000", "100", "0",
             "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "Có"]]
    r = pio.read_intake(csv_bytes(rows=base), file_name="base.csv")
    assert r.ok, r.errors
    st.import_intake(r, imported_by="Tổ công tác")
    return st


def snapshot(st: Store):
    files = sorted(str(p.relative_to(st.path)) for p in st.path.rglob("*") if p.is_file())
    return files, st.versions().to_dict("list"), st.load()


def same_classification(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Assert that two panels hold the same households with the same classification."""
    key = ["year", "household_id"]
    a = a.sort_values(key).reset_index(drop=True)
    b = b.sort_values(key).reset_index(drop=True)
    assert a["household_id"].tolist() == b["household_id"].tolist()
    for c in ("status", "poor_via"):
        assert a[c].astype("string").fillna("-").tolist() == b[c].astype("string").fillna("-").tolist(), c
    assert np.array_equal(a["deprivation_count"].to_numpy(), b["deprivation_count"].to_numpy())


class BadInput(NamedTuple):
    """One class of bad input: its files, extra command-line arguments and the problem expected."""

    id: str
    files: dict[str, bytes]
    extra: list[str]
    check: str
    file: str
    row: int | None
    column: str
    fragment: str


def bad_input_cases() -> list[BadInput]:
    """The classes of bad input listed in this module's docstring, in that order."""
    big = b"x" * 10
    members_ok = [["H001", "1", "1990", "Nam", "Không", "3", "Có", "Không"]]
    C: list[BadInput] = []
    C.append(BadInput("empty_file", {"h.csv": b""}, [], "empty_file", "h.csv", None, "", "Tệp rỗng"))
    C.append(BadInput("header_only", {"h.csv": csv_bytes(rows=[])}, [], "empty_file", "h.csv", None, "", "Tệp rỗng"))
    C.append(BadInput("too_large", {"h.csv": big}, [], "too_large", "h.csv", None, "", "Tệp quá lớn"))
    C.append(BadInput("bad_format", {"h.txt": csv_bytes()}, [], "bad_format", "h.txt", None, "", "không được hỗ trợ"))
    C.append(BadInput("unreadable", {"h.xlsx": b"PK\x03\x04 not really a workbook"}, [], "not_xlsx", "h.xlsx", None, "",
              "Không đọc được tệp"))
    j = col("Mã xã")
    C.append(BadInput("missing_column", {"h.csv": csv_bytes([h for i, h in enumerate(HEAD) if i != j],
                                                    [[v for i, v in enumerate(r) if i != j] for r in ROWS])},
              [], "missing_column", "h.csv", 1, "Mã xã", "Thiếu cột bắt buộc 'Mã xã'"))
    C.append(BadInput("unknown_column", {"h.csv": csv_bytes(HEAD + ["Ghi chú"], [r + ["x"] for r in ROWS])}, [],
              "unknown_column", "h.csv", 1, "Ghi chú", "không có trong mẫu biểu"))
    C.append(BadInput("duplicate_column", {"h.csv": csv_bytes(HEAD + ["Household ID"], [r + [r[0]] for r in ROWS])}, [],
              "duplicate_column", "h.csv", 1, "Household ID", "trùng nội dung với cột 'Mã hộ'"))
    C.append(BadInput("wrong_type", {"h.csv": csv_bytes(rows=edit(**{f"r1_{col('Số nhân khẩu')}": "ba"}))}, [],
              "wrong_type", "h.csv", 3, "Số nhân khẩu", "phải là một số nguyên"))
    C.append(BadInput("wrong_bool", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Dân tộc thiểu số')}": "Tày"}))}, [],
              "wrong_type", "h.csv", 4, "Dân tộc thiểu số", "phải là Có/Không hoặc 1/0"))
    C.append(BadInput("out_of_range", {"h.csv": csv_bytes(rows=edit(**{f"r0_{col('Số nhân khẩu')}": "0"}))}, [],
              "out_of_range", "h.csv", 2, "Số nhân khẩu", "nằm ngoài khoảng cho phép (1–50)"))
    C.append(BadInput("indicator_range", {"h.csv": csv_bytes(rows=edit(**{f"r1_{col('Bảo hiểm y tế')}": "2"}))}, [],
              "out_of_range", "h.csv", 3, "Bảo hiểm y tế", "nằm ngoài khoảng cho phép (0–1)"))
    C.append(BadInput("not_multiple", {"h.csv": csv_bytes(rows=edit(**{f"r0_{col('Điểm B2')}": "35"}))}, [],
              "not_multiple", "h.csv", 2, "Điểm B2", "phải là bội số của 10"))
    C.append(BadInput("missing_value", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Thôn/bản')}": ""}))}, [],
              "missing_value", "h.csv", 4, "Thôn/bản", "bị bỏ trống"))
    C.append(BadInput("bad_area", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Khu vực')}": "Miền núi"}))}, [],
              "bad_area", "h.csv", 4, "Khu vực", "chỉ nhận 'Nông thôn' hoặc 'Thành thị'"))
    C.append(BadInput("unknown_commune", {"h.csv": csv_bytes(rows=edit(**{f"r1_{col('Mã xã')}": "99999"}))}, [],
              "unknown_commune", "h.csv", 3, "Mã xã", "không có trong danh mục"))
    C.append(BadInput("commune_name", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Tên xã')}": "Xã Nam Cường"}))}, [],
              "commune_name_mismatch", "h.csv", 4, "Tên xã", "không khớp với mã xã"))
    C.append(BadInput("duplicate_id", {"h.csv": csv_bytes(rows=edit(**{"r2_0": "H001"}))}, [],
              "duplicate_id", "h.csv", 4, "Mã hộ", "bị trùng trong tệp"))
    C.append(BadInput("id_other_commune", {"h.csv": csv_bytes(rows=edit(**{"r1_0": "H900"}))}, [],
              "id_other_commune", "h.csv", 3, "Mã hộ", "đã được ghi nhận cho xã 02026 Xã Nam Cường"))
    C.append(BadInput("no_income", {"h.csv": csv_bytes(rows=edit(**{f"r0_{col('Điểm B1')}": "",
                                                              f"r0_{col('Thu nhập bình quân (đồng/người/tháng)')}": ""}))},
              [], "no_income", "h.csv", 2, "Thu nhập bình quân (đồng/người/tháng)", "Thiếu cả thu nhập"))
    C.append(BadInput("b2_mismatch", {"h.csv": csv_bytes(rows=edit(**{f"r2_{col('Điểm B2')}": "40"}))}, [],
              "b2_mismatch", "h.csv", 4, "Điểm B2", "không bằng 10 điểm"))
    C.append(BadInput("year_mismatch", {"h.csv": csv_bytes()}, ["--year", "2018"], "year_mismatch", "h.csv", 2,
              "Năm rà soát", "khác với năm đã chọn 2018"))
    C.append(BadInput("orphan_member", {"h.csv": csv_bytes(), "m.csv": csv_bytes(MEMBER_HEAD, members_ok + [
        ["H777", "1", "1980", "Nữ", "Không", "2", "Có", "Không"]])}, [], "orphan_member", "m.csv", 3, "Mã hộ",
        "không có trong tệp hộ"))
    C.append(BadInput("born_after_review", {"h.csv": csv_bytes(), "m.csv": csv_bytes(MEMBER_HEAD, [
        ["H001", "1", "2021", "Nam", "Không", "0", "Có", "Không"]])}, [], "born_after_review", "m.csv", 2,
        "Năm sinh", "sau năm rà soát"))
    C.append(BadInput("member_count", {"h.csv": csv_bytes(), "m.csv": csv_bytes(MEMBER_HEAD, members_ok)}, [],
              "member_count_mismatch", "h.csv", 2, "Số nhân khẩu", "khác số thành viên"))
    four = [["H001", str(i), "1970", "Nam", "Không", "3", "Có", "Không"] for i in range(1, 5)]
    C.append(BadInput("contradicts_members", {"h.csv": csv_bytes(), "m.csv": csv_bytes(MEMBER_HEAD, four)}, [],
              "contradicts_members", "h.csv", 2, "Trình độ giáo dục của người lớn", "mâu thuẫn"))
    long = [",".join(r) for r in ROWS]
    long[1] = long[1].replace("Tổ 2", "Tổ 2,Bản Nà")  # an unquoted comma inside a value
    C.append(BadInput("too_many_fields", {"h.csv": ("\n".join([",".join(HEAD), *long]) + "\n").encode()}, [],
              "too_many_fields", "h.csv", 3, f"#{len(HEAD) + 1}", "nhiều ô hơn số cột tiêu đề"))
    C.append(BadInput("no_standard", {"h.csv": csv_bytes(rows=edit(**{"r0_1": "2031"}))}, [],
              "no_standard", "h.csv", 2, "Năm rà soát", "Không có chuẩn nghèo nào áp dụng cho năm rà soát 2031"))
    return C


BAD_INPUT_IDS = [c.id for c in bad_input_cases()]


def damaged_files(header: str) -> dict[str, bytes]:
    """Files that are no readable table: garbage, a zip that is no workbook, empty, only ``header``,
    binary, blank lines (read by intake, the command line and the data page)."""
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("a.txt", "not a workbook")
    return {
        "rac.xlsx": bytes(range(256)) * 20,           # binary garbage named .xlsx
        "zip.xlsx": zbuf.getvalue(),                  # a zip that is no workbook
        "rong.csv": b"",                              # empty
        "chi_tieu_de.csv": (header + "\n").encode("utf-8"),  # only the header
        "nhi_phan.csv": bytes(range(256)) * 20,       # wrong encoding / binary
        "dong_trong.csv": b"\n\n\n",                  # blank lines only
    }


def household_header() -> str:
    """The Vietnamese header row of the household template."""
    return ",".join(s.vi for s in pio.template_columns("household"))
