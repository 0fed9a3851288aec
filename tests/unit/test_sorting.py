"""povlib.sorting: Vietnamese dictionary order (ICU) with numbers in numeric order, used by every list of names."""
from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import povlib
from povlib.sorting import sort_frame, sort_key, vi_key, vi_sorted
from povlib.views import panel_facts
from povlib.views.households import household_choices

VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
names = st.text(alphabet=VI_LETTERS + VI_LETTERS.upper() + " 0123456789\u0300\u0301\u0303\u0309\u0323",
                max_size=12)


def test_communes_and_villages_in_vietnamese_order():
    got = vi_sorted(["Bình Trung", "Yên Thượng", "Đồng Lạc", "Bằng Lãng", "Dương Quang", "Yên Thịnh",
                     "Bản Thi", "Tổ 11", "Tổ 2", "Ân Tình", "An Thắng"])
    # Vietnamese alphabet: a ă â b c d đ e ê g h i … o ô ơ … u ư; tones only break ties; i before ư
    assert got == ["An Thắng", "Ân Tình", "Bản Thi", "Bằng Lãng", "Bình Trung", "Dương Quang", "Đồng Lạc",
                   "Tổ 2", "Tổ 11", "Yên Thịnh", "Yên Thượng"]


def test_numbers_in_names_in_numeric_order():
    s = pd.Series(["Tổ 11", "Tổ 2", "Thôn 10", "Thôn 9", "Tổ 1"])
    assert s.sort_values(key=vi_key).tolist() == ["Thôn 9", "Thôn 10", "Tổ 1", "Tổ 2", "Tổ 11"]


def test_missing_values_sort_first_and_do_not_raise():
    s = pd.Series(["Bản Nà", None, float("nan"), "An"], dtype=object)
    assert s.sort_values(key=vi_key, kind="stable").index.tolist() == [1, 2, 3, 0]


@given(st.lists(names, max_size=30))
def test_sort_is_a_stable_total_order(xs):
    keys = [sort_key(x) for x in xs]
    order = vi_sorted(xs)
    ks = [sort_key(x) for x in order]
    assert ks == sorted(keys)                   # sorted by a total order (bytes keys)
    assert vi_sorted(order) == order            # idempotent
    s = pd.Series(xs, dtype=object)
    idx = s.sort_values(key=vi_key, kind="stable").index.tolist()
    for a, b in zip(idx, idx[1:]):             # stable: equal keys keep their positions
        assert keys[a] < keys[b] or (keys[a] == keys[b] and a < b)


@given(names)
def test_d_before_dd_before_e(rest):
    assert sort_key("d" + rest) < sort_key("đ" + rest) < sort_key("e" + rest)
    assert sort_key("D" + rest) < sort_key("Đ" + rest) < sort_key("E" + rest)


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_numbers_compare_as_numbers(a, b):
    assert (sort_key(f"Tổ {a}") < sort_key(f"Tổ {b}")) == (a < b)


def test_sort_frame_ranks_numbers_then_names():
    d = pd.DataFrame({"rate": [0.1, 0.1, 0.3], "name": ["Đông Viên", "Dương Phong", "Xuân Lạc"]})
    assert sort_frame(d, ["rate", "name"], ascending=[False, True])["name"].tolist() == [
        "Xuân Lạc", "Dương Phong", "Đông Viên"]


def test_sidebar_and_household_lists_use_vietnamese_order():
    panel = povlib.load_demo()
    facts = panel_facts(panel)
    # each year's own list, by district (from 2025, no district: by former district, a historical grouping)
    for _, g in facts.communes.groupby(["year", "district_code", "former_district_code"], sort=False):
        assert g["name"].tolist() == vi_sorted(g["name"])
    assert list(facts.districts.values()) == vi_sorted(facts.districts.values())
    year = panel[panel["year"] == 2019]
    villages = household_choices(year, "QD59_2015")["villages"]
    assert villages == vi_sorted(villages) and len(villages) > 1
