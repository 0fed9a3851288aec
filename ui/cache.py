"""The dashboard's only cache: data loaded once, per-view tables computed once.

Over 500 lines on purpose: one topic (what the app caches, and on which keys), kept in one module so that it is
read in one place; the national dataset's compare, report and planning tables are in :mod:`ui.cache_national`.

* :func:`load_panel` keeps **one** classified panel per (dataset, version,
  standard) in memory with ``st.cache_resource`` – no copy per rerun (a
  315 000-row frame would cost more to unpickle than to filter). Treat it as
  read-only: pages and :mod:`povlib.views` only select from it.
  The panel carries the per-household flow columns of
  :func:`povlib.transitions.household_flows` (computed once here, never per
  rerun).
* The ``view_*`` functions wrap :mod:`povlib.views` with ``st.cache_data``,
  keyed on a :class:`povlib.views.Selection` (which panel – dataset, version,
  standard – and which rows of it – district, communes, group) and cheap
  values (year, level, lang). Their results are small tables.

Datasets
--------
``cho-don``   bundled synthetic district panel (default);
``bac-kan``   synthetic province panel, listed only when
              ``data/demo/bac_kan_panel.parquet`` exists
              (``python -m povlib generate --scope bac-kan``);
``vietnam``   the national synthetic dataset (*Toàn quốc (minh họa)*), listed only when its Parquet
              folder exists (``paths.national_dir()``: ``$POVLIB_NATIONAL`` or ``data/national``; built with
              ``python -m povlib generate --scope vietnam --out data/national``). Never loaded whole: the
              ``nat_*`` functions get small tables from :mod:`povlib.views.national` (DuckDB over the files),
              and the rows of the selection are those of **one commune** (:func:`_panel`);
``store:<name>``  imported review data kept by :mod:`povlib.intake.store`:
              versions come from ``store.list_versions()``, rows from
              ``store.load(name, version)``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

import povlib
from povlib import geo, paths, planning, query, views
from povlib.geo import national as geo_national
from povlib.geo.png import choropleth_png
from povlib.i18n import t
from povlib.indicator_basis import IndicatorBasis, given_columns, resolve_indicators
from povlib.intake import store
from povlib.panel import classify_panel
from povlib.query.profiles import plan_profiles
from povlib.reports import build_report
from povlib.reports.reform import units_not_reviewed, without_not_reviewed
from povlib.synth import demo_path
from povlib.transitions import household_flows
from povlib.views import Selection, national, periods
from ui.national_source import (  # noqa: F401 - the national sources, re-exported for the pages and the sidebar
    national_files,
    national_source,
    national_summaries_pending,
    national_whatif,
    national_whatif_pending,
    reclassifies,
    refresh_national,
)
from ui.national_source import thread_source as _nsrc

DEMO_DATASETS = ("cho-don", "bac-kan")
NATIONAL = "vietnam"
STORE_PREFIX = "store:"


@dataclass(frozen=True)
class Dataset:
    """A dataset the user can pick: ``key`` goes in the URL."""

    key: str
    label_vi: str
    label_en: str
    versions: tuple[str, ...] = ()
    synthetic: bool = True

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi


PanelInfo = views.PanelFacts


# --- datasets ------------------------------------------------------------------------------------
def _store_datasets(store_location: str) -> list[Dataset]:
    """Imported datasets of the store (latest version first); none when the store is unreadable."""
    try:
        rows = store.list_versions(store_location)
    except (OSError, povlib.PovlibInputError):  # a broken store must not take the demo down
        return []
    by_name: dict[str, list[str]] = {}
    for r in rows:
        by_name.setdefault(str(r["dataset"]), []).append(str(r["version"]))
    return [Dataset(f"{STORE_PREFIX}{n}", t("app.dataset.store", "vi", name=n), t("app.dataset.store", "en", name=n),
                    tuple(reversed(v)), synthetic=False) for n, v in by_name.items()]


def available_datasets() -> list[Dataset]:
    """Datasets to offer (:func:`datasets_in` the current store and national folder)."""
    return datasets_in(_store_location(), str(paths.national_dir()))


def national_built(folder: str) -> bool:
    """True when ``folder`` holds the national dataset's Parquet files (``year=…/province_code=…/``)."""
    root = Path(folder)
    return root.is_dir() and next(root.glob("year=*/province_code=*/*.parquet"), None) is not None


