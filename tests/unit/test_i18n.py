"""The string catalogs: complete in both languages, same placeholders, no unused key.

Every user-facing string lives in ``povlib/locale/<lang>/LC_MESSAGES/povlib.po``.
A key is *used* when it appears as a string literal anywhere in the code
(``t("status.poor")``, ``from_key("...")``, a key kept in a table) or when an
f-string key's literal prefix covers it (``t(f"status.{s}")`` uses every
``status.*`` key); the keys of the shipped data (``std.*``, ``policy.*``,
``territory.*``, ``intake.header.*``…) must match the ids in the data files.
No Vietnamese string literal is left in the code outside docstrings, comments
and a short allow-list of data that is not UI text (:data:`ALLOWED_VIETNAMESE`).
"""
from __future__ import annotations

import ast
import re
import string
import tomllib
import unicodedata

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
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t_count"
                  and node.args and isinstance(node.args[0], ast.Constant)):  # t_count(key, n): key.one / key.other
                prefixes.add(f"{node.args[0].value}.")
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


# --- no user-facing text outside the catalog ---------------------------------------------------
#: Vietnamese letters after NFD: đ/Đ, or a combining breve, circumflex, horn or tone mark
#: (ă â ê ô ơ ư and the five tones).
VIETNAMESE = re.compile("[đĐ\u0306\u0302\u031b\u0300\u0301\u0303\u0309\u0323]")

#: (file, function or module-level name; "*" = the whole file) -> why its Vietnamese literals are not UI text
ALLOWED_VIETNAMESE = {
    ("povlib/synth/names.py", "*"): "synthetic people's and villages' names the generator draws from (data)",
    ("povlib/synth/generator.py", "_TOWN_TYPES"): "unit types of towns in the GSO code list (values of unit_type)",
    ("povlib/geo/layers.py", "_CITY"): "unit type that begins official district names (read from the names)",
    ("povlib/geo/layers.py", "_RURAL_DISTRICT"): "unit type that begins official district names (read from the names)",
    ("povlib/intake/templates.py", "_AREA_CELLS"): "the template's cell vocabulary (what a commune types; parsed back)",
    ("povlib/intake/templates.py", "_BOOL_CELLS"): "the template's cell vocabulary (what a commune types; parsed back)",
    ("povlib/intake/templates.py", "_SEX_CELLS"): "the template's cell vocabulary (what a commune types; parsed back)",
    ("povlib/intake/templates.py", "_TONES"): "the tone marks split off for the Windows-1258 encoding",
    ("povlib/intake/schema.py", "header_key"): "folds đ/Đ to d/D to match headers typed without diacritics",
    ("povlib/planning/difficult.py", "BOOL_TEXT"): "yes/no spellings accepted in the communes list (input parsing)",
    ("povlib/planning/save.py", "_HEADER"): "comment lines at the top of a written policies file (a TOML comment)",
    ("povlib/planning/save.py", "_OVERRIDES_HEADER"): "comment lines at the top of the overrides file (a TOML comment)",
}


def _owners(tree: ast.Module) -> dict[int, str]:
    """id(node) -> the name that owns it: its outermost function or class, else its module-level assignment."""
    owner: dict[int, str] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = stmt.name
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            name = ",".join(ast.unparse(t) for t in targets)
        else:
            name = f"<line {stmt.lineno}>"
        for node in ast.walk(stmt):
            owner[id(node)] = name
    return owner


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings (or other bare string statements)."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def vietnamese_literals(files, root=ROOT) -> list[str]:
    """``file:line owner 'text'`` of every Vietnamese string literal outside docstrings and the allow-list."""
    found = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        if (rel, "*") in ALLOWED_VIETNAMESE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner, docs = _owners(tree), _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                    and VIETNAMESE.search(unicodedata.normalize("NFD", node.value))
                    and (rel, owner.get(id(node), "")) not in ALLOWED_VIETNAMESE):
                found.append(f"{rel}:{node.lineno} {owner.get(id(node))} {node.value[:60]!r}")
    return found


def test_no_vietnamese_text_outside_the_catalog():
    found = vietnamese_literals(CODE)
    assert not found, ("user-facing text belongs in povlib/locale/<lang>/LC_MESSAGES/povlib.po (use t(key, lang) or "
                       f"PovlibInputError.from_key); data that is not UI text goes in ALLOWED_VIETNAMESE: {found}")


