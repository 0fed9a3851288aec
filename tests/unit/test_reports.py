"""povlib.reports: identities, agreement with the dashboard's measures, row order, the posting list's
privacy, the Excel/CSV files (the command line ``report``: ``tests/cli/test_cli_report.py``)."""
from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

import povlib
from povlib import PovlibInputError
from povlib.i18n import percent
from povlib.measures import rates
from povlib.reports import (
    build_report,
    group_table,
    indicator_table,
    posting_list,
    summary_table,
)
from povlib.transitions import flow_table

STATUSES = ("poor", "near_poor")
IDENTITY = ("start", "escaped", "to_poor", "re_entered", "newly_arising", "left", "end")


def _identity_holds(df: pd.DataFrame) -> pd.Series:
    """The printed identity; households formed or moved in are inside newly arising (``joined`` is "of which"),
    and a re-entered figure not known (NA, the year after the first review) is inside newly arising too."""
    lhs = (df["start"] - df["escaped"] - df["to_poor"] + df["re_entered"].fillna(0) + df["newly_arising"]
           - df["left"])
    return (lhs == df["end"]).astype(bool)


@pytest.fixture(scope="module")
def tables(demo):
    """Summary tables of every later year and both statuses (computed once)."""
    years = sorted(demo["year"].unique())[1:]
    return {(int(y), s): summary_table(demo, int(y), status=s) for y in years for s in STATUSES}


# --- the summary table ----------------------------------------------------------------------------
def test_identity_every_row_year_and_status(tables, demo):
    assert len(tables) == 2 * (demo["year"].nunique() - 1)
    for (year, status), tab in tables.items():
        cur = demo[demo["year"] == year]
        # the communes of that year (22, 20 from 2020, 8 from 2025), the urban and rural rows (even if empty), the total
        assert len(tab) == cur["commune_code"].nunique() + 2 + 1
        ok = _identity_holds(tab)
        assert ok.all(), (year, status, tab.loc[~ok, ["name", *IDENTITY]])
        assert (tab[list(IDENTITY)] >= 0).all().all()


def test_end_and_rates_equal_the_dashboard_measures(demo, tables):
    for (year, status), tab in tables.items():
        cur = demo[demo["year"] == year]
        tot = rates(cur).iloc[0]
        row = tab[tab["row_kind"] == "total"].iloc[0]
        assert row["households"] == tot["households"]
        assert row["end"] == tot[status]
        assert row["end_rate"] == pytest.approx(tot[f"{status}_rate"], abs=1e-15)
        by_c = rates(cur, "commune_code").set_index("commune_code")
        units = tab[tab["row_kind"] == "unit"].set_index("code")
        assert set(units.index) == set(by_c.index.astype(str))
        assert (units["end"] == by_c.loc[units.index, status].to_numpy()).all()
        assert np.allclose(units["end_rate"], by_c.loc[units.index, f"{status}_rate"].to_numpy())
        by_a = rates(cur, "area").set_index("area")
        for area in by_a.index[by_a["households"] > 0].astype(str):  # from 2025 no town: the urban row is empty
            arow = tab[(tab["row_kind"] == "area") & (tab["area"] == area)].iloc[0]
            assert arow["households"] == by_a.loc[area, "households"]
            assert arow["end"] == by_a.loc[area, status]
        em = cur[cur["ethnic_minority"]]
        assert row["end_em"] == int((em["status"] == status).sum())
        assert row["em_households"] == len(em)
        assert row["end_em_rate"] == pytest.approx((em["status"] == status).mean())


def test_flows_equal_the_flow_table(demo, tables):
    ft = flow_table(demo, by="commune_code", status="poor", flags=("ethnic_minority",))
    ft = ft[ft["year"] == 2019].set_index("commune_code")
    units = tables[(2019, "poor")].query("row_kind == 'unit'").set_index("code")
    for col, src in (("start", "start"), ("start_em", "start_ethnic_minority"), ("escaped", "escaped"),
                     ("re_entered", "re_entered"), ("joined", "joined"), ("left", "left")):
        assert (units[col] == ft.loc[units.index, src].to_numpy()).all(), col
    # the form's newly arising: resident newly arising + households formed or moved in
    assert (units["newly_arising"] == (ft["newly_arising"] + ft["joined"]).loc[units.index].to_numpy()).all()


