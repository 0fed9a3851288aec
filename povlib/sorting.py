"""Ordering names as Vietnamese readers do.

Vietnamese dictionary order is not the order of Unicode code points: the
letters run ``a ă â b c d đ e ê … o ô ơ … u ư …`` and the tone marks only
break ties. Names with numbers (``Tổ 2``, ``Tổ 10``) sort by their text, then
by their number.

* :func:`vi_sort_key` – a text key for Vietnamese dictionary order;
* :func:`natural_key` – text part (Vietnamese order) and number of names
  such as village names, as two sort columns.

Examples
--------
>>> import pandas as pd
>>> from povlib.sorting import natural_key, vi_sort_key
>>> s = pd.Series(["Đinh", "Dương", "An", "Ăng"])
>>> s.iloc[vi_sort_key(s).argsort()].tolist()
['An', 'Ăng', 'Dương', 'Đinh']
>>> v = pd.Series(["Tổ 10", "Tổ 2", "Bản Nà"])
>>> v.loc[natural_key(v).sort_values(["_t", "_n"]).index].tolist()
['Bản Nà', 'Tổ 2', 'Tổ 10']
"""
from __future__ import annotations

import pandas as pd

__all__ = ["vi_sort_key", "natural_key"]

# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư …; tones break ties only.
_TONES = "[\u0300\u0301\u0303\u0309\u0323]"
_LETTER_ORDER = str.maketrans({"ă": "a{", "â": "a|", "đ": "d{", "ê": "e{", "ô": "o{", "ơ": "o|", "ư": "u{"})


def vi_sort_key(s: pd.Series) -> pd.Series:
    """A text key that sorts Vietnamese words in dictionary order (``Đ`` after ``D``, ``Ă`` after ``A``).

    Parameters
    ----------
    s : Series
        Names (any dtype; missing values sort as empty text).

    Returns
    -------
    Series
        Lower-case keys without tone marks, the letters with diacritics
        mapped after their base letter; same index as ``s``.

    Examples
    --------
    >>> import pandas as pd
    >>> sorted(["Đinh", "Dương", "Ân", "An", "Bế", "Ăng"], key=lambda x: vi_sort_key(pd.Series([x])).iloc[0])
    ['An', 'Ăng', 'Ân', 'Bế', 'Dương', 'Đinh']
    """
    txt = s.astype("str").fillna("").str.lower().str.normalize("NFD").str.replace(_TONES, "", regex=True)
    return txt.str.normalize("NFC").str.translate(_LETTER_ORDER)


def natural_key(s: pd.Series) -> pd.DataFrame:
    """Sort keys for names with numbers: text part (Vietnamese order), then number ('Tổ 2' before 'Tổ 10').

    Parameters
    ----------
    s : Series
        Names such as village names.

    Returns
    -------
    DataFrame
        Same index as ``s``; ``_t`` the :func:`vi_sort_key` of the name without
        its digits, ``_n`` the first number in the name (-1 when there is none).
        Sort by ``["_t", "_n"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> natural_key(pd.Series(["Tổ 10", "Bản Nà"])).to_dict("list")
    {'_t': ['to{', 'ban na'], '_n': [10.0, -1.0]}
    """
    txt = s.astype(str)
    num = pd.to_numeric(txt.str.extract(r"(\d+)", expand=False), errors="coerce").fillna(-1)
    return pd.DataFrame({"_t": vi_sort_key(txt.str.replace(r"\d+", "", regex=True).str.strip()).to_numpy(),
                         "_n": num.to_numpy()}, index=s.index)
