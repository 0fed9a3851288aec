"""The command line on bad input and hostile content, in-process: a Vietnamese message and exit 2, never a
traceback; outputs written atomically, spreadsheet formulas neutralised (the ``import`` command:
``tests/cli/test_cli_intake.py``)."""
from __future__ import annotations

import csv
import io

import pytest

from povlib.cli import main
from povlib.i18n import t
from tests.support.intake_files import damaged_files

FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture(scope="module")
def small(demo):
    """A few hundred households of two years."""
    keep = demo["commune_code"].isin(["02020", "02023"]) & demo["year"].isin([2018, 2019])
    return demo[keep].reset_index(drop=True)


def _csv_cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def _no_formula(cells) -> None:
    bad = [c for c in cells if isinstance(c, str) and c[:1] in ("=", "+", "-", "@")]
    assert not bad, bad[:5]


def test_cli_classify_csv_neutralised_and_atomic(tmp_path, small, capsys):
    src = small[small["year"] == 2019].head(30).copy()
    src["village"] = FORMULA
    src = src.drop(columns=["status", "poor_via", "deprivation_count", "average_living_standard"])
    inp = tmp_path / "in.parquet"
    src.to_parquet(inp, index=False)
    out = tmp_path / "out" / "classified.csv"
    assert main(["classify", str(inp), str(out)]) == 0
    cells = _csv_cells(out.read_bytes())
    _no_formula(cells)
    assert "'" + FORMULA in cells
    assert [p.name for p in out.parent.iterdir()] == ["classified.csv"]  # no temporary file left


@pytest.mark.parametrize("command", ["classify", "summary", "plan", "report"])
def test_cli_table_commands_bad_files(tmp_path, capsys, command):
    """classify / summary / plan / report read tables with read_table: same clear message."""
    header = "household_id,year,commune_code,area,members,income"
    for name, data in damaged_files(header).items():
        if name == "chi_tieu_de.csv":
            continue  # readable: the missing columns are reported by classify (tested elsewhere)
        p = tmp_path / name
        p.write_bytes(data)
        argv = {"classify": ["classify", str(p), str(tmp_path / "o.csv")],
                "summary": ["summary", str(p)],
                "plan": ["plan", "--year", "2019", "--input", str(p), "--out", str(tmp_path / "k.xlsx")],
                "report": ["report", "--year", "2019", "--input", str(p), "--out", str(tmp_path / "r.xlsx")]}[command]
        rc = main(argv)
        err = capsys.readouterr().err
        assert rc == 2, (name, err)
        assert err.startswith(t("cli.error", "vi", msg="")) and name in err, (name, err)
        # the reader library's reason in Vietnamese, not its exception (EmptyDataError: No columns to parse …)
        assert not any(e in err for e in ("EmptyDataError", "ArrowInvalid", "BadZipFile", "UnicodeDecodeError",
                                          "InvalidFileException", "CalamineError")), (name, err)
        assert not (tmp_path / "o.csv").exists()


