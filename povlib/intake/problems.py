"""The problem list of a review file, and the problem report an officer downloads.

Every check of :mod:`povlib.intake` reports through one :class:`Problems`
collector: one row per problem, naming the file, the row as the spreadsheet
numbers it (header = row 1, first data row = row 2), the column as written in
the file, the check, the value, and the message in Vietnamese and English
(catalog key ``intake.err.<check>``). The list stops after
:data:`~povlib.intake.limits.MAX_PROBLEMS` problems and counts the rest. :func:`error_report`,
:func:`errors_to_csv_bytes` and :func:`errors_to_xlsx_bytes` turn the list of
an :class:`~povlib.intake.review.Intake` into the downloadable report.

Examples
--------
>>> from povlib.intake.problems import Problems
>>> p = Problems()
>>> p.add_many("xa.csv", [4, 2], "Khu vực", "bad_area", ["Rừng", "Núi"])
>>> p.frame()[["row", "column", "check", "value"]].values.tolist()
[[2, 'Khu vực', 'bad_area', 'Núi'], [4, 'Khu vực', 'bad_area', 'Rừng']]
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..export import to_csv_bytes, to_xlsx_bytes
from ..i18n import fmt_int, fmt_num, has, t
from . import limits
from . import schema as _schema

if TYPE_CHECKING:  # annotations only: review imports this module
    from .review import Intake

__all__ = ["DASH", "ERROR_COLUMNS", "Problems", "check_name", "dash_missing", "error_report", "errors_to_csv_bytes", "errors_to_xlsx_bytes"]

#: What a screen shows for a cell with nothing in it.
DASH = "–"
#: Columns of the error list.
ERROR_COLUMNS = ["file", "row", "column", "check", "value", "message_vi", "message_en"]


def _row_keys(rows: Iterable) -> np.ndarray:
    """Row numbers as int64, -1 for the file as a whole (None / NA)."""
    if not isinstance(rows, (np.ndarray, pd.api.extensions.ExtensionArray, pd.Series)):
        rows = list(rows)
    return pd.array(rows, dtype="Int64").fillna(-1).to_numpy(dtype="int64")


class Problems:
    """Collects problems as rows of the error list (messages from :mod:`povlib.i18n`).

    A keyword argument given as a ``(vi, en)`` pair fills the message of each
    language with its own text; any other value fills both.

    At most ``limit`` problems are kept for the list (default
    :data:`povlib.intake.limits.MAX_PROBLEMS`), the first ones by file and row;
    :meth:`total` counts them all, so that the rest can be counted, not listed.
    Messages are written only for the problems kept.

    >>> p = Problems(limit=2)
    >>> p.add_many("xa.csv", [5, 3, 4], "Khu vực", "bad_area", ["a", "b", "c"])
    >>> p.frame()["row"].tolist(), p.total()
    ([3, 4], 3)
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limits.MAX_PROBLEMS if limit is None else int(limit)
        self.parts: list[tuple[str, np.ndarray, str, str, list, dict]] = []
        self._rows: dict[tuple[str, str, str], list[np.ndarray]] = {}

    def add(self, file: str, row: int | None, column: str, check: str, value: object = "", **kw) -> None:
        """Record one problem (``row`` None: the file as a whole)."""
        self.add_many(file, [row], column, check, [value], **kw)

    def add_many(self, file: str, rows: Iterable, column: str, check: str, values: Iterable, **kw) -> None:
        """Record the same check failing on several rows, one value per row."""
        keys = _row_keys(rows)
        if not len(keys):
            return
        self._rows.setdefault((file, column, check), []).append(keys)
        first = np.argsort(keys, kind="stable")[: self.limit]  # only these can be among the first listed
        values = list(values)
        kept = [values[i] for i in first]
        self.parts.append((file, keys[first], column, check, kept, kw))

    def total(self) -> int:
        """How many problems were recorded (each cell and check once), listed or not."""
        return int(sum(len(np.unique(np.concatenate(v))) for v in self._rows.values()))

    def file_level(self) -> bool:
        """Whether a problem concerns the file as a whole or its header row (listed or not)."""
        return any(bool(((k == -1) | (k == 1)).any()) for v in self._rows.values() for k in v)

    def _part_frame(self, file: str, rows: np.ndarray, column: str, check: str, values: list, kw: dict
                    ) -> pd.DataFrame:
        values = ["" if (v is None or (not isinstance(v, str) and pd.isna(v))) else str(v) for v in values]
        key = f"intake.err.{check}"
        # messages may name the value: format per distinct value only (few), then map
        kw_vi = {k: (v[0] if isinstance(v, tuple) else v) for k, v in kw.items()}
        kw_en = {k: (v[1] if isinstance(v, tuple) else v) for k, v in kw.items()}
        fmt = {v: (t(key, "vi", column=column, value=v, **kw_vi), t(key, "en", column=column, value=v, **kw_en))
               for v in dict.fromkeys(values)}
        return pd.DataFrame({
            "file": file,
            "row": pd.array([None if r < 0 else int(r) for r in rows], dtype="Int64"),
            "column": column,
            "check": check,
            "value": values,
            "message_vi": [fmt[v][0] for v in values],
            "message_en": [fmt[v][1] for v in values],
        })

    def frame(self) -> pd.DataFrame:
        """The first ``limit`` problems (:data:`ERROR_COLUMNS`), by file and row, file-level ones first."""
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str") for c in ERROR_COLUMNS})
        df = pd.concat([self._part_frame(*part) for part in self.parts], ignore_index=True)
        df = df.drop_duplicates(["file", "row", "column", "check"])
        df = df.sort_values(["file", "row"], kind="stable", na_position="first")
        return df.head(self.limit).reset_index(drop=True)


