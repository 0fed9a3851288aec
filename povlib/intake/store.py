"""The versioned household store under ``data/store/``: every import is a new version.

Layout (plain files, no server)::

    data/store/
      parts/<part>.parquet     households of one import, immutable
      versions/v000001.json    one file per version, immutable: who, when, which file,
                               checksum, row counts, and which part holds each
                               (commune, year) of the full panel at that version
      tmp/upload-<id>/         a checked upload waiting to be imported or abandoned
                               (:mod:`povlib.intake.staged`; never read as data)

A version's JSON file is its commit point. An import first writes its part
(temporary file, ``fsync``, ``os.replace``), then the version file (temporary
file, ``fsync``, then an atomic ``os.link`` to a name that must not exist yet).
A process killed at any moment leaves either no new version file – the
previous version is untouched and still the latest – or a complete one.
Left-over temporary files and unreferenced parts are harmless (never read);
each import and undo first removes the temporary files (``.tmp-*``) older than
:data:`~povlib.intake.limits.STALE_TEMP_SECONDS` that no live import holds (a
writer keeps a lock on its temporary file until it is renamed):
:meth:`Store.clean_stale_temp`.
Two imports racing for the same version number cannot both win: the loser
gets a clear error and writes nothing visible.

An import for a set of (commune, year) pairs replaces those households and
carries over every other commune and year, so the latest version is always the
full current panel. :meth:`Store.undo` writes a *new* version that puts back,
for the (commune, year) pairs the undone version changed and nobody changed
since, what was there before it; nothing is ever deleted.

Why Parquet files and not DuckDB: an import touches a few communes, so it
writes a few megabytes, never rewrites the panel; files are immutable, which
makes atomicity a rename and backups a copy; any tool (pandas, DuckDB,
Excel via Power Query) reads them; and there is no database file to lock
between the Streamlit server and the command line.

Examples
--------
>>> import tempfile, pandas as pd
>>> from povlib.intake import Store, read_intake
>>> st = Store(tempfile.mkdtemp())
>>> csv = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\\n"
>>> csv += "H1,2019,02020,Tổ 1,Thành thị,4,130,30\\n"
>>> r = read_intake(csv.encode(), file_name="xa.csv")
>>> v = st.import_intake(r, imported_by="Nguyễn Văn A")
>>> v.version_id, len(st.load()), st.load_panel().loc[0, "status"]
(1, 1, 'poor')
"""
from __future__ import annotations

import datetime as _dt
import io
import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import PovlibInputError
from ..i18n import fmt_datetime, fmt_int, t
from ..panel import classify_panel
from . import limits, tempfiles
from .layout import STORE_COLUMNS, id_key, store_dtypes, to_store

__all__ = ["STORE_DATASET", "Store", "VersionInfo", "default_store", "list_versions", "load", "versions_display"]


@dataclass(frozen=True)
class VersionInfo:
    """One stored version (an import or an undo)."""

    version_id: int
    kind: str  # "import" | "undo"
    base: int  # version it was built on (0 = empty store)
    created_at: str  # ISO 8601, UTC
    imported_by: str
    file_name: str = ""
    checksum: str = ""
    member_file_name: str = ""
    member_checksum: str = ""
    rows_in_file: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    rows_total: int = 0
    #: households of the (commune, year) pairs of the import that the version before held: replaced by it
    rows_replaced: int = 0
    years: tuple[int, ...] = ()
    communes: tuple[str, ...] = ()
    part: str = ""
    undoes: int | None = None
    segments: dict[str, list[list]] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["years"] = list(self.years)
        d["communes"] = list(self.communes)
        return d


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def _segments_frame(segments: dict[str, list[list]]) -> pd.DataFrame:
    """Version mapping -> rows (part, commune_code, year, n); n = households (-1 if not recorded)."""
    rows = [(part, str(k[0]), int(k[1]), int(k[2]) if len(k) > 2 else -1)
            for part, keys in segments.items() for k in keys]
    return pd.DataFrame(rows, columns=["part", "commune_code", "year", "n"])


