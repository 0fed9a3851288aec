"""AppTest smoke test of the "Báo cáo" page: it draws the tables, figures match povlib, names follow the role."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import povlib
from tests.support.apptest import assert_ok, open_page


@pytest.fixture()
def at():
    return open_page("app_pages/reports.py", year="2019")


def _frame(at, i=0):
    """Sheet ``i`` as drawn: a form is a table (it fits the screen), the posting list a grid."""
    return (list(at.table) or list(at.dataframe))[i].value


def _right_aligned(el) -> set[int]:
    """The columns (by position) whose body cells the table's Styler right-aligns."""
    css = el.proto.arrow_data.styler.styles
    return {int(j) for sel, props in re.findall(r"([^{}]+)\{([^}]*)\}", css) if "text-align: right" in props
            for j in re.findall(r"_row\d+_col(\d+)", sel)}


def test_reports_page_summary_matches_rates(at, demo):
    assert at.header[0].value == "Báo cáo"
    assert [t.label for t in at.tabs] == ["Hộ nghèo", "Hộ cận nghèo"]
    df = _frame(at)
    total = df[df["Xã, phường, thị trấn"] == "Tổng cộng"].iloc[0]
    r = povlib.rates(demo[demo["year"] == 2019]).iloc[0]
    assert total["Tổng số hộ dân cư"] == r["households"]
    assert total["Cuối năm – Số hộ"] == r["poor"]
    captions = " ".join(c.value for c in at.caption)
    assert "Cân đối đầu năm – diễn biến – cuối năm đúng trên mọi dòng" in captions


def test_reports_page_posting_list_needs_a_commune(at):
    at.button_group(key="rep_kind").set_value("posting").run()
    assert_ok(at)
    assert any("chọn một xã" in i.value for i in at.info)
    assert not at.dataframe and not at.table


def test_reports_page_posting_list_masks_names_for_viewers(at, demo):
    at.selectbox(key="rep_unit").set_value("02035").run()
    at.button_group(key="rep_kind").set_value("posting").run()
    assert_ok(at)
    df = _frame(at)
    cur = demo[(demo["year"] == 2019) & (demo["commune_code"] == "02035")]
    assert len(df) == int(cur["status"].isin(["poor", "near_poor"]).sum())
    assert df["Họ và tên chủ hộ"].str.contains(r"\*\*\*").all()
    assert any("đang được ẩn" in i.value for i in at.info)
    at.selectbox(key="f_role").set_value("officer").run()
    assert_ok(at)
    df = _frame(at)
    assert set(df["Họ và tên chủ hộ"]) <= set(cur["head_name"])


def test_reports_page_view_comes_from_the_link():
    app = open_page("app_pages/reports.py", year="2019", report="groups", unit="02035")
    assert app.button_group(key="rep_kind").value == "groups"
    assert app.selectbox(key="rep_unit").value == "02035"
    df = _frame(app)
    assert df["Xã, phường, thị trấn"].tolist()[-1] == "Tổng cộng"
    assert "Xã Bản Thi" in df["Xã, phường, thị trấn"].tolist()


@pytest.mark.parametrize("year,lang", [("2016", "vi"), ("2018", "en")])
def test_reports_page_other_years_and_english(year, lang):
    app = open_page("app_pages/reports.py", year=year, lang=lang)
    df = _frame(app)
    total = df.iloc[-1]
    assert total.iloc[1] == ("Tổng cộng" if lang == "vi" else "Total")
    if year == "2016":  # first year of the data: no start-of-year figures, said so
        assert str(total["Đầu năm – Số hộ"]) == "–" and not pd.isna(total["Đầu năm – Số hộ"])  # a dash (issue 10)
        assert any("năm đầu tiên" in c.value for c in app.caption)


