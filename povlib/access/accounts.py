"""Built-in accounts: argon2 password hashes, scopes, a disabled flag, login throttling.

For an office server without an identity provider. Accounts are kept in
``<store>/access/accounts.json`` (mode 0600, written atomically under a lock):
user name, display name, role, unit scopes (:class:`~povlib.access.roles.Scope`),
disabled flag, the argon2id hash of the password (argon2-cffi's
``PasswordHasher``; re-hashed at the next good login when its parameters
change) and the times it was created and last changed. A password is never
stored, logged or returned in clear.

Login throttling (:data:`FREE_FAILURES`, :func:`lock_seconds`): after five
failed logins in a row a name is locked for 30 s, then twice as long after
each further failure (up to an hour); a good login clears the count, and so
does a quiet day. The state is kept in ``<store>/access/throttle.json`` under
a hash of the name tried – for unknown names too, so that a throttled reply
does not tell which names exist – and so survives a restart.

:meth:`AccountStore.verify` returns a :class:`LoginResult`: ok, wrong,
throttled (until when), disabled (right password, account disabled) or
unknown. Wrong and unknown share one message (:meth:`LoginResult.message`),
and an unknown name is checked against a dummy hash so that both take about
as long.

Examples
--------
>>> import tempfile
>>> from datetime import datetime, timezone
>>> from argon2 import PasswordHasher
>>> store = AccountStore(tempfile.mkdtemp(), hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
>>> acct = store.add("lan.nt", "mat-khau-dai-1", "viewer", display_name="Nguyễn Thị Lan")
>>> acct.password_hash.startswith("$argon2id$"), "mat-khau" in store.path.read_text()
(True, False)
>>> store.verify("lan.nt", "mat-khau-dai-1").outcome, store.verify("LAN.NT ", "sai").outcome
(<Outcome.OK: 'ok'>, <Outcome.WRONG: 'wrong'>)
>>> store.verify("nobody", "x").message("en") == store.verify("lan.nt", "x").message("en")
True
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import PovlibInputError
from ..i18n import t
from .files import access_dir, locked, read_json, write_json_private
from .roles import Scope, check_role, role_label, role_scope_levels, scope_level_error, scopes_display

__all__ = ["ACCOUNTS_FILE", "THROTTLE_FILE", "FREE_FAILURES", "BASE_LOCK_SECONDS", "MAX_LOCK_SECONDS",
           "FORGET_AFTER", "MIN_PASSWORD_LENGTH", "MAX_PASSWORD_LENGTH", "Account", "Outcome", "LoginResult",
           "AccountStore", "accounts_table", "default_hasher", "normalise_username", "check_password", "lock_seconds", "utcnow", "local_time"]

ACCOUNTS_FILE = "accounts.json"
THROTTLE_FILE = "throttle.json"
_LOCK = ".accounts.lock"

#: failed logins in a row allowed before a name is locked
FREE_FAILURES = 5
#: the first lock; each further failure doubles it
BASE_LOCK_SECONDS = 30
#: the longest lock
MAX_LOCK_SECONDS = 3600
#: a name's failures are forgotten after this long without a failure
FORGET_AFTER = dt.timedelta(days=1)
#: most names whose failures are kept (the oldest are forgotten first)
MAX_THROTTLE_ENTRIES = 10_000
MIN_PASSWORD_LENGTH = 10
#: longer passwords are refused (hashing megabytes is a denial of service)
MAX_PASSWORD_LENGTH = 256
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
_VN = dt.timezone(dt.timedelta(hours=7))


def default_hasher() -> PasswordHasher:
    """The password hasher of a store opened without one: argon2-cffi's defaults (argon2id, RFC 9106
    low-memory profile: 3 passes over 64 MiB, 4 lanes). Raising them later re-hashes each password at
    its next good login."""
    return PasswordHasher()


def utcnow() -> dt.datetime:
    """The current time in UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)


