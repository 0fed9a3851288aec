"""The national layers of the units in force from 01/07/2025: 34 provinces and, inside one, its communes.

``data/geo/vietnam_provinces_2025.geojson`` (34 provinces) and ``data/geo/vietnam_communes_2025.geojson``
(3,321 communes, simplified by ``scripts/build_national_geo.py``): Vietnamese Provinces Database
© Thang Le Quoc (MIT), derived from sapnhap.bando.com.vn (:data:`ATTRIBUTION_KEY`). The layers have the
columns of :func:`povlib.geo.boundaries` (``code``, ``name``, ``short_name``, ``unit_type``,
``district_code``, ``district_name``, ``geometry``) where the parent unit (``district_*``) is the province
of a commune (a province is its own parent), so the map of the app draws them unchanged;
:func:`join_table` attaches a table of measures on ``code`` only (the 2025 codes, one period).

Examples
--------
>>> p = province_layer()
>>> len(p), p.loc[p.code == "19", "name"].item()
(34, 'Tỉnh Thái Nguyên')
>>> c = commune_layer("19")
>>> len(c), set(c["district_code"]), c.attrs["level"]
(92, {'19'}, 'commune')
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from .. import paths
from ..errors import PovlibInputError
from .layers import nfc

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["PROVINCES_FILE", "COMMUNES_FILE", "ATTRIBUTION_KEY", "province_names", "province_layer",
           "commune_layer", "join_table"]

PROVINCES_FILE = "vietnam_provinces_2025.geojson"
COMMUNES_FILE = "vietnam_communes_2025.geojson"
#: catalog key of the layers' attribution (the 2025 layer's)
ATTRIBUTION_KEY = "geo.attribution.2025"


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Province code -> full name (``'19'`` -> ``'Tỉnh Thái Nguyên'``), read from the province layer's properties.

    Examples
    --------
    >>> province_names()["01"]
    'Thành phố Hà Nội'
    """
    with open(paths.GEO_DIR / PROVINCES_FILE, encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    return {str(f["properties"]["code"]): nfc(f["properties"]["full_name"]) for f in feats}


def _frame(gdf, codes, names, short, unit_type, parent, parent_name, level: str):
    import geopandas as gpd

    out = gpd.GeoDataFrame({"code": codes, "name": names, "short_name": short, "unit_type": unit_type,
                            "district_code": parent, "district_name": parent_name},
                           geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    out = out.to_crs(4326).sort_values("code").reset_index(drop=True)
    out.attrs.update(key="code", level=level, scope="vietnam", last_year=None)
    return out


@lru_cache(maxsize=1)
def _provinces() -> gpd.GeoDataFrame:
    import geopandas as gpd

    g = gpd.read_file(paths.GEO_DIR / PROVINCES_FILE)
    codes = g["code"].astype(str).to_numpy()
    full = [nfc(v) for v in g["full_name"]]
    return _frame(g, codes, full, [nfc(v) for v in g["name"]], [f.removesuffix(" " + nfc(n)) for f, n in
                                                               zip(full, g["name"])], codes, full, "province")


def province_layer() -> gpd.GeoDataFrame:
    """The 34 provinces (a copy: the caller may add columns)."""
    out = _provinces().copy()
    out.attrs = dict(_provinces().attrs)
    return out


@lru_cache(maxsize=1)
def _communes() -> gpd.GeoDataFrame:
    import geopandas as gpd

    g = gpd.read_file(paths.GEO_DIR / COMMUNES_FILE)
    g["province_code"] = g["province_code"].astype(str)
    names = province_names()
    full = [nfc(v) for v in g["full_name"]]
    return _frame(g, g["code"].astype(str).to_numpy(), full, [nfc(v) for v in g["name"]],
                  [f.removesuffix(" " + nfc(n)) for f, n in zip(full, g["name"])], g["province_code"].to_numpy(),
                  [names.get(p, p) for p in g["province_code"]], "commune")


def commune_layer(province: str) -> gpd.GeoDataFrame:
    """The communes of one province (2-digit 2025 code); an unknown code is refused."""
    c = _communes()
    out = c[c["district_code"] == str(province)].reset_index(drop=True)
    if out.empty:
        raise PovlibInputError.from_key("nat.err.no_province", province=province, column="province_code")
    out.attrs = dict(c.attrs)
    return out


def join_table(layer: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """``layer`` with the columns of ``table`` joined on ``code`` (units without data keep NaN).

    A code of ``table`` absent from the layer is refused (never drawn as another unit).

    Examples
    --------
    >>> j = join_table(province_layer(), pd.DataFrame({"code": ["19"], "households": [10]}))
    >>> int(j["households"].notna().sum()), j.attrs["level"]
    (1, 'province')
    """
    extra = sorted(set(table["code"].astype(str)) - set(layer["code"]))
    if extra:
        raise PovlibInputError.from_key("nat.err.no_polygon", codes=", ".join(extra[:10]), column="code")
    cols = [c for c in table.columns if c == "code" or c not in layer.columns]
    out = layer.merge(table[cols].assign(code=table["code"].astype(str)), on="code", how="left")
    out.attrs = {**layer.attrs, **table.attrs}
    return out
