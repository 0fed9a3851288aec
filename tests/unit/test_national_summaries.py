"""povlib.query.summary: the national tables computed from the commune summaries equal the engine's SQL
over the households (every table, for the country, a province, some communes and each year), the
summaries are used where they answer (and not for a household group), and a saved set is read back only
while it matches the household files."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from povlib import standards
from povlib.query import from_parquet, summary
from povlib.query.source import DuckDBSource
from povlib.views import national

STD = "ND07_2021"


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b)
    else:
        assert a == b and type(a) is type(b), (a, b)


def _communes(src, province, n):
    info = national.facts(src)
    c = info.communes_in(2026)
    return tuple(c.loc[c["district_code"] == province, "code"].iloc[:n])


@pytest.fixture(scope="module")
def both(national_src, national_src_summarized):
    assert national_src.summaries is None and national_src_summarized.summaries is not None
    return national_src, national_src_summarized


def _tables(src, province=None, communes=(), year=2026):
    """Every national table of one selection."""
    yield "overview", national.overview_figures(src, year, years=(2025, 2026), province=province, communes=communes)
    yield "flows", national.flow_counts(src, years=(2025, 2026), province=province, communes=communes)
    yield "transitions", national.transition_counts(src, 2025, 2026, province=province, communes=communes)
    yield "deprivations", national.deprivation_summary(src, year, STD, province=province, communes=communes)
    yield "trend", national.rates_trend(src, None, province=province, communes=communes)
    yield "households", national.household_count(src, year, province=province, communes=communes)
    if not communes:
        level = "commune" if province else "province"
        yield "ranking", national.ranking(src, year, level, province=province)
        yield "measures", national.unit_measures(src, year, level, province=province)
        yield "trend_units", national.rates_trend(src, level, province=province)
        for among in ("all", "poor", "poor_near"):
            yield f"matrix_{among}", national.unit_indicator_matrix(src, year, STD, level, province=province,
                                                                    among=among)


@pytest.mark.parametrize("province", [None, "19", "33"])
@pytest.mark.parametrize("year", [2025, 2026])
def test_every_table_equals_the_engine(both, province, year):
    engine, summ = both
    got = dict(_tables(summ, province, year=year))
    for name, want in _tables(engine, province, year=year):
        _same(got[name], want)


def test_facts_equal_the_engine(both):
    engine, summ = both
    a, b = national.facts(engine), national.facts(summ)
    assert (a.years, a.standard_of_year, a.districts, a.rows, a.districts_of_year) == \
           (b.years, b.standard_of_year, b.districts, b.rows, b.districts_of_year)
    pd.testing.assert_frame_equal(a.communes, b.communes)
    assert national.facts_standards(engine, [2026, 2025]) == national.facts_standards(summ, [2026, 2025])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hs.data())
def test_some_communes_equal_the_engine(both, data):
    engine, summ = both
    province = data.draw(hs.sampled_from(["19", "33"]))
    pool = _communes(engine, province, 12)
    chosen = data.draw(hs.lists(hs.sampled_from(pool), min_size=1, max_size=4, unique=True))
    with_province = data.draw(hs.booleans())
    p = province if with_province else None
    got = dict(_tables(summ, p, tuple(chosen)))
    for name, want in _tables(engine, p, tuple(chosen)):
        _same(got[name], want)


def test_a_household_group_goes_to_the_engine(both, monkeypatch):
    engine, summ = both
    want = national.ranking(engine, 2026, "province", group="ethnic_minority")
    calls = []
    real = DuckDBSource.sql
    monkeypatch.setattr(DuckDBSource, "sql", lambda self, q: calls.append(q) or real(self, q))
    pd.testing.assert_frame_equal(national.ranking(summ, 2026, "province", group="ethnic_minority"), want)
    assert calls and all("ethnic_minority" in q for q in calls)
    calls.clear()
    national.ranking(summ, 2026, "province")
    national.flow_counts(summ, years=(2025, 2026), province="19")
    national.deprivation_summary(summ, 2026, STD)
    assert calls == []  # every household: answered from the summaries, no query


def test_a_year_counted_with_other_indicators_goes_to_the_engine(both, monkeypatch):
    engine, summ = both
    assert summ.summaries.indicator_standard == {2025: STD, 2026: STD}
    # the summaries counted 2026 with no standard's indicators (e.g. the data lack them): the engine answers
    other = DuckDBSource(summ.con, summaries=dataclasses.replace(summ.summaries, indicator_standard={2025: STD}))
    calls = []
    real = DuckDBSource.sql
    monkeypatch.setattr(DuckDBSource, "sql", lambda self, q: calls.append(q) or real(self, q))
    _same(national.deprivation_summary(other, 2026, STD), national.deprivation_summary(engine, 2026, STD))
    assert any("GROUP BY" in q for q in calls)
    calls.clear()
    national.deprivation_summary(other, 2025, STD)
    assert calls == []


def test_saved_summaries_are_read_back_while_the_files_match(national_root, national_src, tmp_path):
    root = tmp_path / "vn"
    shutil.copytree(national_root, root, ignore=shutil.ignore_patterns(summary.FOLDER))
    assert summary.load(root) is None  # none yet
    src = summary.ensure(from_parquet(root), root)
    back = summary.load(root)
    assert back is not None and back.fingerprint == summary.fingerprint(root)
    pd.testing.assert_frame_equal(back.rates, src.summaries.rates)
    pd.testing.assert_frame_equal(back.deprivations, src.summaries.deprivations)
    pd.testing.assert_frame_equal(back.transitions, src.summaries.transitions)
    for st in ("poor", "near_poor"):
        pd.testing.assert_frame_equal(back.flows[st], src.summaries.flows[st])
    # the summaries are not households: the view still reads the household files only
    assert from_parquet(root).sql("SELECT COUNT(*) AS n FROM households")["n"].iloc[0] == back.rates["households"].sum()
    # a household file changed: the saved summaries no longer answer, and ensure builds them again
    f = sorted(root.glob("year=2026/province_code=19/*.parquet"))[0]
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    assert summary.load(root) is None
    assert summary.ensure(from_parquet(root), root).summaries.fingerprint == summary.fingerprint(root)
    assert summary.load(root) is not None


def test_a_damaged_or_foreign_summary_is_not_read(national_root, tmp_path):
    root = tmp_path / "vn"
    shutil.copytree(national_root, root, ignore=shutil.ignore_patterns(summary.FOLDER))
    summary.ensure(from_parquet(root), root)
    folder = root / summary.FOLDER
    data = (folder / "rates.parquet").read_bytes()
    (folder / "rates.parquet").write_bytes(data[:-10])  # a write cut short
    assert summary.load(root) is None
    (folder / "rates.parquet").write_bytes(data)
    assert summary.load(root) is not None
    m = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**m, "format": summary.FORMAT + 1}))
    assert summary.load(root) is None
    (folder / "manifest.json").write_text("{not json")
    assert summary.load(root) is None


def test_a_folder_one_cannot_write_keeps_them_in_memory(national_root, tmp_path, monkeypatch):
    root = tmp_path / "vn"
    shutil.copytree(national_root, root, ignore=shutil.ignore_patterns(summary.FOLDER))

    def refuse(*a, **k):
        raise PermissionError("read-only")

    monkeypatch.setattr(summary, "write_bytes_atomic", refuse)
    src = summary.ensure(from_parquet(root), root)
    assert src.summaries is not None and not (root / summary.FOLDER).exists()
    assert national.household_count(src, 2026) == int(
        from_parquet(root).sql("SELECT COUNT(*) AS n FROM households WHERE year = 2026")["n"].iloc[0])


def _random_panel(seed: int, years: int) -> pd.DataFrame:
    """Households over ``years`` reviews in 5 communes of 2 provinces, some moving between communes and
    provinces, some leaving or arriving, some reviewed with the B2 score only (no indicators)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    communes = {"00004": "01", "00008": "01", "00011": "01", "05500": "19", "05503": "19"}
    codes = list(communes)
    ids = [f"H{i:03d}" for i in range(n)]
    rows = []
    for y in range(2025, 2025 + years):
        for h in ids:
            if rng.random() < 0.15:  # not in this review (left, or not yet arrived)
                continue
            c = codes[int(rng.integers(0, len(codes)))] if rng.random() < 0.3 else codes[int(h[1:]) % len(codes)]
            row = {"year": y, "household_id": h, "commune_code": c, "province_code": communes[c],
                   "commune_name": f"Xã {c}", "status": str(rng.choice(["poor", "near_poor", "non_poor"])),
                   "standard": STD, "members": int(rng.integers(1, 7)),
                   "poor_via": str(rng.choice(["income", "deprivation"]))}
            b2_only = rng.random() < 0.1
            for i in ("employment", "dependants", "nutrition", "health_insurance", "adult_education",
                      "child_schooling", "housing_quality", "living_area", "water_source", "latrine", "telecom",
                      "info_access"):
                row[i] = None if b2_only else bool(rng.random() < 0.3)
            rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["poor_via"] = df["poor_via"].where(df["status"] == "poor", None)
    return df


