"""Safe downloads: CSV and formatted Excel files, and atomic writes.

Every table a user can download goes through this module, so that

* text cells that a spreadsheet would run as a formula (starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return, also after Unicode NFKC:
  full-width ``＝`` is ``=``) are neutralised with a leading apostrophe (the
  OWASP "CSV injection" rule) – a village named ``=HYPERLINK(...)`` stays text;
* CSV is UTF-8 with a byte-order mark, so that Excel shows Vietnamese
  diacritics correctly;
* Excel files carry title rows (unit name, year, units), a bold header that
  stays frozen when scrolling, sensible column widths and number formats
  (``#,##0`` for counts, ``0.00`` for percentages – Excel shows the
  separators of the user's locale);
* files are written atomically (temporary file, then ``os.replace``).

Pure functions: no Streamlit, input frames are never modified.

Examples
--------
>>> import pandas as pd
>>> from povlib.export import neutralise_formulas, to_csv_bytes
>>> df = pd.DataFrame({"village": ["Bản Nà", "=1+1", "-2"], "n": [1, -2, 3]})
>>> neutralise_formulas(df)["village"].tolist()
['Bản Nà', "'=1+1", "'-2"]
>>> to_csv_bytes(df)[:3] == b"\\xef\\xbb\\xbf"
True
"""
from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import PovlibInputError
from .i18n import t

__all__ = [
    "FORMULA_PREFIXES",
    "INT_FORMAT",
    "PCT_FORMAT",
    "neutralise_formulas",
    "neutralise_text",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "write_bytes_atomic",
    "flatten_columns",
    "safe_sheet_name",
]

#: First characters that make a spreadsheet cell a formula (or a DDE payload).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = re.compile(r"^[=+\-@\t\r]")
#: Excel number formats (Excel renders grouping/decimal marks by the user's locale).
INT_FORMAT = "#,##0"
PCT_FORMAT = "0.00"
FLOAT_FORMAT = "#,##0.00"
_MAX_ROWS = 1_048_576
_MAX_SHEET_NAME = 31


def _formula_start(text: str) -> bool:
    """Whether ``text`` starts like a formula, also after NFKC (full-width ``＝``, small ``﹢``...)."""
    return text[:1] in FORMULA_PREFIXES or unicodedata.normalize("NFKC", text[:1])[:1] in FORMULA_PREFIXES


def neutralise_text(value):
    """Neutralise one value: a string that starts like a formula, also after NFKC, gets a leading ``'``.

    >>> neutralise_text("@SUM(A1)"), neutralise_text(-2), neutralise_text("Nà Pài"), neutralise_text("＝1+1")
    ("'@SUM(A1)", -2, 'Nà Pài', "'＝1+1")
    """
    if isinstance(value, str) and _formula_start(value):
        return "'" + value
    return value


