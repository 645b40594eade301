"""make figures: re-runs only what changed, publishes a notebook's outputs together, one build at a time,
and stops cleanly on Ctrl-C. Each test builds a throw-away collection (tiny notebooks, its own data,
figures and build folders) with the real build script, so the committed outputs are never touched."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from japan_taiwan_evidence import files, paths

SCRIPT = paths.REPO / "tools" / "run_notebooks.py"


def _notebook(path: Path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c, id=f"c{i}") for i, c in enumerate(cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


FIGURE = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import japan_taiwan_evidence as jte
def fig(name):
    f, ax = plt.subplots(figsize=(2, 1.5)); ax.plot([0, 1], [0, 1])
    jte.figures.save_figure(f, name, ["troops-S01"], caption=name); plt.close(f)
"""


@pytest.fixture
def collection(tmp_path):
    """A collection of its own: notebooks/, figures/ (with outputs from a 'previous build'), build/,
    and a copy of data/ that the notebooks read."""
    import shutil
    root = tmp_path
    (root / "notebooks").mkdir()
    (root / "figures").mkdir()
    data = root / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("*.geojson", "external", "raw"))
    env = {**os.environ, "JTE_NOTEBOOKS_DIR": str(root / "notebooks"), "JTE_FIGURES_DIR": str(root / "figures"),
           "JTE_BUILD_DIR": str(root / "build"), "JTE_DATA_DIR": str(data), "JOBS": "2"}
    env.pop("JTE_BUILD_LOCK_HELD", None)
    return root, env


def _build(env, *args, **kw):
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True,
                          timeout=300, **kw)


def _snapshot(root: Path) -> dict:
    out = {}
    for sub in ("figures", "notebooks"):
        for p in sorted((root / sub).rglob("*")):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.mark.e2e
def test_a_failure_mid_figures_leaves_the_previous_outputs(collection):
    root, env = collection
    _notebook(root / "notebooks" / "91_ok.ipynb", FIGURE + "fig('91_a')\nfig('91_b')")
    assert _build(env).returncode == 0
    before = _snapshot(root)
    assert "figures/91_a.png" in before and "figures/91_b.png" in before
    # The same notebook, now drawing something else and failing between its two figures.
    _notebook(root / "notebooks" / "91_ok.ipynb",
              FIGURE + "plt.rcParams['lines.linewidth'] = 5\nfig('91_a')\nraise RuntimeError('boom')\nfig('91_b')")
    before = _snapshot(root)
    run = _build(env)
    assert run.returncode == 1
    assert "FAILED" in run.stdout and "boom" in run.stderr
    assert _snapshot(root) == before  # the first figure of the failed run was not published


@pytest.mark.e2e
def test_only_notebooks_that_read_a_changed_file_rerun(collection):
    root, env = collection
    read = "import japan_taiwan_evidence as jte\nopen(jte.paths.DATA / '{}', encoding='utf-8').read()"
    _notebook(root / "notebooks" / "92_personnel.ipynb", read.format("troops/personnel.csv"))
    _notebook(root / "notebooks" / "93_gctf.ipynb", read.format("gctf/partners.csv"))
    assert _build(env).returncode == 0
    noop = _build(env)
    assert noop.stdout.count("up to date") == 2
    with open(root / "data" / "troops" / "personnel.csv", "a", encoding="utf-8") as fh:
        fh.write("")  # unchanged bytes: still up to date
    assert _build(env).stdout.count("up to date") == 2
    p = root / "data" / "troops" / "personnel.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("53973", "53974", 1), encoding="utf-8")
    run = _build(env)
    assert "92_personnel.ipynb: done" in run.stdout
    assert "93_gctf.ipynb: up to date" in run.stdout
    stamp = json.loads((root / "build" / "stamps" / "92_personnel.json").read_text())
    assert any(i.endswith("troops/personnel.csv") for i in stamp["inputs"])


def test_a_second_build_stops_with_a_clear_message(collection):
    root, env = collection
    _notebook(root / "notebooks" / "94_x.ipynb", FIGURE + "fig('94_a')")
    figures = root / "figures"
    lock = root / "build" / "locks" / ("figures-" + hashlib.sha256(str(figures.resolve()).encode())
                                       .hexdigest()[:16] + ".lock")
    with files.build_lock(lock):  # another build holds the figures folder
        run = _build(env)
    assert run.returncode == 2
    assert "another build" in run.stderr
    assert not (figures / "94_a.png").exists()


@pytest.mark.e2e
def test_ctrl_c_stops_cleanly_and_publishes_nothing(collection):
    root, env = collection
    _notebook(root / "notebooks" / "95_slow.ipynb", FIGURE + "fig('95_a')", "import time\ntime.sleep(120)")
    before = _snapshot(root)
    proc = subprocess.Popen([sys.executable, str(SCRIPT)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    me = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    kernels = []
    while time.monotonic() < deadline:  # wait until the kernel is up and the figure is staged
        kernels = [c for c in me.children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]
        staged = list((root / "build" / "stage").rglob("95_a.png")) if (root / "build" / "stage").exists() else []
        if kernels and staged:
            break
        time.sleep(0.5)
    assert kernels, "the kernel never started"
    family = me.children(recursive=True)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err and "AssertionError" not in err
    time.sleep(1)
    alive = [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"left behind: {[p.cmdline()[:3] for p in alive]}"
    assert _snapshot(root) == before
