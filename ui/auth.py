"""Who is signed in: the app side of :mod:`povlib.access` (accounts, sessions, roles, the audit record).

* **One code path after sign-in.** The built-in form (:func:`sign_in_form_ui`, through
  :func:`povlib.access.sign_in`) and an identity provider (:func:`oidc_ui`, Streamlit's
  ``st.login`` / ``st.user``, mapped to an account of the accounts file) both end in a
  :class:`povlib.access.Session` kept under :data:`K_SESSION` in the session state. Every run
  refreshes it (:func:`current`) against the account as stored now: idle and lifetime expiry,
  a disabled or removed account, a changed role or scope take effect at once.
* **The role comes from the session, never from a widget.** Without a session the app is the
  demo: a viewer of the bundled synthetic data (``ui.filters`` keeps a viewer/officer select for
  the synthetic datasets only, marked "dữ liệu minh họa"); imported data (the store) are listed
  only for a live session.
* **Every disclosure is recorded**: :func:`record_view` (``view_names``, once per view change,
  not per rerun) and :func:`recorded` (``export_names`` when a download is built, on click).

The session state cannot be written by a browser (only widget values are), and every check
is made again on the server at each run from the stored account (:func:`povlib.access.may`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import streamlit as st

from povlib.access import AccountStore, AuditLog, Session, may, refresh, sign_in, sign_in_identity, sign_out
from povlib.access.accounts import utcnow
from povlib.access.roles import refused, role_actions, role_label, scope_communes
from povlib.errors import os_reason
from povlib.i18n import t

from .escape import md_escape

#: the signed-in person (a povlib.access.Session), absent for the demo
K_SESSION = "auth_session"
_NOTE = "_auth_note"          # a message for the next run (session ended, signed out)
_RECORDED = "_auth_recorded"  # the last view recorded per page (view_names once per view change)
_OIDC_REFUSED = "_auth_oidc_refused"  # an identity provider's person with no account (refused once)
DEMO_ACTOR = "-"


# --- the session -----------------------------------------------------------------------------------
def current() -> Session | None:
    """The live session of this browser session, refreshed now (None: not signed in, or it ended)."""
    sess = st.session_state.get(K_SESSION)
    if sess is None:
        return None
    if not isinstance(sess, Session):  # nothing else is ever kept under this key
        st.session_state.pop(K_SESSION, None)
        return None
    try:
        account = AccountStore().get(sess.username)
    except OSError:  # the accounts cannot be read: the session cannot be checked, so it ends
        account = None
    live = refresh(sess, utcnow(), account)
    if live is None:
        st.session_state.pop(K_SESSION, None)
        st.session_state[_NOTE] = "auth.expired"
        return None
    st.session_state[K_SESSION] = live
    return live


def can(action: str, unit: str | None = None, when=None, sess: Session | None = None) -> bool:
    """Whether the signed-in person may do ``action`` (for ``unit`` in review year ``when``)."""
    sess = sess if sess is not None else current()
    return sess is not None and may(sess, action, unit, when)


def role_may(action: str, sess: Session | None) -> bool:
    """Whether the session's role lists ``action`` at all (the menu: which pages to show)."""
    return sess is not None and action in role_actions(sess.role)


def names_communes(sess: Session | None, year: int, communes: Iterable[str]) -> tuple[str, ...]:
    """The communes among ``communes`` whose names the session may see in review ``year``."""
    if sess is None or not role_may("view_names", sess):
        return ()
    allowed = scope_communes(sess, int(year))
    return tuple(c for c in communes if c in allowed)


def may_see_names(f, commune: str) -> bool:
    """Whether the names of ``commune`` may be shown in the view ``f`` (``ui.filters.Filters``): the
    demo select on a synthetic dataset, else the signed-in account's scope in the view's year."""
    from . import cache

    if cache.is_synthetic(f.dataset):
        return f.role == "officer"
    return can("view_names", commune, f.year)


