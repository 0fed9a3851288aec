"""The planning page as a leader and a phone see it (issue 10, issue 8 leftover; issue 9 numbers).

* the budget comes first: the page is split in tabs, the first holds the metrics, the budget chart and
  the totals, drawn from :class:`povlib.planning.PlanBundle` (its notes, tables and chart data);
* the budget chart is horizontal and names every commune (no label skipped);
* every number in every table is right-aligned; amounts typed in the what-if read ``25.000.000``.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from povlib import planning
from povlib.i18n import fmt_int, fmt_vnd, t
from povlib.views import PanelRef, Selection
from tests.support.apptest import assert_ok, open_page

NUMBER = re.compile(r"^-?[\d.,\u00a0 ]+( ?%)?$|^–$")


@pytest.fixture(scope="module")
def page():
    return open_page("app_pages/planning.py", year="2019")


def _spec(chart) -> dict:
    return json.loads(chart.proto.spec)


def test_the_budget_tab_comes_first_and_holds_the_budget(page):
    assert [tb.label for tb in page.tabs] == [t(f"plan.tab.{k}") for k in ("budget", "policies", "settings", "whatif")]
    first = page.tabs[0]
    assert [m.label for m in first.metric][:2] == [t("plan.metric.grant"), t("plan.metric.lending")]
    assert [getattr(c, "key", None) for c in first.get("plotly_chart")] == ["plan_budget_chart"]
    assert len(first.dataframe) == 1  # the totals per commune
    # the editors are on their own tab, the what-if on the last; every tab is drawn (the editors keep their state)
    assert len(page.tabs[2].data_editor) == 2
    assert "wi_hi" in [c.key for c in page.tabs[3].checkbox]


def test_the_page_draws_the_plan_bundle(page):
    """Notes, totals and chart data are the bundle's (povlib.planning.build_plan), not the page's own."""
    from ui import cache

    sel = Selection(PanelRef("cho-don"))
    base = planning.load_policies()
    text = planning.policies_to_toml(base)
    elig, attrs = cache.view_plan_eligibility(sel, 2019, text, float(base.parameter_values["pupils_per_member"]),
                                              planning.DIFFICULT_FILE.stat().st_mtime)
    elig = elig.copy()
    elig.attrs = dict(attrs)
    bundle = planning.build_plan(cache.panel_rows(sel, 2019), 2019, policies=base, eligible=elig)
    first = page.tabs[0]
    shown = {"warning": [w.value for w in first.warning], "info": [i.value for i in first.info],
             "note": [c.value.removeprefix(":material/info: ") for c in first.caption]}
    for kind, note in bundle.notices:
        assert note in shown[kind], (kind, note[:80])
    assert set(shown["warning"]) | set(shown["info"]) <= set(bundle.notes)
    table = first.dataframe[0].value
    totals = bundle.sheets[t("plan.sheet.totals")]
    col = t("plan.col.grant_budget")
    assert table[col].tolist() == [fmt_int(v) for v in totals[col]]
    spec = _spec(first.get("plotly_chart")[0])
    fig = bundle.figures["budget_by_commune"]
    hover = [h for tr in spec["data"] for h in tr["customdata"]]
    assert hover == [f"<b>{c}</b><br>{p}: {fmt_vnd(v)}" for p, c, v in zip(fig["policy"], fig["commune_name"],
                                                                           fig["budget"])]


def test_budget_chart_is_horizontal_and_names_every_commune(page):
    spec = _spec(page.tabs[0].get("plotly_chart")[0])
    communes = set(page.tabs[0].dataframe[0].value[t("general.commune")]) - {t("plan.total_row")}
    assert {tr["orientation"] for tr in spec["data"]} == {"h"}
    assert set(spec["layout"]["yaxis"]["ticktext"]) == communes and len(communes) == 22
    # every commune gets at least 20 px
    assert spec["layout"]["height"] >= 20 * len(communes)


def test_every_number_in_every_table_is_right_aligned(page):
    frames = page.dataframe
    assert len(frames) >= 4
    for frame in frames:
        config = json.loads(frame.proto.columns or "{}")
        df = frame.value
        for col in df.columns:
            if pd.api.types.is_numeric_dtype(df[col]):  # numbers kept numeric (the editors): the grid right-aligns them
                continue
            cells = [str(v) for v in df[col] if str(v) not in ("", t("plan.amount_unknown"))]
            if cells and all(NUMBER.match(c) for c in cells) and not col == t("plan.col.commune_code"):
                assert config.get(col, {}).get("alignment") == "right", (col, cells[:3])


def test_whatif_amounts_are_typed_with_grouping(page):
    at = open_page("app_pages/planning.py", year="2019")
    box = at.text_input(key="wi_cost_housing")
    assert box.value == "25.000.000"
    at.checkbox(key="wi_housing").check()
    box.input("30000000")
    at.run()
    assert_ok(at)
    assert at.text_input(key="wi_cost_housing").value == "30.000.000"  # regrouped
    cost_col = t("plan.wi.col.unit_cost")
    per_iv = [f.value for f in at.tabs[3].dataframe if cost_col in f.value.columns][0]
    assert per_iv[cost_col].tolist() == ["30.000.000"]
    at.text_input(key="wi_cost_housing").input("30.000,5").run()
    errors = [e.value for e in at.error]
    assert errors and "25.000.000" in errors[0] and "«30.000,5»" in errors[0]
