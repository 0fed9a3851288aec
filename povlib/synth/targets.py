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

* households: the province's published totals, and from the nearest published
  year by the assumed yearly growth, shared over districts as the districts'
  anchor-year (2019) households (given in the file);
* the year's standard is the law's (:func:`povlib.standards.standard_for_year`);
  the file gives the province's figures per standard (``[province.<id>]``):
  counts where published, else the count of the year's households that prints
  as the published (or assumed) rate;
* poor, anchor year: per district the count whose rate, rounded half up as
  officials round, is the published district rate, chosen so that the
  districts add up to the published province count;
* poor and near-poor, other years: the province's count under the year's
  standard shared over districts in proportion to households × the district's
  anchor-year rate (the district's poverty rate for the poor, its square root –
  an assumption, ``near_poor_spread`` – for the near-poor), by largest remainder;
  a year also measured under a second standard (2021 under Decree 07/2021) is
  shared the same way (:attr:`DistrictTargets.second`);
* people, anchor year: the census population where published, else households ×
  the assumed people per household.

A scope may be *part of* another one (``part_of``): the Chợ Đồn demo is the
Chợ Đồn district of the Bắc Kạn panel, with the same targets and the same seed
stream, so both datasets hold the same households.

Examples
--------
>>> from povlib.synth.targets import load_scope
>>> sc = load_scope("cho-don")
>>> sc.territory.key, sc.years[0], sc.years[-1], sc.anchor_year, sc.part_of, sc.output.name
('cho-don', 2016, 2026, 2019, 'bac-kan', 'cho_don_panel.parquet')
>>> sc.standards[2021], sc.standards[2022], sc.standards[2026]
('QD59_2015', 'ND07_2021', 'ND07_2021')
>>> d = sc.districts["064"]
>>> d.households[2019], d.poor[2019], d.people_last, d.second[2021]
(12700, 2014, 49554, ('ND07_2021', 2765, 1172))
>>> bk = load_scope("bac-kan")
>>> sum(x.poor[2019] for x in bk.districts.values()), sum(x.households[2019] for x in bk.districts.values())
(16003, 80276)
>>> bk.province["poor"][2020], bk.province["households"][2020], bk.province["by_standard"]["ND07_2021"]["poor"][2021]
(14982, 80972, 21969)
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

__all__ = ["SCOPES", "DistrictTargets", "Scope", "load_scope", "scope_output", "apportion", "counts_for_rate"]

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
        People in the anchor year (the census year, 2019: the census where published).
    published_poor_rate : dict
        Year -> the published poverty rate in percent, as printed (15.86).
    second : dict
        Year -> ``(standard, poor, near_poor)``: a review also measured under a
        second standard (the 2021 total review under Decree 07/2021).
    """

    code: str
    name: str
    households: dict[int, int]
    poor: dict[int, int]
    near_poor: dict[int, int]
    people_last: int
    published_poor_rate: dict[int, float] = field(default_factory=dict)
    second: dict[int, tuple[str, int, int]] = field(default_factory=dict)


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
    anchor_year : int
        The year of the district rates and the census (2019).
    standards : dict
        Year -> the standard of that year's review (:func:`povlib.standards.standard_for_year`).
    districts : dict
        District code -> :class:`DistrictTargets`, the districts this scope generates.
    part_of : str or None
        The scope whose districts this one is a part of (its territory's
        geometry and seed streams are used), or None.
    province : dict
        The province's figures: ``households``, ``poor``, ``near_poor`` (year ->
        count under the year's standard, every year filled: published or
        assumed as the file says), ``standard`` (year -> id), ``by_standard``
        (id -> ``poor`` / ``near_poor`` -> year -> count), ``published`` (id ->
        the file's table: rates and changes as printed), ``households_published``.
        Empty for a part.
    raw : dict
        The file as read.
    """

    key: str
    territory: Territory
    output: Path
    seed: int
    years: tuple[int, ...]
    anchor_year: int
    standards: dict[int, str]
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


