"""The national synthetic dataset: every commune of Vietnam (2025 units), written as partitioned Parquet.

About 27 million households a review year at scale 1 (3,321 communes of 34 provinces), generated
one province at a time in batches of communes (the whole country is never in memory), classified
by :func:`povlib.panel.classify_panel` batch by batch and written as
``OUT/year=2025/province_code=19/part-000.parquet`` (hive layout: the ``year`` and
``province_code`` columns are the folder names, so a query on one province reads only its files).

The model (every figure in ``data/targets/vietnam.toml``, marked published or assumption):

1. Households per commune in the first year ∝ ``area_km2 ** exponent``, times ``urban_factor`` for a
   phường, shared out as whole numbers of the national total (at least 1); then ``growth`` a year.
2. The national poor and near-poor households of each year (its rate × households) are shared over
   communes ∝ households × odds, the odds lower in dense and urban communes (exact national totals).
3. Each household has a latent welfare, AR(1) over the years (``rho``); some are dissolved and new
   ones formed each year (stable ``household_id``). In each commune and year the lowest-welfare
   households are made poor (income at or below the line, 3–6 deprivations) and the next ones
   near-poor (income at or below the line, 0–2), the others above the line, so that the statuses
   povlib classifies meet the commune's targets exactly (checked on every batch).

Columns are the demo panel's (``commune_code`` = 2025 code, ``district_code`` missing: no districts
from 01/07/2025), with the 12 indicators of Decree 07/2021.

Examples
--------
>>> t = load_targets(scale=0.001)
>>> len(t.communes), t.years, sorted(t.communes["province_code"].unique())[:3]
(3321, (2025, 2026), ['01', '04', '08'])
>>> int(t.households[2025].sum()) >= 27_000
True
"""
from __future__ import annotations

import math
import os
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .. import standards as _standards
from ..errors import PovlibInputError
from ..panel import classify_panel
from .names import FAMILY, GIVEN_F, head_names

__all__ = ["NationalTargets", "load_targets", "generate_national", "TARGETS"]

#: the calibration file of the national dataset
TARGETS = paths.PROJECT_DIR / "data" / "targets" / "vietnam.toml"
#: households per batch (about; a commune is never split)
BATCH = 400_000


