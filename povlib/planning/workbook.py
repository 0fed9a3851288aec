"""The plan workbook: the support plan (and a what-if scenario) as labelled sheets with titles and notes.

:func:`build_plan` computes everything once and returns a :class:`PlanBundle`
(like :class:`povlib.reports.ReportBundle`); the ``plan`` command writes
``bundle.to_xlsx()`` to a file, the planning page offers it for download.

Examples
--------
>>> from povlib import load_demo
>>> demo = load_demo()
>>> b = build_plan(demo[demo["year"] == 2019], 2019, policies=plan_policies(2019, overrides=None).policies, scope_label="Chợ Đồn")
>>> list(b.sheets)[:2]
['Tổng hợp theo xã', 'Tổng hợp chính sách']
>>> b.titles[0], b.to_xlsx()[:2]
('KẾ HOẠCH HỖ TRỢ HỘ NGHÈO, HỘ CẬN NGHÈO – NĂM 2019', b'PK')

A one-year table has no earlier review: the set-top box note says every household is counted.

>>> plan_notes(b.budget, b.policies)[-1][:47]
'Đầu thu truyền hình số (một lần): dữ liệu không'
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..columns import equals, in_district
from ..export import to_xlsx_bytes
from ..i18n import fmt_int, fmt_num, fmt_vnd, t
from ..indicator_basis import given_columns, shared_note
from ..reports.document import DocumentFrame, document_frame
from ..standards import DEFAULT_STANDARD
from ..standards import get as _standard
from ..units import district_names
from .budget import budget, budget_summary, grants_by_commune, share_rule_figures
from .difficult import DIFFICULT_FILE, difficult_status, load_difficult_communes
from .edits import overrides_between
from .eligibility import eligibility
from .policies import POLICIES_FILE, PolicySet, load_policies
from .policy_periods import DatedPolicies, plan_policies
from .sheets import (
    by_policy_sheet,
    describe_groups,
    describe_overrides,
    detail_sheet,
    parameters_sheet,
    policies_sheet,
    totals_sheet,
    whatif_sheets,
)
from .whatif import Scenario, WhatIfResult, run_scenario

__all__ = ["PlanBundle", "build_plan", "display_path", "hi_unconfirmed_note", "once_notes", "plan_notes",
           "share_rule_notes"]


def display_path(path: Path) -> str:
    """A shipped rules file as the page and the workbook name it: its path inside the project."""
    try:
        return path.relative_to(paths.PROJECT_DIR).as_posix()
    except ValueError:
        return str(path)


@dataclass
class PlanBundle:
    """The plan's display tables with their titles and notes; writes ``.xlsx``.

    Attributes
    ----------
    sheets : dict
        Sheet name -> display table (labelled headers, numbers numeric): totals
        per commune, per policy, detail, the scenario's two sheets when it has
        interventions, the policies and the parameters.
    titles, notes : list of str
        Lines above / below every sheet.
    policies : PolicySet
        The policy set planned with (rules, overrides and the scenario's values).
    budget : DataFrame
        The machine table behind the sheets (:func:`~povlib.planning.budget`).
    whatif : WhatIfResult or None
        The scenario's result, when it has interventions.
    warnings : list of str
        The notes on unconfirmed figures that the command line prints too
        (the health-insurance count resting on an unconfirmed commune list,
        the two readings of a state share); also in ``notes``.
    document : DocumentFrame or None
        The official header and signature block of the workbook and the PDF
        (:mod:`povlib.reports.document`).
    notices : list of (str, str)
        Every note of ``notes`` with how the page shows it: ``"warning"``
        (unconfirmed data or amounts), ``"info"`` (a reading to choose between,
        a what-if standard) or ``"note"`` (how a figure was counted).
    figures : dict
        The data of the page's charts: ``"budget_by_commune"``
        (:func:`~povlib.planning.grants_by_commune`: grant cost per policy and
        commune) and, with a scenario, ``"whatif_by_commune"`` (the scenario's
        ``by_unit`` table: poverty rates before and after per commune).
    lang : str
        The language the bundle was built in.
    """

    sheets: dict[str, pd.DataFrame]
    titles: list[str]
    notes: list[str]
    policies: PolicySet
    budget: pd.DataFrame
    whatif: WhatIfResult | None = None
    freeze_cols: int = 0
    warnings: list[str] = field(default_factory=list)
    document: DocumentFrame | None = None
    lang: str = "vi"
    notices: list[tuple[str, str]] = field(default_factory=list)
    figures: dict[str, pd.DataFrame] = field(default_factory=dict)

    def to_xlsx(self) -> bytes:
        """The workbook: one sheet per table, the titles above and the notes below each."""
        return to_xlsx_bytes(self.sheets, self.titles, notes=self.notes, freeze_cols=self.freeze_cols,
                             document=self.document)

    def to_pdf(self) -> bytes:
        """The plan for printing and signing (:func:`povlib.reports.pdf.plan_pdf`)."""
        from ..reports.pdf import plan_pdf

        return plan_pdf(self)


def _standard_name(year_rows: pd.DataFrame, standard: str | None, lang: str) -> tuple[str, list[str]]:
    """The standard planned under, and the what-if note when it is not the review's own."""
    own = _own_standard(year_rows)
    note = []
    if standard and own and own != standard:
        # reclassified under another standard than the review's: not the official lists
        note = [t("report.note.whatif", lang, name=_standard(standard).name(lang), own=_standard(own).name(lang))]
        note += [n for n in [shared_note(standard, own, lang, given=given_columns(year_rows))] if n]
    return _standard(standard or own or DEFAULT_STANDARD).name(lang), note


def _own_standard(year_rows: pd.DataFrame) -> str | None:
    """The review's one standard (None when the rows hold several or none)."""
    if "standard" in year_rows.columns and len(year_rows) and year_rows["standard"].nunique() == 1:
        return str(year_rows["standard"].iloc[0])
    return None


def _measures_off_standard(scenario: Scenario, ps: PolicySet, standard: str, lang: str) -> list[tuple[str, str]]:
    """A warning for each measure of the scenario on indicators the standard does not have (under Decree
    351/2025 the TV/radio measure reaches no household: its indicator was abolished)."""
    ids = set(_standard(standard).indicator_ids)
    out = []
    for iv in scenario.interventions:
        d = ps.intervention(iv.kind)
        if not set(d.indicators) & ids:
            out.append(("warning", t("plan.wi.off_standard", lang, measure=d.name(lang), std=_standard(standard).name(lang))))
    return out


def hi_unconfirmed_note(bud: pd.DataFrame, lang: str = "vi") -> str | None:
    """The note saying that the net health-insurance count rests on an unconfirmed commune list, or None."""
    if "units_confirmed" not in bud.columns:
        return None
    hi = bud["policy_id"].astype(str).str.startswith("health_insurance").to_numpy()
    if bud.loc[hi, "units_confirmed"].all():
        return None
    return t("plan.hi_net_unconfirmed", lang, file=display_path(DIFFICULT_FILE))


def _money(v: object, lang: str) -> str:
    return t("plan.amount_unknown", lang) if v is None or v is pd.NA else fmt_vnd(int(v), lang)


def share_rule_notes(bud: pd.DataFrame, ps: PolicySet, lang: str = "vi") -> list[str]:
    """Both readings of each policy's state share, in words (see :func:`~povlib.planning.share_rule_figures`)."""
    out = []
    params = {p.id: p for p in ps.parameters}
    for _, r in share_rule_figures(bud, ps).iterrows():
        p = ps.policy(r["policy_id"])
        groups = describe_groups(dataclasses.replace(p, groups=p.full_share_groups, exclude_groups=(), area=()), lang)
        kw = {"name": p.name(lang), "groups": groups, "full": fmt_num(r["full_share_percent"], lang, 0),
              "share": fmt_num(r["other_share_percent"], lang, 0),
              "param": params[p.full_share_switch].label(lang) if p.full_share_switch in params else p.full_share_switch}
        if r["budget_other"] is pd.NA:
            out.append(t("plan.share_rule.unknown", lang, **kw))
            continue
        key = "plan.share_rule.on" if r["applied"] else "plan.share_rule.off"
        out.append(t(key, lang, in_force=_money(r["budget"], lang), other=_money(r["budget_other"], lang), **kw))
    return out


def plan_notes(bud: pd.DataFrame, ps: PolicySet, lang: str = "vi", *, attrs: dict | None = None) -> list[str]:
    """Notes on the figures that rest on a reading or an assumption: the two readings of a state share and
    how the households that already received a support given once were found.

    ``attrs`` are the eligibility table's (default ``bud.attrs``; the page passes them apart because a
    cached table may lose them).
    """
    return share_rule_notes(bud, ps, lang) + once_notes(ps, bud.attrs if attrs is None else attrs, lang)


def once_notes(ps: PolicySet, attrs: dict, lang: str = "vi") -> list[str]:
    """How the households that already received a support given once were found (eligibility ``attrs``)."""
    basis = attrs.get("once_basis", {})
    notes = []
    for p in ps.policies:
        if p.id in basis:
            kw = {"name": p.name(lang), "column": p.received_column or "", "first": attrs.get("history_from", "")}
            notes.append(t(f"plan.once.{basis[p.id]}", lang, **kw))
    return notes


def _district_notice(ps: PolicySet, year_rows: pd.DataFrame, df: pd.DataFrame, lang: str) -> tuple[str, str] | None:
    """The set's note on its district: a note when every household of the plan is in that district, a
    warning naming the district when some (or, rows without districts, maybe some) are not: a rule of a
    non-poor district (70 % of the near-poor's health insurance) may not hold there."""
    note = ps.district_note(lang)
    if not note:
        return None
    if not ps.district_code:
        return "note", note
    if "district_code" in year_rows.columns and len(year_rows) and in_district(year_rows, ps.district_code).all():
        return "note", note
    named = df.loc[equals(df["district_code"], ps.district_code), "district_name"].dropna() \
        if {"district_code", "district_name"} <= set(df.columns) else pd.Series(dtype=object)
    if len(named):
        district = str(named.iloc[0])
    else:  # rows without districts (after the 2025 reform): the unit registry's name, as a former district
        name = district_names().get(str(ps.district_code))
        district = t("plan.note.former_district", lang, name=name) if name else ps.district_code
    return "warning", t("plan.note.other_district", lang, title=ps.title(lang), district=district, note=note.rstrip(" ."))


def _period_notices(dated: DatedPolicies, ps: PolicySet, lang: str) -> list[tuple[str, str]]:
    """The plan year's period of amounts and the amounts it carries forward, unconfirmed (those the plan in hand
    still uses: not an officer's or this session's own value)."""
    out: list[tuple[str, str]] = []
    if dated.period is None:
        return out
    per = dated.period
    out.append(("info", t("plan.note.period", lang, year=dated.year, period=per.id.replace("_", "–"),
                          start=per.valid_from.strftime("%d/%m/%Y"), end=per.valid_to.strftime("%d/%m/%Y"))))
    names = []
    for k in dated.carried:
        kind, pid = k.split(":", 1)
        if kind == "policy" and ps.policy(pid).unit_amount == dated.policies.policy(pid).unit_amount:
            names.append(ps.policy(pid).name(lang))
        elif kind == "param" and ps.parameter_values.get(pid) == dated.policies.parameter_values.get(pid):
            names.append(next(q for q in ps.parameters if q.id == pid).label(lang))
    if names:
        out.append(("warning", t("plan.proj.note.carried", lang, year=dated.year, n=len(names), items="; ".join(names))))
    return out


def build_plan(
    df: pd.DataFrame,
    year: int,
    *,
    policies: PolicySet | None = None,
    scenario: Scenario | None = None,
    difficult: pd.DataFrame | None | str = "default",
    standard: str | None = None,
    scope_label: str = "",
    synthetic: bool = False,
    lang: str = "vi",
    eligible: pd.DataFrame | None = None,
    dated: DatedPolicies | None = None,
) -> PlanBundle:
    """The plan workbook's tables, titles and notes, for the command line and the page.

    Parameters
    ----------
    df : DataFrame
        Classified households (a panel with ``year`` gives recently escaped households).
    year : int
    policies : PolicySet, optional
        Default: :func:`~povlib.planning.plan_policies` of ``year`` (the shipped rules with the amounts of
        the plan year's period, then the officers' overrides). The scenario's overrides are applied.
    scenario : Scenario, optional
        Interventions add the "scenario" sheets; amounts/parameters change the plan.
    difficult : DataFrame or None or "default"
        Extremely difficult communes (see :func:`~povlib.planning.eligibility`).
    standard : str, optional
        Classify the scenario under this standard (a what-if standard is named in the notes).
    scope_label : str
        District or file name shown in the titles.
    synthetic : bool
        Add the synthetic-data note.
    lang : {'vi', 'en'}
    eligible : DataFrame, optional
        :func:`~povlib.planning.eligibility` of ``df`` under these policies, when the caller has it
        already (the page keeps it while only amounts change; its ``attrs`` must be set).
    dated : DatedPolicies, optional
        The plan year's policies that ``policies`` were built on (:func:`~povlib.planning.plan_policies`):
        the notes name its period and the amounts it carries forward. Default: those of the shipped rules when
        ``policies`` is not given; none (no such note) when it is.
    """
    # the plan year's amounts (the period in force in the year after the review; the rest carried forward): of
    # the shipped rules by default; ``dated`` says which period the given ``policies`` were built on (none: no note)
    if policies is None and dated is None:
        dated = plan_policies(year)
    ps = policies if policies is not None else dated.policies
    if scenario is not None:
        ps = scenario.apply_to(ps)
    if eligible is None:
        eligible = eligibility(df, ps, year=year, difficult=difficult)
    bud = budget(eligible, ps)
    sheets = {
        t("plan.sheet.totals", lang): totals_sheet(bud, lang),
        t("plan.sheet.by_policy", lang): by_policy_sheet(bud, ps, lang),
        t("plan.sheet.detail", lang): detail_sheet(bud, ps, lang),
    }
    res = None
    if scenario is not None and scenario.interventions:
        res = run_scenario(df, scenario, ps, year=year, standard=standard)
        sheets.update(whatif_sheets(res, lang))
    sheets[t("plan.sheet.policies", lang)] = policies_sheet(ps, lang)
    sheets[t("plan.sheet.parameters", lang)] = parameters_sheet(ps, lang)

    year_rows = df[df["year"] == year] if "year" in df.columns else df
    std_name, whatif_note = _standard_name(year_rows, standard, lang)
    titles = [t("plan.xlsx.title", lang, year=year), t("plan.xlsx.scope", lang, scope=scope_label, std=std_name),
              t("plan.xlsx.units", lang)]
    if scenario is not None and (scenario.name or scenario.interventions):
        titles.append(t("plan.xlsx.scenario", lang, name=scenario.name or "–"))
    notices: list[tuple[str, str]] = [("info", n) for n in whatif_note]
    if difficult is not None:
        dc = load_difficult_communes() if isinstance(difficult, str) else difficult
        codes = sorted(set(bud["commune_code"].astype(str))) if "commune_code" in bud.columns else []
        status = difficult_status(dc, codes)
        if not status.confirmed:
            notices.append(("warning", t("plan.difficult_warning", lang, n=len(status.listed_names),
                                         names=", ".join(status.listed_names), file=display_path(DIFFICULT_FILE))))
        if status.missing:
            notices.append(("note", t("plan.difficult_missing", lang, n=status.missing)))
    notices.append(("warning", t("plan.unconfirmed_warning", lang)))
    hi_note = hi_unconfirmed_note(bud, lang)
    share_notes = share_rule_notes(bud, ps, lang)
    warnings = ([hi_note] if hi_note else []) + share_notes
    if hi_note:
        notices.append(("warning", hi_note))
    notices += [("info", n) for n in share_notes]
    notices.append(("note", t("plan.lending_note", lang)))
    district_notice = _district_notice(ps, year_rows, df, lang)
    if district_notice:
        notices.append(district_notice)
    if dated is not None:
        notices += _period_notices(dated, ps, lang)
    shipped = plan_policies(year, overrides=None).policies if dated is not None else load_policies(overrides=None)
    differs = overrides_between(shipped, ps)
    if len(differs):
        notices.append(("note", t("plan.note.differs", lang, n=len(differs), file=display_path(POLICIES_FILE),
                                  items=describe_overrides(differs, ps, lang))))
    if bud.attrs.get("pupils_estimated"):
        notices.append(("note", t("plan.pupils_estimated", lang,
                                  share=fmt_num(ps.parameter_values.get("pupils_per_member"), lang, 2))))
    else:
        notices.append(("note", t("plan.pupils_from_column", lang)))
    no_amount = budget_summary(bud).policies_without_amount
    if no_amount:
        notices.append(("note", t("plan.no_amount_note", lang, n=no_amount)))
    if not bud.attrs.get("recently_escaped_known", True):
        notices.append(("note", t("plan.recently_escaped_unknown", lang)))
    notices += [("note", n) for n in once_notes(ps, bud.attrs, lang)]
    if scenario is not None and scenario.interventions:
        notices += _measures_off_standard(scenario, ps, standard or _own_standard(year_rows) or DEFAULT_STANDARD, lang)
    if res is not None and res.b2_only:
        notices.append(("info", t("plan.wi.b2_only", lang, n=fmt_int(res.b2_only, lang))))
    if synthetic:
        notices.append(("note", t("general.synthetic_note", lang)))
    notes = [n for _, n in notices]
    figures = {"budget_by_commune": grants_by_commune(bud, ps, lang)}
    if res is not None:
        figures["whatif_by_commune"] = res.by_unit
    return PlanBundle(sheets, titles, notes, ps, bud, res, warnings=warnings, notices=notices, figures=figures,
                      document=document_frame(year_rows, lang), lang=lang)