def test_start_equals_previous_year_end(demo, tables):
    prev = rates(demo[demo["year"] == 2018]).iloc[0]
    assert tables[(2019, "poor")].iloc[-1]["start"] == prev["poor"]
    assert tables[(2019, "near_poor")].iloc[-1]["start"] == prev["near_poor"]


def test_row_order_urban_then_rural_then_total(tables):
    tab = tables[(2019, "poor")]
    assert tab["row_kind"].iloc[0] == "area" and tab["area"].iloc[0] == "urban"
    assert tab["tt"].iloc[0] == "I" and tab["row_kind"].iloc[-1] == "total"
    ii = tab.index[(tab["row_kind"] == "area") & (tab["area"] == "rural")][0]
    assert tab["tt"].iloc[ii] == "II"
    assert (tab.loc[1:ii - 1, "area"] == "urban").all() and (tab.loc[ii + 1:len(tab) - 2, "area"] == "rural").all()
    assert tab.loc[1, "name"] == "Thị trấn Bằng Lũng"
    units = tab[tab["row_kind"] == "unit"]
    assert units["tt"].tolist() == [str(i) for i in range(1, len(units) + 1)]


def test_percentages_and_their_base(demo, tables):
    tab = tables[(2019, "poor")]
    assert np.allclose(tab["escaped_pct"], tab["escaped"] / tab["households"])
    assert np.allclose(tab["newly_arising_pct"], tab["newly_arising"] / tab["households"])
    by_start = summary_table(demo, 2019, status="poor", pct_base="start")
    ok = by_start["start"] > 0
    assert np.allclose(by_start.loc[ok, "re_entered_pct"], by_start.loc[ok, "re_entered"] / by_start.loc[ok, "start"])
    with pytest.raises(PovlibInputError):
        summary_table(demo, 2019, pct_base="people")


def test_moves_between_communes_count_only_at_commune_level():
    """Hand-made panel: a poor household moving from commune A to B left A and joined B, not the total."""
    rows = [
        # id, year, commune, area, status, em
        ("m", 2018, "A", "rural", "poor", True), ("m", 2019, "B", "urban", "poor", True),      # moved
        ("e", 2018, "A", "rural", "poor", False), ("e", 2019, "A", "rural", "near_poor", False),  # escaped
        ("r", 2017, "B", "urban", "poor", False), ("r", 2018, "B", "urban", "non_poor", False),
        ("r", 2019, "B", "urban", "poor", False),                                                 # re-poor
        ("n", 2018, "A", "rural", "non_poor", True), ("n", 2019, "A", "rural", "poor", True),     # newly poor
        ("j", 2019, "A", "rural", "poor", False),                                                 # new household
        ("x", 2018, "B", "urban", "poor", False),                                                 # dissolved
        ("k", 2017, "A", "rural", "non_poor", False), ("k", 2018, "A", "rural", "non_poor", False),
        ("k", 2019, "A", "rural", "non_poor", False),
    ]
    p = pd.DataFrame(rows, columns=["household_id", "year", "commune_code", "area", "status", "ethnic_minority"])
    p["commune_name"] = "Xã " + p["commune_code"]
    tab = summary_table(p, 2019, status="poor").set_index("name")
    a, b, tot = tab.loc["Xã A"], tab.loc["Xã B"], tab.loc["Tổng cộng"]
    # newly arising includes the households formed or moved in (joined, "of which")
    assert (a["start"], a["escaped"], a["newly_arising"], a["joined"], a["left"], a["end"]) == (2, 1, 2, 1, 1, 2)
    assert (b["start"], b["re_entered"], b["newly_arising"], b["joined"], b["left"], b["end"]) == (1, 1, 1, 1, 1, 2)
    assert (tot["start"], tot["escaped"], tot["re_entered"], tot["newly_arising"]) == (3, 1, 1, 2)
    assert (tot["joined"], tot["left"], tot["end"]) == (1, 1, 4)  # the move is internal to the total
    assert (a["households"], b["households"], tot["households"]) == (4, 2, 6)
    assert tot["end_rate"] == pytest.approx(4 / 6)
    assert (a["start_em"], a["end_em"], b["end_em"]) == (1, 1, 1)
    assert _identity_holds(tab).all()
    # areas are their own level too: the move went from the rural area to the urban one
    urban = tab.loc["Khu vực thành thị"]
    assert (urban["joined"], urban["left"]) == (1, 1)


