"""The second backend: the same SQL of povlib.query on Spark SQL (PySpark, local mode) gives DuckDB's figures.

A small national sample (the two smallest provinces, scale 0.01, 2025 and 2026) is generated once;
rates, Alkire–Foster and flows run on DuckDB and on Spark over the same Parquet files, and every
integer count and every derived figure is equal. One SparkSession for the module (``local[1]``,
few shuffle partitions): starting the JVM is most of the time.
"""
from __future__ import annotations

import re
import shutil

import pytest

from povlib.query import Filter, af_for_standard, flow_table, from_parquet, rates
from povlib.query import spark as qspark
from povlib.query.rates import rates_sql
from povlib.synth.national import generate_national, load_targets

from .test_query import _same

pytestmark = [pytest.mark.spark,
              # PySpark 4.3 warns that it does not yet fully support pandas 3 (its conversions still work)
              pytest.mark.filterwarnings("ignore:.*pandas >= 3.0.0:FutureWarning"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

if shutil.which("java") is None:  # pragma: no cover - CI installs default-jre-headless
    pytest.fail("Java is missing: install default-jre-headless (scripts/test.sh does)", pytrace=False)

SCALE = 0.01


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    targets = load_targets(scale=SCALE)
    com = targets.communes.assign(n=targets.households[2025])
    provinces = sorted(com.groupby("province_code")["n"].sum().nsmallest(2).index.tolist())
    out = tmp_path_factory.mktemp("vietnam_spark")
    generate_national(out, years=[2025, 2026], provinces=provinces, scale=SCALE)
    return out, provinces


@pytest.fixture(scope="module")
def spark():
    s = qspark.session("local[1]", partitions=2, app="povlib-test")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def engines(sample, spark):
    out, _ = sample
    return from_parquet(out), qspark.from_parquet(spark, out)


def test_view_schema(engines):
    duck, sp = engines
    assert sp.backend == "spark" and duck.backend == "duckdb"
    assert sorted(sp.columns()) == sorted(duck.columns())
    types = sp.spark.table("households").schema
    assert types["year"].dataType.simpleString() == "int"
    assert types["province_code"].dataType.simpleString() == "string"


@pytest.mark.parametrize("by", [None, ["year", "province_code"], ["year", "commune_code"],
                                ["year", "area", "ethnic_minority"]], ids=str)
def test_rates_equal(engines, by):
    duck, sp = engines
    keys = by or []
    _same(rates(sp, by), rates(duck, by), keys)


def test_rates_filtered_equal(engines, sample):
    duck, sp = engines
    f = Filter(years=(2026,), provinces=(sample[1][0],))
    got, want = rates(sp, "commune_code", where=f), rates(duck, "commune_code", where=f)
    assert len(want) > 1
    _same(got, want, ["commune_code"])


@pytest.mark.parametrize("by", [["year", "province_code"], ["year", "commune_code"]], ids=str)
def test_af_equal(engines, by):
    duck, sp = engines
    _same(af_for_standard(sp, "ND07_2021", by=by), af_for_standard(duck, "ND07_2021", by=by), by)


@pytest.mark.parametrize("status", ["poor", "near_poor"])
def test_flows_equal(engines, status):
    duck, sp = engines
    want = flow_table(duck, "commune_code", status=status)
    assert want["escaped"].sum() > 0 and want["newly_arising"].sum() > 0 and want["left"].sum() > 0
    _same(flow_table(sp, "commune_code", status=status), want, ["commune_code"])


def test_flows_by_province_with_flag_equal(engines):
    duck, sp = engines
    by = ["province_code"]
    _same(flow_table(sp, by, flags=["ethnic_minority"]), flow_table(duck, by, flags=["ethnic_minority"]), by)


def test_partition_pruning_on_spark(engines, sample):
    """A filter on year and province is a partition filter of Spark's file scan (from the executed plan)."""
    _, sp = engines
    p = sample[1][0]
    sql = rates_sql("commune_code", where=Filter(years=(2025,), provinces=(p,)))
    plan = sp.spark.sql(sql)._jdf.queryExecution().executedPlan().toString()
    found = re.search(r"PartitionFilters: \[([^\]]*)\]", plan)
    assert found, plan
    assert re.search(r"\(year#\d+ = 2025\)", found.group(1)) and re.search(rf"\(province_code#\d+ = {p}\)", found.group(1))
    # without a filter on them there is none
    plain = sp.spark.sql(rates_sql("commune_code"))._jdf.queryExecution().executedPlan().toString()
    assert "PartitionFilters: []" in plain


def test_whatif_standard_equal(engines):
    """Every household re-classified under Decree 351/2025 by the same SQL on both engines: equal rates and flows;
    the Spark source's own view is left as reviewed."""
    from povlib.query import reclassify

    duck, sp = engines
    w_duck, w_sp = reclassify.reclassified(duck, "ND351_2025"), qspark.reclassified(sp, "ND351_2025")
    assert w_sp.whatif == "ND351_2025"
    by = ["year", "commune_code"]
    want = rates(w_duck, by)
    assert want["poor"].sum() != rates(duck, by)["poor"].sum()  # the what-if changes the figures
    _same(rates(w_sp, by), want, by)
    _same(flow_table(w_sp, "province_code"), flow_table(w_duck, "province_code"), ["province_code"])
    _same(rates(sp, by), rates(duck, by), by)  # the reviewed view of the first session is unchanged
