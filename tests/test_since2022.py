"""Notebook 06's tables, zone geometry and forecast checks: bad rows stop with file/row/column, the zone
functions give notebook 03's results for the 2022 zones, no zone is drawn without published vertices,
and every forecast verdict follows the data."""

import csv
import re
from itertools import pairwise

import pandas as pd
import pytest
from conftest import edit_cell, find_row, read_rows, write_rows

from japan_taiwan_evidence import diplomacy, ledger, missiles, paths, validate, verdicts
from japan_taiwan_evidence.since2022 import analysis, tables
from japan_taiwan_evidence.since2022 import claims as forecasts
from japan_taiwan_evidence.validate import DataError

# --- loaders reject bad rows, naming file, row and column -------------------------------------------

BAD_ROWS = [
    ("since2022/exercise_zones.csv", 3, "lat", "26.6", tables.load_exercise_zones, "lat"),
    ("since2022/exercise_zones.csv", 2, "lon_published", "122-36-00E", tables.load_exercise_zones,
     "lon_published"),
    ("since2022/exercises.csv", 2, "end_date", "2024-05-01", tables.load_exercises, "end_date"),
    ("since2022/events.csv", 4, "date", "2025-11-31", tables.load_events, "date"),
    ("since2022/events.csv", 10, "value", "admiral", tables.load_events, "value"),
    ("since2022/events.csv", 1, "source_id", "since2022-S999", tables.load_events, "source_id"),
    ("since2022/posture.csv", 5, "personnel", "about forty", tables.load_posture, "personnel"),
    ("since2022/evacuation.csv", 9, "host_prefecture", "", tables.load_evacuation, "host_prefecture"),
    ("since2022/visitors.csv", 2, "month", "2025-13", tables.load_visitors, "month"),
    ("pressure/scrambles.csv", 59, "china", "900", tables.load_scrambles, "china"),
    ("pressure/senkaku_ccg.csv", 12, "value", "400", tables.load_senkaku, "value"),
    ("pressure/senkaku_ccg.csv", 59, "as_of", "", tables.load_senkaku, "as_of"),
]


@pytest.mark.parametrize("rel,row,column,value,load,named", BAD_ROWS, ids=[f"{b[0]}:{b[2]}" for b in BAD_ROWS])
def test_loader_names_file_row_and_column(data_copy, rel, row, column, value, load, named):
    edit_cell(data_copy / rel, row, column, value)
    with pytest.raises(DataError) as err:
        load(data_copy)
    msg = str(err.value)
    assert msg.startswith(f"data/{rel}, row {row} (line {row + 1}), column '{named}'"), msg


def test_zones_only_for_an_exercise_that_published_them(data_copy):
    path = data_copy / "since2022/exercises.csv"
    edit_cell(path, find_row(path, exercise_id="justice-mission-2025"), "zones_published", "false")
    with pytest.raises(DataError, match=r"exercise_zones.csv, row 1 .*column 'exercise_id'"):
        tables.load_exercise_zones(data_copy)


def test_an_exercise_said_to_have_zones_must_have_vertices(data_copy):
    path = data_copy / "since2022/exercises.csv"
    edit_cell(path, find_row(path, exercise_id="joint-sword-2023"), "zones_published", "true")
    with pytest.raises(DataError, match=r"exercises.csv, column 'zones_published'.*joint-sword-2023"):
        tables.load_exercise_zones(data_copy)


def test_a_zone_must_close_a_simple_polygon(data_copy):
    path = data_copy / "since2022/exercise_zones.csv"
    fields, rows = read_rows(path)
    rows[1], rows[2] = rows[2], rows[1]  # vertex 3 before vertex 2: numbering no longer follows file order
    write_rows(path, fields, rows)
    with pytest.raises(DataError, match="vertex_order"):
        tables.load_exercise_zones(data_copy)


def test_every_source_id_named_in_a_note_resolves():
    known = validate.registry_ids()
    for rel in ("since2022", "pressure"):
        for path in sorted((paths.DATA / rel).glob("*.csv")):
            _, rows = read_rows(path)
            for n, r in enumerate(rows, 1):
                for sid in re.findall(r"(?:since2022|pressure)-[SCT]\d+", " ".join(v or "" for v in r.values())):
                    assert sid in known, f"{path.name} row {n}: {sid} is not in data/sources.csv"


# --- notebook 03's zone functions serve both exercises ------------------------------------------------

@pytest.fixture(scope="module")
def eez():
    return missiles.claimed_eez()


@pytest.fixture(scope="module")
def zone_table(eez):
    return analysis.zone_table(analysis.zones_by_exercise(), eez)


