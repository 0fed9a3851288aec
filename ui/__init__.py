"""App-side helpers of the dashboard (may import streamlit; povlib never imports this).

One topic per module:

* :mod:`ui.cache`   – the only place with ``st.cache_data`` / ``st.cache_resource``;
* :mod:`ui.filters` – the shared sidebar filters bound to ``st.query_params``;
* :mod:`ui.theme`   – status and flow colours and the Plotly layout used by every chart;
* :mod:`ui.charts`  – small Plotly figure builders with Vietnamese hover text;
* :mod:`ui.maps`    – the folium choropleth (served offline) and the map page's tables;
* :mod:`ui.layout`  – page header, footer note, metric cards (``*_ui`` helpers);
* :mod:`ui.nav`     – the page list (file, url path, title key, icon) read by app.py and the tests.
"""

# Streamlit 1.67 switches to the legacy "pages/ directory" mode (MPA v1) when a ``pages/``
# folder sits next to the main script, until ``st.navigation`` has run once in the process
# (AppTest even resets it before every run). In that mode a page URL (e.g. /overview) runs the
# page file on its own, without app.py's router and filters. ``ui.filters.current()`` notices
# (the page is not running inside ``ui.filters.run_page``), turns the legacy mode off and
# reruns, which goes through app.py.


def disable_legacy_pages() -> None:
    """Turn off Streamlit's legacy pages/ directory mode (see above)."""
    try:  # pragma: no cover - depends on Streamlit internals; harmless if they move
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
    except Exception:  # noqa: BLE001
        pass


disable_legacy_pages()
