"""Danh sách hộ (households): the poor and near-poor households of the selection and year.

With their deprivations and flow status (e.g. "Tái nghèo 2019"). Names and ID
numbers are masked unless the sidebar role is "officer". The table shown
(after the filters on this page) downloads as CSV (UTF-8 with BOM) or Excel,
through :mod:`povlib.export` (formulas neutralised); the files are built only
when the button is pressed.
"""
import streamlit as st

from povlib import standards
from povlib.export import to_csv_bytes, to_xlsx_bytes
from povlib.i18n import fmt_int, t
from povlib.views import indicator_standard
from ui import cache, filters, layout

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.households", f)

info = cache.panel_info(f.dataset, f.version)
own = info.standard_of_year[f.year]
std_id, _ = indicator_standard(cache.load_panel(f.dataset, f.version, f.standard).columns, f.standard, own)

hh = cache.view_households(f.scope, f.year, std_id, lang, f.show_names)

if f.show_names:
    st.warning(t("hh.personal_data", lang), icon=":material/shield_person:")
else:
    st.caption(":material/lock: " + t("hh.masked_note", lang))

# --- page filters (this page only) ------------------------------------------------------------
c_status, c_flow = st.columns(2)
col_status, col_flow = t("hh.col.status", lang), t("hh.col.flow", lang)
col_village, col_dep = t("general.village", lang), t("hh.col.deprivation_count", lang)
status_opts = ("poor", "near_poor")
statuses = c_status.pills(t("hh.status_filter", lang), status_opts, selection_mode="multi", default=status_opts,
                          key="hh_status", format_func=lambda s: t(f"status.{s}", lang))
flow_values = sorted(v for v in hh[col_flow].unique() if v)
flows = c_flow.multiselect(t("hh.flow_filter", lang), flow_values, key="hh_flow",
                           placeholder=t("hh.any", lang))
c_vil, c_dep = st.columns(2)
villages = c_vil.multiselect(t("hh.village_filter", lang), sorted(hh[col_village].unique()), key="hh_village",
                             placeholder=t("hh.any", lang))
max_dep = int(hh[col_dep].max()) if len(hh) else 0
min_dep = c_dep.slider(t("hh.min_dep", lang), 0, max(max_dep, 1), 0, key="hh_min_dep")

shown = hh
status_labels = [t(f"status.{s}", lang) for s in (statuses or ())]
shown = shown[shown[col_status].isin(status_labels)]
if flows:
    shown = shown[shown[col_flow].isin(flows)]
if villages:
    shown = shown[shown[col_village].isin(villages)]
if min_dep:
    shown = shown[shown[col_dep] >= min_dep]

n_poor = int((shown[col_status] == t("status.poor", lang)).sum())
n_near = int((shown[col_status] == t("status.near_poor", lang)).sum())
st.markdown(t("hh.count", lang, n=fmt_int(len(shown), lang), poor=fmt_int(n_poor, lang),
              near=fmt_int(n_near, lang)))

st.dataframe(
    shown, hide_index=True, width="stretch", height=460,
    column_config={
        col_dep: st.column_config.NumberColumn(format="%d"),
        t("hh.col.members", lang): st.column_config.NumberColumn(format="%d"),
    },
)

# --- downloads ---------------------------------------------------------------------------------
scope = layout.scope_label(f)
std_name = standards.get(std_id).name(lang)
stem = t("hh.file_stem", lang, year=f.year)
title_lines = [t("hh.export_title", lang, year=f.year), scope, std_name]
notes = []
if cache.is_synthetic(f.dataset):
    notes.append(t("general.synthetic_note", lang))
if not f.show_names:
    notes.append(t("hh.masked_note", lang))


def _csv() -> bytes:
    return to_csv_bytes(shown)


def _xlsx() -> bytes:
    return to_xlsx_bytes({t("app.page.households", lang): shown}, title_lines, notes=notes)


d1, d2 = st.columns(2)
d1.download_button(t("hh.download_csv", lang), data=_csv, file_name=f"{stem}.csv", mime="text/csv",
                   key="hh_csv", on_click="ignore", icon=":material/download:", disabled=shown.empty)
d2.download_button(t("hh.download_xlsx", lang), data=_xlsx, file_name=f"{stem}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="hh_xlsx", on_click="ignore", icon=":material/table_view:", disabled=shown.empty)
