"""povlib.geo: boundary layers, per-unit measures, the safe join, classes; ui.maps: the folium map, offline assets."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import povlib
from povlib import geo
from povlib.errors import PovlibInputError
from povlib.measures import af_for_standard, deprivation_shares, rates
from povlib.paths import GEO_DIR, PROJECT_DIR
from ui import maps


@pytest.fixture(scope="module")
def layer():
    return geo.boundaries("cho-don")


@pytest.fixture(scope="module")
def table(demo):
    return geo.unit_measures(demo, 2019)


@pytest.fixture(scope="module")
def joined(layer, table):
    return geo.join_measures(layer, table, year=2019)


def _features(m) -> list[dict]:
    """GeoJSON features of the map's choropleth layer (the first GeoJson child)."""
    import folium

    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    return layers[0].data["features"]


def _shows(text: str, html: str) -> bool:
    """``text`` is in the page, as is or JSON-escaped inside a script (tooltip aliases)."""
    return text in html or json.dumps(text)[1:-1] in html


# --- boundaries ----------------------------------------------------------------------------------
def test_commune_layer_matches_the_official_list(layer):
    csv = pd.read_csv(GEO_DIR / "cho_don_communes.csv", dtype=str).rename(columns={"gso_code_2019": "commune_code"})
    assert layer["code"].tolist() == sorted(csv["commune_code"])
    assert dict(zip(layer["code"], layer["name"])) == dict(zip(csv["commune_code"], csv["full_name"]))
    assert layer.crs.to_epsg() == 4326
    assert layer.geometry.is_valid.all()
    assert layer.attrs["key"] == "commune_code" and layer.attrs["last_year"] == 2019
    assert set(layer["district_code"]) == {"064"}


def test_province_layers_and_district_filter():
    communes = geo.boundaries("bac-kan")
    districts = geo.boundaries("bac-kan", "district")
    assert len(communes) == 122 and communes["code"].is_unique
    assert districts["code"].tolist() == ["058", "060", "061", "062", "063", "064", "065", "066"]
    assert districts.attrs["key"] == "district_code"
    cd = geo.boundaries("bac-kan", district="064")
    assert cd["code"].tolist() == geo.boundaries("cho-don")["code"].tolist()
    assert "Huyện Chợ Đồn" in set(districts["name"])
    with pytest.raises(PovlibInputError):
        geo.boundaries("bac-kan", district="999")
    with pytest.raises(PovlibInputError):
        geo.boundaries("cho-don", "village")


def test_scope_for_districts():
    assert geo.scope_for(["064"]) == "cho-don"
    assert geo.scope_for(["058", "066"]) == "bac-kan"
    with pytest.raises(PovlibInputError):
        geo.scope_for(["001"])


# --- measures per unit ---------------------------------------------------------------------------
def test_unit_measures_agree_with_povlib_measures(demo, table):
    d = demo[demo["year"] == 2019]
    assert int(table["households"].sum()) == len(d)
    ref = rates(d, by="commune_code").set_index("commune_code")
    t = table.set_index("code")
    for col in ("households", "poor", "near_poor", "poor_rate", "near_poor_rate", "poor_near_rate"):
        np.testing.assert_allclose(t.loc[ref.index, col].to_numpy(dtype=float), ref[col].to_numpy(dtype=float))
    # share deprived in at least one indicator, recomputed from the classifier's own count
    any_dep = (d["deprivation_count"] > 0).groupby(d["commune_code"], observed=True).mean()
    np.testing.assert_allclose(t.loc[any_dep.index, "any_deprived"], any_dep.to_numpy())
    # M0 of one commune equals AF on that commune alone
    one = d[d["commune_code"] == "02035"]
    assert t.loc["02035", "M0"] == pytest.approx(af_for_standard(one, "QD59_2015").M0)
    assert ((t["M0"] >= 0) & (t["M0"] <= t["H"])).all()


def test_district_measures_roll_up(demo):
    by_district = geo.unit_measures(demo, 2019, by="district_code")
    assert by_district["code"].tolist() == ["064"]
    assert by_district["poor_rate"].iloc[0] == pytest.approx(0.1586, abs=5e-5)  # published 15,86 %


def test_unit_measures_errors(demo):
    with pytest.raises(PovlibInputError):
        geo.unit_measures(demo, 2031)
    with pytest.raises(PovlibInputError):
        geo.unit_measures(demo.drop(columns="status"), 2019)
    with pytest.raises(PovlibInputError):
        geo.unit_measures(demo, 2019, by="village")


