"""Every user-facing string, in Vietnamese (default) and English, and number formats.

All labels, messages, chart titles, axes, tooltips and export headers come from
one gettext catalog per language, ``povlib/locale/<lang>/LC_MESSAGES/povlib.po``
(the message id is a stable key such as ``status.poor``; translators edit the
``.po`` files with any gettext tool), through :func:`t`.
Numbers are formatted with Babel in the Vietnamese locale (1.234.567; 15,86 %)
or the English one.

Examples
--------
>>> from povlib.i18n import t, fmt_int, fmt_pct
>>> t("status.poor")
'Hộ nghèo'
>>> fmt_int(1234567), fmt_pct(0.1586)
('1.234.567', '15,86 %')
>>> fmt_pct(0.1586, lang="en")
'15.86%'
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from . import paths

__all__ = ["LANGS", "STRINGS", "t", "t_or", "fmt_int", "fmt_pct", "fmt_num", "fmt_vnd", "fmt_points", "has"]

LANGS = ("vi", "en")
_LOCALE = {"vi": "vi_VN", "en": "en_US"}

_LOCALE_DIR = paths.LOCALE_DIR


def _read_catalog(lang: str) -> dict[str, str]:
    """The gettext catalog ``locale/<lang>/LC_MESSAGES/povlib.po`` as ``{key: text}``."""
    path = _LOCALE_DIR / lang / "LC_MESSAGES" / "povlib.po"
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang, domain="povlib")
    return {str(m.id): str(m.string) for m in cat if m.id}


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every string of ``lang`` (``'vi'`` or ``'en'``), read once from its ``.po`` file.

    Examples
    --------
    >>> catalog("en")["status.poor"]
    'Poor'
    """
    if lang not in LANGS:
        raise KeyError(f"unknown language {lang!r} (expected one of {LANGS})")
    return _read_catalog(lang)


class _Strings(Mapping):
    """Read-only view ``key -> (Vietnamese, English)`` over the two catalogs."""

    def __getitem__(self, key: str) -> tuple[str, str]:
        return catalog("vi")[key], catalog("en")[key]

    def __iter__(self):
        return iter(catalog("vi"))

    def __len__(self) -> int:
        return len(catalog("vi"))


#: key -> (Vietnamese, English), read from the gettext catalogs (kept for callers that
#: need both languages at once, e.g. bilingual error messages).
STRINGS: Mapping[str, tuple[str, str]] = _Strings()


def has(key: str) -> bool:
    """Whether ``key`` is a known string."""
    return key in catalog("vi")


def t(key: str, lang: str = "vi", /, **kwargs) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from ``kwargs``.

    An unknown key raises ``KeyError``: a missing translation is a bug to see,
    not a label to guess.
    """
    text = catalog("en" if lang == "en" else "vi")[key]
    return text.format(**kwargs) if kwargs else text


def t_or(key: str, lang: str, fallback: str, /) -> str:
    """``t(key, lang)`` when the catalog has ``key``, else ``fallback``.

    For labels of data a user may add (a province's own standard, policies
    file or territory): the built-in ones are in the catalog under keys
    derived from their ids; a label written in the user's own file is the
    fallback.

    Examples
    --------
    >>> t_or("std.QD59_2015.indicator.latrine", "en", "toilet")
    'Hygienic latrine'
    >>> t_or("std.MY_OWN.indicator.latrine", "en", "toilet")
    'toilet'
    """
    return t(key, lang) if key in catalog("en" if lang == "en" else "vi") else fallback


def fmt_int(n, lang: str = "vi") -> str:
    """Whole number with the locale's grouping: ``1.234.567`` (vi), ``1,234,567`` (en)."""
    if n is None or n != n:  # NaN
        return "–"
    return format_decimal(int(round(float(n))), locale=_LOCALE.get(lang, "vi_VN"))


def fmt_num(x, lang: str = "vi", digits: int = 2) -> str:
    """Decimal number with ``digits`` decimals: ``1.234,57`` (vi)."""
    if x is None or x != x:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(float(x), format=pattern, locale=_LOCALE.get(lang, "vi_VN"))


def fmt_pct(frac, lang: str = "vi", digits: int = 2) -> str:
    """A fraction as a percentage: ``0.1586 -> '15,86 %'`` (vi) or ``'15.86%'`` (en)."""
    if frac is None or frac != frac:
        return "–"
    dec = "." + "0" * digits if digits > 0 else ""
    pattern = f"#,##0{dec} %" if lang != "en" else f"#,##0{dec}%"
    return format_percent(float(frac), format=pattern, locale=_LOCALE.get(lang, "vi_VN"))


def fmt_points(delta_frac, lang: str = "vi", digits: int = 2) -> str:
    """A change of a rate in percentage points with its sign: ``-1,95 điểm %``."""
    if delta_frac is None or delta_frac != delta_frac:
        return "–"
    sign = "+" if delta_frac > 0 else ("−" if delta_frac < 0 else "±")
    return f"{sign}{fmt_num(abs(delta_frac) * 100, lang, digits)} {t('unit.points', lang)}"


def fmt_vnd(amount, lang: str = "vi") -> str:
    """Money in VND: ``804.600 đồng`` (vi), ``804,600 VND`` (en)."""
    return f"{fmt_int(amount, lang)} {t('unit.vnd', lang)}"