@st.cache_data(ttl=30, show_spinner=False)
def datasets_in(store_location: str, national_folder: str = "") -> list[Dataset]:
    """Datasets to offer, the default first: imported review data (latest version) when the
    store holds any, then the district demo, then the province demo if built, then the national
    dataset if built."""
    out = _store_datasets(store_location)
    out.append(Dataset("cho-don", t("app.dataset.cho-don", "vi"), t("app.dataset.cho-don", "en")))
    if demo_path("bac-kan").exists():
        out.append(Dataset("bac-kan", t("app.dataset.bac-kan", "vi"), t("app.dataset.bac-kan", "en")))
    if national_folder and national_built(national_folder):
        out.append(Dataset(NATIONAL, t("app.dataset.vietnam", "vi"), t("app.dataset.vietnam", "en")))
    return out


def is_synthetic(dataset: str) -> bool:
    return dataset in DEMO_DATASETS or dataset == NATIONAL


def is_national(dataset: str) -> bool:
    """The national dataset: figures through the query layer, households one commune at a time."""
    return dataset == NATIONAL


# --- the national dataset (povlib.views.national over povlib.query; its sources: ui.national_source) ---
@st.cache_data(show_spinner=False, max_entries=64)
def nat_overview(sel: Selection, year: int, years: tuple[int, ...]) -> dict:
    """Headline figures of the selection (:func:`povlib.views.national.overview_figures`)."""
    return national.overview_figures(_nsrc(sel.panel.standard), year, years=years, province=sel.district, communes=sel.communes,
                                     group=sel.group)


@st.cache_data(show_spinner=False, max_entries=64)
def nat_households(sel: Selection, year: int) -> int:
    """Households of the selection in ``year`` (one count: the sidebar's "nothing selected" check)."""
    return national.household_count(_nsrc(sel.panel.standard), year, province=sel.district, communes=sel.communes, group=sel.group)


@st.cache_data(show_spinner=False, max_entries=64)
def nat_ranking(sel: Selection, year: int, level: str) -> pd.DataFrame:
    """Provinces (no province chosen) or the communes of the province, ranked by poverty rate."""
    return views.with_ranks(national.ranking(_nsrc(sel.panel.standard), year, level,
                                             province=sel.district if level == "commune" else None, group=sel.group))


@st.cache_data(show_spinner=False, max_entries=32)
def nat_map_layer(sel: Selection, year: int, level: str):
    """Provinces, or the communes of the selection's province, joined to every map measure."""
    layer = geo_national.province_layer() if level == "province" else geo_national.commune_layer(sel.district)
    table = national.unit_measures(_nsrc(sel.panel.standard), year, level, province=sel.district if level == "commune" else None,
                                   group=sel.group, standard=sel.panel.standard)
    return geo_national.join_table(layer, table)


@st.cache_data(show_spinner=False, max_entries=32)
def nat_trend(sel: Selection, level: str | None) -> pd.DataFrame:
    """Rates per year of the selection (``level`` None) or per unit (:func:`povlib.views.national.rates_trend`)."""
    return national.rates_trend(_nsrc(sel.panel.standard), level, province=sel.district, communes=sel.communes, group=sel.group)


@st.cache_resource(show_spinner=False, max_entries=8)
def _commune_panel(folder: str, files: str, commune: str, province: str, standard: str | None) -> pd.DataFrame:
    """One commune's households (every year), classified and with flow columns: the national
    dataset's rows for the pages that list or count households (``files``: see :func:`national_source`)."""
    df = national.commune_rows(query.source.DuckDBSource(national_source(folder, files).con.cursor()), commune,
                               province)
    if standard is not None:
        df = classify_panel(df, standard)
    return pd.concat([df, household_flows(df, keys=("commune_code",))], axis=1)


