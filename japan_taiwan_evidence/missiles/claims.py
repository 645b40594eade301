"""Claim checks on the geometry of 4 August 2022: C08, C10, C11 (C09 is in reach.claims)."""

from __future__ import annotations

from ..verdicts import (  # noqa: F401
    ARTICLE_YEAR, CAVEATS, DIFFERS, NOT_TESTABLE, NOT_TESTED, SUPPORTED, Verdict, check, claim, claimed_number, fmt,
    within,
)
from ..verdicts import ids as _ids  # noqa: F401
# Stated dependency: C10 reads the official statements kept with the diplomacy records.
from ..diplomacy import analysis as diplomacy
from ..diplomacy.claims import records_for as _records
from .. import params as _params
from . import analysis, tables
from ..validate import split_ids  # noqa: F401


# C08-C11 measure the committed geometry: the offline basemap, the closure zones, the places and
# Japan's EEZ as constructed by eez.japan_claimed_eez (missiles.py). C12 (the PLA's statement that
# every missile hit its target) is checked from the diplomacy records in the section above.





def _short(name: str) -> str:
    """A place's name without its parenthesised gloss: 'Tuishi rock (Japan's ...)' -> 'Tuishi rock'."""
    return name.split(" (")[0]


@check("C08")
def check_c08(data_dir=None, coast_resolution_km: float | None = None) -> Verdict:
    """Yonaguni is Japan's westernmost island: the westernmost Japanese land in the basemap.

    coast_resolution_km: a place this near the drawn coast counts as part of the island (the knob of that
    name; None: its default, the detailed basemap's vertex spacing).
    """
    res = float(_params.default("coast_resolution_km") if coast_resolution_km is None else coast_resolution_km)
    (iso,) = split_ids(claim("C08", data_dir)["claimed_countries"])
    west = analysis.westernmost_land(data_dir, iso)
    detail = west[west["basemap"] == "detail"].iloc[0]
    beyond = analysis.places_west_of(min(west["lon"]), data_dir, iso)
    island = detail["island"].split(" (")[0]
    rule = (f"the westernmost point of all {iso} land is found in each basemap file (detailed and overview); "
            f"supported if it lies on the {island} polygon in both and every {iso} place in data/places.csv "
            f"farther west lies within {res:g} km (the basemap's coast resolution) of that "
            f"polygon; supported with caveats if such a place lies farther off; differs if the westernmost "
            f"land is another island")
    measured = "; ".join(f"{r.basemap} basemap: {r.lon:.5f}°E {r.lat:.5f}°N, "
                         + (f"on {island}" if r.on_island else f"{r.off_island_km:.1f} km off {island}")
                         for r in west.itertuples())
    if len(beyond):
        measured += "; farther west in places.csv: " + "; ".join(
            f"{_short(r.name)} ({r.lon:.5f}°E), {r.west_of_basemap_km * 1000:.0f} m west of the basemap's point, "
            f"{r.off_island_km * 1000:.0f} m off the drawn coast" for r in beyond.itertuples())
    ids = _ids(analysis.BASEMAP_SOURCES, tables.load_places(data_dir).loc["yonaguni", "source_id"],
                   beyond["source_id"])
    if not west["on_island"].all():
        bad = west[~west["on_island"]]
        return Verdict("C08", DIFFERS, measured, rule,
                       f"the westernmost {iso} land in the {', '.join(bad['basemap'])} basemap is not {island}", ids)
    far = beyond[beyond["off_island_km"] > res]
    if len(far):
        return Verdict("C08", CAVEATS, measured, rule,
                       f"{', '.join(far['name'])} lie(s) west of {island} and more than "
                       f"{res:g} km off it: land the basemap may not resolve", ids)
    reasoning = f"the westernmost {iso} land in both basemaps is on {island}"
    if len(beyond):
        reasoning += (f"; the places farther west lie within the basemap's {res:g} km coast "
                      "resolution of it (" + "; ".join(f"{_short(r.name)}, {r.off_island_km * 1000:.0f} m off the "
                                                      "drawn coast" for r in beyond.itertuples())
                      + "), so no other island lies farther west")
        rocks = beyond[beyond["kind"] == "rock"]
        if len(rocks):
            reasoning += (f"; the country's westernmost point itself is a rock off {island} "
                          f"({', '.join(map(_short, rocks['name']))}), which the basemap does not resolve")
    return Verdict("C08", SUPPORTED, measured, rule, reasoning, ids)


