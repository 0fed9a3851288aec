"""Commune and district polygons, the per-unit measures joined to them, and the choropleth map.

Review data join the 2019 polygons on ``gso_code_2019`` only (for a district
layer, on ``district_code``). GSO reused codes after the 2020 and 2025
mergers, so :func:`join_measures` refuses review years after the layer's
vintage and checks that each code carries the same unit name in the data and
in the layer: a reused code fails loudly instead of painting the wrong commune.

The map is a plain :class:`folium.Map`: polygons coloured by class
(:func:`classify_values`, mapclassify), a Vietnamese legend and tooltips, the
district outline(s) on top, no basemap unless asked. :func:`offline_assets`
points every JavaScript/CSS file at the copies vendored under ``static/`` (or
inlines them), so the map draws with no internet.

Examples
--------
>>> import povlib
>>> from povlib import geo
>>> panel = povlib.load_demo()
>>> layer = geo.boundaries("cho-don")
>>> table = geo.unit_measures(panel, 2019)
>>> joined = geo.join_measures(layer, table, year=2019)
>>> len(joined), round(float(joined["poor"].sum() / joined["households"].sum()), 4)
(22, 0.1586)
>>> m = geo.offline_assets(geo.build_map(joined, "poor_rate"), "/app/static/")
>>> import re
>>> re.findall(r'(?:src|href)="(https?:[^"]*)"', m.get_root().render())
[]
"""
from __future__ import annotations

import base64
import html
import json
import math
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from . import standards as _standards
from .errors import PovlibInputError
from .i18n import fmt_int, fmt_num, fmt_pct, t
from .measures import af_for_standard, deprivation_shares, rates
from .synth import DATA_DIR, load_scope

__all__ = [
    "LEVELS",
    "MEASURES",
    "LAYER_LAST_YEAR",
    "STATIC_DIR",
    "LEAFLET_VERSION",
    "Classes",
    "UnitProfile",
    "boundaries",
    "scope_for",
    "unit_measures",
    "join_measures",
    "classify_values",
    "format_value",
    "build_map",
    "offline_assets",
    "unit_profile",
]

#: Map levels: a district layer (one polygon per district) or a commune layer.
LEVELS = ("district", "commune")

#: Measures a map can show: key -> (i18n label key, kind). ``kind`` decides the number format.
MEASURES: dict[str, tuple[str, str]] = {
    "poor_rate": ("measure.poor_rate", "rate"),
    "near_poor_rate": ("measure.near_poor_rate", "rate"),
    "poor_near_rate": ("measure.poor_near_rate", "rate"),
    "poor": ("measure.poor", "count"),
    "any_deprived": ("measure.any_deprived", "rate"),
    "M0": ("measure.M0", "index"),
}

#: The bundled polygons are the units in force until 31/01/2020: the last review year they fit.
LAYER_LAST_YEAR = 2019

#: Vendored Leaflet (the version folium 0.20 asks for), served by Streamlit from ``static/``.
LEAFLET_VERSION = "1.9.3"
STATIC_DIR = paths.STATIC_DIR
_LEAFLET_DIR = f"vendor/leaflet-{LEAFLET_VERSION}"

