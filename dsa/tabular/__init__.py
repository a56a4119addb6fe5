"""Spreadsheets in and out: the data-flow register import and the CSV/XLSX/JSON exports (capability 7).

``import_register`` reads a register or an exported workbook into a model;
``export_tables`` lays a model out as sheets, which ``write_xlsx`` and
``write_csv_folder`` write with every string cell neutralised against formula
injection. ``export_xlsx``/``export_csv``/``export_json`` do both steps.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..findings import Finding
from .cells import neutralise, unescape
from .export import _atomic_write, export_tables, json_text, write_csv_folder, write_xlsx, xlsx_bytes
from .register import REGISTER_COLUMNS, ImportProblem, import_register

__all__ = ["import_register", "ImportProblem", "REGISTER_COLUMNS", "export_tables", "write_xlsx", "xlsx_bytes",
           "write_csv_folder", "json_text", "neutralise", "unescape", "export_xlsx", "export_csv", "export_json"]


def export_xlsx(doc: Mapping[str, Any], path: str | os.PathLike, *, findings: Iterable[Finding] | None = None,
                assessment: Mapping[str, Any] | None = None) -> Path:
    """Write ``doc`` as one workbook (validated here when ``findings`` is not given)."""
    return write_xlsx(export_tables(doc, _findings(doc, findings), assessment), path)


def export_csv(doc: Mapping[str, Any], folder: str | os.PathLike, *, findings: Iterable[Finding] | None = None,
               assessment: Mapping[str, Any] | None = None) -> list[Path]:
    """Write ``doc`` as a folder of CSV files; returns the files written."""
    return write_csv_folder(export_tables(doc, _findings(doc, findings), assessment), folder)


def export_json(doc: Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Write ``doc`` pretty-printed as a model file."""
    return _atomic_write(Path(path), json_text(doc).encode("utf-8"))


def _findings(doc: Mapping[str, Any], findings: Iterable[Finding] | None) -> Iterable[Finding]:
    if findings is not None:
        return findings
    from ..validation import validate

    return validate(doc)
