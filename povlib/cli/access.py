"""Commands ``users`` and ``audit`` of ``python -m povlib``: the built-in accounts and the audit record.

``python -m povlib users add NAME --role ROLE [--display TEXT] [--scope CODE ...] [--from DATE] [--to DATE]``
(``--admin`` for ``--role administrator``: the first administrator at setup),
``users list``, ``users disable NAME``, ``users enable NAME``, ``users passwd NAME``,
``users grant NAME CODE [--from DATE] [--to DATE]``, ``users revoke NAME CODE``;
``python -m povlib audit show [--last N]``, ``audit verify``, ``audit export --out FILE.csv|.xlsx``.

A password is read with ``getpass`` (asked twice) or, with ``--password-stdin``,
as the first line of standard input – never from the command line, where other
users and the shell history would see it.

The command line is the operator's tool: whoever runs it on the server acts
with the server's rights, not as an account. Each change it makes is recorded
in the audit record with the actor ``cli:<login name>``.

Examples
--------
>>> actor().startswith("cli:")
True
>>> from povlib.cli import build_parser
>>> args = build_parser("en").parse_args(["users", "grant", "lan.nt", "02023", "--from", "2020-01-01"])
>>> args.func.__name__, args.code, _dates(args)
('run_users_grant', '02023', (datetime.date(2020, 1, 1), None))
"""
from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from ..access import AccountStore, AuditLog, audit_csv_bytes, audit_table, audit_xlsx_bytes
from ..access.accounts import local_time
from ..access.roles import make_scope, role_ids, role_label, scopes_display, scopes_text
from ..errors import PovlibInputError
from ..export import write_bytes_atomic
from ..i18n import t

__all__ = ["register", "actor"]


def actor() -> str:
    """``cli:<login name>``: who the audit record says acted through the command line."""
    try:
        who = getpass.getuser()
    except OSError:
        who = str(os.getuid())
    return f"cli:{who}"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PovlibInputError.from_key("access.err.bad_date", value=text) from None


def _dates(args) -> tuple[dt.date | None, dt.date | None]:
    return (_date(args.valid_from) if args.valid_from else None, _date(args.valid_to) if args.valid_to else None)


def _read_password(args, *, confirm: bool = True) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    try:
        first = getpass.getpass(t("access.cli.password_prompt", args.lang))
        if confirm and getpass.getpass(t("access.cli.password_again", args.lang)) != first:
            raise PovlibInputError.from_key("access.err.password_mismatch")
    except EOFError:  # no terminal to ask on and nothing on the input (a script, a service): say how to give it
        raise PovlibInputError.from_key("access.err.no_terminal") from None
    return first


def _stores(args) -> tuple[AccountStore, AuditLog]:
    return AccountStore(args.store), AuditLog(args.store)


def _store_arg(p, lang: str) -> None:
    p.add_argument("--store", default=None, help=t("cli.help.store", lang))


def _password_arg(p, lang: str) -> None:
    p.add_argument("--password-stdin", action="store_true", help=t("cli.help.users.password_stdin", lang))


def _dates_args(p, lang: str) -> None:
    p.add_argument("--from", dest="valid_from", default=None, metavar="YYYY-MM-DD",
                   help=t("cli.help.users.from", lang))
    p.add_argument("--to", dest="valid_to", default=None, metavar="YYYY-MM-DD",
                   help=t("cli.help.users.to", lang))


# --- users -----------------------------------------------------------------------------------------
def run_users_add(args) -> int:
    store, log = _stores(args)
    role = "administrator" if args.admin else args.role
    if role is None:
        raise PovlibInputError.from_key("access.err.role_needed", known=", ".join(role_ids()))
    scopes = tuple(make_scope(c, *_dates(args), role=role) for c in args.scope)
    if store.get(args.name) is not None:  # before asking for a password
        raise PovlibInputError.from_key("access.err.account_exists", name=args.name)
    acct = store.add(args.name, _read_password(args), role, display_name=args.display or "", scopes=scopes)
    log.append(actor(), "account_add", units=[s.unit_code for s in scopes],
               detail={"user": acct.username, "role": role, "scopes": scopes_text(scopes)})
    print(t("access.cli.added", args.lang, name=acct.username, role=role_label(role, args.lang)))
    return 0