def test_first_year_has_no_flows(demo):
    tab = summary_table(demo, 2016, status="poor")
    assert tab["start"].isna().all() and tab["escaped"].isna().all()
    assert tab.iloc[-1]["end"] == rates(demo[demo["year"] == 2016]).iloc[0]["poor"]


def test_bad_year_and_arguments_raise_vietnamese_errors(demo):
    with pytest.raises(PovlibInputError) as e:
        summary_table(demo, 2015)
    assert "Năm 2015 không có trong dữ liệu" in str(e.value) and "2016" in str(e.value)
    assert "not in the data" in e.value.message("en")
    with pytest.raises(PovlibInputError):
        summary_table(demo, 2019, status="non_poor")
    with pytest.raises(PovlibInputError):
        build_report(demo, 2019, "everything")
    with pytest.raises(PovlibInputError) as e:
        build_report(demo, 2019, "posting", commune="99999")
    assert "99999" in str(e.value)


def test_district_level_on_a_filtered_commune(demo):
    one = build_report(demo, 2019, "summary", commune="02035")
    tab = next(iter(one.tables.values()))
    assert tab["row_kind"].tolist() == ["area", "area", "unit", "total"]
    cur = demo[(demo["year"] == 2019) & (demo["commune_code"] == "02035")]
    assert tab.iloc[-1]["end"] == int((cur["status"] == "poor").sum())
    dist = summary_table(demo, 2019, level="district")
    assert dist[dist["row_kind"] == "unit"]["name"].tolist() == ["Huyện Chợ Đồn", "Huyện Chợ Đồn"]
    assert _identity_holds(dist).all()
    assert dist.iloc[-1]["end"] == summary_table(demo, 2019).iloc[-1]["end"]


@pytest.mark.slow
def test_province_district_level():
    """The province panel (built by the test session if missing, see ``tests/conftest.py``)."""
    p = povlib.load_demo("bac-kan")
    tab = summary_table(p, 2019, level="district")
    assert _identity_holds(tab).all()
    tot = rates(p[p["year"] == 2019]).iloc[0]
    assert tab.iloc[-1]["end"] == tot["poor"] and tab.iloc[-1]["households"] == tot["households"]
    assert tab[tab["row_kind"] == "unit"]["code"].nunique() == 8


@pytest.mark.slow
def test_report_of_a_former_district_after_the_reform():
    """After the 2025 reform a district is a former district: its report of 2026 covers the new communes
    whose former district it is, as the dashboard's district filter does (the page said "Năm 2026 không
    có trong dữ liệu" when a district was chosen)."""
    p = povlib.load_demo("bac-kan")
    cur = p[p["year"] == 2026]
    mine = cur[cur["former_district_code"].astype(str) == "064"]
    assert cur["district_code"].isna().all() and 0 < len(mine) < len(cur)
    b = build_report(p, 2026, "summary", district="064")
    tab = b.tables[next(iter(b.tables))]
    assert tab.iloc[-1]["households"] == len(mine)
    assert set(tab.loc[tab["row_kind"] == "unit", "code"]) == set(mine["commune_code"].astype(str))
    # its header names the former district, not the whole province (the command line wrote "Đơn vị: Tỉnh Thái
    # Nguyên" over the 13.397 households of the former Chợ Đồn)
    unit = next(line for line in b.titles[next(iter(b.titles))] if line.startswith("Đơn vị:"))
    assert unit == "Đơn vị: Địa bàn Huyện Chợ Đồn cũ, Tỉnh Thái Nguyên", unit
    # a commune that straddles two former districts is reported whole, whatever the district chosen
    whole = len(cur[cur["commune_code"].astype(str) == "01933"])
    assert 0 < len(mine[mine["commune_code"].astype(str) == "01933"]) < whole
    for district in ("064", "061", None):
        b = build_report(p, 2026, "summary", district=district, commune="01933")
        assert b.tables[next(iter(b.tables))].iloc[-1]["households"] == whole, district


