"""Reading a commune's review results: :func:`read_intake` and its result, :class:`Intake`.

:func:`read_intake` runs the steps of the other modules in order – read the
file as text (:mod:`~povlib.intake.read`), map the headers, check that the
required columns are there, normalise and type the values
(:mod:`~povlib.intake.values`), check rows as records
(:mod:`~povlib.intake.checks`), read the member file and derive the person
indicators (:mod:`~povlib.intake.members`) – and collects every problem
(:mod:`~povlib.intake.problems`). Nothing is dropped or changed silently: a
row with any problem is *rejected* (``Intake.rejected_rows``), and only
``Intake.valid`` (in the store's layout, :mod:`~povlib.intake.layout`)
reaches the store – and only when the caller asks for valid rows despite errors.

Examples
--------
>>> csv = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\\n"
>>> csv += "H1,2019,02020,Tổ 1,Thành thị,4,130,30\\n"
>>> res = read_intake(csv.encode("utf-8"), file_name="xa.csv")
>>> res.ok, len(res.valid), res.valid.loc[0, "area"]
(True, 1, 'urban')
>>> bad = read_intake(csv.replace("02020", "99999").encode(), file_name="xa.csv")
>>> e = bad.errors.iloc[0]
>>> int(e["row"]), e["column"], e["check"]
(2, 'Mã xã', 'unknown_commune')
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError
from ..i18n import t
from . import checks
from . import schema as _schema
from .communes import check_commune_codes
from .layout import STORE_COLUMNS, store_dtypes, to_store
from .members import merge_member_indicators, read_members
from .problems import Problems
from .read import Source, map_headers, read_raw
from .store import Store
from .templates import template_columns
from .values import fill_blank_year, normalise_values, run_schemas

__all__ = ["Intake", "preview_display", "read_intake"]


@dataclass
class Intake:
    """What :func:`read_intake` found.

    Attributes
    ----------
    households : DataFrame
        Every household row read (typed, canonical columns, plus ``_row`` – the
        spreadsheet row number); empty if the file could not be read.
    rejected : ndarray of bool
        Rows of ``households`` with at least one problem.
    errors : DataFrame
        The problem list (:data:`~povlib.intake.problems.ERROR_COLUMNS`), households and members.
    """

    file_name: str
    checksum: str
    households: pd.DataFrame
    rejected: np.ndarray
    errors: pd.DataFrame
    file_ok: bool = True
    member_file_name: str | None = None
    member_checksum: str | None = None
    members: pd.DataFrame | None = None
    encoding: str = ""
    #: problems found, listed or not (``errors`` lists the first :data:`~povlib.intake.limits.MAX_PROBLEMS`)
    n_problems: int = 0
    #: the rejected rows as the file wrote them: its own headers and cells, ``_row`` first (None: no such table)
    rejected_written: pd.DataFrame | None = None
    #: the file's headers of the head's name and ID number (masked in the error report when names are hidden)
    personal_headers: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No problem at all: the file can be imported as is."""
        return self.errors.empty

    @property
    def n_rows(self) -> int:
        """Household rows read."""
        return len(self.households)

    @property
    def n_rejected(self) -> int:
        """Household rows rejected (all of them when the file itself is unusable)."""
        return int(self.rejected.sum()) if self.file_ok else len(self.households)

    @cached_property
    def valid(self) -> pd.DataFrame:
        """Rows without problems in store layout (none if the file itself is unusable)."""
        if not self.file_ok or self.households.empty:
            return store_dtypes(pd.DataFrame(columns=STORE_COLUMNS))
        return to_store(self.households[~self.rejected])

    @property
    def rejected_rows(self) -> pd.DataFrame:
        """The rejected household rows as the file wrote them (its headers and cells, with ``_row``)."""
        if self.rejected_written is not None:
            return self.rejected_written
        if not self.file_ok:
            return self.households
        return self.households[self.rejected]

    def years(self) -> list[int]:
        """Review years present in the file."""
        return sorted(int(y) for y in self.households["year"].dropna().unique()) if "year" in self.households else []


