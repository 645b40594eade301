"""GCTF membership and activity derived from the gctf tables (notebook 02 and the claims ledger).

Everything here takes the validated tables from :mod:`datasets` and returns small frames; nothing is
typed in. Two ideas carry the module:

* **Core membership** is the founding partners plus every full partner from the day its full
  partnership began; it changes only on those days, so it is a step series.
* **Cumulative statements** bound the true count. An exact value fixes it on that day; "over N" only
  says it is above N (a floor, never an upper bound); "about"/"nearly" N allow a rounding margin.
  Because a cumulative count cannot fall, a statement also bounds the count on every later date from
  below, and on every earlier date from above. That is how the date range consistent with a given
  value (the article's "108 countries") is computed.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import geo, params
from .tables import GCTF_CORE_ROLES


def rounding_margin(margin=None) -> float:
    """How far the true count may lie from a rounded statement ("about 3,500", "nearly 1,600"), as a
    fraction: the given value, else the default of notebook 02's parameters (read at call time)."""
    return float(params.default("rounding_margin", "02_gctf_growth") if margin is None else margin)

# Statements used to bracket a value: official statements and their news or reprint relays. The one
# secondary source (an op-ed) restates official numbers and is not an official statement.
BRACKET_KINDS = ("official_TW", "official_US", "official_JP", "reprint", "news")


# ---------------------------------------------------------------------------------------------
# Core partners
# ---------------------------------------------------------------------------------------------

def _core_rows(partners: pd.DataFrame) -> pd.DataFrame:
    return partners[partners["role"].isin(GCTF_CORE_ROLES)]


def core_members_at(partners: pd.DataFrame, when) -> list[str]:
    """ISO3 codes of the core partners on a date: a core role counts from the last day its start date
    can mean (so a year-precision start counts only from 31 December) until its end, if any."""
    when = pd.Timestamp(when)
    core = _core_rows(partners)
    on = core[(core["start_last"] <= when) & (core["end_first"].isna() | (core["end_first"] > when))]
    return sorted(set(on["iso3"]))


def core_steps(partners: pd.DataFrame) -> pd.DataFrame:
    """The step series of core membership: one row per change, with the date, the number of core
    partners from that date, who they are, who joined, and how the joining date is known."""
    core = _core_rows(partners).sort_values("start_last")
    rows = []
    for date, grp in core.groupby("start_last", sort=True):
        members = core_members_at(partners, date)
        rows.append({"date": date, "n_core": len(members), "members": ";".join(members),
                     "added": ";".join(grp["partner"]), "added_iso3": ";".join(grp["iso3"]),
                     "role": ";".join(sorted(set(grp["role"]))), "date_basis": ";".join(grp["date_basis"]),
                     "source_id": ";".join(dict.fromkeys(";".join(grp["source_id"]).split(";")))})
    return pd.DataFrame(rows)


def periods_with_n_core(partners: pd.DataFrame, n: int) -> list[tuple[pd.Timestamp, pd.Timestamp | None]]:
    """Date ranges (first day, last day; None = still so at the latest record) with exactly n core partners."""
    steps = core_steps(partners)
    out = []
    for i, r in enumerate(steps.itertuples()):
        if r.n_core == n:
            end = steps["date"].iloc[i + 1] - pd.Timedelta(days=1) if i + 1 < len(steps) else None
            out.append((r.date, end))
    return out


# ---------------------------------------------------------------------------------------------
# Cumulative statements
# ---------------------------------------------------------------------------------------------

def value_bounds(value: float, qualifier: str, margin=None) -> tuple[float, float]:
    """What a stated value says about the true count: (lowest, highest) possible.

    exact N -> (N, N); over N -> (N, infinity) - a floor says nothing about how far above it the count
    is; about N -> N ± margin; nearly N -> (N - margin, N). margin: a fraction (None: the default).
    """
    value, margin = float(value), rounding_margin(margin)
    if qualifier == "exact":
        return value, value
    if qualifier == "over":
        return value, math.inf
    if qualifier == "about":
        return value * (1 - margin), value * (1 + margin)
    if qualifier == "nearly":
        return value * (1 - margin), value
    raise ValueError(f"unknown qualifier {qualifier!r}")


