"""The worker process that reads a review file: alone, bounded, with nothing of the server to lose.

:mod:`povlib.intake.read` runs this file as a program (``python -P worker.py
LIMITS``, the file's bytes on standard input, one JSON object on standard
output). It first limits itself – address space (``RLIMIT_AS``), CPU time,
size of what it writes, no core file – then:

* an ``.xlsx`` is checked as a zip archive *before* any spreadsheet library
  touches it (:func:`check_archive`: number of parts, each part's and the total
  uncompressed size, compression ratio), then the first sheet's XML is streamed
  (:func:`scan_sheet`: the declared ``<dimension ref>`` and the actual extent
  of the cells that hold a value, within Excel's 1,048,576 rows × 16,384
  columns and the review file's rows and columns), and only then read by the
  spreadsheet reader;
* a ``.csv`` is decoded (UTF-8, UTF-8 with BOM, Windows-1258, UTF-16 with BOM;
  anything else is reported as such) and parsed with the same bounds;
* every cell is text (or null), at most Excel's 32,767 characters.

A refused file gives ``{"ok": false, "check": ..., "value": ...}``; a crash of
the native reader, the memory or the time limit end this process only, and
the parent turns its exit into a message. It imports only the standard library
and the spreadsheet reader (it runs by path, not as part of povlib), and its
functions are plain functions that the tests and the examples below call.

Examples
--------
>>> column_letters(100), column_number("XFD")
('CV', 16384)
>>> import re
>>> bool(re.fullmatch(number_above(200_001), b"200002")), bool(re.fullmatch(number_above(200_001), b"99999"))
(True, False)
>>> lim = {"max_columns": 100, "max_rows": 10, "excel_max_rows": 1048576, "excel_max_columns": 16384}
>>> scan_sheet(iter([b'<dimension ref="A1:B3"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>']), lim)
>>> try:
...     scan_sheet(iter([b'<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>']), lim)
... except Refusal as r:
...     print(r.check, r.value)
too_many_columns XFD1048576
"""
from __future__ import annotations

import csv
import io
import json
import math
import posixpath
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator

__all__ = ["Refusal", "check_archive", "column_letters", "column_number", "first_sheet", "letters_above", "main",
           "number_above", "read_csv", "read_xlsx", "scan_sheet"]

#: Bytes of the sheet's XML handled at a time.
CHUNK = 1 << 20
#: Longest XML tag accepted in a sheet (a normal cell tag is under 100 bytes).
MAX_TAG = 1 << 16


class Refusal(Exception):
    """The file breaks a bound: ``check`` names the problem (catalog key ``intake.err.<check>``)."""

    def __init__(self, check: str, value: object = "", *, row: int | None = None, column: str = "", **args) -> None:
        super().__init__(check)
        self.check, self.value, self.row, self.column, self.args_ = check, str(value), row, column, args

    def as_dict(self) -> dict:
        return {"ok": False, "check": self.check, "value": self.value, "row": self.row, "column": self.column,
                "args": self.args_}


# ------------------------------------------------------------------------------------------- cells
def column_letters(n: int) -> str:
    """Excel's letters of column ``n`` (1 = A)."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def column_number(letters: str) -> int:
    """Column number of Excel's ``letters`` (A = 1)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def number_above(n: int) -> bytes:
    """A regular expression (bytes) matching the decimal numbers greater than ``n`` (no leading zeros)."""
    s = str(n)
    alts = [rb"[1-9][0-9]{%d,}" % len(s)]
    for i, d in enumerate(s):
        if d != "9":
            alts.append(s[:i].encode() + b"[%d-9]" % (int(d) + 1) + (rb"[0-9]{%d}" % (len(s) - i - 1)))
    return b"(?:" + b"|".join(alts) + b")"


def letters_above(n: int) -> bytes:
    """A regular expression (bytes, for upper case) matching the column letters after column ``n``."""
    s = column_letters(n)
    alts = [rb"[A-Z]{%d,}" % (len(s) + 1)]
    for i, ch in enumerate(s):
        if ch != "Z":
            alts.append(s[:i].encode() + b"[" + bytes([ord(ch) + 1]) + b"-Z]" + (rb"[A-Z]{%d}" % (len(s) - i - 1)))
    return b"(?:" + b"|".join(alts) + b")"


