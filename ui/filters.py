"""Shared sidebar filters, bound to the URL query parameters.

The view a user sees is defined by a handful of filters – dataset, review
year, standard, district, communes, group, language – drawn once in the
sidebar by ``app.py`` and read by every page through :func:`current`.

* **A copied link reproduces the view.** When a session starts, each widget is
  initialised from ``st.query_params`` (``?dataset=cho-don&year=2019&communes=02020,02023
  &group=ethnic_minority&lang=en``); after every run the URL is rewritten from the
  widgets. Values of the link that do not fit the data (an unknown year or commune)
  are dropped with a warning, never guessed. The URL is read on the session's first
  run only (the link the user opened): later the URL is the app's own echo of the
  widgets, so a dataset switch silently picks a valid year, and the warnings about
  the link stay only while the view is the one the link opened.
* **The default dataset** is the office's choice (:func:`povlib.intake.default_dataset`,
  set on the data page), else the district demo – never whatever was imported last.
* **Labels follow the language in the same run.** Streamlit keeps a keyed widget's
  element across runs and the browser then keeps showing the old option labels, so
  the selects with translated labels (dataset, standard, district, group, role) have a
  key per language (:func:`widget_key`): ``f_group`` in Vietnamese, ``f_group__en`` in
  English; the value is carried over when the language changes, and the Vietnamese
  key always holds the current value (read it there: ``st.session_state["f_group"]``).
* **The selection survives page switches**: the widgets have stable keys and
  are drawn on every page, so their values live in session state.
* **The role is *not* in the URL, nor in a widget**: it comes from the signed-in
  account (``ui.auth``, :mod:`povlib.access`): names only for the communes of
  its scopes, imported data (the store) only after a sign-in. The bundled
  synthetic datasets keep a viewer/officer select (made-up names, marked
  "dữ liệu minh họa"); each session starts as ``viewer`` (masked).

Other pages change the filters (a click on a bar or a polygon opens a commune)
with :func:`request`: from a widget callback the change applies on the coming
run; from a page body call ``st.rerun()`` right after.

Query parameters
----------------
dataset   ``cho-don`` (default) | ``bac-kan`` | ``store:<name>`` (imported data)
version   stored version id (imported data only)
year      review year, e.g. ``2019`` (default: latest)
standard  ``QD59_2015`` | ``ND07_2021`` (default: each year's own standard)
district  district code, e.g. ``064`` (province data only)
communes  comma-separated 5-digit commune codes of the review year's units (a code of another period
          is answered with the units that hold its place, never shown as the wrong commune)
group     ``ethnic_minority`` | ``meritorious`` | ``social_protection`` |
          ``no_labour_capacity`` | ``female_head`` | ``rural`` | ``urban``
lang      ``vi`` (default) | ``en``
"""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from povlib import paths, standards
from povlib.errors import PovlibInputError
from povlib.i18n import t
from povlib.intake import settings as pio_settings
from povlib.sorting import sort_frame
from povlib.views import GROUPS, PanelRef, Selection, unit_level
from povlib.views.periods import code_elsewhere, same_unit

from . import auth, cache
from .escape import md_escape

QP_KEYS = ("dataset", "version", "year", "standard", "district", "communes", "group", "lang")
ROLES = ("viewer", "officer")
_PENDING = "_filters_pending"
_CURRENT = "_filters_current"
_WARNED = "_filters_qp_warnings"
_IN_ROUTER = "_filters_in_router"
_URL_READ = "_filters_url_read"        # the link was read (first run of the session)
_WARNED_VIEW = "_filters_warned_view"  # the view the link opened (its warnings are shown while it lasts)
_LAST_LANG = "_filters_lang"           # language of the previous run (the keys per language)
_BUILT = "_filters_built"              # the filters of this run, even when they select no household
_COMMUNES_YEAR = "_filters_communes_year"  # the review year the chosen communes are units of

