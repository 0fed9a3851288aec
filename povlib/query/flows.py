"""Flows into and out of a status between review years: :func:`povlib.transitions.flow_table` in SQL.

A household is linked to its row at the previous review year *of the data* (not ``year - 1``)
by ``household_id`` (an equality join on the id and the review's rank: no sort of the
households); it stayed in its unit when every ``by`` key is the same (a missing key never matches). Per unit and year, with ``s`` the status:

* ``end`` – in ``s`` now; ``joined`` – in ``s`` now and not linked (new, moved in);
* ``escaped`` – linked, in ``s`` before and not now (``exit_to_<other>``: which status now);
* ``re_entered`` / ``newly_arising`` – linked, not in ``s`` before, in ``s`` now, and in ``s`` at
  some earlier review (or per the history column ``ever_<s>_before``) / never;
* ``start`` and ``left`` – counted on the previous review's rows (in ``s``; and not linked at
  the next review), reported at the next year.

The engine returns the integer table; only the renaming of columns is done in pandas
(``start``, ``end`` and ``left`` are SQL words, so the SQL names are ``n_<name>``).

Examples
--------
The same table as :func:`povlib.transitions.flow_table` (whose example this one extends by a household
that joins):

>>> import pandas as pd
>>> from povlib import transitions
>>> from povlib.query import from_frame
>>> p = pd.DataFrame({"household_id": ["a", "a", "b", "b", "c"], "year": [2018, 2019, 2018, 2019, 2019],
...                   "commune_code": ["02020"] * 5, "status": ["poor", "near_poor", "non_poor", "poor", "poor"]})
>>> t = flow_table(from_frame(p), status="poor")
>>> t.equals(transitions.flow_table(p, status="poor"))
True
>>> t[["start", "escaped", "newly_arising", "joined", "end"]].iloc[0].tolist()
[1, 1, 1, 1, 2]
"""
from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from ..classify import STATUSES
from ..errors import PovlibInputError
from ..household_links import UNIT_COLUMN, successor_pairs
from ..transitions import HISTORY_COLUMNS, flow_columns
from .rates import by_list
from .source import VIEW, Filter, Source, literal

__all__ = ["flow_sql", "flow_table", "flow_tables", "duplicates_sql"]


def _flag(cond: str) -> str:
    return f"CASE WHEN {cond} THEN 1 ELSE 0 END"


def _years_in(years: Sequence[int]) -> str:
    return f"year IN ({', '.join(literal(int(y)) for y in years)})" if years else "1 = 0"


def _year_map(pairs: Sequence[tuple[int, int]]) -> str:
    """``CASE year WHEN a THEN b … END`` for the ``(a, b)`` pairs (a literal table: no join)."""
    if not pairs:
        return "year"
    return "CASE year " + " ".join(f"WHEN {literal(int(a))} THEN {literal(int(b))}" for a, b in pairs) + " END"


