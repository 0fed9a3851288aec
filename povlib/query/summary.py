"""Precomputed commune summaries of a national dataset: the engine's sums per commune, computed once.

The national pages show figures of the country, a province or a few communes. Every such figure of the
whole household group ("all households") is a sum of per-commune integers: households and people by
status, the flows of the poor and the near-poor, the transitions between two reviews, and the
Alkire–Foster sums by number of deprivations. :func:`build` asks the engine for those integers once, per
commune (a few tens of thousands of rows for 27 million households a year); :func:`save` writes them
beside the households (``<root>/_summaries/``, Parquet, atomically, with a manifest that fingerprints the
household files); :func:`load` reads them back only when the fingerprint still matches the files, so a
changed dataset is never answered from old sums. :mod:`povlib.views.national` then sums the rows of the
selected communes in pandas instead of scanning the households again, and gives the same integers (and
so the same rates to the last digit) as its SQL: ``tests/unit/test_national_summaries.py`` runs every
table both ways, on the national sample and on random panels with movers.

What the summaries cannot answer goes to the engine as before: a household group (its rows are not
kept apart), another standard's indicators than the year's own, and the few cases where per-commune sums
would differ from the SQL of a selection (stated on :class:`Summaries`).

Examples
--------
>>> import pandas as pd
>>> from povlib.query import from_frame
>>> df = pd.DataFrame({"year": [2025, 2025, 2026], "province_code": ["01", "01", "01"],
...                    "commune_code": ["00004"] * 3, "commune_name": ["Phường Ba Đình"] * 3,
...                    "household_id": ["a", "b", "a"], "status": ["poor", "non_poor", "near_poor"],
...                    "standard": "ND07_2021", "members": [3, 2, 3]})
>>> s = build(from_frame(df))
>>> s.rates[["year", "households", "poor", "near_poor"]].to_string(index=False)
' year  households  poor  near_poor\\n 2025           2     1          0\\n 2026           1     0          1'
>>> s.transitions[["from_status", "to_status", "households"]].sort_values("from_status").to_string(index=False)
'from_status to_status  households\\n   non_poor      None           1\\n       poor near_poor           1'
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import standards as _standards
from ..af_weights import integer_weights
from ..errors import PovlibInputError
from ..export import write_bytes_atomic
from ..measures import af_from_sums
from ..standards import Standard
from .flows import _successor_pairs, duplicates_sql, flow_tables
from .rates import rates_counts, rates_from_counts
from .reclassify import whatif_digest
from .source import HOUSEHOLD_FILES, PARTITION_TYPES, VIEW, DuckDBSource, Filter, Source

__all__ = ["Summaries", "build", "save", "load", "is_current", "ensure", "fingerprint", "pick", "af_from_counts", "FOLDER", "FORMAT", "folder_of",
           "RATE_COUNTS"]

#: the folder of the summaries inside a dataset's folder (not a household file: see
#: :data:`povlib.query.source.HOUSEHOLD_FILES`)
FOLDER = "_summaries"
#: the summaries' format; a manifest of another format is not read (the summaries are built again)
FORMAT = 1
_TABLES = ("rates", "flows_poor", "flows_near_poor", "transitions", "deprivations")
#: the count columns of :attr:`Summaries.rates`
RATE_COUNTS = ("households", "poor", "near_poor", "income_poor", "deprivation_poor", "people", "poor_people",
               "near_poor_people")


@dataclass(frozen=True)
class Summaries:
    """The per-commune integers of one dataset (group: every household).

    Attributes
    ----------
    rates : pandas.DataFrame
        ``year``, ``province_code``, ``commune_code``, ``commune_name``, ``standard`` and the counts
        :data:`RATE_COUNTS` (a missing key is kept as a group of its own).
    flows : dict of str to pandas.DataFrame
        ``'poor'``, ``'near_poor'``: :func:`povlib.query.flow_tables` by ``commune_code`` of all the rows.
    transitions : pandas.DataFrame
        Per pair of review years (``year_from`` < ``year_to``): households by their province, commune and
        status in each year (``None`` where absent), ``households``.
    deprivations : pandas.DataFrame
        Per year, province, commune, status and number of deprivations (the year's own standard's
        indicators; households carrying all of them): ``households`` and ``hd_<indicator>`` (deprived).
    indicator_standard : dict of int to str
        The standard whose indicators :attr:`deprivations` counts, per year (a year missing: not counted).
    unique_ids : bool
        No household id twice in a review year (else a selection's transitions are left to the engine).
    renamed_units : bool
        Some commune has a successor code at the next review (else flows of a selection of communes equal
        the sum of theirs).
    fingerprint : str
        :func:`fingerprint` of the household files summarised ('' for a source in memory).
    people : bool
        The data have ``members`` (the people counts of :attr:`rates` mean something).
    """

    rates: pd.DataFrame
    flows: dict[str, pd.DataFrame]
    transitions: pd.DataFrame
    deprivations: pd.DataFrame
    indicator_standard: dict[int, str] = field(default_factory=dict)
    unique_ids: bool = True
    renamed_units: bool = False
    fingerprint: str = ""
    people: bool = True

    @property
    def years(self) -> tuple[int, ...]:
        """The review years of the data."""
        return tuple(sorted(int(y) for y in self.rates["year"].dropna().unique()))

    def flows_exact(self, filtered: bool) -> bool:
        """True when the flows of a selection equal the sum of its communes' flows: always for the whole
        data; for a province or some communes when a household's earlier history cannot lie outside them
        (two reviews at most) and no commune was renamed between reviews."""
        return not filtered or (len(self.years) <= 2 and not self.renamed_units)

    def standard_counts(self, years: Sequence[int] = ()) -> pd.DataFrame:
        """Households per year and standard (``year``, ``standard``, ``n``; a missing standard is a group)."""
        r = pick(self.rates, years=years)
        return r.groupby(["year", "standard"], dropna=False)["households"].sum().rename("n").reset_index()

    def rates_of(self, by: str | Sequence[str] | None, *, years: Sequence[int] = (), province: str | None = None,
                 communes: Sequence[str] = ()) -> pd.DataFrame:
        """:func:`povlib.query.rates` of the selection (by ``by``, among the columns of :attr:`rates`): the
        same counts summed over its communes, the same rates computed from them."""
        keys = [by] if isinstance(by, str) else list(by or ())
        counts = list(RATE_COUNTS) if self.people else list(RATE_COUNTS[:5])
        r = pick(self.rates, years=years, province=province, communes=communes)
        if keys:
            g = r.groupby(keys, sort=True, dropna=True)[counts].sum().reset_index()
        else:
            g = pd.DataFrame({c: [int(r[c].sum())] for c in counts})
        return rates_from_counts(g, len(keys))

    def flows_of(self, *, province: str | None = None, communes: Sequence[str] = ()) -> dict[str, pd.DataFrame] | None:
        """:func:`povlib.query.flow_tables` by commune of the selection (its communes' rows), or None when
        that would not equal the engine's flows of the selection (:meth:`flows_exact`; a commune code in two
        provinces; a household id twice in a year; a selection without rows in some review year)."""
        filtered = bool(province or communes)
        if not self.flows_exact(filtered) or (province and self.commune_provinces is None):
            return None
        if filtered and not self.unique_ids:
            return None  # an id twice in a year: a selection's join pairs its rows differently
        if filtered and set(pick(self.rates, province=province, communes=communes)["year"]) != set(self.years):
            return None  # the engine takes the selection's own first review as its start: not the data's
        out = {}
        for st, t in self.flows.items():
            keep = np.ones(len(t), dtype=bool)
            if province:
                keep &= t["commune_code"].map(self.commune_provinces).eq(str(province)).to_numpy()
            if communes:
                keep &= t["commune_code"].isin([str(c) for c in communes]).to_numpy()
            out[st] = t[keep].reset_index(drop=True)
        return out

    def transitions_of(self, year_from: int, year_to: int, *, province: str | None = None,
                       communes: Sequence[str] = ()) -> pd.DataFrame | None:
        """Households by status in ``year_from`` and ``year_to`` of the selection (``from_status``,
        ``to_status``, ``households``; 'absent' for a side missing or outside the selection, as the engine's
        join of the selection's two years), or None when a household id is twice in a year (a selection's
        join would then pair rows differently) or the two years are not review years of the data in order."""
        filtered = bool(province or communes)
        if filtered and not self.unique_ids:
            return None
        if not (int(year_from) < int(year_to) and {int(year_from), int(year_to)} <= set(self.years)):
            return None  # only pairs of the data's review years, in order, are kept
        t = self.transitions[(self.transitions["year_from"] == int(year_from))
                             & (self.transitions["year_to"] == int(year_to))]
        sides = []
        for side in ("from", "to"):
            inside = np.ones(len(t), dtype=bool)
            if province:
                inside &= (t[f"{side}_province"] == str(province)).to_numpy()
            if communes:
                inside &= t[f"{side}_commune"].isin([str(c) for c in communes]).to_numpy()
            status = t[f"{side}_status"].where(inside, None) if filtered else t[f"{side}_status"]
            sides.append((status.fillna("absent").astype(str).to_numpy(), inside))
        keep = sides[0][1] | sides[1][1]
        g = pd.DataFrame({"from_status": sides[0][0][keep], "to_status": sides[1][0][keep],
                          "households": t["households"].to_numpy(dtype=np.int64)[keep]})
        return g.groupby(["from_status", "to_status"], sort=False).sum().reset_index()

    def deprivations_of(self, year: int, standard: Standard) -> pd.DataFrame | None:
        """The rows of :attr:`deprivations` of ``year`` when they were counted with ``standard``'s indicators,
        exactly those (else None: another standard, or the standard's indicators changed since the build)."""
        if self.indicator_standard.get(int(year)) != standard.id:
            return None
        rows = self.deprivations[self.deprivations["year"] == int(year)]
        counted = {c[3:] for c in rows.columns if c.startswith("hd_") and rows[c].notna().all()}
        return rows if len(rows) and counted == set(standard.indicator_ids) else None

    @cached_property
    def commune_provinces(self) -> dict[str, str] | None:
        """Commune code -> its province, or None when some commune code has rows in two provinces over the
        years, or rows with and without a province (a province's rows are then not those of a list of communes:
        its flows are left to the engine)."""
        u = self.rates.loc[self.rates["commune_code"].notna(), ["commune_code", "province_code"]].drop_duplicates()
        if u["commune_code"].duplicated().any():  # two provinces, or a province and a row without one
            return None
        return dict(zip(u["commune_code"], u["province_code"]))


def pick(frame: pd.DataFrame, *, years: Sequence[int] = (), province: str | None = None,
         communes: Sequence[str] = ()) -> pd.DataFrame:
    """The rows of a summary table of ``years``, ``province`` and ``communes`` (empty: all).

    Examples
    --------
    >>> f = pd.DataFrame({"year": [2025, 2026], "province_code": ["01", "19"], "commune_code": ["00004", "05500"]})
    >>> pick(f, years=(2026,))["commune_code"].tolist(), len(pick(f, province="01", communes=("05500",)))
    (['05500'], 0)
    """
    keep = np.ones(len(frame), dtype=bool)
    if years:
        keep &= frame["year"].isin([int(y) for y in years]).to_numpy()
    if province:
        keep &= (frame["province_code"] == str(province)).to_numpy()
    if communes:
        keep &= frame["commune_code"].isin([str(c) for c in communes]).to_numpy()
    return frame[keep]


def af_from_counts(rows: pd.DataFrame, std: Standard, keys: Sequence[str]) -> pd.DataFrame:
    """:func:`povlib.query.af_by_group` with ``std``'s indicators, equal weights and its cut-off, from rows of
    :attr:`Summaries.deprivations` (households by number of deprivations): the same integer sums, hence the
    same measures (:func:`povlib.measures.af_from_sums`)."""
    ids = list(std.indicator_ids)
    _, K, w = integer_weights(ids, None, Fraction(std.deprivation_cutoff, len(ids)))
    n = rows["households"].to_numpy(dtype=np.int64)
    is_poor = rows["deprivation_count"].to_numpy(dtype=np.int64) >= K
    hd = {i: rows[f"hd_{i}"].to_numpy(dtype=np.int64) for i in ids}
    sums = pd.DataFrame({**{k: rows[k].to_numpy() for k in keys}, "pop": n, "poor": np.where(is_poor, n, 0),
                         **{f"hd_{i}": v for i, v in hd.items()},
                         **{f"hdk_{i}": np.where(is_poor, v, 0) for i, v in hd.items()}})
    if keys:
        g = sums.groupby(list(keys), sort=True, dropna=True).sum().reset_index()
    else:
        g = sums.sum().to_frame().T if len(sums) else sums
    f = {c: g[c].to_numpy(dtype=np.float64) for c in g.columns if c not in keys}
    res = pd.DataFrame(af_from_sums(f["pop"], f["poor"], [f[f"hd_{i}"] for i in ids], [f[f"hdk_{i}"] for i in ids],
                                    ids, w))
    for j, key in enumerate(keys):
        res.insert(j, key, g[key].to_numpy())
    return res


def fingerprint(root: str | Path) -> str:
    """A digest of the household files under ``root`` (each file's path, size, modification and change times).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "year=2025" / "province_code=01").mkdir(parents=True)
    >>> a = fingerprint(d); _ = (d / "year=2025" / "province_code=01" / "p.parquet").write_bytes(b"x")
    >>> a == fingerprint(d)
    False
    """
    root = Path(root)
    h = hashlib.sha256()
    for f in sorted(root.glob(HOUSEHOLD_FILES)):
        st = f.stat()
        # the change time too: unlike the modification time, no tool can set it back after rewriting a file
        h.update(f"{f.relative_to(root).as_posix()}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_ctime_ns}\n".encode())
    return h.hexdigest()


def folder_of(root: str | Path, whatif: str | None = None) -> Path:
    """Where the summaries of ``root`` are saved: ``_summaries/``, and those of a what-if standard
    (:func:`povlib.query.reclassify.reclassified`) in ``_summaries/whatif-<standard>/``.

    Examples
    --------
    >>> folder_of("/data/vn").as_posix(), folder_of("/data/vn", "ND351_2025").as_posix()
    ('/data/vn/_summaries', '/data/vn/_summaries/whatif-ND351_2025')
    """
    folder = Path(root) / FOLDER
    return folder if whatif is None else folder / f"whatif-{_standards.get(whatif).id}"


def _expected(root: str | Path, whatif: str | None) -> str:
    """The fingerprint saved summaries must carry: the household files', and for a what-if also its whole SQL
    (:func:`povlib.query.reclassify.whatif_digest`: a corrected line, or corrected code, makes them stale)."""
    fp = fingerprint(root)
    if whatif is None:
        return fp
    first = next(iter(sorted(Path(root).glob(HOUSEHOLD_FILES))), None)
    schema = pq.read_schema(first) if first is not None else pa.schema([])
    cols = [f.name for f in schema if f.name not in PARTITION_TYPES] + list(PARTITION_TYPES)
    return hashlib.sha256(f"{fp}\n{whatif_digest(whatif, cols)}".encode()).hexdigest()


def _rates(source: Source) -> pd.DataFrame:
    keys = ["year", "province_code", "commune_code", "commune_name", "standard"]
    g = rates_counts(source, keys, null_keys=True)  # a missing key is a group: its rows still count
    g["year"] = g["year"].astype(np.int64)
    for c in ("province_code", "commune_code", "commune_name", "standard"):
        g[c] = g[c].astype(object).where(g[c].notna(), None)
    for c in RATE_COUNTS:
        if c in g.columns:  # the people counts only when the data have ``members``
            g[c] = g[c].astype(np.int64)
    return g.reset_index(drop=True)


def _transitions(source: Source, years: list[int]) -> pd.DataFrame:
    parts = []
    for i, y0 in enumerate(years):
        for y1 in years[i + 1:]:
            a, b = Filter(years=(y0,)).where(), Filter(years=(y1,)).where()
            g = source.sql(
                f"SELECT a.province_code AS from_province, a.commune_code AS from_commune, a.status AS from_status, "
                f"b.province_code AS to_province, b.commune_code AS to_commune, b.status AS to_status, "
                f"CAST(COUNT(*) AS BIGINT) AS households\n"
                f"FROM (SELECT household_id, province_code, commune_code, status FROM {VIEW} {a}) a\n"
                f"FULL OUTER JOIN (SELECT household_id, province_code, commune_code, status FROM {VIEW} {b}) b "
                f"ON a.household_id = b.household_id\n"
                f"GROUP BY a.province_code, a.commune_code, a.status, b.province_code, b.commune_code, b.status")
            parts.append(g.assign(year_from=int(y0), year_to=int(y1)))
    cols = ["year_from", "year_to", "from_province", "from_commune", "from_status", "to_province", "to_commune",
            "to_status", "households"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("year_from", "year_to", "households") else object)
                             for c in cols})
    t = pd.concat(parts, ignore_index=True)[cols]
    for c in cols[2:-1]:
        t[c] = t[c].astype(object).where(t[c].notna(), None)
    for c in ("year_from", "year_to", "households"):
        t[c] = t[c].astype(np.int64)
    # one order whatever order the engine's groups came in: the same data give the same bytes (and digest)
    return t.sort_values(cols[:-1], na_position="last", kind="stable").reset_index(drop=True)


