"""Support policies as data: who qualifies, how many, and what it costs.

The policies (health insurance, learning-cost support, tuition, electricity,
housing loans, preferential credit, set-top boxes) live in
``data/policies/policies.toml``: names in Vietnamese and English, legal basis,
target groups, unit (household, person, pupil), unit amount in VND or a
formula over named parameters (base salary, contribution rate, electricity
tariff…), the share paid by the state and whether the amount is confirmed.
The list of extremely difficult communes (*xã đặc biệt khó khăn*) is
``data/policies/extremely_difficult_communes.csv``.

Eligibility is read from povlib's classification (``status``) and, for
recently escaped households, :func:`povlib.transitions.household_flows`;
nothing is recounted by hand. Money is integer VND.

Target groups
-------------
``poor``, ``near_poor``, ``recently_escaped`` (escaped within 3 reviews and
not poor now), ``deprived:<indicator>`` (deprived in one indicator, e.g.
``deprived:info_assets``). A policy's groups are a union; ``exclude_groups``
removes households; ``area`` restricts to rural/urban.

Double counting
---------------
Health-insurance policies carry ``covered_elsewhere = "health_insurance"``:
members of ethnic-minority households living in an extremely difficult
commune already receive state-paid health insurance, so they are counted as
``already_covered`` and left out of the budget.

Examples
--------
>>> import pandas as pd
>>> from povlib.policy import load_policies, eligibility, budget
>>> pol = load_policies()
>>> pol.unit_amount("health_insurance_poor")
804600
>>> df = pd.DataFrame({"gso_code_2019": ["02020", "02020"], "commune_name": ["A", "A"],
...                    "status": ["poor", "near_poor"], "members": [4, 3],
...                    "area": ["rural", "rural"], "ethnic_minority": [False, False]})
>>> b = budget(eligibility(df, pol, difficult=None), pol)
>>> int(b.loc[b["policy_id"] == "health_insurance_poor", "budget"].iloc[0])
3218400
>>> int(b.loc[b["policy_id"] == "health_insurance_near_poor", "budget"].iloc[0])
1689660
"""
from __future__ import annotations

import ast
import dataclasses
import json
import math
import operator
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .errors import PovlibInputError

__all__ = [
    "POLICY_DIR",
    "POLICIES_FILE",
    "DIFFICULT_FILE",
    "KINDS",
    "UNITS",
    "Parameter",
    "Policy",
    "InterventionDef",
    "PolicySet",
    "load_policies",
    "save_policies",
    "policies_to_toml",
    "policy_table",
    "load_difficult_communes",
    "household_groups",
    "eligibility",
    "budget",
    "commune_totals",
    "eval_amount",
    "round_half_up",
    "loads_policies",
    "describe_groups",
    "policies_sheet",
    "parameters_sheet",
    "detail_sheet",
    "totals_sheet",
    "by_policy_sheet",
]

_ROOT = paths.PROJECT_DIR
POLICY_DIR = _ROOT / "data" / "policies"
POLICIES_FILE = POLICY_DIR / "policies.toml"
DIFFICULT_FILE = POLICY_DIR / "extremely_difficult_communes.csv"

#: grant: money paid; exemption: fees waived (a cost to the state); loan/credit: money lent, shown apart.
KINDS: tuple[str, ...] = ("grant", "exemption", "loan", "credit")
UNITS: tuple[str, ...] = ("household", "person", "pupil")
PERIODS: tuple[str, ...] = ("year", "month", "once")
_BASE_GROUPS = ("poor", "near_poor", "recently_escaped")


# --------------------------------------------------------------------------------------------
# data model
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Parameter:
    """A named number a policy amount is computed from (base salary, tariff, …)."""

    id: str
    label_vi: str
    label_en: str
    value: int | float
    unit: str = ""
    confirmed: bool = False
    source: str = ""

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi


@dataclass(frozen=True)
class Policy:
    """One support policy.

    ``unit_amount`` is VND per unit and per period (None: not known);
    ``amount_formula`` computes it from parameters instead. The yearly cost of
    one funded unit is ``unit_amount × periods × state_share_percent / 100``.
    """

    id: str
    name_vi: str
    name_en: str
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

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi

    @property
    def is_lending(self) -> bool:
        """Loans and credit lines are money lent, not spent: shown apart from grants."""
        return self.kind in ("loan", "credit")


