"""Geodesy on the WGS84 ellipsoid: distances, azimuths, geodesic rings and areas, and Japan's claimed EEZ.

Every distance here is geodesic (pyproj.Geod, GeographicLib), never degrees treated as kilometres.
Where a plane is needed (nearest points, buffers, the median line) the work is done in a local
azimuthal-equidistant (AEQD) projection and the error that this introduces is bounded or measured:

* In an AEQD projection centred on c, distances *from c* are exact geodesic distances. Any other
  distance is stretched by at most ``k(rho) - 1`` where ``k(rho) = (rho/R) / sin(rho/R)`` and rho is the
  largest distance from c involved (about ``rho**2 / (6 R**2)``: 0.01 % at 150 km, 0.1 % at 500 km).
  :func:`aeqd_stretch` gives this factor; results carry the bound computed from it.
* Geometries are lon/lat with straight edges in lon/lat (as cartopy draws them with PlateCarree).
  Long edges are segmentized before they are projected or measured, so they keep that shape.

Japan's claimed EEZ (:func:`japan_claimed_eez`) follows Japan's 1996 EEZ Act (Art. 1(2)): the waters
within 200 nautical miles of the baselines, cut back to the median line where that line is nearer
(no agreed line exists in the Yaeyama area). Assumptions, stated again on the result:

1. The coastline of the offline basemap stands in for Japan's legal baselines (low-water line and any
   straight baselines). Straight baselines would push the zone outwards; a generalised coastline
   (vertices ~1.3 km apart) moves it by up to a few hundred metres either way.
2. Every feature with ``iso_a3 == "JPN"`` counts as Japanese land, including the Senkaku/Diaoyu
   islands, as in Japan's claim. The PRC and Taiwan dispute this, and the PRC says there is no
   Japanese EEZ in these waters at all until a boundary is agreed.
3. "Other states" are all other land in the basemap, Taiwan included, each point of coast with full
   effect (no reduced effect for small islands, no agreed lines).
4. The result is only right where all land within 200 nmi is in the land passed in: pass
   ``land_extent`` and the function refuses a region too close to the data's edge.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiLineString, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from . import paths

__all__ = [
    "BASEMAP_FILES",
    "EEZ_ASSUMPTIONS",
    "EEZ_LIMIT_KM",
    "EEZ_LIMIT_NMI",
    "GEOD",
    "JAPAN",
    "MARINE_REGIONS_JAPAN_MRGID",
    "NMI_KM",
    "PROVINCES_FILE",
    "TERRITORIAL_SEA_NMI",
    "ClaimedEEZ",
    "Nearest",
    "aeqd_stretch",
    "agreement",
    "area_km2",
    "azimuth_deg",
    "basemap_extent",
    "basemap_path",
    "compass_point",
    "destination",
    "distance_km",
    "distance_to_km",
    "from_aeqd",
    "geodesic_buffer",
    "geodesic_circle",
    "inverse",
    "iou",
    "japan_claimed_eez",
    "land_features",
    "load_land",
    "load_marine_regions_eez",
    "load_provinces",
    "median_line_error_km",
    "nearest",
    "province_features",
    "to_aeqd",
]

GEOD = pyproj.Geod(ellps="WGS84")
NMI_KM = 1.852  # international nautical mile, exact
EEZ_LIMIT_NMI = 200.0
EEZ_LIMIT_KM = EEZ_LIMIT_NMI * NMI_KM  # 370.4 km
TERRITORIAL_SEA_NMI = 12.0
JAPAN = "JPN"
MARINE_REGIONS_JAPAN_MRGID = 8487  # "Japanese Exclusive Economic Zone" in the Marine Regions gazetteer
# Land by country: iso_a3, name, source, note per feature (load_land / land_features read any of them).
BASEMAP_FILES = {"detail": "land_taiwan_ryukyu.geojson", "overview": "land_east_asia.geojson",
                 "world": "countries_world.geojson"}
# Fujian and Zhejiang (PRC provinces; the 2022 launch regions named by Japan's MOD): load_provinces().
PROVINCES_FILE = "provinces_fujian_zhejiang.geojson"
_FILES = {**BASEMAP_FILES, "provinces": PROVINCES_FILE}
_MEAN_RADIUS_KM = 6371.0088  # IUGG mean radius, only for the distortion bound

EEZ_ASSUMPTIONS = (
    "Constructed, not official: waters within 200 nmi of Japanese land and nearer to Japanese land than "
    "to any other state's land (median line, Japan's 1996 EEZ Act). Basemap coastline stands in for the "
    "legal baselines. The Senkaku/Diaoyu islands count as Japanese, as Japan claims; China and Taiwan "
    "dispute these waters and the PRC rejects a Japanese EEZ here until a boundary is agreed."
)


# ----------------------------------------------------------------------------- points and azimuths
def inverse(lon1, lat1, lon2, lat2, geod: pyproj.Geod = GEOD):
    """(forward azimuth deg in [0, 360), back azimuth deg, distance km) of the geodesic(s) 1 -> 2."""
    az12, az21, dist = geod.inv(lon1, lat1, lon2, lat2)
    return np.mod(az12, 360.0), np.mod(az21, 360.0), np.asarray(dist) / 1000.0


def distance_km(lon1, lat1, lon2, lat2, geod: pyproj.Geod = GEOD):
    """Geodesic distance in km between points (scalars or arrays)."""
    d = inverse(lon1, lat1, lon2, lat2, geod)[2]
    return float(d) if np.ndim(d) == 0 else d


def azimuth_deg(lon1, lat1, lon2, lat2, geod: pyproj.Geod = GEOD):
    """Forward azimuth (degrees clockwise from north, 0-360) of the geodesic from point 1 to point 2."""
    az = inverse(lon1, lat1, lon2, lat2, geod)[0]
    return float(az) if np.ndim(az) == 0 else az


def destination(lon, lat, azimuth, dist_km, geod: pyproj.Geod = GEOD):
    """(lon, lat) reached from (lon, lat) along a geodesic with the given azimuth and length in km."""
    lon2, lat2, _ = geod.fwd(lon, lat, azimuth, np.asarray(dist_km) * 1000.0)
    return lon2, lat2


_COMPASS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]


def compass_point(azimuth: float) -> str:
    """16-point compass name of an azimuth, e.g. 332 -> 'NNW' (to compare with 'NNW of Yonaguni')."""
    return _COMPASS[int(((azimuth % 360.0) + 11.25) // 22.5) % 16]


# ------------------------------------------------------------------------------ local AEQD plane
def aeqd_stretch(rho_km: float) -> float:
    """Upper bound of the AEQD scale factor at rho km from the centre (1 at the centre)."""
    x = rho_km / _MEAN_RADIUS_KM
    return 1.0 if x < 1e-9 else x / math.sin(x)


@lru_cache(maxsize=256)
def _aeqd(lon0: float, lat0: float, a: float, rf: float):
    ellps = f"+a={a} +rf={rf}" if rf else f"+a={a} +b={a}"
    crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} {ellps} +units=m +no_defs")
    geog = pyproj.CRS.from_proj4(f"+proj=longlat {ellps} +no_defs")
    return (pyproj.Transformer.from_crs(geog, crs, always_xy=True),
            pyproj.Transformer.from_crs(crs, geog, always_xy=True))


def _transformers(lon0, lat0, geod):
    rf = 0.0 if geod.f == 0 else 1.0 / geod.f
    return _aeqd(round(float(lon0), 9), round(float(lat0), 9), float(geod.a), round(rf, 9))


def _apply(geom: BaseGeometry, tr: pyproj.Transformer) -> BaseGeometry:
    def f(xy):
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])
    return shapely.transform(geom, f)


def to_aeqd(geom: BaseGeometry, lon0: float, lat0: float, geod: pyproj.Geod = GEOD) -> BaseGeometry:
    """Geometry in metres in the AEQD projection centred on (lon0, lat0)."""
    return _apply(geom, _transformers(lon0, lat0, geod)[0])


def from_aeqd(geom: BaseGeometry, lon0: float, lat0: float, geod: pyproj.Geod = GEOD) -> BaseGeometry:
    """Inverse of :func:`to_aeqd`."""
    return _apply(geom, _transformers(lon0, lat0, geod)[1])


def _as_geom(g) -> BaseGeometry:
    if isinstance(g, BaseGeometry):
        return g
    if isinstance(g, dict):
        return shape(g)
    lon, lat = g
    return Point(float(lon), float(lat))


# ---------------------------------------------------------------------------------- nearest points
@dataclass(frozen=True)
class Nearest:
    """The nearest pair of points of two geometries and their geodesic distance."""
    distance_km: float
    a: tuple[float, float]  # (lon, lat) on the first geometry
    b: tuple[float, float]  # (lon, lat) on the second geometry
    azimuth_deg: float  # from a to b
    max_error_km: float  # the true minimum lies in [distance_km - max_error_km, distance_km]


def nearest(a, b, geod: pyproj.Geod = GEOD, segment_deg: float = 0.02) -> Nearest:
    """Nearest points of a and b (shapely geometries or (lon, lat)) and their geodesic distance.

    Method: the pair is found in a local AEQD plane centred on (first) a's point nearest to b in
    lon/lat, then (second pass) on the midpoint of that pair; the distance is Geod.inv on the pair.
    Error: when ``a`` is a point the AEQD is centred on it, so the distance is exact up to the
    representation of b's edges. Otherwise every planar distance is within a factor ``aeqd_stretch(rho)``
    of the geodesic one (rho: farthest vertex of a or b from the centre), so the reported distance
    exceeds the true minimum by at most ``max_error_km`` (clip large coasts to the area of interest to
    keep it small: ~0.04 % at 300 km, ~1 % at 1,500 km).
    """
    ga, gb = _as_geom(a), _as_geom(b)
    if ga.is_empty or gb.is_empty:
        raise ValueError("nearest() needs two non-empty geometries")
    if ga.intersects(gb):
        p = ga.intersection(gb).representative_point()
        return Nearest(0.0, (p.x, p.y), (p.x, p.y), float("nan"), 0.0)
    ga_d = shapely.segmentize(ga, segment_deg) if ga.geom_type != "Point" else ga
    gb_d = shapely.segmentize(gb, segment_deg) if gb.geom_type != "Point" else gb
    if ga.geom_type == "Point":
        centre = (ga.x, ga.y)
        passes = 1
    else:
        pa, pb = nearest_points(ga, gb)
        centre = ((pa.x + pb.x) / 2.0, (pa.y + pb.y) / 2.0)
        passes = 2
    for _ in range(passes):
        fwd_a, fwd_b = to_aeqd(ga_d, *centre, geod), to_aeqd(gb_d, *centre, geod)
        qa, qb = nearest_points(fwd_a, fwd_b)
        pa, pb = from_aeqd(qa, *centre, geod), from_aeqd(qb, *centre, geod)
        if ga.geom_type != "Point":
            centre = ((pa.x + pb.x) / 2.0, (pa.y + pb.y) / 2.0)
    if ga.geom_type == "Point":
        pa = ga
    az, _, d = inverse(pa.x, pa.y, pb.x, pb.y, geod)
    d = float(d)
    if ga.geom_type == "Point":
        err = 0.0
    else:
        coords = np.vstack([shapely.get_coordinates(fwd_a), shapely.get_coordinates(fwd_b)])
        rho = float(np.hypot(coords[:, 0], coords[:, 1]).max()) / 1000.0
        k = aeqd_stretch(rho)
        err = d - d / k
    return Nearest(d, (pa.x, pa.y), (pb.x, pb.y), float(az), err)


def distance_to_km(a, b, geod: pyproj.Geod = GEOD) -> float:
    """Geodesic distance in km between the nearest points of a and b (0 if they touch)."""
    return nearest(a, b, geod).distance_km


# ------------------------------------------------------------------------------ rings and buffers
def geodesic_circle(lon: float, lat: float, radius_km: float, n: int = 360,
                    geod: pyproj.Geod = GEOD) -> Polygon:
    """Polygon whose n vertices lie exactly radius_km (geodesic) from (lon, lat); for range rings."""
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = geod.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_km * 1000.0))
    # Counter-clockwise exterior (azimuths run clockwise).
    return Polygon(list(zip(lons[::-1], lats[::-1])))


_TILE_OFFSET = 0.3183  # fraction of a tile


def _pieces(geom: BaseGeometry, tile_deg: float):
    """Split a geometry into parts no larger than one tile, each with the centre of its AEQD."""
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty:
            continue
        if part.geom_type == "Point":
            yield part, (part.x, part.y)
            continue
        x0, y0, x1, y1 = part.bounds
        if x1 - x0 <= tile_deg and y1 - y0 <= tile_deg:
            yield part, ((x0 + x1) / 2, (y0 + y1) / 2)
            continue
        # Tile edges sit off the round degrees, where synthetic and clipped data have their edges.
        o = _TILE_OFFSET * tile_deg
        i0, j0 = math.floor((x0 - o) / tile_deg), math.floor((y0 - o) / tile_deg)
        i1, j1 = max(i0 + 1, math.ceil((x1 - o) / tile_deg)), max(j0 + 1, math.ceil((y1 - o) / tile_deg))
        for i in range(i0, i1):
            for j in range(j0, j1):
                cell = box(o + i * tile_deg, o + j * tile_deg, o + (i + 1) * tile_deg, o + (j + 1) * tile_deg)
                piece = part.intersection(cell)
                if not piece.is_empty:
                    bx0, by0, bx1, by1 = piece.bounds
                    yield piece, ((bx0 + bx1) / 2, (by0 + by1) / 2)


def geodesic_buffer(geom, radius_km: float, quad_segs: int = 64, tile_deg: float = 1.0,
                    geod: pyproj.Geod = GEOD) -> BaseGeometry:
    """All points within radius_km (geodesic) of a geometry, as a lon/lat polygon.

    Exact construction (buffer of a union = union of buffers): the geometry is cut into pieces of at
    most tile_deg x tile_deg; each piece is buffered in an AEQD plane centred on it and projected
    back. For a point this is the exact geodesic circle. For a piece reaching a km from its centre
    the outline is off by at most about ``a**2 * (a + r) / (6 R**2)`` (under 10 m for 1-degree tiles and
    r = 370 km), plus the chord of the polygonal arc, ``r * (1 - cos(pi / (4 quad_segs)))`` inwards
    (28 m for r = 370 km, quad_segs = 64). Not for geometries that cross the antimeridian or a pole.
    """
    g = _as_geom(geom)
    if radius_km <= 0:
        raise ValueError("radius_km must be positive")
    r = radius_km * 1000.0
    out = []
    for piece, (lon0, lat0) in _pieces(g, tile_deg):
        local = to_aeqd(shapely.segmentize(piece, 0.05) if piece.geom_type != "Point" else piece,
                        lon0, lat0, geod)
        buf = local.buffer(r, quad_segs=quad_segs)
        # A buffer of thousands of km can come back from the plane with a tiny self-touching ring;
        # repair each piece, or the union below fails on it.
        out.append(shapely.make_valid(from_aeqd(buf, lon0, lat0, geod)))
    if not out:
        raise ValueError("geodesic_buffer: empty geometry")
    return shapely.make_valid(shapely.union_all(out))


def area_km2(geom, geod: pyproj.Geod = GEOD, segment_deg: float = 0.05) -> float:
    """Area in km2 on the ellipsoid of a lon/lat (multi)polygon, edges straight in lon/lat."""
    g = _as_geom(geom)
    if g.is_empty or g.area == 0:
        return 0.0
    g = shapely.segmentize(g, segment_deg)
    total = 0.0
    for p in getattr(g, "geoms", [g]):
        if isinstance(p, Polygon):
            total += abs(geod.geometry_area_perimeter(shapely.geometry.polygon.orient(p, 1.0))[0])
        elif hasattr(p, "geoms"):
            total += area_km2(p, geod, segment_deg) * 1e6
    return total / 1e6


# ----------------------------------------------------------------------------------------- basemap
def basemap_path(which: str = "detail") -> Path:
    """Path of a committed basemap file: 'detail' (Taiwan-Ryukyu), 'overview' (East Asia), 'world'
    (countries of the world) or 'provinces' (Fujian and Zhejiang)."""
    try:
        name = _FILES[which]
    except KeyError:
        raise ValueError(f"basemap {which!r}: expected one of {sorted(_FILES)}") from None
    path = paths.BASEMAP / name
    if not path.exists():
        # A JTE_DATA_DIR copy of data/ may leave out the large GeoJSON files; the repo's copy is the same.
        fallback = paths.REPO / "data" / "basemap" / name
        if fallback.exists():
            return fallback
        raise FileNotFoundError(f"{path}: basemap missing; rebuild with tools/build_basemap.py")
    return path


@lru_cache(maxsize=4)
def _read_basemap(which: str) -> tuple:
    with open(basemap_path(which), encoding="utf-8") as fh:
        fc = json.load(fh)
    out = []
    for f in fc["features"]:
        p = f["properties"]
        out.append((p["iso_a3"], p["name"], p["source"], p.get("note", ""), shape(f["geometry"])))
    return tuple(out)


def land_features(which: str = "detail") -> list[dict]:
    """Basemap features: dicts with iso_a3, name, source, note and a shapely geometry (lon/lat)."""
    return [{"iso_a3": i, "name": n, "source": s, "note": t, "geometry": g} for i, n, s, t, g in _read_basemap(which)]


def load_land(which: str = "detail") -> dict[str, BaseGeometry]:
    """Land by country from the basemap: {iso_a3: (Multi)Polygon}, sources merged."""
    out: dict[str, list] = {}
    for f in land_features(which):
        out.setdefault(f["iso_a3"], []).append(f["geometry"])
    return {k: shapely.union_all(v) for k, v in sorted(out.items())}


def basemap_extent(which: str = "detail") -> tuple[float, float, float, float]:
    """(west, south, east, north) that the basemap file was clipped to (from build_info.json)."""
    info_path = basemap_path(which).with_name("build_info.json")
    info = json.loads(info_path.read_text(encoding="utf-8"))
    for o in info["outputs"]:
        if o["file"] == _FILES[which]:
            return tuple(o["clip_box"])
    raise ValueError(f"{info_path}: no output {_FILES[which]}")


@lru_cache(maxsize=1)
def _read_provinces() -> tuple:
    with open(basemap_path("provinces"), encoding="utf-8") as fh:
        fc = json.load(fh)
    return tuple((dict(f["properties"]), shape(f["geometry"])) for f in fc["features"])


def province_features() -> list[dict]:
    """Fujian and Zhejiang as dicts: iso_3166_2, name, iso_a3, source, note and a shapely geometry (lon/lat).

    Natural Earth 10m (public domain), built by tools/build_basemap.py; see data/basemap/README.md for how
    the provinces were cut out and how islands were assigned. The coast is Natural Earth's, not the OSM
    coast of the land files.
    """
    return [{**props, "geometry": g} for props, g in _read_provinces()]


def load_provinces() -> dict[str, BaseGeometry]:
    """{name: MultiPolygon} for the provinces in the basemap: 'Fujian' and 'Zhejiang' (PRC)."""
    return {f["name"]: f["geometry"] for f in province_features()}


def _land_by_country(land) -> dict[str, BaseGeometry]:
    """Accept {iso: geom}, [(iso, geom)], [feature dicts], or a GeoDataFrame with iso_a3/geometry."""
    pairs = []
    if isinstance(land, dict):
        for iso, g in land.items():
            for gg in (g if isinstance(g, (list, tuple)) else [g]):
                pairs.append((iso, _as_geom(gg)))
    elif hasattr(land, "geometry") and hasattr(land, "__getitem__") and not isinstance(land, list):
        pairs = list(zip(land["iso_a3"], land.geometry))
    else:
        for item in land:
            if isinstance(item, dict):
                props = item.get("properties", item)
                pairs.append((props["iso_a3"], _as_geom(item["geometry"])))
            else:
                iso, g = item
                pairs.append((iso, _as_geom(g)))
    out: dict[str, list] = {}
    for iso, g in pairs:
        out.setdefault(str(iso), []).append(g)
    return {k: shapely.union_all(v) for k, v in out.items()}


# ------------------------------------------------------------------------------------ claimed EEZ
@dataclass(frozen=True)
class ClaimedEEZ:
    """Japan's claimed EEZ as constructed by :func:`japan_claimed_eez` (all geometries lon/lat)."""
    zone: BaseGeometry  # sea within the limit of Japanese land and nearer to it than to other land
    # (the territorial sea included; see beyond_territorial_sea)
    median_line: BaseGeometry  # equidistance line Japan / others, where it is within the limit
    outer_limit: BaseGeometry  # all points within limit_km of Japanese land (land included)
    nearer_to_japan: BaseGeometry  # the Japan side of the equidistance line (land included)
    territorial_sea: BaseGeometry  # sea within 12 nmi of Japanese land, on Japan's side
    region: tuple[float, float, float, float]
    limit_km: float
    spacing_km: float
    distortion_bound_km: float  # bound on the median line's planar-distance error (see docstring)
    assumptions: str = EEZ_ASSUMPTIONS

    @property
    def area_km2(self) -> float:
        return area_km2(self.zone)

    @property
    def beyond_territorial_sea(self) -> BaseGeometry:
        """The zone less the 12-nmi territorial sea: the EEZ in the strict sense of the 1996 Act."""
        return self.zone.difference(self.territorial_sea)

    @property
    def limit_line(self) -> BaseGeometry:
        """The 200-nmi line where it bounds the zone (on Japan's side of the median line)."""
        edge = box(*self.region).boundary.buffer(1e-6)
        return self.outer_limit.boundary.intersection(self.nearer_to_japan).difference(edge)


