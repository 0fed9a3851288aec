"""povlib.query.reclassify: a what-if view re-classified by the engine gives, household by household, what
:func:`povlib.panel.classify_panel` gives the same rows under the same standard (status, poor_via, number of
deprivations, average living standard), on the national sample, on the Chợ Đồn demo (two standards, rows
reviewed with the B2 score only) and on random rows near every line; inputs the rules cannot read are refused
with the classifier's message, naming the column and the households."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from povlib import PovlibInputError, load_demo, standards
from povlib.panel import classify_panel
from povlib.query import from_frame, from_parquet
from povlib.query.reclassify import OUTPUTS, reclassified, rules_digest

OUT = list(OUTPUTS)


def _write(df: pd.DataFrame, root, year_col: str = "year") -> None:
    """``df`` as a national dataset's Parquet files (``year=…/province_code=…/part.parquet``)."""
    for (y, p), g in df.groupby([year_col, "province_code"], sort=True):
        d = root / f"year={int(y)}" / f"province_code={p}"
        d.mkdir(parents=True, exist_ok=True)
        g.drop(columns=[year_col, "province_code"]).to_parquet(d / "part.parquet", index=False)


def _engine(src, std) -> pd.DataFrame:
    w = reclassified(src, std)
    got = w.sql(f"SELECT year, household_id, {', '.join(OUT)} FROM households")
    return got.sort_values(["year", "household_id"], kind="stable").reset_index(drop=True)


def _pandas(df: pd.DataFrame, std) -> pd.DataFrame:
    want = classify_panel(df, std)
    if "average_living_standard" not in want:  # every row on the score path: not known (the engine: NULL)
        want = want.assign(average_living_standard=pd.NA)
    want = want[["year", "household_id", *OUT]]
    return want.sort_values(["year", "household_id"], kind="stable").reset_index(drop=True)


def _assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert len(got) == len(want)
    assert got["household_id"].tolist() == want["household_id"].tolist()
    for c in ("status", "poor_via"):
        g = got[c].astype(object).where(got[c].notna(), None).tolist()
        w = want[c].astype(object).where(want[c].notna(), None).tolist()
        assert g == w, c
    assert got["deprivation_count"].astype(np.int64).tolist() == want["deprivation_count"].astype(np.int64).tolist()
    g = got["average_living_standard"].astype(object).where(got["average_living_standard"].notna(), None).tolist()
    w = want["average_living_standard"].astype(object).where(want["average_living_standard"].notna(), None).tolist()
    assert g == w


def _refused_by_both(df: pd.DataFrame, root, std: str) -> str:
    """``df`` written under ``root`` is refused under ``std`` by pandas and by the engine on one column: that
    column."""
    _write(df, root)
    with pytest.raises(PovlibInputError) as pd_err:
        _pandas(df, std)
    with pytest.raises(PovlibInputError) as sql_err:
        reclassified(from_parquet(root), std)
    assert pd_err.value.column == sql_err.value.column, (pd_err.value, sql_err.value)
    return str(pd_err.value.column)


def _same_or_both_refuse(src, df: pd.DataFrame, std: str) -> None:
    """The engine's what-if over ``src`` equals ``classify_panel(df, std)``, or both refuse naming one column."""
    try:
        want = _pandas(df, std)
    except PovlibInputError as e:
        with pytest.raises(PovlibInputError) as got:
            reclassified(src, std)
        assert got.value.column == e.column, (got.value, e)
        return
    _assert_same(_engine(src, std), want)


@pytest.mark.parametrize("std", ["ND351_2025", "DN_ND07_local_example", "ND07_2021", "QD59_2015"])
def test_national_sample_equals_pandas_household_by_household(national_src, national_frame, std):
    got, want = _engine(national_src, std), _pandas(national_frame, std)
    _assert_same(got, want)
    if std != "ND07_2021":  # a what-if that changes something (else the test could not tell)
        assert (got["status"].to_numpy() != national_frame.sort_values(["year", "household_id"], kind="stable")
                ["status"].astype(str).to_numpy()).any()


