"""Dữ liệu (data): load a commune's review file, check it, store it as a new version, undo.

Everything is done by povlib: :func:`povlib.intake.read_intake` reads and checks the
files (in a separate worker process, within the limits of :mod:`povlib.intake.limits`,
stated on the page in Vietnamese: a hostile file gets a message, the server carries on),
:class:`povlib.intake.Store` keeps the versions. This page draws the upload widgets,
the problem list and the versions table. A blank name never imports nor undoes.

Access (``ui.auth``, :mod:`povlib.access`): the page needs a signed-in account whose role may
import or undo; each commune and year of a file (of a version to undo) is checked with
``may(account, "import"|"undo", commune, year)`` on the server when the button is pressed, and the
import, the undo or the refusal is written to the audit record. Names in the preview and the
problem file only for an account that may see every commune of the file.

Memory: the session keeps only what the page shows – the problem list and the
counts – and a reference to the checked rows, which :func:`povlib.intake.stage`
writes to disk under the store's ``tmp/`` folder. They are removed, and the
uploader emptied, once the import is done; a new upload or an emptied uploader
abandons them.
"""
import datetime as dt

import pandas as pd
import streamlit as st

from povlib import intake as pio
from povlib import standards
from povlib.access import refused
from povlib.errors import PovlibInputError, os_reason
from povlib.i18n import fmt_int, t
from povlib.intake import Store, default_dataset, limits, set_default_dataset, versions_display
from povlib.intake.problems import dash_missing
from povlib.intake.read import SUFFIXES
from ui import auth, cache, filters
from ui.escape import md_escape
from ui.uploader import localize_uploaders

lang = st.session_state.get(filters.K_LANG, "vi")
store = Store()
K_STAGED, K_SIG, K_GEN, K_DONE = "in_staged", "in_sig", "in_gen", "in_done"


def _forget_upload() -> None:
    """Drop the checked upload of this session: its problem list, and its rows on disk."""
    staged = st.session_state.pop(K_STAGED, None)
    st.session_state.pop(K_SIG, None)
    if staged is not None:
        staged.discard()
        pio.release_memory()


def _store_write(action):
    """Run a store write (import or undo). On failure show why and return None: the store
    commits a version only at its very end, so nothing was changed. On success forget the
    cached dataset list and the checked upload, and return what the store returned."""
    try:
        info = action()
    except PovlibInputError as err:
        st.error(t("intake.page.import_failed", lang, msg=md_escape(err.message(lang))))
        return None
    except OSError as err:  # store folder not writable, disk full
        st.error(t("intake.page.import_failed", lang, msg=md_escape(
            t("sec.file_error", lang, name=err.filename or store.path, detail=os_reason(err, lang)))))
        return None
    cache.datasets_in.clear()
    _forget_upload()
    return info


st.header(t("intake.page.title", lang))
session = auth.require(lang, "import", "undo")  # signed in, with a role that imports (scopes checked below)
st.caption(t("intake.page.intro", lang))


def _file_units(staged: pio.StagedIntake) -> list[tuple[str, int]]:
    """The (commune, review year) pairs of the checked file's valid rows (as they would be stored)."""
    try:
        rows = pd.read_parquet(staged.folder / "valid.parquet", columns=["commune_code", "year"])
    except (OSError, ValueError):
        return []
    if year is not None:
        rows = rows.assign(year=year)
    return sorted({(str(c), int(y)) for c, y in zip(rows["commune_code"], rows["year"]) if pd.notna(y)})


def _checked_write(action: str, pairs: list[tuple[str, int]], detail: dict, write):
    """``write`` (an import or an undo) if the account may do ``action`` for every commune and year of
    ``pairs``; the write, or the refusal, goes to the audit record. None when refused or failed."""
    units = sorted({c for c, _ in pairs})
    denied = refused(session, action, pairs) if pairs else [("-", 0)]
    if denied:
        auth.record(action, units=units, dataset="store", detail={**detail, "refused": auth.units_text(denied, "en")},
                    sess=session)
        st.error(t(f"auth.{action}_refused", lang, user=md_escape(session.username),
                   units=auth.units_text(denied, lang)), icon=":material/block:")  # codes and years: no markup
        return None
    info = _store_write(write)
    if info is not None:
        auth.record(action, units=list(info.communes) or units, dataset="store", version=str(info.version_id),
                    detail={**detail, "rows": int(info.rows_imported)}, sess=session)
    return info
