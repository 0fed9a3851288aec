"""The communes a review file may name: the units in force at the end of each row's review year.

A household row of review year Y names its commune by the code in force on
31/12/Y (:func:`povlib.units.units_at`): the 2019 list of Bắc Kạn up to the
2019 reviews, the 108 units of Bắc Kạn after the 2020 reform, the 3,321
communes of the whole country after 01/07/2025. :func:`commune_units` gives
those units per year with the names and parents the store records;
:func:`check_commune_codes` refuses a code not in force that year, saying
when the code was in force and what became of it (an old code in a new year
names its successors, a new code in an old year names the units it came
from). Codes are never compared across periods: a code means nothing without
its year (codes were reused by the reforms).

Examples
--------
>>> u = commune_units([2019, 2026])
>>> u[u["commune_code"] == "02020"][["year", "full_name", "district_code"]].values.tolist()
[[2019, 'Thị trấn Bằng Lũng', '064'], [2026, 'Xã Chợ Đồn', <NA>]]
>>> expired_text("02023", 2026)[0]
'Xã Xuân Lạc: 01/01/2016 – 30/06/2025'
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import units as _units
from ..i18n import fmt_pct, t
from . import schema as _schema
from .problems import Problems
from .read import RawTable

__all__ = ["UNIT_COLUMNS", "check_commune_codes", "codes_in_force", "commune_units", "expired_text", "unit_of_row"]

#: Columns of :func:`commune_units`.
UNIT_COLUMNS = ["year", "commune_code", "full_name", "name_vi", "district_code", "district_name", "province_code"]


@lru_cache(maxsize=32)
def _units_of_year(year: int) -> pd.DataFrame:
    reg = _units.load_registry().units
    u = _units.units_at(int(year))
    short = [n[len(t):].strip() if n.startswith(t) else n for n, t in zip(u["name"], u["unit_type"], strict=True)]
    districts = reg[reg["level"] == "district"]
    day = _units.as_date(int(year))
    live = districts[(districts["valid_from"] <= day) & (districts["valid_to"] >= day)]
    dname = live.set_index("code")["name"]
    out = pd.DataFrame({
        "year": int(year),
        "commune_code": u["code"].to_numpy(),
        "full_name": u["name"].to_numpy(),
        "name_vi": short,
        "district_code": u["district_code"].replace("", pd.NA).to_numpy(),
        "province_code": u["province_code"].to_numpy(),
    })
    out["district_name"] = out["district_code"].map(dname)
    return out.astype({c: "string" for c in UNIT_COLUMNS if c != "year"})[UNIT_COLUMNS]


def commune_units(years) -> pd.DataFrame:
    """The commune-level units in force on 31/12 of each year (:data:`UNIT_COLUMNS`; no district after 2025).

    >>> commune_units([2019, 2020, 2026]).groupby("year").size().tolist()
    [122, 108, 3321]
    """
    ys = sorted({int(y) for y in years})
    if not ys:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "year" else "string") for c in UNIT_COLUMNS})
    return pd.concat([_units_of_year(y) for y in ys], ignore_index=True)


def _dmy(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def _span(row) -> str:
    end = "" if row.valid_to == _units.registry.OPEN_END else _dmy(row.valid_to)
    return f"{row.name}: {_dmy(row.valid_from)} – {end}".rstrip()


def _named(weights: dict, lang: str) -> str:
    """``Xã Nam Cường (02026)``; a unit that took only part of the other one gets its share."""
    reg = _units.load_registry().units
    parts = []
    for k, w in sorted(weights.items(), key=lambda kv: -kv[1]):
        share = "" if abs(w - 1.0) < 1e-9 else f", {fmt_pct(w, lang)}"
        parts.append(f"{reg.at[tuple(k), 'name']} ({k.code}{share})")
    return "; ".join(parts) if parts else t("intake.units_outside_registry", lang)


def expired_text(code: str, year: int, lang: str = "vi") -> tuple[str, str, str] | None:
    """Why ``code`` is not a commune in ``year``: (its periods, the date things changed, the units it relates to).

    Returns None for a code the registry never knew. A code whose last version ended before the year
    names its successors in force that year; a code that only came into force after the year names
    the units it came from.

    >>> expired_text("02023", 2026)
    ('Xã Xuân Lạc: 01/01/2016 – 30/06/2025', '01/07/2025', 'Xã Nam Cường (02026)')
    >>> expired_text("02074", 2020)[2]
    'Xã Yên Phong (02083, 77,43 %); Xã Bằng Lãng (02065, 22,57 %)'
    >>> expired_text("00004", 2019)
    ('Phường Ba Đình: 01/07/2025 –', '01/07/2025', 'đơn vị không có trong danh mục của năm đó')
    >>> expired_text("99999", 2019) is None
    True
    """
    reg = _units.load_registry().units
    if code not in reg.index.get_level_values(0):
        return None
    rows = reg.loc[[code]].reset_index(drop=True)
    rows = rows[rows["level"] == "commune"].sort_values("valid_from")
    if rows.empty:
        return None
    day = _units.as_date(int(year))
    spans = "; ".join(_span(r) for r in rows.itertuples())
    before = rows[rows["valid_to"] < day]
    if len(before):  # an old code: what it became
        last = before.iloc[-1]
        k = _units.UnitKey(code, last["valid_from"])
        end = dt.date.fromisoformat(last["valid_to"]) + dt.timedelta(days=1)
        return spans, end.strftime("%d/%m/%Y"), _named(_units.successors(k, int(year)), lang)
    first = rows.iloc[0]  # a code of a later period: what it came from
    k = _units.UnitKey(code, first["valid_from"])
    return spans, _dmy(first["valid_from"]), _named(_units.predecessors(k, int(year)), lang)


def check_commune_codes(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
                        problems: Problems, codes: frozenset[str] | None = None) -> np.ndarray:
    """Rows whose commune code is not a commune in force on 31/12 of the row's review year.

    Parameters
    ----------
    codes : frozenset of str, optional
        Narrow the accepted codes further (e.g. to a user's communes); they must still be in force.

    Returns
    -------
    ndarray of bool
        Rows refused. An old code in a later year (``commune_code_expired``) names its successors,
        a later code in an earlier year (``commune_code_not_yet``) the units it came from, any other
        code is ``unknown_commune``.
    """
    bad = np.zeros(len(typed), dtype=bool)
    if not {"commune_code", "year"} <= set(typed.columns):
        return bad
    # codes of another form and years out of range are reported by the value checks already
    year_spec = next(s for s in _schema.columns("household") if s.name == "year")
    have = (typed["commune_code"].astype("string").str.fullmatch(r"\d{5}").fillna(False)
            & typed["year"].between(year_spec.min, year_spec.max).fillna(False)).to_numpy(dtype=bool)
    if not have.any():
        return bad
    pairs = pd.DataFrame({"commune_code": typed["commune_code"].astype("string"),
                          "year": typed["year"].astype("Int64")})
    units = commune_units(pairs.loc[have, "year"].unique())[["year", "commune_code"]].assign(_ok=True)
    units["year"] = units["year"].astype("Int64")
    if codes is not None:
        units = units[units["commune_code"].isin(sorted(codes))]
    ok = pairs.merge(units, on=["year", "commune_code"], how="left")["_ok"].fillna(False).to_numpy(dtype=bool)
    off = have & ~ok
    if not off.any():
        return bad
    col = header_of["commune_code"]
    codes_shown = shown["commune_code"].to_numpy() if "commune_code" in shown else pairs["commune_code"].to_numpy()
    for (code, year), g in pairs[off].groupby(["commune_code", "year"], sort=True):
        idx = g.index.to_numpy()
        why = expired_text(str(code), int(year))
        reg_rows = None if why is None else _units.load_registry().units.loc[[str(code)]]
        if why is None or (codes is not None and str(code) in codes_in_force(int(year))):
            problems.add_many(raw.name, raw.rows[idx], col, "unknown_commune", codes_shown[idx], year=int(year))
        elif (reg_rows["valid_to"] < _units.as_date(int(year))).any():
            problems.add_many(raw.name, raw.rows[idx], col, "commune_code_expired", codes_shown[idx],
                              year=int(year), spans=why[0], date=why[1], successors=why[2])
        else:
            problems.add_many(raw.name, raw.rows[idx], col, "commune_code_not_yet", codes_shown[idx],
                              year=int(year), spans=why[0], date=why[1], predecessors=why[2])
        bad[idx] = True
    return bad


def unit_of_row(typed: pd.DataFrame) -> pd.DataFrame:
    """Each row's commune as in force on 31/12 of its year (:data:`UNIT_COLUMNS`, row order; NA when not in force).

    >>> rows = pd.DataFrame({"commune_code": ["02023", "02023", "02026"], "year": [2019, 2026, 2026]})
    >>> unit_of_row(rows)["full_name"].tolist()
    ['Xã Xuân Lạc', <NA>, 'Xã Nam Cường']
    """
    pairs = pd.DataFrame({"commune_code": typed["commune_code"].astype("string"),
                          "year": typed["year"].astype("Int64")})
    units = commune_units(pairs["year"].dropna().unique())
    units["year"] = units["year"].astype("Int64")
    return pairs.merge(units, on=["year", "commune_code"], how="left")


def codes_in_force(year: int) -> frozenset[str]:
    """Commune codes in force on 31/12 of ``year``.

    >>> "02023" in codes_in_force(2019), "02023" in codes_in_force(2026)
    (True, False)
    """
    return frozenset(_units_of_year(int(year))["commune_code"])
