"""The versioned household store: versions, replace semantics, undo, audit record, atomicity.

The atomicity tests run the ``import`` command in a subprocess that stops half-way through
writing its data, or after the data but before the version file is committed, and kill it
with SIGKILL; the previous version must stay the latest, intact and readable, and a later
import must work. The fault is injected by the test (:data:`_STOPPING_IMPORT`), not by the
store: the subprocess patches the store's write step or its commit (``os.link``) to touch a
marker file and sleep.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import povlib
from povlib import intake as pio
from povlib.errors import PovlibInputError
from povlib.intake import Store
from povlib.panel import classify_panel

ROOT = Path(__file__).resolve().parents[2]

#: ``python -c`` program: ``python -c _STOPPING_IMPORT POINT MARKER <import command line>``.
#: Runs the command with the store stopped at POINT – ``part_partial``: half of the new part
#: written to its temporary file; ``before_commit``: the part in place and the version file
#: written to its temporary name, just before the atomic ``os.link`` that commits it – where it
#: writes POINT to the file MARKER and sleeps until killed.
_STOPPING_IMPORT = """
import os, sys, time
from pathlib import Path

from povlib.cli import main
from povlib.intake import store, tempfiles

point, marker, argv = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]


def stop():
    marker.write_text(point)
    time.sleep(120)


