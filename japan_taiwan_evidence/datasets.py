"""Topic tables (being split into the topic modules; the machinery lives in validate.py)."""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from .validate import (  # noqa: F401
    DataError, Table, TABLES, register, read_table, iso_date, one_of, source_ids, split_ids, flag_list,
    registry_ids, period_date, text, _data_dir, _is_iso, _display,
)

_flag_list = flag_list

# ---------------------------------------------------------------------------------------------
# Shared tables
# ---------------------------------------------------------------------------------------------

SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9]*-[A-Za-z0-9_.-]+$",
                                                         error="an ID like 'troops-S01' or 'since2022-S01'")),
        "topic": pa.Column(str),
        "dossier_id": pa.Column(str, nullable=True),
        "publisher": pa.Column(str),
        "title": pa.Column(str),
        "url": pa.Column(str, nullable=True),
        "published": pa.Column(str, iso_date(), nullable=True),
        "date_as_given": pa.Column(str, nullable=True),
        "accessed": pa.Column(str, iso_date(), nullable=True),
        "kind": pa.Column(str, nullable=True),
        "licence": pa.Column(str),
        "notes": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True,
)


SOURCES = register("sources.csv", SOURCES_SCHEMA, ["source_id"],
                   "Source registry: one row per source, project-wide IDs", check_sources=False)


def load_sources(data_dir=None) -> pd.DataFrame:
    """The source registry, data/sources.csv: one row per source, project-wide IDs."""
    return SOURCES.load(data_dir)


# 'forecast': what the article expected or recommended, tracked after it (notebook 06); kept out of the
# article's ledger and its totals (claims.article_claims).
CLAIM_CATEGORIES = {"context", "law_diplomacy", "gctf", "geography", "missiles", "troops", "bases", "forecast"}

CLAIMS_SCHEMA = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, pa.Check.str_matches(
            r"^[CF]\d{2}$", error="an ID like 'C13' (the article's) or 'F01' (tracked after it)")),
        "category": pa.Column(str, one_of(CLAIM_CATEGORIES)),
        "claim": pa.Column(str),
        "claimed_value": pa.Column(str, nullable=True),
        "claimed_unit": pa.Column(str, nullable=True),
        "claimed_qualifier": pa.Column(str, nullable=True),
        # What a check compares with the records: the kind of event, key terms, countries involved.
        "claimed_kind": pa.Column(str, nullable=True),
        "claimed_terms": pa.Column(str, nullable=True),
        "claimed_countries": pa.Column(str, nullable=True),
        "notebook": pa.Column(str, pa.Check.str_matches(r"^0\d_[a-z0-9_]+$",
                                                        error="a notebook name like '01_us_forces_japan'")),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True,
)


CLAIMS = register("claims.csv", CLAIMS_SCHEMA, ["claim_id"],
                  "The article's checkable claims, paraphrased (verdicts are computed, not stored)")


def load_claims(data_dir=None) -> pd.DataFrame:
    """The article's checkable claims (data/claims.csv), paraphrased; verdicts are computed elsewhere."""
    return CLAIMS.load(data_dir)


# ---------------------------------------------------------------------------------------------
# Troops and bases (notebook 01)
# ---------------------------------------------------------------------------------------------

SERVICES = {"total", "total_ashore", "total_afloat", "total_active_duty", "army", "navy", "navy_ashore",
            "navy_afloat", "navy_temporary_ashore_as_transcribed", "navy_other_as_transcribed",
            "marine_corps", "marine_corps_ashore", "marine_corps_afloat", "air_force", "space_force",
            "coast_guard", "selected_reserve_total", "dod_civilian_total", "grand_total_mil_and_civ"}
PERSONNEL_FLAGS = {"service_columns_shifted", "ryukyu_row_only", "no_ryukyu_row", "navy_swing",
                   "services_sum_mismatch", "kane_value", "kane_combined_inferred", "interpolated",
                   "dmdc_based_update", "gap"}




PERSONNEL_SCHEMA = pa.DataFrameSchema(
    {
        "series": pa.Column(str, one_of({"dmdc_reports", "troopdata_annual"})),
        "report_date": pa.Column(str, iso_date()),
        "date_precision": pa.Column(str, one_of({"month", "year"})),
        "year": pa.Column("Int64", pa.Check.in_range(1945, 2100, error="a year from 1945 to 2100")),
        "quarter": pa.Column("Int64", pa.Check.isin([1, 2, 3, 4], error="a quarter 1-4"), nullable=True),
        "service": pa.Column(str, one_of(SERVICES)),
        "component": pa.Column(str, one_of({"active_duty", "selected_reserve_total", "dod_civilian_total",
                                            "grand_total_mil_and_civ"})),
        "personnel": pa.Column("Int64", pa.Check.in_range(0, 1_000_000, error="a head count from 0 to 1,000,000"),
                               nullable=True),
        "qualifier": pa.Column(str, one_of({"exact", "interpolated", "not_reported", "invalid_in_source"})),
        "geography": pa.Column(str, one_of({"japan_incl_okinawa", "japan", "japan_as_listed", "ryukyu_islands"})),
        "location_in_source": pa.Column(str, nullable=True),
        "flags": pa.Column(str, _flag_list(PERSONNEL_FLAGS), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: df["personnel"].isna() == df["qualifier"].isin(["not_reported", "invalid_in_source"]),
                 error="an empty personnel value exactly where qualifier is 'not_reported' or 'invalid_in_source'"),
        pa.Check(lambda df: df["report_date"].str.slice(0, 4) == df["year"].astype(str),
                 error="report_date to fall in the stated year"),
    ],
    strict=True, coerce=True,
)


PERSONNEL = register("troops/personnel.csv", PERSONNEL_SCHEMA,
                     ["series", "report_date", "geography", "service"],
                     "US military personnel in Japan by report, service and series, 1950 to the latest report",
                     licence="GPL-3.0-or-later")  # values re-keyed from the troopdata package


