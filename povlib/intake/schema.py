"""Column specification and pandera schemas of the review files (household and member).

The columns, their accepted header spellings, types and ranges are data:
``povlib/rules/intake/columns.toml``; their Vietnamese / English headers and
descriptions are catalog strings (``intake.header.<table>.<name>``,
``intake.description.<table>.<name>``). Indicator columns come from the
standards (:mod:`povlib.standards`): their header is the indicator's label.
This module turns that into

* :func:`header_lookup` – normalised header text -> canonical column name;
* :func:`type_schema` – a pandera schema that only coerces types (pass 1:
  finds text in number columns, unreadable yes/no values ...);
* :func:`value_schema` – a pandera schema of presence, ranges and allowed
  values on the typed table (pass 2).

:mod:`povlib.intake.values` runs both with ``lazy=True`` and turns pandera's
``failure_cases`` into the Vietnamese error list.

Examples
--------
>>> from povlib.intake import schema
>>> schema.header_lookup("household")[schema.header_key("MÃ HỘ")]
'household_id'
>>> schema.header_key("Thôn/bản")
'thon ban'
"""
from __future__ import annotations

import copy
import re
import tomllib
import unicodedata
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

from .. import paths
from .. import standards as _standards
from ..i18n import t
from ..standards import DEFAULT_STANDARD

# pandera imports pyspark.pandas when PySpark is installed (the tests' second SQL engine), at its import and
# again at its first validation; PySpark's warning about pandas 3, in English, reached the output of every
# command (--help too): this one warning is not shown
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

import pandera.pandas as pa  # noqa: E402 - after the filter

__all__ = [
    "ColumnSpec",
    "COLUMNS_FILE",
    "MEMBER_RULES_DIR",
    "columns",
    "header_key",
    "header_lookup",
    "indicator_ids",
    "member_rules",
    "score_header",
    "score_names",
    "type_schema",
    "value_aliases",
    "value_schema",
]

COLUMNS_FILE = paths.RULES_DIR / "intake" / "columns.toml"
MEMBER_RULES_DIR = paths.RULES_DIR / "intake"

# pandas dtypes the typed table gets, per kind (nullable so that blanks stay blanks).
_KIND_DTYPE = {
    "text": "string",
    "code": "string",
    "area": "string",
    "sex": "string",
    "standard": "string",
    "int": "Int64",
    "bool": "Int8",
    "indicator": "Int8",
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a review file.

    Attributes
    ----------
    name : str
        Canonical column name (the name in the store and the demo panel).
    vi, en : str
        Header printed in the template, in Vietnamese and in English.
    kind : str
        ``text``, ``code``, ``int``, ``bool``, ``area``, ``sex``, ``standard`` or ``indicator``.
    required : str
        ``yes``, ``no``, ``year``, ``income_or_b1`` or ``indicators_or_b2``.
    """

    name: str
    vi: str
    en: str
    kind: str
    required: str = "no"
    aliases: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    multiple_of: int | None = None
    width: int | None = None
    description_vi: str = ""
    description_en: str = ""
    standards: tuple[str, ...] = field(default=())

    def header(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def description(self, lang: str = "vi") -> str:
        return self.description_en if lang == "en" else self.description_vi

    @property
    def dtype(self) -> str:
        return _KIND_DTYPE[self.kind]


def header_key(text: object) -> str:
    """Normalise a header for matching: no case, diacritics, spaces or punctuation.

    >>> header_key("  Số nhân khẩu ") == header_key("so_nhan_khau")
    True
    """
    s = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn").casefold()
    return " ".join(re.findall(r"[a-z0-9]+", s))


@lru_cache(maxsize=1)
def _spec_data() -> dict:
    with COLUMNS_FILE.open("rb") as fh:
        return tomllib.load(fh)


def score_names(standard: str) -> dict[str, str]:
    """The catalog name of each score column on ``standard``'s review form (``{}``: the column's own).

    >>> score_names("ND07_2021")
    {'b1_score': 'score_a', 'b2_score': 'score_b'}
    >>> score_names("QD59_2015")
    {}
    """
    names = _spec_data().get("score_names", {}).get(str(standard), {})
    return {k: v for k, v in names.items() if k in ("b1_score", "b2_score")}


def score_header(column: str, standard: str, lang: str = "vi") -> str:
    """The header of a score column on ``standard``'s form: ``Điểm B`` under Decree 07/2021, ``Điểm B2`` before.

    >>> score_header("b2_score", "ND07_2021"), score_header("b2_score", "QD59_2015")
    ('Điểm B', 'Điểm B2')
    """
    key = score_names(standard).get(column)
    return t(f"intake.score_name.{key}.header", lang) if key else t(f"intake.header.household.{column}", lang)


def value_aliases() -> dict[str, tuple[str, ...]]:
    """Accepted spellings of cell values: ``true``, ``false``, ``rural``, ``urban``, ``male``, ``female``."""
    return {k: tuple(v) for k, v in _spec_data()["value_aliases"].items()}


def _indicator_specs() -> list[ColumnSpec]:
    """One spec per indicator id over all known standards (label of the first standard that has it)."""
    out: dict[str, ColumnSpec] = {}
    owners: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    stds = _standards.in_order()  # national by first review year (their labels first), then local ones
    for std in stds:
        sid = std.id
        for ind in std.indicators:
            owners.setdefault(ind.id, []).append(sid)
            aliases.setdefault(ind.id, []).extend([ind.label("vi"), ind.label("en")])
            if ind.id not in out:
                out[ind.id] = ColumnSpec(
                    name=ind.id, vi=ind.label("vi"), en=ind.label("en"), kind="indicator",
                    required="indicators_or_b2", min=0, max=1,
                    description_vi=t("intake.indicator_description", "vi", definition=ind.definition("vi")),
                    description_en=t("intake.indicator_description", "en", definition=ind.definition("en")),
                )
    return [
        ColumnSpec(**{**s.__dict__, "aliases": tuple(dict.fromkeys(aliases[s.name])), "standards": tuple(owners[s.name])})
        for s in out.values()
    ]


def _texts(table: str, name: str) -> dict[str, str]:
    """A column's headers and descriptions in both languages, from the catalog."""
    return {
        "vi": t(f"intake.header.{table}.{name}", "vi"),
        "en": t(f"intake.header.{table}.{name}", "en"),
        "description_vi": t(f"intake.description.{table}.{name}", "vi"),
        "description_en": t(f"intake.description.{table}.{name}", "en"),
    }


