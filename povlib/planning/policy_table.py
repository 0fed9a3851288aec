"""The policy set as a table (:func:`policy_table`): one row per policy with its evaluated amount.

Examples
--------
>>> from povlib.planning.policies import load_policies
>>> tab = policy_table(load_policies(overrides=None))
>>> tab.loc[0, "policy_id"], tab.loc[0, "unit"], bool(tab.loc[0, "amount_confirmed"])
('health_insurance_poor', 'person', True)
"""
from __future__ import annotations

import pandas as pd

from .amounts import formula_words
from .policies import PolicySet

__all__ = ["policy_table"]


def formula_text(ps: PolicySet, policy_id: str, lang: str = "vi") -> str:
    """A policy's amount formula as people read it (parameter labels in ``lang``, ``× ÷``), or ``""``; never
    the machine formula (``base_salary * health_insurance_rate_percent / 100 * 12``)."""
    p = ps.policy(policy_id)
    if not p.amount_formula:
        return ""
    return formula_words(p.amount_formula, {x.id: x.label(lang) for x in ps.parameters}, lang)


def policy_table(ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """One row per policy: names, basis, groups, unit, amount (evaluated), state share, confirmed.

    ``unit_amount`` is a nullable integer (missing when not known);
    ``amount_confirmed`` is False when the policy or one of its parameters is
    unconfirmed; ``from_formula`` marks amounts computed from parameters.
    """
    rows = []
    for p in ps.policies:
        rows.append({
            "policy_id": p.id,
            "name": p.name(lang),
            "legal_basis": p.legal_basis_text(lang),
            "kind": p.kind,
            "groups": ", ".join(p.groups),
            "unit": p.unit,
            "period": p.period,
            "periods": p.periods,
            "unit_amount": ps.unit_amount(p.id),
            "from_formula": bool(p.amount_formula),
            "formula": formula_text(ps, p.id, lang),
            "state_share_percent": float(p.state_share_percent),
            "interest_rate_percent": p.interest_rate_percent,
            "amount_confirmed": ps.amount_confirmed(p.id),
            "source": p.source_text(lang),
        })
    df = pd.DataFrame(rows)
    df["unit_amount"] = df["unit_amount"].astype("Int64")
    return df
