"""Kế hoạch hỗ trợ (support plan): who qualifies for each policy, what it costs, and what-if interventions.

All counts come from :mod:`povlib.planning` through ``ui.cache``; this page reads the filters and the
editors, calls them and draws. Unit amounts and parameters are edited in tables (a scenario held in the
session); the shipped rules never change: when an officer clicks "Lưu", the values that differ from them
are written to the overrides file (``data/policies/overrides.toml``).
"""
import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from povlib import planning
from povlib import standards as _standards
from povlib.errors import PovlibInputError
from povlib.i18n import fmt_int, fmt_num, fmt_pct, fmt_vnd, t
from povlib.planning import overrides as _overrides
from ui import cache, filters, layout, theme

ED_POLICIES, ED_PARAMS = "plan_policy_editor", "plan_param_editor"
K_SAVED = "plan_saved_msg"

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.planning", f)
st.caption(t("plan.intro", lang, year=f.year))

# --- policies in force (shipped rules + saved overrides), plus this session's edits ----------------
try:
    base = planning.load_policies()
    difficult = planning.load_difficult_communes()
except PovlibInputError as err:
    st.error(err.message(lang), icon=":material/error:")
    st.stop()
overrides_path = planning.display_path(_overrides.OVERRIDES_FILE)

saved_msg = st.session_state.pop(K_SAVED, None)
if saved_msg:
    st.success(saved_msg, icon=":material/check_circle:")
if len(base.overrides):
    st.info(t("plan.override_active", lang, n=len(base.overrides), path=overrides_path,
              items=planning.describe_overrides(base.overrides, base, lang)), icon=":material/edit_document:")


def _money(v) -> str:
    return t("plan.amount_unknown", lang) if v is None or pd.isna(v) else fmt_vnd(v, lang)


def _money_short(v) -> str:
    """'10,05 tỷ đồng' for metrics (the exact amount goes in the help text)."""
    if v is None or pd.isna(v):
        return t("plan.amount_unknown", lang)
    if abs(v) >= 1e9:
        return t("plan.money_billion", lang, x=fmt_num(v / 1e9, lang, 2))
    if abs(v) >= 1e6:
        return t("plan.money_million", lang, x=fmt_num(v / 1e6, lang, 1))
    return fmt_vnd(v, lang)


st.subheader(t("plan.section.policies", lang))
st.caption(t("plan.editor_help", lang))
editor_in = planning.policy_editor_table(base, lang)
col_amount = t("plan.col.unit_amount", lang)
edited = st.data_editor(
    editor_in, key=ED_POLICIES, hide_index=True, num_rows="fixed", height=36 * (len(editor_in) + 1) + 4,
    column_order=[c for c in editor_in.columns if c != "policy_id"],
    disabled=[c for c in editor_in.columns if c != col_amount],
    placeholder=t("plan.amount_unknown", lang),
    column_config={
        col_amount: st.column_config.NumberColumn(col_amount, min_value=0, step=1000, format="localized",
                                                  help=t("plan.editor_help", lang), pinned=True),
        t("plan.col.policy", lang): st.column_config.TextColumn(pinned=True),
        t("plan.col.state_share", lang): st.column_config.NumberColumn(format="localized"),
    },
)

st.markdown(f"**{t('plan.section.params', lang)}**")
col_value = t("plan.col.value", lang)
params_in = planning.parameter_editor_table(base, lang)
params_out = st.data_editor(
    params_in, key=ED_PARAMS, hide_index=True, num_rows="fixed", height=36 * (len(params_in) + 1) + 4,
    column_order=[c for c in params_in.columns if c != "param_id"],
    disabled=[c for c in params_in.columns if c != col_value],
    column_config={col_value: st.column_config.NumberColumn(col_value, min_value=0, format="localized")},
)

# edits -> a policy set for this session (nothing written)
edits = planning.detect_edits(base, dict(zip(edited["policy_id"], edited[col_amount])),
                              dict(zip(params_out["param_id"], params_out[col_value])))
for pid in edits.ignored_formula:
    p = base.policy(pid)
    st.warning(t("plan.formula_edit_ignored", lang, name=p.name(lang), formula=p.amount_formula),
               icon=":material/warning:")
