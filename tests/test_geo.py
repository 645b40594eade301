"""Geodesy helpers and the EEZ construction, checked against values known independently or exactly."""

import json
import math

import numpy as np
import pyproj
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from japan_taiwan_evidence import basemap, geo, paths
from japan_taiwan_evidence import eez as eez_mod

R_KM = 6371.0
SPHERE = pyproj.Geod(a=R_KM * 1000, b=R_KM * 1000)  # closed forms exist on a sphere


def cap_area_km2(r_km, radius=R_KM):
    """Area of a spherical cap of geodesic radius r: 2 pi R^2 (1 - cos(r/R))."""
    return 2 * math.pi * radius ** 2 * (1 - math.cos(r_km / radius))


def tiny_island(lon, lat, size=1e-4):
    return Polygon([(lon, lat), (lon + size, lat), (lon, lat + size)])


# ------------------------------------------------------------------------------- distances, azimuths
def test_one_degree_of_latitude_at_the_equator():
    # WGS84 meridian arc from 0 to 1 degree: 110.574 km (textbook value).
    assert geo.distance_km(0, 0, 0, 1) == pytest.approx(110.574, abs=0.001)


def test_one_degree_of_longitude_on_the_equator_is_a_times_pi_over_180():
    assert geo.distance_km(0, 0, 1, 0) == pytest.approx(6378.137 * math.pi / 180, abs=1e-6)


def test_azimuths_and_compass():
    assert geo.azimuth_deg(0, 0, 0, 1) == pytest.approx(0.0, abs=1e-9)
    assert geo.azimuth_deg(0, 0, 1, 0) == pytest.approx(90.0, abs=1e-9)
    assert geo.azimuth_deg(0, 0, -1, 0) == pytest.approx(270.0, abs=1e-9)
    assert [geo.compass_point(a) for a in (0, 11.3, 332, 337.6, 223, 359.9)] == \
        ["N", "NNE", "NNW", "NNW", "SW", "N"]


def test_destination_round_trip():
    lon, lat = geo.destination(123.0, 24.5, 300.0, 80.0)
    az, _, d = geo.inverse(123.0, 24.5, lon, lat)
    assert float(d) == pytest.approx(80.0, abs=1e-9)
    assert float(az) == pytest.approx(300.0, abs=1e-9)


def test_vectorised_distances():
    d = geo.distance_km(np.zeros(3), np.zeros(3), np.zeros(3), np.array([1.0, 2.0, 3.0]))
    assert d.shape == (3,) and np.all(np.diff(d) > 110)


# --------------------------------------------------------------------------------- nearest points
def test_point_to_polygon_is_exact():
    n = geo.nearest(Point(0, 0), box(1, -1, 2, 1))
    assert n.distance_km == pytest.approx(6378.137 * math.pi / 180, abs=1e-6)
    assert n.b == pytest.approx((1.0, 0.0), abs=1e-5)  # ~1 m: edges are chords between segmentized vertices
    assert n.azimuth_deg == pytest.approx(90.0, abs=1e-3)
    assert n.max_error_km == 0.0


def test_polygon_to_polygon_within_its_error_bound():
    # Two boxes facing each other across the equator: the nearest points are the inner corners at
    # +-1 degree latitude (meridians converge away from the equator).
    n = geo.nearest(box(-2, -1, -1, 1), box(1, -1, 2, 1))
    exact = geo.distance_km(-1, 1, 1, 1)
    assert abs(n.a[1]) == pytest.approx(1.0, abs=1e-6) and abs(n.b[1]) == pytest.approx(1.0, abs=1e-6)
    assert exact - 1e-6 <= n.distance_km <= exact + n.max_error_km + 1e-6
    assert n.max_error_km < 0.1
    assert geo.distance_to_km(box(0, 0, 1, 1), box(0.5, 0.5, 2, 2)) == 0.0


def test_point_to_line_on_a_meridian():
    # Nearest point of the meridian lon=1 to (0, 0) is on the equator.
    n = geo.nearest((0, 0), LineString([(1, -2), (1, 2)]))
    assert n.b[1] == pytest.approx(0.0, abs=1e-5)


# ------------------------------------------------------------------------------ rings and buffers
def test_geodesic_circle_vertices_are_at_the_radius():
    ring = geo.geodesic_circle(123.0, 24.5, 370.4, n=72)
    lon, lat = np.array(ring.exterior.xy)
    d = geo.distance_km(np.full(lon.size, 123.0), np.full(lon.size, 24.5), lon, lat)
    assert np.allclose(d, 370.4, atol=1e-6)
    assert ring.is_valid and ring.exterior.is_ccw


def test_buffer_of_a_point_on_a_sphere_matches_the_cap_area():
    disc = geo.geodesic_buffer((130.0, 10.0), 370.4, quad_segs=256, geod=SPHERE)
    # The polygon is inscribed in the circle: its area is short by about (2 pi / n)^2 / 6.
    chord = (2 * math.pi / 1024) ** 2 / 6
    assert geo.area_km2(disc, geod=SPHERE) == pytest.approx(cap_area_km2(370.4) * (1 - chord), rel=1e-6)


