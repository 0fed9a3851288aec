"""Tables as pages show them: numbers written the Vietnamese way (povlib.i18n) and right-aligned.

Streamlit's own number formats follow the browser's locale, not the page's language; the pages write
numbers with :mod:`povlib.i18n` (``1.234.567``, ``15,86``) and right-align those columns here.

A table of units side by side (a label column, then one column per unit) is too wide for a phone:
:func:`side_by_side_ui` draws it whole on a wide screen and, below :data:`NARROW_PX`, one two-column
table per unit under each other instead. Which of the two shows is decided by the browser (a CSS
``@media`` rule on the two containers' ``st-key-*`` classes: the server does not know the screen's
width); both are in the page.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from povlib.export import flatten_columns
from povlib.i18n import fmt_int, fmt_num

from .escape import md_escape

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

NARROW_PX = 640
"""The widest window (CSS px) that gets a table's narrow form; Streamlit stacks ``st.columns`` below it too."""


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def formatted(df: pd.DataFrame, lang: str, *, money: Iterable[str] = (), ints: Iterable[str] = (),
              decimals: Iterable[str] = (), digits: int = 2, unknown: str | None = None) -> pd.DataFrame:
    """``df`` with its number columns written as text: ``money`` whole VND grouped by thousands (the
    header names the unit; ``unknown`` for a missing amount), ``ints`` grouped by thousands, ``decimals``
    with ``digits`` decimals.

    Examples
    --------
    >>> formatted(pd.DataFrame({"a": [1234567], "b": [None]}), "vi", ints=["a"], money=["b"], unknown="?").iloc[0].tolist()
    ['1.234.567', '?']
    """
    out = df.copy()
    gap = unknown if unknown is not None else "–"
    for c in money:
        out[c] = [gap if _missing(v) else fmt_int(v, lang) for v in out[c]]
    for c in ints:
        out[c] = ["–" if _missing(v) else fmt_int(v, lang) for v in out[c]]
    for c in decimals:
        out[c] = ["–" if _missing(v) else fmt_num(v, lang, digits) for v in out[c]]
    return out


def right_aligned(columns: Iterable[str]) -> dict:
    """``column_config`` that right-aligns ``columns`` (numbers written as text)."""
    return {c: st.column_config.Column(alignment="right") for c in columns}


def _right_headers(positions: Iterable[int]) -> list[dict]:
    """``Styler.set_table_styles`` entries that right-align the headers of the columns at ``positions``
    (``!important``: Streamlit's own header style wins otherwise)."""
    return [{"selector": f"th.col_heading.col{i}", "props": [("text-align", "right !important")]} for i in positions]


def static_table(df: pd.DataFrame, right: Iterable[str] = ()) -> Styler:
    """A small reference table for ``st.table``.

    ``st.table`` draws HTML: nothing for the browser to lay out after the page's run (``st.dataframe``'s grid
    draws its canvas later), and it prints as it shows.

    Parameters
    ----------
    df : DataFrame
        The table, its numbers already written as text (:func:`formatted`, :mod:`povlib.i18n`).
    right : iterable of str
        Columns of ``df`` to right-align, cells and headers.

    Returns
    -------
    pandas.io.formats.style.Styler
        ``df``'s styler, without the index.

    Examples
    --------
    >>> df = pd.DataFrame({"Khu vực": ["Nông thôn"], "Chuẩn nghèo": ["1.500.000 đồng"]})
    >>> html = static_table(df, ["Chuẩn nghèo"]).to_html()
    >>> html.count("text-align: right") >= 2, "1.500.000 đồng" in html, "Nông thôn" in html
    (True, True, True)
    """
    right = list(right)
    cols = list(df.columns)
    styled = df.style.set_table_styles(_right_headers(cols.index(c) for c in right)).hide(axis="index")
    return styled.set_properties(subset=right, **{"text-align": "right !important"}) if right else styled


def show(df: pd.DataFrame, lang: str, *, money: Iterable[str] = (), ints: Iterable[str] = (),
         decimals: Iterable[str] = (), text_numbers: Iterable[str] = (), digits: int = 2,
         unknown: str | None = None, column_order: list[str] | None = None, **kwargs) -> None:
    """``st.dataframe`` of ``df`` with its numbers formatted (see :func:`formatted`) and right-aligned;
    ``text_numbers`` are columns already written as numbers (percentages) to right-align too."""
    money, ints, decimals, text_numbers = list(money), list(ints), list(decimals), list(text_numbers)
    shown = formatted(df, lang, money=money, ints=ints, decimals=decimals, digits=digits,
                      unknown=unknown)
    kwargs.setdefault("hide_index", True)
    st.dataframe(shown, column_config=right_aligned(money + ints + decimals + text_numbers),
                 column_order=column_order, **kwargs)


