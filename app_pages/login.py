"""Đăng nhập (sign in): the built-in accounts' form, and the identity provider's button when
``.streamlit/secrets.toml`` has an ``[auth]`` section. Both end in the same session (``ui.auth``)."""
import streamlit as st

from povlib.access.roles import role_label
from povlib.i18n import t
from ui import auth, filters
from ui.escape import md_escape

lang = st.session_state.get(filters.K_LANG, "vi")
st.header(t("app.page.login", lang))
session = auth.current()
if session is not None:
    st.success(t("access.login.ok", lang, name=md_escape(session.display_name or session.username))
               + " " + role_label(session.role, lang) + ".", icon=":material/verified_user:")
    st.stop()
st.caption(t("auth.login.intro", lang))
if auth.sign_in_form_ui(lang) is not None:
    st.rerun()
auth.oidc_ui(lang)