def flow_sql(by: str | Sequence[str] = "commune_code", *, years: Sequence[int],
             status: str | Sequence[str] = "poor", flags: Sequence[str] = (),
             history: bool | Collection[str] = False, where: Filter | None = None,
             successors: Sequence[tuple[str, int, str]] = ()) -> str:
    """The SQL of :func:`flow_table` (plain ANSI SQL over the ``households`` view).

    ``years`` are the review years of the rows (:func:`flow_table` asks the engine first); the
    previous review of each is then a literal ``CASE``, and every part of the query reads only the
    years it needs (on partitioned Parquet, only those folders). No window over households and no
    materialised copy of them: each row of a review after the first is joined to the same
    household's row at the previous review (an equality join on ``household_id``, and the year when
    there are several previous reviews, which engines run as a hash join built on the previous
    reviews' rows only: the id, the units and one small integer per status); with three reviews
    or more, also to the first year the household was in ``s`` before its previous review (a small
    table: only rows in a status). ``start`` is a plain count of each review's rows per unit, reported
    at the next one; ``left`` is ``start`` less those linked at the next review (they stay in the
    unit, so they are counted in the same group).

    ``status`` may name several statuses: one join serves them all, and each count column then ends
    in ``__<status>`` (:func:`flow_tables`). ``history`` says which statuses have their history column
    (``True``: all of them).

    Examples
    --------
    >>> sql = flow_sql("commune_code", years=[2025, 2026])
    >>> "OVER (" in sql, "CASE year WHEN 2026 THEN 2025 END" in sql, "first_s" in sql
    (False, True, False)
    >>> "n_escaped__near_poor" in flow_sql("commune_code", years=[2025, 2026], status=["poor", "near_poor"])
    True
    """
    keys = by_list(by)
    many_s = not isinstance(status, str)
    statuses = list(status) if many_s else [status]
    with_hist = set(statuses) if history is True else set(history or ())
    where = where or Filter()
    years = sorted({int(y) for y in years})
    later, earlier = years[1:], years[:-1]
    prev_of, next_of = _year_map(list(zip(later, earlier))), _year_map(list(zip(earlier, later)))
    three = len(years) > 2  # an earlier time in s than the previous review (with two reviews there is none)

    def sfx(i: int) -> str:
        return f"__{statuses[i]}" if many_s else ""

    in_s = [f"{_flag('status = ' + literal(st))} AS in_s{i}" for i, st in enumerate(statuses)]
    hist = [f"{_flag(HISTORY_COLUMNS[st]) if st in with_hist else '0'} AS hist{i}" for i, st in enumerate(statuses)]
    base_cols = ", ".join(["household_id", "year", "status", *keys, *flags, *in_s, *hist])

    def same_key(k: str) -> str:
        eq = f"p.{k} = c.{k}"
        if k == UNIT_COLUMN and successors:  # a reform renamed the unit: its successor is the same place
            by_year: dict[int, list[str]] = {}
            for c0, y1, c1 in successors:
                by_year.setdefault(int(y1), []).append(literal(f"{c0}>{c1}"))
            moved = " OR ".join(f"(c.year = {literal(y)} AND p.{k} || '>' || c.{k} IN ({', '.join(v)}))"
                                for y, v in sorted(by_year.items()))
            eq = f"({eq} OR {moved})"
        return f"c.{k} IS NOT NULL AND {eq}"

    same = " AND ".join(["p.household_id IS NOT NULL", *(same_key(k) for k in keys)])
    cur: list[str] = []
    prv: list[str] = []
    kept_names: list[str] = []
    for i, st in enumerate(statuses):
        x = sfx(i)
        was, now, ever = f"p_in_s{i}", f"in_s{i}", f"ever{i}"
        cur += [f"{_flag(f'{now} = 1')} AS n_end{x}",
                f"{_flag(f'linked = 1 AND {was} = 1 AND {now} = 0')} AS n_escaped{x}",
                *(f"{_flag(f'linked = 1 AND {was} = 1 AND status = {literal(o)}')} AS n_exit_to_{o}{x}"
                  for o in STATUSES if o != st),
                f"{_flag(f'linked = 1 AND {was} = 0 AND {now} = 1 AND {ever} = 1')} AS n_re_entered{x}",
                f"{_flag(f'linked = 1 AND {was} = 0 AND {now} = 1 AND {ever} = 0')} AS n_newly_arising{x}",
                f"{_flag(f'linked = 0 AND {now} = 1')} AS n_joined{x}",
                f"{_flag(f'linked = 1 AND {was} = 1')} AS n_kept{x}",
                *(f"{_flag(f'{now} = 1 AND {f}')} AS n_end_{f}{x}" for f in flags)]
        prv += [f"{_flag(f'{now} = 1')} AS n_start{x}", *(f"{_flag(f'{now} = 1 AND {f}')} AS n_start_{f}{x}"
                                                         for f in flags)]
        kept_names.append(f"n_kept{x}")
    cur_names = [c.rsplit(" AS ", 1)[1] for c in cur]
    prv_names = [c.rsplit(" AS ", 1)[1] for c in prv]
    key_null = " AND ".join(["1 = 1", *(f"{k} IS NOT NULL" for k in keys)])

    def agg(names: list[str]) -> str:
        return ", ".join(f"CAST(SUM({n}) AS BIGINT) AS {n}" for n in names)

    kk = ", ".join(keys)
    ck = ", ".join(f"c.{k}" for k in [*keys, *flags])
    join_on = " AND ".join([*(f"a.{k} = b.{k}" for k in keys), "a.year = b.year"])
    out_keys = ", ".join([*(f"COALESCE(a.{k}, b.{k}) AS {k}" for k in keys), "COALESCE(a.year, b.year) AS year"])
    values = {n: f"COALESCE(a.{n}, 0)" for n in cur_names if n not in kept_names}
    values |= {n: f"COALESCE(b.{n}, 0)" for n in prv_names}
    for i in range(len(statuses)):  # kept: by the previous row's unit
        values[f"n_left{sfx(i)}"] = f"COALESCE(b.n_start{sfx(i)}, 0) - COALESCE(k.n_kept{sfx(i)}, 0)"
    out_vals = ", ".join(f"{v} AS {n}" for n, v in values.items())
    # the previous row's unit on a linked row (else NULL): the one aggregate below then has about one group
    # per unit (more only where a reform renamed it), and ``kept`` sums it by that unit
    kp = ", ".join(f"CASE WHEN linked = 1 THEN p_{k} END AS k_{k}" for k in keys)
    pk = ", ".join(f"p.{k} AS p_{k}" for k in keys)
    k_names = ", ".join(f"k_{k}" for k in keys)
    k_as = ", ".join(f"k_{k} AS {k}" for k in keys)
    k_null = " AND ".join(f"k_{k} IS NOT NULL" for k in keys)
    kept_on = " AND ".join([*(f"k.{k} = b.{k}" for k in keys), "k.year = b.year"])
    # the previous rows carry only what the flows need of them (the hash join's table holds them all):
    # whether the household was in each status (not the status text), the units, and the year only when
    # there is more than one previous review to tell apart
    several = len(earlier) > 1
    p_in = [f"{_flag('status = ' + literal(st))} AS p_in_s{i}" for i, st in enumerate(statuses)]
    p_cols = ", ".join(["household_id", *(["year"] if several else []), *p_in, *keys])
    p_on = "p.household_id = c.household_id" + (" AND p.year = c.prev_year" if several else "")
    p_vals = ", ".join(f"COALESCE(p.p_in_s{i}, 0) AS p_in_s{i}" for i in range(len(statuses)))
    c_vals = ", ".join([*(f"c.in_s{i}" for i in range(len(statuses)))])
    if three:
        firsts = ", ".join(f"MIN(CASE WHEN status = {literal(st)} THEN year END) AS first_s{i}"
                           for i, st in enumerate(statuses))
        in_any = " OR ".join(f"status = {literal(st)}" for st in statuses)
        fs = (f",\nfs AS (\n  SELECT household_id, {firsts} FROM {VIEW} "
              f"{where.where(f'({in_any})', _years_in(years[:-2]))} GROUP BY household_id\n)")
        fs_join = "\n  LEFT JOIN fs ON fs.household_id = c.household_id"
        evers = ", ".join(f"{_flag(f'c.hist{i} = 1 OR fs.first_s{i} < c.prev_year')} AS ever{i}"
                          for i in range(len(statuses)))
    else:
        fs, fs_join = "", ""
        evers = ", ".join(f"{_flag(f'c.hist{i} = 1')} AS ever{i}" for i in range(len(statuses)))
    return f"""WITH c AS (
  SELECT {base_cols}, {prev_of} AS prev_year FROM {VIEW} {where.where(_years_in(later))}
),
p AS (
  SELECT {p_cols} FROM {VIEW} {where.where(_years_in(earlier))}
){fs},
l AS (
  SELECT {ck}, c.year, c.status, {c_vals}, {_flag(same)} AS linked, {p_vals},
         {evers}, {pk}
  FROM c
  LEFT JOIN p ON {p_on}{fs_join}
),
g AS (
  SELECT {kk}, {k_names}, year, {agg(cur_names)}
  FROM (SELECT {kk}, {kp}, year, {', '.join(cur)} FROM l) x
  GROUP BY {kk}, {k_names}, year
),
cur AS (
  SELECT {kk}, year, {agg(cur_names)} FROM g WHERE {key_null} GROUP BY {kk}, year
),
kept AS (
  SELECT {k_as}, year, {agg(kept_names)} FROM g WHERE {k_null} GROUP BY {k_names}, year
),
nxt AS (
  SELECT {kk}, year, {agg(prv_names)}
  FROM (SELECT {kk}, next_year AS year, {', '.join(prv)}
        FROM (SELECT {base_cols}, {next_of} AS next_year FROM {VIEW} {where.where(_years_in(earlier))}) h
        WHERE {key_null}) x
  GROUP BY {kk}, year
)
SELECT {out_keys}, {out_vals}
FROM cur a FULL OUTER JOIN nxt b ON {join_on}
LEFT JOIN kept k ON {kept_on}
ORDER BY {', '.join(keys + ['year'])}
"""


