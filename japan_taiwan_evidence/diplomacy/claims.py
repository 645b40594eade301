"""Claim checks from the diplomacy records: C01-C05, C12, C15-C20, C26, C27."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..verdicts import (  # noqa: F401
    ARTICLE_YEAR, CAVEATS, DIFFERS, NOT_TESTABLE, NOT_TESTED, SUPPORTED, Verdict, check, claim, claimed_number, fmt,
    within,
)
from ..verdicts import ids as _ids  # noqa: F401
from . import analysis, tables
from ..validate import split_ids  # noqa: F401


# These checks compare what a claim asserts (data/claims.csv: claimed_value, claimed_kind,
# claimed_terms, claimed_countries) with the dated records in data/diplomacy/events.csv. Each rule is
# stated in the check; the records, not the dossier's assessment, decide the verdict.


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
                analysis.split(c["claimed_terms"]), analysis.split(c["claimed_countries"]))


def records_for(claim_id: str, data_dir=None):
    return analysis.records(tables.load_events(data_dir), claim_id)


def _describe_term(r: analysis.TermResult) -> str:
    text = {
        "matched": lambda: f"borne out by {analysis.listing(r.agree)}",
        "stated_negative": lambda: f"stated by {analysis.listing(r.agree)}",
        "no_contrary": lambda: "no record either way",
        "contrary": lambda: f"contradicted by {analysis.listing(r.contrary)}",
        "mixed": lambda: (f"borne out by {analysis.listing(r.agree)}; contradicted by "
                          f"{analysis.listing(r.contrary)}"),
        "no_record": lambda: "no record",
    }[r.status]()
    return f"{r.label}: {text}"


TERMS_RULE = ("each claimed term is compared with the records by its rule in diplomacy.TERMS: supported if "
              "every term is borne out (an absence term only by an official record stating the negative); "
              "differs if a record contradicts a term; supported with caveats if a term rests on the "
              "absence of contrary records or the records disagree among themselves; not testable if no "
              "record bears on any term")


def _terms_verdict(results: list[analysis.TermResult]) -> str:
    statuses = {r.status for r in results}
    if "contrary" in statuses:
        return DIFFERS
    if statuses == {"no_record"}:
        return NOT_TESTABLE
    if statuses <= {"matched", "stated_negative"}:
        return SUPPORTED
    return CAVEATS


def _term_reason(r: analysis.TermResult) -> str:
    """One clause of a verdict's reasoning for one term, from the same result the verdict is built on."""
    return {
        "matched": lambda: f"'{r.label}' is on record ({analysis.listing(r.agree, False)})",
        "stated_negative": lambda: f"'{r.label}' is stated by {analysis.listing(r.agree)}",
        "no_contrary": lambda: (f"'{r.label}' asserts an absence: no record, official or not, shows the "
                                f"contrary, and no official record states it"),
        "no_record": lambda: f"'{r.label}': nothing in the records bears on it",
        "contrary": lambda: f"'{r.label}' is contradicted by {analysis.listing(r.contrary)}",
        "mixed": lambda: (f"'{r.label}' is borne out by {analysis.listing(r.agree, False)} but contradicted by "
                          f"{analysis.listing(r.contrary)}"),
    }[r.status]()


# Reasons that decide a verdict come first: a contradiction, then a disagreement, then what rests on absence.
_REASON_ORDER = {"contrary": 0, "mixed": 1, "no_contrary": 2, "no_record": 3, "stated_negative": 4, "matched": 5}


def terms_reasoning(results: list[analysis.TermResult], note: str = "") -> str:
    """The reasoning of a terms verdict: every term's clause, deciding ones first, then the check's note."""
    clauses = [_term_reason(r) for r in sorted(results, key=lambda r: _REASON_ORDER[r.status])]
    return "; ".join(clauses + ([note] if note else []))


def _terms_check(claim_id: str, data_dir=None, extra_measured: str = "", note: str = "") -> Verdict:
    """A claim made only of terms (C03, C05, C16, C18): compare each term, combine by TERMS_RULE."""
    ask = _ask(claim_id, data_dir)
    recs = analysis.up_to(records_for(claim_id, data_dir), ARTICLE_YEAR)
    results = [analysis.match_term(recs, t, ask.countries) for t in ask.terms]
    verdict = _terms_verdict(results)
    measured = "; ".join(_describe_term(r) for r in results)
    if extra_measured:
        measured += "; " + extra_measured
    rule = TERMS_RULE + f"; records dated up to {ARTICLE_YEAR}, the article's year"
    # An absence is established by the records searched, so all the claim's records are its sources.
    ids = analysis.source_ids(recs)
    return Verdict(claim_id, verdict, measured, rule, terms_reasoning(results, note), ids)


