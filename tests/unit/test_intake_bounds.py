"""Bounded intake (issue 15, items 1 and 5): a hostile file never takes the server down.

Each hostile workbook class is generated here (small files: a few KB to a few MB) and must be
refused within a bound of time and memory, with its Vietnamese message naming the file, by
``read_intake`` and by ``python -m povlib import`` alike, leaving the store unchanged:

* far cell (one cell at XFD1048576), far column (XFD1), far row (A1048576), a far declared
  ``<dimension>``, cells without their reference placed far away;
* whitespace padding (a compression bomb), identical rows beyond the row limit, a huge single
  cell (too long; and a multi-megabyte one that is a compression bomb), too many rows (CSV),
  too many columns (CSV), too many parts, a part or an archive too large uncompressed;
* a failure of the reader itself – a native crash (SIGABRT), a kill (SIGKILL), the time limit,
  garbage output – becomes a message and the process carries on;
* the problem list stops after ``MAX_PROBLEMS`` and counts the rest.

The smaller holes of item 5: a control character (NUL) in a cell; full-width ``＝`` at the start
of an exported cell; ``h1`` / ``Ｈ1`` beside ``H1``; a blank ``--by``; temporary files left by a
killed import; a file in another encoding; a malformed workbook.
"""
from __future__ import annotations

import io
import os
import re
import resource
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from povlib import intake as pio
from povlib.cli import main as cli
from povlib.errors import PovlibInputError
from povlib.export import neutralise_formulas, neutralise_text, to_csv_bytes, to_xlsx_bytes
from povlib.i18n import t
from povlib.intake import Store, limits, worker
from povlib.intake import read as intake_read

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["Mã hộ", "Năm rà soát", "Mã xã", "Thôn/bản", "Khu vực", "Số nhân khẩu", "Điểm B1", "Điểm B2"]
ROW = ["H1", "2019", "02020", "Tổ 1", "Thành thị", "4", "130", "30"]
#: seconds a refusal may take (generous: the machine running the tests is shared)
TIME_BOUND = 60
#: growth of this process's peak memory a refusal may cause
MEMORY_BOUND = 300 * 1024 * 1024


# ------------------------------------------------------------------------------------ file builders
def csv_bytes(rows, head=HEAD) -> bytes:
    return ("\n".join(",".join(r) for r in [head, *rows]) + "\n").encode("utf-8")


