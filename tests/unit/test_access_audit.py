"""The audit record (povlib.access.audit): a hash chain that any single-byte change breaks (hypothesis),
appends that keep the chain under concurrent writers, no secrets, a table with catalog headers and exports
with formulas neutralised."""
from __future__ import annotations

import datetime as dt
import io
import json
import stat
import threading

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from povlib.access import audit as A
from povlib.access.audit import AuditLog, verify_bytes
from povlib.errors import PovlibInputError

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
FORMULA = '=HYPERLINK("http://evil.example","x")'


def _fill(log: AuditLog) -> None:
    log.append("cli:root", "account_add", detail={"user": "lan.nt", "role": "commune_officer"}, when=T0)
    log.append("lan.nt", "login_ok", units=["02023"], detail={"role": "commune_officer"}, when=T0)
    log.append("lan.nt", "view_names", units=["02023"], dataset="store", version="v3", detail="Bản Nà – 12 hộ",
               when=T0 + dt.timedelta(minutes=1))
    log.append(FORMULA, "export_names", units="02023", dataset="store", version="v3", when=T0)


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> bytes:
    log = AuditLog(tmp_path_factory.mktemp("audit"))
    _fill(log)
    return log.path.read_bytes()


def test_entries_chain_and_verify(tmp_path):
    log = AuditLog(tmp_path)
    assert log.verify().ok and log.verify().entries == 0
    _fill(log)
    entries = log.entries()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    assert entries[0]["prev"] == A.GENESIS
    assert all(b["prev"] == a["hash"] for a, b in zip(entries, entries[1:], strict=False))
    assert all(e["hash"] == A.entry_hash(e) for e in entries)
    assert entries[0]["time"].endswith("+00:00")
    check = log.verify()
    assert check.ok and check.entries == 4 and check.last_hash == entries[-1]["hash"]
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    assert "4" in check.message("vi") and check.last_hash in check.message("en")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_byte_change_breaks_verify(record, data):
    pos = data.draw(st.integers(0, len(record) - 1), label="pos")
    new = data.draw(st.integers(0, 255).filter(lambda b: b != record[pos]), label="byte")
    changed = record[:pos] + bytes([new]) + record[pos + 1:]
    check = verify_bytes(changed)
    assert not check.ok
    assert check.line == record[:pos].count(b"\n") + 1 or (new == 10 and check.line >= 1)


def test_removed_inserted_or_swapped_lines_break_verify(record):
    lines = record.splitlines(keepends=True)
    assert verify_bytes(record).ok
    assert verify_bytes(b"".join(lines[:1] + lines[2:])).line == 2       # removed
    assert verify_bytes(b"".join(lines[:2] + lines[1:])).line == 3       # repeated
    assert verify_bytes(b"".join([lines[1], lines[0], *lines[2:]])).line == 1  # swapped
    assert verify_bytes(record[:-1]).reason == "access.audit.broken.unterminated"
    entry = json.loads(lines[2])  # rewritten with a matching own hash: the next entry's prev breaks
    entry["detail"] = "khác"
    entry["hash"] = A.entry_hash(entry)
    forged = b"".join([*lines[:2], A.canonical(entry) + b"\n", *lines[3:]])
    check = verify_bytes(forged)
    assert (check.line, check.reason) == (4, "access.audit.broken.prev")
    assert "dòng 4" in check.message("vi")


def test_the_record_is_checked_byte_for_byte(record):
    """A line re-written with the same content in another JSON form (spaces, escapes) is reported too: the
    bytes on disk are what was hashed."""
    lines = record.splitlines(keepends=True)
    entry = json.loads(lines[2])
    for other in (json.dumps(entry, sort_keys=True), json.dumps(entry, sort_keys=True, separators=(",", ":"))):
        check = verify_bytes(b"".join([*lines[:2], other.encode() + b"\n", *lines[3:]]))
        assert (check.line, check.reason) == (3, "access.audit.broken.form")


def test_appends_from_many_threads_keep_one_chain(tmp_path):
    log = AuditLog(tmp_path)

    def work(i):
        for j in range(5):
            AuditLog(tmp_path).append(f"user{i}", "view_names", units=["02023"], detail={"j": j})
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    check = log.verify()
    assert check.ok and check.entries == 20


def test_refuses_unknown_actions_and_secrets(tmp_path):
    log = AuditLog(tmp_path)
    with pytest.raises(PovlibInputError):
        log.append("x", "drop_table")
    for detail in ({"password": "x"}, {"user": {"new_passwd": "y"}}, {"list": [{"token": "z"}]}):
        with pytest.raises(PovlibInputError):
            log.append("x", "account_passwd", detail=detail)
    assert not log.path.exists() or log.path.read_bytes() == b""


def test_table_and_exports(tmp_path):
    log = AuditLog(tmp_path)
    _fill(log)
    vi = A.audit_table(log.entries(), "vi")
    assert vi.columns.tolist() == ["STT", "Thời điểm (giờ Việt Nam)", "Người thực hiện", "Thao tác", "Đơn vị",
                                   "Dữ liệu", "Phiên bản", "Chi tiết", "Mã băm (đầu)"]
    assert vi.iloc[1, 1] == "02/03/2026 08:00"  # Vietnam time
    assert vi.iloc[2, 3] == "Xem danh sách có tên" and vi.iloc[2, 7] == "Bản Nà – 12 hộ"
    assert A.audit_table(log.entries(), "en").iloc[2, 3] == "Viewed a list with names"
    assert A.audit_table([], "vi").empty
    csv_text = A.audit_csv_bytes(log.entries(), "vi").decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in csv_text
    wb = openpyxl.load_workbook(io.BytesIO(A.audit_xlsx_bytes(log.entries(), "en")))
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + FORMULA in cells and FORMULA not in cells
