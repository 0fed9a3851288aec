"""The browser tests' wait for an idle app (``tests.support.browser.wait_idle``) waits for what an action started.

A small app of its own (``streamlit run`` of a script written by the test): a button whose run takes a second,
a button whose run asks for another run (``st.rerun``), and a page switch. After each action ``wait_idle`` must
return only once the answer is on screen: every other browser test relies on it. The page's messages to the
server leave 0,8 s late (a busy machine: the app still looks idle for that long after the click), so a wait
that looked only at the app's state would return before the run began; at the end a message reaches the wait's
own watch 0,3 s after the click, so a wait whose quiet spell began before the call would return at once.
"""
from __future__ import annotations

import time

import pytest

from tests.support.browser import NEEDS_CHROMIUM, start_server, stop_server, wait_idle

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group

SCRIPT = '''import time

import streamlit as st


def first():
    st.header("Trang một")
    if st.button("Chạy chậm"):
        time.sleep(1.0)
        st.write("Xong sau một giây")
    if st.button("Chạy lại"):
        st.session_state.rounds = 3
    if st.session_state.get("rounds", 0) > 0:
        time.sleep(0.3)
        st.session_state.rounds -= 1
        st.session_state.done = st.session_state.get("done", 0) + 1
        st.rerun()
    st.write(f"Số lần chạy lại: {st.session_state.get('done', 0)}")


def second():
    time.sleep(0.8)
    st.header("Trang hai")
    st.write("Trang hai đã vẽ xong")


st.navigation([st.Page(first, title="Một", url_path="one"), st.Page(second, title="Hai", url_path="two")]).run()
'''


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    script = tmp_path_factory.mktemp("idle") / "idle_app.py"
    script.write_text(SCRIPT, encoding="utf-8")
    proc, url = start_server(script=script)
    yield url
    stop_server(proc)


#: every message the page sends to the server leaves 0,8 s late (installed before wait_idle's own watch)
LATE_SEND = """(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) { setTimeout(() => send.call(this, data), 800); };
})();"""


def test_wait_idle_returns_once_the_answer_of_an_action_is_drawn(small_app, browser):
    ctx = browser.new_context(viewport={"width": 1000, "height": 800}, locale="vi-VN")
    ctx.add_init_script(LATE_SEND)
    try:
        page = ctx.new_page()
        page.goto(f"{small_app}/")
        wait_idle(page)
        main = page.get_by_test_id("stMain")

        page.get_by_role("button", name="Chạy chậm").click()
        started = time.monotonic()
        wait_idle(page)
        assert "Xong sau một giây" in main.inner_text()  # drawn before wait_idle returned
        assert time.monotonic() - started >= 1.0

        page.get_by_role("button", name="Chạy lại").click()
        wait_idle(page)
        assert "Số lần chạy lại: 3" in main.inner_text()  # three runs the server asked for itself

        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Hai").click()
        wait_idle(page)
        assert "Trang hai đã vẽ xong" in main.inner_text()

        # a message that reaches the watch itself 0,3 s after the click (a debounced widget, a component)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Một").click()
        wait_idle(page)
        assert "Xong sau một giây" not in main.inner_text()
        page.evaluate(LATE_SEND.replace("800", "300"))  # wraps the watch: the message reaches it late
        page.get_by_role("button", name="Chạy chậm").click()
        wait_idle(page)
        assert "Xong sau một giây" in main.inner_text()
    finally:
        ctx.close()
