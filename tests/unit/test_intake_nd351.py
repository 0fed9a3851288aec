"""Decree 351/2025 review files (the reviews of 2027–2030): its template, its 12 indicators, income required.

The standard is provisional (its annex was not read, no review circular for 2027 was found): the template
prints its 12 indicators (waste treatment and telecom/digital services among them) and the 2022 form's score
names; score A has no published or confirmed thresholds, so a household with score A and no income is refused at import
instead of being stored where it could never be classified; a member file derives the six person-based
indicators with Decree 07/2021's cut-offs, carried forward (``members_ND351_2025.toml``, ``base``), but the
working age of the retirement age of 2027–2030.
"""
from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from povlib import classify_households, standards
from povlib import intake as pio
from povlib.errors import PovlibInputError
from povlib.intake import Store
from povlib.intake.members import derive_person_indicators, person_indicators
from povlib.intake.schema import member_rules

ND351 = standards.get("ND351_2025")
ND07 = standards.get("ND07_2021")
BASE = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu"]
INCOME = "Thu nhập bình quân (đồng/người/tháng)"
CODE = "01933"  # Xã Đồng Phúc (the 2025 units): a commune of the district demo in 2026


def read(head: list[str], rows: list[list], **kw):
    text = "\n".join(",".join(str(c) for c in r) for r in [head, *rows]) + "\n"
    return pio.read_intake(text.encode(), file_name="xa.csv", **kw)


def row(hid="H1", year=2027, *rest, members=4):
    return [hid, year, CODE, "Tổ 1", "Nông thôn", members, *rest]


def test_the_template_of_2027_has_the_12_indicators_and_asks_for_income(tmp_path):
    paths = {p.name: p for p in pio.write_templates(tmp_path)}
    wb = openpyxl.load_workbook(paths["household_template_ND351_2025.xlsx"])
    head = [c.value for c in wb.worksheets[0][1]]
    labels = [ND351.indicator(i).label("vi") for i in ND351.indicator_ids]
    assert [h for h in head if h in labels] == labels and len(labels) == 12
    assert "Xử lý rác thải sinh hoạt" in head and "Sử dụng dịch vụ viễn thông và dịch vụ số" in head
    assert ND07.indicator("info_access").label("vi") not in head     # removed by the new standard
    assert "Điểm A" in head and "Điểm B" in head and "Điểm B2" not in head
    notes = {r[2]: r for r in wb["Hướng dẫn"].iter_rows(values_only=True) if r[2]}
    assert "351/2025" in notes["b2_score"][5] and "12 chỉ số" in notes["b2_score"][5]
    assert "chưa được công bố hoặc xác nhận" in notes["b1_score"][5]
    assert notes["income"][3] == "Bắt buộc (chuẩn này chưa có ngưỡng Điểm A được công bố hoặc xác nhận)"
    assert notes["income"][5].startswith("Thu nhập bình quân đầu người một tháng, đồng. Bắt buộc")
    assert notes["b1_score"][3] == "Không dùng để phân loại (chuẩn này chưa có ngưỡng Điểm A được công bố hoặc xác nhận)"
    assert notes["b2_score"][3] == "Cần đủ các cột chỉ số hoặc Điểm B"
    assert "ND351_2025" in notes["standard"][5]
    # the other templates name their own scores where they say what is required
    old = {r[2]: r for r in openpyxl.load_workbook(paths["household_template.xlsx"])["Hướng dẫn"]
           .iter_rows(values_only=True) if r[2]}
    assert old["income"][3] == "Cần thu nhập hoặc Điểm B1" and old["b2_score"][3] == "Cần đủ các cột chỉ số hoặc Điểm B2"
    assert old["income"][5] == "Thu nhập bình quân đầu người một tháng, đồng (cần cột này hoặc Điểm B1)"
    nd07 = {r[2]: r for r in openpyxl.load_workbook(paths["household_template_ND07_2021.xlsx"])["Hướng dẫn"]
            .iter_rows(values_only=True) if r[2]}
    assert nd07["income"][3] == "Cần thu nhập hoặc Điểm A" and nd07["income"][5].endswith("(cần cột này hoặc Điểm A)")
    committed = openpyxl.load_workbook(pio.TEMPLATE_DIR / "household_template_ND351_2025.xlsx")
    assert [c.value for c in committed.worksheets[0][1]] == head
    assert {r[2]: r[3] for r in committed["Hướng dẫn"].iter_rows(values_only=True) if r[2]}["income"] == notes["income"][3]


@pytest.fixture(scope="module")
def review_2027(demo) -> pd.DataFrame:
    """150 households of the demo's 2026 review as a 2027 review under Decree 351/2025 (its 12 indicators)."""
    d = demo[(demo["year"] == 2026) & (demo["commune_code"].astype(str) == CODE)].head(150).copy()
    rng = np.random.default_rng(2027)
    d["year"] = 2027
    d["standard"] = "ND351_2025"
    for c in ("waste_treatment", "digital_services"):
        d[c] = pd.array(rng.integers(0, 2, len(d)), dtype="Int8")
    d["b1_score"] = pd.NA
    d["b2_score"] = pd.NA
    return d


