"""Plotly figures of series over the review years: status rates, flows, a Sankey between two years, a unit's trend.

Where the standard changes between two reviews, every series is drawn in pieces with the break marked
(:mod:`povlib.breaks`). Shares the axes, labels and colours of :mod:`ui.charts`; builders are pure (no ``st``
calls).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from povlib import standards
from povlib.breaks import StandardBreak, breaks_in_trend
from povlib.geo import UnitProfile
from povlib.i18n import fmt_int, fmt_pct, t

from . import theme
from .charts import LINE_PALETTE, count_axis, pct_axis, rgba
from .escape import plotly_escape


def standard_pieces(series: pd.DataFrame) -> list[pd.DataFrame]:
    """A per-year series cut where its standard changes: one piece per standard, in order, each drawn as
    its own line (a review measured under both standards ends one piece and starts the next).

    Examples
    --------
    >>> tr = pd.DataFrame({"year": [2020, 2021, 2021, 2022], "standard": ["Q", "Q", "N", "N"], "v": [1, 2, 3, 4]})
    >>> [p["v"].tolist() for p in standard_pieces(tr)]
    [[1, 2], [3, 4]]
    """
    if "standard" not in series.columns:
        return [series]
    std = series["standard"].astype(str)
    return [series[(std == s).to_numpy()] for s in dict.fromkeys(std)]


def end_labels(texts: list[str], most: int = 3) -> list[str]:
    """Point labels of a line: all of them on a short line (up to ``most`` points), else only its first and last
    (the values of the years between are in the hover and the table): six reviews labelled each overlap on a phone.

    Examples
    --------
    >>> end_labels(["1", "2", "3"])
    ['1', '2', '3']
    >>> end_labels([str(i) for i in range(8)])
    ['0', '', '', '', '', '', '', '7']
    """
    if len(texts) <= most:
        return list(texts)
    return [x if i in (0, len(texts) - 1) else "" for i, x in enumerate(texts)]


def label_positions(n: int, *, first_piece: bool) -> list[str]:
    """Where a line's point labels stand: clear of a break line at the end of the first piece (left of the
    point) and at the start of a later one (right of it).

    Examples
    --------
    >>> label_positions(3, first_piece=True), label_positions(3, first_piece=False)
    (['top center', 'top center', 'top left'], ['top right', 'bottom center', 'bottom center'])
    """
    if first_piece:
        return ["top center"] * (n - 1) + ["top left"] if n else []
    return ["top right"] + ["bottom center"] * (n - 1) if n else []


def mark_standard_breaks(fig: go.Figure, breaks: list[StandardBreak], lang: str, *,
                         categories: list[str] | None = None) -> go.Figure:
    """A dashed vertical line where the standard changes (named ``standard_break``) with a label naming both
    standards (``standard_break_label``): a change across it is the standard's, not a fall or a rise.

    On a year axis the line stands on the review measured under both standards (its two points), else
    half-way between the two reviews; on a category axis (``categories``: the years as drawn) it stands
    between the last category before the change and the first after.
    """
    for brk in breaks:
        if categories is None:
            x = brk.x
        elif str(brk.first_year) in categories:
            x = categories.index(str(brk.first_year)) - 0.5
        else:
            continue
        label = t("chart.standard_break", lang, before=standards.short_name(brk.before, lang),
                  after=standards.short_name(brk.after, lang))
        fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, name="standard_break",
                      line=dict(color="#5F6B73", width=1.5, dash="dash"))
        fig.add_annotation(x=x, xref="x", y=1, yref="paper", yanchor="bottom", text=label, showarrow=False,
                           font=dict(size=11, color="#3C4448"), bgcolor="rgba(255,255,255,0.85)",
                           name="standard_break_label")
    return fig


def mark_partial_years(fig: go.Figure, partial: dict[int, str], lang: str, years: list[int]) -> go.Figure:
    """A grey band over each review year whose data do not cover the whole area yet (named ``partial_year``),
    and under its tick how many communes are missing: its point is not comparable with a complete year's.
    ``partial`` maps the year to the count as text ("1 xã, phường"); ``years`` are the axis' years (call it
    after the axis is set).

    >>> fig = mark_partial_years(go.Figure(), {2027: "1 xã, phường"}, "vi", [2026, 2027])
    >>> fig.layout.shapes[0].name, fig.layout.xaxis.ticktext[1]
    ('partial_year', '2027<br><span style="font-size:10px">chưa đủ:<br>thiếu 1 xã, phường</span>')
    """
    if not partial:
        return fig
    for year in partial:
        fig.add_shape(type="rect", xref="x", yref="paper", x0=year - 0.15, x1=year + 0.15, y0=0, y1=1,
                      fillcolor="rgba(95,107,115,0.13)", line=dict(width=0), layer="below", name="partial_year")
    text = [f'{y}<br><span style="font-size:10px">{t("chart.partial_year", lang, count=partial[y])}</span>'
            if y in partial else str(y) for y in years]
    fig.update_xaxes(tickmode="array", tickvals=list(years), ticktext=text)
    return fig


def status_rates_lines(trend: pd.DataFrame, lang: str, *, title: str,
                       partial: dict[int, str] | None = None) -> go.Figure:
    """Poor and near-poor rates of the whole selection per year; ``partial``: years not covering the whole area
    (:func:`mark_partial_years`)."""
    fig = go.Figure()
    hh = t("unit.households", lang)
    pieces = standard_pieces(trend)
    top = float(max(trend["poor_rate"].max(), trend["near_poor_rate"].max()) or 0.01)
    for status, col, cnt in (("poor", "poor_rate", "poor"), ("near_poor", "near_poor_rate", "near_poor")):
        other = "near_poor_rate" if col == "poor_rate" else "poor_rate"
        for j, piece in enumerate(pieces):
            where = label_positions(len(piece), first_piece=j == 0)
            # two labels of one year that would overlap: the lower one goes under its point
            close = ((piece[col] - piece[other]).abs() < 0.1 * top) & (piece[col] < piece[other])
            where = [w.replace("top", "bottom") if c else w for w, c in zip(where, close)]
            std = f" · {standards.short_name(str(piece['standard'].iloc[0]), lang)}" if len(pieces) > 1 else ""
            hover = [f"<b>{t(f'status.{status}', lang)}</b> – {y}{std}<br>{fmt_pct(r, lang)} "
                     f"({fmt_int(n, lang)} {hh})" for y, r, n in zip(piece["year"], piece[col], piece[cnt])]
            fig.add_trace(go.Scatter(
                x=piece["year"], y=piece[col], mode="lines+markers+text", name=t(f"status.{status}", lang),
                legendgroup=status, showlegend=j == 0,
                line=dict(color=theme.status_color(status), width=3, dash="solid" if j == 0 else "dot"),
                text=end_labels([fmt_pct(r, lang, 1) for r in piece[col]]),
                textposition=where, customdata=hover, hovertemplate="%{customdata}<extra></extra>",
            ))
    mark_standard_breaks(fig, breaks_in_trend(trend), lang)
    theme.apply_layout(fig, title=title, height=340)
    fig.update_layout(separators=theme.separators(lang))
    first, last = int(trend["year"].min()), int(trend["year"].max())
    # room for the first and last points' labels (a label left of the first point was cut at 390 px)
    fig.update_xaxes(dtick=1, title=t("general.year", lang), range=[first - 0.4, last + 0.4])
    fig.update_yaxes(title_text="", **pct_axis(lang, top * 1.18), range=[0, top * 1.18])
    return mark_partial_years(fig, partial or {}, lang, sorted(int(y) for y in pd.unique(trend["year"])))


def flow_bars(flows: pd.DataFrame, codes: tuple[str, ...], lang: str, *, title: str) -> go.Figure:
    """Grouped bars of yearly flow counts (households), one colour per flow."""
    fig = go.Figure()
    hh = t("unit.households", lang)
    for c in codes:
        lab = t(f"flow.{c}", lang)
        hover = [f"<b>{lab}</b> – {y}<br>{fmt_int(n, lang)} {hh}" for y, n in zip(flows["year"], flows[c])]
        fig.add_trace(go.Bar(x=flows["year"].astype(str), y=flows[c], name=lab, marker_color=theme.flow_color(c),
                             text=[fmt_int(n, lang) for n in flows[c]], textposition="outside", cliponaxis=False,
                             customdata=hover, hovertemplate="%{customdata}<extra></extra>"))
    theme.apply_layout(fig, title=title, height=340)
    fig.update_layout(barmode="group", separators=theme.separators(lang))
    fig.update_xaxes(title=t("general.year", lang), type="category")
    top = float(np.nanmax(flows[list(codes)].to_numpy(dtype=float), initial=0)) if len(flows) and codes else 0
    fig.update_yaxes(title=t("unit.households", lang), **count_axis(top))
    return fig


def unit_trend_lines(prof: UnitProfile, lang: str) -> go.Figure:
    """Poor and near-poor rates of the commune in every review year."""
    tr = prof.trend
    fig = go.Figure()
    pieces = standard_pieces(tr)
    for col, key, color in (("poor_rate", "measure.poor_rate", theme.status_color("poor")),
                            ("near_poor_rate", "measure.near_poor_rate", theme.status_color("near_poor"))):
        for j, piece in enumerate(pieces):
            std = f" · {standards.short_name(str(piece['standard'].iloc[0]), lang)}" if len(pieces) > 1 else ""
            fig.add_scatter(
                x=piece["year"], y=piece[col], mode="lines+markers+text", name=t(key, lang), legendgroup=col,
                showlegend=j == 0, line=dict(color=color, width=3, dash="solid" if j == 0 else "dot"),
                text=end_labels([fmt_pct(v, lang, digits=1) for v in piece[col]]),
                textposition=label_positions(len(piece), first_piece=j == 0),
                hovertext=[f"{y}{std}: {fmt_pct(v, lang)}" for y, v in zip(piece["year"], piece[col])],
                hoverinfo="text",
            )
    mark_standard_breaks(fig, breaks_in_trend(tr), lang)
    fig.update_layout(separators=theme.separators(lang))
    ticks = sorted(set(tr["year"].astype(int)))
    fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[str(y) for y in ticks])
    top = float(max(tr["poor_rate"].max(), tr["near_poor_rate"].max(), 0.01))
    fig.update_yaxes(**pct_axis(lang, top * 1.25), title=t("map.trend_axis", lang), range=[0, top * 1.25])
    fig.update_xaxes(range=[tr["year"].min() - 0.3, tr["year"].max() + 0.3])
    return theme.apply_layout(fig, height=360)


def _spread(values: list[float], gap: float) -> list[float]:
    """Label positions near ``values`` (same order), at least ``gap`` apart, keeping their order."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    pos = [values[i] for i in order]
    for j in range(1, len(pos)):
        pos[j] = max(pos[j], pos[j - 1] + gap)
    shift = max(0.0, pos[-1] - max(values)) / 2 if pos else 0.0  # centre the pile on the data
    out = [0.0] * len(values)
    for j, i in enumerate(order):
        out[i] = pos[j] - shift
    return out


