"""Poverty standards as data.

Over 500 lines on purpose: one topic, a standard – its types, how its TOML file (or a province's local one) is
read and checked, the registry of loaded standards, and their names – all of which change together.

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
indicator, optionally ``definition_vi``/``definition_en`` and
``legal_source_en``), and they are used wherever the catalog has no key. A label
missing from both is an error.

Confirmation
------------
Every value of a rules file says whether it was checked against the official
text: ``confirmed = true/false`` in each ``[lines.<area>]``, ``[scores.<area>]``,
``[[dimensions]]`` and ``[[indicators]]`` entry, and a ``[confirmed]`` table
for the scalar fields (``legal_source``, ``review_years``,
``income_only_poor``, ``deprivation_cutoff``, ``points_per_deprivation``).
An indicator's ``definition_confirmed`` says whether the wording of its
definition (and its cut-offs) was checked. A value without a flag counts as
unconfirmed. :attr:`Standard.unconfirmed` names every unconfirmed field;
:attr:`Standard.provisional` is True when one of them decides classification
(everything but definition wording), and :func:`provisional_note` is the text
pages show next to such a standard.

A standard whose score thresholds are not known leaves out ``[scores]``: its
score path then refuses (:meth:`Standard.score_thresholds`). An income line
whose "average living standard" bound is not known leaves out ``average``.

Local standards
---------------
A province's own (higher) standard is a file in ``povlib/rules/local/`` with
``base = "<id>"``: every field it leaves out is taken from the base standard
(with the base's confirmation flags), except the score thresholds when it
sets its own income lines (the base's thresholds stand for the base's lines).
Local standards are registered with the built-in ones but have no review
years: :func:`standard_for_year` always names the national standard.

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
    "in_order",
    "get",
    "load_file",
    "register",
    "standard_for_year",
    "provisional_note",
    "display_name",
    "short_name",
    "SCALAR_FIELDS",
    "LOCAL_DIR",
    "DEFAULT_STANDARD",
]

RULES_DIR = paths.RULES_DIR
#: a province's own standards (files with ``base = "<id>"``), registered with the built-in ones
LOCAL_DIR = RULES_DIR / "local"
#: the scalar fields whose confirmation is written in the file's ``[confirmed]`` table
SCALAR_FIELDS: tuple[str, ...] = ("legal_source", "review_years", "income_only_poor", "deprivation_cutoff",
                                  "points_per_deprivation")
AREAS: tuple[str, ...] = ("rural", "urban")
#: the standard of data that do not say which one they were reviewed under (the 2016–2020 reviews)
DEFAULT_STANDARD = "QD59_2015"


@dataclass(frozen=True)
class IncomeLines:
    """Income lines in VND per person per month (inclusive upper bounds)."""

    poor: int
    near_poor: int
    average: int | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class ScoreThresholds:
    """Review-score (B1 / A) thresholds (inclusive upper bounds)."""

    poor: int
    near_poor: int
    confirmed: bool = False


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
    confirmed: bool = False

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang``: catalog ``std.<standard>.dimension.<id>``, else the file's."""
        return t_or(f"std.{self.standard}.dimension.{self.id}", lang, self.label_vi, self.label_en)


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
    confirmed: bool = False
    definition_confirmed: bool = False

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang``: catalog ``std.<standard>.indicator.<id>``, else the file's."""
        return t_or(f"std.{self.standard}.indicator.{self.id}", lang, self.label_vi, self.label_en)

    def definition(self, lang: str = "vi") -> str:
        """The legal definition in ``lang``: catalog ``std.<standard>.definition.<id>``, else the file's ('' if none)."""
        return t_or(f"std.{self.standard}.definition.{self.id}", lang, self.definition_vi, self.definition_en)


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
    scores : dict
        Score thresholds by area; empty when the standard's are not known
        (its score path refuses: :meth:`score_thresholds`).
    confirmed : dict
        Confirmation of the scalar fields (:data:`SCALAR_FIELDS`).
    base : str
        The standard a local standard builds on ('' for a national one).

    Examples
    --------
    >>> nd351 = get("ND351_2025")
    >>> nd351.provisional, "indicators.waste_treatment" in nd351.unconfirmed
    (True, True)
    >>> get("ND07_2021").provisional
    False
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
    confirmed: dict[str, bool] = field(default_factory=dict)
    base: str = ""
    source_file: str = field(default="", compare=False)
    legal_source_en: str = ""  # the legal source described in English where the file gives it (else the title)

    @property
    def unconfirmed(self) -> list[str]:
        """Names of the fields not checked against the official text, e.g. ``"lines.rural"``.

        Scalars by name, ``lines.<area>``, ``scores.<area>``, ``dimensions.<id>``,
        ``indicators.<id>`` and ``definitions.<id>`` (an indicator's wording).
        """
        out = [f for f in SCALAR_FIELDS if not self.confirmed.get(f, False)]
        out += [f"lines.{a}" for a in AREAS if not self.lines[a].confirmed]
        out += [f"scores.{a}" for a in AREAS if a in self.scores and not self.scores[a].confirmed]
        out += [f"dimensions.{d.id}" for d in self.dimensions if not d.confirmed]
        out += [f"indicators.{i.id}" for i in self.indicators if not i.confirmed]
        out += [f"definitions.{i.id}" for i in self.indicators if not i.definition_confirmed]
        return out

    @property
    def provisional(self) -> bool:
        """Whether a value that decides classification is unconfirmed (definition wording aside)."""
        return any(not f.startswith("definitions.") for f in self.unconfirmed)

    def score_thresholds(self) -> dict[str, ScoreThresholds]:
        """The score (B1 / A) thresholds by area.

        Raises
        ------
        PovlibInputError
            When the standard's file has none (e.g. Decree 351/2025: not known).
        """
        if not self.scores:
            raise PovlibInputError(*(t("standards.err.no_scores", lang, name=self.name(lang))
                                     for lang in ("vi", "en")), column="b1_score")
        return self.scores

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
        return t_or(f"std.{self.id}.name", lang, self.name_vi, self.name_en)

    def source(self, lang: str = "vi") -> str:
        """The legal source in ``lang``: the act's title (Vietnamese, as published), or the file's English
        description of it (``legal_source_en``) where it gives one.

        >>> get("ND07_2021").source("en"), get("DN_ND07_local_example").source("en")[:31]
        ('Decree 07/2021/NĐ-CP', "Đồng Nai's own poverty standard")
        """
        return self.legal_source_en if lang == "en" and self.legal_source_en else self.legal_source

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


