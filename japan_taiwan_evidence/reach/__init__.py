"""Reach and distance from Taiwan and China's coast (notebook 04).

- tables: missile range classes, the launch regions named by Japan's MOD
- analysis: distances from Taiwan to islands and installations, launch coast, range bands and counts
- claims: C09 (Yonaguni to Taiwan)

Depends on the core, on troops (the main installations) and on missiles (places, ranges).
"""

from .tables import *  # noqa: F401,F403
from .analysis import *  # noqa: F401,F403
from .claims import *  # noqa: F401,F403
