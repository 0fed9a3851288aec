"""The summary table of the review (*biểu tổng hợp kết quả rà soát*, Circular 17/2016/TT-BLĐTBXH) and its display.

:func:`summary_table` gives, for one status (poor or near-poor), per unit –
urban units first, then rural, then the total – total households; households
in the status at the start of the year (of which ethnic minority); escaped,
re-entered, newly arising (number and %); at the end of the year number,
rate %, ethnic-minority number and rate %: the columns of the form. Counts
come from :func:`povlib.transitions.flow_table` and
:func:`povlib.measures.rates` (the dashboard's functions), never recounted
here. :func:`summary_display` gives the form's two-level headers in
Vietnamese or English, percentages × 100.

The form's own balance
----------------------
The form prints ``start − escaped + re-entered + newly arising = end`` and
has no column for households formed, split off, moved in, moved out or
dissolved. How they are written is data, :data:`FORM_RULES_FILE`
(``povlib/rules/reports/summary_form.toml``, each rule with its source and whether it
is confirmed; the report notes name the unconfirmed ones):

* a household formed, split off or moved into the unit that is in the status
  at the end of the year is *newly arising* there (``joined``, printed again
  in an "of which" column; rule ``joined_in_newly_arising``);
* a household in the status at the start of the year that moved out, merged
  or no longer exists leaves through the extra column ``left`` (households
  moved out / no longer existing), never through "escaped";
* near-poor table: a near-poor household that became poor leaves through the
  extra column ``to_poor`` (*thoát cận nghèo* means rising above the
  near-poor line); 0 in the poor table.

So ``end = start − escaped − to_poor + re_entered + newly_arising − left``
holds on every printed row (:func:`unbalanced_rows` checks it;
:data:`IDENTITY_COLUMNS`). Each row – unit, area, total – is computed at its
own level: a household moving between two communes of the district left one
and is newly arising in the other, but neither left nor joined the district.

Re-entered before the panel has history
---------------------------------------
*Tái nghèo* needs an escape in an earlier review. In the review after the
panel's first one (:func:`povlib.transitions.reentry_history`) re-entered is
not known unless the panel carries the history: it is NA on every row, every
entry is counted under newly arising, and ``attrs['reentry']`` is
``'unknown'`` (``'partial'`` in later years: history from the first review
only; ``'known'`` with the history columns) for the notes.

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
  the report year (``pct_base="households"``, default), or ÷ households in
  the status at the start of the year (``pct_base="start"``, "what share of
  last year's poor escaped"). The column headers say which;
* ethnic-minority rate %: ethnic-minority households in the status ÷ all
  ethnic-minority households of the unit.

Examples
--------
>>> import povlib
>>> from povlib.reports.summary import summary_table, unbalanced_rows
>>> t = summary_table(povlib.load_demo(), 2019, status="poor")
>>> t["row_kind"].iloc[-1], unbalanced_rows(t)
('total', [])
>>> IDENTITY_COLUMNS
('start', 'escaped', 'to_poor', 're_entered', 'newly_arising', 'left', 'end')
"""
from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..columns import as_text
from ..errors import PovlibInputError
from ..household_links import UNIT_COLUMN
from ..i18n import percent, t
from ..measures import rates
from ..paths import RULES_DIR
from ..transitions import HISTORY_COLUMNS, flow_table_of_year, reentry_history
from .common import (
    assemble_rows,
    check_status,
    check_year,
    flag_values,
    level_columns,
    need_columns,
    unit_names,
    year_standard,
)
from .reform import not_reviewed_rows, not_reviewed_table, previous_areas, previous_on_units, start_on_units

__all__ = ["summary_table", "summary_from_counts", "summary_display", "unbalanced_rows", "form_rules", "unconfirmed_rules",
           "IDENTITY_COLUMNS", "FORM_RULES_FILE"]

#: how the summary form writes the households it has no column for (rules as data)
FORM_RULES_FILE = RULES_DIR / "reports" / "summary_form.toml"

