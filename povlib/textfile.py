"""Reading the text files an officer writes (policies, scenarios, lists): UTF-8, with a sentence when not.

A policies or scenario file saved in another encoding, or a folder given for a file, is refused with a
Vietnamese (and English) sentence naming the file, never with Python's ``UnicodeDecodeError``. The position
of a TOML syntax error is said in the message's language.

Examples
--------
>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "kich_ban.toml"
>>> _ = f.write_bytes("tên = 'Yên'".encode("latin-1"))
>>> read_utf8(f)
Traceback (most recent call last):
...
povlib.errors.PovlibInputError: Tệp kich_ban.toml không được lưu bằng mã UTF-8: hãy mở tệp bằng một trình soạn thảo văn bản và lưu lại với bảng mã UTF-8.
>>> toml_position("Invalid value (at line 1, column 9)", "vi")
'Invalid value (dòng 1, cột 9)'
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import PovlibInputError
from .i18n import t

__all__ = ["read_utf8", "toml_position"]

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_utf8(path: str | Path) -> str:
    """The text of ``path`` (UTF-8, a byte-order mark allowed); a folder or another encoding is refused."""
    p = Path(path)
    if p.is_dir():
        raise PovlibInputError.from_key("files.err.not_a_file", file=p.name)
    try:
        return p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PovlibInputError.from_key("files.err.not_utf8", file=p.name) from exc


def toml_position(detail: str, lang: str = "vi") -> str:
    """A TOML error's ``(at line L, column C)`` in ``lang`` (the rest of Python's message as it is)."""
    return _AT.sub(lambda m: "(" + t("files.at", lang, line=m.group(1), col=m.group(2)) + ")", detail)