def local_time(when: dt.datetime, lang: str = "vi") -> str:
    """``when`` in Vietnam's time (UTC+7), as ``dd/mm/yyyy HH:MM`` (vi) or ``yyyy-mm-dd HH:MM`` (en).

    >>> local_time(dt.datetime(2026, 1, 1, 17, 5, tzinfo=dt.UTC)), local_time(dt.datetime(2026, 1, 1, 17, 5, tzinfo=dt.UTC), "en")
    ('02/01/2026 00:05', '2026-01-02 00:05')
    """
    loc = when.astimezone(_VN)
    return loc.strftime("%Y-%m-%d %H:%M") if lang == "en" else loc.strftime("%d/%m/%Y %H:%M")


def lock_seconds(failures: int) -> int:
    """How long a name is locked after ``failures`` failed logins in a row.

    >>> [lock_seconds(n) for n in (4, 5, 6, 7, 10, 20)]
    [0, 30, 60, 120, 960, 3600]
    """
    if failures < FREE_FAILURES:
        return 0
    return int(min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES)))


def normalise_username(name: str) -> str:
    """The stored form of a user name (NFKC, trimmed, lower case); refused unless plain ASCII.

    >>> normalise_username(" Lan.NT ")
    'lan.nt'
    >>> normalise_username("lan nt")
    Traceback (most recent call last):
    ...
    povlib.errors.PovlibInputError: ...
    """
    norm = unicodedata.normalize("NFKC", str(name)).strip().lower()
    if not _NAME_RE.match(norm):
        raise PovlibInputError.from_key("access.err.bad_username", name=norm[:64])
    return norm


