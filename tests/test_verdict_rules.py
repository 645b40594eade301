"""Verdict rules that follow the data (issue 11, items 5-8 and 11): change a record in a copy of data/ and the
verdict and its reasoning move together; matching reads structured fields, never our paraphrases."""

import pytest
from conftest import edit_cell, find_row, read_rows, write_rows

from japan_taiwan_evidence import diplomacy, sources, verdicts
from japan_taiwan_evidence.validate import DataError

EVENTS = "diplomacy/events.csv"
ZONES = "missiles_2022/zones.csv"


def _v(cid, data_dir=None, **params):
    return verdicts.evaluate(cid, data_dir, params=params or None)


def _add_event(data_dir, **cells):
    """Append one record to events.csv (empty cells unless given)."""
    path = data_dir / EVENTS
    fields, rows = read_rows(path)
    rows.append({f: cells.get(f, "") for f in fields})
    write_rows(path, fields, rows)


# A contrary official record, as a source confirming the remark attributed to Deputy PM Aso would be entered.
# Only its structure matters here: the test's record is invented and never committed.
CONTRARY_PLEDGE = {"event_id": "test-pledge-2021-07", "date": "2021-07-05", "date_precision": "day",
                   "kind": "statement", "actor": "Test Deputy Prime Minister", "actor_type": "government",
                   "actor_country": "JPN", "what": "Test record: Japan and the US would defend Taiwan together",
                   "key_value": "joint_defence_stated", "key_type": "aid_pledge", "claim_ids": "C03",
                   "source_id": "diplomacy-D11"}


# ------------------------------------------------------------------ item 5: reasoning from the same results

def test_c03_default_reasoning_names_the_absence():
    v = _v("C03")
    assert v.verdict == verdicts.CAVEATS
    assert "asserts an absence" in v.reasoning and "every term is borne out" not in v.reasoning


def test_c03_contrary_record_gives_differs_and_the_reasoning_names_it(data_copy):
    _add_event(data_copy, **CONTRARY_PLEDGE)
    v = _v("C03", data_copy)
    assert v.verdict == verdicts.DIFFERS, v.reasoning
    assert "contradicted by 2021-07-05 statement, Test Deputy Prime Minister" in v.reasoning
    assert v.reasoning.startswith("'no stated pledge to aid Taiwan' is contradicted")  # the deciding reason first
    assert "every term is borne out" not in v.reasoning and "asserts an absence" not in v.reasoning


def test_c16_contrary_record_gives_differs_and_the_reasoning_names_it(data_copy):
    _add_event(data_copy, event_id="test-arms-sale", date="2020-03-01", date_precision="day", kind="report",
               actor="Test Newspaper", actor_type="media", actor_country="JPN",
               what="Test record: a Japanese arms transfer to Taiwan", key_value="transfer_reported",
               key_type="arms_transfers_jpn_to_twn", claim_ids="C16", source_id="diplomacy-D26")
    v = _v("C16", data_copy)
    assert v.verdict == verdicts.DIFFERS, v.reasoning
    assert "contradicted by 2020-03-01 report, Test Newspaper" in v.reasoning
    assert "US share" in v.reasoning  # the check's own note is kept, after the contradiction


def test_c16_official_statement_of_the_negative_gives_supported(data_copy):
    _add_event(data_copy, event_id="test-no-arms", date="2021-01-01", date_precision="day", kind="statement",
               actor="Test Ministry", actor_type="government", actor_country="JPN", what="Test record",
               key_value="none", key_type="arms_transfers_jpn_to_twn", claim_ids="C16", source_id="diplomacy-D24")
    v = _v("C16", data_copy)
    assert v.verdict == verdicts.SUPPORTED and "is stated by 2021-01-01 statement, Test Ministry" in v.reasoning


# ------------------------------------------------------------------ item 6: structured fields, not paraphrases

@pytest.mark.parametrize("cid, event_id", [("C03", "foip-ticad6"),
                                           ("C10", "pla-etc-statement-2022-08-04"),
                                           ("C15", "us-japan-notes-prior-consultation")])
def test_rewording_the_paraphrase_does_not_flip_a_verdict(data_copy, cid, event_id):
    before = _v(cid)
    path = data_copy / EVENTS
    edit_cell(path, find_row(path, event_id=event_id), "what", "Reworded summary that uses none of the old words")
    after = _v(cid, data_copy)
    assert (after.verdict, after.reasoning) == (before.verdict, before.reasoning)


@pytest.mark.parametrize("cid, event_id, tag, verdict", [
    ("C03", "foip-ticad6", "foip_commitment", verdicts.NOT_TESTABLE),
    ("C15", "us-japan-notes-prior-consultation", "prior_consultation", verdicts.NOT_TESTABLE)])
def test_the_tag_decides(data_copy, cid, event_id, tag, verdict):
    path = data_copy / EVENTS
    row = find_row(path, event_id=event_id)
    edit_cell(path, row, "terms", "")
    v = _v(cid, data_copy)
    if cid == "C03":  # the FOIP term is now unrecorded; the absence term still rests on no contrary record
        assert v.verdict == verdicts.CAVEATS and "'Japan's Free and Open Indo-Pacific vision': nothing" in v.reasoning
    else:
        assert v.verdict == verdict
    edit_cell(path, row, "terms", tag)
    assert _v(cid, data_copy).verdict == _v(cid).verdict


def test_c10_label_comes_from_the_tag(data_copy):
    path = data_copy / EVENTS
    row = find_row(path, event_id="pla-etc-statement-2022-08-04")
    assert _v("C10").verdict == verdicts.CAVEATS and "precision-strike capability" in _v("C10").reasoning
    edit_cell(path, row, "terms", "precision_strike_capability;precision_missile_strikes")
    assert _v("C10", data_copy).verdict == verdicts.SUPPORTED