def labelled_rate_lines(trend: pd.DataFrame, lang: str, *, title: str, col: str = "poor_rate",
                        colored: bool = False, partial: dict[int, str] | None = None) -> go.Figure:
    """Rate per year, one line per unit, each named at its end (no legend: readable without hover).

    ``trend`` is :func:`povlib.views.rates_trend` output; a unit with code
    ``'all'`` is the whole selection (thick, status colour). ``colored`` gives
    each unit its own colour (a few units), else grey lines.
    """
    hh = t("unit.households", lang)
    count = {"poor_rate": "poor", "near_poor_rate": "near_poor"}[col]
    ends: list[tuple[str, float, str, bool]] = []
    traces: list[go.Scatter] = []  # added at once: plotly copies the figure's traces at each add_trace
    for j, (code, g) in enumerate(trend.groupby("code", sort=False)):
        g = g.sort_values("year")
        is_total = code == "all"
        name = t("ov.total_line", lang) if is_total else plotly_escape(g["name"].iloc[0])  # from imported files
        color = (theme.status_color("poor") if is_total else
                 LINE_PALETTE[j % len(LINE_PALETTE)] if colored else "#8A9499")
        pieces = standard_pieces(g)
        for k, piece in enumerate(pieces):
            std = f" · {standards.short_name(str(piece['standard'].iloc[0]), lang)}" if len(pieces) > 1 else ""
            hover = [f"<b>{name}</b> – {y}{std}<br>{t(f'measure.{col}', lang)}: {fmt_pct(r, lang)}"
                     f"<br>{fmt_int(p, lang)} / {fmt_int(h, lang)} {hh}"
                     for y, r, p, h in zip(piece["year"], piece[col], piece[count], piece["households"])]
            traces.append(go.Scatter(
                x=piece["year"], y=piece[col], mode="lines+markers", name=name, showlegend=False,
                line=dict(color=color, width=4 if is_total else (2.5 if colored else 1.2),
                          dash="solid" if k == 0 else "dot"),
                marker=dict(size=7 if is_total else 5), customdata=hover, hovertemplate="%{customdata}<extra></extra>",
            ))
        ends.append((name, float(g[col].iloc[-1]), color, is_total))
    fig = go.Figure(data=traces)
    n = len(ends)
    height = max(360, 110 + 17 * n)
    top = float(trend[col].max() or 0.01) * 1.12
    plot_px = height - 48 - 40
    label_y = _spread([e[1] for e in ends], gap=top * 15 / plot_px)
    last = int(trend["year"].max())
    longest = max((len(e[0]) for e in ends), default=0)
    fig.update_layout(annotations=[  # each line's name at its end, added at once (as the traces)
        go.layout.Annotation(x=last, y=y, text=f"<b>{name}</b>" if is_total else name, showarrow=False,
                             xanchor="left", xshift=8, font=dict(size=11, color=color if colored or is_total
                                                                 else "#3C4448"), name="end_label")
        for (name, _, color, is_total), y in zip(ends, label_y)])
    mark_standard_breaks(fig, breaks_in_trend(trend), lang)
    theme.apply_layout(fig, title=title, height=height, legend_bottom=False)
    fig.update_layout(separators=theme.separators(lang), margin=dict(r=min(190, 14 + int(6.2 * longest)), b=40))
    fig.update_xaxes(dtick=1, title=t("general.year", lang), range=[int(trend["year"].min()) - 0.2, last + 0.15])
    y_top = max(top, max(label_y, default=0) * 1.03)
    fig.update_yaxes(title=t(f"measure.{col}", lang), **pct_axis(lang, y_top), range=[0, y_top])
    return mark_partial_years(fig, partial or {}, lang, sorted(int(y) for y in pd.unique(trend["year"])))


