"""Units of a period, as the pages need them: a code from another period explained, not guessed.

A commune code means a unit only with its period (codes were reused after the 2020 and 2025 reforms).
A link that carries a code not in force in the review year shown is answered by :func:`code_elsewhere`:
the unit the code was (or will be) and the unit(s) of the year that hold its place.

Examples
--------
>>> from povlib.views.periods import code_elsewhere
>>> print(code_elsewhere("02023", 2026))
Mã 02023 (Xã Xuân Lạc) thuộc danh mục đến 30/06/2025; năm 2026 thuộc Xã Nam Cường (02026).
>>> code_elsewhere("02023", 2019) is None
True
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..columns import as_text
from ..errors import PovlibInputError
from ..i18n import t
from ..sorting import sort_frame, sort_key
from ..units import UnitKey, as_date, key, load_registry, predecessors, same_unit, successors

__all__ = ["code_elsewhere", "commune_in", "dmy", "on_units", "same_unit", "unit_changes"]


def dmy(iso: str) -> str:
    """An ISO date as the pages write it (``2025-06-30`` -> ``30/06/2025``).

    Examples
    --------
    >>> dmy("2025-06-30")
    '30/06/2025'
    """
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"




def code_elsewhere(code: str, year: int, lang: str = "vi") -> str | None:
    """Why a commune code does not name a unit of ``year``, or None when it does (or is unknown).

    Parameters
    ----------
    code : str
        A commune code (e.g. from a link).
    year : int
        The review year shown (its units are those in force on 31 December).

    Returns
    -------
    str or None
        A message naming the code, the unit it was and its period, and the unit(s) of ``year`` in its
        place (successors for an older code, predecessors for a newer one); None when the code is in force
        in ``year`` or the registry does not know it (the caller then says the code is not in the data).

    Examples
    --------
    >>> from povlib.views.periods import code_elsewhere
    >>> print(code_elsewhere("02059", 2026, "en"))
    Code 02059 (Xã Đồng Thắng) is in the list until 30/06/2025; in 2026 it is part of Xã Bạch Thông (02014).
    >>> print(code_elsewhere("02074", 2020))
    Mã 02074 (Xã Phong Huân) thuộc danh mục đến 31/01/2020; năm 2020 thuộc Xã Yên Phong (02083), Xã Bằng Lãng (02065).
    """
    units = load_registry().units
    code = str(code)
    day = as_date(int(year))
    if code not in units.index.get_level_values(0):
        return None
    rows = units.loc[code]
    rows = rows[rows["level"] == "commune"]
    if rows.empty or ((rows["valid_from"] <= day) & (rows["valid_to"] >= day)).any():
        return None
    before = rows[rows["valid_to"] < day]
    if len(before):
        r = before.iloc[-1]
        place = successors(UnitKey(code, r["valid_from"]), int(year))
        msg, when = "units.code_until", dmy(r["valid_to"])
    else:
        r = rows.iloc[0]
        try:
            place = predecessors(UnitKey(code, r["valid_from"]), int(year))
        except PovlibInputError:
            place = {}
        msg, when = "units.code_from", dmy(r["valid_from"])
    ranked = sorted(place.items(), key=lambda kv: -kv[1])
    names = ", ".join(f"{units.at[k, 'name']} ({k.code})" for k, _ in ranked)
    return t(msg, lang, code=code, name=r["name"], date=when, year=int(year), units=names or "–")


def commune_in(panel: pd.DataFrame, to_year: int) -> pd.DataFrame:
    """Each row's commune on the units of another review year (the 2020 and 2025 reforms crossed).

    A row's commune is a unit of its own year (``commune_code`` with ``year``). Where the dated crosswalk
    sends that unit whole to one unit of ``to_year`` (merges, renamings, backwards a unit that was not
    merged) the row goes there, exactly. Where it does not (a divided unit, or backwards a merged one) the
    row goes to the commune the *same household* had in ``to_year`` when it was reviewed then and that commune
    is one of the candidates – a fact, not an estimate; else to the candidate with the largest share
    (``estimated``). Only the distinct (code, year) pairs are looked up in the registry, never the households.

    Parameters
    ----------
    panel : DataFrame
        Columns ``household_id``, ``year``, ``commune_code``.
    to_year : int
        The review year whose units to use.

    Returns
    -------
    DataFrame
        Indexed like ``panel``: ``code``, ``name`` (the unit of ``to_year``) and ``estimated`` (bool).

    Examples
    --------
    >>> import pandas as pd
    >>> from povlib.views.periods import commune_in
    >>> p = pd.DataFrame({"household_id": ["a", "b", "b", "c"], "year": [2019, 2019, 2020, 2019],
    ...                   "commune_code": ["02056", "02074", "02065", "02074"]})
    >>> on2020 = commune_in(p, 2020)
    >>> on2020.code.tolist(), on2020.estimated.tolist()
    (['02059', '02065', '02065', '02083'], [False, False, False, True])
    >>> commune_in(p, 2026).code.tolist()
    ['02014', '02083', '02020', '02083']
    """
    units = load_registry().units
    # the distinct (code, year) pairs, in the order they first appear, and each row's pair (integer codes:
    # no string column of the rows is converted, compared or merged)
    c_idx, c_uni = pd.factorize(panel["commune_code"], use_na_sentinel=False)
    c_str = np.array([str(c) for c in c_uni], dtype=object)
    yr = panel["year"].to_numpy().astype(np.int64)
    y_idx, y_uni = pd.factorize(yr)
    ny = max(len(y_uni), 1)
    p_idx, p_uni = pd.factorize(c_idx.astype(np.int64) * ny + y_idx)
    best = np.empty(len(p_uni), dtype=object)
    whole = np.empty(len(p_uni), dtype=bool)
    options: list[list[str]] = []
    for i, pair in enumerate(p_uni):
        c, y = c_str[pair // ny], int(y_uni[pair % ny])
        try:
            k = key(c, y)  # the unit with this code in force that year (cached lookup)
            m = successors(k, int(to_year)) if y <= to_year else predecessors(k, int(to_year))
        except (KeyError, IndexError, PovlibInputError):
            raise PovlibInputError.from_key("units.codes_not_at", codes=c, date=as_date(y),
                                            column="commune_code", rows=[c]) from None
        cs = sorted(((kk.code, w) for kk, w in m.items()), key=lambda kv: -kv[1])
        best[i], whole[i] = cs[0][0], len(cs) == 1
        options.append([cc for cc, _ in cs])
    out_code = best[p_idx]
    estimated = ~whole[p_idx]
    if estimated.any():  # the household's own commune in to_year, where it is one of the candidates
        in_to = yr == int(to_year)
        ids = panel["household_id"]  # only the rows needed are converted (text ids, up to millions of rows)
        then = pd.Series(c_str[c_idx[in_to]], index=ids.iloc[np.flatnonzero(in_to)].to_numpy())
        rows = np.flatnonzero(estimated)
        own = pd.Series(ids.iloc[rows].to_numpy()).map(then).to_numpy(dtype=object)
        # is the row's own code one of its pair's candidates: (pair, code) as one integer, looked up at once
        flat = [c for opts in options for c in opts]
        cands = pd.Index(sorted(set(flat)))
        own_id = cands.get_indexer(pd.Series(own, dtype=object).astype(str))
        cand_keys = (np.repeat(np.arange(len(options), dtype=np.int64), [len(o) for o in options]) * len(cands)
                     + cands.get_indexer(flat))
        ok = pd.notna(own) & (own_id >= 0) & np.isin(p_idx[rows].astype(np.int64) * len(cands) + own_id, cand_keys)
        out_code[rows[ok]] = own[ok]
        estimated[rows[ok]] = False
    live = units[(units["level"] == "commune") & (units["valid_from"] <= as_date(int(to_year)))
                 & (units["valid_to"] >= as_date(int(to_year)))].set_index("code")["name"]
    # categorical columns, as the panel's own: the few distinct units are converted to text once, not per row
    o_idx, o_uni = pd.factorize(out_code)
    code = pd.Categorical(o_uni).take(o_idx)
    name = pd.Categorical(pd.Series(o_uni).map(live).to_numpy()).take(o_idx)
    return pd.DataFrame({"code": code, "name": name, "estimated": estimated}, index=panel.index)


def on_units(panel: pd.DataFrame, on_year: int, *, communes=(), year: int | None = None) -> pd.DataFrame:
    """The rows of several review years re-expressed on the communes of ``on_year`` (for a series).

    ``commune_code``/``commune_name`` become the unit of ``on_year`` (:func:`commune_in`), ``unit_estimated``
    flags the rows placed by a weight; every other column (``household_id``, the status, the flow columns)
    is unchanged, so a household's flow never depends on the units. ``communes`` (codes of the units of
    ``year``, the year the user picked them in) keeps the rows whose commune *on the units of that year* is
    one of them – not the rows that merely carry the same code in another period.

    Examples
    --------
    >>> import pandas as pd
    >>> from povlib.views.periods import on_units
    >>> p = pd.DataFrame({"household_id": ["a", "a", "b"], "year": [2019, 2026, 2019],
    ...                   "commune_code": ["02020", "02020", "02023"], "commune_name": ["x", "y", "z"]})
    >>> on_units(p, 2026)[["year", "commune_code", "commune_name"]].values.tolist()
    [[2019, '02020', 'Xã Chợ Đồn'], [2026, '02020', 'Xã Chợ Đồn'], [2019, '02026', 'Xã Nam Cường']]
    >>> len(on_units(p, 2026, communes=("02023",), year=2019))
    1
    """
    m = commune_in(panel, on_year)
    out = panel.assign(commune_code=m["code"].array, commune_name=m["name"].array,
                       unit_estimated=m["estimated"].to_numpy())
    if communes:
        at = m if year is None or int(year) == int(on_year) else commune_in(panel, int(year))
        out = out[at["code"].isin([str(c) for c in communes]).to_numpy()]
    return out


def unit_changes(panel: pd.DataFrame, on_year: int) -> pd.DataFrame:
    """What re-expressing ``panel`` on the units of ``on_year`` merged or estimated, per unit of ``on_year``.

    Returns
    -------
    DataFrame
        One row per unit of ``on_year`` that gathers other units of other years (a merge) or received rows
        by weight: ``code``, ``name``, ``from_units`` (the other units, ``name (code, years)``),
        ``estimated`` (rows placed by a weight).

    Examples
    --------
    >>> import pandas as pd
    >>> from povlib.views.periods import unit_changes
    >>> p = pd.DataFrame({"household_id": ["a", "b", "c"], "year": [2019, 2019, 2026],
    ...                   "commune_code": ["02023", "02026", "02026"]})
    >>> unit_changes(p, 2026).to_dict("records")
    [{'code': '02026', 'name': 'Xã Nam Cường', 'from_units': 'Xã Nam Cường (02026, 2019), Xã Xuân Lạc (02023, 2019)', 'estimated': 0}]
    """
    m = commune_in(panel, on_year)
    units = load_registry().units
    to = m["code"].to_numpy()
    estimated = pd.Series(m["estimated"].to_numpy(dtype=np.int64)).groupby(to).sum()
    # the distinct (unit of on_year, unit of its own year, year) triples: a few hundred, not the households
    pairs = pd.DataFrame({"to": to, "c": as_text(panel["commune_code"]),
                          "y": panel["year"].to_numpy().astype(int)}).drop_duplicates()
    # code -> its records in the registry, (valid_from, valid_to, name) in the registry's order
    codes = set(pairs["c"]) | set(pairs["to"].dropna())
    sub = units[units["code"].isin(codes).to_numpy()].sort_index()  # by code, then valid_from
    spans: dict[str, list[tuple]] = {}
    for code, *span in zip(sub["code"], sub["valid_from"], sub["valid_to"], sub["name"]):
        spans.setdefault(code, []).append(tuple(span))
    live = _names_at(on_year)
    rows = []
    for unit, g in pairs.groupby("to", sort=True):
        names: dict[tuple[str, str], list[int]] = {}
        for c, y in zip(g["c"], g["y"]):
            if c == unit and y == int(on_year):
                continue
            day = as_date(y)
            name = next(n for start, end, n in spans[c] if start <= day <= end)
            names.setdefault((name, c), []).append(y)
        same = [(n, c) for n, c in names if c == unit and n == spans[unit][-1][2]]
        if len(names) <= len(same) and not estimated[unit]:
            continue  # the same unit in every year: nothing merged
        label = ", ".join(f"{n} ({c}, {_years(ys)})" for (n, c), ys in
                          sorted(names.items(), key=lambda kv: (sort_key(kv[0][0]), kv[0][1])))
        rows.append({"code": unit, "name": str(live.get(unit, "")), "from_units": label,
                     "estimated": int(estimated[unit])})
    out = pd.DataFrame(rows, columns=["code", "name", "from_units", "estimated"])
    return sort_frame(out, ["name", "code"], text=["name"]).reset_index(drop=True)  # Vietnamese order


def _names_at(year: int) -> pd.Series:
    units = load_registry().units
    d = as_date(int(year))
    live = units[(units["level"] == "commune") & (units["valid_from"] <= d) & (units["valid_to"] >= d)]
    return live.set_index("code")["name"]


def _years(ys) -> str:
    ys = sorted(set(int(y) for y in ys))
    return f"{ys[0]}–{ys[-1]}" if len(ys) > 1 and ys[-1] - ys[0] == len(ys) - 1 else ", ".join(map(str, ys))
