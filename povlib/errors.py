"""Errors raised by povlib for input it cannot use.

Every error carries a Vietnamese message (``str(err)``), an English one
(``err.message_en``), and where it applies the column and the first offending
rows, so that a page or the command line can show exactly what is wrong.
"""
from __future__ import annotations

from collections.abc import Sequence

from .i18n import t

__all__ = ["PovlibInputError", "os_reason", "unreadable"]


class PovlibInputError(ValueError):
    """Input that povlib refuses rather than guesses about.

    Parameters
    ----------
    message_vi : str
        The message in Vietnamese (also ``str(err)``).
    message_en : str
        The same message in English.
    column : str, optional
        The column at fault.
    rows : sequence, optional
        Labels (index values) of the first offending rows.
    """

    def __init__(
        self,
        message_vi: str,
        message_en: str,
        *,
        column: str | None = None,
        rows: Sequence | None = None,
    ) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en
        self.column = column
        self.rows = list(rows) if rows is not None else []

    @classmethod
    def from_key(cls, key: str, /, *, column: str | None = None, rows: Sequence | None = None,
                 **kwargs) -> PovlibInputError:
        """The error whose message is the catalog string ``key`` in both languages.

        Examples
        --------
        >>> err = PovlibInputError.from_key("cli.error", msg="x")
        >>> err.message("vi") == str(err)
        True
        """
        return cls(t(key, "vi", **kwargs), t(key, "en", **kwargs), column=column, rows=rows)

    def message(self, lang: str = "vi") -> str:
        """Return the message in ``lang`` ('vi' or 'en')."""
        return self.message_en if lang == "en" else self.message_vi


def first_rows(mask, index, n: int = 5) -> list:
    """Return up to ``n`` index labels where boolean ``mask`` is true."""
    import numpy as np

    pos = np.flatnonzero(np.asarray(mask))[:n]
    return [index[p] for p in pos]


def os_reason(err: OSError, lang: str = "vi") -> str:
    """Why the operating system refused a file, in ``lang`` (``sec.os.<errno name>`` of the catalog; the
    system's own words, in English, for a reason the catalog does not name).

    Examples
    --------
    >>> os_reason(FileNotFoundError(2, "No such file or directory", "a.xlsx"))
    'không có tệp hoặc thư mục này'
    >>> os_reason(OSError(5, "Input/output error"), "en")
    'Input/output error'
    """
    import errno

    from .i18n import has, t

    name = errno.errorcode.get(err.errno) if err.errno is not None else None
    if name and has(f"sec.os.{name}"):
        return t(f"sec.os.{name}", lang)
    return err.strerror or str(err)


#: the reason a reader library gives, by the name of its exception, in the catalog (``sec.reader.<name>``)
_READER_REASONS = ("EmptyDataError", "ParserError", "UnicodeDecodeError", "ArrowInvalid", "BadZipFile",
                   "InvalidFileException", "CalamineError", "XLRDError", "OSError", "ValueError")


def unreadable(name: str, kind: str, exc: BaseException) -> PovlibInputError:
    """The error for a file a reader library could not read: ``sec.unreadable`` with the library's reason in
    each language (``sec.reader.<exception>`` of the catalog where it has one, else its own words).

    Examples
    --------
    >>> import pandas as pd
    >>> err = unreadable("h.csv", "csv", pd.errors.EmptyDataError("No columns to parse from file"))
    >>> "EmptyDataError" in str(err), "(tệp không có dữ liệu)" in str(err)
    (False, True)
    """
    from .i18n import has, t

    kind_name = type(exc).__name__
    detail = {lang: (t(f"sec.reader.{kind_name}", lang) if kind_name in _READER_REASONS and has(f"sec.reader.{kind_name}")
                     else f"{kind_name}: {str(exc)[:200]}") for lang in ("vi", "en")}
    return PovlibInputError(*(t("sec.unreadable", lang, name=name, kind=kind, detail=detail[lang]) for lang in ("vi", "en")))
