"""The string catalogs: complete in both languages, same placeholders, no unused key.

Every user-facing string lives in ``povlib/locale/<lang>/LC_MESSAGES/povlib.po``.
A key is *used* when it appears as a string literal anywhere in the code
(``t("status.poor")``, ``from_key("...")``, a key kept in a table) or when an
f-string key's literal prefix covers it (``t(f"status.{s}")`` uses every
``status.*`` key).
"""
from __future__ import annotations

import ast
import re
import string

import pytest
from babel.messages.pofile import read_po

from povlib import i18n, paths

ROOT = paths.PROJECT_DIR
CODE = [*(ROOT / "povlib").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), *(ROOT / "app_pages").rglob("*.py"),
        ROOT / "app.py"]
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]+)+$")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _po(lang: str):
    with (paths.LOCALE_DIR / lang / "LC_MESSAGES" / "povlib.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def test_both_catalogs_have_the_same_keys_and_no_empty_text():
    vi, en = i18n.catalog("vi"), i18n.catalog("en")
    assert set(vi) == set(en), {"only_vi": sorted(set(vi) - set(en)), "only_en": sorted(set(en) - set(vi))}
    empty = [k for k in vi if not vi[k].strip() or not en[k].strip()]
    assert not empty, empty


def test_placeholders_agree_between_languages():
    vi, en = i18n.catalog("vi"), i18n.catalog("en")
    bad = {k: (_fields(vi[k]), _fields(en[k])) for k in vi if _fields(vi[k]) != _fields(en[k])}
    assert not bad, bad


def test_catalog_files_are_valid_gettext_and_sorted():
    for lang in i18n.LANGS:
        ids = [m.id for m in _po(lang) if m.id]
        assert ids == sorted(ids), f"{lang}: entries not sorted by key (merge-friendly order)"
        assert len(ids) == len(set(ids))


def _used_literals_and_prefixes() -> tuple[set[str], set[str]]:
    literals: set[str] = set()
    prefixes: set[str] = set()
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = str(node.values[0].value)
                if "." in head and KEY_RE.match(head + "x"):
                    prefixes.add(head)
    return literals, prefixes


def test_every_key_is_used_somewhere():
    literals, prefixes = _used_literals_and_prefixes()
    unused = [k for k in i18n.catalog("vi")
              if k not in literals and not any(k.startswith(p) for p in prefixes)]
    assert not unused, f"{len(unused)} keys are used nowhere (delete them or use them): {unused[:40]}"


def test_every_literal_key_passed_to_t_exists():
    missing = []
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and ((isinstance(node.func, ast.Name) and node.func.id == "t")
                         or (isinstance(node.func, ast.Attribute) and node.func.attr == "from_key"))):
                key = node.args[0].value
                if not i18n.has(key):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {key}")
    assert not missing, missing


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_unknown_key_is_an_error(lang):
    with pytest.raises(KeyError):
        i18n.t("no.such.key", lang)
