"""The frame of a printed report or plan: issuing body, national title, place and date, signatures.

An administrative document (Decree 30/2020/NĐ-CP, annex I) carries, above its
title, the issuing body on the left (``UBND HUYỆN CHỢ ĐỒN``, a short rule
below it) and on the right the national title and motto (``CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM`` / ``Độc lập – Tự do – Hạnh phúc``, underlined) with the
place and date (``Chợ Đồn, ngày …… tháng …… năm ……``); below the table, the
signature block (the preparer on the left, the head of the unit on the right).

:func:`document_frame` reads them from the rows being reported: the issuing
body is the People's Committee of the one commune, else of the one district,
else of the one province the rows belong to (dots to fill by hand when they
span several). The date is left as dots, filled in when the head signs (see
``povlib/rules/reports/document.toml``: the date of an official document is
the day it is signed, not the day it is printed, and the same data gives the
same file). The xlsx exports (:func:`povlib.export.to_xlsx_bytes`) and the
PDF (:mod:`povlib.reports.pdf`) print the same frame.

Examples
--------
>>> import povlib
>>> demo = povlib.load_demo()
>>> fr = document_frame(demo[demo["year"] == 2019])
>>> fr.issuer, fr.place_date
('UBND HUYỆN CHỢ ĐỒN', 'Chợ Đồn, ngày …… tháng …… năm ……')
>>> document_frame(demo[demo["commune_code"] == "02020"]).issuer
'UBND THỊ TRẤN BẰNG LŨNG'
>>> [s.title for s in fr.signers]
['Người lập biểu', 'Thủ trưởng đơn vị']
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

import pandas as pd

from ..i18n import t
from ..paths import RULES_DIR
from .common import _province_names

__all__ = ["DOCUMENT_RULES_FILE", "DocumentFrame", "Signer", "document_frame", "issuing_unit", "place_name"]

#: the rules of the frame (unit types, the date, the signature titles and whether they are confirmed)
DOCUMENT_RULES_FILE = RULES_DIR / "reports" / "document.toml"


@dataclass(frozen=True)
class Signer:
    """One signature column: the title (bold) and the hint under it (italic)."""

    title: str
    hint: str


@dataclass(frozen=True)
class DocumentFrame:
    """The lines of an official document's header and signature block, in one language.

    Attributes
    ----------
    issuer : str
        The issuing body, upper case (``UBND HUYỆN CHỢ ĐỒN``).
    nation, motto : str
        The national title and the motto under it.
    place_date : str
        ``<place>, ngày …… tháng …… năm ……`` (dots filled by hand when signed).
    signers : tuple of Signer
        Left to right: the preparer, the head of the unit.
    page_label : str
        The footer's page number with ``{page}`` and ``{pages}`` placeholders (``Trang {page}/{pages}``).
    lang : str
    """

    issuer: str
    nation: str
    motto: str
    place_date: str
    signers: tuple[Signer, ...]
    page_label: str
    lang: str = "vi"


@functools.lru_cache(maxsize=1)
def _rules() -> dict:
    with open(DOCUMENT_RULES_FILE, "rb") as fh:
        return tomllib.load(fh)["document"]


def place_name(unit: str) -> str:
    """A unit's name without its type: the place of the date line.

    >>> place_name("Xã Bản Thi"), place_name("Thị trấn Bằng Lũng"), place_name("Tỉnh Bắc Kạn"), place_name("Ba Bể")
    ('Bản Thi', 'Bằng Lũng', 'Bắc Kạn', 'Ba Bể')
    """
    text = str(unit).strip()
    for kind in sorted(_rules()["unit_types"], key=len, reverse=True):
        if text.lower().startswith(kind.lower() + " "):
            return text[len(kind) + 1:].strip()
    return text


def _one(df: pd.DataFrame, code_col: str, name_col: str) -> str | None:
    if code_col not in df.columns or name_col not in df.columns or df.empty or df[code_col].nunique() != 1:
        return None
    name = df[name_col].iloc[0]
    return None if pd.isna(name) or not str(name).strip() else str(name).strip()


def issuing_unit(df: pd.DataFrame) -> str | None:
    """The unit whose People's Committee issues a report of the rows ``df``: its name, or None.

    The one commune of the rows, else their one district, else their one
    province; None when they span several provinces (or carry no unit names).

    >>> import pandas as pd
    >>> issuing_unit(pd.DataFrame({"province_code": ["06", "06"], "district_code": ["064", "064"],
    ...                            "district_name": ["Huyện Chợ Đồn"] * 2, "commune_code": ["02020", "02023"],
    ...                            "commune_name": ["Thị trấn Bằng Lũng", "Xã Xuân Lạc"]}))
    'Huyện Chợ Đồn'
    """
    unit = _one(df, "commune_code", "commune_name") or _one(df, "district_code", "district_name")
    if unit is None and "province_code" in df.columns and len(df) and df["province_code"].nunique() == 1:
        unit = _province_names().get(str(df["province_code"].iloc[0]))
    return unit


def document_frame(df: pd.DataFrame | None, lang: str = "vi") -> DocumentFrame:
    """The header and signature lines of a document about the rows ``df`` (see :func:`issuing_unit`).

    Parameters
    ----------
    df : DataFrame or None
        The rows reported (one year is enough); None or rows of several
        provinces leave the issuing body and the place as dots to fill by hand.
    lang : {'vi', 'en'}
    """
    unit = issuing_unit(df) if df is not None else None
    blank = t("doc.blank", lang)
    issuer = t("doc.issuer", lang, unit=unit or blank).upper()
    place = place_name(unit) if unit else blank
    signers = tuple(Signer(t(f"doc.sign.{s['id']}", lang), t(f"doc.sign.{s['id']}.hint", lang))
                    for s in _rules()["signers"])
    return DocumentFrame(issuer=issuer, nation=t("doc.nation", lang), motto=t("doc.motto", lang),
                         place_date=t("doc.place_date", lang, place=place), signers=signers,
                         page_label=t("doc.page", lang), lang=lang)
