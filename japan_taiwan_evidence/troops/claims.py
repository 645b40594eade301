"""Claim checks on US forces in Japan: C13 (personnel) and C14 (bases)."""

from __future__ import annotations

import pandas as pd

from ..verdicts import (  # noqa: F401
    ARTICLE_YEAR, CAVEATS, DIFFERS, NOT_TESTABLE, NOT_TESTED, SUPPORTED, Verdict, check, claim, claimed_number, fmt,
    within,
)
from .. import params
from ..verdicts import ids as _ids  # noqa: F401
from .. import sources
from . import analysis, tables
from ..validate import split_ids  # noqa: F401


def _tolerance(rounded_tolerance) -> float:
    """The run's tolerance, or the default of notebook 01's parameters, read at call time."""
    if rounded_tolerance is None:
        return float(params.default("rounded_tolerance", "01_us_forces_japan"))
    return float(rounded_tolerance)


def _pct(x: float) -> str:
    """A tolerance as shown in a rule: '5%', '2%', '2.5%'."""
    return f"{x * 100:g}%"


@check("C13")
def check_c13(data_dir=None, rounded_tolerance=None) -> Verdict:
    """USFJ has roughly 54,000 personnel: compare with every DMDC report of the article's year.

    rounded_tolerance: how far a report may be from the claim and still match it (fraction; default
    from params, notebook 01).
    """
    tol = _tolerance(rounded_tolerance)
    claimed = claimed_number("C13", data_dir)
    pers = tables.load_personnel(data_dir)
    year = analysis.reports_in_year(pers, ARTICLE_YEAR)
    have = year[year["personnel"].notna()]
    missing = year[year["personnel"].isna()]["report_date"].tolist()
    rule = (f"supported if every {ARTICLE_YEAR} DMDC report lies within ±{_pct(tol)} of the "
            f"claimed {fmt(claimed)}; differs if none does; otherwise supported with caveats")
    if have.empty:
        return Verdict("C13", NOT_TESTABLE, "", rule, f"no DMDC report for {ARTICLE_YEAR} in the data")
    ok = [within(v, claimed, tol) for v in have["personnel"]]
    measured = "; ".join(f"{d}: {fmt(v)}" for d, v in zip(have["report_date"], have["personnel"]))
    dev = max(abs(v - claimed) / claimed for v in have["personnel"])
    reasoning = f"largest deviation from the claim {dev:.1%}"
    if missing:
        reasoning += f"; no report in the data for {', '.join(missing)}"
    verdict = SUPPORTED if all(ok) else (DIFFERS if not any(ok) else CAVEATS)
    return Verdict("C13", verdict, measured, rule, reasoning, sorted(set(have["source_id"])))


# Counts made by an official body (whoever relayed the figure: see base_count_table's published_by).
OFFICIAL_DEFINITIONS = {"exclusive_use_mod", "exclusive_use_usfj", "all_incl_jsdf_available"}
DEFINITION_LABELS = {
    "major_bases": "major bases (CRS via Wikipedia)",
    "exclusive_use_mod": "exclusive-use facilities (Japan MOD)",
    "exclusive_use_usfj": "exclusive-use facilities (USFJ)",
    "all_incl_jsdf_available": "incl. JSDF sites open to US use (MOD, via Wikipedia)",
    "advocacy_base_sites": "base sites (advocacy count)",
    "vine_list_entries": "entries in Vine's list (to 2018)",
    "vine_list_distinct": "distinct sites in Vine's list (derived)",
    "article_claim": "the article",
}


def base_count_table(data_dir=None) -> pd.DataFrame:
    """Latest count per definition for Japan, plus the derived distinct-site range of Vine's list.

    counted_by_official_body: the definition is an official body's count (Japan MOD, USFJ).
    published_by: who published the figure the collection holds, from the `kind` of its (first) source
    in data/sources.csv (sources.publisher_class): a MOD count relayed by the news is 'secondary'.
    """
    counts = analysis.latest_counts(tables.load_base_counts(data_dir))
    lo, hi = analysis.vine_distinct_range(tables.load_facilities(data_dir))
    vine = {"definition": "vine_list_distinct", "value": float(hi), "value_low": float(lo),
            "qualifier": "derived", "as_of": "2018", "source_id": "troops-S04",
            "note": "entries minus duplicates flagged in data/troops/facilities.csv"}
    out = pd.concat([counts, pd.DataFrame([vine])], ignore_index=True)
    out["value_low"] = out["value_low"].fillna(out["value"])
    out["counted_by_official_body"] = out["definition"].isin(OFFICIAL_DEFINITIONS)
    kinds = sources.registry(data_dir)["kind"]
    out["published_by"] = [sources.publisher_class(kinds.get(split_ids(s)[0])) for s in out["source_id"]]
    out["label"] = out["definition"].map(DEFINITION_LABELS)
    return out.sort_values("value").reset_index(drop=True)


@check("C14")
def check_c14(data_dir=None, rounded_tolerance=None) -> Verdict:
    """USFJ operates forty bases: compare with every count, by definition (tolerance as for C13)."""
    tol = _tolerance(rounded_tolerance)
    claimed = claimed_number("C14", data_dir)
    table = base_count_table(data_dir)
    table = table[table["definition"] != "article_claim"]
    rule = (f"supported if an official count of US facilities in Japan is within ±{_pct(tol)} "
            f"of {fmt(claimed)}; otherwise differs, naming the nearest definitions")
    match = table[(table["value_low"] <= claimed * (1 + tol))
                  & (table["value"] >= claimed * (1 - tol))]
    official = match[match["counted_by_official_body"]]
    measured = "; ".join(
        f"{r.label}: {fmt(r.value_low)}–{fmt(r.value)}" if r.value_low != r.value else f"{r.label}: {fmt(r.value)}"
        for r in table.itertuples())
    ids = sorted(set(";".join(table["source_id"]).split(";")))
    if len(official):
        return Verdict("C14", SUPPORTED, measured, rule,
                       "matches " + ", ".join(official["label"]), ids)
    nearest = table.assign(gap=(table["value"] - claimed).abs()).sort_values("gap").iloc[0]
    reasoning = "no official count is near the claim"
    if len(match):
        reasoning += ("; only unofficial lists come close: " + ", ".join(match["label"])
                      + " (a list of named sites including closed ones, not a count of bases in use)")
    else:
        reasoning += f"; nearest is {nearest['label']} ({fmt(nearest['value'])})"
    return Verdict("C14", DIFFERS, measured, rule, reasoning, ids)
