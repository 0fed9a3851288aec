"""Each role in Chromium, signed in through the built-in accounts (issue 13, "Tests"): the menu, the household
list, every download with names, the map's tooltips, and a commune officer's import for another commune.

One server for the module, on a store holding 25 poor/near-poor households of each of two communes of Chợ Đồn
(02023 Xã Xuân Lạc, the commune officer's; 02020 Thị trấn Bằng Lũng, another one) of the 2019 review, with a
head's name and a village that start like spreadsheet formulas. One browser tab signs out and in again for
each role (viewer, commune officer, district officer, administrator); every websocket frame the server sends
to it is kept, so that "no name" is checked on the wire as well as on the screen and in the files. The
tests of a module run in order (the last one reads the audit record of all).
"""
from __future__ import annotations

import csv
import io
import re
import time

import pytest

from povlib.i18n import t
from tests.support.browser import (
    FOLIUM_IFRAME,
    NEEDS_CHROMIUM,
    add_account,
    assert_no_error,
    click_latlng,
    map_frame,
    shot,
    sign_in,
    start_server,
    stop_server,
    wait_idle,
)

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group

OWN, OTHER = "02023", "02020"
DATASET = "store:ra-soat"
PASSWORD = "mat-khau-dai-1"
FORMULA_NAME = '=HYPERLINK("http://vi.du") Lò Văn Hải'  # a head's name of OWN that Excel would run
FORMULA_VILLAGE = "@SUM(1) Bản Pác"                    # a village of OTHER (shown to every role)
#: role -> (account, the communes whose names it sees, the menu's pages it has beyond the viewer's)
ROLES = {
    "viewer": ("xem.tinh", set(), set()),
    "commune_officer": ("can.bo.xa", {OWN}, {"Dữ liệu"}),
    "district_officer": ("can.bo.huyen", {OWN, OTHER}, {"Dữ liệu"}),
    "administrator": ("quan.tri", set(), {"Quản trị"}),
}
SCOPES = {"commune_officer": (OWN,), "district_officer": ("064",)}
ONLY_SOME = {"Dữ liệu", "Quản trị"}  # pages in the menu only for a role that may use them
# a text cell that a spreadsheet would read as a formula (a number such as -1 is not text in XLSX; in CSV
# a negative number is allowed, not "-" followed by a letter)
_FORMULA_CELL = re.compile(r"^(?:[=+@\t\r]|-(?![\d.,]))")


def _rows(demo, code: str, n: int = 25):
    y = demo[(demo["year"] == 2019) & (demo["commune_code"] == code)]
    return y[y["status"].astype(str).isin(["poor", "near_poor"])].head(n).copy()


@pytest.fixture(scope="module")
def app(tmp_path_factory, demo):
    """The store (imported as version 1), the four accounts, and ``streamlit run`` on it."""
    import pandas as pd

    from povlib import intake as pio
    from povlib.intake.settings import set_default_dataset

    store = tmp_path_factory.mktemp("roles") / "store"
    own, other = _rows(demo, OWN), _rows(demo, OTHER)
    for df in (own, other):
        df[["head_name", "village"]] = df[["head_name", "village"]].astype(str)
    own.iloc[0, own.columns.get_loc("head_name")] = FORMULA_NAME
    other.iloc[0, other.columns.get_loc("village")] = FORMULA_VILLAGE
    rows = pd.concat([own, other])
    pio.Store(store).import_intake(pio.read_intake(pio.export_to_template(rows, fmt="csv"), file_name="hai_xa.csv"),
                                   imported_by="setup")
    loaded = pio.Store(store).load()
    assert FORMULA_NAME in set(loaded["head_name"]) and FORMULA_VILLAGE in set(loaded["village"])  # kept as typed
    set_default_dataset(DATASET, store)  # what a session opens after signing in
    for role, (user, _, _) in ROLES.items():
        add_account(store, user, PASSWORD, role, *SCOPES.get(role, ()))
    names = {code: set(rows.loc[rows["commune_code"] == code, "head_name"]) for code in (OWN, OTHER)}
    ids = {code: set(rows.loc[rows["commune_code"] == code, "id_number"].astype(str)) for code in (OWN, OTHER)}
    proc, url = start_server(env={"POVLIB_STORE": str(store)})
    yield {"url": url, "store": store, "names": names, "ids": ids, "demo_other": _rows(demo, OTHER, 5)}
    stop_server(proc)


