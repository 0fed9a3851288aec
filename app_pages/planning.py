"""Kế hoạch hỗ trợ (support plan): who qualifies for each policy, what it costs, and what-if interventions.

All counts come from :mod:`povlib.planning` through ``ui.cache``; this page reads the filters and the
editors, calls them and draws. Unit amounts and parameters are edited in tables (a scenario held in the
session); the shipped rules never change: when an officer clicks "Lưu", the values that differ from them
are written to the overrides file (``data/policies/overrides.toml``).
"""
import json

import streamlit as st

from povlib import planning
from povlib import standards as _standards
from povlib.errors import PovlibInputError
from povlib.i18n import fmt_int, fmt_pct, fmt_vnd, fmt_vnd_short, t
from povlib.planning import overrides as _overrides
from povlib.sorting import sort_key
from ui import auth, cache, cache_national, charts, filters, layout, plotly_view, tables

ED_POLICIES, ED_PARAMS = "plan_policy_editor", "plan_param_editor"
K_SAVED = "plan_saved_msg"

f = filters.current()
lang = f.lang
layout.page_header_ui("app.page.planning", f)
# the national data beyond one commune: the plan from groups of alike households (povlib.query.plan_profiles);
# the what-if and the projection need the households: one commune
national_wide = cache.is_national(f.dataset) and len(f.communes) != 1
st.caption(t("plan.intro", lang, year=f.year))

try:
    base = planning.plan_policies(f.year).policies  # the plan year's amounts, then the officers' overrides
    planning.load_difficult_communes()  # a broken list of extremely difficult communes is said here
except PovlibInputError as err:
    st.error(err.message(lang), icon=":material/error:")
    st.stop()
overrides_path = planning.display_path(_overrides.OVERRIDES_FILE)

saved_msg = st.session_state.pop(K_SAVED, None)
if saved_msg:
    st.success(saved_msg, icon=":material/check_circle:")

# the budget first (what a leader looks for), then the policies, the amounts to edit and the what-if;
# every tab is drawn (the editors keep their state whichever tab is open)
# the next year's plan under its standard when that is not the review's (the rules data decide): a projection tab
own_std = cache.panel_info(f.dataset, f.version).standard_of_year.get(f.year)
target = planning.plan_target(f.year, f.selection.panel.standard or own_std) if own_std else None
projecting = target is not None and target.projection
tab_names = [t(f"plan.tab.{k}", lang) for k in ("budget", "policies", "settings", "whatif")]
if projecting and national_wide:  # a province or the country: the projection needs one commune, the budget opens
    tab_budget, tab_policies, tab_settings, tab_whatif, tab_proj = st.tabs(
        [*tab_names, t("plan.tab.projection", lang, year=target.plan_year)])
elif projecting:
    tab_proj, tab_budget, tab_policies, tab_settings, tab_whatif = st.tabs(
        [t("plan.tab.projection", lang, year=target.plan_year), *tab_names])
else:
    tab_budget, tab_policies, tab_settings, tab_whatif = st.tabs(tab_names)

