"""What it costs: amounts and the yearly budget per policy and commune, and their totals.

``budget = funded_units × unit_amount × periods × state_share_percent / 100``
in exact integer VND (rounded half up). Loans and credit lines are money lent,
not spent: their "budget" is the maximum volume lent, kept apart from grants.

A figure is *confirmed* when its amount is (:meth:`PolicySet.amount_confirmed`)
and so is its count (``units_confirmed`` of the eligibility table: the net
health-insurance count depends on the list of extremely difficult communes).
A policy with a second reading of its state share has both figures:
``budget`` (the reading in force) and ``budget_other`` (the other one), see
:func:`share_rule_figures`.

Examples
--------
>>> import pandas as pd
>>> from povlib.planning import eligibility, load_policies
>>> pol = load_policies(overrides=None)
>>> df = pd.DataFrame({"commune_code": ["02020", "02020"], "commune_name": ["A", "A"],
...                    "status": ["poor", "near_poor"], "members": [4, 3],
...                    "area": ["rural", "rural"], "ethnic_minority": [False, False]})
>>> b = budget(eligibility(df, pol, difficult=None), pol)
>>> int(b.loc[b["policy_id"] == "health_insurance_poor", "budget"].iloc[0])
3218400
>>> int(b.loc[b["policy_id"] == "health_insurance_near_poor", "budget"].iloc[0])
1689660
>>> s = budget_summary(b)
>>> s.grant_budget > s.grant_budget_confirmed > 0, s.policies_without_amount
(True, 2)
>>> f = share_rule_figures(b, pol).iloc[0]
>>> f["policy_id"], bool(f["applied"]), int(f["budget"]), f["budget_other"] is pd.NA
('health_insurance_poor', False, 3218400, True)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from ..errors import PovlibInputError
from ..sorting import sums_by
from .amounts import round_half_up
from .policies import PolicySet
from .policy_table import policy_table

__all__ = ["BudgetSummary", "budget", "budget_summary", "commune_totals", "grants_by_commune", "grants_by_unit",
           "share_rule_figures"]

_TOTAL_COLS = ("grant_budget", "grant_budget_confirmed", "lending_volume", "policies_without_amount",
               "hi_already_covered")


def _shares(tab: pd.DataFrame, policies: PolicySet
            ) -> tuple[dict[str, Fraction], dict[str, Fraction | None], dict[str, bool]]:
    """Per policy: the state share, the other share of its second reading (None: no rule), and whether
    that reading is in force."""
    full = {k: Fraction(str(v)) / 100 for k, v in tab["state_share_percent"].items()}
    other, applied = {}, {}
    for p in policies.policies:
        o = policies.other_share_percent(p.id) if p.has_share_rule else None
        other[p.id] = None if o is None else Fraction(str(o)) / 100
        applied[p.id] = policies.share_rule_applied(p.id)
    return full, other, applied


def budget(elig: pd.DataFrame, policies: PolicySet) -> pd.DataFrame:
    """Add amounts and the yearly budget to an :func:`~povlib.planning.eligibility` table.

    ``budget = funded_units × unit_amount × periods × state_share_percent / 100``,
    exact integer VND (rounded half up); missing (``<NA>``) when the unit
    amount is not known. Loans and credit lines are ``lending = True``: their
    "budget" is the maximum volume lent, not money spent. ``confirmed`` is
    ``amount_confirmed`` and ``units_confirmed`` (the count does not rest on an
    unconfirmed list). For a policy with a second reading of its state share,
    the ``other_share_units`` are paid at the other share under that reading:
    ``budget`` is the reading in force and ``budget_other`` the other one
    (missing when the data cannot tell); for other policies ``budget_other``
    equals ``budget``.

    Raises
    ------
    PovlibInputError
        The second reading is switched on but the data cannot tell who gets the full share.
    """
    tab = policy_table(policies).set_index("policy_id")
    out = elig.copy()
    pid = out["policy_id"]
    out["kind"] = pid.map(tab["kind"]).astype(object)
    out["unit"] = pid.map(tab["unit"]).astype(object)
    out["lending"] = out["kind"].isin(["loan", "credit"]).to_numpy()
    amount = pid.map(tab["unit_amount"]).astype("Int64")
    out["unit_amount"] = amount
    out["periods"] = pid.map(tab["periods"]).astype(np.int64)
    share = pid.map(tab["state_share_percent"]).astype(np.float64)
    out["state_share_percent"] = share
    out["amount_confirmed"] = pid.map(tab["amount_confirmed"]).astype(bool)
    units_ok = out["units_confirmed"].to_numpy(dtype=bool) if "units_confirmed" in out.columns else True
    out["confirmed"] = out["amount_confirmed"].to_numpy() & units_ok
    # exact: share as a fraction num/den per policy, integer arithmetic per row
    fr = {k: Fraction(str(v)) / 100 for k, v in tab["state_share_percent"].items()}
    num = pid.map({k: f.numerator for k, f in fr.items()}).to_numpy(dtype=np.int64)
    den = pid.map({k: f.denominator for k, f in fr.items()}).to_numpy(dtype=np.int64)
    known = amount.notna().to_numpy()
    a = amount.fillna(0).to_numpy(dtype=np.int64)
    gross = out["funded_units"].to_numpy(dtype=np.int64) * a * out["periods"].to_numpy(dtype=np.int64)
    if np.any(gross.astype(np.float64) * np.maximum(num, 1) * 2 > 9.0e18):
        vals = [round_half_up(Fraction(int(g)) * Fraction(int(n), int(d))) for g, n, d in zip(gross, num, den)]
        b = np.array(vals, dtype=object)
        out["budget"] = pd.array([int(v) if k else pd.NA for v, k in zip(b, known)], dtype="Int64")
    else:
        b = (2 * gross * num + den) // (2 * den)
        out["budget"] = pd.array(np.where(known, b, 0), dtype="Int64")
        out.loc[~known, "budget"] = pd.NA
    out["budget_other"] = out["budget"].copy()
    _share_rule(out, policies, tab, a, known)
    return out


def _share_rule(out: pd.DataFrame, policies: PolicySet, tab: pd.DataFrame, amount: np.ndarray,
                known: np.ndarray) -> None:
    """Both readings of the state share for the rows of policies that have a second one (in place)."""
    full, other, applied = _shares(tab, policies)
    pid = out["policy_id"].astype(str).to_numpy()
    rows = np.flatnonzero([other.get(p) is not None for p in pid])
    if not len(rows):
        return
    if "other_share_units" not in out.columns:
        raise PovlibInputError.from_key("plan.err.share_rule_data", name=str(pid[rows[0]]))
    units = out["other_share_units"]
    funded = out["funded_units"].to_numpy(dtype=np.int64)
    periods = out["periods"].to_numpy(dtype=np.int64)
    in_force, alt = out["budget"].copy(), out["budget_other"].copy()
    for i in rows:
        p = pid[i]
        if units.iloc[i] is pd.NA:
            if applied[p]:
                raise PovlibInputError.from_key("plan.err.share_rule_data", name=policies.policy(p).name_vi)
            alt.iloc[i] = pd.NA
            continue
        if not known[i]:
            continue
        gross = int(amount[i]) * int(periods[i])
        n_other = int(units.iloc[i])
        broad = round_half_up(Fraction(int(funded[i]) * gross) * full[p])
        narrow = round_half_up(Fraction((int(funded[i]) - n_other) * gross) * full[p]
                               + Fraction(n_other * gross) * other[p])
        in_force.iloc[i], alt.iloc[i] = (narrow, broad) if applied[p] else (broad, narrow)
    out["budget"], out["budget_other"] = in_force, alt


def _total(col: pd.Series) -> int | object:
    """Sum of a nullable integer column, ``<NA>`` when a value is missing."""
    return int(col.sum()) if col.notna().all() else pd.NA


def share_rule_figures(bud: pd.DataFrame, policies: PolicySet) -> pd.DataFrame:
    """The two readings of the state share, per policy that has a second one (whole table).

    Columns: ``policy_id``, ``applied`` (the second reading is in force),
    ``full_share_percent``, ``other_share_percent``, ``other_share_units``,
    ``budget`` (in force) and ``budget_other`` (the other reading; ``<NA>``
    when the data cannot tell). One row per policy with a rule and eligible rows.
    """
    rows = []
    for p in policies.policies:
        if not p.has_share_rule:
            continue
        b = bud[bud["policy_id"] == p.id]
        if b.empty:
            continue
        rows.append({"policy_id": p.id, "applied": policies.share_rule_applied(p.id),
                     "full_share_percent": float(p.state_share_percent),
                     "other_share_percent": policies.other_share_percent(p.id),
                     **{c: _total(b[c]) for c in ("other_share_units", "budget", "budget_other")}})
    cols = ["policy_id", "applied", "full_share_percent", "other_share_percent", "other_share_units", "budget",
            "budget_other"]
    return pd.DataFrame(rows, columns=cols)


def commune_totals(bud: pd.DataFrame, by: str | Sequence[str] = ("commune_code", "commune_name"),
                   *, total_label: str | None = None) -> pd.DataFrame:
    """Per-unit totals of a :func:`budget` table, with a total row when ``total_label`` is given.

    Columns: ``grant_budget`` (grants and exemptions with a known amount),
    ``grant_budget_confirmed`` (the part whose amount and count are confirmed; for a
    :func:`budget_by_unit` table, its ``budget_confirmed``),
    ``lending_volume`` (loans and credit lines, maximum), ``policies_without_amount``
    (policies with eligible units but no amount), ``hi_already_covered`` (people
    already covered by health insurance elsewhere).
    """
    by_cols = [by] if isinstance(by, str) else [c for c in by if c in bud.columns]
    b = bud["budget"].fillna(0).to_numpy(dtype=np.int64)
    lend = bud["lending"].to_numpy(dtype=bool)
    conf = bud["confirmed" if "confirmed" in bud.columns else "amount_confirmed"].to_numpy(dtype=bool)
    no_amt = bud["unit_amount"].isna().to_numpy() & (bud["units"].to_numpy() > 0)
    pid = bud["policy_id"].astype(str)
    hi = pid.str.startswith("health_insurance").to_numpy()
    frame = pd.DataFrame({
        **{c: bud[c].to_numpy() for c in by_cols},
        "grant_budget": np.where(~lend, b, 0),
        # a table rolled up to larger units (budget_by_unit) carries its communes' confirmed part, summed
        "grant_budget_confirmed": np.where(~lend, bud["budget_confirmed"].to_numpy(dtype=np.int64), 0)
        if "budget_confirmed" in bud.columns else np.where(~lend & conf, b, 0),
        "lending_volume": np.where(lend, b, 0),
        "policies_without_amount": no_amt.astype(np.int64),
        "hi_already_covered": np.where(hi, bud["already_covered"].to_numpy(dtype=np.int64), 0),
    })
    g = sums_by(frame, by_cols)
    if total_label is not None and by_cols:
        tot = frame.drop(columns=by_cols).sum()
        row = {c: "" for c in by_cols}
        row[by_cols[-1]] = total_label
        row.update({k: int(v) for k, v in tot.items()})
        row["policies_without_amount"] = int(pid[no_amt].nunique())
        g = pd.concat([g, pd.DataFrame([row])], ignore_index=True)
    for c in _TOTAL_COLS:
        g[c] = g[c].astype(np.int64)
    return g


@dataclass(frozen=True)
class BudgetSummary:
    """The figures of a whole :func:`budget` table (the total row of :func:`commune_totals`).

    Attributes
    ----------
    grant_budget, grant_budget_confirmed, lending_volume : int
        VND: grants and exemptions with a known amount, the confirmed part of
        them, loans and credit lines (maximum volume).
    hi_already_covered : int
        People already covered by health insurance under another scheme.
    policies_without_amount : int
        Policies with eligible units but no known amount.
    hi_counts_confirmed : bool
        The net health-insurance counts (and so their budget) do not rest on
        unconfirmed rows of the extremely-difficult-communes list.
    """

    grant_budget: int
    grant_budget_confirmed: int
    lending_volume: int
    hi_already_covered: int
    policies_without_amount: int
    hi_counts_confirmed: bool = True


def budget_summary(bud: pd.DataFrame) -> BudgetSummary:
    """Totals of a :func:`budget` table over all its units."""
    grand = commune_totals(bud, total_label="").iloc[-1] if len(bud) else None
    if grand is None:
        return BudgetSummary(0, 0, 0, 0, 0)
    hi = bud["policy_id"].astype(str).str.startswith("health_insurance").to_numpy()
    ok = bool(bud.loc[hi, "units_confirmed"].all()) if "units_confirmed" in bud.columns else True
    return BudgetSummary(**{c: int(grand[c]) for c in _TOTAL_COLS}, hi_counts_confirmed=ok)


def _costed_grants(grants: pd.DataFrame, policies: PolicySet):
    """(policy, its rows of ``grants``) for each grant policy, in the policies' order, that costs anything."""
    for p in policies.policies:
        if p.is_lending:
            continue
        rows = grants[grants["policy_id"] == p.id]
        if not rows.empty and int(rows["budget"].sum()) != 0:
            yield p, rows


