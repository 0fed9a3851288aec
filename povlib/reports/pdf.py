"""Reports and the support plan as PDF for printing and signing (WeasyPrint, HTML and CSS).

A printed report is an official document: every table starts with the frame
of :mod:`povlib.reports.document` (issuing body over a short rule on the left;
the national title, the underlined motto and the place and date on the
right), then its title lines, the table, the notes and the signature block
(the preparer on the left, the head of the unit on the right). Pages are A4,
landscape where the table is wide (:func:`is_wide`), portrait otherwise; the
table header is repeated on every page and the footer says ``Trang x/y``.
Numbers are in the Vietnamese format (``1.234``, ``15,86``) and right-aligned.

The HTML is built here from escaped text only (every value and label goes
through :func:`html.escape`); the only resources WeasyPrint may load are the
font files (Noto Serif and Noto Sans of Debian's ``fonts-noto-core``, found by
path, else through fontconfig), so a name in the data can neither inject markup
nor make the renderer fetch anything.

* :func:`report_pdf` – a :class:`~povlib.reports.ReportBundle`, one form per
  sheet, each with its header and signatures;
* :func:`plan_pdf` – a :class:`~povlib.planning.PlanBundle`: the header and the
  plan's titles once, every sheet under its name, the notes and the signatures
  at the end;
* :func:`document_pdf` – the engine: :class:`Part` tables in one document.

Examples
--------
>>> import pandas as pd
>>> from povlib.reports.document import document_frame
>>> part = Part(pd.DataFrame({"Xã": ["Xã Bản Thi"], "Số hộ": [1234]}), titles=("Báo cáo",))
>>> data = document_pdf([part], document_frame(None), title="Báo cáo")
>>> data[:5]
b'%PDF-'
>>> is_wide(part.table)
False
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import PovlibInputError
from ..i18n import fmt_int, fmt_num, t
from .document import DocumentFrame

__all__ = ["FONT_DIRS", "Part", "document_pdf", "is_wide", "plan_pdf", "report_pdf"]

#: where the Noto fonts are looked for (Debian's fonts-noto-core); fontconfig is asked when they are not there
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"), Path("/usr/share/fonts/opentype/noto"))
_FACES = {  # family -> ((weight, style, file stem), ...)
    "Noto Serif": ((400, "normal", "NotoSerif-Regular"), (700, "normal", "NotoSerif-Bold"),
                   (400, "italic", "NotoSerif-Italic"), (700, "italic", "NotoSerif-BoldItalic")),
    "Noto Sans": ((400, "normal", "NotoSans-Regular"), (700, "normal", "NotoSans-Bold"),
                  (400, "italic", "NotoSans-Italic"), (700, "italic", "NotoSans-BoldItalic")),
}
#: more columns than this, or an estimated width over :data:`_PORTRAIT_CHARS`: landscape
_PORTRAIT_COLS = 7
_PORTRAIT_CHARS = 120
#: text columns whose values are all this short are never wrapped (unit names, villages)
_NOWRAP_CHARS = 24


@dataclass(frozen=True)
class Part:
    """One table of a document with what is printed around it.

    Attributes
    ----------
    table : DataFrame
        Display table (a two-level column MultiIndex gives a grouped header).
    heading : str
        A line between the titles and the table (the sheet name in the plan), optional.
    titles, notes : tuple of str
        Lines above (the first one large and bold) and below the table.
    bold_rows : tuple of int
        Row positions printed in bold (sections and totals).
    header, signatures : bool
        Print the official header above / the signature block below this part.
    """

    table: pd.DataFrame
    heading: str = ""
    titles: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    bold_rows: tuple[int, ...] = ()
    header: bool = True
    signatures: bool = True


#: How many of a part's last notes are printed on the page of its signatures (so that they never stand alone).
_NOTES_WITH_SIGNATURES = 2


def _e(value: object) -> str:
    """Escaped text of one value (None and NaN: empty)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def _css_string(text: str) -> str:
    """A CSS string literal of ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def _font_faces() -> str:
    """``@font-face`` rules for the Noto files found by path (fontconfig finds them by name otherwise)."""
    rules = []
    for family, faces in _FACES.items():
        for weight, style, stem in faces:
            path = next((d / f"{stem}.ttf" for d in FONT_DIRS if (d / f"{stem}.ttf").is_file()), None)
            src = f"url({_css_string(path.as_uri())}), " if path else ""
            rules.append(f"@font-face {{ font-family: {_css_string(family)}; font-weight: {weight}; "
                         f"font-style: {style}; src: {src}local({_css_string(family)}); }}")
    return "\n".join(rules)


def _allowed_fonts() -> set[str]:
    return {(d / f"{stem}.ttf").as_uri() for d in FONT_DIRS for faces in _FACES.values() for *_, stem in faces}


def _labels(columns: pd.Index) -> list[list[str]]:
    if isinstance(columns, pd.MultiIndex):
        return [["" if v is None else str(v) for v in columns.get_level_values(i)] for i in range(columns.nlevels)]
    return [[str(c) for c in columns]]


def is_wide(table: pd.DataFrame) -> bool:
    """Whether a table needs an A4 landscape page (many columns, or long texts in them).

    >>> import pandas as pd
    >>> is_wide(pd.DataFrame(columns=[f"c{i}" for i in range(12)])), is_wide(pd.DataFrame({"a": [1]}))
    (True, False)
    """
    if table.shape[1] > _PORTRAIT_COLS:
        return True
    chars = 0
    last = _labels(table.columns)[-1]
    for c in range(table.shape[1]):
        s = table.iloc[:2000, c]
        longest = int(s.astype(str).str.len().max()) if len(s) else 0
        head = max((len(w) for w in last[c].split()), default=4)
        chars += max(min(longest, 40), head, 4) + 2
    return chars > _PORTRAIT_CHARS


def _formatter(s: pd.Series, label: str, lang: str):
    """(format function, numeric?) for one column: Vietnamese numbers, right-aligned."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return (lambda v: t("hh.yes", lang) if v is True or v is np.True_ else ""), False
    if pd.api.types.is_integer_dtype(s.dtype):
        return (lambda v: "" if pd.isna(v) else fmt_int(v, lang)), True
    if pd.api.types.is_float_dtype(s.dtype):
        vals = s.dropna().to_numpy(dtype=float)
        whole = "%" not in label and len(vals) and bool(np.all(np.isfinite(vals) & (vals == np.round(vals))))
        if whole:
            return (lambda v: "" if pd.isna(v) else fmt_int(int(round(v)), lang)), True
        return (lambda v: "" if pd.isna(v) else fmt_num(v, lang, 2)), True
    return _e, False


