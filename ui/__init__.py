"""App-side helpers of the dashboard (may import streamlit; povlib never imports this).

One topic per module:

* :mod:`ui.cache`   – the only place with ``st.cache_data`` / ``st.cache_resource``;
* :mod:`ui.filters` – the shared sidebar filters bound to ``st.query_params``;
* :mod:`ui.theme`   – status and flow colours and the Plotly layout used by every chart;
* :mod:`ui.charts`  – small Plotly figure builders with Vietnamese hover text;
* :mod:`ui.plotly_view` – draws those figures (plotly.js served by ``serve.py``, else ``st.plotly_chart``);
* :mod:`ui.maps`    – the folium choropleth (served offline) and the map page's tables;
* :mod:`ui.layout`  – page header, footer note, metric cards (``*_ui`` helpers);
* :mod:`ui.escape`  – escaping user text for Markdown/HTML;
* :mod:`ui.nav`     – the page list (file, url path, title key, icon) read by app.py and the tests.
* :mod:`ui.routes`  – where ``serve.py``'s own routes live under ``server.baseUrlPath``, and the pages' links to them.

The pages live in ``app_pages/`` (not ``pages/``, which Streamlit would treat as its
legacy multipage folder); ``app.py`` is the router.
"""