def base_xlsx(rows=(ROW,)) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, sheet=lambda x: x, extra: dict | None = None, level: int = 9) -> bytes:
    """The workbook with its first sheet's XML changed by ``sheet`` (and ``extra`` parts added)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = sheet(part)
            z.writestr(info.filename, part)
        for name, part in (extra or {}).items():
            z.writestr(name, part)
    return out.getvalue()


def with_rows(xml: bytes):
    return lambda x: x.replace(b"</sheetData>", xml + b"</sheetData>")


def far_cell() -> bytes:
    return rezip(base_xlsx(), with_rows(b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'))


def far_column() -> bytes:
    return rezip(base_xlsx(), lambda x: x.replace(b'</row><row r="2"', b'<c r="XFD1" t="n"><v>1</v></c></row><row r="2"', 1))


def far_row() -> bytes:
    return rezip(base_xlsx(), with_rows(b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'))


def far_dimension() -> bytes:
    return rezip(base_xlsx(), lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', x))


def far_without_references() -> bytes:
    """Cells written without ``r``: 101 cells in a row put the last one in column 101."""
    cells = b'<c t="n"><v>1</v></c>' * (limits.MAX_COLUMNS + 1)
    return rezip(base_xlsx(), with_rows(b"<row>" + cells + b"</row>"))


def whitespace_padding() -> bytes:
    """20 MB of spaces inside the sheet: ~20 KB compressed."""
    return rezip(base_xlsx(), lambda x: x.replace(b"</row>", b"</row>" + b" " * 20_000_000, 1))


def identical_rows() -> bytes:
    """The data row repeated down to one row past the limit (~2 MB compressed)."""
    row = (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>H1</t></is></c><c r="B%d" t="n"><v>2019</v></c>'
           b'<c r="C%d" t="inlineStr"><is><t>02020</t></is></c></row>')
    body = b"".join(row % (r, r, r, r) for r in range(3, limits.MAX_ROWS + 3))
    return rezip(base_xlsx(), with_rows(body))


def huge_cell() -> bytes:
    """A village name of 40,000 characters (Excel allows 32,767)."""
    return rezip(base_xlsx(), lambda x: x.replace("<t>Tổ 1</t>".encode(), b"<t>" + b"x" * 40_000 + b"</t>"))


def huge_cell_bomb() -> bytes:
    """One cell of 5,000,000 characters: a part compressed ~1000:1."""
    return rezip(base_xlsx(), lambda x: x.replace("<t>Tổ 1</t>".encode(), b"<t>" + b"x" * 5_000_000 + b"</t>"))


def too_many_parts() -> bytes:
    return rezip(base_xlsx(), extra={f"xl/media/p{i}.bin": b"x" for i in range(limits.MAX_ARCHIVE_PARTS)})


def csv_too_many_rows() -> bytes:
    """One row past the limit, each row a single cell (~400 KB)."""
    return csv_bytes([["x"]] * (limits.MAX_ROWS + 1))


def csv_too_many_columns() -> bytes:
    head = HEAD + [f"c{i}" for i in range(limits.MAX_COLUMNS)]
    return csv_bytes([ROW + ["x"] * limits.MAX_COLUMNS], head)


def csv_huge_cell() -> bytes:
    return csv_bytes([[*ROW[:3], "x" * 40_000, *ROW[4:]]])


#: id -> (file name, builder, check, row, column, value, fragment of the Vietnamese message)
HOSTILE = {
    "far_cell": ("xa.xlsx", far_cell, "too_many_columns", None, "", "XFD1048576", "có dữ liệu ở ô XFD1048576"),
    "far_column": ("xa.xlsx", far_column, "too_many_columns", None, "", "XFD1", "vượt giới hạn 100 cột"),
    "far_row": ("xa.xlsx", far_row, "too_many_rows", None, "", "A1048576", "có dữ liệu đến dòng 1.048.576"),
    "far_dimension": ("xa.xlsx", far_dimension, "sheet_dimension", None, "", "A1:XFD1048576",
                      "khai báo vùng dữ liệu A1:XFD1048576"),
    "far_without_references": ("xa.xlsx", far_without_references, "too_many_columns", None, "", "CW3",
                               "vượt giới hạn 100 cột"),
    "whitespace_padding": ("xa.xlsx", whitespace_padding, "archive_ratio", None, "", "xl/worksheets/sheet1.xml",
                           "bom nén"),
    "identical_rows": ("xa.xlsx", identical_rows, "too_many_rows", None, "", "A200002",
                       "vượt giới hạn 200.000 dòng dữ liệu"),
    "huge_cell": ("xa.xlsx", huge_cell, "cell_too_long", 2, "D", "40000", "vượt giới hạn 32.767 ký tự"),
    "huge_cell_bomb": ("xa.xlsx", huge_cell_bomb, "archive_ratio", None, "", "xl/worksheets/sheet1.xml",
                       "bom nén"),
    "too_many_parts": ("xa.xlsx", too_many_parts, "archive_parts", None, "", None, "vượt giới hạn 1.000 thành phần"),
    "csv_too_many_rows": ("xa.csv", csv_too_many_rows, "too_many_rows", None, "", "200002",
                          "vượt giới hạn 200.000 dòng dữ liệu"),
    "csv_too_many_columns": ("xa.csv", csv_too_many_columns, "too_many_columns", None, "", "CW1",
                             "vượt giới hạn 100 cột"),
    "csv_huge_cell": ("xa.csv", csv_huge_cell, "cell_too_long", 2, "D", "40000", "vượt giới hạn 32.767 ký tự"),
}


@pytest.fixture
def store(tmp_path):
    st = Store(tmp_path / "store")
    st.import_intake(pio.read_intake(csv_bytes([["H900", "2019", "02026", "Bản Khuổi", "Nông thôn", "2", "100", "0"]]),
                                     file_name="base.csv"), imported_by="Tổ công tác")
    return st


def snapshot(st: Store):
    files = sorted((str(p.relative_to(st.path)), p.stat().st_size) for p in st.path.rglob("*") if p.is_file())
    return files, st.versions().to_dict("list"), st.load()


def assert_unchanged(before, st: Store) -> None:
    after = snapshot(st)
    assert before[0] == after[0] and before[1] == after[1]
    pd.testing.assert_frame_equal(before[2], after[2])


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def children_peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


# ------------------------------------------------------------------------------------ item 1: bounds
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_refused_within_bounds(case, tmp_path, store, capsys):
    name, build, check, row, column, value, fragment = HOSTILE[case]
    data = build()
    assert len(data) < 5_000_000, "hostile test files stay small"
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(store)

    rss0, t0 = peak_rss(), time.monotonic()
    r = pio.read_intake(path, store=store)
    took = time.monotonic() - t0
    assert took < TIME_BOUND, took
    assert peak_rss() - rss0 < MEMORY_BOUND
    assert children_peak_rss() <= limits.WORKER_MEMORY_BYTES  # the worker ran within its RLIMIT_AS

    assert not r.ok and not r.file_ok and r.valid.empty
    e = r.errors.iloc[0]
    assert (e["file"], e["check"], e["column"]) == (name, check, column), r.errors.to_dict("records")
    assert value is None or e["value"] == value, e["value"]
    assert (pd.isna(e["row"]) and row is None) or e["row"] == row
    assert fragment in e["message_vi"], e["message_vi"]
    assert e["message_en"] and e["message_en"] != e["message_vi"]
    assert len(r.errors) == 1

    rc = cli(["import", str(path), "--store", str(store.path), "--by", "Kiểm thử"])
    err = capsys.readouterr().err
    assert rc == 1 and name in err and fragment in err and "Traceback" not in err, err
    assert_unchanged(before, store)


def test_limits_of_the_archive_are_each_checked(tmp_path, monkeypatch):
    """A part, and all parts together, beyond their uncompressed size (limits lowered: small files)."""
    noise = os.urandom(300_000)  # does not compress: the ratio stays low
    data = rezip(base_xlsx(), extra={"xl/media/a.bin": noise, "xl/media/b.bin": noise})
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 200_000)
    r = pio.read_intake(data, file_name="xa.xlsx")
    assert r.errors["check"].tolist() == ["archive_part_size"] and r.errors["value"].iloc[0] == "xl/media/a.bin"
    assert "vượt giới hạn 200.000 byte" in r.errors["message_vi"].iloc[0]
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 1_000_000)
    monkeypatch.setattr(limits, "MAX_ARCHIVE_BYTES", 500_000)
    r = pio.read_intake(data, file_name="xa.xlsx")
    assert r.errors["check"].tolist() == ["archive_size"]
    assert "lớn hơn giới hạn 500.000 byte" in r.errors["message_vi"].iloc[0]


def test_limits_at_the_boundary_are_accepted(monkeypatch):
    """Exactly MAX_ROWS data rows and MAX_COLUMNS columns, a cell of MAX_CELL_CHARS: read."""
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    rows = [[f"H{i}", *ROW[1:]] for i in range(3)]
    rows[0][3] = "x" * limits.MAX_CELL_CHARS
    assert pio.read_intake(csv_bytes(rows), file_name="xa.csv").ok
    assert pio.read_intake(csv_bytes(rows + [["H9", *ROW[1:]]]), file_name="xa.csv").errors["check"].tolist() == \
        ["too_many_rows"]
    xl = base_xlsx([[int(v) if v.isdigit() and not v.startswith("0") else v for v in r] for r in rows])
    assert pio.read_intake(xl, file_name="xa.xlsx").ok
    # blank lines after the last row are not rows
    assert pio.read_intake(csv_bytes(rows) + b"\n" * 10, file_name="xa.csv").ok


def test_formatted_empty_cells_far_away_do_not_count():
    """``<c r="XFD9" s="1"/>`` only carries a format: no data, not refused."""
    data = rezip(base_xlsx(), with_rows(b'<row r="9"><c r="XFD9" s="0"/></row>'))
    assert pio.read_intake(data, file_name="xa.xlsx").ok


def test_native_crash_of_the_reader_becomes_a_message(monkeypatch):
    """With the extent checks lifted, the far cell makes the native reader allocate 512 GiB: under the
    worker's RLIMIT_AS it aborts (SIGABRT). The message names the file; this process carries on."""
    monkeypatch.setattr(limits, "MAX_COLUMNS", limits.EXCEL_MAX_COLUMNS)
    monkeypatch.setattr(limits, "MAX_ROWS", limits.EXCEL_MAX_ROWS - 1)
    monkeypatch.setattr(limits, "WORKER_MEMORY_BYTES", 1024**3)
    r = pio.read_intake(far_cell(), file_name="xa.xlsx")
    e = r.errors.iloc[0]
    assert (e["file"], e["check"]) == ("xa.xlsx", "reader_crashed"), r.errors.to_dict("records")
    assert "dừng bất thường" in e["message_vi"] and "Máy chủ vẫn hoạt động bình thường" in e["message_vi"]
    assert pio.read_intake(base_xlsx(), file_name="xa.xlsx").ok  # and the next file is read


