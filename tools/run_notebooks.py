"""Execute the notebooks in order, in place, and write their figures (`make figures`).

A notebook re-runs only when its inputs changed: the notebook file itself, anything under data/,
the helper package, or requirements.txt. The fingerprint of those inputs is kept in
build/stamps/<notebook>.sha256 (git-ignored), so a second `make figures` with nothing changed runs
no notebook. Use --force to run everything, or name notebooks to run only those. Every run ends by
regenerating the figure gallery, figures/README.md (japan_taiwan_evidence.gallery).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _load_paths():
    """japan_taiwan_evidence/paths.py on its own (it imports only os and pathlib). Importing the package
    would import pandas, pandera and matplotlib, about 1 s that a no-op build must not pay; the package,
    nbformat and nbclient are imported only when a notebook runs or the gallery is rewritten."""
    spec = importlib.util.spec_from_file_location("_jte_paths", REPO / "japan_taiwan_evidence" / "paths.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


paths = _load_paths()

TIMEOUT_S = 900


def _files_under(folder: Path, patterns) -> list[Path]:
    out = []
    for pattern in patterns:
        out.extend(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(set(out))


def shared_inputs() -> list[Path]:
    """What every notebook depends on besides itself."""
    data = [p for p in _files_under(paths.DATA, ["*"]) if "external" not in p.relative_to(paths.DATA).parts]
    package = _files_under(paths.REPO / "japan_taiwan_evidence", ["*.py", "*.mplstyle"])
    return data + package + [paths.REPO / "requirements.txt"]


_digests: dict[tuple, bytes] = {}


def _digest(p: Path) -> bytes:
    """sha256 of a file, read once per build: every notebook's fingerprint hashes the same data files."""
    st = p.stat()
    key = (str(p), st.st_mtime_ns, st.st_size)
    if key not in _digests:
        _digests[key] = hashlib.sha256(p.read_bytes()).digest()
    return _digests[key]


def fingerprint(notebook: Path, inputs: list[Path]) -> str:
    h = hashlib.sha256()
    for p in [notebook, *inputs]:
        h.update(p.relative_to(paths.REPO).as_posix().encode())
        h.update(_digest(p))
    return h.hexdigest()


def _skip_iri_grammars() -> None:
    """Importing nbformat imports jsonschema, whose format checkers import rfc3987_syntax when it is
    installed (jupyter-events needs it), and that module compiles some 40 Lark grammars at import:
    ~1.2 s of every build. nbformat validates with fastjsonschema and its schema uses no IRI formats,
    so this process marks the module as absent (None in sys.modules: its import raises ImportError,
    which jsonschema expects and skips)."""
    sys.modules.setdefault("rfc3987_syntax", None)


def client_for(nb, notebook: Path):
    """The nbclient runner for one notebook, in a fresh kernel (tools/bench.py times this same setup)."""
    _skip_iri_grammars()
    from nbclient import NotebookClient

    # The kernel's own log (e.g. its note on TCP transport) is not part of the notebook: errors only.
    # Once the last cell is done the kernel has nothing left to flush (figures are written and closed
    # by then), so it is stopped at once rather than asked to shut down, which costs ~0.8 s a notebook.
    return NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3", record_timing=False,
                          shutdown_kernel="immediate",
                          extra_arguments=["--IPKernelApp.log_level=ERROR"],
                          resources={"metadata": {"path": str(notebook.parent)}})


def execute(notebook: Path) -> None:
    _skip_iri_grammars()
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    client_for(nb, notebook).execute()
    # Cell IDs and outputs are all that changes; nbformat writes sorted keys, so bytes are stable.
    nbformat.write(nb, notebook)


def describe_failure(e: Exception) -> str:
    """What to tell the user about a failed notebook. A cell's error comes with the kernel's coloured
    traceback; a DataError already names file, row and column, so it is shown alone, on one line;
    other errors keep their traceback, without colour codes, above the one-line summary."""
    ename, evalue = getattr(e, "ename", None), getattr(e, "evalue", None)
    if ename is None:
        return f"{type(e).__name__}: {e}"
    if ename == "DataError":
        return f"{ename}: {evalue}"
    plain = re.sub(r"\x1b\[[0-9;]*m", "", str(e)).rstrip()
    return f"{plain}\n{ename}: {evalue}"


def gallery_fingerprint() -> str:
    """Everything figures/README.md is made from: the names in figures/ and notebooks/, the index, the
    page itself (a hand edit is overwritten) and the code that renders it."""
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
    """Regenerate figures/README.md from figures/ and its index; checked after every build, even a
    no-op. When none of its inputs changed since the last build wrote it, the page is already right:
    the last summary and warnings are repeated from build/stamps/gallery.json instead of re-rendered."""
    stamp = paths.BUILD / "stamps" / "gallery.json"
    try:
        last = json.loads(stamp.read_text())
    except (OSError, ValueError):
        last = {}
    if last.get("fingerprint") == gallery_fingerprint():
        summary, problems = last["summary"], last["problems"]
    else:
        from japan_taiwan_evidence import gallery

        page = gallery.write()
        summary = f"gallery: {paths.relative(page)} ({len(gallery.figure_files())} figures)"
        problems = gallery.problems()
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({"fingerprint": gallery_fingerprint(), "summary": summary,
                                     "problems": problems}))
    print(summary, flush=True)
    for problem in problems:
        print(f"gallery warning: {problem}", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="only these notebooks (file names)")
    ap.add_argument("--force", action="store_true", help="run even if nothing changed")
    args = ap.parse_args(argv)

    notebooks = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        wanted = {Path(n).name for n in args.notebooks}
        notebooks = [n for n in notebooks if n.name in wanted]
    stamps = paths.BUILD / "stamps"
    stamps.mkdir(parents=True, exist_ok=True)
    inputs = shared_inputs()
    t_all = time.perf_counter()
    ran = 0
    for i, nb in enumerate(notebooks, 1):
        stamp = stamps / f"{nb.stem}.sha256"
        if not args.force and stamp.exists() and stamp.read_text() == fingerprint(nb, inputs):
            print(f"[{i}/{len(notebooks)}] {nb.name}: up to date", flush=True)
            continue
        print(f"[{i}/{len(notebooks)}] {nb.name}: running ...", end=" ", flush=True)
        t0 = time.perf_counter()
        try:
            execute(nb)
        except Exception as e:  # show which notebook failed, then stop the build
            print("FAILED", flush=True)
            print(f"error in {nb.relative_to(paths.REPO)}: {describe_failure(e)}", file=sys.stderr)
            stamp.unlink(missing_ok=True)
            write_gallery()  # keep the gallery true to the figures that did get written
            return 1
        ran += 1
        print(f"{time.perf_counter() - t0:.1f} s", flush=True)
        stamp.write_text(fingerprint(nb, shared_inputs()))
    print(f"{ran} of {len(notebooks)} notebooks run in {time.perf_counter() - t_all:.1f} s")
    write_gallery()
    return 0


if __name__ == "__main__":
    sys.exit(main())
