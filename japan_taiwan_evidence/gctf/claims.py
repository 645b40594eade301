"""Claim checks on the GCTF: C06, C07, C21, C23, C24, C25 (C22 not tested, with the reason)."""

from __future__ import annotations

import pandas as pd

from ..verdicts import (  # noqa: F401
    ARTICLE_YEAR, CAVEATS, DIFFERS, NOT_TESTABLE, NOT_TESTED, SUPPORTED, Verdict, check, claim, claimed_number, fmt,
    within,
)
from .. import params
from ..verdicts import ids as _ids  # noqa: F401
from ..validate import date_bounds  # noqa: F401
# Stated dependency: the article's date window comes from the diplomacy records.
from ..diplomacy.analysis import article_window, window_text
from . import analysis, tables
from ..validate import split_ids  # noqa: F401



def _claimed_iso3(claim_id: str, data_dir=None) -> list[str]:
    return sorted(split_ids(claim(claim_id, data_dir)["claimed_countries"]))


def _day(ts) -> str:
    return "still so at the latest record" if ts is None else f"{pd.Timestamp(ts):%Y-%m-%d}"


@check("C06")
def check_c06(data_dir=None) -> Verdict:
    """Four core members (TWN, USA, JPN, AUS): core membership through the article's date window."""
    claimed_n = int(claimed_number("C06", data_dir))
    claimed_set = _claimed_iso3("C06", data_dir)
    partners = tables.load_gctf_partners(data_dir)
    w = article_window(data_dir)
    steps = analysis.core_steps(partners)
    # Membership at the window's first day and at every change inside the window.
    checkpoints = [w["first"]] + [d for d in steps["date"] if w["first"] < d <= w["last"]]
    sets = {d: analysis.core_members_at(partners, d) for d in checkpoints}
    ok = [s == claimed_set and len(s) == claimed_n for s in sets.values()]
    periods = analysis.periods_with_n_core(partners, claimed_n)
    when = "; ".join(f"{a:%Y-%m-%d} to {_day(b)}" for a, b in periods) or "never"
    measured = (f"core members in the article's window ({window_text(w)}): "
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
    terms = split_ids(claim("C07", data_dir)["claimed_terms"])
    claimed_n = int(claimed_number("C07", data_dir))
    themes = tables.load_gctf_themes(data_dir)
    table = analysis.article_theme_map(themes, terms)
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
    partners = tables.load_gctf_partners(data_dir)
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
    claimed = split_ids(claim("C23", data_dir)["claimed_countries"])  # order as claimed
    partners = tables.load_gctf_partners(data_dir)
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


def c24_evidence(data_dir=None, rounding_margin=None) -> dict:
    """The bracketing of the claimed country count, and the article's window (for the notebook too).
    rounding_margin: how far a count may lie from an 'about'/'nearly' statement (fraction; None: default)."""
    claimed = claimed_number("C24", data_dir)
    cum = tables.load_gctf_cumulative(data_dir)
    unit = claim("C24", data_dir)["claimed_unit"]
    return {"claimed": claimed, "window": article_window(data_dir),
            "bracket": analysis.consistent_dates(cum, claimed, measure="countries", units=(unit,),
                                                 margin=rounding_margin)}


def _pct(x: float) -> str:
    return f"{x * 100:g}%"


@check("C24")
def check_c24(data_dir=None, rounding_margin=None) -> Verdict:
    """108 countries: no statement gives it; when would it fit between the statements around it?"""
    ev = c24_evidence(data_dir, rounding_margin)
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
    parts.append(f"article written {window_text(w)}")
    measured = "; ".join(parts)
    rule = (f"a cumulative count never falls, so {claimed:g} is possible only after the last statement whose highest "
            f"possible value is below it and before the first whose lowest possible value is above it (floors 'over N' "
            f"bound only from below; 'about'/'nearly' allow ±{_pct(b['margin'])}; official statements and "
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
def check_c25(data_dir=None, leading_themes=None) -> Verdict:
    """Disaster management (HADR) central to the GCTF's work: a standing official theme, and among the
    leading themes of the listed workshops.

    leading_themes: how many of the official categories, ranked by listed workshops, count as leading
    (None: the default of notebook 02's parameters).
    """
    top = int(params.default("leading_themes", "02_gctf_growth") if leading_themes is None else leading_themes)
    term = split_ids(claim("C25", data_dir)["claimed_terms"])[0]  # the article theme, "HADR"
    themes = tables.load_gctf_themes(data_dir)
    workshops = tables.load_gctf_workshops(data_dir)
    cats = sorted(set(themes.loc[themes["article_theme"] == term, "theme_category"]))
    lists = sorted(set(themes["official_list"]))
    in_lists = sorted(set(themes.loc[themes["theme_category"].isin(cats), "official_list"]))
    r = analysis.theme_rank(workshops, themes, cats)
    above = ", ".join(f"{c} {int(k)}" for c, k in r["counts"].items() if k > r["n"])
    years = sorted(set(workshops.loc[workshops["theme_official"].isin(cats), "year"]))
    measured = (f"{term} ({', '.join(cats) or 'no category'}) named in {len(in_lists)} of {len(lists)} official lists; "
                f"{r['n']} of {r['total']} listed workshops ({r['share']:.0%}), rank {r['rank']} of {r['of']} official "
                f"categories" + (f" (more workshops: {above})" if above else "")
                + f"; held in {len(years)} of {workshops['year'].nunique()} years ({', '.join(map(str, years))})")
    lead = "the leading official category" if top == 1 else f"the leading {top} official categories"
    rule = (f"supported if the theme is in every official list and its listed workshops rank it among {lead} "
            f"(ties share a rank); supported with caveats if only one of the two holds; differs if neither")
    standing, leading = len(in_lists) == len(lists), r["rank"] <= top
    verdict = SUPPORTED if standing and leading else (CAVEATS if standing or leading else DIFFERS)
    share = f"{r['n']} of {r['total']} listed workshops, {r['share']:.0%}; rank {r['rank']} of {r['of']}"
    reasoning = ("in every official list" if standing else f"in {len(in_lists)} of {len(lists)} official lists")
    reasoning += (f" and among {lead} by listed workshops ({share})" if leading else
                  f", but not among {lead} by listed workshops ({share}): one theme among several, not the centre")
    cum = tables.load_gctf_cumulative(data_dir)
    stated = analysis.statements(cum, "workshops", kinds=analysis.BRACKET_KINDS)
    if len(stated):
        last = stated.sort_values("date_last").iloc[-1]
        q = {"exact": "", "over": "over ", "about": "about ", "nearly": "nearly "}[last["qualifier"]]
        reasoning += (f"; the workshop list is incomplete ({r['total']} listed; {q}{int(last['value'])} "
                      f"{last['unit_as_stated']} stated by {last['statement_date']})")
    ids = _ids(themes.loc[themes["theme_category"].isin(cats), "source_id"],
               workshops.loc[workshops["theme_official"].isin(cats), "source_id"])
    return Verdict("C25", verdict, measured, rule, reasoning, ids)
