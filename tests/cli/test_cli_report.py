"""``python -m povlib report``, in-process: the workbook and CSV files, the default data source, bad input."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from povlib import intake as pio
from povlib.cli import main
from povlib.intake import Store
from povlib.measures import rates

ROOT = Path(__file__).resolve().parents[2]
DEMO = str(ROOT / "data" / "demo" / "cho_don_panel.parquet")

SAMPLE_CSV = (
    "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
    "H1,2018,02020,Tổ 1,Thành thị,4,130,30\nH2,2018,02020,=HYPERLINK(1),Thành thị,3,200,0\n"
    "H1,2019,02020,Tổ 1,Thành thị,4,150,10\nH2,2019,02020,=HYPERLINK(1),Thành thị,3,100,0\n"
    "H3,2019,02023,+1,Nông thôn,2,100,40\n"
)


def test_writes_xlsx_and_exits_0(tmp_path, capsys):
    out = tmp_path / "bao_cao" / "2019.xlsx"
    assert main(["report", "--year", "2019", "--out", str(out), "--input", DEMO, "--kind", "summary"]) == 0
    assert "Đã ghi" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Hộ nghèo", "Hộ cận nghèo"]
    assert wb["Hộ nghèo"]["A1"].value == "UBND HUYỆN CHỢ ĐỒN"  # the official header above the title
    assert wb["Hộ nghèo"]["A5"].value == "BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO NĂM 2019"
    assert [p.name for p in out.parent.iterdir()] == ["2019.xlsx"]  # no temporary file left


def test_csv_one_file_per_table(tmp_path, demo):
    out = tmp_path / "r.csv"
    assert main(["report", "--year", "2019", "--out", str(out), "--input", DEMO, "--kind", "summary"]) == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["r_summary_near_poor.csv", "r_summary_poor.csv"]
    raw = (tmp_path / "r_summary_poor.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert df.iloc[-1]["Xã, phường, thị trấn"] == "Tổng cộng"
    assert df.iloc[-1]["Số hộ nghèo cuối năm – Số hộ"] == rates(demo[demo["year"] == 2019]).iloc[0]["poor"]
    one = tmp_path / "post.csv"
    assert main(["report", "--year", "2019", "--out", str(one), "--input", DEMO, "--kind", "posting",
                 "--commune", "02035"]) == 0
    assert one.exists()


def test_default_data_source_exits_0(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    rc = main(["report", "--year", "2019", "--out", str(out), "--kind", "groups"])
    err = capsys.readouterr().err
    # the latest stored review when there is one, else the demo panel; both have 2019
    assert rc == 0 or "2019" in err, err
    if rc == 0:
        assert openpyxl.load_workbook(out).sheetnames == ["Theo nhóm đối tượng"]


def test_bad_year_and_format_fail_with_vietnamese_message(tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    assert main(["report", "--year", "1999", "--out", str(out), "--input", DEMO]) != 0
    assert "Năm 1999 không có trong dữ liệu" in capsys.readouterr().err
    assert not out.exists()
    assert main(["report", "--year", "2019", "--out", str(tmp_path / "x.docx"), "--input", DEMO]) != 0
    assert ".pdf" in capsys.readouterr().err


@pytest.fixture()
def store_dir(tmp_path):
    d = tmp_path / "store"
    Store(d).import_intake(pio.read_intake(SAMPLE_CSV.encode(), file_name="xa.csv"), imported_by="Kiểm thử")
    return d


def test_reads_the_latest_stored_version_by_default(store_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POVLIB_STORE", str(store_dir))
    out = tmp_path / "r.xlsx"
    assert main(["report", "--year", "2019", "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert "store:" in said.out
    assert "Lưu ý: 3 hộ được rà soát chỉ với tổng điểm thiếu hụt" in said.err
    wb = openpyxl.load_workbook(out)
    assert "Danh sách niêm yết" in wb.sheetnames
    assert "Dữ liệu minh họa" not in " ".join(str(c.value) for row in wb["Hộ nghèo"].iter_rows() for c in row)


def test_report_and_plan_as_pdf_by_extension(tmp_path, demo):
    import pypdf

    out = tmp_path / "r.pdf"
    assert main(["report", "--year", "2019", "--out", str(out), "--input", DEMO, "--kind", "groups",
                 "--commune", "02035"]) == 0
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "UBND XÃ BẢN THI" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    rows = tmp_path / "ban_thi.parquet"
    demo[(demo["year"] == 2019) & (demo["commune_code"] == "02035")].to_parquet(rows)
    plan = tmp_path / "p.pdf"
    assert main(["plan", "--year", "2019", "--input", str(rows), "--out", str(plan)]) == 0
    pages = pypdf.PdfReader(plan).pages
    assert "UBND XÃ BẢN THI" in pages[0].extract_text() and "Thủ trưởng đơn vị" in pages[-1].extract_text()
    assert main(["plan", "--year", "2019", "--input", str(rows), "--out", str(tmp_path / "p.docx")]) != 0