@pytest.fixture(scope="module")
def tab(app, browser):
    """One tab for every role; ``tab.frames``: the websocket frames received since the last sign-in."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="vi-VN", accept_downloads=True)
    page = ctx.new_page()
    page.frames_received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: page.frames_received.append(
        p.decode("utf-8", "ignore") if isinstance(p, bytes) else p)))
    yield page
    ctx.close()


# --- helpers -------------------------------------------------------------------------------------------
def _go(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(re.compile(r"/" + {"Danh sách hộ": "households", "Báo cáo": "reports", "Bản đồ": "map",
                                          "Dữ liệu": "data"}[title] + r"(\?|$)"), timeout=60_000)
    wait_idle(page)
    assert_no_error(page, title)


#: the keys of the buttons of files with names (a one-time link, ui.private_download; not a download button)
_LINK_KEYS = ("hh_csv", "hh_xlsx", "rep_xlsx", "rep_pdf", "rep_csv_")


def _link_buttons(page):
    sel = ", ".join(f'[class*="st-key-{k}"] [data-testid="stButton"] button' for k in _LINK_KEYS)
    return page.get_by_test_id("stMain").locator(sel)


def _download_labels(page) -> list[str]:
    """The labels of every download of the page: download buttons, then buttons of one-time links (after their icon)."""
    texts = page.get_by_test_id("stMain").get_by_test_id("stDownloadButton").get_by_role("button").all_inner_texts()
    return [text.split("\n")[-1] for text in texts + _link_buttons(page).all_inner_texts()]


def _links(page) -> set[str]:
    return set(page.get_by_test_id("stMain").locator('a[href^="dl/"]').evaluate_all("els => els.map(e => e.href)"))


def _download(page, label: str) -> tuple[str, bytes]:
    """A download button's file; or, for a file with names, press the button and follow its one-time link."""
    if page.get_by_test_id("stMain").get_by_test_id("stDownloadButton").filter(has_text=label).count():
        with page.expect_download(timeout=90_000) as dl:
            page.get_by_role("button", name=label, exact=True).click()
        with open(dl.value.path(), "rb") as fh:
            return dl.value.suggested_filename, fh.read()
    before = _links(page)
    _link_buttons(page).filter(has_text=label).first.click()
    deadline = time.monotonic() + 90
    while not (_links(page) - before) and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    (href,) = _links(page) - before
    # fetched with this browser's cookies (the click itself: tests/e2e/test_private_download_browser.py)
    resp = page.context.request.get(href)
    assert resp.status == 200, (label, resp.status, resp.text()[:200])
    name = re.search(r'filename="([^"]+)"', resp.headers["content-disposition"]).group(1)
    return name, resp.body()


def _cells(name: str, data: bytes) -> list[str]:
    """Every text cell of a downloaded CSV, XLSX or PDF (its text: one "cell" per line)."""
    if name.endswith(".csv"):
        return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        out = []
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", f"{name}: a formula in {ws.title}!{c.coordinate}: {c.value}"
                    if isinstance(c.value, str):
                        out.append(c.value)
        return out
    if name.endswith(".pdf"):
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).splitlines()
    raise AssertionError(f"unexpected download {name}")


def _check_file(app, name: str, data: bytes, sees: set[str], covers: set[str], *, formulas: bool = True) -> None:
    """Names present for the communes of ``covers`` the role sees, absent (masked) for the others; the cells
    that start like a formula (the head's name of OWN, real or masked; the village of OTHER) made inert."""
    from povlib.privacy import mask_name

    cells = _cells(name, data)
    text = "\n".join(cells)
    for code in (OWN, OTHER):
        shown = {n for n in app["names"][code] if n in text}
        ids = {i for i in app["ids"][code] if i in text}
        if code in sees & covers:
            expected = app["names"][code] - ({FORMULA_NAME} if name.endswith(".pdf") else set())
            assert shown >= expected, (name, code, sorted(expected - shown)[:3])
        else:  # a name that is also a household's of a commune shown (two "Ma Văn Sơn") is no leak
            shown -= set().union(*(app["names"][c] for c in sees & covers))
            assert not shown and not ids, (name, code, sorted(shown | ids)[:3])
    if not formulas:
        return
    bad = [c for c in cells if _FORMULA_CELL.match(c)]
    assert not bad, (name, bad[:5])
    expected = {"'" + (FORMULA_NAME if OWN in sees else mask_name(FORMULA_NAME))} if OWN in covers else set()
    expected |= {"'" + FORMULA_VILLAGE} if OTHER in covers else set()
    assert expected <= set(cells), (name, sorted(expected - set(cells)))


