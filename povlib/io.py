"""Read the review files communes send (households, optional members) and check them.

A commune's review results arrive as a spreadsheet: CSV or XLSX, in UTF-8,
UTF-8 with BOM or Windows-1258, with Vietnamese or English headers (the
template's, or any spelling listed in ``povlib/rules/intake/columns.toml``).
:func:`read_intake` reads and validates them and returns an :class:`Intake`:
the typed household table in the store's canonical columns, and the list of
problems – one row per problem, naming the file, the row as the spreadsheet
numbers it (header = row 1, first data row = row 2), the column as written in
the file, the check, the value, and a message in Vietnamese and English.

Nothing is dropped or changed silently: a row with any problem is *rejected*
(``Intake.rejected_rows``), and only ``Intake.valid`` reaches the store – and
only when the caller asks for valid rows despite errors. Values are read as
text and converted by pandera (``lazy=True``) so that text in a number column
is reported, not turned into a blank. The only normalisations are lossless
and documented in ``data/templates/README.md``: Unicode NFC, trimmed spaces,
``2020`` → ``02020`` for commune codes that lost their leading zero in Excel,
``1.0`` → ``1`` in whole-number columns, and the yes/no and area spellings
of the column table.

With a member file (one row per person) the person-based indicators of
Decision 59/2015 (adult education, child schooling, health access, health
insurance) are derived by :func:`derive_person_indicators` with the
thresholds of ``povlib/rules/intake/members_QD59_2015.toml``.

Examples
--------
>>> from povlib import io as pio
>>> csv = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\\n"
>>> csv += "H1,2019,02020,Tổ 1,Thành thị,4,130,30\\n"
>>> res = pio.read_intake(csv.encode("utf-8"), file_name="xa.csv")
>>> res.ok, len(res.valid), res.valid.loc[0, "area"]
(True, 1, 'urban')
>>> bad = pio.read_intake(csv.replace("02020", "99999").encode(), file_name="xa.csv")
>>> e = bad.errors.iloc[0]
>>> int(e["row"]), e["column"], e["check"]
(2, 'Mã xã', 'unknown_commune')
"""
from __future__ import annotations

import csv
import hashlib
import io as _io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import paths
from . import schema as _schema
from . import standards as _standards
from .errors import PovlibInputError
from .i18n import t

__all__ = [
    "ERROR_COLUMNS",
    "MAX_FILE_MB",
    "MAX_FILE_BYTES",
    "STORE_COLUMNS",
    "TEMPLATE_DIR",
    "Intake",
    "derive_person_indicators",
    "errors_to_csv_bytes",
    "errors_to_xlsx_bytes",
    "export_to_template",
    "preview_display",
    "read_intake",
    "store_dtypes",
    "template_bytes",
    "write_templates",
]

#: Largest file accepted (also ``server.maxUploadSize`` in .streamlit/config.toml).
MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
#: Columns of the error list.
ERROR_COLUMNS = ["file", "row", "column", "check", "value", "message_vi", "message_en"]
TEMPLATE_DIR = paths.TEMPLATE_DIR
SUFFIXES = (".csv", ".xlsx", ".xlsm")
ENCODINGS = ("utf-8-sig", "cp1258")

_ADMIN_COLUMNS = ["province_code", "district_code", "district_name", "gso_code_2019", "commune_name"]
#: Columns of the household table in the store, in order (the demo panel's raw columns).
STORE_COLUMNS = (
    ["household_id", "year", "standard", "province_code", "district_code", "district_name", "gso_code_2019",
     "commune_name", "village", "area", "members", "ethnic_minority", "meritorious", "social_protection",
     "no_labour_capacity", "female_head", "head_name", "id_number", "income", "b1_score", "b2_score"]
)
_FLAGS = ["ethnic_minority", "meritorious", "social_protection", "no_labour_capacity", "female_head"]
PERSON_INDICATORS = ("adult_education", "child_schooling", "health_access", "health_insurance")