def load_personnel(data_dir=None) -> pd.DataFrame:
    """US military personnel in Japan by report, service and series (data/troops/personnel.csv)."""
    df = PERSONNEL.load(data_dir)
    df["date"] = df["report_date"].map(period_date)
    return df


OKINAWA_SCHEMA = pa.DataFrameSchema(
    {
        "as_of": pa.Column(str, iso_date()),
        "date_precision": pa.Column(str, one_of({"day", "month", "year"})),
        "geography": pa.Column(str, one_of({"ryukyu_islands", "okinawa", "japan", "mainland_japan"})),
        "service": pa.Column(str),
        "measure": pa.Column(str),
        "value": pa.Column("Int64", pa.Check.ge(0, error="a count >= 0")),
        "qualifier": pa.Column(str, one_of({"exact", "about", "over"})),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True,
)


OKINAWA = register("troops/okinawa.csv", OKINAWA_SCHEMA,
                   ["as_of", "geography", "service", "measure", "source_id"],
                   "US personnel in Okinawa and mainland Japan: dated point figures",
                   licence="GPL-3.0-or-later")  # the Ryukyu rows come from troopdata


def load_okinawa(data_dir=None) -> pd.DataFrame:
    """Okinawa and mainland point figures (data/troops/okinawa.csv)."""
    return OKINAWA.load(data_dir)


BASE_DEFINITIONS = {"exclusive_use_mod", "exclusive_use_usfj", "all_incl_jsdf_available", "major_bases",
                    "advocacy_base_sites", "vine_list_entries", "article_claim"}

BASE_COUNTS_SCHEMA = pa.DataFrameSchema(
    {
        "count_id": pa.Column(str),
        "definition": pa.Column(str, one_of(BASE_DEFINITIONS)),
        "measure": pa.Column(str, one_of({"facilities", "area_thousand_m2", "okinawa_area_share_percent",
                                          "bases", "base_sites", "rows"})),
        "value": pa.Column(float, pa.Check.ge(0, error="a value >= 0")),
        "unit": pa.Column(str),
        "qualifier": pa.Column(str, one_of({"exact", "about", "over", "derived"})),
        "as_of": pa.Column(str, iso_date()),
        "date_precision": pa.Column(str, one_of({"day", "month", "year", "circa_year"})),
        "geography": pa.Column(str),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda df: (df["measure"] != "okinawa_area_share_percent") | (df["value"] <= 100),
                     error="a percentage no greater than 100")],
    strict=True, coerce=True,
)


BASE_COUNTS = register("troops/base_counts.csv", BASE_COUNTS_SCHEMA, ["count_id"],
                       "Counts of US bases and facilities in Japan by definition, date and source")


def load_base_counts(data_dir=None) -> pd.DataFrame:
    """Counts of US bases/facilities in Japan by definition, date and source (data/troops/base_counts.csv)."""
    return BASE_COUNTS.load(data_dir)


# Japan, Ryukyus to Hokkaido, with the outlying islands (Iwo Jima, Tori Shima) inside.
JAPAN_BBOX = {"lat": (20.0, 46.0), "lon": (122.0, 154.0)}

FACILITIES_SCHEMA = pa.DataFrameSchema(
    {
        "facility_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$", error="a lower-case slug")),
        "name": pa.Column(str),
        "name_ja": pa.Column(str, nullable=True),
        "fac_no": pa.Column(str, pa.Check.str_matches(r"^FAC\d{4}$", error="a number like 'FAC6051'"),
                            nullable=True),
        "list": pa.Column(str, one_of({"vine", "mod_area", "okinawa_fac_map"})),
        "service": pa.Column(str, one_of({"Army", "Navy", "Marine Corps", "Air Force", "JGSDF site"}),
                             nullable=True),
        "service_basis": pa.Column(str, one_of({"name", "map_label"}), nullable=True),
        "prefecture": pa.Column(str, nullable=True),
        "lat": pa.Column(float, pa.Check.in_range(*JAPAN_BBOX["lat"],
                                                  error=f"a latitude inside Japan {JAPAN_BBOX['lat']}"),
                         nullable=True),
        "lon": pa.Column(float, pa.Check.in_range(*JAPAN_BBOX["lon"],
                                                  error=f"a longitude inside Japan {JAPAN_BBOX['lon']}"),
                         nullable=True),
        "lat_in_source": pa.Column(float, pa.Check.in_range(-90, 90, error="a latitude from -90 to 90"),
                                   nullable=True),
        "lon_in_source": pa.Column(float, pa.Check.in_range(-180, 180, error="a longitude from -180 to 180"),
                                   nullable=True),
        "coord_quality": pa.Column(str, one_of({"facility", "place_level", "wrong", "none"})),
        "duplicate_of": pa.Column(str, nullable=True),
        "duplicate_certainty": pa.Column(str, one_of({"certain", "possible"}), nullable=True),
        "area_thousand_m2": pa.Column(float, pa.Check.gt(0, error="an area > 0"), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: df["lat"].isna() == df["lon"].isna(), error="lat and lon both given or both empty"),
        # A coordinate judged wrong must never be plotted, so it may not sit in lat/lon.
        pa.Check(lambda df: ~((df["coord_quality"].isin(["wrong", "none"])) & df["lat"].notna()),
                 error="no plottable lat/lon where coord_quality is 'wrong' or 'none'"),
        pa.Check(lambda df: ~(df["coord_quality"].isin(["facility", "place_level"]) & df["lat"].isna()),
                 error="lat/lon where coord_quality is 'facility' or 'place_level'"),
        pa.Check(lambda df: df["duplicate_of"].isna() | df["duplicate_of"].isin(df["facility_id"]),
                 error="duplicate_of to name another facility_id"),
        pa.Check(lambda df: df["duplicate_of"].isna() == df["duplicate_certainty"].isna(),
                 error="duplicate_certainty exactly where duplicate_of is given"),
    ],
    strict=True, coerce=True,
)


