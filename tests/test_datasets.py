"""Every table loads, and every kind of bad input stops with one clear error naming file, row, column."""

import pandas as pd
import pytest

from japan_taiwan_evidence import troops, validate
from japan_taiwan_evidence.validate import DataError

from conftest import edit_cell, find_row, read_rows, write_rows


@pytest.mark.parametrize("path", sorted(validate.TABLES))
def test_every_declared_table_loads(path):
    df = validate.TABLES[path].load()
    assert len(df) > 0


def test_personnel_has_the_2022_reports_and_the_gap():
    p = troops.load_personnel()
    tot = p[(p["series"] == "dmdc_reports") & (p["service"] == "total_active_duty") & (p["year"] == 2022)]
    tot = tot.set_index("report_date")["personnel"]
    assert tot[["2022-03", "2022-06", "2022-09"]].tolist() == [55636, 55453, 53973]
    assert pd.isna(tot["2022-12"])  # the missing report stays a gap, never filled


def test_no_plottable_coordinate_is_flagged_wrong():
    f = troops.load_facilities()
    assert f.loc[f["coord_quality"] == "wrong", ["lat", "lon"]].isna().all().all()
    assert set(f.loc[f["coord_quality"] == "wrong", "name"]) >= {"Koza", "Totsuka", "Yokota AB, Tokyo"}


PERS = "troops/personnel.csv"


def _broken(data_copy, rel, column, value, **match):
    path = data_copy / rel
    row = find_row(path, **match) if match else 3
    edit_cell(path, row, column, value)
    return row


def _expect(data_copy, rel, row, column, words=()):
    with pytest.raises(DataError) as err:
        validate.TABLES[rel].load(data_copy)
    msg = str(err.value)
    assert f"data/{rel}" in msg
    if row is not None:
        assert f"row {row} " in msg
    if column is not None:
        assert f"column '{column}'" in msg
    for w in words:
        assert w in msg
    return msg


def test_wrong_type(data_copy):
    row = _broken(data_copy, PERS, "personnel", "fifty thousand")
    _expect(data_copy, PERS, row, "personnel", ["whole number", "fifty thousand"])


def test_out_of_range(data_copy):
    row = _broken(data_copy, PERS, "personnel", "-5")
    _expect(data_copy, PERS, row, "personnel", ["head count"])


def test_malformed_date(data_copy):
    row = _broken(data_copy, "troops/base_counts.csv", "as_of", "2020-02-30")
    _expect(data_copy, "troops/base_counts.csv", row, "as_of", ["ISO date"])


def test_unknown_source_id(data_copy):
    row = _broken(data_copy, PERS, "source_id", "troops-S01;troops-S99")
    _expect(data_copy, PERS, row, "source_id", ["troops-S99", "data/sources.csv"])


def test_unknown_category(data_copy):
    row = _broken(data_copy, PERS, "qualifier", "roughly")
    _expect(data_copy, PERS, row, "qualifier", ["one of"])


def test_missing_column(data_copy):
    path = data_copy / "troops/base_counts.csv"
    fields, rows = read_rows(path)
    fields.remove("value")
    for r in rows:
        del r["value"]
    write_rows(path, fields, rows)
    _expect(data_copy, "troops/base_counts.csv", None, "value", ["a column named 'value'"])


def test_undocumented_column(data_copy):
    path = data_copy / "troops/okinawa.csv"
    fields, rows = read_rows(path)
    write_rows(path, fields + ["extra"], [dict(r, extra="x") for r in rows])
    _expect(data_copy, "troops/okinawa.csv", None, "extra", ["documented columns"])


def test_duplicate_key(data_copy):
    path = data_copy / "troops/facilities.csv"
    fields, rows = read_rows(path)
    write_rows(path, fields, rows + [dict(rows[4])])
    _expect(data_copy, "troops/facilities.csv", len(rows) + 1, "facility_id", ["unique key"])


def test_ragged_line(data_copy):
    path = data_copy / "troops/okinawa.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + ",surplus\n"
    path.write_text("".join(lines), encoding="utf-8")
    _expect(data_copy, "troops/okinawa.csv", 4, None, ["number of fields"])


def test_missing_file(data_copy):
    (data_copy / "troops/okinawa.csv").unlink()
    _expect(data_copy, "troops/okinawa.csv", None, None, ["file to exist"])


def test_japanese_facility_outside_japan(data_copy):
    row = _broken(data_copy, "troops/facilities.csv", "lon", "121.5", facility_id="vine_kadena_ab_okinawa")
    _expect(data_copy, "troops/facilities.csv", row, "lon", ["inside Japan"])


def test_wrong_coordinate_cannot_be_plotted(data_copy):
    path = data_copy / "troops/facilities.csv"
    row = find_row(path, facility_id="vine_koza")
    edit_cell(path, row, "lat", "35.374167")
    edit_cell(path, row, "lon", "139.39083")
    _expect(data_copy, "troops/facilities.csv", row, None, ["coord_quality"])


def test_empty_value_must_be_explained(data_copy):
    row = _broken(data_copy, PERS, "personnel", "", report_date="2022-09", service="total_active_duty")
    _expect(data_copy, PERS, row, None, ["not_reported"])


def test_error_message_reads_well(data_copy):
    row = _broken(data_copy, PERS, "personnel", "abc")
    msg = _expect(data_copy, PERS, row, "personnel")
    assert msg.startswith(f"data/{PERS}, row {row} (line {row + 1}), column 'personnel': expected")


def test_the_table_cache_follows_edits_to_the_table_and_to_the_registry(data_copy):
    """Tables are cached by name and bytes: an unchanged copy reuses the validated table, an edited
    table is read again, and a registry that no longer holds a row's source stops the next load."""
    assert troops.load_personnel(data_copy).equals(troops.load_personnel())
    path = data_copy / "troops/personnel.csv"
    row = find_row(path, series="dmdc_reports", report_date="2022-09", service="total_active_duty")
    edit_cell(path, row, "personnel", "53999")
    edit_cell(path, row, "flags", "services_sum_mismatch")
    pers = troops.load_personnel(data_copy)
    assert 53999 in set(pers["personnel"])
    sid = pers.loc[pers["personnel"] == 53999, "source_id"].iloc[0]
    fields, rows = read_rows(data_copy / "sources.csv")
    write_rows(data_copy / "sources.csv", fields, [r for r in rows if r["source_id"] != sid])
    with pytest.raises(DataError, match=rf"troops/personnel\.csv.*source_id.*{sid}"):
        troops.load_personnel(data_copy)