# --- the panel ----------------------------------------------------------------------------------
def _store_location() -> str:
    """Where the store is (part of the cache keys of imported data: a moved store is another store)."""
    return str(paths.store_dir())


def load_panel(dataset: str, version: str | None = None, standard: str | None = None) -> pd.DataFrame:
    """The classified panel of ``dataset`` with per-household flow columns (read-only).

    ``standard`` None keeps each row's own standard; a standard id reclassifies
    every row under it (a what-if view, flagged on screen).
    """
    return _load_panel(dataset, version, standard, _store_location() if dataset.startswith(STORE_PREFIX) else "")


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_panel(dataset: str, version: str | None, standard: str | None, store_location: str) -> pd.DataFrame:
    if dataset == NATIONAL:  # never loaded whole: one commune at a time (_panel)
        raise povlib.PovlibInputError.from_key("nat.err.whole")
    if dataset in DEMO_DATASETS:
        df = povlib.load_demo(dataset)
    elif dataset.startswith(STORE_PREFIX):
        df = store.load(dataset[len(STORE_PREFIX):], version, path=store_location)
    else:
        raise povlib.PovlibInputError.from_key("app.no_dataset", name=dataset)
    if standard is not None:
        df = classify_panel(df, standard)
    flows = household_flows(df, keys=("commune_code",))  # reform-aware: a successor unit is no move
    df = pd.concat([df, flows], axis=1)
    return df


def panel_info(dataset: str, version: str | None = None) -> PanelInfo:
    """Years, standards, districts and communes of a dataset (for the filters); for the national
    dataset provinces stand as districts (grouped queries, not the households).

    Cached on where the data are as well as on the dataset's name and version: a store or a national
    folder elsewhere is other data (two stores may both hold ``ra-soat`` version 1)."""
    where = (_store_location() if dataset.startswith(STORE_PREFIX)
             else str(paths.national_dir()) if dataset == NATIONAL else "")
    return _panel_info(dataset, version, where)


@st.cache_data(show_spinner=False, max_entries=8)
def _panel_info(dataset: str, version: str | None, where: str) -> PanelInfo:
    if dataset == NATIONAL:
        return national.facts(_nsrc())
    return views.panel_facts(load_panel(dataset, version))


# --- views (small tables, cached per selection) ------------------------------------------------------
def _national_wide(sel: Selection) -> bool:
    """The national dataset beyond one commune: its figures come from the query layer only."""
    return sel.panel.dataset == NATIONAL and len(sel.communes) != 1


def _panel(sel: Selection) -> pd.DataFrame:
    if sel.panel.dataset == NATIONAL:
        if len(sel.communes) != 1:
            raise povlib.PovlibInputError.from_key("nat.err.one_commune", n=len(sel.communes))
        info = panel_info(NATIONAL)
        year = info.years[-1]
        province = sel.district or national.province_of(info, sel.communes[0], year)
        folder = str(paths.national_dir())
        return _commune_panel(folder, national_files(folder), sel.communes[0], province, sel.panel.standard)
    return load_panel(sel.panel.dataset, sel.panel.version, sel.panel.standard)


def panel_rows(sel: Selection, year: int | None = None) -> pd.DataFrame:
    """Rows in view (uncached selection on the cached panel: a boolean mask, milliseconds)."""
    return sel.rows(_panel(sel), years=None if year is None else (year,))


def has_rows(sel: Selection, year: int) -> bool:
    """Whether any row of ``year`` is in view (counted on the cached panel, no row copied)."""
    return sel.count(_panel(sel), years=(year,)) > 0


