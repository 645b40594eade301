"""GCTF tables (notebook 02): loaders, bad inputs, the derived series and the claim checks."""

import math

import pandas as pd
import pytest

from japan_taiwan_evidence import diplomacy, gctf, validate, verdicts
from japan_taiwan_evidence.validate import DataError

from conftest import edit_cell, find_row, read_rows, write_rows

CUM = "gctf/cumulative.csv"
PARTNERS = "gctf/partners.csv"
WORKSHOPS = "gctf/workshops.csv"
THEMES = "gctf/themes.csv"
LOADERS = {
    PARTNERS: gctf.load_gctf_partners,
    CUM: gctf.load_gctf_cumulative,
    "gctf/annual.csv": gctf.load_gctf_annual,
    WORKSHOPS: gctf.load_gctf_workshops,
    THEMES: gctf.load_gctf_themes,
    "gctf/joint_committees.csv": gctf.load_gctf_joint_committees,
}


def _expect(data_copy, rel, row, column, words=()):
    """The loader stops with one DataError naming the file, the row and the column."""
    with pytest.raises(DataError) as err:
        LOADERS[rel](data_copy)
    msg = str(err.value)
    assert msg.startswith(f"data/{rel}, row {row} (line {row + 1}), column '{column}': expected"), msg
    for w in words:
        assert w in msg, msg
    return msg


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", sorted(LOADERS))
def test_every_gctf_table_loads_and_is_declared(rel):
    assert rel in validate.TABLES
    assert len(LOADERS[rel]()) > 0


def test_cumulative_keeps_conflicting_statements_side_by_side():
    cum = gctf.load_gctf_cumulative()
    same_day = cum[(cum["statement_date"] == "2021-12-17") & (cum["measure"] == "participants")]
    assert sorted(same_day["qualifier"]) == ["about", "nearly"]
    assert cum.loc[cum["statement_id"] == "20220826_countries_s133", "is_floor"].item()
    undated = cum[cum["statement_date"].isna()]
    assert set(undated["flag"]) == {"undated"} and undated["date"].isna().all()