def test_a_b_score_beyond_the_standards_is_refused_like_pandas(tmp_path):
    """Decree 07/2021's B score reaches 120; Decision 59/2015's B2 stops at 100: both refuse the same row."""
    df = pd.DataFrame({"household_id": ["a", "b"], "year": 2026, "province_code": "06", "standard": "ND07_2021",
                       "area": "rural", "income": [100, 100], "b1_score": 0, "b2_score": [120, 30]})
    _write(df, tmp_path)
    with pytest.raises(PovlibInputError) as pd_err:
        classify_panel(df, "QD59_2015")
    with pytest.raises(PovlibInputError) as sql_err:
        reclassified(from_parquet(tmp_path), "QD59_2015")
    assert sql_err.value.column == pd_err.value.column == "b2_score"
    assert sql_err.value.rows == ["a"] and pd_err.value.rows == [0]
    assert str(sql_err.value).split(" (")[0] == str(pd_err.value).split(" (")[0]


@pytest.fixture(scope="module")
def cho_don_parquet(tmp_path_factory):
    """The Chợ Đồn demo (2016–2026: Decision 59/2015, then Decree 07/2021; some rows with the B2 score only)
    as Parquet files."""
    df = load_demo("cho-don").copy()
    df["province_code"] = "06"
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(object)
    root = tmp_path_factory.mktemp("cd")
    _write(df, root)
    return from_parquet(root), df


@pytest.mark.parametrize("std", ["ND351_2025", "ND07_2021", "QD59_2015"])
def test_cho_don_demo_equals_pandas(cho_don_parquet, std):
    src, df = cho_don_parquet
    _same_or_both_refuse(src, df, std)


_STD_IDS = ["ND351_2025", "ND07_2021", "QD59_2015", "DN_ND07_local_example"]


_OWN = ["ND07_2021", "QD59_2015", "ND351_2025"]
_ALL_IDS = list(dict.fromkeys(c for o in _OWN for c in standards.get(o).indicator_ids))


@hs.composite
def _rows(draw, std: str):
    """Rows reviewed under Decree 07/2021, Decision 59/2015 or Decree 351/2025 (each row its own, so a
    what-if meets rows of several other standards at once), with their indicators or a score B only,
    many of them on, just under or just over one of ``std``'s lines or score thresholds. A Decree 351/2025
    row always gives its income (the score path has no thresholds) and may give no score B (a 2027 file
    with the indicators). A row with its indicators may also give some of other standards' (a file in another
    standard's form), each cell blank or not: a what-if counts those it has beyond the shared ones."""
    n = draw(hs.integers(1, 25))
    what = standards.get(std)
    lines = sorted({v for a in ("rural", "urban") for v in
                    (what.lines[a].poor, what.lines[a].near_poor, what.lines[a].average) if v is not None})
    near = hs.sampled_from(lines).flatmap(lambda v: hs.integers(v - 1, v + 1))
    b1s = sorted({v for sc in what.scores.values() for v in (sc.poor, sc.near_poor)}) or [100]
    rows = []
    for i in range(n):
        own = draw(hs.sampled_from(_OWN))
        ids = standards.get(own).indicator_ids
        has_inds = draw(hs.booleans()) if own != "ND351_2025" else True
        inds = [draw(hs.integers(0, 1)) for _ in ids]
        k = sum(inds)
        income = draw(hs.one_of(near, near, hs.integers(0, 4_000_000),
                                hs.none() if own != "ND351_2025" else near))
        b1 = draw(hs.one_of(hs.sampled_from(b1s).flatmap(lambda v: hs.integers(v - 1, v + 1)), hs.integers(0, 300)))
        b2 = 10 * (k if has_inds else draw(hs.integers(0, 10)))
        if own == "ND351_2025" and draw(hs.booleans()):
            b2 = None
        others = [c for c in _ALL_IDS if c not in ids]
        more = {c: draw(hs.sampled_from([None, 0, 1])) for c in others} if has_inds and draw(hs.booleans()) else {}
        rows.append({"household_id": f"h{i:02d}", "year": 2026, "province_code": "06", "standard": own,
                     "area": draw(hs.sampled_from(["rural", "urban"])), "income": income, "members": 3,
                     "b1_score": b1, "b2_score": b2,
                     **{c: (v if has_inds else None) for c, v in zip(ids, inds)}, **more})
    df = pd.DataFrame(rows)
    df["income"] = df["income"].astype("Int64")
    df["b2_score"] = df["b2_score"].astype("Float64")
    for c in _ALL_IDS:
        df[c] = (df[c] if c in df else pd.Series(None, index=df.index, dtype=object)).astype("Int8")
    return df


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hs.data(), std=hs.sampled_from(_STD_IDS))
def test_random_rows_near_every_line_equal_pandas(tmp_path_factory, data, std):
    df = data.draw(_rows(std))
    # the files carry each row's classification as reviewed, as a review's files do
    own = classify_panel(df)
    root = tmp_path_factory.mktemp("r")
    _write(own, root)
    _same_or_both_refuse(from_parquet(root), own, std)