def test_buffer_of_a_point_on_wgs84_matches_a_dense_geodesic_circle():
    disc = geo.geodesic_buffer((123.0, 24.5), 370.4, quad_segs=256)
    ring = geo.geodesic_circle(123.0, 24.5, 370.4, n=20000)
    ref = abs(geo.GEOD.polygon_area_perimeter(*ring.exterior.xy)[0]) / 1e6
    assert geo.area_km2(disc) == pytest.approx(ref, rel=2e-5)


def test_buffer_of_a_line_reaches_exactly_the_radius():
    # A north-south coast 3 degrees long: at its middle the buffer edge is r km due east and west.
    coast = LineString([(120, 22), (120, 25)])
    buf = geo.geodesic_buffer(coast, 100.0)
    east = geo.destination(120, 23.5, 90.0, 99.9)
    beyond = geo.destination(120, 23.5, 90.0, 100.1)
    assert buf.contains(Point(*east)) and not buf.contains(Point(*beyond))


def test_area_of_a_degree_square_on_a_sphere():
    # R^2 * dlon * (sin(lat2) - sin(lat1)); edges along parallels as drawn in lon/lat.
    expected = R_KM ** 2 * math.radians(1) * (math.sin(math.radians(1)) - 0)
    assert geo.area_km2(box(0, 0, 1, 1), geod=SPHERE, segment_deg=0.001) == pytest.approx(expected, rel=1e-6)


# ------------------------------------------------------------------------------------ claimed EEZ
def test_lone_island_gives_a_200_nmi_disc():
    island = tiny_island(130.0, 10.0)
    eez = eez_mod.japan_claimed_eez({"JPN": island}, (125, 5, 135, 15), quad_segs=256, geod=SPHERE)
    assert eez.limit_km == pytest.approx(370.4)
    assert eez.median_line.is_empty
    chord = (2 * math.pi / 1024) ** 2 / 6
    # Exact answer: the cap of radius 370.4 km (the island's own 1e-8 deg2 is negligible).
    assert geo.area_km2(eez.zone, geod=SPHERE) == pytest.approx(cap_area_km2(370.4) * (1 - chord), rel=1e-4)


def test_two_parallel_coasts_300_nmi_apart_median_line_is_midway():
    gap_km = 300 * geo.NMI_KM
    x = gap_km / geo.distance_km(0, 0, 1, 0)  # degrees of longitude on the equator
    japan, other = box(-1, -3, 0, 3), box(x, -3, x + 1, 3)
    region = (-0.5, -1.0, x + 0.5, 1.0)
    eez = eez_mod.japan_claimed_eez({"JPN": japan, "CHN": other}, region)
    coords = np.array([c for line in getattr(eez.median_line, "geoms", [eez.median_line]) for c in line.coords])
    assert len(coords) > 10
    assert np.allclose(coords[:, 0], x / 2, atol=1e-6)  # exactly midway
    assert coords[:, 1].min() == pytest.approx(-1.0, abs=1e-6) and coords[:, 1].max() == pytest.approx(1.0, abs=1e-6)
    # The zone is the strip from Japan's coast to the median line (150 nmi < 200 nmi limit).
    assert geo.area_km2(eez.zone) == pytest.approx(geo.area_km2(box(0, -1, x / 2, 1)), rel=1e-5)
    assert eez_mod.median_line_error_km(eez, {"JPN": japan, "CHN": other}, n=11) < 0.001


def test_outer_limit_is_200_nmi_from_a_straight_coast():
    japan = box(-1, -3, 0, 3)
    eez = eez_mod.japan_claimed_eez({"JPN": japan}, (-0.5, -1, 5, 1))
    inside = geo.destination(0, 0, 90.0, 370.3)
    outside = geo.destination(0, 0, 90.0, 370.5)
    assert eez.zone.contains(Point(*inside)) and not eez.zone.contains(Point(*outside))
    assert not eez.zone.intersects(Point(-0.5, 0))  # land is not EEZ
    # The territorial sea is the first 12 nmi; the EEZ proper starts beyond it.
    ts_in, ts_out = geo.destination(0, 0, 90.0, 22.2), geo.destination(0, 0, 90.0, 22.25)
    assert eez.territorial_sea.contains(Point(*ts_in)) and not eez.territorial_sea.contains(Point(*ts_out))
    assert not eez.beyond_territorial_sea.contains(Point(*ts_in))
    assert eez.beyond_territorial_sea.contains(Point(*ts_out))


def test_two_islands_median_line_is_equidistant():
    a, b = tiny_island(122.0, 24.0), tiny_island(124.0, 25.0)
    eez = eez_mod.japan_claimed_eez({"JPN": [b], "TWN": [a]}, (121.5, 23.0, 125.0, 26.0))
    for t in np.linspace(0, 1, 7):
        p = eez.median_line.interpolate(t, normalized=True)
        assert geo.distance_to_km(p, a) == pytest.approx(geo.distance_to_km(p, b), abs=0.02)


