"""The choropleth map (folium), served with no internet.

:func:`build_map` draws a plain :class:`folium.Map`: polygons coloured by
class (:func:`povlib.geo.classify_values`), a Vietnamese legend and tooltips,
the district outline(s) on top, no basemap unless asked.
:func:`offline_assets` points every JavaScript/CSS file at the copies vendored
under ``static/`` (or inlines them), so the map draws with no internet.
:func:`page_map` is the map page's map with its assets served by this server. The page's
choices and tables (levels, labels, the clicked unit, the units' and villages' tables) are in
:mod:`ui.map_tables`; pages only draw.

Examples
--------
>>> import re
>>> import povlib
>>> from povlib import geo
>>> from ui.maps import build_map, offline_assets
>>> joined = geo.join_measures(geo.boundaries("cho-don"), geo.unit_measures(povlib.load_demo(), 2019), year=2019)
>>> m = offline_assets(build_map(joined, "poor_rate"), "/app/static/")
>>> re.findall(r'(?:src|href)="(https?:[^"]*)"', m.get_root().render())
[]
"""
from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterator

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from branca.element import Element, MacroElement
from jinja2 import Template

from povlib import paths
from povlib.errors import PovlibInputError
from povlib.geo import MEASURES, NO_DATA_COLOR, Classes, classify_values, format_value
from povlib.i18n import fmt_int, t, t_count

__all__ = [
    "LEAFLET_VERSION",
    "STATIC_DIR",
    "OUTLINE_COLOR",
    "SCHEMES",
    "build_map",
    "offline_assets",
    "static_url",
    "page_map",
]

#: Vendored Leaflet (the version folium 0.20 asks for), served by Streamlit from ``static/``.
LEAFLET_VERSION = "1.9.3"
STATIC_DIR = paths.STATIC_DIR
_LEAFLET_DIR = f"vendor/leaflet-{LEAFLET_VERSION}"
#: Colour of the district outline(s) drawn on top.
OUTLINE_COLOR = "#1f2d3d"
#: Classification schemes offered on the map page.
SCHEMES = ("NaturalBreaks", "Quantiles", "EqualInterval")


# --- the folium map ---------------------------------------------------------------------------------
class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only.

    ``folium.Map(control_scale=True)`` adds ``L.control.scale()`` with Leaflet's defaults, which
    also show miles and feet ("mi", "ft"): units nobody reads in Viet Nam, and English in the
    Vietnamese interface. Leaflet's own options ``metric``/``imperial`` switch them.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


def _legend_element(title: str, classes: Classes, lang: str, note: str | None) -> MacroElement:
    rows = [(c, lab, n) for c, lab, n in zip(classes.colors, classes.labels, classes.counts)]
    if classes.no_data:
        rows.append((NO_DATA_COLOR, t("map.no_data", lang), classes.no_data))
    items = "".join(
        f'<div class="pv-legend-row"><span class="pv-swatch" style="background:{c}"></span>'
        f'{html.escape(lab)} <span class="pv-n">({html.escape(t_count("map.units_count", int(n), lang))})</span></div>'
        for c, lab, n in reversed(rows)
    )
    body = f'<div class="pv-legend-title">{html.escape(title)}</div>{items}'
    if note:
        body += f'<div class="pv-legend-note">{html.escape(note)}</div>'

    class Legend(MacroElement):
        _template = Template("""
            {% macro header(this, kwargs) %}
            <style>
            .pv-legend{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:5px;font:12px/1.45 sans-serif;
                       box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:240px;color:#1f2d3d}
            .pv-legend-title{font-weight:600;margin-bottom:3px}
            .pv-swatch{display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:-1px;border:1px solid #888}
            .pv-n{color:#555}
            .pv-legend-note{color:#555;margin-top:3px;font-size:11px}
            .leaflet-container{background:#f3f5f7}
            @media (max-width: 480px) {
              .pv-legend{font-size:10.5px;padding:4px 6px;max-width:175px}
              .pv-legend-note{display:none}
            }
            </style>
            {% endmacro %}
            {% macro script(this, kwargs) %}
            var pv_legend = L.control({position: "bottomright"});
            pv_legend.onAdd = function (map) {
                var div = L.DomUtil.create("div", "pv-legend");
                div.setAttribute("data-testid", "map-legend");
                div.innerHTML = {{ this.body_json }};
                return div;
            };
            pv_legend.addTo({{ this._parent.get_name() }});
            {% endmacro %}
        """)

        def __init__(self, body_html: str):
            super().__init__()
            self._name = "Legend"
            self.body_json = json.dumps(body_html, ensure_ascii=False)

    return Legend(body)


#: the commune names are drawn from this zoom level on (below it the map is too small to read them)
LABEL_MIN_ZOOM = 9


