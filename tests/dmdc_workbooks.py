"""Synthetic DMDC location workbooks for the tests, built with openpyxl in each era's layout.

Only the layout follows DMDC's files (title lines, the two-row header at row 6, 8 or 5, the LOCATION
sections and total rows); the locations and counts are made up, small and easy to check by hand.
"""

from __future__ import annotations

import calendar
from pathlib import Path

import openpyxl

RESERVE = ["ARMY NATIONAL GUARD", "ARMY RESERVE", "NAVY RESERVE", "MARINE CORPS RESERVE", "AIR NATIONAL GUARD",
           "AIR FORCE RESERVE", "COAST GUARD RESERVE"]
CIVILIAN = ["ARMY", "NAVY", "MARINE CORPS", "AIR FORCE", "4TH ESTATE (DOD)"]

# Era -> (group header row, column B header, active-duty columns before TOTAL)
ERAS = {
    "2008": (6, "LOCATION STATE / COUNTRY", ["ARMY", "NAVY", "MARINE CORPS", "AIR FORCE", "COAST GUARD"]),
    "2018": (6, "DUTY STATE / COUNTRY", ["ARMY", "NAVY", "MARINE CORPS", "AIR FORCE", "COAST GUARD"]),
    "2021": (6, "DUTY STATE / COUNTRY", ["ARMY", "NAVY", "MARINE CORPS", "AIR FORCE/SPACE FORCE", "COAST GUARD"]),
    "2022": (8, "DUTY STATE / COUNTRY", ["ARMY", "NAVY", "MARINE CORPS", "AIR FORCE/SPACE FORCE", "COAST GUARD"]),
    "2023na": (8, "DUTY STATE / COUNTRY", ["ARMY***", "NAVY", "MARINE CORPS", "AIR FORCE/SPACE FORCE", "COAST GUARD"]),
    "2023": (8, "DUTY STATE / COUNTRY", ["ARMY", "NAVY", "MARINE CORPS", "AIR FORCE", "SPACE FORCE", "COAST GUARD"]),
    "2024": (5, "DUTY STATE / COUNTRY", ["ARMY", "NAVY", "MARINE CORPS", "AIR FORCE", "SPACE FORCE", "COAST GUARD"]),
}

JAPAN = {"ARMY": 2500, "NAVY": 20000, "MARINE CORPS": 18000, "AIR FORCE": 12000, "AIR FORCE/SPACE FORCE": 12050,
         "SPACE FORCE": 100, "COAST GUARD": 20}


def name_for(period: str, suffix: str = "") -> str:
    return f"DMDC_Website_Location_Report_{period[2:4]}{period[5:7]}{suffix}.xlsx"


def _row_values(active_cols, active, na_army=False, reserve_base=1, civ_base=10):
    """Cells of one location row: active services + TOTAL, reserve + TOTAL, civilians + TOTAL, grand total."""
    ad = [("N/A" if na_army and c.startswith("ARMY") else active.get(c.rstrip("*"), 1)) for c in active_cols]
    res = [reserve_base] * len(RESERVE)
    civ = [civ_base + k for k in range(len(CIVILIAN))]
    if na_army:
        return ad + ["N/A"] + res + ["N/A"] + civ + ["N/A"] + ["N/A"]
    return ad + [sum(ad)] + res + [sum(res)] + civ + [sum(civ)] + [sum(ad) + sum(res) + sum(civ)]