def test_cli_unwritable_output_gives_message(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    rc = main(["report", "--year", "2019", "--kind", "summary", "--scope", "cho-don",
               "--out", str(blocker / "sub" / "r.xlsx")])
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err and err.startswith("Lỗi:"), err


def test_cli_plan_bad_difficult_communes_file(tmp_path, capsys):
    for name, data in damaged_files("commune_code,extremely_difficult,confirmed").items():
        if not name.endswith(".csv") or name == "chi_tieu_de.csv":
            continue
        p = tmp_path / name
        p.write_bytes(data)
        rc = main(["plan", "--year", "2019", "--difficult", str(p), "--out", str(tmp_path / "k.xlsx")])
        err = capsys.readouterr().err
        assert rc == 2 and err.startswith("Lỗi:") and name in err, (name, err)


# --- the tables the commands read (a sweep of the command line, stop 35) -------------------------------
HEADER = "household_id,commune_code,year,income,members,id_number,area,b2_score"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_cli_classify_keeps_id_numbers_as_written(tmp_path, kind, capsys):
    """A CCCD number keeps its leading zeros (it was read as a number: 006057829261 became 6057829261)."""
    import pandas as pd

    rows = [["H1", "02023", 2019, 500000, 4, "006057829261", "rural", 10],
            ["H2", "02023", 2019, 900000, 3, "001099000123", "rural", 20]]
    src = tmp_path / f"in.{kind}"
    frame = pd.DataFrame(rows, columns=HEADER.split(",")).astype({"id_number": str})
    frame.to_csv(src, index=False) if kind == "csv" else frame.to_excel(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["classify", str(src), str(out)]) == 0, capsys.readouterr().err
    cells = _csv_cells(out.read_bytes())
    assert "006057829261" in cells and "001099000123" in cells


@pytest.mark.parametrize("command", ["classify", "summary", "report", "plan"])
def test_cli_blank_or_bad_year_is_refused_naming_the_files_lines(tmp_path, command, capsys):
    """A blank or non-integer year: refused with the lines of the file (header line 1), not a crash (report),
    an empty table (summary) or an accepted file (classify)."""
    src = tmp_path / "nam.csv"
    src.write_text(HEADER + "\nH1,02023,2019,500000,4,0011,rural,10\nH2,02023,,600000,3,0012,rural,10\n"
                   "H3,02023,2019,600000,3,0013,rural,10\nH4,02023,2019.5,600000,3,0014,rural,10\n", encoding="utf-8")
    argv = {"classify": ["classify", str(src), str(tmp_path / "o.csv")],
            "summary": ["summary", str(src)],
            "report": ["report", "--year", "2019", "--input", str(src), "--out", str(tmp_path / "r.xlsx")],
            "plan": ["plan", "--year", "2019", "--input", str(src), "--out", str(tmp_path / "k.xlsx")]}[command]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert t("cli.err.bad_year_cells", "vi", name="nam.csv") in err and "các dòng đầu tiên: 3, 5" in err, err
    assert not (tmp_path / "o.csv").exists()


def test_cli_classify_names_the_files_line_of_a_bad_cell(tmp_path, capsys):
    """Rows named in a message are the file's lines (the third household is on line 4), not pandas' labels."""
    src = tmp_path / "khu_vuc.csv"
    src.write_text(HEADER + "\nH1,02023,2019,500000,4,0011,rural,10\nH2,02023,2019,600000,3,0012,rural,10\n"
                   "H3,02023,2019,600000,3,0013,miền núi,10\n", encoding="utf-8")
    assert main(["classify", str(src), str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "(cột 'area', các dòng đầu tiên: 4)" in err, err


@pytest.mark.parametrize("argv_of", [
    lambda d: ["classify", str(d / "in.csv"), str(d / "out.txt")],
    lambda d: ["classify", str(d / "in.csv"), str(d / "out.xlsx")],
    lambda d: ["generate", "--out", str(d / "g.csv")],
    lambda d: ["generate", "--out", ""],
], ids=["classify-txt", "classify-xlsx", "generate-csv", "generate-empty"])
def test_cli_output_of_another_format_is_refused_and_nothing_written(tmp_path, argv_of, capsys):
    """A Parquet file was written under any name (out.txt, out.xlsx, g.csv); ``--out ""`` wrote the bundled demo."""
    (tmp_path / "in.csv").write_text(HEADER + "\nH1,02023,2019,500000,4,0011,rural,10\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(argv_of(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith(t("cli.error", "vi", msg="")) and "đuôi" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("argv_of, message", [
    (lambda d: ["plan", "--year", "-1", "--out", str(d / "k.xlsx")], "Năm -1 không có trong dữ liệu"),
    (lambda d: ["plan", "--year", str(10**21), "--out", str(d / "k.xlsx")], f"Năm {10**21} không có trong dữ liệu"),
    (lambda d: ["import", str(d / "in.csv"), "--year", str(10**21), "--by", "t", "--store", str(d / "st")],
     f"Không có chuẩn nghèo nào áp dụng cho năm rà soát {10**21}"),
    (lambda d: ["import", str(d / "in.csv"), "--year", "-1", "--by", "t", "--store", str(d / "st")],
     "Không có chuẩn nghèo nào áp dụng cho năm rà soát -1"),
    (lambda d: ["generate", "--scale", "0", "--out", str(d / "g.parquet")], "--scale phải là một số lớn hơn 0"),
    (lambda d: ["generate", "--scale", "nan", "--out", str(d / "g.parquet")], "không phải nan"),
    (lambda d: ["generate", "--scale", "1e7", "--out", str(d / "g.parquet")], "không quá 100 "),
    (lambda d: ["generate", "--seed", "-1", "--out", str(d / "g.parquet")], "--seed phải là một số nguyên không âm"),
    (lambda d: ["generate", "--scope", "vietnam", "--scale", "inf", "--out", str(d / "vn")], "không quá 10 "),
], ids=["plan-year-neg", "plan-year-huge", "import-year-huge", "import-year-neg", "scale-0", "scale-nan",
        "scale-huge", "seed-neg", "national-scale-inf"])
def test_cli_numbers_out_of_range_are_refused_before_any_work(tmp_path, argv_of, message, capsys):
    """A year or a scale that cannot be: a sentence, exit 2, nothing written (they crashed with ValueError,
    OverflowError or a 960 GiB allocation, or generated 5.010 households for --scale 0)."""
    (tmp_path / "in.csv").write_text(HEADER + "\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(argv_of(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith(t("cli.error", "vi", msg="")) and message in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("option, suffix", [("--policies", ".toml"), ("--scenario", ".toml"), ("--scenario", ".json"),
                                            ("--difficult", ".csv")])
def test_cli_plan_files_not_in_utf8_or_folders_are_refused(tmp_path, option, suffix, capsys):
    """A policies, scenario or communes file saved in Windows-1258 (or a folder given for it): a sentence naming
    the file, not UnicodeDecodeError; a TOML error's position in Vietnamese."""
    bad = tmp_path / f"tep{suffix}"
    bad.write_bytes("tên = 'Yên'\n".encode("latin-1"))
    argv = ["plan", "--year", "2019", "--out", str(tmp_path / "k.xlsx"), option]
    assert main([*argv, str(bad)]) == 2
    assert t("files.err.not_utf8", "vi", file=bad.name) in capsys.readouterr().err
    folder = tmp_path / f"thu_muc{suffix}"
    folder.mkdir()
    assert main([*argv, str(folder)]) == 2
    assert t("files.err.not_a_file", "vi", file=folder.name) in capsys.readouterr().err
    if suffix == ".toml":
        bad.write_text("x = \n", encoding="utf-8")
        assert main([*argv, str(bad)]) == 2
        err = capsys.readouterr().err
        assert "(dòng 1, cột 5)" in err and "at line" not in err, err
    assert not (tmp_path / "k.xlsx").exists()


def test_cli_small_holes_of_the_sweep(tmp_path, capsys, monkeypatch):
    """A header-only table printed pandas' "Empty DataFrame"; a household twice in one year was counted twice;
    a file given as the store read as an empty store; a commune code with spaces around was not found."""
    head = tmp_path / "chi_tieu_de.csv"
    head.write_text(HEADER + "\n", encoding="utf-8")
    assert main(["summary", str(head)]) == 2
    assert t("cli.err.no_households", "vi", name=head.name) in capsys.readouterr().err
    twice = tmp_path / "trung.csv"
    twice.write_text(HEADER + "\nH1,02023,2019,500000,4,0011,rural,10\nH2,02023,2019,500000,4,0012,rural,10\n"
                     "H1,02023,2019,500000,4,0011,rural,10\nH1,02023,2018,500000,4,0011,rural,10\n", encoding="utf-8")
    for argv in (["summary", str(twice)], ["classify", str(twice), str(tmp_path / "o.csv")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert t("cli.err.duplicate_ids", "vi", name=twice.name) in err and "các dòng đầu tiên: 2, 4)" in err, err
    assert main(["versions", "--store", str(twice)]) == 2
    assert t("files.err.not_a_folder", "vi", file=twice.name) in capsys.readouterr().err
    out = tmp_path / "r.csv"
    assert main(["report", "--year", "2019", "--kind", "summary", "--commune", " 02035 ", "--out", str(out)]) == 0
    assert (tmp_path / "r_summary_poor.csv").exists()
