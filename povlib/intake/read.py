"""Reading a review file as text: source bytes, size limit, the bounded worker, headers.

A commune's file arrives as CSV or XLSX, in UTF-8, UTF-8 with BOM,
Windows-1258 or Excel's "Unicode text" (UTF-16), with Vietnamese or English
headers. :func:`read_raw` checks its size, then has it read by a separate
worker process (:mod:`povlib.intake.worker`, with the memory, time and extent
limits of :mod:`povlib.intake.limits`): whatever the file does to the reader –
a cell far away, a compression bomb, a crash of the native reader – ends the
worker, never the server, and becomes a Vietnamese message naming the file.
The cells come back as text (NFC, trimmed, blank = NA) with the spreadsheet
row number of every record; :func:`map_headers` renames the file's headers to
the canonical column names of :mod:`povlib.intake.schema` (and recognises
headers that show the file was saved in another encoding). Nothing is
converted here: values stay text until :mod:`povlib.intake.values` checks
them. File-level problems go to the :class:`~povlib.intake.problems.Problems`
collector.

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
>>> bad = Problems()
>>> read_raw(b"PK\\x03\\x04 not a workbook", "xa.xlsx", bad).table is None, bad.frame()["check"].tolist()
(True, ['not_xlsx'])
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from ..i18n import fmt_int
from . import limits
from . import schema as _schema
from .problems import Problems

__all__ = ["ENCODINGS", "SUFFIXES", "RawTable", "map_headers", "read_cells", "read_raw"]

SUFFIXES = (".csv", ".xlsx", ".xlsm")
ENCODINGS = ("utf-8-sig", "cp1258")
#: The worker program (run by path: it imports nothing of povlib).
WORKER = Path(__file__).with_name("worker.py")
#: Files read at the same time (see :data:`povlib.intake.limits.MAX_CONCURRENT_READS`).
_READ_SLOTS = threading.BoundedSemaphore(limits.MAX_CONCURRENT_READS)

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
    misencoded: bool = False  # the headers show that the file is in another encoding


def _source_bytes(source: Source, name: str | None) -> tuple[bytes | None, str]:
    """The bytes of an upload (None for a path: read after the size check) and the file's name.

    An open file is read up to one byte more than the limit (enough to know it is too large).
    """
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), name or "upload"
    if hasattr(source, "read"):
        data = source.read(limits.MAX_FILE_BYTES + 1)
        return data, name or getattr(source, "name", "upload")
    p = Path(source)
    return None, name or p.name


def _nfc(s: pd.Series) -> pd.Series:
    """Text cells: NFC, trimmed; blanks become NA. Vectorised over unique values."""
    out = s.astype("string").str.strip()  # NFC already applied by the worker
    return out.mask(out == "")


def _mb(size: int) -> str:
    """A file size in whole megabytes of 1,000,000 bytes, rounded up (no decimal separator in either language)."""
    return f"{-(-int(size) // 1_000_000)} MB"


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
        if size > limits.MAX_FILE_BYTES:
            problems.add(fname, None, "", "too_large", _mb(size), limit=limits.MAX_FILE_MB)
            raw.size = size
            return raw
        data = p.read_bytes()
    raw.size = len(data)
    raw.checksum = hashlib.sha256(data).hexdigest()
    if raw.size > limits.MAX_FILE_BYTES:
        problems.add(fname, None, "", "too_large", _mb(raw.size), limit=limits.MAX_FILE_MB)
        return raw
    if raw.size == 0:
        problems.add(fname, None, "", "empty_file")
        return raw
    res = read_cells(data, ".csv" if suffix == ".csv" else ".xlsx")
    if not res.get("ok"):
        _report(res, fname, problems)
        return raw
    raw.encoding, raw.too_long = res.get("encoding", ""), list(res.get("too_long", []))
    rows = res.get("rows") or []
    if not rows or not any(len(r) for r in rows):
        problems.add(fname, None, "", "empty_file")
        return raw
    table = pd.DataFrame(rows, dtype=object)
    headers = [unicodedata.normalize("NFC", str(h)).strip() if h else "" for h in table.iloc[0].tolist()]
    body = table.iloc[1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    body = body.apply(_nfc)
    rows_no = np.arange(2, len(body) + 2)
    # drop fully empty rows (e.g. trailing formatted rows in Excel): not records
    keep = body.notna().any(axis=1).to_numpy()
    # ... and fully empty trailing columns without a header
    keep_cols = [j for j, h in enumerate(headers) if h or body[j].notna().any()]
    body = body.loc[keep, keep_cols].reset_index(drop=True)
    raw.headers = [headers[j] for j in keep_cols]
    body.columns = range(len(keep_cols))
    raw.rows = rows_no[keep]
    raw.table = body
    if len(body) == 0:
        problems.add(fname, None, "", "empty_file")
    return raw


# ------------------------------------------------------------------------------ the worker process
def _refusal(check: str, value: object = "", **args) -> dict:
    return {"ok": False, "check": check, "value": str(value), "row": None, "column": "", "args": args}


def _worker_env() -> dict[str, str]:
    """The worker's environment: the server's, without a Rust backtrace on a crash."""
    return {**os.environ, "RUST_BACKTRACE": "0", "PYTHONDONTWRITEBYTECODE": "1"}


def _exit_refusal(returncode: int) -> dict:
    """What a worker's exit status means: the time or output limit, or a crash (any signal)."""
    if returncode < 0:
        try:
            sig = signal.Signals(-returncode)
        except ValueError:
            return _refusal("reader_crashed", f"signal {-returncode}")
        if sig.name == "SIGXCPU":
            return _refusal("reader_timeout")
        if sig.name == "SIGXFSZ":
            return _refusal("reader_output")
        return _refusal("reader_crashed", sig.name)
    return _refusal("reader_crashed", f"exit {returncode}")


