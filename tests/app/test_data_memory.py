"""The data page keeps little per session (issue 15, item 4).

After a check the session holds the problem list and a reference to the checked rows on disk
(:func:`povlib.intake.stage`, under the store's ``tmp/`` folder) – no table larger than the problem list,
no :class:`povlib.intake.Intake`. The files are removed, and the uploader emptied, once the import is done;
a new upload or an emptied uploader abandons them. (The server's memory itself is measured by
``bench/upload_memory.py``: no time or memory limits here.)
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

streamlit_testing = pytest.importorskip("streamlit.testing.v1")
AppTest = streamlit_testing.AppTest

from povlib import intake as pio  # noqa: E402
from povlib.i18n import fmt_int, t  # noqa: E402
from povlib.intake import Store  # noqa: E402
from tests.support.apptest import from_file as apptest_from_file  # noqa: E402
from tests.support.apptest import signed_in  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "app_pages" / "data.py")


def _file(demo: pd.DataFrame, n: int, *, bad_row: bool) -> bytes:
    d = demo[demo["year"] == 2019].head(n).copy()
    if bad_row:
        d["area"] = d["area"].astype(str)
        d.iloc[1, d.columns.get_loc("area")] = "mountain"  # one problem: row 3 of the spreadsheet
    return pio.export_to_template(d, fmt="csv", encoding="utf-8")


def _frames(value, seen=None):
    """Every DataFrame held by a session-state value (in dataclasses, dicts, lists)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, pd.DataFrame):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _frames(getattr(value, f.name), seen)
        for v in getattr(value, "__dict__", {}).values():  # cached properties
            yield from _frames(v, seen)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _frames(v, seen)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _frames(v, seen)


@pytest.fixture()
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("POVLIB_STORE", str(tmp_path / "store"))
    at = apptest_from_file(PAGE, default_timeout=120)
    for k, v in signed_in("district_officer", "06").items():  # an officer of the province
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at, Store(tmp_path / "store")


def _staged(at) -> pio.StagedIntake:
    staged = at.session_state["in_staged"]
    assert isinstance(staged, pio.StagedIntake)
    return staged


def test_after_a_check_the_session_holds_the_problem_list_only(page, demo):
    at, store = page
    at.file_uploader(key="in_hh").set_value(("xa.csv", _file(demo, 2000, bad_row=True), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("intake.page.has_errors")]
    staged = _staged(at)
    assert (staged.n_rows, staged.n_rejected, len(staged.errors)) == (2000, 1, 1)
    state = at.session_state.to_dict()
    assert not [k for k, v in state.items() if isinstance(v, pio.Intake)]
    frames = [f for v in state.values() for f in _frames(v)]
    assert frames and all(f is staged.errors for f in frames), [f.shape for f in frames]
    biggest = max(f.memory_usage(deep=True).sum() for f in frames)
    assert biggest == staged.errors.memory_usage(deep=True).sum()
    # the checked rows are on disk, under the store's tmp folder
    assert staged.folder.parent == store.path / "tmp" and staged.folder.is_dir()
    assert len(staged.valid) == 1999 and staged.rejected_rows["_row"].tolist() == [3]
    # the problem report still lists the rejected row (read from disk)
    assert pio.errors_to_xlsx_bytes(staged, "vi")[:2] == b"PK"
    assert len(at.dataframe) == 2  # the problem list and the preview of the valid rows
    assert len(at.dataframe[1].value) == 200


def test_import_removes_the_files_and_empties_the_uploader(page, demo):
    at, store = page
    at.file_uploader(key="in_hh").set_value(("xa.csv", _file(demo, 300, bad_row=False), "text/csv")).run()
    folder = _staged(at).folder
    assert folder.is_dir()
    at.button(key="in_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.latest_version() == 1 and len(store.load()) == 300
    assert not folder.exists() and not list((store.path / "tmp").iterdir())
    assert "in_staged" not in at.session_state.to_dict()
    assert at.session_state["in_gen"] == 1
    assert [u.key for u in at.get("file_uploader")] == ["in_hh_1", "in_mem_1"]   # the uploaders are empty again
    assert at.file_uploader(key="in_hh_1").value is None
    assert [s.value for s in at.success] == [t("intake.page.imported", "vi", n=fmt_int(300), version=1,
                                                total=fmt_int(300))]


def test_new_upload_or_emptied_uploader_abandons_the_check(page, demo):
    at, store = page
    at.file_uploader(key="in_hh").set_value(("a.csv", _file(demo, 50, bad_row=True), "text/csv")).run()
    first = _staged(at).folder
    at.file_uploader(key="in_hh").set_value(("b.csv", _file(demo, 60, bad_row=False), "text/csv")).run()
    second = _staged(at)
    assert not first.exists() and second.folder.is_dir() and second.file_name == "b.csv"
    at.file_uploader(key="in_hh").set_value(None).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not second.folder.exists() and "in_staged" not in at.session_state.to_dict()
    assert not list((store.path / "tmp").iterdir())
    assert store.latest_version() is None  # nothing was imported


def test_left_over_staged_folders_are_removed(tmp_path, demo):
    import os
    import time

    store = Store(tmp_path / "store")
    res = pio.read_intake(_file(demo, 5, bad_row=False), file_name="x.csv")
    old = pio.stage(res, store)
    past = time.time() - (pio.STAGE_MAX_AGE_HOURS + 1) * 3600
    os.utime(old.folder, (past, past))
    new = pio.stage(res, store)
    assert not old.folder.exists() and new.folder.is_dir()


def test_a_store_that_cannot_be_written_still_checks(tmp_path, demo):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    staged = pio.stage(pio.read_intake(_file(demo, 5, bad_row=False), file_name="x.csv"), Store(blocker / "store"))
    assert staged.folder.is_dir() and len(staged.valid) == 5
    staged.discard()