def grants_by_commune(bud: pd.DataFrame, policies: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """Grant cost per policy and commune, for the stacked budget chart.

    Rows of grants and exemptions with a known amount, in the order of the
    policies; policies that cost nothing in total are left out. Columns:
    ``policy_id``, ``policy`` (name in ``lang``), ``commune_name``, ``budget`` (int VND).
    """
    parts = []
    for p, rows in _costed_grants(bud[~bud["lending"] & bud["budget"].notna()], policies):
        parts.append(pd.DataFrame({"policy_id": p.id, "policy": p.name(lang),
                                   "commune_name": rows["commune_name"].astype(str).to_numpy(),
                                   "budget": rows["budget"].astype("int64").to_numpy()}))
    if not parts:
        return pd.DataFrame({"policy_id": pd.Series(dtype=object), "policy": pd.Series(dtype=object),
                             "commune_name": pd.Series(dtype=object), "budget": pd.Series(dtype="int64")})
    return pd.concat(parts, ignore_index=True)


#: the counts a larger unit sums over its communes; the policy's own attributes are the same in every row
_ROLLED_SUMS = ("households", "people", "units", "already_covered", "funded_units")
_ROLLED_POLICY = ("kind", "unit", "lending", "unit_amount", "periods", "state_share_percent", "amount_confirmed")


def budget_by_unit(bud: pd.DataFrame, unit_of: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """A :func:`budget` table rolled up to larger units (a province: the sum of its communes).

    The result has the columns of ``bud`` with ``commune_code`` and ``commune_name`` holding the unit's
    code and name, one row per unit and policy, units in the order of their first appearance in
    ``unit_of`` and policies in ``bud``'s order: the per-commune tables (:func:`commune_totals`,
    ``totals_sheet``, ``detail_sheet``) then read per unit. Counts and amounts are the sums of the
    communes' (integers; an amount stays missing when a commune's is); a count is estimated when any
    commune's is, confirmed when every commune's is. ``budget_confirmed`` (added) is the sum of the
    communes' budgets that are confirmed: a unit whose communes are partly confirmed keeps their part
    (:func:`commune_totals` reads it for ``grant_budget_confirmed``).

    Parameters
    ----------
    bud : DataFrame
        The budget per commune and policy (:func:`budget`).
    unit_of : mapping of str to (str, str)
        Commune code -> (unit code, unit name).

    Returns
    -------
    DataFrame

    Raises
    ------
    ValueError
        A commune of ``bud`` has no unit in ``unit_of`` (nothing is dropped silently).

    Examples
    --------
    >>> from povlib.planning import load_policies
    >>> ps = load_policies(overrides=None)
    >>> pid = "learning_cost"  # 100.000 đồng a pupil a month
    >>> bud = budget(pd.DataFrame({"commune_code": ["a", "b", "c"], "commune_name": ["A", "B", "C"],
    ...     "policy_id": [pid] * 3, "households": [1, 2, 3], "people": [4, 5, 6], "units": [1, 2, 3],
    ...     "already_covered": [0, 0, 1], "units_estimated": [False, True, False], "funded_units": [1, 2, 2]}), ps)
    >>> up = budget_by_unit(bud, {"c": ("04", "Cao Bằng"), "a": ("19", "Thái Nguyên"), "b": ("19", "Thái Nguyên")})
    >>> up[["commune_code", "commune_name", "households", "funded_units", "units_estimated"]]
      commune_code commune_name  households  funded_units  units_estimated
    0           04     Cao Bằng           3             2            False
    1           19  Thái Nguyên           3             3             True
    >>> int(up["budget"].sum()) == int(bud["budget"].sum())
    True
    >>> int(up["budget_confirmed"].sum()) == int(bud.loc[bud["confirmed"], "budget"].sum())
    True
    """
    codes = bud["commune_code"].astype(str)
    if missing := sorted(set(codes) - set(unit_of)):
        raise ValueError(f"communes without a unit: {', '.join(missing[:5])}" + (" …" if len(missing) > 5 else ""))
    order = list(dict.fromkeys(u for u, _ in unit_of.values()))
    names = dict(unit_of.values())
    confirmed = bud["confirmed" if "confirmed" in bud.columns else "amount_confirmed"].to_numpy(dtype=bool)
    keyed = bud.assign(_unit=codes.map({c: u for c, (u, _) in unit_of.items()}).to_numpy(),
                       budget_confirmed=np.where(confirmed, bud["budget"].fillna(0).to_numpy(dtype=np.int64), 0))
    cols = [c for c in bud.columns if c not in ("commune_code", "commune_name")]
    agg: dict[str, tuple[str, str]] = {c: (c, "sum") for c in (*_ROLLED_SUMS, "budget_confirmed") if c in keyed}
    agg.update({c: (c, "first") for c in _ROLLED_POLICY if c in cols})
    agg.update({c: (c, "any") for c in ("units_estimated",) if c in cols})
    agg.update({c: (c, "all") for c in ("units_confirmed", "confirmed") if c in cols})
    g = keyed.groupby(["_unit", "policy_id"], sort=False).agg(**agg)
    for c in ("budget", "budget_other", "other_share_units"):  # missing in one commune: missing for the unit
        if c in cols:
            s = keyed[c]
            g[c] = s.groupby([keyed["_unit"], keyed["policy_id"]], sort=False).sum(min_count=1).astype("Int64")
            g.loc[s.isna().groupby([keyed["_unit"], keyed["policy_id"]], sort=False).any().to_numpy(), c] = pd.NA
    g = g.reset_index()
    pos = {u: i for i, u in enumerate(order)}
    pol = {p: i for i, p in enumerate(dict.fromkeys(bud["policy_id"]))}
    g = g.iloc[np.lexsort((g["policy_id"].map(pol).to_numpy(), g["_unit"].map(pos).to_numpy()))]
    out = g.rename(columns={"_unit": "commune_code"}).assign(commune_name=lambda d: d["commune_code"].map(names))
    return out[[c for c in [*bud.columns, "budget_confirmed"] if c in out.columns]].reset_index(drop=True)


def grants_by_unit(bud: pd.DataFrame, policies: PolicySet, unit_of: Mapping[str, str],
                   lang: str = "vi") -> pd.DataFrame:
    """Grant cost per policy and larger unit (a province: the sum of its communes), for the budget chart
    of a whole country, where one bar per commune would be thousands.

    Parameters
    ----------
    bud : DataFrame
        The budget per commune and policy (:func:`budget`; ``commune_code``, ``policy_id``, ``lending``,
        ``budget``).
    policies : PolicySet
        The policies, for their order and names.
    unit_of : mapping of str to str
        Commune code -> the name of its unit; the units are drawn in the order of their first
        appearance in ``unit_of``. A commune not in it is left out.
    lang : str
        Language of the policies' names.

    Returns
    -------
    DataFrame
        ``policy_id``, ``policy``, ``unit_name``, ``budget`` (int VND): as :func:`grants_by_commune`,
        one row per policy and unit.

    Examples
    --------
    >>> from povlib.planning import load_policies
    >>> ps = load_policies(overrides=None)
    >>> bud = pd.DataFrame({"commune_code": ["a", "b", "c"], "policy_id": [ps.policies[0].id] * 3,
    ...                     "lending": [False] * 3, "budget": [100, 20, 3]})
    >>> grants_by_unit(bud, ps, {"c": "Cao Bằng", "a": "Bắc Ninh", "b": "Bắc Ninh"})[["unit_name", "budget"]]
      unit_name  budget
    0  Cao Bằng       3
    1  Bắc Ninh     120
    """
    order = list(dict.fromkeys(unit_of.values()))
    grants = bud[~bud["lending"] & bud["budget"].notna()]
    grants = grants.assign(unit_name=grants["commune_code"].astype(str).map(unit_of))
    parts = []
    for p, rows in _costed_grants(grants[grants["unit_name"].notna()], policies):
        sums = rows.groupby("unit_name", sort=False)["budget"].sum().astype("int64")
        units = [u for u in order if u in sums.index]
        parts.append(pd.DataFrame({"policy_id": p.id, "policy": p.name(lang), "unit_name": units,
                                   "budget": sums.loc[units].to_numpy(dtype="int64")}))
    if not parts:
        return pd.DataFrame({"policy_id": pd.Series(dtype=object), "policy": pd.Series(dtype=object),
                             "unit_name": pd.Series(dtype=object), "budget": pd.Series(dtype="int64")})
    return pd.concat(parts, ignore_index=True)