# --- policies in force (shipped rules + saved overrides), plus this session's edits ----------------
with tab_settings:
    if len(base.overrides):
        st.info(t("plan.override_active", lang, n=len(base.overrides), path=overrides_path,
                  items=planning.describe_overrides(base.overrides, base, lang)), icon=":material/edit_document:")
    st.subheader(t("plan.section.policies", lang))
    st.caption(t("plan.editor_help", lang))
    editor_in = planning.policy_editor_table(base, lang)
    col_amount, col_policy = t("plan.col.unit_amount", lang), t("plan.col.policy", lang)
    edited = st.data_editor(
        editor_in, key=ED_POLICIES, hide_index=True, num_rows="fixed", height=36 * (len(editor_in) + 1) + 4,
        # the amount first: on a phone the long policy names would push it off screen
        column_order=[col_amount, col_policy] + [c for c in editor_in.columns
                                                 if c not in ("policy_id", col_amount, col_policy)],
        disabled=[c for c in editor_in.columns if c != col_amount],
        placeholder=t("plan.amount_unknown", lang),
        column_config={
            col_amount: st.column_config.NumberColumn(col_amount, min_value=0, step=1000, format="localized",
                                                      help=t("plan.editor_help", lang), pinned=True),
            col_policy: st.column_config.TextColumn(width="large"),
            t("plan.col.state_share", lang): st.column_config.NumberColumn(format="localized"),
        },
    )

    st.markdown(f"**{t('plan.section.params', lang)}**")
    col_value = t("plan.col.value", lang)
    params_in = planning.parameter_editor_table(base, lang)
    params_out = st.data_editor(
        params_in, key=ED_PARAMS, hide_index=True, num_rows="fixed", height=36 * (len(params_in) + 1) + 4,
        column_order=[col_value] + [c for c in params_in.columns if c not in ("param_id", col_value)],
        disabled=[c for c in params_in.columns if c != col_value],
        column_config={col_value: st.column_config.NumberColumn(col_value, min_value=0, format="localized",
                                                                pinned=True)},
    )

    # edits -> a policy set for this session (nothing written)
    edits = planning.detect_edits(base, dict(zip(edited["policy_id"], edited[col_amount])),
                                  dict(zip(params_out["param_id"], params_out[col_value])))
    for pid in edits.ignored_formula:
        p = base.policy(pid)
        st.warning(t("plan.formula_edit_ignored", lang, name=p.name(lang), formula=planning.formula_text(base, pid, lang)),
                   icon=":material/warning:")
    try:
        ps = edits.apply_to(base)
    except PovlibInputError as err:
        st.error(t("plan.edit_error", lang, msg=err.message(lang)), icon=":material/error:")
        ps = base
    n_changes = edits.n_changes

    b1, b2 = st.columns(2)
    can_save = auth.may_save_plan(f)  # the office's amounts: a scope over all its communes (povlib.access)
    if b1.button(t("plan.save_button", lang), type="primary", disabled=not (n_changes and can_save),
                 help=t("plan.save_help", lang, path=overrides_path) if can_save
                 else t("plan.save_forbidden", lang), icon=":material/save:"):
        try:
            if not auth.may_save_plan(f):  # checked again at the click, on the server
                raise PovlibInputError.from_key("plan.save_forbidden")
            # the officers' values against the plan year's rules as shipped (the period's amounts from 2026)
            path = planning.save_overrides(ps, rules=planning.plan_policies(f.year, overrides=None).policies)
        except PovlibInputError as err:
            st.error(err.message(lang), icon=":material/error:")
        else:
            auth.record("save_plan", dataset=f.dataset, version=f.version,
                        detail={"file": planning.display_path(path), "changes": int(n_changes),
                                "policies": sorted(edits.amounts), "params": sorted(edits.parameters)})
            for k in (ED_POLICIES, ED_PARAMS):
                st.session_state.pop(k, None)
            st.session_state[K_SAVED] = t("plan.saved", lang, path=planning.display_path(path))
            st.rerun()
    if b2.button(t("plan.reset_button", lang), disabled=not n_changes, icon=":material/undo:"):
        for k in (ED_POLICIES, ED_PARAMS):
            st.session_state.pop(k, None)
        st.rerun()

# --- the plan: povlib.planning.build_plan (tables, notes, the charts' data) -------------------------
rules_toml, ps_text = planning.policies_to_toml(base), planning.policies_to_toml(ps)
difficult_mtime = planning.DIFFICULT_FILE.stat().st_mtime
try:
    elig, meta = cache.view_plan_eligibility(f.selection, f.year, rules_toml,
                                             float(ps.parameter_values.get("pupils_per_member", 0)), difficult_mtime)
    bundle = None if elig.empty else cache.plan_bundle(f.selection, f.year, rules_toml, ps_text, lang,
                                                        difficult_mtime)
except PovlibInputError as err:
    st.error(err.message(lang), icon=":material/error:")
    st.stop()
if bundle is None:
    st.info(t("app.no_rows", lang))
    st.stop()
bud = bundle.budget
grand = planning.budget_summary(bud)
codes_in_view = sorted(set(bud["commune_code"].astype(str)))
sheet = {k: bundle.sheets[t(f"plan.sheet.{k}", lang)] for k in ("totals", "by_policy", "detail")}
money_cols = [t("plan.col.unit_amount", lang), t("plan.col.budget", lang)]
count_cols = [t(f"plan.col.{c}", lang) for c in ("households", "people", "units", "already_covered", "funded_units",
                                                  "periods")]
share_col = t("plan.col.state_share", lang)
unknown = t("plan.amount_unknown", lang)
# the country: its tables per province (the sums of their communes); the workbook keeps every commune
by_province = national_wide and not f.selection.district and not f.communes
unit = "province" if by_province else "commune"
province_of = cache_national.commune_province_units(f.year) if by_province else {}  # code -> (code, name)
prov_bud = planning.budget_by_unit(bud, province_of) if by_province else None