def test_distances_for_the_2022_zones_are_unchanged():
    pairs = [("yonaguni", "Z3"), ("hateruma", "Z4")]
    default = missiles.place_zone_distances(pairs)
    explicit = missiles.place_zone_distances(pairs, zones=missiles.load_zones())
    pd.testing.assert_frame_equal(default, explicit)
    # The values notebook 03 prints: Yonaguni-Z3 66.7 km NNW, Hateruma-Z4 62.1 km SW.
    assert default["point_km"].round(1).tolist() == [66.7, 62.1]
    assert default["point_compass"].tolist() == ["NNW", "SW"]


def test_zone_table_reuses_notebook_03_for_2022(eez, zone_table):
    z22 = missiles.load_zones()
    shares = missiles.zone_eez_shares(z22, eez)
    mine = zone_table[zone_table["exercise_id"] == analysis.EXERCISE_2022].reset_index(drop=True)
    pd.testing.assert_series_equal(mine["share_in_eez"], shares["share_in_eez"])
    dist = missiles.place_zone_distances([("yonaguni", z) for z in shares["zone_id"]])
    assert mine["yonaguni_km"].tolist() == dist["point_km"].tolist()
    assert round(float(shares.set_index("zone_id").loc["Z4", "share_in_eez"]), 3) == 0.875


def test_the_same_function_measures_the_2025_zones(zone_table):
    jm = zone_table[zone_table["exercise_id"] == "justice-mission-2025"].set_index("zone_id")
    assert list(jm.index) == ["JM25-Z1", "JM25-Z2", "JM25-Z3", "JM25-Z4", "JM25-Z5"]
    assert (jm["share_in_eez"] == 0).all() and (jm["eez_gap_km"] > 0).all()
    near = analysis.nearest_zones(zone_table).set_index(["exercise_id", "place_id"])
    assert near.loc[("justice-mission-2025", "yonaguni"), "zone_id"] == "JM25-Z5"
    assert near.loc[("justice-mission-2025", "yonaguni"), "km"] > near.loc[(analysis.EXERCISE_2022, "yonaguni"), "km"]


# --- no invented zones ------------------------------------------------------------------------------

def test_every_drawn_zone_has_published_vertices():
    zones = analysis.zones_by_exercise()
    published = set(tables.load_exercises().query("zones_published")["exercise_id"])
    assert set(zones) == {analysis.EXERCISE_2022} | published
    for ex, vertices in zones.items():
        assert vertices["lat_published"].notna().all() and vertices["lon_published"].notna().all(), ex
        assert vertices.groupby("zone_id")["vertex_order"].count().min() >= 3, ex
    timeline = analysis.exercise_timeline()
    assert (timeline.loc[~timeline["zones_published"], "zones"] == 0).all()


def test_the_zone_map_draws_only_published_zones(zone_table, eez):
    import matplotlib.pyplot as plt

    from japan_taiwan_evidence.since2022 import figures_exercises

    zones = analysis.zones_by_exercise()
    fig, data, _ = figures_exercises.draw_zone_maps(zones, zone_table, eez)
    try:
        drawn = {t.get_text() for ax in fig.axes for t in ax.texts}
        expected = {z.split("-")[-1] for v in zones.values() for z in v["zone_id"]}
        assert expected <= drawn
        # The rows drawn (save_figure's data=): every published zone, and only those, each row sourced.
        assert set(data.loc[data["layer"] == "zone", "zone_id"]) == {z for v in zones.values() for z in v["zone_id"]}
        assert all(sid in validate.registry_ids() for cell in data["source_id"] for sid in cell.split(";"))
    finally:
        plt.close(fig)


def test_the_unit_timeline_keeps_its_time_axis_readable():
    """Long rows wrap to two lines instead of widening the figure: laid out at the committed width, the
    time axis keeps a fifth of the figure and its year labels do not run into each other."""
    import matplotlib.pyplot as plt

    from japan_taiwan_evidence import figures, layout
    from japan_taiwan_evidence.since2022 import figures_islands

    posture = analysis.posture_timeline(tables.load_posture())
    fig, _ = figures_islands.draw_posture(posture, diplomacy.article_window()["last"])
    try:
        assert any("\n" in t.get_text() for t in fig.axes[0].texts)  # the longest rows do wrap
        layout.fit_width(fig, figures.DEFAULT_WIDTH_MM / 25.4 - 2 * layout.PAD_IN)  # as save_figure does
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        assert ax.bbox.width >= fig.bbox.width / 5
        years = sorted((t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()),
                       key=lambda b: b.x0)
        assert len(years) >= 3 and all(a.x1 < b.x0 for a, b in pairwise(years))
    finally:
        plt.close(fig)


# --- the official series -----------------------------------------------------------------------------

