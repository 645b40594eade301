"""Queries on the diplomacy records (data/diplomacy/events.csv) for the law, diplomacy and context claims.

The records are dated documentary facts: acts, treaties, notes, communiques, statements, reports. The
claims ledger (claims.py, notebook 05) compares a claim's year, date, kind of act, actor and terms, as
written in data/claims.csv, with these records. This module holds the record-level vocabulary (which
actors speak officially, which key types describe what) and the term rules; the verdict rules live in
the check functions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..validate import DataError, date_bounds, split_ids
from ..verdicts import article_claims
from .tables import EVENT_TEXT_KEYS, load_events
from .terms import TAGS, TERMS, Term  # noqa: F401  (re-exported: jte.diplomacy.TERMS)

# Actors whose words are the position of a state or its ruling party. 'quasi_official' (the JTEA)
# acts for Japan but does not set policy; media and analysts report or interpret.
OFFICIAL_ACTORS = {"government", "party", "legislature", "military", "state_media"}
# How others framed a reported plan (a headline, commentators): shown, never counted as the plan itself.
FRAMING_KEYS = {"person_status_as_headlined", "person_status_as_characterised"}
PLAN_KEY = "person_status_planned"
POSTED_KEY = "person_status_posted"


@dataclass
class TermResult:
    term: str
    status: str          # 'matched', 'mixed', 'contrary', 'stated_negative', 'no_contrary', 'no_record'
    agree: pd.DataFrame
    contrary: pd.DataFrame
    related: pd.DataFrame | None = None  # records tagged with a related wording (Term.related), for display

    @property
    def label(self) -> str:
        return TERMS[self.term].label if self.term in TERMS else self.term


def split(cell) -> list[str]:
    """Items of a ';'-separated cell (claim IDs, countries, terms, flags)."""
    return split_ids(cell)


def where(df: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """Rows where mask is true. .loc with a bool mask, because an empty mapped mask has object dtype
    and df[mask] would then select columns."""
    return df.loc[mask.astype(bool)]


def flags(row) -> set[str]:
    return set(split(row["flag"]))


def records(events: pd.DataFrame, claim_id: str, superseded: bool = False) -> pd.DataFrame:
    """The records that bear on one claim; rows flagged 'variant_superseded' are left out unless asked."""
    mask = events["claim_ids"].map(lambda c: claim_id in split(c))
    if not superseded:
        mask &= ~events["flag"].map(lambda f: "variant_superseded" in split(f))
    return where(events, mask)


def superseded(events: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    rows = records(events, claim_id, superseded=True)
    return where(rows, rows["flag"].map(lambda f: "variant_superseded" in split(f)))


def by_countries(df: pd.DataFrame, countries) -> pd.DataFrame:
    """Rows whose actor_country shares a country with `countries` (all rows when none are given)."""
    countries = set(countries or [])
    if not countries:
        return df
    return where(df, df["actor_country"].map(lambda c: bool(countries & set(split(c)))))


def official(df: pd.DataFrame, countries=None) -> pd.DataFrame:
    """Records by official actors (OFFICIAL_ACTORS) of the given countries."""
    return by_countries(df[df["actor_type"].isin(OFFICIAL_ACTORS)], countries)


def year(date) -> int | None:
    return int(str(date)[:4]) if isinstance(date, str) else None


def up_to(df: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Records dated no later than the end of `last_year` (undated records are kept)."""
    return where(df, df["date"].map(lambda d: year(d) is None or year(d) <= last_year))


# Flags worth carrying into a verdict's text: they say how far the record itself can be trusted.
SHOWN_FLAGS = ("relay_source", "partial_copy", "secondary_copy", "date_uncertain", "opinion")


def label(row) -> str:
    """'1979-01-01 act, US Congress [secondary copy]': date, kind, actor and caveats of one record."""
    date = row["date"] if isinstance(row["date"], str) else "undated"
    caveats = [f.replace("_", " ") for f in SHOWN_FLAGS if f in flags(row)]
    return f"{date} {row['kind'].replace('_', ' ')}, {row['actor']}" + (f" [{', '.join(caveats)}]" if caveats else "")


_ACRONYMS = {"mod": "MOD", "sdf": "SDF", "gs": "GS", "tra": "TRA", "jp": "Japan's", "us": "US",
             "foip": "FOIP", "gctf": "GCTF", "non": "non-"}