# --- the join ---------------------------------------------------------------------------------------
def test_join_keeps_every_polygon_and_totals(joined, demo):
    assert len(joined) == 22 and joined["households"].notna().all()
    assert int(joined["households"].sum()) == int((demo["year"] == 2019).sum())
    assert joined["poor"].sum() / joined["households"].sum() == pytest.approx(0.1586, abs=5e-5)
    # each polygon carries the figures of its own commune (not a shifted row)
    row = joined.set_index("code").loc["02020"]
    d = demo[(demo["year"] == 2019) & (demo["commune_code"] == "02020")]
    assert row["name"] == "Thị trấn Bằng Lũng" and row["households"] == len(d)


def test_join_units_without_data_get_nan(layer, table):
    j = geo.join_measures(layer, table[table["code"] != "02020"], year=2019)
    assert len(j) == 22
    assert j.set_index("code").loc["02020", ["households", "poor_rate"]].isna().all()


def test_join_refuses_a_reused_code(layer, table):
    reused = table.copy()
    reused.loc[reused["code"] == "02083", "name"] = "Xã Yên Phong"  # 02083 was Yên Nhuận until 2020
    with pytest.raises(PovlibInputError) as e:
        geo.join_measures(layer, reused, year=2019)
    assert e.value.column == "name" and "02083" in e.value.message("vi")


def test_join_refuses_years_after_the_layer(layer, table):
    with pytest.raises(PovlibInputError) as e:
        geo.join_measures(layer, table, year=2020)
    assert "2020" in e.value.message("vi")


def test_join_refuses_unknown_and_duplicate_codes(layer, table):
    bad = pd.concat([table, table.iloc[[0]].assign(code="99999", name="Xã Không Có")])
    with pytest.raises(PovlibInputError) as e:
        geo.join_measures(layer, bad, year=2019)
    assert "99999" in e.value.message("vi")
    with pytest.raises(PovlibInputError):
        geo.join_measures(layer, pd.concat([table, table.iloc[[0]]]), year=2019)
    by_district = table.copy()
    by_district.attrs["key"] = "district_code"
    with pytest.raises(PovlibInputError):  # district figures on a commune layer
        geo.join_measures(layer, by_district, year=2019)


# --- classes --------------------------------------------------------------------------------------
def test_classes_vietnamese_labels_and_counts(joined):
    c = geo.classify_values(joined["poor_rate"], "poor_rate")
    assert len(c.bins) == 5 and list(c.bins) == sorted(c.bins)
    assert sum(c.counts) == 22 and c.no_data == 0
    assert all(re.fullmatch(r"\d+,\d\d %( – \d+,\d\d %)?", lab) for lab in c.labels), c.labels
    assert c.bins[-1] == pytest.approx(joined["poor_rate"].max())
    cnt = geo.classify_values(joined["poor"], "poor")
    assert all(re.fullmatch(r"[\d.]+( – [\d.]+)?", lab) for lab in cnt.labels), cnt.labels


def test_classes_with_few_values_and_missing():
    one = geo.classify_values([0.2, 0.2, 0.2])
    assert one.labels == ("20,00 %",) and one.counts == (3,) and one.scheme == "UniqueValues"
    two = geo.classify_values([0.1, np.nan, 0.3, 0.1])
    assert two.counts == (2, 1) and two.no_data == 1
    assert two.color_of([0.1, np.nan, 0.3]) == [two.colors[0], geo.NO_DATA_COLOR, two.colors[1]]
    empty = geo.classify_values([np.nan, np.nan])
    assert empty.labels == () and empty.no_data == 2
    with pytest.raises(PovlibInputError):
        geo.classify_values([0.1, 0.2], k=9)
    with pytest.raises(PovlibInputError):
        geo.classify_values([0.1, 0.2], scheme="HeadTailBreaks")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=60),
       st.integers(1, 5), st.sampled_from(["NaturalBreaks", "Quantiles", "EqualInterval"]))
def test_every_value_lies_in_its_class_range(values, k, scheme):
    c = geo.classify_values(values, k=k, scheme=scheme)
    idx = c.class_of(values)
    assert len(c.bins) <= k and sum(c.counts) == len(values)
    assert all(c.counts) and list(c.bins) == sorted(set(c.bins))
    for v, i in zip(values, idx):
        assert v <= c.bins[i] and (i == 0 or v > c.bins[i - 1])


