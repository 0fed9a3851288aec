"""Reports and the plan as PDF for printing and signing (povlib.reports.pdf, povlib.reports.document).

Each PDF is built, then read back: page size and orientation (pypdf), the official header, the
signature block, Vietnamese diacritics and numbers through text extraction, page numbers, the table
header on every page, and page 1 rendered to PNG (pypdfium2). The xlsx exports carry the same header
and signature rows.
"""
from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pypdf
import pypdfium2
import pytest

import povlib
from povlib.i18n import fmt_int
from povlib.planning import build_plan, load_policies
from povlib.reports import build_report
from povlib.reports.document import document_frame, issuing_unit
from povlib.reports.pdf import Part, document_html, document_pdf

A4_LANDSCAPE = (842, 595)
A4_PORTRAIT = (595, 842)
COMMUNE = "02035"
HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc")
SIGNERS = ("Người lập biểu", "(Ký, ghi rõ họ tên)", "Thủ trưởng đơn vị", "(Ký tên, đóng dấu)")


def _pages(data: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(data)).pages)


def _size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def _text(page) -> str:
    return " ".join(page.extract_text().split())


@pytest.fixture(scope="module")
def summary_pdf(demo) -> bytes:
    return build_report(demo, 2019, "summary").to_pdf()


@pytest.fixture(scope="module")
def posting_pdf(demo) -> bytes:
    return build_report(demo, 2019, "posting", commune=COMMUNE).to_pdf()


def test_summary_pdf_is_a4_landscape_with_the_official_header_and_signatures(summary_pdf, demo):
    pages = _pages(summary_pdf)
    assert {_size(p) for p in pages} == {A4_LANDSCAPE}  # 17 columns: landscape
    first = _text(pages[0])
    assert first.startswith("UBND HUYỆN CHỢ ĐỒN")
    for line in (*HEADER, "Chợ Đồn, ngày …… tháng …… năm ……", "BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO NĂM 2019",
                 "Đơn vị: Huyện Chợ Đồn, Tỉnh Bắc Kạn"):
        assert line in first, line
    # Vietnamese numbers in the table: the district's households with a dot for thousands
    households = povlib.rates(demo[demo["year"] == 2019]).iloc[0]["households"]
    assert fmt_int(households) in " ".join(_text(p) for p in pages) and "." in fmt_int(households)
    assert "15,86" in " ".join(_text(p) for p in pages)  # the end-of-year poverty rate, decimal comma
    # every form (poor, near-poor) starts with the header and ends with the signatures
    texts = [_text(p) for p in pages]
    assert sum(t.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for t in texts) == 2
    assert sum(t.count("Thủ trưởng đơn vị") for t in texts) == 2
    assert all(s in texts[-1] for s in SIGNERS)
    assert [t.rsplit("Trang ", 1)[1] for t in texts] == [f"{i}/{len(pages)}" for i in range(1, len(pages) + 1)]


def test_posting_pdf_repeats_the_table_header_on_every_page(posting_pdf):
    pages = _pages(posting_pdf)
    assert len(pages) > 1
    texts = [_text(p) for p in pages]
    assert texts[0].startswith("UBND XÃ BẢN THI") and "Bản Thi, ngày …… tháng …… năm ……" in texts[0]
    header = "STT Thôn, bản Họ và tên chủ hộ Phân loại hộ"
    for t in texts[:-1]:
        assert header in t
    # the last page: rows under the header again, or only the signatures when the table ended a page before
    assert header in texts[-1] or texts[-1].startswith("Người lập biểu")
    assert "CỘNG HÒA" not in texts[1]  # the document header is printed once per form, not per page
    assert "***" in texts[0]  # names masked by default, in the PDF too


def test_page_one_renders(summary_pdf, tmp_path):
    page = pypdfium2.PdfDocument(summary_pdf)[0]
    image = page.render(scale=1).to_pil()
    image.save(tmp_path / "page1.png")
    assert image.size[0] > image.size[1] and abs(image.size[0] - A4_LANDSCAPE[0]) <= 1
    grey = np.asarray(image.convert("L"))
    assert (grey < 128).mean() > 0.01  # text and rules drawn, not a blank page
    assert (grey[:60] < 128).any()  # the header at the top


def test_the_fonts_are_embedded_noto(summary_pdf):
    fonts = set()
    for page in _pages(summary_pdf):
        for f in page["/Resources"]["/Font"].values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("Noto-Serif" in f for f in fonts) and any("Noto-Sans" in f for f in fonts), fonts
    # the text is in Noto (a symbol Noto Sans lacks, such as the minus sign, may come from another font)
    assert {"Noto-Serif-Bold", "Noto-Serif-Italic", "Noto-Sans-Bold", "Noto-Sans-Italic"} <= {
        f.split("+", 1)[-1] for f in fonts}, fonts


