"""Ingesting DMDC workbooks into a copy of data/: rows, source, raw copy, datapackage.json, idempotence,
--replace, bad files writing nothing, and the optional download against a local server."""

import csv
import functools
import hashlib
import http.server
import threading

import dmdc_workbooks as wbk
import pytest

from japan_taiwan_evidence import datapackage, sources, troops, verdicts
from japan_taiwan_evidence.ingest import dmdc, dmdc_fetch
from japan_taiwan_evidence.ingest.dmdc import IngestError
from japan_taiwan_evidence.ingest.dmdc_fetch import DownloadError
from japan_taiwan_evidence.validate import DataError


def _tree(d) -> dict:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


def _rows(d, rel="troops/personnel.csv"):
    with open(d / rel, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _period(d, period):
    return [r for r in _rows(d) if r["series"] == "dmdc_reports" and r["report_date"] == period]


def test_a_new_quarter_in_one_call(data_copy, tmp_path):
    path = wbk.build(tmp_path, "2026-03", "2024")
    before = _rows(data_copy)
    done = dmdc.ingest(path, data_copy, accessed="2026-05-10")
    rows = _rows(data_copy)
    new = _period(data_copy, "2026-03")
    assert len(rows) == len(before) + len(new) == len(before) + 10
    # In the file's sort order: right after the last 2025 report, before the annual series.
    keys = [tuple(r[k] for k in dmdc._KEY) for r in rows]
    assert keys == sorted(keys)
    assert [r for r in rows if r["report_date"] != "2026-03"] == before
    # They load through the collection's own loader and cite the new source.
    p = troops.load_personnel(data_copy)
    tot = p[(p["report_date"] == "2026-03") & (p["service"] == "total_active_duty")].iloc[0]
    japan_ad = sum(wbk.JAPAN[c] for c in wbk.ERAS["2024"][2])
    assert (tot["personnel"], tot["source_id"], tot["quarter"]) == (japan_ad, "dmdc-2026-03", 1)
    src = sources.load_sources(data_copy).set_index("source_id").loc["dmdc-2026-03"]
    assert src["accessed"] == "2026-05-10" and src["published"] == "2026-03-31"
    assert src["kind"] == "official_US" and "public domain" in src["licence"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() in src["notes"]
    assert src["url"] == ("https://dwp.dmdc.osd.mil/dwp/api/download?fileName="
                          "DMDC_Website_Location_Report_2603.xlsx&groupName=milRegionCountry")
    # The workbook is kept as published and listed, with its hash, in a current datapackage.json.
    raw = data_copy / "raw/dmdc" / path.name
    assert raw.read_bytes() == path.read_bytes()
    assert (data_copy / "datapackage.json").read_text(encoding="utf-8") == \
        datapackage.dumps(datapackage.build(data_copy))
    listed = {r["path"]: r["hash"] for r in datapackage.build(data_copy)["resources"]}
    assert listed[f"raw/dmdc/{path.name}"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    # The summary follows the data: the change on the previous report, the notebooks that re-run.
    prev = int(next(r["personnel"] for r in before if r["report_date"] == "2025-12"
                    and r["service"] == "total_active_duty" and r["series"] == "dmdc_reports"))
    assert done.summary.startswith(f"2026-03: {japan_ad:,} active duty, "
                                   f"{(japan_ad / prev - 1) * 100:+.1f}% on 2025-12; notebooks ")
    assert "01, 04, 05" in done.summary


def test_the_same_file_again_changes_nothing(data_copy, tmp_path):
    path = wbk.build(tmp_path, "2026-03", "2024")
    dmdc.ingest(path, data_copy)
    after = _tree(data_copy)
    again = dmdc.ingest(data_copy / "raw/dmdc" / path.name, data_copy)  # the committed copy (other mtime)
    assert not again.changed
    assert _tree(data_copy) == after


def test_another_file_for_a_period_present_needs_replace(data_copy, tmp_path):
    first = wbk.build(tmp_path, "2026-03", "2024")
    dmdc.ingest(first, data_copy)
    (tmp_path / "b").mkdir()
    second = wbk.build(tmp_path / "b", "2026-03", "2024", japan={"NAVY": 20100})
    after = _tree(data_copy)
    with pytest.raises(IngestError, match=r"2026-03 is already in the collection.*--replace"):
        dmdc.ingest(second, data_copy)
    assert _tree(data_copy) == after
    dmdc.ingest(second, data_copy, replace=True)
    navy = next(r for r in _period(data_copy, "2026-03") if r["service"] == "navy")
    assert navy["personnel"] == "20100"
    assert navy["note"] == "earlier value 20000 (dmdc-2026-03) replaced by the workbook's"


def test_replace_drops_the_other_copy_of_the_period(data_copy, tmp_path):
    first = wbk.build(tmp_path, "2026-03", "2024")
    renamed = first.rename(tmp_path / wbk.name_for("2026-03", "_resaved"))
    dmdc.ingest(renamed, data_copy)
    second = wbk.build(tmp_path, "2026-03", "2024")
    with pytest.raises(IngestError, match="already holds DMDC_Website_Location_Report_2603_resaved.xlsx"):
        dmdc.ingest(second, data_copy)
    done = dmdc.ingest(second, data_copy, replace=True)
    assert sorted(p.name for p in (data_copy / "raw/dmdc").glob("*2603*")) == [second.name]
    assert data_copy / "raw/dmdc" / renamed.name in done.deletes
    assert (data_copy / "datapackage.json").read_text(encoding="utf-8") == \
        datapackage.dumps(datapackage.build(data_copy))


def test_replacing_transcribed_rows_and_the_na_quarters(data_copy, tmp_path):
    # 2023-03 is a gap row in the transcription; DMDC's file prints N/A for the Army and every total.
    path = wbk.build(tmp_path, "2023-03", "2023na")
    with pytest.raises(IngestError, match=r"1 rows for 2023-03 \(citing troops-S01\)"):
        dmdc.ingest(path, data_copy)
    dmdc.ingest(path, data_copy, replace=True)
    rows = {r["service"]: r for r in _period(data_copy, "2023-03")}
    assert rows["army"]["personnel"] == "" and rows["army"]["qualifier"] == "not_reported"
    assert rows["army"]["flags"] == "na_in_source"
    assert rows["total_active_duty"]["qualifier"] == "not_reported"
    assert rows["navy"]["personnel"] == str(wbk.JAPAN["NAVY"])
    assert "air_force_incl_space_force" in rows["air_force"]["flags"]
    p = troops.load_personnel(data_copy)
    tot = p[(p["report_date"] == "2023-03") & (p["service"] == "total_active_duty")]
    assert tot["personnel"].isna().all()  # still a gap in the headline series


def test_a_total_that_is_not_the_sum_of_the_services_is_kept_and_flagged(data_copy, tmp_path):
    path = wbk.build(tmp_path, "2022-03", "2021", japan_total=52000)
    dmdc.ingest(path, data_copy, replace=True)
    rows = {r["service"]: r for r in _period(data_copy, "2022-03")}
    parts = sum(wbk.JAPAN[c] for c in wbk.ERAS["2021"][2])
    assert rows["total_active_duty"]["personnel"] == "52000"
    assert "services_sum_mismatch" in rows["army"]["flags"].split(";")
    assert f"services add up to {parts}; printed total kept" in rows["total_active_duty"]["note"]
    # The grand total no longer equals its three parts either: flagged as such.
    assert "components_sum_mismatch" in rows["grand_total_mil_and_civ"]["flags"]
    # The transcription had another value for this report: the workbook wins, the note says so.
    assert "earlier value 55636 (troops-S01) replaced" in rows["total_active_duty"]["note"]


def test_the_ledger_and_the_latest_report_follow(data_copy, tmp_path):
    # C13 compares the article with every report of 2022: a workbook for 2022-09 changes what it measures.
    dmdc.ingest(wbk.build(tmp_path, "2022-09", "2022"), data_copy, replace=True)
    total = sum(wbk.JAPAN[c] for c in wbk.ERAS["2022"][2])
    verdict = verdicts.evaluate("C13", data_copy)
    assert f"2022-09: {total:,}" in verdict.measured
    assert "dmdc-2022-09" in verdict.source_ids
    # Notebook 04 prints the latest report and cites its source.
    dmdc.ingest(wbk.build(tmp_path, "2026-03", "2024"), data_copy)
    latest = troops.latest_report(troops.load_personnel(data_copy))
    assert (latest["report_date"], latest["source_id"]) == ("2026-03", "dmdc-2026-03")


BAD = {
    "no_japan": {"japan_section": "none"},
    "as_of": {"as_of": "As of December 31, 2025"},
    "text": {"japan_cell": (4, "lots")},
    "formula": {"formula_in_japan": True},
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_workbook_writes_nothing(data_copy, tmp_path, case):
    path = wbk.build(tmp_path, "2026-03", "2024", **BAD[case])
    before = _tree(data_copy)
    with pytest.raises(DataError) as err:
        dmdc.ingest(path, data_copy)
    assert path.name in str(err.value)
    assert _tree(data_copy) == before


def test_not_a_dmdc_workbook_writes_nothing(data_copy, tmp_path):
    path = wbk.build(tmp_path, "2026-03", "2024", drop_active_header=True)
    before = _tree(data_copy)
    with pytest.raises(DataError, match="ACTIVE DUTY"):
        dmdc.ingest(path, data_copy)
    assert _tree(data_copy) == before


def test_the_command_line(data_copy, tmp_path, capsys):
    path = wbk.build(tmp_path, "2026-03", "2024")
    assert dmdc.main([str(path), "--data-dir", str(data_copy), "--accessed", "2026-05-10"]) == 0
    out = capsys.readouterr().out
    assert "wrote data/troops/personnel.csv" in out and "2026-03: " in out
    assert dmdc.main([str(path), "--data-dir", str(data_copy)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert dmdc.main([str(path), "--data-dir", str(data_copy), "--accessed", "2026-13-01"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# The optional download, against a local server on 127.0.0.1
# ---------------------------------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        fixture = self.server.fixture
        kind = self.path.split("/")[1]
        if kind == "ok" and fixture.name in self.path and "groupName=milRegionCountry" in self.path:
            body, ctype, status = fixture.read_bytes(), "application/octet-stream", 200
        elif kind == "html":
            body, ctype, status = b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html", 200
        elif kind == "text":
            body, ctype, status = b"not a workbook", "application/octet-stream", 200
        elif kind == "away":
            self.send_response(302)
            self.send_header("Location", "http://example.org/file.xlsx")
            self.end_headers()
            return
        else:
            body, ctype, status = b"Internal Server Error", "text/plain", 500
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    fixture = wbk.build(tmp_path, "2026-03", "2024")
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.fixture = fixture
    # shutdown() waits up to one poll interval (0.5 s by default) for the loop to notice.
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_download_and_ingest(server, data_copy):
    ingest = functools.partial(dmdc.ingest_period, "2026-03", data_copy, allow_local_http=True)
    done = ingest(base_url=f"{server}/ok")
    assert done.changed and (data_copy / "raw/dmdc/DMDC_Website_Location_Report_2603.xlsx").exists()
    assert len(_period(data_copy, "2026-03")) == 10


@pytest.mark.parametrize("kind,words", [("err", "HTTP 500"), ("html", "web page"), ("text", "zip archive"),
                                        ("away", "only https")])
def test_a_failed_download_writes_nothing(server, data_copy, kind, words):
    before = _tree(data_copy)
    with pytest.raises(DownloadError, match=words):
        dmdc.ingest_period("2026-03", data_copy, base_url=f"{server}/{kind}", allow_local_http=True)
    assert _tree(data_copy) == before


def test_plain_http_is_refused_unless_local_and_asked_for(server):
    with pytest.raises(DownloadError, match="only https"):
        dmdc_fetch.fetch("2026-03", base_url=f"{server}/ok")
    with pytest.raises(DownloadError, match="only https"):
        dmdc_fetch.fetch("2026-03", base_url="http://example.org/api", allow_local_http=True)
    with pytest.raises(DownloadError, match="YYYY-MM"):
        dmdc_fetch.fetch("2026-3")


def test_a_download_over_the_size_limit(server):
    with pytest.raises(DownloadError, match="over the 100-byte limit"):
        dmdc_fetch.fetch("2026-03", base_url=f"{server}/ok", allow_local_http=True, max_bytes=100)
