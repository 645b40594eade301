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


# Rows of data/claims.csv in this category are not the article's claims but what it expected or
# recommended, tracked after it (notebook 06, with a forecast vocabulary): the ledger, its counts and
# the article's date leave them out.
FORECAST_CATEGORY = "forecast"


def article_claims(data_dir=None) -> pd.DataFrame:
    """The article's own claims in data/claims.csv (the forecast rows of notebook 06 left out)."""
    reg = datasets.load_claims(data_dir)
    return reg[reg["category"] != FORECAST_CATEGORY].reset_index(drop=True)


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


# Why a claim has no check: shown in the ledger instead of a verdict.
NOT_TESTED_REASONS = {
    "C22": ("the claim paraphrases the GCTF's stated purpose; the records hold that statement (the 2015 MOU "
            "and the 2020 joint statement, data/diplomacy/events.csv) but matching its wording is a reading, "
            "not a computation, so no verdict is computed"),
}


def evaluate(claim_id: str, data_dir=None) -> Verdict:
    """Run one claim's check; a claim without a check is 'not tested', with the reason why."""
    claim(claim_id, data_dir)  # unknown IDs fail loudly
    fn = CHECKS.get(claim_id)
    if fn is None:
        reason = NOT_TESTED_REASONS.get(claim_id, "no check function is registered for this claim")
        return Verdict(claim_id, NOT_TESTED, "", "", reason)
    return fn(data_dir=data_dir)


def ledger(data_dir=None) -> pd.DataFrame:
    """Every claim of the article in data/claims.csv with its computed verdict."""
    reg = article_claims(data_dir)
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


# ---------------------------------------------------------------------------------------------
# GCTF (notebook 02)
# ---------------------------------------------------------------------------------------------

from . import gctf as _gctf  # imported with its section so the sections stay independent

# The article's date is inferred (dossier claims.md): it describes events up to the latest date among
# its dated claims, and it treats the CCP's 20th National Congress as still ahead. Both ends are read
# from the data: the dated claims in data/claims.csv, and this record in data/diplomacy/events.csv.
CONGRESS_EVENT_ID = "cpc20-congress"


def _event(event_id: str, data_dir=None) -> pd.Series:
    events = datasets.load_events(data_dir).set_index("event_id")
    if event_id not in events.index or not isinstance(events.loc[event_id, "date"], str):
        raise datasets.DataError("data/diplomacy/events.csv", column="event_id",
                                 expected=f"a dated row '{event_id}'", found="no such row")
    return events.loc[event_id]


def article_window(data_dir=None) -> dict:
    """When the article was written: from its latest dated claim to the day before the Congress opened.

    Returns first/last (Timestamps), the claim and event that fix them, and their source IDs.
    """
    reg = article_claims(data_dir)
    dated = reg[reg["claimed_unit"] == "date"].sort_values("claimed_value")
    if dated.empty:
        raise ValueError("no claim in data/claims.csv has a date to anchor the article's date")
    latest = dated.iloc[-1]
    congress = _event(CONGRESS_EVENT_ID, data_dir)
    first = datasets.date_bounds(latest["claimed_value"])[0]
    last = datasets.date_bounds(congress["date"])[0] - pd.Timedelta(days=1)
    return {"first": first, "last": last, "first_basis": f"{latest['claim_id']} "
            f"({latest['claimed_value']}), the latest date the article describes",
            "last_basis": f"{CONGRESS_EVENT_ID} opened {congress['date']}, which the article treats as still ahead",
            "source_ids": datasets.split_ids(congress["source_id"])}


def _window_text(w: dict) -> str:
    return f"{w['first']:%Y-%m-%d} to {w['last']:%Y-%m-%d}"


def _ids(*cells) -> list[str]:
    out: list[str] = []
    for cell in cells:
        for part in ([cell] if isinstance(cell, str) else list(cell)):
            for sid in datasets.split_ids(part):
                if sid not in out:
                    out.append(sid)
    return out


def _claimed_iso3(claim_id: str, data_dir=None) -> list[str]:
    return sorted(datasets.split_ids(claim(claim_id, data_dir)["claimed_countries"]))


def _day(ts) -> str:
    return "still so at the latest record" if ts is None else f"{pd.Timestamp(ts):%Y-%m-%d}"


@check("C06")
def check_c06(data_dir=None) -> Verdict:
    """Four core members (TWN, USA, JPN, AUS): core membership through the article's date window."""
    claimed_n = int(claimed_number("C06", data_dir))
    claimed_set = _claimed_iso3("C06", data_dir)
    partners = datasets.load_gctf_partners(data_dir)
    w = article_window(data_dir)
    steps = _gctf.core_steps(partners)
    # Membership at the window's first day and at every change inside the window.
    checkpoints = [w["first"]] + [d for d in steps["date"] if w["first"] < d <= w["last"]]
    sets = {d: _gctf.core_members_at(partners, d) for d in checkpoints}
    ok = [s == claimed_set and len(s) == claimed_n for s in sets.values()]
    periods = _gctf.periods_with_n_core(partners, claimed_n)
    when = "; ".join(f"{a:%Y-%m-%d} to {_day(b)}" for a, b in periods) or "never"
    measured = (f"core members in the article's window ({_window_text(w)}): "
                + "; ".join(f"from {d:%Y-%m-%d}: {', '.join(s)} ({len(s)})" for d, s in sets.items())
                + f". Exactly {claimed_n} core members: {when}. Changes: "
                + "; ".join(f"{r.date:%Y-%m-%d} {r.n_core} (+{r.added.replace(';', ', ')}, "
                            f"{'/'.join(dict.fromkeys(r.date_basis.split(';')))})" for r in steps.itertuples()))
    rule = (f"judged over the article's inferred writing window ({w['first_basis']}; {w['last_basis']}): "
            f"supported if the core partners (founding + full partners) are exactly the claimed "
            f"{', '.join(claimed_set)} throughout it; supported with caveats if only for part of it; differs if at no point")
    verdict = SUPPORTED if all(ok) else (CAVEATS if any(ok) else DIFFERS)
    later = steps[steps["date"] > w["last"]]
    reasoning = f"{claimed_n} core members held {when}"
    if len(later):
        reasoning += ("; membership grew after the article: "
                      + ", ".join(f"{r.added} on {r.date:%Y-%m-%d}" for r in later.itertuples()))
    basis = partners[partners["core"] & (partners["date_basis"] != "signed") & partners["iso3"].isin(claimed_set)]
    if (basis["date_basis"] == "first_event").any():
        reasoning += ("; " + ", ".join(basis.loc[basis["date_basis"] == "first_event", "partner"])
                      + "'s start is its first co-hosted event (no formal joining date located)")
    ids = _ids(partners.loc[partners["core"], "source_id"], w["source_ids"])
    return Verdict("C06", verdict, measured, rule, reasoning, ids)


