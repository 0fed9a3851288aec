"""``python -m povlib plan``, in-process: the workbook, a scenario, bad input, the officers' overrides."""
from __future__ import annotations

import openpyxl
import pytest

from povlib.cli import main
from povlib.planning import budget, eligibility, load_difficult_communes, load_policies
from povlib.planning import overrides as overrides_module

YEAR = 2019


@pytest.fixture(scope="module")
def plan(demo):
    pol = load_policies()
    return budget(eligibility(demo, pol, year=YEAR, difficult=load_difficult_communes()), pol)


def test_cli_plan_writes_the_workbook(tmp_path, plan):
    out = tmp_path / "plan.xlsx"
    assert main(["plan", "--year", str(YEAR), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["Tổng hợp theo xã"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã xã")
    body = [r for r in rows[header + 1:] if r[1] and r[2] is not None]
    total = next(r for r in body if r[1] == "Tổng cộng")
    grants = int(plan.loc[~plan["lending"], "budget"].fillna(0).astype("int64").sum())
    assert total[2] == grants
    assert len([r for r in body if r[1] != "Tổng cộng"]) == 22
    assert "Kịch bản theo xã" not in wb.sheetnames  # no scenario: baseline plan only


def test_cli_plan_with_scenario_and_bad_input(tmp_path):
    sc = tmp_path / "s.toml"
    sc.write_text('name = "Nước sạch"\n[[interventions]]\nkind = "water"\ncommunes = ["02023"]\n', encoding="utf-8")
    out = tmp_path / "kb.xlsx"
    assert main(["plan", "--year", str(YEAR), "--scenario", str(sc), "--out", str(out)]) == 0
    assert "Kịch bản theo xã" in openpyxl.load_workbook(out).sheetnames
    assert main(["plan", "--year", "2030", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert main(["plan", "--year", str(YEAR), "--out", str(tmp_path / "x.csv")]) == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_plan_says_when_an_override_is_in_force(tmp_path, monkeypatch, capsys):
    target = tmp_path / "overrides.toml"
    target.write_text("[amounts]\nlearning_cost = 150000\n", encoding="utf-8")
    monkeypatch.setattr(overrides_module, "OVERRIDES_FILE", target)
    out = tmp_path / "plan.xlsx"
    assert main(["plan", "--year", str(YEAR), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Hỗ trợ chi phí học tập: 150.000 đồng" in said
    cells = [c.value for c in openpyxl.load_workbook(out).worksheets[0]["A"] if isinstance(c.value, str)]
    assert any("khác văn bản gốc" in c and "150.000" in c for c in cells), cells[-8:]


def _cells(path) -> str:
    wb = openpyxl.load_workbook(path)
    return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def test_cli_plan_reads_the_store_as_report_does(tmp_path, demo, monkeypatch):
    """The plan's data are the store's latest version (as ``report``); it read the demo always, so a store's
    year gave 'no data' and ``--project`` projected the demo without saying it was made up."""
    from povlib import intake as pio
    from povlib.intake import Store

    rows = demo[(demo["year"] == 2026) & (demo["commune_code"].astype(str) == "02020")].head(80)
    store = tmp_path / "store"
    Store(store).import_intake(pio.read_intake(pio.export_to_template(rows, standard="ND07_2021"), file_name="x.xlsx"),
                               imported_by="Kiểm thử")
    monkeypatch.setenv("POVLIB_STORE", str(store))
    out = tmp_path / "plan.xlsx"
    assert main(["plan", "--year", "2026", "--out", str(out)]) == 0
    text = _cells(out)
    assert "Dữ liệu đã nạp (phiên bản 1)" in text and "Dữ liệu minh họa" not in text
    assert "2.340.000" in text or "2340000" in text  # the 2027 plan's base salary (the 2026–2030 amounts)
    proj = tmp_path / "proj.xlsx"
    assert main(["plan", "--year", "2026", "--project", "--out", str(proj)]) == 0
    assert "Dữ liệu minh họa" not in _cells(proj)
    # the demo of --scope: its projection says the data are synthetic
    assert main(["plan", "--year", "2026", "--project", "--scope", "cho-don", "--out", str(proj)]) == 0
    assert "Dữ liệu minh họa" in _cells(proj)
