"""The ledger lists every claim with a computed verdict (or 'not tested' and why), follows the data, and
exports byte-stable files."""

import csv

import pytest

from japan_taiwan_evidence import ledger, verdicts

from conftest import edit_cell, find_row


@pytest.fixture(scope="module")
def table():
    return ledger.ledger_table()


def test_every_claim_is_in_the_ledger_once(table):
    ids = list(verdicts.article_claims()["claim_id"])  # forecast rows (notebook 06) are not the article's
    assert list(table["claim_id"]) == ids
    assert list(ledger.ledger()["claim_id"]) == ids
    # The register numbers claims without gaps, so none can be missing silently.
    assert ids == [f"C{i:02d}" for i in range(1, len(ids) + 1)]


def test_every_row_has_a_verdict_and_a_reason(table):
    assert set(table["verdict"]) <= set(verdicts.VERDICTS)
    assert table["reasoning"].str.len().gt(0).all()
    tested = table[table["verdict"] != verdicts.NOT_TESTED]
    assert tested["rule"].str.len().gt(0).all() and tested["sources"].str.len().gt(0).all()


def test_untested_claim_is_reported_with_its_notebook(data_copy, monkeypatch):
    monkeypatch.delitem(verdicts.CHECKS, "C19")
    t = ledger.ledger_table(data_copy).set_index("claim_id")
    assert t.loc["C19", "verdict"] == verdicts.NOT_TESTED
    assert "05_claims_ledger" in t.loc["C19", "reasoning"]
    assert "diplomacy-D32" in t.loc["C19", "sources"]  # the register's evidence, not the article
    assert "troops-S00" not in t.loc["C19", "sources"]


def test_counts_cover_every_claim_and_every_verdict(table):
    counts = ledger.verdict_counts(table)
    assert list(counts["verdict"]) == ledger.VERDICT_ORDER
    assert counts["claims"].sum() == len(table)


# --- verdicts follow the data ----------------------------------------------------------------

def _verdict(data_dir, cid):
    return verdicts.evaluate(cid, data_dir=data_dir).verdict


def test_c13_verdict_follows_the_september_2022_total(data_copy):
    path = data_copy / "troops/personnel.csv"
    assert _verdict(data_copy, "C13") == verdicts.SUPPORTED
    row = find_row(path, series="dmdc_reports", report_date="2022-09", service="total_active_duty")
    edit_cell(path, row, "personnel", "45000")
    edit_cell(path, row, "flags", "services_sum_mismatch")  # the services no longer add up to it
    assert _verdict(data_copy, "C13") == verdicts.CAVEATS


def test_c19_verdict_follows_the_record_of_the_june_2022_plan(data_copy):
    path = data_copy / "diplomacy/events.csv"
    assert _verdict(data_copy, "C19") == verdicts.DIFFERS
    row = find_row(path, event_id="sankei-plan-report-2022-06-04")
    for column, value in {"kind": "decision", "actor": "Government of Japan", "actor_type": "government",
                          "key_value": "serving_military_officer"}.items():
        edit_cell(path, row, column, value)
    assert _verdict(data_copy, "C19") == verdicts.SUPPORTED


# --- export ----------------------------------------------------------------------------------

def test_export_is_byte_stable_and_complete(tmp_path, table):
    a, b = tmp_path / "a", tmp_path / "b"
    ledger.export_ledger(a, table=table)
    ledger.export_ledger(b)
    for name in ("05_claims_ledger.csv", "05_claims_ledger.md"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
        assert b"\r\n" not in (a / name).read_bytes()
    with open(a / "05_claims_ledger.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["claim_id"] for r in rows] == list(table["claim_id"])
    assert list(rows[0]) == ledger.LEDGER_COLUMNS
    md = (a / "05_claims_ledger.md").read_text(encoding="utf-8")
    for cid in table["claim_id"]:
        assert f"### {cid}: " in md
    for cat in ledger.categories(table):
        assert f"## {ledger.CATEGORY_LABELS[cat]}" in md