def _deprivations(source: Source, rates: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str]]:
    cols = set(source.columns())
    parts, used = [], {}
    std_of = (rates.groupby(["year", "standard"], dropna=True)["households"].sum().reset_index()
              .sort_values(["year", "households", "standard"], ascending=[True, False, True])
              .drop_duplicates("year"))
    for year, std_id in zip(std_of["year"], std_of["standard"]):
        try:
            std = _standards.get(str(std_id))
        except PovlibInputError:  # a standard this installation does not know: the engine answers (and says so)
            continue
        ids = list(std.indicator_ids)
        if any(i not in cols for i in ids):
            continue
        count = " + ".join(f"CAST({i} AS INTEGER)" for i in ids)
        known = Filter(years=(int(year),)).where(*(f"{i} IS NOT NULL" for i in ids))
        hd = ", ".join(f"CAST(SUM(CAST({i} AS INTEGER)) AS BIGINT) AS hd_{i}" for i in ids)
        g = source.sql(f"SELECT year, province_code, commune_code, commune_name, status, "
                       f"{count} AS deprivation_count, CAST(COUNT(*) AS BIGINT) AS households, {hd} FROM {VIEW} "
                       f"{known} GROUP BY year, province_code, commune_code, commune_name, status, {count}")
        parts.append(g)
        used[int(year)] = std.id
    if not parts:
        return pd.DataFrame(columns=["year", "province_code", "commune_code", "commune_name", "status",
                                     "deprivation_count", "households"]), used
    d = pd.concat(parts, ignore_index=True)
    for c in ("province_code", "commune_code", "commune_name", "status"):
        d[c] = d[c].astype(object).where(d[c].notna(), None)
    for c in d.columns:
        if c == "year" or c == "deprivation_count" or c == "households":
            d[c] = d[c].astype(np.int64)
        elif c.startswith("hd_"):
            d[c] = d[c].astype("Int64")  # an indicator of another year's standard: missing (<NA>)
    return d.sort_values(["year", "province_code", "commune_code", "commune_name", "status", "deprivation_count"],
                         kind="stable").reset_index(drop=True), used


