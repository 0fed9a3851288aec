"""The national synthetic dataset (povlib.synth.national): a small sample built here, the query layer
run on its Parquet files, its calibration, and partition pruning (from DuckDB's plan, not a time)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from povlib import measures, transitions
from povlib.cli import main
from povlib.panel import with_indicators
from povlib.query import Filter, af_for_standard, flow_table, from_parquet, rates, summary
from povlib.query.rates import rates_sql
from povlib.query.source import HOUSEHOLD_FILES
from povlib.synth.national import generate_national, load_targets
from tests.support.national_sample import household_rows

from .test_query import _same

SCALE = 0.01


@pytest.fixture(scope="module")
def targets():
    return load_targets(scale=SCALE)


@pytest.fixture(scope="module")
def provinces(targets):
    """The two provinces with the fewest households."""
    com = targets.communes.assign(n=targets.households[2025])
    return sorted(com.groupby("province_code")["n"].sum().nsmallest(2).index.tolist())


@pytest.fixture(scope="module")
def sample(tmp_path_factory, provinces):
    out = tmp_path_factory.mktemp("vietnam")
    res = generate_national(out, provinces=provinces, scale=SCALE, batch=2_000)  # small batches: several parts
    return out, res


@pytest.fixture(scope="module")
def src(sample):
    return from_parquet(sample[0])


@pytest.fixture(scope="module")
def frame(src):
    """The sample read back whole (small), for the pandas functions."""
    return household_rows(src)


def test_layout_and_columns(sample, provinces, frame):
    out, res = sample
    folders = sorted(str(p.parent.relative_to(out)) for p in out.glob(HOUSEHOLD_FILES))
    assert set(folders) == {f"year={y}/province_code={p}" for y in (2025, 2026) for p in provinces}
    assert len(folders) > 4  # batches: more than one part per partition somewhere
    assert res["rows"] == len(frame) and res["bytes"] == sum(p.stat().st_size for p in out.glob(HOUSEHOLD_FILES))
    assert frame["province_code"].isin(provinces).all() and frame["district_code"].isna().all()
    assert (frame["standard"] == "ND07_2021").all()
    assert not frame.duplicated(["household_id", "year"]).any()
    for col in ("household_id", "commune_code", "commune_name", "village", "area", "members", "income",
                "b1_score", "b2_score", "status", "poor_via", "head_name", "id_number", "ethnic_minority"):
        assert col in frame.columns


def test_calibrated_to_the_commune_targets(targets, frame):
    code_pos = {c: i for i, c in enumerate(targets.communes["code"])}
    for year in (2025, 2026):
        got = frame[frame["year"] == year].groupby("commune_code")["status"].value_counts().unstack(fill_value=0)
        idx = np.array([code_pos[c] for c in got.index])
        assert np.array_equal(got["poor"].to_numpy(), targets.poor[year][idx])
        assert np.array_equal(got["near_poor"].to_numpy(), targets.near_poor[year][idx])
        assert np.array_equal(got.sum(axis=1).to_numpy(), targets.households[year][idx])
    # the whole country's targets meet the national rates of data/targets/vietnam.toml
    for year, rate in ((2025, 1.3), (2026, 1.0)):
        assert targets.poor[year].sum() == round(rate / 100 * targets.households[year].sum())


def test_households_followed_between_years(frame):
    ids = {y: set(frame.loc[frame["year"] == y, "household_id"]) for y in (2025, 2026)}
    stayed = len(ids[2025] & ids[2026]) / len(ids[2025])
    assert 0.98 < stayed < 1.0


def test_query_layer_on_the_parquet_equals_pandas(src, frame):
    for by in (["year", "province_code"], ["year", "commune_code"]):
        _same(rates(src, by), measures.rates(frame, by), by)
    rows, _ = with_indicators(frame, "ND07_2021")
    _same(af_for_standard(src, "ND07_2021", by=["year", "province_code"]),
          measures.af_for_standard(rows, "ND07_2021", by=["year", "province_code"]), ["year", "province_code"])
    _same(flow_table(src, "commune_code", check=False), transitions.flow_table(frame, "commune_code"), ["commune_code"])


def _scan(src, sql: str) -> dict:
    """The Parquet scan of ``sql`` as DuckDB's executed plan reports it (EXPLAIN ANALYZE, JSON)."""
    plan = json.loads(src.con.execute("EXPLAIN (ANALYZE, FORMAT json) " + sql).fetchall()[0][-1])
    found = []

    def walk(node):
        if isinstance(node, dict):
            info = node.get("extra_info")
            if isinstance(info, dict) and info.get("Function") == "READ_PARQUET":
                found.append(info)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(plan)
    assert len(found) == 1
    info = found[0]
    names = info.get("Filename(s)", [])
    names = [names] if isinstance(names, str) else list(names)
    return {"read": int(info["Total Files Read"]), "files": [n for x in names for n in str(x).split(",") if n.strip()],
            "scanning": info.get("Scanning Files")}


