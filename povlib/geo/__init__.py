"""Commune and district polygons and the per-unit measures joined to them.

Following the data:

* :mod:`povlib.geo.layers`  – boundary layers of a territory (:func:`boundaries`,
  :func:`scope_for`), the levels and the layers' vintage;
* :mod:`povlib.geo.join`    – measures per unit (:func:`unit_measures`) and the
  safe join to the polygons (:func:`join_measures`);
* :mod:`povlib.geo.classes` – the map measures, their formats and colour classes;
* :mod:`povlib.geo.profile` – the panel of one commune (:func:`unit_profile`).

Drawing the choropleth (folium) is the app's part: ``ui.maps``. The names
below are this package's public interface.

Examples
--------
>>> import povlib
>>> from povlib import geo
>>> joined = geo.join_measures(geo.boundaries("cho-don"), geo.unit_measures(povlib.load_demo(), 2019), year=2019)
>>> geo.classify_values(joined["poor_rate"], "poor_rate").counts
(1, 9, 8, 2, 2)
"""
from __future__ import annotations

from .classes import MEASURES, NO_DATA_COLOR, Classes, classify_values, format_value
from .join import join_measures, unit_measures
from .layers import LAYER_LAST_YEAR, LEVELS, PeriodLayer, boundaries, layer_for, period_boundaries, scope_for
from .profile import UnitProfile, unit_profile

__all__ = [
    "LAYER_LAST_YEAR",
    "LEVELS",
    "MEASURES",
    "NO_DATA_COLOR",
    "PeriodLayer",
    "Classes",
    "UnitProfile",
    "boundaries",
    "classify_values",
    "format_value",
    "join_measures",
    "layer_for",
    "period_boundaries",
    "scope_for",
    "unit_measures",
    "unit_profile",
]
