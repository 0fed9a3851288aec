"""The command line: generate, classify, summary (in-process), and the process ``python -m povlib`` itself."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from povlib.cli import main
from povlib.i18n import t

ROOT = Path(__file__).resolve().parents[2]


def _bad_area_file(tmp_path: Path) -> Path:
    f = tmp_path / "bad.csv"
    f.write_text("area,income,b2_score\nrural,100,0\nmiền núi,100,0\n", encoding="utf-8")
    return f


# --- the process: entry point, exit status, messages on stderr ---------------------------------------
def test_python_m_povlib_help_exits_0():
    r = subprocess.run([sys.executable, "-m", "povlib", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Cách dùng: ") and "classify" in r.stdout and "import" in r.stdout
    assert "Warning" not in r.stderr, r.stderr  # PySpark's FutureWarning (pandera imports it) reached every command


def test_python_m_povlib_exits_2_with_the_message_on_stderr(tmp_path):
    r = subprocess.run([sys.executable, "-m", "povlib", "classify", str(_bad_area_file(tmp_path)),
                        str(tmp_path / "o.parquet")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2
    assert "Khu vực" in r.stderr and "area" in r.stderr and "Traceback" not in r.stderr
    assert not r.stdout
    assert not (tmp_path / "o.parquet").exists()


# --- in-process ------------------------------------------------------------------------------------
@pytest.mark.parametrize("cmd", ["generate", "classify", "summary", "import", "report", "plan"])
def test_help_for_each_command(cmd, capsys):
    with pytest.raises(SystemExit) as exc:
        main([cmd, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    # argparse's own words in Vietnamese too (it wrote usage:, options:, show this help message and exit)
    assert out.startswith("Cách dùng: ") and "tùy chọn:" in out and "hiện hướng dẫn này rồi thoát" in out, out
    assert not any(w in out for w in ("usage:", "options:", "show this help", "positional arguments")), out


@pytest.mark.parametrize("argv, lang, message", [
    (["report", "--year", "abc", "--out", "r.xlsx"], "vi", "python -m povlib report: lỗi: tham số --year: 'abc' không phải một số nguyên"),
    ([], "vi", "python -m povlib: lỗi: thiếu tham số bắt buộc: LỆNH"),
    (["summary", "x.csv", "--bogus"], "vi", "python -m povlib: lỗi: không nhận ra tham số: --bogus"),
    (["report", "--year", "2019", "--out", "r.xlsx", "--kind", "x"], "vi", "tham số --kind: không có lựa chọn 'x' (chọn một trong: "),
    (["--lang", "en", "report", "--year", "abc", "--out", "r.xlsx"], "en", "report: error: argument --year: 'abc' is not a whole number"),
])
def test_argparse_errors_in_the_interface_language(argv, lang, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith(t("cli.argparse.usage", lang) + " "), err


def test_generate_classify_summary(tmp_path, capsys):
    raw = tmp_path / "p.parquet"
    assert main(["generate", "--scale", "0.05", "--out", str(raw)]) == 0
    out = tmp_path / "c.csv"
    assert main(["classify", str(raw), str(out)]) == 0
    df = pd.read_csv(out, dtype={"commune_code": str})
    assert {"status", "poor_via", "deprivation_count"} <= set(df.columns)
    capsys.readouterr()
    assert main(["summary", str(out), "--year", "2019"]) == 0
    said = capsys.readouterr().out
    assert "Tổng cộng" in said and "%" in said


def test_bad_input_exits_2_with_vietnamese_message(tmp_path, capsys):
    assert main(["classify", str(_bad_area_file(tmp_path)), str(tmp_path / "o.parquet")]) == 2
    err = capsys.readouterr().err
    assert "Khu vực" in err and "area" in err
    assert not (tmp_path / "o.parquet").exists()
    assert main(["--lang", "en", "classify", str(tmp_path / "none.csv"), str(tmp_path / "o.parquet")]) == 2
    assert "not found" in capsys.readouterr().err


def test_help_is_vietnamese_by_default_and_english_with_lang_en(capsys):
    """Command-line help comes from the catalog: Vietnamese by default, English with --lang en."""
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "Phân tích kết quả rà soát" in out and "ngôn ngữ" in out
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "năm rà soát, ví dụ 2019" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "report", "--help"])
    out = capsys.readouterr().out
    assert "review year, e.g. 2019" in out and "năm rà soát" not in out


def test_a_file_the_system_refuses_is_explained_in_the_interface_language(tmp_path, capsys):
    """The operating system's reason was printed in English inside the Vietnamese message ("Không đọc/ghi
    được tệp /proc/nope: No such file or directory")."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for lang, words in (("vi", "đã có một tệp hoặc thư mục trùng tên"), ("en", "a file or folder of that name already")):
        rc = main(["--lang", lang, "report", "--year", "2019", "--kind", "summary", "--out",
                   str(blocker / "r.xlsx")])
        err = capsys.readouterr().err
        assert rc == 2 and words in err and "File exists" not in err, err


def test_a_table_without_standards_is_classified_under_each_years_standard(tmp_path, capsys):
    """A table without a ``standard`` column was classified under Decision 59/2015 whatever its years (a 2026
    table stopped with "Bảng chỉ có 8/10 cột chỉ số … health_access, info_assets"): each row is classified
    under the standard in force in its year, as an import does."""
    import povlib
    from povlib.i18n import fmt_int

    p = povlib.load_demo("cho-don")
    rows = p[p["year"] == 2026].head(300)
    bare = rows.drop(columns=["standard", "status", "poor_via", "deprivation_count", "average_living_standard"])
    src = tmp_path / "no_standard.csv"
    bare.to_csv(src, index=False)
    assert main(["summary", str(src)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    total = [line for line in out.splitlines() if "Tổng cộng" in line][0].split()
    assert fmt_int(int((rows["status"] == "poor").sum())) in total, (out, int((rows["status"] == "poor").sum()))
    dest = tmp_path / "classified.parquet"
    assert main(["classify", str(src), str(dest)]) == 0, capsys.readouterr().err
    got = pd.read_parquet(dest)
    assert got["standard"].astype(str).eq("ND07_2021").all()
    assert got["status"].astype(str).tolist() == rows["status"].astype(str).tolist()
