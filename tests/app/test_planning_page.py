"""AppTest smoke test of the "Kế hoạch hỗ trợ" page: it draws, the what-if runs, nothing is written."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def app(monkeypatch, tmp_path):
    from povlib import policy

    # the page must not write the policies file unless asked; point it at a copy to be sure
    copy = tmp_path / "policies.toml"
    copy.write_bytes(policy.POLICIES_FILE.read_bytes())
    monkeypatch.setattr(policy, "POLICIES_FILE", copy)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["year"] = "2019"
    at.run()
    at.switch_page("app_pages/planning.py")
    at.run()
    return at, copy


def test_planning_page_draws_in_vietnamese(app):
    at, copy = app
    assert not at.exception, at.exception
    assert not at.error
    labels = {m.label: m.value for m in at.metric}
    assert labels["Kinh phí hỗ trợ (ngân sách)"].endswith("tỷ đồng")
    assert labels["Người đã có BHYT nơi khác"].endswith("người")
    warnings = " ".join(w.value for w in at.warning)
    assert "giả định minh họa" in warnings and "Chưa xác nhận" in warnings
    # save is disabled without changes (and for the default viewer role)
    save = next(b for b in at.button if b.label == "Lưu vào tệp chính sách")
    assert save.disabled


def test_planning_whatif_runs_and_leaves_the_file_alone(app):
    at, copy = app
    before = copy.read_bytes()
    at.checkbox(key="wi_hi").check()
    at.checkbox(key="wi_water").check()
    at.multiselect(key="wi_water_communes").select("02023")
    at.run()
    assert not at.exception, at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["Hộ nghèo sau can thiệp"] != "2.014 hộ"
    assert int(labels["Số hộ thoát nghèo"].split()[0].replace(".", "")) > 0
    notes = " ".join(i.value for i in at.info)
    assert "nghèo về thu nhập" in notes
    assert copy.read_bytes() == before


def test_plan_workbook_built_for_download():
    """The page's download builds the workbook on click; the same cached builder gives a valid xlsx."""
    import io

    import openpyxl

    from povlib import policy
    from ui import cache

    scope = ("cho-don", None, None, None, (), "all")
    data = cache.plan_xlsx(scope, 2019, policy.POLICIES_FILE.read_text(encoding="utf-8"), "", "vi",
                           "Huyện Chợ Đồn", True)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows(max_row=6) for c in row if c.value)
    assert "2019" in text