@check("C07")
def check_c07(data_dir=None) -> Verdict:
    """Five themes (HADR, public health, media literacy, women's rights, clean energy) vs official lists."""
    terms = datasets.split_ids(claim("C07", data_dir)["claimed_terms"])
    claimed_n = int(claimed_number("C07", data_dir))
    themes = datasets.load_gctf_themes(data_dir)
    table = _gctf.article_theme_map(themes, terms)
    per_list = themes.groupby("official_list")["official_name"].nunique()  # as each list names them
    missing = table[table["n_lists"] == 0]["article_theme"].tolist()
    renamed = table[(table["n_lists"] > 0) & (table["same_name_in"] == 0)]
    measured = ("; ".join(f"{r.article_theme} -> {r.theme_category or 'no official category'}"
                          + (f" in {r.n_lists} list(s) as '{r.official_names}'" if r.n_lists else "")
                          for r in table.itertuples())
                + f". The article names {len(terms)} themes (claimed {claimed_n}); official lists have "
                + ", ".join(f"{k} {v}" for k, v in per_list.items()) + " categories")
    rule = ("supported if every article theme maps to a category of at least one official list under the same "
            "name; supported with caveats if all map but some only under a different official name; differs if any "
            "maps to no official category")
    if missing:
        verdict, reasoning = DIFFERS, "no official category for: " + ", ".join(missing)
    elif len(renamed):
        verdict = CAVEATS
        reasoning = ("all map to official categories, but " + "; ".join(
            f"'{r.article_theme}' is officially '{r.official_names}'" for r in renamed.itertuples()))
    else:
        verdict, reasoning = SUPPORTED, "every theme is named in an official list with the article's wording"
    if len(terms) != claimed_n:
        reasoning += f"; the claim lists {len(terms)} themes, not {claimed_n}"
    return Verdict("C07", verdict, measured, rule, reasoning, _ids(themes["source_id"]))


@check("C21")
def check_c21(data_dir=None) -> Verdict:
    """Founded in 2015 by the US and Taiwan: the founding partners and the date of the MOU."""
    claimed_year = int(claimed_number("C21", data_dir))
    claimed_set = _claimed_iso3("C21", data_dir)
    partners = datasets.load_gctf_partners(data_dir)
    founding = partners[partners["role"] == "founding_partner"]
    years = sorted({d[:4] for d in founding["start_date"]})
    found_set = sorted(set(founding["iso3"]))
    measured = "; ".join(f"{r.partner} ({r.organization}): {r.start_date} ({r.date_basis})"
                         for r in founding.itertuples())
    rule = (f"supported if the founding partners are exactly {', '.join(claimed_set)} and the founding MOU "
            f"dates from {claimed_year}; differs otherwise")
    ok = found_set == claimed_set and years == [str(claimed_year)]
    reasoning = (f"founding partners {', '.join(found_set) or 'none'}, founded {', '.join(years) or 'no date'}; "
                 "the MOU was signed by the two sides' representative offices (TECRO and AIT)")
    return Verdict("C21", SUPPORTED if ok else DIFFERS, measured, rule, reasoning, _ids(founding["source_id"]))


@check("C23")
def check_c23(data_dir=None) -> Verdict:
    """Japan and then Australia became core partners after the 2015 founding."""
    claimed = datasets.split_ids(claim("C23", data_dir)["claimed_countries"])  # order as claimed
    partners = datasets.load_gctf_partners(data_dir)
    founded = partners.loc[partners["role"] == "founding_partner", "start_last"].max()
    full = partners[partners["role"] == "full_partner"].set_index("iso3")
    rows, missing, early = [], [], []
    for iso in claimed:
        if iso not in full.index:
            missing.append(iso)
            continue
        r = full.loc[iso]
        rows.append((iso, r))
        if r["start_first"] <= founded:
            early.append(iso)
    measured = "; ".join(f"{r['partner']}: full partner from {r['start_date']} ({r['date_basis']})" for _, r in rows)
    measured += f"; founded {founded:%Y-%m-%d}"
    rule = ("supported if each claimed country has a full partnership beginning after the founding, in the order "
            "claimed; supported with caveats if the order differs; differs if one never became a full partner or "
            "joined at the founding")
    in_order = [iso for iso, _ in sorted(rows, key=lambda t: t[1]["start_first"])] == [iso for iso, _ in rows]
    if missing or early:
        verdict = DIFFERS
        reasoning = "; ".join(filter(None, [f"no full partnership for {', '.join(missing)}" if missing else "",
                                            f"joined at the founding: {', '.join(early)}" if early else ""]))
    else:
        verdict = SUPPORTED if in_order else CAVEATS
        reasoning = ("both joined after the founding, in the order claimed" if in_order
                     else "both joined after the founding, but not in the order claimed")
        first_event = [r["partner"] for _, r in rows if r["date_basis"] == "first_event"]
        if first_event:
            reasoning += (f"; {', '.join(first_event)}'s date is its first co-hosted event, as no formal joining "
                          "date was located (sources say only the year)")
    ids = _ids([r["source_id"] for _, r in rows], partners.loc[partners["role"] == "founding_partner", "source_id"])
    return Verdict("C23", verdict, measured, rule, reasoning, ids)


def c24_evidence(data_dir=None) -> dict:
    """The bracketing of the claimed country count, and the article's window (for the notebook too)."""
    claimed = claimed_number("C24", data_dir)
    cum = datasets.load_gctf_cumulative(data_dir)
    unit = claim("C24", data_dir)["claimed_unit"]
    return {"claimed": claimed, "window": article_window(data_dir),
            "bracket": _gctf.consistent_dates(cum, claimed, measure="countries", units=(unit,))}


@check("C24")
def check_c24(data_dir=None) -> Verdict:
    """108 countries: no statement gives it; when would it fit between the statements around it?"""
    ev = c24_evidence(data_dir)
    claimed, w, b = ev["claimed"], ev["window"], ev["bracket"]
    lb, fa = b["last_below"], b["first_above"]

    def describe(r):
        q = {"exact": "", "over": "over ", "about": "about ", "nearly": "nearly "}[r["qualifier"]]
        return f"{q}{int(r['value'])} on {r['statement_date']} ({r['statement_id']})"

    parts = []
    if lb is not None:
        parts.append(f"last statement below {claimed:g}: {describe(lb)}")
    if fa is not None:
        parts.append(f"first statement above: {describe(fa)}")
    floors = b["inside"][b["inside"]["qualifier"] == "over"]
    if len(floors):
        parts.append("floors in between (consistent, cannot bound from above): "
                     + ", ".join(describe(r) for _, r in floors.iterrows()))
    start = "open" if b["start"] is None else f"{b['start']:%Y-%m-%d}"
    end = "open" if b["end"] is None else f"{b['end']:%Y-%m-%d}"
    parts.append(f"{claimed:g} is consistent with the statements from {start} to {end}")
    parts.append(f"article written {_window_text(w)}")
    measured = "; ".join(parts)
    rule = (f"a cumulative count never falls, so {claimed:g} is possible only after the last statement whose highest "
            f"possible value is below it and before the first whose lowest possible value is above it (floors 'over N' "
            f"bound only from below; 'about'/'nearly' allow ±{_gctf.ROUNDING_MARGIN:.0%}; official statements and "
            f"their relays, unit '{ev['bracket']['units'][0]}'). Supported if a statement gives {claimed:g}; differs if "
            f"the consistent range misses the article's window; not testable if {claimed:g} is possible in the window "
            f"but no statement gives it")
    ids = _ids(["troops-S00"] + [r["source_id"] for r in (lb, fa) if r is not None] + list(floors["source_id"]),
               w["source_ids"])
    if b["contradictions"]:
        return Verdict("C24", NOT_TESTABLE, measured, rule,
                       "the statements contradict each other: " + "; ".join(b["contradictions"]), ids)
    if len(b["matches"]):
        m = b["matches"]
        return Verdict("C24", SUPPORTED, measured, rule,
                       "stated in " + ", ".join(m["statement_id"]), _ids(ids, m["source_id"]))
    lo = b["start"] if b["start"] is not None else pd.Timestamp.min
    hi = b["end"] if b["end"] is not None else pd.Timestamp.max
    if hi < w["first"] or lo > w["last"]:
        side = "already above" if hi < w["first"] else "still below"
        return Verdict("C24", DIFFERS, measured, rule,
                       f"the statements put the count {side} {claimed:g} throughout the article's window", ids)
    return Verdict("C24", NOT_TESTABLE, measured, rule,
                   f"no statement gives {claimed:g}; the count could have been {claimed:g} when the article was "
                   f"written, but the statements only bracket it (it may also have jumped past {claimed:g})", ids)


