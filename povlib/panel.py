"""Classifying a panel of households, written once.

Every panel the product reads – the synthetic demo, a version of the store, a
table given to the command line – is classified here, by
:func:`classify_panel`:

* with no standard asked for, each row under the standard it was reviewed
  under (its ``standard`` column; a table without one is taken as reviewed
  under Decision 59/2015), from what the row gives: income where it is given,
  else score B1; the indicators where all are given, else score B2 (imported
  reviews may mix both layouts). Each group of alike rows goes through
  :func:`povlib.classify_households`, so the rules are the same everywhere;
* with a standard asked for, every row under that standard (a what-if view:
  the caller flags it as such), from what each row gives in the same way.

:func:`indicator_rows` says which rows carry every indicator of a standard
(the others were reviewed with the B2 score only) and :func:`with_indicators`
gives those rows: the same rule picks the rows whose per-indicator figures the
views, maps, reports and plans can show.

Examples
--------
>>> import pandas as pd
>>> from povlib.synth import demo_path
>>> raw = pd.read_parquet(demo_path("cho-don"))
>>> p = classify_panel(raw)
>>> round(float((p.loc[p.year == 2019, "status"] == "poor").mean()) * 100, 2)
15.86
>>> classify_panel(raw.iloc[:0])["status"].cat.categories.tolist()
['poor', 'near_poor', 'non_poor']
>>> b2_only = raw.head(3).assign(adult_education=pd.NA)
>>> indicator_rows(b2_only, "QD59_2015").tolist(), indicator_rows(raw[["b2_score"]].head(2), "QD59_2015").tolist()
([False, False, False], [False, False])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import standards as _standards
from .classify import by_row_label, classify_households
from .columns import equals
from .standards import DEFAULT_STANDARD

__all__ = ["DEFAULT_STANDARD", "classify_panel", "indicator_rows", "with_indicators", "with_year_standards"]



def _zero_one(s: pd.Series) -> bool:
    """Whether a column's values are all 0 or 1 (True/False) and it can be cast to int8 without changing one:
    0.5 or 256 must reach :func:`povlib.classify_households`, which refuses them, not be cast to 0."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return True
    if pd.api.types.is_integer_dtype(s.dtype):  # numpy or nullable integers (no missing value in these rows)
        return bool(len(s) == 0 or (s.min() >= 0 and s.max() <= 1))
    num = pd.to_numeric(s, errors="coerce")
    return bool(num.notna().all() and num.isin([0, 1]).all())


def indicator_rows(df: pd.DataFrame, standard: str | _standards.Standard) -> np.ndarray:
    """Rows that carry every indicator of ``standard`` (a boolean array).

    A review file may give the indicator columns or the B2 score instead
    (``data/templates/README.md``); a row without all of the standard's
    indicators – a column absent or a cell blank – was reviewed with the B2
    score only: its number of deprivations is known, which ones are not.
    """
    return rows_giving(df, _standards.get(standard).indicator_ids)


def rows_giving(df: pd.DataFrame, ids) -> np.ndarray:
    """Rows that give every one of the indicators ``ids`` (a boolean array; none when a column is absent).

    >>> rows_giving(pd.DataFrame({"a": [1, None], "b": [0, 1]}), ["a", "b"]).tolist(), rows_giving(pd.DataFrame(), ["a"])
    ([True, False], array([], dtype=bool))
    """
    if not set(ids) <= set(df.columns):
        return np.zeros(len(df), dtype=bool)
    return df[list(ids)].notna().all(axis=1).to_numpy(dtype=bool)


def with_indicators(df: pd.DataFrame, standard: str) -> tuple[pd.DataFrame, int]:
    """The rows of ``df`` that carry every indicator of ``standard`` (indicators as int8), and how many do not.

    Examples
    --------
    >>> import pandas as pd
    >>> from povlib.standards import get
    >>> ids = get("QD59_2015").indicator_ids
    >>> df = pd.DataFrame({i: pd.array([1, pd.NA], dtype="Int8") for i in ids})
    >>> rows, b2_only = with_indicators(df, "QD59_2015")
    >>> len(rows), b2_only, str(rows[ids[0]].dtype)
    (1, 1, 'int8')
    """
    ids = _standards.get(standard).indicator_ids
    known = indicator_rows(df, standard)
    b2_only = int((~known).sum())
    if not known.any():
        empty = df.iloc[:0].drop(columns=[c for c in ids if c in df.columns])
        return empty.assign(**{i: pd.Series(dtype="int8") for i in ids}), b2_only
    rows = df.loc[known] if b2_only else df
    if any(rows[i].dtype != np.int8 for i in ids):
        rows = rows.astype({i: "int8" for i in ids})
    return rows, b2_only


