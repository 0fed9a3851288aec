"""The calibration targets of a synthetic panel, read from ``data/targets/<scope>.toml``.

A targets file holds the published figures the generator must meet with their
sources (households, poor and near-poor households of the province, district
poverty rates, the census population), the modelling assumptions that fill
the gaps (marked "assumption" in the file), and the generator's settings
(seed, years, standard, output file under ``data/demo/``). Its ``scope`` names
the territory whose units the panel covers (:mod:`povlib.synth.territory`).

Every figure becomes a whole number of households here, per district and
year, before anything is generated, and the generator meets each count
exactly:

* households: the province's published total of the last year, back by the
  assumed yearly growth, shared over districts as the districts' last-year
  households (given in the file);
* poor, last year: per district the count whose rate, rounded half up as
  officials round, is the published district rate, chosen so that the
  districts add up to the published province count;
* poor and near-poor, other years: the province's published (or assumed)
  count shared over districts in proportion to households × the district's
  rate (the district's poverty rate for the poor, its square root – an
  assumption, ``near_poor_spread`` – for the near-poor), by largest remainder;
* people, last year: the census population where published, else households ×
  the assumed people per household.

A scope may be *part of* another one (``part_of``): the Chợ Đồn demo is the
Chợ Đồn district of the Bắc Kạn panel, with the same targets and the same seed
stream, so both datasets hold the same households.

Examples
--------
>>> from povlib.synth.targets import load_scope
>>> sc = load_scope("cho-don")
>>> sc.territory.key, sc.years, sc.part_of, sc.output.name
('cho-don', (2016, 2017, 2018, 2019), 'bac-kan', 'cho_don_panel.parquet')
>>> d = sc.districts["064"]
>>> d.households[2019], d.poor[2019], d.people_last
(12700, 2014, 49554)
>>> bk = load_scope("bac-kan")
>>> sum(x.poor[2019] for x in bk.districts.values()), sum(x.households[2019] for x in bk.districts.values())
(16003, 80276)
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import PovlibInputError
from ..i18n import round_half_up
from .territory import Territory, load_territory

__all__ = ["SCOPES", "DistrictTargets", "Scope", "load_scope", "apportion", "counts_for_rate"]

#: the bundled targets files: scope key -> file under ``data/targets/``
SCOPES = {"cho-don": "cho_don.toml", "bac-kan": "bac_kan.toml"}


@dataclass(frozen=True)
class DistrictTargets:
    """The whole-number targets of one district, every year of the scope filled.

    Attributes
    ----------
    code, name : str
        GSO district code and name.
    households, poor, near_poor : dict
        Year -> households, poor households, near-poor households.
    people_last : int
        People in the last year (the census where published).
    published_poor_rate : dict
        Year -> the published poverty rate in percent, as printed (15.86).
    """

    code: str
    name: str
    households: dict[int, int]
    poor: dict[int, int]
    near_poor: dict[int, int]
    people_last: int
    published_poor_rate: dict[int, float] = field(default_factory=dict)


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
        Seed of the generator (each district draws from its own stream of it).
    years : tuple of int
        Review years of the panel.
    standard : str
        Standard the raw inputs are generated for.
    districts : dict
        District code -> :class:`DistrictTargets`, the districts this scope generates.
    part_of : str or None
        The scope whose districts this one is a part of (its territory's
        geometry and seed streams are used), or None.
    province : dict
        The province's figures: ``households``, ``poor``, ``near_poor`` (year ->
        count, every year filled: published or assumed as the file says), the
        published rates and changes of the file's ``[province]`` table (year ->
        percent as printed), ``households_published``. Empty for a part.
    raw : dict
        The file as read.
    """

    key: str
    territory: Territory
    output: Path
    seed: int
    years: tuple[int, ...]
    standard: str
    districts: dict[str, DistrictTargets]
    part_of: str | None
    province: dict
    raw: dict

    @property
    def units(self) -> pd.DataFrame:
        """The territory's code list."""
        return self.territory.units

    def name(self, lang: str = "vi") -> str:
        """The territory's name in ``lang``."""
        return self.territory.name(lang)

    def total(self, what: str, year: int) -> int:
        """The scope's target of ``what`` ('households', 'poor', 'near_poor') in ``year``."""
        return sum(getattr(d, what)[year] for d in self.districts.values())