@check("C25")
def check_c25(data_dir=None) -> Verdict:
    """Disaster management (HADR) central: in every official list, and how often it is a workshop theme."""
    term = datasets.split_ids(claim("C25", data_dir)["claimed_terms"])[0]  # the article theme, "HADR"
    themes = datasets.load_gctf_themes(data_dir)
    workshops = datasets.load_gctf_workshops(data_dir)
    cats = sorted(set(themes.loc[themes["article_theme"] == term, "theme_category"]))
    lists = sorted(set(themes["official_list"]))
    in_lists = sorted(set(themes.loc[themes["theme_category"].isin(cats), "official_list"]))
    counts = _gctf.theme_counts(workshops)
    official = counts[counts.index.isin(set(themes["theme_category"]))]
    n = int(official[official.index.isin(cats)].sum())
    mean = official.sum() / len(set(themes["theme_category"]))
    rank = int((official > n).sum()) + 1
    years = sorted(set(workshops.loc[workshops["theme_official"].isin(cats), "year"]))
    measured = (f"{term} ({', '.join(cats) or 'no category'}) named in {len(in_lists)} of {len(lists)} official lists; "
                f"{n} of {len(workshops)} listed workshops ({n / len(workshops):.0%}), rank {rank} of "
                f"{len(set(themes['theme_category']))} official categories (mean {mean:.1f} per category); "
                f"held in {len(years)} of {workshops['year'].nunique()} years ({', '.join(map(str, years))})")
    rule = ("supported if the theme is in every official list and has at least the mean number of listed workshops "
            "per official category; supported with caveats if only one of the two holds; differs if neither")
    a, b = len(in_lists) == len(lists), n >= mean
    verdict = SUPPORTED if a and b else (CAVEATS if a or b else DIFFERS)
    reasoning = ("a standing official category and a frequent workshop theme, one of several main themes rather than "
                 "the single focus" if verdict == SUPPORTED else
                 ("in every official list but a less frequent workshop theme" if a else
                  "a frequent workshop theme but missing from some official lists" if b else
                  "neither in every official list nor a frequent workshop theme"))
    reasoning += "; the workshop list is incomplete (thin for 2022-2024)"
    ids = _ids(themes.loc[themes["theme_category"].isin(cats), "source_id"],
               workshops.loc[workshops["theme_official"].isin(cats), "source_id"])
    return Verdict("C25", verdict, measured, rule, reasoning, ids)


# ---------------------------------------------------------------------------------------------
# Law, diplomacy and context (notebook 05)
# ---------------------------------------------------------------------------------------------
# These checks compare what a claim asserts (data/claims.csv: claimed_value, claimed_kind,
# claimed_terms, claimed_countries) with the dated records in data/diplomacy/events.csv. Each rule is
# stated in the check; the records, not the dossier's assessment, decide the verdict.

from . import diplomacy  # noqa: E402  (imported here so the section stays self-contained)

# The claims this section checks from the records (C12 sits in notebook 03's part of the register, but its
# record is the PLA statement kept with the diplomacy records).
RECORD_CHECKS = ("C01", "C02", "C03", "C04", "C05", "C12", "C15", "C16", "C17", "C18", "C19", "C20", "C26", "C27")


@dataclass
class _Ask:
    """What one claim asserts, read from data/claims.csv."""
    claim_id: str
    value: str | None
    unit: str | None
    kind: str | None
    terms: list[str]
    countries: list[str]


def _ask(claim_id: str, data_dir=None) -> _Ask:
    c = claim(claim_id, data_dir)

    def txt(v):
        return v if isinstance(v, str) else None
    return _Ask(claim_id, txt(c["claimed_value"]), txt(c["claimed_unit"]), txt(c["claimed_kind"]),
                diplomacy.split(c["claimed_terms"]), diplomacy.split(c["claimed_countries"]))


def _records(claim_id: str, data_dir=None):
    return diplomacy.records(datasets.load_events(data_dir), claim_id)


def _describe_term(r: diplomacy.TermResult) -> str:
    text = {
        "matched": lambda: f"borne out by {diplomacy.listing(r.agree)}",
        "stated_negative": lambda: f"stated by {diplomacy.listing(r.agree)}",
        "no_contrary": lambda: "no record either way",
        "contrary": lambda: f"contradicted by {diplomacy.listing(r.contrary)}",
        "mixed": lambda: (f"borne out by {diplomacy.listing(r.agree)}; contradicted by "
                          f"{diplomacy.listing(r.contrary)}"),
        "no_record": lambda: "no record",
    }[r.status]()
    return f"{r.label}: {text}"


TERMS_RULE = ("each claimed term is compared with the records by its rule in diplomacy.TERMS: supported if "
              "every term is borne out (an absence term only by an official record stating the negative); "
              "differs if a record contradicts a term; supported with caveats if a term rests on the "
              "absence of contrary records or the records disagree among themselves; not testable if no "
              "record bears on any term")


def _terms_verdict(results: list[diplomacy.TermResult]) -> str:
    statuses = {r.status for r in results}
    if "contrary" in statuses:
        return DIFFERS
    if statuses == {"no_record"}:
        return NOT_TESTABLE
    if statuses <= {"matched", "stated_negative"}:
        return SUPPORTED
    return CAVEATS


def _terms_check(claim_id: str, data_dir=None, extra_measured: str = "", note: str = "") -> Verdict:
    """A claim made only of terms (C03, C05, C16, C18): compare each term, combine by TERMS_RULE."""
    ask = _ask(claim_id, data_dir)
    recs = diplomacy.up_to(_records(claim_id, data_dir), ARTICLE_YEAR)
    results = [diplomacy.match_term(recs, t, ask.countries) for t in ask.terms]
    verdict = _terms_verdict(results)
    measured = "; ".join(_describe_term(r) for r in results)
    if extra_measured:
        measured += "; " + extra_measured
    reasons = []
    for r in results:
        if r.status == "no_contrary":
            reasons.append(f"'{r.label}' asserts an absence: no record, official or not, shows the contrary, "
                           f"and no official record states it")
        elif r.status == "no_record":
            reasons.append(f"'{r.label}': nothing in the records bears on it")
    if note:
        reasons.append(note)
    rule = TERMS_RULE + f"; records dated up to {ARTICLE_YEAR}, the article's year"
    # An absence is established by the records searched, so all the claim's records are its sources.
    ids = diplomacy.source_ids(recs)
    return Verdict(claim_id, verdict, measured, rule, "; ".join(reasons) or "every term is borne out", ids)