def _wire(page) -> str:
    return "\n".join(page.frames_received)


def _leaks(app, wire: str, sees: set[str]) -> list[str]:
    """Names and ID numbers of the communes the role may not see that reached its browser."""
    hidden = [c for c in (OWN, OTHER) if c not in sees]
    seen = set().union(*(app["names"][c] for c in sees))  # the same name in a commune shown is no leak
    return sorted(x for c in hidden for x in (app["names"][c] - seen) | app["ids"][c] if x in wire)


def _point(code: str):
    """A point inside commune ``code`` (2019's boundaries)."""
    from povlib.geo import period_boundaries

    layer = period_boundaries("cho-don", 2019)
    return layer.loc[layer["code"] == code].geometry.representative_point().iloc[0]


def _hover_commune(page, code: str) -> str:
    """Move the mouse onto commune ``code`` on the map; the tooltip's text."""
    pt = _point(code)
    frame = map_frame(page)
    page.locator(FOLIUM_IFRAME).first.scroll_into_view_if_needed()
    x, y = frame.evaluate("""([lat, lng]) => {
            const p = window.map.latLngToContainerPoint([lat, lng]);
            const r = window.map.getContainer().getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }""", [pt.y, pt.x])
    box = page.locator(FOLIUM_IFRAME).first.bounding_box()
    page.mouse.move(box["x"] + x - 3, box["y"] + y - 3)
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for(timeout=30_000)
    return tip.inner_text()


# --- one test per role, in one tab --------------------------------------------------------------------
@pytest.mark.parametrize("role", list(ROLES))
def test_menu_households_downloads_posting_list_and_map_of_each_role(app, tab, role):
    page, (user, sees, extra) = tab, ROLES[role]
    logout = page.get_by_test_id("stSidebar").get_by_role("button", name=t("auth.logout", "vi"))
    if logout.count():  # the previous role's session ends (recorded), then a new one opens
        logout.click()
        page.get_by_text(t("auth.logged_out", "vi")).wait_for(timeout=60_000)
    page.frames_received.clear()
    sign_in(page, app["url"], user, PASSWORD)
    wait_idle(page)

    # the menu: the pages of the role only
    nav = page.get_by_test_id("stSidebarNav")
    links = {text.split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()}  # after the icon
    assert {"Tổng quan", "Bản đồ", "Danh sách hộ", "Báo cáo"} <= links, links
    assert links & ONLY_SOME == extra and "Đăng nhập" not in links, links

    # the household list: the store's 50 households, names only within the role's communes
    _go(page, "Danh sách hộ")
    page.get_by_text(t("hh.col.head_name", "vi")).first.wait_for(state="attached", timeout=60_000)
    assert re.search(r"\b50 hộ \(nghèo", page.get_by_test_id("stMain").inner_text())  # the store's, not the demo's
    wire = _wire(page)
    assert ("***" in wire) == (sees != {OWN, OTHER})  # the list went out, masked where it must be
    for code in sees:
        assert any(n in wire for n in app["names"][code]), (role, code)  # the officer's names did go out
    assert not _leaks(app, wire, sees), (role, _leaks(app, wire, sees)[:5])
    labels = _download_labels(page)
    assert labels == [t("hh.download_csv", "vi"), t("hh.download_xlsx", "vi")], labels  # every one, checked below
    for label in labels:
        name, data = _download(page, label)
        _check_file(app, name, data, sees, {OWN, OTHER})
    shot(page, f"roles-{role}-households")

    # the reports page's posting list of each commune: every download (xlsx, pdf, each table's csv)
    _go(page, "Báo cáo")
    page.get_by_test_id("stButtonGroup").get_by_text(t("report.kind.posting", "vi"), exact=True).click()
    wait_idle(page)
    for code, commune in ((OWN, "Xã Xuân Lạc"), (OTHER, "Thị trấn Bằng Lũng")):
        unit = page.get_by_test_id("stSelectbox").filter(has_text=t("report.page.unit", "vi"))
        unit.locator("input").click()
        page.keyboard.type(commune)
        page.get_by_role("option", name=commune).first.click()
        wait_idle(page)
        assert_no_error(page, f"posting {code}")
        masked = page.get_by_text(t("report.page.masked", "vi")).count() > 0
        assert masked == (code not in sees), (role, code)
        labels = _download_labels(page)
        assert t("report.page.download_xlsx", "vi") in labels and t("report.page.download_pdf", "vi") in labels
        for label in labels:
            name, data = _download(page, label)
            _check_file(app, name, data, sees, {code}, formulas=not name.endswith(".pdf"))
    assert not _leaks(app, _wire(page), sees), (role, _leaks(app, _wire(page), sees)[:5])

    # the map: a commune's tooltip holds its figures, never a name
    _go(page, "Bản đồ")
    for code, commune in ((OWN, "Xã Xuân Lạc"), (OTHER, "Thị trấn Bằng Lũng")):
        tip = _hover_commune(page, code)
        assert commune in tip and t("map.tooltip_unit", "vi") in tip, tip
        assert not any(n in tip for c in (OWN, OTHER) for n in app["names"][c] | app["ids"][c]), tip
        assert "***" not in tip, tip
    shot(page, f"roles-{role}-map")
    # a click opens the commune's panel (its villages, indicators, trend): figures only as well
    pt = _point(OTHER)
    click_latlng(page, map_frame(page), pt.y, pt.x)
    page.locator(".st-key-map_panel").wait_for(timeout=60_000)
    wait_idle(page)
    assert_no_error(page, "map panel")
    assert "Thị trấn Bằng Lũng" in page.locator(".st-key-map_panel h3").first.inner_text()
    assert not _leaks(app, _wire(page), sees), (role, _leaks(app, _wire(page), sees)[:5])


