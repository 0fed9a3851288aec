"""The calibration targets of a synthetic panel, read from ``data/targets/<scope>.toml``.

A targets file holds the published figures the generator must meet (district
and province poverty rates, households) with their sources, the modelling
assumptions that fill the gaps (marked "assumption" in the file), and the
generator's settings (seed, years, standard, output file under
``data/demo/``). Its ``scope`` names the territory whose units the panel
covers (:mod:`povlib.synth.territory`).

Examples
--------
>>> from povlib.synth.targets import load_scope
>>> sc = load_scope("cho-don")
>>> sc.territory.key, sc.years, sc.district_poor["064"][2019], sc.output.name
('cho-don', (2016, 2017, 2018, 2019), 0.1586, 'cho_don_panel.parquet')
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import PovlibInputError
from .territory import Territory, load_territory

__all__ = ["SCOPES", "Scope", "load_scope"]

#: the bundled targets files: scope key -> file under ``data/targets/``
SCOPES = {"cho-don": "cho_don.toml", "bac-kan": "bac_kan.toml"}


@dataclass(frozen=True)
class Scope:
    """A generation scope: a territory and the targets its panel is calibrated to.

    Attributes
    ----------
    key : str
        The scope ('cho-don', 'bac-kan').
    territory : Territory
        Its units and boundary files.
    output : Path
        Where its panel is written (under ``data/demo/``).
    seed : int
        Seed of the generator.
    years : tuple of int
        Review years of the panel.
    standard : str
        Standard the raw inputs are generated for.
    households_last : int
        Households in the last year.
    growth : float
        Yearly growth of the number of households.
    district_poor, district_near : dict
        District code -> year -> poverty (near-poverty) rate, every year filled.
    province_poor : dict
        Year -> published province poverty rate (may be empty).
    raw : dict
        The file as read.
    """

    key: str
    territory: Territory
    output: Path
    seed: int
    years: tuple[int, ...]
    standard: str
    households_last: int
    growth: float
    district_poor: dict[str, dict[int, float]]
    district_near: dict[str, dict[int, float]]
    province_poor: dict[int, float]
    raw: dict

    @property
    def units(self) -> pd.DataFrame:
        """The territory's code list."""
        return self.territory.units

    def name(self, lang: str = "vi") -> str:
        """The territory's name in ``lang``."""
        return self.territory.name(lang)


def load_scope(scope: str | Path) -> Scope:
    """Read a scope's targets and its territory (a key of :data:`SCOPES` or a TOML path).

    Raises
    ------
    PovlibInputError
        No targets file for ``scope``, or its territory is not registered.
    """
    path = Path(scope) if str(scope).endswith(".toml") else paths.TARGETS_DIR / SCOPES.get(str(scope), f"{scope}.toml")
    if not path.exists():
        raise PovlibInputError.from_key("synth.unknown_scope", scope=scope, known=", ".join(SCOPES))
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    years = tuple(int(y) for y in raw["years"])
    back = float(raw.get("back_scaling", 1.0))
    poor: dict[str, dict[int, float]] = {}
    near: dict[str, dict[int, float]] = {}
    default_near = raw.get("province_near_poor_rate", {})
    for code, d in raw["districts"].items():
        pr = {int(y): float(v) for y, v in d["poor_rate"].items()}
        last = max(pr)
        for y in years:  # assumption: scale back from the latest published year
            pr.setdefault(y, pr[last] * back ** (last - y))
        poor[code] = pr
        nr = {int(y): float(v) for y, v in d.get("near_poor_rate", default_near).items()}
        nl = max(nr) if nr else None
        near[code] = {y: nr.get(y, nr[nl] if nl else 0.108) for y in years}
    return Scope(
        key=raw["scope"], territory=load_territory(raw["scope"]), output=paths.DEMO_DIR / raw["output"],
        seed=int(raw["seed"]), years=years, standard=raw["standard"],
        households_last=int(raw["households_2019"]), growth=float(raw["household_growth"]),
        district_poor=poor, district_near=near,
        province_poor={int(y): float(v) for y, v in raw.get("province_poor_rate", {}).items()}, raw=raw,
    )