def read_cells(data: bytes, suffix: str) -> dict:
    """Have the worker process read ``data`` (``suffix`` ``.csv`` or ``.xlsx``) within the limits.

    Returns the worker's answer: ``{"ok": True, "rows": [[text, "" or None for a blank, ...], ...],
    "encoding": ..., "too_long": [...]}``, or ``{"ok": False, "check": ..., "value": ...,
    "row": ..., "column": ..., "args": {...}}`` for a refused file, a crash (any signal,
    including SIGABRT and SIGKILL), the time limit or the output limit. Never raises for
    what the file does.
    """
    arg = json.dumps({"suffix": suffix, "limits": limits.worker_limits()})
    if not _READ_SLOTS.acquire(timeout=limits.WORKER_SECONDS):
        return _refusal("reader_busy")
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.Popen([sys.executable, "-P", str(WORKER), arg], stdin=subprocess.PIPE, stdout=out,
                                    stderr=err, env=_worker_env(), start_new_session=True)
            try:
                proc.communicate(data, timeout=limits.WORKER_SECONDS)
            except subprocess.TimeoutExpired:
                return _refusal("reader_timeout")
            finally:
                if proc.poll() is None:  # the time limit, or this thread interrupted: the worker goes
                    proc.kill()
                    proc.wait()
            if proc.returncode != 0:
                return _exit_refusal(proc.returncode)
            if os.fstat(out.fileno()).st_size > limits.MAX_RESULT_BYTES:
                return _refusal("reader_output")
            out.seek(0)
            try:
                res = json.loads(out.read())
            except ValueError:
                return _refusal("reader_crashed", "output")
            return res if isinstance(res, dict) else _refusal("reader_crashed", "output")
    finally:
        _READ_SLOTS.release()


def _numbers(args: dict) -> dict:
    """The worker's numbers as shown in each language (``1.048.576`` / ``1,048,576``)."""
    return {k: (fmt_int(v, "vi"), fmt_int(v, "en")) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in args.items()}


def _report(res: dict, fname: str, problems: Problems) -> None:
    """A refused or failed read as a problem of the file (naming the cell where there is one)."""
    check = str(res.get("check", "unreadable"))
    args = _numbers(res.get("args") or {})
    value = str(res.get("value", ""))
    if check in ("reader_memory", "reader_crashed"):
        args["limit"] = (f"{fmt_int(limits.WORKER_MEMORY_BYTES // 1_048_576, 'vi')} MB",
                         f"{fmt_int(limits.WORKER_MEMORY_BYTES // 1_048_576, 'en')} MB")
    elif check == "reader_timeout":
        args["limit"] = (fmt_int(limits.WORKER_SECONDS, "vi"), fmt_int(limits.WORKER_SECONDS, "en"))
    elif check == "reader_output":
        args["limit"] = (fmt_int(limits.MAX_RESULT_BYTES, "vi"), fmt_int(limits.MAX_RESULT_BYTES, "en"))
    elif check == "reader_busy":
        args["n"] = limits.MAX_CONCURRENT_READS
    elif check == "unreadable":  # the reader's own words only in the English message
        args["detail"] = ("", f" ({value})" if value else "")
        value = ""
    row = res.get("row")
    problems.add(fname, int(row) if row is not None else None, str(res.get("column") or ""), check, value, **args)


# ------------------------------------------------------------------------------------------ headers
#: Combining marks of Vietnamese letters after NFD (breve, circumflex, horn and the five tones),
#: built from code points so that the code holds no Vietnamese text.
_VI_MARKS = frozenset(map(chr, (0x0300, 0x0301, 0x0302, 0x0303, 0x0306, 0x0309, 0x031B, 0x0323)))
#: Letters without a decomposition (d with stroke) and typographic signs a header may hold.
_VI_OTHER = frozenset(map(chr, (0x0110, 0x0111, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x00B0,
                                0x00B2, 0x00B3, 0x00A0)))


def _foreign_char(h: str) -> bool:
    """Whether a header holds a character that Vietnamese text in the right encoding does not have.

    >>> _foreign_char("Mã hộ"), _foreign_char("M· hé"), _foreign_char("Maõ hoä"), _foreign_char("MÃ£ há»™")
    (False, True, True, True)
    """
    for ch in h:
        if ch.isascii() or ch in _VI_OTHER:
            continue
        nfd = unicodedata.normalize("NFD", ch)
        if not (nfd[0].isascii() and nfd[0].isalpha() and all(m in _VI_MARKS for m in nfd[1:])):
            return True
    return False


def map_headers(raw: RawTable, table: str, problems: Problems) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename the file's headers to canonical names; unknown and repeated headers are problems.

    When most headers are unknown and some hold characters that Vietnamese text
    does not have (``M· hé`` for ``Mã hộ`` from a TCVN3 file read as Windows-1258),
    the file is in another encoding: one problem says so (``raw.misencoded``)
    instead of a list of unknown columns, and no column is mapped.

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
    named = [h for h in raw.headers if h]
    unknown = [h for h in named if lookup.get(_schema.header_key(h)) is None]
    strange = [h for h in unknown if _foreign_char(h)]
    if strange and 2 * len(unknown) > len(named):  # mostly unknown, and not Vietnamese: another encoding
        problems.add(raw.name, 1, "", "bad_encoding_headers", ", ".join(strange[:3]))
        raw.misencoded = True
        return raw.table[[]].copy(), header_of
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