def _thead(columns: pd.Index) -> str:
    rows = _labels(columns)
    n = len(rows[0])
    if len(rows) == 1:
        return "<thead><tr>" + "".join(f"<th>{_e(c)}</th>" for c in rows[0]) + "</tr></thead>"
    top, sub = rows[0], rows[-1]
    first, second = [], []
    c = 0
    while c < n:
        end = c
        while end + 1 < n and top[c] and top[end + 1] == top[c]:
            end += 1
        if end == c and (not sub[c] or sub[c] == top[c]):
            first.append(f'<th rowspan="2">{_e(top[c] or sub[c])}</th>')
        elif end == c:
            first.append(f"<th>{_e(top[c])}</th>")
            second.append(f"<th>{_e(sub[c])}</th>")
        else:
            first.append(f'<th colspan="{end - c + 1}">{_e(top[c])}</th>')
            second += [f"<th>{_e(sub[k])}</th>" for k in range(c, end + 1)]
        c = end + 1
    return f"<thead><tr>{''.join(first)}</tr><tr>{''.join(second)}</tr></thead>"


def _table(df: pd.DataFrame, bold_rows: Sequence[int], lang: str) -> str:
    df = df.reset_index(drop=True)
    last = _labels(df.columns)[-1]
    flat = [" ".join(p for p in dict.fromkeys(lv)) for lv in zip(*_labels(df.columns))]
    cols = []
    for c in range(df.shape[1]):
        fmt, numeric = _formatter(df.iloc[:, c], flat[c] or last[c], lang)
        cells = [fmt(v) for v in df.iloc[:, c].tolist()]
        short = not numeric and max((len(x) for x in cells), default=0) <= _NOWRAP_CHARS
        cols.append((cells, ' class="n"' if numeric else (' class="s"' if short else "")))
    bold = set(bold_rows)
    body = []
    for r in range(len(df)):
        tds = "".join(f"<td{cls}>{cells[r]}</td>" for cells, cls in cols)
        body.append(f'<tr class="b">{tds}</tr>' if r in bold else f"<tr>{tds}</tr>")
    return f'<table class="data">{_thead(df.columns)}<tbody>{"".join(body)}</tbody></table>'


