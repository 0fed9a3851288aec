"""Page: the map – communes (or districts) coloured by a measure; click one for its panel.

Reads the shared filters (dataset, year, standard, district, group); the commune
filter is the selection: one commune selected = its panel is open. A click on a
commune polygon selects it (``filters.request``), a click on a district (province
data) drills down into its communes. The map draws with no internet: Leaflet is
served from ``static/`` (``ui.maps.offline_assets``), the basemap is optional.
"""
from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from povlib import geo, standards
from povlib.errors import PovlibInputError
from povlib.i18n import fmt_int, fmt_pct, t
from ui import cache, charts, filters, layout, map_tables, maps, plotly_view, trend_charts
from ui.escape import md_escape

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.map", f)

MEASURE_KEYS = list(geo.MEASURES)


def _qp_choice(name: str, options, default):
    v = st.query_params.get(name)
    return v if v in options else default


# --- controls -------------------------------------------------------------------------------------
if "map_measure" not in st.session_state:
    st.session_state["map_measure"] = _qp_choice("measure", MEASURE_KEYS, "poor_rate")
# after the 2025 reform there is no district level: the map is of communes only
national = cache.is_national(f.dataset)  # the map of provinces; inside a province, its communes
if national:
    levels = ["commune"] if f.district else ["province"]
else:
    levels = map_tables.map_levels(f.multi_district and f.has_districts, f.district)
if "map_level" not in st.session_state:
    st.session_state["map_level"] = _qp_choice("level", levels, levels[0])
if st.session_state["map_level"] not in levels:
    st.session_state["map_level"] = levels[0]

c1, c2, c3 = st.columns([2, 2, 2], vertical_alignment="bottom")
measure = c1.selectbox(t("map.measure", lang), MEASURE_KEYS, key="map_measure",
                       format_func=lambda k: map_tables.measure_label(k, lang))
if len(levels) > 1:
    level = c2.radio(t("map.level", lang), levels, key="map_level", horizontal=True,
                     format_func=lambda k: t(f"map.level.{k}", lang))
else:
    level = levels[0]
    if f.multi_district and f.district:
        if c2.button(t("map.back_national" if national else "map.back_province", lang), key="map_back"):
            filters.request(district=None, communes=())
            st.rerun()
scheme = c3.selectbox(t("map.scheme", lang), maps.SCHEMES, key="map_scheme",
                      format_func=lambda k: map_tables.scheme_label(k, lang))
basemap = st.toggle(t("map.basemap", lang), key="map_basemap", help=t("map.basemap_help", lang))

for name, value, default in (("measure", measure, "poor_rate"), ("level", level, levels[0])):
    if value != default:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]

# --- data -----------------------------------------------------------------------------------------
try:
    layer = cache.view_map_layer(f.selection, f.year, level)
    outline = cache.view_district_outline(f.dataset, f.version, f.district)
except PovlibInputError as exc:  # povlib's errors carry a message in both languages; others are bugs
    st.error(t("map.layer_failed", lang, msg=md_escape(exc.message(lang))))
    st.stop()
if "households" not in layer.columns or layer["households"].isna().all():
    st.info(t("map.no_households", lang))
    st.stop()

selected = f.communes[0] if (level == "commune" and len(f.communes) == 1) else None
if layer.attrs.get("b2_only"):  # households without per-indicator answers: the deprivation measures leave them out
    st.info(t("map.b2_only", lang, n=fmt_int(layer.attrs["b2_only"], lang)), icon=":material/info:")

# --- map + panel ----------------------------------------------------------------------------------
m = maps.page_map(layer, measure, lang=lang, outline=outline, selected=selected, basemap=basemap, scheme=scheme)

map_key = f"map_{f.dataset}_{f.year}_{level}_{f.district}"


def _on_click() -> None:
    """A click on the map, handled before the run it starts, so the filters change in that same run (one run
    per click, not a run that draws the old selection and then reruns): a district or province opens its
    communes, a commune its panel."""
    code = map_tables.clicked_code(st.session_state.get(map_key), layer)
    if code is not None and level in ("district", "province"):
        filters.request(district=code, communes=())
    elif code is not None and code != selected:
        filters.request(communes=(code,))


map_col, side_col = st.columns([3, 2], gap="medium")
with map_col:
    st.caption(t({"commune": "map.caption", "district": "map.caption_district", "province": "map.caption_province"}[level],
                 lang, year=f.year))
    st_folium(m, key=map_key, height=560, use_container_width=True, returned_objects=["last_active_drawing"],
              on_change=_on_click)

    st.caption(":material/map: " + md_escape(cache.map_attribution(f.selection, f.year, level, lang)))


def _unit_table_ui() -> None:
    """All units of the map, ranked by the measure (the map's figures, readable without a mouse)."""
    table = map_tables.unit_table(layer, measure, level, lang)
    st.markdown(f"**{t('map.table_hint', lang)}**")
    n_rows = len(next(iter(table.values())))
    st.dataframe(table, hide_index=True, width="stretch", height=min(420, 38 + 35 * n_rows))