def apportion(total: int, weights) -> list[int]:
    """Share ``total`` into whole numbers in proportion to ``weights`` (largest remainder).

    Ties go to the earlier weight, so the result is reproducible.

    Examples
    --------
    >>> apportion(10, [1, 1, 1]), apportion(7, [0.5, 0.25, 0.25]), apportion(7, [0.6, 0.2, 0.2])
    ([4, 3, 3], [3, 2, 2], [4, 2, 1])
    """
    w = [Fraction(x).limit_denominator(10**12) if not isinstance(x, (int, Fraction)) else Fraction(x)
         for x in weights]
    s = sum(w)
    if total < 0 or s <= 0:
        raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"apportion({total}, {weights})")
    exact = [total * x / s for x in w]
    out = [math.floor(e) for e in exact]
    order = sorted(range(len(w)), key=lambda i: (-(exact[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def counts_for_rate(printed: float | str, households: int, digits: int = 2) -> list[int]:
    """The counts of ``households`` whose rate, in percent rounded half up to ``digits``, prints as ``printed``.

    Examples
    --------
    >>> counts_for_rate(15.86, 12_700), counts_for_rate(19.93, 80_276)
    ([2014], [15995, 15996, 15997, 15998, 15999, 16000, 16001, 16002, 16003])
    """
    target = round_half_up(Fraction(str(printed)), digits)
    centre = Fraction(str(printed)) / 100 * households
    lo, hi = math.floor(centre - households / 10**digits), math.ceil(centre + households / 10**digits)
    return [c for c in range(max(lo, 0), min(hi, households) + 1)
            if round_half_up(Fraction(c, households) * 100, digits) == target]


def _year_map(d: dict | None) -> dict[int, float]:
    return {int(y): v for y, v in (d or {}).items()}


def _back(values_of: dict[int, int], households: dict[int, int], years: tuple[int, ...]) -> dict[int, int]:
    """Fill the years before the earliest given one: its rate times the first yearly ratio, per year back.

    Assumption of this repository: the rate rises backward by the ratio of the
    two earliest given years (for Bắc Kạn: 2018 over 2019).
    """
    given = sorted(values_of)
    first = given[0]
    rate = {y: Fraction(values_of[y], households[y]) for y in given}
    ratio = rate[given[0]] / rate[given[1]] if len(given) > 1 and rate[given[1]] else Fraction(1)
    out = dict(values_of)
    for y in years:
        if y < first:
            out[y] = int(round_half_up(households[y] * rate[first] * ratio ** (first - y), 0))
    return out


def _district_poor_last(districts: dict, households_last: dict[str, int], total: int, year: int) -> dict[str, int]:
    """Per district the count that prints as its published rate, the districts adding up to ``total``."""
    bands = {}
    for code, d in districts.items():
        band = counts_for_rate(d["poor_rate"][str(year)], households_last[code])
        if not band:
            raise PovlibInputError.from_key("synth.targets_inconsistent",
                                            what=f"{code} {year}: {d['poor_rate'][str(year)]}")
        bands[code] = band
    # start nearest the rate, then move districts within their band (largest households first)
    centre = {c: Fraction(str(districts[c]["poor_rate"][str(year)])) / 100 * households_last[c] for c in bands}
    pick = {c: min(b, key=lambda x: (abs(x - centre[c]), x)) for c, b in bands.items()}
    gap = total - sum(pick.values())
    for c in sorted(bands, key=lambda c: -households_last[c]):
        if gap == 0:
            break
        b = bands[c]
        new = min(max(pick[c] + gap, b[0]), b[-1])
        gap -= new - pick[c]
        pick[c] = new
    if gap:
        raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"{year}: {total} ≠ {total - gap}")
    return pick


def _resolve(raw: dict) -> tuple[dict[str, DistrictTargets], dict]:
    """Turn a province targets file into whole-number district targets (see the module docstring)."""
    years = tuple(int(y) for y in raw["years"])
    last = years[-1]
    prov = raw["province"]
    dists = raw["districts"]
    codes = list(dists)
    h_last = {c: int(dists[c]["households"][str(last)]) for c in codes}
    published_h = int(prov["households"][str(last)])
    if sum(h_last.values()) != published_h:
        raise PovlibInputError.from_key("synth.targets_inconsistent",
                                        what=f"households {last}: {sum(h_last.values())} ≠ {published_h}")
    growth = Fraction(str(prov["household_growth"]))
    h_prov = {y: int(round_half_up(published_h / (1 + growth) ** (last - y), 0)) for y in years}
    hh = {c: {} for c in codes}
    for y in years:
        for c, n in zip(codes, apportion(h_prov[y], [h_last[c] for c in codes])):
            hh[c][y] = n
    poor_prov = _back({int(y): int(v) for y, v in prov["poor"].items()}, h_prov, years)
    near_prov = _back({int(y): int(v) for y, v in prov["near_poor"].items()}, h_prov, years)
    poor = {c: {} for c in codes}
    for c, n in _district_poor_last(dists, h_last, poor_prov[last], last).items():
        poor[c][last] = n
    rate_last = {c: Fraction(poor[c][last], h_last[c]) for c in codes}
    for y in years[:-1]:  # assumption: each district's rate moves by the province's ratio
        for c, n in zip(codes, apportion(poor_prov[y], [hh[c][y] * rate_last[c] for c in codes])):
            poor[c][y] = n
    spread = float(prov.get("near_poor_spread", 0.5))
    near = {c: {} for c in codes}
    for y in years:  # assumption: near-poor rate ∝ (poverty rate) ** spread
        w = [hh[c][y] * (poor[c][y] / hh[c][y]) ** spread for c in codes]
        for c, n in zip(codes, apportion(near_prov[y], w)):
            near[c][y] = n
    out = {}
    for c in codes:
        d = dists[c]
        people = int(d["people"][str(last)]) if "people" in d else \
            int(round_half_up(Fraction(str(d["people_per_household"])) * h_last[c], 0))
        out[c] = DistrictTargets(code=c, name=d["name"], households=hh[c], poor=dict(sorted(poor[c].items())),
                                 near_poor=near[c],
                                 people_last=people, published_poor_rate=_year_map(d.get("poor_rate")))
    province = {k: _year_map(v) for k, v in prov.items() if isinstance(v, dict) and k not in ("poor", "near_poor")}
    province.update(households_published=province.pop("households"), households=h_prov,
                    poor=dict(sorted(poor_prov.items())), near_poor=dict(sorted(near_prov.items())))
    return out, province


def _path(scope: str | Path) -> Path:
    path = Path(scope) if str(scope).endswith(".toml") else paths.TARGETS_DIR / SCOPES.get(str(scope), f"{scope}.toml")
    if not path.exists():
        raise PovlibInputError.from_key("synth.unknown_scope", scope=scope, known=", ".join(SCOPES))
    return path


def load_scope(scope: str | Path) -> Scope:
    """Read a scope's targets and its territory (a key of :data:`SCOPES` or a TOML path).

    Raises
    ------
    PovlibInputError
        No targets file for ``scope``, its territory is not registered, or its
        figures cannot be met together (e.g. district rates that cannot add up
        to the province count).
    """
    raw = tomllib.loads(_path(scope).read_text(encoding="utf-8"))
    territory = load_territory(raw["scope"])
    output = paths.DEMO_DIR / raw["output"]
    if "part_of" in raw:
        whole = load_scope(raw["part_of"])
        missing = [c for c in raw["districts"] if c not in whole.districts]
        if missing:
            raise PovlibInputError.from_key("synth.targets_inconsistent", what=", ".join(missing))
        return Scope(key=raw["scope"], territory=territory, output=output, seed=whole.seed, years=whole.years,
                     standard=whole.standard, districts={c: whole.districts[c] for c in raw["districts"]},
                     part_of=whole.key, province={}, raw=raw)
    districts, province = _resolve(raw)
    return Scope(key=raw["scope"], territory=territory, output=output, seed=int(raw["seed"]),
                 years=tuple(int(y) for y in raw["years"]), standard=raw["standard"], districts=districts,
                 part_of=None, province=province, raw=raw)
