"""Seeded generator of the synthetic demo household panel.

Real household lists are personal data and not public, so the bundled demo
panel is synthetic. This module makes it from the raw review inputs a
commune would record – area, household size, group flags, the ten
deprivation indicators, an income estimate and the review scores B1/B2 – and
never writes a status: :func:`povlib.load_demo` classifies the raw inputs with
:func:`povlib.classify_households`.

The units are the territory's (:mod:`povlib.synth.territory`), the figures
to meet are the scope's calibration targets (:mod:`povlib.synth.targets`,
``data/targets/*.toml``): the same code builds the Chợ Đồn panel (22 communes) and the Bắc Kạn panel
(122 communes, 8 districts). How it works:

1. Households per commune in proportion to the source population, growing by
   ``household_growth`` a year through household splits, with a few dissolved.
2. Each household has a latent welfare that follows an AR(1) process over the
   years (so statuses change at plausible rates) and is lower for ethnic
   minorities, large households and remote communes.
3. Commune targets: each district's rate for the year is spread over its
   communes by remoteness (distance from the district town) on the logit
   scale, the town lowest, so that the household-weighted mean equals the
   district's target.
4. Deprivations are persistent latent thresholds driven by welfare,
   remoteness and a yearly improvement.
5. Income per person is ``exp(mu + sigma * welfare)``; ``mu`` per commune and
   year is solved exactly (by sorting, not by search) so that the number of
   households the legal rules classify as poor equals the commune's target,
   and ``sigma`` per district and year by bisection so that the near-poor
   share meets its target.

Examples
--------
>>> from povlib.synth.generator import generate, income_to_b1
>>> panel = generate("cho-don", scale=0.02)
>>> sorted(panel["year"].unique().tolist()), panel["gso_code_2019"].nunique(), "status" in panel
([2016, 2017, 2018, 2019], 22, False)
>>> income_to_b1(np.array([700_000, 701_000]), np.array([0, 0])).tolist()
[120, 121]
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .. import standards as _standards
from .names import FAMILY, N_GIVEN, head_names, pick_villages, village_names
from .targets import Scope, load_scope

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
}
_RHO = 0.95            # year-to-year persistence of welfare
_RHO_DEP = 0.90        # year-to-year persistence of each deprivation latent
_DISSOLVE = 0.008      # share of households dissolved each year
#: unit types of towns in the GSO code list (``unit_type`` values: data vocabulary, not UI text)
_TOWN_TYPES = ("Thị trấn", "Phường")


def _remoteness(scope: Scope) -> np.ndarray:
    """0..1 per unit: distance of its centroid from its district's town, scaled in the district."""
    import geopandas as gpd

    gdf = gpd.read_file(scope.territory.communes_geojson)
    gdf = gdf.set_index("gso_code_2019").loc[scope.units["gso_code_2019"]].to_crs(32648)
    cent = gdf.geometry.centroid
    x, y = cent.x.to_numpy(), cent.y.to_numpy()
    out = np.zeros(len(scope.units))
    types = scope.units["unit_type"].to_numpy()
    for d in scope.units["district_code"].unique():
        m = (scope.units["district_code"] == d).to_numpy()
        towns = m & np.isin(types, list(_TOWN_TYPES))
        cx, cy = (x[towns].mean(), y[towns].mean()) if towns.any() else (x[m].mean(), y[m].mean())
        dist = np.hypot(x[m] - cx, y[m] - cy)
        out[m] = dist / dist.max() if dist.max() > 0 else 0.0
    return out


def _household_shares(sc: Scope, pop: np.ndarray) -> np.ndarray:
    """Share of the scope's households per unit.

    In proportion to the source population; when the scope states a published
    province rate for its last year, people per household are let grow with the
    district's poverty rate (poorer, mostly ethnic-minority districts have
    larger households: an assumption) by the one factor that makes the
    household-weighted district rates meet the province rate.
    """
    share = pop / pop.sum()
    target = sc.province_poor.get(sc.years[-1])
    if target is None:
        return share
    dcodes = sc.units["district_code"].to_numpy()
    rate = np.array([sc.district_poor[d][sc.years[-1]] for d in dcodes])
    lo, hi = -20.0, 20.0
    for _ in range(80):
        lam = (lo + hi) / 2
        w = share * np.exp(-lam * rate)
        w = w / w.sum()
        if (w * rate).sum() > target:
            lo = lam
        else:
            hi = lam
    return w


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


