"""AppTest of what the trends page's charts say on their own (issue 10 item 14): each unit's line named at
its end, counts on the Sankey, and no bare 0 for a count that is not known or a year without a previous one."""
from __future__ import annotations

import json

import pytest

from povlib.i18n import fmt_int, t
from povlib.views import transition_counts, with_flows
from tests.support.apptest import open_page


def _chart(at, key: str) -> dict:
    charts = [c for c in at.get("plotly_chart") if key in str(c.proto.id)]
    assert charts, f"no chart {key}"
    return json.loads(charts[0].proto.spec)


def test_unit_lines_are_named_at_their_ends(demo):
    at = open_page("app_pages/trends.py", year="2019")
    spec = _chart(at, "tr_units")
    labels = [a["text"] for a in spec["layout"].get("annotations", [])]
    # the series is re-expressed on the latest units by default (the 8 communes of 2026)
    names = set(demo.loc[demo["year"] == demo["year"].max(), "commune_name"].astype(str))
    assert names <= set(labels), names - set(labels)  # every commune, not only in a hover
    assert not any(tr.get("showlegend", True) for tr in spec["data"])  # no legend to match colours with


def test_flow_charts_say_unknown_and_first_year_instead_of_zero(demo):
    at = open_page("app_pages/trends.py", {"tr_section": "flows"}, year="2019")
    spec = _chart(at, "tr_flows_poor")
    notes = [a["text"] for a in spec["layout"].get("annotations", [])]
    assert t("tr.unknown_short") in notes  # re-entry in 2017: no history before 2016
    note = t("tr.first_year_note", "vi", year="2016")
    assert note not in notes  # not inside the plot, where it covered the next year's bars on a phone
    assert note in spec["layout"]["xaxis"]["title"]["text"]  # under the axis' title
    assert spec["layout"]["xaxis"]["range"] == [-0.5, len(spec["layout"]["xaxis"]["categoryarray"]) - 0.5]
    re_poor = next(tr for tr in spec["data"] if tr["name"] == t("flow.re_poor"))
    assert re_poor["text"][0] == ""  # no "0" printed on the unknown bar
    assert spec["layout"]["xaxis"]["categoryarray"][0] == "2016"


def test_sankey_nodes_carry_their_counts(demo):
    at = open_page("app_pages/trends.py", {"tr_section": "sankey"}, year="2019")
    spec = _chart(at, "tr_sankey")
    labels = spec["data"][0]["node"]["label"]
    tr = transition_counts(with_flows(demo), 2018, 2019)
    n_poor_2018 = int(tr.loc[tr["from_status"] == "poor", "households"].sum())
    assert f"{t('status.poor')}<br>2018: {fmt_int(n_poor_2018)}" in labels
    ys = spec["data"][0]["node"]["y"]
    left = sorted(ys[: len(set(tr["from_status"]))])
    assert all(b - a >= 0.15 for a, b in zip(left, left[1:]))  # room for a two-line label between nodes


@pytest.mark.parametrize("standard", [None, "ND07_2021"])
def test_one_part_at_a_time_each_part_draws_only_its_own_charts(standard):
    """The page computes and draws the part chosen only (the rates first); each part opens on its own."""
    parts = {"rates": {"tr_rates", "tr_units"}, "flows": {"tr_flows_poor", "tr_flows_near"}, "sankey": {"tr_sankey"}}
    query = {"year": "2019", **({"standard": standard} if standard else {})}
    for part, keys in [(None, parts["rates"]), *parts.items()]:
        at = open_page("app_pages/trends.py", {"tr_section": part} if part else None, **query)
        drawn = {k for c in at.get("plotly_chart") for k in (*parts["rates"], *parts["flows"], "tr_sankey")
                 if k in str(c.proto.id)}
        assert drawn == keys, (part, drawn)
