"""Review files of any year are checked against the units in force on 31/12 of that year.

2019: the 122 units of Bắc Kạn; 2020: the 108 after Resolution 855/NQ-UBTVQH14; 2026: the 3,321 communes
of Decision 19/2025/QĐ-TTg. An old code in a later year is refused naming its successors, a later code in
an earlier year naming what it came from; names and parents are those of the row's year; ids are only
compared within one year (a household of Xã Phong Huân in 2019 may be in Xã Yên Phong in 2020).
"""
from __future__ import annotations

import pandas as pd
import pytest

from povlib import intake as pio
from povlib.intake import Store
from povlib.intake.communes import commune_units, expired_text, unit_of_row

SCORE_HEAD = ["Mã hộ", "Năm rà soát", "Mã xã", "Tên xã", "Thôn/bản", "Khu vực", "Số nhân khẩu", "Điểm B1",
              "Điểm B2"]


def scores_csv(rows) -> bytes:
    """A household file with scores only: rows of (id, year, code, name, village, members, B1, B2)."""
    lines = [",".join(SCORE_HEAD)]
    for hid, year, code, name, village, members, b1, b2 in rows:
        lines.append(",".join([hid, str(year), code, name, village, "Nông thôn", str(members), str(b1), str(b2)]))
    return ("\n".join(lines) + "\n").encode()


def read(rows, **kw):
    return pio.read_intake(scores_csv(rows), file_name="xa.csv", **kw)


def checks_of(r):
    return r.errors[["row", "column", "check"]].values.tolist()


def test_old_code_in_2026_names_its_period_and_successor():
    r = read([("H1", 2026, "02023", "", "Bản Nà", 3, 130, 20),
              ("H2", 2026, "02026", "Xã Nam Cường", "Bản Nà", 3, 130, 20)])
    assert checks_of(r) == [[2, "Mã xã", "commune_code_expired"]]
    msg = r.errors.loc[0, "message_vi"]
    assert msg.startswith("Mã 02023 (Xã Xuân Lạc: 01/01/2016 – 30/06/2025) không còn hiệu lực năm 2026")
    assert "từ 01/07/2025" in msg and "Xã Nam Cường (02026)" in msg
    assert "no longer in force in 2026" in r.errors.loc[0, "message_en"]
    assert r.rejected.tolist() == [True, False]


def test_code_ended_by_the_2020_reform_names_the_split_with_shares():
    r = read([("H1", 2020, "02074", "Xã Phong Huân", "Bản Cuôn", 4, 130, 20)])
    assert checks_of(r) == [[2, "Mã xã", "commune_code_expired"]]
    msg = r.errors.loc[0, "message_vi"]
    assert "từ 01/02/2020" in msg and "Xã Yên Phong (02083, 77,43 %)" in msg and "Xã Bằng Lãng (02065, 22,57 %)" in msg
    # the same code in 2019 is Xã Phong Huân itself
    assert read([("H1", 2019, "02074", "Xã Phong Huân", "Bản Cuôn", 4, 130, 20)]).ok


def test_code_of_a_later_period_in_an_earlier_year_is_not_yet_in_force():
    r = read([("H1", 2019, "00004", "Phường Ba Đình", "Tổ 1", 3, 130, 20)])
    assert checks_of(r) == [[2, "Mã xã", "commune_code_not_yet"]]
    msg = r.errors.loc[0, "message_vi"]
    assert "chưa có hiệu lực năm 2019" in msg and "có từ 01/07/2025" in msg and "Phường Ba Đình" in msg


def test_unknown_code_names_the_year_of_the_list():
    r = read([("H1", 2026, "99999", "", "Tổ 1", 3, 130, 20)])
    assert checks_of(r) == [[2, "Mã xã", "unknown_commune"]]
    assert "có hiệu lực ngày 31/12/2026" in r.errors.loc[0, "message_vi"]


def test_a_reused_code_takes_the_name_of_its_year():
    """02020 was Thị trấn Bằng Lũng to 30/06/2025 and is Xã Chợ Đồn since 01/07/2025."""
    assert read([("H1", 2019, "02020", "Thị trấn Bằng Lũng", "Tổ 1", 3, 130, 20)]).ok
    assert read([("H1", 2026, "02020", "Chợ Đồn", "Tổ 1", 3, 130, 20)]).ok
    r = read([("H1", 2026, "02020", "Thị trấn Bằng Lũng", "Tổ 1", 3, 130, 20)])
    assert checks_of(r) == [[2, "Tên xã", "commune_name_mismatch"]]
    assert "Xã Chợ Đồn" in r.errors.loc[0, "message_vi"]


def test_a_code_of_another_form_or_a_year_out_of_range_is_reported_once():
    r = read([("H1", 2026, "2O26", "", "Tổ 1", 3, 130, 20), ("H2", 2015, "02026", "", "Tổ 1", 3, 130, 20)])
    got = checks_of(r)
    assert [2, "Mã xã", "bad_code_format"] in got and [3, "Năm rà soát", "out_of_range"] in got
    assert not [c for c in got if c[1] == "Mã xã" and c[2] != "bad_code_format"]


