"""The 2022 zone, launch, place and range tables: their contents and every bad row the issues name."""

import pytest

from japan_taiwan_evidence import missiles, validate
from japan_taiwan_evidence.validate import DataError

from conftest import edit_cell, find_row, read_rows, write_rows

ZONES = "missiles_2022/zones.csv"


def _raises(loader, data_copy, *words):
    with pytest.raises(DataError) as err:
        loader(data_copy)
    msg = str(err.value)
    for w in words:
        assert w in msg, msg
    return msg


def test_seven_zones_four_vertices_each():
    z = missiles.load_zones()
    assert sorted(z["zone_id"].unique()) == [f"Z{i}" for i in range(1, 8)]
    assert (z.groupby("zone_id").size() == 4).all()
    assert set(z.loc[z["flag"] == "added_danger_area", "zone_id"]) == {"Z7"}


def test_dms_parsing():
    assert validate.dms_to_decimal("25°15′26″N") == pytest.approx(25.257222, abs=1e-6)
    assert validate.dms_to_decimal("24°26′N") == pytest.approx(24.433333, abs=1e-6)
    assert validate.dms_to_decimal("122°00′09.6″W") == pytest.approx(-122.002667, abs=1e-6)


def test_nine_mod_missiles_and_no_impact_coordinates():
    launches = missiles.load_launches()
    mod = launches[launches["reported_by"] == "japan_mod"]
    assert mod["missile_count"].sum() == 9
    assert not {"lat", "lon"} & set(launches.columns)  # no invented impact points


def test_self_intersecting_zone(data_copy):
    path = data_copy / ZONES
    fields, rows = read_rows(path)
    a = find_row(path, zone_id="Z4", vertex_order="2") - 1
    b = find_row(path, zone_id="Z4", vertex_order="3") - 1
    for col in ("lat_published", "lon_published", "lat", "lon"):
        rows[a][col], rows[b][col] = rows[b][col], rows[a][col]
    write_rows(path, fields, rows)
    _raises(missiles.load_zones, data_copy, f"data/{ZONES}", f"row {a}", "'lat/lon'", "Z4", "self-intersecting")


def test_unclosed_zone(data_copy):
    path = data_copy / ZONES
    fields, rows = read_rows(path)
    rows = [r for r in rows if not (r["zone_id"] == "Z2" and r["vertex_order"] in ("3", "4"))]
    write_rows(path, fields, rows)
    _raises(missiles.load_zones, data_copy, "Z2", "close a polygon")


def test_gap_in_vertex_numbers(data_copy):
    path = data_copy / ZONES
    row = find_row(path, zone_id="Z3", vertex_order="3")
    edit_cell(path, row, "vertex_order", "5")
    _raises(missiles.load_zones, data_copy, f"row {row} ", "'vertex_order'", "without gaps")


def test_latitude_out_of_range(data_copy):
    path = data_copy / ZONES
    row = find_row(path, zone_id="Z1", vertex_order="2")
    edit_cell(path, row, "lat", "124.841667")
    _raises(missiles.load_zones, data_copy, f"row {row} ", "'lat'", "latitude from -90 to 90")


def test_decimal_must_match_published_text(data_copy):
    path = data_copy / ZONES
    row = find_row(path, zone_id="Z3", vertex_order="1")
    edit_cell(path, row, "lat", "25.666667")  # a slip of one decimal digit moves the zone 11 km
    _raises(missiles.load_zones, data_copy, f"row {row} ", "lat_published")


def test_unknown_zone_in_launches(data_copy):
    path = data_copy / "missiles_2022/launches.csv"
    row = find_row(path, launch_id="JPMOD-5")
    edit_cell(path, row, "zone_id", "Z8")
    _raises(missiles.load_launches, data_copy, "data/missiles_2022/launches.csv", f"row {row} ", "'zone_id'", "Z8")


def test_range_min_above_max(data_copy):
    path = data_copy / "missiles_2022/ranges.csv"
    row = find_row(path, system="DF-17")
    edit_cell(path, row, "range_min_km", "2600")
    _raises(missiles.load_ranges, data_copy, f"row {row} ", "range_min_km no greater than range_max_km")


def test_negative_range(data_copy):
    path = data_copy / "missiles_2022/ranges.csv"
    row = find_row(path, system="DF-26")
    edit_cell(path, row, "range_min_km", "-3000")
    _raises(missiles.load_ranges, data_copy, f"row {row} ", "'range_min_km'", "> 0")