def test_a_filled_2027_template_is_stored_and_classified_under_the_new_standard(review_2027, tmp_path):
    res = pio.read_intake(pio.export_to_template(review_2027, standard="ND351_2025"), file_name="xa_2027.xlsx")
    assert res.ok, res.errors.head()
    assert res.valid["standard"].astype(str).unique().tolist() == ["ND351_2025"]
    store = Store(tmp_path)
    store.import_intake(res, imported_by="Kiểm thử")
    panel = store.load_panel().sort_values("household_id").reset_index(drop=True)
    ref = classify_households(review_2027.drop(columns=["status"], errors="ignore"), "ND351_2025")
    ref = ref.assign(household_id=review_2027["household_id"].to_numpy()).sort_values("household_id")
    assert panel["status"].astype(str).tolist() == ref["status"].astype(str).tolist()
    assert panel["deprivation_count"].tolist() == ref["deprivation_count"].tolist()
    # the count is over the 12 indicators: the two new ones count
    twelve = review_2027[list(ND351.indicator_ids)].astype(int).sum(axis=1).sort_index()
    assert sorted(panel["deprivation_count"].tolist()) == sorted(twelve.tolist())
    assert (review_2027[["waste_treatment", "digital_services"]].astype(int).sum(axis=1) > 0).any()


def test_score_a_without_income_is_refused_under_a_standard_without_thresholds():
    r = read(BASE + ["Điểm A", "Điểm B"], [row("H1", 2027, 130, 30), row("H2", 2026, 130, 30)])
    assert r.errors[["row", "column", "check"]].values.tolist() == [[1, "Điểm A", "no_score_thresholds"]]
    msg = r.errors.loc[0, "message_vi"]
    assert "Chuẩn nghèo đa chiều giai đoạn 2026–2030" in msg and "'Điểm A'" in msg and "thu nhập" in msg
    assert "has no published or confirmed thresholds for 'Điểm A'" in r.errors.loc[0, "message_en"]
    assert r.valid.empty  # a problem of the file's columns, as a missing column: the file is refused
    # 2026 alone: Decree 07/2021 has score-A thresholds
    assert read(BASE + ["Điểm A", "Điểm B"], [row("H2", 2026, 130, 30)]).ok
    # a file of 2027 without an income column: one problem at the header, every row of 2027 refused
    r = read(BASE + ["Điểm A", "Điểm B"], [row(f"H{i}", 2027, 130, 30) for i in range(5)])
    assert r.errors[["row", "column", "check", "value"]].values.tolist() == [[1, "Điểm A", "no_score_thresholds", ""]]
    assert r.valid.empty
    # with the income column: the row whose income is blank is named at its income cell (no value there)
    r = read(BASE + [INCOME, "Điểm A", "Điểm B"], [row("H1", 2027, "", 130, 30), row("H2", 2027, 1_900_000, "", 30)])
    assert r.errors[["row", "column", "check", "value"]].values.tolist() == [[2, INCOME, "no_score_thresholds", ""]]
    assert r.valid["household_id"].tolist() == ["H2"]


@pytest.mark.parametrize(("cells", "check"), [
    ((2027, "abc", 130, 30, ""), "wrong_type"),                    # income not a number
    ((2027, "", 5000, 30, ""), "out_of_range"),                    # score A out of range
    ((2026, "", 130, 30, "ND351_2025"), "standard_not_in_force"),  # the standard of another year
    ((2027, "", 130, 30, "XYZ"), "unknown_standard"),              # no such standard (it raised before)
])
def test_a_row_refused_for_another_reason_gets_that_one_message(cells, check):
    r = read(BASE + [INCOME, "Điểm A", "Điểm B", "Chuẩn nghèo"], [row("H1", *cells)])
    assert r.errors["check"].tolist() == [check]


def test_no_income_under_each_standard_names_its_score_or_says_income_is_required():
    r = read(BASE + [INCOME, "Điểm A", "Điểm B"], [row("H1", 2027, "", "", 30), row("H2", 2026, "", "", 30),
                                                   row("H3", 2019, "", "", 30)])
    assert r.errors[["row", "check"]].values.tolist() == [[2, "no_income_required"], [3, "no_income"], [4, "no_income"]]
    vi = r.errors["message_vi"].tolist()
    assert "thu nhập là bắt buộc" in vi[0] and "'Điểm A'" in vi[1] and "'Điểm B1'" in vi[2]


def test_a_refused_score_a_row_never_reaches_the_store(tmp_path):
    store = Store(tmp_path)
    r = read(BASE + [INCOME, "Điểm B"], [row("H1", 2027, 1_900_000, 30)])
    store.import_intake(r, imported_by="Kiểm thử")
    bad = read(BASE + ["Điểm A", "Điểm B"], [row("H2", 2027, 130, 30)], store=store)
    assert not bad.ok
    with pytest.raises(PovlibInputError):  # no valid row to import
        store.import_intake(bad, imported_by="Kiểm thử")
    assert store.load_panel()["household_id"].tolist() == ["H1"]  # still loads and classifies


