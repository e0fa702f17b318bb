"""The console process's memory once it has started."""

from __future__ import annotations

import gc

# Allocations between two young collections. A page of the first download makes some 100,000
# short-lived objects: at Python's 700, one page sets off a hundred collections, and now and then
# one of the older generations stalls the window for 100 ms.
YOUNG = 50_000


def settle() -> None:
    """Put what start-up made (the window, the local database, the reference data), which lives
    as long as the console, out of the collector's sight, and collect the young less often: a
    full collection then walks only what the work since leaves behind."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, *gc.get_threshold()[1:])
