"""The official report tables of the yearly review, ready for Excel and CSV.

Four reports, each a pure function of a classified household panel:

* :func:`summary_table` – *biểu tổng hợp kết quả rà soát* for one status
  (poor or near-poor): per unit, urban units first, then rural, then the
  total; total households; households in the status at the start of the year
  (of which ethnic minority); escaped, re-entered, newly arising (number and
  %); households formed/moved in and moved out/dissolved; at the end of the
  year number, rate %, ethnic-minority number and rate %. Counts come from
  :func:`povlib.transitions.flow_table` and :func:`povlib.measures.rates` (the
  dashboard's functions), never recounted here, so the figures equal the
  dashboard's and ``end = start − escaped − to_poor + re_entered +
  newly_arising + joined − left`` holds on every row (``to_poor``: near-poor
  households that became poor, only in the near-poor table; *thoát cận
  nghèo* means rising above the near-poor line) (each row – unit, area, total – is
  computed at its own level: a household moving between two communes of the
  district left one and joined the other, but neither left nor joined the
  district).
* :func:`indicator_table` – poor (income-poor and deprivation-poor apart) and
  near-poor households deprived in each indicator of the year's standard.
* :func:`group_table` – poor and near-poor households per unit and policy
  group (ethnic minority, meritorious service, social protection, no labour
  capacity).
* :func:`posting_list` – the commune list of poor and near-poor households for
  public posting (village, head of household, status, poor through income or
  deprivation). Head names are masked unless ``show_names``.

:func:`build_report` turns them into a :class:`ReportBundle` of Vietnamese
(or English) tables with titles (report name, unit name, year, units) and
notes, which writes ``.xlsx`` (:func:`povlib.export.to_xlsx_bytes`) and CSV.

Percentages
-----------
Rates are fractions in the machine tables (``*_rate``, ``*_pct``) and
percentages (× 100, two decimals) in the display tables. Denominators, as in
the rules ("rates are households in the status ÷ all resident households of
the unit"):

* end-of-year rate: end ÷ total households of the unit in the report year
  (exactly :func:`povlib.measures.rates`' ``poor_rate`` / ``near_poor_rate``);
* escaped / re-entered / newly arising %: ÷ total households of the unit in
  the report year (``pct_base="households"``, default; then
  start% − escaped% (− to-poor%) + re-entered% + newly% + joined% − left% = end rate when
  the number of households is unchanged), or ÷ households in the status at
  the start of the year (``pct_base="start"``, "what share of last year's
  poor escaped"). The chosen base is written under every table;
* ethnic-minority rate %: ethnic-minority households in the status ÷ all
  ethnic-minority households of the unit.

Examples
--------
>>> import povlib
>>> from povlib.reports import summary_table
>>> panel = povlib.load_demo()
>>> t = summary_table(panel, 2019, status="poor")
>>> row = t[t["row_kind"] == "total"].iloc[0]
>>> int(row["end"]) == int(row["start"] - row["escaped"] - row["to_poor"] + row["re_entered"]
...                        + row["newly_arising"] + row["joined"] - row["left"])
True
>>> round(float(row["end_rate"]) * 100, 2)
15.86
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import standards as _standards
from .errors import PovlibInputError
from .export import to_csv_bytes, to_xlsx_bytes
from .i18n import fmt_int, t
from .measures import deprivation_shares, rates
from .transitions import flow_table, household_flows

__all__ = [
    "KINDS",
    "LEVELS",
    "GROUP_FLAGS",
    "ReportBundle",
    "build_report",
    "check_year",
    "summary_table",
    "summary_display",
    "indicator_table",
    "indicator_display",
    "group_table",
    "group_display",
    "posting_list",
    "posting_display",
    "missing_flags",
    "unit_label",
    "vi_sort_key",
]

#: report kinds of :func:`build_report` (``all`` = every sheet)
KINDS = ("summary", "indicators", "groups", "posting", "all")
#: unit levels: name -> (code column, name column)
LEVELS = {"commune": ("gso_code_2019", "commune_name"), "district": ("district_code", "district_name")}
#: policy groups of the group report: flag column -> i18n key
GROUP_FLAGS = {
    "ethnic_minority": "group.ethnic_minority",
    "meritorious": "group.meritorious",
    "social_protection": "group.social_protection",
    "no_labour_capacity": "group.no_labour",
}
_AREAS = ("urban", "rural")
_ROMAN = {"urban": "I", "rural": "II"}
_STATUS_KEYS = ("poor", "near_poor")


def _err(key: str, **kw) -> PovlibInputError:
    return PovlibInputError(t(key, "vi", **kw), t(key, "en", **kw))


# --- checks ---------------------------------------------------------------------------------------
def check_year(panel: pd.DataFrame, year: int) -> None:
    """Raise :class:`PovlibInputError` (Vietnamese message) unless ``year`` is in the panel."""
    for col in ("year", "status"):
        if col not in panel.columns:
            raise PovlibInputError(
                f"Bảng dữ liệu thiếu cột '{col}'", f"The table has no '{col}' column", column=col)
    years = sorted(int(y) for y in pd.unique(panel["year"]))
    try:
        ok = int(year) in years
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise _err("report.err.year", year=year, years=", ".join(map(str, years)) or "–")


def _check_status(status: str) -> None:
    if status not in _STATUS_KEYS:
        raise _err("report.err.status", status=status)


def _level_cols(level: str) -> tuple[str, str]:
    if level not in LEVELS:
        raise _err("report.err.level", level=level)
    return LEVELS[level]


def _need(df: pd.DataFrame, cols: Sequence[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise PovlibInputError(
            f"Bảng dữ liệu thiếu cột: {', '.join(missing)}",
            f"The table is missing columns: {', '.join(missing)}", column=missing[0])


def _year_standard(df_year: pd.DataFrame) -> str | None:
    if "standard" not in df_year.columns or df_year.empty:
        return None
    stds = sorted({str(s) for s in pd.unique(df_year["standard"]) if pd.notna(s)})
    if len(stds) > 1:
        raise _err("report.err.mixed_standards", standards=", ".join(stds))
    return stds[0] if stds else None


def _flag(s: pd.Series) -> np.ndarray:
    """A yes/no column as booleans; unknown (missing) counts as *not* in the group (see the report notes)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    return s.fillna(False).to_numpy(dtype=bool) if s.hasnans else s.to_numpy(dtype=bool)