def _expand_box(bbox, km: float):
    w, s, e, n = bbox
    dlat = km / 110.574 * 1.02 + 0.01  # 110.574 km per degree of latitude at the equator (the minimum)
    maxlat = min(89.0, max(abs(s - dlat), abs(n + dlat)))
    dlon = km / (111.320 * math.cos(math.radians(maxlat))) * 1.02 + 0.01
    return (w - dlon, max(-90.0, s - dlat), e + dlon, min(90.0, n + dlat))


def _sites(geom_plane: BaseGeometry, spacing_m: float) -> np.ndarray:
    rings = []
    for p in getattr(geom_plane, "geoms", [geom_plane]):
        if isinstance(p, Polygon) and not p.is_empty:
            rings.append(p.exterior)  # interior rings are enclosed by land: never the nearest coast
    if not rings:
        return np.empty((0, 2))
    xy = shapely.get_coordinates(shapely.segmentize(MultiLineString(rings), spacing_m))
    return np.unique(np.round(xy, 1), axis=0)


def japan_claimed_eez(land, region, *, japan: str = JAPAN, limit_nmi: float = EEZ_LIMIT_NMI,
                      spacing_km: float = 2.0, land_extent=None, quad_segs: int = 64,
                      geod: pyproj.Geod = GEOD) -> ClaimedEEZ:
    """Japan's claimed EEZ inside ``region`` = (west, south, east, north), built from land polygons.

    zone = {sea points within limit_nmi of Japanese land and nearer to Japanese land than to any other
    land}; ``median_line`` is the equidistance line between the two, where within the limit. ``land`` is
    anything :func:`load_land` or :func:`land_features` returns (also [(iso, geom)], or a GeoDataFrame
    with columns iso_a3 and geometry). See the module docstring for the assumptions (coastline for
    baselines; Senkaku counted as Japanese as Japan claims; China and Taiwan dispute these waters).

    Method: the outer limit is :func:`geodesic_buffer` of Japanese land (error under ~30 m). The
    equidistance line is the boundary between the Voronoi cells of coast points spaced spacing_km apart,
    Japanese vs other, in one AEQD plane centred on the region; sampling moves it by about
    ``spacing**2 / (8 d)`` (~1 m at 2 km, 50 km out) and planar distances differ from geodesic ones by at
    most ``distortion_bound_km`` (a conservative bound from the plane's stretch; use
    :func:`median_line_error_km` to measure the actual error, typically far smaller).
    Land is clipped to the region grown by the limit, so only that land matters; with ``land_extent``
    (e.g. :func:`basemap_extent`) a region whose grown box leaves the data raises ValueError.
    """
    region = tuple(float(v) for v in region)
    w, s, e, n = region
    if not (w < e and s < n):
        raise ValueError(f"region {region}: expected (west, south, east, north) with west<east, south<north")
    limit_km = limit_nmi * NMI_KM
    grown = _expand_box(region, limit_km)
    if land_extent is not None:
        lw, ls, le, ln = land_extent
        if grown[0] < lw or grown[1] < ls or grown[2] > le or grown[3] > ln:
            raise ValueError(
                f"region {region} grown by {limit_km:.1f} km is {tuple(round(v, 2) for v in grown)}, which "
                f"leaves the land data's extent {tuple(land_extent)}: land beyond it would be missing")
    by_country = _land_by_country(land)
    clip = box(*grown)
    jp = [g.intersection(clip) for iso, g in by_country.items() if iso == japan]
    other = [g.intersection(clip) for iso, g in by_country.items() if iso != japan]
    jp_land = shapely.union_all([g for g in jp if not g.is_empty]) if jp else Polygon()
    other_land = shapely.union_all([g for g in other if not g.is_empty]) if other else Polygon()
    if jp_land.is_empty:
        raise ValueError(f"no land with iso_a3 == {japan!r} within {limit_km:.1f} km of region {region}")
    region_box = box(*region)

    outer = geodesic_buffer(jp_land, limit_km, quad_segs=quad_segs, geod=geod)
    tsea = geodesic_buffer(jp_land, TERRITORIAL_SEA_NMI * NMI_KM, quad_segs=quad_segs, geod=geod)

    lon0, lat0 = (w + e) / 2.0, (s + n) / 2.0
    spacing_m = spacing_km * 1000.0
    jp_plane = to_aeqd(shapely.segmentize(jp_land, 0.02), lon0, lat0, geod)
    if other_land.is_empty:
        nearer_plane = None
        median_plane = MultiLineString()
        bound = 0.0
    else:
        other_plane = to_aeqd(shapely.segmentize(other_land, 0.02), lon0, lat0, geod)
        jp_sites, other_sites = _sites(jp_plane, spacing_m), _sites(other_plane, spacing_m)
        sites = np.vstack([jp_sites, other_sites])
        # Straight, evenly sampled coasts give co-circular sites, on which GEOS returns overlapping
        # cells; a fixed 1 cm jitter removes the degeneracy and keeps the result reproducible.
        sites = sites + np.random.default_rng(0).uniform(-0.01, 0.01, sites.shape)
        is_jp = np.r_[np.ones(len(jp_sites), bool), np.zeros(len(other_sites), bool)]
        grown_plane = to_aeqd(shapely.segmentize(box(*grown), 0.1), lon0, lat0, geod)
        gx0, gy0, gx1, gy1 = grown_plane.bounds
        pad = limit_km * 1000.0
        envelope = box(gx0 - pad, gy0 - pad, gx1 + pad, gy1 + pad)
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(sites), extend_to=envelope,
                                                           ordered=True))
        if len(cells) != len(sites) or not shapely.within(shapely.points(sites), cells).all():
            raise RuntimeError("Voronoi cells do not match their coast points; try another spacing_km")
        # The cells tile the plane, so a coverage union is valid and much faster than a plain union.
        nearer_plane = shapely.coverage_union_all(cells[is_jp])
        inner = box(*shapely.total_bounds(cells)).buffer(-1000.0)
        median_plane = nearer_plane.boundary.intersection(inner)
        # Planar distances to coast within the grown box are off by at most this factor.
        rho = float(np.hypot(sites[:, 0], sites[:, 1]).max()) / 1000.0 + limit_km
        bound = limit_km * (1.0 - 1.0 / aeqd_stretch(rho))

    if nearer_plane is None:
        nearer = box(*grown)
    else:
        nearer = shapely.make_valid(from_aeqd(shapely.segmentize(nearer_plane, spacing_m), lon0, lat0, geod))
    median = from_aeqd(shapely.segmentize(median_plane, spacing_m), lon0, lat0, geod) \
        if not median_plane.is_empty else MultiLineString()

    all_land = shapely.union_all([jp_land, other_land])
    zone = shapely.intersection_all([outer, nearer, region_box]).difference(all_land)
    tsea = shapely.intersection_all([tsea, nearer, region_box]).difference(all_land)
    median = shapely.line_merge(shapely.intersection_all([median, outer, region_box])) \
        if not median.is_empty else median
    return ClaimedEEZ(zone=zone, median_line=median, outer_limit=outer.intersection(region_box),
                      nearer_to_japan=nearer.intersection(region_box), territorial_sea=tsea,
                      region=region, limit_km=limit_km, spacing_km=spacing_km,
                      distortion_bound_km=bound)


