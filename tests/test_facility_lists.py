"""The facility list, its positions and OpenStreetMap outlines; the base-count classification and C14.

Bad input stops with a DataError naming file, row and column; derived flags and verdicts follow edits
made to a copy of the data (data_copy).
"""

import json
import shutil

import pyproj
import pytest
from conftest import assert_data_error, edit_and_expect, edit_cell, find_row
from shapely.geometry import Point

from japan_taiwan_evidence import geo, paths, sources, troops, verdicts
from japan_taiwan_evidence.troops import facility_lists

LIST = facility_lists.LIST_PATH
POS = facility_lists.POSITIONS_PATH
OUT = facility_lists.OUTLINES_PATH
INST = "troops/installations.csv"
GEOD = pyproj.Geod(ellps="WGS84")  # independent of geo.GEOD on purpose
NEAR_M = 50.0  # a point "near" an outline: within this many metres of it


def _outlines_copy(data_copy):
    """The outlines file inside the copy (data_copy leaves GeoJSON files out), as a dict to edit."""
    dst = data_copy / OUT
    shutil.copy(paths.DATA / OUT, dst)
    return dst, json.loads(dst.read_text(encoding="utf-8"))


def _metres_outside(geom, lon, lat) -> float:
    """0 if (lon, lat) is inside geom, else the geodesic distance to the nearest point of its boundary (m)."""
    pt = Point(lon, lat)
    if geom.contains(pt):
        return 0.0
    b = geom.boundary.interpolate(geom.boundary.project(pt))
    return GEOD.inv(lon, lat, b.x, b.y)[2]


# ------------------------------------------------------------------------------------ the committed data
def test_list_positions_and_outlines_load_and_agree():
    lst = facility_lists.load_facility_list()
    pos = facility_lists.load_positions()
    out = facility_lists.load_outlines()
    assert lst["facility_id"].is_unique and lst["fac_no"].dropna().is_unique
    # Okinawa is complete against MOD's count (checked against the data in test_coverage_* below).
    assert set(pos["facility_id"]) <= set(lst["facility_id"])
    osm = pos[pos["osm_id"].notna()]
    assert set(out["facility_id"]) == set(osm["facility_id"])
    assert (osm["licence"] == "ODbL-1.0").all() and (osm["position_quality"] == "outline_centroid").all()
    got = dict(zip(out["facility_id"], zip(out["osm_type"], out["osm_id"])))
    assert all(got[r.facility_id] == (r.osm_type, int(r.osm_id)) for r in osm.itertuples())


def test_outlines_file_is_small_and_rounded():
    path = paths.DATA / OUT
    assert path.stat().st_size < 1_000_000
    coords = json.loads(path.read_text(encoding="utf-8"))["features"][0]["geometry"]["coordinates"]
    flat = coords[0][0] if isinstance(coords[0][0][0], float) else coords[0][0][0]
    assert all(len(repr(v).split(".")[1]) <= 6 for v in flat)


def test_every_outline_position_lies_inside_its_outline():
    pos = facility_lists.load_positions().set_index("facility_id")
    for o in facility_lists.load_outlines().itertuples():
        p = pos.loc[o.facility_id]
        assert _metres_outside(o.geometry, p["lon"], p["lat"]) <= NEAR_M, o.facility_id


def test_every_plotted_installation_with_an_outline_lies_inside_it():
    inst = troops.load_installations().set_index("installation_id")
    lst = facility_lists.load_facility_list().dropna(subset=["installation_id"]).set_index("facility_id")
    outlines = facility_lists.load_outlines()
    checked = 0
    for o in outlines.itertuples():
        if o.facility_id not in lst.index:
            continue
        i = inst.loc[lst.loc[o.facility_id, "installation_id"]]
        assert i["plotted"] and i["coord_quality"] == "outline_centroid", o.facility_id
        assert _metres_outside(o.geometry, i["lon"], i["lat"]) <= NEAR_M, o.facility_id
        checked += 1
    # Every main installation drawn from OSM was checked, none skipped.
    assert checked == int((inst["coord_quality"] == "outline_centroid").sum())


