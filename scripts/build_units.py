"""Regenerate the dated unit registry (data/units/) and the 2020 Chợ Đồn layer (data/geo/).

Run from the repository root::

    python3 scripts/build_units.py [--vau PATH]

Inputs
------
* ``data/geo/bac_kan_communes.csv`` / ``.geojson``: the GSO list and polygons of 01/12/2019 (122 units).
* ``data/units/crosswalk_NQ855_UBTVQH14.csv``, ``crosswalk_NQ722_UBTVQH15.csv``, ``villages_NQ855_UBTVQH14.csv``:
  the project's own facts (hand-kept, sourced in data/units/README.md). This script only fills the area
  weights of their ``area share`` rows.
* ``vietnamadminunits`` (MIT, pip; 1.0.4): its legacy list (63 provinces, the units in force until 30/06/2025)
  and its old-to-2025 converter table. Needed only here, never at run time: ``--vau`` points at the
  ``site-packages`` folder that holds it when it is not importable.
* ``data/geo/vietnam_provinces_2025.geojson``,
  ``thai_nguyen_communes_2025.geojson``: the 2025 units (Decision 19/2025/QĐ-TTg codes); the national
  commune layer is read from ``--national`` (the shared data folder), only for its attributes.

Outputs
-------
* ``data/units/units_bac_kan.csv``: Bắc Kạn's units before 01/07/2025 (communes, districts, province), dated.
* ``data/units/units_QD19_2025_TTg.csv``: the 3,321 communes and 34 provinces from 01/07/2025.
* ``data/units/crosswalk_NQ1683_UBTVQH15.csv``: the 108 → 37 crosswalk of 01/07/2025 and the province merge.
* ``data/geo/cho_don_communes_2020.geojson``: the 20 units of 01/02/2020, the 2019 polygons dissolved by the
  crosswalk (the Yên Phong / Bằng Lãng line through Phong Huân drawn from the 2025 Yên Phong outline,
  flagged ``approximate``).

Every check that fails stops the script (nothing is written half-checked).
"""
from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import set_precision
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "data" / "units"
GEO = ROOT / "data" / "geo"
START = "2016-01-01"     # the start of the span this project covers, not the unit's creation date
D2020 = "2020-02-01"
END2020 = "2025-06-30"
D2025 = "2025-07-01"
AREA_CRS = 32648          # WGS 84 / UTM 48N, for areas
COLUMNS = ["code", "valid_from", "valid_to", "name", "unit_type", "level", "district_code", "province_code",
           "former_district_codes", "former_province_codes", "source_act", "confirmed"]
#: layer code -> vietnamadminunits code where the two disagree (checked by hand; see data/units/README.md)
KNOWN_CODE_DIFFS = {"06978": "06970"}   # Xã Ba Chẽ (Quảng Ninh)
#: the shared folder that holds the national 2025 commune layer (5.3 MB, not copied: only its attributes are used)
SHARED = Path("/work/shared/data")
XW_COLUMNS = ["from_code", "from_valid_from", "to_code", "to_valid_from", "change", "effective", "act", "weight",
              "weight_basis", "confirmed", "note"]


#: old-style tone placement -> new style (Hoà -> Hòa): spellings of one name, not a rename
_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe",
          "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def spelling(name: str) -> str:
    """A name with the tone mark placed in the new style, to compare two spellings of one name."""
    import unicodedata

    s = unicodedata.normalize("NFC", name)
    for a, b in _TONES.items():
        s = s.replace(a, b).replace(a.capitalize(), b.capitalize())
    return s


def fail(msg: str) -> None:
    sys.exit(f"build_units: {msg}")


