"""Masking of personal data (household head names, ID numbers) for display and export.

Vectorised over pandas Series of strings (no Python loop over households).
Missing values stay missing.

Examples
--------
>>> import pandas as pd
>>> from povlib.privacy import mask_names, mask_ids
>>> mask_names(pd.Series(["Hoàng Văn Tùng", "Lý Thị Hoa"])).tolist()
['H*** V*** T***', 'L*** T*** H***']
>>> mask_ids(pd.Series(["006084501781"])).tolist()
['006*******81']
"""
from __future__ import annotations

import pandas as pd

__all__ = ["mask_names", "mask_ids", "mask_name", "mask_id"]

# every word keeps its first letter (Unicode-aware \w covers Vietnamese letters)
_WORD = r"(\w)\w*"
# every character that has at least 3 characters before it and 2 after it
_ID_MIDDLE = r"(?<=.{3}).(?=.{2})"


def mask_names(names: pd.Series) -> pd.Series:
    """Keep the initial of each word: ``'Hoàng Văn Tùng' -> 'H*** V*** T***'``.

    Parameters
    ----------
    names : Series of str

    Returns
    -------
    Series of str, same index.
    """
    s = names.astype("str") if not pd.api.types.is_string_dtype(names) else names
    return s.str.normalize("NFC").str.replace(_WORD, r"\1***", regex=True)


def mask_ids(ids: pd.Series) -> pd.Series:
    """Keep the first 3 and last 2 characters: ``'006084501781' -> '006*******81'``.

    IDs of 5 characters or fewer are fully replaced by ``*`` (nothing would be hidden otherwise).
    """
    s = ids.astype("str") if not pd.api.types.is_string_dtype(ids) else ids
    masked = s.str.replace(_ID_MIDDLE, "*", regex=True)
    short = s.str.len() <= 5
    return masked.mask(short, s.str.replace(r".", "*", regex=True))


def mask_name(name: str) -> str:
    """Scalar version of :func:`mask_names`."""
    return mask_names(pd.Series([name])).iloc[0]


def mask_id(id_number: str) -> str:
    """Scalar version of :func:`mask_ids`."""
    return mask_ids(pd.Series([id_number])).iloc[0]
