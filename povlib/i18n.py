"""Every user-facing string, in Vietnamese (default) and English, and number formats.

All labels, messages, chart titles, axes, tooltips and export headers come from
one gettext catalog per language, ``povlib/locale/<lang>/LC_MESSAGES/povlib.po``
(the message id is a stable key such as ``status.poor``; translators edit the
``.po`` files with any gettext tool), through :func:`t`.
Numbers are formatted with Babel in the Vietnamese locale (1.234.567; 15,86 %)
or the English one, rounded half up as official tables round (1/32 is
3,13 %, not the 3,12 % of banker's rounding): :func:`round_half_up` rounds the
exact value – a ``Fraction`` or ``Decimal`` as it is, a float as the decimal
it stands for – and :func:`percent` gives the display percentage of a count
over a count.

Examples
--------
>>> from povlib.i18n import t, fmt_int, fmt_pct
>>> t("status.poor")
'Hộ nghèo'
>>> fmt_int(1234567), fmt_pct(0.1586)
('1.234.567', '15,86 %')
>>> fmt_pct(0.1586, lang="en")
'15.86%'
>>> fmt_pct(1 / 32), fmt_pct(5 / 32), fmt_num(2.675), percent(16_003, 80_276)
('3,13 %', '15,63 %', '2,68', 19.93)
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache

from babel.dates import format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from . import paths

__all__ = ["LANGS", "STRINGS", "t", "t_count", "t_or", "fmt_int", "fmt_pct", "fmt_num", "fmt_vnd", "fmt_vnd_short", "fmt_points",
           "fmt_datetime", "has",
           "exact", "round_half_up", "percent"]

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


def t_count(key: str, n: int, lang: str = "vi", /, **kwargs) -> str:
    """``key.one`` when ``n`` is 1, else ``key.other``, with ``{n}`` in the language's number format (English
    has a singular; Vietnamese writes both alike).

    >>> t_count("map.units_count", 1, "en"), t_count("map.units_count", 1200, "en"), t_count("map.units_count", 1, "vi")
    ('1 unit', '1,200 units', '1 đơn vị')
    """
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=fmt_int(n, lang), **kwargs)


def t_or(key: str, lang: str, fallback: str, fallback_en: str | None = None, /) -> str:
    """``t(key, lang)`` when the catalog has ``key``, else ``fallback`` (in English ``fallback_en`` when given).

    For labels of data a user may add (a province's own standard, policies
    file or territory): the built-in ones are in the catalog under keys
    derived from their ids; a label written in the user's own file is the
    fallback, one text or its Vietnamese and English pair.

    Examples
    --------
    >>> t_or("std.QD59_2015.indicator.latrine", "en", "toilet")
    'Hygienic latrine'
    >>> t_or("std.MY_OWN.indicator.latrine", "en", "toilet")
    'toilet'
    >>> t_or("std.MY_OWN.indicator.latrine", "en", "nhà tiêu", "toilet"), t_or("std.MY_OWN.x", "vi", "nhà tiêu", "toilet")
    ('toilet', 'nhà tiêu')
    """
    if key in catalog("en" if lang == "en" else "vi"):
        return t(key, lang)
    return fallback_en if lang == "en" and fallback_en is not None else fallback


def exact(x) -> Fraction:
    """The exact value a number stands for, as a ``Fraction``.

    An ``int``, ``Fraction`` or ``Decimal`` is taken as it is. A float is
    taken as the shortest decimal that reads back as that float (``repr``),
    which is the value the float was meant to hold. For a rate – a ratio of
    whole numbers ``p / q`` between 0 and 1 with ``q`` below 10⁹, computed by
    one float division – this rounds exactly as the true ratio does at up to
    6 decimals (a percentage at up to 4): the float and its ``repr`` lie within
    about 2 · 10⁻¹⁶ of ``p / q``, a rounding boundary that ``p / q`` does not hit
    lies at least ``1 / (2 · 10⁶ · q)`` > 5 · 10⁻¹⁶ away from it, and a boundary
    it hits is a short decimal, which ``repr`` returns unchanged. Where the
    counts are at hand, pass ``Fraction(p, q)`` (or use :func:`percent`).

    Examples
    --------
    >>> exact(0.145), exact(Fraction(1, 3)), exact(7)
    (Fraction(29, 200), Fraction(1, 3), Fraction(7, 1))
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, numbers.Integral):
        return Fraction(int(x))
    if isinstance(x, Decimal):
        return Fraction(x)
    return Fraction(repr(float(x)))


def round_half_up(x, digits: int = 2) -> Decimal:
    """``x`` rounded to ``digits`` decimals, halves away from zero, exactly.

    Examples
    --------
    >>> round_half_up(3.125), round_half_up(Fraction(5, 32) * 100), round_half_up(-1.955), round_half_up(2.5, 0)
    (Decimal('3.13'), Decimal('15.63'), Decimal('-1.96'), Decimal('3'))
    """
    v = exact(x) * 10**digits
    n = math.floor(abs(v) + Fraction(1, 2))
    return Decimal(-n if v < 0 else n).scaleb(-digits)


def _missing(x) -> bool:
    try:
        return x is None or bool(x != x)
    except TypeError:  # pandas.NA
        return True


