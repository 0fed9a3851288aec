"""The synthetic demo panels: territories, calibration targets, the generator, loading.

Following the data:

* :mod:`povlib.synth.territory` – which units and boundary files a scope has
  (``data/geo/territories.toml``);
* :mod:`povlib.synth.targets`   – the figures a panel is calibrated to
  (``data/targets/<scope>.toml``);
* :mod:`povlib.synth.names`     – invented names of heads of household and villages;
* :mod:`povlib.synth.generator` – the seeded generator and :func:`write_panel`;
* :mod:`povlib.synth.demo`      – where the demo panels are and :func:`load_demo`.

The names below are this package's public interface.

Examples
--------
>>> from povlib import synth
>>> synth.load_scope("bac-kan").territory.name("en"), len(synth.load_territory("bac-kan").units)
('Bắc Kạn province', 122)
"""
from __future__ import annotations

from .demo import demo_path, load_demo
from .generator import generate, income_to_b1, write_panel
from .targets import SCOPES, DistrictTargets, Scope, load_scope
from .territory import Territory, load_territory, territory_keys

__all__ = [
    "SCOPES",
    "DistrictTargets",
    "Scope",
    "Territory",
    "demo_path",
    "generate",
    "income_to_b1",
    "load_demo",
    "load_scope",
    "load_territory",
    "territory_keys",
    "write_panel",
]