with tab_budget:
    if n_changes:
        st.info(t("plan.scenario_active", lang, n=n_changes), icon=":material/edit_note:")
    m = st.columns(3)
    layout.metric_ui(t("plan.metric.grant", lang), fmt_vnd_short(grand.grant_budget, lang),
                     help=f"{fmt_vnd(grand.grant_budget, lang)}. "
                          + t("plan.metric.grant_confirmed", lang, amount=fmt_vnd(grand.grant_budget_confirmed, lang)),
                     container=m[0])
    m[0].caption(t("plan.metric.grant_confirmed", lang, amount=fmt_vnd_short(grand.grant_budget_confirmed, lang)))
    layout.metric_ui(t("plan.metric.lending", lang), fmt_vnd_short(grand.lending_volume, lang),
                     help=f"{fmt_vnd(grand.lending_volume, lang)}. " + t("plan.lending_note", lang), container=m[1])
    layout.metric_ui(t("plan.metric.covered", lang),
                     f"{fmt_int(grand.hi_already_covered, lang)} {t('unit.people', lang)}", container=m[2])
    if not grand.hi_counts_confirmed:
        m[2].caption(f"⚠ {t('plan.unconfirmed', lang)}")

    if by_province:  # the country: 3,321 bars unreadable
        fig = charts.plan_budget_bars(planning.grants_by_unit(bud, ps, {c: n for c, (_, n) in province_of.items()}, lang),
                                      lang, title=t("plan.chart.budget_title_province", lang, year=f.year),
                                      unit_col="unit_name")
    else:
        fig = charts.plan_budget_bars(bundle.figures["budget_by_commune"], lang,
                                      title=t("plan.chart.budget_title", lang, year=f.year))
    plotly_view.show(fig, key="plan_budget_chart", lang=lang)
    st.subheader(t(f"plan.section.{'totals_province' if by_province else 'totals'}", lang))
    if by_province:
        st.caption(t("plan.by_province_note", lang))
    tot = planning.totals_sheet(prov_bud, lang, unit="province") if by_province else sheet["totals"]
    code_col = t(f"plan.col.{unit}_code", lang)
    tables.show(tot, lang, money=[t(f"plan.col.{c}", lang) for c in ("grant_budget", "grant_budget_confirmed",
                                                                      "lending_volume")],
                ints=[t("plan.col.hi_already_covered", lang), t("plan.col.policies_without_amount", lang)],
                column_order=[c for c in tot.columns if c != code_col] + [code_col])
    # the notes of the plan (the workbook writes the same ones under every sheet)
    for kind, note in bundle.notices:
        if kind == "warning":
            st.warning(note, icon=":material/warning:")
        elif kind == "info":
            st.info(note, icon=":material/info:")
        else:
            st.caption(":material/info: " + note)

# --- per policy (whole scope), and per commune for one policy ------------------------------------
with tab_policies:
    st.subheader(t("plan.sheet.by_policy", lang))
    by_pol = sheet["by_policy"]
    first = [t("plan.col.budget", lang), t("plan.col.policy", lang)]
    tables.show(by_pol, lang, money=money_cols, ints=[c for c in count_cols if c in by_pol.columns],
                decimals=[share_col], unknown=unknown,
                column_order=first + [c for c in by_pol.columns if c not in first])

    st.subheader(t(f"plan.section.{'by_province' if by_province else 'by_commune'}", lang))
    names = {p.id: p.name(lang) for p in ps.policies}
    pick = st.selectbox(t("plan.filter_policy", lang), [p.id for p in ps.policies], format_func=lambda i: names[i],
                        key="plan_policy_pick")
    rows_bud, detail = ((prov_bud, planning.detail_sheet(prov_bud, ps, lang, unit="province")) if by_province
                        else (bud, sheet["detail"]))
    detail = detail[(rows_bud["policy_id"] == pick).to_numpy()]
    detail = detail.drop(columns=[t("plan.col.policy", lang), t("plan.col.kind", lang)])
    first = [t(f"general.{unit}", lang), t("plan.col.budget", lang), t("plan.col.funded_units", lang)]
    tables.show(detail, lang, money=money_cols, ints=[c for c in count_cols if c in detail.columns],
                decimals=[share_col], unknown=unknown,
                column_order=first + [c for c in detail.columns if c not in first])

