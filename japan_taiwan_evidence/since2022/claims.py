"""What the article expected or recommended, tracked after it (rows F01... of data/claims.csv, category
'forecast'). Each check reads the records and answers in a forecast's words: happened, partly, or not
found in the records up to the coverage date (the latest date the sources of data/since2022/ reach).
An absence is only an absence in the records read, never "did not happen".

The checks register in the collection's check registry (claims.check), so claims.evaluate('F01') works;
the article's ledger (claims.ledger_table) leaves the category out, so its counts are the article's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import diplomacy, gctf, verdicts
from ..diplomacy.analysis import article_window
from ..verdicts import (
    FORECAST_CATEGORY,
    Verdict,
    check,
    claim,
    claimed_number,
    evaluate,
)
from ..validate import split_ids
from . import analysis, tables

HAPPENED = "happened"
PARTLY = "partly"
NOT_FOUND = "not found in the records"
FORECAST_VERDICTS = (HAPPENED, PARTLY, NOT_FOUND)
# A serving official of Japan's defence ministry who is not a uniformed officer: a step towards the
# posting the article describes, not the posting itself.
PARTIAL_POSTINGS = {"civilian_mod_official"}
READABLE = {"civilian_mod_official": "serving civilian official of the defence ministry",
            "serving_military_officer": "serving (active-duty) military officer",
            "retired_military_officer": "retired military officer"}


def readable(slug: str) -> str:
    return READABLE.get(slug, slug.replace("_", " "))


@dataclass
class ForecastVerdict(Verdict):
    """A Verdict in the forecast vocabulary; `coverage` is the date the records reach."""
    coverage: pd.Timestamp | None = None

    def __post_init__(self):
        if self.verdict not in FORECAST_VERDICTS:
            raise ValueError(f"{self.claim_id}: {self.verdict!r} is not one of {FORECAST_VERDICTS}")

    @property
    def label(self) -> str:
        """The verdict as shown: 'not found in the records up to 2026-03-03' names the coverage date."""
        if self.verdict == NOT_FOUND and self.coverage is not None:
            return f"{NOT_FOUND} up to {self.coverage:%Y-%m-%d}"
        return self.verdict


def _context(claim_id: str, data_dir=None) -> tuple[pd.Series, pd.Timestamp, pd.Timestamp]:
    """The claim's register row, the day the article's window closes and the records' coverage date."""
    return (claim(claim_id, data_dir), article_window(data_dir)["last"],
            analysis.coverage(data_dir=data_dir)["date"])


def _listing(rows: pd.DataFrame, what: str = "what") -> str:
    if rows.empty:
        return "none"
    return "; ".join(f"{r['date']}: {r[what]}" for _, r in rows.iterrows())


def _has_all(cell, wanted) -> bool:
    return set(wanted) <= set(split_ids(cell))


@check("F01")
def check_f01(data_dir=None) -> ForecastVerdict:
    """Xi is given a further term at the 20th Congress: party elections in the diplomacy records."""
    c, after, cov = _context("F01", data_dir)
    years = claimed_number("F01", data_dir)
    countries = split_ids(c["claimed_countries"])
    ev = diplomacy.load_events(data_dir)
    later = ev[ev["date_first"] > after]
    elected = later[(later["kind"] == c["claimed_kind"]) & later["actor_country"].isin(countries)
                    & (later["key_type"] == "gs_term_number")]
    elected = elected[elected["key_value"].astype(int) >= 2]  # a further term: the second or later
    length = later[later["key_type"] == "term_length_years"]
    rule = (f"happened if a {c['claimed_kind'].replace('_', ' ')} in {'/'.join(countries)} after the article "
            f"(after {after:%Y-%m-%d}) gives a further term as general secretary and the records put the term "
            f"at {years:g} years; partly if the election is recorded but the term's length is not, or differs; "
            f"otherwise not found")
    measured = (f"elections: {_listing(elected)}; term length: "
                + ("; ".join(f"{r.date}: {r.key_value} years" for r in length.itertuples()) or "none"))
    ids = analysis.ids_of(elected["source_id"], length["source_id"])
    if elected.empty:
        return ForecastVerdict("F01", NOT_FOUND, measured, rule, "no such election in the records", ids, cov)
    terms = ", ".join(sorted(set(elected["key_value"])))
    if (length["key_value"].astype(float) == years).any():
        return ForecastVerdict("F01", HAPPENED, measured, rule,
                               f"elected to term number {terms}, of {years:g} years", ids, cov)
    return ForecastVerdict("F01", PARTLY, measured, rule,
                           f"elected to term number {terms}; the records do not put the term at {years:g} "
                           "years", ids, cov)


@check("F02")
def check_f02(data_dir=None) -> ForecastVerdict:
    """Japan posts a serving (active-duty) officer at its Taipei office: postings in the records since."""
    c, after, cov = _context("F02", data_dir)
    (term,) = split_ids(c["claimed_terms"])
    countries = split_ids(c["claimed_countries"])
    ev = tables.load_events(data_dir)
    later = ev[(ev["when"] > after) & ev["actors"].map(lambda a: _has_all(a, countries))]
    posts = later[later["key"] == "person_status_posted"]
    reports = later[later["key"] == "serving_sdf_officer_posted"]
    rule = (f"happened if a record after the article (after {after:%Y-%m-%d}) has a {readable(term)} "
            f"posted; partly if it has a serving official who is not an officer posted "
            f"({', '.join(sorted(readable(p) for p in PARTIAL_POSTINGS))}); otherwise not found")
    measured = f"postings: {_listing(posts)}; reports: {_listing(reports)}"
    ids = analysis.ids_of(posts["source_id"], reports["source_id"])
    if (posts["value"] == term).any() or (reports["value"] == term).any():
        return ForecastVerdict("F02", HAPPENED, measured, rule, f"a {readable(term)} is recorded as posted",
                               ids, cov)
    partial = posts[posts["value"].isin(PARTIAL_POSTINGS)]
    if len(partial):
        return ForecastVerdict("F02", PARTLY, measured, rule,
                               f"a {readable(partial['value'].iloc[0])} took up post "
                               f"({partial['date'].iloc[0]}); no {readable(term)} is recorded", ids, cov)
    return ForecastVerdict("F02", NOT_FOUND, measured, rule, "no posting recorded", ids, cov)


