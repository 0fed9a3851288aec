"""Classification under both standards: the legal boundary cases and every bad input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from povlib import PovlibInputError, classify_households, standards
from povlib.synth import income_to_b1

QD59_IDS = standards.get("QD59_2015").indicator_ids
ND07_IDS = standards.get("ND07_2021").indicator_ids


def _frame(area, income, deprived, ids=QD59_IDS):
    """Households with ``deprived`` indicators set (the first ones)."""
    rows = []
    for a, inc, d in zip(area, income, deprived):
        row = {"area": a, "income": inc}
        row.update({c: int(j < d) for j, c in enumerate(ids)})
        rows.append(row)
    return pd.DataFrame(rows)


# The eight worked boundary cases of poverty-rules.md (Decision 59/2015, Article 2)
QD59_CASES = [
    ("rural", 700_000, 0, "poor", "income"),
    ("rural", 700_001, 3, "poor", "deprivation"),
    ("rural", 700_001, 2, "near_poor", None),
    ("rural", 1_000_000, 3, "poor", "deprivation"),
    ("rural", 1_000_001, 10, "non_poor", None),
    ("urban", 900_000, 0, "poor", "income"),
    ("urban", 1_300_000, 2, "near_poor", None),
    ("urban", 1_300_000, 3, "poor", "deprivation"),
]


@pytest.mark.parametrize("area,income,d,status,via", QD59_CASES)
def test_qd59_income_boundaries(area, income, d, status, via):
    out = classify_households(_frame([area], [income], [d]), "QD59_2015")
    assert out.loc[0, "status"] == status
    assert (out.loc[0, "poor_via"] if via else None) == via or (via is None and pd.isna(out.loc[0, "poor_via"]))
    assert out.loc[0, "deprivation_count"] == d


@pytest.mark.parametrize("area,income,d,status,via", QD59_CASES)
def test_qd59_score_path_matches_income_path(area, income, d, status, via):
    """Scores at the equivalent B1 give the same result (B1 120/150 rural, 140/175 urban)."""
    b1 = income_to_b1(np.array([income]), np.array([int(area == "urban")]))[0]
    df = pd.DataFrame({"area": [area], "b1_score": [b1], "b2_score": [10 * d]})
    out = classify_households(df, "QD59_2015")
    assert out.loc[0, "status"] == status
    assert "average_living_standard" not in out.columns


SCORE_CASES = [
    ("rural", 120, 0, "poor"), ("rural", 121, 30, "poor"), ("rural", 121, 20, "near_poor"),
    ("rural", 150, 30, "poor"), ("rural", 150, 20, "near_poor"), ("rural", 151, 100, "non_poor"),
    ("urban", 140, 0, "poor"), ("urban", 141, 20, "near_poor"), ("urban", 175, 30, "poor"),
    ("urban", 176, 90, "non_poor"),
]


@pytest.mark.parametrize("area,b1,b2,status", SCORE_CASES)
def test_qd59_review_scores(area, b1, b2, status):
    df = pd.DataFrame({"area": [area], "b1_score": [b1], "b2_score": [b2]})
    assert classify_households(df, "QD59_2015").loc[0, "status"] == status


ND07_CASES = [
    # Decree 07/2021: no income-only poverty; poor needs income <= line AND >= 3 deprivations
    ("rural", 1_500_000, 3, "poor"), ("rural", 1_500_000, 2, "near_poor"), ("rural", 0, 0, "near_poor"),
    ("rural", 1_500_001, 12, "non_poor"), ("urban", 2_000_000, 3, "poor"), ("urban", 2_000_000, 2, "near_poor"),
    ("urban", 2_000_001, 5, "non_poor"), ("urban", 1_500_001, 3, "poor"),
]


@pytest.mark.parametrize("area,income,d,status", ND07_CASES)
def test_nd07_boundaries(area, income, d, status):
    out = classify_households(_frame([area], [income], [d], ND07_IDS), "ND07_2021")
    assert out.loc[0, "status"] == status
    if status == "poor":
        assert out.loc[0, "poor_via"] == "deprivation"


@pytest.mark.parametrize("area,b1,b2,status", [
    ("rural", 140, 30, "poor"), ("rural", 140, 20, "near_poor"), ("rural", 141, 120, "non_poor"),
    ("urban", 175, 30, "poor"), ("urban", 176, 30, "non_poor"),
])
def test_nd07_scores(area, b1, b2, status):
    df = pd.DataFrame({"area": [area], "b1_score": [b1], "b2_score": [b2]})
    assert classify_households(df, "ND07_2021").loc[0, "status"] == status


def test_average_living_standard():
    df = _frame(["rural", "rural", "rural", "urban"], [1_000_001, 1_500_000, 1_500_001, 1_950_000], [0, 0, 0, 0])
    assert classify_households(df)["average_living_standard"].tolist() == [True, True, False, True]


def test_deprivations_counted_as_integers_from_bools():
    df = _frame(["rural"], [800_000], [3])
    df[QD59_IDS] = df[QD59_IDS].astype(bool)
    out = classify_households(df)
    assert out["deprivation_count"].dtype.kind == "i"
    assert out.loc[0, "status"] == "poor"


def test_vectorised_matches_rowwise_rules_on_random_data():
    rng = np.random.default_rng(1)
    n = 5000
    df = pd.DataFrame({"area": rng.choice(["rural", "urban"], n), "income": rng.integers(0, 2_500_000, n)})
    for c in QD59_IDS:
        df[c] = (rng.random(n) < 0.3).astype(int)
    out = classify_households(df)

    def rule(r):  # naive reading of Article 2, one household at a time
        pl, nl = (700_000, 1_000_000) if r.area == "rural" else (900_000, 1_300_000)
        d = sum(r[c] for c in QD59_IDS)
        if r.income <= pl or (r.income <= nl and d >= 3):
            return "poor"
        return "near_poor" if r.income <= nl else "non_poor"

    expected = df.apply(rule, axis=1)
    assert (out["status"].astype(str) == expected).all()


def test_input_not_modified_and_index_kept():
    df = _frame(["rural", "urban"], [1, 2_000_000], [0, 0])
    df.index = [10, 20]
    before = df.copy()
    out = classify_households(df)
    pd.testing.assert_frame_equal(df, before)
    assert list(out.index) == [10, 20]


def test_per_row_standard_column():
    a = _frame(["rural"], [1_200_000], [3])
    a["standard"] = "QD59_2015"
    b = _frame(["rural"], [1_200_000], [3], ND07_IDS)
    b["standard"] = "ND07_2021"
    df = pd.concat([a, b], ignore_index=True)
    out = classify_households(df, None)
    assert out["status"].tolist() == ["non_poor", "poor"]


# ---- bad input: each gives a clear error naming the column and the first rows -----------
BAD = [
    ("missing area column", lambda d: d.drop(columns="area"), "area"),
    ("unknown area value", lambda d: d.assign(area=["rural", "nông thôn", "rural"]), "area"),
    ("missing area value", lambda d: d.assign(area=["rural", None, "rural"]), "area"),
    ("negative income", lambda d: d.assign(income=[1, -5, 3]), "income"),
    ("missing income", lambda d: d.assign(income=[1.0, np.nan, 3.0]), "income"),
    ("text income", lambda d: d.assign(income=["1", "nhiều", "3"]), "income"),
    ("indicator value 2", lambda d: d.assign(latrine=[0, 2, 0]), "latrine"),
    ("indicator text", lambda d: d.assign(telecom=[0, "có", 0]), "telecom"),
    ("missing indicator column", lambda d: d.drop(columns="telecom"), "telecom"),
    ("b2 inconsistent with indicators", lambda d: d.assign(b2_score=[0, 50, 0]), "b2_score"),
]


@pytest.mark.parametrize("name,mutate,column", BAD, ids=[b[0] for b in BAD])
def test_bad_input_raises_clear_error(name, mutate, column):
    df = mutate(_frame(["rural"] * 3, [500_000, 800_000, 2_000_000], [0, 0, 0]))
    with pytest.raises(PovlibInputError) as exc:
        classify_households(df)
    err = exc.value
    assert err.column == column
    assert column in str(err) and column in err.message_en
    if name not in ("missing area column", "missing indicator column"):
        assert err.rows == [1]
        assert "1" in str(err)


@pytest.mark.parametrize("b1,b2,column", [(-1, 0, "b1_score"), (1001, 0, "b1_score"), (100, 25, "b2_score"),
                                         (100, 110, "b2_score"), (100, -10, "b2_score"), (None, 0, "b1_score")])
def test_bad_scores(b1, b2, column):
    df = pd.DataFrame({"area": ["rural", "rural"], "b1_score": [100, b1], "b2_score": [0, b2]})
    with pytest.raises(PovlibInputError) as exc:
        classify_households(df)
    assert exc.value.column == column and exc.value.rows == [1]


def test_neither_income_nor_scores():
    df = pd.DataFrame({"area": ["rural"], "b2_score": [0]})
    with pytest.raises(PovlibInputError, match="b1_score"):
        classify_households(df)


def test_no_deprivation_source():
    df = pd.DataFrame({"area": ["rural"], "income": [1]})
    with pytest.raises(PovlibInputError, match="b2_score"):
        classify_households(df)


def test_unknown_standard():
    with pytest.raises(PovlibInputError, match="QD59_2015"):
        classify_households(_frame(["rural"], [1], [0]), "QD99")
