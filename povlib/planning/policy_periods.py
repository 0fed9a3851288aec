"""Policy amounts of a dated period (e.g. 2026–2030): which amounts a plan year uses, and which are carried forward.

The shipped policies file (``povlib/rules/policies/policies.toml``) holds the amounts of the set's own time
(the 2020 plan). A ``[[periods]]`` entry of the same file dates the amounts of a later period
(``valid_from``/``valid_to``) with ``[[periods.parameters]]`` (``id``, ``value``) and ``[[periods.amounts]]``
(``id`` of a policy, ``unit_amount``), each with ``confirmed`` and ``source``. :func:`policies_for_year`
applies the period in force on 1 January of a plan year: a parameter or a fixed amount the period does not
write is *carried forward* from the current set, marked unconfirmed (``carried``), and the page, the workbook
and the command line say so. No year is written in code: the period's dates decide.

Examples
--------
>>> from povlib.planning import load_policies
>>> dp = policies_for_year(load_policies(overrides=None), 2027)
>>> dp.period.id, dp.policies.parameter_values["base_salary"]
('2026_2030', 2340000)
>>> dp.policies.amount_confirmed("health_insurance_poor"), "param:electricity_lowest_tariff" in dp.carried
(False, True)
>>> dp = policies_for_year(load_policies(overrides=None), 2040)
>>> dp.period is None, "param:base_salary" in dp.carried, dp.policies.amount_confirmed("credit_poor")
(True, True, False)
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PovlibInputError
from .policies import POLICIES_FILE, PolicySet, load_policies

__all__ = ["PolicyPeriod", "DatedPolicies", "load_periods", "period_for_year", "plan_policies", "policies_for_year"]


@dataclass(frozen=True)
class PolicyPeriod:
    """The amounts of a dated period: ``parameters`` and ``amounts`` map an id to ``{value|unit_amount,
    confirmed, source}`` as written in the file."""

    id: str
    valid_from: dt.date
    valid_to: dt.date
    source: str = ""
    parameters: dict = field(default_factory=dict, compare=False)
    amounts: dict = field(default_factory=dict, compare=False)

    def covers(self, year: int) -> bool:
        """Whether the period is in force on 1 January of ``year``."""
        return self.valid_from <= dt.date(int(year), 1, 1) <= self.valid_to


@dataclass(frozen=True)
class DatedPolicies:
    """A policy set for one plan year: the period applied (None: no period covers the year) and the
    parameters (``param:<id>``) and fixed amounts (``policy:<id>``) carried forward unconfirmed."""

    policies: PolicySet
    year: int
    period: PolicyPeriod | None
    carried: tuple[str, ...] = ()


def _date(v, where: str) -> dt.date:
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v
    raise PovlibInputError.from_key("plan.err.period_entry", where=where, detail=f"{v!r} (YYYY-MM-DD)")


def load_periods(path: str | Path | None = None) -> tuple[PolicyPeriod, ...]:
    """The ``[[periods]]`` of a policies file (default: the shipped rules), checked.

    Raises
    ------
    PovlibInputError
        A period without dates, dates in the wrong order, an entry without ``id`` or value, a flag that is
        not true/false; the message names the file and the period.
    """
    p = Path(path) if path is not None else POLICIES_FILE
    with p.open("rb") as fh:
        data = tomllib.load(fh)
    out = []
    for i, e in enumerate(data.get("periods", []), start=1):
        where = f"{p.name}, [[periods]] {i} ({e.get('id', '?')})"
        try:
            per = PolicyPeriod(
                id=str(e["id"]), valid_from=_date(e["valid_from"], where), valid_to=_date(e["valid_to"], where),
                source=str(e.get("source", "")),
                parameters={str(q["id"]): {"value": q["value"], "confirmed": q["confirmed"], "source": q["source"]}
                            for q in e.get("parameters", [])},
                amounts={str(q["id"]): {"unit_amount": q["unit_amount"], "confirmed": q["confirmed"],
                                        "source": q["source"]} for q in e.get("amounts", [])},
            )
        except KeyError as exc:
            raise PovlibInputError.from_key("plan.err.period_entry", where=where, detail=f"{exc} ?") from exc
        flags = [v["confirmed"] for v in (*per.parameters.values(), *per.amounts.values())]
        if per.valid_to < per.valid_from or any(not isinstance(f, bool) for f in flags):
            raise PovlibInputError.from_key("plan.err.period_entry", where=where,
                                            detail="valid_from <= valid_to; confirmed = true/false")
        out.append(per)
    return tuple(out)


def period_for_year(year: int, periods: tuple[PolicyPeriod, ...]) -> PolicyPeriod | None:
    """The period in force on 1 January of ``year`` (None when none is)."""
    return next((p for p in periods if p.covers(year)), None)


def policies_for_year(ps: PolicySet, year: int, periods: tuple[PolicyPeriod, ...] | None = None) -> DatedPolicies:
    """``ps`` with the amounts of the period in force in ``year``; what the period does not write is carried
    forward, unconfirmed (without a period, every amount is).

    Raises
    ------
    PovlibInputError
        The period names a parameter or policy the set does not have, or gives a formula-based policy a
        fixed amount.
    """
    per = period_for_year(year, load_periods() if periods is None else periods)
    written_p, written_a = (per.parameters, per.amounts) if per is not None else ({}, {})
    unknown = sorted((set(written_p) - {q.id for q in ps.parameters}) | (set(written_a) - {q.id for q in ps.policies}))
    if unknown:
        raise PovlibInputError.from_key("plan.err.period_unknown", period=per.id, ids=", ".join(unknown))
    carried: list[str] = []
    params = []
    for q in ps.parameters:
        e = written_p.get(q.id)
        if e is None:
            carried.append(f"param:{q.id}")
            params.append(dataclasses.replace(q, confirmed=False))
        else:
            params.append(dataclasses.replace(q, value=e["value"], confirmed=e["confirmed"], source=e["source"]))
    pols = []
    for q in ps.policies:
        e = written_a.get(q.id)
        if e is not None:
            if q.amount_formula:
                raise PovlibInputError.from_key("plan.err.period_formula", period=per.id, id=q.id)
            pols.append(dataclasses.replace(q, unit_amount=e["unit_amount"], confirmed=e["confirmed"],
                                            source=e["source"]))
        elif q.unit_amount is not None:
            carried.append(f"policy:{q.id}")
            pols.append(dataclasses.replace(q, confirmed=False))
        else:
            pols.append(q)
    out = dataclasses.replace(ps, parameters=tuple(params), policies=tuple(pols))
    return DatedPolicies(out, int(year), per, tuple(carried))


def plan_policies(review_year: int, *, path: str | Path | None = None,
                  overrides: str | Path | None = "default") -> DatedPolicies:
    """The policies of the plan that follows the review of ``review_year`` (its plan year, ``review_year + 1``).

    The rules as shipped (``path``: another policies file), with the amounts of the period in force in the plan
    year when one is (:func:`policies_for_year`: the rest carried forward, unconfirmed), then the officers'
    overrides (:func:`~povlib.planning.load_policies`), which win: an amount an officer set is not carried.
    A plan year no period covers keeps the set's own amounts (the 2020 plan of the shipped set).

    Examples
    --------
    >>> dp = plan_policies(2026, overrides=None)  # the 2027 plan: the 2026–2030 amounts
    >>> dp.year, dp.period.id, dp.policies.parameter_values["base_salary"]
    (2027, '2026_2030', 2340000)
    >>> dp = plan_policies(2019, overrides=None)  # the 2020 plan: the set's own amounts
    >>> dp.period is None, dp.carried, dp.policies.parameter_values["base_salary"]
    (True, (), 1490000)
    """
    shipped = load_policies(path, overrides=None)
    plan_year = int(review_year) + 1
    if period_for_year(plan_year, load_periods(path)) is None:
        dp = DatedPolicies(shipped, plan_year, None, ())
    else:
        dp = policies_for_year(shipped, plan_year, load_periods(path))
    ov = load_policies(path, overrides=overrides).overrides
    if not len(ov):
        return dp
    set_ids = {f"param:{k}" for k in ov.parameters} | {f"policy:{k}" for k in ov.amounts}
    return DatedPolicies(dp.policies.with_overrides(ov), dp.year, dp.period,
                         tuple(c for c in dp.carried if c not in set_ids))
