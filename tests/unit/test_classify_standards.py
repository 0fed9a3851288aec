"""Legal boundaries of every standard on both input paths (issue 12 items 1 and 3).

Decision 59/2015 (income and B1/B2), Decree 07/2021 (income and indicators; score A and score B, no income-only
branch) and Decree 351/2025 (income and indicators; no known score thresholds: the score path refuses), a
province's local standard, the standard of each review year, and two properties over random households: no
income-only poor where the law has no such branch, and more income never makes a household poorer.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from povlib import PovlibInputError, classify_households, standards

LOCAL = "DN_ND07_local_example"
RANK = {"poor": 0, "near_poor": 1, "non_poor": 2}


def _income(std_id: str, area: str, income: int, deprived: int, *, indicators: bool = True) -> pd.DataFrame:
    """One household on the income path: the first ``deprived`` indicators set, or only ``b2_score``."""
    std = standards.get(std_id)
    row = {"area": area, "income": income}
    if indicators:
        row |= {c: int(j < deprived) for j, c in enumerate(std.indicator_ids)}
    else:
        row["b2_score"] = deprived * std.points_per_deprivation
    return pd.DataFrame([row])


def _scores(area: str, b1: int, b2: int) -> pd.DataFrame:
    return pd.DataFrame({"area": [area], "b1_score": [b1], "b2_score": [b2]})


def _status(df: pd.DataFrame, std_id: str) -> tuple[str, object]:
    out = classify_households(df, std_id).iloc[0]
    via = out["poor_via"]
    return out["status"], (None if pd.isna(via) else via)


# --- Decree 07/2021: income path -------------------------------------------------------------------------------
# (area, income, deprivations, status): poor = within the line AND 3+; near-poor = within the line AND < 3
ND07_INCOME = [
    ("rural", 1_500_000, 3, "poor"),
    ("rural", 1_500_000, 2, "near_poor"),
    ("rural", 1_500_001, 3, "non_poor"),
    ("rural", 1_500_001, 12, "non_poor"),
    ("rural", 0, 0, "near_poor"),          # no income-only branch: the poorest household without deprivations
    ("rural", 700_000, 2, "near_poor"),    # income-poor under Decision 59/2015, near-poor here
    ("urban", 2_000_000, 3, "poor"),
    ("urban", 2_000_000, 2, "near_poor"),
    ("urban", 2_000_001, 3, "non_poor"),
    ("urban", 1_600_000, 0, "near_poor"),  # above the rural line, within the urban one
]


@pytest.mark.parametrize("indicators", [True, False], ids=["indicators", "b2"])
@pytest.mark.parametrize("area,income,d,status", ND07_INCOME)
def test_nd07_income_boundaries(area, income, d, status, indicators):
    got, via = _status(_income("ND07_2021", area, income, d, indicators=indicators), "ND07_2021")
    assert got == status
    assert via == ("deprivation" if status == "poor" else None)


# --- Decree 07/2021: score path (A in b1_score, B in b2_score) --------------------------------------------------
ND07_SCORES = [
    ("rural", 140, 30, "poor"),
    ("rural", 140, 20, "near_poor"),
    ("rural", 141, 30, "non_poor"),
    ("rural", 141, 120, "non_poor"),
    ("rural", 0, 0, "near_poor"),
    ("rural", 120, 20, "near_poor"),       # B1 120 is income-poor under Decision 59/2015; not here
    ("urban", 175, 30, "poor"),
    ("urban", 175, 20, "near_poor"),
    ("urban", 176, 30, "non_poor"),
    ("urban", 150, 0, "near_poor"),        # above the rural threshold, within the urban one
]


@pytest.mark.parametrize("area,a,b,status", ND07_SCORES)
def test_nd07_score_boundaries(area, a, b, status):
    got, via = _status(_scores(area, a, b), "ND07_2021")
    assert got == status
    assert via == ("deprivation" if status == "poor" else None)


def test_nd07_score_b_must_match_its_indicators_and_stay_in_range():
    df = _income("ND07_2021", "rural", 1_000_000, 3).drop(columns="income").assign(b1_score=100, b2_score=20)
    with pytest.raises(PovlibInputError, match="b2_score"):
        classify_households(df, "ND07_2021")
    with pytest.raises(PovlibInputError, match="b2_score"):
        classify_households(_scores("rural", 100, 130), "ND07_2021")  # 12 indicators: at most 120


# --- Decision 59/2015: the same boundaries on both paths (the law that had the income-only branch) ----------------
QD59_INCOME = [
    ("rural", 700_000, 0, "poor", "income"),
    ("rural", 700_001, 3, "poor", "deprivation"),
    ("rural", 700_001, 2, "near_poor", None),
    ("rural", 1_000_000, 3, "poor", "deprivation"),
    ("rural", 1_000_001, 10, "non_poor", None),
    ("urban", 900_000, 0, "poor", "income"),
    ("urban", 900_001, 2, "near_poor", None),
    ("urban", 1_300_000, 3, "poor", "deprivation"),
    ("urban", 1_300_001, 3, "non_poor", None),
]


@pytest.mark.parametrize("indicators", [True, False], ids=["indicators", "b2"])
@pytest.mark.parametrize("area,income,d,status,via", QD59_INCOME)
def test_qd59_income_boundaries(area, income, d, status, via, indicators):
    assert _status(_income("QD59_2015", area, income, d, indicators=indicators), "QD59_2015") == (status, via)


QD59_SCORES = [
    ("rural", 120, 0, "poor", "income"),
    ("rural", 121, 30, "poor", "deprivation"),
    ("rural", 121, 20, "near_poor", None),
    ("rural", 150, 30, "poor", "deprivation"),
    ("rural", 151, 100, "non_poor", None),
    ("urban", 140, 0, "poor", "income"),
    ("urban", 141, 20, "near_poor", None),
    ("urban", 175, 30, "poor", "deprivation"),
    ("urban", 176, 30, "non_poor", None),
]


@pytest.mark.parametrize("area,b1,b2,status,via", QD59_SCORES)
def test_qd59_score_boundaries(area, b1, b2, status, via):
    assert _status(_scores(area, b1, b2), "QD59_2015") == (status, via)


# --- Decree 351/2025 ---------------------------------------------------------------------------------------------
ND351_INCOME = [
    ("rural", 2_200_000, 3, "poor"),
    ("rural", 2_200_000, 2, "near_poor"),
    ("rural", 2_200_001, 3, "non_poor"),
    ("rural", 0, 0, "near_poor"),
    ("urban", 2_800_000, 3, "poor"),
    ("urban", 2_800_000, 2, "near_poor"),
    ("urban", 2_800_001, 12, "non_poor"),
    ("urban", 2_500_000, 0, "near_poor"),  # above the rural line, within the urban one
]


@pytest.mark.parametrize("indicators", [True, False], ids=["indicators", "b2"])
@pytest.mark.parametrize("area,income,d,status", ND351_INCOME)
def test_nd351_income_boundaries(area, income, d, status, indicators):
    got, via = _status(_income("ND351_2025", area, income, d, indicators=indicators), "ND351_2025")
    assert got == status
    assert via == ("deprivation" if status == "poor" else None)


def test_nd351_counts_its_own_indicators():
    """Waste treatment and digital services count; the Decree 07 means-of-information indicator does not."""
    df = _income("ND351_2025", "rural", 2_000_000, 0)
    df[["waste_treatment", "digital_services", "latrine"]] = 1
    df["info_access"] = 1  # a Decree 07 column: not an indicator of Decree 351
    out = classify_households(df, "ND351_2025").iloc[0]
    assert out["deprivation_count"] == 3 and out["status"] == "poor"
    df["waste_treatment"] = 0
    assert classify_households(df, "ND351_2025").iloc[0]["status"] == "near_poor"


def test_nd351_score_path_refuses_without_confirmed_thresholds():
    std = standards.get("ND351_2025")
    assert std.scores == {}
    for b1, b2 in ((0, 30), (140, 30)):
        with pytest.raises(PovlibInputError) as err:
            classify_households(_scores("rural", b1, b2), "ND351_2025")
        assert err.value.column == "b1_score"
        assert std.name("vi") in err.value.message("vi") and "b1_score" in err.value.message("vi")
        assert "income" in err.value.message("en")
    # the income path of the same households works
    assert _status(_income("ND351_2025", "rural", 2_000_000, 3, indicators=False), "ND351_2025")[0] == "poor"


def test_nd351_average_living_standard_is_unknown_above_the_line():
    df = pd.concat([_income("ND351_2025", "rural", inc, 0, indicators=False) for inc in (2_200_000, 2_200_001)])
    als = classify_households(df.reset_index(drop=True), "ND351_2025")["average_living_standard"]
    assert als.iloc[0] == False  # noqa: E712 - within the line: not of average living standard
    assert pd.isna(als.iloc[1])  # above it: not known under this standard, never a silent False


# --- a province's local standard ---------------------------------------------------------------------------------
LOCAL_CASES = [
    ("rural", 2_000_000, 2, "poor"),       # 2 deprivations suffice locally
    ("rural", 2_000_000, 1, "near_poor"),
    ("rural", 2_000_001, 2, "non_poor"),
    ("rural", 1_800_000, 2, "poor"),       # near-poor nationally (Decree 07: above 1,500,000)
    ("urban", 2_500_000, 2, "poor"),
    ("urban", 2_500_001, 12, "non_poor"),
]


@pytest.mark.parametrize("area,income,d,status", LOCAL_CASES)
def test_local_standard_boundaries(area, income, d, status):
    assert _status(_income(LOCAL, area, income, d), LOCAL)[0] == status


def test_local_standard_has_no_score_thresholds_of_its_own():
    with pytest.raises(PovlibInputError, match="b1_score"):
        classify_households(_scores("rural", 140, 30), LOCAL)


# --- the standard of each review year ------------------------------------------------------------------------------
@pytest.mark.parametrize("year,sid", [(2016, "QD59_2015"), (2019, "QD59_2015"), (2021, "QD59_2015"),
                                      (2022, "ND07_2021"), (2025, "ND07_2021"), (2027, "ND351_2025"),
                                      (2030, "ND351_2025")])
def test_standard_for_year(year, sid):
    assert standards.standard_for_year(year).id == sid


@pytest.mark.skipif(2026 not in standards.get("ND07_2021").review_years,
                    reason="2026 joins Decree 07's review years on the synth2026 branch")
def test_2026_is_reviewed_under_decree_07():
    assert standards.standard_for_year(2026).id == "ND07_2021"


def test_no_standard_after_2030():
    with pytest.raises(PovlibInputError, match="2031"):
        standards.standard_for_year(2031)


def test_a_household_classified_by_the_standard_of_its_year():
    """The same rural household (3 deprivations) over the years, each year under its own standard."""
    years = [2019, 2022, 2025, 2027]
    rows = []
    for income in (1_200_000, 1_800_000, 600_000):
        for y in years:
            sid = standards.standard_for_year(y).id
            rows.append({"year": y, "standard": sid, "area": "rural", "income": income,
                         "b2_score": 3 * standards.get(sid).points_per_deprivation})
    df = pd.DataFrame(rows)
    out = classify_households(df, None)
    got = {(r.income, r.year): r.status for r in out.itertuples()}
    # 1,200,000: above the 2016-2020 near-poor line; within the 2022 and 2027 lines
    assert [got[(1_200_000, y)] for y in years] == ["non_poor", "poor", "poor", "poor"]
    # 1,800,000: above Decree 07's rural line, within Decree 351's
    assert [got[(1_800_000, y)] for y in years] == ["non_poor", "non_poor", "non_poor", "poor"]
    # 600,000: income-poor under Decision 59 only
    vias = {(r.income, r.year): r.poor_via for r in out.itertuples()}
    assert [vias[(600_000, y)] for y in years] == ["income", "deprivation", "deprivation", "deprivation"]


# --- properties ----------------------------------------------------------------------------------------------------
_households = st.lists(
    st.tuples(st.sampled_from(["rural", "urban"]), st.integers(0, 4_000_000), st.integers(0, 12)),
    min_size=1, max_size=40,
)


def _frame(std_id: str, rows) -> pd.DataFrame:
    std = standards.get(std_id)
    k = len(std.indicators)
    return pd.DataFrame({"area": [a for a, _, _ in rows], "income": [i for _, i, _ in rows],
                         "b2_score": [min(d, k) * std.points_per_deprivation for _, _, d in rows]})


@settings(max_examples=60, deadline=None)
@given(rows=_households, sid=st.sampled_from(["ND07_2021", "ND351_2025", LOCAL]))
def test_no_income_only_poor_without_that_branch(rows, sid):
    std = standards.get(sid)
    out = classify_households(_frame(sid, rows), sid)
    poor = (out["status"] == "poor").to_numpy()
    assert not (out["poor_via"] == "income").any()
    assert (out.loc[poor, "deprivation_count"] >= std.deprivation_cutoff).all()
    line = out["area"].map({a: std.lines[a].poor for a in ("rural", "urban")}).to_numpy()
    within = out["income"].to_numpy() <= line
    assert not (poor & ~within).any() and not ((out["status"] == "near_poor").to_numpy() & ~within).any()


@settings(max_examples=60, deadline=None)
@given(rows=_households, raise_by=st.integers(1, 2_000_000),
       sid=st.sampled_from(["QD59_2015", "ND07_2021", "ND351_2025", LOCAL]))
@example(rows=[("rural", 1_000_000, 0), ("urban", 2_800_000, 3)], raise_by=1_000_000, sid="ND351_2025")
def test_more_income_never_makes_a_household_poorer(rows, raise_by, sid):
    df = _frame(sid, rows)
    before = classify_households(df, sid)["status"].map(RANK).to_numpy()
    after = classify_households(df.assign(income=df["income"] + raise_by), sid)["status"].map(RANK).to_numpy()
    assert (after >= before).all()


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["rural", "urban"]), st.integers(0, 400), st.integers(0, 12)),
                     min_size=1, max_size=40),
       raise_by=st.integers(1, 200), sid=st.sampled_from(["QD59_2015", "ND07_2021"]))
@example(rows=[("rural", 140, 2), ("urban", 175, 3)], raise_by=1, sid="ND07_2021")
def test_a_higher_score_a_never_makes_a_household_poorer(rows, raise_by, sid):
    k = len(standards.get(sid).indicators)
    df = pd.DataFrame({"area": [a for a, _, _ in rows], "b1_score": [b for _, b, _ in rows],
                       "b2_score": [10 * min(d, k) for _, _, d in rows]})
    before = classify_households(df, sid)["status"].map(RANK).to_numpy()
    after = classify_households(df.assign(b1_score=np.minimum(df["b1_score"] + raise_by, 1000)), sid)
    assert (after["status"].map(RANK).to_numpy() >= before).all()


def test_a_panel_across_standards_keeps_the_unknown_average_living_standard_missing():
    from povlib.panel import classify_panel

    df = pd.DataFrame({"standard": ["QD59_2015", "ND351_2025", "ND351_2025"], "area": ["rural"] * 3,
                       "income": [1_600_000, 2_000_000, 2_300_000], "b2_score": [30, 30, 0]}, index=[5, 3, 9])
    out = classify_panel(df)
    assert out["status"].tolist() == ["non_poor", "poor", "non_poor"]
    als = out["average_living_standard"]
    assert str(als.dtype) == "boolean" and als.loc[5] == False and als.loc[3] == False  # noqa: E712
    assert pd.isna(als.loc[9])