def _report_columns(df: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, Callable], list[str]]:
    """``df`` with flat headers, the writer of each number column without a gap, and the number columns.

    A number column with a gap is written out as text here (a dash for the gap); whole numbers are
    grouped by thousands, the others (rates in %) get two decimals; an all-dash column counts as a number.
    """
    flat = df.copy()
    flat.columns = flatten_columns(df.columns)

    def whole(v) -> str:
        return fmt_int(v, lang)

    def rate(v) -> str:
        return fmt_num(v, lang, 2)

    fmt: dict[str, Callable] = {}
    numbers: list[str] = []
    for col in flat.columns:
        s = flat[col]
        if pd.api.types.is_bool_dtype(s.dtype):
            continue
        if pd.api.types.is_integer_dtype(s.dtype):
            write = whole
        elif pd.api.types.is_float_dtype(s.dtype):
            write = rate
        elif len(s) and all(isinstance(v, str) and v == "–" for v in s):  # no figure at all (a first year)
            numbers.append(col)
            continue
        else:
            continue
        numbers.append(col)
        if s.isna().any():
            flat[col] = ["–" if _missing(v) else write(v) for v in s]
        else:
            fmt[col] = write
    return flat, fmt, numbers


# --- reports: numbers formatted, right-aligned ---------------------------------------------------
def report_view(df: pd.DataFrame, lang: str, bold_rows: Iterable[int] = (), *, pinned: int = 2):
    """A report sheet for ``st.dataframe``: flat headers, Vietnamese numbers right-aligned, the section and
    total rows ``bold_rows`` shaded. Returns the ``Styler`` and its ``column_config``.

    Whole numbers are grouped by thousands, the others (rates in %) have two decimals. A number column
    with a missing cell is written out as text with a dash for the gap (the grid would show ``None``, and
    a column of numbers and dashes as left-aligned text); an all-dash column is right-aligned too. The
    first ``pinned`` columns stay in view when the table scrolls sideways.

    Examples
    --------
    >>> df = pd.DataFrame({"Xã": ["A", "B"], "Số hộ": [1234, 5], "Tỷ lệ %": [6.7, None]})
    >>> sty, cfg = report_view(df, "vi", [1], pinned=1)
    >>> sty.data["Tỷ lệ %"].tolist(), "1.234" in sty.to_html()
    (['6,70', '–'], True)
    >>> sorted(k for k, v in cfg.items() if v.get("alignment") == "right"), cfg["Xã"]["pinned"]
    (['Số hộ', 'Tỷ lệ %'], True)
    """
    flat, fmt, numbers = _report_columns(df, lang)
    shade = set(bold_rows)

    def row_style(row):
        css = "font-weight: bold; background-color: rgba(128, 128, 128, 0.12)" if row.name in shade else ""
        return [css] * len(row)

    config = right_aligned(numbers)
    for c in list(flat.columns)[:pinned]:
        config[c] = st.column_config.Column(pinned=True, alignment="right" if c in numbers else None)
    return flat.style.format(fmt).apply(row_style, axis=1), config


# --- units side by side: one table on a wide screen, stacked tables on a phone ---------------------
def responsive_css(key: str, narrow_px: int = NARROW_PX) -> str:
    """The style sheet that shows container ``<key>_wide`` above ``narrow_px`` and ``<key>_narrow`` up to it.

    >>> css = responsive_css("cmp_rates")
    >>> "@media (max-width: 640px) { .st-key-cmp_rates_wide" in css
    True
    >>> "@media (min-width: 641px) { .st-key-cmp_rates_narrow" in css
    True
    """
    return ("<style>\n"
            f"@media (max-width: {narrow_px}px) {{ .st-key-{key}_wide {{display: none;}} }}\n"
            f"@media (min-width: {narrow_px + 1}px) {{ .st-key-{key}_narrow {{display: none;}} }}\n"
            "</style>")


