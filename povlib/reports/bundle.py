"""The report bundle: the chosen report tables with titles and notes, as ``.xlsx`` and CSV.

:func:`build_report` restricts the panel to a district or commune, builds the
tables of ``kind`` (:data:`KINDS`: the summary of each status, the table by
indicator, by household group, the posting list) and gives a
:class:`ReportBundle` of display tables in Vietnamese (or English) with titles
(report name, unit name, year, standard, units) and notes (percentage base,
the form's extra columns and its unconfirmed rules, first year, re-entry not
known before the panel has history, standard changed, unknown group flags,
masked names, synthetic data, what-if standard), which writes ``.xlsx``
(:func:`povlib.export.to_xlsx_bytes`) and CSV. The bundle also says which
summary rows do not balance, for the page to show. Under a standard without
an income-only poor branch (Decree 07/2021) the tables have no income-poor /
deprivation-poor columns (``attrs['income_branch']``).

Examples
--------
>>> import povlib
>>> from povlib.reports.bundle import build_report
>>> b = build_report(povlib.load_demo(), 2019, "groups")
>>> list(b.sheets), b.to_xlsx()[:2]
(['Theo nhóm đối tượng'], b'PK')
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..columns import as_text, equals, in_district
from ..errors import PovlibInputError
from ..export import to_csv_bytes, to_xlsx_bytes
from ..i18n import fmt_int, t, t_count
from ..indicator_basis import given_columns, resolve_indicators, shared_note
from ..panel import indicator_rows
from ..standards import DEFAULT_STANDARD
from ..transitions import reentry_history
from ..units import units_at
from .common import (
    STATUS_KEYS,
    check_year,
    level_columns,
    missing_flags,
    need_columns,
    unit_label,
    year_standard,
)
from .document import DocumentFrame, document_frame
from .forms import form_line, form_notes
from .groups import GROUP_FLAGS, group_display, group_table
from .indicators import indicator_display, indicator_table
from .posting import posting_display, posting_list
from .reform import commune_rows
from .summary import summary_display, summary_table, unbalanced_rows, unconfirmed_rules

__all__ = ["KINDS", "ReportBundle", "build_report"]

#: report kinds of :func:`build_report` (``all`` = every sheet)
KINDS = ("summary", "indicators", "groups", "posting", "all")


@dataclass
class ReportBundle:
    """Display tables with their titles and notes; writes ``.xlsx`` and CSV.

    Attributes
    ----------
    sheets : dict
        Sheet name -> display table (Vietnamese headers, percentages × 100).
    tables : dict
        Sheet name -> the machine table behind it (for tests and the page).
    titles, notes : dict
        Sheet name -> lines above / below the table.
    total_rows : dict
        Sheet name -> row positions to show in bold (sections and totals).
    keys : dict
        Sheet name -> ASCII key (``summary_poor``, ``indicators``, …) for file names.
    warnings : list of str
        Reports left out, and why (e.g. the table by indicator of households
        reviewed with the B2 score only). A bundle without tables refuses to
        write a file, with these reasons.
    unbalanced : dict
        Sheet name -> positions of the rows where the printed identity start −
        escaped − to-poor + re-entered + newly arising − moved out ≠ end (empty:
        every row balances). Only the summary sheets that have start-of-year figures
        (:func:`~povlib.reports.summary.unbalanced_rows`).
    freeze_cols : int
        Columns kept in view when scrolling the workbook sideways.
    lang : str
        Language of the tables.
    document : DocumentFrame or None
        The official header (issuing body, national title, place and date) and
        signature block printed around every table of the workbook and the PDF
        (:mod:`povlib.reports.document`).

    Examples
    --------
    >>> import povlib
    >>> b = build_report(povlib.load_demo(), 2019, "summary", lang="en")
    >>> b.keys, b.unbalanced
    ({'Poor': 'summary_poor', 'Near-poor': 'summary_near_poor'}, {'Poor': [], 'Near-poor': []})
    >>> b.screen_table("Poor").columns[3]
    ('Start of year', 'Households')
    """

    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    total_rows: dict[str, list[int]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unbalanced: dict[str, list[int]] = field(default_factory=dict)
    freeze_cols: int = 2
    lang: str = "vi"
    document: DocumentFrame | None = None

    def _need_tables(self) -> None:
        """Refuse to write a bundle without tables (e.g. indicators asked of B2-only data), saying why."""
        if not self.sheets:
            raise PovlibInputError.from_key("report.err.no_tables", reasons=" ".join(self.warnings))

    def to_xlsx(self) -> bytes:
        """The workbook: one sheet per table, titles, frozen header, number formats."""
        self._need_tables()
        return to_xlsx_bytes(self.sheets, self.titles, notes=self.notes, freeze_cols=self.freeze_cols,
                             total_rows=self.total_rows, document=self.document)

    def to_pdf(self) -> bytes:
        """The tables for printing and signing: one form per sheet (:func:`povlib.reports.pdf.report_pdf`)."""
        from .pdf import report_pdf

        self._need_tables()
        return report_pdf(self)

    def to_csv(self, sheet: str | None = None) -> bytes:
        """One table as CSV (UTF-8 with BOM); the first sheet by default."""
        self._need_tables()
        name = sheet if sheet is not None else next(iter(self.sheets))
        return to_csv_bytes(self.sheets[name])

    def csv_files(self) -> dict[str, bytes]:
        """Every table as CSV, keyed by sheet name."""
        self._need_tables()
        return {name: to_csv_bytes(df) for name, df in self.sheets.items()}

    def screen_table(self, name: str) -> pd.DataFrame:
        """The table of sheet ``name`` for a screen.

        The summary sheets get the shorter group headers of
        ``summary_display(compact=True)`` (a screen flattens the headers to one
        line); the other sheets are the workbook's.
        """
        if self.keys[name].startswith("summary_"):
            return summary_display(self.tables[name], self.lang, compact=True)
        return self.sheets[name]


def _bold_rows(table: pd.DataFrame) -> list[int]:
    return [int(i) for i in np.flatnonzero(table["row_kind"].isin(["area", "total"]).to_numpy())]


def build_report(
    panel: pd.DataFrame,
    year: int,
    kind: str = "all",
    *,
    lang: str = "vi",
    level: str = "commune",
    commune: str | None = None,
    district: str | None = None,
    show_names: bool = False,
    unit_name: str | None = None,
    synthetic: bool = False,
    pct_base: str = "households",
    include_escaped: bool = False,
    applied_standard: str | None = None,
) -> ReportBundle:
    """Build the report tables of ``kind`` for ``year`` as a :class:`ReportBundle`.

    Parameters
    ----------
    panel : DataFrame
        Classified panel (all years: the flows need the previous ones).
    year : int
    kind : {'summary', 'indicators', 'groups', 'posting', 'all'}
        ``summary`` gives two sheets (poor, near-poor).
    lang : {'vi', 'en'}
    level : {'commune', 'district'}
        Rows of the summary and group tables.
    commune, district : str, optional
        Restrict to one commune (GSO 2019 code) or district (code); a commune is
        reported whole, ``district`` then ignored (after the 2025 reform a new
        commune may lie in two former districts).
        The posting list covers ``commune`` (or every commune in scope).
    show_names : bool
        Head-of-household names in full in the posting list (officer role).
    unit_name : str, optional
        Name of the reporting unit in the titles (default: from the data).
    synthetic : bool
        Add the synthetic-data note under every table.
    pct_base : {'households', 'start'}
        See :func:`summary_table`.
    include_escaped : bool
        Also list escaped households in the posting list.
    applied_standard : str, optional
        The standard the panel was reclassified under for a what-if view
        (``classify_households(panel, standard=...)`` keeps the ``standard``
        column of the review). When it differs from the review's standard the
        titles and notes say so: such tables are not the official figures.

    Examples
    --------
    >>> import povlib
    >>> b = build_report(povlib.load_demo(), 2019, "summary")
    >>> list(b.sheets), b.titles[next(iter(b.sheets))][0]
    (['Hộ nghèo', 'Hộ cận nghèo'], 'BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO NĂM 2019')
    """
    if kind not in KINDS:
        raise PovlibInputError.from_key("report.err.kind", kind=kind, kinds=", ".join(KINDS))
    level_columns(level)
    check_year(panel, year)
    year = int(year)
    scope = panel
    if district is not None and commune is None:  # a commune is reported whole (it may straddle two former districts)
        need_columns(panel, ["district_code"])
        scope = scope[in_district(scope, district)]  # after 2025: the new communes of the former district
        if scope.empty:
            raise PovlibInputError.from_key("report.err.district", district=district)
    if commune is not None:
        need_columns(panel, ["commune_code"])
        in_c = equals(scope["commune_code"], str(commune))
        if not (in_c & (scope["year"] == year)).any():
            raise PovlibInputError.from_key("report.err.commune", commune=commune, year=year)
        scope = scope[commune_rows(scope, year, str(commune))]  # after a reform: its territory the year before
    cur = scope[scope["year"] == year]
    if level == "district" and kind in ("summary", "indicators", "all") and len(cur) and \
            ("district_code" not in cur.columns or cur["district_code"].isna().all()):
        raise PovlibInputError.from_key("report.err.no_districts", year=year)  # after the 2025 reform
    unit = unit_name or unit_label(cur, lang)
    no_districts = len(cur) and ("district_code" not in cur.columns or cur["district_code"].isna().all())
    if unit_name is None and commune is None and no_districts:
        if district is not None:  # after the 2025 reform: the new communes of a former district
            unit = ", ".join([_former_district(panel, district, lang), unit])
        elif "former_district_code" in cur.columns:  # a district's data after the reform (the district demo):
            # its new communes, each with households of that former district (and maybe of others)
            each = cur.groupby(as_text(cur["commune_code"]), sort=False)["former_district_code"].agg(
                lambda s: frozenset(s.dropna().astype(str)))
            common = frozenset.intersection(*each) if len(each) else frozenset()
            if len(common) == 1:
                name = _district_name(panel, next(iter(common)))
                unit = ", ".join([t("report.unit.communes_of", lang, n=fmt_int(len(each), lang), district=name), unit])
    std_id = year_standard(cur)
    std_line = []
    if std_id:
        std = _standards.get(std_id)
        std_line = [t("report.title.standard", lang, name=std.name(lang), source=std.source(lang))
                    + " · " + form_line(std_id, lang)]
    common_notes = [t("general.synthetic_note", lang)] if synthetic else []
    if std_id:
        common_notes = form_notes(std_id, lang) + common_notes  # the form of the year's standard
    if applied_standard is not None and applied_standard != std_id:
        applied = _standards.get(applied_standard)
        own = _standards.get(std_id).name(lang) if std_id else "–"
        std_line = [t("report.title.standard_whatif", lang, name=applied.name(lang), own=own)
                    + (" · " + form_line(std_id, lang) if std_id else "")]
        shared = shared_note(applied, std_id, lang, given=given_columns(panel[panel["year"] == year]))
        common_notes = ([t("report.note.whatif", lang, name=applied.name(lang), own=own)] + ([shared] if shared else [])
                        + common_notes)
    # the standard the households were classified under: its income-only branch decides the split columns
    income_branch = _standards.get(applied_standard or std_id or DEFAULT_STANDARD).income_only_poor
    years = sorted(int(y) for y in pd.unique(panel["year"]))
    prev = max([y for y in years if y < year], default=None)
    std_changed = False
    if prev is not None and std_id and "standard" in scope.columns:
        prev_std = year_standard(scope[scope["year"] == prev])
        std_changed = prev_std is not None and prev_std != std_id
    b = ReportBundle(lang=lang, document=document_frame(cur, lang))

    def flag_notes(flags: list[str]) -> list[str]:
        return [t("report.note.flag_missing", lang, n=n, flag=t(GROUP_FLAGS[f], lang))
                for f, n in missing_flags(cur, flags).items()]

    def header(title_key: str, *, unit_key: str = "report.title.unit_hh", **kw) -> list[str]:
        return [t(title_key, lang, year=year, **kw).upper() if lang == "vi" else t(title_key, lang, year=year, **kw),
                t("report.title.unit", lang, unit=unit), t("report.title.year", lang, year=year), *std_line,
                t(unit_key, lang)]

    if kind in ("summary", "all"):
        for status in STATUS_KEYS:
            tab = summary_table(scope, year, status=status, level=level, pct_base=pct_base, lang=lang)
            name = t(f"report.sheet.summary.{status}", lang)
            b.keys[name] = f"summary_{status}"
            b.tables[name] = tab
            b.sheets[name] = summary_display(tab, lang)
            b.titles[name] = header(f"report.title.summary.{status}", unit_key="report.title.unit_hh_pct")
            notes = summary_notes(tab, status, year, pct_base, lang, prev if std_changed else None)
            b.notes[name] = notes + flag_notes(["ethnic_minority"]) + common_notes
            b.total_rows[name] = _bold_rows(tab)
            unbalanced = unbalanced_rows(tab)
            if unbalanced is not None:
                b.unbalanced[name] = unbalanced
    run_ind = kind in ("indicators", "all")
    # the indicators of the standard classified under when the rows give them (a what-if), else of their own
    ind_std = _standards.get(resolve_indicators(given_columns(cur), applied_standard,
                                                std_id or DEFAULT_STANDARD).used)
    # no household gives every indicator: a table of the ones given, when some are (the previous standard's form)
    n_given = sum(c in cur.columns and bool(cur[c].notna().any()) for c in ind_std.indicator_ids)
    if run_ind and not indicator_rows(cur, ind_std.id).any() and not 0 < n_given < len(ind_std.indicator_ids):
        # reviewed with the B2 score only (no indicator columns, or blank ones): which indicators a household
        # lacks is not known, no table by indicator
        run_ind = False
        b.warnings.append(t("report.warn.b2_only_all", lang, n=fmt_int(len(cur), lang)))
    if run_ind:
        tab = indicator_table(cur, ind_std.id)
        tab.attrs["income_branch"] = income_branch
        name = t("report.sheet.indicators", lang)
        b.keys[name] = "indicators"
        b.tables[name] = tab
        b.sheets[name] = indicator_display(tab, lang)
        b.titles[name] = header("report.title.indicators", unit_key="report.title.unit_hh_pct")
        unknown_note = ([t("report.note.indicators_unknown", lang, n=fmt_int(tab.attrs["unknown"], lang))]
                        if tab.attrs.get("unknown") else [])
        if tab.attrs.get("not_given"):  # a review in the previous standard's form: the indicators it gives
            unknown_note.append(t("report.note.indicators_not_given", lang, k=len(tab), total=len(ind_std.indicators),
                                  std=ind_std.name(lang), missing="; ".join(
                                      ind_std.indicator(c).label(lang) for c in tab.attrs["not_given"])))
        b.notes[name] = [t("report.note.indicators", lang)] + unknown_note + common_notes
        b.total_rows[name] = [0]
    if kind in ("groups", "all"):
        tab = group_table(cur, level=level, lang=lang)
        tab.attrs["income_branch"] = income_branch
        name = t("report.sheet.groups", lang)
        b.keys[name] = "groups"
        b.tables[name] = tab
        b.sheets[name] = group_display(tab, lang)
        b.titles[name] = header("report.title.groups")
        b.notes[name] = [t("report.note.groups", lang)] + flag_notes(list(GROUP_FLAGS)) + common_notes
        b.total_rows[name] = _bold_rows(tab)
    if kind in ("posting", "all"):
        tab = posting_list(scope, year, commune=commune, show_names=show_names, include_escaped=include_escaped)
        tab.attrs["income_branch"] = income_branch
        # the year after the first review: an entry may be newly arising or re-entering, not known
        tab.attrs["reentry_unknown"] = [s for s in STATUS_KEYS if prev is not None and prev == reentry_history(scope, s)]
        name = t("report.sheet.posting", lang)
        b.keys[name] = "posting"
        b.tables[name] = tab
        b.sheets[name] = posting_display(tab, lang)
        b.titles[name] = header("report.title.posting")
        notes = [t("report.note.posting", lang)]
        if not show_names:
            notes.append(t("report.note.masked", lang))
        b.notes[name] = notes + common_notes
        b.total_rows[name] = []
    return b


def _district_name(panel: pd.DataFrame, district: str) -> str:
    """A (former) district's name, as its rows of earlier years carry it (else its code)."""
    named = panel.loc[equals(panel["district_code"], str(district)), "district_name"].dropna() \
        if "district_name" in panel.columns else pd.Series(dtype=object)
    return str(named.iloc[0]) if len(named) else str(district)