@settings(max_examples=4, deadline=None)
@given(seed=hs.integers(0, 2**32 - 1), years=hs.sampled_from([2, 3]))
def test_random_panels_with_movers_equal_the_engine(seed, years):
    from povlib.query import from_frame

    df = _random_panel(seed, years)
    if df.empty or df["year"].nunique() < 2:
        return
    engine = from_frame(df)
    summ = DuckDBSource(engine.con, summaries=summary.build(engine))
    last = int(df["year"].max())
    all_years = tuple(sorted(int(y) for y in df["year"].unique()))
    for province, communes in ((None, ()), ("01", ()), ("19", ()), (None, ("00004", "05500")), ("01", ("00008",))):
        for y0, y1 in zip(all_years, all_years[1:]):
            _same(national.transition_counts(summ, y0, y1, province=province, communes=communes),
                  national.transition_counts(engine, y0, y1, province=province, communes=communes))
        _same(national.flow_counts(summ, years=all_years, province=province, communes=communes),
              national.flow_counts(engine, years=all_years, province=province, communes=communes))
        _same(national.deprivation_summary(summ, last, STD, province=province, communes=communes),
              national.deprivation_summary(engine, last, STD, province=province, communes=communes))
        _same(national.rates_trend(summ, None, province=province, communes=communes),
              national.rates_trend(engine, None, province=province, communes=communes))
    for level, province in (("province", None), ("commune", "01"), ("commune", "19")):
        _same(national.unit_measures(summ, last, level, province=province),
              national.unit_measures(engine, last, level, province=province))
        _same(national.ranking(summ, last, level, province=province),
              national.ranking(engine, last, level, province=province))


