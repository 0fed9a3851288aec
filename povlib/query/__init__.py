"""Aggregates where the data are: the povlib figures computed by a SQL engine (DuckDB by default).

One topic per module:

* :mod:`povlib.query.source` – where the households are (a pandas frame registered as a view, or
  Parquet files partitioned by year and province) and row filters as portable SQL;
* :mod:`povlib.query.rates`  – households and people by status and their rates
  (:func:`povlib.measures.rates`);
* :mod:`povlib.query.af`     – Alkire–Foster H, A, M0, uncensored and censored shares and
  contributions (:func:`povlib.measures.af_by_group`);
* :mod:`povlib.query.flows`  – flows between review years (:func:`povlib.transitions.flow_table`);
* :mod:`povlib.query.summary` – a dataset's per-commune sums computed once and saved beside it, from which
  :mod:`povlib.views.national` answers a selection of every household without scanning them again;
* :mod:`povlib.query.reclassify` – every household re-classified under another standard (a what-if) as a view
  the other modules read unchanged.

Each figure is one SQL statement over a view named ``households``, written once in plain
ANSI SQL (CTEs, ``CASE``, ``SUM``, ``COUNT``, joins, ``ROW_NUMBER``/``MAX`` windows; no
engine-specific function), so the same text runs on DuckDB and on Spark SQL. The engine returns
integer counts per unit; the fractions are then computed from those counts in numpy exactly as
the pandas functions compute them, so both give the same figures to the last digit.

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame, rates
>>> src = from_frame(pd.DataFrame({"year": [2025, 2025], "status": ["poor", "non_poor"]}))
>>> r = rates(src, "year")
>>> int(r["households"][0]), int(r["poor"][0]), float(r["poor_rate"][0])
(2, 1, 0.5)
"""
from __future__ import annotations

from . import summary
from .af import af_by_group, af_for_standard, af_sql
from .flows import flow_sql, flow_table, flow_tables
from .rates import rates, rates_sql
from .source import Filter, Source, from_frame, from_parquet

__all__ = ["Filter", "Source", "from_frame", "from_parquet", "rates", "rates_sql", "af_by_group",
           "af_for_standard", "af_sql", "flow_table", "flow_tables", "flow_sql", "summary"]
