"""A standard with unconfirmed values is shown as provisional wherever it is used (issue 12 item 3): every page
under Decree 351/2025 (a what-if over the demo) and under the local example opens and says so; the sidebar's
standard select and the help page carry the badge; a confirmed standard carries neither."""
from __future__ import annotations

import pytest

from povlib import standards
from povlib.i18n import t
from tests.support.apptest import open_page, open_via_router
from ui.nav import PAGES


def _infos(at) -> list[str]:
    return [i.value for i in at.info]


@pytest.mark.parametrize("page", [p for p, *_ in PAGES])
def test_every_page_opens_under_nd351_and_says_it_is_provisional(page):
    at = open_page(page, standard="ND351_2025", year="2019")  # no exception, no st.error
    if page != "app_pages/data.py":
        assert standards.provisional_note("ND351_2025", "vi") in _infos(at)
        whatif = t("app.whatif_standard", "vi", std=standards.get("ND351_2025").name("vi"),
                   own=standards.get("QD59_2015").name("vi"))
        assert whatif in [w.value for w in at.warning]


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/households.py"])
def test_the_local_example_is_provisional_too(page):
    at = open_page(page, standard="DN_ND07_local_example", year="2019", lang="en")
    assert standards.provisional_note("DN_ND07_local_example", "en") in _infos(at)


def test_a_confirmed_standard_shows_no_provisional_note():
    at = open_page("app_pages/overview.py", year="2019")
    assert not [i for i in _infos(at) if t("standards.provisional.badge", "vi", name="").strip() in i]
    assert standards.provisional_note("QD59_2015", "vi") == ""


def test_the_sidebar_select_carries_the_badge():
    at = open_via_router("app_pages/overview.py", year="2019")
    select = next(s for s in at.sidebar.selectbox if s.label == t("general.standard", "vi"))
    shown = list(select.options)  # the labels as drawn
    assert standards.display_name("ND351_2025", "vi") in shown
    assert standards.get("QD59_2015").name("vi") in shown[1:]  # a confirmed standard: its plain name
    assert standards.display_name("QD59_2015", "vi") == standards.get("QD59_2015").name("vi")


def test_help_page_marks_the_provisional_standards():
    at = open_page("app_pages/help.py", year="2019")
    titles = [e.label for e in at.expander]
    assert any(standards.display_name("ND351_2025", "vi") in x for x in titles)
    assert standards.provisional_note("ND351_2025", "vi") in _infos(at)
    badge = t("standards.provisional.badge", "vi", name="").strip()
    nd07 = [x for x in titles if standards.get("ND07_2021").name("vi") in x]
    assert nd07 and not any(badge in x for x in nd07)
