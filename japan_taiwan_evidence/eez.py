"""Japan's claimed EEZ, constructed from the basemap's coastlines (core), and the optional Marine Regions layer.

Japan's claimed EEZ (:func:`japan_claimed_eez`) follows Japan's 1996 EEZ Act (Art. 1(2)): the waters
within 200 nautical miles of the baselines, cut back to the median line where that line is nearer
(no agreed line exists in the Yaeyama area). Assumptions, stated again on the result:

1. The coastline of the offline basemap stands in for Japan's legal baselines (low-water line and any
   straight baselines). Straight baselines would push the zone outwards; a generalised coastline
   (vertices 1.2-1.5 km apart, data/basemap/README.md) moves it by up to a few hundred metres either way.
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
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiLineString, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from .basemap import land_by_country
from .geo import GEOD, NMI_KM, _as_geom, aeqd_stretch, area_km2, from_aeqd, geodesic_buffer, nearest, to_aeqd  # noqa: F401
from . import paths

EEZ_LIMIT_NMI = 200.0
EEZ_LIMIT_KM = EEZ_LIMIT_NMI * NMI_KM  # 370.4 km
TERRITORIAL_SEA_NMI = 12.0
JAPAN = "JPN"
MARINE_REGIONS_JAPAN_MRGID = 8487  # "Japanese Exclusive Economic Zone" in the Marine Regions gazetteer

EEZ_ASSUMPTIONS = (
    "Constructed, not official: waters within 200 nmi of Japanese land and nearer to Japanese land than "
    "to any other state's land (median line, Japan's 1996 EEZ Act). Basemap coastline stands in for the "
    "legal baselines. The Senkaku/Diaoyu islands count as Japanese, as Japan claims; China and Taiwan "
    "dispute these waters and the PRC rejects a Japanese EEZ here until a boundary is agreed."
)


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
    by_country = land_by_country(land)
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
    by_country = land_by_country(land)
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
