"""Administrative units as dated data: the 2020 and 2025 reforms, crosswalks, re-expression.

* :mod:`povlib.units.registry`  – the unit versions and changes of ``data/units/``
  (:func:`load_registry`, :func:`units_at`, :func:`successors`, :func:`predecessors`);
  a unit is a :class:`UnitKey` ``(code, valid_from)``, never a code alone;
* :mod:`povlib.units.reexpress` – weights between any two periods (:func:`crosswalk_matrix`)
  and per-unit counts moved onto another period's units (:func:`reexpress`).

Examples
--------
>>> from povlib import units
>>> len(units.units_at(2019, within="064")), len(units.units_at(2026, within="064"))
(22, 8)
"""
from __future__ import annotations

from .reexpress import Crosswalk, crosswalk_matrix, largest_remainder, reexpress
from .registry import (
    Registry,
    UnitKey,
    as_date,
    district_names,
    events_between,
    key,
    load_registry,
    predecessors,
    province_names,
    same_unit,
    successors,
    units_at,
)

__all__ = [
    "Crosswalk",
    "Registry",
    "UnitKey",
    "as_date",
    "crosswalk_matrix",
    "district_names",
    "events_between",
    "key",
    "largest_remainder",
    "load_registry",
    "predecessors",
    "province_names",
    "reexpress",
    "same_unit",
    "successors",
    "units_at",
]
