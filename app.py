"""Entry point and router of the dashboard: ``streamlit run app.py``.

Draws the language switch and the shared filters (``ui.filters``) in the
sidebar, then runs the page chosen in ``st.navigation``. Pages are short
scripts in ``app_pages/`` that read ``ui.filters.current()``, call ``ui.cache``
and draw.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from povlib.i18n import t
from ui import auth, filters, layout
from ui.nav import ACCOUNT_PAGES, NEEDS, PAGES

ROOT = Path(__file__).resolve().parent

st.set_page_config(page_title=t("app.title"), page_icon=str(ROOT / "static" / "favicon.png"),
                   layout="wide", initial_sidebar_state="auto")

lang = filters.lang_ui()
session = auth.current()  # the menu follows the signed-in account's role (the pages check again)


def _visibility(url: str) -> str:
    if url == "login":
        return "hidden" if session is not None else "visible"
    return "visible" if url not in NEEDS or any(auth.role_may(a, session) for a in NEEDS[url]) else "hidden"


pages = [
    st.Page(path, title=t(key, lang), icon=icon, url_path=url, visibility=_visibility(url))
    for path, url, key, icon in [*PAGES, *ACCOUNT_PAGES]
]


def _landing() -> None:
    """The root URL: go to the overview, keeping the link's filters.

    The default page of st.navigation is served at "/" whatever its url_path, so a
    link to /overview would be "not found" if the overview were the default page.
    A hidden default page keeps every visible page at its own ASCII path.
    """
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


nav = st.navigation([st.Page(_landing, title=t("app.page.overview", lang), url_path="home", default=True,
                             visibility="hidden"), *pages])
st.set_page_config(page_title=f"{nav.title} – {t('app.title', lang)}")

f = filters.sidebar_ui(lang)
st.sidebar.caption(t("app.link_hint", lang))
if f is None and nav.url_path not in ("data", "admin", "login"):  # these work without a loadable dataset
    layout.footer_ui(filters.built(), lang)  # filters that select nothing: still the dataset's footer
    st.stop()

filters.run_page(nav)
layout.footer_ui(f, lang)