def _file_standard(df: pd.DataFrame, year: int | None) -> str | None:
    """The one standard a file's rows were reviewed under, read from its raw cells (its ``standard`` column;
    where that is blank in every row or absent, its years, else the year chosen at import); None when they name
    none or several.

    >>> _file_standard(pd.DataFrame({"year": ["2027", " 2027"]}), None), _file_standard(pd.DataFrame(), 2026)
    ('ND351_2025', 'ND07_2021')
    >>> _file_standard(pd.DataFrame({"year": ["2026", "2027"]}), None) is None
    True
    >>> _file_standard(pd.DataFrame({"year": ["2027"], "standard": [" "]}), None)
    'ND351_2025'
    """
    def given(values) -> set[str]:
        return {str(v).strip() for v in values if pd.notna(v) and str(v).strip()}

    def one(values) -> str | None:
        found = given(values)
        return found.pop() if len(found) == 1 else None

    if "standard" in df and given(df["standard"]):
        sid = one(df["standard"])
        return sid if sid in _standards.available() else None
    years = df["year"] if "year" in df else [year] if year is not None else []
    try:
        ids = {_standards.standard_for_year(int(float(str(y).strip()))).id for y in years
               if pd.notna(y) and str(y).strip()}
    except (ValueError, PovlibInputError):
        return None
    return one(ids)


def _missing_income(file: str, specs: dict, problems: Problems, standard: str | None) -> None:
    """A file with neither the income nor the score-A / B1 column: name the score as the file's form names it,
    or say that the income is required under a standard without score-A thresholds (Decree 351/2025)."""
    col = specs["income"].vi
    std = _standards.get(standard) if standard else None
    if std is not None and not std.scores:
        problems.add(file, 1, col, "no_income_required", "", standard=(std.name("vi"), std.name("en")))
        return
    other = (tuple(_schema.score_header("b1_score", std.id, lang) for lang in ("vi", "en")) if std is not None
             else specs["b1_score"].vi)
    problems.add(file, 1, col, "missing_income_column", "", other=other)


