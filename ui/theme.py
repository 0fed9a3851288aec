"""Colours and chart layout shared by every chart of the dashboard.

One mapping per concept so that "poor" is the same red on the overview, the
trends, the map and the reports. Colour-blind-safe (Okabe–Ito based) and
readable on a phone.
"""
from __future__ import annotations

import plotly.graph_objects as go

# --- statuses ------------------------------------------------------------------------------
STATUS_COLORS: dict[str, str] = {
    "poor": "#C0392B",        # red
    "near_poor": "#E69F00",   # orange
    "non_poor": "#56A0D3",    # blue
    "average": "#8FBC8F",     # green-grey (average living standard)
    "absent": "#BBBBBB",      # not in the panel that year (formed / dissolved / moved)
}
VIA_COLORS: dict[str, str] = {
    "income": "#C0392B",
    "deprivation": "#8E44AD",
}
# --- flows ---------------------------------------------------------------------------------
FLOW_COLORS: dict[str, str] = {
    "escaped_poverty": "#009E73",      # green: good news
    "newly_poor": "#D55E00",           # vermilion
    "re_poor": "#7B241C",              # dark red
    "escaped_near_poverty": "#56B4E9", # sky blue
    "newly_near_poor": "#E69F00",      # orange
    "re_near_poor": "#A0522D",         # sienna
    "recently_escaped": "#66C2A5",
    "joined": "#999999",
    "left": "#666666",
}
# sequential scale for rates / shares (white -> dark red)
RATE_SCALE = ["#FFF5F0", "#FCBBA1", "#FB6A4A", "#CB181D", "#67000D"]
HIGHLIGHT = "#1F3A93"   # selected unit in a ranking
NEUTRAL = "#7F8C8D"

FONT_FAMILY = "Inter, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"


def status_color(status: str) -> str:
    """Colour of a status code (``poor``, ``near_poor``, ``non_poor``, ``average``, ``absent``)."""
    return STATUS_COLORS.get(status, NEUTRAL)


def flow_color(flow: str) -> str:
    """Colour of a flow code (``escaped_poverty``, ``newly_poor``, ...)."""
    return FLOW_COLORS.get(flow, NEUTRAL)


def apply_layout(fig: go.Figure, *, title: str | None = None, height: int | None = None,
                 legend_bottom: bool = True) -> go.Figure:
    """Common layout: small margins, legend under the chart (phone friendly), no mode bar clutter."""
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=15)) if title else None,
        font=dict(family=FONT_FAMILY, size=12),
        margin=dict(l=8, r=8, t=48 if title else 16, b=8),
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
        separators=",.",  # Vietnamese: decimal comma, thousands dot (overridden for English)
        plot_bgcolor="white",
    )
    if legend_bottom:
        # at the foot of the figure (``yref="container"``): Plotly reserves the legend's height below the
        # x axis' own room (tick labels, title), whatever the number of rows it wraps to on a phone
        fig.update_layout(legend=dict(orientation="h", yref="container", yanchor="bottom", y=0,
                                      xanchor="left", x=0, title=None))
        fig.update_layout(margin=dict(b=8))
    if height:
        fig.update_layout(height=height)
    fig.update_xaxes(gridcolor="#EEEEEE", zerolinecolor="#CCCCCC")
    fig.update_yaxes(gridcolor="#EEEEEE", zerolinecolor="#CCCCCC")
    return fig


def separators(lang: str) -> str:
    """Plotly ``separators`` (decimal, thousands) for a language."""
    return ".," if lang == "en" else ",."