# Sequential ColorBrewer palettes (YlOrRd), light = low. Index by number of classes.
_PALETTE = {
    1: ["#fd8d3c"],
    2: ["#fecc5c", "#e31a1c"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
}
NO_DATA_COLOR = "#d9d9d9"
OUTLINE_COLOR = "#1f2d3d"


def _natural_key(s: str) -> tuple:
    """Sort key putting 'Tổ 2' before 'Tổ 10'."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", _nfc(s)) if p)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", str(s)).strip()


# --------------------------------------------------------------------------------------------
# Boundaries
# --------------------------------------------------------------------------------------------
def boundaries(scope: str = "cho-don", level: str = "commune", *, district: str | None = None):
    """Polygons of a scope's units, with uniform columns.

    Parameters
    ----------
    scope : {'cho-don', 'bac-kan'}
        Scope whose units to read (``data/targets/<scope>.toml`` names the layer).
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
    >>> from povlib.geo import boundaries
    >>> b = boundaries("cho-don")
    >>> len(b), b.attrs["key"], b.loc[b.code == "02020", "name"].item()
    (22, 'gso_code_2019', 'Thị trấn Bằng Lũng')
    >>> boundaries("cho-don", "district").code.tolist()
    ['064']
    """
    import geopandas as gpd

    if level not in LEVELS:
        raise PovlibInputError(f"Cấp bản đồ không hợp lệ: {level!r} (chọn {', '.join(LEVELS)})",
                               f"Unknown map level {level!r} (choose {', '.join(LEVELS)})")
    sc = load_scope(scope)
    units = sc.units
    district_names = units.drop_duplicates("district_code").set_index("district_code")["district_name"]
    if level == "commune":
        gdf = gpd.read_file(DATA_DIR / sc.raw["units_geojson"])
        gdf["gso_code_2019"] = gdf["gso_code_2019"].astype(str)
        meta = units.set_index("gso_code_2019")
        missing = sorted(set(meta.index) - set(gdf["gso_code_2019"]))
        if missing:
            raise PovlibInputError(
                f"Tệp ranh giới {sc.raw['units_geojson']} thiếu các xã: {', '.join(missing)}",
                f"Boundary file {sc.raw['units_geojson']} lacks communes: {', '.join(missing)}",
                column="gso_code_2019", rows=missing,
            )
        gdf = gdf[gdf["gso_code_2019"].isin(meta.index)]
        codes = gdf["gso_code_2019"]
        out = gpd.GeoDataFrame({
            "code": codes.to_numpy(),
            "name": [_nfc(meta.at[c, "full_name"]) for c in codes],
            "short_name": [_nfc(meta.at[c, "name_vi"]) for c in codes],
            "unit_type": [meta.at[c, "unit_type"] for c in codes],
            "district_code": [meta.at[c, "district_code"] for c in codes],
            "district_name": [meta.at[c, "district_name"] for c in codes],
        }, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
        key = "gso_code_2019"
    else:
        gdf = gpd.read_file(DATA_DIR / "geo" / "bac_kan_districts.geojson")
        gdf = gdf[gdf["gso_code"].isin(district_names.index)]
        out = gpd.GeoDataFrame({
            "code": gdf["gso_code"].to_numpy(),
            "name": [_nfc(district_names[c]) for c in gdf["gso_code"]],
            "short_name": [_nfc(district_names[c]).removeprefix("Huyện ").removeprefix("Thành phố ") for c in gdf["gso_code"]],
            "unit_type": [_nfc(district_names[c]).split(" ")[0] if not _nfc(district_names[c]).startswith("Thành phố") else "Thành phố" for c in gdf["gso_code"]],
            "district_code": gdf["gso_code"].to_numpy(),
            "district_name": [_nfc(district_names[c]) for c in gdf["gso_code"]],
        }, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
        key = "district_code"
    if district is not None:
        out = out[out["district_code"] == str(district)]
        if out.empty:
            raise PovlibInputError(f"Không có huyện mã {district} trong phạm vi {scope}",
                                   f"No district {district} in scope {scope}", column="district_code")
    out = out.to_crs(4326).sort_values("code").reset_index(drop=True)
    out.attrs.update(key=key, level=level, scope=scope, last_year=LAYER_LAST_YEAR)
    return out


def scope_for(district_codes) -> str:
    """The smallest bundled boundary scope holding all these district codes.

    Imported review data carry no scope name: their districts decide the
    layer ('cho-don' for Chợ Đồn only, else 'bac-kan').

    Examples
    --------
    >>> from povlib.geo import scope_for
    >>> scope_for(["064"]), scope_for(["064", "061"])
    ('cho-don', 'bac-kan')
    """
    codes = {str(c) for c in district_codes}
    for scope in ("cho-don", "bac-kan"):
        if codes <= set(load_scope(scope).units["district_code"]):
            return scope
    raise PovlibInputError(
        f"Chưa có ranh giới cho các huyện mã {', '.join(sorted(codes))}",
        f"No boundaries for districts {', '.join(sorted(codes))}", column="district_code",
    )


# --------------------------------------------------------------------------------------------
# Measures per unit
# --------------------------------------------------------------------------------------------
def unit_measures(df: pd.DataFrame, year: int, *, by: str = "gso_code_2019",
                  standard: str | None = None) -> pd.DataFrame:
    """Every map measure per unit for one review year.

    Parameters
    ----------
    df : DataFrame
        Classified households (:func:`povlib.load_demo` or
        :func:`povlib.classify_households` output), any number of years.
    year : int
        Review year to measure.
    by : {'gso_code_2019', 'district_code'}
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
        standard's cut-off). Rates are fractions.

    Examples
    --------
    >>> import povlib
    >>> from povlib.geo import unit_measures
    >>> m = unit_measures(povlib.load_demo(), 2019)
    >>> len(m), int(m.households.sum()) == len(povlib.load_demo().query("year == 2019"))
    (22, True)
    """
    if by not in ("gso_code_2019", "district_code"):
        raise PovlibInputError(f"Không thể tổng hợp theo cột {by!r}", f"Cannot aggregate by column {by!r}", column=by)
    for col in (by, "year", "status"):
        if col not in df.columns:
            raise PovlibInputError(f"Bảng hộ thiếu cột '{col}'", f"Household table lacks column '{col}'", column=col)
    d = df[df["year"] == int(year)]
    if d.empty:
        raise PovlibInputError(f"Không có hộ nào trong năm {year}", f"No households in year {year}", column="year")
    if standard is not None and not all(i in d.columns for i in _standards.get(standard).indicator_ids):
        standard = None  # a what-if standard on data without its indicators: the rows' own indicators
    if standard is None:
        used = d["standard"].astype(str).unique() if "standard" in d.columns else []
        if len(used) != 1:
            raise PovlibInputError(
                f"Năm {year} có {len(used)} chuẩn nghèo khác nhau ({', '.join(map(str, used))}); hãy chọn một chuẩn",
                f"Year {year} has {len(used)} standards ({', '.join(map(str, used))}); choose one",
                column="standard",
            )
        standard = str(used[0])
    std = _standards.get(standard)
    r = rates(d, by=by).rename(columns={by: "code"})
    ids = std.indicator_ids
    anyd = pd.Series((d[ids].to_numpy(dtype=np.int16).sum(axis=1) > 0), index=d.index)
    share = anyd.groupby(d[by], observed=True, sort=True).mean().rename("any_deprived")
    af = af_for_standard(d, std, by=by).set_index(by)[["H", "A", "M0"]]
    out = r.set_index("code").join(share).join(af)
    name_col = "commune_name" if by == "gso_code_2019" else "district_name"
    if name_col in d.columns:
        names = d.groupby(by, observed=True, sort=True)[name_col].agg(lambda s: sorted(set(map(_nfc, s.astype(str)))))
        multi = names[names.map(len) > 1]
        if len(multi):
            c = multi.index[0]
            raise PovlibInputError(
                f"Mã {c} mang nhiều tên trong năm {year}: {', '.join(multi.iloc[0])}",
                f"Code {c} carries several names in {year}: {', '.join(multi.iloc[0])}",
                column=name_col,
            )
        out["name"] = names.map(lambda v: v[0])
    out = out.reset_index()
    out["code"] = out["code"].astype(str)
    out.attrs.update(key=by, year=int(year), standard=std.id, indicator_standard=std.id)
    return out


def join_measures(layer, table: pd.DataFrame, *, year: int):
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
        the measure columns.

    Raises
    ------
    PovlibInputError
        A code of ``table`` absent from the layer, a unit whose name differs
        between data and layer, or a year after the layer's vintage.

    Examples
    --------
    >>> import povlib
    >>> from povlib import geo
    >>> j = geo.join_measures(geo.boundaries(), geo.unit_measures(povlib.load_demo(), 2016), year=2016)
    >>> int(j.households.isna().sum())
    0
    """
    last = int(layer.attrs.get("last_year", LAYER_LAST_YEAR))
    if int(year) > last:
        raise PovlibInputError(
            f"Ranh giới xã là đơn vị hành chính năm 2019 (đến 31/01/2020); không ghép được số liệu năm {year} "
            "theo mã xã vì mã đã được dùng lại sau sáp nhập",
            f"The boundaries are the 2019 units (until 31 Jan 2020); review data of {year} cannot be joined "
            "on the commune code, which was reused after the mergers",
            column="year",
        )
    if table.attrs.get("key") and layer.attrs.get("key") and table.attrs["key"] != layer.attrs["key"]:
        raise PovlibInputError(
            f"Số liệu theo '{table.attrs['key']}' không ghép được với lớp ranh giới theo '{layer.attrs['key']}'",
            f"Data keyed on '{table.attrs['key']}' cannot join a layer keyed on '{layer.attrs['key']}'",
            column=str(table.attrs["key"]),
        )
    tab = table.copy()
    tab["code"] = tab["code"].astype(str)
    if tab["code"].duplicated().any():
        dup = sorted(tab.loc[tab["code"].duplicated(), "code"].unique())
        raise PovlibInputError(f"Mã đơn vị bị lặp trong bảng số liệu: {', '.join(dup)}",
                               f"Duplicated unit codes in the data: {', '.join(dup)}", column="code", rows=dup)
    unknown = sorted(set(tab["code"]) - set(layer["code"]))
    if unknown:
        raise PovlibInputError(
            f"Các mã không có trong lớp ranh giới năm 2019: {', '.join(unknown)}",
            f"Codes not in the 2019 boundary layer: {', '.join(unknown)}",
            column="code", rows=unknown,
        )
    if "name" in tab.columns:
        ref = layer.set_index("code")["name"].map(_nfc)
        data_names = tab.set_index("code")["name"].map(_nfc)
        bad = [c for c in data_names.index if data_names[c] != ref[c]]
        if bad:
            c = bad[0]
            raise PovlibInputError(
                f"Mã {c}: tên trong số liệu là '{data_names[c]}' nhưng trên bản đồ năm 2019 là '{ref[c]}' "
                "(mã có thể đã được dùng lại cho đơn vị khác)",
                f"Code {c}: the data says '{data_names[c]}' but the 2019 map says '{ref[c]}' "
                "(the code may have been reused for another unit)",
                column="name", rows=bad,
            )
        tab = tab.drop(columns="name")
    out = layer.merge(tab, on="code", how="left", validate="one_to_one")
    out.attrs.update(layer.attrs, year=int(year))
    return out


# --------------------------------------------------------------------------------------------
# Classes
# --------------------------------------------------------------------------------------------
def format_value(value, measure: str, lang: str = "vi") -> str:
    """A measure's value as shown on screen: ``15,86 %``, ``1.234`` or ``0,083``."""
    kind = MEASURES[measure][1] if measure in MEASURES else "index"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "rate":
        return fmt_pct(value, lang)
    if kind == "count":
        return fmt_int(value, lang)
    return fmt_num(value, lang, digits=3)


@dataclass(frozen=True)
class Classes:
    """Colour classes of a choropleth.

    Attributes
    ----------
    bins : tuple of float
        Upper bound of each class (inclusive), ascending.
    lower : float
        Smallest value.
    labels : tuple of str
        One label per class in the legend ("15,86 % – 20,00 %").
    colors : tuple of str
        One hex colour per class, light to dark.
    counts : tuple of int
        Units per class.
    scheme : str
        mapclassify scheme used (``'NaturalBreaks'``, ``'Quantiles'`` or ``'UniqueValues'``).
    """

    bins: tuple[float, ...]
    lower: float
    labels: tuple[str, ...]
    colors: tuple[str, ...]
    counts: tuple[int, ...]
    scheme: str
    no_data: int = 0
    measure: str = "poor_rate"
    extra: dict = field(default_factory=dict, compare=False)

    def class_of(self, values) -> np.ndarray:
        """Class index of each value (-1 for missing)."""
        v = np.asarray(values, dtype=float)
        idx = np.searchsorted(np.asarray(self.bins), v, side="left")
        idx = np.minimum(idx, len(self.bins) - 1)
        return np.where(np.isnan(v), -1, idx)

    def color_of(self, values) -> list[str]:
        """Fill colour of each value (grey for missing)."""
        return [self.colors[i] if i >= 0 else NO_DATA_COLOR for i in self.class_of(values)]


def classify_values(values, measure: str = "poor_rate", *, k: int = 5, scheme: str = "NaturalBreaks",
                    lang: str = "vi") -> Classes:
    """Split values into at most ``k`` colour classes with mapclassify.

    Parameters
    ----------
    values : array-like
        One value per unit; NaN means no data (shown grey, not classed).
    measure : str
        Key of :data:`MEASURES`, for the label format.
    k : int
        Wanted number of classes (1–5); fewer when there are fewer distinct
        values, one class per value when there are at most ``k``.
    scheme : {'NaturalBreaks', 'Quantiles', 'EqualInterval'}
        ``'NaturalBreaks'`` uses mapclassify's exact Fisher–Jenks; the others
        the mapclassify classifier of that name.

    Returns
    -------
    Classes

    Examples
    --------
    >>> from povlib.geo import classify_values
    >>> c = classify_values([0.1, 0.1, 0.2, 0.5, 0.52, 0.9], k=3)
    >>> c.labels
    ('10,00 % – 20,00 %', '50,00 % – 52,00 %', '90,00 %')
    >>> c.counts
    (3, 2, 1)
    """
    import mapclassify

    if scheme not in ("NaturalBreaks", "Quantiles", "EqualInterval"):
        raise PovlibInputError(f"Cách chia lớp không hợp lệ: {scheme!r}", f"Unknown classification {scheme!r}")
    if not 1 <= int(k) <= 5:
        raise PovlibInputError(f"Số lớp màu phải từ 1 đến 5 (nhận {k})", f"Number of classes must be 1–5 (got {k})")
    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    ok = v[~np.isnan(v)]
    no_data = int(np.isnan(v).sum())
    if ok.size == 0:
        return Classes((), float("nan"), (), (), (), "none", no_data, measure)
    uniq = np.unique(ok)
    if uniq.size <= k:
        bins = tuple(float(x) for x in uniq)
        used = "UniqueValues"
    else:
        # natural breaks by Fisher–Jenks: the exact optimum, deterministic (mapclassify's
        # NaturalBreaks is k-means with random starts)
        cls = mapclassify.FisherJenks if scheme == "NaturalBreaks" else getattr(mapclassify, scheme)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Numba not installed")
            res = cls(ok, k=int(k))
        bins = tuple(float(b) for b in np.unique(res.bins))
        used = scheme
    # drop empty classes (equal intervals can leave gaps): their values go to the next class up
    idx = np.minimum(np.searchsorted(np.asarray(bins), ok, side="left"), len(bins) - 1)
    bins = tuple(b for i, b in enumerate(bins) if (idx == i).any())
    n = len(bins)
    colors = tuple(_PALETTE[n])
    lower = float(ok.min())
    idx = np.minimum(np.searchsorted(np.asarray(bins), ok, side="left"), n - 1)
    counts = tuple(int((idx == i).sum()) for i in range(n))
    labels = []
    for i, hi in enumerate(bins):
        members = ok[idx == i]
        lo = float(members.min()) if members.size else (lower if i == 0 else bins[i - 1])
        hi_shown = float(members.max()) if members.size else hi
        a, b = format_value(lo, measure, lang), format_value(hi_shown, measure, lang)
        labels.append(a if a == b else f"{a} – {b}")
    return Classes(bins, lower, tuple(labels), colors, counts, used, no_data, measure)


# --------------------------------------------------------------------------------------------
# The folium map
# --------------------------------------------------------------------------------------------
def _legend_element(title: str, classes: Classes, lang: str, note: str | None):
    from branca.element import MacroElement
    from jinja2 import Template

    rows = [(c, lab, n) for c, lab, n in zip(classes.colors, classes.labels, classes.counts)]
    if classes.no_data:
        rows.append((NO_DATA_COLOR, t("map.no_data", lang), classes.no_data))
    unit = t("map.units_short", lang)
    items = "".join(
        f'<div class="pv-legend-row"><span class="pv-swatch" style="background:{c}"></span>'
        f'{html.escape(lab)} <span class="pv-n">({fmt_int(n, lang)} {html.escape(unit)})</span></div>'
        for c, lab, n in reversed(rows)
    )
    body = f'<div class="pv-legend-title">{html.escape(title)}</div>{items}'
    if note:
        body += f'<div class="pv-legend-note">{html.escape(note)}</div>'

    class Legend(MacroElement):
        _template = Template("""
            {% macro header(this, kwargs) %}
            <style>
            .pv-legend{background:rgba(255,255,255,.94);padding:6px 9px;border-radius:5px;font:12px/1.45 sans-serif;
                       box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:240px;color:#1f2d3d}
            .pv-legend-title{font-weight:600;margin-bottom:3px}
            .pv-swatch{display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:-1px;border:1px solid #888}
            .pv-n{color:#555}
            .pv-legend-note{color:#555;margin-top:3px;font-size:11px}
            .leaflet-container{background:#f3f5f7}
            @media (max-width: 480px) {
              .pv-legend{font-size:10.5px;padding:4px 6px;max-width:175px}
              .pv-legend-note{display:none}
            }
            </style>
            {% endmacro %}
            {% macro script(this, kwargs) %}
            var pv_legend = L.control({position: "bottomright"});
            pv_legend.onAdd = function (map) {
                var div = L.DomUtil.create("div", "pv-legend");
                div.setAttribute("data-testid", "map-legend");
                div.innerHTML = {{ this.body_json }};
                return div;
            };
            pv_legend.addTo({{ this._parent.get_name() }});
            {% endmacro %}
        """)

        def __init__(self, body_html: str):
            super().__init__()
            self._name = "Legend"
            self.body_json = json.dumps(body_html, ensure_ascii=False)

    return Legend(body)


def build_map(joined, measure: str = "poor_rate", *, lang: str = "vi", classes: Classes | None = None,
              k: int = 5, scheme: str = "NaturalBreaks", outline=None, selected: str | None = None,
              basemap: bool = False, height: int | str = "100%"):
    """A folium choropleth of ``measure`` over the polygons of ``joined``.

    Parameters
    ----------
    joined : GeoDataFrame
        From :func:`join_measures` (``code``, ``name``, ``households`` and the measure).
    measure : str
        Key of :data:`MEASURES`.
    lang : {'vi', 'en'}
        Language of the legend and tooltips.
    classes : Classes, optional
        Pre-computed classes; default :func:`classify_values` with ``k``/``scheme``.
    outline : GeoDataFrame, optional
        District outline(s) drawn on top (not clickable).
    selected : str, optional
        Code of a unit to highlight.
    basemap : bool
        Add OpenStreetMap tiles (needs internet); default no tiles.

    Returns
    -------
    folium.Map
        Each polygon's GeoJSON properties carry ``code``, ``name``, ``value``,
        ``value_text``, ``households_text`` (names HTML-escaped), so a click
        handler can read the unit code.

    Examples
    --------
    >>> import povlib
    >>> from povlib import geo
    >>> j = geo.join_measures(geo.boundaries(), geo.unit_measures(povlib.load_demo(), 2019), year=2019)
    >>> m = geo.build_map(j, "M0", outline=geo.boundaries(level="district"))
    >>> "Chỉ số nghèo đa chiều (M0)" in m.get_root().render()
    True
    """
    import folium

    if measure not in MEASURES:
        raise PovlibInputError(f"Chỉ tiêu bản đồ không hợp lệ: {measure!r}", f"Unknown map measure {measure!r}")
    if measure not in joined.columns:
        raise PovlibInputError(f"Bảng bản đồ thiếu cột '{measure}'", f"Map table lacks column '{measure}'", column=measure)
    values = joined[measure].to_numpy(dtype=float)
    if classes is None:
        classes = classify_values(values, measure, k=k, scheme=scheme, lang=lang)
    title = t(MEASURES[measure][0], lang)
    hh = joined["households"] if "households" in joined.columns else pd.Series(np.nan, index=joined.index)
    props = pd.DataFrame({
        "code": joined["code"].astype(str).to_numpy(),
        "name": [html.escape(str(x)) for x in joined["name"]],
        "value": [None if (v != v) else float(v) for v in values],
        "value_text": [format_value(v, measure, lang) for v in values],
        "households_text": [fmt_int(x, lang) for x in hh],
        "district": [html.escape(str(x)) for x in joined["district_name"]] if "district_name" in joined.columns
        else [""] * len(joined),
        "fill": classes.color_of(values),
        "selected": (joined["code"].astype(str) == str(selected)).to_numpy() if selected is not None else False,
    })
    import geopandas as gpd

    gj = json.loads(gpd.GeoDataFrame(props, geometry=joined.geometry.to_numpy(), crs=joined.crs).to_crs(4326).to_json())
    for f in gj["features"]:
        f["id"] = f["properties"]["code"]

    minx, miny, maxx, maxy = joined.to_crs(4326).total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=10, tiles=None,
                   control_scale=True, prefer_canvas=False, height=height, zoom_snap=0.25)
    if basemap:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False, opacity=0.55).add_to(m)

    def style(feature):
        p = feature["properties"]
        sel = bool(p.get("selected"))
        return {"fillColor": p["fill"], "fillOpacity": 0.82 if basemap else 0.9, "color": "#0b3d91" if sel else "#555555",
                "weight": 3.5 if sel else 0.8}

    fields = ["name", "value_text", "households_text"]
    aliases = [t("map.tooltip_unit", lang), title, t("measure.households", lang)]
    several_districts = joined.attrs.get("level", "commune") == "commune" and props["district"].nunique() > 1
    if several_districts:
        fields.insert(1, "district")
        aliases.insert(1, t("general.district", lang))
    tooltip = folium.GeoJsonTooltip(fields=fields, aliases=[html.escape(a) for a in aliases], sticky=True, labels=True)
    folium.GeoJson(
        gj, name=title, style_function=style,
        highlight_function=lambda f: {"weight": 3, "color": "#0b3d91", "fillOpacity": 0.95},
        tooltip=tooltip, zoom_on_click=False,
    ).add_to(m)
    if outline is not None and len(outline):
        og = json.loads(outline.to_crs(4326)[["code", "geometry"]].to_json())
        folium.GeoJson(
            og, name=t("map.outline", lang),
            style_function=lambda f: {"fill": False, "color": OUTLINE_COLOR, "weight": 2.6, "opacity": 0.95},
            interactive=False,
        ).add_to(m)
    note = t("map.legend_note", lang, scheme=t(f"map.scheme.{classes.scheme}", lang)) if classes.scheme != "none" else None
    m.add_child(_legend_element(title, classes, lang, note))
    # room on the right for the legend (bottom right), so it hides as little as possible
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding_top_left=(6, 6), padding_bottom_right=(150, 6))
    return m


