"""Counts of one period's units re-expressed on another period's units.

Whole-unit merges are exact. A divided unit's households go to their successor
by village where the data carry a village column and the registry knows which
village went where; otherwise by the documented weight (area or population
share), and the successor is flagged ``estimated``. Going back in time, a
merged unit is divided among its predecessors in proportion to their
population (source ``population`` of the 2019 layer carried forward), always
flagged ``estimated``. Counts stay integers: each unit's counts are divided by
largest remainders, so every unit's total, and so every district and
province total, is kept exactly.

Examples
--------
>>> import pandas as pd
>>> from povlib.units import reexpress
>>> f = pd.DataFrame({"code": ["02056", "02059", "02074"], "households": [300, 500, 101]})
>>> out = reexpress(f, 2019, 2020)
>>> out[["code", "households", "estimated"]].to_dict("records")
[{'code': '02059', 'households': 800, 'estimated': False}, {'code': '02065', 'households': 23, 'estimated': True}, {'code': '02083', 'households': 78, 'estimated': True}]
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from .. import paths
from ..errors import PovlibInputError
from .registry import UnitKey, _step, as_date, events_between, key, load_registry, units_at

__all__ = ["Crosswalk", "crosswalk_matrix", "largest_remainder", "reexpress"]


@dataclass(frozen=True)
class Crosswalk:
    """Weights from one period's units to another's.

    Attributes
    ----------
    weights : DataFrame
        Rows: the units of ``from_date`` (index ``(code, valid_from)``); columns: the units of ``to_date``
        (same form); a cell is the share of the row unit that goes to the column unit. Rows sum to 1.
    estimated : DataFrame
        Same shape, ``True`` where the share is a weight (area, population) rather than an exact transfer.
    from_date, to_date : str
    """

    weights: pd.DataFrame
    estimated: pd.DataFrame
    from_date: str
    to_date: str


def largest_remainder(total: int, weights) -> np.ndarray:
    """``total`` divided into integers in proportion to ``weights``, summing exactly to ``total``.

    Examples
    --------
    >>> from povlib.units import largest_remainder
    >>> largest_remainder(10, [0.7743, 0.2257]).tolist(), largest_remainder(7, [1, 1, 1]).tolist()
    ([8, 2], [3, 2, 2])
    """
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.size == 0:
        return np.zeros(w.size, dtype=np.int64)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base


def nfc_key(name: str) -> str:
    """A village name as compared: NFC, stripped, case-folded."""
    return unicodedata.normalize("NFC", str(name)).strip().casefold()


@cache
def _sizes() -> dict[UnitKey, float]:
    """A population size for every unit version of the registry's Bắc Kạn chain (2019 layer, carried forward)."""
    src = pd.read_csv(paths.GEO_DIR / "bac_kan_communes.csv", dtype={paths.SOURCE_CODE_2019: str}).rename(
        columns={paths.SOURCE_CODE_2019: "commune_code"})
    sizes = {key(c, "2019-12-31"): float(p) for c, p in zip(src["commune_code"], src["source_population"],
                                                             strict=True)}
    current = dict(sizes)
    for event in events_between("2019-12-31", "9999-12-30"):
        nxt: dict[UnitKey, float] = {}
        for k, s in current.items():
            for nk, w, _ in _step(k, event):
                nxt[nk] = nxt.get(nk, 0.0) + s * w
        sizes.update(nxt)
        current = nxt
    return sizes


def _forward(k: UnitKey, start: str, end: str) -> dict[UnitKey, tuple[float, bool]]:
    current = {k: (1.0, False)}
    for event in events_between(start, end):
        nxt: dict[UnitKey, tuple[float, bool]] = {}
        for ck, (w, est) in current.items():
            for nk, nw, nest in _step(ck, event):
                ow, oest = nxt.get(nk, (0.0, False))
                nxt[nk] = (ow + w * nw, oest or est or nest)
        current = nxt
    return current