@pytest.mark.parametrize("program, check, value", [
    ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "reader_crashed", "SIGKILL"),
    ("import os, signal; os.kill(os.getpid(), signal.SIGABRT)", "reader_crashed", "SIGABRT"),
    ("import sys; sys.stdout.write('not json')", "reader_crashed", "output"),
    ("import sys; sys.exit(3)", "reader_crashed", "exit 3"),
    ("import time; time.sleep(120)", "reader_timeout", ""),
], ids=["sigkill", "sigabrt", "garbage", "exit", "hang"])
def test_any_failure_of_the_worker_becomes_a_message(program, check, value, tmp_path, monkeypatch):
    fake = tmp_path / "worker.py"
    fake.write_text(program + "\n", encoding="utf-8")
    monkeypatch.setattr(intake_read, "WORKER", fake)
    monkeypatch.setattr(limits, "WORKER_SECONDS", 15)  # ample for a fresh interpreter on a busy machine
    t0 = time.monotonic()
    r = pio.read_intake(csv_bytes([ROW]), file_name="xa.csv")
    assert time.monotonic() - t0 < 90
    e = r.errors.iloc[0]
    assert (e["file"], e["check"], e["value"]) == ("xa.csv", check, value)
    assert e["message_vi"].startswith("Không đọc được tệp") and not r.file_ok


