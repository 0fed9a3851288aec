"""Downloads that carry names: a one-time link for this browser instead of ``st.download_button``.

:func:`names_download_ui` draws a button; pressing it (after the page's own entitlement check,
which decided what ``build`` puts in the file) issues a token of
:data:`povlib.access.downloads.REGISTRY`, bound to this browser's download cookie (read with
``st.context.cookies``; HttpOnly, set by ``serve.py``'s middleware) and to the signed-in account,
and shows a link to ``dl/<token>`` (relative to the page, so under ``server.baseUrlPath`` too): the app's route builds and sends the file once, to this
browser, within a minute. The file never enters Streamlit's ``/media/`` store. Under
``streamlit run app.py`` (no route) or without the cookie the page says so instead.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from povlib.access.downloads import COOKIE_NAME, REGISTRY, TTL_SECONDS, valid_cookie
from povlib.i18n import fmt_int, t

from .auth import DEMO_ACTOR, K_SESSION
from .routes import relative

_TOKENS = "_dl_tokens"  # key -> (view signature, token) of the links this session was given


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no request context (bare scripts): no cookie
        return None
    return value if valid_cookie(value) else None


def names_download_ui(container, label: str, build: Callable[[], bytes], *, file_name: str, mime: str, key: str,
                      lang: str, icon: str = ":material/download:", disabled: bool = False, view: str = "") -> None:
    """A names-carrying download in ``container``: a button that issues a one-time link, then the link.

    ``build`` makes the file's bytes (recorded in the audit record by the page's wrapper when it
    runs, i.e. when the route serves the file); ``view`` is a signature of what the file holds:
    a link given for another view is not shown again.
    """
    if not REGISTRY.served:
        container.button(label, key=key, icon=icon, disabled=True)
        container.caption(":material/lock: " + t("dl.not_served", lang))
        return
    cookie = _cookie()
    if cookie is None:
        container.button(label, key=key, icon=icon, disabled=True)
        container.caption(":material/cookie_off: " + t("dl.no_cookie", lang))
        return
    given = st.session_state.setdefault(_TOKENS, {})
    if container.button(label, key=key, icon=icon, disabled=disabled):
        sess = st.session_state.get(K_SESSION)
        account = sess.username if sess is not None else DEMO_ACTOR
        given[key] = (view, REGISTRY.issue(build, cookie=cookie, account=account, file_name=file_name, mime=mime))
    sig, token = given.get(key, ("", ""))
    if token and sig == view and REGISTRY.live(token):
        container.link_button(t("dl.open", lang, name=file_name), relative(f"/dl/{token}"), icon=":material/file_save:",
                              type="primary")
        container.caption(t("dl.once", lang, s=fmt_int(int(TTL_SECONDS), lang)))
    elif token:
        given.pop(key, None)