@check("C10")
def check_c10(data_dir=None) -> Verdict:
    """On 4 August 2022 the PLA fired missiles near Taiwan and called them 'precision missile strikes'."""
    c = claim("C10", data_dir)
    claimed_date = str(c["claimed_value"])
    countries = split_ids(c["claimed_countries"])
    launches = tables.load_launches(data_dir)
    zones = tables.load_zones(data_dir)
    local_dates = launches["launch_time"].str[:10]  # the date where each ministry reported it (JST / UTC+8)
    on_date = local_dates == claimed_date
    window = zones.groupby("zone_id")["window_start"].first().str[:10]
    # The label is matched on the records' `terms` tags (diplomacy/terms.py), not on their wording.
    results = [diplomacy.match_term(_records("C10", data_dir), term, countries)
               for term in split_ids(c["claimed_terms"])]
    rule = ("the launches are dated from data/missiles_2022/launches.csv (each ministry's local date) and the label "
            f"is looked for in the `terms` tags of official {'/'.join(countries)} records of the claim in "
            "data/diplomacy/events.csv: supported if every recorded launch falls on the claimed date and a record "
            "uses the claimed label; supported with caveats if the launches match but the records use only related "
            "wording or none; differs if a launch falls on another date or none is recorded")
    by_reporter = launches.assign(date=local_dates).groupby("reported_by").agg(
        missiles=("missile_count", "sum"), dates=("date", lambda s: ", ".join(sorted(set(s)))))
    measured = ("launches: " + "; ".join(f"{k}: {int(r.missiles)} missiles on {r.dates}" for k, r in by_reporter.iterrows())
                + f"; closure zones open from {', '.join(sorted(set(window)))}")
    for r in results:
        measured += (f"; '{r.label}': used in {diplomacy.listing(r.agree, False)}" if len(r.agree) else
                     f"; '{r.label}': not used; related wording in {diplomacy.listing(r.related, False)}"
                     if len(r.related) else f"; '{r.label}': no record")
    ids = _ids(launches["source_id"], zones.loc[zones["zone_id"].isin(window.index), "source_id"],
               *[r.agree["source_id"] for r in results], *[r.related["source_id"] for r in results])
    if launches.empty or not on_date.all():
        other = sorted(set(local_dates[~on_date]))
        return Verdict("C10", DIFFERS, measured, rule,
                       f"launches recorded on {', '.join(other) or 'no date'}, not only {claimed_date}", ids)
    if all(r.status == "matched" for r in results):
        return Verdict("C10", SUPPORTED, measured, rule, "the date and the label are both on record", ids)
    parts = []
    for r in results:
        if r.status != "matched":
            near = [diplomacy.TERMS[t].label for t in diplomacy.TERMS[r.term].related
                    if len(diplomacy.tagged(r.related, t))]
            parts.append(f"no official record calls the firings '{r.label}'"
                         + (f"; {diplomacy.listing(r.related, False)} speaks of {' and '.join(near)}" if near else ""))
    return Verdict("C10", CAVEATS, measured, rule,
                   f"all {int(launches['missile_count'][launches['reported_by'] == analysis.MOD].sum())} MOD "
                   f"missiles and Taiwan's count fall on {claimed_date}; " + "; ".join(parts), ids)


