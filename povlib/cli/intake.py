"""Commands ``import``, ``versions``, ``undo`` and ``template`` of ``python -m povlib``.

``python -m povlib import FILE [--members FILE] [--year YEAR] [--valid-only] [--by NAME]``
checks a household file (and member file) and stores it as a new version.
With any problem and without ``--valid-only`` it prints every problem (file,
row, column, message), changes nothing and exits with status 1. With
``--valid-only`` it stores the valid rows and still prints the problems;
``--errors-out report.xlsx|.csv`` writes the downloadable problem report.
The file is read within the limits of :mod:`povlib.intake.limits` (the same
as on the data page, with the same messages); the list of problems stops
after :data:`~povlib.intake.limits.MAX_PROBLEMS` and counts the rest. A blank
``--by`` is refused (``import`` and ``undo``). A stored import and an undo
are recorded in the store's audit record (:mod:`povlib.access.audit`) with the
actor ``cli:<login name>`` and the person named by ``--by``.
"""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from ..access import AuditLog
from ..errors import PovlibInputError
from ..export import write_bytes_atomic
from ..i18n import fmt_int, t
from ..intake import TEMPLATE_DIR, Store, errors_to_csv_bytes, errors_to_xlsx_bytes, read_intake, write_templates
from ..intake.store import versions_display
from ..standards import standard_for_year
from .access import actor


def _store(args) -> Store:
    if args.store and Path(args.store).exists() and not Path(args.store).is_dir():  # a file given for the store
        raise PovlibInputError.from_key("files.err.not_a_folder", file=Path(args.store).name, column="--store")
    return Store(args.store) if args.store else Store()


def _add_store_arg(p, lang: str) -> None:
    p.add_argument("--store", default=None, help=t("cli.help.store", lang))


def _import_args(p, lang: str) -> None:
    p.add_argument("file", metavar="FILE", help=t("cli.help.import.file", lang))
    p.add_argument("--members", default=None, metavar="FILE", help=t("cli.help.import.members", lang))
    p.add_argument("--year", type=int, default=None, help=t("cli.help.import.year", lang))
    p.add_argument("--valid-only", action="store_true", help=t("cli.help.import.valid_only", lang))
    p.add_argument("--by", default=None, help=t("cli.help.import.by", lang))
    p.add_argument("--errors-out", default=None, metavar="FILE", help=t("cli.help.import.errors_out", lang))
    p.add_argument("--show-names", action="store_true", help=t("cli.help.import.show_names", lang))
    _add_store_arg(p, lang)


def _print_problems(intake, lang: str) -> None:
    import pandas as pd

    msg = f"message_{lang}"
    for r in intake.errors.itertuples(index=False):
        row = "" if pd.isna(r.row) else f":{int(r.row)}"
        col = f" [{r.column}]" if r.column else ""
        print(f"{r.file}{row}{col} {getattr(r, msg)}", file=sys.stderr)
    rest = intake.n_problems - len(intake.errors)
    if rest > 0:  # the list stops after MAX_PROBLEMS
        print(f"{intake.file_name} " + t("intake.more_problems", lang, n=fmt_int(rest, lang),
                                         limit=fmt_int(len(intake.errors), lang)), file=sys.stderr)


def _person(args) -> str | None:
    """The name recorded in the version: ``--by``, else $POVLIB_USER, else the login; None if blank."""
    by = args.by if args.by is not None else (os.environ.get("POVLIB_USER") or getpass.getuser())
    by = str(by).strip()
    if not by:
        print(t("cli.error", args.lang, msg=t("intake.cli.blank_by", args.lang)), file=sys.stderr)
        return None
    return by


