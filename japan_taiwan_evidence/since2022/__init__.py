"""After the article (notebook 06): PLA exercises since 2022, the official series of pressure on Japan,
Japan's south-western islands, Japan-Taiwan-China after November 2025, and the article's expectations
tracked with a forecast vocabulary (claims F01... in data/claims.csv, kept out of the article's ledger).

Modules: tables (schemas and loaders), analysis (computations, reusing notebook 03's zone functions),
claims (forecast checks), figures_exercises / figures_series / figures_islands (drawing helpers).

Depends on the core, on missiles (notebook 03's zone functions and the 2022 zones), on diplomacy (the
article's date window, records) and on gctf (partners, for the forecast on GCTF growth).
"""

from . import (  # noqa: F401  (claims registers the forecast checks)
    analysis, claims, figures_exercises, figures_islands, figures_series, tables,
)
from .tables import (  # noqa: F401
    load_evacuation,
    load_events,
    load_exercise_zones,
    load_exercises,
    load_posture,
    load_scrambles,
    load_senkaku,
    load_visitors,
)
