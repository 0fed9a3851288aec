"""Member-defined indicators of Decree 07/2021 on hand-made households: edge ages and missing answers.

Review year 2023, so age = 2023 − birth year. Rules: povlib/rules/intake/members_ND07_2021.toml.
"""
from __future__ import annotations

import pandas as pd
import pytest

from povlib import intake as pio
from povlib.intake.members import derive_person_indicators, person_indicators
from povlib.intake.schema import member_rules

Y = 2023
RULES = member_rules("ND07_2021")


def person(age, *, school=0, level=4, insured=1, hid="H1", **answers):
    return {"household_id": hid, "year": Y, "birth_year": Y - age, "in_school": school, "education_level": level,
            "has_health_insurance": insured, **answers}


def derive(*people, **cols) -> pd.DataFrame:
    df = pd.DataFrame(list(people))
    for c in ("in_school", "education_level", "has_health_insurance", "vocational", "behind_grade", "unemployed",
              "wage_without_contract", "no_work_capacity", "malnourished"):
        if c in df:
            df[c] = df[c].astype("Int64")
    return derive_person_indicators(df, RULES).set_index("household_id")


def value(d, hid, ind):
    v = d.loc[hid, ind]
    return None if pd.isna(v) else int(v)


def test_rules_are_data_marked_unconfirmed():
    assert RULES["standard"] == "ND07_2021" and "07/2021" in RULES["legal_source"]
    assert all(RULES[i]["confirmed"] is False for i in RULES["indicators"])
    assert person_indicators("ND07_2021") == ("employment", "dependants", "nutrition", "health_insurance",
                                              "adult_education", "child_schooling")


@pytest.mark.parametrize("age,deprived", [(5, 0), (6, 1), (40, 1)])
def test_health_insurance_from_age_6(age, deprived):
    d = derive(person(age, insured=0, school=1), person(40, insured=1))
    assert value(d, "H1", "health_insurance") == deprived


@pytest.mark.parametrize("age,level,expected", [
    (15, 0, 0),   # under 16: not this indicator
    (16, 1, 1),   # 16, lower secondary not completed, not in school
    (16, 2, 0),   # 16 with lower secondary
    (17, 2, 0),
    (18, 2, 1),   # 18: upper secondary expected (no trade known: vocational = 0)
    (18, 3, 0),
    (30, 2, 1),   # 30 is still in the band
    (31, 0, 0),   # 31: out of it
])
def test_adult_education_by_age_band(age, level, expected):
    d = derive(person(age, level=level, vocational=0))
    assert value(d, "H1", "adult_education") == expected


def test_adult_education_in_school_or_with_a_trade_is_not_deprived_and_unknown_trade_is_unknown():
    assert value(derive(person(20, level=2, school=1, vocational=0)), "H1", "adult_education") == 0
    assert value(derive(person(20, level=2, vocational=1)), "H1", "adult_education") == 0
    # no vocational column: an 18–30-year-old without upper secondary is unknown; 16–17 never needs it
    assert value(derive(person(20, level=2)), "H1", "adult_education") is None
    assert value(derive(person(17, level=1)), "H1", "adult_education") == 1
    assert value(derive(person(20, level=3)), "H1", "adult_education") == 0


@pytest.mark.parametrize("age,school,behind,expected", [
    (2, 0, 0, 0),   # under 3
    (3, 0, 0, 1),   # exactly 3, not in school
    (3, 1, 0, 0),
    (10, 1, 1, 1),  # in school, but below the grade for the age
    (15, 0, 0, 1),
    (16, 0, 0, 0),  # exactly 16: out of the band
])
def test_child_schooling_3_to_under_16(age, school, behind, expected):
    d = derive(person(age, school=school, behind_grade=behind), person(40))
    assert value(d, "H1", "child_schooling") == expected


def test_child_in_school_with_unknown_grade_is_unknown_unless_another_child_is_deprived():
    d = derive(person(10, school=1, behind_grade=None), person(40), person(8, school=1, behind_grade=0, hid="H2"))
    assert value(d, "H1", "child_schooling") is None and value(d, "H2", "child_schooling") == 0
    d = derive(person(10, school=1, behind_grade=None), person(12, school=0, behind_grade=0))
    assert value(d, "H1", "child_schooling") == 1


