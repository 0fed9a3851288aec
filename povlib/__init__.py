"""povlib: the poverty-review analytics behind the Chợ Đồn dashboard.

Pure functions over pandas / GeoPandas tables; no user interface. The main
entry points:

* :func:`classify_households` – poor / near-poor / non-poor under a standard;
* :func:`alkire_foster` – Alkire–Foster H, A, M0 and indicator contributions;
* :func:`load_demo` – the bundled synthetic panel, classified;
* :mod:`povlib.standards`, :mod:`povlib.measures`, :mod:`povlib.transitions`.
"""
from __future__ import annotations

from . import standards
from .classify import STATUSES, classify_households
from .errors import PovlibInputError
from .measures import AFResult, af_by_group, alkire_foster, rates
from .synth.demo import load_demo

__all__ = [
    "AFResult",
    "PovlibInputError",
    "STATUSES",
    "af_by_group",
    "alkire_foster",
    "classify_households",
    "load_demo",
    "rates",
    "standards",
]
__version__ = "0.1.0"
