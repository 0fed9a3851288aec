"""Checks across columns and rows of a typed household table.

After the pandera passes of :mod:`povlib.intake.values` every cell has its
type and range; these checks look at rows as records: the year chosen at
import, the poverty standard of each row's year, the commune name against its
code, household ids repeated in the file or recorded for another commune in
the store, income or B1 in each row, and the deprivation data (all indicators
of the standard, or B2, and the two agree). Each check reports to the
:class:`~povlib.intake.problems.Problems` collector, quoting the cells as
written in the file (``shown``), and returns a boolean mask of the rows it
rejects.

Examples
--------
>>> from povlib.intake import read_intake
>>> csv = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\\n"
>>> csv += "H1,2019,02020,Tổ 1,Thành thị,4,130,30\\n" * 2
>>> r = read_intake(csv.encode(), file_name="xa.csv")
>>> r.errors[["row", "check"]].values.tolist()
[[2, 'duplicate_id'], [3, 'duplicate_id']]
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import standards as _standards
from ..errors import PovlibInputError
from . import schema as _schema
from .communes import commune_units, unit_of_row
from .layout import id_key
from .problems import Problems
from .read import RawTable
from .store import Store

__all__ = ["CONTROL_CHARS", "assign_standards", "check_commune_names", "check_control_chars", "check_deprivations",
           "check_duplicate_ids", "check_income", "check_row_width", "check_store", "check_year"]

#: Characters refused in any cell: C0 controls but tab and line breaks, DEL, C1 controls, and the
#: bidirectional embeddings, overrides and isolates (they make a name read differently from what it is).
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_row_width(raw: RawTable, problems: Problems) -> np.ndarray:
    """Rows with more cells than the header (an unquoted separator inside a value)."""
    long = np.isin(raw.rows, raw.too_long)
    if raw.too_long:
        problems.add_many(raw.name, raw.rows[long], f"#{len(raw.headers) + 1}", "too_many_fields",
                          [""] * int(long.sum()), count=len(raw.headers))
    return long


def _visible(value: str) -> str:
    """A cell with its control characters written as ``\\x00`` / ``\\u202e`` (for the message)."""
    return CONTROL_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                             else f"\\u{ord(m.group()):04x}", value)


def check_control_chars(raw: RawTable, problems: Problems) -> np.ndarray:
    """Rows with a control character in a cell (:data:`CONTROL_CHARS`): never stored.

    >>> from povlib.intake.problems import Problems
    >>> from povlib.intake.read import read_raw
    >>> p = Problems()
    >>> raw = read_raw("Mã hộ,Thôn/bản\\nH1,Bản\\x00Nà\\nH2,Tổ 1\\n".encode(), "xa.csv", p)
    >>> check_control_chars(raw, p).tolist(), p.frame()[["row", "column", "value"]].values.tolist()
    ([True, False], [[2, 'Thôn/bản', 'Bản\\\\x00Nà']])
    """
    bad = np.zeros(0 if raw.table is None else len(raw.table), dtype=bool)
    if raw.table is None:
        return bad
    for j, header in enumerate(raw.headers):
        col = raw.table[j]
        hit = col.str.contains(CONTROL_CHARS.pattern, regex=True).fillna(False).to_numpy(dtype=bool)
        if hit.any():
            problems.add_many(raw.name, raw.rows[hit], header or f"#{j + 1}", "control_char",
                              [_visible(v) for v in col[hit]])
            bad |= hit
    return bad


def check_year(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
               problems: Problems, year: int | None) -> np.ndarray:
    """Rows whose review year is not the ``year`` chosen at import."""
    if year is None or "year" not in typed:
        return np.zeros(len(typed), dtype=bool)
    off = typed["year"].notna().to_numpy() & (typed["year"].fillna(year).to_numpy() != year)
    problems.add_many(raw.name, raw.rows[off], header_of["year"], "year_mismatch", shown["year"].to_numpy()[off],
                      expected=year)
    return off


def assign_standards(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
                     problems: Problems) -> np.ndarray:
    """Fill ``typed['standard']`` (in place) from each row's year; rows of a year no standard covers are bad,
    and so are rows whose ``standard`` cell names a standard not in force in their year.

    >>> from povlib.intake import read_intake
    >>> csv = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2,Chuẩn nghèo\\n"
    >>> csv += "H1,2019,02020,Tổ 1,Thành thị,4,130,30,ND07_2021\\nH2,2023,02020,Tổ 1,Thành thị,4,130,30,ND07_2021\\n"
    >>> read_intake(csv.encode(), file_name="xa.csv").errors[["row", "check"]].values.tolist()
    [[2, 'standard_not_in_force']]
    """
    if "year" not in typed:
        return np.zeros(len(typed), dtype=bool)
    std_of_year = {}
    for y in typed["year"].dropna().unique():
        try:
            std_of_year[int(y)] = _standards.standard_for_year(int(y)).id
        except PovlibInputError:
            std_of_year[int(y)] = pd.NA
    derived = typed["year"].map(std_of_year).astype("string")
    wrong = np.zeros(len(typed), dtype=bool)
    if "standard" in typed:
        # a standard written in the file must be one that applies to the row's year
        given = typed["standard"].astype("string")
        pairs = pd.DataFrame({"standard": given, "year": typed["year"]}).dropna().drop_duplicates()
        known = set(_standards.available())
        for sid, y in pairs.itertuples(index=False):
            if str(sid) not in known:  # reported by the value schema (unknown_standard)
                wrong |= (given == sid).fillna(False).to_numpy(dtype=bool)
                continue
            if int(y) in _standards.get(str(sid)).review_years:
                continue
            sel = (given == sid).fillna(False).to_numpy(dtype=bool) & (typed["year"] == y).fillna(False).to_numpy(
                dtype=bool)
            problems.add_many(raw.name, raw.rows[sel], header_of["standard"], "standard_not_in_force",
                              shown["standard"].to_numpy()[sel], year=int(y),
                              expected=str(std_of_year.get(int(y))) if pd.notna(std_of_year.get(int(y))) else "–")
            wrong |= sel
        typed["standard"] = given.fillna(derived)
    else:
        typed["standard"] = derived
    nostd = (typed["standard"].isna() & typed["year"].notna()).to_numpy()
    problems.add_many(raw.name, raw.rows[nostd], header_of["year"], "no_standard", shown["year"].to_numpy()[nostd])
    return nostd | wrong


def check_commune_names(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
                        problems: Problems) -> np.ndarray:
    """Rows whose commune name (full or short, any spelling) is not the name its code had in the row's year."""
    if not {"commune_name", "commune_code", "year"} <= set(typed.columns):
        return np.zeros(len(typed), dtype=bool)
    unit = unit_of_row(typed)
    known = unit["full_name"].notna().to_numpy(dtype=bool)
    keys = {u: _schema.header_key(u) for u in pd.unique(pd.concat(
        [typed["commune_name"], unit["full_name"], unit["name_vi"]]).dropna())}
    given = typed["commune_name"].map(keys).to_numpy()
    full = unit["full_name"].map(keys).to_numpy()
    short = unit["name_vi"].map(keys).to_numpy()
    ok = (given == full) | (given == short)
    off = known & typed["commune_name"].notna().to_numpy() & ~ok
    names = unit["full_name"].to_numpy()
    for nm in pd.unique(names[off]):
        sel = off & (names == nm)
        problems.add_many(raw.name, raw.rows[sel], header_of["commune_name"], "commune_name_mismatch",
                          shown["commune_name"].to_numpy()[sel], expected=nm)
    return off


