"""The list of extremely difficult communes (*xã đặc biệt khó khăn*), shipped with the rules.

People living in an extremely difficult commune (of every ethnicity) already
receive state-paid health insurance (docs/poverty-rules.md §4), so the
health-insurance policies count them as ``already_covered``, and the net count
is unconfirmed while the commune's row is (see
:func:`povlib.planning.eligibility`). The list is
``povlib/rules/policies/extremely_difficult_communes.csv``
(:data:`DIFFICULT_FILE`); the bundled one is an illustrative assumption, every
row ``confirmed = false``.

Examples
--------
>>> dc = load_difficult_communes()
>>> len(dc), bool(dc["confirmed"].any())
(22, False)
>>> s = difficult_status(dc, ["02023", "99999"])
>>> s.confirmed, s.listed_names[:2], s.missing
(False, ['Xã Bản Thi', 'Xã Bình Trung'], 1)
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import PovlibInputError, unreadable
from ..sorting import vi_sorted
from ..textfile import read_utf8

__all__ = ["DIFFICULT_FILE", "DifficultStatus", "difficult_status", "load_difficult_communes"]

#: the shipped list (read-only)
DIFFICULT_FILE = paths.RULES_DIR / "policies" / "extremely_difficult_communes.csv"
#: accepted spellings of the yes/no cells of the list (lower-cased; Vietnamese input, not UI text)
BOOL_TEXT = {"true": True, "false": False, "1": True, "0": False, "có": True, "không": False}


def load_difficult_communes(path: str | Path | None = None) -> pd.DataFrame:
    """Read the list of extremely difficult communes (``commune_code`` as 5-digit text).

    Columns: ``commune_code``, ``commune_name``, ``extremely_difficult`` (bool),
    ``confirmed`` (bool), ``source``, notes. The bundled file is an
    illustrative assumption (all rows ``confirmed = false``).
    """
    p = Path(path) if path is not None else DIFFICULT_FILE
    if not p.exists():
        raise PovlibInputError.from_key("plan.err.difficult_missing_file", path=str(p))
    text = read_utf8(p)  # a folder or another encoding: said so
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - a damaged or empty file gets a message, not a traceback
        raise unreadable(p.name, "csv", exc) from exc
    need = ["commune_code", "extremely_difficult", "confirmed"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise PovlibInputError.from_key("plan.err.difficult_columns", column=missing[0], file=p.name,
                                        columns=", ".join(missing))
    out = df.copy()
    for col in ("extremely_difficult", "confirmed"):
        low = out[col].str.strip().str.lower()
        val = low.map(BOOL_TEXT)
        bad = val.isna()
        if bad.any():
            rows = [int(i) + 2 for i in np.flatnonzero(bad.to_numpy())[:5]]  # 1-based + header line
            raise PovlibInputError.from_key("plan.err.difficult_bool", column=col, rows=rows, file=p.name,
                                            col=col, lines=str(rows))
        out[col] = val.astype(bool)
    code = out["commune_code"].str.strip()
    bad = ~code.str.fullmatch(r"\d{5}")
    if bad.any():
        rows = [int(i) + 2 for i in np.flatnonzero(bad.to_numpy())[:5]]
        raise PovlibInputError.from_key("plan.err.difficult_code", column="commune_code", rows=rows, file=p.name,
                                        lines=str(rows))
    out["commune_code"] = code
    # the review year whose units the codes name (a code means a unit only with its period): blank = any year
    year = pd.to_numeric(out["unit_year"].str.strip(), errors="coerce") if "unit_year" in out else \
        pd.Series(np.nan, index=out.index)
    bad = (year.isna() & out.get("unit_year", pd.Series("", index=out.index)).str.strip().ne("")).to_numpy()
    if bad.any():
        rows = [int(i) + 2 for i in np.flatnonzero(bad)[:5]]
        raise PovlibInputError.from_key("plan.err.difficult_year", column="unit_year", rows=rows, file=p.name,
                                        lines=str(rows))
    out["unit_year"] = year.astype("Int64")
    return out


@dataclass(frozen=True)
class DifficultStatus:
    """What the page and the workbook say about the list.

    Attributes
    ----------
    confirmed : bool
        Every row of the list is confirmed.
    listed_names : list of str
        Names (codes when the name column is absent) of the communes marked
        extremely difficult, in file order.
    missing : int
        Communes of the data that the list does not mention (treated as not listed).
    """

    confirmed: bool
    listed_names: list[str]
    missing: int


def difficult_status(difficult: pd.DataFrame, codes_in_view: Iterable[str] = ()) -> DifficultStatus:
    """Summarise a :func:`load_difficult_communes` table for the communes ``codes_in_view``."""
    listed = difficult[difficult["extremely_difficult"]]
    names = vi_sorted(listed.get("commune_name", listed["commune_code"]).astype(str))
    missing = set(map(str, codes_in_view)) - set(difficult["commune_code"])
    return DifficultStatus(bool(difficult["confirmed"].all()), names, len(missing))