FACILITIES = register("troops/facilities.csv", FACILITIES_SCHEMA, ["facility_id"],
                      "Named US facilities in Japan, with coordinates only where usable",
                      licence="GPL-3.0-or-later")  # Vine's list as packaged in troopdata


def load_facilities(data_dir=None) -> pd.DataFrame:
    """Named US facilities in Japan with coordinates where usable (data/troops/facilities.csv)."""
    return FACILITIES.load(data_dir)


# ---------------------------------------------------------------------------------------------
# Missiles of 4 August 2022 and places (notebooks 03 and 04)
# ---------------------------------------------------------------------------------------------

_DMS = re.compile(r"^(\d{1,3})°(\d{1,2})′(?:(\d{1,2}(?:\.\d+)?)″)?([NSEW])$")


def dms_to_decimal(text: str) -> float:
    """'25°15′26″N' -> 25.257222; seconds optional; S and W negative."""
    m = _DMS.match(str(text).strip())
    if not m:
        raise ValueError(f"not a degrees-minutes-seconds coordinate: {text!r}")
    deg, minutes, seconds, hemi = m.groups()
    value = int(deg) + int(minutes) / 60 + (float(seconds) if seconds else 0.0) / 3600
    return -value if hemi in "SW" else value


def _dms_check(hemispheres: str) -> pa.Check:
    def ok(s):
        return s.map(lambda v: bool(_DMS.match(str(v))) and str(v)[-1] in hemispheres)
    return pa.Check(ok, error=f"a coordinate written like 25°15′26″{hemispheres[0]}")


def _agrees_with_published(df, col):
    pub = df[f"{col}_published"].map(dms_to_decimal)
    return (pub - df[col]).abs() < 1e-4  # 0.36″: the published text and the decimal must be the same point


LAT = pa.Column(float, pa.Check.in_range(-90, 90, error="a latitude from -90 to 90"))
LON = pa.Column(float, pa.Check.in_range(-180, 180, error="a longitude from -180 to 180"))

ZONES_SCHEMA = pa.DataFrameSchema(
    {
        "zone_id": pa.Column(str, pa.Check.str_matches(r"^Z\d$", error="a zone ID like 'Z4'")),
        "vertex_order": pa.Column("Int64", pa.Check.ge(1, error="a vertex number from 1")),
        "lat_published": pa.Column(str, _dms_check("NS")),
        "lon_published": pa.Column(str, _dms_check("EW")),
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
        pa.Check(lambda df: _agrees_with_published(df, "lat"),
                 error="lat to equal lat_published (degrees-minutes-seconds) within 0.36″"),
        pa.Check(lambda df: _agrees_with_published(df, "lon"),
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
        "lat_published": pa.Column(str, _dms_check("NS")),
        "lon_published": pa.Column(str, _dms_check("EW")),
        "lat": LAT,
        "lon": LON,
        "precision": pa.Column(str, one_of({"minute", "second", "tenth_second"})),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: _agrees_with_published(df, "lat"), error="lat to equal lat_published within 0.36″"),
        pa.Check(lambda df: _agrees_with_published(df, "lon"), error="lon to equal lon_published within 0.36″"),
    ],
    strict=True, coerce=True,
)

PLACES = register("places.csv", PLACES_SCHEMA, ["place_id"], "Labelled places with published coordinates")


def load_places(data_dir=None) -> pd.DataFrame:
    """Labelled places (data/places.csv), indexed by place_id."""
    return PLACES.load(data_dir).set_index("place_id", drop=False)