@check("C01")
def check_c01(data_dir=None) -> Verdict:
    """Xi expected to get one more five-year term at the 20th Congress."""
    ask = _ask("C01", data_dir)
    recs = records_for("C01", data_dir)
    claimed = int(claimed_number("C01", data_dir))
    elections = analysis.by_countries(recs[recs["kind"] == ask.kind], ask.countries)
    elections = elections[elections["key_type"] == "gs_term_number"]
    lengths = recs[recs["key_type"] == "term_length_years"]
    expected = recs[(recs["kind"] != ask.kind) & (recs["key_type"] == "gs_term_number")]
    rule = (f"supported if a '{ask.kind}' record by a {'/'.join(ask.countries)} actor shows a further term "
            f"(term number 2 or more) and every record of the term's length gives the claimed {claimed} "
            f"{ask.unit}; differs if a length differs or no further term was given; supported with "
            f"caveats if the length is not recorded; not testable without an election record")
    if elections.empty:
        return Verdict("C01", NOT_TESTABLE, "", rule, f"no '{ask.kind}' record", analysis.source_ids(recs))
    numbers = elections["key_value"].astype(int)
    length_values = lengths["key_value"].astype(int)
    measured = (f"term number: {analysis.listing(elections)}; term length in years: "
                f"{analysis.listing(lengths)}; before the Congress: {analysis.listing(expected)}")
    ids = analysis.source_ids(elections, lengths, expected)
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
    recs = records_for("C02", data_dir)
    claimed = ask.value
    off = analysis.official(recs, ask.countries)
    stated = off[off["key_type"] == "reunification_target_year"]
    years = stated[stated["key_value"].str.fullmatch(r"\d{4}")]
    horizon = off[off["key_type"] == "rejuvenation_horizon"]
    readings = recs[~recs["actor_type"].isin(analysis.OFFICIAL_ACTORS)
                    & recs["key_type"].isin(["rejuvenation_target_year", "reunification_year_expected"])]
    rule = (f"supported if an official {'/'.join(ask.countries)} record names {claimed} as the year of "
            f"reunification; differs if one names another year; supported with caveats if the official "
            f"records name no year and only analysts' readings give {claimed}; not testable otherwise")
    measured = (f"official reunification year: {analysis.listing(stated)}; official rejuvenation horizon: "
                f"{analysis.listing(horizon)}; analysts: {analysis.listing(readings)}")
    ids = analysis.source_ids(stated, horizon, readings)
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
    recs = analysis.official(records_for("C03", data_dir), _ask("C03", data_dir).countries)
    statements = recs[~recs["event_id"].isin(analysis.tagged(recs, "foip_commitment")["event_id"])]
    return _terms_check("C03", data_dir,
                        extra_measured=f"other official Japanese records searched: {analysis.listing(statements, False)}")


@check("C04")
def check_c04(data_dir=None) -> Verdict:
    """The Taiwan Relations Act of 1979."""
    ask = _ask("C04", data_dir)
    recs = records_for("C04", data_dir)
    acts = analysis.by_countries(recs[recs["kind"] == ask.kind], ask.countries)
    claimed = int(claimed_number("C04", data_dir))
    rule = (f"supported if every '{ask.kind}' record by a {'/'.join(ask.countries)} actor is dated in "
            f"{claimed}; supported with caveats if only some are; differs if none is; not testable "
            f"without such a record")
    if acts.empty:
        return Verdict("C04", NOT_TESTABLE, "", rule, f"no '{ask.kind}' record", analysis.source_ids(recs))
    measured = analysis.listing(acts, with_value=False)
    in_year = acts["date"].map(analysis.year) == claimed
    verdict = SUPPORTED if in_year.all() else CAVEATS if in_year.any() else DIFFERS
    reasoning = f"{int(in_year.sum())} of {len(acts)} records of the act are dated {claimed}"
    return Verdict("C04", verdict, measured, rule, reasoning, analysis.source_ids(acts))


