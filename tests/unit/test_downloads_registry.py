"""One-time download tokens (povlib.access.downloads) and the route that serves them (ui.download_route).

The registry's clock is injected (no sleep); the route is tested with Starlette's TestClient on a bare
Starlette app holding the route and the cookie middleware (the same objects ``serve.py`` gives ``st.App``).
"""
from __future__ import annotations

from urllib.parse import urljoin

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from povlib.access.downloads import COOKIE_NAME, DownloadRegistry, new_cookie, safe_file_name
from povlib.i18n import t
from ui.download_route import DownloadCookieMiddleware, download_route
from ui.routes import relative, url_prefix

COOKIE = new_cookie()


class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock():
    return Clock()


@pytest.fixture()
def reg(clock):
    return DownloadRegistry(ttl=60, clock=clock)


def _issue(reg, data=b"Ho;Nguyen Van A", **kw):
    built = []

    def build():
        built.append(1)
        return data
    kw = {"cookie": COOKIE, "account": "lan.nt", "file_name": "danh_sach.csv", "mime": "text/csv", **kw}
    return reg.issue(build, **kw), built


# --- the registry -----------------------------------------------------------------------------------
def test_a_token_is_claimed_once_by_its_cookie(reg):
    tok, built = _issue(reg)
    claim = reg.claim(tok, COOKIE)
    assert claim.ok and claim.build() == b"Ho;Nguyen Van A" and claim.account == "lan.nt"
    assert claim.file_name == "danh_sach.csv" and claim.mime == "text/csv"
    assert reg.claim(tok, COOKIE).status == "unknown"  # one time
    assert not reg.live(tok) and len(reg) == 0


def test_a_token_expires_after_its_ttl(reg, clock):
    tok, _ = _issue(reg)
    clock.now += 59.9
    assert reg.live(tok)
    clock.now += 0.1
    assert not reg.live(tok)
    assert reg.claim(tok, COOKIE).status == "expired"
    assert reg.claim(tok, COOKIE).status == "unknown"


def test_another_browser_is_refused_and_burns_the_token(reg):
    tok, built = _issue(reg)
    assert reg.claim(tok, new_cookie()).status == "wrong_browser"
    assert reg.claim(tok, None).status == "unknown"
    tok2, _ = _issue(reg)
    assert reg.claim(tok2, None).status == "wrong_browser"
    assert reg.claim(tok2, COOKIE).status == "unknown"  # the right browser after a wrong claim: gone
    assert not built  # nothing was ever built


def test_wrong_and_malformed_tokens_are_unknown(reg):
    tok, _ = _issue(reg)
    for bad in ("", "x", tok[:-1] + ("A" if tok[-1] != "A" else "B"), "../../etc/passwd", "a" * 500, None):
        assert reg.claim(bad, COOKIE).status == "unknown", bad
    assert reg.claim(tok, COOKIE).ok  # the real one still works


def test_issue_needs_a_cookie_and_tokens_are_bounded(clock):
    reg = DownloadRegistry(ttl=60, clock=clock, max_tokens=3)
    with pytest.raises(ValueError):
        _issue(reg, cookie="")
    toks = [_issue(reg)[0] for _ in range(5)]
    assert len(reg) == 3 and not reg.live(toks[0]) and reg.live(toks[-1])  # the oldest dropped
    assert len(set(toks)) == 5 and all(len(x) >= 40 for x in toks)


def test_expired_tokens_are_purged(reg, clock):
    _issue(reg)
    clock.now += 61
    _issue(reg)
    assert len(reg) == 1


def test_file_names_are_safe():
    assert safe_file_name("danh_sach_ho_2019.xlsx") == "danh_sach_ho_2019.xlsx"
    assert safe_file_name("Danh sách hộ Đồng 2019.csv") == "Danh_sach_ho_Dong_2019.csv"
    for hostile in ('a"; filename=evil.exe', "..\\..\\x\r\nSet-Cookie: a=b", "/etc/passwd"):
        out = safe_file_name(hostile)
        assert all(c.isalnum() or c in "._-" for c in out), out