try:
    ps = edits.apply_to(base)
except PovlibInputError as err:
    st.error(t("plan.edit_error", lang, msg=err.message(lang)), icon=":material/error:")
    ps = base
n_changes = edits.n_changes
if n_changes:
    st.info(t("plan.scenario_active", lang, n=n_changes), icon=":material/edit_note:")

b1, b2, _ = st.columns([2, 2, 5])
can_save = f.show_names  # officer role
if b1.button(t("plan.save_button", lang), type="primary", disabled=not (n_changes and can_save),
             help=t("plan.save_help", lang, path=overrides_path) if can_save
             else t("plan.save_forbidden", lang), icon=":material/save:"):
    try:
        path = planning.save_overrides(ps)
    except PovlibInputError as err:
        st.error(err.message(lang), icon=":material/error:")
    else:
        for k in (ED_POLICIES, ED_PARAMS):
            st.session_state.pop(k, None)
        st.session_state[K_SAVED] = t("plan.saved", lang, path=planning.display_path(path))
        st.rerun()
if b2.button(t("plan.reset_button", lang), disabled=not n_changes, icon=":material/undo:"):
    for k in (ED_POLICIES, ED_PARAMS):
        st.session_state.pop(k, None)
    st.rerun()

# --- eligibility and budget ------------------------------------------------------------------------
try:
    elig, meta = cache.view_plan_eligibility(f.selection, f.year, planning.policies_to_toml(base),
                                             float(ps.parameter_values.get("pupils_per_member", 0)),
                                             planning.DIFFICULT_FILE.stat().st_mtime)
except PovlibInputError as err:
    st.error(err.message(lang), icon=":material/error:")
    st.stop()
if elig.empty:
    st.info(t("app.no_rows", lang))
    st.stop()
bud = planning.budget(elig, ps)
grand = planning.budget_summary(bud)
codes_in_view = sorted(set(bud["gso_code_2019"].astype(str)))
ed_status = planning.difficult_status(difficult, codes_in_view)

if not ed_status.confirmed:
    st.warning(t("plan.difficult_warning", lang, n=len(ed_status.listed_names), names=", ".join(ed_status.listed_names),
                 file=planning.display_path(planning.DIFFICULT_FILE)), icon=":material/warning:")
if ed_status.missing:
    st.caption(t("plan.difficult_missing", lang, n=ed_status.missing))

m = st.columns(3)
layout.metric_ui(t("plan.metric.grant", lang), _money_short(grand.grant_budget),
                 help=f"{fmt_vnd(grand.grant_budget, lang)}. "
                      + t("plan.metric.grant_confirmed", lang, amount=fmt_vnd(grand.grant_budget_confirmed, lang)),
                 container=m[0])
m[0].caption(t("plan.metric.grant_confirmed", lang, amount=_money_short(grand.grant_budget_confirmed)))
layout.metric_ui(t("plan.metric.lending", lang), _money_short(grand.lending_volume),
                 help=f"{fmt_vnd(grand.lending_volume, lang)}. " + t("plan.lending_note", lang), container=m[1])
layout.metric_ui(t("plan.metric.covered", lang), f"{fmt_int(grand.hi_already_covered, lang)} {t('unit.people', lang)}",
                 container=m[2])
if not grand.hi_counts_confirmed:
    m[2].caption(f"⚠ {t('plan.unconfirmed', lang)}")

st.warning(t("plan.unconfirmed_warning", lang), icon=":material/warning:")
hi_note = planning.hi_unconfirmed_note(bud, lang)
if hi_note:
    st.warning(hi_note, icon=":material/warning:")
# the two readings of a state share (the switch is a parameter in the table above)
for n in planning.share_rule_notes(bud, ps, lang):
    st.info(n, icon=":material/info:")
notes = [t("plan.lending_note", lang)]
district_note = ps.district_note(lang)
if district_note:
    notes.append(district_note)
if meta.get("pupils_estimated"):
    notes.append(t("plan.pupils_estimated", lang, share=fmt_num(ps.parameter_values.get("pupils_per_member"), lang, 2)))