def test_date_bounds_cover_the_whole_period():
    assert validate.date_bounds("2016") == (pd.Timestamp("2016-01-01"), pd.Timestamp("2016-12-31"))
    assert validate.date_bounds("2024-02") == (pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-29"))
    assert validate.date_bounds("2021-10-27") == (pd.Timestamp("2021-10-27"),) * 2


# ---------------------------------------------------------------------------------------------
# Bad input: each stops with file, row and column
# ---------------------------------------------------------------------------------------------

def test_unknown_qualifier(data_copy):
    row = find_row(data_copy / CUM, statement_id="20221029_countries_s43")
    edit_cell(data_copy / CUM, row, "qualifier", "roughly")
    _expect(data_copy, CUM, row, "qualifier", ["one of", "roughly"])


@pytest.mark.parametrize("rel,column,match,value", [
    (PARTNERS, "start_date", {"partner": "Australia", "role": "full_partner"}, "27 Oct 2021"),
    (PARTNERS, "start_date", {"partner": "Sweden"}, "2019-02-30"),
    (CUM, "statement_date", {"statement_id": "20240802_countries_s66"}, "2024-8-2"),
    (WORKSHOPS, "date", {"workshop_id": "20191120_energy-governance"}, "2019-11-31"),
])
def test_unparseable_date(data_copy, rel, column, match, value):
    row = find_row(data_copy / rel, **match)
    edit_cell(data_copy / rel, row, column, value)
    _expect(data_copy, rel, row, column, ["ISO date", value])


def test_unknown_partner_role(data_copy):
    row = find_row(data_copy / PARTNERS, partner="Sweden", role="guest_co_host")
    edit_cell(data_copy / PARTNERS, row, "role", "associate_member")
    _expect(data_copy, PARTNERS, row, "role", ["one of", "associate_member"])


def test_unflagged_decrease_stops_and_names_the_earlier_statement(data_copy):
    row = find_row(data_copy / CUM, statement_id="20240925_countries_s77")
    edit_cell(data_copy / CUM, row, "value", "120")
    msg = _expect(data_copy, CUM, row, "value", ["no lower than the 131", "20240802_countries_s66", "found 120"])
    assert "rounded_floor" in msg
    # The same value with a flag saying why it is lower is accepted.
    edit_cell(data_copy / CUM, row, "flag", "apparent_decrease")
    assert len(gctf.load_gctf_cumulative(data_copy)) > 0


def test_removing_a_needed_flag_stops_the_load(data_copy):
    row = find_row(data_copy / CUM, statement_id="20251112_countries_s30")
    edit_cell(data_copy / CUM, row, "flag", "")
    _expect(data_copy, CUM, row, "value", ["119"])


def test_decrease_across_kinds_of_source_is_not_an_error(data_copy):
    # A news report below an official statement is a different series: kept, not rejected.
    row = find_row(data_copy / CUM, statement_id="20221029_countries_s43")
    edit_cell(data_copy / CUM, row, "value", "101")
    assert len(gctf.load_gctf_cumulative(data_copy)) > 0


def test_precision_must_match_the_date(data_copy):
    row = find_row(data_copy / CUM, statement_id="202306_workshops_s119")
    edit_cell(data_copy / CUM, row, "date_precision", "day")
    _expect(data_copy, CUM, row, "date_precision", ["2023-06"])


def test_superseded_role_must_end_when_full_partnership_starts(data_copy):
    row = find_row(data_copy / PARTNERS, partner="Canada", role="guest_co_host")
    edit_cell(data_copy / PARTNERS, row, "end_date", "2024-09-01")
    _expect(data_copy, PARTNERS, row, "end_date", ["2024-08-02"])


# ---------------------------------------------------------------------------------------------
# Derived series
# ---------------------------------------------------------------------------------------------

def test_core_partner_steps():
    p = gctf.load_gctf_partners()
    steps = gctf.core_steps(p)
    assert steps["n_core"].tolist() == [2, 3, 4, 5, 6]
    assert gctf.core_members_at(p, "2022-09-01") == ["AUS", "JPN", "TWN", "USA"]
    assert gctf.core_members_at(p, "2015-05-31") == []
    (start, end), = gctf.periods_with_n_core(p, 4)
    assert (start, end) == (pd.Timestamp("2021-10-27"), pd.Timestamp("2024-08-01"))
    assert gctf.periods_with_n_core(p, 6)[0][1] is None  # still six at the latest record


def test_value_bounds_treat_floors_as_floors():
    assert gctf.value_bounds(100, "over") == (100.0, math.inf)
    assert gctf.value_bounds(119, "exact") == (119.0, 119.0)
    lo, hi = gctf.value_bounds(3500, "nearly")
    assert lo < 3500 and hi == 3500


def test_108_countries_is_bracketed_by_the_2021_and_2022_statements():
    b = gctf.consistent_dates(gctf.load_gctf_cumulative(), 108)
    assert b["last_below"]["statement_id"] == "20211217_countries_s08"
    assert b["first_above"]["statement_id"] == "20221029_countries_s43"
    assert (b["start"], b["end"]) == (pd.Timestamp("2021-12-18"), pd.Timestamp("2022-10-28"))
    assert b["matches"].empty
    # "over 100" in August 2022 sits inside the range and does not end it.
    assert "20220826_countries_s133" in set(b["inside"]["statement_id"])


def test_a_floor_above_the_value_does_end_the_range():
    b = gctf.consistent_dates(gctf.load_gctf_cumulative(), 30)
    assert b["first_above"]["statement_id"] == "20190929_countries_s56"  # "over 35"


def test_stated_year_totals():
    t = gctf.stated_year_totals(gctf.load_gctf_annual()).set_index("year")
    assert t.loc[2023, "events"] == 15 and t.loc[2023, "basis"] == "non-franchise + franchise"
    assert t.loc[2021, "events"] == 16
    assert t.loc[2025, "events"] == 9 and t.loc[2025, "basis"] == "all events"


def test_article_window_comes_from_the_data(data_copy):
    w = diplomacy.article_window()
    assert (w["first"], w["last"]) == (pd.Timestamp("2022-08-04"), pd.Timestamp("2022-10-15"))
    path = data_copy / "diplomacy/events.csv"
    edit_cell(path, find_row(path, event_id="cpc20-congress"), "date", "2022-09-01")
    assert diplomacy.article_window(data_copy)["last"] == pd.Timestamp("2022-08-31")


# ---------------------------------------------------------------------------------------------
# Verdicts, and that they follow the data
# ---------------------------------------------------------------------------------------------

def test_gctf_verdicts():
    got = {c: verdicts.evaluate(c).verdict for c in ("C06", "C07", "C21", "C23", "C24", "C25")}
    assert got == {"C06": verdicts.SUPPORTED, "C07": verdicts.CAVEATS, "C21": verdicts.SUPPORTED,
                   "C23": verdicts.SUPPORTED, "C24": verdicts.NOT_TESTABLE, "C25": verdicts.CAVEATS}
    assert verdicts.evaluate("C22").verdict == verdicts.NOT_TESTED  # no data to check it against
    c06 = verdicts.evaluate("C06")
    assert "2021-10-27 to 2024-08-01" in c06.measured and "Canada on 2024-08-02" in c06.reasoning
    c24 = verdicts.evaluate("C24")
    assert "2021-12-18 to 2022-10-28" in c24.measured
    for v in map(verdicts.evaluate, ("C06", "C07", "C21", "C23", "C24", "C25")):
        assert v.rule and v.measured and v.source_ids


def _move_full_partner(data_copy, partner, date):
    path = data_copy / PARTNERS
    edit_cell(path, find_row(path, partner=partner, role="full_partner"), "start_date", date)
    for role in ("guest_co_host", "jc_observer"):
        try:
            edit_cell(path, find_row(path, partner=partner, role=role), "end_date", date)
        except LookupError:
            pass


def test_c06_follows_the_data(data_copy):
    _move_full_partner(data_copy, "Canada", "2022-09-01")  # a fifth partner inside the window
    v = verdicts.evaluate("C06", data_dir=data_copy)
    assert v.verdict == verdicts.CAVEATS and "2022-09-01" in v.measured
    _move_full_partner(data_copy, "Canada", "2022-01-01")  # five throughout the window
    assert verdicts.evaluate("C06", data_dir=data_copy).verdict == verdicts.DIFFERS


def test_c24_follows_the_data(data_copy):
    path = data_copy / CUM
    row = find_row(path, statement_id="20221029_countries_s43")
    edit_cell(path, row, "value", "108")
    v = verdicts.evaluate("C24", data_dir=data_copy)
    assert v.verdict == verdicts.SUPPORTED and "20221029_countries_s43" in v.reasoning
    edit_cell(path, row, "value", "119")
    edit_cell(path, find_row(path, statement_id="20211217_countries_s08"), "value", "112")
    v = verdicts.evaluate("C24", data_dir=data_copy)
    assert v.verdict == verdicts.DIFFERS and "already above" in v.reasoning


def test_c07_follows_the_data(data_copy):
    path = data_copy / THEMES
    for lst in ("gctf_site", "ait_page", "anniversary_2020"):
        edit_cell(path, find_row(path, theme_category="energy", official_list=lst), "article_theme", "")
        edit_cell(path, find_row(path, theme_category="energy", official_list=lst), "name_match", "")
    v = verdicts.evaluate("C07", data_dir=data_copy)
    assert v.verdict == verdicts.DIFFERS and "clean energy" in v.reasoning


def test_c21_and_c23_follow_the_data(data_copy):
    _move_full_partner(data_copy, "Japan", "2022-01-01")  # Australia (2021) before Japan
    assert verdicts.evaluate("C23", data_dir=data_copy).verdict == verdicts.CAVEATS
    path = data_copy / PARTNERS
    edit_cell(path, find_row(path, partner="United States", role="founding_partner"), "start_date", "2016-01-01")
    assert verdicts.evaluate("C21", data_dir=data_copy).verdict == verdicts.DIFFERS


def test_c25_follows_the_data(data_copy):
    path = data_copy / WORKSHOPS
    for wid in ("20210310_disaster-resilience-1", "20210924_disaster-resilience-2"):
        edit_cell(path, find_row(path, workshop_id=wid), "theme_official", "other")
    v = verdicts.evaluate("C25", data_dir=data_copy)
    assert v.verdict == verdicts.CAVEATS and "4 of 59" in v.measured and "rank 6 of 9" in v.measured
    path = data_copy / THEMES  # out of one official list as well: neither holds
    fields, rows = read_rows(path)
    write_rows(path, fields, [r for r in rows if (r["theme_category"], r["official_list"]) != ("hadr", "ait_page")])
    assert verdicts.evaluate("C25", data_dir=data_copy).verdict == verdicts.DIFFERS


@pytest.mark.e2e
def test_notebook_02_stops_on_an_unflagged_decrease_and_writes_no_figure(data_copy, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from japan_taiwan_evidence import paths

    path = data_copy / CUM
    row = find_row(path, statement_id="20240925_countries_s77")
    edit_cell(path, row, "value", "120")
    figs = tmp_path / "figures"
    figs.mkdir()
    monkeypatch.setenv("JTE_DATA_DIR", str(data_copy))
    monkeypatch.setenv("JTE_FIGURES_DIR", str(figs))
    nb = nbformat.read(paths.NOTEBOOKS / "02_gctf_growth.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"])
    with pytest.raises(CellExecutionError) as err:
        client.execute()
    assert "DataError" in str(err.value) and f"data/{CUM}, row {row}" in str(err.value)
    assert list(figs.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Host map (notebook 02, section 4)
# ---------------------------------------------------------------------------------------------

def test_host_countries_take_the_highest_role_and_keep_the_rest():
    hosts = gctf.host_countries(gctf.load_gctf_partners(), gctf.load_gctf_workshops())
    by = hosts.set_index("name")
    assert list(hosts["category"].drop_duplicates()) == ["core", "guest", "host"]  # sorted by precedence
    assert by.loc["Australia", "category"] == "core"  # guest co-host, then full partner, then franchise host
    assert by.loc["Australia", "roles"] == "guest_co_host;full_partner;franchise_host"
    assert by.loc["Israel", "category"] == "guest" and by.loc["Israel", "venue"]
    assert by.loc["Sweden", "category"] == "guest" and not by.loc["Sweden", "venue"]
    assert by.loc["Palau", "category"] == "host" and by.loc["Palau", "first_date"] == "2019-09-29"
    assert by.loc["Taiwan", "workshops_listed"] == 30
    assert pd.isna(by.loc["European Union", "iso3"])  # a body, not a country: listed, not mapped
    assert hosts["iso3"].dropna().is_unique and len(hosts) == 24
    assert "jc_observer" not in ";".join(hosts["roles"])


def test_a_workshop_venue_without_a_partner_row_is_a_host(data_copy):
    path = data_copy / WORKSHOPS
    edit_cell(path, find_row(path, workshop_id="20150812_mers-diagnosis"), "country_iso3", "FJI")
    hosts = gctf.host_countries(gctf.load_gctf_partners(data_copy), gctf.load_gctf_workshops(data_copy))
    fji = hosts.set_index("iso3").loc["FJI"]
    assert fji["category"] == "host" and fji["roles"] == "workshop_venue" and fji["workshops_listed"] == 1


def test_marker_points_pick_the_small_states():
    from shapely.geometry import Point, box

    world = {"BIG": box(0, 0, 10, 10), "TINY": box(20, 0, 20.1, 0.1), "ISL": box(30, 0, 30.05, 0.05).union(
        box(31, 0, 31.2, 0.2))}
    pts = gctf.marker_points(world, ["BIG", "TINY", "ISL", "TINY"], max_km2=1000)
    assert list(pts["iso3"]) == ["ISL", "TINY"]
    isl = pts.set_index("iso3").loc["ISL"]
    assert box(31, 0, 31.2, 0.2).contains(Point(isl["lon"], isl["lat"]))  # on the largest part
    with pytest.raises(KeyError):
        gctf.marker_points(world, ["NONE"], max_km2=1000)


def test_hosts_abroad_by_separates_certain_from_possible():
    partners = gctf.load_gctf_partners()
    by = gctf.hosts_abroad_by(partners, "2024-03-31")
    assert set(by["certain"]) <= set(by["possible"]) and "TWN" not in by["possible"]
    assert "LTU" in by["possible"] and "LTU" not in by["certain"]  # a 2024 role (year only) against March 2024
    assert gctf.hosts_abroad_by(partners, "2019-09-28") == {"certain": [], "possible": []}
    assert gctf.hosts_abroad_by(partners, "2019-09-29")["certain"] == ["PLW"]


def test_a_partial_year_is_named_with_its_last_day():
    """Notebook 02's legend names a count that stops before the year's end by its last day; a whole
    year (no period_end, read as NaN) by the year alone."""
    assert gctf.year_label(2026, "2026-09-30") == "2026 up to 30 Sep"
    assert gctf.year_label(2019, float("nan")) == gctf.year_label(2019, None) == "2019"
    stated = gctf.stated_year_totals(gctf.load_gctf_annual())
    partial = stated["period_end"].notna()
    labels = [gctf.year_label(r.year, r.period_end) for r in stated.itertuples()]
    assert [" up to " in label for label in labels] == list(partial) and partial.any() and not partial.all()