RANGES_SCHEMA = pa.DataFrameSchema(
    {
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

RANGES = register("missiles_2022/ranges.csv", RANGES_SCHEMA, ["system"],
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


# ---------------------------------------------------------------------------------------------
# GCTF (notebook 02)
# ---------------------------------------------------------------------------------------------

GCTF_ROLES = {"founding_partner", "full_partner", "guest_co_host", "jc_observer", "overseas_host", "franchise_host"}
GCTF_CORE_ROLES = {"founding_partner", "full_partner"}  # core membership = founding + full partners
GCTF_QUALIFIERS = {"exact", "over", "about", "nearly"}
GCTF_MEASURES = {"workshops", "participants", "countries", "overseas_events", "overseas_countries"}
GCTF_UNITS = {"workshops", "events", "participants", "person_times", "countries", "countries_and_territories",
              "overseas_events", "franchise_events"}
GCTF_SOURCE_KINDS = {"official_TW", "official_US", "official_JP", "reprint", "news", "secondary"}
GCTF_CUMULATIVE_FLAGS = {"ordinal", "ambiguous_count", "date_inferred", "undated", "rounded_floor",
                         "apparent_decrease"}
# A lower value than an earlier statement of the same series is accepted only with one of these flags.
GCTF_DECREASE_FLAGS = {"rounded_floor", "apparent_decrease"}
GCTF_THEMES = {"public_health", "law_enforcement", "womens_empowerment", "energy", "digital_economy",
               "cybersecurity", "hadr", "media_literacy", "good_governance"}
GCTF_ARTICLE_THEMES = {"HADR", "public health", "media literacy", "women's rights", "clean energy"}
_PRECISION_LENGTH = {"year": 4, "month": 7, "day": 10}


def _bool_text(nullable=False) -> pa.Column:
    return pa.Column(str, one_of({"true", "false"}), nullable=nullable)


def _iso3(nullable=True) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$", error="an ISO 3166 alpha-3 code"), nullable=nullable)


def date_bounds(value) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day an ISO date of any precision can mean: '2016' -> (2016-01-01, 2016-12-31)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return pd.NaT, pd.NaT
    value = str(value)
    first = pd.Timestamp(value if len(value) == 10 else (value + "-01" if len(value) == 7 else value + "-01-01"))
    if len(value) == 4:
        last = pd.Timestamp(f"{value}-12-31")
    elif len(value) == 7:
        last = first + pd.offsets.MonthEnd(0)
    else:
        last = first
    return first, last


def _to_bool(df: pd.DataFrame, cols) -> pd.DataFrame:
    for col in cols:
        df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
    return df


def _check_precision(df: pd.DataFrame, table: Table, date_col: str, prec_col: str = "date_precision") -> None:
    """date_precision must say how precise the date is: 'day' for YYYY-MM-DD, 'month' for YYYY-MM ..."""
    for pos, (value, prec) in enumerate(zip(df[date_col], df[prec_col])):
        has_date = isinstance(value, str)
        if has_date != isinstance(prec, str):
            raise DataError("data/" + table.path, row=pos + 1, column=prec_col,
                            expected=f"a precision exactly where {date_col} is given", found=prec)
        if has_date and _PRECISION_LENGTH[prec] != len(value):
            raise DataError("data/" + table.path, row=pos + 1, column=prec_col,
                            expected=f"the precision of {date_col} {value!r}", found=prec)


def _check_end_after_start(df: pd.DataFrame, table: Table, start_col: str, end_col: str) -> None:
    for pos, (start, end) in enumerate(zip(df[start_col], df[end_col])):
        if isinstance(start, str) and isinstance(end, str) and date_bounds(end)[1] < date_bounds(start)[0]:
            raise DataError("data/" + table.path, row=pos + 1, column=end_col,
                            expected=f"a date on or after {start_col} ({start})", found=end)


def _add_bounds(df: pd.DataFrame, date_col: str, prefix: str) -> pd.DataFrame:
    bounds = df[date_col].map(date_bounds)
    df[f"{prefix}_first"] = pd.to_datetime(bounds.map(lambda b: b[0]))
    df[f"{prefix}_last"] = pd.to_datetime(bounds.map(lambda b: b[1]))
    return df


GCTF_PARTNERS_SCHEMA = pa.DataFrameSchema(
    {
        "partner": pa.Column(str),
        "iso3": _iso3(),
        "organization": pa.Column(str),
        "role": pa.Column(str, one_of(GCTF_ROLES)),
        "start_date": pa.Column(str, iso_date()),
        "date_precision": pa.Column(str, one_of(_PRECISION_LENGTH)),
        "date_basis": pa.Column(str, one_of({"signed", "announced", "first_event", "listed", "inferred"})),
        "date_uncertain": _bool_text(),
        "end_date": pa.Column(str, iso_date(), nullable=True),
        "end_basis": pa.Column(str, one_of({"superseded_by_full_partner"}), nullable=True),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[pa.Check(lambda df: df["end_date"].isna() == df["end_basis"].isna(),
                     error="end_basis exactly where end_date is given")],
    strict=True, coerce=True,
)

GCTF_PARTNERS = register("gctf/partners.csv", GCTF_PARTNERS_SCHEMA, ["partner", "role", "start_date"],
                         "GCTF partners, guest co-hosts and overseas hosts: role and the date it began")


def load_gctf_partners(data_dir=None) -> pd.DataFrame:
    """GCTF partners by role (data/gctf/partners.csv), with start/end bounds and booleans.

    start_first/start_last are the first and last day start_date can mean (a year-precision date
    covers the whole year); end_first likewise for end_date.
    """
    df = GCTF_PARTNERS.load(data_dir)
    _check_precision(df, GCTF_PARTNERS, "start_date")
    _check_end_after_start(df, GCTF_PARTNERS, "start_date", "end_date")
    # A superseded role must end on the day the same partner's full partnership starts.
    full = df[df["role"] == "full_partner"].set_index("partner")["start_date"]
    for pos, r in enumerate(df.itertuples()):
        if isinstance(r.end_basis, str) and full.get(r.partner) != r.end_date:
            raise DataError("data/" + GCTF_PARTNERS.path, row=pos + 1, column="end_date",
                            expected=f"the start of {r.partner}'s full partnership ({full.get(r.partner, 'none')})",
                            found=r.end_date)
    df = _to_bool(df, ["date_uncertain"])
    df = _add_bounds(df, "start_date", "start")
    df = _add_bounds(df, "end_date", "end")
    df["core"] = df["role"].isin(GCTF_CORE_ROLES)
    return df


GCTF_CUMULATIVE_SCHEMA = pa.DataFrameSchema(
    {
        "statement_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$", error="a lower-case slug")),
        "statement_date": pa.Column(str, iso_date(), nullable=True),
        "date_precision": pa.Column(str, one_of(_PRECISION_LENGTH), nullable=True),
        "measure": pa.Column(str, one_of(GCTF_MEASURES)),
        "value": pa.Column("Int64", pa.Check.in_range(0, 1_000_000, error="a count from 0 to 1,000,000")),
        "qualifier": pa.Column(str, one_of(GCTF_QUALIFIERS)),
        "unit_as_stated": pa.Column(str, one_of(GCTF_UNITS)),
        "source_kind": pa.Column(str, one_of(GCTF_SOURCE_KINDS)),
        "stated_by": pa.Column(str),
        "flag": pa.Column(str, _flag_list(GCTF_CUMULATIVE_FLAGS), nullable=True),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[pa.Check(lambda df: df["statement_date"].isna()
                     == df["flag"].fillna("").str.contains(r"(?:^|;)\s*undated(?:;|$)", regex=True),
                     error="an empty statement_date exactly where flag contains 'undated'")],
    strict=True, coerce=True,
)

GCTF_CUMULATIVE = register("gctf/cumulative.csv", GCTF_CUMULATIVE_SCHEMA, ["statement_id"],
                           "Dated official statements of cumulative GCTF workshops, participants and countries")


def _flags(cell) -> set[str]:
    return set(split_ids(cell))


def _check_no_unflagged_decrease(df: pd.DataFrame) -> None:
    """A cumulative count cannot fall. Within one series - same measure, unit as stated and kind of
    source - a value below one from a strictly earlier date (the two date ranges do not overlap) must be
    flagged rounded_floor or apparent_decrease; otherwise the row is a transcription error until shown
    otherwise. The first offending row in file order is reported."""
    dated = df[df["statement_date"].notna()]
    for pos in range(len(df)):
        row = df.iloc[pos]
        if pd.isna(row["statement_date"]) or _flags(row["flag"]) & GCTF_DECREASE_FLAGS:
            continue
        same = dated[(dated["measure"] == row["measure"]) & (dated["unit_as_stated"] == row["unit_as_stated"])
                     & (dated["source_kind"] == row["source_kind"]) & (dated["date_last"] < row["date_first"])]
        higher = same[same["value"] > row["value"]]
        if len(higher):
            top = higher.sort_values(["value", "date_first"]).iloc[-1]
            raise DataError("data/" + GCTF_CUMULATIVE.path, row=pos + 1, column="value",
                            expected=(f"a cumulative {row['measure']} count no lower than the {top['value']} stated on "
                                      f"{top['statement_date']} ({top['statement_id']}, same unit and kind of source), "
                                      f"or a flag from {sorted(GCTF_DECREASE_FLAGS)}"),
                            found=int(row["value"]))


def load_gctf_cumulative(data_dir=None) -> pd.DataFrame:
    """Dated cumulative statements (data/gctf/cumulative.csv), one row per statement and measure.

    Adds date_first/date_last (the days the statement date can mean), `date` (a plotting date:
    the day, the month's end, or mid-year) and `is_floor` (qualifier 'over'). Stops with a DataError on
    an unflagged decrease within a series (see _check_no_unflagged_decrease).
    """
    df = GCTF_CUMULATIVE.load(data_dir)
    _check_precision(df, GCTF_CUMULATIVE, "statement_date")
    df = _add_bounds(df, "statement_date", "date")
    _check_no_unflagged_decrease(df)
    df["date"] = df["statement_date"].map(lambda v: period_date(v) if isinstance(v, str) else pd.NaT)
    df["date"] = pd.to_datetime(df["date"])
    df["is_floor"] = df["qualifier"] == "over"
    return df


GCTF_ANNUAL_SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column("Int64", pa.Check.in_range(2015, 2100, error="a year from 2015 (the founding) to 2100")),
        "period_end": pa.Column(str, iso_date(), nullable=True),
        "measure": pa.Column(str, one_of({"events", "countries", "participants"})),
        "scope": pa.Column(str, one_of({"all", "virtual", "franchise", "non_franchise", "in_taiwan", "new_york"})),
        "value": pa.Column("Int64", pa.Check.in_range(0, 1_000_000, error="a count from 0 to 1,000,000")),
        "qualifier": pa.Column(str, one_of({"exact", "derived"})),
        "unit_as_stated": pa.Column(str, one_of(GCTF_UNITS)),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[pa.Check(lambda df: df["period_end"].isna() | (df["period_end"].str.slice(0, 4) == df["year"].astype(str)),
                     error="period_end to fall in the stated year")],
    strict=True, coerce=True,
)

GCTF_ANNUAL = register("gctf/annual.csv", GCTF_ANNUAL_SCHEMA, ["year", "period_end", "measure", "scope", "source_id"],
                       "GCTF events, countries and participants counted for a single year, where stated or derived")


def load_gctf_annual(data_dir=None) -> pd.DataFrame:
    """Per-year counts (data/gctf/annual.csv); `derived` values were computed by the dossier, not stated."""
    return GCTF_ANNUAL.load(data_dir)


GCTF_WORKSHOPS_SCHEMA = pa.DataFrameSchema(
    {
        "workshop_id": pa.Column(str, pa.Check.str_matches(r"^\d{4}(\d{2}(\d{2})?)?_[a-z0-9-]+$",
                                                           error="an ID like '20190326_anti-corruption'")),
        "date": pa.Column(str, iso_date()),
        "end_date": pa.Column(str, iso_date(), nullable=True),
        "date_precision": pa.Column(str, one_of(_PRECISION_LENGTH)),
        "date_uncertain": _bool_text(),
        "title": pa.Column(str),
        "theme_as_listed": pa.Column(str),
        "theme_official": pa.Column(str, one_of(GCTF_THEMES | {"other", "not_recorded"})),
        "co_hosts": pa.Column(str, nullable=True),
        "place": pa.Column(str, nullable=True),
        "country_iso3": _iso3(),
        "format": pa.Column(str, one_of({"in_person", "virtual", "hybrid", "not_recorded"})),
        "franchise": _bool_text(),
        "participants_as_stated": pa.Column(str, nullable=True),
        "countries_as_stated": pa.Column(str, nullable=True),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[
        pa.Check(lambda df: df["workshop_id"].str.split("_").str[0] == df["date"].str.replace("-", ""),
                 error="workshop_id to start with the date written without dashes"),
        # Nothing was held online at a venue: a virtual event has no place or country.
        pa.Check(lambda df: (df["format"] != "virtual") | (df["place"].isna() & df["country_iso3"].isna()),
                 error="no place or country for a virtual event"),
    ],
    strict=True, coerce=True,
)

GCTF_WORKSHOPS = register("gctf/workshops.csv", GCTF_WORKSHOPS_SCHEMA, ["workshop_id"],
                          "Dated GCTF workshops 2015-2025 (incomplete list), with themes mapped to official categories")


def load_gctf_workshops(data_dir=None) -> pd.DataFrame:
    """The dated workshop list (data/gctf/workshops.csv): booleans, date bounds and the year."""
    df = GCTF_WORKSHOPS.load(data_dir)
    _check_precision(df, GCTF_WORKSHOPS, "date")
    _check_end_after_start(df, GCTF_WORKSHOPS, "date", "end_date")
    dup = df.duplicated(["date", "title"])
    if dup.any():
        pos = int(dup.to_numpy().nonzero()[0][0])
        raise DataError("data/" + GCTF_WORKSHOPS.path, row=pos + 1, column="date+title",
                        expected="one row per dated workshop", found=df["title"].iloc[pos])
    df = _to_bool(df, ["date_uncertain", "franchise"])
    df = _add_bounds(df, "date", "date")
    df["year"] = df["date"].str.slice(0, 4).astype(int)
    return df


GCTF_THEMES_SCHEMA = pa.DataFrameSchema(
    {
        "theme_category": pa.Column(str, one_of(GCTF_THEMES)),
        "official_list": pa.Column(str, one_of({"gctf_site", "ait_page", "anniversary_2020"})),
        "official_name": pa.Column(str),
        "article_theme": pa.Column(str, one_of(GCTF_ARTICLE_THEMES), nullable=True),
        "name_match": pa.Column(str, one_of({"same", "different"}), nullable=True),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[pa.Check(lambda df: df["article_theme"].isna() == df["name_match"].isna(),
                     error="name_match exactly where article_theme is given")],
    strict=True, coerce=True,
)

GCTF_THEME_TABLE = register("gctf/themes.csv", GCTF_THEMES_SCHEMA, ["theme_category", "official_list"],
                            "GCTF theme categories in three official lists, with the article's five themes mapped")


def load_gctf_themes(data_dir=None) -> pd.DataFrame:
    """Official GCTF theme categories per official list (data/gctf/themes.csv)."""
    return GCTF_THEME_TABLE.load(data_dir)


GCTF_JC_SCHEMA = pa.DataFrameSchema(
    {
        "meeting_date": pa.Column(str, iso_date()),
        "date_precision": pa.Column(str, one_of(_PRECISION_LENGTH)),
        "jc_number": pa.Column("Int64", pa.Check.in_range(1, 100, error="an ordinal from 1 to 100")),
        "jc_number_inferred": _bool_text(),
        "place": pa.Column(str),
        "host": pa.Column(str, nullable=True),
        "members_present": pa.Column(str),
        "observers": pa.Column(str, nullable=True),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[pa.Check(lambda df: ~df["jc_number"].duplicated(), error="a jc_number used only once")],
    strict=True, coerce=True,
)

GCTF_JOINT_COMMITTEES = register("gctf/joint_committees.csv", GCTF_JC_SCHEMA, ["meeting_date"],
                                 "GCTF Joint Committee meetings located in the sources")


def load_gctf_joint_committees(data_dir=None) -> pd.DataFrame:
    """Joint Committee meetings (data/gctf/joint_committees.csv); ordinals rise with the date."""
    df = GCTF_JOINT_COMMITTEES.load(data_dir)
    _check_precision(df, GCTF_JOINT_COMMITTEES, "meeting_date")
    order = df.sort_values("meeting_date")
    bad = order["jc_number"].diff() <= 0
    if bad.any():
        pos = int(order.index[bad.to_numpy().nonzero()[0][0]])
        raise DataError("data/" + GCTF_JOINT_COMMITTEES.path, row=pos + 1, column="jc_number",
                        expected="ordinals that rise with meeting_date", found=int(df["jc_number"].iloc[pos]))
    return _to_bool(df, ["jc_number_inferred"])


# ---------------------------------------------------------------------------------------------
# Diplomacy (notebook 05)
# ---------------------------------------------------------------------------------------------

# What sort of record a row is. 'report_of_plan' (a report that a plan exists) is kept apart from
# 'decision' (a government's own act), because claim C19 turns on that difference.
EVENT_KINDS = {"act", "treaty", "exchange_of_notes", "draft", "communique", "agreement", "joint_statement",
               "statement", "speech", "announcement", "policy", "white_paper", "party_election", "meeting",
               "visit", "diplomatic_break", "establishment", "renaming", "partnership", "report",
               "report_of_plan", "analysis", "proposal", "postponement", "posting", "staffing", "decision"}
EVENT_ACTOR_TYPES = {"government", "party", "legislature", "legislator", "local_politician", "military",
                     "media", "state_media", "analyst", "quasi_official"}
EVENT_FLAGS = {"relay_source", "partial_copy", "secondary_copy", "date_uncertain", "date_not_stated",
               "derived_date", "variant_superseded", "opinion"}
# key_value holds a whole number for these key types ...
EVENT_NUMBER_KEYS = {"year", "gs_term_number", "term_length_years", "rejuvenation_target_year",
                     "reunification_year_expected", "mentions_taiwan_strait", "us_share_percent",
                     "year_japan_joined"}
EVENT_MONTH_KEYS = {"publication_month"}
# ... free text (a name) for these, and a whole number or a snake_case status slug for the rest.
EVENT_TEXT_KEYS = {"new_name", "channel"}
EVENT_STATUS_KEYS = {"rejuvenation_horizon", "reunification_target_year", "relationship_status",
                     "jp_tra_status", "formal_military_exchanges", "proposal_status", "outcome_claimed",
                     "channel_status", "person_status_planned", "person_status_as_headlined",
                     "person_status_as_characterised", "person_status_posted", "plan_status",
                     "serving_sdf_officer_posted",
                     # No row uses these yet: they are where a record that would contradict an absence
                     # claim (C03, C05, C16) or show the GTI study's recommendations (C26, C27) goes.
                     "aid_pledge", "legal_basis_military_cooperation", "arms_transfers_jpn_to_twn",
                     "recommendation"}
EVENT_KEY_TYPES = EVENT_NUMBER_KEYS | EVENT_MONTH_KEYS | EVENT_TEXT_KEYS | EVENT_STATUS_KEYS

EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "event_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$",
                                                        error="a lower-case slug like 'us-taiwan-relations-act'")),
        "date": pa.Column(str, iso_date(), nullable=True),
        "end_date": pa.Column(str, iso_date(), nullable=True),
        "date_precision": pa.Column(str, one_of({"day", "month", "year"}), nullable=True),
        "kind": pa.Column(str, one_of(EVENT_KINDS)),
        "actor": pa.Column(str),
        "actor_type": pa.Column(str, one_of(EVENT_ACTOR_TYPES)),
        "actor_country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}(;[A-Z]{3})*$",
                                                             error="';'-separated ISO 3166 alpha-3 codes"),
                                   nullable=True),
        "what": pa.Column(str),
        "key_value": pa.Column(str, nullable=True),
        "key_type": pa.Column(str, one_of(EVENT_KEY_TYPES), nullable=True),
        "claim_ids": pa.Column(str, pa.Check.str_matches(r"^C\d{2}(;C\d{2})*$",
                                                         error="';'-separated claim IDs like 'C17;C18'")),
        "flag": pa.Column(str, _flag_list(EVENT_FLAGS), nullable=True),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[
        pa.Check(lambda df: df["date"].isna()
                 == df["flag"].fillna("").str.contains(r"(?:^|;)date_not_stated(?:;|$)", regex=True),
                 error="an empty date exactly where flag has 'date_not_stated'"),
        pa.Check(lambda df: df["key_value"].isna() == df["key_type"].isna(),
                 error="key_value and key_type both given or both empty"),
    ],
    strict=True, coerce=True,
)

