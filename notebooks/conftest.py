"""How pytest checks these notebooks (strict nbval, in `make test`): outputs only, never figures/.

nbval runs each notebook in its own kernel. The notebook saves its figures as it always does, but into
a scratch folder (build/nbval/<notebook>/figures, removed afterwards): the check compares the
notebooks' outputs with the committed ones, and only `make figures` writes figures/. Without this, a
test run after a data edit would rewrite the committed figures while nbval reported the notebook as
failed.
"""

import os
import shutil
from pathlib import Path

import pytest

_USED: set[Path] = set()  # the scratch folders this process wrote, removed when it ends


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    # nbval starts the notebook's kernel while setting up its first cell; the kernel copies the
    # environment then, so JTE_FIGURES_DIR is set only around the setup.
    from japan_taiwan_evidence import paths  # here: pytest-xdist's controller loads this file too

    scratch = paths.BUILD / "nbval" / Path(item.path).stem
    _USED.add(scratch)
    before = os.environ.get("JTE_FIGURES_DIR")
    os.environ["JTE_FIGURES_DIR"] = str(scratch / "figures")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("JTE_FIGURES_DIR", None)
        else:
            os.environ["JTE_FIGURES_DIR"] = before


def pytest_unconfigure(config):
    for folder in _USED:
        shutil.rmtree(folder, ignore_errors=True)
    for parent in {folder.parent for folder in _USED}:
        try:
            parent.rmdir()  # build/nbval, once no process has a notebook in it
        except OSError:
            pass
