"""Boundary layers: the polygons of a territory's communes or districts, with uniform columns.

The bundled polygons are the units in force until 31/01/2020 (the 2019 review
units, see ``data/geo/README.md``); which files a scope uses is the territory
registry's business (:mod:`povlib.synth.territory`). Commune layers are keyed
on ``gso_code_2019``, district layers on ``district_code``.

Examples
--------
>>> from povlib.geo.layers import boundaries, scope_for
>>> b = boundaries("cho-don")
>>> len(b), b.attrs["key"], b.attrs["last_year"]
(22, 'gso_code_2019', 2019)
>>> scope_for(["064"])
'cho-don'
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .. import paths
from ..errors import PovlibInputError
from ..synth.territory import load_territory, territory_keys

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["LEVELS", "LAYER_LAST_YEAR", "boundaries", "scope_for", "nfc"]

#: Map levels: a district layer (one polygon per district) or a commune layer.
LEVELS = ("district", "commune")

#: The bundled polygons are the units in force until 31/01/2020: the last review year they fit.
LAYER_LAST_YEAR = 2019

#: district-level unit types that begin the official district names of the GSO code list
#: (data vocabulary read from the names, not UI text)
_CITY = "Thành phố"
_RURAL_DISTRICT = "Huyện"


def nfc(s) -> str:
    """A unit name as compared: Unicode NFC, stripped (``'Xa\\u0303 '`` -> ``'Xã'``)."""
    return unicodedata.normalize("NFC", str(s)).strip()


def boundaries(scope: str = "cho-don", level: str = "commune", *, district: str | None = None) -> gpd.GeoDataFrame:
    """Polygons of a scope's units, with uniform columns.

    Parameters
    ----------
    scope : {'cho-don', 'bac-kan'}
        Territory whose units to read (``data/geo/territories.toml`` names the files).
    level : {'commune', 'district'}
        ``'commune'``: one polygon per 2019 commune (key ``gso_code_2019``);
        ``'district'``: the scope's district outlines (key ``district_code``).
    district : str, optional
        Keep only the communes (or the outline) of this 3-digit district code.

    Returns
    -------
    GeoDataFrame
        Columns ``code``, ``name`` (full name with the unit type), ``short_name``,
        ``unit_type``, ``district_code``, ``district_name``, ``geometry``
        (EPSG:4326), sorted by ``code``. ``attrs['key']`` is the data column the
        codes match, ``attrs['last_year']`` the last review year the units fit.

    Examples
    --------
    >>> from povlib.geo.layers import boundaries
    >>> b = boundaries("cho-don")
    >>> len(b), b.attrs["key"], b.loc[b.code == "02020", "name"].item()
    (22, 'gso_code_2019', 'Thị trấn Bằng Lũng')
    >>> boundaries("cho-don", "district").code.tolist()
    ['064']
    """
    import geopandas as gpd

    if level not in LEVELS:
        raise PovlibInputError.from_key("geo.bad_level", level=repr(level), levels=", ".join(LEVELS))
    terr = load_territory(scope)
    units = terr.units
    district_names = units.drop_duplicates("district_code").set_index("district_code")["district_name"]
    if level == "commune":
        gdf = gpd.read_file(terr.communes_geojson)
        gdf["gso_code_2019"] = gdf["gso_code_2019"].astype(str)
        meta = units.set_index("gso_code_2019")
        missing = sorted(set(meta.index) - set(gdf["gso_code_2019"]))
        if missing:
            raise PovlibInputError.from_key(
                "geo.layer_lacks_communes", file=terr.communes_geojson.relative_to(paths.DATA_DIR).as_posix(),
                codes=", ".join(missing), column="gso_code_2019", rows=missing,
            )
        gdf = gdf[gdf["gso_code_2019"].isin(meta.index)]
        codes = gdf["gso_code_2019"]
        out = gpd.GeoDataFrame({
            "code": codes.to_numpy(),
            "name": [nfc(meta.at[c, "full_name"]) for c in codes],
            "short_name": [nfc(meta.at[c, "name_vi"]) for c in codes],
            "unit_type": [meta.at[c, "unit_type"] for c in codes],
            "district_code": [meta.at[c, "district_code"] for c in codes],
            "district_name": [meta.at[c, "district_name"] for c in codes],
        }, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
        key = "gso_code_2019"
    else:
        gdf = gpd.read_file(terr.districts_geojson)
        gdf = gdf[gdf["gso_code"].isin(district_names.index)]
        out = gpd.GeoDataFrame({
            "code": gdf["gso_code"].to_numpy(),
            "name": [nfc(district_names[c]) for c in gdf["gso_code"]],
            "short_name": [nfc(district_names[c]).removeprefix(f"{_RURAL_DISTRICT} ").removeprefix(f"{_CITY} ")
                           for c in gdf["gso_code"]],
            "unit_type": [nfc(district_names[c]).split(" ")[0] if not nfc(district_names[c]).startswith(_CITY) else _CITY
                          for c in gdf["gso_code"]],
            "district_code": gdf["gso_code"].to_numpy(),
            "district_name": [nfc(district_names[c]) for c in gdf["gso_code"]],
        }, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
        key = "district_code"
    if district is not None:
        out = out[out["district_code"] == str(district)]
        if out.empty:
            raise PovlibInputError.from_key("geo.no_district", district=district, scope=scope,
                                            column="district_code")
    out = out.to_crs(4326).sort_values("code").reset_index(drop=True)
    out.attrs.update(key=key, level=level, scope=scope, last_year=terr.last_year)
    return out


def scope_for(district_codes: Iterable[str]) -> str:
    """The smallest bundled boundary scope holding all these district codes.

    Imported review data carry no scope name: their districts decide the
    layer ('cho-don' for Chợ Đồn only, else 'bac-kan'): the registered
    territory with the fewest units that holds them all.

    Examples
    --------
    >>> from povlib.geo.layers import scope_for
    >>> scope_for(["064"]), scope_for(["064", "061"])
    ('cho-don', 'bac-kan')
    """
    codes = {str(c) for c in district_codes}
    territories = sorted((load_territory(k) for k in territory_keys()), key=lambda terr: len(terr.units))
    for terr in territories:  # the smallest first
        if codes <= set(terr.units["district_code"]):
            return terr.key
    raise PovlibInputError.from_key("geo.no_boundaries", codes=", ".join(sorted(codes)), column="district_code")