def _header(frame: DocumentFrame) -> str:
    return ('<table class="doc-head"><tr>'
            f'<td class="left"><div class="issuer">{_e(frame.issuer)}</div><div class="rule"></div></td>'
            f'<td class="right"><div class="nation">{_e(frame.nation)}</div>'
            f'<div class="motto"><span>{_e(frame.motto)}</span></div>'
            f'<div class="place">{_e(frame.place_date)}</div></td>'
            "</tr></table>")


def _signatures(frame: DocumentFrame) -> str:
    cells = "".join(f'<td><div class="who">{_e(s.title)}</div><div class="hint">{_e(s.hint)}</div></td>'
                    for s in frame.signers)
    return f'<table class="sign"><tr>{cells}</tr></table>'


_CSS = """
@page { size: A4 portrait; margin: 12mm 12mm 14mm 14mm;
        @bottom-center { content: PAGE_LABEL; font: 8pt "Noto Sans"; color: #333; } }
@page wide { size: A4 landscape; }
html { font-family: "Noto Serif", serif; font-size: 10pt; color: #000; }
.part { break-before: page; page: tall; }
.part:first-child { break-before: auto; }
.part.wide { page: wide; }
table.doc-head { width: 100%; border-collapse: collapse; margin-bottom: 3mm; }
table.doc-head td { vertical-align: top; text-align: center; padding: 0; }
table.doc-head td.left { width: 40%; }
.issuer { font-weight: bold; font-size: 10.5pt; }
.rule { width: 30%; margin: 1.2mm auto 0; border-top: 0.6pt solid #000; }
.nation { font-weight: bold; font-size: 10.5pt; }
.motto { font-weight: bold; font-size: 11pt; }
.motto span { border-bottom: 0.6pt solid #000; padding-bottom: 0.6mm; }
.place { font-style: italic; margin-top: 2mm; }
h2.heading { font: bold 10pt "Noto Sans"; margin: 0 0 2mm; }
.titles { text-align: center; margin-bottom: 2.5mm; line-height: 1.25; }
.titles .t0 { font-weight: bold; font-size: 12pt; }
.titles .tn { font-size: 9.5pt; }
table.data { width: 100%; border-collapse: collapse; font: 7.5pt/1.25 "Noto Sans", sans-serif; }
table.data th, table.data td { border: 0.5pt solid #000; padding: 0.5mm 1mm; vertical-align: top; }
table.data th { font-weight: bold; background: #e8eef4; text-align: center; vertical-align: middle; }
table.data thead { display: table-header-group; }
table.data tr { break-inside: avoid; }
table.data td.n { text-align: right; white-space: nowrap; }
table.data td.s { white-space: nowrap; }
table.data tr.b td { font-weight: bold; background: #f3f3f3; }
.notes { font: italic 7.5pt/1.3 "Noto Sans", sans-serif; margin-top: 2mm; color: #222; }
.notes p { margin: 0.5mm 0; }
.tail { break-inside: avoid; break-before: avoid; }
table.data tbody tr:last-child { break-after: avoid; }
.notes + .tail .notes { margin-top: 0; }
table.sign { width: 100%; margin-top: 4mm; break-inside: avoid; border-collapse: collapse; }
table.sign td { width: 50%; text-align: center; vertical-align: top; height: 28mm; }
.who { font-weight: bold; }
.hint { font-style: italic; font-size: 9pt; }
"""


def _page_label_css(frame: DocumentFrame) -> str:
    """``Trang x/y``: the catalog text around the page counters, as CSS ``content``."""
    label = frame.page_label
    parts: list[str] = []
    rest = label
    while rest:
        i, j = rest.find("{page}"), rest.find("{pages}")
        hits = [(k, tok) for k, tok in ((i, "{page}"), (j, "{pages}")) if k >= 0]
        if not hits:
            parts.append(_css_string(rest))
            break
        k, tok = min(hits)
        if k:
            parts.append(_css_string(rest[:k]))
        parts.append("counter(page)" if tok == "{page}" else "counter(pages)")
        rest = rest[k + len(tok):]
    return " ".join(parts) or '""'


