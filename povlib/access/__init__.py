"""Who may see and change what: built-in accounts, unit-scoped roles, sessions and the audit record.

* :mod:`~povlib.access.accounts` – accounts with argon2 password hashes and login throttling;
* :mod:`~povlib.access.roles` – roles as data (``povlib/rules/access/roles.toml``), scopes with dates,
  :func:`may` and the households a principal may see with names;
* :mod:`~povlib.access.sessions` – sessions that expire (pure, clock as a parameter);
* :mod:`~povlib.access.login` – sign in and out, recorded;
* :mod:`~povlib.access.audit` – the append-only, hash-chained audit record;
* :mod:`~povlib.access.files` – the private folder ``<store>/access/`` and its atomic writes;
* :mod:`~povlib.access.downloads` – one-time download tokens bound to a browser cookie (files with names).

Examples
--------
>>> from povlib.access import may, Grant
>>> may(Grant("administrator"), "read_audit"), may(Grant("viewer"), "read_audit")
(True, False)
"""
from __future__ import annotations

from .accounts import Account, AccountStore, LoginResult, Outcome, accounts_table
from .audit import AuditCheck, AuditLog, audit_csv_bytes, audit_table, audit_xlsx_bytes
from .login import sign_in, sign_in_identity, sign_out
from .roles import Grant, Scope, make_scope, may, names_mask, refused, resolve_scope, role_ids, rows_with_names
from .sessions import Session, expire, is_live, open_session, refresh

__all__ = ["Account", "AccountStore", "LoginResult", "Outcome", "accounts_table", "AuditCheck", "AuditLog",
           "audit_csv_bytes", "audit_table", "audit_xlsx_bytes", "sign_in", "sign_in_identity", "sign_out", "Grant", "Scope", "make_scope", "may",
           "names_mask", "refused", "resolve_scope", "role_ids", "rows_with_names", "Session", "expire", "is_live",
           "open_session", "refresh"]
