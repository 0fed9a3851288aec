"""A table by district of a year without districts (after the 1 July 2025 reform) is refused with a sentence
naming the year, in both languages; by commune the same rows give their table (``povlib.units.levels``).

Before the fix the map's measures by district raised pandas' ``TypeError`` (unordered categoricals) and the
indicator matrix by district a ``KeyError`` on the indicator columns."""
from __future__ import annotations

import pandas as pd
import pytest

import povlib
from povlib.errors import PovlibInputError
from povlib.geo.join import unit_measures
from povlib.views import unit_indicator_matrix


@pytest.fixture(scope="module")
def panel():
    return povlib.load_demo("cho-don")


@pytest.mark.parametrize("year", [2025, 2026])
def test_measures_by_district_of_a_year_without_districts_are_refused(panel, year):
    rows = panel[panel["year"] == year]
    assert len(rows) and rows["district_code"].isna().all()
    with pytest.raises(PovlibInputError) as err:
        unit_measures(rows, year, by="district_code")
    assert err.value.message("vi").startswith(f"Năm {year} không còn cấp huyện")
    assert err.value.message("en").startswith(f"There are no districts in {year}")
    assert err.value.column == "district_code"
    by_commune = unit_measures(rows, year, by="commune_code")
    assert int(by_commune["households"].sum()) == len(rows)


@pytest.mark.parametrize("year", [2025, 2026])
def test_indicator_matrix_by_district_of_a_year_without_districts_is_refused(panel, year):
    rows = panel[panel["year"] == year]
    standard = str(rows["standard"].astype(str).iloc[0])
    with pytest.raises(PovlibInputError, match=f"Năm {year} không còn cấp huyện"):
        unit_indicator_matrix(rows, standard, "district")
    by_commune = unit_indicator_matrix(rows, standard, "commune")
    assert len(by_commune) == rows["commune_code"].nunique()


def test_a_year_with_districts_is_unchanged(panel):
    rows = panel[panel["year"] == 2019]
    m = unit_measures(rows, 2019, by="district_code")
    assert m["code"].tolist() == ["064"] and int(m["households"].iloc[0]) == len(rows)
    assert unit_indicator_matrix(rows, "QD59_2015", "district").index.tolist() == [rows["district_name"].iloc[0]]


def test_no_rows_and_no_codes_in_another_column():
    from povlib.units.levels import need_level_codes

    need_level_codes(pd.DataFrame({"commune_code": []}), "commune_code", 2026)  # nothing to refuse
    with pytest.raises(PovlibInputError, match="Không hộ nào của năm 2026 có mã đơn vị ở cột commune_code"):
        need_level_codes(pd.DataFrame({"commune_code": [None]}), "commune_code", 2026)
    with pytest.raises(PovlibInputError):
        need_level_codes(pd.DataFrame({"x": [1]}), "district_code", 2026)
