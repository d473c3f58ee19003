"""Keep Python's cyclic garbage collector from stalling a busy backend worker.

bench-load (issue 14.9) found the slowest 5 % of events in a pattern: 1,500 invitee
tabs on one worker, and every ~3 s the whole event loop stood still for 300-500 ms
while a full collection walked every tab's state tree (half a million containers).
The collections came from CPython's default gen-0 threshold (700 allocations): a tab's
event waits on the database and Redis while other tabs allocate, so its short-lived
objects outlived 700 allocations, were promoted, and the promotions triggered full
collections that found next to no garbage.

Two well-known remedies, applied once per worker at startup:

* ``gc.freeze()`` moves everything alive after start (modules, the compiled app, the
  state classes) out of the collector's sight: never garbage, never walked again.
* A gen-0 threshold of 50,000: an event's temporaries die before the next young
  collection, so they are never promoted. A young collection then takes a few
  milliseconds. Full collections still run when long-lived objects grow by a quarter
  (CPython's own rule), so the state trees of closed tabs are still reclaimed.

Measured with ``make bench-load`` (p95 over 24,000 events, 1,500 tabs): one worker
1,478 -> 283 ms, three workers on Redis 904 -> 130 ms, full collections 23 -> 1.
"""

import gc
import logging

logger = logging.getLogger(__name__)

# (young, middle, old); CPython's defaults are (700, 10, 10).
THRESHOLDS = (50_000, 20, 10)


def tune_collector() -> int:
    """Collect once, freeze what is alive, and raise the young threshold.

    Returns:
        How many objects were frozen.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    return gc.get_freeze_count()


async def calm_collector() -> None:
    """Reflex lifespan task: tune the collector once the worker has started."""
    frozen = tune_collector()
    logger.info("garbage collector tuned", extra={"frozen": frozen, "thresholds": THRESHOLDS})
