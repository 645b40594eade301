"""`make export`: the collection's figures laid out for a report, in English, Japanese or Chinese.

    python -m japan_taiwan_evidence.export --figures 03_missile_map --lang ja --width 160
    make export ARGS="--figures 01_personnel_since_1950 --lang zh-Hant --width column --format svg pdf"

Each figure's notebook is run again, in memory (its stored outputs are not touched), with a
*presentation* passed in the environment variable JTE_PRESENTATION: the notebook's own drawing code
makes the figure and figures.save_figure lays it out for the width asked (text keeps its size in
points; the plot is re-laid, not scaled), translates its labels from data/i18n/glossary.csv, sets its
footer and writes it to build/export/<lang>/. One run of a notebook serves every language asked for,
and notebooks run in parallel, one per core (--jobs 1 for one at a time). Nothing under figures/ is
written: the runs' other outputs go to a scratch folder that is removed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import figures, gallery, i18n, paths

__all__ = ["ExportError", "available", "export", "main"]

TIMEOUT_S = 900


class ExportError(RuntimeError):
    """A figure could not be exported (unknown name, or its notebook stopped with an error)."""


def available() -> dict[str, Path]:
    """{figure name: its notebook} for every figure in figures/ whose notebook exists."""
    notebooks = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    out = {}
    for name in gallery.figure_files():
        nb = next((p for p in notebooks if p.name[:3] == name[:3]), None)
        if nb is not None:
            out[name] = nb
    return out


def _select(names) -> dict[str, Path]:
    known = available()
    names = [n for item in (names or ["all"]) for n in str(item).replace(",", " ").split()]
    if not names or "all" in names:
        return known
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ExportError(f"unknown figure {unknown[0]!r}; figures: {', '.join(known)} (or 'all')")
    return {n: known[n] for n in dict.fromkeys(names)}


def _run_notebook(nb_path: Path, pres_env: str, scratch: Path) -> tuple[list[dict], float]:
    """Run one notebook in a fresh kernel with the presentation; returns the records its saves wrote and
    the time taken. Runs in a worker process of export()."""
    sys.modules.setdefault("rfc3987_syntax", None)  # see tools/run_notebooks.py: a slow, unused import
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    report, figs = scratch / "report", scratch / "figures"
    report.mkdir(parents=True)
    figs.mkdir()
    env = {**os.environ, figures.PRESENTATION_ENV: pres_env, "JTE_FIGURES_DIR": str(figs), "MPLBACKEND": "agg"}
    t0 = time.perf_counter()
    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3", record_timing=False,
                            shutdown_kernel="immediate", extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(nb_path.parent)}})
    try:
        client.execute(env=env)  # the kernel's environment carries the presentation
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:  # say which and why
        raise ExportError(f"error in notebooks/{nb_path.name}: {_failure(e)}") from None
    records = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(report.glob("*.json"))]
    return records, time.perf_counter() - t0


def _failure(e: Exception) -> str:
    ename, evalue = getattr(e, "ename", None), getattr(e, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return re.sub(r"\x1b\[[0-9;]*m", "", f"{type(e).__name__}: {e}")


def export(figures_wanted=("all",), langs=i18n.LANGS, width="page", formats=("png",), dpi: int = 300,
           footer: str = "short", svg_text: str = "paths", out=None, missing=None,
           progress=print, jobs: int | None = None) -> list[dict]:
    """Export figures; returns one record per figure and language (size, footer lines, files).

    missing: a file to list the labels that have no translation (figure, label), instead of stopping
    at the first one; those labels stay in English. jobs: notebooks run at once (default: one per core).
    """
    chosen = _select(figures_wanted)
    # Absolute before it reaches a kernel: kernels run in notebooks/, the caller's folder is where a
    # relative --out is meant.
    out_dir = Path(out).resolve() if out is not None else paths.BUILD / "export"
    langs = tuple(dict.fromkeys(langs))
    by_notebook: dict[Path, list[str]] = {}
    for name, nb in chosen.items():
        by_notebook.setdefault(nb, []).append(name)
    total, records = len(chosen) * len(langs), []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(by_notebook)))
    with tempfile.TemporaryDirectory(prefix="jte-export-") as scratch:
        scratch = Path(scratch)
        missing_tmp = scratch / "missing.tsv" if missing else None
        # Spawned workers: each starts its own kernel; a fork of this process could inherit a running one.
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            runs = {}
            for nb_path, names in by_notebook.items():
                pres = figures.Presentation(langs=langs, width_mm=width, footer=footer, dpi=dpi,
                                            formats=tuple(formats), svg_text=svg_text, figures=tuple(names),
                                            export_dir=str(out_dir), report_dir=str(scratch / nb_path.stem / "report"),
                                            missing=str(missing_tmp) if missing_tmp else None)
                runs[pool.submit(_run_notebook, nb_path, pres.to_env(), scratch / nb_path.stem)] = nb_path
            try:
                for fut in as_completed(runs):
                    done, seconds = fut.result()
                    for rec in sorted(done, key=lambda r: (r["figure"], langs.index(r["lang"]))):
                        records.append(rec)
                        progress(_progress_line(len(records), total, rec))
                    progress(f"    ({runs[fut].name} run in {seconds:.1f} s)")
            except BaseException:
                for f in runs:
                    f.cancel()
                raise
        not_saved = sorted({f"{n} {lang}" for n in chosen for lang in langs}
                           - {f"{r['figure']} {r['lang']}" for r in records})
        if not_saved:
            raise ExportError(f"not written (is the figure still saved by its notebook?): {not_saved}")
        if missing_tmp is not None:
            found = missing_tmp.read_text(encoding="utf-8") if missing_tmp.exists() else ""
            Path(missing).parent.mkdir(parents=True, exist_ok=True)
            Path(missing).write_text("figure\tlabel\n" + "".join(sorted(set(found.splitlines(True)))),
                                     encoding="utf-8")
    return sorted(records, key=lambda r: (r["figure"], langs.index(r["lang"])))


def _progress_line(done: int, total: int, rec: dict) -> str:
    wider = f", wider than asked ({rec['width_mm']:g} mm)" if rec["width_mm"] > rec["asked_mm"] + 0.5 else ""
    if rec["text_scale"] < 1:
        wider += f", text at {rec['text_scale']:.0%} to fit"
    if rec.get("clashes"):
        wider += f"; drawn over each other: {'; '.join(rec['clashes'])}"
    return f"[{done}/{total}] {rec['figure']} {rec['lang']} {rec['asked_mm']:g} mm: {', '.join(rec['files'])}{wider}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m japan_taiwan_evidence.export",
                                 description="Export figures for a report: width, language, footer, format.")
    ap.add_argument("--figures", nargs="+", default=["all"], metavar="NAME",
                    help="figure names such as 03_missile_map, or 'all' (default)")
    ap.add_argument("--lang", nargs="+", default=["all"], choices=[*i18n.LANGS, "all"],
                    help="en, ja, zh-Hant, or all (default)")
    ap.add_argument("--width", default="page",
                    help="millimetres, or column (85), page (170, default), slide (254)")
    ap.add_argument("--format", nargs="+", default=["png"], choices=list(figures.FORMATS),
                    help="png (default), svg, pdf")
    ap.add_argument("--dpi", type=int, default=300, help="PNG resolution (default 300)")
    ap.add_argument("--footer", default="short", choices=list(figures.FOOTER_MODES),
                    help="short: publishers (default); full: every source ID; none")
    ap.add_argument("--svg-text", default="paths", choices=list(figures.SVG_TEXT),
                    help="SVG text as paths (looks the same everywhere, default) or editable text")
    ap.add_argument("--out", default=None, help="folder (default build/export); files go to <out>/<lang>/")
    ap.add_argument("--jobs", type=int, default=None, metavar="N",
                    help="notebooks run at once (default: one per core)")
    ap.add_argument("--missing", default=None, metavar="FILE",
                    help="list labels without a translation in FILE instead of stopping at the first")
    args = ap.parse_args(argv)
    langs = i18n.LANGS if "all" in args.lang else tuple(args.lang)
    try:
        width = figures.parse_width(args.width)
        records = export(args.figures, langs, width, tuple(args.format), args.dpi, args.footer,
                         args.svg_text, args.out, args.missing, jobs=args.jobs)
    except (ExportError, ValueError) as e:
        print(f"export failed: {e}", file=sys.stderr)
        return 1
    # The folder as the user named it (relative to where they ran the command), else the default.
    where = Path(args.out).as_posix().rstrip("/") if args.out else paths.relative(paths.BUILD / "export")
    sets = "1 set" if len(records) == 1 else f"{len(records)} sets"
    print(f"exported {sets} of figure files (one per figure and language) to {where}/<lang>/")
    if args.missing:
        print(f"labels without a translation: {args.missing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
