"""The panel of one commune on the map: its villages, its ten indicators against the district, its trend.

Examples
--------
>>> import povlib
>>> from povlib.geo.profile import unit_profile
>>> from povlib.sorting import vi_sorted
>>> p = unit_profile(povlib.load_demo(), "02035", 2019)
>>> list(p.villages.columns[:2]), len(p.indicators)
(['village', 'households'], 10)
>>> p.villages["village"].tolist() == vi_sorted(p.villages["village"])
True

A review whose rows give some of the standard's indicators (a form without one): the shares of the others,
and the one not given named; with none given, no share at all.

>>> part = unit_profile(povlib.load_demo().drop(columns=["latrine"]), "02035", 2019)
>>> len(part.indicators), part.indicators.attrs["missing"]
(9, ('latrine',))
>>> ids = povlib.standards.get("QD59_2015").indicator_ids + ["telecom", "info_access", "employment"]
>>> b2 = unit_profile(povlib.load_demo().drop(columns=ids, errors="ignore"), "02035", 2019)
>>> bool(b2.indicators["unit_share"].isna().all()), b2.indicators.attrs["with_indicators"]
(True, 0)
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..breaks import yearly_rates
from ..columns import equals
from ..errors import PovlibInputError
from ..i18n import t
from ..indicator_basis import given_columns, resolve_indicators
from ..measures import deprivation_shares, rates
from ..panel import indicator_rows, rows_giving, with_indicators
from ..sorting import vi_key
from ..units import province_names, units_at

__all__ = ["UnitProfile", "unit_profile"]


@dataclass(frozen=True)
class UnitProfile:
    """What the map panel shows for one commune.

    Attributes
    ----------
    villages : DataFrame
        :func:`povlib.measures.rates` by village for the year (``village`` first).
    indicators : DataFrame
        One row per indicator: ``indicator``, ``label``, ``unit_share``,
        ``parent_share`` (the district; after the 2025 reform, when there is no
        district, the province), ``unit_deprived`` – over the
        households with every indicator (shares NaN where there are none).
        ``attrs``: ``with_indicators`` and ``b2_only`` (households of the unit
        reviewed with the B2 score only, left out).
    trend : DataFrame
        :func:`povlib.measures.rates` by year for the unit (all years present).
    """

    villages: pd.DataFrame
    indicators: pd.DataFrame
    trend: pd.DataFrame
    parent_name: str = ""  # what ``parent_share`` is of: the district, after 2025 the province ("": none)


def unit_profile(df: pd.DataFrame, code: str, year: int, *, standard: str | None = None,
                 lang: str = "vi", communes_held: Collection[str] | None = None) -> UnitProfile:
    """Villages table, 10-indicator profile and yearly trend of one commune.

    Parameters
    ----------
    df : DataFrame
        Classified households, all years.
    code : str
        ``commune_code`` of the commune.
    year : int
        Review year of the villages table and the profile.
    standard : str, optional
        Standard of the indicators (default that of the year's rows).
    lang : str
        Language of the labels and of the parent's name.
    communes_held : collection of str, optional
        The communes the data hold in ``year`` before any filter of the rows (a group of households): whether
        the province after 2025 is whole in the data is judged on them (default: the communes of ``df``).

    Returns
    -------
    UnitProfile

    Examples
    --------
    >>> import povlib
    >>> from povlib.geo.profile import unit_profile
    >>> p = unit_profile(povlib.load_demo(), "02020", 2019)
    >>> p.trend.year.tolist()[:4], len(p.indicators)
    ([2016, 2017, 2018, 2019], 10)
    """
    code = str(code)
    if "commune_code" not in df.columns:
        raise PovlibInputError.from_key("geo.lacks_commune_code", column="commune_code")
    in_unit = equals(df["commune_code"], code)
    if not in_unit.any():
        raise PovlibInputError.from_key("geo.no_households_unit", code=code, column="commune_code", rows=[code])
    unit = df[in_unit]
    d = unit[unit["year"] == int(year)]
    if d.empty:
        raise PovlibInputError.from_key("geo.no_households_unit_year", code=code, year=year, column="year")
    std = _standards.get(resolve_indicators(given_columns(d), standard, str(d["standard"].astype(str).iloc[0])).used)
    villages = rates(d, by="village")
    villages["village"] = villages["village"].astype(str)
    villages = villages.sort_values("village", key=vi_key, kind="stable").reset_index(drop=True)
    trend = yearly_rates(unit)  # with the standard of each year (two points for a review measured under both)
    known, b2_only = with_indicators(d, std.id)
    in_year = df[(df["year"] == int(year)).to_numpy()]
    ids, missing = list(std.indicator_ids), ()
    # no household of the year gives every indicator, some give part of them (the previous standard's form):
    # the shares of those, decided on the year's rows as the deprivations page and the report decide
    given = [c for c in ids if c in in_year.columns and in_year[c].notna().any()]
    if given and len(given) < len(ids) and not indicator_rows(in_year, std).any():
        ids, missing = given, tuple(c for c in std.indicator_ids if c not in given)
        known = d.loc[rows_giving(d, ids)]
        b2_only = int(len(d) - len(known))
    ds = deprivation_shares(known, std, indicators=ids).set_index("indicator")
    parent_col, parent_code, parent_name = _parent(d)
    in_parent = in_year[equals(in_year[parent_col], parent_code)]
    held = {str(c) for c in pd.unique(in_parent["commune_code"].dropna())}  # the units, not the rows
    if held <= {code}:  # only the commune itself (the national dataset loads one commune): nothing to compare
        in_parent, parent_name = in_parent.iloc[:0], ""
    elif parent_col == "province_code":  # the data may hold part of the province only: the name says so
        held |= {str(c) for c in communes_held or ()}
        if not set(units_at(int(year), within=parent_code)["code"].astype(str)) <= held:
            parent_name = t("map.parent_in_data", lang, name=parent_name)
    if missing:
        parent_rows = in_parent.loc[rows_giving(in_parent, ids)]
    else:
        parent_rows, _ = with_indicators(in_parent, std.id)
    parent = deprivation_shares(parent_rows, std, indicators=ids).set_index("indicator")
    ind = pd.DataFrame({
        "indicator": ids,
        "label": [std.indicator(i).label(lang) for i in ids],
        "unit_share": ds.loc[ids, "share"].to_numpy(),
        "unit_deprived": ds.loc[ids, "deprived"].to_numpy(),
        "parent_share": parent.loc[ids, "share"].to_numpy(),
    })
    if known.empty:
        ind["unit_share"] = np.nan
    if parent_rows.empty:
        ind["parent_share"] = np.nan
    # missing: the standard's indicators the rows do not give (the shares are of the others)
    ind.attrs.update(with_indicators=int(len(known)), b2_only=b2_only, missing=missing, standard=std.id)
    return UnitProfile(villages=villages, indicators=ind, trend=trend, parent_name=parent_name)


def _parent(rows: pd.DataFrame) -> tuple[str, str, str]:
    """The unit a commune's rows of one year lie in, as (its code column, code, name): their district, or after
    the 2025 reform (no district) their province, named by the unit registry."""
    first = rows.iloc[0]
    if "province_code" not in rows.columns or (pd.notna(first["district_code"]) and str(first["district_code"])):
        return "district_code", str(first["district_code"]), str(first.get("district_name", first["district_code"]))
    code = str(first["province_code"])
    return "province_code", code, province_names().get(code, code)