@check("C01")
def check_c01(data_dir=None) -> Verdict:
    """Xi expected to get one more five-year term at the 20th Congress."""
    ask = _ask("C01", data_dir)
    recs = _records("C01", data_dir)
    claimed = int(claimed_number("C01", data_dir))
    elections = diplomacy.by_countries(recs[recs["kind"] == ask.kind], ask.countries)
    elections = elections[elections["key_type"] == "gs_term_number"]
    lengths = recs[recs["key_type"] == "term_length_years"]
    expected = recs[(recs["kind"] != ask.kind) & (recs["key_type"] == "gs_term_number")]
    rule = (f"supported if a '{ask.kind}' record by a {'/'.join(ask.countries)} actor shows a further term "
            f"(term number 2 or more) and every record of the term's length gives the claimed {claimed} "
            f"{ask.unit}; differs if a length differs or no further term was given; supported with "
            f"caveats if the length is not recorded; not testable without an election record")
    if elections.empty:
        return Verdict("C01", NOT_TESTABLE, "", rule, f"no '{ask.kind}' record", diplomacy.source_ids(recs))
    numbers = elections["key_value"].astype(int)
    length_values = lengths["key_value"].astype(int)
    measured = (f"term number: {diplomacy.listing(elections)}; term length in years: "
                f"{diplomacy.listing(lengths)}; before the Congress: {diplomacy.listing(expected)}")
    ids = diplomacy.source_ids(elections, lengths, expected)
    if (numbers < 2).all() or (length_values != claimed).any():
        return Verdict("C01", DIFFERS, measured, rule, "the records give another term or length", ids)
    if lengths.empty:
        return Verdict("C01", CAVEATS, measured, rule, "a further term is recorded but not its length", ids)
    source_kinds = sorted(set(lengths["actor_type"]))
    return Verdict("C01", SUPPORTED, measured, rule,
                   f"term number {numbers.max()} recorded; the length comes from records by "
                   f"{', '.join(source_kinds)}", ids)


@check("C02")
def check_c02(data_dir=None) -> Verdict:
    """Xi has fixed 2049 as the year of unification."""
    ask = _ask("C02", data_dir)
    recs = _records("C02", data_dir)
    claimed = ask.value
    off = diplomacy.official(recs, ask.countries)
    stated = off[off["key_type"] == "reunification_target_year"]
    years = stated[stated["key_value"].str.fullmatch(r"\d{4}")]
    horizon = off[off["key_type"] == "rejuvenation_horizon"]
    readings = recs[~recs["actor_type"].isin(diplomacy.OFFICIAL_ACTORS)
                    & recs["key_type"].isin(["rejuvenation_target_year", "reunification_year_expected"])]
    rule = (f"supported if an official {'/'.join(ask.countries)} record names {claimed} as the year of "
            f"reunification; differs if one names another year; supported with caveats if the official "
            f"records name no year and only analysts' readings give {claimed}; not testable otherwise")
    measured = (f"official reunification year: {diplomacy.listing(stated)}; official rejuvenation horizon: "
                f"{diplomacy.listing(horizon)}; analysts: {diplomacy.listing(readings)}")
    ids = diplomacy.source_ids(stated, horizon, readings)
    if (years["key_value"] == claimed).any():
        return Verdict("C02", SUPPORTED, measured, rule, f"an official record names {claimed}", ids)
    if len(years):
        return Verdict("C02", DIFFERS, measured, rule,
                       f"official records name {', '.join(sorted(set(years['key_value'])))}", ids)
    if (readings["key_value"] == claimed).any():
        return Verdict("C02", CAVEATS, measured, rule,
                       f"{len(stated)} official texts tie reunification to rejuvenation without a year; "
                       f"{claimed} comes from {int((readings['key_value'] == claimed).sum())} analysts' "
                       f"readings, so it is the rejuvenation horizon rather than a stated deadline", ids)
    return Verdict("C02", NOT_TESTABLE, measured, rule, "no record gives a year", ids)


@check("C03")
def check_c03(data_dir=None) -> Verdict:
    """Japan committed to FOIP, silent on whether it would help Taiwan."""
    recs = diplomacy.official(_records("C03", data_dir), _ask("C03", data_dir).countries)
    statements = recs[~recs["what"].str.contains(diplomacy.TERMS["foip_commitment"].pattern, regex=True)]
    return _terms_check("C03", data_dir,
                        extra_measured=f"other official Japanese records searched: {diplomacy.listing(statements, False)}")


@check("C04")
def check_c04(data_dir=None) -> Verdict:
    """The Taiwan Relations Act of 1979."""
    ask = _ask("C04", data_dir)
    recs = _records("C04", data_dir)
    acts = diplomacy.by_countries(recs[recs["kind"] == ask.kind], ask.countries)
    claimed = int(claimed_number("C04", data_dir))
    rule = (f"supported if every '{ask.kind}' record by a {'/'.join(ask.countries)} actor is dated in "
            f"{claimed}; supported with caveats if only some are; differs if none is; not testable "
            f"without such a record")
    if acts.empty:
        return Verdict("C04", NOT_TESTABLE, "", rule, f"no '{ask.kind}' record", diplomacy.source_ids(recs))
    measured = diplomacy.listing(acts, with_value=False)
    in_year = acts["date"].map(diplomacy.year) == claimed
    verdict = SUPPORTED if in_year.all() else CAVEATS if in_year.any() else DIFFERS
    reasoning = f"{int(in_year.sum())} of {len(acts)} records of the act are dated {claimed}"
    return Verdict("C04", verdict, measured, rule, reasoning, diplomacy.source_ids(acts))


@check("C05")
def check_c05(data_dir=None) -> Verdict:
    """No Japanese TRA; no legal basis for military cooperation."""
    recs = diplomacy.up_to(_records("C05", data_dir), ARTICLE_YEAR)
    related = recs[recs["key_type"] == "formal_military_exchanges"]
    note = ""
    if len(related):
        opinion = related["flag"].map(lambda f: "opinion" in diplomacy.split(f))
        note = (f"related, not counted: {diplomacy.listing(related)}"
                + (" (an opinion piece, on exchanges rather than a legal basis)" if opinion.all() else ""))
    return _terms_check("C05", data_dir, note=note)


@check("C12")
def check_c12(data_dir=None) -> Verdict:
    """After the drill the PLA said every missile hit its target."""
    ask = _ask("C12", data_dir)
    recs = _records("C12", data_dir)
    of_kind = recs[recs["kind"] == ask.kind]
    results = [diplomacy.match_term(of_kind, t, ask.countries) for t in ask.terms]
    others = recs[(recs["kind"] != ask.kind) & recs["key_type"].isin(
        [k for t in ask.terms for k in diplomacy.TERMS[t].key_types])]
    rule = (f"only '{ask.kind}' records (the claimed kind) by official {'/'.join(ask.countries)} actors "
            f"count; then " + TERMS_RULE)
    measured = "; ".join(_describe_term(r) for r in results)
    if len(others):
        measured += f"; other kinds of record, for comparison: {diplomacy.listing(others)}"
    ids = diplomacy.source_ids(*[r.agree for r in results], *[r.contrary for r in results], others)
    verdict = _terms_verdict(results)
    reasoning = ("the statement says what the claim reports" if verdict == SUPPORTED
                 else "see the term comparison")
    return Verdict("C12", verdict, measured, rule, reasoning, ids)


