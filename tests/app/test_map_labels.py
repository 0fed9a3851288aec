"""The map's commune names, legend room and PNG (issue 10 items 10 and 13): the folium map's HTML, the
server-drawn PNG and the page's download button (the drawn map itself: tests/e2e/test_map_labels_browser.py)."""
from __future__ import annotations

import io
import json
import re

from PIL import Image

import povlib
from povlib import geo
from povlib.geo.png import choropleth_png
from tests.support.apptest import open_page
from ui.maps import LABEL_MIN_ZOOM, build_map


def _joined():
    return geo.join_measures(geo.boundaries("cho-don"), geo.unit_measures(povlib.load_demo(), 2019), year=2019)


def test_every_commune_is_named_on_the_map_escaped():
    j = _joined()
    j.loc[j.index[0], "short_name"] = "<b>x</b>"
    html = build_map(j, "poor_rate").get_root().render()
    data = json.loads(re.search(r"var data = (\[.*?\]);", html).group(1))
    assert len(data) == len(j)
    assert {d["html"] for d in data} >= set(j["short_name"].iloc[1:])
    assert "&lt;b&gt;x&lt;/b&gt;" in {d["html"] for d in data} and "<b>x</b>" not in html
    assert f"map.getZoom() >= {LABEL_MIN_ZOOM}" in html
    # each name sits inside its own polygon
    pt = data[0]
    row = j.to_crs(4326)[j["code"].astype(str) == pt["code"]].geometry.iloc[0]
    from shapely.geometry import Point
    assert row.contains(Point(pt["lng"], pt["lat"]))


def test_the_legend_room_is_chosen_when_fitting():
    html = build_map(_joined(), "poor_rate").get_root().render()
    assert "paddingBottomRight: zu > zb ? under : beside" in html
    assert "padding_bottom_right" not in html and "[150, 6]" not in html


def test_png_of_the_map_has_names_legend_and_attribution():
    j = _joined()
    png = choropleth_png(j, "poor_rate", title="Tỷ lệ hộ nghèo", attribution="Ranh giới: censusVN2009")
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.width == 1600 and img.height > 800
    colors = {c for _, c in img.getcolors(1 << 20)}
    classes = geo.classify_values(j["poor_rate"], "poor_rate")
    assert {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in classes.colors} <= colors  # map and legend


def test_map_page_offers_the_png():
    at = open_page("app_pages/map.py", year="2019")
    buttons = [b for b in at.get("download_button") if "map_png" in str(b.proto.id)]
    assert buttons and buttons[0].proto.label == "Tải ảnh bản đồ (PNG)"