# --------------------------------------------------------------------------------------------
# Offline assets
# --------------------------------------------------------------------------------------------
#: Folium asset names kept (served locally) -> file under ``static/``; the others are not needed for a
#: choropleth without markers and are dropped.
_LOCAL_ASSETS = {
    "leaflet": f"{_LEAFLET_DIR}/leaflet.js",
    "leaflet_css": f"{_LEAFLET_DIR}/leaflet.css",
}
_DROPPED_ASSETS = {"jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
                   "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"}


def _walk(el):
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from _walk(child)


def _data_uri(rel: str) -> str:
    path = STATIC_DIR / rel
    mime = "text/javascript" if rel.endswith(".js") else "text/css"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def offline_assets(m, base_url: str | None = "/app/static/", *, inline: bool = False):
    """Point the map's JavaScript and CSS at local copies instead of CDNs.

    Folium references Leaflet, jQuery, Bootstrap and Font Awesome on CDNs.
    This keeps only Leaflet (all a choropleth needs), served from
    ``static/vendor/leaflet-<version>/`` (Streamlit static serving:
    ``base_url`` is ``/app/static/``, prefixed by the server's base path) or
    inlined as ``data:`` URIs (``inline=True``, for a stand-alone HTML file).

    Parameters
    ----------
    m : folium.Map
        Map to change in place.
    base_url : str
        URL prefix under which ``static/`` is served.
    inline : bool
        Embed the files instead of linking them.

    Returns
    -------
    folium.Map
        ``m``.

    Raises
    ------
    PovlibInputError
        An element needs an external asset that is not vendored (a new
        plugin): better a clear error than a map that silently needs internet.

    Examples
    --------
    >>> import folium
    >>> from povlib.geo import offline_assets
    >>> m = offline_assets(folium.Map(tiles=None), "/app/static/")
    >>> m.default_js
    [('leaflet', '/app/static/vendor/leaflet-1.9.3/leaflet.js')]
    """
    if not inline and base_url is None:
        raise PovlibInputError("Cần đường dẫn tệp tĩnh hoặc inline=True", "Need a static base URL or inline=True")
    base = (base_url or "").rstrip("/") + "/"
    for el in _walk(m):
        for attr in ("default_js", "default_css"):
            assets = getattr(el, attr, None)
            if not assets:
                continue
            new = []
            for name, url in assets:
                if name in _LOCAL_ASSETS:
                    rel = _LOCAL_ASSETS[name]
                    new.append((name, _data_uri(rel) if inline else base + rel))
                elif name in _DROPPED_ASSETS:
                    continue
                elif not str(url).startswith(("http://", "https://", "//")):
                    new.append((name, url))
                else:
                    raise PovlibInputError(
                        f"Thành phần bản đồ {type(el).__name__} cần tệp '{name}' từ Internet ({url}); "
                        "hãy đặt bản sao vào static/vendor/",
                        f"Map element {type(el).__name__} needs '{name}' from the internet ({url}); "
                        "vendor it under static/vendor/",
                    )
            setattr(el, attr, new)
    return m


