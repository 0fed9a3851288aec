"""``python -m povlib plan``: the support plan (and a what-if scenario) as an Excel workbook.

Examples
--------
``python -m povlib plan --year 2019 --out ke_hoach_2019.xlsx`` (baseline plan of the bundled demo);
``python -m povlib plan --year 2019 --scenario data/policies/scenarios/example.toml --out kb.xlsx``;
``python -m povlib plan --year 2019 --input review.parquet --policies my_policies.toml --out plan.xlsx``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ..errors import PovlibInputError
from ..i18n import fmt_num, t

__all__ = ["add_arguments", "run", "build_workbook"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, help="review year to plan from")
    p.add_argument("--scenario", default=None, help="scenario file (.toml/.json): interventions and amount overrides")
    p.add_argument("--out", required=True, help="output workbook (.xlsx)")
    p.add_argument("--scope", default="cho-don", help="demo data: cho-don (default) or bac-kan")
    p.add_argument("--input", default=None, help="household table (.csv/.xlsx/.parquet) instead of the demo data")
    p.add_argument("--policies", default=None, help="policies file (default data/policies/policies.toml)")
    p.add_argument("--difficult", default=None, help="extremely difficult communes CSV (default data/policies/...)")
    p.add_argument("--standard", default=None, help="classify under this standard (QD59_2015 / ND07_2021)")


def build_workbook(
    df: pd.DataFrame,
    year: int,
    *,
    policies=None,
    scenario=None,
    difficult="default",
    standard: str | None = None,
    scope_label: str = "",
    synthetic: bool = False,
    lang: str = "vi",
) -> tuple[bytes, dict[str, pd.DataFrame]]:
    """The plan workbook (bytes) and its sheets, for the command line and the page.

    Parameters
    ----------
    df : DataFrame
        Classified households (a panel with ``year`` gives recently escaped households).
    year : int
    policies : PolicySet, optional
        Default: the bundled policies file. The scenario's overrides are applied.
    scenario : Scenario, optional
        Interventions add the "scenario" sheets; amounts/parameters change the plan.
    """
    from ..export import to_xlsx_bytes
    from ..policy import (budget, by_policy_sheet, detail_sheet, eligibility, load_policies, parameters_sheet,
                         policies_sheet, totals_sheet)
    from ..standards import get
    from ..whatif import run_scenario, whatif_sheets

    ps = policies if policies is not None else load_policies()
    if scenario is not None:
        ps = scenario.apply_to(ps)
    bud = budget(eligibility(df, ps, year=year, difficult=difficult), ps)
    sheets = {
        t("plan.sheet.totals", lang): totals_sheet(bud, lang),
        t("plan.sheet.by_policy", lang): by_policy_sheet(bud, ps, lang),
        t("plan.sheet.detail", lang): detail_sheet(bud, ps, lang),
    }
    if scenario is not None and scenario.interventions:
        res = run_scenario(df, scenario, ps, year=year, standard=standard)
        sheets.update(whatif_sheets(res, lang))
    sheets[t("plan.sheet.policies", lang)] = policies_sheet(ps, lang)
    sheets[t("plan.sheet.parameters", lang)] = parameters_sheet(ps, lang)

    year_rows = df[df["year"] == year] if "year" in df.columns else df
    own = (str(year_rows["standard"].iloc[0]) if "standard" in year_rows.columns and len(year_rows)
           and year_rows["standard"].nunique() == 1 else None)
    whatif_note = []
    if standard and own and own != standard:
        # reclassified under another standard than the review's: not the official lists
        whatif_note = [t("report.note.whatif", lang, name=get(standard).name(lang), own=get(own).name(lang))]
    if standard:
        std_name = get(standard).name(lang)
    elif "standard" in year_rows.columns and year_rows["standard"].nunique() == 1:
        std_name = get(str(year_rows["standard"].iloc[0])).name(lang)
    else:
        std_name = get("QD59_2015").name(lang)
    titles = [t("plan.xlsx.title", lang, year=year), t("plan.xlsx.scope", lang, scope=scope_label, std=std_name),
              t("plan.xlsx.units", lang)]
    if scenario is not None and (scenario.name or scenario.interventions):
        titles.append(t("plan.xlsx.scenario", lang, name=scenario.name or "–"))
    notes = [*whatif_note, t("plan.unconfirmed_warning", lang), t("plan.lending_note", lang)]
    if bud.attrs.get("pupils_estimated"):
        notes.append(t("plan.pupils_estimated", lang, share=fmt_num(ps.parameter_values.get("pupils_per_member"), lang, 2)))
    if difficult is not None:
        from ..policy import load_difficult_communes

        dc = load_difficult_communes() if isinstance(difficult, str) else difficult
        listed = dc[dc["extremely_difficult"]]
        if not dc["confirmed"].all():
            notes.append(t("plan.difficult_warning", lang, n=len(listed),
                           names=", ".join(listed.get("commune_name", listed["gso_code_2019"]).astype(str)),
                           file="data/policies/extremely_difficult_communes.csv"))
    if synthetic:
        notes.append(t("general.synthetic_note", lang))
    data = to_xlsx_bytes(sheets, titles, notes=notes)
    return data, sheets


def run(args) -> int:
    """Build the support plan (beneficiaries, cost, scenario) into an .xlsx file."""
    from .. import classify_households, load_demo
    from .core import read_table
    from ..export import write_bytes_atomic
    from ..policy import load_difficult_communes, load_policies
    from ..whatif import load_scenario

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise PovlibInputError(f"Tệp kết quả {out.name} phải có đuôi .xlsx", f"Output {out.name} must end in .xlsx")
    if args.input:
        df = read_table(args.input)
        if "status" not in df.columns or args.standard:
            std = args.standard or (None if "standard" in df.columns else "QD59_2015")
            df = classify_households(df, std)
        synthetic = False
        scope_label = Path(args.input).name
    else:
        df = load_demo(args.scope)
        if args.standard:
            df = classify_households(df, args.standard)
        synthetic = True
        scope_label = str(df["district_name"].iloc[0]) if df["district_code"].nunique() == 1 else t("general.province", args.lang)
    policies = load_policies(args.policies)
    scenario = load_scenario(args.scenario) if args.scenario else None
    difficult = load_difficult_communes(args.difficult) if args.difficult else "default"
    data, sheets = build_workbook(df, args.year, policies=policies, scenario=scenario, difficult=difficult,
                                  standard=args.standard, scope_label=scope_label, synthetic=synthetic, lang=args.lang)
    write_bytes_atomic(out, data)
    n = len(next(iter(sheets.values()))) - 1
    print(t("plan.cli.written", args.lang, year=args.year, n=n, path=out))
    return 0


def register(sub) -> None:
    """Add ``plan`` to the sub-command parsers ``sub``."""
    sp = sub.add_parser("plan", help=run.__doc__)
    add_arguments(sp)
    sp.set_defaults(func=run)