def run_import(args) -> int:
    """Check a review file and store it as a new version."""
    lang = args.lang
    by = _person(args)
    if by is None:
        return 2
    if args.year is not None:
        standard_for_year(args.year)  # a year no standard governs (or not a year: -1, 10**21): said once, up front
    store = _store(args)
    intake = read_intake(args.file, args.members, year=args.year, store=store)
    if args.errors_out and not intake.ok:
        out = Path(args.errors_out)
        data = errors_to_xlsx_bytes(intake, lang, show_names=args.show_names) if out.suffix.lower() == ".xlsx" else \
            errors_to_csv_bytes(intake, lang)
        write_bytes_atomic(out, data)
        print(t("intake.cli.report_written", lang, path=out), file=sys.stderr)
    if not intake.ok:
        _print_problems(intake, lang)
        n = fmt_int(intake.n_problems, lang)
        if not intake.file_ok:
            print(t("intake.cli.file_errors", lang, n=n), file=sys.stderr)
            return 1
        if not args.valid_only:
            valid = intake.n_rows - intake.n_rejected  # no valid row: nothing --valid-only could import
            print(t("intake.cli.errors" if valid else "intake.cli.errors_none_valid", lang, n=n,
                    valid=fmt_int(valid, lang)), file=sys.stderr)
            return 1
        print(t("intake.cli.valid_only", lang, rejected=fmt_int(intake.n_rejected, lang), n=n), file=sys.stderr)
    valid = intake.valid
    if valid.empty:
        print(t("intake.cli.nothing_valid", lang), file=sys.stderr)
        return 1
    info = store.import_intake(intake, imported_by=by, year=args.year)
    AuditLog(store.path).append(actor(), "import", units=sorted(valid["commune_code"].astype(str).unique()),
                                dataset="store", version=str(info.version_id),
                                detail={"file": intake.file_name, "rows": int(info.rows_imported), "by": by})
    print(t("intake.cli.ok", lang, n=fmt_int(info.rows_imported, lang), file=intake.file_name,
            version=info.version_id, total=fmt_int(info.rows_total, lang)))
    if info.rows_replaced:  # an import replaces its communes' years: never silently
        print(t("intake.replaced", lang, n=fmt_int(info.rows_replaced, lang), version=info.version_id))
    return 0


def _versions_args(p, lang: str) -> None:
    _add_store_arg(p, lang)


def run_versions(args) -> int:
    """List the stored versions."""
    import pandas as pd

    v = _store(args).versions()
    if v.empty:
        print(t("intake.page.no_versions", args.lang))
        return 0
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(versions_display(v, args.lang).to_string(index=False))  # as the Data page shows them
    return 0


def _undo_args(p, lang: str) -> None:
    p.add_argument("version", type=int, help=t("cli.help.undo.version", lang))
    p.add_argument("--by", default=None, help=t("cli.help.undo.by", lang))
    _add_store_arg(p, lang)


def run_undo(args) -> int:
    """Undo an import (writes a new version; nothing is deleted)."""
    by = _person(args)
    if by is None:
        return 2
    store = _store(args)
    info = store.undo(args.version, imported_by=by)
    AuditLog(store.path).append(actor(), "undo", dataset="store", version=str(info.version_id),
                                detail={"undone": str(args.version), "by": by})
    print(t("intake.cli.undone", args.lang, version=args.version, latest=info.version_id))
    return 0


def _template_args(p, lang: str) -> None:
    p.add_argument("--out", default=None, help=t("cli.help.template.out", lang))


def run_template(args) -> int:
    """Write the blank household and member templates (.xlsx)."""
    for path in write_templates(args.out or TEMPLATE_DIR):
        print(path)
    return 0


def register(sub, lang: str = "vi") -> None:
    """Add ``import``, ``versions``, ``undo`` and ``template`` to the sub-command parsers ``sub`` (help in ``lang``)."""
    for name, key, add_args, run in (("import", "cli.help.import", _import_args, run_import),
                                     ("versions", "cli.help.versions", _versions_args, run_versions),
                                     ("undo", "cli.help.undo", _undo_args, run_undo),
                                     ("template", "cli.help.template", _template_args, run_template)):
        sp = sub.add_parser(name, help=t(key, lang), description=t(key, lang))
        add_args(sp, lang)
        sp.set_defaults(func=run)
