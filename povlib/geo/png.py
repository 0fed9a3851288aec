"""A static PNG of the choropleth: polygons coloured by class, unit names, legend, title and attribution.

Drawn on the server with Pillow (already a dependency of the dashboard), with
no internet and no basemap: a picture to paste into a report. The classes are
those of the interactive map (:func:`povlib.geo.classify_values`), the names
the layer's short names, placed at each polygon's representative point and
left out where they would overlap a larger unit's name.

Examples
--------
>>> import povlib
>>> from povlib import geo
>>> from povlib.geo.png import choropleth_png
>>> j = geo.join_measures(geo.boundaries("cho-don"), geo.unit_measures(povlib.load_demo(), 2019), year=2019)
>>> png = choropleth_png(j, "poor_rate", title="T", attribution="A")
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""
from __future__ import annotations

import io
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import PovlibInputError
from ..i18n import t, t_count
from .classes import MEASURES, NO_DATA_COLOR, Classes, classify_values

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["FONT_FILES", "choropleth_png", "place_labels"]

#: TrueType fonts with Vietnamese letters, tried in order (Debian: fonts-dejavu-core, fonts-liberation)
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
)
_BOLD = {"DejaVuSans.ttf": "DejaVuSans-Bold.ttf", "LiberationSans-Regular.ttf": "LiberationSans-Bold.ttf",
         "NotoSans-Regular.ttf": "NotoSans-Bold.ttf"}


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    for name in FONT_FILES:
        p = Path(name)
        if bold and (p.parent / _BOLD.get(p.name, p.name)).exists():
            p = p.parent / _BOLD[p.name]
        if p.exists():
            return ImageFont.truetype(str(p), size)
    raise PovlibInputError.from_key("geo.no_font", fonts=", ".join(FONT_FILES))


def place_labels(boxes: list[tuple[float, float, float, float]]) -> list[bool]:
    """Which labels to draw: in the given order (most important first), each one unless it overlaps one kept.

    Examples
    --------
    >>> place_labels([(0, 0, 10, 10), (5, 5, 15, 15), (20, 0, 30, 10)])
    [True, False, True]
    """
    kept: list[tuple[float, float, float, float]] = []
    out = []
    for b in boxes:
        hit = any(not (b[2] < k[0] or b[0] > k[2] or b[3] < k[1] or b[1] > k[3]) for k in kept)
        out.append(not hit)
        if not hit:
            kept.append(b)
    return out


def _rings(geom):
    """Exterior and interior rings of a (multi)polygon."""
    polys = getattr(geom, "geoms", [geom])
    for p in polys:
        if p.is_empty:
            continue
        yield np.asarray(p.exterior.coords), [np.asarray(r.coords) for r in p.interiors]


def choropleth_png(joined: gpd.GeoDataFrame, measure: str, *, title: str, attribution: str, lang: str = "vi",
                   subtitle: str = "", classes: Classes | None = None, scheme: str = "NaturalBreaks", k: int = 5,
                   outline: gpd.GeoDataFrame | None = None, selected: str | None = None,
                   width: int = 1600) -> bytes:
    """The map of ``measure`` as PNG bytes.

    Parameters
    ----------
    joined : GeoDataFrame
        :func:`povlib.geo.join_measures` output (``code``, ``name``, optional ``short_name``).
    measure : str
        Key of :data:`povlib.geo.MEASURES`.
    title, subtitle, attribution : str
        Texts drawn above and under the map (the data attribution is required).
    classes : Classes, optional
        The interactive map's classes; default :func:`classify_values` with ``scheme``/``k``.
    outline : GeoDataFrame, optional
        District outline(s) drawn on top.
    selected : str, optional
        Code of a unit drawn with a thick outline.
    width : int
        Image width in pixels (the height follows the map's shape).

    Returns
    -------
    bytes
        A PNG image.
    """
    from PIL import Image, ImageDraw

    if measure not in MEASURES:
        raise PovlibInputError.from_key("geo.bad_measure", measure=repr(measure))
    values = joined[measure].to_numpy(dtype=float)
    if classes is None:
        classes = classify_values(values, measure, k=k, scheme=scheme, lang=lang)
    fills = classes.color_of(values)
    g = joined.to_crs(3857)
    minx, miny, maxx, maxy = g.total_bounds
    legend_w, pad, head = 430, 30, 110
    map_w = width - legend_w - 3 * pad
    scale = map_w / max(maxx - minx, 1.0)
    map_h = int((maxy - miny) * scale)
    f_title, f_sub, f_text, f_small, f_label = _font(30, True), _font(20), _font(19), _font(15), _font(15, True)
    wrapped = textwrap.wrap(attribution, 150)
    height = head + map_h + pad + 22 * len(wrapped) + pad
    img = Image.new("RGB", (width, max(height, head + 420)), "white")
    draw = ImageDraw.Draw(img)

    def xy(coords: np.ndarray) -> list[tuple[float, float]]:
        return [(pad + (x - minx) * scale, head + (maxy - y) * scale) for x, y in coords[:, :2]]

    for geom, fill in zip(g.geometry, fills):
        for ext, holes in _rings(geom):
            draw.polygon(xy(ext), fill=fill, outline="#555555")
            for h in holes:
                draw.polygon(xy(h), fill="white", outline="#555555")
    if outline is not None and len(outline):
        for geom in outline.to_crs(3857).geometry:
            for ext, _ in _rings(geom):
                draw.line(xy(ext) + xy(ext[:1]), fill="#1f2d3d", width=4, joint="curve")
    if selected is not None:
        for geom in g.geometry[(joined["code"].astype(str) == str(selected)).to_numpy()]:
            for ext, _ in _rings(geom):
                draw.line(xy(ext) + xy(ext[:1]), fill="#0b3d91", width=6, joint="curve")

    # unit names: larger units first, none over another
    names = (joined["short_name"] if "short_name" in joined.columns else joined["name"]).astype(str).tolist()
    pts = g.geometry.representative_point()
    order = np.argsort(-g.geometry.area.to_numpy(), kind="stable")
    boxes, where = [], []
    for i in order:
        cx, cy = xy(np.array([[pts.iloc[i].x, pts.iloc[i].y]]))[0]
        boxes.append(draw.textbbox((cx, cy), names[i], font=f_label, anchor="mm", stroke_width=2))
        where.append((cx, cy, names[i]))
    for keep, (cx, cy, text) in zip(place_labels(boxes), where):
        if keep:
            draw.text((cx, cy), text, font=f_label, fill="#1f2d3d", anchor="mm", stroke_width=3, stroke_fill="white")

    # title, legend, attribution
    draw.text((pad, 28), title, font=f_title, fill="#1f2d3d")
    if subtitle:
        draw.text((pad, 70), subtitle, font=f_sub, fill="#555555")
    lx, ly = width - legend_w - pad, head
    draw.text((lx, ly), t(MEASURES[measure][0], lang), font=_font(20, True), fill="#1f2d3d")
    rows = list(zip(classes.colors, classes.labels, classes.counts))
    if classes.no_data:
        rows.append((NO_DATA_COLOR, t("map.no_data", lang), classes.no_data))
    for j, (c, lab, n) in enumerate(reversed(rows)):
        y = ly + 40 + 34 * j
        draw.rectangle((lx, y, lx + 30, y + 22), fill=c, outline="#888888")
        draw.text((lx + 42, y + 1), f"{lab} ({t_count('map.units_count', int(n), lang)})", font=f_text, fill="#1f2d3d")
    if classes.scheme != "none":
        note = t("map.legend_note", lang, scheme=t(f"map.scheme.{classes.scheme}", lang))
        draw.text((lx, ly + 48 + 34 * len(rows)), note, font=f_small, fill="#555555")
    for j, line in enumerate(wrapped):
        draw.text((pad, head + map_h + pad + 22 * j), line, font=f_small, fill="#555555")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
