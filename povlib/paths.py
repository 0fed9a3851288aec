"""Where things live: the one place that knows the project's folders.

Two roots:

* :data:`PACKAGE_DIR` – read-only files shipped inside the package: the rules
  (legal standards, intake rules, policies, lists named after their legal
  source) under :data:`RULES_DIR`, the translation catalogs under
  :data:`LOCALE_DIR`.
* :data:`DATA_DIR` – the project's ``data/`` folder: boundaries and codes,
  calibration targets, the demo panels, templates, the store of imported
  versions and the officers' overrides. ``$POVLIB_DATA`` moves it (a
  deployment keeps its data outside the code); ``$POVLIB_STORE`` moves only
  the store.

Examples
--------
>>> from povlib import paths
>>> paths.RULES_DIR.name, paths.DATA_DIR.name
('rules', 'data')
>>> paths.store_dir().name
'store'
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PACKAGE_DIR", "PROJECT_DIR", "RULES_DIR", "LOCALE_DIR", "DATA_DIR", "GEO_DIR", "DEMO_DIR",
           "TARGETS_DIR", "TEMPLATE_DIR", "POLICY_DIR", "STATIC_DIR", "store_dir"]

#: the ``povlib`` package folder
PACKAGE_DIR = Path(__file__).resolve().parent
#: the repository (``app.py``, ``data/``, ``static/``)
PROJECT_DIR = PACKAGE_DIR.parent
#: legal rules as data (read-only): standards, intake rules, policies
RULES_DIR = PACKAGE_DIR / "rules"
#: gettext catalogs, one per language
LOCALE_DIR = PACKAGE_DIR / "locale"
#: the data folder (``$POVLIB_DATA`` overrides)
DATA_DIR = Path(os.environ["POVLIB_DATA"]).resolve() if os.environ.get("POVLIB_DATA") else PROJECT_DIR / "data"
#: boundaries and unit codes
GEO_DIR = DATA_DIR / "geo"
#: the synthetic demo panels
DEMO_DIR = DATA_DIR / "demo"
#: calibration targets of the synthetic generator
TARGETS_DIR = DATA_DIR / "targets"
#: blank review templates
TEMPLATE_DIR = DATA_DIR / "templates"
#: officers' overrides of the policy amounts and their what-if scenarios
POLICY_DIR = DATA_DIR / "policies"
#: files served by Streamlit (vendored Leaflet, favicon)
STATIC_DIR = PROJECT_DIR / "static"


def store_dir() -> Path:
    """The store of imported versions: ``$POVLIB_STORE`` or ``data/store``.

    Read at call time, so that a test or a deployment can point it elsewhere.
    """
    env = os.environ.get("POVLIB_STORE")
    return Path(env) if env else DATA_DIR / "store"

def national_dir() -> Path:
    """The national synthetic dataset (Parquet, ``year=…/province_code=…/``): ``$POVLIB_NATIONAL`` or
    ``data/national``.

    Read at call time, so that a test or a deployment can point it elsewhere. Built with
    ``python -m povlib generate --scope vietnam --out data/national``.
    """
    env = os.environ.get("POVLIB_NATIONAL")
    return Path(env) if env else DATA_DIR / "national"


#: the commune code column of the 2019 source files (GSO list, 2019 layers); the panel and the
#: app call it ``commune_code`` (the code of the unit in force at the row's review year)
SOURCE_CODE_2019 = "gso_code_2019"
