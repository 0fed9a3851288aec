"""The territory registry: which units and which boundary files each scope has.

A territory is geography only – its commune-level units (the official code
list) and the polygons they are drawn with – read from
``data/geo/territories.toml``. The figures a synthetic panel is calibrated
to are separate (:mod:`povlib.synth.targets`), so the map can draw a
territory that has no demo panel.

A territory's name is the catalog string ``territory.<key>.name``
(:mod:`povlib.i18n`); a territory added to the registry without catalog keys
writes ``name_vi`` and ``name_en`` in its table instead.

Examples
--------
>>> from povlib.synth.territory import load_territory, territory_keys
>>> territory_keys()
('cho-don', 'bac-kan')
>>> cd = load_territory("cho-don")
>>> len(cd.units), cd.communes_geojson.name, cd.last_year
(22, 'cho_don_communes.geojson', 2019)
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import PovlibInputError
from ..i18n import has, t_or

__all__ = ["REGISTRY", "Territory", "territory_keys", "load_territory"]

#: the registry file: one table per territory
REGISTRY = paths.GEO_DIR / "territories.toml"


@dataclass(frozen=True)
class Territory:
    """A territory of the registry.

    Attributes
    ----------
    key : str
        Its key ('cho-don', 'bac-kan').
    units : DataFrame
        The code list (``commune_code``, ``full_name``, ``name_vi``,
        ``unit_type``, ``district_code``, ``district_name``, ...), codes as
        text, ``source_population`` as int.
    units_csv, communes_geojson, districts_geojson : Path
        The code list, the commune polygons (key ``commune_code``) and the
        district outlines (key ``gso_code``).
    last_year : int
        The last review year the units fit.
    name_vi, name_en : str
        The name written in the registry (empty when the catalog names it: see :meth:`name`).
    """

    key: str
    units: pd.DataFrame
    units_csv: Path
    communes_geojson: Path
    districts_geojson: Path
    last_year: int
    name_vi: str = ""
    name_en: str = ""

    def name(self, lang: str = "vi") -> str:
        """The territory's name in ``lang``: catalog ``territory.<key>.name``, else the registry's."""
        return t_or(f"territory.{self.key}.name", lang, self.name_en if lang == "en" else self.name_vi)


def _registry() -> dict[str, dict]:
    return tomllib.loads(REGISTRY.read_text(encoding="utf-8"))


def territory_keys() -> tuple[str, ...]:
    """The registered territories, in the registry's order."""
    return tuple(_registry())


def load_territory(key: str) -> Territory:
    """Read a territory's entry and its code list.

    Raises
    ------
    PovlibInputError
        ``key`` is not in the registry.
    """
    reg = _registry()
    if str(key) not in reg:
        raise PovlibInputError.from_key("synth.unknown_scope", scope=key, known=", ".join(reg))
    raw = reg[str(key)]
    csv = paths.GEO_DIR / raw["units_csv"]
    units = pd.read_csv(csv, dtype=str, keep_default_na=False).rename(columns={paths.SOURCE_CODE_2019: "commune_code"})
    units["source_population"] = units["source_population"].astype(int)
    names = {n: raw.get(n, "") for n in ("name_vi", "name_en")} if has(f"territory.{key}.name") else \
        {n: raw[n] for n in ("name_vi", "name_en")}  # no catalog key: the registry must name it
    return Territory(
        key=str(key), **names, units=units, units_csv=csv,
        communes_geojson=paths.GEO_DIR / raw["communes_geojson"],
        districts_geojson=paths.GEO_DIR / raw["districts_geojson"], last_year=int(raw["last_year"]),
    )
