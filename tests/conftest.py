"""Shared fixtures and the test tiers.

The suite is in four folders, each marked by its folder (``-m unit`` etc.):

* ``tests/unit`` – povlib: unit, property (hypothesis) and consistency tests;
* ``tests/app``  – Streamlit AppTest: each page run on its own, and the router (``app.py``);
* ``tests/cli``  – the command line, in-process (``povlib.cli.main``) except where the process itself is tested;
* ``tests/e2e``  – Playwright in headless Chromium against ``streamlit run`` (also marked ``browser``).

``tests/support`` holds the helpers they share. The docstring examples of povlib and ui run through
``--doctest-modules`` (pyproject.toml). ``scripts/test.sh`` runs everything on four processes
(pytest-xdist, ``-n 4 --dist loadgroup``): the e2e tests form three groups (:func:`e2e_groups`), each on one
worker with one server and one browser, that mostly wait on the server while the other workers compute.
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


#: seconds each browser test file took in a whole run on four processes (4 Dec 2026, 22:50 UTC, load average
#: 4–6): the weights that spread the files over :data:`E2E_GROUPS` groups (a new file counts 20 s)
E2E_SECONDS = {
    "test_browser.py": 112, "test_roles_browser.py": 93, "test_phone_browser.py": 80, "test_fit_browser.py": 56,
    "test_units_map_browser.py": 34, "test_deploy_nginx_browser.py": 33, "test_deploy_oidc_browser.py": 29,
    "test_intake_bounds_browser.py": 24, "test_lang_browser.py": 22, "test_base_path_browser.py": 19,
    "test_wait_idle_browser.py": 17, "test_data_page_browser.py": 17, "test_login_browser.py": 16,
    "test_map_labels_browser.py": 12, "test_private_download_browser.py": 9, "test_realdata_browser.py": 8,
}
#: the browser groups: each runs on one worker with its own server and browser (``tests/e2e/conftest.py``)
E2E_GROUPS = 3


def e2e_groups(files, seconds=E2E_SECONDS, groups: int = E2E_GROUPS, new: float = 20) -> dict[str, str]:
    """Each browser test file's group, ``browser-1`` … ``browser-<groups>``: the longest file first, each to the
    group with the least time so far (by ``seconds``; a file not in it counts ``new``).

    >>> e2e_groups(["a.py", "b.py", "c.py", "d.py"], {"a.py": 9, "b.py": 5, "c.py": 4}, groups=2, new=1)
    {'a.py': 'browser-1', 'b.py': 'browser-2', 'c.py': 'browser-2', 'd.py': 'browser-1'}
    """
    load = [0.0] * groups
    out = {}
    for f in sorted(set(files), key=lambda f: (-seconds.get(f, new), f)):
        i = load.index(min(load))
        load[i] += seconds.get(f, new)
        out[f] = f"browser-{i + 1}"
    return out


def _group(item, tier: str | None, browser_groups: dict[str, str]) -> str:
    """The xdist group of ``item``: its browser group (:func:`e2e_groups`) for a browser test, else its file."""
    path = Path(str(item.fspath))
    return browser_groups[path.name] if tier == "e2e" else path.relative_to(ROOT).as_posix()


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
    one of :data:`E2E_GROUPS` (each on one worker, with one server and one browser), every other file its
    own (its module fixtures computed once); e2e and app are put first.
    """
    browser_groups = e2e_groups(Path(str(item.fspath)).name for item in items if _tier(item) == "e2e")
    for item in items:
        tier = _tier(item)
        if tier is not None:
            item.add_marker(getattr(pytest.mark, tier))
            if tier == "e2e":
                item.add_marker(pytest.mark.browser)
        if not any(item.iter_markers("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(_group(item, tier, browser_groups)))
    items.sort(key=lambda item: _ORDER.get(_tier(item) or "", 2))  # stable: keeps the collected order within
