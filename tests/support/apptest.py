"""AppTest helpers: one page run on its own, the router for the tests that switch pages, chart clicks.

A page script run on its own draws the shared sidebar itself (``ui.filters.current()``), so a test
seeds the filters in the URL (``?year=2019&communes=02023``) and runs that page once; only the tests
of the router (``app.py``: navigation, footer, filters kept across a page switch) start from ``app.py``.

Every AppTest of the suite is made by :func:`from_file` or :func:`from_function`: they give it the one
component registry of the test process (:func:`component_registry`), as a server has one for all its
sessions. A new ``AppTest`` otherwise builds its own at its first run, which reads the metadata of every
installed distribution (0,15–1 s a test on the 2-core machine, most of a page test's time).
"""
from __future__ import annotations

import functools
import json
import threading
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.scriptrunner import ScriptRunnerEvent
from streamlit.testing.v1 import AppTest, local_script_runner

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
TIMEOUT = 180


@functools.cache
def component_registry():
    """The component registry shared by the AppTests of this process (built once, as a server builds it).

    Streamlit's ``BidiComponentManager`` scans the installed distributions for components on
    ``discover_and_register_components``; ``AppTest`` does that on the first run of each instance and keeps
    the result in ``_bidi_component_manager``, which :func:`shared` sets beforehand (an attribute of
    ``AppTest``'s, read by its ``_run``; ``streamlit.components.v2.component_manager`` is where the class is).
    """
    from streamlit.components.v2.component_manager import BidiComponentManager

    registry = BidiComponentManager()
    registry.discover_and_register_components(start_file_watching=False)
    return registry


def wait_for_run_end(runner, timeout: float = 3) -> None:
    """Wait until the script run of ``runner`` (AppTest's ``LocalScriptRunner``) has ended, without polling.

    AppTest's own wait (``local_script_runner.require_widgets_deltas``) wakes every millisecond and scans
    every event of the run so far, on the test's thread, while the script computes on another: about 18 s
    of the 2-core machine's CPU over the AppTest tier (py-spy, 5 Dec), and the GIL taken from the script a
    thousand times a second. This one sleeps until the runner's ``SHUTDOWN`` event (the event the original
    looks for), and on a timeout stops the run and raises as the original does. Installed for every AppTest
    of the suite below (:data:`local_script_runner.require_widgets_deltas` is looked up at each run).
    """
    ended = threading.Event()

    def on_event(_sender, event=None, **_kw):
        if event == ScriptRunnerEvent.SHUTDOWN:
            ended.set()

    runner.on_event.connect(on_event, weak=False)
    try:
        if runner.script_stopped() or ended.wait(timeout):  # (an end before the connection is in the events)
            return
    finally:
        runner.on_event.disconnect(on_event)
    runner.request_stop()
    runner.join()
    raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")


local_script_runner.require_widgets_deltas = wait_for_run_end


def shared(at: AppTest) -> AppTest:
    """``at`` with the process's component registry (see :func:`component_registry`)."""
    at._bidi_component_manager = component_registry()
    return at


def from_file(path, default_timeout: float = TIMEOUT) -> AppTest:
    """``AppTest.from_file`` with the shared component registry."""
    return shared(AppTest.from_file(str(path), default_timeout=default_timeout))


def from_function(script, *, args=(), kwargs=None, default_timeout: float = TIMEOUT) -> AppTest:
    """``AppTest.from_function`` with the shared component registry."""
    return shared(AppTest.from_function(script, args=args, kwargs=kwargs, default_timeout=default_timeout))


def errors(at: AppTest) -> list[str]:
    """The exceptions and the ``st.error`` boxes of the last run (pages catch povlib's errors and show them)."""
    return [f"exception: {e.value}" for e in at.exception] + [f"st.error: {e.value}" for e in at.error]


def assert_ok(at: AppTest, context: str = "") -> None:
    """No exception and no ``st.error`` in the last run."""
    shown = errors(at)
    assert not shown, f"{context}: {shown}"


def new_page(page: str, state: dict | None = None, **query) -> AppTest:
    """The page ``app_pages/<x>.py`` as an AppTest (not run yet), with query parameters and session state."""
    at = from_file(ROOT / page)
    for k, v in query.items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    return at


def open_page(page: str, state: dict | None = None, **query) -> AppTest:
    """One run of ``page`` on its own; asserts that it drew without exception or ``st.error``."""
    at = new_page(page, state, **query).run()
    assert_ok(at, page)
    return at


def open_via_router(page: str, state: dict | None = None, **query) -> AppTest:
    """``app.py`` (router and sidebar) showing ``page``: only for the tests of the router and page switches."""
    at = from_file(APP)
    for k, v in query.items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    assert_ok(at, "app.py")
    if page != "app_pages/overview.py":
        at.switch_page(page)
        at.run()
        assert_ok(at, page)
    return at


def click_chart_points(at: AppTest, key: str, points: list[dict]) -> AppTest:
    """Run again as after a click on ``points`` of the ``st.plotly_chart(key=..., on_select=...)``.

    AppTest has no element for a chart's selection: this sends the selection event the frontend sends
    (the chart's widget state, JSON) with the other widgets' states, so the page's ``on_select``
    callback runs before the script, as in the browser. (Uses AppTest's element tree and run internals:
    ``_tree``, ``_run``.)
    """
    charts = [c for c in at.get("plotly_chart") if getattr(c, "key", None) == key]
    assert charts, f"no plotly chart with key {key!r} in the last run"
    states = at._tree.get_widget_states()
    state = WidgetState(id=charts[0].proto.id)
    state.string_value = json.dumps({"selection": {"points": points, "point_indices": [p.get("point_index", 0)
                                                                                        for p in points],
                                                   "box": [], "lasso": []}})
    states.widgets.append(state)
    return at._run(states)


#: a fast password hasher for the tests' accounts (the app's default is argon2-cffi's RFC 9106 profile)
def fast_hasher():
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def signed_in(role: str = "district_officer", *units: str, username: str | None = None,
              idle_minutes: float = 0, store=None) -> dict:
    """The session state of a person signed in with a built-in account, for ``new_page(state=...)``.

    The account is created (once) in the store in use (``$POVLIB_STORE``, or ``store``): the app checks
    the session against the stored account at every run. ``units``: scope codes (from 2000-01-01);
    ``idle_minutes``: how long ago the last request was (31 makes the session idle-expired).
    """
    import datetime as dt

    from povlib.access import AccountStore, make_scope, open_session
    from ui.auth import K_SESSION

    accounts = AccountStore(store, hasher=fast_hasher())
    name = username or f"{role.split('_')[0]}.{'-'.join(units) or 'all'}"
    acct = accounts.get(name) or accounts.add(name, "mat-khau-dai-1", role, display_name=f"Người dùng {name}",
                                              scopes=[make_scope(c, role=role) for c in units])
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=idle_minutes)
    return {K_SESSION: open_session(acct.username, acct, display_name=acct.display_name, now=now)}