def percent(num, den, digits: int = 2) -> float:
    """``num / den`` as a percentage rounded half up to ``digits``, from the exact ratio (NaN when ``den`` is 0).

    For the percentage columns of the report and export tables: the value is
    already rounded as officials round, so any later display of it with
    ``digits`` decimals shows the official figure.

    Examples
    --------
    >>> percent(1, 32), percent(5, 32), percent(0, 0)
    (3.13, 15.63, nan)
    """
    if _missing(num) or _missing(den) or den == 0:
        return float("nan")
    return float(round_half_up(Fraction(int(num), int(den)) * 100, digits))


def fmt_int(n, lang: str = "vi") -> str:
    """Whole number with the locale's grouping: ``1.234.567`` (vi), ``1,234,567`` (en); halves round up."""
    if n is None or n != n:  # NaN
        return "–"
    return format_decimal(round_half_up(n, 0), locale=_LOCALE.get(lang, "vi_VN"))


def fmt_num(x, lang: str = "vi", digits: int = 2) -> str:
    """Decimal number with ``digits`` decimals, rounded half up: ``1.234,57`` (vi)."""
    if x is None or x != x:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(round_half_up(x, digits), format=pattern, locale=_LOCALE.get(lang, "vi_VN"))


def fmt_pct(frac, lang: str = "vi", digits: int = 2) -> str:
    """A fraction as a percentage rounded half up: ``0.1586 -> '15,86 %'`` (vi) or ``'15.86%'`` (en).

    Pass a ``Fraction`` (e.g. ``Fraction(poor, households)``) to round the exact
    ratio; a float is read as in :func:`exact`.
    """
    if frac is None or frac != frac:
        return "–"
    dec = "." + "0" * digits if digits > 0 else ""
    pattern = f"#,##0{dec} %" if lang != "en" else f"#,##0{dec}%"
    rounded = round_half_up(exact(frac) * 100, digits).scaleb(-2)  # Babel multiplies by 100 again, exactly
    return format_percent(rounded, format=pattern, locale=_LOCALE.get(lang, "vi_VN"))


def fmt_points(delta_frac, lang: str = "vi", digits: int = 2) -> str:
    """A change of a rate in percentage points with its sign, rounded half up: ``-1,95 điểm %``.

    A difference of two float rates is not exactly the difference of the two
    ratios; pass ``Fraction(p1, q1) - Fraction(p0, q0)`` for the exact one.
    """
    if delta_frac is None or delta_frac != delta_frac:
        return "–"
    sign = "+" if delta_frac > 0 else ("−" if delta_frac < 0 else "±")
    return f"{sign}{fmt_num(abs(exact(delta_frac)) * 100, lang, digits)} {t('unit.points', lang)}"


def fmt_vnd(amount, lang: str = "vi") -> str:
    """Money in VND: ``804.600 đồng`` (vi), ``804,600 VND`` (en)."""
    return f"{fmt_int(amount, lang)} {t('unit.vnd', lang)}"


#: The time zone of the offices (Vietnam has kept UTC+7 without daylight saving since 1975).
LOCAL_TZ = "Asia/Ho_Chi_Minh"


def _local_tz():
    import datetime as dt
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(LOCAL_TZ)
    except (ImportError, KeyError, OSError, ValueError):  # no time-zone database: the same fixed offset
        return dt.timezone(dt.timedelta(hours=7), "ICT")


def fmt_datetime(value, lang: str = "vi") -> str:
    """A stored UTC time (ISO 8601 text or datetime) in local time (Asia/Ho_Chi_Minh).

    ``'14:05 ngày 02/12/2026'`` (vi), ``'2 Dec 2026, 14:05'`` (en); a dash when
    missing or unreadable. A time without a zone is read as UTC (the store writes UTC).

    Examples
    --------
    >>> fmt_datetime("2026-12-02T07:05:00+00:00"), fmt_datetime("2026-12-02T07:05:00+00:00", "en")
    ('14:05 ngày 02/12/2026', '2 Dec 2026, 14:05')
    >>> fmt_datetime("2026-12-31T18:30:00"), fmt_datetime(None), fmt_datetime("later")
    ('01:30 ngày 01/01/2027', '–', '–')
    """
    import datetime as dt
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return "–"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(_local_tz())
    if lang == "en":
        return format_datetime(local, "d MMM y, HH:mm", locale="en_GB")
    return f"{local:%H:%M} {t('unit.date_on', lang)} {local:%d/%m/%Y}"


def fmt_vnd_short(amount, lang: str = "vi") -> str:
    """Money rounded for a headline figure: ``8,14 tỷ đồng``, ``457,2 triệu đồng`` (vi), ``8.14 bn VND`` (en);
    amounts under a million as :func:`fmt_vnd`; ``–`` when unknown.

    Examples
    --------
    >>> fmt_vnd_short(8_144_231_000), fmt_vnd_short(457_230_000), fmt_vnd_short(804_600), fmt_vnd_short(None)
    ('8,14 tỷ đồng', '457,2 triệu đồng', '804.600 đồng', '–')
    """
    if _missing(amount):
        return "–"
    if abs(amount) >= 1e9:
        return t("plan.money_billion", lang, x=fmt_num(Fraction(int(amount), 10**9), lang, 2))
    if abs(amount) >= 1e6:
        return t("plan.money_million", lang, x=fmt_num(Fraction(int(amount), 10**6), lang, 1))
    return fmt_vnd(amount, lang)
