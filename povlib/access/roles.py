"""Roles, unit scopes and the one decision: may this account do this for this unit then?

The roles and the actions they may do are data: ``povlib/rules/access/roles.toml``
(each action that touches personal data names its legal basis, the Personal
Data Protection Law 91/2025/QH15 after Decree 13/2023/NĐ-CP). Four roles ship:
``viewer`` (aggregates only), ``commune_officer`` (names, imports, undo and
plans for its own communes), ``district_officer`` (the same for its districts
or province) and ``administrator`` (accounts and the audit record, no names).

A :class:`Scope` is a unit with dates: a commune (5-digit code), a district
(3 digits) or a province (2 digits), valid from one date to another (open
ended when ``valid_to`` is None). :func:`resolve_scope` is the single place
where a scope becomes the set of commune codes it covers; :func:`may` decides
one action, :func:`names_mask` / :func:`rows_with_names` keep the rows of a
households frame an account may see with names (vectorised, by review year).

Examples
--------
>>> from datetime import date
>>> from povlib.access.roles import Grant, Scope, may, role_actions
>>> role_actions("viewer")
('view_aggregates',)
>>> officer = Grant(role="commune_officer", scopes=(Scope("02023", "commune", date(2016, 1, 1)),))
>>> may(officer, "view_names", "02023", 2019), may(officer, "view_names", "02026", 2019)
(True, False)
>>> may(officer, "view_names", "02023", 2015)          # before the scope began
False
>>> may(officer, "manage_accounts")
False
>>> district = Grant(role="district_officer", scopes=(Scope("064", "district", date(2016, 1, 1)),))
>>> may(district, "import", "02023", 2019), may(district, "import", "064", 2019), may(district, "import", "061", 2019)
(True, True, False)
"""
from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
import pandas as pd

from .. import paths
from ..errors import PovlibInputError
from ..i18n import t, t_or
from ..units import as_date, key, predecessors, successors, units_at

__all__ = ["ROLES_FILE", "LEVELS", "Scope", "Grant", "Principal", "role_ids", "actions", "role_actions",
           "role_scope_levels", "role_label", "action_label", "check_role", "check_action", "level_of", "make_scope", "unit_communes",
           "resolve_scope", "scope_communes", "scope_level_error", "scopes_display", "may", "refused", "names_mask", "rows_with_names"]

#: the roles as data
ROLES_FILE = paths.RULES_DIR / "access" / "roles.toml"
#: unit levels and the length of their codes
LEVELS = {"commune": 5, "district": 3, "province": 2}


