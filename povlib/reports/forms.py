"""Which report forms a review is reported on: the circular that issued them, per standard (rules as data).

The forms live in ``povlib/rules/reports/forms.toml``: each names its legal source, the standards whose reviews
it reports, the form whose columns are printed (``layout``) and whether that layout was checked against the
act's annex. A standard with no form there (Decree 351/2025: no circular yet) is reported on the latest form of
an earlier standard, and the notes say so.

Examples
--------
>>> form_for("QD59_2015").id, form_for("ND07_2021").id
('TT17_2016', 'TT07_2021')
>>> f = form_for("ND351_2025")
>>> f.id, f.assumed
('TT07_2021', True)
>>> print(form_notes("ND07_2021", "en")[0])
Layout of the forms of Circular 07/2021/TT-BLĐTBXH (amended by Circular 02/2022/TT-BLĐTBXH; consolidated text 1315/VBHN-BLĐTBXH): the columns of the form of Circular 17/2016/TT-BLĐTBXH (amended by Circular 14/2018/TT-BLĐTBXH) are printed; not checked against the annex of the circular.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, replace

from .. import standards as _standards
from ..i18n import t, t_or
from ..paths import RULES_DIR

__all__ = ["FORMS_FILE", "ReportForm", "forms", "form_for", "form_line", "form_notes"]

#: the report forms of each standard (rules as data)
FORMS_FILE = RULES_DIR / "reports" / "forms.toml"


@dataclass(frozen=True)
class ReportForm:
    """One circular's report forms.

    Attributes
    ----------
    id : str
        Named after the circular, e.g. ``"TT07_2021"``.
    legal_source : str
        The act (in Vietnamese, as cited).
    standards : tuple of str
        The standards whose reviews it reports.
    layout : str
        The form whose columns are printed (its own id when its annex was read).
    confirmed : bool
        Whether the layout was checked against the act's annex.
    assumed : bool
        True when the standard asked for has no form of its own (an earlier standard's form is used).
    """

    id: str
    legal_source: str
    standards: tuple[str, ...]
    layout: str
    confirmed: bool
    assumed: bool = False


@functools.cache
def forms() -> tuple[ReportForm, ...]:
    """The forms of ``forms.toml``, in file order."""
    with FORMS_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return tuple(ReportForm(f["id"], f["legal_source"], tuple(f["standards"]), f.get("layout", f["id"]),
                            bool(f["confirmed"])) for f in data["forms"])


def _by_id(form_id: str) -> ReportForm:
    return next(f for f in forms() if f.id == form_id)


def _base(std_id: str) -> str:
    """A local standard reports on its national base's forms."""
    try:
        return _standards.get(std_id).base or std_id
    except Exception:  # noqa: BLE001 - a standard not registered here has no base
        return std_id


def form_for(std_id: str) -> ReportForm:
    """The form the reviews under ``std_id`` are reported on; a standard with none of its own takes the form
    of the latest standard before it that has one (``assumed`` True)."""
    sid = _base(str(std_id))
    for f in forms():
        if sid in f.standards:
            return f
    order = [s.id for s in _standards.in_order()]
    earlier = order[:order.index(sid)] if sid in order else order
    for s in reversed(earlier):
        for f in forms():
            if s in f.standards:
                return replace(f, assumed=True)
    return replace(forms()[-1], assumed=True)


def _short(form: ReportForm, lang: str) -> str:
    """The act's name in ``lang`` (catalog ``report.form.<id>``, else the file's Vietnamese citation)."""
    return t_or(f"report.form.{form.id}", lang, form.legal_source)


def form_line(std_id: str, lang: str = "vi") -> str:
    """The title line naming the form (``Mẫu biểu: Thông tư …``)."""
    return t("report.title.form", lang, source=_short(form_for(std_id), lang))


def form_notes(std_id: str, lang: str = "vi") -> list[str]:
    """What the reports say about their form: an assumed form, a layout not checked against its annex."""
    f = form_for(std_id)
    out = []
    if f.assumed:
        out.append(t("report.note.form_assumed", lang, std=_standards.short_name(std_id, lang),
                     source=_short(f, lang)))
    if not f.confirmed:
        out.append(t("report.note.form_unconfirmed", lang, source=_short(f, lang),
                     layout=_short(_by_id(f.layout), lang)))
    return out
