"""A Run All in JupyterLab (new execution counts, same cells) does not make `make figures` run a notebook
again; a change to what the notebook computes does."""

import copy
import importlib.util
import json

import pytest

from japan_taiwan_evidence import paths

spec = importlib.util.spec_from_file_location("run_notebooks", paths.REPO / "tools" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)

NOTEBOOK = paths.NOTEBOOKS / "01_us_forces_japan.ipynb"


@pytest.fixture
def nb():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


def _fp(tmp_path, nb) -> bytes:
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return run_notebooks.notebook_fingerprint_bytes(path)


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_run_all_in_a_used_kernel_changes_nothing(tmp_path, nb):
    before = _fp(tmp_path, nb)
    rerun = copy.deepcopy(nb)
    for i, cell in enumerate(_code_cells(rerun)):
        cell["execution_count"] = 40 + i  # a kernel that had already run cells
        for out in cell["outputs"]:
            if "execution_count" in out:
                out["execution_count"] = 40 + i
        cell["metadata"]["execution"] = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
        cell["metadata"]["scrolled"] = True
    _code_cells(rerun)[2]["outputs"][0]["text"] = "another printout\n"
    assert _fp(tmp_path, rerun) == before


def test_report_tags_do_not_count_but_other_tags_do(tmp_path, nb):
    before = _fp(tmp_path, nb)
    # A markdown cell (the header): a report tag added or removed changes nothing the build runs.
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    tags = cell["metadata"].get("tags", [])
    tagged = copy.deepcopy(nb)
    twin = tagged["cells"][nb["cells"].index(cell)]
    twin["metadata"]["tags"] = [t for t in tags if not t.startswith("report")] + ["report-skip"]
    assert _fp(tmp_path, tagged) == before
    twin["metadata"]["tags"] = [t for t in tags if not t.startswith("report")] + ["raises-exception"]
    assert _fp(tmp_path, tagged) != before


def test_a_source_edit_or_cleared_outputs_means_a_rerun(tmp_path, nb):
    before = _fp(tmp_path, nb)
    edited = copy.deepcopy(nb)
    _code_cells(edited)[1]["source"].append("\n# changed")
    assert _fp(tmp_path, edited) != before
    cleared = copy.deepcopy(nb)
    for cell in _code_cells(cleared):
        cell["outputs"] = []
    assert _fp(tmp_path, cleared) != before


def test_the_build_fingerprint_hashes_the_cells_not_the_file(monkeypatch):
    inputs = [paths.DATA / "troops" / "personnel.csv"]  # the data a notebook read
    a = run_notebooks.fingerprint(NOTEBOOK, inputs)
    assert a == run_notebooks.fingerprint(NOTEBOOK, inputs)
    monkeypatch.setattr(run_notebooks, "notebook_fingerprint_bytes", lambda path: b"other cells")
    assert run_notebooks.fingerprint(NOTEBOOK, inputs) != a


def test_the_longest_notebooks_start_first():
    from pathlib import Path
    todo = [(1, Path("01_a.ipynb")), (2, Path("02_b.ipynb")), (3, Path("03_c.ipynb")), (4, Path("04_d.ipynb"))]
    timings = {"01_a": 5.0, "02_b": 30.0, "03_c": 12.0}  # 04_d never ran: it may be long, so it goes first
    order = [nb.stem for _, nb in run_notebooks.longest_first(todo, timings)]
    assert order == ["04_d", "02_b", "03_c", "01_a"]


def test_printed_text_is_one_output_however_the_kernel_chunked_it():
    """The same prints arrive as one stream message or two from run to run; the written notebook must be
    the same bytes either way, and text printed after a figure stays after it."""
    import nbformat

    def cell(*chunks):
        outs = [nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"}) if c is None
                else nbformat.v4.new_output("stream", name="stdout", text=c) for c in chunks]
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print()", id="c0", outputs=outs)])
        run_notebooks._merge_consecutive_streams(nb)
        return nbformat.writes(nb)

    assert cell("C11 verdict\n", "  reasoning\n", "\n") == cell("C11 verdict\n  reasoning\n", "\n") \
        == cell("C11 verdict\n  reasoning\n\n")
    merged = nbformat.reads(cell("saved\n", None, "after\n"), as_version=4).cells[0].outputs
    assert [o.get("text") for o in merged] == ["saved\n", None, "after\n"]
