"""Page: help – what the measures mean, under which law, how to bring a review file in, what each page is for.

The part on the standards is generated from the rules files (``povlib/rules/``:
lines, thresholds, indicators, legal source) through :mod:`povlib.views.explain`;
the worked example of H, A and M0 is computed on the households in view (the
sidebar's selection and year) through ``ui.cache``. The prose is in the catalog.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from povlib import standards
from povlib.i18n import fmt_int, t
from povlib.views import explain
from ui import cache, filters, layout, tables
from ui.escape import md_escape
from ui.nav import PAGES

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.help", f)
st.markdown(t("help.intro", lang))
query = "?" + urlencode(filters.to_query(f))


def _link(url: str, title_key: str) -> str:
    """A Markdown link to another page that keeps the current filters."""
    return f"[{md_escape(t(title_key, lang))}]({url}{query})"


# --- the standards (from the rules files) ---------------------------------------------------------
st.subheader(t("help.standards.title", lang), anchor="standards")
st.markdown(t("help.standards.intro", lang))
own = cache.panel_info(f.dataset, f.version).standard_of_year.get(f.year)
for std in standards.in_order():
    sid = std.id
    years = f"{min(std.review_years)}–{max(std.review_years)}" if std.review_years else ""
    # a province's own standard has no review years of its own (the office chooses it): its name alone
    title = t("help.std.title", lang, name=standards.display_name(std, lang), years=years) if years else \
        standards.display_name(std, lang)
    with st.expander(title, expanded=sid == (f.standard or own), icon=":material/gavel:"):
        if std.provisional:
            st.info(standards.provisional_note(std, lang), icon=":material/pending:")
        st.markdown(t("help.std.source", lang, source=md_escape(std.source(lang))))
        lines = pd.DataFrame(explain.standard_lines(std, lang))
        st.table(tables.static_table(lines, right=lines.columns[1:]), width="content")
        st.caption(t("help.std.lines_note", lang))
        st.markdown("\n".join(f"- {line}" for line in explain.standard_rules(std, lang)))
        st.markdown(t("help.std.indicators", lang, n=len(std.indicators), dims=len(std.dimensions),
                      k=std.deprivation_cutoff, points=std.points_per_deprivation))
        st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(explain.standard_indicators(std, lang), 1)))
        if any(i.definition(lang) and not i.definition_confirmed for i in std.indicators):
            st.caption(":material/pending: " + t("help.std.definitions_unconfirmed", lang))

# --- the measures, worked on the data in view -------------------------------------------------------
st.subheader(t("help.measures.title", lang), anchor="measures")
basis = cache.indicator_basis(f.selection, f.year)
st.markdown(t("help.measures.body", lang, k=standards.get(basis.used).deprivation_cutoff))
st.markdown("#### " + t("help.example.title", lang, scope=md_escape(layout.scope_label(f))))
example = None
one_commune = not (cache.is_national(f.dataset) and len(f.communes) != 1)  # national: worked on one commune
if basis.available and one_commune:
    summary = cache.view_deprivations(f.selection, f.year, basis.used)
    example = explain.af_example(summary)
if example is None:  # why there is none: the country's data (pick a commune), or data without every indicator
    st.info(t("help.example.none" if one_commune else "help.example.pick_commune", lang), icon=":material/info:")
else:
    label = standards.get(basis.used).indicator(example.indicator).label(lang)
    with st.container(border=True, key="help_example"):
        for para in explain.af_example_text(example, label, lang):
            st.markdown(para)
        if summary["b2_only"]:
            st.caption(t("help.example.b2_only", lang, n=fmt_int(summary["b2_only"], lang)))
    st.caption(t("help.example.see_page", lang, link=_link("deprivations", "app.page.deprivations")))

# --- a review file -----------------------------------------------------------------------------------
st.subheader(t("help.import.title", lang), anchor="import")
st.markdown(t("help.import.body", lang, link=_link("data", "app.page.data")))

# --- the pages -----------------------------------------------------------------------------------------
st.subheader(t("help.pages.title", lang), anchor="pages")
st.markdown("\n".join(f"- **{_link(url, key)}** – {t(f'help.page_desc.{url}', lang)}" for _, url, key, _ in PAGES))
