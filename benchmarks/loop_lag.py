"""Event-loop lag while the scheduler sends report emails with PDFs (issue 14, point 1).

The in-app scheduler runs on the web app's event loop; every page event waits behind
whatever that loop is doing. This runs a worker exactly as the lifespan task does
(``Worker.run_forever`` on the current loop, SQLite, SMTP to the sink) next to a probe
that sleeps 10 ms and records how late it wakes up: the delay a page event would see.
It measures this process's loop, not a running Reflex app.
"""

import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from rxapp import db
from rxapp.mail.transport import SmtpTransport
from rxapp.models.participants import Interaction
from rxapp.scheduler.worker import Worker
from rxapp.services.interactions import complete_interaction, create_interaction, record_answer
from rxapp.services.interactions.questionnaires import questions_of
from rxapp.settings import Settings, get_settings
from tests.factories import make_organization, make_participant

PROBE_SECONDS = 0.010


@dataclass(frozen=True)
class Lag:
    """Late wake-ups of the probe, in milliseconds, and how much was sent meanwhile."""

    sent: int
    p50: float
    p99: float
    max: float
    seconds: float
    idle_p99: float  # the same probe with nothing else on the loop: the machine's noise


async def _probe(seconds: float) -> list[float]:
    lags = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        await asyncio.sleep(PROBE_SECONDS)
        lags.append(max(0.0, time.perf_counter() - t0 - PROBE_SECONDS) * 1000)
    return sorted(lags)


def _p99(lags: list[float]) -> float:
    return lags[min(len(lags) - 1, int(len(lags) * 0.99))]


def _completed_interactions(url: str, count: int) -> None:
    """``count`` participants who answered everything: each completion queues a report."""
    now = datetime.now(UTC)
    with Session(db.get_engine(url), expire_on_commit=False) as s:
        org = make_organization(
            s, name="Lag & Co", timezone="UTC", interactions_bought=count, reports_included=True
        )
        s.commit()
        for i in range(count):
            person = make_participant(
                s,
                organization_id=org.id,
                now=now,
                email=f"lag{i}@example.com",
                language=("en", "de", "fr", "sv")[i % 4],
            )
            created = create_interaction(
                s, organization_id=org.id, participant_id=person.id, now=now, auto_invite=False
            )
            interaction_id = created.interaction_id
            interaction = s.get(Interaction, interaction_id)
            questions = questions_of(s, questionnaire_id=interaction.questionnaire_id)
            for n, question in enumerate(questions):
                record_answer(
                    s,
                    organization_id=org.id,
                    interaction_id=interaction_id,
                    question_id=question.id,
                    value=1 + (i + n) % 5,
                    now=now,
                )
            complete_interaction(s, organization_id=org.id, interaction_id=interaction_id, now=now)
            s.commit()


async def bench_loop_lag(port: int, *, count: int = 300) -> Lag:
    """Send ``count`` report emails with the worker on this loop; measure the loop's lag."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/lag.db"
        db.upgrade(url)
        # The report hook reads the configured database, as in the app.
        os.environ["DATABASE_URL"] = url
        get_settings.cache_clear()
        _completed_interactions(url, count)
        settings = Settings(
            _env_file=None,
            database_url=url,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_max_connections=4,
            scheduler_poll_seconds=0.05,
        )
        engine = db.get_engine(url)
        idle = await _probe(3.0)
        worker = Worker(engine=engine, transport=SmtpTransport(settings), settings=settings)
        stop = asyncio.Event()
        lags: list[float] = []
        started = time.perf_counter()
        runner = asyncio.create_task(worker.run_forever(stop))
        while worker.totals.sent + worker.totals.failed < count:
            t0 = time.perf_counter()
            await asyncio.sleep(PROBE_SECONDS)
            lags.append(max(0.0, time.perf_counter() - t0 - PROBE_SECONDS) * 1000)
            if time.perf_counter() - started > 600:
                break
        seconds = time.perf_counter() - started
        stop.set()
        result = await runner
        await worker.aclose()
        engine.dispose()
        get_settings.cache_clear()
    if result.sent != count:
        raise SystemExit(f"loop lag: sent {result.sent} of {count}: {result}")
    lags.sort()
    return Lag(
        sent=result.sent,
        p50=statistics.median(lags),
        p99=_p99(lags),
        max=lags[-1],
        seconds=seconds,
        idle_p99=_p99(idle),
    )
