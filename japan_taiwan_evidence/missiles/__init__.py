"""The PLA missile launches of 4 August 2022 (notebook 03).

- tables: closure zones (published vertices), launches by zone, places, missile ranges, reported distances
- analysis: zone shares inside Japan's claimed EEZ, missiles per zone, distances from places to zones,
  westernmost land
- claims: C08, C10, C11

Depends on the core, and on diplomacy for the official statements C10 reads (the claims only).
"""

from .tables import *  # noqa: F401,F403
from .analysis import *  # noqa: F401,F403
from .claims import *  # noqa: F401,F403