# ----------------------------------------------------------------------------------------- archive
def check_archive(zf: zipfile.ZipFile, lim: dict) -> None:
    """The archive's parts: how many, how large uncompressed (each and all), how compressed."""
    infos = zf.infolist()
    if len(infos) > lim["max_archive_parts"]:
        raise Refusal("archive_parts", len(infos), n=len(infos), limit=lim["max_archive_parts"])
    total = 0
    for i in infos:
        if i.flag_bits & 0x1:
            raise Refusal("not_xlsx", i.filename)
        if i.file_size > lim["max_part_bytes"]:
            raise Refusal("archive_part_size", i.filename, size=i.file_size, limit=lim["max_part_bytes"])
        if i.file_size >= lim["ratio_check_from_bytes"]:
            ratio = i.file_size / max(i.compress_size, 1)
            if ratio > lim["max_compression_ratio"]:
                raise Refusal("archive_ratio", i.filename, ratio=math.ceil(ratio), limit=lim["max_compression_ratio"])
        total += i.file_size
        if total > lim["max_archive_bytes"]:
            raise Refusal("archive_size", "", size=total, limit=lim["max_archive_bytes"])


_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*>")
_REL_ID = re.compile(rb"\s[\w.-]+:id\s*=\s*[\"']([^\"']*)[\"']")
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_ATTR = re.compile(rb"\s(Id|Target)\s*=\s*[\"']([^\"']*)[\"']")


