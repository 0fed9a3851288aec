"""End-to-end: Playwright in headless Chromium against ``streamlit run``."""
