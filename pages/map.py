"""Page: the map – communes (or districts) coloured by a measure; click one for its panel.

Reads the shared filters (dataset, year, standard, district, group); the commune
filter is the selection: one commune selected = its panel is open. A click on a
commune polygon selects it (``filters.request``), a click on a district (province
data) drills down into its communes. The map draws with no internet: Leaflet is
served from ``static/`` (``ui.maps.offline_assets``), the basemap is optional.
"""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from streamlit_folium import st_folium

from povlib import geo
from povlib.i18n import fmt_int, fmt_pct, t
from ui import cache, filters, layout, maps, theme

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.map", f)

MEASURE_KEYS = list(geo.MEASURES)
SCHEMES = ("NaturalBreaks", "Quantiles", "EqualInterval")


def _qp_choice(name: str, options, default):
    v = st.query_params.get(name)
    return v if v in options else default


# --- controls -------------------------------------------------------------------------------------
if "map_measure" not in st.session_state:
    st.session_state["map_measure"] = _qp_choice("measure", MEASURE_KEYS, "poor_rate")
province_view = f.multi_district and f.district is None
levels = ["district", "commune"] if province_view else ["commune"]
if "map_level" not in st.session_state:
    st.session_state["map_level"] = _qp_choice("level", levels, levels[0])
if st.session_state["map_level"] not in levels:
    st.session_state["map_level"] = levels[0]

c1, c2, c3 = st.columns([2, 2, 2], vertical_alignment="bottom")
measure = c1.selectbox(t("map.measure", lang), MEASURE_KEYS, key="map_measure",
                       format_func=lambda k: t(geo.MEASURES[k][0], lang))
if len(levels) > 1:
    level = c2.radio(t("map.level", lang), levels, key="map_level", horizontal=True,
                     format_func=lambda k: t(f"map.level.{k}", lang))
else:
    level = "commune"
    if f.multi_district and f.district:
        if c2.button(t("map.back_province", lang), key="map_back"):
            filters.request(district=None, communes=())
            st.rerun()
scheme = c3.selectbox(t("map.scheme", lang), SCHEMES, key="map_scheme",
                      format_func=lambda k: (lambda s: s[:1].upper() + s[1:])(t(f"map.scheme.{k}", lang)))
basemap = st.toggle(t("map.basemap", lang), key="map_basemap", help=t("map.basemap_help", lang))

for name, value, default in (("measure", measure, "poor_rate"), ("level", level, levels[0])):
    if value != default:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]

# --- data -----------------------------------------------------------------------------------------
try:
    layer = cache.view_map_layer(f.scope, f.year, level)
    outline = cache.view_district_outline(f.dataset, f.version, f.district)
except Exception as exc:  # noqa: BLE001 - povlib errors carry a Vietnamese message
    st.error(t("map.layer_failed", lang, msg=exc.message(lang) if hasattr(exc, "message") else str(exc)))
    st.stop()
if "households" not in layer.columns or layer["households"].isna().all():
    st.info(t("map.no_households", lang))
    st.stop()

selected = f.communes[0] if (level == "commune" and len(f.communes) == 1) else None

# --- map + panel ----------------------------------------------------------------------------------
base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
static_url = ("/" + base_path if base_path else "") + "/app/static/"
m = maps.build_map(layer, measure, lang=lang, outline=outline, selected=selected, basemap=basemap, scheme=scheme)
maps.offline_assets(m, static_url, inline=not st.get_option("server.enableStaticServing"))

map_col, side_col = st.columns([3, 2], gap="medium")
with map_col:
    st.caption(t("map.caption" if level == "commune" else "map.caption_district", lang, year=f.year))
    out = st_folium(m, key=f"map_{f.dataset}_{level}_{f.district}", height=560, use_container_width=True,
                    returned_objects=["last_active_drawing"])

clicked = ((out or {}).get("last_active_drawing") or {}).get("properties") or {}
code = str(clicked.get("code") or "")
if code and code in set(layer["code"]):
    if level == "district":
        filters.request(district=code, communes=())
        st.rerun()
    elif code != selected:
        filters.request(communes=(code,))
        st.rerun()


def _unit_table_ui() -> None:
    """All units of the map, ranked by the measure (the map's figures, readable without a mouse)."""
    tab = layer.dropna(subset=["households"]).sort_values(measure, ascending=False)
    st.markdown(f"**{t('map.table_hint', lang)}**")
    cols = {t("map.tooltip_unit", lang): tab["name"].tolist()}
    if level == "commune" and tab["district_code"].nunique() > 1:
        cols[t("general.district", lang)] = tab["district_name"].tolist()
    st.dataframe(
        {
            **cols,
            t(geo.MEASURES[measure][0], lang): [geo.format_value(v, measure, lang) for v in tab[measure]],
            t("measure.households", lang): [fmt_int(v, lang) for v in tab["households"]],
        },
        hide_index=True, width="stretch", height=min(420, 38 + 35 * len(tab)),
    )