def document_html(parts: Sequence[Part], frame: DocumentFrame, *, title: str = "") -> str:
    """The document as HTML (escaped text only), for :func:`document_pdf`."""
    lang = frame.lang
    css = _font_faces() + _CSS.replace("PAGE_LABEL", _page_label_css(frame))
    out = [f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8"><title>{_e(title)}</title>'
           f"<style>{css}</style></head><body>"]
    for part in parts:
        out.append(f'<section class="part{" wide" if is_wide(part.table) else ""}">')
        if part.header:
            out.append(_header(frame))
        if part.titles:
            lines = [f'<div class="{"t0" if i == 0 else "tn"}">{_e(x)}</div>' for i, x in enumerate(part.titles)]
            out.append(f'<div class="titles">{"".join(lines)}</div>')
        if part.heading:
            out.append(f'<h2 class="heading">{_e(part.heading)}</h2>')
        out.append(_table(part.table, part.bold_rows, lang))
        # the signatures never stand alone on a page: the last notes go with them (div.tail is not split)
        kept = part.notes[-_NOTES_WITH_SIGNATURES:] if part.signatures else ()
        flowing = part.notes[:len(part.notes) - len(kept)]
        if flowing:
            out.append('<div class="notes">' + "".join(f"<p>{_e(n)}</p>" for n in flowing) + "</div>")
        if part.signatures:
            tail = '<div class="notes">' + "".join(f"<p>{_e(n)}</p>" for n in kept) + "</div>" if kept else ""
            out.append(f'<div class="tail">{tail}{_signatures(frame)}</div>')
        out.append("</section>")
    out.append("</body></html>")
    return "".join(out)


def document_pdf(parts: Sequence[Part], frame: DocumentFrame, *, title: str = "") -> bytes:
    """Lay out ``parts`` as one PDF (A4, landscape for wide tables, ``Trang x/y``, header rows repeated).

    Raises
    ------
    PovlibInputError
        Without any part, or when the layout engine (WeasyPrint and its Pango
        library) cannot be loaded on this machine.
    """
    if not parts:
        raise PovlibInputError.from_key("export.err.no_tables")
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # Pango missing: say so instead of a traceback
        raise PovlibInputError.from_key("pdf.err.engine", error=str(exc)) from exc

    allowed = _allowed_fonts()

    class FontsOnly(URLFetcher):
        """Loads the font files and nothing else (the HTML holds no other resource)."""

        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(url)
            return super().fetch(url, headers)

    fetcher = FontsOnly(allowed_protocols=("file",))
    return HTML(string=document_html(parts, frame, title=title), url_fetcher=fetcher).write_pdf()


def report_pdf(bundle) -> bytes:
    """A :class:`~povlib.reports.ReportBundle` as PDF: every sheet a form with its header and signatures."""
    from .document import document_frame

    frame = bundle.document or document_frame(None, bundle.lang)
    parts = [Part(df, titles=tuple(bundle.titles.get(name, ())), notes=tuple(bundle.notes.get(name, ())),
                  bold_rows=tuple(bundle.total_rows.get(name, ()))) for name, df in bundle.sheets.items()]
    title = next(iter(bundle.titles.values()), [""])[0] if bundle.titles else ""
    return document_pdf(parts, frame, title=title)


def plan_pdf(bundle) -> bytes:
    """A :class:`~povlib.planning.PlanBundle` as PDF: header and titles once, each sheet under its name,
    the notes and the signatures after the last sheet."""
    from .document import document_frame

    frame = bundle.document or document_frame(None, bundle.lang)
    names = list(bundle.sheets)
    parts = [Part(bundle.sheets[name], heading=name, titles=tuple(bundle.titles) if i == 0 else (),
                  notes=tuple(bundle.notes) if i == len(names) - 1 else (), header=i == 0,
                  signatures=i == len(names) - 1)
             for i, name in enumerate(names)]
    return document_pdf(parts, frame, title=bundle.titles[0] if bundle.titles else "")
