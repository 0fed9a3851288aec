"""A test fixture: the 2016–2019 Chợ Đồn demo extended to 2020, 2025 and 2026 on the units of each year.

The bundled demo spans 2016–2026 itself; this fixture stays because its changes are known by construction
(the units tests check them exactly, independent of the generator's calibration): the 2019 rows copied to 2020 (the 20 units of Resolution 855/NQ-UBTVQH14), 2025 and 2026 (the 8
communes of Resolution 1683/NQ-UBTVQH15), each household keeping its ``household_id``. Codes are mapped with
:func:`povlib.units.successors` – whole merges exactly; Phong Huân (02074), divided in 2020, by village:
Thôn Pác Đăm to Bằng Lãng, its other villages to Yên Phong (a fixture assumption, the registry only knows an
area weight). From 2025 ``district_code``/``district_name`` are missing (no districts), ``province_code`` is 19
and ``former_district_code`` keeps the 2019 district. Statuses are varied a little per year (every 7th
household one step better in 2020, every 11th one step worse in 2026), so that flows cross the reforms.
The copied rows keep the 2015 standard's indicators and ``standard`` (the fixture tests units, not standards).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

import povlib
from povlib.panel import classify_panel
from povlib.units import key, load_registry, successors

#: the fixture's village rule for Phong Huân (02074) in 2020
PHONG_HUAN = "02074"
PHONG_HUAN_TO_BANG_LANG = ("Thôn Pác Đăm",)


def _code_map(from_year: int, to_year: int, codes) -> dict[str, str]:
    """Whole-unit successor of each code (Phong Huân left out: it is divided)."""
    out = {}
    for c in codes:
        s = successors(key(c, from_year), to_year)
        if len(s) == 1:
            out[c] = next(iter(s)).code
    return out


def _copy_year(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    units = load_registry().units
    old = rows["commune_code"].astype(str)
    cmap = _code_map(2019, year, sorted(old.unique()))
    new = old.map(cmap)
    ph = old.eq(PHONG_HUAN)
    to_bl = rows["village"].astype(str).isin(PHONG_HUAN_TO_BANG_LANG)
    (big, _), (small, _) = sorted(successors(key(PHONG_HUAN, 2019), year).items(), key=lambda kv: -kv[1])
    new = new.where(~ph, np.where(to_bl, small.code, big.code))
    out = rows.copy()
    out["year"] = np.int16(year)
    live = units[(units["valid_from"] <= f"{year}-12-31") & (units["valid_to"] >= f"{year}-12-31")
                 & (units["level"] == "commune")].set_index("code")
    names = live["name"]
    out["commune_code"] = new.to_numpy()
    out["commune_name"] = new.map(names).to_numpy()
    if year >= 2025:
        out["district_code"] = pd.NA
        out["district_name"] = pd.NA
        out["province_code"] = "19"
    return out


@cache
def raw_panel_2026() -> pd.DataFrame:
    """The fixture's raw rows (as a demo Parquet file holds them, before classification)."""
    base = povlib.load_demo()
    raw_cols = [c for c in pd.read_parquet(povlib.synth.demo_path("cho-don")).columns]
    base = base.loc[base["year"] <= 2019, raw_cols]  # the demo's own later years are not the fixture's
    y19 = base[base["year"] == 2019]
    parts = [base]
    for year in (2020, 2025, 2026):
        part = _copy_year(y19, year)
        n = np.arange(len(part))
        if year == 2020:  # every 7th household a little richer
            part["income"] = np.where(n % 7 == 0, part["income"] * 2, part["income"])
        if year == 2026:  # every 11th household poorer
            part["income"] = np.where(n % 11 == 0, part["income"] // 3, part["income"])
        parts.append(part)
    out = pd.concat([p.astype({c: "object" for c in ("commune_code", "commune_name", "district_code",
                                                       "district_name", "province_code")}) for p in parts],
                    ignore_index=True)
    out["former_district_code"] = "064"
    for c in ("commune_code", "commune_name", "district_code", "district_name", "province_code",
              "former_district_code"):
        out[c] = out[c].astype("category")
    return out


@cache
def _build() -> pd.DataFrame:
    return classify_panel(raw_panel_2026())


def panel_2026() -> pd.DataFrame:
    """The fixture panel, classified (a copy: callers may change it).

    Examples
    --------
    >>> from tests.support.panel2026 import panel_2026
    >>> p = panel_2026()
    >>> p.groupby("year")["commune_code"].nunique().to_dict()
    {2016: 22, 2017: 22, 2018: 22, 2019: 22, 2020: 20, 2025: 8, 2026: 8}
    """
    return _build().copy()


def use_panel_2026(monkeypatch) -> None:
    """Make the ``cho-don`` demo dataset the fixture panel for one test (Streamlit's caches are cleared
    before and, through ``monkeypatch``'s undo, the caller clears them after: see ``tests/app``)."""
    import streamlit as st

    panel = _build()
    monkeypatch.setattr(povlib, "load_demo", lambda scope="cho-don", path=None: panel.copy())
    st.cache_resource.clear()
    st.cache_data.clear()


def data_dir_2026(target) -> Path:
    """A data folder (for ``POVLIB_DATA``) that is ``data/`` with the Chợ Đồn demo replaced by the fixture:
    every entry linked, ``demo/cho_don_panel.parquet`` written (for a ``streamlit run`` of the browser tests)."""
    from povlib import paths

    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for entry in paths.DATA_DIR.iterdir():
        if entry.name != "demo":
            (target / entry.name).symlink_to(entry)
    (target / "demo").mkdir()
    raw_panel_2026().to_parquet(target / "demo" / "cho_don_panel.parquet")
    return target