def median_line_error_km(eez: ClaimedEEZ, land, *, japan: str = JAPAN, n: int = 40,
                         geod: pyproj.Geod = GEOD) -> float:
    """Measured error of the median line: max over n points on it of |d(Japan) - d(other)| / 2, in km.

    Each distance is geodesic (AEQD centred on the point, so exact), making this an independent check
    of the planar construction. Returns 0.0 if there is no median line in the region.
    """
    line = eez.median_line
    if line.is_empty:
        return 0.0
    by_country = _land_by_country(land)
    grown = box(*_expand_box(eez.region, eez.limit_km))
    jp = shapely.union_all([g for iso, g in by_country.items() if iso == japan]).intersection(grown)
    other = shapely.union_all([g for iso, g in by_country.items() if iso != japan]).intersection(grown)
    total = line.length
    worst = 0.0
    for t in np.linspace(0.0, total, n):
        p = shapely.line_interpolate_point(line, t)
        dj = nearest(p, jp, geod).distance_km
        do = nearest(p, other, geod).distance_km
        worst = max(worst, abs(dj - do) / 2.0)
    return worst


# ------------------------------------------------------------------------- Marine Regions (optional)
def _mrgid_of(props: dict):
    for k, v in props.items():
        if k.lower() in ("mrgid", "mrgid_eez"):
            try:
                return int(float(v))
            except (TypeError, ValueError):
                return None
    return None


