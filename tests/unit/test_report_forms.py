"""The report forms of each standard (issue 12 item 1): Circular 17/2016 for the reviews under Decision 59/2015,
Circular 07/2021 (amended by Circular 02/2022) for those under Decree 07/2021, named in every report's titles,
with a note where the layout was not checked against the circular's annex or no form exists yet."""
from __future__ import annotations

import pytest

from povlib.i18n import t
from povlib.reports import build_report
from povlib.reports.forms import form_for, form_notes, forms


def test_every_national_standard_with_reviews_has_its_form():
    assert [f.id for f in forms()] == ["TT17_2016", "TT07_2021"]
    assert form_for("QD59_2015").legal_source.startswith("Thông tư 17/2016/TT-BLĐTBXH")
    f = form_for("ND07_2021")
    assert "07/2021/TT-BLĐTBXH" in f.legal_source and "02/2022/TT-BLĐTBXH" in f.legal_source
    assert not f.confirmed and not f.assumed
    assert form_for("DN_ND07_local_example").id == "TT07_2021"   # a local standard: its national base's form
    assert form_for("ND351_2025").assumed                      # no circular yet for the 2026–2030 standard


@pytest.mark.parametrize(("year", "circular"), [(2019, "17/2016"), (2022, "07/2021"), (2026, "07/2021")])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_reports_name_the_form_of_the_years_standard(demo, year, circular, lang):
    b = build_report(demo, year, "summary", lang=lang)
    for name, title in b.titles.items():
        line = next(x for x in title if t("report.title.form", lang, source="").strip() in x)
        assert circular in line, (name, title)
        notes = " ".join(b.notes[name])
        assert t("report.note.form_unconfirmed", lang, source="X", layout="Y").split("X")[0] in notes


def test_a_standard_without_a_form_says_which_it_uses():
    vi = " ".join(form_notes("ND351_2025", "vi"))
    assert "Chưa có mẫu biểu ban hành cho chuẩn NĐ 351/2025" in vi and "07/2021" in vi