# widget keys (stable: tests and the browser tests rely on them)
K_LANG, K_DATASET, K_VERSION, K_YEAR, K_STANDARD = "f_lang", "f_dataset", "f_version", "f_year", "f_standard"
K_DISTRICT, K_COMMUNES, K_GROUP, K_ROLE = "f_district", "f_communes", "f_group", "f_role"
AUTO = "auto"   # standard: each year's own
ALL = ""        # district: whole province
DEMO_DEFAULT = "cho-don"
#: selects whose option labels are translated: one widget key per language (see the module docstring)
LANG_KEYED = (K_DATASET, K_STANDARD, K_DISTRICT, K_GROUP, K_ROLE)


def widget_key(key: str, lang: str) -> str:
    """The widget key of the filter ``key`` in ``lang`` (``f_group``, ``f_group__en``)."""
    return key if lang == "vi" or key not in LANG_KEYED else f"{key}__{lang}"


def current_role() -> str:
    """The role of this session (``viewer`` until an officer switches)."""
    return st.session_state.get(K_ROLE, "viewer")


@dataclass(frozen=True)
class Filters:
    """The current view, as cheap hashable values (pass them to ``ui.cache``)."""

    dataset: str
    version: str | None
    year: int
    standard: str | None            # None = each review year's own standard
    district: str | None            # district code or None (all)
    communes: tuple[str, ...]       # GSO 2019 codes; () = all in scope
    group: str                      # 'all' or a key of povlib.views.GROUPS
    lang: str
    role: str                       # the account's role id; 'viewer'/'officer' of the demo select
    years: tuple[int, ...] = field(default=())          # all review years of the dataset
    multi_district: bool = False                          # the dataset has several districts
    has_districts: bool = True                            # the year shown has districts (not after 2025)
    names_in: tuple[str, ...] = ()  # communes in view whose names this session may see this year (povlib.access)
    show_names: bool = False        # names of every commune in view may be shown

    @property
    def selection(self) -> Selection:
        """The rows in view (without the year): the cache key of every view table."""
        return Selection(PanelRef(self.dataset, self.version, self.standard), self.district, self.communes,
                         self.group)

    def unit_level(self, *, selection_only: bool) -> str:
        """'district' or 'commune' for a table or chart of units (:func:`povlib.views.unit_level`)."""
        return unit_level(multi_district=self.multi_district, district=self.district, communes=self.communes,
                          selection_only=selection_only, has_districts=self.has_districts)

    @property
    def prev_year(self) -> int | None:
        earlier = [y for y in self.years if y < self.year]
        return max(earlier) if earlier else None


def current() -> Filters | None:
    """The filters of this run (pages call this first).

    Inside the router (``app.py`` runs the page through :func:`run_page`) they
    were drawn before the page. A page run on its own (``AppTest.from_file(page)``
    with the filters seeded in the URL or session state) draws the same shared
    sidebar itself, so every page also works as a script of its own. Returns
    None when no dataset could be loaded (the sidebar says why); a page then stops.
    """
    if st.session_state.get(_IN_ROUTER):
        return st.session_state.get(_CURRENT)
    lang = lang_ui()
    f = sidebar_ui(lang)
    if f is None:
        st.stop()
    return f


def built() -> Filters | None:
    """The filters drawn in this run even if they select no household (for the footer); None when no
    dataset could be loaded."""
    return st.session_state.get(_BUILT)


def run_page(nav) -> None:
    """Run the page chosen by ``st.navigation`` marking that it runs inside the router."""
    st.session_state[_IN_ROUTER] = True
    try:
        nav.run()
    finally:
        st.session_state[_IN_ROUTER] = False


def request(**changes) -> None:
    """Ask for filter changes (e.g. ``request(communes=("02020",))``) applied at the next run.

    Keys: ``dataset``, ``year``, ``standard``, ``district``, ``communes``, ``group``, ``lang``.
    """
    pending = dict(st.session_state.get(_PENDING, {}))
    pending.update(changes)
    st.session_state[_PENDING] = pending


# --- reading the URL -------------------------------------------------------------------------
def _qp(name: str) -> str | None:
    v = st.query_params.get(name)
    if v is None:
        return None
    v = str(v).strip()
    return v or None


def _warn_once(msg: str) -> None:
    warned = st.session_state.setdefault(_WARNED, [])
    if msg not in warned:
        warned.append(msg)


