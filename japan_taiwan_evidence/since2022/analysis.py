"""Computations of notebook 06. The zone geometry reuses notebook 03's functions (missiles.zone_eez_shares
and missiles.place_zone_distances) on any exercise's zones, so the 2022 and 2025 zones are measured by
the same code against the same constructed EEZ. Nothing here types in a measured number.
"""

from __future__ import annotations

import pandas as pd

from .. import basemap, eez, geo, missiles, sources, validate, verdicts
from ..validate import split_ids
from . import tables

# Defaults of the notebook's knobs (its parameters cell shows each one).
PLACES = ("yonaguni", "hateruma")  # islands the zones are measured from (data/places.csv)
EXERCISE_2022 = "closure-zones-2022"  # the row the 2022 closure zones get in the timeline
REMARK_EVENT = "takaichi-remark"  # data/since2022/events.csv: the remark of November 2025
ISLAND_ORDER = ["yonaguni", "ishigaki", "miyako", "okinawa_island"]  # west to east
ISLAND_LABELS = {"yonaguni": "Yonaguni", "ishigaki": "Ishigaki", "miyako": "Miyako",
                 "okinawa_island": "Okinawa Island"}

SCRAMBLE_DEFINITION = (
    "ASDF fighter scrambles against aircraft feared to violate Japan's airspace, by fiscal year (April to "
    "March). The unit is the scramble, not the aircraft; the country is the JSO's estimate. A count measures "
    "Japan's response as much as foreign activity: the ASDF said in 2025 it was making scrambling more "
    "efficient.")
SENKAKU_DEFINITIONS = {
    ("contiguous_zone", "days"): "days in the calendar year with at least one Chinese government ship in "
                                 "the contiguous zone (12 to 24 nmi from the islands)",
    ("territorial_sea", "days"): "days with at least one such ship inside the territorial sea (within 12 nmi)",
    ("contiguous_zone", "ship_days"): "ship-days in the contiguous zone: a ship present on 3 days counts 3",
    ("territorial_sea", "ship_days"): "ship-days inside the territorial sea",
    ("territorial_sea", "incidents"): "incursion incidents into the territorial sea (one entry, however many "
                                      "ships or days), as the press summarises them",
}
SENKAKU_UNITS = {"days": "days", "ship_days": "ship-days", "incidents": "incidents"}
ZONE_LABELS = {"contiguous_zone": "contiguous zone", "territorial_sea": "territorial sea"}


# Source IDs of cells or columns, first-seen order, no repeats: the one helper the claim checks use too.
ids_of = verdicts.ids


# ----------------------------------------------------------------------------------- coverage
def coverage(loaders=tables.SINCE2022_LOADERS, data_dir=None) -> dict:
    """The latest date the records reach: the latest publication date among the sources cited by the
    rows of the given tables (a month- or year-precision date counts from its first day, so the date is
    never later than the records). Returns date, source_id, sources (cited) and undated (how many
    cited sources have no date)."""
    ids = sorted({sid for load in loaders for sid in ids_of(load(data_dir)["source_id"])})
    reg = sources.load_sources(data_dir).set_index("source_id").loc[ids]
    dated = reg["published"].dropna()
    first_day = dated.map(lambda v: validate.date_bounds(v)[0])
    sid = first_day.idxmax()
    return {"date": first_day.max(), "source_id": sid, "sources": len(ids), "undated": len(ids) - len(dated)}


# ---------------------------------------------------------------------------------- exercises
def zones_by_exercise(data_dir=None) -> dict[str, pd.DataFrame]:
    """{exercise id: its vertex table}: the 2022 closure zones (notebook 03's table) and each exercise
    whose zones were published. Exercises without published coordinates have no entry."""
    out = {EXERCISE_2022: missiles.load_zones(data_dir)}
    for ex, grp in tables.load_exercise_zones(data_dir).groupby("exercise_id", sort=False):
        out[ex] = grp.reset_index(drop=True)
    return out


def exercise_timeline(data_dir=None) -> pd.DataFrame:
    """One row per exercise: the 2022 closure window (from the zone notice and Japan's missile list,
    marked before_article) and each named exercise since, with dates, live fire, whether zones were
    published and how many zones the data hold."""
    z22 = missiles.load_zones(data_dir)
    launches = missiles.load_launches(data_dir)
    fired = int(launches["missile_count"].sum()) > 0
    first = {"exercise_id": EXERCISE_2022, "name": "PLA closure zones",
             "start_date": z22["window_start"].min()[:10], "end_date": z22["window_end"].max()[:10],
             "zones_published": True, "live_fire": "yes" if fired else "unknown", "flags": "",
             "before_article": True, "zones": z22["zone_id"].nunique(),
             "source_id": ";".join(ids_of(z22["source_id"], launches["source_id"]))}
    ex = tables.load_exercises(data_dir)
    zones = tables.load_exercise_zones(data_dir).groupby("exercise_id")["zone_id"].nunique()
    rest = ex.assign(before_article=False, flags=ex["flags"].fillna(""),
                     zones=ex["exercise_id"].map(zones).fillna(0).astype(int))
    cols = ["exercise_id", "name", "start_date", "end_date", "zones_published", "live_fire", "flags",
            "before_article", "zones", "source_id"]
    out = pd.concat([pd.DataFrame([first]), rest[cols]], ignore_index=True)
    out["start"] = pd.to_datetime(out["start_date"])
    out["end"] = pd.to_datetime(out["end_date"])
    return out.sort_values("start").reset_index(drop=True)