def test_exit_status_meanings():
    import signal

    assert intake_read._exit_refusal(-signal.SIGXCPU)["check"] == "reader_timeout"
    assert intake_read._exit_refusal(-signal.SIGXFSZ)["check"] == "reader_output"
    assert intake_read._exit_refusal(-signal.SIGKILL)["value"] == "SIGKILL"


def test_time_limit_of_the_worker(monkeypatch):
    monkeypatch.setattr(limits, "WORKER_SECONDS", 0.001)
    r = pio.read_intake(csv_bytes([ROW]), file_name="xa.csv")
    assert r.errors["check"].tolist() == ["reader_timeout"]
    assert "giây nên đã dừng" in r.errors["message_vi"].iloc[0]


def test_problem_list_stops_and_counts_the_rest(tmp_path, capsys):
    n = limits.MAX_PROBLEMS + 500
    rows = [[f"H{i}", "2019", "02020", "Tổ 1", "Rừng", "4", "130", "30"] for i in range(n)]
    path = tmp_path / "xa.csv"
    path.write_bytes(csv_bytes(rows))
    r = pio.read_intake(path)
    assert len(r.errors) == limits.MAX_PROBLEMS and r.n_problems == n and r.n_rejected == n
    assert r.errors["row"].tolist() == list(range(2, limits.MAX_PROBLEMS + 2))  # the first ones
    rep = pio.error_report(r, "vi")
    assert len(rep) == limits.MAX_PROBLEMS + 1
    assert rep.iloc[-1][t("intake.col.message", "vi")].startswith("… và 500 lỗi khác không liệt kê")
    assert "… and 500 more problems" in pio.errors_to_csv_bytes(r, "en").decode("utf-8-sig")
    rc = cli(["import", str(path), "--store", str(tmp_path / "s"), "--by", "A"])
    err = capsys.readouterr().err.splitlines()
    assert rc == 1 and len(err) == limits.MAX_PROBLEMS + 2
    assert err[-2].startswith("xa.csv … và 500 lỗi khác") and "1.500 lỗi" in err[-1]