def check_duplicate_ids(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
                        problems: Problems) -> np.ndarray:
    """Rows sharing a (household id, year) with another row of the file (each names another: the first, which
    names the second).

    Ids are compared as stored: NFKC and upper case (``h1``, ``Ｈ1`` and ``H1`` are one id).
    """
    bad = np.zeros(len(typed), dtype=bool)
    if "household_id" not in typed or "year" not in typed:
        return bad
    key = typed[["household_id", "year"]]
    dup = key.duplicated(keep=False).to_numpy() & key.notna().all(axis=1).to_numpy()
    if not dup.any():
        return bad
    # each row names another row of its id: the first one, and the first one names the second
    d = typed.loc[dup, ["household_id", "year", "_row"]].sort_values(["household_id", "year", "_row"])
    keys = [d["household_id"], d["year"]]
    first = d.groupby(keys, observed=True, sort=False)["_row"].transform("first")
    second = d["_row"].where(d.groupby(keys, observed=True, sort=False).cumcount() == 1)
    second = second.groupby(keys, observed=True, sort=False).transform("max")
    others = pd.Series(pd.NA, index=typed.index, dtype="Int64")
    others[d.index] = first.where(d["_row"] != first, second).astype("int64")
    for f in pd.unique(others[dup].to_numpy()):
        sel = dup & (others.to_numpy() == f)
        problems.add_many(raw.name, raw.rows[sel], header_of["household_id"], "duplicate_id",
                          shown["household_id"].to_numpy()[sel], other=int(f))
    return dup


