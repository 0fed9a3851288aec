"""The audit record: append-only, tamper-evident, one JSON line per event.

``<store>/access/audit.jsonl`` (mode 0600) records who logged in or failed
to, who viewed or exported a list with names, who imported, undid or saved a
plan, and every change of an account (:data:`ACTIONS`), with the time (UTC),
the actor, the units, the dataset and version, and a detail. Each line is the
canonical JSON (sorted keys, no spaces, UTF-8) of an entry that carries its
number ``seq``, the SHA-256 ``prev`` of the entry before it (64 zeros for the
first) and its own ``hash`` (SHA-256 of its canonical JSON without ``hash``).
Appends take an ``fcntl`` lock, write one line and ``fsync``.

:func:`verify` reads the whole file and returns the first broken line with
the reason – any changed, inserted or removed line breaks the chain. What a
chain cannot show by itself: the removal of the *last* lines (keep a copy of
the last hash elsewhere, e.g. ``python -m povlib audit verify`` prints it).

Examples
--------
>>> import tempfile
>>> log = AuditLog(tempfile.mkdtemp())
>>> e = log.append("cli:root", "account_add", detail={"user": "lan.nt", "role": "viewer"})
>>> e["seq"], e["prev"] == "0" * 64, len(e["hash"])
(1, True, 64)
>>> log.verify()
AuditCheck(ok=True, entries=1, line=None, reason='', last_hash='...')
>>> audit_table(log.entries(), "en").columns.tolist()[:4]
['No.', 'Time (Vietnam)', 'Who', 'Action']
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import PovlibInputError
from ..export import to_csv_bytes, to_xlsx_bytes
from ..i18n import t
from .accounts import local_time, utcnow
from .files import FILE_MODE, access_dir, fsync_dir, locked

__all__ = ["AUDIT_FILE", "ACTIONS", "GENESIS", "AuditCheck", "AuditLog", "canonical", "entry_hash", "audit_table",
           "audit_csv_bytes", "audit_xlsx_bytes"]

AUDIT_FILE = "audit.jsonl"
#: what the record knows (labels: catalog ``access.audit.action.<id>``)
ACTIONS = ("login_ok", "login_failed", "logout", "view_names", "export_names", "import", "undo", "save_plan",
           "account_add", "account_disable", "account_enable", "account_passwd", "account_grant", "account_revoke",
           "account_link",
           "audit_export")
#: the ``prev`` of the first entry
GENESIS = "0" * 64
_KEYS = ("seq", "time", "actor", "action", "units", "dataset", "version", "detail", "prev", "hash")
_SECRET_WORDS = ("password", "passwd", "secret", "token", "hash")


def canonical(entry: Mapping) -> bytes:
    """The canonical JSON of ``entry``: sorted keys, no spaces, UTF-8.

    >>> canonical({"b": 1, "a": "Bản"})
    b'{"a":"B\\xe1\\xba\\xa3n","b":1}'
    """
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: Mapping) -> str:
    """SHA-256 (hex) of the canonical JSON of ``entry`` without its ``hash``."""
    return hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


def _check_detail(detail) -> None:
    """Refuse a detail that names a secret (a password never reaches the record)."""
    def walk(value) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                if any(w in str(k).lower() for w in _SECRET_WORDS):
                    raise PovlibInputError.from_key("access.err.audit_secret", key=str(k))
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
    walk(detail)


@dataclass(frozen=True)
class AuditCheck:
    """What :func:`AuditLog.verify` found.

    Attributes
    ----------
    ok : bool
    entries : int
        Entries read before the first break (all of them when ok).
    line : int or None
        The first broken line (1-based), None when ok.
    reason : str
        Why it is broken (a catalog key ``access.audit.broken.*``), empty when ok.
    last_hash : str
        The hash of the last good entry (keep it elsewhere to notice a cut tail).
    """

    ok: bool
    entries: int
    line: int | None = None
    reason: str = ""
    last_hash: str = GENESIS

    def message(self, lang: str = "vi") -> str:
        """The result for a person."""
        if self.ok:
            return t("access.audit.verify_ok", lang, n=self.entries, hash=self.last_hash)
        return t("access.audit.verify_broken", lang, line=self.line, why=t(self.reason, lang))


class AuditLog:
    """The audit record of a store folder (default :func:`povlib.paths.store_dir`).

    Parameters
    ----------
    store : path, optional
        The store folder; the record is ``<store>/access/audit.jsonl``.
    clock : callable, optional
        Returns the current UTC time.
    """

    def __init__(self, store: str | Path | None = None, *, clock=None) -> None:
        self.folder = access_dir(store)
        self.path = self.folder / AUDIT_FILE
        self.clock = clock or utcnow

    def _last(self, fd: int) -> dict | None:
        """The last entry of the file open at ``fd`` (None when empty)."""
        size = os.fstat(fd).st_size
        if size == 0:
            return None
        chunk, pos, tail = 4096, size, b""
        while pos > 0:
            step = min(chunk, pos)
            pos -= step
            tail = os.pread(fd, step, pos) + tail
            body = tail.rstrip(b"\n")
            if b"\n" in body:
                return json.loads(body.rsplit(b"\n", 1)[1])
            chunk *= 2
        return json.loads(tail.rstrip(b"\n"))

    def append(self, actor: str, action: str, *, units: Sequence[str] | str | None = None,
               dataset: str = "", version: str = "", detail: Mapping | str | None = None,
               when: dt.datetime | None = None) -> dict:
        """Record one event and return its entry (with ``seq``, ``prev`` and ``hash``)."""
        if action not in ACTIONS:
            raise PovlibInputError.from_key("access.err.audit_action", action=action)
        _check_detail(detail)
        units = [units] if isinstance(units, str) else [str(u) for u in (units or ())]
        when = (when or self.clock()).astimezone(dt.UTC)
        with locked(self.folder / ".audit.lock"):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, FILE_MODE)
            try:
                last = self._last(fd)
                entry = {"seq": (last["seq"] + 1) if last else 1, "time": when.isoformat(timespec="microseconds"),
                         "actor": str(actor), "action": action, "units": units, "dataset": str(dataset or ""),
                         "version": str(version or ""), "detail": detail if detail is not None else "",
                         "prev": last["hash"] if last else GENESIS}
                entry["hash"] = entry_hash(entry)
                os.write(fd, canonical(entry) + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(self.folder)
        return entry

    def entries(self) -> list[dict]:
        """Every entry as written (without checking: see :meth:`verify`)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in data.splitlines() if line.strip()]

    def verify(self) -> AuditCheck:
        """Check the whole chain; the first broken line and why, or OK."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return AuditCheck(True, 0)
        return verify_bytes(data)


def verify_bytes(data: bytes) -> AuditCheck:
    """Check the chain of an audit record's bytes (see :meth:`AuditLog.verify`).

    >>> verify_bytes(b"").ok, verify_bytes(b"{}\\n").reason
    (True, 'access.audit.broken.fields')
    """
    if not data:
        return AuditCheck(True, 0)
    lines = data.split(b"\n")
    if lines[-1] != b"":
        return AuditCheck(False, 0, len(lines), "access.audit.broken.unterminated")
    prev, n = GENESIS, 0
    for i, raw in enumerate(lines[:-1], start=1):
        def broken(reason: str, _i=i) -> AuditCheck:
            return AuditCheck(False, n, _i, f"access.audit.broken.{reason}", prev)
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return broken("json")
        if not isinstance(entry, dict) or tuple(sorted(entry)) != tuple(sorted(_KEYS)):
            return broken("fields")
        if canonical(entry) != raw:
            return broken("form")
        if entry["seq"] != i:
            return broken("seq")
        if entry["prev"] != prev:
            return broken("prev")
        if entry["hash"] != entry_hash(entry):
            return broken("hash")
        prev, n = entry["hash"], n + 1
    return AuditCheck(True, n, last_hash=prev)


_COLUMNS = ("seq", "time", "actor", "action", "units", "dataset", "version", "detail", "hash")


def audit_table(entries: Iterable[Mapping], lang: str = "vi") -> pd.DataFrame:
    """The record as a table for people: Vietnam time, action labels, headers from the catalog.

    Cells are text as written (export them with :func:`audit_csv_bytes` /
    :func:`audit_xlsx_bytes`, which neutralise spreadsheet formulas).
    """
    rows = []
    for e in entries:
        detail = e.get("detail", "")
        rows.append({
            "seq": int(e["seq"]),
            "time": local_time(dt.datetime.fromisoformat(e["time"]), lang),
            "actor": str(e.get("actor", "")),
            "action": t(f"access.audit.action.{e['action']}", lang) if e.get("action") in ACTIONS else
            str(e.get("action", "")),
            "units": ", ".join(map(str, e.get("units") or ())),
            "dataset": str(e.get("dataset", "")),
            "version": str(e.get("version", "")),
            "detail": detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, sort_keys=True),
            "hash": str(e.get("hash", ""))[:16],
        })
    df = pd.DataFrame(rows, columns=list(_COLUMNS))
    df["seq"] = df["seq"].astype("int64")
    return df.rename(columns={c: t(f"access.audit.col.{c}", lang) for c in _COLUMNS})


def audit_csv_bytes(entries: Iterable[Mapping], lang: str = "vi") -> bytes:
    """The record as CSV (UTF-8 with BOM, formulas neutralised)."""
    return to_csv_bytes(audit_table(entries, lang))


def audit_xlsx_bytes(entries: Iterable[Mapping], lang: str = "vi") -> bytes:
    """The record as an Excel workbook (formulas neutralised)."""
    table = audit_table(entries, lang)
    return to_xlsx_bytes({t("access.audit.sheet", lang): table}, [t("access.audit.title", lang)])
