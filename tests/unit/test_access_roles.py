"""Roles as data and unit scopes with dates (povlib.access.roles): what each role may do, and the rows
of a households frame shown with names never fall outside the account's scopes (hypothesis)."""
from __future__ import annotations

import datetime as dt
import tomllib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from povlib import paths
from povlib.access import roles as R
from povlib.access.roles import Grant, Scope, may
from povlib.errors import PovlibInputError
from povlib.synth.territory import load_territory

BK = load_territory("bac-kan").units
COMMUNES = BK["commune_code"].tolist()
DISTRICTS = sorted(BK["district_code"].unique())
D = dt.date


def test_roles_file_names_each_role_and_the_legal_basis():
    rules = tomllib.loads((paths.RULES_DIR / "access" / "roles.toml").read_text(encoding="utf-8"))
    assert list(rules["roles"]) == ["viewer", "commune_officer", "district_officer", "administrator"]
    for action, spec in rules["actions"].items():
        if spec["personal_data"]:
            assert "91/2025/QH15" in spec["basis"] and "13/2023" in spec["basis"], action
            assert spec["confirmed"] in (True, False)
    every = {a for r in rules["roles"].values() for a in r["actions"]}
    assert every <= set(rules["actions"])


def test_what_each_role_may_do():
    viewer = Grant("viewer")
    admin = Grant("administrator")
    commune = Grant("commune_officer", (Scope("02023", "commune", D(2016, 1, 1)),))
    for action in ("view_names", "export_names", "import", "undo", "save_plan", "manage_accounts", "read_audit"):
        assert not may(viewer, action, "02023", 2019), action
    assert may(viewer, "view_aggregates")
    assert may(admin, "manage_accounts") and may(admin, "read_audit")
    assert not may(admin, "view_names", "02023", 2019)  # the administrator sees no names
    for action in ("view_names", "export_names", "import", "undo", "save_plan"):
        assert may(commune, action, "02023", 2019) and not may(commune, action, "02026", 2019), action
    assert not may(commune, "view_names", None, 2019)
    assert not may(commune, "view_names", "064", 2019)  # a district is more than its one commune
    assert not may(commune, "manage_accounts") and not may(commune, "read_audit")
    off = Grant("commune_officer", commune.scopes, disabled=True)
    assert not may(off, "view_names", "02023", 2019) and not may(off, "view_aggregates")
    with pytest.raises(PovlibInputError):
        may(commune, "view_name", "02023", 2019)  # a typo is an error, not a silent refusal


def test_scopes_follow_their_dates():
    s = Grant("district_officer", (Scope("064", "district", D(2018, 7, 1), D(2019, 6, 30)),))
    assert may(s, "import", "02023", 2018) and may(s, "import", "02023", 2019)
    assert not may(s, "import", "02023", 2017) and not may(s, "import", "02023", 2020)
    assert may(s, "import", "02023", D(2019, 6, 30)) and not may(s, "import", "02023", D(2019, 7, 1))
    province = Grant("district_officer", (Scope("06", "province", D(2016, 1, 1)),))
    assert all(may(province, "view_names", c, 2019) for c in ("02023", "01834", "064", "06"))


def test_make_scope_checks_unit_level_and_dates():
    assert R.make_scope("02023", D(2020, 1, 1), role="commune_officer").level == "commune"
    for bad in ("2023", "99999", "abc12", "999"):
        with pytest.raises(PovlibInputError):
            R.make_scope(bad)
    with pytest.raises(PovlibInputError):
        R.make_scope("02023", D(2020, 1, 1), D(2019, 1, 1))
    with pytest.raises(PovlibInputError):
        R.make_scope("06", role="commune_officer")


def test_names_mask_matches_may_row_by_row():
    df = pd.DataFrame({"commune_code": ["02023", "02026", "02023", "01834", "02023"],
                       "year": [2019, 2019, 2016, 2019, 2021]})
    g = Grant("commune_officer", (Scope("02023", "commune", D(2017, 1, 1), D(2020, 12, 31)),))
    assert R.names_mask(g, df).tolist() == [True, False, False, False, False]
    assert R.rows_with_names(Grant("viewer"), df).empty
    assert R.rows_with_names(Grant("administrator"), df).empty


