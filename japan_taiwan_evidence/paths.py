"""Where things live. Every path in the collection comes from here; nothing hard-codes a location."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# JTE_DATA_DIR / JTE_FIGURES_DIR point a run at an edited copy of the data, or write figures elsewhere,
# without touching the committed files (the bad-input tests use this too).
DATA = Path(os.environ.get("JTE_DATA_DIR") or REPO / "data").resolve()
BASEMAP = DATA / "basemap"
EXTERNAL = DATA / "external"  # optional user-supplied layers (git-ignored), e.g. Marine Regions EEZ
FIGURES = Path(os.environ.get("JTE_FIGURES_DIR") or REPO / "figures").resolve()
# JTE_NOTEBOOKS_DIR / JTE_BUILD_DIR let the build tests run a throw-away collection beside the real one.
NOTEBOOKS = Path(os.environ.get("JTE_NOTEBOOKS_DIR") or REPO / "notebooks").resolve()
BUILD = Path(os.environ.get("JTE_BUILD_DIR") or REPO / "build").resolve()
SOURCES_CSV = DATA / "sources.csv"
CLAIMS_CSV = DATA / "claims.csv"


def relative(path: Path) -> str:
    """Path as shown to users: relative to the repository, with forward slashes."""
    try:
        return Path(path).resolve().relative_to(REPO).as_posix()
    except ValueError:
        return Path(path).name
