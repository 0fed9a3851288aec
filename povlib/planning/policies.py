"""Support policies as data: the model, reading and checking the rules, and the officers' overrides.

(Longer than 500 lines on purpose: a policy field, the line that reads it and the check of its value
change together, so the model and the reading of the file are kept in one module.)

The policies (health insurance, learning-cost support, tuition, electricity,
housing loans, preferential credit, set-top boxes) are law, shipped read-only
in ``povlib/rules/policies/policies.toml`` (:data:`POLICIES_FILE`): ids,
legal basis, target groups, unit (household, person, pupil), unit amount in
VND or a formula over named parameters (base salary, contribution rate,
electricity tariff…), the share paid by the state and whether each value is
confirmed. :func:`load_policies` reads them and applies the officers'
overrides (``data/policies/overrides.toml``, see
:mod:`povlib.planning.overrides`).

Names
-----
The names of the shipped policies, parameters and interventions are in the
string catalog (:mod:`povlib.i18n`) under keys derived from their ids:
``policy.<id>.name``, ``param.<id>.label``, ``intervention.<id>.name``; the
set's title and district note under ``policy_set.<set id>.title`` and
``.district_note`` (the file's top-level ``id``). A policies file of one's
own (``plan --policies``) writes ``name_vi``/``name_en`` (``label_vi``/
``label_en`` for parameters; ``title_*``, ``district_note_*`` optionally) for
every entry the catalog has no key for; those texts are used only then.

Target groups
-------------
``poor``, ``near_poor``, ``recently_escaped`` (escaped within 3 reviews and
not poor now), ``income_poor`` / ``deprivation_poor`` (the two branches of the
poor under Decision 59/2015, from ``poor_via``), ``deprived:<indicator>``
(deprived in one indicator, e.g. ``deprived:info_assets``). A policy's groups
are a union; ``exclude_groups`` removes households; ``area`` restricts to
rural/urban.

Given once
----------
``once_per_household = true`` (the set-top box): a household gets it once.
Households that already received it are counted in ``already_covered`` and
not budgeted: the data's ``received_column`` when present, otherwise the
households that were in the policy's groups in an earlier review year of the
panel (assumption: the earlier years' plans were carried out); see
:func:`povlib.planning.eligibility`.

Share rule
----------
A policy may carry a second reading of its state share, switched by a 0/1
parameter (``full_share_switch``): when the switch is 1, only the target
households in ``full_share_groups`` get ``state_share_percent``; the others get
the share in the parameter ``other_share_parameter``. The plan always computes
both readings (``budget`` and ``budget_other`` of :func:`povlib.planning.budget`),
so the effect of an unconfirmed reading is shown without applying it. The
shipped rules use it for the health insurance of the poor (research notes,
unconfirmed: 100 % may apply only to income-poor households and
deprivation-poor households deprived in health insurance).

Examples
--------
>>> pol = load_policies(overrides=None)
>>> pol.unit_amount("health_insurance_poor")
804600
>>> pol.with_parameters({"base_salary": 1_600_000}).unit_amount("health_insurance_poor")
864000
"""
from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import PovlibInputError
from ..i18n import has, t, t_or
from ..textfile import read_utf8, toml_position
from . import overrides as _overrides
from .amounts import eval_amount, formula_names, parse_money
from .overrides import PolicyOverrides

__all__ = [
    "KINDS",
    "PERIODS",
    "POLICIES_FILE",
    "UNITS",
    "InterventionDef",
    "Parameter",
    "Policy",
    "PolicySet",
    "load_policies",
    "loads_policies",
]

#: the shipped rules (read-only)
POLICIES_FILE = paths.RULES_DIR / "policies" / "policies.toml"

#: grant: money paid; exemption: fees waived (a cost to the state); loan/credit: money lent, shown apart.
KINDS: tuple[str, ...] = ("grant", "exemption", "loan", "credit")
UNITS: tuple[str, ...] = ("household", "person", "pupil")
PERIODS: tuple[str, ...] = ("year", "month", "once")
_BASE_GROUPS = ("poor", "near_poor", "recently_escaped", "income_poor", "deprivation_poor")
#: the groups that are a status on the lists: a policy given once may only target these (its history rule)
_LIST_GROUPS = ("poor", "near_poor")


