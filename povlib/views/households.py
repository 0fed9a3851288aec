"""The list of poor and near-poor households, ready to show or export.

Examples
--------
>>> import povlib
>>> from povlib.views import household_list, with_flows
>>> p = with_flows(povlib.load_demo())
>>> hl = household_list(p[p["year"] == 2019], "QD59_2015")
>>> hl.iloc[0, 1].startswith("*") or "*" in hl.iloc[0, 1]   # names masked by default
True

A household reviewed with the B2 score only has its number of deprivations
(B2 ÷ 10), not which ones; ``attrs['b2_only']`` counts such households listed:

>>> y = p[p["year"] == 2019].drop(columns=["latrine"])
>>> b2 = household_list(y, "QD59_2015", lang="en")
>>> b2.attrs["b2_only"] == len(b2), b2["Deprived indicators"].iloc[0]
(True, 'not known (not every indicator given)')
"""
from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..classify import STATUSES
from ..columns import is_in
from ..i18n import t
from ..panel import rows_giving
from ..privacy import mask_ids, mask_names
from ..sorting import vi_sorted
from .selection import truthy

__all__ = ["household_choices", "household_list"]


def _per_unique(s: pd.Series, fn) -> pd.Series:
    """Apply a vectorised string function to the distinct values only, then map back."""
    codes, uniques = pd.factorize(s)
    out = fn(pd.Series(uniques)).to_numpy(dtype=object)
    res = np.where(codes >= 0, out[np.clip(codes, 0, None)] if len(out) else None, None)
    return pd.Series(res, index=s.index, dtype=object)


def _deprivation_counts(df: pd.DataFrame, ids: Sequence[str], known: np.ndarray) -> np.ndarray:
    """Deprivations per row: the sum of the indicators where they are ``known``, else
    the classified count (the B2 score's)."""
    out = df["deprivation_count"].to_numpy(dtype=np.int64).copy()
    if ids and known.any():
        out[known] = df.loc[known, list(ids)].to_numpy(dtype=np.int64).sum(axis=1)
    return out


#: The flows the list can be filtered by: each a column of :func:`povlib.transitions.household_flows`. A
#: household can be in two (a poor household that became near-poor escaped poverty *and* is newly near-poor);
#: the filter reads the columns, the list's one label shows the first (``flow_label``).
FLOW_FILTERS = ("escaped_poverty", "newly_poor", "re_poor", "escaped_near_poverty", "newly_near_poor",
                "re_near_poor", "recently_escaped", "joined")


def _flow_rows(df: pd.DataFrame, flows: Sequence[str]) -> np.ndarray:
    """Rows in any of ``flows`` (their flow columns; without them, the ``flow_label`` of each row).

    >>> df = pd.DataFrame({"escaped_poverty": [True, False], "newly_near_poor": [True, False],
    ...                    "flow_label": ["escaped_poverty", ""]})
    >>> _flow_rows(df, ("newly_near_poor",)).tolist()
    [True, False]
    """
    cols = [c for c in flows if c in df.columns]
    if not cols:
        return is_in(df["flow_label"], flows) if "flow_label" in df.columns else np.zeros(len(df), dtype=bool)
    out = np.zeros(len(df), dtype=bool)
    for c in cols:
        out |= df[c].fillna(False).to_numpy(dtype=bool)
    return out


def household_choices(panel_year: pd.DataFrame, standard: str,
                      statuses: Sequence[str] = ("poor", "near_poor"), *,
                      indicators: Sequence[str] | None = None) -> dict:
    """What the household list can be filtered by: flow codes, villages, the largest deprivation count.

    Returns
    -------
    dict
        ``flows``: flow codes present (``'re_poor'``, ...), ``villages``:
        village names, ``max_deprivations``: int – all among the households
        of ``statuses``.
    """
    ids = list(indicators) if indicators else _standards.get(standard).indicator_ids
    df = panel_year.loc[is_in(panel_year["status"], statuses)]
    counts = _deprivation_counts(df, ids, rows_giving(df, ids))
    return {"flows": sorted(c for c in FLOW_FILTERS if _flow_rows(df, (c,)).any()),
            "villages": vi_sorted(df["village"].astype(str).unique()),
            "max_deprivations": int(counts.max()) if len(counts) else 0}


