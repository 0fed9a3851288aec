"""What the help page explains, computed from the rules and the data: the standards' lines and the
Alkire–Foster measures worked through on the households in view.

Nothing here is prose written in code: the sentences are catalog templates
(``help.*``) filled with the figures of a standard's rules file
(:mod:`povlib.standards`) or of :func:`povlib.views.deprivation_summary`.

Examples
--------
>>> from povlib import standards
>>> from povlib.views.explain import standard_lines
>>> standard_lines(standards.get("QD59_2015"), "vi")["Chuẩn nghèo"]
['700.000 đồng', '900.000 đồng']
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..i18n import fmt_int, fmt_num, fmt_pct, fmt_vnd, t
from ..standards import AREAS, Standard

__all__ = ["standard_lines", "standard_rules", "standard_indicators", "AFExample", "af_example", "af_example_text"]


def standard_lines(std: Standard, lang: str = "vi") -> dict[str, list[str]]:
    """The income lines and review-score thresholds of ``std``, one row per area (a table to show).

    Examples
    --------
    >>> from povlib import standards
    >>> standard_lines(standards.get("ND07_2021"), "en")["Area"]
    ['Rural', 'Urban']
    """
    cols = {t("help.col.area", lang): [t(f"area.{a}", lang) for a in AREAS],
            t("help.col.poor_line", lang): [fmt_vnd(std.lines[a].poor, lang) for a in AREAS]}
    if std.income_only_poor:
        cols[t("help.col.near_line", lang)] = [fmt_vnd(std.lines[a].near_poor, lang) for a in AREAS]
    cols[t("help.col.average_line", lang)] = [_vnd_or_dash(std.lines[a].average, lang) for a in AREAS]
    # a standard without known score thresholds (Decree 351/2025) shows none
    if std.scores:
        cols[t("help.col.score_poor", lang)] = [fmt_int(std.scores[a].poor, lang) for a in AREAS]
        if std.scores["rural"].near_poor != std.scores["rural"].poor:
            cols[t("help.col.score_near", lang)] = [fmt_int(std.scores[a].near_poor, lang) for a in AREAS]
    return cols


def _vnd_or_dash(amount: int | None, lang: str) -> str:
    """An amount in VND, or '–' when the standard does not know it."""
    return "–" if amount is None else fmt_vnd(amount, lang)


def standard_rules(std: Standard, lang: str = "vi") -> list[str]:
    """The definitions of poor, income-poor, deprivation-poor and near-poor under ``std`` (Markdown items).

    Every threshold comes from the standard's rules; under a standard without
    an income-only branch (Decree 07/2021) there is no income-poor household,
    and the items say so.

    Examples
    --------
    >>> from povlib import standards
    >>> rules = standard_rules(standards.get("QD59_2015"), "vi")
    >>> "700.000 đồng" in rules[0] and "900.000 đồng" in rules[0]
    True
    >>> len(standard_rules(standards.get("ND07_2021"), "en"))
    4
    """
    r, u = std.lines["rural"], std.lines["urban"]
    k = std.deprivation_cutoff
    pts = k * std.points_per_deprivation
    v = dict(rural_poor=fmt_vnd(r.poor, lang), urban_poor=fmt_vnd(u.poor, lang),
             rural_near=fmt_vnd(r.near_poor, lang), urban_near=fmt_vnd(u.near_poor, lang),
             rural_avg=_vnd_or_dash(r.average, lang), urban_avg=_vnd_or_dash(u.average, lang),
             k=k, points=pts, n=len(std.indicators))
    if std.income_only_poor:
        keys = ("help.rule.income_poor", "help.rule.deprivation_poor", "help.rule.near_poor_split",
                "help.rule.average")
    else:
        keys = ("help.rule.poor_joint", "help.rule.near_poor_joint", "help.rule.no_income_branch",
                "help.rule.average")
    if r.average is None or u.average is None:
        keys = (*keys[:-1], "help.rule.average_unknown")
    return [t(key, lang, **v) for key in keys]


def standard_indicators(std: Standard, lang: str = "vi") -> list[str]:
    """One Markdown item per indicator: dimension, indicator, legal definition (when the catalog has it)."""
    out = []
    for ind in std.indicators:
        text = f"**{std.dimension_of(ind.id).label(lang)}** – {ind.label(lang)}"
        definition = ind.definition(lang)
        out.append(f"{text}: {definition}" if definition else text)
    return out


@dataclass(frozen=True)
class AFExample:
    """The Alkire–Foster measures of the households in view, with the counts they come from.

    ``n`` households carry every indicator, ``q`` of them are deprived in at
    least ``k`` of the ``m`` indicators (H = q / n); those ``q`` are deprived
    in ``deprivations`` indicators in all (``avg`` = deprivations / q on
    average, A = avg / m); M0 = H × A. ``indicator`` is the indicator whose
    uncensored and censored counts (``deprived``, ``censored``) differ the
    most, to show the difference.
    """

    n: int
    q: int
    m: int
    k: int
    deprivations: int
    H: float
    A: float
    M0: float
    indicator: str
    deprived: int
    censored: int

    @property
    def avg(self) -> float:
        return self.deprivations / self.q if self.q else 0.0


def af_example(summary: dict) -> AFExample | None:
    """The worked example of :func:`povlib.views.deprivation_summary` ``summary``; None without households.

    Examples
    --------
    >>> import povlib
    >>> from povlib.views import deprivation_summary
    >>> p = povlib.load_demo()
    >>> ex = af_example(deprivation_summary(p[p["year"] == 2019], "QD59_2015"))
    >>> round(ex.q / ex.n, 12) == round(ex.H, 12), round(ex.avg / ex.m, 12) == round(ex.A, 12)
    (True, True)
    """
    n = int(summary["with_indicators"])
    if n == 0:
        return None
    dist: pd.DataFrame = summary["count_dist"]
    table: pd.DataFrame = summary["table"]
    k, m = int(summary["cutoff"]), len(table)
    by_count = dist.groupby("deprivation_count")["households"].sum()
    over = by_count[by_count.index >= k]
    q = int(over.sum())
    deprivations = int((over.index.to_numpy() * over.to_numpy()).sum())
    deprived = np.rint(table["share_all"].to_numpy() * n).astype(int)
    censored = np.rint(table["censored_all"].to_numpy() * n).astype(int)
    i = int(np.argmax(deprived - censored))
    return AFExample(n=n, q=q, m=m, k=k, deprivations=deprivations, H=float(summary["H"]), A=float(summary["A"]),
                     M0=float(summary["M0"]), indicator=str(table["indicator"].iat[i]), deprived=int(deprived[i]),
                     censored=int(censored[i]))


def af_example_text(ex: AFExample, indicator_label: str, lang: str = "vi") -> list[str]:
    """The worked example as Markdown paragraphs (catalog templates filled with ``ex``'s figures)."""
    return [
        t("help.example.H", lang, n=fmt_int(ex.n, lang), q=fmt_int(ex.q, lang), k=ex.k, m=ex.m,
          H=fmt_pct(ex.H, lang)),
        t("help.example.A", lang, q=fmt_int(ex.q, lang), d=fmt_int(ex.deprivations, lang),
          avg=fmt_num(ex.avg, lang), m=ex.m, A=fmt_pct(ex.A, lang)),
        t("help.example.M0", lang, H=fmt_pct(ex.H, lang), A=fmt_pct(ex.A, lang), M0=fmt_num(ex.M0, lang, 4)),
        t("help.example.censored", lang, ind=indicator_label, n=fmt_int(ex.n, lang),
          u=fmt_int(ex.deprived, lang), su=fmt_pct(ex.deprived / ex.n, lang),
          c=fmt_int(ex.censored, lang), sc=fmt_pct(ex.censored / ex.n, lang), k=ex.k),
    ]
