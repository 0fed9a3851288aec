"""Quản trị (administration): the audit record (table, chain check, export) and the accounts.

Only for a role that may read the audit record (``read_audit`` in povlib/rules/access/roles.toml);
accounts are managed on the command line (``python -m povlib users ...``). Hashes of passwords are
never read here (:func:`povlib.access.accounts_table`); the export (it names accounts) is served through a
one-time link for this browser (:mod:`ui.private_download`), built when fetched and recorded as ``audit_export``.
"""
from functools import partial

import streamlit as st

from povlib.access import AccountStore, AuditLog, accounts_table, audit_csv_bytes, audit_table, audit_xlsx_bytes
from povlib.i18n import fmt_int, t
from ui import auth, filters, private_download

lang = st.session_state.get(filters.K_LANG, "vi")
st.header(t("app.page.admin", lang))
session = auth.require(lang, "read_audit")


def _audit_file(build, lang: str) -> bytes:
    """The audit record as it is when the file is fetched."""
    return build(AuditLog().entries(), lang)


log = AuditLog()
st.subheader(t("access.audit.title", lang))
check = log.verify()
if check.ok:
    st.success(check.message(lang), icon=":material/verified:")
else:
    st.error(check.message(lang), icon=":material/gpp_bad:")
entries = log.entries()
if not entries:
    st.info(t("access.audit.empty", lang), icon=":material/info:")
else:
    table = audit_table(entries, lang).iloc[::-1].reset_index(drop=True)
    st.caption(t("auth.admin.entries", lang, n=fmt_int(len(table), lang)))
    st.dataframe(table, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(table)),
                 column_config={table.columns[0]: st.column_config.NumberColumn(format="%d")})
    stem = "nhat_ky_truy_cap"
    c1, c2 = st.columns(2)
    # the record names accounts and the units they saw: a one-time link for this browser (ui.private_download)
    for col, fmt, build, icon, mime in (
            (c1, "csv", audit_csv_bytes, ":material/download:", "text/csv"),
            (c2, "xlsx", audit_xlsx_bytes, ":material/table_view:",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        private_download.names_download_ui(
            col, t(f"auth.admin.download_{fmt}", lang),
            auth.recorded(partial(_audit_file, build, lang), "audit_export", units=(), dataset="", version="",
                          detail={"format": fmt}),
            file_name=f"{stem}.{fmt}", mime=mime, key=f"adm_{fmt}", lang=lang, icon=icon, view=str(len(table)))

st.subheader(t("auth.admin.accounts", lang))
st.dataframe(accounts_table(AccountStore(), lang), hide_index=True, width="stretch")
st.caption(t("auth.admin.accounts_cli", lang))
