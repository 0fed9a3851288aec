"""The shared caches fill once for all sessions (issue 15, item 6: no stampede).

Streamlit takes a lock per cache key before computing a missing value
(``st.cache_data`` and ``st.cache_resource``, since Streamlit 1.18), so sessions
that ask for the same cold entry at once wait for one computation. These tests hold
that for the app's loaders: N threads (as N sessions' script threads) ask for the same
cold entry; the loader, once entered, waits until every thread has asked, so without
the lock each thread would compute it and the count would be N.
"""
from __future__ import annotations

import gc
import threading
import weakref

import povlib
from povlib import views
from tests.support.apptest import open_via_router
from ui import cache

SESSIONS = 8


class Gate:
    """Counts callers; the wrapped loader waits (bounded, never asserted) until all have called."""

    def __init__(self, n: int):
        self.n, self.asked, self.computed = n, 0, 0
        self.cond = threading.Condition()

    def ask(self) -> None:
        with self.cond:
            self.asked += 1
            self.cond.notify_all()

    def wrap(self, fn):
        def loader(*a, **k):
            with self.cond:
                self.computed += 1
                self.cond.wait_for(lambda: self.asked >= self.n, timeout=120)
            return fn(*a, **k)
        return loader


def _together(n: int, call) -> list:
    out: list = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        out[i] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out


def test_the_panel_is_loaded_once_for_sessions_asking_at_once(monkeypatch):
    gate = Gate(SESSIONS)
    monkeypatch.setattr(povlib, "load_demo", gate.wrap(povlib.load_demo))
    cache._load_panel.clear()

    def session():
        gate.ask()
        return cache.load_panel("cho-don")

    panels = _together(SESSIONS, session)
    assert gate.computed == 1
    assert all(p is panels[0] for p in panels)  # one shared, read-only frame
    cache._load_panel.clear()


def test_a_view_table_is_computed_once_for_sessions_asking_at_once(monkeypatch):
    cache.load_panel("cho-don")  # warm panel: the test is about the view table
    gate = Gate(SESSIONS)
    monkeypatch.setattr(views, "panel_facts", gate.wrap(views.panel_facts))
    cache._panel_info.clear()

    def session():
        gate.ask()
        return cache.panel_info("cho-don")

    infos = _together(SESSIONS, session)
    assert gate.computed == 1
    assert all(i.years == infos[0].years for i in infos)
    cache._panel_info.clear()


def test_a_page_run_leaves_what_other_sessions_hold_collectable():
    """Issue 15, item 6: memory returns to a plateau once sessions close.

    Whatever another session holds while a page run ends (here a cycle, as a folium map, a figure or
    a session's objects are) must be freed once that session lets it go. The app used to
    ``gc.freeze()`` at the end of a run whenever new modules had been imported (lazy imports went on
    for rounds): that moved every object alive at that moment, in every session, out of the
    collector's reach for good, and the server grew by tens of MB per round of sessions.
    """
    class Held:
        pass

    held = Held()
    held.me = held  # a cycle: only the collector frees it
    ref = weakref.ref(held)
    frozen = gc.get_freeze_count()
    try:
        open_via_router("app_pages/overview.py")  # a whole run of app.py, the router and the page
        assert gc.get_freeze_count() == frozen
        del held
        gc.collect()
        assert ref() is None
    finally:
        gc.unfreeze()  # whatever happens, later tests keep a collector that sees everything


def test_the_facts_of_a_store_are_those_of_the_store_in_use(tmp_path, monkeypatch):
    """Two stores that both hold ``ra-soat`` version 1 are other data: the filters' facts (years) of each
    are its own, not those cached for the store used before (``panel_info`` keys on where the data are)."""
    from povlib import intake as pio

    head = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\n"
    years = {}
    for year in (2018, 2019):
        where = tmp_path / str(year)
        csv = head + f"H1,{year},02020,Tổ 1,Thành thị,4,130,30\n"
        pio.Store(where).import_intake(pio.read_intake(csv.encode(), file_name="xa.csv"), imported_by="test")
        monkeypatch.setenv("POVLIB_STORE", str(where))
        years[year] = list(cache.panel_info("store:ra-soat", "1").years)
    cache._panel_info.clear()
    assert years == {2018: [2018], 2019: [2019]}
