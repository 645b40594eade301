"""The GCTF tables: partners, cumulative statements, annual counts, workshops, themes, Joint Committees."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..validate import (  # noqa: F401
    LAT, LON, DataError, Table, add_bounds, agrees_with_published, bool_text, check_end_after_start,
    check_precision, date_bounds, dms_check, dms_to_decimal, flag_list, is_iso, iso3, iso_date, one_of,
    PRECISION_LENGTH, period_date, register, source_ids, split_ids, to_bool,
)


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
GCTF_PARTNERS_SCHEMA = pa.DataFrameSchema(
    {
        "partner": pa.Column(str),
        "iso3": iso3(),
        "organization": pa.Column(str),
        "role": pa.Column(str, one_of(GCTF_ROLES)),
        "start_date": pa.Column(str, iso_date()),
        "date_precision": pa.Column(str, one_of(PRECISION_LENGTH)),
        "date_basis": pa.Column(str, one_of({"signed", "announced", "first_event", "listed", "inferred"})),
        "date_uncertain": bool_text(),
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
    check_precision(df, GCTF_PARTNERS, "start_date")
    check_end_after_start(df, GCTF_PARTNERS, "start_date", "end_date")
    # A superseded role must end on the day the same partner's full partnership starts.
    full = df[df["role"] == "full_partner"].set_index("partner")["start_date"]
    for pos, r in enumerate(df.itertuples()):
        if isinstance(r.end_basis, str) and full.get(r.partner) != r.end_date:
            raise DataError("data/" + GCTF_PARTNERS.path, row=pos + 1, column="end_date",
                            expected=f"the start of {r.partner}'s full partnership ({full.get(r.partner, 'none')})",
                            found=r.end_date)
    df = to_bool(df, ["date_uncertain"])
    df = add_bounds(df, "start_date", "start")
    df = add_bounds(df, "end_date", "end")
    df["core"] = df["role"].isin(GCTF_CORE_ROLES)
    return df


GCTF_CUMULATIVE_SCHEMA = pa.DataFrameSchema(
    {
        "statement_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$", error="a lower-case slug")),
        "statement_date": pa.Column(str, iso_date(), nullable=True),
        "date_precision": pa.Column(str, one_of(PRECISION_LENGTH), nullable=True),
        "measure": pa.Column(str, one_of(GCTF_MEASURES)),
        "value": pa.Column("Int64", pa.Check.in_range(0, 1_000_000, error="a count from 0 to 1,000,000")),
        "qualifier": pa.Column(str, one_of(GCTF_QUALIFIERS)),
        "unit_as_stated": pa.Column(str, one_of(GCTF_UNITS)),
        "source_kind": pa.Column(str, one_of(GCTF_SOURCE_KINDS)),
        "stated_by": pa.Column(str),
        "flag": pa.Column(str, flag_list(GCTF_CUMULATIVE_FLAGS), nullable=True),
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
    # All pairs at once (rows x earlier rows): the table is small, and a row-by-row loop cost ~0.4 s a load.
    series = pd.factorize(pd.MultiIndex.from_frame(df[["measure", "unit_as_stated", "source_kind"]].astype(str)))[0]
    dated = df["statement_date"].notna().to_numpy()
    flagged = df["flag"].map(lambda cell: bool(_flags(cell) & GCTF_DECREASE_FLAGS)).to_numpy()
    value = df["value"].to_numpy(dtype=float)
    first = df["date_first"].to_numpy(dtype="datetime64[ns]")
    last = df["date_last"].to_numpy(dtype="datetime64[ns]")
    higher = ((series[:, None] == series[None, :]) & dated[None, :] & (last[None, :] < first[:, None])
              & (value[None, :] > value[:, None]) & (dated & ~flagged)[:, None])
    bad = np.flatnonzero(higher.any(axis=1))
    if len(bad):
        pos = int(bad[0])
        row = df.iloc[pos]
        top = df.iloc[np.flatnonzero(higher[pos])].sort_values(["value", "date_first"]).iloc[-1]
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
    check_precision(df, GCTF_CUMULATIVE, "statement_date")
    df = add_bounds(df, "statement_date", "date")
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
        "date_precision": pa.Column(str, one_of(PRECISION_LENGTH)),
        "date_uncertain": bool_text(),
        "title": pa.Column(str),
        "theme_as_listed": pa.Column(str),
        "theme_official": pa.Column(str, one_of(GCTF_THEMES | {"other", "not_recorded"})),
        "co_hosts": pa.Column(str, nullable=True),
        "place": pa.Column(str, nullable=True),
        "country_iso3": iso3(),
        "format": pa.Column(str, one_of({"in_person", "virtual", "hybrid", "not_recorded"})),
        "franchise": bool_text(),
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
    check_precision(df, GCTF_WORKSHOPS, "date")
    check_end_after_start(df, GCTF_WORKSHOPS, "date", "end_date")
    dup = df.duplicated(["date", "title"])
    if dup.any():
        pos = int(dup.to_numpy().nonzero()[0][0])
        raise DataError("data/" + GCTF_WORKSHOPS.path, row=pos + 1, column="date+title",
                        expected="one row per dated workshop", found=df["title"].iloc[pos])
    df = to_bool(df, ["date_uncertain", "franchise"])
    df = add_bounds(df, "date", "date")
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
        "date_precision": pa.Column(str, one_of(PRECISION_LENGTH)),
        "jc_number": pa.Column("Int64", pa.Check.in_range(1, 100, error="an ordinal from 1 to 100")),
        "jc_number_inferred": bool_text(),
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
    check_precision(df, GCTF_JOINT_COMMITTEES, "meeting_date")
    order = df.sort_values("meeting_date")
    bad = order["jc_number"].diff() <= 0
    if bad.any():
        pos = int(order.index[bad.to_numpy().nonzero()[0][0]])
        raise DataError("data/" + GCTF_JOINT_COMMITTEES.path, row=pos + 1, column="jc_number",
                        expected="ordinals that rise with meeting_date", found=int(df["jc_number"].iloc[pos]))
    return to_bool(df, ["jc_number_inferred"])