def household_list(panel_year: pd.DataFrame, standard: str, *, lang: str = "vi",
                   show_names: bool | Collection[str] = False, statuses: Sequence[str] = ("poor", "near_poor"),
                   flows: Sequence[str] = (), villages: Sequence[str] = (),
                   min_deprivations: int = 0, indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """Poor and near-poor households with their deprivations and flow status, ready to show or export.

    Column headers are in ``lang``. Names and ID numbers are masked unless
    ``show_names``: True shows every name, a collection of commune codes
    (``commune_code``) only the names of those communes (the communes an
    account may see, :func:`povlib.access.names_mask`), masking the others. The flow column reads e.g. ``'Tái nghèo 2019'``. The
    filters work on codes, never on translated labels: ``statuses`` (status
    codes), ``flows`` (flow codes, see :func:`household_choices`; empty = any),
    ``villages`` (empty = any), ``min_deprivations``. ``attrs['poor']`` and
    ``attrs['near_poor']`` count the households listed, ``attrs['b2_only']``
    those reviewed with the B2 score only: their number of deprivations is
    the B2 score's, which indicators is not known (the list says so). ``indicators``: the ones the
    classification counted, labelled by ``standard`` (a what-if over another standard's review counts those
    both share: :attr:`povlib.indicator_basis.IndicatorBasis.counted`); default every one of ``standard``.
    """
    std = _standards.get(standard)
    ids = list(indicators) if indicators else std.indicator_ids
    known_all = rows_giving(panel_year, ids)
    # new arrays, not in-place: pandas may hand out read-only views
    keep = is_in(panel_year["status"], statuses)
    if flows:
        keep = keep & _flow_rows(panel_year, flows)
    if villages:
        keep = keep & is_in(panel_year["village"], villages)
    if min_deprivations:
        keep = keep & (_deprivation_counts(panel_year, ids, known_all) >= int(min_deprivations))
    df = panel_year.loc[keep]
    known = known_all[keep]
    st_lab = {s: t(f"status.{s}", lang) for s in STATUSES}
    via_lab = {"income": t("via.income", lang), "deprivation": t("via.deprivation", lang)}
    area_lab = {"rural": t("area.rural", lang), "urban": t("area.urban", lang)}
    if isinstance(show_names, bool):
        names = df["head_name"] if show_names else _per_unique(df["head_name"], mask_names)
        idn = df["id_number"] if show_names else mask_ids(df["id_number"])
    else:  # names of the given communes only
        named = is_in(df["commune_code"], show_names)
        names = pd.Series(np.where(named, df["head_name"].astype(object),
                                   _per_unique(df["head_name"], mask_names)), index=df.index, dtype=object)
        idn = pd.Series(np.where(named, df["id_number"].astype(object), mask_ids(df["id_number"]).astype(object)),
                        index=df.index, dtype=object)
    hid = df["household_id"].astype(str)
    # deprived indicators as a '; '-separated list: label each distinct combination once
    # (at most 2**len(ids) of them), then take per row
    dep = pd.Series(t("hh.b2_only_cell", lang), index=df.index, dtype=object)
    if known.any():
        bits = df.loc[known, ids].to_numpy(dtype=np.int64) @ (1 << np.arange(len(ids), dtype=np.int64))
        combos, inv = np.unique(bits, return_inverse=True)
        labs = [std.indicator(i).label(lang) for i in ids]
        combo_text = np.array(["; ".join(lab for j, lab in enumerate(labs) if (c >> j) & 1) for c in combos],
                              dtype=object)
        dep[known] = combo_text[inv.ravel()]
    year = df["year"].astype(int).astype(str)
    flow_cols = [c for c in FLOW_FILTERS if c in df.columns]
    if flow_cols:  # every flow of the household (two for a poor household that became near-poor), then the year
        bits = np.zeros(len(df), dtype=np.int64)
        escaped_now = df["escaped_poverty"].fillna(False).to_numpy(dtype=bool) if "escaped_poverty" in df else False
        for j, c in enumerate(flow_cols):
            on = df[c].fillna(False).to_numpy(dtype=bool)
            if c == "recently_escaped":  # an escape of this year is said once, as "Thoát nghèo"
                on = on & ~escaped_now
            bits |= on.astype(np.int64) << j
        combos, inv = np.unique(bits, return_inverse=True)
        text = np.array(["; ".join(t(f"flow.{c}", lang) for j, c in enumerate(flow_cols) if (b >> j) & 1)
                         for b in combos], dtype=object)[inv.ravel()]
        flow = pd.Series(np.where(bits > 0, text + " " + year.to_numpy(dtype=object), ""), index=df.index, dtype=object)
    elif "flow_label" in df.columns:
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
        t("hh.col.deprivation_count", lang): _deprivation_counts(df, ids, known),
        t("hh.col.deprivations", lang): dep,
        t("hh.col.flow", lang): flow,
        t("hh.col.ethnic_minority", lang): np.where(truthy(df["ethnic_minority"]), t("hh.yes", lang), ""),
    })
    order = np.lexsort((hid.to_numpy(), df["village"].astype(str).to_numpy(),
                        df["commune_name"].astype(str).to_numpy(),
                        df["status"].astype(str).map({"poor": 0, "near_poor": 1, "non_poor": 2}).to_numpy()))
    out = out.iloc[order].reset_index(drop=True)
    # Decree 07/2021 and 351/2025: every poor household is both, no branch to tell (unless the rows were classified
    # under Decision 59/2015, a what-if: then some are income-poor)
    if not std.income_only_poor and not (df["poor_via"].astype(object) == "income").any():
        out = out.drop(columns=t("hh.col.via", lang))
    status = df["status"].astype(str).to_numpy()
    out.attrs.update(poor=int((status == "poor").sum()), near_poor=int((status == "near_poor").sum()),
                     b2_only=int((~known).sum()))
    return out
