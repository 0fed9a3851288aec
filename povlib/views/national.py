"""The tables the pages show for the national dataset, computed where the data are (:mod:`povlib.query`).

The national dataset (``python -m povlib generate --scope vietnam``: Parquet files partitioned by year and
province) is never loaded whole: every function here sends SQL to a :class:`povlib.query.Source` and gets a
small table back – the filters' facts, the headline figures, the ranking of provinces or of one province's
communes, the map measures, the rates per year – or, for one commune, its households
(:func:`commune_rows`). The unit hierarchy is province → commune (2025 units: no district level); the
views' ``district`` columns hold the province, so the app's filters and maps take them unchanged.

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame
>>> df = pd.DataFrame({"year": [2025] * 3, "province_code": ["01", "01", "19"], "commune_code": ["00004"] * 2 + ["05500"],
...                    "commune_name": ["Phường Ba Đình"] * 2 + ["Xã X"], "status": ["poor", "non_poor", "near_poor"],
...                    "standard": "ND07_2021", "members": [3, 2, 4], "area": "urban"})
>>> r = ranking(from_frame(df), 2025, "province")
>>> r[["code", "households", "poor", "poor_rate"]].to_string(index=False)
'code  households  poor  poor_rate\\n  01           2     1        0.5\\n  19           1     0        0.0'
>>> unit_filter(years=(2025,), province="01", group="rural").where()
"WHERE year IN (2025) AND province_code IN ('01') AND area = 'rural'"
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..classify import STATUSES
from ..errors import PovlibInputError
from ..geo.national import province_names
from ..indicator_basis import resolve_indicators
from ..query import af_by_group, af_for_standard, flow_tables, rates
from ..query.source import VIEW, Filter, Source, literal
from ..query.summary import Summaries, af_from_counts, pick
from ..sorting import sort_frame, vi_key
from .selection import GROUPS, PanelFacts

__all__ = ["UnitFilter", "unit_filter", "facts", "overview_figures", "ranking", "unit_measures", "rates_trend",
           "deprivation_summary", "unit_indicator_matrix", "flow_counts", "transition_counts", "commune_rows",
           "province_of", "household_count", "standards_present", "year_columns", "indicator_basis"]


@dataclass(frozen=True)
class UnitFilter(Filter):
    """A :class:`povlib.query.Filter` with extra conditions (a household group), still literals only."""

    extra: tuple[str, ...] = ()

    def conditions(self) -> list[str]:
        return super().conditions() + list(self.extra)


def group_condition(group: str | None) -> str:
    """The SQL condition of a household group of :data:`povlib.views.GROUPS` ('' for all).

    Examples
    --------
    >>> group_condition("ethnic_minority"), group_condition("all")
    ('ethnic_minority = TRUE', '')
    """
    if not group or group == "all":
        return ""
    if group not in GROUPS:
        raise PovlibInputError.from_key("nat.err.group", group=group)
    g = GROUPS[group]
    return f"{g.column} = {literal(g.value)}" if isinstance(g.value, str) else f"{g.column} = TRUE"


def unit_filter(*, years: Sequence[int] = (), province: str | None = None, communes: Sequence[str] = (),
                group: str | None = "all") -> UnitFilter:
    """The rows of a view: years, a province (its files only), communes, a household group."""
    cond = group_condition(group)
    return UnitFilter(years=tuple(int(y) for y in years), provinces=(str(province),) if province else (),
                      communes=tuple(str(c) for c in communes), extra=(cond,) if cond else ())


def facts(source: Source) -> PanelFacts:
    """Years, each year's standard, provinces (as the filters' ``districts``) and communes per year.

    Three small queries (grouped counts), never the households; none when the source has its commune
    summaries (:mod:`povlib.query.summary`).
    """
    s = source.summaries
    if s is not None:
        std = s.standard_counts()
        c = s.rates[["year", "commune_code", "commune_name", "province_code"]].drop_duplicates()
        c = c.rename(columns={"commune_code": "code", "commune_name": "name"})
    else:
        std = source.sql(f"SELECT year, standard, COUNT(*) AS n FROM {VIEW} GROUP BY year, standard")
        c = source.sql(f"SELECT DISTINCT year, commune_code AS code, commune_name AS name, province_code "
                       f"FROM {VIEW}")
    std = std.sort_values(["year", "n", "standard"], ascending=[True, False, True]).drop_duplicates("year")
    years = tuple(int(y) for y in std["year"])
    c = c.assign(year=c["year"].astype(int), code=c["code"].astype(str), name=c["name"].astype(str),
                 district_code=c["province_code"].astype(str), former_district_code="", former_district_codes="")
    names = province_names()
    provs = sorted(set(c["district_code"]))
    d = sort_frame(pd.DataFrame({"code": provs, "name": [names.get(p, p) for p in provs]}), ["name", "code"],
                   text=["name"])
    rank = {p: i for i, p in enumerate(d["code"])}
    c = c.assign(_p=c["district_code"].map(rank))
    c = sort_frame(c, ["year", "_p", "name", "code"], text=["name"]).drop(columns=["_p", "province_code"])
    n = (int(s.rates["households"].sum()) if s is not None
         else int(source.sql(f"SELECT COUNT(*) AS n FROM {VIEW}")["n"].iloc[0]))
    by_year = {y: tuple(sorted(set(c.loc[c["year"] == y, "district_code"]))) for y in years}
    return PanelFacts(years=years, standard_of_year=dict(zip(years, std["standard"].astype(str))),
                      districts=dict(zip(d["code"], d["name"])), communes=c.reset_index(drop=True), rows=n,
                      districts_of_year=by_year)


def _summaries(source: Source, group: str | None) -> Summaries | None:
    """The source's commune summaries when they answer for ``group`` (every household only)."""
    return source.summaries if (not group or group == "all") else None