def plan_rows(sel: Selection, year: int, policies: planning.PolicySet | None = None) -> pd.DataFrame:
    """Rows in view of ``year`` and the earlier reviews of the same households (a set-top box is given once).

    The national dataset beyond one commune gives the household profiles of the selection instead
    (:func:`povlib.query.plan_profiles`, the columns ``policies`` read; :func:`povlib.planning.eligibility`
    weighs them): a province's or the country's plan without loading its households."""
    if _national_wide(sel):
        ps = policies if policies is not None else planning.load_policies()
        return _national_profiles(sel.district, sel.communes, sel.group, year,
                                  tuple(planning.profile_columns(ps)), sel.panel.standard)
    return planning.with_earlier_reviews(_panel(sel), panel_rows(sel, year))


@st.cache_data(show_spinner=False, max_entries=16)
def _national_profiles(province: str | None, communes: tuple[str, ...], group: str | None, year: int,
                       columns: tuple[str, ...], standard: str | None) -> pd.DataFrame:
    where = national.unit_filter(province=province, communes=communes, group=group)
    return plan_profiles(_nsrc(standard), year, where=where, columns=columns)


def indicator_basis(sel: Selection, year: int) -> IndicatorBasis:
    """Which standard's indicators the deprivation views of ``year`` use (:func:`povlib.indicator_basis.resolve_indicators`)."""
    if sel.panel.dataset == NATIONAL:
        return _national_indicator_basis(year, sel.panel.standard)
    own = panel_info(sel.panel.dataset, sel.panel.version).standard_of_year[year]
    return resolve_indicators(_given_columns(sel.panel, year), sel.panel.standard, own)


@st.cache_data(show_spinner=False, max_entries=16)
def _national_indicator_basis(year: int, standard: str | None) -> IndicatorBasis:
    return national.indicator_basis(_nsrc(), year, standard)


@st.cache_data(show_spinner=False, max_entries=64)
def _given_columns(ref: views.PanelRef, year: int) -> list[str]:
    """The columns of the panel holding a value in some row of ``year`` (:func:`povlib.indicator_basis.given_columns`)."""
    p = load_panel(ref.dataset, ref.version, ref.standard)
    return given_columns(p.loc[p["year"].to_numpy() == year])


@st.cache_data(show_spinner=False, max_entries=64)
def view_overview(sel: Selection, year: int) -> dict:
    """:func:`povlib.views.overview_figures` of the rows in view; of chosen communes, every review on the
    territory of those communes in ``year`` (:func:`povlib.views.overview.overview_of_communes`)."""
    if sel.communes:
        return views.overview_of_communes(_scope_of_communes(sel), year, sel.communes)
    return views.overview_of_scope(panel_rows(sel), year, missing=not_reviewed(sel, year))


@st.cache_data(show_spinner=False, max_entries=64)
def not_reviewed(sel: Selection, year: int) -> pd.DataFrame:
    """Communes of the previous review in view with no row in ``year`` (:func:`povlib.reports.reform.units_not_reviewed`),
    over every household of the area (a group of households may be absent from a commune without its file
    missing: the towns that became rural in 2025 have no urban households); none when communes are chosen (each
    has rows in the year) and in the national dataset (one generated whole)."""
    if sel.panel.dataset == NATIONAL or sel.communes:
        return pd.DataFrame(columns=["code", "name", "households"])
    return units_not_reviewed(views.select_rows(_panel(sel), district=sel.district), year)


@st.cache_data(show_spinner=False, max_entries=64)
def view_ranking(sel: Selection, year: int, level: str) -> pd.DataFrame:
    """Units ranked by poverty rate; ``level`` 'district' or 'commune'. Ignores the commune filter."""
    return views.with_ranks(views.unit_ranking(sel.rows(_panel(sel), years=(year,), communes=False), level))


@st.cache_data(show_spinner=False, max_entries=64)
def view_deprivations(sel: Selection, year: int, indicator_std: str) -> dict:
    if _national_wide(sel):
        return national.deprivation_summary(_nsrc(sel.panel.standard), year, indicator_std, province=sel.district,
                                            communes=sel.communes, group=sel.group)
    return views.deprivation_summary(panel_rows(sel, year), indicator_std)