def _labels_element(joined: gpd.GeoDataFrame, selected: str | None) -> MacroElement:
    """Permanent unit names at the polygons' representative points (escaped), the selected one and the larger
    units first; a name that would overlap one already shown is hidden, all are hidden below
    :data:`LABEL_MIN_ZOOM`, and they are placed again after every zoom or move."""
    g = joined.to_crs(4326)
    pts = joined.to_crs(3857).representative_point().to_crs(4326)
    names = (g["short_name"] if "short_name" in g.columns else g["name"]).astype(str)
    area = joined.to_crs(3857).geometry.area.to_numpy()
    is_sel = (g["code"].astype(str) == str(selected)).to_numpy() if selected is not None else np.zeros(len(g), bool)
    order = sorted(range(len(g)), key=lambda i: (not is_sel[i], -area[i]))
    data = [{"lat": round(float(pts.iloc[i].y), 6), "lng": round(float(pts.iloc[i].x), 6),
             "html": html.escape(names.iat[i]), "code": str(g["code"].iat[i])} for i in order]

    class Labels(MacroElement):
        _template = Template("""
            {% macro header(this, kwargs) %}
            <style>
            .pv-label{background:none;border:none}
            .pv-label span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;pointer-events:none;
                font:600 11px/1.1 sans-serif;color:#1f2d3d;
                text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,1px 1px 1px #fff,-1px -1px 1px #fff}
            @media (max-width: 480px) { .pv-label span{font-size:10px} }
            </style>
            {% endmacro %}
            {% macro script(this, kwargs) %}
            (function () {
                var map = {{ this._parent.get_name() }};
                var data = {{ this.data_json }};
                var markers = data.map(function (d) {
                    return L.marker([d.lat, d.lng], {interactive: false, keyboard: false,
                        icon: L.divIcon({className: "pv-label", iconSize: null,
                                         html: '<span data-testid="map-label" data-code="' + d.code + '">' + d.html + '</span>'})});
                });
                var group = L.layerGroup(markers).addTo(map);
                // each name's box from the map's own geometry (the point's place at the current view and the
                // text's layout size), never from the screen: during a zoom the icons are still moving (CSS
                // transitions that can end after zoomend on a busy machine), and boxes read then overlapped later
                function place() {
                    var show = map.getZoom() >= {{ this.min_zoom }};
                    var kept = [];
                    markers.forEach(function (m) {
                        var el = m.getElement();
                        if (!el) { return; }
                        el.style.display = show ? "" : "none";
                        if (!show) { return; }
                        var p = map.latLngToContainerPoint(m.getLatLng());
                        var w = el.firstChild.offsetWidth / 2, h = el.firstChild.offsetHeight / 2;
                        var r = {left: p.x - w, right: p.x + w, top: p.y - h, bottom: p.y + h};
                        var hit = kept.some(function (k) {
                            return !(r.right + 2 < k.left || r.left - 2 > k.right || r.bottom + 1 < k.top || r.top - 1 > k.bottom);
                        });
                        if (hit) { el.style.display = "none"; } else { kept.push(r); }
                    });
                }
                map.on("zoomend moveend resize", place);
                window.pv_place_labels = place;
                setTimeout(place, 0);
            })();
            {% endmacro %}
        """)

        def __init__(self):
            super().__init__()
            self._name = "Labels"
            self.data_json = json.dumps(data, ensure_ascii=False)
            self.min_zoom = LABEL_MIN_ZOOM

    return Labels()


def _fit_element(bounds: list[list[float]]) -> MacroElement:
    """Fit the map to ``bounds`` leaving the legend's room beside the shape or under it (a phone), whichever
    leaves the shape larger, so that the legend covers no unit at the start."""

    class Fit(MacroElement):
        _template = Template("""
            {% macro script(this, kwargs) %}
            (function () {
                var map = {{ this._parent.get_name() }};
                function fit() {
                    var legend = map.getContainer().querySelector(".pv-legend");
                    var lw = legend ? legend.offsetWidth + 12 : 0, lh = legend ? legend.offsetHeight + 18 : 0;
                    // the legend's room beside the shape or under it, whichever leaves the shape larger
                    var bounds = L.latLngBounds({{ this.bounds_json }});
                    var beside = [lw, 6], under = [6, lh];
                    var zb = map.getBoundsZoom(bounds, false, L.point(beside[0] + 6, beside[1] + 6));
                    var zu = map.getBoundsZoom(bounds, false, L.point(under[0] + 6, under[1] + 6));
                    map.fitBounds(bounds, {paddingTopLeft: [6, 6], paddingBottomRight: zu > zb ? under : beside});
                }
                fit();
                // streamlit-folium sets the view to the map's start zoom right after this script: fit again then
                var setView = map.setView;
                map.setView = function () {
                    map.setView = setView;
                    var out = setView.apply(this, arguments);
                    setTimeout(fit, 0);
                    return out;
                };
                map.on("resize", fit);  // the frame is sized after the first draw
                if (document.fonts) { document.fonts.ready.then(function () { fit(); }); }  // the legend's final size
            })();
            {% endmacro %}
        """)

        def __init__(self):
            super().__init__()
            self._name = "Fit"
            self.bounds_json = json.dumps(bounds)

    return Fit()


