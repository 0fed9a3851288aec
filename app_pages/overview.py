"""Tổng quan (overview): headline figures of the review year and the ranking of units.

Clicking a bar of the ranking opens that commune (sets the commune filter);
with the province data and no district chosen the ranking is by district and
a click opens the district, in the years that have districts (after the 2025
reform the province's units are its communes).
"""
import streamlit as st

from povlib import standards
from povlib.i18n import fmt_int, fmt_pct, fmt_points, t
from ui import cache, charts, filters, layout, plotly_view

RANKING_KEY = "overview_ranking"

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.overview", f)

national = cache.is_national(f.dataset)  # figures from the query layer (the table is never loaded)
fig = cache.nat_overview(f.selection, f.year, f.years) if national else cache.view_overview(f.selection, f.year)
hh = t("unit.households", lang)

if not fig["households"]:
    st.info(t("app.no_rows", lang))
    st.stop()


def _signed(n) -> str:
    sign = "+" if n > 0 else ("−" if n < 0 else "±")
    return f"{sign}{fmt_int(abs(n), lang)}"


def _delta(d_rate, d_count, prev_year):
    if d_rate is None:
        return None
    return t("ov.delta", lang, points=fmt_points(d_rate, lang), n=_signed(d_count))


# --- headline figures -------------------------------------------------------------------------
# the previous review measured under another standard: the changes are shown without a good/bad colour, and the
# flows say that most of them come from the change of standard (as the trends page does)
std_break = fig["prev_year"] is not None and len(fig.get("standards") or []) > 1 and not f.standard
row1 = st.columns(3)
layout.metric_ui(t("measure.households", lang), f"{fmt_int(fig['households'], lang)} {hh}",
                 delta=(t("ov.delta_hh", lang, n=_signed(fig["d_households"]))
                        if fig["prev_year"] else None),
                 change=fig["d_households"], good_when="up", container=row1[0])
layout.metric_ui(t("ov.count_label", lang, status=t("status.poor", lang), n=fmt_int(fig["poor"], lang)),
                 fmt_pct(fig["poor_rate"], lang),
                 delta=_delta(fig["d_poor_rate"], fig["d_poor"], fig["prev_year"]), change=fig["d_poor_rate"],
                 neutral=std_break, help=t("ov.poor_help", lang), container=row1[1])
layout.metric_ui(t("ov.count_label", lang, status=t("status.near_poor", lang), n=fmt_int(fig["near_poor"], lang)),
                 fmt_pct(fig["near_poor_rate"], lang),
                 delta=_delta(fig["d_near_poor_rate"], fig["d_near_poor"], fig["prev_year"]),
                 change=fig["d_near_poor_rate"], neutral=std_break, container=row1[2])

if fig["prev_year"] is not None:
    st.caption(t("ov.delta_note", lang, year=fig["prev_year"]))
    if fig.get("not_reviewed"):  # some communes' files not imported yet: compared on those that have data
        st.caption(":material/hourglass_top: " + t("ov.prev_on_reviewed", lang, prev=fig["prev_year"], year=f.year))
    elif fig.get("prev_on_units"):  # chosen communes after a reform: the previous review on their territory
        st.caption(":material/merge: " + t("ov.prev_on_units", lang, prev=fig["prev_year"], year=f.year))
    if fig.get("prev_estimated"):
        st.caption(":material/warning: " + t("tr.units_estimated_note", lang, n=fmt_int(fig["prev_estimated"], lang)))
    layout.mixed_standards_ui(f, (fig["prev_year"], f.year))
row2 = st.columns(2)
if fig["prev_year"] is not None:
    layout.metric_ui(t("flow.escaped_poverty", lang), f"{fmt_int(fig['escaped_poverty'], lang)} {hh}",
                     help=t("ov.escaped_help", lang), container=row2[0])
    # newly arising includes households formed or moved in (the summary form's words); re-poor is not known
    # in the year after the first review of the data (None), its entries are then in newly arising
    re_poor = fig["re_poor"]
    newly_help = t("ov.newly_help", lang)
    if fig["history_from"] is not None and not fig["reentry_unknown"]:
        newly_help += " " + t("flow.reentry_partial", lang, first=fig["history_from"])
    layout.metric_ui(t("ov.newly_and_re", lang),
                     f"{fmt_int(fig['newly_poor'] + (re_poor or 0), lang)} {hh}",
                     delta=t("ov.newly_re_split", lang, new=fmt_int(fig["newly_poor"], lang),
                             joined=fmt_int(fig["joined_poor"], lang),
                             re=fmt_int(re_poor, lang) if re_poor is not None else t("flow.unknown", lang)),
                     change=0, help=newly_help, container=row2[1])
    if fig["reentry_unknown"]:
        st.caption(":material/info: " + t("flow.reentry_unknown", lang, year=f.year, first=fig["history_from"]))
    if std_break:
        before, after = fig["standards"][0], fig["standards"][-1]
        st.caption(":material/warning: " + t("tr.flows_break_note", lang, year=f.year, prev=fig["prev_year"],
                                             before=standards.short_name(before, lang),
                                             after=standards.short_name(after, lang)))
