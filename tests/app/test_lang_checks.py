"""Issue 10 item 7: the problem list names each check in the interface's language (catalog
``intake.check.<code>``), never by its internal code; the code stays in a technical column of the
downloads only."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from povlib import i18n
from povlib import intake as pio
from povlib.i18n import t
from tests.support.apptest import open_page, signed_in
from tests.support.intake_files import col, csv_bytes, damaged_files, edit, household_header

BAD_AREA = edit(**{f"r0_{col('Khu vực')}": "Rừng"})


def test_every_check_has_a_name_in_both_languages():
    codes = [k.removeprefix("intake.err.") for k in i18n.catalog("vi") if k.startswith("intake.err.")]
    missing = [c for c in codes if not i18n.has(f"intake.check.{c}")]
    assert not missing, missing
    for lang in i18n.LANGS:
        for c in codes:
            assert pio.check_name(c, lang) != c


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_data_page_problem_list_shows_check_names_not_codes(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("POVLIB_STORE", str(tmp_path / "store"))
    at = open_page("app_pages/data.py", {"f_lang": lang, **signed_in("district_officer", "06")})
    seen = set()
    files = {**damaged_files(household_header()), "vung.csv": csv_bytes(rows=BAD_AREA)}
    for name, data in files.items():
        at.file_uploader(key="in_hh").set_value((name, data, "application/octet-stream")).run()
        assert not at.exception, [e.value for e in at.exception]
        shown = at.dataframe[0].value
        check_col = t("intake.col.check", lang)
        assert t("intake.col.check_code", lang) not in shown.columns
        names = {v for v in shown[check_col] if v}
        assert names, name
        for v in names:
            assert "_" not in v and v in {t(f"intake.check.{c}", lang) for c in (
                "empty_file", "bad_area", "not_xlsx", "unreadable", "bad_encoding", "bad_encoding_headers",
                "missing_column", "too_many_fields", "control_char", "blank_header", "unknown_column",
                "duplicate_column", "wrong_type", "missing_value", "bad_format")}, (name, v)
        seen |= names
    assert t("intake.check.empty_file", lang) in seen and t("intake.check.bad_area", lang) in seen


def test_downloads_keep_the_code_in_a_technical_column():
    res = pio.read_intake(csv_bytes(rows=BAD_AREA), file_name="xa.csv")
    csv = pd.read_csv(io.BytesIO(pio.errors_to_csv_bytes(res, "vi")), encoding="utf-8-sig", dtype=str)
    assert csv[t("intake.col.check", "vi")].tolist()[0] == "Khu vực không hợp lệ"
    assert csv[t("intake.col.check_code", "vi")].tolist()[0] == "bad_area"
    xl = pd.read_excel(io.BytesIO(pio.errors_to_xlsx_bytes(res, "en")), sheet_name=None, header=None)
    cells = {str(v) for df in xl.values() for v in df.to_numpy().ravel()}
    assert {"Invalid area", "bad_area", t("intake.col.check_code", "en")} <= cells
