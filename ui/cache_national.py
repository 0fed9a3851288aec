"""Cached tables of the national dataset for the pages that :mod:`ui.cache` does not cover yet: compare,
reports and planning of a province or the country (small tables from :mod:`povlib.query`, never the
households). Same rules as :mod:`ui.cache`: one function per table, keyed on the hashable selection."""
from __future__ import annotations

import streamlit as st

from povlib import views
from povlib.reports import national as national_reports
from povlib.views import Selection, national_compare
from ui.cache import NATIONAL, _nsrc, is_synthetic, panel_info


def compare_level(sel: Selection) -> str:
    """The units the compare page puts side by side: the communes of the chosen province, else provinces."""
    return "commune" if sel.district else "province"


@st.cache_data(show_spinner=False, max_entries=32)
def nat_compare_choices(sel: Selection, year: int) -> dict[str, str]:
    """Code -> name of the units one may compare in ``year`` (:func:`povlib.views.national_compare.unit_choices`)."""
    return national_compare.unit_choices(_nsrc(sel.panel.standard), year, compare_level(sel), province=sel.district)


@st.cache_data(show_spinner=False, max_entries=32)
def nat_compare(sel: Selection, codes: tuple[str, ...], year: int) -> views.Comparison:
    """:func:`povlib.views.national_compare.compare_units` (group filter applied, commune filter ignored)."""
    return national_compare.compare_units(_nsrc(sel.panel.standard), codes, year, compare_level(sel), province=sel.district,
                                          group=sel.group, standard=sel.panel.standard)


@st.cache_data(show_spinner=False, max_entries=16)
def nat_report(sel: Selection, year: int, kind: str, lang: str, pct_base: str):
    """:func:`povlib.reports.national.build_report` of the selection's province (rows: its communes) or of
    the country (rows: the provinces); the group and commune filters are not used (the forms count every
    household)."""
    return national_reports.build_report(_nsrc(sel.panel.standard), year, kind, lang=lang, level="commune" if sel.district else "province",
                                         province=sel.district, synthetic=is_synthetic(sel.panel.dataset), pct_base=pct_base,
                                         applied_standard=sel.panel.standard)


def commune_province_units(year: int) -> dict[str, tuple[str, str]]:
    """Commune code -> (its province's code, its name) in ``year``, the provinces in Vietnamese order (the
    plan of the country by province: :func:`povlib.planning.budget_by_unit` and, by name, the budget chart)."""
    info = panel_info(NATIONAL)
    c = info.communes_in(year)
    return {str(code): (str(p), info.districts.get(p, p)) for code, p in zip(c["code"], c["district_code"])}

