"""Settings shared by the whole suite.

Property tests are derandomized by default, so that a run of the suite (in CI above all)
draws the same examples every time and its coverage does not change between runs. To
explore new examples, run with `HYPOTHESIS_PROFILE=explore pytest`.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