scopes_st = st.lists(
    st.builds(lambda code, start, days: Scope(code, R.level_of(code), D(start, 1, 1),
                                              None if days is None else D(start, 1, 1) + dt.timedelta(days=days)),
              st.sampled_from([*COMMUNES[:30], *DISTRICTS, "06"]), st.integers(2014, 2022),
              st.one_of(st.none(), st.integers(0, 2000))),
    max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scopes=scopes_st, role=st.sampled_from(R.role_ids()),
       rows=st.lists(st.tuples(st.sampled_from(COMMUNES), st.integers(2014, 2024)), min_size=0, max_size=40))
def test_scope_filtering_never_returns_rows_outside_scope(scopes, role, rows):
    g = Grant(role, tuple(scopes))
    df = pd.DataFrame(rows, columns=["commune_code", "year"])
    seen = R.rows_with_names(g, df)
    for code, year in zip(seen["commune_code"], seen["year"], strict=True):
        start, end = D(int(year), 1, 1), D(int(year), 12, 31)
        inside = [s for s in scopes if s.valid_from <= end and (s.valid_to is None or s.valid_to >= start)
                  and (s.unit_code == code or BK.loc[BK["commune_code"] == code, ["district_code", "province_code"]]
                       .isin([s.unit_code]).any(axis=None))]
        assert inside and "view_names" in R.role_actions(role), (code, year)
    # and it keeps every row may() allows
    expected = np.array([may(g, "view_names", c, int(y)) for c, y in rows], dtype=bool)
    assert R.names_mask(g, df).tolist() == expected.tolist()


def test_scopes_after_the_2025_reform_are_units_of_their_period():
    """Scopes were read on the 2019 code list whatever the year: a scope of Thái Nguyên (19) from 1 July 2025 was
    refused ("Không tìm thấy đơn vị có mã 19"), and a commune officer of the 2019 commune 02020 saw the names
    of the 2026 Xã Chợ Đồn, a merger of six communes that reused the code. A scope is a unit of its period:
    on a later day it covers what that unit became wholly, never households of a unit it was not given."""
    import povlib

    s19 = R.make_scope("19", dt.date(2025, 7, 1), role="district_officer")
    p = povlib.load_demo("bac-kan")
    rows = p[p["year"] == 2026][["commune_code", "year", "former_district_code"]].astype({"commune_code": str})
    assert R.names_mask(R.Grant("district_officer", (s19,)), rows).all()  # every 2026 commune of Thái Nguyên
    old = R.Grant("commune_officer", (R.make_scope("02020", dt.date(2019, 1, 1), role="commune_officer"),))
    assert not R.names_mask(old, rows).any()  # 02020 of 2019 is one of six communes of the 2026 Xã Chợ Đồn
    d064 = R.Grant("district_officer", (R.make_scope("064", dt.date(2020, 1, 1), role="district_officer"),))
    seen = R.names_mask(d064, rows)
    from povlib.units import units_at

    u = units_at(dt.date(2026, 6, 1))
    several = set(u.loc[u["former_district_codes"].fillna("").str.contains(";"), "code"].astype(str))
    straddles = rows["commune_code"].isin(several) & rows["former_district_code"].astype(str).eq("064")
    assert straddles.any()  # Xã Đồng Phúc and Xã Bạch Thông: of two former districts, the other's households too
    whole = rows["former_district_code"].astype(str).eq("064") & ~rows["commune_code"].isin(several)
    assert seen[whole.to_numpy()].all() and not seen[straddles.to_numpy()].any()
    assert not seen[(~whole & ~straddles).to_numpy()].any()
    assert R.may(d064, "import", "02020", 2026) and not R.may(d064, "import", "01933", 2026)
    assert not R.may(old, "import", "02020", 2026) and R.may(old, "import", "02020", 2019)
