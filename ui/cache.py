"""The dashboard's only cache: data loaded once, per-view tables computed once.

* :func:`load_panel` keeps **one** classified panel per (dataset, version,
  standard) in memory with ``st.cache_resource`` – no copy per rerun (a
  315 000-row frame would cost more to unpickle than to filter). Treat it as
  read-only: pages and :mod:`povlib.views` only select from it.
  The panel carries the per-household flow columns of
  :func:`povlib.transitions.household_flows` (computed once here, never per
  rerun).
* The ``view_*`` functions wrap :mod:`povlib.views` with ``st.cache_data``,
  keyed on cheap strings and tuples (dataset, version, standard, district,
  communes, group, year, lang). Their results are small tables.

Datasets
--------
``cho-don``   bundled synthetic district panel (default);
``bac-kan``   synthetic province panel, listed only when
              ``data/demo/bac_kan_panel.parquet`` exists
              (``python -m povlib generate --scope bac-kan``);
``store:<name>``  imported review data kept by :mod:`povlib.store` (when that
              module exists): versions come from ``store.list_versions()``,
              rows from ``store.load(name, version)`` – see :func:`_read_store`.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
from dataclasses import dataclass

import pandas as pd
import streamlit as st

import povlib
from povlib import planning, views
from povlib.demo import demo_path
from povlib.i18n import t
from povlib.transitions import household_flows

DEMO_DATASETS = ("cho-don", "bac-kan")
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
def _store_module():
    if importlib.util.find_spec("povlib.store") is None:
        return None
    return importlib.import_module("povlib.store")


def _store_datasets() -> list[Dataset]:
    """Imported datasets from povlib.store, if that module offers ``list_versions()``."""
    store = _store_module()
    lister = getattr(store, "list_versions", None) if store else None
    if lister is None:
        return []
    try:
        rows = lister()
    except Exception:  # noqa: BLE001 - a broken store must not take the demo down
        return []
    by_name: dict[str, list[str]] = {}
    for r in rows or []:
        name = r.get("dataset") if isinstance(r, dict) else getattr(r, "dataset", None)
        ver = r.get("version") if isinstance(r, dict) else getattr(r, "version", None)
        if name and ver:
            by_name.setdefault(str(name), []).append(str(ver))
    return [Dataset(f"{STORE_PREFIX}{n}", t("app.dataset.store", "vi", name=n), t("app.dataset.store", "en", name=n),
                    tuple(reversed(v)), synthetic=False) for n, v in by_name.items()]


@st.cache_data(ttl=30, show_spinner=False)
def available_datasets() -> list[Dataset]:
    """Datasets to offer, the default first: imported review data (latest version) when the
    store holds any, then the district demo, then the province demo if built."""
    out = _store_datasets()
    out.append(Dataset("cho-don", t("app.dataset.cho-don", "vi"), t("app.dataset.cho-don", "en")))
    if demo_path("bac-kan").exists():
        out.append(Dataset("bac-kan", t("app.dataset.bac-kan", "vi"), t("app.dataset.bac-kan", "en")))
    return out


def is_synthetic(dataset: str) -> bool:
    return dataset in DEMO_DATASETS


def _read_store(name: str, version: str | None) -> pd.DataFrame:
    store = _store_module()
    loader = getattr(store, "load", None) if store else None
    if loader is None:
        raise povlib.PovlibInputError(t("app.no_store", "vi"), t("app.no_store", "en"))
    return loader(name, version)


# --- the panel ----------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=4)
def load_panel(dataset: str, version: str | None = None, standard: str | None = None) -> pd.DataFrame:
    """The classified panel of ``dataset`` with per-household flow columns (read-only).

    ``standard`` None keeps each row's own standard; a standard id reclassifies
    every row under it (a what-if view, flagged on screen).
    """
    if dataset in DEMO_DATASETS:
        df = povlib.load_demo(dataset)
    elif dataset.startswith(STORE_PREFIX):
        df = _read_store(dataset[len(STORE_PREFIX):], version)
        if "status" not in df.columns:
            df = povlib.classify_households(df, standard=None)
    else:
        raise povlib.PovlibInputError(t("app.no_dataset", "vi", name=dataset), t("app.no_dataset", "en", name=dataset))
    if standard is not None:
        df = povlib.classify_households(df, standard=standard)
    flows = household_flows(df, keys=("gso_code_2019",))
    df = pd.concat([df, flows], axis=1)
    return df


@st.cache_data(show_spinner=False, max_entries=8)
def panel_info(dataset: str, version: str | None = None) -> PanelInfo:
    df = load_panel(dataset, version)
    return views.panel_info(df)


# --- views (small tables, cached per filter combination) -------------------------------------
def _rows(dataset, version, standard, district, communes, group, year=None) -> pd.DataFrame:
    df = load_panel(dataset, version, standard)
    return views.select_rows(df, years=None if year is None else (year,), district=district,
                             communes=communes, group=group)


@st.cache_data(show_spinner=False, max_entries=64)
def view_overview(scope: tuple, year: int) -> dict:
    """:func:`povlib.views.overview_figures` for the rows in ``scope`` (see ``Filters.scope``)."""
    dataset, version, standard, district, communes, group = scope
    df = load_panel(dataset, version, standard)
    rows = views.select_rows(df, district=district, communes=communes, group=group)
    return views.overview_figures(rows, year)


@st.cache_data(show_spinner=False, max_entries=64)
def view_ranking(scope: tuple, year: int, level: str) -> pd.DataFrame:
    """Units ranked by poverty rate; ``level`` 'district' or 'commune'. Ignores the commune filter."""
    dataset, version, standard, district, communes, group = scope
    df = load_panel(dataset, version, standard)
    rows = views.select_rows(df, years=(year,), district=district, group=group)
    return views.unit_ranking(rows, level)


def panel_rows(scope: tuple, year: int | None = None) -> pd.DataFrame:
    """Rows in view (uncached selection on the cached panel: a boolean mask, milliseconds)."""
    dataset, version, standard, district, communes, group = scope
    return _rows(dataset, version, standard, district, communes, group, year)


@st.cache_data(show_spinner=False, max_entries=64)
def view_deprivations(scope: tuple, year: int, indicator_std: str) -> dict:
    rows = panel_rows(scope, year)
    return views.deprivation_summary(rows, indicator_std)


@st.cache_data(show_spinner=False, max_entries=32)
def view_group_comparison(scope: tuple, year: int, indicator_std: str) -> pd.DataFrame:
    """:func:`povlib.views.group_comparison` of the rows in view (ignores the group filter)."""
    dataset, version, standard, district, communes, group = scope
    return views.group_comparison(panel_rows((dataset, version, standard, district, communes, "all"), year),
                                  indicator_std)


@st.cache_data(show_spinner=False, max_entries=64)
def view_unit_indicator(scope: tuple, year: int, indicator_std: str, level: str, among: str = "all") -> pd.DataFrame:
    return views.unit_indicator_matrix(panel_rows(scope, year), indicator_std, level, among=among)


@st.cache_data(show_spinner=False, max_entries=32)
def view_trend(scope: tuple, level: str | None) -> pd.DataFrame:
    return views.rates_trend(panel_rows(scope), level)


@st.cache_data(show_spinner=False, max_entries=32)
def view_flows(scope: tuple) -> pd.DataFrame:
    return views.flow_counts(panel_rows(scope))


@st.cache_data(show_spinner=False, max_entries=32)
def view_transitions(scope: tuple, year_from: int, year_to: int) -> pd.DataFrame:
    return views.transition_counts(panel_rows(scope), year_from, year_to)


@st.cache_data(show_spinner=False, max_entries=32)
def view_households(scope: tuple, year: int, indicator_std: str, lang: str, show_names: bool) -> pd.DataFrame:
    return views.household_list(panel_rows(scope, year), indicator_std, lang=lang, show_names=show_names)


# --- map page (povlib.geo) -------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=32)
def view_map_layer(scope: tuple, year: int, level: str):
    """Polygons of ``level`` ('commune' | 'district') joined to every map measure (ignores the commune filter)."""
    from povlib import geo

    dataset, version, standard, district, communes, group = scope
    df = load_panel(dataset, version, standard)
    rows = views.select_rows(df, years=(year,), district=district, group=group)
    boundary_scope = dataset if dataset in DEMO_DATASETS else geo.scope_for(df["district_code"].astype(str).unique())
    layer = geo.boundaries(boundary_scope, level, district=district)
    if rows.empty:
        return layer
    by = "gso_code_2019" if level == "commune" else "district_code"
    return geo.join_measures(layer, geo.unit_measures(rows, year, by=by, standard=standard), year=year)


@st.cache_data(show_spinner=False, max_entries=16)
def view_district_outline(dataset: str, version: str | None, district: str | None):
    """District outline(s) drawn on top of the map."""
    from povlib import geo

    df = load_panel(dataset, version)
    boundary_scope = dataset if dataset in DEMO_DATASETS else geo.scope_for(df["district_code"].astype(str).unique())
    return geo.boundaries(boundary_scope, "district", district=district)


@st.cache_data(show_spinner=False, max_entries=32)
def view_unit_profile(scope: tuple, code: str, year: int, lang: str):
    """:func:`povlib.geo.unit_profile` of one commune (villages, 10 indicators vs district, trend)."""
    from povlib import geo

    dataset, version, standard, district, communes, group = scope
    df = load_panel(dataset, version, standard)
    rows = views.select_rows(df, group=group)
    return geo.unit_profile(rows, code, year, standard=standard, lang=lang)


# --- planning page (povlib.planning) ----------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=32)
def view_plan_eligibility(scope: tuple, year: int, policies_toml: str, pupils_per_member: float,
                          difficult_mtime: float) -> tuple[pd.DataFrame, dict]:
    """:func:`povlib.planning.eligibility` of the rows in view (amount edits do not invalidate it).

    ``policies_toml`` is the text of the policies in force (targets, units);
    ``difficult_mtime`` the modification time of the extremely-difficult-communes file.
    """
    ps = planning.loads_policies(policies_toml).with_parameters({"pupils_per_member": pupils_per_member})
    elig = planning.eligibility(panel_rows(scope, year), ps, year=year)
    return elig, dict(elig.attrs)


@st.cache_data(show_spinner=False, max_entries=32)
def view_whatif(scope: tuple, year: int, scenario_json: str, policies_toml: str) -> planning.WhatIfResult:
    """:func:`povlib.planning.run_scenario` on the rows in view, without the household tables."""
    ps = planning.loads_policies(policies_toml)
    sc = planning.scenario_from_dict(json.loads(scenario_json), "scenario")
    res = planning.run_scenario(panel_rows(scope, year), sc, ps, year=year, standard=scope[2])
    return res.without_households()


@st.cache_data(show_spinner=False, max_entries=16)
def plan_xlsx(scope: tuple, year: int, policies_toml: str, scenario_json: str, lang: str, scope_label: str,
              synthetic: bool) -> bytes:
    """The support plan (and scenario) as an Excel workbook (:func:`povlib.planning.build_plan`)."""
    ps = planning.loads_policies(policies_toml)
    sc = planning.scenario_from_dict(json.loads(scenario_json), "scenario") if scenario_json else None
    bundle = planning.build_plan(panel_rows(scope, year), year, policies=ps, scenario=sc, standard=scope[2],
                                 scope_label=scope_label, synthetic=synthetic, lang=lang)
    return bundle.to_xlsx()


# --- reports page (povlib.reports) ------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=16)
def view_report(dataset: str, version: str | None, standard: str | None, district: str | None,
                commune: str | None, year: int, kind: str, lang: str, level: str, show_names: bool,
                pct_base: str, include_escaped: bool):
    """:func:`povlib.reports.build_report` on the whole panel of the dataset (all households,
    every year: the flows need the previous years), restricted to ``district`` / ``commune``."""
    from povlib.reports import build_report

    return build_report(load_panel(dataset, version, standard), year, kind, lang=lang, level=level,
                        commune=commune, district=district, show_names=show_names,
                        synthetic=is_synthetic(dataset), pct_base=pct_base, include_escaped=include_escaped,
                        applied_standard=standard)