def _panel_ui(code: str) -> None:
    row = layer[layer["code"] == code].iloc[0]
    with st.container(border=True, key="map_panel"):
        head, close = st.columns([5, 1], vertical_alignment="center")
        head.subheader(t("map.panel_title", lang, name=row["name"], year=f.year))
        if close.button(t("map.close_panel", lang), key="map_close", icon=":material/close:"):
            filters.request(communes=())
            st.rerun()
        a, b, c, d = st.columns(4)
        a.metric(t("measure.households", lang), fmt_int(row["households"], lang))
        b.metric(t("measure.poor_rate", lang), fmt_pct(row["poor_rate"], lang))
        c.metric(t("measure.near_poor_rate", lang), fmt_pct(row["near_poor_rate"], lang))
        d.metric(t("measure.M0", lang), geo.format_value(row["M0"], "M0", lang))
        try:
            prof = cache.view_unit_profile(f.selection, code, f.year, lang)
        except PovlibInputError as exc:
            st.error(t("map.layer_failed", lang, msg=md_escape(exc.message(lang))))
            return
        # short tab labels (they fit a phone's width); the full titles are inside the tabs
        # one part at a time (not st.tabs, which computes and draws all three): a click on the map draws the
        # village table only, the charts when their part is chosen
        labels = {"villages": t("map.tab.villages", lang), "profile": t("map.tab.profile", lang, n=len(prof.indicators)),
                  "trend": t("map.tab.trend", lang)}
        if st.session_state.get("map_part") not in labels:
            st.session_state["map_part"] = "villages"
        part = st.segmented_control(t("map.part", lang), list(labels), key="map_part", format_func=labels.get,
                                    label_visibility="collapsed") or "villages"
        if part == "villages":
            st.markdown(f"**{t('map.villages', lang)}**")
            st.dataframe(map_tables.village_table(prof, lang), hide_index=True, width="stretch")
        elif part == "profile":
            st.markdown(f"**{t('map.profile', lang, n=len(prof.indicators))}**")
            n_b2, n_known = prof.indicators.attrs.get("b2_only", 0), prof.indicators.attrs.get("with_indicators", 1)
            missing = prof.indicators.attrs.get("missing", ())
            if missing:  # a review in the previous standard's form: the shares of the indicators it gives
                std = standards.get(prof.indicators.attrs["standard"])
                st.caption(":material/info: " + t("map.profile_partial", lang, k=len(prof.indicators),
                                                  total=len(std.indicators), std=std.name(lang),
                                                  missing="; ".join(std.indicator(m).label(lang) for m in missing)))
            if n_b2 and not n_known:
                st.info(t("map.profile_b2_only_all", lang, n=fmt_int(n_b2, lang)), icon=":material/info:")
            else:
                if n_b2:
                    st.info(t("map.profile_b2_only", lang, n=fmt_int(n_b2, lang), m=fmt_int(n_known, lang)),
                            icon=":material/info:")
                if prof.parent_name:  # (none: the data hold no other commune to compare with)
                    st.caption(t("map.profile_note", lang, name=md_escape(prof.parent_name)))
                fig = charts.unit_profile_bars(prof, str(row["short_name"]), prof.parent_name, lang)
                top = float(prof.indicators[["unit_share", "parent_share"]].max().max() or 0.01)
                fig.update_xaxes(range=[0, top * 1.22])
                fig.update_traces(cliponaxis=False)
                plotly_view.show(fig, key="map_profile_chart", lang=lang)
        else:
            st.markdown(f"**{t('map.trend', lang, first=int(prof.trend['year'].min()), last=int(prof.trend['year'].max()))}**")
            plotly_view.show(trend_charts.unit_trend_lines(prof, lang),
                             key="map_trend_chart", lang=lang)


with side_col:
    if selected is None:
        st.info(t({"commune": "map.click_hint", "district": "map.click_hint_district",
                   "province": "map.click_hint_province"}[level], lang),
                icon=":material/touch_app:")
    elif selected in set(layer["code"]):
        sel_name = layer.loc[layer["code"] == selected, "name"].iloc[0]
        st.success(t("map.selected_hint", lang, name=sel_name), icon=":material/south:")
    _unit_table_ui()
    st.download_button(
        t("map.png", lang), data=lambda: cache.map_png(f.selection, f.year, level, measure, scheme, selected, lang,
                                                       layout.scope_label(f)),
        file_name=f"ban_do_{measure}_{f.year}.png", mime="image/png", icon=":material/image:", key="map_png",
        on_click="ignore", help=t("map.png_help", lang))
if selected is not None and selected in set(layer["code"]):
    _panel_ui(selected)
st.caption(":material/wifi_off: " + t("map.offline_note", lang))
