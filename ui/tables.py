"""Tables as pages show them: numbers written the Vietnamese way (povlib.i18n) and right-aligned.

Streamlit's own number formats follow the browser's locale, not the page's language; the pages write
numbers with :mod:`povlib.i18n` (``1.234.567``, ``15,86``) and right-align those columns here.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from povlib.i18n import fmt_int, fmt_num


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def formatted(df: pd.DataFrame, lang: str, *, money: Iterable[str] = (), ints: Iterable[str] = (),
              decimals: Iterable[str] = (), digits: int = 2, unknown: str | None = None) -> pd.DataFrame:
    """``df`` with its number columns written as text: ``money`` whole VND grouped by thousands (the
    header names the unit; ``unknown`` for a missing amount), ``ints`` grouped by thousands, ``decimals``
    with ``digits`` decimals.

    Examples
    --------
    >>> formatted(pd.DataFrame({"a": [1234567], "b": [None]}), "vi", ints=["a"], money=["b"], unknown="?").iloc[0].tolist()
    ['1.234.567', '?']
    """
    out = df.copy()
    gap = unknown if unknown is not None else "–"
    for c in money:
        out[c] = [gap if _missing(v) else fmt_int(v, lang) for v in out[c]]
    for c in ints:
        out[c] = ["–" if _missing(v) else fmt_int(v, lang) for v in out[c]]
    for c in decimals:
        out[c] = ["–" if _missing(v) else fmt_num(v, lang, digits) for v in out[c]]
    return out


def right_aligned(columns: Iterable[str]) -> dict:
    """``column_config`` that right-aligns ``columns`` (numbers written as text)."""
    return {c: st.column_config.Column(alignment="right") for c in columns}


def show(df: pd.DataFrame, lang: str, *, money: Iterable[str] = (), ints: Iterable[str] = (),
         decimals: Iterable[str] = (), text_numbers: Iterable[str] = (), digits: int = 2,
         unknown: str | None = None, column_order: list[str] | None = None, **kwargs) -> None:
    """``st.dataframe`` of ``df`` with its numbers formatted (see :func:`formatted`) and right-aligned;
    ``text_numbers`` are columns already written as numbers (percentages) to right-align too."""
    money, ints, decimals, text_numbers = list(money), list(ints), list(decimals), list(text_numbers)
    shown = formatted(df, lang, money=money, ints=ints, decimals=decimals, digits=digits,
                      unknown=unknown)
    kwargs.setdefault("hide_index", True)
    st.dataframe(shown, column_config=right_aligned(money + ints + decimals + text_numbers),
                 column_order=column_order, **kwargs)