def may_save_plan(f) -> bool:
    """Whether the view ``f`` (``ui.filters.Filters``) may save the office's policy amounts.

    The saved amounts apply to every commune of the office's data, so the account's scope must
    cover every commune of the dataset in the year shown (``save_plan`` in the roles file); on a
    synthetic dataset, the demo's officer. Checked on the server at every run and again on click.
    """
    from . import cache

    if cache.is_synthetic(f.dataset):
        return f.role == "officer"
    sess = current()
    if sess is None or not role_may("save_plan", sess):
        return False
    everything = f.selection.with_(district=None, communes=(), group="all")
    codes = cache.panel_rows(everything, f.year)["commune_code"].astype(str).unique()
    return len(codes) > 0 and not refused(sess, "save_plan", [(c, f.year) for c in codes])


def _start(sess: Session) -> None:
    st.session_state[K_SESSION] = sess
    # the dataset is chosen again (ui.filters.K_DATASET in each language, the URL's ?dataset): the office's
    # default (povlib.intake.default_dataset), which a signed-in account may now open
    for key in [k for k in st.session_state if k == "f_dataset" or k.startswith("f_dataset__")]:
        st.session_state.pop(key, None)
    if "dataset" in st.query_params:
        del st.query_params["dataset"]
    st.session_state.pop(_NOTE, None)
    st.session_state.pop(_RECORDED, None)


def _logout() -> None:
    sess = st.session_state.pop(K_SESSION, None)
    st.session_state.pop(_RECORDED, None)
    if isinstance(sess, Session):
        sign_out(AuditLog(), sess)
        st.session_state[_NOTE] = "auth.logged_out"


# --- drawing -----------------------------------------------------------------------------------
def sidebar_ui(lang: str) -> Session | None:
    """The account box at the top of the sidebar: who is signed in and a logout button; a note when
    the session just ended. Returns the live session (None: the demo)."""
    sess = current()
    note = st.session_state.pop(_NOTE, None)
    if note and _oidc_configured() and st.user.is_logged_in:  # ended or signed out: the provider's cookie too,
        st.logout()                                             # else its identity would sign in again at once
    if note == "auth.expired":
        st.sidebar.warning(t(note, lang), icon=":material/timer_off:")
    elif note:
        st.sidebar.info(t(note, lang), icon=":material/logout:")
    if sess is None:
        _oidc_session(lang)
        sess = current() if st.session_state.get(K_SESSION) is not None else None
    if sess is None:
        st.sidebar.caption(":material/visibility: " + t("auth.anonymous", lang))
        return None
    st.sidebar.markdown(t("auth.signed_in", lang, name=md_escape(sess.display_name or sess.username),
                          role=role_label(sess.role, lang)))
    st.sidebar.button(t("auth.logout", lang), key="auth_logout", on_click=_logout, icon=":material/logout:")
    return sess


def sign_in_form_ui(lang: str) -> Session | None:
    """The sign-in form (user name, password) of the built-in accounts; povlib says what went wrong.

    Returns the new session on success (the caller reruns)."""
    with st.form("auth_form", clear_on_submit=False, enter_to_submit=True):
        name = st.text_input(t("auth.login.username", lang), key="auth_user", max_chars=64,
                             autocomplete="username")
        password = st.text_input(t("auth.login.password", lang), key="auth_password", type="password",
                                 max_chars=256, autocomplete="current-password")
        go = st.form_submit_button(t("auth.login.submit", lang), type="primary", icon=":material/login:")
    if not go:
        return None
    try:
        result, sess = sign_in(AccountStore(), AuditLog(), name, password)
    except OSError as err:  # the store's access folder cannot be read or written
        st.error(t("sec.file_error", lang, name=md_escape(str(err.filename or "")), detail=os_reason(err, lang)))
        return None
    finally:
        st.session_state.pop("auth_password", None)  # the password leaves the session state at once
    if sess is None:
        st.error(result.message(lang), icon=":material/lock:")
        return None
    _start(sess)
    return sess


