"""The second backend: the same figures' SQL on Spark SQL (PySpark; local mode or a cluster).

Only the creation of the ``households`` view is Spark's own code (:func:`from_parquet`);
:func:`povlib.query.rates`, :func:`~povlib.query.af_by_group` and :func:`~povlib.query.flow_table` take a :class:`SparkSource` as they take a DuckDB one and run
the very same SQL text. PySpark is a test and deployment dependency, not one of povlib's: it is
imported only when a Spark source is made.

On partitioned Parquet the partition columns get their types from :data:`PARTITION_TYPES`
(``year`` an integer, ``province_code`` text: ``01`` is not 1), not from Spark's guess, so the
results have the same keys, of the same types, as DuckDB's.

Examples
--------
>>> spark_conf(partitions=2)["spark.sql.shuffle.partitions"]
'2'
>>> partition_schema_ddl()
'year INT, province_code STRING'
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import standards as _standards
from .reclassify import check, reclassified_sql
from .source import HOUSEHOLD_FILES, PARTITION_TYPES, VIEW, Source, parquet_files

__all__ = ["SparkSource", "spark_conf", "session", "from_parquet", "partition_schema_ddl", "reclassified"]

#: the view of the households as reviewed, beside a what-if's ``households`` (:func:`reclassified`)
REVIEWED = "households_reviewed"

#: DuckDB's SQL types of the partition columns in Spark's words
_SPARK_TYPES = {"INTEGER": "INT", "VARCHAR": "STRING"}


def spark_conf(partitions: int = 4) -> dict[str, str]:
    """Settings of a small local session: few shuffle partitions, no UI, no adaptive surprises in tests.

    ``spark.sql.session.timeZone`` is UTC so that no date shifts; partition type inference is off
    (the types come from :func:`partition_schema_ddl`).
    """
    return {
        "spark.sql.shuffle.partitions": str(int(partitions)),
        "spark.default.parallelism": str(int(partitions)),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
    }


def session(master: str = "local[1]", *, partitions: int = 4, app: str = "povlib"):
    """A SparkSession (``local[1]`` by default: one core) with :func:`spark_conf`."""
    from pyspark.sql import SparkSession

    b = SparkSession.builder.master(master).appName(app)
    for k, v in spark_conf(partitions).items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def partition_schema_ddl() -> str:
    """The partition columns and their Spark types, as a DDL fragment."""
    return ", ".join(f"{k} {_SPARK_TYPES[v]}" for k, v in PARTITION_TYPES.items())


@dataclass
class SparkSource(Source):
    """A SparkSession holding the ``households`` temporary view."""

    spark: Any
    #: the dataset's folder (a what-if re-reads it in a session of its own)
    root: str | None = None
    #: the standard every row was re-classified under (a what-if view), else None
    whatif: str | None = None
    backend = "spark"

    def sql(self, query: str) -> pd.DataFrame:
        """Run ``query`` on Spark and return its (small) result as a pandas frame."""
        return self.spark.sql(query).toPandas()

    def columns(self) -> list[str]:
        """The columns of the ``households`` view."""
        return list(self.spark.table(VIEW).columns)


def from_parquet(spark, root: str | Path) -> SparkSource:
    """The ``households`` view over the Parquet files under ``root`` (hive layout ``year=…/province_code=…/``).

    The schema is the files' own plus the partition columns with the types of
    :data:`povlib.query.source.PARTITION_TYPES`.
    """
    root = parquet_files(root)
    _read(spark, root).createOrReplaceTempView(VIEW)
    return SparkSource(spark, root=str(root))


def _read(spark, root: Path):
    """The households under ``root`` as a Spark DataFrame (the files' columns, typed partition columns)."""
    first = next(iter(sorted(root.glob(HOUSEHOLD_FILES))))
    files = spark.read.parquet(str(first)).schema  # one file's footer: the columns inside the files
    ddl = ", ".join([*(f"`{f.name}` {f.dataType.simpleString()}" for f in files.fields if f.name not in PARTITION_TYPES),
                     partition_schema_ddl()])
    return spark.read.schema(ddl).option("basePath", str(root)).parquet(str(root))


def reclassified(source: SparkSource, standard, *, checked: bool = True) -> SparkSource:
    """:func:`povlib.query.reclassify.reclassified` on Spark: a new session of the same Spark context (its own
    temporary views: the source's session keeps its ``households``) whose ``households`` view re-classifies
    every household under ``standard`` with the very same SQL (:func:`povlib.query.reclassify.reclassified_sql`)."""
    std = _standards.get(standard)
    spark = source.spark.newSession()
    df = _read(spark, parquet_files(source.root))
    df.createOrReplaceTempView(VIEW)  # the reviewed households, for the check
    df.createOrReplaceTempView(REVIEWED)  # the same plan under its own name (not a reference to `households`)
    base = SparkSource(spark, root=source.root)
    if checked:
        check(base, std)
    spark.sql(f"CREATE OR REPLACE TEMP VIEW {VIEW} AS {reclassified_sql(std, base.columns(), REVIEWED)}")
    return SparkSource(spark, root=source.root, whatif=std.id)

