"""The deprivations page on a phone and its numbers (issue 10 items 9 and 10).

Long indicator labels are written above their bars (nothing cut off, bars keep the width), count axes
have whole-number ticks only, and the numbers of its tables are right-aligned.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from povlib import standards
from povlib.i18n import t
from tests.support.apptest import open_page

NUMBER = re.compile(r"^-?[\d.,\u00a0 ]+( ?%)?$|^–$")


@pytest.fixture(scope="module")
def page():
    return open_page("app_pages/deprivations.py", year="2019")


def _chart(at, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if c.key == key).proto.spec)


@pytest.mark.parametrize("key", ["dep_bars", "dep_contrib"])
def test_indicator_labels_are_above_the_bars(page, key):
    spec = _chart(page, key)
    labels = [i.label("vi") for i in standards.get("QD59_2015").indicators]  # the 2019 review's standard
    assert spec["layout"]["yaxis"]["showticklabels"] is False  # no label column squeezing the bars
    texts = [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"] if a.get("xref") == "paper"]
    assert texts == labels
    assert all(a["xanchor"] == "left" and a["x"] == 0 for a in spec["layout"]["annotations"] if a.get("xref") == "paper")
    assert spec["layout"]["margin"]["l"] <= 20


def test_count_axis_has_whole_number_ticks(page):
    spec = _chart(page, "dep_counts")
    y = spec["layout"]["yaxis"]
    assert y["tickformat"] == ",d" and y["dtick"] >= 1 and float(y["dtick"]).is_integer()


def test_small_counts_never_repeat_a_tick():
    """Two households at most: ticks 0, 1, 2 (Plotly's own step would be 0.5, written 0, 1, 1, 2, 2)."""
    from ui import charts, trend_charts

    flows = pd.DataFrame({"year": [2017, 2018], "escaped_poverty": [1, 2], "newly_poor": [0, 1]})
    fig = trend_charts.flow_bars(flows, ("escaped_poverty", "newly_poor"), "vi", title="x")
    assert fig.layout.yaxis.dtick == 1 and fig.layout.yaxis.tickformat == ",d"
    # a flow with no figure in the first year (NaN) must not hang the page
    flows["re_poor"] = [float("nan"), 1.0]
    assert trend_charts.flow_bars(flows, ("escaped_poverty", "re_poor"), "vi", title="x").layout.yaxis.dtick == 1
    assert [charts.count_axis(n)["dtick"] for n in (0, 2, 6, 7, 13, 40, 5_000, 12_345)] == [1, 1, 1, 2, 5, 10, 1000, 5000]


def test_numbers_in_its_tables_are_right_aligned(page):
    frames = page.dataframe
    assert len(frames) == 3
    for frame in frames:
        config = json.loads(frame.proto.columns or "{}")
        df = frame.value
        for col in df.columns:
            cells = [str(v) for v in df[col]]
            if cells and all(NUMBER.match(c) for c in cells):
                assert config.get(col, {}).get("alignment") == "right", (col, cells[:3])
    assert t("dep.col.indicator") in frames[0].value.columns
