"""Sessions: who is signed in, with which role and scopes, until when.

A :class:`Session` is a small frozen value: pure functions open it, refresh it
on each request (:func:`refresh` – it ends after :data:`DEFAULT_LIFETIME` in
any case, and after :data:`DEFAULT_IDLE` without a request) and expire it
(logout). The clock is a parameter, so tests need no waiting. A refresh given
the account as it is now follows a change of role or scopes at once, and ends
the session of a disabled or removed account.

A session has ``role``, ``scopes`` and ``disabled`` like an account, so
:func:`povlib.access.roles.may` decides for either.

Examples
--------
>>> import datetime as dt
>>> from povlib.access.roles import Grant
>>> t0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
>>> s = open_session("lan.nt", Grant("viewer"), now=t0)
>>> is_live(s, t0 + dt.timedelta(minutes=29)), is_live(s, t0 + dt.timedelta(minutes=31))
(True, False)
>>> s2 = refresh(s, t0 + dt.timedelta(minutes=20))
>>> is_live(s2, t0 + dt.timedelta(minutes=45)), refresh(s, t0 + dt.timedelta(hours=1)) is None
(True, True)
>>> is_live(expire(s2, t0 + dt.timedelta(minutes=21)), t0 + dt.timedelta(minutes=22))
False
"""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field, replace

from .accounts import utcnow
from .roles import Principal, Scope

__all__ = ["DEFAULT_LIFETIME", "DEFAULT_IDLE", "Session", "open_session", "is_live", "refresh", "expire"]

#: a session ends this long after login, whatever happens
DEFAULT_LIFETIME = dt.timedelta(hours=8)
#: and this long after its last request
DEFAULT_IDLE = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Session:
    """A signed-in person.

    Attributes
    ----------
    username, display_name, role : str
    scopes : tuple of Scope
    issued_at, expires_at, last_seen : datetime (UTC)
    idle_timeout : timedelta
    session_id : str
        Random, for the audit record (never a credential by itself).
    disabled : bool
        Always False for an open session (so that it is a :class:`~povlib.access.roles.Principal`).
    """

    username: str
    display_name: str
    role: str
    scopes: tuple[Scope, ...]
    issued_at: dt.datetime
    expires_at: dt.datetime
    last_seen: dt.datetime
    idle_timeout: dt.timedelta = DEFAULT_IDLE
    session_id: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    disabled: bool = False


def open_session(username: str, principal: Principal, *, display_name: str = "", now: dt.datetime | None = None,
                 lifetime: dt.timedelta = DEFAULT_LIFETIME, idle: dt.timedelta = DEFAULT_IDLE) -> Session:
    """A new session for ``username`` with the role and scopes of ``principal`` (an account after login)."""
    now = now or utcnow()
    return Session(username, display_name or getattr(principal, "display_name", "") or username, principal.role,
                   tuple(principal.scopes), now, now + lifetime, now, idle)


def is_live(session: Session | None, now: dt.datetime | None = None) -> bool:
    """Whether ``session`` is still open at ``now``."""
    if session is None or session.disabled:
        return False
    now = now or utcnow()
    return now < session.expires_at and now - session.last_seen < session.idle_timeout


def refresh(session: Session | None, now: dt.datetime | None = None, account: Principal | None | bool = True
            ) -> Session | None:
    """The session after a request at ``now``, or None when it has ended.

    ``account``: the account as stored now (its role and scopes replace the
    session's; None – removed – or disabled ends the session); the default
    ``True`` keeps the session's own.
    """
    now = now or utcnow()
    if not is_live(session, now):
        return None
    if account is True:
        return replace(session, last_seen=now)
    if account is None or account is False or getattr(account, "disabled", False):
        return None
    return replace(session, last_seen=now, role=account.role, scopes=tuple(account.scopes))


def expire(session: Session, now: dt.datetime | None = None) -> Session:
    """The session ended at ``now`` (logout)."""
    now = now or utcnow()
    return replace(session, expires_at=min(session.expires_at, now))