if point == "part_partial":
    def write_half(fh, data):
        fh.write(data[: len(data) // 2])
        fh.flush()
        stop()

    tempfiles.write_durably = write_half
elif point == "before_commit":
    real_link = os.link

    def link(src, dst, *args, **kwargs):
        if Path(dst).parent.name == "versions":
            stop()
        return real_link(src, dst, *args, **kwargs)

    os.link = link  # the store commits a version file with os.link (this process only)
else:
    raise SystemExit(f"unknown stop point {point!r}")
sys.exit(main(argv))
"""


def _subset(demo, codes, years):
    return demo[demo["commune_code"].isin(codes) & demo["year"].isin(years)]


def _import(st: Store, df: pd.DataFrame, by="Người kiểm thử", name="x.csv"):
    r = pio.read_intake(pio.export_to_template(df, fmt="csv"), file_name=name, store=st)
    assert r.ok, r.errors.head()
    return st.import_intake(r, imported_by=by)


def _key(df):
    return df.sort_values(["year", "household_id"])["household_id"].tolist()


@pytest.fixture
def small(demo):
    return _subset(demo, ["02020", "02023", "02026"], [2018, 2019])


def test_empty_store(tmp_path):
    st = Store(tmp_path / "s")
    assert st.latest_version() is None and st.version() is None
    assert st.load().empty and list(st.load().columns)[:3] == ["household_id", "year", "standard"]
    assert st.versions().empty
    assert len(classify_panel(st.load())) == 0


def test_versions_record_audit_and_replace_semantics(tmp_path, small):
    st = Store(tmp_path / "s")
    v1 = _import(st, small, by="Nguyễn Văn A", name="ba_xa.csv")
    assert (v1.version_id, v1.rows_total, v1.rows_imported) == (1, len(small), len(small))
    assert v1.imported_by == "Nguyễn Văn A" and v1.file_name == "ba_xa.csv" and len(v1.checksum) == 64
    assert v1.years == (2018, 2019) and v1.communes == ("02020", "02023", "02026")
    # a new file for one commune and one year replaces those households only
    one = small[(small["commune_code"] == "02023") & (small["year"] == 2019)].iloc[:5]
    v2 = _import(st, one, name="xuan_lac_2019.csv")
    cur = st.load()
    expect = pd.concat([small[~((small["commune_code"] == "02023") & (small["year"] == 2019))], one])
    assert _key(cur) == _key(expect)
    assert v2.rows_total == len(expect)
    # any earlier version stays readable
    assert _key(st.load(1)) == _key(small)
    v = st.versions()
    assert v["version_id"].tolist() == [1, 2]
    assert v["latest"].tolist() == [False, True]
    assert v.loc[1, "file_name"] == "xuan_lac_2019.csv"
    assert {"created_at", "imported_by", "checksum", "rows_in_file", "rows_imported", "rows_rejected"} <= set(v)


def test_load_panel_classifies_like_demo(tmp_path, small):
    st = Store(tmp_path / "s")
    _import(st, small)
    back = st.load_panel().sort_values(["year", "household_id"]).reset_index(drop=True)
    ref = small.sort_values(["year", "household_id"]).reset_index(drop=True)
    assert back["status"].astype(str).tolist() == ref["status"].astype(str).tolist()
    assert back["deprivation_count"].tolist() == ref["deprivation_count"].tolist()
    assert list(back.columns[: len(pio.STORE_COLUMNS)]) == pio.STORE_COLUMNS


def test_mixed_inputs_classified_per_row(tmp_path, small):
    """One import with income + indicators, another with only B1/B2 scores."""
    st = Store(tmp_path / "s")
    a = small[small["commune_code"] == "02020"]
    _import(st, a)
    b = small[small["commune_code"] == "02023"].drop(columns=["income", "adult_education"])
    _import(st, b)
    panel = st.load_panel()
    ref_b = povlib.classify_households(b.drop(columns=[c for c in b if c in
                                                       povlib.standards.get("QD59_2015").indicator_ids]))
    got_b = panel[panel["commune_code"] == "02023"].sort_values(["year", "household_id"])
    ref_b = ref_b.sort_values(["year", "household_id"])
    assert got_b["status"].astype(str).tolist() == ref_b["status"].astype(str).tolist()
    got_a = panel[panel["commune_code"] == "02020"].sort_values(["year", "household_id"])
    assert got_a["status"].astype(str).tolist() == a.sort_values(["year", "household_id"])["status"].astype(str).tolist()


def test_undo_latest_and_earlier(tmp_path, small):
    st = Store(tmp_path / "s")
    _import(st, small)                                                      # v1
    x19 = small[(small["commune_code"] == "02023") & (small["year"] == 2019)].iloc[:3]
    _import(st, x19)                                                        # v2 changes 02023/2019
    n20 = small[(small["commune_code"] == "02020") & (small["year"] == 2019)].iloc[:4]
    _import(st, n20)                                                        # v3 changes 02020/2019
    files_before = sorted(p.name for p in st.path.rglob("*.parquet"))
    v4 = st.undo(2, imported_by="Trưởng phòng")                             # undo an earlier one
    assert v4.kind == "undo" and v4.undoes == 2 and v4.version_id == 4
    cur = st.load()
    expect = pd.concat([small[~((small["commune_code"] == "02020") & (small["year"] == 2019))], n20])
    assert _key(cur) == _key(expect)
    v5 = st.undo(3, imported_by="Trưởng phòng")
    assert _key(st.load()) == _key(small)
    assert v5.rows_total == len(small)
    # undo of an undo re-applies it
    st.undo(5, imported_by="Trưởng phòng")
    assert _key(st.load()) == _key(expect)
    v = st.versions()
    assert v.set_index("version_id").loc[[2, 3, 5], "undone"].tolist() == [True, True, True]
    # nothing deleted: every part and version file is still there, every version loads
    assert sorted(p.name for p in st.path.rglob("*.parquet")) == files_before
    for vid in v["version_id"]:  # the recorded household count is the count of what loads
        assert st.version(int(vid)).rows_total == len(st.load(int(vid)))


def test_id_recorded_for_another_commune_is_refused(tmp_path, small):
    st = Store(tmp_path / "s")
    a = small[(small["commune_code"] == "02020") & (small["year"] == 2019)]
    _import(st, a)
    moved = a.iloc[:2].copy()
    moved["commune_code"] = "02026"
    moved["commune_name"] = "Xã Nam Cường"
    with pytest.raises(PovlibInputError) as exc:
        st.import_table(pio.to_store(moved.assign(_row=0)), file_name="m.csv", checksum="0", imported_by="A")
    assert "đã được ghi nhận cho xã khác" in str(exc.value)
    assert st.latest_version() == 1
    # re-importing the same commune's file (which replaces it) is fine
    _import(st, a)
    assert st.latest_version() == 2


def test_concurrent_commit_is_detected(tmp_path, small):
    st = Store(tmp_path / "s")
    _import(st, small.iloc[:10])
    info = st.version()
    with pytest.raises(PovlibInputError):
        st._commit(info)  # version 1 already exists: the second writer loses, nothing overwritten
    assert st.version().checksum == info.checksum


def test_import_requires_a_name(tmp_path, small):
    st = Store(tmp_path / "s")
    r = pio.read_intake(pio.export_to_template(small.iloc[:5], fmt="csv"), file_name="x.csv")
    with pytest.raises(PovlibInputError):
        st.import_intake(r, imported_by="  ")
    assert st.latest_version() is None


@pytest.mark.parametrize("point", ["part_partial", "before_commit"])
def test_killed_import_leaves_previous_version_intact(tmp_path, demo, point):
    st = Store(tmp_path / "s")
    first = _subset(demo, ["02020"], [2019])
    _import(st, first)
    before = st.load()
    versions_before = st.versions()
    second = _subset(demo, ["02020", "02023"], [2019])
    f = tmp_path / "second.csv"
    pio.export_to_template(second, f, fmt="csv")
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _STOPPING_IMPORT, point, str(marker),
                             "import", str(f), "--store", str(st.path), "--by", "Bị ngắt"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):  # wait (up to ~2 min on a busy machine) for the stop point
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), proc.communicate(timeout=5)
        assert marker.read_text() == point
        # something was written half-way: a temporary part, or a complete part without a version
        leftovers = list(st.path.rglob(".tmp-*")) + list((st.path / "parts").glob("*.parquet"))
        assert len(leftovers) >= 2
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    fresh = Store(st.path)
    assert fresh.latest_version() == 1
    pd.testing.assert_frame_equal(fresh.versions(), versions_before)
    pd.testing.assert_frame_equal(fresh.load(), before)
    # the store still works: the same import now succeeds
    v = _import(fresh, second)
    assert v.version_id == 2 and v.rows_total == len(second)


def test_undo_of_a_version_with_nothing_left_to_undo_is_refused(tmp_path, small):
    """An undo of a version already undone (or whose communes and years a later import replaced) said "Đã
    hoàn tác phiên bản 2" and wrote a version identical to the one before; it is refused, nothing written."""
    st = Store(tmp_path / "s")
    _import(st, small)                                                      # v1
    _import(st, small)                                                      # v2 replaces every pair of v1

    def refused(version: int) -> None:
        with pytest.raises(PovlibInputError) as err:
            st.undo(version, imported_by="Trưởng phòng")
        assert "không còn gì để hoàn tác" in err.value.message("vi"), version

    refused(1)                                                              # every pair of it replaced by v2
    st.undo(2, imported_by="Trưởng phòng")                                  # v3: back to v1's data
    refused(2)                                                              # already undone
    assert st.latest_version() == 3
