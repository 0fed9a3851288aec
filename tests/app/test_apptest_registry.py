"""The suite's AppTests share one component registry per process (``tests.support.apptest``).

Without it every new ``AppTest`` reads the metadata of every installed distribution at its first run
(Streamlit's component discovery), which was most of a page test's time.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.apptest import component_registry, new_page

ROOT = Path(__file__).resolve().parents[2]


def test_page_tests_share_the_process_component_registry():
    first, second = new_page("app_pages/help.py"), new_page("app_pages/help.py")
    first.run()
    assert first._bidi_component_manager is component_registry()
    assert second._bidi_component_manager is component_registry()


def test_every_apptest_of_the_suite_is_made_by_the_support_helpers():
    direct = re.compile(r"AppTest\.from_(file|function|string)\(|\bAppTest\(")
    offenders = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests").rglob("*.py"))
                 if p.name != "apptest.py" and direct.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"use tests.support.apptest.from_file / from_function in {offenders}"


def _sleeps(seconds):
    import time

    import streamlit as st

    time.sleep(seconds)
    st.write("done")


def test_runs_are_waited_for_without_polling_and_a_timeout_still_fails():
    """AppTest's wait is the suite's event-based one: a run is seen to its end, a run past its timeout
    stops and raises as AppTest's own wait does."""
    from streamlit.testing.v1 import local_script_runner

    from tests.support.apptest import from_function, wait_for_run_end

    assert local_script_runner.require_widgets_deltas is wait_for_run_end
    at = from_function(_sleeps, args=(0.3,), default_timeout=10).run()
    assert [m.value for m in at.markdown] == ["done"]
    with pytest.raises(RuntimeError, match="timed out after 0.1"):
        from_function(_sleeps, args=(3,), default_timeout=0.1).run()