def missing_flags(df: pd.DataFrame, flags: Sequence[str]) -> dict[str, int]:
    """How many rows have no value in each yes/no column of ``flags`` (present columns only)."""
    return {f: int(df[f].isna().sum()) for f in flags if f in df.columns and df[f].isna().any()}


# --- unit names -----------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    from .paths import DATA_DIR

    names: dict[str, str] = {}
    for p in sorted((DATA_DIR / "geo").glob("*_communes.csv")):
        try:
            u = pd.read_csv(p, dtype=str, usecols=["province_code", "province_name"], keep_default_na=False)
        except (ValueError, OSError):
            continue
        names.update(dict(zip(u["province_code"], u["province_name"])))
    return names


def unit_label(df: pd.DataFrame, lang: str = "vi") -> str:
    """The reporting unit of a table: ``'Huyện Chợ Đồn, Tỉnh Bắc Kạn'`` (one commune / district / province).

    >>> import pandas as pd
    >>> unit_label(pd.DataFrame({"province_code": ["06"], "district_name": ["Huyện Chợ Đồn"],
    ...                          "gso_code_2019": ["02035"], "commune_name": ["Xã Bản Thi"]}))
    'Xã Bản Thi, Huyện Chợ Đồn, Tỉnh Bắc Kạn'
    """
    parts: list[str] = []
    code_col = "gso_code_2019" if "gso_code_2019" in df.columns else "commune_name"
    if "commune_name" in df.columns and len(df) and df[code_col].nunique() == 1:
        parts.append(str(df["commune_name"].iloc[0]))
    if "district_name" in df.columns and len(df) and df["district_name"].nunique() == 1:
        parts.append(str(df["district_name"].iloc[0]))
    if "province_code" in df.columns and len(df) and df["province_code"].nunique() == 1:
        code = str(df["province_code"].iloc[0])
        parts.append(_province_names().get(code, f"{t('general.province', lang)} {code}"))
    return ", ".join(parts) if parts else t("report.unit_unknown", lang)


# --- row assembly: urban units, rural units, total -------------------------------------------------
def _assemble(unit_df: pd.DataFrame, area_df: pd.DataFrame, total: pd.Series, *, code_col: str,
              names: pd.Series, lang: str) -> pd.DataFrame:
    """Rows in form order: section I (urban subtotal), its units, section II (rural), its units, total."""
    value_cols = [c for c in total.index]
    rows = []
    for area in _AREAS:
        a = area_df[area_df["area"].astype(str) == area]
        sec = {"row_kind": "area", "tt": _ROMAN[area], "code": "", "area": area,
               "name": t(f"report.area.{area}", lang)}
        sec.update({c: (a[c].iloc[0] if len(a) else 0) for c in value_cols})
        rows.append(sec)
        u = unit_df[unit_df["area"].astype(str) == area].sort_values(code_col)
        block = pd.DataFrame({"row_kind": "unit", "code": u[code_col].astype(str).to_numpy(),
                              "area": area, "name": u[code_col].astype(str).map(names).to_numpy()})
        for c in value_cols:
            block[c] = u[c].to_numpy()
        rows.append(block)
    tot = {"row_kind": "total", "tt": "", "code": "", "area": "", "name": t("general.total", lang)}
    tot.update({c: total[c] for c in value_cols})
    rows.append(tot)
    frames = [pd.DataFrame([r]) if isinstance(r, dict) else r for r in rows]
    out = pd.concat([f for f in frames if len(f)], ignore_index=True)
    is_unit = out["row_kind"] == "unit"
    out.loc[is_unit, "tt"] = np.arange(1, int(is_unit.sum()) + 1).astype(str)
    out["tt"] = out["tt"].astype(str)
    return out[["row_kind", "tt", "code", "name", "area", *value_cols]]


def _unit_names(df: pd.DataFrame, code_col: str, name_col: str) -> pd.Series:
    if name_col not in df.columns:
        return pd.Series(dtype=object)
    g = df[[code_col, name_col]].drop_duplicates(code_col)
    return pd.Series(g[name_col].astype(str).to_numpy(), index=g[code_col].astype(str).to_numpy())


# --- 1. summary table --------------------------------------------------------------------------------
_SUMMARY_COUNTS = ("households", "start", "start_em", "escaped", "to_poor", "re_entered", "newly_arising",
                   "joined", "left", "end", "em_households", "end_em")


