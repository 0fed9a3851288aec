"""Frame comparison for the tests: ``pd.testing.assert_frame_equal`` with a fast path for identical frames.

pandas compares a categorical column with ``check_categorical=False`` value by value as Python objects
(about 1 s for each of the demo panel's 12 categorical columns of 148.000 rows). Two frames that are
identical – same index, columns, dtypes, categories in the same order and equal values
(:meth:`pandas.DataFrame.equals`, NaN equal to NaN) – pass every check ``assert_frame_equal`` makes, so
they pass at once; any other pair goes to pandas, which compares with the options given and says where
they differ.

>>> import pandas as pd
>>> a = pd.DataFrame({"x": pd.Categorical(["b", "a"]), "n": [1, 2]})
>>> assert_frames_equal(a, a.copy(), check_categorical=False)
>>> assert_frames_equal(a, a.assign(n=[1, 3]))
Traceback (most recent call last):
...
AssertionError: DataFrame.iloc[:, 1] (column name="n") are different
...
"""
from __future__ import annotations

import inspect

import pandas as pd

__all__ = ["assert_frames_equal", "identical"]


def identical(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether ``a`` and ``b`` are the same frame in every respect ``assert_frame_equal`` checks.

    Only frames without object columns take this path (``None`` and ``NaN`` are equal for
    :meth:`~pandas.DataFrame.equals`, not for pandas' assertion); the index and the columns are compared
    as strictly as ``assert_index_equal(exact=True)`` does, categories in their order.

    >>> a = pd.DataFrame({"x": pd.Categorical(["b", "a"], categories=["a", "b"])})
    >>> b = pd.DataFrame({"x": pd.Categorical(["b", "a"], categories=["b", "a"])})
    >>> identical(a, a.copy()), identical(a, b)
    (True, False)
    >>> identical(pd.DataFrame({"n": [1, 2]}), pd.DataFrame({"n": [1.0, 2.0]}))
    False
    >>> identical(pd.DataFrame({"o": [None]}, dtype=object), pd.DataFrame({"o": [None]}, dtype=object))
    False
    """
    if type(a) is not type(b) or a.shape != b.shape or a.flags.allows_duplicate_labels != b.flags.allows_duplicate_labels:
        return False
    try:
        for x, y in ((a.index, b.index), (a.columns, b.columns)):
            pd.testing.assert_index_equal(x, y, exact=True, check_names=True, check_exact=True,
                                          check_categorical=True, check_order=True)
            if getattr(x, "freq", None) != getattr(y, "freq", None):
                return False
    except AssertionError:
        return False
    for (_, s), (_, t) in zip(a.items(), b.items()):
        if s.dtype != t.dtype or s.dtype == object:
            return False
        if isinstance(s.dtype, pd.CategoricalDtype):
            cs, ct = s.cat.categories, t.cat.categories
            if s.cat.ordered != t.cat.ordered or cs.dtype != ct.dtype or cs.dtype == object or not cs.equals(ct):
                return False
    return a.equals(b)


def assert_frames_equal(a: pd.DataFrame, b: pd.DataFrame, **kwargs) -> None:
    """``pd.testing.assert_frame_equal(a, b, **kwargs)``, at once for identical frames (:func:`identical`).

    >>> assert_frames_equal(pd.DataFrame(), pd.DataFrame(), check_categoricals=False)
    Traceback (most recent call last):
    ...
    TypeError: got an unexpected keyword argument 'check_categoricals'
    """
    _SIGNATURE.bind(a, b, **kwargs)  # a misspelt option fails as it would in pandas
    if identical(a, b):
        return
    pd.testing.assert_frame_equal(a, b, **kwargs)


_SIGNATURE = inspect.signature(pd.testing.assert_frame_equal)