def read_intake(
    households: Source,
    members: Source | None = None,
    *,
    year: int | None = None,
    store: Store | None = None,
    file_name: str | None = None,
    member_file_name: str | None = None,
    codes: frozenset[str] | None = None,
) -> Intake:
    """Read and check a household file (and optionally a member file).

    Parameters
    ----------
    households, members : path, bytes or binary file
        The files (CSV or XLSX). Bytes need ``file_name`` for the format.
    year : int, optional
        Review year for a file without a year column (or that all its rows must have).
    store : povlib.intake.Store, optional
        Check household ids against its latest version (an id recorded for
        another commune in the same year is a problem).
    codes : frozenset of str, optional
        Narrow the accepted commune codes (default: every commune in force on 31/12 of each row's
        year, :mod:`povlib.intake.communes`).

    Returns
    -------
    Intake
        Never raises for bad content: every problem is in ``Intake.errors``.

    Examples
    --------
    >>> r = read_intake(b"", file_name="x.csv")
    >>> r.errors["check"].tolist()
    ['empty_file']
    """
    problems = Problems()
    raw = read_raw(households, file_name, problems)
    hh_specs = {s.name: s for s in _schema.columns("household")}
    empty = pd.DataFrame({"_row": pd.Series(dtype="Int64")})
    if raw.table is None or raw.table.empty:
        return Intake(raw.name, raw.checksum, empty, np.zeros(0, bool), problems.frame(), file_ok=False,
                      n_problems=problems.total())

    df, header_of = map_headers(raw, "household", problems)
    if raw.misencoded:  # one message about the encoding, not a list of unknown and missing columns
        return Intake(raw.name, raw.checksum, empty, np.zeros(0, bool), problems.frame(), file_ok=False,
                      encoding=raw.encoding, n_problems=problems.total())
    # --- presence of columns ---------------------------------------------------------------
    missing = [c for c, s in hh_specs.items() if s.required == "yes" and c not in df.columns]
    if "year" not in df.columns and year is None:
        missing.insert(1, "year")
    if "income" not in df.columns and "b1_score" not in df.columns:
        missing.append("income")
    for c in missing:
        if c == "income":
            _missing_income(raw.name, hh_specs, problems, _file_standard(df, year))
        else:
            problems.add(raw.name, 1, hh_specs[c].vi, "missing_column", "")
    if "year" not in df.columns and year is not None:
        df["year"] = str(int(year))
        header_of["year"] = hh_specs["year"].vi
    # --- values: spellings, types, ranges ----------------------------------------------------
    shown = df  # messages quote the cells as written
    df = fill_blank_year(df, year)  # "Bắt buộc (trừ khi chọn năm khi nạp)": a blank cell is that year
    df = normalise_values(df, hh_specs)
    required = {c for c, s in hh_specs.items() if s.required in ("yes", "year")}
    typed, bad = run_schemas(df, raw, header_of, hh_specs, problems, required=required, codes=None,
                             shown=shown)
    bad |= checks.check_row_width(raw, problems)
    bad |= checks.check_control_chars(raw, problems)
    typed.insert(0, "_row", pd.array(raw.rows, dtype="Int64"))
    # --- rows as records ----------------------------------------------------------------------
    bad |= checks.check_year(typed, shown, raw, header_of, problems, year)
    bad |= checks.assign_standards(typed, shown, raw, header_of, problems)
    bad |= check_commune_codes(typed, shown, raw, header_of, problems, codes)
    bad |= checks.check_commune_names(typed, shown, raw, header_of, problems)
    bad |= checks.check_duplicate_ids(typed, shown, raw, header_of, problems)
    bad |= checks.check_income(typed, shown, raw, header_of, hh_specs, problems)
    bad |= checks.check_score_thresholds(typed, shown, raw, header_of, problems, skip=bad)
    # --- member file --------------------------------------------------------------------------
    mres = None
    if members is not None:
        mres = read_members(members, member_file_name, typed, raw, year, problems)
        typed, member_bad = merge_member_indicators(typed, mres, raw, header_of, hh_specs, problems)
        bad |= member_bad
    # --- deprivation data: all indicators of the standard, or B2 --------------------------------
    bad |= checks.check_deprivations(typed, shown, raw, header_of, hh_specs, problems)
    # --- ids recorded for another commune in the store ------------------------------------------
    if store is not None:
        bad |= checks.check_store(typed, shown, raw, header_of, problems, store)

    errors = problems.frame()
    file_ok = not problems.file_level()
    written = _as_written(shown, raw, header_of, bad if file_ok else np.ones(len(shown), dtype=bool))
    return Intake(
        file_name=raw.name, checksum=raw.checksum, households=typed, rejected=bad, errors=errors,
        file_ok=bool(file_ok), encoding=raw.encoding, n_problems=problems.total(),
        member_file_name=mres.raw.name if mres else None,
        member_checksum=mres.raw.checksum if mres else None,
        members=mres.typed if mres else None,
        rejected_written=written,
        personal_headers=tuple(header_of[c] for c in ("head_name", "id_number") if c in header_of),
    )


def _as_written(shown: pd.DataFrame, raw, header_of: dict[str, str], rows: np.ndarray) -> pd.DataFrame:
    """The ``rows`` of the file as it wrote them: its own headers, its cells unchanged (an error report
    quotes the user's "Nông thôn", "12,5" and "=SUM(1)", not the values read from them), ``_row`` first."""
    picked = np.flatnonzero(rows)
    out = shown.iloc[picked].rename(columns=lambda c: header_of.get(c, c)).reset_index(drop=True)
    out.insert(0, "_row", pd.array(np.asarray(raw.rows)[picked], dtype="Int64"))
    return out


def preview_display(valid: pd.DataFrame, lang: str = "vi", *, show_names: bool = False,
                    limit: int = 200) -> pd.DataFrame:
    """First ``limit`` valid rows with the template's headers (of the rows' standard when they share one: *Điểm A*
    and *Điểm B* from 2022); personal data masked unless allowed."""
    specs = {s.name: s for s in _schema.columns("household")}
    stds = valid["standard"].dropna().astype(str).unique() if "standard" in valid else []
    if len(stds) == 1 and stds[0] in _standards.available():
        specs.update({s.name: s for s in template_columns("household", stds[0])})
    df = valid.head(limit).copy()
    if not show_names:
        for c in ("head_name", "id_number"):
            if c in df:
                df[c] = df[c].where(df[c].isna(), t("general.masked", lang))
    df = df.drop(columns=[c for c in ("province_code", "district_code", "district_name") if c in df])
    if "area" in df:
        df["area"] = df["area"].astype("string").map({"rural": t("area.rural", lang), "urban": t("area.urban", lang)})
    return df.rename(columns={c: specs[c].header(lang) for c in df.columns if c in specs})