def statements(cumulative: pd.DataFrame, measure: str, units=None, kinds=None,
               dated_only: bool = True, margin=None) -> pd.DataFrame:
    """The statements of one measure (optionally some units as stated and kinds of source), by date,
    with the bounds each puts on the count (`low`, `high`)."""
    df = cumulative[cumulative["measure"] == measure]
    if units is not None:
        df = df[df["unit_as_stated"].isin(list(units))]
    if kinds is not None:
        df = df[df["source_kind"].isin(list(kinds))]
    if dated_only:
        df = df[df["statement_date"].notna()]
    df = df.copy()
    bounds = [value_bounds(v, q, margin) for v, q in zip(df["value"], df["qualifier"])]
    df["low"] = [b[0] for b in bounds]
    df["high"] = [b[1] for b in bounds]
    return df.sort_values(["date_first", "statement_id"]).reset_index(drop=True)


def consistent_dates(cumulative: pd.DataFrame, value: float, measure: str = "countries",
                     units=("countries",), kinds=BRACKET_KINDS, margin=None) -> dict:
    """When could the cumulative count have equalled `value`?

    Rule: the count never falls. A statement whose highest possible value is below `value` (an exact
    100; never a floor) shows the count was still below it on that date, and so on every earlier date;
    a statement whose lowest possible value is above it (an exact 119, or "over 120") shows it was
    already past it. So `value` is possible only after the **last statement below** and before the
    **first statement above**. Floors below the value ("over 100") cannot bound it from above and are
    only checked for consistency. Where a statement's date is a month or a year, the range is widened
    to the whole period (the earliest day of the last statement below, the latest day of the first
    statement above).

    Returns a dict: last_below, first_above (statement rows or None), start and end (the first and
    last possible day, or None when open-ended), matches (statements that give the value itself),
    inside (statements dated in the range, all consistent with the value) and contradictions
    (statements out of order, which would make the range meaningless).
    """
    df = statements(cumulative, measure, units, kinds, margin=margin)
    below = df[df["high"] < value]
    above = df[df["low"] > value]
    last_below = below.sort_values("date_first").iloc[-1] if len(below) else None
    first_above = above.sort_values("date_last").iloc[0] if len(above) else None
    start = last_below["date_first"] + pd.Timedelta(days=1) if last_below is not None else None
    end = first_above["date_last"] - pd.Timedelta(days=1) if first_above is not None else None
    contradictions = []
    if last_below is not None and first_above is not None and last_below["date_first"] >= first_above["date_last"]:
        contradictions.append(f"{last_below['statement_id']} is below {value:g} but dated after "
                              f"{first_above['statement_id']}, which is above it")
        start = end = None
    lo = start if start is not None else pd.Timestamp.min
    hi = end if end is not None else pd.Timestamp.max
    inside = df[(df["date_last"] >= lo) & (df["date_first"] <= hi)]
    matches = df[(df["low"] <= value) & (df["high"] >= value) & (df["qualifier"] != "over")]
    return {"value": value, "measure": measure, "units": tuple(units) if units else None,
            "margin": rounding_margin(margin),
            "last_below": last_below, "first_above": first_above, "start": start, "end": end,
            "matches": matches, "inside": inside, "contradictions": contradictions, "used": df}


# ---------------------------------------------------------------------------------------------
# Workshops and themes
# ---------------------------------------------------------------------------------------------

def theme_counts(workshops: pd.DataFrame) -> pd.Series:
    """Listed workshops per official theme category (including 'other' and 'not_recorded')."""
    return workshops["theme_official"].value_counts().sort_values(ascending=False)


def theme_rank(workshops: pd.DataFrame, themes: pd.DataFrame, categories) -> dict:
    """Where some official categories stand in the workshop list: their workshops, share and rank.

    Ranks are among the official categories of themes.csv by listed workshops (a category with none
    counts as zero); ties share a rank (1 + the number of categories with more workshops). Returns
    n (workshops in the categories), total (all listed workshops), share, rank, of (number of official
    categories) and counts (workshops per official category, largest first).
    """
    official = sorted(set(themes["theme_category"]))
    counts = theme_counts(workshops).reindex(official, fill_value=0).sort_values(ascending=False, kind="stable")
    n = int(counts[counts.index.isin(list(categories))].sum())
    total = len(workshops)
    return {"n": n, "total": total, "share": n / total if total else 0.0, "rank": int((counts > n).sum()) + 1,
            "of": len(official), "counts": counts}


