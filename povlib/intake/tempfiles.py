"""Temporary files of the store: written durably, held while an import writes them, removed once a killed import
left them.

The store writes every file under a temporary name (``.tmp-*``) and renames it
when complete (:mod:`povlib.intake.store`). A writer :func:`hold` s its open
temporary file with an advisory lock (``flock``) until the rename; the lock
ends with the process, so a file that nobody holds and that is older than
:data:`~povlib.intake.limits.STALE_TEMP_SECONDS` was left by an import that
was killed, and :func:`remove_stale` removes it. Only regular files are
removed, never links or folders. Where there is no ``flock`` (Windows), a
stale file is recognised by its age only.

:func:`held_temp` makes such a file in a folder, holds it while a block writes it and removes what is left of it
afterwards; :func:`write_durably` and :func:`fsync_dir` force the bytes, then the rename, to disk.

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
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: a stale temporary file is recognised by its age only
    fcntl = None

__all__ = ["PREFIX", "fsync_dir", "held_temp", "hold", "remove_stale", "write_durably"]

#: Prefix of the store's temporary files.
PREFIX = ".tmp-"


def hold(fd: int) -> None:
    """Mark an open temporary file as a live import's (the lock ends at close, or with the process)."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass


@contextmanager
def held_temp(folder: Path, suffix: str) -> Iterator[tuple[int, str]]:
    """A new temporary file ``(fd, path)`` in ``folder``, held while the block writes it.

    The block renames or links it to its final name; whatever is left under the temporary name is removed
    on the way out, and the descriptor closed (which ends the hold).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with held_temp(d, ".json") as (fd, tmp):
    ...     os.path.basename(tmp).startswith(PREFIX), os.path.exists(tmp)
    (True, True)
    >>> os.path.exists(tmp), list(d.iterdir())
    (False, [])
    """
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=PREFIX, suffix=suffix)
    hold(fd)
    try:
        yield fd, tmp
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
        os.close(fd)


def write_durably(fh, data: bytes) -> None:
    """Write ``data`` to the open binary file ``fh`` and force it to disk."""
    fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    """Force a folder's entries (a rename, a new link) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
