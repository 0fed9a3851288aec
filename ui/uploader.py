"""The file uploader's fixed texts in the interface's language.

Streamlit 1.67 draws ``st.file_uploader`` with English texts of its own – the button ("Upload") and
the limit line ("50MB per file • CSV, XLSX") – and has no public API or config option to translate
them (``label`` and ``help`` are ours, these two are not). Rather than reach into Streamlit's private
modules or patch its frontend, :func:`localize_uploaders` adds a small style sheet (``st.html`` with
only a ``<style>``: drawn in no space) that hides those two text nodes and writes the catalog's texts in
their place with CSS ``::after``. The selectors use only Streamlit's stable ``data-testid`` attributes
(the ones its own end-to-end tests rely on). Screen readers and the drop zone's behaviour are unchanged;
if a later Streamlit renames a test id, the English text simply shows again (checked by
``tests/e2e/test_lang_browser.py``).
"""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from povlib.i18n import t
from povlib.intake import limits
from povlib.intake.read import SUFFIXES

__all__ = ["uploader_css", "localize_uploaders"]

_ZONE = '[data-testid="stFileUploaderDropzone"]'
_BUTTON_TEXT = f'{_ZONE} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]'
_HINT = f'{_ZONE} [data-testid="stFileUploaderDropzoneInstructions"]'


def _css_string(text: str) -> str:
    r"""``text`` as a CSS string literal: quotes, backslashes, line breaks and ``<`` escaped.

    >>> _css_string('Tải "lên" </style>')
    '"Tải \\"lên\\" \\3c /style>"'
    """
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{out}"'


def uploader_css(lang: str, types: Sequence[str] = tuple(x.lstrip(".") for x in SUFFIXES), max_mb: int = limits.MAX_FILE_MB) -> str:
    """The style sheet that shows the uploader's button and limit line in ``lang`` (catalog texts).

    >>> css = uploader_css("vi")
    >>> '"Chọn tệp"' in css and "CSV, XLSX, XLSM" in css and "stFileUploaderDropzoneInstructions" in css
    True
    """
    button = _css_string(t("upload.button", lang))
    hint = _css_string(t("upload.limit", lang, max_mb=max_mb, types=", ".join(x.upper() for x in types)))
    return (
        "<style>\n"
        f"{_BUTTON_TEXT} p {{display: none;}}\n"
        f"{_BUTTON_TEXT}::after {{content: {button};}}\n"
        f"{_HINT} span {{display: none;}}\n"
        f"{_HINT}::after {{content: {hint}; font-size: 0.875rem; opacity: 0.75;}}\n"
        "</style>"
    )


def localize_uploaders(lang: str, types: Sequence[str] = tuple(x.lstrip(".") for x in SUFFIXES), max_mb: int = limits.MAX_FILE_MB) -> None:
    """Draw :func:`uploader_css` (once per page run, before or after the uploaders)."""
    st.html(uploader_css(lang, types, max_mb))
