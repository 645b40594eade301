"""Notebook 04's tables and measurements: installations, distances to Taiwan, launch coast, range bands.

Distances are checked against an independent geodesic search (pyproj.Geod.inv on every vertex of a
densified outline, no projection, no geo.nearest) and must agree within 0.1 %. Bad inputs stop with a
DataError naming file, row and column.
"""

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from conftest import edit_and_expect, edit_cell, find_row
from shapely.geometry import Point

from japan_taiwan_evidence import basemap, geo, missiles, reach, troops
from japan_taiwan_evidence.validate import DataError

INST = "troops/installations.csv"
CLASSES = "missiles_2022/range_classes.csv"
REGIONS = "missiles_2022/launch_regions.csv"
RANGES = "missiles_2022/ranges.csv"
GEOD = pyproj.Geod(ellps="WGS84")  # independent of geo.GEOD on purpose
MAIN_INSTALLATIONS = {
    "Kadena Air Base", "Kadena Ammunition Storage Area", "Marine Corps Air Station Futenma", "Camp Schwab",
    "Camp Hansen", "Camp Foster (Camp Zukeran)", "Camp Kinser (Makiminato Service Area)",
    "White Beach Naval Facility", "Torii Station (US Army Garrison Okinawa)", "US Fleet Activities Sasebo",
    "Marine Corps Air Station Iwakuni", "US Fleet Activities Yokosuka", "Naval Air Facility Atsugi",
    "Yokota Air Base", "Camp Zama", "Misawa Air Base", "Akizuki Ammunition Depot", "Sagami General Depot",
    "Kyogamisaki Communications Site (X-band radar)", "Shariki Communications Site (X-band radar)",
}


def brute_km(a, b, step=0.002, chunk=32) -> float:
    """Shortest geodesic distance between the vertices of two densified outlines (or points), exhaustive
    in effect: vertices go in runs of `chunk`, and a pair of runs is searched vertex by vertex unless the
    triangle inequality (distance between the runs' first vertices minus each run's radius) proves it
    cannot beat the best distance found so far. Same answer as every pair, a fraction of the work."""
    def pts(g):
        if g.geom_type == "Point":
            return np.array([[g.x, g.y]])
        line = g.boundary if g.geom_type in ("Polygon", "MultiPolygon") else g
        return shapely.get_coordinates(shapely.segmentize(line, step))

    def runs(P):
        groups = [P[i:i + chunk] for i in range(0, len(P), chunk)]
        heads = np.array([g[0] for g in groups])
        radius = np.array([GEOD.inv(np.full(len(g), g[0, 0]), np.full(len(g), g[0, 1]), g[:, 0], g[:, 1])[2].max()
                           for g in groups])
        return groups, heads, radius

    def inv_min(P, Q):
        x1, x2 = np.meshgrid(P[:, 0], Q[:, 0], indexing="ij")
        y1, y2 = np.meshgrid(P[:, 1], Q[:, 1], indexing="ij")
        return GEOD.inv(x1.ravel(), y1.ravel(), x2.ravel(), y2.ravel())[2].min()

    (ga, ha, ra), (gb, hb, rb) = runs(pts(a)), runs(pts(b))
    x1, x2 = np.meshgrid(ha[:, 0], hb[:, 0], indexing="ij")
    y1, y2 = np.meshgrid(ha[:, 1], hb[:, 1], indexing="ij")
    heads = GEOD.inv(x1.ravel(), y1.ravel(), x2.ravel(), y2.ravel())[2].reshape(x1.shape)
    best = heads.min()  # a distance between two real vertices: an upper bound
    bound = heads - ra[:, None] - rb[None, :]
    for flat in np.argsort(bound, axis=None):
        i, j = np.unravel_index(flat, bound.shape)
        if bound[i, j] > best:
            break  # every remaining pair of runs is provably farther apart
        best = min(best, inv_min(ga[i], gb[j]))
    return best / 1000.0


@pytest.fixture(scope="module")
def to_taiwan():
    return reach.distances_to_taiwan().set_index("name")


@pytest.fixture(scope="module")
def coast():
    return reach.launch_coast()