def test_employment_of_working_age_members():
    d = derive(person(14, unemployed=1, wage_without_contract=0),                        # too young
               person(40, unemployed=0, wage_without_contract=0, hid="H2"),
               person(40, unemployed=0, wage_without_contract=1, hid="H3"),
               person(15, unemployed=1, wage_without_contract=0, hid="H4"),               # exactly 15
               person(57, unemployed=1, wage_without_contract=0, sex="female", hid="H5"),  # past 56 for women
               person(57, unemployed=1, wage_without_contract=0, sex="male", hid="H6"),
               person(57, unemployed=1, wage_without_contract=0, hid="H7"))               # sex unknown: unknown
    assert [value(d, h, "employment") for h in ("H1", "H2", "H3", "H4", "H5", "H6", "H7")] == [0, 0, 1, 1, 0, 1, None]
    # no answer columns: not derived
    assert value(derive(person(40)), "H1", "employment") is None


def test_dependants_more_than_half():
    two_of_four = derive(person(10, school=1, no_work_capacity=0), person(70, no_work_capacity=0),
                         person(40, no_work_capacity=0), person(40, no_work_capacity=0))
    assert value(two_of_four, "H1", "dependants") == 0          # exactly half is not more than half
    three_of_four = derive(person(10, school=1, no_work_capacity=0), person(70, no_work_capacity=0),
                           person(40, no_work_capacity=1), person(40, no_work_capacity=0))
    assert value(three_of_four, "H1", "dependants") == 1
    unknown = derive(person(10, school=1, no_work_capacity=0), person(70, no_work_capacity=0),
                     person(40, no_work_capacity=None), person(40, no_work_capacity=0))
    assert value(unknown, "H1", "dependants") is None          # 2 known + 1 unknown of 4: could be 3
    edge = derive(person(16, no_work_capacity=0), person(59, no_work_capacity=0), person(60, no_work_capacity=0))
    assert value(edge, "H1", "dependants") == 0                # 16 is no longer a child, 60 is elderly: 1 of 3


def test_nutrition_of_children_under_16():
    d = derive(person(5, school=1, malnourished=1), person(30),
               person(16, malnourished=1, hid="H2"), person(30, hid="H2", malnourished=0),
               person(5, school=1, malnourished=None, hid="H3"))
    assert [value(d, h, "nutrition") for h in ("H1", "H2", "H3")] == [1, 0, None]


# ---------------------------------------------------------------------------------------------
# through read_intake: a 2023 household file with a member file
# ---------------------------------------------------------------------------------------------
HH = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu", "Điểm A", "Điểm B", "Bảo hiểm y tế",
      "Tình trạng đi học của trẻ em"]
MEM = ["Mã hộ", "Năm sinh", "Đang đi học", "Trình độ học vấn cao nhất", "Có thẻ BHYT",
       "Đi học không đúng cấp/lớp theo độ tuổi"]


def csv(head, rows) -> bytes:
    return ("\n".join(",".join(str(c) for c in r) for r in [head, *rows]) + "\n").encode()


def test_a_stated_indicator_that_disagrees_with_the_members_is_a_problem_not_overwritten():
    hh = csv(HH, [["H1", 2023, "02020", "Tổ 1", "Nông thôn", 2, 130, 20, 0, 0],
                  ["H2", 2023, "02020", "Tổ 1", "Nông thôn", 2, 130, 20, "", ""]])
    mem = csv(MEM, [["H1", 2017, "Không", 1, "Không", "Không"], ["H1", 1990, "Không", 3, "Có", ""],
                    ["H2", 2017, "Có", 1, "Có", "Có"], ["H2", 1990, "Không", 3, "Có", ""]])
    r = pio.read_intake(hh, mem, file_name="h.csv", member_file_name="m.csv")
    bad = r.errors[r.errors["check"] == "contradicts_members"]
    assert bad[["row", "column"]].values.tolist() == [[2, "Bảo hiểm y tế"], [2, "Tình trạng đi học của trẻ em"]]
    assert bad["value"].tolist() == ["0", "0"]
    assert "mâu thuẫn với kết quả tính từ tệp thành viên m.csv" in bad["message_vi"].iloc[0]
    assert r.households.loc[0, "health_insurance"] == 0        # kept as written, the row is rejected
    assert r.rejected.tolist() == [True, False]
    # H2: its blanks are filled from the members (child in school but behind: deprived); the indicators the
    # member file cannot tell (employment, nutrition…: no answer columns) stay blank, score B counts them
    h2 = r.valid.iloc[0]
    assert (int(h2["health_insurance"]), int(h2["child_schooling"])) == (0, 1)
    assert pd.isna(h2["employment"]) and int(h2["b2_score"]) == 20
