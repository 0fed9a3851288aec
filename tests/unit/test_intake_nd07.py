"""Decree 07/2021 review files (2022–2026): score A / score B or the 12 indicators, the standard of the year.

Score A is the income proxy of form B (the column ``b1_score``), score B 10 points per deprived indicator of
the 12 (``b2_score``): 0–120, a multiple of 10, equal to 10 × the indicators when both are given.
"""
from __future__ import annotations

import openpyxl
import pytest

from povlib import intake as pio
from povlib import standards

ND07 = standards.get("ND07_2021")
QD59 = standards.get("QD59_2015")
BASE = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu"]


def label(ind: str, std=ND07) -> str:
    return std.indicator(ind).label("vi")


def read(head: list[str], rows: list[list], **kw):
    text = "\n".join(",".join(str(c) for c in r) for r in [head, *rows]) + "\n"
    return pio.read_intake(text.encode(), file_name="xa.csv", **kw)


def checks_of(r):
    return r.errors[["row", "column", "check"]].values.tolist()


def row(hid="H1", year=2023, code="02020", *rest):
    return [hid, year, code, "Tổ 1", "Nông thôn", 4, *rest]


def test_scores_a_and_b_with_their_form_names():
    r = read(BASE + ["Điểm A", "Điểm B"], [row("H1", 2023, "02020", 130, 30), row("H2", 2026, "02020", 176, 0)])
    assert r.ok, r.errors
    v = r.valid
    assert v["b1_score"].tolist() == [130, 176] and v["b2_score"].tolist() == [30, 0]
    assert v["standard"].astype(str).tolist() == ["ND07_2021"] * 2


@pytest.mark.parametrize("b,check", [(120, None), (130, "out_of_range"), (35, "not_multiple"), (-10, "out_of_range")])
def test_score_b_is_a_multiple_of_10_up_to_120(b, check):
    r = read(BASE + ["Điểm A", "Điểm B"], [row("H1", 2023, "02020", 130, b)])
    assert r.errors["check"].tolist() == ([] if check is None else [check])


def test_score_b_over_100_is_refused_under_decision_59():
    r = read(BASE + ["Điểm B1", "Điểm B2"], [row("H1", 2019, "02020", 130, 110)])
    assert checks_of(r) == [[2, "Điểm B2", "out_of_range"]]


@pytest.mark.parametrize("a,ok", [(0, True), (1000, True), (1001, False), (-1, False)])
def test_score_a_within_range(a, ok):
    r = read(BASE + ["Điểm A", "Điểm B"], [row("H1", 2023, "02020", a, 30)])
    assert r.ok is ok
    if not ok:
        assert checks_of(r) == [[2, "Điểm A", "out_of_range"]]


def test_the_12_indicators_instead_of_score_b():
    head = BASE + ["Điểm A"] + [label(i) for i in ND07.indicator_ids]
    deprived = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    r = read(head, [row("H1", 2024, "02020", 120, *deprived)])
    assert r.ok, r.errors
    assert [int(r.valid.loc[0, i]) for i in ND07.indicator_ids] == deprived
    # with score B too, they must agree
    r = read(head + ["Điểm B"], [row("H1", 2024, "02020", 120, *deprived, 20)])
    assert checks_of(r) == [[2, "Điểm B", "b2_mismatch"]]
    assert r.errors.loc[0, "message_vi"].startswith("Điểm B = 20 không bằng 10 điểm")  # the file's name of the score
    assert read(head + ["Điểm B"], [row("H1", 2024, "02020", 120, *deprived, 30)]).ok


def test_the_10_indicators_of_decision_59_do_not_make_an_nd07_file():
    head = BASE + ["Điểm A"] + [label(i, QD59) for i in QD59.indicator_ids]
    r = read(head, [row("H1", 2023, "02020", 120, *[0] * 10)])
    missing = sorted(c for c in r.errors.loc[r.errors["check"] == "missing_indicator_column", "column"])
    assert missing == sorted(label(i) for i in ("employment", "dependants", "nutrition", "info_access"))
    msg = r.errors.loc[r.errors["check"] == "missing_indicator_column", "message_vi"].iloc[0]
    assert "'Điểm B'" in msg and "B2" not in msg
    # a 2019 row of the same file is fine: its standard has these 10
    assert read(head, [row("H1", 2019, "02020", 120, *[0] * 10)]).ok


def test_a_standard_column_must_name_the_standard_of_the_year():
    head = BASE + ["Điểm A", "Điểm B", "Chuẩn nghèo"]
    r = read(head, [row("H1", 2023, "02020", 130, 30, "QD59_2015"), row("H2", 2023, "02020", 130, 30, "ND07_2021"),
                    row("H3", 2019, "02020", 130, 30, "ND07_2021"), row("H4", 2023, "02020", 130, 30, "")])
    assert checks_of(r) == [[2, "Chuẩn nghèo", "standard_not_in_force"], [4, "Chuẩn nghèo", "standard_not_in_force"]]
    assert "năm 2023 áp dụng: ND07_2021" in r.errors.loc[0, "message_vi"]
    assert r.valid["standard"].astype(str).tolist() == ["ND07_2021", "ND07_2021"]


def test_nd07_template_has_its_indicators_scores_and_notes(tmp_path):
    paths = pio.write_templates(tmp_path)
    assert [p.name for p in paths] == ["household_template.xlsx", "household_template_ND07_2021.xlsx",
                                       "household_template_ND351_2025.xlsx", "member_template.xlsx"]
    wb = openpyxl.load_workbook(paths[1])
    assert wb.sheetnames == ["Hộ gia đình", "Hướng dẫn"]
    head = [c.value for c in wb.worksheets[0][1]]
    assert "Điểm A" in head and "Điểm B" in head and "Điểm B2" not in head
    assert [h for h in head if h in {label(i) for i in ND07.indicator_ids}] == [label(i) for i in ND07.indicator_ids]
    assert label("info_assets", QD59) not in head
    notes = {r[2]: r for r in wb["Hướng dẫn"].iter_rows(values_only=True) if r[2]}
    assert "12 chỉ số" in notes["b2_score"][5] and "120" in notes["b2_score"][5]
    committed = openpyxl.load_workbook(pio.TEMPLATE_DIR / paths[1].name)
    assert [c.value for c in committed.worksheets[0][1]] == head
    # a filled ND07 template reads back unchanged
    r = read(BASE + ["Điểm A", "Điểm B"], [row("H1", 2025, "02020", 150, 40)])
    back = pio.read_intake(pio.export_to_template(r.valid, standard="ND07_2021"), file_name="x.xlsx")
    assert back.ok, back.errors
    assert back.valid[["b1_score", "b2_score"]].values.tolist() == [[150, 40]]
