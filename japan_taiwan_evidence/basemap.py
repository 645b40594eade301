"""The committed offline basemap (core): land by country, the world layer and the Fujian/Zhejiang provinces.

Files live in data/basemap/ (built by tools/build_basemap.py, described in data/basemap/README.md).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from . import paths
from .geo import _as_geom

# Land by country: iso_a3, name, source, note per feature (load_land / land_features read any of them).
BASEMAP_FILES = {"detail": "land_taiwan_ryukyu.geojson", "overview": "land_east_asia.geojson",
                 "world": "countries_world.geojson"}
# Fujian and Zhejiang (PRC provinces; the 2022 launch regions named by Japan's MOD): load_provinces().
PROVINCES_FILE = "provinces_fujian_zhejiang.geojson"
_FILES = {**BASEMAP_FILES, "provinces": PROVINCES_FILE}

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
    return dict(_merged_land(which))


@lru_cache(maxsize=4)
def _merged_land(which: str) -> tuple:
    # Merged once per process, like the file it comes from (geometries are immutable; callers get a new dict).
    out: dict[str, list] = {}
    for f in land_features(which):
        out.setdefault(f["iso_a3"], []).append(f["geometry"])
    return tuple((k, shapely.union_all(v)) for k, v in sorted(out.items()))


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


def land_by_country(land) -> dict[str, BaseGeometry]:
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
