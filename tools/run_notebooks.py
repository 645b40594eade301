"""Execute the notebooks in order, in place, and write their figures (`make figures`).

A notebook re-runs only when its inputs changed: the notebook file itself, anything under data/,
the helper package, or requirements.txt. The fingerprint of those inputs is kept in
build/stamps/<notebook>.sha256 (git-ignored), so a second `make figures` with nothing changed runs
no notebook. Use --force to run everything, or name notebooks to run only those.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from japan_taiwan_evidence import paths  # noqa: E402

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


def fingerprint(notebook: Path, inputs: list[Path]) -> str:
    h = hashlib.sha256()
    for p in [notebook, *inputs]:
        h.update(p.relative_to(paths.REPO).as_posix().encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def execute(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    # The kernel's own log (e.g. its note on TCP transport) is not part of the notebook: errors only.
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3", record_timing=False,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    # Cell IDs and outputs are all that changes; nbformat writes sorted keys, so bytes are stable.
    nbformat.write(nb, notebook)


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
            print(f"error in {nb.relative_to(paths.REPO)}: {type(e).__name__}: {e}", file=sys.stderr)
            stamp.unlink(missing_ok=True)
            return 1
        ran += 1
        print(f"{time.perf_counter() - t0:.1f} s", flush=True)
        stamp.write_text(fingerprint(nb, shared_inputs()))
    print(f"{ran} of {len(notebooks)} notebooks run in {time.perf_counter() - t_all:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
