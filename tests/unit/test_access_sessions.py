"""Sessions (povlib.access.sessions): a lifetime, an idle timeout, logout, and the account as it is now."""
from __future__ import annotations

import dataclasses
import datetime as dt

from povlib.access import may
from povlib.access.roles import Grant, Scope
from povlib.access.sessions import DEFAULT_IDLE, DEFAULT_LIFETIME, expire, is_live, open_session, refresh

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
OFFICER = Grant("commune_officer", (Scope("02023", "commune", dt.date(2016, 1, 1)),))


def test_idle_timeout_and_lifetime():
    s = open_session("lan.nt", OFFICER, now=T0)
    assert s.expires_at == T0 + DEFAULT_LIFETIME and s.last_seen == T0 and s.display_name == "lan.nt"
    assert is_live(s, T0 + DEFAULT_IDLE - MIN) and not is_live(s, T0 + DEFAULT_IDLE)
    now = T0
    while now + DEFAULT_IDLE - MIN < T0 + DEFAULT_LIFETIME:  # active all day: still ends at the lifetime
        now += DEFAULT_IDLE - MIN
        nxt = refresh(s, now)
        if now >= T0 + DEFAULT_LIFETIME:
            assert nxt is None
            break
        assert nxt is not None and nxt.last_seen == now
        s = nxt
    assert refresh(s, T0 + DEFAULT_LIFETIME) is None
    assert not is_live(None, T0)


def test_logout_ends_the_session():
    s = open_session("lan.nt", OFFICER, now=T0)
    out = expire(s, T0 + MIN)
    assert not is_live(out, T0 + MIN) and refresh(out, T0 + 2 * MIN) is None
    assert expire(out, T0 + 10 * MIN).expires_at == T0 + MIN  # never reopened by a later expire


def test_refresh_follows_the_account_as_stored_now():
    s = open_session("lan.nt", OFFICER, now=T0)
    assert may(s, "view_names", "02023", 2019)
    moved = Grant("commune_officer", (Scope("02026", "commune", dt.date(2016, 1, 1)),))
    s2 = refresh(s, T0 + MIN, moved)
    assert not may(s2, "view_names", "02023", 2019) and may(s2, "view_names", "02026", 2019)
    assert refresh(s, T0 + MIN, dataclasses.replace(OFFICER, disabled=True)) is None
    assert refresh(s, T0 + MIN, None) is None
    assert refresh(s, T0 + MIN, Grant("viewer")).role == "viewer"


def test_sessions_have_distinct_ids():
    ids = {open_session("lan.nt", OFFICER, now=T0).session_id for _ in range(50)}
    assert len(ids) == 50


def test_an_identity_provider_sign_in_ends_in_the_same_session_as_a_password(tmp_path):
    """st.login's identity (sub or e-mail) maps to an account: same role and scopes as its password sign-in;
    an unknown or disabled identity is refused and recorded (issue 13, item 1)."""
    from argon2 import PasswordHasher

    from povlib.access import AccountStore, AuditLog, make_scope, sign_in, sign_in_identity
    from povlib.access.accounts import Outcome

    store = AccountStore(tmp_path, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    log = AuditLog(tmp_path)
    store.add("lan.nt", "mat-khau-dai-1", "commune_officer", scopes=[make_scope("02023", role="commune_officer")])
    store.set_identity("lan.nt", "00u1abc")
    _, by_password = sign_in(store, log, "lan.nt", "mat-khau-dai-1")
    outcome, by_oidc = sign_in_identity(store, log, "00u1abc", "lan@example.org")
    assert outcome is Outcome.OK
    assert (by_oidc.username, by_oidc.role, by_oidc.scopes) == (by_password.username, by_password.role,
                                                                by_password.scopes)
    assert sign_in_identity(store, log, "someone-else", "") == (Outcome.UNKNOWN, None)
    store.set_disabled("lan.nt", True)
    assert sign_in_identity(store, log, "00u1abc") == (Outcome.DISABLED, None)
    assert [(e["action"], e["detail"]["via"]) for e in log.entries()] == [
        ("login_ok", "password"), ("login_ok", "oidc"), ("login_failed", "oidc"), ("login_failed", "oidc")]
