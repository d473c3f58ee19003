"""The app's own log lines in the production output (issue 14.8).

Granian and Reflex configure their own loggers only; without a handler on ``rxapp`` the
app's ``logger.info`` lines (imports, bulk invites, scheduler) would vanish in
production. One handler on the ``rxapp`` logger, to stderr, once per process.
"""

import logging
import os
import sys

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def configure_logging() -> None:
    """Send ``rxapp.*`` records at ``LOG_LEVEL`` (default INFO) to stderr, once."""
    logger = logging.getLogger("rxapp")
    if any(getattr(h, "_beckon", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._beckon = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
    # The root logger may have a handler too (the worker's basicConfig): print once.
    logger.propagate = False