def _read_part(path: Path, columns: list[str] | None) -> pd.DataFrame:
    """One stored part; parts written before the column was renamed call the commune code ``gso_code_2019``."""
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    if "commune_code" in names or paths.SOURCE_CODE_2019 not in names:
        return pd.read_parquet(path, columns=columns)
    cols = None if columns is None else [paths.SOURCE_CODE_2019 if c == "commune_code" else c for c in columns]
    return pd.read_parquet(path, columns=cols).rename(columns={paths.SOURCE_CODE_2019: "commune_code"})


def _frame_segments(df: pd.DataFrame) -> dict[str, list[list]]:
    out: dict[str, list[list]] = {}
    if "n" not in df:
        df = df.assign(n=-1)
    for part, g in df.sort_values(["part", "commune_code", "year"]).groupby("part", sort=True):
        out[str(part)] = [[str(c), int(y), int(n)] for c, y, n in zip(g["commune_code"], g["year"], g["n"])]
    return out


class Store:
    """A versioned household store in a folder.

    Parameters
    ----------
    path : str or Path, optional
        The folder (created when first written). Default: :func:`povlib.paths.store_dir`
        (``$POVLIB_STORE`` or ``data/store/``).
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or paths.store_dir())
        self.parts_dir = self.path / "parts"
        self.versions_dir = self.path / "versions"

    # ---------------------------------------------------------------- reading
    def _version_files(self) -> list[Path]:
        if not self.versions_dir.exists():
            return []
        return sorted(p for p in self.versions_dir.glob("v*.json") if p.stem[1:].isdigit())

    def version(self, version_id: int | None = None) -> VersionInfo | None:
        """The version ``version_id`` (default: the latest; None if the store is empty)."""
        if version_id is None:
            files = self._version_files()
            if not files:
                return None
            path = files[-1]
        else:
            path = self.versions_dir / f"v{int(version_id):06d}.json"
            if not path.exists():
                raise PovlibInputError.from_key("intake.store.no_version", version=version_id)
        d = json.loads(path.read_text(encoding="utf-8"))
        d["years"] = tuple(d.get("years", ()))
        d["communes"] = tuple(d.get("communes", ()))
        return VersionInfo(**d)

    def latest_version(self) -> int | None:
        """Id of the latest version, or None for an empty store."""
        files = self._version_files()
        return int(files[-1].stem[1:]) if files else None

    def versions(self) -> pd.DataFrame:
        """All versions, oldest first, with an ``undone`` and a ``latest`` flag.

        Columns: version_id, created_at, kind, imported_by, file_name, checksum,
        member_file_name, rows_in_file, rows_imported, rows_rejected, rows_total,
        years (text), communes (count), undoes, undone, latest.
        """
        infos = [self.version(int(p.stem[1:])) for p in self._version_files()]
        cols = ["version_id", "created_at", "kind", "imported_by", "file_name", "checksum", "member_file_name",
                "rows_in_file", "rows_imported", "rows_rejected", "rows_total", "years", "communes", "undoes",
                "undone", "latest"]
        if not infos:
            return pd.DataFrame(columns=cols)
        undone = {i.undoes for i in infos if i.kind == "undo"}
        df = pd.DataFrame([{
            **{k: getattr(i, k) for k in cols if hasattr(i, k) and k not in ("years", "communes")},
            "years": ", ".join(str(y) for y in i.years),
            "communes": len(i.communes),
            "undone": i.version_id in undone,
        } for i in infos])
        df["undoes"] = df["undoes"].astype("Int64")
        df["latest"] = df["version_id"] == df["version_id"].max()
        return df[cols]

    def _read_segments(self, info: VersionInfo, columns: list[str] | None = None) -> pd.DataFrame:
        seg = _segments_frame(info.segments)
        frames = []
        for part, keys in seg.groupby("part", sort=True):
            keys = keys[["commune_code", "year"]]
            df = _read_part(self.parts_dir / part, columns)
            k = keys[["commune_code", "year"]].assign(_keep=True)
            df = df.assign(_code=df["commune_code"].astype(str), _yr=df["year"].astype("int64"))
            df = df.merge(k.rename(columns={"commune_code": "_code", "year": "_yr"}), on=["_code", "_yr"],
                          how="inner").drop(columns=["_code", "_yr", "_keep"])
            frames.append(df)
        if not frames:
            return store_dtypes(pd.DataFrame(columns=columns or STORE_COLUMNS))
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return store_dtypes(out)

    def load(self, version_id: int | None = None) -> pd.DataFrame:
        """Households (raw inputs, store columns) of a version (default: the latest).

        An empty store gives an empty table with the store's columns.
        """
        info = self.version(version_id)
        if info is None:
            return store_dtypes(pd.DataFrame(columns=STORE_COLUMNS))
        df = self._read_segments(info)
        return df.sort_values(["year", "commune_code", "household_id"], kind="stable").reset_index(drop=True)

    def load_panel(self, version_id: int | None = None) -> pd.DataFrame:
        """Households of a version classified by povlib (like :func:`povlib.load_demo`)."""
        return classify_panel(self.load(version_id))

    def household_keys(self, version_id: int | None = None, years=None) -> pd.DataFrame:
        """``household_id``, ``year``, ``commune_code`` of a version (cheap: three columns).

        ``years`` limits the answer (and the reading) to those review years.
        """
        info = self.version(version_id)
        cols = ["household_id", "year", "commune_code"]
        if info is not None and years is not None:
            seg = _segments_frame(info.segments)
            seg = seg[seg["year"].isin([int(y) for y in years])]
            info = VersionInfo(version_id=info.version_id, kind="", base=0, created_at="", imported_by="",
                               segments=_frame_segments(seg))
        if info is None:
            return pd.DataFrame({"household_id": pd.Series(dtype="string"), "year": pd.Series(dtype="Int64"),
                                 "commune_code": pd.Series(dtype="string")})
        df = self._read_segments(info, cols)[cols]
        return df.astype({"household_id": "string", "year": "Int64", "commune_code": "string"})

    # ---------------------------------------------------------------- writing
    def _write_part(self, df: pd.DataFrame) -> str:
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        name = f"p-{_dt.datetime.now(_dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:10]}.parquet"
        with tempfiles.held_temp(self.parts_dir, ".parquet") as (fd, tmp):
            with os.fdopen(fd, "wb", closefd=False) as fh:
                buf = io.BytesIO()
                df.to_parquet(buf, index=False)
                tempfiles.write_durably(fh, buf.getvalue())
            os.replace(tmp, self.parts_dir / name)
            tempfiles.fsync_dir(self.parts_dir)
        return name

    def _commit(self, info: VersionInfo) -> VersionInfo:
        """Write the version file; fails (nothing visible) if that version id was taken meanwhile."""
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        final = self.versions_dir / f"v{info.version_id:06d}.json"
        with tempfiles.held_temp(self.versions_dir, ".json") as (fd, tmp):
            with os.fdopen(fd, "wb", closefd=False) as fh:
                tempfiles.write_durably(fh, json.dumps(info.as_dict(), ensure_ascii=False, indent=1).encode("utf-8"))
            try:
                os.link(tmp, final)  # atomic, and refuses an existing name
            except FileExistsError:
                raise PovlibInputError.from_key("intake.store.conflict") from None
            except (AttributeError, NotImplementedError, PermissionError):  # no hard links here
                if final.exists():
                    raise PovlibInputError.from_key("intake.store.conflict") from None
                os.replace(tmp, final)
            tempfiles.fsync_dir(self.versions_dir)
        return info

    def clean_stale_temp(self, max_age: float | None = None) -> list[Path]:
        """Remove the temporary files a killed import left (``.tmp-*`` in ``parts/`` and ``versions/``).

        Only regular files older than ``max_age`` seconds (default
        :data:`~povlib.intake.limits.STALE_TEMP_SECONDS`) that no live import
        holds are removed; links and folders are left alone. Returns the removed paths.
        """
        age = limits.STALE_TEMP_SECONDS if max_age is None else max_age
        return tempfiles.remove_stale((self.parts_dir, self.versions_dir), age)

    def import_table(
        self,
        df: pd.DataFrame,
        *,
        file_name: str,
        checksum: str,
        imported_by: str,
        year: int | None = None,
        rows_in_file: int | None = None,
        rows_rejected: int = 0,
        member_file_name: str = "",
        member_checksum: str = "",
    ) -> VersionInfo:
        """Store validated households as a new version.

        Parameters
        ----------
        df : DataFrame
            Households in store layout (``povlib.intake.Intake.valid``).
        file_name, checksum, imported_by : str
            Audit record: the file, its SHA-256, the name of the person importing.
        year : int, optional
            The review year chosen at import (recorded only; rows carry their year).

        Returns
        -------
        VersionInfo
            The new version: the latest version with the (commune, year) pairs
            of ``df`` replaced by ``df``.

        Raises
        ------
        PovlibInputError
            Empty ``df``; a blank ``imported_by``; a household id recorded for another
            commune in the same year (not replaced by this import, ids compared in NFKC
            and upper case); a concurrent import.
        """
        if df.empty:
            raise PovlibInputError.from_key("intake.store.empty")
        if not str(imported_by).strip():
            raise PovlibInputError.from_key("intake.page.importer_missing")
        self.clean_stale_temp()
        df = df if "province_code" in df and "_row" not in df else to_store(df)
        base = self.version()
        base_id = base.version_id if base else 0
        keys = df[["commune_code", "year"]].astype({"commune_code": str, "year": "int64"}).drop_duplicates()
        # ids recorded for another commune in the same year, not replaced by this import
        prev = self.household_keys(base_id, years=keys["year"].unique()) if base else None
        if prev is not None and len(prev):
            prev = prev.astype({"commune_code": str, "year": "int64", "household_id": str})
            kept = prev.merge(keys.assign(_r=True), on=["commune_code", "year"], how="left")
            kept = kept[kept["_r"].isna()]
            mine = df[["household_id", "year"]].astype({"year": "int64"}).assign(_id=id_key(df["household_id"]))
            clash = mine.merge(kept[["household_id", "year"]].assign(_id=id_key(kept["household_id"])),
                               on=["_id", "year"], how="inner", suffixes=("", "_kept"))
            if len(clash):
                ex = clash["household_id"].iloc[0]
                raise PovlibInputError.from_key("intake.store.id_conflict", n=len(clash), example=ex,
                                                column="household_id")
        part = self._write_part(df.reset_index(drop=True))
        seg = _segments_frame(base.segments) if base else _segments_frame({})
        seg = seg.merge(keys.assign(_r=True), on=["commune_code", "year"], how="left")
        replaced = self._count(seg[seg["_r"].notna()].drop(columns="_r"), base, 0, part)  # said, never silent
        seg = seg[seg["_r"].isna()].drop(columns="_r")
        counts = df.groupby([df["commune_code"].astype(str), df["year"].astype("int64")], observed=True).size()
        new = keys.assign(part=part)
        new["n"] = [int(counts[(c, y)]) for c, y in zip(new["commune_code"], new["year"])]
        seg = pd.concat([seg, new[["part", "commune_code", "year", "n"]]], ignore_index=True)
        total = self._count(seg, base, len(df), part)
        info = VersionInfo(
            version_id=base_id + 1, kind="import", base=base_id, created_at=_now(),
            imported_by=str(imported_by).strip(), file_name=file_name, checksum=checksum,
            member_file_name=member_file_name or "", member_checksum=member_checksum or "",
            rows_in_file=int(rows_in_file if rows_in_file is not None else len(df) + rows_rejected),
            rows_imported=len(df), rows_rejected=int(rows_rejected), rows_total=total, rows_replaced=replaced,
            years=tuple(sorted(int(y) for y in keys["year"].unique())),
            communes=tuple(sorted(keys["commune_code"].unique())), part=part,
            segments=_frame_segments(seg),
        )
        return self._commit(info)

    def import_intake(self, intake, *, imported_by: str, year: int | None = None) -> VersionInfo:
        """Store the valid rows of a :class:`povlib.intake.Intake` (the caller decides about errors)."""
        valid = intake.valid
        return self.import_table(
            valid, file_name=intake.file_name, checksum=intake.checksum, imported_by=imported_by, year=year,
            rows_in_file=intake.n_rows, rows_rejected=intake.n_rows - len(valid),
            member_file_name=intake.member_file_name or "", member_checksum=intake.member_checksum or "",
        )

    def households_in(self, pairs) -> int:
        """Households the latest version holds for the (commune code, review year) ``pairs``: what an import
        of those pairs replaces (0 for an empty store)."""
        base = self.version()
        keys = pd.DataFrame(list(pairs), columns=["commune_code", "year"]).astype({"commune_code": str,
                                                                                   "year": "int64"})
        if base is None or keys.empty:
            return 0
        seg = _segments_frame(base.segments).merge(keys.drop_duplicates(), on=["commune_code", "year"])
        return self._count(seg, base, 0, "")

    def _count(self, seg: pd.DataFrame, base: VersionInfo | None, n_new: int, new_part: str) -> int:
        """Households in a mapping: rows of the new part + rows kept from earlier parts."""
        old = seg[seg["part"] != new_part]
        if old.empty:
            return n_new
        if (old["n"] >= 0).all():
            return n_new + int(old["n"].sum())
        info = VersionInfo(version_id=0, kind="", base=0, created_at="", imported_by="", segments=_frame_segments(old))
        return n_new + len(self._read_segments(info, ["commune_code", "year"]))

    def undo(self, version_id: int, *, imported_by: str) -> VersionInfo:
        """Undo a version: a new version restoring what it replaced (nothing is deleted).

        For every (commune, year) pair the undone version changed, and that no
        later version changed again, the new version holds what the undone
        version's base held (or nothing, if the pair was new).
        """
        if not str(imported_by).strip():
            raise PovlibInputError.from_key("intake.page.importer_missing")
        self.clean_stale_temp()
        target = self.version(version_id)
        latest = self.version()
        before = _segments_frame(self.version(target.base).segments) if target.base else _segments_frame({})
        changed = _segments_frame(target.segments).merge(before, on=["commune_code", "year"], how="outer",
                                                         suffixes=("", "_before"), indicator=True)
        changed = changed[(changed["part"] != changed["part_before"])]
        cur = _segments_frame(latest.segments)
        m = cur.merge(changed[["commune_code", "year", "part"]].rename(columns={"part": "_undone"}),
                      on=["commune_code", "year"], how="left")
        revert = m["_undone"].notna() & (m["part"] == m["_undone"])
        cols = ["part", "commune_code", "year", "n"]
        keep = m.loc[~revert, cols]
        revert_keys = m.loc[revert, ["commune_code", "year"]]
        restored = revert_keys.merge(before, on=["commune_code", "year"], how="inner")[cols]
        # pairs the undone version removed (undo of an undo) come back if still absent
        removed = changed[changed["part"].isna()][["commune_code", "year", "part_before", "n_before"]]
        if len(removed):
            absent = removed.merge(cur[["commune_code", "year"]].assign(_x=1), on=["commune_code", "year"],
                                   how="left")
            absent = absent[absent["_x"].isna()].rename(columns={"part_before": "part", "n_before": "n"})
            restored = pd.concat([restored, absent[cols]], ignore_index=True)
        if not revert.any() and not len(restored):  # already undone, or every pair changed again since
            raise PovlibInputError.from_key("intake.store.undo_nothing", version=int(version_id))
        seg = pd.concat([keep, restored], ignore_index=True)
        seg["n"] = seg["n"].astype("int64")
        if len(seg) and (seg["n"] >= 0).all():
            total = int(seg["n"].sum())
        else:
            info0 = VersionInfo(version_id=0, kind="", base=0, created_at="", imported_by="",
                                segments=_frame_segments(seg))
            total = len(self._read_segments(info0, ["commune_code", "year"])) if len(seg) else 0
        info = VersionInfo(
            version_id=latest.version_id + 1, kind="undo", base=latest.version_id, created_at=_now(),
            imported_by=str(imported_by).strip(), file_name=target.file_name, checksum=target.checksum,
            rows_total=total, years=target.years, communes=target.communes, undoes=int(version_id),
            segments=_frame_segments(seg),
        )
        return self._commit(info)


#: Dataset name of the store in the dashboard (``?dataset=store:ra-soat``).
STORE_DATASET = "ra-soat"


def list_versions(path: str | Path | None = None) -> list[dict]:
    """Versions of the store for the dashboard's dataset picker, oldest first.

    Each item: ``{"dataset": "ra-soat", "version": "3", "latest": bool, "undone": bool}``.
    """
    v = Store(path).versions()
    return [{"dataset": STORE_DATASET, "version": str(int(r.version_id)), "latest": bool(r.latest),
             "undone": bool(r.undone)} for r in v.itertuples(index=False)]


def load(dataset: str = STORE_DATASET, version: str | int | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Classified households of a stored version (default: the latest), as the dashboard reads them."""
    if dataset != STORE_DATASET:
        raise PovlibInputError.from_key("intake.store.no_dataset", dataset=dataset)
    return Store(path).load_panel(int(version) if version not in (None, "") else None)


