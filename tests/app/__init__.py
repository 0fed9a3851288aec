"""Streamlit AppTest of the pages: one page run on its own per test, except the router tests."""
