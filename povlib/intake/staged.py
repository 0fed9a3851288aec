"""A checked upload kept on disk until it is imported or abandoned: :func:`stage` and :class:`StagedIntake`.

Between the check of a file and its import, the page that checked it keeps
only what it shows – the problem list and the counts – in memory. The checked
rows (the valid ones in the store's layout, the rejected ones as read) go to
Parquet files in a folder of their own under the store's ``tmp/`` folder (the
system's temporary folder when the store cannot be written: the import then
says why). A :class:`StagedIntake` stands where an
:class:`~povlib.intake.review.Intake` does: :meth:`Store.import_intake
<povlib.intake.store.Store.import_intake>` imports it, the problem report
(:func:`~povlib.intake.problems.errors_to_xlsx_bytes`) lists its rejected rows.
:meth:`StagedIntake.discard` removes the files once the import is done or the
file abandoned; a folder left behind (a server stopped meanwhile) is removed
by the next :func:`stage` once older than :data:`STAGE_MAX_AGE_HOURS`.
:func:`release_memory` gives what a check or an import freed back to the
system (a long-running server would otherwise stay at the peak of the largest
file it read).

Examples
--------
>>> import tempfile
>>> from povlib.intake import Store, read_intake
>>> store = Store(tempfile.mkdtemp())
>>> csv = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\\n"
>>> csv += "H1,2019,02020,Tổ 1,Thành thị,4,130,30\\nH2,2019,02020,Tổ 1,Rừng,3,100,0\\n"
>>> staged = stage(read_intake(csv.encode(), file_name="xa.csv"), store)
>>> staged.n_rows, staged.n_rejected, len(staged.errors), staged.folder.parent == store.path / "tmp"
(2, 1, 1, True)
>>> staged.preview()["household_id"].tolist(), staged.rejected_rows["_row"].tolist()
(['H1'], [3])
>>> store.import_intake(staged, imported_by="Nguyễn Văn A").rows_imported
1
>>> staged.discard(); staged.folder.exists()
False
"""
from __future__ import annotations

import ctypes
import gc
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .layout import STORE_COLUMNS, store_dtypes
from .review import Intake
from .store import Store

__all__ = ["STAGE_MAX_AGE_HOURS", "StagedIntake", "release_memory", "stage"]

#: A staged folder older than this is left over (its session ended without a word): :func:`stage` removes it.
STAGE_MAX_AGE_HOURS = 24
_PREFIX = "upload-"


@dataclass(frozen=True)
class StagedIntake:
    """A checked upload: the problem list and counts in memory, the rows in Parquet files of :attr:`folder`.

    Attributes as :class:`~povlib.intake.review.Intake` (``file_name``,
    ``checksum``, ``errors``, ``file_ok``, ``n_rows``, ``n_rejected``,
    ``member_file_name``, ``member_checksum``, ``encoding``, ``years``, ``n_problems``);
    ``valid`` and ``rejected_rows`` are read from disk when asked for.
    """

    file_name: str
    checksum: str
    errors: pd.DataFrame
    file_ok: bool
    n_rows: int
    n_rejected: int
    folder: Path
    member_file_name: str | None = None
    member_checksum: str | None = None
    encoding: str = ""
    years: tuple[int, ...] = ()
    n_problems: int = 0
    personal_headers: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No problem at all: the file can be imported as is."""
        return self.errors.empty

    @property
    def valid(self) -> pd.DataFrame:
        """Rows without problems in store layout (read from disk)."""
        return store_dtypes(pd.read_parquet(self.folder / "valid.parquet"))

    @property
    def rejected_rows(self) -> pd.DataFrame:
        """The rejected household rows as the file wrote them, with ``_row`` (read from disk)."""
        return pd.read_parquet(self.folder / "rejected.parquet")

    def preview(self, limit: int = 200) -> pd.DataFrame:
        """The first ``limit`` valid rows (only they are read)."""
        f = pq.ParquetFile(self.folder / "valid.parquet")
        batch = next(f.iter_batches(batch_size=max(int(limit), 1)), None)
        if batch is None:
            return store_dtypes(pd.DataFrame(columns=STORE_COLUMNS))
        return store_dtypes(batch.to_pandas().head(limit))

    def discard(self) -> None:
        """Remove the staged files (the import is done or the file abandoned); harmless if already gone."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _stage_root(store: Store) -> Path:
    """``<store>/tmp`` (created), or a folder of the system's when the store cannot be written."""
    root = store.path / "tmp"
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=root, prefix=".probe-")
        probe.close()
        return root
    except OSError:  # store folder not writable: the check still works, the import will say why
        return Path(tempfile.gettempdir())


def _remove_left_over(root: Path) -> None:
    """Remove staged folders older than :data:`STAGE_MAX_AGE_HOURS` (their session is long gone)."""
    limit = time.time() - STAGE_MAX_AGE_HOURS * 3600
    for p in root.glob(f"{_PREFIX}*"):
        try:
            if p.is_dir() and p.stat().st_mtime < limit:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def _write(df: pd.DataFrame, path: Path) -> None:
    """One table as Parquet; text columns of mixed content are written as text."""
    try:
        df.to_parquet(path, index=False)
    except (TypeError, ValueError, ArithmeticError):  # pyarrow: a column it cannot type (mixed objects)
        obj = {c: "string" for c in df.columns if df[c].dtype == object}
        df.astype(obj).to_parquet(path, index=False)


def stage(intake: Intake, store: Store | None = None) -> StagedIntake:
    """Write the checked rows of ``intake`` to disk and keep the rest: see the module description.

    Parameters
    ----------
    intake : Intake
        From :func:`~povlib.intake.review.read_intake`; the caller drops it afterwards.
    store : Store, optional
        Whose ``tmp/`` folder holds the files (default: :func:`povlib.intake.default_store`).

    Returns
    -------
    StagedIntake
    """
    root = _stage_root(store if store is not None else Store())
    _remove_left_over(root)
    folder = root / f"{_PREFIX}{uuid.uuid4().hex}"
    folder.mkdir()
    try:
        _write(intake.valid, folder / "valid.parquet")
        _write(intake.rejected_rows, folder / "rejected.parquet")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return StagedIntake(
        file_name=intake.file_name, checksum=intake.checksum, errors=intake.errors, file_ok=intake.file_ok,
        n_rows=intake.n_rows, n_rejected=intake.n_rejected, folder=folder,
        member_file_name=intake.member_file_name, member_checksum=intake.member_checksum,
        encoding=intake.encoding, years=tuple(intake.years()), n_problems=intake.n_problems,
        personal_headers=tuple(intake.personal_headers),
    )


def release_memory() -> None:
    """Give the memory freed by a check or an import back to the system.

    pandas keeps text in Arrow arrays; Arrow's memory pool and the C allocator
    keep freed blocks for reuse, so a server would stay at the peak of the
    largest file any session checked. This collects garbage, releases Arrow's
    unused pool memory and trims the C heap (glibc; elsewhere nothing). Call it
    once the tables of a check or an import are dropped.
    """
    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
