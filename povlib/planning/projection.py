"""The next year's plan under the next year's standard: a projection from the last review.

The standard of a plan year follows from the rules data (:func:`povlib.standards.standard_for_year` of the
review year + 1). When it is not the standard the review was made under (the 2026 review under Decree
07/2021, the 2027 plan under Decree 351/2025), :func:`project` reclassifies the review's households at the
plan standard's lines and rule:

* income within the line (``income <= line`` of the household's area, rural or urban);
* deprivations counted on the plan standard's indicators **the data carry** (``used``); the indicators they
  lack (``missing``, e.g. household waste treatment and digital services in a 2026 review) are not invented:
  they count as not deprived, so ``status_plan`` is the fewest poor the data allow, and ``could_be_poor``
  marks the near-poor households that would be poor if their missing indicators were deprived;
  a household whose review left a used indicator blank (reviewed with the B score only) has it counted as
  not deprived too, and ``unknown_indicators`` says how many it lacks;
* poor = within the line and at least ``deprivation_cutoff`` deprivations, near-poor = within the line and
  fewer (a standard with an income-only branch, like Decision 59/2015, applies it too).

It is a projection, under a provisional standard when the plan standard is one
(:func:`povlib.standards.provisional_note`); the review's own income is used as it is (not updated to the
plan year). :func:`projection_by_commune` and :func:`transition_table` count it by commune;
:func:`projected_rows` gives the rows with the projected status, for :func:`~povlib.planning.eligibility`.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"commune_code": ["1", "1", "1"], "commune_name": ["A", "A", "A"],
...                    "year": [2026] * 3, "standard": ["ND07_2021"] * 3, "status": ["poor", "non_poor", "near_poor"],
...                    "area": ["rural", "urban", "rural"], "members": [4, 2, 3],
...                    "income": [2_200_000, 2_800_000, 2_200_001],
...                    **{c: [1, 0, 1] for c in ("health_insurance", "latrine", "water_source")}})
>>> pr = project(df, 2026)
>>> pr.target.plan_year, pr.target.plan_standard
(2027, 'ND351_2025')
>>> pr.households["status_plan"].tolist(), pr.households["transition"].tolist()
(['poor', 'near_poor', 'non_poor'], ['stays_poor', 'newly_near_poor', 'leaves_near_poor'])
>>> "waste_treatment" in pr.missing, pr.used
(True, ('health_insurance', 'water_source', 'latrine'))
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError, first_rows
from ..sorting import sums_by
from ..transitions import household_flows
from .budget import budget
from .edits import overrides_between
from .eligibility import eligibility
from .policies import PolicySet, load_policies
from .policy_periods import DatedPolicies, policies_for_year

__all__ = ["PlanTarget", "Projection", "TRANSITIONS", "plan_target", "project", "projection_by_commune",
           "transition_table", "projected_rows", "PlanProjection", "project_plan"]

_STATUSES = ("poor", "near_poor", "non_poor")
#: (review status, projected status) -> transition id (catalog ``plan.proj.tr.<id>``), in display order
TRANSITIONS: dict[tuple[str, str], str] = {
    ("poor", "poor"): "stays_poor", ("poor", "near_poor"): "poor_to_near_poor", ("poor", "non_poor"): "leaves_poor",
    ("near_poor", "poor"): "near_poor_to_poor", ("near_poor", "near_poor"): "stays_near_poor",
    ("near_poor", "non_poor"): "leaves_near_poor",
    ("non_poor", "poor"): "newly_poor", ("non_poor", "near_poor"): "newly_near_poor",
    ("non_poor", "non_poor"): "stays_non_poor",
}

#: the transition ids indexed by ``3 × review status + projected status`` (positions in ``_STATUSES``)
_TRANSITION_IDS = np.array([TRANSITIONS[(a, b)] for a in _STATUSES for b in _STATUSES], dtype=object)


@dataclass(frozen=True)
class PlanTarget:
    """The plan year after a review year and the standards of both (from the rules data)."""

    review_year: int
    plan_year: int
    review_standard: str
    plan_standard: str

    @property
    def projection(self) -> bool:
        """Whether the plan year's standard is not the review's: the plan is a projection."""
        return self.review_standard != self.plan_standard


def plan_target(review_year: int, review_standard: str | None = None) -> PlanTarget | None:
    """The plan year (``review_year + 1``) and its standard; None when no standard governs that year.

    ``review_standard``: the standard the rows were reviewed under (default: the review year's own).

    Examples
    --------
    >>> plan_target(2019).projection, plan_target(2026).plan_standard
    (False, 'ND351_2025')
    >>> plan_target(2030) is None
    True
    """
    plan_year = int(review_year) + 1
    try:
        std = _standards.standard_for_year(plan_year)
        own = review_standard or _standards.standard_for_year(int(review_year)).id
    except PovlibInputError:
        return None
    return PlanTarget(int(review_year), plan_year, str(own), std.id)


@dataclass(frozen=True)
class Projection:
    """The households of one review year with their projected status.

    ``households``: the review rows' columns ``commune_code``/``commune_name`` (when present), ``members``,
    ``status`` (the review's), ``status_plan``, ``deprivations_known`` (on ``used``), ``unknown_indicators``
    (missing or left blank), ``could_be_poor`` and
    ``transition`` (:data:`TRANSITIONS`), indexed like the review rows. ``used``/``missing``: the plan
    standard's indicators the data carry / lack.
    """

    target: PlanTarget
    households: pd.DataFrame
    used: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def standard(self) -> _standards.Standard:
        """The plan standard."""
        return _standards.get(self.target.plan_standard)


def _review_standard(rows: pd.DataFrame, year: int) -> str | None:
    if "standard" not in rows.columns or rows.empty:
        return None
    own = rows["standard"].astype(object).dropna().unique()
    return str(own[0]) if len(own) == 1 else None


def _income(rows: pd.DataFrame) -> np.ndarray:
    if "income" not in rows.columns:
        raise PovlibInputError.from_key("plan.proj.err.no_income", column="income")
    x = pd.to_numeric(rows["income"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.isnan(x) | (x < 0)
    if bad.any():
        r = first_rows(bad, rows.index)
        raise PovlibInputError.from_key("plan.proj.err.income", column="income", rows=r, lines=str(r))
    return x


def _area(rows: pd.DataFrame) -> np.ndarray:
    if "area" not in rows.columns:
        raise PovlibInputError.from_key("plan.err.no_area", column="area")
    a = rows["area"].astype(object).to_numpy()
    bad = (a != "rural") & (a != "urban")
    if bad.any():
        r = first_rows(bad, rows.index)
        raise PovlibInputError.from_key("plan.proj.err.area", column="area", rows=r, lines=str(r))
    return a == "urban"


def _deprivations(rows: pd.DataFrame, used: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Deprivations counted on ``used`` and, per household, the used indicators left blank (not counted)."""
    d = np.zeros(len(rows), dtype=np.int16)
    blank = np.zeros(len(rows), dtype=np.int16)
    for col in used:  # a dozen columns at most; households are vectorised
        v = pd.to_numeric(rows[col], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        empty = rows[col].isna().to_numpy()
        bad = (v != 0) & (v != 1) & ~empty
        if bad.any():
            r = first_rows(bad, rows.index)
            raise PovlibInputError.from_key("plan.proj.err.indicator", column=col, rows=r, col=col, lines=str(r))
        d += (v == 1).astype(np.int16)
        blank += empty.astype(np.int16)
    return d, blank


def project(df: pd.DataFrame, year: int, *, review_standard: str | None = None) -> Projection:
    """Project the households of the review ``year`` to the next year's standard (see the module docstring).

    Parameters
    ----------
    df : DataFrame
        Classified households (``status``, ``income``, ``area``, ``members``, indicator columns); a panel is
        cut to ``year``.
    year : int
        The review year.
    review_standard : str, optional
        The standard the rows were reviewed under (default: their ``standard`` column, else the year's own).

    Raises
    ------
    PovlibInputError
        No standard governs the next year, no rows of ``year``, no ``income`` (a review with scores only
        cannot be projected: the plan standard's score thresholds are not known), a bad income, area or
        indicator value (the message names the rows).
    """
    rows = df[(df["year"] == year).to_numpy()] if "year" in df.columns else df
    if rows.empty:
        raise PovlibInputError.from_key("plan.err.no_year_data", column="year", year=year)
    target = plan_target(year, review_standard or _review_standard(rows, year))
    if target is None:
        raise PovlibInputError.from_key("standards.err.no_year", year=int(year) + 1)
    std = _standards.get(target.plan_standard)
    # an indicator is used when the data carry it for some household (a column left blank throughout is missing)
    used = tuple(i for i in std.indicator_ids if i in rows.columns and rows[i].notna().any())
    missing = tuple(i for i in std.indicator_ids if i not in used)
    x, urban = _income(rows), _area(rows)
    d, blank = _deprivations(rows, used)
    ln = std.lines
    poor_line = np.where(urban, ln["urban"].poor, ln["rural"].poor)
    near_line = np.where(urban, ln["urban"].near_poor, ln["rural"].near_poor)
    within = x <= near_line
    income_poor = (x <= poor_line) if std.income_only_poor else np.zeros(len(rows), dtype=bool)
    poor = income_poor | (within & (d >= std.deprivation_cutoff))
    near = within & ~poor
    status_plan = np.where(poor, "poor", np.where(near, "near_poor", "non_poor")).astype(object)
    status = rows["status"].astype(object).to_numpy() if "status" in rows.columns else None
    if status is None:
        raise PovlibInputError.from_key("plan.err.not_classified", column="status")
    out = pd.DataFrame({c: rows[c].astype(object).to_numpy() for c in ("commune_code", "commune_name")
                        if c in rows.columns}, index=rows.index)
    out["members"] = pd.to_numeric(rows["members"], errors="coerce").fillna(0).astype(np.int64).to_numpy() \
        if "members" in rows.columns else 1
    out["status"] = status
    out["status_plan"] = status_plan
    out["income_poor_plan"] = income_poor
    out["deprivations_known"] = d
    out["unknown_indicators"] = blank + len(missing)
    out["could_be_poor"] = near & (d + blank + len(missing) >= std.deprivation_cutoff)
    si = pd.Categorical(status, categories=_STATUSES).codes.astype(np.int64)
    if (si < 0).any():  # a status outside poor / near-poor / non-poor
        r = first_rows(si < 0, rows.index)
        raise PovlibInputError.from_key("plan.proj.err.status", column="status", rows=r, lines=str(r))
    pi = np.where(poor, 0, np.where(near, 1, 2))
    out["transition"] = _TRANSITION_IDS[si * len(_STATUSES) + pi]
    return Projection(target, out, used, missing)


def _by_cols(h: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    return [c for c in cols if c in h.columns]


def _grouped(frame: pd.DataFrame, by_cols: list[str], total_label: str | None) -> pd.DataFrame:
    if not by_cols:
        return frame.sum().to_frame().T.astype(np.int64)
    g = sums_by(frame, by_cols)
    if total_label is not None:
        row = {c: "" for c in by_cols}
        row[by_cols[-1]] = total_label
        row.update({k: int(v) for k, v in frame.drop(columns=by_cols).sum().items()})
        g = pd.concat([g, pd.DataFrame([row])], ignore_index=True)
    for c in frame.columns:
        if c not in by_cols:
            g[c] = g[c].astype(np.int64)
    return g


def projection_by_commune(pr: Projection, by: str | Sequence[str] | None = ("commune_code", "commune_name"), *,
                          total_label: str | None = None) -> pd.DataFrame:
    """Households and people, poor and near-poor, at the review and projected, per unit.

    Columns: ``households``, ``poor_review``, ``near_poor_review``, ``poor_plan``, ``near_poor_plan``,
    ``non_poor_plan`` (the three add up to ``households``), ``could_be_poor``, ``people_poor_plan``,
    ``people_near_poor_plan``; with a total row when ``total_label`` is given.
    """
    h = pr.households
    by_cols = _by_cols(h, by)
    m = h["members"].to_numpy(dtype=np.int64)
    st, sp = h["status"].to_numpy(), h["status_plan"].to_numpy()
    frame = pd.DataFrame({
        **{c: h[c].to_numpy() for c in by_cols},
        "households": np.ones(len(h), dtype=np.int64),
        "poor_review": st == "poor", "near_poor_review": st == "near_poor",
        "poor_plan": sp == "poor", "near_poor_plan": sp == "near_poor", "non_poor_plan": sp == "non_poor",
        "could_be_poor": h["could_be_poor"].to_numpy(dtype=bool),
        "people_poor_plan": m * (sp == "poor"), "people_near_poor_plan": m * (sp == "near_poor"),
    }, index=h.index)
    return _grouped(frame, by_cols, total_label)


def transition_table(pr: Projection, by: str | Sequence[str] | None = ("commune_code", "commune_name"), *,
                     total_label: str | None = None) -> pd.DataFrame:
    """Households per unit and transition (review status -> projected status), one column per
    :data:`TRANSITIONS` id (they add up to the unit's households, column ``households``)."""
    h = pr.households
    by_cols = _by_cols(h, by)
    tr = h["transition"].to_numpy()
    frame = pd.DataFrame({**{c: h[c].to_numpy() for c in by_cols},
                          "households": np.ones(len(h), dtype=np.int64),
                          **{k: tr == k for k in TRANSITIONS.values()}}, index=h.index)
    return _grouped(frame, by_cols, total_label)


def projected_rows(df: pd.DataFrame, pr: Projection) -> pd.DataFrame:
    """``df`` with the review year's rows carrying the projected status (``status``, ``poor_via``,
    ``standard``), for :func:`~povlib.planning.eligibility`; earlier review years are left as they are
    (a support given once looks at them)."""
    out = df.copy()
    idx = pr.households.index
    if "standard" in out.columns:
        out["standard"] = out["standard"].astype(object)
        out.loc[idx, "standard"] = pr.target.plan_standard
    out["status"] = out["status"].astype(object)
    out.loc[idx, "status"] = pr.households["status_plan"].to_numpy()
    via = np.where(pr.households["status_plan"].to_numpy() != "poor", None,
                   np.where(pr.households["income_poor_plan"].to_numpy(), "income", "deprivation"))
    out["poor_via"] = out["poor_via"].astype(object) if "poor_via" in out.columns else None
    out.loc[idx, "poor_via"] = via
    return out


@dataclass(frozen=True)
class PlanProjection:
    """The projected plan: the :class:`Projection`, the policies of the plan year
    (:class:`~povlib.planning.policy_periods.DatedPolicies`) and the budget table of
    :func:`~povlib.planning.budget` on the projected households."""

    projection: Projection
    policies: DatedPolicies
    budget: pd.DataFrame


def _plan_year_policies(policies: PolicySet, plan_year: int) -> DatedPolicies:
    """The period's amounts of ``plan_year`` over ``policies``, then every value of ``policies`` that differs from
    the rules as shipped (an officer's override, this session's edit, a file of the office's own): those win, as
    in :func:`~povlib.planning.plan_policies`, and are not carried forward."""
    dp = policies_for_year(policies, plan_year)
    own = overrides_between(load_policies(overrides=None), policies)
    if not len(own):
        return dp
    ids = {f"param:{k}" for k in own.parameters} | {f"policy:{k}" for k in own.amounts}
    return DatedPolicies(dp.policies.with_overrides(own), dp.year, dp.period, tuple(c for c in dp.carried if c not in ids))


def project_plan(df: pd.DataFrame, year: int, policies: PolicySet, *, review_standard: str | None = None,
                 difficult: pd.DataFrame | None | str = "default") -> PlanProjection:
    """Project the review ``year`` (:func:`project`) and cost the plan year with its period's amounts
    (:func:`~povlib.planning.policy_periods.policies_for_year`).

    ``df`` holds the review year's rows and may hold earlier reviews of the same households (a support
    given once, and the recently escaped, look at them: they keep their reviewed status).

    Examples
    --------
    >>> import pandas as pd
    >>> from povlib.planning import load_policies
    >>> df = pd.DataFrame({"commune_code": ["1", "1"], "commune_name": ["A", "A"], "year": [2026, 2026],
    ...                    "status": ["near_poor", "non_poor"], "area": ["rural", "rural"], "members": [4, 2],
    ...                    "income": [2_000_000, 3_000_000], "health_insurance": [1, 1], "latrine": [1, 0],
    ...                    "water_source": [1, 0]})
    >>> pp = project_plan(df, 2026, load_policies(overrides=None), difficult=None)
    >>> b = pp.budget.set_index("policy_id")
    >>> int(b.loc["health_insurance_poor", "people"]), int(b.loc["health_insurance_poor", "budget"])
    (4, 5054400)
    >>> bool(b.loc["health_insurance_poor", "confirmed"])
    False
    """
    pr = project(df, year, review_standard=review_standard)
    dp = _plan_year_policies(policies, pr.target.plan_year)
    multi = {"household_id", "year"} <= set(df.columns) and df["year"].nunique() > 1
    flows = household_flows(df) if multi and "recently_escaped" not in df.columns else None
    elig = eligibility(projected_rows(df, pr), dp.policies, year=year, difficult=difficult, flows=flows)
    return PlanProjection(pr, dp, budget(elig, dp.policies))
