"""Danh sách hộ (households): the poor and near-poor households of the selection and year.

With their deprivations and flow status (e.g. "Tái nghèo 2019"). Names and ID
numbers are shown only for the communes the signed-in account may see (``f.names_in``,
:mod:`povlib.access`, decided on the server; the demo's officer view shows made-up names), and
masked for the others; showing or exporting real names is recorded (``ui.auth``). The table shown
(after the filters on this page) downloads as CSV (UTF-8 with BOM) or Excel,
through :mod:`povlib.export` (formulas neutralised); the files are built only
when the button is pressed. A file with names is served through a one-time link for this browser
(:mod:`ui.private_download`, ``streamlit run serve.py``), never from Streamlit's ``/media/`` store.
"""
from functools import partial

import streamlit as st

from povlib import standards
from povlib.export import to_csv_bytes, to_xlsx_bytes
from povlib.i18n import fmt_int, t
from ui import auth, cache, filters, layout, private_download

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.households", f)
layout.national_needs_commune_ui(f)  # the national table is never loaded: one commune's households

basis = cache.indicator_basis(f.selection, f.year)
std_id, counted = basis.counted_under, basis.counted  # a what-if over another review: its indicators given
choices = cache.view_household_choices(f.selection, f.year, std_id, counted)

synthetic = cache.is_synthetic(f.dataset)
if f.names_in and synthetic:
    st.markdown(f":orange-badge[:material/theater_comedy: {t('auth.demo_mark', lang)}] "
                + t("auth.demo_names", lang))
elif f.show_names:
    st.warning(t("hh.personal_data", lang), icon=":material/shield_person:")
elif f.names_in:
    st.warning(t("auth.names_partial", lang), icon=":material/shield_person:")
else:
    st.caption(":material/lock: " + t("hh.masked_note", lang))

# --- page filters (this page only; on codes, shown in the user's language) ----------------------
c_status, c_flow = st.columns(2)
col_dep = t("hh.col.deprivation_count", lang)
status_opts = ("poor", "near_poor")
statuses = c_status.pills(t("hh.status_filter", lang), status_opts, selection_mode="multi", default=status_opts,
                          key="hh_status", format_func=lambda s: t(f"status.{s}", lang))
flows = c_flow.multiselect(t("hh.flow_filter", lang), choices["flows"], key="hh_flow",
                           format_func=lambda c: f"{t(f'flow.{c}', lang)} {f.year}", placeholder=t("hh.any", lang))
c_vil, c_dep = st.columns(2)
villages = c_vil.multiselect(t("hh.village_filter", lang), choices["villages"], key="hh_village",
                             placeholder=t("hh.any", lang))
min_dep = c_dep.slider(t("hh.min_dep", lang), 0, max(choices["max_deprivations"], 1), 0, key="hh_min_dep")

names = True if f.show_names else (f.names_in or False)  # the server decided which communes (ui.filters)
shown = cache.view_households(f.selection, f.year, std_id, lang, names, tuple(statuses or ()), tuple(flows),
                              tuple(villages), int(min_dep), counted)
recorded = bool(f.names_in) and not synthetic and not shown.empty  # real names on screen: the audit record
view = {"year": f.year, "rows": len(shown), "statuses": ",".join(statuses or ()), "flows": ",".join(flows),
        "villages": ",".join(villages), "min_deprivations": int(min_dep)}
if recorded:
    auth.record_view("households", units=f.names_in, dataset=f.dataset, version=f.version, detail=view)
st.markdown(t("hh.count", lang, n=fmt_int(len(shown), lang), poor=fmt_int(shown.attrs["poor"], lang),
              near=fmt_int(shown.attrs["near_poor"], lang)))
if shown.attrs.get("b2_only"):
    st.info(t("hh.b2_only", lang, n=fmt_int(shown.attrs["b2_only"], lang)), icon=":material/info:")

st.dataframe(
    shown, hide_index=True, width="stretch", height=460,
    column_config={
        col_dep: st.column_config.NumberColumn(format="%d"),
        t("hh.col.members", lang): st.column_config.NumberColumn(format="%d"),
    },
)

# --- downloads ---------------------------------------------------------------------------------
# Built only when the file is fetched (a callable), from the table of this run: masked unless the
# account may see names (decided on the server). See README "Downloads that carry names".
scope = layout.scope_label(f)
std_name = standards.get(std_id).name(lang)
stem = t("hh.file_stem", lang, year=f.year)
title_lines = [t("hh.export_title", lang, year=f.year), scope, std_name]
notes = []
if cache.is_synthetic(f.dataset):
    notes.append(t("general.synthetic_note", lang))
if not f.names_in:
    notes.append(t("hh.masked_note", lang))
elif synthetic:
    notes.append(t("auth.demo_names", lang))
if shown.attrs.get("b2_only"):
    notes.append(t("hh.b2_only", lang, n=fmt_int(shown.attrs["b2_only"], lang)))

csv_data = partial(to_csv_bytes, shown)
xlsx_data = partial(to_xlsx_bytes, {t("app.page.households", lang): shown}, title_lines, notes=notes)
if recorded:  # the file is built on click: that is when the export is recorded
    csv_data, xlsx_data = (auth.recorded(fn, units=f.names_in, dataset=f.dataset, version=f.version,
                                         detail={"page": "households", "format": fmt, **view})
                           for fn, fmt in ((csv_data, "csv"), (xlsx_data, "xlsx")))
d1, d2 = st.columns(2)
xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
if f.names_in:  # names in the file: a one-time link for this browser (ui.private_download), never /media/
    sig = repr(sorted(view.items())) + repr((f.dataset, f.version, tuple(f.names_in), lang))
    private_download.names_download_ui(d1, t("hh.download_csv", lang), csv_data, file_name=f"{stem}.csv",
                                       mime="text/csv", key="hh_csv", lang=lang, disabled=shown.empty, view=sig)
    private_download.names_download_ui(d2, t("hh.download_xlsx", lang), xlsx_data, file_name=f"{stem}.xlsx",
                                       mime=xlsx_mime, key="hh_xlsx", lang=lang, icon=":material/table_view:",
                                       disabled=shown.empty, view=sig)
else:  # names and ID numbers masked: Streamlit's deferred download
    d1.download_button(t("hh.download_csv", lang), data=csv_data, file_name=f"{stem}.csv",
                       mime="text/csv", key="hh_csv", on_click="ignore", icon=":material/download:",
                       disabled=shown.empty)
    d2.download_button(t("hh.download_xlsx", lang), data=xlsx_data, file_name=f"{stem}.xlsx", mime=xlsx_mime,
                       key="hh_xlsx", on_click="ignore", icon=":material/table_view:", disabled=shown.empty)
