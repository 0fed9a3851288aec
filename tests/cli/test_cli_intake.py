"""``python -m povlib import``, in-process: bad files are refused with the Vietnamese message and a
non-zero exit and leave the store unchanged; ``--valid-only``; the error report; an XLSX round trip."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from povlib import intake as pio
from povlib.cli import main as cli
from povlib.intake import Store
from povlib.intake import limits as intake_limits
from tests.support.intake_files import (
    BAD_INPUT_IDS,
    HEAD,
    ROWS,
    bad_input_cases,
    base_store,
    col,
    csv_bytes,
    damaged_files,
    edit,
    household_header,
    same_classification,
    snapshot,
    write,
)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    """One store for the refused imports (each test asserts that it stays unchanged)."""
    return base_store(tmp_path_factory.mktemp("cli_intake") / "store")


@pytest.fixture
def store(tmp_path):
    """A store of its own, for a test that imports into it."""
    return base_store(tmp_path / "store")


def _xlsx_cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("case_id", BAD_INPUT_IDS)
def test_import_refuses_bad_input_and_leaves_the_store_unchanged(case_id, tmp_path, shared_store, monkeypatch,
                                                                 capsys):
    case = next(c for c in bad_input_cases() if c.id == case_id)
    if case_id == "too_large":
        monkeypatch.setattr(intake_limits, "MAX_FILE_BYTES", 5)
    paths = {n: write(tmp_path, n, b) for n, b in case.files.items()}
    hh = next(p for n, p in paths.items() if n.startswith("h"))
    before = snapshot(shared_store)
    args = ["import", str(hh), "--store", str(shared_store.path), "--by", "Kiểm thử", *case.extra]
    if "m.csv" in paths:
        args += ["--members", str(paths["m.csv"])]
    rc = cli(args)
    err = capsys.readouterr().err
    assert rc != 0
    assert case.fragment in err, err
    after = snapshot(shared_store)
    assert before[0] == after[0]  # no file added, none removed
    assert before[1] == after[1]
    pd.testing.assert_frame_equal(before[2], after[2])


def test_valid_only_imports_valid_rows_and_reports_rejected(tmp_path, store):
    bad = edit(**{f"r1_{col('Số nhân khẩu')}": "0"})
    hh = write(tmp_path, "h.csv", csv_bytes(rows=bad))
    report = tmp_path / "loi.xlsx"
    assert cli(["import", str(hh), "--store", str(store.path), "--by", "A"]) == 1
    assert store.latest_version() == 1
    rc = cli(["import", str(hh), "--store", str(store.path), "--by", "A", "--valid-only",
              "--errors-out", str(report)])
    assert rc == 0
    assert store.latest_version() == 2
    data = store.load()
    assert sorted(data["household_id"]) == ["H001", "H003", "H900"]
    info = store.versions().iloc[-1]
    assert (info["rows_in_file"], info["rows_imported"], info["rows_rejected"]) == (3, 2, 1)
    wb = openpyxl.load_workbook(report, read_only=True)
    sheets = wb.sheetnames
    assert sheets[0] == "Danh sách lỗi" and "Các dòng bị loại" in sheets
    rejected = [r for r in wb["Các dòng bị loại"].iter_rows(values_only=True)]
    assert any("H002" in [str(c) for c in r] for r in rejected)
    errs = [r for r in wb["Danh sách lỗi"].iter_rows(values_only=True)]
    assert any("nằm ngoài khoảng cho phép" in str(c) for r in errs for c in r)


def test_structural_errors_block_valid_only(tmp_path, shared_store):
    hh = write(tmp_path, "h.csv", csv_bytes(HEAD + ["Ghi chú"], [r + ["x"] for r in ROWS]))
    assert cli(["import", str(hh), "--store", str(shared_store.path), "--by", "A", "--valid-only"]) == 1
    assert shared_store.latest_version() == 1


def test_import_round_trip_xlsx_one_year(demo, tmp_path):
    """The demo's 2019 review -> the XLSX template -> ``import`` -> the same households and classification."""
    d = demo[demo["year"] == 2019]
    p = tmp_path / "cho_don_2019.xlsx"
    pio.export_to_template(d, p)
    st = Store(tmp_path / "store")
    assert cli(["import", str(p), "--store", str(st.path), "--by", "Phòng LĐ-TB&XH"]) == 0
    back = st.load_panel()
    assert len(back) == len(d)
    same_classification(back, d)
    raw_cols = [c for c in pio.STORE_COLUMNS if c in d]
    a = back.sort_values("household_id")[raw_cols].reset_index(drop=True)
    b = d.sort_values("household_id")[raw_cols].reset_index(drop=True)
    for c in raw_cols:
        assert a[c].astype("string").tolist() == b[c].astype("string").tolist(), c