def article_theme_map(themes: pd.DataFrame, article_themes) -> pd.DataFrame:
    """Each of the article's themes: the official category it maps to, the lists that name it, the
    official names, and whether any list uses the article's own wording."""
    rows = []
    for term in article_themes:
        hit = themes[themes["article_theme"] == term]
        rows.append({
            "article_theme": term,
            "theme_category": ";".join(sorted(set(hit["theme_category"]))),
            "lists": ";".join(hit["official_list"]),
            "official_names": "; ".join(dict.fromkeys(hit["official_name"])),
            "n_lists": len(hit),
            "same_name_in": int((hit["name_match"] == "same").sum()),
            "source_id": ";".join(dict.fromkeys(hit["source_id"])),
        })
    return pd.DataFrame(rows)


def stated_year_totals(annual: pd.DataFrame) -> pd.DataFrame:
    """Events per year as the sources state (or the dossier derives) them, one total per year.

    Takes scope 'all' where given; otherwise adds scopes that do not overlap (virtual + franchise,
    non-franchise + franchise); otherwise keeps the one scope there is and says so. Partial-year counts
    (period_end set) are kept with their end date.
    """
    ev = annual[annual["measure"] == "events"]
    rows = []
    for (year, period_end), grp in ev.groupby(["year", ev["period_end"].fillna("")], sort=True):
        scopes = dict(zip(grp["scope"], grp["value"]))
        qual = "derived" if (grp["qualifier"] == "derived").any() else "exact"
        if "all" in scopes:
            total, basis = scopes["all"], "all events"
            qual = grp.loc[grp["scope"] == "all", "qualifier"].iloc[0]
        elif {"non_franchise", "franchise"} <= set(scopes):
            total, basis = scopes["non_franchise"] + scopes["franchise"], "non-franchise + franchise"
        elif {"virtual", "franchise"} <= set(scopes):
            total, basis = scopes["virtual"] + scopes["franchise"], "virtual + franchise"
        else:
            scope = min(scopes)
            total, basis = scopes[scope], f"{scope} only"
        ids = ";".join(dict.fromkeys(";".join(grp["source_id"]).split(";")))
        rows.append({"year": int(year), "period_end": period_end or None, "events": int(total), "basis": basis,
                     "qualifier": qual, "source_id": ids})
    return pd.DataFrame(rows)


def year_label(year: int, period_end: str | None) -> str:
    """A stated total's year as a chart names it: '2019', or '2016 up to 15 Nov' for a count that stops
    before the year's end (the glossary has the second form for every month)."""
    if not isinstance(period_end, str) or not period_end:
        return f"{year}"
    end = pd.Timestamp(period_end)
    return f"{year} up to {end.day} {end:%b}"


def latest_record(*frames_and_columns) -> pd.Timestamp:
    """The latest date in the given (frame, column) pairs: 'today' for charts, taken from the data so
    that a rebuild on another day draws the same figure."""
    dates = []
    for frame, column in frames_and_columns:
        dates.extend(pd.to_datetime(frame[column]).dropna())
    return max(dates)


# ---------------------------------------------------------------------------------------------
# Where events were held and who co-hosted them (the host map)
# ---------------------------------------------------------------------------------------------

# Map categories in order of precedence: a country shown in one colour takes the first that applies.
HOST_CATEGORIES = {
    "core": ("founding or full partner", ("founding_partner", "full_partner")),
    "guest": ("guest co-host", ("guest_co_host",)),
    "host": ("overseas or franchise host", ("overseas_host", "franchise_host")),
}