EVENTS = register("diplomacy/events.csv", EVENTS_SCHEMA, ["event_id"],
                  "Dated documentary records behind the law, diplomacy and context claims")


def _key_value_fits(key_type: str, value: str) -> bool:
    if key_type in EVENT_NUMBER_KEYS:
        return re.fullmatch(r"\d+", value) is not None
    if key_type in EVENT_MONTH_KEYS:
        return len(value) == 7 and _is_iso(value)
    if key_type in EVENT_TEXT_KEYS:
        return bool(value.strip())
    return re.fullmatch(r"\d+|[a-z][a-z0-9_]*", value) is not None


def load_events(data_dir=None) -> pd.DataFrame:
    """Dated records for the law, diplomacy and context claims (data/diplomacy/events.csv).

    Beyond the schema: date_precision must match the date, end_date may not precede date, key_value
    must suit its key_type (a whole number, an ISO month, a status slug or a name), and every claim ID
    in claim_ids must exist in data/claims.csv. Adds date_first/date_last, the first and last day the
    date can mean (a year-precision date covers the whole year).
    """
    df = EVENTS.load(data_dir)
    shown = "data/" + EVENTS.path
    _check_precision(df, EVENTS, "date")
    _check_end_after_start(df, EVENTS, "date", "end_date")
    for pos, (ktype, value) in enumerate(zip(df["key_type"], df["key_value"])):
        if isinstance(ktype, str) and not _key_value_fits(ktype, value):
            kind = ("a whole number" if ktype in EVENT_NUMBER_KEYS else "an ISO month YYYY-MM"
                    if ktype in EVENT_MONTH_KEYS else "a whole number or a snake_case status slug")
            raise DataError(shown, row=pos + 1, column="key_value", expected=f"{kind} for key_type '{ktype}'",
                            found=value)
    known = set(load_claims(data_dir)["claim_id"])
    for pos, cell in enumerate(df["claim_ids"]):
        for cid in split_ids(cell):
            if cid not in known:
                raise DataError(shown, row=pos + 1, column="claim_ids",
                                expected="claim IDs listed in data/claims.csv", found=cid)
    return _add_bounds(df, "date", "date")