def _nearest_count(printed, households: int, what: str) -> int:
    """The count of ``households`` nearest the rate that prints as ``printed`` (percent)."""
    band = counts_for_rate(printed, households)
    if not band:
        raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"{what}: {printed}")
    centre = Fraction(str(printed)) / 100 * households
    return min(band, key=lambda x: (abs(x - centre), x))


def _standard_counts(table: dict, h_prov: dict[int, int], std_of: dict[int, str], std: str) -> dict[str, dict[int, int]]:
    """Province poor and near-poor counts under one standard: published counts, else the rate's count.

    Years before the first given one are filled (:func:`_back`) only where ``std`` is the year's standard.
    """
    years = tuple(y for y in std_of if std_of[y] == std)
    out = {}
    for what in ("poor", "near_poor"):
        counts = {int(y): int(v) for y, v in table.get(what, {}).items() if int(y) in h_prov}
        for y, r in _year_map(table.get(f"{what}_rate")).items():
            if y in h_prov and y not in counts:
                counts[y] = _nearest_count(r, h_prov[y], f"{std} {what} {y}")
        out[what] = {y: v for y, v in _back(counts, h_prov, years).items() if y in counts or y in years} \
            if counts else {}
    return out


def _households(prov: dict, years: tuple[int, ...]) -> dict[int, int]:
    """Province households per year: published years, else the assumed growth from the nearest published year."""
    pub = {int(y): int(v) for y, v in prov["households"].items()}
    growth = Fraction(str(prov["household_growth"]))
    out = {}
    for y in years:
        near = y if y in pub else (min(pub) if y < min(pub) else max(p for p in pub if p < y))
        out[y] = int(round_half_up(pub[near] * (1 + growth) ** (y - near), 0))
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


def _share(poor_prov: dict[int, int], near_prov: dict[int, int], hh: dict[str, dict[int, int]],
           rate_anchor: dict[str, Fraction], spread: float, fixed: dict[str, dict[int, int]] | None = None
           ) -> tuple[dict[str, dict[int, int]], dict[str, dict[int, int]]]:
    """Share province counts over districts (assumptions of the module docstring); ``fixed``: counts kept."""
    codes = list(hh)
    poor = {c: dict((fixed or {}).get(c, {})) for c in codes}
    near = {c: {} for c in codes}
    for y in sorted(poor_prov):
        if y not in poor[codes[0]]:  # assumption: each district's rate moves by the province's ratio
            for c, n in zip(codes, apportion(poor_prov[y], [hh[c][y] * rate_anchor[c] for c in codes])):
                poor[c][y] = n
    for y in sorted(near_prov):  # assumption: near-poor rate ∝ (poverty rate) ** spread
        w = [hh[c][y] * (max(poor[c][y], 1) / hh[c][y]) ** spread for c in codes]
        for c, n in zip(codes, apportion(near_prov[y], w)):
            near[c][y] = n
    return {c: dict(sorted(v.items())) for c, v in poor.items()}, near


