"""The diplomacy records load, bad input stops with a clear error, and the record checks follow the data."""

import pytest

from japan_taiwan_evidence import diplomacy, validate, verdicts
from japan_taiwan_evidence.validate import DataError

from conftest import edit_cell, find_row

EVENTS = "diplomacy/events.csv"


def _expect(data_copy, row, column, words=()):
    with pytest.raises(DataError) as err:
        diplomacy.load_events(data_copy)
    msg = str(err.value)
    assert msg.startswith(f"data/{EVENTS}, row {row} (line {row + 1}), column '{column}': expected"), msg
    for w in words:
        assert w in msg, msg
    return msg


def _edit(data_copy, event_id, column, value):
    path = data_copy / EVENTS
    row = find_row(path, event_id=event_id)
    edit_cell(path, row, column, value)
    return row


def test_events_load_with_date_bounds():
    ev = diplomacy.load_events()
    assert ev["event_id"].is_unique
    tra = ev.set_index("event_id").loc["us-taiwan-relations-act"]
    assert (tra["date"], tra["key_value"]) == ("1979-04-10", "1979")
    posted = ev.set_index("event_id").loc["mod-civilian-posted-2023"]
    assert str(posted["date_first"].date()) == "2023-01-01" and str(posted["date_last"].date()) == "2023-12-31"


def test_unknown_kind(data_copy):
    row = _edit(data_copy, "us-taiwan-relations-act", "kind", "law")
    _expect(data_copy, row, "kind", ["one of", "'law'"])


def test_bad_date(data_copy):
    row = _edit(data_copy, "japan-prc-joint-communique", "date", "1972-09-31")
    _expect(data_copy, row, "date", ["ISO date", "1972-09-31"])


def test_precision_must_match_the_date(data_copy):
    row = _edit(data_copy, "japan-prc-joint-communique", "date", "1972-09")
    _expect(data_copy, row, "date_precision", ["precision of date"])


def test_unknown_claim_id(data_copy):
    row = _edit(data_copy, "sankei-plan-report-2022-06-04", "claim_ids", "C19;C99")
    _expect(data_copy, row, "claim_ids", ["data/claims.csv", "'C99'"])


def test_malformed_claim_ids(data_copy):
    row = _edit(data_copy, "sankei-plan-report-2022-06-04", "claim_ids", "C19, C20")
    _expect(data_copy, row, "claim_ids", ["claim IDs like"])


def test_key_value_must_suit_its_type(data_copy):
    row = _edit(data_copy, "us-taiwan-relations-act", "key_value", "April 1979")
    _expect(data_copy, row, "key_value", ["whole number", "'year'"])


def test_empty_date_needs_the_flag(data_copy):
    row = _edit(data_copy, "mod-dispatch-postponed", "flag", "")
    with pytest.raises(DataError) as err:
        diplomacy.load_events(data_copy)
    assert "date_not_stated" in str(err.value) and f"row {row}" in str(err.value)


def test_unknown_source(data_copy):
    row = _edit(data_copy, "us-taiwan-relations-act", "source_id", "diplomacy-D13;diplomacy-D99")
    _expect(data_copy, row, "source_id", ["diplomacy-D99"])


def test_superseded_variant_is_set_aside():
    ev = diplomacy.load_events()
    assert "japan-prc-joint-communique-variant-date" not in set(diplomacy.records(ev, "C17")["event_id"])
    assert list(diplomacy.superseded(ev, "C17")["event_id"]) == ["japan-prc-joint-communique-variant-date"]


def test_every_claimed_term_of_a_checked_claim_has_a_rule():
    reg = verdicts.load_claims().set_index("claim_id")
    for cid in ["C03", "C05", "C12", "C15", "C16", "C18", "C26", "C27"]:
        for term in diplomacy.split(reg.loc[cid, "claimed_terms"]):
            assert term in diplomacy.TERMS, (cid, term)


# --- verdicts reached from the records -------------------------------------------------------

EXPECTED = {"C01": verdicts.SUPPORTED, "C02": verdicts.CAVEATS, "C03": verdicts.CAVEATS, "C04": verdicts.SUPPORTED,
            "C05": verdicts.CAVEATS, "C12": verdicts.SUPPORTED, "C15": verdicts.CAVEATS, "C16": verdicts.CAVEATS,
            "C17": verdicts.SUPPORTED, "C18": verdicts.SUPPORTED, "C19": verdicts.DIFFERS, "C20": verdicts.CAVEATS,
            "C26": verdicts.NOT_TESTABLE, "C27": verdicts.NOT_TESTABLE}