# ---------------------------------------------------------------------------------------------
# Reach and distance (notebook 04)
# ---------------------------------------------------------------------------------------------

def _coordinate_text(value) -> float:
    """A published coordinate as a number: degrees-minutes-seconds text or plain decimal degrees."""
    text = str(value).strip()
    if re.fullmatch(r"-?\d{1,3}(\.\d+)?", text):
        return float(text)
    return dms_to_decimal(text)


ARCSECOND_DEG = 1.0 / 3600.0
# How a main installation's position was obtained. Only 'none' is never plotted; the others are drawn,
# 'host_site' and 'list_geocode' with a hollow marker because they only approximate the installation.
INSTALLATION_COORD_QUALITY = {
    "published": "the installation's own coordinates as published by the cited source",
    "host_site": "coordinates published for the site that hosts the installation",
    "list_geocode": "the geocode in Vine's list (troops-S04), not confirmed by a second source",
    "none": "no position located: listed, not plotted",
}
INSTALLATION_SERVICES = {"Army", "Navy", "Marine Corps", "Air Force"}

INSTALLATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "installation_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$", error="a lower-case slug")),
        "name": pa.Column(str),
        "service": pa.Column(str, one_of(INSTALLATION_SERVICES)),
        "prefecture": pa.Column(str),
        "municipality": pa.Column(str, nullable=True),
        # The same bounding-box checks as troops/facilities.csv: a Japanese installation lies in Japan.
        "lat": FACILITIES_SCHEMA.columns["lat"],
        "lon": FACILITIES_SCHEMA.columns["lon"],
        "lat_published": pa.Column(str, nullable=True),
        "lon_published": pa.Column(str, nullable=True),
        "coord_quality": pa.Column(str, one_of(INSTALLATION_COORD_QUALITY)),
        "coord_source_id": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_.-]+$", error="one source ID"),
                                     nullable=True),
        "facility_id": pa.Column(str, nullable=True),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[
        pa.Check(lambda df: df["lat"].isna() == df["lon"].isna(), error="lat and lon both given or both empty"),
        # As in facilities.csv: an installation without a sourced position may not carry a plottable one.
        pa.Check(lambda df: (df["coord_quality"] == "none") == df["lat"].isna(),
                 error="lat/lon empty exactly where coord_quality is 'none'"),
        pa.Check(lambda df: df["lat"].isna() == df["coord_source_id"].isna(),
                 error="coord_source_id exactly where lat/lon are given"),
        pa.Check(lambda df: df["lat"].isna() == df["lat_published"].isna(),
                 error="lat_published and lon_published exactly where lat/lon are given"),
        pa.Check(lambda df: df["lon"].isna() == df["lon_published"].isna(),
                 error="lon_published exactly where lon is given"),
    ],
    strict=True, coerce=True,
)