# --------------------------------------------------------------------------------------------
# the error list
# --------------------------------------------------------------------------------------------
class _Problems:
    """Collects problems as rows of the error list (messages from povlib.i18n)."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, file: str, row, column: str, check: str, value="", **kw) -> None:
        self.add_many(file, [row], column, check, [value], **kw)

    def add_many(self, file: str, rows, column: str, check: str, values, **kw) -> None:
        rows = list(rows)
        if not rows:
            return
        values = ["" if (v is None or (not isinstance(v, str) and pd.isna(v))) else str(v) for v in values]
        key = f"intake.err.{check}"
        # messages may name the value: format per distinct value only (few), then map
        kw_vi = {k: (v[0] if isinstance(v, tuple) else v) for k, v in kw.items()}
        kw_en = {k: (v[1] if isinstance(v, tuple) else v) for k, v in kw.items()}
        fmt = {v: (t(key, "vi", column=column, value=v, **kw_vi), t(key, "en", column=column, value=v, **kw_en))
               for v in dict.fromkeys(values)}
        self.parts.append(pd.DataFrame({
            "file": file,
            "row": pd.array(rows, dtype="Int64"),
            "column": column,
            "check": check,
            "value": values,
            "message_vi": [fmt[v][0] for v in values],
            "message_en": [fmt[v][1] for v in values],
        }))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str") for c in ERROR_COLUMNS})
        df = pd.concat(self.parts, ignore_index=True)
        df = df.drop_duplicates(["file", "row", "column", "check"])
        return df.sort_values(["file", "row"], kind="stable", na_position="first").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# reading raw text
# --------------------------------------------------------------------------------------------
@dataclass
class _Raw:
    name: str
    checksum: str = ""
    size: int = 0
    encoding: str = ""
    table: pd.DataFrame | None = None  # all cells text or NA, columns = header text as in the file
    headers: list[str] = field(default_factory=list)
    rows: np.ndarray | None = None  # spreadsheet row number of each table row
    too_long: list[int] = field(default_factory=list)  # CSV rows with more cells than the header


def _source_bytes(source, name: str | None) -> tuple[bytes | None, str]:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), name or "upload"
    if hasattr(source, "read"):
        data = source.read()
        return data, name or getattr(source, "name", "upload")
    p = Path(source)
    if not p.exists():
        return None, name or p.name
    return None, name or p.name


def _nfc(s: pd.Series) -> pd.Series:
    """Text cells: NFC, trimmed; blanks become NA. Vectorised over unique values."""
    out = s.astype("string").str.strip()  # NFC already applied to the whole text / each xlsx value
    return out.mask(out == "")


def _mb(size: int) -> str:
    """A file size in whole megabytes, rounded up (no decimal separator: the same in both languages)."""
    return f"{-(-int(size) // (1024 * 1024))} MB"


def _read_raw(source, name: str | None, problems: _Problems) -> _Raw:
    """Read a CSV/XLSX file as text cells; file-level problems go to ``problems``."""
    data, fname = _source_bytes(source, name)
    raw = _Raw(name=fname)
    suffix = Path(fname).suffix.lower()
    if suffix not in SUFFIXES:
        problems.add(fname, None, "", "bad_format", suffix or fname)
        return raw
    if data is None:
        p = Path(source)
        if not p.exists():
            problems.add(fname, None, "", "not_found", str(p))
            return raw
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(fname, None, "", "too_large", _mb(size), limit=MAX_FILE_MB)
            raw.size = size
            return raw
        data = p.read_bytes()
    raw.size = len(data)
    raw.checksum = hashlib.sha256(data).hexdigest()
    if raw.size > MAX_FILE_BYTES:
        problems.add(fname, None, "", "too_large", _mb(raw.size), limit=MAX_FILE_MB)
        return raw
    if raw.size == 0:
        problems.add(fname, None, "", "empty_file")
        return raw
    try:
        if suffix == ".csv":
            table = _read_csv_text(data, raw)
        else:
            table = _read_xlsx_text(data)
    except Exception as exc:  # noqa: BLE001 - any parser failure is reported, not raised
        problems.add(fname, None, "", "unreadable", type(exc).__name__ + ": " + str(exc)[:200])
        return raw
    if table is None or table.shape[1] == 0:
        problems.add(fname, None, "", "empty_file")
        return raw
    headers = [unicodedata.normalize("NFC", str(h)).strip() if h is not None and str(h) != "nan" else ""
               for h in table.iloc[0].tolist()]
    body = table.iloc[1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    body = body.apply(_nfc)
    rows = np.arange(2, len(body) + 2)
    # drop fully empty rows (e.g. trailing formatted rows in Excel): not records
    keep = body.notna().any(axis=1).to_numpy()
    # ... and fully empty trailing columns without a header
    keep_cols = [j for j, h in enumerate(headers) if h or body[j].notna().any()]
    body = body.loc[keep, keep_cols].reset_index(drop=True)
    raw.headers = [headers[j] for j in keep_cols]
    body.columns = range(len(keep_cols))
    raw.rows = rows[keep]
    raw.table = body
    if len(body) == 0:
        problems.add(fname, None, "", "empty_file")
    return raw


def _read_csv_text(data: bytes, raw: _Raw) -> pd.DataFrame:
    text = None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" (UTF-16, tab-separated)
        text = data.decode("utf-16")
        raw.encoding = "utf-16"
    for enc in ENCODINGS if text is None else ():
        try:
            text = data.decode(enc)
            raw.encoding = enc
            break
        except UnicodeDecodeError:
            continue
    if text is None:  # cp1258 leaves a few bytes undefined
        raise UnicodeDecodeError("cp1258", data, 0, 1, "not UTF-8 nor Windows-1258")
    # Windows-1258 writes some tone marks as combining characters: recompose (NFC)
    text = unicodedata.normalize("NFC", text)
    first = text.split("\n", 1)[0]
    sep = max([",", ";", "\t"], key=first.count)
    # csv.reader keeps blank lines as empty records, so record i is spreadsheet row i + 1
    recs = list(csv.reader(_io.StringIO(text, newline=""), delimiter=sep))
    if not recs:
        return None
    width = len(recs[0])
    raw.too_long = [i + 1 for i, r in enumerate(recs) if len(r) > width and any(c.strip() for c in r[width:])]
    table = pd.DataFrame([r[:width] + [""] * (width - len(r)) if len(r) != width else r for r in recs],
                         dtype=object)
    return table.replace("", None)


def _xlsx_cell_text(s: pd.Series) -> pd.Series:
    """Excel cell values -> text: whole floats without '.0', booleans as 1/0."""
    def conv(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, bool):
            return "1" if v else "0"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "isoformat"):
            return v.isoformat()
        return unicodedata.normalize("NFC", str(v))
    uniq = pd.unique(s.to_numpy(dtype=object))
    lut = {u: conv(u) for u in uniq if u is not None}
    return s.map(lambda v: lut.get(v) if v is not None else None)


def _read_xlsx_text(data: bytes) -> pd.DataFrame:
    try:  # calamine (Rust) reads large sheets ~5x faster than openpyxl
        import python_calamine  # noqa: F401

        engine = "calamine"
    except ImportError:
        engine = "openpyxl"
    df = pd.read_excel(_io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine=engine)
    return df.apply(_xlsx_cell_text).astype(object)


# --------------------------------------------------------------------------------------------
# headers and values
# --------------------------------------------------------------------------------------------
def _map_headers(raw: _Raw, table: str, problems: _Problems) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename the file's headers to canonical names; unknown and repeated headers are problems."""
    lookup = _schema.header_lookup(table)
    mapped: dict[int, str] = {}
    header_of: dict[str, str] = {}
    for j, h in enumerate(raw.headers):
        if not h:
            problems.add(raw.name, 1, f"#{j + 1}", "blank_header", "", position=j + 1)
            continue
        name = lookup.get(_schema.header_key(h))
        if name is None:
            problems.add(raw.name, 1, h, "unknown_column", h)
        elif name in header_of:
            problems.add(raw.name, 1, h, "duplicate_column", h, other=header_of[name])
        else:
            mapped[j] = name
            header_of[name] = h
    df = raw.table[list(mapped)].copy()
    df.columns = [mapped[j] for j in mapped]
    return df, header_of


