"""Read one DMDC quarterly location workbook (``DMDC_Website_Location_Report_YYMM.xlsx``) as published.

The file is checked before openpyxl sees it (size, zip archive, unzipped size), then read in read-only
mode with cached values only: formulas are never evaluated, and a formula cell without a saved result
is an error (:mod:`.dmdc_sheet` reads the layout). openpyxl must be using defusedxml.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import openpyxl

from .dmdc_sheet import (  # noqa: F401 (ACTIVE_SERVICES: the reader's public names)
    ACTIVE_SERVICES,
    FOOTER_ROWS,
    HEADER_SEARCH_ROWS,
    MAX_TABLE_ROWS,
    UNCACHED,
    Report,
    SheetParser,
    WorkbookError,
)

MAX_BYTES = 5 * 1024 * 1024  # published files are 49-62 KB; anything this large is not one of them
MAX_UNZIPPED = 50 * 1024 * 1024  # the XML inside, uncompressed (guards against a zip bomb)

# YYMM is the quarter-end year and month; DMDC re-uploaded Sep 2017 as ..._1709_old.xlsx. Another
# suffix (our re-saved Sep 2010 copy) is accepted and reported as not the published name.
NAME_RE = re.compile(r"^DMDC_Website_Location_Report_(\d{2})(\d{2})(_[A-Za-z0-9]+)?\.xlsx$")


def period_of_name(name: str) -> tuple[str, str | None]:
    """'DMDC_Website_Location_Report_2512.xlsx' -> ('2025-12', None); a suffix is returned second."""
    m = NAME_RE.match(name)
    if not m:
        raise WorkbookError(name, "a file named DMDC_Website_Location_Report_YYMM.xlsx, as DMDC publishes it "
                            "(the name gives the period, which is checked against the 'As of' line)")
    yy, mm, suffix = m.groups()
    if not 1 <= int(mm) <= 12:
        raise WorkbookError(name, "a month 01-12 in the YYMM of the file name", found=mm)
    return f"20{yy}-{mm}", suffix


def published_name(name: str) -> str:
    """The name DMDC publishes the file under (a local suffix other than '_old' dropped)."""
    m = NAME_RE.match(name)
    if m is None or m.group(3) in (None, "_old"):
        return name
    return f"DMDC_Website_Location_Report_{m.group(1)}{m.group(2)}.xlsx"


def _check_container(data: bytes, name: str) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise WorkbookError(name, "an .xlsx workbook (a zip archive starting with 'PK')", found=data[:8])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile as e:
        raise WorkbookError(name, "a readable .xlsx (zip) archive", found=str(e)) from None
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise WorkbookError(name, "an Excel workbook (the archive has no xl/workbook.xml)")
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_UNZIPPED:
        raise WorkbookError(name, f"at most {MAX_UNZIPPED:,} bytes once unzipped", found=f"{unzipped:,} bytes")


def _require_defusedxml() -> None:
    # openpyxl parses the workbook's XML with defusedxml only if it is installed (it is pinned); an
    # untrusted download must never be parsed by the plain XML parser.
    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise RuntimeError("openpyxl is not using defusedxml (install the pinned defusedxml); "
                           "refusing to read a downloaded workbook without it")


def _sheet_rows(data: bytes, name: str) -> tuple[str, list[list]]:
    """The first sheet's cell values, row by row, with UNCACHED for a formula that has no saved result."""
    _require_defusedxml()
    try:
        wb_values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        wb_formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as e:  # noqa: BLE001 (openpyxl raises many types for a damaged file)
        raise WorkbookError(name, "a workbook openpyxl can read", found=f"{type(e).__name__}: {e}") from None
    try:
        ws, wf = wb_values.worksheets[0], wb_formulas.worksheets[0]
        limit = HEADER_SEARCH_ROWS + MAX_TABLE_ROWS + FOOTER_ROWS
        rows = []
        for values, cells in zip(ws.iter_rows(max_row=limit, values_only=True), wf.iter_rows(max_row=limit)):
            row = list(values)
            for j, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f" and j < len(row) and row[j] is None:
                    row[j] = UNCACHED
            rows.append(row)
        return ws.title, rows
    finally:
        wb_values.close()
        wb_formulas.close()


def read(path) -> Report:
    """Parse a DMDC location workbook and return the JAPAN row of its overseas section, checked."""
    path = Path(path)
    name = path.name
    period, _suffix = period_of_name(name)
    if not path.is_file():
        raise WorkbookError(name, "an existing file", found=str(path.name))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise WorkbookError(name, f"a file of at most {MAX_BYTES:,} bytes (DMDC's are about 50 KB)",
                            found=f"{size:,} bytes")
    data = path.read_bytes()
    return parse(data, name, period)


def parse(data: bytes, name: str, period: str | None = None) -> Report:
    if period is None:
        period, _ = period_of_name(name)
    _check_container(data, name)
    sheet, rows = _sheet_rows(data, name)
    return SheetParser(name, sheet, rows, period).report(hashlib.sha256(data).hexdigest(), len(data))