# --- indicators and groups ------------------------------------------------------------------------
def test_indicator_table_counts(demo):
    cur = demo[demo["year"] == 2019]
    tab = indicator_table(cur)
    std = povlib.standards.get("QD59_2015")
    assert tab["indicator"].tolist() == std.indicator_ids
    poor = cur["status"].astype(str) == "poor"
    via = cur["poor_via"].astype(str)
    for ind in std.indicator_ids:
        row = tab[tab["indicator"] == ind].iloc[0]
        dep = cur[ind].to_numpy() == 1
        assert row["poor"] == int((dep & poor).sum())
        assert row["income_poor"] == int((dep & poor & (via == "income")).sum())
        assert row["deprivation_poor"] == int((dep & poor & (via == "deprivation")).sum())
        assert row["income_poor"] + row["deprivation_poor"] == row["poor"]
        assert row["near_poor"] == int((dep & (cur["status"].astype(str) == "near_poor")).sum())
        assert row["poor_share"] == pytest.approx(row["poor"] / poor.sum())
    sizes = tab.attrs["households"]
    r = rates(cur).iloc[0]
    assert sizes == {"poor": r["poor"], "income_poor": r["income_poor"],
                     "deprivation_poor": r["deprivation_poor"], "near_poor": r["near_poor"]}


def test_group_table_counts(demo):
    cur = demo[demo["year"] == 2019]
    tab = group_table(cur)
    tot = tab.iloc[-1]
    st = cur["status"].astype(str)
    for flag in ("ethnic_minority", "meritorious", "social_protection", "no_labour_capacity"):
        f = cur[flag].to_numpy(dtype=bool)
        assert tot[f"{flag}_poor"] == int((f & (st == "poor")).sum())
        assert tot[f"{flag}_near_poor"] == int((f & (st == "near_poor")).sum())
        assert tot[f"{flag}_households"] == int(f.sum())
    units = tab[tab["row_kind"] == "unit"]
    assert units["poor"].sum() == tot["poor"] == rates(cur).iloc[0]["poor"]
    assert (units["income_poor"] + units["deprivation_poor"] == units["poor"]).all()


# --- the posting list ---------------------------------------------------------------------------------
def test_posting_list_content_and_masking(demo):
    code = "02035"
    cur = demo[(demo["year"] == 2019) & (demo["commune_code"] == code)]
    masked = posting_list(demo, 2019, commune=code)
    r = rates(cur).iloc[0]
    assert len(masked) == r["poor"] + r["near_poor"]
    assert set(masked["status"]) == {"poor", "near_poor"}
    assert (masked["commune_code"] == code).all()
    assert "id_number" not in masked.columns
    real = set(cur["head_name"])
    assert not (set(masked["head_name"]) & real)
    assert masked["head_name"].str.contains(r"\*\*\*").all()
    full = posting_list(demo, 2019, commune=code, show_names=True)
    assert set(full["head_name"]) <= real
    assert len(full) == len(masked)
    # order does not depend on the role
    assert (full["village"].to_numpy() == masked["village"].to_numpy()).all()
    assert masked.loc[masked["status"] == "poor", "poor_via"].isin(["income", "deprivation"]).all()
    assert masked.loc[masked["status"] == "near_poor", "poor_via"].isna().all()
    esc = posting_list(demo, 2019, commune=code, include_escaped=True)
    escaped = (esc["status"] == "escaped").sum() + ((esc["status"] == "near_poor") & (esc["flow"] == "escaped_poverty")).sum()
    assert escaped == summary_table(demo[demo["commune_code"] == code], 2019).iloc[-1]["escaped"]
    assert (esc["status"] == "near_poor").sum() == r["near_poor"]  # escaping into near-poverty keeps the listing


def test_posting_villages_in_natural_order():
    p = pd.DataFrame({
        "household_id": list("abcd"), "year": 2019, "commune_code": "02020", "commune_name": "TT",
        "village": ["Tổ 10", "Tổ 2", "Tổ 1", "Tổ 2"], "head_name": ["A", "B", "C", "D"],
        "status": ["poor", "near_poor", "poor", "poor"], "poor_via": ["income", None, "income", "deprivation"],
    })
    out = posting_list(p, 2019, show_names=True)
    assert out["village"].tolist() == ["Tổ 1", "Tổ 2", "Tổ 2", "Tổ 10"]
    assert out["head_name"].tolist() == ["C", "D", "B", "A"]  # poor before near-poor within a village