done = st.session_state.pop(K_DONE, None)  # the import of the previous run (its upload is gone)
if done:
    st.success(done, icon=":material/task_alt:")

# --- templates -----------------------------------------------------------------------------------
with st.expander(t("intake.page.templates", lang), icon=":material/download:"):
    st.caption(t("intake.page.layout_help", lang))
    *cols, c_member = st.columns(len(pio.TEMPLATE_STANDARDS) + 1)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # one household template per standard (povlib.intake.TEMPLATE_STANDARDS), named by its review years;
    # a provisional standard's (Decree 351/2025) says so under its button
    for col, sid in zip(cols, pio.TEMPLATE_STANDARDS, strict=True):
        std = standards.get(sid)
        ys = std.review_years
        col.download_button(t("intake.page.template_household_std", lang, years=f"{min(ys)}–{max(ys)}"),
                            (pio.TEMPLATE_DIR / pio.template_name("household", sid)).read_bytes(),
                            file_name=f"mau_ho_gia_dinh_{min(ys)}_{max(ys)}.xlsx", mime=xlsx,
                            icon=":material/table:", key=f"dl_tpl_hh_{sid}", width="stretch")
        if std.provisional:
            col.caption(t("intake.page.template_provisional_note", lang, standard=std.name(lang))
                        + ("" if std.scores else " " + t("intake.page.template_income_note", lang)))
    c_member.download_button(t("intake.page.template_member", lang),
                             (pio.TEMPLATE_DIR / "member_template.xlsx").read_bytes(),
                             file_name="mau_thanh_vien.xlsx", mime=xlsx, icon=":material/group:", key="dl_tpl_mem",
                             width="stretch")

# --- upload --------------------------------------------------------------------------------------
# the same limits as the command line (povlib.intake.limits); the uploader's own limit is MAX_FILE_MB
st.caption(t("intake.page.limits", lang, max_bytes=fmt_int(limits.MAX_FILE_BYTES, lang), max_mb=limits.MAX_FILE_MB,
             max_rows=fmt_int(limits.MAX_ROWS, lang), max_columns=fmt_int(limits.MAX_COLUMNS, lang),
             max_chars=fmt_int(limits.MAX_CELL_CHARS, lang)))
# after an import the uploaders get new keys: Streamlit then lets go of the uploaded files
gen = st.session_state.get(K_GEN, 0)
UPLOAD_TYPES = [x.lstrip(".") for x in SUFFIXES]  # the intake's own list: the page accepts what the reader reads
localize_uploaders(lang)  # the uploader's own English texts in the interface's language (ui/uploader.py)
c1, c2 = st.columns(2)
hh_file = c1.file_uploader(t("intake.page.upload_household", lang), type=UPLOAD_TYPES,
                           key="in_hh" if not gen else f"in_hh_{gen}", max_upload_size=limits.MAX_FILE_MB)
mem_file = c2.file_uploader(t("intake.page.upload_member", lang), type=UPLOAD_TYPES,
                            key="in_mem" if not gen else f"in_mem_{gen}", max_upload_size=limits.MAX_FILE_MB)
c1, c2 = st.columns(2)
# review years up to this one (a file of a year no standard governs is refused by the checks)
year_opts = [None, *range(2016, dt.date.today().year + 1)]
year = c1.selectbox(t("intake.page.year", lang), year_opts, key=f"in_year_{lang}",
                    format_func=lambda y: t("intake.page.year_from_file", lang) if y is None else str(y))