def test_partition_pruning(sample, src, provinces, frame):
    out, _ = sample
    on_disk = sorted(str(f) for f in out.glob(HOUSEHOLD_FILES))
    p = provinces[0]
    own = [f for f in on_disk if f"/province_code={p}/" in f]
    commune = frame.loc[frame["province_code"] == p, "commune_code"].iloc[0]
    # a whole-country query reads every file
    assert _scan(src, rates_sql("province_code"))["read"] == len(on_disk)
    # one province, one year: only that partition's files
    scan = _scan(src, rates_sql("commune_code", where=Filter(provinces=(p,), years=(2025,))))
    want = [f for f in own if "/year=2025/" in f]
    assert scan["read"] == len(want) < len(on_disk) and scan["scanning"] == f"{len(want)}/{len(on_disk)}"
    assert sorted(f.strip() for f in scan["files"]) == want
    # one commune (with its province): only its province's files
    scan = _scan(src, rates_sql("year", where=Filter(provinces=(p,), communes=(commune,))))
    assert scan["read"] == len(own) and all(f"/province_code={p}/" in f for f in scan["files"])


def test_cli_generate_scope_vietnam(tmp_path, capsys, provinces):
    assert main(["generate", "--scope", "vietnam", "--out", str(tmp_path / "a"), "--provinces", provinces[0],
                 "--scale", "0.002", "--years", "2025"]) == 0
    out = capsys.readouterr().out
    files = sorted(p.relative_to(tmp_path / "a").parent.as_posix() for p in (tmp_path / "a").glob(HOUSEHOLD_FILES))
    assert files and set(files) == {f"year=2025/province_code={provinces[0]}"}
    assert "dòng hộ toàn quốc" in out and "MB" in out and "giây" in out
    # then the commune summaries the national pages read, saved beside the households and matching them
    assert "bảng tổng hợp theo xã" in out and summary.load(tmp_path / "a") is not None
    # generate-national stays as an alias of the same command
    assert main(["generate-national", "--out", str(tmp_path / "b"), "--provinces", provinces[0], "--scale", "0.002",
                 "--years", "2025"]) == 0
    assert sorted(p.name for p in (tmp_path / "b").rglob("*.parquet")) == sorted(
        p.name for p in (tmp_path / "a").rglob("*.parquet"))


@pytest.mark.parametrize("argv, said", [
    (["generate", "--scope", "vietnam", "--provinces", "19"], "--out"),
    (["generate", "--scope", "vietnam", "--out", "x", "--seed", "3"], "--seed"),
    (["generate", "--scope", "cho-don", "--years", "2025"], "--years"),
    (["generate", "--scope", "bac-kan", "--provinces", "19"], "--provinces"),
    (["generate", "--scope", "vietnam", "--out", "x", "--provinces", "99"], "99"),
])
def test_cli_generate_vietnam_refuses(tmp_path, capsys, monkeypatch, argv, said):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert said in captured.out + captured.err and "Traceback" not in captured.out + captured.err
    assert not any(tmp_path.rglob("*.parquet"))