def unit_rates(source: Source, by: str | Sequence[str] | None, *, years: Sequence[int] = (),
               province: str | None = None, communes: Sequence[str] = (), group: str | None = "all") -> pd.DataFrame:
    """:func:`povlib.query.rates` of the selection: from the commune summaries when the source has them (the
    same integers summed), else by the engine.

    Examples
    --------
    >>> from povlib.query import from_frame
    >>> df = pd.DataFrame({"year": [2025, 2025], "province_code": ["01", "19"], "commune_code": ["00004", "05500"],
    ...                    "status": ["poor", "non_poor"], "members": [3, 2]})
    >>> unit_rates(from_frame(df), "province_code", years=(2025,))[["province_code", "poor_rate"]].to_string(index=False)
    'province_code  poor_rate\\n           01        1.0\\n           19        0.0'
    """
    s = _summaries(source, group)
    if s is None:
        r = rates(source, by, where=unit_filter(years=years, province=province, communes=communes, group=group))
    else:
        r = s.rates_of(by, years=years, province=province, communes=communes)
    if "year" in r.columns:  # one type whoever counted (a Parquet partition is INTEGER, a frame's int64)
        r["year"] = r["year"].astype(np.int64)
    return r


def household_count(source: Source, year: int, *, province: str | None = None, communes: Sequence[str] = (),
                    group: str | None = "all") -> int:
    """The households of the selection in ``year``."""
    r = unit_rates(source, None, years=(year,), province=province, communes=communes, group=group)
    return int(r["households"].iloc[0]) if len(r) else 0


def _deprivation_rows(source: Source, group: str | None, year: int, std) -> pd.DataFrame | None:
    """The summary's households by commune, status and number of deprivations of ``year``, when they were
    counted with ``std``'s indicators (else None: the engine counts)."""
    s = _summaries(source, group)
    return None if s is None else s.deprivations_of(year, std)


def province_of(info: PanelFacts, commune: str, year: int) -> str:
    """The province of a commune in a review year (from :func:`facts`)."""
    c = info.communes_in(year)
    hit = c.loc[c["code"] == str(commune), "district_code"]
    if hit.empty:
        raise PovlibInputError.from_key("nat.err.no_commune", code=commune, year=year, column="commune_code")
    return str(hit.iloc[0])


