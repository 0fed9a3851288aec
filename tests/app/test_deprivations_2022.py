"""The deprivation page on the demo's own Decree 07/2021 reviews (issue 12 item 1): 12 indicators in 6
dimensions from the data, not a what-if over the 10 indicators of Decision 59/2015."""
from __future__ import annotations

import json

import pytest

from povlib import standards
from povlib.measures import deprivation_shares
from tests.support.apptest import assert_ok, open_page


@pytest.mark.parametrize(("year", "std_id", "n", "dims"), [(2019, "QD59_2015", 10, 5), (2022, "ND07_2021", 12, 6),
                                                           (2026, "ND07_2021", 12, 6)])
def test_deprivation_page_uses_the_years_own_standard(demo, year, std_id, n, dims):
    std = standards.get(std_id)
    assert (len(std.indicators), len(std.dimensions)) == (n, dims)
    at = open_page("app_pages/deprivations.py", year=str(year))
    assert_ok(at, f"deprivations {year}")
    assert not at.info or all("what-if" not in i.value for i in at.info)
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    text = json.dumps(charts, ensure_ascii=False)
    for ind in std.indicators:                       # every indicator of the year's standard is drawn
        assert ind.label("vi") in text, ind.id
    for d in std.dimensions:
        assert d.label("vi") in text, d.id
    # the shares drawn are those of the year's rows on that standard's own indicator columns
    rows = demo[demo["year"] == year]
    shares = deprivation_shares(rows, std).set_index("indicator")["share"]
    assert shares.notna().all() and len(shares) == n
