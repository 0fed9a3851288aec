"""``python -m povlib plan``: the support plan (and a what-if scenario) as an Excel workbook or a PDF.

Examples
--------
``python -m povlib plan --year 2019 --out ke_hoach_2019.xlsx`` (baseline plan of the store's latest version, as
``report`` reads it; without one, of the bundled demo, or of ``--scope``);
``python -m povlib plan --year 2019 --scenario data/policies/scenarios/example.toml --out kb.xlsx``;
``python -m povlib plan --year 2019 --input review.parquet --policies my_policies.toml --out plan.xlsx``;
``python -m povlib plan --year 2019 --out ke_hoach_2019.pdf`` (for printing and signing: the official header,
the signature block, A4);
``python -m povlib plan --year 2026 --project --out du_bao_2027.xlsx``: the next year's plan under the next
year's standard, projected from the review of ``--year`` (:func:`povlib.planning.project_plan`): by commune,
the transitions, the cost by policy and the amounts of the plan year, with the notes (provisional standard,
indicators used and missing, amounts carried forward).

The workbook is :func:`povlib.planning.build_plan` (the planning page offers the same one). By default the
policies are the shipped rules with the amounts of the plan year (:func:`povlib.planning.plan_policies`), then
the officers' overrides (``data/policies/overrides.toml``); the command says so when an override is in force.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import PovlibInputError
from ..export import write_bytes_atomic
from ..i18n import t
from ..panel import classify_panel
from ..planning import (
    build_plan,
    describe_overrides,
    display_path,
    load_difficult_communes,
    load_scenario,
    plan_policies,
    project_plan,
    projection_notes,
    projection_workbook,
)
from ..planning import overrides as _overrides
from ..reports.common import check_year
from .report import load_input

__all__ = ["add_arguments", "register", "run"]


def add_arguments(p: argparse.ArgumentParser, lang: str = "vi") -> None:
    """Arguments of the ``plan`` sub-command (help in ``lang``)."""
    p.add_argument("--year", type=int, required=True, help=t("cli.help.plan.year", lang))
    p.add_argument("--scenario", default=None, help=t("cli.help.plan.scenario", lang))
    p.add_argument("--out", required=True, help=t("cli.help.plan.out", lang))
    p.add_argument("--scope", default=None, choices=("cho-don", "bac-kan"), help=t("cli.help.report.scope", lang))
    p.add_argument("--input", default=None, help=t("cli.help.plan.input", lang))
    p.add_argument("--policies", default=None, help=t("cli.help.plan.policies", lang))
    p.add_argument("--difficult", default=None, help=t("cli.help.plan.difficult", lang))
    p.add_argument("--standard", default=None, help=t("cli.help.plan.standard", lang))
    p.add_argument("--project", action="store_true", help=t("cli.help.plan.project", lang))


def run(args) -> int:
    """Build the support plan (beneficiaries, cost, scenario) into an .xlsx or .pdf file (by extension)."""
    out = Path(args.out)
    if getattr(args, "project", False) and out.suffix.lower() != ".xlsx":
        raise PovlibInputError.from_key("plan.proj.err.output_suffix", name=out.name)
    if out.suffix.lower() not in (".xlsx", ".pdf"):
        raise PovlibInputError.from_key("plan.err.output_suffix", name=out.name)
    # the same data as ``report``: --input, else the store's latest version, else the demo of --scope
    df, source, synthetic = load_input(args)
    check_year(df, args.year)  # a year the data do not hold (or not a year: -1, 10**21): a message, not a crash
    if args.standard:
        df = classify_panel(df, args.standard, keep_existing=True)
    if args.input:
        scope_label = Path(args.input).name
    elif not synthetic:
        scope_label = t("app.scope.store_version", args.lang, version=source.rsplit("@", 1)[-1])
    else:
        scope_label = str(df["district_name"].iloc[0]) if df["district_code"].nunique() == 1 else t("general.province", args.lang)
    dated = plan_policies(args.year, path=args.policies)  # the plan year's amounts (of that file), then overrides
    policies = dated.policies
    if len(policies.overrides):
        print(t("plan.override_active", args.lang, n=len(policies.overrides),
                path=display_path(_overrides.OVERRIDES_FILE),
                items=describe_overrides(policies.overrides, policies, args.lang)))
    scenario = load_scenario(args.scenario) if args.scenario else None
    difficult = load_difficult_communes(args.difficult) if args.difficult else "default"
    if getattr(args, "project", False):
        return _project(df, args, policies, difficult, out, synthetic)
    bundle = build_plan(df, args.year, policies=policies, dated=dated, scenario=scenario, difficult=difficult,
                        standard=args.standard, scope_label=scope_label, synthetic=synthetic, lang=args.lang)
    write_bytes_atomic(out, bundle.to_pdf() if out.suffix.lower() == ".pdf" else bundle.to_xlsx())
    n = len(next(iter(bundle.sheets.values()))) - 1
    print(t("plan.cli.written", args.lang, year=args.year, n=n, path=out))
    for w in bundle.warnings:  # figures that rest on unconfirmed data or readings
        print(w)
    return 0


def _project(df, args, policies, difficult, out: Path, synthetic: bool) -> int:
    """``plan --project``: the next year's plan under its standard, as a workbook (notes printed too)."""
    pp = project_plan(df, args.year, policies, difficult=difficult)
    tg = pp.projection.target
    if not tg.projection:
        raise PovlibInputError.from_key("plan.proj.err.same_standard", plan_year=tg.plan_year,
                                        review_year=tg.review_year)
    write_bytes_atomic(out, projection_workbook(pp, args.lang, synthetic=synthetic))
    n = int(pp.projection.households["commune_code"].nunique()) if "commune_code" in pp.projection.households else 1
    print(t("plan.proj.cli.written", args.lang, plan_year=tg.plan_year, review_year=tg.review_year, n=n, path=out))
    for _, text in projection_notes(pp, args.lang):
        print(text)
    return 0


def register(sub, lang: str = "vi") -> None:
    """Add ``plan`` to the sub-command parsers ``sub`` (help in ``lang``)."""
    sp = sub.add_parser("plan", help=t("cli.help.plan", lang), description=t("cli.help.plan", lang))
    add_arguments(sp, lang)
    sp.set_defaults(func=run)
