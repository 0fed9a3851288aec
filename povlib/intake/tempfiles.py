"""Temporary files of the store: held while an import writes them, removed once a killed import left them.

The store writes every file under a temporary name (``.tmp-*``) and renames it
when complete (:mod:`povlib.intake.store`). A writer :func:`hold` s its open
temporary file with an advisory lock (``flock``) until the rename; the lock
ends with the process, so a file that nobody holds and that is older than
:data:`~povlib.intake.limits.STALE_TEMP_SECONDS` was left by an import that
was killed, and :func:`remove_stale` removes it. Only regular files are
removed, never links or folders. Where there is no ``flock`` (Windows), a
stale file is recognised by its age only.

Examples
--------
>>> import os, tempfile
>>> from pathlib import Path
>>> d = Path(tempfile.mkdtemp())
>>> (d / ".tmp-left.parquet").write_bytes(b"x")
1
>>> fd, live = tempfile.mkstemp(dir=d, prefix=".tmp-")
>>> hold(fd)
>>> [p.name for p in remove_stale([d], max_age=0)], os.path.exists(live)
(['.tmp-left.parquet'], True)
>>> os.close(fd)
"""
from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: a stale temporary file is recognised by its age only
    fcntl = None

__all__ = ["PREFIX", "hold", "remove_stale"]

#: Prefix of the store's temporary files.
PREFIX = ".tmp-"


def hold(fd: int) -> None:
    """Mark an open temporary file as a live import's (the lock ends at close, or with the process)."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass


def _remove_if_free(path: Path) -> bool:
    """Remove a temporary file unless a live import holds it; True if removed."""
    try:
        fd = os.open(path, os.O_RDONLY)  # a link planted meanwhile: unlink removes the link only
    except OSError:
        return False
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a live import writes it
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def remove_stale(folders: Iterable[Path], max_age: float) -> list[Path]:
    """Remove the temporary files of ``folders`` older than ``max_age`` seconds that no live import holds."""
    now = time.time()
    removed = []
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        for p in Path(folder).glob(PREFIX + "*"):
            try:
                st = p.lstat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime >= max_age and _remove_if_free(p):
                removed.append(p)
    return removed