def overview_figures(source: Source, year: int, *, years: Sequence[int], province: str | None = None,
                     communes: Sequence[str] = (), group: str | None = "all") -> dict:
    """The overview's headline figures (the keys of :func:`povlib.views.overview_figures`) from the engine.

    Flows come from :func:`povlib.query.flow_table` in the summary form's words: newly poor includes the
    households formed or moved in; re-entry cannot be told apart the year after the first review.
    """
    year = int(year)
    earlier = [int(y) for y in years if int(y) < year]
    prev = max(earlier) if earlier else None
    r = unit_rates(source, "year", years=[y for y in (prev, year) if y is not None], province=province,
                   communes=communes, group=group).set_index("year")
    out: dict = {"year": year, "prev_year": prev, "reentry_unknown": False, "history_from": None}
    cur = r.loc[year] if year in r.index else None
    for k in ("households", "people", "poor", "near_poor", "income_poor", "deprivation_poor"):
        out[k] = int(cur[k]) if cur is not None and k in cur else 0
    for k in ("poor_rate", "near_poor_rate", "poor_near_rate"):
        out[k] = float(cur[k]) if cur is not None else 0.0
    std = facts_standards(source, [y for y in (prev, year) if y is not None])
    out["standards"] = list(dict.fromkeys(std))
    out["income_branch"] = _standards.get(std[-1]).income_only_poor if std else True
    flows = ("escaped_poverty", "newly_poor", "re_poor", "escaped_near_poverty", "newly_near_poor", "re_near_poor",
             "joined_poor", "joined_near_poor")
    if prev is None:
        for k in ("households", "poor", "near_poor", "poor_rate", "near_poor_rate"):
            out[f"prev_{k}"] = out[f"d_{k}"] = None
        out.update(dict.fromkeys(flows))
        return out
    p = r.loc[prev] if prev in r.index else None
    for k in ("households", "poor", "near_poor"):
        out[f"prev_{k}"] = int(p[k]) if p is not None else 0
        out[f"d_{k}"] = out[k] - out[f"prev_{k}"]
    for k in ("poor_rate", "near_poor_rate"):
        out[f"prev_{k}"] = float(p[k]) if p is not None else 0.0
        out[f"d_{k}"] = out[k] - out[f"prev_{k}"]
    first = min(int(y) for y in years)
    fc = flow_counts(source, years=[y for y in years if int(y) <= year], province=province, communes=communes,
                     group=group).set_index("year")
    unknown = prev == first  # the year after the first review: a re-entry cannot be told from a new entry
    for k in flows:
        v = fc.loc[year, k] if year in fc.index else 0
        out[k] = None if pd.isna(v) else int(v)
    out["reentry_unknown"] = unknown
    out["history_from"] = first
    return out


def standards_present(source: Source) -> list[str | None]:
    """Every standard some household was reviewed under (None: a row without one), from the summaries when
    the source has them."""
    if source.summaries is not None:
        s = source.summaries.standard_counts()["standard"]
    else:
        s = source.sql(f"SELECT DISTINCT standard FROM {VIEW}")["standard"]
    return sorted({None if pd.isna(v) else str(v) for v in s}, key=lambda v: (v is None, v or ""))


def year_columns(source: Source, year: int, candidates: Sequence[str]) -> list[str]:
    """Of ``candidates``, the columns that hold a value in some row of ``year`` (a column of a dataset with
    several standards is blank in the years of the others: :func:`povlib.indicator_basis.given_columns`)."""
    have = set(source.columns())
    cand = [c for c in dict.fromkeys(candidates) if c in have]
    if not cand:
        return []
    r = source.sql("SELECT " + ", ".join(f"CAST(COUNT({c}) AS BIGINT) AS {c}" for c in cand)
                   + f" FROM {VIEW} {Filter(years=(int(year),)).where()}")
    return [c for c in cand if int(r[c].iloc[0]) > 0]


def indicator_basis(source: Source, year: int, requested: str | None):
    """Which standard's indicators the deprivation views of ``year`` use (:func:`povlib.indicator_basis.
    resolve_indicators` on the columns that hold values in that year: one count of the candidate columns under a
    what-if standard)."""
    own = (facts_standards(source, [year]) or [requested])[0]
    cols = source.columns()
    if requested is not None and requested != own:
        cand = set(_standards.get(requested).indicator_ids) | set(_standards.get(own).indicator_ids)
        cols = [c for c in cols if c not in cand] + year_columns(source, year, sorted(cand))
    return resolve_indicators(cols, requested, own)


def facts_standards(source: Source, years: Sequence[int]) -> list[str]:
    """The most frequent standard of each of ``years`` (in year order)."""
    if not years:
        return []
    summ = source.summaries
    if summ is not None:
        s = summ.standard_counts(years)
    else:
        s = source.sql(f"SELECT year, standard, COUNT(*) AS n FROM {VIEW} {Filter(years=tuple(years)).where()} "
                       f"GROUP BY year, standard")
    # a tie is settled by the standard's id, a missing standard last (not by the order rows came in)
    s = s.sort_values(["year", "n", "standard"], ascending=[True, False, True], na_position="last")
    return [str(v) for v in s.drop_duplicates("year")["standard"]]