_SUMMARY_COUNTS = ("households", "start", "start_em", "escaped", "to_poor", "re_entered", "newly_arising",
                   "joined", "left", "end", "em_households", "end_em")


@functools.lru_cache(maxsize=1)
def form_rules() -> dict[str, dict]:
    """The rules of :data:`FORM_RULES_FILE`: rule id -> its table (``confirmed``, ``source`` and,
    where the code reads one, ``value``; the wording is the catalog's ``report.form_rule.<id>``).

    >>> form_rules()["joined_in_newly_arising"]["value"], form_rules()["left_own_column"]["confirmed"]
    (True, False)
    """
    with FORM_RULES_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return {r["id"]: r for r in data["summary_form"]["rules"]}


def unconfirmed_rules(lang: str = "vi") -> list[str]:
    """Labels of the form's rules not yet checked against the official text (for the report notes)."""
    return [t(f"report.form_rule.{rid}", lang) for rid, r in form_rules().items() if not r["confirmed"]]


def _joined_in_newly() -> bool:
    return bool(form_rules()["joined_in_newly_arising"]["value"])


def _identity_signs() -> dict[str, int]:
    """The printed identity: column -> +1 / −1 (``end`` is the result)."""
    signs = {"start": 1, "escaped": -1, "to_poor": -1, "re_entered": 1, "newly_arising": 1}
    if not _joined_in_newly():
        signs["joined"] = 1
    signs["left"] = -1
    return signs