def vau_tables(vau: str | None):
    """The legacy and 2025 lists and the converter table of vietnamadminunits."""
    if vau:
        sys.path.insert(0, vau)
    try:
        import vietnamadminunits
    except ImportError:
        fail("vietnamadminunits is not importable: pip install vietnamadminunits==1.0.4 (or pass --vau)")
    base = Path(vietnamadminunits.__file__).parent / "data"
    con = sqlite3.connect(base / "dataset.db")
    legacy = pd.read_sql("select provinceKey||'_'||districtKey||'_'||wardKey as key, wardCode as code, ward as name, "
                         "districtCode as district_code, wardType as unit_type from admin_units_legacy "
                         "where provinceCode = '06'", con)
    new = pd.read_sql("select wardKey as key, wardCode as code, ward as name, provinceCode as province_code "
                      "from admin_units", con)
    conv = json.loads((base / "converter_2025.json").read_text(encoding="utf-8"))
    return legacy, new, conv


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vau", help="site-packages folder holding vietnamadminunits")
    ap.add_argument("--national", type=Path, default=SHARED / "vietnam_communes_2025.geojson",
                    help="the national 2025 commune layer (its attributes only)")
    args = ap.parse_args(argv)
    legacy, new_lib, conv = vau_tables(args.vau)

    old = pd.read_csv(GEO / "bac_kan_communes.csv", dtype=str)
    poly = gpd.read_file(GEO / "bac_kan_communes.geojson")[["gso_code_2019", "geometry"]]
    poly = poly.set_index("gso_code_2019").to_crs(AREA_CRS)
    tn25 = gpd.read_file(GEO / "thai_nguyen_communes_2025.geojson").set_index("code")
    tn25_m = tn25.to_crs(AREA_CRS)

    x855 = pd.read_csv(UNITS / "crosswalk_NQ855_UBTVQH14.csv", dtype=str)
    x722 = pd.read_csv(UNITS / "crosswalk_NQ722_UBTVQH15.csv", dtype=str)

    # --- area weights of the own crosswalk (the rows whose basis is an area share) ----------------------------
    ph = poly.geometry["02074"]
    w_yp = ph.intersection(tn25_m.geometry["02083"]).area / ph.area
    lh = poly.geometry["02155"]
    w_lh = 4.40e6 / lh.area            # 4.40 km² of Lương Hạ to Cường Lợi (Wikipedia, citing the act)
    weights = {("02074", "02083"): w_yp, ("02074", "02065"): 1 - w_yp,
               ("02155", "02152"): w_lh, ("02155", "02155"): 1 - w_lh}
    for (f, t), w in weights.items():
        m = (x855.from_code == f) & (x855.to_code == t)
        if m.sum() != 1:
            fail(f"crosswalk_NQ855: no single row {f} -> {t}")
        x855.loc[m, "weight"] = f"{round(w, 4):.4f}"
    for f, g in x855.groupby("from_code"):
        if abs(sum(float(w) for w in g.weight) - 1) > 1e-3:
            fail(f"crosswalk_NQ855: the weights of {f} do not sum to 1")
    x855[XW_COLUMNS].to_csv(UNITS / "crosswalk_NQ855_UBTVQH14.csv", index=False, lineterminator="\n")

    # --- units before 01/07/2025 ---------------------------------------------------------------------------------
    ended_2020 = set(x855.from_code)
    ended_2023 = set(x722.from_code)
    rows = []
    for r in old.itertuples():
        valid_to = "2020-01-31" if r.gso_code_2019 in ended_2020 else ("2023-04-09" if r.gso_code_2019 in ended_2023
                                                                        else END2020)
        rows.append(dict(code=r.gso_code_2019, valid_from=START, valid_to=valid_to, name=r.full_name,
                         unit_type=r.unit_type, level="commune", district_code=r.district_code,
                         province_code=r.province_code, source_act="GSO list of 01/12/2019", confirmed="true"))
    leg = legacy.set_index("code")
    for code in sorted(set(x855.to_code)):
        if code not in leg.index:
            fail(f"{code} (a 2020 unit of the own crosswalk) is not in the vietnamadminunits legacy list")
        lr = leg.loc[code]
        rows.append(dict(code=code, valid_from=D2020, valid_to=END2020, name=lr["name"], unit_type=lr["unit_type"],
                         level="commune", district_code=lr["district_code"], province_code="06",
                         source_act="855/NQ-UBTVQH14", confirmed="true"))
    for r in x722.itertuples():
        lr = leg.loc[r.to_code]
        rows.append(dict(code=r.to_code, valid_from=r.to_valid_from, valid_to=END2020, name=lr["name"],
                         unit_type=lr["unit_type"], level="commune", district_code=lr["district_code"],
                         province_code="06", source_act="722/NQ-UBTVQH15", confirmed="true"))
    for (dc, dn) in old[["district_code", "district_name"]].drop_duplicates().itertuples(index=False):
        rows.append(dict(code=dc, valid_from=START, valid_to=END2020, name=dn, unit_type=dn.split(" ")[0]
                         if not dn.startswith("Thành phố") else "Thành phố", level="district", district_code="",
                         province_code="06", source_act="GSO list of 01/12/2019", confirmed="true"))
    rows.append(dict(code="06", valid_from=START, valid_to=END2020, name="Tỉnh Bắc Kạn", unit_type="Tỉnh",
                     level="province", district_code="", province_code="", source_act="GSO list of 01/12/2019",
                     confirmed="true"))
    units_bk = pd.DataFrame(rows).fillna("")
    units_bk["former_district_codes"] = ""
    units_bk["former_province_codes"] = ""

    # check: the units in force on 01/02/2020 and 30/06/2025 are the vietnamadminunits legacy list (108)
    com = units_bk[units_bk.level == "commune"]
    for day in (D2020, END2020):
        live = com[(com.valid_from <= day) & (com.valid_to >= day)]
        if sorted(live.code) != sorted(legacy.code) or len(live) != 108:
            fail(f"the units in force on {day} differ from the legacy list of vietnamadminunits")
    live = com[com.valid_to >= END2020].set_index("code")
    for code, lr in leg.iterrows():
        if live.at[code, "unit_type"] != lr["unit_type"]:
            fail(f"{code}: unit type {live.at[code, 'unit_type']} here, {lr['unit_type']} in vietnamadminunits")

    # --- 2025: the national list from the layer's attributes, checked against vietnamadminunits ---------------
    nat = gpd.read_file(args.national, ignore_geometry=True)
    prov = gpd.read_file(GEO / "vietnam_provinces_2025.geojson", ignore_geometry=True)
    if len(nat) != 3321 or nat.code.nunique() != 3321 or len(prov) != 34:
        fail("the 2025 layers do not hold 3,321 communes and 34 provinces")
    lib = new_lib.set_index("code").rename(index={v: k for k, v in KNOWN_CODE_DIFFS.items()})
    if set(lib.index) != set(nat.code):
        fail(f"the 2025 codes of the layer and of vietnamadminunits differ: {sorted(set(lib.index) ^ set(nat.code))}")
    # the names on 01/07/2025 are the library's (the layer is newer: it already shows later changes of type)
    diff = [(c, lib.at[c, "name"], n) for c, n in zip(nat.code, nat.full_name, strict=True)
            if spelling(lib.at[c, "name"]) != spelling(n)]
    if any(p == "19" for p in nat.set_index("code").loc[[c for c, _, _ in diff], "province_code"]):
        fail("a Thái Nguyên name differs between the 2025 layer and vietnamadminunits")
    for c, a, b in diff:
        print(f"note: 2025 unit {c}: {a!r} (vietnamadminunits, kept) / {b!r} (layer)")
    nat["full_name"] = [lib.at[c, "name"] for c in nat.code]

    # --- the 2025 crosswalk from the vietnamadminunits converter, checked by the overlay ------------------------
    key2code = dict(zip(legacy.key, legacy.code, strict=True))
    newkey2code = new_lib[new_lib.province_code == "19"].set_index("key")["code"].to_dict()
    if conv["DICT_PROVINCE_WARD_DIVIDED"].get("tinhthainguyen", {}) and any(
            k.startswith("tinhbackan") for k in conv["DICT_PROVINCE_WARD_DIVIDED"]["tinhthainguyen"]):
        fail("vietnamadminunits divides a Bắc Kạn unit in 2025: weights needed")
    succ25 = {}
    for nkey, olds in conv["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhthainguyen"].items():
        for okey in olds:
            if okey.startswith("tinhbackan"):
                succ25[key2code[okey]] = newkey2code[nkey]
    if sorted(succ25) != sorted(legacy.code):
        fail("the converter does not map every Bắc Kạn unit of 2025")
    former_bk = set(tn25.index[tn25.share_in_former_bac_kan >= 0.97])
    if set(succ25.values()) != former_bk or len(former_bk) != 37:
        fail("the converter's 2025 successors are not the 37 communes of the former Bắc Kạn")
    # overlay check: each 2019 polygon lies mostly in the 2025 successor of its 2020 successor(s)
    vf = {r.code: r.valid_from for r in com.itertuples() if r.valid_to >= END2020}
    succ20 = {r.from_code: r.to_code for r in x855.itertuples()}
    shares = {}
    for code, g in poly.geometry.items():
        inter = tn25_m.geometry.intersection(g).area / g.area
        best = inter.idxmax()
        via = succ20.get(code, code)
        shares[code] = inter
        if code != "02074" and succ25[via] != best:
            fail(f"overlay: {code} lies mostly in {best}, the converter says {succ25[via]}")
    xrows = []
    for code in sorted(succ25):
        inter = [float(shares[c].get(succ25[code], 0)) for c, s in succ20.items() if s == code] or \
                [float(shares[code].get(succ25[code], 0))]
        xrows.append(dict(from_code=code, from_valid_from=vf[code], to_code=succ25[code], to_valid_from=D2025,
                          change="merge", effective=D2025, act="1683/NQ-UBTVQH15", weight="1", weight_basis="whole",
                          confirmed="true",
                          note=f"vietnamadminunits converter; boundary overlay {min(inter):.0%} inside"))
    xrows.append(dict(from_code="06", from_valid_from=START, to_code="19", to_valid_from=D2025, change="merge",
                      effective=D2025, act="202/2025/QH15", weight="1", weight_basis="whole", confirmed="true",
                      note="Bắc Kạn merged into Thái Nguyên (with the former Thái Nguyên, not kept here)"))
    pd.DataFrame(xrows)[XW_COLUMNS].to_csv(UNITS / "crosswalk_NQ1683_UBTVQH15.csv", index=False,
                                            lineterminator="\n")

    # former districts / province of each 2025 unit (a historical grouping)
    dist_of = dict(zip(com.code + "@" + com.valid_from, com.district_code, strict=True))
    former_d: dict[str, set[str]] = {}
    for code, to in succ25.items():
        former_d.setdefault(to, set()).add(dist_of[f"{code}@{vf[code]}"])
    types = {"Xã": "Xã", "Phường": "Phường", "Đặc khu": "Đặc khu"}
    n_rows = []
    for r in nat.sort_values("code").itertuples():
        utype = next((t for t in types if r.full_name.startswith(t + " ")), None)
        if utype is None:
            fail(f"2025 unit {r.code}: unknown type in {r.full_name!r}")
        n_rows.append(dict(code=r.code, valid_from=D2025, valid_to="", name=r.full_name, unit_type=utype,
                           level="commune", district_code="", province_code=r.province_code,
                           former_district_codes=";".join(sorted(former_d.get(r.code, ()))),
                           former_province_codes="06" if r.code in former_d else "",
                           source_act="19/2025/QĐ-TTg", confirmed="true"))
    for r in prov.sort_values("code").itertuples():
        n_rows.append(dict(code=r.code, valid_from=D2025, valid_to="", name=r.full_name,
                           unit_type="Tỉnh" if r.full_name.startswith("Tỉnh") else "Thành phố", level="province",
                           district_code="", province_code="", former_district_codes="",
                           former_province_codes="06" if r.code == "19" else "",
                           source_act="202/2025/QH15", confirmed="true"))
    pd.DataFrame(n_rows)[COLUMNS].to_csv(UNITS / "units_QD19_2025_TTg.csv", index=False, lineterminator="\n",
                                         quoting=csv.QUOTE_MINIMAL)
    units_bk = units_bk.sort_values(["level", "code", "valid_from"], key=lambda s: s.map(
        {"province": 0, "district": 1, "commune": 2}) if s.name == "level" else s)
    units_bk[COLUMNS].to_csv(UNITS / "units_bac_kan.csv", index=False, lineterminator="\n")

    # --- the 2020 Chợ Đồn layer ---------------------------------------------------------------------------------
    cd = gpd.read_file(GEO / "cho_don_communes.geojson")[["gso_code_2019", "geometry"]].set_index("gso_code_2019")
    yp25 = tn25.geometry["02083"]
    pieces: dict[str, list] = {}
    for code, g in cd.geometry.items():
        if code == "02074":
            pieces.setdefault("02083", []).append(g.intersection(yp25))
            pieces.setdefault("02065", []).append(g.difference(yp25))
        else:
            pieces.setdefault(succ20.get(code, code), []).append(g)
    live20 = com[(com.valid_from <= D2020) & (com.valid_to >= D2020) & (com.district_code == "064")]
    live20 = live20.set_index("code")
    if sorted(pieces) != sorted(live20.index) or len(pieces) != 20:
        fail("the 2020 Chợ Đồn layer does not have the 20 units of the registry")
    feats = []
    for code in sorted(pieces):
        geom = set_precision(unary_union(pieces[code]), 1e-5)
        feats.append(dict(code=code, valid_from=live20.at[code, "valid_from"], name=live20.at[code, "name"],
                          unit_type=live20.at[code, "unit_type"], district_code="064", province_code="06",
                          approximate=code in ("02083", "02065"), geometry=geom))
    out = gpd.GeoDataFrame(feats, geometry="geometry", crs=4326)
    a19 = unary_union(list(cd.geometry))
    a20 = unary_union(list(out.geometry))
    rel = abs(gpd.GeoSeries([a19], crs=4326).to_crs(AREA_CRS).area[0]
              - gpd.GeoSeries([a20], crs=4326).to_crs(AREA_CRS).area[0]) / gpd.GeoSeries(
        [a19], crs=4326).to_crs(AREA_CRS).area[0]
    if rel > 1e-4 or not out.geometry.is_valid.all():
        fail(f"the 2020 layer's area differs from the 2019 layer's by {rel:.2e}, or a geometry is invalid")
    (GEO / "cho_don_communes_2020.geojson").write_text(out.to_json(ensure_ascii=False, drop_id=True) + "\n",
                                                       encoding="utf-8")
    print(f"Phong Huân → Yên Phong area share {w_yp:.4f}; Lương Hạ → Cường Lợi {w_lh:.4f}; "
          f"2020 layer area difference {rel:.1e}; units {len(units_bk)} + {len(n_rows)}; 2025 crosswalk {len(xrows)}")


if __name__ == "__main__":
    main()
