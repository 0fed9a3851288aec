"""The national dataset on the compare, reports and planning pages (issue 14 item 4): provinces or the
communes of a province side by side, the figures equal to a direct DuckDB query of the sample's files, and no
page reading the whole household table (the fixtures of :mod:`tests.app.test_national`)."""
from __future__ import annotations

from povlib.geo.national import province_names
from povlib.i18n import fmt_int, fmt_pct, t
from povlib.sorting import vi_sorted
from tests.app.test_national import _national_page, _never_whole_table, direct, national, spy  # noqa: F401

__all__ = ["national", "spy"]


def _rates_table(at) -> dict[str, dict[str, str]]:
    table = at.dataframe[0].value
    measure = table.columns[0]
    return {c: dict(zip(table[measure], table[c])) for c in table.columns[1:]}


def test_compare_provinces_side_by_side(spy, national):
    at = _national_page("compare")
    assert t("cmp.nat.pick_hint", "vi", n=4) in [i.value for i in at.info]
    names = province_names()
    assert sorted(at.multiselect(key="cmp_codes").options) == sorted(names[p] for p in ("11", "19", "33"))
    at.multiselect(key="cmp_codes").set_value(["19", "11"]).run()
    table = _rates_table(at)
    assert list(table) == vi_sorted([names["11"], names["19"]])  # Vietnamese order
    want = direct(national, "SELECT province_code, COUNT(*) AS hh, SUM(CASE WHEN status = 'poor' THEN 1 ELSE 0 END) "
                            "AS poor FROM t WHERE year = 2026 GROUP BY province_code").set_index("province_code")
    for code, name in ((p, names[p]) for p in ("11", "19")):
        assert table[name][t("measure.households")] == fmt_int(want.loc[code, "hh"])
        assert table[name][t("measure.poor_rate")] == fmt_pct(want.loc[code, "poor"] / want.loc[code, "hh"])
    assert {c.key for c in at.get("plotly_chart")} >= {"cmp_ind_chart", "cmp_trend_poor_rate"}
    _never_whole_table(spy)


def test_compare_communes_of_a_province(spy, national):
    codes = direct(national, "SELECT DISTINCT commune_code FROM t WHERE province_code = '33' AND year = 2026 "
                             "ORDER BY commune_code LIMIT 2")["commune_code"].tolist()
    at = _national_page("compare", district="33", communes=codes[0])
    assert at.multiselect(key="cmp_codes").value == [codes[0]]
    at.multiselect(key="cmp_codes").set_value(codes).run()
    table = _rates_table(at)
    assert len(table) == 2
    want = direct(national, f"SELECT commune_name, COUNT(*) AS hh FROM t WHERE year = 2026 AND commune_code IN "
                            f"('{codes[0]}', '{codes[1]}') GROUP BY commune_name")
    for name, hh in zip(want["commune_name"], want["hh"]):
        assert table[name][t("measure.households")] == fmt_int(hh)
    _never_whole_table(spy)


def _first_table(at):
    return at.table[0].value  # a report form: a table whose headers wrap (it fits the screen)


def test_report_of_the_country_by_province(spy, national):
    at = _national_page("reports")
    table = _first_table(at)
    want = direct(national, "SELECT COUNT(*) AS hh, SUM(CASE WHEN status = 'poor' THEN 1 ELSE 0 END) AS poor "
                            "FROM t WHERE year = 2026")
    total = table.iloc[-1]
    assert total.iloc[1] == "Tổng cộng"
    assert str(want["hh"].iloc[0]) == str(total.iloc[2])  # households (the styler formats them on screen)
    assert str(int(want["poor"].iloc[0])) in total.astype(str).tolist()
    names = province_names()
    assert {names[p] for p in ("11", "19", "33")} <= set(table.iloc[:, 1].astype(str))
    assert len(at.get("download_button")) >= 3
    _never_whole_table(spy)


def test_indicator_report_of_a_province(spy, national):
    from povlib import standards

    at = _national_page("reports", district="19")
    at.segmented_control(key="rep_kind").set_value("indicators").run()
    table = _first_table(at)
    assert len(table) == 1 + len(standards.get("ND07_2021").indicator_ids)  # the households' row, the indicators
    want = direct(national, "SELECT SUM(CASE WHEN status = 'poor' AND employment THEN 1 ELSE 0 END) AS n FROM t "
                            "WHERE year = 2026 AND province_code = '19'")
    row = table.iloc[1].astype(str).tolist()
    assert row[2] == "Việc làm" and row[3] == str(int(want["n"].iloc[0]))  # employment: poor households deprived
    _never_whole_table(spy)


def test_report_under_a_whatif_standard_counts_the_reclassified_households(spy, national):
    """The country's summary form under Decree 351/2025: the engine's re-classification, titled as a what-if."""
    from tests.app.test_national import _whatif_rows

    at = _national_page("reports", standard="ND351_2025")
    assert not [w for w in at.warning if "chưa áp dụng được cho báo cáo" in w.value]
    rows = _whatif_rows(national, "ND351_2025")
    poor = int((rows.loc[rows["year"] == 2026, "status"] == "poor").sum())
    total = _first_table(at).iloc[-1]
    assert total.iloc[1] == "Tổng cộng" and str(poor) in total.astype(str).tolist()
    from povlib import standards

    note = t("report.note.whatif", "vi", name=standards.get("ND351_2025").name("vi"),
             own=standards.get("ND07_2021").name("vi"))
    assert note in [c.value for c in at.caption]  # said under the table: a what-if, not the review's figures
    _never_whole_table(spy)