def summary_table(
    panel: pd.DataFrame,
    year: int,
    *,
    status: str = "poor",
    level: str = "commune",
    pct_base: str = "households",
    lang: str = "vi",
) -> pd.DataFrame:
    """The province summary table of one status for one review year (machine columns).

    Parameters
    ----------
    panel : DataFrame
        Classified panel (several years for the flows): ``household_id``,
        ``year``, ``status``, ``area``, ``ethnic_minority`` and the unit columns.
        Filter it to a district or a commune beforehand to report on that unit.
    year : int
        Review year; in the panel's first year start and flows are missing (NA).
    status : {'poor', 'near_poor'}
    level : {'commune', 'district'}
        Rows are communes (``gso_code_2019``) or districts (``district_code``;
        a district's urban and rural parts appear under sections I and II).
    pct_base : {'households', 'start'}
        Denominator of the escaped / re-entered / newly-arising percentages.
    lang : str
        Language of the section and total labels.

    Returns
    -------
    DataFrame
        ``row_kind`` ('area', 'unit', 'total'), ``tt`` (I, 1, 2, …, II, …),
        ``code``, ``name``, ``area`` and integer columns ``households``,
        ``start``, ``start_em``, ``escaped`` (poor: to near-poor or non-poor;
        near-poor: to non-poor), ``to_poor`` (near-poor that became poor; 0 in
        the poor table), ``re_entered``,
        ``newly_arising``, ``joined``, ``left``, ``end``, ``em_households``,
        ``end_em`` plus fractions ``escaped_pct``, ``re_entered_pct``,
        ``newly_arising_pct``, ``end_rate``, ``end_em_rate``.

    Examples
    --------
    >>> import povlib
    >>> t = summary_table(povlib.load_demo(), 2019, status="near_poor")
    >>> t["row_kind"].tolist()[:3], t["name"].iloc[1]
    (['area', 'unit', 'area'], 'Thị trấn Bằng Lũng')
    """
    _check_status(status)
    if pct_base not in ("households", "start"):
        raise _err("report.err.pct_base", value=pct_base)
    code_col, name_col = _level_cols(level)
    check_year(panel, year)
    _need(panel, ["household_id", "area", "ethnic_minority", code_col])
    year = int(year)
    cur = panel[panel["year"] == year]
    ykeys = [code_col, "area"]

    # end-of-year figures: the dashboard's rates
    def rate_frames(df: pd.DataFrame):
        by_unit = rates(df, ykeys)
        by_area = rates(df, "area")
        tot = rates(df)
        return by_unit, by_area, tot

    r_unit, r_area, r_tot = rate_frames(cur)
    em = cur[_flag(cur["ethnic_minority"])]
    e_unit, e_area, e_tot = rate_frames(em)
    rate_col = f"{status}_rate"

    def end_part(r: pd.DataFrame, e: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        base = r[keys + ["households", status, rate_col]].rename(columns={status: "end_rates", rate_col: "end_rate"})
        ee = e[keys + ["households", status, rate_col]].rename(
            columns={"households": "em_households", status: "end_em", rate_col: "end_em_rate"})
        if keys:
            for k in keys:
                base[k] = base[k].astype(str)
                ee[k] = ee[k].astype(str)
            out = base.merge(ee, on=keys, how="left")
        else:
            out = pd.concat([base.reset_index(drop=True), ee.reset_index(drop=True)], axis=1)
            if ee.empty:
                out[["em_households", "end_em", "end_em_rate"]] = [0, 0, 0.0]
        return out.fillna({"em_households": 0, "end_em": 0, "end_em_rate": 0.0})

    end_unit = end_part(r_unit, e_unit, ykeys)
    end_area = end_part(r_area, e_area, ["area"])
    end_tot = end_part(r_tot, e_tot, [])

    # start and flows: the dashboard's flow table, at each level
    years = sorted(int(y) for y in pd.unique(panel["year"]))
    first = year == years[0]
    # units and areas as integer codes for the flow table, mapped back to text after
    unit_codes, unit_uniques = pd.factorize(panel[code_col])
    area_codes, area_uniques = pd.factorize(panel["area"])
    back = {code_col: np.asarray(unit_uniques.astype(str)), "area": np.asarray(area_uniques.astype(str))}
    # a slim copy for the flow table: integer household ids (factorising text ids once, not per call)
    past = panel["year"].to_numpy() <= year
    hist = pd.DataFrame({
        "household_id": pd.factorize(panel["household_id"].to_numpy()[past])[0],
        "year": panel["year"].to_numpy()[past],
        "status": panel["status"][past].reset_index(drop=True),
        code_col: unit_codes[past],
        "area": area_codes[past],
        "ethnic_minority": _flag(panel["ethnic_minority"])[past],
    })

    def flows(keys: list[str]) -> pd.DataFrame:
        ft = flow_table(hist, by=keys, status=status, flags=("ethnic_minority",))
        ft = ft[ft["year"] == year].drop(columns="year")
        for k in keys:
            ft[k] = back[k][ft[k].to_numpy(dtype=np.int64)]
        ft = ft.rename(columns={"start_ethnic_minority": "start_em", "end_ethnic_minority": "end_em_flow"})
        if status == "near_poor":  # thoát cận nghèo = to non-poor; to poor is a fall, reported apart
            ft["escaped"] = ft["exit_to_non_poor"]
            ft["to_poor"] = ft["exit_to_poor"]
        else:
            ft["to_poor"] = 0
        return ft

    flow_cols = ["start", "start_em", "escaped", "to_poor", "re_entered", "newly_arising", "joined", "left"]

    def combine(end: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        out = end.copy()
        if first:
            for c in flow_cols:
                out[c] = pd.array([pd.NA] * len(out), dtype="Int64")
            out["end"] = out["end_rates"]
            return out
        ft = flows(keys)
        if keys:
            out = out.merge(ft, on=keys, how="left")
        else:
            out = pd.concat([out.reset_index(drop=True), ft.reset_index(drop=True)], axis=1)
        for c in flow_cols + ["end", "end_em_flow"]:
            out[c] = out[c].fillna(0).astype(np.int64)
        # the flow table and the rates count the same end-of-year households
        if not (out["end"].to_numpy() == out["end_rates"].to_numpy()).all() or \
                not (out["end_em_flow"].to_numpy() == out["end_em"].to_numpy()).all():
            raise _err("report.err.inconsistent")
        return out

    unit_t = combine(end_unit, ykeys)
    area_t = combine(end_area, ["area"])
    tot_t = combine(end_tot, []).iloc[0]

    value_cols = list(_SUMMARY_COUNTS) + ["end_rate", "end_em_rate"]
    names = _unit_names(cur, code_col, name_col)
    table = _assemble(unit_t[ykeys + value_cols], area_t[["area"] + value_cols], tot_t[value_cols],
                      code_col=code_col, names=names, lang=lang)
    for c in _SUMMARY_COUNTS:
        if first and c in flow_cols:
            table[c] = pd.array(table[c], dtype="Int64")
        else:
            table[c] = table[c].astype(np.int64)
    table["end_rate"] = table["end_rate"].astype(float)
    table["end_em_rate"] = table["end_em_rate"].astype(float)
    base = table["households"] if pct_base == "households" else table["start"]
    base_f = pd.to_numeric(base, errors="coerce").astype(float)
    base_f = base_f.where(base_f > 0)
    for c in ("escaped", "re_entered", "newly_arising"):
        table[f"{c}_pct"] = pd.to_numeric(table[c], errors="coerce").astype(float) / base_f
    order = ["row_kind", "tt", "code", "name", "area", "households", "start", "start_em",
             "escaped", "escaped_pct", "to_poor", "re_entered", "re_entered_pct", "newly_arising", "newly_arising_pct",
             "joined", "left", "end", "end_rate", "end_em", "em_households", "end_em_rate"]
    table.attrs.update({"status": status, "year": year, "level": level, "pct_base": pct_base,
                        "first_year": first})
    return table[order]


def _pct(x: pd.Series) -> pd.Series:
    """Fractions as percentage numbers (15.86) for display; NA stays NA."""
    return pd.to_numeric(x, errors="coerce").astype(float) * 100.0


def summary_display(table: pd.DataFrame, lang: str = "vi", *, compact: bool = False) -> pd.DataFrame:
    """Vietnamese (or English) two-level headers and percentages × 100 for :func:`summary_table`.

    ``compact`` uses short group labels ("Đầu năm", "Cuối năm", none over the
    changes) for screens, where the headers are flattened to one line.
    """
    status = table.attrs.get("status", "poor")
    level = table.attrs.get("level", "commune")
    s = t(f"report.word.{status}", lang)
    if compact:
        g_start, g_flow, g_end = t("flow.start", lang), "", t("flow.end", lang)
    else:
        g_start = t("report.sum.start", lang, s=s)
        g_flow = t("report.sum.flows", lang, s=s)
        g_end = t("report.sum.end", lang, s=s)
    esc = t(f"report.sum.escaped.{status}", lang)
    rei = t(f"report.sum.re_entered.{status}", lang)
    new = t(f"report.sum.newly.{status}", lang)
    n_ = t("report.col.number", lang)
    p_ = t("report.col.pct", lang)
    cols = [
        (t("report.col.tt", lang), ""),
        (t(f"report.col.unit.{level}", lang), ""),
        (t("report.col.households", lang), ""),
        (g_start, n_), (g_start, t("report.col.of_which_em", lang)),
        (g_flow, f"{esc} – {n_}"), (g_flow, f"{esc} – {p_}"),
        *([(g_flow, t("report.sum.to_poor", lang))] if status == "near_poor" else []),
        (g_flow, f"{rei} – {n_}"), (g_flow, f"{rei} – {p_}"),
        (g_flow, f"{new} – {n_}"), (g_flow, f"{new} – {p_}"),
        (g_flow, t("flow.joined", lang)), (g_flow, t("flow.left", lang)),
        (g_end, n_), (g_end, t("report.col.rate_of_households", lang)),
        (g_end, t("report.col.em_number", lang)), (g_end, t("report.col.rate_of_em", lang)),
    ]
    data = [
        table["tt"], table["name"], table["households"],
        table["start"], table["start_em"],
        table["escaped"], _pct(table["escaped_pct"]),
        *([table["to_poor"]] if status == "near_poor" else []),
        table["re_entered"], _pct(table["re_entered_pct"]),
        table["newly_arising"], _pct(table["newly_arising_pct"]),
        table["joined"], table["left"],
        table["end"], _pct(table["end_rate"]), table["end_em"], _pct(table["end_em_rate"]),
    ]
    out = pd.concat([d.reset_index(drop=True) for d in data], axis=1)
    out.columns = pd.MultiIndex.from_tuples(cols)
    return out


# --- 2. indicators ------------------------------------------------------------------------------------
def indicator_table(df_year: pd.DataFrame, standard: str | None = None) -> pd.DataFrame:
    """Poor (income-poor and deprivation-poor apart) and near-poor households deprived in each indicator.

    Parameters
    ----------
    df_year : DataFrame
        Classified households of one review year (filter to a unit first).
    standard : str, optional
        Standard whose indicators to use (default: the rows' own standard).

    Returns
    -------
    DataFrame
        One row per indicator (in the standard's order) with ``dimension``,
        ``indicator``, and for each group ``poor``, ``income_poor``,
        ``deprivation_poor``, ``near_poor``: ``<group>`` (deprived households)
        and ``<group>_share`` (÷ households of the group). ``attrs['households']``
        holds the group sizes (from :func:`povlib.measures.rates`).

    Examples
    --------
    >>> import povlib
    >>> d = povlib.load_demo(); d = d[d["year"] == 2019]
    >>> t = indicator_table(d)
    >>> len(t), t.attrs["households"]["poor"] == int(povlib.rates(d)["poor"].iloc[0])
    (10, True)
    """
    std = _standards.get(standard or _year_standard(df_year) or "QD59_2015")
    ids = std.indicator_ids
    _need(df_year, ["status", "poor_via"])
    missing = [c for c in ids if c not in df_year.columns]
    if missing:
        raise _err("report.err.no_indicators", columns=", ".join(missing))
    # households reviewed with the B2 score only have no per-indicator answers: left out, and counted
    known = df_year[ids].notna().all(axis=1).to_numpy()
    unknown = int((~known).sum())
    df_year = df_year[known] if unknown else df_year
    st = df_year["status"].astype(str)
    via = df_year["poor_via"].astype(str)
    groups = {
        "poor": st == "poor",
        "income_poor": (st == "poor") & (via == "income"),
        "deprivation_poor": (st == "poor") & (via == "deprivation"),
        "near_poor": st == "near_poor",
    }
    r = rates(df_year)
    sizes = {"poor": int(r["poor"].iloc[0]), "income_poor": int(r["income_poor"].iloc[0]),
             "deprivation_poor": int(r["deprivation_poor"].iloc[0]), "near_poor": int(r["near_poor"].iloc[0])}
    out = pd.DataFrame({"dimension": [std.dimension_of(i).id for i in ids], "indicator": ids})
    for g, mask in groups.items():
        sub = df_year[mask.to_numpy()]
        if len(sub):
            ds = deprivation_shares(sub, std).set_index("indicator")
            out[g] = ds.loc[ids, "deprived"].to_numpy().astype(np.int64)
            out[f"{g}_share"] = ds.loc[ids, "share"].to_numpy().astype(float)
        else:
            out[g] = np.zeros(len(ids), dtype=np.int64)
            out[f"{g}_share"] = np.full(len(ids), np.nan)
        if len(sub) != sizes[g]:
            raise _err("report.err.inconsistent")
    out.attrs.update({"households": sizes, "standard": std.id, "unknown": unknown})
    return out


def indicator_display(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Headers in ``lang``, a first row with the size of each group, shares × 100."""
    std = _standards.get(table.attrs.get("standard", "QD59_2015"))
    sizes = table.attrs.get("households", {})
    groups = [("poor", t("report.ind.poor_all", lang)), ("income_poor", t("via.income", lang)),
              ("deprivation_poor", t("via.deprivation", lang)), ("near_poor", t("status.near_poor", lang))]
    n_ = t("report.col.deprived_number", lang)
    p_ = t("report.col.deprived_pct", lang)
    cols = [(t("report.col.tt", lang), ""), (t("report.col.dimension", lang), ""),
            (t("report.col.indicator", lang), "")]
    for _, label in groups:
        cols += [(label, n_), (label, p_)]
    head = [["", "", t("report.ind.group_size", lang)]]
    for g, _ in groups:
        head[0] += [sizes.get(g, np.nan), np.nan]
    body = []
    for i, row in enumerate(table.itertuples(index=False), start=1):  # 10–12 indicators, not households
        line = [str(i), std.dimension_of(row.indicator).label(lang), std.indicator(row.indicator).label(lang)]
        for g, _ in groups:
            line += [getattr(row, g), getattr(row, f"{g}_share") * 100.0]
        body.append(line)
    out = pd.DataFrame(head + body)
    out.columns = pd.MultiIndex.from_tuples(cols)
    for j, (a, b) in enumerate(cols):
        if b == n_:
            out.isetitem(j, pd.array(out.iloc[:, j], dtype="Int64"))
        elif b == p_:
            out.isetitem(j, pd.to_numeric(out.iloc[:, j], errors="coerce").astype(float))
    return out


# --- 3. groups ----------------------------------------------------------------------------------------
def group_table(df_year: pd.DataFrame, *, level: str = "commune", lang: str = "vi") -> pd.DataFrame:
    """Poor and near-poor households per unit and policy group (urban units, rural units, total).

    Returns a machine table with the row columns of :func:`summary_table`
    (``row_kind``, ``tt``, ``code``, ``name``, ``area``), ``households``,
    ``poor``, ``income_poor``, ``deprivation_poor``, ``near_poor`` and for each
    flag of :data:`GROUP_FLAGS` ``<flag>_households``, ``<flag>_poor``,
    ``<flag>_near_poor`` – all from :func:`povlib.measures.rates`.

    Examples
    --------
    >>> import povlib
    >>> d = povlib.load_demo(); d = d[d["year"] == 2019]
    >>> g = group_table(d)
    >>> int(g.loc[g["row_kind"] == "total", "ethnic_minority_poor"].iloc[0]) == int(d.loc[d["ethnic_minority"], "status"].eq("poor").sum())
    True
    """
    code_col, name_col = _level_cols(level)
    flags = list(GROUP_FLAGS)
    _need(df_year, ["status", "area", code_col, *flags])
    keys = [code_col, "area"]
    base_cols = ["households", "poor", "income_poor", "deprivation_poor", "near_poor"]

    def level_frame(keys_: list[str]) -> pd.DataFrame:
        r = rates(df_year, keys_ or None)[keys_ + base_cols]
        for k in keys_:
            r[k] = r[k].astype(str)
        for f in flags:
            sub = df_year[_flag(df_year[f])]
            rf = rates(sub, keys_ or None)[keys_ + ["households", "poor", "near_poor"]] if len(sub) else \
                pd.DataFrame(columns=keys_ + ["households", "poor", "near_poor"])
            rf = rf.rename(columns={"households": f"{f}_households", "poor": f"{f}_poor",
                                    "near_poor": f"{f}_near_poor"})
            if keys_:
                for k in keys_:
                    rf[k] = rf[k].astype(str)
                r = r.merge(rf, on=keys_, how="left")
            else:
                for c in (f"{f}_households", f"{f}_poor", f"{f}_near_poor"):
                    r[c] = rf[c].iloc[0] if len(rf) else 0
        return r.fillna(0)

    unit = level_frame(keys)
    area = level_frame(["area"])
    tot = level_frame([]).iloc[0]
    value_cols = [c for c in tot.index]
    out = _assemble(unit[keys + value_cols], area[["area"] + value_cols], tot[value_cols],
                    code_col=code_col, names=_unit_names(df_year, code_col, name_col), lang=lang)
    for c in value_cols:
        out[c] = out[c].astype(np.int64)
    out.attrs.update({"level": level})
    return out


def group_display(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Headers in ``lang`` for :func:`group_table`."""
    level = table.attrs.get("level", "commune")
    cols = [(t("report.col.tt", lang), ""), (t(f"report.col.unit.{level}", lang), ""),
            (t("report.col.households", lang), "")]
    data = [table["tt"], table["name"], table["households"]]
    for status in _STATUS_KEYS:
        g = t(f"status.{status}", lang)
        cols.append((g, t("report.col.total", lang)))
        data.append(table[status])
        if status == "poor":
            cols += [(g, t("via.income", lang)), (g, t("via.deprivation", lang))]
            data += [table["income_poor"], table["deprivation_poor"]]
        for f, key in GROUP_FLAGS.items():
            cols.append((g, t(key, lang)))
            data.append(table[f"{f}_{status}"])
    out = pd.concat([d.reset_index(drop=True) for d in data], axis=1)
    out.columns = pd.MultiIndex.from_tuples(cols)
    return out


# --- 4. posting list -------------------------------------------------------------------------------
# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư …; tones break ties only.
_TONES = "[\u0300\u0301\u0303\u0309\u0323]"
_LETTER_ORDER = str.maketrans({"ă": "a{", "â": "a|", "đ": "d{", "ê": "e{", "ô": "o{", "ơ": "o|", "ư": "u{"})


def vi_sort_key(s: pd.Series) -> pd.Series:
    """A text key that sorts Vietnamese words in dictionary order (``Đ`` after ``D``, ``Ă`` after ``A``).

    >>> import pandas as pd
    >>> sorted(["Đinh", "Dương", "Ân", "An", "Bế", "Ăng"], key=lambda x: vi_sort_key(pd.Series([x])).iloc[0])
    ['An', 'Ăng', 'Ân', 'Bế', 'Dương', 'Đinh']
    """
    txt = s.astype("str").fillna("").str.lower().str.normalize("NFD").str.replace(_TONES, "", regex=True)
    return txt.str.normalize("NFC").str.translate(_LETTER_ORDER)


def _natural_key(s: pd.Series) -> pd.DataFrame:
    """Sort keys for village names: text part (Vietnamese order), then number ('Tổ 2' before 'Tổ 10')."""
    txt = s.astype(str)
    num = pd.to_numeric(txt.str.extract(r"(\d+)", expand=False), errors="coerce").fillna(-1)
    return pd.DataFrame({"_t": vi_sort_key(txt.str.replace(r"\d+", "", regex=True).str.strip()).to_numpy(),
                         "_n": num.to_numpy()}, index=s.index)


def posting_list(
    panel: pd.DataFrame,
    year: int,
    *,
    commune: str | None = None,
    show_names: bool = False,
    include_escaped: bool = False,
) -> pd.DataFrame:
    """The list of poor and near-poor households of a commune for public posting (machine columns).

    Parameters
    ----------
    panel : DataFrame
        Classified panel (earlier years are used for the "newly arising /
        re-entered / escaped" notes).
    year : int
    commune : str, optional
        GSO 2019 code; None lists every commune in the panel.
    show_names : bool
        Show household heads' names in full (officer role). Otherwise they are
        masked with :func:`povlib.privacy.mask_names`. ID numbers are never listed.
    include_escaped : bool
        Also list households that escaped poverty or near-poverty this year
        and are now non-poor (``escaped`` / ``escaped_near``); near-poor
        households that escaped poverty stay on the near-poor list with the
        note ``escaped_poverty``.

    Returns
    -------
    DataFrame
        ``gso_code_2019``, ``commune_name``, ``village``, ``head_name``,
        ``status`` (poor / near_poor / escaped / escaped_near), ``poor_via``,
        ``members``, ``ethnic_minority``, ``deprivation_count``, ``flow``
        (newly_poor, re_poor, newly_near_poor, re_near_poor, joined or empty),
        sorted by commune, village (natural order), status and name.

    Examples
    --------
    >>> import povlib
    >>> p = posting_list(povlib.load_demo(), 2019, commune="02035")
    >>> sorted(p["status"].unique()), bool(p["head_name"].str.contains(r"\\*\\*\\*").all())
    (['near_poor', 'poor'], True)
    """
    from .privacy import mask_names

    check_year(panel, year)
    _need(panel, ["household_id", "gso_code_2019", "village", "head_name", "status"])
    year = int(year)
    sel = panel["year"] == year
    if commune is not None:
        codes = panel["gso_code_2019"].astype(str)
        if not (codes[sel] == str(commune)).any():
            raise _err("report.err.commune", commune=commune, year=year)
        sel &= codes == str(commune)
    cur = panel[sel]
    ids = cur["household_id"]
    hist = panel[(panel["year"] <= year) & panel["household_id"].isin(ids)]
    fl = household_flows(hist, keys=("gso_code_2019",))
    fl = fl[hist["year"].to_numpy() == year].reindex(cur.index)
    st = cur["status"].astype(str)
    keep = st.isin(["poor", "near_poor"])
    status = st.copy()
    esc_any = fl["escaped_poverty"].to_numpy(dtype=bool)
    if include_escaped:
        # a household that escaped poverty into near-poverty stays on the near-poor list (noted
        # "thoát nghèo"); only those now non-poor are listed as escaped
        non_poor = (st == "non_poor").to_numpy()
        esc = esc_any & non_poor
        esc_near = fl["escaped_near_poverty"].to_numpy(dtype=bool) & non_poor
        status = status.mask(esc, "escaped").mask(esc_near, "escaped_near")
        keep = keep | esc | esc_near
    flow = pd.Series("", index=cur.index, dtype=object)
    names_ = ("joined", "newly_poor", "re_poor", "newly_near_poor", "re_near_poor")
    for name in names_:
        flow = flow.mask(fl[name].to_numpy(dtype=bool), name)
    if include_escaped:
        flow = flow.mask(esc_any & (st == "near_poor").to_numpy(), "escaped_poverty")
    raw_names = cur["head_name"].astype("str").fillna("")
    names = raw_names if show_names else mask_names(raw_names)
    out = pd.DataFrame({
        "gso_code_2019": cur["gso_code_2019"].astype(str),
        "commune_name": cur["commune_name"].astype(str) if "commune_name" in cur else cur["gso_code_2019"].astype(str),
        "village": cur["village"].astype(str),
        "head_name": names.fillna(""),
        "status": status,
        "poor_via": cur["poor_via"].astype(object).where(st == "poor", None) if "poor_via" in cur else None,
        "members": pd.array(cur["members"], dtype="Int64") if "members" in cur else pd.NA,
        "ethnic_minority": _flag(cur["ethnic_minority"]) if "ethnic_minority" in cur else False,
        "deprivation_count": pd.array(cur["deprivation_count"], dtype="Int64") if "deprivation_count" in cur else pd.NA,
        "flow": flow.where(~status.isin(["escaped", "escaped_near"]), ""),
    })[keep.to_numpy()]
    rank = out["status"].map({"poor": 0, "near_poor": 1, "escaped": 2, "escaped_near": 3})
    nk = _natural_key(out["village"])
    sort = pd.DataFrame({"c": out["gso_code_2019"], "t": nk["_t"].to_numpy(), "n": nk["_n"].to_numpy(),
                         "r": rank.to_numpy(), "h": vi_sort_key(raw_names).to_numpy()[keep.to_numpy()],
                         "h2": raw_names.to_numpy()[keep.to_numpy()]},
                        index=out.index)  # real names: the order does not depend on the role
    out = out.loc[sort.sort_values(["c", "t", "n", "r", "h", "h2"]).index].reset_index(drop=True)
    out.attrs.update({"year": year, "commune": commune, "masked": not show_names})
    return out


def posting_display(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Headers and values in ``lang`` for :func:`posting_list` (STT numbering per commune)."""
    status_lbl = {"poor": t("status.poor", lang), "near_poor": t("status.near_poor", lang),
                  "escaped": t("flow.escaped_poverty", lang), "escaped_near": t("flow.escaped_near_poverty", lang)}
    via_lbl = {"income": t("report.post.via_income", lang), "deprivation": t("report.post.via_deprivation", lang)}
    flow_lbl = {"": "", "joined": t("flow.joined", lang), "newly_poor": t("flow.newly_poor", lang),
                "re_poor": t("flow.re_poor", lang), "newly_near_poor": t("flow.newly_near_poor", lang),
                "re_near_poor": t("flow.re_near_poor", lang), "escaped_poverty": t("flow.escaped_poverty", lang)}
    stt = table.groupby("gso_code_2019", sort=False).cumcount() + 1
    cols = {
        t("report.col.stt", lang): stt.astype(np.int64),
        t("general.village", lang): table["village"],
        t("report.col.head_name", lang): table["head_name"],
        t("report.col.status", lang): table["status"].map(status_lbl),
        t("report.col.poor_via", lang): table["poor_via"].map(via_lbl).fillna(""),
        t("measure.people", lang): table["members"],
        t("report.col.em", lang): np.where(table["ethnic_minority"].to_numpy(dtype=bool), "x", ""),
        t("measure.deprivation_count", lang): table["deprivation_count"],
        t("report.col.note", lang): table["flow"].map(flow_lbl).fillna(""),
    }
    out = pd.DataFrame(cols)
    if table["gso_code_2019"].nunique() > 1:
        out.insert(1, t("general.commune", lang), table["commune_name"].to_numpy())
    return out


# --- bundles ------------------------------------------------------------------------------------------
@dataclass
class ReportBundle:
    """Display tables with their titles and notes; writes ``.xlsx`` and CSV.

    Attributes
    ----------
    sheets : dict
        Sheet name -> display table (Vietnamese headers, percentages × 100).
    tables : dict
        Sheet name -> the machine table behind it (for tests and the page).
    titles, notes : dict
        Sheet name -> lines above / below the table.
    total_rows : dict
        Sheet name -> row positions to show in bold (sections and totals).
    keys : dict
        Sheet name -> ASCII key (``summary_poor``, ``indicators``, …) for file names.
    warnings : list of str
        Reports of ``kind='all'`` left out, and why (e.g. no per-indicator data).
    """

    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    total_rows: dict[str, list[int]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    freeze_cols: int = 2

    def to_xlsx(self) -> bytes:
        """The workbook: one sheet per table, titles, frozen header, number formats."""
        return to_xlsx_bytes(self.sheets, self.titles, notes=self.notes, freeze_cols=self.freeze_cols,
                             total_rows=self.total_rows)

    def to_csv(self, sheet: str | None = None) -> bytes:
        """One table as CSV (UTF-8 with BOM); the first sheet by default."""
        name = sheet if sheet is not None else next(iter(self.sheets))
        return to_csv_bytes(self.sheets[name])

    def csv_files(self) -> dict[str, bytes]:
        """Every table as CSV, keyed by sheet name."""
        return {name: to_csv_bytes(df) for name, df in self.sheets.items()}


def _bold_rows(table: pd.DataFrame) -> list[int]:
    return [int(i) for i in np.flatnonzero(table["row_kind"].isin(["area", "total"]).to_numpy())]


def build_report(
    panel: pd.DataFrame,
    year: int,
    kind: str = "all",
    *,
    lang: str = "vi",
    level: str = "commune",
    commune: str | None = None,
    district: str | None = None,
    show_names: bool = False,
    unit_name: str | None = None,
    synthetic: bool = False,
    pct_base: str = "households",
    include_escaped: bool = False,
    applied_standard: str | None = None,
) -> ReportBundle:
    """Build the report tables of ``kind`` for ``year`` as a :class:`ReportBundle`.

    Parameters
    ----------
    panel : DataFrame
        Classified panel (all years: the flows need the previous ones).
    year : int
    kind : {'summary', 'indicators', 'groups', 'posting', 'all'}
        ``summary`` gives two sheets (poor, near-poor).
    lang : {'vi', 'en'}
    level : {'commune', 'district'}
        Rows of the summary and group tables.
    commune, district : str, optional
        Restrict to one commune (GSO 2019 code) or district (code).
        The posting list covers ``commune`` (or every commune in scope).
    show_names : bool
        Head-of-household names in full in the posting list (officer role).
    unit_name : str, optional
        Name of the reporting unit in the titles (default: from the data).
    synthetic : bool
        Add the synthetic-data note under every table.
    pct_base : {'households', 'start'}
        See :func:`summary_table`.
    include_escaped : bool
        Also list escaped households in the posting list.
    applied_standard : str, optional
        The standard the panel was reclassified under for a what-if view
        (``classify_households(panel, standard=...)`` keeps the ``standard``
        column of the review). When it differs from the review's standard the
        titles and notes say so: such tables are not the official figures.

    Examples
    --------
    >>> import povlib
    >>> b = build_report(povlib.load_demo(), 2019, "summary")
    >>> list(b.sheets), b.titles[next(iter(b.sheets))][0]
    (['Hộ nghèo', 'Hộ cận nghèo'], 'BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO NĂM 2019')
    """
    if kind not in KINDS:
        raise _err("report.err.kind", kind=kind, kinds=", ".join(KINDS))
    _level_cols(level)
    check_year(panel, year)
    year = int(year)
    scope = panel
    if district is not None:
        _need(panel, ["district_code"])
        scope = scope[scope["district_code"].astype(str) == str(district)]
        if scope.empty:
            raise _err("report.err.district", district=district)
    if commune is not None:
        _need(panel, ["gso_code_2019"])
        in_c = scope["gso_code_2019"].astype(str) == str(commune)
        if not (in_c & (scope["year"] == year)).any():
            raise _err("report.err.commune", commune=commune, year=year)
        scope = scope[in_c]
    cur = scope[scope["year"] == year]
    unit = unit_name or unit_label(cur, lang)
    std_id = _year_standard(cur)
    std_line = []
    if std_id:
        std = _standards.get(std_id)
        std_line = [t("report.title.standard", lang, name=std.name(lang), source=std.legal_source)]
    common_notes = [t("general.synthetic_note", lang)] if synthetic else []
    if applied_standard is not None and applied_standard != std_id:
        applied = _standards.get(applied_standard)
        own = _standards.get(std_id).name(lang) if std_id else "–"
        std_line = [t("report.title.standard_whatif", lang, name=applied.name(lang), own=own)]
        common_notes = [t("report.note.whatif", lang, name=applied.name(lang), own=own)] + common_notes
    years = sorted(int(y) for y in pd.unique(panel["year"]))
    prev = max([y for y in years if y < year], default=None)
    std_changed = False
    if prev is not None and std_id and "standard" in scope.columns:
        prev_std = _year_standard(scope[scope["year"] == prev])
        std_changed = prev_std is not None and prev_std != std_id
    b = ReportBundle()

    def flag_notes(flags: list[str]) -> list[str]:
        return [t("report.note.flag_missing", lang, n=n, flag=t(GROUP_FLAGS[f], lang))
                for f, n in missing_flags(cur, flags).items()]

    def header(title_key: str, *, unit_key: str = "report.title.unit_hh", **kw) -> list[str]:
        return [t(title_key, lang, year=year, **kw).upper() if lang == "vi" else t(title_key, lang, year=year, **kw),
                t("report.title.unit", lang, unit=unit), t("report.title.year", lang, year=year), *std_line,
                t(unit_key, lang)]

    if kind in ("summary", "all"):
        for status in _STATUS_KEYS:
            tab = summary_table(scope, year, status=status, level=level, pct_base=pct_base, lang=lang)
            name = t(f"report.sheet.summary.{status}", lang)
            b.keys[name] = f"summary_{status}"
            b.tables[name] = tab
            b.sheets[name] = summary_display(tab, lang)
            b.titles[name] = header(f"report.title.summary.{status}", unit_key="report.title.unit_hh_pct")
            notes = [t(f"report.note.pct_base.{pct_base}", lang), t("report.note.em_rate", lang),
                     t("report.note.identity", lang)]
            if tab.attrs.get("first_year"):
                notes.insert(0, t("report.note.first_year", lang, year=year))
            if std_changed:
                notes.insert(0, t("report.note.std_changed", lang, prev=prev))
            b.notes[name] = notes + flag_notes(["ethnic_minority"]) + common_notes
            b.total_rows[name] = _bold_rows(tab)
    run_ind = kind == "indicators"
    if kind == "all":
        ids = _standards.get(std_id or "QD59_2015").indicator_ids
        lacking = [c for c in ids if c not in cur.columns]
        run_ind = not lacking
        if lacking:
            b.warnings.append(t("report.err.no_indicators", lang, columns=", ".join(lacking)))
    if run_ind:
        tab = indicator_table(cur, std_id)
        name = t("report.sheet.indicators", lang)
        b.keys[name] = "indicators"
        b.tables[name] = tab
        b.sheets[name] = indicator_display(tab, lang)
        b.titles[name] = header("report.title.indicators", unit_key="report.title.unit_hh_pct")
        unknown_note = ([t("report.note.indicators_unknown", lang, n=fmt_int(tab.attrs["unknown"], lang))]
                        if tab.attrs.get("unknown") else [])
        b.notes[name] = [t("report.note.indicators", lang)] + unknown_note + common_notes
        b.total_rows[name] = [0]
    if kind in ("groups", "all"):
        tab = group_table(cur, level=level, lang=lang)
        name = t("report.sheet.groups", lang)
        b.keys[name] = "groups"
        b.tables[name] = tab
        b.sheets[name] = group_display(tab, lang)
        b.titles[name] = header("report.title.groups")
        b.notes[name] = [t("report.note.groups", lang)] + flag_notes(list(GROUP_FLAGS)) + common_notes
        b.total_rows[name] = _bold_rows(tab)
    if kind in ("posting", "all"):
        tab = posting_list(scope, year, commune=commune, show_names=show_names, include_escaped=include_escaped)
        name = t("report.sheet.posting", lang)
        b.keys[name] = "posting"
        b.tables[name] = tab
        b.sheets[name] = posting_display(tab, lang)
        b.titles[name] = header("report.title.posting")
        notes = [t("report.note.posting", lang)]
        if not show_names:
            notes.append(t("report.note.masked", lang))
        b.notes[name] = notes + common_notes
        b.total_rows[name] = []
    return b
