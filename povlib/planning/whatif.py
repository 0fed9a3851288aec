"""What-if scenarios: close deprivation gaps, reclassify, compare with the baseline.

An intervention closes one or more indicators (sets them to 0) for a set of
households of one review year:

* ``health_insurance`` – every deprived household gets health insurance for
  all its members;
* ``housing`` – the N most deprived households of each chosen commune that
  lack decent housing (ranked by ``deprivation_count``, ties broken by
  ``household_id``);
* ``water`` / ``latrine`` – every deprived household of the chosen communes;
* ``info_assets`` – a TV or radio for households deprived of information
  assets.

The indicators, selection rule and unit cost of each intervention are data
(``[[interventions]]`` in the policies rules). After closing the gaps the
households are classified again with :func:`povlib.classify_households` under
their own standard (``b2_score`` is recomputed so that it stays consistent
with the indicators). A household reviewed with the B2 score only has no known
gap: no intervention reaches it (``WhatIfResult.b2_only`` counts them).

Under Decision 59/2015 closing gaps can move a household that is poor
*through deprivation* to near-poor, but an *income-poor* household stays poor;
under Decree 07/2021 (no income-only branch) closing gaps can lift any poor
household with income at or below the line to near-poor. Either way closing
gaps never makes a household poorer.

Examples
--------
>>> import pandas as pd
>>> from povlib.planning import Scenario, Intervention, run_scenario, load_policies
>>> df = pd.DataFrame({"household_id": ["a", "b"], "commune_code": ["02020"] * 2,
...     "commune_name": ["X"] * 2, "area": ["rural"] * 2, "members": [4, 2],
...     "income": [800_000, 600_000], **{c: [1, 1] if c in ("water_source", "latrine", "housing_quality")
...     else [0, 0] for c in ["adult_education", "child_schooling", "health_access", "health_insurance",
...     "housing_quality", "living_area", "water_source", "latrine", "telecom", "info_assets"]}})
>>> res = run_scenario(df, Scenario("demo", (Intervention("water"),)), load_policies(overrides=None))
>>> int(res.by_unit["poor_base"].iloc[0]), int(res.by_unit["poor_scen"].iloc[0]), int(res.by_unit["lifted"].iloc[0])
(2, 1, 1)
>>> int(res.by_unit["cost"].iloc[0])
10000000
>>> s = whatif_summary(res)
>>> s.lifted, s.cost_per_lifted, s.income_poor_share, res.standards
(1, 10000000, 0.5, ('QD59_2015',))
"""
from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..classify import count_deprivations
from ..columns import is_in
from ..errors import PovlibInputError
from ..i18n import t
from ..panel import classify_panel, indicator_rows
from ..sorting import sums_by
from ..standards import DEFAULT_STANDARD
from ..textfile import read_utf8, toml_position
from .policies import PolicySet

__all__ = [
    "Intervention",
    "Scenario",
    "WhatIfResult",
    "WhatIfSummary",
    "close_gaps",
    "load_scenario",
    "reclassify",
    "run_scenario",
    "scenario_from_dict",
    "select_households",
    "whatif_summary",
]


@dataclass(frozen=True)
class Intervention:
    """One intervention of a scenario.

    Parameters
    ----------
    kind : str
        Id of an ``[[interventions]]`` entry of the policies file
        ('health_insurance', 'housing', 'water', 'latrine', 'info_assets').
    communes : tuple of str
        5-digit commune codes it applies to (empty: every commune).
    n : int, optional
        For 'top_n' interventions (housing): households per commune.
    """

    kind: str
    communes: tuple[str, ...] = ()
    n: int | None = None


@dataclass(frozen=True)
class Scenario:
    """A named list of interventions plus optional amount and parameter overrides for the plan."""

    name: str = ""
    interventions: tuple[Intervention, ...] = ()
    amounts: Mapping[str, int | None] = field(default_factory=dict)
    parameters: Mapping[str, int | float] = field(default_factory=dict)
    intervention_costs: Mapping[str, int | None] = field(default_factory=dict)

    def apply_to(self, policies: PolicySet) -> PolicySet:
        """The policy set with this scenario's parameters, amounts and unit costs."""
        return (policies.with_parameters(self.parameters).with_amounts(self.amounts)
                .with_intervention_costs(self.intervention_costs))