def markdown_table(df: pd.DataFrame, right: Iterable[str] = ()) -> str:
    """``df`` (text cells) as a Markdown table, every cell escaped, the columns ``right`` right-aligned.

    A Markdown table wraps its cells to the width it has: it never scrolls sideways.

    >>> print(markdown_table(pd.DataFrame({"Chỉ tiêu": ["Tỷ lệ"], "Xã A|B": ["0,91 %"]}), right=["Xã A|B"]))
    | Chỉ tiêu | Xã A\\|B |
    | :-- | --: |
    | Tỷ lệ | 0,91 % |
    """
    right = set(right)
    lines = ["| " + " | ".join(md_escape(c) for c in df.columns) + " |",
             "| " + " | ".join("--:" if c in right else ":--" for c in df.columns) + " |"]
    lines += ["| " + " | ".join(md_escape(v) for v in row) + " |" for row in df.astype(str).itertuples(index=False)]
    return "\n".join(lines)


def stacked(table: pd.DataFrame) -> list[pd.DataFrame]:
    """``table`` (a label column, then one column per unit) as one two-column table per unit.

    >>> t = pd.DataFrame({"Chỉ tiêu": ["Số hộ"], "Xã A": ["12"], "Xã B": ["3"]})
    >>> [list(p.columns) for p in stacked(t)]
    [['Chỉ tiêu', 'Xã A'], ['Chỉ tiêu', 'Xã B']]
    """
    label = table.columns[0]
    return [table[[label, unit]] for unit in table.columns[1:]]


def side_by_side_ui(table: pd.DataFrame, *, key: str) -> None:
    """``table`` – a label column, then one column per unit, numbers written as text – side by side on a
    wide screen (one ``st.dataframe`` of key ``key``, the units' columns right-aligned) and as stacked
    two-column tables on a narrow one (:func:`stacked`, Markdown: no sideways scroll on a phone)."""
    st.html(responsive_css(key))
    units = list(table.columns[1:])
    with st.container(key=f"{key}_wide"):
        st.dataframe(table, hide_index=True, width="stretch", key=key, column_config=right_aligned(units))
    with st.container(key=f"{key}_narrow"):
        for part in stacked(table):
            st.markdown(markdown_table(part, right=part.columns[1:]))


# --- reports on a phone: one card per row --------------------------------------------------------
_CARD_CSS = """<style>
.rep-cards details { border: 1px solid rgba(128, 128, 128, 0.3); border-radius: 0.4rem; margin: 0 0 0.35rem 0;
                     padding: 0.3rem 0.6rem; }
.rep-cards details.rep-bold { background-color: rgba(128, 128, 128, 0.12); font-weight: bold; }
.rep-cards summary { cursor: pointer; overflow-wrap: anywhere; }
.rep-cards table { width: 100%; border-collapse: collapse; margin: 0.3rem 0 0.1rem 0; font-weight: normal;
                   table-layout: fixed; }
.rep-cards th { text-align: left; font-weight: normal; padding: 0.15rem 0.4rem 0.15rem 0; width: 60%;
                overflow-wrap: anywhere; border-top: 1px solid rgba(128, 128, 128, 0.2); }
.rep-cards td { text-align: right; overflow-wrap: anywhere; padding: 0.15rem 0;
                border-top: 1px solid rgba(128, 128, 128, 0.2); font-variant-numeric: tabular-nums; }
</style>"""


