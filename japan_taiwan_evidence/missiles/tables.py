"""The tables of the 4 August 2022 launches: closure zones, launches, places, ranges, reported distances."""

from __future__ import annotations


import pandas as pd
import pandera.pandas as pa

from ..validate import (  # noqa: F401
    LAT, LON, DataError, Table, add_bounds, agrees_with_published, bool_text, check_end_after_start,
    check_precision, date_bounds, dms_check, dms_to_decimal, flag_list, is_iso, iso3, iso_date, one_of,
    PRECISION_LENGTH, period_date, register, source_ids, split_ids, to_bool,
)


ZONES_SCHEMA = pa.DataFrameSchema(
    {
        "zone_id": pa.Column(str, pa.Check.str_matches(r"^Z\d$", error="a zone ID like 'Z4'")),
        "vertex_order": pa.Column("Int64", pa.Check.ge(1, error="a vertex number from 1")),
        "lat_published": pa.Column(str, dms_check("NS")),
        "lon_published": pa.Column(str, dms_check("EW")),
        "lat": LAT,
        "lon": LON,
        "lat_decimal_minutes_reading": pa.Column(float, nullable=True),
        "lon_decimal_minutes_reading": pa.Column(float, nullable=True),
        "window_start": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}$",
                                                            error="an ISO time with offset")),
        "window_end": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}$",
                                                          error="an ISO time with offset")),
        "authority": pa.Column(str, one_of({"pla_via_xinhua", "taiwan_mpb_added_danger_area"})),
        "location": pa.Column(str),
        "flag": pa.Column(str, one_of({"added_danger_area"}), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: agrees_with_published(df, "lat"),
                 error="lat to equal lat_published (degrees-minutes-seconds) within 0.36″"),
        pa.Check(lambda df: agrees_with_published(df, "lon"),
                 error="lon to equal lon_published (degrees-minutes-seconds) within 0.36″"),
    ],
    strict=True, coerce=True,
)

ZONES = register("missiles_2022/zones.csv", ZONES_SCHEMA, ["zone_id", "vertex_order"],
                 "Closure zones of 4-7 August 2022: every vertex as published and in decimal degrees")


def load_zones(data_dir=None) -> pd.DataFrame:
    """Zone vertices (data/missiles_2022/zones.csv), checked to form valid closed polygons."""
    from shapely.geometry import Polygon  # geometry checks only; shapely is a pinned dependency

    df = ZONES.load(data_dir)
    shown = "data/" + ZONES.path
    for zone, grp in df.groupby("zone_id", sort=False):
        rows = grp.index.to_list()
        order = grp["vertex_order"].to_list()
        if order != list(range(1, len(order) + 1)):
            bad = next(i for i, (o, want) in enumerate(zip(order, range(1, len(order) + 1))) if o != want)
            raise DataError(shown, row=rows[min(bad, len(rows) - 1)] + 1, column="vertex_order",
                            expected=f"zone {zone}'s vertices numbered 1..n in file order, without gaps",
                            found=order)
        pts = list(zip(grp["lon"], grp["lat"]))
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts = pts[:-1]  # an explicit closing vertex is allowed
        if len(set(pts)) < 3:
            raise DataError(shown, row=rows[0] + 1, column="lat/lon",
                            expected=f"zone {zone} to close a polygon (at least 3 distinct vertices)",
                            found=f"{len(set(pts))} distinct vertices")
        poly = Polygon(pts)
        if not poly.is_valid:
            raise DataError(shown, row=rows[0] + 1, column="lat/lon",
                            expected=f"zone {zone}'s vertices, joined in order, not to cross themselves",
                            found="a self-intersecting outline")
    return df


def zone_polygons(zones: pd.DataFrame) -> dict:
    """{zone_id: shapely Polygon (lon, lat)} from validated zone vertices."""
    from shapely.geometry import Polygon

    return {z: Polygon(list(zip(g["lon"], g["lat"]))) for z, g in zones.groupby("zone_id", sort=True)}


LAUNCHES_SCHEMA = pa.DataFrameSchema(
    {
        "launch_id": pa.Column(str),
        "reported_by": pa.Column(str, one_of({"japan_mod", "taiwan_mnd"})),
        "missile_count": pa.Column("Int64", pa.Check.in_range(1, 100, error="a count from 1 to 100")),
        "launch_time": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}$",
                                                           error="an ISO time with offset")),
        "launch_area": pa.Column(str, one_of({"fujian_coast", "zhejiang_coast", "inland_china"}), nullable=True),
        "flight_km": pa.Column(float, pa.Check.in_range(0, 20000, error="a distance from 0 to 20,000 km"),
                               nullable=True),
        "flight_qualifier": pa.Column(str, one_of({"about", "exact"}), nullable=True),
        "fell_in_area_as_described": pa.Column(str),
        "zone_id": pa.Column(str, nullable=True),
        "zone_basis": pa.Column(str, one_of({"matched_by_direction", "presumed", "stated"}), nullable=True),
        "in_japan_eez_per_mod": pa.Column(str, one_of({"true", "false"}), nullable=True),
        "overflew_taiwan": pa.Column(str, one_of({"true", "false"}), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True,
)

LAUNCHES = register("missiles_2022/launches.csv", LAUNCHES_SCHEMA, ["launch_id"],
                    "Missiles of 4 August 2022 as listed by Japan's MOD, and Taiwan's MND total")


