"""The command line: one argparse program, ``python -m povlib`` or the ``povlib`` script.

Each module of this package adds its sub-commands with ``register(sub)``:

* :mod:`povlib.cli.core`   – ``generate``, ``classify``, ``summary``;
* :mod:`povlib.cli.national` – ``generate --scope vietnam`` and its alias ``generate-national`` (the
  national dataset, partitioned Parquet);
* :mod:`povlib.cli.intake` – ``import``, ``versions``, ``undo``, ``template``;
* :mod:`povlib.cli.report` – ``report``;
* :mod:`povlib.cli.plan`   – ``plan``;
* :mod:`povlib.cli.access` – ``users``, ``audit`` (built-in accounts, the audit record).

The command line is the operator's tool: whoever runs it on the server acts
with the server's rights, and names the person recorded in a version with
``--by`` (default: the login name). The ``users`` and ``audit`` commands record
their changes in the audit record as ``cli:<login name>``.

Messages and help are Vietnamese by default, English with ``--lang en``
(given before the sub-command: ``python -m povlib --lang en report --help``);
:func:`main` reads ``--lang`` first and builds the parser in that language.

Examples
--------
>>> from povlib.cli import build_parser
>>> sorted(build_parser()._subparsers._group_actions[0].choices)[:5]
['audit', 'classify', 'generate', 'generate-national', 'import']
>>> build_parser("en").description
'Poverty-review analytics (Chợ Đồn dashboard).'
>>> lang_of(["--lang", "en", "report", "--help"]), lang_of(["report", "--help"]), lang_of(["--lang=xx"])
('en', 'vi', 'vi')
"""
from __future__ import annotations

import sys

from ..errors import PovlibInputError, os_reason
from ..i18n import LANGS, t
from . import access, core, intake, national, plan, report
from .parser import Parser

__all__ = ["build_parser", "lang_of", "main"]

#: the modules that add sub-commands, in the order of ``--help``
COMMAND_MODULES = (core, national, intake, report, plan, access)


def build_parser(lang: str = "vi") -> Parser:
    """The argument parser with every sub-command, its help in ``lang``."""
    p = Parser(prog="python -m povlib", description=t("cli.help.description", lang), lang=lang)
    p.add_argument("--lang", choices=LANGS, default="vi", help=t("cli.help.lang", lang))
    sub = p.add_subparsers(dest="command", required=True, metavar=t("cli.argparse.command", lang))
    for module in COMMAND_MODULES:
        module.register(sub, lang)
    return p


def lang_of(argv: list[str]) -> str:
    """The language asked for with ``--lang`` in ``argv`` (``'vi'`` when absent or unknown).

    A look ahead of the real parse, so that the help is built in that
    language; a wrong value is then reported by the real parser.
    """
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        return value if value in LANGS else "vi"
    return "vi"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 with a message for bad input)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(lang_of(argv)).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except PovlibInputError as err:
        print(t("cli.error", args.lang, msg=err.message(args.lang)), file=sys.stderr)
        return 2
    except OSError as err:  # unreadable input, unwritable output folder, full disk: a message, not a traceback
        msg = t("sec.file_error", args.lang, name=err.filename or "", detail=os_reason(err, args.lang))
        print(t("cli.error", args.lang, msg=msg), file=sys.stderr)
        return 2
