"""Seeded generator of the synthetic demo household panel, reviews 2016–2026 on the units of each year.

Real household lists are personal data and not public, so the bundled demo
panel is synthetic. This module makes it from the raw review inputs a
commune would record – area, household size, group flags, the deprivation
indicators of the year's standard, an income estimate and the review scores
(B1/B2 under Decision 59/2015, A/B under Decree 07/2021, in the columns
``b1_score`` / ``b2_score``) – and never writes a status:
:func:`povlib.load_demo` classifies the raw inputs with
:func:`povlib.classify_households`, each row under its own standard.

Every household is drawn on the 2019 units of the territory
(:mod:`povlib.synth.territory`) and placed, each year, on the units in force
on 31 December of that year (:mod:`povlib.synth.periods`): its id (2019 commune
code and serial) never changes, ``former_district_code`` is its 2019 district.
The counts to meet are the scope's calibration targets
(:mod:`povlib.synth.targets`, ``data/targets/*.toml``), whole numbers of
households per (2019) district and year, under the year's standard. Each
district is generated on its own, from its own random stream (the seed and
the district code), so the Chợ Đồn panel is exactly the Chợ Đồn part of the
Bắc Kạn panel. Per district:

1. Households per commune in proportion to the source population, each year's
   count met exactly through household splits (new, smaller households) and
   a few dissolved; household sizes so that the anchor year's (2019) people
   meet the target (the census where published) exactly.
2. Each household has a latent welfare that follows an AR(1) process over the
   years (so statuses change at plausible rates) and is lower for ethnic
   minorities, large households and remote communes.
3. Commune targets: the district's poor households of the year are spread over
   its communes by remoteness (distance from the district town) on the logit
   scale, the town lowest, and shared out as whole numbers.
4. Deprivations – the union of every standard's indicators – are persistent
   latent thresholds driven by welfare, remoteness and a yearly improvement;
   a year's row carries its standard's indicators (the 2021 review both sets).
5. Decision 59/2015 years: income per person is ``exp(mu + sigma * welfare)``;
   ``mu`` per commune and year is solved exactly (by sorting, not by search)
   so that the number of households the legal rules classify as poor equals
   the commune's target, and ``sigma`` per district and year by bisection so
   that the near-poor count comes close to its target; the few households left
   between the two are moved onto the right side of the near-poor line, so the
   count is met exactly.
6. Decree 07/2021 (the 2022–2026 reviews and the 2021 review measured under it
   too): the households within the line and the level of the indicators the
   Decree added are set so that both counts are met exactly
   (:mod:`povlib.synth.calibrate`), from the same welfare and latents: the
   break in the series is the standard's.

Examples
--------
>>> from povlib.synth.generator import generate, income_to_b1
>>> panel = generate("cho-don", scale=0.02)
>>> panel.groupby("year")["commune_code"].nunique().loc[[2019, 2020, 2025]].tolist(), "status" in panel
([22, 20, 8], False)
>>> panel.groupby("year")["standard"].first().astype(str).loc[[2021, 2022, 2026]].tolist()
['QD59_2015', 'ND07_2021', 'ND07_2021']
>>> income_to_b1(np.array([700_000, 701_000]), np.array([0, 0])).tolist()
[120, 121]
>>> income_to_b1(np.array([1_500_000, 1_500_001]), np.array([0, 0]), "ND07_2021").tolist()
[140, 141]
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .. import standards as _standards
from ..standards import DEFAULT_STANDARD
from ..units import successors, units_at
from .calibrate import added_indicators, move_across, within_line
from .names import FAMILY, N_GIVEN, head_names, pick_villages, village_names
from .periods import ORIGIN_FROM, listed_villages, locate, split_event, village_split
from .targets import DistrictTargets, Scope, apportion, load_scope

__all__ = ["generate", "write_panel", "income_to_b1"]

# Modelling assumptions of the generator (not legal rules): base shares of households deprived
# in each Decision 59/2015 indicator in a mountainous, mostly ethnic-minority district, and how
# strongly each follows household welfare.
_INDICATOR_BASE = {
    "adult_education": (0.06, 0.9),
    "child_schooling": (0.015, 0.8),
    "health_access": (0.02, 0.6),
    "health_insurance": (0.03, 0.7),
    "housing_quality": (0.08, 1.1),
    "living_area": (0.035, 0.8),
    "water_source": (0.11, 0.9),
    "latrine": (0.24, 1.0),
    "telecom": (0.03, 1.0),
    "info_assets": (0.05, 1.0),
    # added by Decree 07/2021 (their level is set each year with the counts: povlib.synth.calibrate)
    "employment": (0.10, 0.6),
    "dependants": (0.08, 0.5),
    "nutrition": (0.10, 0.8),
    "info_access": (0.04, 1.0),
}
_RHO = 0.95            # year-to-year persistence of welfare
_RHO_DEP = 0.90        # year-to-year persistence of each deprivation latent
_DISSOLVE = 0.008      # share of households dissolved each year
# deprivations are more common in poorer districts: the logit of a district's last poverty rate,
# against the reference rate the indicator base shares stand for, shifts every indicator's logit
_DEP_LEVEL = 0.4
_DEP_REF = 0.20
#: unit types of towns in the GSO code list (``unit_type`` values: data vocabulary, not UI text)
_TOWN_TYPES = ("Thị trấn", "Phường")
_SPLIT_SIZE = 1.8      # new (split) households: 1 + Poisson(1.8) members, at most 8


def _remoteness(units: pd.DataFrame, communes_geojson: Path) -> np.ndarray:
    """0..1 per unit: distance of its centroid from its district's town, scaled in the district."""
    import geopandas as gpd  # heavy; only the generator needs it

    gdf = gpd.read_file(communes_geojson).rename(columns={paths.SOURCE_CODE_2019: "commune_code"})
    gdf = gdf.set_index("commune_code").loc[units["commune_code"]].to_crs(32648)
    cent = gdf.geometry.centroid
    x, y = cent.x.to_numpy(), cent.y.to_numpy()
    out = np.zeros(len(units))
    types = units["unit_type"].to_numpy()
    for d in units["district_code"].unique():
        m = (units["district_code"] == d).to_numpy()
        towns = m & np.isin(types, list(_TOWN_TYPES))
        cx, cy = (x[towns].mean(), y[towns].mean()) if towns.any() else (x[m].mean(), y[m].mean())
        dist = np.hypot(x[m] - cx, y[m] - cy)
        out[m] = dist / dist.max() if dist.max() > 0 else 0.0
    return out