def _normalise_values(df: pd.DataFrame, specs: dict[str, _schema.ColumnSpec]) -> pd.DataFrame:
    """Apply the documented lossless spellings (yes/no, area, sex, codes, '1.0')."""
    al = _schema.value_aliases()
    out = df.copy()
    for name in out.columns:
        s = out[name]
        kind = specs[name].kind
        low = s.str.casefold() if kind in ("bool", "area", "sex") else s
        if kind in ("bool",):
            lut = {**{v: "1" for v in al["true"]}, **{v: "0" for v in al["false"]}}
            out[name] = low.map(lut).fillna(s).astype("string")
        elif kind == "area":
            lut = {**{v: "rural" for v in al["rural"]}, **{v: "urban" for v in al["urban"]}}
            out[name] = low.map(lut).fillna(s).astype("string")
        elif kind == "sex":
            lut = {**{v: "male" for v in al["male"]}, **{v: "female" for v in al["female"]}}
            out[name] = low.map(lut).fillna(s).astype("string")
        elif kind == "code":
            width = specs[name].width or 5
            short = s.str.fullmatch(r"\d{1,%d}" % (width - 1)).fillna(False).astype(bool)
            out[name] = s.mask(short, s.str.zfill(width))
        if kind in ("int", "bool", "indicator"):
            whole = s.str.fullmatch(r"-?\d+\.0+").fillna(False).astype(bool)
            cur = out[name]
            out[name] = cur.mask(whole, cur.str.replace(r"\.0+$", "", regex=True))
    return out


_EXPECT = {
    "int": ("một số nguyên", "a whole number"),
    "bool": ("Có/Không hoặc 1/0", "yes/no or 1/0"),
    "indicator": ("0 hoặc 1", "0 or 1"),
}


def _run_schemas(df: pd.DataFrame, raw: _Raw, header_of: dict, specs: dict, problems: _Problems, *,
                 required: set[str], codes: frozenset[str], shown: pd.DataFrame | None = None
                 ) -> tuple[pd.DataFrame, np.ndarray]:
    """Pandera pass 1 (types) and pass 2 (values). Returns the typed table and a bad-row mask.

    ``df`` holds the normalised text; ``shown`` the cells as written in the file (for messages).
    """
    shown = df if shown is None else shown
    bad = np.zeros(len(df), dtype=bool)
    type_failed: dict[str, np.ndarray] = {}
    present = [specs[c] for c in df.columns]
    work = df.copy()
    try:
        _schema.type_schema(present).validate(work, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        fc = fc[fc["check"].astype(str).str.startswith("coerce_dtype") & fc["index"].notna()]
        for col, g in fc.groupby("column", sort=False):
            idx = g["index"].astype(int).to_numpy()
            kind = specs[col].kind
            exp_vi, exp_en = _EXPECT.get(kind, ("", ""))
            problems.add_many(raw.name, raw.rows[idx], header_of[col], "wrong_type", shown[col].to_numpy()[idx],
                              expected=(exp_vi, exp_en))
            bad[idx] = True
            type_failed[col] = idx
            work.loc[idx, col] = pd.NA
    typed = _schema.type_schema(present).validate(work)
    try:
        _schema.value_schema(present, codes=codes, required=required & set(df.columns)).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        fc = fc[fc["index"].notna() & fc["column"].notna()]
        for (col, check), g in fc.groupby(["column", "check"], sort=False):
            idx = g["index"].astype(int).to_numpy()
            check = str(check)
            code = "missing_value" if check == "not_nullable" else check.split("(")[0]
            spec = specs[col]
            if code == "missing_value":
                idx = idx[~np.isin(idx, type_failed.get(col, []))]  # already reported as wrong type
            vals = shown[col].to_numpy()[idx]
            problems.add_many(raw.name, raw.rows[idx], header_of[col], code, vals,
                              lo=_num(spec.min), hi=_num(spec.max), step=spec.multiple_of or "")
            bad[idx] = True
    return typed, bad


def _num(x) -> str:
    if x is None:
        return ""
    if not float(x).is_integer():
        return str(x)
    # group thousands only in large numbers: years and scores read better as 2016, 1000
    return f"{int(x):,}".replace(",", ".") if abs(x) >= 10_000 else str(int(x))


# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------
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
        The problem list (:data:`ERROR_COLUMNS`), households and members.
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

    @property
    def ok(self) -> bool:
        """No problem at all: the file can be imported as is."""
        return self.errors.empty

    @property
    def n_rows(self) -> int:
        return len(self.households)

    @property
    def n_rejected(self) -> int:
        return int(self.rejected.sum()) if self.file_ok else len(self.households)

    @cached_property
    def valid(self) -> pd.DataFrame:
        """Rows without problems in store layout (none if the file itself is unusable)."""
        if not self.file_ok or self.households.empty:
            return store_dtypes(pd.DataFrame(columns=STORE_COLUMNS))
        return to_store(self.households[~self.rejected])

    @property
    def rejected_rows(self) -> pd.DataFrame:
        """The rejected household rows as read (with ``_row``)."""
        if not self.file_ok:
            return self.households
        return self.households[self.rejected]

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.households["year"].dropna().unique()) if "year" in self.households else []