# --- data model -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Parameter:
    """A named number a policy amount is computed from (base salary, tariff, …).

    ``label_vi``/``label_en``: the label written in the file (empty when the
    catalog has ``param.<id>.label``).
    """

    id: str
    value: int | float
    unit: str = ""
    confirmed: bool = False
    source: str = ""
    label_vi: str = ""
    label_en: str = ""

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang``: catalog ``param.<id>.label``, else the file's."""
        return t_or(f"param.{self.id}.label", lang, self.label_vi, self.label_en)

    def unit_text(self, lang: str = "vi") -> str:
        """The unit in ``lang``: catalog ``param.<id>.unit``, else the file's (Vietnamese)."""
        return t_or(f"param.{self.id}.unit", lang, self.unit)

    def source_text(self, lang: str = "vi") -> str:
        """The source in ``lang``: catalog ``param.<id>.source``, else the file's (Vietnamese)."""
        return t_or(f"param.{self.id}.source", lang, self.source)


@dataclass(frozen=True)
class Policy:
    """One support policy.

    ``unit_amount`` is VND per unit and per period (None: not known);
    ``amount_formula`` computes it from parameters instead. The yearly cost of
    one funded unit is ``unit_amount × periods × state_share_percent / 100``.
    ``once_per_household`` / ``received_column``: given once (see "Given once"
    in the module docstring); ``full_share_groups``, ``full_share_switch``,
    ``other_share_parameter``: the second reading of the state share (see
    "Share rule"). ``name_vi``/``name_en``: the name written in the file (empty
    when the catalog has ``policy.<id>.name``).
    """

    id: str
    legal_basis: str
    kind: str
    groups: tuple[str, ...]
    unit: str
    period: str = "year"
    periods: int = 1
    unit_amount: int | None = None
    amount_formula: str | None = None
    state_share_percent: float = 100
    confirmed: bool = False
    source: str = ""
    exclude_groups: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    interest_rate_percent: float | None = None
    covered_elsewhere: str | None = None
    once_per_household: bool = False
    received_column: str | None = None
    full_share_groups: tuple[str, ...] = ()
    full_share_switch: str | None = None
    other_share_parameter: str | None = None
    name_vi: str = ""
    name_en: str = ""

    def name(self, lang: str = "vi") -> str:
        """The name in ``lang``: catalog ``policy.<id>.name``, else the file's."""
        return t_or(f"policy.{self.id}.name", lang, self.name_vi, self.name_en)

    def source_text(self, lang: str = "vi") -> str:
        """The source in ``lang``: catalog ``policy.<id>.source``, else the file's (Vietnamese)."""
        return t_or(f"policy.{self.id}.source", lang, self.source)

    def legal_basis_text(self, lang: str = "vi") -> str:
        """The legal basis in ``lang``: catalog ``policy.<id>.legal_basis``, else the file's (Vietnamese)."""
        return t_or(f"policy.{self.id}.legal_basis", lang, self.legal_basis)

    @property
    def has_share_rule(self) -> bool:
        """The policy carries a second reading of its state share (see "Share rule")."""
        return bool(self.full_share_switch)

    @property
    def is_lending(self) -> bool:
        """Loans and credit lines are money lent, not spent: shown apart from grants."""
        return self.kind in ("loan", "credit")


@dataclass(frozen=True)
class InterventionDef:
    """A what-if intervention: the indicators it closes and its unit cost.

    ``name_vi``/``name_en``: the name written in the file (empty when the
    catalog has ``intervention.<id>.name``).
    """

    id: str
    indicators: tuple[str, ...]
    selection: str  # 'deprived' | 'top_n'
    unit: str  # 'household' | 'person'
    unit_amount: int | None = None
    amount_formula: str | None = None
    confirmed: bool = False
    source: str = ""
    name_vi: str = ""
    name_en: str = ""

    def name(self, lang: str = "vi") -> str:
        """The name in ``lang``: catalog ``intervention.<id>.name``, else the file's."""
        return t_or(f"intervention.{self.id}.name", lang, self.name_vi, self.name_en)

