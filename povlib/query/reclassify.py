"""Every household re-classified under another standard, by the engine: :func:`povlib.panel.classify_panel`
with a standard (a what-if), in SQL.

A what-if asks how the review would read under another standard – the 2026 review under Decree
351/2025, say. On the demos :func:`povlib.panel.classify_panel` re-classifies the pandas panel; on a
national dataset (54 million rows) the engine does it instead: :func:`reclassified` gives a
:class:`~povlib.query.source.DuckDBSource` whose ``households`` view carries the what-if's ``status``,
``poor_via``, ``deprivation_count`` and ``average_living_standard``, so every figure of
:mod:`povlib.query` and :mod:`povlib.views.national` (rates, flows, transitions, AF, plans) reads the
what-if without a change of its own SQL. The rules come from the standard's file
(:class:`povlib.standards.Standard`), as in :func:`povlib.classify_households`:

* **deprivations**: the sum of the standard's indicator columns (0/1) where the row gives all of them,
  else the sum of the indicators it shares with the row's own standard where the row gives those
  (:func:`povlib.indicator_basis.shared_indicators`), else the B2 score divided by the standard's points per
  deprivation;
* **the line**: income where the row gives it, else score B1 against the standard's score thresholds
  (refused for a standard without known thresholds, Decree 351/2025);
* **status**: poor when income is within the poor line and the standard makes that enough (Decision
  59/2015), or within the near-poor line with ``deprivation_cutoff`` deprivations or more; near-poor
  when within the near-poor line otherwise; bounds inclusive.

Rows already reviewed under the what-if's standard keep the classification they were given (the same
rules gave it). Before the view is used, one query checks the inputs the rules read; a value they cannot
classify is refused with the message of :func:`povlib.classify_households`, naming the column and the
first households (``household_id``), never classified silently.

The SQL is plain ANSI (``CASE``, ``CAST``, comparisons; ``TRY_CAST`` to refuse text in an indicator), as the
rest of :mod:`povlib.query`. A missing value is a SQL null, as povlib's writers (the store, the generator:
pandas) store it; a float NaN written into a Parquet file by another tool is not a missing value to the engine
(DuckDB folds ``isnan`` away with the file's statistics, which leave NaN out), so such a file is read as it is,
not as pandas would read it.

Examples
--------
Two rural households of the 2026 review, reviewed under Decree 07/2021 (line 1.500.000 đồng): above
it, neither is poor. Under Decree 351/2025 (line 2.200.000 đồng) the one with 3 deprivations is poor,
the other near-poor:

>>> import pandas as pd, tempfile, pathlib
>>> from povlib.query import from_parquet, rates
>>> root = pathlib.Path(tempfile.mkdtemp()); (root / "year=2026" / "province_code=06").mkdir(parents=True)
>>> pd.DataFrame({"household_id": ["h1", "h2"], "commune_code": ["01840"] * 2, "standard": ["ND07_2021"] * 2,
...               "area": ["rural"] * 2, "income": [1_800_000, 2_000_000], "b1_score": [150, 160],
...               "b2_score": [30, 10], "members": [4, 3], "status": ["non_poor"] * 2,
...               "poor_via": [None, None]}).to_parquet(root / "year=2026" / "province_code=06" / "p.parquet")
>>> src = from_parquet(root)
>>> what_if = reclassified(src, "ND351_2025")
>>> what_if.sql("SELECT household_id, status, COALESCE(poor_via, '-') AS via FROM households ORDER BY 1").values.tolist()
[['h1', 'poor', 'deprivation'], ['h2', 'near_poor', '-']]
>>> int(rates(what_if, "year")["poor"][0]), int(rates(src, "year")["poor"][0])
(1, 0)
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .. import standards as _standards
from ..classify import STATUSES
from ..errors import PovlibInputError
from ..i18n import t
from ..indicator_basis import shared_indicators
from ..standards import Standard
from .source import VIEW, DuckDBSource, literal

__all__ = ["status_sql", "checks", "check", "reclassified_sql", "reclassified", "rules_digest", "whatif_digest",
           "OUTPUTS"]

#: the columns a classification writes (the what-if view replaces them)
OUTPUTS = ("status", "poor_via", "deprivation_count", "average_living_standard")

_AREAS = ("rural", "urban")


def _by_area(values: Sequence[float | int | None], area: str = "area") -> str:
    """``CASE`` giving the rural or the urban value (None: NULL)."""
    lit = ["NULL" if v is None else repr(int(v)) if float(v).is_integer() else repr(float(v)) for v in values]
    return f"CASE WHEN {area} = 'urban' THEN {lit[1]} ELSE {lit[0]} END"


def _has(columns: Sequence[str], ids: Sequence[str]) -> str:
    """The condition 'the row gives every indicator' ('1 = 0' when a column is missing)."""
    if not ids or not set(ids) <= set(columns):
        return "1 = 0"
    return "(" + " AND ".join(f"{c} IS NOT NULL" for c in ids) + ")"


def _indicator_branches(std: Standard, columns: Sequence[str]) -> list[tuple[str, list[str], list[str]]]:
    """Where a row's deprivations come from its indicators, in order: ``(condition, indicators summed, others
    summed where given)`` – every indicator of ``std``, then, for each other known standard, the indicators
    ``std`` shares with it on the rows reviewed under it, and any other of ``std``'s the row gives
    (:func:`povlib.classify._count_what_if`).

    Examples
    --------
    >>> from povlib.standards import get
    >>> cols = ["standard"] + get("ND07_2021").indicator_ids
    >>> [(c.split(" AND ")[0], len(ids), x) for c, ids, x in _indicator_branches(get("ND351_2025"), cols)]
    [("(standard = 'QD59_2015'", 7, ['employment', 'dependants', 'nutrition']), ("(standard = 'ND07_2021'", 10, []), ("(standard = 'DN_ND07_local_example'", 10, [])]
    """
    cols = set(columns)
    out = []
    if set(std.indicator_ids) <= cols:
        out.append((_has(columns, std.indicator_ids), list(std.indicator_ids), []))
    if "standard" in cols:
        for other in _standards.in_order():
            shared = shared_indicators(std, other)
            if other.id != std.id and shared and set(shared) <= cols:
                extra = [c for c in std.indicator_ids if c not in shared and c in cols]
                out.append((f"(standard = {literal(other.id)} AND {_has(columns, shared)})", shared, extra))
    return out


def _dsum(ids: Sequence[str], extra: Sequence[str] = ()) -> str:
    return " + ".join([f"CAST({c} AS INTEGER)" for c in ids] + [f"COALESCE(CAST({c} AS INTEGER), 0)" for c in extra])


def status_sql(standard: str | Standard, columns: Sequence[str]) -> dict[str, str]:
    """The SQL expressions of the four outputs (:data:`OUTPUTS`) under ``standard`` for a row of a view with
    ``columns``: what :func:`povlib.classify_households` computes, as ``CASE`` expressions.

    Rows reviewed under ``standard`` (their ``standard`` column) keep their own outputs.

    Examples
    --------
    >>> from povlib.standards import get
    >>> e = status_sql(get("ND07_2021"), ["standard", "area", "income", "b2_score", "status", "poor_via"])
    >>> "income <= CASE WHEN area = 'urban' THEN 2000000 ELSE 1500000 END" in e["status"]
    True
    """
    std = _standards.get(standard)
    cols = set(columns)
    d_b2 = (f"CAST(CAST(b2_score AS DOUBLE) / {std.points_per_deprivation} AS SMALLINT)"
            if "b2_score" in cols else "CAST(NULL AS SMALLINT)")
    branches = _indicator_branches(std, columns)
    if branches:
        whens = " ".join(f"WHEN {cond} THEN CAST({_dsum(ids, extra)} AS SMALLINT)" for cond, ids, extra in branches)
        d = f"CASE {whens} ELSE {d_b2} END"
    else:
        d = d_b2
    inc = "income IS NOT NULL" if "income" in cols else "1 = 0"
    lines = std.lines
    inc_poor = _by_area([lines[a].poor for a in _AREAS])
    inc_near = _by_area([lines[a].near_poor for a in _AREAS])
    if std.scores:
        sc = std.scores
        b1_poor = _by_area([sc[a].poor for a in _AREAS])
        b1_near = _by_area([sc[a].near_poor for a in _AREAS])
        b1 = "b1_score" if "b1_score" in cols else "CAST(NULL AS DOUBLE)"
        if "income" in cols:
            within = f"(CASE WHEN {inc} THEN income <= {inc_near} ELSE {b1} <= {b1_near} END)"
            under_poor = f"(CASE WHEN {inc} THEN income <= {inc_poor} ELSE {b1} <= {b1_poor} END)"
        else:  # a review of scores only
            within, under_poor = f"({b1} <= {b1_near})", f"({b1} <= {b1_poor})"
    else:  # no score path (the check refuses rows without income)
        within = f"({inc} AND income <= {inc_near})" if "income" in cols else "1 = 0"
        under_poor = f"({inc} AND income <= {inc_poor})" if "income" in cols else "1 = 0"
    income_poor = under_poor if std.income_only_poor else "1 = 0"
    dep_poor = f"(NOT ({income_poor}) AND {within} AND {d} >= {int(std.deprivation_cutoff)})"
    status = (f"CASE WHEN {income_poor} OR {dep_poor} THEN 'poor' WHEN {within} THEN 'near_poor' "
              f"ELSE 'non_poor' END")
    via = f"CASE WHEN {income_poor} THEN 'income' WHEN {dep_poor} THEN 'deprivation' ELSE NULL END"
    avg_line = [lines[a].average for a in _AREAS]
    if "income" not in cols:
        avg = "CAST(NULL AS BOOLEAN)"
    elif None in avg_line:  # within the line: not of average living standard; above it: not known here
        avg = f"CASE WHEN {inc} AND {within} THEN FALSE ELSE CAST(NULL AS BOOLEAN) END"
    else:
        avg = (f"CASE WHEN NOT {inc} THEN CAST(NULL AS BOOLEAN) WHEN {within} THEN FALSE "
               f"ELSE income <= {_by_area(avg_line)} END")
    own = f"standard = {literal(std.id)}" if "standard" in cols else "1 = 0"
    out = {"status": status, "poor_via": via, "deprivation_count": d, "average_living_standard": avg}
    for name, expr in out.items():
        if name in cols:
            out[name] = f"CASE WHEN {own} THEN {name} ELSE {expr} END"
    return out


def checks(standard: str | Standard, columns: Sequence[str]) -> list[tuple[str, str, str, dict]]:
    """The inputs the what-if's rules read, as conditions that are true on a row they cannot classify:
    ``(catalog key, column, SQL condition, message values)``, in the order
    :func:`povlib.classify_households` checks them. Rows reviewed under ``standard`` are not checked.

    Examples
    --------
    >>> from povlib.standards import get
    >>> [c[0] for c in checks(get("ND351_2025"), ["area", "income", "b1_score", "b2_score"])]  # doctest: +NORMALIZE_WHITESPACE
    ['classify.err.bad_area', 'classify.err.b2_range', 'classify.err.income_value', 'standards.err.no_scores']
    """
    std = _standards.get(standard)
    cols = set(columns)
    ids = std.indicator_ids
    has = _has(columns, ids)
    branches = _indicator_branches(std, columns)
    # a row whose deprivations come from its indicators (the branches of status_sql, in their order); a row
    # without a standard is in none (NULL is not false: COALESCE)
    counted = "COALESCE(" + " OR ".join(cond for cond, _, _ in branches) + ", FALSE)" if branches else "1 = 0"
    out: list[tuple[str, str, str, dict]] = []
    if "area" not in cols:
        raise PovlibInputError.from_key("classify.err.no_area", column="area")
    out.append(("classify.err.bad_area", "area", "(area IS NULL OR area NOT IN ('rural', 'urban'))", {}))
    for c in ids:
        # a cell the count reads: in a branch that sums it, or that adds it where the row gives it
        used = [cond for cond, summed, _ in branches if c in summed]
        used += [f"({cond} AND {c} IS NOT NULL)" for cond, _, extra in branches if c in extra]
        if used:
            v = f"TRY_CAST({c} AS DOUBLE)"  # text such as 'có' is no value: refused, not an engine error
            on = used[0] if len(used) == 1 else "(" + " OR ".join(used) + ")"
            out.append(("classify.err.indicator_value", c, f"({on} AND ({v} IS NULL OR {v} NOT IN (0, 1)))", {}))
    if "standard" not in cols and set(ids) <= cols and "b2_score" in cols:
        # no row says its standard: classify_households takes them as reviewed under this one (its B score
        # must count its indicators)
        out.append(("classify.err.b2_mismatch", "b2_score",
                    f"({has} AND b2_score IS NOT NULL AND b2_score <> {std.points_per_deprivation} * ({_dsum(ids)}))",
                    {}))
    if "b2_score" in cols:
        step = std.points_per_deprivation
        b2 = "CAST(b2_score AS DOUBLE)"
        bad = (f"(b2_score IS NULL OR {b2} < 0 OR {b2} > {std.max_b2} "
               f"OR {b2} - {step} * FLOOR({b2} / {step}) <> 0)")
        out.append(("classify.err.b2_range", "b2_score", f"(NOT {counted} AND {bad})",
                    {"max": std.max_b2, "step": step}))
    else:
        absent = [c for c in ids if c not in cols] or list(ids)  # else a cell is blank: the standard's indicators
        out.append(("classify.err.no_deprivation_source", absent[0], f"(NOT {counted})",
                    {"columns": ", ".join(absent)}))
    inc = "income IS NOT NULL" if "income" in cols else "1 = 0"
    if "income" in cols:
        out.append(("classify.err.income_value", "income",
                    f"({inc} AND (income < 0 OR CAST(income AS DOUBLE) = CAST('Infinity' AS DOUBLE)))", {}))
    if "b1_score" not in cols:
        out.append(("classify.err.no_income_or_b1", "b1_score", f"(NOT {inc})", {}))
    elif not std.scores:
        out.append(("standards.err.no_scores", "b1_score", f"(NOT {inc})", {"name": None}))
    else:
        out.append(("classify.err.b1_value", "b1_score",
                    f"(NOT {inc} AND (b1_score IS NULL OR b1_score < 0 OR b1_score > 1000))", {}))
    if "standard" in cols:
        out = [(k, c, f"(standard IS NULL OR standard <> {literal(std.id)}) AND {cond}", kw)
               for k, c, cond, kw in out]
    return out


def check(source: DuckDBSource, standard: str | Standard) -> None:
    """Refuse data the what-if cannot classify: one pass counts every check of :func:`checks`; the first
    that fails raises :class:`~povlib.errors.PovlibInputError` with :func:`povlib.classify_households`'
    message, its column and the first households (``household_id``, else nothing)."""
    std = _standards.get(standard)
    cols = source.columns()
    cs = checks(std, cols)
    sums = ", ".join(f"CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT) AS c{i}"
                     for i, (_, _, cond, _) in enumerate(cs))
    counts = source.sql(f"SELECT {sums} FROM {VIEW}").iloc[0]
    for i, (key, column, cond, kw) in enumerate(cs):
        if int(counts[f"c{i}"]) == 0:
            continue
        rows: list = []
        if "household_id" in cols:
            hit = source.sql(f"SELECT household_id FROM {VIEW} WHERE {cond} ORDER BY household_id LIMIT 5")
            rows = [str(v) for v in hit["household_id"]]
        if key == "standards.err.no_scores":
            msgs = [t(key, lang, name=std.name(lang)) for lang in ("vi", "en")]
        else:
            msgs = [t(key, lang, **kw) for lang in ("vi", "en")]
        shown = ", ".join(rows)
        raise PovlibInputError(*(t("classify.err.at_rows", lang, msg=m, column=column, rows=shown)
                                 for lang, m in zip(("vi", "en"), msgs)), column=column, rows=rows)


def reclassified_sql(standard: str | Standard, columns: Sequence[str], base: str) -> str:
    """``SELECT`` of every column of ``base`` (a relation: a table, a view, ``read_parquet(...)``) with the
    outputs re-computed under ``standard`` (:func:`status_sql`), in the same column order; outputs the data
    lack are added at the end.

    Examples
    --------
    >>> sql = reclassified_sql("ND351_2025", ["year", "standard", "area", "income", "b2_score", "status"], "t")
    >>> sql.splitlines()[:2], sql.splitlines()[-1]
    (['SELECT year,', '       standard,'], 'FROM t')
    """
    e = status_sql(standard, columns)
    sel = [f"{e[c]} AS {c}" if c in OUTPUTS else c for c in columns]
    sel += [f"{e[c]} AS {c}" for c in OUTPUTS if c not in columns]
    return "SELECT " + ",\n       ".join(sel) + f"\nFROM {base}"


def rules_digest(standard: str | Standard) -> str:
    """A digest of everything of ``standard`` a classification reads (lines, thresholds, cut-off, points,
    indicators): what-if figures saved under another digest were computed under other rules.

    Examples
    --------
    >>> rules_digest("ND351_2025") == rules_digest("ND351_2025") != rules_digest("ND07_2021")
    True
    """
    std = _standards.get(standard)
    parts = [std.id, repr(sorted((a, v.poor, v.near_poor, v.average) for a, v in std.lines.items())),
             repr(sorted((a, v.poor, v.near_poor) for a, v in std.scores.items())),
             repr((std.income_only_poor, std.deprivation_cutoff, std.points_per_deprivation)),
             repr(std.indicator_ids), repr(STATUSES)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def whatif_digest(standard: str | Standard, columns: Sequence[str]) -> str:
    """A digest of the what-if's whole SQL for data with ``columns`` (its rules, the checks, the
    classification): figures saved under another digest were computed another way, by other rules or other
    code.

    Examples
    --------
    >>> cols = ["standard", "area", "income", "b2_score"]
    >>> whatif_digest("ND351_2025", cols) == whatif_digest("ND351_2025", cols) != whatif_digest("ND07_2021", cols)
    True
    """
    std = _standards.get(standard)
    text = "\n".join([rules_digest(std), reclassified_sql(std, columns, "base"), repr(checks(std, columns))])
    return hashlib.sha256(text.encode()).hexdigest()


def reclassified(source: DuckDBSource, standard: str | Standard, *, checked: bool = True) -> DuckDBSource:
    """A source over the same households whose ``households`` view is re-classified under ``standard``.

    ``source`` must know its base relation (:attr:`DuckDBSource.base`: sources of :func:`from_parquet`
    do). The new view is a temporary view of a new cursor of the same DuckDB database (it shadows the
    dataset's view for that cursor only). With ``checked`` the inputs are checked first (:func:`check`).
    The result has no summaries; its ``whatif`` is the standard's id.
    """
    std = _standards.get(standard)
    if source.base is None:
        raise PovlibInputError.from_key("query.err.whatif_base")
    cur = source.con.cursor()
    cur.execute(f"CREATE OR REPLACE TEMP VIEW {VIEW} AS SELECT * FROM {source.base}")
    plain = DuckDBSource(cur, base=source.base)
    if checked:
        check(plain, std)
    cur.execute(f"CREATE OR REPLACE TEMP VIEW {VIEW} AS\n{reclassified_sql(std, plain.columns(), source.base)}")
    return DuckDBSource(cur, base=source.base, whatif=std.id)
