"""Issue 10 item 7 without a browser: the data page draws the uploader's catalog texts, the shipped config
hides Streamlit's English main menu, the map's scale is metric only (on screen: tests/e2e/test_lang_browser.py)."""
from __future__ import annotations

import tomllib

import pytest

from povlib import paths
from povlib.i18n import t
from tests.support.apptest import open_page, signed_in


def test_config_hides_the_english_main_menu():
    cfg = tomllib.loads((paths.PROJECT_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["client"]["toolbarMode"] == "minimal"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_data_page_draws_the_uploader_texts_of_its_language(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("POVLIB_STORE", str(tmp_path / "store"))
    at = open_page("app_pages/data.py", {"f_lang": lang, **signed_in("district_officer", "06")})
    css = "".join(h.proto.body for h in at.get("html"))
    assert f'content: "{t("upload.button", lang)}"' in css and "stFileUploaderDropzoneInstructions" in css


def test_map_scale_is_metric_only():
    import geopandas as gpd
    from shapely.geometry import box

    from ui.maps import build_map

    joined = gpd.GeoDataFrame({"code": ["1"], "name": ["A"], "poor_rate": [0.1], "households": [10.0]},
                              geometry=[box(105.5, 22.0, 105.7, 22.2)], crs=4326)
    html = build_map(joined, "poor_rate").get_root().render()
    assert "L.control.scale({metric: true, imperial: false})" in html
    assert "L.control.scale()" not in html