@dataclass(frozen=True)
class PolicySet:
    """Everything in a policies file.

    ``overrides`` records the officers' overrides applied by
    :func:`load_policies` (empty when none is in force); like ``source_file``
    it does not take part in comparisons. ``id`` names the set in the catalog
    keys of its title and district note; ``title_*``/``district_note_*`` are
    the texts written in the file (used when the catalog has no key).
    """

    parameters: tuple[Parameter, ...]
    policies: tuple[Policy, ...]
    interventions: tuple[InterventionDef, ...] = ()
    id: str = ""
    title_vi: str = ""
    title_en: str = ""
    district_poor: bool = False
    #: the district the set was written for ('' none): its note and ``district_poor`` are about it
    district_code: str = ""
    district_note_vi: str = ""
    district_note_en: str = ""
    source_file: str = field(default="", compare=False)
    overrides: PolicyOverrides = field(default_factory=PolicyOverrides, compare=False)

    def title(self, lang: str = "vi") -> str:
        """The set's title in ``lang``: catalog ``policy_set.<id>.title``, else the file's ('' if none)."""
        return t_or(f"policy_set.{self.id}.title", lang, self.title_vi, self.title_en)

    def district_note(self, lang: str = "vi") -> str:
        """The note on the district's status: catalog ``policy_set.<id>.district_note``, else the file's."""
        return t_or(f"policy_set.{self.id}.district_note", lang, self.district_note_vi, self.district_note_en)

    # -- look-ups --------------------------------------------------------------------------
    def policy(self, policy_id: str) -> Policy:
        """The policy ``policy_id``."""
        for p in self.policies:
            if p.id == policy_id:
                return p
        raise PovlibInputError.from_key("plan.err.no_policy", id=policy_id)

    def intervention(self, intervention_id: str) -> InterventionDef:
        """The what-if intervention ``intervention_id``."""
        for i in self.interventions:
            if i.id == intervention_id:
                return i
        known = ", ".join(i.id for i in self.interventions)
        raise PovlibInputError.from_key("plan.err.no_intervention", id=intervention_id, known=known)

    @property
    def parameter_values(self) -> dict[str, int | float]:
        """Parameter id -> value."""
        return {p.id: p.value for p in self.parameters}

    def _formula_confirmed(self, formula: str | None) -> bool:
        if not formula:
            return True
        conf = {p.id: p.confirmed for p in self.parameters}
        return all(conf.get(n, False) for n in formula_names(formula))

    def unit_amount(self, policy_id: str) -> int | None:
        """VND per unit and period of a policy (formula evaluated), or None when unknown."""
        p = self.policy(policy_id)
        if p.amount_formula:
            return eval_amount(p.amount_formula, self.parameter_values)
        return p.unit_amount

    def share_rule_applied(self, policy_id: str) -> bool:
        """True when the policy's second reading of the state share is switched on (its switch parameter is 1)."""
        p = self.policy(policy_id)
        return bool(p.full_share_switch) and self.parameter_values.get(p.full_share_switch) == 1

    def other_share_percent(self, policy_id: str) -> float | None:
        """The state share (%) of the households outside ``full_share_groups`` under the second reading."""
        p = self.policy(policy_id)
        if not p.other_share_parameter:
            return None
        return float(self.parameter_values[p.other_share_parameter])

    def amount_confirmed(self, policy_id: str) -> bool:
        """True when the policy and every parameter of its formula are confirmed and an amount exists.

        With the second reading of the state share switched on, its two parameters must be confirmed too.
        """
        p = self.policy(policy_id)
        ok = p.confirmed and self._formula_confirmed(p.amount_formula) and self.unit_amount(policy_id) is not None
        if ok and self.share_rule_applied(policy_id):
            conf = {q.id: q.confirmed for q in self.parameters}
            ok = conf.get(p.full_share_switch, False) and conf.get(p.other_share_parameter or "", False)
        return bool(ok)

    def intervention_cost(self, intervention_id: str) -> int | None:
        """VND per unit of a what-if intervention (formula evaluated)."""
        i = self.intervention(intervention_id)
        if i.amount_formula:
            return eval_amount(i.amount_formula, self.parameter_values)
        return i.unit_amount

    def intervention_confirmed(self, intervention_id: str) -> bool:
        """True when the intervention and every parameter of its formula are confirmed."""
        i = self.intervention(intervention_id)
        return bool(i.confirmed and self._formula_confirmed(i.amount_formula))

    # -- edits (return new sets; nothing is written) -------------------------------------------
    def with_amounts(self, amounts: Mapping[str, int | None]) -> PolicySet:
        """Return a copy with fixed unit amounts replaced (``{policy_id: VND or None}``).

        A policy whose amount comes from a formula cannot be given a fixed amount
        here: change its parameters with :meth:`with_parameters`.
        """
        if not amounts:
            return self
        known = {p.id for p in self.policies}
        out = []
        for p in self.policies:
            if p.id in amounts:
                new = amounts[p.id]
                if p.amount_formula:
                    if new is not None and new == self.unit_amount(p.id):
                        out.append(p)
                        continue
                    raise PovlibInputError(
                        *(t("plan.err.amount_formula", lang, name=p.name(lang), formula=p.amount_formula)
                          for lang in ("vi", "en")),
                        column="unit_amount",
                    )
                out.append(dataclasses.replace(p, unit_amount=parse_money(new, p.id)))
            else:
                out.append(p)
        unknown = set(amounts) - known
        if unknown:
            raise PovlibInputError.from_key("plan.err.unknown_policies", ids=", ".join(sorted(unknown)))
        return dataclasses.replace(self, policies=tuple(out))

    def with_parameters(self, values: Mapping[str, int | float]) -> PolicySet:
        """Return a copy with parameter values replaced (``{parameter_id: value}``)."""
        if not values:
            return self
        known = {p.id for p in self.parameters}
        unknown = set(values) - known
        if unknown:
            raise PovlibInputError.from_key("plan.err.unknown_parameters", ids=", ".join(sorted(unknown)))
        switches = {q.full_share_switch for q in self.policies if q.full_share_switch}
        shares = {q.other_share_parameter for q in self.policies if q.other_share_parameter}
        out = []
        for p in self.parameters:
            if p.id in values:
                v = values[p.id]
                if v is None or not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
                    raise PovlibInputError(*(t("plan.err.parameter_value", lang, name=p.label(lang), value=repr(v))
                                             for lang in ("vi", "en")), column=p.id)
                if (p.id in switches and v not in (0, 1)) or (p.id in shares and v > 100):
                    key = "plan.err.parameter_switch" if p.id in switches else "plan.err.parameter_share"
                    raise PovlibInputError(*(t(key, lang, name=p.label(lang), value=repr(v)) for lang in ("vi", "en")),
                                           column=p.id)
                if p.id in switches:
                    v = int(v)
                out.append(dataclasses.replace(p, value=v))
            else:
                out.append(p)
        return dataclasses.replace(self, parameters=tuple(out))

    def with_intervention_costs(self, costs: Mapping[str, int | None]) -> PolicySet:
        """Return a copy with fixed what-if unit costs replaced (``{intervention_id: VND}``)."""
        if not costs:
            return self
        out = []
        for i in self.interventions:
            if i.id in costs and not i.amount_formula:
                out.append(dataclasses.replace(i, unit_amount=parse_money(costs[i.id], i.id)))
            else:
                out.append(i)
        return dataclasses.replace(self, interventions=tuple(out))

    def with_overrides(self, ov: PolicyOverrides) -> PolicySet:
        """Return a copy with the officers' overrides applied (parameters, then amounts), recorded in ``overrides``.

        Raises
        ------
        PovlibInputError
            An override names a policy or parameter the rules do not have, gives
            a formula-based policy a fixed amount, or a bad value; the message
            names the overrides file.
        """
        if not len(ov):
            return self
        try:
            out = self.with_parameters(ov.parameters).with_amounts(ov.amounts)
        except PovlibInputError as err:
            name = ov.source or _overrides.OVERRIDES_FILE.name
            raise PovlibInputError(t("plan.err.overrides_apply", "vi", file=name, msg=err.message_vi),
                                   t("plan.err.overrides_apply", "en", file=name, msg=err.message_en)) from err
        return dataclasses.replace(out, overrides=ov)