def test_import_damaged_files_says_so_without_traceback(tmp_path, capsys):
    for name, data in damaged_files(household_header()).items():
        p = tmp_path / name
        p.write_bytes(data)
        rc = cli(["import", str(p), "--store", str(tmp_path / "store"), "--by", "test",
                  "--errors-out", str(tmp_path / f"loi_{name}.xlsx")])
        err = capsys.readouterr().err
        assert rc == 1, (name, err)
        assert "Traceback" not in err and name in err and "không nạp gì" in err, (name, err)


def test_import_error_report_masks_names_by_default(tmp_path, demo, capsys):
    df = demo[demo["commune_code"].isin(["02020", "02023"]) & (demo["year"] == 2019)].head(4).copy()
    text = pio.export_to_template(df, fmt="csv").decode("utf-8-sig").splitlines()
    cells = next(csv.reader([text[1]]))
    cells[1] = "20x9"  # a bad year: the row is rejected and listed with the head's name
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    text[1] = buf.getvalue().rstrip("\n")
    src = tmp_path / "h.csv"
    src.write_text("\n".join(text), encoding="utf-8")
    name, idn = str(df["head_name"].iloc[0]), str(df["id_number"].iloc[0])
    for extra, shown in (([], False), (["--show-names"], True)):
        out = tmp_path / f"loi_{shown}.xlsx"
        rc = cli(["import", str(src), "--store", str(tmp_path / "store"), "--by", "A", "--errors-out", str(out),
                  *extra])
        capsys.readouterr()
        assert rc == 1
        cells = [str(c) for c in _xlsx_cells(out.read_bytes())]
        assert (name in cells) is shown and (idn in cells) is shown, (extra, cells[-30:])


def test_import_a_2026_file_on_the_2025_units(tmp_path, capsys):
    """A 2026 review on the communes of Decision 19/2025/QĐ-TTg; an old code is refused naming its successor."""
    head = "Mã hộ,Năm rà soát,Mã xã,Tên xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
    good = head + "H1,2026,02026,Xã Nam Cường,Bản Nà,Nông thôn,3,100,40\nH2,2026,02026,Nam Cường,Bản Nà,Nông thôn,2,200,0\n"
    old = head + "H3,2026,02023,Xã Xuân Lạc,Bản Nà,Nông thôn,3,100,40\n"
    store = tmp_path / "store"
    rc = cli(["import", str(write(tmp_path, "old.csv", old.encode())), "--store", str(store), "--by", "Kiểm thử"])
    err = capsys.readouterr().err
    assert rc == 1 and "không còn hiệu lực năm 2026" in err and "Xã Nam Cường (02026)" in err, err
    assert Store(store).latest_version() is None
    rc = cli(["import", str(write(tmp_path, "h2026.csv", good.encode())), "--store", str(store), "--by", "Kiểm thử"])
    assert rc == 0, capsys.readouterr().err
    data = Store(store).load()
    assert data["commune_name"].astype(str).tolist() == ["Xã Nam Cường"] * 2
    assert data["province_code"].astype(str).tolist() == ["19"] * 2 and data["district_code"].isna().all()
    assert data["standard"].astype(str).tolist() == ["ND07_2021"] * 2


