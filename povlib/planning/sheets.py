"""Display and export tables of the plan: labelled headers, numbers kept numeric.

Every table here is built from the machine tables of
:mod:`povlib.planning.budget` and :mod:`povlib.planning.whatif` with the
catalog's Vietnamese (or English) column labels; the plan workbook and the
planning page show the same tables.

Examples
--------
>>> from povlib.planning import load_policies
>>> pol = load_policies(overrides=None)
>>> describe_groups(pol.policy("housing_loan"))
'hộ nghèo – nông thôn'
>>> list(parameters_sheet(pol).columns)[:2]
['Tham số', 'Giá trị']
>>> policy_editor_table(pol)["policy_id"].iloc[0]
'health_insurance_poor'
>>> from povlib.planning import PolicyOverrides
>>> describe_overrides(PolicyOverrides({"base_salary": 1600000}, {"learning_cost": None}), pol)
'Mức lương cơ sở: 1.600.000 đồng/tháng; Hỗ trợ chi phí học tập: chưa xác nhận'
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..i18n import fmt_int, fmt_num, fmt_vnd, percent, t
from .budget import commune_totals
from .overrides import PolicyOverrides
from .policies import Policy, PolicySet
from .policy_table import policy_table
from .whatif import WhatIfResult

__all__ = [
    "by_policy_sheet",
    "describe_groups",
    "describe_overrides",
    "detail_sheet",
    "parameter_editor_table",
    "parameters_sheet",
    "policies_sheet",
    "policy_editor_table",
    "totals_sheet",
    "whatif_sheets",
]


def _confirmed(ok: bool, lang: str) -> str:
    return t("plan.confirmed" if ok else "plan.unconfirmed", lang)


def _status(ok: bool, lang: str) -> str:
    """'Đã xác nhận' or '⚠ Chưa xác nhận' (the editor tables flag unconfirmed values)."""
    return t("plan.confirmed", lang) if ok else f"⚠ {t('plan.unconfirmed', lang)}"


def describe_groups(p: Policy, lang: str = "vi") -> str:
    """Target group of a policy in words: 'hộ nghèo, hộ cận nghèo (nông thôn)'."""
    def one(g: str) -> str:
        if g.startswith("deprived:"):
            ind = g.split(":", 1)[1]
            label = ind
            for s in _standards.available():
                std = _standards.get(s)
                if ind in std.indicator_ids:
                    label = std.indicator(ind).label(lang)
                    break
            return t("plan.group.deprived", lang, indicator=label)
        return t(f"plan.group.{g}", lang)

    text = ", ".join(one(g) for g in p.groups)
    if p.exclude_groups:
        text += " (" + t("plan.group.except", lang, groups=", ".join(one(g) for g in p.exclude_groups)) + ")"
    if p.area:
        text += " – " + ", ".join(t(f"plan.group.{a}", lang) for a in p.area)
    return text


def policies_sheet(ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """The policy list with Vietnamese (or English) headers, for display and export."""
    tab = policy_table(ps, lang)
    return pd.DataFrame({
        t("plan.col.policy", lang): tab["name"],
        t("plan.col.legal_basis", lang): tab["legal_basis"],
        t("plan.col.kind", lang): [t(f"plan.kind.{k}", lang) for k in tab["kind"]],
        t("plan.col.groups", lang): [describe_groups(p, lang) for p in ps.policies],
        t("plan.col.unit", lang): [t(f"plan.unit.{u}", lang) for u in tab["unit"]],
        t("plan.col.unit_amount", lang): tab["unit_amount"],
        t("plan.col.formula", lang): tab["formula"],
        t("plan.col.periods", lang): tab["periods"].astype("int64"),
        t("plan.col.state_share", lang): tab["state_share_percent"],
        t("plan.col.interest", lang): tab["interest_rate_percent"],
        t("plan.col.confirmed", lang): [_confirmed(c, lang) for c in tab["amount_confirmed"]],
        t("plan.col.source", lang): tab["source"],
    })


def parameters_sheet(ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """The parameters with labelled headers."""
    return pd.DataFrame({
        t("plan.col.parameter", lang): [p.label(lang) for p in ps.parameters],
        t("plan.col.value", lang): [p.value for p in ps.parameters],
        t("plan.col.param_unit", lang): [p.unit_text(lang) for p in ps.parameters],
        t("plan.col.confirmed", lang): [_confirmed(p.confirmed, lang) for p in ps.parameters],
        t("plan.col.source", lang): [p.source_text(lang) for p in ps.parameters],
    })


def _unit_columns(tab: pd.DataFrame, lang: str, unit: str) -> dict[str, pd.Series]:
    """The unit's code and name columns, headed for ``unit`` ("commune", or "province" for a
    :func:`~povlib.planning.budget_by_unit` table)."""
    out = {}
    if "commune_code" in tab.columns:
        out[t(f"plan.col.{unit}_code", lang)] = tab["commune_code"].astype(str)
    if "commune_name" in tab.columns:
        out[t(f"general.{unit}", lang)] = tab["commune_name"].astype(str)
    return out


def detail_sheet(bud: pd.DataFrame, ps: PolicySet, lang: str = "vi", *, unit: str = "commune") -> pd.DataFrame:
    """Per commune (or per ``unit`` of a :func:`~povlib.planning.budget_by_unit` table) and policy: counts,
    amount, cost (numbers kept numeric)."""
    names = {p.id: p.name(lang) for p in ps.policies}
    out = _unit_columns(bud, lang, unit)
    out.update({
        t("plan.col.policy", lang): bud["policy_id"].map(names),
        t("plan.col.households", lang): bud["households"].astype("int64"),
        t("plan.col.people", lang): bud["people"].astype("int64"),
        t("plan.col.unit", lang): [t(f"plan.unit.{u}", lang) for u in bud["unit"]],
        t("plan.col.units", lang): bud["units"].astype("int64"),
        t("plan.col.estimated", lang): [t("plan.yes" if e else "plan.no", lang) for e in bud["units_estimated"]],
        t("plan.col.already_covered", lang): bud["already_covered"].astype("int64"),
        t("plan.col.funded_units", lang): bud["funded_units"].astype("int64"),
        t("plan.col.unit_amount", lang): bud["unit_amount"],
        t("plan.col.periods", lang): bud["periods"].astype("int64"),
        t("plan.col.state_share", lang): bud["state_share_percent"],
        t("plan.col.budget", lang): bud["budget"],
        t("plan.col.kind", lang): [t(f"plan.kind.{k}", lang) for k in bud["kind"]],
        t("plan.col.confirmed", lang): [_confirmed(c, lang) for c in bud["amount_confirmed"]],
        t("plan.col.units_confirmed", lang): [_confirmed(c, lang) for c in _units_confirmed(bud)],
    })
    return pd.DataFrame(out)


def _units_confirmed(bud: pd.DataFrame) -> np.ndarray:
    """Whether each row's count is confirmed (True for tables built before the column existed)."""
    if "units_confirmed" in bud.columns:
        return bud["units_confirmed"].to_numpy(dtype=bool)
    return np.ones(len(bud), dtype=bool)