# --- reading and checking a policies file -----------------------------------------------------------
def _tuple(v) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)


def _own_text(entry: dict, key: str, field: str) -> dict[str, str]:
    """``{field_vi, field_en}`` as written in the file; required (KeyError) unless the catalog has ``key``."""
    names = (f"{field}_vi", f"{field}_en")
    if has(key):
        return {n: entry.get(n, "") for n in names}
    return {n: entry[n] for n in names}


def _parse(data: dict, source: str) -> PolicySet:
    where = ("plan.err.where_file", {})
    try:
        params = tuple(
            Parameter(
                id=str(p["id"]), value=p["value"],
                unit=p.get("unit", ""), confirmed=bool(p.get("confirmed", False)), source=p.get("source", ""),
                **_own_text(p, f"param.{p['id']}.label", "label"),
            )
            for p in data.get("parameters", [])
        )
        pols = []
        for i, p in enumerate(data.get("policies", []), start=1):
            where = ("plan.err.where_policy", {"i": i, "id": p.get("id", "?")})
            pols.append(Policy(
                id=str(p["id"]), **_own_text(p, f"policy.{p['id']}.name", "name"), legal_basis=p.get("legal_basis", ""),
                kind=p["kind"], groups=_tuple(p["groups"]), unit=p["unit"], period=p.get("period", "year"),
                periods=int(p.get("periods", 1)), unit_amount=p.get("unit_amount"),
                amount_formula=p.get("amount_formula"), state_share_percent=p.get("state_share_percent", 100),
                confirmed=bool(p.get("confirmed", False)), source=p.get("source", ""),
                exclude_groups=_tuple(p.get("exclude_groups")), area=_tuple(p.get("area")),
                interest_rate_percent=p.get("interest_rate_percent"), covered_elsewhere=p.get("covered_elsewhere"),
                once_per_household=bool(p.get("once_per_household", False)),
                received_column=p.get("received_column"), full_share_groups=_tuple(p.get("full_share_groups")),
                full_share_switch=p.get("full_share_switch"), other_share_parameter=p.get("other_share_parameter"),
            ))
        ivs = []
        for i, p in enumerate(data.get("interventions", []), start=1):
            where = ("plan.err.where_intervention", {"i": i, "id": p.get("id", "?")})
            ivs.append(InterventionDef(
                id=str(p["id"]), **_own_text(p, f"intervention.{p['id']}.name", "name"), indicators=_tuple(p["indicators"]),
                selection=p.get("selection", "deprived"), unit=p.get("unit", "household"),
                unit_amount=p.get("unit_amount"), amount_formula=p.get("amount_formula"),
                confirmed=bool(p.get("confirmed", False)), source=p.get("source", ""),
            ))
        where = ("plan.err.where_file", {})
        ps = PolicySet(
            id=str(data.get("id", "")), title_vi=data.get("title_vi", ""), title_en=data.get("title_en", ""), parameters=params,
            policies=tuple(pols), interventions=tuple(ivs), district_poor=bool(data.get("district_poor", False)),
            district_code=str(data.get("district_code", "")),
            district_note_vi=data.get("district_note_vi", ""), district_note_en=data.get("district_note_en", ""),
            source_file=source,
        )
    except (KeyError, TypeError, ValueError) as exc:
        key, kw = where
        raise PovlibInputError(
            t("plan.err.file_entry", "vi", where=t(key, "vi", file=source, **kw), detail=str(exc)),
            t("plan.err.file_entry", "en", where=t(key, "en", file=source, **kw), detail=str(exc)),
        ) from exc
    _check(ps)
    return ps