INSTALLATIONS = register("troops/installations.csv", INSTALLATIONS_SCHEMA, ["installation_id"],
                         "Main US installations in Japan: service, prefecture and a sourced position (or none)")


def load_installations(data_dir=None) -> pd.DataFrame:
    """The main US installations in Japan (data/troops/installations.csv), with `plotted` added.

    Beyond the schema: the coordinate source must be one of the row's source IDs; the published text
    (degrees-minutes-seconds or decimal) must give the same point as lat/lon within one arcsecond; and
    facility_id must name a row of data/troops/facilities.csv.
    """
    df = INSTALLATIONS.load(data_dir)
    shown = "data/" + INSTALLATIONS.path
    facilities = set(load_facilities(data_dir)["facility_id"])
    for pos, r in enumerate(df.itertuples()):
        if isinstance(r.coord_source_id, str) and r.coord_source_id not in split_ids(r.source_id):
            raise DataError(shown, row=pos + 1, column="coord_source_id",
                            expected="one of the row's source_id values", found=r.coord_source_id)
        for col in ("lat", "lon"):
            text = getattr(r, f"{col}_published")
            if not isinstance(text, str):
                continue
            try:
                value = _coordinate_text(text)
            except ValueError:
                raise DataError(shown, row=pos + 1, column=f"{col}_published",
                                expected="a coordinate like 26°21′20″N or 26.355556", found=text) from None
            if abs(value - getattr(r, col)) > ARCSECOND_DEG:
                raise DataError(shown, row=pos + 1, column=col,
                                expected=f"the point of {col}_published ({value:.6f}) within one arcsecond",
                                found=getattr(r, col))
        if isinstance(r.facility_id, str) and r.facility_id not in facilities:
            raise DataError(shown, row=pos + 1, column="facility_id",
                            expected="a facility_id in data/" + FACILITIES.path, found=r.facility_id)
    df["plotted"] = df["coord_quality"] != "none"
    return df


