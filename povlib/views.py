"""Page-level tables of the dashboard, assembled from povlib's measures.

Pages only draw; every number they show comes from a function here, so that
the overview's figures are povlib's figures (and testable without Streamlit).
All functions are pure and vectorised; the input panel is never modified.

The panel given to these functions is a classified panel (see
:func:`povlib.classify_households`) joined with the per-household flow columns
of :func:`povlib.transitions.household_flows` (``escaped_poverty``,
``newly_poor``, ``re_poor``, ... ``flow_label``).

Examples
--------
>>> import povlib
>>> from povlib.transitions import household_flows
>>> from povlib.views import with_flows, overview_figures
>>> p = with_flows(povlib.load_demo())
>>> fig = overview_figures(p, 2019)
>>> round(fig["poor_rate"] * 100, 2)
15.86
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from . import standards as _standards
from .classify import STATUSES
from .i18n import t
from .measures import af_by_group, alkire_foster, deprivation_shares, rates
from .privacy import mask_ids, mask_names
from .transitions import household_flows

__all__ = [
    "GROUPS", "Group", "PanelFacts", "FLOW_CODES", "NEAR_FLOW_CODES", "POOR_FLOW_CODES",
    "with_flows", "panel_facts", "panel_info", "select_rows", "overview_figures", "unit_ranking",
    "rates_trend", "flow_counts", "transition_counts", "standards_in_years", "indicator_standard", "has_indicators",
    "deprivation_summary", "group_comparison", "unit_indicator_matrix", "household_list", "LEVELS",
]


@dataclass(frozen=True)
class Group:
    """A household group the filters can select: rows where ``column == value``."""

    column: str
    value: object
    label_key: str


#: Groups of the shared "group" filter (id -> definition); the id goes in the URL.
GROUPS: dict[str, Group] = {
    "ethnic_minority": Group("ethnic_minority", True, "group.ethnic_minority"),
    "meritorious": Group("meritorious", True, "group.meritorious"),
    "social_protection": Group("social_protection", True, "group.social_protection"),
    "no_labour_capacity": Group("no_labour_capacity", True, "group.no_labour"),
    "female_head": Group("female_head", True, "group.female_head"),
    "rural": Group("area", "rural", "area.rural"),
    "urban": Group("area", "urban", "area.urban"),
}

#: Unit levels: level -> (code column, name column).
LEVELS: dict[str, tuple[str, str]] = {
    "commune": ("gso_code_2019", "commune_name"),
    "district": ("district_code", "district_name"),
}

POOR_FLOW_CODES = ("escaped_poverty", "newly_poor", "re_poor")
NEAR_FLOW_CODES = ("escaped_near_poverty", "newly_near_poor", "re_near_poor")
FLOW_CODES = POOR_FLOW_CODES + NEAR_FLOW_CODES


@dataclass(frozen=True)
class PanelFacts:
    """Small facts about a panel, for filters: years, standards, units."""

    years: tuple[int, ...]
    standard_of_year: dict[int, str]
    districts: dict[str, str]          # code -> name
    communes: pd.DataFrame             # columns code, name, district_code (sorted by district, name)
    rows: int


def with_flows(panel: pd.DataFrame, *, keys: Sequence[str] = ("gso_code_2019",)) -> pd.DataFrame:
    """The panel with the flow columns of :func:`household_flows` appended.

    A household that changes commune counts as having left one commune and
    joined another (``keys``), as in the official flow table by commune.
    """
    return pd.concat([panel, household_flows(panel, keys=keys)], axis=1)


def panel_facts(panel: pd.DataFrame) -> PanelFacts:
    """Years, the standard of each year, districts and communes of a panel."""
    years = tuple(int(y) for y in np.sort(panel["year"].unique()))
    std = panel.groupby("year", observed=True)["standard"].agg(lambda s: str(s.mode().iloc[0]))
    d = panel[["district_code", "district_name"]].drop_duplicates().astype(str).sort_values("district_name")
    c = (panel[["gso_code_2019", "commune_name", "district_code"]].drop_duplicates("gso_code_2019").astype(str)
         .rename(columns={"gso_code_2019": "code", "commune_name": "name"}))
    c = c.sort_values(["district_code", "name"]).reset_index(drop=True)
    return PanelFacts(years=years, standard_of_year={int(k): v for k, v in std.items()},
                      districts=dict(zip(d["district_code"], d["district_name"])), communes=c,
                      rows=len(panel))


panel_info = panel_facts


def select_rows(
    panel: pd.DataFrame,
    *,
    years: Sequence[int] | None = None,
    district: str | None = None,
    communes: Sequence[str] = (),
    group: str | None = "all",
) -> pd.DataFrame:
    """Rows of the panel in view: years, a district, communes (GSO 2019 codes), a group.

    Empty ``communes`` and ``group`` ``'all'`` (or None) select everything.
    """
    mask = np.ones(len(panel), dtype=bool)
    if years is not None:
        mask &= panel["year"].isin(list(years)).to_numpy()
    if district:
        mask &= _eq(panel["district_code"], str(district))
    if communes:
        mask &= _isin(panel["gso_code_2019"], [str(c) for c in communes])
    if group and group != "all":
        g = GROUPS[group]
        col = panel[g.column]
        mask &= _eq(col, g.value) if isinstance(g.value, str) else _truthy(col)
    return panel.loc[mask] if not mask.all() else panel


def _eq(col: pd.Series, value: str) -> np.ndarray:
    """``col == value`` for a (categorical) string column, without converting every row."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = col.cat.categories.astype(str)
        hit = np.flatnonzero(cats == value)
        return np.isin(col.cat.codes.to_numpy(), hit)
    return (col.astype(str) == value).to_numpy()


