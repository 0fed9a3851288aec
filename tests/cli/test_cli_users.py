"""``python -m povlib users`` and ``audit``, in-process (one run as a process): passwords only from getpass or
standard input, every change recorded as ``cli:<login>``, refusals with a message and nothing changed,
a tampered record fails ``audit verify``."""
from __future__ import annotations

import getpass
import io
import json
import os
import stat
import subprocess
import sys

import openpyxl
import pytest
from argon2 import PasswordHasher

from povlib.access import AccountStore, AuditLog, Outcome, accounts
from povlib.cli import main as cli
from povlib.cli.access import actor
from povlib.i18n import t

PASSWORD = "Mat-khau-rat-dai-42"
ME = f"cli:{getpass.getuser()}"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """In-process runs hash with small argon2 parameters (the process test below keeps the real ones)."""
    monkeypatch.setattr(accounts, "default_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def store(tmp_path):
    return tmp_path / "store"


def run(store, *args, stdin: str | None = None, monkeypatch=None, lang: str | None = None) -> int:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    head = ["--lang", lang] if lang else []
    return cli([*head, *args, "--store", str(store)])


def add(store, monkeypatch, name, *extra):
    return run(store, "users", "add", name, *extra, "--password-stdin", stdin=PASSWORD + "\n", monkeypatch=monkeypatch)


def state(store):
    access = store / "access"
    return {p.name: p.read_bytes() for p in sorted(access.iterdir())} if access.exists() else {}


def test_first_administrator_and_list(store, monkeypatch, capsys):
    assert add(store, monkeypatch, "Admin", "--admin", "--display", "Quản trị viên tỉnh") == 0
    assert "Đã tạo tài khoản admin" in capsys.readouterr().out
    acct = AccountStore(store).get("admin")
    assert acct.role == "administrator" and acct.display_name == "Quản trị viên tỉnh"
    assert AccountStore(store).verify("admin", PASSWORD).ok
    assert run(store, "users", "list") == 0
    out = capsys.readouterr().out
    assert "admin" in out and "Quản trị viên" in out and "argon2" not in out and PASSWORD not in out
    for p in (store / "access").iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        assert PASSWORD not in p.read_text(encoding="utf-8")
    [entry] = AuditLog(store).entries()
    assert (entry["actor"], entry["action"], entry["detail"]["user"]) == (ME, "account_add", "admin")
    assert actor() == ME


def test_password_by_getpass_asked_twice(store, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert run(store, "users", "add", "lan.nt", "--role", "viewer") == 2
    assert "không khớp" in capsys.readouterr().err
    assert AccountStore(store).get("lan.nt") is None
    answers = iter([PASSWORD, PASSWORD])
    assert run(store, "users", "add", "lan.nt", "--role", "viewer") == 0
    assert AccountStore(store).verify("lan.nt", PASSWORD).ok


def test_no_password_option_on_the_command_line(store, capsys):
    with pytest.raises(SystemExit):
        cli(["users", "add", "lan.nt", "--role", "viewer", "--password", PASSWORD, "--store", str(store)])
    assert not (store / "access" / "accounts.json").exists()


def test_grant_revoke_disable_enable_passwd(store, monkeypatch, capsys):
    assert add(store, monkeypatch, "lan.nt", "--role", "commune_officer", "--scope", "02023",
               "--from", "2020-01-01") == 0
    assert run(store, "users", "grant", "lan.nt", "02026", "--from", "2021-01-01", "--to", "2025-06-30") == 0
    scopes = AccountStore(store).get("lan.nt").scopes
    assert [(s.unit_code, s.level, str(s.valid_from), str(s.valid_to)) for s in scopes] == [
        ("02023", "commune", "2020-01-01", "None"), ("02026", "commune", "2021-01-01", "2025-06-30")]
    assert run(store, "users", "revoke", "lan.nt", "02023") == 0
    assert [s.unit_code for s in AccountStore(store).get("lan.nt").scopes] == ["02026"]
    assert run(store, "users", "disable", "lan.nt") == 0
    assert AccountStore(store).verify("lan.nt", PASSWORD).outcome is Outcome.DISABLED
    assert run(store, "users", "enable", "lan.nt") == 0
    assert run(store, "users", "passwd", "lan.nt", "--password-stdin", stdin="Mot-mat-khau-moi-7\n",
               monkeypatch=monkeypatch) == 0
    assert AccountStore(store).verify("lan.nt", "Mot-mat-khau-moi-7").ok
    actions = [(e["actor"], e["action"]) for e in AuditLog(store).entries()]
    assert actions == [(ME, a) for a in ("account_add", "account_grant", "account_revoke", "account_disable",
                                          "account_enable", "account_passwd")]
    assert AuditLog(store).entries()[1]["units"] == ["02026"]


@pytest.mark.parametrize("args, message", [
    (("users", "grant", "lan.nt", "064"), "không nhận phạm vi cấp huyện"),
    (("users", "grant", "lan.nt", "99999"), "Không tìm thấy đơn vị"),
    (("users", "grant", "lan.nt", "02026", "--from", "2020-13-01"), "không hợp lệ"),
    (("users", "grant", "lan.nt", "02026", "--from", "2021-01-01", "--to", "2020-01-01"), "trước ngày bắt đầu"),
    (("users", "grant", "nobody", "02026"), "Không có tài khoản"),
    (("users", "revoke", "lan.nt", "02026"), "không có phạm vi"),
    (("users", "disable", "nobody"), "Không có tài khoản"),
    (("users", "add", "lan.nt", "--role", "viewer", "--password-stdin"), "đã có"),
    (("users", "add", "new.one", "--role", "viewer", "--scope", "02023", "--password-stdin"), "không nhận phạm vi"),
    (("audit", "export", "--out", "x.txt"), ".csv hoặc .xlsx"),
])
def test_refusals_change_nothing(store, monkeypatch, capsys, args, message):
    assert add(store, monkeypatch, "lan.nt", "--role", "commune_officer", "--scope", "02023") == 0
    capsys.readouterr()
    before = state(store)
    assert run(store, *args, stdin=PASSWORD + "\n", monkeypatch=monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi:") and message in err, err
    assert state(store) == before


def test_short_password_refused(store, monkeypatch, capsys):
    assert run(store, "users", "add", "lan.nt", "--role", "viewer", "--password-stdin", stdin="ngan\n",
               monkeypatch=monkeypatch) == 2
    assert "ít nhất 10 ký tự" in capsys.readouterr().err
    assert AccountStore(store).get("lan.nt") is None


def test_audit_show_verify_export_and_tampering(store, monkeypatch, capsys, tmp_path):
    assert run(store, "audit", "show") == 0 and "chưa có mục nào" in capsys.readouterr().out
    assert add(store, monkeypatch, "lan.nt", "--role", "viewer") == 0
    assert run(store, "users", "disable", "lan.nt") == 0
    capsys.readouterr()
    assert run(store, "audit", "show", "--last", "1") == 0
    out = capsys.readouterr().out
    assert "Khóa tài khoản" in out and "Tạo tài khoản" not in out
    assert run(store, "audit", "verify") == 0 and "nguyên vẹn: 2 mục" in capsys.readouterr().out
    assert run(store, "audit", "export", "--out", str(tmp_path / "nk.xlsx")) == 0
    wb = openpyxl.load_workbook(tmp_path / "nk.xlsx")
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "Người thực hiện" in cells and ME in cells
    assert stat.S_IMODE(os.stat(tmp_path / "nk.xlsx").st_mode) == 0o600
    assert run(store, "audit", "export", "--out", str(tmp_path / "nk.csv"), lang="en") == 0
    assert "Who" in (tmp_path / "nk.csv").read_text(encoding="utf-8-sig")
    assert AuditLog(store).entries()[-1]["action"] == "audit_export"
    capsys.readouterr()
    path = store / "access" / "audit.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    entry = json.loads(lines[1])
    entry["actor"] = "someone.else"
    path.write_bytes(lines[0] + json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                     .encode() + b"\n" + b"".join(lines[2:]))
    assert run(store, "audit", "verify") == 1
    assert "dòng 2" in capsys.readouterr().err
    assert run(store, "audit", "verify", lang="en") == 1
    assert "line 2" in capsys.readouterr().err


def test_help_says_the_cli_is_the_operators_tool(capsys):
    for lang, words in (("vi", "công cụ của người vận hành"), ("en", "operator's tool")):
        with pytest.raises(SystemExit):
            cli(["--lang", lang, "users", "--help"])
        out = capsys.readouterr().out
        assert words in out and "cli:<" in out


def test_as_a_process_password_from_stdin(store):
    env = {**os.environ, "POVLIB_STORE": str(store)}
    done = subprocess.run([sys.executable, "-m", "povlib", "--lang", "en", "users", "add", "first.admin", "--admin",
                           "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "Account first.admin created (role: Administrator)." in done.stdout
    digest = json.loads((store / "access" / "accounts.json").read_text())["accounts"]["first.admin"]["password_hash"]
    assert digest.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # the real parameters
    assert AccountStore(store, hasher=PasswordHasher()).verify("first.admin", PASSWORD).ok


def test_import_and_undo_by_the_command_line_are_recorded(tmp_path, capsys):
    from tests.support.intake_files import base_store, csv_bytes, write

    st = base_store(tmp_path / "store")
    assert AuditLog(st.path).entries() == []  # a store filled through the library records nothing by itself
    p = write(tmp_path, "h.csv", csv_bytes())
    assert cli(["import", str(p), "--store", str(st.path), "--by", "Phòng LĐ-TB&XH"]) == 0
    latest = int(st.versions()["version_id"].max())
    assert cli(["undo", str(latest), "--store", str(st.path), "--by", "Phòng LĐ-TB&XH"]) == 0
    imp, undo = AuditLog(st.path).entries()
    assert (imp["actor"], imp["action"], imp["units"], imp["version"]) == (ME, "import", ["02020", "02023"],
                                                                             str(latest))
    assert imp["detail"] == {"file": "h.csv", "rows": 3, "by": "Phòng LĐ-TB&XH"}
    assert (undo["action"], undo["detail"]["undone"], undo["version"]) == ("undo", str(latest), str(latest + 1))
    assert AuditLog(st.path).verify().ok


def test_link_an_account_to_an_identity_provider(store, monkeypatch, capsys):
    """``users link``: the OpenID Connect identity (sub or e-mail) st.login returns finds the account."""
    assert add(store, monkeypatch, "lan.nt", "--role", "viewer") == 0
    assert run(store, "users", "link", "lan.nt", "Lan.NT@BacKan.gov.vn") == 0
    assert AccountStore(store).find_identity("x", "lan.nt@backan.gov.vn").username == "lan.nt"
    assert AuditLog(store).entries()[-1]["action"] == "account_link"
    assert run(store, "users", "link", "lan.nt", "") == 0  # unlinked
    assert AccountStore(store).find_identity("x", "lan.nt@backan.gov.vn") is None


def test_link_messages_name_the_identity_and_its_account(store, monkeypatch, capsys):
    """A second account asking for a linked identity was told "Tài khoản “sub-123” đã có" (not an account);
    unlinking printed "Đã liên kết tài khoản co1 với danh tính -"."""
    for name in ("co1", "co5"):
        assert add(store, monkeypatch, name, "--role", "viewer") == 0
    assert run(store, "users", "link", "co1", "sub-123") == 0
    capsys.readouterr()
    assert run(store, "users", "link", "co5", "sub-123") == 2
    err = capsys.readouterr().err
    assert "“sub-123” đã liên kết với tài khoản co1" in err and "Tài khoản" not in err.split(":", 1)[1][:12], err
    assert run(store, "users", "link", "co1", "") == 0
    assert "Đã bỏ liên kết danh tính của tài khoản co1." in capsys.readouterr().out


def test_scopes_of_the_2025_units_and_their_words(store, monkeypatch, capsys):
    """A scope of Thái Nguyên (19) from 1 July 2025 was refused ("Không tìm thấy đơn vị có mã 19"); the list of
    accounts printed scopes as "commune:02050 2019-01-01.." and refusals named levels in English."""
    assert add(store, monkeypatch, "pv2", "--role", "district_officer", "--scope", "19", "--from", "2025-07-01") == 0
    assert add(store, monkeypatch, "co1", "--role", "commune_officer", "--scope", "02050", "--from", "2019-01-01") == 0
    capsys.readouterr()
    assert run(store, "users", "list") == 0
    out = capsys.readouterr().out
    assert "tỉnh 19 từ 01/07/2025" in out and "xã 02050 từ 01/01/2019" in out and "commune:" not in out, out
    assert run(store, "users", "list", lang="en") == 0
    assert "province 19 from 01/07/2025" in capsys.readouterr().out


def test_password_without_a_terminal_says_how_to_give_it(store, monkeypatch, capsys):
    """No terminal and nothing on the input: a sentence naming --password-stdin, not getpass' EOFError traceback."""
    def no_terminal(prompt=""):
        raise EOFError
    monkeypatch.setattr(getpass, "getpass", no_terminal)
    assert cli(["users", "add", "tam", "--role", "viewer", "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert t("access.err.no_terminal", "vi") in err and "--password-stdin" in err
