"""The shipped Streamlit configuration is safe by default (issue 15, item 3)."""
from __future__ import annotations

import tomllib

from povlib import paths

CONFIG = tomllib.loads((paths.PROJECT_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_listens_on_loopback_only():
    """Every interface was the default, and Streamlit then asked an outside service for the external IP."""
    assert CONFIG["server"]["address"] == "127.0.0.1"


def test_hides_tracebacks_from_users():
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_keeps_xsrf_protection_and_sends_no_usage_statistics():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["browser"]["gatherUsageStats"] is False