def _truthy(col: pd.Series) -> np.ndarray:
    """A boolean flag column as a numpy bool array; missing values (imported data) are False."""
    if col.dtype == bool:
        return col.to_numpy()
    return col.fillna(False).to_numpy(dtype=bool)


def _isin(col: pd.Series, values: Sequence[str]) -> np.ndarray:
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = col.cat.categories.astype(str)
        hit = np.flatnonzero(cats.isin(list(values)))
        return np.isin(col.cat.codes.to_numpy(), hit)
    return col.astype(str).isin(list(values)).to_numpy()


def _prev_year(panel: pd.DataFrame, year: int) -> int | None:
    ys = panel["year"].unique()
    earlier = ys[ys < year]
    return int(earlier.max()) if len(earlier) else None


def overview_figures(panel: pd.DataFrame, year: int) -> dict:
    """The overview's headline figures for ``year`` over the rows given.

    Returns
    -------
    dict
        ``year``, ``prev_year`` (or None), ``households``, ``people``,
        ``poor``, ``near_poor``, ``poor_rate``, ``near_poor_rate``,
        ``income_poor``, ``deprivation_poor``, the same counts and rates of the
        previous year as ``prev_<name>``, the changes ``d_poor`` /
        ``d_near_poor`` (households) and ``d_poor_rate`` / ``d_near_poor_rate``
        (fractions; × 100 = points), and the flow counts of the year
        (``escaped_poverty``, ``newly_poor``, ``re_poor``,
        ``escaped_near_poverty``, ``newly_near_poor``, ``re_near_poor``; None
        for the first year of the panel). Counts are ints, rates floats.
        ``standards``: the standards of the previous year and of ``year``
        (distinct, in year order); two of them mean the changes compare
        figures measured under different standards and must be flagged.
    """
    cur = panel.loc[panel["year"].to_numpy() == year]
    r = rates(cur).iloc[0]
    keys = ("households", "people", "poor", "near_poor", "income_poor", "deprivation_poor")
    out: dict = {"year": int(year)}
    for k in keys:
        out[k] = int(r[k]) if k in r else None
    for k in ("poor_rate", "near_poor_rate", "poor_near_rate"):
        out[k] = float(r[k])
    prev = _prev_year(panel, year)
    out["prev_year"] = prev
    if "standard" in panel.columns:
        out["standards"] = standards_in_years(panel, [year] if prev is None else [prev, year])
    else:
        out["standards"] = []
    if prev is not None:
        p = rates(panel.loc[panel["year"].to_numpy() == prev]).iloc[0]
        for k in ("households", "poor", "near_poor"):
            out[f"prev_{k}"] = int(p[k])
            out[f"d_{k}"] = out[k] - int(p[k])
        for k in ("poor_rate", "near_poor_rate"):
            out[f"prev_{k}"] = float(p[k])
            out[f"d_{k}"] = out[k] - float(p[k])
        for code in FLOW_CODES:
            out[code] = int(cur[code].sum()) if code in cur.columns else None
    else:
        for k in ("households", "poor", "near_poor", "poor_rate", "near_poor_rate"):
            out[f"prev_{k}"] = None
            out[f"d_{k}"] = None
        for code in FLOW_CODES:
            out[code] = None
    return out


