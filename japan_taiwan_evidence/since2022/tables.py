"""The tables of notebook 06: what happened after the article (data/since2022/) and the official series
of pressure on Japan (data/pressure/). Each is declared with its pandera schema and read through
validate.read_table, so a bad row stops with one error naming the file, the row and the column.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from shapely.geometry import Polygon

from ..validate import dms_to_decimal
from ..validate import DataError, flag_list, iso_date, one_of, register, source_ids

_SLUG = pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="a lower-case slug like 'joint-sword-2023'")
_TIME = pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}$", error="an ISO time with offset")
_ISO3_LIST = pa.Check.str_matches(r"^[A-Z]{3}(;[A-Z]{3})*$", error="';'-separated ISO 3166 alpha-3 codes")
_BOOL = one_of({"true", "false"})
_COUNT = pa.Check.ge(0, error="a whole number >= 0")


def _dms(hemispheres: str) -> pa.Check:
    def ok(s):
        def one(v):
            try:
                dms_to_decimal(v)
            except ValueError:
                return False
            return str(v)[-1] in hemispheres
        return s.map(one)
    return pa.Check(ok, error=f"a coordinate written like 26°32′00″{hemispheres[0]}")


def _same_point(col: str) -> pa.Check:
    # 0.36″: the published text and the decimal degrees must be the same point.
    return pa.Check(lambda df: (df[f"{col}_published"].map(dms_to_decimal) - df[col]).abs() < 1e-4,
                    error=f"{col} to equal {col}_published (degrees-minutes-seconds) within 0.36″")


def _both_or_neither(a: str, b: str) -> pa.Check:
    return pa.Check(lambda df: df[a].isna() == df[b].isna(), error=f"{a} and {b} both given or both empty")


# ------------------------------------------------------------------------------------- exercises
EXERCISE_FLAGS = {"no_coordinates_found", "schematic_map_only", "closure_area_without_coordinates",
                  "live_fire_inferred", "dates_conflict"}

EXERCISES = register("since2022/exercises.csv", pa.DataFrameSchema(
    {
        "exercise_id": pa.Column(str, _SLUG),
        "name": pa.Column(str),
        "name_zh": pa.Column(str, nullable=True),
        "start_date": pa.Column(str, iso_date()),
        "end_date": pa.Column(str, iso_date()),
        "zones_published": pa.Column(str, _BOOL),
        "live_fire": pa.Column(str, one_of({"yes", "no", "unknown"})),
        "flags": pa.Column(str, flag_list(EXERCISE_FLAGS), nullable=True),
        "nearest_to_japan": pa.Column(str),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda df: df["end_date"] >= df["start_date"], error="end_date on or after start_date")],
    strict=True, coerce=True), ["exercise_id"], "Named PLA exercises around Taiwan after the article, 2023-2025")

ZONE_AUTHORITIES = {"pla_via_xinhua"}

EXERCISE_ZONES = register("since2022/exercise_zones.csv", pa.DataFrameSchema(
    {
        "exercise_id": pa.Column(str, _SLUG),
        "zone_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z0-9]+-Z\d+$", error="a zone ID like 'JM25-Z1'")),
        "vertex_order": pa.Column("Int64", pa.Check.ge(1, error="a vertex number from 1")),
        "lat_published": pa.Column(str, _dms("NS")),
        "lon_published": pa.Column(str, _dms("EW")),
        "lat": pa.Column(float, pa.Check.in_range(-90, 90, error="a latitude from -90 to 90")),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180, error="a longitude from -180 to 180")),
        "window_start": pa.Column(str, _TIME),
        "window_end": pa.Column(str, _TIME),
        "authority": pa.Column(str, one_of(ZONE_AUTHORITIES)),
        "location": pa.Column(str),
        "flag": pa.Column(str, nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[_same_point("lat"), _same_point("lon")],
    strict=True, coerce=True), ["zone_id", "vertex_order"],
    "Live-fire zones of PLA exercises after the article: every vertex as published and in decimal degrees")


def load_exercises(data_dir=None) -> pd.DataFrame:
    """Named PLA exercises (data/since2022/exercises.csv); zones_published as booleans."""
    df = EXERCISES.load(data_dir)
    df["zones_published"] = df["zones_published"] == "true"
    return df


def load_exercise_zones(data_dir=None) -> pd.DataFrame:
    """Zone vertices (data/since2022/exercise_zones.csv), checked to close valid polygons, each zone
    belonging to one exercise that says its zones were published, and every such exercise having zones:
    nothing is drawn for an exercise without published coordinates, and no published zone is dropped."""
    df = EXERCISE_ZONES.load(data_dir)
    shown = "data/" + EXERCISE_ZONES.path
    exercises = load_exercises(data_dir).set_index("exercise_id")
    for pos, (ex, zone) in enumerate(zip(df["exercise_id"], df["zone_id"])):
        if ex not in exercises.index or not exercises.loc[ex, "zones_published"]:
            raise DataError(shown, row=pos + 1, column="exercise_id",
                            expected="an exercise in data/since2022/exercises.csv with zones_published true",
                            found=ex)
        if df.loc[df["zone_id"] == zone, "exercise_id"].nunique() > 1:
            raise DataError(shown, row=pos + 1, column="zone_id", expected="a zone of one exercise only",
                            found=zone)
    missing = sorted(set(exercises.index[exercises["zones_published"]]) - set(df["exercise_id"]))
    if missing:
        raise DataError("data/" + EXERCISES.path, column="zones_published",
                        expected=f"vertices in {shown} for every exercise marked true", found=missing[0])
    for zone, grp in df.groupby("zone_id", sort=False):
        rows = grp.index.to_list()
        if grp["vertex_order"].to_list() != list(range(1, len(grp) + 1)):
            raise DataError(shown, row=rows[0] + 1, column="vertex_order",
                            expected=f"zone {zone}'s vertices numbered 1..n in file order",
                            found=grp["vertex_order"].to_list())
        pts = list(zip(grp["lon"], grp["lat"]))
        if len(set(pts)) < 3 or not Polygon(pts).is_valid:
            raise DataError(shown, row=rows[0] + 1, column="lat/lon",
                            expected=f"zone {zone}'s vertices, joined in order, to close a simple polygon",
                            found=f"{len(set(pts))} distinct vertices")
    return df


# ---------------------------------------------------------------------------------------- events
EVENT_TOPICS = {"pla_near_japan", "japan_taiwan", "takaichi_china", "usfj", "gctf", "evacuation"}
EVENT_KINDS = {"carrier_operations", "carrier_transit", "airspace_violation", "drone_flight",
               "radar_illumination", "strategy", "posting", "report", "joint_drill", "strait_transit",
               "statement", "trade_resumption", "travel_warning", "import_suspension", "export_ban",
               "headquarters_step", "relocation", "committee_meeting", "partner_joined", "plan_announced",
               "tabletop_exercise", "plan_published"}
ACTOR_TYPES = {"government", "military", "coast_guard"}
# Structured values a check can read (key -> the values it may take; None: a whole number).
EVENT_KEYS = {"person_status_posted": {"civilian_mod_official", "retired_military_officer",
                                       "serving_military_officer"},
              "serving_sdf_officer_posted": {"none", "serving_military_officer"},
              "drill_purpose": {"search_and_rescue", "disaster_relief", "humanitarian_assistance",
                                "military"},
              "partner_number": None}
EVENT_FLAGS = {"relay_source", "wording_second_hand", "month_not_stated", "day_not_stated",
               "first_claim_conflict", "no_official_announcement", "cumulative_wording_differs",
               "sdf_role_conflict"}


def _key_value_fits(df: pd.DataFrame) -> pd.Series:
    def one(key, value):
        if not isinstance(key, str):
            return True
        allowed = EVENT_KEYS.get(key)
        return str(value).isdigit() if allowed is None else value in allowed
    return pd.Series([one(k, v) for k, v in zip(df["key"], df["value"])], index=df.index)


EVENTS = register("since2022/events.csv", pa.DataFrameSchema(
    {
        "event_id": pa.Column(str, _SLUG),
        "date": pa.Column(str, iso_date()),
        "topic": pa.Column(str, one_of(EVENT_TOPICS)),
        "kind": pa.Column(str, one_of(EVENT_KINDS)),
        "actors": pa.Column(str, _ISO3_LIST, nullable=True),
        "actor_type": pa.Column(str, one_of(ACTOR_TYPES), nullable=True),
        "label": pa.Column(str, pa.Check.str_length(1, 60, error="a short label (at most 60 characters)")),
        "what": pa.Column(str),
        "number": pa.Column(float, pa.Check.ge(0, error="a number >= 0"), nullable=True),
        "unit": pa.Column(str, nullable=True),
        "qualifier": pa.Column(str, one_of({"exact", "about", "more_than"}), nullable=True),
        "key": pa.Column(str, one_of(EVENT_KEYS), nullable=True),
        "value": pa.Column(str, nullable=True),
        "flags": pa.Column(str, flag_list(EVENT_FLAGS), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[_both_or_neither("number", "unit"), _both_or_neither("number", "qualifier"),
            _both_or_neither("key", "value"),
            pa.Check(_key_value_fits, error=f"value allowed for its key: {EVENT_KEYS}")],
    strict=True, coerce=True), ["event_id"],
    "Dated events after the article: PLA activity near the Sakishima islands, Japan-Taiwan contacts, "
    "China's measures after PM Takaichi's remark, USFJ, GCTF, Sakishima evacuation exercises")


def load_events(data_dir=None) -> pd.DataFrame:
    """Dated events (data/since2022/events.csv), with `when`, the first day the date can mean."""
    df = EVENTS.load(data_dir)
    df["when"] = pd.to_datetime(df["date"].map(lambda d: d if len(d) == 10 else (d + "-01-01")[:10]))
    return df


# --------------------------------------------------------------------- posture, evacuation, visitors
ISLANDS = {"yonaguni", "ishigaki", "miyako", "okinawa_island"}
# strength: a garrison's head count on a date, not a unit.
POSTURE_STATUS = {"in_place", "announced", "decided", "planned", "strength"}
POSTURE_FLAGS = {"before_article", "measure_conflict", "location_conflict", "personnel_conflict",
                 "relay_source"}

POSTURE = register("since2022/posture.csv", pa.DataFrameSchema(
    {
        "posture_id": pa.Column(str, _SLUG),
        "island": pa.Column(str, one_of(ISLANDS)),
        "date": pa.Column(str, iso_date()),
        "status": pa.Column(str, one_of(POSTURE_STATUS)),
        "unit": pa.Column(str, pa.Check.str_length(1, 60, error="a short unit name (details go in note)")),
        "service": pa.Column(str, flag_list({"gsdf", "asdf", "msdf"})),
        "personnel": pa.Column("Int64", _COUNT, nullable=True),
        "personnel_qualifier": pa.Column(str, one_of({"exact", "about"}), nullable=True),
        "fiscal_year_planned": pa.Column("Int64", pa.Check.in_range(2000, 2100, error="a fiscal year"),
                                         nullable=True),
        "flags": pa.Column(str, flag_list(POSTURE_FLAGS), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[_both_or_neither("personnel", "personnel_qualifier"),
            pa.Check(lambda df: ~df["status"].isin(["in_place", "strength"]) | df["fiscal_year_planned"].isna(),
                     error="fiscal_year_planned empty for a unit in place or a head count")],
    strict=True, coerce=True), ["posture_id"],
    "Japan's units on Yonaguni, Ishigaki, Miyako and Okinawa Island: planned, decided and in place")

EVACUATION_MEASURES = {"people_total", "residents", "tourists", "people_per_day", "days",
                       "origin_municipalities", "host_municipalities", "host_prefectures", "residents_hosted"}

EVACUATION = register("since2022/evacuation.csv", pa.DataFrameSchema(
    {
        "measure": pa.Column(str, one_of(EVACUATION_MEASURES)),
        "host_prefecture": pa.Column(str, nullable=True),
        "value": pa.Column("Int64", _COUNT),
        "unit": pa.Column(str),
        "qualifier": pa.Column(str, one_of({"exact", "about"})),
        "flags": pa.Column(str, nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda df: df["host_prefecture"].notna() == (df["measure"] == "residents_hosted"),
                     error="host_prefecture given exactly for measure residents_hosted")],
    strict=True, coerce=True), ["measure", "host_prefecture"],
    "The Sakishima evacuation plan of 27 March 2025: people, days and host prefectures")

VISITORS = register("since2022/visitors.csv", pa.DataFrameSchema(
    {
        "month": pa.Column(str, [iso_date(), pa.Check.str_length(7, 7, error="a month YYYY-MM")]),
        "visitors": pa.Column("Int64", _COUNT),
        "qualifier": pa.Column(str, one_of({"estimate", "exact"})),
        "yoy_change_pct": pa.Column(float, nullable=True),
        "flags": pa.Column(str, flag_list({"relay_source", "lunar_new_year"}), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True), ["month"], "Monthly visitors from mainland China to Japan (JNTO estimates)")


def load_posture(data_dir=None) -> pd.DataFrame:
    """Units on the south-western islands (data/since2022/posture.csv)."""
    return POSTURE.load(data_dir)


def load_evacuation(data_dir=None) -> pd.DataFrame:
    """The Sakishima evacuation plan's figures (data/since2022/evacuation.csv)."""
    return EVACUATION.load(data_dir)