@check("F03")
def check_f03(data_dir=None) -> ForecastVerdict:
    """Japan and Taiwan coordinate their forces in drills framed as humanitarian."""
    c, after, cov = _context("F03", data_dir)
    purposes = split_ids(c["claimed_terms"])
    countries = split_ids(c["claimed_countries"])
    ev = tables.load_events(data_dir)
    drills = ev[(ev["when"] > after) & (ev["kind"] == c["claimed_kind"])
                & ev["actors"].map(lambda a: _has_all(a, countries))
                & (ev["key"] == "drill_purpose") & ev["value"].isin(purposes)]
    rule = (f"happened if a {c['claimed_kind'].replace('_', ' ')} of {' and '.join(countries)} after the article "
            f"(after {after:%Y-%m-%d}) with a humanitarian purpose ({', '.join(p.replace('_', ' ') for p in purposes)})"
            " involves their military forces; partly if such a drill involves other forces (coast guards); "
            "otherwise not found")
    measured = "drills: " + ("; ".join(f"{r.date}: {r.actor_type.replace('_', ' ')}, {r.value.replace('_', ' ')}"
                                       for r in drills.itertuples()) or "none")
    ids = analysis.ids_of(drills["source_id"])
    if (drills["actor_type"] == "military").any():
        return ForecastVerdict("F03", HAPPENED, measured, rule, "a drill of the military forces is recorded",
                               ids, cov)
    if len(drills):
        kinds = ", ".join(sorted(set(drills["actor_type"].str.replace("_", " ") + "s")))
        return ForecastVerdict("F03", PARTLY, measured, rule,
                               f"drills are recorded, but between {kinds}, not military forces", ids, cov)
    return ForecastVerdict("F03", NOT_FOUND, measured, rule, "no such drill recorded", ids, cov)


@check("F04")
def check_f04(data_dir=None) -> ForecastVerdict:
    """The GCTF gains core partners beyond the four the article names."""
    _, after, cov = _context("F04", data_dir)
    claimed = int(claimed_number("F04", data_dir))
    partners = gctf.load_gctf_partners(data_dir)
    then, now = gctf.core_members_at(partners, after), gctf.core_members_at(partners, cov)
    new_core = partners[partners["core"] & (partners["start_last"] > after) & (partners["start_last"] <= cov)]
    new_other = partners[~partners["core"] & (partners["start_first"] > after) & (partners["start_last"] <= cov)]
    rule = (f"happened if the GCTF has more than the {claimed} core partners the article names by {cov:%Y-%m-%d}"
            f" (core partners at the article, {after:%Y-%m-%d}, and at the coverage date, from "
            f"data/gctf/partners.csv); partly if only partners in other roles (co-hosts, hosts) were added "
            f"after the article; otherwise not found")
    measured = (f"core partners at the article: {len(then)} ({', '.join(then)}); at {cov:%Y-%m-%d}: {len(now)} "
                f"({', '.join(now)}); joined as core: "
                + ("; ".join(f"{r.partner} {r.start_date}" for r in new_core.itertuples()) or "none")
                + f"; other roles added after the article: {len(new_other)}")
    ids = analysis.ids_of(new_core["source_id"], new_other["source_id"])
    if len(now) > claimed:
        return ForecastVerdict("F04", HAPPENED, measured, rule,
                               f"{len(now) - claimed} core partner(s) beyond the {claimed}: "
                               + ", ".join(new_core["partner"]), analysis.ids_of(new_core["source_id"]), cov)
    if len(new_other):
        return ForecastVerdict("F04", PARTLY, measured, rule,
                               "no new core partner, but partners in other roles were added", ids, cov)
    return ForecastVerdict("F04", NOT_FOUND, measured, rule, "no partner added after the article", ids, cov)


# --------------------------------------------------------------------------------------- table
FORECAST_COLUMNS = ["claim_id", "claim", "verdict", "measured", "rule", "reasoning", "sources"]


def forecast_claims(data_dir=None) -> pd.DataFrame:
    """The forecast rows of data/claims.csv, in register order."""
    reg = verdicts.load_claims(data_dir)
    return reg[reg["category"] == FORECAST_CATEGORY].reset_index(drop=True)


def forecast_table(data_dir=None) -> pd.DataFrame:
    """Every forecast with its computed verdict (as shown, the coverage date included)."""
    rows = []
    for _, c in forecast_claims(data_dir).iterrows():
        v = evaluate(c["claim_id"], data_dir)
        label = v.label if isinstance(v, ForecastVerdict) else v.verdict  # 'not tested' has no coverage
        rows.append({"claim_id": c["claim_id"], "claim": c["claim"], "verdict": label, "measured": v.measured,
                     "rule": v.rule, "reasoning": v.reasoning, "sources": "; ".join(v.source_ids)})
    return pd.DataFrame(rows, columns=FORECAST_COLUMNS)


def verdict_word(label: str) -> str:
    """The vocabulary word of a shown verdict ('not found in the records up to ...' -> NOT_FOUND)."""
    return NOT_FOUND if label.startswith(NOT_FOUND) else label