def test_unknown_term_tag_is_a_data_error(data_copy):
    path = data_copy / EVENTS
    row = find_row(path, event_id="foip-ticad6")
    edit_cell(path, row, "terms", "foip_commitment;free_and_open")
    with pytest.raises(DataError) as err:
        diplomacy.load_events(data_copy)
    msg = str(err.value)
    assert msg.startswith(f"data/{EVENTS}, row {row} (line {row + 1}), column 'terms': expected"), msg
    assert "foip_commitment" in msg


def test_every_tag_is_a_term_and_every_tagged_claim_term_is_used():
    events = diplomacy.load_events()
    used = {t for cell in events["terms"] for t in diplomacy.split(cell)}
    assert used <= set(diplomacy.TAGS) and used
    for term in ("foip_commitment", "prior_consultation", "precision_missile_strikes"):
        assert diplomacy.TERMS[term].tagged


# ------------------------------------------------------------------ item 7: C11, the geometry counts

def _move_zone(data_dir, zone, onto):
    """Give `zone` the vertices of `onto` (published and decimal), as if the notice placed it there."""
    path = data_dir / ZONES
    fields, rows = read_rows(path)
    src = [r for r in rows if r["zone_id"] == onto]
    dst = [r for r in rows if r["zone_id"] == zone]
    assert len(src) == len(dst)
    for a, b in zip(dst, src):
        for col in ("lat_published", "lon_published", "lat", "lon", "lat_decimal_minutes_reading",
                    "lon_decimal_minutes_reading"):
            a[col] = b[col]
    write_rows(path, fields, rows)


def test_c11_supported_when_mod_and_geometry_agree_missile_by_missile():
    v = _v("C11")
    assert v.verdict == verdicts.SUPPORTED
    assert "agrees missile by missile" in v.reasoning and "Japan's claim" in v.reasoning
    assert "JPMOD-2, JPMOD-3, JPMOD-4 are presumed" in v.reasoning


def test_c11_moving_a_zone_into_the_eez_gives_caveats_naming_the_missile(data_copy):
    _move_zone(data_copy, "Z3", onto="Z4")  # JPMOD-1's zone now lies where the EEZ missiles fell
    v = _v("C11", data_copy)
    assert v.verdict == verdicts.CAVEATS
    assert "MOD's count is 5" in v.reasoning and "gives 6" in v.reasoning
    assert "disagrees with MOD on JPMOD-1 (zone Z3" in v.reasoning and "MOD: outside" in v.reasoning


def test_c11_moving_the_eez_zone_out_names_every_missile(data_copy):
    _move_zone(data_copy, "Z4", onto="Z1")
    v = _v("C11", data_copy)
    assert v.verdict == verdicts.CAVEATS and "gives 0" in v.reasoning
    for i in range(5, 10):
        assert f"JPMOD-{i} (zone Z4" in v.reasoning


def test_c11_threshold_is_a_parameter_and_moves_verdict_rule_and_measure():
    v = _v("C11", inside_share=0.04)
    assert v.verdict == verdicts.CAVEATS
    assert "more than 4% of its area" in v.rule and "by zone: 6 of 9" in v.measured
    assert "gives 6" in v.reasoning and "JPMOD-1" in v.reasoning


def test_c11_differs_when_mod_count_is_not_the_claim(data_copy):
    path = data_copy / "missiles_2022/launches.csv"
    edit_cell(path, find_row(path, launch_id="JPMOD-9"), "in_japan_eez_per_mod", "false")
    v = _v("C11", data_copy)
    assert v.verdict == verdicts.DIFFERS and "count 4 missiles" in v.reasoning and "JPMOD-9" in v.reasoning


# ------------------------------------------------------------------ item 8: C26, what the data can show

def test_c26_is_not_testable_while_the_recommendations_are_unread():
    v = _v("C26")
    assert v.verdict == verdicts.NOT_TESTABLE
    assert "identified as claimed" in v.reasoning and "recommendations" in v.reasoning
    assert "substance" in v.rule


def test_c26_follows_a_record_of_the_recommendation(data_copy):
    _add_event(data_copy, event_id="test-gti-recommendation", date="2020-10", date_precision="month", kind="report",
               actor="Test think tank", actor_type="analyst", what="Test record", claim_ids="C26",
               key_value="expand_emergency_management_exchange", key_type="recommendation",
               source_id="diplomacy-D42")
    assert _v("C26", data_copy).verdict == verdicts.SUPPORTED
    reg = data_copy / "claims.csv"
    edit_cell(reg, find_row(reg, claim_id="C26"), "claimed_value", "2021-10")
    v = _v("C26", data_copy)
    assert v.verdict == verdicts.DIFFERS and "not 2021-10" in v.reasoning


# ------------------------------------------------------------------ item 11: every source has a kind

def test_every_source_has_a_kind_from_the_vocabulary():
    reg = sources.load_sources()
    assert reg["kind"].notna().all() and set(reg["kind"]) <= set(sources.SOURCE_KINDS)
    assert reg.set_index("source_id").loc["troops-S00", "kind"] == "claim_under_test"


@pytest.mark.parametrize("value, words", [("", ["column 'kind'"]), ("blog post", ["column 'kind'", "one of"])])
def test_kind_must_be_given_and_known(data_copy, value, words):
    path = data_copy / "sources.csv"
    row = find_row(path, source_id="missiles-S08")
    edit_cell(path, row, "kind", value)
    with pytest.raises(DataError) as err:
        sources.load_sources(data_copy)
    msg = str(err.value)
    assert msg.startswith(f"data/sources.csv, row {row}"), msg
    for w in words:
        assert w in msg, msg
