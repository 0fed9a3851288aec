"""The member file (one row per person) and the person-based indicators derived from it.

With a member file, the person-based indicators of Decision 59/2015 (adult
education, child schooling, health access, health insurance) are derived by
:func:`derive_person_indicators` with the thresholds of
``povlib/rules/intake/members_QD59_2015.toml``. :func:`read_members` reads and
checks the file like the household file (same headers, values and pandera
passes); :func:`merge_member_indicators` fills the household rows' blank
indicators from it and reports every household whose member rows are faulty,
missing, or disagree with what the household row says.

Examples
--------
>>> import pandas as pd
>>> m = pd.DataFrame({"household_id": ["H1", "H1"], "year": [2019, 2019], "birth_year": [1990, 2010],
...                   "in_school": [0, 1], "education_level": [3, 1],
...                   "has_health_insurance": [1, 0], "ill_untreated": [0, 0]})
>>> derive_person_indicators(m).loc[0, list(PERSON_INDICATORS)].tolist()
[0, 0, 0, 1]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..standards import DEFAULT_STANDARD
from . import schema as _schema
from .checks import check_control_chars, check_row_width
from .members_nd07 import derive_nd07
from .problems import Problems
from .read import RawTable, Source, map_headers, read_raw
from .values import fill_blank_year, normalise_values, run_schemas

__all__ = ["PERSON_INDICATORS", "MemberFile", "derive_person_indicators", "merge_member_indicators", "person_indicators",
           "read_members"]

#: Household indicators derived from the members under Decision 59/2015 (other standards: :func:`person_indicators`).
PERSON_INDICATORS = ("adult_education", "child_schooling", "health_access", "health_insurance")


@dataclass
class MemberFile:
    """What :func:`read_members` found."""

    raw: RawTable
    #: typed member rows with ``_row`` (None if the file could not be used)
    typed: pd.DataFrame | None = None
    #: member rows with a problem
    bad: np.ndarray | None = None
    #: a required column is missing: no household can be checked against its members
    structural: bool = False


def read_members(source: Source, name: str | None, hh: pd.DataFrame, hh_raw: RawTable, year: int | None,
                 problems: Problems) -> MemberFile:
    """Read and check a member file against the typed household table ``hh``.

    Without a year column the members take ``year`` or, failing that, the
    household file's only year. Members born after the review year and
    members whose household is not in the household file are problems.
    """
    raw = read_raw(source, name, problems)
    specs = {s.name: s for s in _schema.columns("member")}
    if raw.table is None or raw.table.empty:
        return MemberFile(raw)
    df, header_of = map_headers(raw, "member", problems)
    if raw.misencoded:
        return MemberFile(raw, structural=True)
    needs = _required_by_standards(hh)
    missing = [c for c, s in specs.items() if (s.required == "yes" or c in needs) and c not in df.columns]
    if "year" not in df.columns:
        hh_years = hh["year"].dropna().unique() if "year" in hh else []
        if year is not None:
            df["year"] = str(int(year))
        elif len(hh_years) == 1:
            df["year"] = str(int(hh_years[0]))
        else:
            missing.insert(1, "year")
        header_of["year"] = specs["year"].vi
    for c in missing:
        problems.add(raw.name, 1, specs[c].vi, "missing_column", "")
    if missing:
        return MemberFile(raw, structural=True)
    shown = df
    # a blank year is the year chosen at import, else the household file's one year (the template: optional)
    hh_years = hh["year"].dropna().unique() if "year" in hh else []
    df = fill_blank_year(df, year if year is not None else (int(hh_years[0]) if len(hh_years) == 1 else None))
    df = normalise_values(df, specs)
    required = {c for c, s in specs.items() if s.required == "yes"} | {"year"} | (needs & set(df.columns))
    typed, bad = run_schemas(df, raw, header_of, specs, problems, required=required, codes=frozenset(),
                             shown=shown)
    df = shown
    bad |= check_row_width(raw, problems)
    bad |= check_control_chars(raw, problems)
    typed.insert(0, "_row", pd.array(raw.rows, dtype="Int64"))
    # born after the review year
    after = (typed["birth_year"] > typed["year"]).fillna(False).to_numpy(dtype=bool)
    problems.add_many(raw.name, raw.rows[after], header_of["birth_year"], "born_after_review",
                      df["birth_year"].to_numpy()[after])
    bad |= after
    # members whose household is not in the household file
    if {"household_id", "year"} <= set(hh.columns):
        keys = hh[["household_id", "year"]].dropna().drop_duplicates()
        keys["_hh"] = True
        m = typed[["household_id", "year"]].merge(keys, on=["household_id", "year"], how="left")
        orphan = m["_hh"].isna().to_numpy() & typed["household_id"].notna().to_numpy()
        problems.add_many(raw.name, raw.rows[orphan], header_of["household_id"], "orphan_member",
                          df["household_id"].to_numpy()[orphan], other=hh_raw.name)
        bad |= orphan
    return MemberFile(raw, typed, bad)


def _required_by_standards(hh: pd.DataFrame) -> set[str]:
    """Member columns the standards of the household rows need (``requires`` of their member rules)."""
    stds = hh["standard"].dropna().unique() if "standard" in hh else [DEFAULT_STANDARD]
    out: set[str] = set()
    for sid in stds:
        rules = _schema.member_rules(str(sid))
        out |= set(rules.get("requires", ())) if rules else set()
    return out


def person_indicators(standard: str = DEFAULT_STANDARD) -> tuple[str, ...]:
    """The indicators a member file gives under ``standard`` (empty when its rules are not encoded).

    >>> person_indicators("ND07_2021")
    ('employment', 'dependants', 'nutrition', 'health_insurance', 'adult_education', 'child_schooling')
    """
    rules = _schema.member_rules(str(standard))
    return tuple(rules["indicators"]) if rules else ()


def derive_person_indicators(members: pd.DataFrame, rules: dict | None = None) -> pd.DataFrame:
    """Person-based indicators of a household from its members, by the rules of its standard.

    Decision 59/2015 (the default): :func:`_derive_qd59`; Decree 07/2021 and the rules built on it
    (``base = "ND07_2021"``, directly or through another base: Decree 351/2025): :func:`derive_nd07`.
    """
    r = rules or _schema.member_rules(DEFAULT_STANDARD)
    if r.get("derive", r["standard"]) == "ND07_2021":
        return derive_nd07(members, r)
    return _derive_qd59(members, r)


def _derive_qd59(members: pd.DataFrame, r: dict) -> pd.DataFrame:
    """Person-based indicators of a household from its members (Decision 59/2015).

    Parameters
    ----------
    members : DataFrame
        One row per person: ``household_id``, ``year``, ``birth_year``,
        ``in_school`` (0/1), ``education_level`` (0–4), ``has_health_insurance`` (0/1),
        ``ill_untreated`` (0/1).
    r : dict
        Thresholds (``povlib/rules/intake/members_QD59_2015.toml``).

    Returns
    -------
    DataFrame
        One row per (household_id, year): ``adult_education``, ``child_schooling``,
        ``health_access``, ``health_insurance`` (int8 0/1) and ``member_rows`` (count).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"household_id": ["H1", "H1"], "year": [2019, 2019], "birth_year": [1990, 2010],
    ...                   "in_school": [0, 0], "education_level": [1, 1],
    ...                   "has_health_insurance": [1, 1], "ill_untreated": [0, 0]})
    >>> derive_person_indicators(m)[["adult_education", "child_schooling"]].values.tolist()
    [[1, 1]]
    """
    age = members["year"].astype("int64") - members["birth_year"].astype("int64")
    in_school = members["in_school"].astype("int64") == 1
    ae, cs, hi = r["adult_education"], r["child_schooling"], r["health_insurance"]
    adult = (age >= ae["min_age"]) & (members["birth_year"] >= ae["born_from"]) & (
        members["education_level"] < ae["completed_level_below"])
    if ae.get("requires_not_in_school", True):
        adult &= ~in_school
    child = (age >= cs["min_age"]) & (age < cs["max_age_exclusive"]) & ~in_school
    health = members[r["health_access"]["flag"]].astype("int64") == 1
    insur = (age >= hi["min_age"]) & (members["has_health_insurance"].astype("int64") == 0)
    flags = pd.DataFrame({
        "household_id": members["household_id"], "year": members["year"],
        "adult_education": adult.astype("int8"), "child_schooling": child.astype("int8"),
        "health_access": health.astype("int8"), "health_insurance": insur.astype("int8"),
        "member_rows": np.int16(1),
    })
    out = flags.groupby(["household_id", "year"], as_index=False).agg(
        adult_education=("adult_education", "max"), child_schooling=("child_schooling", "max"),
        health_access=("health_access", "max"), health_insurance=("health_insurance", "max"),
        member_rows=("member_rows", "sum"))
    return out


def merge_member_indicators(typed: pd.DataFrame, mres: MemberFile | None, raw: RawTable, header_of: dict[str, str],
                            specs: dict[str, _schema.ColumnSpec], problems: Problems
                            ) -> tuple[pd.DataFrame, np.ndarray]:
    """Households with their person indicators filled from the members, and the rows this rejects.

    Each household is derived by the member rules of its own standard (:func:`person_indicators`).
    A household is rejected when one of its member rows is faulty, when its member count differs from
    the number of member rows, when it has no member rows and neither the person indicators nor B2 of
    its own, and when a given indicator contradicts the derived one (``contradicts_members``: listed,
    never overwritten). Blank indicators are filled where the members tell; an indicator the members
    leave unknown stays blank.
    """
    bad = np.zeros(len(typed), dtype=bool)
    if mres is None or mres.typed is None or not {"household_id", "year"} <= set(typed.columns):
        if mres is not None and mres.structural:
            bad[:] = True
        return typed, bad
    mt, mbad = mres.typed, mres.bad
    mraw = mres.raw
    # households with a faulty member row are rejected too
    if mbad.any():
        badkeys = mt.loc[mbad, ["household_id", "year", "_row"]].dropna(subset=["household_id", "year"])
        agg = badkeys.groupby(["household_id", "year"], as_index=False)["_row"].agg(
            lambda s: ", ".join(str(int(v)) for v in sorted(s)[:5]))
        m = typed[["household_id", "year"]].reset_index().merge(agg, on=["household_id", "year"], how="inner")
        for member_rows, g in m.groupby("_row"):
            idx = g["index"].to_numpy()
            problems.add_many(raw.name, raw.rows[idx], header_of["household_id"], "member_rows_invalid",
                              typed["household_id"].to_numpy()[idx], other=mraw.name, member_rows=member_rows)
            bad[idx] = True
    good = mt.loc[~mbad].dropna(subset=["household_id", "year"])
    hh_keys = typed[["household_id", "year"]].reset_index()
    counts = good.groupby(["household_id", "year"], as_index=False).size().rename(columns={"size": "member_rows"})
    cnt = hh_keys.merge(counts, on=["household_id", "year"], how="left").set_index("index").reindex(typed.index)[
        "member_rows"].to_numpy(dtype="float64", na_value=np.nan)
    has_members = ~np.isnan(cnt)
    # member count
    if "members" in typed:
        n = typed["members"].to_numpy(dtype="float64", na_value=np.nan)
        off = has_members & ~bad & ~np.isnan(n) & (n != cnt)
        for c in pd.unique(cnt[off]):
            sel = off & (cnt == c)
            problems.add_many(raw.name, raw.rows[sel], header_of["members"], "member_count_mismatch",
                              typed["members"].to_numpy()[sel], count=int(c), other=mraw.name)
        bad |= off
    out = typed.copy()
    std = typed["standard"].astype("string") if "standard" in typed else pd.Series(
        DEFAULT_STANDARD, index=typed.index, dtype="string")
    for sid in std.dropna().unique():
        rules = _schema.member_rules(str(sid))
        if not rules:
            continue
        of_std = std.eq(sid).fillna(False).to_numpy(dtype=bool)
        inds = person_indicators(str(sid))
        mine = good.merge(typed.loc[of_std, ["household_id", "year"]].drop_duplicates(), on=["household_id", "year"])
        derived = derive_person_indicators(mine, rules) if not mine.empty else pd.DataFrame(
            columns=["household_id", "year", *inds, "member_rows"])
        m = hh_keys.merge(derived, on=["household_id", "year"], how="left").set_index("index").reindex(typed.index)
        # households without member rows: fine only if the household row has the person indicators (or B2)
        given_all = np.ones(len(typed), dtype=bool)
        for c in inds:
            given_all &= out[c].notna().to_numpy() if c in out else False
        no_mem = of_std & ~has_members & ~bad & ~given_all
        if "b2_score" in typed:
            no_mem &= typed["b2_score"].isna().to_numpy()
        problems.add_many(raw.name, raw.rows[no_mem], header_of["household_id"], "no_members",
                          typed["household_id"].to_numpy()[no_mem], other=mraw.name)
        bad |= no_mem
        # derived vs given; fill blanks where the members tell
        use = of_std & has_members
        for c in inds:
            dv = m[c].to_numpy(dtype="float64", na_value=np.nan) if c in m else np.full(len(typed), np.nan)
            d = pd.Series(pd.array(dv, dtype="Float64").astype("Int8"), index=out.index)
            known = use & ~np.isnan(dv)
            if c in out:
                given = out[c]
                diff = known & given.notna().to_numpy() & (given.to_numpy(dtype="float64", na_value=np.nan) != dv)
                problems.add_many(raw.name, raw.rows[diff], header_of.get(c, specs[c].vi), "contradicts_members",
                                  given.astype("Int64").astype("string").to_numpy()[diff], other=mraw.name)
                bad |= diff
                fill = known & given.isna().to_numpy()
                out[c] = given.where(~fill, d)
            else:
                out[c] = d.where(known, pd.NA).astype("Int8")
                header_of[c] = specs[c].vi
    return out, bad
