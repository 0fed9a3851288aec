"""The app's own download route ``/dl/<token>`` and the browser cookie it checks (Starlette, no Streamlit).

``serve.py`` mounts both on ``st.App``:

* :class:`DownloadCookieMiddleware` gives every browser that has none a random cookie
  (:data:`povlib.access.downloads.COOKIE_NAME`: HttpOnly, SameSite=Strict, Path=/, Secure when the
  request came over TLS – directly or through the proxy's ``X-Forwarded-Proto``). The page reads
  it with ``st.context.cookies`` when it issues a token; JavaScript in the page cannot.
* :func:`download_route` serves ``/dl/<token>`` once: only to the request that carries the cookie
  the token was issued to, within its minute, and only while the account that asked is still
  enabled; the file is built then (the builder records the export in the audit record), sent
  with ``Cache-Control: no-store, private`` and ``Content-Disposition: attachment``. Anything else
  is a short Vietnamese text with 403 (another browser, expired) or 404 (unknown or used).
"""
from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from povlib.access.downloads import COOKIE_NAME, REGISTRY, DownloadRegistry, new_cookie, valid_cookie
from povlib.i18n import t

NO_STORE = {"Cache-Control": "no-store, private", "Pragma": "no-cache", "X-Content-Type-Options": "nosniff"}
REFUSED = {"unknown": 404, "expired": 403, "wrong_browser": 403, "account": 403}  # the text: dl.refused.<status>


def _refuse(status: str) -> Response:
    return PlainTextResponse(t(f"dl.refused.{status}", "vi"), status_code=REFUSED[status], headers=NO_STORE)


def download_route(registry: DownloadRegistry | None = None,
                   account_ok: Callable[[str], bool] | None = None, *, prefix: str = "") -> Route:
    """``GET <prefix>/dl/{token}``: the file of a token of ``registry`` (default the process's).

    ``prefix`` is :func:`ui.routes.url_prefix` of the server's ``server.baseUrlPath`` (the pages link to
    ``dl/<token>``, relative to themselves).
    """
    reg = registry if registry is not None else REGISTRY

    async def serve(request: Request) -> Response:
        claim = reg.claim(request.path_params["token"], request.cookies.get(COOKIE_NAME))
        if not claim.ok:
            return _refuse(claim.status)
        if account_ok is not None and not await run_in_threadpool(account_ok, claim.account):
            return _refuse("account")
        data = await run_in_threadpool(claim.build)
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{claim.file_name}"'}
        return Response(data, media_type=claim.mime or "application/octet-stream", headers=headers)

    return Route(prefix + "/dl/{token}", serve, methods=["GET"])


def _secure(scope: Scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    for name, value in scope.get("headers") or ():
        if name == b"x-forwarded-proto":
            return value.split(b",")[0].strip().lower() == b"https"
    return False


def _has_cookie(scope: Scope) -> bool:
    for name, value in scope.get("headers") or ():
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed Cookie header: treat as absent
                return False
            morsel = jar.get(COOKIE_NAME)
            if morsel is not None and valid_cookie(morsel.value):
                return True
    return False


def cookie_header(value: str, secure: bool) -> bytes:
    """The ``Set-Cookie`` value of the download cookie.

    >>> cookie_header("v" * 43, False).decode().split("; ")[1:]
    ['Path=/', 'HttpOnly', 'SameSite=Strict']
    >>> b"; Secure" in cookie_header("v" * 43, True)
    True
    """
    parts = [f"{COOKIE_NAME}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class DownloadCookieMiddleware:
    """Pure ASGI middleware: set the download cookie on HTTP responses to a browser that has none."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _has_cookie(scope):
            await self.app(scope, receive, send)
            return
        header = cookie_header(new_cookie(), _secure(scope))

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", header)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
