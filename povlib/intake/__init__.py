"""Intake: reading the review files communes send, checking them, and keeping them as versions.

A commune's review results arrive as a spreadsheet: CSV or XLSX, in UTF-8,
UTF-8 with BOM or Windows-1258, with Vietnamese or English headers (the
template's, or any spelling listed in ``povlib/rules/intake/columns.toml``).
:func:`read_intake` reads and validates them and returns an :class:`Intake`:
the typed household table in the store's canonical columns, and the list of
problems – one row per problem, naming the file, the row as the spreadsheet
numbers it (header = row 1, first data row = row 2), the column as written in
the file, the check, the value, and a message in Vietnamese and English.
:class:`Store` keeps every import as a new, immutable version.

Values are read as text and converted by pandera (``lazy=True``) so that text
in a number column is reported, not turned into a blank. The only
normalisations are documented in ``data/templates/README.md``:
Unicode NFC, trimmed spaces, household ids in NFKC and upper case, ``2020`` → ``02020`` for commune codes that lost
their leading zero in Excel, ``1.0`` → ``1`` in whole-number columns, and the
yes/no and area spellings of the column table. With a member file (one row per
person) the person-based indicators of each household's standard (Decision 59/2015: 4,
Decree 07/2021: 6) are derived by :func:`derive_person_indicators`. Commune codes are those in
force on 31/12 of each row's review year (:mod:`~povlib.intake.communes`).

The modules follow the data:

* :mod:`~povlib.intake.limits`    – every bound a file must keep (size, archive, extent, cells, worker);
* :mod:`~povlib.intake.schema`    – the columns (data) and the pandera schemas;
* :mod:`~povlib.intake.read`      – file bytes, the bounded worker, CSV/XLSX as text, headers;
* :mod:`~povlib.intake.worker`    – the separate process that reads a file within the bounds;
* :mod:`~povlib.intake.values`    – the documented spellings, then the pandera passes;
* :mod:`~povlib.intake.checks`    – rows as records (control characters, year, standard, commune, ids, deprivations);
* :mod:`~povlib.intake.communes`  – the units in force in each review year, old and future codes;
* :mod:`~povlib.intake.members`   – the member file and the person indicators;
* :mod:`~povlib.intake.members_nd07` – the member-defined indicators of Decree 07/2021;
* :mod:`~povlib.intake.problems`  – the problem list and its downloadable report;
* :mod:`~povlib.intake.review`    – :func:`read_intake` and :class:`Intake`;
* :mod:`~povlib.intake.layout`    – the stored table's columns, dtypes and classification;
* :mod:`~povlib.intake.store`     – the versioned store;
* :mod:`~povlib.intake.settings`  – the office's settings beside the store (the default dataset);
* :mod:`~povlib.intake.tempfiles` – the store's temporary files: held while written, removed when left stale;
* :mod:`~povlib.intake.staged`    – a checked upload kept on disk until it is imported or abandoned;
* :mod:`~povlib.intake.templates` – the blank templates and export in their layout.

Examples
--------
>>> from povlib import intake
>>> csv = "Mã hộ,Năm rà soát,Mã xã,Thôn/bản,Khu vực,Số nhân khẩu,Điểm B1,Điểm B2\\n"
>>> csv += "H1,2019,02020,Tổ 1,Thành thị,4,130,30\\n"
>>> res = intake.read_intake(csv.replace("Thành thị", "Rừng").encode(), file_name="xa.csv")
>>> intake.error_report(res, "en")[["Row", "Column"]].values.tolist()
[[2, 'Khu vực']]
"""
from __future__ import annotations

from .layout import STORE_COLUMNS, store_dtypes, to_store
from .limits import MAX_FILE_BYTES, MAX_FILE_MB, MAX_PROBLEMS
from .members import PERSON_INDICATORS, derive_person_indicators, person_indicators
from .problems import ERROR_COLUMNS, check_name, error_report, errors_to_csv_bytes, errors_to_xlsx_bytes
from .review import Intake, preview_display, read_intake
from .settings import default_dataset, set_default_dataset
from .staged import STAGE_MAX_AGE_HOURS, StagedIntake, release_memory, stage
from .store import STORE_DATASET, Store, VersionInfo, default_store, list_versions, load, versions_display
from .templates import (
    TEMPLATE_DIR,
    TEMPLATE_STANDARDS,
    encode_cp1258,
    export_to_template,
    template_bytes,
    template_columns,
    template_name,
    write_templates,
)

__all__ = [
    "TEMPLATE_STANDARDS",
    "ERROR_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_FILE_MB",
    "MAX_PROBLEMS",
    "PERSON_INDICATORS",
    "STAGE_MAX_AGE_HOURS",
    "STORE_COLUMNS",
    "STORE_DATASET",
    "TEMPLATE_DIR",
    "Intake",
    "StagedIntake",
    "Store",
    "VersionInfo",
    "default_dataset",
    "default_store",
    "derive_person_indicators",
    "person_indicators",
    "encode_cp1258",
    "check_name",
    "error_report",
    "errors_to_csv_bytes",
    "errors_to_xlsx_bytes",
    "export_to_template",
    "list_versions",
    "load",
    "preview_display",
    "read_intake",
    "release_memory",
    "set_default_dataset",
    "stage",
    "store_dtypes",
    "template_bytes",
    "template_columns",
    "template_name",
    "to_store",
    "versions_display",
    "write_templates",
]
