"""How pytest checks these notebooks (strict nbval, in `make test`): outputs only, never figures/.

nbval runs each notebook in its own kernel. The notebook lays out and checks its figures as it always
does (a figure whose labels clash still fails), but writes no figure file: its presentation has
write=False, and the line "saved figures/..." reads "checked figures/..." (tests/nbval_sanitize.cfg
maps one to the other). Anything else a notebook writes (the ledger's tables) goes to a scratch folder,
build/nbval/<notebook>/figures, removed afterwards. The check compares the notebooks' outputs with the
committed ones, and only `make figures` writes figures/. Without this, a test run after a data edit
would rewrite the committed figures while nbval reported the notebook as failed; and encoding the
images (about 40% of a notebook's time) would be work thrown away.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

# nbval compares a figure's text (its size and number of axes), never its image: the kernel draws
# none. The displayed output is then the text alone, which is what is compared.
KERNEL_CONFIG = "c.InlineBackend.figure_formats = set()\n"
_USED: set[Path] = set()  # the scratch folders this process wrote, removed when it ends


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    # nbval starts the notebook's kernel while setting up its first cell; the kernel copies the
    # environment then, so these variables are set only around the setup.
    from japan_taiwan_evidence import paths  # here: pytest-xdist's controller loads this file too

    scratch = paths.BUILD / "nbval" / Path(item.path).stem
    _USED.add(scratch)
    profile = scratch / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(KERNEL_CONFIG, encoding="utf-8")
    set_ = {"JTE_FIGURES_DIR": str(scratch / "figures"), "JTE_PRESENTATION": json.dumps({"write": False}),
            "IPYTHONDIR": str(scratch / "ipython")}
    before = {k: os.environ.get(k) for k in set_}
    os.environ.update(set_)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def pytest_unconfigure(config):
    for folder in _USED:
        shutil.rmtree(folder, ignore_errors=True)
    for parent in {folder.parent for folder in _USED}:
        try:
            parent.rmdir()  # build/nbval, once no process has a notebook in it
        except OSError:
            pass
