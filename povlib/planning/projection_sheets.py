"""Labelled tables and notes of a projected plan (:func:`povlib.planning.projection.project_plan`): what the
planning page draws and ``python -m povlib plan --project`` writes.

Examples
--------
>>> import pandas as pd
>>> from povlib.planning import load_policies
>>> from povlib.planning.projection import project_plan
>>> df = pd.DataFrame({"commune_code": ["1"], "commune_name": ["A"], "year": [2026], "status": ["near_poor"],
...                    "area": ["rural"], "members": [4], "income": [2_000_000], "latrine": [1]})
>>> pp = project_plan(df, 2026, load_policies(overrides=None), difficult=None)
>>> list(projection_sheets(pp, "en"))
['By commune', 'Transitions', 'Cost by policy', 'Amounts 2027']
>>> [k for k, _ in projection_notes(pp, "en")][:2]
['warning', 'info']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..export import to_xlsx_bytes
from ..i18n import fmt_int, fmt_vnd, t, t_or
from .budget import commune_totals
from .policy_table import formula_text
from .projection import TRANSITIONS, PlanProjection, projection_by_commune, transition_table

__all__ = ["projection_sheets", "projection_notes", "projection_workbook", "amounts_table", "cost_by_policy"]


def _yes_no(v: bool, lang: str) -> str:
    return t("plan.proj.yes" if v else "plan.proj.no", lang)


def cost_by_policy(pp: PlanProjection) -> pd.DataFrame:
    """Households, people, funded units and budget per policy over the whole table (policies in file order).

    ``budget`` is missing (``<NA>``) when a policy has no known amount; ``confirmed`` is False when a row of it is.
    """
    b = pp.budget
    g = b.groupby("policy_id", sort=False).agg(
        households=("households", "sum"), people=("people", "sum"), funded_units=("funded_units", "sum"),
        unit_amount=("unit_amount", "first"), confirmed=("confirmed", "all"), lending=("lending", "first"))
    g["budget"] = b.groupby("policy_id", sort=False)["budget"].agg(lambda s: s.sum() if s.notna().all() else pd.NA)
    order = [p.id for p in pp.policies.policies.policies if p.id in g.index]
    return g.loc[order].reset_index()


def amounts_table(pp: PlanProjection, lang: str = "vi") -> pd.DataFrame:
    """Every parameter and fixed amount of the plan year: value, from the period or carried forward, confirmed,
    source (the period's own text; a carried value says it is carried)."""
    dp, ps = pp.policies, pp.policies.policies
    per = dp.period
    carried = set(dp.carried)
    rows = []
    for q in ps.parameters:
        k = f"param:{q.id}"
        src = (t("plan.proj.carried_source", lang, year=dp.year) if k in carried
               else t_or(f"period.{per.id}.param.{q.id}.source", lang, q.source))
        rows.append((q.label(lang), fmt_int(q.value, lang) if float(q.value).is_integer() else str(q.value).replace(
            ".", "," if lang == "vi" else "."), q.unit_text(lang), k in carried, q.confirmed, src))
    for p in ps.policies:
        amount = ps.unit_amount(p.id)
        if amount is None:
            continue
        k = f"policy:{p.id}"
        if p.amount_formula:
            src = t("plan.proj.formula_source", lang, formula=formula_text(ps, p.id, lang))
        elif k in carried:
            src = t("plan.proj.carried_source", lang, year=dp.year)
        else:
            src = t_or(f"period.{per.id}.policy.{p.id}.source", lang, p.source)
        rows.append((p.name(lang), fmt_vnd(amount, lang), t(f"plan.unit.{p.unit}", lang), k in carried,
                     ps.amount_confirmed(p.id), src))
    cols = [t(f"plan.proj.col.{c}", lang) for c in ("item", "value", "unit", "carried", "confirmed", "source")]
    out = pd.DataFrame(rows, columns=cols)
    for c in (cols[3], cols[4]):
        out[c] = [_yes_no(bool(v), lang) for v in out[c]]
    return out


def _label_units(df: pd.DataFrame, lang: str) -> dict[str, str]:
    return {"commune_code": t("plan.col.commune_code", lang), "commune_name": t("general.commune", lang)}


def projection_sheets(pp: PlanProjection, lang: str = "vi") -> dict[str, pd.DataFrame]:
    """The projection as labelled tables: by commune (with a total row), transitions, cost by policy, amounts."""
    tg = pp.projection.target
    total = t("plan.proj.total", lang)
    kw = {"review_year": tg.review_year, "plan_year": tg.plan_year}
    byc = projection_by_commune(pp.projection, total_label=total)
    byc = byc.rename(columns={**_label_units(byc, lang),
                              **{c: t(f"plan.proj.col.{c}", lang, **kw) for c in byc.columns
                                 if c not in ("commune_code", "commune_name")}})
    tr = transition_table(pp.projection, total_label=total)
    tr = tr.rename(columns={**_label_units(tr, lang), "households": t("plan.proj.col.households", lang),
                            **{k: t(f"plan.proj.tr.{k}", lang) for k in TRANSITIONS.values()}})
    cost = cost_by_policy(pp)
    names = {p.id: p.name(lang) for p in pp.policies.policies.policies}
    cost_out = pd.DataFrame({
        t("plan.col.policy", lang): cost["policy_id"].map(names),
        t("plan.col.households", lang): cost["households"].astype(np.int64),
        t("plan.col.people", lang): cost["people"].astype(np.int64),
        t("plan.col.funded_units", lang): cost["funded_units"].astype(np.int64),
        t("plan.col.unit_amount", lang): cost["unit_amount"],
        t("plan.col.budget", lang): cost["budget"],
        t("plan.proj.col.lending", lang): [_yes_no(bool(v), lang) for v in cost["lending"]],
        t("plan.proj.col.confirmed", lang): [_yes_no(bool(v), lang) for v in cost["confirmed"]],
    })
    return {t("plan.proj.sheet.by_commune", lang): byc, t("plan.proj.sheet.transitions", lang): tr,
            t("plan.proj.sheet.cost", lang): cost_out,
            t("plan.proj.sheet.amounts", lang, year=tg.plan_year): amounts_table(pp, lang)}


def projection_notes(pp: PlanProjection, lang: str = "vi") -> list[tuple[str, str]]:
    """(kind, text) notes: the provisional standard, what was projected from what, the indicators used and
    missing, the policy period and the amounts carried forward. ``kind`` is warning / info."""
    pr, tg, dp = pp.projection, pp.projection.target, pp.policies
    std = _standards.get(tg.plan_standard)
    notes: list[tuple[str, str]] = []
    prov = _standards.provisional_note(std, lang)
    if prov:
        notes.append(("warning", prov))
    notes.append(("info", t("plan.proj.note.basis", lang, plan_year=tg.plan_year, std=std.name(lang),
                            review_year=tg.review_year, review_std=_standards.get(tg.review_standard).name(lang))))
    label = {i.id: i.label(lang) for i in std.indicators}
    notes.append(("info", t("plan.proj.note.used", lang, n=len(pr.used), total=len(std.indicators),
                            items="; ".join(label[i] for i in pr.used) or "—")))
    if pr.missing:
        n_could = int(pr.households["could_be_poor"].sum())
        notes.append(("warning", t("plan.proj.note.missing", lang, n=len(pr.missing), n_hh=fmt_int(n_could, lang),
                                   items="; ".join(label[i] for i in pr.missing))))
    if dp.period is not None:
        notes.append(("info", t("plan.proj.note.period", lang, period=dp.period.id.replace("_", "–"),
                                start=dp.period.valid_from.strftime("%d/%m/%Y"),
                                end=dp.period.valid_to.strftime("%d/%m/%Y"))))
    if dp.carried:
        ps = dp.policies
        names = [ps.policy(k.split(":", 1)[1]).name(lang) if k.startswith("policy:")
                 else next(q for q in ps.parameters if q.id == k.split(":", 1)[1]).label(lang) for k in dp.carried]
        notes.append(("warning", t("plan.proj.note.carried", lang, year=dp.year, n=len(names),
                                   items="; ".join(names))))
    tot = commune_totals(pp.budget, total_label="").iloc[-1]
    notes.append(("info", t("plan.proj.note.cost", lang, year=tg.plan_year,
                            amount=fmt_vnd(int(tot["grant_budget"]), lang),
                            confirmed=fmt_vnd(int(tot["grant_budget_confirmed"]), lang))))
    return notes


def projection_workbook(pp: PlanProjection, lang: str = "vi", *, synthetic: bool = False) -> bytes:
    """The projection as an Excel workbook: :func:`projection_sheets` with the title and, under every sheet,
    the :func:`projection_notes` (and the synthetic-data note for the demo data)."""
    notes = [text for _, text in projection_notes(pp, lang)]
    if synthetic:
        notes.append(t("general.synthetic_note", lang))
    title = [t("plan.proj.title", lang, plan_year=pp.projection.target.plan_year)]
    return to_xlsx_bytes(projection_sheets(pp, lang), title, notes=notes)
