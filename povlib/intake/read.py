"""Reading a review file as text: source bytes, size limit, encodings, CSV/XLSX, headers.

A commune's file arrives as CSV or XLSX, in UTF-8, UTF-8 with BOM,
Windows-1258 or Excel's "Unicode text" (UTF-16), with Vietnamese or English
headers. :func:`read_raw` reads it as a table of text cells (NFC, trimmed,
blank = NA) and remembers the spreadsheet row number of every record;
:func:`map_headers` renames the file's headers to the canonical column names
of :mod:`povlib.intake.schema`. Nothing is converted here: values stay text
until :mod:`povlib.intake.values` checks them. File-level problems (format,
size, encoding, empty file, unknown or repeated headers) go to the
:class:`~povlib.intake.problems.Problems` collector.

:data:`MAX_FILE_BYTES` is read from this module at call time (a test lowers
it with ``monkeypatch.setattr(povlib.intake.read, "MAX_FILE_BYTES", 5)``).

Examples
--------
>>> from povlib.intake.problems import Problems
>>> p = Problems()
>>> raw = read_raw("Mã hộ;Khu vực\\nH1; Thành thị \\n\\n".encode(), "xa.csv", p)
>>> raw.headers, raw.rows.tolist(), raw.table.iloc[0].tolist(), raw.encoding
(['Mã hộ', 'Khu vực'], [2], ['H1', 'Thành thị'], 'utf-8-sig')
>>> df, header_of = map_headers(raw, "household", p)
>>> list(df.columns), header_of["area"]
(['household_id', 'area'], 'Khu vực')
"""
from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from . import schema as _schema
from .problems import Problems

__all__ = ["ENCODINGS", "MAX_FILE_BYTES", "MAX_FILE_MB", "SUFFIXES", "RawTable", "map_headers", "read_raw"]

#: Largest file accepted (also ``server.maxUploadSize`` in .streamlit/config.toml).
MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
SUFFIXES = (".csv", ".xlsx", ".xlsm")
ENCODINGS = ("utf-8-sig", "cp1258")

#: A review file as given: a path, its bytes, or an open binary file.
Source = str | Path | bytes | BinaryIO


@dataclass
class RawTable:
    """A file read as text cells, before any header mapping or conversion."""

    name: str
    checksum: str = ""
    size: int = 0
    encoding: str = ""
    table: pd.DataFrame | None = None  # all cells text or NA, columns = positions of the headers
    headers: list[str] = field(default_factory=list)
    rows: np.ndarray | None = None  # spreadsheet row number of each table row
    too_long: list[int] = field(default_factory=list)  # CSV rows with more cells than the header


def _source_bytes(source: Source, name: str | None) -> tuple[bytes | None, str]:
    """The bytes of an upload (None for a path: read after the size check) and the file's name."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), name or "upload"
    if hasattr(source, "read"):
        data = source.read()
        return data, name or getattr(source, "name", "upload")
    p = Path(source)
    return None, name or p.name


def _nfc(s: pd.Series) -> pd.Series:
    """Text cells: NFC, trimmed; blanks become NA. Vectorised over unique values."""
    out = s.astype("string").str.strip()  # NFC already applied to the whole text / each xlsx value
    return out.mask(out == "")


def _mb(size: int) -> str:
    """A file size in whole megabytes, rounded up (no decimal separator: the same in both languages)."""
    return f"{-(-int(size) // (1024 * 1024))} MB"


def read_raw(source: Source, name: str | None, problems: Problems) -> RawTable:
    """Read a CSV/XLSX file as text cells; file-level problems go to ``problems``.

    Fully empty rows (e.g. formatted trailing rows in Excel) and fully empty
    columns without a header are not records and are left out; every kept
    record keeps its spreadsheet row number in ``RawTable.rows``.
    """
    data, fname = _source_bytes(source, name)
    raw = RawTable(name=fname)
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


def _read_csv_text(data: bytes, raw: RawTable) -> pd.DataFrame | None:
    """CSV bytes -> a table of text cells (first record = headers); sets ``raw.encoding`` and ``raw.too_long``."""
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
    recs = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
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
    """The first sheet of an XLSX workbook as text cells (first row = headers)."""
    try:  # calamine (Rust) reads large sheets ~5x faster than openpyxl
        import python_calamine  # noqa: F401

        engine = "calamine"
    except ImportError:
        engine = "openpyxl"
    df = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine=engine)
    return df.apply(_xlsx_cell_text).astype(object)


def map_headers(raw: RawTable, table: str, problems: Problems) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename the file's headers to canonical names; unknown and repeated headers are problems.

    Returns
    -------
    DataFrame
        The known columns, canonical names, cells as text.
    dict
        Canonical name -> the header as written in the file (for messages).
    """
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