def classify_panel(df: pd.DataFrame, standard: str | None = None, *, keep_existing: bool = False) -> pd.DataFrame:
    """Classify every household of a panel (see the module description).

    Parameters
    ----------
    df : DataFrame
        Households of one or more review years (the store's or the demo's
        columns).
    standard : str, optional
        Classify every row under this standard (a what-if); default: each
        row under its own ``standard``.
    keep_existing : bool
        Return a table that is already classified (has ``status``) unchanged
        when no standard is asked for (a classified export given to the
        command line).

    Returns
    -------
    DataFrame
        ``df`` with ``status``, ``poor_via``, ``deprivation_count`` and
        ``average_living_standard``.
    """
    if standard is not None:
        return _classify_by_inputs(df, standard)
    if keep_existing and "status" in df.columns:
        return df
    if "standard" not in df.columns:
        if "year" in df.columns:  # each row under the standard in force in its year (not Decision 59's)
            return _classify_by_inputs(with_year_standards(df))
        return classify_households(df, DEFAULT_STANDARD)
    return _classify_by_inputs(df)


def with_year_standards(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (a table without a ``standard`` column) with ``standard``: the national standard in force in each
    row's review year (:func:`povlib.standards.standard_for_year`); a year no standard covers raises.

    Examples
    --------
    >>> with_year_standards(pd.DataFrame({"year": [2019, 2026, 2027]}))["standard"].tolist()
    ['QD59_2015', 'ND07_2021', 'ND351_2025']
    """
    of_year = {y: _standards.standard_for_year(int(y)).id for y in pd.unique(df["year"].dropna())}
    return df.assign(standard=df["year"].map(of_year).astype(object))


def _classify_by_inputs(df: pd.DataFrame, standard: str | None = None) -> pd.DataFrame:
    """Classify stored households whose inputs may differ by row.

    Rows are classified under their ``standard`` (or all under ``standard``
    when one is given); from ``income`` where it is given, else from
    ``b1_score``; deprivations from the indicator columns where all are given,
    else from ``b2_score`` – each group by :func:`povlib.classify_households`,
    so the rules are the same as everywhere.
    """
    if df.empty:
        if standard is not None:
            return classify_households(df, standard)
        out = df.copy()
        out["status"] = pd.Categorical([], categories=["poor", "near_poor", "non_poor"])
        out["poor_via"] = pd.Categorical([], categories=["income", "deprivation"])
        out["deprivation_count"] = pd.Series(dtype="int16")
        out["average_living_standard"] = pd.Series(dtype="boolean")
        return out
    work = by_row_label(df)  # a message names the rows as the caller knows them
    results = []
    by_standard = [(standard, work)] if standard is not None else work.groupby("standard", observed=True, sort=False)
    for sid, g in by_standard:
        std = _standards.get(str(sid))
        inds = std.indicator_ids
        has_inds = indicator_rows(g, std)
        has_inc = g["income"].notna() if "income" in g else pd.Series(False, index=g.index)
        # under a what-if, rows reviewed under another standard keep their indicators: classify_households
        # counts the ones both standards share (povlib.classify.count_deprivations)
        other = (~equals(g["standard"], std.id) if standard is not None and "standard" in g
                 else np.zeros(len(g), dtype=bool))
        for (hi, hinc, oth), sub in g.groupby([has_inds, has_inc.to_numpy(), other], sort=False):
            drop = [] if hi or oth else [c for c in inds if c in sub]
            if not hinc and "income" in sub:
                drop.append("income")
            view = sub.drop(columns=drop)
            if hi and all(_zero_one(view[c]) for c in inds):  # else classify_households refuses the values
                # through the numbers: text "1.0" is the value 1, as the engine reads it (povlib.query.reclassify)
                view = view.assign(**{c: pd.to_numeric(view[c]).astype("int8") for c in inds
                                      if view[c].dtype != np.int8})
            c = classify_households(view, std)
            results.append(c[["status", "poor_via", "deprivation_count", "average_living_standard"]]
                           if "average_living_standard" in c else
                           c[["status", "poor_via", "deprivation_count"]])
    res = pd.concat(results).reindex(work.index)
    out = df.copy()
    # from the categorical columns as they are (recoded, not turned into Python strings and back)
    out["status"] = pd.Categorical(res["status"], categories=["poor", "near_poor", "non_poor"])
    out["poor_via"] = pd.Categorical(res["poor_via"], categories=["income", "deprivation"])
    out["deprivation_count"] = res["deprivation_count"].to_numpy().astype("int16")
    if "average_living_standard" in res:
        als = res["average_living_standard"]
        als = als.astype(bool) if als.notna().all() else als.astype("boolean")
        out["average_living_standard"] = als.array  # positional; keeps the nullable dtype (unknown: <NA>)
    return out
