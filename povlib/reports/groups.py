"""The table by household group: poor and near-poor households per unit and policy group.

:func:`group_table` counts, per unit (urban units, rural units, total), the
poor (income-poor and deprivation-poor apart) and near-poor households, and
those of each policy group of :data:`GROUP_FLAGS` (ethnic minority,
meritorious service, social protection, no labour capacity) – all from
:func:`povlib.measures.rates`. A household whose group is unknown counts as
not in the group (the report notes say how many). :func:`group_display` gives
the headers in Vietnamese or English.

Examples
--------
>>> import povlib
>>> from povlib.reports.groups import group_display, group_table
>>> d = povlib.load_demo()
>>> g = group_table(d[d["year"] == 2019])
>>> g["row_kind"].iloc[-1], group_display(g).columns[3]
('total', ('Hộ nghèo', 'Tổng số'))
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..i18n import t
from ..measures import rates
from .common import (
    STATUS_KEYS,
    assemble_rows,
    flag_values,
    level_columns,
    need_columns,
    unit_names,
)

__all__ = ["GROUP_FLAGS", "group_table", "group_display"]

#: policy groups of the group report: flag column -> i18n key
GROUP_FLAGS = {
    "ethnic_minority": "group.ethnic_minority",
    "meritorious": "group.meritorious",
    "social_protection": "group.social_protection",
    "no_labour_capacity": "group.no_labour",
}


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
    code_col, name_col = level_columns(level)
    flags = list(GROUP_FLAGS)
    need_columns(df_year, ["status", "area", code_col, *flags])
    keys = [code_col, "area"]
    base_cols = ["households", "poor", "income_poor", "deprivation_poor", "near_poor"]

    def level_frame(keys_: list[str]) -> pd.DataFrame:
        r = rates(df_year, keys_ or None)[keys_ + base_cols]
        for k in keys_:
            r[k] = r[k].astype(str)
        for f in flags:
            sub = df_year[flag_values(df_year[f])]
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
    out = assemble_rows(unit[keys + value_cols], area[["area"] + value_cols], tot[value_cols],
                       code_col=code_col, names=unit_names(df_year, code_col, name_col), lang=lang)
    for c in value_cols:
        out[c] = out[c].astype(np.int64)
    stds = pd.unique(df_year["standard"].dropna().astype(str)) if "standard" in df_year.columns else []
    out.attrs.update({"level": level, "standard": stds[0] if len(stds) == 1 else None})
    return out


def group_display(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Headers in ``lang`` for :func:`group_table`.

    Income-poor and poor through deprivation of access to basic social
    services are two columns only under a standard with an income-only poor
    branch (``attrs['income_branch']``, by default the table's standard's:
    not under Decree 07/2021).
    """
    level = table.attrs.get("level", "commune")
    std = table.attrs.get("standard")
    split = table.attrs.get("income_branch", _standards.get(std).income_only_poor if std else True)
    cols = [(t("report.col.tt", lang), ""), (t(f"report.col.unit.{level}", lang), ""),
            (t("report.col.households", lang), "")]
    data = [table["tt"], table["name"], table["households"]]
    for status in STATUS_KEYS:
        g = t(f"status.{status}", lang)
        cols.append((g, t("report.col.total", lang)))
        data.append(table[status])
        if status == "poor" and split:
            cols += [(g, t("via.income", lang)), (g, t("via.deprivation", lang))]
            data += [table["income_poor"], table["deprivation_poor"]]
        for f, key in GROUP_FLAGS.items():
            cols.append((g, t(key, lang)))
            data.append(table[f"{f}_{status}"])
    out = pd.concat([d.reset_index(drop=True) for d in data], axis=1)
    out.columns = pd.MultiIndex.from_tuples(cols)
    return out
