"""Fixtures of the browser tests: ``streamlit run serve.py`` (app.py with its /dl route) on a free port, headless Debian Chromium.

The server and the browser start once per test session (per xdist worker: the e2e tests are in
:data:`tests.conftest.E2E_GROUPS` ``xdist_group`` groups, each on one worker with one server and one browser). A test that needs a
server of its own (another store) starts it with :func:`tests.support.browser.start_server`.
"""
from __future__ import annotations

import pytest

from tests.support.browser import launch_chromium, start_server, stop_server


@pytest.fixture(scope="session")
def server():
    proc, url = start_server()
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()
