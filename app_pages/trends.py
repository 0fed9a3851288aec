"""Xu hướng (trends): rates over the review years, the yearly flows, status transitions.

Rates of the whole selection and of each unit, the flows in and out of
poverty and near-poverty per year, and a Sankey diagram of the statuses
between two chosen years. A clear warning appears when the years compared
were measured under different standards. Across the 2020 and 2025 reforms the series are re-expressed on
one chosen set of communes (the latest by default) with a note of what was merged or estimated; flows
follow each household, whatever its unit.
"""
import pandas as pd
import streamlit as st

from povlib import standards
from povlib.breaks import breaks_between
from povlib.i18n import fmt_int, fmt_pct, t, t_count
from povlib.sorting import vi_key
from povlib.views import NEAR_FLOW_CODES, POOR_FLOW_CODES
from ui import cache, filters, layout, plotly_view, trend_charts

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.trends", f)
st.caption(t("tr.all_years_note", lang, first=f.years[0], last=f.years[-1]) if len(f.years) > 1 else
           t("tr.one_year_note", lang, year=f.years[0]))
layout.mixed_standards_ui(f, f.years)

# --- the units of the series: across a reform every year is re-expressed on one chosen set of communes ----
info = cache.panel_info(f.dataset, f.version)
unit_sets: dict[tuple, list[int]] = {}
for y in f.years:
    c = info.communes_in(y)
    unit_sets.setdefault(tuple(zip(c["code"], c["name"])), []).append(y)
on_year = None
if len(unit_sets) > 1:
    sets = {ys[-1]: (ys[0], len(k)) for k, ys in unit_sets.items()}  # last year of each set -> first year, units
    options = sorted(sets)
    if st.session_state.get("tr_units_of") not in options:
        st.session_state["tr_units_of"] = options[-1]  # the latest units by default
    on_year = st.selectbox(t("tr.units_of", lang), options, key="tr_units_of", help=t("tr.units_of_help", lang),
                           format_func=lambda y: t("tr.units_of_option", lang, first=sets[y][0], last=y,
                                                   n=sets[y][1]))
    changes = cache.view_unit_changes(f.selection, on_year, f.year)
    if len(changes):
        with st.container(border=True, key="tr_units_note"):
            st.markdown(t("tr.units_note", lang, year=on_year))
            st.dataframe({t("general.commune", lang): changes["name"].tolist(),
                          t("tr.units_from", lang): changes["from_units"].tolist(),
                          t("tr.units_estimated", lang): [fmt_int(n, lang) for n in changes["estimated"]]},
                         hide_index=True, width="stretch", key="tr_units_table")
            if changes["estimated"].sum():
                st.caption(":material/warning: " + t("tr.units_estimated_note", lang,
                                                     n=fmt_int(int(changes["estimated"].sum()), lang)))

national = cache.is_national(f.dataset) and len(f.communes) != 1  # rates by the query layer; flows by commune
total = cache.nat_trend(f.selection, None) if national else cache.view_trend(f.selection, None, on_year, f.year)
if total.empty:
    st.info(t("app.no_rows", lang))
    st.stop()


# the latest review year still being imported (communes of the review before it without rows): marked on the charts
last = int(total["year"].max())
missing = cache.not_reviewed(f.selection, last)
partial = {last: t_count("app.communes_count", len(missing), lang)} if len(missing) else {}


def _status_label(s: str) -> str:
    return t("tr.absent", lang) if s == "absent" else t(f"status.{s}", lang)


# --- one part of the page at a time: only the part chosen is computed and drawn (a page of five charts
# and three tables was slow to open in a browser, on a phone above all) ---------------------------------
SECTIONS = ("rates", "flows", "sankey")
if st.session_state.get("tr_section") not in SECTIONS:
    st.session_state["tr_section"] = "rates"
section = st.segmented_control(t("tr.section", lang), SECTIONS, key="tr_section",
                               format_func=lambda s: t(f"tr.section.{s}", lang)) or "rates"


if section == "rates":
    # --- rates ----------------------------------------------------------------------------------
    st.subheader(t("tr.rates", lang))
    plotly_view.show(trend_charts.status_rates_lines(total, lang, title=t("tr.rates_title", lang), partial=partial),
                     key="tr_rates", lang=lang)

    if national:
        level = "commune" if f.district or f.communes else "province"
        units = cache.nat_trend(f.selection, level)
    else:
        level = f.unit_level(selection_only=True)
        units = cache.view_trend(f.selection, level, on_year, f.year)
    if units["code"].nunique() > 1:
        both = pd.concat([units, total], ignore_index=True)
        plotly_view.show(trend_charts.labelled_rate_lines(both, lang, title=t(f"tr.units_title.{level}", lang),
                                                    colored=units["code"].nunique() <= 4, partial=partial),
                         key="tr_units", lang=lang)
        with st.expander(t("tr.units_table", lang)):
            # a review measured under two standards has a column under each
            col_of = units["year"].astype(str).where(~units["second"], units["year"].astype(str) + " · " + units[
                "standard"].map(lambda s: standards.short_name(s, lang)))
            wide = units.assign(col=col_of).pivot(index="name", columns="col", values="poor_rate")
            wide = wide[list(dict.fromkeys(col_of))].sort_index(key=vi_key)  # Vietnamese order, as the legend
            shown = wide.apply(lambda col: col.map(lambda v: fmt_pct(v, lang)))
            shown.index.name = t(f"general.{level}", lang)
            shown.columns = [str(c) for c in shown.columns]
            st.dataframe(shown, width="stretch")

