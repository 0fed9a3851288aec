"""Unit names from an imported file reach the charts as text, not as plotly's HTML subset: a name with
``<a href>`` must not become a link in a tick label, a legend or a hover (plotly draws <a>, <b>, <span style>)."""
from __future__ import annotations

import pandas as pd

from ui import charts, trend_charts

HOSTILE = 'Xã <a href="https://evil.example/x">Bấm</a> & <b style="color:red">Đậm</b>'
ESCAPED = 'Xã &lt;a href="https://evil.example/x"&gt;Bấm&lt;/a&gt; &amp; &lt;b style="color:red"&gt;Đậm&lt;/b&gt;'


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)


def _check(fig) -> None:
    texts = list(_strings(fig.to_plotly_json()))
    assert not [s for s in texts if "<a href" in s or "<b style" in s], "a name reached the figure as HTML"
    assert any(ESCAPED in s for s in texts), "the name is not in the figure"


def test_ranking():
    rank = pd.DataFrame({"code": ["01", "02"], "name": [HOSTILE, "Xã Bản Thi"], "poor_rate": [0.2, 0.1],
                         "poor": [2, 1], "households": [10, 10], "near_poor_rate": [0.1, 0.1]})
    _check(charts.ranking_bar(rank, "vi", title="Tỷ lệ"))


def test_heatmap():
    matrix = pd.DataFrame({"health_insurance": [0.1, 0.2]}, index=[HOSTILE, "Xã Bản Thi"])
    _check(charts.heatmap(matrix, {"health_insurance": "Bảo hiểm y tế"}, "vi", title="T", unit_label="Xã"))


def test_compare_bars():
    ind = pd.DataFrame({"code": ["01", "02"], "name": [HOSTILE, "Xã Bản Thi"], "indicator": ["a", "a"],
                        "share": [0.1, 0.2]})
    _check(charts.compare_indicator_bars(ind, {"a": "Chỉ số A"}, "vi", title="T"))


def test_budget_and_whatif_bars():
    table = pd.DataFrame({"commune_name": [HOSTILE, "Xã Bản Thi"], "policy_id": ["p", "p"],
                          "policy": ["Hỗ trợ", "Hỗ trợ"], "budget": [1_000_000, 2_000_000]}, index=[5, 9])
    fig = charts.plan_budget_bars(table, "vi", title="T")
    _check(fig)
    assert list(fig.layout.yaxis.tickvals) == [ESCAPED, "Xã Bản Thi"]
    by_unit = pd.DataFrame({"commune_name": [HOSTILE], "poor_rate_base": [0.2], "poor_rate_scen": [0.1]})
    _check(charts.whatif_rate_bars(by_unit, "vi", title="T"))


def test_labelled_rate_lines():
    trend = pd.DataFrame({"code": ["01", "01"], "name": [HOSTILE, HOSTILE], "year": [2024, 2025],
                          "standard": ["ND07_2021", "ND07_2021"], "poor_rate": [0.2, 0.1],
                          "near_poor_rate": [0.1, 0.1], "poor": [2, 1], "near_poor": [1, 1], "households": [10, 10]})
    _check(trend_charts.labelled_rate_lines(trend, "vi", title="T"))