# --- the folium map -----------------------------------------------------------------------------
def test_map_features_tooltips_and_legend(joined):
    m = maps.build_map(joined, "poor_rate", outline=geo.boundaries(level="district"), selected="02035")
    feats = _features(m)
    assert len(feats) == 22
    props = {f["properties"]["code"]: f["properties"] for f in feats}
    j = joined.set_index("code")
    assert props["02035"]["value_text"] == povlib.i18n.fmt_pct(j.loc["02035", "poor_rate"])
    assert props["02035"]["households_text"] == povlib.i18n.fmt_int(j.loc["02035", "households"])
    assert props["02035"]["selected"] is True and props["02020"]["selected"] is False
    html = m.get_root().render()
    assert _shows("Tỷ lệ hộ nghèo", html) and _shows("Tổng số hộ", html)
    assert _shows("Chia lớp: ngắt tự nhiên (Jenks)", html)
    assert "tile_layer" not in html  # no basemap by default
    assert "L.tileLayer" in maps.build_map(joined, "poor_rate", basemap=True).get_root().render()


def test_map_in_english(joined):
    html = maps.build_map(joined, "poor_near_rate", lang="en").get_root().render()
    assert _shows("Poor and near-poor rate", html) and _shows("Total households", html)


def test_map_escapes_unit_names(joined):
    evil = joined.copy()
    evil.loc[evil["code"] == "02020", "name"] = '<img src=x onerror="alert(1)">'
    m = maps.build_map(evil, "poor_rate")
    html = m.get_root().render()
    assert "<img src=x" not in html
    props = {f["properties"]["code"]: f["properties"] for f in _features(m)}
    assert props["02020"]["name"].startswith("&lt;img")


def test_map_errors(joined):
    with pytest.raises(PovlibInputError):
        maps.build_map(joined, "income")
    with pytest.raises(PovlibInputError):
        maps.build_map(joined.drop(columns="M0"), "M0")


# --- offline assets ---------------------------------------------------------------------------------
def _asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)


def test_offline_assets_point_at_vendored_files(joined):
    m = maps.offline_assets(maps.build_map(joined, "M0", outline=geo.boundaries(level="district")), "/base/app/static/")
    urls = _asset_urls(m.get_root().render())
    assert urls and not [u for u in urls if u.startswith(("http:", "https:", "//"))]
    for u in urls:
        rel = u.removeprefix("/base/app/static/")
        assert (maps.STATIC_DIR / rel).is_file(), u
    assert (maps.STATIC_DIR / "vendor" / f"leaflet-{maps.LEAFLET_VERSION}" / "LICENSE").is_file()


def test_vendored_leaflet_is_the_version_folium_asks_for():
    import folium

    wanted = dict(folium.Map(tiles=None).default_js)["leaflet"]
    assert f"leaflet@{maps.LEAFLET_VERSION}/" in wanted
    head = (maps.STATIC_DIR / "vendor" / f"leaflet-{maps.LEAFLET_VERSION}" / "leaflet.js").read_text()[:200]
    assert maps.LEAFLET_VERSION in head


def test_offline_assets_inline(joined):
    m = maps.offline_assets(maps.build_map(joined, "poor_rate"), None, inline=True)
    urls = _asset_urls(m.get_root().render())
    assert urls and all(u.startswith("data:") for u in urls)


def test_offline_assets_refuse_an_unvendored_plugin(joined):
    from folium.plugins import Fullscreen

    m = maps.build_map(joined, "poor_rate")
    Fullscreen().add_to(m)
    with pytest.raises(PovlibInputError) as e:
        maps.offline_assets(m, "/app/static/")
    assert "static/vendor" in e.value.message("vi")


