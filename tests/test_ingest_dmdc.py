"""Reading DMDC location workbooks: the two real files, every era's layout, and bad files.

The committed personnel rows of every period whose workbook is in data/raw/dmdc/ must equal what the
importer makes of that workbook, cell by cell.
"""

import csv
import hashlib
import re

import dmdc_workbooks as wbk
import openpyxl
import pytest

from japan_taiwan_evidence import paths
from japan_taiwan_evidence.ingest import dmdc, dmdc_read
from japan_taiwan_evidence.ingest.dmdc_read import WorkbookError

RAW = sorted((paths.DATA / "raw" / "dmdc").glob("*.xlsx"))


def _csv(rel):
    with open(paths.DATA / rel, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------------------------------------
# The real workbooks
# ---------------------------------------------------------------------------------------------

def test_the_two_real_workbooks_are_committed():
    assert {p.name for p in RAW} >= {"DMDC_Website_Location_Report_2512.xlsx",
                                     "DMDC_Website_Location_Report_1009_resaved.xlsx"}


@pytest.mark.parametrize("path", RAW, ids=lambda p: p.name)
def test_committed_rows_equal_the_workbook_cell_by_cell(path):
    report = dmdc_read.read(path)
    committed = [r for r in _csv("troops/personnel.csv")
                 if r["series"] == dmdc.SERIES and r["report_date"] == report.period]
    assert committed, f"no personnel rows for {report.period}, whose workbook is {path.name}"
    expected = dmdc.personnel_rows(report, committed)
    assert committed == expected
    # ... and they cite the workbook's source, which records the file's hash and the same period.
    source = next(r for r in _csv("sources.csv") if r["source_id"] == f"dmdc-{report.period}")
    assert {r["source_id"] for r in committed} == {source["source_id"]}
    assert hashlib.sha256(path.read_bytes()).hexdigest() in source["notes"]
    assert source["published"] == report.as_of.isoformat()
    assert source["url"].startswith("https://") and dmdc_read.published_name(path.name) in source["url"]


def test_december_2025_values():
    r = dmdc_read.read(paths.DATA / "raw/dmdc/DMDC_Website_Location_Report_2512.xlsx")
    assert (r.period, r.header_row, r.japan_row, r.sf_merged) == ("2025-12", 5, 144, False)
    got = {f.service: f.value for f in r.figures}
    assert got == {"army": 2490, "navy": 21236, "marine_corps": 17972, "air_force": 12446, "space_force": 121,
                   "coast_guard": 23, "total_active_duty": 54288, "selected_reserve_total": 476,
                   "dod_civilian_total": 6920, "grand_total_mil_and_civ": 61684}
    assert next(f.cell for f in r.figures if f.service == "total_active_duty") == "I144"
    assert r.drs == "163396"
    # DMDC's own totals are off in the Navy Reserve column (reported as a note, not an error).
    assert any("NAVY RESERVE" in w for w in r.warnings)


def test_september_2010_values():
    r = dmdc_read.read(paths.DATA / "raw/dmdc/DMDC_Website_Location_Report_1009_resaved.xlsx")
    assert (r.period, r.header_row, r.japan_row) == ("2010-09", 6, 141)
    got = {f.service: f.value for f in r.figures}
    assert "space_force" not in got
    assert (got["army"], got["total_active_duty"], got["grand_total_mil_and_civ"]) == (2515, 46313, 53293)
    assert r.warnings == []  # every column of this file adds up
    assert dmdc_read.published_name(r.file_name) == "DMDC_Website_Location_Report_1009.xlsx"


def test_openpyxl_uses_defusedxml(monkeypatch):
    assert openpyxl.DEFUSEDXML is True
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        dmdc_read.read(RAW[0])


# ---------------------------------------------------------------------------------------------
# Every era's layout (synthetic workbooks)
# ---------------------------------------------------------------------------------------------

ERA_CASES = [  # era, period, header row, suppressed rows, OVERSEAS label
    ("2008", "2010-09", 6, False, True),
    ("2018", "2019-12", 6, True, False),  # starred rows; OVERSEAS label missing
    ("2021", "2021-12", 6, False, True),  # AIR FORCE/SPACE FORCE
    ("2022", "2022-09", 8, False, True),  # header moved to row 8
    ("2023na", "2023-03", 8, False, True),  # ARMY*** and N/A
    ("2023", "2023-09", 8, False, True),  # separate SPACE FORCE
    ("2024", "2026-03", 5, False, True),  # header at row 5, Sources before As of
]


@pytest.mark.parametrize("era,period,header,starred,label", ERA_CASES, ids=[c[0] for c in ERA_CASES])
def test_each_era_is_read_by_its_header_text(tmp_path, era, period, header, starred, label):
    path = wbk.build(tmp_path, period, era, starred=starred, overseas_label=label)
    r = dmdc_read.read(path)
    assert (r.period, r.header_row, r.label) == (period, header, "JAPAN")
    got = {f.service: f.value for f in r.figures}
    active_cols = wbk.ERAS[era][2]
    na = era == "2023na"
    expected_ad = {dmdc_read.ACTIVE_SERVICES[c.rstrip("*")]: wbk.JAPAN[c.rstrip("*")] for c in active_cols}
    if na:
        expected_ad["army"] = None
    for service, value in expected_ad.items():
        assert got[service] == value, service
    assert r.sf_merged == ("AIR FORCE/SPACE FORCE" in active_cols)
    assert ("space_force" in got) == ("SPACE FORCE" in active_cols)
    if na:  # every total is N/A; the other services are there
        assert [got[s] for s in ("total_active_duty", "selected_reserve_total", "dod_civilian_total",
                                 "grand_total_mil_and_civ")] == [None] * 4
        assert got["navy"] == wbk.JAPAN["NAVY"]
    else:
        assert got["total_active_duty"] == sum(expected_ad.values())
        assert got["selected_reserve_total"] == len(wbk.RESERVE)
        assert got["grand_total_mil_and_civ"] == sum(expected_ad.values()) + len(wbk.RESERVE) + got["dod_civilian_total"]
    assert r.warnings == []  # the synthetic sections add up, ZZ-UNKNOWN and starred rows included


def test_labels_in_both_sections_are_kept_apart(tmp_path):
    # GEORGIA and GUAM are in both sections; a JAPAN row in the U.S. section is not Japan.
    r = dmdc_read.read(wbk.build(tmp_path, "2026-03", "2024", japan_section="both"))
    assert (r.value("army"), r.value("navy")) == (wbk.JAPAN["ARMY"], wbk.JAPAN["NAVY"])
    assert r.japan_row > 12  # the overseas row, after UNITED STATES TOTAL
    path = wbk.build(tmp_path, "2026-03", "2024", japan_section="us")
    with pytest.raises(WorkbookError, match="JAPAN only in the UNITED STATES section"):
        dmdc_read.read(path)


def test_rows_after_united_states_total_are_overseas_without_a_label(tmp_path):
    r = dmdc_read.read(wbk.build(tmp_path, "2018-03", "2018", overseas_label=False))
    assert r.value("army") == wbk.JAPAN["ARMY"]


# ---------------------------------------------------------------------------------------------
# Bad files: a clear error naming the file, the sheet row and the column
# ---------------------------------------------------------------------------------------------

def _error(path) -> str:
    with pytest.raises(WorkbookError) as err:
        dmdc_read.read(path)
    return str(err.value)


def test_not_a_dmdc_workbook(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Quarterly budget"
    wb.active["B3"] = 12
    path = tmp_path / wbk.name_for("2026-03")
    wb.save(path)
    msg = _error(path)
    assert path.name in msg and "ACTIVE DUTY" in msg


def test_not_a_workbook_at_all(tmp_path):
    path = tmp_path / wbk.name_for("2026-03")
    path.write_text("<html><body>Service unavailable</body></html>")
    assert "zip archive" in _error(path)


def test_a_file_name_that_is_not_dmdc_s(tmp_path):
    path = wbk.build(tmp_path, "2026-03", "2024")
    other = path.rename(tmp_path / "japan_march.xlsx")
    assert "DMDC_Website_Location_Report_YYMM.xlsx" in _error(other)


def test_no_japan_row(tmp_path):
    msg = _error(wbk.build(tmp_path, "2026-03", "2024", japan_section="none"))
    assert "a JAPAN row in the overseas section" in msg and "column B" in msg


def test_as_of_date_disagrees_with_the_file_name(tmp_path):
    msg = _error(wbk.build(tmp_path, "2026-03", "2024", as_of="As of December 31, 2025"))
    assert "row 4" in msg and "2026-03" in msg and "As of December 31, 2025" in msg


def test_text_where_a_number_should_be(tmp_path):
    path = wbk.build(tmp_path, "2026-03", "2024", japan_cell=(4, "21,236"))
    msg = _error(path)
    assert re.search(r"row \d+, column D \(ACTIVE DUTY / NAVY\)", msg), msg
    assert "whole number" in msg and "'21,236'" in msg


def test_an_empty_cell_in_the_japan_row(tmp_path):
    msg = _error(wbk.build(tmp_path, "2026-03", "2024", japan_cell=(5, None)))
    assert "column E (ACTIVE DUTY / MARINE CORPS)" in msg and "empty" in msg


def test_a_formula_without_a_saved_result_is_never_computed(tmp_path):
    msg = _error(wbk.build(tmp_path, "2026-03", "2024", formula_in_japan=True))
    assert "formula" in msg and "column D" in msg


def test_an_unknown_active_duty_column(tmp_path, monkeypatch):
    monkeypatch.setitem(wbk.ERAS, "odd", (5, "DUTY STATE / COUNTRY", ["ARMY", "NAVY", "MARINES", "AIR FORCE",
                                                                       "COAST GUARD"]))
    msg = _error(wbk.build(tmp_path, "2026-03", "odd"))
    assert "row 6, column E" in msg and "MARINES" in msg


def test_a_file_too_large(tmp_path, monkeypatch):
    path = wbk.build(tmp_path, "2026-03", "2024")
    monkeypatch.setattr(dmdc_read, "MAX_BYTES", 1000)
    assert "at most 1,000 bytes" in _error(path)