def report_cards_html(df: pd.DataFrame, lang: str, bold_rows: Iterable[int] = (), *, title_cols: int = 3) -> str:
    """A report sheet as one card per row (HTML ``<details>``): a phone reads it without sideways scroll.

    The card's title is the row's first column (its number) and the text columns after it (at most
    ``title_cols`` in all: number, unit, indicator);
    opened, it lists every other column as "header – value", numbers written as in :func:`report_view`
    (a dash for a gap; an empty text cell is left out). The rows ``bold_rows`` (sections, totals) are
    shaded and open. Every text is HTML-escaped.

    Examples
    --------
    >>> df = pd.DataFrame({"TT": ["1", ""], "Xã": ["A<b>", "Tổng"], "Số hộ": [1234, 5], "Tỷ lệ %": [6.7, None]})
    >>> html = report_cards_html(df, "vi", [1])
    >>> html.count("<details"), "<summary>1 · A&lt;b&gt;</summary>" in html, "<td>1.234</td>" in html
    (2, True, True)
    >>> '<details class="rep-bold" open><summary>Tổng</summary>' in html, "<td>–</td>" in html
    (True, True)
    >>> "<summary>7 · Thôn A</summary>" in report_cards_html(pd.DataFrame({"STT": [7], "Thôn": ["Thôn A"]}), "vi")
    True
    """
    flat, fmt, numbers = _report_columns(df, lang)
    cols = list(flat.columns)
    lead = cols[:1]  # the row's number (TT, STT), then its names
    for c in cols[1:title_cols]:
        if c in numbers:
            break
        lead.append(c)
    body = [c for c in cols if c not in lead]
    shade = set(bold_rows)

    def text(col: str, v) -> str:
        if col in fmt:
            return "–" if _missing(v) else fmt[col](v)
        return "" if _missing(v) else str(v).strip()

    cards = []
    for i, row in enumerate(flat.itertuples(index=False)):
        values = dict(zip(cols, row))
        title = " · ".join(escape(t) for t in (text(c, values[c]) for c in lead) if t) or "–"
        lines = "".join(f"<tr><th>{escape(c)}</th><td>{escape(v)}</td></tr>"
                        for c in body if (v := text(c, values[c])) or c in numbers)
        head = '<details class="rep-bold" open>' if i in shade else "<details>"
        cards.append(f"{head}<summary>{title}</summary><table>{lines}</table></details>")
    return '<div class="rep-cards">' + "".join(cards) + "</div>"


def report_table(df: pd.DataFrame, lang: str, bold_rows: Iterable[int] = ()):
    """A report form for ``st.table``: the ``Styler`` of :func:`report_view` (flat headers, Vietnamese
    numbers, the section and total rows ``bold_rows`` shaded) with the number columns right-aligned by
    CSS and no index.

    ``st.table`` wraps its headers over several lines: a form of 15–18 columns fits a 1440 px screen
    beside the sidebar, where the grid (one-line headers) scrolled sideways over 3.000 px of columns.

    Examples
    --------
    >>> df = pd.DataFrame({"Xã": ["A", "B"], "Số hộ": [1234, 5], "Tỷ lệ %": [6.7, None]})
    >>> html = report_table(df, "vi", [1]).to_html()
    >>> "1.234" in html, "6,70" in html, html.count("text-align: right") >= 2
    (True, True, True)
    """
    flat, fmt, numbers = _report_columns(df, lang)
    shade = set(bold_rows)
    bold = "font-weight: bold; background-color: rgba(128, 128, 128, 0.12)"

    def row_style(row):
        return [";".join(filter(None, [bold if row.name in shade else "",
                                       "text-align: right !important" if c in numbers else ""])) for c in row.index]

    heads = _right_headers(i for i, c in enumerate(flat.columns) if c in numbers)
    return flat.style.format(fmt).apply(row_style, axis=1).set_table_styles(heads).hide(axis="index")


# the form's table a little denser than Streamlit's (KEY: the sheet's container key)
_TABLE_CSS = """<style>
.st-key-KEY_wide [data-testid="stTable"] th, .st-key-KEY_wide [data-testid="stTable"] td {
    padding: 0.3rem 0.4rem; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
</style>"""


def report_ui(df: pd.DataFrame, lang: str, bold_rows: Iterable[int] = (), *, key: str, grid: bool = False) -> None:
    """A report sheet: on a wide screen (container ``<key>_wide``) the form as a table whose headers wrap
    (:func:`report_table`, it fits beside the sidebar at 1440 px), or with ``grid`` the scrolling grid of
    :func:`report_view` (a long list: the posting list); one card per row (:func:`report_cards_html`) on a
    narrow one (``<key>_narrow``); see :func:`side_by_side_ui`."""
    bold_rows = list(bold_rows)
    st.html(responsive_css(key) + _CARD_CSS + _TABLE_CSS.replace("KEY", key))
    with st.container(key=f"{key}_wide"):
        if grid:
            styled, config = report_view(df, lang, bold_rows)
            st.dataframe(styled, hide_index=True, width="stretch", height=min(38 + 35 * len(df), 920),
                         column_config=config)
        else:
            st.table(report_table(df, lang, bold_rows))
    with st.container(key=f"{key}_narrow"):
        st.html(report_cards_html(df, lang, bold_rows))