else:
    notes.append(t("plan.pupils_from_column", lang))
if grand.policies_without_amount:
    notes.append(t("plan.no_amount_note", lang, n=grand.policies_without_amount))
if not meta.get("recently_escaped_known", True):
    notes.append(t("plan.recently_escaped_unknown", lang))
notes += planning.once_notes(ps, meta, lang)  # supports given once (set-top box): who already received one
for n in notes:
    st.caption(":material/info: " + n)


# --- per policy (whole scope) ---------------------------------------------------------------------
def _display(df: pd.DataFrame, money: list[str], ints: list[str], pcts: list[str] = ()) -> pd.DataFrame:
    out = df.copy()
    for c in money:
        out[c] = [_money(v) for v in out[c]]
    for c in ints:
        out[c] = [fmt_int(v, lang) for v in out[c]]
    for c in pcts:
        out[c] = [fmt_num(v, lang, 2) for v in out[c]]
    return out


by_pol = planning.by_policy_sheet(bud, ps, lang)
money_cols = [t("plan.col.unit_amount", lang), t("plan.col.budget", lang)]
count_cols = [t(f"plan.col.{c}", lang) for c in ("households", "people", "units", "already_covered", "funded_units")]
st.subheader(t("plan.sheet.by_policy", lang))
st.dataframe(_display(by_pol, money_cols, count_cols, [t("plan.col.state_share", lang)]), hide_index=True)

# --- per commune -----------------------------------------------------------------------------------
st.subheader(t("plan.section.totals", lang))
names = {p.id: p.name(lang) for p in ps.policies}
fig = go.Figure()
for _, rows in planning.grants_by_commune(bud, ps, lang).groupby("policy_id", sort=False):
    name = rows["policy"].iloc[0]
    hover = [f"<b>{c}</b><br>{name}: {fmt_vnd(v, lang)}" for c, v in zip(rows["commune_name"], rows["budget"])]
    fig.add_bar(x=rows["commune_name"], y=rows["budget"], name=name,
                customdata=hover, hovertemplate="%{customdata}<extra></extra>")
theme.apply_layout(fig, title=t("plan.chart.budget_title", lang, year=f.year), height=560)
fig.update_layout(barmode="stack", separators=theme.separators(lang), legend=dict(y=-0.38))
fig.update_yaxes(title=t("plan.chart.budget_axis", lang), tickformat=",.0f")
fig.update_xaxes(title=None, tickangle=-40)
st.plotly_chart(fig, config={"displayModeBar": False})

tot_disp = planning.totals_sheet(bud, lang)
st.dataframe(_display(tot_disp, [t(f"plan.col.{c}", lang) for c in ("grant_budget", "grant_budget_confirmed",
                                                                      "lending_volume")],
                      [t("plan.col.hi_already_covered", lang), t("plan.col.policies_without_amount", lang)]),
             hide_index=True)

st.subheader(t("plan.section.by_commune", lang))
pick = st.selectbox(t("plan.filter_policy", lang), [p.id for p in ps.policies], format_func=lambda i: names[i],
                    key="plan_policy_pick")
detail = planning.detail_sheet(bud[bud["policy_id"] == pick], ps, lang)
detail = detail.drop(columns=[t("plan.col.policy", lang), t("plan.col.kind", lang)])
st.dataframe(_display(detail, money_cols, count_cols, [t("plan.col.state_share", lang)]), hide_index=True)

# --- what-if -------------------------------------------------------------------------------------
st.subheader(t("plan.section.whatif", lang))
st.caption(t("plan.wi.intro", lang))
info = cache.panel_info(f.dataset, f.version)
commune_names = dict(zip(info.communes["code"], info.communes["name"]))
in_view = codes_in_view
ivs = {i.id: i for i in ps.interventions}


def _unit_cost_input(iid: str, container) -> int | None:
    d = ivs[iid]
    if d.amount_formula:
        container.caption(t("plan.wi.hi_cost", lang, amount=_money(ps.intervention_cost(iid))))
        return None
    return int(container.number_input(t("plan.wi.unit_cost", lang, unit=t(f"plan.unit.{d.unit}", lang)),
                                      min_value=0, step=100_000, value=int(d.unit_amount or 0), key=f"wi_cost_{iid}"))