@check("C05")
def check_c05(data_dir=None) -> Verdict:
    """No Japanese TRA; no legal basis for military cooperation."""
    recs = analysis.up_to(records_for("C05", data_dir), ARTICLE_YEAR)
    related = recs[recs["key_type"] == "formal_military_exchanges"]
    note = ""
    if len(related):
        opinion = related["flag"].map(lambda f: "opinion" in analysis.split(f))
        note = (f"related, not counted: {analysis.listing(related)}"
                + (" (an opinion piece, on exchanges rather than a legal basis)" if opinion.all() else ""))
    return _terms_check("C05", data_dir, note=note)


@check("C12")
def check_c12(data_dir=None) -> Verdict:
    """After the drill the PLA said every missile hit its target."""
    ask = _ask("C12", data_dir)
    recs = records_for("C12", data_dir)
    of_kind = recs[recs["kind"] == ask.kind]
    results = [analysis.match_term(of_kind, t, ask.countries) for t in ask.terms]
    others = recs[(recs["kind"] != ask.kind) & recs["key_type"].isin(
        [k for t in ask.terms for k in analysis.TERMS[t].key_types])]
    rule = (f"only '{ask.kind}' records (the claimed kind) by official {'/'.join(ask.countries)} actors "
            f"count; then " + TERMS_RULE)
    measured = "; ".join(_describe_term(r) for r in results)
    if len(others):
        measured += f"; other kinds of record, for comparison: {analysis.listing(others)}"
    ids = analysis.source_ids(*[r.agree for r in results], *[r.contrary for r in results], others)
    return Verdict("C12", _terms_verdict(results), measured, rule, terms_reasoning(results), ids)


@check("C15")
def check_c15(data_dir=None) -> Verdict:
    """A 1960 agreement requires prior consultation."""
    ask = _ask("C15", data_dir)
    claimed = int(claimed_number("C15", data_dir))
    recs = analysis.by_countries(records_for("C15", data_dir), ask.countries)
    results = {t: analysis.match_term(recs, t, ask.countries) for t in ask.terms}
    bearing = pd.concat([r.agree for r in results.values()]).drop_duplicates("event_id")
    rule = (f"supported if a '{ask.kind}' record (the claimed kind) by {'/'.join(ask.countries)}, dated "
            f"{claimed}, carries every claimed term; supported with caveats if year and terms match on a "
            f"record of another kind; differs if the records carrying the terms are of another year; not "
            f"testable if no record carries the terms")
    if bearing.empty or any(r.status != "matched" for r in results.values()):
        return Verdict("C15", NOT_TESTABLE, analysis.listing(recs, False), rule,
                       "no record carries the claimed terms", analysis.source_ids(recs))
    measured = "; ".join(_describe_term(r) for r in results.values())
    same_year = bearing[bearing["date"].map(analysis.year) == claimed]
    ids = analysis.source_ids(bearing)
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
                   + (f"; record notes: {notes}" if notes else ""), analysis.source_ids(bearing, same_day))


@check("C16")
def check_c16(data_dir=None) -> Verdict:
    """Japan sells Taiwan no arms."""
    recs = analysis.up_to(records_for("C16", data_dir), ARTICLE_YEAR)
    share = recs[recs["key_type"] == "us_share_percent"]
    policies = recs[recs["kind"] == "policy"]
    extra = f"Japanese export policy records: {analysis.listing(policies, False)}"
    note = ""
    if len(share):
        pct = int(share["key_value"].astype(int).max())
        extra += f"; US share of Taiwan's major-arms imports: {pct}% ({analysis.listing(share, False)})"
        note = (f"the US share leaves {100 - pct}% to suppliers the record does not name, so it does not by "
                f"itself rule Japan out")
    return _terms_check("C16", data_dir, extra_measured=extra, note=note)


@check("C17")
def check_c17(data_dir=None) -> Verdict:
    """No recognition of the ROC government since 1972."""
    ask = _ask("C17", data_dir)
    claimed = int(claimed_number("C17", data_dir))
    events = tables.load_events(data_dir)
    recs = analysis.by_countries(analysis.records(events, "C17"), ask.countries)
    variants = analysis.superseded(events, "C17")
    dated = recs[recs["date"].notna()]
    rule = (f"supported if every dated record of the claim by a {'/'.join(ask.countries)} actor falls in "
            f"{claimed} (variants flagged as superseded set aside); supported with caveats if only some "
            f"do; differs if none does")
    if dated.empty:
        return Verdict("C17", NOT_TESTABLE, "", rule, "no dated record", [])
    in_year = dated["date"].map(analysis.year) == claimed
    measured = analysis.listing(dated, with_value=False)
    reasoning = f"{int(in_year.sum())} of {len(dated)} records fall in {claimed}"
    if len(variants):
        reasoning += f"; set aside as superseded: {analysis.listing(variants, False)}"
    verdict = SUPPORTED if in_year.all() else CAVEATS if in_year.any() else DIFFERS
    return Verdict("C17", verdict, measured, rule, reasoning, analysis.source_ids(dated))


