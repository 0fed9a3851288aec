"""Plotly figure builders: Vietnamese titles, axes and hover text with Vietnamese number formats.

Hover text is preformatted with :mod:`povlib.i18n` (``15,86 %``, ``1.234 hộ``)
and passed as ``customdata``; axes use the locale's separators. Colours come
from :mod:`ui.theme` only. Builders are pure (no ``st`` calls) so pages stay short.
Series over the review years (rates, flows, Sankey, a unit's trend) are in :mod:`ui.trend_charts`.
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from povlib.geo import UnitProfile
from povlib.i18n import fmt_int, fmt_pct, fmt_vnd, t

from . import theme
from .escape import plotly_escape


def pct_axis(lang: str, top: float | None = None, n_ticks: int = 5) -> dict:
    """A share axis shown as percentages (hover with two decimals), from zero.

    With ``top`` (the axis' upper end, a share) the ticks are a 1-2-5 step written with as many decimals as the
    step needs: on a 0–3 % axis Plotly's own ticks fall on halves, which whole percents write as
    0 %, 1 %, 1 %, 2 %, 2 %, 3 %.

    Examples
    --------
    >>> [(pct_axis("vi", top)["dtick"], pct_axis("vi", top)["tickformat"]) for top in (0.03, 0.012)]
    [(0.01, '.0%'), (0.005, '.1%')]
    >>> pct_axis("vi", 0.6)["tickformat"], pct_axis("vi")["tickformat"]
    ('.0%', '.0%')
    """
    axis = dict(tickformat=".0%", hoverformat=".2%", rangemode="tozero")
    if top is None or not math.isfinite(float(top)) or float(top) <= 0:
        return axis
    need = float(top) / n_ticks
    base = 1e-4  # a hundredth of a percent
    while True:
        for k in (1, 2, 5):
            step = round(k * base, 6)
            if step >= need:
                decimals = max(0, -math.floor(math.log10(step * 100) + 1e-9))
                return {**axis, "dtick": step, "tick0": 0, "tickformat": f".{decimals}%"}
        base *= 10


def count_axis(top: float, n_ticks: int = 6) -> dict:
    """A count axis (households, people) with whole-number ticks only: ``dtick`` a 1-2-5 step of at least 1.

    Plotly's automatic ticks on a small count fall on halves, which a whole-number format writes as
    0, 1, 1, 2, 2; a step of at least one never does.

    Examples
    --------
    >>> count_axis(2)["dtick"], count_axis(37)["dtick"], count_axis(1_234)["dtick"], count_axis(float("nan"))["dtick"]
    (1, 10, 500, 1)
    """
    top = float(top)
    need = (top if math.isfinite(top) and top > 0 else 0.0) / n_ticks  # a year without a figure: NaN
    base = 1
    while True:
        for step in (base, 2 * base, 5 * base):
            if step >= need:
                return dict(tickformat=",d", dtick=step, tick0=0, rangemode="tozero")
        base *= 10


def wrap_label(text: str, width: int = 22) -> str:
    """A long axis label broken into lines of about ``width`` characters (``<br>``), so that it does not
    squeeze the bars on a phone.

    Examples
    --------
    >>> wrap_label("Bảo hiểm y tế cho người thuộc hộ cận nghèo", 20)
    'Bảo hiểm y tế cho<br>người thuộc hộ cận<br>nghèo'
    """
    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)


def labels_above(fig: go.Figure, names: list[str], *, n_bars: int = 1, width: int = 60) -> go.Figure:
    """Category labels of a horizontal bar chart written above their bars, across the whole width, instead
    of beside them: on a phone (390 px) long labels then neither get cut off nor squeeze the bars.

    The y axis must be categorical over ``names`` (top to bottom, ``autorange="reversed"``). Each category's
    slot is shared: its label hangs from the top, its ``n_bars`` bars (one per trace, side by side) fill
    the lower part (every trace's ``offset`` and ``width`` are set here).
    """
    top, band = -0.08, 0.55  # bars from 0.08 above the slot's centre to 0.47 below it; the label above
    for k, trace in enumerate(fig.data):
        trace.update(width=band / n_bars, offset=top + (k % n_bars) * band / n_bars)
    fig.update_yaxes(showticklabels=False, ticks="", title_text="", showgrid=False, automargin=False,
                     range=[len(names) - 0.5, -0.5], autorange=False)
    fig.update_layout(annotations=[*fig.layout.annotations, *(  # added at once: plotly copies them at each add
        go.layout.Annotation(x=0, xref="paper", xanchor="left", y=i - 0.5, yref="y", yanchor="top", yshift=-2,
                             text=wrap_label(n, width), showarrow=False, align="left", font=dict(size=12, color="#31333F"))
        for i, n in enumerate(names))])
    fig.update_layout(margin=dict(l=16))  # room for the first tick label (0 %) under the labels' edge
    return fig


def ranking_bar(rank: pd.DataFrame, lang: str, *, title: str, highlight: tuple[str, ...] = ()) -> go.Figure:
    """Horizontal bars of units by poverty rate, highest on top; ``highlight`` codes drawn darker.

    ``customdata[0]`` of each point is the unit code (read back on selection).
    """
    colors = [theme.HIGHLIGHT if c in highlight else theme.status_color("poor") for c in rank["code"]]
    hh = t("unit.households", lang)
    names = [plotly_escape(n) for n in rank["name"]]  # names come from imported files
    hover = [
        f"<b>{n}</b><br>{t('measure.poor_rate', lang)}: {fmt_pct(r, lang)}<br>"
        f"{t('measure.poor', lang)}: {fmt_int(p, lang)} / {fmt_int(h, lang)} {hh}<br>"
        f"{t('measure.near_poor_rate', lang)}: {fmt_pct(nr, lang)}"
        for n, r, p, h, nr in zip(names, rank["poor_rate"], rank["poor"], rank["households"],
                                  rank["near_poor_rate"])
    ]
    fig = go.Figure(go.Bar(
        x=rank["poor_rate"], y=names, orientation="h",
        marker_color=colors,
        text=[fmt_pct(r, lang, 1) for r in rank["poor_rate"]], textposition="outside", cliponaxis=False,
        customdata=np.column_stack([rank["code"].to_numpy(), hover]),
        hovertemplate="%{customdata[1]}<extra></extra>",
        name=t("measure.poor_rate", lang),
    ))
    theme.apply_layout(fig, title=title, height=max(260, 26 * len(rank) + 90), legend_bottom=False)
    fig.update_layout(separators=theme.separators(lang), showlegend=False, clickmode="event+select",
                      dragmode=False)
    fig.update_yaxes(autorange="reversed", title_text="", automargin=True)
    fig.update_xaxes(title=t("measure.poor_rate", lang), **pct_axis(lang),
                     range=[0, float(rank["poor_rate"].max() or 0.01) * 1.22])
    return fig


# --- deprivations page -----------------------------------------------------------------------------------
def rgba(hex_color: str, alpha: float) -> str:
    """``#rrggbb`` with an opacity, as CSS ``rgba(…)``."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def indicator_bars(table: pd.DataFrame, labels: dict[str, str], lang: str, *, censored: bool,
                   title: str) -> go.Figure:
    """Share of poor, near-poor and all households deprived in each indicator (grouped bars)."""
    fig = go.Figure()
    prefix = "censored" if censored else "share"
    names = [labels[i] for i in table["indicator"]]
    for key, color, legend in (("poor", theme.status_color("poor"), t("status.poor", lang)),
                               ("near_poor", theme.status_color("near_poor"), t("status.near_poor", lang)),
                               ("all", theme.NEUTRAL, t("group.all", lang))):
        col = table[f"{prefix}_{key}"]
        hover = [f"<b>{n}</b><br>{legend}: {fmt_pct(v, lang, 1)}" for n, v in zip(names, col)]
        fig.add_trace(go.Bar(y=names, x=col, name=legend, orientation="h", marker_color=color,
                             customdata=hover, hovertemplate="%{customdata}<extra></extra>"))
    theme.apply_layout(fig, title=title, height=170 + 60 * len(names))
    fig.update_layout(barmode="group", separators=theme.separators(lang))
    fig.update_yaxes(categoryorder="array", categoryarray=names)
    labels_above(fig, names, n_bars=3)
    fig.update_xaxes(title=t("dep.axis_share", lang), tickformat=".0%", range=[0, 1], automargin=True)
    return fig


def heatmap(matrix: pd.DataFrame, labels: dict[str, str], lang: str, *, title: str, unit_label: str) -> go.Figure:
    """Unit × indicator heatmap of shares."""
    cols = [labels[c] for c in matrix.columns]
    z = matrix.to_numpy(dtype=float)
    units = [plotly_escape(u) for u in matrix.index]  # names come from imported files
    hover = [[f"<b>{u}</b><br>{c}: {fmt_pct(v, lang, 1)}" for c, v in zip(cols, row)]
             for u, row in zip(units, z)]
    fig = go.Figure(go.Heatmap(
        z=z, x=cols, y=units, colorscale=theme.RATE_SCALE, zmin=0, zmax=max(0.01, float(np.nanmax(z)) if z.size else 1),
        customdata=hover, xgap=1, ygap=1,
        hovertemplate="%{customdata}<extra></extra>", colorbar=dict(tickformat=".0%", thickness=8, xpad=4),
    ))
    theme.apply_layout(fig, title=title, height=max(320, 24 * len(matrix) + 190), legend_bottom=False)
    fig.update_layout(separators=theme.separators(lang))
    fig.update_xaxes(tickangle=-90, side="bottom", title_text="", tickfont=dict(size=11))
    fig.update_yaxes(autorange="reversed", title_text="", automargin=True)
    return fig


def contribution_bar(table: pd.DataFrame, labels: dict[str, str], dim_labels: dict[str, str], lang: str,
                     *, title: str) -> go.Figure:
    """Each indicator's percent contribution to M0, coloured by dimension."""
    palette = ["#0072B2", "#009E73", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9"]
    dims = list(dict.fromkeys(table["dimension"]))
    fig = go.Figure()
    for j, d in enumerate(dims):
        sub = table[table["dimension"] == d]
        names = [labels[i] for i in sub["indicator"]]
        hover = [f"<b>{n}</b> ({dim_labels[d]})<br>{t('dep.contribution', lang)}: {fmt_pct(v / 100, lang, 1)}"
                 for n, v in zip(names, sub["contribution"])]
        fig.add_trace(go.Bar(y=names, x=sub["contribution"] / 100, orientation="h", name=dim_labels[d],
                             marker_color=palette[j % len(palette)], customdata=hover,
                             text=[fmt_pct(v / 100, lang, 1) for v in sub["contribution"]], textposition="outside",
                             cliponaxis=False, hovertemplate="%{customdata}<extra></extra>"))
    theme.apply_layout(fig, title=title, height=150 + 50 * len(table) + 22 * len(dims))
    fig.update_layout(separators=theme.separators(lang), margin=dict(r=40))
    order = [labels[i] for i in table["indicator"]]
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    labels_above(fig, order, n_bars=1)
    fig.update_xaxes(tickformat=".0%", title=t("dep.contribution", lang), automargin=True,
                     range=[0, float(table["contribution"].max() or 1) / 100 * 1.3])
    return fig


def count_distribution(dist: pd.DataFrame, lang: str, *, title: str, cutoff: int) -> go.Figure:
    """Households by number of deprivations, stacked by status."""
    fig = go.Figure()
    hh = t("unit.households", lang)
    for s in ("poor", "near_poor", "non_poor"):
        sub = dist[dist["status"] == s]
        lab = t(f"status.{s}", lang)
        hover = [f"{t('measure.deprivation_count', lang)}: {c}<br>{lab}: {fmt_int(n, lang)} {hh}"
                 for c, n in zip(sub["deprivation_count"], sub["households"])]
        fig.add_trace(go.Bar(x=sub["deprivation_count"], y=sub["households"], name=lab,
                             marker_color=theme.status_color(s), customdata=hover,
                             hovertemplate="%{customdata}<extra></extra>"))
    theme.apply_layout(fig, title=title, height=400)
    fig.update_layout(barmode="stack", separators=theme.separators(lang))
    fig.add_vline(x=cutoff - 0.5, line_dash="dash", line_color="#333333",
                  annotation_text=t("dep.cutoff_line", lang, k=cutoff), annotation_position="top right")
    fig.update_xaxes(dtick=1, title=t("measure.deprivation_count", lang))
    top = dist.groupby("deprivation_count")["households"].sum().max() if len(dist) else 0
    fig.update_yaxes(title=t("unit.households", lang), **count_axis(top))
    return fig


# --- map page: the panel of one commune (povlib.geo.unit_profile) ----------------------------------
def unit_profile_bars(prof: UnitProfile, unit_name: str, parent_name: str, lang: str) -> go.Figure:
    """Share of households deprived in each indicator: the commune against its district (grouped bars)."""
    ind = prof.indicators.iloc[::-1]
    fig = go.Figure()
    for col, name, color in (("parent_share", parent_name, theme.NEUTRAL), ("unit_share", unit_name, theme.HIGHLIGHT)):
        fig.add_bar(
            y=ind["label"], x=ind[col], orientation="h", name=t("map.profile_unit", lang, name=plotly_escape(name)),
            marker_color=color, text=[fmt_pct(v, lang, digits=1) for v in ind[col]], textposition="outside",
            hovertext=[f"{lab}: {fmt_pct(v, lang)}" for lab, v in zip(ind["label"], ind[col])], hoverinfo="text",
        )
    fig.update_layout(barmode="group", separators=theme.separators(lang), height=520)
    fig.update_xaxes(tickformat=".0%", title=t("map.profile_axis", lang), rangemode="tozero")
    fig.update_yaxes(automargin=True)
    fig = theme.apply_layout(fig, height=540)
    # room right of the plot for the longest bar's value (drawn outside the axes: it was cut at 390 px)
    return fig.update_layout(margin=dict(r=max(fig.layout.margin.r or 0, 48)))


# --- compare page ---------------------------------------------------------------------------------------
#: line and bar colours of units compared side by side (colour-blind safe; :mod:`ui.trend_charts` too)
LINE_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#7F7F7F"]


def compare_indicator_bars(ind: pd.DataFrame, labels: dict[str, str], lang: str, *, title: str) -> go.Figure:
    """Share of households deprived in each indicator, one bar per commune (grouped, labelled)."""
    fig = go.Figure()
    for j, (_code, g) in enumerate(ind.groupby("code", sort=False)):
        names = [labels[i] for i in g["indicator"]]
        unit = plotly_escape(g["name"].iloc[0])
        fig.add_bar(y=names, x=g["share"], orientation="h", name=unit,
                    marker_color=LINE_PALETTE[j % len(LINE_PALETTE)],
                    text=[fmt_pct(v, lang, 1) for v in g["share"]], textposition="outside", cliponaxis=False,
                    hovertext=[f"{unit} – {n}: {fmt_pct(v, lang)}" for n, v in zip(names, g["share"])],
                    hoverinfo="text", textfont=dict(size=10))
    n_units = ind["code"].nunique()
    theme.apply_layout(fig, title=title, height=110 + ind["indicator"].nunique() * (14 * n_units + 12))
    fig.update_layout(barmode="group", separators=theme.separators(lang), bargap=0.2)
    fig.update_yaxes(autorange="reversed", automargin=True, title_text="")
    fig.update_xaxes(tickformat=".0%", title=t("map.profile_axis", lang),
                     range=[0, max(float(ind["share"].max() or 0.01), 0.01) * 1.3])
    return fig


# --- planning page (povlib.planning.PlanBundle.figures) ---------------------------------------------
def plan_budget_bars(table: pd.DataFrame, lang: str, *, title: str, unit_col: str = "commune_name") -> go.Figure:
    """Grant cost per commune, stacked by policy: horizontal bars, every commune named (``figures
    ["budget_by_commune"]`` of a :class:`povlib.planning.PlanBundle`); the axis in millions of VND.
    ``unit_col`` names the bars' units (``unit_name`` of :func:`povlib.planning.grants_by_unit`: provinces)."""
    units = table[unit_col].map(plotly_escape)  # names come from imported files
    communes = list(dict.fromkeys(units))
    fig = go.Figure()
    for _, rows in table.groupby("policy_id", sort=False):
        name = rows["policy"].iloc[0]
        bars = units.loc[rows.index]
        hover = [f"<b>{c}</b><br>{name}: {fmt_vnd(v, lang)}" for c, v in zip(bars, rows["budget"])]
        fig.add_bar(y=bars, x=rows["budget"] / 1e6, name=name, orientation="h",
                    customdata=hover, hovertemplate="%{customdata}<extra></extra>")
    n_legend = table["policy_id"].nunique()
    theme.apply_layout(fig, title=title, height=150 + 24 * len(communes) + 40 * n_legend)
    fig.update_layout(barmode="stack", separators=theme.separators(lang), bargap=0.25,
                      legend=dict(traceorder="normal"))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=communes, tickmode="array",
                     tickvals=communes, ticktext=communes, automargin=True, title_text="")
    fig.update_xaxes(title=t("plan.chart.budget_axis", lang), tickformat=",.0f", rangemode="tozero", automargin=True)
    return fig


def whatif_rate_bars(by_unit: pd.DataFrame, lang: str, *, title: str) -> go.Figure:
    """Poverty rate per commune before and after a scenario (``figures["whatif_by_commune"]``):
    horizontal grouped bars, every commune named."""
    communes = [plotly_escape(c) for c in by_unit["commune_name"]]  # names come from imported files
    fig = go.Figure()
    for col, label, color in (("poor_rate_base", t("plan.wi.baseline", lang), theme.NEUTRAL),
                              ("poor_rate_scen", t("plan.wi.scenario", lang), theme.status_color("poor"))):
        hover = [f"<b>{c}</b><br>{label}: {fmt_pct(v, lang)}" for c, v in zip(communes, by_unit[col])]
        fig.add_bar(y=communes, x=by_unit[col], name=label, marker_color=color, orientation="h",
                    customdata=hover, hovertemplate="%{customdata}<extra></extra>")
    theme.apply_layout(fig, title=title, height=150 + 30 * len(communes))
    fig.update_layout(barmode="group", separators=theme.separators(lang), bargap=0.2)
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=communes, ticktext=communes,
                     automargin=True, title_text="")
    fig.update_xaxes(title=t("measure.poor_rate", lang), **pct_axis(lang), automargin=True)
    return fig