with st.container(border=True):
    chosen: list[dict] = []
    costs: dict[str, int] = {}
    c1, c2 = st.columns(2)
    with c1:
        if "health_insurance" in ivs and st.checkbox(t("plan.wi.hi", lang), key="wi_hi"):
            chosen.append({"kind": "health_insurance"})
        if "health_insurance" in ivs:
            _unit_cost_input("health_insurance", st)
        if "housing" in ivs:
            on = st.checkbox(t("plan.wi.housing", lang), key="wi_housing")
            hc = st.multiselect(t("plan.wi.communes", lang), in_view, format_func=lambda c: commune_names.get(c, c),
                                key="wi_housing_communes", placeholder=t("plan.wi.all_communes_placeholder", lang))
            n = st.number_input(t("plan.wi.housing_n", lang), min_value=1, max_value=10_000, value=10, step=1,
                                key="wi_housing_n")
            cost = _unit_cost_input("housing", st)
            if on:
                chosen.append({"kind": "housing", "communes": hc, "n": int(n)})
            if cost is not None:
                costs["housing"] = cost
    with c2:
        for iid, key in (("water", "plan.wi.water"), ("latrine", "plan.wi.latrine")):
            if iid not in ivs:
                continue
            on = st.checkbox(t(key, lang), key=f"wi_{iid}")
            cc = st.multiselect(t("plan.wi.communes", lang), in_view, format_func=lambda c: commune_names.get(c, c),
                                key=f"wi_{iid}_communes", placeholder=t("plan.wi.all_communes_placeholder", lang))
            cost = _unit_cost_input(iid, st)
            if on:
                chosen.append({"kind": iid, "communes": cc})
            if cost is not None:
                costs[iid] = cost
        if "info_assets" in ivs:
            if st.checkbox(t("plan.wi.info", lang), key="wi_info"):
                chosen.append({"kind": "info_assets"})
            cost = _unit_cost_input("info_assets", st)
            if cost is not None:
                costs["info_assets"] = cost
    st.caption(t("plan.wi.cost_unconfirmed", lang))

# the scenario follows the widgets (results are cached per scenario)
scenario = {"name": "", "interventions": chosen, "intervention_costs": costs}
scenario_json = json.dumps(scenario, sort_keys=True, ensure_ascii=False)
ps_text = planning.policies_to_toml(ps)
try:
    res = cache.view_whatif(f.selection, f.year, scenario_json, ps_text)
except PovlibInputError as err:
    st.error(err.message(lang), icon=":material/error:")
    st.stop()

tt = planning.whatif_summary(res)
std_name = ", ".join(_standards.get(s).name(lang) for s in res.standards)
if res.income_only_poor:
    st.info(t("plan.wi.income_note_qd59", lang, std=std_name, income=fmt_int(tt.income_poor_base, lang),
              poor=fmt_int(tt.poor_base, lang), pct=fmt_pct(tt.income_poor_share, lang)),
            icon=":material/info:")
else:
    st.info(t("plan.wi.income_note_nd07", lang, std=std_name), icon=":material/info:")

if res.b2_only:
    st.info(t("plan.wi.b2_only", lang, n=fmt_int(res.b2_only, lang)), icon=":material/info:")
if not scenario["interventions"]:
    st.caption(t("plan.wi.none", lang))
hh = t("unit.households", lang)
w = st.columns([1, 1, 0.8, 1.2])
layout.metric_ui(t("plan.wi.metric.poor_after", lang), f"{fmt_int(tt.poor_scen, lang)} {hh}",
                 delta=t("plan.wi.metric.from", lang, n=fmt_int(tt.poor_base, lang),
                         r0=fmt_pct(tt.poor_rate_base, lang), r1=fmt_pct(tt.poor_rate_scen, lang)),
                 change=tt.poor_rate_scen - tt.poor_rate_base, container=w[0])