def test_the_vietnamese_check_finds_a_literal(tmp_path):
    (tmp_path / "page.py").write_text('"""Trang tổng quan (a docstring is fine)."""\n'
                                      '# Chú thích (a comment is fine)\n'
                                      'LABELS = {"vi": "Hộ nghèo", "en": "Poor"}\n'
                                      'msg = f"Thiếu cột {1}"\n', encoding="utf-8")
    found = vietnamese_literals([tmp_path / "page.py"], root=tmp_path)
    assert [f.split(" ")[0] for f in found] == ["page.py:3", "page.py:4"]


def test_every_allow_listed_name_exists_and_still_holds_vietnamese():
    """The allow-list stays short and true: each entry names a file and a name that need it."""
    for (rel, name), why in ALLOWED_VIETNAMESE.items():
        assert why
        path = ROOT / rel
        assert path.exists(), rel
        if name == "*":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner, docs = _owners(tree), _docstrings(tree)
        assert any(isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
                   and owner.get(id(n)) == name and VIETNAMESE.search(unicodedata.normalize("NFD", n.value))
                   for n in ast.walk(tree)), f"{rel}: {name} is allow-listed but holds no Vietnamese literal"


def test_builtin_data_files_carry_ids_not_labels():
    """Labels of the shipped rules, policies and territories are in the catalog, not in the data files."""
    # a province's own standard (rules/local/) has no catalog keys: it writes its name itself (README, standards)
    files = [*(f for f in paths.RULES_DIR.rglob("*.toml") if "local" not in f.relative_to(paths.RULES_DIR).parts),
             paths.GEO_DIR / "territories.toml"]
    label = re.compile(r"^\s*(label|name|title|definition|description|district_note)_(vi|en)\s*=", re.M)
    offenders = [f.relative_to(ROOT).as_posix() for f in files if label.search(f.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def _data_keys() -> set[str]:
    """The catalog keys the shipped data files need: one per id (standards, policies, territories, columns)."""

    def load(path):
        with open(path, "rb") as fh:
            return tomllib.load(fh)

    keys: set[str] = set()
    for f in paths.RULES_DIR.glob("*.toml"):
        d = load(f)
        sid = d["id"]
        keys |= {f"std.{sid}.name", f"std.{sid}.short"}  # the short name: chart labels of a change of standard
        keys |= {f"std.{sid}.dimension.{x['id']}" for x in d["dimensions"]}
        keys |= {f"std.{sid}.indicator.{x['id']}" for x in d["indicators"]}
        keys |= {f"std.{sid}.definition.{x['id']}" for x in d["indicators"]
                 if i18n.has(f"std.{sid}.definition.{x['id']}")}  # definitions are optional
    pol = load(paths.RULES_DIR / "policies" / "policies.toml")
    keys |= {f"policy_set.{pol['id']}.title", f"policy_set.{pol['id']}.district_note"}
    keys |= {f"param.{x['id']}.{what}" for x in pol["parameters"] for what in ("label", "unit", "source")}
    keys |= {f"policy.{x['id']}.name" for x in pol["policies"]}
    keys |= {f"policy.{x['id']}.source" for x in pol["policies"] if x.get("source")}
    keys |= {f"policy.{x['id']}.legal_basis" for x in pol["policies"] if x.get("legal_basis")}
    keys |= {f"intervention.{x['id']}.name" for x in pol["interventions"]}
    keys |= {f"territory.{k}.name" for k in load(paths.GEO_DIR / "territories.toml")}
    cols = load(paths.RULES_DIR / "intake" / "columns.toml")
    for table in ("household", "member"):
        keys |= {f"intake.{what}.{table}.{c['name']}" for c in cols[table] for what in ("header", "description")}
    return keys


def test_data_keys_match_the_data_files():
    """Every shipped id has its text in the catalog, and no text is left for an id the data no longer has."""
    prefixes = ("std.", "policy_set.", "param.", "policy.", "intervention.", "territory.", "intake.header.",
                "intake.description.")
    have = {k for k in i18n.catalog("vi") if k.startswith(prefixes)}
    need = _data_keys()
    assert have == need, {"missing": sorted(need - have), "unused": sorted(have - need)}


def test_english_writes_percent_without_a_space():
    """English writes 15.86% (as fmt_pct does), Vietnamese 15,86 %: no English message puts a space before %
    after a number or a placeholder (sweeps of the exports found "70 %", "{full} %")."""
    import re

    bad = [k for k, v in i18n.catalog("en").items() if re.search(r"(\d|\})\s%", v)]
    assert not bad, bad
    assert i18n.fmt_pct(0.1586, "en") == "15.86%" and i18n.fmt_pct(0.1586, "vi") == "15,86 %"
