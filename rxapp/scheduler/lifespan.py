"""Run the scheduler inside the web app (the default deployment, R-MSG-2).

Register it with ``app.register_lifespan_task(scheduler_lifespan_task)``. With several
backend workers it runs once per worker; claiming is safe for that. For scale, set
``SCHEDULER_ENABLED=false`` and run ``python -m rxapp.scheduler`` instead.
"""

import asyncio
import logging

from rxapp.scheduler.housekeeping import run_housekeeping
from rxapp.scheduler.worker import Worker
from rxapp.settings import get_settings

logger = logging.getLogger(__name__)


async def scheduler_lifespan_task() -> None:
    """Run a worker until the app shuts down (the task is cancelled then)."""
    settings = get_settings()
    if not settings.scheduler_enabled:
        logger.info("scheduler disabled by settings")
        return
    worker = Worker.from_settings(settings)
    stop = asyncio.Event()
    runner = asyncio.create_task(worker.run_forever(stop))
    # Housekeeping (lapsing pending meeting requests) beside the send loop, same stop.
    chores = asyncio.create_task(run_housekeeping(worker.engine, stop, clock=worker.clock))
    try:
        await asyncio.shield(runner)
    except asyncio.CancelledError:
        # Shut down cleanly: finish in-flight sends, release the rest, then re-raise.
        stop.set()
        await runner
        raise
    finally:
        stop.set()
        await chores
        await worker.aclose()
