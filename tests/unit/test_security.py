"""Security / privacy / error-handling review of povlib and the app's helpers.

* text from outside (imported names) never becomes HTML or Markdown: map tooltips are
  HTML-escaped, ``ui.escape.md_escape`` makes Markdown inert (link parameters on the pages:
  ``tests/app/test_app.py``);
* every export neutralises spreadsheet formulas (households list, reports, plan workbook,
  intake error report; the ``classify`` CSV output: ``tests/cli/test_cli_errors.py``);
* names and ID numbers are masked unless the officer role is selected;
* a damaged, empty or wrongly encoded file gives a Vietnamese message, never a traceback
  (intake here; the command line: ``tests/cli``; the data page: ``tests/app/test_data_page.py``).
"""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from povlib import geo
from povlib import intake as pio
from tests.support.intake_files import damaged_files, household_header
from ui.escape import md_escape
from ui.maps import build_map

XSS = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture(scope="module")
def small(demo):
    """A few hundred households of two years (quick to classify, export and re-read)."""
    keep = demo["commune_code"].isin(["02020", "02023"]) & demo["year"].isin([2018, 2019])
    return demo[keep].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# 1. HTML / Markdown escaping
# --------------------------------------------------------------------------------------------
def test_map_tooltip_escapes_names(demo):
    joined = geo.join_measures(geo.boundaries(), geo.unit_measures(demo, 2019), year=2019)
    joined["name"] = XSS
    joined["district_name"] = ["<b>D1</b>", "<script>alert(2)</script>"] * (len(joined) // 2) + \
        ["x"] * (len(joined) % 2)
    html = build_map(joined, "poor_rate").get_root().render()
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html and "<b>D1</b>" not in html
    # shown as text (folium writes the JSON's "&" as \u0026)
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html or "&lt;img src=x" in html


def test_md_escape_makes_markdown_inert():
    for payload in ("![x](https://evil.example/p.png)", "[Đăng nhập](https://evil.example)",
                    "<img src=x onerror=alert(1)>", ":red[đỏ] :material/home:", "**đậm** `mã` $x$"):
        out = md_escape(payload)
        for ch in "![]()<>:*`$":
            assert f"{ch}" not in out.replace(f"\\{ch}", ""), (payload, out)
    assert md_escape("Xã Bằng Lãng 02020") == "Xã Bằng Lãng 02020"
    # bare web and e-mail addresses are linked by GitHub-flavoured Markdown even when escaped:
    # an invisible zero-width space breaks them (the text reads the same)
    out = md_escape("https://evil.example www.evil.example a@evil.example")
    assert "https://evil" not in out and "www." not in out.replace("\\", "") and "a@" not in out
    assert out.replace("\u200b", "").replace("\\", "") == "https://evil.example www.evil.example a@evil.example"


def test_imported_commune_names_come_from_the_code_list(small):
    """Commune/district names shown in charts are the official names, not the file's text."""
    df = small[small["year"] == 2019].head(20).copy()
    df["village"] = XSS
    data = pio.export_to_template(df, fmt="csv")
    res = pio.read_intake(data, file_name="x.csv")
    assert res.ok, res.errors
    stored = pio.to_store(res.valid)
    assert set(stored["commune_name"].astype(str)) <= set(small["commune_name"].astype(str))
    # a commune name that differs from the code list is a problem, not a new name
    text = data.decode("utf-8-sig").replace(str(df["commune_name"].iloc[0]), "<b>Xã giả</b>", 1)
    bad = pio.read_intake(text.encode("utf-8"), file_name="x.csv")
    assert "commune_name_mismatch" in set(bad.errors["check"])


# --------------------------------------------------------------------------------------------
# 2. formulas neutralised in every export
# --------------------------------------------------------------------------------------------
def _csv_cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def _xlsx_cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _no_formula(cells) -> None:
    bad = [c for c in cells if isinstance(c, str) and c[:1] in ("=", "+", "-", "@")]
    assert not bad, bad[:5]


def test_household_list_export_neutralised_and_masked(small):
    from povlib.export import to_csv_bytes, to_xlsx_bytes
    from povlib.views import household_list

    df = small[small["year"] == 2019].copy()
    df["village"] = FORMULA
    df["head_name"] = "@SUM(1+1)"
    lst = household_list(df, "QD59_2015", lang="vi", show_names=False)
    assert len(lst)
    cells = _csv_cells(to_csv_bytes(lst)) + _xlsx_cells(to_xlsx_bytes(lst))
    _no_formula(cells)
    assert "'" + FORMULA in cells
    assert not any(isinstance(c, str) and "SUM(1+1)" in c for c in cells)  # masked name
    assert not set(df["id_number"].astype(str)) & {c for c in cells if isinstance(c, str)}


def test_report_posting_list_neutralised_and_masked(small):
    from povlib.reports import build_report

    df = small.copy()
    df["village"] = FORMULA
    real = set(df["head_name"].astype(str))
    bundle = build_report(df, 2019, "posting", commune="02020")
    cells = _xlsx_cells(bundle.to_xlsx()) + [c for d in bundle.csv_files().values() for c in _csv_cells(d)]
    _no_formula(cells)
    assert "'" + FORMULA in cells
    assert not real & set(cells)


def test_plan_workbook_neutralised(small):
    from povlib.planning import build_plan

    data = build_plan(small, 2019, scope_label=FORMULA).to_xlsx()
    cells = _xlsx_cells(data)
    _no_formula(cells)


def test_intake_error_report_neutralised_and_masked(small):
    df = small[small["year"] == 2019].head(5).copy()
    text = pio.export_to_template(df, fmt="csv").decode("utf-8-sig").splitlines()
    # the first data row: a formula as the year -> an error whose value is that formula
    cells = next(csv.reader([text[1]]))
    cells[1] = "=1+2"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    text[1] = buf.getvalue().rstrip("\n")
    res = pio.read_intake("\n".join(text).encode("utf-8"), file_name="x.csv")
    assert not res.ok and "=1+2" in set(res.errors["value"])
    csv_cells = _csv_cells(pio.errors_to_csv_bytes(res))
    _no_formula(csv_cells)
    assert "'=1+2" in csv_cells
    x_masked = _xlsx_cells(pio.errors_to_xlsx_bytes(res, show_names=False))
    _no_formula(x_masked)
    name = str(df["head_name"].iloc[0])
    assert name not in x_masked
    assert name in _xlsx_cells(pio.errors_to_xlsx_bytes(res, show_names=True))  # officer


# --------------------------------------------------------------------------------------------
# 3. bad files: a Vietnamese message, never a traceback
# --------------------------------------------------------------------------------------------
def test_intake_bad_files_get_vietnamese_message():
    for name, data in damaged_files(household_header()).items():
        res = pio.read_intake(data, file_name=name)
        assert not res.file_ok, name
        msgs = res.errors["message_vi"].tolist()
        assert msgs and all(m for m in msgs), name
        assert any(w in " ".join(msgs) for w in ("Không đọc được tệp", "Tệp rỗng")), (name, msgs)
        # what the data page draws and offers for download works on it
        assert len(pio.error_report(res, "vi")) == len(msgs)
        assert pio.errors_to_xlsx_bytes(res, "vi", show_names=False)[:2] == b"PK"
        assert pio.errors_to_csv_bytes(res, "en")[:3] == b"\xef\xbb\xbf"
