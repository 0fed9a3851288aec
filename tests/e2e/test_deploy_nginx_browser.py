"""The documented production stack: Debian's nginx with TLS (the shipped ``deploy/nginx/giamngheo.conf``, a
self-signed certificate) in front of ``streamlit run serve.py`` with the shipped ``deploy/streamlit/config.toml``.

One stack for the module: the health check and the plain-HTTP redirect through nginx, the security headers,
an upload over the limit refused by nginx (413), and a browser that signs in with a built-in account through
the proxy (websocket over ``wss://``), sees the officer's menu, gets only Secure cookies (HttpOnly but for the
XSRF cookie the frontend reads), and is signed out by a reload (the session lives in the tab's connection).
"""
from __future__ import annotations

import http.client
import re
import tomllib
from urllib.parse import urlsplit

import pytest

from tests.support.browser import add_account, shot, sign_in, start_server, stop_server, wait_idle
from tests.support.deploy import (
    DEPLOY_MARKS,
    PROD_CONFIG,
    SITE,
    get,
    insecure_tls,
    local_only,
    production_options,
    start_nginx,
    stop_nginx,
)

pytestmark = DEPLOY_MARKS

USER, PASSWORD = "can.bo.huyen", "mat-khau-dai-1"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deploy")
    store = folder / "store"
    add_account(store, USER, PASSWORD, "district_officer", "06")
    options = production_options({"server.port": None, "server.allowedHosts": ["127.0.0.1"],
                                  "secrets.files": [str(folder / "no-secrets.toml")]})
    app, upstream = start_server(options, env={"POVLIB_STORE": str(store)})
    try:
        proxy, url, plain = start_nginx(folder / "nginx", upstream)
    except BaseException:
        stop_server(app)
        raise
    yield {"url": url, "plain": plain, "upstream": upstream, "store": store, "folder": folder}
    stop_nginx(proxy)
    stop_server(app)


def test_health_redirect_and_security_headers(stack):
    status, body, _ = get(f"{stack['url']}/_stcore/health")
    assert (status, body) == (200, b"ok")
    status, _, headers = get(f"{stack['plain']}/households?lang=vi")
    assert status == 301 and headers["Location"] == "https://127.0.0.1/households?lang=vi"
    status, body, headers = get(f"{stack['url']}/")
    assert status == 200 and b"<html" in body.lower()
    assert headers["Server"] == "nginx"  # server_tokens off: no version
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


def test_upload_limits_agree_and_nginx_refuses_a_bigger_body(stack):
    mib = tomllib.loads(PROD_CONFIG.read_text(encoding="utf-8"))["server"]["maxUploadSize"]
    assert re.search(rf"^\s*client_max_body_size {mib}m;", SITE.read_text(encoding="utf-8"), re.M)
    port = int(stack["url"].rsplit(":", 1)[1])

    def put(length: int, send: bytes = b"") -> tuple[int, str]:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=insecure_tls(), timeout=10)
        try:
            conn.putrequest("PUT", "/_stcore/upload_file/session/widget")
            conn.putheader("Content-Type", "multipart/form-data; boundary=x")
            conn.putheader("Content-Length", str(length))
            conn.endheaders()
            if send:
                conn.send(send)
            r = conn.getresponse()
            return r.status, r.read().decode("utf-8", "ignore")
        finally:
            conn.close()

    status, body = put(mib * 1024 * 1024 + 1)  # refused on its headers, before any byte of the body
    assert status == 413 and "nginx" in body
    status, _ = put(5, b"--x--")  # a small body reaches Streamlit (which wants its XSRF token)
    assert status not in (413, 502) and status >= 400


def test_officer_signs_in_through_nginx(stack, browser):
    frames, sockets = [], []
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    blocked = local_only(ctx)
    try:
        page = ctx.new_page()
        page.on("websocket", lambda ws: (sockets.append(ws.url), ws.on("framereceived", lambda p: frames.append(p))))
        sign_in(page, stack["url"], USER, PASSWORD)
        assert sockets and all(u.startswith(f"wss://{stack['url'][8:]}/_stcore/stream") for u in sockets), sockets
        assert frames  # the app talks over the proxied websocket
        nav = page.get_by_test_id("stSidebarNav")
        links = [text.split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()]  # after the icon
        assert "Dữ liệu" in links and "Danh sách hộ" in links and "Quản trị" not in links, links
        assert "Đăng xuất" in page.get_by_test_id("stSidebar").inner_text()
        nav.get_by_role("link", name="Dữ liệu").click()
        wait_idle(page)
        shot(page, "deploy-nginx-officer-1440")

        cookies = {c["name"]: c for c in ctx.cookies()}
        assert "_streamlit_xsrf" in cookies, cookies.keys()
        assert all(c["secure"] for c in cookies.values()), cookies
        assert not cookies["_streamlit_xsrf"]["httpOnly"]  # read by the frontend (X-Xsrftoken header)
        assert all(c["httpOnly"] for n, c in cookies.items() if n != "_streamlit_xsrf"), cookies

        page.reload()  # a new connection, a new Streamlit session: signed out (README says so and why)
        wait_idle(page)
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        assert "Đăng xuất" not in sidebar and "Chưa đăng nhập" in sidebar, sidebar[:300]
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(1000)  # the sidebar folds away
        shot(page, "deploy-nginx-after-reload-390")
        assert not blocked, blocked  # the dashboard needs nothing off this machine
    finally:
        ctx.close()
    from povlib.access import AuditLog

    assert [e["action"] for e in AuditLog(stack["store"]).entries()][:1] == ["login_ok"]



