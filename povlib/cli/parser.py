"""argparse in the interface language: the usage line, the headings, ``-h`` and argparse's own error messages.

Python's argparse writes ``usage:``, ``options:``, ``show this help message and exit`` and its errors
(``invalid int value``, ``the following arguments are required``) in English whatever the language of the
program. :class:`Parser` writes them from the catalog (``cli.argparse.*``); its sub-command parsers are
:class:`Parser` s of the same language.

Examples
--------
>>> p = Parser(prog="povlib", lang="vi")
>>> _ = p.add_argument("--year", type=int)
>>> p.format_help().splitlines()[0], "tùy chọn:" in p.format_help()
('Cách dùng: povlib [-h] [--year YEAR]', True)
>>> translate_error("argument --year: invalid int value: 'abc'", "vi")
"tham số --year: 'abc' không phải một số nguyên"
>>> translate_error("the following arguments are required: --out", "vi")
'thiếu tham số bắt buộc: --out'
>>> translate_error("something argparse may say one day", "vi")
'something argparse may say one day'
"""
from __future__ import annotations

import argparse
import functools
import re
import sys

from ..i18n import t

__all__ = ["Parser", "translate_error"]

#: argparse's error messages (Python 3.11–3.13) and the catalog keys that say them; a message not listed is
#: shown as argparse wrote it
_ERRORS = (
    (re.compile(r"^argument (?P<arg>.+?): invalid (?P<type>int|float) value: (?P<value>.+)$"), "cli.argparse.invalid_value"),
    (re.compile(r"^argument (?P<arg>.+?): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$"),
     "cli.argparse.invalid_choice"),
    (re.compile(r"^argument (?P<arg>.+?): expected one argument$"), "cli.argparse.expected_one"),
    (re.compile(r"^the following arguments are required: (?P<args>.+)$"), "cli.argparse.required"),
    (re.compile(r"^unrecognized arguments: (?P<args>.+)$"), "cli.argparse.unrecognized"),
    (re.compile(r"^ambiguous option: (?P<option>.+?) could match (?P<matches>.+)$"), "cli.argparse.ambiguous"),
)


def translate_error(message: str, lang: str = "vi") -> str:
    """argparse's error ``message`` in ``lang`` (unchanged when it is not one of :data:`_ERRORS`)."""
    for pattern, key in _ERRORS:
        m = pattern.match(message)
        if m:
            args = m.groupdict()
            if "type" in args:
                args["type"] = t(f"cli.argparse.type.{args['type']}", lang)
            return t(key, lang, **args)
    return message


class _Formatter(argparse.HelpFormatter):
    lang = "vi"

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, t("cli.argparse.usage", self.lang) + " " if prefix is None
                                 else prefix)


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` that speaks ``lang``: usage, headings, ``-h``, errors."""

    def __init__(self, *args, lang: str = "vi", **kwargs) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", type("Formatter", (_Formatter,), {"lang": lang}))
        super().__init__(*args, **kwargs)
        self.lang = lang
        # the two default groups' headings (argparse names them in English when it creates them)
        self._positionals.title = t("cli.argparse.positionals", lang)
        self._optionals.title = t("cli.argparse.options", lang)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("cli.argparse.help", lang))

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", functools.partial(Parser, lang=self.lang))
        kwargs.setdefault("title", t("cli.argparse.commands", self.lang))
        return super().add_subparsers(**kwargs)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.argparse.error", self.lang, prog=self.prog, msg=translate_error(message, self.lang)) + "\n")