# --------------------------------------------------------------------------------------------
# The panel of one unit
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitProfile:
    """What the map panel shows for one commune.

    Attributes
    ----------
    villages : DataFrame
        :func:`povlib.measures.rates` by village for the year (``village`` first).
    indicators : DataFrame
        One row per indicator: ``indicator``, ``label``, ``unit_share``,
        ``parent_share`` (the district), ``unit_deprived``.
    trend : DataFrame
        :func:`povlib.measures.rates` by year for the unit (all years present).
    """

    villages: pd.DataFrame
    indicators: pd.DataFrame
    trend: pd.DataFrame


def unit_profile(df: pd.DataFrame, code: str, year: int, *, standard: str | None = None,
                 lang: str = "vi") -> UnitProfile:
    """Villages table, 10-indicator profile and yearly trend of one commune.

    Parameters
    ----------
    df : DataFrame
        Classified households, all years.
    code : str
        ``gso_code_2019`` of the commune.
    year : int
        Review year of the villages table and the profile.
    standard : str, optional
        Standard of the indicators (default that of the year's rows).

    Returns
    -------
    UnitProfile

    Examples
    --------
    >>> import povlib
    >>> from povlib.geo import unit_profile
    >>> p = unit_profile(povlib.load_demo(), "02020", 2019)
    >>> p.trend.year.tolist(), len(p.indicators)
    ([2016, 2017, 2018, 2019], 10)
    """
    code = str(code)
    if "gso_code_2019" not in df.columns:
        raise PovlibInputError("Bảng hộ thiếu cột 'gso_code_2019'", "Household table lacks 'gso_code_2019'",
                               column="gso_code_2019")
    in_unit = (df["gso_code_2019"].astype(str) == code).to_numpy()
    if not in_unit.any():
        raise PovlibInputError(f"Không có hộ nào thuộc xã mã {code}", f"No household in commune {code}",
                               column="gso_code_2019", rows=[code])
    unit = df[in_unit]
    d = unit[unit["year"] == int(year)]
    if d.empty:
        raise PovlibInputError(f"Xã mã {code} không có hộ nào năm {year}", f"Commune {code} has no households in {year}",
                               column="year")
    if standard is None or not all(i in d.columns for i in _standards.get(standard).indicator_ids):
        standard = str(d["standard"].astype(str).iloc[0])  # the rows' own indicators
    std = _standards.get(standard)
    villages = rates(d, by="village")
    villages["village"] = villages["village"].astype(str)
    order = sorted(range(len(villages)), key=lambda i: _natural_key(villages["village"].iat[i]))
    villages = villages.iloc[order].reset_index(drop=True)
    trend = rates(unit, by="year")
    trend["year"] = trend["year"].astype(int)
    ds = deprivation_shares(d, std).set_index("indicator")
    dist = df["district_code"].astype(str) == str(d["district_code"].astype(str).iloc[0])
    parent = deprivation_shares(df[dist.to_numpy() & (df["year"] == int(year)).to_numpy()], std).set_index("indicator")
    ind = pd.DataFrame({
        "indicator": std.indicator_ids,
        "label": [i.label(lang) for i in std.indicators],
        "unit_share": ds.loc[std.indicator_ids, "share"].to_numpy(),
        "unit_deprived": ds.loc[std.indicator_ids, "deprived"].to_numpy(),
        "parent_share": parent.loc[std.indicator_ids, "share"].to_numpy(),
    })
    return UnitProfile(villages=villages, indicators=ind, trend=trend)