def load_marine_regions_eez(path=None, mrgid: int = MARINE_REGIONS_JAPAN_MRGID):
    """The Marine Regions EEZ polygon with this MRGID from a GeoJSON on disk, or None if not present.

    Marine Regions (Flanders Marine Institute, CC BY 4.0) cannot be downloaded here; a user who has it
    puts the EEZ layer as GeoJSON (e.g. ``eez_v12.geojson``, exported from the geodatabase) under
    data/external/. With ``path=None`` every *.geojson / *.json there is searched. Nothing downloads.
    """
    if path is None:
        folder = paths.EXTERNAL
        candidates = sorted(list(folder.glob("*.geojson")) + list(folder.glob("*.json"))) if folder.is_dir() else []
    else:
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such Marine Regions file")
        candidates = [path]
    for c in candidates:
        with open(c, encoding="utf-8") as fh:
            fc = json.load(fh)
        feats = fc.get("features", []) if isinstance(fc, dict) else []
        geoms = [shape(f["geometry"]) for f in feats
                 if f.get("geometry") and _mrgid_of(f.get("properties") or {}) == int(mrgid)]
        if geoms:
            return shapely.make_valid(shapely.union_all(geoms))
    return None


def agreement(constructed, reference, region=None, geod: pyproj.Geod = GEOD) -> dict:
    """Areas (km2) of two zones, their intersection and union, and IoU, optionally inside a region box."""
    a, b = _as_geom(constructed), _as_geom(reference)
    if region is not None:
        a, b = a.intersection(box(*region)), b.intersection(box(*region))
    inter, union = a.intersection(b), a.union(b)
    ai, au = area_km2(inter, geod), area_km2(union, geod)
    return {"area_a_km2": area_km2(a, geod), "area_b_km2": area_km2(b, geod),
            "intersection_km2": ai, "union_km2": au, "iou": ai / au if au > 0 else float("nan")}


def iou(a, b, region=None, geod: pyproj.Geod = GEOD) -> float:
    """Intersection over union of two lon/lat areas, by geodesic area (1 = identical)."""
    return agreement(a, b, region, geod)["iou"]