def _flag(entry: dict, key: str = "confirmed") -> bool:
    """A confirmation flag: must be a TOML boolean; absent means unconfirmed."""
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise TypeError(f"{key} = {value!r} (true/false)")
    return value


def _lines(entry: dict) -> IncomeLines:
    avg = entry.get("average")
    return IncomeLines(poor=int(entry["poor"]), near_poor=int(entry["near_poor"]),
                       average=None if avg is None else int(avg), confirmed=_flag(entry))


def _scores(entry: dict) -> ScoreThresholds:
    return ScoreThresholds(poor=int(entry["poor"]), near_poor=int(entry["near_poor"]), confirmed=_flag(entry))


def _parse(data: dict, source: str) -> Standard:
    try:
        sid = str(data["id"])
        base = _national(str(data["base"])) if "base" in data else None
        if base is not None:
            return _parse_local(data, sid, base, source)
        scores = data.get("scores", {})
        dims = tuple(
            Dimension(id=d["id"], standard=sid, confirmed=_flag(d),
                      **_own_label(d, f"std.{sid}.dimension.{d['id']}"))
            for d in data["dimensions"]
        )
        inds = tuple(
            Indicator(id=i["id"], dimension=i["dimension"], standard=sid, confirmed=_flag(i),
                      definition_confirmed=_flag(i, "definition_confirmed"),
                      definition_vi=i.get("definition_vi", ""), definition_en=i.get("definition_en", ""),
                      **_own_label(i, f"std.{sid}.indicator.{i['id']}"))
            for i in data["indicators"]
        )
        conf = data.get("confirmed", {})
        std = Standard(
            id=sid,
            **_own_label(data, f"std.{sid}.name", "name"),
            legal_source=data["legal_source"],
            legal_source_en=data.get("legal_source_en", ""),
            review_years=tuple(int(y) for y in data.get("review_years", ())),
            income_only_poor=bool(data["income_only_poor"]),
            deprivation_cutoff=int(data["deprivation_cutoff"]),
            points_per_deprivation=int(data["points_per_deprivation"]),
            lines={a: _lines(data["lines"][a]) for a in AREAS},
            scores={a: _scores(scores[a]) for a in AREAS} if scores else {},
            dimensions=dims,
            indicators=inds,
            confirmed={f: _flag(conf, f) for f in SCALAR_FIELDS},
            source_file=source,
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PovlibInputError):
            raise
        raise PovlibInputError.from_key("standards.err.file_entry", file=source, detail=str(exc)) from exc
    _check(std)
    return std