def _known_standards(typed: pd.DataFrame, rows: np.ndarray | None = None) -> list[str]:
    """The known standard ids of ``typed`` (of ``rows``); an unknown one is reported by the value schema."""
    ids = typed["standard"] if rows is None else typed.loc[rows, "standard"]
    known = set(_standards.available())
    return [str(s) for s in ids.dropna().unique() if str(s) in known]


def _of_standard(typed: pd.DataFrame, sid: str) -> np.ndarray:
    return (typed["standard"] == sid).fillna(False).to_numpy(dtype=bool)


def check_income(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
                 specs: dict[str, _schema.ColumnSpec], problems: Problems) -> np.ndarray:
    """Rows with neither income nor score A / B1 (a cell that was not a number is already reported).

    The message names the score as the row's standard names it (*Điểm A* under Decree 07/2021); under a
    standard without score-A thresholds (Decree 351/2025) it says that the income is required.
    """
    inc_cols = [c for c in ("income", "b1_score") if c in typed]
    if not inc_cols:
        return np.zeros(len(typed), dtype=bool)
    none = typed[inc_cols].isna().all(axis=1).to_numpy().copy()
    for c in inc_cols:  # blank because its cell was not a number: already reported
        none &= shown[c].isna().to_numpy()
    col = header_of[inc_cols[0]]
    named = np.zeros(len(typed), dtype=bool)
    for sid in _known_standards(typed, none) if "standard" in typed else []:
        sel = none & _of_standard(typed, sid)
        named |= sel
        std = _standards.get(sid)
        if std.scores:
            problems.add_many(raw.name, raw.rows[sel], col, "no_income", [""] * int(sel.sum()),
                              other=tuple(_schema.score_header("b1_score", sid, lang) for lang in ("vi", "en")))
        else:
            problems.add_many(raw.name, raw.rows[sel], col, "no_income_required", [""] * int(sel.sum()),
                              standard=(std.name("vi"), std.name("en")))
    rest = none & ~named  # rows without a known standard: named as the column table names the score
    problems.add_many(raw.name, raw.rows[rest], col, "no_income", [""] * int(rest.sum()), other=specs["b1_score"].vi)
    return none


def check_score_thresholds(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
                           problems: Problems, skip: np.ndarray) -> np.ndarray:
    """Rows with score A but no income under a standard whose score-A thresholds are not known.

    Decree 351/2025 has none yet (no review circular for 2027 was found): such a row could be stored but
    never classified, and the whole dataset would then fail to load. Its message asks for the income: once
    at the header when the file has no income column, else at each row's income cell. Rows in ``skip``
    (already refused: a cell that is not a number or out of range, a standard not in force) are left out.
    """
    bad = np.zeros(len(typed), dtype=bool)
    if "b1_score" not in typed or "standard" not in typed:
        return bad
    no_income = (typed["income"].isna() & shown["income"].isna()).to_numpy() if "income" in typed else \
        np.ones(len(typed), dtype=bool)
    scored = no_income & typed["b1_score"].notna().to_numpy() & ~skip
    for sid in _known_standards(typed, scored):
        std = _standards.get(sid)
        if std.scores:
            continue
        sel = scored & _of_standard(typed, sid)
        names = {"standard": (std.name("vi"), std.name("en")), "score": header_of["b1_score"]}
        if "income" in typed:
            problems.add_many(raw.name, raw.rows[sel], header_of["income"], "no_score_thresholds",
                              [""] * int(sel.sum()), **names)
        else:  # one problem for the file: its rows of this standard cannot be classified without an income column
            problems.add(raw.name, 1, header_of["b1_score"], "no_score_thresholds", "", **names)
        bad |= sel
    return bad


