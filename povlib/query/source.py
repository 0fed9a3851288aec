"""Where the households are, for the query layer: an engine holding a ``households`` view.

The queries of :mod:`povlib.query` read one view named ``households``. It is either a pandas
frame registered as a view (the district and province demos, :func:`from_frame`) or the Parquet
files of a dataset partitioned by year and province (``year=2025/province_code=19/*.parquet``,
:func:`from_parquet`). A :class:`Source` is the engine with that view: :class:`DuckDBSource`
(the default, here) or :class:`povlib.query.spark.SparkSource` (Spark SQL). Only the creation
of the view is the engine's own code, one function per backend; the figures' SQL is plain and
runs unchanged on both.

A :class:`Filter` selects rows (years, standard, provinces, communes) as a portable ``WHERE``
clause of literals. On partitioned Parquet a condition on ``year`` or ``province_code`` lets
the engine read only the matching folders (partition pruning).

Examples
--------
>>> import pandas as pd
>>> src = from_frame(pd.DataFrame({"year": [2025, 2026], "commune_code": ["00004", "00008"]}))
>>> src.columns()
['year', 'commune_code']
>>> Filter(years=(2025,), communes=("00004",)).where()
"WHERE year IN (2025) AND commune_code IN ('00004')"
>>> int(src.sql("SELECT COUNT(*) AS n FROM households " + Filter(years=(2026,)).where())["n"].iloc[0])
1
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from ..errors import PovlibInputError

if TYPE_CHECKING:  # the summaries module imports this one
    from .summary import Summaries

__all__ = ["Source", "DuckDBSource", "Filter", "from_frame", "from_parquet", "connect", "MEMORY_LIMIT", "literal", "VIEW",
           "PARTITION_TYPES", "HOUSEHOLD_FILES"]

#: the name of the view every query reads
VIEW = "households"


def literal(value) -> str:
    """A value as a portable SQL literal: integers as they are, text single-quoted (quotes doubled).

    Examples
    --------
    >>> literal(2025), literal("Lũng'x")
    ('2025', "'Lũng''x'")
    """
    if isinstance(value, bool):
        raise PovlibInputError.from_key("query.err.literal", value=repr(value))
    if isinstance(value, int) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu"):
        return str(int(value))
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise PovlibInputError.from_key("query.err.literal", value=repr(value))


@dataclass(frozen=True)
class Filter:
    """Rows to keep, as a ``WHERE`` clause of literals (empty fields keep every row).

    ``provinces`` should be given with ``communes`` on partitioned data: the province is what
    prunes the files read.
    """

    years: Sequence[int] = ()
    standard: str | None = None
    provinces: Sequence[str] = ()
    communes: Sequence[str] = ()

    def conditions(self) -> list[str]:
        """The conditions, one string each (joined with AND)."""
        out = []
        for col, values in (("year", self.years), ("province_code", self.provinces), ("commune_code", self.communes)):
            if values:
                out.append(f"{col} IN ({', '.join(literal(v) for v in values)})")
        if self.standard is not None:
            out.append(f"standard = {literal(self.standard)}")
        return out

    def where(self, *extra: str) -> str:
        """``WHERE ...`` with the conditions and ``extra`` ones (empty text when there are none)."""
        conds = self.conditions() + [e for e in extra if e]
        return ("WHERE " + " AND ".join(conds)) if conds else ""


class Source(ABC):
    """An engine holding the ``households`` view: runs a query, returns its (small) result as pandas.

    A backend defines :meth:`sql` and :meth:`columns`; the figures of :mod:`povlib.query` use
    nothing else.
    """

    #: the engine's name ("duckdb", "spark")
    backend = ""
    #: the dataset's precomputed commune summaries (:class:`povlib.query.summary.Summaries`), when it has them
    summaries = None
    #: the standard every row was re-classified under (a what-if view: :mod:`povlib.query.reclassify`), else None
    whatif: str | None = None

    @abstractmethod
    def sql(self, query: str) -> pd.DataFrame:
        """Run ``query`` and return its (small) result as a pandas frame."""

    @abstractmethod
    def columns(self) -> list[str]:
        """The columns of the ``households`` view."""


@dataclass
class DuckDBSource(Source):
    """A DuckDB connection holding the ``households`` view."""

    con: duckdb.DuckDBPyConnection
    #: the precomputed commune summaries of the households (:mod:`povlib.query.summary`), if attached
    summaries: Summaries | None = None
    #: the relation the view reads, as SQL any cursor of the database can read (``read_parquet(...)``), when
    #: known: a what-if view is built on it (:func:`povlib.query.reclassify.reclassified`)
    base: str | None = None
    #: the standard every row was re-classified under (a what-if view), None for the data as reviewed
    whatif: str | None = None
    backend = "duckdb"

    def sql(self, query: str) -> pd.DataFrame:
        """Run ``query`` and return its (small) result as a pandas frame."""
        return self.con.execute(query).df()

    def columns(self) -> list[str]:
        """The columns of the ``households`` view."""
        return [d[0] for d in self.con.execute(f"SELECT * FROM {VIEW} WHERE 1 = 0").description]

    def explain(self, query: str) -> str:
        """The physical plan DuckDB would run for ``query`` (text)."""
        return "\n".join(str(r[-1]) for r in self.con.execute("EXPLAIN " + query).fetchall())


#: DuckDB's memory limit for a national source (its default is 80 % of the machine's memory): the
#: server stays well under it, a query larger than it spills to disk instead of growing the process
MEMORY_LIMIT = "3GB"


def connect(*, threads: int | None = None, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection set for these queries: no progress bar, ``threads`` (default: every core),
    ``memory_limit`` (default: DuckDB's), and results free to come in any order (every query that needs
    an order says ``ORDER BY``), which lets DuckDB stream and aggregate in parallel with less memory.

    Examples
    --------
    >>> connect(threads=1).execute("SELECT current_setting('threads')").fetchone()[0]
    1
    """
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = {literal(str(memory_limit))}")
    return con


