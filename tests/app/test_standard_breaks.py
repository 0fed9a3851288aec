"""Series that say where they break (issue 12 item 4), on the bundled 2016–2026 demo.

Every chart of a series that crosses the change of standard between the 2021 and 2022 reviews (Decision
59/2015 → Decree 07/2021) carries a marked break (a shape named ``standard_break`` and a label naming both
standards); the 2021 review, measured under both, has two points; a what-if under one standard has no break.
"""
from __future__ import annotations

import base64
import json

import numpy as np
import pytest

import povlib
from povlib.classify import classify_households
from povlib.i18n import t
from povlib.measures import rates
from tests.support.apptest import assert_ok, open_page

BREAK_LABEL = {"vi": "Đổi chuẩn nghèo: QĐ 59/2015 → NĐ 07/2021", "en": "Standard changed: Decision 59/2015 → Decree 07/2021"}


def _charts(at) -> dict[str, dict]:
    return {str(ch.proto.id): json.loads(ch.proto.spec) for ch in at.get("plotly_chart")}


def _chart(at, key: str) -> dict:
    return next(v for k, v in _charts(at).items() if key in k)


def _values(v) -> list:
    """A trace's x or y: a list, or plotly's typed array ``{"dtype": ..., "bdata": base64}``."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v or [])


def _xs(fig: dict) -> set[str]:
    return {str(int(float(x))) if str(x).replace(".", "").isdigit() else str(x)
            for tr in fig["data"] for x in _values(tr.get("x"))}


def _has_break(fig: dict, lang: str = "vi") -> bool:
    shapes = [s for s in fig["layout"].get("shapes", []) if s.get("name") == "standard_break"]
    labels = [a["text"] for a in fig["layout"].get("annotations", []) if a.get("name") == "standard_break_label"]
    return bool(shapes) and BREAK_LABEL[lang] in labels


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_series_across_2021_2022_on_the_trends_page_is_marked(lang):
    drawn, captions = {}, []
    for part in ("rates", "flows"):  # the page draws one part at a time
        at = open_page("app_pages/trends.py", {"tr_section": part}, lang=lang)
        assert_ok(at, "trends")
        drawn.update(_charts(at))
        captions += [c.value for c in at.caption]
    crossing = {k: v for k, v in drawn.items() if {"2021", "2022"} <= _xs(v)}
    keys = " ".join(crossing)
    for part in ("tr_rates", "tr_units", "tr_flows_poor", "tr_flows_near"):
        assert part in keys, (part, list(drawn))
    for k, fig in crossing.items():
        if "sankey" in k:
            continue
        assert _has_break(fig, lang), k
    note = t("tr.flows_break_note", lang, year=2022, prev=2021, before=povlib.standards.short_name("QD59_2015", lang),
             after=povlib.standards.short_name("ND07_2021", lang))
    assert note in " ".join(captions)


def test_the_2021_review_has_a_point_under_each_standard(demo):
    at = open_page("app_pages/trends.py")
    fig = _chart(at, "tr_rates")
    rows = demo[demo["year"] == 2021]
    own = rates(rows)["poor_rate"].iloc[0]
    new = rates(classify_households(rows, "ND07_2021"))["poor_rate"].iloc[0]
    poor = [tr for tr in fig["data"] if tr.get("legendgroup") == "poor"]
    assert len(poor) == 2                               # one line per standard
    at_2021 = sorted(y for tr in poor for x, y in zip(_values(tr["x"]), _values(tr["y"])) if int(float(x)) == 2021)
    assert at_2021 == pytest.approx(sorted([own, new]))
    assert new > own                                    # the higher line of Decree 07/2021


def test_the_units_table_has_a_column_per_standard_for_2021():
    at = open_page("app_pages/trends.py")
    cols = [list(df.value.columns) for df in at.dataframe]
    assert any("2021" in c and "2021 · NĐ 07/2021" in c for c in cols), cols


def test_a_series_within_one_standard_has_no_break():
    at = open_page("app_pages/trends.py", year="2019")
    at.selectbox(key="f_year").set_value(2019)
    at.run()
    # the series of the years 2022-2026 only: no change of standard inside it
    fig = _chart(at, "tr_rates")
    assert _has_break(fig)                              # the whole series still crosses 2021/2022
    from povlib.views import rates_trend
    from ui import trend_charts
    tr = rates_trend(povlib.load_demo().query("year >= 2022"))
    assert not [s for s in trend_charts.status_rates_lines(tr, "vi", title="x").layout.shapes if s.name == "standard_break"]


def test_whatif_under_one_standard_has_no_break_and_says_whatif():
    at = open_page("app_pages/trends.py", standard="ND07_2021", year="2019")
    assert_ok(at, "what-if")
    assert not _has_break(_chart(at, "tr_rates"))
    assert any(t("app.whatif_standard", "vi", std=povlib.standards.get("ND07_2021").name("vi"),
                 own=povlib.standards.get("QD59_2015").name("vi")) == w.value for w in at.warning)


def test_compare_trend_is_marked():
    at = open_page("app_pages/compare.py", year="2019", communes="02035,02020")
    assert_ok(at, "compare")
    for col in ("poor_rate", "near_poor_rate"):
        assert _has_break(_chart(at, f"cmp_trend_{col}"))


def test_each_piece_is_labelled_at_its_ends_only():
    """Six reviews labelled each overlap on a phone: the values between are in the hover and the table."""
    fig = _chart(open_page("app_pages/trends.py"), "tr_rates")
    for tr in fig["data"]:
        text = tr["text"]
        assert text[0] and text[-1] and not any(text[1:-1]), text