if section == "flows":
    # --- flows -----------------------------------------------------------------------------------
    flows = cache.view_flows(f.selection, f.year)
    st.subheader(t("tr.flows", lang))
    if flows.empty:
        st.info(t("tr.no_flows", lang))
    else:
        first_year = int(total["year"].min())  # no flow in the first review year of the data: nothing before it
        # a year's flows compare it with the review before: across a change of standard the change is the standard's
        flow_breaks = [] if f.standard else breaks_between(
            {y: info.standard_of_year[y] for y in f.years if y in info.standard_of_year})
        plotly_view.show(trend_charts.flow_bars_explained(flows, POOR_FLOW_CODES, lang, title=t("tr.flows_poor", lang),
                                                    first_year=first_year, breaks=flow_breaks),
                         key="tr_flows_poor", lang=lang)
        plotly_view.show(trend_charts.flow_bars_explained(flows, NEAR_FLOW_CODES, lang, title=t("tr.flows_near", lang),
                                                    first_year=first_year, breaks=flow_breaks),
                         key="tr_flows_near", lang=lang)
        st.caption(t("tr.flows_note", lang))
        for brk in flow_breaks:
            st.caption(":material/warning: " + t("tr.flows_break_note", lang, year=brk.first_year, prev=brk.last_year,
                                                 before=standards.short_name(brk.before, lang),
                                                 after=standards.short_name(brk.after, lang)))
        # re-entry is missing (NaN) in a year where it cannot be told: the year after the first review of the data
        unknown = flows.loc[flows["re_poor"].isna() | flows["re_near_poor"].isna(), "year"].tolist()
        for y in unknown:
            first = max(v for v in f.years if v < y)
            st.caption(":material/info: " + t("flow.reentry_unknown", lang, year=y, first=first))
            if (flows["year"] > y).any():
                st.caption(t("flow.reentry_partial", lang, first=first))
        with st.expander(t("tr.flows_table", lang)):
            table = pd.DataFrame({t("general.year", lang): flows["year"].astype(str)})
            for c in POOR_FLOW_CODES + NEAR_FLOW_CODES:
                table[t(f"flow.{c}", lang)] = [fmt_int(v, lang) for v in flows[c]]
            st.dataframe(table, hide_index=True, width="stretch")

if section == "sankey":
    # --- transitions between two years --------------------------------------------------------------
    st.subheader(t("tr.sankey", lang))
    years = list(f.years)
    if len(years) >= 2:
        c1, c2 = st.columns(2)
        default_to = f.year if f.year != years[0] else years[1]
        default_from = max(y for y in years if y < default_to)
        if st.session_state.get("tr_from") not in years:
            st.session_state["tr_from"] = default_from
        if st.session_state.get("tr_to") not in years:
            st.session_state["tr_to"] = default_to
        y_from = c1.selectbox(t("tr.from", lang), years, key="tr_from")
        y_to = c2.selectbox(t("tr.to", lang), years, key="tr_to")
        if y_from >= y_to:
            st.warning(t("tr.order", lang))
        else:
            layout.mixed_standards_ui(f, (y_from, y_to))
            trans = cache.view_transitions(f.selection, y_from, y_to, f.year)
            plotly_view.show(trend_charts.sankey_counts(trans, lang, year_from=y_from, year_to=y_to,
                                                  title=t("tr.sankey_title", lang, a=y_from, b=y_to)),
                             key="tr_sankey", lang=lang)
            st.caption(t("tr.sankey_note", lang))
            with st.expander(t("tr.sankey_table", lang)):
                st.dataframe({
                    t("tr.status_in", lang, year=y_from): [_status_label(s) for s in trans["from_status"]],
                    t("tr.status_in", lang, year=y_to): [_status_label(s) for s in trans["to_status"]],
                    t("unit.households", lang): [fmt_int(n, lang) for n in trans["households"]],
                }, hide_index=True, width="stretch", key="tr_sankey_table")
    else:
        st.info(t("tr.no_flows", lang))
