"""The diplomacy records (data/diplomacy/events.csv)."""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from ..verdicts import load_claims
from .terms import TAGS
from ..validate import (  # noqa: F401
    LAT, LON, DataError, Table, add_bounds, agrees_with_published, bool_text, check_end_after_start,
    check_precision, date_bounds, dms_check, dms_to_decimal, flag_list, is_iso, iso3, iso_date, one_of,
    PRECISION_LENGTH, period_date, register, source_ids, split_ids, to_bool,
)


# What sort of record a row is. 'report_of_plan' (a report that a plan exists) is kept apart from
# 'decision' (a government's own act), because claim C19 turns on that difference.
EVENT_KINDS = {"act", "treaty", "exchange_of_notes", "draft", "communique", "agreement", "joint_statement",
               "statement", "speech", "announcement", "policy", "white_paper", "party_election", "meeting",
               "visit", "diplomatic_break", "establishment", "renaming", "partnership", "report",
               "report_of_plan", "analysis", "proposal", "postponement", "posting", "staffing", "decision"}
EVENT_ACTOR_TYPES = {"government", "party", "legislature", "legislator", "local_politician", "military",
                     "media", "state_media", "analyst", "quasi_official"}
EVENT_FLAGS = {"relay_source", "partial_copy", "secondary_copy", "date_uncertain", "date_not_stated",
               "derived_date", "variant_superseded", "opinion"}
# key_value holds a whole number for these key types ...
EVENT_NUMBER_KEYS = {"year", "gs_term_number", "term_length_years", "rejuvenation_target_year",
                     "reunification_year_expected", "mentions_taiwan_strait", "us_share_percent",
                     "year_japan_joined"}
EVENT_MONTH_KEYS = {"publication_month"}
# ... free text (a name) for these, and a whole number or a snake_case status slug for the rest.
EVENT_TEXT_KEYS = {"new_name", "channel"}
EVENT_STATUS_KEYS = {"rejuvenation_horizon", "reunification_target_year", "relationship_status",
                     "jp_tra_status", "formal_military_exchanges", "proposal_status", "outcome_claimed",
                     "channel_status", "person_status_planned", "person_status_as_headlined",
                     "person_status_as_characterised", "person_status_posted", "plan_status",
                     "serving_sdf_officer_posted",
                     # No row uses these yet: they are where a record that would contradict an absence
                     # claim (C03, C05, C16) or show the GTI study's recommendations (C26, C27) goes.
                     "aid_pledge", "legal_basis_military_cooperation", "arms_transfers_jpn_to_twn",
                     "recommendation"}
EVENT_KEY_TYPES = EVENT_NUMBER_KEYS | EVENT_MONTH_KEYS | EVENT_TEXT_KEYS | EVENT_STATUS_KEYS

EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "event_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$",
                                                        error="a lower-case slug like 'us-taiwan-relations-act'")),
        "date": pa.Column(str, iso_date(), nullable=True),
        "end_date": pa.Column(str, iso_date(), nullable=True),
        "date_precision": pa.Column(str, one_of({"day", "month", "year"}), nullable=True),
        "kind": pa.Column(str, one_of(EVENT_KINDS)),
        "actor": pa.Column(str),
        "actor_type": pa.Column(str, one_of(EVENT_ACTOR_TYPES)),
        "actor_country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}(;[A-Z]{3})*$",
                                                             error="';'-separated ISO 3166 alpha-3 codes"),
                                   nullable=True),
        "what": pa.Column(str),
        "key_value": pa.Column(str, nullable=True),
        "key_type": pa.Column(str, one_of(EVENT_KEY_TYPES), nullable=True),
        # The claimed terms a record bears out by its content, as tags (diplomacy/terms.py, Term.tagged):
        # matching reads these, never the wording of `what`.
        "terms": pa.Column(str, pa.Check(lambda s: s.map(lambda v: set(split_ids(v)) <= TAGS),
                                         error=f"';'-separated term tags from {sorted(TAGS)}"), nullable=True),
        "claim_ids": pa.Column(str, pa.Check.str_matches(r"^C\d{2}(;C\d{2})*$",
                                                         error="';'-separated claim IDs like 'C17;C18'")),
        "flag": pa.Column(str, flag_list(EVENT_FLAGS), nullable=True),
        "note": pa.Column(str, nullable=True),
        "source_id": source_ids(),
    },
    checks=[
        pa.Check(lambda df: df["date"].isna()
                 == df["flag"].fillna("").str.contains(r"(?:^|;)date_not_stated(?:;|$)", regex=True),
                 error="an empty date exactly where flag has 'date_not_stated'"),
        pa.Check(lambda df: df["key_value"].isna() == df["key_type"].isna(),
                 error="key_value and key_type both given or both empty"),
    ],
    strict=True, coerce=True,
)

EVENTS = register("diplomacy/events.csv", EVENTS_SCHEMA, ["event_id"],
                  "Dated documentary records behind the law, diplomacy and context claims")


def _key_value_fits(key_type: str, value: str) -> bool:
    if key_type in EVENT_NUMBER_KEYS:
        return re.fullmatch(r"\d+", value) is not None
    if key_type in EVENT_MONTH_KEYS:
        return len(value) == 7 and is_iso(value)
    if key_type in EVENT_TEXT_KEYS:
        return bool(value.strip())
    return re.fullmatch(r"\d+|[a-z][a-z0-9_]*", value) is not None


def load_events(data_dir=None) -> pd.DataFrame:
    """Dated records for the law, diplomacy and context claims (data/diplomacy/events.csv).

    Beyond the schema: date_precision must match the date, end_date may not precede date, key_value
    must suit its key_type (a whole number, an ISO month, a status slug or a name), and every claim ID
    in claim_ids must exist in data/claims.csv. Adds date_first/date_last, the first and last day the
    date can mean (a year-precision date covers the whole year).
    """
    df = EVENTS.load(data_dir)
    shown = "data/" + EVENTS.path
    check_precision(df, EVENTS, "date")
    check_end_after_start(df, EVENTS, "date", "end_date")
    for pos, (ktype, value) in enumerate(zip(df["key_type"], df["key_value"])):
        if isinstance(ktype, str) and not _key_value_fits(ktype, value):
            kind = ("a whole number" if ktype in EVENT_NUMBER_KEYS else "an ISO month YYYY-MM"
                    if ktype in EVENT_MONTH_KEYS else "a whole number or a snake_case status slug")
            raise DataError(shown, row=pos + 1, column="key_value", expected=f"{kind} for key_type '{ktype}'",
                            found=value)
    known = set(load_claims(data_dir)["claim_id"])
    for pos, cell in enumerate(df["claim_ids"]):
        for cid in split_ids(cell):
            if cid not in known:
                raise DataError(shown, row=pos + 1, column="claim_ids",
                                expected="claim IDs listed in data/claims.csv", found=cid)
    return add_bounds(df, "date", "date")
