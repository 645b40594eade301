"""The claimed terms the diplomacy records are matched on (data/claims.csv, claimed_terms), and their rules.

A term is recognised in a record in one of two ways, both structured fields of data/diplomacy/events.csv,
never the wording of the `what` paraphrase (which is ours, and may be reworded at any time):

- by the record's key: `key_type` in the term's key_types, and `key_value` in `agree` (else contrary);
- by a tag: the term's key listed in the record's `terms` column (';'-separated), for terms that have
  no key vocabulary, such as a label a statement uses ("precision missile strikes").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """How a claimed term is recognised in the records.

    key_types / agree: the term is borne out by a record whose key_type is one of key_types and whose
    key_value is in agree; any other value of those key types contradicts it.
    tagged: the term is borne out by a record that lists it in its `terms` column (such a term can be
    found, never contradicted). related: tags of wordings that come near the term without amounting to
    it (shown, never counted as the term).
    absence: the term says something does not exist. With no record either way it rests on the
    absence of contrary records; only an official record of the claimed country stating the negative
    (a value in agree) bears it out.
    official: count only records by official actors of the claim's countries, for agreement and
    (except in an absence claim, which anyone may contradict) for contradiction.
    exclusive: other values of the key types contradict the term. False for list-like keys (a study
    makes many recommendations: one does not contradict another).
    """
    label: str
    key_types: tuple[str, ...] = ()
    agree: frozenset = frozenset()
    tagged: bool = False
    related: tuple[str, ...] = ()
    absence: bool = False
    official: bool = False
    exclusive: bool = True


def _recommendation(slug: str, label: str) -> Term:
    return Term(label, ("recommendation",), frozenset({slug}), exclusive=False)


TERMS: dict[str, Term] = {
    "foip_commitment": Term("Japan's Free and Open Indo-Pacific vision", tagged=True, official=True),
    "no_stated_aid_pledge": Term("no stated pledge to aid Taiwan", ("aid_pledge",),
                                 frozenset({"none", "not_stated"}), absence=True, official=True),
    "not_enacted": Term("no Japanese law on the TRA model enacted", ("jp_tra_status",),
                        frozenset({"proposed", "not_enacted"})),
    "no_legal_basis_military_cooperation": Term("no legal basis for military cooperation",
                                                ("legal_basis_military_cooperation",), frozenset({"none"}),
                                                absence=True, official=True),
    "prior_consultation": Term("prior consultation", tagged=True),
    "no_arms_sales": Term("no Japanese arms sales to Taiwan", ("arms_transfers_jpn_to_twn",),
                          frozenset({"none"}), absence=True, official=True),
    "non_governmental_working_level": Term("non-governmental, working-level relations",
                                           ("relationship_status",),
                                           frozenset({"non_governmental_working_level"}), official=True),
    "all_hit_targets": Term("every missile hit its target", ("outcome_claimed",), frozenset({"all_hit_targets"}),
                            official=True),
    "precision_missile_strikes": Term("precision missile strikes", tagged=True, official=True,
                                      related=("precision_strike_capability",)),
    "precision_strike_capability": Term("testing a precision-strike capability", tagged=True),
    "expand_emergency_management_exchange": _recommendation(
        "expand_emergency_management_exchange", "continue and widen the emergency-management exchange"),
    "gctf_disaster_coordination": _recommendation("gctf_disaster_coordination",
                                                  "use GCTF to coordinate disaster management"),
    "site_visits": _recommendation("site_visits", "in-person site visits"),
}
# The values the `terms` column of events.csv may hold.
TAGS = frozenset(k for k, t in TERMS.items() if t.tagged)
