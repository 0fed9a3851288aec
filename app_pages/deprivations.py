"""Thiếu hụt (deprivations): the 5 dimensions and 10 indicators of the review year.

Shares of poor, near-poor and all households deprived in each indicator
(uncensored, or censored: deprived *and* multidimensionally deprived), the
Alkire–Foster H, A, M0 with each indicator's contribution, a unit × indicator
heatmap and the distribution of the number of deprivations. The sidebar's
group filter (ethnic minority, meritorious, social protection, no labour
capacity, area) applies to everything here.
"""
import pandas as pd
import streamlit as st

from povlib import standards
from povlib.i18n import fmt_int, fmt_num, fmt_pct, t
from povlib.views import GROUPS
from ui import cache, charts, filters, layout, plotly_view, tables

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.deprivations", f)
national = cache.is_national(f.dataset) and len(f.communes) != 1  # AF sums by the query layer (povlib.query)

basis = cache.indicator_basis(f.selection, f.year)
std_id = basis.used
if basis.fell_back:
    st.info(t("dep.missing_indicators", lang, std=standards.get(basis.requested).name(lang),
              own=standards.get(basis.own).name(lang), n=len(basis.missing)))
std = standards.get(std_id)
labels = {i.id: i.label(lang) for i in std.indicators}
dim_labels = {d.id: d.label(lang) for d in std.dimensions}

summary = cache.view_deprivations(f.selection, f.year, std_id)
if summary["households"] == 0:
    st.info(t("app.no_rows", lang))
    st.stop()
# households reviewed with the B2 score only: their number of deprivations is known, which ones are not
b2_only = summary["b2_only"]
if b2_only and not summary["with_indicators"]:
    partial = cache.view_partial_shares(f.selection, f.year, std_id)
    if partial is None:
        st.info(t("dep.b2_only_all", lang, n=fmt_int(b2_only, lang)), icon=":material/info:")
        st.stop()
    # some of the standard's indicators in every row (a file in the previous standard's form): their shares only
    st.info(t("dep.partial", lang, n=fmt_int(partial["households"], lang), k=len(partial["given"]),
              total=len(std.indicators), std=std.name(lang), missing="; ".join(labels[m] for m in partial["missing"])),
            icon=":material/info:")
    others = summary["households"] - partial["households"]
    if others:  # households with none of them (score B only): left out
        st.info(t("dep.partial_others", lang, n=fmt_int(others, lang)), icon=":material/info:")
    st.subheader(t("dep.by_indicator", lang))
    part = partial["table"]
    plotly_view.show(charts.indicator_bars(part, labels, lang, censored=False,
                                           title=t("dep.bars_title.uncensored", lang, year=f.year)),
                     key="dep_bars", lang=lang)
    with st.expander(t("dep.table", lang)):
        shown = pd.DataFrame({
            t("dep.col.dimension", lang): [dim_labels[d] for d in part["dimension"]],
            t("dep.col.indicator", lang): [labels[i] for i in part["indicator"]],
            **{t(key, lang): [fmt_pct(v, lang, 1) for v in part[f"share_{s}"]]
               for s, key in (("poor", "status.poor"), ("near_poor", "status.near_poor"), ("all", "group.all"))},
        })
        st.dataframe(shown, hide_index=True, width="stretch", column_config=tables.right_aligned(shown.columns[2:]))
    st.stop()
if b2_only:
    st.info(t("dep.b2_only", lang, n=fmt_int(b2_only, lang), m=fmt_int(summary["with_indicators"], lang)),
            icon=":material/info:")

# --- Alkire–Foster headline ---------------------------------------------------------------
cols = st.columns(3)
layout.metric_ui(t("measure.H", lang), fmt_pct(summary["H"], lang),
                 help=t("dep.H_help", lang, k=summary["cutoff"], n=len(std.indicators)), container=cols[0])
layout.metric_ui(t("measure.A", lang), fmt_pct(summary["A"], lang), help=t("dep.A_help", lang), container=cols[1])
layout.metric_ui(t("measure.M0", lang), fmt_num(summary["M0"], lang, 3), help=t("dep.M0_help", lang),
                 container=cols[2])

# --- shares by indicator --------------------------------------------------------------------
st.subheader(t("dep.by_indicator", lang))
mode = st.radio(t("dep.mode", lang), ("uncensored", "censored"), key="dep_mode", horizontal=True,
                format_func=lambda m: t(f"dep.mode.{m}", lang), help=t("dep.mode_help", lang, k=summary["cutoff"]))
table = summary["table"]
censored = mode == "censored"
plotly_view.show(
    charts.indicator_bars(table, labels, lang, censored=censored,
                           title=t(f"dep.bars_title.{mode}", lang, year=f.year)),
    key="dep_bars", lang=lang,
)