def require(lang: str, *actions: str) -> Session:
    """The live session if its role may do one of ``actions``; else a message and ``st.stop()``
    (a page reached by its URL, or run on its own, checks again what the menu hides)."""
    sess = current()
    if sess is None:
        st.info(t("auth.need_login", lang), icon=":material/lock:")
        sign_in_form_ui(lang) and st.rerun()
        st.stop()
    if not any(role_may(a, sess) for a in actions):
        st.warning(t("auth.no_right", lang, role=role_label(sess.role, lang)), icon=":material/block:")
        st.stop()
    return sess


# --- the audit record --------------------------------------------------------------------------------
def _actor(sess: Session | None) -> str:
    return sess.username if sess is not None else DEMO_ACTOR


def record(action: str, *, units: Sequence[str] = (), dataset: str = "", version: str | None = "",
           detail: dict | None = None, sess: Session | None = None) -> None:
    """Append an entry for the signed-in person to the audit record."""
    sess = sess if sess is not None else st.session_state.get(K_SESSION)
    AuditLog().append(_actor(sess), action, units=list(units), dataset=dataset, version=version or "",
                      detail=detail)


def record_view(page: str, *, units: Sequence[str], dataset: str, version: str | None, detail: dict) -> None:
    """Record ``view_names`` once per view change of ``page`` (not at every rerun of the same view)."""
    key = (tuple(units), dataset, version or "", tuple(sorted((k, str(v)) for k, v in detail.items())))
    seen = st.session_state.setdefault(_RECORDED, {})
    if seen.get(page) == key:
        return
    record("view_names", units=units, dataset=dataset, version=version, detail={"page": page, **detail})
    seen[page] = key


def recorded(build: Callable[[], bytes], action: str = "export_names", *, units: Sequence[str], dataset: str,
             version: str | None, detail: dict) -> Callable[[], bytes]:
    """``build`` for a download button that also records ``action`` when the file is built (on click)."""
    actor = _actor(st.session_state.get(K_SESSION))
    log = AuditLog()

    def data() -> bytes:
        out = build()
        log.append(actor, action, units=list(units), dataset=dataset, version=version or "", detail=detail)
        return out
    return data


def units_text(pairs: Iterable[tuple[str, int]], lang: str) -> str:
    """``(commune, year)`` pairs for a message."""
    return ", ".join(t("auth.units_years", lang, code=code, year=year) for code, year in pairs)


# --- OpenID Connect (st.login) ------------------------------------------------------------------------
def _oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's OIDC login)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, OSError):
        return False
    except Exception:  # noqa: BLE001 - an unreadable secrets file means: no identity provider
        return False


def _oidc_session(lang: str) -> None:
    """After ``st.login``: the identity (``sub`` or e-mail) mapped to an account, then the same session
    as a password sign-in (:func:`povlib.access.sign_in_identity`) and a new run (the menu follows the
    account); an unknown identity is refused once."""
    if not _oidc_configured() or not st.user.is_logged_in:
        return
    sub, email = str(st.user.get("sub") or ""), str(st.user.get("email") or "")
    if st.session_state.get(_OIDC_REFUSED) == (sub, email):  # refused already (and recorded)
        st.sidebar.error(t("auth.login.oidc_unknown", lang, email=md_escape(email or sub)))
        return
    outcome, sess = sign_in_identity(AccountStore(), AuditLog(), sub, email)
    if sess is None:
        st.session_state[_OIDC_REFUSED] = (sub, email)
        st.sidebar.error(t("auth.login.oidc_unknown", lang, email=md_escape(email or sub)))
        return
    _start(sess)
    st.rerun()  # the menu (app.py) was drawn for a visitor before this run found the identity: draw it again


def oidc_ui(lang: str) -> None:
    """The identity provider's button (when ``[auth]`` is configured)."""
    if not _oidc_configured():
        return
    providers = [k for k, v in st.secrets["auth"].items() if hasattr(v, "keys")]
    provider = providers[0] if providers else None
    label = t("auth.login.oidc", lang, provider=provider or "OIDC")
    if st.button(label, key="auth_oidc", icon=":material/badge:"):
        st.login(provider) if provider else st.login()
