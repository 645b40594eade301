"""Issue 12 for notebooks 03, 04 and 05: one parameters cell per notebook, one set of parameters per run,
footers from the rows drawn, and variants that never touch figures/.

Each test changes something (a parameter, a data row, a knob's default) and checks that every output that
depends on it follows: the verdict, its rule and reasoning, the summary, the footer and where files go.
"""

import ast
import dataclasses
import hashlib
import json
import shutil

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import pytest
from conftest import read_rows, write_rows
from nbclient import NotebookClient

from japan_taiwan_evidence import figures, ledger, missiles, params, paths, reach, sources, verdicts

STEMS = ["03_missile_strikes_2022", "04_reach_and_distance", "05_claims_ledger"]


def _code_cells(stem):
    cells = json.loads((paths.NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code"]


def _assignments(source: str) -> dict:
    return {t.id: ast.literal_eval(node.value) for node in ast.parse(source).body
            if isinstance(node, ast.Assign) for t in node.targets}


@pytest.fixture(autouse=True)
def _no_active_run():
    params.reset()
    yield
    params.reset()
    plt.close("all")


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ the parameters cell and the knobs

@pytest.mark.parametrize("stem", STEMS)
def test_parameters_cell_holds_every_knob_with_its_default(stem):
    first, second = _code_cells(stem)[:2]
    assert first["metadata"].get("tags") == ["parameters"], f"{stem}: the first code cell must be tagged parameters"
    source = "".join(first["source"])
    values = _assignments(source)
    assert {k.lower(): v for k, v in values.items()} == params.defaults(stem)
    # Every knob has its comment just above it (as in notebooks 01 and 02): meaning, unit and default.
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            above = " ".join(lines[max(0, i - 4):i])
            assert lines[i - 1].startswith("#") and "Unit:" in above and "Default" in above, line
    use = "".join(second["source"])
    assert f'jte.params.use("{stem}"' in use and all(f"{k}={k}" in use for k in values)


def test_range_knobs_match_the_systems_and_their_sources():
    knobs = params.KNOBS["04_reach_and_distance"]
    ranges = missiles.load_ranges()
    range_knobs = {k for k in knobs if k.endswith(reach.RANGE_KNOB_SUFFIX)}
    assert range_knobs == {f"{s}{reach.RANGE_KNOB_SUFFIX}" for s in ranges["system_id"]}
    for r in ranges.itertuples():  # the default is the published estimate: its source is the row's
        assert knobs[f"{r.system_id}{reach.RANGE_KNOB_SUFFIX}"].source_id == r.source_id


def test_defaults_are_read_at_call_time_not_bound_at_import(monkeypatch):
    knobs = params.KNOBS["03_missile_strikes_2022"]
    assert verdicts.evaluate("C11").verdict == verdicts.SUPPORTED
    monkeypatch.setitem(knobs, "inside_share", dataclasses.replace(knobs["inside_share"], default=0.04))
    v = verdicts.evaluate("C11")
    assert v.verdict == verdicts.CAVEATS and "more than 4%" in v.rule
    shares = missiles.zone_eez_shares(missiles.load_zones(), missiles.claimed_eez())
    assert shares.set_index("zone_id").loc["Z3", "inside"]
    monkeypatch.setitem(knobs, "distance_tolerance", dataclasses.replace(knobs["distance_tolerance"], default=0.05))
    v = verdicts.evaluate("C09")
    assert v.verdict == verdicts.SUPPORTED and "±5%" in v.rule


# ------------------------------------------------------------------ one set of parameters: 03 and 05

def test_one_parameter_change_moves_count_verdict_rule_and_reasoning_together():
    zones, launches = missiles.load_zones(), missiles.load_launches()
    shares = missiles.zone_eez_shares(zones, missiles.claimed_eez(), 0.04)
    counts = missiles.eez_counts(missiles.missile_table(launches, shares))
    v = verdicts.evaluate("C11", params={"inside_share": 0.04})
    assert counts["by_zone"] == 6 and counts["disagree"] == ["JPMOD-1"]
    assert f"by zone: {counts['by_zone']} of {counts['total']}" in v.measured
    assert f"gives {counts['by_zone']}" in v.reasoning and "JPMOD-1" in v.reasoning
    assert "more than 4% of its area" in v.rule and v.verdict == verdicts.CAVEATS


def test_the_ledger_takes_the_parameters_and_says_which(tmp_path):
    p = {"inside_share": 0.04}
    table = ledger.ledger_table(params=p).set_index("claim_id")
    assert table.loc["C11", "verdict"] == verdicts.CAVEATS and "gives 6" in table.loc["C11", "reasoning"]
    assert "inside_share=0.04 (default 0.5)" in ledger.parameters_text(p)
    assert "rounded_tolerance=0.05," in ledger.parameters_text(None)
    ledger.export_ledger(figures_dir=tmp_path, table=table.reset_index(), params=p)
    md = (tmp_path / "05_claims_ledger.md").read_text(encoding="utf-8")
    assert "Parameters of the checks: rounded_tolerance=0.05, inside_share=0.04 (default 0.5)" in md


def test_a_variant_ledger_export_leaves_figures_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    before = _digest(paths.FIGURES)
    run = params.use("05_claims_ledger", INSIDE_SHARE=0.04)
    ledger.export_ledger(params=run)
    folder = tmp_path / "build/variants/05_claims_ledger--inside_share=0.04/figures"
    assert (folder / "05_claims_ledger.csv").is_file() and (folder / "05_claims_ledger.md").is_file()
    assert _digest(paths.FIGURES) == before


# ------------------------------------------------------------------ 04: a user-set range is credited as such

def test_a_user_range_moves_the_ring_and_its_credit():
    default = reach.range_bands().set_index("band_id").loc["DF-21 / DF-21D"]
    assert (default["upper_km"], default["source_id"], default["user_set"]) == (1750.0, "missiles-S38", False)
    bands = reach.range_bands(range_km=reach.user_ranges({"df21_range_km": 3500, "df15_range_km": None}))
    row = bands.set_index("band_id").loc["DF-21 / DF-21D"]
    assert (row["lower_km"], row["upper_km"], row["class_id"]) == (3500.0, 3500.0, "irbm")  # class found again
    assert row["user_set"] and row["source_id"] == "" and row["credit"] == "user parameter df21_range_km=3500"
    assert "missiles-S38" not in sources.ids_of(bands)
    assert "DF-21 / DF-21D 3,500 km (user parameter df21_range_km=3500)" in reach.user_range_note(bands)
    assert reach.user_range_note(reach.range_bands()) == ""
    with pytest.raises(KeyError, match="df99"):
        reach.range_bands(range_km={"df99": 100})


def test_a_user_range_footer_credits_the_parameter_and_goes_to_the_variant(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    before = _digest(paths.FIGURES)
    run = params.use("04_reach_and_distance", DF21_RANGE_KM=2150)
    bands = reach.range_bands(range_km=reach.user_ranges(run))
    fig, ax = plt.subplots()
    ax.barh(bands["label"], bands["upper_km"])
    figures.save_figure(fig, "04_test_rings", sources=sources.ids_of(bands), note=reach.user_range_note(bands))
    footer = " ".join(" ".join(t.get_text().split()) for t in fig.texts)
    assert "Variant with changed parameters: df21_range_km=2150 (default None)" in footer
    assert "DF-21 / DF-21D 2,150 km (user parameter df21_range_km=2150)" in footer
    out = tmp_path / "build/variants/04_reach_and_distance--df21_range_km=2150/figures"
    assert (out / "04_test_rings.png").is_file()
    # The full citations (the figure's sidecar) credit the parameter, not the DF-21's published estimate.
    cited = (out / "04_test_rings.sources.csv").read_text(encoding="utf-8")
    assert "missiles-S38" not in cited and "missiles-S37" in cited
    assert _digest(paths.FIGURES) == before


# ------------------------------------------------------------------ footers from the rows drawn

NEW_SOURCE = {"source_id": "missiles-T01", "topic": "missiles", "dossier_id": "", "publisher": "Test Publisher",
              "title": "A source added by a test", "url": "", "published": "2024", "date_as_given": "2024",
              "accessed": "", "kind": "secondary", "licence": "test", "notes": "added by a test, never committed"}


def _add_source(data_dir):
    path = data_dir / "sources.csv"
    fields, rows = read_rows(path)
    write_rows(path, fields, rows + [NEW_SOURCE])


def test_a_new_range_row_reaches_the_footer(data_copy, tmp_path):
    _add_source(data_copy)
    path = data_copy / "missiles_2022/ranges.csv"
    fields, rows = read_rows(path)
    rows.append({"system_id": "dftest", "system": "DF-Test", "range_min_km": "1200", "range_max_km": "1500",
                 "quality": "medium", "source_id": "missiles-T01", "note": ""})
    write_rows(path, fields, rows)
    bands = reach.range_bands(data_copy)
    ids = sources.ids_of(bands)
    assert "missiles-T01" in ids
    fig, ax = plt.subplots()
    ax.barh(bands["label"], bands["upper_km"])
    figures.save_figure(fig, "04_test_counts", sources=ids, figures_dir=tmp_path, data_dir=data_copy)
    assert "missiles-T01" in (tmp_path / "index.csv").read_text(encoding="utf-8")


def test_ids_of_reads_rows_cells_and_method_sources():
    import pandas as pd
    rows = pd.DataFrame({"source_id": ["a-1;b-2", None, "b-2"]})
    assert sources.ids_of(rows, "c-3", ["a-1", float("nan"), "d-4;c-3"]) == ["a-1", "b-2", "c-3", "d-4"]
    assert sources.ids_of(pd.Series({"source_id": "e-5", "x": 1})) == ["e-5"]
    with pytest.raises(KeyError):
        sources.ids_of(pd.DataFrame({"x": [1]}))


# ------------------------------------------------------------------ the whole notebook, as a user reruns it

VARIANT_03 = "03_missile_strikes_2022--inside_share=0.04"


@pytest.mark.e2e
def test_notebook_03_variant_is_consistent_credits_new_rows_and_leaves_figures_alone(tmp_path, monkeypatch):
    """The contradiction of issue 12: with inside_share=0.04 one cell said 6 of 9, the verdict 5 of 9.

    Runs notebook 03 as papermill would (a cell after the parameters cell sets the new value), on a copy of
    data/ in which one zone cites a new source. Every count, the C11 verdict and the summary must agree; the
    new source must reach the map's footer; figures/ must not change.
    """
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("external"))
    _add_source(data)
    zones = data / "missiles_2022/zones.csv"
    fields, rows = read_rows(zones)
    for r in rows:
        if r["zone_id"] == "Z5":
            r["source_id"] += ";missiles-T01"
    write_rows(zones, fields, rows)
    variant = paths.BUILD / "variants" / VARIANT_03
    shutil.rmtree(variant, ignore_errors=True)
    before = _digest(paths.FIGURES)

    nb = nbformat.read(paths.NOTEBOOKS / "03_missile_strikes_2022.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell("INSIDE_SHARE = 0.04",
                                                      metadata={"tags": ["injected-parameters"]}))
    monkeypatch.setenv("JTE_DATA_DIR", str(data))
    NotebookClient(nb, timeout=600, kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"],
                   resources={"metadata": {"path": str(paths.NOTEBOOKS)}}).execute()
    try:
        text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert "Variant run (inside_share=0.04 (default 0.5))" in text
        assert "By zone: 6 of 9 fell in zones more than 4% inside" in text  # the counts cell
        assert "C11 verdict: supported with caveats" in text and "by zone: 6 of 9" in text  # the verdict cell
        assert "the zones more than 4% inside give 6, and they disagree on JPMOD-1" in text  # the summary
        assert "C11 (supported with caveats): MOD's count is 5; the constructed EEZ gives 6" in text
        assert "5 of 9 fell" not in text and "give 5" not in text and "agrees missile by missile" not in text
        index = (variant / "figures" / "index.csv").read_text(encoding="utf-8")
        assert "missiles-T01" in index
        assert (variant / "figures" / "03_missile_map.png").is_file()
        assert _digest(paths.FIGURES) == before
    finally:
        shutil.rmtree(variant, ignore_errors=True)


def test_area_check_reads_the_knob_default_when_called(monkeypatch):
    from japan_taiwan_evidence import troops
    loose = troops.area_check(tolerance=1000.0)
    assert not loose["disagrees"].any()
    knob = params.KNOBS["04_reach_and_distance"]["area_tolerance"]
    monkeypatch.setitem(params.KNOBS["04_reach_and_distance"], "area_tolerance",
                        params.Knob(knob.notebook, knob.name, 1000.0, knob.meaning, knob.unit, knob.source_id))
    assert troops.area_check()["disagrees"].equals(loose["disagrees"])  # no default bound at import