@check("C15")
def check_c15(data_dir=None) -> Verdict:
    """A 1960 agreement requires prior consultation."""
    ask = _ask("C15", data_dir)
    claimed = int(claimed_number("C15", data_dir))
    recs = diplomacy.by_countries(_records("C15", data_dir), ask.countries)
    results = {t: diplomacy.match_term(recs, t, ask.countries) for t in ask.terms}
    bearing = pd.concat([r.agree for r in results.values()]).drop_duplicates("event_id")
    rule = (f"supported if a '{ask.kind}' record (the claimed kind) by {'/'.join(ask.countries)}, dated "
            f"{claimed}, carries every claimed term; supported with caveats if year and terms match on a "
            f"record of another kind; differs if the records carrying the terms are of another year; not "
            f"testable if no record carries the terms")
    if bearing.empty or any(r.status != "matched" for r in results.values()):
        return Verdict("C15", NOT_TESTABLE, diplomacy.listing(recs, False), rule,
                       "no record carries the claimed terms", diplomacy.source_ids(recs))
    measured = "; ".join(_describe_term(r) for r in results.values())
    same_year = bearing[bearing["date"].map(diplomacy.year) == claimed]
    ids = diplomacy.source_ids(bearing)
    if same_year.empty:
        return Verdict("C15", DIFFERS, measured, rule, f"the records carrying the terms are not of {claimed}", ids)
    of_kind = same_year[same_year["kind"] == ask.kind]
    notes = "; ".join(n for n in same_year["note"] if isinstance(n, str))
    if len(of_kind):
        return Verdict("C15", SUPPORTED, measured, rule, f"a {claimed} {ask.kind} carries the terms", ids)
    # Name what the instrument is tied to: other records of the same day (the treaty signed with it).
    same_day = recs[recs["date"].isin(same_year["date"]) & ~recs["event_id"].isin(same_year["event_id"])]
    kinds = ", ".join(sorted(set(same_year["kind"].str.replace("_", " "))))
    tied = (f", alongside the {', '.join(sorted(set(same_day['kind'].str.replace('_', ' '))))} of the same "
            f"day" if len(same_day) else "")
    return Verdict("C15", CAVEATS, measured, rule,
                   f"the year matches, but the terms sit in an {kinds}{tied}, not in an {ask.kind} as such"
                   + (f"; record notes: {notes}" if notes else ""), diplomacy.source_ids(bearing, same_day))


@check("C16")
def check_c16(data_dir=None) -> Verdict:
    """Japan sells Taiwan no arms."""
    recs = diplomacy.up_to(_records("C16", data_dir), ARTICLE_YEAR)
    share = recs[recs["key_type"] == "us_share_percent"]
    policies = recs[recs["kind"] == "policy"]
    extra = f"Japanese export policy records: {diplomacy.listing(policies, False)}"
    note = ""
    if len(share):
        pct = int(share["key_value"].astype(int).max())
        extra += f"; US share of Taiwan's major-arms imports: {pct}% ({diplomacy.listing(share, False)})"
        note = (f"the US share leaves {100 - pct}% to suppliers the record does not name, so it does not by "
                f"itself rule Japan out")
    return _terms_check("C16", data_dir, extra_measured=extra, note=note)


@check("C17")
def check_c17(data_dir=None) -> Verdict:
    """No recognition of the ROC government since 1972."""
    ask = _ask("C17", data_dir)
    claimed = int(claimed_number("C17", data_dir))
    events = datasets.load_events(data_dir)
    recs = diplomacy.by_countries(diplomacy.records(events, "C17"), ask.countries)
    variants = diplomacy.superseded(events, "C17")
    dated = recs[recs["date"].notna()]
    rule = (f"supported if every dated record of the claim by a {'/'.join(ask.countries)} actor falls in "
            f"{claimed} (variants flagged as superseded set aside); supported with caveats if only some "
            f"do; differs if none does")
    if dated.empty:
        return Verdict("C17", NOT_TESTABLE, "", rule, "no dated record", [])
    in_year = dated["date"].map(diplomacy.year) == claimed
    measured = diplomacy.listing(dated, with_value=False)
    reasoning = f"{int(in_year.sum())} of {len(dated)} records fall in {claimed}"
    if len(variants):
        reasoning += f"; set aside as superseded: {diplomacy.listing(variants, False)}"
    verdict = SUPPORTED if in_year.all() else CAVEATS if in_year.any() else DIFFERS
    return Verdict("C17", verdict, measured, rule, reasoning, diplomacy.source_ids(dated))


@check("C18")
def check_c18(data_dir=None) -> Verdict:
    """Japan's official line: non-governmental, working-level ties."""
    recs = _records("C18", data_dir)
    channel = recs[recs["key_type"].isin(["channel_status", "new_name", "channel"])]
    return _terms_check("C18", data_dir, extra_measured=f"the channel: {diplomacy.listing(channel)}")


@check("C19")
def check_c19(data_dir=None) -> Verdict:
    """On 4 June 2022 Japan decided to post an active-duty officer as attaché in Taipei."""
    ask = _ask("C19", data_dir)
    recs = _records("C19", data_dir)
    (term,) = ask.terms
    term_text = diplomacy.readable(term)
    decisions = diplomacy.by_countries(recs[(recs["kind"] == ask.kind) & (recs["actor_type"] == "government")],
                                       ask.countries)
    plans = recs[(recs["kind"] == "report_of_plan") & (recs["key_type"] == diplomacy.PLAN_KEY)]
    framing = recs[recs["key_type"].isin(diplomacy.FRAMING_KEYS)]
    outcome = recs[recs["kind"].isin(["postponement", "posting"])
                   | (recs["key_type"] == "serving_sdf_officer_posted")]
    rule = (f"a '{ask.kind}' is a government's own record; a report that a plan exists is not one. Supported "
            f"if a {'/'.join(ask.countries)} government {ask.kind} dated {ask.value} names a {term_text}; "
            f"supported with caveats if it names one on another date, or if there is no {ask.kind} but "
            f"reports of a plan name a {term_text}; differs if the {ask.kind}, or failing one the reported "
            f"plans, name someone else; headlines and commentators' framing are shown but not counted")
    measured = (f"{ask.kind}s on record: {diplomacy.listing(decisions)}; reports of a plan: "
                f"{diplomacy.listing(plans)}; framing: {diplomacy.listing(framing)}; what followed: "
                f"{diplomacy.listing(outcome)}")
    ids = diplomacy.source_ids(decisions, plans, framing, outcome)
    if len(decisions):
        names = set(decisions["key_value"])
        on_date = (decisions["date"] == ask.value).any()
        if names == {term}:
            return Verdict("C19", SUPPORTED if on_date else CAVEATS, measured, rule,
                           f"the {ask.kind} names a {term_text}"
                           + ("" if on_date else f", but not on {ask.value}"), ids)
        return Verdict("C19", DIFFERS, measured, rule,
                       f"the {ask.kind} names {', '.join(sorted(diplomacy.readable(v) for v in names))}", ids)
    if plans.empty:
        return Verdict("C19", NOT_TESTABLE, measured, rule, f"neither a {ask.kind} nor a reported plan", ids)
    names = set(plans["key_value"])
    dates = sorted(set(plans["date"].dropna()))
    where = (f"{ask.value} is the date of {int((plans['date'] == ask.value).sum())} reports of a plan, not of "
             f"a {ask.kind}" if ask.value in dates else f"the reports of a plan are dated {', '.join(dates)}")
    if term in names:
        return Verdict("C19", CAVEATS, measured, rule,
                       f"no {ask.kind} on record; {where}; the reported plan names a {term_text}", ids)
    named = ", ".join(sorted(diplomacy.readable(v) for v in names))
    return Verdict("C19", DIFFERS, measured, rule,
                   f"no {ask.kind} on record; {where}; every reported plan names a {named}, not a {term_text}",
                   ids)