def _neutralise_series(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        if cats.dtype.kind not in ("O", "U", "T") and not pd.api.types.is_string_dtype(cats.dtype):
            return s
        new = pd.Index([neutralise_text(c) for c in cats])  # categories only, not households
        if new.equals(cats):
            return s
        if new.is_unique:
            return s.cat.rename_categories(new)
        s = s.astype(object)
    if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
        return s
    try:  # the first character as it is, or after NFKC (a full-width ＝ is =)
        first = s.str.slice(0, 1)
        hit = first.str.match(_FORMULA_RE, na=False) | first.str.normalize("NFKC").str.match(_FORMULA_RE, na=False)
    except AttributeError:  # object column without any strings
        return s
    hit = hit.fillna(False).astype(bool)
    if not hit.any():
        return s
    out = s.copy()
    out.loc[hit] = "'" + s.loc[hit].astype(str)
    return out


def _neutralise_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [tuple(neutralise_text(v) for v in tup) for tup in index], names=index.names)
    return pd.Index([neutralise_text(v) for v in index], name=index.name)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy where every text cell that starts like a formula is inert.

    A text cell (or column label) starting with ``=``, ``+``, ``-``, ``@``, tab
    or carriage return gets a leading apostrophe, so Excel, LibreOffice and
    Google Sheets show it as text instead of evaluating it. Numbers, booleans
    and dates are untouched; the input is not modified.

    Parameters
    ----------
    df : DataFrame

    Returns
    -------
    DataFrame
        A new frame with the same shape, index and dtypes where possible.

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"a": ["+84 912", "ok"], "b": [-1.5, 2.0]})).to_dict("list")
    {'a': ["'+84 912", 'ok'], 'b': [-1.5, 2.0]}
    """
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        new = _neutralise_series(col)
        if new is not col:
            out.isetitem(i, new)
    out.columns = _neutralise_labels(out.columns)
    return out


def flatten_columns(columns: pd.Index, sep: str = " – ") -> list[str]:
    """Join MultiIndex column labels into one text per column (empty parts skipped)."""
    if not isinstance(columns, pd.MultiIndex):
        return [str(c) for c in columns]
    flat = []
    for tup in columns:
        parts = []
        for p in tup:
            p = "" if p is None or (isinstance(p, float) and np.isnan(p)) else str(p)
            if p and p not in parts:
                parts.append(p)
        flat.append(sep.join(parts))
    return flat


def to_csv_bytes(df: pd.DataFrame, *, sep: str = ",", index: bool = False) -> bytes:
    """CSV as UTF-8 with BOM (Excel reads Vietnamese correctly), formulas neutralised.

    MultiIndex column headers are flattened to one row (``"Đầu năm – Số hộ"``).
    Numbers are written as machine numbers (``15.86``); use
    :func:`to_xlsx_bytes` for a file formatted for people.

    Examples
    --------
    >>> import pandas as pd
    >>> to_csv_bytes(pd.DataFrame({"Thôn": ["=A1"]})).decode("utf-8-sig").splitlines()
    ['Thôn', "'=A1"]
    """
    safe = neutralise_formulas(df)
    if isinstance(safe.columns, pd.MultiIndex):
        safe.columns = [neutralise_text(c) for c in flatten_columns(safe.columns)]
    buf = io.StringIO()
    safe.to_csv(buf, index=index, sep=sep, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def safe_sheet_name(name: str, taken: Sequence[str] = ()) -> str:
    """An Excel-valid, unique sheet name (≤ 31 characters, no ``[]:*?/\\``)."""
    clean = re.sub(r"[\[\]:*?/\\]", "-", str(name)).strip("'") or "Sheet"
    clean = clean[:_MAX_SHEET_NAME]
    base, k = clean, 2
    lowered = {s.lower() for s in taken}
    while clean.lower() in lowered:
        suffix = f" ({k})"
        clean = base[: _MAX_SHEET_NAME - len(suffix)] + suffix
        k += 1
    return clean


def _default_format(s: pd.Series, label: str) -> str | None:
    if pd.api.types.is_bool_dtype(s.dtype):
        return None
    if pd.api.types.is_integer_dtype(s.dtype):
        return INT_FORMAT
    if pd.api.types.is_float_dtype(s.dtype):
        return PCT_FORMAT if "%" in label else FLOAT_FORMAT
    return None


def _cell_values(s: pd.Series) -> list:
    """Python values for xlsxwriter: NaN/NA -> None, numpy scalars -> Python, dates -> text."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return [None if pd.isna(v) else str(v) for v in s.dt.strftime("%Y-%m-%d %H:%M").tolist()]
    if pd.api.types.is_bool_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        return s.astype(object).where(s.notna(), None).tolist()
    vals = s.astype(object).where(s.notna(), None).tolist()
    return vals


def _header_rows(columns: pd.Index) -> list[list[str]]:
    if isinstance(columns, pd.MultiIndex):
        rows = []
        for lvl in range(columns.nlevels):
            rows.append(["" if v is None else str(v) for v in columns.get_level_values(lvl)])
        return rows
    return [[str(c) for c in columns]]