def test_bad_inputs_are_refused_with_column_and_households(tmp_path):
    df = pd.DataFrame({"household_id": ["a", "b", "c"], "year": 2026, "province_code": "06", "standard": "ND07_2021",
                       "area": ["rural", "mountain", "urban"], "income": [1, 2, 3], "b1_score": 0, "b2_score": [0, 10, 20]})
    _write(df, tmp_path)
    with pytest.raises(PovlibInputError) as e:
        reclassified(from_parquet(tmp_path), "ND351_2025")
    assert e.value.column == "area" and e.value.rows == ["b"]
    assert "'area'" in str(e.value) and "b" in str(e.value)


def test_score_path_under_a_standard_without_thresholds_is_refused(tmp_path):
    df = pd.DataFrame({"household_id": ["a", "b"], "year": 2026, "province_code": "06", "standard": "ND07_2021",
                       "area": "rural", "income": [100, None], "b1_score": [100, 100], "b2_score": [0, 30]})
    _write(df, tmp_path)
    with pytest.raises(PovlibInputError) as e:
        reclassified(from_parquet(tmp_path), "ND351_2025")
    assert e.value.column == "b1_score" and e.value.rows == ["b"]
    src = reclassified(from_parquet(tmp_path), "ND07_2021")  # Decree 07/2021 knows its score A thresholds
    assert src.sql("SELECT status FROM households ORDER BY household_id")["status"].tolist() == ["near_poor", "poor"]


def test_a_source_without_files_is_refused():
    with pytest.raises(PovlibInputError) as e:
        reclassified(from_frame(pd.DataFrame({"area": ["rural"]})), "ND351_2025")
    assert "Parquet" in str(e.value)


def test_the_rules_digest_follows_the_rules():
    nd = standards.get("ND351_2025")
    import dataclasses
    moved = dataclasses.replace(nd, deprivation_cutoff=4)
    assert rules_digest(nd) == rules_digest("ND351_2025") != rules_digest(moved)


@pytest.mark.parametrize("own", ["ND07_2021", "QD59_2015"])
def test_every_line_and_threshold_of_every_standard_equals_pandas(tmp_path, own):
    """A grid: income (or score B1) on, just under and just over every line and threshold of every standard,
    both areas, 0 to 5 deprivations (B2), classified under each standard by both."""
    stds = [standards.get(s) for s in _STD_IDS]
    incomes = sorted({v + e for s in stds for a in ("rural", "urban")
                      for v in (s.lines[a].poor, s.lines[a].near_poor, s.lines[a].average) if v is not None
                      for e in (-1, 0, 1)} | {0})
    b1s = sorted({v + e for s in stds for sc in s.scores.values() for v in (sc.poor, sc.near_poor) for e in (-1, 0, 1)})
    x = [(i, None) for i in incomes] + [(None, b) for b in b1s]
    grid = pd.MultiIndex.from_product([range(len(x)), ["rural", "urban"], range(6)]).to_frame(index=False)
    df = pd.DataFrame({"household_id": [f"h{i:05d}" for i in range(len(grid))], "year": 2026, "province_code": "06",
                       "standard": own, "area": grid[1].to_numpy(), "members": 2,
                       "income": pd.array([x[k][0] for k in grid[0]], dtype="Int64"),
                       "b1_score": [x[k][1] if x[k][1] is not None else 0 for k in grid[0]],
                       "b2_score": (10 * grid[2]).to_numpy()})
    own_rows = classify_panel(df)
    _write(own_rows, tmp_path)
    src = from_parquet(tmp_path)
    compared = 0
    for std in _STD_IDS:
        rows = own_rows if standards.get(std).scores else own_rows[own_rows["income"].notna()]
        want = _pandas(rows, std)
        # no score path: the engine refuses the B1 rows (tested above), so those are left out of the files too
        got = _engine(src, std) if standards.get(std).scores else _engine_income_only(tmp_path, own_rows, std)
        _assert_same(got, want)
        compared += len(want)
    assert compared > 1000


