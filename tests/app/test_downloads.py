"""Downloads that can carry names (issue 15, item 3): built only on click, names only for an officer.

The households page and the reports page give every download button a callable
``data`` (Streamlit's deferred download): a script run registers the callable and
sends the browser an opaque id, and the file is built when the button is pressed.
The tests record what the pages register with Streamlit's media file manager (the
AppTest runtime's), check that a run builds no file and registers no pre-rendered
one, then press the buttons by calling the registered callables and read the files:
a viewer session's files hold no name and no ID number of the households in view,
an officer session's files hold them (so the check can see names when they are there).
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import povlib.export
import povlib.reports.bundle
from povlib.access.downloads import REGISTRY, new_cookie
from povlib.i18n import t
from tests.support.apptest import from_file as apptest_from_file
from ui import private_download

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 240
COMMUNE = "02023"  # Xã Xuân Lạc
YEAR = 2019
COOKIE = new_cookie()


class MediaLog:
    """What the page runs hand to Streamlit's media file manager, and how many files povlib built."""

    def __init__(self, monkeypatch):
        self.deferred: dict[str, object] = {}   # file name -> callable (the last run's)
        self.static: list[str] = []             # file names of pre-rendered downloads
        self.built = 0                          # files built by povlib.export
        add_deferred, add = MediaFileManager.add_deferred, MediaFileManager.add

        def spy_deferred(mgr, data_callable, mimetype, coordinates, file_name=None, **kw):
            self.deferred[file_name] = data_callable
            return add_deferred(mgr, data_callable, mimetype, coordinates, file_name=file_name, **kw)

        def spy_add(mgr, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
            if is_for_static_download:
                self.static.append(file_name)
            return add(mgr, data, mimetype, coordinates, file_name=file_name,
                       is_for_static_download=is_for_static_download)

        def counted(fn):
            def wrapper(*a, **k):
                self.built += 1
                return fn(*a, **k)
            return wrapper

        monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
        monkeypatch.setattr(MediaFileManager, "add", spy_add)
        # the pages import these names at each run, so they pick up the counting wrappers
        csv, xlsx = counted(povlib.export.to_csv_bytes), counted(povlib.export.to_xlsx_bytes)
        for module in (povlib.export, povlib.reports.bundle):
            monkeypatch.setattr(module, "to_csv_bytes", csv)
            monkeypatch.setattr(module, "to_xlsx_bytes", xlsx)

    def reset(self) -> None:
        self.deferred.clear()
        self.static.clear()
        self.built = 0

    def click(self, suffix: str) -> bytes:
        """Press the (last run's) button whose file name ends with ``suffix``: build its file."""
        (name,) = [n for n in self.deferred if n.endswith(suffix)]
        return self.deferred[name]()


def _text(data: bytes, file_name_suffix: str) -> str:
    """The text of a downloaded CSV, or of every cell of a downloaded workbook."""
    if file_name_suffix.endswith(".csv"):
        return data.decode("utf-8-sig")
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


def _people(demo: pd.DataFrame) -> tuple[set[str], set[str]]:
    """Names and ID numbers of the poor and near-poor households of the commune in view."""
    rows = demo[(demo["year"] == YEAR) & (demo["commune_code"].astype(str) == COMMUNE)
                & demo["status"].isin(["poor", "near_poor"])]
    return set(rows["head_name"].astype(str)), set(rows["id_number"].astype(str))


def _assert_buttons_deferred(at: AppTest) -> None:
    buttons = at.get("download_button")
    assert buttons
    for b in buttons:
        assert b.proto.deferred_file_id and not b.proto.url, b.proto.label


@pytest.fixture()
def media(monkeypatch):
    """The media log, with the /dl route taken as served (``serve.py``) and this browser's download cookie."""
    monkeypatch.setattr(REGISTRY, "served", True)
    monkeypatch.setattr(private_download, "_cookie", lambda: COOKIE)
    return MediaLog(monkeypatch)


def _press_for_link(at: AppTest, media: MediaLog, key: str) -> bytes:
    """Press a names-carrying download: no file in /media/, a link to a one-time token; fetch it (the route's claim)."""
    assert not [b for b in at.get("download_button") if b.proto.id.endswith(key)], key
    before = media.built
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert media.built == before and not media.deferred and not media.static  # nothing built on the press
    links = [b.proto.url for b in at.get("link_button")]
    tokens = [u.removeprefix("dl/") for u in links if u.startswith("dl/")]
    assert len(tokens) == 1, links
    assert REGISTRY.claim(tokens[0], new_cookie()).status == "wrong_browser"  # another browser: refused (and burnt)
    at.button(key=key).click().run()  # a new link
    (url,) = [b.proto.url for b in at.get("link_button")]
    claim = REGISTRY.claim(url.removeprefix("dl/"), COOKIE)
    assert claim.ok, claim.status
    data = claim.build()
    assert REGISTRY.claim(url.removeprefix("dl/"), COOKIE).status == "unknown"  # once
    return data


def test_household_files_are_built_on_click_and_carry_names_only_for_an_officer(media, demo):
    names, ids = _people(demo)
    at = apptest_from_file(str(ROOT / "app_pages" / "households.py"), default_timeout=TIMEOUT)
    at.query_params["communes"] = COMMUNE
    at.query_params["year"] = str(YEAR)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    _assert_buttons_deferred(at)
    assert media.built == 0 and not media.static  # nothing built or stored before a click
    assert {n.rsplit(".", 1)[1] for n in media.deferred} == {"csv", "xlsx"}
    for suffix in (".csv", ".xlsx"):
        text = _text(media.click(suffix), suffix)
        assert "***" in text
        assert not [n for n in names if n in text], f"a viewer's {suffix} holds names"
        assert not [i for i in ids if i in text], f"a viewer's {suffix} holds ID numbers"
    assert media.built == 2

    media.reset()
    at.selectbox(key="f_role").set_value("officer").run()
    assert not at.exception, [e.value for e in at.exception]
    for key, suffix in (("hh_csv", ".csv"), ("hh_xlsx", ".xlsx")):
        text = _text(_press_for_link(at, media, key), suffix)
        assert not [n for n in names if n not in text], f"an officer's {suffix} lacks names"
        assert not [i for i in ids if i not in text], f"an officer's {suffix} lacks ID numbers"
    assert media.built == 2 and not media.deferred and not media.static  # built on the route, never in /media/


def test_posting_list_files_are_built_on_click_and_carry_names_only_for_an_officer(media, demo):
    names, ids = _people(demo)
    at = apptest_from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["year"] = str(YEAR)
    at.run()
    at.switch_page("app_pages/reports.py")
    at.query_params["report"] = "posting"
    at.query_params["unit"] = COMMUNE
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.button_group(key="rep_kind").value == "posting"
    _assert_buttons_deferred(at)
    assert media.built == 0 and not media.static
    assert any(n.endswith(".xlsx") for n in media.deferred) and any(n.endswith(".csv") for n in media.deferred)
    for suffix in (".xlsx", ".csv"):
        text = _text(media.click(suffix), suffix)
        assert not [n for n in names if n in text], f"a viewer's posting list {suffix} holds names"
        assert not [i for i in ids if i in text], f"a viewer's posting list {suffix} holds ID numbers"
    assert media.built == 2

    media.reset()
    at.selectbox(key="f_role").set_value("officer").run()
    assert not at.exception, [e.value for e in at.exception]
    csv_key = next(b.key for b in at.button if b.key.startswith("rep_csv_"))
    for key, suffix in (("rep_xlsx", ".xlsx"), (csv_key, ".csv")):
        text = _text(_press_for_link(at, media, key), suffix)
        assert not [n for n in names if n not in text], f"an officer's posting list {suffix} lacks names"
    assert media.built == 2 and not media.deferred and not media.static


def test_without_the_route_an_officer_gets_no_file_with_names_and_is_told_why(media, monkeypatch):
    """``streamlit run app.py`` (no /dl route): no names-carrying file, not even in /media/; a clear message."""
    monkeypatch.setattr(REGISTRY, "served", False)
    at = apptest_from_file(str(ROOT / "app_pages" / "households.py"), default_timeout=TIMEOUT)
    at.query_params["communes"] = COMMUNE
    at.query_params["year"] = str(YEAR)
    at.run()
    media.reset()  # the viewer's masked files stay on download buttons
    at.selectbox(key="f_role").set_value("officer").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("download_button") and not media.deferred and not media.static
    assert at.button(key="hh_csv").disabled and at.button(key="hh_xlsx").disabled
    assert t("dl.not_served", "vi") in [c.value.split(" ", 1)[1] for c in at.caption]
