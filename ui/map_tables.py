"""The map page's choices and tables: which levels it offers, the names of measures and schemes, the unit a click
chose, and the tables that give the map's figures without a mouse (every unit, a commune's villages).

Pure functions over the page's layer and :class:`povlib.geo.UnitProfile` (no ``st`` calls); the map itself is
drawn by :mod:`ui.maps`.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from povlib.geo import MEASURES, UnitProfile, format_value
from povlib.i18n import fmt_int, fmt_pct, t
from povlib.sorting import sort_frame
from povlib.views import unit_level

__all__ = ["map_levels", "measure_label", "scheme_label", "clicked_code", "unit_table", "village_table"]


def map_levels(multi_district: bool, district: str | None) -> list[str]:
    """Levels the map offers: districts and communes for a whole province, else communes.

    Examples
    --------
    >>> map_levels(True, None), map_levels(True, "064"), map_levels(False, None)
    (['district', 'commune'], ['commune'], ['commune'])
    """
    top = unit_level(multi_district=multi_district, district=district, selection_only=False)
    return ["district", "commune"] if top == "district" else ["commune"]


def measure_label(measure: str, lang: str) -> str:
    """Name of a map measure (key of :data:`povlib.geo.MEASURES`).

    Examples
    --------
    >>> measure_label("poor_rate", "en")
    'Poverty rate'
    """
    return t(MEASURES[measure][0], lang)


def scheme_label(scheme: str, lang: str) -> str:
    """Name of a classification scheme, capitalised for a select box.

    Examples
    --------
    >>> scheme_label("NaturalBreaks", "vi")
    'Ngắt tự nhiên (Jenks)'
    """
    s = t(f"map.scheme.{scheme}", lang)
    return s[:1].upper() + s[1:]


def clicked_code(out: Mapping | None, layer: pd.DataFrame) -> str | None:
    """Code of the polygon last clicked on the map (``st_folium``'s return value), if it is a unit of ``layer``.

    Examples
    --------
    >>> layer = pd.DataFrame({"code": ["02020"]})
    >>> clicked_code({"last_active_drawing": {"properties": {"code": "02020"}}}, layer), clicked_code(None, layer)
    ('02020', None)
    """
    clicked = ((out or {}).get("last_active_drawing") or {}).get("properties") or {}
    code = str(clicked.get("code") or "")
    return code if code and code in set(layer["code"]) else None


def unit_table(layer: pd.DataFrame, measure: str, level: str, lang: str) -> dict[str, list]:
    """All units of the map with data, ranked by ``measure``: the map's figures, readable without a mouse.

    Examples
    --------
    >>> layer = pd.DataFrame({"name": ["A", "B"], "district_code": ["064", "064"], "district_name": ["H", "H"],
    ...                       "poor_rate": [0.1, 0.3], "households": [10.0, 20.0]})
    >>> unit_table(layer, "poor_rate", "commune", "vi")["Đơn vị"]
    ['B', 'A']
    """
    tab = sort_frame(layer.dropna(subset=["households"]), [measure, "name"], ascending=[False, True], text=["name"])
    cols = {t("map.tooltip_unit", lang): tab["name"].tolist()}
    if level == "commune" and tab["district_code"].nunique() > 1:
        cols[t("general.district", lang)] = tab["district_name"].tolist()
    return {
        **cols,
        measure_label(measure, lang): [format_value(v, measure, lang) for v in tab[measure]],
        t("measure.households", lang): [fmt_int(v, lang) for v in tab["households"]],
    }


def village_table(prof: UnitProfile, lang: str) -> dict[str, list]:
    """The villages of a commune's panel: households, poor and near-poor (counts and rates)."""
    v = prof.villages
    return {
        t("general.village", lang): v["village"].tolist(),
        t("measure.households", lang): [fmt_int(x, lang) for x in v["households"]],
        t("measure.poor", lang): [fmt_int(x, lang) for x in v["poor"]],
        t("measure.poor_rate", lang): [fmt_pct(x, lang) for x in v["poor_rate"]],
        t("measure.near_poor", lang): [fmt_int(x, lang) for x in v["near_poor"]],
        t("measure.near_poor_rate", lang): [fmt_pct(x, lang) for x in v["near_poor_rate"]],
    }
