"""The plan workbook: the support plan (and a what-if scenario) as labelled sheets with titles and notes.

:func:`build_plan` computes everything once and returns a :class:`PlanBundle`
(like :class:`povlib.reports.ReportBundle`); the ``plan`` command writes
``bundle.to_xlsx()`` to a file, the planning page offers it for download.

Examples
--------
>>> from povlib import load_demo
>>> demo = load_demo()
>>> b = build_plan(demo[demo["year"] == 2019], 2019, policies=load_policies(overrides=None), scope_label="Chợ Đồn")
>>> list(b.sheets)[:2]
['Tổng hợp theo xã', 'Tổng hợp chính sách']
>>> b.titles[0], b.to_xlsx()[:2]
('KẾ HOẠCH HỖ TRỢ HỘ NGHÈO, HỘ CẬN NGHÈO – NĂM 2019', b'PK')
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..export import to_xlsx_bytes
from ..i18n import fmt_num, t
from ..standards import get as _standard
from .budget import budget
from .difficult import DIFFICULT_FILE, difficult_status, load_difficult_communes
from .edits import overrides_between
from .eligibility import eligibility
from .policies import POLICIES_FILE, PolicySet, load_policies
from .sheets import (
    by_policy_sheet,
    describe_overrides,
    detail_sheet,
    parameters_sheet,
    policies_sheet,
    totals_sheet,
    whatif_sheets,
)
from .whatif import Scenario, WhatIfResult, run_scenario

__all__ = ["PlanBundle", "build_plan", "display_path"]


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
    """

    sheets: dict[str, pd.DataFrame]
    titles: list[str]
    notes: list[str]
    policies: PolicySet
    budget: pd.DataFrame
    whatif: WhatIfResult | None = None
    freeze_cols: int = 0

    def to_xlsx(self) -> bytes:
        """The workbook: one sheet per table, the titles above and the notes below each."""
        return to_xlsx_bytes(self.sheets, self.titles, notes=self.notes, freeze_cols=self.freeze_cols)


def _standard_name(year_rows: pd.DataFrame, standard: str | None, lang: str) -> tuple[str, list[str]]:
    """The standard planned under, and the what-if note when it is not the review's own."""
    own = (str(year_rows["standard"].iloc[0]) if "standard" in year_rows.columns and len(year_rows)
           and year_rows["standard"].nunique() == 1 else None)
    note = []
    if standard and own and own != standard:
        # reclassified under another standard than the review's: not the official lists
        note = [t("report.note.whatif", lang, name=_standard(standard).name(lang), own=_standard(own).name(lang))]
    if standard:
        name = _standard(standard).name(lang)
    elif own is not None:
        name = _standard(own).name(lang)
    else:
        name = _standard("QD59_2015").name(lang)
    return name, note


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
) -> PlanBundle:
    """The plan workbook's tables, titles and notes, for the command line and the page.

    Parameters
    ----------
    df : DataFrame
        Classified households (a panel with ``year`` gives recently escaped households).
    year : int
    policies : PolicySet, optional
        Default: :func:`~povlib.planning.load_policies` (the shipped rules with the
        officers' overrides). The scenario's overrides are applied.
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
    """
    ps = policies if policies is not None else load_policies()
    if scenario is not None:
        ps = scenario.apply_to(ps)
    bud = budget(eligibility(df, ps, year=year, difficult=difficult), ps)
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
    notes = [*whatif_note, t("plan.unconfirmed_warning", lang), t("plan.lending_note", lang)]
    differs = overrides_between(load_policies(overrides=None), ps)
    if len(differs):
        notes.append(t("plan.note.differs", lang, n=len(differs), file=display_path(POLICIES_FILE),
                       items=describe_overrides(differs, ps, lang)))
    if bud.attrs.get("pupils_estimated"):
        notes.append(t("plan.pupils_estimated", lang, share=fmt_num(ps.parameter_values.get("pupils_per_member"), lang, 2)))
    if difficult is not None:
        dc = load_difficult_communes() if isinstance(difficult, str) else difficult
        status = difficult_status(dc)
        if not status.confirmed:
            notes.append(t("plan.difficult_warning", lang, n=len(status.listed_names),
                           names=", ".join(status.listed_names), file=display_path(DIFFICULT_FILE)))
    if synthetic:
        notes.append(t("general.synthetic_note", lang))
    return PlanBundle(sheets, titles, notes, ps, bud, res)