def _logit(p):
    return np.log(p / (1 - p))


def _commune_targets(rate: float, n: np.ndarray, remote: np.ndarray, urban: np.ndarray) -> np.ndarray:
    """Spread a district rate over communes (logit scale) so the weighted mean is exact."""
    shape = 1.6 * (remote - remote.mean()) - 2.2 * urban
    lo, hi = -12.0, 12.0
    for _ in range(80):
        a = (lo + hi) / 2
        r = 1 / (1 + np.exp(-(a + shape)))
        if (r * n).sum() / n.sum() < rate:
            lo = a
        else:
            hi = a
    return 1 / (1 + np.exp(-(a + shape)))


def income_to_b1(income: np.ndarray, urban: np.ndarray, standard: str = DEFAULT_STANDARD) -> np.ndarray:
    """Map income to an integer B1-like score that agrees with the standard at its lines.

    A modelling device of the generator (the real B1 points table is not
    encoded): piecewise linear between the income lines and the score
    thresholds, rounded so that ``income <= line`` exactly when
    ``b1 <= threshold`` at both lines.
    """
    std = _standards.get(standard)
    inc = np.asarray(income, dtype=np.int64)
    out = np.empty(len(inc), dtype=np.int64)
    for code, area in ((0, "rural"), (1, "urban")):
        m = urban == code
        pl, nl = std.lines[area].poor, std.lines[area].near_poor
        ps, ns = std.scores[area].poor, std.scores[area].near_poor
        span_i, span_s = nl - pl, max(ns - ps, 1)
        if span_i <= 0:  # one line (Decree 07/2021): one point per fifth of the line beyond 35 points
            span_i, span_s = max(pl // 5, 1), 35
        x = inc[m]
        below = ps - ((pl - x) * span_s) // span_i            # floor: <= ps when x <= pl
        mid = ps + -((-(x - pl) * span_s) // span_i)          # (pl, nl]: ceil of positive part
        above = ns + -((-(x - nl) * span_s) // span_i)
        out[m] = np.where(x <= pl, below, np.where(x <= nl, mid, above))
    return np.clip(out, 0, 1000)


def _statuses(income: np.ndarray, d_count: np.ndarray, poor_line: np.ndarray, near_line: np.ndarray,
              std) -> tuple[np.ndarray, np.ndarray]:
    """Poor and near-poor masks under the standard's rule (as :func:`povlib.classify_households`)."""
    within_near = income <= near_line
    income_poor = income <= poor_line if std.income_only_poor else np.zeros(len(income), bool)
    poor = income_poor | ((d_count >= std.deprivation_cutoff) & within_near)
    return poor, within_near & ~poor


class _Households:
    """Every household a district ever has: static traits, drawn once; who is alive in which year."""

    def __init__(self, rng: np.random.Generator, n_dep: int):
        self.rng, self.n_dep = rng, n_dep
        self.cols: dict[str, list[np.ndarray]] = {}

    def add(self, unit: np.ndarray, urban: np.ndarray, year: int, split: bool, mean_size: float) -> None:
        """Draw ``len(unit)`` new households (founding ones, or splits of ``year``)."""
        rng, k = self.rng, len(unit)
        cols = {
            "unit": unit, "born": np.full(k, year),
            "ethnic_minority": rng.random(k) < np.where(urban == 1, 0.55, 0.93),
            "members": np.minimum(1 + rng.poisson(mean_size - 1, k), 12),
            "female_head": rng.random(k) < 0.22, "meritorious": rng.random(k) < 0.03,
            "welfare0": rng.standard_normal(k), "head_birth": rng.integers(1940, 1996, k),
            "name_family": rng.integers(0, len(FAMILY), k), "name_given": rng.integers(0, N_GIVEN, k),
            "id_tail": rng.integers(0, 1_000_000, k), "village_draw": rng.random(k),
            "dep_latent": rng.standard_normal((k, self.n_dep)),
            "noise_sp": rng.random(k), "noise_nl": rng.random(k),
        }
        if split:  # new (split) households start younger and smaller
            cols["members"] = np.minimum(1 + rng.poisson(_SPLIT_SIZE, k), 8)
            cols["head_birth"] = rng.integers(1975, 2000, k)
        for key, v in cols.items():
            self.cols.setdefault(key, []).append(v)

    def freeze(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate(v) for k, v in self.cols.items()}


def _indicator_ids(sc: Scope) -> tuple[list[str], list[str]]:
    """Every indicator id any year carries (Decision 59/2015's first), and those later standards added."""
    stds = set(sc.standards.values()) | {s for d in sc.districts.values() for s, _, _ in d.second.values()}
    first = _standards.get(DEFAULT_STANDARD).indicator_ids
    later = [i for sid in sorted(stds - {DEFAULT_STANDARD}) for i in _standards.get(sid).indicator_ids]
    added = list(dict.fromkeys(i for i in later if i not in first))
    return list(first) + added, added


def _villages(rng: np.random.Generator, codes: np.ndarray, n_hh: np.ndarray, urban_u: np.ndarray) -> list[list[str]]:
    """Invented villages per commune; a split commune's villages named in the registry are among them."""
    out = []
    for code, n, urb in zip(codes, n_hh, urban_u):
        names = village_names(rng, max(3, int(round(n / 75))), bool(urb))
        listed = [v for v in listed_villages(str(code)) if v not in names]
        out.append(listed + names[len(listed):] if len(listed) < len(names) else names)
    return out


def _district(sc: Scope, dt: DistrictTargets, units: pd.DataFrame, remote_u: np.ndarray, seed: int,
              scale: float) -> pd.DataFrame:
    """The raw panel of one (2019) district, from its own random stream, on the units of each year."""
    rng = np.random.default_rng([seed, int(dt.code)])
    years = sc.years
    anchor = sc.anchor_year
    ids, added = _indicator_ids(sc)
    n_units = len(units)
    codes_u = units["commune_code"].to_numpy()
    urban_u = units["unit_type"].isin(list(_TOWN_TYPES)).to_numpy().astype(np.int8)
    pop = units["source_population"].to_numpy(dtype=float)

    # ---- whole-number targets of the district and its communes ------------------------
    def scaled(n: int, y: int) -> int:
        return int(round(n * hh_d[y] / dt.households[y]))

    hh_d = {y: dt.households[y] for y in years}
    if scale != 1.0:
        hh_d = {y: max(int(round(n * scale)), 20 * n_units) for y, n in hh_d.items()}
    hh_c = {y: np.array(apportion(hh_d[y], pop)) for y in years}
    poor_d = {y: scaled(dt.poor[y], y) for y in years}
    near_d = {y: scaled(dt.near_poor[y], y) for y in years}
    second = {y: (s2, scaled(p2, y), scaled(n2, y)) for y, (s2, p2, n2) in dt.second.items()}
    people = int(round(dt.people_last * hh_d[anchor] / dt.households[anchor]))

    # ---- demography: who lives in which year --------------------------------------------
    splits_share = 1 - hh_d[years[0]] * (1 - _DISSOLVE) ** (anchor - years[0]) / hh_d[anchor]
    mean_split = 1 + _SPLIT_SIZE
    mean_size = (people / hh_d[anchor] - splits_share * mean_split) / (1 - splits_share)
    book = _Households(rng, len(ids))
    first = np.repeat(np.arange(n_units), hh_c[years[0]])
    book.add(first, urban_u[first], years[0], False, mean_size)
    alive_by_year = {years[0]: np.arange(len(first))}
    n_all = len(first)
    alive = np.ones(n_all, dtype=bool)
    unit_all = first
    for year in years[1:]:
        alive &= ~(rng.random(n_all) < _DISSOLVE)
        have = np.bincount(unit_all[alive], minlength=n_units)
        for u in np.flatnonzero(have > hh_c[year]):  # rare: dissolve down to the count
            idx = np.flatnonzero(alive & (unit_all == u))
            alive[rng.choice(idx, have[u] - hh_c[year][u], replace=False)] = False
        add = np.maximum(hh_c[year] - have, 0)
        nu = np.repeat(np.arange(n_units), add)
        book.add(nu, urban_u[nu], year, True, mean_size)
        unit_all = np.concatenate([unit_all, nu])
        alive = np.concatenate([alive, np.ones(len(nu), dtype=bool)])
        n_all = len(unit_all)
        alive_by_year[year] = np.flatnonzero(alive)
    hh = book.freeze()

    # people of the anchor year (the census): one member more or less in a few households, at random
    last_alive = alive_by_year[anchor]
    gap = people - int(hh["members"][last_alive].sum())
    while gap:
        step = 1 if gap > 0 else -1
        ok = last_alive[(hh["members"][last_alive] < 12) if step > 0 else (hh["members"][last_alive] > 1)]
        pick = rng.choice(ok, min(abs(gap), len(ok)), replace=False)
        hh["members"][pick] += step
        gap -= step * len(pick)

    # serial numbers per 2019 commune, in order of appearance: the id never changes with the units
    serial = np.zeros(n_all, dtype=np.int64)
    for u in range(n_units):
        m = np.flatnonzero(hh["unit"] == u)
        serial[m] = np.arange(1, len(m) + 1)
    villages = _villages(rng, codes_u, hh_c[anchor], urban_u)
    village_map = {str(c): village_split(str(c), villages[i], ev) for i, c in enumerate(codes_u)
                   if (ev := split_event(str(c)))}

    # ---- the yearly review ----------------------------------------------------------------
    welfare = hh["welfare0"].copy()
    dep_latent = hh["dep_latent"]
    sigma = 0.5
    level = _DEP_LEVEL * (_logit(dt.poor[anchor] / dt.households[anchor]) - _logit(_DEP_REF))
    frames = []
    for t_i, year in enumerate(years):
        if t_i > 0:  # AR(1) welfare and deprivation latents; splits start from their own draw
            fresh = hh["born"] == year
            welfare[fresh] = hh["welfare0"][fresh]
            welfare = _RHO * welfare + np.sqrt(1 - _RHO**2) * rng.standard_normal(n_all)
            dep_latent = _RHO_DEP * dep_latent + np.sqrt(1 - _RHO_DEP**2) * rng.standard_normal(dep_latent.shape)
        std = _standards.get(sc.standards[year])
        a = alive_by_year[year]
        u = hh["unit"][a]
        v_idx = (hh["village_draw"][a] * np.array([len(villages[x]) for x in u])).astype(int)
        village = pick_villages(villages, u, v_idx)
        where = locate(codes_u[u], village, village_map, year)
        urb = where["unit_type"].isin(list(_TOWN_TYPES)).to_numpy().astype(np.int8)  # the lines of the year's unit
        rem = remote_u[u]
        size = hh["members"][a]
        em = hh["ethnic_minority"][a]
        w = welfare[a] - 0.35 * em - 0.07 * (size - 4) + 0.25 * hh["meritorious"][a] - 0.6 * rem + 0.5 * urban_u[u]
        no_labour = hh["noise_nl"][a] < 0.015 + 0.05 * (w < -1.2)
        w = w - 0.6 * no_labour
        social = hh["noise_sp"][a] < 0.03 + 0.06 * (w < -1.0)

        # deprivations: persistent latent thresholds (the added indicators are set with the counts below)
        improve = 0.18 * (year - years[0])
        score = np.empty((len(u), len(ids)))
        for j, ind in enumerate(ids):
            base, beta = _INDICATOR_BASE.get(ind, (0.08, 0.9))
            score[:, j] = _logit(base) - beta * w + 0.8 * rem - 0.8 * urban_u[u] - improve + level
        latent = dep_latent[a]
        dep = (score - 1.7 * latent > 0).astype(np.int8)
        col = {ind: j for j, ind in enumerate(ids)}
        carried = list(std.indicator_ids) + ([i for i in _standards.get(second[year][0]).indicator_ids
                                              if i not in std.indicator_ids] if year in second else [])
        lines = np.where(urb == 1, std.lines["urban"].near_poor, std.lines["rural"].near_poor).astype(np.int64)
        if std.income_only_poor:  # Decision 59/2015: the counts are met through incomes
            d_count = dep[:, [col[i] for i in std.indicator_ids]].sum(axis=1)
            income, sigma = _incomes(std, w, u, urb, d_count, remote_u, urban_u, poor_d[year], near_d[year])
        else:  # Decree 07/2021: within the line by income, then poor by the added indicators
            n_c = np.bincount(u, minlength=n_units)
            shares = _commune_targets((poor_d[year] + near_d[year]) / len(u), n_c, remote_u, urban_u)
            income = within_line(w, u, lines, shares, poor_d[year] + near_d[year], sigma)
        cal = std if year not in second else _standards.get(second[year][0])
        if not cal.income_only_poor:
            p_t, n_t = (poor_d[year], near_d[year]) if cal is std else second[year][1:]
            cal_lines = np.where(urb == 1, cal.lines["urban"].near_poor, cal.lines["rural"].near_poor)
            if cal is not std:  # the same incomes measured under the second standard: only those above
                old_near = lines  # the first standard's near-poor line may cross the second's line
                income = move_across(income, cal_lines, p_t + n_t, income > old_near)
            own = [col[i] for i in cal.indicator_ids if i not in added]
            add = [col[i] for i in cal.indicator_ids if i in added]
            dep[:, add] = added_indicators(score[:, add], latent[:, add], dep[:, own].sum(axis=1),
                                           income <= cal_lines, p_t, cal.deprivation_cutoff)
        d_count = dep[:, [col[i] for i in std.indicator_ids]].sum(axis=1)

        female = hh["female_head"][a]
        birth = hh["head_birth"][a]
        century_sex = np.where(birth >= 2000, 2, 0) + female.astype(int)
        id_number = ("006" + pd.Series(century_sex).astype(str) + pd.Series(birth % 100).astype(str).str.zfill(2)
                     + pd.Series(hh["id_tail"][a]).astype(str).str.zfill(6)).to_numpy()
        origin = codes_u[u]
        frame = {
            "household_id": (pd.Series(origin) + "-" + pd.Series(serial[a]).astype(str).str.zfill(5)).to_numpy(),
            "year": np.full(len(u), year, dtype=np.int16),
            "standard": std.id,
            "province_code": where["province_code"].to_numpy(),
            "district_code": where["district_code"].to_numpy(),
            "district_name": where["district_name"].to_numpy(),
            "former_district_code": dt.code,
            "commune_code": where["commune_code"].to_numpy(),
            "commune_name": where["commune_name"].to_numpy(),
            "village": village,
            "area": np.where(urb == 1, "urban", "rural"),
            "members": size.astype(np.int16),
            "ethnic_minority": em,
            "meritorious": hh["meritorious"][a],
            "social_protection": social,
            "no_labour_capacity": no_labour,
            "female_head": female,
            "head_name": head_names(hh["name_family"][a], hh["name_given"][a], female),
            "id_number": id_number,
            "income": income,
            "b1_score": income_to_b1(income, urb, std.id).astype(np.int16),
            "b2_score": (d_count * std.points_per_deprivation).astype(np.int16),
        }
        for ind in carried:
            frame[ind] = dep[:, col[ind]]
        frames.append(pd.DataFrame(frame))
    out = pd.concat(frames, ignore_index=True)
    for ind in ids:  # a year's review carries its standard's indicators only: the others are blank
        out[ind] = out[ind].astype("Int8")
    return out


def _incomes(std, w: np.ndarray, u: np.ndarray, urb: np.ndarray, d_count: np.ndarray, remote_u: np.ndarray,
             urban_u: np.ndarray, poor_target: int, near_target: int) -> tuple[np.ndarray, float]:
    """Incomes of one district and year that the rules classify into exactly the target counts (and the spread)."""
    n_units = len(remote_u)
    lines_poor = np.where(urb == 1, std.lines["urban"].poor, std.lines["rural"].poor).astype(np.int64)
    lines_near = np.where(urb == 1, std.lines["urban"].near_poor, std.lines["rural"].near_poor).astype(np.int64)
    deprived = d_count >= std.deprivation_cutoff
    cutoff = np.where(deprived, lines_near, lines_poor if std.income_only_poor else 0).astype(float)
    n_c = np.bincount(u, minlength=n_units)
    r_c = _commune_targets(poor_target / len(u), n_c, remote_u, urban_u)
    poor_c = apportion(poor_target, r_c * n_c)
    sels = [np.flatnonzero(u == ui) for ui in range(n_units)]
    mu = np.empty(len(u))
    log_near = np.log(lines_near)

    def solve(sig: float) -> int:
        """Set mu per commune for spread ``sig``; return the near-poor count."""
        with np.errstate(divide="ignore"):
            m_i = np.log(cutoff) - sig * w  # poor iff mu <= m_i
        for sel, target in zip(sels, poor_c):
            if not len(sel):
                continue
            srt = np.sort(m_i[sel])[::-1]
            if target <= 0:
                mu[sel] = srt[0] + 0.01
            elif target >= len(sel):
                mu[sel] = srt[-1] - 0.01
            else:
                mu[sel] = (srt[target - 1] + srt[target]) / 2
        x = mu + sig * w
        return int((~(mu <= m_i) & (x <= log_near)).sum())

    lo, hi = 0.03, 2.0  # the near-poor count falls as the spread grows
    for _ in range(30):
        mid = (lo + hi) / 2
        if solve(mid) > near_target:
            lo = mid
        else:
            hi = mid
    solve(hi)
    income = np.round(np.exp(mu + hi * w)).astype(np.int64)
    # rounding to whole đồng can carry a household across its line: put it back, per commune
    cut = cutoff.astype(np.int64)
    poor, _ = _statuses(income, d_count, lines_poor, lines_near, std)
    for sel, target in zip(sels, poor_c):
        gap = target - int(poor[sel].sum())
        if gap > 0:
            cand = sel[~poor[sel] & (cut[sel] > 0)]
            pick = cand[np.argsort(income[cand] - cut[cand], kind="stable")[:gap]]
            income[pick] = cut[pick]
        elif gap < 0:
            cand = sel[poor[sel]]
            pick = cand[np.argsort(cut[cand] - income[cand], kind="stable")[:-gap]]
            income[pick] = cut[pick] + 1
    poor, near = _statuses(income, d_count, lines_poor, lines_near, std)
    # the last few: move households across the near-poor line, nearest to it first
    gap = near_target - int(near.sum())
    if gap > 0:  # non-poor, not deprived enough to become poor at the line: down onto the line
        cand = np.flatnonzero(~poor & ~near & ~deprived)
        pick = cand[np.argsort(income[cand] - lines_near[cand], kind="stable")[:gap]]
        income[pick] = lines_near[pick]
    elif gap < 0:  # near-poor: just above the line
        cand = np.flatnonzero(near)
        pick = cand[np.argsort(lines_near[cand] - income[cand], kind="stable")[:-gap]]
        income[pick] = lines_near[pick] + 1
    return income, hi


def _scope_rows(panel: pd.DataFrame, districts) -> np.ndarray:
    """Rows whose commune of the year lies (wholly or partly) in one of the 2019 ``districts``."""
    keep = np.zeros(len(panel), dtype=bool)
    for year in pd.unique(panel["year"]):
        codes = set().union(*(units_at(int(year), within=d)["code"] for d in districts))
        keep |= (panel["year"] == year).to_numpy() & panel["commune_code"].isin(codes).to_numpy()
    return keep


def generate(scope: str | Path = "cho-don", *, seed: int | None = None, scale: float = 1.0) -> pd.DataFrame:
    """Generate the raw synthetic panel (no status column).

    Parameters
    ----------
    scope : str or Path
        'cho-don' (default), 'bac-kan', or a targets TOML file (whose ``scope``
        names a registered territory).
    seed : int, optional
        Overrides the scope's seed; the same seed gives identical data.
    scale : float, default 1.0
        Multiplies the number of households (e.g. 0.05 for quick tests); the
        counts are met exactly only at 1.

    Returns
    -------
    DataFrame
        One row per household and review year, by year, then district. A
        part of a province (Chợ Đồn) holds, each year, the communes of that
        year lying in its 2019 districts, whole: from 2025 Xã Bạch Thông and
        Xã Đồng Phúc with their households from the former Bạch Thông and Ba Bể
        districts, generated from those districts' own streams as in the
        province panel.
    """
    sc = load_scope(scope)
    whole = load_scope(sc.part_of) if sc.part_of else sc
    all_units = whole.territory.units
    remote = _remoteness(all_units, whole.territory.communes_geojson)
    seed = sc.seed if seed is None else seed
    wanted = set(sc.districts)
    if sc.part_of:  # the districts whose communes join the part's communes in a later year
        reach = {(r.code, r.valid_from) for d in sc.districts for y in sc.years
                 for r in units_at(y, within=d).itertuples()}
        for code in whole.districts:
            origin = all_units.loc[all_units["district_code"] == code, "commune_code"]
            if any(set(successors((str(c), ORIGIN_FROM), y)) & reach for c in origin for y in sc.years[-1:]):
                wanted.add(code)
    frames = []
    for code, dt in whole.districts.items():
        if code not in wanted:
            continue
        m = (all_units["district_code"] == code).to_numpy()
        frames.append(_district(whole, dt, all_units[m].reset_index(drop=True), remote[m], seed, scale))
    out = pd.concat(frames, ignore_index=True)
    if sc.part_of:
        out = out[_scope_rows(out, sc.districts)]
    out = out.sort_values("year", kind="stable", ignore_index=True)
    for c in ("standard", "province_code", "district_code", "district_name", "former_district_code", "commune_code",
              "commune_name", "village", "area"):
        out[c] = out[c].astype("category")
    return out


def write_panel(panel: pd.DataFrame, path: str | Path) -> Path:
    """Write a panel to Parquet atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".parquet.tmp")
    os.close(fd)
    try:
        panel.to_parquet(tmp, index=False, compression="zstd")  # about a fifth smaller than snappy
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