def _check(ps: PolicySet) -> None:
    problems: list[tuple[str, dict]] = []  # (catalog key, placeholders)

    def bad(key: str, **kw) -> None:
        problems.append((f"plan.err.check.{key}", kw))

    ids = [p.id for p in ps.policies]
    if len(set(ids)) != len(ids):
        bad("dup_policies")
    pids = [p.id for p in ps.parameters]
    if len(set(pids)) != len(pids):
        bad("dup_parameters")
    for p in ps.parameters:
        if isinstance(p.value, bool) or not isinstance(p.value, (int, float)) or p.value < 0:
            bad("param_value", id=p.id)
    for p in ps.policies:
        if p.kind not in KINDS:
            bad("kind", id=p.id, kind=p.kind, allowed=", ".join(KINDS))
        if p.unit not in UNITS:
            bad("unit", id=p.id, unit=p.unit, allowed=", ".join(UNITS))
        if p.period not in PERIODS:
            bad("period", id=p.id, period=p.period)
        if p.periods < 1:
            bad("periods", id=p.id)
        for g in (*p.groups, *p.exclude_groups):
            if g not in _BASE_GROUPS and not g.startswith("deprived:"):
                bad("group", id=p.id, group=g)
        if not p.groups:
            bad("no_group", id=p.id)
        if any(a not in ("rural", "urban") for a in p.area):
            bad("area", id=p.id)
        if not (0 <= float(p.state_share_percent) <= 100):
            bad("share", id=p.id)
        if p.unit_amount is not None and p.amount_formula:
            bad("amount_and_formula", id=p.id)
        amount = p.unit_amount
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount < 0):
            bad("amount", id=p.id)
        if p.once_per_household and any(g not in _LIST_GROUPS for g in p.groups):
            bad("once_groups", id=p.id, allowed=", ".join(_LIST_GROUPS))
        if p.received_column and not p.once_per_household:
            bad("received_not_once", id=p.id)
        rule = (p.full_share_switch, p.other_share_parameter, p.full_share_groups)
        if any(rule) and not all(rule):
            bad("share_rule_incomplete", id=p.id)
        for g in p.full_share_groups:
            if g not in _BASE_GROUPS and not g.startswith("deprived:"):
                bad("group", id=p.id, group=g)
        values = ps.parameter_values
        if p.full_share_switch and values.get(p.full_share_switch) not in (0, 1):
            bad("share_switch", id=p.id, param=p.full_share_switch)
        if p.other_share_parameter and not (0 <= float(values.get(p.other_share_parameter, -1)) <= 100):
            bad("share_param", id=p.id, param=p.other_share_parameter)
    for i in ps.interventions:
        if i.selection not in ("deprived", "top_n"):
            bad("selection", id=i.id, selection=i.selection)
        if i.unit not in ("household", "person"):
            bad("iv_unit", id=i.id, unit=i.unit)
    texts = {lang: [t(k, lang, **kw) for k, kw in problems] for lang in ("vi", "en")}
    if not problems:
        # formulas must evaluate with the declared parameters
        try:
            for p in ps.policies:
                ps.unit_amount(p.id)
            for i in ps.interventions:
                ps.intervention_cost(i.id)
        except PovlibInputError as exc:
            texts = {"vi": [exc.message_vi], "en": [exc.message_en]}
    if texts["vi"]:
        raise PovlibInputError(*(t("plan.err.file_invalid", lang, file=ps.source_file, problems="; ".join(texts[lang]))
                                 for lang in ("vi", "en")))