def _unit(level: str) -> tuple[str, list[str]]:
    if level == "province":
        return "province_code", ["province_code"]
    if level == "commune":
        return "commune_code", ["commune_code", "commune_name", "province_code"]
    raise PovlibInputError.from_key("nat.err.level", level=level)


def _named(r: pd.DataFrame, level: str) -> pd.DataFrame:
    names = province_names()
    if level == "province":
        r = r.rename(columns={"province_code": "code"})
        r["code"] = r["code"].astype(str)
        r["name"] = [names.get(c, c) for c in r["code"]]
        r["district_code"], r["district_name"] = r["code"], r["name"]
    else:
        r = r.rename(columns={"commune_code": "code", "commune_name": "name", "province_code": "district_code"})
        r["code"], r["name"], r["district_code"] = (r[c].astype(str) for c in ("code", "name", "district_code"))
        r["district_name"] = [names.get(c, c) for c in r["district_code"]]
    return r


def ranking(source: Source, year: int, level: str, *, province: str | None = None,
            group: str | None = "all") -> pd.DataFrame:
    """Units of one review year ranked by poverty rate, highest first (:func:`povlib.views.unit_ranking`'s
    columns): the provinces (``level='province'``) or the communes of ``province``."""
    _, by = _unit(level)
    r = unit_rates(source, by, years=(year,), province=province, group=group)
    r = _named(r[r["households"] > 0], level)
    cols = ["code", "name", "district_code", "households", "poor", "near_poor", "poor_rate", "near_poor_rate"]
    return sort_frame(r[cols], ["poor_rate", "name", "code"], ascending=[False, True, True],
                      text=["name"]).reset_index(drop=True)


def unit_measures(source: Source, year: int, level: str, *, province: str | None = None,
                  group: str | None = "all", standard: str | None = None) -> pd.DataFrame:
    """Every map measure per unit for one review year (:func:`povlib.geo.unit_measures`' columns), by the engine.

    ``standard`` None: the year's own standard (its indicators must be columns of the data).
    """
    _, by = _unit(level)
    key = by[0]
    where = unit_filter(years=(year,), province=province, group=group)
    std_id = standard or (facts_standards(source, [year]) or [None])[0]
    if std_id is None:
        raise PovlibInputError.from_key("geo.no_households_year", year=year, column="year")
    # as povlib.geo.unit_measures: a what-if standard whose indicators the year's rows lack uses its own ones
    if standard is not None:
        std_id = indicator_basis(source, year, standard).used
    cols = source.columns()
    std = _standards.get(std_id)
    ids = [i for i in std.indicator_ids]
    missing = [i for i in ids if i not in cols]
    if missing:
        raise PovlibInputError.from_key("nat.err.indicators", standard=std.id, columns=", ".join(missing))
    r = unit_rates(source, by, years=(year,), province=province, group=group)
    rows = _deprivation_rows(source, group, year, std)
    if rows is not None:  # the commune summaries: the same sums
        rows = pick(rows, province=province)
        n_hh = rows["households"].to_numpy(dtype=np.int64)
        d = (pd.DataFrame({key: rows[key].to_numpy(), "n_any": np.where(rows["deprivation_count"] > 0, n_hh, 0),
                           "with_indicators": n_hh}).groupby(key, sort=True, dropna=False).sum().reset_index())
        af = af_from_counts(rows, std, [key])
    else:
        anyd = " + ".join(f"CAST({i} AS INTEGER)" for i in ids)
        known = " AND ".join(f"{i} IS NOT NULL" for i in ids)
        d = source.sql(f"SELECT {key}, CAST(SUM(CASE WHEN {anyd} > 0 THEN 1 ELSE 0 END) AS BIGINT) AS n_any, "
                       f"CAST(COUNT(*) AS BIGINT) AS with_indicators FROM {VIEW} {where.where(known)} GROUP BY {key}")
        af = af_for_standard(source, std, by=key, where=UnitFilter(years=where.years, provinces=where.provinces,
                                                                   extra=(*where.extra, known)))
    out = r.merge(d, on=key, how="left").merge(af[[key, "H", "A", "M0"]], on=key, how="left")
    out["with_indicators"] = out["with_indicators"].fillna(0).astype(np.int64)
    n = out["with_indicators"].to_numpy(dtype=np.float64)
    out["any_deprived"] = np.where(n > 0, out["n_any"].fillna(0).to_numpy(dtype=np.float64) / np.where(n > 0, n, 1),
                                   np.nan)
    out = _named(out.drop(columns=["n_any"]), level)
    out.attrs.update(key=key, year=int(year), standard=std.id, indicator_standard=std.id,
                     b2_only=int(out["households"].sum() - out["with_indicators"].sum()))
    return out.reset_index(drop=True)