@check("C20")
def check_c20(data_dir=None) -> Verdict:
    """Before that decision, Japan's defence representatives in Taipei were all retired officers."""
    ask = _ask("C20", data_dir)
    (term,) = ask.terms
    term_text = diplomacy.readable(term)
    cutoff = _ask("C19", data_dir).value  # "that decision": the date C19 claims
    recs = _records("C20", data_dir)
    holders = recs[(recs["key_type"] == diplomacy.POSTED_KEY) & (recs["date_first"] < pd.Timestamp(cutoff))]
    created = recs[recs["kind"] == "establishment"]
    rule = (f"every record of who held the post before {cutoff} (the date C19 claims) must name a "
            f"{term_text}: supported if so; supported with caveats if so but the records date the post's "
            f"creation, so the claim covers only the years since; differs if any holder was of another kind; "
            f"not testable without holder records")
    measured = f"holders before {cutoff}: {diplomacy.listing(holders)}; post created: {diplomacy.listing(created, False)}"
    ids = diplomacy.source_ids(holders, created)
    if holders.empty:
        return Verdict("C20", NOT_TESTABLE, measured, rule, "no record of a holder", ids)
    others = holders[holders["key_value"] != term]
    if len(others):
        return Verdict("C20", DIFFERS, measured, rule,
                       f"holders of another kind: {diplomacy.listing(others)}", ids)
    if len(created):
        since = min(diplomacy.year(d) for d in created["date"])
        return Verdict("C20", CAVEATS, measured, rule,
                       f"true of every recorded holder, but the post dates from {since}: before then there "
                       f"was no defence representative to be retired or serving", ids)
    return Verdict("C20", SUPPORTED, measured, rule, f"every recorded holder was a {term_text}", ids)


def _study_check(claim_id: str, data_dir=None) -> Verdict:
    """C26/C27: the GTI study. Compare the claimed month and kind, then the recommendations (terms)."""
    ask = _ask(claim_id, data_dir)
    recs = _records(claim_id, data_dir)
    reports = recs[recs["kind"] == "report"]
    results = [diplomacy.match_term(recs, t) for t in ask.terms]
    partial = diplomacy.where(reports, reports["flag"].map(lambda f: "partial_copy" in diplomacy.split(f)))
    rule = ("the claim's month and kind (where given) are compared with the study's record, and each claimed "
            "recommendation (a term) with the records of the study's recommendations: supported if all "
            "match; differs if any contradicts; supported with caveats if month and kind, or some "
            "recommendations, match but a recommendation is not on record; not testable if only unrecorded "
            "recommendations are claimed")
    parts, ok = [], True
    if ask.value:
        dates = set(reports["date"].dropna())
        ok &= ask.value in dates
        parts.append(f"study dated {', '.join(sorted(dates)) or 'nothing on record'} (claimed {ask.value})")
    if ask.kind:
        ok &= (recs["kind"] == ask.kind).any()
    parts += [_describe_term(r) for r in results]
    measured = "; ".join(parts)
    why_missing = (f"only part of the study was read ({diplomacy.listing(partial, False)}; "
                   + "; ".join(n for n in partial["note"] if isinstance(n, str)) + ")"
                   if len(partial) else "no record of its recommendations")
    ids = diplomacy.source_ids(reports, *[r.agree for r in results], *[r.contrary for r in results])
    statuses = {r.status for r in results}
    if "contrary" in statuses or not ok:
        return Verdict(claim_id, DIFFERS, measured, rule, "the records contradict part of the claim", ids)
    if statuses <= {"matched"}:
        return Verdict(claim_id, SUPPORTED, measured, rule, "month, kind and recommendations match", ids)
    if ask.value or ask.kind or "matched" in statuses:
        checked = "the study's month and kind match" if (ask.value or ask.kind) else "some recommendations match"
        return Verdict(claim_id, CAVEATS, measured, rule,
                       f"{checked}; other recommendations are unchecked: {why_missing}", ids)
    return Verdict(claim_id, NOT_TESTABLE, measured, rule,
                   f"the claim is about the study's recommendations, which are not on record: {why_missing}", ids)


@check("C26")
def check_c26(data_dir=None) -> Verdict:
    """A GTI study of October 2020 urged a wider US-Taiwan emergency-management exchange."""
    return _study_check("C26", data_dir)


@check("C27")
def check_c27(data_dir=None) -> Verdict:
    """The same study proposes GCTF for disaster coordination and site visits."""
    return _study_check("C27", data_dir)


# ---------------------------------------------------------------------------------------------
# The ledger as a table and its export (notebook 05)
# ---------------------------------------------------------------------------------------------

VERDICT_ORDER = [SUPPORTED, CAVEATS, DIFFERS, NOT_TESTABLE, NOT_TESTED]
CATEGORY_LABELS = {"context": "Context", "law_diplomacy": "Law and diplomacy", "gctf": "GCTF",
                   "geography": "Geography", "missiles": "Missiles", "troops": "Troops", "bases": "Bases"}
LEDGER_COLUMNS = ["claim_id", "category", "claim", "claimed", "verdict", "measured", "rule", "reasoning",
                  "sources", "notebook"]
ARTICLE_SOURCE = "troops-S00"  # the article itself: cited by every claim, evidence for none


def _claimed_text(row) -> str:
    """The claim's value with its unit ('5 years', 'about 54,000 persons'), or its terms if it has none."""
    value, unit = row["claimed_value"], row["claimed_unit"]
    if isinstance(value, str):
        if unit in {"year", "month", "date"}:  # a point in time, shown as written
            text = value
        else:
            try:
                text = fmt(float(value.replace(",", "")))
            except ValueError:
                text = value
            text += f" {unit}" if isinstance(unit, str) else ""
        if row["claimed_qualifier"] == "about":
            text = "about " + text
        return text
    terms = diplomacy.split(row["claimed_terms"])
    return "; ".join(diplomacy.readable(t) for t in terms) if terms else ""


def ledger_table(data_dir=None) -> pd.DataFrame:
    """Every claim in register order with its verdict, ready to read or export (LEDGER_COLUMNS).

    `sources` are the IDs the check used; for a claim without a check, the register's evidence IDs.
    """
    reg = article_claims(data_dir)
    led = ledger(data_dir).set_index("claim_id")
    rows = []
    for _, c in reg.iterrows():
        v = led.loc[c["claim_id"]]
        sources = v["source_ids"] or ";".join(s for s in diplomacy.split(c["source_id"]) if s != ARTICLE_SOURCE)
        reasoning = v["reasoning"]
        if v["verdict"] == NOT_TESTED:
            reasoning += f"; the claim belongs to notebook {c['notebook']}"
        rows.append({"claim_id": c["claim_id"], "category": c["category"], "claim": c["claim"],
                     "claimed": _claimed_text(c), "verdict": v["verdict"], "measured": v["measured"],
                     "rule": v["rule"], "reasoning": reasoning, "sources": sources.replace(";", "; "),
                     "notebook": c["notebook"]})
    return pd.DataFrame(rows, columns=LEDGER_COLUMNS)