# --- the route -------------------------------------------------------------------------------------
def _client(reg, account_ok=None) -> TestClient:
    async def home(_request):
        return PlainTextResponse("ok")
    app = Starlette(routes=[download_route(reg, account_ok), Route("/", home)],
                    middleware=[Middleware(DownloadCookieMiddleware)])
    return TestClient(app, base_url="http://127.0.0.1")


def test_the_middleware_gives_a_browser_an_httponly_strict_cookie_once(reg):
    client = _client(reg)
    first = client.get("/")
    header = first.headers["set-cookie"]
    assert header.startswith(f"{COOKIE_NAME}=") and "HttpOnly" in header and "SameSite=Strict" in header
    assert "Secure" not in header and "Path=/" in header
    assert "set-cookie" not in client.get("/").headers  # the browser has it now
    behind_tls = _client(reg).get("/", headers={"X-Forwarded-Proto": "https"})
    assert "; Secure" in behind_tls.headers["set-cookie"]


def test_the_route_serves_the_asking_browser_once_and_refuses_the_rest(reg, clock):
    client = _client(reg)
    client.get("/")
    cookie = client.cookies[COOKIE_NAME]
    tok, built = _issue(reg, file_name="Danh sách hộ 2019.csv", cookie=cookie)

    other = _client(reg)  # a second browser: its own cookie
    other.get("/")
    refused = other.get(f"/dl/{tok}")
    assert refused.status_code == 403 and refused.text == t("dl.refused.wrong_browser", "vi")
    assert not built

    tok, built = _issue(reg, file_name="Danh sách hộ 2019.csv", cookie=cookie)
    r = client.get(f"/dl/{tok}")
    assert r.status_code == 200 and r.content == b"Ho;Nguyen Van A" and built == [1]
    assert r.headers["cache-control"] == "no-store, private"
    assert r.headers["content-disposition"] == 'attachment; filename="Danh_sach_ho_2019.csv"'
    assert r.headers["content-type"].startswith("text/csv")
    again = client.get(f"/dl/{tok}")
    assert again.status_code == 404 and again.text == t("dl.refused.unknown", "vi")
    assert again.headers["cache-control"] == "no-store, private" and built == [1]

    tok, built = _issue(reg, cookie=cookie)
    clock.now += 61
    late = client.get(f"/dl/{tok}")
    assert late.status_code == 403 and late.text == t("dl.refused.expired", "vi") and not built

    no_cookie = TestClient(client.app, base_url="http://127.0.0.1", cookies=None)
    tok, built = _issue(reg, cookie=cookie)
    assert no_cookie.get(f"/dl/{tok}").status_code == 403 and not built
    assert client.get("/dl/not-a-token-at-all-but-long-enough").status_code == 404


def test_the_route_refuses_an_account_no_longer_allowed(reg):
    allowed = {"lan.nt": False}
    client = _client(reg, account_ok=lambda name: allowed.get(name, False))
    client.get("/")
    tok, built = _issue(reg, cookie=client.cookies[COOKIE_NAME])
    r = client.get(f"/dl/{tok}")
    assert r.status_code == 403 and r.text == t("dl.refused.account", "vi") and not built


def test_under_a_base_url_path_the_route_is_under_it(reg):
    """serve.py builds the route under server.baseUrlPath (ui.routes): /giamngheo/dl/<token>, where the page's
    relative link dl/<token> leads; nothing is served at the root's /dl/."""
    async def home(_request):
        return PlainTextResponse("ok")
    app = Starlette(routes=[download_route(reg, prefix=url_prefix("giamngheo/")), Route("/giamngheo/", home)],
                    middleware=[Middleware(DownloadCookieMiddleware)])
    client = TestClient(app, base_url="http://127.0.0.1")
    client.get("/giamngheo/")
    tok, built = _issue(reg, cookie=client.cookies[COOKIE_NAME])
    assert client.get(f"/dl/{tok}").status_code == 404 and not built
    r = client.get(urljoin("http://127.0.0.1/giamngheo/households", relative(f"/dl/{tok}")))
    assert r.status_code == 200 and r.content == b"Ho;Nguyen Van A" and built == [1]