# --- the commune panel ----------------------------------------------------------------------------
def test_unit_profile(demo):
    p = geo.unit_profile(demo, "02035", 2019)
    d = demo[(demo["year"] == 2019) & (demo["commune_code"] == "02035")]
    assert int(p.villages["households"].sum()) == len(d)
    assert int(p.villages["poor"].sum()) == int((d["status"] == "poor").sum())
    years = sorted(int(y) for y in demo.loc[demo["commune_code"] == "02035", "year"].unique())
    assert years == list(range(2016, 2025))                   # a unit until the 2025 reform
    assert p.trend["year"].tolist() == sorted([*years, 2021])  # 2021 measured under both standards
    assert p.trend.set_index("year").loc[2019, "poor_rate"] == pytest.approx((d["status"] == "poor").mean())
    assert len(p.indicators) == 10 and p.indicators["label"].str.len().gt(0).all()
    dist = deprivation_shares(demo[demo["year"] == 2019], "QD59_2015").set_index("indicator")["share"]
    np.testing.assert_allclose(p.indicators["parent_share"], dist.loc[p.indicators["indicator"]].to_numpy())
    assert p.indicators.set_index("indicator").loc["latrine", "unit_deprived"] == int(d["latrine"].sum())
    names = p.villages["village"].tolist()
    tos = [v for v in names if v.startswith("Tổ ")]
    assert tos == sorted(tos, key=lambda v: int(v.split()[1]))  # natural order: Tổ 2 before Tổ 10


@pytest.mark.slow
def test_unit_profile_after_the_reform_compares_with_the_province():
    """After the 2025 reform a commune has no district: its indicators are compared with its province (the
    panel drew no grey bars and named no unit: "so với toàn  (màu xám)")."""
    p = povlib.load_demo("bac-kan")
    code = str(p.loc[p["year"] == 2026, "commune_code"].astype(str).iloc[0])
    prof = geo.unit_profile(p, code, 2026)
    assert prof.parent_name == "các xã của Tỉnh Thái Nguyên có trong dữ liệu"  # the demo: the former Bắc Kạn only
    cur = p[p["year"] == 2026]
    want = deprivation_shares(cur, povlib.standards.get(str(cur["standard"].iloc[0]))).set_index("indicator")["share"]
    got = prof.indicators.set_index("indicator")["parent_share"]
    assert got.notna().all() and np.allclose(got.to_numpy(), want.loc[got.index].to_numpy())
    assert len(prof.indicators) == 12  # the standard of 2026 (Decree 351/2025)
    assert geo.unit_profile(p, "02020", 2019).parent_name == "Huyện Chợ Đồn"
    # which communes the data hold is judged before a group filter: holding them all, the province is whole
    from povlib.units import units_at

    whole = set(units_at(2026, within="19")["code"].astype(str))
    assert geo.unit_profile(p, code, 2026, communes_held=whole).parent_name == "Tỉnh Thái Nguyên"
    # one commune's rows only (the national dataset loads one commune): nothing to compare with
    alone = geo.unit_profile(p[p["commune_code"].astype(str) == code], code, 2026)
    assert alone.parent_name == "" and alone.indicators["parent_share"].isna().all()


def test_unit_profile_errors(demo):
    with pytest.raises(PovlibInputError):
        geo.unit_profile(demo, "99999", 2019)
    with pytest.raises(PovlibInputError):
        geo.unit_profile(demo, "02035", 2031)


def test_geojson_properties_are_json_safe(joined):
    json.dumps(_features(maps.build_map(joined, "any_deprived")))


def test_povlib_imports_neither_folium_nor_streamlit():
    """Drawing the map is the app's part: importing every povlib module loads no folium and no streamlit."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import povlib\n"
        "names = [m.name for m in pkgutil.walk_packages(povlib.__path__, 'povlib.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps([names, sorted(m for m in sys.modules if m.split('.')[0] in ('folium', 'streamlit'))]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    names, loaded = json.loads(out.stdout)
    assert {"povlib.geo.layers", "povlib.geo.profile", "povlib.synth.generator", "povlib.cli.core"} <= set(names)
    assert loaded == []


def test_province_commune_map_names_the_district(demo):
    layer = geo.boundaries("bac-kan")
    m = maps.build_map(layer.assign(poor_rate=0.1, households=100.0), "poor_rate")
    tooltip = next(c for c in m._children.values() if hasattr(c, "data"))._children
    tip = next(iter(v for v in tooltip.values() if type(v).__name__ == "GeoJsonTooltip"))
    assert tip.fields == ["name", "district", "value_text", "households_text"]
    assert tip.aliases[1] == "Huyện"
    one = maps.build_map(geo.boundaries("cho-don").assign(poor_rate=0.1, households=100.0), "poor_rate")
    tip1 = next(iter(v for v in next(c for c in one._children.values() if hasattr(c, "data"))._children.values()
                     if type(v).__name__ == "GeoJsonTooltip"))
    assert "district" not in tip1.fields