def _successor_pairs(source: Source, years: list[int], where: Filter | None) -> list[tuple[str, int, str]]:
    """``(old code, year, new code)`` for each commune of a review whose code at the next review of the data is
    another, a successor by the dated crosswalk (:func:`povlib.household_links.successor_pairs`: the pandas rule).
    Only the distinct (year, code) pairs are read from the engine (a few thousand at most), never households."""
    if len(years) < 2:
        return []
    units = source.sql(f"SELECT DISTINCT year, {UNIT_COLUMN} FROM {VIEW} "
                       f"{(where or Filter()).where(f'{UNIT_COLUMN} IS NOT NULL')}")
    return successor_pairs(units, years)


def duplicates_sql(where: Filter | None = None, limit: int = 5) -> str:
    """The SQL listing the first ``(household_id, year)`` pairs present more than once."""
    return (f"SELECT household_id, year FROM {VIEW} {(where or Filter()).where()}\n"
            f"GROUP BY household_id, year HAVING COUNT(*) > 1\nORDER BY household_id, year\nLIMIT {int(limit)}\n")


def flow_tables(source: Source, by: str | Sequence[str] = "commune_code", *,
                statuses: Sequence[str] = ("poor", "near_poor"), flags: Sequence[str] = (),
                where: Filter | None = None, check: bool = True) -> dict[str, pd.DataFrame]:
    """:func:`flow_table` of several statuses from one query (one join of the reviews for all of them).

    Examples
    --------
    >>> import pandas as pd
    >>> from povlib.query import from_frame
    >>> p = pd.DataFrame({"household_id": ["a", "a", "b", "b"], "year": [2018, 2019, 2018, 2019],
    ...                   "commune_code": ["02020"] * 4, "status": ["poor", "near_poor", "near_poor", "poor"]})
    >>> t = flow_tables(from_frame(p))
    >>> t["poor"].equals(flow_table(from_frame(p), status="poor")), int(t["near_poor"]["escaped"].iloc[0])
    (True, 1)
    """
    statuses = list(statuses)
    bad = [st for st in statuses if st not in ("poor", "near_poor")]
    if bad or not statuses:
        raise PovlibInputError.from_key("transitions.err.bad_status", status=", ".join(bad) or "")
    keys = by_list(by)
    cols = source.columns()
    missing = [c for c in ["household_id", "year", "status", *keys] if c not in cols]
    if missing:
        raise PovlibInputError.from_key("transitions.err.missing_columns", columns=", ".join(missing),
                                        column=missing[0])
    history = [st for st in statuses if HISTORY_COLUMNS[st] in cols]
    if check:
        dup = source.sql(duplicates_sql(where))
        if len(dup):
            ids = ", ".join(f"{h} ({int(y)})" for h, y in zip(dup["household_id"], dup["year"]))
            raise PovlibInputError.from_key("query.err.duplicate_ids", column="household_id", ids=ids)
    years = source.sql(f"SELECT DISTINCT year FROM {VIEW} {(where or Filter()).where('year IS NOT NULL')}")["year"]
    succ = _successor_pairs(source, sorted(int(y) for y in years), where) if UNIT_COLUMN in keys else []
    g = source.sql(flow_sql(keys, years=years.tolist(), status=statuses, flags=flags, history=history,
                            where=where, successors=succ))
    out: dict[str, pd.DataFrame] = {}
    for st in statuses:
        t = g[[*keys, "year"]].copy()
        t["year"] = t["year"].astype(np.int64)
        for c in flow_columns(st, flags):
            t[c] = g[f"n_{c}__{st}"].astype(np.int64)
        out[st] = t
    return out


def flow_table(source: Source, by: str | Sequence[str] = "commune_code", *, status: str = "poor",
               flags: Sequence[str] = (), where: Filter | None = None, check: bool = True) -> pd.DataFrame:
    """Flows into and out of one status per unit and review year, computed by the engine.

    Same columns and integers as :func:`povlib.transitions.flow_table` on the same rows
    (``where`` selects them; give whole households' histories, not one year). A household id
    present twice in a year is refused, as pandas does (``check=False`` skips that query on data
    known to be clean, e.g. the generated national dataset). :func:`flow_tables` gives several
    statuses from one query.
    """
    if status not in ("poor", "near_poor"):
        raise PovlibInputError.from_key("transitions.err.bad_status", status=status)
    return flow_tables(source, by, statuses=[status], flags=flags, where=where, check=check)[status]
