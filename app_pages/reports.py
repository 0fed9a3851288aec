"""Báo cáo (reports): the province's review tables, on screen and as .xlsx / CSV / PDF downloads.

The tables come from :func:`povlib.reports.build_report` (through
``ui.cache.view_report``); this page only picks the report, draws the tables
with Vietnamese number formats and offers the downloads (the PDF for printing
and signing, with the official header). Names in the posting list only for a commune the
signed-in account may see (:mod:`povlib.access`, checked on the server; the demo's officer view
shows made-up names); showing and downloading real names is recorded (``ui.auth``).
On the national dataset without one commune chosen, the summary and indicator forms of the province
(rows: its communes) or of the country (rows: the provinces) come from the query layer
(:mod:`povlib.reports.national` through ``ui.cache_national``); the other reports need one commune.
"""
from functools import partial

import streamlit as st

from povlib import views
from povlib.errors import PovlibInputError
from povlib.i18n import fmt_int, t
from povlib.reports.document import issuing_unit
from povlib.reports.national import NATIONAL_KINDS
from ui import auth, cache, cache_national, filters, layout, private_download, tables
from ui.escape import md_escape

KINDS = ("summary", "indicators", "groups", "posting")
QP_KIND, QP_UNIT = "report", "unit"

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.reports", f)
# the national dataset: one commune's households as any dataset's; a province or the country by the query layer
NATIONAL_WIDE = cache.is_national(f.dataset) and len(f.communes) != 1
st.caption(t("report.page.intro", lang))

if NATIONAL_WIDE:  # a province or the country: the forms' figures from the query layer (povlib.reports.national)
    if st.session_state.get("rep_kind") not in NATIONAL_KINDS:
        st.session_state["rep_kind"] = "summary"
    kind = st.segmented_control(t("report.page.kind", lang), NATIONAL_KINDS, key="rep_kind",
                                format_func=lambda k: t(f"report.kind.{k}", lang)) or "summary"
    st.caption(t("report.nat.scope_province" if f.district else "report.nat.scope_country", lang))
    pct_base = "households"
    if kind == "summary":
        pct_base = st.radio(t("report.page.pct_base", lang), ("households", "start"), key="rep_pct_base",
                            horizontal=True, format_func=lambda v: t(f"report.pct_base.{v}", lang))
    st.query_params[QP_KIND] = kind
    commune, recorded, with_names, include_escaped, view = None, False, False, False, {}
    try:
        with st.spinner(t("report.page.building", lang)):
            bundle = cache_national.nat_report(f.selection, f.year, kind, lang, pct_base)
    except PovlibInputError as exc:  # povlib's message, in the user's language (e.g. a what-if standard)
        st.warning(exc.message(lang), icon=":material/warning:")
        st.stop()
else:
    # the whole scope (district or province) is named as the printed header names the issuing body
    national = cache.is_national(f.dataset)  # the national data: the chosen commune's households only
    if national:
        comm = cache.panel_info(f.dataset, f.version).communes
        names = {c: n for c, n in zip(comm["code"], comm["name"]) if c in f.communes}
        scope = f.selection.with_(group="all")
        whole_label = ""
    else:
        scope = f.selection.with_(communes=(), group="all")
        # the communes with households in the report's scope that year (after 2025: a former district's
        # new communes, as the report counts them)
        names = cache.view_commune_choices(scope, f.year)
        if f.district and not f.has_districts:  # after 2025: the new communes of a former district
            whole = t("app.scope.former_district", lang,
                      name=cache.panel_info(f.dataset, f.version).districts.get(f.district, f.district))
        else:
            whole = issuing_unit(cache.panel_rows(scope, f.year)) or t("app.scope.province", lang)
        whole_label = t("report.page.whole", lang, name=whole)

    # --- choices -----------------------------------------------------------------------------------
    # the report and the unit are in the URL (?report=posting&unit=02035) so that a link reproduces the view
    if "rep_kind" not in st.session_state:
        q = st.query_params.get(QP_KIND)
        st.session_state["rep_kind"] = q if q in KINDS else "summary"
    kind = st.segmented_control(t("report.page.kind", lang), KINDS, key="rep_kind",
                                format_func=lambda k: t(f"report.kind.{k}", lang)) or "summary"
    c2, c3 = st.columns([1, 2])
    unit_opts = [*names] if national else ["", *names]
    if "rep_unit" not in st.session_state:
        q = st.query_params.get(QP_UNIT)
        st.session_state["rep_unit"] = q if q in names else (f.communes[0] if len(f.communes) == 1 else "")
    if st.session_state["rep_unit"] not in unit_opts:
        st.session_state["rep_unit"] = unit_opts[0]
    commune = c2.selectbox(t("report.page.unit", lang), unit_opts, key="rep_unit",
                           format_func=lambda c: names.get(c) or whole_label) or None
    sel = scope.with_(communes=(commune,) if commune else ())
    level = "commune"
    if kind in ("summary", "groups") and views.unit_level(multi_district=f.multi_district, district=f.district,
                                                           communes=sel.communes, selection_only=True,
                                                           has_districts=f.has_districts) == "district":
        level = c3.radio(t("report.page.level", lang), ("district", "commune"), key="rep_level", horizontal=True,
                         format_func=lambda v: t(f"report.level.{v}", lang))
    pct_base = "households"
    include_escaped = False
    if kind == "summary":
        pct_base = c3.radio(t("report.page.pct_base", lang), ("households", "start"), key="rep_pct_base",
                            horizontal=True, format_func=lambda v: t(f"report.pct_base.{v}", lang))
    elif kind == "posting":
        include_escaped = c3.checkbox(t("report.page.include_escaped", lang), key="rep_escaped")

    st.query_params[QP_KIND] = kind
    if commune:
        st.query_params[QP_UNIT] = commune
    elif QP_UNIT in st.query_params:
        del st.query_params[QP_UNIT]

    if kind == "posting" and commune is None:
        st.info(t("report.page.pick_commune", lang), icon=":material/info:")
        st.stop()

    with_names = kind == "posting" and commune is not None and auth.may_see_names(f, commune)
    recorded = with_names and not cache.is_synthetic(f.dataset)  # real names: the audit record
    try:
        with st.spinner(t("report.page.building", lang)):
            bundle = cache.view_report(sel, f.year, kind, lang, level, with_names, pct_base, include_escaped)
    except PovlibInputError as exc:  # povlib's message, in the user's language
        st.error(exc.message(lang))
        st.stop()

    for w in bundle.warnings:
        st.warning(w, icon=":material/warning:")
    if not bundle.sheets:  # nothing to show or download (e.g. indicators of households reviewed with B2 only)
        st.stop()
    if kind == "posting" and not with_names:
        st.info(t("report.page.masked", lang), icon=":material/lock:")
    elif with_names and not recorded:
        st.markdown(f":orange-badge[:material/theater_comedy: {t('auth.demo_mark', lang)}] "
                    + t("auth.demo_names", lang))
    view = {"page": "reports", "kind": kind, "year": f.year, "include_escaped": bool(include_escaped)}
    if recorded:
        auth.record_view("reports", units=[commune], dataset=f.dataset, version=f.version, detail=view)