def check_deprivations(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
                       specs: dict[str, _schema.ColumnSpec], problems: Problems) -> np.ndarray:
    """Deprivation data per row: every indicator of its standard, or B2 (score B); where both, they agree.

    Messages name the columns as the standard's form does (*Điểm B* under Decree 07/2021).
    """

    def score_header(sid, lang="vi"):
        return _schema.score_header("b2_score", str(sid), lang)

    rows = raw.rows
    bad = np.zeros(len(typed), dtype=bool)
    if "standard" not in typed:
        return bad
    for sid in _known_standards(typed):
        std = _standards.get(sid)
        in_std = _of_standard(typed, sid)
        inds = std.indicator_ids
        have = [c for c in inds if c in typed]
        has_b2 = "b2_score" in typed
        if len(have) < len(inds) and not has_b2:
            miss = [c for c in inds if c not in typed]
            for c in miss:
                problems.add(raw.name, 1, std.indicator(c).label("vi"), "missing_indicator_column", "",
                             other=(score_header(sid, "vi"), score_header(sid, "en")))
            bad |= in_std
            continue
        complete = in_std.copy()
        if len(have) == len(inds):
            complete &= typed[inds].notna().all(axis=1).to_numpy()
        else:
            complete[:] = False
        b2 = typed["b2_score"] if has_b2 else pd.Series(pd.NA, index=typed.index, dtype="Int64")
        none = in_std & ~complete & b2.isna().to_numpy()
        if none.any():
            first_missing = next((c for c in inds if c in typed and typed.loc[none, c].isna().any()), None)
            col = header_of.get(first_missing, score_header(sid)) if first_missing else header_of.get(
                "b2_score", score_header(sid))
            problems.add_many(raw.name, rows[none], col, "no_deprivation_data", [""] * int(none.sum()),
                              other=(score_header(sid, "vi"), score_header(sid, "en")))
            bad |= none
        if len(have) == len(inds) and has_b2:
            count = typed[inds].sum(axis=1).to_numpy(dtype="float64", na_value=np.nan)
            b2v = b2.to_numpy(dtype="float64", na_value=np.nan)
            off = complete & ~np.isnan(b2v) & (b2v != count * std.points_per_deprivation)
            problems.add_many(raw.name, rows[off], header_of["b2_score"], "b2_mismatch",
                              shown["b2_score"].to_numpy()[off] if "b2_score" in shown else b2v[off],
                              step=std.points_per_deprivation, score=header_of["b2_score"])
            bad |= off
        if has_b2 and 0 < len(have) < len(inds):
            # some of the standard's indicators have no column (Decree 351/2025's two new ones in a file of the
            # 2022 columns): B can only be the marked ones' points plus, at most, the missing ones'
            pts = std.points_per_deprivation
            missing = [c for c in inds if c not in typed]
            given = in_std & typed[have].notna().all(axis=1).to_numpy()
            marked = typed[have].sum(axis=1).to_numpy(dtype="float64", na_value=np.nan)
            b2v = b2.to_numpy(dtype="float64", na_value=np.nan)
            off = given & ~np.isnan(b2v) & ((b2v < marked * pts) | (b2v > (marked + len(missing)) * pts))
            names = tuple(", ".join(std.indicator(c).label(lang) for c in missing) for lang in ("vi", "en"))
            problems.add_many(raw.name, rows[off], header_of["b2_score"], "b2_partial_mismatch",
                              shown["b2_score"].to_numpy()[off] if "b2_score" in shown else b2v[off],
                              step=pts, n=len(missing), names=names)
            bad |= off
        if has_b2:
            over = in_std & (b2.fillna(0).to_numpy(dtype="float64") > std.max_b2)
            problems.add_many(raw.name, rows[over], header_of["b2_score"], "out_of_range",
                              b2.to_numpy()[over], lo=0, hi=std.max_b2, step="")
            bad |= over
    return bad


def check_store(typed: pd.DataFrame, shown: pd.DataFrame, raw: RawTable, header_of: dict[str, str],
                problems: Problems, store: Store) -> np.ndarray:
    """Household ids the store's latest version records for another commune in the same year.

    Communes and years this file replaces do not count: their households go.
    """
    bad = np.zeros(len(typed), dtype=bool)
    if not {"household_id", "year", "commune_code"} <= set(typed.columns):
        return bad
    prev = store.household_keys(years=typed["year"].dropna().unique())
    if prev.empty:
        return bad
    replaced = typed[["commune_code", "year"]].dropna().drop_duplicates()
    replaced["_replaced"] = True
    prev = prev.merge(replaced, on=["commune_code", "year"], how="left")
    prev = prev[prev["_replaced"].isna()].drop(columns="_replaced")
    prev = prev.assign(household_id=id_key(prev["household_id"]))  # a store written before ids were normalised
    m = typed[["household_id", "year", "commune_code"]].reset_index().merge(
        prev.rename(columns={"commune_code": "other_code"}), on=["household_id", "year"], how="inner")
    m = m[m["other_code"] != m["commune_code"]]
    if m.empty:
        return bad
    names = commune_units(m["year"].unique()).set_index(["commune_code", "year"])["full_name"]
    for (code, yr), g in m.groupby(["other_code", "year"]):
        idx = g["index"].to_numpy()
        problems.add_many(raw.name, raw.rows[idx], header_of["household_id"], "id_other_commune",
                          shown["household_id"].to_numpy()[idx],
                          other=f"{code} {names.get((code, int(yr)), '')}".strip(),
                          year="/".join(str(y) for y in sorted(g["year"].unique())))
        bad[idx] = True
    return bad