@check("C18")
def check_c18(data_dir=None) -> Verdict:
    """Japan's official line: non-governmental, working-level ties."""
    recs = records_for("C18", data_dir)
    channel = recs[recs["key_type"].isin(["channel_status", "new_name", "channel"])]
    return _terms_check("C18", data_dir, extra_measured=f"the channel: {analysis.listing(channel)}")


@check("C19")
def check_c19(data_dir=None) -> Verdict:
    """On 4 June 2022 Japan decided to post an active-duty officer as attaché in Taipei."""
    ask = _ask("C19", data_dir)
    recs = records_for("C19", data_dir)
    (term,) = ask.terms
    term_text = analysis.readable(term)
    decisions = analysis.by_countries(recs[(recs["kind"] == ask.kind) & (recs["actor_type"] == "government")],
                                       ask.countries)
    plans = recs[(recs["kind"] == "report_of_plan") & (recs["key_type"] == analysis.PLAN_KEY)]
    framing = recs[recs["key_type"].isin(analysis.FRAMING_KEYS)]
    outcome = recs[recs["kind"].isin(["postponement", "posting"])
                   | (recs["key_type"] == "serving_sdf_officer_posted")]
    rule = (f"a '{ask.kind}' is a government's own record; a report that a plan exists is not one. Supported "
            f"if a {'/'.join(ask.countries)} government {ask.kind} dated {ask.value} names a {term_text}; "
            f"supported with caveats if it names one on another date, or if there is no {ask.kind} but "
            f"reports of a plan name a {term_text}; differs if the {ask.kind}, or failing one the reported "
            f"plans, name someone else; headlines and commentators' framing are shown but not counted")
    measured = (f"{ask.kind}s on record: {analysis.listing(decisions)}; reports of a plan: "
                f"{analysis.listing(plans)}; framing: {analysis.listing(framing)}; what followed: "
                f"{analysis.listing(outcome)}")
    ids = analysis.source_ids(decisions, plans, framing, outcome)
    if len(decisions):
        names = set(decisions["key_value"])
        on_date = (decisions["date"] == ask.value).any()
        if names == {term}:
            return Verdict("C19", SUPPORTED if on_date else CAVEATS, measured, rule,
                           f"the {ask.kind} names a {term_text}"
                           + ("" if on_date else f", but not on {ask.value}"), ids)
        return Verdict("C19", DIFFERS, measured, rule,
                       f"the {ask.kind} names {', '.join(sorted(analysis.readable(v) for v in names))}", ids)
    if plans.empty:
        return Verdict("C19", NOT_TESTABLE, measured, rule, f"neither a {ask.kind} nor a reported plan", ids)
    names = set(plans["key_value"])
    dates = sorted(set(plans["date"].dropna()))
    where = (f"{ask.value} is the date of {int((plans['date'] == ask.value).sum())} reports of a plan, not of "
             f"a {ask.kind}" if ask.value in dates else f"the reports of a plan are dated {', '.join(dates)}")
    if term in names:
        return Verdict("C19", CAVEATS, measured, rule,
                       f"no {ask.kind} on record; {where}; the reported plan names a {term_text}", ids)
    named = ", ".join(sorted(analysis.readable(v) for v in names))
    return Verdict("C19", DIFFERS, measured, rule,
                   f"no {ask.kind} on record; {where}; every reported plan names a {named}, not a {term_text}",
                   ids)