def test_codes_narrow_the_units_in_force():
    r = read([("H1", 2026, "02020", "", "Tổ 1", 3, 130, 20), ("H2", 2026, "02026", "", "Tổ 1", 3, 130, 20),
              ("H3", 2026, "02023", "", "Tổ 1", 3, 130, 20)], codes=frozenset({"02026", "02023"}))
    assert checks_of(r) == [[2, "Mã xã", "unknown_commune"], [4, "Mã xã", "commune_code_expired"]]


def test_units_per_year_and_per_row():
    u = commune_units([2019, 2020, 2026])
    assert u.groupby("year").size().to_dict() == {2019: 122, 2020: 108, 2026: 3321}
    rows = pd.DataFrame({"commune_code": ["02083", "02083", "02083", "00004"], "year": [2019, 2020, 2026, 2019]})
    got = unit_of_row(rows)
    assert got["full_name"].tolist() == ["Xã Yên Nhuận", "Xã Yên Phong", "Xã Yên Phong", pd.NA]
    assert got["district_code"].tolist() == ["064", "064", pd.NA, pd.NA]
    assert got["district_name"].tolist()[:2] == ["Huyện Chợ Đồn"] * 2
    assert got["province_code"].tolist()[:3] == ["06", "06", "19"]
    assert expired_text("99999", 2026) is None


def test_2020_and_2026_files_imported_end_to_end(tmp_path):
    st = Store(tmp_path / "s")
    y19 = read([("H1", 2019, "02074", "Phong Huân", "Bản Cuôn", 4, 130, 20),
                ("H2", 2019, "02023", "Xuân Lạc", "Bản Nà", 3, 160, 0)], store=st)
    assert y19.ok, y19.errors
    st.import_intake(y19, imported_by="Tổ công tác")
    # the same households a year later in the successors: not "an id of another commune"
    y20 = read([("H1", 2020, "02083", "Xã Yên Phong", "Bản Cuôn", 4, 125, 30),
                ("H2", 2020, "02023", "Xã Xuân Lạc", "Bản Nà", 3, 160, 0)], store=st)
    assert y20.ok, y20.errors
    st.import_intake(y20, imported_by="Tổ công tác")
    y26 = read([("H1", 2026, "02083", "Xã Yên Phong", "Bản Cuôn", 4, 125, 30),
                ("H2", 2026, "02026", "Nam Cường", "Bản Nà", 3, 100, 10)], store=st)
    assert y26.ok, y26.errors
    st.import_intake(y26, imported_by="Tổ công tác")
    data = st.load().sort_values(["year", "household_id"])
    got = data[["year", "household_id", "commune_code", "commune_name", "district_code", "province_code",
                "standard"]].astype(object)
    rows = [[int(y), h, c, n, None if pd.isna(d) else d, p, s] for y, h, c, n, d, p, s in got.values.tolist()]
    assert rows == [
        [2019, "H1", "02074", "Xã Phong Huân", "064", "06", "QD59_2015"],
        [2019, "H2", "02023", "Xã Xuân Lạc", "064", "06", "QD59_2015"],
        [2020, "H1", "02083", "Xã Yên Phong", "064", "06", "QD59_2015"],
        [2020, "H2", "02023", "Xã Xuân Lạc", "064", "06", "QD59_2015"],
        [2026, "H1", "02083", "Xã Yên Phong", None, "19", "ND07_2021"],
        [2026, "H2", "02026", "Xã Nam Cường", None, "19", "ND07_2021"],
    ]
    panel = st.load_panel()
    assert len(panel) == 6 and panel["status"].notna().all()
    # the same id in two communes of one year is still refused
    clash = read([("H2", 2026, "02020", "Xã Chợ Đồn", "Tổ 1", 3, 100, 10)], store=st)
    assert checks_of(clash) == [[2, "Mã hộ", "id_other_commune"]]
    assert "02026 Xã Nam Cường trong năm 2026" in clash.errors.loc[0, "message_vi"]


def test_replace_and_undo_across_years(tmp_path):
    st = Store(tmp_path / "s")
    st.import_intake(read([("H1", 2019, "02023", "", "Bản Nà", 3, 130, 20)]), imported_by="A")          # v1
    st.import_intake(read([("H1", 2026, "02026", "", "Bản Nà", 3, 130, 20),
                           ("H2", 2026, "02026", "", "Bản Nà", 3, 130, 20)]), imported_by="A")           # v2
    st.import_intake(read([("H3", 2026, "02026", "", "Bản Nà", 3, 130, 20)]), imported_by="A")          # v3
    keys = st.load()[["year", "household_id"]].values.tolist()
    assert keys == [[2019, "H1"], [2026, "H3"]]  # 02026/2026 replaced, 02023/2019 kept
    st.undo(3, imported_by="B")
    assert st.load()[["year", "household_id"]].values.tolist() == [[2019, "H1"], [2026, "H1"], [2026, "H2"]]
    st.undo(1, imported_by="B")
    assert st.load()[["year", "household_id"]].values.tolist() == [[2026, "H1"], [2026, "H2"]]


@pytest.mark.parametrize("year,code", [(2019, "02083"), (2020, "02083"), (2026, "02083")])
def test_template_description_does_not_name_one_list(year, code):
    spec = next(s for s in pio.schema.columns("household") if s.name == "commune_code")
    assert "2019" not in spec.description("vi") and "31/12" in spec.description("vi")
    assert read([("H1", year, code, "", "Tổ 1", 3, 130, 20)]).ok
