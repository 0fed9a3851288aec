"""Which rows a view shows: household groups, unit levels, the selection, facts about a panel.

The dashboard's filters become a :class:`Selection` (which panel: a
:class:`PanelRef`; which rows of it: district, communes, group); every page
table is computed from ``select_rows(panel, ...)`` of it.

Examples
--------
>>> import povlib
>>> from povlib.views import select_rows, unit_level
>>> p = povlib.load_demo()
>>> len(select_rows(p, years=(2019,), communes=("02023",))) > 0
True
>>> unit_level(multi_district=True, district=None, communes=("02023",), selection_only=True)
'commune'
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..columns import as_text, equals, in_district, is_in
from ..sorting import sort_frame
from ..transitions import household_flows

__all__ = ["Group", "GROUPS", "LEVELS", "PanelRef", "Selection", "PanelFacts", "with_flows", "panel_facts",
           "select_rows", "selected_mask", "unit_level", "truthy"]


@dataclass(frozen=True)
class Group:
    """A household group the filters can select: rows where ``column == value``."""

    column: str
    value: object
    label_key: str


#: Groups of the shared "group" filter (id -> definition); the id goes in the URL.
GROUPS: dict[str, Group] = {
    "ethnic_minority": Group("ethnic_minority", True, "group.ethnic_minority"),
    "meritorious": Group("meritorious", True, "group.meritorious"),
    "social_protection": Group("social_protection", True, "group.social_protection"),
    "no_labour_capacity": Group("no_labour_capacity", True, "group.no_labour"),
    "female_head": Group("female_head", True, "group.female_head"),
    "rural": Group("area", "rural", "area.rural"),
    "urban": Group("area", "urban", "area.urban"),
}

#: Unit levels: level -> (code column, name column).
LEVELS: dict[str, tuple[str, str]] = {
    "commune": ("commune_code", "commune_name"),
    "district": ("district_code", "district_name"),
}


@dataclass(frozen=True)
class PanelRef:
    """Which panel a view reads: a dataset key, a stored version, and the standard applied.

    ``standard`` None keeps each row's own standard (the official figures); a
    standard id reclassifies every row under it (a what-if view, flagged on screen).
    """

    dataset: str
    version: str | None = None
    standard: str | None = None


@dataclass(frozen=True)
class Selection:
    """The rows in view: a panel and, within it, a district, communes and a household group.

    Hashable and cheap: the app's cache keys its tables on it. Empty
    ``communes`` and ``group == 'all'`` select everything.
    """

    panel: PanelRef
    district: str | None = None
    communes: tuple[str, ...] = ()
    group: str = "all"

    def with_(self, **changes) -> Selection:
        """A copy with some fields changed (e.g. ``sel.with_(group="all")``)."""
        return replace(self, **changes)

    def rows(self, panel: pd.DataFrame, *, years: Sequence[int] | None = None, communes: bool = True) -> pd.DataFrame:
        """The selected rows of ``panel`` (``communes=False`` ignores the commune filter)."""
        return select_rows(panel, years=years, district=self.district,
                           communes=self.communes if communes else (), group=self.group)

    def count(self, panel: pd.DataFrame, *, years: Sequence[int] | None = None) -> int:
        """How many rows of ``panel`` are selected (:func:`selected_mask`: no row copied)."""
        return int(selected_mask(panel, years=years, district=self.district, communes=self.communes,
                                 group=self.group).sum())


def unit_level(*, multi_district: bool, district: str | None, communes: Sequence[str] = (),
               selection_only: bool, has_districts: bool = True) -> str:
    """The unit level a table or chart of units uses: ``'district'`` or ``'commune'``.

    Data of several districts with no district chosen are shown by district,
    in a year that has districts: after the 2025 reform (``has_districts``
    False, :meth:`PanelFacts.has_districts`) a province's units are its
    communes. A view of the selection only (``selection_only``: its units are
    the selected ones, e.g. trends per unit, the indicator matrix) goes down
    to communes as soon as communes are chosen; a view of every unit that
    highlights the selection (the ranking, the map) ignores the commune filter.

    >>> unit_level(multi_district=True, district=None, selection_only=False)
    'district'
    >>> unit_level(multi_district=True, district=None, selection_only=False, has_districts=False)
    'commune'
    """
    if multi_district and has_districts and not district and not (selection_only and communes):
        return "district"
    return "commune"


@dataclass(frozen=True)
class PanelFacts:
    """Small facts about a panel, for filters: years, standards, units.

    ``communes`` holds one row per commune *and review year* (``year``, ``code``, ``name``,
    ``district_code``, ``former_district_code``, ``former_district_codes``: every former district of its
    households, ``;``-separated): a code means a unit only with its period (codes were reused after the 2020
    and 2025 reforms). :meth:`communes_in` gives the units of one year, :meth:`in_district` says which of
    them belong to a district (after 2025: have households of that former district, as
    :func:`povlib.columns.in_district` selects the rows).
    """

    years: tuple[int, ...]
    standard_of_year: dict[int, str]
    districts: dict[str, str]          # code -> name (every district of any year)
    communes: pd.DataFrame             # columns year, code, name, district_code, former_district_code
    rows: int
    districts_of_year: dict[int, tuple[str, ...]] = field(default_factory=dict)  # () = no district level

    def communes_in(self, year: int) -> pd.DataFrame:
        """The communes of one review year (sorted by district, then name).

        Examples
        --------
        >>> import povlib
        >>> from povlib.views import panel_facts
        >>> facts = panel_facts(povlib.load_demo())
        >>> len(facts.communes_in(2019)), facts.communes_in(2019).name.iloc[0]
        (22, 'Thị trấn Bằng Lũng')
        """
        c = self.communes
        return c[c["year"] == int(year)].reset_index(drop=True)

    def names_in(self, year: int) -> dict[str, str]:
        """Code -> name of the communes of one review year.

        >>> import povlib
        >>> from povlib.views import panel_facts
        >>> panel_facts(povlib.load_demo()).names_in(2026)["02020"]
        'Xã Chợ Đồn'
        """
        c = self.communes_in(year)
        return dict(zip(c["code"], c["name"]))

    @staticmethod
    def in_district(communes: pd.DataFrame, district: str | None) -> np.ndarray:
        """Which rows of ``communes`` (of :meth:`communes_in`) are units of ``district`` (None: all).

        >>> c = pd.DataFrame({"code": ["01933", "02020"], "district_code": ["", ""],
        ...                   "former_district_codes": ["061;064", "064"]})
        >>> PanelFacts.in_district(c, "061").tolist(), PanelFacts.in_district(c, "064").tolist()
        ([True, False], [True, True])
        """
        if district is None:
            return np.ones(len(communes), dtype=bool)
        own = (communes["district_code"] == str(district)).to_numpy()
        no_district = (communes["district_code"] == "").to_numpy()
        formers = communes["former_district_codes"] if "former_district_codes" in communes else \
            communes.get("former_district_code", pd.Series("", index=communes.index))
        former = np.array([str(district) in str(f).split(";") for f in formers[no_district]], dtype=bool)
        out = own.copy()
        out[no_district] |= former
        return out

    def has_districts(self, year: int) -> bool:
        """False for a year after the 2025 reform (no district level: only former districts as a grouping)."""
        return bool(self.districts_of_year.get(int(year), tuple(self.districts)))


def with_flows(panel: pd.DataFrame, *, keys: Sequence[str] = ()) -> pd.DataFrame:
    """The panel with the flow columns of :func:`household_flows` appended.

    Households are linked by ``household_id`` only by default: a commune's code or name changes with the
    2020 and 2025 reforms, and a household's flow must not break on a renaming. Pass ``keys`` (e.g.
    ``("commune_code",)``) for the official flow table by commune within one set of units.
    """
    return pd.concat([panel, household_flows(panel, keys=keys)], axis=1)


def panel_facts(panel: pd.DataFrame) -> PanelFacts:
    """Years, the standard of each year, districts and communes (per year) of a panel."""
    years = tuple(int(y) for y in np.sort(panel["year"].unique()))
    std = panel.groupby("year", observed=True)["standard"].agg(lambda s: str(s.mode().iloc[0]))
    # districts and communes in Vietnamese dictionary order (povlib.sorting), communes by district
    dd = panel[["year", "district_code", "district_name"]].drop_duplicates()
    dd = dd[dd["district_code"].notna()]
    d = sort_frame(dd[["district_code", "district_name"]].drop_duplicates("district_code").astype(str),
                   ["district_name", "district_code"])
    by_year = {y: tuple(sorted(dd.loc[dd["year"] == y, "district_code"].astype(str).unique())) for y in years}
    cols = ["year", "commune_code", "commune_name", "district_code"]
    former = "former_district_code" if "former_district_code" in panel.columns else "district_code"
    c = panel[cols].assign(former_district_code=panel[former]).drop_duplicates(["year", "commune_code"])
    c = c.assign(year=c["year"].astype(int), **{k: c[k].astype(object).where(c[k].notna(), "").astype(str)
                                                 for k in ("commune_code", "commune_name", "district_code",
                                                           "former_district_code")})
    # every former district of a commune's households (a new commune may straddle two former districts)
    f = panel[["year", "commune_code", former]].dropna().drop_duplicates()
    formers = f.assign(**{former: as_text(f[former]), "commune_code": as_text(f["commune_code"])}).groupby(
        ["year", "commune_code"], observed=True)[former].agg(lambda v: ";".join(sorted(set(v))))
    c = c.assign(former_district_codes=[formers.get((y, k), fd) for y, k, fd in
                                        zip(c["year"], c["commune_code"], c["former_district_code"])])
    c = c.rename(columns={"commune_code": "code", "commune_name": "name"})
    c = pd.concat([c, _same_units_elsewhere(c, years)], ignore_index=True)
    rank = {code: i for i, code in enumerate(d["district_code"])}
    c = c.assign(_d=c["former_district_code"].map(rank).fillna(len(rank)))
    c = sort_frame(c, ["year", "_d", "name", "code"], text=["name"]).drop(columns="_d").reset_index(drop=True)
    return PanelFacts(years=years, standard_of_year={int(k): v for k, v in std.items()},
                      districts=dict(zip(d["district_code"], d["district_name"])), communes=c,
                      rows=len(panel), districts_of_year=by_year)


def _same_units_elsewhere(c: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """For each review year, the communes the data hold only in *other* years that are the same unit in
    this year (same code and period: ``povlib.units.key``), so a year's commune list offers every unit of
    that year the data know (a commune not reviewed that year selects nothing, and the page says so),
    never a unit of another period that merely shares the code."""
    from ..errors import PovlibInputError
    from ..units import key

    def unit(code: str, year: int):
        try:
            return key(code, year)
        except PovlibInputError:  # not a unit of the registry in that year (or not at all)
            return None

    have = set(zip(c["year"], c["code"]))
    latest = c.sort_values("year").drop_duplicates("code", keep="last")
    extra = []
    for y in years:
        for r in latest.itertuples(index=False):
            if (y, r.code) not in have and (k := unit(r.code, r.year)) is not None and unit(r.code, y) == k:
                extra.append({**r._asdict(), "year": int(y)})
    return pd.DataFrame(extra, columns=c.columns)


def select_rows(
    panel: pd.DataFrame,
    *,
    years: Sequence[int] | None = None,
    district: str | None = None,
    communes: Sequence[str] = (),
    group: str | None = "all",
) -> pd.DataFrame:
    """Rows of the panel in view: years, a district, communes (GSO 2019 codes), a group.

    Empty ``communes`` and ``group`` ``'all'`` (or None) select everything. Chosen communes are taken whole,
    whatever ``district`` (after the 2025 reform a new commune may lie in two former districts).
    """
    mask = selected_mask(panel, years=years, district=district, communes=communes, group=group)
    return panel.loc[mask] if not mask.all() else panel


def selected_mask(
    panel: pd.DataFrame,
    *,
    years: Sequence[int] | None = None,
    district: str | None = None,
    communes: Sequence[str] = (),
    group: str | None = "all",
) -> np.ndarray:
    """Which rows of ``panel`` :func:`select_rows` keeps, as a boolean array (no row is copied: enough to
    count or to ask whether any is in view).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"year": [2019, 2019, 2020], "commune_code": ["02020", "02023", "02020"]})
    >>> selected_mask(p, years=[2019], communes=["02020"]).tolist()
    [True, False, False]
    """
    mask = np.ones(len(panel), dtype=bool)
    if years is not None:
        mask &= panel["year"].isin(list(years)).to_numpy()
    if district and not communes:  # chosen communes are whole: after 2025 one may straddle former districts
        mask &= in_district(panel, district)
    if communes:
        mask &= is_in(panel["commune_code"], [str(c) for c in communes])
    if group and group != "all":
        g = GROUPS[group]
        col = panel[g.column]
        mask &= equals(col, g.value) if isinstance(g.value, str) else truthy(col)
    return mask


def truthy(col: pd.Series) -> np.ndarray:
    """A boolean flag column as a numpy bool array; missing values (imported data) are False."""
    if col.dtype == bool:
        return col.to_numpy()
    return col.fillna(False).to_numpy(dtype=bool)

