"""A no-op `make figures` stays under a second: deciding that nothing needs to run imports nothing heavy."""

import subprocess
import sys

from japan_taiwan_evidence import paths

# Each of these costs 0.2-1 s to import (nbformat alone ~1 s: jsonschema builds its format grammars).
HEAVY = ["pandas", "matplotlib", "pandera", "nbformat", "nbclient", "japan_taiwan_evidence"]


def test_loading_the_build_script_imports_nothing_heavy():
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('rn', {str(paths.REPO / 'tools' / 'run_notebooks.py')!r})\n"
        "rn = importlib.util.module_from_spec(spec); spec.loader.exec_module(rn)\n"
        "rn.up_to_date(rn.paths.NOTEBOOKS / '01_us_forces_japan.ipynb')\n"
        "rn.gallery_fingerprint()\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"a no-op build would import {out.strip()}"


def test_build_script_paths_are_the_packages():
    # run_notebooks.py loads paths.py on its own; it must agree with the package's view.
    import importlib.util

    spec = importlib.util.spec_from_file_location("rn", paths.REPO / "tools" / "run_notebooks.py")
    rn = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rn)
    for name in ("REPO", "DATA", "FIGURES", "NOTEBOOKS", "BUILD"):
        assert getattr(rn.paths, name) == getattr(paths, name), name