def rates_trend(source: Source, level: str | None = None, *, province: str | None = None,
                communes: Sequence[str] = (), group: str | None = "all") -> pd.DataFrame:
    """Rates per review year for the selection (``level`` None) or per unit: the columns of
    :func:`povlib.views.rates_trend`."""
    if level is None:
        r = unit_rates(source, "year", province=province, communes=communes, group=group)
        r["code"], r["name"] = "all", ""
    else:
        _, by = _unit(level)
        r = _named(unit_rates(source, ["year", *by], province=province, communes=communes, group=group), level)
        r = r[r["households"] > 0]
    r["year"] = r["year"].astype(int)
    std = facts_standards(source, sorted(set(r["year"])))
    r["standard"] = r["year"].map(dict(zip(sorted(set(r["year"])), std))).astype(str)
    if source.whatif is not None:  # every row re-classified under one standard (povlib.views.rates_trend's whatif)
        r["standard"] = str(source.whatif)
    r["second"] = False  # the national reviews were each measured under one standard (povlib.views.rates_trend)
    r = sort_frame(r, ["year", "name", "code"], text=["name"])
    return r[["year", "code", "name", "standard", "second", "households", "poor", "near_poor", "poor_rate",
              "near_poor_rate"]].reset_index(drop=True)


def _commune_flows(source: Source, *, province: str | None, communes: Sequence[str],
                   group: str | None) -> dict[str, pd.DataFrame]:
    """:func:`povlib.query.flow_tables` by commune of the selection: the summaries' rows of its communes when
    they equal it (:meth:`povlib.query.summary.Summaries.flows_exact`), else by the engine."""
    s = _summaries(source, group)
    out = None if s is None else s.flows_of(province=province, communes=communes)
    if out is not None:
        return out
    where = unit_filter(province=province, communes=communes, group=group)
    return flow_tables(source, "commune_code", statuses=("poor", "near_poor"), where=where, check=False)


def flow_counts(source: Source, *, years: Sequence[int], province: str | None = None, communes: Sequence[str] = (),
                group: str | None = "all") -> pd.DataFrame:
    """:func:`povlib.views.flow_counts` of the selection from :func:`povlib.query.flow_table` (flows by
    commune, as the app's household flows, summed): one row per review year after the first, in the summary
    form's words (newly arising includes the households formed or moved in); the re-entries of the year
    after the first review are not known (NaN, counted as newly arising)."""
    first = min(int(y) for y in years)
    out = None
    tables = _commune_flows(source, province=province, communes=communes, group=group)
    for status, esc, new, re_, joined in (("poor", "escaped_poverty", "newly_poor", "re_poor", "joined_poor"),
                                          ("near_poor", "escaped_near_poverty", "newly_near_poor", "re_near_poor",
                                           "joined_near_poor")):
        ft = tables[status]
        # escaping near-poverty is leaving it above the line (to poor is not an escape)
        out_col = "escaped" if status == "poor" else "exit_to_non_poor"
        g = ft.groupby("year")[[out_col, "newly_arising", "re_entered", "joined"]].sum()
        part = pd.DataFrame({esc: g[out_col], new: g["newly_arising"] + g["joined"], re_: g["re_entered"],
                             joined: g["joined"]})
        out = part if out is None else out.join(part, how="outer")
    cols = ["escaped_poverty", "newly_poor", "re_poor", "escaped_near_poverty", "newly_near_poor", "re_near_poor",
            "joined_poor", "joined_near_poor"]
    later = [int(y) for y in sorted(years) if int(y) > first]
    out = out.reindex(later, fill_value=0).fillna(0).astype(np.int64)
    out = out.rename_axis("year").reset_index()[["year", *[c for c in cols]]]
    out["year"] = out["year"].astype(int)
    if later:  # the year after the first review: a re-entry is not told apart from a new entry
        at = (out["year"] == later[0]).to_numpy()
        for re_, new in (("re_poor", "newly_poor"), ("re_near_poor", "newly_near_poor")):
            out.loc[at, new] += out.loc[at, re_]
            out[re_] = out[re_].astype(float).mask(at)
    return out