def _frame(**cols) -> pd.DataFrame:
    n = len(cols["year"])
    base = {"commune_name": [f"Xã {c}" for c in cols["commune_code"]], "standard": [STD] * n, "members": [1] * n}
    return pd.DataFrame({**base, **cols})


# selections where per-commune sums would differ from the engine's SQL of the selection (found in review):
# the summaries must refuse them (the engine answers) rather than give another figure
_EDGE_CASES = {
    "a commune only in the later review": _frame(
        year=[2025, 2026, 2026, 2026], province_code=["01"] * 4, commune_code=["A", "A", "B", "B"],
        household_id=["h1", "h1", "h2", "h3"], status=["poor", "poor", "poor", "near_poor"]),
    "a row without its commune's province": _frame(
        year=[2025, 2026, 2026], province_code=["01", "01", None], commune_code=["A", "A", "A"],
        household_id=["h1", "h1", "h2"], status=["non_poor", "poor", "poor"]),
    "a household id twice in a review": _frame(
        year=[2025, 2025, 2026], province_code=["01"] * 3, commune_code=["A", "B", "A"],
        household_id=["h1", "h1", "h1"], status=["non_poor", "poor", "poor"]),
}


@pytest.mark.parametrize("case", list(_EDGE_CASES))
def test_edge_cases_equal_the_engine(case):
    from povlib.query import from_frame

    engine = from_frame(_EDGE_CASES[case])
    summ = DuckDBSource(engine.con, summaries=summary.build(engine))
    for sel in ({}, {"province": "01"}, {"communes": ("A",)}, {"communes": ("B",)}, {"province": "01", "communes": ("B",)}):
        _same(national.flow_counts(summ, years=(2025, 2026), **sel), national.flow_counts(engine, years=(2025, 2026), **sel))
        _same(national.overview_figures(summ, 2026, years=(2025, 2026), **sel),
              national.overview_figures(engine, 2026, years=(2025, 2026), **sel))
        # pairs of years that are not the data's reviews in order: the engine's answer
        for y0, y1 in ((2025, 2026), (2026, 2025), (2025, 2024)):
            _same(national.transition_counts(summ, y0, y1, **sel), national.transition_counts(engine, y0, y1, **sel))


