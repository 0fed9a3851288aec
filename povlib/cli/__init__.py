"""The command line: one argparse program, ``python -m povlib`` or the ``povlib`` script.

Each module of this package adds its sub-commands with ``register(sub)``:

* :mod:`povlib.cli.core`   – ``generate``, ``classify``, ``summary``;
* :mod:`povlib.cli.intake` – ``import``, ``versions``, ``undo``, ``template``;
* :mod:`povlib.cli.report` – ``report``;
* :mod:`povlib.cli.plan`   – ``plan``.

The command line is the operator's tool: whoever runs it on the server acts
with the server's rights, and names the person recorded in a version with
``--by`` (default: the login name).

Examples
--------
>>> from povlib.cli import build_parser
>>> sorted(build_parser()._subparsers._group_actions[0].choices)[:3]
['classify', 'generate', 'import']
"""
from __future__ import annotations

import argparse
import sys

from ..errors import PovlibInputError
from ..i18n import t
from . import core, intake, plan, report

__all__ = ["build_parser", "main"]

#: the modules that add sub-commands, in the order of ``--help``
COMMAND_MODULES = (core, intake, report, plan)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    p = argparse.ArgumentParser(prog="python -m povlib", description="Poverty-review analytics (Chợ Đồn dashboard).")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of messages (default vi)")
    sub = p.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 with a message for bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except PovlibInputError as err:
        print(t("cli.error", args.lang, msg=err.message(args.lang)), file=sys.stderr)
        return 2
    except OSError as err:  # unreadable input, unwritable output folder, full disk: a message, not a traceback
        msg = t("sec.file_error", args.lang, name=err.filename or "", detail=err.strerror or str(err))
        print(t("cli.error", args.lang, msg=msg), file=sys.stderr)
        return 2
