"""Notebooks 01 and 02: one set of parameters per run, and outputs that follow the data and the parameters.

Each test changes an input (a parameter, a data row in a copy of data/) and checks that what a reader
sees follows: the verdict, the rule text and the summary together; the figure's sources; its title.
A run with changed parameters is a variant and leaves figures/ byte-identical.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re

import matplotlib
import nbformat
import pytest
from nbclient import NotebookClient

from japan_taiwan_evidence import figures, gctf, params, paths, sources, troops, verdicts

from conftest import edit_cell, find_row, read_rows, write_rows

matplotlib.use("Agg")

NB01, NB02 = "01_us_forces_japan", "02_gctf_growth"


# --- the parameters cell ---------------------------------------------------------------------

@pytest.mark.parametrize("stem", [NB01, NB02])
def test_parameters_cell_holds_every_knob_with_a_comment(stem):
    cells = json.loads((paths.NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown"
    cell = cells[1]
    assert cell["cell_type"] == "code" and "parameters" in cell["metadata"].get("tags", []), \
        f"{stem}: the cell after the header must be tagged 'parameters'"
    source = "".join(cell["source"])
    assigned = dict(re.findall(r"^([A-Z][A-Z0-9_]*) = (.+)$", source, re.MULTILINE))
    assert {k.lower() for k in assigned} == set(params.KNOBS[stem]), f"{stem}: knobs differ from params.py"
    for name, value in assigned.items():
        assert eval(value) == params.DEFAULTS[stem][name.lower()], f"{stem}: {name} differs from its default"
        # Each knob has its comment just above it: meaning, unit and default.
        before = source.split(f"\n{name} = ")[0] if f"\n{name} = " in source else ""
        comment = before.rstrip().splitlines()[-2:]
        assert any("Unit:" in line and "Default" in line for line in comment), f"{stem}: {name} needs unit and default"
    following = "".join(cells[2]["source"])
    assert f'jte.params.use("{stem}"' in following


def test_no_default_is_bound_at_import():
    text = (paths.REPO / "japan_taiwan_evidence" / "troops" / "claims.py").read_text(encoding="utf-8")
    assert "ROUNDED_TOLERANCE" not in text
    assert not hasattr(gctf, "ROUNDING_MARGIN")


# --- a parameter moves the verdict and the rule together --------------------------------------------

def test_tolerance_moves_the_c13_verdict_and_its_rule():
    default = verdicts.evaluate("C13")
    assert default.verdict == verdicts.SUPPORTED and "±5%" in default.rule
    tight = verdicts.evaluate("C13", params={"rounded_tolerance": 0.02})
    assert "±2%" in tight.rule and "3.0%" in tight.reasoning
    assert tight.verdict == verdicts.CAVEATS  # the largest deviation, 3.0%, is outside ±2%
    assert "±2%" in verdicts.evaluate("C14", params={"rounded_tolerance": 0.02}).rule
    # The notebook's Params object works as well as a dict.
    run = params.Params(NB01, {**params.DEFAULTS[NB01], "rounded_tolerance": 0.025})
    assert "±2.5%" in verdicts.evaluate("C13", params=run).rule


def test_leading_themes_moves_the_c25_verdict_and_its_rule():
    v = verdicts.evaluate("C25")
    assert v.verdict == verdicts.CAVEATS  # HADR is a standing theme, but not among the leading three
    assert "rank 4 of 9" in v.reasoning and "10%" in v.reasoning and "leading 3" in v.rule
    v4 = verdicts.evaluate("C25", params={"leading_themes": 4})
    assert v4.verdict == verdicts.SUPPORTED and "leading 4" in v4.rule


def test_c25_follows_the_workshop_data(data_copy):
    path = data_copy / "gctf/workshops.csv"
    _, rows = read_rows(path)
    others = [r["workshop_id"] for r in rows if r["theme_official"] == "other"][:4]
    for wid in others:  # four more HADR workshops: 10 of 59, the leading theme
        edit_cell(path, find_row(path, workshop_id=wid), "theme_official", "hadr")
    v = verdicts.evaluate("C25", data_dir=data_copy)
    assert v.verdict == verdicts.SUPPORTED and "rank 1 of 9" in v.reasoning


def test_rounding_margin_moves_the_c24_verdict_and_its_rule(data_copy):
    path = data_copy / "gctf/cumulative.csv"
    row = find_row(path, statement_id="20221029_countries_s43")
    edit_cell(path, row, "qualifier", "about")
    edit_cell(path, row, "value", "115")
    narrow = verdicts.evaluate("C24", data_dir=data_copy)  # about 115 ± 5% is above 108
    assert narrow.verdict == verdicts.NOT_TESTABLE and "±5%" in narrow.rule
    wide = verdicts.evaluate("C24", data_dir=data_copy, params={"rounding_margin": 0.1})  # ± 10% reaches 108
    assert wide.verdict == verdicts.SUPPORTED and "±10%" in wide.rule and "20221029_countries_s43" in wide.reasoning


# --- the figure's sources and title follow the rows drawn ------------------------------------------

def _add_report(data_copy, report="2026-03", source="dmdc-2026-03"):
    """A new DMDC report with its own source: services that add up to the total."""
    fields, rows = read_rows(data_copy / "sources.csv")
    rows.append({**{k: "" for k in fields}, "source_id": source, "topic": "troops",
                 "publisher": "Defense Manpower Data Center", "title": f"Military and civilian personnel by country, {report}",
                 "published": report, "licence": "public domain (US government work)", "kind": "official_US"})
    write_rows(data_copy / "sources.csv", fields, rows)
    fields, rows = read_rows(data_copy / "troops/personnel.csv")
    services = {"army": 2400, "navy": 21100, "marine_corps": 18000, "air_force": 12400, "space_force": 130,
                "coast_guard": 20}
    services["total_active_duty"] = sum(services.values())
    base = {k: "" for k in fields}
    for svc, n in services.items():
        rows.append({**base, "series": "dmdc_reports", "report_date": report, "date_precision": "month",
                     "year": report[:4], "quarter": "1", "service": svc, "component": "active_duty",
                     "personnel": str(n), "qualifier": "exact", "geography": "japan_incl_okinawa",
                     "location_in_source": "JAPAN", "source_id": source})
    write_rows(data_copy / "troops/personnel.csv", fields, rows)
    return services


def _chart(data_dir=None, **years):
    return troops.personnel_chart(troops.load_personnel(data_dir), troops.load_base_counts(data_dir),
                                  verdicts.claimed_number("C13", data_dir), verdicts.article_source("C13", data_dir),
                                  **years)


def test_a_new_source_row_reaches_the_footer(data_copy, tmp_path):
    _add_report(data_copy)
    chart = _chart(data_copy)
    assert "dmdc-2026-03" in chart.sources and chart.title.endswith("to 2026")
    figures.save_figure(chart.fig, "01_personnel_since_1950", sources=chart.sources, figures_dir=tmp_path,
                        data_dir=data_copy)
    figures.close(chart.fig)
    with open(tmp_path / "index.csv", encoding="utf-8", newline="") as fh:
        index = {r["figure"]: r for r in csv.DictReader(fh)}
    assert "dmdc-2026-03" in index["01_personnel_since_1950"]["sources"].split("; ")
    # The by-service chart draws the new rows too.
    pers = troops.load_personnel(data_copy)
    assert "dmdc-2026-03" in sources.ids_of(troops.service_rows(pers, troops.services_from(pers)))


def test_sources_are_those_of_the_rows_drawn():
    chart = _chart()
    # Every report's own source (troopdata's transcription, or DMDC's workbook where it is committed), the
    # reversion date's source and the article: nothing typed, nothing missing.
    pers = troops.load_personnel()
    reports = set(sources.ids_of(pers[pers["component"] == "active_duty"]))
    assert {"troops-S01", "troops-S02", "troops-S11", "troops-S00"} <= set(chart.sources)
    assert {s for s in reports if s.startswith("dmdc-")} <= set(chart.sources)
    assert chart.sources[-1] == "troops-S00"
    late = _chart(first_year=2010)  # the reversion (its source troops-S11) is not in the period
    assert "troops-S11" not in late.sources
    figures.close(chart.fig), figures.close(late.fig)


def test_the_year_range_changes_the_title_and_the_axis():
    full = _chart()
    assert full.title == "US military personnel in Japan, 1950 to 2025"
    late = _chart(first_year=2010)
    assert late.title == "US military personnel in Japan, 2010 to 2025"
    assert late.drawn["year"].min() == 2010
    early = _chart(last_year=2000)
    assert early.title.endswith("1950 to 2000")
    # The axis follows the rows drawn: the early peak sets the top of the full chart, not of the late one.
    assert late.fig.axes[0].get_ylim()[1] < full.fig.axes[0].get_ylim()[1] / 2
    for c in (full, late, early):
        figures.close(c.fig)


# --- no line joins rows of different territory -------------------------------------------------

def test_no_drawn_line_mixes_geographies():
    chart = _chart()
    drawn = chart.drawn.assign(k=lambda d: d["personnel"].astype(float) / 1000)
    geos_seen = set()
    for geo, line in chart.lines:
        xs = matplotlib.dates.date2num(line.get_xdata())
        ys = line.get_ydata()
        rows = drawn[drawn["date"].map(matplotlib.dates.date2num).isin(xs)]
        hits = {g for x, y in zip(xs, ys)
                for g in rows.loc[(rows["date"].map(matplotlib.dates.date2num) == x) & (rows["k"] == y), "geography"]}
        assert hits == {geo}, f"a line joins rows of {sorted(hits)}"
        geos_seen.add(geo)
    assert {"japan_as_listed", "ryukyu_islands", "japan_incl_okinawa", "japan"} <= geos_seen
    # The 1964 Ryukyu row and the 1965 Japan row are never on one DMDC line.
    for geo, line in chart.lines:
        if geo == "japan":  # the annual series: one territory throughout
            continue
        years = {d.year for d in matplotlib.dates.num2date(matplotlib.dates.date2num(line.get_xdata()))}
        assert not {1964, 1965} <= years
    figures.close(chart.fig)


def test_line_runs_break_where_the_geography_changes_or_a_report_is_missing():
    totals = troops.headline_totals(troops.load_personnel())
    runs = troops.line_runs(totals[totals["series"] == "dmdc_reports"])
    assert all(r["geography"].nunique() == 1 and r["personnel"].notna().all() for r in runs)
    starts = [(r["report_date"].iloc[0], r["report_date"].iloc[-1], r["geography"].iloc[0]) for r in runs]
    assert ("1964-09", "1964-09", "ryukyu_islands") in starts and ("1965-09", "1965-09", "japan_as_listed") in starts
    assert ("2005-09", "2022-09", "japan_incl_okinawa") in starts  # the 2003-04 gap breaks the line


# --- services must add up ----------------------------------------------------------------------

PERS = "troops/personnel.csv"


def _report_row(data_copy, report, service):
    return find_row(data_copy / PERS, series="dmdc_reports", report_date=report, service=service)


def test_a_mistyped_service_stops_the_load(data_copy):
    row = _report_row(data_copy, "2025-12", "navy")
    edit_cell(data_copy / PERS, row, "personnel", "2123")  # 21236 with a digit dropped
    with pytest.raises(troops.DataError) as err:
        troops.load_personnel(data_copy)
    total_row = _report_row(data_copy, "2025-12", "total_active_duty")
    msg = str(err.value)
    assert msg.startswith(f"data/{PERS}, row {total_row} (line {total_row + 1}), column 'personnel'")
    assert f"navy 2,123 (row {row})" in msg and "2025-12" in msg and "services_sum_mismatch" in msg


def test_the_issue_example_navy_2110_for_21100_stops_the_load(data_copy):
    _add_report(data_copy)
    edit_cell(data_copy / PERS, _report_row(data_copy, "2026-03", "navy"), "personnel", "2110")
    with pytest.raises(troops.DataError, match=r"row \d+ .*column 'personnel'.*navy 2,110"):
        troops.load_personnel(data_copy)


def test_known_discrepancies_are_flagged_and_flags_are_not_stale(data_copy):
    pers = troops.load_personnel()  # the committed data load: every discrepancy is flagged
    flagged = pers[pers["flags"].fillna("").str.contains("services_sum_mismatch")]
    assert sorted(set(flagged["report_date"])) == ["2021-12", "2022-03", "2022-06"]
    # Without its flag, the March 2022 report stops the load.
    row = _report_row(data_copy, "2022-03", "total_active_duty")
    edit_cell(data_copy / PERS, row, "flags", "")
    with pytest.raises(troops.DataError, match="2022-03"):
        troops.load_personnel(data_copy)
    # A flag on a report that adds up is stale.
    edit_cell(data_copy / PERS, row, "flags", "services_sum_mismatch")
    edit_cell(data_copy / PERS, _report_row(data_copy, "2022-09", "total_active_duty"), "flags", "services_sum_mismatch")
    with pytest.raises(troops.DataError, match="column 'flags'.*add up"):
        troops.load_personnel(data_copy)


def test_a_flagged_report_still_adds_up_to_the_sum_its_note_records(data_copy):
    edit_cell(data_copy / PERS, _report_row(data_copy, "2022-03", "navy"), "personnel", "2041")
    with pytest.raises(troops.DataError, match="55666 its note records"):
        troops.load_personnel(data_copy)


# --- a variant run leaves figures/ byte-identical ------------------------------------------------

def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(stem, values: dict, build_dir, monkeypatch, data_dir=None):
    """Execute a notebook with some parameters changed, papermill-style: an injected cell after the
    parameters cell. Variant output goes under build_dir (the notebook's build/ in normal use)."""
    nb = nbformat.read(paths.NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    lines = [f"{k.upper()} = {v!r}" for k, v in values.items()]
    lines += ["import pathlib", "import japan_taiwan_evidence.paths as _paths",
              f"_paths.BUILD = pathlib.Path({str(build_dir)!r})"]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(at + 1, cell)
    if data_dir is not None:
        monkeypatch.setenv("JTE_DATA_DIR", str(data_dir))
    NotebookClient(nb, timeout=600, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"],
                   resources={"metadata": {"path": str(paths.NOTEBOOKS)}}).execute()
    return nb


def _text(nb) -> str:
    return "\n".join("".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.e2e
def test_a_variant_run_of_notebook_01_follows_its_parameters_and_leaves_figures_alone(data_copy, tmp_path, monkeypatch):
    _add_report(data_copy)
    before = _digests(paths.FIGURES)
    nb = _run(NB01, {"rounded_tolerance": 0.02, "first_year": 2010}, tmp_path / "build", monkeypatch, data_copy)
    assert _digests(paths.FIGURES) == before, "a variant run changed figures/"
    out = _text(nb)
    # The verdict, the rule and the summary move together.
    assert "C13 verdict: supported with caveats" in out and "within ±2% of the claimed" in out
    assert "C13 (54,000): supported with caveats" in out and "tolerance ±2%" in out
    variant = tmp_path / "build" / "variants" / f"{NB01}--first_year=2010,rounded_tolerance=0.02" / "figures"
    assert {p.name for p in variant.glob("01_*.png")} >= {"01_personnel_since_1950.png", "01_personnel_by_service.png"}
    with open(variant / "index.csv", encoding="utf-8", newline="") as fh:
        index = {r["figure"]: r for r in csv.DictReader(fh)}
    # The title names the period drawn, and the new report's source reaches the footer.
    assert index["01_personnel_since_1950"]["caption"].startswith("US military personnel in Japan, 2010 to 2026")
    assert "dmdc-2026-03" in index["01_personnel_since_1950"]["sources"].split("; ")
    assert "dmdc-2026-03" in index["01_personnel_by_service"]["sources"].split("; ")
