"""Signing in through an OpenID Connect provider, end to end, behind the production nginx site.

The test starts a provider (``oidc-provider-mock``: an Authlib authorization server with a login form), writes
a ``secrets.toml`` with Streamlit's ``[auth]`` section pointing at it (outside the repository, given by
``--secrets.files``), starts the dashboard and nginx in front (``st.login`` wants a secure origin: TLS). The
browser clicks the province button, answers the provider's form and comes back:

* as a person linked to an account (``users link``): signed in with that account's role, the officer's menu,
  the provider's identity cookies Secure and HttpOnly, ``login_ok via oidc`` in the audit record; still signed
  in after a reload (a new session from the identity cookie, recorded again);
* as a person linked to no account: refused with a message, the viewer's menu, ``login_failed`` recorded.
"""
from __future__ import annotations

import pytest

from tests.support.browser import add_account, free_port, shot, start_server, stop_server, wait_idle
from tests.support.deploy import (
    DEPLOY_MARKS,
    local_only,
    oidc_secrets,
    production_options,
    start_nginx,
    stop_nginx,
)

pytestmark = DEPLOY_MARKS

SUB, EMAIL = "lan-nt-0001", "lan.nt@backan.gov.vn"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    oidc_provider_mock = pytest.importorskip("oidc_provider_mock", reason="requirements-dev.txt: oidc-provider-mock")
    folder = tmp_path_factory.mktemp("oidc")
    store = folder / "store"
    add_account(store, "lan.nt", "mat-khau-dai-1", "district_officer", "06")
    from povlib.access import AccountStore

    AccountStore(store).set_identity("lan.nt", EMAIL)  # python -m povlib users link lan.nt lan.nt@backan.gov.vn
    user = oidc_provider_mock.User(sub=SUB, claims={"email": EMAIL, "name": "Nguyễn Thị Lan"})
    with oidc_provider_mock.run_server_in_thread(user_claims=[user]) as idp:
        https_port = free_port()
        url = f"https://127.0.0.1:{https_port}"
        secrets = oidc_secrets(folder / "secrets.toml", https_url=url, idp_url=f"http://localhost:{idp.server_port}")
        options = production_options({"server.port": None, "server.allowedHosts": ["127.0.0.1"],
                                      "secrets.files": [str(secrets)]})
        app, upstream = start_server(options, env={"POVLIB_STORE": str(store)})
        try:
            proxy, url, _ = start_nginx(folder / "nginx", upstream, https_port=https_port)
        except BaseException:
            stop_server(app)
            raise
        yield {"url": url, "store": store}
        stop_nginx(proxy)
        stop_server(app)


def _login_at_provider(page, url: str, choose) -> None:
    page.goto(f"{url}/login?lang=vi")
    wait_idle(page)
    page.get_by_role("button", name="Đăng nhập bằng tài khoản của tỉnh (tinh)").click()
    page.get_by_role("heading", name="Authorize Client").wait_for(timeout=30_000)  # the provider's form
    choose(page)
    page.wait_for_url(f"{url}/**", timeout=30_000)  # back at the app (the sidebar is drawn before the page)


def _menu(page) -> list[str]:
    nav = page.get_by_test_id("stSidebarNav")
    return [text.split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()]  # after the icon


def _audit(store) -> list[dict]:
    from povlib.access import AuditLog

    return [e for e in AuditLog(store).entries() if e["action"].startswith("login")]


def test_linked_person_signs_in_with_the_accounts_role(stack, browser):
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    local_only(ctx)
    try:
        page = ctx.new_page()
        _login_at_provider(page, stack["url"], lambda p: p.get_by_role("button", name=SUB).click())
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("Đăng xuất").wait_for(timeout=90_000)
        assert "lan.nt" in sidebar.inner_text() and "Cán bộ huyện/tỉnh" in sidebar.inner_text()
        menu = _menu(page)
        assert "Dữ liệu" in menu and "Danh sách hộ" in menu and "Đăng nhập" not in menu, menu
        shot(page, "deploy-oidc-signed-in-1440")
        cookies = {c["name"]: c for c in ctx.cookies() if c["domain"] == "127.0.0.1"}
        assert any(n.startswith("_streamlit_user") for n in cookies), cookies.keys()
        assert all(c["secure"] for c in cookies.values()), cookies
        assert all(c["httpOnly"] for n, c in cookies.items() if n != "_streamlit_xsrf"), cookies

        page.reload()  # a new connection: the provider's identity cookie opens a new session (README)
        page.get_by_test_id("stSidebar").get_by_text("Đăng xuất").wait_for(timeout=90_000)
        menu = _menu(page)  # the menu of the account at once, not the visitor's until the next click
        assert "Dữ liệu" in menu and "Đăng nhập" not in menu, menu
    finally:
        ctx.close()
    ok = [e for e in _audit(stack["store"]) if e["action"] == "login_ok"]
    assert [(e["actor"], e["detail"]["via"]) for e in ok] == [("lan.nt", "oidc")] * 2, ok
    assert ok[0]["detail"]["session"] != ok[1]["detail"]["session"]


def test_unknown_person_is_refused_and_recorded(stack, browser):
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    local_only(ctx)
    try:
        page = ctx.new_page()

        def stranger(p):
            p.get_by_placeholder("sub").fill("nguoi.la@example.org")
            p.get_by_role("button", name="Authorize").click()
        _login_at_provider(page, stack["url"], stranger)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("chưa được cấp quyền").wait_for(timeout=90_000)
        text = sidebar.inner_text().replace("\u200b", "")  # md_escape keeps an address from becoming a link
        assert "nguoi.la@example.org" in text and "Đăng xuất" not in text, text
        menu = _menu(page)
        assert "Dữ liệu" not in menu and "Đăng nhập" in menu, menu
        shot(page, "deploy-oidc-refused-1440")
    finally:
        ctx.close()
    failed = [e for e in _audit(stack["store"]) if e["action"] == "login_failed"]
    assert [(e["actor"], e["detail"]["via"], e["detail"]["outcome"]) for e in failed] == [("?", "oidc", "unknown")]
    assert "nguoi.la" not in str(failed)  # kept as a short hash only