#: the columns of the printed identity end = start − escaped − to_poor + re_entered + newly_arising − left
#: (``joined`` is part of newly arising under rule ``joined_in_newly_arising``; otherwise a term of its own)
IDENTITY_COLUMNS = (*_identity_signs(), "end")


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
        Review year; in the panel's first year start and flows are missing (NA);
        in the next one re-entered is NA unless the panel carries the history
        (see the module description).
    status : {'poor', 'near_poor'}
    level : {'commune', 'district'}
        Rows are communes (``commune_code``) or districts (``district_code``;
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
        the poor table), ``re_entered``, ``newly_arising`` (including
        ``joined``: formed, split off or moved in), ``joined``, ``left``
        (moved out, merged, dissolved), ``end``, ``em_households``,
        ``end_em`` plus fractions ``escaped_pct``, ``re_entered_pct``,
        ``newly_arising_pct``, ``end_rate``, ``end_em_rate``. ``attrs``:
        ``status``, ``year``, ``level``, ``pct_base``, ``first_year``,
        ``standard``, ``reentry`` ('unknown', 'partial', 'known'),
        ``history_from`` (:func:`povlib.transitions.reentry_history`),
        ``prev_year``, ``units_merged`` (communes of the previous review
        re-expressed on the year's: merged or split) and ``start_unplaced``
        (code -> households at the start of the year of a split commune that
        fit no commune row of the year: in the area and total rows only).

    Raises
    ------
    PovlibInputError
        Unknown year, status, level or percentage base; missing columns; rows
        of the year reviewed under more than one standard (one form cannot
        add them up).

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
    std_id = year_standard(cur)  # one standard per form: several raise
    em = cur[flag_values(cur["ethnic_minority"])]

    def rates_of(ethnic_minority: bool, keys: list[str]) -> pd.DataFrame:
        return rates(em if ethnic_minority else cur, keys or None)

    years = sorted(int(y) for y in pd.unique(panel["year"]))
    history_from = reentry_history(panel, status)
    hist_col = HISTORY_COLUMNS[status]
    # areas as integer codes for the flow table, mapped back to text after; the units keep their codes: a
    # household whose commune a reform merged is followed into the successor by the dated crosswalk, which
    # reads the codes (as integers every such household was counted as moved in)
    area_codes, area_uniques = pd.factorize(panel["area"])
    back = {"area": np.asarray(area_uniques.astype(str))}
    # a slim copy for the flow table: integer household ids (factorising text ids once, not per call)
    past = panel["year"].to_numpy() <= year
    # (the text column factorised as it is stored, then the past rows' integers: the same numbers, in the
    # order of first appearance, without turning every id into a Python string)
    hh = pd.factorize(pd.factorize(panel["household_id"])[0][past])[0]
    yr = panel["year"].to_numpy()[past]
    codes = as_text(panel[code_col])[past]
    areas = area_codes[past]
    merged: list[str] = []
    prev_year = max((y for y in years if y < year), default=None)
    if code_col == UNIT_COLUMN and prev_year is not None:
        # the previous review on the year's communes and their areas: a household of a merged (or split)
        # commune, or of a town merged into a rural commune, stays linked; the start of the year is in its rows
        codes, merged = previous_on_units(codes, hh, yr, prev_year, year)
        areas = previous_areas(codes, areas, yr, prev_year, year)
    # communes of the previous review with no row yet this year (their files not imported): their households
    # are left out of the start of the year, not counted as moved out (reform.units_not_reviewed)
    keep = np.ones(len(hh), dtype=bool)
    missing: list[str] = []
    if prev_year is not None and (code_col == UNIT_COLUMN or "commune_code" in panel.columns):
        communes = codes if code_col == UNIT_COLUMN else previous_on_units(
            np.asarray(as_text(panel["commune_code"]), dtype=object)[past], hh, yr, prev_year, year)[0]
        gone = not_reviewed_rows(np.asarray(communes, dtype=object), yr, prev_year, year)
        if gone.any():
            keep = ~gone
            names = panel["commune_name"].astype(str).to_numpy(dtype=object)[past] if "commune_name" in panel else communes
            missing = not_reviewed_table(np.asarray(communes, dtype=object)[gone], names[gone], prev_year)["name"].tolist()
    # the units as integers too (sorted: the same order as their text), mapped back like the areas
    unit_ints, back[code_col] = pd.factorize(np.asarray(codes, dtype=object)[keep], sort=True, use_na_sentinel=False)
    hist = pd.DataFrame({
        "household_id": hh[keep],
        "year": yr[keep],
        "status": panel["status"][past][keep].reset_index(drop=True),
        code_col: unit_ints,
        "area": areas[keep],
        "ethnic_minority": flag_values(panel["ethnic_minority"])[past][keep],
    })
    if hist_col in panel.columns:  # in the status before the panel: re-entry, not newly arising
        hist[hist_col] = panel[hist_col].to_numpy()[past][keep]

    def flows_of(keys: list[str]) -> pd.DataFrame:
        # the year's flows from two reviews, the earlier ones folded into the history (same table, less work)
        ft = flow_table_of_year(hist, year, keys, status=status, flags=("ethnic_minority",)).drop(columns="year")
        for k in keys:
            if k in back:
                ft[k] = back[k][ft[k].to_numpy(dtype=np.int64)]
        return ft

    table = summary_from_counts(year, status=status, level=level, pct_base=pct_base, lang=lang, code_col=code_col,
                                rates_of=rates_of, flows_of=flows_of, years=years, history_from=history_from,
                                std_id=std_id, names=unit_names(cur, code_col, name_col))
    if merged:
        table.attrs["units_merged"] = sorted(set(table.attrs["units_merged"]) | set(merged))
    table.attrs["not_reviewed"] = missing
    return table


def summary_from_counts(year: int, *, status: str, level: str, pct_base: str, lang: str, code_col: str,
                        rates_of: Callable[[bool, list[str]], pd.DataFrame],
                        flows_of: Callable[[list[str]], pd.DataFrame], years: Sequence[int],
                        history_from: int | None, std_id: str | None, names: pd.Series) -> pd.DataFrame:
    """:func:`summary_table` from its counts, wherever they are computed (pandas, or the SQL engine of
    :mod:`povlib.reports.national`).

    ``rates_of(ethnic_minority, keys)`` gives :func:`povlib.measures.rates` of the year's households (or
    of its ethnic-minority households) by ``keys`` (``[]``: one row, the whole scope);
    ``flows_of(keys)`` :func:`povlib.transitions.flow_table` of the status for ``year`` (no ``year``
    column, keys as text, flag ``ethnic_minority``); ``years`` the review years of the scope,
    ``history_from`` :func:`povlib.transitions.reentry_history`, ``std_id`` the year's one standard and
    ``names`` unit code -> name. The form's rules (who is newly arising, escaped, …) are applied here,
    once for both.
    """
    ykeys = [code_col, "area"]
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

    end_unit = end_part(rates_of(False, ykeys), rates_of(True, ykeys), ykeys)
    end_area = end_part(rates_of(False, ["area"]), rates_of(True, ["area"]), ["area"])
    end_tot = end_part(rates_of(False, []), rates_of(True, []), [])

    # start and flows: the dashboard's flow table, at each level
    years = sorted(int(y) for y in years)
    first = year == years[0]
    prev_year = max((y for y in years if y < year), default=None)
    if history_from is None:
        reentry = "known"
    elif prev_year is not None and prev_year <= history_from:
        reentry = "unknown"  # the year after the first review: no earlier spell can be seen
    else:
        reentry = "partial"

    def flows(keys: list[str]) -> pd.DataFrame:
        ft = flows_of(keys)
        ft = ft.rename(columns={"start_ethnic_minority": "start_em", "end_ethnic_minority": "end_em_flow"})
        if status == "near_poor":  # thoát cận nghèo = to non-poor; to poor is a fall, reported apart
            ft["escaped"] = ft["exit_to_non_poor"]
            ft["to_poor"] = ft["exit_to_poor"]
        else:
            ft["to_poor"] = 0
        if reentry == "unknown":  # every entry is newly arising; re-entered is not known (NA below)
            ft["newly_arising"] = ft["newly_arising"] + ft["re_entered"]
            ft["re_entered"] = 0
        if _joined_in_newly():  # formed, split off or moved in: newly arising in the unit (rule of the form)
            ft["newly_arising"] = ft["newly_arising"] + ft["joined"]
        return ft

    flow_cols = ["start", "start_em", "escaped", "to_poor", "re_entered", "newly_arising", "joined", "left"]

    placed: dict = {"merged": [], "unplaced": {}}

    def unit_flows() -> pd.DataFrame:
        # the previous review's counts of a commune that no longer exists go to its one successor (the SQL
        # engine's flows; the pandas ones are re-expressed already); what stays has no row: the totals only
        ft = flows(ykeys)
        if code_col == UNIT_COLUMN and prev_year is not None:
            counts = end_unit.groupby(code_col, sort=False)["area"].agg(["first", "nunique"])
            area_of = counts.loc[counts["nunique"] == 1, "first"]
            ft, moved = start_on_units(ft, code_col, prev_year, year, set(counts.index), area_of)
            have = pd.MultiIndex.from_frame(end_unit[ykeys].astype(str))
            unplaced = ft[~pd.MultiIndex.from_frame(ft[ykeys].astype(str)).isin(have) & (ft["start"] > 0)]
            placed.update(merged=sorted(moved),
                          unplaced=unplaced.groupby(code_col)["start"].sum().astype(int).to_dict())
        return ft

    def combine(end: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        out = end.copy()
        if first:
            for c in flow_cols:
                out[c] = pd.array([pd.NA] * len(out), dtype="Int64")
            out["end"] = out["end_rates"]
            return out
        ft = unit_flows() if keys == ykeys else flows(keys)
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
    table = assemble_rows(unit_t[ykeys + value_cols], area_t[["area"] + value_cols], tot_t[value_cols],
                           code_col=code_col, names=names, lang=lang)
    for c in _SUMMARY_COUNTS:
        if first and c in flow_cols:
            table[c] = pd.array(table[c], dtype="Int64")
        else:
            table[c] = table[c].astype(np.int64)
    if reentry == "unknown":
        table["re_entered"] = pd.array([pd.NA] * len(table), dtype="Int64")
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
                        "first_year": first, "standard": std_id, "reentry": None if first else reentry,
                        "history_from": history_from, "prev_year": prev_year,
                        # the previous review's units merged into a unit of the year (their start of year is
                        # counted in it), and those split among several (code -> start: in the totals only)
                        "units_merged": placed["merged"], "start_unplaced": placed["unplaced"],
                        # communes of the previous review with no row in the year (set by summary_table)
                        "not_reviewed": []})
    return table[order]


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    """``num / den`` as percentage numbers (15.86) for display, from the exact ratio of the counts, rounded
    half up to two decimals as official tables are; NA (no start, no base) stays NA."""
    return pd.Series([percent(n, d) for n, d in zip(num, den)], dtype=float)