def income_to_b1(income: np.ndarray, urban: np.ndarray, standard: str = "QD59_2015") -> np.ndarray:
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
        x = inc[m]
        below = ps - ((pl - x) * span_s) // span_i            # floor: <= ps when x <= pl
        mid = ps - ((pl - x) * span_s) // span_i               # (pl, nl]: ceil of positive part
        mid = ps + -((-(x - pl) * span_s) // span_i)
        above = ns + -((-(x - nl) * span_s) // span_i)
        out[m] = np.where(x <= pl, below, np.where(x <= nl, mid, above))
    return np.clip(out, 0, 1000)


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
        Multiplies the number of households (e.g. 0.05 for quick tests).

    Returns
    -------
    DataFrame
        One row per household and review year.
    """
    sc = load_scope(scope)
    rng = np.random.default_rng(sc.seed if seed is None else seed)
    std = _standards.get(sc.standard)
    units = sc.units
    n_units = len(units)
    urban_u = units["unit_type"].isin(list(_TOWN_TYPES)).to_numpy().astype(np.int8)
    remote_u = _remoteness(sc)
    pop = units["source_population"].to_numpy(dtype=float)
    years = sc.years
    last = years[-1]
    hh_last = np.maximum(np.round(sc.households_last * scale * _household_shares(sc, pop)), 20).astype(int)

    # ---- households alive in the first year -------------------------------------------
    first_n = np.round(hh_last / (1 + sc.growth) ** (last - years[0])).astype(int)
    unit_idx = np.repeat(np.arange(n_units), first_n)

    def new_households(u_idx: np.ndarray) -> dict[str, np.ndarray]:
        k = len(u_idx)
        urb = urban_u[u_idx]
        em = rng.random(k) < np.where(urb == 1, 0.55, 0.93)
        size = np.minimum(1 + rng.poisson(3.0, k), 12)
        female = rng.random(k) < 0.22
        merit = rng.random(k) < 0.03
        base = rng.standard_normal(k)
        return {
            "unit": u_idx, "ethnic_minority": em, "members": size, "female_head": female,
            "meritorious": merit, "welfare0": base, "head_birth": rng.integers(1940, 1996, k),
            "name_family": rng.integers(0, len(FAMILY), k), "name_given": rng.integers(0, N_GIVEN, k),
            "id_tail": rng.integers(0, 1_000_000, k), "village_draw": rng.random(k),
            "dep_latent": rng.standard_normal((k, len(std.indicator_ids))),
            "noise_sp": rng.random(k), "noise_nl": rng.random(k),
        }

    hh = new_households(unit_idx)
    serial_next = np.zeros(n_units, dtype=np.int64)
    hh["serial"] = np.zeros(len(unit_idx), dtype=np.int64)
    for u in range(n_units):  # per commune (not per household): serial numbers
        m = hh["unit"] == u
        hh["serial"][m] = np.arange(1, m.sum() + 1)
        serial_next[u] = m.sum() + 1
    hh["alive"] = np.ones(len(unit_idx), dtype=bool)

    villages = []
    for u in range(n_units):
        nv = max(3, int(round(hh_last[u] / 75)))
        villages.append(village_names(rng, nv, bool(urban_u[u])))

    welfare = hh["welfare0"].copy()
    frames = []
    for t_i, year in enumerate(years):
        if t_i > 0:
            # dissolve a few, then add splits to reach this year's count per unit
            alive = hh["alive"]
            dissolve = alive & (rng.random(len(alive)) < _DISSOLVE)
            hh["alive"] = alive & ~dissolve
            target_n = np.round(hh_last / (1 + sc.growth) ** (last - year)).astype(int)
            have = np.bincount(hh["unit"][hh["alive"]], minlength=n_units)
            add = np.maximum(target_n - have, 0)
            if add.sum():
                nu = np.repeat(np.arange(n_units), add)
                new = new_households(nu)
                new["serial"] = np.zeros(len(nu), dtype=np.int64)
                offs = np.concatenate([[0], np.cumsum(add)[:-1]])
                new["serial"] = serial_next[nu] + (np.arange(len(nu)) - np.repeat(offs, add))
                serial_next += add
                new["alive"] = np.ones(len(nu), dtype=bool)
                # new (split) households start younger and smaller
                new["members"] = np.minimum(1 + rng.poisson(1.8, len(nu)), 8)
                new["head_birth"] = rng.integers(1975, 2000, len(nu))
                for key in hh:
                    hh[key] = np.concatenate([hh[key], new[key]])
                welfare = np.concatenate([welfare, new["welfare0"]])
            # AR(1) welfare and deprivation latents
            welfare = _RHO * welfare + np.sqrt(1 - _RHO**2) * rng.standard_normal(len(welfare))
            hh["dep_latent"] = _RHO_DEP * hh["dep_latent"] + np.sqrt(1 - _RHO_DEP**2) * rng.standard_normal(hh["dep_latent"].shape)

        a = hh["alive"]
        u = hh["unit"][a]
        urb = urban_u[u]
        rem = remote_u[u]
        size = hh["members"][a]
        em = hh["ethnic_minority"][a]
        w = welfare[a] - 0.35 * em - 0.07 * (size - 4) + 0.25 * hh["meritorious"][a] - 0.6 * rem + 0.5 * urb
        no_labour = hh["noise_nl"][a] < 0.015 + 0.05 * (w < -1.2)
        w = w - 0.6 * no_labour
        social = hh["noise_sp"][a] < 0.03 + 0.06 * (w < -1.0)

        # deprivations: persistent latent thresholds
        k_ind = len(std.indicator_ids)
        dep = np.zeros((len(u), k_ind), dtype=np.int8)
        improve = 0.18 * (year - years[0])
        for j, ind in enumerate(std.indicator_ids):
            base, beta = _INDICATOR_BASE.get(ind, (0.08, 0.9))
            score = _logit(base) - beta * w + 0.8 * rem - 0.8 * urb - improve
            dep[:, j] = (score - 1.7 * hh["dep_latent"][a][:, j] > 0).astype(np.int8)
        d_count = dep.sum(axis=1)

        # income: exact per-commune calibration of mu so that the legal rules give the target count
        lines_poor = np.where(urb == 1, std.lines["urban"].poor, std.lines["rural"].poor).astype(float)
        lines_near = np.where(urb == 1, std.lines["urban"].near_poor, std.lines["rural"].near_poor).astype(float)
        cutoff = np.where((d_count >= std.deprivation_cutoff), lines_near, lines_poor) if std.income_only_poor else \
            np.where(d_count >= std.deprivation_cutoff, lines_near, -np.inf)
        dcodes = units["district_code"].to_numpy()
        mu = np.empty(len(u))
        sigma = np.empty(len(u))
        log_near = np.log(lines_near)
        for dcode in np.unique(dcodes):
            um = np.flatnonzero(dcodes == dcode)
            n_c = np.bincount(u, minlength=n_units)[um]
            r_c = _commune_targets(sc.district_poor[dcode][year], n_c, remote_u[um], urban_u[um])
            sels = [np.flatnonzero(u == ui) for ui in um]
            dsel = np.concatenate(sels)
            near_target = sc.district_near[dcode][year]

            def solve(sig: float) -> float:
                """Set mu per commune for spread ``sig``; return the district near-poor rate."""
                with np.errstate(divide="ignore"):
                    m_i = np.log(cutoff) - sig * w  # poor iff mu <= m_i
                for sel, r in zip(sels, r_c):
                    target = int(round(r * len(sel)))
                    srt = np.sort(m_i[sel])[::-1]
                    if target <= 0:
                        mu[sel] = srt[0] + 0.01
                    elif target >= len(sel):
                        mu[sel] = srt[-1] - 0.01
                    else:
                        mu[sel] = (srt[target - 1] + srt[target]) / 2
                x = mu[dsel] + sig * w[dsel]
                poor = x <= m_i[dsel] + sig * w[dsel]
                return float((~poor & (x <= log_near[dsel])).mean())

            lo, hi = 0.03, 2.0  # the near-poor share falls as the spread grows
            for _ in range(30):
                mid = (lo + hi) / 2
                if solve(mid) > near_target:
                    lo = mid
                else:
                    hi = mid
            solve(hi)
            sigma[dsel] = hi
        income = np.round(np.exp(mu + sigma * w)).astype(np.int64)

        v_idx = (hh["village_draw"][a] * np.array([len(villages[x]) for x in u])).astype(int)
        female = hh["female_head"][a]
        head_name = head_names(hh["name_family"][a], hh["name_given"][a], female)
        birth = hh["head_birth"][a]
        century_sex = np.where(birth >= 2000, 2, 0) + female.astype(int)
        id_number = ("006" + pd.Series(century_sex).astype(str) + pd.Series(birth % 100).astype(str).str.zfill(2)
                     + pd.Series(hh["id_tail"][a]).astype(str).str.zfill(6)).to_numpy()
        gso = units["gso_code_2019"].to_numpy()[u]
        frame = {
            "household_id": (pd.Series(gso) + "-" + pd.Series(hh["serial"][a]).astype(str).str.zfill(5)).to_numpy(),
            "year": np.full(len(u), year, dtype=np.int16),
            "standard": sc.standard,
            "province_code": units["province_code"].to_numpy()[u],
            "district_code": dcodes[u],
            "district_name": units["district_name"].to_numpy()[u],
            "gso_code_2019": gso,
            "commune_name": units["full_name"].to_numpy()[u],
            "village": pick_villages(villages, u, v_idx),
            "area": np.where(urb == 1, "urban", "rural"),
            "members": size.astype(np.int16),
            "ethnic_minority": em,
            "meritorious": hh["meritorious"][a],
            "social_protection": social,
            "no_labour_capacity": no_labour,
            "female_head": female,
            "head_name": head_name,
            "id_number": id_number,
            "income": income,
            "b1_score": income_to_b1(income, urb, sc.standard).astype(np.int16),
            "b2_score": (d_count * std.points_per_deprivation).astype(np.int16),
        }
        for j, ind in enumerate(std.indicator_ids):
            frame[ind] = dep[:, j]
        frames.append(pd.DataFrame(frame))
    out = pd.concat(frames, ignore_index=True)
    for c in ("standard", "province_code", "district_code", "district_name", "gso_code_2019", "commune_name", "village", "area"):
        out[c] = out[c].astype("category")
    return out


def write_panel(panel: pd.DataFrame, path: str | Path) -> Path:
    """Write a panel to Parquet atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".parquet.tmp")
    os.close(fd)
    try:
        panel.to_parquet(tmp, index=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
