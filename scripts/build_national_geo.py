"""Copy the national commune layer the app draws (inside a province) into ``data/geo/``, simplified.

Source: ``../shared/data/vietnam_communes_2025.geojson`` (3,321 communes from 01/07/2025,
Vietnamese Provinces Database © Thang Le Quoc, MIT, derived from sapnhap.bando.com.vn; see
``data/geo/README.md``). The geometry is simplified again (``--tolerance`` degrees, topology kept per
polygon) and written with 4-decimal coordinates; the properties ``code``, ``name``, ``full_name``,
``province_code`` are kept.

    python scripts/build_national_geo.py [--src PATH] [--tolerance 0.002]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
from shapely import set_precision

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data" / "vietnam_communes_2025.geojson"
OUT = ROOT / "data" / "geo" / "vietnam_communes_2025.geojson"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default=str(SRC if SRC.exists() else Path("/work/shared/data/vietnam_communes_2025.geojson")))
    ap.add_argument("--tolerance", type=float, default=0.002)
    ap.add_argument("--out", default=str(OUT))
    a = ap.parse_args()
    g = gpd.read_file(a.src)[["code", "name", "full_name", "province_code", "geometry"]]
    g["geometry"] = set_precision(g.geometry.simplify(a.tolerance, preserve_topology=True).make_valid(), 1e-4)
    g = g.sort_values("code").reset_index(drop=True)
    data = json.loads(g.to_json(drop_id=True))
    Path(a.out).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(g)} communes -> {a.out} ({Path(a.out).stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
