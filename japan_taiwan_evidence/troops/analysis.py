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


def by_service(personnel: pd.DataFrame, since: int = 2008) -> pd.DataFrame:
    """Active-duty personnel by service for each DMDC report from `since` on (rows: report date)."""
    df = personnel[(personnel["series"] == "dmdc_reports") & (personnel["year"] >= since)
                   & (personnel["component"] == "active_duty") & personnel["service"].isin(SERVICE_ORDER)]
    wide = df.pivot_table(index="date", columns="service", values="personnel", aggfunc="first")
    wide = wide.reindex(columns=[s for s in SERVICE_ORDER if s in wide.columns])
    # Keep the reports that have no country rows as empty rows, so the gap is visible.
    gaps = headline_totals(personnel)
    gaps = gaps[(gaps["series"] == "dmdc_reports") & gaps["personnel"].isna() & (gaps["year"] >= since)]
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