def test_facilities_table_keeps_the_three_position_kinds():
    f = facility_lists.facilities()
    assert set(f["position_quality"]) == {"outline_centroid", "approximate", "none"}
    none = f[f["position_quality"] == "none"]
    assert none[["lat", "lon"]].isna().all().all()
    # A main installation without a position of its own in the list keeps the installation's (approximate) one.
    schwab = f.set_index("facility_id").loc["camp_schwab"]
    assert schwab["position_quality"] == "approximate" and schwab["position_method"] == "list_geocode"


# ------------------------------------------------------------------------------------ bad input
# (loader, file, the row to edit, its new cells, the column the error names, words it must contain)
BAD_ROWS = [
    pytest.param(facility_lists.load_facility_list, LIST, {"facility_id": "camp_hansen"}, {"fac_no": "FAC6009"},
                 "fac_no", ("FAC6009", "used once"), id="duplicate FAC number (Camp Schwab's)"),
    pytest.param(facility_lists.load_facility_list, LIST, {"facility_id": "camp_hansen"}, {"fac_no": "6011"},
                 "fac_no", ("FAC6051",), id="malformed FAC number"),
    pytest.param(facility_lists.load_facility_list, LIST, {"facility_id": "camp_zama"},
                 {"area_source_id": "troops-S07"}, "area_source_id", ("troops-S07",),
                 id="area source registered but not one of the row's sources"),
    pytest.param(facility_lists.load_facility_list, LIST, {"facility_id": "camp_zama"},
                 {"installation_id": "camp_zama_north"}, "installation_id", ("camp_zama_north",),
                 id="unknown installation link"),
    pytest.param(facility_lists.load_positions, POS, {"facility_id": "camp_zama"}, {"lon": "159.4"}, "lon",
                 ("inside Japan",), id="position outside Japan"),
    pytest.param(facility_lists.load_positions, POS, {"facility_id": "camp_zama"},
                 {"facility_id": "camp_zama_north"}, "facility_id", ("camp_zama_north",),
                 id="position of an unlisted facility"),
    pytest.param(facility_lists.load_positions, POS, {"facility_id": "camp_zama"},
                 {"licence": "CC BY-SA (facts cited)"}, "licence", ("ODbL-1.0",), id="OSM position without ODbL"),
    # Still in Japan and in the schema's range, but not the OSM point of its facility.
    pytest.param(facility_lists.facilities, INST, {"installation_id": "camp_zama"}, {"lat": "35.51"}, "lat",
                 ("camp_zama",), id="installation off its facility's position"),
]


@pytest.mark.parametrize("loader, rel, match, edits, column, words", BAD_ROWS)
def test_a_bad_row_stops_with_file_row_and_column(data_copy, loader, rel, match, edits, column, words):
    edit_and_expect(data_copy, loader, rel, match, edits, column, *words)


def test_outline_of_an_unknown_facility_stops(data_copy):
    dst, fc = _outlines_copy(data_copy)
    n = next(i for i, f in enumerate(fc["features"], 1) if f["properties"]["facility_id"] == "camp_zama")
    fc["features"][n - 1]["properties"]["facility_id"] = "camp_zama_north"
    dst.write_text(json.dumps(fc), encoding="utf-8")
    assert_data_error(facility_lists.load_outlines, data_copy, OUT, n, "facility_id", "camp_zama_north")


def test_outline_of_another_osm_element_stops(data_copy):
    dst, fc = _outlines_copy(data_copy)
    n = next(i for i, f in enumerate(fc["features"], 1) if f["properties"]["facility_id"] == "camp_zama")
    fc["features"][n - 1]["properties"]["osm_id"] = 1
    dst.write_text(json.dumps(fc), encoding="utf-8")
    assert_data_error(facility_lists.load_outlines, data_copy, OUT, n, "osm_id", "way/1")