# the first review year's note: a smaller grey line under the x axis' title
FIRST_YEAR_NOTE = '<br><span style="font-size:11px;color:#555555">{note}</span>'


def flow_bars_explained(flows: pd.DataFrame, codes: tuple[str, ...], lang: str, *, title: str,
                        first_year: int | None, breaks: list[StandardBreak] = ()) -> go.Figure:
    """Yearly flow counts (households) where a count that cannot be told is said so, never drawn as 0.

    The first review year (``first_year``) is drawn empty with a note under the x axis' title (outside
    the plot: it never covers a bar): there is no previous year to escape from or enter from. A missing count (NaN, e.g.
    re-entry before the panel has history: :func:`povlib.views.flow_counts`)
    is labelled "unknown" at the foot of its bar. ``breaks`` (:func:`povlib.breaks.breaks_between`) are
    marked between the years they separate.
    """
    fig = go.Figure()
    hh = t("unit.households", lang)
    years = [str(first_year)] if first_year is not None and first_year not in set(flows["year"]) else []
    years += flows["year"].astype(str).tolist()
    unknown = t("tr.unknown_short", lang)
    for c in codes:
        lab = t(f"flow.{c}", lang)
        vals = flows[c].astype(float)
        missing = vals.isna().tolist()
        hover = [f"<b>{lab}</b> – {y}<br>" + (t("tr.unknown_hover", lang) if m else f"{fmt_int(n, lang)} {hh}")
                 for y, n, m in zip(flows["year"], vals, missing)]
        fig.add_trace(go.Bar(
            x=flows["year"].astype(str), y=vals.fillna(0), name=lab, marker_color=theme.flow_color(c),
            text=["" if m else fmt_int(n, lang) for n, m in zip(vals, missing)], textposition="outside",
            cliponaxis=False, customdata=hover, hovertemplate="%{customdata}<extra></extra>",
            textfont=dict(size=11)))
        # an unknown count: the word "unknown" standing where its bar would be (grouped bars: 0.8 / n wide each)
        width = 0.8 / len(codes)
        offset = (codes.index(c) - (len(codes) - 1) / 2) * width
        for y, m in zip(flows["year"].astype(str), missing):
            if m:
                fig.add_annotation(x=years.index(y) + offset, y=0, yanchor="bottom", text=unknown, textangle=-90,
                                   showarrow=False, font=dict(size=11, color=theme.flow_color(c)),
                                   name="unknown_count")
    theme.apply_layout(fig, title=title, height=360)
    fig.update_layout(barmode="group", separators=theme.separators(lang))
    # the first year's empty column is explained under the axis title, outside the plot: a note inside it
    # overlapped the next year's bars on a phone (issue 10); the axis' automargin makes room for the line
    axis_title = t("general.year", lang)
    if len(years) > len(flows):
        axis_title += FIRST_YEAR_NOTE.format(note=t("tr.first_year_note", lang, year=years[0]))
    fig.update_xaxes(title=axis_title, type="category", categoryorder="array", categoryarray=years,
                     range=[-0.5, len(years) - 0.5], automargin=True)  # the empty first year kept on the axis
    top = float(np.nanmax(flows[list(codes)].to_numpy(dtype=float))) if len(flows) else 0.0
    fig.update_yaxes(title=t("unit.households", lang), rangemode="tozero", tickformat=",d",
                     range=[0, max(top, 1) * 1.2])
    # a year's flows compare it with the review before: across a change of standard that is the standard's
    mark_standard_breaks(fig, list(breaks), lang, categories=years)
    return fig