def build_map(joined: gpd.GeoDataFrame, measure: str = "poor_rate", *, lang: str = "vi",
              classes: Classes | None = None, k: int = 5, scheme: str = "NaturalBreaks",
              outline: gpd.GeoDataFrame | None = None, selected: str | None = None,
              basemap: bool = False, height: int | str = "100%") -> folium.Map:
    """A folium choropleth of ``measure`` over the polygons of ``joined``.

    Parameters
    ----------
    joined : GeoDataFrame
        From :func:`povlib.geo.join_measures` (``code``, ``name``, ``households`` and the measure).
    measure : str
        Key of :data:`povlib.geo.MEASURES`.
    lang : {'vi', 'en'}
        Language of the legend and tooltips.
    classes : Classes, optional
        Pre-computed classes; default :func:`povlib.geo.classify_values` with ``k``/``scheme``.
    outline : GeoDataFrame, optional
        District outline(s) drawn on top (not clickable).
    selected : str, optional
        Code of a unit to highlight.
    basemap : bool
        Add OpenStreetMap tiles (needs internet); default no tiles.

    Returns
    -------
    folium.Map
        Each polygon's GeoJSON properties carry ``code``, ``name``, ``value``,
        ``value_text``, ``households_text`` (names HTML-escaped), so a click
        handler can read the unit code.

    Examples
    --------
    >>> import povlib
    >>> from povlib import geo
    >>> from ui.maps import build_map
    >>> j = geo.join_measures(geo.boundaries(), geo.unit_measures(povlib.load_demo(), 2019), year=2019)
    >>> m = build_map(j, "M0", outline=geo.boundaries(level="district"))
    >>> "Tỷ lệ thiếu hụt đa chiều điều chỉnh (M0)" in m.get_root().render()
    True
    """
    if measure not in MEASURES:
        raise PovlibInputError.from_key("geo.bad_measure", measure=repr(measure))
    if measure not in joined.columns:
        raise PovlibInputError.from_key("geo.map_lacks_column", col=measure, column=measure)
    values = joined[measure].to_numpy(dtype=float)
    if classes is None:
        classes = classify_values(values, measure, k=k, scheme=scheme, lang=lang)
    title = t(MEASURES[measure][0], lang)
    hh = joined["households"] if "households" in joined.columns else pd.Series(np.nan, index=joined.index)
    props = pd.DataFrame({
        "code": joined["code"].astype(str).to_numpy(),
        "name": [html.escape(str(x)) for x in joined["name"]],
        "value": [None if (v != v) else float(v) for v in values],
        "value_text": [format_value(v, measure, lang) for v in values],
        "households_text": [fmt_int(x, lang) for x in hh],
        "district": [html.escape(str(x)) for x in joined["district_name"]] if "district_name" in joined.columns
        else [""] * len(joined),
        "fill": classes.color_of(values),
        "selected": (joined["code"].astype(str) == str(selected)).to_numpy() if selected is not None else False,
    })
    gj = json.loads(gpd.GeoDataFrame(props, geometry=joined.geometry.to_numpy(), crs=joined.crs).to_crs(4326).to_json())
    for f in gj["features"]:
        f["id"] = f["properties"]["code"]

    minx, miny, maxx, maxy = joined.to_crs(4326).total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=10, tiles=None,
                   control_scale=False, prefer_canvas=False, height=height, zoom_snap=0.25)
    MetricScale().add_to(m)  # metric only (folium's control_scale=True would add miles)
    if basemap:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False, opacity=0.55).add_to(m)

    def style(feature):
        p = feature["properties"]
        sel = bool(p.get("selected"))
        return {"fillColor": p["fill"], "fillOpacity": 0.82 if basemap else 0.9, "color": "#0b3d91" if sel else "#555555",
                "weight": 3.5 if sel else 0.8}

    fields = ["name", "value_text", "households_text"]
    aliases = [t("map.tooltip_unit", lang), title, t("measure.households", lang)]
    several_districts = joined.attrs.get("level", "commune") == "commune" and props["district"].nunique() > 1
    if several_districts:
        fields.insert(1, "district")
        aliases.insert(1, t("general.district", lang))
    tooltip = folium.GeoJsonTooltip(fields=fields, aliases=[html.escape(a) for a in aliases], sticky=True, labels=True)
    folium.GeoJson(
        gj, name=title, style_function=style,
        highlight_function=lambda f: {"weight": 3, "color": "#0b3d91", "fillOpacity": 0.95},
        tooltip=tooltip, zoom_on_click=False,
    ).add_to(m)
    if outline is not None and len(outline):
        og = json.loads(outline.to_crs(4326)[["code", "geometry"]].to_json())
        folium.GeoJson(
            og, name=t("map.outline", lang),
            style_function=lambda f: {"fill": False, "color": OUTLINE_COLOR, "weight": 2.6, "opacity": 0.95},
            interactive=False,
        ).add_to(m)
    note = t("map.legend_note", lang, scheme=t(f"map.scheme.{classes.scheme}", lang)) if classes.scheme != "none" else None
    m.add_child(_legend_element(title, classes, lang, note))
    m.add_child(_labels_element(joined, selected))
    # room for the legend (bottom right): beside the shape on a wide map, under it on a phone
    m.add_child(_fit_element([[miny, minx], [maxy, maxx]]))
    return m


