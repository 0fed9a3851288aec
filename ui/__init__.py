"""App-side helpers of the dashboard (may import streamlit; povlib never imports this).

One topic per module:

* :mod:`ui.cache`   – the only place with ``st.cache_data`` / ``st.cache_resource``;
* :mod:`ui.filters` – the shared sidebar filters bound to ``st.query_params``;
* :mod:`ui.theme`   – status and flow colours and the Plotly layout used by every chart;
* :mod:`ui.charts`  – small Plotly figure builders with Vietnamese hover text;
* :mod:`ui.layout`  – page header, footer note, metric cards (``*_ui`` helpers).
"""

# Streamlit 1.67 switches to the legacy "pages/ directory" mode (MPA v1) when a ``pages/``
# folder sits next to the main script, until ``st.navigation`` has run once in the process.
# If the very first request after the server starts is a page URL (e.g. /overview), that
# page would run on its own, without app.py's router and filters. Importing ``ui`` (every
# page does) turns the legacy mode off; ``ui.filters.current()`` then reruns through app.py.
try:  # pragma: no cover - depends on Streamlit internals; harmless if they move
    from streamlit.runtime.pages_manager import PagesManager as _PagesManager

    _PagesManager.uses_pages_directory = False
except Exception:  # noqa: BLE001
    pass
