"""Issue 13 in the app: sign-in, the role from the account, names only within its scope, the audit record.

A store with two communes of Chợ Đồn (02020 Thị trấn Bằng Lũng, 02023 Xã Xuân Lạc; rows of the demo's
2019 review, whose names are the demo's made-up names) is opened by a viewer, a commune officer of
02023, an administrator and nobody (the demo). The browser test of the sign-in form and of what reaches
a viewer's browser is ``tests/e2e/test_login_browser.py``.
"""
from __future__ import annotations

import pytest

from povlib import intake as pio
from povlib.access import AuditLog, refused
from povlib.access.roles import Grant, make_scope
from povlib.i18n import t
from tests.support.apptest import assert_ok, fast_hasher, new_page, signed_in
from ui.escape import md_escape

OWN, OTHER = "02023", "02020"
DATASET = "store:ra-soat"


def _rows(demo, code: str, n: int = 25):
    y = demo[(demo["year"] == 2019) & (demo["commune_code"] == code)]
    return y[y["status"].astype(str).isin(["poor", "near_poor"])].head(n)


@pytest.fixture
def store(tmp_path, monkeypatch, demo):
    """A store holding 25 poor/near-poor households of each of the two communes (2019)."""
    import pandas as pd
    import streamlit as st

    path = tmp_path / "store"
    monkeypatch.setenv("POVLIB_STORE", str(path))
    rows = pd.concat([_rows(demo, OWN), _rows(demo, OTHER)])
    st_ = pio.Store(path)
    st_.import_intake(pio.read_intake(pio.export_to_template(rows, fmt="csv"), file_name="hai_xa.csv"),
                      imported_by="setup")
    # the view caches are keyed on the dataset's name and version, not on the store's folder (one per
    # server): start and leave with empty caches, as another test's store:ra-soat holds other rows
    st.cache_data.clear()
    st.cache_resource.clear()
    yield {"path": path, "rows": rows, "names": set(rows["head_name"].astype(str))}
    st.cache_data.clear()
    st.cache_resource.clear()