@dataclass(frozen=True)
class InterventionDef:
    """A what-if intervention: the indicators it closes and its unit cost."""

    id: str
    name_vi: str
    name_en: str
    indicators: tuple[str, ...]
    selection: str  # 'deprived' | 'top_n'
    unit: str  # 'household' | 'person'
    unit_amount: int | None = None
    amount_formula: str | None = None
    confirmed: bool = False
    source: str = ""

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class PolicySet:
    """Everything in a policies file."""

    title_vi: str
    title_en: str
    parameters: tuple[Parameter, ...]
    policies: tuple[Policy, ...]
    interventions: tuple[InterventionDef, ...] = ()
    district_poor: bool = False
    district_note_vi: str = ""
    district_note_en: str = ""
    source_file: str = field(default="", compare=False)

    # -- look-ups --------------------------------------------------------------------------
    def policy(self, policy_id: str) -> Policy:
        for p in self.policies:
            if p.id == policy_id:
                return p
        raise PovlibInputError(f"Không có chính sách '{policy_id}'", f"No policy '{policy_id}'")

    def intervention(self, intervention_id: str) -> InterventionDef:
        for i in self.interventions:
            if i.id == intervention_id:
                return i
        known = ", ".join(i.id for i in self.interventions)
        raise PovlibInputError(
            f"Không có can thiệp '{intervention_id}' (có: {known})",
            f"No intervention '{intervention_id}' (known: {known})",
        )

    @property
    def parameter_values(self) -> dict[str, int | float]:
        return {p.id: p.value for p in self.parameters}

    def _formula_confirmed(self, formula: str | None) -> bool:
        if not formula:
            return True
        names = _formula_names(formula)
        conf = {p.id: p.confirmed for p in self.parameters}
        return all(conf.get(n, False) for n in names)

    def unit_amount(self, policy_id: str) -> int | None:
        """VND per unit and period of a policy (formula evaluated), or None when unknown."""
        p = self.policy(policy_id)
        if p.amount_formula:
            return eval_amount(p.amount_formula, self.parameter_values)
        return p.unit_amount

    def amount_confirmed(self, policy_id: str) -> bool:
        """True when the policy and every parameter of its formula are confirmed and an amount exists."""
        p = self.policy(policy_id)
        return bool(p.confirmed and self._formula_confirmed(p.amount_formula) and self.unit_amount(policy_id) is not None)

    def intervention_cost(self, intervention_id: str) -> int | None:
        """VND per unit of a what-if intervention (formula evaluated)."""
        i = self.intervention(intervention_id)
        if i.amount_formula:
            return eval_amount(i.amount_formula, self.parameter_values)
        return i.unit_amount

    def intervention_confirmed(self, intervention_id: str) -> bool:
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
                        f"Mức hỗ trợ của '{p.name_vi}' tính theo công thức ({p.amount_formula}): hãy sửa tham số",
                        f"The amount of '{p.name_en}' comes from a formula ({p.amount_formula}): edit its parameters",
                        column="unit_amount",
                    )
                out.append(dataclasses.replace(p, unit_amount=_money(new, p.id)))
            else:
                out.append(p)
        unknown = set(amounts) - known
        if unknown:
            raise PovlibInputError(
                f"Không có chính sách: {', '.join(sorted(unknown))}",
                f"Unknown policies: {', '.join(sorted(unknown))}",
            )
        return dataclasses.replace(self, policies=tuple(out))

    def with_parameters(self, values: Mapping[str, int | float]) -> PolicySet:
        """Return a copy with parameter values replaced (``{parameter_id: value}``)."""
        if not values:
            return self
        known = {p.id for p in self.parameters}
        unknown = set(values) - known
        if unknown:
            raise PovlibInputError(
                f"Không có tham số: {', '.join(sorted(unknown))}",
                f"Unknown parameters: {', '.join(sorted(unknown))}",
            )
        out = []
        for p in self.parameters:
            if p.id in values:
                v = values[p.id]
                if v is None or not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v < 0:
                    raise PovlibInputError(
                        f"Giá trị tham số '{p.label_vi}' phải là số không âm (nhận: {v!r})",
                        f"Parameter '{p.label_en}' must be a non-negative number (got {v!r})",
                        column=p.id,
                    )
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
                out.append(dataclasses.replace(i, unit_amount=_money(costs[i.id], i.id)))
            else:
                out.append(i)
        return dataclasses.replace(self, interventions=tuple(out))


