"""Percentage axes never repeat a label: small national rates (about 1–3 %) get a step and decimals that fit."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from ui.charts import pct_axis
from ui.trend_charts import labelled_rate_lines, status_rates_lines


def _labels(axis) -> list[str]:
    """The tick labels Plotly writes for a linear axis from 0 with ``dtick`` and a ``.N%`` format."""
    decimals = int(axis.tickformat[1:-1])
    top = axis.range[1]
    n = int(math.floor(top / axis.dtick + 1e-9))
    return [f"{k * axis.dtick * 100:.{decimals}f}" for k in range(n + 1)]


@pytest.mark.parametrize("poor, near", [((0.013, 0.010), (0.025, 0.022)), ((0.004, 0.003), (0.006, 0.005)),
                                        ((0.30, 0.25), (0.12, 0.10))])
def test_rate_lines_have_distinct_tick_labels(poor, near):
    trend = pd.DataFrame({"year": [2025, 2026], "code": "all", "name": "", "standard": "ND07_2021", "second": False,
                          "households": [100, 100], "poor": [1, 1], "near_poor": [2, 2], "poor_rate": list(poor),
                          "near_poor_rate": list(near)})
    for fig in (status_rates_lines(trend, "vi", title="x"), labelled_rate_lines(trend, "vi", title="x")):
        labels = _labels(fig.layout.yaxis)
        assert len(labels) >= 3 and len(set(labels)) == len(labels), labels


def test_without_a_top_the_axis_is_whole_percents():
    assert pct_axis("vi") == {"tickformat": ".0%", "hoverformat": ".2%", "rangemode": "tozero"}
