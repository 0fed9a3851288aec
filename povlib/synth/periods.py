"""Where a synthetic household lives in each review year: its 2019 commune and village on the units of the year.

The generator draws every household on the 2019 units (the GSO list of
01/12/2019, where the published district figures are) and this module moves
it, for each review year, onto the units in force on 31 December of that
year (:mod:`povlib.units`): a whole merge takes the whole commune; a split
(Phong Huân, Văn Học, Lương Hạ in 2020) moves each *village* to one successor
– by the registry's village list where there is one (``data/units/villages_*.csv``;
its named villages are given to the synthetic commune, see
:func:`listed_villages`), otherwise whole villages in the order of the list,
shared by the registry's weight (largest remainder), an estimate that
``data/README.md`` states. Villages move with their commune.

Examples
--------
>>> import numpy as np
>>> from povlib.synth.periods import locate
>>> got = locate(np.array(["02056", "02020"]), np.array(["Bản A", "Tổ 1"]), {}, 2026)
>>> got["commune_code"].tolist(), got["commune_name"].tolist(), got["province_code"].tolist()
(['02014', '02020'], ['Xã Bạch Thông', 'Xã Chợ Đồn'], ['19', '19'])
>>> bool(got["district_code"].isna().all()), locate(np.array(["02056"]), np.array(["x"]), {}, 2019)["district_code"].tolist()
(True, ['064'])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PovlibInputError
from ..units import UnitKey, as_date, load_registry, successors
from .targets import apportion

__all__ = ["ORIGIN_FROM", "listed_villages", "locate", "split_event", "village_split"]

#: ``valid_from`` of the 2019 units in the registry (the start of the span it covers)
ORIGIN_FROM = "2016-01-01"


def listed_villages(code: str) -> list[str]:
    """The villages the registry names for a split 2019 commune (the synthetic commune takes these names).

    Examples
    --------
    >>> listed_villages("02155"), listed_villages("02074")
    (['Nà Sang', 'Nà Khun'], [])
    """
    v = load_registry().villages
    return v.loc[(v["from_code"] == code) & (v["from_valid_from"] == ORIGIN_FROM) & (v["village"] != "*"),
                 "village"].tolist()


def split_event(code: str) -> str | None:
    """The date a 2019 commune was divided between several units, or None.

    Examples
    --------
    >>> split_event("02074"), split_event("02056")
    ('2020-02-01', None)
    """
    xw = load_registry().crosswalk
    rows = xw[(xw["from_code"] == code) & (xw["from_valid_from"] == ORIGIN_FROM) & (xw["change"] == "split")]
    return str(rows["effective"].iloc[0]) if len(rows) else None


def village_split(code: str, villages: list[str], event: str) -> dict[str, UnitKey]:
    """Which successor each village of a split 2019 commune goes to on the change date ``event``.

    By the registry's village list (``*`` = every village not named) where it has one, else whole villages
    in list order shared by the crosswalk's weights (largest remainder): an estimate.

    Examples
    --------
    >>> s = village_split("02074", [f"Thôn {i}" for i in range(9)], "2020-02-01")
    >>> sorted({k.code for k in s.values()}), sum(k.code == "02083" for k in s.values())
    (['02065', '02083'], 7)
    """
    reg = load_registry()
    xw = reg.crosswalk
    rows = xw[(xw["from_code"] == code) & (xw["from_valid_from"] == ORIGIN_FROM) & (xw["effective"] == event)]
    v = reg.villages
    listed = v[(v["from_code"] == code) & (v["from_valid_from"] == ORIGIN_FROM)]
    if len(listed):
        named = {r.village: UnitKey(r.to_code, r.to_valid_from) for r in listed.itertuples()}
        return {name: named.get(name, named.get("*")) for name in villages}
    shares = apportion(len(villages), rows["weight"].tolist())
    targets = [UnitKey(r.to_code, r.to_valid_from) for r in rows.itertuples()]
    idx = np.repeat(np.arange(len(targets)), shares)
    return {v: targets[i] for v, i in zip(villages, idx)}


def _unit_of(code: str, village_map: dict[str, dict[str, UnitKey]], day: str) -> dict[str, UnitKey] | UnitKey:
    """The unit (or, for a split commune, the unit per village) a 2019 commune is part of at ``day``."""
    succ = successors(UnitKey(code, ORIGIN_FROM), day)
    if len(succ) == 1:
        return next(iter(succ))
    # split: each village's first successor, then on to the date as a whole unit
    first = village_map[code]
    return {v: next(iter(successors(k, day))) for v, k in first.items()}


def locate(codes: np.ndarray, villages: np.ndarray, village_map: dict[str, dict[str, UnitKey]],
           year: int) -> pd.DataFrame:
    """The units of ``year`` of households given by their 2019 commune codes and villages.

    Parameters
    ----------
    codes, villages : array
        Each household's 2019 commune code and village.
    village_map : dict
        2019 code -> village -> first successor, for the split communes (:func:`village_split`).
    year : int
        The review year (its units are those in force on 31 December).

    Returns
    -------
    DataFrame
        Per household: ``commune_code``, ``commune_name``, ``unit_type``, ``district_code``,
        ``district_name`` (<NA> after the 2025 reform), ``province_code``.
    """
    day = as_date(int(year))
    reg = load_registry().units
    keys: list[tuple[str, str, str, str]] = []  # (2019 code, village or "", code, valid_from)
    for code in pd.unique(codes):
        where = _unit_of(str(code), village_map, day)
        if isinstance(where, dict):
            keys += [(str(code), v, k.code, k.valid_from) for v, k in where.items()]
        else:
            keys.append((str(code), "", where.code, where.valid_from))
    table = pd.DataFrame(keys, columns=["origin", "village", "code", "valid_from"])
    info = reg.loc[list(zip(table["code"], table["valid_from"])), ["name", "unit_type", "district_code",
                                                                   "province_code"]].reset_index(drop=True)
    table = pd.concat([table, info], axis=1)
    dist = reg[reg["level"] == "district"].drop_duplicates("code").set_index("code")["name"]
    table["district_name"] = table["district_code"].map(dist)
    table["district_code"] = table["district_code"].replace("", pd.NA)
    split = set(table.loc[table["village"] != "", "origin"])
    hh = pd.DataFrame({"origin": codes.astype(str), "village": np.where(np.isin(codes.astype(str), list(split)),
                                                                        villages.astype(str), "")})
    got = hh.merge(table, on=["origin", "village"], how="left", validate="many_to_one")
    if got["code"].isna().any():
        missing = ", ".join(got.loc[got["code"].isna(), "origin"].unique().tolist())
        raise PovlibInputError.from_key("synth.targets_inconsistent", what=f"{year}: {missing}")
    return pd.DataFrame({"commune_code": got["code"].to_numpy(), "commune_name": got["name"].to_numpy(),
                         "unit_type": got["unit_type"].to_numpy(), "district_code": got["district_code"].to_numpy(),
                         "district_name": got["district_name"].to_numpy(),
                         "province_code": got["province_code"].to_numpy()})