def load_visitors(data_dir=None) -> pd.DataFrame:
    """Monthly mainland-Chinese visitors to Japan (data/since2022/visitors.csv), sorted by month."""
    return VISITORS.load(data_dir).sort_values("month").reset_index(drop=True)


# ------------------------------------------------------------------------------ pressure series
SCRAMBLE_FLAGS = {"chart_label_reading", "partial_year", "china_unofficial", "china_range_only",
                  "russia_derived", "russia_not_found", "russia_conflict", "other_derived", "total_conflict",
                  "split_press_relay", "split_official_table", "civil_flights_counted"}


def _parts_add_up(df: pd.DataFrame) -> pd.Series:
    parts = df[["china", "russia", "other"]]
    return parts.isna().any(axis=1) | (parts.sum(axis=1) == df["total"])


SCRAMBLES = register("pressure/scrambles.csv", pa.DataFrameSchema(
    {
        "fiscal_year": pa.Column("Int64", pa.Check.in_range(1958, 2100, error="a fiscal year from 1958")),
        "total": pa.Column("Int64", _COUNT),
        "china": pa.Column("Int64", _COUNT, nullable=True),
        "china_max": pa.Column("Int64", _COUNT, nullable=True),
        "russia": pa.Column("Int64", _COUNT, nullable=True),
        "other": pa.Column("Int64", _COUNT, nullable=True),
        "flags": pa.Column(str, flag_list(SCRAMBLE_FLAGS), nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(_parts_add_up, error="china + russia + other equal to total where all three are given"),
            pa.Check(lambda df: df["china"].isna() | (df["china"] <= df["total"]), error="china <= total"),
            pa.Check(lambda df: df["china_max"].isna()
                     | (df["china"].isna() & df["flags"].fillna("").str.contains("china_range_only")),
                     error="china_max only where china is empty and flagged china_range_only")],
    strict=True, coerce=True), ["fiscal_year"],
    "ASDF scrambles by fiscal year (April-March), FY1958 onward, with China and Russia where published")

SENKAKU_MEASURES = {"ship_days", "days", "incidents"}

SENKAKU = register("pressure/senkaku_ccg.csv", pa.DataFrameSchema(
    {
        "year": pa.Column("Int64", pa.Check.in_range(2000, 2100, error="a calendar year")),
        "zone": pa.Column(str, one_of({"contiguous_zone", "territorial_sea"})),
        "measure": pa.Column(str, one_of(SENKAKU_MEASURES)),
        "value": pa.Column("Int64", _COUNT),
        "qualifier": pa.Column(str, one_of({"exact", "at_least"})),
        "as_of": pa.Column(str, iso_date(), nullable=True),
        "flags": pa.Column(str, flag_list({"blog_transcription", "single_source", "value_conflict"}),
                           nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda df: df["as_of"].notna() == (df["qualifier"] == "at_least"),
                     error="as_of given exactly for a partial-year count (qualifier at_least)"),
            pa.Check(lambda df: (df["measure"] != "days") | (df["value"] <= 366),
                     error="value at most 366 for the measure days")],
    strict=True, coerce=True), ["year", "zone", "measure"],
    "Chinese government ships around the Senkaku Islands by calendar year: ship-days, days, incidents")


def load_scrambles(data_dir=None) -> pd.DataFrame:
    """ASDF scrambles by fiscal year (data/pressure/scrambles.csv), sorted by year."""
    return SCRAMBLES.load(data_dir).sort_values("fiscal_year").reset_index(drop=True)


def load_senkaku(data_dir=None) -> pd.DataFrame:
    """China Coast Guard presence around the Senkakus (data/pressure/senkaku_ccg.csv), long form."""
    return SENKAKU.load(data_dir).sort_values(["zone", "measure", "year"]).reset_index(drop=True)


# Every table of this topic, for the coverage date (analysis.coverage).
SINCE2022_LOADERS = (load_exercises, load_exercise_zones, load_events, load_posture, load_evacuation,
                     load_visitors)
PRESSURE_LOADERS = (load_scrambles, load_senkaku)
