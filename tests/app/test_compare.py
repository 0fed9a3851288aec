"""AppTest of the compare page (issue 10 item 13): two to four communes side by side, povlib's figures."""
from __future__ import annotations

import json

from povlib.i18n import fmt_int, fmt_pct, t
from povlib.views import MAX_COMPARED, compare_communes
from tests.support.apptest import open_page


def test_compare_asks_for_two_communes():
    at = open_page("app_pages/compare.py")
    assert at.multiselect(key="cmp_codes").value == []
    assert t("cmp.pick_hint", "vi", n=MAX_COMPARED) in [i.value for i in at.info]


def test_two_communes_side_by_side(demo):
    at = open_page("app_pages/compare.py", year="2019", communes="02035,02020")
    assert at.multiselect(key="cmp_codes").value == ["02035", "02020"]
    table = at.dataframe[0].value
    assert list(table.columns) == [t("cmp.measure"), "Thị trấn Bằng Lũng", "Xã Bản Thi"]  # Vietnamese order
    d = demo[(demo["year"] == 2019) & (demo["commune_code"] == "02035")]
    rows = dict(zip(table[t("cmp.measure")], table["Xã Bản Thi"]))
    assert rows[t("measure.households")] == fmt_int(len(d))
    assert rows[t("measure.poor_rate")] == fmt_pct((d["status"] == "poor").mean())
    c = compare_communes(demo, ["02035", "02020"], 2019)
    assert rows[t("measure.H")] == fmt_pct(c.rates.loc[c.rates["code"] == "02035", "H"].iloc[0])
    charts = {str(ch.proto.id): json.loads(ch.proto.spec) for ch in at.get("plotly_chart")}
    trend = next(v for k, v in charts.items() if "cmp_trend_poor_rate" in k)
    assert {"Xã Bản Thi", "Thị trấn Bằng Lũng"} <= {a["text"] for a in trend["layout"]["annotations"]}


def test_at_most_four_communes():
    at = open_page("app_pages/compare.py")
    assert at.multiselect(key="cmp_codes").max_selections == MAX_COMPARED == 4


PHONE_FOUR = "02035,02020,02050,02074"  # Bản Thi, Bằng Lũng, Phương Viên, Phong Huân


def _narrow_tables(at) -> list[list[list[str]]]:
    """The Markdown tables of the page (the phone's stacked form), as rows of unescaped cells."""
    out = []
    for m in at.markdown:
        if m.value.startswith("| "):
            rows = [[c.strip().replace("\\", "") for c in line.strip("| ").split(" | ")] for line in m.value.splitlines()]
            out.append([rows[0], *rows[2:]])
    return out


def test_the_rates_table_fits_a_phone(demo):
    """Issue 10: on a 390 px phone the table of four communes scrolled sideways. A wide screen gets the table
    (communes right-aligned), a phone one two-column table per commune, stacked (a CSS @media rule picks one)."""
    at = open_page("app_pages/compare.py", year="2019", communes=PHONE_FOUR)
    wide = at.dataframe[0]
    names = list(wide.value.columns[1:])
    assert len(names) == 4
    config = json.loads(wide.proto.columns)
    assert all(config[n]["alignment"] == "right" for n in names)
    css = " ".join(h.value for h in at.get("html"))
    assert "@media (max-width: 640px) { .st-key-cmp_rates_wide {display: none;} }" in css
    assert "@media (min-width: 641px) { .st-key-cmp_rates_narrow {display: none;} }" in css
    stacked = _narrow_tables(at)[:4]  # the indicators' stacked tables follow
    assert [tb[0] for tb in stacked] == [[t("cmp.measure"), n] for n in names]
    for tb, n in zip(stacked, names):  # the same cells as the wide table's
        assert [row[1] for row in tb[1:]] == wide.value[n].tolist()
    d = demo[(demo["year"] == 2019) & (demo["commune_code"] == "02050")]
    rows = dict(stacked[names.index("Xã Phương Viên")][1:])
    assert rows[t("measure.poor_rate")] == fmt_pct((d["status"] == "poor").mean())


def test_choices_are_the_communes_of_the_year_under_their_names_then():
    """2026: the 8 communes after the 2025 reform, named as in 2026 (the list held every year's 24 codes, a
    code under its first name: 02020 read "Thị trấn Bằng Lũng", in 2026 Xã Chợ Đồn)."""
    import povlib

    at = open_page("app_pages/compare.py", year="2026")
    p = povlib.load_demo()
    cur = p[p["year"] == 2026].drop_duplicates("commune_code")
    want = dict(zip(cur["commune_code"].astype(str), cur["commune_name"].astype(str)))
    assert sorted(at.multiselect(key="cmp_codes").options) == sorted(want.values()) and len(want) == 8
    assert "Xã Chợ Đồn" in at.multiselect(key="cmp_codes").options


def test_a_reused_code_is_compared_as_the_unit_of_the_year():
    """02020 is Xã Chợ Đồn in 2026 and was Thị trấn Bằng Lũng until 2024: compared in 2026 it is named Xã Chợ
    Đồn, and its trend is the 2026 commune's, every year re-expressed on the units of 2026 (as the trends page
    does), not Bằng Lũng's 2016–2024 under the new name."""
    import povlib
    from povlib.views import rates_trend
    from povlib.views.periods import on_units

    p = povlib.load_demo()
    c = compare_communes(p, ["02020", "02026"], 2026)
    assert set(c.indicators.loc[c.indicators["code"] == "02020", "name"]) == {"Xã Chợ Đồn"}
    want = rates_trend(on_units(p, 2026, communes=("02020",), year=2026), "commune")
    got = c.trend[c.trend["code"] == "02020"].reset_index(drop=True)
    assert got["households"].tolist() == want["households"].tolist() and got["year"].min() == 2016
    bang_lung_2019 = int(((p["year"] == 2019) & (p["commune_code"].astype(str) == "02020")).sum())
    assert got.set_index("year").loc[2019, "households"] != bang_lung_2019
    assert c.trend.attrs["on_units"]
    at = open_page("app_pages/compare.py", year="2026", communes="02020,02026")
    assert t("cmp.trend_units", "vi", year=2026) in [x.value for x in at.caption]
