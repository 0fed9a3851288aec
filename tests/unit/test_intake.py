"""Intake of the communes' review files: reading and validation (``povlib.intake``).

The classes of bad input are listed in :mod:`tests.support.intake_files`; ``test_bad_input_is_refused``
asserts for each the Vietnamese message, the spreadsheet row number and the column (the ``import``
command on the same files: ``tests/cli/test_cli_intake.py``).

Other tests: Vietnamese / English / unaccented headers, UTF-8, UTF-8 BOM and Windows-1258
CSV, XLSX row numbers, member-derived indicators at the age boundaries, template regeneration,
and the round trip demo -> template CSV -> store -> same classification and same report tables
(the data page: ``tests/app/test_data_page.py``; in a browser: ``tests/e2e/test_data_page_browser.py``).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import povlib
from povlib import intake as pio
from povlib.intake import Store, schema
from povlib.intake import limits as intake_limits
from tests.support import intake_files
from tests.support.intake_files import (
    BAD_INPUT_IDS,
    HEAD,
    MEMBER_HEAD,
    ROWS,
    bad_input_cases,
    base_store,
    col,
    csv_bytes,
    edit,
    same_classification,
    write,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store holding household H900 of commune 02026 in 2019 (read only by these tests)."""
    return base_store(tmp_path_factory.mktemp("intake") / "store")


def test_at_least_12_classes_listed():
    doc = intake_files.__doc__
    listed = [line for line in doc.splitlines() if re.match(r"\s*\d+\. ", line)]
    assert len(listed) >= 12 and len(listed) == len(BAD_INPUT_IDS)  # every case is listed
    assert len(set(BAD_INPUT_IDS)) >= 12