# ------------------------------------------------------------------------------------ derived results
def test_area_check_uses_the_geodesic_outline_area():
    areas = facility_lists.area_check().set_index("facility_id")
    geom = facility_lists.load_outlines().set_index("facility_id").loc["kadena_air_base", "geometry"]
    assert areas.loc["kadena_air_base", "outline_area_km2"] == pytest.approx(geo.area_km2(geom))
    assert areas.loc["kadena_air_base", "listed_area_km2"] == pytest.approx(19.855)


def test_area_disagreement_follows_the_data(data_copy):
    before = facility_lists.area_check(data_copy).set_index("facility_id")["disagrees"]
    assert not before["kadena_air_base"] and before["northern_training_area"]
    assert before.isna()["mcas_futenma"]  # no listed area: nothing to compare
    path = data_copy / LIST
    edit_cell(path, find_row(path, facility_id="kadena_air_base"), "area_thousand_m2", "40000")
    edit_cell(path, find_row(path, facility_id="northern_training_area"), "area_thousand_m2", "85000")
    after = facility_lists.area_check(data_copy).set_index("facility_id")["disagrees"]
    assert after["kadena_air_base"] and not after["northern_training_area"]


def test_area_tolerance_is_a_parameter():
    strict = facility_lists.area_check(tolerance=0.01)
    loose = facility_lists.area_check(tolerance=1000.0)
    assert strict["disagrees"].sum() > facility_lists.area_check()["disagrees"].sum()
    assert loose["disagrees"].sum() == 0
    with pytest.raises(ValueError):
        facility_lists.area_check(tolerance=0)


def test_coverage_against_mod_count_follows_the_list(data_copy):
    cov = facility_lists.coverage().set_index("geography")
    assert cov.loc["okinawa", "missing"] == 0
    assert cov.loc["japan", "listed"] == cov.loc["okinawa", "listed"] + cov.loc["japan_outside_okinawa", "listed"]
    path = data_copy / LIST
    edit_cell(path, find_row(path, facility_id="camp_lester"), "status", "candidate")
    cov2 = facility_lists.coverage(data_copy).set_index("geography")
    assert cov2.loc["okinawa", "missing"] == 1


@pytest.mark.parametrize("kind, expected", [
    ("official_JP", "official"), ("official_US", "official"), ("official_other", "official"),
    ("news", "secondary"), ("reprint", "secondary"), ("dataset", "secondary"), ("secondary", "secondary"),
    ("encyclopedia", "encyclopedia"), ("advocacy", "advocacy"), ("claim_under_test", "claim"),
    ("", "unclassified"), (None, "unclassified"), ("official (free text)", "unclassified"),
])
def test_publisher_class(kind, expected):
    assert sources.publisher_class(kind) == expected


def test_base_counts_are_classed_by_who_published_them(data_copy):
    table = troops.base_count_table().set_index("definition")
    # MOD counted it, a trade-news report published it; the JSDF-inclusive count rests on a Wikipedia copy.
    assert table.loc["exclusive_use_mod", "counted_by_official_body"]
    assert table.loc["exclusive_use_mod", "published_by"] == "secondary"
    assert table.loc["all_incl_jsdf_available", "published_by"] == "encyclopedia"
    path = data_copy / "sources.csv"
    edit_cell(path, find_row(path, source_id="troops-S07"), "kind", "official_JP")
    edited = troops.base_count_table(data_copy).set_index("definition")
    assert edited.loc["exclusive_use_mod", "published_by"] == "official"


def test_c14_verdict_follows_an_edited_count(data_copy):
    assert verdicts.evaluate("C14", data_dir=data_copy).verdict == verdicts.DIFFERS
    path = data_copy / "troops/base_counts.csv"
    edit_cell(path, find_row(path, count_id="exclusive_use_usfj_facilities_japan_20160623_s06"), "value", "39")
    v = verdicts.evaluate("C14", data_dir=data_copy)
    assert v.verdict == verdicts.SUPPORTED and "USFJ" in v.reasoning
