"""Personnel and base figures derived from the troops tables (notebook 01 and the claims ledger)."""

from __future__ import annotations

import pandas as pd

from ..validate import period_date

SERVICE_ORDER = ["army", "navy", "marine_corps", "air_force", "space_force", "coast_guard"]
# The headline total of a DMDC report changed name over time; take the first one the report has.
_TOTAL_PREFERENCE = ["total_active_duty", "total", "total_ashore"]


def headline_totals(personnel: pd.DataFrame) -> pd.DataFrame:
    """One total per series and report: date, personnel, which column it came from, qualifier, flags.

    DMDC reports give 'total_active_duty' from 2008, 'total' before and only 'total ashore' in 1950;
    the report total is used rather than a sum of services, because the service columns are shifted
    in 1953 and 1957-67 (dossier troops §2.5). Gap rows stay in, with no value, so lines break there.
    """
    df = personnel[(personnel["component"] == "active_duty")
                   & personnel["service"].isin(_TOTAL_PREFERENCE)].copy()
    df["_rank"] = df["service"].map(_TOTAL_PREFERENCE.index)
    df = df.sort_values(["series", "report_date", "_rank"]).drop_duplicates(["series", "report_date"])
    out = df[["series", "report_date", "date", "year", "quarter", "personnel", "service", "qualifier",
              "geography", "flags", "source_id"]].rename(columns={"service": "measure"})
    return out.sort_values(["series", "date"]).reset_index(drop=True)


def in_years(df: pd.DataFrame, first_year=None, last_year=None) -> pd.DataFrame:
    """The rows whose `year` lies in [first_year, last_year]; None leaves that end open."""
    keep = pd.Series(True, index=df.index)
    if first_year is not None:
        keep &= df["year"] >= int(first_year)
    if last_year is not None:
        keep &= df["year"] <= int(last_year)
    return df[keep]


def line_runs(totals: pd.DataFrame) -> list[pd.DataFrame]:
    """Split one series' headline totals into the runs a line may join, oldest first.

    A run is a stretch of consecutive reports that all have a value and all cover the same territory
    (`geography`). It breaks at a gap (a report with no value) and wherever the geography changes, so no
    line joins, say, a mainland-only row to a Ryukyu-only row. A run may hold a single report.
    """
    df = totals.sort_values("date")
    if df.empty:
        return []
    has = df["personnel"].notna()
    new_run = (df["geography"] != df["geography"].shift()) | ~has | ~has.shift(fill_value=False)
    run_id = new_run.cumsum()
    return [grp for _, grp in df[has].groupby(run_id[has], sort=True)]


def services_from(personnel: pd.DataFrame) -> int:
    """First year whose DMDC report gives active duty by service as today's reports do (a
    'total_active_duty' row, with Navy and Marine Corps whole rather than split ashore/afloat)."""
    rows = personnel[(personnel["series"] == "dmdc_reports") & (personnel["service"] == "total_active_duty")]
    return int(rows["year"].min())


def gap_runs(personnel: pd.DataFrame, since=None, until=None) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(first, last) report date of each run of consecutive DMDC reports with no country rows."""
    t = in_years(headline_totals(personnel), since, until)
    t = t[t["series"] == "dmdc_reports"].sort_values("date")
    missing = t["personnel"].isna()
    run_id = (missing != missing.shift()).cumsum()
    return [(g["date"].min(), g["date"].max()) for _, g in t[missing].groupby(run_id[missing], sort=True)]


def service_rows(personnel: pd.DataFrame, since=None, until=None, services=SERVICE_ORDER) -> pd.DataFrame:
    """The DMDC active-duty rows of some services, from `since` to `until` (years; None: open)."""
    df = in_years(personnel, since, until)
    return df[(df["series"] == "dmdc_reports") & (df["component"] == "active_duty")
              & df["service"].isin(list(services))]


def by_service(personnel: pd.DataFrame, since=None, until=None) -> pd.DataFrame:
    """Active-duty personnel by service for each DMDC report from `since` to `until` (rows: report date;
    `since` None: the first report in today's format, :func:`services_from`)."""
    since = services_from(personnel) if since is None else since
    df = service_rows(personnel, since, until)
    wide = df.pivot_table(index="date", columns="service", values="personnel", aggfunc="first")
    wide = wide.reindex(columns=[s for s in SERVICE_ORDER if s in wide.columns])
    # Keep the reports that have no country rows as empty rows, so the gap is visible.
    gaps = in_years(headline_totals(personnel), since, until)
    gaps = gaps[(gaps["series"] == "dmdc_reports") & gaps["personnel"].isna()]
    wide = wide.reindex(wide.index.union(gaps["date"]))
    return wide.astype("Float64")


def reports_in_year(personnel: pd.DataFrame, year: int, series: str = "dmdc_reports") -> pd.DataFrame:
    """Headline totals of every report of one series in one year, missing reports included."""
    t = headline_totals(personnel)
    return t[(t["series"] == series) & (t["year"] == year)].reset_index(drop=True)


def latest_report(personnel: pd.DataFrame, series: str = "dmdc_reports") -> pd.Series:
    """The most recent report that has a value."""
    t = headline_totals(personnel)
    t = t[(t["series"] == series) & t["personnel"].notna()]
    return t.iloc[-1]


def vine_distinct_range(facilities: pd.DataFrame) -> tuple[int, int]:
    """Distinct sites in Vine's list: (all but every flagged duplicate, all but the certain ones)."""
    vine = facilities[facilities["list"] == "vine"]
    certain = (vine["duplicate_certainty"] == "certain").sum()
    possible = (vine["duplicate_certainty"] == "possible").sum()
    n = len(vine)
    return int(n - certain - possible), int(n - certain)


def latest_counts(base_counts: pd.DataFrame, geography: str = "japan") -> pd.DataFrame:
    """The most recent count of each definition for one geography (facilities, bases or sites)."""
    df = base_counts[(base_counts["geography"] == geography)
                     & base_counts["measure"].isin(["facilities", "bases", "base_sites", "rows"])]
    df = df.sort_values(["definition", "as_of"]).groupby("definition", as_index=False).tail(1)
    return df.sort_values("value").reset_index(drop=True)


def okinawa_area_share(base_counts: pd.DataFrame) -> pd.DataFrame:
    """Okinawa's share of exclusive-use facility area (percent) over time, with a plotting date."""
    df = base_counts[base_counts["measure"] == "okinawa_area_share_percent"].copy()
    df["date"] = df["as_of"].map(period_date)
    return df.sort_values("date").reset_index(drop=True)


def reversion_date(base_counts: pd.DataFrame) -> tuple[pd.Timestamp, str]:
    """Date of Okinawa's reversion to Japan and its source, from the count of facilities provided then."""
    rows = base_counts[(base_counts["geography"] == "okinawa")
                       & base_counts["note"].fillna("").str.contains("reversion")]
    if rows.empty:
        raise LookupError("data/troops/base_counts.csv has no Okinawa count dated at the reversion")
    row = rows.sort_values("as_of").iloc[0]
    return period_date(row["as_of"]), row["source_id"]


def gap_span(personnel: pd.DataFrame, since: int) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last DMDC report since `since` with no country rows (the longest gap is the recent one)."""
    t = headline_totals(personnel)
    gaps = t[(t["series"] == "dmdc_reports") & t["personnel"].isna() & (t["year"] >= since)]
    if gaps.empty:
        return None
    return gaps["date"].min(), gaps["date"].max()
