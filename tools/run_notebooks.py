"""Execute the notebooks, in parallel, and publish their outputs (`make figures`).

A notebook re-runs only when one of its inputs changed: its own cells, the data files it read last
time (each kernel records every file under data/ it opens), the helper package, or requirements.txt.
What it read and the fingerprint of those inputs are kept in build/stamps/<notebook>.json
(git-ignored), so a change to data/troops/personnel.csv re-runs only the notebooks that read it, and a
second `make figures` with nothing changed runs nothing. --force runs everything; name notebooks to
run only those; --jobs N (or JOBS=N) sets how many run at once (default: one per core).

Safe to interrupt, safe to run twice:
* each notebook runs in its own worker process and writes its figures into a private staging folder;
  only when it finished without error are its figures, its figures/index.csv rows and the executed
  notebook moved into place, each file atomically. A failed or interrupted notebook leaves its previous
  figures, index entries and notebook exactly as they were.
* one build at a time: the build holds the figures folder's lock for its whole run, so a second build
  (or a notebook run in JupyterLab) stops or waits with a message instead of interleaving writes.
* Ctrl-C (or SIGTERM) stops the workers and their kernels, publishes nothing more, prints
  "interrupted" and exits 130.
Every run ends by regenerating the figure gallery, figures/README.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import csv
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _load(name: str):
    """A core module on its own (paths and files import only the standard library). Importing the
    package would import pandas, pandera and matplotlib, about 1 s that a no-op build must not pay."""
    spec = importlib.util.spec_from_file_location(f"_jte_{name}", REPO / "japan_taiwan_evidence" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


paths = _load("paths")
files = _load("files")

TIMEOUT_S = 900
STAMPS = paths.BUILD / "stamps"
# How long each notebook took last time, kept apart from the stamps (a clean build removes those): the
# longest notebooks start first, so two cores do not wait on one long notebook started last.
TIMINGS = paths.BUILD / "timings.json"
STAGE_ROOT = paths.BUILD / "stage"
INDEX_FIELDS = ["figure", "notebook", "caption", "sources"]
_print_lock = threading.Lock()


def say(text: str, err: bool = False) -> None:
    """One whole line at a time, so parallel workers' progress lines never interleave."""
    with _print_lock:
        print(text, file=sys.stderr if err else sys.stdout, flush=True)


# ----------------------------------------------------------------------------------- fingerprints
_digests: dict[tuple, bytes] = {}


def _digest(p: Path) -> bytes:
    """sha256 of a file, read once per build."""
    st = p.stat()
    key = (str(p), st.st_mtime_ns, st.st_size)
    if key not in _digests:
        _digests[key] = hashlib.sha256(p.read_bytes()).digest()
    return _digests[key]


def package_inputs() -> list[Path]:
    """What every notebook depends on besides its own data: the helper package and the pins."""
    pkg = paths.REPO / "japan_taiwan_evidence"
    found = [p for pattern in ("*.py", "*.mplstyle") for p in pkg.rglob(pattern) if "__pycache__" not in p.parts]
    return sorted(found) + [paths.REPO / "requirements.txt"]


_VIEW_METADATA = {"collapsed", "scrolled", "jupyter", "editable", "deletable", "execution", "ExecuteTime"}


def notebook_fingerprint_bytes(notebook: Path) -> bytes:
    """What of a notebook decides its run: each cell's type, source and execution-relevant metadata
    (tags such as `parameters` or `raises-exception` included, report tags not), whether a code cell has
    any output, and the kernel. Execution counts and the outputs themselves are left out, so a Run All in
    JupyterLab, which renumbers the cells, does not make the next build run the notebook again; a
    notebook whose outputs were cleared still does."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = []
    for cell in nb.get("cells", []):
        meta = {k: v for k, v in cell.get("metadata", {}).items() if k not in _VIEW_METADATA}
        tags = sorted(t for t in meta.pop("tags", []) if not t.startswith("report"))
        if tags:
            meta["tags"] = tags
        source = cell.get("source", "")
        entry = {"type": cell.get("cell_type"), "source": "".join(source) if isinstance(source, list) else source,
                 "metadata": meta}
        if cell.get("cell_type") == "code":
            entry["has_outputs"] = bool(cell.get("outputs"))
        cells.append(entry)
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    return json.dumps({"kernel": kernel, "cells": cells}, sort_keys=True, ensure_ascii=False).encode("utf-8")


def fingerprint(notebook: Path, data_inputs: list[Path]) -> str | None:
    """Hash of the notebook's cells and of every input; None if an input is gone (run again)."""
    h = hashlib.sha256(notebook_fingerprint_bytes(notebook))
    for p in sorted(set(data_inputs)) + package_inputs():
        if not p.exists():
            return None
        h.update(p.relative_to(paths.REPO).as_posix().encode() if p.is_relative_to(paths.REPO) else str(p).encode())
        h.update(_digest(p))
    return h.hexdigest()