def _file(build, fmt: str):
    """A download's builder; recorded as an export of names when it carries real names."""
    if not recorded:
        return build
    return auth.recorded(build, units=[commune], dataset=f.dataset, version=f.version, detail={**view, "format": fmt})


# --- drawing -------------------------------------------------------------------------------------
def _balance_ui(name: str) -> None:
    """The summary form's balance, as the bundle checked it (nothing for the other tables or the first year)."""
    if name not in bundle.unbalanced:
        return
    bad = len(bundle.unbalanced[name])
    if bad:
        st.error(t("report.page.identity_bad", lang, n=bad))
    else:
        st.caption(":material/check_circle: " + t("report.page.identity_ok", lang))


# Files are built only when a button is pressed (a callable ``data``), from this run's bundle: names
# only for a commune the signed-in account may see (povlib.access), and then through a one-time link for
# this browser (ui.private_download), never /media/. See README "Downloads that carry names".
unit_slug = commune or f.district or f.dataset.replace(":", "_")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_sig = repr((kind, commune, f.dataset, f.version, f.year, lang, bool(include_escaped)))


def _download_ui(label: str, build, file_name: str, mime: str, key: str, icon: str, **kw) -> None:
    """A names-carrying file (the posting list with names): a one-time link for this browser; else a button."""
    if with_names:
        private_download.names_download_ui(st, label, build, file_name=file_name, mime=mime, key=key, lang=lang,
                                           icon=icon, view=_sig)
    else:
        st.download_button(label, data=build, file_name=file_name, mime=mime, icon=icon, key=key, on_click="ignore",
                           **kw)


_download_ui(t("report.page.download_xlsx", lang), _file(bundle.to_xlsx, "xlsx"),
             f"bao_cao_{kind}_{unit_slug}_{f.year}.xlsx", XLSX_MIME, "rep_xlsx", ":material/table_view:",
             type="primary")
_download_ui(t("report.page.download_pdf", lang), _file(bundle.to_pdf, "pdf"),
             f"bao_cao_{kind}_{unit_slug}_{f.year}.pdf", "application/pdf", "rep_pdf", ":material/print:")

sheet_names = list(bundle.sheets)
tabs = st.tabs(sheet_names) if len(sheet_names) > 1 else [st.container()]
for tab, name in zip(tabs, sheet_names):
    with tab:
        titles = bundle.titles.get(name, [])
        if titles:
            st.markdown(f"**{titles[0]}**")
            st.caption(md_escape(" · ".join(titles[1:])))  # unit names come from the data
        df = bundle.screen_table(name)  # summary sheets: shorter one-line headers on screen
        # the grid on a wide screen, one card per row on a phone (no sideways scroll)
        tables.report_ui(df, lang, bundle.total_rows.get(name, []), key=f"rep_{bundle.keys[name]}",
                         grid=kind == "posting")  # the forms fit the screen; the long list scrolls
        st.caption(t("report.page.rows", lang, n=fmt_int(len(df), lang)))
        _balance_ui(name)
        for line in bundle.notes.get(name, []):
            if line != t("general.synthetic_note", lang):  # the footer says it already
                st.caption(line)
        _download_ui(t("report.page.download_csv", lang, name=name), _file(partial(bundle.to_csv, name), "csv"),
                     f"{bundle.keys[name]}_{unit_slug}_{f.year}.csv", "text/csv", f"rep_csv_{bundle.keys[name]}",
                     ":material/download:")