def loads_policies(text: str, source: str = "policies.toml") -> PolicySet:
    """Parse and check a policy set from TOML text (see :func:`load_policies`); no overrides applied."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PovlibInputError.from_key("plan.err.file_toml", file=source, detail=str(exc)) from exc
    return _parse(data, source)


def load_policies(path: str | Path | None = None, *,
                  overrides: str | Path | PolicyOverrides | None = "default") -> PolicySet:
    """Read and check a policies file, then apply the officers' overrides.

    Parameters
    ----------
    path : path, optional
        A policies file (TOML). Default: the shipped rules :data:`POLICIES_FILE`.
    overrides : "default", path, PolicyOverrides or None
        "default": the officers' overrides file (``data/policies/overrides.toml``,
        when it exists) for the shipped rules, none for a file given as ``path``;
        a path or :class:`PolicyOverrides`: those; None: the rules as shipped.

    Raises
    ------
    PovlibInputError
        Missing file, TOML syntax error, unknown kind/unit/group, bad amounts or formulas,
        overrides that do not fit the rules; the message names the file and the policy.
    """
    p = Path(path) if path is not None else POLICIES_FILE
    if not p.exists():
        raise PovlibInputError.from_key("plan.err.file_missing", path=str(p))
    try:
        data = tomllib.loads(read_utf8(p))
    except tomllib.TOMLDecodeError as exc:
        raise PovlibInputError(*(t("plan.err.file_toml", lang, file=p.name, detail=toml_position(str(exc), lang))
                                 for lang in ("vi", "en"))) from exc
    ps = _parse(data, p.name)
    if isinstance(overrides, str) and overrides == "default":
        ov = _overrides.read_overrides() if path is None else PolicyOverrides()
    elif overrides is None:
        ov = PolicyOverrides()
    elif isinstance(overrides, PolicyOverrides):
        ov = overrides
    else:
        ov = _overrides.read_overrides(overrides)
    return ps.with_overrides(ov)

