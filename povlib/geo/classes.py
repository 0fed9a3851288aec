"""What a map shows: the measures, their number formats and the colour classes of a choropleth.

:data:`MEASURES` lists the measures a map can colour by, :func:`format_value`
formats a value as on screen, :func:`classify_values` splits the values into
at most five colour classes (mapclassify) with Vietnamese legend labels.
Drawing the map is the app's business (``ui.maps``).

Examples
--------
>>> from povlib.geo.classes import MEASURES, classify_values
>>> MEASURES["poor_rate"]
('measure.poor_rate', 'rate')
>>> c = classify_values([0.1, 0.2, 0.3])
>>> c.labels, c.color_of([0.2])
(('10,00 %', '20,00 %', '30,00 %'), ['#feb24c'])
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..errors import PovlibInputError
from ..i18n import fmt_int, fmt_num, fmt_pct

__all__ = ["MEASURES", "NO_DATA_COLOR", "Classes", "classify_values", "format_value"]

#: Measures a map can show: key -> (i18n label key, kind). ``kind`` decides the number format.
MEASURES: dict[str, tuple[str, str]] = {
    "poor_rate": ("measure.poor_rate", "rate"),
    "near_poor_rate": ("measure.near_poor_rate", "rate"),
    "poor_near_rate": ("measure.poor_near_rate", "rate"),
    "poor": ("measure.poor", "count"),
    "any_deprived": ("measure.any_deprived", "rate"),
    "M0": ("measure.M0", "index"),
}

# Sequential ColorBrewer palettes (YlOrRd), light = low. Index by number of classes.
_PALETTE = {
    1: ["#fd8d3c"],
    2: ["#fecc5c", "#e31a1c"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
}
#: Fill of a unit without data.
NO_DATA_COLOR = "#d9d9d9"


def format_value(value: float | None, measure: str, lang: str = "vi") -> str:
    """A measure's value as shown on screen: ``15,86 %``, ``1.234`` or ``0,083``.

    Examples
    --------
    >>> format_value(0.1586, "poor_rate"), format_value(1234, "poor"), format_value(float("nan"), "M0")
    ('15,86 %', '1.234', '–')
    """
    kind = MEASURES[measure][1] if measure in MEASURES else "index"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "rate":
        return fmt_pct(value, lang)
    if kind == "count":
        return fmt_int(value, lang)
    return fmt_num(value, lang, digits=3)


@dataclass(frozen=True)
class Classes:
    """Colour classes of a choropleth.

    Attributes
    ----------
    bins : tuple of float
        Upper bound of each class (inclusive), ascending.
    lower : float
        Smallest value.
    labels : tuple of str
        One label per class in the legend ("15,86 % – 20,00 %").
    colors : tuple of str
        One hex colour per class, light to dark.
    counts : tuple of int
        Units per class.
    scheme : str
        mapclassify scheme used (``'NaturalBreaks'``, ``'Quantiles'`` or ``'UniqueValues'``).
    """

    bins: tuple[float, ...]
    lower: float
    labels: tuple[str, ...]
    colors: tuple[str, ...]
    counts: tuple[int, ...]
    scheme: str
    no_data: int = 0
    measure: str = "poor_rate"
    extra: dict = field(default_factory=dict, compare=False)

    def class_of(self, values: ArrayLike) -> np.ndarray:
        """Class index of each value (-1 for missing)."""
        v = np.asarray(values, dtype=float)
        idx = np.searchsorted(np.asarray(self.bins), v, side="left")
        idx = np.minimum(idx, len(self.bins) - 1)
        return np.where(np.isnan(v), -1, idx)

    def color_of(self, values: ArrayLike) -> list[str]:
        """Fill colour of each value (grey for missing)."""
        return [self.colors[i] if i >= 0 else NO_DATA_COLOR for i in self.class_of(values)]


def classify_values(values: ArrayLike, measure: str = "poor_rate", *, k: int = 5, scheme: str = "NaturalBreaks",
                    lang: str = "vi") -> Classes:
    """Split values into at most ``k`` colour classes with mapclassify.

    Parameters
    ----------
    values : array-like
        One value per unit; NaN means no data (shown grey, not classed).
    measure : str
        Key of :data:`MEASURES`, for the label format.
    k : int
        Wanted number of classes (1–5); fewer when there are fewer distinct
        values, one class per value when there are at most ``k``.
    scheme : {'NaturalBreaks', 'Quantiles', 'EqualInterval'}
        ``'NaturalBreaks'`` uses mapclassify's exact Fisher–Jenks; the others
        the mapclassify classifier of that name.

    Returns
    -------
    Classes

    Examples
    --------
    >>> from povlib.geo.classes import classify_values
    >>> c = classify_values([0.1, 0.1, 0.2, 0.5, 0.52, 0.9], k=3)
    >>> c.labels
    ('10,00 % – 20,00 %', '50,00 % – 52,00 %', '90,00 %')
    >>> c.counts
    (3, 2, 1)
    """
    import mapclassify

    if scheme not in ("NaturalBreaks", "Quantiles", "EqualInterval"):
        raise PovlibInputError.from_key("geo.bad_scheme", scheme=repr(scheme))
    if not 1 <= int(k) <= 5:
        raise PovlibInputError.from_key("geo.bad_k", k=k)
    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    ok = v[~np.isnan(v)]
    no_data = int(np.isnan(v).sum())
    if ok.size == 0:
        return Classes((), float("nan"), (), (), (), "none", no_data, measure)
    uniq = np.unique(ok)
    if uniq.size <= k:
        bins = tuple(float(x) for x in uniq)
        used = "UniqueValues"
    else:
        # natural breaks by Fisher–Jenks: the exact optimum, deterministic (mapclassify's
        # NaturalBreaks is k-means with random starts)
        cls = mapclassify.FisherJenks if scheme == "NaturalBreaks" else getattr(mapclassify, scheme)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Numba not installed")
            res = cls(ok, k=int(k))
        bins = tuple(float(b) for b in np.unique(res.bins))
        used = scheme
    # drop empty classes (equal intervals can leave gaps): their values go to the next class up
    idx = np.minimum(np.searchsorted(np.asarray(bins), ok, side="left"), len(bins) - 1)
    bins = tuple(b for i, b in enumerate(bins) if (idx == i).any())
    n = len(bins)
    colors = tuple(_PALETTE[n])
    lower = float(ok.min())
    idx = np.minimum(np.searchsorted(np.asarray(bins), ok, side="left"), n - 1)
    counts = tuple(int((idx == i).sum()) for i in range(n))
    labels = []
    for i, hi in enumerate(bins):
        members = ok[idx == i]
        lo = float(members.min()) if members.size else (lower if i == 0 else bins[i - 1])
        hi_shown = float(members.max()) if members.size else hi
        a, b = format_value(lo, measure, lang), format_value(hi_shown, measure, lang)
        labels.append(a if a == b else f"{a} – {b}")
    return Classes(bins, lower, tuple(labels), colors, counts, used, no_data, measure)
