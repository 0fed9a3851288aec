"""The planning page with the 2026 review selected: the 2027 plan under Decree 351/2025, as a projection."""
from __future__ import annotations

import pytest
import streamlit as st

from povlib import planning
from povlib.i18n import fmt_int
from tests.support.apptest import assert_ok, new_page
from tests.support.panel2026 import panel_2026, use_panel_2026

pytestmark = pytest.mark.app


@pytest.fixture
def panel2026(monkeypatch, tmp_path):
    from povlib.planning import overrides

    monkeypatch.setattr(overrides, "OVERRIDES_FILE", tmp_path / "overrides.toml")
    use_panel_2026(monkeypatch)
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_planning_page_2026_shows_the_2027_projection(panel2026):
    at = new_page("app_pages/planning.py", year="2026").run()
    assert_ok(at)
    assert at.tabs[0].label == "Dự báo 2027"
    pp = planning.project_plan(panel_2026(), 2026, planning.load_policies())
    tot = planning.projection_by_commune(pp.projection, by=None).iloc[0]
    labels = {m.label: m.value for m in at.metric}
    assert labels["Hộ nghèo 2027 (dự báo)"] == f"{fmt_int(tot['poor_plan'])} hộ"
    assert labels["Hộ cận nghèo 2027 (dự báo)"] == f"{fmt_int(tot['near_poor_plan'])} hộ"
    warnings = " ".join(w.value for w in at.warning)
    assert "Chuẩn tạm tính" in warnings  # the provisional standard
    assert "Xử lý rác thải sinh hoạt" in warnings and "Sử dụng dịch vụ viễn thông và dịch vụ số" in warnings
    assert "Chưa biết mức năm 2027" in warnings and "giữ nguyên mức hiện hành" in warnings
    infos = " ".join(i.value for i in at.info)
    assert "Dự báo năm 2027 theo Chuẩn nghèo đa chiều giai đoạn 2026–2030, từ kết quả rà soát năm 2026" in infos
    assert "Chỉ số thiếu hụt đã dùng (7/12)" in infos
    frames = [d.value for d in at.dataframe]
    tr = next(f for f in frames if "Vẫn nghèo" in f.columns)
    assert "Tổng cộng" in tr.iloc[-1].tolist() and "Mới nghèo" in tr.columns


def test_planning_page_2019_has_no_projection(panel2026):
    at = new_page("app_pages/planning.py", year="2019").run()
    assert_ok(at)
    assert all(not tab.label.startswith("Dự báo") for tab in at.tabs)


def test_planning_page_projection_in_english(panel2026):
    at = new_page("app_pages/planning.py", year="2026", lang="en").run()
    assert_ok(at)
    assert at.tabs[0].label == "Projection 2027"
    assert any(m.label == "Poor households 2027 (projected)" for m in at.metric)