def _profile_chart(prof, unit_name: str, parent_name: str):
    ind = prof.indicators.iloc[::-1]
    fig = go.Figure()
    for col, name, color in (("parent_share", parent_name, theme.NEUTRAL), ("unit_share", unit_name, theme.HIGHLIGHT)):
        fig.add_bar(
            y=ind["label"], x=ind[col], orientation="h", name=t("map.profile_unit", lang, name=name),
            marker_color=color, text=[fmt_pct(v, lang, digits=1) for v in ind[col]], textposition="outside",
            hovertext=[f"{lab}: {fmt_pct(v, lang)}" for lab, v in zip(ind["label"], ind[col])], hoverinfo="text",
        )
    fig.update_layout(barmode="group", separators=theme.separators(lang), height=520)
    fig.update_xaxes(tickformat=".0%", title=t("map.profile_axis", lang), rangemode="tozero")
    fig.update_yaxes(automargin=True)
    return theme.apply_layout(fig, height=540)


def _trend_chart(prof):
    tr = prof.trend
    fig = go.Figure()
    for col, key, color in (("poor_rate", "measure.poor_rate", theme.status_color("poor")),
                            ("near_poor_rate", "measure.near_poor_rate", theme.status_color("near_poor"))):
        fig.add_scatter(
            x=tr["year"], y=tr[col], mode="lines+markers+text", name=t(key, lang), line=dict(color=color, width=3),
            text=[fmt_pct(v, lang, digits=1) for v in tr[col]], textposition="top center",
            hovertext=[f"{y}: {fmt_pct(v, lang)}" for y, v in zip(tr["year"], tr[col])], hoverinfo="text",
        )
    fig.update_layout(separators=theme.separators(lang))
    fig.update_xaxes(tickmode="array", tickvals=tr["year"].tolist(), ticktext=[str(y) for y in tr["year"]])
    top = float(max(tr["poor_rate"].max(), tr["near_poor_rate"].max(), 0.01))
    fig.update_yaxes(tickformat=".0%", title=t("map.trend_axis", lang), range=[0, top * 1.25])
    fig.update_xaxes(range=[tr["year"].min() - 0.3, tr["year"].max() + 0.3])
    return theme.apply_layout(fig, height=360)


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
            prof = cache.view_unit_profile(f.scope, code, f.year, lang)
        except Exception as exc:  # noqa: BLE001
            st.error(t("map.layer_failed", lang, msg=exc.message(lang) if hasattr(exc, "message") else str(exc)))
            return
        tv, ti, tt = st.tabs([t("map.villages", lang), t("map.profile", lang),
                              t("map.trend", lang, first=int(prof.trend["year"].min()),
                                last=int(prof.trend["year"].max()))])
        with tv:
            v = prof.villages
            st.dataframe(
                {
                    t("general.village", lang): v["village"].tolist(),
                    t("measure.households", lang): [fmt_int(x, lang) for x in v["households"]],
                    t("measure.poor", lang): [fmt_int(x, lang) for x in v["poor"]],
                    t("measure.poor_rate", lang): [fmt_pct(x, lang) for x in v["poor_rate"]],
                    t("measure.near_poor", lang): [fmt_int(x, lang) for x in v["near_poor"]],
                    t("measure.near_poor_rate", lang): [fmt_pct(x, lang) for x in v["near_poor_rate"]],
                },
                hide_index=True, width="stretch",
            )
        with ti:
            st.caption(t("map.profile_note", lang, name=row["district_name"]))
            st.plotly_chart(_profile_chart(prof, str(row["short_name"]), str(row["district_name"])),
                            width="stretch", config={"displayModeBar": False}, key="map_profile_chart")
        with tt:
            st.plotly_chart(_trend_chart(prof), width="stretch", config={"displayModeBar": False},
                            key="map_trend_chart")


with side_col:
    if selected is None:
        st.info(t("map.click_hint" if level == "commune" else "map.click_hint_district", lang),
                icon=":material/touch_app:")
    elif selected in set(layer["code"]):
        sel_name = layer.loc[layer["code"] == selected, "name"].iloc[0]
        st.success(t("map.selected_hint", lang, name=sel_name), icon=":material/south:")
    _unit_table_ui()
if selected is not None and selected in set(layer["code"]):
    _panel_ui(selected)
st.caption(":material/wifi_off: " + t("map.offline_note", lang))