def run_users_list(args) -> int:
    store, _ = _stores(args)
    accounts = store.accounts()
    if not accounts:
        print(t("access.cli.no_accounts", args.lang))
        return 0
    import pandas as pd

    lang = args.lang
    rows = []
    for a in accounts:
        _, until = store.throttle_state(a.username)
        rows.append({t("access.col.username", lang): a.username,
                     t("access.col.display_name", lang): a.display_name,
                     t("access.col.role", lang): role_label(a.role, lang),
                     t("access.col.scopes", lang): scopes_display(a.scopes, lang) or "-",
                     t("access.col.state", lang): t("access.state.disabled", lang) if a.disabled else
                     (t("access.state.locked", lang, until=local_time(until, lang)) if until else
                      t("access.state.active", lang)),
                     t("access.col.changed", lang): local_time(a.changed, lang)})
    with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", 80):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0


def _set_disabled(args, disabled: bool) -> int:
    store, log = _stores(args)
    acct = store.set_disabled(args.name, disabled)
    log.append(actor(), "account_disable" if disabled else "account_enable", detail={"user": acct.username})
    print(t("access.cli.disabled" if disabled else "access.cli.enabled", args.lang, name=acct.username))
    return 0


def run_users_disable(args) -> int:
    return _set_disabled(args, True)


def run_users_enable(args) -> int:
    return _set_disabled(args, False)


def run_users_passwd(args) -> int:
    store, log = _stores(args)
    if store.get(args.name) is None:
        raise PovlibInputError.from_key("access.err.no_account", name=args.name)
    acct = store.set_password(args.name, _read_password(args))
    log.append(actor(), "account_passwd", detail={"user": acct.username})
    print(t("access.cli.passwd", args.lang, name=acct.username))
    return 0


def run_users_link(args) -> int:
    store, log = _stores(args)
    if store.get(args.name) is None:
        raise PovlibInputError.from_key("access.err.no_account", name=args.name)
    acct = store.set_identity(args.name, args.identity)
    log.append(actor(), "account_link", detail={"user": acct.username, "identity": acct.identity})
    if acct.identity:
        print(t("access.cli.linked", args.lang, name=acct.username, identity=acct.identity))
    else:
        print(t("access.cli.unlinked", args.lang, name=acct.username))
    return 0


def run_users_grant(args) -> int:
    store, log = _stores(args)
    current = store.get(args.name)
    if current is None:
        raise PovlibInputError.from_key("access.err.no_account", name=args.name)
    scope = make_scope(args.code, *_dates(args), role=current.role)
    acct = store.grant(args.name, scope)
    log.append(actor(), "account_grant", units=[scope.unit_code], detail={"user": acct.username,
                                                                          "scope": scope.label()})
    print(t("access.cli.granted", args.lang, name=acct.username, scope=scope.label()))
    return 0


def run_users_revoke(args) -> int:
    store, log = _stores(args)
    acct = store.revoke(args.name, args.code)
    log.append(actor(), "account_revoke", units=[str(args.code).strip()], detail={"user": acct.username})
    print(t("access.cli.revoked", args.lang, name=acct.username, code=str(args.code).strip()))
    return 0


# --- audit -----------------------------------------------------------------------------------------
def run_audit_show(args) -> int:
    entries = AuditLog(args.store).entries()
    if args.last is not None and args.last > 0:
        entries = entries[-args.last:]
    if not entries:
        print(t("access.audit.empty", args.lang))
        return 0
    import pandas as pd

    with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", 60):
        print(audit_table(entries, args.lang).to_string(index=False))
    return 0


def run_audit_verify(args) -> int:
    check = AuditLog(args.store).verify()
    print(check.message(args.lang), file=sys.stdout if check.ok else sys.stderr)
    return 0 if check.ok else 1