def _engine_income_only(tmp_path, own_rows, std):
    sub = tmp_path / f"income-{std}"
    _write(own_rows[own_rows["income"].notna()], sub)
    return _engine(from_parquet(sub), std)


def test_whatif_summaries_answer_as_the_engine_does(national_root, national_src, national_frame, monkeypatch):
    """The national tables of a what-if from its saved summaries equal the engine's over the re-classified view,
    and those equal the pandas re-classification; summaries computed under other rules are not read back."""
    from povlib.query import summary
    from povlib.views import national

    engine = reclassified(national_src, "ND351_2025")
    summed = summary.ensure(engine, national_root)
    assert summed.whatif == "ND351_2025" and summed.summaries is not None
    assert summary.is_current(national_root, "ND351_2025") and summary.folder_of(national_root, "ND351_2025").is_dir()
    years = (2025, 2026)
    for prov in (None, "19"):
        a = national.overview_figures(engine, 2026, years=years, province=prov)
        b = national.overview_figures(summed, 2026, years=years, province=prov)
        assert a == b
        pd.testing.assert_frame_equal(national.rates_trend(engine, "province", province=prov),
                                      national.rates_trend(summed, "province", province=prov))
        pd.testing.assert_frame_equal(national.transition_counts(engine, 2025, 2026, province=prov),
                                      national.transition_counts(summed, 2025, 2026, province=prov))
    assert set(national.rates_trend(summed, None)["standard"]) == {"ND351_2025"}
    want = classify_panel(national_frame, "ND351_2025")
    now = want[want["year"] == 2026]
    b = national.overview_figures(summed, 2026, years=years)
    assert b["poor"] == int((now["status"] == "poor").sum()) and b["households"] == len(now)
    assert b["near_poor"] == int((now["status"] == "near_poor").sum())
    # the reviewed figures are another set of summaries: the what-if's did not replace them
    assert summary.ensure(national_src, national_root).summaries.rates["poor"].sum() != summed.summaries.rates["poor"].sum()
    # other rules (a corrected line, say) make the saved what-if stale
    monkeypatch.setattr(summary, "whatif_digest", lambda *a: "other rules or other code")
    assert summary.load(national_root, "ND351_2025") is None and not summary.is_current(national_root, "ND351_2025")


@pytest.mark.parametrize("std", ["QD59_2015", "ND07_2021", "ND351_2025"])
def test_a_review_of_scores_only_equals_pandas(tmp_path, std):
    """No income column at all: score B1 against the standard's thresholds (none known under Decree 351/2025:
    refused by both)."""
    df = pd.DataFrame({"household_id": ["a", "b", "c", "d"], "year": 2026, "province_code": "06",
                       "standard": "ND07_2021", "area": ["rural", "urban", "rural", "urban"],
                       "b1_score": [120, 150, 141, 180], "b2_score": [30, 0, 40, 10], "members": 3})
    _write(df, tmp_path)
    _same_or_both_refuse(from_parquet(tmp_path), df, std)


@pytest.mark.parametrize("std", ["QD59_2015", "ND07_2021"])
def test_missing_income_and_indicator_as_pandas_writes_them(tmp_path, std):
    """A missing income takes the score path and a missing indicator the B score, in the engine as in pandas
    (pandas writes its NaN as nulls)."""
    ids = standards.get("QD59_2015").indicator_ids
    df = pd.DataFrame({"household_id": ["a", "b", "c"], "year": 2026, "province_code": "06",
                       "standard": "QD59_2015", "area": "rural", "income": [np.nan, 900_000.0, 600_000.0],
                       "b1_score": [100, 400, 400], "b2_score": [40, 40, 10], "members": 3,
                       **{c: [1.0, 1.0, 0.0] if i < 4 else [0.0, 0.0, 0.0] for i, c in enumerate(ids)}})
    df.loc[2, ids[0]] = np.nan  # c: a blank indicator, reviewed with the B score (10: one deprivation)
    df.loc[2, ids[1]] = 1.0
    _write(df, tmp_path)
    _same_or_both_refuse(from_parquet(tmp_path), df, std)