def host_countries(partners: pd.DataFrame, workshops: pd.DataFrame) -> pd.DataFrame:
    """Every country, territory or body that hosted or co-hosted a GCTF event, one row each.

    Columns: iso3 (missing for a body that is not a country, e.g. the EU), name, category (the first
    of HOST_CATEGORIES its roles reach), category_label, roles (every hosting role, in the order first
    taken), first_date (earliest start of a hosting role, as given), venue (an event was held on its soil:
    an overseas/franchise role or a dated workshop placed there), workshops_listed (workshops placed there
    in workshops.csv) and source_id. Joint Committee observers are not hosts and count only with another role.
    A workshop venue with no partner row would be listed as a host of category 'host'.
    """
    role_to_cat = {r: c for c, (_, roles) in HOST_CATEGORIES.items() for r in roles}
    hosting = partners[partners["role"].isin(role_to_cat)].sort_values(["start_first", "role"])
    venues = workshops.dropna(subset=["country_iso3"]).groupby("country_iso3")
    n_listed = venues.size()
    venue_ids = venues["source_id"].agg(lambda s: ";".join(s))
    rows = []
    for key, grp in hosting.groupby(hosting["iso3"].fillna("name:" + hosting["partner"]), sort=False):
        iso3 = None if key.startswith("name:") else key
        cats = {role_to_cat[r] for r in grp["role"]}
        cat = next(c for c in HOST_CATEGORIES if c in cats)
        on_soil = bool(grp["role"].isin(HOST_CATEGORIES["host"][1]).any()) or (iso3 in n_listed.index)
        ids = ";".join(grp["source_id"])
        rows.append({"iso3": iso3, "name": grp["partner"].iloc[0], "category": cat,
                     "category_label": HOST_CATEGORIES[cat][0],
                     "roles": ";".join(dict.fromkeys(grp["role"])), "first_date": grp["start_date"].iloc[0],
                     "venue": on_soil, "workshops_listed": int(n_listed.get(iso3, 0)) if iso3 else 0,
                     "source_id": ";".join(dict.fromkeys(ids.split(";")))})
    known = {r["iso3"] for r in rows}
    for iso3 in n_listed.index.difference(sorted(k for k in known if k)):
        rows.append({"iso3": iso3, "name": iso3, "category": "host", "category_label": HOST_CATEGORIES["host"][0],
                     "roles": "workshop_venue", "first_date": None, "venue": True,
                     "workshops_listed": int(n_listed[iso3]),
                     "source_id": ";".join(dict.fromkeys(venue_ids[iso3].split(";")))})
    out = pd.DataFrame(rows)
    out["iso3"] = out["iso3"].astype("string")
    out["_order"] = out["category"].map({c: i for i, c in enumerate(HOST_CATEGORIES)})
    return out.sort_values(["_order", "name"]).drop(columns="_order").reset_index(drop=True)


def marker_points(world: dict, iso3s, max_km2: float) -> pd.DataFrame:
    """Countries too small to see on a world map, with a point to mark them.

    world: {iso_a3: geometry} (basemap.load_land("world")). Returns iso3, area_km2 (geodesic, of the map's
    polygons) and lon, lat of a point inside the country's largest part, for every iso3 whose area is
    below max_km2, sorted by iso3. An iso3 missing from the map raises KeyError.
    """
    rows = []
    for iso3 in sorted(set(iso3s)):
        g = world[iso3]
        area = geo.area_km2(g)
        if area < max_km2:
            parts = list(getattr(g, "geoms", [g]))
            p = max(parts, key=lambda q: q.area).representative_point()
            rows.append({"iso3": iso3, "area_km2": round(area, 1), "lon": p.x, "lat": p.y})
    return pd.DataFrame(rows, columns=["iso3", "area_km2", "lon", "lat"])


def hosts_abroad_by(partners: pd.DataFrame, when) -> dict:
    """Countries outside Taiwan with an overseas or franchise hosting role begun by a date.

    'certain': the role's start (its last possible day, for a month or year) is on or before `when`;
    'possible': adds roles whose start period only begins by then (e.g. a year-precision 2024 role
    against a March 2024 statement). Taiwan is excluded (events in Taiwan are not overseas events).
    Returns sorted ISO3 lists under both keys, to set beside the official counts of host countries.
    """
    when = pd.Timestamp(when)
    abroad = partners[partners["role"].isin(HOST_CATEGORIES["host"][1]) & partners["iso3"].notna()
                      & (partners["iso3"] != "TWN")]
    certain = sorted(set(abroad.loc[abroad["start_last"] <= when, "iso3"]))
    possible = sorted(set(abroad.loc[abroad["start_first"] <= when, "iso3"]))
    return {"certain": certain, "possible": possible}
