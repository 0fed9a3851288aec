"""The command line: generate, classify, summary."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "povlib", *args], cwd=ROOT, capture_output=True, text=True)


def test_help_for_each_command():
    for cmd in ("generate", "classify", "summary"):
        r = run(cmd, "--help")
        assert r.returncode == 0 and "usage" in r.stdout


def test_help_is_vietnamese_by_default_and_english_with_lang_en():
    r = run("--help")
    assert r.returncode == 0 and "Phân tích kết quả rà soát" in r.stdout and "ngôn ngữ" in r.stdout
    r = run("report", "--help")
    assert r.returncode == 0 and "năm rà soát, ví dụ 2019" in r.stdout
    r = run("--lang", "en", "report", "--help")
    assert r.returncode == 0 and "review year, e.g. 2019" in r.stdout and "năm rà soát" not in r.stdout


def test_generate_classify_summary(tmp_path):
    raw = tmp_path / "p.parquet"
    r = run("generate", "--scale", "0.05", "--out", str(raw))
    assert r.returncode == 0, r.stderr
    out = tmp_path / "c.csv"
    r = run("classify", str(raw), str(out))
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out, dtype={"gso_code_2019": str})
    assert {"status", "poor_via", "deprivation_count"} <= set(df.columns)
    r = run("summary", str(out), "--year", "2019")
    assert r.returncode == 0, r.stderr
    assert "Tổng cộng" in r.stdout and "%" in r.stdout


def test_bad_input_exits_nonzero_with_vietnamese_message(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("area,income,b2_score\nrural,100,0\nmiền núi,100,0\n", encoding="utf-8")
    r = run("classify", str(f), str(tmp_path / "o.parquet"))
    assert r.returncode == 2
    assert "Khu vực" in r.stderr and "area" in r.stderr
    assert not (tmp_path / "o.parquet").exists()
    r = run("--lang", "en", "classify", str(tmp_path / "none.csv"), str(tmp_path / "o.parquet"))
    assert r.returncode == 2 and "not found" in r.stderr