def read_intake(
    households: str | Path | bytes | BinaryIO,
    members: str | Path | bytes | BinaryIO | None = None,
    *,
    year: int | None = None,
    store=None,
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
    store : povlib.store.Store, optional
        Check household ids against its latest version (an id recorded for
        another commune in the same year is a problem).
    codes : frozenset of str, optional
        Accepted commune codes (default: the 122 of Bắc Kạn).

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
    problems = _Problems()
    codes = _schema.known_commune_codes() if codes is None else codes
    raw = _read_raw(households, file_name, problems)
    hh_specs = {s.name: s for s in _schema.columns("household")}
    empty = pd.DataFrame({"_row": pd.Series(dtype="Int64")})
    if raw.table is None or raw.table.empty:
        return Intake(raw.name, raw.checksum, empty, np.zeros(0, bool), problems.frame(), file_ok=False)

    df, header_of = _map_headers(raw, "household", problems)
    file_ok = problems.frame().empty
    # --- presence of columns ---------------------------------------------------------------
    missing = [c for c, s in hh_specs.items() if s.required == "yes" and c not in df.columns]
    if "year" not in df.columns and year is None:
        missing.insert(1, "year")
    if "income" not in df.columns and "b1_score" not in df.columns:
        missing.append("income")
    for c in missing:
        extra = hh_specs["b1_score"].vi if c == "income" else ""
        problems.add(raw.name, 1, hh_specs[c].vi, "missing_column" if not extra else "missing_income_column",
                     "", other=extra)
    if "year" not in df.columns and year is not None:
        df["year"] = str(int(year))
        header_of["year"] = hh_specs["year"].vi
    shown = df
    df = _normalise_values(df, hh_specs)
    required = {c for c, s in hh_specs.items() if s.required in ("yes", "year")}
    typed, bad = _run_schemas(df, raw, header_of, hh_specs, problems, required=required, codes=codes,
                              shown=shown)
    df = shown  # messages quote the cells as written
    if raw.too_long:
        long = np.isin(raw.rows, raw.too_long)
        problems.add_many(raw.name, raw.rows[long], f"#{len(raw.headers) + 1}", "too_many_fields",
                          [""] * int(long.sum()), count=len(raw.headers))
        bad |= long
    rows = raw.rows
    typed.insert(0, "_row", pd.array(rows, dtype="Int64"))

    if year is not None and "year" in typed:
        off = typed["year"].notna().to_numpy() & (typed["year"].fillna(year).to_numpy() != year)
        problems.add_many(raw.name, rows[off], header_of["year"], "year_mismatch", df["year"].to_numpy()[off],
                          expected=year)
        bad |= off

    # --- standard of each row ------------------------------------------------------------------
    if "year" in typed:
        yrs = typed["year"].dropna().unique()
        std_of_year = {}
        for y in yrs:
            try:
                std_of_year[int(y)] = _standards.standard_for_year(int(y)).id
            except PovlibInputError:
                std_of_year[int(y)] = pd.NA
        derived = typed["year"].map(std_of_year).astype("string")
        if "standard" in typed:
            typed["standard"] = typed["standard"].fillna(derived)
        else:
            typed["standard"] = derived
        nostd = (typed["standard"].isna() & typed["year"].notna()).to_numpy()
        problems.add_many(raw.name, rows[nostd], header_of["year"], "no_standard", df["year"].to_numpy()[nostd])
        bad |= nostd

    # --- commune name matches its code -----------------------------------------------------------
    if "commune_name" in typed and "gso_code_2019" in typed:
        ct = _schema.commune_table().set_index("gso_code_2019")
        known = typed["gso_code_2019"].isin(ct.index).fillna(False).to_numpy(dtype=bool)
        given = typed["commune_name"].map({u: _schema.header_key(u) for u in typed["commune_name"].dropna().unique()})
        full = typed["gso_code_2019"].map(ct["full_name"].map(_schema.header_key))
        short = typed["gso_code_2019"].map(ct["name_vi"].map(_schema.header_key))
        ok = (given == full) | (given == short)
        off = known & typed["commune_name"].notna().to_numpy() & ~ok.fillna(False).to_numpy(dtype=bool)
        names = typed["gso_code_2019"].map(ct["full_name"]).to_numpy()
        for nm in pd.unique(names[off]):
            sel = off & (names == nm)
            problems.add_many(raw.name, rows[sel], header_of["commune_name"], "commune_name_mismatch",
                              df["commune_name"].to_numpy()[sel], expected=nm)
        bad |= off

    # --- duplicate household ids in the file ------------------------------------------------------
    if "household_id" in typed and "year" in typed:
        key = typed[["household_id", "year"]]
        dup = key.duplicated(keep=False).to_numpy() & key.notna().all(axis=1).to_numpy()
        if dup.any():
            first = typed.loc[dup].groupby(["household_id", "year"])["_row"].transform("min")
            firsts = pd.Series(pd.NA, index=typed.index, dtype="Int64")
            firsts[dup] = first
            for f in pd.unique(firsts[dup].to_numpy()):
                sel = dup & (firsts.to_numpy() == f)
                problems.add_many(raw.name, rows[sel], header_of["household_id"], "duplicate_id",
                                  df["household_id"].to_numpy()[sel], first=int(f))
            bad |= dup

    # --- income or B1 in each row -----------------------------------------------------------------
    inc_cols = [c for c in ("income", "b1_score") if c in typed]
    if inc_cols:
        none = typed[inc_cols].isna().all(axis=1).to_numpy().copy()
        for c in inc_cols:  # blank because its cell was not a number: already reported
            none &= df[c].isna().to_numpy()
        problems.add_many(raw.name, rows[none], header_of[inc_cols[0]], "no_income", [""] * int(none.sum()),
                          other=hh_specs["b1_score"].vi)
        bad |= none

    # --- member file --------------------------------------------------------------------------------
    mres = None
    if members is not None:
        mres = _read_members(members, member_file_name, typed, header_of, raw, year, problems)
        typed, member_bad = _merge_member_indicators(typed, mres, raw, header_of, hh_specs, problems)
        bad |= member_bad

    # --- deprivation data: all indicators of the standard, or B2 ---------------------------------
    if "standard" in typed:
        bad |= _check_deprivations(typed, df, raw, header_of, hh_specs, problems, file_ok and not missing)

    # --- ids recorded for another commune in the store ---------------------------------------------
    if store is not None and {"household_id", "year", "gso_code_2019"} <= set(typed.columns):
        bad |= _check_store(typed, store, raw, header_of, problems, df)

    errors = problems.frame()
    file_ok = not (errors["row"].isna() | (errors["row"] == 1)).any() if not errors.empty else True
    return Intake(
        file_name=raw.name, checksum=raw.checksum, households=typed, rejected=bad, errors=errors,
        file_ok=bool(file_ok), encoding=raw.encoding,
        member_file_name=mres["raw"].name if mres else None,
        member_checksum=mres["raw"].checksum if mres else None,
        members=mres["typed"] if mres else None,
    )


def _check_deprivations(typed, df, raw, header_of, specs, problems, columns_ok: bool) -> np.ndarray:
    rows = raw.rows
    bad = np.zeros(len(typed), dtype=bool)
    for sid in typed["standard"].dropna().unique():
        std = _standards.get(str(sid))
        in_std = (typed["standard"] == sid).fillna(False).to_numpy(dtype=bool)
        inds = std.indicator_ids
        have = [c for c in inds if c in typed]
        has_b2 = "b2_score" in typed
        if len(have) < len(inds) and not has_b2:
            miss = [c for c in inds if c not in typed]
            for c in miss:
                problems.add(raw.name, 1, specs[c].vi, "missing_indicator_column", "", other=specs["b2_score"].vi)
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
            col = header_of.get(first_missing, specs["b2_score"].vi) if first_missing else header_of.get(
                "b2_score", specs["b2_score"].vi)
            problems.add_many(raw.name, rows[none], col, "no_deprivation_data", [""] * int(none.sum()),
                              other=specs["b2_score"].vi)
            bad |= none
        if len(have) == len(inds) and has_b2:
            count = typed[inds].sum(axis=1).to_numpy(dtype="float64", na_value=np.nan)
            b2v = b2.to_numpy(dtype="float64", na_value=np.nan)
            off = complete & ~np.isnan(b2v) & (b2v != count * std.points_per_deprivation)
            problems.add_many(raw.name, rows[off], header_of["b2_score"], "b2_mismatch",
                              df["b2_score"].to_numpy()[off] if "b2_score" in df else b2v[off],
                              step=std.points_per_deprivation)
            bad |= off
        if has_b2:
            over = in_std & (b2.fillna(0).to_numpy(dtype="float64") > std.max_b2)
            problems.add_many(raw.name, rows[over], header_of["b2_score"], "out_of_range",
                              b2.to_numpy()[over], lo=0, hi=std.max_b2, step="")
            bad |= over
    return bad


def _check_store(typed, store, raw, header_of, problems, df) -> np.ndarray:
    bad = np.zeros(len(typed), dtype=bool)
    prev = store.household_keys(years=typed["year"].dropna().unique())
    if prev.empty:
        return bad
    replaced = typed[["gso_code_2019", "year"]].dropna().drop_duplicates()
    replaced["_replaced"] = True
    prev = prev.merge(replaced, on=["gso_code_2019", "year"], how="left")
    prev = prev[prev["_replaced"].isna()].drop(columns="_replaced")
    m = typed[["household_id", "year", "gso_code_2019"]].reset_index().merge(
        prev.rename(columns={"gso_code_2019": "other_code"}), on=["household_id", "year"], how="inner")
    m = m[m["other_code"] != m["gso_code_2019"]]
    if m.empty:
        return bad
    ct = _schema.commune_table().set_index("gso_code_2019")["full_name"]
    for code, g in m.groupby("other_code"):
        idx = g["index"].to_numpy()
        problems.add_many(raw.name, raw.rows[idx], header_of["household_id"], "id_other_commune",
                          df["household_id"].to_numpy()[idx], other=f"{code} {ct.get(code, '')}".strip(),
                          year="/".join(str(y) for y in sorted(g["year"].unique())))
        bad[idx] = True
    return bad


# --------------------------------------------------------------------------------------------
# members
# --------------------------------------------------------------------------------------------
def _read_members(source, name, hh, hh_header_of, hh_raw, year, problems) -> dict | None:
    raw = _read_raw(source, name, problems)
    specs = {s.name: s for s in _schema.columns("member")}
    if raw.table is None or raw.table.empty:
        return {"raw": raw, "typed": None, "bad": None}
    df, header_of = _map_headers(raw, "member", problems)
    missing = [c for c, s in specs.items() if s.required == "yes" and c not in df.columns]
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
        return {"raw": raw, "typed": None, "bad": None, "structural": True}
    shown = df
    df = _normalise_values(df, specs)
    required = {c for c, s in specs.items() if s.required == "yes"} | {"year"}
    typed, bad = _run_schemas(df, raw, header_of, specs, problems, required=required, codes=frozenset(),
                              shown=shown)
    df = shown
    if raw.too_long:
        long = np.isin(raw.rows, raw.too_long)
        problems.add_many(raw.name, raw.rows[long], f"#{len(raw.headers) + 1}", "too_many_fields",
                          [""] * int(long.sum()), count=len(raw.headers))
        bad |= long
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
    return {"raw": raw, "typed": typed, "bad": bad, "header_of": header_of}


def derive_person_indicators(members: pd.DataFrame, rules: dict | None = None) -> pd.DataFrame:
    """Person-based indicators of a household from its members (Decision 59/2015).

    Parameters
    ----------
    members : DataFrame
        One row per person: ``household_id``, ``year``, ``birth_year``,
        ``in_school`` (0/1), ``education_level`` (0–4), ``has_health_insurance`` (0/1),
        ``ill_untreated`` (0/1).
    rules : dict, optional
        Thresholds (default ``povlib/rules/intake/members_QD59_2015.toml``).

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
    r = rules or _schema.member_rules("QD59_2015")
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


def _merge_member_indicators(typed, mres, raw, header_of, specs, problems) -> tuple[pd.DataFrame, np.ndarray]:
    bad = np.zeros(len(typed), dtype=bool)
    if mres is None or mres.get("typed") is None or not {"household_id", "year"} <= set(typed.columns):
        if mres is not None and mres.get("structural"):
            bad[:] = True
        return typed, bad
    mt, mbad = mres["typed"], mres["bad"]
    mraw = mres["raw"]
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
    std_ok = typed["standard"].isin([s for s in _standards.available() if _schema.member_rules(s)]) \
        if "standard" in typed else pd.Series(True, index=typed.index)
    derived = derive_person_indicators(good) if not good.empty else pd.DataFrame(
        columns=["household_id", "year", *PERSON_INDICATORS, "member_rows"])
    m = typed[["household_id", "year"]].reset_index().merge(derived, on=["household_id", "year"], how="left")
    m = m.set_index("index").reindex(typed.index)
    has_members = m["member_rows"].notna().to_numpy()
    # member count
    if "members" in typed:
        n = typed["members"].to_numpy(dtype="float64", na_value=np.nan)
        cnt = m["member_rows"].to_numpy(dtype="float64", na_value=np.nan)
        off = has_members & ~bad & ~np.isnan(n) & (n != cnt)
        for c in pd.unique(cnt[off]):
            sel = off & (cnt == c)
            problems.add_many(raw.name, raw.rows[sel], header_of["members"], "member_count_mismatch",
                              typed["members"].to_numpy()[sel], count=int(c), other=mraw.name)
        bad |= off
    # households without member rows: fine only if the household row has the person indicators
    given_all = np.ones(len(typed), dtype=bool)
    for c in PERSON_INDICATORS:
        given_all &= typed[c].notna().to_numpy() if c in typed else False
    no_mem = ~has_members & ~bad & std_ok.fillna(False).to_numpy(dtype=bool) & ~given_all
    if "b2_score" in typed:
        no_mem &= typed["b2_score"].isna().to_numpy()
    problems.add_many(raw.name, raw.rows[no_mem], header_of["household_id"], "no_members",
                      typed["household_id"].to_numpy()[no_mem], other=mraw.name)
    bad |= no_mem
    # derived vs given; fill blanks
    out = typed.copy()
    use = has_members & std_ok.fillna(False).to_numpy(dtype=bool)
    for c in PERSON_INDICATORS:
        d = pd.array(m[c].to_numpy(dtype="float64", na_value=np.nan), dtype="Float64").astype("Int8") \
            if c in m else None
        if c in out:
            given = out[c]
            diff = use & given.notna().to_numpy() & (given.to_numpy(dtype="float64", na_value=np.nan)
                                                     != m[c].to_numpy(dtype="float64", na_value=np.nan))
            problems.add_many(raw.name, raw.rows[diff], header_of[c], "contradicts_members",
                              given.to_numpy()[diff], other=mraw.name)
            bad |= diff
            fill = use & given.isna().to_numpy()
            out[c] = given.where(~fill, pd.Series(d, index=given.index))
        else:
            out[c] = pd.Series(d, index=out.index).mask(~use)
            header_of[c] = specs[c].vi
    return out, bad


# --------------------------------------------------------------------------------------------
# store layout
# --------------------------------------------------------------------------------------------
def to_store(typed: pd.DataFrame) -> pd.DataFrame:
    """Typed intake rows -> the store's columns (admin names from the commune list)."""
    df = typed.drop(columns=[c for c in ("_row", "commune_name") if c in typed]).copy()
    ct = _schema.commune_table().set_index("gso_code_2019")
    df["commune_name"] = df["gso_code_2019"].map(ct["full_name"])
    df["district_code"] = df["gso_code_2019"].map(ct["district_code"])
    df["district_name"] = df["gso_code_2019"].map(ct["district_name"])
    df["province_code"] = df["gso_code_2019"].map(ct["province_code"])
    inds = [c for c in _schema.indicator_ids() if c in df]
    cols = STORE_COLUMNS + inds
    for c in STORE_COLUMNS:
        if c not in df:
            df[c] = pd.NA
    return store_dtypes(df[cols].reset_index(drop=True))


def store_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """Give stored households the demo panel's dtypes (nullable ones where values are missing)."""
    out = df.copy()
    spec = {
        "household_id": "str", "head_name": "str", "id_number": "str",
        "year": "int16", "members": "int16", "income": "int64", "b1_score": "int16", "b2_score": "int16",
    }
    cats = ["standard", "province_code", "district_code", "district_name", "gso_code_2019", "commune_name",
            "village", "area"]
    for c in out.columns:
        s = out[c]
        if c in cats:
            out[c] = s.astype("string").astype("category")
        elif c in spec and spec[c] == "str":
            out[c] = s.astype("string").astype("str") if s.notna().all() else s.astype("string")
        elif c in spec:
            nullable = {"int16": "Int16", "int64": "Int64"}[spec[c]]
            v = pd.to_numeric(s).astype(nullable) if len(s) else s.astype(nullable)
            out[c] = v.astype(spec[c]) if v.notna().all() else v
        elif c in _FLAGS:
            v = pd.to_numeric(s).astype("Int8").astype("boolean") if len(s) else s.astype("boolean")
            out[c] = v.astype(bool) if v.notna().all() else v
        elif c in _schema.indicator_ids():
            v = pd.to_numeric(s).astype("Int8") if len(s) else s.astype("Int8")
            out[c] = v.astype("int8") if v.notna().all() else v
    return out


def preview_display(valid: pd.DataFrame, lang: str = "vi", *, show_names: bool = False,
                    limit: int = 200) -> pd.DataFrame:
    """First ``limit`` valid rows with the template's headers; personal data masked unless allowed."""
    specs = {s.name: s for s in _schema.columns("household")}
    df = valid.head(limit).copy()
    if not show_names:
        for c in ("head_name", "id_number"):
            if c in df:
                df[c] = df[c].where(df[c].isna(), t("general.masked", lang))
    df = df.drop(columns=[c for c in ("province_code", "district_code", "district_name") if c in df])
    if "area" in df:
        df["area"] = df["area"].astype("string").map({"rural": t("area.rural", lang), "urban": t("area.urban", lang)})
    return df.rename(columns={c: specs[c].header(lang) for c in df.columns if c in specs})


# --------------------------------------------------------------------------------------------
# error report downloads
# --------------------------------------------------------------------------------------------
def error_report(intake: Intake, lang: str = "vi") -> pd.DataFrame:
    """The error list with headers in ``lang`` and the message of that language first."""
    e = intake.errors
    cols = {"file": t("intake.col.file", lang), "row": t("intake.col.row", lang),
            "column": t("intake.col.column", lang), "value": t("intake.col.value", lang),
            f"message_{lang}": t("intake.col.message", lang), "check": t("intake.col.check", lang)}
    other = "message_en" if lang == "vi" else "message_vi"
    out = e[["file", "row", "column", "value", f"message_{lang}", "check", other]].rename(columns=cols)
    return out.rename(columns={other: t("intake.col.message_other", lang)})


def errors_to_csv_bytes(intake: Intake, lang: str = "vi") -> bytes:
    """The error report as CSV (UTF-8 with BOM, formulas neutralised)."""
    from .export import to_csv_bytes

    return to_csv_bytes(error_report(intake, lang))


def errors_to_xlsx_bytes(intake: Intake, lang: str = "vi", *, show_names: bool = True) -> bytes:
    """The error report as an Excel workbook (errors, then the rejected rows as read).

    ``show_names=False`` masks the head's name and ID number in the rejected rows.
    """
    from .export import to_xlsx_bytes

    sheets = {t("intake.sheet.errors", lang): error_report(intake, lang)}
    rej = intake.rejected_rows
    if len(rej) and not show_names:
        rej = rej.copy()
        for c in ("head_name", "id_number"):
            if c in rej:
                rej[c] = rej[c].where(rej[c].isna(), t("general.masked", lang))
    if len(rej):
        specs = {s.name: s for s in _schema.columns("household")}
        r = rej.rename(columns={c: specs[c].header(lang) for c in rej.columns if c in specs})
        r = r.rename(columns={"_row": t("intake.col.row", lang)})
        sheets[t("intake.sheet.rejected", lang)] = r.astype(object).where(r.notna(), "")
    title = [t("intake.report_title", lang, file=intake.file_name)]
    return to_xlsx_bytes(sheets, title)


# --------------------------------------------------------------------------------------------
# templates and export to the template layout
# --------------------------------------------------------------------------------------------
def template_columns(table: str = "household", standard: str = "QD59_2015") -> list[_schema.ColumnSpec]:
    """Columns of the template: all of ``table`` except other standards' indicators."""
    ids = set(_standards.get(standard).indicator_ids)
    return [s for s in _schema.columns(table) if s.kind != "indicator" or s.name in ids]


def _kind_label(s: _schema.ColumnSpec, lang: str) -> str:
    key = f"intake.kind.{s.kind}"
    base = t(key, lang)
    if s.min is not None and s.max is not None and s.kind == "int":
        base += f" ({_num(s.min)}–{_num(s.max)})"
    return base


def _required_label(s: _schema.ColumnSpec, lang: str) -> str:
    return t(f"intake.required.{s.required}", lang)


def template_bytes(table: str = "household", data: pd.DataFrame | None = None,
                   standard: str = "QD59_2015") -> bytes:
    """An XLSX template (sheet 1: data with Vietnamese headers; sheet 2: notes).

    Parameters
    ----------
    table : {'household', 'member'}
    data : DataFrame, optional
        Rows to fill in (canonical columns), e.g. the demo panel: see :func:`export_to_template`.
    """
    specs = template_columns(table, standard)
    buf = _io.BytesIO()
    sheet = t(f"intake.sheet.{table}", "vi")
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        wb = xw.book
        ws = wb.add_worksheet(sheet)
        head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
                              "border": 1})
        text = wb.add_format({"num_format": "@"})
        ws.freeze_panes(1, 0)
        n = 0 if data is None else len(data)
        last = max(n, 1000) + 1
        for j, s in enumerate(specs):
            ws.write_string(0, j, s.vi, head)
            ws.write_comment(0, j, f"{s.en}\n{s.description('vi')}", {"x_scale": 2, "y_scale": 1.5})
            ws.set_column(j, j, max(12, min(28, len(s.vi) + 4)), text if s.kind in ("text", "code") else None)
            if s.kind == "area":
                ws.data_validation(1, j, last, j, {"validate": "list", "source": ["Nông thôn", "Thành thị"]})
            elif s.kind == "bool":
                ws.data_validation(1, j, last, j, {"validate": "list", "source": ["Có", "Không"]})
            elif s.kind == "indicator":
                ws.data_validation(1, j, last, j, {"validate": "list", "source": ["0", "1"]})
            elif s.kind == "sex":
                ws.data_validation(1, j, last, j, {"validate": "list", "source": ["Nam", "Nữ"]})
        if data is not None and n:
            cells = _template_values(data, specs)
            for j, s in enumerate(specs):
                col = cells[s.name]
                if s.kind in ("text", "code", "area", "bool", "sex", "standard"):
                    for i, v in enumerate(col):
                        if v is not None:
                            ws.write_string(i + 1, j, v)
                else:
                    for i, v in enumerate(col):
                        if v is not None:
                            ws.write_number(i + 1, j, v)
        notes = wb.add_worksheet(t("intake.sheet.notes", "vi"))
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        bold = wb.add_format({"bold": True, "text_wrap": True, "bg_color": "#DDEBF7", "border": 1})
        hdr = [t("intake.notes.header_vi", "vi"), t("intake.notes.header_en", "vi"), t("intake.notes.name", "vi"),
               t("intake.notes.required", "vi"), t("intake.notes.kind", "vi"), t("intake.notes.description", "vi"),
               t("intake.notes.description_en", "vi")]
        notes.write_string(0, 0, t(f"intake.notes.title_{table}", "vi", max_mb=MAX_FILE_MB), wb.add_format({"bold": True}))
        for j, h in enumerate(hdr):
            notes.write_string(2, j, h, bold)
        for i, s in enumerate(specs, start=3):
            vals = [s.vi, s.en, s.name, _required_label(s, "vi"), _kind_label(s, "vi"), s.description("vi"),
                    s.description("en")]
            for j, v in enumerate(vals):
                notes.write_string(i, j, v, wrap)
        for j, w in enumerate([30, 30, 20, 26, 22, 60, 60]):
            notes.set_column(j, j, w)
    return buf.getvalue()


