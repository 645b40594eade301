"""japan_taiwan_evidence: shared helpers for the notebook collection.

Notebooks import this package as ``jte`` and reach everything as ``jte.<topic>.<name>`` or
``jte.<core module>.<name>``, e.g. ``jte.troops.load_personnel()`` or ``jte.figures.save_figure(...)``.

- core: paths, files, validate, sources, verdicts, figures, geo, basemap, eez, maps
- topics (each: tables, analysis, claims): troops, gctf, missiles, reach, diplomacy
- top: ledger, gallery, datapackage
"""

from . import (  # noqa: F401
    basemap, eez, figures, files, geo, maps, params, paths, sources, validate, verdicts,
)
from . import diplomacy, gctf, missiles, troops  # noqa: F401  (topics)
from . import reach  # noqa: F401  (uses troops and missiles)
from . import since2022  # noqa: F401  (uses missiles and gctf)
from . import datapackage, gallery, ledger  # noqa: F401  (top)

__all__ = ["basemap", "datapackage", "diplomacy", "eez", "figures", "files", "gallery", "gctf", "geo", "ledger",
           "maps", "missiles", "params", "paths", "reach", "since2022", "sources", "troops", "validate", "verdicts"]
__version__ = "0.2.0"
