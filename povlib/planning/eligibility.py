"""Who qualifies: target-group flags per household and eligible units per policy and commune.

Eligibility is read from povlib's classification (``status``) and, for
recently escaped households, :func:`povlib.transitions.household_flows`;
nothing is recounted by hand.

Double counting
---------------
Health-insurance policies carry ``covered_elsewhere = "health_insurance"``:
members of ethnic-minority households living in an extremely difficult
commune already receive state-paid health insurance, so they are counted as
``already_covered`` and left out of the budget.

Examples
--------
>>> import pandas as pd
>>> from povlib.planning import load_policies
>>> df = pd.DataFrame({"gso_code_2019": ["02020", "02020"], "commune_name": ["A", "A"],
...                    "status": ["poor", "near_poor"], "members": [4, 3],
...                    "area": ["rural", "rural"], "ethnic_minority": [False, False]})
>>> e = eligibility(df, load_policies(overrides=None), difficult=None)
>>> e.set_index("policy_id").loc["health_insurance_near_poor", ["households", "people", "funded_units"]].tolist()
[1, 3, 3]
>>> household_groups(df)[["poor", "near_poor"]].to_numpy().tolist()
[[True, False], [False, True]]
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError, first_rows
from ..i18n import t
from ..transitions import household_flows
from .difficult import load_difficult_communes
from .policies import Policy, PolicySet

__all__ = ["eligibility", "household_groups"]


def _status_arrays(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if "status" not in df.columns:
        raise PovlibInputError.from_key("plan.err.not_classified", column="status")
    s = df["status"].astype(object).to_numpy()
    return s == "poor", s == "near_poor"


def household_groups(df: pd.DataFrame, *, year: int | None = None, flows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Boolean target-group flags per household of one review year.

    Parameters
    ----------
    df : DataFrame
        Classified households (``status``); a multi-year panel (``household_id``,
        ``year``) gives ``recently_escaped`` through
        :func:`povlib.transitions.household_flows`.
    year : int, optional
        Keep this review year (required when ``df`` holds several years).
    flows : DataFrame, optional
        Precomputed ``household_flows(df)`` (indexed like ``df``).

    Returns
    -------
    DataFrame
        The rows of ``year`` with ``poor``, ``near_poor``, ``recently_escaped``
        and, for each indicator column present, ``deprived:<indicator>``.
        ``attrs['recently_escaped_known']`` is False when the table has a single
        year and no ``recently_escaped`` column (then no household is flagged).
    """
    known = True
    if "recently_escaped" in df.columns:
        rec = df["recently_escaped"].fillna(False).to_numpy(dtype=bool)
    elif flows is not None:
        rec = flows.loc[df.index, "recently_escaped"].to_numpy(dtype=bool)
    elif {"household_id", "year"} <= set(df.columns) and df["year"].nunique() > 1:
        rec = household_flows(df)["recently_escaped"].to_numpy(dtype=bool)
    else:
        rec = np.zeros(len(df), dtype=bool)
        known = False
    if year is not None:
        if "year" not in df.columns:
            raise PovlibInputError.from_key("plan.err.no_year_column", column="year")
        keep = (df["year"] == year).to_numpy()
        if not keep.any():
            raise PovlibInputError.from_key("plan.err.no_year_data", column="year", year=year)
        sub, rec = df.loc[keep], rec[keep]
    else:
        if "year" in df.columns and df["year"].nunique() > 1:
            raise PovlibInputError.from_key("plan.err.several_years", column="year")
        sub = df
    poor, near = _status_arrays(sub)
    out = pd.DataFrame({"poor": poor, "near_poor": near, "recently_escaped": rec & ~poor}, index=sub.index)
    ind_cols = {i for s in _standards.available() for i in _standards.get(s).indicator_ids}
    for col in sorted(ind_cols & set(sub.columns)):
        out[f"deprived:{col}"] = sub[col].to_numpy() == 1
    out.attrs["recently_escaped_known"] = known
    return out


def _target_mask(p: Policy, groups: pd.DataFrame, area: np.ndarray | None) -> np.ndarray:
    def flag(g: str) -> np.ndarray:
        if g not in groups.columns:
            raise PovlibInputError(*(t("plan.err.group_data", lang, name=p.name(lang), group=g) for lang in ("vi", "en")),
                                   column=g.split(":")[-1])
        return groups[g].to_numpy(dtype=bool)

    m = np.zeros(len(groups), dtype=bool)
    for g in p.groups:
        m |= flag(g)
    for g in p.exclude_groups:
        m &= ~flag(g)
    if p.area:
        if area is None:
            raise PovlibInputError.from_key("plan.err.no_area", column="area")
        m &= np.isin(area, list(p.area))
    return m


