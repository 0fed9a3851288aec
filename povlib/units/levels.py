"""A level of units in a review year's rows: a clear error when the year has none of them.

From 1 July 2025 Vietnam has no districts (``docs/poverty-rules.md`` §7): the rows of a later review
carry no ``district_code``. A table *by district* of such a year is refused with a sentence naming
the year, never computed on no groups (grouping drops the missing codes and pandas then fails on an
empty result, or a view shows nothing without saying why).

Examples
--------
>>> import pandas as pd
>>> from povlib.units.levels import need_level_codes
>>> rows = pd.DataFrame({"commune_code": ["02023"], "district_code": [None]})
>>> need_level_codes(rows, "commune_code", 2026)
>>> need_level_codes(rows, "district_code", 2026)
Traceback (most recent call last):
...
povlib.errors.PovlibInputError: Năm 2026 không còn cấp huyện (từ 01/07/2025 không tổ chức đơn vị hành chính cấp huyện): hãy xem theo xã.
"""
from __future__ import annotations

import pandas as pd

from ..errors import PovlibInputError

__all__ = ["need_level_codes"]


def need_level_codes(rows: pd.DataFrame, code_col: str, year: int) -> None:
    """Refuse a table by ``code_col`` of ``year`` when its rows hold no code in that column.

    Parameters
    ----------
    rows : DataFrame
        The rows the table is computed on (one review year). No rows: nothing to refuse (an empty
        selection is the caller's message).
    code_col : str
        The level's code column, ``'commune_code'`` or ``'district_code'``.
    year : int
        The review year, named in the message.

    Raises
    ------
    PovlibInputError
        ``units.no_districts`` when rows exist and none has a ``district_code`` (a year after the
        2025 reform); ``geo.lacks_column`` when the column is missing.
    """
    if rows.empty:
        return
    if code_col not in rows.columns:
        raise PovlibInputError.from_key("geo.lacks_column", col=code_col, column=code_col)
    if rows[code_col].isna().all():
        key = "units.no_districts" if code_col == "district_code" else "units.no_codes"
        raise PovlibInputError.from_key(key, year=int(year), col=code_col, column=code_col)