def _former_district(panel: pd.DataFrame, district: str, lang: str) -> str:
    """"Địa bàn Huyện Chợ Đồn cũ": a former district by the name its rows of earlier years carry."""
    return t("app.scope.former_district", lang, name=_district_name(panel, district))


def summary_notes(tab, status: str, year: int, pct_base: str, lang: str, prev_standard: str | None) -> list[str]:
    """The notes under a summary form: the percentage base, the form's rules, what the data cannot tell
    (re-entry, the first year) and a change of standard since ``prev_standard`` (None: no change).
    Shared by the pandas bundle and the national (SQL) one."""
    notes = [t(f"report.note.pct_base.{pct_base}", lang), t("report.note.em_rate", lang)]
    if tab.attrs.get("first_year"):
        notes.insert(0, t("report.note.first_year", lang, year=year))
    else:
        notes += [t("report.note.identity", lang),
                  t("report.note.form_columns", lang, s=t(f"report.word.{status}", lang))]
        if status == "near_poor":
            notes.append(t("report.note.to_poor", lang))
        notes.append(t("report.note.unconfirmed", lang, rules="; ".join(unconfirmed_rules(lang))))
        if tab.attrs.get("reentry") == "unknown":
            notes.insert(0, t("report.note.reentry_unknown", lang, year=year,
                                  first=tab.attrs["history_from"]))
        elif tab.attrs.get("reentry") == "partial":
            notes.append(t("report.note.reentry_partial", lang, first=tab.attrs["history_from"]))
        prev = tab.attrs.get("prev_year")
        if tab.attrs.get("not_reviewed"):
            notes.insert(0, t("report.note.not_reviewed", lang, year=year, prev=prev,
                              count=t_count("app.communes_count", len(tab.attrs["not_reviewed"]), lang),
                              units=", ".join(tab.attrs["not_reviewed"])))
        if tab.attrs.get("units_merged"):
            notes.append(t("report.note.units_merged", lang, prev=prev, n=fmt_int(len(tab.attrs["units_merged"]), lang)))
        if tab.attrs.get("start_unplaced"):
            old = units_at(int(prev)).set_index("code")["name"]
            split = tab.attrs["start_unplaced"]
            notes.append(t("report.note.start_unplaced", lang, prev=prev, s=t(f"report.word.{status}", lang),
                           n=fmt_int(sum(split.values()), lang),
                           units=", ".join(f"{old.get(c, c)} ({c})" for c in sorted(split))))
    if prev_standard is not None:
        notes.insert(0, t("report.note.std_changed", lang, prev=prev_standard))
    return notes