@pytest.mark.parametrize("bad", [0.5, 256, "có"], ids=["half", "256", "text"])
def test_an_indicator_that_is_not_0_or_1_is_refused_by_both(tmp_path, bad):
    ids = standards.get("ND07_2021").indicator_ids
    df = pd.DataFrame({"household_id": ["a", "b"], "year": 2026, "province_code": "06", "standard": "QD59_2015",
                       "area": "rural", "income": [600_000, 600_000], "b1_score": 0, "b2_score": [0, 10],
                       **{c: [0, 0] for c in ids}})
    df[ids[3]] = pd.Series([bad, "1"]) if isinstance(bad, str) else pd.Series([bad, 1], dtype=float)
    _write(df, tmp_path)
    with pytest.raises(PovlibInputError) as pd_err:
        classify_panel(df, "ND07_2021")
    with pytest.raises(PovlibInputError) as sql_err:
        reclassified(from_parquet(tmp_path), "ND07_2021")
    assert sql_err.value.column == pd_err.value.column == ids[3] and sql_err.value.rows[0] == "a"


def test_without_a_standard_column_the_b_score_must_count_the_indicators(tmp_path):
    ids = standards.get("ND07_2021").indicator_ids
    df = pd.DataFrame({"household_id": ["a", "b"], "year": 2026, "province_code": "06", "area": "rural",
                       "income": [600_000, 600_000], "b1_score": 0, "b2_score": [30, 10],
                       **{c: [1, 1] if i == 0 else [0, 0] for i, c in enumerate(ids)}})
    _write(df, tmp_path)
    with pytest.raises(PovlibInputError) as pd_err:
        classify_panel(df, "ND07_2021")
    with pytest.raises(PovlibInputError) as sql_err:
        reclassified(from_parquet(tmp_path), "ND07_2021")
    assert sql_err.value.column == pd_err.value.column == "b2_score" and sql_err.value.rows == ["a"]


def test_a_whatif_standard_blank_in_the_year_uses_the_years_own_indicators(tmp_path):
    """Reviews under two standards (2020: Decision 59/2015 and its indicators; 2026: Decree 07/2021 and its):
    the 2026 map measures under Decision 59/2015 use Decree 07/2021's indicators, whose columns hold values that
    year, as povlib.geo.unit_measures does – not the what-if's columns, blank in 2026."""
    from povlib.geo.join import unit_measures as geo_unit_measures
    from povlib.views import national

    q, n7 = standards.get("QD59_2015").indicator_ids, standards.get("ND07_2021").indicator_ids
    rng = np.random.default_rng(1)
    rows = []
    for y, s, ids in [(2020, "QD59_2015", q), (2026, "ND07_2021", n7)]:
        for i in range(40):
            v = {c: int(rng.integers(0, 2)) for c in ids}
            rows.append(dict(household_id=f"h{i:03d}", year=y, province_code="06", commune_code="00100",
                             commune_name="Xã X", standard=s, area="rural", members=3, b1_score=100,
                             income=int(rng.integers(500_000, 2_500_000)), b2_score=10 * sum(v.values()), **v))
    df = pd.DataFrame(rows)
    for c in set(q) | set(n7):
        df[c] = df[c].astype("Int8")
    df = classify_panel(df)
    _write(df, tmp_path)
    src = from_parquet(tmp_path)
    assert national.indicator_basis(src, 2026, "QD59_2015").used == "ND07_2021"
    got = national.unit_measures(reclassified(src, "QD59_2015"), 2026, "commune", standard="QD59_2015")
    want = geo_unit_measures(classify_panel(df, "QD59_2015"), 2026, by="commune_code", standard="QD59_2015")
    assert got.attrs["indicator_standard"] == want.attrs["indicator_standard"] == "ND07_2021"
    assert int(got["with_indicators"].iloc[0]) == int(want["with_indicators"].iloc[0]) == 40
    for c in ("households", "poor", "H", "A", "M0", "any_deprived"):
        assert float(got[c].iloc[0]) == float(want[c].iloc[0]), c