def test_land_input_forms_agree():
    japan, other = box(-1, -3, 0, 3), box(4, -3, 5, 3)
    region = (-0.5, -1, 4.5, 1)
    a = eez_mod.japan_claimed_eez({"JPN": japan, "CHN": other}, region).area_km2
    b = eez_mod.japan_claimed_eez([("JPN", japan), ("CHN", other)], region).area_km2
    c = eez_mod.japan_claimed_eez([{"iso_a3": "JPN", "geometry": japan},
                               {"type": "Feature", "properties": {"iso_a3": "CHN"},
                                "geometry": {"type": "Polygon", "coordinates": [list(other.exterior.coords)]}}],
                              region).area_km2
    assert a == pytest.approx(b) == pytest.approx(c)


def test_eez_refuses_bad_input():
    with pytest.raises(ValueError, match="no land with iso_a3 == 'JPN'"):
        eez_mod.japan_claimed_eez({"CHN": box(0, 0, 1, 1)}, (0, 0, 2, 2))
    with pytest.raises(ValueError, match="west<east"):
        eez_mod.japan_claimed_eez({"JPN": box(0, 0, 1, 1)}, (2, 0, 0, 2))
    with pytest.raises(ValueError, match="leaves the land data's extent"):
        eez_mod.japan_claimed_eez({"JPN": box(0, 0, 1, 1)}, (0, 0, 2, 2), land_extent=(-1, -1, 3, 3))


def test_eez_on_the_basemap_is_quick_and_consistent():
    land = basemap.load_land("detail")
    region = (118.5, 20.0, 126.5, 27.5)
    eez = eez_mod.japan_claimed_eez(land, region, land_extent=basemap.basemap_extent("detail"))
    yonaguni, hateruma = Point(123.004722, 24.468333), Point(123.787778, 24.040278)  # dossier places
    assert not eez.zone.contains(yonaguni)  # land is not sea
    assert eez.zone.distance(yonaguni) < 0.05 and eez.zone.distance(hateruma) < 0.05
    # The median line runs between Yonaguni and Taiwan.
    between = eez.median_line.intersection(box(122.0, 24.0, 123.0, 25.0))
    assert not between.is_empty
    assert eez_mod.median_line_error_km(eez, land, n=12) < 0.5
    assert "dispute" in eez.assumptions


# ------------------------------------------------------------------------- Marine Regions, IoU
def marine_regions_file(path):
    """A tiny file in the Marine Regions EEZ layer's GeoJSON form (v12 attribute names)."""
    def feat(mrgid, name, pol_type, geom):
        return {"type": "Feature",
                "properties": {"MRGID": mrgid, "GEONAME": name, "POL_TYPE": pol_type, "TERRITORY1": "Japan",
                               "ISO_TER1": "JPN", "SOVEREIGN1": "Japan"},
                "geometry": {"type": "Polygon", "coordinates": [list(geom.exterior.coords)]}}
    fc = {"type": "FeatureCollection", "name": "eez_v12", "features": [
        feat(48954, "Overlapping claim Senkaku Islands: Japan / China / Taiwan", "Overlapping claim",
             box(123, 25.5, 124, 26)),
        feat(8487, "Japanese Exclusive Economic Zone", "200NM", box(122, 23, 126, 25)),
    ]}
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def test_marine_regions_loader(tmp_path, monkeypatch):
    f = marine_regions_file(tmp_path / "eez_v12.geojson")
    g = eez_mod.load_marine_regions_eez(f)
    assert g.equals(box(122, 23, 126, 25))
    monkeypatch.setattr(paths, "EXTERNAL", tmp_path)
    assert eez_mod.load_marine_regions_eez().equals(box(122, 23, 126, 25))
    assert eez_mod.load_marine_regions_eez(mrgid=48954).equals(box(123, 25.5, 124, 26))
    monkeypatch.setattr(paths, "EXTERNAL", tmp_path / "absent")
    assert eez_mod.load_marine_regions_eez() is None
    with pytest.raises(FileNotFoundError):
        eez_mod.load_marine_regions_eez(tmp_path / "nope.geojson")


def test_iou_exact_cases():
    a = box(0, 0, 2, 1)
    assert eez_mod.iou(a, a) == pytest.approx(1.0)
    # Three equal 1x1-degree cells on the equator: intersection 1, union 3.
    assert eez_mod.iou(a, box(1, 0, 3, 1)) == pytest.approx(1 / 3, rel=1e-9)
    assert eez_mod.iou(a, box(5, 0, 6, 1)) == 0.0
    res = eez_mod.agreement(a, box(1, 0, 3, 1), region=(0, 0, 2, 1))
    assert res["iou"] == pytest.approx(0.5, rel=1e-9)