def test_a_narrow_table_is_portrait_and_user_text_is_escaped():
    evil = '<img src="http://x.example/a.png">&amp; Bản <b>Nà</b>'
    df = pd.DataFrame({"Thôn": [evil, "Nà Pài"], "Số hộ": [1234, 5]})
    part = Part(df, titles=("Danh sách",), notes=("ghi chú </p><script>",))
    html = document_html([part], document_frame(None))
    assert "<img" not in html and "<b>Nà" not in html and "<script>" not in html
    assert "&lt;img src=&quot;http://x.example/a.png&quot;&gt;&amp;amp; Bản &lt;b&gt;Nà&lt;/b&gt;" in html
    pages = _pages(document_pdf([part], document_frame(None)))
    assert [_size(p) for p in pages] == [A4_PORTRAIT]
    text = _text(pages[0])
    assert evil in text and "1.234" in text
    assert text.startswith("UBND ……………")  # no unit: dots to fill by hand


def test_issuing_body_from_the_rows(demo):
    y = demo[demo["year"] == 2019]
    assert issuing_unit(y[y["commune_code"] == "02020"]) == "Thị trấn Bằng Lũng"
    assert issuing_unit(y) == "Huyện Chợ Đồn"
    two = pd.concat([y.head(2), y.tail(2).assign(district_code="065", province_code="06")])
    assert issuing_unit(two) == "Tỉnh Bắc Kạn"
    assert issuing_unit(two.assign(province_code=["06", "06", "19", "19"])) is None
    fr = document_frame(y, "en")
    assert fr.issuer == "PEOPLE'S COMMITTEE OF HUYỆN CHỢ ĐỒN" and fr.nation == "SOCIALIST REPUBLIC OF VIETNAM"


@pytest.fixture(scope="module")
def commune_plan(demo):
    rows = demo[(demo["year"] == 2019) & (demo["commune_code"] == COMMUNE)]
    return build_plan(rows, 2019, policies=load_policies(overrides=None), scope_label="Xã Bản Thi")


def test_plan_pdf_header_once_signatures_at_the_end(commune_plan):
    pages = _pages(commune_plan.to_pdf())
    texts = [_text(p) for p in pages]
    assert texts[0].startswith("UBND XÃ BẢN THI")
    assert "KẾ HOẠCH HỖ TRỢ HỘ NGHÈO, HỘ CẬN NGHÈO – NĂM 2019" in texts[0]
    assert sum("CỘNG HÒA" in t for t in texts) == 1 and all(s in texts[-1] for s in SIGNERS)
    for name in commune_plan.sheets:  # every sheet under its name
        assert any(name in t for t in texts), name
    assert _size(pages[0]) == A4_PORTRAIT and A4_LANDSCAPE in {_size(p) for p in pages}  # narrow and wide sheets


def test_xlsx_exports_carry_the_same_header_and_signature_rows(commune_plan):
    wb = openpyxl.load_workbook(io.BytesIO(commune_plan.to_xlsx()))
    for ws in wb.worksheets:
        rows = [[v for v in r if v is not None] for r in ws.iter_rows(values_only=True)]
        assert rows[0] == ["UBND XÃ BẢN THI", HEADER[0]], ws.title
        assert rows[1][-1] == HEADER[1] and ws.cell(2, 1).value.startswith("—")
        assert rows[2] == ["Bản Thi, ngày …… tháng …… năm ……"]
        assert rows[-2] == list(SIGNERS[::2]) and rows[-1] == list(SIGNERS[1::2])
    # the motto is underlined, the issuer bold
    ws = wb.worksheets[0]
    motto = next(c for c in ws[2] if c.value == HEADER[1])
    assert motto.font.u == "single" and ws["A1"].font.b


@pytest.mark.parametrize(("rows", "notes"), [(12, 41), (49, 0)])
def test_the_signatures_never_stand_alone_on_a_page(rows, notes):
    """A table or its notes that end near the foot of a page take their last row or notes to the signatures'
    page (before, these sizes printed the signature block alone on page 2: a page to sign with nothing on it)."""
    df = pd.DataFrame({"Thôn": [f"Thôn {i}" for i in range(rows)], "Số hộ": range(rows)})
    part = Part(df, titles=("Danh sách",), notes=tuple(f"Ghi chú số {i}: một dòng ghi chú khá dài để chiếm chỗ trên trang"
                                                         for i in range(notes)))
    pages = _pages(document_pdf([part], document_frame(None)))
    assert len(pages) == 2
    last = [line for line in pages[1].extract_text().splitlines() if line.strip()]
    assert not last[0].startswith(SIGNERS[0]), last[:3]
    assert SIGNERS[0] in _text(pages[1]) and SIGNERS[0] not in _text(pages[0])
    kept = f"Ghi chú số {notes - 1}" if notes else f"Thôn {rows - 1}"
    assert kept in _text(pages[1])