def readable(slug: str) -> str:
    """'civilian_mod_official' -> 'civilian MOD official'; 'non_governmental' -> 'non-governmental'."""
    return " ".join(_ACRONYMS.get(w, w) for w in str(slug).split("_")).replace("- ", "-")


def value_text(row) -> str:
    """The record's key value for display; a bare 'none' or 'not stated' says what it is about."""
    if not isinstance(row["key_value"], str):
        return ""
    if row["key_type"] in EVENT_TEXT_KEYS:
        return row["key_value"]
    value = readable(row["key_value"])
    return f"{readable(row['key_type'])} {value}" if row["key_value"] in {"none", "not_stated"} else value


def listing(df: pd.DataFrame, with_value: bool = True) -> str:
    """Records in date order as one string: 'date kind, actor: value; ...'."""
    if df.empty:
        return "none"
    df = df.sort_values(["date_first", "event_id"], na_position="last")
    return "; ".join(label(r) + (f": {value_text(r)}" if with_value and value_text(r) else "")
                     for _, r in df.iterrows())


def source_ids(*frames: pd.DataFrame) -> list[str]:
    ids: set[str] = set()
    for df in frames:
        for cell in df["source_id"]:
            ids.update(split(cell))
    return sorted(ids)


def tagged(df: pd.DataFrame, tags) -> pd.DataFrame:
    """Records whose `terms` column lists any of `tags`."""
    tags = {tags} if isinstance(tags, str) else set(tags)
    return where(df, df["terms"].map(lambda cell: bool(tags & set(split(cell)))))


def match_term(df: pd.DataFrame, term: str, countries=None) -> TermResult:
    """Compare one claimed term with the records `df` (already limited to the claim) by its Term rule.

    Only structured fields decide: the record's key (key_type, key_value) or its `terms` tags; the `what`
    paraphrase is never searched, so rewording it cannot change a verdict.
    """
    if term not in TERMS:
        raise KeyError(f"no rule for claimed term {term!r}: add it to diplomacy.TERMS")
    rule = TERMS[term]
    pool = official(df, countries) if rule.official else df
    empty = df.iloc[0:0]
    if rule.tagged:
        hits = tagged(pool, term)
        near = tagged(pool, rule.related) if rule.related else empty
        return TermResult(term, "matched" if len(hits) else "no_record", hits, empty, near)
    # A claim about what officials say is contradicted only by officials; an absence claim ("no arms
    # sales") by a record from anyone. Agreement always comes from the pool the rule allows.
    against = df if rule.absence else pool
    against = against[against["key_type"].isin(rule.key_types)]
    contrary = against[~against["key_value"].isin(rule.agree)] if rule.exclusive else against.iloc[0:0]
    agree = pool[pool["key_type"].isin(rule.key_types) & pool["key_value"].isin(rule.agree)]
    if rule.absence:
        status = "contrary" if len(contrary) else "stated_negative" if len(agree) else "no_contrary"
    elif len(agree) and len(contrary):
        status = "mixed"
    else:
        status = "matched" if len(agree) else "contrary" if len(contrary) else "no_record"
    return TermResult(term, status, agree, contrary)


# ---------------------------------------------------------------------------------------------
# When the article was written (used by the GCTF checks too)
# ---------------------------------------------------------------------------------------------

# The article's date is inferred (dossier claims.md): it describes events up to the latest date among
# its dated claims, and it treats the CCP's 20th National Congress as still ahead. Both ends are read
# from the data: the dated claims in data/claims.csv, and this record in data/diplomacy/events.csv.
CONGRESS_EVENT_ID = "cpc20-congress"


def _event(event_id: str, data_dir=None) -> pd.Series:
    events = load_events(data_dir).set_index("event_id")
    if event_id not in events.index or not isinstance(events.loc[event_id, "date"], str):
        raise DataError("data/diplomacy/events.csv", column="event_id",
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
    first = date_bounds(latest["claimed_value"])[0]
    last = date_bounds(congress["date"])[0] - pd.Timedelta(days=1)
    return {"first": first, "last": last, "first_basis": f"{latest['claim_id']} "
            f"({latest['claimed_value']}), the latest date the article describes",
            "last_basis": f"{CONGRESS_EVENT_ID} opened {congress['date']}, which the article treats as still ahead",
            "source_ids": split_ids(congress["source_id"])}


def window_text(w: dict) -> str:
    return f"{w['first']:%Y-%m-%d} to {w['last']:%Y-%m-%d}"