# --- offline assets --------------------------------------------------------------------------------
#: Folium asset names kept (served locally) -> file under ``static/``; the others are not needed for a
#: choropleth without markers and are dropped.
_LOCAL_ASSETS = {
    "leaflet": f"{_LEAFLET_DIR}/leaflet.js",
    "leaflet_css": f"{_LEAFLET_DIR}/leaflet.css",
}
_DROPPED_ASSETS = {"jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
                   "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"}


def _walk(el: Element) -> Iterator[Element]:
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from _walk(child)


def _data_uri(rel: str) -> str:
    path = STATIC_DIR / rel
    mime = "text/javascript" if rel.endswith(".js") else "text/css"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def offline_assets(m: folium.Map, base_url: str | None = "/app/static/", *, inline: bool = False) -> folium.Map:
    """Point the map's JavaScript and CSS at local copies instead of CDNs.

    Folium references Leaflet, jQuery, Bootstrap and Font Awesome on CDNs.
    This keeps only Leaflet (all a choropleth needs), served from
    ``static/vendor/leaflet-<version>/`` (Streamlit static serving:
    ``base_url`` is ``/app/static/``, prefixed by the server's base path) or
    inlined as ``data:`` URIs (``inline=True``, for a stand-alone HTML file).

    Parameters
    ----------
    m : folium.Map
        Map to change in place.
    base_url : str
        URL prefix under which ``static/`` is served.
    inline : bool
        Embed the files instead of linking them.

    Returns
    -------
    folium.Map
        ``m``.

    Raises
    ------
    PovlibInputError
        An element needs an external asset that is not vendored (a new
        plugin): better a clear error than a map that silently needs internet.

    Examples
    --------
    >>> import folium
    >>> from ui.maps import offline_assets
    >>> m = offline_assets(folium.Map(tiles=None), "/app/static/")
    >>> m.default_js
    [('leaflet', '/app/static/vendor/leaflet-1.9.3/leaflet.js')]
    """
    if not inline and base_url is None:
        raise PovlibInputError.from_key("geo.need_static_url")
    base = (base_url or "").rstrip("/") + "/"
    for el in _walk(m):
        for attr in ("default_js", "default_css"):
            assets = getattr(el, attr, None)
            if not assets:
                continue
            new = []
            for name, url in assets:
                if name in _LOCAL_ASSETS:
                    rel = _LOCAL_ASSETS[name]
                    new.append((name, _data_uri(rel) if inline else base + rel))
                elif name in _DROPPED_ASSETS:
                    continue
                elif not str(url).startswith(("http://", "https://", "//")):
                    new.append((name, url))
                else:
                    raise PovlibInputError.from_key("geo.unvendored_asset", element=type(el).__name__, name=name,
                                                    url=url)
            setattr(el, attr, new)
    return m


# --- the map page -------------------------------------------------------------------------------------
def static_url() -> str:
    """URL prefix of ``static/`` on this server (``/app/static/`` under the server's base path)."""
    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return ("/" + base_path if base_path else "") + "/app/static/"


def page_map(layer: gpd.GeoDataFrame, measure: str, *, lang: str, outline: gpd.GeoDataFrame | None,
             selected: str | None, basemap: bool, scheme: str) -> folium.Map:
    """:func:`build_map` with its assets served by this server (inlined when static serving is off)."""
    m = build_map(layer, measure, lang=lang, outline=outline, selected=selected, basemap=basemap, scheme=scheme)
    return offline_assets(m, static_url(), inline=not st.get_option("server.enableStaticServing"))