layout.metric_ui(t("plan.wi.metric.near_after", lang), f"{fmt_int(tt.near_poor_scen, lang)} {hh}",
                 delta=t("plan.wi.metric.from", lang, n=fmt_int(tt.near_poor_base, lang),
                         r0=fmt_pct(tt.near_poor_rate_base, lang), r1=fmt_pct(tt.near_poor_rate_scen, lang)),
                 change=0, container=w[1])
layout.metric_ui(t("plan.wi.metric.lifted", lang), f"{fmt_int(tt.lifted, lang)} {hh}", container=w[2])
layout.metric_ui(t("plan.wi.metric.cost", lang), _money_short(tt.cost), help=fmt_vnd(tt.cost, lang),
                 container=w[3])
per = "—" if tt.cost_per_lifted is None else fmt_vnd(tt.cost_per_lifted, lang)
w[3].caption(f"{t('plan.wi.metric.cost_per', lang)}: {per}")

if scenario["interventions"]:
    fig2 = go.Figure()
    for col, label, color in (("poor_rate_base", t("plan.wi.baseline", lang), theme.NEUTRAL),
                              ("poor_rate_scen", t("plan.wi.scenario", lang), theme.status_color("poor"))):
        hover = [f"<b>{c}</b><br>{label}: {fmt_pct(v, lang)}" for c, v in zip(res.by_unit["commune_name"], res.by_unit[col])]
        fig2.add_bar(x=res.by_unit["commune_name"], y=res.by_unit[col], name=label, marker_color=color,
                     customdata=hover, hovertemplate="%{customdata}<extra></extra>")
    theme.apply_layout(fig2, title=t("plan.wi.chart_title", lang, year=f.year), height=420)
    fig2.update_layout(barmode="group", separators=theme.separators(lang), legend=dict(y=-0.38))
    fig2.update_yaxes(title=t("measure.poor_rate", lang), tickformat=".0%", rangemode="tozero")
    fig2.update_xaxes(title=None, tickangle=-40)
    st.plotly_chart(fig2, config={"displayModeBar": False})

sheets = planning.whatif_sheets(res, lang)
per_unit, per_iv = list(sheets.values())
rate_cols = [c for c in per_unit.columns if "(%" in c or "%)" in c]
wi_money = [t("plan.wi.col.cost", lang), t("plan.wi.col.cost_per_lifted", lang)]
wi_ints = [c for c in per_unit.columns if c not in rate_cols and c not in wi_money and per_unit[c].dtype.kind in "iu"]
st.dataframe(_display(per_unit, wi_money, wi_ints, rate_cols), hide_index=True)
if len(per_iv):
    n_col = t("plan.wi.housing_n", lang)
    per_iv[n_col] = ["—" if pd.isna(v) else fmt_int(v, lang) for v in per_iv[n_col]]
    st.dataframe(_display(per_iv, [t("plan.wi.col.unit_cost", lang), t("plan.wi.col.cost", lang)],
                          [t("plan.wi.col.reached", lang), t("measure.people", lang), t("plan.wi.col.units", lang)]),
                 hide_index=True)

# --- export ---------------------------------------------------------------------------------------
st.subheader(t("plan.section.export", lang))
_scenario_arg = scenario_json if scenario["interventions"] else ""


def _plan_xlsx() -> bytes:
    """Built only when the user clicks download (the workbook is the slowest part of the page)."""
    return cache.plan_xlsx(f.selection, f.year, ps_text, _scenario_arg, lang, layout.scope_label(f),
                           cache.is_synthetic(f.dataset))


st.download_button(t("plan.download", lang), data=_plan_xlsx, file_name=f"ke_hoach_ho_tro_{f.year}.xlsx", key="plan_xlsx",
                   on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:")
st.download_button(t("plan.download_pdf", lang), data=lambda: cache.plan_pdf(f.selection, f.year, ps_text, _scenario_arg, lang, layout.scope_label(f), cache.is_synthetic(f.dataset)), file_name=f"ke_hoach_ho_tro_{f.year}.pdf", mime="application/pdf", key="plan_pdf", on_click="ignore", icon=":material/print:")