def from_frame(df: pd.DataFrame, *, threads: int | None = None) -> DuckDBSource:
    """A source over a pandas frame (registered as the view ``households``, not copied)."""
    con = connect(threads=threads)
    con.register(VIEW, df)
    return DuckDBSource(con)


#: partition columns of a national dataset and their SQL types (codes stay text: '01' is not 1)
PARTITION_TYPES = {"year": "INTEGER", "province_code": "VARCHAR"}

#: the household files of a national dataset, relative to its folder (other files there, such as the
#: precomputed summaries in ``_summaries/``, are not households)
HOUSEHOLD_FILES = "year=*/province_code=*/*.parquet"


def parquet_files(root: str | Path) -> Path:
    """``root`` as a path, checked to hold Parquet files (a clear error otherwise)."""
    root = Path(root)
    if not root.is_dir() or next(root.glob(HOUSEHOLD_FILES), None) is None:
        raise PovlibInputError.from_key("query.err.no_parquet", path=str(root))
    return root


def from_parquet(root: str | Path, *, threads: int | None = None,
                 memory_limit: str | None = MEMORY_LIMIT) -> DuckDBSource:
    """A source over the Parquet files under ``root`` (hive layout ``year=…/province_code=…/``).

    ``memory_limit`` caps DuckDB's memory (:data:`MEMORY_LIMIT`; ``None``: DuckDB's default).
    """
    root = parquet_files(root)
    con = connect(threads=threads, memory_limit=memory_limit)
    types = ", ".join(f"'{k}': '{v}'" for k, v in PARTITION_TYPES.items())
    pattern = str(root / HOUSEHOLD_FILES).replace("'", "''")
    base = f"read_parquet('{pattern}', hive_partitioning = true, hive_types = {{{types}}})"
    con.execute(f"CREATE VIEW {VIEW} AS SELECT * FROM {base}")
    return DuckDBSource(con, base=base)