MEMBERS = ["Mã hộ", "Năm sinh", "Giới tính", "Đang đi học", "Trình độ học vấn cao nhất", "Có thẻ BHYT", "Thất nghiệp",
           "Làm công ăn lương không có hợp đồng lao động", "Không có khả năng lao động", "Trẻ suy dinh dưỡng",
           "Đi học không đúng cấp/lớp theo độ tuổi", "Có bằng/chứng chỉ đào tạo nghề"]


def test_a_member_file_derives_the_person_indicators_with_the_2022_cut_offs_and_the_later_retirement_age():
    rules = member_rules("ND351_2025")
    assert (rules["base"], rules["derive"]) == ("ND07_2021", "ND07_2021")
    assert person_indicators("ND351_2025") == person_indicators("ND07_2021")
    others = [ND351.indicator(i).label("vi") for i in ND351.indicator_ids if i not in person_indicators("ND351_2025")]
    hh = ",".join(BASE + [INCOME, *others]) + "\n" + ",".join(map(str, row("H1", 2027, 1_500_000, 1, 1, 0, 0, 0, 1, members=2))) + "\n"
    mem = (",".join(MEMBERS) + "\nH1,1980,Nam,Không,1,Có,Có,Không,Không,Không,Không,Không\n"
           "H1,2015,Nữ,Có,1,Không,Không,Không,Không,Không,Không,Không\n")
    r = pio.read_intake(hh.encode(), file_name="h.csv", members=mem.encode(), member_file_name="m.csv")
    assert r.ok, r.errors
    got = r.valid.iloc[0]
    assert (got["employment"], got["health_insurance"], got["dependants"]) == (1, 1, 0)
    # the same members under Decree 07/2021's rules give the same indicators ...
    m = pd.DataFrame({"household_id": ["H1", "H1"], "year": [2027, 2027], "birth_year": [1980, 2015],
                      "sex": ["male", "female"], "in_school": [False, True], "education_level": [1, 1],
                      "has_health_insurance": [True, False], "unemployed": [True, False],
                      "wage_without_contract": [False, False], "no_work_capacity": [False, False],
                      "malnourished": [False, False], "behind_grade": [False, False], "vocational": [False, False]})
    a = derive_person_indicators(m, rules)
    pd.testing.assert_frame_equal(a, derive_person_indicators(m, member_rules("ND07_2021")))
    assert [int(got[c]) for c in person_indicators("ND351_2025")] == [int(a.iloc[0][c]) for c in person_indicators("ND351_2025")]
    # ... but the working age follows the retirement age of 2027 (Decree 135/2020): an unemployed woman of 57
    # is of working age under the 2027 rules, not under those written for 2022–2026 (below 56)
    woman = m.iloc[[0]].assign(birth_year=2027 - 57, sex="female")
    assert int(derive_person_indicators(woman, rules).iloc[0]["employment"]) == 1
    assert int(derive_person_indicators(woman, member_rules("ND07_2021")).iloc[0]["employment"]) == 0
    rules["employment"]["min_age"] = 99  # a copy: the rules in use do not change
    assert member_rules("ND351_2025")["employment"]["min_age"] == 15


def test_the_preview_of_a_2027_file_names_the_columns_as_its_form_does():
    from povlib.intake.review import preview_display

    r = read(BASE + [INCOME, "Điểm B"], [row("H1", 2027, 1_000_000, 30)])
    cols = preview_display(r.valid).columns.tolist()
    assert "Điểm A" in cols and "Điểm B" in cols and "Điểm B2" not in cols


@pytest.mark.parametrize(("years", "kw", "check", "said"), [
    ((2027, 2027), {}, "no_income_required", "thu nhập là bắt buộc"),        # Decree 351/2025: income only
    ((2026,), {}, "missing_income_column", "'Điểm A'"),                         # the 2022 form's score A
    ((2019,), {}, "missing_income_column", "'Điểm B1'"),                        # Decision 59/2015's B1
    ((2026, 2027), {}, "missing_income_column", "'Điểm B1'"),                   # two forms: the column table's
])
def test_a_file_without_income_or_score_names_what_its_form_asks_for(years, kw, check, said):
    """A file with neither the income nor the score column: the message names the column of the file's form.
    It named 'Điểm B1' for a 2027 file, which must give the income (no score-A thresholds are known)."""
    r = read(BASE + ["Điểm B"], [row(f"H{i}", y, 30) for i, y in enumerate(years)], **kw)
    got = r.errors[r.errors["column"] == INCOME]
    assert got["check"].tolist() == [check] and said in got["message_vi"].iloc[0], r.errors
    assert r.valid.empty
    # a standard column left blank: the years decide, as they do for each row
    r = read(BASE + ["Điểm B", "Chuẩn nghèo"], [row(f"H{i}", y, 30, "") for i, y in enumerate(years)], **kw)
    got = r.errors[r.errors["column"] == INCOME]
    assert got["check"].tolist() == [check] and said in got["message_vi"].iloc[0], r.errors