def read_stamp(notebook: Path) -> dict:
    try:
        return json.loads((STAMPS / f"{notebook.stem}.json").read_text())
    except (OSError, ValueError):
        return {}


def up_to_date(notebook: Path) -> bool:
    stamp = read_stamp(notebook)
    if not stamp:
        return False
    data_inputs = [paths.REPO / rel for rel in stamp.get("inputs", [])]
    return stamp.get("fingerprint") == fingerprint(notebook, data_inputs)


def write_stamp(notebook: Path, data_inputs: list[Path]) -> None:
    # Inside the repository as 'data/...'; a data folder elsewhere (JTE_DATA_DIR) as absolute paths.
    rel = sorted({p.relative_to(paths.REPO).as_posix() if p.is_relative_to(paths.REPO) else str(p)
                  for p in data_inputs})
    stamp = {"inputs": rel, "fingerprint": fingerprint(notebook, [paths.REPO / r for r in rel])}
    files.write_text(STAMPS / f"{notebook.stem}.json", json.dumps(stamp, indent=1) + "\n")


# ------------------------------------------------------------------------------------------ worker
def _skip_iri_grammars() -> None:
    """nbformat imports jsonschema, whose format checkers import rfc3987_syntax when installed, which
    compiles some 40 Lark grammars at import (~1.2 s). nbformat's schema uses no IRI formats, so this
    process marks the module as absent (jsonschema expects and skips the ImportError)."""
    sys.modules.setdefault("rfc3987_syntax", None)


def client_for(nb, notebook: Path):
    """The nbclient runner for one notebook, in a fresh kernel (tools/bench.py times this same setup)."""
    _skip_iri_grammars()
    from nbclient import NotebookClient

    # The kernel's own log is not part of the notebook: errors only. Once the last cell is done the
    # kernel has nothing left to flush, so it is stopped at once rather than asked to shut down.
    return NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3", record_timing=False,
                          shutdown_kernel="immediate",
                          extra_arguments=["--IPKernelApp.log_level=ERROR"],
                          resources={"metadata": {"path": str(notebook.parent)}})


_INPUTS_CELL = """\
import json as _json, os as _os
from japan_taiwan_evidence import validate as _validate
with open(_os.environ["JTE_INPUTS_FILE"], "w", encoding="utf-8") as _fh:
    _json.dump(sorted(str(p) for p in _validate.files_read()), _fh)
"""


def worker(notebook: Path, stage: Path) -> int:
    """Run one notebook into `stage`: figures in stage/figures, the executed notebook, inputs.json.

    The kernel inherits JTE_FIGURES_DIR (so save_figure writes into the stage) and JTE_RECORD_INPUTS (so
    it records the data files it opens). A last cell, removed before the notebook is written, saves
    that record. SIGTERM becomes KeyboardInterrupt, so nbclient stops the kernel on the way out.
    """
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    _skip_iri_grammars()
    import nbformat

    (stage / "figures").mkdir(parents=True, exist_ok=True)
    os.environ["JTE_FIGURES_DIR"] = str(stage / "figures")
    os.environ["JTE_RECORD_INPUTS"] = "1"
    os.environ["JTE_INPUTS_FILE"] = str(stage / "inputs.json")
    nb = nbformat.read(notebook, as_version=4)
    n_cells = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(_INPUTS_CELL, id="jte-build-inputs"))
    try:
        client_for(nb, notebook).execute()
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # the parent reports it; nothing is published
        (stage / "error.txt").write_text(describe_failure(e), encoding="utf-8")
        return 1
    nb.cells = nb.cells[:n_cells]
    _merge_consecutive_streams(nb)
    # Cell IDs and outputs are all that changes; nbformat writes sorted keys, so bytes are stable.
    buf = io.StringIO()
    nbformat.write(nb, buf)
    (stage / "notebook.ipynb").write_text(buf.getvalue(), encoding="utf-8")
    return 0


