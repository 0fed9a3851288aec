"""Load the bundled synthetic demo panel, classified by povlib.

The generator writes only raw review inputs; every status is computed here by
:func:`povlib.classify_households`, under each row's own standard.

Examples
--------
>>> from povlib.synth.demo import demo_path, load_demo
>>> demo_path("cho-don").name
'cho_don_panel.parquet'
>>> panel = load_demo()
>>> sorted(panel["status"].unique())
['near_poor', 'non_poor', 'poor']
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import PovlibInputError
from ..panel import classify_panel
from .targets import scope_output

__all__ = ["load_demo", "demo_path"]


def demo_path(scope: str = "cho-don") -> Path:
    """Where the demo panel of ``scope`` lives (``data/demo/...parquet``; its targets file's ``output``)."""
    return scope_output(scope)


def load_demo(scope: str = "cho-don", path: str | Path | None = None) -> pd.DataFrame:
    """Read a synthetic demo panel and classify it.

    Parameters
    ----------
    scope : {'cho-don', 'bac-kan'}
        The district panel (bundled) or the province panel (built by
        ``python -m povlib generate --scope bac-kan``).
    path : str or Path, optional
        Read this Parquet file instead.

    Returns
    -------
    DataFrame
        The raw inputs plus ``status``, ``poor_via``, ``deprivation_count``
        and ``average_living_standard``, classified under each row's standard.
    """
    p = Path(path) if path is not None else demo_path(scope)
    if not p.exists():
        raise PovlibInputError.from_key("synth.no_demo", path=p, scope=scope)
    raw = pd.read_parquet(p)
    return classify_panel(raw)