def _texts(at) -> str:
    """Everything the page drew as text: tables, markdown, captions, alerts."""
    parts = [d.value.to_csv() for d in at.dataframe]
    for kind in ("markdown", "caption", "info", "warning", "success", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def _names_of(rows, code: str) -> set[str]:
    return set(rows.loc[rows["commune_code"] == code, "head_name"].astype(str))


def _audit(path, action: str) -> list[dict]:
    return [e for e in AuditLog(path).entries() if e["action"] == action]


# --- the demo --------------------------------------------------------------------------------------
def test_demo_opens_without_login_as_a_viewer_and_hides_the_store(store, demo):
    """No session: the synthetic demo opens (masked names, the demo's officer select), imported data are not
    listed, and a link to them says a sign-in is needed; the data and admin pages ask for one."""
    at = new_page("app_pages/households.py", dataset=DATASET, year="2019").run()
    assert_ok(at, "demo")
    assert at.session_state["f_dataset"] == "cho-don"
    assert t("auth.data_needs_login", "vi") in [w.value for w in at.sidebar.warning]
    assert not _names_of(demo[demo["year"] == 2019], OWN) & set(at.dataframe[0].value.iloc[:, 1])
    # the demo's officer view shows the made-up names, marked as demo data
    at.selectbox(key="f_role").set_value("officer").run()
    assert _names_of(demo[demo["year"] == 2019], OWN) & set(at.dataframe[0].value.iloc[:, 1])
    assert t("auth.demo_mark", "vi") in _texts(at) + " ".join(m.value for m in at.sidebar.markdown)
    assert not _audit(store["path"], "view_names")  # made-up names: nothing to record
    for page in ("app_pages/data.py", "app_pages/admin.py"):
        at = new_page(page).run()
        assert t("auth.need_login", "vi") in [i.value for i in at.info], page
        assert not at.file_uploader and not at.dataframe, page


# --- a viewer --------------------------------------------------------------------------------------
def test_viewer_sees_no_name_on_households_and_reports_and_cannot_import(store):
    state = signed_in("viewer")
    at = new_page("app_pages/households.py", state, dataset=DATASET, year="2019").run()
    assert_ok(at, "viewer households")
    assert at.session_state["f_dataset"] == DATASET
    assert "f_role" not in [s.key for s in at.sidebar.selectbox]  # the role is the account's, no widget
    assert len(at.dataframe[0].value) == 50
    assert not any(n in _texts(at) for n in store["names"])
    at = new_page("app_pages/reports.py", state, dataset=DATASET, year="2019", report="posting", unit=OWN).run()
    assert_ok(at, "viewer posting")
    assert t("report.page.masked", "vi") in [i.value for i in at.info]
    assert not any(n in _texts(at) for n in store["names"])
    at = new_page("app_pages/data.py", state).run()
    assert t("auth.no_right", "vi", role=t("access.role.viewer", "vi")) in [w.value for w in at.warning]
    assert not at.file_uploader
    assert not _audit(store["path"], "view_names")


# --- a commune officer -------------------------------------------------------------------------------
def test_commune_officer_sees_names_of_its_commune_only_recorded_once(store):
    state = signed_in("commune_officer", OWN)
    at = new_page("app_pages/households.py", state, dataset=DATASET, year="2019").run()
    assert_ok(at, "officer households")
    table = at.dataframe[0].value
    own = table[t("hh.col.household_id", "vi")].str.startswith(OWN)
    names, ids = table[t("hh.col.head_name", "vi")], table[t("hh.col.id_number", "vi")]
    assert own.sum() == 25 and set(names[own]) == _names_of(store["rows"], OWN)
    assert names[~own].str.contains(r"\*\*\*").all() and ids[~own].str.contains(r"\*\*\*").all()  # masked
    assert t("auth.names_partial", "vi") in [w.value for w in at.warning]
    at.run()  # a rerun of the same view is not a new disclosure
    views = _audit(store["path"], "view_names")
    assert len(views) == 1 and views[0]["units"] == [OWN] and views[0]["actor"] == "commune.02023"
    at.pills(key="hh_status").set_value(["poor"]).run()  # another view: recorded again
    assert len(_audit(store["path"], "view_names")) == 2
    # the posting list: names for its commune, masked for the other
    at = new_page("app_pages/reports.py", state, dataset=DATASET, year="2019", report="posting", unit=OWN).run()
    assert_ok(at, "posting own")
    assert _names_of(store["rows"], OWN) & set(_texts(at).replace(",", "\n").splitlines())
    at = new_page("app_pages/reports.py", state, dataset=DATASET, year="2019", report="posting", unit=OTHER).run()
    assert_ok(at, "posting other")
    assert not any(n in _texts(at) for n in store["names"])
    assert t("report.page.masked", "vi") in [i.value for i in at.info]


def test_commune_officer_import_for_another_commune_is_refused_and_recorded(store, demo):
    state = signed_in("commune_officer", OWN)
    at = new_page("app_pages/data.py", state).run()
    assert_ok(at, "data page")
    other = pio.export_to_template(_rows(demo, OTHER, 5).assign(household_id=lambda d: d["household_id"] + "X"),
                                   fmt="csv")
    at.file_uploader(key="in_hh").set_value(("xa_khac.csv", other, "text/csv")).run()
    at.button(key="in_go").click().run()
    msg = t("auth.import_refused", "vi", user=md_escape("commune.02023"),
            units=t("auth.units_years", "vi", code=OTHER, year=2019))
    assert msg in [e.value for e in at.error]
    assert pio.Store(store["path"]).latest_version() == 1  # nothing imported
    entry = _audit(store["path"], "import")[-1]
    assert entry["actor"] == "commune.02023" and entry["units"] == [OTHER] and "refused" in entry["detail"]
    # its own commune: imported, and recorded
    own = pio.export_to_template(_rows(demo, OWN, 5), fmt="csv")
    at.file_uploader(key="in_hh").set_value(("xa_minh.csv", own, "text/csv")).run()
    at.button(key="in_go").click().run()
    assert_ok(at, "own import")
    assert pio.Store(store["path"]).latest_version() == 2
    entry = _audit(store["path"], "import")[-1]
    assert entry["units"] == [OWN] and entry["version"] == "2" and "refused" not in entry["detail"]


def test_refused_checks_every_commune_and_year_of_a_file():
    officer = Grant("commune_officer", (make_scope(OWN, role="commune_officer"),))
    assert refused(officer, "import", [(OWN, 2019), (OTHER, 2019)]) == [(OTHER, 2019)]
    assert refused(officer, "import", [(OWN, 2018), (OWN, 2019)]) == []


# --- the administrator ---------------------------------------------------------------------------------
def test_admin_sees_the_audit_record_and_the_accounts_without_hashes(store):
    signed_in("commune_officer", OWN)  # another account, listed too
    AuditLog(store["path"]).append("commune.02023", "view_names", units=[OWN], dataset=DATASET)
    at = new_page("app_pages/admin.py", signed_in("administrator")).run()
    assert_ok(at, "admin")
    audit, accounts = at.dataframe[0].value, at.dataframe[1].value
    assert t("access.audit.action.view_names", "vi") in set(audit[t("access.audit.col.action", "vi")])
    assert at.success[0].value.startswith(t("access.audit.verify_ok", "vi", n=1, hash="")[:20])
    assert {"administrator.all", "commune.02023"} <= set(accounts[t("access.col.username", "vi")])
    assert "argon2" not in accounts.to_csv()
    # the record names accounts: its files only through a one-time link (serve.py's route), never /media/
    assert not at.get("download_button")
    assert [at.button(key=k).label for k in ("adm_csv", "adm_xlsx")] == [t("auth.admin.download_csv", "vi"),
                                                                        t("auth.admin.download_xlsx", "vi")]
    # a commune officer does not get the page
    at = new_page("app_pages/admin.py", signed_in("commune_officer", OWN)).run()
    assert not at.dataframe and at.warning


# --- sessions ---------------------------------------------------------------------------------------
def test_an_expired_session_asks_to_sign_in_again(store):
    at = new_page("app_pages/households.py", signed_in("commune_officer", OWN, idle_minutes=31),
                  dataset=DATASET, year="2019").run()
    assert_ok(at, "expired")
    assert t("auth.expired", "vi") in [w.value for w in at.sidebar.warning]
    assert at.session_state["f_dataset"] == "cho-don"  # the store is no longer listed
    assert not any(n in _texts(at) for n in store["names"])
    at = new_page("app_pages/data.py", signed_in("commune_officer", OWN, idle_minutes=31)).run()
    assert t("auth.need_login", "vi") in [i.value for i in at.info]


def test_sign_in_form_wrong_then_right_password_then_logout(store):
    from povlib.access import AccountStore

    AccountStore(store["path"], hasher=fast_hasher()).add("lan.nt", "mat-khau-dai-1", "commune_officer",
                                                          scopes=[make_scope(OWN, role="commune_officer")])
    at = new_page("app_pages/login.py").run()
    at.text_input(key="auth_user").input("lan.nt")
    at.text_input(key="auth_password").input("sai-mat-khau")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [t("access.login.wrong", "vi")]
    assert "auth_session" not in at.session_state
    at.text_input(key="auth_user").input("lan.nt")
    at.text_input(key="auth_password").input("mat-khau-dai-1")
    at.button[0].click().run()
    assert_ok(at, "signed in")
    assert at.session_state["auth_session"].role == "commune_officer"
    assert "auth_password" not in at.session_state
    assert [e["action"] for e in AuditLog(store["path"]).entries()] == ["login_failed", "login_ok"]


def test_logout_ends_the_session_and_is_recorded(store):
    at = new_page("app_pages/households.py", signed_in("commune_officer", OWN), dataset=DATASET, year="2019").run()
    assert at.session_state["f_dataset"] == DATASET
    at.sidebar.button(key="auth_logout").click().run()
    assert_ok(at, "logout")
    assert "auth_session" not in at.session_state
    assert t("auth.logged_out", "vi") in [i.value for i in at.sidebar.info]
    assert at.session_state["f_dataset"] == "cho-don"  # imported data are gone with the session
    assert not any(n in _texts(at) for n in store["names"])
    assert [e["actor"] for e in _audit(store["path"], "logout")] == ["commune.02023"]


# --- saving the office's policy amounts (save_plan) --------------------------------------------------
def _edit_an_amount(at):
    from povlib.planning import load_policies

    row = [p.id for p in load_policies(overrides=None).policies].index("learning_cost")
    at.session_state["plan_policy_editor"] = {"edited_rows": {row: {t("plan.col.unit_amount"): 150000}},
                                              "added_rows": [], "deleted_rows": []}
    return at.run()


@pytest.fixture
def overrides_file(tmp_path, monkeypatch):
    from povlib.planning import overrides

    target = tmp_path / "overrides.toml"
    monkeypatch.setattr(overrides, "OVERRIDES_FILE", target)
    return target


def test_commune_officer_may_not_save_the_offices_amounts(store, overrides_file):
    """The saved amounts apply to every commune of the data: one commune's officer cannot save them."""
    at = _edit_an_amount(new_page("app_pages/planning.py", signed_in("commune_officer", OWN),
                                  dataset=DATASET).run())
    assert_ok(at)
    save = next(b for b in at.button if b.label == t("plan.save_button"))
    assert save.disabled
    assert not overrides_file.exists() and not _audit(store["path"], "save_plan")


def test_district_officer_saves_the_amounts_and_the_save_is_recorded(store, overrides_file):
    at = _edit_an_amount(new_page("app_pages/planning.py", signed_in("district_officer", "064"),
                                  dataset=DATASET).run())
    assert_ok(at)
    save = next(b for b in at.button if b.label == t("plan.save_button"))
    assert not save.disabled
    save.click()
    at.run()
    assert_ok(at)
    assert "learning_cost = 150000" in overrides_file.read_text(encoding="utf-8")
    entry = _audit(store["path"], "save_plan")[-1]
    assert entry["actor"] == "district.064" and entry["detail"]["policies"] == ["learning_cost"]
    assert entry["dataset"] == DATASET
