"""One-time download tokens: a names-carrying file served only to the browser that asked for it.

A page that offers a file with names (after its own entitlement check) calls
:meth:`DownloadRegistry.issue` with a *builder* (a function that returns the file's bytes), the
value of the asking browser's download cookie and the account; it gets a random token and shows
a link to ``/dl/<token>``. The app's route (``ui.download_route``, mounted by ``serve.py``) calls
:meth:`DownloadRegistry.claim` with the token and the cookie of the request: the builder is handed
out once, only if the cookie is the one the token was issued to and the token has not expired;
the token is deleted at the first claim whatever its outcome (a wrong cookie burns it too). The
files are built on the request and never enter Streamlit's ``/media/`` store.

Pure Python (no Streamlit, no web framework); the clock is a parameter, so the tests need no sleep.

Examples
--------
>>> clock = iter([0.0, 1.0, 2.0]).__next__
>>> reg = DownloadRegistry(ttl=60, clock=clock)
>>> tok = reg.issue(lambda: b"a;b", cookie="c" * 32, account="lan.nt", file_name="ho.csv", mime="text/csv")
>>> reg.claim(tok, "other").status
'wrong_browser'
>>> reg.claim(tok, "c" * 32).status  # burnt by the wrong claim
'unknown'
"""
from __future__ import annotations

import hmac
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

#: seconds a token may be claimed after it was issued
TTL_SECONDS = 60.0
#: the cookie that identifies a browser to the download route (HttpOnly, SameSite=Strict)
COOKIE_NAME = "giamngheo_dl"
#: tokens kept at most (the oldest are dropped first): a bound on the memory a session can hold
MAX_TOKENS = 256
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,100}")
_COOKIE_RE = re.compile(r"[A-Za-z0-9_-]{20,100}")
_D_BAR = str.maketrans({chr(0x111): "d", chr(0x110): "D"})  # the barred d has no ASCII decomposition


def new_cookie() -> str:
    """A fresh random browser cookie value (256 bits).

    >>> len(new_cookie()) >= 40 and valid_cookie(new_cookie())
    True
    """
    return secrets.token_urlsafe(32)


def valid_cookie(value: str | None) -> bool:
    """Whether ``value`` looks like a cookie this module issued.

    >>> valid_cookie(None), valid_cookie("x"), valid_cookie("a" * 43)
    (False, False, True)
    """
    return bool(value) and _COOKIE_RE.fullmatch(value) is not None


def safe_file_name(name: str) -> str:
    """An ASCII file name for ``Content-Disposition``: no path, no quote, no control character.

    >>> safe_file_name('../Danh sách "hộ" 2019.csv')
    'Danh_sach_ho_2019.csv'
    >>> safe_file_name("")
    'tep'
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    ascii_ = unicodedata.normalize("NFKD", base.translate(_D_BAR))
    ascii_ = ascii_.encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_).strip("._")
    return re.sub(r"_+", "_", cleaned)[:120] or "tep"


@dataclass(frozen=True)
class Claim:
    """The outcome of a claim: ``status`` is ``ok`` (then the builder and the file's name and type),
    ``unknown`` (no such token, or used), ``expired`` or ``wrong_browser``."""

    status: str
    build: Callable[[], bytes] | None = None
    file_name: str = ""
    mime: str = ""
    account: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class _Entry:
    build: Callable[[], bytes]
    cookie: str
    account: str
    file_name: str
    mime: str
    expires: float


@dataclass
class DownloadRegistry:
    """Tokens issued to browsers, each claimable once within ``ttl`` seconds by the same cookie.

    Thread-safe (script runs and the route run in different threads).

    >>> now = [100.0]
    >>> reg = DownloadRegistry(ttl=60, clock=lambda: now[0])
    >>> tok = reg.issue(lambda: b"x", cookie="k" * 32, account="-", file_name="a.csv", mime="text/csv")
    >>> reg.live(tok)
    True
    >>> now[0] = 161.0
    >>> reg.claim(tok, "k" * 32).status
    'expired'
    """

    ttl: float = TTL_SECONDS
    clock: Callable[[], float] = time.monotonic
    max_tokens: int = MAX_TOKENS
    #: set by the entry point that serves ``/dl/<token>`` (``serve.py``); pages say so when it is not
    served: bool = False
    _entries: dict[str, _Entry] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def issue(self, build: Callable[[], bytes], *, cookie: str, account: str, file_name: str, mime: str) -> str:
        """A new one-time token for ``build``, bound to the browser ``cookie`` and to ``account``."""
        if not valid_cookie(cookie):
            raise ValueError("a download token needs the browser's download cookie")
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._purge(now)
            while len(self._entries) >= self.max_tokens:
                self._entries.pop(next(iter(self._entries)))
            self._entries[token] = _Entry(build, cookie, account, safe_file_name(file_name), mime, now + self.ttl)
        return token

    def live(self, token: str) -> bool:
        """Whether ``token`` can still be claimed (issued, unused, unexpired)."""
        with self._lock:
            entry = self._entries.get(token)
            return entry is not None and self.clock() < entry.expires

    def claim(self, token: str, cookie: str | None) -> Claim:
        """Take ``token`` (once): its builder if ``cookie`` is the one it was issued to and it has not expired."""
        if not isinstance(token, str) or _TOKEN_RE.fullmatch(token) is None:
            return Claim("unknown")
        with self._lock:
            entry = self._entries.pop(token, None)
            now = self.clock()
            self._purge(now)
        if entry is None:
            return Claim("unknown")
        if now >= entry.expires:
            return Claim("expired")
        if not cookie or not hmac.compare_digest(entry.cookie.encode(), str(cookie).encode()):
            return Claim("wrong_browser")
        return Claim("ok", entry.build, entry.file_name, entry.mime, entry.account)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _purge(self, now: float) -> None:
        for tok in [k for k, e in self._entries.items() if now >= e.expires]:
            del self._entries[tok]


#: the process's registry: the pages issue, the route of ``serve.py`` claims
REGISTRY = DownloadRegistry()
