"""AppTest smoke test of the "Báo cáo" page: it draws the tables, figures match povlib, names follow the role."""
from __future__ import annotations

import pandas as pd
import pytest

import povlib
from tests.support.apptest import assert_ok, open_page


@pytest.fixture()
def at():
    return open_page("app_pages/reports.py", year="2019")


def _frame(at, i=0):
    return at.dataframe[i].value


def test_reports_page_summary_matches_rates(at, demo):
    assert at.header[0].value == "Báo cáo"
    assert [t.label for t in at.tabs] == ["Hộ nghèo", "Hộ cận nghèo"]
    df = _frame(at)
    total = df[df["Xã, phường, thị trấn"] == "Tổng cộng"].iloc[0]
    r = povlib.rates(demo[demo["year"] == 2019]).iloc[0]
    assert total["Tổng số hộ dân cư"] == r["households"]
    assert total["Cuối năm – Số hộ"] == r["poor"]
    captions = " ".join(c.value for c in at.caption)
    assert "Cân đối đầu năm – diễn biến – cuối năm đúng trên mọi dòng" in captions


def test_reports_page_posting_list_needs_a_commune(at):
    at.button_group(key="rep_kind").set_value("posting").run()
    assert_ok(at)
    assert any("chọn một xã" in i.value for i in at.info)
    assert not at.dataframe


def test_reports_page_posting_list_masks_names_for_viewers(at, demo):
    at.selectbox(key="rep_unit").set_value("02035").run()
    at.button_group(key="rep_kind").set_value("posting").run()
    assert_ok(at)
    df = _frame(at)
    cur = demo[(demo["year"] == 2019) & (demo["gso_code_2019"] == "02035")]
    assert len(df) == int(cur["status"].isin(["poor", "near_poor"]).sum())
    assert df["Họ và tên chủ hộ"].str.contains(r"\*\*\*").all()
    assert any("đang được ẩn" in i.value for i in at.info)
    at.selectbox(key="f_role").set_value("officer").run()
    assert_ok(at)
    df = _frame(at)
    assert set(df["Họ và tên chủ hộ"]) <= set(cur["head_name"])


def test_reports_page_view_comes_from_the_link():
    app = open_page("app_pages/reports.py", year="2019", report="groups", unit="02035")
    assert app.button_group(key="rep_kind").value == "groups"
    assert app.selectbox(key="rep_unit").value == "02035"
    df = app.dataframe[0].value
    assert df["Xã, phường, thị trấn"].tolist()[-1] == "Tổng cộng"
    assert "Xã Bản Thi" in df["Xã, phường, thị trấn"].tolist()


@pytest.mark.parametrize("year,lang", [("2016", "vi"), ("2018", "en")])
def test_reports_page_other_years_and_english(year, lang):
    app = open_page("app_pages/reports.py", year=year, lang=lang)
    df = app.dataframe[0].value
    total = df.iloc[-1]
    assert total.iloc[1] == ("Tổng cộng" if lang == "vi" else "Total")
    if year == "2016":  # first year of the data: no start-of-year figures, said so
        assert str(total["Đầu năm – Số hộ"]) == "–" and not pd.isna(total["Đầu năm – Số hộ"])  # a dash (issue 10)
        assert any("năm đầu tiên" in c.value for c in app.caption)
