"""Comparisons on code and label columns (codes, statuses, standards, villages) without converting every row.

The panel keeps its codes and labels as categoricals: ``col.astype(str) == value`` turns each of a
province's 900.000 rows into a string first (0,1 s a comparison). These functions compare the few
categories and pick the rows by their integer codes instead; any other column is compared as text,
as before. Missing values never match. Each function returns a new (writable) boolean array.

Examples
--------
>>> import pandas as pd
>>> col = pd.Series(["02023", "02020", None, "02023"], dtype="category")
>>> equals(col, "02023").tolist(), is_in(col, ["02020", "99999"]).tolist()
([True, False, False, True], [False, True, False, False])
>>> equals(pd.Series([1, 2]), "2").tolist()  # another column: compared as text
[False, True]
>>> as_text(col).tolist()
['02023', '02020', 'nan', '02023']
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["as_text", "equals", "in_district", "is_in"]


def equals(col: pd.Series, value: str) -> np.ndarray:
    """Rows of ``col`` whose value, as text, is ``value``: a boolean numpy array.

    >>> equals(pd.Series(["a", "b"], dtype="category"), "c").tolist()
    [False, False]
    """
    return is_in(col, (value,))


def is_in(col: pd.Series, values: Iterable[str]) -> np.ndarray:
    """Rows of ``col`` whose value, as text, is one of ``values``: a boolean numpy array.

    >>> is_in(pd.Series(["poor", "near_poor", "non_poor"], dtype="category"), {"poor", "near_poor"}).tolist()
    [True, True, False]
    """
    values = [str(v) for v in values]
    if isinstance(col.dtype, pd.CategoricalDtype):
        hit = np.flatnonzero(col.cat.categories.astype(str).isin(values))
        return np.isin(col.cat.codes.to_numpy(), hit)
    return np.array(col.astype(str).isin(values).to_numpy(), dtype=bool)  # a copy: pandas may give a read-only view


def as_text(col: pd.Series) -> np.ndarray:
    """The values of ``col`` as a numpy array of Python strings, a missing value as ``'nan'``, converting each
    category once rather than each row.

    >>> as_text(pd.Series([2019, 2020])).tolist(), as_text(pd.Series(["a", None], dtype="str")).tolist()
    (['2019', '2020'], ['a', 'nan'])
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        text = np.append(np.asarray(col.cat.categories.astype(str), dtype=object), "nan")
        return text[col.cat.codes.to_numpy()]  # code -1 (missing) picks the last: 'nan'
    return col.astype(object).where(col.notna(), "nan").astype(str).to_numpy(dtype=object)


def in_district(panel: pd.DataFrame, district: str) -> np.ndarray:
    """The rows of ``district``: its own rows, and after the 2025 reform (no district: ``district_code``
    missing) the rows of the new communes whose former district it is (a historical grouping).

    >>> p = pd.DataFrame({"district_code": ["064", None, None], "former_district_code": ["064", "064", "061"]})
    >>> in_district(p, "064").tolist(), in_district(p.astype("category"), "061").tolist()
    ([True, True, False], [False, False, True])
    """
    hit = equals(panel["district_code"], str(district))
    if "former_district_code" in panel.columns:
        hit |= panel["district_code"].isna().to_numpy() & equals(panel["former_district_code"], str(district))
    return hit
