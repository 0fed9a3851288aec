"""The member-defined indicators of Decree 07/2021/NĐ-CP, derived from a member file.

Six of the twelve indicators are defined on household members: employment, dependants, nutrition,
health insurance, adult education and children's schooling. Their cut-offs are data:
``povlib/rules/intake/members_ND07_2021.toml`` (each marked ``confirmed = false`` until checked
against the Decree's text). Ages are ``review year − birth year``.

Answers may be missing: a member whose answer a criterion needs is *unknown* for it (three-valued
logic: pandas ``boolean``). A household is deprived (1) when one member is, not deprived (0) when every
member is known not to be, and otherwise the indicator is blank: the household row must state it (or give
score B). An indicator whose answer column is not in the member file is not derived at all.

Examples
--------
>>> import pandas as pd
>>> m = pd.DataFrame({"household_id": ["H1", "H1", "H2"], "year": [2023, 2023, 2023],
...                   "birth_year": [2000, 2017, 1980], "in_school": [0, 1, 0], "education_level": [3, 1, 2],
...                   "has_health_insurance": [1, 0, 1]})
>>> from povlib.intake.schema import member_rules
>>> d = derive_nd07(m, member_rules("ND07_2021"))
>>> d[["household_id", "health_insurance", "adult_education", "employment"]].astype(object).values.tolist()
[['H1', 1, 0, <NA>], ['H2', 0, 0, <NA>]]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["derive_nd07"]

_KEYS = ["household_id", "year"]


def _answer(members: pd.DataFrame, name: str) -> pd.Series:
    """A yes/no answer column as ``boolean`` (all unknown when the file has no such column)."""
    if name not in members:
        return pd.Series(pd.NA, index=members.index, dtype="boolean")
    return pd.to_numeric(members[name]).astype("Int8").eq(1).astype("boolean").mask(members[name].isna())


def _any(keys: pd.DataFrame, flag: pd.Series) -> pd.Series:
    """Per household: 1 if a member is deprived, 0 if none is and all are known, else blank (Int8)."""
    g = pd.DataFrame({"t": flag.fillna(False).astype(bool), "u": flag.isna()}).groupby(
        [keys[k] for k in _KEYS], sort=True)
    t, u = g["t"].max(), g["u"].max()
    return pd.Series(np.where(t, 1, 0), index=t.index).astype("Int8").mask(~t & u)


def _working_age(age: pd.Series, sex: pd.Series, r: dict) -> pd.Series:
    """Of working age: ``min_age`` to below the retirement age of the member's sex (unknown sex: unknown if it matters)."""
    top = r["max_age_exclusive"]
    by_sex = sex.map({"male": top["male"], "female": top["female"]}).astype("Float64")
    lo, hi = min(top.values()), max(top.values())
    known = (age >= r["min_age"]) & (age < by_sex)
    guess = pd.Series(pd.NA, index=age.index, dtype="boolean")
    guess[(age < r["min_age"]) | (age >= hi)] = False
    guess[(age >= r["min_age"]) & (age < lo)] = True
    return known.astype("boolean").where(by_sex.notna(), guess)


def derive_nd07(members: pd.DataFrame, r: dict) -> pd.DataFrame:
    """The member-defined indicators of Decree 07/2021 per household (Int8: 1, 0 or blank).

    Parameters
    ----------
    members : DataFrame
        One row per person: ``household_id``, ``year``, ``birth_year``, ``in_school``, ``education_level``,
        ``has_health_insurance`` and, when the file has them, ``sex``, ``vocational``, ``behind_grade``,
        ``unemployed``, ``wage_without_contract``, ``no_work_capacity``, ``malnourished``.
    r : dict
        The rules (``povlib/rules/intake/members_ND07_2021.toml``).

    Returns
    -------
    DataFrame
        One row per (household_id, year): the indicators of ``r['indicators']`` and ``member_rows``.
    """
    keys = members[_KEYS]
    age = (members["year"].astype("int64") - members["birth_year"].astype("int64")).astype("Int64")
    in_school = _answer(members, "in_school")
    level = pd.to_numeric(members["education_level"]).astype("Int64")
    sex = members["sex"].astype("string") if "sex" in members else pd.Series(pd.NA, index=members.index,
                                                                              dtype="string")
    out = {}
    # employment: a working-age member unemployed or in wage work without a contract
    e = r["employment"]
    if any(f in members for f in e["flags"]):
        job = _answer(members, e["flags"][0])
        for f in e["flags"][1:]:
            job = job | _answer(members, f)
        out["employment"] = _any(keys, _working_age(age, sex, e) & job)
    # dependants: children, the elderly and members without labour capacity are more than half
    d = r["dependants"]
    if d["flag"] in members:
        dep = (age < d["child_age_below"]).astype("boolean") | (age >= d["elderly_from"]).astype("boolean") | \
            _answer(members, d["flag"])
        g = pd.DataFrame({"t": dep.fillna(False).astype(int), "u": dep.isna().astype(int)}).groupby(
            [keys[k] for k in _KEYS], sort=True)
        n, t, u = g.size(), g["t"].sum(), g["u"].sum()
        share = d["share_above"]
        out["dependants"] = pd.Series(np.where(t > share * n, 1, 0), index=n.index).astype("Int8").mask(
            (t <= share * n) & (t + u > share * n))
    # nutrition: a child under 16 stunted or underweight
    nu = r["nutrition"]
    if nu["flag"] in members:
        out["nutrition"] = _any(keys, (age < nu["age_below"]).astype("boolean") & _answer(members, nu["flag"]))
    # health insurance: a member aged 6 or older without one
    hi = r["health_insurance"]
    out["health_insurance"] = _any(keys, (age >= hi["min_age"]).astype("boolean") & ~_answer(
        members, "has_health_insurance"))
    # adult education: 16 to under 18 without lower secondary, 18 to 30 without upper secondary or a trade
    ae = r["adult_education"]
    in_band = (age >= ae["min_age"]) & (age <= ae["max_age"])
    younger = age < ae["younger_below"]
    short_young = (level < ae["younger_completed_level_below"]).astype("boolean")
    short_old = (level < ae["older_completed_level_below"]).astype("boolean") & ~_answer(members, ae["vocational_flag"])
    lacking = short_young.where(younger.astype(bool), short_old)
    out["adult_education"] = _any(keys, in_band.astype("boolean") & ~in_school & lacking)
    # children's schooling: aged 3 to under 16, not in school or not in the grade right for the age
    cs = r["child_schooling"]
    child = ((age >= cs["min_age"]) & (age < cs["max_age_exclusive"])).astype("boolean")
    out["child_schooling"] = _any(keys, child & (~in_school | _answer(members, cs["behind_flag"])))
    rows = keys.groupby([keys[k] for k in _KEYS], sort=True).size().astype("int16")
    res = pd.DataFrame({c: out.get(c, pd.Series(pd.NA, index=rows.index, dtype="Int8")) for c in r["indicators"]},
                       index=rows.index)
    res["member_rows"] = rows
    return res.reset_index()
