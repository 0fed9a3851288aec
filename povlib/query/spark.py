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

from .source import HOUSEHOLD_FILES, PARTITION_TYPES, VIEW, Source, parquet_files

__all__ = ["SparkSource", "spark_conf", "session", "from_parquet", "partition_schema_ddl"]

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
    first = next(iter(sorted(root.glob(HOUSEHOLD_FILES))))
    files = spark.read.parquet(str(first)).schema  # one file's footer: the columns inside the files
    ddl = ", ".join([*(f"`{f.name}` {f.dataType.simpleString()}" for f in files.fields if f.name not in PARTITION_TYPES),
                     partition_schema_ddl()])
    df = spark.read.schema(ddl).option("basePath", str(root)).parquet(str(root))
    df.createOrReplaceTempView(VIEW)
    return SparkSource(spark)

