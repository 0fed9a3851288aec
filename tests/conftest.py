"""Shared fixtures and the test tiers.

The suite is in four folders, each marked by its folder (``-m unit`` etc.):

* ``tests/unit`` – povlib: unit, property (hypothesis) and consistency tests;
* ``tests/app``  – Streamlit AppTest of every page and interaction;
* ``tests/cli``  – the command line (in-process where the process itself is not tested);
* ``tests/e2e``  – Playwright in headless Chromium against ``streamlit run`` (marker ``browser``).

The docstring examples of povlib run through ``--doctest-modules`` (pyproject.toml).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def demo():
    import povlib

    return povlib.load_demo()


def pytest_sessionstart(session):
    """Build the province demo panel if it is missing (what ``python -m povlib generate --scope
    bac-kan`` does), so that the province tests run instead of being skipped on a fresh checkout."""
    sys.path.insert(0, str(ROOT)) if str(ROOT) not in sys.path else None
    from povlib.synth import generate, load_scope, write_panel

    out = load_scope("bac-kan").output
    if not out.exists():
        write_panel(generate("bac-kan"), out)


_TIERS = ("unit", "app", "cli", "e2e")


def pytest_collection_modifyitems(config, items):
    """Mark every test with its tier (the folder it lives in); e2e tests are also ``browser``."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        for tier in _TIERS:
            if tier in parts and "tests" in parts:
                item.add_marker(getattr(pytest.mark, tier))
                if tier == "e2e":
                    item.add_marker(pytest.mark.browser)
