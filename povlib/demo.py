"""Load the bundled synthetic demo panel, classified by povlib."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .classify import classify_households
from .errors import PovlibInputError
from .synth import load_scope

__all__ = ["load_demo", "demo_path"]


def demo_path(scope: str = "cho-don") -> Path:
    """Where the demo panel of ``scope`` lives (``data/demo/...parquet``)."""
    return load_scope(scope).output


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
        raise PovlibInputError(
            f"Chưa có dữ liệu minh họa {p}. Hãy chạy: python -m povlib generate --scope {scope}",
            f"Demo data {p} not found. Run: python -m povlib generate --scope {scope}",
        )
    raw = pd.read_parquet(p)
    return classify_households(raw, standard=None)