def _pupils(sub: pd.DataFrame, ps: PolicySet) -> tuple[np.ndarray, bool]:
    """Pupils per household (float) and whether they are estimated."""
    if "pupils" in sub.columns:
        v = pd.to_numeric(sub["pupils"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isnan(v) | (v < 0) | (v != np.floor(v))
        if bad.any():
            rows = first_rows(bad, sub.index)
            raise PovlibInputError.from_key("plan.err.pupils", column="pupils", rows=rows, lines=str(rows))
        return v, False
    share = ps.parameter_values.get("pupils_per_member")
    if share is None:
        raise PovlibInputError.from_key("plan.err.no_pupils")
    return _members(sub) * float(share), True


def _members(sub: pd.DataFrame) -> np.ndarray:
    if "members" not in sub.columns:
        raise PovlibInputError.from_key("plan.err.no_members", column="members")
    return sub["members"].to_numpy(dtype=np.int64)


def _covered_hi(sub: pd.DataFrame, difficult: pd.DataFrame | None) -> np.ndarray:
    """Households whose members already get state-paid health insurance (ethnic minority in an
    extremely difficult commune)."""
    if difficult is None or "ethnic_minority" not in sub.columns or "gso_code_2019" not in sub.columns:
        return np.zeros(len(sub), dtype=bool)
    codes = set(difficult.loc[difficult["extremely_difficult"], "gso_code_2019"])
    in_ed = sub["gso_code_2019"].astype(str).isin(codes).to_numpy()
    return in_ed & sub["ethnic_minority"].fillna(False).to_numpy(dtype=bool)


def eligibility(
    df: pd.DataFrame,
    policies: PolicySet,
    *,
    year: int | None = None,
    by: str | Sequence[str] | None = ("gso_code_2019", "commune_name"),
    difficult: pd.DataFrame | None | str = "default",
    flows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Eligible households, people and units per policy and unit (commune).

    Parameters
    ----------
    df : DataFrame
        Classified households (one year, or a panel with ``year`` given).
    policies : PolicySet
    year : int, optional
        Review year to plan from.
    by : str or list of str or None
        Grouping columns (None: one row per policy for the whole table).
    difficult : DataFrame or None or "default"
        Extremely difficult communes (:func:`load_difficult_communes`);
        "default" reads the shipped file, None disables the double-counting rule.
    flows : DataFrame, optional
        Precomputed :func:`povlib.transitions.household_flows` of ``df``.

    Returns
    -------
    DataFrame
        Long table: ``by`` columns, ``policy_id``, ``households``, ``people``,
        ``units`` (beneficiaries in the policy's unit: households, people or
        pupils), ``already_covered`` (units covered by another scheme),
        ``funded_units = units − already_covered`` (integers) and
        ``units_estimated`` (True when pupils are estimated).
    """
    if isinstance(difficult, str):
        difficult = load_difficult_communes()
    groups = household_groups(df, year=year, flows=flows)
    sub = df.loc[groups.index]
    members = _members(sub)
    area = sub["area"].astype(object).to_numpy() if "area" in sub.columns else None
    pupils, pupils_est = _pupils(sub, policies)
    covered = _covered_hi(sub, difficult)
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    by_cols = [c for c in by_cols if c in sub.columns] if by_cols else []
    keys = {c: sub[c].astype(str).to_numpy() for c in by_cols}

    parts = []
    for p in policies.policies:  # a handful of policies; households are vectorised
        m = _target_mask(p, groups, area)
        hh = m.astype(np.int64)
        ppl = members * m
        if p.unit == "household":
            units, est = hh.astype(np.float64), False
        elif p.unit == "person":
            units, est = ppl.astype(np.float64), False
        else:
            units, est = pupils * m, pupils_est
        cov_mask = m & covered if p.covered_elsewhere == "health_insurance" else np.zeros(len(m), dtype=bool)
        if p.unit == "household":
            cov = cov_mask.astype(np.float64)
        elif p.unit == "person":
            cov = (members * cov_mask).astype(np.float64)
        else:
            cov = pupils * cov_mask
        frame = pd.DataFrame({**keys, "households": hh, "people": ppl, "units": units, "already_covered": cov})
        if by_cols:
            g = frame.groupby(by_cols, sort=True).sum().reset_index()
        else:
            g = frame.drop(columns=list(keys)).sum().to_frame().T
        g.insert(len(by_cols), "policy_id", p.id)
        g["units_estimated"] = est
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    # estimated pupils are rounded per unit (half up), then counts are integers
    for c in ("units", "already_covered"):
        out[c] = np.floor(out[c].to_numpy(dtype=np.float64) + 0.5 + 1e-9).astype(np.int64)
    for c in ("households", "people"):
        out[c] = out[c].astype(np.int64)
    out["funded_units"] = out["units"] - out["already_covered"]
    out.attrs["recently_escaped_known"] = groups.attrs.get("recently_escaped_known", True)
    out.attrs["pupils_estimated"] = pupils_est
    return out
