"""Who qualifies: target-group flags per household and eligible units per policy and commune.

Eligibility is read from povlib's classification (``status``) and, for
recently escaped households, :func:`povlib.transitions.household_flows`;
nothing is recounted by hand.

Double counting
---------------
Health-insurance policies carry ``covered_elsewhere = "health_insurance"``:
people *living* in an extremely difficult commune already receive state-paid
health insurance whatever their poverty status (docs/poverty-rules.md §4:
"People in extremely difficult communes and ethnic minorities there already
get state-paid health insurance"), so the members of every household of such
a commune are counted as ``already_covered`` and left out of the budget. The
net count depends on the list of communes: ``units_confirmed`` is False for
the rows of these policies whose communes are not confirmed in the list.

Given once
----------
A policy with ``once_per_household`` (the set-top box, docs/poverty-rules.md
§4: "one … per household, once") counts the households that already received
it as ``already_covered``: the data's ``received_column`` when present
(``settop_box_received``: true/false, missing = not received), otherwise the
households that were in the policy's groups (poor or near-poor) in an earlier
review year of the table – assumption: each earlier year's plan was carried
out, so they got theirs then. ``attrs['once_basis']`` says which
(``column``, ``history`` or ``none`` when the table has no earlier review: the
first year of a panel, or a single year).

Share rule
----------
For a policy with a second reading of its state share (see
:mod:`povlib.planning.policies`), ``other_share_units`` are the funded units
outside ``full_share_groups`` (missing when the data cannot tell, e.g. no
``poor_via`` column).

Examples
--------
>>> import pandas as pd
>>> from povlib.planning import load_policies
>>> df = pd.DataFrame({"commune_code": ["02020", "02020"], "commune_name": ["A", "A"],
...                    "status": ["poor", "near_poor"], "members": [4, 3],
...                    "area": ["rural", "rural"], "ethnic_minority": [False, False]})
>>> e = eligibility(df, load_policies(overrides=None), difficult=None)
>>> e.set_index("policy_id").loc["health_insurance_near_poor", ["households", "people", "funded_units"]].tolist()
[1, 3, 3]
>>> household_groups(df)[["poor", "near_poor"]].to_numpy().tolist()
[[True, False], [False, True]]

The rows of one year in view and the earlier reviews of the same households (what the planning page plans from):

>>> p = pd.DataFrame({"household_id": ["a", "a", "b"], "year": [2018, 2019, 2019]})
>>> with_earlier_reviews(p, p[p["year"] == 2019])["household_id"].tolist()
['a', 'a', 'b']
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError, first_rows
from ..i18n import t
from ..sorting import sums_by
from ..transitions import household_flows
from ..units import same_unit
from .difficult import BOOL_TEXT, load_difficult_communes
from .policies import Policy, PolicySet

__all__ = ["eligibility", "household_groups", "with_earlier_reviews", "profile_columns"]


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
        The rows of ``year`` with ``poor``, ``near_poor``, ``recently_escaped``,
        ``income_poor`` and ``deprivation_poor`` (when ``poor_via`` is present)
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
    if "poor_via" in sub.columns:
        via = sub["poor_via"].astype(object).to_numpy()
        out["income_poor"] = poor & (via == "income")
        out["deprivation_poor"] = poor & (via == "deprivation")
    ind_cols = {i for s in _standards.available() for i in _standards.get(s).indicator_ids}
    for col in sorted(ind_cols & set(sub.columns)):
        out[f"deprived:{col}"] = sub[col].to_numpy() == 1
    out.attrs["recently_escaped_known"] = known
    return out


def with_earlier_reviews(panel: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows in view of one review year, preceded by the earlier reviews of the same households.

    What a plan needs besides the year's rows: the set-top box is given once,
    so a household that was poor or near-poor in an earlier review (wherever it
    lived then) already received one. ``rows`` is a selection of ``panel``
    (same index); the earlier rows come from the whole ``panel``.
    """
    if rows.empty or "year" not in rows.columns or "household_id" not in rows.columns:
        return rows
    before = (panel["year"] < rows["year"].min()).to_numpy()
    earlier = panel[before & _member(panel["household_id"], rows["household_id"])]
    return pd.concat([earlier, rows]) if len(earlier) else rows


def profile_columns(policies: PolicySet) -> list[str]:
    """The data columns a plan under ``policies`` reads besides the usual ones: the indicators its groups
    name (``deprived:<indicator>``) and the columns saying a support was received (for
    :func:`povlib.query.plan_profiles`).

    Examples
    --------
    >>> from povlib.planning import load_policies
    >>> profile_columns(load_policies(overrides=None))
    ['health_insurance', 'settop_box_received']
    """
    cols: list[str] = []
    for p in policies.policies:
        for g in (*p.groups, *p.exclude_groups, *p.full_share_groups):
            if g.startswith("deprived:"):
                cols.append(g.split(":", 1)[1])
        if p.received_column:
            cols.append(p.received_column)
    return list(dict.fromkeys(cols))


