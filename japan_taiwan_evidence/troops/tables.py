"""The troops tables: personnel by report, Okinawa point figures, base counts, named facilities, main installations."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .. import paths
from ..validate import file_digest
from ..validate import (  # noqa: F401
    LAT, LON, DataError, Table, add_bounds, agrees_with_published, bool_text, check_end_after_start,
    check_precision, date_bounds, dms_check, dms_to_decimal, flag_list, is_iso, iso3, iso_date, one_of,
    PRECISION_LENGTH, period_date, register, source_ids, split_ids, to_bool,
)


SERVICES = {"total", "total_ashore", "total_afloat", "total_active_duty", "army", "navy", "navy_ashore",
            "navy_afloat", "navy_temporary_ashore_as_transcribed", "navy_other_as_transcribed",
            "marine_corps", "marine_corps_ashore", "marine_corps_afloat", "air_force", "space_force",
            "coast_guard", "selected_reserve_total", "dod_civilian_total", "grand_total_mil_and_civ"}
PERSONNEL_FLAGS = {"service_columns_shifted", "ryukyu_row_only", "no_ryukyu_row", "navy_swing",
                   "services_sum_mismatch", "kane_value", "kane_combined_inferred", "interpolated",
                   "dmdc_based_update", "gap",
                   # set by the DMDC workbook importer (japan_taiwan_evidence/ingest/dmdc.py)
                   "na_in_source", "air_force_incl_space_force", "components_sum_mismatch"}




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
        "flags": pa.Column(str, flag_list(PERSONNEL_FLAGS), nullable=True),
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
    """US military personnel in Japan by report, service and series (data/troops/personnel.csv).

    Beyond the schema: in every report the service rows add up to the printed total, unless the total
    row carries a flag naming the known discrepancy (:func:`check_service_sums`).
    """
    df = PERSONNEL.load(data_dir)
    digest = file_digest(Path(data_dir or paths.DATA) / PERSONNEL.path)
    if digest not in _SUMS_CHECKED:  # once per file version, like the table itself
        check_service_sums(df, "data/" + PERSONNEL.path)
        _SUMS_CHECKED.add(digest)
    df["date"] = df["report_date"].map(period_date)
    return df


_SUMS_CHECKED: set[str] = set()
# The printed total of a report, by preference (its name changed over time), and the service rows that
# make it up. Navy and Marine Corps are split into ashore/afloat parts in the old reports; a report
# gives either the service or its parts.
_REPORT_TOTALS = ["total_active_duty", "total", "total_ashore"]
_WHOLE_SERVICES = ["army", "air_force", "space_force", "coast_guard"]
_SERVICE_PARTS = {
    "navy": ["navy_ashore", "navy_afloat", "navy_temporary_ashore_as_transcribed", "navy_other_as_transcribed"],
    "marine_corps": ["marine_corps_ashore", "marine_corps_afloat"],
}
# Flags that name a known reason why a report's services do not add up to its total (dossier troops §2.2,
# §2.5): the printed total is kept and the flag tells the reader.
SUM_DISCREPANCY_FLAGS = {"services_sum_mismatch", "service_columns_shifted"}


def check_service_sums(df: pd.DataFrame, shown: str) -> None:
    """Each report's active-duty service rows must add up to its printed total.

    Where they do not, the total row must carry one of SUM_DISCREPANCY_FLAGS; a total flagged
    'services_sum_mismatch' must really differ (a stale flag is an error too), and where its note records
    the sum ("services add up to 55666") the services must still give that sum. A report with an empty
    service value (invalid in the source) cannot be summed and is not checked. Raises DataError naming
    the total's row, so a Navy value typed 2110 instead of 21100 stops the load.
    """
    ad = df[df["component"] == "active_duty"].copy()
    ad["_row"] = df.index.get_indexer(ad.index) + 1  # data rows count from 1, as in every DataError
    ad["_report"] = ad["series"] + "|" + ad["report_date"] + "|" + ad["geography"]
    # The printed total: the first of _REPORT_TOTALS the report has with a value.
    totals = ad[ad["service"].isin(_REPORT_TOTALS) & ad["personnel"].notna()].copy()
    totals["_rank"] = totals["service"].map(_REPORT_TOTALS.index)
    totals = totals.sort_values("_rank").drop_duplicates("_report").set_index("_report")
    # The service rows: a whole service where the report has it, else its parts.
    has = set(zip(ad["_report"], ad["service"]))
    whole_of = {p: w for w, pieces in _SERVICE_PARTS.items() for p in pieces}
    is_part = ad["service"].isin(_WHOLE_SERVICES + list(_SERVICE_PARTS)) | pd.Series(
        [s in whole_of and (r, whole_of[s]) not in has for r, s in zip(ad["_report"], ad["service"])], index=ad.index)
    ashore_only = ad["_report"].map(totals["service"]).eq("total_ashore")  # 1950: ashore counts only
    parts = ad[is_part & ~(ashore_only & ad["service"].str.endswith("_afloat"))]
    sums = parts.groupby("_report")["personnel"].agg(["sum", "count", "size"])
    # Reports with service rows and none of them empty (an invalid value cannot be added up).
    both = totals.join(sums, how="inner")
    both = both[both["count"] == both["size"]]
    flagged = both["flags"].fillna("").str.contains("services_sum_mismatch")
    for rep, t in both[(both["sum"] != both["personnel"]) | flagged].iterrows():
        printed, added = int(t["personnel"]), int(t["sum"])
        flags = set(split_ids(t["flags"]))
        noted = re.search(r"services add up to ([\d,]+)", str(t["note"]))
        known = "services_sum_mismatch" in flags
        mine = parts[parts["_report"] == rep]
        terms = " + ".join(f"{s} {int(v):,} (row {n})" for s, v, n in zip(mine["service"], mine["personnel"], mine["_row"]))
        where = {"row": int(t["_row"]), "column": "personnel", "found": printed}
        if added != printed and not flags & SUM_DISCREPANCY_FLAGS:
            raise DataError(shown, **where,
                            expected=(f"the printed {t['service']} of report {t['report_date']} to equal the sum "
                                      f"of its service rows, {terms} = {added:,}, or a flag naming the known "
                                      f"discrepancy ({', '.join(sorted(SUM_DISCREPANCY_FLAGS))})"))
        if known and added == printed:
            raise DataError(shown, row=int(t["_row"]), column="flags", found=t["flags"],
                            expected=(f"no 'services_sum_mismatch' flag: the service rows of report "
                                      f"{t['report_date']} add up to the printed {t['service']} ({added:,})"))
        if known and noted and int(noted.group(1).replace(",", "")) != added:
            raise DataError(shown, **where,
                            expected=(f"the service rows of report {t['report_date']} to add up to the "
                                      f"{noted.group(1)} its note records ({terms} = {added:,})"))


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


# The main installations drawn in notebook 04 (reach uses them through its stated dependency on troops).
def _coordinate_text(value) -> float:
    """A published coordinate as a number: degrees-minutes-seconds text or plain decimal degrees."""
    text = str(value).strip()
    if re.fullmatch(r"-?\d{1,3}(\.\d+)?", text):
        return float(text)
    return dms_to_decimal(text)


ARCSECOND_DEG = 1.0 / 3600.0
# How a main installation's position was obtained. Only 'none' is never plotted. A point from the
# facility's outline is drawn filled; the others (a single published point, a host site, a list geocode)
# are drawn hollow as approximate, because no outline of the installation backs them.
INSTALLATION_COORD_QUALITY = {
    "outline_centroid": "a point computed from the facility's OpenStreetMap outline (data/troops/facility_positions.csv)",
    "published": "the installation's own coordinates as published by the cited source",
    "host_site": "coordinates published for the site that hosts the installation",
    "list_geocode": "the geocode in Vine's list (troops-S04), not confirmed by a second source",
    "none": "no position located: listed, not plotted",
}
INSTALLATION_APPROXIMATE = {"published", "host_site", "list_geocode"}
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
        # A point computed from an outline has no published text; every other position keeps it.
        pa.Check(lambda df: (df["lat"].notna() & (df["coord_quality"] != "outline_centroid"))
                 == df["lat_published"].notna(),
                 error="lat_published and lon_published exactly where lat/lon are given, "
                       "except for coord_quality 'outline_centroid'"),
        pa.Check(lambda df: df["lat_published"].isna() == df["lon_published"].isna(),
                 error="lon_published exactly where lat_published is given"),
    ],
    strict=True, coerce=True,
)

INSTALLATIONS = register("troops/installations.csv", INSTALLATIONS_SCHEMA, ["installation_id"],
                         "Main US installations in Japan: service, prefecture and a sourced position (or none)")


def load_installations(data_dir=None) -> pd.DataFrame:
    """The main US installations in Japan (data/troops/installations.csv), with `plotted` and `approximate` added.

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
    df["approximate"] = df["coord_quality"].isin(INSTALLATION_APPROXIMATE)
    return df