def summary_display(table: pd.DataFrame, lang: str = "vi", *, compact: bool = False) -> pd.DataFrame:
    """Vietnamese (or English) two-level headers and percentages × 100 for :func:`summary_table`.

    The percentage headers name their base (all households of the unit, or
    households in the status at the start of the year: ``attrs['pct_base']``).
    The change columns are the form's (escaped, re-entered, newly arising),
    then "of which: formed or moved in" (inside newly arising) and the extra
    column of households moved out or no longer existing; the near-poor form
    also has "became poor" after escaped. ``compact`` uses short group labels
    ("Đầu năm", "Cuối năm", none over the changes) for screens, where the
    headers are flattened to one line.

    Examples
    --------
    >>> import povlib
    >>> d = summary_display(summary_table(povlib.load_demo(), 2019, pct_base="start"), "en")
    >>> [b for a, b in d.columns][5:7]
    ['Escaped poverty – Households', 'Escaped poverty – % (of poor households at the start of the year)']
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
    p_ = t(f"report.col.pct_of.{table.attrs.get('pct_base', 'households')}", lang, s=s)
    to_poor = status == "near_poor"
    joined_label = (t("report.sum.of_which", lang, what=t("report.sum.joined", lang)) if _joined_in_newly()
                    else t("flow.joined", lang))
    cols = [
        (t("report.col.tt", lang), ""),
        (t(f"report.col.unit.{level}", lang), ""),
        (t("report.col.households", lang), ""),
        (g_start, n_), (g_start, t("report.col.of_which_em", lang)),
        (g_flow, f"{esc} – {n_}"), (g_flow, f"{esc} – {p_}"),
        *([(g_flow, t("report.sum.to_poor", lang))] if to_poor else []),
        (g_flow, f"{rei} – {n_}"), (g_flow, f"{rei} – {p_}"),
        (g_flow, f"{new} – {n_}"), (g_flow, f"{new} – {p_}"),
        (g_flow, joined_label), (g_flow, t("report.sum.left", lang)),
        (g_end, n_), (g_end, t("report.col.rate_of_households", lang)),
        (g_end, t("report.col.em_number", lang)), (g_end, t("report.col.rate_of_em", lang)),
    ]
    base = table["households"] if table.attrs.get("pct_base", "households") == "households" else table["start"]
    data = [
        table["tt"], table["name"], table["households"],
        table["start"], table["start_em"],
        table["escaped"], _pct(table["escaped"], base),
        *([table["to_poor"]] if to_poor else []),
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
    """Row positions of a summary table where the printed identity does not hold.

    The identity is ``end = start − escaped − to_poor + re_entered +
    newly_arising − left`` (:data:`IDENTITY_COLUMNS`); a re-entered figure
    that is not known (NA, the year after the panel's first review) is
    inside newly arising and counts 0.

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
    ...                   "newly_arising": [3, 3], "joined": [1, 1], "left": [1, 1], "end": [11, 12]})
    >>> unbalanced_rows(t), unbalanced_rows(t.drop(columns="start"))
    ([1], None)
    >>> unbalanced_rows(t.assign(start=pd.array([None, 10], dtype="Int64")))  # row 0: first reviewed this year
    [1]
    """
    if not set(IDENTITY_COLUMNS) <= set(table.columns) or table["start"].isna().all():
        return None
    lhs = sum(sign * pd.to_numeric(table[c]).fillna(0) for c, sign in _identity_signs().items())
    # a row without a start-of-year figure (a unit first reviewed this year) has nothing to balance
    bad = ((lhs != table["end"]) & table["start"].notna()).to_numpy(dtype=bool, na_value=False)
    return [int(i) for i in np.flatnonzero(bad)]