def _resolve(raw: dict) -> tuple[dict[str, DistrictTargets], dict]:
    """Turn a province targets file into whole-number district targets (see the module docstring)."""
    from ..standards import available, standard_for_year

    years = tuple(int(y) for y in raw["years"])
    anchor = int(raw.get("anchor_year", years[-1]))
    prov = raw["province"]
    dists = raw["districts"]
    codes = list(dists)
    h_last = {c: int(dists[c]["households"][str(anchor)]) for c in codes}
    published_h = int(prov["households"][str(anchor)])
    if sum(h_last.values()) != published_h:
        raise PovlibInputError.from_key("synth.targets_inconsistent",
                                        what=f"households {anchor}: {sum(h_last.values())} ≠ {published_h}")
    h_prov = _households(prov, years)
    hh = {c: {} for c in codes}
    for y in years:
        for c, n in zip(codes, apportion(h_prov[y], [h_last[c] for c in codes])):
            hh[c][y] = n
    std_of = {y: standard_for_year(y).id for y in years}
    stds = sorted(set(std_of.values()) | {k for k in prov if k in available()})
    by_std = {s: _standard_counts(prov[s], h_prov, std_of, s) for s in stds}
    main = {w: {y: by_std[std_of[y]][w][y] for y in years} for w in ("poor", "near_poor")}
    poor_a = _district_poor_last(dists, h_last, main["poor"][anchor], anchor)
    rate_anchor = {c: Fraction(poor_a[c], h_last[c]) for c in codes}
    spread = float(prov.get("near_poor_spread", 0.5))
    poor, near = _share(main["poor"], main["near_poor"], hh, rate_anchor, spread,
                        {c: {anchor: poor_a[c]} for c in codes})
    # a review measured under a second standard too (the 2021 total review under Decree 07/2021)
    second: dict[str, dict[int, tuple[str, int, int]]] = {c: {} for c in codes}
    for s, counts in by_std.items():
        both = sorted(y for y in counts["poor"] if y in std_of and std_of[y] != s)
        if not both:
            continue
        p2, n2 = _share({y: counts["poor"][y] for y in both}, {y: counts["near_poor"][y] for y in both}, hh,
                        rate_anchor, spread)
        for c in codes:
            for y in both:
                second[c][y] = (s, p2[c][y], n2[c][y])
    out = {}
    for c in codes:
        d = dists[c]
        people = int(d["people"][str(anchor)]) if "people" in d else \
            int(round_half_up(Fraction(str(d["people_per_household"])) * h_last[c], 0))
        out[c] = DistrictTargets(code=c, name=d["name"], households=hh[c], poor=poor[c], near_poor=near[c],
                                 people_last=people, published_poor_rate=_year_map(d.get("poor_rate")),
                                 second=second[c])
    province = {"households_published": _year_map(prov["households"]), "households": h_prov,
                "poor": main["poor"], "near_poor": main["near_poor"], "standard": std_of, "anchor_year": anchor,
                "by_standard": by_std,
                "published": {s: {k: _year_map(v) for k, v in prov[s].items()} for s in by_std}}
    return out, province


def _path(scope: str | Path) -> Path:
    path = Path(scope) if str(scope).endswith(".toml") else paths.TARGETS_DIR / SCOPES.get(str(scope), f"{scope}.toml")
    if not path.exists():
        raise PovlibInputError.from_key("synth.unknown_scope", scope=scope, known=", ".join(SCOPES))
    return path


def _read(scope: str | Path) -> dict:
    return tomllib.loads(_path(scope).read_text(encoding="utf-8"))


def scope_output(scope: str | Path) -> Path:
    """Where the panel of ``scope`` is written (its targets file's ``output``), without resolving its figures.

    :func:`load_scope` resolves every published rate to a count (0,15 s); the app asks only whether a
    demo panel is there, at every dataset list it draws.

    Examples
    --------
    >>> scope_output("bac-kan").name, scope_output("bac-kan") == load_scope("bac-kan").output
    ('bac_kan_panel.parquet', True)
    """
    return paths.DEMO_DIR / _read(scope)["output"]


def load_scope(scope: str | Path) -> Scope:
    """Read a scope's targets and its territory (a key of :data:`SCOPES` or a TOML path).

    Raises
    ------
    PovlibInputError
        No targets file for ``scope``, its territory is not registered, or its
        figures cannot be met together (e.g. district rates that cannot add up
        to the province count).

    See Also
    --------
    scope_output : only where the scope's panel is written.
    """
    raw = _read(scope)
    territory = load_territory(raw["scope"])
    output = paths.DEMO_DIR / raw["output"]
    if "part_of" in raw:
        whole = load_scope(raw["part_of"])
        missing = [c for c in raw["districts"] if c not in whole.districts]
        if missing:
            raise PovlibInputError.from_key("synth.targets_inconsistent", what=", ".join(missing))
        return Scope(key=raw["scope"], territory=territory, output=output, seed=whole.seed, years=whole.years,
                     anchor_year=whole.anchor_year, standards=whole.standards, districts={c: whole.districts[c] for c in raw["districts"]},
                     part_of=whole.key, province={}, raw=raw)
    districts, province = _resolve(raw)
    return Scope(key=raw["scope"], territory=territory, output=output, seed=int(raw["seed"]),
                 years=tuple(int(y) for y in raw["years"]), anchor_year=province["anchor_year"],
                 standards=province["standard"], districts=districts,
                 part_of=None, province=province, raw=raw)
