"""Sign in and out with a built-in account, recorded in the audit record: the one code path after a login.

:func:`sign_in` checks the password (:meth:`~povlib.access.accounts.AccountStore.verify`),
records ``login_ok`` or ``login_failed`` (with the outcome, never the
password; a name that is no account only as a short hash, since it may be a
password typed into the name field) and opens a :class:`~povlib.access.sessions.Session` on success;
:func:`sign_out` records ``logout`` and expires it. :func:`sign_in_identity` does the same for a
person an OpenID Connect provider vouched for (Streamlit's ``st.login``): the identity (``sub`` or
e-mail) is looked up among the accounts (:meth:`~povlib.access.accounts.AccountStore.find_identity`),
so that both ways end in the same session, with the account's role and scopes.

Examples
--------
>>> import tempfile
>>> from argon2 import PasswordHasher
>>> folder = tempfile.mkdtemp()
>>> store = AccountStore(folder, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
>>> log = AuditLog(folder)
>>> _ = store.add("lan.nt", "mat-khau-dai-1", "viewer")
>>> result, session = sign_in(store, log, "lan.nt", "sai-mat-khau")
>>> result.outcome, session
(<Outcome.WRONG: 'wrong'>, None)
>>> result, session = sign_in(store, log, "lan.nt", "mat-khau-dai-1")
>>> session.role, [e["action"] for e in log.entries()], "mat-khau" in log.path.read_text()
('viewer', ['login_failed', 'login_ok'], False)
"""
from __future__ import annotations

import datetime as dt
import hashlib

from .accounts import AccountStore, LoginResult, Outcome
from .audit import AuditLog
from .sessions import Session, expire, open_session

__all__ = ["sign_in", "sign_in_identity", "sign_out"]


def sign_in(store: AccountStore, log: AuditLog, username: str, password: str, *,
            now: dt.datetime | None = None, via: str = "password") -> tuple[LoginResult, Session | None]:
    """Check a login, record it, and open a session when it succeeds."""
    now = now or store.clock()
    result = store.verify(username, password, now)
    if not result.ok:
        # a name that is no account is kept only as a short hash: it may be a password typed in the wrong field
        known = result.outcome in (Outcome.WRONG, Outcome.DISABLED) or store.get(result.username) is not None
        actor = result.username if known and result.username else "?"
        detail = {"outcome": str(result.outcome), "failures": result.failures, "via": via}
        if actor == "?":
            detail["name_sha256"] = hashlib.sha256(str(username).encode("utf-8")).hexdigest()[:16]
        log.append(actor, "login_failed", detail=detail, when=now)
        return result, None
    acct = result.account
    session = open_session(acct.username, acct, display_name=acct.display_name, now=now)
    log.append(acct.username, "login_ok", units=[s.unit_code for s in acct.scopes],
               detail={"role": acct.role, "session": session.session_id, "via": via}, when=now)
    return result, session


def sign_in_identity(store: AccountStore, log: AuditLog, subject: str, email: str = "", *,
                     now: dt.datetime | None = None) -> tuple[Outcome, Session | None]:
    """Open a session for the account linked to an identity provider's ``subject`` or ``email``, recorded.

    An identity linked to no account (``UNKNOWN``, kept as a short hash) or to a disabled one
    (``DISABLED``) is refused and recorded as ``login_failed`` via ``oidc``.

    >>> import tempfile
    >>> from argon2 import PasswordHasher
    >>> folder = tempfile.mkdtemp()
    >>> store = AccountStore(folder, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    >>> log = AuditLog(folder)
    >>> _ = store.add("lan.nt", "mat-khau-dai-1", "viewer")
    >>> _ = store.set_identity("lan.nt", "lan.nt@backan.gov.vn")
    >>> sign_in_identity(store, log, "sub-1", "someone@example.org")
    (<Outcome.UNKNOWN: 'unknown'>, None)
    >>> outcome, session = sign_in_identity(store, log, "sub-2", "Lan.NT@backan.gov.vn")
    >>> outcome, session.username, session.role, [e["detail"]["via"] for e in log.entries()]
    (<Outcome.OK: 'ok'>, 'lan.nt', 'viewer', ['oidc', 'oidc'])
    """
    now = now or store.clock()
    acct = store.find_identity(subject, email)
    if acct is None or acct.disabled:
        outcome = Outcome.UNKNOWN if acct is None else Outcome.DISABLED
        detail = {"outcome": str(outcome), "via": "oidc"}
        if acct is None:
            detail["name_sha256"] = hashlib.sha256(f"{subject}|{email}".encode()).hexdigest()[:16]
        log.append(acct.username if acct else "?", "login_failed", detail=detail, when=now)
        return outcome, None
    session = open_session(acct.username, acct, display_name=acct.display_name, now=now)
    log.append(acct.username, "login_ok", units=[s.unit_code for s in acct.scopes],
               detail={"role": acct.role, "session": session.session_id, "via": "oidc"}, when=now)
    return Outcome.OK, session


def sign_out(log: AuditLog, session: Session, *, now: dt.datetime | None = None) -> Session:
    """Record the logout and return the expired session."""
    now = now or log.clock()
    log.append(session.username, "logout", detail={"session": session.session_id}, when=now)
    return expire(session, now)