def _parse_local(data: dict, sid: str, base: Standard, source: str) -> Standard:
    """A local standard: the fields it writes, the rest (with their flags) from ``base``."""
    conf = data.get("confirmed", {})
    own_lines = "lines" in data
    scores = data.get("scores")
    std = Standard(
        id=sid,
        name_vi=data["name_vi"],
        name_en=data["name_en"],
        legal_source=data.get("legal_source", base.legal_source),
        legal_source_en=data.get("legal_source_en", "" if "legal_source" in data else base.legal_source_en),
        review_years=tuple(int(y) for y in data.get("review_years", ())),
        income_only_poor=bool(data.get("income_only_poor", base.income_only_poor)),
        deprivation_cutoff=int(data.get("deprivation_cutoff", base.deprivation_cutoff)),
        points_per_deprivation=int(data.get("points_per_deprivation", base.points_per_deprivation)),
        lines={a: _lines(data["lines"][a]) for a in AREAS} if own_lines else dict(base.lines),
        # the base's thresholds stand for the base's lines: not inherited with lines of one's own
        scores=({a: _scores(scores[a]) for a in AREAS} if scores else
                {} if own_lines else dict(base.scores)),
        # labels and definitions through the base's catalog keys (Indicator.standard = base id)
        dimensions=base.dimensions,
        indicators=base.indicators,
        # a field it writes carries its own flag; an inherited one the base's; no review years: nothing to confirm
        confirmed={f: _flag(conf, f) if f in data else (f == "review_years" or base.confirmed.get(f, False))
                   for f in SCALAR_FIELDS},
        base=base.id,
        source_file=source,
    )
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
        ln = std.lines[a]
        if not (0 <= ln.poor <= ln.near_poor <= (ln.near_poor if ln.average is None else ln.average)):
            problems.append(("standards.err.check.lines_order", {"area": a}))
        if a in std.scores and not (std.scores[a].poor <= std.scores[a].near_poor):
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
    _load_national()
    for f in sorted(LOCAL_DIR.glob("*.toml")):
        if f.stem not in _REGISTRY:
            load_file(f)


def _load_national() -> None:
    for f in sorted(RULES_DIR.glob("*.toml")):
        if f.stem not in _REGISTRY:
            load_file(f)


def _national(sid: str) -> Standard:
    """The base of a local standard: a registered standard (national files loaded first)."""
    _load_national()
    try:
        return _REGISTRY[sid]
    except KeyError:
        raise PovlibInputError.from_key("standards.err.unknown", id=sid, known=", ".join(sorted(_REGISTRY))) from None


def available() -> list[str]:
    """Ids of all known standards."""
    _load_builtin()
    return sorted(_REGISTRY)


def in_order() -> list[Standard]:
    """Every known standard: the national ones by their first review year, then the local ones by id.

    Examples
    --------
    >>> [s.id for s in in_order()][:3]
    ['QD59_2015', 'ND07_2021', 'ND351_2025']
    """
    _load_builtin()
    return sorted(_REGISTRY.values(), key=lambda s: (bool(s.base), min(s.review_years, default=0), s.id))


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
    """The national standard that governs the review of ``year``.

    Examples
    --------
    >>> [standard_for_year(y).id for y in (2019, 2022, 2027)]
    ['QD59_2015', 'ND07_2021', 'ND351_2025']
    """
    _load_builtin()
    for std in _REGISTRY.values():
        if int(year) in std.review_years and not std.base:
            return std
    raise PovlibInputError.from_key("standards.err.no_year", year=year)


#: catalog key of the group each unconfirmed field belongs to (``standards.field.<group>``)
_FIELD_GROUP = {"lines": "lines", "scores": "scores", "dimensions": "indicators", "indicators": "indicators",
                "deprivation_cutoff": "rule", "income_only_poor": "rule", "points_per_deprivation": "points",
                "legal_source": "legal_source", "review_years": "review_years"}


def provisional_note(std: str | Standard, lang: str = "vi") -> str:
    """The text shown next to a provisional standard ('' when every deciding value is confirmed).

    Examples
    --------
    >>> provisional_note("QD59_2015")
    ''
    >>> provisional_note("ND351_2025", "en").startswith("Provisional standard")
    True
    """
    std = get(std)
    if not std.provisional:
        return ""
    groups = dict.fromkeys(_FIELD_GROUP[f.split(".")[0]] for f in std.unconfirmed if not f.startswith("definitions."))
    return t("standards.provisional.note", lang, name=std.name(lang),
             fields=", ".join(t(f"standards.field.{g}", lang) for g in groups))


def short_name(std: str | Standard, lang: str = "vi") -> str:
    """A short name for a chart label: catalog ``std.<id>.short``, else the legal source's first act, else
    the id (a standard not registered here, e.g. from an imported file).

    Examples
    --------
    >>> short_name("QD59_2015"), short_name("ND07_2021", "en"), short_name("XYZ_2040")
    ('QĐ 59/2015', 'Decree 07/2021', 'XYZ_2040')
    """
    sid = std.id if isinstance(std, Standard) else str(std)
    try:
        own = get(sid).legal_source.split(";")[0].strip()
    except PovlibInputError:
        own = sid
    return t_or(f"std.{sid}.short", lang, own or sid)


def display_name(std: str | Standard, lang: str = "vi") -> str:
    """The standard's name, with the provisional badge when it is provisional.

    Examples
    --------
    >>> display_name("ND351_2025", "en")
    'Provisional · Multidimensional poverty standard 2026–2030'
    """
    std = get(std)
    name = std.name(lang)
    return t("standards.provisional.badge", lang, name=name) if std.provisional else name
