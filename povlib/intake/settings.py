"""The office's settings kept beside the store: ``settings.json`` in the store folder.

For now one setting: the dataset the dashboard opens by default (``default_dataset``,
a dataset key such as ``cho-don`` or ``store:ra-soat``). Without it the district demo
stays the default; importing a file never changes it – an officer chooses it on the
data page. The file is small JSON written atomically (:func:`povlib.export.write_bytes_atomic`):
a crash leaves the previous settings, never half a file. An unreadable file reads as no
settings (the dashboard must open whatever is in the folder).

Examples
--------
>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> default_dataset(d) is None
True
>>> set_default_dataset("store:ra-soat", d)
>>> default_dataset(d)
'store:ra-soat'
>>> set_default_dataset(None, d); default_dataset(d) is None
True
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import paths
from ..export import write_bytes_atomic

__all__ = ["SETTINGS_FILE", "default_dataset", "read_settings", "set_default_dataset", "settings_path"]

SETTINGS_FILE = "settings.json"


def settings_path(store_path: str | Path | None = None) -> Path:
    """``settings.json`` in the store folder (default :func:`povlib.paths.store_dir`)."""
    return Path(store_path or paths.store_dir()) / SETTINGS_FILE


def read_settings(store_path: str | Path | None = None) -> dict:
    """The settings as a dict; ``{}`` when there is no file or it cannot be read."""
    try:
        data = json.loads(settings_path(store_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def default_dataset(store_path: str | Path | None = None) -> str | None:
    """The office's default dataset key, or None when none was chosen."""
    v = read_settings(store_path).get("default_dataset")
    return v.strip() if isinstance(v, str) and v.strip() else None


def set_default_dataset(key: str | None, store_path: str | Path | None = None) -> None:
    """Choose the default dataset (None: back to the demo), keeping the other settings."""
    data = read_settings(store_path)
    if key:
        data["default_dataset"] = str(key)
    else:
        data.pop("default_dataset", None)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_bytes_atomic(settings_path(store_path), text.encode("utf-8"))