# --- files --------------------------------------------------------------------------------------------
def _sheet_rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_xlsx_has_titles_frozen_header_and_the_figures(demo):
    b = build_report(demo, 2019, "all", synthetic=True)
    wb = openpyxl.load_workbook(io.BytesIO(b.to_xlsx()))
    assert wb.sheetnames == ["Hộ nghèo", "Hộ cận nghèo", "Theo chỉ số thiếu hụt", "Theo nhóm đối tượng",
                             "Danh sách niêm yết"]
    ws = wb["Hộ nghèo"]
    # the official header: issuing body | national title; rule | motto; place and date (dots); blank line
    assert ws["A1"].value == "UBND HUYỆN CHỢ ĐỒN" and ws["A1"].font.b
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [c.value for c in ws[1]]
    assert "Độc lập – Tự do – Hạnh phúc" in [c.value for c in ws[2]]
    assert "Chợ Đồn, ngày …… tháng …… năm ……" in [c.value for c in ws[3]]
    assert ws["A5"].value == "BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO NĂM 2019"
    assert ws["A5"].font.b
    assert ws["A6"].value == "Đơn vị: Huyện Chợ Đồn, Tỉnh Bắc Kạn"
    assert ws["A7"].value == "Năm rà soát: 2019"
    assert ws["A9"].value == "Đơn vị tính: hộ; tỷ lệ: %"
    assert ws.freeze_panes == "C13"  # two header rows (11, 12) and the TT + unit columns stay visible
    assert ws["A11"].value == "TT" and ws["D11"].value == "Số hộ nghèo đầu năm" and ws["D12"].value == "Số hộ"
    assert "D11:E11" in {str(m) for m in ws.merged_cells.ranges}
    rows = _sheet_rows(ws)
    total = next(r for r in rows if r[1] == "Tổng cộng")
    cur = demo[demo["year"] == 2019]
    r = rates(cur).iloc[0]
    assert total[2] == r["households"] and total[13] == r["poor"]
    assert total[14] == percent(r["poor"], r["households"])  # rounded half up, as official tables
    first_unit = next(i for i, row in enumerate(rows, start=1) if row[0] == "1")
    assert ws.cell(first_unit, 3).number_format == "#,##0"
    assert ws.cell(first_unit, 15).number_format == "0.00"
    assert any(r[0] == povlib.i18n.t("general.synthetic_note") for r in rows)
    assert ws.cell(rows.index(total) + 1, 3).font.b
    post = wb["Danh sách niêm yết"]
    body = _sheet_rows(post)
    assert body[10][:5] == ["STT", "Xã, thị trấn", "Thôn, bản", "Họ và tên chủ hộ", "Phân loại hộ"]
    assert body[-2][0] == "Người lập biểu" and "Thủ trưởng đơn vị" in body[-2]  # the signature block
    # rows after the header minus the notes (4, and the form's: povlib.reports.forms) and the signatures
    assert len(body) - 11 - 5 - 3 == r["poor"] + r["near_poor"]
    names = {row[3] for row in body[11:] if row and isinstance(row[0], int)}
    assert not names & set(cur["head_name"])  # masked by default


def test_english_report(demo):
    b = build_report(demo, 2019, "summary", lang="en")
    assert list(b.sheets) == ["Poor", "Near-poor"]
    assert b.titles["Poor"][0] == "Summary of the 2019 review: poor households"
    assert b.tables["Poor"].iloc[-1]["name"] == "Total"


def test_formulas_in_village_names_are_inert_in_csv_and_xlsx(demo):
    evil = ['=HYPERLINK("http://x.example","bấm")', "+1", "-2", "@x"]
    code = "02035"
    p = demo.copy()
    p["village"] = p["village"].astype(str)
    sel = (p["commune_code"] == code) & (p["year"] == 2019) & p["status"].isin(["poor", "near_poor"])
    idx = p.index[sel][: len(evil)]
    p.loc[idx, "village"] = evil
    p.loc[idx, "head_name"] = ["=1+1", "+A", "-B", "@C"]
    b = build_report(p, 2019, "posting", commune=code, show_names=True)
    csv = b.to_csv().decode("utf-8-sig")
    for v in evil:
        assert "'" + v.replace('"', '""') in csv or "'" + v in csv
    back = pd.read_csv(io.BytesIO(b.to_csv()), encoding="utf-8-sig", dtype=str)
    for col in back.columns:
        assert not back[col].dropna().str.match(r"^[=+\-@]").any(), col
    wb = openpyxl.load_workbook(io.BytesIO(b.to_xlsx()))
    ws = wb.active
    seen = []
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f"
            if isinstance(c.value, str) and c.value[:1] == "'":
                seen.append(c.value[1:])
    assert set(evil) <= set(seen) and {"=1+1", "+A", "-B", "@C"} <= set(seen)