def check_password(password: str, username: str = "") -> str:
    """``password`` if it may be set (long enough, not too long, not the user name), else an error."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise PovlibInputError.from_key("access.err.password_short", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PovlibInputError.from_key("access.err.password_long", n=MAX_PASSWORD_LENGTH)
    if username and password.strip().lower() == username.lower():
        raise PovlibInputError.from_key("access.err.password_is_name")
    return password


def _clean_display(name: str) -> str:
    text = unicodedata.normalize("NFC", str(name or "")).strip()
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return text[:100]


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


@dataclass(frozen=True)
class Account:
    """A built-in account (never carries a password in clear; its hash is left out of ``repr``)."""

    username: str
    display_name: str
    role: str
    scopes: tuple[Scope, ...]
    disabled: bool
    password_hash: str = field(repr=False)
    created: dt.datetime
    changed: dt.datetime
    #: the identity an OpenID Connect provider gives this person (its ``sub`` or e-mail), '' for none
    identity: str = ""

    def to_dict(self) -> dict:
        """JSON-ready data (the hash included: for the accounts file only)."""
        return {"username": self.username, "display_name": self.display_name, "role": self.role,
                "scopes": [s.to_dict() for s in self.scopes], "disabled": self.disabled,
                "password_hash": self.password_hash, "created": _iso(self.created), "changed": _iso(self.changed),
                "identity": self.identity}

    @classmethod
    def from_dict(cls, d: dict) -> Account:
        """The account written by :meth:`to_dict`."""
        return cls(str(d["username"]), str(d.get("display_name", "")), str(d["role"]),
                   tuple(Scope.from_dict(s) for s in d.get("scopes", ())), bool(d.get("disabled", False)),
                   str(d["password_hash"]), _parse(d["created"]), _parse(d["changed"]), str(d.get("identity", "")))


class Outcome(enum.StrEnum):
    """What a login attempt came to."""

    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"
    DISABLED = "disabled"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class LoginResult:
    """The result of :meth:`AccountStore.verify`.

    Attributes
    ----------
    outcome : Outcome
    username : str
        The name as tried, normalised where possible (for the audit record).
    account : Account or None
        The account, only when the outcome is OK.
    until : datetime or None
        When a throttled name may try again (also set on the failure that locked it).
    failures : int
        Failed logins in a row so far.
    """

    outcome: Outcome
    username: str
    account: Account | None = None
    until: dt.datetime | None = None
    failures: int = 0

    @property
    def ok(self) -> bool:
        """Whether the login succeeded."""
        return self.outcome is Outcome.OK

    def message(self, lang: str = "vi") -> str:
        """What to tell the person: wrong and unknown read the same."""
        if self.outcome is Outcome.OK:
            return t("access.login.ok", lang, name=self.account.display_name or self.account.username)
        if self.outcome is Outcome.THROTTLED:
            return t("access.login.throttled", lang, until=local_time(self.until, lang))
        if self.outcome is Outcome.DISABLED:
            return t("access.login.disabled", lang)
        return t("access.login.wrong", lang)


def _throttle_key(name: str) -> str:
    """A hash of the name tried (a password typed into the name field is not kept)."""
    try:
        norm = normalise_username(name)
    except PovlibInputError:
        norm = "\x00invalid"
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


class AccountStore:
    """The accounts of a store folder.

    Parameters
    ----------
    store : path, optional
        The store folder (default :func:`povlib.paths.store_dir`); files go to ``<store>/access/``.
    hasher : argon2.PasswordHasher, optional
        The password hasher (default: argon2-cffi's defaults, RFC 9106 low-memory profile).
    clock : callable, optional
        Returns the current UTC time (tests inject their own).
    """

    def __init__(self, store: str | Path | None = None, *, hasher: PasswordHasher | None = None,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.folder = access_dir(store)
        self.path = self.folder / ACCOUNTS_FILE
        self.throttle_path = self.folder / THROTTLE_FILE
        self.hasher = hasher or default_hasher()
        self.clock = clock or utcnow
        self._dummy: str | None = None

    # --- reading and writing ---------------------------------------------------------------
    def _lock(self):
        return locked(self.folder / _LOCK)

    def _load(self) -> dict[str, Account]:
        raw = read_json(self.path, {"accounts": {}})
        return {k: Account.from_dict(v) for k, v in raw.get("accounts", {}).items()}

    def _save(self, accounts: dict[str, Account]) -> None:
        write_json_private(self.path, {"format": 1, "accounts": {k: a.to_dict() for k, a in sorted(accounts.items())}})

    def accounts(self) -> list[Account]:
        """Every account, by user name."""
        return [a for _, a in sorted(self._load().items())]

    def get(self, username: str) -> Account | None:
        """The account named ``username`` (None if there is none or the name is not valid)."""
        try:
            return self._load().get(normalise_username(username))
        except PovlibInputError:
            return None

    def find_identity(self, subject: str, email: str = "") -> Account | None:
        """The account linked to an identity provider's ``subject`` (or, failing that, ``email``).

        Identities are compared trimmed and in lower case; None when no account carries either.

        >>> import tempfile
        >>> from argon2 import PasswordHasher
        >>> store = AccountStore(tempfile.mkdtemp(), hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        >>> _ = store.add("lan.nt", "mat-khau-dai-1", "viewer")
        >>> _ = store.set_identity("lan.nt", "Lan.NT@backan.gov.vn")
        >>> store.find_identity("x-123", "lan.nt@backan.gov.vn").username, store.find_identity("x-123") is None
        ('lan.nt', True)
        """
        wanted = [v.strip().lower() for v in (subject, email) if v and v.strip()]
        accounts = self.accounts()
        for value in wanted:
            for a in accounts:
                if a.identity and a.identity.strip().lower() == value:
                    return a
        return None

    def set_identity(self, username: str, identity: str, now: dt.datetime | None = None) -> Account:
        """Link the account to an identity provider's subject or e-mail ('' unlinks); one account per identity."""
        value = _clean_display(identity)[:254]
        other = self.find_identity(value) if value else None
        if other is not None and other.username != normalise_username(username):
            raise PovlibInputError.from_key("access.err.identity_taken", identity=value, other=other.username)
        return self._change(username, lambda a, _: replace(a, identity=value), now)

    def has_admin(self) -> bool:
        """Whether an enabled administrator exists."""
        return any(a.role == "administrator" and not a.disabled for a in self.accounts())

    def _change(self, username: str, fn: Callable[[Account, dt.datetime], Account], now=None) -> Account:
        name = normalise_username(username)
        now = now or self.clock()
        with self._lock():
            accounts = self._load()
            if name not in accounts:
                raise PovlibInputError.from_key("access.err.no_account", name=name)
            accounts[name] = replace(fn(accounts[name], now), changed=now)
            self._save(accounts)
            return accounts[name]

    # --- managing ---------------------------------------------------------------------------
    def add(self, username: str, password: str, role: str, *, display_name: str = "",
            scopes: Iterable[Scope] = (), now: dt.datetime | None = None) -> Account:
        """Create an account (refused if the name exists, the role is unknown or a scope does not fit it)."""
        name = normalise_username(username)
        check_role(role)
        scopes = tuple(scopes)
        self._check_scopes(role, scopes)
        check_password(password, name)
        digest = self.hasher.hash(password)
        now = now or self.clock()
        with self._lock():
            accounts = self._load()
            if name in accounts:
                raise PovlibInputError.from_key("access.err.account_exists", name=name)
            accounts[name] = Account(name, _clean_display(display_name), role, scopes, False, digest, now, now)
            self._save(accounts)
            return accounts[name]

    @staticmethod
    def _check_scopes(role: str, scopes: tuple[Scope, ...]) -> None:
        levels = role_scope_levels(role)
        for s in scopes:
            if s.level not in levels:
                raise scope_level_error(role, s.level)

    def set_password(self, username: str, password: str, now: dt.datetime | None = None) -> Account:
        """Set a new password (hashed) and clear the name's failed logins."""
        check_password(password, normalise_username(username))
        digest = self.hasher.hash(password)
        acct = self._change(username, lambda a, _: replace(a, password_hash=digest), now)
        self.unlock(username)
        return acct

    def set_disabled(self, username: str, disabled: bool, now: dt.datetime | None = None) -> Account:
        """Disable or enable an account (enabling also clears its failed logins)."""
        acct = self._change(username, lambda a, _: replace(a, disabled=bool(disabled)), now)
        if not disabled:
            self.unlock(username)
        return acct

    def grant(self, username: str, scope: Scope, now: dt.datetime | None = None) -> Account:
        """Add a scope (an identical one is not added twice)."""
        def fn(a: Account, _):
            self._check_scopes(a.role, (scope,))
            return a if scope in a.scopes else replace(a, scopes=(*a.scopes, scope))
        return self._change(username, fn, now)

    def revoke(self, username: str, unit_code: str, now: dt.datetime | None = None) -> Account:
        """Remove every scope of ``unit_code`` (an error if the account has none)."""
        code = str(unit_code).strip()

        def fn(a: Account, _):
            kept = tuple(s for s in a.scopes if s.unit_code != code)
            if len(kept) == len(a.scopes):
                raise PovlibInputError.from_key("access.err.no_scope", name=a.username, code=code)
            return replace(a, scopes=kept)
        return self._change(username, fn, now)

    # --- throttling -------------------------------------------------------------------------
    def _throttle(self) -> dict:
        return read_json(self.throttle_path, {})

    def _save_throttle(self, state: dict) -> None:
        if len(state) > MAX_THROTTLE_ENTRIES:
            keep = sorted(state.items(), key=lambda kv: kv[1]["last"], reverse=True)[:MAX_THROTTLE_ENTRIES]
            state = dict(keep)
        write_json_private(self.throttle_path, state)

    def throttle_state(self, username: str, now: dt.datetime | None = None) -> tuple[int, dt.datetime | None]:
        """``(failures in a row, locked until or None)`` of a name, as a login would see it."""
        now = now or self.clock()
        entry = self._throttle().get(_throttle_key(username))
        if not entry or now - _parse(entry["last"]) > FORGET_AFTER:
            return 0, None
        until = _parse(entry["until"]) if entry.get("until") else None
        return int(entry["failures"]), until if until and until > now else None

    def unlock(self, username: str) -> None:
        """Forget a name's failed logins."""
        key = _throttle_key(username)
        with self._lock():
            state = self._throttle()
            if state.pop(key, None) is not None:
                self._save_throttle(state)

    def _record_failure(self, username: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
        key = _throttle_key(username)
        with self._lock():
            state = self._throttle()
            entry = state.get(key)
            failures = 0 if not entry or now - _parse(entry["last"]) > FORGET_AFTER else int(entry["failures"])
            failures += 1
            wait = lock_seconds(failures)
            until = now + dt.timedelta(seconds=wait) if wait else None
            state[key] = {"failures": failures, "last": _iso(now), "until": _iso(until) if until else None}
            self._save_throttle(state)
        return failures, until

    # --- login ------------------------------------------------------------------------------
    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(24))
        return self._dummy

    def verify(self, username: str, password: str, now: dt.datetime | None = None) -> LoginResult:
        """Check a login. Never raises for a bad name or password: the outcome says what happened."""
        now = now or self.clock()
        try:
            name = normalise_username(username)
        except PovlibInputError:
            name = ""
        failures, until = self.throttle_state(username, now)
        if until is not None:
            return LoginResult(Outcome.THROTTLED, name, until=until, failures=failures)
        acct = self._load().get(name) if name else None
        password = password if isinstance(password, str) else ""
        good = False
        if len(password) <= MAX_PASSWORD_LENGTH:
            try:
                good = self.hasher.verify(acct.password_hash if acct else self._dummy_hash(), password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                good = False
        else:  # still spend the time of a check
            try:
                self.hasher.verify(self._dummy_hash(), "")
            except VerificationError:
                pass
        if acct is None or not good:
            failures, until = self._record_failure(username, now)
            return LoginResult(Outcome.UNKNOWN if acct is None else Outcome.WRONG, name, until=until,
                               failures=failures)
        if acct.disabled:
            return LoginResult(Outcome.DISABLED, name)
        self.unlock(name)
        if self.hasher.check_needs_rehash(acct.password_hash):
            digest = self.hasher.hash(password)
            acct = self._change(name, lambda a, _: replace(a, password_hash=digest) if
                                a.password_hash == acct.password_hash else a, now)
        return LoginResult(Outcome.OK, name, account=acct)


def accounts_table(store: AccountStore, lang: str = "vi"):
    """The accounts as a table for people (never a hash): name, display name, role, scopes, state, last change.

    >>> import tempfile
    >>> from argon2 import PasswordHasher
    >>> store = AccountStore(tempfile.mkdtemp(), hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    >>> _ = store.add("lan.nt", "mat-khau-dai-1", "viewer")
    >>> tab = accounts_table(store, "en")
    >>> tab.iloc[0, :3].tolist(), any("argon" in str(v) for v in tab.to_numpy().ravel())
    (['lan.nt', '', 'Viewer'], False)
    """
    import pandas as pd

    rows = []
    for a in store.accounts():
        _, until = store.throttle_state(a.username)
        state = (t("access.state.disabled", lang) if a.disabled else
                 t("access.state.locked", lang, until=local_time(until, lang)) if until else t("access.state.active", lang))
        rows.append({t("access.col.username", lang): a.username, t("access.col.display_name", lang): a.display_name,
                     t("access.col.role", lang): role_label(a.role, lang),
                     t("access.col.scopes", lang): scopes_display(a.scopes, lang) or "-",
                     t("access.col.state", lang): state, t("access.col.changed", lang): local_time(a.changed, lang)})
    cols = [t(f"access.col.{c}", lang) for c in ("username", "display_name", "role", "scopes", "state", "changed")]
    return pd.DataFrame(rows, columns=cols)