# ------------------------------------------------------------------------------------ the table
def test_main_installations_listed_with_service_prefecture_and_source():
    inst = reach.installations()
    assert set(inst["name"]) == MAIN_INSTALLATIONS
    assert inst[["service", "prefecture", "source_id"]].notna().all().all()
    assert set(inst["service_key"]) <= {"army", "navy", "marine_corps", "air_force"}
    # Every plotted position names its source, which is one of the row's sources.
    plotted = inst[inst["plotted"]]
    assert plotted["coord_source_id"].notna().all()


def test_installation_without_coordinates_is_listed_but_not_plotted(to_taiwan, coast):
    inst = reach.installations()
    unplotted = inst[~inst["plotted"]]
    assert set(unplotted["installation_id"]) == {"akizuki_ammunition_depot"}
    assert unplotted[["lat", "lon"]].isna().all().all()
    assert (unplotted["coord_quality"] == "none").all()
    # Listed (above) but in no measurement or map layer.
    assert not set(unplotted["name"]) & set(to_taiwan.index)
    launch = reach.distances_to_launch_coast(coast=coast)
    assert not set(unplotted["installation_id"]) & set(launch["installation_id"])
    assert len(launch) == inst["plotted"].sum()


def test_vine_akizuki_point_is_flagged_wrong():
    f = troops.load_facilities().set_index("facility_id")
    row = f.loc["vine_akizuki_ammunition_depot"]
    assert row["coord_quality"] == "wrong" and pd.isna(row["lat"])


# ------------------------------------------------------------------------------------ bad input
# (loader, file, the row to edit, its new cells, the column the error names or None, words it must contain)
BAD_ROWS = [
    pytest.param(troops.load_installations, INST, {"installation_id": "camp_zama"}, {"lon": "121.4"}, "lon",
                 ("inside Japan",), id="installation outside Japan"),
    pytest.param(troops.load_installations, INST, {"installation_id": "akizuki_ammunition_depot"},
                 {"lat": "34.2", "lon": "132.4"}, None, ("coord_quality",), id="position without a source"),
    pytest.param(troops.load_installations, INST, {"installation_id": "kyogamisaki_communications_site"},
                 {"lat": "35.78"}, "lat", ("within one arcsecond",), id="decimal off its published text by a digit"),
    pytest.param(troops.load_installations, INST, {"installation_id": "misawa_air_base"},
                 {"coord_source_id": "facilities-wp-yokota"}, "coord_source_id", ("source_id",),
                 id="coordinate source not cited by the row"),
    pytest.param(troops.load_installations, INST, {"installation_id": "kadena_air_base"},
                 {"facility_id": "vine_kadena_somewhere"}, "facility_id", ("vine_kadena_somewhere",),
                 id="unknown facility link"),
    pytest.param(reach.load_range_classes, CLASSES, {"class_id": "mrbm"}, {"range_lower_km": "3500"}, None,
                 ("range_lower_km below range_upper_km",), id="range class lower above upper"),
    pytest.param(reach.load_range_classes, CLASSES, {"class_id": "srbm"}, {"range_lower_km": "-300"},
                 "range_lower_km", (">= 0",), id="negative range class"),
    pytest.param(reach.load_range_classes, CLASSES, {"class_id": "irbm"}, {"range_lower_km": "3200"},
                 "range_lower_km", ("without gaps",), id="range classes leave a gap"),
    pytest.param(reach.range_bands, RANGES, {"system": "DF-17"}, {"range_min_km": "2600"}, None,
                 ("no greater than",), id="system minimum above its maximum"),
    pytest.param(reach.range_bands, RANGES, {"system": "DF-17"}, {"range_max_km": "-2500"}, None, ("> 0",),
                 id="negative system maximum"),
    pytest.param(reach.load_launch_regions, REGIONS, {"region_id": "zhejiang_coast"}, {"lat_north": "31.5"},
                 "lat_north", ("lat_north_published",), id="launch region limit off its published text"),
]


@pytest.mark.parametrize("loader, rel, match, edits, column, words", BAD_ROWS)
def test_a_bad_row_stops_with_file_row_and_column(data_copy, loader, rel, match, edits, column, words):
    edit_and_expect(data_copy, loader, rel, match, edits, column, *words)


def test_launch_region_extent_must_stay_inside_the_detailed_basemap(data_copy):
    path = data_copy / REGIONS
    row = find_row(path, region_id="zhejiang_coast")
    edit_cell(path, row, "lat_north_published", "31°40′N")
    edit_cell(path, row, "lat_north", "31.666667")
    with pytest.raises(ValueError, match="edge of the detailed basemap"):
        reach.launch_coast(data_copy)


