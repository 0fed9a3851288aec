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

from ..errors import PovlibInputError
from ..i18n import t
from ..units import UnitKey, as_date, load_registry, predecessors, successors

__all__ = ["code_elsewhere", "dmy"]


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