@check("C20")
def check_c20(data_dir=None) -> Verdict:
    """Before that decision, Japan's defence representatives in Taipei were all retired officers."""
    ask = _ask("C20", data_dir)
    (term,) = ask.terms
    term_text = analysis.readable(term)
    cutoff = _ask("C19", data_dir).value  # "that decision": the date C19 claims
    recs = records_for("C20", data_dir)
    holders = recs[(recs["key_type"] == analysis.POSTED_KEY) & (recs["date_first"] < pd.Timestamp(cutoff))]
    created = recs[recs["kind"] == "establishment"]
    rule = (f"every record of who held the post before {cutoff} (the date C19 claims) must name a "
            f"{term_text}: supported if so; supported with caveats if so but the records date the post's "
            f"creation, so the claim covers only the years since; differs if any holder was of another kind; "
            f"not testable without holder records")
    measured = f"holders before {cutoff}: {analysis.listing(holders)}; post created: {analysis.listing(created, False)}"
    ids = analysis.source_ids(holders, created)
    if holders.empty:
        return Verdict("C20", NOT_TESTABLE, measured, rule, "no record of a holder", ids)
    others = holders[holders["key_value"] != term]
    if len(others):
        return Verdict("C20", DIFFERS, measured, rule,
                       f"holders of another kind: {analysis.listing(others)}", ids)
    if len(created):
        since = min(analysis.year(d) for d in created["date"])
        return Verdict("C20", CAVEATS, measured, rule,
                       f"true of every recorded holder, but the post dates from {since}: before then there "
                       f"was no defence representative to be retired or serving", ids)
    return Verdict("C20", SUPPORTED, measured, rule, f"every recorded holder was a {term_text}", ids)


def _study_check(claim_id: str, data_dir=None) -> Verdict:
    """C26/C27: the GTI study. The substance is what it recommends (the claimed terms); its month and kind
    only identify it, so they can make the claim differ but never support it on their own."""
    ask = _ask(claim_id, data_dir)
    recs = records_for(claim_id, data_dir)
    reports = recs[recs["kind"] == "report"]
    results = [analysis.match_term(recs, t) for t in ask.terms]
    partial = analysis.where(reports, reports["flag"].map(lambda f: "partial_copy" in analysis.split(f)))
    rule = ("the claim's substance is what the study recommends: each claimed recommendation (a term) is compared "
            "with the records of the study's recommendations. Supported if every one is on record; differs if a "
            "record contradicts one, or if the study on record has another month or kind than the claim gives; "
            "supported with caveats if some are on record and the rest are unread; not testable with this data "
            "if none is on record (the month and kind then only identify the study, they do not test what it says)")
    parts, mismatch = [], []
    if ask.value:
        dates = set(reports["date"].dropna())
        if ask.value not in dates:
            mismatch.append(f"the study on record is dated {', '.join(sorted(dates)) or 'nowhere'}, not {ask.value}")
        parts.append(f"study dated {', '.join(sorted(dates)) or 'nothing on record'} (claimed {ask.value})")
    if ask.kind and not (recs["kind"] == ask.kind).any():
        mismatch.append(f"no record of the study is a {ask.kind}")
    parts += [_describe_term(r) for r in results]
    measured = "; ".join(parts)
    why_missing = (f"only part of the study was read ({analysis.listing(partial, False)}; "
                   + "; ".join(n for n in partial["note"] if isinstance(n, str)) + ")"
                   if len(partial) else "no record of its recommendations")
    ids = analysis.source_ids(reports, *[r.agree for r in results], *[r.contrary for r in results])
    statuses = {r.status for r in results}
    if mismatch or "contrary" in statuses:
        return Verdict(claim_id, DIFFERS, measured, rule, "; ".join(mismatch + [
            _term_reason(r) for r in results if r.status == "contrary"]), ids)
    if statuses <= {"matched"}:
        return Verdict(claim_id, SUPPORTED, measured, rule, terms_reasoning(results), ids)
    if "matched" in statuses:
        return Verdict(claim_id, CAVEATS, measured, rule,
                       f"{terms_reasoning(results)}; the rest is unchecked: {why_missing}", ids)
    about = ("the study is identified as claimed (month and kind), but the claim is about its recommendations"
             if (ask.value or ask.kind) else "the claim is about the study's recommendations")
    return Verdict(claim_id, NOT_TESTABLE, measured, rule, f"{about}, which are not on record: {why_missing}", ids)


@check("C26")
def check_c26(data_dir=None) -> Verdict:
    """A GTI study of October 2020 urged a wider US-Taiwan emergency-management exchange."""
    return _study_check("C26", data_dir)


@check("C27")
def check_c27(data_dir=None) -> Verdict:
    """The same study proposes GCTF for disaster coordination and site visits."""
    return _study_check("C27", data_dir)