def sankey_counts(trans: pd.DataFrame, lang: str, *, year_from: int, year_to: int, title: str) -> go.Figure:
    """Status transitions between two review years, each node labelled with its household count.

    Nodes are spaced so that their labels never overlap on a phone.
    """
    order = ["poor", "near_poor", "non_poor", "absent"]
    present_from = [s for s in order if s in set(trans["from_status"])]
    present_to = [s for s in order if s in set(trans["to_status"])]

    def lab(s: str) -> str:
        return t("tr.absent", lang) if s == "absent" else t(f"status.{s}", lang)

    n_from = trans.groupby("from_status")["households"].sum()
    n_to = trans.groupby("to_status")["households"].sum()
    # two lines (status; year: count) so that a left and a right label fit side by side on a phone
    nodes = ([f"{lab(s)}<br>{year_from}: {fmt_int(n_from[s], lang)}" for s in present_from]
             + [f"{lab(s)}<br>{year_to}: {fmt_int(n_to[s], lang)}" for s in present_to])
    colors = [theme.status_color(s) for s in present_from] + [theme.status_color(s) for s in present_to]
    src = [present_from.index(s) for s in trans["from_status"]]
    dst = [len(present_from) + present_to.index(s) for s in trans["to_status"]]
    hh = t("unit.households", lang)
    hover = [f"{lab(a)} {year_from} → {lab(b)} {year_to}<br>{fmt_int(n, lang)} {hh}"
             for a, b, n in zip(trans["from_status"], trans["to_status"], trans["households"])]
    link_colors = [rgba(theme.status_color(s), 0.35) for s in trans["to_status"]]
    fig = go.Figure(go.Sankey(
        arrangement="fixed",
        node=dict(label=nodes, color=colors, pad=30, thickness=14,
                  x=[0.001] * len(present_from) + [0.999] * len(present_to),
                  y=_sankey_y([n_from[s] for s in present_from]) + _sankey_y([n_to[s] for s in present_to]),
                  hovertemplate="%{label}<extra></extra>"),
        link=dict(source=src, target=dst, value=trans["households"].tolist(), color=link_colors,
                  customdata=hover, hovertemplate="%{customdata}<extra></extra>"),
        valueformat=",.0f", textfont=dict(size=11, color="#1f2d3d"),
    ))
    theme.apply_layout(fig, title=title, height=460, legend_bottom=False)
    fig.update_layout(separators=theme.separators(lang), margin=dict(b=34))
    return fig


def _sankey_y(counts: list) -> list[float]:
    """Node centres (0 top .. 1 bottom) in order, each node at least 0.16 from the next (room for a label)."""
    total = float(sum(counts)) or 1.0
    free = 1.0 - 0.16 * max(0, len(counts) - 1)
    centres, top = [], 0.0
    for c in counts:
        h = max(0.0, free) * float(c) / total
        centres.append(top + h / 2)
        top += h + 0.16
    return [min(0.999, max(0.001, y)) for y in centres]