def test_problem_list_keeps_file_level_problems_of_a_later_file(tmp_path):
    """More problems than listed in the household file, a missing column in the member file: still structural."""
    rows = [[f"H{i}", "2019", "02020", "Tổ 1", "Rừng", "4", "130", "30"] for i in range(limits.MAX_PROBLEMS + 5)]
    r = pio.read_intake(csv_bytes(rows), csv_bytes([["H1", "1990"]], ["Mã hộ", "Năm sinh"]), file_name="h.csv",
                        member_file_name="m.csv")
    assert not r.file_ok and r.n_problems > len(r.errors)


def test_limits_are_stated_in_the_readme_and_on_both_paths():
    readme = (ROOT / "data" / "templates" / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Limits"):]
    for name in limits.NAMES:
        value = getattr(limits, name)
        assert f"`{name}`" in table, name
        assert f"{value:,}" in table, (name, value)
    assert "50,000,000 bytes" in readme
    cli_src = (ROOT / "povlib" / "cli" / "intake.py").read_text(encoding="utf-8")
    page_src = (ROOT / "app_pages" / "data.py").read_text(encoding="utf-8")
    assert "read_intake" in cli_src and "read_intake" in page_src  # one reader, one set of limits and messages
    assert "limits.MAX_FILE_MB" in page_src and "limits.MAX_FILE_BYTES" in page_src


def test_worker_imports_nothing_of_povlib():
    """It runs by path in a fresh interpreter: the server's modules and data are not loaded there."""
    src = Path(worker.__file__).read_text(encoding="utf-8")
    assert "povlib" not in "".join(re.findall(r"^(?:from|import) .*$", src, re.M))
    assert "from ." not in src


# ------------------------------------------------------------------------------------ item 5: holes
def test_control_character_in_a_cell_is_refused(tmp_path, store):
    rows = [ROW, ["H2", "2019", "02020", "Bản\x00Nà", "Thành thị", "4", "130", "30"],
            ["H3", "2019", "02020", "Tổ\u202e 3", "Thành thị", "4", "130", "30"]]
    r = pio.read_intake(csv_bytes(rows), file_name="xa.csv")
    got = r.errors[["file", "row", "column", "check", "value"]].values.tolist()
    assert got == [["xa.csv", 3, "Thôn/bản", "control_char", "Bản\\x00Nà"],
                   ["xa.csv", 4, "Thôn/bản", "control_char", "Tổ\\u202e 3"]]
    assert "ký tự điều khiển" in r.errors["message_vi"].iloc[0] and r.file_ok
    assert r.valid["household_id"].tolist() == ["H1"]
    # in a workbook (OOXML writes it _x0000_) too
    xl = rezip(base_xlsx(), lambda x: x.replace("<t>Tổ 1</t>".encode(), "<t>Bản_x0000_Nà</t>".encode()))
    r = pio.read_intake(xl, file_name="xa.xlsx")
    assert r.errors[["row", "column", "check"]].values.tolist() == [[2, "Thôn/bản", "control_char"]]
    # nothing with a control character reaches the store, even with --valid-only
    path = tmp_path / "xa.csv"
    path.write_bytes(csv_bytes(rows))
    assert cli(["import", str(path), "--store", str(store.path), "--by", "A", "--valid-only"]) == 0
    assert not store.load()["village"].astype(str).str.contains("[\x00-\x1f\u202e]").any()


def test_tab_and_line_breaks_in_a_cell_are_kept():
    rows = [["H1", "2019", "02020", '"Tổ 1\nngõ 2"', "Thành thị", "4", "130", "30"]]
    r = pio.read_intake(csv_bytes(rows), file_name="xa.csv")
    assert r.ok and r.valid["village"].tolist() == ["Tổ 1\nngõ 2"]


@pytest.mark.parametrize("text", ["＝1+1", "＋84 912", "－2", "＠SUM(A1)", "﹦HYPERLINK(x)", "﹢1"],
                         ids=["eq", "plus", "minus", "at", "small_eq", "small_plus"])
def test_full_width_formula_starters_are_neutralised(text):
    assert neutralise_text(text) == "'" + text
    df = pd.DataFrame({"village": [text, "Bản Nà"], "n": [1, 2]})
    assert neutralise_formulas(df)["village"].tolist() == ["'" + text, "Bản Nà"]
    assert neutralise_formulas(df.astype({"village": "category"}))["village"].tolist() == ["'" + text, "Bản Nà"]
    assert ("'" + text) in to_csv_bytes(df).decode("utf-8-sig")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"x": df})))
    assert "'" + text in [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row]