# ------------------------------------------------------------------------------------ distances
def test_yonaguni_row_is_reused_not_recomputed(to_taiwan):
    yt = reach.yonaguni_taiwan().set_index("measure").loc["nearest coast to coast"]
    assert to_taiwan.loc["Yonaguni", "distance_km"] == yt["distance_km"]


@pytest.mark.parametrize("place_id", ["ishigaki", "miyako", "okinawa_island"])
def test_island_distance_matches_independent_geodesic(to_taiwan, place_id):
    land = basemap.load_land("detail")
    p = missiles.load_places().loc[place_id]
    island = geo.island_at(land, "JPN", p["lon"], p["lat"])
    taiwan = geo.main_island(land, "TWN")
    # Only Taiwan's eastern half can hold the nearest point; the brute force needs no projection.
    ref = brute_km(island, taiwan.intersection(shapely.box(121.0, 21.5, 122.2, 25.5)))
    got = to_taiwan.loc[reach.ISLANDS[place_id], "distance_km"]
    assert got == pytest.approx(ref, rel=1e-3)
    assert to_taiwan.loc[reach.ISLANDS[place_id], "max_error_km"] <= 1e-3 * got


@pytest.mark.parametrize("installation_id", ["kadena_air_base", "yokota_air_base", "misawa_air_base"])
def test_installation_distance_matches_independent_geodesic(to_taiwan, installation_id):
    inst = reach.installations().set_index("installation_id").loc[installation_id]
    ref = brute_km(Point(inst["lon"], inst["lat"]), reach.taiwan_main_island())
    assert to_taiwan.loc[inst["name"], "distance_km"] == pytest.approx(ref, rel=1e-3)


def test_distances_are_sorted_and_in_a_plausible_order(to_taiwan):
    d = to_taiwan["distance_km"]
    assert d.is_monotonic_increasing
    assert d["Yonaguni"] < d["Ishigaki"] < d["Miyako"] < d["Okinawa Island"] < d["Kadena Air Base"] < d["Misawa Air Base"]


@pytest.mark.parametrize("installation_id", ["kadena_air_base", "fleet_activities_yokosuka"])
def test_launch_coast_distance_matches_independent_geodesic(coast, installation_id):
    dist = reach.distances_to_launch_coast(coast=coast).set_index("installation_id")
    r = dist.loc[installation_id]
    ref = brute_km(Point(r["lon"], r["lat"]), coast["all"], step=0.01)
    assert r["distance_km"] == pytest.approx(ref, rel=1e-3)


def test_launch_coast_lies_inside_the_published_extents(coast):
    regions = reach.load_launch_regions()
    tol = reach.PROVINCE_TOLERANCE_DEG
    boxed = reach.launch_coast(method="coastline_in_published_extent")
    for rid, r in regions.iterrows():
        for seg, slack in ((coast[rid], 2 * tol), (boxed[rid], 0.0)):
            x0, y0, x1, y1 = seg.bounds
            assert r["lon_west"] - slack <= x0 and x1 <= r["lon_east"] + slack
            assert r["lat_south"] - slack <= y0 and y1 <= r["lat_north"] + slack
    # Lakes are not sea: neither a lake shore nor the islands of Qiandao Lake (Zhejiang) count as coast.
    lake_island = shapely.box(118.80, 29.48, 118.90, 29.57)
    assert not coast["all"].intersects(lake_island) and not boxed["all"].intersects(lake_island)


def test_province_polygon_method_needs_an_admin1_layer(data_copy, monkeypatch):
    monkeypatch.setattr(reach.analysis, "_province_polygon", lambda name: None)
    path = data_copy / REGIONS
    row = find_row(path, region_id="fujian_coast")
    with pytest.raises(DataError) as err:
        reach.launch_coast(data_copy)
    assert f"row {row} " in str(err.value) and "admin-1 layer" in str(err.value)


def test_province_outline_must_fit_its_published_extent(data_copy):
    path = data_copy / REGIONS
    row = find_row(path, region_id="zhejiang_coast")
    edit_cell(path, row, "lon_east_published", "121°00′E")  # cuts off the Zhoushan islands
    edit_cell(path, row, "lon_east", "121.0")
    with pytest.raises(ValueError, match="published extent"):
        reach.launch_coast(data_copy)