def load_launches(data_dir=None) -> pd.DataFrame:
    """Launches (data/missiles_2022/launches.csv); every zone_id must name a zone in zones.csv."""
    df = LAUNCHES.load(data_dir)
    known = set(load_zones(data_dir)["zone_id"])
    for pos, z in enumerate(df["zone_id"]):
        if isinstance(z, str) and z not in known:
            raise DataError("data/" + LAUNCHES.path, row=pos + 1, column="zone_id",
                            expected=f"a zone in data/{ZONES.path} ({', '.join(sorted(known))})", found=z)
    for col in ("in_japan_eez_per_mod", "overflew_taiwan"):
        df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
    return df


PLACES_SCHEMA = pa.DataFrameSchema(
    {
        "place_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$", error="a lower-case slug")),
        "name": pa.Column(str),
        "country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$", error="an ISO 3166 alpha-3 code")),
        "kind": pa.Column(str),
        "lat_published": pa.Column(str, dms_check("NS")),
        "lon_published": pa.Column(str, dms_check("EW")),
        "lat": LAT,
        "lon": LON,
        "precision": pa.Column(str, one_of({"minute", "second", "tenth_second"})),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: agrees_with_published(df, "lat"), error="lat to equal lat_published within 0.36″"),
        pa.Check(lambda df: agrees_with_published(df, "lon"), error="lon to equal lon_published within 0.36″"),
    ],
    strict=True, coerce=True,
)

PLACES = register("places.csv", PLACES_SCHEMA, ["place_id"], "Labelled places with published coordinates")


def load_places(data_dir=None) -> pd.DataFrame:
    """Labelled places (data/places.csv), indexed by place_id."""
    return PLACES.load(data_dir).set_index("place_id", drop=False)


RANGES_SCHEMA = pa.DataFrameSchema(
    {
        # A short ID: notebook 04's knob for the system's range is named <system_id>_range_km (params.py).
        "system_id": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9]*$", error="a short lower-case ID like 'df21'")),
        "system": pa.Column(str),
        "range_min_km": pa.Column(float, pa.Check.gt(0, error="a range > 0 km")),
        "range_max_km": pa.Column(float, pa.Check.gt(0, error="a range > 0 km")),
        "quality": pa.Column(str, one_of({"good", "medium", "weak"})),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda df: df["range_min_km"] <= df["range_max_km"],
                     error="range_min_km no greater than range_max_km")],
    strict=True, coerce=True,
)

RANGES = register("missiles_2022/ranges.csv", RANGES_SCHEMA, ["system_id"],
                  "Published ranges of PLA ballistic missiles (open-source estimates, with a quality flag)")


def load_ranges(data_dir=None) -> pd.DataFrame:
    """Missile ranges (data/missiles_2022/ranges.csv); min <= max, both > 0."""
    return RANGES.load(data_dir)


REPORTED_DISTANCES_SCHEMA = pa.DataFrameSchema(
    {
        "report_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="a lower-case slug")),
        "launch_id": pa.Column(str),
        "launch_id_basis": pa.Column(str, one_of({"stated", "inferred"})),
        "from_place_id": pa.Column(str),
        "distance_published": pa.Column(float, pa.Check.gt(0, error="a distance > 0")),
        "unit_published": pa.Column(str, one_of({"km", "mi", "nmi"})),
        "distance_km": pa.Column(float, pa.Check.gt(0, error="a distance > 0 km")),
        "distance_km_basis": pa.Column(str, one_of({"as_published", "converted_from_miles",
                                                    "converted_from_nautical_miles"})),
        "qualifier": pa.Column(str, one_of({"about", "unqualified"})),
        "direction": pa.Column(str, one_of({"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW",
                                            "WSW", "W", "WNW", "NW", "NNW"}), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True,
)

REPORTED_DISTANCES = register("missiles_2022/reported_distances.csv", REPORTED_DISTANCES_SCHEMA, ["report_id"],
                              "Press reports of how far a 4 August 2022 impact was from a named island")
_KM_PER_UNIT = {"km": 1.0, "mi": 1.609344, "nmi": 1.852}  # statute and international nautical mile, exact


def load_reported_distances(data_dir=None) -> pd.DataFrame:
    """Reported impact distances (data/missiles_2022/reported_distances.csv).

    Beyond the schema: launch_id must be in launches.csv, from_place_id in places.csv, and distance_km
    must equal distance_published converted from unit_published (within 1 m).
    """
    df = REPORTED_DISTANCES.load(data_dir)
    shown = "data/" + REPORTED_DISTANCES.path
    launches = set(load_launches(data_dir)["launch_id"])
    places = set(load_places(data_dir).index)
    for pos, r in enumerate(df.itertuples()):
        if r.launch_id not in launches:
            raise DataError(shown, row=pos + 1, column="launch_id",
                            expected="a launch_id in data/" + LAUNCHES.path, found=r.launch_id)
        if r.from_place_id not in places:
            raise DataError(shown, row=pos + 1, column="from_place_id",
                            expected="a place_id in data/" + PLACES.path, found=r.from_place_id)
        want = r.distance_published * _KM_PER_UNIT[r.unit_published]
        if abs(want - r.distance_km) > 0.001:
            raise DataError(shown, row=pos + 1, column="distance_km",
                            expected=f"distance_published in km ({want:.3f})", found=r.distance_km)
    return df