RANGE_CLASSES_SCHEMA = pa.DataFrameSchema(
    {
        "class_id": pa.Column(str, pa.Check.str_matches(r"^[a-z]+$", error="a lower-case ID like 'srbm'")),
        "name": pa.Column(str),
        "range_lower_km": pa.Column(float, pa.Check.ge(0, error="a range >= 0 km")),
        "range_upper_km": pa.Column(float, pa.Check.gt(0, error="a range > 0 km")),
        "defined_by": pa.Column(str),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda df: df["range_lower_km"] < df["range_upper_km"],
                     error="range_lower_km below range_upper_km")],
    strict=True, coerce=True,
)

RANGE_CLASSES = register("missiles_2022/range_classes.csv", RANGE_CLASSES_SCHEMA, ["class_id"],
                         "US definitions of ballistic-missile range classes (SRBM, MRBM, IRBM)")


def load_range_classes(data_dir=None) -> pd.DataFrame:
    """Range classes (data/missiles_2022/range_classes.csv), in file order.

    Beyond the schema: each class must start where the one before it ends, so that every range
    between the first lower and the last upper limit falls in exactly one class.
    """
    df = RANGE_CLASSES.load(data_dir)
    for pos in range(1, len(df)):
        prev_upper, lower = df["range_upper_km"].iloc[pos - 1], df["range_lower_km"].iloc[pos]
        if lower != prev_upper:
            raise DataError("data/" + RANGE_CLASSES.path, row=pos + 1, column="range_lower_km",
                            expected=f"the previous class's upper limit ({prev_upper:g} km): classes in "
                                     "ascending order, without gaps or overlaps",
                            found=lower)
    return df


LAUNCH_REGIONS_SCHEMA = pa.DataFrameSchema(
    {
        # The launch_area values of missiles_2022/launches.csv that name a coast.
        "region_id": pa.Column(str, one_of({"fujian_coast", "zhejiang_coast"})),
        "province": pa.Column(str),
        "lat_south_published": pa.Column(str, _dms_check("N")),
        "lat_north_published": pa.Column(str, _dms_check("N")),
        "lon_west_published": pa.Column(str, _dms_check("E")),
        "lon_east_published": pa.Column(str, _dms_check("E")),
        "lat_south": pa.Column(float, pa.Check.in_range(15, 45, error="a latitude on China's east coast (15-45°N)")),
        "lat_north": pa.Column(float, pa.Check.in_range(15, 45, error="a latitude on China's east coast (15-45°N)")),
        "lon_west": pa.Column(float, pa.Check.in_range(105, 130, error="a longitude on China's east coast (105-130°E)")),
        "lon_east": pa.Column(float, pa.Check.in_range(105, 130, error="a longitude on China's east coast (105-130°E)")),
        "method": pa.Column(str, one_of({"coastline_in_published_extent", "province_polygon"})),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: df["lat_south"] < df["lat_north"], error="lat_south below lat_north"),
        pa.Check(lambda df: df["lon_west"] < df["lon_east"], error="lon_west west of lon_east"),
    ],
    strict=True, coerce=True,
)

LAUNCH_REGIONS = register("missiles_2022/launch_regions.csv", LAUNCH_REGIONS_SCHEMA, ["region_id"],
                          "Coastal launch areas named by Japan's MOD (Fujian, Zhejiang) with the provinces' published extent")


def load_launch_regions(data_dir=None) -> pd.DataFrame:
    """Launch regions (data/missiles_2022/launch_regions.csv), indexed by region_id.

    Beyond the schema: each decimal limit must equal its published degrees-minutes text (within 0.36″).
    """
    df = LAUNCH_REGIONS.load(data_dir)
    shown = "data/" + LAUNCH_REGIONS.path
    for pos, r in enumerate(df.itertuples()):
        for col in ("lat_south", "lat_north", "lon_west", "lon_east"):
            pub = dms_to_decimal(getattr(r, f"{col}_published"))
            if abs(pub - getattr(r, col)) >= 1e-4:
                raise DataError(shown, row=pos + 1, column=col,
                                expected=f"the value of {col}_published ({pub:.6f})", found=getattr(r, col))
    return df.set_index("region_id", drop=False)
