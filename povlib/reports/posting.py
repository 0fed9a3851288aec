"""The public posting list: the commune's poor and near-poor households, to be posted at the village.

:func:`posting_list` lists, per commune, village (natural order: 'Tổ 2'
before 'Tổ 10'), status and name (Vietnamese dictionary order), each
household's head, status, poor through income or deprivation, members and a
note on how it entered the list this year (newly arising, re-entered,
joined); optionally also the households that escaped. Head names are masked
with :func:`povlib.privacy.mask_names` unless ``show_names``; ID numbers are
never listed. :func:`posting_display` gives the headers and values in
Vietnamese or English, numbered per commune.

Examples
--------
>>> import povlib
>>> from povlib.reports.posting import posting_display, posting_list
>>> p = posting_list(povlib.load_demo(), 2019, commune="02035")
>>> list(posting_display(p).columns[:3])
['STT', 'Thôn, bản', 'Họ và tên chủ hộ']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PovlibInputError
from ..i18n import t
from ..privacy import mask_names
from ..sorting import vi_key
from ..transitions import household_flows
from .common import check_year, flag_values, need_columns

__all__ = ["posting_list", "posting_display"]


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
        note ``escaped_poverty``. A household that moved into the commune and
        escaped in the same year is listed as escaped too (escapes follow the
        household: :mod:`povlib.transitions`, "Moves and escapes").

    Returns
    -------
    DataFrame
        ``commune_code``, ``commune_name``, ``village``, ``head_name``,
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
    check_year(panel, year)
    need_columns(panel, ["household_id", "commune_code", "village", "head_name", "status"])
    year = int(year)
    sel = panel["year"] == year
    if commune is not None:
        codes = panel["commune_code"].astype(str)
        if not (codes[sel] == str(commune)).any():
            raise PovlibInputError.from_key("report.err.commune", commune=commune, year=year)
        sel &= codes == str(commune)
    cur = panel[sel]
    ids = cur["household_id"]
    hist = panel[(panel["year"] <= year) & panel["household_id"].isin(ids)]
    fl = household_flows(hist, keys=("commune_code",))
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
        "commune_code": cur["commune_code"].astype(str),
        "commune_name": cur["commune_name"].astype(str) if "commune_name" in cur else cur["commune_code"].astype(str),
        "village": cur["village"].astype(str),
        "head_name": names.fillna(""),
        "status": status,
        "poor_via": cur["poor_via"].astype(object).where(st == "poor", None) if "poor_via" in cur else None,
        "members": pd.array(cur["members"], dtype="Int64") if "members" in cur else pd.NA,
        "ethnic_minority": flag_values(cur["ethnic_minority"]) if "ethnic_minority" in cur else False,
        "deprivation_count": pd.array(cur["deprivation_count"], dtype="Int64") if "deprivation_count" in cur else pd.NA,
        "flow": flow.where(~status.isin(["escaped", "escaped_near"]), ""),
    })[keep.to_numpy()]
    rank = out["status"].map({"poor": 0, "near_poor": 1, "escaped": 2, "escaped_near": 3})
    sort = pd.DataFrame({"c": out["commune_code"], "v": vi_key(out["village"]).to_numpy(),
                         "r": rank.to_numpy(), "h": vi_key(raw_names).to_numpy()[keep.to_numpy()],
                         "h2": raw_names.to_numpy()[keep.to_numpy()]},
                        index=out.index)  # real names: the order does not depend on the role
    out = out.loc[sort.sort_values(["c", "v", "r", "h", "h2"], kind="stable").index].reset_index(drop=True)
    out.attrs.update({"year": year, "commune": commune, "masked": not show_names})
    return out


def posting_display(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Headers and values in ``lang`` for :func:`posting_list` (STT numbering per commune).

    ``attrs`` set by :func:`povlib.reports.build_report`: ``income_branch``
    False (a standard without an income-only poor branch, Decree 07/2021)
    leaves out the "poor through" column, which would say the same for every
    poor household; ``reentry_unknown`` (statuses whose re-entry cannot be
    told this year, the year after the panel's first review) notes an entry
    as "entered (newly or re-entering, not known)" instead of newly arising.
    A household formed or moved in is noted as newly arising (formed or moved
    in), as the summary form counts it.
    """
    status_lbl = {"poor": t("status.poor", lang), "near_poor": t("status.near_poor", lang),
                  "escaped": t("flow.escaped_poverty", lang), "escaped_near": t("flow.escaped_near_poverty", lang)}
    via_lbl = {"income": t("report.post.via_income", lang), "deprivation": t("report.post.via_deprivation", lang)}
    flow_lbl = {"": "", "joined": t("flow.joined", lang), "newly_poor": t("flow.newly_poor", lang),
                "re_poor": t("flow.re_poor", lang), "newly_near_poor": t("flow.newly_near_poor", lang),
                "re_near_poor": t("flow.re_near_poor", lang), "escaped_poverty": t("flow.escaped_poverty", lang)}
    for status in table.attrs.get("reentry_unknown", ()):
        flow_lbl[f"newly_{status}"] = t("flow.entered_unknown", lang)
    # a household formed or moved in is newly arising on the summary form: say both
    joined_lbl = {s: f"{t(f'flow.newly_{s}', lang)} ({t('report.sum.joined', lang)})" for s in ("poor", "near_poor")}
    note = table["flow"].map(flow_lbl).fillna("")
    for s, lbl in joined_lbl.items():
        note = note.mask((table["flow"] == "joined") & (table["status"] == s), lbl)
    stt = table.groupby("commune_code", sort=False).cumcount() + 1
    cols = {
        t("report.col.stt", lang): stt.astype(np.int64),
        t("general.village", lang): table["village"],
        t("report.col.head_name", lang): table["head_name"],
        t("report.col.status", lang): table["status"].map(status_lbl),
        t("report.col.poor_via", lang): table["poor_via"].map(via_lbl).fillna(""),
        t("measure.people", lang): table["members"],
        t("report.col.em", lang): np.where(table["ethnic_minority"].to_numpy(dtype=bool), "x", ""),
        t("measure.deprivation_count", lang): table["deprivation_count"],
        t("report.col.note", lang): note,
    }
    if not table.attrs.get("income_branch", True):
        del cols[t("report.col.poor_via", lang)]
    out = pd.DataFrame(cols)
    if table["commune_code"].nunique() > 1:
        out.insert(1, t("general.commune", lang), table["commune_name"].to_numpy())
    return out
