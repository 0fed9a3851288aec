"""Review templates (XLSX with notes) and exporting households in the template layout.

The templates are generated from the column table (:mod:`povlib.intake.schema`):
sheet 1 holds the Vietnamese headers (each with its English header and
description as a comment, drop-down lists for the coded columns, text format
for codes), sheet 2 the notes – every column, whether it is required, what it
holds. :func:`export_to_template` writes households (e.g. the demo panel) in
the same layout, XLSX or CSV, so that they read back unchanged;
:func:`encode_cp1258` writes Windows-1258 as Windows does.

Examples
--------
>>> [s.vi for s in template_columns("member")][:3]
['Mã hộ', 'Năm rà soát', 'STT thành viên']
>>> template_bytes("member")[:2]
b'PK'
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .. import standards as _standards
from ..export import write_bytes_atomic
from ..i18n import t
from ..standards import DEFAULT_STANDARD
from . import schema as _schema
from .limits import MAX_FILE_MB
from .values import bound_text

__all__ = ["TEMPLATE_DIR", "TEMPLATE_STANDARDS", "encode_cp1258", "export_to_template", "template_bytes",
           "template_columns", "template_name", "write_templates"]

#: Where the blank templates live (``data/templates/``).
TEMPLATE_DIR = paths.TEMPLATE_DIR
#: The template's spelling of coded values (the Vietnamese cell values a commune types).
_AREA_CELLS = {"rural": "Nông thôn", "urban": "Thành thị"}
_BOOL_CELLS = {True: "Có", False: "Không"}
_SEX_CELLS = {"male": "Nam", "female": "Nữ"}
#: kinds written as text cells (the others are numbers)
_TEXT_KINDS = ("text", "code", "area", "bool", "sex", "standard")


def template_columns(table: str = "household", standard: str = DEFAULT_STANDARD) -> list[_schema.ColumnSpec]:
    """Columns of the template: all of ``table`` except other standards' indicators.

    The scores take the names of the standard's form (Decree 07/2021: *Điểm A*, *Điểm B*).

    >>> [s.vi for s in template_columns("household", "ND07_2021") if s.name in ("b1_score", "b2_score")]
    ['Điểm A', 'Điểm B']
    >>> [s.name for s in template_columns("household", "ND07_2021") if s.kind == "indicator"][:3]
    ['employment', 'dependants', 'nutrition']
    """
    std = _standards.get(standard)
    ids = std.indicator_ids
    specs = [s for s in _schema.columns(table) if s.kind != "indicator" or s.name in ids]
    # the standard's order, labels and definitions (every standard's label is accepted when reading)
    inds = [replace(s, vi=std.indicator(s.name).label("vi"), en=std.indicator(s.name).label("en"),
                    description_vi=t("intake.indicator_description", "vi", definition=std.indicator(s.name).definition("vi")),
                    description_en=t("intake.indicator_description", "en", definition=std.indicator(s.name).definition("en")))
            for s in sorted((s for s in specs if s.kind == "indicator"), key=lambda s: ids.index(s.name))]
    if inds:
        at = next(i for i, s in enumerate(specs) if s.kind == "indicator")
        rest = [s for s in specs if s.kind != "indicator"]
        specs = rest[:at] + inds + rest[at:]
    names = _schema.score_names(standard) if table == "household" else {}
    specs = [replace(s, **_renamed(names[s.name])) if s.name in names else s for s in specs]
    return [replace(s, **_income_text(standard)) if s.name == "income" else s for s in specs]


def _income_text(standard: str) -> dict[str, str]:
    """The income column's description under ``standard``: with its score's name, or required where the
    standard has no score-A thresholds (Decree 351/2025)."""
    key = "intake.income_text.or_score" if _standards.get(standard).scores else "intake.income_text.required"
    return {f"description_{lang}": t(key, lang, score=_schema.score_header("b1_score", standard, lang)) for lang in ("vi", "en")}


def _renamed(key: str) -> dict[str, str]:
    """Header and description of a score column under its form's name (catalog ``intake.score_name.<key>.*``)."""
    return {"vi": t(f"intake.score_name.{key}.header", "vi"), "en": t(f"intake.score_name.{key}.header", "en"),
            "description_vi": t(f"intake.score_name.{key}.description", "vi"),
            "description_en": t(f"intake.score_name.{key}.description", "en")}


def _kind_label(s: _schema.ColumnSpec, lang: str) -> str:
    key = f"intake.kind.{s.kind}"
    base = t(key, lang)
    if s.min is not None and s.max is not None and s.kind == "int":
        base += f" ({bound_text(s.min)}–{bound_text(s.max)})"
    return base


