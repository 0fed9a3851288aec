"""Meeting counts under a standard without an income-only branch (Decree 07/2021): the generator's solvers.

Under Decree 07/2021 a household is poor when its income is within the line
and it has three deprivations or more, near-poor when within the line with
fewer. The generator meets a district's counts in two steps, on the same
households' latent circumstances as every other year:

1. :func:`within_line` sets incomes so that exactly ``poor + near_poor``
   households are within the line (per commune, the poorer communes more),
   or :func:`move_across` moves the households nearest the line across it
   (the 2021 review, whose incomes are already fixed by Decision 59/2015);
2. :func:`added_indicators` draws the indicators the standard added to
   Decision 59/2015 (employment, dependants, nutrition, means of accessing
   information) from their persistent latents with one level shift, found
   by bisection, so that exactly ``poor`` of the households within the line
   have three deprivations or more; the last few (at most a handful: the
   count moves in steps) get one more added deprivation, those nearest to it.

Examples
--------
>>> import numpy as np
>>> from povlib.synth.calibrate import move_across
>>> move_across(np.array([900, 1_400, 1_600, 2_000]), np.array([1_500] * 4), 3, np.array([False, True, True, True])).tolist()
[900, 1400, 1500, 2000]
"""
from __future__ import annotations

import numpy as np

from ..errors import PovlibInputError
from .targets import apportion

__all__ = ["within_line", "move_across", "added_indicators"]

#: how strongly the persistent latent decides a deprivation (as in the generator)
LATENT_WEIGHT = 1.7


def within_line(w: np.ndarray, u: np.ndarray, line: np.ndarray, shares: np.ndarray, target: int,
                sigma: float) -> np.ndarray:
    """Incomes ``exp(mu_commune + sigma * w)`` with exactly ``target`` households at or below ``line``.

    ``shares`` (one per commune index of ``u``) weight how the target is spread over communes
    (largest remainder); within a commune the lowest welfare ``w`` are within the line.

    Examples
    --------
    >>> import numpy as np
    >>> inc = within_line(np.array([-1.0, 0.0, 1.0, -2.0]), np.array([0, 0, 0, 1]), np.array([1_500_000] * 4),
    ...                   np.array([0.34, 1.0]), 2, 0.4)
    >>> (inc <= 1_500_000).tolist()
    [True, False, False, True]
    """
    n_units = len(shares)
    n_c = np.bincount(u, minlength=n_units)
    per = np.minimum(apportion(target, np.maximum(shares * n_c, 1e-12)), n_c)
    if per.sum() != target:  # a commune too small for its share: the rest to the others, in order
        short = target - int(per.sum())
        for c in np.argsort(-shares, kind="stable"):
            add = min(short, int(n_c[c] - per[c]))
            per[c] += add
            short -= add
    m_i = np.log(line.astype(float)) - sigma * w  # within iff mu <= m_i
    mu = np.zeros(len(w))
    for c in range(n_units):
        sel = np.flatnonzero(u == c)
        if not len(sel):
            continue
        srt = np.sort(m_i[sel])[::-1]
        k = int(per[c])
        mu[sel] = srt[0] + 0.01 if k <= 0 else srt[-1] - 0.01 if k >= len(sel) else (srt[k - 1] + srt[k]) / 2
    income = np.round(np.exp(mu + sigma * w)).astype(np.int64)
    # rounding to whole đồng can carry a household across its line: put it back, per commune
    for c in range(n_units):
        sel = np.flatnonzero(u == c)
        if len(sel):
            income[sel] = move_across(income[sel], line[sel].astype(np.int64), int(per[c]),
                                      np.ones(len(sel), dtype=bool))
    return income


def move_across(income: np.ndarray, line: np.ndarray, target: int, movable: np.ndarray) -> np.ndarray:
    """Move the ``movable`` households nearest ``line`` across it until exactly ``target`` are at or below it.

    Raises
    ------
    PovlibInputError
        Not enough movable households on the side to move from.
    """
    income = np.asarray(income, dtype=np.int64).copy()
    line = np.asarray(line, dtype=np.int64)
    within = income <= line
    gap = target - int(within.sum())
    if gap > 0:
        cand = np.flatnonzero(movable & ~within)
        pick = cand[np.argsort(income[cand] - line[cand], kind="stable")[:gap]]
        income[pick] = line[pick]
    elif gap < 0:
        cand = np.flatnonzero(movable & within)
        pick = cand[np.argsort(line[cand] - income[cand], kind="stable")[:-gap]]
        income[pick] = line[pick] + 1
    else:
        return income
    if len(pick) < abs(gap):
        raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"{target} households within the line")
    return income


def added_indicators(score: np.ndarray, latent: np.ndarray, other_count: np.ndarray, within: np.ndarray,
                     target: int, cutoff: int = 3) -> np.ndarray:
    """The added indicators (0/1, one column each) so that exactly ``target`` households within the line are poor.

    Parameters
    ----------
    score, latent : ndarray (n, k)
        The modelled score and the persistent latent of each added indicator: deprived when
        ``score + shift - 1.7 * latent > 0``.
    other_count : ndarray (n,)
        Deprivations in the standard's other indicators.
    within : ndarray of bool
        Households whose income is within the line.
    target : int
        Poor households wanted: within the line and ``cutoff`` deprivations or more.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> score, latent = rng.normal(size=(200, 4)), rng.normal(size=(200, 4))
    >>> other, within = rng.integers(0, 3, 200), rng.random(200) < 0.4
    >>> dep = added_indicators(score, latent, other, within, 50)
    >>> int((within & (other + dep.sum(axis=1) >= 3)).sum())
    50
    """
    margin = score - LATENT_WEIGHT * latent

    def count(shift: float) -> int:
        d = other_count + (margin + shift > 0).sum(axis=1)
        return int((within & (d >= cutoff)).sum())

    lo, hi = -20.0, 20.0
    if count(lo) > target or count(hi) < target:
        raise PovlibInputError.from_key("synth.targets_inconsistent",
                                        what=f"{target} poor of {int(within.sum())} within the line")
    for _ in range(50):  # count(lo) <= target < count(hi) unless met
        mid = (lo + hi) / 2
        if count(mid) <= target:
            lo = mid
        else:
            hi = mid
    dep = (margin + lo > 0).astype(np.int8)
    d = other_count + dep.sum(axis=1)
    need = target - int((within & (d >= cutoff)).sum())
    if need > 0:  # one more added deprivation for those one short, the nearest first
        cand = np.flatnonzero(within & (d == cutoff - 1) & (dep == 0).any(axis=1))
        best = np.where(dep[cand] == 0, margin[cand], -np.inf)
        pick = np.argsort(-best.max(axis=1), kind="stable")[:need]
        if len(pick) < need:
            raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"{target} poor")
        dep[cand[pick], best[pick].argmax(axis=1)] = 1
    return dep