def crosswalk_matrix(from_period, to_period, within: str | None = None, *,
                     units: list[UnitKey] | None = None) -> Crosswalk:
    """The weights from the units of one period to the units of another (either direction in time).

    Parameters
    ----------
    from_period, to_period : int, str or date
        Review years (31 December) or dates.
    within : str, optional
        A district or province code (of any period) limiting the rows (see :func:`units_at`).
    units : list of UnitKey, optional
        The rows, instead of every unit in force at ``from_period`` (within ``within``).

    Examples
    --------
    >>> from povlib.units import crosswalk_matrix
    >>> m = crosswalk_matrix(2019, 2025, within="064")
    >>> m.weights.shape, bool((m.weights.sum(axis=1).round(9) == 1).all())
    ((22, 8), True)
    >>> back = crosswalk_matrix(2025, 2019, within="064")
    >>> back.weights.shape  # the 8 communes of 2025 came from 27 units of 2019 (5 outside Chợ Đồn)
    (8, 27)
    >>> back.weights.loc[("02026", "2025-07-01")].round(3)[lambda w: w > 0].tolist()  # by 2009 population
    [0.368, 0.354, 0.278]
    """
    start, end = as_date(from_period), as_date(to_period)
    rows_in = units if units is not None else [UnitKey(r.code, r.valid_from) for r in units_at(start, within).itertuples()]
    if start <= end:
        pairs = {k: _forward(k, start, end) for k in rows_in}
    else:
        sizes = _sizes()
        olds = {UnitKey(r.code, r.valid_from) for r in units_at(end).itertuples()}
        inv: dict[UnitKey, dict[UnitKey, tuple[float, bool]]] = {}
        for ok in olds:
            for nk, (w, est) in _forward(ok, end, start).items():
                inv.setdefault(nk, {})[ok] = (w * sizes.get(ok, 0.0), est)
        pairs = {}
        for k in rows_in:
            parts = inv.get(k)
            if not parts:
                raise PovlibInputError.from_key("units.no_predecessors", code=k.code, date=k.valid_from, at=end)
            tot = sum(w for w, _ in parts.values())
            several = len(parts) > 1
            pairs[k] = {ok: (w / tot if tot else 1 / len(parts), est or several) for ok, (w, est) in parts.items()}
    cols = sorted({c for d in pairs.values() for c in d})
    rows = sorted(pairs)
    idx = pd.MultiIndex.from_tuples(rows, names=["code", "valid_from"])
    cidx = pd.MultiIndex.from_tuples(cols, names=["code", "valid_from"])
    w = pd.DataFrame(0.0, index=idx, columns=cidx)
    e = pd.DataFrame(False, index=idx, columns=cidx)
    for k, d in pairs.items():
        for c, (cw, ce) in d.items():
            w.at[k, c] = cw
            e.at[k, c] = ce
    return Crosswalk(weights=w, estimated=e, from_date=start, to_date=end)


def _village_targets(k: UnitKey, event: str) -> dict[str, UnitKey] | None:
    v = load_registry().villages
    rows = v[(v["from_code"] == k.code) & (v["from_valid_from"] == k.valid_from) & (v["to_valid_from"] == event)]
    if rows.empty:
        return None
    return {nfc_key(r.village) if r.village != "*" else "*": UnitKey(r.to_code, r.to_valid_from)
            for r in rows.itertuples()}