def _merge_consecutive_streams(nb) -> None:
    """One output for each run of printed text: how the kernel happens to chunk a cell's prints (one
    message or two) varies from run to run and must not change the notebook's bytes. Only neighbours
    are merged, so text printed after a figure stays after it (nbclient's coalesce_streams would move
    it up)."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (last is not None and out["output_type"] == last["output_type"] == "stream"
                    and out["name"] == last["name"]):
                last["text"] += out["text"]
            else:
                merged.append(out)
        if cell.cell_type == "code":
            cell.outputs = merged


def describe_failure(e: Exception) -> str:
    """A DataError already names file, row and column, and a LayoutError the figure and the clashing
    labels, so each is shown alone, on one line; other errors keep their traceback, without colour codes,
    above the one-line summary."""
    ename, evalue = getattr(e, "ename", None), getattr(e, "evalue", None)
    if ename is None:
        return f"{type(e).__name__}: {e}"
    if ename in ("DataError", "LayoutError"):  # messages that say what to fix: no traceback needed
        return f"{ename}: {evalue}"
    plain = re.sub(r"\x1b\[[0-9;]*m", "", str(e)).rstrip()
    return f"{plain}\n{ename}: {evalue}"


# ----------------------------------------------------------------------------------------- publish
def _read_index(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["figure"]: r for r in csv.DictReader(fh)}


def publish(notebook: Path, stage: Path) -> list[Path]:
    """Move a finished notebook's outputs into place; returns the data files it read."""
    staged_figures = stage / "figures"
    prefix = notebook.stem[:3]  # 'NN_': the figures a notebook owns
    staged_index = _read_index(staged_figures / "index.csv")
    for src in sorted(p for p in staged_figures.rglob("*") if p.is_file() and p.name != "index.csv"):
        dst = paths.FIGURES / src.relative_to(staged_figures)
        files.write_bytes(dst, src.read_bytes())
    if staged_index:
        index = _read_index(paths.FIGURES / "index.csv")
        index = {k: v for k, v in index.items() if not k.startswith(prefix)}
        index.update(staged_index)
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=INDEX_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(index[k] for k in sorted(index))
        files.write_text(paths.FIGURES / "index.csv", buf.getvalue())
    files.write_bytes(notebook, (stage / "notebook.ipynb").read_bytes())
    try:
        read = [Path(p) for p in json.loads((stage / "inputs.json").read_text())]
    except (OSError, ValueError):
        read = []
    return [p for p in read if p.is_relative_to(paths.DATA) and "external" not in p.relative_to(paths.DATA).parts]


# --------------------------------------------------------------------------------------------- gallery
def gallery_fingerprint() -> str:
    """Everything figures/README.md is made from: names in figures/ and notebooks/, the index, the page
    itself (a hand edit is overwritten) and the code that renders it."""
    h = hashlib.sha256()
    names = sorted(p.name for p in paths.FIGURES.iterdir()) if paths.FIGURES.is_dir() else []
    names += sorted(p.name for p in paths.NOTEBOOKS.glob("*.ipynb"))
    h.update("\n".join(names).encode())
    sidecars = sorted(paths.FIGURES.glob("*.sources.csv")) if paths.FIGURES.is_dir() else []  # citations
    for p in [paths.FIGURES / "index.csv", paths.FIGURES / "README.md", *sidecars,
              REPO / "japan_taiwan_evidence" / "gallery.py", REPO / "japan_taiwan_evidence" / "figures.py"]:
        h.update(p.as_posix().encode())
        h.update(_digest(p) if p.is_file() else b"-")
    return h.hexdigest()


def write_gallery() -> None:
    """Regenerate figures/README.md unless none of its inputs changed since the last build wrote it."""
    stamp = STAMPS / "gallery.json"
    try:
        last = json.loads(stamp.read_text())
    except (OSError, ValueError):
        last = {}
    if last.get("fingerprint") == gallery_fingerprint():
        summary, problems = last["summary"], last["problems"]
    else:
        sys.path.insert(0, str(REPO))
        from japan_taiwan_evidence import gallery

        page = gallery.write()
        summary = f"gallery: {paths.relative(page)} ({len(gallery.figure_files())} figures)"
        problems = gallery.problems()
        files.write_text(stamp, json.dumps({"fingerprint": gallery_fingerprint(), "summary": summary,
                                            "problems": problems}))
    say(summary)
    for problem in problems:
        say(f"gallery warning: {problem}", err=True)


# ------------------------------------------------------------------------------------------- build
def _read_timings() -> dict:
    try:
        return json.loads(TIMINGS.read_text())
    except (OSError, ValueError):
        return {}