@st.cache_data(show_spinner=False, max_entries=32)
def view_partial_shares(sel: Selection, year: int, indicator_std: str) -> dict | None:
    """:func:`povlib.views.partial_shares` of the rows in view (none in the national dataset: generated whole)."""
    if _national_wide(sel):
        return None
    return views.partial_shares(panel_rows(sel, year), indicator_std)


@st.cache_data(show_spinner=False, max_entries=32)
def view_group_comparison(sel: Selection, year: int, indicator_std: str) -> pd.DataFrame:
    """:func:`povlib.views.group_comparison` of the rows in view (ignores the group filter)."""
    return views.group_comparison(panel_rows(sel.with_(group="all"), year), indicator_std)


@st.cache_data(show_spinner=False, max_entries=64)
def view_unit_indicator(sel: Selection, year: int, indicator_std: str, level: str, among: str = "all") -> pd.DataFrame:
    if _national_wide(sel):  # the provinces, or the communes of the province (the commune filter is not used)
        return national.unit_indicator_matrix(_nsrc(sel.panel.standard), year, indicator_std, level, province=sel.district,
                                              group=sel.group, among=among)
    return views.unit_indicator_matrix(panel_rows(sel, year), indicator_std, level, among=among)


def _series_rows(sel: Selection, on_year: int | None, year: int | None) -> pd.DataFrame:
    """Rows in view of every year; with ``on_year`` re-expressed on that year's communes and the commune
    filter read on the units of ``year`` (the year the communes were picked in): :func:`periods.on_units`."""
    if on_year is None:
        return panel_rows(sel)
    scope = _scope_of_communes(sel) if sel.communes else sel.rows(_panel(sel), communes=False)
    return periods.on_units(scope, on_year, communes=sel.communes, year=year)


def _scope_of_communes(sel: Selection) -> pd.DataFrame:
    """Every year's rows of the group, any district: chosen communes are taken whole (a commune of two former
    districts is not cut by the district filter), :func:`periods.on_units` then keeps their territory."""
    return views.select_rows(_panel(sel), group=sel.group)


@st.cache_data(show_spinner=False, max_entries=32)
def view_trend(sel: Selection, level: str | None, on_year: int | None = None, year: int | None = None) -> pd.DataFrame:
    """Rates per year (and unit); with ``on_year`` every year on the communes of ``on_year``."""
    return views.rates_trend(_series_rows(sel, on_year, year), level, whatif=sel.panel.standard)


@st.cache_data(show_spinner=False, max_entries=16)
def view_unit_changes(sel: Selection, on_year: int, year: int | None = None) -> pd.DataFrame:
    """What the series on the communes of ``on_year`` merged or estimated (:func:`periods.unit_changes`)."""
    rows = _scope_of_communes(sel).loc[_series_rows(sel, on_year, year).index] if sel.communes else panel_rows(sel)
    return periods.unit_changes(rows, on_year)


@st.cache_data(show_spinner=False, max_entries=32)
def view_flows(sel: Selection, year: int | None = None) -> pd.DataFrame:
    """Yearly flows (by household, whatever its unit); the commune filter read on the units of ``year``."""
    if _national_wide(sel):
        return national.flow_counts(_nsrc(sel.panel.standard), years=panel_info(NATIONAL).years, province=sel.district,
                                    communes=sel.communes, group=sel.group)
    return views.flow_counts(_series_rows(sel, year if sel.communes else None, year))


@st.cache_data(show_spinner=False, max_entries=32)
def view_transitions(sel: Selection, year_from: int, year_to: int, year: int | None = None) -> pd.DataFrame:
    if _national_wide(sel):
        return national.transition_counts(_nsrc(sel.panel.standard), year_from, year_to, province=sel.district, communes=sel.communes,
                                          group=sel.group)
    rows = _series_rows(sel, year if sel.communes else None, year)
    if year_from == max((y for y in pd.unique(rows["year"]) if y < year_to), default=None):
        rows = without_not_reviewed(rows, year_to)  # communes with no data yet in year_to: not "gone"
    return views.transition_counts(rows, year_from, year_to)


