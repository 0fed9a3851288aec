"""``classify`` under Decree 351/2025 from the command line: the income path works and says the standard is
provisional; the score path is refused with a message (exit 2, no traceback); a confirmed standard prints no note."""
from __future__ import annotations

import pandas as pd

from povlib import standards
from povlib.cli import main


def _write(tmp_path, **cols):
    src = tmp_path / "in.csv"
    pd.DataFrame({"household_id": ["H1"], "year": [2027], "area": ["rural"], **cols}).to_csv(src, index=False)
    return src


def test_classify_under_nd351_says_it_is_provisional(tmp_path, capsys):
    src = _write(tmp_path, income=[2_200_000], b2_score=[30])
    assert main(["classify", str(src), str(tmp_path / "out.csv"), "--standard", "ND351_2025"]) == 0
    err = capsys.readouterr().err
    assert standards.provisional_note("ND351_2025", "vi") in err
    out = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig")
    assert out.loc[0, "status"] == "poor"
    assert main(["classify", str(src), str(tmp_path / "out.csv"), "--standard", "ND07_2021"]) == 0
    assert capsys.readouterr().err == ""


def test_classify_nd351_scores_is_refused(tmp_path, capsys):
    src = _write(tmp_path, b1_score=[100], b2_score=[30])
    assert main(["classify", str(src), str(tmp_path / "out.csv"), "--standard", "ND351_2025"]) == 2
    err = capsys.readouterr().err
    assert "b1_score" in err and "Traceback" not in err and not (tmp_path / "out.csv").exists()
