"""The layout of a DMDC location sheet: the header found by its text, columns named by the two header
rows, sections by the LOCATION labels, and the JAPAN row of the overseas section, checked cell by cell.

The layout drifts between eras (header at row 6, 8 or 5; an ``AIR FORCE/SPACE FORCE`` column, later a
separate ``SPACE FORCE`` one; ``ARMY***`` with ``N/A`` cells; suppressed ``NAME*`` rows), so nothing is
found by position. Every problem raises :class:`WorkbookError`, naming the file, the sheet row and the
column (with its header).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from openpyxl.utils import get_column_letter

from ..validate import DataError

HEADER_SEARCH_ROWS = 40
MAX_TABLE_ROWS = 1000  # location rows between the header and GRAND TOTAL (about 240 in practice)
FOOTER_ROWS = 40

AS_OF_RE = re.compile(r"^as of\s+([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\.?$", re.IGNORECASE)
DRS_RE = re.compile(r"DRS\s*#\s*(\d+)", re.IGNORECASE)
PREPARED_RE = re.compile(r"^prepared by .* on (.+?)\.?$", re.IGNORECASE)

# Active-duty columns -> services in data/troops/personnel.csv.
ACTIVE_SERVICES = {"ARMY": "army", "NAVY": "navy", "MARINE CORPS": "marine_corps", "AIR FORCE": "air_force",
                   "AIR FORCE/SPACE FORCE": "air_force", "SPACE FORCE": "space_force",
                   "COAST GUARD": "coast_guard", "TOTAL": "total_active_duty"}
GROUP_NAMES = {"active_duty": "ACTIVE DUTY", "reserve": "NATIONAL GUARD / RESERVE",
               "civilian": "APF DOD CIVILIAN", "grand_total": "GRAND TOTAL"}
SF_MERGED = "AIR FORCE/SPACE FORCE"

NA = "N/A"  # a cell printed as N/A (not reported)


class _Blank:
    """An empty cell, a lone space or a '*' (a suppressed value)."""

    def __repr__(self):
        return "<blank>"


BLANK = _Blank()


class _Uncached:
    """A formula cell whose result was never saved: it has no value we may use."""


UNCACHED = _Uncached()


class WorkbookError(DataError):
    """A DMDC workbook is not what the reader expects; the message names file, sheet row and column."""

    def __init__(self, file, expected, found=None, row=None, column=None, header=None, sheet=None):
        self.file, self.row, self.column, self.expected, self.found = file, row, column, expected, found
        self.sheet, self.header = sheet, header
        where = [str(file)]
        if sheet:
            where.append(f"sheet '{sheet}'")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}" + (f" ({header})" if header else ""))
        msg = ", ".join(where) + f": expected {expected}"
        if found is not None:
            msg += f"; found {found!r}"
        ValueError.__init__(self, msg)


@dataclass
class Figure:
    """One number of the JAPAN row as it will be written: where it is and what it says."""
    component: str  # active_duty, selected_reserve_total, dod_civilian_total, grand_total_mil_and_civ
    service: str
    value: int | None  # None = printed as N/A
    cell: str  # e.g. 'C144'
    header: str  # e.g. 'ACTIVE DUTY / ARMY***' as printed


@dataclass
class Report:
    file_name: str
    sha256: str
    size: int
    sheet: str
    period: str  # YYYY-MM
    as_of: date
    header_row: int
    japan_row: int
    label: str  # the Japan row's label as printed
    figures: list[Figure]
    group_sums: dict[str, int | None]  # active_duty / reserve / civilian / grand_total: sum of the parts
    sf_merged: bool
    prepared: str | None = None
    drs: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.as_of.year

    @property
    def quarter(self) -> int:
        return (self.as_of.month - 1) // 3 + 1

    def value(self, service: str) -> int | None:
        return next(f.value for f in self.figures if f.service == service)


def _norm(value) -> str:
    """Header text compared: stripped, upper case, single spaces, no spaces around '/'."""
    if value is None or isinstance(value, (_Blank, _Uncached)):
        return ""
    text = " ".join(str(value).split()).upper()
    return re.sub(r"\s*/\s*", "/", text)


def _group_kind(text: str) -> str | None:
    if text == "LOCATION":
        return "section"
    if text.endswith("STATE/COUNTRY"):  # LOCATION STATE / COUNTRY (to 2017-09), DUTY STATE / COUNTRY
        return "location"
    if text == "ACTIVE DUTY":
        return "active_duty"
    if "RESERVE" in text:
        return "reserve"
    if "CIVILIAN" in text:
        return "civilian"
    if text == "GRAND TOTAL":
        return "grand_total"
    return None


class SheetParser:
    """Reads the rows of one sheet (values, with UNCACHED for formulas without a result)."""

    def __init__(self, name: str, sheet: str, rows: list[list], period: str):
        self.name, self.sheet, self.rows, self.period = name, sheet, rows, period

    def error(self, expected, found=None, row=None, col=None, header=None):
        column = get_column_letter(col + 1) if col is not None else None
        return WorkbookError(self.name, expected, found, row, column, header, self.sheet)

    def cell(self, i: int, j: int):
        row = self.rows[i]
        return row[j] if j < len(row) else None

    # -- header ---------------------------------------------------------------------------------
    def find_header(self) -> int:
        for i, row in enumerate(self.rows[:HEADER_SEARCH_ROWS]):
            if any(_norm(v) == "ACTIVE DUTY" for v in row):
                return i
        raise self.error(f"a header row with 'ACTIVE DUTY' in the first {HEADER_SEARCH_ROWS} rows "
                         "(is this a DMDC location report?)")

    def map_columns(self, h: int) -> None:
        """Name every column by its group (row h) and branch (row h + 1) text."""
        if h + 1 >= len(self.rows):
            raise self.error("a second header row under the group row", row=h + 2)
        width = max(len(self.rows[h]), len(self.rows[h + 1]))
        self.cols: dict[tuple[str, str], int] = {}
        self.headers: dict[int, str] = {}
        self.section_col = self.name_col = None
        current = None
        seen = set()
        for j in range(width):
            g_raw, b_raw = self.cell(h, j), self.cell(h + 1, j)
            g, b = _norm(g_raw), _norm(b_raw).rstrip("*").strip()
            if g:
                kind = _group_kind(g)
                if kind is None:
                    raise self.error("a known column group (LOCATION, ... STATE / COUNTRY, ACTIVE DUTY, "
                                     "NATIONAL GUARD / RESERVE, APF DOD CIVILIAN, GRAND TOTAL)",
                                     found=g_raw, row=h + 1, col=j)
                if kind in seen:
                    raise self.error(f"the column group '{g}' once", found="a second one", row=h + 1, col=j)
                seen.add(kind)
                if kind == "section":
                    self.section_col, current = j, None
                    continue
                if kind == "location":
                    self.name_col, current = j, None
                    continue
                if kind == "grand_total":
                    self.cols[("grand_total", "TOTAL")] = j
                    self.headers[j] = str(g_raw).strip()
                    current = None
                    continue
                current = kind
            if not b:
                continue  # a spacer column, or the lower half of a merged header
            if current is None:
                raise self.error("a column header under one of the known groups", found=b_raw, row=h + 2, col=j)
            if current == "active_duty" and b not in ACTIVE_SERVICES:
                raise self.error(f"an active-duty column named one of {sorted(ACTIVE_SERVICES)}",
                                 found=b_raw, row=h + 2, col=j)
            if (current, b) in self.cols:
                raise self.error(f"one '{b}' column in {GROUP_NAMES[current]}", found="a second one",
                                 row=h + 2, col=j)
            self.cols[(current, b)] = j
            self.headers[j] = f"{GROUP_NAMES[current]} / {str(b_raw).strip()}"
        if self.section_col is None or self.name_col is None:
            raise self.error("a LOCATION column and a '... STATE / COUNTRY' column in the header", row=h + 1)
        active = {b for g, b in self.cols if g == "active_duty"}
        self.sf_merged = SF_MERGED in active
        need = ["ARMY", "NAVY", "MARINE CORPS", SF_MERGED if self.sf_merged else "AIR FORCE", "COAST GUARD", "TOTAL"]
        missing = [b for b in need if b not in active]
        if missing:
            raise self.error(f"active-duty columns {need}", found=f"missing {missing}", row=h + 2)
        if self.sf_merged and ({"AIR FORCE", "SPACE FORCE"} & active):
            raise self.error("either AIR FORCE/SPACE FORCE or separate AIR FORCE and SPACE FORCE columns",
                             found="both", row=h + 2)
        for group in ("reserve", "civilian"):
            if (group, "TOTAL") not in self.cols:
                raise self.error(f"a TOTAL column under {GROUP_NAMES[group]}", row=h + 2)
        if ("grand_total", "TOTAL") not in self.cols:
            raise self.error("a GRAND TOTAL column", row=h + 1)

    # -- the As-of line -------------------------------------------------------------------------
    def as_of(self, h: int) -> date:
        for i in range(h):
            for v in self.rows[i]:
                if not isinstance(v, str):
                    continue
                m = AS_OF_RE.match(v.strip())
                if m:
                    return self._as_of_date(m, v, i)
        raise self.error("an 'As of <Month> <day>, <year>' line above the header", row=h + 1)

    def _as_of_date(self, m, text, i) -> date:
        month_name, day, year = m.group(1).lower(), int(m.group(2)), int(m.group(3))
        months = {n.lower(): k for k, n in enumerate(calendar.month_name) if n}
        months.update({n.lower(): k for k, n in enumerate(calendar.month_abbr) if n})
        if month_name not in months:
            raise self.error("a month name in the 'As of' line", found=text, row=i + 1)
        try:
            as_of = date(year, months[month_name], day)
        except ValueError:
            raise self.error("a real date in the 'As of' line", found=text, row=i + 1) from None
        if f"{as_of:%Y-%m}" != self.period:
            raise self.error(f"the 'As of' date to fall in {self.period}, the period in the file name",
                             found=text.strip(), row=i + 1)
        return as_of

    # -- cells ------------------------------------------------------------------------------------
    def number(self, i: int, j: int):
        """int, NA or BLANK; anything else is an error naming the cell."""
        v = self.cell(i, j)
        where = {"row": i + 1, "col": j, "header": self.headers.get(j)}
        if isinstance(v, _Uncached):
            raise self.error("a number; the cell holds a formula with no saved result (formulas are never "
                             "computed here: open and save the file in a spreadsheet program, or use DMDC's file)",
                             **where)
        if v is None:
            return BLANK
        if isinstance(v, bool):
            raise self.error("a whole number", found=v, **where)
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, int):
            if v < 0:
                raise self.error("a count of 0 or more", found=v, **where)
            return v
        if isinstance(v, str):
            s = v.strip()
            if s in ("", "*"):
                return BLANK
            if s.upper() == NA:
                return NA
        raise self.error("a whole number, 'N/A' or an empty cell", found=v, **where)

    # -- rows -------------------------------------------------------------------------------------
    def walk(self, h: int):
        """Sections by their LOCATION labels; rows of each section; the three total rows."""
        self.data: list[tuple[int, str, str]] = []  # (row index, section, label as printed)
        self.totals: dict[str, int] = {}
        section = None
        for i in range(h + 2, min(len(self.rows), h + 2 + MAX_TABLE_ROWS)):
            a = _norm(self.cell(i, self.section_col))
            label = self.cell(i, self.name_col)
            label = label.strip() if isinstance(label, str) else label
            if a in ("UNITED STATES TOTAL", "OVERSEAS TOTAL", "GRAND TOTAL"):
                self.totals[a] = i
                if a == "GRAND TOTAL":
                    return
                # Rows after UNITED STATES TOTAL are overseas even where the OVERSEAS label is missing.
                section = "overseas" if a == "UNITED STATES TOTAL" else "after"
                continue
            if a.startswith("UNITED STATES"):
                section = "us"
            elif a.startswith("OVERSEAS"):
                section = "overseas"
            elif a:
                raise self.error("a section label (UNITED STATES, UNITED STATES TOTAL, OVERSEAS, OVERSEAS TOTAL, "
                                 "GRAND TOTAL) or an empty cell", found=self.cell(i, self.section_col),
                                 row=i + 1, col=self.section_col)
            numbers = [self.number(i, j) for j in self.cols.values()]
            if not label and all(v is BLANK for v in numbers):
                continue  # a blank spacer row
            if not isinstance(label, str) or not label:
                raise self.error("a location name", found=label, row=i + 1, col=self.name_col)
            if section is None:
                raise self.error("the table to start with the UNITED STATES section", found=a or None,
                                 row=i + 1, col=self.section_col)
            if section == "after":
                raise self.error("GRAND TOTAL right after OVERSEAS TOTAL", found=label, row=i + 1, col=self.name_col)
            self.data.append((i, section, label))
        raise self.error(f"a GRAND TOTAL row within {MAX_TABLE_ROWS} rows of the header")

    def japan(self) -> int:
        rows = [i for i, section, label in self.data if section == "overseas" and label.rstrip("*").strip() == "JAPAN"]
        if not rows:
            elsewhere = [i + 1 for i, section, label in self.data if label.rstrip("*").strip() == "JAPAN"]
            found = f"JAPAN only in the UNITED STATES section (row {elsewhere[0]})" if elsewhere else "no JAPAN row"
            raise self.error("a JAPAN row in the overseas section (after UNITED STATES TOTAL)", found=found,
                             col=self.name_col)
        if len(rows) > 1:
            raise self.error("one JAPAN row in the overseas section", found=f"rows {[i + 1 for i in rows]}",
                             col=self.name_col)
        return rows[0]

    def reconcile(self) -> list[str]:
        """Warnings where section rows do not add up to the printed totals (DMDC files have a few)."""
        out = []
        for j in self.cols.values():
            head = self.headers[j]
            sums = {}
            for section, total in (("us", "UNITED STATES TOTAL"), ("overseas", "OVERSEAS TOTAL")):
                vals = [self.number(i, j) for i, s, _ in self.data if s == section]
                printed = self.number(self.totals[total], j) if total in self.totals else BLANK
                if NA in vals or not isinstance(printed, int):
                    continue
                sums[section] = printed
                got = sum(v for v in vals if isinstance(v, int))
                if got != printed:
                    out.append(f"{total}, {head}: the rows add up to {got:,}, printed {printed:,}")
            grand = self.number(self.totals["GRAND TOTAL"], j)
            if len(sums) == 2 and isinstance(grand, int) and sums["us"] + sums["overseas"] != grand:
                out.append(f"GRAND TOTAL, {head}: the two section totals add up to "
                           f"{sums['us'] + sums['overseas']:,}, printed {grand:,}")
        return out

    def footer(self) -> tuple[str | None, str | None]:
        prepared = drs = None
        start = self.totals["GRAND TOTAL"] + 1
        for row in self.rows[start:start + FOOTER_ROWS]:
            for v in row:
                if not isinstance(v, str):
                    continue
                if prepared is None and (m := PREPARED_RE.match(v.strip())):
                    prepared = m.group(1).strip()
                if drs is None and (m := DRS_RE.search(v)):
                    drs = m.group(1)
        return prepared, drs

    # -- the Japan figures --------------------------------------------------------------------------
    def report(self, sha256: str, size: int) -> Report:
        h = self.find_header()
        self.map_columns(h)
        as_of = self.as_of(h)
        self.walk(h)
        for total in ("UNITED STATES TOTAL", "OVERSEAS TOTAL"):
            if total not in self.totals:
                raise self.error(f"a '{total}' row in the LOCATION column", col=self.section_col)
        i = self.japan()
        label = self.cell(i, self.name_col).strip()
        values = {}
        for (group, branch), j in self.cols.items():
            v = self.number(i, j)
            if v is BLANK:
                raise self.error(f"a number or 'N/A' in the {label} row", found="an empty cell",
                                 row=i + 1, col=j, header=self.headers[j])
            values[(group, branch)] = v
        figures = []
        for (group, branch), j in self.cols.items():
            cell = f"{get_column_letter(j + 1)}{i + 1}"
            v = values[(group, branch)]
            v = None if v == NA else v
            if group == "active_duty":
                figures.append(Figure("active_duty", ACTIVE_SERVICES[branch], v, cell, self.headers[j]))
            elif branch == "TOTAL":
                comp = {"reserve": "selected_reserve_total", "civilian": "dod_civilian_total",
                        "grand_total": "grand_total_mil_and_civ"}[group]
                figures.append(Figure(comp, comp, v, cell, self.headers[j]))
        sums = {}
        for group in ("active_duty", "reserve", "civilian"):
            parts = [v for (g, b), v in values.items() if g == group and b != "TOTAL"]
            sums[group] = None if NA in parts else sum(parts)
        totals = [values[(g, "TOTAL")] for g in ("active_duty", "reserve", "civilian")]
        sums["grand_total"] = None if NA in totals else sum(totals)
        prepared, drs = self.footer()
        return Report(self.name, sha256, size, self.sheet, self.period, as_of, h + 1, i + 1, label, figures,
                      sums, self.sf_merged, prepared, drs, self.reconcile())