@dataclass(frozen=True)
class NationalTargets:
    """Communes and whole-number targets per year (arrays aligned with ``communes``)."""

    standard: str
    years: tuple[int, ...]
    seed: int
    communes: pd.DataFrame          # code, province_code, full_name, area_km2, urban
    village_prefix: dict[str, str]  # area -> prefix of the village names
    households: dict[int, np.ndarray]
    poor: dict[int, np.ndarray]
    near_poor: dict[int, np.ndarray]
    rho: float
    dissolved: float


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Share ``total`` into whole numbers ∝ ``weights`` (largest remainder, ties to the earlier), vectorised.

    Examples
    --------
    >>> apportion(10, np.array([1.0, 1.0, 1.0])).tolist(), apportion(7, np.array([0.6, 0.2, 0.2])).tolist()
    ([4, 3, 3], [4, 2, 1])
    """
    w = np.asarray(weights, dtype=np.float64)
    exact = total * (w / w.sum())
    out = np.floor(exact).astype(np.int64)
    rest = int(total - out.sum())
    if rest > 0:
        order = np.lexsort((np.arange(len(w)), -(exact - out)))
        out[order[:rest]] += 1
    return out


def load_targets(path: str | Path | None = None, *, scale: float = 1.0,
                 years: Sequence[int] | None = None) -> NationalTargets:
    """Read ``data/targets/vietnam.toml`` and turn it into whole numbers per commune and year."""
    p = Path(path) if path is not None else TARGETS
    raw = tomllib.loads(p.read_text(encoding="utf-8"))
    all_years = tuple(int(y) for y in raw["years"])
    years = all_years if not years else tuple(sorted(int(y) for y in years))
    first = min(all_years)
    if any(y not in all_years for y in years):
        raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"years {years} ∉ {all_years}")
    if not (scale > 0 and math.isfinite(scale)):
        raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"scale = {scale}")
    com = pd.read_csv(p.parent / raw["communes"], dtype={"code": str, "province_code": str})
    com["urban"] = com["full_name"].str.startswith(raw["urban_unit_prefix"])
    dens, hh_cfg, rate_cfg = raw["density"], raw["households"], raw["rates"]
    weight = com["area_km2"].to_numpy() ** dens["exponent"] * np.where(com["urban"], dens["urban_factor"], 1.0)
    total = max(int(round(hh_cfg["total_first_year"] * scale)), 1)
    n = np.maximum(np.array(apportion(total, weight)), 1)
    households, poor, near = {}, {}, {}
    log_density = np.log(n / com["area_km2"].to_numpy())
    log_odds = -rate_cfg["density_slope"] * (log_density - log_density.mean()) - rate_cfg["urban_shift"] * com["urban"]
    odds = np.exp(log_odds.to_numpy(dtype=np.float64))
    for y in all_years:
        if y > first:
            n = np.round(n * (1 + hh_cfg["growth"])).astype(np.int64)
        households[y] = n
        P = int(round(rate_cfg["poor"][str(y)] / 100 * n.sum()))
        Q = int(round(rate_cfg["near_poor"][str(y)] / 100 * n.sum()))
        poor[y] = np.minimum(apportion(P, n * odds), n)
        near[y] = np.minimum(apportion(Q, n * odds), n - poor[y])
    return NationalTargets(raw["standard"], years, int(raw["seed"]), com, dict(raw["village_prefix"]),
                           {y: households[y] for y in years}, {y: poor[y] for y in years},
                           {y: near[y] for y in years}, float(rate_cfg["rho"]), float(hh_cfg["dissolved"]))


def _commune(t: NationalTargets, i: int, std) -> list[dict[str, np.ndarray]]:
    """Every review year of commune ``i`` (numeric raw inputs, one dict of arrays a year); vectorised."""
    c = t.communes.iloc[i]
    code, urban = str(c["code"]), bool(c["urban"])
    rng = np.random.default_rng([t.seed, int(code)])
    area = "urban" if urban else "rural"
    line = std.lines[area].poor
    ids = np.arange(0)
    welfare = np.zeros(0)
    static: dict[str, np.ndarray] = {}
    out = []
    next_id = 0
    m = len(std.indicator_ids)
    for y in t.years:
        n = int(t.households[y][i])
        if y == t.years[0]:
            keep = np.zeros(0, dtype=np.int64)
        else:  # dissolve some, keep the others' order, add new ones
            k = len(ids)
            drop = min(int(round(k * t.dissolved)), k)
            keep = np.sort(rng.choice(k, size=k - drop, replace=False))[:n]
        new = n - len(keep)
        new_ids = np.arange(next_id, next_id + new)
        next_id += new
        fresh = {"members": np.clip(1 + rng.poisson(2.6, new), 1, 15).astype(np.int16),
                 "ethnic_minority": rng.random(new) < (0.08 if urban else 0.2),
                 "meritorious": rng.random(new) < 0.02,
                 "social_protection": rng.random(new) < 0.03,
                 "no_labour_capacity": rng.random(new) < 0.02,
                 "female_head": rng.random(new) < 0.25,
                 "family": rng.integers(0, len(FAMILY), new).astype(np.int8),
                 "given": rng.integers(0, len(GIVEN_F), new).astype(np.int8),
                 "id_number": rng.integers(10**11, 10**12, new)}
        static = {k: np.concatenate([v[keep], fresh[k]]) for k, v in static.items()} if static else fresh
        shock = rng.standard_normal(n)
        welfare = np.concatenate([t.rho * welfare[keep] + math.sqrt(1 - t.rho**2) * shock[:len(keep)],
                                  shock[len(keep):]])
        ids = np.concatenate([ids[keep], new_ids])
        # statuses by welfare rank: the lowest are poor, the next near-poor (the targets, met exactly)
        rank = np.empty(n, dtype=np.int64)
        rank[np.argsort(welfare, kind="stable")] = np.arange(n)
        p, q = int(t.poor[y][i]), int(t.near_poor[y][i])
        is_poor, is_near = rank < p, (rank >= p) & (rank < p + q)
        below = is_poor | is_near
        income = np.where(below, np.floor(line * rng.uniform(0.45, 1.0, n)),
                          line + 1 + np.floor(line * rng.exponential(0.9, n))).astype(np.int64)
        d = np.where(is_poor, 3 + rng.binomial(3, 0.3, n),
                     np.where(is_near, rng.integers(0, 3, n), rng.binomial(4, 0.12, n)))
        order = np.argsort(np.argsort(rng.random((n, m)), axis=1), axis=1)  # a random order of the indicators
        ind = (order < d[:, None]).astype(np.int8)
        score = std.scores[area].poor
        b1 = np.where(income <= line, (score * income) // line, score + 1 + (score * (income - line)) // line)
        frame = {
            "commune": np.full(n, i, dtype=np.int32),
            "hid": ids,
            "village_no": 1 + ids % max(1, n // 150),
            **static,
            "income": income,
            "b1_score": np.clip(b1, 0, 1000).astype(np.int16),
            "b2_score": (10 * d).astype(np.int16),
        }
        for j, name in enumerate(std.indicator_ids):
            frame[name] = ind[:, j]
        out.append(frame)
    return out


def _frame(t: NationalTargets, parts: list[dict[str, np.ndarray]], year: int) -> pd.DataFrame:
    """One year of a batch of communes as the demo panel's columns (text built once per batch)."""
    a = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    n = len(a["hid"])
    com = t.communes
    ci = a.pop("commune")
    code = pd.Categorical.from_codes(ci - ci.min(), categories=com["code"].iloc[ci.min():ci.max() + 1].to_numpy())
    urban = com["urban"].to_numpy()[ci]
    female = a.pop("female_head")
    frame = {
        "household_id": (pd.Series(code).astype(str) + "-" + pd.Series(a.pop("hid")).astype(str).str.zfill(7)).to_numpy(),
        "year": np.full(n, year, dtype=np.int16),
        "standard": pd.Categorical([t.standard] * n),
        "province_code": com["province_code"].to_numpy()[ci],
        "district_code": pd.array([pd.NA] * n, dtype="string"),
        "district_name": pd.array([pd.NA] * n, dtype="string"),
        "commune_code": code,
        "commune_name": pd.Categorical(com["full_name"].to_numpy()[ci]),
        "village": pd.Categorical(pd.Series(np.where(urban, t.village_prefix["urban"] + " ", t.village_prefix["rural"] + " ")) + pd.Series(a.pop("village_no")).astype(str)),
        "area": pd.Categorical(np.where(urban, "urban", "rural")),
        "members": a.pop("members"),
    }
    for k in ("ethnic_minority", "meritorious", "social_protection", "no_labour_capacity"):
        frame[k] = a.pop(k)
    frame["female_head"] = female
    frame["head_name"] = head_names(a.pop("family"), a.pop("given"), female)
    frame["id_number"] = a.pop("id_number").astype(str)
    frame.update(a)
    return pd.DataFrame(frame)




