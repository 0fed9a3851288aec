"""Page-level tables of the dashboard, assembled from povlib's measures.

Pages only draw; every number they show comes from a function here, so that
the overview's figures are povlib's figures (and testable without Streamlit).
All functions are pure and vectorised; the input panel is never modified.

The panel given to these functions is a classified panel (see
:func:`povlib.classify_households`) joined with the per-household flow columns
of :func:`povlib.transitions.household_flows` (:func:`with_flows`).

* :mod:`.selection`    – groups, unit levels, :class:`Selection`, :func:`select_rows`, panel facts;
* :mod:`.overview`     – headline figures, ranking of units;
* :mod:`.trends`       – rates over years, yearly flows, transitions;
* :mod:`.deprivations` – Alkire–Foster measures, indicator shares, groups, units × indicators;
* :mod:`.households`   – the household list;
* :mod:`.compare`      – communes side by side;
* :mod:`.explain`      – the help page's standards and worked Alkire–Foster example.
"""
from __future__ import annotations

from .compare import MAX_COMPARED, Comparison, commune_choices, compare_communes
from .deprivations import deprivation_summary, group_comparison, partial_shares, unit_indicator_matrix
from .households import household_choices, household_list
from .overview import overview_figures, overview_of_communes, overview_of_scope, unit_ranking, with_ranks
from .selection import (
                        GROUPS,
                        LEVELS,
                        Group,
                        PanelFacts,
                        PanelRef,
                        Selection,
                        panel_facts,
                        select_rows,
                        selected_mask,
                        truthy,
                        unit_level,
                        with_flows,
)
from .trends import (
                        FLOW_CODES,
                        NEAR_FLOW_CODES,
                        POOR_FLOW_CODES,
                        flow_counts,
                        rates_trend,
                        standards_in_years,
                        transition_counts,
)

__all__ = [
    "GROUPS", "LEVELS", "Group", "PanelFacts", "PanelRef", "Selection", "panel_facts", "select_rows", "selected_mask", "truthy",
    "unit_level", "with_flows", "overview_figures", "overview_of_communes", "overview_of_scope", "unit_ranking", "with_ranks", "FLOW_CODES", "NEAR_FLOW_CODES",
    "POOR_FLOW_CODES", "flow_counts", "rates_trend", "standards_in_years", "transition_counts",
    "deprivation_summary", "partial_shares", "group_comparison", "unit_indicator_matrix", "household_choices", "household_list",
    "MAX_COMPARED", "Comparison", "commune_choices", "compare_communes",
]
