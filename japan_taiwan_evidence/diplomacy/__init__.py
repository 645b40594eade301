"""Law, diplomacy and context (notebook 05): the dated records of acts, statements and visits.

- tables: data/diplomacy/events.csv (schema and loader)
- analysis: record queries (terms, actors, dates) and the article's date window
- claims: C01-C05, C12, C15-C20, C26, C27

Depends on the core only.
"""

from .tables import *  # noqa: F401,F403
from .analysis import *  # noqa: F401,F403
from .claims import *  # noqa: F401,F403
