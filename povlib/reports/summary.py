"""The summary table of the review (*biểu tổng hợp kết quả rà soát*, Circular 17/2016/TT-BLĐTBXH) and its display.

:func:`summary_table` gives, for one status (poor or near-poor), per unit –
urban units first, then rural, then the total – total households; households
in the status at the start of the year (of which ethnic minority); escaped,
re-entered, newly arising (number and %); households formed/moved in and
moved out/dissolved; at the end of the year number, rate %, ethnic-minority
number and rate %. Counts come from :func:`povlib.transitions.flow_table` and
:func:`povlib.measures.rates` (the dashboard's functions), never recounted
here, so the figures equal the dashboard's and ``end = start − escaped −
to_poor + re_entered + newly_arising + joined − left`` holds on every row
(:func:`unbalanced_rows` checks it). :func:`summary_display` gives the form's
two-level headers in Vietnamese or English, percentages × 100.

Each row – unit, area, total – is computed at its own level: a household
moving between two communes of the district left one and joined the other,
but neither left nor joined the district. ``to_poor`` counts near-poor
households that became poor (only in the near-poor table; *thoát cận nghèo*
means rising above the near-poor line).

Percentages
-----------
Rates are fractions in the machine table (``*_rate``, ``*_pct``) and
percentages (× 100, rounded half up to two decimals from the counts, as
official tables round) in the display table. Denominators, as in
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
>>> from povlib.reports.summary import summary_table, unbalanced_rows
>>> t = summary_table(povlib.load_demo(), 2019, status="poor")
>>> t["row_kind"].iloc[-1], unbalanced_rows(t)
('total', [])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PovlibInputError
from ..i18n import percent, t
from ..measures import rates
from ..transitions import flow_table
from .common import (
    assemble_rows,
    check_status,
    check_year,
    flag_values,
    level_columns,
    need_columns,
    unit_names,
)

__all__ = ["summary_table", "summary_display", "unbalanced_rows", "IDENTITY_COLUMNS"]

_SUMMARY_COUNTS = ("households", "start", "start_em", "escaped", "to_poor", "re_entered", "newly_arising",
                   "joined", "left", "end", "em_households", "end_em")
#: the columns of the identity end = start − escaped − to_poor + re_entered + newly_arising + joined − left
IDENTITY_COLUMNS = ("start", "escaped", "to_poor", "re_entered", "newly_arising", "joined", "left", "end")


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
    check_status(status)
    if pct_base not in ("households", "start"):
        raise PovlibInputError.from_key("report.err.pct_base", value=pct_base)
    code_col, name_col = level_columns(level)
    check_year(panel, year)
    need_columns(panel, ["household_id", "area", "ethnic_minority", code_col])
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
    em = cur[flag_values(cur["ethnic_minority"])]
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
        "ethnic_minority": flag_values(panel["ethnic_minority"])[past],
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
            raise PovlibInputError.from_key("report.err.inconsistent")
        return out

    unit_t = combine(end_unit, ykeys)
    area_t = combine(end_area, ["area"])
    tot_t = combine(end_tot, []).iloc[0]

    value_cols = list(_SUMMARY_COUNTS) + ["end_rate", "end_em_rate"]
    names = unit_names(cur, code_col, name_col)
    table = assemble_rows(unit_t[ykeys + value_cols], area_t[["area"] + value_cols], tot_t[value_cols],
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


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    """``num / den`` as percentage numbers (15.86) for display, from the exact ratio of the counts, rounded
    half up to two decimals as official tables are; NA (no start, no base) stays NA."""
    return pd.Series([percent(n, d) for n, d in zip(num, den)], dtype=float)


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
    base = table["households"] if table.attrs.get("pct_base", "households") == "households" else table["start"]
    data = [
        table["tt"], table["name"], table["households"],
        table["start"], table["start_em"],
        table["escaped"], _pct(table["escaped"], base),
        *([table["to_poor"]] if status == "near_poor" else []),
        table["re_entered"], _pct(table["re_entered"], base),
        table["newly_arising"], _pct(table["newly_arising"], base),
        table["joined"], table["left"],
        table["end"], _pct(table["end"], table["households"]), table["end_em"],
        _pct(table["end_em"], table["em_households"]),
    ]
    out = pd.concat([d.reset_index(drop=True) for d in data], axis=1)
    out.columns = pd.MultiIndex.from_tuples(cols)
    return out


def unbalanced_rows(table: pd.DataFrame) -> list[int] | None:
    """Row positions of a summary table where start − escaped − to_poor + re-entered + newly + joined − left ≠ end.

    Parameters
    ----------
    table : DataFrame
        A machine table of :func:`summary_table` (or any other table).

    Returns
    -------
    list of int or None
        The positions (0-based) of the rows that do not balance – empty when
        every row does – or None when the check does not apply: the table has
        no flow columns (not a summary table) or no start-of-year figures (the
        panel's first year).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"start": [10, 10], "escaped": [2, 2], "to_poor": [0, 0], "re_entered": [1, 1],
    ...                   "newly_arising": [3, 3], "joined": [0, 0], "left": [1, 1], "end": [11, 12]})
    >>> unbalanced_rows(t), unbalanced_rows(t.drop(columns="start"))
    ([1], None)
    """
    if not set(IDENTITY_COLUMNS) <= set(table.columns) or table["start"].isna().all():
        return None
    lhs = (table["start"] - table["escaped"] - table["to_poor"] + table["re_entered"] + table["newly_arising"]
           + table["joined"] - table["left"])
    bad = (lhs != table["end"]).to_numpy(dtype=bool, na_value=False)
    return [int(i) for i in np.flatnonzero(bad)]
