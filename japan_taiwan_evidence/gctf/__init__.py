"""The Global Cooperation and Training Framework (notebook 02).

- tables: partners, cumulative statements, annual counts, workshops, themes, Joint Committee meetings
- analysis: core membership over time, statement series and brackets, theme counts, host countries
- claims: C06, C07, C21, C23, C24, C25 (C22 not tested, with the reason)

Depends on the core, and on diplomacy for the article's date window (the claims only).
"""

from .tables import *  # noqa: F401,F403
from .analysis import *  # noqa: F401,F403
from .claims import *  # noqa: F401,F403
