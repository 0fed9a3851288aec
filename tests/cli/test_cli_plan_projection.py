"""``python -m povlib plan --project``: the 2027 plan under Decree 351/2025 projected from the 2026 review."""
from __future__ import annotations

import openpyxl
import pytest

from povlib import planning
from povlib.cli import main
from tests.support.panel2026 import panel_2026, raw_panel_2026

pytestmark = pytest.mark.cli


@pytest.fixture(scope="module")
def review_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("p2026") / "review_2016_2026.parquet"
    raw_panel_2026().to_parquet(path)
    return path


def test_cli_projects_2027_from_the_2026_review(tmp_path, review_file, capsys):
    out = tmp_path / "du_bao.xlsx"
    assert main(["plan", "--year", "2026", "--project", "--input", str(review_file), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Đã ghi dự báo năm 2027 (từ rà soát 2026, 8 xã)" in said
    assert "Chuẩn tạm tính" in said and "Xử lý rác thải sinh hoạt" in said and "giữ nguyên mức hiện hành" in said
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Dự báo theo xã", "Chuyển đổi tình trạng", "Kinh phí theo chính sách", "Mức hỗ trợ 2027"]
    rows = list(wb["Dự báo theo xã"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Mã xã")
    total = next(r for r in rows if r[1] == "Tổng cộng")
    got = dict(zip(header, total))
    pp = planning.project_plan(panel_2026(), 2026, planning.load_policies())
    want = planning.projection_by_commune(pp.projection, by=None).iloc[0]
    assert got["Số hộ"] == 12_700 == want["households"]
    assert got["Hộ nghèo 2027 (dự báo)"] == want["poor_plan"] and got["Hộ nghèo 2026"] == want["poor_review"]
    cost = list(wb["Kinh phí theo chính sách"].iter_rows(values_only=True))
    hi = next(r for r in cost if r[0] == "Bảo hiểm y tế cho người thuộc hộ nghèo")
    b = pp.budget
    assert hi[5] == int(b.loc[b["policy_id"] == "health_insurance_poor", "budget"].sum())


def test_cli_project_refuses_a_year_without_a_new_standard_and_a_pdf(tmp_path, review_file, capsys):
    out = tmp_path / "x.xlsx"
    assert main(["plan", "--year", "2019", "--project", "--input", str(review_file), "--out", str(out)]) == 2
    said = capsys.readouterr()
    assert "Năm 2020 áp dụng cùng chuẩn với năm rà soát 2019" in said.err + said.out
    assert main(["plan", "--year", "2026", "--project", "--input", str(review_file),
                 "--out", str(tmp_path / "x.pdf")]) == 2
    assert not out.exists() and not (tmp_path / "x.pdf").exists()
