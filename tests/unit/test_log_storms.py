"""Reflex's lock warning is thinned out under load, not lost (rxapp/log_storms.py)."""

import logging

from rxapp.log_storms import (
    LOCK_HELD_PREFIX,
    REFLEX_LOCK_LOGGER,
    OncePerInterval,
    thin_out_lock_warnings,
)


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord(REFLEX_LOCK_LOGGER, logging.WARNING, __file__, 1, message, None, None)


def test_one_lock_warning_per_interval_and_the_next_one_counts_the_rest():
    now = [100.0]
    storm = OncePerInterval(LOCK_HELD_PREFIX, seconds=60, clock=lambda: now[0])
    first = _record(f"{LOCK_HELD_PREFIX} abc was held too long time_taken=1.2s")
    assert storm.filter(first)
    for i in range(5):
        now[0] += 1
        assert not storm.filter(_record(f"{LOCK_HELD_PREFIX} t{i} was held too long"))
    # Another message of the same logger is never held back.
    assert storm.filter(_record("Lock expired for token x while processing."))
    now[0] = 161.0
    later = _record(f"{LOCK_HELD_PREFIX} def was held too long time_taken=3.0s")
    assert storm.filter(later)
    assert later.getMessage().endswith("(5 more like it in the last interval)")
    assert storm.suppressed == 0


def test_the_app_config_attaches_the_filter_once_to_reflexs_logger():
    import rxconfig  # noqa: F401  (attaches it at import, in every backend process)

    logger = logging.getLogger(REFLEX_LOCK_LOGGER)
    ours = [f for f in logger.filters if isinstance(f, OncePerInterval)]
    assert len(ours) == 1
    assert thin_out_lock_warnings() is ours[0]
    assert len([f for f in logger.filters if isinstance(f, OncePerInterval)]) == 1