def _text_as_objects(f: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python strings with None for missing (one form, however the frame was read)."""
    f = f.copy()
    for c in f.columns:
        if f[c].dtype == object or pd.api.types.is_string_dtype(f[c].dtype):
            f[c] = f[c].astype(object).where(f[c].notna(), None)
    return f


def build(source: Source) -> Summaries:
    """The summaries of every household of ``source``, from the engine (one pass per table).

    Needs the columns ``year``, ``province_code``, ``commune_code``, ``commune_name``, ``household_id``,
    ``status`` and ``standard``; ``members``, ``poor_via`` and the indicators are used when present.
    """
    rates = _rates(source)
    years = sorted(int(y) for y in rates["year"].unique())
    flows = {st: _text_as_objects(t) for st, t in
             flow_tables(source, "commune_code", statuses=("poor", "near_poor"), check=False).items()}
    unique = source.sql(duplicates_sql(limit=1)).empty
    renamed = bool(_successor_pairs(source, years, None))
    deprivations, used = _deprivations(source, rates)
    return Summaries(rates=rates, flows=flows, transitions=_transitions(source, years), deprivations=deprivations,
                     indicator_standard=used, unique_ids=unique, renamed_units=renamed,
                     people="members" in source.columns())


def _frames(s: Summaries) -> dict[str, pd.DataFrame]:
    return {"rates": s.rates, "flows_poor": s.flows["poor"], "flows_near_poor": s.flows["near_poor"],
            "transitions": s.transitions, "deprivations": s.deprivations}


def save(summaries: Summaries, root: str | Path, whatif: str | None = None) -> Path:
    """Write ``summaries`` under ``root/_summaries/`` (a what-if's: :func:`folder_of`): each table atomically,
    then the manifest (the tables' digests and the households' fingerprint) last, so a write cut short is
    never read back."""
    folder = folder_of(root, whatif)
    digests = {}
    for name, frame in _frames(summaries).items():
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        data = buf.getvalue()
        write_bytes_atomic(folder / f"{name}.parquet", data)
        digests[name] = hashlib.sha256(data).hexdigest()
    manifest = {"format": FORMAT, "fingerprint": summaries.fingerprint, "tables": digests,
                "indicator_standard": {str(y): s for y, s in summaries.indicator_standard.items()},
                "unique_ids": summaries.unique_ids, "renamed_units": summaries.renamed_units,
                "people": summaries.people}
    write_bytes_atomic(folder / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
    return folder


def is_current(root: str | Path, whatif: str | None = None) -> bool:
    """True when ``root`` holds saved summaries of this format that match its household files (a cheap
    check: the manifest and the files' sizes and times, not the tables' digests, which :func:`load` checks).

    Examples
    --------
    >>> import tempfile
    >>> is_current(tempfile.mkdtemp())
    False
    """
    try:
        m = json.loads((folder_of(root, whatif) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(m, dict) and m.get("format") == FORMAT and m.get("fingerprint") == _expected(root, whatif)


def load(root: str | Path, whatif: str | None = None) -> Summaries | None:
    """The summaries saved under ``root``, or None when there are none, when they are of another format, or
    when they do not match the household files any more (a file added, changed or removed) or their own
    digests (a write cut short). ``whatif``: the summaries of that what-if standard, read only while its
    rules are those they were computed with."""
    folder = folder_of(root, whatif)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("fingerprint") != _expected(root, whatif):
            return None
        frames = {}
        for name in _TABLES:
            data = (folder / f"{name}.parquet").read_bytes()
            if hashlib.sha256(data).hexdigest() != manifest["tables"][name]:
                return None
            frames[name] = pq.read_table(pa.BufferReader(data)).to_pandas()
        frames = {name: _text_as_objects(f) for name, f in frames.items()}
        return Summaries(rates=frames["rates"], flows={"poor": frames["flows_poor"],
                                                       "near_poor": frames["flows_near_poor"]},
                         transitions=frames["transitions"], deprivations=frames["deprivations"],
                         indicator_standard={int(y): str(s) for y, s in manifest["indicator_standard"].items()},
                         unique_ids=bool(manifest["unique_ids"]), renamed_units=bool(manifest["renamed_units"]),
                         fingerprint=str(manifest["fingerprint"]), people=bool(manifest["people"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # anything else than our manifest
        return None


def ensure(source: DuckDBSource, root: str | Path, *, write: bool = True) -> DuckDBSource:
    """``source`` (over the files under ``root``) with its summaries attached: the saved ones when they match
    the files, else built now and, with ``write``, saved (a folder one may not write to keeps them in memory
    only). A what-if source (:func:`povlib.query.reclassify.reclassified`) gets the summaries of its standard."""
    s = load(root, source.whatif)
    if s is None:
        fp = _expected(root, source.whatif)
        s = dataclasses.replace(build(source), fingerprint=fp)
        if write:
            try:
                save(s, root, source.whatif)
            except OSError:
                pass  # a read-only dataset: the summaries live in this process only
    return dataclasses.replace(source, summaries=s)