def longest_first(todo: list, timings: dict) -> list:
    """Notebooks in the order to start them: longest last time first (unknown ones first of all, as they
    may be long), ties in notebook order."""
    return sorted(todo, key=lambda item: (-timings.get(item[1].stem, float("inf")), item[0]))


class Build:
    def __init__(self, notebooks: list[Path], jobs: int):
        self.notebooks, self.jobs = notebooks, max(1, jobs)
        self.procs: dict[str, subprocess.Popen] = {}
        self.stopping = False
        self.failed: list[str] = []
        self.timings: dict[str, float] = _read_timings()

    def run_one(self, i: int, nb: Path) -> bool:
        total = len(self.notebooks)
        if self.stopping:
            return False
        say(f"[{i}/{total}] {nb.name}: running")
        t0 = time.perf_counter()
        STAGE_ROOT.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f"{nb.stem}.", dir=STAGE_ROOT))
        try:
            # A new session: Ctrl-C reaches the build, which stops workers and kernels itself.
            proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", str(nb),
                                     "--stage", str(stage)], start_new_session=True)
            self.procs[nb.name] = proc
            code = proc.wait()
            self.procs.pop(nb.name, None)
            if self.stopping or code == 130:
                return False
            if code != 0:
                err = (stage / "error.txt").read_text(encoding="utf-8") if (stage / "error.txt").exists() \
                    else f"the worker exited with status {code}"
                say(f"[{i}/{total}] {nb.name}: FAILED (its previous figures and notebook are kept)")
                say(f"error in {paths.relative(nb)}: {err}", err=True)
                self.failed.append(nb.name)
                (STAMPS / f"{nb.stem}.json").unlink(missing_ok=True)
                return False
            read = publish(nb, stage)
            write_stamp(nb, read)
            took = time.perf_counter() - t0
            self.timings[nb.stem] = round(took, 1)
            say(f"[{i}/{total}] {nb.name}: done in {took:.1f} s")
            return True
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def stop(self) -> None:
        """Stop every worker (and so its kernel): SIGTERM, then SIGKILL to the process group."""
        self.stopping = True
        for proc in list(self.procs.values()):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 15
        for proc in list(self.procs.values()):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="only these notebooks (file names)")
    ap.add_argument("--force", action="store_true", help="run even if nothing changed")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or os.cpu_count() or 1),
                    help="notebooks run at once (default: JOBS, else one per core)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(Path(args.worker), Path(args.stage))

    notebooks = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        wanted = {Path(n).name for n in args.notebooks}
        notebooks = [n for n in notebooks if n.name in wanted]
    sys.path.insert(0, str(REPO))
    lock = paths.BUILD / "locks" / ("figures-" + hashlib.sha256(str(paths.FIGURES.resolve()).encode())
                                    .hexdigest()[:16] + ".lock")  # the lock save_figure takes too
    try:
        with files.build_lock(lock, wait_s=0, what="another build (or a notebook run in JupyterLab)"):
            return _build(notebooks, args)
    except files.BuildLocked as e:
        say(f"make figures: {e}", err=True)
        return 2


def _build(notebooks: list[Path], args) -> int:
    todo = []
    for i, nb in enumerate(notebooks, 1):
        if not args.force and up_to_date(nb):
            say(f"[{i}/{len(notebooks)}] {nb.name}: up to date")
        else:
            todo.append((i, nb))
    t_all = time.perf_counter()
    build = Build(notebooks, args.jobs)
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    pool = cf.ThreadPoolExecutor(max_workers=build.jobs)
    try:
        futures = [pool.submit(build.run_one, i, nb) for i, nb in longest_first(todo, build.timings)]
        ran = sum(1 for f in cf.as_completed(futures) if f.result())
    except KeyboardInterrupt:
        build.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        say("interrupted: notebooks that had not finished were not published; their previous figures and "
            "notebooks are unchanged", err=True)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        pool.shutdown(wait=True, cancel_futures=True)
    if ran:
        files.write_text(TIMINGS, json.dumps(build.timings, indent=1, sort_keys=True) + "\n")
    failed = "" if not build.failed else (
        f"; {len(build.failed)} FAILED: {', '.join(sorted(build.failed))} (their previous figures and notebooks "
        "are kept)")
    say(f"{ran} of {len(notebooks)} notebooks run in {time.perf_counter() - t_all:.1f} s "
        f"({build.jobs} at a time){failed}")
    write_gallery()
    return 1 if build.failed else 0


if __name__ == "__main__":
    sys.exit(main())