else:
    row2[0].info(t("ov.first_year", lang, year=f.year))
# income-poor vs poor through deprivation: two branches only under a standard that has an income-only branch
# (Decision 59/2015; under Decree 07/2021 every poor household is both, an income-poor figure would be 0)
income_branch = standards.get(f.standard).income_only_poor if f.standard else fig["income_branch"]
if income_branch:
    row3 = st.columns(2)
    for col, key, n in ((row3[0], "income", fig["income_poor"]), (row3[1], "deprivation", fig["deprivation_poor"])):
        share = n / fig["poor"] if fig["poor"] else None
        layout.metric_ui(t(f"via.{key}", lang), f"{fmt_int(n, lang)} {hh}",
                         delta=(t("ov.share_of_poor", lang, pct=fmt_pct(share, lang, 0)) if share is not None
                                else None),
                         change=0, help=t("ov.income_vs_dep_help", lang), container=col)

# --- ranking ----------------------------------------------------------------------------------
if national:  # the 34 provinces, or the communes of the chosen province
    level = "commune" if f.district else "province"
    rank = cache.nat_ranking(f.selection, f.year, level)
else:
    level = f.unit_level(selection_only=False)
    rank = cache.view_ranking(f.selection, f.year, level)
title = t(f"ov.ranking_title.{level}", lang, year=f.year)


def _open_unit() -> None:
    """Selection callback: open the clicked unit (runs before the next script run)."""
    points = plotly_view.selected_points(RANKING_KEY)
    if not points:
        return
    p = points[0]
    code = None
    cd = p.get("customdata")
    if isinstance(cd, (list, tuple)) and cd:
        code = str(cd[0])
    if code is None:
        idx = p.get("point_index", p.get("point_number"))
        codes = st.session_state.get("_overview_rank_codes", [])
        if idx is not None and 0 <= idx < len(codes):
            code = codes[idx]
    if code is None:
        return
    if st.session_state.get("_overview_rank_level") in ("district", "province"):
        filters.request(district=code, communes=())
    else:
        filters.request(communes=(code,))


st.session_state["_overview_rank_codes"] = rank["code"].tolist()
st.session_state["_overview_rank_level"] = level
st.subheader(t(f"ov.ranking.{level}", lang))
st.caption(t(f"ov.ranking_hint.{level}", lang))
plotly_view.show(
    charts.ranking_bar(rank, lang, title=title, highlight=f.communes if level == "commune" else ()),
    key=RANKING_KEY, lang=lang, on_select=_open_unit,
    config={"locale": "vi" if lang == "vi" else "en"},
)

# --- the opened commune -----------------------------------------------------------------------
if level == "commune" and len(f.communes) == 1:
    code = f.communes[0]
    hit = rank.index[rank["code"] == code]
    if len(hit):
        i = int(hit[0])
        tied = int(rank.loc[i, "tied"])  # units of the same rate share its rank (1 = highest)
        st.success(t("ov.commune_detail" if tied == 1 else "ov.commune_detail_tied", lang, name=rank.loc[i, "name"],
                     rank=int(rank.loc[i, "rank"]), n=len(rank), others=fmt_int(tied - 1, lang),
                     rate=fmt_pct(rank.loc[i, "poor_rate"], lang),
                     poor=fmt_int(rank.loc[i, "poor"], lang), hh=fmt_int(rank.loc[i, "households"], lang)),
                   icon=":material/location_on:")
if f.communes or (level == "commune" and f.multi_district and f.district):
    if st.button(t("ov.show_all", lang), key="overview_show_all", icon=":material/zoom_out_map:"):
        filters.request(communes=()) if f.communes else filters.request(district=None)
        st.rerun()

with st.expander(t("ov.table", lang)):
    table = rank.assign(
        households_s=[fmt_int(v, lang) for v in rank["households"]],
        poor_s=[fmt_int(v, lang) for v in rank["poor"]],
        poor_rate_s=[fmt_pct(v, lang) for v in rank["poor_rate"]],
        near_s=[fmt_int(v, lang) for v in rank["near_poor"]],
        near_rate_s=[fmt_pct(v, lang) for v in rank["near_poor_rate"]],
    )[["rank", "name", "households_s", "poor_s", "poor_rate_s", "near_s", "near_rate_s"]]
    table.columns = [t("ov.col.rank", lang), t(f"general.{level}", lang), t("measure.households", lang),
                     t("measure.poor", lang), t("measure.poor_rate", lang), t("measure.near_poor", lang),
                     t("measure.near_poor_rate", lang)]
    st.dataframe(table, hide_index=True, width="stretch")