def _member(values: pd.Series, among: pd.Series) -> np.ndarray:
    """``values.isin(among)`` through integer codes (``isin`` on text ids is slow); missing ids never match."""
    codes, uniques = pd.factorize(pd.concat([values, among], ignore_index=True))
    seen = np.zeros(len(uniques) + 1, dtype=bool)  # the last slot takes the missing ids (code -1)
    seen[codes[len(values):]] = True
    seen[-1] = False
    return seen[codes[:len(values)]]


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


def _covered_hi(sub: pd.DataFrame, difficult: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Households whose members already get state-paid health insurance (living in an extremely
    difficult commune, docs/poverty-rules.md §4), and whether that is known from a confirmed row of the list.

    Without a list (``difficult`` None) the rule is off and nothing depends on it; without a
    ``commune_code`` column nobody can be found in the list, so nothing is confirmed. A row of the list names a
    commune of its ``unit_year``: it matches a household's commune only in the years its code names that same
    unit (:func:`povlib.units.same_unit`; the 2020 and 2025 reforms reused codes), never on the code alone.
    """
    n = len(sub)
    if difficult is None:
        return np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
    if "commune_code" not in sub.columns:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    ids, uniq = pd.factorize(sub["commune_code"].astype(str).array)  # compared as integers, once per code
    pos = {str(c): i for i, c in enumerate(uniq)}
    years = sub["year"].to_numpy() if "year" in sub.columns else None

    def rows_of(entries: pd.DataFrame) -> np.ndarray:
        # a code of the list matches a household's commune only where it names the same unit in the household's
        # year as in the list's (the 2020 and 2025 reforms reused codes); a list without years: the code alone
        hit = np.zeros(n, dtype=bool)
        for code, unit_year in zip(entries["commune_code"], entries.get("unit_year", [pd.NA] * len(entries))):
            if str(code) not in pos:
                continue
            at = ids == pos[str(code)]
            if pd.isna(unit_year) or "year" not in sub.columns:  # no period to compare: the code alone
                hit |= at
                continue
            for y in np.unique(years[at]):  # the few review years in view
                if int(y) == int(unit_year) or same_unit(code, int(unit_year), int(y)):
                    hit |= at & (years == y)
        return hit

    return (rows_of(difficult.loc[difficult["extremely_difficult"]]),
            rows_of(difficult.loc[difficult["confirmed"]]))


#: yes/no spellings of a "received" column: those of the communes list, plus x / yes / no and empty (= no)
_YES = {**BOOL_TEXT, "x": True, "yes": True, "no": False, "": False}


def _flag(sub: pd.DataFrame, col: str) -> np.ndarray:
    """A yes/no column (bool, 0/1 or true/false/có/không text); missing = no."""
    s = sub[col]
    if s.dtype == bool:
        return s.to_numpy()
    txt = s.astype(object).where(s.notna(), "").astype(str).str.strip().str.lower()
    txt = txt.str.replace(r"\.0$", "", regex=True)  # 1.0 / 0.0 from a numeric column with gaps
    val = txt.map(_YES)
    bad = val.isna().to_numpy()
    if bad.any():
        rows = first_rows(bad, sub.index)
        raise PovlibInputError.from_key("plan.err.received_flag", column=col, rows=rows, col=col, lines=str(rows))
    return val.to_numpy(dtype=bool)


def _received(df: pd.DataFrame, sub: pd.DataFrame, p: Policy, year: int | None) -> tuple[np.ndarray, str]:
    """Households that already received a once-per-household support, and the basis (column/history/none).

    Household profiles (:func:`povlib.query.plan_profiles`) carry the history as ``earlier_<status>`` flags."""
    if p.received_column and p.received_column in sub.columns:
        return _flag(sub, p.received_column), "column"
    none = np.zeros(len(sub), dtype=bool), "none"
    if "earlier_review" in sub.columns:  # profiles: the engine read the earlier reviews
        if not sub["earlier_review"].to_numpy(dtype=bool).any():
            return none
        was = np.zeros(len(sub), dtype=bool)
        for g in p.groups:
            if f"earlier_{g}" in sub.columns:
                was |= sub[f"earlier_{g}"].to_numpy(dtype=bool)
        return was, "history"
    if year is None or "year" not in df.columns or "household_id" not in df.columns:
        return none
    earlier = (df["year"] < year).to_numpy()
    if not earlier.any():
        return none
    was = earlier & df["status"].isin(list(p.groups)).to_numpy()
    return _member(sub["household_id"], df.loc[was, "household_id"]), "history"


def _in_units(unit: str, mask: np.ndarray, members: np.ndarray, pupils: np.ndarray) -> np.ndarray:
    """The households of ``mask`` counted in a policy's unit (households, people or pupils), as floats."""
    if unit == "household":
        return mask.astype(np.float64)
    if unit == "person":
        return (members * mask).astype(np.float64)
    return pupils * mask


def eligibility(
    df: pd.DataFrame,
    policies: PolicySet,
    *,
    year: int | None = None,
    by: str | Sequence[str] | None = ("commune_code", "commune_name"),
    difficult: pd.DataFrame | None | str = "default",
    flows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Eligible households, people and units per policy and unit (commune).

    Parameters
    ----------
    df : DataFrame
        Classified households (one year, or a panel with ``year`` given), or household profiles
        (:func:`povlib.query.plan_profiles`: a ``weight`` column, households alike counted once).
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
        pupils), ``already_covered`` (units covered by another scheme, or that
        already received a support given once), ``funded_units = units −
        already_covered`` (integers), ``units_estimated`` (True when pupils are
        estimated), ``units_confirmed`` (False when the net count depends on
        unconfirmed rows of the extremely-difficult-communes list, or on
        pupils estimated with an unconfirmed share) and
        ``other_share_units`` (nullable integer: funded units outside the full
        share under a policy's second reading of the state share – missing when
        the data cannot tell, e.g. a household reviewed with the B2 score only
        whose indicator decides; 0 for other policies). ``attrs``: ``recently_escaped_known``, ``pupils_estimated``
        and ``once_basis`` (policy id -> ``column`` / ``history`` / ``none``).
    """
    if isinstance(difficult, str):
        difficult = load_difficult_communes()
    groups = household_groups(df, year=year, flows=flows)
    sub = df.loc[groups.index]
    members = _members(sub)
    # household profiles (povlib.query.plan_profiles): a row stands for ``weight`` households alike
    weight = sub["weight"].to_numpy(dtype=np.int64) if "weight" in sub.columns else np.ones(len(sub), dtype=np.int64)
    area = sub["area"].astype(object).to_numpy() if "area" in sub.columns else None
    pupils, pupils_est = _pupils(sub, policies)
    pupils_share_confirmed = any(q.id == "pupils_per_member" and q.confirmed for q in policies.parameters)
    covered, covered_known = _covered_hi(sub, difficult)
    cur_year = year if year is not None else (sub["year"].iloc[0] if "year" in sub.columns and len(sub) else None)
    once_basis: dict[str, str] = {}
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    by_cols = [c for c in by_cols if c in sub.columns] if by_cols else []
    keys = {c: sub[c].astype(str).array for c in by_cols}  # text arrays as they are (no Python strings)

    parts = []
    other_known: dict[str, bool] = {}
    for p in policies.policies:  # a handful of policies; households are vectorised
        m = _target_mask(p, groups, area)
        hh = m.astype(np.int64)
        ppl = members * m
        est = pupils_est if p.unit == "pupil" else False
        cov_mask = np.zeros(len(m), dtype=bool)
        unconfirmed = np.zeros(len(m), dtype=np.int64)
        if p.covered_elsewhere == "health_insurance":
            cov_mask |= m & covered
            unconfirmed = (m & ~covered_known).astype(np.int64)
        if est and not pupils_share_confirmed:
            unconfirmed = m.astype(np.int64)  # pupils estimated with an unconfirmed share
        if p.once_per_household:
            received, once_basis[p.id] = _received(df, sub, p, cur_year)
            cov_mask |= m & received
        other = np.zeros(len(m), dtype=bool)
        other_known[p.id] = True
        if p.has_share_rule:
            if all(g in groups.columns for g in p.full_share_groups):
                full = np.zeros(len(m), dtype=bool)
                unknown = np.zeros(len(m), dtype=bool)  # reviewed with the B2 score only: indicator not known
                for g in p.full_share_groups:
                    full |= groups[g].to_numpy(dtype=bool)
                    if g.startswith("deprived:"):
                        unknown |= sub[g.split(":", 1)[1]].isna().to_numpy()
                other = m & ~cov_mask & ~full
                if (other & unknown).any():
                    other_known[p.id] = False
            else:
                other_known[p.id] = False
        frame = pd.DataFrame({**keys, "households": hh * weight, "people": ppl * weight,
                              **{c: _in_units(p.unit, mk, members, pupils) * weight for c, mk in
                                 (("units", m), ("already_covered", cov_mask), ("other_share_units", other))},
                              "unconfirmed": unconfirmed * weight})
        g = sums_by(frame, by_cols)
        g.insert(len(by_cols), "policy_id", p.id)
        g["units_estimated"] = est
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    # estimated pupils are rounded per unit (half up), then counts are integers
    for c in ("units", "already_covered", "other_share_units"):
        out[c] = np.floor(out[c].to_numpy(dtype=np.float64) + 0.5 + 1e-9).astype(np.int64)
    for c in ("households", "people"):
        out[c] = out[c].astype(np.int64)
    out["funded_units"] = out["units"] - out["already_covered"]
    out["units_confirmed"] = out.pop("unconfirmed").to_numpy() == 0
    other_units = pd.array(out.pop("other_share_units").to_numpy(), dtype="Int64")
    other_units[~out["policy_id"].map(other_known).to_numpy(dtype=bool)] = pd.NA
    out["other_share_units"] = other_units
    out.attrs["recently_escaped_known"] = groups.attrs.get("recently_escaped_known", True)
    out.attrs["pupils_estimated"] = pupils_est
    out.attrs["once_basis"] = once_basis
    history = "history" in once_basis.values()
    first = df["first_review"] if "first_review" in df.columns else df.get("year")
    out.attrs["history_from"] = int(first.min()) if history and first is not None else None
    return out
