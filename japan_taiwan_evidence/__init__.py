"""japan_taiwan_evidence: shared helpers for the notebook collection.

Notebooks import this package as ``jte`` and reach the modules as attributes, e.g.
``jte.datasets.load_personnel()`` or ``jte.figures.save_figure(...)``.
"""

from . import claims, datapackage, datasets, figures, paths, sources, troops  # noqa: F401
from . import gctf  # noqa: F401  (notebook 02)
from . import diplomacy, gallery  # noqa: F401  (notebook 05; the figure gallery)

__all__ = ["claims", "datapackage", "datasets", "figures", "paths", "sources", "troops"]
__all__ += ["gctf"]
__all__ += ["diplomacy", "gallery"]
__version__ = "0.1.0"