def transition_counts(source: Source, year_from: int, year_to: int, *, province: str | None = None,
                      communes: Sequence[str] = (), group: str | None = "all") -> pd.DataFrame:
    """:func:`povlib.views.transition_counts` by the engine: households by status in two review years
    (``'absent'`` when in one year only), non-zero pairs in the order poor, near-poor, non-poor, absent."""
    summ = _summaries(source, group)
    g = None if summ is None else summ.transitions_of(year_from, year_to, province=province, communes=communes)
    if g is None:
        g = _engine_transitions(source, year_from, year_to, province=province, communes=communes, group=group)
    order = {s: i for i, s in enumerate([*STATUSES, "absent"])}
    g = g.assign(from_status=g["from_status"].astype(str), to_status=g["to_status"].astype(str),
                 households=g["households"].astype(np.int64))
    g = g[g["households"] > 0].sort_values(["from_status", "to_status"], key=lambda c: c.map(order))
    return g[["from_status", "to_status", "households"]].reset_index(drop=True)


def _engine_transitions(source: Source, year_from: int, year_to: int, *, province: str | None,
                        communes: Sequence[str], group: str | None) -> pd.DataFrame:
    a = unit_filter(years=(year_from,), province=province, communes=communes, group=group)
    b = unit_filter(years=(year_to,), province=province, communes=communes, group=group)
    return source.sql(
        f"SELECT COALESCE(a.status, 'absent') AS from_status, COALESCE(b.status, 'absent') AS to_status, "
        f"CAST(COUNT(*) AS BIGINT) AS households\n"
        f"FROM (SELECT household_id, status FROM {VIEW} {a.where()}) a\n"
        f"FULL OUTER JOIN (SELECT household_id, status FROM {VIEW} {b.where()}) b ON a.household_id = b.household_id\n"
        f"GROUP BY COALESCE(a.status, 'absent'), COALESCE(b.status, 'absent')")


def _known(std) -> str:
    """The condition "the household carries every indicator of ``std``" (not reviewed with B2 only)."""
    return " AND ".join(f"{i} IS NOT NULL" for i in std.indicator_ids)


def deprivation_summary(source: Source, year: int, standard: str, *, province: str | None = None,
                        communes: Sequence[str] = (), group: str | None = "all") -> dict:
    """:func:`povlib.views.deprivation_summary` of the selection, from the engine's sums.

    H, A, M0, the uncensored and censored shares and the contributions of every household with the
    indicators, the shares of the poor and near-poor, and the households by number of deprivations and
    status; the same keys and columns as the pandas function.
    """
    std = _standards.get(standard)
    ids = std.indicator_ids
    k = Fraction(std.deprivation_cutoff, len(ids))
    where = unit_filter(years=(year,), province=province, communes=communes, group=group)
    known = UnitFilter(years=where.years, provinces=where.provinces, communes=where.communes,
                       extra=(*where.extra, _known(std)))
    table = pd.DataFrame({"indicator": ids, "dimension": [std.dimension_of(i).id for i in ids]})
    rows = _deprivation_rows(source, group, year, std)
    if rows is not None:  # the commune summaries: the same sums
        rows = pick(rows, province=province, communes=communes)
        households = household_count(source, year, province=province, communes=communes, group=group)
        with_ind = int(rows["households"].sum())
        overall = af_from_counts(rows, std, ["year"])
        by = af_from_counts(rows, std, ["status"]).set_index("status")
    else:
        n = source.sql(f"SELECT CAST(COUNT(*) AS BIGINT) AS households, CAST(SUM(CASE WHEN {_known(std)} THEN 1 "
                       f"ELSE 0 END) AS BIGINT) AS known FROM {VIEW} {where.where()}")
        households, with_ind = int(n["households"].iloc[0]), int(n["known"].fillna(0).iloc[0])
        overall = af_by_group(source, ids, "year", k=k, where=known)
        by = af_by_group(source, ids, "status", k=k, where=known).set_index("status")
    none = overall.empty
    row = None if none else overall.iloc[0]
    table["share_all"] = [0.0 if none else float(row[f"hd_{i}"]) for i in ids]
    table["censored_all"] = [0.0 if none else float(row[f"hdk_{i}"]) for i in ids]
    table["contribution"] = [0.0 if none else float(row[f"contrib_{i}"]) for i in ids]
    for st in ("poor", "near_poor"):
        table[f"share_{st}"] = [float(by.loc[st, f"hd_{i}"]) if st in by.index else 0.0 for i in ids]
        table[f"censored_{st}"] = [float(by.loc[st, f"hdk_{i}"]) if st in by.index else 0.0 for i in ids]
    if rows is not None:
        c = rows.groupby(["deprivation_count", "status"], sort=False)["households"].sum().reset_index()
    else:
        count = " + ".join(f"CAST({i} AS INTEGER)" for i in ids)
        c = source.sql(f"SELECT {count} AS deprivation_count, status, CAST(COUNT(*) AS BIGINT) AS households "
                       f"FROM {VIEW} {known.where()} GROUP BY {count}, status")
    grid = pd.MultiIndex.from_product([range(len(ids) + 1), list(STATUSES)], names=["deprivation_count", "status"])
    dist = (c.assign(deprivation_count=c["deprivation_count"].astype(int), status=c["status"].astype(str))
            .set_index(["deprivation_count", "status"])["households"].reindex(grid, fill_value=0).astype(np.int64)
            .reset_index())
    return {
        "table": table[["indicator", "dimension", "share_poor", "share_near_poor", "share_all",
                        "censored_poor", "censored_near_poor", "censored_all", "contribution"]],
        "H": np.nan if none else float(row["H"]), "A": np.nan if none else float(row["A"]),
        "M0": np.nan if none else float(row["M0"]), "households": households, "with_indicators": with_ind,
        "b2_only": households - with_ind, "cutoff": std.deprivation_cutoff, "count_dist": dist,
    }