# --- what-if -------------------------------------------------------------------------------------
# the scenario of the what-if tab, for the plan workbook (set by the what-if part; read when a file is built)
_wi_state: dict[str, str] = {"scenario": ""}
info = cache.panel_info(f.dataset, f.version)
commune_names = dict(zip(info.communes["code"], info.communes["name"]))
in_view = sorted(codes_in_view, key=lambda c: sort_key(commune_names.get(c, c)))  # Vietnamese order of the names
# the measures on the indicators of the standard in use (Decree 351/2025 has no "means of information" indicator)
std_in_use = f.selection.panel.standard or own_std
std_ids = set(_standards.get(std_in_use).indicator_ids) if std_in_use else None
ivs = {i.id: i for i in ps.interventions if std_ids is None or set(i.indicators) & std_ids}


def _regroup(key: str) -> None:
    """Write a typed amount back with its thousands grouped (25000000 -> 25.000.000); bad input stays."""
    try:
        st.session_state[key] = fmt_int(planning.parse_amount_text(st.session_state[key], lang), lang)
    except PovlibInputError:
        pass


def _unit_cost_input(iid: str, container) -> int | None:
    """The unit cost of an intervention, typed with its thousands grouped (25.000.000)."""
    d = ivs[iid]
    if d.amount_formula:
        cost = ps.intervention_cost(iid)
        container.caption(t("plan.wi.hi_cost", lang, amount=unknown if cost is None else fmt_vnd(cost, lang)))
        return None
    key, default = f"wi_cost_{iid}", int(d.unit_amount or 0)
    if key not in st.session_state:
        st.session_state[key] = fmt_int(default, lang)
    text = container.text_input(t("plan.wi.unit_cost", lang, unit=t(f"plan.unit.{d.unit}", lang)), key=key,
                                on_change=_regroup, args=(key,))
    try:
        return planning.parse_amount_text(text, lang)
    except PovlibInputError as err:
        container.error(t("plan.wi.cost_invalid", lang, msg=err.message(lang), amount=fmt_vnd(default, lang)),
                        icon=":material/error:")
        return default


@st.fragment
def _whatif_ui() -> None:
    """The what-if measures and their result. A fragment: a change of one of its widgets reruns this part
    only, not the plan's tables of the other tabs."""
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
    try:
        res = cache.view_whatif(f.selection, f.year, scenario_json, ps_text)
    except PovlibInputError as err:
        st.error(err.message(lang), icon=":material/error:")
        return

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
    layout.metric_ui(t("plan.wi.metric.cost", lang), fmt_vnd_short(tt.cost, lang), help=fmt_vnd(tt.cost, lang),
                     container=w[3])
    per = "—" if tt.cost_per_lifted is None else fmt_vnd(tt.cost_per_lifted, lang)
    w[3].caption(f"{t('plan.wi.metric.cost_per', lang)}: {per}")

    if scenario["interventions"]:
        plotly_view.show(charts.whatif_rate_bars(res.by_unit, lang, title=t("plan.wi.chart_title", lang, year=f.year)),
                         key="plan_whatif_chart", lang=lang)

    sheets = planning.whatif_sheets(res, lang)
    per_unit, per_iv = list(sheets.values())
    rate_cols = [c for c in per_unit.columns if "(%" in c or "%)" in c]
    wi_money = [t("plan.wi.col.cost", lang), t("plan.wi.col.cost_per_lifted", lang)]
    wi_ints = [c for c in per_unit.columns if c not in rate_cols and c not in wi_money and per_unit[c].dtype.kind in "iu"]
    tables.show(per_unit, lang, money=wi_money, ints=wi_ints, decimals=rate_cols,
                column_order=[c for c in per_unit.columns if c != t("plan.col.commune_code", lang)])
    if len(per_iv):
        tables.show(per_iv, lang, money=[t("plan.wi.col.unit_cost", lang), t("plan.wi.col.cost", lang)],
                    ints=[t("plan.wi.housing_n", lang), t("plan.wi.col.reached", lang), t("measure.people", lang),
                          t("plan.wi.col.units", lang)])
    _wi_state["scenario"] = scenario_json if scenario["interventions"] else ""


with tab_whatif:
    st.subheader(t("plan.section.whatif", lang))
    st.caption(t("plan.wi.intro", lang))
    if national_wide:
        st.info(t("nat.plan.wide_only", lang, box=t("general.commune", lang)), icon=":material/travel_explore:")
    else:
        _whatif_ui()