def _required_label(s: _schema.ColumnSpec, lang: str, standard: str = DEFAULT_STANDARD) -> str:
    """Whether a column is required, the scores named as ``standard``'s form names them.

    >>> income = next(s for s in _schema.columns() if s.name == "income")
    >>> _required_label(income, "vi", "ND07_2021"), _required_label(income, "vi", "QD59_2015")
    ('Cần thu nhập hoặc Điểm A', 'Cần thu nhập hoặc Điểm B1')
    >>> _required_label(income, "vi", "ND351_2025")
    'Bắt buộc (chuẩn này chưa có ngưỡng Điểm A được công bố hoặc xác nhận)'
    >>> _required_label(next(s for s in _schema.columns() if s.name == "b1_score"), "vi", "ND351_2025")
    'Không dùng để phân loại (chuẩn này chưa có ngưỡng Điểm A được công bố hoặc xác nhận)'
    """
    if s.required == "income_or_b1":
        score = _schema.score_header("b1_score", standard, lang)
        if _standards.get(standard).scores:
            return t("intake.required.income_or_b1", lang, score=score)
        return t("intake.required.income_only" if s.name == "income" else "intake.required.score_unusable", lang,
                 score=score)
    if s.required == "indicators_or_b2":
        return t("intake.required.indicators_or_b2", lang, score=_schema.score_header("b2_score", standard, lang))
    return t(f"intake.required.{s.required}", lang)


def template_bytes(table: str = "household", data: pd.DataFrame | None = None,
                   standard: str = DEFAULT_STANDARD) -> bytes:
    """An XLSX template (sheet 1: data with Vietnamese headers; sheet 2: notes).

    Parameters
    ----------
    table : {'household', 'member'}
    data : DataFrame, optional
        Rows to fill in (canonical columns), e.g. the demo panel: see :func:`export_to_template`.
    """
    specs = template_columns(table, standard)
    buf = io.BytesIO()
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
                ws.data_validation(1, j, last, j, {"validate": "list", "source": list(_AREA_CELLS.values())})
            elif s.kind == "bool":
                ws.data_validation(1, j, last, j, {"validate": "list", "source": list(_BOOL_CELLS.values())})
            elif s.kind == "indicator":
                ws.data_validation(1, j, last, j, {"validate": "list", "source": ["0", "1"]})
            elif s.kind == "sex":
                ws.data_validation(1, j, last, j, {"validate": "list", "source": list(_SEX_CELLS.values())})
        if data is not None and n:
            cells = _template_values(data, specs)
            for j, s in enumerate(specs):
                col = cells[s.name]
                if s.kind in _TEXT_KINDS:
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
            vals = [s.vi, s.en, s.name, _required_label(s, "vi", standard), _kind_label(s, "vi"), s.description("vi"),
                    s.description("en")]
            for j, v in enumerate(vals):
                notes.write_string(i, j, v, wrap)
        for j, w in enumerate([30, 30, 20, 26, 22, 60, 60]):
            notes.set_column(j, j, w)
    return buf.getvalue()


def _template_values(data: pd.DataFrame, specs: list[_schema.ColumnSpec]) -> dict[str, list]:
    """Cell values of ``data`` in the template's spelling (Vietnamese area and yes/no)."""
    out = {}
    for s in specs:
        if s.name not in data:
            out[s.name] = [None] * len(data)
            continue
        col = data[s.name]
        if s.kind == "area":
            v = col.astype("string").map(_AREA_CELLS)
        elif s.kind == "bool":
            v = col.astype("boolean").map(_BOOL_CELLS)
        elif s.kind == "sex":
            v = col.astype("string").map(_SEX_CELLS)
        elif s.kind in ("text", "code", "standard"):
            v = col.astype("string")
        else:  # numbers as Python floats, NA as None (one conversion per column, no loop over the rows)
            num = pd.to_numeric(col).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
            out[s.name] = np.where(np.isnan(num), None, num.astype(object)).tolist()
            continue
        out[s.name] = v.astype(object).to_numpy(dtype=object, na_value=None).tolist()
    return out


def export_to_template(data: pd.DataFrame, path: str | Path | None = None, *, fmt: str = "xlsx",
                       encoding: str = "utf-8-sig", standard: str = DEFAULT_STANDARD) -> bytes:
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
            if s.kind not in _TEXT_KINDS:
                df[s.vi] = pd.to_numeric(df[s.vi]).astype("Int64")
        text = df.to_csv(index=False)
        payload = encode_cp1258(text) if encoding.replace("-", "").lower() in ("cp1258", "windows1258") \
            else text.encode(encoding)
    if path is not None:
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


def template_name(table: str = "household", standard: str = DEFAULT_STANDARD) -> str:
    """File name of a blank template: ``household_template.xlsx`` for the default standard,
    ``household_template_<standard>.xlsx`` for the others (the member template is one for all).

    >>> template_name(), template_name("household", "ND07_2021"), template_name("member", "ND07_2021")
    ('household_template.xlsx', 'household_template_ND07_2021.xlsx', 'member_template.xlsx')
    """
    if table != "household" or standard == DEFAULT_STANDARD:
        return f"{table}_template.xlsx"
    return f"{table}_template_{standard}.xlsx"


#: Standards with a household template of their own (the built-in ones with review years).
TEMPLATE_STANDARDS = (DEFAULT_STANDARD, "ND07_2021", "ND351_2025")


def write_templates(directory: str | Path = TEMPLATE_DIR) -> list[Path]:
    """(Re)generate the household templates (one per :data:`TEMPLATE_STANDARDS`) and the member template."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    out = [write_bytes_atomic(d / template_name("household", std), template_bytes("household", standard=std))
           for std in TEMPLATE_STANDARDS]
    return out + [write_bytes_atomic(d / template_name("member"), template_bytes("member"))]
