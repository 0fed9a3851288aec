"""The officers' overrides: the amounts and parameters that differ from the shipped rules.

The policies and their amounts are law, shipped read-only in
``povlib/rules/policies/policies.toml``. What an officer saves from the
planning page is written to :data:`OVERRIDES_FILE`
(``data/policies/overrides.toml``, not under version control), holding only
the values that differ::

    # top-level: fixed amounts set back to "not known"
    unknown_amounts = ["tuition_exemption_poor"]
    [parameters]                # parameter id = value
    base_salary = 1600000
    [amounts]                   # policy id = VND per unit and period (fixed amounts only)
    learning_cost = 150000

Loading the policies (:func:`povlib.planning.load_policies`) applies this file
to the shipped rules; every value keeps the ``confirmed`` marking of the rule
it replaces. This module reads the file; :mod:`povlib.planning.save` writes it.

Examples
--------
>>> ov = loads_overrides('[parameters]\\nbase_salary = 1600000\\n[amounts]\\nlearning_cost = 150000\\n')
>>> ov.parameters, ov.amounts, len(ov)
({'base_salary': 1600000}, {'learning_cost': 150000}, 2)
>>> len(PolicyOverrides())
0
"""
from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import PovlibInputError

__all__ = ["OVERRIDES_FILE", "PolicyOverrides", "loads_overrides", "read_overrides"]

#: where the planning page saves the officers' changes (read at call time, so a test can point it elsewhere)
OVERRIDES_FILE = paths.POLICY_DIR / "overrides.toml"


@dataclass(frozen=True)
class PolicyOverrides:
    """Values that replace those of the shipped rules.

    Attributes
    ----------
    parameters : dict
        Parameter id -> value (a non-negative number).
    amounts : dict
        Policy id -> fixed unit amount in VND, or None (set back to "not known").
    source : str
        The file they were read from ('' when built in memory).
    """

    parameters: Mapping[str, int | float] = field(default_factory=dict)
    amounts: Mapping[str, int | None] = field(default_factory=dict)
    source: str = field(default="", compare=False)

    def __len__(self) -> int:
        """Number of values overridden."""
        return len(self.parameters) + len(self.amounts)


def loads_overrides(text: str, source: str = "overrides.toml") -> PolicyOverrides:
    """Parse an overrides file (TOML text, see the module docstring).

    Raises
    ------
    PovlibInputError
        TOML syntax error, an unknown section, or a value that is not a number.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PovlibInputError.from_key("plan.err.overrides_toml", file=source, detail=str(exc)) from exc
    unknown = set(data) - {"parameters", "amounts", "unknown_amounts"}
    params = data.get("parameters", {})
    amounts = data.get("amounts", {})
    cleared = data.get("unknown_amounts", [])
    ok = (not unknown and isinstance(params, dict) and isinstance(amounts, dict) and isinstance(cleared, list)
          and all(_number(v) for v in params.values()) and all(_number(v) for v in amounts.values())
          and all(isinstance(c, str) for c in cleared))
    if not ok:
        raise PovlibInputError.from_key("plan.err.overrides_shape", file=source)
    merged: dict[str, int | None] = {str(k): v for k, v in amounts.items()}
    merged.update({c: None for c in cleared})
    return PolicyOverrides({str(k): v for k, v in params.items()}, merged, source)


def read_overrides(path: str | Path | None = None) -> PolicyOverrides:
    """The overrides in ``path`` (default :data:`OVERRIDES_FILE`); none when the file does not exist."""
    p = Path(path) if path is not None else OVERRIDES_FILE
    if not p.exists():
        return PolicyOverrides()
    return loads_overrides(p.read_text(encoding="utf-8"), p.name)


def _number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
