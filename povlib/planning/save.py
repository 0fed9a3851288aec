"""Writing policies: a whole policies file, or the officers' overrides of the shipped rules.

The shipped rules (``povlib/rules/policies/policies.toml``) are never written
by the application. What an officer saves from the planning page goes to the
overrides file (``data/policies/overrides.toml``) with :func:`save_overrides`:
only the parameters and fixed amounts that differ from the rules. Both writers
re-read their text and check it before it replaces a file (atomically), so a
broken set never overwrites a good one.

Examples
--------
>>> from povlib.planning import load_policies, loads_policies, PolicyOverrides
>>> pol = load_policies(overrides=None)
>>> loads_policies(policies_to_toml(pol)) == pol
True
>>> print(overrides_to_toml(PolicyOverrides({"base_salary": 1600000}, {"learning_cost": 150000})).split("\\n\\n", 1)[1])
[parameters]
base_salary = 1600000
<BLANKLINE>
[amounts]
learning_cost = 150000
<BLANKLINE>
"""
from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from pathlib import Path

from ..errors import PovlibInputError
from ..export import write_bytes_atomic
from . import overrides as _overrides
from .edits import overrides_between
from .overrides import PolicyOverrides, loads_overrides
from .policies import PolicySet, load_policies, loads_policies

__all__ = ["overrides_to_toml", "policies_to_toml", "save_overrides", "save_policies"]

_HEADER = (
    "# Chính sách hỗ trợ hộ nghèo, cận nghèo: dữ liệu cho trang \"Kế hoạch hỗ trợ\" và lệnh `python -m povlib plan`.\n"
    "# Support policies for poor and near-poor households (data, not code). Source: docs/poverty-rules.md, section 4.\n"
    "# confirmed = false: the amount (or a parameter it is computed from) could not be checked against the legal\n"
    "# text; the page shows it as \"chưa xác nhận\". Amounts in VND (integers). Written by povlib.planning.save;\n"
    "# the shipped rules are read-only: an officer's changes go to data/policies/overrides.toml.\n"
)

_OVERRIDES_HEADER = (
    "# Mức hỗ trợ và tham số cán bộ đã sửa trên trang \"Kế hoạch hỗ trợ\": chỉ các giá trị khác văn bản gốc\n"
    "# (povlib/rules/policies/policies.toml). Officers' overrides of the shipped rules, written by\n"
    "# povlib.planning.save_overrides; delete this file to plan with the rules as shipped.\n"
)

_PARAM_KEYS = ("id", "label_vi", "label_en", "value", "unit", "confirmed", "source")
_POLICY_KEYS = ("id", "name_vi", "name_en", "legal_basis", "kind", "groups", "exclude_groups", "area", "unit",
                "period", "periods", "unit_amount", "amount_formula", "interest_rate_percent",
                "state_share_percent", "confirmed", "covered_elsewhere", "once_per_household", "received_column",
                "full_share_groups", "full_share_switch", "other_share_parameter", "source")
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


#: texts written only when not empty (the shipped entries' texts are in the catalog, not in the file)
_OWN_TEXTS = frozenset({"label_vi", "label_en", "name_vi", "name_en", "title_vi", "title_en",
                        "district_note_vi", "district_note_en"})


def _toml_table(name: str, obj, keys: Sequence[str]) -> str:
    lines = [f"[[{name}]]"]
    for k in keys:
        v = getattr(obj, k)
        if v is None or (isinstance(v, tuple) and not v and k != "groups") or (k in _OWN_TEXTS and not v) \
                or (k == "once_per_household" and not v):
            continue
        lines.append(f"{k} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"


def _key(k: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return k if k and all(c.isascii() and (c.isalnum() or c in "_-") for c in k) else json.dumps(k)


def policies_to_toml(ps: PolicySet) -> str:
    """The TOML text of a policy set (what :func:`save_policies` writes)."""
    parts = [_HEADER, "\n"]
    for k in ("id", "title_vi", "title_en", "district_code", "district_poor", "district_note_vi", "district_note_en"):
        v = getattr(ps, k)
        if (k in _OWN_TEXTS or k in ("id", "district_code")) and not v:
            continue
        parts.append(f"{k} = {_toml_value(v)}\n")
    for p in ps.parameters:
        parts.append("\n" + _toml_table("parameters", p, _PARAM_KEYS))
    for p in ps.policies:
        parts.append("\n" + _toml_table("policies", p, _POLICY_KEYS))
    for i in ps.interventions:
        parts.append("\n" + _toml_table("interventions", i, _IV_KEYS))
    return "".join(parts)


def save_policies(ps: PolicySet, path: str | Path) -> Path:
    """Check and write a whole policy set to ``path`` atomically (temporary file, then ``os.replace``).

    The text is re-read and re-checked before it replaces the file. The shipped
    rules are not a target: save an officer's changes with :func:`save_overrides`.
    """
    p = Path(path)
    text = policies_to_toml(ps)
    again = loads_policies(text, p.name)  # raises before anything is written
    if dataclasses.replace(again, source_file="") != dataclasses.replace(ps, source_file=""):
        raise PovlibInputError.from_key("plan.err.save_round_trip")
    return write_bytes_atomic(p, text.encode("utf-8"))


def overrides_to_toml(ov: PolicyOverrides) -> str:
    """The TOML text of an overrides file (see :mod:`povlib.planning.overrides`)."""
    sections = []
    cleared = sorted(k for k, v in ov.amounts.items() if v is None)
    if cleared:
        sections.append(f"unknown_amounts = {_toml_value(cleared)}\n")
    if ov.parameters:
        sections.append("[parameters]\n" + "".join(f"{_key(k)} = {_toml_value(v)}\n" for k, v in ov.parameters.items()))
    fixed = {k: v for k, v in ov.amounts.items() if v is not None}
    if fixed:
        sections.append("[amounts]\n" + "".join(f"{_key(k)} = {_toml_value(v)}\n" for k, v in fixed.items()))
    return _OVERRIDES_HEADER + "\n" + "\n".join(sections)


def save_overrides(edited: PolicySet, path: str | Path | None = None, *, rules: PolicySet | None = None) -> Path:
    """Write the values of ``edited`` that differ from the shipped rules to the overrides file.

    Parameters
    ----------
    edited : PolicySet
        The shipped rules with an officer's parameters and fixed amounts.
    path : path, optional
        Default: ``data/policies/overrides.toml``.
    rules : PolicySet, optional
        The rules to compare with (default: the shipped rules, without overrides).

    Returns
    -------
    Path
        The file written. When nothing differs any more, the file is removed
        (the rules apply as shipped).

    Raises
    ------
    PovlibInputError
        ``edited`` differs from the rules in more than parameters and fixed
        amounts (policies, targets, formulas…): such a change belongs in the
        rules themselves, not in an override.
    """
    p = Path(path) if path is not None else _overrides.OVERRIDES_FILE
    base = rules if rules is not None else load_policies(overrides=None)
    ov = overrides_between(base, edited)
    text = overrides_to_toml(ov)
    again = base.with_overrides(loads_overrides(text, p.name))  # raises before anything is written
    if again != edited:
        raise PovlibInputError.from_key("plan.err.overrides_not_values", file=p.name)
    if not len(ov):
        p.unlink(missing_ok=True)
        return p
    return write_bytes_atomic(p, text.encode("utf-8"))