def zone_table(zones: dict[str, pd.DataFrame], eez: eez.ClaimedEEZ, places=PLACES,
               inside_share: float | None = None, data_dir=None) -> pd.DataFrame:
    """Per zone of every exercise: area, share inside the constructed EEZ (missiles.zone_eez_shares),
    the gap to the EEZ (0 where it overlaps), and the nearest distance from each place's published point
    and from its island's coast (missiles.place_zone_distances). inside_share: the 'inside' threshold
    (None: the knob's default in params.py, read now)."""
    frames = []
    for ex, vertices in zones.items():
        shares = missiles.zone_eez_shares(vertices, eez, inside_share)
        pairs = [(p, z) for z in shares["zone_id"] for p in places]
        dist = missiles.place_zone_distances(pairs, data_dir, zones=vertices)
        polys = missiles.zone_polygons(vertices)
        shares["eez_gap_km"] = [geo.nearest(polys[z], eez.zone).distance_km for z in shares["zone_id"]]
        for p in places:
            d = dist[dist["place_id"] == p].set_index("zone_id")
            shares[f"{p}_km"] = shares["zone_id"].map(d["point_km"])
            shares[f"{p}_compass"] = shares["zone_id"].map(d["point_compass"])
            shares[f"{p}_coast_km"] = shares["zone_id"].map(d["coast_km"])
        shares.insert(0, "exercise_id", ex)
        shares["source_id"] = shares["zone_id"].map(vertices.groupby("zone_id")["source_id"].first())
        frames.append(shares)
    return pd.concat(frames, ignore_index=True)


def outside_region(zones: dict[str, pd.DataFrame], region: tuple, margin_deg: float = 5.0) -> pd.DataFrame:
    """Parts of zones that lie outside the box in which the EEZ is constructed (none is counted in it),
    with their nearest distance to Japanese land: beyond 200 nmi means no Japanese claim can reach them.
    Japanese land is taken within margin_deg of the part (a ~500 km window); inf if there is none."""
    from shapely.geometry import box

    jpn = basemap.load_land("detail")[eez.JAPAN]
    rows = []
    for ex, vertices in zones.items():
        for zid, poly in missiles.zone_polygons(vertices).items():
            part = poly.difference(box(*region))
            if part.is_empty:
                continue
            w, s, e, n = part.bounds
            near_land = jpn.intersection(box(w - margin_deg, s - margin_deg, e + margin_deg, n + margin_deg))
            km = float("inf") if near_land.is_empty else geo.nearest(part, near_land).distance_km
            rows.append({"exercise_id": ex, "zone_id": zid, "outside_km2": geo.area_km2(part),
                         "to_japanese_land_km": km, "beyond_eez_limit": km > eez.EEZ_LIMIT_KM})
    return pd.DataFrame(rows, columns=["exercise_id", "zone_id", "outside_km2", "to_japanese_land_km",
                                       "beyond_eez_limit"])


