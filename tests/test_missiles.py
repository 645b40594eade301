"""Notebook 03's computations (japan_taiwan_evidence.missiles) and the checks of C08-C11: the numbers, and
verdicts that follow the data when a launch, a place, a record or the claimed value is edited."""

from types import SimpleNamespace

import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from japan_taiwan_evidence import geo, missiles, params, validate, verdicts
from japan_taiwan_evidence.validate import DataError

from conftest import edit_cell, find_row

LAUNCHES = "missiles_2022/launches.csv"
REPORTED = "missiles_2022/reported_distances.csv"


@pytest.fixture(scope="module")
def shares():
    return missiles.zone_eez_shares(missiles.load_zones(), missiles.claimed_eez())


def _zones(**polys) -> pd.DataFrame:
    """A vertex table like load_zones() for synthetic zones."""
    rows = []
    for zid, poly in polys.items():
        for i, (lon, lat) in enumerate(list(poly.exterior.coords)[:-1], 1):
            rows.append({"zone_id": zid, "vertex_order": i, "lon": lon, "lat": lat, "authority": "pla_via_xinhua",
                         "flag": None, "location": "test", "source_id": "missiles-S01"})
    return pd.DataFrame(rows)


# --- shares of the zones inside the EEZ ------------------------------------------------------------

def test_share_inside_is_exact_on_synthetic_geometry():
    # Two equal 1x1-degree cells on the equator: half the zone lies in the "EEZ".
    eez = SimpleNamespace(zone=box(1, 0, 3, 1), territorial_sea=Polygon())
    out = missiles.zone_eez_shares(_zones(ZA=box(0, 0, 2, 1), ZB=box(1, 0, 2, 1), ZC=box(5, 0, 6, 1)), eez)
    s = out.set_index("zone_id")
    assert s.loc["ZA", "share_in_eez"] == pytest.approx(0.5, rel=1e-9)
    assert s.loc["ZB", "share_in_eez"] == pytest.approx(1.0) and s.loc["ZC", "share_in_eez"] == 0.0
    assert list(s["inside"]) == [False, True, False]  # inside means more than the inside_share knob
    assert s.loc["ZA", "area_km2"] == pytest.approx(2 * s.loc["ZA", "in_eez_km2"], rel=1e-9)


def test_zone_shares_on_the_committed_data(shares):
    s = shares.set_index("zone_id")["share_in_eez"]
    assert s["Z4"] == pytest.approx(0.87, abs=0.02)  # south-west of Hateruma: mostly inside
    assert s["Z3"] == pytest.approx(0.05, abs=0.02)  # north-north-west of Yonaguni: mostly outside
    assert 0.5 < s["Z7"] < 0.75
    assert (s[["Z1", "Z2", "Z5", "Z6"]] == 0).all()
    assert (shares["in_territorial_sea_km2"] == 0).all()  # no zone reaches 12 nmi of Japanese land
    assert set(shares.loc[shares["inside"], "zone_id"]) == {"Z4", "Z7"}


def test_missiles_per_zone_counts_only_mod():
    per = missiles.missiles_per_zone(missiles.load_launches(), missiles.load_zones()).set_index("zone_id")
    assert per["missiles_mod"].to_dict() == {"Z1": 0, "Z2": 1, "Z3": 1, "Z4": 5, "Z5": 0, "Z6": 2, "Z7": 0}
    assert per["in_eez_per_mod"].sum() == 5 and per.loc["Z4", "in_eez_per_mod"] == 5
    assert per.loc["Z4", "zone_basis"] == "matched_by_direction"


def test_two_counts_agree_and_the_threshold_range(shares):
    launches = missiles.load_launches()
    n = missiles.eez_counts(missiles.missile_table(launches, shares))
    assert (n["total"], n["per_mod"], n["by_zone"], n["disagree"]) == (9, 5, 5, [])
    lo, hi = missiles.inside_thresholds(shares, launches)
    z = shares.set_index("zone_id")["share_in_eez"]
    assert (lo, hi) == (z["Z3"], z["Z4"]) and lo < params.default("inside_share") < hi


