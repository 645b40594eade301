"""Verdicts on the article's claims (core): the claims register, the Verdict type, the check registry.

Each topic registers its claim checks here with :func:`check`; the ledger (ledger.py) evaluates them all.

A check reads the committed data through the package, measures what the claim is about and returns
a :class:`Verdict` from a rule stated in the check itself. Nothing here types in a measured number:
change the data and the verdict follows. A claim in data/claims.csv with no registered check is
reported as "not tested", never dropped.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

import pandera.pandas as pa

from .validate import one_of, register, source_ids, split_ids

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


# 'forecast': what the article expected or recommended, tracked after it (notebook 06); kept out of the
# article's ledger and its totals (article_claims).
CLAIM_CATEGORIES = {"context", "law_diplomacy", "gctf", "geography", "missiles", "troops", "bases", "forecast"}
FORECAST_CATEGORY = "forecast"

CLAIMS_SCHEMA = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, pa.Check.str_matches(
            r"^[CF]\d{2}$", error="an ID like 'C13' (the article's) or 'F01' (tracked after it)")),
        "category": pa.Column(str, one_of(CLAIM_CATEGORIES)),
        "claim": pa.Column(str),
        "claimed_value": pa.Column(str, nullable=True),
        "claimed_unit": pa.Column(str, nullable=True),
        "claimed_qualifier": pa.Column(str, nullable=True),
        # What a check compares with the records: the kind of event, key terms, countries involved.
        "claimed_kind": pa.Column(str, nullable=True),
        "claimed_terms": pa.Column(str, nullable=True),
        "claimed_countries": pa.Column(str, nullable=True),
        "notebook": pa.Column(str, pa.Check.str_matches(r"^0\d_[a-z0-9_]+$",
                                                        error="a notebook name like '01_us_forces_japan'")),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True,
)


CLAIMS = register("claims.csv", CLAIMS_SCHEMA, ["claim_id"],
                  "The article's checkable claims, paraphrased (verdicts are computed, not stored)")


def load_claims(data_dir=None) -> pd.DataFrame:
    """The article's checkable claims (data/claims.csv), paraphrased; verdicts are computed elsewhere."""
    return CLAIMS.load(data_dir)


def article_claims(data_dir=None) -> pd.DataFrame:
    """The article's own claims in data/claims.csv (the forecast rows of notebook 06 left out)."""
    reg = load_claims(data_dir)
    return reg[reg["category"] != FORECAST_CATEGORY].reset_index(drop=True)


def claim(claim_id: str, data_dir=None) -> pd.Series:
    """The register row of one claim."""
    reg = load_claims(data_dir).set_index("claim_id")
    if claim_id not in reg.index:
        raise KeyError(f"claim {claim_id} is not in data/claims.csv")
    return reg.loc[claim_id]


def article_source(claim_id: str, data_dir=None) -> str:
    """The source of the claim itself, the article: the first ID of the claim's source_id (by the register's
    convention), for the footer of a figure that draws the claimed value."""
    cell = split_ids(claim(claim_id, data_dir)["source_id"])
    if not cell:
        raise ValueError(f"claim {claim_id} has no source_id in data/claims.csv")
    return cell[0]


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


def evaluate(claim_id: str, data_dir=None, params=None) -> Verdict:
    """Run one claim's check; a claim without a check is 'not tested', with the reason why.

    params: the run's knobs (a dict or params.Params); each check receives those of its keyword
    arguments that params names, so the ledger and a notebook judge with the same values.
    """
    claim(claim_id, data_dir)  # unknown IDs fail loudly
    fn = CHECKS.get(claim_id)
    if fn is None:
        reason = NOT_TESTED_REASONS.get(claim_id, "no check function is registered for this claim")
        return Verdict(claim_id, NOT_TESTED, "", "", reason)
    return fn(data_dir=data_dir, **knobs_for(fn, params))


def knobs_for(fn, params) -> dict:
    """The entries of `params` that `fn` takes as keyword arguments."""
    if params is None:
        return {}
    values = params.as_dict() if hasattr(params, "as_dict") else dict(params)
    accepted = inspect.signature(fn).parameters
    return {k: v for k, v in values.items() if k in accepted and k != "data_dir"}


def within(measured: float, claimed: float, tolerance: float = ROUNDED_TOLERANCE) -> bool:
    return abs(measured - claimed) <= tolerance * abs(claimed)


def fmt(n) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.2f}"


def ids(*cells) -> list[str]:
    """Source IDs from cells or lists of cells, split on ';', in first-seen order without repeats."""
    out: list[str] = []
    for cell in cells:
        for part in ([cell] if isinstance(cell, str) else list(cell)):
            for sid in split_ids(part):
                if sid not in out:
                    out.append(sid)
    return out


# The article's year: checks of what was true "when the article was written" use records up to it.
ARTICLE_YEAR = 2022