@st.cache_data(show_spinner=False, max_entries=32)
def view_households(sel: Selection, year: int, indicator_std: str, lang: str, show_names: bool | tuple[str, ...],
                    statuses: tuple[str, ...] = ("poor", "near_poor"), flows: tuple[str, ...] = (),
                    villages: tuple[str, ...] = (), min_deprivations: int = 0,
                    indicators: tuple[str, ...] = ()) -> pd.DataFrame:
    """:func:`povlib.views.household_list` of the rows in view, filtered on codes (``show_names``: True, False
    or the communes whose names may be shown; ``indicators``: the ones counted, default ``indicator_std``'s)."""
    return views.household_list(panel_rows(sel, year), indicator_std, lang=lang, show_names=show_names,
                                statuses=statuses, flows=flows, villages=villages, min_deprivations=min_deprivations,
                                indicators=indicators or None)


@st.cache_data(show_spinner=False, max_entries=32)
def view_household_choices(sel: Selection, year: int, indicator_std: str, indicators: tuple[str, ...] = ()) -> dict:
    """:func:`povlib.views.household_choices` of the rows in view (options of the page's filters)."""
    return views.household_choices(panel_rows(sel, year), indicator_std, indicators=indicators or None)


# --- map page (povlib.geo) -------------------------------------------------------------------------
def _boundary_scope(dataset: str, df: pd.DataFrame) -> str:
    """The territory whose boundaries a dataset is drawn on: a demo's own, else the one its districts fit
    (after 2025, when rows have no district, their former district)."""
    if dataset in DEMO_DATASETS:
        return dataset
    dist = df["district_code"]
    if "former_district_code" in df.columns:
        dist = dist.astype(object).where(dist.notna(), df["former_district_code"].astype(object))
    return geo.scope_for(dist.dropna().astype(str).unique())


@st.cache_data(show_spinner=False, max_entries=32)
def view_map_layer(sel: Selection, year: int, level: str):
    """Polygons of ``level`` ('commune' | 'district') joined to every map measure (ignores the commune filter)."""
    dataset, standard, district = sel.panel.dataset, sel.panel.standard, sel.district
    if dataset == NATIONAL:
        return nat_map_layer(sel, year, level)
    df = _panel(sel)
    rows = sel.rows(df, years=(year,), communes=False)
    scope = _boundary_scope(dataset, df)
    # communes: the layer of the year's units, joined on (code, year) – never the 2019 layer for a later year
    layer = (geo.period_boundaries(scope, year, district=district) if level == "commune"
             else geo.boundaries(scope, level, district=district))
    if rows.empty:
        return layer
    by = "commune_code" if level == "commune" else "district_code"
    return geo.join_measures(layer, geo.unit_measures(rows, year, by=by, standard=standard), year=year)


def map_attribution(sel: Selection, year: int, level: str, lang: str) -> str:
    """The attribution text of the layer the map of ``year`` is drawn on (:meth:`povlib.geo.PeriodLayer.attribution`)."""
    if sel.panel.dataset == NATIONAL:
        return t(geo_national.ATTRIBUTION_KEY, lang)
    if level != "commune":
        return t("general.attribution", lang)
    return geo.layer_for(_boundary_scope(sel.panel.dataset, _panel(sel)), year).attribution(lang)


@st.cache_data(show_spinner=False, max_entries=16)
def view_district_outline(dataset: str, version: str | None, district: str | None):
    """District outline(s) drawn on top of the map."""
    if dataset == NATIONAL:  # the chosen province's outline (none on the map of provinces)
        return None if district is None else geo_national.province_layer().query("code == @district")
    df = load_panel(dataset, version)
    return geo.boundaries(_boundary_scope(dataset, df), "district", district=district)