def test_household_ids_differing_in_case_or_width_are_one_id(tmp_path):
    rows = [ROW, ["h1", *ROW[1:]], ["Ｈ1", *ROW[1:]], ["H2", *ROW[1:]]]
    r = pio.read_intake(csv_bytes(rows), file_name="xa.csv")
    dup = r.errors[r.errors["check"] == "duplicate_id"]
    assert dup[["row", "value"]].values.tolist() == [[2, "H1"], [3, "h1"], [4, "Ｈ1"]]
    assert "không phân biệt chữ hoa, chữ thường và chữ toàn khổ" in dup["message_vi"].iloc[1]
    assert r.valid["household_id"].tolist() == ["H2"]
    # stored as compared; an id of an older store spelled otherwise is still the same household
    r = pio.read_intake(csv_bytes([["ｈ7", *ROW[1:]]]), file_name="xa.csv")
    assert r.ok and r.valid["household_id"].tolist() == ["H7"]
    st = Store(tmp_path / "s")
    old = pio.to_store(pio.read_intake(csv_bytes([["H9", "2019", "02026", "Bản", "Nông thôn", "2", "100", "0"]]),
                                       file_name="cu.csv").households).assign(household_id="h9")
    st.import_table(old, file_name="cu.csv", checksum="", imported_by="A")
    r = pio.read_intake(csv_bytes([["H9", *ROW[1:]]]), file_name="xa.csv", store=st)
    assert r.errors["check"].tolist() == ["id_other_commune"]
    with pytest.raises(PovlibInputError):
        st.import_table(pio.to_store(r.households), file_name="xa.csv", checksum="", imported_by="A")


def test_blank_name_is_refused_for_undo_and_import(tmp_path, store, capsys):
    before = snapshot(store)
    with pytest.raises(PovlibInputError):
        store.undo(1, imported_by="   ")
    assert cli(["undo", "1", "--store", str(store.path), "--by", "   "]) == 2
    assert "không được để trống" in capsys.readouterr().err
    path = tmp_path / "xa.csv"
    path.write_bytes(csv_bytes([ROW]))
    assert cli(["import", str(path), "--store", str(store.path), "--by", " \t "]) == 2
    assert_unchanged(before, store)
    assert cli(["undo", "1", "--store", str(store.path), "--by", "  Trưởng phòng "]) == 0
    assert store.versions()["imported_by"].tolist()[-1] == "Trưởng phòng"