def nearest_zones(table: pd.DataFrame, places=PLACES) -> pd.DataFrame:
    """For each exercise and place: the nearest zone and its distance (from the place's published point)."""
    rows = []
    for ex, grp in table.groupby("exercise_id", sort=False):
        for p in places:
            r = grp.loc[grp[f"{p}_km"].idxmin()]
            rows.append({"exercise_id": ex, "place_id": p, "zone_id": r["zone_id"], "km": r[f"{p}_km"],
                         "compass": r[f"{p}_compass"]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------- scrambles
def lowest_since(series: pd.Series, year) -> int | None:
    """The latest year before `year` whose value was no higher than `year`'s: 'the lowest since then'
    (None if every earlier value is higher). series: values indexed by year, gaps dropped."""
    s = series.dropna()
    earlier = s[(s.index < year) & (s <= s.loc[year])]
    return int(earlier.index.max()) if len(earlier) else None


def scramble_summary(scr: pd.DataFrame) -> dict:
    """Peaks, the latest fiscal year and how it compares, from the scrambles table."""
    s = scr.set_index("fiscal_year")
    latest = int(s.index.max())
    out = {"first_fy": int(s.index.min()), "latest_fy": latest, "latest_source_ids": split_ids(s.loc[latest,
                                                                                                    "source_id"])}
    for col in ("total", "china", "russia"):
        col_s = s[col].dropna().astype(int)
        out[f"peak_{col}_fy"] = int(col_s.idxmax())
        out[f"peak_{col}"] = int(col_s.max())
        out[f"latest_{col}"] = int(col_s.loc[latest]) if latest in col_s.index else None
        out[f"{col}_lowest_since_fy"] = lowest_since(col_s, latest) if latest in col_s.index else None
    split = s[s["china"].notna() & s["russia"].notna()]
    out["china_first_above_russia_fy"] = int(split.index[split["china"] > split["russia"]].min())
    out["china_split_from_fy"] = int(s["china"].dropna().index.min())
    return out


# ----------------------------------------------------------------------------------- Senkaku
def senkaku_series(ccg: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """{(zone, measure): rows indexed by every calendar year of the table}: value NaN where no figure was
    found (a gap), with qualifier and as_of where a partial-year count is a floor."""
    years = range(int(ccg["year"].min()), int(ccg["year"].max()) + 1)
    out = {}
    for key, grp in ccg.groupby(["zone", "measure"], sort=False):
        out[key] = grp.set_index("year").reindex(years)
    return out


def senkaku_gaps(ccg: pd.DataFrame) -> pd.DataFrame:
    """Years with no figure, per series, after the series' first figure."""
    rows = []
    for (zone, measure), s in senkaku_series(ccg).items():
        start = s["value"].first_valid_index()
        missing = [int(y) for y in s.index if y > start and pd.isna(s.loc[y, "value"])]
        if missing:
            rows.append({"zone": zone, "measure": measure, "years_missing": missing})
    return pd.DataFrame(rows, columns=["zone", "measure", "years_missing"])


def senkaku_floors(ccg: pd.DataFrame) -> pd.DataFrame:
    """Partial-year counts (floors): the value is at least this, as of the date given."""
    return ccg[ccg["qualifier"] == "at_least"].reset_index(drop=True)


# ----------------------------------------------------------------------- islands, plan, visitors
def posture_timeline(posture: pd.DataFrame) -> pd.DataFrame:
    """Units by island (west to east) and date, with a lane number for drawing."""
    out = posture.assign(when=pd.to_datetime(posture["date"]),
                         lane=posture["island"].map({k: i for i, k in enumerate(ISLAND_ORDER)}))
    return out.sort_values(["lane", "when", "posture_id"]).reset_index(drop=True)


def steps_in_place(posture: pd.DataFrame, after: pd.Timestamp) -> pd.DataFrame:
    """Units put in place after a date, one row per unit (reports that disagree on its size count once)."""
    sel = posture[(pd.to_datetime(posture["date"]) > after) & (posture["status"] == "in_place")]
    return sel.drop_duplicates(["island", "date", "unit"]).reset_index(drop=True)


def evacuation_summary(evac: pd.DataFrame) -> dict:
    """The plan's headline figures by measure, the hosts (largest first), and the hosts' derived sum
    set against the plan's stated residents."""
    plain = evac[evac["measure"] != "residents_hosted"].set_index("measure")
    hosts = (evac[evac["measure"] == "residents_hosted"].sort_values("value", ascending=False)
             .reset_index(drop=True))
    summary = {m: int(plain.loc[m, "value"]) for m in plain.index}
    summary["qualifiers"] = {m: plain.loc[m, "qualifier"] for m in plain.index}
    summary["hosts"] = hosts
    summary["hosted_sum"] = int(hosts["value"].sum())
    summary["hosted_minus_residents"] = summary["hosted_sum"] - summary.get("residents", 0)
    summary["source_ids"] = ids_of(evac["source_id"])
    summary["rows"] = evac[["measure", "host_prefecture", "value", "unit", "qualifier", "flags",
                            "source_id"]].reset_index(drop=True)  # what the figure draws
    return summary


def visitor_months(visitors: pd.DataFrame) -> pd.DataFrame:
    """Every month from the first to the last sourced one; visitors NaN where the records have none."""
    months = pd.period_range(visitors["month"].min(), visitors["month"].max(), freq="M").astype(str)
    out = visitors.set_index("month").reindex(months)
    out.index.name = "month"
    out["sourced"] = out["visitors"].notna()
    return out.reset_index()


def after_remark(events: pd.DataFrame, exercises: pd.DataFrame) -> pd.DataFrame:
    """China's measures and the PLA's activity near Japan from PM Takaichi's remark on, with any named
    exercise that began in the same span, dated for a timeline. `label` is what the timeline prints: an
    event's short label, or for an exercise its description."""
    remark = events.set_index("event_id").loc[REMARK_EVENT, "when"]
    sel = events[(events["topic"] == "takaichi_china")
                 | ((events["topic"] == "pla_near_japan") & (events["when"] >= remark))]
    sel = sel[["event_id", "when", "topic", "kind", "what", "label", "source_id"]]
    ex = exercises[pd.to_datetime(exercises["start_date"]) >= remark]
    what = "PLA exercise " + ex["name"] + " begins"
    ex_rows = pd.DataFrame({"event_id": ex["exercise_id"], "when": pd.to_datetime(ex["start_date"]),
                            "topic": "pla_exercise", "kind": "exercise", "what": what, "label": what,
                            "source_id": ex["source_id"]})
    return pd.concat([sel, ex_rows], ignore_index=True).sort_values(["when", "event_id"]).reset_index(drop=True)
