"""Security / privacy / error-handling review of the dashboard.

Run: ``python -m pytest tests/test_security.py -q`` (about a minute on 2 cores).

* text from outside (imported names, link parameters) never becomes HTML or
  Markdown: map tooltips are HTML-escaped, link parameters shown in warnings
  are Markdown-escaped (no image fetched, no link), the role cannot be set by
  the link;
* every export neutralises spreadsheet formulas (households list, reports,
  plan workbook, intake error report, ``classify`` CSV output);
* names and ID numbers are masked unless the officer role is selected;
* a damaged, empty or wrongly encoded file gives a Vietnamese message, never a
  traceback (intake and the command line);
* command-line outputs are written atomically.
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from povlib import geo
from povlib import intake as pio
from povlib.cli import main
from povlib.i18n import t
from ui.escape import md_escape
from ui.maps import build_map

ROOT = Path(__file__).resolve().parents[2]
XSS = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture(scope="module")
def small(demo):
    """A few hundred households of two years (quick to classify, export and re-read)."""
    keep = demo["gso_code_2019"].isin(["02020", "02023"]) & demo["year"].isin([2018, 2019])
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


def test_link_parameters_shown_literally_and_role_not_settable():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["year"] = "![x](https://evil.example/p.png)"
    at.query_params["group"] = "[bấm vào đây](https://evil.example)"
    at.query_params["role"] = "officer"
    at.query_params["f_role"] = "officer"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 2, warnings
    for w in warnings:
        assert "](" not in w and "![" not in w, w      # no image, no link
        assert "evil\\.example" in w                   # the value is still shown
        assert "https://evil" not in w                 # ... but not as a bare (auto-linked) address
    assert at.session_state["f_role"] == "viewer"


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


# --------------------------------------------------------------------------------------------
# 3. bad files: a Vietnamese message, never a traceback
# --------------------------------------------------------------------------------------------
def _bad_files(tmp_path: Path, header: str) -> dict[str, bytes]:
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("a.txt", "not a workbook")
    return {
        "rac.xlsx": bytes(range(256)) * 20,           # binary garbage named .xlsx
        "zip.xlsx": zbuf.getvalue(),                  # a zip that is no workbook
        "rong.csv": b"",                              # empty
        "chi_tieu_de.csv": (header + "\n").encode("utf-8"),  # only the header
        "nhi_phan.csv": bytes(range(256)) * 20,       # wrong encoding / binary
        "dong_trong.csv": b"\n\n\n",                  # blank lines only
    }


def test_intake_bad_files_get_vietnamese_message(tmp_path):
    header = ",".join(s.vi for s in pio.template_columns("household"))
    for name, data in _bad_files(tmp_path, header).items():
        res = pio.read_intake(data, file_name=name)
        assert not res.file_ok, name
        msgs = res.errors["message_vi"].tolist()
        assert msgs and all(m for m in msgs), name
        assert any(w in " ".join(msgs) for w in ("Không đọc được tệp", "Tệp rỗng")), (name, msgs)
        # what the data page draws and offers for download works on it
        assert len(pio.error_report(res, "vi")) == len(msgs)
        assert pio.errors_to_xlsx_bytes(res, "vi", show_names=False)[:2] == b"PK"
        assert pio.errors_to_csv_bytes(res, "en")[:3] == b"\xef\xbb\xbf"


def test_cli_import_bad_files(tmp_path, capsys):
    header = ",".join(s.vi for s in pio.template_columns("household"))
    for name, data in _bad_files(tmp_path, header).items():
        p = tmp_path / name
        p.write_bytes(data)
        rc = main(["import", str(p), "--store", str(tmp_path / "store"), "--by", "test",
                   "--errors-out", str(tmp_path / f"loi_{name}.xlsx")])
        err = capsys.readouterr().err
        assert rc == 1, (name, err)
        assert "Traceback" not in err and name in err and "không nạp gì" in err, (name, err)


@pytest.mark.parametrize("command", ["classify", "summary", "plan", "report"])
def test_cli_table_commands_bad_files(tmp_path, capsys, command):
    """classify / summary / plan / report read tables with read_table: same clear message."""
    header = "household_id,year,gso_code_2019,area,members,income"
    for name, data in _bad_files(tmp_path, header).items():
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
        assert not (tmp_path / "o.csv").exists()


def test_cli_unwritable_output_gives_message(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    rc = main(["report", "--year", "2019", "--kind", "summary", "--scope", "cho-don",
               "--out", str(blocker / "sub" / "r.xlsx")])
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err and err.startswith("Lỗi:"), err


def test_cli_plan_bad_difficult_communes_file(tmp_path, capsys):
    for name, data in _bad_files(tmp_path, "gso_code_2019,extremely_difficult,confirmed").items():
        if not name.endswith(".csv") or name == "chi_tieu_de.csv":
            continue
        p = tmp_path / name
        p.write_bytes(data)
        rc = main(["plan", "--year", "2019", "--difficult", str(p), "--out", str(tmp_path / "k.xlsx")])
        err = capsys.readouterr().err
        assert rc == 2 and err.startswith("Lỗi:") and name in err, (name, err)


def test_cli_import_error_report_masks_names_by_default(tmp_path, small, capsys):
    df = small[small["year"] == 2019].head(4).copy()
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
        rc = main(["import", str(src), "--store", str(tmp_path / "store"), "--by", "A", "--errors-out", str(out),
                   *extra])
        capsys.readouterr()
        assert rc == 1
        cells = [str(c) for c in _xlsx_cells(out.read_bytes())]
        assert (name in cells) is shown and (idn in cells) is shown, (extra, cells[-30:])


# --------------------------------------------------------------------------------------------
# 4. the data page: bad uploads and a store that cannot be written
# --------------------------------------------------------------------------------------------
def _data_page(monkeypatch, store_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("POVLIB_STORE", str(store_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_data_page_bad_uploads_get_a_message(tmp_path, monkeypatch):
    at = _data_page(monkeypatch, tmp_path / "store")
    header = ",".join(s.vi for s in pio.template_columns("household"))
    for name, data in _bad_files(tmp_path, header).items():
        at.file_uploader(key="in_hh").set_value((name, data, "application/octet-stream")).run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert [e.value for e in at.error] == [t("intake.page.file_errors", "vi")], name
        shown = at.dataframe[0].value
        assert len(shown) >= 1 and shown["Tệp"].eq(name).all(), name
        assert at.button(key="in_go").disabled


def test_data_page_store_not_writable_gives_message(tmp_path, monkeypatch, small):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    at = _data_page(monkeypatch, blocker / "store")   # the store folder cannot be created
    df = small[small["year"] == 2019].head(5)
    at.file_uploader(key="in_hh").set_value(("h.csv", pio.export_to_template(df, fmt="csv"), "text/csv")).run()
    at.text_input(key="in_by").input("Cán bộ A").run()
    assert not at.button(key="in_go").disabled
    at.button(key="in_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Không đọc/ghi được tệp" in e.value and "a\\_file" in e.value for e in at.error), \
        [e.value for e in at.error]
