"""Private files of the access package: the folder, a lock, atomic JSON writes with mode 0600.

Accounts, login throttling and the audit record live in ``<store>/access/``
(:func:`povlib.paths.store_dir`; ``$POVLIB_STORE`` moves it): a folder of
mode 0700 whose files are mode 0600, readable by the server's user only.

Examples
--------
>>> import tempfile, pathlib, stat
>>> d = access_dir(pathlib.Path(tempfile.mkdtemp()))
>>> p = write_json_private(d / "x.json", {"a": 1})
>>> read_json(p), oct(stat.S_IMODE(p.stat().st_mode)), oct(stat.S_IMODE(d.stat().st_mode))
({'a': 1}, '0o600', '0o700')
>>> with locked(d / ".lock"):
...     pass
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .. import paths

__all__ = ["FILE_MODE", "DIR_MODE", "access_dir", "locked", "read_json", "write_json_private", "fsync_dir"]

#: files: owner read/write only
FILE_MODE = 0o600
#: the folder: owner only
DIR_MODE = 0o700


def access_dir(store: str | Path | None = None) -> Path:
    """``<store>/access`` (the store of :func:`povlib.paths.store_dir` by default), created mode 0700."""
    root = Path(store) if store is not None else paths.store_dir()
    d = root / "access"
    d.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(d, DIR_MODE)
    return d


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``fcntl`` lock on ``path`` (created mode 0600) for the block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def read_json(path: Path, default=None):
    """The JSON in ``path``; ``default`` when the file does not exist."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (after a rename) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_private(path: Path, data) -> Path:
    """Write ``data`` as JSON to ``path`` atomically (temporary file, fsync, ``os.replace``), mode 0600."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
    return path
