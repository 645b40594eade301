"""US forces in Japan (notebook 01; the main installations also serve notebook 04).

- tables: personnel by DMDC report and series, Okinawa point figures, base counts, named facilities,
  main installations (schemas and loaders)
- analysis: headline totals, personnel by service, report gaps, base-count summaries
- facility_lists: the reconstructed list of US facilities (FAC numbers, areas with edition dates), their
  positions and OpenStreetMap outlines; area and coverage checks
- claims: C13 (personnel) and C14 (bases)
- charts: the long-run personnel chart (one line per territory, titles and sources from the rows drawn)

Depends on the core only.
"""

from .tables import *  # noqa: F401,F403
from .analysis import *  # noqa: F401,F403
from .facility_lists import *  # noqa: F401,F403
from .claims import *  # noqa: F401,F403
from .charts import *  # noqa: F401,F403
