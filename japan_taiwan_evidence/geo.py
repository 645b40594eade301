"""Geodesy on the WGS84 ellipsoid (core): distances, azimuths, nearest points, geodesic rings, buffers, areas.

Every distance here is geodesic (pyproj.Geod, GeographicLib), never degrees treated as kilometres.
Where a plane is needed (nearest points, buffers, the median line) the work is done in a local
azimuthal-equidistant (AEQD) projection and the error that this introduces is bounded or measured:

* In an AEQD projection centred on c, distances *from c* are exact geodesic distances. Any other
  distance is stretched by at most ``k(rho) - 1`` where ``k(rho) = (rho/R) / sin(rho/R)`` and rho is the
  largest distance from c involved (about ``rho**2 / (6 R**2)``: 0.01 % at 150 km, 0.1 % at 500 km).
  :func:`aeqd_stretch` gives this factor; results carry the bound computed from it.
* Geometries are lon/lat with straight edges in lon/lat (as cartopy draws them with PlateCarree).
  Long edges are segmentized before they are projected or measured, so they keep that shape.

The offline basemap is read by :mod:`basemap`; Japan's claimed EEZ is built by :mod:`eez`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.geometry import Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

GEOD = pyproj.Geod(ellps="WGS84")
NMI_KM = 1.852  # international nautical mile, exact
_MEAN_RADIUS_KM = 6371.0088  # IUGG mean radius, only for the distortion bound

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


# A buffer of a long coast projects ~500 tile pieces, each with its own centre, and the same coast is
# buffered at several radii: keep every projection (building one costs ~5 ms; it is the same each time).
@lru_cache(maxsize=8192)
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


def island_at(land: dict, iso_a3: str, lon: float, lat: float):
    """The polygon of country `iso_a3` that contains (lon, lat), or the nearest one to it."""
    geom = land[iso_a3]
    parts = list(getattr(geom, "geoms", [geom]))
    pt = Point(lon, lat)
    inside = [p for p in parts if p.contains(pt)]
    return inside[0] if inside else min(parts, key=lambda p: p.distance(pt))


def main_island(land: dict, iso_a3: str):
    """The largest polygon of a country in the basemap (Taiwan's main island for 'TWN')."""
    geom = land[iso_a3]
    return max(getattr(geom, "geoms", [geom]), key=lambda p: p.area)
