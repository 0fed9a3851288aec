"""Boundary layers: the polygons of a territory's communes or districts, with uniform columns.

The bundled polygons are the units in force until 31/01/2020 (the 2019 review
units, see ``data/geo/README.md``); which files a scope uses is the territory
registry's business (:mod:`povlib.synth.territory`). Commune layers are keyed
on ``commune_code``, district layers on ``district_code``.

Examples
--------
>>> from povlib.geo.layers import boundaries, scope_for
>>> b = boundaries("cho-don")
>>> len(b), b.attrs["key"], b.attrs["last_year"]
(22, 'commune_code', 2019)
>>> scope_for(["064"])
'cho-don'
"""
from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..errors import PovlibInputError
from ..i18n import t
from ..synth.territory import load_territory, territory_keys

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["LEVELS", "LAYER_LAST_YEAR", "PeriodLayer", "boundaries", "layer_for", "period_boundaries", "scope_for",
           "nfc"]

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
        ``'commune'``: one polygon per 2019 commune (key ``commune_code``);
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
    (22, 'commune_code', 'Thị trấn Bằng Lũng')
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
        gdf = gpd.read_file(terr.communes_geojson).rename(columns={paths.SOURCE_CODE_2019: "commune_code"})
        gdf["commune_code"] = gdf["commune_code"].astype(str)
        meta = units.set_index("commune_code")
        missing = sorted(set(meta.index) - set(gdf["commune_code"]))
        if missing:
            raise PovlibInputError.from_key(
                "geo.layer_lacks_communes", file=terr.communes_geojson.relative_to(paths.DATA_DIR).as_posix(),
                codes=", ".join(missing), column="commune_code", rows=missing,
            )
        gdf = gdf[gdf["commune_code"].isin(meta.index)]
        codes = gdf["commune_code"]
        out = gpd.GeoDataFrame({
            "code": codes.to_numpy(),
            "name": [nfc(meta.at[c, "full_name"]) for c in codes],
            "short_name": [nfc(meta.at[c, "name_vi"]) for c in codes],
            "unit_type": [meta.at[c, "unit_type"] for c in codes],
            "district_code": [meta.at[c, "district_code"] for c in codes],
            "district_name": [meta.at[c, "district_name"] for c in codes],
        }, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
        key = "commune_code"
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
    # commune outlines fit the review years up to the territory's last_year (commune codes were reused after
    # the 2020 mergers); district outlines every year their districts were in force (units registry)
    last = terr.last_year if level == "commune" else _districts_last_year(out["code"], terr.last_year)
    out.attrs.update(key=key, level=level, scope=scope, last_year=last)
    return out


def _districts_last_year(codes: Iterable[str], floor: int) -> int:
    """The last review year (its 31 December) on which every district of ``codes`` is in force, by the units
    registry's district records; ``floor`` (the territory's last year) when the registry knows none of them.

    Examples
    --------
    >>> _districts_last_year(["058", "064"], 2019)  # Bắc Kạn's districts, in force until 30/06/2025
    2024
    """
    from ..units.registry import load_registry

    units = load_registry().units
    d = units[(units["level"] == "district") & units["code"].isin([str(c) for c in codes]).to_numpy()]
    if d.empty:
        return int(floor)
    per_code: dict[str, list[str]] = {}  # each district's records' last days ("": still in force)
    for code, to in zip(d["code"].astype(str), d["valid_to"].astype(str).where(d["valid_to"].notna(), "")):
        per_code.setdefault(code, []).append(to)
    closed = [max(v) for v in per_code.values() if "" not in v]
    if not closed:  # every one still in force
        return 9999
    end = min(closed)  # the first of them to end
    year = int(end[:4])
    return max(int(floor), year if end[5:] == "12-31" else year - 1)


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


@dataclass(frozen=True)
class PeriodLayer:
    """The commune layer that fits the units in force at a date, and where it comes from.

    Attributes
    ----------
    scope : str
        The territory (``data/geo/territories.toml``).
    path : Path
        The GeoJSON file.
    key : str
        The feature property holding the unit code.
    valid_from, valid_to : str
        The span of dates whose units the layer fits (ISO; ``valid_to`` empty while in force).
    attribution_key : str
        The catalog key of the attribution text to show where the layer is drawn.
    filter_column : str or None
        A feature property; keep the features where it is at least ``filter_min``.
    filter_min : float or None
    """

    scope: str
    path: Path
    key: str
    valid_from: str
    valid_to: str
    attribution_key: str
    filter_column: str | None = None
    filter_min: float | None = None

    def attribution(self, lang: str = "vi") -> str:
        """The layer's attribution text in ``lang``.

        Examples
        --------
        >>> from povlib.geo.layers import layer_for
        >>> layer_for("cho-don", 2025).attribution("en")[:39]
        'Commune boundaries from 1 July 2025: Vi'
        """
        return t(self.attribution_key, lang)

    def read(self) -> gpd.GeoDataFrame:
        """The layer's features (filtered as the registry says), in EPSG:4326.

        Examples
        --------
        >>> from povlib.geo.layers import layer_for
        >>> [len(layer_for(s, y).read()) for s, y in (("cho-don", 2019), ("cho-don", 2020), ("bac-kan", 2025))]
        [22, 20, 37]
        """
        import geopandas as gpd

        gdf = gpd.read_file(self.path)
        if self.filter_column is not None:
            gdf = gdf[gdf[self.filter_column] >= self.filter_min]
        gdf[self.key] = gdf[self.key].astype(str)
        return gdf.to_crs(4326).sort_values(self.key).reset_index(drop=True)


def layer_for(territory: str, date) -> PeriodLayer:
    """The commune layer of a territory that fits the units in force at ``date``.

    Parameters
    ----------
    territory : str
        A registered territory (``'cho-don'``, ``'bac-kan'``).
    date : int, str or date
        A review year (the units of its 31 December) or a date.

    Raises
    ------
    PovlibInputError
        When the territory has no layer for that period (Bắc Kạn from 01/02/2020 to 30/06/2025).

    Examples
    --------
    >>> from povlib.geo.layers import layer_for
    >>> [layer_for("cho-don", y).path.name for y in (2019, 2020, 2025)]
    ['cho_don_communes.geojson', 'cho_don_communes_2020.geojson', 'cho_don_communes_2025.geojson']
    >>> layer_for("cho-don", "2020-01-31").key, layer_for("cho-don", "2025-06-30").attribution_key
    ('gso_code_2019', 'geo.attribution.2020')
    """
    from ..units import as_date

    day = as_date(date)
    raw = tomllib.loads((paths.GEO_DIR / "territories.toml").read_text(encoding="utf-8"))
    if territory not in raw:
        raise PovlibInputError.from_key("geo.no_layer_for", scope=territory, date=day)
    for entry in raw[territory].get("layers", []):
        if entry["from"] <= day and (not entry["to"] or day <= entry["to"]):
            return PeriodLayer(
                scope=territory, path=paths.GEO_DIR / entry["file"], key=entry["key"], valid_from=entry["from"],
                valid_to=entry["to"], attribution_key=f"geo.attribution.{entry['attribution']}",
                filter_column=entry.get("filter_column"), filter_min=entry.get("filter_min"),
            )
    raise PovlibInputError.from_key("geo.no_layer_for", scope=territory, date=day)


def period_boundaries(scope: str, year, *, district: str | None = None) -> gpd.GeoDataFrame:
    """The commune polygons of a territory for the units in force at the end of a review year.

    The layer is :func:`layer_for` ``(scope, year)``, never the 2019 layer for a later year; the names and
    parents come from the dated unit registry (:mod:`povlib.units`), keyed on (code, period).

    Parameters
    ----------
    scope : {'cho-don', 'bac-kan'}
    year : int, str or date
        A review year (its 31 December) or a date.
    district : str, optional
        Keep only the communes of this district code – after 2025 (no districts) the communes grouped
        under this former district.

    Returns
    -------
    GeoDataFrame
        The columns of :func:`boundaries` (``district_code``/``district_name`` empty from 2025),
        ``attrs``: ``key`` (``'commune_code'``), ``level``, ``scope``, ``valid_from``/``valid_to`` (the
        layer's span, ISO), ``attribution_key`` and ``last_year``.

    Examples
    --------
    >>> from povlib.geo.layers import period_boundaries
    >>> [len(period_boundaries("cho-don", y)) for y in (2019, 2020, 2026)]
    [22, 20, 8]
    >>> b = period_boundaries("cho-don", 2026)
    >>> b.loc[b.code == "02020", "name"].item(), b.attrs["attribution_key"]
    ('Xã Chợ Đồn', 'geo.attribution.2025')
    >>> len(period_boundaries("bac-kan", 2022)), len(period_boundaries("bac-kan", 2022, district="064"))
    (108, 20)
    """
    import geopandas as gpd

    from ..units import as_date, load_registry

    pl = layer_for(scope, year)
    day = as_date(year)
    if pl.key == paths.SOURCE_CODE_2019:  # the 2019 layer: the territory's own list (names as the GSO spells them)
        out = boundaries(scope, "commune", district=district)
    else:
        gdf = pl.read()
        units = load_registry().units
        live = units[(units["level"] == "commune") & (units["valid_from"] <= day) & (units["valid_to"] >= day)]
        live = live.set_index("code")
        codes = gdf[pl.key].astype(str)
        unknown = sorted(set(codes) - set(live.index))
        if unknown:
            raise PovlibInputError.from_key(
                "geo.layer_lacks_communes", file=pl.path.relative_to(paths.DATA_DIR).as_posix(),
                codes=", ".join(unknown), column=pl.key, rows=unknown)
        dnames = units[units["level"] == "district"].drop_duplicates("code", keep="last").set_index("code")["name"]
        dist = live.loc[codes, "district_code"].to_numpy()
        names = [nfc(n) for n in live.loc[codes, "name"]]
        types = live.loc[codes, "unit_type"].to_numpy()
        out = gpd.GeoDataFrame({
            "code": codes.to_numpy(),
            "name": names,
            "short_name": [n.removeprefix(f"{ty} ") for n, ty in zip(names, types)],
            "unit_type": types,
            "district_code": dist,
            "district_name": [nfc(dnames.get(d, "")) if d else "" for d in dist],
        }, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
        if district is not None:
            former = live.loc[codes, "former_district_codes"].str.split(";").to_numpy()
            keep = [d == str(district) or (not d and str(district) in f) for d, f in zip(dist, former)]
            out = out[keep]
            if out.empty:
                raise PovlibInputError.from_key("geo.no_district", district=district, scope=scope,
                                                column="district_code")
        out = out.sort_values("code").reset_index(drop=True)
    out.attrs.update(key="commune_code", level="commune", scope=scope, valid_from=pl.valid_from,
                     valid_to=pl.valid_to, attribution_key=pl.attribution_key, last_year=int(day[:4]))
    return out