@pytest.mark.parametrize("case_id", BAD_INPUT_IDS)
def test_bad_input_is_refused(case_id, tmp_path, store, monkeypatch):
    case = next(c for c in bad_input_cases() if c.id == case_id)
    if case_id == "too_large":
        monkeypatch.setattr(intake_limits, "MAX_FILE_BYTES", 5)
    paths = {n: write(tmp_path, n, b) for n, b in case.files.items()}
    hh = next(p for n, p in paths.items() if n.startswith("h"))
    year = int(case.extra[1]) if case.extra else None

    r = pio.read_intake(hh, paths.get("m.csv"), year=year, store=store)
    assert not r.ok
    hit = r.errors[(r.errors["check"] == case.check) & (r.errors["file"] == case.file)]
    assert len(hit), r.errors[["file", "row", "column", "check", "message_vi"]].to_string()
    at = hit[hit["row"].isna()] if case.row is None else hit[hit["row"] == case.row]
    assert len(at), hit.to_string()
    e = at.iloc[0]
    assert e["column"] == case.column
    assert case.fragment in e["message_vi"], e["message_vi"]
    assert e["message_en"] and e["message_en"] != e["message_vi"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_encodings(encoding):
    r = pio.read_intake(csv_bytes(encoding=encoding), file_name="x.csv")
    assert r.ok, r.errors
    v = r.valid
    assert v["village"].tolist() == ["Tổ 1", "Tổ 2", "Bản Nà"]
    assert v["commune_name"].tolist() == ["Thị trấn Bằng Lũng", "Thị trấn Bằng Lũng", "Xã Xuân Lạc"]
    assert v["area"].tolist() == ["urban", "urban", "rural"]
    assert v["ethnic_minority"].tolist() == [True, False, True]
    if encoding == "cp1258":
        raw = csv_bytes(encoding=encoding)
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert r.encoding == "cp1258"


def test_semicolon_csv_and_english_and_unaccented_headers():
    en = [schema.header_lookup("household")[schema.header_key(h)] for h in HEAD]
    specs = {s.name: s for s in schema.columns("household")}
    english = [specs[n].en for n in en]
    unaccented = ["MA HO", "nam ra soat", "ma_xa", "Ten xa", "thon ban", "KHU VUC", "so nhan khau",
                  "thu nhap", "diem b1", "diem b2"] + en[10:]
    for head in (english, unaccented, en):
        r = pio.read_intake(csv_bytes(head), file_name="x.csv")
        assert r.ok, (head, r.errors)
        assert len(r.valid) == 3
    text = csv_bytes().decode().replace(",", ";")
    r = pio.read_intake(text.encode(), file_name="x.csv")
    assert r.ok and len(r.valid) == 3


def test_year_from_argument_and_code_without_leading_zero():
    j = HEAD.index("Năm rà soát")
    head = [h for i, h in enumerate(HEAD) if i != j]
    rows = [[v for i, v in enumerate(r) if i != j] for r in ROWS]
    rows[0][head.index("Mã xã")] = "2020"  # Excel dropped the leading zero
    r = pio.read_intake(csv_bytes(head, rows), file_name="x.csv")
    assert not r.ok and r.errors["check"].tolist() == ["missing_column"]
    r = pio.read_intake(csv_bytes(head, rows), file_name="x.csv", year=2019)
    assert r.ok, r.errors
    assert r.valid["year"].tolist() == [2019] * 3
    assert r.valid["commune_code"].tolist()[0] == "02020"
    assert r.valid["standard"].tolist() == ["QD59_2015"] * 3


def test_xlsx_row_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in edit(**{f"r2_{col('Khu vực')}": "Đồi"}):
        ws.append([int(v) if v.isdigit() and not v.startswith("0") else v for v in r])
    p = tmp_path / "x.xlsx"
    wb.save(p)
    r = pio.read_intake(p)
    assert r.errors[["row", "column", "check"]].values.tolist() == [[4, "Khu vực", "bad_area"]]
    assert r.n_rejected == 1 and len(r.valid) == 2
    assert r.valid["commune_code"].tolist() == ["02020", "02020"]


def test_error_report_downloads_neutralise_formulas():
    rows = edit(**{f"r0_{col('Khu vực')}": "=HYPERLINK(\"x\")"})
    r = pio.read_intake(csv_bytes(rows=rows), file_name="x.csv")
    csv = pio.errors_to_csv_bytes(r).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    assert "Nội dung lỗi" in csv.splitlines()[0]
    xl = pio.errors_to_xlsx_bytes(r)
    wb = openpyxl.load_workbook(io.BytesIO(xl))
    vals = [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c is not None]
    assert not any(isinstance(v, str) and v.startswith("=") for v in vals)


# ------------------------------------------------------------------------------------------
# member file
# ------------------------------------------------------------------------------------------
def test_member_derivation_boundaries():
    """Each rule at its boundary (review year 2019)."""
    m = pd.DataFrame({
        "household_id": ["A", "A", "B", "C", "D", "E", "F", "G", "H"],
        "year": [2019] * 9,
        # A: 15 years old born 2004, not in school, no lower-secondary -> adult_education
        # B: born 1985 (before 1986) -> not adult_education; C: aged 14 -> not adult (but child)
        # D: aged 5 not in school -> child; E: aged 15 not in school -> not child (adult though edu 2)
        # F: ill, untreated; G: aged 6 no insurance -> health_insurance; H: aged 5 no insurance -> not
        "birth_year": [2004, 1990, 1985, 2005, 2014, 2004, 1970, 2013, 2014],
        "in_school": [0, 1, 0, 0, 0, 0, 0, 1, 1],
        "education_level": [1, 3, 0, 1, 0, 2, 3, 0, 0],
        "has_health_insurance": [1, 1, 1, 1, 1, 1, 1, 0, 0],
        "ill_untreated": [0, 0, 0, 0, 0, 0, 1, 0, 0],
    })
    d = pio.derive_person_indicators(m).set_index("household_id")
    expect = {
        "A": (1, 0, 0, 0), "B": (0, 0, 0, 0), "C": (0, 1, 0, 0), "D": (0, 1, 0, 0), "E": (0, 0, 0, 0),
        "F": (0, 0, 1, 0), "G": (0, 0, 0, 1), "H": (0, 0, 0, 0),
    }
    for hid, vals in expect.items():
        assert tuple(d.loc[hid, list(pio.PERSON_INDICATORS)]) == vals, hid
    assert d.loc["A", "member_rows"] == 2


def test_member_file_fills_person_indicators(tmp_path):
    person = ["Trình độ giáo dục của người lớn", "Tình trạng đi học của trẻ em", "Tiếp cận các dịch vụ y tế",
              "Bảo hiểm y tế"]
    keep = [i for i, h in enumerate(HEAD) if h not in person and h != "Điểm B2"]
    head = [HEAD[i] for i in keep]
    rows = [[r[i] for i in keep] for r in ROWS]
    members = [
        ["H001", "1", "1960", "Nam", "Không", "1", "Có", "Không"],
        ["H001", "2", "1995", "Nữ", "Không", "1", "Có", "Không"],   # adult education
        ["H001", "3", "2010", "Nam", "Có", "1", "Không", "Không"],  # no insurance, aged 9
        ["H001", "4", "2012", "Nữ", "Có", "0", "Có", "Không"],
        ["H002", "1", "1980", "Nam", "Không", "3", "Có", "Không"],
        ["H002", "2", "1982", "Nữ", "Không", "3", "Có", "Có"],      # ill untreated
        ["H002", "3", "2011", "Nam", "Không", "1", "Có", "Không"],  # child not in school
        ["H003", "1", "1950", "Nam", "Không", "0", "Có", "Không"],
        ["H003", "2", "1955", "Nữ", "Không", "0", "Có", "Không"],
        ["H003", "3", "1985", "Nam", "Không", "1", "Có", "Không"],
        ["H003", "4", "1988", "Nữ", "Không", "3", "Có", "Không"],
        ["H003", "5", "2016", "Nam", "Có", "0", "Có", "Không"],
    ]
    hh = write(tmp_path, "h.csv", csv_bytes(head, rows, encoding="cp1258"))
    mem = write(tmp_path, "m.csv", csv_bytes(MEMBER_HEAD, members, encoding="cp1258"))
    r = pio.read_intake(hh, mem)
    assert r.ok, r.errors[["file", "row", "column", "check", "message_vi"]].to_string()
    v = r.valid.set_index("household_id")
    assert tuple(v.loc["H001", list(pio.PERSON_INDICATORS)]) == (1, 0, 0, 1)
    assert tuple(v.loc["H002", list(pio.PERSON_INDICATORS)]) == (0, 1, 1, 0)
    assert tuple(v.loc["H003", list(pio.PERSON_INDICATORS)]) == (0, 0, 0, 0)
    panel = povlib.classify_households(r.valid)
    assert panel["deprivation_count"].tolist() == [3, 2, 1]
    assert r.member_file_name == "m.csv" and len(r.member_checksum) == 64


def test_member_rules_are_data_with_source():
    rules = schema.member_rules("QD59_2015")
    assert "59/2015" in rules["legal_source"]
    assert rules["adult_education"]["born_from"] == 1986
    assert rules["child_schooling"]["max_age_exclusive"] == 15
    assert rules["health_insurance"]["min_age"] == 6


# ------------------------------------------------------------------------------------------
# template and round trip
# ------------------------------------------------------------------------------------------
def test_templates_regenerate(tmp_path):
    paths = pio.write_templates(tmp_path)
    for p in paths:
        new = openpyxl.load_workbook(p)
        committed = openpyxl.load_workbook(pio.TEMPLATE_DIR / p.name)
        assert new.sheetnames == committed.sheetnames
        for a, b in zip(new.worksheets, committed.worksheets):
            assert [c.value for c in a[1]] == [c.value for c in b[1]], "committed template is stale: run python -m povlib template"
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames == ["Hộ gia đình", "Hướng dẫn"]
    head = [c.value for c in wb.worksheets[0][1]]
    assert head[:3] == ["Mã hộ", "Năm rà soát", "Mã xã"]
    assert all(h in head for h in HEAD)
    # a blank template is an empty file, not a broken one
    r = pio.read_intake(paths[0])
    assert r.errors["check"].tolist() == ["empty_file"]
    notes = [r for r in wb["Hướng dẫn"].iter_rows(values_only=True) if r[2] == "year"][0]
    assert "2016–2030" in notes[4]
    # the header mapping has no ambiguity
    assert schema.header_lookup("household") and schema.header_lookup("member")


def test_round_trip_full_panel_same_reports(demo, tmp_path):
    """Whole demo panel -> template CSV (Windows-1258) -> store -> same classification and reports."""
    from povlib import measures, reports, transitions

    p = tmp_path / "cho_don.csv"
    pio.export_to_template(demo, p, fmt="csv", encoding="cp1258")
    st = Store(tmp_path / "store")
    r = pio.read_intake(p, store=st)
    assert r.ok, r.errors.head()
    st.import_intake(r, imported_by="Phòng LĐ-TB&XH")
    back = st.load_panel()
    same_classification(back, demo)
    by = ["year", "commune_code"]
    ra = measures.rates(back, by).sort_values(by).reset_index(drop=True)
    rb = measures.rates(demo, by).sort_values(by).reset_index(drop=True)
    pd.testing.assert_frame_equal(ra, rb, check_dtype=False, check_categorical=False)
    fa = transitions.flow_table(back).sort_values(["commune_code", "year"]).reset_index(drop=True)
    fb = transitions.flow_table(demo).sort_values(["commune_code", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(fa, fb, check_dtype=False, check_categorical=False)
    for status in ("poor", "near_poor"):
        sa = reports.summary_table(back, 2019, status=status)
        sb = reports.summary_table(demo, 2019, status=status)
        pd.testing.assert_frame_equal(sa.reset_index(drop=True), sb.reset_index(drop=True), check_dtype=False,
                                      check_categorical=False)


def test_upload_limit_matches_streamlit_config():
    """One constant: the page's uploader (MB of 10^6 bytes in the browser) and the command line refuse the same
    bytes; Streamlit's server accepts maxUploadSize MiB (+1 MB), more than that, so povlib's check decides."""
    import tomllib

    cfg = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["maxUploadSize"] == pio.MAX_FILE_MB == intake_limits.MAX_FILE_MB
    assert pio.MAX_FILE_BYTES == intake_limits.MAX_FILE_MB * 1_000_000 == 50_000_000
    assert cfg["server"]["maxUploadSize"] * 1024 * 1024 >= pio.MAX_FILE_BYTES


def test_csv_blank_lines_keep_spreadsheet_row_numbers():
    text = csv_bytes().decode()
    lines = text.splitlines()
    text = "\n".join([lines[0], lines[1], "", lines[2], lines[3].replace("Nông thôn", "Rừng")]) + "\n"
    r = pio.read_intake(text.encode(), file_name="x.csv")
    assert r.errors[["row", "column", "check"]].values.tolist() == [[5, "Khu vực", "bad_area"]]


def test_rejected_rows_are_reported_as_the_file_wrote_them():
    """The error report's sheet of rejected rows showed the values read from them under the template's
    headers: "Nông thôn" as ``rural``, the bad cells ("abc", "12,5", "=SUM(1)") blank, "Điểm B2" where the
    file says "Điểm B". An officer corrects the file from that sheet: it quotes the file."""
    head = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B\n"
    rows = head + "H1,2026,02026,Bản Nà,Nông thôn,abc,\"12,5\",40\nH2,2026,02026,Bản Nà,Nông thôn,3,=SUM(1),40\n" \
                  "H3,2026,02026,Bản Nà,Nông thôn,3,100,40\n"
    r = pio.read_intake(rows.encode(), file_name="x.csv")
    assert r.n_rejected == 2
    wb = openpyxl.load_workbook(io.BytesIO(pio.errors_to_xlsx_bytes(r)))
    sheet = [[c for c in row] for row in wb.worksheets[1].iter_rows(values_only=True)]
    header = next(row for row in sheet if row and "Điểm B" in row)
    assert "Điểm B2" not in header and "Khu vực" in header
    body = sheet[sheet.index(header) + 1:]
    col = {h: i for i, h in enumerate(header)}
    assert [row[col["Khu vực"]] for row in body] == ["Nông thôn", "Nông thôn"]
    assert (body[0][col["Số nhân khẩu"]], body[0][col["Điểm B1"]]) == ("abc", "12,5")
    assert str(body[1][col["Điểm B1"]]).endswith("=SUM(1)") and not str(body[1][col["Điểm B1"]]).startswith("=")


def test_a_blank_member_year_is_the_households_year(tmp_path):
    """The member template says its year column may be left blank; a blank cell was "missing" and the
    member an orphan, while the household with the same blank year was accepted (chosen year)."""
    person = ["Trình độ giáo dục của người lớn", "Tình trạng đi học của trẻ em", "Tiếp cận các dịch vụ y tế",
              "Bảo hiểm y tế"]
    keep = [i for i, h in enumerate(HEAD) if h not in person and h != "Điểm B2"]
    head = [HEAD[i] for i in keep]
    rows = [[r[i] for i in keep] for r in ROWS]
    counts = {r[head.index("Mã hộ")]: int(r[head.index("Số nhân khẩu")]) for r in rows}
    members = [[h, str(k + 1), "1960", "Nam", "Không", "3", "Có", "Không"] for h, n in counts.items() for k in range(n)]
    year = rows[0][head.index("Năm rà soát")]
    with_year = [[*m, year if i else ""] for i, m in enumerate(members)]  # the first member's year blank
    hh = write(tmp_path, "h.csv", csv_bytes(head, rows))
    mem = write(tmp_path, "m.csv", csv_bytes([*MEMBER_HEAD, "Năm rà soát"], with_year))
    for chosen in (None, int(year)):
        r = pio.read_intake(hh, mem, year=chosen)
        assert r.ok, (chosen, r.errors[["file", "row", "column", "check"]].to_string())
        assert len(r.valid) == 3


def test_score_b_of_2027_agrees_with_the_indicators_the_file_has():
    """Decree 351/2025 has 12 indicators; a file of the 2022 columns has 10 of them. Its score B was not
    checked at all and decided the class: B = 20 with three deprivations marked (30 points) was imported as
    near-poor. B must be the marked indicators' points plus, at most, the two missing ones'."""
    head = ("Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Thu nhập bình quân (đồng/người/tháng),Điểm B,"
            "Việc làm,Người phụ thuộc trong hộ gia đình,Dinh dưỡng,Bảo hiểm y tế,Trình độ giáo dục của người lớn,"
            "Tình trạng đi học của trẻ em,Chất lượng nhà ở,Diện tích nhà ở bình quân đầu người,Nguồn nước sinh hoạt,"
            "Nhà tiêu hợp vệ sinh,Sử dụng dịch vụ viễn thông,Phương tiện phục vụ tiếp cận thông tin\n")
    row = "K1,2027,02020,Bản A,Nông thôn,3,1500000,{b},1,0,0,1,0,0,1,0,0,0,0,0\n"  # three marked
    for b, ok in ((20, False), (30, True), (50, True), (60, False)):
        r = pio.read_intake((head + row.format(b=b)).encode(), file_name="b.csv")
        assert (r.n_rejected == 0) is ok, (b, r.errors[["column", "check"]].values.tolist())
        if not ok:
            assert r.errors["check"].tolist() == ["b2_partial_mismatch"], b
