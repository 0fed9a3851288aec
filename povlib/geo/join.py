"""Per-unit measures of review data and their join to boundary polygons.

Review data join the 2019 polygons on ``commune_code`` only (for a district
layer, on ``district_code``). GSO reused codes after the 2020 and 2025
mergers, so :func:`join_measures` refuses review years after the layer's
vintage and checks that each code carries the same unit name in the data and
in the layer: a reused code fails loudly instead of painting the wrong commune.

Examples
--------
>>> import povlib
>>> from povlib.geo.join import join_measures, unit_measures
>>> from povlib.geo.layers import boundaries
>>> table = unit_measures(povlib.load_demo(), 2019)
>>> joined = join_measures(boundaries("cho-don"), table, year=2019)
>>> len(joined), round(float(joined["poor"].sum() / joined["households"].sum()), 4)
(22, 0.1586)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError
from ..indicator_basis import given_columns, resolve_indicators
from ..measures import af_for_standard, rates
from ..panel import with_indicators
from ..sorting import vi_sorted
from ..units.levels import need_level_codes
from .layers import LAYER_LAST_YEAR, nfc

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["unit_measures", "join_measures"]


def unit_measures(df: pd.DataFrame, year: int, *, by: str = "commune_code",
                  standard: str | None = None) -> pd.DataFrame:
    """Every map measure per unit for one review year.

    Parameters
    ----------
    df : DataFrame
        Classified households (:func:`povlib.load_demo` or
        :func:`povlib.classify_households` output), any number of years.
    year : int
        Review year to measure.
    by : {'commune_code', 'district_code'}
        Unit column.
    standard : str, optional
        Standard whose indicators define "deprived" and M0; default the
        standard recorded in the rows of that year (must be a single one).
        When the data lack that standard's indicator columns (a what-if
        standard on older review data) the rows' own standard is used for the
        deprivation measures; ``attrs['indicator_standard']`` names it.

    Returns
    -------
    DataFrame
        One row per unit with ``code``, ``name`` (from the data), ``households``,
        ``poor``, ``near_poor``, ``poor_near``, ``poor_rate``, ``near_poor_rate``,
        ``poor_near_rate``, ``any_deprived`` (share of households deprived in
        at least one indicator), ``H``, ``A``, ``M0`` (Alkire–Foster with the
        standard's cut-off), ``with_indicators``. Rates are fractions. The
        deprivation measures (``any_deprived``, ``H``, ``A``, ``M0``) are over
        the ``with_indicators`` households that carry every indicator – not
        those reviewed with the B2 score only – and NaN for a unit without any;
        ``attrs['b2_only']`` counts the households left out of them.

    Examples
    --------
    >>> import povlib
    >>> from povlib.geo.join import unit_measures
    >>> m = unit_measures(povlib.load_demo(), 2019)
    >>> len(m), int(m.households.sum()) == len(povlib.load_demo().query("year == 2019"))
    (22, True)
    >>> b2 = unit_measures(povlib.load_demo().drop(columns=["latrine"]), 2019)
    >>> bool(b2["M0"].isna().all()), b2.attrs["b2_only"] == int(b2.households.sum())
    (True, True)
    """
    if by not in ("commune_code", "district_code"):
        raise PovlibInputError.from_key("geo.bad_by", by=repr(by), column=by)
    for col in (by, "year", "status"):
        if col not in df.columns:
            raise PovlibInputError.from_key("geo.lacks_column", col=col, column=col)
    d = df[df["year"] == int(year)]
    if d.empty:
        raise PovlibInputError.from_key("geo.no_households_year", year=year, column="year")
    need_level_codes(d, by, year)  # by district after the 2025 reform: no districts, said so
    used = d["standard"].astype(str).unique() if "standard" in d.columns else []
    given = given_columns(d)  # the indicator columns the year's rows hold (one pass over the rows)
    if len(used) != 1 and (standard is None or not resolve_indicators(given, standard, standard).available):
        raise PovlibInputError.from_key("geo.several_standards", year=year, n=len(used),
                                        standards=", ".join(map(str, used)), column="standard")
    own = str(used[0]) if len(used) == 1 else str(standard)
    std = _standards.get(resolve_indicators(given, standard, own).used)
    r = rates(d, by=by).rename(columns={by: "code"})
    ids = std.indicator_ids
    k, b2_only = with_indicators(d, std.id)
    anyd = pd.Series((k[ids].to_numpy(dtype=np.int16).sum(axis=1) > 0), index=k.index)
    share = anyd.groupby(k[by], observed=True, sort=True).mean().rename("any_deprived")
    n_known = anyd.groupby(k[by], observed=True, sort=True).size().rename("with_indicators")
    af = (af_for_standard(k, std, by=by).set_index(by)[["H", "A", "M0"]] if len(k)
          else pd.DataFrame(columns=["H", "A", "M0"], dtype=float))
    out = r.set_index("code").join(share).join(af).join(n_known)
    out["with_indicators"] = out["with_indicators"].fillna(0).astype(np.int64)
    name_col = "commune_name" if by == "commune_code" else "district_name"
    if name_col in d.columns:
        names = d.groupby(by, observed=True, sort=True)[name_col].agg(lambda s: vi_sorted(set(map(nfc, s.astype(str)))))
        multi = names[names.map(len) > 1]
        if len(multi):
            c = multi.index[0]
            raise PovlibInputError.from_key("geo.code_several_names", code=c, year=year,
                                            names=", ".join(multi.iloc[0]), column=name_col)
        out["name"] = names.map(lambda v: v[0])
    out = out.reset_index()
    out["code"] = out["code"].astype(str)
    out.attrs.update(key=by, year=int(year), standard=std.id, indicator_standard=std.id,
                     b2_only=b2_only)
    return out


def join_measures(layer: gpd.GeoDataFrame, table: pd.DataFrame, *, year: int) -> gpd.GeoDataFrame:
    """Attach a per-unit measure table to polygons, on the layer's key only.

    Parameters
    ----------
    layer : GeoDataFrame
        From :func:`boundaries` (``attrs['key']``, ``attrs['last_year']``).
    table : DataFrame
        From :func:`unit_measures`, with ``code`` and optionally ``name``.
    year : int
        Review year of ``table``; later than the layer's vintage is refused,
        because codes were reused after the 2020 merger.

    Returns
    -------
    GeoDataFrame
        All polygons of ``layer`` (units without data get NaN measures) plus
        the measure columns; ``attrs['b2_only']`` from ``table``.

    Raises
    ------
    PovlibInputError
        A code of ``table`` absent from the layer, a unit whose name differs
        between data and layer, or a year after the layer's vintage.

    Examples
    --------
    >>> import povlib
    >>> from povlib.geo.join import join_measures, unit_measures
    >>> from povlib.geo.layers import boundaries
    >>> j = join_measures(boundaries(), unit_measures(povlib.load_demo(), 2016), year=2016)
    >>> int(j.households.isna().sum())
    0
    """
    if "valid_from" in layer.attrs:  # a period layer (layers.period_boundaries): the year's units must be its units
        day = f"{int(year):04d}-12-31"
        if not (layer.attrs["valid_from"] <= day and (not layer.attrs["valid_to"] or day <= layer.attrs["valid_to"])):
            raise PovlibInputError.from_key("geo.year_outside_layer", year=year, column="year",
                                            valid_from=layer.attrs["valid_from"],
                                            valid_to=layer.attrs["valid_to"] or "…")
    elif int(year) > int(layer.attrs.get("last_year", LAYER_LAST_YEAR)):
        raise PovlibInputError.from_key("geo.year_after_layer", year=year, column="year")
    if table.attrs.get("key") and layer.attrs.get("key") and table.attrs["key"] != layer.attrs["key"]:
        raise PovlibInputError.from_key("geo.key_mismatch", data_key=table.attrs["key"],
                                        layer_key=layer.attrs["key"], column=str(table.attrs["key"]))
    tab = table.copy()
    tab["code"] = tab["code"].astype(str)
    if tab["code"].duplicated().any():
        dup = sorted(tab.loc[tab["code"].duplicated(), "code"].unique())
        raise PovlibInputError.from_key("geo.duplicate_codes", codes=", ".join(dup), column="code", rows=dup)
    unknown = sorted(set(tab["code"]) - set(layer["code"]))
    if unknown:
        raise PovlibInputError.from_key("geo.unknown_codes", codes=", ".join(unknown), column="code", rows=unknown)
    if "name" in tab.columns:
        ref = layer.set_index("code")["name"].map(nfc)
        data_names = tab.set_index("code")["name"].map(nfc)
        bad = [c for c in data_names.index if data_names[c] != ref[c]]
        if bad:
            c = bad[0]
            raise PovlibInputError.from_key("geo.name_mismatch", code=c, data_name=data_names[c], layer_name=ref[c],
                                            column="name", rows=bad)
        tab = tab.drop(columns="name")
    out = layer.merge(tab, on="code", how="left", validate="one_to_one")
    out.attrs.update(layer.attrs, year=int(year), b2_only=int(table.attrs.get("b2_only", 0)))
    return out