def run_audit_export(args) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise PovlibInputError.from_key("access.err.export_suffix", name=out.name)
    log = AuditLog(args.store)
    entries = log.entries()
    data = audit_xlsx_bytes(entries, args.lang) if suffix == ".xlsx" else audit_csv_bytes(entries, args.lang)
    write_bytes_atomic(out, data)
    os.chmod(out, 0o600)
    log.append(actor(), "audit_export", detail={"file": out.name, "entries": len(entries)})
    print(t("access.cli.exported", args.lang, n=len(entries), path=out))
    return 0


def register(sub, lang: str = "vi") -> None:
    """Add ``users`` and ``audit`` (each with its own sub-commands) to ``sub`` (help in ``lang``)."""
    users = sub.add_parser("users", help=t("cli.help.users", lang), description=t("cli.help.users.long", lang))
    usub = users.add_subparsers(dest="users_command", required=True)

    p = usub.add_parser("add", help=t("cli.help.users.add", lang), description=t("cli.help.users.add", lang))
    p.add_argument("name", metavar="NAME", help=t("cli.help.users.name", lang))
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--role", choices=role_ids(), default=None, help=t("cli.help.users.role", lang))
    group.add_argument("--admin", action="store_true", help=t("cli.help.users.admin", lang))
    p.add_argument("--display", default=None, help=t("cli.help.users.display", lang))
    p.add_argument("--scope", action="append", default=[], metavar="CODE", help=t("cli.help.users.scope", lang))
    _dates_args(p, lang)
    _password_arg(p, lang)
    _store_arg(p, lang)
    p.set_defaults(func=run_users_add)

    p = usub.add_parser("list", help=t("cli.help.users.list", lang), description=t("cli.help.users.list", lang))
    _store_arg(p, lang)
    p.set_defaults(func=run_users_list)

    for name, run in (("disable", run_users_disable), ("enable", run_users_enable), ("passwd", run_users_passwd)):
        p = usub.add_parser(name, help=t(f"cli.help.users.{name}", lang), description=t(f"cli.help.users.{name}", lang))
        p.add_argument("name", metavar="NAME", help=t("cli.help.users.name", lang))
        if name == "passwd":
            _password_arg(p, lang)
        _store_arg(p, lang)
        p.set_defaults(func=run)

    p = usub.add_parser("link", help=t("cli.help.users.link", lang), description=t("cli.help.users.link", lang))
    p.add_argument("name", metavar="NAME", help=t("cli.help.users.name", lang))
    p.add_argument("identity", metavar="IDENTITY", help=t("cli.help.users.identity", lang))
    _store_arg(p, lang)
    p.set_defaults(func=run_users_link)

    for name, run in (("grant", run_users_grant), ("revoke", run_users_revoke)):
        p = usub.add_parser(name, help=t(f"cli.help.users.{name}", lang), description=t(f"cli.help.users.{name}", lang))
        p.add_argument("name", metavar="NAME", help=t("cli.help.users.name", lang))
        p.add_argument("code", metavar="CODE", help=t("cli.help.users.code", lang))
        if name == "grant":
            _dates_args(p, lang)
        _store_arg(p, lang)
        p.set_defaults(func=run)

    audit = sub.add_parser("audit", help=t("cli.help.audit", lang), description=t("cli.help.audit.long", lang))
    asub = audit.add_subparsers(dest="audit_command", required=True)
    p = asub.add_parser("show", help=t("cli.help.audit.show", lang), description=t("cli.help.audit.show", lang))
    p.add_argument("--last", type=int, default=None, metavar="N", help=t("cli.help.audit.last", lang))
    _store_arg(p, lang)
    p.set_defaults(func=run_audit_show)
    p = asub.add_parser("verify", help=t("cli.help.audit.verify", lang), description=t("cli.help.audit.verify", lang))
    _store_arg(p, lang)
    p.set_defaults(func=run_audit_verify)
    p = asub.add_parser("export", help=t("cli.help.audit.export", lang), description=t("cli.help.audit.export", lang))
    p.add_argument("--out", required=True, help=t("cli.help.audit.out", lang))
    _store_arg(p, lang)
    p.set_defaults(func=run_audit_export)
