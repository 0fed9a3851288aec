"""Sign in through the form against ``streamlit run``; nothing with a name reaches a viewer's browser.

The websocket frames the server sends (Streamlit's protobuf messages, read as UTF-8) are searched for
every name of the demo's households of the year shown: a viewer (signed in, or not) gets masked names
only, on the screen and on the wire.
"""
from __future__ import annotations

from tests.support.browser import NEEDS_CHROMIUM, add_account, sign_in, start_server, stop_server, wait_idle

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group


def test_viewer_signs_in_and_no_name_reaches_its_browser(tmp_path, browser, demo):
    store = tmp_path / "store"
    add_account(store, "xem.tinh", "mat-khau-dai-1", "viewer")
    year = int(demo["year"].max())
    listed = demo[(demo["year"] == year) & demo["status"].astype(str).isin(["poor", "near_poor"])]
    names = {n for n in listed["head_name"].astype(str) if len(n) > 8}
    ids = set(listed["id_number"].astype(str))
    proc, url = start_server(env={"POVLIB_STORE": str(store)})
    frames: list[str] = []
    try:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
        page = ctx.new_page()
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda p: frames.append(p.decode("utf-8", "ignore") if isinstance(p, bytes) else p)))
        sign_in(page, url, "xem.tinh", "mat-khau-dai-1")
        nav = page.get_by_test_id("stSidebarNav")
        links = [text.split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()]  # after the icon
        assert "Danh sách hộ" in links and "Dữ liệu" not in links and "Quản trị" not in links, links
        assert "Đăng xuất" in page.get_by_test_id("stSidebar").inner_text()
        nav.get_by_role("link", name="Danh sách hộ").click()
        wait_idle(page)
        page.get_by_text("Họ tên chủ hộ").first.wait_for(state="attached", timeout=60_000)  # the grid: hidden cells
        wire = "\n".join(frames)
        leaked = sorted(n for n in names if n in wire) + sorted(i for i in ids if i in wire)
        assert not leaked, leaked[:5]
        assert len(listed) and "***" in wire  # the list went out, masked
        ctx.close()
    finally:
        stop_server(proc)
    from povlib.access import AuditLog

    assert [e["action"] for e in AuditLog(store).entries()] == ["login_ok"]
