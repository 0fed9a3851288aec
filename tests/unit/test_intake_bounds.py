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

The smaller holes of item 5 are in ``test_intake_holes.py``.
"""
from __future__ import annotations

import os
import re
import resource
import time
from pathlib import Path

import pandas as pd
import pytest

from povlib import intake as pio
from povlib.cli import main as cli
from povlib.i18n import t
from povlib.intake import limits, worker
from povlib.intake import read as intake_read
from tests.support.hostile_files import (
    HOSTILE,
    ROW,
    assert_unchanged,
    base_store,
    base_xlsx,
    csv_bytes,
    far_cell,
    rezip,
    snapshot,
    with_rows,
)

ROOT = Path(__file__).resolve().parents[2]
#: seconds a refusal may take (generous: the machine running the tests is shared)
TIME_BOUND = 60
#: growth of this process's peak memory a refusal may cause
MEMORY_BOUND = 300 * 1024 * 1024



@pytest.fixture
def store(tmp_path):
    return base_store(tmp_path / "store")


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
    # the fake programs import nothing: 4 s is ample for a fresh interpreter on a busy machine, and the hang
    # waits that long
    monkeypatch.setattr(limits, "WORKER_SECONDS", 4)
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
