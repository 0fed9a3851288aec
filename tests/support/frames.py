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

import pandas as pd

__all__ = ["assert_frames_equal", "identical"]


def identical(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether ``a`` and ``b`` are the same frame in every respect ``assert_frame_equal`` checks.

    >>> a = pd.DataFrame({"x": pd.Categorical(["b", "a"], categories=["a", "b"])})
    >>> b = pd.DataFrame({"x": pd.Categorical(["b", "a"], categories=["b", "a"])})
    >>> identical(a, a.copy()), identical(a, b)
    (True, False)
    >>> identical(pd.DataFrame({"n": [1, 2]}), pd.DataFrame({"n": [1.0, 2.0]}))
    False
    """
    if type(a) is not type(b) or a.shape != b.shape or a.flags.allows_duplicate_labels != b.flags.allows_duplicate_labels:
        return False
    for x, y in ((a.index, b.index), (a.columns, b.columns)):
        if type(x) is not type(y) or x.dtype != y.dtype or x.names != y.names or getattr(x, "freq", None) != \
                getattr(y, "freq", None) or not x.equals(y):
            return False
    for (_, s), (_, t) in zip(a.items(), b.items()):
        if s.dtype != t.dtype:
            return False
        if isinstance(s.dtype, pd.CategoricalDtype) and (
                s.cat.ordered != t.cat.ordered or not s.cat.categories.equals(t.cat.categories)):
            return False
    return a.equals(b)


def assert_frames_equal(a: pd.DataFrame, b: pd.DataFrame, **kwargs) -> None:
    """``pd.testing.assert_frame_equal(a, b, **kwargs)``, at once for identical frames (:func:`identical`)."""
    if identical(a, b):
        return
    pd.testing.assert_frame_equal(a, b, **kwargs)
