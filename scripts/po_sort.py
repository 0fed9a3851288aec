"""Sort the string catalogs by key and resolve a merge conflict between two branches' entries.

Usage: ``python scripts/po_sort.py povlib/locale/*/LC_MESSAGES/povlib.po``

Each file is rewritten (atomically) with its entries sorted by key, the order
``tests/unit/test_i18n.py`` checks; the entries' text is kept byte for byte. A file holding git
conflict markers is read as the union of both sides: an entry present on one side only is kept;
an entry changed on both sides with different texts stops the script with the key named
(resolve that one by hand).
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

_CONFLICT = re.compile(r"^<<<<<<< [^\n]*\n(.*?)^=======\n(.*?)^>>>>>>> [^\n]*\n", re.S | re.M)
_MSGID = re.compile(r'^msgid "(.*)"$', re.M)


def _blocks(text: str) -> tuple[str, dict[str, str]]:
    """The header block and the entries by key (an entry is the text between blank lines)."""
    parts = [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]
    header, entries = parts[0], {}
    for block in parts[1:]:
        m = _MSGID.search(block)
        if m is None:
            sys.exit(f"an entry without msgid: {block[:80]!r}")
        if m.group(1) in entries and entries[m.group(1)] != block:
            sys.exit(f"{m.group(1)!r} appears twice with different texts; resolve it by hand")
        entries[m.group(1)] = block
    return header, entries


def sort_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ours_text = _CONFLICT.sub(lambda m: m.group(1), text)
    theirs_text = _CONFLICT.sub(lambda m: m.group(2), text)
    header, entries = _blocks(ours_text)
    for k, block in _blocks(theirs_text)[1].items():
        if k in entries and entries[k] != block:
            sys.exit(f"{path}: {k!r} differs between the two sides; resolve it by hand")
        entries[k] = block
    out = "\n\n".join([header, *(entries[k] for k in sorted(entries))]) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".po")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(out)
    os.replace(tmp, path)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        sort_file(Path(arg))
