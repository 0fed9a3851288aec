"""No Streamlit default text in the interface while a page works (issue 10): a spinner says what is going
on in the user's language, never Streamlit's "In progress..."; a cached function shows no
"Running `func(...)`." message (``show_spinner=False``).

The pages' spinners are recorded by wrapping ``st.spinner`` during an AppTest run (a spinner is gone
from the element tree when the run ends); the cache decorators are read from the source.
"""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import streamlit as st

from povlib.i18n import catalog
from tests.support.apptest import open_page

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "app.py", ROOT / "serve.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])
DEFAULT = inspect.signature(st.spinner).parameters["text"].default  # "In progress..."


@pytest.fixture()
def spinners(monkeypatch):
    seen: list[str] = []
    original = st.spinner

    def recording(text: str = DEFAULT, *args, **kwargs):
        seen.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(st, "spinner", recording)
    return seen


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_spinner_speaks_the_users_language(spinners, lang):
    open_page("app_pages/reports.py", year="2019", lang=lang)
    assert spinners, "the reports page builds its tables under a spinner"
    assert DEFAULT not in spinners, spinners
    other = catalog("en" if lang == "vi" else "vi").values()
    assert all(s in catalog(lang).values() and s not in other for s in spinners), spinners


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node


def test_no_spinner_without_text_in_the_sources():
    bare = [f"{p.relative_to(ROOT)}:{c.lineno}" for p in SOURCES for c in _calls(ast.parse(p.read_text("utf-8")))
            if c.func.attr == "spinner" and not c.args and not any(k.arg == "text" for k in c.keywords)]
    assert not bare, f"st.spinner() shows Streamlit's English {DEFAULT!r}: give it a catalog text: {bare}"


def test_cached_functions_show_no_running_message():
    """``@st.cache_data`` / ``@st.cache_resource`` print "Running `f(...)`." in English unless told not to."""
    loud = []
    for p in SOURCES:
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for d in node.decorator_list:
                name = ast.unparse(d.func if isinstance(d, ast.Call) else d)
                if not name.endswith(("cache_data", "cache_resource")):
                    continue
                quiet = isinstance(d, ast.Call) and any(
                    k.arg == "show_spinner" and isinstance(k.value, ast.Constant) and k.value.value is False
                    for k in d.keywords)
                if not quiet:
                    loud.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not loud, loud
