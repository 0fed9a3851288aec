"""Shared fixtures: the bundled demo panel, classified once per session."""
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