# who imports is the signed-in account (stored with the version and in the audit record), never typed in
importer = (f"{session.display_name} ({session.username})" if session.display_name not in ("", session.username)
            else session.username)
c2.caption(t("intake.page.importer", lang, name=md_escape(importer)))


def _check(hh_file, mem_file) -> pio.StagedIntake:
    """Read and check the upload; keep its rows on disk, the problem list in memory."""
    with st.spinner(t("intake.page.check", lang)):
        res = pio.read_intake(hh_file.getvalue(), mem_file.getvalue() if mem_file is not None else None,
                              year=year, store=store, file_name=hh_file.name,
                              member_file_name=mem_file.name if mem_file else None)
        staged = pio.stage(res, store)
        del res  # the checked tables: on disk now
        pio.release_memory()
        return staged


if hh_file is None:
    _forget_upload()  # the uploader was emptied: the checked file is abandoned
else:
    # the upload's id changes with every upload (a file put again is a new upload)
    sig = (hh_file.file_id, mem_file.file_id if mem_file else None, year, store.latest_version())
    if st.session_state.get(K_SIG) != sig:  # read and check once per file/year/store version
        _forget_upload()  # another file (or year, or store version): the previous check is abandoned
        st.session_state[K_STAGED] = _check(hh_file, mem_file)
        st.session_state[K_SIG] = sig
    res = st.session_state[K_STAGED]
    units = _file_units(res)
    show_names = bool(units) and not refused(session, "view_names", units)  # names only within the account's scope
    n_valid = res.n_rows - res.n_rejected
    st.write(t("intake.page.summary", lang, rows=fmt_int(res.n_rows, lang), valid=fmt_int(n_valid, lang),
               rejected=fmt_int(res.n_rejected, lang), errors=fmt_int(res.n_problems, lang)))
    if res.ok:
        st.success(t("intake.page.no_errors", lang), icon=":material/check_circle:")
    else:
        st.error(t("intake.page.has_errors" if res.file_ok else "intake.page.file_errors", lang),
                 icon=":material/error:")
        st.subheader(t("intake.page.errors", lang))
        # a problem of the whole file has no row: a dash, never None
        st.dataframe(dash_missing(pio.error_report(res, lang).drop(columns=[t("intake.col.message_other", lang)]),
                                  lang),
                     hide_index=True, height=min(400, 38 + 35 * (len(res.errors) + 1)),
                     column_config={t("intake.col.row", lang): st.column_config.Column(width="small")})
        d1, d2, _ = st.columns([1, 1, 1])
        stem = hh_file.name.rsplit(".", 1)[0]
        # built when clicked (the rejected rows are read from disk then), not kept in memory for every run
        errors_xlsx = lambda: pio.errors_to_xlsx_bytes(res, lang, show_names=show_names)  # noqa: E731
        if show_names:  # the rejected rows with their names: an export, recorded when built
            errors_xlsx = auth.recorded(errors_xlsx, units=sorted({c for c, _ in units}), dataset="store", version="",
                                        detail={"page": "data", "file": res.file_name, "format": "xlsx"})
        d1.download_button(t("intake.page.download_xlsx", lang), errors_xlsx,
                           file_name=f"loi_{stem}.xlsx", mime=xlsx, icon=":material/download:", key="dl_err_x",
                           on_click="ignore")
        d2.download_button(t("intake.page.download_csv", lang), lambda: pio.errors_to_csv_bytes(res, lang),
                           file_name=f"loi_{stem}.csv", mime="text/csv", icon=":material/download:", key="dl_err_c",
                           on_click="ignore")
    if n_valid and res.file_ok:
        with st.expander(t("intake.page.preview", lang)):
            st.dataframe(dash_missing(pio.preview_display(res.preview(), lang, show_names=show_names), lang),
                         hide_index=True)

    valid_only = False
    if not res.ok:
        valid_only = st.checkbox(t("intake.page.valid_only", lang), key="in_valid_only",
                                 help=t("intake.page.valid_only_help", lang),
                                 disabled=not res.file_ok or n_valid == 0)
    can_import = res.file_ok and n_valid > 0 and (res.ok or valid_only)
    held = store.households_in(units) if n_valid and res.file_ok else 0
    if held:  # an import replaces the stored households of its communes' years: said before, not found after
        pairs = ", ".join(t("intake.pair", lang, code=c, year=y) for c, y in units[:5]) + ("…" if len(units) > 5 else "")
        st.warning(t("intake.will_replace", lang, n=fmt_int(held, lang), pairs=pairs, valid=fmt_int(n_valid, lang)),
                   icon=":material/swap_horiz:")
    if st.button(t("intake.page.import", lang), type="primary", disabled=not can_import, icon=":material/publish:",
                 key="in_go"):
        info = _checked_write("import", units, {"file": res.file_name},
                              lambda: store.import_intake(res, imported_by=importer, year=year))
        if info is not None:  # done: empty the uploaders (a new key) and say so on the next run
            st.session_state[K_GEN] = gen + 1
            st.session_state[K_DONE] = t("intake.page.imported", lang, n=fmt_int(info.rows_imported, lang),
                                         version=info.version_id, total=fmt_int(info.rows_total, lang)) + (
                " " + t("intake.replaced", lang, n=fmt_int(info.rows_replaced, lang), version=info.version_id)
                if info.rows_replaced else "")
            st.rerun()

