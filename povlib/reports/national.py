"""The review's report forms for a province or the whole country, computed where the data are (:mod:`povlib.query`).

:func:`summary_table` is :func:`povlib.reports.summary.summary_table` with its counts from the engine: the
rates by unit and area (all households and the ethnic-minority ones) and the flow table of the status (SQL
over the Parquet files, small tables back); the form's rules are applied by the same
:func:`povlib.reports.summary.summary_from_counts`. :func:`indicator_table` is
:func:`povlib.reports.indicators.indicator_table` from grouped sums. :func:`build_report` puts them in a
:class:`povlib.reports.ReportBundle` (screen, .xlsx, CSV, PDF) as :func:`povlib.reports.build_report`
does for one commune's households. Rows are the communes of the province, or the provinces of the country
(``level='province'``).

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame
>>> df = pd.DataFrame({"household_id": ["a", "b", "a", "b"], "year": [2025, 2025, 2026, 2026],
...                    "province_code": "19", "commune_code": "05500", "commune_name": "Xã X", "area": "rural",
...                    "status": ["poor", "non_poor", "near_poor", "poor"], "ethnic_minority": [True, False] * 2,
...                    "standard": "ND07_2021", "members": 3})
>>> t = summary_table(from_frame(df), 2026, status="poor", province="19")
>>> total = t.iloc[-1]
>>> total["row_kind"], int(total["start"]), int(total["escaped"]), int(total["end"])
('total', 1, 1, 1)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError
from ..geo.national import province_names
from ..i18n import fmt_int, t
from ..indicator_basis import shared_note
from ..query import flow_table, rates
from ..query.source import VIEW, Source
from ..standards import DEFAULT_STANDARD
from ..transitions import HISTORY_COLUMNS
from ..views.national import UnitFilter, unit_filter
from .bundle import ReportBundle, _bold_rows, summary_notes
from .common import STATUS_KEYS, check_status
from .document import document_frame
from .forms import form_line, form_notes
from .indicators import indicator_display
from .summary import summary_display, summary_from_counts, unbalanced_rows

__all__ = ["summary_table", "indicator_table", "build_report", "NATIONAL_KINDS"]

#: the reports of a province or the country (the posting list is one commune's: its households)
NATIONAL_KINDS = ("summary", "indicators")
_LEVELS = {"commune": ("commune_code", "commune_name"), "province": ("province_code", None)}


def _scope(source: Source, province: str | None) -> tuple[list[int], UnitFilter]:
    where = unit_filter(province=province)
    y = source.sql(f"SELECT DISTINCT year FROM {VIEW} {where.where()}")
    return sorted(int(v) for v in y["year"]), where


def _check_year(years: list[int], year: int) -> None:
    if int(year) not in years:
        raise PovlibInputError.from_key("report.err.year", year=year, years=", ".join(map(str, years)) or "–")


def year_standard(source: Source, where: UnitFilter) -> str | None:
    """The one standard of the scope's rows in the filter's year (several raise, as one form cannot add them)."""
    s = sorted(str(v) for v in source.sql(f"SELECT DISTINCT standard FROM {VIEW} {where.where()}")["standard"].dropna())
    if len(s) > 1:
        raise PovlibInputError.from_key("report.err.mixed_standards", standards=", ".join(s))
    return s[0] if s else None


def _names(source: Source, where: UnitFilter, level: str) -> pd.Series:
    code_col, name_col = _LEVELS[level]
    if name_col is None:  # provinces: the 2025 list of names
        codes = source.sql(f"SELECT DISTINCT {code_col} AS code FROM {VIEW} {where.where()}")["code"].astype(str)
        names = province_names()
        return pd.Series([names.get(c, c) for c in codes], index=codes.to_numpy())
    g = source.sql(f"SELECT {code_col} AS code, MIN({name_col}) AS name FROM {VIEW} {where.where()} GROUP BY {code_col}")
    return pd.Series(g["name"].astype(str).to_numpy(), index=g["code"].astype(str).to_numpy())


def _no_province_movers(source: Source, where: UnitFilter) -> None:
    """Raise unless every household keeps its province across the reviews of ``where`` (the country's total
    row adds up the provinces' flows: a household that moved province would leave one and join another)."""
    n = source.sql(f"SELECT COUNT(*) AS n FROM (SELECT household_id FROM {VIEW} {where.where()} GROUP BY household_id "
                   f"HAVING COUNT(DISTINCT province_code) > 1) m")
    if int(n["n"].iloc[0]):
        raise PovlibInputError.from_key("nat.err.province_movers", n=int(n["n"].iloc[0]))


def summary_table(source: Source, year: int, *, status: str = "poor", level: str = "commune",
                  pct_base: str = "households", lang: str = "vi", province: str | None = None) -> pd.DataFrame:
    """The summary form of ``status`` for ``year`` over a province (``province``) or the country: the
    machine table of :func:`povlib.reports.summary.summary_table`, rows the communes (``level='commune'``)
    or the provinces (``'province'``), every count from the engine."""
    check_status(status)
    if pct_base not in ("households", "start"):
        raise PovlibInputError.from_key("report.err.pct_base", value=pct_base)
    if level not in _LEVELS:
        raise PovlibInputError.from_key("report.err.level", level=level)
    code_col = _LEVELS[level][0]
    year = int(year)
    years, scope = _scope(source, province)
    _check_year(years, year)
    cur = unit_filter(years=(year,), province=province)
    em = UnitFilter(years=cur.years, provinces=cur.provinces, extra=("ethnic_minority = TRUE",))
    std_id = year_standard(source, cur)

    def rates_of(ethnic_minority: bool, keys: list[str]) -> pd.DataFrame:
        return rates(source, keys or None, where=em if ethnic_minority else cur)

    past = unit_filter(years=[y for y in years if y <= year], province=province)

    def flows_of(keys: list[str]) -> pd.DataFrame:
        if not keys:  # the whole scope: by province, added up (exact when no household changed province)
            if province is None:
                _no_province_movers(source, past)
            ft = flows_of(["province_code"]).drop(columns="province_code")
            return ft.sum(numeric_only=True).to_frame().T.astype(np.int64)
        ft = flow_table(source, keys, status=status, flags=("ethnic_minority",), where=past, check=False)
        ft = ft[ft["year"] == year].drop(columns="year")
        for k in keys:
            ft[k] = ft[k].astype(str)
        return ft

    hist_col = HISTORY_COLUMNS[status]
    history_from: int | None = min(years) if years else None
    if hist_col in source.columns():
        n = source.sql(f"SELECT COUNT(*) AS n FROM {VIEW} {scope.where(f'{hist_col} IS NULL')}")
        history_from = None if int(n["n"].iloc[0]) == 0 else history_from
    return summary_from_counts(year, status=status, level=level, pct_base=pct_base, lang=lang, code_col=code_col,
                               rates_of=rates_of, flows_of=flows_of, years=years, history_from=history_from,
                               std_id=std_id, names=_names(source, cur, level))


def indicator_table(source: Source, year: int, *, standard: str | None = None,
                    province: str | None = None) -> pd.DataFrame:
    """:func:`povlib.reports.indicators.indicator_table` of a province or the country from grouped sums:
    per indicator, the poor (income- and deprivation-poor apart) and near-poor households deprived in it."""
    cur = unit_filter(years=(int(year),), province=province)
    std = _standards.get(standard or year_standard(source, cur) or DEFAULT_STANDARD)
    ids = std.indicator_ids
    missing = [c for c in ids if c not in source.columns()]
    if missing:
        raise PovlibInputError.from_key("report.err.no_indicators", columns=", ".join(missing))
    known = " AND ".join(f"{i} IS NOT NULL" for i in ids)
    n = source.sql(f"SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {VIEW} {cur.where(f'NOT ({known})')}")
    unknown = int(n["n"].iloc[0])
    groups = {"poor": "status = 'poor'", "income_poor": "status = 'poor' AND poor_via = 'income'",
              "deprivation_poor": "status = 'poor' AND poor_via = 'deprivation'", "near_poor": "status = 'near_poor'"}
    cols = []
    for g, cond in groups.items():
        cols.append(f"CAST(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS BIGINT) AS n_{g}")
        cols += [f"CAST(SUM(CASE WHEN {cond} AND {i} THEN 1 ELSE 0 END) AS BIGINT) AS {g}__{i}" for i in ids]
    s = source.sql(f"SELECT {', '.join(cols)} FROM {VIEW} {cur.where(known)}").fillna(0).iloc[0]
    out = pd.DataFrame({"dimension": [std.dimension_of(i).id for i in ids], "indicator": ids})
    sizes = {}
    for g in groups:
        size = int(s[f"n_{g}"])
        sizes[g] = size
        deprived = np.array([int(s[f"{g}__{i}"]) for i in ids], dtype=np.int64)
        out[g] = deprived
        # the same expression as povlib.measures.deprivation_shares (÷ the group's households)
        out[f"{g}_share"] = deprived / size if size else np.full(len(ids), np.nan)
    out.attrs.update({"households": sizes, "standard": std.id, "unknown": unknown})
    return out


def build_report(source: Source, year: int, kind: str = "summary", *, lang: str = "vi", level: str = "commune",
                 province: str | None = None, synthetic: bool = False, pct_base: str = "households",
                 applied_standard: str | None = None) -> ReportBundle:
    """The report bundle of ``kind`` (:data:`NATIONAL_KINDS`) for a province or the country, as
    :func:`povlib.reports.build_report` builds it from households: same sheets, titles and notes."""
    if kind not in NATIONAL_KINDS:
        raise PovlibInputError.from_key("report.err.kind", kind=kind, kinds=", ".join(NATIONAL_KINDS))
    year = int(year)
    years, _ = _scope(source, province)
    _check_year(years, year)
    cur = unit_filter(years=(year,), province=province)
    std_id = year_standard(source, cur)
    names = province_names()
    unit = names.get(province, province) if province else t("report.unit.country", lang)
    std_line = []
    common_notes = [t("general.synthetic_note", lang)] if synthetic else []
    if std_id:
        std = _standards.get(std_id)
        std_line = [t("report.title.standard", lang, name=std.name(lang), source=std.source(lang))
                    + " · " + form_line(std_id, lang)]
        common_notes = form_notes(std_id, lang) + common_notes
    if applied_standard is not None and applied_standard != std_id:
        if source.whatif != _standards.get(applied_standard).id:  # the households are not re-classified under it
            raise PovlibInputError.from_key("nat.err.whatif_report", std=_standards.get(applied_standard).legal_source)
        # as povlib.reports.build_report words a what-if (the engine re-classified every household)
        applied = _standards.get(applied_standard)
        own = _standards.get(std_id).name(lang) if std_id else "–"
        std_line = [t("report.title.standard_whatif", lang, name=applied.name(lang), own=own)
                    + (" · " + form_line(std_id, lang) if std_id else "")]
        shared = shared_note(applied, std_id, lang)
        common_notes = ([t("report.note.whatif", lang, name=applied.name(lang), own=own)] + ([shared] if shared else [])
                        + common_notes)
    prev = max([y for y in years if y < year], default=None)
    std_changed = prev is not None and std_id is not None and \
        year_standard(source, unit_filter(years=(prev,), province=province)) not in (None, std_id)
    b = ReportBundle(lang=lang, document=document_frame(pd.DataFrame({"province_code": [province]})
                                                        if province else None, lang))

    def header(title_key: str, *, unit_key: str = "report.title.unit_hh", **kw) -> list[str]:
        return [t(title_key, lang, year=year, **kw).upper() if lang == "vi" else t(title_key, lang, year=year, **kw),
                t("report.title.unit", lang, unit=unit), t("report.title.year", lang, year=year), *std_line,
                t(unit_key, lang)]

    if kind == "summary":
        for status in STATUS_KEYS:
            tab = summary_table(source, year, status=status, level=level, pct_base=pct_base, lang=lang,
                                province=province)
            name = t(f"report.sheet.summary.{status}", lang)
            b.keys[name], b.tables[name], b.sheets[name] = f"summary_{status}", tab, summary_display(tab, lang)
            b.titles[name] = header(f"report.title.summary.{status}", unit_key="report.title.unit_hh_pct")
            notes = summary_notes(tab, status, year, pct_base, lang, prev if std_changed else None)
            b.notes[name] = notes + common_notes
            b.total_rows[name] = _bold_rows(tab)
            unbalanced = unbalanced_rows(tab)
            if unbalanced is not None:
                b.unbalanced[name] = unbalanced
    else:
        tab = indicator_table(source, year, standard=std_id, province=province)
        tab.attrs["income_branch"] = _standards.get(applied_standard or std_id or DEFAULT_STANDARD).income_only_poor
        name = t("report.sheet.indicators", lang)
        b.keys[name], b.tables[name], b.sheets[name] = "indicators", tab, indicator_display(tab, lang)
        b.titles[name] = header("report.title.indicators", unit_key="report.title.unit_hh_pct")
        unknown_note = ([t("report.note.indicators_unknown", lang, n=fmt_int(tab.attrs["unknown"], lang))]
                        if tab.attrs.get("unknown") else [])
        b.notes[name] = [t("report.note.indicators", lang)] + unknown_note + common_notes
        b.total_rows[name] = [0]
    return b
