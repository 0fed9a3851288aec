"""Money: amount formulas evaluated safely and exactly, rounding, and reading amounts in VND.

A policy's unit amount is either a whole number of VND or a formula over named
parameters (``base_salary * health_insurance_rate_percent / 100 * 12``). Only
numbers, parameter names, ``+ - * /`` and parentheses are allowed; the formula
is evaluated with exact fractions and rounded to whole VND, halves up.

Examples
--------
>>> from fractions import Fraction
>>> eval_amount("base_salary * rate / 100 * 12", {"base_salary": 1_490_000, "rate": 4.5})
804600
>>> round_half_up(Fraction(5, 2)), parse_money(150000.0, "learning_cost"), parse_money(None, "x")
(3, 150000, None)
>>> formula_names("a * (b + 2)")
['a', 'b']
>>> parse_amount_text("25.000.000"), parse_amount_text("25000000 đồng")
(25000000, 25000000)
"""
from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Mapping
from fractions import Fraction

import pandas as pd

from ..errors import PovlibInputError
from ..i18n import LANGS, fmt_num, t

__all__ = ["eval_amount", "formula_names", "formula_words", "parse_amount_text", "parse_money", "round_half_up"]

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def formula_names(formula: str) -> list[str]:
    """The parameter names a formula uses, in order of appearance."""
    tree = ast.parse(formula, mode="eval")
    return [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]


_WORD_OPS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}
_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}


def formula_words(formula: str, labels: Mapping[str, str], lang: str = "vi") -> str:
    """A formula as people read it: parameter labels (from the catalog), ``× ÷``, numbers in ``lang``.

    The machine formula stays in the rules; this is only its text for tables.

    Examples
    --------
    >>> formula_words("base_salary * rate / 100 * 12", {"base_salary": "Lương cơ sở", "rate": "tỷ lệ (%)"})
    'Lương cơ sở × tỷ lệ (%) ÷ 100 × 12'
    >>> formula_words("(a + b) * 1.5", {"a": "A", "b": "B"}, "en")
    '(A + B) × 1.5'
    """
    def words(node: ast.AST, parent: int = 0, right: bool = False) -> str:
        if isinstance(node, ast.BinOp) and type(node.op) in _WORD_OPS:
            prec = _PREC[type(node.op)]
            text = f"{words(node.left, prec)} {_WORD_OPS[type(node.op)]} {words(node.right, prec, True)}"
            return f"({text})" if prec < parent or (right and prec == parent) else text
        if isinstance(node, ast.Name):
            return labels.get(node.id, node.id)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            v = node.value
            return fmt_num(v, lang, 0 if float(v).is_integer() else len(repr(float(v)).split(".")[1]))
        return ast.unparse(node)

    return words(ast.parse(formula, mode="eval").body)


def round_half_up(x: Fraction) -> int:
    """Round a non-negative exact fraction to the nearest integer, halves up."""
    return int((2 * x.numerator + x.denominator) // (2 * x.denominator))


def eval_amount(formula: str, values: Mapping[str, int | float]) -> int:
    """Evaluate an amount formula exactly and round to whole VND.

    Only numbers, parameter names, ``+ - * /`` and parentheses are allowed.

    Raises
    ------
    PovlibInputError
        Syntax error, anything else than the allowed operations, an undeclared
        parameter, or a negative result.

    Examples
    --------
    >>> eval_amount("base_salary * rate / 100 * 12", {"base_salary": 1_490_000, "rate": 4.5})
    804600
    """
    def ev(node) -> Fraction:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return Fraction(str(node.value))
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise PovlibInputError.from_key("plan.err.formula_undeclared", formula=formula, name=node.id)
            return Fraction(str(values[node.id]))
        raise PovlibInputError.from_key("plan.err.formula_invalid_ops", formula=formula)

    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise PovlibInputError.from_key("plan.err.formula_invalid", formula=formula) from exc
    val = ev(tree)
    if val < 0:
        raise PovlibInputError.from_key("plan.err.formula_negative", formula=formula)
    return round_half_up(val)


def parse_money(v: object, what: str) -> int | None:
    """An amount in VND: a non-negative whole number, or None (unknown) for a missing value.

    ``what`` names the policy or intervention in the error message.
    """
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        f = float("nan")
    if not math.isfinite(f) or f < 0 or f != int(f):
        raise PovlibInputError.from_key("plan.err.money", column="unit_amount", what=what, value=repr(v))
    return int(f)


# digits grouped by three (1.234.567, 1,234,567, 1 234 567) or not grouped at all
_GROUPED = re.compile(r"\d{1,3}(?:([.,\u00a0\u202f ])\d{3})?(?:\1\d{3})*")


def parse_amount_text(text: str, lang: str = "vi") -> int:
    """A whole amount of VND typed in a text box: ``"25.000.000"``, ``"25000000"``, ``"25 000 000 đồng"``.

    Digits may be grouped by three with dots (Vietnamese), commas (English) or spaces, one separator
    throughout; the currency written after it (``đồng``, ``VND``) is allowed. Decimals and negative numbers are refused
    (amounts are whole VND).

    Raises
    ------
    PovlibInputError
        Anything else, with a message in both languages that shows how to write an amount.

    Examples
    --------
    >>> parse_amount_text("25.000.000"), parse_amount_text(" 1,490,000 VND"), parse_amount_text("0")
    (25000000, 1490000, 0)
    >>> parse_amount_text("25.000,5")
    Traceback (most recent call last):
    ...
    povlib.errors.PovlibInputError: Mức tiền phải là số đồng nguyên, không âm, viết như 25.000.000; nhận: «25.000,5».
    """
    raw = str(text if text is not None else "")
    s = raw.strip()
    for unit in {t("unit.vnd", lg).casefold() for lg in LANGS}:  # "đồng", "VND"
        if s.casefold().endswith(unit):
            s = s[: len(s) - len(unit)].strip()
    if not s.isdigit() and not _GROUPED.fullmatch(s):
        raise PovlibInputError.from_key("plan.err.amount_text", value=raw.strip())
    return int(re.sub(r"\D", "", s))