# --- versions ------------------------------------------------------------------------------------
st.subheader(t("intake.page.versions", lang))
versions = store.versions()
if versions.empty:
    st.info(t("intake.page.no_versions", lang), icon=":material/info:")
else:
    st.dataframe(versions_display(versions, lang), hide_index=True)
    undoable = [int(v) for v, k, u in zip(versions["version_id"], versions["kind"], versions["undone"]) if not u]
    c1, c2 = st.columns([1, 2])
    target = c1.selectbox(t("intake.page.undo_pick", lang), undoable[::-1], key="in_undo_pick")
    c2.caption(t("intake.page.undo_help", lang))
    if c1.button(t("intake.page.undo", lang), icon=":material/undo:", key="in_undo"):
        undone = store.version(int(target))
        info = _checked_write("undo", [(c, y) for c in undone.communes for y in undone.years],
                              {"undoes": int(target)}, lambda: store.undo(int(target), imported_by=importer))
        if info is not None:
            st.toast(t("intake.page.undo_done", lang, version=target, latest=info.version_id))
            st.rerun()

# --- the office's default dataset -------------------------------------------------------------------
# what a session opens without ?dataset= (an import never changes it; kept in settings.json beside the store)
st.subheader(t("intake.page.default_title", lang))
datasets = cache.available_datasets()
ds_labels = {d.key: d.label(lang) for d in datasets}
chosen = default_dataset(store.path)
current_default = chosen if chosen in ds_labels else filters.default_dataset(list(ds_labels))
st.write(t("intake.page.default_now", lang, name=md_escape(ds_labels.get(current_default, current_default))))
if chosen is None:
    st.caption(t("intake.page.default_none", lang))
if auth.role_may("import", session):  # the office's choice: an account that imports
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    keys = list(ds_labels)
    pick = c1.selectbox(t("intake.page.default_pick", lang), keys, index=keys.index(current_default),
                        format_func=ds_labels.get, key=f"in_default_{lang}")
    if c2.button(t("intake.page.default_set", lang), icon=":material/bookmark:", key="in_default_go",
                 disabled=pick == current_default and chosen is not None):
        try:
            set_default_dataset(pick, store.path)
        except OSError as err:
            st.error(t("intake.page.import_failed", lang, msg=md_escape(
                t("sec.file_error", lang, name=err.filename or store.path, detail=os_reason(err, lang)))))
        else:
            st.toast(t("intake.page.default_done", lang, name=ds_labels.get(pick, pick)))
            st.rerun()
else:
    st.caption(t("intake.page.default_officer_only", lang))
