"""Build data/geo/bac_kan_communes_2020.geojson: the 108 units of Bắc Kạn from 01/02/2020 to 30/06/2025.

Run from the repository root::

    python3 scripts/build_bac_kan_2020_layer.py

The 122 polygons of ``data/geo/bac_kan_communes.geojson`` (the units until 31/01/2020) are dissolved by the
dated registry (``data/units/``, Resolution 855/NQ-UBTVQH14: :func:`povlib.units.successors` from 2019 to 2020).
A unit divided in 2020 has no drawn line; it is cut as follows, and every feature that takes a piece of it
carries ``approximate = true`` (named in the layer's attribution and data/geo/README.md):

* when its successors went to different 2025 communes (Phong Huân → Yên Phong / Bằng Lãng; Lương Hạ → Cường
  Lợi / Yến Lạc), by the 2025 outline (``thai_nguyen_communes_2025.geojson``) of the smaller part's 2025 commune;
* otherwise (Văn Học → Văn Vũ / Cường Lợi, both in the 2025 Xã Cường Lợi) the whole polygon goes to the
  successor with the larger weight.

The union of the result has the 2019 layer's area (checked); the Chợ Đồn features equal
``cho_don_communes_2020.geojson`` built the same way by ``scripts/build_units.py`` to 0.5 % of
each area (checked; the district and province 2019 files differ slightly in their vertices).
"""
from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
from shapely import set_precision
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from povlib.units import UnitKey, successors, units_at  # noqa: E402

GEO = ROOT / "data" / "geo"
AREA_CRS = 32648  # WGS 84 / UTM 48N


def main() -> None:
    b19 = gpd.read_file(GEO / "bac_kan_communes.geojson")[["gso_code_2019", "geometry"]]
    b19 = b19.set_index("gso_code_2019")
    tn25 = gpd.read_file(GEO / "thai_nguyen_communes_2025.geojson").set_index("code")
    pieces: dict[str, list] = {}
    approx: set[str] = set()
    for r in units_at(2019, within="06").itertuples():
        g = b19.geometry[r.code]
        succ = successors(UnitKey(r.code, r.valid_from), 2020)
        if len(succ) == 1:
            pieces.setdefault(next(iter(succ)).code, []).append(g)
            continue
        (big, _), (small, _) = sorted(succ.items(), key=lambda kv: -kv[1])
        approx |= {big.code, small.code}
        small25 = next(iter(successors(small, 2025))).code
        big25 = next(iter(successors(big, 2025))).code
        if small25 != big25:
            cut = tn25.geometry[small25]
            pieces.setdefault(small.code, []).append(g.intersection(cut))
            pieces.setdefault(big.code, []).append(g.difference(cut))
        else:
            pieces.setdefault(big.code, []).append(g)
    live = units_at(2020, within="06").set_index("code")
    missing = sorted(set(live.index) - set(pieces))
    if missing or len(live) != 108:
        # a unit of 2020 with no 2019 piece (Văn Học's weight case) takes no area: say so and stop
        sys.exit(f"the 2020 layer lacks units {missing} (registry: {len(live)} units)")
    feats = [dict(code=c, valid_from=live.at[c, "valid_from"], name=live.at[c, "name"],
                  unit_type=live.at[c, "unit_type"], district_code=live.at[c, "district_code"], province_code="06",
                  approximate=c in approx, geometry=set_precision(unary_union(pieces[c]), 1e-5))
             for c in sorted(pieces)]
    out = gpd.GeoDataFrame(feats, geometry="geometry", crs=4326)
    a19 = gpd.GeoSeries([unary_union(list(b19.geometry))], crs=4326).to_crs(AREA_CRS).area[0]
    a20 = gpd.GeoSeries([unary_union(list(out.geometry))], crs=4326).to_crs(AREA_CRS).area[0]
    rel = abs(a19 - a20) / a19
    if rel > 1e-4 or not out.geometry.is_valid.all():
        sys.exit(f"the 2020 layer's area differs from the 2019 layer's by {rel:.2e}, or a geometry is invalid")
    cd = gpd.read_file(GEO / "cho_don_communes_2020.geojson").set_index("code")
    mine = out.set_index("code").loc[cd.index]
    diff = max(float(mine.geometry[c].symmetric_difference(cd.geometry[c]).area / cd.geometry[c].area)
               for c in cd.index)
    if diff > 5e-3:  # the district and province 2019 files differ by their vertex precision
        sys.exit(f"the Chợ Đồn features differ from cho_don_communes_2020.geojson (relative area {diff:.1e})")
    (GEO / "bac_kan_communes_2020.geojson").write_text(out.to_json(ensure_ascii=False, drop_id=True) + "\n",
                                                       encoding="utf-8")
    print(f"{len(out)} units, approximate: {sorted(approx)}; area difference {rel:.1e}; Chợ Đồn max diff {diff:.1e}")


if __name__ == "__main__":
    main()