def to_xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame] | pd.DataFrame,
    title_lines: Sequence[str] | Mapping[str, Sequence[str]] = (),
    *,
    notes: Sequence[str] | Mapping[str, Sequence[str]] = (),
    number_formats: Mapping[str, str] | None = None,
    freeze_cols: int = 0,
    total_rows: Mapping[str, Sequence[int]] | None = None,
    landscape: bool = True,
    document=None,
) -> bytes:
    """An Excel workbook (bytes) with titles, frozen bold header and number formats.

    Parameters
    ----------
    sheets : dict of sheet name -> DataFrame (or one DataFrame)
        Tables to write, in order (one DataFrame: one sheet named by the catalog string ``export.sheet.data``). Sheet names are made Excel-valid and unique.
        A two-level MultiIndex on the columns gives a grouped two-row header
        (top labels merged over their sub-columns, as in the province forms).
    title_lines : list of str, or dict sheet name -> list of str
        Lines above the table: report title, unit name, year, units. The first
        line is large and bold.
    notes : list of str, or dict sheet name -> list of str
        Lines below the table (source, definitions, synthetic-data note).
    number_formats : dict column label -> Excel format, optional
        Overrides. By default integer columns get ``#,##0``, float columns
        whose label contains ``%`` get ``0.00`` and other floats ``#,##0.00``.
        For MultiIndex columns the key is the last level's label or the
        flattened label.
    freeze_cols : int
        Also freeze this many leading columns (e.g. 1 for the unit names).
    total_rows : dict sheet name -> list of row positions, optional
        Data rows (0-based positions in the frame) to show in bold (totals).
    landscape : bool
        Print setup: A4 landscape (portrait if False), fitted to the page
        width, header rows repeated on every printed page.
    document : DocumentFrame, optional
        The official frame of a printed document
        (:class:`povlib.reports.document.DocumentFrame`): the issuing body over
        a short rule on the left and the national title, the underlined motto
        and the place and date on the right, above the titles; the signature
        titles and hints under the notes.

    Returns
    -------
    bytes
        The ``.xlsx`` file. Text cells are neutralised
        (:func:`neutralise_formulas`) and never interpreted as formulas,
        numbers or links.

    Examples
    --------
    >>> import io, openpyxl, pandas as pd
    >>> data = to_xlsx_bytes({"Xã": pd.DataFrame({"Xã": ["Bằng Lũng"], "Số hộ": [1234]})},
    ...                      ["Báo cáo", "Huyện Chợ Đồn – năm 2019", "Đơn vị tính: hộ"])
    >>> ws = openpyxl.load_workbook(io.BytesIO(data)).active
    >>> ws["A1"].value, ws["B6"].value, ws.freeze_panes
    ('Báo cáo', 1234, 'A6')
    """
    import xlsxwriter

    if isinstance(sheets, pd.DataFrame):
        sheets = {t("export.sheet.data", "vi"): sheets}
    if not sheets:
        raise PovlibInputError.from_key("export.err.no_tables")
    number_formats = dict(number_formats or {})
    total_rows = dict(total_rows or {})
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    })
    f_title = wb.add_format({"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"})
    f_sub = wb.add_format({"font_size": 11, "text_wrap": True, "valign": "top"})
    f_note = wb.add_format({"italic": True, "font_size": 9, "font_color": "#444444", "text_wrap": True,
                            "valign": "top"})
    head_props = {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                  "border": 1, "bg_color": "#E8EEF4"}
    f_head = wb.add_format(head_props)
    f_doc_bold = wb.add_format({"bold": True, "align": "center", "valign": "top", "font_size": 11})
    f_doc_motto = wb.add_format({"bold": True, "underline": 1, "align": "center", "valign": "top", "font_size": 11})
    f_doc = wb.add_format({"align": "center", "valign": "top", "font_size": 11})
    f_doc_hint = wb.add_format({"italic": True, "align": "center", "valign": "top", "font_size": 10})
    f_doc_place = wb.add_format({"italic": True, "align": "center", "valign": "top", "font_size": 11})
    doc_rows = 4 if document is not None else 0  # issuer | nation; rule | motto; place and date; blank
    fmt_cache: dict[tuple[str | None, bool], object] = {}

    def cell_format(num: str | None, bold: bool):
        key = (num, bold)
        if key not in fmt_cache:
            props = {"border": 1}
            if num:
                props["num_format"] = num
            if bold:
                props["bold"] = True
                props["bg_color"] = "#F3F3F3"
            fmt_cache[key] = wb.add_format(props)
        return fmt_cache[key]

    taken: list[str] = []
    for raw_name, df in sheets.items():
        if len(df) + 20 > _MAX_ROWS:
            raise PovlibInputError.from_key("export.err.too_many_rows", name=raw_name, rows=len(df))
        name = safe_sheet_name(raw_name, taken)
        taken.append(name)
        ws = wb.add_worksheet(name)
        safe = neutralise_formulas(df.reset_index(drop=True))
        titles = title_lines.get(raw_name, ()) if isinstance(title_lines, Mapping) else title_lines
        sheet_notes = notes.get(raw_name, ()) if isinstance(notes, Mapping) else notes
        row = doc_rows + len(titles)  # title lines are written last, merged over the table's width
        if titles:
            row += 1  # blank line between titles and table
        header = _header_rows(safe.columns)
        ncol = safe.shape[1]
        head_top = row
        if len(header) == 1:
            for c, label in enumerate(header[0]):
                ws.write_string(row, c, label, f_head)
        else:
            top, sub = header[0], header[-1]
            c = 0
            while c < ncol:
                end = c
                while end + 1 < ncol and top[end + 1] == top[c] and top[c]:
                    end += 1
                if end == c and (not sub[c] or sub[c] == top[c]):
                    ws.merge_range(row, c, row + 1, c, top[c] or sub[c], f_head)
                elif end == c:
                    ws.write_string(row, c, top[c], f_head)
                    ws.write_string(row + 1, c, sub[c], f_head)
                else:
                    ws.merge_range(row, c, row, end, top[c], f_head)
                    for k in range(c, end + 1):
                        ws.write_string(row + 1, k, sub[k], f_head)
                c = end + 1
        row += len(header)
        ws.set_row(head_top + len(header) - 1, 45 if len(header) == 1 else 60)
        ws.freeze_panes(row, freeze_cols)
        # printing (lists are posted on paper): A4, fit the width, repeat the header on each page
        ws.set_paper(9)
        if landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(head_top, row - 1)
        flat = flatten_columns(safe.columns)
        widths: list[float] = []
        last = header[-1]
        bold_rows = set(total_rows.get(raw_name, ()))
        for c in range(ncol):
            s = safe.iloc[:, c]
            num = number_formats.get(flat[c], number_formats.get(last[c]))
            if num is None:
                num = _default_format(s, flat[c])
            vals = _cell_values(s)
            plain, bold = cell_format(num, False), cell_format(num, True)
            for r, v in enumerate(vals):
                f = bold if r in bold_rows else plain
                if v is None:
                    ws.write_blank(row + r, c, None, f)
                elif isinstance(v, str):
                    ws.write_string(row + r, c, v, f)
                elif isinstance(v, (bool, np.bool_)):
                    ws.write_boolean(row + r, c, bool(v), f)
                elif isinstance(v, (int, float, np.integer, np.floating)):
                    ws.write_number(row + r, c, float(v) if isinstance(v, (float, np.floating)) else int(v), f)
                else:
                    ws.write_string(row + r, c, str(neutralise_text(str(v))), f)
            # width: longest of header words and the first rows' values, capped
            sample = [len(str(v)) for v in vals[:2000] if v is not None]
            if num:
                sample = [n + n // 3 for n in sample]
            head_len = max((len(w) for part in (h[c] for h in header) for w in part.split()), default=6)
            width = max([head_len + 2, min(max(sample, default=0) + 2, 45), 8])
            if len(header) == 1:
                width = max(width, min(len(header[0][c]) // 2 + 2, 30))
            ws.set_column(c, c, min(width, 50))
            widths.append(min(width, 50))
        row += len(safe)
        total_width = sum(widths) or 10

        def wide_line(r: int, text: str, fmt, line_height: float) -> None:
            """One text line over the whole table width, wrapped, with a row height that fits it."""
            text = str(neutralise_text(text))
            if ncol > 1:
                ws.merge_range(r, 0, r, ncol - 1, text, fmt)
            else:
                ws.write_string(r, 0, text, fmt)
            lines = max(1, -(-len(text) // max(int(total_width * 1.1), 1)))
            if lines > 1:
                ws.set_row(r, line_height * lines)

        def two_blocks(r: int, left: str, right: str, f_left, f_right) -> None:
            """A line of the header or the signatures: a left and a right block, each merged over its columns."""
            if ncol < 2:
                ws.write_string(r, 0, str(neutralise_text(" – ".join(x for x in (left, right) if x))), f_right)
                return
            split = max(1, ncol * 2 // 5)
            for c0, c1, text, fmt in ((0, split - 1, left, f_left), (split, ncol - 1, right, f_right)):
                text = str(neutralise_text(text))
                if c1 > c0:
                    ws.merge_range(r, c0, r, c1, text, fmt)
                else:
                    ws.write_string(r, c0, text, fmt)

        if document is not None:
            two_blocks(0, document.issuer, document.nation, f_doc_bold, f_doc_bold)
            two_blocks(1, "\u2014" * 6, document.motto, f_doc, f_doc_motto)
            two_blocks(2, "", document.place_date, f_doc, f_doc_place)
        for i, line in enumerate(titles):
            wide_line(doc_rows + i, line, f_title if i == 0 else f_sub, 20 if i == 0 else 15)
        if sheet_notes:
            row += 1
            for line in sheet_notes:
                wide_line(row, line, f_note, 12.5)
                row += 1
        if document is not None and document.signers:
            row += 1
            left, right = document.signers[0], document.signers[-1]
            two_blocks(row, left.title, right.title, f_doc_bold, f_doc_bold)
            two_blocks(row + 1, left.hint, right.hint, f_doc_hint, f_doc_hint)
            row += 2
    wb.close()
    return buf.getvalue()


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then ``os.replace``).

    A crash or a full disk never leaves a half-written file at ``path``;
    parent folders are created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "x.csv"
    >>> write_bytes_atomic(p, b"ok").read_bytes()
    b'ok'
    """
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return dest