def _money(v, what: str) -> int | None:
    """An amount in VND: a non-negative integer or None (unknown)."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        f = float("nan")
    if not math.isfinite(f) or f < 0 or f != int(f):
        raise PovlibInputError(
            f"Mức tiền của '{what}' phải là số nguyên không âm (đồng), nhận: {v!r}",
            f"The amount of '{what}' must be a non-negative whole number of VND, got {v!r}",
            column="unit_amount",
        )
    return int(f)


# --------------------------------------------------------------------------------------------
# formulas: + - * / over numbers and parameter names, evaluated exactly
# --------------------------------------------------------------------------------------------
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _formula_names(formula: str) -> list[str]:
    tree = ast.parse(formula, mode="eval")
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]


def round_half_up(x: Fraction) -> int:
    """Round a non-negative exact fraction to the nearest integer, halves up."""
    return int((2 * x.numerator + x.denominator) // (2 * x.denominator))


def eval_amount(formula: str, values: Mapping[str, int | float]) -> int:
    """Evaluate an amount formula exactly and round to whole VND.

    Only numbers, parameter names, ``+ - * /`` and parentheses are allowed.

    Examples
    --------
    >>> eval_amount("base_salary * rate / 100 * 12", {"base_salary": 1_490_000, "rate": 4.5})
    804600
    """
    def ev(node) -> Fraction:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return Fraction(str(node.value))
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise PovlibInputError(
                    f"Công thức '{formula}' dùng tham số chưa khai báo: {node.id}",
                    f"Formula '{formula}' uses an undeclared parameter: {node.id}",
                )
            return Fraction(str(values[node.id]))
        raise PovlibInputError(
            f"Công thức không hợp lệ: '{formula}' (chỉ nhận số, tên tham số, + - * /)",
            f"Invalid formula: '{formula}' (only numbers, parameter names, + - * /)",
        )

    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise PovlibInputError(f"Công thức không hợp lệ: '{formula}'", f"Invalid formula: '{formula}'") from exc
    val = ev(tree)
    if val < 0:
        raise PovlibInputError(f"Công thức '{formula}' cho số âm", f"Formula '{formula}' is negative")
    return round_half_up(val)


# --------------------------------------------------------------------------------------------
# reading and writing the policies file
# --------------------------------------------------------------------------------------------
def _tuple(v) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)


def _parse(data: dict, source: str) -> PolicySet:
    where = source
    try:
        params = tuple(
            Parameter(
                id=str(p["id"]), label_vi=p["label_vi"], label_en=p["label_en"], value=p["value"],
                unit=p.get("unit", ""), confirmed=bool(p.get("confirmed", False)), source=p.get("source", ""),
            )
            for p in data.get("parameters", [])
        )
        pols = []
        for i, p in enumerate(data.get("policies", []), start=1):
            where = f"{source}, chính sách thứ {i} ({p.get('id', '?')})"
            pols.append(Policy(
                id=str(p["id"]), name_vi=p["name_vi"], name_en=p["name_en"], legal_basis=p.get("legal_basis", ""),
                kind=p["kind"], groups=_tuple(p["groups"]), unit=p["unit"], period=p.get("period", "year"),
                periods=int(p.get("periods", 1)), unit_amount=p.get("unit_amount"),
                amount_formula=p.get("amount_formula"), state_share_percent=p.get("state_share_percent", 100),
                confirmed=bool(p.get("confirmed", False)), source=p.get("source", ""),
                exclude_groups=_tuple(p.get("exclude_groups")), area=_tuple(p.get("area")),
                interest_rate_percent=p.get("interest_rate_percent"), covered_elsewhere=p.get("covered_elsewhere"),
            ))
        ivs = []
        for i, p in enumerate(data.get("interventions", []), start=1):
            where = f"{source}, can thiệp thứ {i} ({p.get('id', '?')})"
            ivs.append(InterventionDef(
                id=str(p["id"]), name_vi=p["name_vi"], name_en=p["name_en"], indicators=_tuple(p["indicators"]),
                selection=p.get("selection", "deprived"), unit=p.get("unit", "household"),
                unit_amount=p.get("unit_amount"), amount_formula=p.get("amount_formula"),
                confirmed=bool(p.get("confirmed", False)), source=p.get("source", ""),
            ))
        where = source
        ps = PolicySet(
            title_vi=data.get("title_vi", ""), title_en=data.get("title_en", ""), parameters=params,
            policies=tuple(pols), interventions=tuple(ivs), district_poor=bool(data.get("district_poor", False)),
            district_note_vi=data.get("district_note_vi", ""), district_note_en=data.get("district_note_en", ""),
            source_file=source,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PovlibInputError(
            f"Tệp chính sách {where} thiếu hoặc sai mục: {exc}",
            f"Policies file {where} is missing or has a wrong entry: {exc}",
        ) from exc
    _check(ps)
    return ps


def _check(ps: PolicySet) -> None:
    problems: list[tuple[str, str]] = []
    ids = [p.id for p in ps.policies]
    if len(set(ids)) != len(ids):
        problems.append(("mã chính sách bị trùng", "duplicate policy ids"))
    pids = [p.id for p in ps.parameters]
    if len(set(pids)) != len(pids):
        problems.append(("mã tham số bị trùng", "duplicate parameter ids"))
    for p in ps.parameters:
        if isinstance(p.value, bool) or not isinstance(p.value, (int, float)) or p.value < 0:
            problems.append((f"tham số {p.id}: giá trị phải là số không âm", f"parameter {p.id}: value must be a non-negative number"))
    for p in ps.policies:
        tag = f"chính sách {p.id}"
        if p.kind not in KINDS:
            problems.append((f"{tag}: loại '{p.kind}' không hợp lệ ({', '.join(KINDS)})", f"policy {p.id}: invalid kind '{p.kind}'"))
        if p.unit not in UNITS:
            problems.append((f"{tag}: đơn vị '{p.unit}' không hợp lệ ({', '.join(UNITS)})", f"policy {p.id}: invalid unit '{p.unit}'"))
        if p.period not in PERIODS:
            problems.append((f"{tag}: kỳ '{p.period}' không hợp lệ", f"policy {p.id}: invalid period '{p.period}'"))
        if p.periods < 1:
            problems.append((f"{tag}: số kỳ phải ≥ 1", f"policy {p.id}: periods must be ≥ 1"))
        for g in (*p.groups, *p.exclude_groups):
            if g not in _BASE_GROUPS and not g.startswith("deprived:"):
                problems.append((f"{tag}: nhóm đối tượng '{g}' không hợp lệ", f"policy {p.id}: invalid target group '{g}'"))
        if not p.groups:
            problems.append((f"{tag}: chưa có nhóm đối tượng", f"policy {p.id}: no target group"))
        if any(a not in ("rural", "urban") for a in p.area):
            problems.append((f"{tag}: khu vực chỉ nhận rural/urban", f"policy {p.id}: area must be rural/urban"))
        if not (0 <= float(p.state_share_percent) <= 100):
            problems.append((f"{tag}: tỷ lệ ngân sách nhà nước phải trong 0–100 %", f"policy {p.id}: state share must be 0–100 %"))
        if p.unit_amount is not None and p.amount_formula:
            problems.append((f"{tag}: chỉ được có mức tiền hoặc công thức, không cả hai", f"policy {p.id}: amount and formula both given"))
        if p.unit_amount is not None and (isinstance(p.unit_amount, bool) or not isinstance(p.unit_amount, int) or p.unit_amount < 0):
            problems.append((f"{tag}: mức tiền phải là số nguyên đồng không âm", f"policy {p.id}: amount must be a non-negative integer of VND"))
    for i in ps.interventions:
        if i.selection not in ("deprived", "top_n"):
            problems.append((f"can thiệp {i.id}: cách chọn hộ '{i.selection}' không hợp lệ", f"intervention {i.id}: invalid selection"))
        if i.unit not in ("household", "person"):
            problems.append((f"can thiệp {i.id}: đơn vị '{i.unit}' không hợp lệ", f"intervention {i.id}: invalid unit"))
    if not problems:
        # formulas must evaluate with the declared parameters
        try:
            for p in ps.policies:
                ps.unit_amount(p.id)
            for i in ps.interventions:
                ps.intervention_cost(i.id)
        except PovlibInputError as exc:
            problems.append((exc.message_vi, exc.message_en))
    if problems:
        raise PovlibInputError(
            f"Tệp chính sách {ps.source_file} không hợp lệ: " + "; ".join(p[0] for p in problems),
            f"Policies file {ps.source_file} is invalid: " + "; ".join(p[1] for p in problems),
        )


def load_policies(path: str | Path | None = None) -> PolicySet:
    """Read and check a policies file (TOML; default ``data/policies/policies.toml``).

    Raises
    ------
    PovlibInputError
        Missing file, TOML syntax error, unknown kind/unit/group, bad amounts or
        formulas; the message names the file and the policy.
    """
    p = Path(path) if path is not None else POLICIES_FILE
    if not p.exists():
        raise PovlibInputError(f"Không tìm thấy tệp chính sách {p}", f"Policies file not found: {p}")
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PovlibInputError(f"Tệp chính sách {p.name} sai cú pháp TOML: {exc}",
                               f"Policies file {p.name} is not valid TOML: {exc}") from exc
    return _parse(data, p.name)


_HEADER = (
    "# Chính sách hỗ trợ hộ nghèo, cận nghèo: dữ liệu cho trang \"Kế hoạch hỗ trợ\" và lệnh `python -m povlib plan`.\n"
    "# Support policies for poor and near-poor households (data, not code). Source: docs/poverty-rules.md, section 4.\n"
    "# confirmed = false: the amount (or a parameter it is computed from) could not be checked against the legal\n"
    "# text; the page shows it as \"chưa xác nhận\". Amounts in VND (integers). Saved by povlib.policy.save_policies.\n"
)

_PARAM_KEYS = ("id", "label_vi", "label_en", "value", "unit", "confirmed", "source")
_POLICY_KEYS = ("id", "name_vi", "name_en", "legal_basis", "kind", "groups", "exclude_groups", "area", "unit",
                "period", "periods", "unit_amount", "amount_formula", "interest_rate_percent",
                "state_share_percent", "confirmed", "covered_elsewhere", "source")
_IV_KEYS = ("id", "name_vi", "name_en", "indicators", "selection", "unit", "unit_amount", "amount_formula",
            "confirmed", "source")


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"not a finite number: {v}")
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(v, (tuple, list)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _toml_table(name: str, obj, keys: Sequence[str]) -> str:
    lines = [f"[[{name}]]"]
    for k in keys:
        v = getattr(obj, k)
        if v is None or (isinstance(v, tuple) and not v and k != "groups"):
            continue
        lines.append(f"{k} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


def policies_to_toml(ps: PolicySet) -> str:
    """The TOML text of a policy set (what :func:`save_policies` writes)."""
    parts = [_HEADER, "\n"]
    for k in ("title_vi", "title_en", "district_poor", "district_note_vi", "district_note_en"):
        parts.append(f"{k} = {_toml_value(getattr(ps, k))}\n")
    for p in ps.parameters:
        parts.append("\n" + _toml_table("parameters", p, _PARAM_KEYS))
    for p in ps.policies:
        parts.append("\n" + _toml_table("policies", p, _POLICY_KEYS))
    for i in ps.interventions:
        parts.append("\n" + _toml_table("interventions", i, _IV_KEYS))
    return "".join(parts)


def save_policies(ps: PolicySet, path: str | Path | None = None) -> Path:
    """Check and write a policy set atomically (temporary file, then ``os.replace``).

    The text is re-read and re-checked before it replaces the file, so a
    broken set never overwrites a good one.
    """
    from .export import write_bytes_atomic

    p = Path(path) if path is not None else POLICIES_FILE
    text = policies_to_toml(ps)
    again = _parse(tomllib.loads(text), p.name)  # raises before anything is written
    if dataclasses.replace(again, source_file="") != dataclasses.replace(ps, source_file=""):
        raise PovlibInputError("Không ghi được tệp chính sách: nội dung không khớp sau khi chuyển sang TOML",
                               "Cannot save the policies: the TOML text does not round-trip")
    return write_bytes_atomic(p, text.encode("utf-8"))


def policy_table(ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """One row per policy: names, basis, groups, unit, amount (evaluated), state share, confirmed.

    ``unit_amount`` is a nullable integer (missing when not known);
    ``amount_confirmed`` is False when the policy or one of its parameters is
    unconfirmed; ``from_formula`` marks amounts computed from parameters.
    """
    rows = []
    for p in ps.policies:
        rows.append({
            "policy_id": p.id,
            "name": p.name(lang),
            "legal_basis": p.legal_basis,
            "kind": p.kind,
            "groups": ", ".join(p.groups),
            "unit": p.unit,
            "period": p.period,
            "periods": p.periods,
            "unit_amount": ps.unit_amount(p.id),
            "from_formula": bool(p.amount_formula),
            "formula": p.amount_formula or "",
            "state_share_percent": float(p.state_share_percent),
            "interest_rate_percent": p.interest_rate_percent,
            "amount_confirmed": ps.amount_confirmed(p.id),
            "source": p.source,
        })
    df = pd.DataFrame(rows)
    df["unit_amount"] = df["unit_amount"].astype("Int64")
    return df


# --------------------------------------------------------------------------------------------
# extremely difficult communes
# --------------------------------------------------------------------------------------------
def load_difficult_communes(path: str | Path | None = None) -> pd.DataFrame:
    """Read the list of extremely difficult communes (``gso_code_2019`` as 5-digit text).

    Columns: ``gso_code_2019``, ``commune_name``, ``extremely_difficult`` (bool),
    ``confirmed`` (bool), ``source``, notes. The bundled file is an
    illustrative assumption (all rows ``confirmed = false``).
    """
    p = Path(path) if path is not None else DIFFICULT_FILE
    if not p.exists():
        raise PovlibInputError(f"Không tìm thấy tệp danh sách xã đặc biệt khó khăn {p}",
                               f"Extremely difficult communes file not found: {p}")
    try:
        df = pd.read_csv(p, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - a damaged or empty file gets a message, not a traceback
        from .i18n import t

        kw = {"name": p.name, "kind": "csv", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}
        raise PovlibInputError(t("sec.unreadable", "vi", **kw), t("sec.unreadable", "en", **kw)) from exc
    need = ["gso_code_2019", "extremely_difficult", "confirmed"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise PovlibInputError(f"Tệp {p.name} thiếu cột: {', '.join(missing)}",
                               f"File {p.name} is missing columns: {', '.join(missing)}", column=missing[0])
    out = df.copy()
    for col in ("extremely_difficult", "confirmed"):
        low = out[col].str.strip().str.lower()
        val = low.map({"true": True, "false": False, "1": True, "0": False, "có": True, "không": False})
        bad = val.isna()
        if bad.any():
            rows = [int(i) + 2 for i in np.flatnonzero(bad.to_numpy())[:5]]  # 1-based + header line
            raise PovlibInputError(
                f"Tệp {p.name}, cột '{col}', dòng {rows}: chỉ nhận true/false",
                f"File {p.name}, column '{col}', lines {rows}: only true/false", column=col, rows=rows,
            )
        out[col] = val.astype(bool)
    code = out["gso_code_2019"].str.strip()
    bad = ~code.str.fullmatch(r"\d{5}")
    if bad.any():
        rows = [int(i) + 2 for i in np.flatnonzero(bad.to_numpy())[:5]]
        raise PovlibInputError(f"Tệp {p.name}, cột 'gso_code_2019', dòng {rows}: mã xã phải gồm 5 chữ số",
                               f"File {p.name}, column 'gso_code_2019', lines {rows}: a commune code has 5 digits",
                               column="gso_code_2019", rows=rows)
    out["gso_code_2019"] = code
    return out


# --------------------------------------------------------------------------------------------
# eligibility and budget
# --------------------------------------------------------------------------------------------
def _status_arrays(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if "status" not in df.columns:
        raise PovlibInputError("Bảng chưa được phân loại (thiếu cột 'status')",
                               "Table is not classified (no 'status' column)", column="status")
    s = df["status"].astype(object).to_numpy()
    return s == "poor", s == "near_poor"


def household_groups(df: pd.DataFrame, *, year: int | None = None, flows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Boolean target-group flags per household of one review year.

    Parameters
    ----------
    df : DataFrame
        Classified households (``status``); a multi-year panel (``household_id``,
        ``year``) gives ``recently_escaped`` through
        :func:`povlib.transitions.household_flows`.
    year : int, optional
        Keep this review year (required when ``df`` holds several years).
    flows : DataFrame, optional
        Precomputed ``household_flows(df)`` (indexed like ``df``).

    Returns
    -------
    DataFrame
        The rows of ``year`` with ``poor``, ``near_poor``, ``recently_escaped``
        and, for each indicator column present, ``deprived:<indicator>``.
        ``attrs['recently_escaped_known']`` is False when the table has a single
        year and no ``recently_escaped`` column (then no household is flagged).
    """
    known = True
    if "recently_escaped" in df.columns:
        rec = df["recently_escaped"].fillna(False).to_numpy(dtype=bool)
    elif flows is not None:
        rec = flows.loc[df.index, "recently_escaped"].to_numpy(dtype=bool)
    elif {"household_id", "year"} <= set(df.columns) and df["year"].nunique() > 1:
        from .transitions import household_flows

        rec = household_flows(df)["recently_escaped"].to_numpy(dtype=bool)
    else:
        rec = np.zeros(len(df), dtype=bool)
        known = False
    if year is not None:
        if "year" not in df.columns:
            raise PovlibInputError("Bảng không có cột 'year'", "The table has no 'year' column", column="year")
        keep = (df["year"] == year).to_numpy()
        if not keep.any():
            raise PovlibInputError(f"Không có dữ liệu năm {year}", f"No data for year {year}", column="year")
        sub, rec = df.loc[keep], rec[keep]
    else:
        if "year" in df.columns and df["year"].nunique() > 1:
            raise PovlibInputError("Bảng có nhiều năm: hãy chọn một năm rà soát",
                                   "The table holds several years: choose a review year", column="year")
        sub = df
    poor, near = _status_arrays(sub)
    out = pd.DataFrame({"poor": poor, "near_poor": near, "recently_escaped": rec & ~poor}, index=sub.index)
    from .standards import available, get

    ind_cols = {i for s in available() for i in get(s).indicator_ids}
    for col in sorted(ind_cols & set(sub.columns)):
        out[f"deprived:{col}"] = sub[col].to_numpy() == 1
    out.attrs["recently_escaped_known"] = known
    return out