def unit_ranking(panel_year: pd.DataFrame, level: str = "commune") -> pd.DataFrame:
    """Units of one review year ranked by poverty rate (highest first).

    Returns columns ``code``, ``name``, ``households``, ``poor``,
    ``near_poor``, ``poor_rate``, ``near_poor_rate`` (and ``district_code``
    for communes).
    """
    code_col, name_col = LEVELS[level]
    by = [code_col, name_col] + (["district_code"] if level == "commune" else [])
    r = rates(panel_year, by=by)
    r = r[r["households"] > 0].rename(columns={code_col: "code", name_col: "name"})
    for c in ("code", "name", "district_code"):
        if c in r.columns:
            r[c] = r[c].astype(str)
    cols = ["code", "name", *(["district_code"] if level == "commune" else []),
            "households", "poor", "near_poor", "poor_rate", "near_poor_rate"]
    return r[cols].sort_values(["poor_rate", "name"], ascending=[False, True]).reset_index(drop=True)


def rates_trend(panel: pd.DataFrame, level: str | None = None) -> pd.DataFrame:
    """Poverty and near-poverty rates per review year, for the whole selection or per unit.

    Returns a long table: ``year``, ``code``, ``name`` (``'all'`` / ''
    for the whole selection), ``standard``, ``households``, ``poor``,
    ``near_poor``, ``poor_rate``, ``near_poor_rate``.
    """
    std = panel.groupby("year", observed=True)["standard"].agg(lambda s: str(s.mode().iloc[0]))
    if level is None:
        r = rates(panel, by="year")
        r["code"], r["name"] = "all", ""
    else:
        code_col, name_col = LEVELS[level]
        r = rates(panel, by=["year", code_col, name_col]).rename(columns={code_col: "code", name_col: "name"})
        r = r[r["households"] > 0]
        r["code"], r["name"] = r["code"].astype(str), r["name"].astype(str)
    r["year"] = r["year"].astype(int)
    r["standard"] = r["year"].map(std).astype(str)
    return r[["year", "code", "name", "standard", "households", "poor", "near_poor", "poor_rate",
              "near_poor_rate"]].reset_index(drop=True)


def flow_counts(panel: pd.DataFrame) -> pd.DataFrame:
    """Households in each yearly flow (from the second review year).

    Returns one row per year with the counts of ``escaped_poverty``,
    ``newly_poor``, ``re_poor``, ``escaped_near_poverty``,
    ``newly_near_poor``, ``re_near_poor``.
    """
    first = int(panel["year"].min()) if len(panel) else None
    cols = list(FLOW_CODES)
    g = panel.groupby("year", observed=True)[cols].sum().astype(np.int64).reset_index()
    g["year"] = g["year"].astype(int)
    return g[g["year"] != first].reset_index(drop=True)


def transition_counts(panel: pd.DataFrame, year_from: int, year_to: int) -> pd.DataFrame:
    """Households by status in ``year_from`` and in ``year_to`` (for a Sankey diagram).

    A household present in one year only is ``'absent'`` in the other
    (formed, dissolved or moved). Returns ``from_status``, ``to_status``,
    ``households`` (only non-zero pairs), statuses ordered poor, near-poor,
    non-poor, absent.
    """
    a = panel.loc[panel["year"].to_numpy() == year_from, ["household_id", "status"]]
    b = panel.loc[panel["year"].to_numpy() == year_to, ["household_id", "status"]]
    m = a.merge(b, on="household_id", how="outer", suffixes=("_from", "_to"))
    order = [*STATUSES, "absent"]
    f = m["status_from"].astype(object).where(m["status_from"].notna(), "absent")
    to = m["status_to"].astype(object).where(m["status_to"].notna(), "absent")
    c = pd.crosstab(pd.Categorical(f, order), pd.Categorical(to, order), dropna=False)
    long = c.stack().rename("households").reset_index()
    long.columns = ["from_status", "to_status", "households"]
    long["from_status"] = long["from_status"].astype(str)
    long["to_status"] = long["to_status"].astype(str)
    long = long[long["households"] > 0]
    long = long[~((long["from_status"] == "absent") & (long["to_status"] == "absent"))]
    return long.reset_index(drop=True)


def standards_in_years(panel: pd.DataFrame, years: Sequence[int] | None = None) -> list[str]:
    """Distinct standards under which the given years (default: all) were measured, in year order."""
    p = panel if years is None else panel.loc[panel["year"].isin(list(years))]
    order = p.groupby("year", observed=True)["standard"].agg(lambda s: str(s.mode().iloc[0]))
    return list(dict.fromkeys(order.tolist()))


def has_indicators(columns: Sequence[str], standard: str) -> bool:
    """Whether the data carry every indicator column of ``standard`` (imported data may only have B2)."""
    cols = set(columns)
    return all(i in cols for i in _standards.get(standard).indicator_ids)