def check_name(check: str, lang: str = "vi") -> str:
    """The name of a check in ``lang`` (catalog ``intake.check.<check>``), for people; the code itself if unnamed.

    >>> check_name("empty_file"), check_name("empty_file", "en"), check_name("")
    ('Tệp rỗng', 'Empty file', '')
    """
    key = f"intake.check.{check}"
    return t(key, lang) if check and has(key) else check


def error_report(intake: Intake, lang: str = "vi", *, codes: bool = False) -> pd.DataFrame:
    """The error list with headers in ``lang`` and the message of that language first.

    The check column names each check in ``lang`` (:func:`check_name`); ``codes=True`` (the
    downloads) adds the check's code in a technical last column, for whoever fixes the checks.
    """
    e = intake.errors
    cols = {"file": t("intake.col.file", lang), "row": t("intake.col.row", lang),
            "column": t("intake.col.column", lang), "value": t("intake.col.value", lang),
            f"message_{lang}": t("intake.col.message", lang), "check": t("intake.col.check", lang),
            "check_code": t("intake.col.check_code", lang)}
    other = "message_en" if lang == "vi" else "message_vi"
    e = e[["file", "row", "column", "value", f"message_{lang}", "check", other]].copy()
    names = {c: check_name(c, lang) for c in e["check"].astype(str).unique()}
    e["check_code"] = e["check"].astype(str)
    e["check"] = e["check_code"].map(names)
    rest = intake.n_problems - len(intake.errors)
    if rest > 0:  # the list stops after MAX_PROBLEMS: one last line counts the rest
        more = {x: t("intake.more_problems", x, n=fmt_int(rest, x), limit=fmt_int(len(intake.errors), x))
                for x in ("vi", "en")}
        e = pd.concat([e, pd.DataFrame({"file": [intake.file_name], "row": pd.array([None], dtype="Int64"),
                                        "column": [""], "value": [""], f"message_{lang}": [more[lang]],
                                        "check": [""], other: [more["en" if lang == "vi" else "vi"]],
                                        "check_code": [""]})],
                      ignore_index=True)
    if not codes:
        e = e.drop(columns="check_code")
    out = e.rename(columns=cols)
    return out.rename(columns={other: t("intake.col.message_other", lang)})


def errors_to_csv_bytes(intake: Intake, lang: str = "vi") -> bytes:
    """The error report as CSV (UTF-8 with BOM, formulas neutralised)."""
    return to_csv_bytes(error_report(intake, lang, codes=True))


def errors_to_xlsx_bytes(intake: Intake, lang: str = "vi", *, show_names: bool = True) -> bytes:
    """The error report as an Excel workbook (errors, then the rejected rows as read).

    ``show_names=False`` masks the head's name and ID number in the rejected rows.
    """
    sheets = {t("intake.sheet.errors", lang): error_report(intake, lang, codes=True)}
    rej = intake.rejected_rows  # as the file wrote them, under its own headers
    if len(rej) and not show_names:
        rej = rej.copy()
        for c in ("head_name", "id_number", *getattr(intake, "personal_headers", ())):
            if c in rej:
                rej[c] = rej[c].where(rej[c].isna() | (rej[c].astype("string").str.strip() == ""),
                                      t("general.masked", lang))
    if len(rej):
        specs = {s.name: s for s in _schema.columns("household")}
        r = rej.rename(columns={c: specs[c].header(lang) for c in rej.columns if c in specs})
        r = r.rename(columns={"_row": t("intake.col.row", lang)})
        sheets[t("intake.sheet.rejected", lang)] = r.astype(object).where(r.notna(), "")
    title = [t("intake.report_title", lang, file=intake.file_name)]
    return to_xlsx_bytes(sheets, title)


def dash_missing(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """A table for a screen: the columns with a missing cell as text, the missing cells as a dash.

    A screen table shows a missing cell as ``None`` (Streamlit) or ``nan``: the columns
    that have one become text – numbers in the language's format (``1.234``), a dash
    (``–``) where nothing is – and the other columns are left as they are.

    Examples
    --------
    >>> df = pd.DataFrame({"row": pd.array([None, 1234], dtype="Int64"), "x": [0.5, None], "s": ["a", None],
    ...                    "n": [1, 2]})
    >>> dash_missing(df).values.tolist()
    [['–', '0,50', 'a', 1], ['1.234', '–', '–', 2]]
    """
    out = df.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        missing = col.isna()
        if not missing.any():
            continue
        if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
            whole = bool((col.dropna() % 1 == 0).all())
            text = [DASH if m else (fmt_int(v, lang) if whole else fmt_num(v, lang, 2))
                    for v, m in zip(col.tolist(), missing.tolist())]
        else:
            text = [DASH if m else str(v) for v, m in zip(col.tolist(), missing.tolist())]
        out.isetitem(j, pd.Series(text, index=out.index, dtype=object))
    return out