@st.cache_data(show_spinner=False, max_entries=32)
def view_unit_profile(sel: Selection, code: str, year: int, lang: str):
    """:func:`povlib.geo.unit_profile` of one commune (villages, its indicators against its district or, after
    2025, its province, trend); the group filter applies to the households, not to which communes the data hold."""
    # every year on the communes of ``year``: the trend of the unit shown, never of another unit with its code
    panel = _panel(sel)
    rows = periods.on_units(views.select_rows(panel, group=sel.group), year)
    held = panel_info(sel.panel.dataset, sel.panel.version).communes_in(year)["code"]  # before the group filter
    return geo.unit_profile(rows, code, year, standard=sel.panel.standard, lang=lang, communes_held=set(held))


# --- planning page (povlib.planning) ----------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=32)
def view_plan_eligibility(sel: Selection, year: int, policies_toml: str, pupils_per_member: float,
                          difficult_mtime: float) -> tuple[pd.DataFrame, dict]:
    """:func:`povlib.planning.eligibility` of the rows in view (amount edits do not invalidate it).

    ``policies_toml`` is the text of the policies in force (targets, units);
    ``difficult_mtime`` the modification time of the extremely-difficult-communes file.
    """
    ps = planning.loads_policies(policies_toml).with_parameters({"pupils_per_member": pupils_per_member})
    elig = planning.eligibility(plan_rows(sel, year, ps), ps, year=year)
    return elig, dict(elig.attrs)


@st.cache_data(show_spinner=False, max_entries=8)
def view_plan_projection(sel: Selection, year: int, review_standard: str, policies_toml: str,
                         difficult_mtime: float) -> planning.PlanProjection:
    """:func:`povlib.planning.project_plan`: the next year's plan under its standard, from the rows in view of
    ``year`` (and the earlier reviews of the same households)."""
    ps = planning.loads_policies(policies_toml)
    return planning.project_plan(plan_rows(sel, year), year, ps, review_standard=review_standard)


@st.cache_data(show_spinner=False, max_entries=4)
def plan_projection_xlsx(sel: Selection, year: int, review_standard: str, policies_toml: str, lang: str,
                         difficult_mtime: float) -> bytes:
    """The projection as a workbook (what ``python -m povlib plan --project`` writes)."""
    return planning.projection_workbook(view_plan_projection(sel, year, review_standard, policies_toml,
                                                             difficult_mtime), lang, synthetic=is_synthetic(sel.panel.dataset))


@st.cache_data(show_spinner=False, max_entries=32)
def view_whatif(sel: Selection, year: int, scenario_json: str, policies_toml: str) -> planning.WhatIfResult:
    """:func:`povlib.planning.run_scenario` on the rows in view, without the household tables."""
    ps = planning.loads_policies(policies_toml)
    sc = planning.scenario_from_dict(json.loads(scenario_json), "scenario")
    res = planning.run_scenario(panel_rows(sel, year), sc, ps, year=year, standard=sel.panel.standard)
    return res.without_households()


def _plan_bundle(sel: Selection, year: int, policies_toml: str, scenario_json: str, lang: str, scope_label: str,
                 synthetic: bool) -> planning.PlanBundle:
    ps = planning.loads_policies(policies_toml)
    sc = planning.scenario_from_dict(json.loads(scenario_json), "scenario") if scenario_json else None
    return planning.build_plan(plan_rows(sel, year, ps), year, policies=ps, scenario=sc, standard=sel.panel.standard,
                               scope_label=scope_label, synthetic=synthetic, lang=lang, dated=planning.plan_policies(year))


