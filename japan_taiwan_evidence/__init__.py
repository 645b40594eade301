"""japan_taiwan_evidence: shared helpers for the notebook collection.

Notebooks import this package as ``jte`` and reach the modules as attributes, e.g.
``jte.datasets.load_personnel()`` or ``jte.figures.save_figure(...)``.
"""

from . import (  # noqa: F401
    claims, datapackage, datasets, diplomacy, figures, gallery, gctf, geo, maps, missiles, paths, reach, since2022,
    sources, troops,
)

__all__ = ["claims", "datapackage", "datasets", "diplomacy", "figures", "gallery", "gctf", "geo", "maps",
           "missiles", "paths", "reach", "since2022", "sources", "troops"]
__version__ = "0.1.0"