# ------------------------------------------------------------------------------------ range bands
def test_systems_are_placed_in_their_class():
    bands = reach.range_bands().set_index("band_id")
    assert bands.loc["DF-15 (CSS-6)", "class_id"] == "srbm"
    assert bands.loc["DF-16 (CSS-11)", "class_id"] == "srbm"
    assert bands.loc["DF-17", "class_id"] == "mrbm"
    assert bands.loc["DF-21 / DF-21D", "class_id"] == "mrbm"
    assert bands.loc["DF-26", "class_id"] == "irbm"
    # Weak sources stay flagged, and are drawn as uncertain.
    assert set(bands.index[bands["uncertain"]]) == {"DF-15 (CSS-6)", "DF-21 / DF-21D"}
    classes = reach.load_range_classes()
    within = reach.classify(missiles.load_ranges(), classes).set_index("system")["band_within_class"]
    assert within.all()


def test_classify_straddling_and_out_of_class_ranges():
    classes = reach.load_range_classes()
    ranges = pd.DataFrame({"system": ["a", "b", "c"], "range_min_km": [900.0, 100.0, 6000.0],
                           "range_max_km": [1200.0, 200.0, 7000.0]})
    out = reach.classify(ranges, classes).set_index("system")
    assert out.loc["a", "class_id"] == "mrbm" and not out.loc["a", "band_within_class"]
    assert pd.isna(out.loc["b", "class_id"]) and pd.isna(out.loc["c", "class_id"])


def test_band_counts_semantics():
    dist = pd.DataFrame({"name": ["near", "mid", "far"], "distance_km": [500.0, 900.0, 2000.0]})
    bands = pd.DataFrame([{"band_id": "x", "kind": "system", "label": "x", "class_id": "srbm", "lower_km": 800.0,
                           "upper_km": 1000.0, "quality": "good", "uncertain": False, "source_id": "s"}])
    c = reach.band_counts(dist, bands).iloc[0]
    assert (c["within_lower"], c["in_band"], c["within_upper"], c["beyond"]) == (1, 1, 2, 1)
    assert c["in_band_names"] == "mid"


def test_reach_polygon_is_geodesic(coast):
    clip = (110.0, 18.0, 135.0, 38.0)
    poly = reach.reach_polygon(coast["all"], 1000.0, clip)
    kadena = Point(127.7675, 26.355556)  # 611 km from the launch coast
    assert poly.contains(kadena)
    outside = reach.reach_polygon(coast["all"], 600.0, clip)
    assert not outside.contains(kadena)


def test_large_buffer_is_valid_and_huge_radius_covers_the_box(coast):
    # 2,500 km used to fail inside geo.geodesic_buffer (a self-touching piece); now repaired per piece.
    big = geo.geodesic_buffer(coast["all"], 2500.0)
    assert big.is_valid and big.contains(Point(139.35, 35.75))  # Yokota, ~1,635 km
    clip = (105.0, 15.0, 150.0, 47.0)
    assert reach.reach_polygon(coast["all"], 5500.0, clip).equals(shapely.box(*clip))
    # A box that reaches farther than the radius (down to 60 S) is refused, not silently filled.
    with pytest.raises(ValueError, match="does not cover the box"):
        reach.reach_polygon(coast["all"], 5500.0, (105.0, -60.0, 150.0, 47.0))


def test_ring_line_lies_at_its_radius(coast):
    clip = (110.0, 15.0, 150.0, 45.0)
    ring = reach.ring_line(coast["all"], 1000.0, clip)
    mid = coast["all"].centroid
    at = reach.ring_label_point(ring, mid.x, mid.y, 100.0, 1600.0)
    assert at is not None
    assert geo.nearest(Point(at), coast["all"]).distance_km == pytest.approx(1000.0, rel=1e-3)
    assert reach.ring_label_point(ring, mid.x, mid.y, 100.0, 500.0) is None  # the ring is farther than 500 km


def test_in_view_tells_what_a_map_shows():
    from shapely.geometry import Point
    from japan_taiwan_evidence import reach
    extent = (112.0, 147.0, 16.0, 44.0)
    assert reach.in_view(Point(130, 30).buffer(1), extent)
    assert not reach.in_view(Point(160, 30).buffer(1), extent)
    assert not reach.in_view(Point(130, 30).buffer(1).difference(Point(130, 30).buffer(2)), extent)