def _target_mask(p: Policy, groups: pd.DataFrame, area: np.ndarray | None) -> np.ndarray:
    def flag(g: str) -> np.ndarray:
        if g not in groups.columns:
            raise PovlibInputError(
                f"Chính sách '{p.name_vi}': dữ liệu không có thông tin cho nhóm '{g}'",
                f"Policy '{p.name_en}': the data has nothing for group '{g}'", column=g.split(":")[-1],
            )
        return groups[g].to_numpy(dtype=bool)

    m = np.zeros(len(groups), dtype=bool)
    for g in p.groups:
        m |= flag(g)
    for g in p.exclude_groups:
        m &= ~flag(g)
    if p.area:
        if area is None:
            raise PovlibInputError("Thiếu cột 'area' (khu vực)", "Missing column 'area'", column="area")
        m &= np.isin(area, list(p.area))
    return m


def _pupils(sub: pd.DataFrame, ps: PolicySet) -> tuple[np.ndarray, bool]:
    """Pupils per household (float) and whether they are estimated."""
    if "pupils" in sub.columns:
        v = pd.to_numeric(sub["pupils"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isnan(v) | (v < 0) | (v != np.floor(v))
        if bad.any():
            from .errors import first_rows

            rows = first_rows(bad, sub.index)
            raise PovlibInputError(f"Số học sinh phải là số nguyên không âm (cột 'pupils', dòng {rows})",
                                   f"Pupils must be whole non-negative numbers (column 'pupils', rows {rows})",
                                   column="pupils", rows=rows)
        return v, False
    share = ps.parameter_values.get("pupils_per_member")
    if share is None:
        raise PovlibInputError("Không có cột 'pupils' và tham số 'pupils_per_member' để ước tính số học sinh",
                               "No 'pupils' column and no 'pupils_per_member' parameter to estimate pupils")
    return _members(sub) * float(share), True


def _members(sub: pd.DataFrame) -> np.ndarray:
    if "members" not in sub.columns:
        raise PovlibInputError("Thiếu cột 'members' (số nhân khẩu)", "Missing column 'members'", column="members")
    return sub["members"].to_numpy(dtype=np.int64)


def _covered_hi(sub: pd.DataFrame, difficult: pd.DataFrame | None) -> np.ndarray:
    """Households whose members already get state-paid health insurance (ethnic minority in an
    extremely difficult commune)."""
    if difficult is None or "ethnic_minority" not in sub.columns or "gso_code_2019" not in sub.columns:
        return np.zeros(len(sub), dtype=bool)
    codes = set(difficult.loc[difficult["extremely_difficult"], "gso_code_2019"])
    in_ed = sub["gso_code_2019"].astype(str).isin(codes).to_numpy()
    return in_ed & sub["ethnic_minority"].fillna(False).to_numpy(dtype=bool)


def eligibility(
    df: pd.DataFrame,
    policies: PolicySet,
    *,
    year: int | None = None,
    by: str | Sequence[str] | None = ("gso_code_2019", "commune_name"),
    difficult: pd.DataFrame | None | str = "default",
    flows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Eligible households, people and units per policy and unit (commune).

    Parameters
    ----------
    df : DataFrame
        Classified households (one year, or a panel with ``year`` given).
    policies : PolicySet
    year : int, optional
        Review year to plan from.
    by : str or list of str or None
        Grouping columns (None: one row per policy for the whole table).
    difficult : DataFrame or None or "default"
        Extremely difficult communes (:func:`load_difficult_communes`);
        "default" reads the bundled file, None disables the double-counting rule.
    flows : DataFrame, optional
        Precomputed :func:`povlib.transitions.household_flows` of ``df``.

    Returns
    -------
    DataFrame
        Long table: ``by`` columns, ``policy_id``, ``households``, ``people``,
        ``units`` (beneficiaries in the policy's unit: households, people or
        pupils), ``already_covered`` (units covered by another scheme),
        ``funded_units = units − already_covered`` (integers) and
        ``units_estimated`` (True when pupils are estimated).
    """
    if isinstance(difficult, str):
        difficult = load_difficult_communes()
    groups = household_groups(df, year=year, flows=flows)
    sub = df.loc[groups.index]
    members = _members(sub)
    area = sub["area"].astype(object).to_numpy() if "area" in sub.columns else None
    pupils, pupils_est = _pupils(sub, policies)
    covered = _covered_hi(sub, difficult)
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    by_cols = [c for c in by_cols if c in sub.columns] if by_cols else []
    keys = {c: sub[c].astype(str).to_numpy() for c in by_cols}

    parts = []
    for p in policies.policies:  # a handful of policies; households are vectorised
        m = _target_mask(p, groups, area)
        hh = m.astype(np.int64)
        ppl = members * m
        if p.unit == "household":
            units, est = hh.astype(np.float64), False
        elif p.unit == "person":
            units, est = ppl.astype(np.float64), False
        else:
            units, est = pupils * m, pupils_est
        cov_mask = m & covered if p.covered_elsewhere == "health_insurance" else np.zeros(len(m), dtype=bool)
        if p.unit == "household":
            cov = cov_mask.astype(np.float64)
        elif p.unit == "person":
            cov = (members * cov_mask).astype(np.float64)
        else:
            cov = pupils * cov_mask
        frame = pd.DataFrame({**keys, "households": hh, "people": ppl, "units": units, "already_covered": cov})
        if by_cols:
            g = frame.groupby(by_cols, sort=True).sum().reset_index()
        else:
            g = frame.drop(columns=list(keys)).sum().to_frame().T
        g.insert(len(by_cols), "policy_id", p.id)
        g["units_estimated"] = est
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    # estimated pupils are rounded per unit (half up), then counts are integers
    for c in ("units", "already_covered"):
        out[c] = np.floor(out[c].to_numpy(dtype=np.float64) + 0.5 + 1e-9).astype(np.int64)
    for c in ("households", "people"):
        out[c] = out[c].astype(np.int64)
    out["funded_units"] = out["units"] - out["already_covered"]
    out.attrs["recently_escaped_known"] = groups.attrs.get("recently_escaped_known", True)
    out.attrs["pupils_estimated"] = pupils_est
    return out


def budget(elig: pd.DataFrame, policies: PolicySet) -> pd.DataFrame:
    """Add amounts and the yearly budget to an :func:`eligibility` table.

    ``budget = funded_units × unit_amount × periods × state_share_percent / 100``,
    exact integer VND (rounded half up); missing (``<NA>``) when the unit
    amount is not known. Loans and credit lines are ``lending = True``: their
    "budget" is the maximum volume lent, not money spent.
    """
    tab = policy_table(policies).set_index("policy_id")
    out = elig.copy()
    pid = out["policy_id"]
    out["kind"] = pid.map(tab["kind"]).astype(object)
    out["unit"] = pid.map(tab["unit"]).astype(object)
    out["lending"] = out["kind"].isin(["loan", "credit"]).to_numpy()
    amount = pid.map(tab["unit_amount"]).astype("Int64")
    out["unit_amount"] = amount
    out["periods"] = pid.map(tab["periods"]).astype(np.int64)
    share = pid.map(tab["state_share_percent"]).astype(np.float64)
    out["state_share_percent"] = share
    out["amount_confirmed"] = pid.map(tab["amount_confirmed"]).astype(bool)
    # exact: share as a fraction num/den per policy, integer arithmetic per row
    fr = {k: Fraction(str(v)) / 100 for k, v in tab["state_share_percent"].items()}
    num = pid.map({k: f.numerator for k, f in fr.items()}).to_numpy(dtype=np.int64)
    den = pid.map({k: f.denominator for k, f in fr.items()}).to_numpy(dtype=np.int64)
    known = amount.notna().to_numpy()
    a = amount.fillna(0).to_numpy(dtype=np.int64)
    gross = out["funded_units"].to_numpy(dtype=np.int64) * a * out["periods"].to_numpy(dtype=np.int64)
    if np.any(gross.astype(np.float64) * np.maximum(num, 1) * 2 > 9.0e18):
        vals = [round_half_up(Fraction(int(g)) * Fraction(int(n), int(d))) for g, n, d in zip(gross, num, den)]
        b = np.array(vals, dtype=object)
        out["budget"] = pd.array([int(v) if k else pd.NA for v, k in zip(b, known)], dtype="Int64")
    else:
        b = (2 * gross * num + den) // (2 * den)
        out["budget"] = pd.array(np.where(known, b, 0), dtype="Int64")
        out.loc[~known, "budget"] = pd.NA
    return out


def commune_totals(bud: pd.DataFrame, by: str | Sequence[str] = ("gso_code_2019", "commune_name"),
                   *, total_label: str | None = None) -> pd.DataFrame:
    """Per-unit totals of a :func:`budget` table, with a total row when ``total_label`` is given.

    Columns: ``grant_budget`` (grants and exemptions with a known amount),
    ``grant_budget_confirmed`` (the part with confirmed amounts),
    ``lending_volume`` (loans and credit lines, maximum), ``policies_without_amount``
    (policies with eligible units but no amount), ``hi_already_covered`` (people
    already covered by health insurance elsewhere).
    """
    by_cols = [by] if isinstance(by, str) else [c for c in by if c in bud.columns]
    b = bud["budget"].fillna(0).to_numpy(dtype=np.int64)
    lend = bud["lending"].to_numpy(dtype=bool)
    conf = bud["amount_confirmed"].to_numpy(dtype=bool)
    no_amt = bud["unit_amount"].isna().to_numpy() & (bud["units"].to_numpy() > 0)
    pid = bud["policy_id"].astype(str)
    hi = pid.str.startswith("health_insurance").to_numpy()
    frame = pd.DataFrame({
        **{c: bud[c].to_numpy() for c in by_cols},
        "grant_budget": np.where(~lend, b, 0),
        "grant_budget_confirmed": np.where(~lend & conf, b, 0),
        "lending_volume": np.where(lend, b, 0),
        "policies_without_amount": no_amt.astype(np.int64),
        "hi_already_covered": np.where(hi, bud["already_covered"].to_numpy(dtype=np.int64), 0),
    })
    g = frame.groupby(by_cols, sort=True).sum().reset_index() if by_cols else frame.sum().to_frame().T
    if total_label is not None and by_cols:
        tot = frame.drop(columns=by_cols).sum()
        row = {c: "" for c in by_cols}
        row[by_cols[-1]] = total_label
        row.update({k: int(v) for k, v in tot.items()})
        row["policies_without_amount"] = int(pid[no_amt].nunique())
        g = pd.concat([g, pd.DataFrame([row])], ignore_index=True)
    for c in ("grant_budget", "grant_budget_confirmed", "lending_volume", "policies_without_amount", "hi_already_covered"):
        g[c] = g[c].astype(np.int64)
    return g


def loads_policies(text: str, source: str = "policies.toml") -> PolicySet:
    """Parse and check a policy set from TOML text (see :func:`load_policies`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PovlibInputError(f"Tệp chính sách {source} sai cú pháp TOML: {exc}",
                               f"Policies file {source} is not valid TOML: {exc}") from exc
    return _parse(data, source)


# --------------------------------------------------------------------------------------------
# labelled tables (page and export)
# --------------------------------------------------------------------------------------------
def describe_groups(p: Policy, lang: str = "vi") -> str:
    """Target group of a policy in words: 'hộ nghèo, hộ cận nghèo (nông thôn)'."""
    from .i18n import t
    from .standards import available, get

    def one(g: str) -> str:
        if g.startswith("deprived:"):
            ind = g.split(":", 1)[1]
            label = ind
            for s in available():
                std = get(s)
                if ind in std.indicator_ids:
                    label = std.indicator(ind).label(lang)
                    break
            return t("plan.group.deprived", lang, indicator=label)
        return t(f"plan.group.{g}", lang)

    text = ", ".join(one(g) for g in p.groups)
    if p.exclude_groups:
        text += " (" + t("plan.group.except", lang, groups=", ".join(one(g) for g in p.exclude_groups)) + ")"
    if p.area:
        text += " – " + ", ".join(t(f"plan.group.{a}", lang) for a in p.area)
    return text


def policies_sheet(ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """The policy list with Vietnamese (or English) headers, for display and export."""
    from .i18n import t

    tab = policy_table(ps, lang)
    return pd.DataFrame({
        t("plan.col.policy", lang): tab["name"],
        t("plan.col.legal_basis", lang): tab["legal_basis"],
        t("plan.col.kind", lang): [t(f"plan.kind.{k}", lang) for k in tab["kind"]],
        t("plan.col.groups", lang): [describe_groups(p, lang) for p in ps.policies],
        t("plan.col.unit", lang): [t(f"plan.unit.{u}", lang) for u in tab["unit"]],
        t("plan.col.unit_amount", lang): tab["unit_amount"],
        t("plan.col.formula", lang): tab["formula"],
        t("plan.col.periods", lang): tab["periods"].astype("int64"),
        t("plan.col.state_share", lang): tab["state_share_percent"],
        t("plan.col.interest", lang): tab["interest_rate_percent"],
        t("plan.col.confirmed", lang): [t("plan.confirmed" if c else "plan.unconfirmed", lang) for c in tab["amount_confirmed"]],
        t("plan.col.source", lang): tab["source"],
    })


def parameters_sheet(ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """The parameters with labelled headers."""
    from .i18n import t

    return pd.DataFrame({
        t("plan.col.parameter", lang): [p.label(lang) for p in ps.parameters],
        t("plan.col.value", lang): [p.value for p in ps.parameters],
        t("plan.col.param_unit", lang): [p.unit for p in ps.parameters],
        t("plan.col.confirmed", lang): [t("plan.confirmed" if p.confirmed else "plan.unconfirmed", lang) for p in ps.parameters],
        t("plan.col.source", lang): [p.source for p in ps.parameters],
    })


def detail_sheet(bud: pd.DataFrame, ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """Per commune and policy: counts, amount, cost (numbers kept numeric)."""
    from .i18n import t

    names = {p.id: p.name(lang) for p in ps.policies}
    out = {}
    if "gso_code_2019" in bud.columns:
        out[t("plan.col.commune_code", lang)] = bud["gso_code_2019"].astype(str)
    if "commune_name" in bud.columns:
        out[t("general.commune", lang)] = bud["commune_name"].astype(str)
    out.update({
        t("plan.col.policy", lang): bud["policy_id"].map(names),
        t("plan.col.households", lang): bud["households"].astype("int64"),
        t("plan.col.people", lang): bud["people"].astype("int64"),
        t("plan.col.unit", lang): [t(f"plan.unit.{u}", lang) for u in bud["unit"]],
        t("plan.col.units", lang): bud["units"].astype("int64"),
        t("plan.col.estimated", lang): [t("plan.yes" if e else "plan.no", lang) for e in bud["units_estimated"]],
        t("plan.col.already_covered", lang): bud["already_covered"].astype("int64"),
        t("plan.col.funded_units", lang): bud["funded_units"].astype("int64"),
        t("plan.col.unit_amount", lang): bud["unit_amount"],
        t("plan.col.periods", lang): bud["periods"].astype("int64"),
        t("plan.col.state_share", lang): bud["state_share_percent"],
        t("plan.col.budget", lang): bud["budget"],
        t("plan.col.kind", lang): [t(f"plan.kind.{k}", lang) for k in bud["kind"]],
        t("plan.col.confirmed", lang): [t("plan.confirmed" if c else "plan.unconfirmed", lang) for c in bud["amount_confirmed"]],
    })
    return pd.DataFrame(out)


def totals_sheet(bud: pd.DataFrame, lang: str = "vi", *, total_label: str | None = None) -> pd.DataFrame:
    """Per-commune totals (with a total row) with labelled headers."""
    from .i18n import t

    tot = commune_totals(bud, total_label=total_label or t("plan.total_row", lang))
    out = {}
    if "gso_code_2019" in tot.columns:
        out[t("plan.col.commune_code", lang)] = tot["gso_code_2019"].astype(str)
    if "commune_name" in tot.columns:
        out[t("general.commune", lang)] = tot["commune_name"].astype(str)
    for c in ("grant_budget", "grant_budget_confirmed", "lending_volume", "hi_already_covered", "policies_without_amount"):
        out[t(f"plan.col.{c}", lang)] = tot[c].astype("int64")
    return pd.DataFrame(out)


def by_policy_sheet(bud: pd.DataFrame, ps: PolicySet, lang: str = "vi") -> pd.DataFrame:
    """District (scope) totals per policy: counts and cost; cost missing when no amount is known."""
    from .i18n import t

    g = bud.groupby("policy_id", sort=False)[["households", "people", "units", "already_covered", "funded_units"]].sum()
    b = bud.groupby("policy_id", sort=False)["budget"].agg(lambda s: s.sum() if s.notna().all() else pd.NA)
    order = [p.id for p in ps.policies if p.id in g.index]
    g = g.loc[order]
    tab = policy_table(ps, lang).set_index("policy_id").loc[order]
    return pd.DataFrame({
        t("plan.col.policy", lang): tab["name"].to_numpy(),
        t("plan.col.kind", lang): [t(f"plan.kind.{k}", lang) for k in tab["kind"]],
        t("plan.col.groups", lang): [describe_groups(ps.policy(i), lang) for i in order],
        t("plan.col.households", lang): g["households"].astype("int64").to_numpy(),
        t("plan.col.people", lang): g["people"].astype("int64").to_numpy(),
        t("plan.col.unit", lang): [t(f"plan.unit.{u}", lang) for u in tab["unit"]],
        t("plan.col.units", lang): g["units"].astype("int64").to_numpy(),
        t("plan.col.already_covered", lang): g["already_covered"].astype("int64").to_numpy(),
        t("plan.col.funded_units", lang): g["funded_units"].astype("int64").to_numpy(),
        t("plan.col.unit_amount", lang): pd.array(tab["unit_amount"].to_numpy(), dtype="Int64"),
        t("plan.col.state_share", lang): tab["state_share_percent"].to_numpy(),
        t("plan.col.budget", lang): pd.array(b.loc[order].to_numpy(), dtype="Int64"),
        t("plan.col.confirmed", lang): [t("plan.confirmed" if c else "plan.unconfirmed", lang) for c in tab["amount_confirmed"]],
    })