@pytest.mark.parametrize("cid", sorted(EXPECTED))
def test_verdict_states_rule_measure_and_sources(cid):
    v = verdicts.evaluate(cid)
    assert v.verdict == EXPECTED[cid], (cid, v.reasoning)
    assert v.rule and v.measured and v.reasoning
    known = validate.registry_ids()
    assert v.source_ids and set(v.source_ids) <= known


def test_c19_differs_because_the_records_show_a_reported_plan_for_a_civilian():
    v = verdicts.evaluate("C19")
    assert "decisions on record: none" in v.measured
    assert "civilian MOD official" in v.reasoning and "not of a decision" in v.reasoning


def test_c19_becomes_supported_if_the_record_were_a_decision_to_post_an_officer(data_copy):
    path = data_copy / EVENTS
    row = find_row(path, event_id="sankei-plan-report-2022-06-04")
    for column, value in {"kind": "decision", "actor": "Government of Japan", "actor_type": "government",
                          "key_value": "serving_military_officer"}.items():
        edit_cell(path, row, column, value)
    v = verdicts.evaluate("C19", data_dir=data_copy)
    assert v.verdict == verdicts.SUPPORTED, v.reasoning
    edit_cell(path, row, "date", "2022-07-01")  # the same decision on another day
    assert verdicts.evaluate("C19", data_dir=data_copy).verdict == verdicts.CAVEATS


def test_c04_compares_the_claimed_year_with_the_act(data_copy):
    path = data_copy / "claims.csv"
    edit_cell(path, find_row(path, claim_id="C04"), "claimed_value", "1980")
    v = verdicts.evaluate("C04", data_dir=data_copy)
    assert v.verdict == verdicts.DIFFERS and "0 of 2" in v.reasoning


def test_c17_compares_the_claimed_year_with_the_communique(data_copy):
    path = data_copy / EVENTS
    edit_cell(path, find_row(path, event_id="japan-prc-joint-communique"), "date", "1973-09-29")
    assert verdicts.evaluate("C17", data_dir=data_copy).verdict == verdicts.CAVEATS


def test_absence_claim_differs_once_a_contrary_record_exists(data_copy):
    path = data_copy / EVENTS
    row = find_row(path, event_id="sipri-taiwan-arms-imports-2000-2019")
    edit_cell(path, row, "key_type", "arms_transfers_jpn_to_twn")
    edit_cell(path, row, "key_value", "sold")
    v = verdicts.evaluate("C16", data_dir=data_copy)
    assert v.verdict == verdicts.DIFFERS and "contradicted by" in v.measured


def test_absence_claim_supported_once_an_official_record_states_it(data_copy):
    path = data_copy / EVENTS
    row = find_row(path, event_id="jp-defence-transfer-principles-2014")
    edit_cell(path, row, "key_type", "arms_transfers_jpn_to_twn")
    edit_cell(path, row, "key_value", "none")
    assert verdicts.evaluate("C16", data_dir=data_copy).verdict == verdicts.SUPPORTED


def test_c27_becomes_testable_when_the_recommendations_are_read(data_copy):
    path = data_copy / EVENTS
    row = find_row(path, event_id="gti-disaster-report-2020-10")
    edit_cell(path, row, "flag", "")
    edit_cell(path, row, "key_type", "recommendation")
    edit_cell(path, row, "key_value", "site_visits")
    edit_cell(path, row, "date", "2020-10")
    v = verdicts.evaluate("C27", data_dir=data_copy)
    assert v.verdict == verdicts.CAVEATS, v.reasoning
    assert "in-person site visits: borne out" in v.measured


def test_c02_supported_if_an_official_text_named_the_year(data_copy):
    path = data_copy / EVENTS
    edit_cell(path, find_row(path, event_id="prc-white-paper-taiwan-2022"), "key_value", "2049")
    assert verdicts.evaluate("C02", data_dir=data_copy).verdict == verdicts.SUPPORTED
    edit_cell(path, find_row(path, event_id="prc-white-paper-taiwan-2022"), "key_value", "2035")
    assert verdicts.evaluate("C02", data_dir=data_copy).verdict == verdicts.DIFFERS