@pytest.mark.parametrize("from_fy", [None, 1995, 2010])
def test_the_scramble_chart_hides_no_year_behind_its_key_or_labels(from_fy):
    """06_scrambles' key sat over the bars of the 1960s to the 1980s and its latest-year label over the
    bars before it; with SCRAMBLES_FROM_FY=2010 (no range-only years) the chart did not draw at all."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from japan_taiwan_evidence import clashes, figures, layout
    from japan_taiwan_evidence.since2022 import figures_series

    scr = tables.load_scrambles()
    if from_fy is not None:  # as notebook 06 applies its parameter
        scr = scr[scr["fiscal_year"] >= from_fy].reset_index(drop=True)
    fig, drawn = figures_series.draw_scrambles(scr, analysis.scramble_summary(scr))
    try:
        layout.fit_width(fig, figures.DEFAULT_WIDTH_MM / 25.4 - 2 * layout.PAD_IN)  # as save_figure does
        assert clashes.find(fig) == []
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        bars = [b.get_window_extent(renderer) for b in ax.patches if b.get_height() > 0]
        assert len(bars) == len(scr) == len(drawn)
        # The labels' text (an annotation's own extent includes its leader line, which may cross bars).
        covers = [ax.get_legend().get_window_extent(renderer)] + [Text.get_window_extent(t, renderer)
                                                                  for t in ax.texts]
        assert not [(c, b) for c in covers for b in bars if c.overlaps(b)]
        ranged = [t.get_text() for t in ax.get_legend().get_texts() if "only a range" in t.get_text()]
        assert len(ranged) == int(scr["china_max"].notna().any())  # the key names only what is drawn
    finally:
        plt.close(fig)


def test_scramble_peak_follows_the_data(data_copy):
    path = data_copy / "pressure/scrambles.csv"
    assert analysis.scramble_summary(tables.load_scrambles(data_copy))["peak_total_fy"] == 2016
    row = find_row(path, fiscal_year="2021")
    edit_cell(path, row, "total", "1200")
    edit_cell(path, row, "other", "212")
    s = analysis.scramble_summary(tables.load_scrambles(data_copy))
    assert (s["peak_total_fy"], s["peak_total"]) == (2021, 1200)


def test_senkaku_gaps_and_floors_come_from_the_rows(data_copy):
    path = data_copy / "pressure/senkaku_ccg.csv"
    ccg = tables.load_senkaku(data_copy)
    gaps = analysis.senkaku_gaps(ccg).set_index(["zone", "measure"])
    assert gaps.loc[("contiguous_zone", "ship_days"), "years_missing"] == [2023, 2024, 2025]
    fields, rows = read_rows(path)
    write_rows(path, fields, [r for r in rows if not (r["year"] == "2016" and r["measure"] == "days"
                                                      and r["zone"] == "territorial_sea")])
    gaps = analysis.senkaku_gaps(tables.load_senkaku(data_copy)).set_index(["zone", "measure"])
    assert 2016 in gaps.loc[("territorial_sea", "days"), "years_missing"]
    assert set(analysis.senkaku_floors(ccg)["qualifier"]) == {"at_least"}


# --- forecasts: vocabulary, coverage and verdicts that follow the data ---------------------------------

def _verdict(cid, data_dir=None):
    return verdicts.evaluate(cid, data_dir)


def test_forecasts_stay_out_of_the_article_ledger():
    table = ledger.ledger_table()
    assert list(table["claim_id"]) == [f"C{i:02d}" for i in range(1, 28)]
    assert ledger.verdict_counts(table)["claims"].sum() == 27
    assert list(forecasts.forecast_claims()["claim_id"]) == ["F01", "F02", "F03", "F04"]


def test_a_dated_forecast_does_not_move_the_article_date(data_copy):
    before = diplomacy.article_window(data_copy)
    path = data_copy / "claims.csv"
    row = find_row(path, claim_id="F02")
    edit_cell(path, row, "claimed_value", "2030-01-01")
    edit_cell(path, row, "claimed_unit", "date")
    assert diplomacy.article_window(data_copy) == before


def test_coverage_is_the_latest_source_date(data_copy):
    assert f"{analysis.coverage()['date']:%Y-%m-%d}" == "2026-03-03"
    path = data_copy / "sources.csv"
    edit_cell(path, find_row(path, source_id="since2022-S49"), "published", "2026-02")
    cov = analysis.coverage(data_dir=data_copy)
    assert (f"{cov['date']:%Y-%m-%d}", cov["source_id"]) == ("2026-02-24", "since2022-S48")


def test_forecast_verdicts_from_the_committed_data():
    got = {cid: _verdict(cid).verdict for cid in ("F01", "F02", "F03", "F04")}
    assert got == {"F01": forecasts.HAPPENED, "F02": forecasts.PARTLY, "F03": forecasts.PARTLY,
                   "F04": forecasts.HAPPENED}
    assert all(isinstance(_verdict(cid), forecasts.ForecastVerdict) for cid in got)


def test_f02_follows_the_postings(data_copy):
    path = data_copy / "since2022/events.csv"
    row = find_row(path, event_id="mod-civilian-official-taipei")
    edit_cell(path, row, "value", "serving_military_officer")
    assert _verdict("F02", data_copy).verdict == forecasts.HAPPENED
    fields, rows = read_rows(path)
    write_rows(path, fields, [r for r in rows if r["key"] != "person_status_posted"])
    v = _verdict("F02", data_copy)
    assert v.verdict == forecasts.NOT_FOUND
    assert v.label == "not found in the records up to 2026-03-03"


def test_f03_follows_the_drills(data_copy):
    path = data_copy / "since2022/events.csv"
    row = find_row(path, event_id="jcg-cga-sar-drill")
    edit_cell(path, row, "actor_type", "military")
    assert _verdict("F03", data_copy).verdict == forecasts.HAPPENED
    edit_cell(path, row, "date", "2022-09-01")  # before the article: no longer counts
    assert _verdict("F03", data_copy).verdict == forecasts.NOT_FOUND


def test_f04_follows_the_partners(data_copy):
    path = data_copy / "gctf/partners.csv"
    fields, rows = read_rows(path)
    late_core = [r for r in rows if r["role"] == "full_partner" and r["start_date"] > "2023"]
    assert {r["iso3"] for r in late_core} == {"CAN", "GBR"}
    # Drop the new full partners (and end nothing early): only other roles remain after the article.
    kept = [dict(r, end_date="", end_basis="") if r["partner"] in ("Canada", "United Kingdom") else r
            for r in rows if r not in late_core]
    write_rows(path, fields, kept)
    assert _verdict("F04", data_copy).verdict == forecasts.PARTLY


def test_f01_needs_the_term_length(data_copy):
    path = data_copy / "diplomacy/events.csv"
    fields, rows = read_rows(path)
    write_rows(path, fields, [r for r in rows if r["key_type"] != "term_length_years"])
    assert _verdict("F01", data_copy).verdict == forecasts.PARTLY


def test_forecast_vocabulary_is_enforced():
    with pytest.raises(ValueError):
        forecasts.ForecastVerdict("F01", verdicts.SUPPORTED, "", "", "")


def test_claims_register_rows_keep_their_notebook():
    with open(paths.DATA / "claims.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["category"] == "forecast"]
    assert rows and all(r["notebook"] == "06_after_the_article" and r["claim_id"].startswith("F") for r in rows)


def test_the_after_remark_rows_carry_the_label_the_timeline_prints():
    events = tables.load_events()
    after = analysis.after_remark(events, tables.load_exercises())
    own = after[after["topic"] != "pla_exercise"]
    drills = after[after["topic"] == "pla_exercise"]
    assert len(own) and len(drills)
    assert list(own["label"]) == list(own["event_id"].map(events.set_index("event_id")["label"]))
    assert list(drills["label"]) == list(drills["what"]) and all(drills["label"].str.startswith("PLA exercise"))


def test_months_added_to_the_visitors_keep_their_value_labels_apart():
    """06_after_takaichi: a user adding next month's JNTO figure put more months on the time axis and ran
    the value labels together (make figures refused the figure), and the event labels into the key. The
    value labels now take a month's width, and the key hangs under the time axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from japan_taiwan_evidence import clashes, layout
    from japan_taiwan_evidence.since2022 import figures_islands

    events = tables.load_events()
    after = analysis.after_remark(events, tables.load_exercises())
    remark = events.set_index("event_id").loc[analysis.REMARK_EVENT, "when"]
    visitors = tables.load_visitors()
    last = pd.Period(visitors["month"].max(), freq="M")
    # Three further months as a user would add them (trial values, not evidence).
    added = pd.DataFrame({"month": [str(last + i) for i in range(1, 4)], "visitors": [400000] * 3,
                          "yoy_change_pct": [-12.5] * 3})
    sizes = {}
    for name, rows in (("today", visitors), ("three more", pd.concat([visitors, added], ignore_index=True))):
        fig, _drawn = figures_islands.draw_after_remark(after, analysis.visitor_months(rows), remark)
        layout.fit_width(fig, 170 / 25.4 - 2 * layout.PAD_IN)
        assert clashes.find(fig) == [], name
        sizes[name] = fig.axes[1].texts[0].get_fontsize()
        plt.close(fig)
    assert figures_islands.VALUE_MIN_PT <= sizes["three more"] < sizes["today"] <= figures_islands.VALUE_PT
