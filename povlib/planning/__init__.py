"""Support planning: policies (the rules and the officers' overrides), amounts, eligibility, budget,
what-if scenarios and the plan workbook.

The modules follow the data flow:

* :mod:`~povlib.planning.amounts`     – amount formulas (safe, exact), rounding, money;
* :mod:`~povlib.planning.overrides`   – the officers' overrides file (read);
* :mod:`~povlib.planning.policies`    – the policy model, reading and checking the shipped rules;
* :mod:`~povlib.planning.edits`       – which amounts and parameters an officer changed;
* :mod:`~povlib.planning.save`        – writing a policies file or the overrides;
* :mod:`~povlib.planning.difficult`   – the extremely-difficult-communes list;
* :mod:`~povlib.planning.eligibility` – target groups and eligible units;
* :mod:`~povlib.planning.budget`      – amounts, budget, totals;
* :mod:`~povlib.planning.whatif`      – what-if scenarios;
* :mod:`~povlib.planning.sheets`      – labelled display/export tables;
* :mod:`~povlib.planning.workbook`    – :class:`PlanBundle` and :func:`build_plan`;
* :mod:`~povlib.planning.policy_periods` – the amounts of a dated period (2026–2030), carried forward when unknown;
* :mod:`~povlib.planning.projection`  – the next year's plan under the next year's standard (a projection);
* :mod:`~povlib.planning.projection_sheets` – its labelled tables and notes.

Money is integer VND.

Examples
--------
>>> from povlib.planning import load_policies
>>> pol = load_policies(overrides=None)
>>> "health_insurance_poor" in [p.id for p in pol.policies]
True
"""
from __future__ import annotations

from .amounts import eval_amount, formula_names, parse_amount_text, parse_money, round_half_up
from .budget import (
                       BudgetSummary,
                       budget,
                       budget_by_unit,
                       budget_summary,
                       commune_totals,
                       grants_by_commune,
                       grants_by_unit,
                       share_rule_figures,
)
from .difficult import DIFFICULT_FILE, DifficultStatus, difficult_status, load_difficult_communes
from .edits import PlanEdits, detect_edits, overrides_between
from .eligibility import eligibility, household_groups, profile_columns, with_earlier_reviews
from .overrides import OVERRIDES_FILE, PolicyOverrides, loads_overrides, read_overrides
from .policies import (
                       KINDS,
                       PERIODS,
                       POLICIES_FILE,
                       UNITS,
                       InterventionDef,
                       Parameter,
                       Policy,
                       PolicySet,
                       load_policies,
                       loads_policies,
)
from .policy_periods import DatedPolicies, PolicyPeriod, load_periods, period_for_year, plan_policies, policies_for_year
from .policy_table import formula_text, policy_table
from .projection import (
                       TRANSITIONS,
                       PlanProjection,
                       PlanTarget,
                       Projection,
                       plan_target,
                       project,
                       project_plan,
                       projected_rows,
                       projection_by_commune,
                       transition_table,
)
from .projection_sheets import amounts_table, cost_by_policy, projection_notes, projection_sheets, projection_workbook
from .save import overrides_to_toml, policies_to_toml, save_overrides, save_policies
from .sheets import (
                       by_policy_sheet,
                       describe_groups,
                       describe_overrides,
                       detail_sheet,
                       parameter_editor_table,
                       parameters_sheet,
                       policies_sheet,
                       policy_editor_table,
                       totals_sheet,
                       whatif_sheets,
)
from .whatif import (
                       Intervention,
                       Scenario,
                       WhatIfResult,
                       WhatIfSummary,
                       close_gaps,
                       load_scenario,
                       reclassify,
                       run_scenario,
                       scenario_from_dict,
                       select_households,
                       whatif_summary,
)
from .workbook import (
                       PlanBundle,
                       build_plan,
                       display_path,
                       hi_unconfirmed_note,
                       once_notes,
                       plan_notes,
                       share_rule_notes,
)

__all__ = [
    # policies and overrides
    "KINDS", "PERIODS", "UNITS", "POLICIES_FILE", "OVERRIDES_FILE", "DIFFICULT_FILE",
    "Parameter", "Policy", "InterventionDef", "PolicySet", "PolicyOverrides", "PlanEdits",
    "load_policies", "loads_policies", "policy_table", "formula_text", "read_overrides", "loads_overrides",
    "detect_edits", "overrides_between", "policies_to_toml", "save_policies", "overrides_to_toml", "save_overrides",
    # amounts
    "eval_amount", "formula_names", "parse_amount_text", "parse_money", "round_half_up",
    # eligibility and budget
    "DifficultStatus", "load_difficult_communes", "difficult_status", "household_groups", "eligibility", "profile_columns",
    "with_earlier_reviews",
    "BudgetSummary", "budget", "budget_by_unit", "budget_summary", "commune_totals", "grants_by_commune", "grants_by_unit", "share_rule_figures",
    # what-if
    "Intervention", "Scenario", "WhatIfResult", "WhatIfSummary", "load_scenario", "scenario_from_dict",
    "close_gaps", "reclassify", "select_households", "run_scenario", "whatif_summary",
    # sheets and workbook
    "describe_groups", "describe_overrides", "policies_sheet", "parameters_sheet", "detail_sheet", "totals_sheet",
    "by_policy_sheet", "whatif_sheets", "policy_editor_table", "parameter_editor_table",
    "PlanBundle", "build_plan", "display_path", "hi_unconfirmed_note", "share_rule_notes", "once_notes", "plan_notes",
    # dated policy periods and the projection under the next year's standard
    "PolicyPeriod", "DatedPolicies", "load_periods", "period_for_year", "plan_policies", "policies_for_year",
    "TRANSITIONS", "PlanTarget", "Projection", "PlanProjection", "plan_target", "project", "project_plan",
    "projected_rows", "projection_by_commune", "transition_table",
    "projection_sheets", "projection_notes", "projection_workbook", "amounts_table", "cost_by_policy",
]