def test_a_zone_edit_changes_the_geometric_count(data_copy, shares):
    edit_cell(data_copy / LAUNCHES, find_row(data_copy / LAUNCHES, launch_id="JPMOD-1"), "zone_id", "Z4")
    n = missiles.eez_counts(missiles.missile_table(missiles.load_launches(data_copy), shares))
    assert (n["per_mod"], n["by_zone"], n["disagree"]) == (5, 6, ["JPMOD-1"])


# --- distances ------------------------------------------------------------------------------------

def test_distance_range_on_the_equator():
    zone = box(0.5, -0.1, 1.0, 0.1)
    r = missiles.distance_range(0.0, 0.0, zone)
    assert r["nearest_km"] == pytest.approx(geo.distance_km(0, 0, 0.5, 0), abs=1e-6)
    assert r["farthest_km"] == pytest.approx(geo.distance_km(0, 0, 1.0, 0.1), rel=1e-9)
    assert r["nearest_compass"] == "E" and r["compass_span"] == ["E"]
    # Seen from inside the span of several sectors, in clockwise order across north.
    r = missiles.distance_range(0.0, 0.0, box(-0.3, 1.0, 0.3, 1.5))  # corners at about 343 and 17 degrees
    assert r["compass_span"] == ["NNW", "N", "NNE"]


def test_yonaguni_and_hateruma_to_the_zones():
    d = missiles.place_zone_distances([("yonaguni", "Z3"), ("hateruma_south", "Z4")]).set_index("place_id")
    assert d.loc["yonaguni", "point_km"] == pytest.approx(66.7, abs=0.1)
    assert d.loc["yonaguni", "point_compass"] == "NNW"
    assert d.loc["hateruma_south", "point_km"] == pytest.approx(61.1, abs=0.1)
    assert d.loc["hateruma_south", "point_compass"] == "SW"
    assert (d["coast_km"] <= d["point_km"]).all()  # the coast is never farther than a point on the island


def test_reported_80_km_fits_zone_3(data_copy):
    rep = missiles.reported_distance_checks()
    assert rep["zone_id"].eq("Z3").all() and rep["distance_fits"].all()
    assert rep["direction_fits"].dropna().all() and rep["direction_fits"].notna().sum() == 2
    row = find_row(data_copy / REPORTED, report_id="jiji-2022-08-04")
    edit_cell(data_copy / REPORTED, row, "distance_published", "50")
    edit_cell(data_copy / REPORTED, row, "distance_km", "50")
    rep = missiles.reported_distance_checks(data_copy).set_index("report_id")
    assert not rep.loc["jiji-2022-08-04", "distance_fits"]  # nearer than Z3's nearest edge (66.7 km)


def test_reported_distances_reject_bad_rows(data_copy):
    path = data_copy / REPORTED
    row = find_row(path, report_id="nyt-2022-08-04")
    edit_cell(path, row, "distance_km", "50")  # 50 miles is not 50 km
    with pytest.raises(DataError) as err:
        missiles.load_reported_distances(data_copy)
    assert f"data/{REPORTED}, row {row} " in str(err.value) and "'distance_km'" in str(err.value)
    edit_cell(path, row, "distance_km", "80.467")
    edit_cell(path, row, "launch_id", "JPMOD-10")
    with pytest.raises(DataError, match=r"row 3 .*'launch_id'.*JPMOD-10"):
        missiles.load_reported_distances(data_copy)


def test_westernmost_land_is_on_yonaguni():
    west = missiles.westernmost_land()
    assert west["on_island"].all() and set(west["basemap"]) == {"detail", "overview"}
    beyond = missiles.places_west_of(west["lon"].min()).set_index("place_id")
    assert "tuishi" in beyond.index and beyond.loc["tuishi", "kind"] == "rock"
    assert 0 < beyond.loc["tuishi", "off_island_km"] < params.default("coast_resolution_km")


# --- verdicts follow the data ---------------------------------------------------------------------

def _v(cid, data_dir=None):
    return verdicts.evaluate(cid, data_dir)


