"""Page: compare two to four communes side by side – rates, the indicators, the trend.

The communes are those of the sidebar's district (the commune filter gives
the first choice); the figures come from :func:`povlib.views.compare_communes`
through ``ui.cache``: the map's measures of the year, the indicators' shares
(uncensored, over the households with every indicator) and every year's rates.
On the national dataset the units are the communes of the sidebar's province,
or the provinces when none is chosen, and the same tables come from the query
layer (:func:`povlib.views.national_compare.compare_units`, ``ui.cache_national``).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from povlib import geo, standards
from povlib.i18n import fmt_int, fmt_pct, t
from povlib.views import MAX_COMPARED
from ui import cache, cache_national, charts, filters, layout, plotly_view, tables, trend_charts

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.compare", f)
NATIONAL = cache.is_national(f.dataset)
#: the national dataset without a province: provinces side by side (their own words on the page)
PROVINCES = NATIONAL and cache_national.compare_level(f.selection) == "province"
#: the page's words about the units: communes, or (national, no province chosen) provinces
WORDS = {"pick": ("cmp.pick", "cmp.nat.pick"), "placeholder": ("cmp.placeholder", "cmp.nat.placeholder"),
         "pick_hint": ("cmp.pick_hint", "cmp.nat.pick_hint"),
         "no_households": ("cmp.no_households", "cmp.nat.no_households"),
         "no_indicators": ("cmp.no_indicators", "cmp.nat.no_indicators")}


def _w(name: str) -> str:
    return WORDS[name][int(PROVINCES)]


def _compare_ui() -> None:
    """The page (returns early on an empty state: the router draws the footer after it)."""
    choices = (cache_national.nat_compare_choices(f.selection, f.year) if NATIONAL
               else cache.view_commune_choices(f.selection, f.year))  # the communes of the year shown
    if len(choices) < 2:
        st.info(t("cmp.too_few", lang), icon=":material/info:")
        return

    names = pd.Series(choices)
    dup = names[names.duplicated(keep=False)]
    labels = {c: (f"{n} ({c})" if c in dup.index else n) for c, n in choices.items()}
    if "cmp_codes" not in st.session_state or not set(st.session_state["cmp_codes"]) <= set(choices):
        st.session_state["cmp_codes"] = [c for c in f.communes if c in choices][:MAX_COMPARED]
    if PROVINCES:
        st.caption(t("cmp.nat.scope", lang))
    picked = st.multiselect(t(_w("pick"), lang, n=MAX_COMPARED), list(choices), key="cmp_codes",
                            max_selections=MAX_COMPARED, format_func=labels.get,
                            placeholder=t(_w("placeholder"), lang))
    if len(picked) < 2:
        st.info(t(_w("pick_hint"), lang, n=MAX_COMPARED), icon=":material/touch_app:")
        return

    comp = (cache_national.nat_compare(f.selection, tuple(picked), f.year) if NATIONAL
            else cache.view_compare(f.selection, tuple(picked), f.year))
    if comp.rates.empty:
        st.info(t(_w("no_households"), lang, year=f.year))
        return
    missing = [labels[c] for c in picked if c not in set(comp.rates["code"])]
    if missing:
        st.info(t("cmp.missing", lang, names=", ".join(missing), year=f.year))

    # --- rates and measures ----------------------------------------------------------------------------
    st.subheader(t("cmp.rates", lang, year=f.year))
    r = comp.rates
    rows = [("measure.households", [fmt_int(v, lang) for v in r["households"]]),
            ("measure.poor", [fmt_int(v, lang) for v in r["poor"]]),
            ("measure.poor_rate", [fmt_pct(v, lang) for v in r["poor_rate"]]),
            ("measure.near_poor", [fmt_int(v, lang) for v in r["near_poor"]]),
            ("measure.near_poor_rate", [fmt_pct(v, lang) for v in r["near_poor_rate"]]),
            ("measure.H", [fmt_pct(v, lang) for v in r["H"]]),
            ("measure.A", [fmt_pct(v, lang) for v in r["A"]]),
            ("measure.M0", [geo.format_value(v, "M0", lang) for v in r["M0"]])]
    table = {t("cmp.measure", lang): [t(k, lang) for k, _ in rows]}
    for j, code in enumerate(r["code"]):
        table[labels.get(code, code)] = [vals[j] for _, vals in rows]
    tables.side_by_side_ui(pd.DataFrame(table), key="cmp_rates")  # stacked on a phone
    if int((r["with_indicators"] < r["households"]).sum()):
        st.caption(t("cmp.b2_only_note", lang))

    # --- the indicators ---------------------------------------------------------------------------------
    std = standards.get(comp.indicators.attrs.get("standard", standards.DEFAULT_STANDARD))
    ind_labels = {i.id: i.label(lang) for i in std.indicators}
    st.subheader(t("cmp.indicators", lang, n=len(std.indicators)))
    if comp.indicators.empty:
        st.info(t(_w("no_indicators"), lang))
    else:
        plotly_view.show(charts.compare_indicator_bars(comp.indicators, ind_labels, lang,
                                                       title=t("cmp.indicators_title", lang, year=f.year)),
                         key="cmp_ind_chart", lang=lang)
        wide = comp.indicators.pivot(index="indicator", columns="code", values="share").reindex(std.indicator_ids)
        ind_table = {t("cmp.indicator", lang): [ind_labels[i] for i in wide.index]}
        for code in [c for c in r["code"] if c in wide.columns]:
            ind_table[labels.get(code, code)] = [fmt_pct(v, lang) for v in wide[code]]
        with st.expander(t("cmp.indicators_table", lang)):
            tables.side_by_side_ui(pd.DataFrame(ind_table), key="cmp_ind_table")

    # --- trend --------------------------------------------------------------------------------------------
    st.subheader(t("cmp.trend", lang))
    layout.mixed_standards_ui(f, f.years)
    trend = comp.trend.assign(name=comp.trend["code"].map(labels).fillna(comp.trend["name"]))
    for col in ("poor_rate", "near_poor_rate"):
        plotly_view.show(trend_charts.labelled_rate_lines(trend, lang, col=col, colored=True,
                                                    title=t(f"cmp.trend_title.{col}", lang)),
                         key=f"cmp_trend_{col}", lang=lang)
    if comp.trend.attrs.get("on_units"):
        st.caption(t("cmp.trend_units", lang, year=f.year))
    if comp.trend.attrs.get("estimated"):
        st.caption(":material/warning: " + t("tr.units_estimated_note", lang,
                                              n=fmt_int(comp.trend.attrs["estimated"], lang)))


_compare_ui()
