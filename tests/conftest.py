"""Shared fixtures and the test tiers.

The suite is in four folders, each marked by its folder (``-m unit`` etc.):

* ``tests/unit`` – povlib: unit, property (hypothesis) and consistency tests;
* ``tests/app``  – Streamlit AppTest: each page run on its own, and the router (``app.py``);
* ``tests/cli``  – the command line, in-process (``povlib.cli.main``) except where the process itself is tested;
* ``tests/e2e``  – Playwright in headless Chromium against ``streamlit run`` (also marked ``browser``).

``tests/support`` holds the helpers they share. The docstring examples of povlib and ui run through
``--doctest-modules`` (pyproject.toml). ``scripts/test.sh`` runs everything on two processes
(pytest-xdist, ``-n 2 --dist loadgroup``); the e2e tests form one group, so they share one worker,
one server and one browser.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import settings

# shared fixtures (national sample, demo panels): registered here, once, so every xdist worker has them
pytest_plugins = ("tests.support.national_fixtures", "tests.support.demo_fixtures")

ROOT = Path(__file__).resolve().parent.parent

#: no per-example deadline: the suite runs on a shared 2-core machine, where a 200 ms deadline failed a
#: correct property test as "flaky" at load average 14 (the properties are checked, not their speed)
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def demo():
    import povlib

    return povlib.load_demo()


def pytest_sessionstart(session):
    """Build the province demo panel if it is missing or stale (what ``python -m povlib generate --scope
    bac-kan`` does), so that the province tests run instead of being skipped on a fresh checkout.

    Under pytest-xdist the controller builds it before it starts the workers."""
    if hasattr(session.config, "workerinput"):
        return
    from povlib.synth import generate, load_scope, write_panel

    sc = load_scope("bac-kan")
    out = sc.output
    if not out.exists() or _years_of(out) != set(sc.years):  # missing, or made by an older generator
        write_panel(generate("bac-kan"), out)


def _years_of(path) -> set[int]:
    import pyarrow.parquet as pq

    try:
        return {int(y) for y in pq.read_table(path, columns=["year"]).column("year").unique().to_pylist()}
    except Exception:  # noqa: BLE001 - an unreadable file is rebuilt
        return set()


_TIERS = ("unit", "app", "cli", "e2e")
#: the order the tiers are run in: the browser tests first (the longest, mostly waiting on the server),
#: then the AppTest pages, then the rest as collected
_ORDER = {"e2e": 0, "app": 1}


def _tier(item) -> str | None:
    path = Path(str(item.fspath))
    tests_dir = ROOT / "tests"
    if tests_dir not in path.parents:
        return None
    tier = path.relative_to(tests_dir).parts[0]
    return tier if tier in _TIERS else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test with its tier (the folder it lives in); e2e tests are also ``browser``.

    For pytest-xdist (``--dist loadgroup``, see scripts/test.sh) every test gets a group: the e2e tests
    one (one worker, one server, one browser), the AppTest pages one (the app's caches warmed once),
    every other file its own (its module fixtures computed once); e2e and app are put first.
    """
    for item in items:
        tier = _tier(item)
        if tier is not None:
            item.add_marker(getattr(pytest.mark, tier))
            if tier == "e2e":
                item.add_marker(pytest.mark.browser)
        if not any(item.iter_markers("xdist_group")):
            group = {"e2e": "browser", "app": "app"}.get(tier or "", Path(str(item.fspath)).relative_to(ROOT).as_posix())
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: _ORDER.get(_tier(item) or "", 2))  # stable: keeps the collected order within