def test_a_download_with_names_is_not_cached_nor_logged_by_nginx(stack, browser):
    """Issue 15, item 3, through the proxy (README "Downloads that carry names"): the (demo) officer's household
    list with names comes from the app's one-time link ``/dl/<token>`` (``serve.py``), never from ``/media/``; the
    browser's download cookie is Secure behind TLS; nginx answers the file with one ``Cache-Control: no-store,
    private`` beside the security headers, and leaves its address out of the access log (other requests are
    logged)."""
    import time

    files, media, downloads = [], [], []
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1440, "height": 1000}, locale="vi-VN",
                              accept_downloads=True)
    local_only(ctx)
    try:
        ctx.on("request", lambda r: files.append(r.url) if urlsplit(r.url).path.startswith("/dl/") else None)
        ctx.on("request", lambda r: media.append(r.url) if urlsplit(r.url).path.startswith("/media/") else None)
        ctx.on("page", lambda p: p.on("download", lambda d: downloads.append(d)))  # the link opens a tab
        page = ctx.new_page()  # the demo's officer view: the list with (made-up) names
        page.goto(f"{stack['url']}/households?communes=02023&year=2019")
        wait_idle(page)
        box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Vai trò")
        box.locator("input").click()
        page.keyboard.type("Cán bộ")  # the list opens filtered (the select is low in the sidebar)
        try:
            page.get_by_role("option", name="Cán bộ giảm nghèo (hiện họ tên)").click()
        except Exception:
            shot(page, "deploy-nginx-role")
            raise AssertionError(page.get_by_test_id("stSidebar").inner_text()[:800]) from None
        wait_idle(page)
        page.get_by_test_id("stMain").get_by_role("button", name="Tải CSV", exact=True).click()
        link = page.locator('a[href^="dl/"]').first
        try:
            link.wait_for(timeout=60_000)
        except Exception:
            shot(page, "deploy-nginx-no-link")
            raise AssertionError("no one-time link: " + page.get_by_test_id("stMain").inner_text()[-600:]) from None
        link.click()
        deadline = time.monotonic() + 60
        while not downloads and time.monotonic() < deadline:
            page.wait_for_timeout(300)
        assert downloads, "the link downloaded nothing"
        with open(downloads[0].path(), "rb") as fh:
            assert fh.read().count(b"\n") > 1  # the list itself
        assert files and not [u for u in media if not u.endswith(".png")], (files, media)  # images (favicon) only
        # the headers of a second link, fetched with this browser's cookies (the download's tab closes at once)
        seen = page.locator('a[href^="dl/"]').first.get_attribute("href")
        page.get_by_test_id("stMain").get_by_role("button", name="Tải CSV", exact=True).click()
        fresh = page.locator('a[href^="dl/"]').first
        deadline = time.monotonic() + 60
        while fresh.get_attribute("href") == seen and time.monotonic() < deadline:
            page.wait_for_timeout(300)
        resp = ctx.request.get(f"{stack['url']}/{fresh.get_attribute('href')}")
        assert resp.status == 200 and resp.body().count(b"\n") > 1
        headers, path = resp.headers_array, urlsplit(files[0]).path
        cookie = {c["name"]: c for c in ctx.cookies()}["giamngheo_dl"]
    finally:
        ctx.close()
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict", cookie
    cache_control = [h["value"] for h in headers if h["name"].lower() == "cache-control"]
    assert cache_control == ["no-store, private"], headers
    named = {h["name"].lower(): h["value"] for h in headers}
    assert named["x-content-type-options"] == "nosniff" and "max-age=" in named["strict-transport-security"]
    assert named["content-disposition"].startswith("attachment;")
    _, _, root = get(f"{stack['url']}/")
    assert "no-store" not in root.get("Cache-Control", "")  # the app's own pages keep their caching
    log = (stack["folder"] / "nginx" / "logs" / "access.log").read_text(encoding="utf-8")
    assert "GET /households" in log  # the log works...
    assert path not in log and '"GET /dl/' not in log  # ...and holds no download address