@check("C11")
def check_c11(data_dir=None, inside_share: float | None = None) -> Verdict:
    """Five missiles fell inside Japan's EEZ: MOD's own count, and the zones against the constructed EEZ.

    inside_share: a zone counts as inside when more than this share of its area is (the knob of that name;
    None: its default, read now).
    """
    inside_share = analysis.inside_share_or_default(inside_share)
    claimed = int(claimed_number("C11", data_dir))
    launches = tables.load_launches(data_dir)
    zones = tables.load_zones(data_dir)
    shares = analysis.zone_eez_shares(zones, analysis.claimed_eez(), inside_share)
    table = analysis.missile_table(launches, shares)
    n = analysis.eez_counts(table)
    used = shares[shares["zone_id"].isin(set(table["zone_id"].dropna()))]
    threshold = analysis.share_text(inside_share)
    rule = (f"two counts of Japan MOD's {n['total']} missiles: MOD's own statement per missile "
            f"(in_japan_eez_per_mod), and the missiles whose attributed zone has more than {threshold} of its "
            f"area inside Japan's EEZ as constructed here (200 nmi, median line, from the basemap coast). "
            f"Supported if MOD's count equals the claimed {claimed} and the constructed EEZ agrees with MOD "
            f"missile by missile; supported with caveats if MOD's count equals the claim but the geometry "
            f"disagrees on some missiles (named) or cannot place them; differs if MOD's count is not {claimed}. "
            f"Either way the EEZ is Japan's claim, disputed by the PRC and Taiwan, and no impact point was "
            f"published, so the geometry tests zones, not impacts")
    measured = (f"MOD: {n['per_mod']} of {n['total']} inside Japan's EEZ; by zone: {n['by_zone']} of {n['total']} "
                f"fell in zones more than {threshold} inside the constructed EEZ; zone shares inside: "
                + ", ".join(f"{r.zone_id} {r.share_in_eez:.0%}" for r in used.itertuples()))
    ids = _ids(table["source_id"], zones.loc[zones["zone_id"].isin(used["zone_id"]), "source_id"],
               analysis.BASEMAP_SOURCES, analysis.EEZ_CAVEAT_SOURCES)
    caveat = ("the EEZ is Japan's claim (median line, no agreed boundary) and the PRC rejects it; no impact "
              "coordinates were published, so only the zones can be tested")
    by_id = table.set_index("launch_id")

    def which(launch_ids) -> str:
        return ", ".join(f"{i} (zone {by_id.loc[i, 'zone_id']}, {by_id.loc[i, 'share_in_eez']:.0%} inside, "
                         f"MOD: {'inside' if by_id.loc[i, 'in_japan_eez_per_mod'] else 'outside'})"
                         if isinstance(by_id.loc[i, "zone_id"], str) else f"{i} (no zone)" for i in launch_ids)
    geometry = (f"the constructed EEZ gives {n['by_zone']} and disagrees with MOD on {which(n['disagree'])}"
                if n["disagree"] else f"the constructed EEZ gives {n['by_zone']} and agrees missile by missile")
    unplaced = ([f"no zone for {', '.join(n['no_zone'])}"] if n["no_zone"] else []) + (
        [f"no MOD statement for {', '.join(n['no_mod_flag'])}"] if n["no_mod_flag"] else [])
    presumed = table.loc[table["zone_basis"] == "presumed", "launch_id"].tolist()
    basis = ([(f"the zones of {', '.join(presumed)} are presumed, not matched from MOD's wording, so the "
               "agreement on them rests on that presumption")] if presumed else [])
    if n["per_mod"] != claimed:
        return Verdict("C11", DIFFERS, measured, rule,
                       "; ".join([f"MOD's data count {n['per_mod']} missiles inside Japan's EEZ, not {claimed}",
                                  geometry, *unplaced, caveat]), ids)
    if n["disagree"] or n["no_zone"] or n["no_mod_flag"]:
        return Verdict("C11", CAVEATS, measured, rule,
                       "; ".join([f"MOD's count is {claimed}", geometry, *unplaced, *basis, caveat]), ids)
    return Verdict("C11", SUPPORTED, measured, rule,
                   "; ".join([f"MOD's count is {claimed}", geometry, *basis, caveat]), ids)