def build(path: Path, period: str, era: str, *, japan: dict | None = None, japan_section: str = "overseas",
          as_of: str | None = None, overseas_label: bool = True, starred: bool = False, japan_cell=None,
          formula_in_japan: bool = False, title: str | None = None, drop_active_header: bool = False,
          japan_total=None) -> Path:
    """Write a workbook of `era` for `period` (YYYY-MM) to `path` (a folder: the file gets DMDC's name)."""
    header, col_b, active_cols = ERAS[era]
    na_army = era == "2023na"
    year, month = int(period[:4]), int(period[5:7])
    as_of = as_of or f"As of {calendar.month_name[month]} {calendar.monthrange(year, month)[1]}, {year}"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "LOCATION COUNTRY REPORT"
    ws["A1"] = title or "Number of Military and DoD Appropriated Fund (APF) Civilian Personnel"
    ws["A2"] = "By Assigned Duty Location and Service/Component"
    # Era F puts the Sources line before the As-of line; earlier eras after it.
    ws["A3" if header != 5 else "A4"] = as_of
    ws["A4" if header != 5 else "A3"] = "Sources: made-up test data"
    if header == 8:
        ws["A5"] = "Note: a note line above the header, as in 2022-2024"
    cols = active_cols + ["TOTAL"] + RESERVE + ["TOTAL"] + CIVILIAN + ["TOTAL"]
    n_ad, n_res, n_civ = len(active_cols) + 1, len(RESERVE) + 1, len(CIVILIAN) + 1
    ws.cell(header, 1, "LOCATION")
    ws.cell(header, 2, col_b)
    if not drop_active_header:
        ws.cell(header, 3, "ACTIVE DUTY")
    ws.cell(header, 3 + n_ad, "NATIONAL GUARD / RESERVE")
    ws.cell(header, 3 + n_ad + n_res, "APF DOD CIVILIAN")
    ws.cell(header, 3 + n_ad + n_res + n_civ, "GRAND TOTAL")
    ws.merge_cells(start_row=header, start_column=3, end_row=header, end_column=2 + n_ad)
    for j, text in enumerate(cols, 3):
        ws.cell(header + 1, j, text)

    japan_values = dict(JAPAN, **(japan or {}))
    us = [("ALABAMA", {}), ("GEORGIA", {"ARMY": 40}), ("GUAM", {"ARMY": 5})]
    overseas = [("GEORGIA", {"ARMY": 7}), ("GUAM", {"NAVY": 50}), ("JAPAN", japan_values), ("KOREA, SOUTH", {})]
    if japan_section == "us":
        us.insert(2, overseas.pop(2))
    elif japan_section == "none":
        overseas.pop(2)
    elif japan_section == "both":  # a made-up U.S.-section JAPAN row, to show it is never taken
        us.insert(2, ("JAPAN", {"ARMY": 3, "NAVY": 4}))
    if starred:
        overseas.insert(0, ("AFGHANISTAN*", None))
    overseas.append(("ZZ-UNKNOWN", {"NAVY": 30}))

    r = header + 2
    sums = {"us": None, "overseas": None}
    for section, rows in (("us", us), ("overseas", overseas)):
        first = r
        if section == "us":
            ws.cell(r, 1, "UNITED STATES")
        elif overseas_label:
            ws.cell(r, 1, "OVERSEAS")
        block = []
        for label, active in rows:
            ws.cell(r, 2, label)
            if active is not None:  # a starred row keeps its cells blank (suppressed)
                vals = _row_values(active_cols, active, na_army)
                if label == "JAPAN" and japan_total is not None:
                    vals[len(active_cols)] = japan_total
                for j, v in enumerate(vals, 3):
                    ws.cell(r, j, v)
                block.append(vals)
            r += 1
        if section == "overseas" or section == "us":
            ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
        sums[section] = [("N/A" if any(v == "N/A" for v in col) else sum(col)) for col in zip(*block)]
        ws.cell(r, 1, "UNITED STATES TOTAL" if section == "us" else "OVERSEAS TOTAL")
        for j, v in enumerate(sums[section], 3):
            ws.cell(r, j, v)
        r += 1
    ws.cell(r, 1, "GRAND TOTAL")
    for j, (a, b) in enumerate(zip(sums["us"], sums["overseas"]), 3):
        ws.cell(r, j, "N/A" if "N/A" in (a, b) else a + b)
    ws.cell(r + 3, 1, "Prepared by the Defense Manpower Data Center on January 1, 2030.")
    ws.cell(r + 4, 1, "DRS# 12345")

    japan_rows = [i for i in range(header + 2, r) if ws.cell(i, 2).value == "JAPAN"]
    japan_row = japan_rows[-1] if japan_rows else None  # the overseas one where there are two
    if japan_cell is not None:
        column, value = japan_cell
        ws.cell(japan_row, column).value = value
    if formula_in_japan:
        ws.cell(japan_row, 4, "=1+1")  # saved by openpyxl: a formula with no cached result
    out = Path(path) / name_for(period)
    wb.save(out)
    return out