def versions_display(versions: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The versions table with headers and values in ``lang`` (for the Data page)."""
    v = versions
    kind = [t("intake.ver.kind_import", lang) if k == "import" else t("intake.ver.kind_undo", lang, version=u)
            for k, u in zip(v["kind"], v["undoes"])]
    state = [t("intake.ver.latest", lang) if la else (t("intake.ver.undone", lang) if un else "")
             for la, un in zip(v["latest"], v["undone"])]
    out = pd.DataFrame({
        t("intake.ver.version", lang): v["version_id"].astype(int),
        t("intake.ver.created_at", lang): [fmt_datetime(x, lang) for x in v["created_at"]],  # stored UTC, shown local
        t("intake.ver.kind", lang): kind,
        t("intake.ver.imported_by", lang): v["imported_by"],
        t("intake.ver.file_name", lang): v["file_name"],
        t("intake.ver.years", lang): v["years"],
        t("intake.ver.communes", lang): v["communes"],
        t("intake.ver.rows_in_file", lang): [fmt_int(x, lang) for x in v["rows_in_file"]],
        t("intake.ver.rows_imported", lang): [fmt_int(x, lang) for x in v["rows_imported"]],
        t("intake.ver.rows_rejected", lang): [fmt_int(x, lang) for x in v["rows_rejected"]],
        t("intake.ver.rows_total", lang): [fmt_int(x, lang) for x in v["rows_total"]],
        t("intake.ver.checksum", lang): v["checksum"].str[:12],
        "": state,
    })
    return out.iloc[::-1].reset_index(drop=True)


def default_store() -> Store:
    """The store at :func:`povlib.paths.store_dir` (``$POVLIB_STORE`` or ``data/store/``)."""
    return Store()