def first_sheet(zf: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet (what the reader reads), or None if there is none."""
    names = set(zf.namelist())
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        wb = rels = b""
    tag = _SHEET_TAG.search(wb)
    rid = _REL_ID.search(tag.group(0)) if tag else None
    if rid:
        for rel in _REL_TAG.finditer(rels):
            attrs = dict(_ATTR.findall(rel.group(0)))
            if attrs.get(b"Id") == rid.group(1) and b"Target" in attrs:
                target = attrs[b"Target"].decode("utf-8", "replace")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                if path in names:
                    return path
    sheets = sorted(n for n in names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n))
    return sheets[0] if sheets else None


# ------------------------------------------------------------------------------------------- sheet
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s")
_ANY_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]*)([0-9]*)[\"']")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension(?=\s)[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")
_REF = re.compile(r"\$?([A-Za-z]{1,10})\$?([0-9]{1,12})")


def _chunks_of(stream: Iterable[bytes]) -> Iterator[bytes]:
    """Whole tags only: each chunk ends before a tag that the next one completes."""
    carry = b""
    for chunk in stream:
        buf = carry + chunk
        cut = buf.rfind(b"<")
        if cut == -1 or buf.find(b">", cut) != -1:
            carry = b""
            yield buf
            continue
        carry = buf[cut:]
        if len(carry) > MAX_TAG:
            raise Refusal("not_xlsx", "tag")
        yield buf[:cut]
    if carry:
        yield carry


def _check_dimension(ref: str, lim: dict) -> None:
    last = ref.split(":")[-1]
    m = _REF.fullmatch(last.strip())
    if not m:
        return  # no extent declared (the reader does not rely on it)
    col, row = column_number(m.group(1)), int(m.group(2))
    if (col > min(lim["max_columns"], lim["excel_max_columns"])
            or row > min(lim["max_rows"] + 1, lim["excel_max_rows"])):
        raise Refusal("sheet_dimension", ref, n_rows=row, n_columns=col, max_rows=lim["max_rows"] + 1,
                      max_columns=lim["max_columns"])


def _all_cells_referenced(chunk: bytes) -> bool:
    """Whether every cell tag of a chunk carries ``r="..."`` (then fast searches suffice).

    Cells are counted as ``<c `` / ``<c>``, references as `` r="`` minus one per
    row: a chunk where some row or cell lacks its reference (or writes it in
    another form) counts as not referenced.
    """
    cells = chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/")
    refs = chunk.count(b' r="') + chunk.count(b" r='")
    return cells <= refs - chunk.count(b"<row")


def _offending_cell(chunk: bytes, pattern: re.Pattern) -> bytes | None:
    """The first cell tag with content whose reference ``pattern`` matches (candidates checked one by one)."""
    for m in pattern.finditer(chunk):
        start = chunk.rfind(b"<", 0, m.start())
        end = chunk.find(b">", m.end())
        tag = chunk[start: end + 1]
        if (_CELL_START.match(tag) and chunk[m.start() - 1: m.start()].isspace() and not tag.endswith(b"/>")
                and chunk.find(b">", start, m.start()) == -1):
            return tag
    return None


def scan_sheet(stream: Iterable[bytes], lim: dict) -> None:
    """Stream a sheet's XML: refuse (:class:`Refusal`) a declared or actual extent beyond the limits.

    Only cells that are not self-closing count (a cell that only carries a
    format is ``<c r="Z9" s="1"/>``). Where every cell carries its reference,
    fast searches for a reference beyond the limits do; cells written without
    their reference are followed one by one and placed as the spreadsheet
    reader places them (after the previous one).
    """
    max_col, max_row = lim["max_columns"], lim["max_rows"] + 1
    col_bad = re.compile(rb"r=[\"']" + letters_above(max_col) + rb"[0-9]+[\"']")
    row_bad = re.compile(rb"r=[\"'][A-Za-z]+0*" + number_above(max_row) + rb"[\"']")
    seen_data = False
    row_no = col_no = 0
    for chunk in _chunks_of(stream):
        if not seen_data:
            dim = _DIMENSION.search(chunk)
            if dim:
                _check_dimension(dim.group(1).decode("ascii", "replace"), lim)
            seen_data = b"sheetData" in chunk
        if _all_cells_referenced(chunk):  # the usual case
            bad = _offending_cell(chunk, col_bad) or _offending_cell(chunk, row_bad)
            if bad:
                _refuse_cell(bad, row_no, lim)
            last = chunk.rfind(b"<row")
            r = _R_ATTR.search(chunk, last, chunk.find(b">", last) + 1) if last != -1 else None
            row_no = int(r.group(2)) if r and r.group(2) else row_no + chunk.count(b"<row")
            col_no = 0
            continue
        for m in _ANY_TAG.finditer(chunk):  # cells without reference: follow them one by one
            r = _R_ATTR.search(m.group(2))
            if m.group(1) == b"row":
                row_no = int(r.group(2)) if r and r.group(2) else row_no + 1
                col_no = 0
                continue
            col_no = column_number(r.group(1).decode()) if r and r.group(1) else col_no + 1
            row = int(r.group(2)) if r and r.group(2) else row_no
            if m.group(2).endswith(b"/"):
                continue
            if col_no > max_col:
                raise Refusal("too_many_columns", column_letters(col_no) + str(row), n=col_no, limit=max_col)
            if row > max_row:
                raise Refusal("too_many_rows", column_letters(col_no) + str(row), n=row, limit=max_row - 1)


def _refuse_cell(tag: bytes, row_no: int, lim: dict) -> None:
    r = _R_ATTR.search(tag)
    letters = r.group(1).decode().upper() if r else ""
    row = int(r.group(2)) if r and r.group(2) else row_no
    ref = letters + str(row)
    col = column_number(letters)
    if col > lim["max_columns"]:
        raise Refusal("too_many_columns", ref, n=col, limit=lim["max_columns"])
    raise Refusal("too_many_rows", ref, n=row, limit=lim["max_rows"])


# -------------------------------------------------------------------------------------------- read
def cell_text(v: object) -> str | None:
    """A spreadsheet value as text: whole numbers without '.0', booleans 1/0, dates ISO, text NFC."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if v.is_integer():
            return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return unicodedata.normalize("NFC", str(v))


def _bounded_rows(rows: list[list], lim: dict) -> list[list[str | None]]:
    """Cells as text; a row beyond the limits, a column beyond them or a cell too long is refused."""
    if len(rows) > lim["max_rows"] + 1 and any(cell_text(c) for r in rows[lim["max_rows"] + 1:] for c in r):
        raise Refusal("too_many_rows", len(rows), n=len(rows), limit=lim["max_rows"])
    out = []
    for i, r in enumerate(rows[: lim["max_rows"] + 1]):
        cells = [cell_text(c) for c in r]
        for j, c in enumerate(cells):
            if c is None:
                continue
            if j >= lim["max_columns"]:
                raise Refusal("too_many_columns", column_letters(j + 1) + str(i + 1), n=j + 1,
                              limit=lim["max_columns"])
            if len(c) > lim["max_cell_chars"]:
                raise Refusal("cell_too_long", len(c), row=i + 1, column=column_letters(j + 1), n=len(c),
                              limit=lim["max_cell_chars"])
        out.append(cells[: lim["max_columns"]])
    return out


def read_xlsx(data: bytes, lim: dict) -> list[list[str | None]]:
    """The first sheet of an ``.xlsx`` as rows of text cells, after the archive and sheet checks."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Refusal("not_xlsx", type(exc).__name__) from None
    with zf:
        check_archive(zf, lim)
        sheet = first_sheet(zf)
        if sheet is None:
            raise Refusal("not_xlsx", "no sheet")
        try:
            with zf.open(sheet) as fh:
                scan_sheet(iter(lambda: fh.read(CHUNK), b""), lim)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
            raise Refusal("not_xlsx", type(exc).__name__) from None
    try:
        import python_calamine
    except ImportError:  # the slower reader
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    else:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return _bounded_rows(rows, lim)


def read_csv(data: bytes, lim: dict) -> tuple[list[list[str]], str, list[int]]:
    """A CSV as rows of text cells (first row = headers; blank = ``""``), its encoding, and the rows with more cells
    than headers."""
    text = None
    encoding = ""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" (UTF-16, tab-separated)
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise Refusal("bad_encoding") from None
    elif data.count(b"\x00") * 10 >= len(data):  # UTF-16 without its mark, or not text at all
        raise Refusal("bad_encoding")
    for enc in ("utf-8-sig", "cp1258") if text is None else ():
        try:
            text, encoding = data.decode(enc), enc
            break
        except UnicodeDecodeError:
            continue
    if text is None:  # Windows-1258 leaves a few bytes undefined
        raise Refusal("bad_encoding")
    # Windows-1258 writes some tone marks as combining characters: recompose (NFC)
    text = unicodedata.normalize("NFC", text)
    first = text[: text.find("\n")] if "\n" in text else text
    sep = max([",", ";", "\t"], key=first.count)
    csv.field_size_limit(max(lim["max_file_bytes"], 1 << 17))
    max_rows, max_cols, max_chars = lim["max_rows"] + 1, lim["max_columns"], lim["max_cell_chars"]
    recs: list[list[str]] = []
    # csv.reader keeps blank lines as empty records, so record i is spreadsheet row i + 1
    for i, rec in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=sep)):
        if i >= max_rows:
            if any(c.strip() for c in rec):
                raise Refusal("too_many_rows", i + 1, n=i + 1, limit=lim["max_rows"])
            continue  # blank lines after the last row allowed: not kept
        if len(rec) > max_cols and any(c.strip() for c in rec[max_cols:]):
            j = next(j for j in range(max_cols, len(rec)) if rec[j].strip())
            raise Refusal("too_many_columns", column_letters(j + 1) + str(i + 1), n=j + 1, limit=max_cols)
        if rec and max(map(len, rec)) > max_chars:
            j = next(j for j, c in enumerate(rec) if len(c) > max_chars)
            raise Refusal("cell_too_long", len(rec[j]), row=i + 1, column=column_letters(j + 1), n=len(rec[j]),
                          limit=max_chars)
        recs.append(rec[:max_cols] if len(rec) > max_cols else rec)
    while recs and not any(c.strip() for c in recs[-1]):
        recs.pop()
    if not recs:
        return [], encoding, []
    width = len(recs[0])
    too_long = [i + 1 for i, r in enumerate(recs) if len(r) > width and any(c.strip() for c in r[width:])]
    # blank cells stay "" (the reader of the answer treats them as blank): rows of the header's width
    rows = [r if len(r) == width else (r[:width] + [""] * (width - len(r))) for r in recs]
    return rows, encoding, too_long


# -------------------------------------------------------------------------------------------- main
def _limit_self(lim: dict) -> None:
    """Memory, CPU time, output size and no core file, for this process (not where unsupported)."""
    try:
        import resource
    except ImportError:  # Windows: the parent's wall-clock limit still holds
        return
    seconds = max(1, math.ceil(lim["worker_seconds"]))
    for what, soft, hard in ((resource.RLIMIT_AS, lim["worker_memory_bytes"], lim["worker_memory_bytes"]),
                             (resource.RLIMIT_CPU, seconds, seconds + 5),
                             (resource.RLIMIT_FSIZE, lim["max_result_bytes"], lim["max_result_bytes"]),
                             (resource.RLIMIT_CORE, 0, 0)):
        try:
            resource.setrlimit(what, (soft, hard))
        except (ValueError, OSError):  # a limit above the current hard limit: keep the stricter one
            pass


def main(argv: list[str] | None = None) -> int:
    """Read the file on standard input as ``argv[1]`` says (``{"suffix": ..., "limits": {...}}``)."""
    args = json.loads((sys.argv if argv is None else argv)[1])
    lim = args["limits"]
    _limit_self(lim)
    data = sys.stdin.buffer.read(lim["max_file_bytes"] + 1)
    out = sys.stdout.buffer
    try:
        if args["suffix"] == ".csv":
            rows, encoding, too_long = read_csv(data, lim)
        else:
            rows, encoding, too_long = read_xlsx(data, lim), "", []
        result = {"ok": True, "rows": rows, "encoding": encoding, "too_long": too_long}
    except Refusal as r:
        result = r.as_dict()
    except MemoryError:
        result = Refusal("reader_memory").as_dict()
    except Exception as exc:  # noqa: BLE001 - any reader failure is reported, not raised
        result = Refusal("unreadable", f"{type(exc).__name__}: {str(exc)[:200]}").as_dict()
    out.write(json.dumps(result, ensure_ascii=False).encode("utf-8"))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