def unit_indicator_matrix(source: Source, year: int, standard: str, level: str, *, province: str | None = None,
                          group: str | None = "all", among: str = "all") -> pd.DataFrame:
    """Share of households deprived in each indicator per unit (:func:`povlib.views.unit_indicator_matrix`):
    the provinces, or the communes of ``province``; index the unit names, columns the indicators."""
    std = _standards.get(standard)
    ids = std.indicator_ids
    among_cond = {"all": "", "poor": "status = 'poor'", "poor_near": "status IN ('poor', 'near_poor')"}[among]
    where = unit_filter(years=(year,), province=province, group=group)
    known = UnitFilter(years=where.years, provinces=where.provinces,
                       extra=tuple(c for c in (*where.extra, _known(std), among_cond) if c))
    key, by = _unit(level)
    rows = _deprivation_rows(source, group, year, std)
    if rows is not None:  # the commune summaries: the same sums
        rows = pick(rows, province=province)
        if among != "all":
            rows = rows[rows["status"].isin(["poor"] if among == "poor" else ["poor", "near_poor"])]
        g = af_from_counts(rows, std, by)
    else:
        g = af_by_group(source, ids, by, k=Fraction(std.deprivation_cutoff, len(ids)), where=known)
    if g.empty:  # as the pandas view: no unit
        return pd.DataFrame(columns=ids, dtype=float).rename_axis("name")
    g = _named(g, level)
    m = g.set_index("name")[[f"hd_{i}" for i in ids]]
    m.columns = pd.Index(ids, name="indicator")
    m.index = m.index.astype(str)
    m.index.name = "name"
    return m.sort_index(key=vi_key, kind="stable")


def commune_rows(source: Source, commune: str, province: str) -> pd.DataFrame:
    """Every household row of one commune, all review years (only its province's files are read).

    ``former_district_code`` is set to the province, so a province filter selects the rows as a
    district filter does (:func:`povlib.views.select_rows`).
    """
    where = Filter(provinces=(str(province),), communes=(str(commune),))
    df = source.sql(f"SELECT * FROM {VIEW} {where.where()} ORDER BY year, household_id")
    df["year"] = df["year"].astype(np.int64)
    df["former_district_code"] = df["province_code"].astype(str)
    # codes and labels as categories, as the demo panels hold them (the pandas views expect writable arrays)
    for c in df.columns:
        if c not in _FREE_TEXT and (df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)):
            df[c] = df[c].astype("category")
    return df.reset_index(drop=True)


#: text columns kept as text (one value per household)
_FREE_TEXT = ("household_id", "head_name", "id_number")