# --- imported (stored) data: nullable flags, no indicator columns, the CLI's default source ---------
SAMPLE_CSV = (
    "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
    "H1,2018,02020,Tổ 1,Thành thị,4,130,30\nH2,2018,02020,=HYPERLINK(1),Thành thị,3,200,0\n"
    "H1,2019,02020,Tổ 1,Thành thị,4,150,10\nH2,2019,02020,=HYPERLINK(1),Thành thị,3,100,0\n"
    "H3,2019,02023,+1,Nông thôn,2,100,40\n"
)


@pytest.fixture()
def store_dir(tmp_path):
    from povlib import intake as pio
    from povlib.intake import Store

    d = tmp_path / "store"
    Store(d).import_intake(pio.read_intake(SAMPLE_CSV.encode(), file_name="xa.csv"), imported_by="Kiểm thử")
    return d


def test_report_on_stored_data_with_unknown_flags(store_dir):
    from povlib.intake import load

    df = load(path=store_dir)
    b = build_report(df, 2019, "all", show_names=True)
    assert "Theo chỉ số thiếu hụt" not in b.sheets and b.warnings  # B2-only data: no indicator table, said so
    poor = b.tables["Hộ nghèo"]
    assert _identity_holds(poor).all()
    tot = poor.iloc[-1]
    # 2019 follows the first review: re-entered not known; H2 (entered) and H3 (new, poor) are newly arising
    assert (tot["households"], tot["start"], tot["newly_arising"], tot["joined"], tot["end"]) == (3, 1, 2, 1, 2)
    assert pd.isna(tot["re_entered"])
    assert tot["escaped"] == 1 and tot["end_em"] == 0
    assert any("3 hộ chưa có thông tin «Hộ dân tộc thiểu số»" in n for n in b.notes["Hộ nghèo"])
    # the table by indicator alone: no table, the reason given, and no empty file written
    ind = build_report(df, 2019, "indicators")
    assert not ind.sheets and ind.warnings == b.warnings == [
        "3 hộ được rà soát chỉ với tổng điểm thiếu hụt (điểm B, trước 2022 là B2): không biết hộ thiếu hụt những chỉ "
        "số nào, nên không có bảng theo chỉ số thiếu hụt."]
    with pytest.raises(PovlibInputError) as e:
        ind.to_xlsx()
    assert "Không có bảng nào để ghi" in str(e.value) and "chỉ với tổng điểm thiếu hụt" in str(e.value)
    post = b.tables["Danh sách niêm yết"]
    assert post["village"].tolist() == ["=HYPERLINK(1)", "Tổ 1", "+1"]
    wb = openpyxl.load_workbook(io.BytesIO(b.to_xlsx()))
    cells = [c.value for row in wb["Danh sách niêm yết"].iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in cells and "'+1" in cells and "=HYPERLINK(1)" not in cells


def test_summary_equals_the_overview_page_figures(demo):
    from povlib import views

    panel = views.with_flows(demo)
    for year in (2017, 2018, 2019):
        fig = views.overview_figures(panel, year)
        poor = summary_table(demo, year, status="poor").iloc[-1]
        near = summary_table(demo, year, status="near_poor").iloc[-1]
        assert (poor["households"], poor["end"], near["end"]) == (fig["households"], fig["poor"], fig["near_poor"])
        def known(v):  # re-entered not known (the year after the first review): NA in the table, None on screen
            return None if pd.isna(v) else v

        assert (poor["escaped"], poor["newly_arising"], known(poor["re_entered"])) == (
            fig["escaped_poverty"], fig["newly_poor"], fig["re_poor"])
        assert (near["newly_arising"], known(near["re_entered"])) == (fig["newly_near_poor"], fig["re_near_poor"])
        assert near["escaped"] == fig["escaped_near_poverty"]  # thoát cận nghèo: to non-poor only


def test_posting_list_in_vietnamese_alphabetical_order():
    p = pd.DataFrame({
        "household_id": list("abcdef"), "year": 2019, "commune_code": "02020", "commune_name": "TT",
        "village": "Bản Nà", "head_name": ["Đinh Văn A", "Dương Thị B", "Ân Văn C", "An Thị D", "Bế Văn E", "Ăng F"],
        "status": "poor", "poor_via": "income",
    })
    out = posting_list(p, 2019, show_names=True)
    assert out["head_name"].tolist() == ["An Thị D", "Ăng F", "Ân Văn C", "Bế Văn E", "Dương Thị B", "Đinh Văn A"]


def test_near_poor_that_become_poor_are_not_escapes():
    rows = [("u", 2018, "near_poor"), ("u", 2019, "non_poor"),   # thoát cận nghèo
            ("d", 2018, "near_poor"), ("d", 2019, "poor"),       # fell into poverty
            ("s", 2018, "near_poor"), ("s", 2019, "near_poor"),
            ("p", 2018, "poor"), ("p", 2019, "near_poor")]       # escaped poverty, newly near-poor
    p = pd.DataFrame(rows, columns=["household_id", "year", "status"])
    p = p.assign(commune_code="A", commune_name="Xã A", area="rural", ethnic_minority=False)
    near = summary_table(p, 2019, status="near_poor").iloc[-1]
    assert (near["start"], near["escaped"], near["to_poor"], near["newly_arising"], near["end"]) == (3, 1, 1, 1, 2)
    poor = summary_table(p, 2019, status="poor").iloc[-1]
    assert (poor["start"], poor["escaped"], poor["to_poor"], poor["newly_arising"], poor["end"]) == (1, 1, 0, 1, 1)
    disp = build_report(p, 2019, "summary").sheets["Hộ cận nghèo"]
    flat = dict(zip([b for _, b in disp.columns], disp.iloc[-1]))
    assert flat["Chuyển thành hộ nghèo"] == 1 and flat["Thoát cận nghèo – Số hộ"] == 1


def test_whatif_standard_is_named_in_titles_and_notes(demo):
    x = povlib.classify_households(demo, standard="ND07_2021")
    b = build_report(x, 2019, "summary", applied_standard="ND07_2021")
    assert "áp dụng thử" in b.titles["Hộ nghèo"][3] and "2022–2025" in b.titles["Hộ nghèo"][3]
    assert any("không phải số liệu chính thức" in n for n in b.notes["Hộ nghèo"])
    assert b.tables["Hộ nghèo"].iloc[-1]["end"] == rates(x[x["year"] == 2019]).iloc[0]["poor"]
    same = build_report(demo, 2019, "summary", applied_standard="QD59_2015")
    assert same.titles["Hộ nghèo"][3].startswith("Chuẩn nghèo: ")


def test_district_level_after_the_reform_is_refused_with_a_message():
    """There are no districts after 1 July 2025: a report by district of 2026 said nothing and wrote a form
    with the area rows and the total only; it is refused with a message that says what to do instead."""
    p = povlib.load_demo("bac-kan")
    for kind in ("summary", "indicators", "all"):
        with pytest.raises(PovlibInputError) as err:
            build_report(p, 2026, kind, level="district")
        assert "--level commune" in err.value.message("vi") and "2026" in err.value.message("vi")
    b = build_report(p, 2019, "summary", level="district")  # before the reform: the districts' rows
    tab = b.tables[next(iter(b.tables))]
    assert tab.loc[tab["row_kind"] == "unit", "code"].nunique() == 8  # (a district's urban and rural rows)


def test_a_districts_data_after_the_reform_is_not_headed_as_the_province():
    """The district demo's reports of 2025 and 2026 (its 8 new communes) were headed "Đơn vị: Tỉnh Thái Nguyên",
    as if their total were the province's."""
    p = povlib.load_demo("cho-don")
    n = p.loc[p["year"] == 2026, "commune_code"].nunique()
    for year in (2025, 2026):
        b = build_report(p, year, "summary")
        unit = next(line for line in b.titles[next(iter(b.titles))] if line.startswith("Đơn vị:"))
        assert unit == f"Đơn vị: {n} xã, phường của địa bàn Huyện Chợ Đồn cũ, Tỉnh Thái Nguyên", unit
    b = build_report(povlib.load_demo("bac-kan"), 2026, "summary")  # the province's data: the province
    assert "Đơn vị: Tỉnh Thái Nguyên" in b.titles[next(iter(b.titles))]
