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
  the caller flags it as such).

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
"""
from __future__ import annotations

import pandas as pd

from . import standards as _standards
from .classify import classify_households
from .standards import DEFAULT_STANDARD

__all__ = ["DEFAULT_STANDARD", "classify_panel"]



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
        return classify_households(df, standard)
    if keep_existing and "status" in df.columns:
        return df
    if "standard" not in df.columns:
        return classify_households(df, DEFAULT_STANDARD)
    return _classify_by_inputs(df)


def _classify_by_inputs(df: pd.DataFrame) -> pd.DataFrame:
    """Classify stored households whose inputs may differ by row.

    Rows are classified under their ``standard``; from ``income`` where it is
    given, else from ``b1_score``; deprivations from the indicator columns where
    all are given, else from ``b2_score`` – each group by
    :func:`povlib.classify_households`, so the rules are the same as everywhere.
    """
    if df.empty:
        out = df.copy()
        out["status"] = pd.Categorical([], categories=["poor", "near_poor", "non_poor"])
        out["poor_via"] = pd.Categorical([], categories=["income", "deprivation"])
        out["deprivation_count"] = pd.Series(dtype="int16")
        out["average_living_standard"] = pd.Series(dtype="boolean")
        return out
    results = []
    for sid, g in df.groupby("standard", observed=True, sort=False):
        std = _standards.get(str(sid))
        inds = std.indicator_ids
        has_inds = g[inds].notna().all(axis=1) if set(inds) <= set(g.columns) else pd.Series(False, index=g.index)
        has_inc = g["income"].notna() if "income" in g else pd.Series(False, index=g.index)
        for (hi, hinc), sub in g.groupby([has_inds.to_numpy(), has_inc.to_numpy()], sort=False):
            drop = [] if hi else [c for c in inds if c in sub]
            if not hinc and "income" in sub:
                drop.append("income")
            view = sub.drop(columns=drop)
            if hi:
                view = view.astype({c: "int8" for c in inds})
            c = classify_households(view, std)
            results.append(c[["status", "poor_via", "deprivation_count", "average_living_standard"]]
                           if "average_living_standard" in c else
                           c[["status", "poor_via", "deprivation_count"]])
    res = pd.concat(results).reindex(df.index)
    out = df.copy()
    out["status"] = pd.Categorical(res["status"], categories=["poor", "near_poor", "non_poor"])
    out["poor_via"] = pd.Categorical(res["poor_via"], categories=["income", "deprivation"])
    out["deprivation_count"] = res["deprivation_count"].astype("int16")
    if "average_living_standard" in res:
        als = res["average_living_standard"]
        out["average_living_standard"] = als.astype(bool) if als.notna().all() else als.astype("boolean")
    return out