@dataclass(frozen=True)
class Scope:
    """A unit an account works for, with the dates it does.

    Attributes
    ----------
    unit_code : str
        The unit's code (commune 5 digits, district 3, province 2; GSO list of 01/12/2019).
    level : str
        ``'commune'``, ``'district'`` or ``'province'``.
    valid_from : date
        First day the scope holds.
    valid_to : date or None
        Last day it holds (None: open ended).
    """

    unit_code: str
    level: str
    valid_from: dt.date
    valid_to: dt.date | None = None

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the scope holds on some day of ``start``..``end``."""
        return self.valid_from <= end and (self.valid_to is None or self.valid_to >= start)

    def to_dict(self) -> dict:
        """The scope as JSON-ready data."""
        return {"unit_code": self.unit_code, "level": self.level, "valid_from": self.valid_from.isoformat(),
                "valid_to": self.valid_to.isoformat() if self.valid_to else None}

    @classmethod
    def from_dict(cls, d: dict) -> Scope:
        """The scope written by :meth:`to_dict`."""
        return cls(str(d["unit_code"]), str(d["level"]), dt.date.fromisoformat(d["valid_from"]),
                   dt.date.fromisoformat(d["valid_to"]) if d.get("valid_to") else None)

    def label(self) -> str:
        """``level:code from..to`` (machine text for lists and the audit record)."""
        to = self.valid_to.isoformat() if self.valid_to else ""
        return f"{self.level}:{self.unit_code} {self.valid_from.isoformat()}..{to}"


class Principal(Protocol):
    """Whatever carries a role and scopes: an account, a session, a :class:`Grant`."""

    role: str
    scopes: tuple[Scope, ...]
    disabled: bool


@dataclass(frozen=True)
class Grant:
    """A role with scopes, on its own (tests, examples, the command line's checks)."""

    role: str
    scopes: tuple[Scope, ...] = ()
    disabled: bool = False


@cache
def _rules() -> dict:
    return tomllib.loads(ROLES_FILE.read_text(encoding="utf-8"))


def role_ids() -> tuple[str, ...]:
    """The role ids, in the file's order.

    >>> role_ids()
    ('viewer', 'commune_officer', 'district_officer', 'administrator')
    """
    return tuple(_rules()["roles"])


def actions() -> dict[str, dict]:
    """Every action: ``{id: {scoped, personal_data, basis?, confirmed?}}``."""
    return dict(_rules()["actions"])


def role_label(role: str, lang: str = "vi") -> str:
    """A role's name for people (catalog ``access.role.<id>``; the id itself for a role the catalog lacks).

    >>> role_label("commune_officer"), role_label("commune_officer", "en")
    ('Cán bộ xã', 'Commune officer')
    """
    return t_or(f"access.role.{role}", lang, role)


def action_label(action: str, lang: str = "vi") -> str:
    """An action's name for people (catalog ``access.action.<id>``).

    >>> action_label("view_names", "en")
    'View household names'
    """
    return t_or(f"access.action.{action}", lang, action)


def check_role(role: str) -> str:
    """``role`` if it is a known role, else a :class:`~povlib.errors.PovlibInputError`."""
    if role not in _rules()["roles"]:
        raise PovlibInputError.from_key("access.err.unknown_role", role=role, known=", ".join(role_ids()))
    return role


def check_action(action: str) -> str:
    """``action`` if it is a known action, else a :class:`~povlib.errors.PovlibInputError`."""
    if action not in _rules()["actions"]:
        raise PovlibInputError.from_key("access.err.unknown_action", action=action,
                                        known=", ".join(_rules()["actions"]))
    return action


def role_actions(role: str) -> tuple[str, ...]:
    """The actions ``role`` may do (empty for an unknown role)."""
    return tuple(_rules()["roles"].get(role, {}).get("actions", ()))


def role_scope_levels(role: str) -> tuple[str, ...]:
    """The unit levels a scope of ``role`` may name (empty: the role takes no scope)."""
    return tuple(_rules()["roles"].get(role, {}).get("scope_levels", ()))


# --- units -------------------------------------------------------------------------------------


#: the first day of the unit registry (``povlib.units``): a scope from before it is read on that day
_REGISTRY_FROM = dt.date(2016, 1, 1)


def level_of(code: str) -> str:
    """The level a unit code names, by its length.

    >>> level_of("02023"), level_of("064"), level_of("06")
    ('commune', 'district', 'province')
    """
    code = str(code).strip()
    for level, width in LEVELS.items():
        if len(code) == width and code.isdigit():
            return level
    raise PovlibInputError.from_key("access.err.bad_unit", code=code)


def unit_communes(code: str, when=None, since=None) -> frozenset[str]:
    """The communes of the unit registry inside unit ``code`` on the day ``when`` (a date, a review year:
    its first and last day, or None: today); empty if there is no such unit then.

    A unit is a code and a period (``povlib.units``): a commune code names the unit in force on ``since`` (a
    scope's first day; default ``when``); on a later day it covers the communes it became wholly (a new code),
    not one it was merged into with others. A district or province after the 2025 reform is a former one: the
    new communes wholly inside it. A scope never covers households of a unit it was not given.

    >>> len(unit_communes("064", 2019)), len(unit_communes("06", 2019)), sorted(unit_communes("02023", 2019))
    (22, 122, ['02023'])
    >>> sorted(unit_communes("02023", 2026, since=2019)), len(unit_communes("19", 2026))  # merged with others
    ([], 92)
    """
    code = str(code).strip()
    try:
        level = level_of(code)
    except PovlibInputError:
        return frozenset()
    out: set[str] = set()
    for day in _days(when):
        if level == "commune":
            there = set(units_at(day)["code"].astype(str))
            out |= _commune_on(code, since if since is not None else day, day, there)
            continue
        # the registry's communes within the unit (a former one through their former_*_codes), less those that
        # straddle it and another (they would show the other's households to this scope)
        u = units_at(day, within=code)
        hit = (u[f"{level}_code"].astype(str) == code) | (u[f"former_{level}_codes"].fillna("").astype(str) == code)
        out |= set(u.loc[hit, "code"].astype(str))
    return frozenset(out)


def _days(when) -> tuple[dt.date, ...]:
    """The days a period is judged on: a review year's first and last (a reform inside it: both units)."""
    start, end = _period(when)
    return (start,) if start == end else (start, end)


def _commune_on(code: str, since, day: dt.date, there: set[str]) -> set[str]:
    """The communes of ``day`` that the commune ``code`` (the unit of ``since``) is or became wholly: itself, or
    a successor made of it alone (a new code); not a commune it was merged into with others, whose other
    households are not this scope's."""
    try:
        first = key(code, as_date(since) if not isinstance(since, int) else dt.date(since, 12, 31))
    except PovlibInputError:
        return set()
    try:
        if key(code, day) == first:
            return {code}
    except PovlibInputError:
        pass
    try:
        after = {k.code for k in successors(first, day)} & there
        return {c for c in after if {k.code for k in predecessors((c, day), as_date(first.valid_from))} <= {code}}
    except PovlibInputError:
        return set()


def scope_level_error(role: str, level: str) -> PovlibInputError:
    """The refusal of a scope of ``level`` for ``role``, in words (the role's name, the levels' names).

    >>> scope_level_error("commune_officer", "district").message("vi")
    'Vai trò Cán bộ xã không nhận phạm vi cấp huyện (nhận: xã).'
    """
    def say(lang: str) -> str:
        levels = ", ".join(t(f"access.level.{lv}", lang) for lv in role_scope_levels(role)) or "-"
        return t("access.err.scope_level", lang, role=role_label(role, lang), level=t(f"access.level.{level}", lang),
                 levels=levels)

    return PovlibInputError(say("vi"), say("en"))


def make_scope(code: str, valid_from: dt.date | None = None, valid_to: dt.date | None = None,
               role: str | None = None) -> Scope:
    """A checked scope: the unit exists, the dates are in order, and ``role`` may take its level.

    >>> from datetime import date
    >>> make_scope("064", date(2020, 1, 1)).level
    'district'
    >>> make_scope("064", date(2020, 1, 1), role="commune_officer")
    Traceback (most recent call last):
    ...
    povlib.errors.PovlibInputError: ...
    """
    code = str(code).strip()
    level = level_of(code)
    start = valid_from or dt.date(2000, 1, 1)
    if not unit_communes(code, max(start, _REGISTRY_FROM), since=max(start, _REGISTRY_FROM)):
        raise PovlibInputError.from_key("access.err.unknown_unit", code=code)
    if valid_to is not None and valid_to < start:
        raise PovlibInputError.from_key("access.err.scope_dates", start=start.isoformat(), end=valid_to.isoformat())
    if role is not None and level not in role_scope_levels(role):
        raise scope_level_error(role, level)
    return Scope(code, level, start, valid_to)


def resolve_scope(scope: Scope, start: dt.date, end: dt.date) -> frozenset[str]:
    """The commune codes ``scope`` covers on some day of ``start``..``end`` – the single place that decides.

    The communes of the scope's unit (the unit its code named on the scope's first day) on the first and the
    last day of the period the scope holds in (:func:`unit_communes`: after a reform, what the unit became
    wholly); nothing when the scope does not hold. Every check (:func:`may`, :func:`names_mask`) goes through
    here.

    >>> from datetime import date
    >>> s = Scope("064", "district", date(2018, 1, 1), date(2018, 12, 31))
    >>> len(resolve_scope(s, date(2018, 6, 1), date(2018, 6, 1))), len(resolve_scope(s, date(2019, 1, 1), date(2019, 12, 31)))
    (22, 0)
    """
    if not scope.overlaps(start, end):
        return frozenset()
    first = max(start, scope.valid_from)
    last = min(end, scope.valid_to) if scope.valid_to is not None else end
    since = max(scope.valid_from, _REGISTRY_FROM)
    return unit_communes(scope.unit_code, first, since=since) | unit_communes(scope.unit_code, last, since=since)


def _period(when) -> tuple[dt.date, dt.date]:
    """A date → that day; a review year → the whole year; None → today."""
    if when is None:
        today = dt.date.today()
        return today, today
    if isinstance(when, dt.datetime):
        return when.date(), when.date()
    if isinstance(when, dt.date):
        return when, when
    year = int(when)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def scope_communes(principal: Principal, when=None) -> frozenset[str]:
    """Every commune the principal's scopes cover in ``when`` (a date, a review year or None for today)."""
    start, end = _period(when)
    out: set[str] = set()
    for scope in principal.scopes:
        out |= resolve_scope(scope, start, end)
    return frozenset(out)


def may(principal: Principal, action: str, unit_code: str | None = None, when=None) -> bool:
    """Whether ``principal`` may do ``action`` (for ``unit_code`` in ``when``: a date, a review year, None = today).

    A disabled principal may do nothing; an action its role does not list is
    refused; a scoped action (``scoped = true`` in the roles file) needs a
    unit whose every commune lies inside the principal's scopes in that
    period (a commune, or a district or province wholly covered).
    An unknown action raises, so that a typo is not a silent refusal.
    """
    check_action(action)
    if principal is None or getattr(principal, "disabled", False):
        return False
    if action not in role_actions(principal.role):
        return False
    if not _rules()["actions"][action].get("scoped", False):
        return True
    if unit_code is None:
        return False
    wanted = unit_communes(str(unit_code), when)
    return bool(wanted) and wanted <= scope_communes(principal, when)


def refused(principal: Principal, action: str, units: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The ``(unit code, review year)`` pairs of ``units`` for which ``principal`` may not do ``action``
    (e.g. the communes and years of a file to import); empty when every one is allowed.

    >>> from datetime import date
    >>> g = Grant("commune_officer", (Scope("02023", "commune", date(2016, 1, 1)),))
    >>> refused(g, "import", [("02023", 2019), ("02026", 2019), ("02023", 2019)])
    [('02026', 2019)]
    """
    out: list[tuple[str, int]] = []
    for code, year in dict.fromkeys((str(c), int(y)) for c, y in units):
        if not may(principal, action, code, year):
            out.append((code, year))
    return out


def names_mask(principal: Principal, households: pd.DataFrame, action: str = "view_names", *,
               code_col: str = "commune_code", year_col: str = "year") -> np.ndarray:
    """Boolean mask of the rows of ``households`` the principal may see with names (``action``).

    Vectorised: one set of communes per distinct review year. A frame without
    a year column is judged for today.
    """
    n = len(households)
    if principal is None or getattr(principal, "disabled", False) or action not in role_actions(principal.role):
        return np.zeros(n, dtype=bool)
    check_action(action)
    codes = households[code_col].astype(str).to_numpy() if code_col in households else np.full(n, "")
    if year_col not in households:
        return np.isin(codes, list(scope_communes(principal, None)))
    years = pd.to_numeric(households[year_col], errors="coerce").to_numpy()
    mask = np.zeros(n, dtype=bool)
    for year in pd.unique(years[~np.isnan(years)]):
        rows = years == year
        allowed = scope_communes(principal, int(year))
        if allowed:
            mask[rows] = np.isin(codes[rows], list(allowed))
    return mask


def rows_with_names(principal: Principal, households: pd.DataFrame, action: str = "view_names") -> pd.DataFrame:
    """The rows of ``households`` the principal may see with names (a copy; possibly empty).

    >>> import pandas as pd
    >>> from datetime import date
    >>> df = pd.DataFrame({"commune_code": ["02023", "02026", "02023"], "year": [2019, 2019, 2015]})
    >>> g = Grant("commune_officer", (Scope("02023", "commune", date(2016, 1, 1)),))
    >>> rows_with_names(g, df).index.tolist(), len(rows_with_names(Grant("viewer"), df))
    ([0], 0)
    """
    return households.loc[names_mask(principal, households, action)].copy()


def scopes_display(scopes: Iterable[Scope], lang: str = "vi") -> str:
    """Scopes in words for people (lists of accounts), dates as 01/07/2025.

    >>> from datetime import date
    >>> scopes_display([Scope("02050", "commune", date(2019, 1, 1))])
    'xã 02050 từ 01/01/2019'
    """
    def one(s: Scope) -> str:
        parts = {"level": t(f"access.level.{s.level}", lang), "code": s.unit_code, "start": s.valid_from.strftime("%d/%m/%Y")}
        if s.valid_to is None:
            return t("access.scope.open", lang, **parts)
        return t("access.scope.closed", lang, **parts, end=s.valid_to.strftime("%d/%m/%Y"))

    return "; ".join(one(s) for s in scopes)


def scopes_text(scopes: Iterable[Scope]) -> str:
    """Scopes as one line of machine text (``; ``-separated :meth:`Scope.label`)."""
    return "; ".join(s.label() for s in scopes)