def totals_sheet(bud: pd.DataFrame, lang: str = "vi", *, total_label: str | None = None,
                 unit: str = "commune") -> pd.DataFrame:
    """Per-commune totals (with a total row) with labelled headers; per ``unit`` ("province") for a
    :func:`~povlib.planning.budget_by_unit` table."""
    tot = commune_totals(bud, total_label=total_label or t("plan.total_row", lang))
    out = _unit_columns(tot, lang, unit)
    for c in ("grant_budget", "grant_budget_confirmed", "lending_volume", "hi_already_covered", "policies_without_amount"):
        out[t(f"plan.col.{c}", lang)] = tot[c].astype("int64")
    return pd.DataFrame(out)


def by_policy_sheet(bud: pd.DataFrame, ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """District (scope) totals per policy: counts and cost; cost missing when no amount is known."""
    g = bud.groupby("policy_id", sort=False)[["households", "people", "units", "already_covered", "funded_units"]].sum()
    b = bud.groupby("policy_id", sort=False)["budget"].agg(lambda s: s.sum() if s.notna().all() else pd.NA)
    counted = pd.Series(_units_confirmed(bud), index=bud.index).groupby(bud["policy_id"], sort=False).all()
    order = [p.id for p in ps.policies if p.id in g.index]
    g = g.loc[order]
    tab = policy_table(ps, lang).set_index("policy_id").loc[order]
    return pd.DataFrame({
        t("plan.col.policy", lang): tab["name"].to_numpy(),
        t("plan.col.kind", lang): [t(f"plan.kind.{k}", lang) for k in tab["kind"]],
        t("plan.col.groups", lang): [describe_groups(ps.policy(i), lang) for i in order],
        t("plan.col.households", lang): g["households"].astype("int64").to_numpy(),
        t("plan.col.people", lang): g["people"].astype("int64").to_numpy(),
        t("plan.col.unit", lang): [t(f"plan.unit.{u}", lang) for u in tab["unit"]],
        t("plan.col.units", lang): g["units"].astype("int64").to_numpy(),
        t("plan.col.already_covered", lang): g["already_covered"].astype("int64").to_numpy(),
        t("plan.col.funded_units", lang): g["funded_units"].astype("int64").to_numpy(),
        t("plan.col.unit_amount", lang): pd.array(tab["unit_amount"].to_numpy(), dtype="Int64"),
        t("plan.col.state_share", lang): tab["state_share_percent"].to_numpy(),
        t("plan.col.budget", lang): pd.array(b.loc[order].to_numpy(), dtype="Int64"),
        t("plan.col.confirmed", lang): [_confirmed(c, lang) for c in tab["amount_confirmed"]],
        t("plan.col.units_confirmed", lang): [_confirmed(bool(counted.loc[i]), lang) for i in order],
    })


def whatif_sheets(res: WhatIfResult, lang: str = "vi", *, total_label: str | None = None) -> dict[str, pd.DataFrame]:
    """Labelled tables of a scenario: per commune (with a total row) and per intervention."""
    unit = res.by_unit.copy()
    tot = res.total.copy()
    if "commune_name" in unit.columns:
        tot["commune_name"] = total_label or t("plan.total_row", lang)
        tot["commune_code"] = ""
    table = pd.concat([unit, tot], ignore_index=True)
    cols = {}
    if "commune_code" in table.columns:
        cols[t("plan.col.commune_code", lang)] = table["commune_code"].astype(str)
    if "commune_name" in table.columns:
        cols[t("general.commune", lang)] = table["commune_name"].astype(str)
    cols[t("measure.households", lang)] = table["households"].astype("int64")
    for c in ("poor_base", "poor_scen", "poor_rate_base", "poor_rate_scen", "near_poor_base", "near_poor_scen",
              "near_poor_rate_base", "near_poor_rate_scen", "income_poor_base", "lifted", "reached", "cost",
              "cost_per_lifted"):
        v = table[c]
        if c.endswith("_rate_base") or c.endswith("_rate_scen"):  # percent, header says (%); rounded half up
            count = table[c.replace("_rate", "")]
            v = pd.Series([percent(n, h) for n, h in zip(count, table["households"])], dtype=float)
        elif c == "cost_per_lifted":
            v = pd.array(np.floor(v.to_numpy(dtype=float) + 0.5), dtype="Int64") if len(v) else v
        else:
            v = v.astype("int64")
        cols[t(f"plan.wi.col.{c}", lang)] = v
    per_unit = pd.DataFrame(cols)
    iv = res.by_intervention
    per_iv = pd.DataFrame({
        t("plan.wi.col.intervention", lang): iv["name_en" if lang == "en" else "name_vi"],
        t("plan.wi.col.communes", lang): [c or t("plan.wi.all_communes", lang) for c in iv["communes"]],
        t("plan.wi.housing_n", lang): pd.array(iv["n"].to_numpy(dtype=float), dtype="Int64") if len(iv) else iv["n"],
        t("plan.wi.col.reached", lang): iv["households"].astype("int64"),
        t("measure.people", lang): iv["people"].astype("int64"),
        t("plan.wi.col.units", lang): iv["units"].astype("int64"),
        t("plan.wi.col.unit_cost", lang): pd.array(iv["unit_cost"].to_numpy(dtype=float), dtype="Int64") if len(iv) else iv["unit_cost"],
        t("plan.wi.col.cost", lang): iv["cost"].astype("int64"),
        t("plan.col.confirmed", lang): [_confirmed(c, lang) for c in iv["confirmed"]],
    })
    return {t("plan.sheet.whatif", lang): per_unit, t("plan.sheet.interventions", lang): per_iv}


def policy_editor_table(ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """The policies as the page's amount editor shows them: ``policy_id`` (hidden), then labelled columns.

    The unit amount (column ``plan.col.unit_amount``) is a nullable float, the
    only editable column; unconfirmed values are flagged with "⚠".
    """
    tab = policy_table(ps, lang)
    return pd.DataFrame({
        "policy_id": tab["policy_id"],
        t("plan.col.policy", lang): tab["name"],
        t("plan.col.unit_amount", lang): tab["unit_amount"].astype("Float64"),
        t("plan.col.confirmed", lang): [_status(c, lang) for c in tab["amount_confirmed"]],
        t("plan.col.unit", lang): [t(f"plan.unit.{u}", lang) + " / " + t(f"plan.period.{p}", lang)
                                   for u, p in zip(tab["unit"], tab["period"])],
        t("plan.col.groups", lang): [describe_groups(p, lang) for p in ps.policies],
        t("plan.col.periods", lang): tab["periods"],
        t("plan.col.state_share", lang): tab["state_share_percent"],
        t("plan.col.kind", lang): [t(f"plan.kind.{k}", lang) for k in tab["kind"]],
        t("plan.col.formula", lang): tab["formula"],
        t("plan.col.legal_basis", lang): tab["legal_basis"],
    })


def parameter_editor_table(ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """The parameters as the page's editor shows them: ``param_id`` (hidden), then labelled columns.

    The value (column ``plan.col.value``, float) is the only editable column.
    """
    return pd.DataFrame({
        "param_id": [p.id for p in ps.parameters],
        t("plan.col.parameter", lang): [p.label(lang) for p in ps.parameters],
        t("plan.col.value", lang): [float(p.value) for p in ps.parameters],
        t("plan.col.param_unit", lang): [p.unit_text(lang) for p in ps.parameters],
        t("plan.col.confirmed", lang): [_status(p.confirmed, lang) for p in ps.parameters],
        t("plan.col.source", lang): [p.source_text(lang) for p in ps.parameters],
    })


def describe_overrides(ov: PolicyOverrides, ps: PolicySet, lang: str = "vi") -> str:
    """The overridden values in words: 'Mức lương cơ sở: 1.600.000 đồng/tháng; Hỗ trợ chi phí học tập: 150.000 đồng'."""
    params = {p.id: p for p in ps.parameters}
    pols = {p.id: p for p in ps.policies}
    items = []
    for pid, v in ov.parameters.items():
        par = params.get(pid)
        num = fmt_int(v, lang) if float(v).is_integer() else fmt_num(v, lang, 2)
        items.append(f"{par.label(lang) if par else pid}: {num}" + (f" {par.unit_text(lang)}" if par and par.unit else ""))
    for pid, v in ov.amounts.items():
        name = pols[pid].name(lang) if pid in pols else pid
        items.append(f"{name}: {t('plan.amount_unknown', lang) if v is None else fmt_vnd(v, lang)}")
    return "; ".join(items)
