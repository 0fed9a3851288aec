"""AppTest of the map page: controls, the commune panel, URL binding (the map itself: test_browser.py)."""
from __future__ import annotations

import pytest

from povlib.i18n import fmt_int, fmt_pct
from tests.support.apptest import assert_ok, open_page

CODE, NAME = "02035", "Xã Bản Thi"


def open_map(state: dict | None = None, **query):
    """The map page on its own, filters from the URL (no exception, no st.error)."""
    return open_page("app_pages/map.py", state, **{"year": "2019", **query})  # the commune tested is a 2019 unit


def _texts(at) -> str:
    return " ".join([*(m.value for m in at.markdown), *(c.value for c in at.caption), *(s.value for s in at.subheader),
                     *(i.value for i in at.info)])


def test_map_page_without_selection_shows_hint_and_table():
    at = open_map()
    assert at.selectbox(key="map_measure").value == "poor_rate"
    assert "Bấm vào một xã trên bản đồ để xem chi tiết." in _texts(at)
    assert not [s for s in at.subheader if "–" in s.value]  # no panel
    assert len(at.dataframe) == 1  # the figures by unit


def test_selected_commune_opens_its_panel_with_povlib_figures(demo):
    at = open_map(communes=CODE)
    heads = [s.value for s in at.subheader]
    assert f"{NAME} – năm 2019" in heads
    d = demo[(demo["year"] == 2019) & (demo["commune_code"] == CODE)]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tổng số hộ"] == fmt_int(len(d))
    assert metrics["Tỷ lệ hộ nghèo"] == fmt_pct((d["status"] == "poor").mean())
    assert metrics["Tỷ lệ hộ cận nghèo"] == fmt_pct((d["status"] == "near_poor").mean())
    # short part labels (they fit a phone), the full titles inside the parts; one part drawn at a time
    part = next(b for b in at.get("button_group") if b.key == "map_part")
    assert part.options == ["Thôn, bản", "10 chỉ số", "Xu hướng"]
    assert "**Các thôn, bản**" in {m.value for m in at.markdown}
    assert not [c for c in at.get("plotly_chart") if "map_" in str(c.proto.id)]  # no chart until its part is chosen
    villages = at.dataframe[-1].value
    for key, title, chart in (("profile", "**10 chỉ số thiếu hụt tiếp cận dịch vụ xã hội cơ bản**", "map_profile_chart"),
                              ("trend", "**Xu hướng 2016–2026**", "map_trend_chart")):
        opened = open_map(state={"map_part": key}, communes=CODE)
        assert title in {m.value for m in opened.markdown}
        assert [c for c in opened.get("plotly_chart") if chart in str(c.proto.id)], key
    assert villages.columns[0] == "Thôn, bản"
    assert sum(int(x.replace(".", "")) for x in villages["Tổng số hộ"]) == len(d)


def test_panel_close_clears_the_selection():
    at = open_map(communes=CODE)
    at.button(key="map_close").click().run()
    assert_ok(at, "close")
    at.run()
    assert_ok(at, "after close")
    assert not [s for s in at.subheader if NAME in s.value]
    assert "communes" not in at.query_params


def test_measure_is_bound_to_the_url_and_english_labels():
    at = open_map(communes=CODE, measure="M0", year="2016")
    assert at.selectbox(key="map_measure").value == "M0"
    at.radio(key="f_lang").set_value("en").run()
    assert_ok(at, "en")
    assert f"{NAME} – 2016" in [s.value for s in at.subheader]
    labels = {m.label for m in at.metric}
    assert {"Total households", "Poverty rate", "Adjusted headcount ratio of deprivations (M0)"} <= labels
    at.selectbox(key="map_measure").set_value("poor").run()
    assert_ok(at, "measure poor")
    assert at.query_params.get("measure") in ("poor", ["poor"])


def test_group_filter_changes_the_figures(demo):
    at = open_map(communes=CODE, group="ethnic_minority")
    d = demo[(demo["year"] == 2019) & (demo["commune_code"] == CODE) & demo["ethnic_minority"]]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tổng số hộ"] == fmt_int(len(d))
    assert metrics["Tỷ lệ hộ nghèo"] == fmt_pct((d["status"] == "poor").mean())


def test_commune_profile_after_the_reform_is_compared_with_its_province():
    """2026 (no district): the panel's indicator profile says what it compares with (the province, here the
    part of it in the data), and its heading counts the standard's 12 indicators, not a fixed 10."""
    import json

    from povlib.i18n import t

    at = open_page("app_pages/map.py", {"map_part": "profile"}, dataset="bac-kan", communes="01840")
    parent = t("map.parent_in_data", "vi", name="Tỉnh Thái Nguyên")
    assert any(parent in c.value for c in at.caption)
    assert f"**{t('map.profile', 'vi', n=12)}**" in [m.value for m in at.markdown]
    (chart,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.key == "map_profile_chart"]
    assert [tr["name"] for tr in chart["data"]][0].endswith(parent)
    # the values stand outside the bars: room for the longest one right of the plot (it was cut at 390 px)
    assert chart["layout"]["margin"]["r"] >= 48 and {tr["textposition"] for tr in chart["data"]} == {"outside"}


@pytest.mark.parametrize("year", ["2020", "2024"])
def test_province_map_by_district_between_the_reforms(year):
    """The province's map by district (its default view) for the years after the 2020 commune mergers and before
    the 2025 reform: district outlines fit every year their districts were in force (units registry), only the
    2019 commune outlines stop at 2019. Before, every such year showed an error instead of the map."""
    from povlib.geo.layers import boundaries

    assert boundaries("bac-kan", "district").attrs["last_year"] == 2024
    assert boundaries("bac-kan").attrs["last_year"] == 2019
    at = open_page("app_pages/map.py", dataset="bac-kan", year=year)  # asserts no exception and no st.error
    assert not at.error
