"""Poverty standards as data.

Each standard lives in a TOML file under ``povlib/rules/`` named after its
legal source (``QD59_2015.toml`` for Decision 59/2015/QĐ-TTg,
``ND07_2021.toml`` for Decree 07/2021/NĐ-CP). A new standard – for example a
province's higher local line – is a new TOML file, loaded with
:func:`load_file` or dropped in the rules folder; no code changes.

Labels
------
The names and labels of the built-in standards are in the string catalog
(:mod:`povlib.i18n`), under keys derived from the ids:
``std.<standard>.name``, ``std.<standard>.dimension.<dimension>``,
``std.<standard>.indicator.<indicator>`` and
``std.<standard>.definition.<indicator>``; their TOML files carry ids only.
A standard added by a user (say a province's own, loaded with
:func:`load_file`) has no catalog keys: its file then writes the texts itself
(``name_vi``/``name_en``, ``label_vi``/``label_en`` on every dimension and
indicator, optionally ``definition_vi``/``definition_en``), and they are used
wherever the catalog has no key. A label missing from both is an error.

Examples
--------
>>> from povlib import standards
>>> std = standards.get("QD59_2015")
>>> std.lines["rural"].poor
700000
>>> [i.id for i in std.indicators][:2]
['adult_education', 'child_schooling']
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import PovlibInputError
from .i18n import has, t, t_or

__all__ = [
    "AREAS",
    "Dimension",
    "Indicator",
    "IncomeLines",
    "ScoreThresholds",
    "Standard",
    "available",
    "get",
    "load_file",
    "register",
    "standard_for_year",
    "IndicatorBasis",
    "resolve_indicators",
    "DEFAULT_STANDARD",
]

RULES_DIR = paths.RULES_DIR
AREAS: tuple[str, ...] = ("rural", "urban")
#: the standard of data that do not say which one they were reviewed under (the 2016–2020 reviews)
DEFAULT_STANDARD = "QD59_2015"


@dataclass(frozen=True)
class IncomeLines:
    """Income lines in VND per person per month (inclusive upper bounds)."""

    poor: int
    near_poor: int
    average: int


@dataclass(frozen=True)
class ScoreThresholds:
    """Review-score (B1 / A) thresholds (inclusive upper bounds)."""

    poor: int
    near_poor: int


@dataclass(frozen=True)
class Dimension:
    """A dimension of deprivation (education, health, ...) of the standard ``standard``.

    ``label_vi``/``label_en`` are the label written in the rules file (empty for
    the built-in standards, whose labels are in the catalog).
    """

    id: str
    standard: str = ""
    label_vi: str = ""
    label_en: str = ""

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang``: catalog ``std.<standard>.dimension.<id>``, else the file's."""
        return t_or(f"std.{self.standard}.dimension.{self.id}", lang, self.label_en if lang == "en" else self.label_vi)


@dataclass(frozen=True)
class Indicator:
    """One deprivation indicator of the standard ``standard``; its ``id`` is also its column name.

    ``label_*``/``definition_*`` are the texts written in the rules file (empty
    for the built-in standards, whose texts are in the catalog).
    """

    id: str
    dimension: str
    standard: str = ""
    label_vi: str = ""
    label_en: str = ""
    definition_vi: str = ""
    definition_en: str = ""

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang``: catalog ``std.<standard>.indicator.<id>``, else the file's."""
        return t_or(f"std.{self.standard}.indicator.{self.id}", lang, self.label_en if lang == "en" else self.label_vi)

    def definition(self, lang: str = "vi") -> str:
        """The legal definition in ``lang``: catalog ``std.<standard>.definition.<id>``, else the file's ('' if none)."""
        own = self.definition_en if lang == "en" else self.definition_vi
        return t_or(f"std.{self.standard}.definition.{self.id}", lang, own)


@dataclass(frozen=True)
class Standard:
    """A poverty standard: income lines, score thresholds, indicators.

    Attributes
    ----------
    id : str
        Stable identifier named after the legal source, e.g. ``"QD59_2015"``.
    name_vi, name_en : str
        The name written in the rules file (empty for the built-in standards:
        see :meth:`name`).
    income_only_poor : bool
        True when income at or below the poor line makes a household poor
        whatever its deprivations (Decision 59/2015); False when poverty also
        needs ``deprivation_cutoff`` deprivations (Decree 07/2021).
    deprivation_cutoff : int
        Number of deprived indicators (integer) that makes a household
        multidimensionally deprived.
    points_per_deprivation : int
        Review-score points per deprived indicator (B2 / B score).
    """

    id: str
    name_vi: str
    name_en: str
    legal_source: str
    review_years: tuple[int, ...]
    income_only_poor: bool
    deprivation_cutoff: int
    points_per_deprivation: int
    lines: dict[str, IncomeLines]
    scores: dict[str, ScoreThresholds]
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    source_file: str = field(default="", compare=False)

    @property
    def indicator_ids(self) -> list[str]:
        """Indicator ids (= column names) in legal order."""
        return [i.id for i in self.indicators]

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with ``indicator_id``."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def dimension_of(self, indicator_id: str) -> Dimension:
        """Return the dimension an indicator belongs to."""
        dim_id = self.indicator(indicator_id).dimension
        return next(d for d in self.dimensions if d.id == dim_id)

    def name(self, lang: str = "vi") -> str:
        """The name in ``lang``: catalog ``std.<id>.name``, else the file's."""
        return t_or(f"std.{self.id}.name", lang, self.name_en if lang == "en" else self.name_vi)

    @property
    def max_b2(self) -> int:
        """Highest possible deprivation score."""
        return self.points_per_deprivation * len(self.indicators)