def scenario_from_dict(data: Mapping, source: str = "") -> Scenario:
    """Build a :class:`Scenario` from parsed TOML/JSON.

    Shape::

        name = "Nước sạch cho Xuân Lạc"
        [[interventions]]
        kind = "water"            # or "type"
        communes = ["02023"]
        [[interventions]]
        kind = "housing"
        communes = ["02023", "02026"]
        n = 20
        [amounts]                 # optional: fixed unit amounts of policies (VND)
        learning_cost = 120000
        [parameters]              # optional: parameter values
        base_salary = 1600000
        [intervention_costs]      # optional: what-if unit costs (VND)
        water = 6000000
    """
    ivs = []
    try:
        for i, item in enumerate(data.get("interventions", []), start=1):
            kind = item.get("kind", item.get("type"))
            if not kind:
                raise KeyError(f"interventions[{i}].kind")
            communes = item.get("communes", [])
            if isinstance(communes, str):
                communes = [communes]
            n = item.get("n")
            if n is not None and (isinstance(n, bool) or int(n) != n or n < 0):
                raise ValueError(f"interventions[{i}].n = {n!r}")
            ivs.append(Intervention(str(kind), tuple(str(c).zfill(5) for c in communes), None if n is None else int(n)))
        sc = Scenario(
            name=str(data.get("name", "")),
            interventions=tuple(ivs),
            amounts=dict(data.get("amounts", {})),
            parameters=dict(data.get("parameters", {})),
            intervention_costs=dict(data.get("intervention_costs", {})),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PovlibInputError.from_key("plan.err.scenario_entry", file=source, detail=str(exc)) from exc
    return sc


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a TOML or JSON file (see :func:`scenario_from_dict`)."""
    p = Path(path)
    if not p.exists():
        raise PovlibInputError.from_key("plan.err.scenario_missing", path=str(p))
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(read_utf8(p))
        elif p.suffix.lower() == ".toml":
            data = tomllib.loads(read_utf8(p))
        else:
            raise PovlibInputError.from_key("plan.err.scenario_suffix", file=p.name)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise PovlibInputError(*(t("plan.err.scenario_syntax", lang, file=p.name, detail=toml_position(str(exc), lang))
                                 for lang in ("vi", "en"))) from exc
    if not isinstance(data, Mapping):
        raise PovlibInputError.from_key("plan.err.scenario_shape", file=p.name)
    return scenario_from_dict(data, p.name)


# --------------------------------------------------------------------------------------------
# mechanics
# --------------------------------------------------------------------------------------------
def _standard_ids(df: pd.DataFrame, default: str = DEFAULT_STANDARD) -> list[str]:
    if "standard" in df.columns:
        return [str(s) for s in pd.unique(df["standard"].astype(object))]
    return [default]


def close_gaps(df: pd.DataFrame, mask: np.ndarray, indicators: Sequence[str]) -> pd.DataFrame:
    """Copy of ``df`` with ``indicators`` set to 0 where ``mask`` is true.

    Indicator columns absent from ``df`` are ignored (an intervention may name
    the indicator of both standards, e.g. ``info_assets`` / ``info_access``).
    ``b2_score``, when present, is recomputed from the indicators.
    """
    out = df.copy()
    mask = np.asarray(mask, dtype=bool)
    for col in indicators:
        if col in out.columns:
            v = out[col].to_numpy().copy()
            v[mask] = 0
            out[col] = pd.Series(v, index=out.index).astype(out[col].dtype)
    return out


def reclassify(df: pd.DataFrame, standard: str | None = None) -> pd.DataFrame:
    """Classify again after the indicators changed (``b2_score`` recomputed to match).

    ``standard`` None uses the ``standard`` column when present, else QD59_2015.
    A household's ``b2_score`` counts the indicators of the standard it was
    reviewed under (its ``standard`` column; else ``standard``): recomputed
    where it gives them, kept where it was reviewed with the B2 score only (or
    has none). The households are then classified as
    :func:`povlib.panel.classify_panel` does (under a what-if ``standard``:
    the indicators both standards share, :func:`povlib.classify.count_deprivations`).
    """
    work = df.copy()
    std_arg: str | None = standard
    if standard is None and "standard" not in work.columns:
        std_arg = DEFAULT_STANDARD
    if "b2_score" in work.columns:
        b2 = pd.to_numeric(work["b2_score"]).to_numpy(dtype=np.float64, na_value=np.nan).copy()
        if "standard" in work.columns:
            known_ids = set(_standards.available())  # a blank or unknown standard: its B2 is kept
            groups = [(sid, (work["standard"].astype(object) == sid).to_numpy()) for sid in _standard_ids(work)
                      if sid in known_ids]
        else:
            groups = [(std_arg, np.ones(len(work), dtype=bool))]
        for sid, rows in groups:
            std = _standards.get(sid)
            known = rows & indicator_rows(work, std)
            b2[known] = _count(work, known, std)
        work["b2_score"] = pd.Series(b2, index=work.index).astype(df["b2_score"].dtype)
    return classify_panel(work, std_arg)


def _count(df: pd.DataFrame, rows: np.ndarray, std: _standards.Standard) -> np.ndarray:
    """B2 points of ``rows`` from their indicators of ``std``."""
    if not rows.any():
        return np.zeros(0, dtype=np.int64)
    # the indicators alone (no b2_score beside them: it is what is being recomputed), counted by the classifier
    cnt = count_deprivations(df.loc[rows, list(std.indicator_ids)], std).astype(np.int64)
    return cnt * std.points_per_deprivation


def _b2_only_count(df: pd.DataFrame, standard: str | None = None) -> int:
    """Households reviewed with the B2 score only: without the indicators of the standard they were reviewed
    under (their ``standard`` column; else ``standard``, by default QD59_2015)."""
    if "standard" not in df.columns:
        return int((~indicator_rows(df, standard or DEFAULT_STANDARD)).sum())
    known = np.zeros(len(df), dtype=bool)
    for sid in _standard_ids(df):
        known |= (df["standard"].astype(object) == sid).to_numpy() & indicator_rows(df, sid)
    return int((~known).sum())


def select_households(df: pd.DataFrame, iv: Intervention, policies: PolicySet) -> np.ndarray:
    """Boolean mask of the households an intervention reaches (deprived in one of its indicators)."""
    d = policies.intervention(iv.kind)
    cols = [c for c in d.indicators if c in df.columns]
    # no indicator column (reviewed with the B2 score only), or a blank one: no known gap, not reached
    deprived = np.zeros(len(df), dtype=bool)
    for c in cols:
        deprived = deprived | (df[c].to_numpy(dtype=np.float64, na_value=np.nan) == 1)
    if iv.communes:
        if "commune_code" not in df.columns:
            raise PovlibInputError.from_key("plan.err.no_commune_code", column="commune_code")
        deprived &= is_in(df["commune_code"], iv.communes)
    if d.selection == "deprived":
        return deprived
    # top_n: the n most deprived (by deprivation_count, then household_id) per commune
    if iv.n is None:
        raise PovlibInputError(*(t("plan.err.iv_needs_n", lang, name=d.name(lang)) for lang in ("vi", "en")))
    if "deprivation_count" not in df.columns:
        raise PovlibInputError.from_key("plan.err.not_classified_count", column="deprivation_count")
    unit = df["commune_code"].astype(str).to_numpy() if "commune_code" in df.columns else np.zeros(len(df), dtype=object)
    hid = df["household_id"].astype(str).to_numpy() if "household_id" in df.columns else np.arange(len(df)).astype(str)
    pos = np.flatnonzero(deprived)
    if len(pos) == 0:
        return deprived
    order = np.lexsort((hid[pos], -df["deprivation_count"].to_numpy(dtype=np.int64)[pos], unit[pos]))
    ranked = pos[order]
    rank = pd.Series(unit[ranked]).groupby(unit[ranked], sort=False).cumcount().to_numpy()
    mask = np.zeros(len(df), dtype=bool)
    mask[ranked[rank < iv.n]] = True
    return mask


@dataclass
class WhatIfResult:
    """Outcome of :func:`run_scenario`.

    Attributes
    ----------
    by_unit : DataFrame
        Per unit (commune): ``households``, ``poor_base``, ``poor_scen``,
        ``near_poor_base``, ``near_poor_scen``, the four rates (fractions),
        ``income_poor_base``, ``deprivation_poor_base``, ``lifted`` (poor at
        baseline, not poor in the scenario), ``reached`` (households reached),
        ``cost`` (VND), ``cost_per_lifted`` (VND, NaN when none lifted).
    total : DataFrame
        The same for all units together (one row).
    by_intervention : DataFrame
        Per intervention: ``kind``, ``name``, ``households`` reached,
        ``people`` in them, ``units`` paid for, ``unit_cost``, ``cost``,
        ``confirmed``.
    baseline, scenario : DataFrame
        Households of the year, classified before and after.
    income_only_poor : bool
        Whether the standard has an income-only poor branch (then closing gaps
        cannot lift income-poor households).
    standards : tuple of str
        Ids of the standards the households were classified under (sorted).
    b2_only : int
        Households reviewed with the B2 score only: their indicators are not
        known, so no intervention reaches them.
    """

    by_unit: pd.DataFrame
    total: pd.DataFrame
    by_intervention: pd.DataFrame
    baseline: pd.DataFrame
    scenario: pd.DataFrame
    income_only_poor: bool
    standards: tuple[str, ...] = ()
    b2_only: int = 0

    def without_households(self) -> WhatIfResult:
        """The same result without the household tables (small enough to cache per scenario)."""
        return dataclasses.replace(self, baseline=self.baseline.iloc[0:0], scenario=self.scenario.iloc[0:0])


@dataclass(frozen=True)
class WhatIfSummary:
    """The figures of a scenario over all units (the ``total`` row), as plain numbers.

    ``*_rate_*`` are fractions; ``income_poor_share`` is the share of the
    baseline poor who are poor by income (None without poor households);
    ``cost_per_lifted`` is whole VND (None when nobody is lifted).
    """

    poor_base: int
    poor_scen: int
    near_poor_base: int
    near_poor_scen: int
    poor_rate_base: float
    poor_rate_scen: float
    near_poor_rate_base: float
    near_poor_rate_scen: float
    income_poor_base: int
    lifted: int
    reached: int
    cost: int
    cost_per_lifted: int | None
    income_poor_share: float | None


def whatif_summary(res: WhatIfResult) -> WhatIfSummary:
    """The total row of a :class:`WhatIfResult` as a :class:`WhatIfSummary`."""
    tt = res.total.iloc[0]
    ints = {c: int(tt[c]) for c in ("poor_base", "poor_scen", "near_poor_base", "near_poor_scen", "income_poor_base",
                                    "lifted", "reached", "cost")}
    rates = {c: float(tt[c]) for c in ("poor_rate_base", "poor_rate_scen", "near_poor_rate_base", "near_poor_rate_scen")}
    per = None if pd.isna(tt["cost_per_lifted"]) else round(float(tt["cost_per_lifted"]))
    share = ints["income_poor_base"] / ints["poor_base"] if ints["poor_base"] else None
    return WhatIfSummary(**ints, **rates, cost_per_lifted=per, income_poor_share=share)


def _summary(base: pd.DataFrame, scen: pd.DataFrame, cost: np.ndarray, reached: np.ndarray,
             by_cols: list[str]) -> pd.DataFrame:
    bs = base["status"].astype(object).to_numpy()
    ss = scen["status"].astype(object).to_numpy()
    via = base["poor_via"].astype(object).to_numpy()
    frame = pd.DataFrame({
        **{c: base[c].astype(str).to_numpy() for c in by_cols},
        "households": np.ones(len(base), dtype=np.int64),
        "poor_base": (bs == "poor").astype(np.int64),
        "poor_scen": (ss == "poor").astype(np.int64),
        "near_poor_base": (bs == "near_poor").astype(np.int64),
        "near_poor_scen": (ss == "near_poor").astype(np.int64),
        "income_poor_base": ((bs == "poor") & (via == "income")).astype(np.int64),
        "deprivation_poor_base": ((bs == "poor") & (via == "deprivation")).astype(np.int64),
        "lifted": ((bs == "poor") & (ss != "poor")).astype(np.int64),
        "reached": reached.astype(np.int64),
        "cost": cost.astype(np.int64),
    })
    g = sums_by(frame, by_cols)
    hh = g["households"].where(g["households"] > 0)
    for s in ("poor", "near_poor"):
        for v in ("base", "scen"):
            g[f"{s}_rate_{v}"] = (g[f"{s}_{v}"] / hh).fillna(0.0)
    lifted = g["lifted"].where(g["lifted"] > 0)
    g["cost_per_lifted"] = g["cost"] / lifted
    return g


def run_scenario(
    df: pd.DataFrame,
    scenario: Scenario,
    policies: PolicySet,
    *,
    year: int | None = None,
    by: str | Sequence[str] | None = ("commune_code", "commune_name"),
    standard: str | None = None,
) -> WhatIfResult:
    """Apply a scenario's interventions to one review year and compare with the baseline.

    Parameters
    ----------
    df : DataFrame
        Households (raw or classified) with ``area``, ``income`` or
        ``b1_score``, the standard's indicator columns and ``members``.
    scenario : Scenario
    policies : PolicySet
        Source of the interventions' indicators and unit costs (the
        scenario's overrides are applied to it).
    year : int, optional
        Review year (required when ``df`` holds several years).
    by : str or list of str or None
        Units to compare (default: commune).
    standard : str, optional
        Classify under this standard (default: the ``standard`` column, else QD59_2015).

    Returns
    -------
    WhatIfResult

    Notes
    -----
    Interventions are applied in order; a household reached by two
    interventions closing the same indicator is paid for once (the second
    finds no gap). Costs are paid only for households whose gap was open.
    """
    pol = scenario.apply_to(policies)
    if year is not None:
        if "year" not in df.columns:
            raise PovlibInputError.from_key("plan.err.no_year_column", column="year")
        df = df.loc[(df["year"] == year).to_numpy()]
        if df.empty:
            raise PovlibInputError.from_key("plan.err.no_year_data", column="year", year=year)
    elif "year" in df.columns and df["year"].nunique() > 1:
        raise PovlibInputError.from_key("plan.err.several_years", column="year")
    base = reclassify(df, standard)
    if "members" not in base.columns:
        raise PovlibInputError.from_key("plan.err.no_members", column="members")
    members = base["members"].to_numpy(dtype=np.int64)
    work = base
    cost = np.zeros(len(base), dtype=np.int64)
    reached_any = np.zeros(len(base), dtype=bool)
    rows = []
    for iv in scenario.interventions:  # a handful of interventions; households are vectorised
        d = pol.intervention(iv.kind)
        mask = select_households(work, iv, pol)
        unit_cost = pol.intervention_cost(iv.kind)
        units = members * mask if d.unit == "person" else mask.astype(np.int64)
        c = units * (unit_cost or 0)
        cost += c
        reached_any |= mask
        rows.append({
            "kind": iv.kind, "name_vi": d.name("vi"), "name_en": d.name("en"),
            "communes": ", ".join(iv.communes), "n": iv.n,
            "households": int(mask.sum()), "people": int((members * mask).sum()),
            "unit": d.unit, "units": int(units.sum()), "unit_cost": unit_cost,
            "cost": int(c.sum()), "confirmed": pol.intervention_confirmed(iv.kind),
        })
        work = close_gaps(work, mask, d.indicators)
        if "deprivation_count" in work.columns:
            # keep the ranking of later top_n interventions on the updated counts
            work = reclassify(work, standard)
    scen = reclassify(work, standard) if scenario.interventions else base
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    by_cols = [c for c in by_cols if c in base.columns]
    by_unit = _summary(base, scen, cost, reached_any, by_cols)
    total = _summary(base, scen, cost, reached_any, [])
    by_iv = pd.DataFrame(rows, columns=["kind", "name_vi", "name_en", "communes", "n", "households", "people",
                                        "unit", "units", "unit_cost", "cost", "confirmed"])
    sids = [standard] if standard else _standard_ids(base)
    income_only = all(_standards.get(s).income_only_poor for s in sids)
    return WhatIfResult(by_unit, total, by_iv, base, scen, income_only, tuple(sorted(sids)),
                        b2_only=_b2_only_count(base, standard))