def test_a_standard_most_rows_of_every_year_were_reviewed_under_still_reclassifies_the_others(tmp_path):
    """Nine households reviewed under Decree 07/2021 and one under Decision 59/2015 in 2026: choosing Decree
    07/2021 re-classifies that one (the year's most frequent standard is not every row's)."""
    from povlib.views import national

    rows = [dict(household_id=f"h{i}", year=2026, province_code="06", commune_code="00100", commune_name="X",
                 standard="ND07_2021", area="rural", income=800_000, b1_score=100, b2_score=20, members=2)
            for i in range(9)]
    rows.append(dict(rows[0], household_id="q", standard="QD59_2015", income=650_000, b2_score=0))
    df = classify_panel(pd.DataFrame(rows))
    _write(df, tmp_path)
    src = from_parquet(tmp_path)
    assert national.facts(src).standard_of_year == {2026: "ND07_2021"}
    assert national.standards_present(src) == ["ND07_2021", "QD59_2015"]
    from povlib.query import summary
    assert national.standards_present(summary.ensure(src, tmp_path)) == ["ND07_2021", "QD59_2015"]  # the summaries'
    got = reclassified(src, "ND07_2021").sql("SELECT status FROM households WHERE household_id = 'q'")
    want = classify_panel(df, "ND07_2021").set_index("household_id").loc["q", "status"]
    assert got["status"].iloc[0] == want == "near_poor" and df.set_index("household_id").loc["q", "status"] == "poor"


def test_indicators_written_as_text_numbers_are_their_values_in_both(tmp_path):
    """Indicators stored as text "0.0"/"1.0": the engine and pandas read the numbers (not a bare ValueError)."""
    ids = standards.get("ND07_2021").indicator_ids
    df = pd.DataFrame({"household_id": ["a", "b"], "year": 2026, "province_code": "06", "standard": "QD59_2015",
                       "area": "rural", "income": [1_400_000, 1_400_000], "b1_score": 0, "b2_score": [30, 0],
                       **{c: (["1.0", "0.0"] if i < 3 else ["0.0", "0.0"]) for i, c in enumerate(ids)}})
    _write(df, tmp_path)
    _assert_same(_engine(from_parquet(tmp_path), "ND07_2021"), _pandas(df, "ND07_2021"))
    assert _pandas(df, "ND07_2021")["status"].tolist() == ["poor", "near_poor"]
    # counted on the indicators Decree 351/2025 shares with Decision 59/2015 (all "0.0" here) and on the ones of
    # Decree 351/2025 these rows give beyond their standard's (employment, dependants, nutrition: "1.0"): the same
    # reading of the text in both
    _assert_same(_engine(from_parquet(tmp_path), "ND351_2025"), _pandas(df, "ND351_2025"))
    assert _pandas(df, "ND351_2025")["deprivation_count"].tolist() == [3, 0]
    nd07 = df.assign(standard="ND07_2021")  # Decree 07/2021's rows: employment, dependants, nutrition are shared
    _write(nd07, tmp_path / "nd07")
    _assert_same(_engine(from_parquet(tmp_path / "nd07"), "ND351_2025"), _pandas(nd07, "ND351_2025"))
    assert _pandas(nd07, "ND351_2025")["deprivation_count"].tolist() == [3, 0]


@pytest.mark.parametrize("b2", [150, None, 35, "no column"])
def test_a_row_without_a_standard_is_refused_alike(tmp_path, b2):
    """A row whose standard is blank gives Decree 07/2021's indicators: a what-if under Decision 59/2015 cannot say
    which standard they are, so it reads the B score, which is out of range, blank or absent: both refuse it on
    the same column (the engine let it through with 15 deprivations of 10)."""
    ids = standards.get("ND07_2021").indicator_ids
    df = pd.DataFrame({"household_id": ["a", "b"], "year": 2026, "province_code": "06",
                       "standard": ["ND07_2021", None], "area": "rural", "income": [1_400_000, 1_400_000],
                       "b1_score": 0, "b2_score": [30.0, None if b2 == "no column" else b2],
                       **{c: [1 if i < 3 else 0, 1] for i, c in enumerate(ids)}})
    if b2 == "no column":
        df = df.drop(columns="b2_score").assign(**{c: [1, 1] for c in ids})
    _write(df, tmp_path)
    with pytest.raises(PovlibInputError) as pd_err:
        _pandas(df, "QD59_2015")
    with pytest.raises(PovlibInputError) as sql_err:
        reclassified(from_parquet(tmp_path), "QD59_2015")
    assert sql_err.value.column == pd_err.value.column and sql_err.value.rows == ["b"]


