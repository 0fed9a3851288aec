"""Which standard's indicators a view of some data uses: the rule, written once.

A view may ask for another standard than the one its rows were reviewed under (a what-if). That standard's
indicators are used when the data hold every one of them; otherwise the rows' own standard is used, and the
view says which indicators were missing. A column blank in every row (a panel's years carry only their own
standard's indicators) is not data: :func:`given_columns`.

Examples
--------
>>> from povlib.standards import get
>>> resolve_indicators(get("QD59_2015").indicator_ids, "ND07_2021", "QD59_2015").fell_back
True
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from .i18n import t
from .standards import Standard, get

__all__ = ["IndicatorBasis", "given_columns", "resolve_indicators", "shared_indicators", "shared_note"]


@dataclass(frozen=True)
class IndicatorBasis:
    """Which standard's indicators a view of some data can use: the rule, written once.

    A view asks for a standard (``requested``; None = the rows' own). Its
    indicators are used when the data carry every one of their columns;
    otherwise the rows' own standard (``own``) is used and ``missing`` names
    the requested indicators the data lack (a what-if standard over review
    data collected under another standard).

    Attributes
    ----------
    requested : str or None
        The standard asked for (None: the rows' own).
    own : str
        The standard the rows were reviewed under.
    used : str
        The standard whose indicators are shown.
    missing : tuple of str
        Indicators of ``requested`` absent from the data (empty when it is used).
    available : bool
        Whether the data carry every indicator column of ``used`` at all
        (review data with the B2 score only do not).
    """

    requested: str | None
    own: str
    used: str
    missing: tuple[str, ...] = ()
    available: bool = True

    @property
    def what_if(self) -> bool:
        """Whether another standard than the rows' own was asked for."""
        return self.requested is not None and self.requested != self.own

    @property
    def fell_back(self) -> bool:
        """Whether the requested standard could not be used (its indicators are missing)."""
        return bool(self.missing)

    @property
    def counted_under(self) -> str:
        """The standard whose indicators a household's number of deprivations counts: the requested one (a
        what-if counts its indicators the rows give, :func:`povlib.classify.count_deprivations`), else ``used``."""
        return str(self.requested) if self.what_if else self.used

    @property
    def counted(self) -> tuple[str, ...]:
        """The indicators of :attr:`counted_under` a household's number of deprivations counts: every one, or
        when a what-if fell back, those the rows give.

        >>> b = resolve_indicators(get("ND07_2021").indicator_ids, "ND351_2025", "ND07_2021")
        >>> b.used, b.counted_under, len(b.counted), "waste_treatment" in b.counted
        ('ND07_2021', 'ND351_2025', 10, False)
        """
        return tuple(i for i in get(self.counted_under).indicator_ids if i not in self.missing)


def given_columns(rows) -> list[str]:
    """The columns of a frame that hold a value in at least one row: a column blank in every row (a
    panel's years carry only their own standard's indicators) is not given.

    Examples
    --------
    >>> import pandas as pd
    >>> given_columns(pd.DataFrame({"a": [1, None], "b": [None, None]}))
    ['a']
    """
    if not len(rows):
        return list(rows.columns)
    return [c for c, v in zip(rows.columns, rows.notna().any().to_numpy()) if v]


def resolve_indicators(columns, requested: str | None, own: str) -> IndicatorBasis:
    """The standard whose indicators to use on data with ``columns`` (see :class:`IndicatorBasis`; give
    :func:`given_columns` of the rows, so that a column blank in every row is not taken for data).

    Examples
    --------
    >>> cols = get("QD59_2015").indicator_ids
    >>> resolve_indicators(cols, "ND07_2021", "QD59_2015").used
    'QD59_2015'
    >>> resolve_indicators(cols, None, "QD59_2015").what_if
    False
    >>> resolve_indicators(["b2_score"], None, "QD59_2015").available
    False
    """
    own = str(own)
    have = set(columns)
    missing: tuple[str, ...] = ()
    if requested is not None and requested != own:
        missing = tuple(i for i in get(requested).indicator_ids if i not in have)
    used = str(requested) if requested is not None and not missing else own
    return IndicatorBasis(requested, own, used, missing, all(i in have for i in get(used).indicator_ids))


def shared_indicators(std: str | Standard, other: str | Standard) -> list[str]:
    """The indicators of ``std`` that ``other`` also has, in ``std``'s order: what a what-if under ``std``
    counts for a household reviewed under ``other`` (:func:`povlib.classify.count_deprivations`).

    Examples
    --------
    >>> shared_indicators("ND351_2025", "ND07_2021")[-2:], len(shared_indicators("ND351_2025", "ND07_2021"))
    (['water_source', 'latrine'], 10)
    >>> len(shared_indicators("QD59_2015", "ND07_2021")), len(shared_indicators("ND07_2021", "ND07_2021"))
    (8, 12)
    """
    theirs = set(get(other).indicator_ids)
    return [c for c in get(std).indicator_ids if c in theirs]


def shared_note(std: str | Standard, own: str | Standard | None, lang: str = "vi", *,
                given: Collection[str] | None = None) -> str:
    """What a what-if under ``std`` of a review under ``own`` counts, when the review did not ask about every
    indicator of ``std`` ('' when it did, or when ``own`` is not known). ``given``: the columns the rows give
    (a review may carry more than its standard's indicators, :func:`povlib.classify.count_deprivations`);
    default ``own``'s indicators.

    Examples
    --------
    >>> shared_note("ND351_2025", "ND07_2021", "en")[:90]
    'Deprivations under Multidimensional poverty standard 2026–2030 are counted on the 10 of it'
    >>> shared_note("ND07_2021", "DN_ND07_local_example"), shared_note("ND07_2021", None)
    ('', '')
    """
    if own is None:
        return ""
    std, own = get(std), get(own)
    shared = shared_indicators(std, own) if given is None else [c for c in std.indicator_ids if c in set(given)]
    if len(shared) == len(std.indicator_ids):
        return ""
    missing = [std.indicator(c).label(lang) for c in std.indicator_ids if c not in shared]
    return t("standards.whatif_shared", lang, std=std.name(lang), own=own.name(lang), n=len(shared),
             total=len(std.indicator_ids), missing="; ".join(missing))