def test_committed_verdicts():
    assert _v("C08").verdict == verdicts.SUPPORTED and "Tuishi" in _v("C08").reasoning
    assert _v("C09").verdict == verdicts.CAVEATS
    assert _v("C10").verdict == verdicts.CAVEATS and "precision-strike" in _v("C10").reasoning
    c11 = _v("C11")
    assert c11.verdict == verdicts.SUPPORTED and "MOD: 5 of 9" in c11.measured and "by zone: 5 of 9" in c11.measured
    for cid in ("C08", "C09", "C10", "C11"):
        v = _v(cid)
        assert v.rule and v.source_ids and all(s in validate.registry_ids() for s in v.source_ids)


def test_c11_follows_mod_flag_zone_and_claimed_value(data_copy):
    path = data_copy / LAUNCHES
    edit_cell(path, find_row(path, launch_id="JPMOD-1"), "zone_id", "Z4")
    v = _v("C11", data_copy)
    assert v.verdict == verdicts.CAVEATS and "gives 6" in v.reasoning and "JPMOD-1" in v.reasoning
    edit_cell(path, find_row(path, launch_id="JPMOD-1"), "zone_id", "Z3")
    edit_cell(path, find_row(path, launch_id="JPMOD-5"), "in_japan_eez_per_mod", "false")
    assert _v("C11", data_copy).verdict == verdicts.DIFFERS
    edit_cell(path, find_row(path, launch_id="JPMOD-5"), "in_japan_eez_per_mod", "true")
    assert _v("C11", data_copy).verdict == verdicts.SUPPORTED
    reg = data_copy / "claims.csv"
    edit_cell(reg, find_row(reg, claim_id="C11"), "claimed_value", "4")
    assert _v("C11", data_copy).verdict == verdicts.DIFFERS


def test_c09_follows_the_claimed_distance(data_copy):
    reg = data_copy / "claims.csv"
    row = find_row(reg, claim_id="C09")
    edit_cell(reg, row, "claimed_value", "107")  # the nearest land-to-land distance, not the cape-to-Su'ao one
    v = _v("C09", data_copy)
    assert v.verdict == verdicts.CAVEATS and "only the nearest" in v.reasoning
    edit_cell(reg, row, "claimed_value", "120")
    assert _v("C09", data_copy).verdict == verdicts.DIFFERS


def test_c08_follows_the_places(data_copy):
    path = data_copy / "places.csv"
    row = find_row(path, place_id="tuishi")
    edit_cell(path, row, "lon_published", "122°54′00″E")  # about 3 km west of Yonaguni's coast
    edit_cell(path, row, "lon", "122.900000")
    assert _v("C08", data_copy).verdict == verdicts.CAVEATS
    # Put the "Yonaguni" reference point on Hateruma: the westernmost land is then not on that island.
    hateruma = missiles.load_places(data_copy).loc["hateruma"]
    yon = find_row(path, place_id="yonaguni")
    for col in ("lat_published", "lon_published", "lat", "lon"):
        edit_cell(path, yon, col, str(hateruma[col]))
    assert _v("C08", data_copy).verdict == verdicts.DIFFERS


def test_c10_follows_launch_dates_and_the_record(data_copy):
    events = data_copy / "diplomacy/events.csv"
    row = find_row(events, event_id="pla-etc-statement-2022-08-04")
    # The label is read from the record's `terms` tags, not from the wording of `what`.
    edit_cell(events, row, "what", "Statement: the rocket force carried out precision missile strikes east of Taiwan")
    assert _v("C10", data_copy).verdict == verdicts.CAVEATS
    edit_cell(events, row, "terms", "precision_missile_strikes")
    assert _v("C10", data_copy).verdict == verdicts.SUPPORTED
    path = data_copy / LAUNCHES
    edit_cell(path, find_row(path, launch_id="JPMOD-9"), "launch_time", "2022-08-05T16:08+09:00")
    v = _v("C10", data_copy)
    assert v.verdict == verdicts.DIFFERS and "2022-08-05" in v.reasoning
