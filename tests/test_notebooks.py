"""The notebooks read like reports, store clean outputs, and never draw from invalid data.

Output reproduction itself is checked by nbval (make test runs pytest --nbval on notebooks/).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from japan_taiwan_evidence import paths

from conftest import edit_cell, read_rows

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
IMPORT_OK = re.compile(r"^(import japan_taiwan_evidence as jte|import pandas as pd|import matplotlib\.pyplot as plt"
                       r"|import matplotlib as mpl|import matplotlib\.dates as mdates|from matplotlib[\w.]* import [\w, ]+"
                       r"|import numpy as np)$")


def _cells(nb_path):
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_reads_like_a_report(nb_path):
    cells = _cells(nb_path)
    head = "".join(cells[0]["source"])
    assert cells[0]["cell_type"] == "markdown" and head.startswith("# " + nb_path.name[:2])
    for part in ("**Question.**", "**Claims tested**", "**Figures written:**"):
        assert part in head, f"{nb_path.name}: the first cell lacks {part}"
    # The imports open the first code cell after the parameters cell (papermill's 'parameters' tag).
    first_code = next(c for c in cells if c["cell_type"] == "code"
                      and "parameters" not in c.get("metadata", {}).get("tags", []))
    imports = [ln.strip() for ln in "".join(first_code["source"]).splitlines()
               if ln.strip().startswith(("import ", "from "))]
    assert imports and all(IMPORT_OK.match(ln) for ln in imports), f"{nb_path.name}: imports {imports}"
    headings = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    assert any(h.startswith("## What the evidence shows") for h in headings)
    assert cells[-1]["cell_type"] == "code", "the closing verdict must be printed by code"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_clean(nb_path):
    cells = [c for c in _cells(nb_path) if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{nb_path.name}: run it top to bottom in a fresh kernel"
    text = json.dumps([c["outputs"] for c in cells])
    assert '"output_type": "error"' not in text
    assert '"name": "stderr"' not in text, f"{nb_path.name}: a warning landed in the stored outputs"
    for root in {str(paths.REPO), tempfile.gettempdir() + "/", str(Path.home()) + "/"}:
        assert root not in text, f"{nb_path.name}: an absolute path ({root}) is in the outputs"
    saved = re.findall(r"save_figure\(fig, \"(\w+)\"", "".join("".join(c["source"]) for c in cells))
    assert all(name.startswith(nb_path.name[:3]) for name in saved), saved


@pytest.mark.e2e
def test_notebook_stops_on_bad_data_and_writes_no_figure(data_copy, tmp_path, monkeypatch):
    path = data_copy / "troops" / "personnel.csv"
    edit_cell(path, 7, "personnel", "lots")
    figs = tmp_path / "figures"
    figs.mkdir()
    monkeypatch.setenv("JTE_DATA_DIR", str(data_copy))
    monkeypatch.setenv("JTE_FIGURES_DIR", str(figs))
    nb = nbformat.read(paths.NOTEBOOKS / "01_us_forces_japan.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    with pytest.raises(CellExecutionError) as err:
        client.execute()
    assert "DataError" in str(err.value) and "data/troops/personnel.csv, row 7" in str(err.value)
    assert list(figs.iterdir()) == []


@pytest.mark.e2e
def test_nbval_checks_outputs_and_never_writes_figures(data_copy):
    # A user edits the first (1950) report and runs the strict check before `make figures`. The notebook's
    # printed outputs do not show 1950, so nbval passes; its figure would change, but figures/ is not
    # written: no committed file is rewritten, not even with equal bytes.
    path = data_copy / "troops" / "personnel.csv"
    _fields, rows = read_rows(path)
    # Rows 1 and 5: the first report's air force and its ashore total; one more airman in both keeps
    # the table consistent.
    assert rows[0]["report_date"] == rows[4]["report_date"] and rows[4]["service"] == "total_ashore"
    for row in (1, 5):
        edit_cell(path, row, "personnel", str(int(rows[row - 1]["personnel"]) + 1))
    mine = [*sorted(paths.FIGURES.glob("01_*")), *sorted((paths.FIGURES / "data").glob("01_*")),
            paths.FIGURES / "index.csv"]
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in mine}
    nb = paths.NOTEBOOKS / "01_us_forces_japan.ipynb"
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.startup", "-q", "--nbval",
                           "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", str(nb)],
                          cwd=paths.REPO, env={**os.environ, "JTE_DATA_DIR": str(data_copy)},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in mine} == before and len(mine) > 10
    assert not (paths.BUILD / "nbval" / nb.stem).exists()  # its scratch figures are gone