def indicator_standard(columns: Sequence[str], requested: str | None, own: str) -> tuple[str, list[str]]:
    """The standard whose indicators to show and the requested indicators missing from the data.

    The requested standard is used when all its indicator columns exist;
    otherwise the rows' own standard (and the missing ids are returned).
    """
    if requested is None or requested == own:
        return own, []
    missing = [i for i in _standards.get(requested).indicator_ids if i not in set(columns)]
    return (own, missing) if missing else (requested, [])


def deprivation_summary(panel_year: pd.DataFrame, standard: str) -> dict:
    """Deprivations of one review year under a standard's indicators.

    Returns
    -------
    dict
        ``table``: one row per indicator (legal order) with ``indicator``,
        ``dimension``, ``share_poor``, ``share_near_poor``, ``share_all``
        (uncensored: share of the group deprived), ``censored_poor``,
        ``censored_near_poor``, ``censored_all`` (share of the group that is
        multidimensionally deprived – at least the standard's cut-off – and
        deprived in the indicator), ``contribution`` (percent of M0);
        ``H``, ``A``, ``M0``, ``households``; ``count_dist``: households by
        ``deprivation_count`` (0..n) and ``status``.
    """
    std = _standards.get(standard)
    ids = std.indicator_ids
    k = Fraction(std.deprivation_cutoff, len(ids))
    af = alkire_foster(panel_year[ids], k=k)
    table = pd.DataFrame({"indicator": ids, "dimension": [std.dimension_of(i).id for i in ids]})
    table["share_all"] = af.uncensored.to_numpy()
    table["censored_all"] = af.censored.to_numpy()
    table["contribution"] = af.contribution.to_numpy()
    status = panel_year["status"].astype(str)
    if len(panel_year):
        by = af_by_group(panel_year.assign(_status=status), ids, "_status", k=k).set_index("_status")
    else:
        by = pd.DataFrame()
    for s in ("poor", "near_poor"):
        if s in by.index:
            table[f"share_{s}"] = [float(by.loc[s, f"hd_{i}"]) for i in ids]
            table[f"censored_{s}"] = [float(by.loc[s, f"hdk_{i}"]) for i in ids]
        else:
            table[f"share_{s}"] = 0.0
            table[f"censored_{s}"] = 0.0
    n = len(ids)
    counts = panel_year[ids].to_numpy(dtype=np.int64).sum(axis=1)
    dist = pd.crosstab(pd.Categorical(counts, range(n + 1)), pd.Categorical(status, list(STATUSES)), dropna=False)
    dist.index.name, dist.columns.name = "deprivation_count", "status"
    count_dist = dist.stack().rename("households").reset_index()
    count_dist["deprivation_count"] = count_dist["deprivation_count"].astype(int)
    count_dist["status"] = count_dist["status"].astype(str)
    return {
        "table": table[["indicator", "dimension", "share_poor", "share_near_poor", "share_all",
                        "censored_poor", "censored_near_poor", "censored_all", "contribution"]],
        "H": af.H, "A": af.A, "M0": af.M0, "households": int(len(panel_year)),
        "cutoff": std.deprivation_cutoff, "count_dist": count_dist,
    }


def group_comparison(panel_year: pd.DataFrame, standard: str) -> pd.DataFrame:
    """Poverty and Alkire–Foster measures of every household group side by side.

    One row per group (``'all'`` first, then the keys of :data:`GROUPS`
    with at least one household): ``group``, ``households``, ``poor_rate``,
    ``near_poor_rate``, ``H``, ``A``, ``M0``.
    """
    std = _standards.get(standard)
    ids = std.indicator_ids
    k = Fraction(std.deprivation_cutoff, len(ids))
    out = []
    for gid in ("all", *GROUPS):
        rows = select_rows(panel_year, group=gid)
        if not len(rows):
            continue
        r = rates(rows).iloc[0]
        af = alkire_foster(rows[ids], k=k)
        out.append({"group": gid, "households": int(r["households"]), "poor_rate": float(r["poor_rate"]),
                    "near_poor_rate": float(r["near_poor_rate"]), "H": af.H, "A": af.A, "M0": af.M0})
    return pd.DataFrame(out)


def unit_indicator_matrix(panel_year: pd.DataFrame, standard: str, level: str = "commune",
                          among: str = "all") -> pd.DataFrame:
    """Share of households deprived in each indicator, per unit (rows) × indicator (columns).

    ``among``: ``'all'`` households of the unit, or only its ``'poor'`` or
    ``'poor_near'`` (poor and near-poor) households. The index holds unit
    names; columns are indicator ids in legal order.
    """
    code_col, name_col = LEVELS[level]
    df = panel_year
    if among == "poor":
        df = df.loc[df["status"].astype(str).to_numpy() == "poor"]
    elif among == "poor_near":
        df = df.loc[df["status"].astype(str).isin(["poor", "near_poor"]).to_numpy()]
    long = deprivation_shares(df, standard, by=[name_col])
    m = long.pivot(index=name_col, columns="indicator", values="share")
    m.index = m.index.astype(str)
    m.index.name = "name"
    return m[_standards.get(standard).indicator_ids]


