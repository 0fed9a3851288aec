"""An officer's edits: which amounts and parameters changed, compared with a policy set.

The planning page shows the unit amounts and parameters in editable tables;
:func:`detect_edits` turns the edited columns into the changes to apply (a
formula-based amount cannot be edited directly: it is reported, not applied).
:func:`overrides_between` gives the values in which an edited set differs from
the shipped rules: what the overrides file holds.

Examples
--------
>>> from povlib.planning import load_policies
>>> base = load_policies(overrides=None)
>>> e = detect_edits(base, {"learning_cost": 150000.0, "health_insurance_poor": 1.0}, {"base_salary": 1600000.0})
>>> e.amounts, e.parameters, e.ignored_formula, e.n_changes
({'learning_cost': 150000.0}, {'base_salary': 1600000}, ['health_insurance_poor'], 2)
>>> ov = overrides_between(base, e.apply_to(base))
>>> ov.amounts, ov.parameters
({'learning_cost': 150000}, {'base_salary': 1600000})
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from .overrides import PolicyOverrides
from .policies import PolicySet

__all__ = ["PlanEdits", "detect_edits", "overrides_between"]


@dataclass(frozen=True)
class PlanEdits:
    """Changes read from the editor tables.

    Attributes
    ----------
    amounts : dict
        Policy id -> new fixed amount (a number, or None when the cell was cleared).
    parameters : dict
        Parameter id -> new value (int when the rule's value is an int and the new one whole).
    ignored_formula : list of str
        Policies whose computed amount was edited: not applied (edit the parameters).
    """

    amounts: dict[str, float | None] = field(default_factory=dict)
    parameters: dict[str, int | float] = field(default_factory=dict)
    ignored_formula: list[str] = field(default_factory=list)

    @property
    def n_changes(self) -> int:
        """Number of changed values (ignored formula edits do not count)."""
        return len(self.amounts) + len(self.parameters)

    def apply_to(self, policies: PolicySet) -> PolicySet:
        """The policy set with these parameters, then amounts (raises :class:`~povlib.PovlibInputError`)."""
        return policies.with_parameters(self.parameters).with_amounts(self.amounts)


def _missing(v: object) -> bool:
    return v is None or bool(pd.isna(v))


def detect_edits(base: PolicySet, amounts: Mapping[str, object], parameters: Mapping[str, object]) -> PlanEdits:
    """Compare edited amounts and parameter values with ``base``.

    Parameters
    ----------
    base : PolicySet
        The set the editor tables were filled from.
    amounts : mapping
        Policy id -> the amount in the editor (number or missing).
    parameters : mapping
        Parameter id -> the value in the editor (number or missing; a cleared
        parameter is left unchanged).
    """
    out_amounts: dict[str, float | None] = {}
    ignored: list[str] = []
    for pid, new in amounts.items():
        old = base.unit_amount(pid)
        same = (_missing(new) and old is None) or (not _missing(new) and old is not None and float(new) == float(old))
        if same:
            continue
        if base.policy(pid).amount_formula:
            ignored.append(pid)
            continue
        out_amounts[pid] = None if _missing(new) else new
    values = base.parameter_values
    out_params: dict[str, int | float] = {}
    for pid, new in parameters.items():
        if not _missing(new) and float(new) != float(values[pid]):
            out_params[pid] = int(new) if float(new).is_integer() and isinstance(values[pid], int) else float(new)
    return PlanEdits(out_amounts, out_params, ignored)


def overrides_between(rules: PolicySet, edited: PolicySet) -> PolicyOverrides:
    """The parameters and fixed amounts of ``edited`` that differ from ``rules`` (ids present in both)."""
    old_params = rules.parameter_values
    params = {k: v for k, v in edited.parameter_values.items() if k in old_params and v != old_params[k]}
    old = {p.id: p for p in rules.policies}
    amounts = {p.id: p.unit_amount for p in edited.policies
               if p.id in old and not p.amount_formula and p.unit_amount != old[p.id].unit_amount}
    return PolicyOverrides(params, amounts)
