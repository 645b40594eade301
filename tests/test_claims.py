"""Verdicts are computed from the data and follow it when it changes."""

from japan_taiwan_evidence import claims, datasets

from conftest import edit_cell, find_row


def test_c13_supported_by_the_2022_reports():
    v = claims.evaluate("C13")
    assert v.verdict == claims.SUPPORTED
    assert "2022-09: 53,973" in v.measured
    assert "2022-12" in v.reasoning  # the missing report is named, not hidden


def test_c13_follows_the_data(data_copy):
    path = data_copy / "troops/personnel.csv"
    row = find_row(path, series="dmdc_reports", report_date="2022-09", service="total_active_duty")
    edit_cell(path, row, "personnel", "45000")
    v = claims.evaluate("C13", data_dir=data_copy)
    assert v.verdict == claims.CAVEATS
    assert "45,000" in v.measured
    for date in ("2022-03", "2022-06"):
        edit_cell(path, find_row(path, series="dmdc_reports", report_date=date, service="total_active_duty"),
                  "personnel", "45000")
    assert claims.evaluate("C13", data_dir=data_copy).verdict == claims.DIFFERS


def test_c14_differs_and_names_the_unofficial_list():
    v = claims.evaluate("C14")
    assert v.verdict == claims.DIFFERS
    assert "Vine" in v.reasoning
    assert "exclusive-use facilities (Japan MOD): 78" in v.measured


def test_c14_follows_the_data(data_copy):
    path = data_copy / "troops/base_counts.csv"
    row = find_row(path, count_id="exclusive_use_mod_facilities_japan_20200101_s07")
    edit_cell(path, row, "value", "41")
    assert claims.evaluate("C14", data_dir=data_copy).verdict == claims.SUPPORTED


def test_vine_distinct_range_comes_from_the_duplicate_flags():
    from japan_taiwan_evidence import troops
    lo, hi = troops.vine_distinct_range(datasets.load_facilities())
    assert (lo, hi) == (39, 40)


def test_claim_without_check_is_not_tested_not_dropped(data_copy, monkeypatch):
    monkeypatch.delitem(claims.CHECKS, "C13")
    ledger = claims.ledger(data_dir=data_copy)
    assert len(ledger) == len(claims.article_claims(data_copy))
    assert ledger.set_index("claim_id").loc["C13", "verdict"] == claims.NOT_TESTED


def test_reversion_date_and_gap_come_from_the_data(data_copy):
    from japan_taiwan_evidence import troops
    date, sid = troops.reversion_date(datasets.load_base_counts())
    assert (str(date.date()), sid) == ("1972-05-15", "troops-S11")
    first, last = troops.gap_span(datasets.load_personnel(), 2008)
    assert (f"{first:%Y-%m}", f"{last:%Y-%m}") == ("2022-12", "2023-06")