def test_a_whatif_counts_the_indicators_both_standards_share(tmp_path):
    """A what-if cannot count what the review did not ask, and a row's score B counts its own standard's
    indicators: the 2026 review (Decree 07/2021) under Decree 351/2025 counts the 10 indicators both share
    (not *telecom* and *info_access*, which score B counts); the 2027 review (Decree 351/2025, indicators and
    no score B) under Decree 07/2021 counts the same 10 instead of being refused. A row with a score B only
    keeps it (the only count there is). Pandas and the engine agree row by row."""
    n7, n351 = standards.get("ND07_2021").indicator_ids, standards.get("ND351_2025").indicator_ids
    zero7, zero351 = dict.fromkeys(n7, 0), dict.fromkeys(n351, 0)
    base = dict(province_code="06", area="rural", members=3, b1_score=100, income=1_400_000)
    rows = [
        # telecom + info_access + latrine: 3 under its own standard, 1 on the shared ten
        dict(base, household_id="a", year=2026, standard="ND07_2021", b2_score=30,
             **(zero7 | {"telecom": 1, "info_access": 1, "latrine": 1})),
        # score B only: 3 (its own count, the only one there is)
        dict(base, household_id="b", year=2026, standard="ND07_2021", b2_score=30),
        # waste + digital + employment, no score B: 3 under its own standard, 1 on the shared ten
        dict(base, household_id="c", year=2027, standard="ND351_2025", b2_score=None,
             **(zero351 | {"waste_treatment": 1, "digital_services": 1, "employment": 1})),
        dict(base, household_id="d", year=2027, standard="ND351_2025", b2_score=None,
             **(zero351 | {"nutrition": 1, "latrine": 1, "employment": 1})),
    ]
    df = pd.DataFrame(rows)
    df["b2_score"] = df["b2_score"].astype("Float64")
    for c in dict.fromkeys(n7 + n351):
        df[c] = df[c].astype("Int8")
    df = classify_panel(df)
    assert df["deprivation_count"].tolist() == [3, 3, 3, 3]
    _write(df, tmp_path)
    src = from_parquet(tmp_path)
    for std, want in [("ND351_2025", [1, 3, 3, 3]), ("ND07_2021", [3, 3, 1, 3])]:
        p = _pandas(df, std)
        assert p["deprivation_count"].tolist() == want, std
        _assert_same(_engine(src, std), p)
    # the line is 1.500.000 đồng (Decree 07/2021) and 2.200.000 (Decree 351/2025): all within, so 3 or more is poor
    assert _pandas(df, "ND351_2025")["status"].tolist() == ["near_poor", "poor", "poor", "poor"]


def test_a_whatif_also_counts_the_indicators_a_row_gives_beyond_its_own_standard(tmp_path):
    """A 2027 review in the 2022–2025 form (Decree 351/2025 rows carrying *telecom*, which Decree 351/2025 does not
    have): under Decision 59/2015 the seven indicators both standards share are counted, and *telecom*, which
    Decision 59/2015 has and the row gives, too – where a row leaves it blank, it is not counted. A cell that is
    not 0 or 1 there is refused by both."""
    ids = [c for c in standards.get("ND07_2021").indicator_ids]
    rows = []
    for hid, telecom in (("a", 1), ("b", None), ("c", 0)):
        rows.append(dict(household_id=hid, year=2027, province_code="06", standard="ND351_2025", area="rural",
                         members=3, b1_score=100, income=2_000_000, b2_score=40.0,
                         **(dict.fromkeys(ids, 0) | {"latrine": 1, "water_source": 1, "employment": 1,
                                                     "telecom": telecom})))
    df = pd.DataFrame(rows)
    for c in ids:
        df[c] = df[c].astype("Int8")
    _write(df, tmp_path)
    p = _pandas(df, "QD59_2015")
    assert p["deprivation_count"].tolist() == [3, 2, 2]  # latrine, water (+ telecom where given); not employment
    _assert_same(_engine(from_parquet(tmp_path), "QD59_2015"), p)
    bad = df.assign(telecom=pd.array([2, None, 0], dtype="Int8"))
    assert _refused_by_both(bad, tmp_path / "bad", "QD59_2015") == "telecom"
    # two bad cells in one row of Decision 59/2015 under Decree 351/2025, one shared (latrine) and one beyond
    # (employment): both name the first in the what-if standard's order
    two = df.assign(standard="QD59_2015", latrine=pd.array([2, 0, 0], dtype="Int8"),
                    employment=pd.array([2, 0, 0], dtype="Int8"))
    assert _refused_by_both(two, tmp_path / "two", "ND351_2025") == "employment"
