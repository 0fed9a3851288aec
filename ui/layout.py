"""Page furniture: header with the scope in view, warnings, footer note (``*_ui`` draw)."""
from __future__ import annotations

import streamlit as st

from povlib import standards
from povlib.i18n import fmt_int, t, t_count
from povlib.indicator_basis import shared_note
from povlib.views import GROUPS

from . import cache
from .filters import Filters


def dataset_label(f: Filters) -> str:
    """Which data is shown, short: 'Dữ liệu minh họa' or 'Dữ liệu đã nạp (phiên bản 3)'."""
    if cache.is_synthetic(f.dataset):
        return t("app.scope.demo", f.lang)
    if f.version:
        return t("app.scope.store_version", f.lang, version=f.version)
    return t("app.scope.store", f.lang)


def scope_label(f: Filters) -> str:
    """What is shown: 'Xã Xuân Lạc · Dữ liệu đã nạp (phiên bản 3) · Hộ dân tộc thiểu số · Năm 2020'.

    The place is the communes chosen, else the district, the province, or – for data of a
    single commune – that commune; then the dataset (demo or imported, with its version),
    the group of households and the year, in the current language.
    """
    info = cache.panel_info(f.dataset, f.version)
    parts: list[str] = []
    names = info.names_in(f.year)  # the units of the year
    no_districts = not f.has_districts  # after 2025: a former district is a historical grouping
    if f.communes:
        shown = [names.get(c, c) for c in f.communes]
        parts.append(", ".join(shown[:3]) + (t("app.more", f.lang, n=len(shown) - 3) if len(shown) > 3 else ""))
    elif f.district:
        name = info.districts.get(f.district, f.district)
        national = cache.is_national(f.dataset)  # its parent units are provinces
        parts.append(t("app.scope.former_district", f.lang, name=name) if no_districts and not national else name)
    elif cache.is_national(f.dataset):
        parts.append(t("app.scope.national", f.lang))
    elif len(info.districts) > 1:
        parts.append(t("app.scope.province", f.lang))
    elif len(names) == 1:  # the data of one commune: name the commune, not its district
        parts.append(next(iter(names.values())))
    elif not info.districts:  # no district anywhere in the data (imported after the 2025 reform): its communes
        parts.append(t("app.scope.communes", f.lang, n=fmt_int(len(names), f.lang)))
    elif no_districts:
        parts.append(t("app.scope.former_district", f.lang, name=next(iter(info.districts.values()), "")))
    else:
        parts.append(next(iter(info.districts.values()), ""))
    parts.append(dataset_label(f))
    if f.group != "all":
        parts.append(t(GROUPS[f.group].label_key, f.lang))
    parts.append(t("app.scope.year", f.lang, year=f.year))
    return " · ".join(p for p in parts if p)


def page_header_ui(title_key: str, f: Filters) -> None:
    """Page title and the scope line; standard warnings when relevant."""
    st.header(t(title_key, f.lang))
    st.caption(scope_label(f))
    not_reviewed_ui(f)
    standard_notice_ui(f)


def not_reviewed_ui(f: Filters) -> None:
    """Warn while the year holds only some of the communes of the previous review (files still to import)."""
    missing = cache.not_reviewed(f.selection, f.year)
    if len(missing):
        names = missing["name"].tolist()
        st.warning(t("app.not_reviewed", f.lang, year=f.year, prev=missing.attrs.get("prev_year", ""),
                     count=t_count("app.communes_count", len(names), f.lang),
                     units=", ".join(names[:8]) + (t("app.more", f.lang, n=len(names) - 8) if len(names) > 8 else "")),
                   icon=":material/hourglass_top:")


def standard_notice_ui(f: Filters) -> None:
    """Say when the standard in use is provisional; warn when a what-if standard is applied to data
    reviewed under another one."""
    info = cache.panel_info(f.dataset, f.version)
    own = info.standard_of_year.get(f.year)
    used = f.standard or own
    if used and standards.get(used).provisional:
        st.info(standards.provisional_note(used, f.lang), icon=":material/pending:")
    if f.standard is None:
        return
    if own and own != f.standard:
        # plain names: a provisional standard's note is drawn just above
        st.warning(t("app.whatif_standard", f.lang, std=standards.get(f.standard).name(f.lang),
                     own=standards.get(own).name(f.lang)), icon=":material/warning:")
        # the indicators the year's rows give (a review may carry more than its own standard's)
        # the indicators the year's rows give (a review may carry more than its own standard's)
        shared = shared_note(f.standard, own, f.lang, given=cache.indicator_basis(f.selection, f.year).counted)
        if shared:  # what the what-if can count on data of another standard
            st.caption(":material/info: " + shared)


def mixed_standards_ui(f: Filters, years) -> bool:
    """Show a clear warning if ``years`` were measured under different standards; return True if so."""
    if f.standard is not None:
        return False  # every year reclassified under one standard
    info = cache.panel_info(f.dataset, f.version)
    stds = list(dict.fromkeys(info.standard_of_year[y] for y in years if y in info.standard_of_year))
    if len(stds) > 1:
        names = ", ".join(standards.display_name(s, f.lang) for s in stds)
        st.warning(t("app.mixed_standards", f.lang, names=names), icon=":material/warning:")
        return True
    return False


def footer_ui(f: Filters | None, lang: str) -> None:
    """The synthetic-data note (demo datasets) and the boundary attribution, on every page."""
    st.divider()
    if f is not None and cache.is_national(f.dataset):
        st.caption(":material/info: " + t("nat.synthetic_note", lang))
        st.caption(t("geo.attribution.2025", lang))
        return
    if f is None or cache.is_synthetic(f.dataset):
        key = "app.synthetic_province" if f is not None and f.multi_district else "general.synthetic_note"
        st.caption(":material/info: " + t(key, lang))
    st.caption(t("general.attribution", lang))


def national_needs_commune_ui(f: Filters) -> None:
    """On the national dataset, stop a page that works on households unless one commune is chosen
    (the national table is never loaded: a commune's households are fetched alone), saying so."""
    if cache.is_national(f.dataset) and len(f.communes) != 1:
        st.info(t("nat.needs_commune", f.lang, box=t("general.commune", f.lang)), icon=":material/travel_explore:")
        st.stop()


def metric_ui(label: str, value: str, *, delta: str | None = None, change: float | None = None,
              good_when: str = "down", neutral: bool = False, help: str | None = None, container=None) -> None:
    """A bordered metric with a preformatted (Vietnamese) delta; colour by whether the change is good.

    ``change`` is the signed change used for the arrow and the colour (the
    delta text may use a typographic minus that Streamlit cannot parse); ``neutral``: no good/bad colour
    (a change measured across two poverty standards is neither).
    """
    target = container if container is not None else st
    if delta is None or change is None:
        target.metric(label, value, help=help, border=True)
        return
    if change == 0:
        arrow, color = "off", "gray"
    elif neutral:
        arrow, color = ("up" if change > 0 else "down"), "gray"
    else:
        arrow = "up" if change > 0 else "down"
        good = (change < 0) if good_when == "down" else (change > 0)
        color = "green" if good else "red"
    target.metric(label, value, delta=delta, delta_color=color, delta_arrow=arrow, help=help, border=True)