def _template_values(data: pd.DataFrame, specs) -> dict[str, list]:
    """Cell values of ``data`` in the template's spelling (Vietnamese area and yes/no)."""
    out = {}
    for s in specs:
        if s.name not in data:
            out[s.name] = [None] * len(data)
            continue
        col = data[s.name]
        if s.kind == "area":
            v = col.astype("string").map({"rural": "Nông thôn", "urban": "Thành thị"})
        elif s.kind == "bool":
            v = col.astype("boolean").map({True: "Có", False: "Không"})
        elif s.kind == "sex":
            v = col.astype("string").map({"male": "Nam", "female": "Nữ"})
        elif s.kind in ("text", "code", "standard"):
            v = col.astype("string")
        else:
            v = pd.to_numeric(col).astype("Float64")
        out[s.name] = [None if pd.isna(x) else (x if isinstance(x, str) else float(x)) for x in v.astype(object)]
    return out


def export_to_template(data: pd.DataFrame, path: str | Path | None = None, *, fmt: str = "xlsx",
                       encoding: str = "utf-8-sig", standard: str = "QD59_2015") -> bytes:
    """Write households in the template layout (XLSX, or CSV in ``encoding``).

    Derived columns (status, …) are left out; the result can be re-imported.
    Text is written as text (no formula is ever created in the XLSX); CSV
    cells are written as they are, so that the file reads back unchanged.
    """
    if fmt == "xlsx":
        payload = template_bytes("household", data, standard)
    else:
        specs = template_columns("household", standard)
        vals = _template_values(data, specs)
        df = pd.DataFrame({s.vi: pd.Series(vals[s.name], dtype=object) for s in specs})
        for s in specs:
            if s.kind not in ("text", "code", "area", "bool", "sex", "standard"):
                df[s.vi] = pd.to_numeric(df[s.vi]).astype("Int64")
        text = df.to_csv(index=False)
        payload = encode_cp1258(text) if encoding.replace("-", "").lower() in ("cp1258", "windows1258") \
            else text.encode(encoding)
    if path is not None:
        from .export import write_bytes_atomic

        write_bytes_atomic(path, payload)
    return payload


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text in Windows-1258 (base letter + combining tone mark).

    Python's ``cp1258`` codec has no precomposed toned letters (``ấ``): each is
    split into its base letter (``â``) and tone mark (U+0301), as Windows does.

    >>> encode_cp1258("Bản").decode("cp1258") == "Ba\u0309n"
    True
    """
    table = {}
    for ch in set(text):
        try:
            ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        table[ord(ch)] = base + "".join(c for c in d if c in _TONES)
    return text.translate(table).encode("cp1258")


def write_templates(directory: str | Path = TEMPLATE_DIR) -> list[Path]:
    """(Re)generate ``household_template.xlsx`` and ``member_template.xlsx`` in ``directory``."""
    from .export import write_bytes_atomic

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    return [write_bytes_atomic(d / f"{tb}_template.xlsx", template_bytes(tb)) for tb in ("household", "member")]