@st.cache_data(show_spinner=False, max_entries=16)
def plan_bundle(sel: Selection, year: int, rules_toml: str, policies_toml: str, lang: str,
                difficult_mtime: float) -> planning.PlanBundle:
    """The plan the page draws (:func:`povlib.planning.build_plan`, no scenario): tables, notes and the
    charts' data. ``rules_toml`` are the policies in force without this session's edits: the eligibility
    (:func:`view_plan_eligibility`) stays cached while only amounts change."""
    ps = planning.loads_policies(policies_toml)
    elig, attrs = view_plan_eligibility(sel, year, rules_toml, float(ps.parameter_values.get("pupils_per_member", 0)),
                                        difficult_mtime)
    elig = elig.copy()
    elig.attrs = dict(attrs)
    return planning.build_plan(plan_rows(sel, year, ps), year, policies=ps, eligible=elig,
                               standard=sel.panel.standard, lang=lang, dated=planning.plan_policies(year))


@st.cache_data(show_spinner=False, max_entries=16)
def plan_xlsx(sel: Selection, year: int, policies_toml: str, scenario_json: str, lang: str, scope_label: str,
              synthetic: bool) -> bytes:
    """The support plan (and scenario) as an Excel workbook (:func:`povlib.planning.build_plan`)."""
    return _plan_bundle(sel, year, policies_toml, scenario_json, lang, scope_label, synthetic).to_xlsx()


@st.cache_data(show_spinner=False, max_entries=4)
def plan_pdf(sel: Selection, year: int, policies_toml: str, scenario_json: str, lang: str, scope_label: str,
             synthetic: bool) -> bytes:
    """The same plan as :func:`plan_xlsx` for printing and signing (PDF, :mod:`povlib.reports.pdf`)."""
    return _plan_bundle(sel, year, policies_toml, scenario_json, lang, scope_label, synthetic).to_pdf()


# --- reports page (povlib.reports) ------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=16)
def view_report(sel: Selection, year: int, kind: str, lang: str, level: str, show_names: bool, pct_base: str,
                include_escaped: bool):
    """:func:`povlib.reports.build_report` on the whole panel of the dataset (all households,
    every year: the flows need the previous years), restricted to the selection's district and its
    one commune (``sel.communes`` empty: the whole district or province; the group is not used:
    the official forms count every household)."""
    if len(sel.communes) > 1:
        raise povlib.PovlibInputError.from_key("report.err.one_commune", n=len(sel.communes))
    return build_report(_panel(sel), year, kind, lang=lang, level=level,
                        commune=sel.communes[0] if sel.communes else None,
                        district=None if sel.panel.dataset == NATIONAL else sel.district,  # national: the commune
                        show_names=show_names, synthetic=is_synthetic(sel.panel.dataset), pct_base=pct_base,
                        include_escaped=include_escaped, applied_standard=sel.panel.standard)


# --- help and compare pages (povlib.views.explain, povlib.views.compare) ------------------------------
@st.cache_data(show_spinner=False, max_entries=16)
def view_commune_choices(sel: Selection, year: int | None = None) -> dict[str, str]:
    """Code -> name of the communes of the selection's district (ignores the commune filter), of every year or
    of ``year``, in Vietnamese order."""
    return views.commune_choices(sel.rows(_panel(sel), years=None if year is None else (year,), communes=False))


@st.cache_data(show_spinner=False, max_entries=32)
def view_compare(sel: Selection, codes: tuple[str, ...], year: int) -> views.Comparison:
    """:func:`povlib.views.compare_communes` of ``codes`` (group filter applied, commune filter ignored)."""
    return views.compare_communes(sel.rows(_panel(sel), communes=False), codes, year, standard=sel.panel.standard)


@st.cache_data(show_spinner=False, max_entries=8)
def map_png(sel: Selection, year: int, level: str, measure: str, scheme: str, selected: str | None, lang: str,
            scope: str) -> bytes:
    """The map of the page as a PNG (:func:`povlib.geo.png.choropleth_png`): names, legend, attribution."""
    layer = view_map_layer(sel, year, level)
    outline = view_district_outline(sel.panel.dataset, sel.panel.version, sel.district)
    title = t(geo.MEASURES[measure][0], lang)
    return choropleth_png(layer, measure, title=title, subtitle=scope,
                          attribution=map_attribution(sel, year, level, lang), lang=lang, scheme=scheme, outline=outline,
                          selected=selected)