with st.expander(t("dep.table", lang)):
    prefix = "censored" if censored else "share"
    shown = pd.DataFrame({
        t("dep.col.dimension", lang): [dim_labels[d] for d in table["dimension"]],
        t("dep.col.indicator", lang): [labels[i] for i in table["indicator"]],
        t("status.poor", lang): [fmt_pct(v, lang, 1) for v in table[f"{prefix}_poor"]],
        t("status.near_poor", lang): [fmt_pct(v, lang, 1) for v in table[f"{prefix}_near_poor"]],
        t("group.all", lang): [fmt_pct(v, lang, 1) for v in table[f"{prefix}_all"]],
        t("dep.contribution", lang): [fmt_pct(v / 100, lang, 1) for v in table["contribution"]],
    })
    st.dataframe(shown, hide_index=True, width="stretch", column_config=tables.right_aligned(shown.columns[2:]))

# --- groups side by side ------------------------------------------------------------------------
with st.expander(t("dep.groups", lang)):
    if national:  # one pass per group over the national files: not yet
        st.info(t("nat.not_yet_groups", lang), icon=":material/construction:")
    else:
        groups = cache.view_group_comparison(f.selection, f.year, std_id)
        compared = pd.DataFrame({
            t("app.group", lang): [t("group.all", lang) if g == "all" else t(GROUPS[g].label_key, lang)
                                   for g in groups["group"]],
            t("measure.households", lang): [fmt_int(v, lang) for v in groups["households"]],
            t("measure.poor_rate", lang): [fmt_pct(v, lang) for v in groups["poor_rate"]],
            t("measure.near_poor_rate", lang): [fmt_pct(v, lang) for v in groups["near_poor_rate"]],
            t("measure.H", lang): [fmt_pct(v, lang) for v in groups["H"]],
            t("measure.A", lang): [fmt_pct(v, lang) for v in groups["A"]],
            t("measure.M0", lang): [fmt_num(v, lang, 3) for v in groups["M0"]],
            **({t("dep.col.with_indicators", lang): [fmt_int(v, lang) for v in groups["with_indicators"]]}
               if b2_only else {}),
        })
        st.dataframe(compared, hide_index=True, width="stretch",
                     column_config=tables.right_aligned(compared.columns[1:]))
        st.caption(t("dep.groups_note", lang))

# --- contribution to M0 ----------------------------------------------------------------------
plotly_view.show(
    charts.contribution_bar(table, labels, dim_labels, lang, title=t("dep.contrib_title", lang, year=f.year)),
    key="dep_contrib", lang=lang,
)

# --- unit × indicator heatmap ----------------------------------------------------------------
st.subheader(t("dep.heatmap", lang))
level = ("commune" if f.district else "province") if national else f.unit_level(selection_only=True)
among = st.radio(t("dep.among", lang), ("all", "poor", "poor_near"), key="dep_among", horizontal=True,
                 format_func=lambda a: t(f"dep.among.{a}", lang))
matrix = cache.view_unit_indicator(f.selection, f.year, std_id, level, among)
if len(matrix):
    plotly_view.show(
        charts.heatmap(matrix, labels, lang, title=t(f"dep.heatmap_title.{among}", lang, year=f.year),
                        unit_label=t(f"general.{level}", lang)),
        key="dep_heatmap", lang=lang,
    )
    with st.expander(t("dep.table", lang)):
        shown = matrix.apply(lambda col: col.map(lambda v: fmt_pct(v, lang, 1)))
        shown.columns = [labels[c] for c in matrix.columns]
        shown.index.name = t(f"general.{level}", lang)
        st.dataframe(shown, width="stretch", column_config=tables.right_aligned(shown.columns))
else:
    st.info(t("app.no_rows", lang))

# --- number of deprivations ------------------------------------------------------------------
st.subheader(t("dep.count_title", lang))
plotly_view.show(
    charts.count_distribution(summary["count_dist"], lang, title=t("dep.count_chart", lang, year=f.year),
                               cutoff=summary["cutoff"]),
    key="dep_counts", lang=lang,
)
# the rule in words: Decision 59/2015 has an income-only branch; Decree 07/2021 and 351/2025 one line and the cutoff
classified = standards.get(f.standard or cache.panel_info(f.dataset, f.version).standard_of_year.get(f.year) or std_id)
note_key = "dep.count_note" if classified.income_only_poor else "dep.count_note_one_line"
st.caption(t(note_key, lang, n=fmt_int(summary["with_indicators"], lang), k=summary["cutoff"]))