def test_reports_page_pdf_is_built_on_click_with_the_official_header(monkeypatch):
    """The PDF button, like the xlsx one, builds its file only when pressed; the file is the printed form."""
    import io

    import pypdf

    from tests.app.test_downloads import MediaLog

    media = MediaLog(monkeypatch)
    app = open_page("app_pages/reports.py", year="2019", report="groups", unit="02035")
    pdfs = [n for n in media.deferred if n.endswith(".pdf")]
    assert pdfs == ["bao_cao_groups_02035_2019.pdf"] and not media.static
    button = next(b for b in app.get("download_button") if b.proto.label == "Tải bản in có chữ ký (.pdf)")
    assert button.proto.deferred_file_id
    text = pypdf.PdfReader(io.BytesIO(media.click(".pdf"))).pages[0].extract_text()
    assert "UBND XÃ BẢN THI" in text and "HỘ NGHÈO, HỘ CẬN NGHÈO THEO NHÓM ĐỐI TƯỢNG NĂM 2019" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_reports_page_shows_povlib_input_errors_in_the_users_language(monkeypatch, lang):
    """A PovlibInputError is shown as its message in the page's language; other errors are not hidden as text."""
    from povlib.errors import PovlibInputError
    from ui import cache

    err = PovlibInputError.from_key("report.err.year", year=2019, years="2016")

    def refuse(*a, **k):
        raise err

    monkeypatch.setattr(cache, "build_report", refuse)
    cache.view_report.clear()
    try:
        from tests.support.apptest import new_page

        app = new_page("app_pages/reports.py", year="2019", lang=lang).run()
        assert [e.value for e in app.error] == [err.message(lang)]
        assert not app.exception
    finally:
        cache.view_report.clear()


def test_reports_page_does_not_print_other_errors_as_messages(monkeypatch):
    """An unexpected error is not a user message: it is not shown as its raw text in an error box."""
    from tests.support.apptest import new_page
    from ui import cache

    def broken(*a, **k):
        raise RuntimeError("internal detail /srv/x")

    monkeypatch.setattr(cache, "build_report", broken)
    cache.view_report.clear()
    try:
        app = new_page("app_pages/reports.py", year="2019").run()
        assert not [e for e in app.error if "internal detail" in e.value]
        assert app.exception
    finally:
        cache.view_report.clear()


@pytest.mark.parametrize("lang,rate", [("vi", r"\d{1,2},\d\d"), ("en", r"\d{1,2}\.\d\d")])
def test_reports_page_percentages_right_aligned_two_decimals(lang, rate, demo):
    """Issue 10: a percentage column with a dash (the group's size row of "Theo chỉ số thiếu hụt") was text:
    left-aligned, and its cells read 6.7 beside 33.27 underneath the grid. Every number column is right-aligned,
    every rate has two decimals in the interface's language."""
    app = open_page("app_pages/reports.py", year="2019", report="indicators", lang=lang)
    df = _frame(app)
    right = _right_aligned(app.table[0])
    rates = [c for c in df.columns if "%" in c]
    counts = [c for c in df.columns[3:] if c not in rates]
    assert len(rates) == len(counts) == 4
    assert {list(df.columns).index(c) for c in rates + counts} <= right
    for c in rates:
        assert df[c].iloc[0] == "–"  # the group's size row has no rate
        assert all(re.fullmatch(rate, v) for v in df[c].iloc[1:]), df[c].tolist()
    poor = demo[(demo["year"] == 2019) & (demo["status"] == "poor")]
    share = 100 * poor["adult_education"].astype(bool).mean()
    expected = f"{share:.2f}".replace(".", "," if lang == "vi" else ".")
    assert df[rates[0]].iloc[1] == expected


def test_reports_page_summary_numbers_right_aligned():
    app = open_page("app_pages/reports.py", year="2016")
    df = _frame(app)
    right = _right_aligned(app.table[0])
    assert set(range(2, len(df.columns))) <= right and 1 not in right, right  # numbers right, names left
    assert df["Đầu năm – Số hộ"].eq("–").all()  # the first year: no start-of-year figures, right-aligned dashes
