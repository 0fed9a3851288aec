"""Ordering names as Vietnamese readers do – the one place that sorts names.

Vietnamese dictionary order is not the order of Unicode code points: the
letters run ``a ă â b c d đ e ê … i … o ô ơ … u ư …``, the tone marks only
break ties, and readers expect ``Tổ 2`` before ``Tổ 11``. Rather than a
hand-written key this uses ICU's Vietnamese collation (CLDR rules, through
PyICU) with ICU's numeric collation switched on (digit runs compare as
numbers). English pages sort the same names the same way: they are
Vietnamese names.

* :func:`vi_key` – sort keys of a Series, for ``sort_values(key=vi_key)``;
* :func:`sort_key` – the key of one name, for ``sorted(..., key=sort_key)``;
* :func:`vi_sorted` – names in order;
* :func:`sort_frame` – a table sorted by some columns, the text ones in
  Vietnamese order (stable).

Examples
--------
>>> import pandas as pd
>>> from povlib.sorting import sort_frame, vi_key, vi_sorted
>>> vi_sorted(["Bình Trung", "Đồng Lạc", "Bằng Lãng", "Dương Quang", "Bản Thi"])
['Bản Thi', 'Bằng Lãng', 'Bình Trung', 'Dương Quang', 'Đồng Lạc']
>>> s = pd.Series(["Tổ 11", "Tổ 2", "Bản Nà"])
>>> s.sort_values(key=vi_key).tolist()
['Bản Nà', 'Tổ 2', 'Tổ 11']
>>> df = pd.DataFrame({"rate": [0.2, 0.5, 0.2], "name": ["Yên Thượng", "Ân Tình", "Yên Thịnh"]})
>>> sort_frame(df, ["rate", "name"], ascending=[False, True])["name"].tolist()
['Ân Tình', 'Yên Thịnh', 'Yên Thượng']
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import icu
import numpy as np
import pandas as pd

__all__ = ["sort_key", "vi_key", "vi_sorted", "sort_frame", "sums_by"]


@lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    """ICU's Vietnamese collator with numeric ordering of digit runs ('Tổ 2' < 'Tổ 11')."""
    c = icu.Collator.createInstance(icu.Locale("vi_VN"))
    c.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return c


def sort_key(name: object) -> bytes:
    """The ICU sort key of one name (missing values sort first, as empty text).

    Parameters
    ----------
    name : object
        A name; anything else is compared by its text.

    Returns
    -------
    bytes
        Keys compare (``<``) as the names do in Vietnamese dictionary order.

    Examples
    --------
    >>> sorted(["E", "Đ", "D"], key=sort_key)
    ['D', 'Đ', 'E']
    >>> sort_key("Tổ 2") < sort_key("Tổ 11")
    True
    """
    if name is None or (isinstance(name, float) and name != name) or name is pd.NA:
        return b""
    return _collator().getSortKey(unicodedata.normalize("NFC", str(name)))


def vi_key(s: pd.Series | pd.Index) -> pd.Series | pd.Index:
    """Sort keys of names, for ``Series.sort_values(key=vi_key)`` or ``DataFrame.sort_index(key=vi_key)``.

    Parameters
    ----------
    s : Series or Index
        Names (any dtype; missing values sort first, as empty text).

    Returns
    -------
    Series or Index
        ``bytes`` keys (object dtype), same index as ``s`` (an Index for an
        Index); each distinct name is collated once.

    Examples
    --------
    >>> import pandas as pd
    >>> pd.Series(["Đinh", "Dương", "An", "Ăng"]).sort_values(key=vi_key).tolist()
    ['An', 'Ăng', 'Dương', 'Đinh']
    >>> pd.DataFrame({"x": [1, 2]}, index=["Tổ 11", "Tổ 2"]).sort_index(key=vi_key).index.tolist()
    ['Tổ 2', 'Tổ 11']
    """
    vals = np.asarray(s, dtype=object)
    inv, uniq = pd.factorize(pd.Series(vals, dtype=object), use_na_sentinel=True)
    keys = np.array([sort_key(u) for u in uniq] + [b""], dtype=object)
    if isinstance(s, pd.Index):  # DataFrame.sort_index(key=vi_key) passes the index itself
        return pd.Index(keys[inv], name=s.name, dtype=object)
    return pd.Series(keys[inv], index=s.index, name=s.name, dtype=object)


def vi_sorted(names: Iterable[object]) -> list:
    """Names in Vietnamese dictionary order (stable: equal keys keep their order).

    Examples
    --------
    >>> vi_sorted(["Tổ 11", "Tổ 2", "Nà Pục"])
    ['Nà Pục', 'Tổ 2', 'Tổ 11']
    """
    return sorted(names, key=sort_key)


def sort_frame(df: pd.DataFrame, by: Sequence[str], *, ascending: bool | Sequence[bool] = True,
               text: Sequence[str] | None = None) -> pd.DataFrame:
    """``df`` sorted by ``by`` (stable), the text columns in Vietnamese order.

    Parameters
    ----------
    df : DataFrame
    by : sequence of str
        Columns to sort by, most significant first.
    ascending : bool or sequence of bool
        As in :meth:`pandas.DataFrame.sort_values`.
    text : sequence of str, optional
        Columns collated as Vietnamese names; default: every column of ``by``
        whose dtype is not numeric.

    Returns
    -------
    DataFrame
        Same rows and index, in order.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"code": ["2", "1", "3"], "name": ["Đa", "Da", "Dê"]})
    >>> sort_frame(d, ["name"])["code"].tolist()
    ['1', '3', '2']
    """
    by = list(by)
    if text is None:
        text = [c for c in by if not pd.api.types.is_numeric_dtype(df[c])]
    txt = set(text)
    return df.sort_values(by, ascending=ascending, kind="stable",
                          key=lambda col: vi_key(col) if col.name in txt else col)


def sums_by(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The column sums of ``frame`` per group of ``by``, units in Vietnamese dictionary order.

    Rows are sorted by the ``*_name`` columns of ``by`` (collated as Vietnamese names), then by every
    column of ``by``; where ``by`` has no name column, by ``by`` as pandas sorts it. With no ``by``: one row
    of the sums of every column.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"commune_name": ["Đa", "Da", "Đa"], "households": [1, 2, 3]})
    >>> sums_by(d, ["commune_name"]).values.tolist()
    [['Da', 2], ['Đa', 4]]
    >>> sums_by(d[["households"]], []).values.tolist()
    [[6]]
    """
    by = list(by)
    if not by:
        return frame.sum().to_frame().T
    g = frame.groupby(by, sort=True).sum().reset_index()
    names = [c for c in by if c.endswith("_name")]
    if names:
        g = sort_frame(g, [*names, *by], text=names).reset_index(drop=True)
    return g
