"""The sidebar in headless Chromium (issue 10 items 6 and 10): after a language switch the selects show
their labels in the new language at once; the dataset's name is not cut on a desktop."""
from __future__ import annotations

from povlib.i18n import t
from tests.support.browser import NEEDS_CHROMIUM, assert_no_error, wait_idle

pytestmark = NEEDS_CHROMIUM  # tests/conftest.py adds the browser mark and group


def _shown(pg, key: str) -> dict:
    """The text in the box of the sidebar select with widget key ``key``, and whether it fits."""
    return pg.evaluate("""(k) => { const i = document.querySelector('[data-testid="stSidebar"] .st-key-' + k
                                                                  + ' input');
                                   return i ? {value: i.value, cut: i.scrollWidth > i.clientWidth + 1} : null; }""",
                       key)


def test_sidebar_labels_follow_the_language_and_the_dataset_name_is_not_cut(server, browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
    try:
        pg = ctx.new_page()
        pg.goto(f"{server}/overview?dataset=cho-don")
        wait_idle(pg)
        assert_no_error(pg, "overview")
        ds = _shown(pg, "f_dataset")
        assert ds == {"value": t("app.dataset_short.cho-don", "vi"), "cut": False}, ds
        pg.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
        pg.get_by_test_id("stHeading").get_by_text(t("app.page.overview", "en")).wait_for(timeout=60_000)
        wait_idle(pg)
        # the same run that switched the language: every translated select in English
        assert _shown(pg, "f_dataset__en") == {"value": t("app.dataset_short.cho-don", "en"), "cut": False}
        assert _shown(pg, "f_group__en")["value"] == t("group.all", "en")
        assert _shown(pg, "f_role__en")["value"] == t("app.role.viewer", "en")
        assert _shown(pg, "f_standard__en")["value"].startswith(t("app.standard_auto", "en", name="")[:10])
        pg.get_by_test_id("stSidebar").get_by_text("Tiếng Việt", exact=True).click()
        pg.get_by_test_id("stHeading").get_by_text(t("app.page.overview", "vi")).wait_for(timeout=60_000)
        wait_idle(pg)
        assert _shown(pg, "f_group")["value"] == t("group.all", "vi")
        assert _shown(pg, "f_role")["value"] == t("app.role.viewer", "vi")
    finally:
        ctx.close()
