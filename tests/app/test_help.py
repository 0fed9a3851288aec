"""AppTest of the help page (issue 10 item 12): the standards generated from the rules files, the worked
example computed on the households in view, the import steps and every page of the menu."""
from __future__ import annotations

import pandas as pd

from povlib import standards
from povlib.i18n import fmt_int, fmt_pct, fmt_vnd, t
from povlib.views import deprivation_summary, explain
from tests.support.apptest import open_page
from ui.escape import md_escape
from ui.nav import PAGES


def _text(at) -> str:
    return "\n".join([*(m.value for m in at.markdown), *(c.value for c in at.caption), *(s.value for s in at.subheader),
                      *(e.label for e in at.expander)])


def test_help_is_in_the_menu():
    assert ("app_pages/help.py", "help", "app.page.help", ":material/help:") in PAGES


def test_standards_come_from_the_rules_files():
    at = open_page("app_pages/help.py")
    text = _text(at)
    for sid in standards.available():
        std = standards.get(sid)
        assert std.name("vi") in text
        assert md_escape(std.legal_source) in text
        for area in ("rural", "urban"):
            assert fmt_vnd(std.lines[area].poor) in text  # Vietnamese number format, from the rules
        for ind in std.indicators:
            assert ind.label("vi") in text
    assert "700.000 đồng" in text and "1.500.000 đồng" in text
    # each standard's lines as a static table (st.table: HTML, no grid to draw in the browser), in its order
    drawn = [tb.value.reset_index(drop=True) for tb in at.table]
    wanted = [pd.DataFrame(explain.standard_lines(std, "vi")) for std in standards.in_order()]
    assert len(drawn) == len(wanted) and not at.dataframe
    for got, want in zip(drawn, wanted):
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert t("help.rule.no_income_branch", "vi", k=3).split(":")[0] in text


def test_worked_example_is_computed_on_the_selection(demo):
    code = "02035"
    at = open_page("app_pages/help.py", year="2018", communes=code)
    d = demo[(demo["year"] == 2018) & (demo["commune_code"] == code)]
    s = deprivation_summary(d, "QD59_2015")
    ids = standards.get("QD59_2015").indicator_ids
    q = int((d[ids].sum(axis=1) >= 3).sum())
    text = _text(at)
    assert f"H = {fmt_int(q)} ÷ {fmt_int(len(d))} = **{fmt_pct(s['H'])}**" in text
    assert f"= **{fmt_pct(s['A'])}**" in text
    assert f"{fmt_pct(s['H'])} × {fmt_pct(s['A'])}" in text


def test_import_steps_and_every_page_in_english():
    at = open_page("app_pages/help.py", lang="en")
    text = _text(at)
    assert "templates" in text and "](data?" in text  # a link to the data page, keeping the filters
    for _, url, key, _ in PAGES:
        assert f"[{t(key, 'en')}]({url}?" in text
        assert t(f"help.page_desc.{url}", "en") in text


def test_english_help_gives_each_standard_its_english_source():
    """The local example standard's source is a Vietnamese description in its file; the English help shows
    its English one (``legal_source_en``), the national acts by their titles as published."""
    at = open_page("app_pages/help.py", lang="en")
    text = _text(at)
    for sid in standards.available():
        assert md_escape(standards.get(sid).source("en")) in text
    assert "Chuẩn nghèo riêng" not in text


def test_every_standard_of_the_reviews_describes_its_indicators_and_says_the_wording_is_unconfirmed():
    """Decree 07/2021's twelve indicators had a name only ("Employment – Employment"); each now has its
    definition from docs/poverty-rules.md §3 in both languages, with the note that the wording is unconfirmed."""
    for lang in ("vi", "en"):
        at = open_page("app_pages/help.py", lang=lang)
        text = _text(at)
        for sid in ("ND07_2021", "ND351_2025"):
            for ind in standards.get(sid).indicators:
                assert ind.definition(lang), (sid, ind.id, lang)
                assert ind.definition(lang) in text, (sid, ind.id, lang)
        assert t("help.std.definitions_unconfirmed", lang) in text
    assert "8 m²" in standards.get("ND07_2021").indicator("living_area").definition("en")