def _per_unique(s: pd.Series, fn) -> pd.Series:
    """Apply a vectorised string function to the distinct values only, then map back."""
    codes, uniques = pd.factorize(s)
    out = fn(pd.Series(uniques)).to_numpy(dtype=object)
    res = np.where(codes >= 0, out[np.clip(codes, 0, None)] if len(out) else None, None)
    return pd.Series(res, index=s.index, dtype=object)


def household_list(panel_year: pd.DataFrame, standard: str, *, lang: str = "vi",
                   show_names: bool = False, statuses: Sequence[str] = ("poor", "near_poor")) -> pd.DataFrame:
    """Poor and near-poor households with their deprivations and flow status, ready to show or export.

    Column headers are in ``lang``. Names and ID numbers are masked unless
    ``show_names``. The flow column reads e.g. ``'Tái nghèo 2019'``.
    """
    std = _standards.get(standard)
    ids = [i for i in std.indicator_ids if i in panel_year.columns]
    df = panel_year.loc[panel_year["status"].astype(str).isin(list(statuses)).to_numpy()]
    st_lab = {s: t(f"status.{s}", lang) for s in STATUSES}
    via_lab = {"income": t("via.income", lang), "deprivation": t("via.deprivation", lang)}
    area_lab = {"rural": t("area.rural", lang), "urban": t("area.urban", lang)}
    names = df["head_name"] if show_names else _per_unique(df["head_name"], mask_names)
    idn = df["id_number"] if show_names else mask_ids(df["id_number"])
    hid = df["household_id"].astype(str)
    # deprived indicators as a '; '-separated list: label each distinct combination once
    # (at most 2**len(ids) of them), then take per row
    if ids:
        bits = df[ids].to_numpy(dtype=np.int64) @ (1 << np.arange(len(ids), dtype=np.int64))
        combos, inv = np.unique(bits, return_inverse=True)
        labs = [std.indicator(i).label(lang) for i in ids]
        combo_text = np.array(["; ".join(lab for j, lab in enumerate(labs) if (c >> j) & 1) for c in combos],
                              dtype=object)
        dep = pd.Series(combo_text[inv.ravel()], index=df.index, dtype=object)
    else:
        dep = pd.Series("", index=df.index, dtype=object)
    year = df["year"].astype(int).astype(str)
    if "flow_label" in df.columns:
        codes = df["flow_label"].astype(str)
        lab_map = {c: t(f"flow.{c}", lang) for c in codes.unique() if c and c != "nan"}
        lab = codes.map(lab_map).astype(object)
        has = lab.notna().to_numpy()
        flow = pd.Series(np.where(has, lab.fillna("").astype(str) + " " + year, ""), index=df.index, dtype=object)
    else:
        flow = pd.Series("", index=df.index)
    out = pd.DataFrame({
        t("hh.col.household_id", lang): hid,
        t("hh.col.head_name", lang): names,
        t("hh.col.id_number", lang): idn,
        t("general.commune", lang): df["commune_name"].astype(str),
        t("general.village", lang): df["village"].astype(str),
        t("hh.col.area", lang): df["area"].astype(str).map(area_lab),
        t("hh.col.members", lang): df["members"].astype(int),
        t("hh.col.status", lang): df["status"].astype(str).map(st_lab),
        t("hh.col.via", lang): df["poor_via"].astype(object).map(via_lab).fillna(""),
        t("hh.col.deprivation_count", lang): (df[ids].to_numpy(dtype=np.int64).sum(axis=1) if ids
                                              else df["deprivation_count"].to_numpy(dtype=np.int64)),
        t("hh.col.deprivations", lang): dep,
        t("hh.col.flow", lang): flow,
        t("hh.col.ethnic_minority", lang): np.where(_truthy(df["ethnic_minority"]), t("hh.yes", lang), ""),
    })
    order = np.lexsort((hid.to_numpy(), df["village"].astype(str).to_numpy(),
                        df["commune_name"].astype(str).to_numpy(),
                        df["status"].astype(str).map({"poor": 0, "near_poor": 1, "non_poor": 2}).to_numpy()))
    return out.iloc[order].reset_index(drop=True)