def _write(frame: pd.DataFrame, folder: Path, part: int) -> int:
    """Write one part file atomically (partition columns left to the folder names); its size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"part-{part:03d}.parquet"
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".parquet.tmp")
    os.close(fd)
    try:
        out = frame.drop(columns=["year", "province_code"])
        # text as plain strings (Parquet dictionary-encodes them anyway): a categorical's index width
        # depends on its number of categories and would differ between parts; the statuses keep theirs
        text = [c for c in out.columns if isinstance(out[c].dtype, pd.CategoricalDtype) and c not in ("status", "poor_via")]
        out = out.astype({c: "str" for c in text})
        out.to_parquet(tmp, index=False)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest.stat().st_size


def _flush(t: NationalTargets, batch: list[tuple[int, list[pd.DataFrame]]], root: Path, province: str,
           part: int) -> tuple[int, int]:
    """Classify a batch of communes year by year, check its statuses against the targets, write it."""
    rows = size = 0
    for k, y in enumerate(t.years):
        raw = _frame(t, [frames[k] for _, frames in batch], y)
        panel = classify_panel(raw)
        idx = np.array([i for i, _ in batch])
        got = panel.groupby("commune_code", observed=True)["status"].value_counts().unstack(fill_value=0)
        got = got.reindex(t.communes["code"].iloc[idx].to_numpy(), fill_value=0)
        for status, want in (("poor", t.poor[y][idx]), ("near_poor", t.near_poor[y][idx])):
            have = got[status].to_numpy() if status in got else np.zeros(len(idx), dtype=np.int64)
            if not np.array_equal(have, want):
                raise PovlibInputError.from_key("synth.targets_inconsistent",
                                                what=f"{status} {y} {province}: {have.sum()} ≠ {want.sum()}")
        size += _write(panel, root / f"year={y}" / f"province_code={province}", part)
        rows += len(panel)
    return rows, size


def generate_national(out: str | Path, *, years: Sequence[int] | None = None,
                      provinces: Sequence[str] | None = None, scale: float = 1.0,
                      batch: int = BATCH) -> dict[str, float]:
    """Write the national dataset under ``out``; returns ``rows``, ``bytes`` and ``seconds``.

    ``provinces`` (2-digit 2025 codes) writes a sample: the targets stay those of the whole
    country (each commune gets the same households whatever the sample).
    """
    start = time.perf_counter()
    t = load_targets(scale=scale, years=years)
    std = _standards.get(t.standard)
    known = sorted(t.communes["province_code"].unique())
    chosen = known if not provinces else [str(p).zfill(2) for p in provinces]
    bad = [p for p in chosen if p not in known]
    if bad:
        raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"province_code {', '.join(bad)}")
    root = Path(out)
    rows = size = 0
    for province in chosen:
        part, pending, count = 0, [], 0
        for i in np.flatnonzero(t.communes["province_code"].to_numpy() == province):
            pending.append((int(i), _commune(t, int(i), std)))
            count += int(t.households[t.years[-1]][i])
            if count >= batch:
                r, s = _flush(t, pending, root, province, part)
                rows, size, part, pending, count = rows + r, size + s, part + 1, [], 0
        if pending:
            r, s = _flush(t, pending, root, province, part)
            rows, size = rows + r, size + s
    return {"rows": rows, "bytes": size, "seconds": time.perf_counter() - start}
