"""Entry point of the served dashboard: ``streamlit run serve.py`` (``app.py`` with the app's own routes).

``st.App`` (Streamlit's documented ASGI entry point) runs ``app.py`` as before and adds:

* ``/dl/<token>`` (:func:`ui.download_route.download_route`): the files that carry names, each
  served once, to the browser that asked, within a minute, while its account is still enabled;
* :class:`ui.download_route.DownloadCookieMiddleware`: the browser cookie those tokens are bound to;
* ``/assets/plotly-<version>.min.js`` (:func:`ui.plotly_view.asset_route`): the plotly.js the ``plotly``
  package ships, with which the pages draw their charts (faster in the browser than ``st.plotly_chart``;
  README "Charts in the browser").

``st.App`` mounts these routes where it is told, at the server's root; Streamlit serves the pages under
``server.baseUrlPath``. Each route is therefore built under that base path (:func:`ui.routes.url_prefix`),
where the pages' relative links reach it.

``streamlit run app.py`` still runs the dashboard (and AppTest runs ``app.py``), but without the
routes: the pages then offer no names-carrying download and say why (README "Downloads that carry
names"), and draw their charts with ``st.plotly_chart``.
"""
from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from povlib.access import AccountStore
from povlib.access.downloads import REGISTRY
from ui import plotly_view
from ui.auth import DEMO_ACTOR
from ui.download_route import DownloadCookieMiddleware, download_route
from ui.routes import url_prefix


def _account_ok(name: str) -> bool:
    """The account that asked is still there and enabled (the demo's viewer/officer has none)."""
    if name == DEMO_ACTOR:
        return True
    try:
        account = AccountStore().get(name)
    except OSError:
        return False
    return account is not None and not account.disabled


PREFIX = url_prefix(st.get_option("server.baseUrlPath"))
REGISTRY.served = True
plotly_view.ASSET.served = True
app = st.App("app.py", routes=[download_route(REGISTRY, _account_ok, prefix=PREFIX), plotly_view.asset_route(PREFIX)],
             middleware=[Middleware(DownloadCookieMiddleware)])
