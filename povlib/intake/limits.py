"""The bounds of intake: every limit a review file must keep, each named, in one place.

A review file comes from outside; before and while it is read, everything
that could make the server spend unbounded memory or time is bounded here:
the file's size, the parts of an ``.xlsx`` archive (their number, each one's
and their total uncompressed size, the compression ratio), the extent of the
sheet (declared in ``<dimension ref>`` and actual), the number of rows and
columns, the length of a cell, and the reading itself, done in a separate
worker process (:mod:`povlib.intake.worker`) with a memory and a time limit.
The problem list stops after :data:`MAX_PROBLEMS` problems and counts the rest.

``data/templates/README.md`` states every limit in one table (a test checks
that it lists each name with its value); the data page and the command line
both go through :func:`povlib.intake.read_intake`, so they refuse the same
files with the same messages. Code reads the limits from this module at call
time, so a test may lower one with ``monkeypatch.setattr(limits, "MAX_ROWS", 5)``.

:data:`MAX_FILE_BYTES` counts megabytes of 1,000,000 bytes, as Streamlit's
uploader does in the browser (``server.maxUploadSize`` in
``.streamlit/config.toml`` is :data:`MAX_FILE_MB`).

Examples
--------
>>> MAX_FILE_BYTES, MAX_FILE_MB * 1_000_000 == MAX_FILE_BYTES
(50000000, True)
>>> worker_limits()["max_columns"], EXCEL_MAX_ROWS, MAX_CELL_CHARS
(100, 1048576, 32767)
>>> sorted(NAMES)[:3]
['EXCEL_MAX_COLUMNS', 'EXCEL_MAX_ROWS', 'MAX_ARCHIVE_BYTES']
"""
from __future__ import annotations

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "MAX_ARCHIVE_BYTES",
    "MAX_ARCHIVE_PARTS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_CONCURRENT_READS",
    "MAX_FILE_BYTES",
    "MAX_FILE_MB",
    "MAX_PART_BYTES",
    "MAX_PROBLEMS",
    "MAX_RESULT_BYTES",
    "MAX_ROWS",
    "NAMES",
    "RATIO_CHECK_FROM_BYTES",
    "STALE_TEMP_SECONDS",
    "WORKER_MEMORY_BYTES",
    "WORKER_SECONDS",
    "worker_limits",
]

#: Largest file accepted, in megabytes of 1,000,000 bytes (also ``server.maxUploadSize``).
MAX_FILE_MB = 50
#: Largest file accepted, in bytes: the page and the command line refuse anything larger.
MAX_FILE_BYTES = MAX_FILE_MB * 1_000_000

#: Most parts (files inside the zip archive) an ``.xlsx`` may have; a workbook has a few dozen.
MAX_ARCHIVE_PARTS = 1_000
#: Largest uncompressed size of one part of an ``.xlsx`` (the sheet of a big province file is ~100 MB).
MAX_PART_BYTES = 300_000_000
#: Largest uncompressed size of all the parts of an ``.xlsx`` together.
MAX_ARCHIVE_BYTES = 400_000_000
#: Largest compression ratio (uncompressed / compressed) of a part of at least :data:`RATIO_CHECK_FROM_BYTES`.
MAX_COMPRESSION_RATIO = 100
#: Parts smaller than this (uncompressed) are not checked for their compression ratio.
RATIO_CHECK_FROM_BYTES = 1_000_000

#: Excel's own sheet size: rows ...
EXCEL_MAX_ROWS = 1_048_576
#: ... and columns (XFD).
EXCEL_MAX_COLUMNS = 16_384
#: Most columns a review file may use (the household template has 27; CV is column 100).
MAX_COLUMNS = 100
#: Most data rows below the header (a province's households of several years fit; split larger files).
MAX_ROWS = 200_000
#: Longest cell, in characters (Excel's own limit).
MAX_CELL_CHARS = 32_767

#: Most problems listed for a file; the rest are counted, not listed.
MAX_PROBLEMS = 1_000

#: Address space of the worker process that reads a file (``RLIMIT_AS``; a 160,000-row workbook peaks at ~1 GB).
WORKER_MEMORY_BYTES = 2 * 1024**3
#: Time the worker may take (wall clock, and CPU time with ``RLIMIT_CPU``): a 160,000-row workbook takes ~1 min.
WORKER_SECONDS = 300
#: Largest result the worker may hand back (the cells as text, ``RLIMIT_FSIZE``).
MAX_RESULT_BYTES = 500_000_000
#: Files read at the same time by one server (others wait up to :data:`WORKER_SECONDS`).
MAX_CONCURRENT_READS = 2

#: Temporary files of the store older than this (seconds), and not held by a live import, are removed.
STALE_TEMP_SECONDS = 3_600

#: The names of the limits (the table in ``data/templates/README.md`` lists each).
NAMES = tuple(n for n in __all__ if n.isupper() and n != "NAMES")


def worker_limits() -> dict[str, int]:
    """The limits the worker process checks, read now (a test may have lowered one)."""
    return {
        "max_archive_parts": MAX_ARCHIVE_PARTS, "max_part_bytes": MAX_PART_BYTES,
        "max_archive_bytes": MAX_ARCHIVE_BYTES, "max_compression_ratio": MAX_COMPRESSION_RATIO,
        "ratio_check_from_bytes": RATIO_CHECK_FROM_BYTES, "excel_max_rows": EXCEL_MAX_ROWS,
        "excel_max_columns": EXCEL_MAX_COLUMNS, "max_columns": MAX_COLUMNS, "max_rows": MAX_ROWS,
        "max_cell_chars": MAX_CELL_CHARS, "max_file_bytes": MAX_FILE_BYTES,
        "worker_memory_bytes": WORKER_MEMORY_BYTES, "worker_seconds": WORKER_SECONDS,
        "max_result_bytes": MAX_RESULT_BYTES,
    }