def _own_label(entry: dict, key: str, field: str = "label") -> dict[str, str]:
    """``{field_vi, field_en}`` as written in the file; required (KeyError) unless the catalog has ``key``."""
    names = (f"{field}_vi", f"{field}_en")
    if has(key):
        return {n: entry.get(n, "") for n in names}
    return {n: entry[n] for n in names}


def _parse(data: dict, source: str) -> Standard:
    try:
        sid = str(data["id"])
        lines = {a: IncomeLines(**{k: int(v) for k, v in data["lines"][a].items()}) for a in AREAS}
        scores = {a: ScoreThresholds(**{k: int(v) for k, v in data["scores"][a].items()}) for a in AREAS}
        dims = tuple(
            Dimension(**{**d, "standard": sid, **_own_label(d, f"std.{sid}.dimension.{d['id']}")})
            for d in data["dimensions"]
        )
        inds = tuple(
            Indicator(**{**i, "standard": sid, **_own_label(i, f"std.{sid}.indicator.{i['id']}")})
            for i in data["indicators"]
        )
        std = Standard(
            id=sid,
            **_own_label(data, f"std.{sid}.name", "name"),
            legal_source=data["legal_source"],
            review_years=tuple(int(y) for y in data.get("review_years", ())),
            income_only_poor=bool(data["income_only_poor"]),
            deprivation_cutoff=int(data["deprivation_cutoff"]),
            points_per_deprivation=int(data["points_per_deprivation"]),
            lines=lines,
            scores=scores,
            dimensions=dims,
            indicators=inds,
            source_file=source,
        )
    except (KeyError, TypeError) as exc:
        raise PovlibInputError.from_key("standards.err.file_entry", file=source, detail=str(exc)) from exc
    _check(std)
    return std


def _check(std: Standard) -> None:
    dim_ids = {d.id for d in std.dimensions}
    ids = [i.id for i in std.indicators]
    problems: list[tuple[str, dict]] = []  # (catalog key, placeholders)
    if len(set(ids)) != len(ids):
        problems.append(("standards.err.check.duplicate_ids", {}))
    if any(i.dimension not in dim_ids for i in std.indicators):
        problems.append(("standards.err.check.undeclared_dimension", {}))
    for a in AREAS:
        ln, sc = std.lines[a], std.scores[a]
        if not (0 <= ln.poor <= ln.near_poor <= ln.average):
            problems.append(("standards.err.check.lines_order", {"area": a}))
        if not (sc.poor <= sc.near_poor):
            problems.append(("standards.err.check.scores_order", {"area": a}))
    if not (1 <= std.deprivation_cutoff <= len(ids)):
        problems.append(("standards.err.check.cutoff", {}))
    if problems:
        raise PovlibInputError(*(
            t("standards.err.invalid", lang, id=std.id, problems="; ".join(t(k, lang, **kw) for k, kw in problems))
            for lang in ("vi", "en")
        ))


_REGISTRY: dict[str, Standard] = {}


def load_file(path: str | Path, *, register_it: bool = True) -> Standard:
    """Load a standard from a TOML file (and register it under its id).

    Parameters
    ----------
    path : str or Path
        A TOML file shaped like ``povlib/rules/QD59_2015.toml``.
    register_it : bool, default True
        Make it available through :func:`get`.
    """
    path = Path(path)
    with path.open("rb") as fh:
        std = _parse(tomllib.load(fh), path.name)
    if register_it:
        register(std)
    return std


def register(std: Standard) -> None:
    """Make ``std`` available through :func:`get` (replacing one with its id)."""
    _REGISTRY[std.id] = std


def _load_builtin() -> None:
    for f in sorted(RULES_DIR.glob("*.toml")):
        if f.stem not in _REGISTRY:
            load_file(f)


def available() -> list[str]:
    """Ids of all known standards."""
    _load_builtin()
    return sorted(_REGISTRY)


def get(std: str | Standard) -> Standard:
    """Return the standard with id ``std`` (a :class:`Standard` passes through).

    Raises
    ------
    PovlibInputError
        If no standard has that id.
    """
    if isinstance(std, Standard):
        return std
    _load_builtin()
    try:
        return _REGISTRY[str(std)]
    except KeyError:
        raise PovlibInputError.from_key("standards.err.unknown", id=std, known=", ".join(sorted(_REGISTRY))) from None


def standard_for_year(year: int) -> Standard:
    """The built-in standard that governs the review of ``year``."""
    _load_builtin()
    for std in _REGISTRY.values():
        if int(year) in std.review_years:
            return std
    raise PovlibInputError.from_key("standards.err.no_year", year=year)


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


def resolve_indicators(columns, requested: str | None, own: str) -> IndicatorBasis:
    """The standard whose indicators to use on data with ``columns`` (see :class:`IndicatorBasis`).

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