def test_a_file_rewritten_with_its_old_size_and_time_is_noticed(tmp_path):
    """``cp -p``, ``rsync -t`` or ``tar x`` can give new contents the old size and modification time; the change
    time still moves, so the saved summaries are not read for the new data."""
    part = tmp_path / "year=2025" / "province_code=01"
    part.mkdir(parents=True)
    p = part / "part-000.parquet"

    def write(statuses):
        pd.DataFrame({"commune_code": ["A", "B"], "commune_name": ["a", "b"], "household_id": ["h1", "h2"],
                      "status": statuses, "standard": STD, "members": [1, 1]}).to_parquet(p, index=False)

    write(["poor", "near_poor"])
    old = p.stat()
    summary.ensure(from_parquet(tmp_path), tmp_path)
    assert summary.is_current(tmp_path)
    write(["near_poor", "poor"])
    os.utime(p, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert p.stat().st_size == old.st_size and p.stat().st_mtime_ns == old.st_mtime_ns
    assert not summary.is_current(tmp_path) and summary.load(tmp_path) is None
    src = from_parquet(tmp_path)
    _same(national.ranking(summary.ensure(src, tmp_path), 2025, "commune", province="01"),
          national.ranking(src, 2025, "commune", province="01"))


def test_ties_and_year_types_do_not_depend_on_the_path():
    from povlib.query import from_frame

    # 2026: one row of the standard, one without (a tie): the standard wins both ways
    df = _frame(year=[2025, 2026, 2026], province_code=["01"] * 3, commune_code=["A"] * 3,
                household_id=["h1", "h1", "h2"], status=["poor", "poor", "near_poor"]).assign(
        standard=[STD, None, STD])
    engine = from_frame(df)
    summ = DuckDBSource(engine.con, summaries=summary.build(engine))
    assert national.facts_standards(engine, [2025, 2026]) == national.facts_standards(summ, [2025, 2026]) == [STD, STD]
    _same(national.unit_rates(summ, "year"), national.unit_rates(engine, "year"))
    assert national.unit_rates(engine, "year")["year"].dtype == np.int64


def test_indicators_changed_since_the_build_go_to_the_engine(both):
    """Summaries counted with other indicators than the standard now has (a rules file edited after the
    build) do not answer: the engine counts with the standard's current indicators."""
    engine, summ = both
    s = summ.summaries
    fewer = dataclasses.replace(s, deprivations=s.deprivations.drop(columns=["hd_telecom"]))
    other = DuckDBSource(summ.con, summaries=fewer)
    assert fewer.deprivations_of(2026, standards.get(STD)) is None
    _same(national.deprivation_summary(other, 2026, STD), national.deprivation_summary(engine, 2026, STD))


def test_the_same_data_give_the_same_saved_bytes(national_src, tmp_path):
    """Two builders of one dataset write identical tables (so neither's manifest mismatches the other's
    tables), whatever order the engine returns the groups of a query that has no ORDER BY."""

    class AnyOrder(DuckDBSource):
        def sql(self, query):
            out = super().sql(query)
            return out if "ORDER BY" in query else out.sample(frac=1, random_state=self.seed).reset_index(drop=True)

    digests = []
    for seed in (1, 2):
        src = AnyOrder(national_src.con)
        src.seed = seed
        summary.save(summary.build(src), tmp_path / str(seed))
        digests.append(json.loads((tmp_path / str(seed) / summary.FOLDER / "manifest.json").read_text())["tables"])
    assert digests[0] == digests[1]
