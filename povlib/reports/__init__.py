"""The official report tables of the yearly review, ready for Excel and CSV.

Four reports, each a pure function of a classified household panel, one
module each:

* :mod:`~povlib.reports.summary` – :func:`summary_table`, the *biểu tổng hợp
  kết quả rà soát* of Circular 17/2016/TT-BLĐTBXH for one status (poor or
  near-poor): start of the year, escaped, re-entered, newly arising (of which
  formed or moved in), moved out or no longer existing, end of the year, per
  unit (urban units, rural units, total), from the dashboard's own functions
  so that the figures equal the dashboard's and the printed identity ``end =
  start − escaped − to_poor + re_entered + newly_arising − left`` holds on
  every row (its notes explain the extra columns and the percentages);
* :mod:`~povlib.reports.indicators` – :func:`indicator_table`, poor
  (income-poor and poor through deprivation of access to basic social
  services apart, where the standard has both branches) and near-poor
  households deprived in each indicator of the year's standard;
* :mod:`~povlib.reports.groups` – :func:`group_table`, poor and near-poor
  households per unit and policy group (ethnic minority, meritorious service,
  social protection, no labour capacity);
* :mod:`~povlib.reports.posting` – :func:`posting_list`, the commune list of
  poor and near-poor households for public posting (names masked unless
  ``show_names``).

Each has a ``*_display`` function with the headers in Vietnamese or English.
:mod:`~povlib.reports.bundle` – :func:`build_report` turns them into a
:class:`ReportBundle` of display tables with titles and notes, which writes
``.xlsx`` and CSV. :mod:`~povlib.reports.common` holds the checks, unit names
and the form's row order they share; :mod:`~povlib.reports.forms` says which
circular's forms a year's standard is reported on (Circular 17/2016 for
Decision 59/2015, Circular 07/2021 for Decree 07/2021: ``forms.toml``).

Examples
--------
>>> import povlib
>>> from povlib.reports import summary_table
>>> panel = povlib.load_demo()
>>> t = summary_table(panel, 2019, status="poor")
>>> row = t[t["row_kind"] == "total"].iloc[0]
>>> int(row["end"]) == int(row["start"] - row["escaped"] - row["to_poor"] + row["re_entered"]
...                        + row["newly_arising"] - row["left"])
True
>>> round(float(row["end_rate"]) * 100, 2)
15.86
"""
from __future__ import annotations

from .bundle import KINDS, ReportBundle, build_report
from .common import LEVELS, check_year, missing_flags, unit_label
from .forms import form_for
from .groups import GROUP_FLAGS, group_display, group_table
from .indicators import indicator_display, indicator_table
from .posting import posting_display, posting_list
from .summary import summary_display, summary_table, unbalanced_rows

__all__ = [
    "KINDS",
    "LEVELS",
    "GROUP_FLAGS",
    "form_for",
    "ReportBundle",
    "build_report",
    "check_year",
    "summary_table",
    "summary_display",
    "unbalanced_rows",
    "indicator_table",
    "indicator_display",
    "group_table",
    "group_display",
    "posting_list",
    "posting_display",
    "missing_flags",
    "unit_label",
]
