"""Alkire–Foster weights and cut-off as exact integers, shared by the pandas and the SQL measures.

A household is poor when its weighted score ``Σ w_i d_i ≥ k``. Compared in floats, whether 3 of 10 equal
weights reach ``k = 0.3`` depends on rounding (0.1 + 0.1 + 0.1 is 0.30000000000000004).
:func:`integer_weights` turns each weight and ``k`` into the exact rational it was written as and puts them
over a common denominator, so :mod:`povlib.measures` and :mod:`povlib.query.af` compare integers.

Examples
--------
>>> W, K, w = integer_weights(list("abcdefghij"), None, 0.3)
>>> W.tolist(), K, bool(W[:3].sum() >= K)
([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 3, True)
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np

from .errors import PovlibInputError

__all__ = ["WEIGHT_SUM_TOLERANCE", "integer_weights"]


def _exact(x) -> Fraction:
    """The exact rational a weight or cut-off was written as: ``0.6000001`` stays 6000001/10000000.

    Built from the number's decimal text (its shortest repr), never snapped to a
    nearby simple fraction; Fractions, ints and decimal strings pass exactly.
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return Fraction(int(x))
    if isinstance(x, str):
        return Fraction(x.strip())
    return Fraction(repr(float(x)))


#: how far from 1 the weights may sum, per weight: the rounding of a binary float (2**-52),
#: so that 1/3 written as 0.3333333333333333 is accepted and 0.6000001 where 0.6 is meant is not
WEIGHT_SUM_TOLERANCE = Fraction(1, 2**52)


def integer_weights(columns: Sequence[str], weights, k: float) -> tuple[np.ndarray, int, np.ndarray]:
    """Return integer weights W, integer cut-off K and float weights w with W/D = w exactly."""
    n = len(columns)
    if n == 0:
        raise PovlibInputError.from_key("measures.err.no_indicators")
    if weights is None:
        fr = [Fraction(1, n)] * n
    else:
        if isinstance(weights, Mapping):
            missing = [c for c in columns if c not in weights]
            extra = [c for c in weights if c not in columns]
            if missing or extra:
                raise PovlibInputError.from_key("measures.err.weights_mismatch", missing=missing, extra=extra)
            vals = [weights[c] for c in columns]
        else:
            vals = list(weights)
            if len(vals) != n:
                raise PovlibInputError.from_key("measures.err.weights_count", n_weights=len(vals), n=n)
        if any((not np.isfinite(float(v))) or float(v) < 0 for v in vals):
            raise PovlibInputError.from_key("measures.err.weights_negative")
        fr = [_exact(v) for v in vals]
        total = sum(fr)
        if total != 1:
            # binary floats (1/3 as 0.3333333333333333) may miss 1 by their rounding: accepted
            # within WEIGHT_SUM_TOLERANCE per weight and rescaled exactly; any larger gap is refused
            if abs(total - 1) > WEIGHT_SUM_TOLERANCE * n:
                raise PovlibInputError.from_key("measures.err.weights_precision", total=repr(float(total)))
            fr = [f / total for f in fr]
    if not np.isfinite(float(k)):
        raise PovlibInputError.from_key("measures.err.cutoff", k=k)
    kf = _exact(k)
    if not (0 < kf <= 1):
        raise PovlibInputError.from_key("measures.err.cutoff", k=k)
    den = math.lcm(*(f.denominator for f in fr), kf.denominator)
    # exact integers; beyond int64 range (absurdly fine weights) fall back to Python ints
    dtype = np.int64 if den * n < 2**62 else object
    W = np.array([int(f * den) for f in fr], dtype=dtype)
    K = int(kf * den)
    return W, K, np.array([float(f) for f in fr])
