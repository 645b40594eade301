"""Add a DMDC quarterly location report to the collection in one step.

    python -m japan_taiwan_evidence.ingest.dmdc path/to/DMDC_Website_Location_Report_2603.xlsx
    python -m japan_taiwan_evidence.ingest.dmdc --period 2026-03        # download it from DMDC first

It reads the workbook (:mod:`.dmdc_read`), then, after checking everything, writes in one go:
the Japan rows to data/troops/personnel.csv (series ``dmdc_reports``, in the file's sort order), the
source ``dmdc-YYYY-MM`` to data/sources.csv, the workbook itself to data/raw/dmdc/ (raw data is kept
as published), and a refreshed data/datapackage.json. Ingesting the same file again changes nothing;
a different file for a period already present is refused unless ``replace`` is given.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import inspect
import io
import itertools
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from .. import datapackage, files, ledger, paths, sources, troops, verdicts  # noqa: F401  (ledger registers every check)
from ..validate import DataError
from . import dmdc_fetch, dmdc_read
from .dmdc_fetch import DownloadError
from .dmdc_read import WorkbookError

SERIES = "dmdc_reports"
GEOGRAPHY = "japan_incl_okinawa"  # no 2008+ file has an Okinawa row: Japan includes it
PERSONNEL = "troops/personnel.csv"
SOURCES = "sources.csv"
RAW_DIR = "raw/dmdc"
PUBLISHER = "Defense Manpower Data Center (DMDC), US Department of Defense"
REPORT_TITLE = "Military and Civilian Personnel by Service/Agency by State/Country (quarterly location report)"
LICENCE = "public domain (work of the US federal government, 17 U.S.C. 105)"
_KEY = ("series", "report_date", "geography", "component", "service")  # the order of personnel.csv


class IngestError(DataError):
    """The workbook is fine but cannot be added as asked (e.g. its period is already there)."""

    def __init__(self, file, message):
        self.file, self.row, self.column, self.expected, self.found = file, None, None, message, None
        ValueError.__init__(self, f"{file}: {message}")


def source_id(period: str) -> str:
    return f"dmdc-{period}"


# ---------------------------------------------------------------------------------------------
# What the workbook becomes
# ---------------------------------------------------------------------------------------------

_GROUP_OF = {"active_duty": "active_duty", "selected_reserve_total": "reserve",
             "dod_civilian_total": "civilian", "grand_total_mil_and_civ": "grand_total"}
_TOTAL_OF = {"active_duty": "total_active_duty", "reserve": "selected_reserve_total",
             "civilian": "dod_civilian_total", "grand_total": "grand_total_mil_and_civ"}
_PARTS = {"active_duty": "services", "reserve": "reserve components", "civilian": "civilian columns"}


def personnel_rows(report: dmdc_read.Report, previous=()) -> list[dict]:
    """The Japan rows as a person would type them; `previous` are the rows they replace (for notes)."""
    before = {(r["component"], r["service"]): r for r in previous}
    sid = source_id(report.period)
    rows = []
    for f in report.figures:
        flags, notes = [], []
        if f.value is None:
            flags.append("na_in_source")
            notes.append("printed as N/A in the workbook")
        group = _GROUP_OF[f.component]
        parts, printed = report.group_sums[group], report.value(_TOTAL_OF[group])
        if parts is not None and printed is not None and parts != printed:
            if group == "grand_total":
                flags.append("components_sum_mismatch")
                notes.append(f"active-duty + reserve + civilian totals add up to {parts}; printed total kept")
            else:
                flags.append("services_sum_mismatch")
                notes.append(f"{_PARTS[group]} add up to {parts}; printed total kept")
        if f.service == "air_force" and report.sf_merged:
            flags.append("air_force_incl_space_force")
            notes.append("AIR FORCE/SPACE FORCE column: Space Force counted with the Air Force")
        value = "" if f.value is None else str(f.value)
        old = before.get((f.component, f.service))
        if old is not None:
            if old["personnel"] and value and old["personnel"] != value:
                notes.append(f"earlier value {old['personnel']} ({old['source_id']}) replaced by the workbook's")
            elif old["personnel"] == value:  # keep the history of a value that did not change
                notes += [c for c in old["note"].split("; ") if c.startswith("earlier value")]
        rows.append({"series": SERIES, "report_date": report.period, "date_precision": "month",
                     "year": str(report.year), "quarter": str(report.quarter), "service": f.service,
                     "component": f.component, "personnel": value,
                     "qualifier": "exact" if f.value is not None else "not_reported", "geography": GEOGRAPHY,
                     "location_in_source": report.label, "flags": ";".join(flags), "source_id": sid,
                     "note": "; ".join(notes)})
    return sorted(rows, key=lambda r: tuple(r[k] for k in _KEY))


def source_row(report: dmdc_read.Report, accessed: str, note: str = "") -> dict:
    published = dmdc_read.published_name(report.file_name)
    given = [f"As of {report.as_of:%B} {report.as_of.day}, {report.as_of.year}"]
    if report.prepared:
        given.append(f"prepared {report.prepared} (as printed)")
    if report.drs:
        given.append(f"DRS# {report.drs}")
    notes = [f"workbook data/{RAW_DIR}/{report.file_name}: {report.size} bytes; sha256 {report.sha256}",
             (f"Japan = row {report.japan_row} ({report.label}) of the overseas section; header at row "
             f"{report.header_row}")]
    if published != report.file_name:
        notes.append(f"DMDC publishes the file as {published}")
    if note:
        notes.append(note)
    return {"source_id": source_id(report.period), "topic": "dmdc", "dossier_id": "", "publisher": PUBLISHER,
            "title": f"{REPORT_TITLE}, {report.as_of:%B %Y} ({published})",
            "url": dmdc_fetch.url_for(published), "published": report.as_of.isoformat(),
            "date_as_given": "; ".join(given), "accessed": accessed, "kind": "official_US",
            "licence": LICENCE, "notes": "; ".join(notes)}


# ---------------------------------------------------------------------------------------------
# CSV files edited line by line: rows we do not touch keep their exact bytes
# ---------------------------------------------------------------------------------------------

def _records(text: str, shown: str) -> tuple[str, list[str], list[tuple[str, dict]]]:
    """(header line, column names, [(raw record text, row dict)]); a quoted field may span lines."""
    chunks, buf = [], ""
    for line in re.findall(r"[^\n]*\n|[^\n]+$", text):
        buf += line
        if buf.count('"') % 2 == 0:
            chunks.append(buf)
            buf = ""
    if buf:
        raise DataError(shown, row=len(chunks), expected="closed quotes", found="an unclosed quoted field")
    if not chunks:
        raise DataError(shown, expected="a header line")
    header = next(csv.reader(io.StringIO(chunks[0], newline="")))
    out = []
    for n, chunk in enumerate(chunks[1:], 1):
        fields = next(csv.reader(io.StringIO(chunk, newline="")), [])
        if len(fields) != len(header):
            raise DataError(shown, row=n, expected="the same number of fields as the header",
                            found=f"{len(fields)} fields")
        out.append((chunk if chunk.endswith("\n") else chunk + "\n", dict(zip(header, fields))))
    return chunks[0], header, out


def _line(header: list[str], row: dict) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([row.get(k, "") for k in header])
    return buf.getvalue()


def _key(row: dict) -> tuple:
    return tuple(row.get(k, "") for k in _KEY)


def _merge_personnel(records, header, new_rows, period) -> list[str]:
    """All record lines with the period's rows replaced by `new_rows`, in the file's order."""
    mine = [i for i, (_, r) in enumerate(records) if r["series"] == SERIES and r["report_date"] == period]
    kept = [rec for i, rec in enumerate(records) if i not in set(mine)]
    new = [_line(header, r) for r in new_rows]
    if mine:
        at = mine[0]  # where the old rows were
    elif all(_key(a) <= _key(b) for (_, a), (_, b) in itertools.pairwise(records)):
        first = _key(new_rows[0])[:3]
        at = next((i for i, (_, r) in enumerate(kept) if _key(r)[:3] > first), len(kept))
    else:
        at = len(kept)  # an unsorted file: append
    lines = [raw for raw, _ in kept]
    return lines[:at] + new + lines[at:]


# ---------------------------------------------------------------------------------------------
# Plan (validate everything, write nothing), then write
# ---------------------------------------------------------------------------------------------

@dataclass
class Plan:
    report: dmdc_read.Report
    data_dir: Path
    writes: dict[Path, bytes] = field(default_factory=dict)
    deletes: list[Path] = field(default_factory=list)
    summary: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.writes or self.deletes)

    def shown(self, path: Path) -> str:
        return "data/" + path.relative_to(self.data_dir).as_posix()


def _iso_day(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise IngestError("--accessed", f"a date YYYY-MM-DD; found {value!r}") from None


def _shadow(d: Path, root: Path, writes: dict[Path, bytes], deletes: list[Path]) -> Path:
    """A view of data/ as it will be: links to unchanged files, real copies of the new ones."""
    for src in sorted(d.rglob("*")):
        rel = src.relative_to(d)
        if src.is_dir() or "external" in rel.parts or src in writes or src in deletes:
            continue
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            (root / rel).symlink_to(src.resolve())
        except OSError:  # no symlinks on this file system: a copy does as well
            shutil.copyfile(src, root / rel)
    for src, data in writes.items():
        (root / src.relative_to(d)).parent.mkdir(parents=True, exist_ok=True)
        (root / src.relative_to(d)).write_bytes(data)
    return root


def plan(path, data_dir=None, accessed: str | None = None, replace: bool = False, note: str = "") -> Plan:
    """Read and check the workbook and work out every file change; raises before anything is written."""
    d = Path(data_dir).resolve() if data_dir is not None else paths.DATA
    path = Path(path)
    report = dmdc_read.read(path)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != report.sha256:
        raise IngestError(report.file_name, "the file to stay the same while it is read (it changed)")
    period, sid = report.period, source_id(report.period)
    shown_file = report.file_name

    p_path, s_path, raw_dir = d / PERSONNEL, d / SOURCES, d / RAW_DIR
    p_text, s_text = p_path.read_text(encoding="utf-8"), s_path.read_text(encoding="utf-8")
    p_head, p_cols, p_recs = _records(p_text, f"data/{PERSONNEL}")
    s_head, s_cols, s_recs = _records(s_text, f"data/{SOURCES}")

    old_src = next((r for _, r in s_recs if r["source_id"] == sid), None)
    if accessed:
        accessed = _iso_day(accessed)
    elif old_src is not None and report.sha256 in old_src["notes"]:
        accessed = old_src["accessed"]  # the same file again: keep the date it was first fetched
    else:
        accessed = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date().isoformat()
    new_src = source_row(report, accessed, note)
    if old_src is not None and report.sha256 in old_src["notes"] and not note:
        new_src["notes"] = old_src["notes"]  # the same file again: keep what was noted about the copy

    old_rows = [r for _, r in p_recs if r["series"] == SERIES and r["report_date"] == period]
    new_rows = personnel_rows(report, old_rows)
    target = raw_dir / path.name
    others = sorted(p for p in raw_dir.glob("*.xlsx") if p.name != path.name
                    and dmdc_read.NAME_RE.match(p.name) and dmdc_read.period_of_name(p.name)[0] == period)

    conflicts = []
    if old_rows and [_line(p_cols, r) for r in old_rows] != [_line(p_cols, r) for r in new_rows]:
        cited = sorted({r["source_id"] for r in old_rows})
        conflicts.append(f"data/{PERSONNEL} already has {len(old_rows)} rows for {period} (citing "
                         f"{', '.join(cited)}) that differ from this workbook's")
    if old_src is not None and old_src != {k: new_src.get(k, "") for k in s_cols}:
        conflicts.append(f"data/{SOURCES} already has {sid} with other details (file hash, date accessed or notes)")
    if target.exists() and target.read_bytes() != data:
        conflicts.append(f"data/{RAW_DIR}/{target.name} exists with other content")
    if others:
        conflicts.append(f"data/{RAW_DIR}/ already holds {', '.join(p.name for p in others)} for {period}")
    if conflicts and not replace:
        raise IngestError(shown_file, f"{period} is already in the collection: " + "; ".join(conflicts)
                          + ". To replace it with this workbook, run again with --replace "
                          "(make ingest-dmdc FILE=... REPLACE=1)")

    out = Plan(report, d)
    new_p = p_head + "".join(_merge_personnel(p_recs, p_cols, new_rows, period))
    lines = [raw if r["source_id"] != sid else _line(s_cols, new_src) for raw, r in s_recs]
    if old_src is None:
        lines.append(_line(s_cols, new_src))
    new_s = s_head + "".join(lines)
    for target_path, text, old in ((p_path, new_p, p_text), (s_path, new_s, s_text)):
        if text != old:
            out.writes[target_path] = text.encode("utf-8")
    if not target.exists() or target.read_bytes() != data:
        out.writes[target] = data
    out.deletes = others if replace else []

    # Validate the result with the collection's own loaders and build the new datapackage.json, on a
    # private view of data/ as it will be: an invalid row stops here, before any file is touched.
    with tempfile.TemporaryDirectory(prefix="jte-ingest-") as tmp:
        shadow = _shadow(d, Path(tmp) / "data", out.writes, out.deletes)
        sources.load_sources(shadow)
        personnel = troops.load_personnel(shadow)
        descriptor = datapackage.dumps(datapackage.build(shadow))
        out.summary = summary(report, personnel)
    dp_path = d / "datapackage.json"
    if not dp_path.exists() or dp_path.read_text(encoding="utf-8") != descriptor:
        out.writes[dp_path] = descriptor.encode("utf-8")
    return out


def apply(p: Plan) -> Plan:
    """Write a plan: every file atomically, and all of them or none (staged, then renamed into place)."""
    with files.staging():
        for path, data in p.writes.items():
            files.write_bytes(path, data)
    for path in p.deletes:
        path.unlink()
    return p


def ingest(path, data_dir=None, accessed: str | None = None, replace: bool = False, note: str = "") -> Plan:
    """Add one DMDC workbook to data/ (see the module docstring); returns what was done."""
    return apply(plan(path, data_dir, accessed, replace, note))


def ingest_period(period: str, data_dir=None, accessed: str | None = None, replace: bool = False, note: str = "",
                  base_url: str = dmdc_fetch.DMDC_API, allow_local_http: bool = False) -> Plan:
    """Download the workbook of `period` from DMDC, then ingest it (accessed = today unless given)."""
    name, data = dmdc_fetch.fetch(period, base_url, allow_local_http)
    with tempfile.TemporaryDirectory(prefix="jte-dmdc-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        accessed = accessed or datetime.now(UTC).date().isoformat()
        return ingest(path, data_dir, accessed, replace, note)


# ---------------------------------------------------------------------------------------------
# What changes for the reader
# ---------------------------------------------------------------------------------------------

def notebooks_reading_personnel(notebooks_dir=None) -> list[str]:
    """Notebooks that read data/troops/personnel.csv: directly, or through a claim check or the ledger."""
    checks = [cid for cid, fn in verdicts.CHECKS.items() if "load_personnel" in inspect.getsource(fn)]
    needles = ["load_personnel", "ledger_table(", "ledger.ledger("] + [f'"{c}"' for c in checks]
    out = []
    for nb in sorted(Path(notebooks_dir or paths.NOTEBOOKS).glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if any(n in code for n in needles):
            out.append(nb.stem)
    return out


def summary(report: dmdc_read.Report, personnel, notebooks: list[str] | None = None) -> str:
    """'2026-03: 54,100 active duty, -0.4% on 2025-12; notebooks 01, 04, 05 will re-run'."""
    total = report.value("total_active_duty")
    text = f"{report.period}: " + (f"{total:,} active duty" if total is not None
                                   else "active-duty total not reported (N/A)")
    earlier = personnel[(personnel["series"] == SERIES) & (personnel["service"] == "total_active_duty")
                        & personnel["personnel"].notna() & (personnel["report_date"] < report.period)]
    if total is not None and len(earlier):
        prev = earlier.sort_values("report_date").iloc[-1]
        text += f", {(total / int(prev['personnel']) - 1) * 100:+.1f}% on {prev['report_date']}"
    nbs = notebooks if notebooks is not None else notebooks_reading_personnel()
    if nbs:
        text += f"; notebooks {', '.join(n.split('_')[0] for n in nbs)} will re-run (make figures)"
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m japan_taiwan_evidence.ingest.dmdc",
        description="Add a DMDC quarterly location report (DMDC_Website_Location_Report_YYMM.xlsx) to the "
                    "collection: Japan rows, source entry, raw copy, datapackage.json.")
    ap.add_argument("file", nargs="?", help="the workbook, named as DMDC publishes it")
    ap.add_argument("--period", help="YYYY-MM: download that quarter's workbook from DMDC instead (HTTPS)")
    ap.add_argument("--accessed", help="date the file was obtained, YYYY-MM-DD (default: the file's date, "
                                       "or today for a download)")
    ap.add_argument("--replace", action="store_true", help="replace a period already in the collection")
    ap.add_argument("--note", default="", help="extra text for the source's notes (e.g. where a copy came from)")
    ap.add_argument("--data-dir", help="the data folder to change (default: data/, or $JTE_DATA_DIR)")
    args = ap.parse_args(argv)
    if bool(args.file) == bool(args.period):
        ap.error("give either a FILE or --period YYYY-MM")
    try:
        if args.period:
            done = ingest_period(args.period, args.data_dir, args.accessed, args.replace, args.note)
        else:
            done = ingest(args.file, args.data_dir, args.accessed, args.replace, args.note)
    except (DataError, DownloadError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if not done.changed:
        print(f"{done.report.period}: {done.report.file_name} is already in the collection; nothing changed")
        return 0
    for path in list(done.writes) + done.deletes:
        print(("removed " if path in done.deletes else "wrote ") + done.shown(path))
    # Totals that do not add up elsewhere in the sheet (DMDC's files have a few): shown, not fatal.
    for w in done.report.warnings:
        print(f"note: {done.report.file_name}: {w}")
    print(done.summary)
    return 0


__all__ = [
    "DownloadError",
    "IngestError",
    "WorkbookError",
    "apply",
    "ingest",
    "ingest_period",
    "main",
    "notebooks_reading_personnel",
    "personnel_rows",
    "plan",
    "source_row",
    "summary",
]

if __name__ == "__main__":
    sys.exit(main())
