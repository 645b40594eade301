"""The claims ledger: one check function per claim, registered by claim ID.

A check reads the committed data through the package, measures what the claim is about and returns
a :class:`Verdict` from a rule stated in the check itself. Nothing here types in a measured number:
change the data and the verdict follows. A claim in data/claims.csv with no registered check is
reported as "not tested", never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from . import datasets, troops

SUPPORTED = "supported"
CAVEATS = "supported with caveats"
DIFFERS = "differs"
NOT_TESTABLE = "not testable with this data"
NOT_TESTED = "not tested"
VERDICTS = (SUPPORTED, CAVEATS, DIFFERS, NOT_TESTABLE, NOT_TESTED)

# How close a rounded claim ("roughly 54,000") must be to the record to count as matching it.
ROUNDED_TOLERANCE = 0.05


@dataclass
class Verdict:
    claim_id: str
    verdict: str
    measured: str
    rule: str
    reasoning: str
    source_ids: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim_id}: unknown verdict {self.verdict!r}")

    def as_dict(self) -> dict:
        return {"claim_id": self.claim_id, "verdict": self.verdict, "measured": self.measured,
                "rule": self.rule, "reasoning": self.reasoning, "source_ids": ";".join(self.source_ids)}


CHECKS: dict[str, Callable[..., Verdict]] = {}


def check(claim_id: str):
    """Register a check function for a claim ID (one function per claim)."""
    def register(fn):
        if claim_id in CHECKS:
            raise ValueError(f"claim {claim_id} already has a check ({CHECKS[claim_id].__name__})")
        CHECKS[claim_id] = fn
        return fn
    return register


def claim(claim_id: str, data_dir=None) -> pd.Series:
    """The register row of one claim."""
    reg = datasets.load_claims(data_dir).set_index("claim_id")
    if claim_id not in reg.index:
        raise KeyError(f"claim {claim_id} is not in data/claims.csv")
    return reg.loc[claim_id]


def claimed_number(claim_id: str, data_dir=None) -> float:
    """The claim's value as a number (e.g. 54000 for 'about 54,000'), read from data/claims.csv."""
    raw = claim(claim_id, data_dir)["claimed_value"]
    try:
        return float(str(raw).replace(",", ""))
    except ValueError:
        raise ValueError(f"claim {claim_id}: claimed_value {raw!r} is not a number") from None


def evaluate(claim_id: str, data_dir=None) -> Verdict:
    """Run one claim's check; a claim without a check is 'not tested'."""
    claim(claim_id, data_dir)  # unknown IDs fail loudly
    fn = CHECKS.get(claim_id)
    if fn is None:
        return Verdict(claim_id, NOT_TESTED, "", "", "no check function is registered for this claim")
    return fn(data_dir=data_dir)


def ledger(data_dir=None) -> pd.DataFrame:
    """Every claim in data/claims.csv with its computed verdict."""
    reg = datasets.load_claims(data_dir)
    rows = [evaluate(cid, data_dir).as_dict() for cid in reg["claim_id"]]
    out = reg[["claim_id", "category", "claim", "claimed_value", "notebook"]].merge(
        pd.DataFrame(rows), on="claim_id")
    return out


def within(measured: float, claimed: float, tolerance: float = ROUNDED_TOLERANCE) -> bool:
    return abs(measured - claimed) <= tolerance * abs(claimed)


def fmt(n) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.2f}"


# ---------------------------------------------------------------------------------------------
# Troops and bases (notebook 01)
# ---------------------------------------------------------------------------------------------

ARTICLE_YEAR = 2022


@check("C13")
def check_c13(data_dir=None) -> Verdict:
    """USFJ has roughly 54,000 personnel: compare with every DMDC report of the article's year."""
    claimed = claimed_number("C13", data_dir)
    pers = datasets.load_personnel(data_dir)
    year = troops.reports_in_year(pers, ARTICLE_YEAR)
    have = year[year["personnel"].notna()]
    missing = year[year["personnel"].isna()]["report_date"].tolist()
    rule = (f"supported if every {ARTICLE_YEAR} DMDC report lies within ±{ROUNDED_TOLERANCE:.0%} of the "
            f"claimed {fmt(claimed)}; differs if none does; otherwise supported with caveats")
    if have.empty:
        return Verdict("C13", NOT_TESTABLE, "", rule, f"no DMDC report for {ARTICLE_YEAR} in the data")
    ok = [within(v, claimed) for v in have["personnel"]]
    measured = "; ".join(f"{d}: {fmt(v)}" for d, v in zip(have["report_date"], have["personnel"]))
    dev = max(abs(v - claimed) / claimed for v in have["personnel"])
    reasoning = f"largest deviation from the claim {dev:.1%}"
    if missing:
        reasoning += f"; no report in the data for {', '.join(missing)}"
    verdict = SUPPORTED if all(ok) else (DIFFERS if not any(ok) else CAVEATS)
    return Verdict("C13", verdict, measured, rule, reasoning, sorted(set(have["source_id"])))


# Counts that describe bases the US operates in Japan today, by an official body.
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
    """Latest count per definition for Japan, plus the derived distinct-site range of Vine's list."""
    counts = troops.latest_counts(datasets.load_base_counts(data_dir))
    lo, hi = troops.vine_distinct_range(datasets.load_facilities(data_dir))
    vine = {"definition": "vine_list_distinct", "value": float(hi), "value_low": float(lo),
            "qualifier": "derived", "as_of": "2018", "source_id": "troops-S04",
            "note": "entries minus duplicates flagged in data/troops/facilities.csv"}
    out = pd.concat([counts, pd.DataFrame([vine])], ignore_index=True)
    out["value_low"] = out["value_low"].fillna(out["value"])
    out["official"] = out["definition"].isin(OFFICIAL_DEFINITIONS)
    out["label"] = out["definition"].map(DEFINITION_LABELS)
    return out.sort_values("value").reset_index(drop=True)


@check("C14")
def check_c14(data_dir=None) -> Verdict:
    """USFJ operates forty bases: compare with every count, by definition."""
    claimed = claimed_number("C14", data_dir)
    table = base_count_table(data_dir)
    table = table[table["definition"] != "article_claim"]
    rule = (f"supported if an official count of US facilities in Japan is within ±{ROUNDED_TOLERANCE:.0%} "
            f"of {fmt(claimed)}; otherwise differs, naming the nearest definitions")
    match = table[(table["value_low"] <= claimed * (1 + ROUNDED_TOLERANCE))
                  & (table["value"] >= claimed * (1 - ROUNDED_TOLERANCE))]
    official = match[match["official"]]
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