def test_versions_and_an_empty_year_speak_vietnamese(tmp_path, capsys):
    """``versions`` printed the store's raw table (English headers ``version_id … undone latest``, ``<NA>``,
    ``True``, UTC ISO times) and ``summary --year`` of a year without rows printed ``Empty DataFrame``."""
    from povlib.intake.store import versions_display

    head = "Mã hộ,Năm rà soát,Mã xã,Tên xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
    good = head + "H1,2026,02026,Xã Nam Cường,Bản Nà,Nông thôn,3,100,40\n"
    store = tmp_path / "store"
    assert cli(["import", str(write(tmp_path, "h.csv", good.encode())), "--store", str(store), "--by", "Kiểm thử"]) == 0
    capsys.readouterr()
    assert cli(["versions", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    shown = versions_display(Store(store).versions(), "vi")
    assert all(str(c) in out for c in shown.columns), out
    assert "version_id" not in out and "<NA>" not in out and "True" not in out and "False" not in out, out
    from povlib.synth import demo_path

    rc = cli(["summary", str(demo_path("cho-don")), "--year", "2031"])
    err = capsys.readouterr()
    assert rc != 0 and "Năm 2031 không có trong dữ liệu" in err.err and "Empty DataFrame" not in err.out


def test_a_blank_year_is_the_year_chosen_at_import(tmp_path, capsys):
    """The template says "Năm rà soát: bắt buộc (trừ khi chọn năm khi nạp)"; a blank cell with ``--year``
    was refused as a blank required cell."""
    head = "Mã hộ,Năm rà soát,Mã xã,Tên xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
    rows = head + "H1,,02026,Xã Nam Cường,Bản Nà,Nông thôn,3,100,40\nH2,2026,02026,Xã Nam Cường,Bản Nà,Nông thôn,2,200,0\n"
    store = tmp_path / "store"
    f = write(tmp_path, "blank.csv", rows.encode())
    assert cli(["import", str(f), "--store", str(store), "--by", "Kiểm thử"]) == 1  # no year chosen: required
    assert "Năm rà soát" in capsys.readouterr().err
    rc = cli(["import", str(f), "--store", str(store), "--by", "Kiểm thử", "--year", "2026"])
    assert rc == 0, capsys.readouterr().err
    assert Store(store).load()["year"].astype(int).tolist() == [2026, 2026]


def test_a_file_without_a_valid_row_does_not_suggest_valid_only(tmp_path, capsys):
    """It said "dùng --valid-only để chỉ nạp 0 dòng hợp lệ"."""
    head = "Mã hộ,Năm rà soát,Mã xã,Tên xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
    bad = head + "H1,2026,02026,Xã Nam Cường,Bản Nà,Đồi,3,100,40\n"
    rc = cli(["import", str(write(tmp_path, "bad.csv", bad.encode())), "--store", str(tmp_path / "s"), "--by", "K"])
    err = capsys.readouterr().err
    assert rc == 1 and "không dòng nào hợp lệ" in err and "--valid-only" not in err, err


def test_import_says_how_many_stored_households_it_replaced(tmp_path, capsys):
    """The rule of the store (an import replaces its communes' review years) said on the command line: a one-row
    file of commune 02020 replaces its two stored households (it printed only "Đã nạp 1 hộ … tổng cộng 2 hộ")."""
    from povlib.i18n import t

    st = tmp_path / "store"
    (tmp_path / "xa.csv").write_bytes(csv_bytes())
    (tmp_path / "sua.csv").write_bytes(csv_bytes(rows=ROWS[:1]))
    assert cli(["import", str(tmp_path / "xa.csv"), "--store", str(st), "--by", "A"]) == 0
    assert "thay cho" not in capsys.readouterr().out  # an empty store: nothing replaced
    assert cli(["import", str(tmp_path / "sua.csv"), "--store", str(st), "--by", "A"]) == 0
    out = capsys.readouterr().out
    assert t("intake.replaced", "vi", n="2", version=2) in out, out
    assert Store(st).version().rows_replaced == 2 and Store(st).households_in([("02020", 2019)]) == 1
    assert Store(st).households_in([("02023", 2019), ("02023", 2019), ("02099", 2019)]) == 1
    assert Store(tmp_path / "empty").households_in([("02020", 2019)]) == 0
