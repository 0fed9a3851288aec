"""Built-in accounts (povlib.access.accounts): argon2 hashes never in clear, rehash on new parameters,
login throttling that survives a restart, the typed login result, files of mode 0600, sign-in recorded."""
from __future__ import annotations

import datetime as dt
import json
import stat

import pytest
from argon2 import PasswordHasher

from povlib.access import AccountStore, AuditLog, Outcome, sign_in, sign_out
from povlib.access import accounts as acc
from povlib.access.roles import Scope
from povlib.errors import PovlibInputError

PASSWORD = "Mat-khau-rat-dai-42"
T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def cheap(time_cost: int = 1) -> PasswordHasher:
    """A fast hasher for tests (the real one takes 64 MiB and tens of milliseconds)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=8, parallelism=1)


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **kw):
        self.now += dt.timedelta(**kw)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    s = AccountStore(tmp_path, hasher=cheap(), clock=clock)
    s.add("lan.nt", PASSWORD, "commune_officer", display_name="Nguyễn Thị Lan",
          scopes=(Scope("02023", "commune", dt.date(2020, 1, 1)),))
    return s


def test_password_is_hashed_with_argon2id_and_never_stored_in_clear(store, tmp_path):
    text = store.path.read_text(encoding="utf-8")
    assert PASSWORD not in text and PASSWORD.encode().hex() not in text
    digest = json.loads(text)["accounts"]["lan.nt"]["password_hash"]
    assert digest.startswith("$argon2id$")
    assert PASSWORD not in repr(store.get("lan.nt"))
    assert "argon2" not in repr(store.get("lan.nt"))
    for path in tmp_path.joinpath("access").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(tmp_path.joinpath("access").stat().st_mode) == 0o700


def test_accounts_survive_a_restart(store, tmp_path):
    again = AccountStore(tmp_path, hasher=cheap())
    a = again.get("LAN.NT")
    assert (a.display_name, a.role, a.scopes[0].unit_code, a.disabled) == ("Nguyễn Thị Lan", "commune_officer",
                                                                          "02023", False)
    assert a.created == T0 and a.changed == T0


def test_verify_outcomes(store, clock):
    assert store.verify("lan.nt", PASSWORD).outcome is Outcome.OK
    assert store.verify(" Lan.NT", PASSWORD).account.username == "lan.nt"
    wrong = store.verify("lan.nt", PASSWORD + "x")
    unknown = store.verify("nobody", PASSWORD)
    assert (wrong.outcome, unknown.outcome) == (Outcome.WRONG, Outcome.UNKNOWN)
    assert wrong.account is None and unknown.account is None
    for lang in ("vi", "en"):
        assert wrong.message(lang) == unknown.message(lang)  # no way to tell which names exist
    assert store.verify("not a name!", PASSWORD).outcome is Outcome.UNKNOWN
    assert store.verify("lan.nt", "x" * 10_000).outcome is Outcome.WRONG  # over-long: refused without hashing it
    store.set_disabled("lan.nt", True)
    assert store.verify("lan.nt", PASSWORD).outcome is Outcome.DISABLED
    assert store.verify("lan.nt", "wrong-password").outcome is Outcome.WRONG  # disabled only told with the password


class CountingHasher(PasswordHasher):
    """Records the hashes it checks against."""

    def __init__(self):
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checked = []

    def verify(self, hash, password):  # noqa: A002 – argon2's own parameter name
        self.checked.append(hash)
        return super().verify(hash, password)


def test_unknown_name_is_checked_against_a_dummy_hash(store, tmp_path):
    """An unknown name costs a hash check too (about as long as a wrong password)."""
    hasher = CountingHasher()
    counted = AccountStore(tmp_path, hasher=hasher, clock=store.clock)
    assert counted.verify("nobody", PASSWORD).outcome is Outcome.UNKNOWN
    assert counted.verify("lan.nt", "wrong-password").outcome is Outcome.WRONG
    assert len(hasher.checked) == 2 and all(h.startswith("$argon2id$") for h in hasher.checked)
    assert hasher.checked[0] != store.get("lan.nt").password_hash


def test_five_failures_lock_with_exponential_backoff(store, clock):
    for i in range(acc.FREE_FAILURES - 1):
        assert store.verify("lan.nt", f"wrong-{i}").until is None
    r = store.verify("lan.nt", "wrong-5")
    assert r.outcome is Outcome.WRONG and r.until == clock.now + dt.timedelta(seconds=acc.BASE_LOCK_SECONDS)
    locked = store.verify("lan.nt", PASSWORD)  # even the right password is refused while locked
    assert locked.outcome is Outcome.THROTTLED and locked.until == r.until
    assert "Vui lòng thử lại sau" in locked.message("vi")
    clock.advance(seconds=acc.BASE_LOCK_SECONDS)
    r6 = store.verify("lan.nt", "wrong-6")
    assert r6.until - clock.now == dt.timedelta(seconds=2 * acc.BASE_LOCK_SECONDS)
    clock.advance(seconds=2 * acc.BASE_LOCK_SECONDS)
    assert store.verify("lan.nt", PASSWORD).ok  # a good login clears the count
    assert store.throttle_state("lan.nt") == (0, None)


def test_ten_wrong_passwords_throttle_and_a_restart_does_not_reset(store, tmp_path, clock):
    results = [store.verify("lan.nt", f"wrong-{i}") for i in range(10)]
    assert [r.outcome for r in results][:5] == [Outcome.WRONG] * 5
    assert all(r.outcome is Outcome.THROTTLED for r in results[5:])
    restarted = AccountStore(tmp_path, hasher=cheap(), clock=clock)
    assert restarted.verify("lan.nt", PASSWORD).outcome is Outcome.THROTTLED
    # unknown names are throttled the same way (a throttled reply tells nothing about existence)
    for i in range(6):
        last = restarted.verify("nobody", f"wrong-{i}")
    assert last.outcome is Outcome.THROTTLED
    assert "nobody" not in restarted.throttle_path.read_text()  # names tried are kept hashed only
    restarted.set_disabled("lan.nt", False)  # enabling clears the lock
    assert restarted.verify("lan.nt", PASSWORD).ok


def test_failures_are_forgotten_after_a_quiet_day(store, clock):
    for i in range(acc.FREE_FAILURES - 1):
        store.verify("lan.nt", f"wrong-{i}")
    clock.advance(days=1, seconds=1)
    assert store.verify("lan.nt", "wrong-again").failures == 1


def test_rehash_when_parameters_change(store, tmp_path, clock):
    old = store.get("lan.nt").password_hash
    stronger = AccountStore(tmp_path, hasher=cheap(time_cost=2), clock=clock)
    assert stronger.verify("lan.nt", PASSWORD).ok
    new = stronger.get("lan.nt").password_hash
    assert new != old and "t=2" in new and "t=1" in old
    assert stronger.verify("lan.nt", PASSWORD).ok and stronger.get("lan.nt").password_hash == new


def test_management_refusals(store):
    with pytest.raises(PovlibInputError, match="đã có"):
        store.add("LAN.NT", PASSWORD, "viewer")
    with pytest.raises(PovlibInputError):
        store.add("x y", PASSWORD, "viewer")
    with pytest.raises(PovlibInputError):
        store.add("new.user", "short", "viewer")
    with pytest.raises(PovlibInputError):
        store.add("new.user", "new.user", "viewer")
    with pytest.raises(PovlibInputError):
        store.add("new.user", PASSWORD, "superuser")
    with pytest.raises(PovlibInputError):  # a viewer takes no scope
        store.add("new.user", PASSWORD, "viewer", scopes=(Scope("02023", "commune", dt.date(2020, 1, 1)),))
    with pytest.raises(PovlibInputError):  # a commune officer takes no district
        store.grant("lan.nt", Scope("064", "district", dt.date(2020, 1, 1)))
    with pytest.raises(PovlibInputError):
        store.revoke("lan.nt", "02026")
    with pytest.raises(PovlibInputError):
        store.set_disabled("nobody", True)
    assert [a.username for a in store.accounts()] == ["lan.nt"]


def test_grant_revoke_and_password_change(store, clock):
    clock.advance(hours=1)
    s = Scope("02026", "commune", dt.date(2021, 1, 1), dt.date(2025, 6, 30))
    a = store.grant("lan.nt", s)
    assert a.scopes[-1] == s and a.changed == clock.now and store.grant("lan.nt", s).scopes.count(s) == 1
    assert [x.unit_code for x in store.revoke("lan.nt", "02023").scopes] == ["02026"]
    store.set_password("lan.nt", "Mot-mat-khau-moi-7")
    assert store.verify("lan.nt", PASSWORD).outcome is Outcome.WRONG
    assert store.verify("lan.nt", "Mot-mat-khau-moi-7").ok


def test_sign_in_and_out_are_recorded_without_the_password(store, tmp_path, clock):
    log = AuditLog(tmp_path, clock=clock)
    r, session = sign_in(store, log, "lan.nt", "wrong-password")
    assert session is None and r.outcome is Outcome.WRONG
    r, session = sign_in(store, log, "lan.nt", PASSWORD)
    assert r.ok and session.role == "commune_officer" and session.scopes == store.get("lan.nt").scopes
    ended = sign_out(log, session)
    entries = log.entries()
    assert [e["action"] for e in entries] == ["login_failed", "login_ok", "logout"]
    assert entries[0]["detail"]["outcome"] == "wrong" and entries[1]["units"] == ["02023"]
    assert ended.expires_at == clock.now
    raw = log.path.read_text(encoding="utf-8")
    assert PASSWORD not in raw and "wrong-password" not in raw and "argon2" not in raw
    assert log.verify().ok
    sign_in(store, log, "Mat-khau-go-nham", "x")  # a password typed into the name field is not recorded
    sign_in(store, log, "lan.nt", "x")
    unknown, wrong = log.entries()[-2:]
    assert unknown["actor"] == "?" and len(unknown["detail"]["name_sha256"]) == 16
    assert "mat-khau-go-nham" not in log.path.read_text(encoding="utf-8").lower()
    assert (wrong["actor"], wrong["detail"]["outcome"]) == ("lan.nt", "wrong")