# --- export ---------------------------------------------------------------------------------------
def _plan_xlsx() -> bytes:
    """Built only when the user clicks download (the workbook is the slowest part of the page)."""
    return cache.plan_xlsx(f.selection, f.year, ps_text, _wi_state["scenario"], lang, layout.scope_label(f),
                           cache.is_synthetic(f.dataset))


with tab_budget:  # the workbook has the plan and the scenario chosen on the what-if tab
    st.subheader(t("plan.section.export", lang))
    st.download_button(t("plan.download", lang), data=_plan_xlsx, file_name=f"ke_hoach_ho_tro_{f.year}.xlsx",
                       key="plan_xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:")
    st.download_button(t("plan.download_pdf", lang),
                       data=lambda: cache.plan_pdf(f.selection, f.year, ps_text, _wi_state["scenario"], lang, layout.scope_label(f),
                                                   cache.is_synthetic(f.dataset)),
                       file_name=f"ke_hoach_ho_tro_{f.year}.pdf", mime="application/pdf", key="plan_pdf",
                       on_click="ignore", icon=":material/print:")


# --- the next year's plan under its standard (a projection from this review) ------------------------------
if projecting and national_wide:
    with tab_proj:
        st.subheader(t("plan.proj.title", lang, plan_year=target.plan_year))
        st.info(t("nat.plan.wide_only", lang, box=t("general.commune", lang)), icon=":material/travel_explore:")
elif projecting:
    with tab_proj:
        st.subheader(t("plan.proj.title", lang, plan_year=target.plan_year))
        try:
            pp = cache.view_plan_projection(f.selection, f.year, target.review_standard, ps_text, difficult_mtime)
        except PovlibInputError as err:
            st.error(err.message(lang), icon=":material/error:")
            st.stop()
        proj_notes = planning.projection_notes(pp, lang)
        prov = _standards.provisional_note(target.plan_standard, lang)
        if prov:  # the provisional standard first, then the figures, then how they were made
            st.warning(prov, icon=":material/warning:")
        tot = planning.projection_by_commune(pp.projection, by=None).iloc[0]
        hh, py, ry = t("unit.households", lang), target.plan_year, target.review_year
        # across a change of standard: the review's counts as a caption, never an arrow of a rise or a fall
        pm = st.columns([1, 1, 1, 1.4])
        for i, key in enumerate(("poor", "near_poor")):
            layout.metric_ui(t(f"plan.proj.metric.{key}", lang, year=py), f"{fmt_int(tot[key + '_plan'], lang)} {hh}",
                             container=pm[i])
            pm[i].caption(t("plan.proj.metric.from", lang, year=ry, n=fmt_int(tot[key + "_review"], lang)))
        layout.metric_ui(t("plan.proj.metric.could_be_poor", lang), f"{fmt_int(tot['could_be_poor'], lang)} {hh}",
                         container=pm[2])
        proj_grand = planning.budget_summary(pp.budget)
        layout.metric_ui(t("plan.proj.metric.cost", lang, year=py), fmt_vnd_short(proj_grand.grant_budget, lang),
                         help=fmt_vnd(proj_grand.grant_budget, lang), container=pm[3])
        pm[3].caption(t("plan.metric.grant_confirmed", lang,
                        amount=fmt_vnd_short(proj_grand.grant_budget_confirmed, lang)))
        for kind, note in proj_notes:
            if note != prov:
                (st.warning if kind == "warning" else st.info)(
                    note, icon=":material/warning:" if kind == "warning" else ":material/info:")
        proj_sheets = planning.projection_sheets(pp, lang)
        code_col = t("plan.col.commune_code", lang)
        for i, (name, table) in enumerate(proj_sheets.items()):
            st.markdown(f"**{name}**")
            if i == 3:  # the amounts of the plan year: text columns
                tables.show(table, lang)
                continue
            nums = [c for c in table.columns if table[c].dtype.kind in "iu"]
            money = [c for c in (t("plan.col.unit_amount", lang), t("plan.col.budget", lang)) if c in table.columns]
            tables.show(table, lang, money=money, ints=[c for c in nums if c not in money], unknown=unknown,
                        column_order=[c for c in table.columns if c != code_col])
        st.download_button(t("plan.proj.download", lang),
                           data=lambda: cache.plan_projection_xlsx(f.selection, f.year, target.review_standard,
                                                                   ps_text, lang, difficult_mtime),
                           file_name=f"du_bao_ke_hoach_{target.plan_year}.xlsx", key="plan_proj_xlsx",
                           on_click="ignore", icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