def test_commune_officer_import_for_another_commune_refused_in_the_browser(app, tab, tmp_path):
    from povlib import intake as pio
    from povlib.access import AuditLog

    page = tab
    sign_in(page, app["url"], ROLES["commune_officer"][0], PASSWORD)
    _go(page, "Dữ liệu")
    file = tmp_path / "xa_khac.csv"
    file.write_bytes(pio.export_to_template(
        app["demo_other"].assign(household_id=lambda d: d["household_id"] + "X"), fmt="csv"))
    page.locator("input[type=file]").first.set_input_files(str(file))
    go = page.get_by_role("button", name=t("intake.page.import", "vi"))
    page.wait_for_function("() => { const b = Array.from(document.querySelectorAll('button')).find("
                           "b => b.innerText.includes('Nạp dữ liệu')); return b && !b.disabled; }", timeout=60_000)
    go.click()
    msg = page.get_by_test_id("stAlertContentError").filter(has_text="Không được nạp")
    msg.wait_for(timeout=60_000)
    assert ROLES["commune_officer"][0] in msg.inner_text() and OTHER in msg.inner_text(), msg.inner_text()
    shot(page, "roles-import-refused")
    assert pio.Store(app["store"]).latest_version() == 1  # nothing imported
    entry = [e for e in AuditLog(app["store"]).entries() if e["action"] == "import"][-1]
    assert entry["actor"] == ROLES["commune_officer"][0] and entry["units"] == [OTHER], entry
    assert "refused" in entry["detail"], entry


def test_the_audit_record_names_the_officers_disclosures_only(app):
    """Views and exports of names are recorded for the officers, within their communes; none for the others."""
    from povlib.access import AuditLog

    log = AuditLog(app["store"])
    entries = log.entries()
    by = {}
    for e in entries:
        by.setdefault(e["actor"], []).append(e)
    for role, (user, sees, _) in ROLES.items():
        disclosed = [e for e in by.get(user, []) if e["action"] in ("view_names", "export_names")]
        if not sees:
            assert not disclosed, (role, disclosed[:2])
            continue
        assert {e["action"] for e in disclosed} == {"view_names", "export_names"}, role
        assert all(set(e["units"]) <= sees for e in disclosed), (role, [e["units"] for e in disclosed])
        formats = {e["detail"].get("format") for e in disclosed if e["action"] == "export_names"}
        assert {"csv", "xlsx", "pdf"} <= formats, (role, formats)
    assert [e["action"] for e in by[ROLES["viewer"][0]]] == ["login_ok", "logout"]
