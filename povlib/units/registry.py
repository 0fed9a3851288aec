"""The dated unit registry: which units were in force when, and how they became one another.

A unit is keyed by :class:`UnitKey` ``(code, valid_from)``, never by a code alone:
codes were reused after the 2020 and 2025 reforms (``02083`` was Xã Yên Nhuận,
then Xã Yên Phong from 01/02/2020, then the larger new Xã Yên Phong from
01/07/2025). The data are ``data/units/`` (see its README): unit versions with
their validity, and crosswalk rows per legal act.

A *period* is a date, or a review year meaning the units in force on
31 December of that year (the reviews close at the end of the year).

Examples
--------
>>> from povlib.units import units_at, successors, UnitKey
>>> [len(units_at(y, within="064")) for y in (2019, 2020, 2025)]
[22, 20, 8]
>>> [len(units_at(y, within="06")) for y in (2019, 2020, 2025)]
[122, 108, 37]
>>> successors(UnitKey("02056", "2016-01-01"), 2020)
{UnitKey(code='02059', valid_from='2020-02-01'): 1.0}
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import pandas as pd

from .. import paths
from ..errors import PovlibInputError

__all__ = ["UnitKey", "Registry", "load_registry", "as_date", "key", "units_at", "successors", "predecessors",
           "events_between"]

#: the unit files and crosswalk files of data/units/, read together
UNIT_FILES = ("units_bac_kan.csv", "units_QD19_2025_TTg.csv")
CROSSWALK_FILES = ("crosswalk_NQ855_UBTVQH14.csv", "crosswalk_NQ722_UBTVQH15.csv", "crosswalk_NQ1683_UBTVQH15.csv")
VILLAGE_FILES = ("villages_NQ855_UBTVQH14.csv",)
#: the open end of a unit still in force
OPEN_END = "9999-12-31"


class UnitKey(NamedTuple):
    """A unit version: its code and the date it came into force (ISO text).

    Examples
    --------
    >>> UnitKey("02083", "2020-02-01")
    UnitKey(code='02083', valid_from='2020-02-01')
    """

    code: str
    valid_from: str


@dataclass(frozen=True)
class Registry:
    """The registry's tables.

    Attributes
    ----------
    units : DataFrame
        One row per unit version (``code``, ``valid_from``, ``valid_to`` – ``9999-12-31`` when open –,
        ``name``, ``unit_type``, ``level``, ``district_code``, ``province_code``, ``former_district_codes``,
        ``former_province_codes``, ``source_act``, ``confirmed``), indexed by ``(code, valid_from)``.
    crosswalk : DataFrame
        One row per (old unit, new unit) pair of a change, ``weight`` as float, ``confirmed`` as bool.
    villages : DataFrame
        Which village of a split unit went where (``village`` ``*`` = every village not named).
    """

    units: pd.DataFrame
    crosswalk: pd.DataFrame
    villages: pd.DataFrame


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.DATA_DIR / "units" / name, dtype=str, keep_default_na=False)


@cache
def load_registry() -> Registry:
    """The registry read from ``data/units/`` (once per process).

    Examples
    --------
    >>> from povlib.units import load_registry
    >>> reg = load_registry()
    >>> reg.units.loc[("02083", "2020-02-01"), "name"]
    'Xã Yên Phong'
    """
    units = pd.concat([_read(f) for f in UNIT_FILES], ignore_index=True)
    units["valid_to"] = units["valid_to"].replace("", OPEN_END)
    units["confirmed"] = units["confirmed"].eq("true")
    units = units.set_index(["code", "valid_from"], drop=False).sort_index()
    xw = pd.concat([_read(f) for f in CROSSWALK_FILES], ignore_index=True)
    xw["weight"] = xw["weight"].astype(float)
    xw["confirmed"] = xw["confirmed"].eq("true")
    villages = pd.concat([_read(f) for f in VILLAGE_FILES], ignore_index=True)
    return Registry(units=units, crosswalk=xw, villages=villages)


def as_date(when) -> str:
    """A period as an ISO date: a review year is its 31 December.

    Examples
    --------
    >>> from povlib.units import as_date
    >>> as_date(2019), as_date("2025-07-01"), as_date(dt.date(2020, 2, 1))
    ('2019-12-31', '2025-07-01', '2020-02-01')
    """
    if isinstance(when, bool):
        raise PovlibInputError.from_key("units.bad_period", period=repr(when))
    if isinstance(when, int):
        return f"{when:04d}-12-31"
    if isinstance(when, dt.datetime):
        return when.date().isoformat()
    if isinstance(when, dt.date):
        return when.isoformat()
    if isinstance(when, str):
        try:
            return dt.date.fromisoformat(when).isoformat()
        except ValueError:
            if when.isdigit() and len(when) == 4:
                return f"{when}-12-31"
    raise PovlibInputError.from_key("units.bad_period", period=repr(when))


def key(code, when) -> UnitKey:
    """The unit with this code in force at ``when`` (a code means nothing without its period).

    Raises
    ------
    PovlibInputError
        If no unit had this code then; the message names the periods the code was in use.

    Examples
    --------
    >>> from povlib.units import key
    >>> key("02083", 2019), key("02083", 2021)
    (UnitKey(code='02083', valid_from='2016-01-01'), UnitKey(code='02083', valid_from='2020-02-01'))
    """
    return _key(str(code), as_date(when))


@cache
def _key(code: str, day: str) -> UnitKey:
    """:func:`key` on a normalised code and ISO date (cached: the registry is read once per process)."""
    spans_of = _spans().get(code)
    if spans_of is not None:
        live = [f for f, to in spans_of if f <= day <= to]
        if len(live) == 1:
            return UnitKey(code, live[0])
        rows = load_registry().units.loc[code]
        spans = "; ".join(f"{r.name} ({r.valid_from} – {'' if r.valid_to == OPEN_END else r.valid_to})"
                          for r in rows.itertuples())
        raise PovlibInputError.from_key("units.code_not_at", code=code, date=day, spans=spans)
    raise PovlibInputError.from_key("units.unknown_code", code=code)


@cache
def _spans() -> dict[str, tuple[tuple[str, str], ...]]:
    """Code -> the (valid_from, valid_to) of every unit that bore it (a dict: lookups without pandas)."""
    u = load_registry().units
    out: dict[str, list[tuple[str, str]]] = {}
    for c, f, to in zip(u["code"], u["valid_from"], u["valid_to"]):
        out.setdefault(str(c), []).append((str(f), str(to)))
    return {c: tuple(v) for c, v in out.items()}


def _as_key(unit) -> UnitKey:
    if isinstance(unit, UnitKey):
        return unit
    if isinstance(unit, tuple) and len(unit) == 2:
        return UnitKey(str(unit[0]), as_date(unit[1]))
    raise PovlibInputError.from_key("units.code_without_period", code=repr(unit))


def units_at(when, within: str | None = None, *, level: str = "commune") -> pd.DataFrame:
    """The units in force at a date (or at the end of a review year).

    Parameters
    ----------
    when : int, str or date
        A review year (its 31 December) or a date.
    within : str, optional
        A district or province code, of any period: after 2025 a former district or the former
        province is matched through each unit's ``former_*_codes`` (a historical grouping).
    level : {'commune', 'district', 'province'}

    Returns
    -------
    DataFrame
        Rows of :attr:`Registry.units`, sorted by code.

    Examples
    --------
    >>> from povlib.units import units_at
    >>> units_at("2025-07-01", within="064").name.tolist()[:3]
    ['Xã Đồng Phúc', 'Xã Bạch Thông', 'Xã Chợ Đồn']
    >>> len(units_at("2025-07-01")), len(units_at(2025, level="province"))
    (3321, 34)
    """
    day = as_date(when)
    u = load_registry().units
    out = u[(u["level"] == level) & (u["valid_from"] <= day) & (u["valid_to"] >= day)]
    if within is not None:
        w = str(within)
        former = out["former_district_codes"].str.split(";") + out["former_province_codes"].str.split(";")
        out = out[(out["district_code"] == w) | (out["province_code"] == w) | former.map(lambda s: w in s)]
    return out.reset_index(drop=True)


@cache
def province_names() -> dict[str, str]:
    """Province code -> name, every province of the registry (a code keeps its latest name).

    >>> province_names()["06"], province_names()["19"]
    ('Tỉnh Bắc Kạn', 'Tỉnh Thái Nguyên')
    """
    u = load_registry().units
    prov = u[(u["level"] == "province").to_numpy()].sort_index(level="valid_from")
    return dict(zip(prov["code"].astype(str), prov["name"].astype(str)))


def district_names() -> dict[str, str]:
    """District code -> name, every district of the registry (the districts were abolished on 01/07/2025).

    >>> district_names()["064"]
    'Huyện Chợ Đồn'
    """
    u = load_registry().units
    d = u[(u["level"] == "district").to_numpy()].sort_index(level="valid_from")
    return dict(zip(d["code"].astype(str), d["name"].astype(str)))


def events_between(start: str, end: str) -> list[str]:
    """The dates on which units changed, after ``start`` and up to ``end`` (ISO dates, sorted).

    Examples
    --------
    >>> from povlib.units import events_between
    >>> events_between("2019-12-31", "2025-12-31")
    ['2020-02-01', '2023-04-10', '2025-07-01']
    """
    return [d for d in _events() if start < d <= end]


@cache
def _steps() -> dict[tuple[str, UnitKey], list[tuple[UnitKey, float, bool]]]:
    """The crosswalk as ``{(change date, old unit): [(new unit, weight, estimated)]}``."""
    out: dict[tuple[str, UnitKey], list[tuple[UnitKey, float, bool]]] = {}
    for r in load_registry().crosswalk.itertuples():
        out.setdefault((r.effective, UnitKey(r.from_code, r.from_valid_from)), []).append(
            (UnitKey(r.to_code, r.to_valid_from), float(r.weight), r.weight_basis != "whole"))
    return out


def _step(k: UnitKey, event: str) -> list[tuple[UnitKey, float, bool]]:
    """Where one unit goes on one change date: ``[(new key, weight, estimated)]``."""
    return _steps().get((event, k), [(k, 1.0, False)])


@cache
def _events() -> tuple[str, ...]:
    return tuple(sorted(set(load_registry().crosswalk["effective"])))


def same_unit(code: str, year: int, other_year: int) -> bool:
    """Whether ``code`` names the same unit in ``year`` and in ``other_year`` (codes were reused across the
    2020 and 2025 reforms: a code means a unit only with its period).

    >>> from povlib.units import same_unit
    >>> same_unit("02035", 2016, 2019), same_unit("02020", 2019, 2026), same_unit("99999", 2019, 2019)
    (True, False, False)
    """
    try:
        return key(code, int(year)) == key(code, int(other_year))
    except PovlibInputError:  # not a unit of one of the years (or unknown)
        return False


def successors(unit, to_date) -> dict[UnitKey, float]:
    """The units a unit became by ``to_date``, with the share of it each one took.

    Parameters
    ----------
    unit : UnitKey or (code, period)
        The unit, always with its period: a bare code is refused.
    to_date : int, str or date
        The later period.

    Examples
    --------
    >>> from povlib.units import successors, UnitKey
    >>> {k.code: w for k, w in successors(("02074", 2019), 2020).items()}
    {'02083': 0.7743, '02065': 0.2257}
    >>> successors("02074", 2020)
    Traceback (most recent call last):
    ...
    povlib.errors.PovlibInputError: Mã đơn vị '02074' thiếu thời kỳ: cùng một mã đã được dùng cho các đơn vị khác nhau qua các lần sắp xếp; hãy ghi kèm ngày hoặc năm
    """
    k = _as_key(unit)
    return dict(_successors(key(k.code, k.valid_from), as_date(to_date)))


@cache
def _successors(k: UnitKey, day: str) -> tuple[tuple[UnitKey, float], ...]:
    """:func:`successors` of a resolved unit at an ISO date (cached, as the registry is read once)."""
    current = {k: 1.0}
    for event in events_between(k.valid_from, day):
        nxt: dict[UnitKey, float] = {}
        for ck, w in current.items():
            for nk, nw, _ in _step(ck, event):
                nxt[nk] = nxt.get(nk, 0.0) + w * nw
        current = nxt
    return tuple(current.items())


def predecessors(unit, at) -> dict[UnitKey, float]:
    """The units in force at ``at`` that a unit came from, with the share of each that went into it.

    Examples
    --------
    >>> from povlib.units import predecessors, UnitKey
    >>> sorted(k.code for k in predecessors(UnitKey("02083", "2025-07-01"), 2019))
    ['02068', '02074', '02077', '02083']
    >>> round(predecessors(UnitKey("02083", "2025-07-01"), 2019)[UnitKey("02074", "2016-01-01")], 4)
    0.7743
    """
    k = _as_key(unit)
    k = key(k.code, k.valid_from)
    level = load_registry().units.at[k, "level"]
    return dict(_came_from(as_date(at), k.valid_from, level).get(k, ()))


@cache
def _came_from(day: str, to_day: str, level: str) -> dict[UnitKey, tuple[tuple[UnitKey, float], ...]]:
    """For every unit in force at ``to_day``: the units in force at ``day`` that went into it, with their
    shares (the successors of every unit of ``day``, inverted once and cached)."""
    out: dict[UnitKey, list[tuple[UnitKey, float]]] = {}
    for r in units_at(day, level=level).itertuples():
        src = UnitKey(r.code, r.valid_from)
        for dst, w in _successors(src, to_day):
            if w > 0:
                out.setdefault(dst, []).append((src, w))
    return {k: tuple(v) for k, v in out.items()}