def _init(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _apply_pending(lang: str) -> None:
    pending = st.session_state.pop(_PENDING, None)
    if not pending:
        return
    # lang and dataset are applied before their widgets are drawn (lang_ui, sidebar_ui)
    mapping = {"year": K_YEAR, "standard": K_STANDARD,
               "district": K_DISTRICT, "communes": K_COMMUNES, "group": K_GROUP}
    for name, value in pending.items():
        key = mapping.get(name)
        if key is None:
            continue
        if name == "communes":
            value = list(value or [])
        elif name == "district":
            value = value or ALL
        elif name == "standard":
            value = value or AUTO
        elif name == "year" and value is not None:
            value = int(value)
        st.session_state[widget_key(key, lang)] = value


# --- the sidebar ---------------------------------------------------------------------------------
def lang_ui() -> str:
    """The language switch (top of the sidebar). Returns ``'vi'`` or ``'en'``."""
    pending = st.session_state.get(_PENDING, {})
    if "lang" in pending:
        st.session_state[K_LANG] = pending["lang"] if pending["lang"] in ("vi", "en") else "vi"
    q = _qp("lang")
    _init(K_LANG, q if q in ("vi", "en") else "vi")
    return st.sidebar.radio(
        t("app.lang_label"), ("vi", "en"), key=K_LANG, horizontal=True,
        format_func=lambda c: t(f"app.lang.{c}"),
    )


def _url_qp(name: str) -> str | None:
    """Query parameter ``name`` of the link the session opened (None after its first run)."""
    return None if st.session_state.get(_URL_READ) else _qp(name)


def _choice_from_url(name: str, key: str, options: list, default, lang: str, accept: list | None = None) -> None:
    """Initialise the select ``key`` from query parameter ``name`` of the link (warning once about a
    value outside ``accept``, default ``options``), and keep its state within ``options``."""
    key = widget_key(key, lang)
    q = _url_qp(name)
    if q is not None and q not in (options if accept is None else accept):
        _warn_once(t("app.qp_bad", lang, name=name, value=md_escape(q)))
        q = None
    _init(key, q or default)
    if st.session_state[key] not in options:
        st.session_state[key] = default


def _carry_language(lang: str) -> None:
    """After a language switch, give the new language's widgets the values of the old ones."""
    last = st.session_state.get(_LAST_LANG)
    st.session_state[_LAST_LANG] = lang
    if last is None or last == lang:
        return
    for key in LANG_KEYED:
        src, dst = widget_key(key, last), widget_key(key, lang)
        if src in st.session_state:
            st.session_state[dst] = st.session_state[src]


def _select(sb, label: str, options: list, key: str, lang: str, **kwargs):
    """``sb.selectbox`` under the key of ``lang``; the Vietnamese key keeps the value (read there)."""
    wk = widget_key(key, lang)
    value = sb.selectbox(label, options, key=wk, **kwargs)
    if wk != key:
        st.session_state[key] = value
    return value


def default_dataset(ds_keys: list[str]) -> str:
    """The dataset a session opens: the office's default (data page) if offered, else the demo."""
    chosen = pio_settings.default_dataset(paths.store_dir())
    if chosen in ds_keys:
        return chosen
    return DEMO_DEFAULT if DEMO_DEFAULT in ds_keys else ds_keys[0]


def short_dataset_label(key: str, lang: str) -> str:
    """The dataset's name as the sidebar shows it: short enough not to be cut on a desktop or a phone.

    Examples
    --------
    >>> short_dataset_label("cho-don", "vi"), short_dataset_label("store:ra-soat", "en")
    ('Chợ Đồn (minh họa)', 'Imported (ra-soat)')
    """
    if key.startswith(cache.STORE_PREFIX):
        return t("app.dataset_short.store", lang, name=key[len(cache.STORE_PREFIX):])
    return t(f"app.dataset_short.{key}", lang) if key in (*cache.DEMO_DATASETS, cache.NATIONAL) else ""


def _no_rows_message(f: Filters, lang: str) -> str | None:
    """A message when the rows in view of the year are none (filters that select nothing)."""
    if cache.is_national(f.dataset):  # the national table is never loaded: ask the engine for a count
        if cache.nat_households(f.selection, f.year):
            return None
        return t("app.no_rows_year", lang, year=f.year)
    if cache.has_rows(f.selection, f.year):
        return None
    return t("app.no_rows_year", lang, year=f.year)


def _communes_of_year(chosen: list[str], options: list[str], year: int, info, lang: str) -> list[str]:
    """The chosen communes that are units of ``year`` in view. After a change of year a code that now names
    another unit (codes were reused across the reforms) or no unit is let go, and a toast says so: which unit
    the code is now, or where the old unit went (:func:`povlib.views.periods.code_elsewhere`, as a link with
    such a code is told)."""
    before = st.session_state.get(_COMMUNES_YEAR, year)
    st.session_state[_COMMUNES_YEAR] = year
    kept = [c for c in chosen if c in options and (before == year or same_unit(c, before, year))]
    if before == year:
        return kept
    then, now = info.names_in(before), info.names_in(year)
    for c in (c for c in chosen if c not in kept):
        if c in now:  # the code names another unit this year
            msg = t("app.commune_other_unit", lang, code=c, before=before, old=then.get(c, c), year=year, new=now[c])
        else:
            msg = code_elsewhere(c, year, lang) or t("app.commune_not_in_year", lang, code=c, year=year)
        st.toast(md_escape(msg), icon=":material/info:")
    return kept


def _province_of_linked_communes(info, year: int) -> str:
    """The one province of the communes a link names (``?communes=``), else :data:`ALL`."""
    q = _url_qp("communes")
    wanted = [c.strip() for c in q.split(",") if c.strip()] if q else []
    if not wanted:
        return ALL
    comm = info.communes_in(year)
    provinces = comm.loc[comm["code"].isin(wanted), "district_code"].astype(str).unique()
    return str(provinces[0]) if len(provinces) == 1 else ALL


def sidebar_ui(lang: str) -> Filters | None:
    """Draw the shared filters in the sidebar and return them (None if no data could load)."""
    sb = st.sidebar
    st.session_state[_CURRENT] = None
    st.session_state[_BUILT] = None
    _carry_language(lang)
    session = auth.sidebar_ui(lang)  # who is signed in (None: the demo, a viewer of the synthetic data)
    datasets = [d for d in cache.available_datasets() if d.synthetic or session is not None]
    ds_keys = [d.key for d in datasets]
    labels = {d.key: d.label(lang) for d in datasets}

    # 1. dataset (needed to know the other options)
    wk = widget_key(K_DATASET, lang)
    q = _url_qp("dataset")
    if q is not None and q not in ds_keys:
        _warn_once(t("auth.data_needs_login", lang) if session is None and q.startswith(cache.STORE_PREFIX) else
                   t("app.qp_bad", lang, name="dataset", value=md_escape(q)))
        q = None
    fallback = default_dataset(ds_keys)
    _init(wk, q or fallback)
    pend = st.session_state.get(_PENDING, {})
    if "dataset" in pend and pend["dataset"] in ds_keys:
        st.session_state[wk] = pend["dataset"]
    if st.session_state[wk] not in ds_keys:
        st.session_state[wk] = fallback
    # the select shows a short name (its box cannot wrap); the tooltip names the dataset in full
    dataset = _select(sb, t("app.dataset", lang), ds_keys, K_DATASET, lang,
                      format_func=lambda k: short_dataset_label(k, lang) or labels.get(k, k),
                      help=t("app.dataset_help_current", lang, name=labels.get(st.session_state[wk], ""),
                             help=t("app.dataset_help", lang)))
    versions = next(d.versions for d in datasets if d.key == dataset)
    version = None
    if versions:
        qv = _url_qp("version")
        _init(K_VERSION, qv if qv in versions else versions[0])
        if st.session_state[K_VERSION] not in versions:
            st.session_state[K_VERSION] = versions[0]
        version = sb.selectbox(t("app.version", lang), versions, key=K_VERSION)

    if cache.is_national(dataset) and cache.refresh_national(str(paths.national_dir())):
        st.toast(t("nat.files_changed", lang), icon=":material/sync:")
    if cache.is_national(dataset) and cache.national_summaries_pending():
        # the first open of a national dataset (or of changed files) sums it per commune once: say so
        with st.spinner(t("nat.summaries.building", lang)):
            cache.national_source(str(paths.national_dir()), cache.national_files(str(paths.national_dir())))
    try:
        info = cache.panel_info(dataset, version)
    except Exception as exc:  # noqa: BLE001 - shown to the user, with the message povlib gives
        msg = exc.message(lang) if hasattr(exc, "message") else str(exc)
        st.error(t("app.load_failed", lang, msg=md_escape(msg)))
        return None
    _apply_pending(lang)

    # 2. review year
    years = list(info.years)
    if not years:  # an empty store or a version with nothing in it (e.g. every import undone)
        st.info(t("app.empty_dataset", lang, dataset=labels.get(dataset, dataset)), icon=":material/inbox:")
        st.session_state[_URL_READ] = True
        return None
    qy = _url_qp("year")
    y0 = years[-1]
    if qy is not None:
        if qy.isdigit() and int(qy) in years:
            y0 = int(qy)
        else:
            _warn_once(t("app.qp_bad", lang, name="year", value=md_escape(qy)))
    _init(K_YEAR, y0)
    if st.session_state[K_YEAR] not in years:
        st.session_state[K_YEAR] = years[-1]
    year = sb.selectbox(t("general.year", lang), years, key=K_YEAR)

    # 3. standard
    std_opts = [AUTO, *standards.available()]
    _choice_from_url("standard", K_STANDARD, std_opts, AUTO, lang)
    own = info.standard_of_year.get(year, "")

    def std_label(code: str) -> str:
        if code == AUTO:
            return t("app.standard_auto", lang, name=standards.display_name(own, lang) if own else "–")
        return standards.display_name(code, lang)  # "(tạm tính)" on a provisional standard

    std = _select(sb, t("general.standard", lang), std_opts, K_STANDARD, lang, format_func=std_label,
                  help=t("app.standard_help", lang))
    if cache.is_national(dataset) and std != AUTO and cache.national_whatif_pending(std):
        # the first view of the national dataset under another standard: every household re-classified and
        # summed per commune once (then saved): say so
        with st.spinner(t("nat.whatif.building", lang, std=standards.display_name(std, lang))):
            try:
                folder = str(paths.national_dir())
                cache.national_whatif(folder, std, cache.national_files(folder))
            except Exception as exc:  # noqa: BLE001 - data the standard's rules cannot read: povlib's message
                st.error(t("app.load_failed", lang, msg=exc.message(lang) if hasattr(exc, "message") else str(exc)))
                st.stop()

    # 4. district (province data) and communes: the units of the year shown (a code means a unit only with
    #    its period); after the 2025 reform there is no district: the former district is a historical grouping
    district = None
    dist_codes = list(info.districts)
    has_districts = info.has_districts(year)
    national = cache.is_national(dataset)  # the national dataset: provinces, then their communes
    if len(dist_codes) > 1:
        opts = [ALL, *dist_codes]
        # a link naming communes of the national dataset but no province opens their province
        _choice_from_url("district", K_DISTRICT, opts, _province_of_linked_communes(info, year) if national else ALL,
                         lang, accept=dist_codes)
        d = _select(sb, t("general.province" if national else "general.district" if has_districts
                          else "app.former_district", lang), opts, K_DISTRICT,
                    lang, format_func=lambda c: (t("app.all_provinces" if national else "app.all_districts", lang)
                                                 if c == ALL else info.districts[c]),
                    help=t("app.province_help", lang) if national else
                    None if has_districts else t("app.former_district_help", lang))
        district = d or None
    comm = info.communes_in(year)
    mine = comm[info.in_district(comm, district)]
    if national and district is None:  # the whole country: communes are chosen within a province
        mine = mine.iloc[:0]
    if district is not None:  # one district's communes in name order (after 2025 some lie in two former ones)
        mine = sort_frame(mine, ["name", "code"], text=["name"])
    comm_opts = mine["code"].tolist()
    names = info.names_in(year)
    qc = _url_qp("communes")
    init_c: list[str] = []
    if qc is not None:
        wanted = [c.strip() for c in qc.split(",") if c.strip()]
        init_c = [c for c in wanted if c in names]
        bad = [c for c in wanted if c not in names]
        other = {c: code_elsewhere(c, year, lang) for c in bad}
        for c in bad:
            if other[c]:
                _warn_once(md_escape(other[c]))
        unknown = [c for c in bad if not other[c]]
        if unknown:
            _warn_once(t("app.qp_bad", lang, name="communes", value=md_escape(",".join(unknown))))
    _init(K_COMMUNES, init_c)
    st.session_state[K_COMMUNES] = _communes_of_year(st.session_state[K_COMMUNES], comm_opts, int(year), info, lang)
    communes = sb.multiselect(t("general.commune", lang), comm_opts, key=K_COMMUNES, format_func=names.get,
                              placeholder=t("app.pick_province_first" if national and district is None
                                            else "app.all_communes", lang))

    # 5. group
    grp_opts = ["all", *GROUPS]
    _choice_from_url("group", K_GROUP, grp_opts, "all", lang)
    group = _select(sb, t("app.group", lang), grp_opts, K_GROUP, lang,
                    format_func=lambda g: t("group.all", lang) if g == "all" else t(GROUPS[g].label_key, lang))

    # 6. role: the signed-in account's (never a widget, never the URL); only the synthetic demo
    #    datasets (made-up names) keep a select for the officer view, marked as demo data
    in_view = tuple(communes or comm_opts)
    if cache.is_synthetic(dataset):
        _init(widget_key(K_ROLE, lang), "viewer")
        role = _select(sb, t("app.role", lang), ROLES, K_ROLE, lang,
                       format_func=lambda r: t(f"app.role.{r}", lang), help=t("app.role_help", lang))
        names_in = in_view if role == "officer" else ()
        if role == "officer":
            sb.markdown(f":orange-badge[:material/theater_comedy: {t('auth.demo_mark', lang)}]")
    else:
        role = session.role if session is not None else "viewer"  # (store data are listed only with a session)
        names_in = auth.names_communes(session, int(year), in_view)

    f = Filters(
        dataset=dataset, version=version, year=int(year), standard=None if std == AUTO else std,
        district=district, communes=tuple(communes), group=group, lang=lang, role=role,
        years=tuple(int(y) for y in years), multi_district=len(dist_codes) > 1, has_districts=has_districts,
        names_in=names_in, show_names=bool(names_in) and len(names_in) == len(in_view),
    )
    st.session_state[_URL_READ] = True
    st.session_state[_BUILT] = f
    _sync_query_params(f)
    # the warnings about the link, while the view is the one it opened (once the user changes it, never again)
    warned_view = st.session_state.setdefault(_WARNED_VIEW, f)
    if warned_view == f:
        for msg in st.session_state.get(_WARNED, []):
            sb.warning(msg)
    else:
        st.session_state[_WARNED] = []
    try:
        empty = _no_rows_message(f, lang)  # the first use of the panel (under the standard asked for)
    except PovlibInputError as exc:  # data the standard asked for cannot read (e.g. another scale's B2 score)
        msg = exc.message(lang).rstrip(".")  # it may quote the data (codes, names of imported files): escaped
        st.error(t("app.standard_failed", lang, std=md_escape(standards.display_name(f.standard, lang)),
                   msg=md_escape(msg)) if f.standard else t("app.load_failed", lang, msg=md_escape(msg)))
        return None
    if empty is not None:  # nothing to draw: say why, the filters stay usable
        st.info(empty, icon=":material/filter_alt_off:")
        return None
    st.session_state[_CURRENT] = f
    return f


def to_query(f: Filters) -> dict[str, str]:
    """The query parameters that reproduce ``f`` (defaults left out, except dataset and year)."""
    q: dict[str, str] = {"dataset": f.dataset, "year": str(f.year)}
    if f.version:
        q["version"] = f.version
    if f.standard:
        q["standard"] = f.standard
    if f.district:
        q["district"] = f.district
    if f.communes:
        q["communes"] = ",".join(f.communes)
    if f.group != "all":
        q["group"] = f.group
    if f.lang != "vi":
        q["lang"] = f.lang
    return q


def _sync_query_params(f: Filters) -> None:
    want = to_query(f)
    for k in QP_KEYS:
        cur = st.query_params.get(k)
        if k in want:
            if cur != want[k]:
                st.query_params[k] = want[k]
        elif cur is not None:
            del st.query_params[k]
