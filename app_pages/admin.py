"""Quản trị (administration): the audit record (table, chain check, export) and the accounts.

Only for a role that may read the audit record (``read_audit`` in povlib/rules/access/roles.toml);
accounts are managed on the command line (``python -m povlib users ...``). Hashes of passwords are
never read here (:func:`povlib.access.accounts_table`); the export is built when its button is
pressed and recorded as ``audit_export``.
"""
import streamlit as st

from povlib.access import AccountStore, AuditLog, accounts_table, audit_csv_bytes, audit_table, audit_xlsx_bytes
from povlib.i18n import fmt_int, t
from ui import auth, filters

lang = st.session_state.get(filters.K_LANG, "vi")
st.header(t("app.page.admin", lang))
session = auth.require(lang, "read_audit")

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
    c1.download_button(t("auth.admin.download_csv", lang),
                       data=auth.recorded(lambda: audit_csv_bytes(AuditLog().entries(), lang), "audit_export",
                                          units=(), dataset="", version="", detail={"format": "csv"}),
                       file_name=f"{stem}.csv", mime="text/csv", key="adm_csv", on_click="ignore",
                       icon=":material/download:")
    c2.download_button(t("auth.admin.download_xlsx", lang),
                       data=auth.recorded(lambda: audit_xlsx_bytes(AuditLog().entries(), lang), "audit_export",
                                          units=(), dataset="", version="", detail={"format": "xlsx"}),
                       file_name=f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="adm_xlsx", on_click="ignore", icon=":material/table_view:")

st.subheader(t("auth.admin.accounts", lang))
st.dataframe(accounts_table(AccountStore(), lang), hide_index=True, width="stretch")
st.caption(t("auth.admin.accounts_cli", lang))