@lru_cache(maxsize=2)
def columns(table: str = "household") -> tuple[ColumnSpec, ...]:
    """The column specs of ``table`` ('household' or 'member'), template order.

    For households the indicator columns (of every known standard) follow ``b2_score``.
    """
    data = _spec_data()
    specs = [ColumnSpec(**{**d, "aliases": tuple(d.get("aliases", ())), **_texts(table, d["name"])}) for d in data[table]]
    if table == "household":
        pos = next(i for i, s in enumerate(specs) if s.name == "b2_score") + 1
        specs[pos:pos] = _indicator_specs()
    return tuple(specs)


def indicator_ids() -> list[str]:
    """Indicator column names over all known standards."""
    return [s.name for s in columns("household") if s.kind == "indicator"]


@lru_cache(maxsize=2)
def header_lookup(table: str = "household") -> dict[str, str]:
    """Map :func:`header_key` of every accepted header to its canonical column.

    Raises
    ------
    ValueError
        If two columns claim the same normalised header (a mistake in the column table).
    """
    lookup: dict[str, str] = {}
    for s in columns(table):
        for h in (s.name, s.vi, s.en, *s.aliases):
            k = header_key(h)
            if lookup.get(k, s.name) != s.name:
                raise ValueError(f"header {h!r} claimed by {lookup[k]} and {s.name}")
            lookup[k] = s.name
    return lookup


def member_rules(standard: str = DEFAULT_STANDARD) -> dict | None:
    """Thresholds for deriving person-based indicators under ``standard`` (None if not encoded).

    A rules file with ``base = "<standard>"`` takes every table it does not write from that standard's file
    (Decree 351/2025 carries Decree 07/2021's cut-offs forward, unconfirmed); ``derive`` names the root
    standard whose derivation applies. Each call returns a copy: a caller may change it.

    >>> r = member_rules("ND351_2025")
    >>> r["standard"], r["base"], r["derive"], r["indicators"] == member_rules("ND07_2021")["indicators"]
    ('ND351_2025', 'ND07_2021', 'ND07_2021', True)
    >>> member_rules("ND351_2025")["employment"] is member_rules("ND351_2025")["employment"]
    False
    """
    return copy.deepcopy(_member_rules(str(standard)))


@lru_cache(maxsize=8)
def _member_rules(standard: str) -> dict | None:
    path = MEMBER_RULES_DIR / f"members_{standard}.toml"
    if not path.exists():
        return None
    with path.open("rb") as fh:
        rules = tomllib.load(fh)
    if "base" in rules:
        base = _member_rules(rules["base"])
        if base is None:
            raise ValueError(f"{path.name}: base {rules['base']!r} has no member rules")
        # the derivation is the root's (a file built on one built on Decree 07/2021 derives as Decree 07/2021)
        rules = {**base, **rules, "derive": base.get("derive", base["standard"])}
    return rules


def type_schema(specs) -> pa.DataFrameSchema:
    """Pass 1: every present column coerced to its dtype, nothing else checked.

    Failures have ``check`` = ``coerce_dtype('...')``: a cell that is not a
    number or not a yes/no value.
    """
    cols = {s.name: pa.Column(s.dtype, nullable=True, coerce=True, required=False) for s in specs}
    return pa.DataFrameSchema(cols, strict=False)


def value_schema(specs, *, codes: frozenset[str] | None = None, required: set[str] = frozenset()) -> pa.DataFrameSchema:
    """Pass 2: presence of required values, ranges and allowed values on the typed table.

    Parameters
    ----------
    specs : sequence of ColumnSpec
        The columns present in the file.
    codes : frozenset of str, optional
        Accepted commune codes (``code`` columns).
    required : set of str
        Columns whose cells may not be blank.
    """
    cols = {}
    for s in specs:
        checks = []
        if s.min is not None and s.max is not None:
            checks.append(pa.Check.in_range(s.min, s.max, error="out_of_range"))
        if s.multiple_of:
            m = s.multiple_of
            checks.append(pa.Check(lambda x, m=m: x % m == 0, element_wise=False, name="not_multiple"))
        if s.kind == "area":
            checks.append(pa.Check.isin(["rural", "urban"], error="bad_area"))
        if s.kind == "sex":
            checks.append(pa.Check.isin(["male", "female"], error="bad_sex"))
        if s.kind == "standard":
            checks.append(pa.Check.isin(_standards.available(), error="unknown_standard"))
        if s.kind == "code":
            checks.append(pa.Check.str_matches(r"^\d{5}$", error="bad_code_format"))
            if codes is not None:
                checks.append(pa.Check.isin(sorted(codes), error="unknown_commune"))
        cols[s.name] = pa.Column(s.dtype, checks=checks, nullable=s.name not in required, required=False,
                                 coerce=False)
    return pa.DataFrameSchema(cols, strict=False)