def reexpress(frame: pd.DataFrame, from_period, to_period, *, code: str = "code",
              village: str = "village") -> pd.DataFrame:
    """Per-unit counts of one period re-expressed on another period's units.

    Parameters
    ----------
    frame : DataFrame
        One row per unit (or per unit and village): a ``code`` column of units in force at
        ``from_period``, an optional ``village`` column, and integer count columns (households,
        people, each status…): every other numeric column.
    from_period, to_period : int, str or date
        The periods of the input codes and of the output units.

    Returns
    -------
    DataFrame
        ``code``, ``valid_from``, ``name``, the count columns (integers, summed exactly), and
        ``estimated``: ``True`` for a unit that received a weighted share of another.

    Raises
    ------
    PovlibInputError
        If ``code`` is missing or a code was not in force at ``from_period``.

    Examples
    --------
    >>> import pandas as pd
    >>> from povlib.units import reexpress
    >>> f = pd.DataFrame({"code": ["02155"] * 3, "village": ["Nà Sang", "Nà Khun", "Bản Khác"],
    ...                   "households": [40, 30, 200]})
    >>> reexpress(f, 2019, 2020)[["code", "name", "households", "estimated"]].to_dict("records")
    [{'code': '02152', 'name': 'Xã Cường Lợi', 'households': 70, 'estimated': False}, {'code': '02155', 'name': 'Thị trấn Yến Lạc', 'households': 200, 'estimated': False}]
    """
    if code not in frame.columns:
        raise PovlibInputError.from_key("units.lacks_code_column", column=code)
    start, end = as_date(from_period), as_date(to_period)
    counts = [c for c in frame.columns if c not in (code, village) and pd.api.types.is_numeric_dtype(frame[c])]
    bad = []
    keys = []
    for c in frame[code].astype(str):
        try:
            keys.append(key(c, start))
        except PovlibInputError:
            bad.append(c)
    if bad:
        raise PovlibInputError.from_key("units.codes_not_at", codes=", ".join(sorted(set(bad))[:10]), date=start,
                                        column=code, rows=sorted(set(bad))[:10])
    has_village = village in frame.columns
    work = pd.DataFrame({"key": keys, "village": frame[village].astype(str).to_numpy() if has_village else "",
                         "estimated": False})
    for c in counts:
        work[c] = frame[c].to_numpy()
    integer = {c: pd.api.types.is_integer_dtype(frame[c]) for c in counts}

    def split(rows: pd.DataFrame, targets: dict[UnitKey, tuple[float, bool]]) -> list[dict]:
        out = []
        tk = list(targets)
        ws = [targets[t][0] for t in tk]
        for r in rows.itertuples(index=False):
            parts = {c: (largest_remainder(int(getattr(r, c)), ws) if integer[c] else
                         np.asarray(ws) * getattr(r, c)) for c in counts}
            for i, t in enumerate(tk):
                out.append({"key": t, "village": r.village, "estimated": r.estimated or targets[t][1],
                            **{c: parts[c][i] for c in counts}})
        return out

    if start <= end:
        for event in events_between(start, end):
            new_rows: list[dict] = []
            for k, g in work.groupby("key", sort=False):
                steps = _step(k, event)
                if len(steps) == 1:
                    g = g.assign(key=[steps[0][0]] * len(g), estimated=g["estimated"] | steps[0][2])
                    new_rows.extend(g.to_dict("records"))
                    continue
                vt = _village_targets(k, event) if has_village else None
                if vt is not None:
                    dest = [vt.get(nfc_key(v), vt.get("*")) for v in g["village"]]
                    if all(d is not None for d in dest):
                        new_rows.extend(g.assign(key=dest).to_dict("records"))
                        continue
                new_rows.extend(split(g, {nk: (w, est) for nk, w, est in steps}))
            work = pd.DataFrame(new_rows, columns=work.columns)
    else:
        m = crosswalk_matrix(start, end, units=sorted(set(work["key"])))
        new_rows = []
        for k, g in work.groupby("key", sort=False):
            row = m.weights.loc[k]
            est = m.estimated.loc[k]
            targets = {UnitKey(*c): (float(w), bool(est[c])) for c, w in row.items() if w > 0}
            new_rows.extend(split(g, targets))
        work = pd.DataFrame(new_rows, columns=work.columns)
    agg = work.groupby("key", sort=True).agg({**{c: "sum" for c in counts}, "estimated": "any"})
    units = load_registry().units
    out = pd.DataFrame({
        "code": [k.code for k in agg.index],
        "valid_from": [k.valid_from for k in agg.index],
        "name": [units.at[k, "name"] for k in agg.index],
    })
    for c in counts:
        vals = agg[c].to_numpy()
        out[c] = vals.astype(np.int64) if integer[c] else vals
    out["estimated"] = agg["estimated"].to_numpy().astype(bool)
    out.attrs.update(from_date=start, to_date=end)
    return out
