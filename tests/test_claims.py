"""Verdicts are computed from the data and follow it when it changes."""

from japan_taiwan_evidence import ledger, troops, verdicts

from conftest import edit_cell, find_row


def test_c13_supported_by_the_2022_reports():
    v = verdicts.evaluate("C13")
    assert v.verdict == verdicts.SUPPORTED
    assert "2022-09: 53,973" in v.measured
    assert "2022-12" in v.reasoning  # the missing report is named, not hidden


def test_c13_follows_the_data(data_copy):
    path = data_copy / "troops/personnel.csv"
    row = find_row(path, series="dmdc_reports", report_date="2022-09", service="total_active_duty")
    edit_cell(path, row, "personnel", "45000")
    edit_cell(path, row, "flags", "services_sum_mismatch")  # the services no longer add up to it
    v = verdicts.evaluate("C13", data_dir=data_copy)
    assert v.verdict == verdicts.CAVEATS
    assert "45,000" in v.measured
    for date in ("2022-03", "2022-06"):
        edit_cell(path, find_row(path, series="dmdc_reports", report_date=date, service="total_active_duty"),
                  "personnel", "45000")
    assert verdicts.evaluate("C13", data_dir=data_copy).verdict == verdicts.DIFFERS


def test_c14_differs_and_names_the_unofficial_list():
    v = verdicts.evaluate("C14")
    assert v.verdict == verdicts.DIFFERS
    assert "Vine" in v.reasoning
    assert "exclusive-use facilities (Japan MOD): 78" in v.measured


def test_c14_follows_the_data(data_copy):
    path = data_copy / "troops/base_counts.csv"
    row = find_row(path, count_id="exclusive_use_mod_facilities_japan_20200101_s07")
    edit_cell(path, row, "value", "41")
    assert verdicts.evaluate("C14", data_dir=data_copy).verdict == verdicts.SUPPORTED


def test_vine_distinct_range_comes_from_the_duplicate_flags():
    lo, hi = troops.vine_distinct_range(troops.load_facilities())
    assert (lo, hi) == (39, 40)


def test_claim_without_check_is_not_tested_not_dropped(data_copy, monkeypatch):
    monkeypatch.delitem(verdicts.CHECKS, "C13")
    table = ledger.ledger(data_dir=data_copy)
    assert len(table) == len(verdicts.article_claims(data_copy))
    assert table.set_index("claim_id").loc["C13", "verdict"] == verdicts.NOT_TESTED


def test_reversion_date_and_gap_come_from_the_data(data_copy):
    date, sid = troops.reversion_date(troops.load_base_counts())
    assert (str(date.date()), sid) == ("1972-05-15", "troops-S11")
    first, last = troops.gap_span(troops.load_personnel(), 2008)
    assert (f"{first:%Y-%m}", f"{last:%Y-%m}") == ("2022-12", "2023-06")