def test_stale_temporary_files_are_cleaned_safely(tmp_path, store):
    import fcntl

    parts = store.parts_dir
    old = time.time() - limits.STALE_TEMP_SECONDS - 60
    stale = parts / ".tmp-killed.parquet"
    stale.write_bytes(b"half a part")
    stale_version = store.versions_dir / ".tmp-killed.json"
    stale_version.write_text("{")
    fresh = parts / ".tmp-fresh.parquet"
    fresh.write_bytes(b"being written")
    held = parts / ".tmp-held.parquet"
    held.write_bytes(b"a slow import")
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    link = parts / ".tmp-link.parquet"
    link.symlink_to(outside)
    for p in (stale, stale_version, held):
        os.utime(p, (old, old))
    os.utime(link, (old, old), follow_symlinks=False)
    fd = os.open(held, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a live import holds it
    try:
        path = tmp_path / "xa.csv"
        path.write_bytes(csv_bytes([ROW]))
        assert cli(["import", str(path), "--store", str(store.path), "--by", "A"]) == 0
        assert not stale.exists() and not stale_version.exists()
        assert fresh.exists() and held.exists() and link.is_symlink() and outside.read_text() == "keep"
    finally:
        os.close(fd)
    assert [p.name for p in store.clean_stale_temp()] == [held.name]
    assert store.latest_version() == 2 and sorted(store.load()["household_id"]) == ["H1", "H900"]


def test_file_in_another_encoding_is_named_as_such():
    # a VNI file read as Windows-1258: 'Maõ hoä' for 'Mã hộ' – one message, not a column list
    vni = ["Maõ hoä", "Naêm raø soaùt", "Maõ xaõ", "Thoân/baûn", "Khu vöïc", "Soá nhaân khaåu", "Ñieåm B1", "Ñieåm B2"]
    data = ("\n".join([",".join(vni), "H1,2019,02020,To 1,Thanh thi,4,130,30"]) + "\n").encode("cp1252")
    r = pio.read_intake(data, file_name="xa.csv")
    assert r.errors["check"].tolist() == ["bad_encoding_headers"] and not r.file_ok
    assert "không được lưu bằng mã UTF-8 hoặc Windows-1258" in r.errors["message_vi"].iloc[0]
    assert "CSV UTF-8" in r.errors["message_vi"].iloc[0]
    # UTF-16 without its byte-order mark
    r = pio.read_intake(csv_bytes([ROW]).decode().encode("utf-16-le"), file_name="xa.csv")
    assert r.errors["check"].tolist() == ["bad_encoding"]
    assert r.errors["message_vi"].iloc[0].startswith("Không đọc được tệp: tệp có vẻ không được lưu bằng mã UTF-8")
    # bytes that are neither UTF-8 nor Windows-1258
    r = pio.read_intake(csv_bytes([ROW]) + b"\x81\x8a", file_name="xa.csv")
    assert r.errors["check"].tolist() == ["bad_encoding"]
    # a header that is only unknown (no foreign letter) is still an unknown column
    r = pio.read_intake(csv_bytes([ROW + ["x"]], HEAD + ["Ghi chú"]), file_name="xa.csv")
    assert r.errors["check"].tolist() == ["unknown_column"]


@pytest.mark.parametrize("data", [
    b"PK\x03\x04 not a workbook",
    bytes(range(256)) * 20,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # an old .xls / a password-protected workbook
], ids=["zip_header_only", "binary", "ole2"])
def test_malformed_workbook_gets_a_vietnamese_sentence(data):
    r = pio.read_intake(data, file_name="xa.xlsx")
    assert r.errors["check"].tolist() == ["not_xlsx"]
    vi = r.errors["message_vi"].iloc[0]
    assert vi.startswith("Không đọc được tệp: đây không phải bảng tính .xlsx hợp lệ") and "Error" not in vi


def test_broken_sheet_xml_gets_a_vietnamese_sentence():
    data = rezip(base_xlsx(), lambda x: x.replace(b"</sheetData>", b"<row r='9'><c r='A9' t='s'><v>x</v></row>"))
    r = pio.read_intake(data, file_name="xa.xlsx")
    e = r.errors.iloc[0]
    assert e["check"] == "unreadable" and not r.file_ok
    assert e["message_vi"].startswith("Không đọc được tệp. Hãy mở tệp bằng Excel") and "Error" not in e["message_vi"]
    assert "Error" in e["message_en"]  # the reader's own words, for support, in English only
