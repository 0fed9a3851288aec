"""The docstring examples.

povlib's examples run through ``--doctest-modules`` (pyproject.toml). Here: every povlib module has
examples (except the few listed, which only wire the command line), and the examples of the app-side
modules that have them run (``ui`` is not collected for doctests: its modules import streamlit).
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import povlib

#: modules without examples: the command-line wiring (tested in tests/cli) and a re-export package
WITHOUT_EXAMPLES = {"povlib.__main__", "povlib.cli.intake", "povlib.cli.plan", "povlib.views"}
POVLIB_MODULES = sorted(m.name for m in pkgutil.walk_packages(povlib.__path__, "povlib."))
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples(module) -> int:
    return sum(len(t.examples) for t in doctest.DocTestFinder().find(module))


def test_every_povlib_module_has_examples():
    """Each module has a short runnable example in its docstrings; a module of WITHOUT_EXAMPLES that gains
    examples (or disappears) leaves the list."""
    without = {name for name in POVLIB_MODULES if _examples(importlib.import_module(name)) == 0}
    assert without == WITHOUT_EXAMPLES, {"add an example to": sorted(without - WITHOUT_EXAMPLES),
                                         "remove from WITHOUT_EXAMPLES": sorted(WITHOUT_EXAMPLES - without)}


@pytest.mark.parametrize("name", ["ui.maps"])
def test_app_side_examples_pass(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=OPTIONS)
    assert result.attempted > 0 and result.failed == 0
