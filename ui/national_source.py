"""The national dataset's sources for the app: the DuckDB source over its Parquet files with their commune
summaries, a what-if standard's re-classified source, and the check that the files have not changed under a
running server. Part of :mod:`ui.cache` (which re-exports these names; pages call :mod:`ui.cache`), apart because
it is one topic: which engine and which summaries answer, not which table a page shows."""
from __future__ import annotations

import dataclasses

import streamlit as st

from povlib import paths, query
from povlib.query.reclassify import reclassified
from povlib.views import national

__all__ = ["national_source", "national_files", "refresh_national", "national_summaries_pending", "reclassifies",
           "national_whatif", "national_whatif_pending", "thread_source"]


@st.cache_resource(show_spinner=False, max_entries=2)
def national_source(folder: str, files: str):
    """The DuckDB source over the national Parquet files, with their commune summaries
    (:func:`povlib.query.summary.ensure`: read from the folder while they match its files, else built once
    here – every session waits for the same build – and saved there). ``files``: the files' fingerprint
    (:func:`national_files`), so that a source of older files is never returned for newer ones, even by a build
    that ends after they changed."""
    return query.summary.ensure(query.from_parquet(folder), folder)


def national_files(folder: str) -> str:
    """The fingerprint of the national files the cached sources are keyed on: the one :func:`refresh_national`
    saw last (computed when it has not seen this folder)."""
    cur = _national_seen().get("current")
    return cur[1] if cur is not None and cur[0] == folder else query.summary.fingerprint(folder)


@st.cache_resource(show_spinner=False)
def _national_seen() -> dict[str, tuple[str, str]]:
    """The national folder and the fingerprint of its files the cached tables were computed from (one per
    server, under the key "current")."""
    return {}


def refresh_national(folder: str) -> bool:
    """Forget every cached table and the national source when the household files changed since the server
    read them (a dataset generated again while it runs) or the national folder is another one: the next query
    reads the new files, and their summaries are built again. True when it did (cheap otherwise: the files'
    sizes and times, :func:`povlib.query.summary.fingerprint`)."""
    now = (folder, query.summary.fingerprint(folder))
    seen = _national_seen()
    old = seen.get("current")
    seen["current"] = now
    if old is None or old == now:
        return False
    # the views of every dataset (a rare event, and no table may outlive its files); a call still running
    # writes into the cache this replaces. The national sources are keyed on the files' fingerprint instead:
    # a build of older files that ends now lands under a key nobody asks for.
    st.cache_data.clear()
    return True


def national_summaries_pending() -> bool:
    """True while the national dataset's commune summaries are not saved for its current files (the first
    open then builds them: :func:`national_source`)."""
    return not query.summary.is_current(paths.national_dir())


def reclassifies(standard: str | None) -> bool:
    """True when the national figures under ``standard`` differ from the review's: a standard other than
    that of some review year (the engine then re-classifies every household: :mod:`povlib.query.reclassify`)."""
    if standard is None:
        return False
    return any(s != standard for s in _national_standards(str(paths.national_dir())))


@st.cache_data(show_spinner=False, max_entries=4)
def _national_standards(folder: str) -> list[str | None]:
    """Every standard a household of the national dataset was reviewed under (:func:`povlib.views.national.
    standards_present`; None: rows without one)."""
    return national.standards_present(thread_source())


@st.cache_resource(show_spinner=False, max_entries=4)
def national_whatif(folder: str, standard: str, files: str) -> query.summary.Summaries:
    """The commune summaries of the national dataset re-classified under ``standard``: saved ones while they
    match the files and the standard's rules, else the inputs checked and the summaries built once here (every
    session waits for the same build) and saved (:func:`povlib.query.summary.ensure`)."""
    checked = not query.summary.is_current(folder, standard)
    return query.summary.ensure(reclassified(national_source(folder, files), standard, checked=checked),
                                folder).summaries


def national_whatif_pending(standard: str | None) -> bool:
    """True while a what-if ``standard``'s summaries are not saved for the national files (the first view
    under it then builds them: :func:`national_whatif`)."""
    return reclassifies(standard) and not query.summary.is_current(paths.national_dir(), standard)


def thread_source(standard: str | None = None):
    """The national source for this thread (a DuckDB cursor: sessions run in threads, a connection is not
    shared between them while a query runs); under a what-if ``standard`` every household re-classified by
    the engine, with that standard's summaries."""
    folder = str(paths.national_dir())
    files = national_files(folder)
    base = national_source(folder, files)
    src = query.source.DuckDBSource(base.con.cursor(), summaries=base.summaries, base=base.base)
    if not reclassifies(standard):
        return src
    summaries = national_whatif(folder, standard, files)
    return dataclasses.replace(reclassified(src, standard, checked=False), summaries=summaries)