def categories(table: pd.DataFrame) -> list[str]:
    """Categories in the order they first appear in the register."""
    return list(dict.fromkeys(table["category"]))


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict, every verdict listed (zero included), in VERDICT_ORDER."""
    rows = [{"verdict": v, "claims": int((table["verdict"] == v).sum()),
             "claim_ids": ", ".join(table.loc[table["verdict"] == v, "claim_id"])} for v in VERDICT_ORDER]
    return pd.DataFrame(rows)


def _md_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def ledger_markdown(table: pd.DataFrame) -> str:
    """The ledger as a Markdown document: counts, an overview table, then each claim by category."""
    counts = verdict_counts(table)
    out = ["# Claims ledger", "",
           "Every checkable claim of *Why Japan Needs to Talk to Taiwan* (FPRI, 2022) with the verdict computed "
           "from the committed data by `japan_taiwan_evidence.claims`. Generated by notebook "
           "`05_claims_ledger.ipynb`; do not edit by hand. Source IDs resolve in `data/sources.csv`.", "",
           "| verdict | claims | IDs |", "|---|---:|---|"]
    out += [f"| {r.verdict} | {r.claims} | {r.claim_ids} |" for r in counts.itertuples()]
    out += ["", "| ID | category | claim | verdict |", "|---|---|---|---|"]
    out += [f"| {r.claim_id} | {CATEGORY_LABELS.get(r.category, r.category)} | {_md_cell(r.claim)} | {r.verdict} |"
            for r in table.itertuples()]
    for cat in categories(table):
        out += ["", f"## {CATEGORY_LABELS.get(cat, cat)}"]
        for r in table[table["category"] == cat].itertuples():
            out += ["", f"### {r.claim_id}: {r.verdict}", "", f"{r.claim}", ""]
            for name, value in (("Claimed", r.claimed), ("Measured", r.measured), ("Rule", r.rule),
                                ("Reasoning", r.reasoning), ("Sources", r.sources),
                                ("Notebook", f"`{r.notebook}.ipynb`")):
                out.append(f"- **{name}:** {_md_cell(value) if value else '–'}")
    return "\n".join(out) + "\n"


def export_ledger(figures_dir=None, data_dir=None, table: pd.DataFrame | None = None) -> list[str]:
    """Write figures/05_claims_ledger.csv and .md (UTF-8, '\\n' line endings, no timestamps)."""
    import csv
    from pathlib import Path

    from . import paths
    out_dir = Path(figures_dir) if figures_dir is not None else paths.FIGURES
    out_dir.mkdir(parents=True, exist_ok=True)
    table = ledger_table(data_dir) if table is None else table
    csv_path, md_path = out_dir / "05_claims_ledger.csv", out_dir / "05_claims_ledger.md"
    with open(csv_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(LEDGER_COLUMNS)
        w.writerows(table[LEDGER_COLUMNS].itertuples(index=False))
    md_path.write_text(ledger_markdown(table), encoding="utf-8", newline="\n")
    written = [f"figures/{csv_path.name}", f"figures/{md_path.name}"]
    print("exported " + ", ".join(written))
    return written


# ---------------------------------------------------------------------------------------------
# Missiles and geography (notebook 03)
# ---------------------------------------------------------------------------------------------
# C08-C11 measure the committed geometry: the offline basemap, the closure zones, the places and
# Japan's EEZ as constructed by geo.japan_claimed_eez (missiles.py). C12 (the PLA's statement that
# every missile hit its target) is checked from the diplomacy records in the section above.

import re as _re  # noqa: E402

from . import missiles as _missiles  # noqa: E402  (imported with its section)
from . import reach as _reach  # noqa: E402

# The detailed basemap's coast vertices are 1.2-1.5 km apart (data/basemap/README.md): a rock nearer
# than this to an island's drawn coast is part of that coast at the basemap's resolution.
COAST_RESOLUTION_KM = 1.5
# "111 km" is a whole-kilometre figure; ±1% (about ±1.1 km) allows for rounding and for where exactly
# on the cape or the harbour the measurement is taken.
DISTANCE_TOLERANCE = 0.01
# How a claimed label (data/claims.csv, claimed_terms) is looked for in the records' `what` paraphrase:
# (the label itself, a related wording that does not amount to it).
LABEL_PATTERNS = {
    "precision_missile_strikes": (r"precision[\s-]+missile[\s-]+strikes?", r"precision[\s-]+strike"),
}


def _short(name: str) -> str:
    """A place's name without its parenthesised gloss: 'Tuishi rock (Japan's ...)' -> 'Tuishi rock'."""
    return name.split(" (")[0]


@check("C08")
def check_c08(data_dir=None) -> Verdict:
    """Yonaguni is Japan's westernmost island: the westernmost Japanese land in the basemap."""
    (iso,) = datasets.split_ids(claim("C08", data_dir)["claimed_countries"])
    west = _missiles.westernmost_land(data_dir, iso)
    detail = west[west["basemap"] == "detail"].iloc[0]
    beyond = _missiles.places_west_of(min(west["lon"]), data_dir, iso)
    island = detail["island"].split(" (")[0]
    rule = (f"the westernmost point of all {iso} land is found in each basemap file (detailed and overview); "
            f"supported if it lies on the {island} polygon in both and every {iso} place in data/places.csv "
            f"farther west lies within {COAST_RESOLUTION_KM:g} km (the basemap's coast resolution) of that "
            f"polygon; supported with caveats if such a place lies farther off; differs if the westernmost "
            f"land is another island")
    measured = "; ".join(f"{r.basemap} basemap: {r.lon:.5f}°E {r.lat:.5f}°N, "
                         + (f"on {island}" if r.on_island else f"{r.off_island_km:.1f} km off {island}")
                         for r in west.itertuples())
    if len(beyond):
        measured += "; farther west in places.csv: " + "; ".join(
            f"{_short(r.name)} ({r.lon:.5f}°E), {r.west_of_basemap_km * 1000:.0f} m west of the basemap's point, "
            f"{r.off_island_km * 1000:.0f} m off the drawn coast" for r in beyond.itertuples())
    ids = _ids(_missiles.BASEMAP_SOURCES, datasets.load_places(data_dir).loc["yonaguni", "source_id"],
                   beyond["source_id"])
    if not west["on_island"].all():
        bad = west[~west["on_island"]]
        return Verdict("C08", DIFFERS, measured, rule,
                       f"the westernmost {iso} land in the {', '.join(bad['basemap'])} basemap is not {island}", ids)
    far = beyond[beyond["off_island_km"] > COAST_RESOLUTION_KM]
    if len(far):
        return Verdict("C08", CAVEATS, measured, rule,
                       f"{', '.join(far['name'])} lie(s) west of {island} and more than "
                       f"{COAST_RESOLUTION_KM:g} km off it: land the basemap may not resolve", ids)
    reasoning = f"the westernmost {iso} land in both basemaps is on {island}"
    if len(beyond):
        reasoning += (f"; the places farther west lie within the basemap's {COAST_RESOLUTION_KM:g} km coast "
                      "resolution of it (" + "; ".join(f"{_short(r.name)}, {r.off_island_km * 1000:.0f} m off the "
                                                      "drawn coast" for r in beyond.itertuples())
                      + "), so no other island lies farther west")
        rocks = beyond[beyond["kind"] == "rock"]
        if len(rocks):
            reasoning += (f"; the country's westernmost point itself is a rock off {island} "
                          f"({', '.join(map(_short, rocks['name']))}), which the basemap does not resolve")
    return Verdict("C08", SUPPORTED, measured, rule, reasoning, ids)


@check("C09")
def check_c09(data_dir=None) -> Verdict:
    """Yonaguni is 111 km from Taiwan's east coast: reach.yonaguni_taiwan(), the one set of distances."""
    claimed = claimed_number("C09", data_dir)
    dist = _reach.yonaguni_taiwan(data_dir)
    cape_name = datasets.load_places(data_dir).loc["yonaguni_irizaki", "name"]
    cape = dist[(dist["measure"] == "west cape to Su'ao") & (dist["from"] == cape_name)].iloc[0]
    near = dist[dist["measure"].isin(["nearest land to land", "nearest coast to coast"])]
    shortest = near.loc[near["distance_km"].idxmin()]
    rule = (f"supported if both the point-to-point distance from Yonaguni's west cape to Wuwei Harbor (Su'ao) "
            f"and the nearest land-to-land distance are within ±{DISTANCE_TOLERANCE:.0%} of the claimed "
            f"{fmt(claimed)} km; supported with caveats if only one is (the claim holds for one definition); "
            f"differs if neither is. Geodesic distances on WGS84 from reach.yonaguni_taiwan()")
    measured = "; ".join(f"{r['measure']}, {r['from']} to {r['to']}: {r['distance_km']:.1f} km"
                         for r in dist.to_dict("records"))
    cape_ok = within(cape["distance_km"], claimed, DISTANCE_TOLERANCE)
    near_ok = within(shortest["distance_km"], claimed, DISTANCE_TOLERANCE)
    ids = _ids(dist["source_id"])
    gap = (shortest["distance_km"] - claimed) / claimed
    if cape_ok and near_ok:
        return Verdict("C09", SUPPORTED, measured, rule, "both definitions give the claimed distance", ids)
    if cape_ok:
        return Verdict("C09", CAVEATS, measured, rule,
                       f"{fmt(claimed)} km is the west-cape-to-Su'ao distance ({cape['distance_km']:.1f} km); "
                       f"the nearest land-to-land distance ({shortest['from']} to {shortest['to']}) is "
                       f"{shortest['distance_km']:.1f} km, {abs(gap):.1%} {'less' if gap < 0 else 'more'}", ids)
    if near_ok:
        return Verdict("C09", CAVEATS, measured, rule,
                       f"only the nearest land-to-land distance ({shortest['distance_km']:.1f} km) matches", ids)
    return Verdict("C09", DIFFERS, measured, rule,
                   f"west cape to Su'ao {cape['distance_km']:.1f} km, nearest land {shortest['distance_km']:.1f} km", ids)


@check("C10")
def check_c10(data_dir=None) -> Verdict:
    """On 4 August 2022 the PLA fired missiles near Taiwan and called them 'precision missile strikes'."""
    c = claim("C10", data_dir)
    claimed_date = str(c["claimed_value"])
    countries = datasets.split_ids(c["claimed_countries"])
    launches = datasets.load_launches(data_dir)
    zones = datasets.load_zones(data_dir)
    local_dates = launches["launch_time"].str[:10]  # the date where each ministry reported it (JST / UTC+8)
    on_date = local_dates == claimed_date
    window = zones.groupby("zone_id")["window_start"].first().str[:10]
    recs = diplomacy.official(_records("C10", data_dir), countries)
    checks = []
    for term in datasets.split_ids(c["claimed_terms"]):
        exact, related = LABEL_PATTERNS[term]
        hit = recs[recs["what"].str.contains(exact, flags=_re.IGNORECASE, regex=True)]
        near = recs[recs["what"].str.contains(related, flags=_re.IGNORECASE, regex=True)]
        checks.append((term, hit, near))
    rule = ("the launches are dated from data/missiles_2022/launches.csv (each ministry's local date) and the label "
            f"is looked for in official {'/'.join(countries)} records of the claim in data/diplomacy/events.csv: "
            "supported if every recorded launch falls on the claimed date and a record uses the claimed label; "
            "supported with caveats if the launches match but the records use only related wording or none; "
            "differs if a launch falls on another date or none is recorded")
    by_reporter = launches.assign(date=local_dates).groupby("reported_by").agg(
        missiles=("missile_count", "sum"), dates=("date", lambda s: ", ".join(sorted(set(s)))))
    measured = ("launches: " + "; ".join(f"{k}: {int(r.missiles)} missiles on {r.dates}" for k, r in by_reporter.iterrows())
                + f"; closure zones open from {', '.join(sorted(set(window)))}")
    for term, hit, near in checks:
        label = diplomacy.readable(term)
        measured += (f"; '{label}': used in {diplomacy.listing(hit, False)}" if len(hit) else
                     f"; '{label}': not used; related wording in {diplomacy.listing(near, False)}" if len(near) else
                     f"; '{label}': no record")
    ids = _ids(launches["source_id"], zones.loc[zones["zone_id"].isin(window.index), "source_id"],
                   *[h["source_id"] for _, h, _ in checks], *[n["source_id"] for _, _, n in checks])
    if launches.empty or not on_date.all():
        other = sorted(set(local_dates[~on_date]))
        return Verdict("C10", DIFFERS, measured, rule,
                       f"launches recorded on {', '.join(other) or 'no date'}, not only {claimed_date}", ids)
    if all(len(hit) for _, hit, _ in checks):
        return Verdict("C10", SUPPORTED, measured, rule, "the date and the label are both on record", ids)
    parts = []
    for term, hit, near in checks:
        if not len(hit):
            parts.append(f"no official record calls the firings '{diplomacy.readable(term)}'"
                         + (": the PLA's statement speaks of testing a precision-strike capability" if len(near) else ""))
    return Verdict("C10", CAVEATS, measured, rule,
                   f"all {int(launches['missile_count'][launches['reported_by'] == _missiles.MOD].sum())} MOD "
                   f"missiles and Taiwan's count fall on {claimed_date}; " + "; ".join(parts), ids)


@check("C11")
def check_c11(data_dir=None) -> Verdict:
    """Five missiles fell inside Japan's EEZ: MOD's own count, and the zones against the constructed EEZ."""
    claimed = int(claimed_number("C11", data_dir))
    launches = datasets.load_launches(data_dir)
    zones = datasets.load_zones(data_dir)
    shares = _missiles.zone_eez_shares(zones, _missiles.claimed_eez())
    table = _missiles.missile_table(launches, shares)
    n = _missiles.eez_counts(table)
    used = shares[shares["zone_id"].isin(set(table["zone_id"].dropna()))]
    rule = (f"two counts of Japan MOD's {n['total']} missiles: MOD's own statement per missile "
            f"(in_japan_eez_per_mod), and the missiles whose attributed zone has more than "
            f"{_missiles.INSIDE_SHARE:.0%} of its area inside Japan's EEZ as constructed here (200 nmi, median "
            f"line, from the basemap coast). Supported with caveats if MOD's count equals the claimed "
            f"{claimed} (the caveats: the EEZ is Japan's claim, disputed by the PRC and Taiwan, with no agreed "
            f"line; no impact point was published, so the geometry tests zones, not impacts), noting where the "
            f"geometric count disagrees; differs if MOD's count is not {claimed}")
    measured = (f"MOD: {n['per_mod']} of {n['total']} inside Japan's EEZ; by zone: {n['by_zone']} of {n['total']} "
                f"fell in zones mostly inside the constructed EEZ; zone shares inside: "
                + ", ".join(f"{r.zone_id} {r.share_in_eez:.0%}" for r in used.itertuples()))
    ids = _ids(table["source_id"], zones.loc[zones["zone_id"].isin(used["zone_id"]), "source_id"],
                   _missiles.BASEMAP_SOURCES, _missiles.EEZ_CAVEAT_SOURCES)
    caveat = ("the EEZ is Japan's claim (median line, no agreed boundary) and the PRC rejects it; no impact "
              "coordinates were published, so only the zones can be tested")
    if n["per_mod"] != claimed:
        return Verdict("C11", DIFFERS, measured, rule,
                       f"MOD's data count {n['per_mod']} missiles inside Japan's EEZ, not {claimed}", ids)
    parts = [f"MOD's count is {claimed}"]
    if n["by_zone"] == claimed and not n["disagree"]:
        parts.append("the constructed EEZ agrees missile by missile")
    else:
        parts.append(f"the constructed EEZ gives {n['by_zone']}"
                     + (f"; it disagrees with MOD on {', '.join(n['disagree'])}" if n["disagree"] else ""))
    if n["no_zone"]:
        parts.append(f"no zone for {', '.join(n['no_zone'])}")
    return Verdict("C11", CAVEATS, measured, rule, "; ".join(parts) + "; " + caveat, ids)
